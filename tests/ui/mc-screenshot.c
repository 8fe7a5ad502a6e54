/* mc-screenshot.c: renders the window in its main states to PNG files
 *
 * Usage: mc-screenshot OUTDIR [SUFFIX]
 * The states are reached for real, against the fake IMAP server on 127.0.0.1,
 * so the pictures show what a user sees; only the search table and the advice
 * for an old server name, which need the real servers, are put together from
 * the engine's own findings. Run under Xvfb (tests/screenshots.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-screenshot"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "fake-server.h"
#include "mc-application.h"
#include "mc-diagnosis.h"
#include "mc-window.h"
#include "ui-test-util.h"

static const char *out_dir;
static const char *suffix = "";

static gboolean
page_idle (gpointer data)
{
  return !mc_account_page_get_running (MC_ACCOUNT_PAGE (data));
}

static gboolean
greeting_running (gpointer data)
{
  McResultView *view = data;
  guint n = mc_result_view_get_n_steps (view);

  return n > 0 && mc_step_row_get_step_id (mc_result_view_get_step_row (view, n - 1)) == MC_STEP_GREETING;
}

static void
save_png (GtkWidget  *window,
          const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  ui_test_wait_ms (600);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s%s.png", name, suffix);
  path = g_build_filename (out_dir, file, NULL);
  if (!gdk_texture_save_to_png (texture, path))
    g_printerr ("could not write %s\n", path);
  else
    g_print ("%s (%d×%d)\n", path, width, height);
}

/* Scrolls the page so that @widget starts near the top, as a user would. */
static void
scroll_into_view (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  GtkWidget *content = gtk_viewport_get_child (GTK_VIEWPORT (viewport));
  graphene_rect_t bounds;

  if (gtk_widget_compute_bounds (widget, content, &bounds))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                              bounds.origin.y - 60);
  ui_test_wait_ms (200);
}

static McWindow *
new_window (McApplication *app,
            int            width,
            int            height)
{
  g_autofree char *ca = g_build_filename (MC_TEST_CERTS_DIR, "ca.pem", NULL);
  McWindow *window;

  ui_test_reset_settings ();
  window = mc_window_new (ADW_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  mc_window_set_ca_file (window, ca);
  mc_window_set_visible_page (window, MC_PROTOCOL_IMAP);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_ms (300);
  return window;
}

/* Types the fake server's account, the only one it takes, with @password. */
static void
fill (McWindow   *window,
      FakeServer *server,
      const char *password)
{
  McAccountPage *page = mc_window_get_page (window, MC_PROTOCOL_IMAP);
  g_autofree char *port = g_strdup_printf ("%u", fake_server_get_port (server));

  gtk_editable_set_text (ui_test_field (page, "email"), FAKE_USER);
  gtk_editable_set_text (ui_test_field (page, "password"), password);
  gtk_editable_set_text (ui_test_field (page, "host"), "127.0.0.1");
  mc_account_form_set_security (mc_account_page_get_form (page), MC_SECURITY_TLS);
  gtk_editable_set_text (ui_test_field (page, "port"), port);
}

static void
run (McWindow *window)
{
  McAccountPage *page = mc_window_get_page (window, MC_PROTOCOL_IMAP);

  g_signal_emit_by_name (ui_test_find_named (GTK_WIDGET (page), "test-button"), "clicked");
  ui_test_wait_until (page_idle, page, 20000);
}

static McResult *
probe_new (McProtocol protocol,
           guint16    port,
           McSecurity security,
           gboolean   works)
{
  McResult *probe = mc_result_new ();
  McStep *step;

  probe->protocol = protocol;
  probe->port = port;
  probe->security = security;
  probe->host = g_strdup ("mail01.netzprisma.de");
  probe->verdict = works ? MC_VERDICT_OK : MC_VERDICT_FAILED;
  step = mc_result_add_step (probe, MC_STEP_CONNECT);
  step->status = works ? MC_STEP_STATUS_OK : MC_STEP_STATUS_FAILED;
  /* The engine's own sentence, so the German pictures show its translation. */
  step->summary = g_strdup_printf (ngettext ("The server did not answer within %u second.",
                                             "The server did not answer within %u seconds.", 15), 15);
  return probe;
}

/* What a search from a network that blocks port 25 finds. The search itself
 * probes the standard ports, which the fake server cannot listen on. */
static McDetectResult *
detect_result_new (void)
{
  McDetectResult *result = g_new0 (McDetectResult, 1);
  static const struct
  {
    McProtocol protocol;
    guint16    port;
    McSecurity security;
    gboolean   works;
    gboolean   recommended;
  } probes[] = {
    { MC_PROTOCOL_POP3, 995, MC_SECURITY_TLS, TRUE, TRUE },
    { MC_PROTOCOL_POP3, 110, MC_SECURITY_STARTTLS, TRUE, FALSE },
    { MC_PROTOCOL_IMAP, 993, MC_SECURITY_TLS, TRUE, TRUE },
    { MC_PROTOCOL_IMAP, 143, MC_SECURITY_STARTTLS, TRUE, FALSE },
    { MC_PROTOCOL_SMTP, 465, MC_SECURITY_TLS, TRUE, FALSE },
    { MC_PROTOCOL_SMTP, 587, MC_SECURITY_STARTTLS, TRUE, TRUE },
    { MC_PROTOCOL_SMTP, 25, MC_SECURITY_STARTTLS, FALSE, FALSE },
  };

  g_atomic_ref_count_init (&result->ref_count);
  result->host = g_strdup ("mail01.netzprisma.de");
  result->probes = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_result_unref);
  result->provider_known = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      McResult *probe = probe_new (probes[i].protocol, probes[i].port, probes[i].security, probes[i].works);

      g_ptr_array_add (result->probes, probe);
      if (probes[i].recommended)
        result->recommended[probes[i].protocol] = probe;
    }
  return result;
}

static void
shoot_all (McApplication *app,
           int            width,
           int            height,
           const char    *prefix)
{
  g_autoptr(FakeServer) good = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(FakeServer) stall = fake_stalling_server_new (FAKE_PROTOCOL_IMAP);
  g_autoptr(McDetectResult) detect = NULL;
  g_autoptr(McResult) advice = NULL;
  g_autofree char *name = NULL;
  McWindow *window;
  McAccountPage *page;
  GtkWidget *certificate;

  /* Empty page as a new user sees it. */
  window = new_window (app, width, height);
  name = g_strconcat (prefix, "empty", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);

  /* The SMTP page, with its switch for the envelope check. */
  mc_window_set_visible_page (window, MC_PROTOCOL_SMTP);
  ui_test_wait_ms (200);
  scroll_into_view (ui_test_find_named (GTK_WIDGET (mc_window_get_page (window, MC_PROTOCOL_SMTP)), "envelope"));
  name = g_strconcat (prefix, "smtp", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  mc_window_set_visible_page (window, MC_PROTOCOL_IMAP);

  /* An old server name and a port that does not fit the security: the
   * engine's hints, each with its fix. */
  page = mc_window_get_page (window, MC_PROTOCOL_IMAP);
  gtk_editable_set_text (ui_test_field (page, "host"), "imap.netzprisma.de");
  gtk_editable_set_text (ui_test_field (page, "port"), "143");
  ui_test_wait_ms (200);
  scroll_into_view (ui_test_hint (page, "use-starttls"));
  name = g_strconcat (prefix, "hint", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  gtk_window_destroy (GTK_WINDOW (window));

  /* The table of a search for working settings. */
  window = new_window (app, width, height);
  page = mc_window_get_page (window, MC_PROTOCOL_IMAP);
  detect = detect_result_new ();
  mc_account_page_show_detect_result (page, "mail01.netzprisma.de", detect);
  ui_test_wait_ms (300);
  scroll_into_view (GTK_WIDGET (ui_test_detect_view (page)));
  name = g_strconcat (prefix, "detect", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  scroll_into_view (mc_detect_view_get_row (ui_test_detect_view (page), 4));
  name = g_strconcat (prefix, "detect-smtp", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Running: the server finished TLS and keeps silent. */
  window = new_window (app, width, height);
  page = mc_window_get_page (window, MC_PROTOCOL_IMAP);
  fill (window, stall, FAKE_PASSWORD);
  g_signal_emit_by_name (ui_test_find_named (GTK_WIDGET (page), "test-button"), "clicked");
  ui_test_wait_until (greeting_running, ui_test_result_view (page), 10000);
  name = g_strconcat (prefix, "running", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  /* Cancelled: the steps done so far stay. */
  mc_account_page_cancel (page);
  ui_test_wait_ms (200);
  scroll_into_view (ui_test_find_named (GTK_WIDGET (ui_test_result_view (page)), "verdict"));
  name = g_strconcat (prefix, "cancelled", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  gtk_window_destroy (GTK_WINDOW (window));

  /* No password: reachable and encrypted, the login not tested. */
  window = new_window (app, width, height);
  page = mc_window_get_page (window, MC_PROTOCOL_IMAP);
  fill (window, good, "");
  run (window);
  scroll_into_view (ui_test_find_named (GTK_WIDGET (ui_test_result_view (page)), "verdict"));
  name = g_strconcat (prefix, "login-not-tested", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Success. */
  window = new_window (app, width, height);
  page = mc_window_get_page (window, MC_PROTOCOL_IMAP);
  fill (window, good, FAKE_PASSWORD);
  run (window);
  name = g_strconcat (prefix, "success", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);

  /* The same result for an Outlook user: what to enter, in Outlook's words. */
  mc_account_form_set_client (mc_account_page_get_form (page), "outlook");
  ui_test_wait_ms (200);
  scroll_into_view (ui_test_find_named (GTK_WIDGET (ui_test_result_view (page)), "client-card"));
  name = g_strconcat (prefix, "client-card-outlook", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  mc_account_form_set_client (mc_account_page_get_form (page), "other");

  /* A field changed after the test: the result no longer holds. */
  gtk_editable_set_text (ui_test_field (page, "port"), "143");
  ui_test_wait_ms (200);
  scroll_into_view (ui_test_find_named (GTK_WIDGET (ui_test_result_view (page)), "verdict"));
  name = g_strconcat (prefix, "settings-changed", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  fill (window, good, FAKE_PASSWORD);
  run (window);

  /* The buttons under the same result. */
  scroll_into_view (ui_test_find_named (GTK_WIDGET (ui_test_result_view (page)), "report-buttons"));
  name = g_strconcat (prefix, "report", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);

  /* Certificate details of the same result. */
  certificate = mc_result_view_get_detail_row (ui_test_result_view (page), "certificate");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (certificate), TRUE);
  ui_test_wait_ms (400);
  scroll_into_view (certificate);
  name = g_strconcat (prefix, "certificate", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Failure with advice. */
  window = new_window (app, width, height);
  fill (window, good, "wrong password");
  run (window);
  name = g_strconcat (prefix, "failure", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);

  /* Advice with a fix and a help topic each, one fix naming a server. */
  page = mc_window_get_page (window, MC_PROTOCOL_IMAP);
  advice = ui_test_advice_result_new ();
  mc_result_view_show_result (ui_test_result_view (page), advice);
  ui_test_wait_ms (300);
  scroll_into_view (mc_result_view_get_advice_row (ui_test_result_view (page), 0));
  name = g_strconcat (prefix, "advice", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);

  /* The same advice for a Thunderbird user: its steps under each fix. */
  mc_account_form_set_client (mc_account_page_get_form (page), "thunderbird");
  ui_test_wait_ms (200);
  scroll_into_view (mc_result_view_get_advice_row (ui_test_result_view (page), 0));
  name = g_strconcat (prefix, "advice-thunderbird", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  /* The help on "SSL" says what to choose in Thunderbird. */
  mc_window_show_faq (window, "ssl-names");
  ui_test_wait_ms (200);
  scroll_into_view (ui_test_find_named (GTK_WIDGET (mc_window_get_faq_page (window)), "faq-client"));
  name = g_strconcat (prefix, "faq-ssl-thunderbird", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  mc_window_close_faq (window);
  mc_account_form_set_client (mc_account_page_get_form (page), "other");

  /* The help view, opened at the topic the advice links to. */
  mc_window_show_faq (window, "login");
  name = g_strconcat (prefix, "faq", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  mc_window_show_faq (window, "old-names");
  name = g_strconcat (prefix, "faq-old-names", NULL);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);

  /* The delivery path of a message that came in encrypted. */
  {
    g_autofree char *path = g_build_filename (MC_TEST_DATA_DIR, "received", "postfix-tls13.eml", NULL);
    g_autofree char *eml = NULL;
    McReceivedPage *received;

    g_file_get_contents (path, &eml, NULL, NULL);
    mc_window_show_received (window);
    received = mc_window_get_received_page (window);
    mc_received_page_set_text (received, eml);
    ui_test_wait_ms (300);
    scroll_into_view (ui_test_find_named (GTK_WIDGET (received), "summary"));
    name = g_strconcat (prefix, "delivery-path", NULL);
    save_png (GTK_WIDGET (window), name);
    g_clear_pointer (&name, g_free);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(McApplication) app = NULL;
  const char *localedir = g_getenv ("MC_LOCALEDIR");

  if (argc < 2)
    {
      g_printerr ("usage: %s OUTDIR [SUFFIX]\n", argv[0]);
      return 2;
    }
  out_dir = argv[1];
  if (argc > 2)
    suffix = argv[2];

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_mkdir_with_parents (out_dir, 0755);
  /* The fake server finds its certificates through the test framework, which
   * this program does not start; the source tree's folder comes first. */
  fake_certificate_set_extra_dir (MC_TEST_CERTS_DIR);

  app = mc_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return 1;

  shoot_all (app, 720, 700, "");
  shoot_all (app, 360, 700, "narrow-");
  return 0;
}
