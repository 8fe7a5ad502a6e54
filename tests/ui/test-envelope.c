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

typedef struct
{
  FakeServer    *server;
  McWindow      *window;
  McAccountPage *page;
  McResultView  *view;
} Fixture;

/* @sender_reply: the answer to MAIL FROM. */
static gboolean
setup (Fixture    *fixture,
       const char *sender_reply)
{
  g_autofree char *ca = ui_test_cert_path ("ca.pem");
  g_autofree char *port = NULL;

  if (ui_test_skip_without_display ())
    return FALSE;

  ui_test_reset_settings ();
  fixture->server = fake_smtp_server_new (FAKE_MODE_TLS);
  fake_server_on (fixture->server, FAKE_PHASE_TLS, "MAIL FROM:", fake_send (sender_reply), NULL);
  fake_server_on (fixture->server, FAKE_PHASE_TLS, "RCPT TO:", fake_send ("250 2.1.5 Ok\r\n"), NULL);
  fake_server_on (fixture->server, FAKE_PHASE_TLS, "RSET$", fake_send ("250 2.0.0 Ok\r\n"), NULL);
  port = g_strdup_printf ("%u", fake_server_start (fixture->server));

  fixture->window = mc_window_new (NULL);
  mc_window_set_ca_file (fixture->window, ca);
  fixture->page = mc_window_get_page (fixture->window, MC_PROTOCOL_SMTP);
  fixture->view = ui_test_result_view (fixture->page);
  mc_window_set_visible_page (fixture->window, MC_PROTOCOL_SMTP);
  gtk_window_present (GTK_WINDOW (fixture->window));

  gtk_editable_set_text (ui_test_field (fixture->page, "email"), FAKE_USER);
  gtk_editable_set_text (ui_test_field (fixture->page, "password"), FAKE_PASSWORD);
  gtk_editable_set_text (ui_test_field (fixture->page, "host"), "127.0.0.1");
  mc_account_form_set_security (mc_account_page_get_form (fixture->page), MC_SECURITY_TLS);
  gtk_editable_set_text (ui_test_field (fixture->page, "port"), port);
  return TRUE;
}

static void
teardown (Fixture *fixture)
{
  ui_test_destroy_window (GTK_WINDOW (fixture->window));
  ui_test_wait_ms (20);
  fake_server_finish (fixture->server);
  g_clear_pointer (&fixture->server, fake_server_free);
}

static gboolean
page_idle (gpointer data)
{
  return !mc_account_page_get_running (MC_ACCOUNT_PAGE (data));
}

static void
run_to_end (Fixture *fixture)
{
  g_signal_emit_by_name (ui_test_find_named (GTK_WIDGET (fixture->page), "test-button"), "clicked");
  g_assert_true (mc_account_page_get_running (fixture->page));
  g_assert_true (ui_test_wait_until (page_idle, fixture->page, 20000));
}

static McStepRow *
find_step (McResultView *view,
           McStepId      id)
{
  for (guint i = 0; i < mc_result_view_get_n_steps (view); i++)
    {
      McStepRow *row = mc_result_view_get_step_row (view, i);

      if (mc_step_row_get_step_id (row) == id)
        return row;
    }
  return NULL;
}

static GtkWidget *
find_switch (GtkWidget *root)
{
  if (GTK_IS_SWITCH (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_switch (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkSwitch *
envelope_switch (Fixture *fixture)
{
  GtkWidget *row = ui_test_find_named (GTK_WIDGET (fixture->page), "envelope");
  GtkWidget *found;

  g_assert_nonnull (row);
  found = find_switch (row);
  g_assert_nonnull (found);
  return GTK_SWITCH (found);
}

/* On by default, only on the SMTP page; the test then has the two envelope steps. */
static void
test_envelope_on_by_default (void)
{
  Fixture fixture = { 0 };
  McStepRow *sender;

  if (!setup (&fixture, "250 2.1.0 Ok\r\n"))
    return;

  g_assert_true (gtk_widget_get_visible (ui_test_find_named (GTK_WIDGET (fixture.page), "envelope")));
  g_assert_true (gtk_switch_get_active (envelope_switch (&fixture)));
  g_assert_false (gtk_widget_get_visible (ui_test_find_named (GTK_WIDGET (mc_window_get_page (fixture.window,
                                                                                              MC_PROTOCOL_IMAP)),
                                                              "envelope")));

  run_to_end (&fixture);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection works.");
  sender = find_step (fixture.view, MC_STEP_SENDER);
  g_assert_nonnull (sender);
  g_assert_cmpint (mc_step_row_get_status (sender), ==, MC_STEP_STATUS_OK);
  g_assert_nonnull (find_step (fixture.view, MC_STEP_RECIPIENT));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture.view), "Sender address"));

  gtk_window_destroy (GTK_WINDOW (fixture.window));
  fake_server_finish (fixture.server);
  /* Never a message: no DATA. */
  g_assert_cmpuint (fake_server_count_commands (fixture.server, FAKE_PHASE_TLS, "RCPT TO:"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (fixture.server, FAKE_PHASE_ANY, "DATA"), ==, 0);
  g_clear_pointer (&fixture.server, fake_server_free);
}

/* Off: no envelope, and switching makes the shown result outdated; the choice
 * is remembered. */
static void
test_envelope_switch_off (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GSettings) settings = NULL;

  if (!setup (&fixture, "250 2.1.0 Ok\r\n"))
    return;

  run_to_end (&fixture);
  g_assert_nonnull (find_step (fixture.view, MC_STEP_SENDER));

  gtk_switch_set_active (envelope_switch (&fixture), FALSE);
  g_assert_false (mc_account_form_get_envelope (mc_account_page_get_form (fixture.page)));
  g_assert_true (mc_result_view_get_outdated (fixture.view));

  run_to_end (&fixture);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection works.");
  g_assert_null (find_step (fixture.view, MC_STEP_SENDER));
  g_assert_null (find_step (fixture.view, MC_STEP_RECIPIENT));

  gtk_window_close (GTK_WINDOW (fixture.window));
  fixture.window = mc_window_new (NULL);
  settings = g_settings_new (APP_ID);
  g_assert_false (g_settings_get_boolean (settings, "smtp-envelope"));
  g_assert_false (mc_account_form_get_envelope (mc_account_page_get_form (mc_window_get_page (fixture.window,
                                                                                               MC_PROTOCOL_SMTP))));

  gtk_window_destroy (GTK_WINDOW (fixture.window));
  fake_server_finish (fixture.server);
  g_assert_cmpuint (fake_server_count_commands (fixture.server, FAKE_PHASE_TLS, "MAIL FROM:"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (fixture.server, FAKE_PHASE_ANY, "DATA"), ==, 0);
  g_clear_pointer (&fixture.server, fake_server_free);
}

/* An address the login may not send from: the advice says so, beside the
 * server's own words, and the verdict is not "works". */
static void
test_sender_refused (void)
{
  Fixture fixture = { 0 };
  GtkWidget *advice = NULL;

  if (!setup (&fixture, "553 5.7.1 <alice@example.test>: Sender address rejected: not owned by user\r\n"))
    return;

  run_to_end (&fixture);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), !=, "The connection works.");
  for (guint i = 0; i < mc_result_view_get_n_advice (fixture.view); i++)
    {
      GtkWidget *row = mc_result_view_get_advice_row (fixture.view, i);

      if (g_strcmp0 (gtk_widget_get_name (row), "sender-not-permitted") == 0)
        advice = row;
    }
  g_assert_nonnull (advice);
  g_assert_cmpint (mc_step_row_get_status (find_step (fixture.view, MC_STEP_SENDER)), ==, MC_STEP_STATUS_FAILED);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture.view), "not owned by user"));

  teardown (&fixture);
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
