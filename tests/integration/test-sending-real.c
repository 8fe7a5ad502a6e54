/* test-sending-real.c
 *
 * The envelope check (issue 16) against the real Postfix of
 * tests/servers/mailservers.sh, driven through the built command-line program:
 * Postfix's smtpd_sender_login_maps lets alice send as alice@example.test only,
 * and one submission port refuses to relay for logged-in clients. Each test
 * asserts what the user sees (exit status, steps, advice, the server's words
 * in the JSON) and what Postfix logged: MAIL and RCPT, never DATA, and nothing
 * queued.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sending-real"

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "cli-run.h"
#include "real-servers.h"

typedef struct
{
  const char *security;
  const char *port_key;
  const char *user;       /* NULL: MC_USER */
  const char *address;    /* NULL: no --address */
  gboolean    envelope;
  const char *session;    /* the commands Postfix logs for it, see wait_for_session() */
} Sending;

/* What Postfix logs for a session that passes both steps, and for one refused at RCPT. */
#define SESSION_ACCEPTED " auth=1 mail=1 rcpt=1 rset=1 quit=1 "
#define SESSION_REFUSED  " auth=1 mail=1 rcpt=0/1 rset=1 quit=1 "

/* cli_run() has no options for the envelope check; a shell in front of the
 * program appends them, so the run keeps cli_run()'s checks for the password
 * in every output. A repeated --user replaces the first one. */
static CliRun *
run_sending (const Sending *sending)
{
  g_autofree char *extra = NULL;
  g_autofree char *script = NULL;
  const char *wrapper[] = { "/bin/sh", "-c", NULL, "sh", NULL };
  CliOptions options = { 0 };

  extra = g_strdup_printf ("%s%s%s%s%s", sending->envelope ? " --envelope" : "",
                           sending->address ? " --address " : "", sending->address ? sending->address : "",
                           sending->user ? " --user " : "", sending->user ? sending->user : "");
  script = g_strdup_printf ("exec \"$@\"%s", extra);
  wrapper[2] = script;

  options.protocol = "smtp";
  options.security = sending->security;
  options.port_key = sending->port_key;
  options.password = real_servers_value ("MC_PASSWORD");
  options.wrapper = wrapper;
  return cli_run (&options);
}

static gboolean
step_server_has (CliRun     *run,
                 const char *id,
                 const char *needle)
{
  JsonObject *step = cli_run_step (run, id);
  const char *server = step ? report_string (step, "server") : NULL;

  return server != NULL && strstr (server, needle) != NULL;
}

/* What Postfix logged since @offset, once the disconnect line of this run's
 * connection is there: it counts every command ("auth=1 mail=1 rcpt=1
 * rset=1 quit=1"), so @commands says what the session was, and a DATA or
 * BDAT would show as data= or bdat=. */
static char *
wait_for_session (CliRun     *run,
                  goffset     offset,
                  const char *commands)
{
  char *log = real_servers_wait_for_log ("MC_POSTFIX_LOG", offset, commands);

  g_test_message ("Postfix:\n%s", log);
  if (strstr (log, commands) == NULL)
    {
      cli_run_dump (run);
      g_error ("Postfix did not log a session with “%s”", commands);
    }
  if (strstr (log, " data=") != NULL || strstr (log, " bdat=") != NULL || strstr (log, "queued as") != NULL ||
      strstr (log, "cleanup[") != NULL)
    {
      cli_run_dump (run);
      g_error ("Postfix received a message:\n%s", log);
    }
  return log;
}

/* Runs @sending and waits for Postfix's log of its session into @log; NULL when
 * the servers cannot run here (the test is skipped). */
static CliRun *
play_sending (const Sending  *sending,
              char          **log)
{
  goffset offset;
  CliRun *run;

  if (!real_servers_ready ())
    return NULL;
  offset = real_servers_log_size ("MC_POSTFIX_LOG");
  run = run_sending (sending);
  cli_run_log_summary (run);
  *log = wait_for_session (run, offset, sending->session);
  return run;
}

/* The exit status, the login and how the two envelope steps ended. */
static void
assert_steps (CliRun     *run,
              int         status,
              const char *sender,
              const char *recipient)
{
  assert_run (run, run->status == status);
  assert_run (run, g_strcmp0 (cli_run_auth_result (run), "ok") == 0);
  assert_run (run, g_strcmp0 (cli_run_step_status (run, "sender"), sender) == 0);
  assert_run (run, g_strcmp0 (cli_run_step_status (run, "recipient"), recipient) == 0);
}

/* alice as alice@example.test: both steps pass with the server's 250s, and
 * Postfix saw MAIL, RCPT, RSET — no message. */
static void
test_own_address_accepted (gconstpointer data)
{
  const Sending *sending = data;
  g_autofree char *log = NULL;
  g_autoptr(CliRun) run = play_sending (sending, &log);

  if (run == NULL)
    return;

  assert_steps (run, 0, "ok", "ok");
  assert_run (run, step_server_has (run, "sender", "250 2.1.0 Ok"));
  assert_run (run, step_server_has (run, "recipient", "250 2.1.5 Ok"));
  assert_run (run, g_strcmp0 (report_string (run->root, "envelope_address"), "alice@example.test") == 0);
  assert_run (run, g_strcmp0 (report_string (run->root, "outcome"), "works") == 0 ||
                   g_strcmp0 (report_string (run->root, "outcome"), "works-with-warnings") == 0);
  assert_run (run, cli_run_transcript_contains (run, "MAIL FROM:<alice@example.test>"));
  assert_run (run, cli_run_transcript_contains (run, "RCPT TO:<alice@example.test>"));
  assert_run (run, cli_run_transcript_contains (run, "RSET"));
  assert_run (run, !cli_run_transcript_contains (run, "C: DATA"));
}

/* alice as bob@example.test: Postfix refuses the sender (at RCPT TO, its
 * default), the test fails with sender-not-permitted, and the JSON carries
 * Postfix's own words. */
static void
test_other_address_not_permitted (void)
{
  const Sending sending = { "starttls", "MC_SMTP_STARTTLS_PORT", NULL, "bob@example.test", TRUE,
                            SESSION_REFUSED };
  g_autofree char *log = NULL;
  g_autoptr(CliRun) run = play_sending (&sending, &log);
  JsonObject *advice;

  if (run == NULL)
    return;

  assert_run (run, run->status == 1);
  assert_run (run, g_strcmp0 (cli_run_verdict (run), "failed") == 0);
  assert_run (run, g_strcmp0 (cli_run_auth_result (run), "ok") == 0);
  assert_run (run, cli_run_has_advice (run, "sender-not-permitted"));
  assert_run (run, !cli_run_has_advice (run, "relay-denied"));
  advice = cli_run_advice (run, "sender-not-permitted");
  assert_run (run, g_strcmp0 (report_string (advice, "field"), "address") == 0);
  assert_run (run, strstr (report_string (advice, "text"), "bob@example.test") != NULL);
  assert_run (run, step_server_has (run, "recipient", "Sender address rejected: not owned by user "
                                                      "alice@example.test"));
  assert_run (run, g_strcmp0 (report_string (run->root, "headline"),
                              "The login works, but this address may not send.") == 0);
  assert_run (run, strstr (log, "Sender address rejected: not owned by user alice@example.test") != NULL);
}

/* The login "bob" owns bob@example.test: the same address passes for him. */
static void
test_owner_may_send (void)
{
  const Sending sending = { "starttls", "MC_SMTP_STARTTLS_PORT", "bob", "bob@example.test", TRUE,
                            SESSION_ACCEPTED };
  g_autofree char *log = NULL;
  g_autoptr(CliRun) run = play_sending (&sending, &log);

  if (run == NULL)
    return;

  assert_steps (run, 0, "ok", "ok");
}

/* Logged in on the port that does not relay: relay-denied, with Postfix's
 * "Relay access denied" beside it. */
static void
test_relay_denied (void)
{
  const Sending sending = { "starttls", "MC_SMTP_NORELAY_PORT", NULL, NULL, TRUE, SESSION_REFUSED };
  g_autofree char *log = NULL;
  g_autoptr(CliRun) run = play_sending (&sending, &log);

  if (run == NULL)
    return;

  assert_steps (run, 1, "ok", "failed");
  assert_run (run, cli_run_has_advice (run, "relay-denied"));
  assert_run (run, !cli_run_has_advice (run, "sender-not-permitted"));
  assert_run (run, step_server_has (run, "recipient", "Relay access denied"));
  assert_run (run, strstr (log, "Relay access denied") != NULL);
}

/* Without --envelope the test stops after the login, as before. */
static void
test_off_without_option (void)
{
  const Sending sending = { "starttls", "MC_SMTP_STARTTLS_PORT", NULL, "bob@example.test", FALSE,
                            " auth=1 quit=1 " };
  g_autofree char *log = NULL;
  g_autoptr(CliRun) run = play_sending (&sending, &log);

  if (run == NULL)
    return;

  assert_run (run, run->status == 0);
  assert_run (run, cli_run_step (run, "sender") == NULL);
  assert_run (run, !cli_run_transcript_contains (run, "MAIL FROM"));
  assert_run (run, strstr (log, " mail=") == NULL);
}

static const Sending own_starttls = { "starttls", "MC_SMTP_STARTTLS_PORT", NULL, NULL, TRUE,
                                      SESSION_ACCEPTED };
static const Sending own_tls = { "tls", "MC_SMTP_TLS_PORT", NULL, NULL, TRUE, SESSION_ACCEPTED };

int
main (int    argc,
      char **argv)
{
  real_servers_test_init (&argc, &argv);

  g_test_add_data_func ("/mailcheck/real/sending/starttls-587/own-address-accepted", &own_starttls,
                        test_own_address_accepted);
  g_test_add_data_func ("/mailcheck/real/sending/tls-465/own-address-accepted", &own_tls,
                        test_own_address_accepted);
  g_test_add_func ("/mailcheck/real/sending/other-address-not-permitted", test_other_address_not_permitted);
  g_test_add_func ("/mailcheck/real/sending/owner-may-send", test_owner_may_send);
  g_test_add_func ("/mailcheck/real/sending/relay-denied", test_relay_denied);
  g_test_add_func ("/mailcheck/real/sending/off-without-option", test_off_without_option);

  return real_servers_run_tests (NULL);
}
