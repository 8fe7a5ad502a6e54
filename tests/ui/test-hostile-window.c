/* test-hostile-window.c: what a hostile server or a strange file name can do to
 * the window — it must keep turning, show text as text, and lead nowhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hostile-window"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "fake-server.h"
#include "mc-session-private.h"
#include "mc-window.h"
#include "ui-test-util.h"

/* Tests the fixture's server, which each test sets up once the window is up,
 * and waits until the server has seen the check end; a flood may take long. */
static void
run_test (UiTestFixture *fixture,
          McSecurity     security)
{
  ui_test_fill_form (fixture, security, FAKE_USER, FAKE_PASSWORD);
  ui_test_click (ui_test_find_named (GTK_WIDGET (fixture->page), "test-button"));
  g_assert_true (ui_test_wait_until (ui_test_page_idle, fixture->page, 60000));
  fake_server_finish (fixture->server);
}

/* Counts how often the main loop ran a 20 ms timer, and the longest gap. */
typedef struct
{
  guint  ticks;
  gint64 last;
  gint64 longest_gap;
} Heartbeat;

static gboolean
heartbeat_tick (gpointer data)
{
  Heartbeat *beat = data;
  gint64 now = g_get_monotonic_time ();

  if (beat->last != 0)
    beat->longest_gap = MAX (beat->longest_gap, now - beat->last);
  beat->last = now;
  beat->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
drawn (gpointer data)
{
  return *(gboolean *)data;
}

static void
after_paint (GdkFrameClock *clock,
             gboolean      *painted)
{
  *painted = TRUE;
}

/* Waits for the window to draw a frame: a label laid out in one piece of many
 * megabytes would hold this for minutes (the review saw 257 s). */
static void
wait_for_frame (UiTestFixture *fixture)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->window));
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), &painted);

  gtk_widget_queue_draw (GTK_WIDGET (fixture->window));
  /* The freeze this guards against lasted minutes (257 s with one label): a
   * frame must come within a minute (ui_test_wait_until allows 4 × 15 s). */
  g_assert_true (ui_test_wait_until (drawn, &painted, 15000));
  g_signal_handler_disconnect (clock, id);
}

/* A STARTTLS server that sends as much as the engine reads before TLS: a
 * greeting and an EHLO reply of 256 kB each, of characters that the sanitiser
 * turns into eight visible ones (U+0085). The transcript keeps a bounded part,
 * says how much is missing, and is laid out only when its row is opened; the
 * main loop keeps turning throughout. */
static void
test_transcript_flood_keeps_window_turning (void)
{
  UiTestFixture fixture = { NULL };
  g_autoptr(GString) flood = g_string_new (NULL);
  g_autoptr(GString) ehlo = g_string_new (NULL);
  g_autofree char *filler = NULL;
  g_autofree char *text = NULL;
  Heartbeat beat = { 0 };
  McResult *result;
  GtkWidget *expander;
  guint ticks_before;
  guint source;

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_SMTP))
    return;

  /* 300 characters of U+0085 per line: 600 bytes read, 2 400 once made visible. */
  {
    GString *line = g_string_new (NULL);

    for (guint i = 0; i < 300; i++)
      g_string_append (line, "\xc2\x85");
    filler = g_string_free (line, FALSE);
  }
  for (guint i = 0; i < 400; i++)
    g_string_append_printf (flood, "220-%s\r\n", filler);
  g_string_append (flood, "220 ready\r\n");
  for (guint i = 0; i < 400; i++)
    g_string_append_printf (ehlo, "250-%s\r\n", filler);
  g_string_append (ehlo, "250 STARTTLS\r\n");

  fixture.server = fake_smtp_server_new (FAKE_MODE_STARTTLS);
  fake_server_set_greeting (fixture.server, flood->str);
  fake_server_on (fixture.server, FAKE_PHASE_PLAIN, "EHLO ", fake_send (ehlo->str), NULL);

  /* The window's first frames (shaders, fonts) are not what is measured here. */
  wait_for_frame (&fixture);
  ui_test_wait_ms (300);
  source = g_timeout_add (20, heartbeat_tick, &beat);
  run_test (&fixture, MC_SECURITY_STARTTLS);

  result = mc_result_view_get_result (fixture.view);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->transcript_omitted, >, 0);
  /* Laid out only when opened: nothing of it exists yet. */
  g_assert_null (mc_result_view_get_transcript_text (fixture.view));

  ticks_before = beat.ticks;
  wait_for_frame (&fixture);
  expander = mc_result_view_get_detail_row (fixture.view, "transcript");
  g_assert_nonnull (expander);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  wait_for_frame (&fixture);
  ui_test_wait_ms (200);
  g_source_remove (source);

  text = mc_result_view_get_transcript_text (fixture.view);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "<U+0085>"));
  g_assert_nonnull (strstr (text, "more lines not shown"));
  g_assert_cmpuint (strlen (text), <=, MC_TRANSCRIPT_MAX_BYTES + 4096);
  g_test_message ("timer ran %u times, longest gap %" G_GINT64_FORMAT " ms; %zu bytes of transcript",
                  beat.ticks, beat.longest_gap / 1000, strlen (text));
  /* The main loop kept turning while the result was shown and opened. */
  g_assert_cmpuint (beat.ticks, >, ticks_before);

  ui_test_fixture_teardown (&fixture);
}

/* A certificate with hundreds of names: a few are kept and shown, the rest
 * counted, and none of them becomes a button. */
static void
test_many_certificate_names (void)
{
  UiTestFixture fixture = { NULL };
  g_autofree char *dir = NULL;
  g_autofree char *script = NULL;
  g_autofree char *ca_cert = ui_test_cert_path ("ca.pem");
  g_autofree char *ca_key = ui_test_cert_path ("ca.key");
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(GString) names = g_string_new ("subjectAltName=");
  g_autoptr(GError) error = NULL;
  McResult *result;
  int status = -1;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is needed to issue the certificate");
      return;
    }
  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_IMAP))
    return;

  for (guint i = 0; i < 600; i++)
    g_string_append_printf (names, "%sDNS:name%u.attacker.test", i ? "," : "", i);
  dir = g_dir_make_tmp ("mc-many-names-XXXXXX", &error);
  g_assert_no_error (error);
  script = g_strdup_printf ("set -e; cd '%s'; printf '%%s\\n' '%s' > ext.cnf; "
                            "openssl req -newkey rsa:2048 -nodes -keyout many-names.key -subj /CN=many "
                            "-out req.pem 2>/dev/null; "
                            "openssl x509 -req -in req.pem -CA '%s' -CAkey '%s' -set_serial 4242 -days 30 "
                            "-extfile ext.cnf -out many-names.pem 2>/dev/null",
                            dir, names->str, ca_cert, ca_key);
  {
    const char *argv[] = { "/bin/sh", "-c", script, NULL };

    g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  fake_certificate_set_extra_dir (dir);

  fixture.server = fake_imap_server_new (FAKE_MODE_TLS);
  fake_server_clear_on_connect (fixture.server);
  fake_server_on_connect (fixture.server, fake_start_tls ("many-names"), fake_send_greeting (), NULL);
  run_test (&fixture, MC_SECURITY_TLS);
  wait_for_frame (&fixture);

  result = mc_result_view_get_result (fixture.view);
  g_assert_nonnull (result->certificate);
  g_assert_cmpuint (g_strv_length (result->certificate->names), <=, 50);
  g_assert_cmpuint (result->certificate->names_omitted, ==, 600 - g_strv_length (result->certificate->names));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture.view), "more names not shown"));
  g_assert_null (ui_test_find_named (GTK_WIDGET (fixture.view), "fix-button"));

  fake_certificate_set_extra_dir (NULL);
  ui_test_fixture_teardown (&fixture);
}

/* The review's reproducer, as the user sees it: a certificate for another
 * name gives advice without any button that would test that name. */
static void
test_certificate_name_is_no_button (void)
{
  UiTestFixture fixture = { NULL };
  GtkWidget *advice;

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_IMAP))
    return;

  fixture.server = fake_imap_server_new (FAKE_MODE_TLS);
  fake_server_clear_on_connect (fixture.server);
  fake_server_on_connect (fixture.server, fake_start_tls ("wrong-name"), fake_send_greeting (), NULL);
  run_test (&fixture, MC_SECURITY_TLS);

  advice = ui_test_find_named (GTK_WIDGET (fixture.view), "certificate-hostname-mismatch");
  g_assert_nonnull (advice);
  g_assert_nonnull (ui_test_find_label (advice, "other.test"));
  g_assert_null (ui_test_find_named (advice, "fix-button"));
  g_assert_null (ui_test_find_named (GTK_WIDGET (fixture.view), "fix-button"));

  ui_test_fixture_teardown (&fixture);
}

static void
count_markup_labels (GtkWidget *widget,
                     const char *needle,
                     guint      *plain,
                     guint      *markup)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    {
      if (gtk_label_get_use_markup (GTK_LABEL (widget)))
        (*markup)++;
      else
        (*plain)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    count_markup_labels (child, needle, plain, markup);
}

/* Server text is shown as the server sent it, never read as markup: a
 * greeting and an [ALERT] full of tags appear with their tags, as text
 * (security rule 10), in the step row and in the verdict area. */
static void
test_server_markup_shown_as_text (void)
{
  UiTestFixture fixture = { NULL };
  guint plain = 0;
  guint markup = 0;

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_IMAP))
    return;

  fixture.server = fake_imap_server_new (FAKE_MODE_TLS);
  fake_server_set_greeting (fixture.server,
                            "* OK [ALERT] <b>Wartung</b> & <span foreground=\"red\">heute</span>\r\n");
  run_test (&fixture, MC_SECURITY_TLS);
  wait_for_frame (&fixture);

  count_markup_labels (GTK_WIDGET (fixture.view), "<b>Wartung</b> & <span", &plain, &markup);
  g_assert_cmpuint (plain, >=, 2);   /* the greeting's step row and the alert */
  g_assert_cmpuint (markup, ==, 0);
  g_assert_nonnull (ui_test_find_named (GTK_WIDGET (fixture.view), "server-alert"));

  ui_test_fixture_teardown (&fixture);
}

static gboolean
label_found (gpointer data)
{
  gpointer *args = data;

  return ui_test_find_label (args[0], args[1]) != NULL;
}

/* Toast titles are markup: a file name with "&" must still say that saving
 * failed (an unescaped one left the toast empty). A saved report is readable
 * by its owner only. */
static void
test_report_save (void)
{
  UiTestFixture fixture = { NULL };
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) missing = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gpointer args[2];
  GStatBuf info;

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_IMAP))
    return;

  fixture.server = fake_imap_server_new (FAKE_MODE_TLS);
  run_test (&fixture, MC_SECURITY_TLS);

  dir = g_dir_make_tmp ("mc-save-XXXXXX", &error);
  g_assert_no_error (error);
  missing = g_file_new_build_filename (dir, "R&D <reports>", "report.txt", NULL);
  mc_result_view_save_report (fixture.view, missing, FALSE);
  args[0] = fixture.window;
  args[1] = "R&D <reports>";
  g_assert_true (ui_test_wait_until (label_found, args, 10000));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture.window), "Could not save the report"));

  path = g_build_filename (dir, "report.json", NULL);
  g_assert_cmpint (g_file_set_contents_full (path, "old", -1, G_FILE_SET_CONTENTS_NONE, 0644, NULL), ==, TRUE);
  file = g_file_new_for_path (path);
  mc_result_view_save_report (fixture.view, file, TRUE);
  args[1] = "Report saved";
  g_assert_true (ui_test_wait_until (label_found, args, 10000));
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);

  g_unlink (path);
  g_rmdir (dir);
  ui_test_fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/mailcheck/ui/hostile/transcript-flood-keeps-window-turning",
                   test_transcript_flood_keeps_window_turning);
  g_test_add_func ("/mailcheck/ui/hostile/many-certificate-names-capped", test_many_certificate_names);
  g_test_add_func ("/mailcheck/ui/hostile/certificate-name-is-no-button", test_certificate_name_is_no_button);
  g_test_add_func ("/mailcheck/ui/report/save-escaped-and-private", test_report_save);
  g_test_add_func ("/mailcheck/ui/hostile/server-markup-shown-as-text", test_server_markup_shown_as_text);

  return g_test_run ();
}
