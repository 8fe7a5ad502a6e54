/* test-hostile.c: every numbered case of hostile-servers.md Part (a), one test each
 *
 * A test is named /mailcheck/hostile/NN-what after its number in the catalogue and
 * asserts what the catalogue says the client must do. Most cases are scenarios:
 * a fake server with a few twists, the real engine, and the same checks after
 * every run (no credential outside TLS, the expected verdict and advice, a bounded
 * time, display-safe text, no advice that proposes giving up encryption). Cases
 * the app does not support (SCRAM, APOP, pinning, revocation) assert the property
 * that makes them not apply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hostile"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <glib/gstdio.h>

#include "mc-certificate.h"
#include "mc-diagnosis.h"
#include "mc-report.h"
#include "mc-session-private.h"
#include "hostile-net.h"

/* C. Untrusted pre-TLS data, tampering and UI spoofing -------------------------- */

/* The check refuses @host or @password (of @password_len bytes) with @code, before
 * any connection. */
static void
assert_refused_input (const char      *host,
                      const char      *password,
                      gssize           password_len,
                      int              code)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
                                                         fake_server_start (server));
  g_autoptr(GError) error = NULL;
  McResult *result;

  if (host != NULL)
    mc_settings_set_host (settings, host);
  if (password != NULL)
    mc_settings_set_password_len (settings, password, password_len);
  result = mc_test_run (settings, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, MC_SETTINGS_ERROR, code);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_cmpuint (fake_server_get_connections (server), ==, 0);
}

/* E. IMAP framing and state ----------------------------------------------------- */

static void
test_41_login_argument_encoding (void)
{
  /* Quotes, a backslash and a literal marker that would end the string or the
   * command if they were not escaped. */
  const char *password = "x\" a9 LOGOUT \\ {3}%*";
  const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .caps_tls = "IMAP4rev1", .password = password,
                       LOGGED_IN };
  g_auto(Outcome) out = { NULL };

  out.server = scenario_server (&s);
  fake_server_on (out.server, FAKE_PHASE_TLS, "LOGIN \"" FAKE_USER "\" \"x\\\" a9 LOGOUT \\\\ {3}%*\"$",
                  fake_send ("$TAG OK Logged in\r\n"), NULL);
  scenario_play (&s, &out);
  /* Exactly CAPABILITY, LOGIN and LOGOUT: the password split nothing off. */
  g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_TLS, ""), ==, 3);
  g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_TLS, "LOGOUT"), ==, 1);

  /* CR, LF and NUL cannot be encoded at all: refused before connecting. */
  assert_refused_input (NULL, "line\r\na3 LOGOUT", -1, MC_SETTINGS_ERROR_INVALID_PASSWORD);
}

/* F. SMTP framing ---------------------------------------------------------------- */

/* G. POP3 framing ---------------------------------------------------------------- */

/* K. Bad user input and secret hygiene ------------------------------------------- */

static void
test_85_host_field (void)
{
  const char *hosts[] = { "LOCALHOST.", "localhost", "127.0.0.1" };
  const char *refused[] = { "imaps://localhost", "localhost/path", "localhost:465", "local host",
                            "localhost\r\nRCPT TO:<x@y>", "" };

  /* The EHLO argument is always the address literal, never raw input. */
  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      const Scenario s = { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .host = hosts[i], LOGGED_IN };
      g_auto(Outcome) out = { NULL };

      scenario_play (&s, &out);
      g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_TLS, "EHLO [127.0.0.1]$"), ==, 1);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    assert_refused_input (refused[i], NULL, 0, MC_SETTINGS_ERROR_INVALID_HOST);
}

static void
test_86_port_field (void)
{
  static const McSecurity securities[] = { MC_SECURITY_TLS, MC_SECURITY_STARTTLS, MC_SECURITY_NONE };

  /* Port 0 means the protocol's port for the chosen security, never port 0. */
  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    for (guint j = 0; j < G_N_ELEMENTS (securities); j++)
      {
        g_autoptr(McSettings) settings = mc_test_settings_new (every_protocol[i], securities[j], 0);

        g_assert_true (mc_settings_validate (settings, NULL));
        g_assert_cmpuint (mc_settings_get_effective_port (settings), ==,
                          mc_default_port (every_protocol[i], securities[j]));
        g_assert_cmpuint (mc_settings_get_effective_port (settings), !=, 0);
      }

  /* A mode that does not fit the port is pointed out before anything is sent. */
  {
    g_autoptr(McSettings) starttls_on_993 = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, 993);
    g_autoptr(McSettings) tls_on_587 = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, 587);
    g_autoptr(GPtrArray) first = mc_diagnosis_precheck (starttls_on_993, TRUE);
    g_autoptr(GPtrArray) second = mc_diagnosis_precheck (tls_on_587, TRUE);

    g_assert_cmpuint (first->len, >, 0);
    g_assert_cmpstr (((McAdvice *)g_ptr_array_index (first, 0))->code, ==, "use-implicit-tls");
    g_assert_cmpuint (second->len, >, 0);
    g_assert_cmpstr (((McAdvice *)g_ptr_array_index (second, 0))->code, ==, "use-starttls");
  }
}

static void
test_87_credential_content (void)
{
  const char *passwords[] = { "  spaced out  ", "pässwört€", "" };
  g_autofree char *too_long = g_strnfill (10 * 1024, 'p');

  /* Kept exactly (spaces too), encoded as UTF-8, sent once inside TLS. */
  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      const Scenario s = { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .password = passwords[i], LOGGED_IN };
      g_auto(Outcome) out = { NULL };

      out.server = scenario_server (&s);
      scenario_accept_plain (out.server, MC_PROTOCOL_SMTP, FAKE_USER, passwords[i]);
      if (passwords[i][0] == '\0')
        {
          /* Nothing to leak and nothing to find: only the exchange is checked. */
          g_autoptr(McSettings) settings = scenario_settings (&s, fake_server_start (out.server));

          out.result = scenario_run (settings, &out.ms);
          fake_server_finish (out.server);
          mc_assert_verdict (out.result, MC_VERDICT_OK);
          g_assert_cmpuint (count_credential_commands (out.server), ==, 1);
          continue;
        }
      scenario_play (&s, &out);
    }

  /* 10 kB, CR, LF, NUL: refused with a message, nothing sent. */
  assert_refused_input (NULL, too_long, -1, MC_SETTINGS_ERROR_INVALID_PASSWORD);
  assert_refused_input (NULL, "pass\rword", -1, MC_SETTINGS_ERROR_INVALID_PASSWORD);
  assert_refused_input (NULL, "pass\nword", -1, MC_SETTINGS_ERROR_INVALID_PASSWORD);
  assert_refused_input (NULL, "pass\0word", 9, MC_SETTINGS_ERROR_INVALID_PASSWORD);
}

typedef struct
{
  GString *seen;
} StepLog;

static void
log_step_texts (McCheck  *check,
                guint     position,
                gpointer  step_pointer,
                gpointer  data)
{
  const McStep *step = step_pointer;
  StepLog *log = data;

  g_string_append_printf (log->seen, "%s\n%s\n", step->summary ? step->summary : "",
                          step->server ? step->server : "");
}

static void
test_88_no_secret_leakage (void)
{
  static const char *mechanisms[] = {
    [MC_PROTOCOL_IMAP] = "IMAP4rev1 AUTH=LOGIN",
    [MC_PROTOCOL_POP3] = "USER",
    [MC_PROTOCOL_SMTP] = "AUTH LOGIN",
  };

  /* The live step events (what the window shows while it runs) are clean too,
   * also for the second AUTH LOGIN response and USER/PASS. */
  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    {
      McProtocol p = every_protocol[i];
      const Scenario s = { p, MC_SECURITY_STARTTLS, .caps_tls = mechanisms[p], .verdict = MC_VERDICT_OK,
                           .logins = p == MC_PROTOCOL_POP3 ? 2 : 1, .secret_sent = TRUE };
      g_autoptr(FakeServer) server = scenario_server (&s);
      g_autoptr(McSettings) settings = scenario_settings (&s, fake_server_start (server));
      g_autoptr(McCheck) check = mc_check_new (settings);
      g_autofree char *b64 = mc_test_base64 (FAKE_PASSWORD);
      g_autoptr(McResult) result = NULL;
      g_autoptr(GError) error = NULL;
      StepLog log = { g_string_new (NULL) };

      g_signal_connect (check, "step-changed", G_CALLBACK (log_step_texts), &log);
      result = mc_test_check_run (check, NULL, &error);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      fake_server_finish (server);

      g_assert_no_error (error);
      mc_assert_verdict (result, MC_VERDICT_OK);
      mc_assert_no_secret (result, FAKE_PASSWORD);
      fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);
      g_assert_cmpuint (log.seen->len, >, 0);
      g_assert_null (strstr (log.seen->str, FAKE_PASSWORD));
      g_assert_null (strstr (log.seen->str, b64));
      g_string_free (log.seen, TRUE);
    }
}

/* A server that repeats the password in its error: the report goes to support
 * staff, so the password must not travel with it. */
static void
test_88_server_echoes_password (void)
{
  const Scenario s = { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .caps_tls = "AUTH LOGIN",
                       .verdict = MC_VERDICT_FAILED, .logins = 1, .secret_sent = TRUE };
  g_autoptr(FakeServer) server = scenario_server (&s);
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(McResult) result = NULL;
  g_autofree char *report = NULL;
  gint64 ms;

  fake_server_on (server, FAKE_PHASE_TLS, "AUTH LOGIN$",
                  fake_send ("334 VXNlcm5hbWU6\r\n"), fake_expect (""), fake_send ("334 UGFzc3dvcmQ6\r\n"),
                  fake_expect (""), fake_send ("535 5.7.8 Password " FAKE_PASSWORD " is wrong\r\n"), NULL);
  settings = scenario_settings (&s, fake_server_start (server));
  result = scenario_run (settings, &ms);
  fake_server_finish (server);
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);

  report = mc_report_to_text (result, TRUE);
  mc_assert_no_secret (result, FAKE_PASSWORD);
  /* Hidden as a whole line: "Password [hidden] is wrong" would still say where it was. */
  g_assert_null (strstr (report, "is wrong"));
  g_assert_nonnull (strstr (report, MC_SERVER_LINE_HIDDEN));
  g_assert_cmpstr (mc_test_find_step (result, MC_STEP_LOGIN)->server, ==, MC_SERVER_LINE_HIDDEN);
}

static void
test_89_credential_persistence (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) keys = NULL;
  const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, LOGGED_IN };
  g_auto(Outcome) out = { NULL };

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "de.netzprisma.MailCheck", TRUE);
  if (schema == NULL)
    {
      g_test_skip ("the de.netzprisma.MailCheck schema is not installed (set GSETTINGS_SCHEMA_DIR)");
      return;
    }

  /* A whole check, then every key of the app's settings: no password anywhere,
   * and no key that could hold one. */
  scenario_play (&s, &out);
  settings = g_settings_new_full (schema, NULL, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_nonnull (keys[0]);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);
      g_autofree char *name = g_ascii_strdown (keys[i], -1);

      g_assert_null (strstr (name, "password"));
      g_assert_null (strstr (name, "secret"));
      g_assert_null (strstr (text, FAKE_PASSWORD));
    }
}

/* Registration -------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  GTestFunc   func;
} Case;

static const Case cases[] = {
  { "41-imap-login-argument-encoding", test_41_login_argument_encoding },
  { "85-host-field", test_85_host_field },
  { "86-port-field", test_86_port_field },
  { "87-credential-content", test_87_credential_content },
  { "88-no-secret-leakage", test_88_no_secret_leakage },
  { "88-no-secret-leakage/server-echoes-password", test_88_server_echoes_password },
  { "89-credential-persistence", test_89_credential_persistence },
};

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/mailcheck/hostile/", cases[i].name, NULL);

      g_test_add_func (path, cases[i].func);
    }
  status = g_test_run ();
  return status;
}
