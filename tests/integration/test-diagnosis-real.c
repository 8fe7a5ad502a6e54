/* test-diagnosis-real.c
 *
 * The wrong security mode for the port, against real Dovecot and Postfix: the program
 * must name the right fix (use-starttls / use-implicit-tls) well inside the phase timeout,
 * and must not send the password on the way. Once on the harness's high ports, where
 * nothing answers on the usual alternative port, and once on the standard ports of
 * MC_STANDARD_PORTS_HOST, where it does and the advice may name it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-real-servers"

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "cli-run.h"
#include "real-servers.h"

#define STANDARD_PORTS_HOST "127.0.0.4"

/* --timeout for every run here; the mode checks must finish well inside it. */
#define PHASE_TIMEOUT_SECONDS 5
/* Process start, the credential-free probes and a busy CI machine. */
#define SLACK_MS 1000

typedef struct
{
  const char *path;
  const char *protocol;
  const char *security;       /* what the user chose; wrong for this port */
  const char *port_key;       /* a harness high port, or NULL: standard_port */
  guint16     standard_port;  /* on MC_STANDARD_PORTS_HOST */
  const char *code;           /* the advice that must come */
  const char *fix_security;   /* its "fix" in JSON */
  const char *failed_step;
  guint16     other_port;     /* the usual port of the other mode */
  const char *log_key;
} Mismatch;

static const Mismatch mismatches[] = {
  /* SSL/TLS on a port that starts in plaintext */
  { "/mailcheck/real/mismatch/imap/tls-on-143-role/advises-starttls", "imap", "tls",
    "MC_IMAP_STARTTLS_PORT", 0, "use-starttls", "starttls", "tls", 993, "MC_DOVECOT_LOG" },
  { "/mailcheck/real/mismatch/pop3/tls-on-110-role/advises-starttls", "pop3", "tls",
    "MC_POP3_STARTTLS_PORT", 0, "use-starttls", "starttls", "tls", 995, "MC_DOVECOT_LOG" },
  { "/mailcheck/real/mismatch/smtp/tls-on-587-role/advises-starttls", "smtp", "tls",
    "MC_SMTP_STARTTLS_PORT", 0, "use-starttls", "starttls", "tls", 465, "MC_POSTFIX_LOG" },
  { "/mailcheck/real/mismatch/smtp/tls-on-25-role/advises-starttls", "smtp", "tls",
    "MC_SMTP_PORT", 0, "use-starttls", "starttls", "tls", 465, "MC_POSTFIX_LOG" },
  { "/mailcheck/real/mismatch/imap/tls-on-143/advises-starttls", "imap", "tls",
    NULL, 143, "use-starttls", "starttls", "tls", 993, "MC_DOVECOT_LOG" },
  { "/mailcheck/real/mismatch/pop3/tls-on-110/advises-starttls", "pop3", "tls",
    NULL, 110, "use-starttls", "starttls", "tls", 995, "MC_DOVECOT_LOG" },
  { "/mailcheck/real/mismatch/smtp/tls-on-587/advises-starttls", "smtp", "tls",
    NULL, 587, "use-starttls", "starttls", "tls", 465, "MC_POSTFIX_LOG" },
  { "/mailcheck/real/mismatch/smtp/tls-on-25/advises-starttls", "smtp", "tls",
    NULL, 25, "use-starttls", "starttls", "tls", 465, "MC_POSTFIX_LOG" },

  /* STARTTLS (or nothing) on a port that expects TLS from the first byte: the server
   * waits for a ClientHello, the client for a greeting */
  { "/mailcheck/real/mismatch/imap/starttls-on-993-role/advises-implicit-tls", "imap",
    "starttls", "MC_IMAP_TLS_PORT", 0, "use-implicit-tls", "tls", "greeting", 143,
    "MC_DOVECOT_LOG" },
  { "/mailcheck/real/mismatch/pop3/starttls-on-995-role/advises-implicit-tls", "pop3",
    "starttls", "MC_POP3_TLS_PORT", 0, "use-implicit-tls", "tls", "greeting", 110,
    "MC_DOVECOT_LOG" },
  { "/mailcheck/real/mismatch/smtp/starttls-on-465-role/advises-implicit-tls", "smtp",
    "starttls", "MC_SMTP_TLS_PORT", 0, "use-implicit-tls", "tls", "greeting", 587,
    "MC_POSTFIX_LOG" },
  { "/mailcheck/real/mismatch/imap/starttls-on-993/advises-implicit-tls", "imap",
    "starttls", NULL, 993, "use-implicit-tls", "tls", "greeting", 143, "MC_DOVECOT_LOG" },
  { "/mailcheck/real/mismatch/pop3/starttls-on-995/advises-implicit-tls", "pop3",
    "starttls", NULL, 995, "use-implicit-tls", "tls", "greeting", 110, "MC_DOVECOT_LOG" },
  { "/mailcheck/real/mismatch/smtp/starttls-on-465/advises-implicit-tls", "smtp",
    "starttls", NULL, 465, "use-implicit-tls", "tls", "greeting", 587, "MC_POSTFIX_LOG" },
  { "/mailcheck/real/mismatch/imap/none-on-993-role/advises-implicit-tls", "imap",
    "none", "MC_IMAP_TLS_PORT", 0, "use-implicit-tls", "tls", "greeting", 143,
    "MC_DOVECOT_LOG" },
  { "/mailcheck/real/mismatch/imap/none-on-993/advises-implicit-tls", "imap",
    "none", NULL, 993, "use-implicit-tls", "tls", "greeting", 143, "MC_DOVECOT_LOG" },
};

/* How many connections of the run reached the server: the check itself and every
 * credential-free probe that got an answer. */
static guint
connections_answered (CliRun *run)
{
  JsonArray *transcript = report_array (run->root, "transcript");
  guint n = 1;

  for (guint i = 0; transcript != NULL && i < json_array_get_length (transcript); i++)
    {
      const char *line = json_array_get_string_element (transcript, i);

      if (line != NULL && strstr (line, "probe without password") != NULL &&
          g_str_has_suffix (line, ": answered"))
        n++;
    }
  return n;
}

/* The server's view: connections ended, none of them tried to log in. */
static void
assert_server_saw_no_login (CliRun     *run,
                            const char *log_key,
                            goffset     offset)
{
  gboolean dovecot = g_str_equal (log_key, "MC_DOVECOT_LOG");
  const char *end_line = dovecot ? "-login: Info: Disconnected" : "disconnect from";
  guint expected = connections_answered (run);
  g_autofree char *log = real_servers_wait_for_log_count (log_key, offset, end_line, expected);
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  guint ended = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gboolean bad;

      if (dovecot)
        {
          if (strstr (line, end_line) != NULL)
            ended++;
          /* Dovecot sums up every connection: "(no auth attempts in 0 secs)" versus
           * "(auth failed, 1 attempts …)", "(tried to use disallowed plaintext auth)" or
           * "(client didn't finish SASL auth …)"; a login logs "Login: user=<…>", and the
           * password database logs each lookup. */
          bad = (strstr (line, "attempts") != NULL && strstr (line, "no auth attempts") == NULL) ||
                strstr (line, "plaintext auth") != NULL || strstr (line, "SASL") != NULL ||
                strstr (line, "Login: ") != NULL || strstr (line, "auth failed") != NULL ||
                strstr (line, "passwd-file(") != NULL;
        }
      else
        {
          if (strstr (line, end_line) != NULL)
            ended++;
          /* Postfix counts the commands of each session on disconnect: "auth=0/1". */
          bad = strstr (line, " auth=") != NULL || strstr (line, "sasl_") != NULL ||
                strstr (line, "SASL") != NULL;
        }
      if (bad)
        {
          g_test_message ("server log since the run:\n%s", log);
          g_test_fail_printf ("The server saw a login attempt: %s", line);
          return;
        }
    }

  if (ended < expected)
    {
      g_test_message ("server log since the run:\n%s", log);
      g_test_fail_printf ("%u connection ends in the server log, expected at least %u",
                          ended, expected);
    }
}

static void
test_mismatch (gconstpointer data)
{
  const Mismatch *mismatch = data;
  g_autoptr(CliRun) run = NULL;
  g_autofree char *other = NULL;
  g_autofree char *lower = NULL;
  CliOptions options = { 0 };
  JsonObject *advice;
  JsonObject *fix;
  const char *text;
  goffset offset;

  if (!real_servers_ready ())
    return;

  options.protocol = mismatch->protocol;
  options.security = mismatch->security;
  if (mismatch->port_key != NULL)
    options.port_key = mismatch->port_key;
  else
    {
      options.host = real_servers_value ("MC_STANDARD_PORTS_HOST");
      options.port = mismatch->standard_port;
    }
  /* The user gave the password: only the program's judgement keeps it back. */
  options.password = real_servers_value ("MC_PASSWORD");
  options.timeout = PHASE_TIMEOUT_SECONDS;

  offset = real_servers_log_size (mismatch->log_key);
  run = cli_run (&options);
  cli_run_log_summary (run);
  g_test_message ("duration: %" G_GINT64_FORMAT " ms with --timeout %d", run->elapsed_ms,
                  PHASE_TIMEOUT_SECONDS);

  assert_run (run, run->status == 1);
  assert_run (run, g_strcmp0 (cli_run_verdict (run), "failed") == 0);
  assert_run (run, cli_run_has_advice (run, mismatch->code));
  assert_run (run, g_strcmp0 (cli_run_step_status (run, mismatch->failed_step), "failed") == 0);
  assert_run (run, run->elapsed_ms < PHASE_TIMEOUT_SECONDS * 1000 + SLACK_MS);

  advice = cli_run_advice (run, mismatch->code);
  fix = report_object (advice, "fix");
  text = report_string (advice, "text");
  assert_run (run, g_strcmp0 (report_string (fix, "security"), mismatch->fix_security) == 0);
  assert_run (run, text != NULL && text[0] != '\0');
  g_test_message ("advice: %s", text);

  /* The other mode's usual port is named only where it really answered (the probe). */
  other = g_strdup_printf ("port %u", mismatch->other_port);
  lower = g_ascii_strdown (text, -1);
  if (mismatch->port_key == NULL)
    assert_run (run, strstr (lower, other) != NULL);
  else
    assert_run (run, strstr (lower, other) == NULL);

  /* Nothing secret left the program. */
  assert_run (run, g_strcmp0 (cli_run_auth_result (run), "not-tried") == 0);
  assert_run (run, !cli_run_sent_login_command (run));
  assert_run (run, !cli_run_transcript_contains (run, "[credentials hidden]"));
  assert_run (run, cli_run_step_status (run, "login") == NULL);
  assert_server_saw_no_login (run, mismatch->log_key, offset);

  /* "Keep STARTTLS" would be wrong advice for someone who chose no encryption. */
  if (g_str_equal (mismatch->security, "none"))
    assert_run (run, strstr (text, "keep STARTTLS") == NULL);
}

/* ------------------------------------------------------------------------------------------ */

int
main (int    argc,
      char **argv)
{
  const char *harness_env[] = { "MC_STANDARD_PORTS_HOST", STANDARD_PORTS_HOST, NULL };

  real_servers_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (mismatches); i++)
    g_test_add_data_func (mismatches[i].path, &mismatches[i], test_mismatch);

  return real_servers_run_tests (harness_env);
}
