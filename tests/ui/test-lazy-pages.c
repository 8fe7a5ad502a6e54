/* test-lazy-pages.c: pages built on first use behave like pages built at start
 *
 * Only the visible protocol page exists when the window opens; the others (and
 * the FAQ, and a page's table of the search for working settings) are built
 * when first shown. Each must start in the state an early page would have.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"
#include "mc-application.h"
#include "mc-detect-view.h"
#include "mc-window.h"
#include "fake-server.h"
#include "ui-test-util.h"

static guint
count_type (GtkWidget *w, GType type)
{
  guint n = G_TYPE_CHECK_INSTANCE_TYPE (w, type) ? 1 : 0;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    n += count_type (c, type);
  return n;
}

static GSettings *
settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  return g_settings_new_full (schema, NULL, NULL);
}

static void
test_only_visible_built (void)
{
  McWindow *window;
  McAccountPage *imap, *smtp, *pop3;
  g_autoptr(GSettings) s = NULL;

  if (ui_test_skip_without_display ()) return;
  ui_test_reset_settings ();
  window = mc_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_ms (200);
  g_assert_cmpuint (count_type (GTK_WIDGET (window), MC_TYPE_ACCOUNT_PAGE), ==, 1);
  g_assert_cmpuint (count_type (GTK_WIDGET (window), MC_TYPE_FAQ_PAGE), ==, 0);
  imap = mc_window_get_visible_page (window);
  g_assert_cmpint (mc_account_form_get_protocol (mc_account_page_get_form (imap)), ==, MC_PROTOCOL_IMAP);
  gtk_editable_set_text (ui_test_field (imap, "email"), "anna@example.de");
  gtk_editable_set_text (ui_test_field (imap, "password"), "pw");

  /* Ctrl+3 as a user would: the SMTP page is built now, with the shared fields. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "smtp");
  g_assert_cmpuint (count_type (GTK_WIDGET (window), MC_TYPE_ACCOUNT_PAGE), ==, 2);
  smtp = mc_window_get_visible_page (window);
  g_assert_cmpint (mc_account_form_get_protocol (mc_account_page_get_form (smtp)), ==, MC_PROTOCOL_SMTP);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "email")), ==, "anna@example.de");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "user")), ==, "anna@example.de");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "password")), ==, "pw");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "port")), ==, "587");
  /* Typing on the late page reaches the early one, and a third page. */
  gtk_editable_set_text (ui_test_field (smtp, "email"), "bert@example.de");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (imap, "email")), ==, "bert@example.de");
  pop3 = mc_window_get_page (window, MC_PROTOCOL_POP3);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (pop3, "email")), ==, "bert@example.de");
  gtk_editable_set_text (ui_test_field (pop3, "password"), "pw2");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (imap, "password")), ==, "pw2");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "password")), ==, "pw2");
  /* Asking for a page does not show it. */
  g_assert_true (mc_window_get_visible_page (window) == smtp);
  gtk_editable_set_text (ui_test_field (smtp, "host"), "smtp.example.org");
  gtk_window_close (GTK_WINDOW (window));
  ui_test_wait_ms (50);

  s = settings ();
  g_assert_cmpstr (g_settings_get_string (s, "last-page"), ==, "smtp");
  g_assert_cmpstr (g_settings_get_string (s, "email"), ==, "bert@example.de");
  g_assert_cmpstr (g_settings_get_string (s, "smtp-host"), ==, "smtp.example.org");
}

static void
test_last_page_and_unbuilt_settings_kept (void)
{
  McWindow *window;
  McAccountPage *smtp, *imap;
  g_autoptr(GSettings) s = settings ();

  if (ui_test_skip_without_display ()) return;
  ui_test_reset_settings ();
  g_settings_set_string (s, "last-page", "smtp");
  g_settings_set_string (s, "email", "carl@example.de");
  g_settings_set_string (s, "smtp-host", "smtp.example.org");
  g_settings_set_string (s, "imap-host", "imap.example.org");
  g_settings_set_string (s, "pop3-host", "pop.example.org");
  window = mc_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_ms (100);
  g_assert_cmpuint (count_type (GTK_WIDGET (window), MC_TYPE_ACCOUNT_PAGE), ==, 1);
  smtp = mc_window_get_visible_page (window);
  g_assert_cmpint (mc_account_form_get_protocol (mc_account_page_get_form (smtp)), ==, MC_PROTOCOL_SMTP);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "host")), ==, "smtp.example.org");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "email")), ==, "carl@example.de");
  gtk_window_close (GTK_WINDOW (window));
  ui_test_wait_ms (50);
  /* Never built: its settings are what they were. */
  g_assert_cmpstr (g_settings_get_string (s, "imap-host"), ==, "imap.example.org");
  g_assert_cmpstr (g_settings_get_string (s, "pop3-host"), ==, "pop.example.org");

  window = mc_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  imap = mc_window_get_page (window, MC_PROTOCOL_IMAP);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (imap, "host")), ==, "imap.example.org");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (imap, "email")), ==, "carl@example.de");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_page_built_while_testing_is_blocked (void)
{
  g_autofree char *ca = ui_test_cert_path ("ca.pem");
  g_autoptr(FakeServer) server = NULL;
  McWindow *window;
  McAccountPage *imap, *smtp;

  if (ui_test_skip_without_display ()) return;
  ui_test_reset_settings ();
  /* The check must still be running when the other page is built: the server
   * finishes the TLS handshake, then says nothing. */
  server = fake_stalling_server_new (FAKE_PROTOCOL_IMAP);
  fake_server_start (server);
  window = mc_window_new (NULL);
  mc_window_set_ca_file (window, ca);
  gtk_window_present (GTK_WINDOW (window));
  imap = mc_window_get_visible_page (window);
  ui_test_fill_page (imap, MC_SECURITY_TLS, FAKE_USER, FAKE_PASSWORD, fake_server_get_port (server));
  mc_account_page_set_timeout (imap, 3);
  ui_test_click (ui_test_find_named (GTK_WIDGET (imap), "test-button"));
  g_assert_true (mc_account_page_get_running (imap));
  g_assert_cmpuint (count_type (GTK_WIDGET (window), MC_TYPE_ACCOUNT_PAGE), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "smtp");
  smtp = mc_window_get_visible_page (window);
  g_assert_true (ui_test_inputs_locked (smtp));
  g_assert_false (gtk_widget_is_sensitive (ui_test_find_named (GTK_WIDGET (smtp), "test-button")));

  /* Escape reaches the running page although another one is shown. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.escape", NULL);
  g_assert_true (ui_test_wait_until (ui_test_page_idle, imap, 5000));
  g_assert_false (ui_test_inputs_locked (smtp));

  /* F1, then Alt+Left's action: back on the shown page. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-faq", "s", "");
  g_assert_true (mc_window_get_faq_visible (window));
  g_assert_cmpuint (count_type (GTK_WIDGET (window), MC_TYPE_FAQ_PAGE), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-faq", NULL);
  g_assert_false (mc_window_get_faq_visible (window));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == ui_test_find_named (GTK_WIDGET (smtp), "test-button"));

  /* Escape closed the connection (the window is still open), before any
   * login. The canary password, not a short one: the oracle looks for it in
   * every byte, the client's random ClientHello included. */
  fake_server_finish (server);
  g_assert_null (fake_server_get_script_error (server));
  fake_server_assert_no_credentials (server, FAKE_USER, FAKE_PASSWORD);

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_wait_ms (20);
}

static void
test_detect_view_built_on_first_search (void)
{
  McWindow *window;
  McAccountPage *page;
  GtkWidget *view;

  if (ui_test_skip_without_display ()) return;
  ui_test_reset_settings ();
  window = mc_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  page = mc_window_get_visible_page (window);
  g_assert_cmpuint (count_type (GTK_WIDGET (page), MC_TYPE_DETECT_VIEW), ==, 0);

  /* A name the search refuses builds nothing either. */
  gtk_editable_set_text (ui_test_field (page, "host"), "imap://mail01.netzprisma.de");
  gtk_widget_activate_action (GTK_WIDGET (page), "page.detect", NULL);
  g_assert_false (mc_account_page_get_running (page));
  g_assert_cmpuint (count_type (GTK_WIDGET (page), MC_TYPE_DETECT_VIEW), ==, 0);

  /* The first search puts the view under the buttons, above the result. */
  gtk_editable_set_text (ui_test_field (page, "host"), "127.0.0.1");
  mc_account_page_set_timeout (page, 3);
  gtk_widget_activate_action (GTK_WIDGET (page), "page.detect", NULL);
  g_assert_true (mc_account_page_get_running (page));
  g_assert_cmpuint (count_type (GTK_WIDGET (page), MC_TYPE_DETECT_VIEW), ==, 1);
  view = GTK_WIDGET (ui_test_detect_view (page));
  g_assert_true (gtk_widget_get_visible (view));
  g_assert_true (gtk_widget_get_next_sibling (view) == GTK_WIDGET (ui_test_result_view (page)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ui_test_result_view (page))));

  /* Stopped, the page is back to its result; the view stays for next time. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.escape", NULL);
  g_assert_false (mc_account_page_get_running (page));
  g_assert_false (gtk_widget_get_visible (view));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ui_test_result_view (page))));
  g_assert_true (GTK_WIDGET (ui_test_detect_view (page)) == view);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/mailcheck/window/lazy/only-visible-built", test_only_visible_built);
  g_test_add_func ("/mailcheck/window/lazy/last-page-and-unbuilt-settings-kept", test_last_page_and_unbuilt_settings_kept);
  g_test_add_func ("/mailcheck/window/lazy/page-built-while-testing-is-blocked", test_page_built_while_testing_is_blocked);
  g_test_add_func ("/mailcheck/window/lazy/detect-view-built-on-first-search", test_detect_view_built_on_first_search);
  return g_test_run ();
}
