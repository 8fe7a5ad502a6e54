/* test-hints.c: the form's defaults, the engine's hints and their fix buttons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hints"

#include "config.h"

#include "mc-provider.h"
#include "mc-window.h"
#include "ui-test-util.h"

static const char *
field (GtkEditable *editable)
{
  return gtk_editable_get_text (editable);
}

static void
test_defaults_follow_profile (void)
{
  static const struct
  {
    McProtocol  protocol;
    const char *port;
    McSecurity  security;
  } expected[] = {
    { MC_PROTOCOL_POP3, "995", MC_SECURITY_TLS },
    { MC_PROTOCOL_IMAP, "993", MC_SECURITY_TLS },
    { MC_PROTOCOL_SMTP, "587", MC_SECURITY_STARTTLS },
  };
  const McProvider *provider = mc_provider_get_default ();
  UiTestFixture fixture = { 0 };

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_IMAP))
    return;
  g_assert_nonnull (provider);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      McAccountPage *page = mc_window_get_page (fixture.window, expected[i].protocol);
      g_autofree char *port = NULL;
      McEndpoint endpoint;

      /* What Netzprisma's help page says … */
      g_assert_cmpstr (field (ui_test_field (page, "host")), ==, "mail01.netzprisma.de");
      g_assert_cmpstr (field (ui_test_field (page, "port")), ==, expected[i].port);
      g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (page)), ==, expected[i].security);
      /* … because that is what the profile says. */
      g_assert_true (mc_provider_get_recommended (provider, expected[i].protocol, &endpoint));
      port = g_strdup_printf ("%u", endpoint.port);
      g_assert_cmpstr (field (ui_test_field (page, "host")), ==, mc_provider_get_server (provider));
      g_assert_cmpstr (field (ui_test_field (page, "port")), ==, port);
      g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (page)), ==, endpoint.security);

      /* The profile's own settings need no hint. */
      g_assert_cmpuint (ui_test_n_hints (page), ==, 0);
    }

  ui_test_fixture_teardown (&fixture);
}

static void
test_ssl_on_starttls_port_offers_starttls (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *hint;
  GtkWidget *focus;

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_IMAP))
    return;

  /* On the provider's server its recommendation comes first, in one hint. */
  gtk_editable_set_text (ui_test_field (fixture.page, "port"), "143");
  ui_test_shown_hint (fixture.page, "use-implicit-tls",
                      "Use port 993 with SSL/TLS, as Netzprisma recommends.");
  g_assert_cmpuint (ui_test_n_hints (fixture.page), ==, 1);

  /* Elsewhere: SSL/TLS stays selected, the user types the STARTTLS port. */
  gtk_editable_set_text (ui_test_field (fixture.page, "host"), "mail.example.org");
  hint = ui_test_shown_hint (fixture.page, "use-starttls",
                             "Port 143 usually starts unencrypted. Set Security to STARTTLS");
  ui_test_click_fix (hint, "Use STARTTLS");
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (fixture.page)), ==, MC_SECURITY_STARTTLS);
  g_assert_cmpstr (field (ui_test_field (fixture.page, "port")), ==, "143");
  g_assert_null (ui_test_hint (fixture.page, "use-starttls"));
  g_assert_cmpuint (ui_test_n_hints (fixture.page), ==, 0);
  /* Focus went to the field that changed, not into a removed row. */
  focus = gtk_root_get_focus (GTK_ROOT (fixture.window));
  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (ADW_COMBO_ROW (ui_test_find_named (GTK_WIDGET (fixture.page), "security"))) ||
                 gtk_widget_is_ancestor (focus, GTK_WIDGET (ADW_COMBO_ROW (ui_test_find_named (GTK_WIDGET (fixture.page), "security")))));

  /* No encryption: the engine's warning with the way out. */
  mc_account_form_set_security (mc_account_page_get_form (fixture.page), MC_SECURITY_NONE);
  hint = ui_test_shown_hint (fixture.page, "plaintext-not-allowed",
                             "Without encryption your password would travel readable");
  ui_test_click_fix (hint, "Use STARTTLS");
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (fixture.page)), ==, MC_SECURITY_STARTTLS);
  g_assert_cmpuint (ui_test_n_hints (fixture.page), ==, 0);

  ui_test_fixture_teardown (&fixture);
}

static void
test_legacy_host_offers_provider_server (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *hint;

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_POP3))
    return;

  gtk_editable_set_text (ui_test_field (fixture.page, "host"), "pop3.netzprisma.de");
  hint = ui_test_shown_hint (fixture.page, "legacy-hostname",
                             "“pop3.netzprisma.de” is an old server name");
  ui_test_click_fix (hint, "Use mail01.netzprisma.de");
  g_assert_cmpstr (field (ui_test_field (fixture.page, "host")), ==, "mail01.netzprisma.de");
  /* Only the server changed. */
  g_assert_cmpstr (field (ui_test_field (fixture.page, "port")), ==, "995");
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (fixture.page)), ==, MC_SECURITY_TLS);
  g_assert_cmpuint (ui_test_n_hints (fixture.page), ==, 0);

  ui_test_fixture_teardown (&fixture);
}

static void
test_hints_follow_every_field (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *hint;

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_SMTP))
    return;

  /* A user name without a domain, on the provider's server. */
  gtk_editable_set_text (ui_test_field (fixture.page, "email"), "anna");
  g_assert_nonnull (ui_test_hint (fixture.page, "username-not-full-address"));
  gtk_editable_set_text (ui_test_field (fixture.page, "email"), "anna@netzprisma.de");
  g_assert_null (ui_test_hint (fixture.page, "username-not-full-address"));
  gtk_editable_set_text (ui_test_field (fixture.page, "user"), "anna");
  g_assert_nonnull (ui_test_hint (fixture.page, "username-not-full-address"));
  gtk_editable_set_text (ui_test_field (fixture.page, "user"), "");
  g_assert_null (ui_test_hint (fixture.page, "username-not-full-address"));

  /* A port the provider does not offer: the fix sets port and security together. */
  gtk_editable_set_text (ui_test_field (fixture.page, "port"), "2525");
  mc_account_form_set_security (mc_account_page_get_form (fixture.page), MC_SECURITY_TLS);
  hint = ui_test_shown_hint (fixture.page, "provider-settings-differ",
                             "Netzprisma recommends port 587 with STARTTLS for SMTP");
  ui_test_click_fix (hint, "Use Port 587 with STARTTLS");
  g_assert_cmpstr (field (ui_test_field (fixture.page, "port")), ==, "587");
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (fixture.page)), ==, MC_SECURITY_STARTTLS);
  g_assert_cmpuint (ui_test_n_hints (fixture.page), ==, 0);

  /* Another provider's server: nothing to say before a test. */
  gtk_editable_set_text (ui_test_field (fixture.page, "host"), "smtp.example.com");
  gtk_editable_set_text (ui_test_field (fixture.page, "port"), "2525");
  g_assert_cmpuint (ui_test_n_hints (fixture.page), ==, 0);

  /* An invalid port says so, and only that. */
  gtk_editable_set_text (ui_test_field (fixture.page, "port"), "0");
  g_assert_nonnull (ui_test_hint (fixture.page, "invalid-port"));
  g_assert_cmpuint (ui_test_n_hints (fixture.page), ==, 1);

  ui_test_fixture_teardown (&fixture);
}

static void
test_use_provider_settings (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *button;

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_SMTP))
    return;

  gtk_editable_set_text (ui_test_field (fixture.page, "email"), "anna@netzprisma.de");
  gtk_editable_set_text (ui_test_field (fixture.page, "user"), "anna.custom@netzprisma.de");
  gtk_editable_set_text (ui_test_field (fixture.page, "host"), "smtp.example.com");
  mc_account_form_set_security (mc_account_page_get_form (fixture.page), MC_SECURITY_NONE);
  gtk_editable_set_text (ui_test_field (fixture.page, "port"), "2525");

  button = ui_test_find_named (GTK_WIDGET (fixture.page), "provider-button");
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_get_focusable (button) || gtk_widget_get_focus_on_click (button));
  g_assert_nonnull (ui_test_find_label (button, "Use Netzprisma Settings"));
  g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (button)));
  ui_test_click (button);

  g_assert_cmpstr (field (ui_test_field (fixture.page, "host")), ==, "mail01.netzprisma.de");
  g_assert_cmpstr (field (ui_test_field (fixture.page, "port")), ==, "587");
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (fixture.page)), ==, MC_SECURITY_STARTTLS);
  /* The user name is the user's business. */
  g_assert_cmpstr (field (ui_test_field (fixture.page, "user")), ==, "anna.custom@netzprisma.de");
  g_assert_cmpuint (ui_test_n_hints (fixture.page), ==, 0);

  /* Switching to SSL/TLS now moves the port along again. */
  mc_account_form_set_security (mc_account_page_get_form (fixture.page), MC_SECURITY_TLS);
  g_assert_cmpstr (field (ui_test_field (fixture.page, "port")), ==, "465");

  ui_test_fixture_teardown (&fixture);
}

static void
test_changed_defaults_are_remembered (void)
{
  UiTestFixture fixture = { 0 };
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GVariant) host = NULL;
  g_autoptr(GVariant) security = NULL;
  McAccountPage *page;

  if (ui_test_skip_without_display () || !(schema = ui_test_settings_schema ()))
    return;

  /* Kept defaults are not written, so the profile keeps deciding them. */
  ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_IMAP);
  gtk_window_close (GTK_WINDOW (fixture.window));
  fixture.window = NULL;
  ui_test_wait_ms (20);
  settings = g_settings_new (APP_ID);
  host = g_settings_get_user_value (settings, "smtp-host");
  security = g_settings_get_user_value (settings, "smtp-security");
  g_assert_null (host);
  g_assert_null (security);

  /* A changed security is written and comes back. */
  fixture.window = mc_window_new (NULL);
  gtk_window_present (GTK_WINDOW (fixture.window));
  page = mc_window_get_page (fixture.window, MC_PROTOCOL_SMTP);
  mc_account_form_set_security (mc_account_page_get_form (page), MC_SECURITY_TLS);
  gtk_window_close (GTK_WINDOW (fixture.window));
  ui_test_wait_ms (20);
  g_assert_cmpstr (g_settings_get_string (settings, "smtp-security"), ==, "tls");

  fixture.window = mc_window_new (NULL);
  page = mc_window_get_page (fixture.window, MC_PROTOCOL_SMTP);
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (page)), ==, MC_SECURITY_TLS);
  g_assert_cmpstr (field (ui_test_field (page, "port")), ==, "465");
  g_assert_cmpstr (field (ui_test_field (page, "host")), ==, "mail01.netzprisma.de");

  ui_test_fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/mailcheck/ui/form/defaults-follow-profile", test_defaults_follow_profile);
  g_test_add_func ("/mailcheck/ui/form/changed-defaults-are-remembered", test_changed_defaults_are_remembered);
  g_test_add_func ("/mailcheck/ui/form/use-provider-settings", test_use_provider_settings);
  g_test_add_func ("/mailcheck/ui/hints/ssl-on-starttls-port-offers-starttls", test_ssl_on_starttls_port_offers_starttls);
  g_test_add_func ("/mailcheck/ui/hints/legacy-host-offers-provider-server", test_legacy_host_offers_provider_server);
  g_test_add_func ("/mailcheck/ui/hints/follow-every-field", test_hints_follow_every_field);

  return g_test_run ();
}
