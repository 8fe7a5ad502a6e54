/* test-settings.c: what the user typed, normalised and validated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-settings"

#include "config.h"

#include <string.h>

#include "test-util.h"

static void
assert_host_ok (const char *input,
                const char *ascii,
                const char *unicode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *unicode_form = NULL;
  g_autofree char *result = mc_host_normalize (input, &unicode_form, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, ascii);
  g_assert_cmpstr (unicode_form, ==, unicode);
}

static char *
assert_host_rejected (const char *input)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *unicode_form = NULL;
  g_autofree char *result = mc_host_normalize (input, &unicode_form, &error);
  char *message;

  g_assert_error (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_HOST);
  g_assert_null (result);
  g_assert_null (unicode_form);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  message = g_strdup (error->message);
  return message;
}

static void
test_host_empty (void)
{
  g_autofree char *empty = assert_host_rejected ("");
  g_autofree char *blank = assert_host_rejected ("   \t ");

  mc_assert_mentions (empty, "server name");
  g_assert_cmpstr (blank, ==, empty);
}

static void
test_host_spaces (void)
{
  g_autofree char *inner = NULL;

  assert_host_ok ("  mail01.netzprisma.de  ", "mail01.netzprisma.de", "mail01.netzprisma.de");
  inner = assert_host_rejected ("mail01 netzprisma.de");
  mc_assert_mentions (inner, "letters");
}

static void
test_host_url (void)
{
  g_autofree char *imaps = assert_host_rejected ("imaps://mail01.netzprisma.de");
  g_autofree char *https = assert_host_rejected ("https://mail01.netzprisma.de/");

  mc_assert_mentions (imaps, "://");
  mc_assert_mentions (https, "://");
}

static void
test_host_path (void)
{
  g_autofree char *path = assert_host_rejected ("mail01.netzprisma.de/imap");
  g_autofree char *address = assert_host_rejected ("alice@netzprisma.de");
  g_autofree char *backslash = assert_host_rejected ("mail01\\netzprisma.de");

  mc_assert_mentions (path, "letters");
  g_assert_nonnull (address);
  g_assert_nonnull (backslash);
}

static void
test_host_port_suffix (void)
{
  g_autofree char *message = assert_host_rejected ("mail01.netzprisma.de:993");

  mc_assert_mentions (message, "port");
}

static void
test_host_ip_literals (void)
{
  assert_host_ok ("127.0.0.1", "127.0.0.1", "127.0.0.1");
  assert_host_ok ("::1", "::1", "::1");
  assert_host_ok ("[::1]", "::1", "::1");
  assert_host_ok (" [2001:db8::25] ", "2001:db8::25", "2001:db8::25");
}

static void
test_host_trailing_dot (void)
{
  g_autofree char *dots = NULL;

  assert_host_ok ("mail01.netzprisma.de.", "mail01.netzprisma.de", "mail01.netzprisma.de");
  dots = assert_host_rejected ("mail01..netzprisma.de");
  g_assert_nonnull (dots);
}

static void
test_host_upper_case (void)
{
  assert_host_ok ("MAIL01.NetzPrisma.DE", "mail01.netzprisma.de", "mail01.netzprisma.de");
}

static void
test_host_idn (void)
{
  g_autoptr(McSettings) settings = mc_settings_new (MC_PROTOCOL_IMAP);

  assert_host_ok ("bücher.example", "xn--bcher-kva.example", "bücher.example");
  assert_host_ok ("BÜCHER.example", "xn--bcher-kva.example", "bücher.example");
  /* Typed as A-label, shown as U-label too, so a look-alike cannot hide. */
  assert_host_ok ("xn--bcher-kva.example", "xn--bcher-kva.example", "bücher.example");

  mc_settings_set_host (settings, "bücher.example");
  g_assert_cmpstr (mc_settings_get_host (settings), ==, "bücher.example");
  g_assert_cmpstr (mc_settings_get_host_ascii (settings), ==, "xn--bcher-kva.example");
  g_assert_cmpstr (mc_settings_get_host_unicode (settings), ==, "bücher.example");
}

static char *
long_name (gsize length)
{
  GString *name = g_string_new (NULL);

  /* Labels of 63 characters joined by dots, cut to @length, never ending in a dot. */
  while (name->len < length)
    {
      if (name->len % 64 == 63)
        g_string_append_c (name, '.');
      else
        g_string_append_c (name, 'a');
    }
  if (name->str[name->len - 1] == '.')
    name->str[name->len - 1] = 'b';
  return g_string_free (name, FALSE);
}

static void
test_host_length (void)
{
  g_autofree char *ok = long_name (253);
  g_autofree char *too_long = long_name (254);
  g_autofree char *message = NULL;
  g_autofree char *label = g_strnfill (64, 'x');
  g_autofree char *long_label = g_strconcat (label, ".example", NULL);
  g_autofree char *label_message = NULL;

  assert_host_ok (ok, ok, ok);
  message = assert_host_rejected (too_long);
  mc_assert_mentions (message, "not a valid server name");
  label_message = assert_host_rejected (long_label);
  g_assert_nonnull (label_message);
}

static void
test_host_control_characters (void)
{
  const char *inputs[] = {
    "mail01.netzprisma.de\r\nEHLO evil",
    "mail01\n.netzprisma.de",
    "mail01\t.netzprisma.de",
    "mail01.netzprisma.de\x7f",
    "mail01.\x1b[31mnetzprisma.de",
    "mail01.netzprisma.\xc3\x28",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *message = assert_host_rejected (inputs[i]);

      g_test_message ("%u: %s", i, message);
    }
}

static void
test_host_bad_labels (void)
{
  g_autofree char *leading = assert_host_rejected ("-mail.netzprisma.de");
  g_autofree char *trailing = assert_host_rejected ("mail-.netzprisma.de");
  g_autofree char *dot = assert_host_rejected (".");

  g_assert_nonnull (leading);
  g_assert_nonnull (trailing);
  g_assert_nonnull (dot);
}

static void
test_port_defaults (void)
{
  const struct
  {
    McProtocol protocol;
    McSecurity security;
    guint16    port;
  } cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 993 },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, 143 },
    { MC_PROTOCOL_IMAP, MC_SECURITY_NONE, 143 },
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, 995 },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, 110 },
    { MC_PROTOCOL_POP3, MC_SECURITY_NONE, 110 },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, 465 },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, 587 },
    { MC_PROTOCOL_SMTP, MC_SECURITY_NONE, 587 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(McSettings) settings = mc_settings_new (cases[i].protocol);
      g_autoptr(McSettings) complete = mc_test_settings_new (cases[i].protocol, cases[i].security, 0);

      mc_settings_set_security (settings, cases[i].security);
      g_assert_cmpuint (mc_default_port (cases[i].protocol, cases[i].security), ==, cases[i].port);
      g_assert_cmpuint (mc_settings_get_port (settings), ==, 0);
      g_assert_cmpuint (mc_settings_get_effective_port (settings), ==, cases[i].port);
      /* Port 0 is no port a check would use: it stands for the default. */
      g_assert_true (mc_settings_validate (complete, NULL));
      g_assert_cmpuint (mc_settings_get_effective_port (complete), ==, cases[i].port);

      /* An explicit port wins over the default. */
      mc_settings_set_port (settings, 2525);
      g_assert_cmpuint (mc_settings_get_effective_port (settings), ==, 2525);
    }
}

static void
test_defaults (void)
{
  g_autoptr(McSettings) settings = mc_settings_new (MC_PROTOCOL_SMTP);

  g_assert_cmpint (mc_settings_get_security (settings), ==, MC_SECURITY_TLS);
  g_assert_cmpuint (mc_settings_get_timeout (settings), ==, MC_DEFAULT_TIMEOUT_SECONDS);
  g_assert_false (mc_settings_has_password (settings));
  g_assert_null (mc_settings_get_ca_file (settings));
}

static McSettings *
valid_settings (void)
{
  McSettings *settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 0);

  g_assert_true (mc_settings_validate (settings, NULL));
  return settings;
}

static void
assert_invalid (McSettings      *settings,
                McSettingsError  code,
                const char      *words)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (mc_settings_validate (settings, &error));
  g_assert_error (error, MC_SETTINGS_ERROR, (int)code);
  g_test_message ("%s", error->message);
  if (words != NULL)
    mc_assert_mentions (error->message, words);
  /* The message never quotes the password back. */
  g_assert_null (strstr (error->message, FAKE_PASSWORD));
}

static void
test_user_line_breaks (void)
{
  const char *users[] = { "alice@example.test\r\na2 LOGOUT", "alice\n", "\ralice" };

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autoptr(McSettings) settings = valid_settings ();

      mc_settings_set_user (settings, users[i]);
      assert_invalid (settings, MC_SETTINGS_ERROR_INVALID_USER, "line break");
    }
}

static void
test_user_invalid_utf8 (void)
{
  g_autoptr(McSettings) settings = valid_settings ();

  mc_settings_set_user (settings, "al\xffice@example.test");
  assert_invalid (settings, MC_SETTINGS_ERROR_INVALID_USER, NULL);
}

static void
test_password_line_breaks (void)
{
  const struct
  {
    const char *password;
    gssize      len;
  } cases[] = {
    { FAKE_PASSWORD "\r\na3 LOGOUT", -1 },
    { FAKE_PASSWORD "\n", -1 },
    { "\r" FAKE_PASSWORD, -1 },
    { FAKE_PASSWORD "\0tail", sizeof FAKE_PASSWORD + 4 },
    { FAKE_PASSWORD "\0", sizeof FAKE_PASSWORD },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(McSettings) settings = valid_settings ();
      g_autoptr(McSettings) copy = NULL;

      mc_settings_set_password_len (settings, cases[i].password, cases[i].len);
      assert_invalid (settings, MC_SETTINGS_ERROR_INVALID_PASSWORD, "line break");

      /* The check works on a copy: the NUL must survive copying. */
      copy = mc_settings_copy (settings);
      assert_invalid (copy, MC_SETTINGS_ERROR_INVALID_PASSWORD, "line break");
    }
}

static void
test_password_kept_exactly (void)
{
  g_autoptr(McSettings) settings = valid_settings ();
  const char *passwords[] = { "  spaces around  ", "pässwörd€", "quote\"back\\slash{5}*%", "" };

  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      mc_settings_set_password (settings, passwords[i]);
      g_assert_true (mc_settings_validate (settings, NULL));
      g_assert_cmpstr (mc_settings_get_password (settings), ==, passwords[i]);
    }
}

static void
test_password_length (void)
{
  g_autoptr(McSettings) settings = valid_settings ();
  g_autofree char *max = g_strnfill (MC_MAX_CREDENTIAL_LENGTH, 'p');
  g_autofree char *too_long = g_strnfill (MC_MAX_CREDENTIAL_LENGTH + 1, 'p');

  mc_settings_set_password (settings, max);
  g_assert_true (mc_settings_validate (settings, NULL));
  mc_settings_set_password (settings, too_long);
  assert_invalid (settings, MC_SETTINGS_ERROR_INVALID_PASSWORD, "too long");
}

static void
test_password_needs_user (void)
{
  g_autoptr(McSettings) settings = valid_settings ();

  mc_settings_set_user (settings, "");
  assert_invalid (settings, MC_SETTINGS_ERROR_INVALID_USER, "user name");
  mc_settings_set_user (settings, NULL);
  assert_invalid (settings, MC_SETTINGS_ERROR_INVALID_USER, "user name");

  /* Without a password the check runs up to login and needs no user name. */
  mc_settings_set_password (settings, NULL);
  g_assert_true (mc_settings_validate (settings, NULL));
}

static void
test_timeout_range (void)
{
  g_autoptr(McSettings) settings = valid_settings ();

  mc_settings_set_timeout (settings, 0);
  assert_invalid (settings, MC_SETTINGS_ERROR_INVALID_TIMEOUT, NULL);
  mc_settings_set_timeout (settings, 601);
  assert_invalid (settings, MC_SETTINGS_ERROR_INVALID_TIMEOUT, NULL);
  mc_settings_set_timeout (settings, 600);
  g_assert_true (mc_settings_validate (settings, NULL));
}

static void
test_ca_file_missing (void)
{
  g_autoptr(McSettings) settings = valid_settings ();

  mc_settings_set_ca_file (settings, "/nonexistent/ca.pem");
  assert_invalid (settings, MC_SETTINGS_ERROR_INVALID_CA_FILE, "/nonexistent/ca.pem");
}

static void
test_invalid_host_in_settings (void)
{
  g_autoptr(McSettings) settings = valid_settings ();

  mc_settings_set_host (settings, "imaps://mail01.netzprisma.de");
  g_assert_null (mc_settings_get_host_ascii (settings));
  assert_invalid (settings, MC_SETTINGS_ERROR_INVALID_HOST, NULL);
}

/* The check keeps its own copy: editing the form during a check changes nothing. */
static void
test_check_copies_settings (void)
{
  g_autoptr(McSettings) settings = valid_settings ();
  g_autoptr(McCheck) check = mc_check_new (settings);
  McSettings *copy = mc_check_get_settings (check);

  g_assert_true (copy != settings);
  mc_settings_set_host (settings, "other.example");
  mc_settings_set_password (settings, "changed");
  g_assert_cmpstr (mc_settings_get_host (copy), ==, "127.0.0.1");
  g_assert_cmpstr (mc_settings_get_password (copy), ==, FAKE_PASSWORD);
}

static void
test_enum_strings (void)
{
  McProtocol protocol;
  McSecurity security;

  g_assert_true (mc_protocol_from_string ("IMAP", &protocol));
  g_assert_cmpint (protocol, ==, MC_PROTOCOL_IMAP);
  g_assert_true (mc_protocol_from_string ("pop3", &protocol));
  g_assert_cmpint (protocol, ==, MC_PROTOCOL_POP3);
  g_assert_false (mc_protocol_from_string ("imaps", &protocol));
  g_assert_true (mc_security_from_string ("starttls", &security));
  g_assert_cmpint (security, ==, MC_SECURITY_STARTTLS);
  g_assert_false (mc_security_from_string ("ssl", &security));
  g_assert_cmpstr (mc_security_to_string (MC_SECURITY_TLS), ==, "tls");
  g_assert_cmpstr (mc_step_id_to_string (MC_STEP_STARTTLS), ==, "starttls");
  g_assert_cmpstr (mc_auth_result_to_string (MC_AUTH_RESULT_NOT_TRIED), ==, "not-tried");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mailcheck/settings/host/empty", test_host_empty);
  g_test_add_func ("/mailcheck/settings/host/spaces", test_host_spaces);
  g_test_add_func ("/mailcheck/settings/host/url-rejected", test_host_url);
  g_test_add_func ("/mailcheck/settings/host/path-rejected", test_host_path);
  g_test_add_func ("/mailcheck/settings/host/port-suffix-rejected", test_host_port_suffix);
  g_test_add_func ("/mailcheck/settings/host/ip-literals", test_host_ip_literals);
  g_test_add_func ("/mailcheck/settings/host/trailing-dot", test_host_trailing_dot);
  g_test_add_func ("/mailcheck/settings/host/upper-case", test_host_upper_case);
  g_test_add_func ("/mailcheck/settings/host/idn-both-forms", test_host_idn);
  g_test_add_func ("/mailcheck/settings/host/length", test_host_length);
  g_test_add_func ("/mailcheck/settings/host/control-characters", test_host_control_characters);
  g_test_add_func ("/mailcheck/settings/host/bad-labels", test_host_bad_labels);
  g_test_add_func ("/mailcheck/settings/host/invalid-in-settings", test_invalid_host_in_settings);
  g_test_add_func ("/mailcheck/settings/port/defaults", test_port_defaults);
  g_test_add_func ("/mailcheck/settings/defaults", test_defaults);
  g_test_add_func ("/mailcheck/settings/user/line-breaks-rejected", test_user_line_breaks);
  g_test_add_func ("/mailcheck/settings/user/invalid-utf8-rejected", test_user_invalid_utf8);
  g_test_add_func ("/mailcheck/settings/password/line-breaks-and-nul-rejected", test_password_line_breaks);
  g_test_add_func ("/mailcheck/settings/password/kept-exactly", test_password_kept_exactly);
  g_test_add_func ("/mailcheck/settings/password/length", test_password_length);
  g_test_add_func ("/mailcheck/settings/password/needs-user", test_password_needs_user);
  g_test_add_func ("/mailcheck/settings/timeout/range", test_timeout_range);
  g_test_add_func ("/mailcheck/settings/ca-file/missing", test_ca_file_missing);
  g_test_add_func ("/mailcheck/settings/check/copies-settings", test_check_copies_settings);
  g_test_add_func ("/mailcheck/settings/enum-strings", test_enum_strings);

  return g_test_run ();
}
