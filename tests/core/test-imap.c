/* test-imap.c: the IMAP dialogue against fake servers
 *
 * The ordinary dialogue, one row each: both ways into TLS, every login
 * mechanism, a wrong password. What a hostile server does to it is in the
 * test-hostile-*.c files. The rows share scenario.c's body and its checks;
 * step events and the check thread's priority need a check of their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-imap"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "scenario.h"

static void
assert_step_order (McResult   *result,
                   const char *expected)
{
  g_autoptr(GString) order = g_string_new (NULL);

  for (guint i = 0; i < result->steps->len; i++)
    {
      McStep *step = g_ptr_array_index (result->steps, i);

      g_string_append_printf (order, i ? " %s" : "%s", mc_step_id_to_string (step->id));
    }
  g_assert_cmpstr (order->str, ==, expected);
}

static void
check_implicit_tls (Outcome *out)
{
  McResult *result = out->result;

  assert_implicit_tls_dialogue (out);
  assert_step_order (result, "resolve connect tls greeting capabilities login logout");
  g_assert_cmpstr (result->address, ==, "127.0.0.1");
  g_assert_true (g_str_equal (result->tls_version, "TLS 1.3") ||
                 g_str_equal (result->tls_version, "TLS 1.2"));
  g_assert_true (g_strv_contains ((const char * const *)result->certificate->names, "127.0.0.1"));
  g_assert_cmpuint (result->caps_before->len, ==, 0);
  g_assert_cmpuint (result->caps_after->len, >, 0);
  g_assert_cmpuint (result->advice->len, ==, 0);
  g_assert_true (fake_server_tls_established (out->server));
}

static void
check_starttls (Outcome *out)
{
  McResult *result = out->result;
  McStep *greeting = mc_test_find_step (result, MC_STEP_GREETING);

  assert_step_order (result, "resolve connect greeting capabilities starttls tls capabilities "
                             "login logout");
  g_assert_true (list_has (result->caps_before, "STARTTLS"));
  g_assert_false (list_has (result->caps_after, "STARTTLS"));
  g_assert_true (list_has (result->auth_offered, "LOGIN"));
  g_assert_nonnull (greeting->server);
  g_assert_true (greeting->server_before_tls);
  assert_starttls_dialogue (out);
}

static void
check_plain_on_its_own_line (Outcome *out)
{
  g_autofree char *plain = mc_test_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *response = g_strdup_printf ("%s$", plain);

  /* No initial response: the command alone, then the response on its own line. */
  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_TLS, response), ==, 1);
}

#define LITERAL_PASSWORD "pässwört€"

static void
script_login_literals (FakeServer *server)
{
  fake_server_on (server, FAKE_PHASE_TLS, "LOGIN {",
                  fake_send ("+ Ready for literal data\r\n"), fake_expect (FAKE_USER " {"),
                  fake_send ("+ Ready for literal data\r\n"),
                  fake_reply_if (LITERAL_PASSWORD, "$TAG OK Logged in\r\n",
                                 "$TAG NO [AUTHENTICATIONFAILED] bad\r\n"),
                  NULL);
}

static void
check_literal_octets (Outcome *out)
{
  g_autofree char *expected = g_strdup_printf ("LOGIN {%zu}\r\n" FAKE_USER " {%zu}\r\n%s\r\n",
                                               strlen (FAKE_USER),
                                               strlen (LITERAL_PASSWORD), LITERAL_PASSWORD);

  /* The byte counts in the literals are octets of UTF-8, and nothing else is sent. */
  g_assert_null (fake_server_get_script_error (out->server));
  g_assert_true (fake_server_received_contains (out->server, FAKE_PHASE_TLS, expected));
}

#define WRONG_PASSWORD \
  .password = "wrong-password", .verdict = MC_VERDICT_FAILED, .logins = 1, .secret_sent = TRUE

static const ScenarioCase cases[] = {
  { "tls/sasl-ir-plain",
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .steps = "*:ok", .auth = "ok", .auth_used = "PLAIN",
      .check = check_implicit_tls, LOGGED_IN } },
  { "starttls/sasl-ir-plain",
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .steps = "*:ok", .auth = "ok", .auth_used = "PLAIN",
      .check = check_starttls, LOGGED_IN } },
  { "login/authenticate-plain-without-sasl-ir",
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .caps_tls = "IMAP4rev1 AUTH=PLAIN", .auth_used = "PLAIN",
      .sent = { { FAKE_PHASE_TLS, "AUTHENTICATE PLAIN$", 1 },
                { FAKE_PHASE_TLS, "AUTHENTICATE PLAIN ", 0 } },
      .check = check_plain_on_its_own_line, LOGGED_IN } },
  { "login/authenticate-login",
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .caps_tls = "IMAP4rev1 SASL-IR AUTH=LOGIN AUTH=CRAM-MD5",
      .auth_used = "LOGIN", .sent = { { FAKE_PHASE_TLS, "AUTHENTICATE LOGIN$", 1 } },
      .check = assert_login_answers_sent_once, LOGGED_IN } },
  { "login/login-command-literal-8bit",
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .caps_tls = "IMAP4rev1", .password = LITERAL_PASSWORD,
      .setup = script_login_literals, .auth_used = "LOGIN command", .check = check_literal_octets,
      LOGGED_IN } },
  /* The greeting's capability code saves the CAPABILITY round trip. */
  { "greeting/capability-code",
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
      .greeting = "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n",
      .sent = { { 0, "CAPABILITY", 0 },
                { FAKE_PHASE_TLS, "AUTHENTICATE PLAIN ", 1 } }, LOGGED_IN } },
  { "login/no-password-skips",
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .no_password = TRUE, .verdict = MC_VERDICT_WARNING,
      .steps = "login:skipped logout:ok", .auth = "not-tried" } },
  /* The connection is still closed politely. */
  { "login/wrong-password",
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .failed = "login",
      .advice = "authentication-failed !username-not-full-address",
      .auth = "rejected", .shows = "login:AUTHENTICATIONFAILED",
      .sent = { { FAKE_PHASE_TLS, "LOGOUT$", 1 } },
      WRONG_PASSWORD } },
  /* Every mechanism is offered and would be refused: one attempt, with neither
   * another mechanism nor another user name (such as the full address). */
  { "login/wrong-password-short-user",
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
      .caps_tls = "IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5",
      .user = "alice", .advice = "authentication-failed username-not-full-address",
      WRONG_PASSWORD } },
  { "login/wrong-password-login-command",
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .caps_tls = "IMAP4rev1", .advice = "authentication-failed",
      .sent = { { FAKE_PHASE_TLS, "LOGIN ", 1 } }, WRONG_PASSWORD } },
  /* The login worked; a server that just hangs up on LOGOUT earns a warning. */
  { "logout/not-confirmed",
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "LOGOUT$", .then = THEN_CLOSE } },
      .auth = "ok", .steps = "login:ok logout:warning", .verdict = MC_VERDICT_WARNING, .logins = 1,
      .secret_sent = TRUE } },
  { "capabilities/server-closed",
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "CAPABILITY$", .then = THEN_CLOSE } },
      STOPPED ("server-closed", "capabilities") } },
};

/* Step events ---------------------------------------------------------------- */

typedef struct
{
  guint     running;
  guint     finished;
  guint     foreign_thread;
  GThread  *caller;
  GString  *order;
} StepLog;

static void
on_step_changed (McCheck *check,
                 guint    index,
                 gpointer step_pointer,
                 gpointer user_data)
{
  StepLog *log = user_data;
  McStep *step = step_pointer;

  if (g_thread_self () != log->caller)
    log->foreign_thread++;
  if (step->status == MC_STEP_STATUS_RUNNING)
    {
      log->running++;
      g_string_append_printf (log->order, "+%s ", mc_step_id_to_string (step->id));
    }
  else
    {
      log->finished++;
      g_string_append_printf (log->order, "%s:%s ", mc_step_id_to_string (step->id),
                              mc_step_status_to_string (step->status));
    }
}

static void
test_step_events (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
                                                         fake_server_start (server));
  McCheck *check = mc_check_new (settings);
  g_autoptr(McResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StepLog log = { 0, 0, 0, g_thread_self (), g_string_new (NULL) };

  g_signal_connect (check, "step-changed", G_CALLBACK (on_step_changed), &log);
  result = mc_test_check_run (check, NULL, &error);
  g_assert_no_error (error);
  g_signal_handlers_disconnect_by_data (check, &log);
  mc_test_assert_released (check, result);

  g_test_message ("events: %s", log.order->str);
  mc_assert_verdict (result, MC_VERDICT_OK);
  /* Every step is announced when it starts and when it ends. */
  g_assert_cmpuint (log.running, ==, result->steps->len);
  g_assert_cmpuint (log.finished, ==, result->steps->len);

  /* ... in order, and on the caller's main context (widgets listen to this). */
  g_assert_cmpuint (log.foreign_thread, ==, 0);
  g_assert_cmpstr (log.order->str, ==,
                   "+resolve resolve:ok +connect connect:ok +tls tls:ok +greeting greeting:ok "
                   "+capabilities capabilities:ok +login login:ok +logout logout:ok ");
  g_string_free (log.order, TRUE);
}

/* Background checks ---------------------------------------------------------- */

typedef struct
{
  GCancellable *cancellable;
  GHashTable   *earlier;   /* thread ids of checks that ran before this one */
  int           nice;      /* of the check's thread while it logs in */
  gboolean      seen;
} PriorityProbe;

/* Calls @func for each thread of this process named "mc-check", with its id
 * and the stat line's fields after the name. */
static void
foreach_check_thread (void (*func) (const char *tid, char **fields, gpointer data),
                      gpointer data)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *stat_path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *comm = NULL;
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *after_name;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL) ||
          !g_str_equal (g_strchomp (comm), "mc-check"))
        continue;
      /* A thread that just ended has no stat any more. */
      if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
        continue;
      /* "tid (comm) state ppid …": the name may hold spaces, so count after ')'. */
      after_name = strrchr (stat, ')');
      g_assert_nonnull (after_name);
      fields = g_strsplit (after_name + 2, " ", -1);
      g_assert_cmpuint (g_strv_length (fields), >, 16);
      func (tid, fields, data);
    }
}

static void
remember_thread (const char *tid,
                 char      **fields,
                 gpointer    data)
{
  g_hash_table_add (data, g_strdup (tid));
}

static void
read_nice_of_new_thread (const char *tid,
                         char      **fields,
                         gpointer    data)
{
  PriorityProbe *probe = data;

  if (g_hash_table_contains (probe->earlier, tid))
    return;
  /* Exactly one new check thread: this check's. */
  g_assert_cmpint (probe->nice, ==, G_MININT);
  /* The nice value is field 19 of proc(5), the 17th after the name. */
  probe->nice = atoi (fields[16]);
}

static void
probe_priority_at_login (McCheck  *check,
                         guint     index,
                         gpointer  step_pointer,
                         gpointer  user_data)
{
  const McStep *step = step_pointer;
  PriorityProbe *probe = user_data;

  /* The server holds the login: the thread is waiting in it now. */
  if (step->id == MC_STEP_LOGIN && step->status == MC_STEP_STATUS_RUNNING && !probe->seen)
    {
      probe->seen = TRUE;
      foreach_check_thread (read_nice_of_new_thread, probe);
      g_cancellable_cancel (probe->cancellable);
    }
}

static int
nice_of_check_thread (gboolean background)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GHashTable) earlier = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(McResult) result = NULL;
  PriorityProbe probe = { cancellable, earlier, G_MININT, FALSE };
  McCheck *check;

  fake_server_on (server, FAKE_PHASE_TLS, "AUTHENTICATE PLAIN ", fake_stall (), NULL);
  settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, fake_server_start (server));
  check = mc_check_new (settings);
  mc_check_set_background (check, background);
  g_signal_connect (check, "step-changed", G_CALLBACK (probe_priority_at_login), &probe);
  /* Threads of earlier checks may still be ending. */
  foreach_check_thread (remember_thread, earlier);
  result = mc_test_check_run (check, cancellable, NULL);
  g_signal_handlers_disconnect_by_data (check, &probe);
  mc_test_assert_released (check, NULL);

  g_assert_null (result);
  g_assert_true (probe.seen);
  fake_server_finish (server);
  return probe.nice;
}

static void
test_background_priority (void)
{
  int own = getpriority (PRIO_PROCESS, 0);

  /* The check thread goes ten levels lower (mc-check.c); 19 is the highest nice value. */
  if (own > 9)
    {
      g_test_skip ("this process already runs at the lowest priorities");
      return;
    }
  /* A command-line check waits at the caller's priority; a window's check
   * yields to the main loop. */
  g_assert_cmpint (nice_of_check_thread (FALSE), ==, own);
  g_assert_cmpint (nice_of_check_thread (TRUE), ==, own + 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  scenario_add_cases ("/mailcheck/imap", cases, G_N_ELEMENTS (cases));
  g_test_add_func ("/mailcheck/imap/step-events", test_step_events);
  g_test_add_func ("/mailcheck/imap/check/background-priority", test_background_priority);

  return g_test_run ();
}
