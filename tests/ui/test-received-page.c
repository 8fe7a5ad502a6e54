/* test-received-page.c: the delivery path view as a user drives it: paste a
 * header, drop a saved message, copy the report, go there and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-received-page"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "mc-window.h"
#include "ui-test-util.h"

typedef struct
{
  McWindow       *window;
  McReceivedPage *page;
} Fixture;

static gboolean
setup (Fixture *fixture)
{
  if (ui_test_skip_without_display ())
    return FALSE;

  ui_test_reset_settings ();
  fixture->window = mc_window_new (NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-received", NULL);
  g_assert_true (mc_window_get_received_visible (fixture->window));
  fixture->page = mc_window_get_received_page (fixture->window);
  return TRUE;
}

static void
teardown (Fixture *fixture)
{
  ui_test_destroy_window (GTK_WINDOW (fixture->window));
  ui_test_wait_ms (20);
}

static char *
vector (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "received", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static gboolean
page_idle (gpointer data)
{
  return !mc_received_page_get_busy (MC_RECEIVED_PAGE (data));
}

static void
type_text (Fixture    *fixture,
           const char *text)
{
  GtkTextView *view = GTK_TEXT_VIEW (ui_test_find_named (GTK_WIDGET (fixture->page), "header-text"));

  /* What a paste does: the buffer changes, the page reads it a moment later. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
  g_assert_true (mc_received_page_get_busy (fixture->page));
  g_assert_true (ui_test_wait_until (page_idle, fixture->page, 5000));
}

static const char *
row_title (GtkWidget *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static const char *
row_subtitle (GtkWidget *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static void
assert_postfix_tls13 (Fixture *fixture)
{
  McReceivedReport *report = mc_received_page_get_report (fixture->page);
  GtkWidget *summary = ui_test_find_named (GTK_WIDGET (fixture->page), "summary");
  GtkWidget *row;

  g_assert_nonnull (report);
  g_assert_cmpuint (mc_received_page_get_n_hops (fixture->page), ==, 3);
  g_assert_true (gtk_widget_get_mapped (summary));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (summary)), ==, mc_received_report_get_summary (report));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (summary)), "TLS 1.3"));

  /* Oldest first: the sender's submission, the way into Netzprisma, the mailbox. */
  row = mc_received_page_get_hop_row (fixture->page, 0);
  g_assert_cmpstr (gtk_widget_get_name (row), ==, "encrypted");
  g_assert_cmpstr (row_title (row), ==, "p3e9c1a2b.dip0.provider.example → smtp.sender.example");
  g_assert_nonnull (strstr (row_subtitle (row), "Claimed by the previous server"));
  row = mc_received_page_get_hop_row (fixture->page, 1);
  g_assert_cmpstr (gtk_widget_get_name (row), ==, "encrypted");
  g_assert_cmpstr (row_title (row), ==, "smtp.sender.example → mx01.netzprisma.de");
  g_assert_nonnull (strstr (row_subtitle (row), "TLS 1.3"));
  g_assert_nonnull (strstr (row_subtitle (row), "Recorded by Netzprisma"));
  g_assert_nonnull (strstr (row_subtitle (row), "TLS_AES_256_GCM_SHA384"));
  g_assert_nonnull (strstr (row_subtitle (row), "3 seconds later"));
  row = mc_received_page_get_hop_row (fixture->page, 2);
  g_assert_cmpstr (gtk_widget_get_name (row), ==, "internal");
  /* No recipient address anywhere on the page's rows. */
  for (guint i = 0; i < mc_received_page_get_n_hops (fixture->page); i++)
    g_assert_null (strstr (row_subtitle (mc_received_page_get_hop_row (fixture->page, i)), "anna.schmidt"));
}

static void
test_paste_shows_hops (void)
{
  Fixture fixture = { 0 };
  g_autofree char *eml = vector ("postfix-tls13.eml");

  if (!setup (&fixture))
    return;

  g_assert_true (gtk_widget_get_visible (ui_test_find_named (GTK_WIDGET (fixture.page), "nothing-sent")));
  type_text (&fixture, eml);
  assert_postfix_tls13 (&fixture);

  /* Clearing empties the view again. */
  gtk_widget_activate_action (GTK_WIDGET (fixture.page), "received.clear", NULL);
  g_assert_cmpuint (mc_received_page_get_n_hops (fixture.page), ==, 0);
  g_assert_null (mc_received_page_get_report (fixture.page));

  teardown (&fixture);
}

static void
test_not_a_header (void)
{
  Fixture fixture = { 0 };
  GtkWidget *status;

  if (!setup (&fixture))
    return;

  type_text (&fixture, "Hallo Anna,\nwie geht es?\n");
  status = ui_test_find_named (GTK_WIDGET (fixture.page), "status");
  g_assert_true (gtk_widget_get_visible (status));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==,
                   "This text has no message header. Paste the lines from the top of the message, up to the "
                   "first empty line.");
  g_assert_cmpuint (mc_received_page_get_n_hops (fixture.page), ==, 0);

  /* A header without Received lines says why there is nothing to show. */
  type_text (&fixture, "Subject: hello\nFrom: a@example.org\n\nbody\n");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (status)),
                                   "This header has no “Received” lines"));

  teardown (&fixture);
}

static GtkDropTarget *
file_drop_target (GtkWidget *widget)
{
  GListModel *controllers = gtk_widget_observe_controllers (widget);
  GtkDropTarget *found = NULL;

  for (guint i = 0; found == NULL && i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller) &&
          g_strcmp0 (gtk_event_controller_get_name (controller), "file-drop") == 0)
        found = GTK_DROP_TARGET (controller);
    }
  g_object_unref (controllers);
  return found;
}

static gboolean
hops_shown (gpointer data)
{
  return mc_received_page_get_n_hops (MC_RECEIVED_PAGE (data)) > 0;
}

/* A saved message dropped on the page: only its header is read and shown. */
static void
test_drop_eml (void)
{
  Fixture fixture = { 0 };
  g_autofree char *eml = vector ("postfix-tls13.eml");
  g_autofree char *dir = g_dir_make_tmp ("mc-received-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "message.eml", NULL);
  g_autofree char *shown = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GdkFileList *files;
  g_auto(GValue) value = G_VALUE_INIT;
  GtkDropTarget *target;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  gboolean accepted = FALSE;
  GSList *list;

  if (!setup (&fixture))
    return;

  g_assert_true (g_file_set_contents (path, eml, -1, NULL));
  target = file_drop_target (GTK_WIDGET (fixture.page));
  g_assert_nonnull (target);
  list = g_slist_prepend (NULL, file);
  files = gdk_file_list_new_from_list (list);
  g_slist_free (list);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, files);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);
  g_assert_true (ui_test_wait_until (hops_shown, fixture.page, 5000));
  assert_postfix_tls13 (&fixture);

  /* The body stays unread: its Received-like line is not in the text. */
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (ui_test_find_named (GTK_WIDGET (fixture.page), "header-text")));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (shown, "Subject: Postfix with TLS logging"));
  g_assert_null (strstr (shown, "Hallo Anna"));
  g_assert_null (strstr (shown, "body.example"));

  g_unlink (path);
  g_rmdir (dir);
  teardown (&fixture);
}

/* The report for support lists the hops without any recipient address. */
static void
test_copy_report_without_recipients (void)
{
  Fixture fixture = { 0 };
  g_autofree char *eml = vector ("postfix-tls13.eml");
  g_autofree char *copied = NULL;

  if (!setup (&fixture))
    return;

  type_text (&fixture, eml);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.page), "received.copy", NULL));
  copied = ui_test_clipboard_text (GTK_WIDGET (fixture.page));
  g_assert_nonnull (strstr (copied, "smtp.sender.example"));
  g_assert_null (strstr (copied, "anna.schmidt@netzprisma.de"));
  g_assert_null (strstr (copied, "for <"));

  teardown (&fixture);
}

/* From the main menu and from the help's answer on transport encryption; Back
 * and Escape return to where the user came from. */
static void
test_reachable_and_back (void)
{
  Fixture fixture = { 0 };
  McFaqPage *faq;
  GtkWidget *button;

  if (!setup (&fixture))
    return;

  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.escape", NULL);
  g_assert_false (mc_window_get_received_visible (fixture.window));
  g_assert_false (mc_window_get_faq_visible (fixture.window));

  mc_window_show_faq (fixture.window, MC_FAQ_TOPIC_TRANSPORT);
  faq = mc_window_get_faq_page (fixture.window);
  button = ui_test_find_named (mc_faq_page_get_topic (faq, MC_FAQ_TOPIC_TRANSPORT), "delivery-path-button");
  ui_test_click (button);
  g_assert_true (mc_window_get_received_visible (fixture.window));
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.back", NULL);
  g_assert_true (mc_window_get_faq_visible (fixture.window));

  teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  if (!ui_test_init (&argc, &argv))
    return 77;

  g_test_add_func ("/mailcheck/ui/received/paste-shows-hops", test_paste_shows_hops);
  g_test_add_func ("/mailcheck/ui/received/not-a-header", test_not_a_header);
  g_test_add_func ("/mailcheck/ui/received/drop-eml-reads-header-only", test_drop_eml);
  g_test_add_func ("/mailcheck/ui/received/copy-report-without-recipients", test_copy_report_without_recipients);
  g_test_add_func ("/mailcheck/ui/received/reachable-and-back", test_reachable_and_back);

  return g_test_run ();
}
