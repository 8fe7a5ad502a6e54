/* test-real-servers.c
 *
 * The command-line program and the engine against real Dovecot (IMAP, POP3) and Postfix
 * (SMTP) on loopback, started by tests/servers/mailservers.sh. Each test asserts what a
 * user (exit status, verdict, advice) or the server (its log) would notice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-real-servers"

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "cli-run.h"
#include "mc-check.h"
#include "real-servers.h"

/* ------------------------------------------------------------------------------------------ */
/* Runs */

/* Once the servers are ready: notes in @log_offset where @log_key's log stands (when
 * @log_key is not NULL), then runs the program with @options, the right password unless
 * they name one, and logs how it went. NULL, with the test skipped, where the servers
 * cannot run here. */
static CliRun *
run_when_ready (CliOptions *options,
                const char *log_key,
                goffset    *log_offset)
{
  CliRun *run;

  if (!real_servers_ready ())
    return NULL;
  if (options->password == NULL)
    options->password = real_servers_value ("MC_PASSWORD");
  if (log_key != NULL)
    *log_offset = real_servers_log_size (log_key);
  run = cli_run (options);
  cli_run_log_summary (run);
  return run;
}

/* ------------------------------------------------------------------------------------------ */
/* Tests: the right password logs in everywhere */

typedef struct
{
  const char *path;
  const char *protocol;
  const char *security;
  const char *port_key;
  const char *log_key;
  const char *login_line;     /* what the server logs for a successful login */
} Combination;

static const Combination combinations[] = {
  { "/mailcheck/real/imap/tls/login-succeeds", "imap", "tls", "MC_IMAP_TLS_PORT",
    "MC_DOVECOT_LOG", "imap-login: Info: Login: user=<alice@example.test>" },
  { "/mailcheck/real/imap/starttls/login-succeeds", "imap", "starttls", "MC_IMAP_STARTTLS_PORT",
    "MC_DOVECOT_LOG", "imap-login: Info: Login: user=<alice@example.test>" },
  { "/mailcheck/real/pop3/tls/login-succeeds", "pop3", "tls", "MC_POP3_TLS_PORT",
    "MC_DOVECOT_LOG", "pop3-login: Info: Login: user=<alice@example.test>" },
  { "/mailcheck/real/pop3/starttls/login-succeeds", "pop3", "starttls", "MC_POP3_STARTTLS_PORT",
    "MC_DOVECOT_LOG", "pop3-login: Info: Login: user=<alice@example.test>" },
  { "/mailcheck/real/smtp/tls-465/login-succeeds", "smtp", "tls", "MC_SMTP_TLS_PORT",
    "MC_POSTFIX_LOG", " auth=1 " },
  { "/mailcheck/real/smtp/starttls-587/login-succeeds", "smtp", "starttls",
    "MC_SMTP_STARTTLS_PORT", "MC_POSTFIX_LOG", " auth=1 " },
  { "/mailcheck/real/smtp/starttls-25/login-succeeds", "smtp", "starttls", "MC_SMTP_PORT",
    "MC_POSTFIX_LOG", " auth=1 " },
};

static void
test_login_succeeds (gconstpointer data)
{
  const Combination *combination = data;
  CliOptions options = { .protocol = combination->protocol, .security = combination->security,
                         .port_key = combination->port_key };
  goffset log_offset = 0;
  g_autoptr(CliRun) run = run_when_ready (&options, combination->log_key, &log_offset);
  g_autofree char *server_log = NULL;
  const char *tls_version;

  if (run == NULL)
    return;

  assert_run (run, run->status == 0);
  assert_run (run, g_strcmp0 (cli_run_verdict (run), "ok") == 0 ||
                   g_strcmp0 (cli_run_verdict (run), "warning") == 0);
  assert_run (run, g_strcmp0 (cli_run_auth_result (run), "ok") == 0);
  assert_run (run, g_strcmp0 (cli_run_step_status (run, "tls"), "ok") == 0);
  assert_run (run, g_strcmp0 (cli_run_step_status (run, "login"), "ok") == 0);
  if (g_str_equal (combination->security, "starttls"))
    assert_run (run, g_strcmp0 (cli_run_step_status (run, "starttls"), "ok") == 0);
  else
    assert_run (run, cli_run_step_status (run, "starttls") == NULL);
  assert_run (run, g_strcmp0 (report_string (run->root, "protocol"), combination->protocol) == 0);
  assert_run (run, g_strcmp0 (report_string (run->root, "security"), combination->security) == 0);
  assert_run (run, json_object_get_int_member_with_default (run->root, "port", 0) ==
                   real_servers_port (combination->port_key));
  assert_run (run, g_strcmp0 (report_string (run->root, "address"),
                              real_servers_value ("MC_HOST")) == 0);
  assert_run (run, cli_run_transcript_contains (run, "[credentials hidden]"));

  /* ssl_min_protocol = TLSv1.2 on the servers; the report must say what was negotiated. */
  tls_version = report_string (report_object (run->root, "tls"), "version");
  assert_run (run, g_strcmp0 (tls_version, "TLS 1.2") == 0 ||
                   g_strcmp0 (tls_version, "TLS 1.3") == 0);

  if (g_strcmp0 (cli_run_verdict (run), "warning") == 0)
    {
      g_autofree char *codes = cli_run_advice_codes (run);

      g_test_message ("verdict is warning; advice: %s", codes);
    }

  /* The server agrees that the user logged in. */
  server_log = real_servers_wait_for_log (combination->log_key, log_offset,
                                          combination->login_line);
  if (strstr (server_log, combination->login_line) == NULL)
    g_test_message ("server log since the run:\n%s", server_log);
  g_assert_nonnull (strstr (server_log, combination->login_line));
}

/* ------------------------------------------------------------------------------------------ */
/* Tests: the wrong password */

static void
check_wrong_password (const char *protocol,
                      const char *security,
                      const char *port_key,
                      const char *log_key,
                      const char *failure_line)
{
  CliOptions options = { .protocol = protocol, .security = security, .port_key = port_key,
                         .password = real_servers_wrong_password () };
  goffset log_offset = 0;
  g_autoptr(CliRun) run = run_when_ready (&options, log_key, &log_offset);
  g_autofree char *server_log = NULL;

  if (run == NULL)
    return;

  assert_run (run, run->status == 1);
  assert_run (run, g_strcmp0 (cli_run_verdict (run), "failed") == 0);
  assert_run (run, cli_run_has_advice (run, "authentication-failed"));
  assert_run (run, g_strcmp0 (cli_run_auth_result (run), "rejected") == 0);
  assert_run (run, g_strcmp0 (cli_run_step_status (run, "login"), "failed") == 0);
  /* auth_failure_delay = 0 on the server: nothing here should wait for long. */
  assert_run (run, run->elapsed_ms < 8000);

  /* The server saw exactly one failed attempt: no automatic retries (docs/security.md, rule 7). */
  server_log = real_servers_wait_for_log (log_key, log_offset, failure_line);
  if (real_servers_count (server_log, failure_line) != 1)
    g_test_message ("server log since the run:\n%s", server_log);
  g_assert_cmpuint (real_servers_count (server_log, failure_line), ==, 1);
}

static void
test_imap_wrong_password (void)
{
  check_wrong_password ("imap", "tls", "MC_IMAP_TLS_PORT", "MC_DOVECOT_LOG",
                        "(auth failed, 1 attempts");
}

static void
test_pop3_wrong_password (void)
{
  check_wrong_password ("pop3", "starttls", "MC_POP3_STARTTLS_PORT", "MC_DOVECOT_LOG",
                        "(auth failed, 1 attempts");
}

static void
test_smtp_wrong_password (void)
{
  check_wrong_password ("smtp", "starttls", "MC_SMTP_STARTTLS_PORT", "MC_POSTFIX_LOG",
                        "authentication failed");
}

/* ------------------------------------------------------------------------------------------ */
/* Tests: the wrong security setting for the port */

static void
check_tls_on_starttls_port (const char *protocol,
                            const char *port_key)
{
  CliOptions options = { .protocol = protocol, .security = "tls", .port_key = port_key };
  g_autoptr(CliRun) run = run_when_ready (&options, NULL, NULL);

  if (run == NULL)
    return;

  assert_run (run, run->status == 1);
  assert_run (run, cli_run_has_advice (run, "use-starttls"));
  assert_run (run, g_strcmp0 (cli_run_auth_result (run), "not-tried") == 0);
  assert_run (run, !cli_run_sent_login_command (run));
  assert_run (run, run->elapsed_ms < 8000);
}

static void
test_imap_tls_on_starttls_port (void)
{
  check_tls_on_starttls_port ("imap", "MC_IMAP_STARTTLS_PORT");
}

static void
test_smtp_tls_on_starttls_port (void)
{
  check_tls_on_starttls_port ("smtp", "MC_SMTP_STARTTLS_PORT");
}

static void
test_imap_starttls_on_tls_port (void)
{
  /* The server waits for a TLS hello, the client for a greeting: only the timeout ends it. */
  CliOptions options = { .protocol = "imap", .security = "starttls", .port_key = "MC_IMAP_TLS_PORT",
                         .timeout = 3 };
  g_autoptr(CliRun) run = run_when_ready (&options, NULL, NULL);

  if (run == NULL)
    return;

  assert_run (run, run->status == 1);
  assert_run (run, cli_run_has_advice (run, "use-implicit-tls") ||
                   cli_run_has_advice (run, "timeout"));
  g_test_message ("advice for STARTTLS on the implicit-TLS port: %s",
                  cli_run_has_advice (run, "use-implicit-tls") ? "use-implicit-tls" : "timeout");
  assert_run (run, g_strcmp0 (cli_run_auth_result (run), "not-tried") == 0);
  assert_run (run, !cli_run_sent_login_command (run));
  /* --timeout 3 bounds each phase; well under the 15 s default, with slack for a slow CI. */
  assert_run (run, run->elapsed_ms < 10000);
}

/* ------------------------------------------------------------------------------------------ */
/* Tests: certificate for another name */

static void
test_imap_hostname_mismatch (void)
{
  CliOptions options = { .protocol = "imap", .security = "tls", .port_key = "MC_IMAP_TLS_PORT",
                         .host_key = "MC_MISMATCH_HOST" };
  g_autoptr(CliRun) run = run_when_ready (&options, NULL, NULL);
  JsonObject *certificate;
  JsonArray *names;

  if (run == NULL)
    return;

  assert_run (run, run->status == 1);
  assert_run (run, cli_run_has_advice (run, "certificate-hostname-mismatch"));
  assert_run (run, g_strcmp0 (cli_run_step_status (run, "tls"), "failed") == 0);
  assert_run (run, g_strcmp0 (cli_run_auth_result (run), "not-tried") == 0);
  assert_run (run, !cli_run_sent_login_command (run));

  /* The user is told which names the certificate is valid for. */
  certificate = report_object (report_object (run->root, "tls"), "certificate");
  assert_run (run, certificate != NULL);
  names = report_array (certificate, "names");
  assert_run (run, report_array_has (names, real_servers_value ("MC_MISMATCH_NAME")));
  assert_run (run, !report_array_has (names, real_servers_value ("MC_MISMATCH_HOST")));
}

/* ------------------------------------------------------------------------------------------ */
/* Tests: security "none" never sends credentials */

static void
check_security_none (const char *protocol,
                     const char *port_key,
                     const char *log_key,
                     const char *server_end_line)
{
  CliOptions options = { .protocol = protocol, .security = "none", .port_key = port_key };
  goffset log_offset = 0;
  g_autoptr(CliRun) run = run_when_ready (&options, log_key, &log_offset);
  g_autofree char *server_log = NULL;

  if (run == NULL)
    return;

  assert_run (run, cli_run_has_advice (run, "plaintext-not-allowed"));
  /* A password was given, so the user wants to log in, which cannot be done
   * safely here: the login step fails without sending anything. */
  assert_run (run, g_strcmp0 (cli_run_step_status (run, "login"), "failed") == 0);
  assert_run (run, g_strcmp0 (cli_run_auth_result (run), "not-tried") == 0);
  assert_run (run, g_strcmp0 (cli_run_verdict (run), "failed") == 0);
  assert_run (run, run->status == 1);
  assert_run (run, !cli_run_sent_login_command (run));
  assert_run (run, !cli_run_transcript_contains (run, "[credentials hidden]"));
  assert_run (run, cli_run_step_status (run, "tls") == NULL);
  g_test_message ("security none with a password: verdict %s, exit %d",
                  cli_run_verdict (run), run->status);

  /* The server's view: the connection ended without any login attempt. */
  if (server_end_line != NULL)
    {
      server_log = real_servers_wait_for_log (log_key, log_offset, server_end_line);
      if (strstr (server_log, server_end_line) == NULL ||
          strstr (server_log, "auth failed") != NULL ||
          strstr (server_log, "Login:") != NULL)
        g_test_message ("server log since the run:\n%s", server_log);
      g_assert_nonnull (strstr (server_log, server_end_line));
      g_assert_null (strstr (server_log, "auth failed"));
      g_assert_null (strstr (server_log, "Login:"));
    }
  else
    {
      server_log = real_servers_wait_for_log (log_key, log_offset, "disconnect from");
      if (strstr (server_log, "disconnect from") == NULL ||
          strstr (server_log, " auth=") != NULL ||
          strstr (server_log, "sasl_") != NULL)
        g_test_message ("server log since the run:\n%s", server_log);
      /* Postfix counts commands on disconnect: "auth=0/1" would mean one AUTH was tried. */
      g_assert_nonnull (strstr (server_log, "disconnect from"));
      g_assert_null (strstr (server_log, " auth="));
      g_assert_null (strstr (server_log, "sasl_"));
    }
}

static void
test_imap_security_none (void)
{
  check_security_none ("imap", "MC_IMAP_STARTTLS_PORT", "MC_DOVECOT_LOG", "(no auth attempts");
}

static void
test_pop3_security_none (void)
{
  check_security_none ("pop3", "MC_POP3_STARTTLS_PORT", "MC_DOVECOT_LOG", "(no auth attempts");
}

static void
test_smtp_security_none (void)
{
  check_security_none ("smtp", "MC_SMTP_PORT", "MC_POSTFIX_LOG", NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Tests: the password stays secret in every output, even with every debug message on */

typedef enum
{
  OUTPUT_JSON,
  OUTPUT_TEXT_VERBOSE,   /* the text report with the transcript */
  OUTPUT_TEXT,
} OutputKind;

static const char * const output_names[] = { "json", "text --verbose", "text" };

/* The search must find the password where it would leak: as is, and base64-encoded inside
 * a longer message at each of the three positions within a 3-byte group (SASL PLAIN puts
 * "NUL user NUL" in front, whose length decides the position). */
static void
assert_search_finds_planted_password (const char *password)
{
  for (gsize prefix = 0; prefix < 3; prefix++)
    {
      g_autoptr(GString) message = g_string_new (NULL);
      g_autofree char *encoded = NULL;
      g_autofree char *planted = NULL;

      g_string_append_len (message, "xx", prefix);
      g_string_append_len (message, "\0u@example.test\0", 16);
      g_string_append (message, password);
      g_string_append (message, "\x01tail");
      encoded = g_base64_encode ((const guchar *)message->str, message->len);
      planted = g_strdup_printf ("C: AUTHENTICATE PLAIN %s", encoded);

      g_assert_cmpint (real_servers_find_secret (planted, password, NULL), >=, 0);
    }
  {
    g_autofree char *clear = g_strdup_printf ("S: hello %s.", password);

    g_assert_cmpint (real_servers_find_secret (clear, password, NULL), ==, 9);
  }
}

/* One canary password (fresh for each harness start) and one wrong one go through every
 * output the program has: the JSON report with its transcript, the text report with and
 * without transcript, and GLib's debug messages on standard error, for each protocol and
 * both kinds of TLS. cli_run() searches all of it for the password in clear text and in
 * base64 at any alignment. Each run must also show that it covered the login, or a missing
 * password could be mere silence. */
static void
test_password_absent_from_every_output (void)
{
  static const struct
  {
    const char *protocol;
    const char *security;
    const char *port_key;
  } targets[] = {
    { "imap", "tls", "MC_IMAP_TLS_PORT" },
    { "imap", "starttls", "MC_IMAP_STARTTLS_PORT" },
    { "pop3", "tls", "MC_POP3_TLS_PORT" },
    { "pop3", "starttls", "MC_POP3_STARTTLS_PORT" },
    { "smtp", "tls", "MC_SMTP_TLS_PORT" },
    { "smtp", "starttls", "MC_SMTP_STARTTLS_PORT" },
  };
  gboolean json_polluted = FALSE;
  guint runs = 0;

  if (!real_servers_ready ())
    return;

  assert_search_finds_planted_password (real_servers_value ("MC_PASSWORD"));
  assert_search_finds_planted_password (real_servers_wrong_password ());

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    for (OutputKind kind = OUTPUT_JSON; kind <= OUTPUT_TEXT; kind++)
      for (guint wrong = 0; wrong < 2; wrong++)
        {
          CliOptions options = { 0 };
          g_autoptr(CliRun) run = NULL;

          /* The wrong password once per protocol and output is enough. */
          if (wrong && g_str_equal (targets[t].security, "tls"))
            continue;

          options.protocol = targets[t].protocol;
          options.security = targets[t].security;
          options.port_key = targets[t].port_key;
          options.password = wrong ? real_servers_wrong_password ()
                                   : real_servers_value ("MC_PASSWORD");
          options.debug = TRUE;
          options.text = kind != OUTPUT_JSON;
          options.terse = kind == OUTPUT_TEXT;
          options.json_optional = TRUE;

          run = cli_run (&options);   /* asserts both passwords are absent from both outputs */
          runs++;
          g_test_message ("%s %s, %s, %s password, debug on -> exit %d, %" G_GINT64_FORMAT " ms",
                          targets[t].protocol, targets[t].security, output_names[kind],
                          wrong ? "wrong" : "right", run->status, run->elapsed_ms);

          assert_run (run, run->status == (wrong ? 1 : 0));
          /* The debug messages covered the login command, redacted. */
          assert_run (run, strstr (run->err, "-DEBUG") != NULL);
          assert_run (run, strstr (run->err, "[credentials hidden]") != NULL);

          switch (kind)
            {
            case OUTPUT_JSON:
              if (run->root == NULL)
                {
                  json_polluted = TRUE;
                  g_test_message ("standard output is not one JSON object");
                  break;
                }
              assert_run (run, g_strcmp0 (cli_run_auth_result (run),
                                          wrong ? "rejected" : "ok") == 0);
              assert_run (run, cli_run_transcript_contains (run, "[credentials hidden]"));
              break;

            case OUTPUT_TEXT_VERBOSE:
              /* The transcript is part of this report. */
              assert_run (run, strstr (run->out, "[credentials hidden]") != NULL);
              break;

            case OUTPUT_TEXT:
            default:
              assert_run (run, strstr (run->out, real_servers_value ("MC_USER")) != NULL);
              break;
            }
        }
  g_assert_cmpuint (runs, ==, 27);

  /* Nor did it reach the servers' logs in clear text or base64. */
  {
    g_autofree char *dovecot_log = real_servers_log_since ("MC_DOVECOT_LOG", 0);
    g_autofree char *postfix_log = real_servers_log_since ("MC_POSTFIX_LOG", 0);

    const char *password = real_servers_value ("MC_PASSWORD");

    real_servers_assert_no_secret ("Dovecot's log", dovecot_log, password);
    real_servers_assert_no_secret ("Dovecot's log", dovecot_log, real_servers_wrong_password ());
    real_servers_assert_no_secret ("Postfix's log", postfix_log, password);
    real_servers_assert_no_secret ("Postfix's log", postfix_log, real_servers_wrong_password ());
  }

  /* docs/cli.md: --format json prints one JSON object, debug messages or not. */
  g_assert_false (json_polluted);
}

/* A password the program refuses (a CR inside it) must not be repeated in the message
 * that says why, in any format. */
static void
test_password_absent_from_usage_errors (void)
{
  g_autofree char *with_cr = NULL;

  if (!real_servers_ready ())
    return;

  with_cr = g_strdup_printf ("%s\r%s\n", real_servers_value ("MC_PASSWORD"),
                             real_servers_value ("MC_PASSWORD"));
  for (guint text = 0; text < 2; text++)
    {
      CliOptions options = { 0 };
      g_autoptr(CliRun) run = NULL;

      options.protocol = "imap";
      options.security = "tls";
      options.port_key = "MC_IMAP_TLS_PORT";
      options.stdin_text = with_cr;
      options.debug = TRUE;
      options.text = text;
      options.json_optional = TRUE;

      run = cli_run (&options);   /* asserts the password is absent */
      g_test_message ("%s -> exit %d; stderr: %s", run->command, run->status, run->err);
      assert_run (run, run->status == 2);
      assert_run (run, run->err[0] != '\0');
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Tests: the engine in this process */

typedef struct
{
  GPtrArray *events;     /* "id:status" in arrival order */
  GArray    *indices;
  guint      late_events;
  McResult  *result;
  GError    *error;
  gboolean   done;
} EngineRun;

static void
engine_step_changed (McCheck  *check,
                     guint     index,
                     gpointer  step_pointer,
                     gpointer  user_data)
{
  EngineRun *run = user_data;
  const McStep *step = step_pointer;

  if (run->done)
    run->late_events++;
  g_ptr_array_add (run->events, g_strdup_printf ("%s:%s", mc_step_id_to_string (step->id),
                                                 mc_step_status_to_string (step->status)));
  g_array_append_val (run->indices, index);
}

static void
engine_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  EngineRun *run = user_data;

  run->result = mc_check_run_finish (MC_CHECK (source), result, &run->error);
  run->done = TRUE;
}

static gboolean
engine_timeout (gpointer user_data)
{
  g_error ("The engine did not finish within 60 s");
  return G_SOURCE_REMOVE;
}

static void
test_engine_imap_tls_live_steps (void)
{
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(McCheck) check = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  const char *expected[] = { "resolve", "connect", "tls", "greeting", "capabilities", "login",
                             "logout", NULL };
  EngineRun run = { 0 };
  gboolean hidden = FALSE;
  guint timeout_id;

  if (!real_servers_ready ())
    return;

  settings = mc_settings_new (MC_PROTOCOL_IMAP);
  mc_settings_set_host (settings, real_servers_value ("MC_HOST"));
  mc_settings_set_port (settings, real_servers_port ("MC_IMAP_TLS_PORT"));
  mc_settings_set_security (settings, MC_SECURITY_TLS);
  mc_settings_set_user (settings, real_servers_value ("MC_USER"));
  mc_settings_set_password (settings, real_servers_value ("MC_PASSWORD"));
  mc_settings_set_ca_file (settings, real_servers_value ("MC_CA_FILE"));
  mc_settings_set_timeout (settings, 10);

  run.events = events;
  run.indices = indices;
  check = mc_check_new (settings);
  g_signal_connect (check, "step-changed", G_CALLBACK (engine_step_changed), &run);

  timeout_id = g_timeout_add_seconds (60, engine_timeout, NULL);
  mc_check_run_async (check, NULL, engine_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  /* Anything still queued would be an event arriving after the result. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_source_remove (timeout_id);

  g_assert_no_error (run.error);
  g_assert_nonnull (run.result);

  for (guint i = 0; i < events->len; i++)
    g_test_message ("step event %u: index %u %s", i, g_array_index (indices, guint, i),
                    (const char *)g_ptr_array_index (events, i));

  g_assert_cmpuint (run.late_events, ==, 0);
  g_assert_cmpint (run.result->verdict, ==, MC_VERDICT_OK);
  g_assert_cmpint (run.result->auth_result, ==, MC_AUTH_RESULT_OK);

  /* Each step starts ("running") and then ends ("ok"), in protocol order. */
  for (guint i = 0; i < events->len; i++)
    {
      const char *event = g_ptr_array_index (events, i);
      guint index = g_array_index (indices, guint, i);
      McStep *step;

      g_assert_cmpuint (index, <, run.result->steps->len);
      step = g_ptr_array_index (run.result->steps, index);
      g_assert_true (g_str_has_prefix (event, mc_step_id_to_string (step->id)));

      if (g_str_has_suffix (event, ":running"))
        {
          g_assert_cmpuint (index, ==, order->len);
          g_ptr_array_add (order, (gpointer)mc_step_id_to_string (step->id));
        }
      else
        {
          g_assert_cmpuint (index + 1, ==, order->len);
          g_assert_true (g_str_has_suffix (event, ":ok"));
        }
    }
  g_ptr_array_add (order, NULL);
  g_assert_cmpstrv ((const char * const *)order->pdata, expected);
  g_assert_cmpuint (events->len, ==, 2 * (G_N_ELEMENTS (expected) - 1));

  for (guint i = 0; i < run.result->transcript->len; i++)
    {
      McTranscriptLine *line = g_ptr_array_index (run.result->transcript, i);

      real_servers_assert_no_secret ("the transcript", line->text,
                                     real_servers_value ("MC_PASSWORD"));
      if (line->direction == 'C' && strstr (line->text, "[credentials hidden]") != NULL)
        {
          g_assert_true (line->encrypted);
          hidden = TRUE;
        }
    }
  g_assert_true (hidden);

  mc_result_unref (run.result);
}

/* ------------------------------------------------------------------------------------------ */

int
main (int    argc,
      char **argv)
{
  real_servers_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (combinations); i++)
    g_test_add_data_func (combinations[i].path, &combinations[i], test_login_succeeds);
  g_test_add_func ("/mailcheck/real/imap/wrong-password/rejected", test_imap_wrong_password);
  g_test_add_func ("/mailcheck/real/pop3/wrong-password/rejected", test_pop3_wrong_password);
  g_test_add_func ("/mailcheck/real/smtp/wrong-password/rejected", test_smtp_wrong_password);
  g_test_add_func ("/mailcheck/real/imap/tls-on-starttls-port/advises-starttls",
                   test_imap_tls_on_starttls_port);
  g_test_add_func ("/mailcheck/real/smtp/tls-on-starttls-port/advises-starttls",
                   test_smtp_tls_on_starttls_port);
  g_test_add_func ("/mailcheck/real/imap/starttls-on-tls-port/fails-within-timeout",
                   test_imap_starttls_on_tls_port);
  g_test_add_func ("/mailcheck/real/imap/certificate/hostname-mismatch-names-certificate",
                   test_imap_hostname_mismatch);
  g_test_add_func ("/mailcheck/real/imap/security-none/sends-no-credentials",
                   test_imap_security_none);
  g_test_add_func ("/mailcheck/real/pop3/security-none/sends-no-credentials",
                   test_pop3_security_none);
  g_test_add_func ("/mailcheck/real/smtp/security-none/sends-no-credentials",
                   test_smtp_security_none);
  g_test_add_func ("/mailcheck/real/password/absent-from-every-output",
                   test_password_absent_from_every_output);
  g_test_add_func ("/mailcheck/real/password/absent-from-usage-errors",
                   test_password_absent_from_usage_errors);
  g_test_add_func ("/mailcheck/real/engine/imap-tls-live-steps",
                   test_engine_imap_tls_live_steps);

  return real_servers_run_tests (NULL);
}
