/* test-security.c: one group of tests per security rule of DESIGN.md §3
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-security"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mc-certificate.h"
#include "mc-report.h"
#include "mc-session-private.h"
#include "test-util.h"

/* Per protocol ------------------------------------------------------------- */

typedef struct
{
  const char  *name;
  McProtocol   protocol;
  FakeServer *(*server_new) (FakeMode mode);
  const char  *starttls_command;
  const char  *starttls_ok;
  const char  *caps_command;
  const char  *injected;
} Proto;

static const Proto imap = {
  "imap", MC_PROTOCOL_IMAP, fake_imap_server_new, "STARTTLS$",
  "$TAG OK Begin TLS negotiation now.\r\n", "CAPABILITY$",
  "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nB OK injected\r\n",
};

static const Proto pop3 = {
  "pop3", MC_PROTOCOL_POP3, fake_pop3_server_new, "STLS$",
  "+OK Begin TLS negotiation\r\n", "CAPA$",
  "+OK\r\nSASL PLAIN\r\nUSER\r\n.\r\n",
};

static const Proto smtp = {
  "smtp", MC_PROTOCOL_SMTP, fake_smtp_server_new, "STARTTLS$",
  "220 2.0.0 Ready to start TLS\r\n", "EHLO ",
  "250-fake.test\r\n250 AUTH LOGIN\r\n",
};

static const Proto *protos[] = { &imap, &pop3, &smtp };

static McResult *
run (const Proto *proto,
     FakeServer  *server,
     McSecurity   security)
{
  return mc_test_run_server (server, proto->protocol, security);
}

static guint
count_login_commands (FakeServer *server)
{
  static const char *commands[] = { "LOGIN ", "AUTHENTICATE", "AUTH ", "USER ", "PASS ", "APOP " };
  guint count = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    count += fake_server_count_commands (server, FAKE_PHASE_ANY, commands[i]);
  return count;
}

static void
add_proto_tests (const char    *path,
                 GTestDataFunc  func)
{
  for (guint i = 0; i < G_N_ELEMENTS (protos); i++)
    {
      g_autofree char *full = g_strdup_printf ("/mailcheck/security/%s/%s", path, protos[i]->name);

      g_test_add_data_func (full, protos[i], func);
    }
}

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

/* Rule 1: the password only inside TLS validated for the entered host ------- */

static void
test_unknown_host (void)
{
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, 0);
  g_autoptr(McResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lookups = NULL;

  g_free (mc_test_resolver_take_lookups ());
  mc_settings_set_host (settings, "nowhere.test");
  result = mc_test_run (settings, NULL, &error);
  lookups = mc_test_resolver_take_lookups ();

  g_assert_no_error (error);
  g_assert_nonnull (strstr (lookups, "nowhere.test"));
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_RESOLVE, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "host-not-found");
  mc_assert_mentions (mc_test_find_advice (result, "host-not-found")->text, "nowhere.test");
  g_assert_null (result->address);
}

/* Rule 7: one login attempt per check ----------------------------------------- */

static void
test_rule7_one_attempt (gconstpointer data)
{
  const Proto *proto = data;
  g_autoptr(FakeServer) server = proto->server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (proto->protocol, MC_SECURITY_TLS, 0);
  g_autoptr(McResult) result = NULL;

  /* Every mechanism is offered and every one would be refused. */
  if (proto == &imap)
    fake_server_set_caps (server, FAKE_PHASE_TLS, "IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5");
  else if (proto == &pop3)
    fake_server_set_caps (server, FAKE_PHASE_TLS, "USER\nSASL PLAIN LOGIN CRAM-MD5");
  else
    fake_server_set_caps (server, FAKE_PHASE_TLS, "AUTH PLAIN LOGIN CRAM-MD5");
  mc_settings_set_user (settings, "alice");
  mc_settings_set_password (settings, "wrong-password");
  result = mc_test_run_server_with (server, settings);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_advice (result, "authentication-failed");
  /* Neither another mechanism nor another user name (such as the full address). */
  g_assert_cmpuint (count_login_commands (server), ==, 1);
  g_assert_cmpuint (fake_server_get_connections (server), ==, 1);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(McResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A port that was just free: nothing listens there. */
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  g_socket_close (socket, NULL);

  settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, port);
  result = mc_test_run (settings, NULL, &error);

  g_assert_no_error (error);
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_CONNECT, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "connection-refused");
}

/* Rule 8: the password never appears anywhere --------------------------------- */

typedef struct
{
  const char  *name;
  const Proto *proto;
  const char  *caps;       /* inside TLS; NULL keeps the default */
  const char  *password;
} SecretCase;

static const SecretCase secret_cases[] = {
  { "imap-sasl-ir", &imap, NULL, FAKE_PASSWORD },
  { "imap-plain", &imap, "IMAP4rev1 AUTH=PLAIN", FAKE_PASSWORD },
  { "imap-login-mechanism", &imap, "IMAP4rev1 AUTH=LOGIN", FAKE_PASSWORD },
  { "imap-login-command", &imap, "IMAP4rev1", FAKE_PASSWORD },
  { "imap-literal", &imap, "IMAP4rev1", "Cänary-8bit-Secret" },
  { "imap-rejected", &imap, NULL, "Wrong-Canary-Secret" },
  { "pop3-plain", &pop3, NULL, FAKE_PASSWORD },
  { "pop3-user-pass", &pop3, "USER", FAKE_PASSWORD },
  { "pop3-rejected", &pop3, "USER", "Wrong-Canary-Secret" },
  { "smtp-plain", &smtp, NULL, FAKE_PASSWORD },
  { "smtp-login", &smtp, "AUTH LOGIN", FAKE_PASSWORD },
  { "smtp-rejected", &smtp, NULL, "Wrong-Canary-Secret" },
};

static void
assert_log_clean (const char *log,
                  const char *password)
{
  g_autofree char *b64 = mc_test_base64 (password);
  g_autofree char *plain = mc_test_sasl_plain (FAKE_USER, password);

  g_assert_null (strstr (log, password));
  g_assert_null (strstr (log, b64));
  g_assert_null (strstr (log, plain));
}

static void
test_rule8_no_secret (gconstpointer data)
{
  const SecretCase *c = data;
  g_autoptr(FakeServer) server = c->proto->server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (c->proto->protocol, MC_SECURITY_STARTTLS, 0);
  g_autoptr(McResult) result = NULL;
  g_autofree char *log = NULL;
  g_autofree char *transcript = NULL;

  if (c->caps != NULL)
    fake_server_set_caps (server, FAKE_PHASE_TLS, c->caps);
  if (g_str_equal (c->name, "imap-literal"))
    fake_server_on (server, FAKE_PHASE_TLS, "LOGIN {",
                    fake_send ("+ go\r\n"), fake_expect (""), fake_send ("+ go\r\n"), fake_expect (""),
                    fake_send ("$TAG OK Logged in\r\n"), NULL);
  mc_settings_set_password (settings, c->password);

  g_free (take_log ());
  result = mc_test_run_server_with (server, settings);
  log = take_log ();
  transcript = mc_test_transcript_text (result);

  /* The check really logged in (or was really refused) inside TLS... */
  g_assert_cmpint (result->auth_result, !=, MC_AUTH_RESULT_NOT_TRIED);
  g_assert_nonnull (strstr (transcript, MC_REDACTED));
  /* ...and the debug log was captured, so its cleanliness means something. */
  g_assert_nonnull (strstr (log, "C: "));

  mc_assert_no_secret (result, c->password);
  assert_log_clean (log, c->password);
  fake_server_assert_no_plaintext_credentials (server, FAKE_USER, c->password);
}

static void
test_rule8_line_breaks_rejected (void)
{
  const char *users[] = { FAKE_USER "\r\na1 LOGOUT", FAKE_USER, FAKE_USER };
  const char *passwords[] = { FAKE_PASSWORD, FAKE_PASSWORD "\r\n", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
      g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_TLS,
                                                             fake_server_start (server));
      g_autoptr(McResult) result = NULL;
      g_autoptr(GError) error = NULL;

      mc_settings_set_user (settings, users[i]);
      if (passwords[i] != NULL)
        mc_settings_set_password (settings, passwords[i]);
      else
        mc_settings_set_password_len (settings, FAKE_PASSWORD "\0x", sizeof FAKE_PASSWORD + 1);
      result = mc_test_run (settings, NULL, &error);

      g_assert_null (result);
      g_assert_true (error->domain == MC_SETTINGS_ERROR);
      g_assert_null (strstr (error->message, FAKE_PASSWORD));
      g_assert_cmpuint (fake_server_get_connections (server), ==, 0);
    }
}


/* Rule 8: what the transcript shows never tells the password ---------------- */

/* A password that is part of the user name: the USER line is the user's own
 * text and stays as it is; marking the password inside it would tell the
 * report's reader what the password is ("USER [credentials hidden]@…"). */
static void
test_rule8_marker_never_inside_text (void)
{
  g_autoptr(FakeServer) server = fake_pop3_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_POP3, MC_SECURITY_TLS, 0);
  g_autoptr(McResult) result = NULL;
  g_autofree char *transcript = NULL;

  fake_server_set_caps (server, FAKE_PHASE_TLS, "USER");
  fake_server_on (server, FAKE_PHASE_TLS, "PASS ", fake_send ("-ERR [AUTH] Authentication failed\r\n"), NULL);
  mc_settings_set_password (settings, "alice");
  result = mc_test_run_server_with (server, settings);
  transcript = mc_test_transcript_text (result);

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
test_rule8_echo_hides_whole_line (gconstpointer data)
{
  const EchoCase *c = data;
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;
  g_autofree char *echo = c->echo ();
  g_autofree char *reply = g_strdup_printf ("535 5.7.8 Authentication failed for %s, sorry\r\n", echo);
  g_autofree char *transcript = NULL;
  McStep *login;
  guint markers = 0;

  fake_server_set_caps (server, FAKE_PHASE_TLS, "AUTH PLAIN");
  fake_server_on (server, FAKE_PHASE_TLS, "AUTH ", fake_send (reply), NULL);
  result = run (&smtp, server, MC_SECURITY_TLS);
  transcript = mc_test_transcript_text (result);

  g_assert_nonnull (strstr (transcript, "S " MC_SERVER_LINE_HIDDEN "\n"));
  g_assert_null (strstr (transcript, "sorry"));
  login = mc_test_find_step (result, MC_STEP_LOGIN);
  g_assert_cmpstr (login->server, ==, MC_SERVER_LINE_HIDDEN);
  g_assert_null (strstr (transcript, echo));
  mc_assert_no_secret (result, FAKE_PASSWORD);

  /* The only other marker is the whole argument of the AUTH command. */
  for (const char *p = strstr (transcript, MC_REDACTED); p != NULL; p = strstr (p + 1, MC_REDACTED))
    markers++;
  g_assert_cmpuint (markers, ==, 1);
  g_assert_nonnull (strstr (transcript, "C AUTH PLAIN " MC_REDACTED "\n"));
  g_assert_nonnull (strstr (transcript, "S 220 "));
}

/* Rule 9: a late refusal, and the deadline for the whole check ---------------- */

/* Courier answers a wrong password after about 5 s, longer than the phase
 * timeout here: the login waits for it and says "rejected", not "timeout". */
static void
test_rule9_late_refusal_wins (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  fake_server_on (server, FAKE_PHASE_TLS, "AUTHENTICATE",
                  fake_sleep ((MC_TEST_TIMEOUT + 2) * 1000),
                  fake_send ("$TAG NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"), NULL);
  result = run (&imap, server, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "authentication-failed");
  mc_assert_no_advice (result, "timeout");
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_REJECTED);
  g_assert_cmpuint (mc_session_login_timeout (MC_TEST_TIMEOUT), >=, MC_TEST_TIMEOUT + 10);
}

typedef struct
{
  McSession *session;
  gint       done;
} SessionThread;

static gpointer
run_session_thread (gpointer data)
{
  SessionThread *run = data;

  mc_session_run (run->session);
  g_atomic_int_set (&run->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* A server that answers every phase just in time cannot hold a check longer
 * than its overall deadline. Here each phase takes most of its own deadline,
 * and the overall one is set short. */
static void
test_rule9_overall_deadline (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 0);
  SessionThread run = { NULL, FALSE };
  GThread *thread;
  gint64 start;
  gint64 elapsed_ms;
  McStep *failed;

  fake_server_clear_on_connect (server);
  fake_server_on_connect (server, fake_start_tls ("good"), fake_sleep (1200), fake_send_greeting (), NULL);
  fake_server_on (server, FAKE_PHASE_TLS, "CAPABILITY", fake_sleep (1200),
                  fake_send ("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n$TAG OK done\r\n"), NULL);
  mc_settings_set_port (settings, fake_server_start (server));

  run.session = mc_session_new (settings, g_main_context_default (), NULL);
  mc_session_start_overall_deadline (run.session, 1800);
  start = g_get_monotonic_time ();
  thread = g_thread_new ("session", run_session_thread, &run);
  while (!g_atomic_int_get (&run.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  fake_server_finish (server);

  g_test_message ("stopped after %" G_GINT64_FORMAT " ms", elapsed_ms);
  mc_assert_verdict (run.session->result, MC_VERDICT_FAILED);
  failed = mc_result_last_step (run.session->result);
  g_assert_cmpint (failed->status, ==, MC_STEP_STATUS_FAILED);
  mc_assert_mentions (failed->summary, "in all");
  mc_assert_advice (run.session->result, "timeout");
  /* Each phase alone stayed within its 3 s; together they did not finish. */
  g_assert_cmpint (elapsed_ms, <, 2 * 1200 + 1000);
  mc_session_free (run.session);
}

/* Rule 9: deadlines per phase, and cancellation in every phase ---------------- */

static McResult *
run_timed (FakeServer *server,
           McProtocol  protocol,
           McSecurity  security,
           guint       timeout,
           gint64     *elapsed_ms)
{
  g_autoptr(McSettings) settings = mc_test_settings_new (protocol, security, fake_server_start (server));
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  McResult *result;

  mc_settings_set_timeout (settings, timeout);
  result = mc_test_run (settings, NULL, &error);
  *elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_no_error (error);
  fake_server_finish (server);
  return result;
}

/* The deadline is a GLib second timer, rounded to whole seconds: up to 750 ms
 * late (and 250 ms early); plus scheduling on a busy machine. */
#define DEADLINE_SLACK_MS 1900

static void
test_rule9_slow_drip (void)
{
  const FakeMode modes[] = { FAKE_MODE_TLS, FAKE_MODE_STARTTLS };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(FakeServer) server = fake_imap_server_new (modes[i]);
      g_autoptr(McResult) result = NULL;
      gint64 elapsed;

      /* One byte every 300 ms and never a line end: each read succeeds, so only a
       * deadline for the whole phase can end this. */
      fake_server_clear_on_connect (server);
      if (modes[i] == FAKE_MODE_TLS)
        fake_server_on_connect (server, fake_start_tls ("good"), NULL);
      fake_server_on_connect (server, fake_drip ("* OK slowly, slowly, slowly, slowly, slowly", 300), NULL);
      result = run_timed (server, MC_PROTOCOL_IMAP, modes[i] == FAKE_MODE_TLS ? MC_SECURITY_TLS : MC_SECURITY_STARTTLS,
                          1, &elapsed);

      g_test_message ("slow drip (%s) ended after %" G_GINT64_FORMAT " ms with a 1 s deadline",
                      modes[i] == FAKE_MODE_TLS ? "TLS" : "plain", elapsed);
      mc_assert_verdict (result, MC_VERDICT_FAILED);
      mc_assert_step (result, MC_STEP_GREETING, MC_STEP_STATUS_FAILED);
      mc_assert_advice (result, "timeout");
      /* GLib rounds second timers to a whole second: they may fire 250 ms early. */
      g_assert_cmpint (elapsed, >=, 700);
      g_assert_cmpint (elapsed, <, 1000 + DEADLINE_SLACK_MS);
    }
}

static void
test_rule9_silent_server (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;
  gint64 elapsed;

  fake_server_clear_on_connect (server);
  fake_server_on_connect (server, fake_start_tls ("good"), fake_stall (), NULL);
  result = run_timed (server, MC_PROTOCOL_SMTP, MC_SECURITY_TLS, 1, &elapsed);

  g_test_message ("silent server: %" G_GINT64_FORMAT " ms", elapsed);
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_GREETING, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "timeout");
  g_assert_cmpint (elapsed, <, 1000 + DEADLINE_SLACK_MS);
}

static void
test_rule9_handshake_stall (void)
{
  g_autoptr(FakeServer) server = fake_pop3_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;
  gint64 elapsed;

  fake_server_clear_on_connect (server);
  fake_server_on_connect (server, fake_stall (), NULL);
  result = run_timed (server, MC_PROTOCOL_POP3, MC_SECURITY_TLS, 1, &elapsed);

  g_test_message ("handshake stall: %" G_GINT64_FORMAT " ms", elapsed);
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_TLS, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "timeout");
  g_assert_cmpint (elapsed, <, 1000 + DEADLINE_SLACK_MS);
}

static void
test_rule9_login_stall (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;
  gint64 elapsed;

  fake_server_on (server, FAKE_PHASE_TLS, "AUTH ", fake_stall (), NULL);
  result = run_timed (server, MC_PROTOCOL_SMTP, MC_SECURITY_TLS, 1, &elapsed);

  g_test_message ("login stall: %" G_GINT64_FORMAT " ms", elapsed);
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "timeout");
  /* The login has its own, longer deadline (servers delay refusals on purpose);
   * the logout is not attempted on a connection that timed out. */
  g_assert_cmpint (elapsed, >=, mc_session_login_timeout (1) * 1000 - 300);
  g_assert_cmpint (elapsed, <, mc_session_login_timeout (1) * 1000 + DEADLINE_SLACK_MS);
}

typedef struct
{
  McStepId       target;
  GCancellable  *cancellable;
  guint          timer;
  gboolean       target_running;
  gboolean       started[MC_STEP_LOGOUT + 1];
  gboolean       finished[MC_STEP_LOGOUT + 1];
  gint64         cancelled_at;
  gint64         done_at;
  gboolean       done;
  McResult      *result;
  GError        *error;
} CancelRun;

static gboolean
cancel_now (gpointer data)
{
  CancelRun *run = data;

  run->timer = 0;
  /* Per step, not "the last event": step events may arrive out of order (see test-imap). */
  run->target_running = run->started[run->target] && !run->finished[run->target];
  run->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_REMOVE;
}

static void
cancel_step_changed (McCheck  *check,
                     guint     index,
                     gpointer  step_pointer,
                     gpointer  user_data)
{
  CancelRun *run = user_data;
  McStep *step = step_pointer;

  if (step->status == MC_STEP_STATUS_RUNNING)
    run->started[step->id] = TRUE;
  else
    run->finished[step->id] = TRUE;
  /* Give the worker time to block in the phase, then cancel. */
  if (step->id == run->target && step->status == MC_STEP_STATUS_RUNNING && run->cancelled_at == 0 &&
      run->timer == 0)
    run->timer = g_timeout_add (200, cancel_now, run);
}

static void
cancel_done (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  CancelRun *run = user_data;

  run->done_at = g_get_monotonic_time ();
  run->result = mc_check_run_finish (MC_CHECK (source), res, &run->error);
  run->done = TRUE;
}

static void
run_and_cancel (McSettings *settings,
                McStepId    target)
{
  g_autoptr(McCheck) check = mc_check_new (settings);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelRun run = { target, cancellable, 0, FALSE, { FALSE }, { FALSE }, 0, 0, FALSE, NULL, NULL };
  gint64 latency;

  g_signal_connect (check, "step-changed", G_CALLBACK (cancel_step_changed), &run);
  mc_check_run_async (check, cancellable, cancel_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_signal_handlers_disconnect_by_data (check, &run);

  if (run.result != NULL)
    mc_test_print_result (run.result);
  g_assert_null (run.result);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (run.cancelled_at, >, 0);
  /* The cancel really hit the phase under test. */
  g_assert_true (run.target_running);

  latency = (run.done_at - run.cancelled_at) / 1000;
  g_test_message ("cancelled during “%s”: finished %" G_GINT64_FORMAT " ms after g_cancellable_cancel()",
                  mc_step_id_to_string (target), latency);
  g_assert_cmpint (latency, <, 500);
}

static void
test_rule9_cancel_resolve (void)
{
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 993);

  mc_settings_set_host (settings, "stall.test");
  mc_settings_set_timeout (settings, 20);
  run_and_cancel (settings, MC_STEP_RESOLVE);
}

static void
test_rule9_cancel_connect (void)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A listener whose accept queue is full drops new SYNs: connect just hangs. */
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (listener, 0);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (listener, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  for (guint i = 0; i < 4; i++)
    {
      GSocket *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);

      g_socket_set_blocking (filler, FALSE);
      g_socket_connect (filler, local, NULL, NULL);
      g_ptr_array_add (fillers, filler);
    }
  g_usleep (100 * 1000);

  probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_socket_set_blocking (probe, FALSE);
  g_socket_connect (probe, local, NULL, NULL);
  if (g_socket_condition_timed_wait (probe, G_IO_OUT, 300 * 1000, NULL, NULL) &&
      g_socket_check_connect_result (probe, NULL))
    {
      g_test_skip ("a full accept queue does not stall connect() on this system");
      return;
    }

  settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, port);
  mc_settings_set_timeout (settings, 20);
  run_and_cancel (settings, MC_STEP_CONNECT);
}

static void
test_rule9_cancel_in_phase (gconstpointer data)
{
  McStepId target = GPOINTER_TO_INT (data);
  g_autoptr(FakeServer) server = NULL;
  g_autoptr(McSettings) settings = NULL;
  McSecurity security = MC_SECURITY_TLS;

  switch ((int)target)
    {
    case MC_STEP_TLS:
      server = fake_imap_server_new (FAKE_MODE_TLS);
      fake_server_clear_on_connect (server);
      fake_server_on_connect (server, fake_stall (), NULL);
      break;

    case MC_STEP_GREETING:
      server = fake_imap_server_new (FAKE_MODE_STARTTLS);
      fake_server_clear_on_connect (server);
      fake_server_on_connect (server, fake_stall (), NULL);
      security = MC_SECURITY_STARTTLS;
      break;

    case MC_STEP_STARTTLS:
      server = fake_smtp_server_new (FAKE_MODE_STARTTLS);
      fake_server_on (server, FAKE_PHASE_PLAIN, "STARTTLS$", fake_stall (), NULL);
      security = MC_SECURITY_STARTTLS;
      break;

    case MC_STEP_LOGIN:
      server = fake_pop3_server_new (FAKE_MODE_TLS);
      fake_server_on (server, FAKE_PHASE_TLS, "AUTH ", fake_stall (), NULL);
      break;

    case MC_STEP_LOGOUT:
      server = fake_smtp_server_new (FAKE_MODE_TLS);
      fake_server_on (server, FAKE_PHASE_TLS, "QUIT$", fake_stall (), NULL);
      break;

    default:
      g_assert_not_reached ();
    }

  settings = mc_test_settings_new (target == MC_STEP_GREETING || target == MC_STEP_TLS ? MC_PROTOCOL_IMAP :
                                   target == MC_STEP_LOGIN ? MC_PROTOCOL_POP3 : MC_PROTOCOL_SMTP,
                                   security, fake_server_start (server));
  mc_settings_set_timeout (settings, 20);
  run_and_cancel (settings, target);
  fake_server_finish (server);
  fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);
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

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", fake_server_start (server), NULL, &error);
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

  g_test_add_func ("/mailcheck/security/resolve/unknown-host", test_unknown_host);

  add_proto_tests ("rule7/one-login-attempt", test_rule7_one_attempt);
  g_test_add_func ("/mailcheck/security/connect/refused", test_connection_refused);

  for (guint i = 0; i < G_N_ELEMENTS (secret_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mailcheck/security/rule8/no-secret/%s", secret_cases[i].name);

      g_test_add_data_func (path, &secret_cases[i], test_rule8_no_secret);
    }
  g_test_add_func ("/mailcheck/security/rule8/line-breaks-rejected", test_rule8_line_breaks_rejected);
  g_test_add_func ("/mailcheck/security/rule8/marker-never-inside-text", test_rule8_marker_never_inside_text);
  for (guint i = 0; i < G_N_ELEMENTS (echo_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mailcheck/security/rule8/server-echo-hides-whole-line/%s",
                                               echo_cases[i].name);

      g_test_add_data_func (path, &echo_cases[i], test_rule8_echo_hides_whole_line);
    }

  g_test_add_func ("/mailcheck/security/rule9/slow-drip-times-out", test_rule9_slow_drip);
  g_test_add_func ("/mailcheck/security/rule9/silent-server-times-out", test_rule9_silent_server);
  g_test_add_func ("/mailcheck/security/rule9/handshake-stall-times-out", test_rule9_handshake_stall);
  g_test_add_func ("/mailcheck/security/rule9/login-stall-times-out", test_rule9_login_stall);
  g_test_add_func ("/mailcheck/security/rule9/late-login-refusal-wins", test_rule9_late_refusal_wins);
  g_test_add_func ("/mailcheck/security/rule9/overall-deadline", test_rule9_overall_deadline);
  g_test_add_func ("/mailcheck/security/rule9/cancel/resolve", test_rule9_cancel_resolve);
  g_test_add_func ("/mailcheck/security/rule9/cancel/connect", test_rule9_cancel_connect);
  g_test_add_data_func ("/mailcheck/security/rule9/cancel/tls-handshake", GINT_TO_POINTER (MC_STEP_TLS),
                        test_rule9_cancel_in_phase);
  g_test_add_data_func ("/mailcheck/security/rule9/cancel/greeting", GINT_TO_POINTER (MC_STEP_GREETING),
                        test_rule9_cancel_in_phase);
  g_test_add_data_func ("/mailcheck/security/rule9/cancel/starttls", GINT_TO_POINTER (MC_STEP_STARTTLS),
                        test_rule9_cancel_in_phase);
  g_test_add_data_func ("/mailcheck/security/rule9/cancel/login", GINT_TO_POINTER (MC_STEP_LOGIN),
                        test_rule9_cancel_in_phase);
  g_test_add_data_func ("/mailcheck/security/rule9/cancel/logout", GINT_TO_POINTER (MC_STEP_LOGOUT),
                        test_rule9_cancel_in_phase);


  g_test_add_func ("/mailcheck/security/oracle/detects-leaks", test_oracle_detects_leaks);

  return g_test_run ();
}
