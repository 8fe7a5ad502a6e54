/* test-honest.c: everything on screen is true for the form on screen
 *
 * One test per finding of the review behind issue 13, each asserting what the
 * customer sees: verdict text and style, advice and buttons, focus. Servers
 * are the fake IMAP server on 127.0.0.1; a search runs against an unused
 * loopback address, where every port refuses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-honest"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fake-server.h"
#include "mc-report-export.h"
#include "mc-window.h"
#include "ui-test-util.h"

/* The fake server's account: it takes this address and password, nothing else. */
#define PASSWORD FAKE_PASSWORD
#define ADDRESS  FAKE_USER

/* @cert_name: the certificate (in tests/certs) of implicit TLS. */
static gboolean
setup_with_cert (UiTestFixture *fixture,
                 FakeMode       mode,
                 const char    *cert_name,
                 McProtocol     protocol)
{
  FakeServer *server = fake_imap_server_new (mode);

  if (mode == FAKE_MODE_TLS)
    {
      fake_server_clear_on_connect (server);
      fake_server_on_connect (server, fake_start_tls (cert_name), fake_send_greeting (), NULL);
    }
  if (!ui_test_fixture_setup (fixture, server, protocol))
    return FALSE;
  ui_test_wait_ms (50);
  return TRUE;
}

static gboolean
setup (UiTestFixture *fixture,
       FakeMode       mode)
{
  return setup_with_cert (fixture, mode, "good", MC_PROTOCOL_IMAP);
}

static GtkWidget *
verdict (UiTestFixture *fixture)
{
  GtkWidget *box = ui_test_find_named (GTK_WIDGET (fixture->view), "verdict");

  g_assert_nonnull (box);
  return box;
}

static GtkWidget *
focus_widget (UiTestFixture *fixture)
{
  return gtk_root_get_focus (GTK_ROOT (fixture->window));
}

/* The focus is on @widget or inside it. */
static gboolean
focus_in (UiTestFixture *fixture,
          GtkWidget     *widget)
{
  GtkWidget *focus = focus_widget (fixture);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static guint
n_fix_buttons (McResultView *view)
{
  guint n = 0;

  for (guint i = 0; i < mc_result_view_get_n_advice (view); i++)
    {
      if (ui_test_find_named (mc_result_view_get_advice_row (view, i), "fix-button") != NULL)
        n++;
    }
  return n;
}

/* 1. A test without a password is no success: the headline says what was not
 * tested, in the neutral style, and its button leads to the password. */
static void
test_login_not_tested (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *button;

  if (!setup (&fixture, FAKE_MODE_TLS))
    return;

  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, "");
  ui_test_run_to_end (fixture.page);

  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==,
                   "Server reachable and encrypted — login not tested");
  g_assert_true (gtk_widget_has_css_class (verdict (&fixture), "verdict-neutral"));
  g_assert_false (gtk_widget_has_css_class (verdict (&fixture), "verdict-success"));
  g_assert_nonnull (ui_test_advice_row (fixture.view, "login-not-tested"));
  g_assert_cmpuint (fake_server_count_logins_now (fixture.server), ==, 0);
  /* No card of values to enter: nothing has been shown to work. */
  g_assert_false (gtk_widget_get_visible (ui_test_find_named (GTK_WIDGET (fixture.view), "client-card")));

  /* 10. After the test the focus is on the verdict, which names itself. */
  g_assert_true (focus_in (&fixture, verdict (&fixture)));

  button = ui_test_find_named (GTK_WIDGET (fixture.view), "verdict-button");
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Enter Pass_word");
  ui_test_click (button);
  g_assert_true (focus_in (&fixture, GTK_WIDGET (ui_test_field (fixture.page, "password"))));

  /* Not even an empty login: the server saw none up to the end. */
  fake_server_finish (fixture.server);
  g_assert_cmpuint (fake_server_count_logins_now (fixture.server), ==, 0);

  ui_test_fixture_teardown (&fixture);
}

static void
assert_outdated (UiTestFixture *fixture,
                 const char    *what)
{
  GtkWidget *steps = ui_test_find_named (GTK_WIDGET (fixture->view), "steps");

  g_test_message ("after editing %s", what);
  g_assert_true (mc_result_view_get_outdated (fixture->view));
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture->view), ==,
                   "Settings changed since the last test — test again to check them.");
  g_assert_true (gtk_widget_has_css_class (verdict (fixture), "verdict-neutral"));
  /* The old advice and its fix buttons are gone; the steps stay, marked as old. */
  g_assert_cmpuint (mc_result_view_get_n_advice (fixture->view), ==, 0);
  g_assert_cmpuint (n_fix_buttons (fixture->view), ==, 0);
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (steps)), ==,
                   "Last Test (with the Old Settings)");
  g_assert_true (gtk_widget_has_css_class (steps, "outdated"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (ui_test_find_named (GTK_WIDGET (fixture->view),
                                                                         "verdict-button"))),
                   ==, "Test A_gain");
}

/* 2. Every field the result depended on makes it outdated at once. */
static void
test_edit_marks_result_outdated (void)
{
  static const char *fields[] = { "port", "host", "user", "password", "security" };
  UiTestFixture fixture = { 0 };

  if (!setup (&fixture, FAKE_MODE_STARTTLS))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *port = NULL;

      /* A failed test with advice and a fix button … */
      ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
      ui_test_run_to_end (fixture.page);
      g_assert_false (mc_result_view_get_outdated (fixture.view));
      g_assert_cmpuint (n_fix_buttons (fixture.view), ==, 1);

      /* … and one edit. */
      if (g_str_equal (fields[i], "security"))
        mc_account_form_set_security (mc_account_page_get_form (fixture.page), MC_SECURITY_STARTTLS);
      else if (g_str_equal (fields[i], "port"))
        gtk_editable_set_text (ui_test_field (fixture.page, "port"), "143");
      else
        gtk_editable_insert_text (ui_test_field (fixture.page, fields[i]), "x", 1, &(int){ 0 });
      assert_outdated (&fixture, fields[i]);

      /* Undoing the edit does not bring the old verdict back as if new. */
      port = g_strdup_printf ("%u", fake_server_get_port (fixture.server));
      ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
      g_assert_true (mc_result_view_get_outdated (fixture.view));
    }

  ui_test_fixture_teardown (&fixture);
}

/* 2. An input error blocks the test and is said once, beside the field, and
 * goes as soon as the field is valid or empty. */
static void
test_input_error_once_and_gone (void)
{
  UiTestFixture fixture = { 0 };
  GtkEditable *port;

  if (!setup (&fixture, FAKE_MODE_TLS))
    return;

  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
  ui_test_run_to_end (fixture.page);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection works.");

  port = ui_test_field (fixture.page, "port");
  gtk_editable_set_text (port, "99999");
  g_assert_true (mc_result_view_get_outdated (fixture.view));
  g_assert_nonnull (ui_test_hint (fixture.page, "invalid-port"));
  g_assert_cmpuint (ui_test_n_hints (fixture.page), ==, 1);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (port), "error"));
  /* A click does not test; it leads to the field and the hint stays the only one. */
  ui_test_click (ui_test_find_named (GTK_WIDGET (fixture.page), "test-button"));
  g_assert_false (mc_account_page_get_running (fixture.page));
  g_assert_true (focus_in (&fixture, GTK_WIDGET (port)));
  g_assert_cmpuint (ui_test_n_hints (fixture.page), ==, 1);

  gtk_editable_set_text (port, "");
  g_assert_null (ui_test_hint (fixture.page, "invalid-port"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (port), "error"));

  gtk_editable_set_text (port, "99999");
  g_assert_nonnull (ui_test_hint (fixture.page, "invalid-port"));
  gtk_editable_set_text (port, "993");
  g_assert_null (ui_test_hint (fixture.page, "invalid-port"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (port), "error"));

  ui_test_fixture_teardown (&fixture);
}

static gboolean
verdict_in_view (gpointer data)
{
  UiTestFixture *fixture = data;
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (fixture->view), GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (verdict (fixture), scroller, &bounds))
    return FALSE;
  return bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller);
}

/* 2. A fix is a click that runs one test, and the page does not jump away from
 * the verdict while it does. */
static void
test_fix_keeps_verdict_in_view (void)
{
  UiTestFixture fixture = { 0 };
  guint logins;

  if (!setup (&fixture, FAKE_MODE_STARTTLS))
    return;

  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 720, 600);
  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
  ui_test_run_to_end (fixture.page);
  g_assert_true (ui_test_wait_until (verdict_in_view, &fixture, 5000));

  logins = fake_server_count_logins_now (fixture.server);
  ui_test_click (ui_test_find_named (ui_test_advice_row (fixture.view, "use-starttls"), "fix-button"));
  g_assert_true (mc_account_page_get_running (fixture.page));
  g_assert_true (ui_test_wait_until (ui_test_page_idle, fixture.page, 20000));
  g_assert_cmpuint (fake_server_count_logins_now (fixture.server), ==, logins + 1);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection works.");
  g_assert_true (ui_test_wait_until (verdict_in_view, &fixture, 5000));

  ui_test_fixture_teardown (&fixture);
}

/* 3. The provider's settings are the help page's: port 465 is never offered. */
static void
test_provider_settings_are_help_page (void)
{
  UiTestFixture fixture = { 0 };
  McAccountForm *form;
  GPtrArray *hints;

  if (!setup_with_cert (&fixture, FAKE_MODE_TLS, "good", MC_PROTOCOL_SMTP))
    return;

  form = mc_account_page_get_form (fixture.page);
  gtk_editable_set_text (ui_test_field (fixture.page, "email"), "anna@netzprisma.de");
  gtk_editable_set_text (ui_test_field (fixture.page, "host"), "mail01.netzprisma.de");
  mc_account_form_set_security (form, MC_SECURITY_TLS);
  gtk_editable_set_text (ui_test_field (fixture.page, "port"), "465");

  /* The hint leads to the page's recommendation, never keeps 465. */
  hints = mc_account_form_get_hints (form);
  g_assert_cmpuint (hints->len, >, 0);
  for (guint i = 0; i < hints->len; i++)
    {
      const McAdvice *hint = g_ptr_array_index (hints, i);

      g_test_message ("hint %s: %s", hint->code, hint->text);
      g_assert_cmpuint (hint->fix_port, !=, 465);
      if (hint->fix_port != 0)
        g_assert_cmpuint (hint->fix_port, ==, 587);
    }

  mc_account_form_use_provider_settings (form);
  g_assert_cmpstr (mc_account_form_get_host (form), ==, "mail01.netzprisma.de");
  g_assert_cmpstr (mc_account_form_get_port (form), ==, "587");
  g_assert_cmpint (mc_account_form_get_security (form), ==, MC_SECURITY_STARTTLS);

  ui_test_fixture_teardown (&fixture);
}

/* A port on 127.0.0.1 where nothing listens. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

/* 5. A refused port is a wrong port, not a firewall. */
static void
test_refused_port_is_no_firewall (void)
{
  UiTestFixture fixture = { 0 };
  g_autofree char *port = NULL;
  g_autofree char *expected = NULL;
  GtkWidget *row;

  if (!setup (&fixture, FAKE_MODE_TLS))
    return;

  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
  port = g_strdup_printf ("%u", closed_port ());
  gtk_editable_set_text (ui_test_field (fixture.page, "port"), port);
  ui_test_run_to_end (fixture.page);

  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection does not work.");
  row = ui_test_advice_row (fixture.view, "connection-refused");
  g_assert_nonnull (row);
  expected = g_strdup_printf ("Nothing listens on port %s of this server", port);
  g_assert_nonnull (ui_test_find_label (row, expected));
  g_assert_null (ui_test_advice_row (fixture.view, "port-blocked"));
  for (guint i = 0; i < mc_result_view_get_n_advice (fixture.view); i++)
    g_assert_null (ui_test_find_label (mc_result_view_get_advice_row (fixture.view, i), "firewall"));

  ui_test_fixture_teardown (&fixture);
}

/* 6. One finding, one advice, at most one button that fixes it. */
static void
test_one_finding_one_advice (void)
{
  UiTestFixture fixture = { 0 };
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);

  if (!setup (&fixture, FAKE_MODE_STARTTLS))
    return;

  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
  ui_test_run_to_end (fixture.page);

  g_assert_cmpuint (mc_result_view_get_n_advice (fixture.view), >=, 1);
  g_assert_cmpuint (n_fix_buttons (fixture.view), ==, 1);
  for (guint i = 0; i < mc_result_view_get_n_advice (fixture.view); i++)
    {
      const char *code = gtk_widget_get_name (mc_result_view_get_advice_row (fixture.view, i));

      g_assert_false (g_hash_table_contains (codes, code));
      g_hash_table_add (codes, (gpointer)code);
    }
  /* The hint under the form says the same once; the result does not say it again. */
  g_assert_null (ui_test_advice_row (fixture.view, "use-implicit-tls"));

  ui_test_fixture_teardown (&fixture);
}

/* 7. The user-name advice names the address the customer typed, and its
 * button enters it: before a test (the provider's server) and after one. */
static void
test_user_name_advice_uses_address (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *hint;
  GtkWidget *row;

  if (!setup (&fixture, FAKE_MODE_TLS))
    return;

  /* On the provider's server the rule is known before any test (no click
   * here: the name is not on loopback). */
  gtk_editable_set_text (ui_test_field (fixture.page, "email"), "alice@netzprisma.de");
  gtk_editable_set_text (ui_test_field (fixture.page, "host"), "mail01.netzprisma.de");
  gtk_editable_set_text (ui_test_field (fixture.page, "user"), "alice");
  hint = ui_test_shown_hint (fixture.page, "username-not-full-address",
                             "Enter your full e-mail address alice@netzprisma.de as User Name.");
  g_assert_null (ui_test_find_label (hint, "name@example.de"));
  g_assert_nonnull (ui_test_find_named (hint, "fix-button"));

  /* Elsewhere a refused login says it, with the address typed in E-mail. */
  ui_test_fill_form (&fixture, MC_SECURITY_TLS, "alice@example.test", "wrong password");
  gtk_editable_set_text (ui_test_field (fixture.page, "user"), "alice");
  ui_test_run_to_end (fixture.page);
  row = ui_test_advice_row (fixture.view, "username-not-full-address");
  g_assert_nonnull (row);
  g_assert_nonnull (ui_test_find_label (row, "alice@example.test"));
  g_assert_null (ui_test_find_label (row, "name@example.de"));
  ui_test_click_fix (row, "Use Full Address and Test");
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (fixture.page, "user")), ==, "alice@example.test");
  /* The click asks for a test, and it runs. */
  g_assert_true (mc_account_page_get_running (fixture.page));
  g_assert_true (ui_test_wait_until (ui_test_page_idle, fixture.page, 20000));
  g_assert_null (ui_test_advice_row (fixture.view, "username-not-full-address"));

  ui_test_fixture_teardown (&fixture);
}

static gboolean
detect_summary_shown (gpointer data)
{
  UiTestFixture *fixture = data;
  gpointer view = ui_test_detect_view (fixture->page);
  GtkWidget *summary;

  if (view == NULL || mc_account_page_get_running (fixture->page))
    return FALSE;
  summary = ui_test_find_named (GTK_WIDGET (view), "summary");
  return summary != NULL && gtk_widget_get_mapped (summary);
}

/* 8. A search where nothing answers ends in one summary of what it found out,
 * and the provider's server as a button for its customer. */
static void
test_detect_nothing_answers (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *view;
  GtkWidget *summary;
  GtkWidget *button;

  if (!setup (&fixture, FAKE_MODE_TLS))
    return;

  /* An address on loopback where nothing listens: every port refuses, at once. */
  gtk_editable_set_text (ui_test_field (fixture.page, "email"), "anna@netzprisma.de");
  gtk_editable_set_text (ui_test_field (fixture.page, "host"), "127.77.0.1");
  ui_test_click (ui_test_find_named (GTK_WIDGET (fixture.page), "detect-button"));
  g_assert_true (ui_test_wait_until (detect_summary_shown, &fixture, 30000));

  view = GTK_WIDGET (ui_test_detect_view (fixture.page));
  summary = ui_test_find_named (view, "summary");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (summary)), ==,
                   "“127.77.0.1” was found (127.77.0.1), but it refused every mail port: it is probably not "
                   "a mail server. Check the name in Server.");
  /* Never "ask your provider" row after row. */
  g_assert_null (ui_test_find_label (view, "Ask your provider which port"));
  button = ui_test_find_named (view, "use-host-button");
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Use mail01.netzprisma.de");
  ui_test_click (button);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (fixture.page, "host")), ==, "mail01.netzprisma.de");

  ui_test_fixture_teardown (&fixture);
}

/* 9. A certificate for the provider's server, reached under another name: the
 * provider's name (from the app's own data) is offered, nothing else. */
static void
test_certificate_names_provider_button (void)
{
  UiTestFixture fixture = { 0 };
  g_autofree char *report = NULL;
  GtkWidget *row;
  GtkWidget *fix;

  if (!setup_with_cert (&fixture, FAKE_MODE_TLS, "provider-name", MC_PROTOCOL_IMAP))
    return;

  ui_test_fill_form (&fixture, MC_SECURITY_TLS, "anna@netzprisma.de", PASSWORD);
  ui_test_run_to_end (fixture.page);

  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection does not work.");
  g_assert_cmpuint (fake_server_count_logins_now (fixture.server), ==, 0);
  row = ui_test_advice_row (fixture.view, "certificate-hostname-mismatch");
  g_assert_nonnull (row);
  fix = ui_test_find_named (row, "fix-button");
  g_assert_nonnull (fix);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (fix)), ==, "Use mail01.netzprisma.de and Test");
  g_assert_cmpuint (n_fix_buttons (fixture.view), ==, 1);

  /* The report says it in words; no internal problem names. */
  report = mc_report_export_text (mc_result_view_get_result (fixture.view), NULL);
  g_assert_null (strstr (report, "wrong-name"));
  g_assert_nonnull (strstr (report, "mail01.netzprisma.de"));

  /* The password never went to a server whose certificate names another host. */
  fake_server_finish (fixture.server);
  fake_server_assert_no_credentials (fixture.server, "anna@netzprisma.de", PASSWORD);

  ui_test_fixture_teardown (&fixture);
}

static guint
tabs_until (UiTestFixture *fixture,
            GtkWidget     *target,
            guint          limit)
{
  for (guint n = 1; n <= limit; n++)
    {
      gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD);
      if (focus_in (fixture, target))
        return n;
    }
  return G_MAXUINT;
}

static gboolean
is_report_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "result.copy") == 0;
}

/* 10. Focus starts in the first empty field; steps are no Tab stops; Copy
 * Report is a few Tab presses from the verdict. */
static void
test_keyboard (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *copy;
  guint tabs;

  if (!setup (&fixture, FAKE_MODE_TLS))
    return;

  g_assert_true (focus_in (&fixture, GTK_WIDGET (ui_test_field (fixture.page, "email"))));

  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
  ui_test_run_to_end (fixture.page);
  g_assert_true (focus_in (&fixture, verdict (&fixture)));
  for (guint i = 0; i < mc_result_view_get_n_steps (fixture.view); i++)
    g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (mc_result_view_get_step_row (fixture.view, i))));

  copy = ui_test_find (GTK_WIDGET (fixture.view), is_report_button, NULL);
  g_assert_nonnull (copy);
  tabs = tabs_until (&fixture, copy, 40);
  g_test_message ("Tab presses from the verdict to Copy Report: %u", tabs);
  g_assert_cmpuint (tabs, <=, 8);

  /* A new window for someone whose address is remembered starts at the password. */
  gtk_window_close (GTK_WINDOW (fixture.window));
  fixture.window = mc_window_new (NULL);
  fixture.page = mc_window_get_page (fixture.window, MC_PROTOCOL_IMAP);
  fixture.view = ui_test_result_view (fixture.page);
  gtk_window_present (GTK_WINDOW (fixture.window));
  ui_test_wait_ms (100);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (fixture.page, "email")), ==, ADDRESS);
  g_assert_true (focus_in (&fixture, GTK_WIDGET (ui_test_field (fixture.page, "password"))));

  ui_test_fixture_teardown (&fixture);
}

/* 11. The report's date is in the language of the report. GLib decides once
 * per process whether to translate, so this runs in a process that starts in
 * German. */
static void
test_report_date_in_ui_language (void)
{
  static const char *months[] = { "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
                                  "August", "September", "Oktober", "November", "Dezember" };
  static const char *english[] = { "January", "February", "March", "May", "June", "July",
                                   "October", "December" };
  g_autoptr(McResult) result = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *report = NULL;
  g_autofree char *first_line = NULL;

  if (g_getenv ("MC_LOCALEDIR") == NULL)
    {
      g_test_skip ("MC_LOCALEDIR is not set: the German catalogue of the build is unknown");
      return;
    }
  if (!g_test_subprocess ())
    {
      g_autofree char *language = g_strdup (g_getenv ("LANGUAGE"));

      g_setenv ("LANGUAGE", "de", TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      if (language != NULL)
        g_setenv ("LANGUAGE", language, TRUE);
      else
        g_unsetenv ("LANGUAGE");
      g_test_trap_assert_passed ();
      return;
    }

  result = ui_test_advice_result_new ();
  now = g_date_time_new_now_local ();
  report = mc_report_export_text (result, NULL);
  first_line = g_strndup (report, strcspn (report, "\n"));
  g_test_message ("%s", first_line);
  g_assert_nonnull (strstr (first_line, "Bericht vom"));
  g_assert_nonnull (strstr (first_line, months[g_date_time_get_month (now) - 1]));
  for (guint i = 0; i < G_N_ELEMENTS (english); i++)
    g_assert_null (strstr (first_line, english[i]));
}

int
main (int   argc,
      char *argv[])
{
  if (!ui_test_init (&argc, &argv))
    return 77;

  g_test_add_func ("/mailcheck/ui/honest/login-not-tested", test_login_not_tested);
  g_test_add_func ("/mailcheck/ui/honest/edit-marks-result-outdated", test_edit_marks_result_outdated);
  g_test_add_func ("/mailcheck/ui/honest/input-error-once-and-gone", test_input_error_once_and_gone);
  g_test_add_func ("/mailcheck/ui/honest/fix-keeps-verdict-in-view", test_fix_keeps_verdict_in_view);
  g_test_add_func ("/mailcheck/ui/honest/provider-settings-are-help-page", test_provider_settings_are_help_page);
  g_test_add_func ("/mailcheck/ui/honest/refused-port-is-no-firewall", test_refused_port_is_no_firewall);
  g_test_add_func ("/mailcheck/ui/honest/one-finding-one-advice", test_one_finding_one_advice);
  g_test_add_func ("/mailcheck/ui/honest/user-name-advice-uses-address", test_user_name_advice_uses_address);
  g_test_add_func ("/mailcheck/ui/honest/detect-nothing-answers", test_detect_nothing_answers);
  g_test_add_func ("/mailcheck/ui/honest/certificate-names-provider-button", test_certificate_names_provider_button);
  g_test_add_func ("/mailcheck/ui/honest/keyboard", test_keyboard);
  g_test_add_func ("/mailcheck/ui/honest/report-date-in-ui-language", test_report_date_in_ui_language);

  return g_test_run ();
}
