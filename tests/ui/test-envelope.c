/* test-envelope.c: "Also check that this address may send" on the SMTP page,
 * against the core tests' fake SMTP server on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-envelope"

#include "config.h"

#include <string.h>

#include "fake-server.h"
#include "mc-window.h"
#include "ui-test-util.h"

/* @sender_reply: the answer to MAIL FROM. */
static gboolean
setup (UiTestFixture *fixture,
       const char    *sender_reply)
{
  FakeServer *server = fake_smtp_server_new (FAKE_MODE_TLS);

  fake_server_on (server, FAKE_PHASE_TLS, "MAIL FROM:", fake_send (sender_reply), NULL);
  fake_server_on (server, FAKE_PHASE_TLS, "RCPT TO:", fake_send ("250 2.1.5 Ok\r\n"), NULL);
  fake_server_on (server, FAKE_PHASE_TLS, "RSET$", fake_send ("250 2.0.0 Ok\r\n"), NULL);
  if (!ui_test_fixture_setup (fixture, server, MC_PROTOCOL_SMTP))
    return FALSE;
  ui_test_fill_form (fixture, MC_SECURITY_TLS, FAKE_USER, FAKE_PASSWORD);
  return TRUE;
}

static gboolean
is_switch (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_SWITCH (widget);
}

static GtkSwitch *
envelope_switch (UiTestFixture *fixture)
{
  GtkWidget *row = ui_test_find_named (GTK_WIDGET (fixture->page), "envelope");
  GtkWidget *found;

  g_assert_nonnull (row);
  found = ui_test_find (row, is_switch, NULL);
  g_assert_nonnull (found);
  return GTK_SWITCH (found);
}

/* On by default, only on the SMTP page; the test then has the two envelope steps. */
static void
test_envelope_on_by_default (void)
{
  UiTestFixture fixture = { 0 };
  McStepRow *sender;

  if (!setup (&fixture, "250 2.1.0 Ok\r\n"))
    return;

  g_assert_true (gtk_widget_get_visible (ui_test_find_named (GTK_WIDGET (fixture.page), "envelope")));
  g_assert_true (gtk_switch_get_active (envelope_switch (&fixture)));
  g_assert_false (gtk_widget_get_visible (ui_test_find_named (GTK_WIDGET (mc_window_get_page (fixture.window,
                                                                                              MC_PROTOCOL_IMAP)),
                                                              "envelope")));

  ui_test_run_to_end (fixture.page);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection works.");
  sender = ui_test_step_row (fixture.view, MC_STEP_SENDER);
  g_assert_nonnull (sender);
  g_assert_cmpint (mc_step_row_get_status (sender), ==, MC_STEP_STATUS_OK);
  g_assert_nonnull (ui_test_step_row (fixture.view, MC_STEP_RECIPIENT));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture.view), "Sender address"));

  /* Never a message: no DATA. */
  g_assert_cmpuint (fake_server_count_commands (fixture.server, FAKE_PHASE_TLS, "RCPT TO:"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (fixture.server, FAKE_PHASE_ANY, "DATA"), ==, 0);
  ui_test_fixture_teardown (&fixture);
}

/* Off: no envelope, and switching makes the shown result outdated; the choice
 * is remembered. */
static void
test_envelope_switch_off (void)
{
  UiTestFixture fixture = { 0 };
  g_autoptr(GSettings) settings = NULL;

  if (!setup (&fixture, "250 2.1.0 Ok\r\n"))
    return;

  ui_test_run_to_end (fixture.page);
  g_assert_nonnull (ui_test_step_row (fixture.view, MC_STEP_SENDER));

  gtk_switch_set_active (envelope_switch (&fixture), FALSE);
  g_assert_false (mc_account_form_get_envelope (mc_account_page_get_form (fixture.page)));
  g_assert_true (mc_result_view_get_outdated (fixture.view));

  ui_test_run_to_end (fixture.page);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection works.");
  g_assert_null (ui_test_step_row (fixture.view, MC_STEP_SENDER));
  g_assert_null (ui_test_step_row (fixture.view, MC_STEP_RECIPIENT));

  gtk_window_close (GTK_WINDOW (fixture.window));
  fixture.window = mc_window_new (NULL);
  settings = g_settings_new (APP_ID);
  g_assert_false (g_settings_get_boolean (settings, "smtp-envelope"));
  g_assert_false (mc_account_form_get_envelope (mc_account_page_get_form (mc_window_get_page (fixture.window,
                                                                                               MC_PROTOCOL_SMTP))));

  g_assert_cmpuint (fake_server_count_commands (fixture.server, FAKE_PHASE_TLS, "MAIL FROM:"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (fixture.server, FAKE_PHASE_ANY, "DATA"), ==, 0);
  ui_test_fixture_teardown (&fixture);
}

/* An address the login may not send from: the advice says so, beside the
 * server's own words, and the verdict is not "works". */
static void
test_sender_refused (void)
{
  UiTestFixture fixture = { 0 };

  if (!setup (&fixture, "553 5.7.1 <alice@example.test>: Sender address rejected: not owned by user\r\n"))
    return;

  ui_test_run_to_end (fixture.page);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), !=, "The connection works.");
  g_assert_nonnull (ui_test_advice_row (fixture.view, "sender-not-permitted"));
  g_assert_cmpint (mc_step_row_get_status (ui_test_step_row (fixture.view, MC_STEP_SENDER)), ==,
                   MC_STEP_STATUS_FAILED);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture.view), "not owned by user"));

  ui_test_fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  if (!ui_test_init (&argc, &argv))
    return 77;

  g_test_add_func ("/mailcheck/ui/envelope/on-by-default", test_envelope_on_by_default);
  g_test_add_func ("/mailcheck/ui/envelope/switch-off", test_envelope_switch_off);
  g_test_add_func ("/mailcheck/ui/envelope/sender-refused", test_sender_refused);

  return g_test_run ();
}
