/* test-hostile-credentials.c: what the user enters, and where the password may go
 *
 * Host, user name and password that cannot be sent safely are refused before
 * any connection; what can be sent is sent exactly and encoded so that it splits
 * no command. The password never shows in a report, the JSON, the transcript,
 * the live step events, the debug log or the settings, not even when a server
 * repeats it; and the oracle that watches the wire for it is itself tested.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hostile-credentials"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mc-diagnosis.h"
#include "mc-report.h"
#include "mc-session-private.h"
#include "scenario.h"

/* Captured log output ------------------------------------------------------ */

static GMutex log_mutex;
static GString *log_text;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&log_mutex);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") || g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        {
          if (fields[i].length < 0)
            g_string_append (log_text, fields[i].value);
          else
            g_string_append_len (log_text, fields[i].value, fields[i].length);
          g_string_append_c (log_text, ' ');
        }
    }
  g_string_append_c (log_text, '\n');
  g_mutex_unlock (&log_mutex);

  /* Warnings and worse still reach stderr (and stay fatal under G_DEBUG). */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

static char *
take_log (void)
{
  char *text;

  g_mutex_lock (&log_mutex);
  text = g_strdup (log_text->str);
  g_string_truncate (log_text, 0);
  g_mutex_unlock (&log_mutex);
  return text;
}

/* Refused before connecting ----------------------------------------------------- */

typedef struct
{
  const char  *host;
  const char  *user;
  const char  *password;
  gssize       password_len;
  int          code;
} Refused;

static void
test_refused_before_connecting (void)
{
  g_autofree char *too_long = g_strnfill (10 * 1024, 'p');
  const Refused cases[] = {
    { "imaps://localhost", NULL, NULL, 0, MC_SETTINGS_ERROR_INVALID_HOST },
    { "localhost/path", NULL, NULL, 0, MC_SETTINGS_ERROR_INVALID_HOST },
    { "localhost:465", NULL, NULL, 0, MC_SETTINGS_ERROR_INVALID_HOST },
    { "local host", NULL, NULL, 0, MC_SETTINGS_ERROR_INVALID_HOST },
    { "localhost\r\nRCPT TO:<x@y>", NULL, NULL, 0, MC_SETTINGS_ERROR_INVALID_HOST },
    { "", NULL, NULL, 0, MC_SETTINGS_ERROR_INVALID_HOST },
    /* CR, LF and NUL cannot be encoded at all; 10 kB is no password. */
    { NULL, FAKE_USER "\r\na1 LOGOUT", NULL, 0, MC_SETTINGS_ERROR_INVALID_USER },
    { NULL, NULL, "line\r\na3 LOGOUT", -1, MC_SETTINGS_ERROR_INVALID_PASSWORD },
    { NULL, NULL, FAKE_PASSWORD "\r\n", -1, MC_SETTINGS_ERROR_INVALID_PASSWORD },
    { NULL, NULL, "pass\rword", -1, MC_SETTINGS_ERROR_INVALID_PASSWORD },
    { NULL, NULL, "pass\nword", -1, MC_SETTINGS_ERROR_INVALID_PASSWORD },
    { NULL, NULL, "pass\0word", 9, MC_SETTINGS_ERROR_INVALID_PASSWORD },
    { NULL, NULL, FAKE_PASSWORD "\0x", sizeof FAKE_PASSWORD + 1,
      MC_SETTINGS_ERROR_INVALID_PASSWORD },
    { NULL, NULL, too_long, -1, MC_SETTINGS_ERROR_INVALID_PASSWORD },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases) * G_N_ELEMENTS (every_protocol); i++)
    {
      const Refused *c = &cases[i % G_N_ELEMENTS (cases)];
      McProtocol p = every_protocol[i / G_N_ELEMENTS (cases)];
      g_autoptr(FakeServer) server = scenario_dialects[p].make (FAKE_MODE_TLS);
      g_autoptr(McSettings) settings = mc_test_settings_new (p, MC_SECURITY_TLS,
                                                             fake_server_start (server));
      g_autoptr(GError) error = NULL;
      McResult *result;

      if (c->host != NULL)
        mc_settings_set_host (settings, c->host);
      if (c->user != NULL)
        mc_settings_set_user (settings, c->user);
      if (c->password != NULL)
        mc_settings_set_password_len (settings, c->password, c->password_len);
      result = mc_test_run_released (settings, NULL, &error);
      fake_server_finish (server);

      /* With a message that says why, and never quotes the password back. */
      g_assert_null (result);
      g_assert_error (error, MC_SETTINGS_ERROR, c->code);
      g_assert_cmpuint (strlen (error->message), >, 0);
      g_assert_null (strstr (error->message, FAKE_PASSWORD));
      g_assert_cmpuint (fake_server_get_connections (server), ==, 0);
    }
}

/* Sent exactly --------------------------------------------------------------- */

static void
script_login_quoted (FakeServer *server)
{
  /* Quotes, a backslash and a literal marker that would end the string or the
   * command if they were not escaped. */
  fake_server_on (server, FAKE_PHASE_TLS, "LOGIN \"" FAKE_USER "\" \"x\\\" a9 LOGOUT \\\\ {3}%*\"$",
                  fake_send ("$TAG OK Logged in\r\n"), NULL);
}

static void
script_login_quoted_with_literal_plus (FakeServer *server)
{
  /* A quoted string suffices, even where literals are cheap. */
  fake_server_on (server, FAKE_PHASE_TLS, "LOGIN \"" FAKE_USER "\" \"pa\\\"ss\\\\wo rd{5}%*\"$",
                  fake_send ("$TAG OK Logged in\r\n"), NULL);
}

static void
test_imap_login_arguments_quoted (void)
{
  static const Scenario quoted = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .caps_tls = "IMAP4rev1",
                                   .password = "x\" a9 LOGOUT \\ {3}%*",
                                   .setup = script_login_quoted,
                                   .sent = { { FAKE_PHASE_TLS, "LOGOUT", 1 } }, LOGGED_IN };
  static const Scenario literal_plus = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
                                         .caps_tls = "IMAP4rev1 LITERAL+",
                                         .password = "pa\"ss\\wo rd{5}%*",
                                         .setup = script_login_quoted_with_literal_plus,
                                         .auth_used = "LOGIN command", LOGGED_IN };
  g_auto(Outcome) out = { NULL };
  g_auto(Outcome) plus = { NULL };

  scenario_play (&quoted, &out);
  /* Exactly CAPABILITY, LOGIN and LOGOUT: the password split nothing off. */
  g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_TLS, ""), ==, 3);
  scenario_play (&literal_plus, &plus);
}

static void
test_password_sent_exactly (void)
{
  const char *passwords[] = { "  spaced out  ", "pässwört€", "" };

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

          out.result = mc_test_run_timed (settings, NULL, &out.ms);
          fake_server_finish (out.server);
          mc_assert_verdict (out.result, MC_VERDICT_OK);
          g_assert_cmpuint (count_credential_commands (out.server), ==, 1);
          continue;
        }
      scenario_play (&s, &out);
    }
}

/* Port 0 means the protocol's port for the chosen security (test-settings.c);
 * a mode that does not fit the port is pointed out before anything is sent. */
static void
test_port_and_mode_mismatch_named_before_connecting (void)
{
  g_autoptr(McSettings) starttls_on_993 = NULL;
  g_autoptr(McSettings) tls_on_587 = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;

  starttls_on_993 = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, 993);
  tls_on_587 = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, 587);
  first = mc_diagnosis_precheck (starttls_on_993, TRUE);
  second = mc_diagnosis_precheck (tls_on_587, TRUE);

  g_assert_cmpuint (first->len, >, 0);
  g_assert_cmpstr (((McAdvice *)g_ptr_array_index (first, 0))->code, ==, "use-implicit-tls");
  g_assert_cmpuint (second->len, >, 0);
  g_assert_cmpstr (((McAdvice *)g_ptr_array_index (second, 0))->code, ==, "use-starttls");
}

/* Never shown, never logged ------------------------------------------------------ */

static void
script_login_literals (FakeServer *server)
{
  fake_server_on (server, FAKE_PHASE_TLS, "LOGIN {",
                  fake_send ("+ go\r\n"), fake_expect (""),
                  fake_send ("+ go\r\n"), fake_expect (""),
                  fake_send ("$TAG OK Logged in\r\n"), NULL);
}

#define SECRET(name, p, caps, pw, ...) \
  { name, { (p), MC_SECURITY_STARTTLS, .caps_tls = (caps), .password = (pw), \
            .secret_sent = TRUE, __VA_ARGS__ } }
#define WORKS .verdict = MC_VERDICT_OK, .logins = 1
#define REJECTED .verdict = MC_VERDICT_FAILED, .auth = "rejected", .logins = 1

/* Every way the app sends a password, accepted and refused. */
static const ScenarioCase secret_cases[] = {
  SECRET ("imap-sasl-ir", MC_PROTOCOL_IMAP, NULL, FAKE_PASSWORD, WORKS),
  SECRET ("imap-plain", MC_PROTOCOL_IMAP, "IMAP4rev1 AUTH=PLAIN", FAKE_PASSWORD, WORKS),
  SECRET ("imap-login-mechanism", MC_PROTOCOL_IMAP, "IMAP4rev1 AUTH=LOGIN", FAKE_PASSWORD, WORKS),
  SECRET ("imap-login-command", MC_PROTOCOL_IMAP, "IMAP4rev1", FAKE_PASSWORD, WORKS),
  SECRET ("imap-literal", MC_PROTOCOL_IMAP, "IMAP4rev1", "Cänary-8bit-Secret",
          .setup = script_login_literals,
          WORKS),
  SECRET ("imap-rejected", MC_PROTOCOL_IMAP, NULL, "Wrong-Canary-Secret", REJECTED),
  SECRET ("pop3-plain", MC_PROTOCOL_POP3, NULL, FAKE_PASSWORD, WORKS),
  SECRET ("pop3-user-pass", MC_PROTOCOL_POP3, "USER", FAKE_PASSWORD, .verdict = MC_VERDICT_OK,
          .logins = 2),
  SECRET ("pop3-rejected", MC_PROTOCOL_POP3, "USER", "Wrong-Canary-Secret",
          .verdict = MC_VERDICT_FAILED,
          .auth = "rejected", .logins = 2),
  SECRET ("smtp-plain", MC_PROTOCOL_SMTP, NULL, FAKE_PASSWORD, WORKS),
  SECRET ("smtp-login", MC_PROTOCOL_SMTP, "AUTH LOGIN", FAKE_PASSWORD, WORKS),
  SECRET ("smtp-rejected", MC_PROTOCOL_SMTP, NULL, "Wrong-Canary-Secret", REJECTED),
};

static void
log_step_texts (McCheck  *check,
                guint     position,
                gpointer  step_pointer,
                gpointer  data)
{
  const McStep *step = step_pointer;

  g_string_append_printf (data, "%s\n%s\n", step->summary ? step->summary : "",
                          step->server ? step->server : "");
}

static void
assert_text_clean (const char *text,
                   const char *password)
{
  g_autofree char *b64 = mc_test_base64 (password);
  g_autofree char *plain = mc_test_sasl_plain (FAKE_USER, password);

  g_assert_null (strstr (text, password));
  g_assert_null (strstr (text, b64));
  g_assert_null (strstr (text, plain));
}

static void
test_no_secret_anywhere (gconstpointer data)
{
  const Scenario *s = &((const ScenarioCase *)data)->scenario;
  g_auto(Outcome) out = { NULL };
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(GString) events = g_string_new (NULL);
  g_autofree char *log = NULL;
  g_autofree char *transcript = NULL;
  g_autoptr(GError) error = NULL;
  McCheck *check;
  gint64 start;

  out.server = scenario_server (s);
  settings = scenario_settings (s, fake_server_start (out.server));
  check = mc_check_new (settings);
  /* The live step events: what the window shows while it runs. */
  g_signal_connect (check, "step-changed", G_CALLBACK (log_step_texts), events);
  g_free (take_log ());
  start = g_get_monotonic_time ();
  out.result = mc_test_check_run (check, NULL, &error);
  out.ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_no_error (error);
  mc_test_assert_released (check, out.result);
  fake_server_finish (out.server);
  log = take_log ();
  scenario_check (s, &out);

  /* The check really logged in (or was really refused) inside TLS... */
  g_assert_cmpint (out.result->auth_result, !=, MC_AUTH_RESULT_NOT_TRIED);
  transcript = mc_test_transcript_text (out.result);
  g_assert_nonnull (strstr (transcript, MC_REDACTED));
  /* ...and the debug log and the events were captured, so their cleanliness means something. */
  g_assert_nonnull (strstr (log, "C: "));
  g_assert_cmpuint (events->len, >, 0);
  assert_text_clean (log, s->password);
  assert_text_clean (events->str, s->password);
}

/* A password that is part of the user name: the USER line is the user's own
 * text and stays as it is; marking the password inside it would tell the
 * report's reader what the password is ("USER [credentials hidden]@…"). */
static void
test_marker_never_inside_text (void)
{
  static const Scenario s = { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .caps_tls = "USER",
                              .password = "alice",
                              .twists = { { FAKE_PHASE_TLS, "PASS ",
                                            "-ERR [AUTH] Authentication failed\r\n" } } };
  g_auto(Outcome) out = { NULL };
  g_autoptr(McSettings) settings = NULL;
  g_autofree char *transcript = NULL;

  /* Not scenario_play(): the password is in the user name, which reports show. */
  out.server = scenario_server (&s);
  settings = scenario_settings (&s, fake_server_start (out.server));
  out.result = mc_test_run_timed (settings, NULL, &out.ms);
  fake_server_finish (out.server);
  transcript = mc_test_transcript_text (out.result);

  g_assert_nonnull (strstr (transcript, "C USER " FAKE_USER "\n"));
  g_assert_nonnull (strstr (transcript, "C PASS " MC_REDACTED "\n"));
  g_assert_null (strstr (transcript, MC_REDACTED "@"));
  /* The server's own lines that do not repeat the password are untouched. */
  g_assert_nonnull (strstr (transcript, "S -ERR [AUTH] Authentication failed\n"));
}

typedef struct
{
  const char *name;
  char     *(*echo) (void);
} EchoCase;

static char *
echo_upper_case (void)
{
  return g_ascii_strup (FAKE_PASSWORD, -1);
}

static char *
echo_base64 (void)
{
  return mc_test_base64 (FAKE_PASSWORD);
}

static char *
echo_plain_blob (void)
{
  return mc_test_sasl_plain (FAKE_USER, FAKE_PASSWORD);
}

static const EchoCase echo_cases[] = {
  { "case-changed", echo_upper_case },
  { "base64-login", echo_base64 },
  { "plain-blob", echo_plain_blob },
};

/* A server line that repeats the credentials in any form the client sent is
 * hidden as a whole, in the transcript and in the step; no line around it
 * changes. */
static void
test_server_echo_hides_whole_line (gconstpointer data)
{
  const EchoCase *c = data;
  g_autofree char *echo = c->echo ();
  g_autofree char *reply = g_strdup_printf ("535 5.7.8 Authentication failed for %s, sorry\r\n",
                                            echo);
  const Scenario s = { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .caps_tls = "AUTH PLAIN",
                       .twists = { { FAKE_PHASE_TLS, "AUTH ",
                                     reply } }, .verdict = MC_VERDICT_FAILED, .logins = 1,
                       .secret_sent = TRUE };
  g_auto(Outcome) out = { NULL };
  g_autofree char *transcript = NULL;
  guint markers = 0;

  scenario_play (&s, &out);
  transcript = mc_test_transcript_text (out.result);
  g_assert_nonnull (strstr (transcript, "S " MC_SERVER_LINE_HIDDEN "\n"));
  g_assert_null (strstr (transcript, "sorry"));
  g_assert_cmpstr (mc_test_find_step (out.result, MC_STEP_LOGIN)->server, ==,
                   MC_SERVER_LINE_HIDDEN);
  g_assert_null (strstr (transcript, echo));

  /* The only other marker is the whole argument of the AUTH command. */
  for (const char *p = strstr (transcript, MC_REDACTED); p != NULL; p = strstr (p + 1, MC_REDACTED))
    markers++;
  g_assert_cmpuint (markers, ==, 1);
  g_assert_nonnull (strstr (transcript, "C AUTH PLAIN " MC_REDACTED "\n"));
  g_assert_nonnull (strstr (transcript, "S 220 "));
}

static void
script_echo_after_auth_login (FakeServer *server)
{
  fake_server_on (server, FAKE_PHASE_TLS, "AUTH LOGIN$",
                  fake_send ("334 VXNlcm5hbWU6\r\n"), fake_expect (""),
                  fake_send ("334 UGFzc3dvcmQ6\r\n"), fake_expect (""),
                  fake_send ("535 5.7.8 Password " FAKE_PASSWORD " is wrong\r\n"), NULL);
}

/* The password itself, after AUTH LOGIN: the report goes to support staff, so
 * the password must not travel with it. */
static void
test_server_echo_verbatim (void)
{
  static const Scenario s = { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .caps_tls = "AUTH LOGIN",
                              .setup = script_echo_after_auth_login, .verdict = MC_VERDICT_FAILED,
                              .logins = 1,
                              .secret_sent = TRUE };
  g_auto(Outcome) out = { NULL };
  g_autofree char *report = NULL;

  scenario_play (&s, &out);
  report = mc_report_to_text (out.result, TRUE);
  /* Hidden as a whole line: "Password [hidden] is wrong" would still say where it was. */
  g_assert_null (strstr (report, "is wrong"));
  g_assert_nonnull (strstr (report, MC_SERVER_LINE_HIDDEN));
  g_assert_cmpstr (mc_test_find_step (out.result, MC_STEP_LOGIN)->server, ==,
                   MC_SERVER_LINE_HIDDEN);
}

static void
test_nothing_stored_in_settings (void)
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
      g_test_skip ("the de.netzprisma.MailCheck schema is not installed "
                   "(set GSETTINGS_SCHEMA_DIR)");
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

/* The oracle itself ------------------------------------------------------------- */

static void
leak (const char *line)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_PLAIN);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *output;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", fake_server_start (server),
                                                NULL, &error);
  g_assert_no_error (error);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (output, line, strlen (line), NULL, NULL, &error);
  g_assert_no_error (error);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  fake_server_finish (server);
  fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);
}

/* What a broken client could send in plaintext; the oracle must catch each. */
static char *
leaked_line (guint which)
{
  g_autofree char *plain = mc_test_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *b64 = mc_test_base64 (FAKE_PASSWORD);

  switch (which)
    {
    case 0:
      return g_strdup ("a1 login alice secret\r\n");
    case 1:
      return g_strdup_printf ("%s\r\n", plain);
    case 2:
      return g_strdup_printf ("%s\r\n", b64);
    case 3:
    default:
      return g_strdup ("x " FAKE_PASSWORD "\r\n");
    }
}

static void
test_oracle_detects_leaks (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *line = leaked_line (atoi (g_getenv ("MC_TEST_LEAK")));

      leak (line);
      return;
    }

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *index = g_strdup_printf ("%u", i);

      g_setenv ("MC_TEST_LEAK", index, TRUE);
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, 0);
      g_test_trap_assert_failed ();
      g_test_trap_assert_stderr ("*the server received*outside TLS*");
    }
  g_unsetenv ("MC_TEST_LEAK");
}

int
main (int   argc,
      char *argv[])
{
  log_text = g_string_new (NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();

  g_test_add_func ("/mailcheck/hostile/credentials/refused-before-connecting",
                   test_refused_before_connecting);
  g_test_add_func ("/mailcheck/hostile/credentials/password-sent-exactly",
                   test_password_sent_exactly);
  g_test_add_func ("/mailcheck/hostile/credentials/imap-login-arguments-quoted",
                   test_imap_login_arguments_quoted);
  g_test_add_func ("/mailcheck/hostile/credentials/port-and-mode-mismatch-named-before-connecting",
                   test_port_and_mode_mismatch_named_before_connecting);
  for (guint i = 0; i < G_N_ELEMENTS (secret_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/mailcheck/hostile/credentials/no-secret-anywhere/",
                                           secret_cases[i].path,
                                           NULL);

      g_test_add_data_func (path, &secret_cases[i], test_no_secret_anywhere);
    }
  g_test_add_func ("/mailcheck/hostile/credentials/transcript-marker-never-inside-text",
                   test_marker_never_inside_text);
  for (guint i = 0; i < G_N_ELEMENTS (echo_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/mailcheck/hostile/credentials/"
                                           "server-echo-hides-whole-line/",
                                           echo_cases[i].name, NULL);

      g_test_add_data_func (path, &echo_cases[i], test_server_echo_hides_whole_line);
    }
  g_test_add_func ("/mailcheck/hostile/credentials/"
                   "server-echo-hides-whole-line/verbatim-after-auth-login",
                   test_server_echo_verbatim);
  g_test_add_func ("/mailcheck/hostile/credentials/nothing-stored-in-settings",
                   test_nothing_stored_in_settings);
  g_test_add_func ("/mailcheck/hostile/credentials/oracle-detects-plaintext-leaks",
                   test_oracle_detects_leaks);

  return g_test_run ();
}
