/* test-window.c: the window as a user drives it, against a fake IMAP server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "fake-server.h"
#include "mc-report.h"
#include "mc-report-export.h"
#include "mc-window.h"
#include "ui-test-util.h"

/* The fake server's account: it takes this address and password, nothing else. */
#define PASSWORD FAKE_PASSWORD
#define ADDRESS  FAKE_USER

/* Takes @server, also when the test is skipped. */
static gboolean
setup (UiTestFixture *fixture,
       FakeServer    *server)
{
  g_autofree char *cert = ui_test_cert_path ("good.pem");
  g_autofree char *ca = ui_test_cert_path ("ca.pem");

  if (g_file_test (cert, G_FILE_TEST_EXISTS) && g_file_test (ca, G_FILE_TEST_EXISTS))
    return ui_test_fixture_setup (fixture, server, MC_PROTOCOL_IMAP);

  /* Without a display that is the reason given, as in every other test. */
  fake_server_free (server);
  if (!ui_test_skip_without_display ())
    g_test_skip ("tests/certs is missing");
  return FALSE;
}

static void
test_success_shows_steps_and_certificate (void)
{
  UiTestFixture fixture = { 0 };
  McStepRow *row;
  GtkWidget *certificate;
  McResult *result;

  if (!setup (&fixture, fake_imap_server_new (FAKE_MODE_TLS)))
    return;

  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
  /* Address and password are entered once for all pages. */
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (mc_window_get_page (fixture.window, MC_PROTOCOL_SMTP), "email")),
                   ==, ADDRESS);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (mc_window_get_page (fixture.window, MC_PROTOCOL_POP3), "password")),
                   ==, PASSWORD);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (fixture.page, "user")), ==, ADDRESS);

  ui_test_click (ui_test_find_named (GTK_WIDGET (fixture.page), "test-button"));

  /* While it runs: inputs locked, no second run, Cancel offered. */
  g_assert_true (mc_account_page_get_running (fixture.page));
  g_assert_true (ui_test_inputs_locked (fixture.page));
  g_assert_false (gtk_widget_is_sensitive (ui_test_find_named (GTK_WIDGET (fixture.page), "test-button")));
  g_assert_true (ui_test_inputs_locked (mc_window_get_page (fixture.window, MC_PROTOCOL_SMTP)));
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "Testing the connection…");

  g_assert_true (ui_test_wait_until (ui_test_page_idle, fixture.page, 20000));
  g_assert_false (ui_test_inputs_locked (fixture.page));
  g_assert_cmpuint (fake_server_count_logins_now (fixture.server), ==, 1);

  result = mc_result_view_get_result (fixture.view);
  g_assert_nonnull (result);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection works.");
  g_assert_true (mc_result_view_get_e2e_note_visible (fixture.view));

  row = ui_test_step_row (fixture.view, MC_STEP_TLS);
  g_assert_nonnull (row);
  g_assert_cmpint (mc_step_row_get_status (row), ==, MC_STEP_STATUS_OK);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Encryption (TLS)");
  g_assert_cmpstr (mc_step_row_get_duration (row), !=, "");
  row = ui_test_step_row (fixture.view, MC_STEP_LOGIN);
  g_assert_nonnull (row);
  g_assert_cmpint (mc_step_row_get_status (row), ==, MC_STEP_STATUS_OK);
  row = ui_test_step_row (fixture.view, MC_STEP_GREETING);
  g_assert_nonnull (row);
  /* Implicit TLS: the greeting arrived encrypted, so it carries no forgery warning. */
  g_assert_cmpstr (mc_step_row_get_server_note (row), ==, "Server reply:");
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (row), "Fake IMAP server ready."));

  certificate = mc_result_view_get_detail_row (fixture.view, "certificate");
  g_assert_nonnull (certificate);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (certificate), TRUE);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (certificate)), ==, "No problems found");
  g_assert_nonnull (ui_test_find_label (certificate, "CN=localhost"));
  g_assert_nonnull (ui_test_find_label (certificate, "localhost, 127.0.0.1"));
  g_assert_nonnull (ui_test_find_label (certificate, "Mail Check Test CA"));
  g_assert_nonnull (ui_test_find_label (certificate, result->certificate->sha256));
  g_assert_cmpuint (strlen (result->certificate->sha256), ==, 95);
  g_assert_nonnull (mc_result_view_get_detail_row (fixture.view, "encryption"));
  g_assert_nonnull (ui_test_find_label (mc_result_view_get_detail_row (fixture.view, "encryption"), "TLS 1."));
  g_assert_nonnull (mc_result_view_get_detail_row (fixture.view, "transcript"));
  g_assert_null (ui_test_find_label (GTK_WIDGET (fixture.window), PASSWORD));

  /* The one login went inside TLS, and the window said goodbye. */
  fake_server_finish (fixture.server);
  g_assert_true (fake_server_tls_established (fixture.server));
  g_assert_cmpuint (fake_server_count_commands (fixture.server, FAKE_PHASE_TLS, "AUTHENTICATE "), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (fixture.server, FAKE_PHASE_TLS, "LOGOUT$"), ==, 1);

  ui_test_fixture_teardown (&fixture);
}

static void
test_wrong_password_explains (void)
{
  UiTestFixture fixture = { 0 };
  McStepRow *row;
  GtkWidget *advice;
  GtkWidget *topic;
  g_autoptr(GVariant) target = NULL;

  if (!setup (&fixture, fake_imap_server_new (FAKE_MODE_TLS)))
    return;

  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, "not-the-password");
  ui_test_run_to_end (fixture.page);

  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection does not work.");
  g_assert_false (mc_result_view_get_e2e_note_visible (fixture.view));
  row = ui_test_step_row (fixture.view, MC_STEP_LOGIN);
  g_assert_nonnull (row);
  g_assert_cmpint (mc_step_row_get_status (row), ==, MC_STEP_STATUS_FAILED);

  advice = ui_test_advice_row (fixture.view, "authentication-failed");
  g_assert_nonnull (advice);
  g_assert_nonnull (ui_test_find_label (advice, "The server rejected the user name or password"));
  /* The advice links to the help topic about user name and password. */
  topic = ui_test_find_named (advice, "topic-button");
  g_assert_nonnull (topic);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (topic)), ==, "win.show-faq");
  target = g_variant_ref (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (topic)));
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "login");
  ui_test_click (topic);
  g_assert_true (mc_window_get_faq_visible (fixture.window));

  ui_test_fixture_teardown (&fixture);
}

static gboolean
step_running (gpointer data)
{
  McResultView *view = data;

  return mc_result_view_get_n_steps (view) > 0 &&
         mc_step_row_get_status (mc_result_view_get_step_row (view, mc_result_view_get_n_steps (view) - 1)) ==
         MC_STEP_STATUS_RUNNING &&
         mc_step_row_get_step_id (mc_result_view_get_step_row (view, mc_result_view_get_n_steps (view) - 1)) ==
         MC_STEP_GREETING;
}

static void
test_cancel_keeps_steps (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *empty;
  gint64 started;

  if (!setup (&fixture, fake_stalling_server_new (FAKE_PROTOCOL_IMAP)))
    return;

  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
  ui_test_click (ui_test_find_named (GTK_WIDGET (fixture.page), "test-button"));

  /* The server has finished the handshake and now says nothing. */
  g_assert_true (ui_test_wait_until (step_running, fixture.view, 10000));
  g_assert_true (ui_test_inputs_locked (fixture.page));

  started = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.escape", NULL);
  g_assert_true (ui_test_wait_until (ui_test_page_idle, fixture.page, 1000));
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);

  g_assert_false (ui_test_inputs_locked (fixture.page));
  g_assert_false (ui_test_inputs_locked (mc_window_get_page (fixture.window, MC_PROTOCOL_POP3)));
  g_assert_true (gtk_widget_is_sensitive (ui_test_find_named (GTK_WIDGET (fixture.page), "test-button")));
  /* "Test cancelled" with the steps done so far, never "Not tested yet"; and
   * the late result of the old check never shows. */
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "Test cancelled");
  g_assert_cmpuint (mc_result_view_get_n_steps (fixture.view), >=, 3);
  g_assert_cmpint (mc_step_row_get_status (ui_test_step_row (fixture.view, MC_STEP_TLS)), ==,
                   MC_STEP_STATUS_OK);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture.view), "Cancelled before this step finished."));
  empty = ui_test_find_label (GTK_WIDGET (fixture.view), "Not tested yet");
  g_assert_true (empty == NULL || !gtk_widget_get_visible (empty));
  ui_test_wait_ms (300);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "Test cancelled");
  g_assert_null (mc_result_view_get_result (fixture.view));

  /* With the window still open: Cancel itself closed the connection (else
   * finishing waits and notes it), before any credentials went out. */
  fake_server_finish (fixture.server);
  g_assert_null (fake_server_get_script_error (fixture.server));
  fake_server_assert_no_credentials (fixture.server, ADDRESS, PASSWORD);

  ui_test_fixture_teardown (&fixture);
}

/* Whether @report starts with @version_line and the date of this or the
 * previous minute, written as the English report writes it. */
static gboolean
heading_dated_now (const char *report,
                   const char *version_line)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  for (int minutes = 0; minutes >= -1; minutes--)
    {
      g_autoptr(GDateTime) moment = g_date_time_add_minutes (now, minutes);
      g_autofree char *date = g_date_time_format (moment, "%B %-d, %Y, %H:%M");
      g_autofree char *heading = g_strdup_printf ("%s — report of %s\n", version_line, date);

      if (g_str_has_prefix (report, heading))
        return TRUE;
    }
  g_test_message ("report begins: %.80s", report);
  return FALSE;
}

static void
test_report_has_no_password (void)
{
  UiTestFixture fixture = { 0 };
  g_autofree char *copied = NULL;
  g_autofree char *json = NULL;
  g_autofree char *version_line = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) created = NULL;
  JsonObject *root;

  if (!setup (&fixture, fake_imap_server_new (FAKE_MODE_TLS)))
    return;

  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
  ui_test_run_to_end (fixture.page);
  g_assert_nonnull (mc_result_view_get_result (fixture.view));

  /* What lands on the clipboard when the user chooses Copy Report. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.view), "result.copy", NULL));
  copied = ui_test_clipboard_text (GTK_WIDGET (fixture.view));

  version_line = g_strdup_printf ("Netzprisma Mail Check %s", PACKAGE_VERSION);
  g_assert_true (g_str_has_prefix (copied, version_line));
  /* The heading gives the date for people to read; only the JSON keeps ISO 8601. */
  g_assert_true (heading_dated_now (copied, version_line));
  g_assert_nonnull (strstr (copied, "IMAP test of 127.0.0.1"));
  g_assert_nonnull (strstr (copied, ADDRESS));
  g_assert_nonnull (strstr (copied, "The connection works."));
  g_assert_nonnull (strstr (copied, "AUTHENTICATE PLAIN [credentials hidden]"));
  g_assert_null (strstr (copied, PASSWORD));

  json = mc_report_export_json (mc_result_view_get_result (fixture.view), NULL);
  g_assert_null (strstr (json, PASSWORD));
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "verdict"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "app"), "version"),
                   ==, PACKAGE_VERSION);
  created = g_date_time_new_from_iso8601 (json_object_get_string_member (json_object_get_object_member (root, "app"),
                                                                       "created"), NULL);
  g_assert_nonnull (created);

  ui_test_fixture_teardown (&fixture);
}

static void
test_fix_button_applies_advice (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *advice;
  g_autofree char *port = NULL;
  guint logins;

  /* A server that starts unencrypted, tested with SSL/TLS: the engine tells the
   * user to switch to STARTTLS and offers the fix. */
  if (!setup (&fixture, fake_imap_server_new (FAKE_MODE_STARTTLS)))
    return;

  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
  port = g_strdup (gtk_editable_get_text (ui_test_field (fixture.page, "port")));
  ui_test_run_to_end (fixture.page);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection does not work.");

  advice = ui_test_advice_row (fixture.view, "use-starttls");
  for (guint i = 0; advice == NULL && i < mc_result_view_get_n_advice (fixture.view); i++)
    g_test_message ("advice: %s", gtk_widget_get_name (mc_result_view_get_advice_row (fixture.view, i)));
  g_assert_nonnull (advice);
  g_assert_nonnull (ui_test_find_named (advice, "topic-button"));
  logins = fake_server_count_logins_now (fixture.server);
  /* A fix is a click that asks for a test, and says so. */
  ui_test_click_fix (advice, "Switch to STARTTLS and Test");

  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (fixture.page)), ==, MC_SECURITY_STARTTLS);
  /* The port was typed by the user, so it stays. */
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (fixture.page, "port")), ==, port);
  /* The click ran the test once, with the fixed settings: one login. */
  g_assert_true (mc_account_page_get_running (fixture.page));
  g_assert_true (ui_test_wait_until (ui_test_page_idle, fixture.page, 20000));
  g_assert_cmpuint (fake_server_count_logins_now (fixture.server), ==, logins + 1);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection works.");
  g_assert_nonnull (ui_test_step_row (fixture.view, MC_STEP_STARTTLS));
  /* The greeting came before encryption, and the window says so. */
  g_assert_cmpstr (mc_step_row_get_server_note (ui_test_step_row (fixture.view, MC_STEP_GREETING)), ==,
                   "Server reply — received unencrypted, could be forged:");

  /* Enter in a field starts the test, like the button. */
  g_signal_emit_by_name (ui_test_field (fixture.page, "host"), "entry-activated");
  g_assert_true (mc_account_page_get_running (fixture.page));
  g_assert_true (ui_test_wait_until (ui_test_page_idle, fixture.page, 20000));
  g_assert_cmpuint (fake_server_count_logins_now (fixture.server), ==, logins + 2);

  ui_test_fixture_teardown (&fixture);
}

static void
test_port_follows_security (void)
{
  UiTestFixture fixture = { 0 };
  McAccountPage *smtp;
  GtkWidget *hint;

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_IMAP))
    return;

  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (fixture.page, "host")), ==, "mail01.netzprisma.de");
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (fixture.page)), ==, MC_SECURITY_TLS);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (fixture.page, "port")), ==, "993");
  mc_account_form_set_security (mc_account_page_get_form (fixture.page), MC_SECURITY_STARTTLS);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (fixture.page, "port")), ==, "143");
  g_assert_cmpuint (ui_test_n_hints (fixture.page), ==, 0);

  /* A typed port stays, and a known-wrong pair is pointed out with its fix. */
  gtk_editable_set_text (ui_test_field (fixture.page, "port"), "993");
  hint = ui_test_shown_hint (fixture.page, "use-implicit-tls",
                             "Port 993 expects encryption from the first byte.");
  ui_test_click_fix (hint, "Use SSL/TLS");
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (fixture.page)), ==, MC_SECURITY_TLS);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (fixture.page, "port")), ==, "993");
  g_assert_cmpuint (ui_test_n_hints (fixture.page), ==, 0);

  smtp = mc_window_get_page (fixture.window, MC_PROTOCOL_SMTP);
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (smtp)), ==, MC_SECURITY_STARTTLS);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "port")), ==, "587");
  gtk_editable_set_text (ui_test_field (smtp, "port"), "465");
  mc_account_form_set_security (mc_account_page_get_form (smtp), MC_SECURITY_STARTTLS);
  /* 465 is not on the provider's help page: the hint leads to 587, never to 465. */
  hint = ui_test_shown_hint (smtp, "use-starttls", "Port 465 expects encryption from the first byte.");
  g_assert_nonnull (ui_test_find_label (hint, "Use port 587 with STARTTLS, as Netzprisma recommends."));
  mc_account_form_set_security (mc_account_page_get_form (smtp), MC_SECURITY_TLS);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "port")), ==, "465");
  g_assert_nonnull (ui_test_hint (smtp, "provider-settings-differ"));
  g_assert_cmpuint (ui_test_n_hints (smtp), ==, 1);

  /* The user name follows the address until the user types another one. */
  gtk_editable_set_text (ui_test_field (fixture.page, "email"), "bo@example.de");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "user")), ==, "bo@example.de");
  gtk_editable_set_text (ui_test_field (smtp, "user"), "bo");
  gtk_editable_set_text (ui_test_field (fixture.page, "email"), "bob@example.de");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "user")), ==, "bo");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (fixture.page, "user")), ==, "bob@example.de");

  ui_test_fixture_teardown (&fixture);
}

static void
test_invalid_port_is_explained (void)
{
  UiTestFixture fixture = { 0 };

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_IMAP))
    return;

  gtk_editable_set_text (ui_test_field (fixture.page, "port"), "99999");
  g_assert_nonnull (ui_test_find_label (ui_test_hint (fixture.page, "invalid-port"),
                                        "The port must be a number from 1 to 65535."));
  ui_test_click (ui_test_find_named (GTK_WIDGET (fixture.page), "test-button"));
  g_assert_false (mc_account_page_get_running (fixture.page));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture.page), "The port must be a number from 1 to 65535."));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (ui_test_field (fixture.page, "port")), "error"));

  ui_test_fixture_teardown (&fixture);
}

static void
test_settings_remembered_without_password (void)
{
  UiTestFixture fixture = { 0 };
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  McAccountPage *page;

  if (ui_test_skip_without_display () || !(schema = ui_test_settings_schema ()))
    return;

  ui_test_reset_settings ();
  fixture.window = mc_window_new (NULL);
  gtk_window_present (GTK_WINDOW (fixture.window));
  page = mc_window_get_page (fixture.window, MC_PROTOCOL_POP3);
  gtk_editable_set_text (ui_test_field (page, "email"), ADDRESS);
  gtk_editable_set_text (ui_test_field (page, "password"), PASSWORD);
  gtk_editable_set_text (ui_test_field (page, "host"), "pop.example.de");
  mc_account_form_set_security (mc_account_page_get_form (page), MC_SECURITY_STARTTLS);
  gtk_editable_set_text (ui_test_field (page, "user"), "anna");
  mc_window_set_visible_page (fixture.window, MC_PROTOCOL_POP3);
  gtk_window_close (GTK_WINDOW (fixture.window));
  ui_test_wait_ms (20);

  settings = g_settings_new (APP_ID);
  g_assert_cmpstr (g_settings_get_string (settings, "email"), ==, ADDRESS);
  g_assert_cmpstr (g_settings_get_string (settings, "pop3-host"), ==, "pop.example.de");
  g_assert_cmpstr (g_settings_get_string (settings, "pop3-security"), ==, "starttls");
  g_assert_cmpint (g_settings_get_int (settings, "pop3-port"), ==, 0);
  g_assert_cmpstr (g_settings_get_string (settings, "pop3-user"), ==, "anna");
  g_assert_cmpstr (g_settings_get_string (settings, "last-page"), ==, "pop3");
  {
    g_auto(GStrv) keys = g_settings_schema_list_keys (schema);

    for (guint i = 0; keys[i] != NULL; i++)
      {
        g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
        g_autofree char *text = g_variant_print (value, FALSE);

        g_assert_null (strstr (text, PASSWORD));
      }
  }

  fixture.window = mc_window_new (NULL);
  page = mc_window_get_page (fixture.window, MC_PROTOCOL_POP3);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (page, "email")), ==, ADDRESS);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (page, "password")), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (page, "host")), ==, "pop.example.de");
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (page)), ==, MC_SECURITY_STARTTLS);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (page, "port")), ==, "110");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (page, "user")), ==, "anna");
  g_assert_true (mc_window_get_visible_page (fixture.window) == page);

  ui_test_fixture_teardown (&fixture);
}

/* The security row's items, written out (not derived from the enum) so that a
 * list in the template that drifts from McSecurity's order fails here. A new
 * choice field needs its own line. */
static const struct {
  const char *field;
  int         value;
  guint       index;
  const char *label;
} choices[] = {
  { "security", MC_SECURITY_TLS, 0, "SSL/TLS" },
  { "security", MC_SECURITY_STARTTLS, 1, "STARTTLS" },
  { "security", MC_SECURITY_NONE, 2, "None" },
};

static guint
choice_index (const char *field,
              int         value)
{
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    if (g_str_equal (choices[i].field, field) && choices[i].value == value)
      return i;
  g_error ("No row item written out for %s = %d", field, value);
}

static GtkSwitch *
row_switch (GtkWidget *row)
{
  return GTK_SWITCH (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
}

/* Sets a field of the form through its row, as the user does. */
static void
set_row_value (GtkWidget    *row,
               const char   *field,
               const GValue *value)
{
  if (GTK_IS_EDITABLE (row))
    gtk_editable_set_text (GTK_EDITABLE (row), g_value_get_string (value));
  else if (ADW_IS_COMBO_ROW (row))
    adw_combo_row_set_selected (ADW_COMBO_ROW (row), choices[choice_index (field, g_value_get_enum (value))].index);
  else
    gtk_switch_set_active (row_switch (row), g_value_get_boolean (value));
}

/* What the row shows is @value, in the words of the row. */
static void
assert_row_shows (GtkWidget    *row,
                  const char   *field,
                  const GValue *value)
{
  if (GTK_IS_EDITABLE (row))
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, g_value_get_string (value));
  else if (ADW_IS_COMBO_ROW (row))
    {
      guint i = choice_index (field, g_value_get_enum (value));
      GtkStringObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (row));

      g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, choices[i].index);
      g_assert_cmpstr (gtk_string_object_get_string (item), ==, choices[i].label);
    }
  else
    g_assert_true (gtk_switch_get_active (row_switch (row)) == g_value_get_boolean (value));
}

/* A value of the field's type other than @value. */
static void
other_value (GValue     *value,
             const char *field,
             guint       round)
{
  if (G_VALUE_HOLDS_STRING (value))
    {
      g_autofree char *text = g_str_equal (field, "port") ? g_strdup_printf ("%u", 4242 + round)
                                                          : g_strdup_printf ("changed-%u", round);

      g_value_set_string (value, text);
    }
  else if (G_VALUE_HOLDS_BOOLEAN (value))
    g_value_set_boolean (value, !g_value_get_boolean (value));
  else
    g_value_set_enum (value, (g_value_get_enum (value) + 1) % (MC_SECURITY_NONE + 1));
}

/* One field: set in the row, the form has it; set in the form, the row shows it. */
static void
check_field_binding (McAccountForm *form,
                     GtkWidget     *row,
                     GParamSpec    *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) back = G_VALUE_INIT;

  g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_value_init (&back, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_object_get_property (G_OBJECT (form), pspec->name, &value);
  assert_row_shows (row, pspec->name, &value);

  other_value (&value, pspec->name, 1);
  set_row_value (row, pspec->name, &value);
  g_object_get_property (G_OBJECT (form), pspec->name, &back);
  g_assert_true (g_param_values_cmp (pspec, &value, &back) == 0);

  other_value (&value, pspec->name, 2);
  g_object_set_property (G_OBJECT (form), pspec->name, &value);
  assert_row_shows (row, pspec->name, &value);
}

/* Every field of every page's form has its row, shown only where the form has
 * the field, and the two follow each other both ways. */
static void
test_every_field_has_its_row (void)
{
  McWindow *window;

  if (ui_test_skip_without_display ())
    return;

  ui_test_reset_settings ();
  window = mc_window_new (NULL);
  for (McProtocol protocol = MC_PROTOCOL_POP3; protocol <= MC_PROTOCOL_SMTP; protocol++)
    {
      McAccountPage *page = mc_window_get_page (window, protocol);
      McAccountForm *form = mc_account_page_get_form (page);
      g_autofree GParamSpec **pspecs = NULL;
      guint n = 0;
      guint fields = 0;

      pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (form), &n);
      for (guint i = 0; i < n; i++)
        {
          GtkWidget *row = ui_test_find_named (GTK_WIDGET (page), pspecs[i]->name);

          if ((pspecs[i]->flags & MC_ACCOUNT_FORM_FIELD) == 0)
            continue;
          g_test_message ("%s: %s", mc_protocol_to_string (protocol), pspecs[i]->name);
          g_assert_nonnull (row);
          g_assert_true (gtk_widget_get_visible (row) == mc_account_form_has_field (form, pspecs[i]->name));
          check_field_binding (form, row, pspecs[i]);
          fields++;
        }
      g_assert_cmpuint (fields, >=, 6);
    }
  ui_test_destroy_window (GTK_WINDOW (window));
  ui_test_reset_settings ();
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/mailcheck/ui/imap/success-shows-steps-and-certificate", test_success_shows_steps_and_certificate);
  g_test_add_func ("/mailcheck/ui/imap/wrong-password-explains", test_wrong_password_explains);
  g_test_add_func ("/mailcheck/ui/imap/cancel-keeps-steps-done", test_cancel_keeps_steps);
  g_test_add_func ("/mailcheck/ui/imap/fix-button-applies-advice", test_fix_button_applies_advice);
  g_test_add_func ("/mailcheck/ui/report/copy-has-no-password", test_report_has_no_password);
  g_test_add_func ("/mailcheck/ui/form/port-follows-security", test_port_follows_security);
  g_test_add_func ("/mailcheck/ui/form/invalid-port-is-explained", test_invalid_port_is_explained);
  g_test_add_func ("/mailcheck/ui/settings/remembered-without-password", test_settings_remembered_without_password);
  g_test_add_func ("/mailcheck/ui/form/every-field-has-its-row", test_every_field_has_its_row);

  return g_test_run ();
}
