/* test-account-form.c: the account form's rules, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-account-form"

#include "config.h"

#include <string.h>

#include "mc-account-form.h"

static guint
revision (McAccountForm *form)
{
  return mc_account_form_get_revision (form);
}

static gboolean
has_hint (McAccountForm *form,
          const char    *code)
{
  GPtrArray *hints = mc_account_form_get_hints (form);

  for (guint i = 0; hints != NULL && i < hints->len; i++)
    {
      if (g_str_equal (((McAdvice *)g_ptr_array_index (hints, i))->code, code))
        return TRUE;
    }
  return FALSE;
}

/* A new form is the provider's recommendation, straight from its help page. */
static void
test_defaults_from_provider (void)
{
  static const struct { McProtocol protocol; const char *port; McSecurity security; } expected[] = {
    { MC_PROTOCOL_POP3, "995", MC_SECURITY_TLS },
    { MC_PROTOCOL_IMAP, "993", MC_SECURITY_TLS },
    { MC_PROTOCOL_SMTP, "587", MC_SECURITY_STARTTLS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(McAccountForm) form = mc_account_form_new (expected[i].protocol);

      g_assert_cmpstr (mc_account_form_get_host (form), ==, "mail01.netzprisma.de");
      g_assert_cmpstr (mc_account_form_get_port (form), ==, expected[i].port);
      g_assert_cmpint (mc_account_form_get_security (form), ==, expected[i].security);
      g_assert_false (mc_account_form_get_port_custom (form));
      g_assert_true (mc_account_form_get_envelope (form));
      g_assert_cmpstr (mc_client_get_id (mc_account_form_get_client (form)), ==, "other");
    }
}

/* Like a good mail program: the port follows the security until the user
 * types one, and a typed port is never overwritten. */
static void
test_port_follows_security (void)
{
  g_autoptr(McAccountForm) form = mc_account_form_new (MC_PROTOCOL_IMAP);

  mc_account_form_set_security (form, MC_SECURITY_STARTTLS);
  g_assert_cmpstr (mc_account_form_get_port (form), ==, "143");
  mc_account_form_set_port (form, "10143");
  g_assert_true (mc_account_form_get_port_custom (form));
  mc_account_form_set_security (form, MC_SECURITY_TLS);
  g_assert_cmpstr (mc_account_form_get_port (form), ==, "10143");
  /* Typing the standard port again makes it follow once more. */
  mc_account_form_set_port (form, "993");
  g_assert_false (mc_account_form_get_port_custom (form));
  mc_account_form_set_security (form, MC_SECURITY_STARTTLS);
  g_assert_cmpstr (mc_account_form_get_port (form), ==, "143");
}

/* The user name is the address until the user types another one. */
static void
test_user_follows_address (void)
{
  g_autoptr(McAccountForm) form = mc_account_form_new (MC_PROTOCOL_POP3);

  mc_account_form_set_email (form, "anna@netzprisma.de");
  g_assert_cmpstr (mc_account_form_get_user (form), ==, "anna@netzprisma.de");
  g_assert_false (mc_account_form_get_user_custom (form));
  mc_account_form_set_user (form, "anna.schmidt@netzprisma.de");
  g_assert_true (mc_account_form_get_user_custom (form));
  mc_account_form_set_email (form, "bob@netzprisma.de");
  g_assert_cmpstr (mc_account_form_get_user (form), ==, "anna.schmidt@netzprisma.de");
  /* Emptying it makes it follow again. */
  mc_account_form_set_user (form, "");
  mc_account_form_set_email (form, "carla@netzprisma.de");
  g_assert_cmpstr (mc_account_form_get_user (form), ==, "carla@netzprisma.de");
}

/* Every field a test depends on changes the revision; the mail program, which
 * only changes how advice is worded, does not. */
static void
test_revision (void)
{
  g_autoptr(McAccountForm) form = mc_account_form_new (MC_PROTOCOL_SMTP);
  guint before = revision (form);

  mc_account_form_set_client (form, "thunderbird");
  g_assert_cmpuint (revision (form), ==, before);
  mc_account_form_set_email (form, "anna@netzprisma.de");
  g_assert_cmpuint (revision (form), >, before);
  before = revision (form);
  mc_account_form_set_password (form, "secret");
  g_assert_cmpuint (revision (form), >, before);
  before = revision (form);
  mc_account_form_set_envelope (form, FALSE);
  g_assert_cmpuint (revision (form), >, before);
  before = revision (form);
  mc_account_form_set_host (form, "mail.example.org");
  g_assert_cmpuint (revision (form), >, before);
  /* The same value again is no change. */
  before = revision (form);
  mc_account_form_set_host (form, "mail.example.org");
  g_assert_cmpuint (revision (form), ==, before);

  /* An unknown mail program is "Other program". */
  mc_account_form_set_client (form, "netscape");
  g_assert_cmpstr (mc_client_get_id (mc_account_form_get_client (form)), ==, "other");
}

/* A fix changes what it names and nothing else; the provider's settings are
 * its help page's. */
static void
test_apply_fix_and_provider (void)
{
  g_autoptr(McAccountForm) form = mc_account_form_new (MC_PROTOCOL_SMTP);
  McAdvice fix = { .fix_security = MC_SECURITY_TLS, .fix_port = 465 };
  McAdvice host_fix = { .fix_security = -1, .fix_host = (char *)"mail01.netzprisma.de" };

  mc_account_form_set_host (form, "smtp.mueller-bau.de");
  mc_account_form_apply_fix (form, &fix);
  g_assert_cmpint (mc_account_form_get_security (form), ==, MC_SECURITY_TLS);
  g_assert_cmpstr (mc_account_form_get_port (form), ==, "465");
  g_assert_cmpstr (mc_account_form_get_host (form), ==, "smtp.mueller-bau.de");
  mc_account_form_apply_fix (form, &host_fix);
  g_assert_cmpstr (mc_account_form_get_host (form), ==, "mail01.netzprisma.de");
  g_assert_cmpint (mc_account_form_get_security (form), ==, MC_SECURITY_TLS);

  mc_account_form_use_provider_settings (form);
  g_assert_cmpstr (mc_account_form_get_port (form), ==, "587");
  g_assert_cmpint (mc_account_form_get_security (form), ==, MC_SECURITY_STARTTLS);
}

/* Input errors are the form's, with the field they belong to; the settings it
 * hands to a test carry what a test needs and the password only when given. */
static void
test_input_error_and_settings (void)
{
  g_autoptr(McAccountForm) form = mc_account_form_new (MC_PROTOCOL_SMTP);
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  mc_account_form_set_port (form, "99999");
  g_assert_nonnull (mc_account_form_get_input_error (form, &field));
  g_assert_cmpstr (field, ==, "port");
  g_assert_true (has_hint (form, "invalid-port"));
  g_assert_null (mc_account_form_to_settings (form, &error));
  g_assert_error (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_PORT);
  g_clear_error (&error);

  mc_account_form_set_port (form, "");
  g_assert_null (mc_account_form_get_input_error (form, &field));
  g_assert_false (has_hint (form, "invalid-port"));

  mc_account_form_set_email (form, "anna@netzprisma.de");
  mc_account_form_set_password (form, "Pass-5678");
  settings = mc_account_form_to_settings (form, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mc_settings_get_user (settings), ==, "anna@netzprisma.de");
  g_assert_cmpstr (mc_settings_get_address (settings), ==, "anna@netzprisma.de");
  g_assert_true (mc_settings_get_envelope (settings));
  g_assert_true (mc_settings_has_password (settings));
}

/* Only what the user changed is stored, and never the password. */
static void
test_load_save (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(McAccountForm) form = mc_account_form_new (MC_PROTOCOL_SMTP);
  g_autoptr(McAccountForm) again = mc_account_form_new (MC_PROTOCOL_SMTP);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  mc_account_form_set_password (form, "Never-Stored-42");
  mc_account_form_set_port (form, "2525");
  mc_account_form_set_envelope (form, FALSE);
  mc_account_form_save (form, settings);
  g_assert_false (g_settings_get_user_value (settings, "smtp-host") != NULL);
  g_assert_cmpint (g_settings_get_int (settings, "smtp-port"), ==, 2525);

  mc_account_form_load (again, settings);
  g_assert_cmpstr (mc_account_form_get_port (again), ==, "2525");
  g_assert_false (mc_account_form_get_envelope (again));
  g_assert_cmpstr (mc_account_form_get_password (again), ==, "");

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (keys[i], "password"));
      g_assert_null (strstr (text, "Never-Stored-42"));
    }
}

/* Which properties are fields, per protocol: the page shows exactly these. */
static void
test_fields (void)
{
  g_autoptr(McAccountForm) imap = mc_account_form_new (MC_PROTOCOL_IMAP);
  g_autoptr(McAccountForm) smtp = mc_account_form_new (MC_PROTOCOL_SMTP);
  const char *everywhere[] = { "email", "password", "user", "host", "port", "security" };

  for (guint i = 0; i < G_N_ELEMENTS (everywhere); i++)
    {
      g_assert_true (mc_account_form_has_field (imap, everywhere[i]));
      g_assert_true (mc_account_form_has_field (smtp, everywhere[i]));
    }
  g_assert_true (mc_account_form_has_field (smtp, "envelope"));
  g_assert_false (mc_account_form_has_field (imap, "envelope"));
  /* State the form keeps is no field, nor is a name it does not know. */
  g_assert_false (mc_account_form_has_field (smtp, "port-custom"));
  g_assert_false (mc_account_form_has_field (smtp, "revision"));
  g_assert_false (mc_account_form_has_field (smtp, "no-such-field"));
}

/* A remembered field goes to its protocol's key and comes back, and a form of
 * another protocol neither writes nor reads it. */
static void
test_remembered_field (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(McAccountForm) smtp = mc_account_form_new (MC_PROTOCOL_SMTP);
  g_autoptr(McAccountForm) imap = mc_account_form_new (MC_PROTOCOL_IMAP);
  g_autoptr(McAccountForm) again = mc_account_form_new (MC_PROTOCOL_SMTP);

  g_settings_reset (settings, "smtp-envelope");
  g_assert_true (g_settings_get_boolean (settings, "smtp-envelope"));

  mc_account_form_set_envelope (imap, FALSE);
  mc_account_form_save (imap, settings);
  g_assert_null (g_settings_get_user_value (settings, "smtp-envelope"));

  mc_account_form_set_envelope (smtp, FALSE);
  mc_account_form_save (smtp, settings);
  g_assert_false (g_settings_get_boolean (settings, "smtp-envelope"));
  mc_account_form_load (again, settings);
  g_assert_false (mc_account_form_get_envelope (again));

  mc_account_form_set_envelope (smtp, TRUE);
  mc_account_form_save (smtp, settings);
  mc_account_form_load (again, settings);
  g_assert_true (mc_account_form_get_envelope (again));
  g_settings_reset (settings, "smtp-envelope");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mailcheck/form/defaults-from-provider", test_defaults_from_provider);
  g_test_add_func ("/mailcheck/form/port-follows-security", test_port_follows_security);
  g_test_add_func ("/mailcheck/form/user-follows-address", test_user_follows_address);
  g_test_add_func ("/mailcheck/form/revision", test_revision);
  g_test_add_func ("/mailcheck/form/apply-fix-and-provider", test_apply_fix_and_provider);
  g_test_add_func ("/mailcheck/form/input-error-and-settings", test_input_error_and_settings);
  g_test_add_func ("/mailcheck/form/load-save", test_load_save);
  g_test_add_func ("/mailcheck/form/fields", test_fields);
  g_test_add_func ("/mailcheck/form/remembered-field", test_remembered_field);

  return g_test_run ();
}
