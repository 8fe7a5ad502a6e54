/* test-imap.c: the IMAP dialogue against fake servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-imap"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "test-util.h"

static McResult *
run (FakeServer *server,
     McSecurity  security)
{
  return mc_test_run_server (server, MC_PROTOCOL_IMAP, security);
}

static void
assert_all_steps_ok (McResult *result)
{
  for (guint i = 0; i < result->steps->len; i++)
    {
      McStep *step = g_ptr_array_index (result->steps, i);

      if (step->status != MC_STEP_STATUS_OK)
        {
          mc_test_print_result (result);
          g_error ("step %s is %s", mc_step_id_to_string (step->id), mc_step_status_to_string (step->status));
        }
    }
}

static void
assert_step_order (McResult   *result,
                   const char *expected)
{
  GString *order = g_string_new (NULL);

  for (guint i = 0; i < result->steps->len; i++)
    {
      McStep *step = g_ptr_array_index (result->steps, i);

      g_string_append_printf (order, i ? " %s" : "%s", mc_step_id_to_string (step->id));
    }
  g_assert_cmpstr (order->str, ==, expected);
  g_string_free (order, TRUE);
}

/* Success paths ----------------------------------------------------------- */

static void
test_tls_sasl_ir (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = run (server, MC_SECURITY_TLS);
  g_autofree char *plain = mc_test_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *expected = g_strdup_printf ("AUTHENTICATE PLAIN %s$", plain);

  mc_assert_verdict (result, MC_VERDICT_OK);
  assert_all_steps_ok (result);
  assert_step_order (result, "resolve connect tls greeting capabilities login logout");
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_OK);
  g_assert_cmpstr (result->auth_used, ==, "PLAIN");
  g_assert_cmpstr (result->address, ==, "127.0.0.1");
  g_assert_nonnull (result->tls_version);
  g_assert_true (g_str_equal (result->tls_version, "TLS 1.3") || g_str_equal (result->tls_version, "TLS 1.2"));
  g_assert_nonnull (result->certificate);
  g_assert_true (g_strv_contains ((const char * const *)result->certificate->names, "127.0.0.1"));
  g_assert_cmpuint (result->caps_before->len, ==, 0);
  g_assert_cmpuint (result->caps_after->len, >, 0);
  g_assert_cmpuint (result->advice->len, ==, 0);

  g_assert_true (fake_server_tls_established (server));
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, expected), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "LOGOUT$"), ==, 1);
  g_assert_null (fake_server_get_script_error (server));
  fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);
}

static void
test_starttls_sasl_ir (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McResult) result = run (server, MC_SECURITY_STARTTLS);

  mc_assert_verdict (result, MC_VERDICT_OK);
  assert_all_steps_ok (result);
  assert_step_order (result, "resolve connect greeting capabilities starttls tls capabilities login logout");
  g_assert_cmpstr (result->auth_used, ==, "PLAIN");
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_OK);
  g_assert_true (g_ptr_array_find_with_equal_func (result->caps_before, "STARTTLS", g_str_equal, NULL));
  g_assert_false (g_ptr_array_find_with_equal_func (result->caps_after, "STARTTLS", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (result->auth_offered, "LOGIN", g_str_equal, NULL));
  g_assert_false (mc_test_find_step (result, MC_STEP_GREETING)->server == NULL);
  g_assert_true (mc_test_find_step (result, MC_STEP_GREETING)->server_before_tls);

  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_PLAIN, "CAPABILITY$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_PLAIN, "STARTTLS$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "CAPABILITY$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "AUTHENTICATE PLAIN "), ==, 1);
  g_assert_null (fake_server_get_script_error (server));
  fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);
}

static void
test_authenticate_plain_without_sasl_ir (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;
  g_autofree char *plain = mc_test_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *response = g_strdup_printf ("%s$", plain);

  fake_server_set_caps (server, FAKE_PHASE_TLS, "IMAP4rev1 AUTH=PLAIN");
  result = run (server, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpstr (result->auth_used, ==, "PLAIN");
  /* No initial response: the command alone, then the response on its own line. */
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "AUTHENTICATE PLAIN$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "AUTHENTICATE PLAIN "), ==, 0);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, response), ==, 1);
}

static void
test_authenticate_login (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;
  g_autofree char *user = mc_test_base64 (FAKE_USER);
  g_autofree char *password = mc_test_base64 (FAKE_PASSWORD);
  g_autofree char *user_line = g_strdup_printf ("%s$", user);
  g_autofree char *password_line = g_strdup_printf ("%s$", password);

  fake_server_set_caps (server, FAKE_PHASE_TLS, "IMAP4rev1 SASL-IR AUTH=LOGIN AUTH=CRAM-MD5");
  result = run (server, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpstr (result->auth_used, ==, "LOGIN");
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "AUTHENTICATE LOGIN$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, user_line), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, password_line), ==, 1);
  mc_assert_no_secret (result, FAKE_PASSWORD);
}

static void
test_login_command_quoted (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 0);
  g_autoptr(McResult) result = NULL;
  const char *password = "pa\"ss\\wo rd{5}%*";

  fake_server_set_caps (server, FAKE_PHASE_TLS, "IMAP4rev1 LITERAL+");
  fake_server_on (server, FAKE_PHASE_TLS, "LOGIN \"" FAKE_USER "\" \"pa\\\"ss\\\\wo rd{5}%*\"$",
                  fake_send ("$TAG OK Logged in\r\n"), NULL);
  mc_settings_set_password (settings, password);
  result = mc_test_run_server_with (server, settings);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpstr (result->auth_used, ==, "LOGIN command");
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "LOGIN "), ==, 1);
  mc_assert_no_secret (result, password);
}

static void
test_login_command_literal (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 0);
  g_autoptr(McResult) result = NULL;
  g_autoptr(GBytes) received = NULL;
  const char *password = "pässwört€";
  g_autofree char *expected = g_strdup_printf ("LOGIN {%zu}\r\n" FAKE_USER " {%zu}\r\n%s\r\n",
                                               strlen (FAKE_USER), strlen (password), password);

  fake_server_set_caps (server, FAKE_PHASE_TLS, "IMAP4rev1");
  fake_server_on (server, FAKE_PHASE_TLS, "LOGIN {",
                  fake_send ("+ Ready for literal data\r\n"),
                  fake_expect (FAKE_USER " {"),
                  fake_send ("+ Ready for literal data\r\n"),
                  fake_reply_if (password, "$TAG OK Logged in\r\n", "$TAG NO [AUTHENTICATIONFAILED] bad\r\n"),
                  NULL);
  mc_settings_set_password (settings, password);
  result = mc_test_run_server_with (server, settings);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpstr (result->auth_used, ==, "LOGIN command");
  g_assert_null (fake_server_get_script_error (server));
  /* The byte counts in the literals are octets of UTF-8, and nothing else is sent. */
  g_assert_true (fake_server_received_contains (server, FAKE_PHASE_TLS, expected));
  mc_assert_no_secret (result, password);
}

static void
test_greeting_capability_code (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  fake_server_set_greeting (server, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n");
  result = run (server, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_OK);
  /* The greeting's capability code saves the CAPABILITY round trip. */
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "CAPABILITY"), ==, 0);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "AUTHENTICATE PLAIN "), ==, 1);
}

static void
test_no_password_skips_login (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 0);
  g_autoptr(McResult) result = NULL;

  mc_settings_set_password (settings, NULL);
  result = mc_test_run_server_with (server, settings);

  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_SKIPPED);
  mc_assert_step (result, MC_STEP_LOGOUT, MC_STEP_STATUS_OK);
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_NOT_TRIED);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTHENTICATE"), ==, 0);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "LOGIN "), ==, 0);
}

static void
test_lf_only_lines (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  fake_server_set_greeting (server, "* OK bare line feeds\n");
  fake_server_on (server, FAKE_PHASE_TLS, "CAPABILITY$",
                  fake_send ("* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\n$TAG OK done\n"), NULL);
  result = run (server, MC_SECURITY_TLS);

  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_OK);
  g_assert_cmpint (result->verdict, !=, MC_VERDICT_FAILED);
}

/* Failures ---------------------------------------------------------------- */

static McResult *
run_wrong_password (FakeServer *server,
                    const char *user)
{
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 0);

  mc_settings_set_user (settings, user);
  mc_settings_set_password (settings, "wrong-password");
  return mc_test_run_server_with (server, settings);
}

static void
test_wrong_password (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = run_wrong_password (server, FAKE_USER);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "authentication-failed");
  mc_assert_no_advice (result, "username-not-full-address");
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_REJECTED);
  g_assert_nonnull (strstr (mc_test_find_step (result, MC_STEP_LOGIN)->server, "AUTHENTICATIONFAILED"));
  /* The connection is still closed politely. */
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "LOGOUT$"), ==, 1);
}

static void
test_wrong_password_short_user (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = run_wrong_password (server, "alice");

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_advice (result, "authentication-failed");
  mc_assert_advice (result, "username-not-full-address");
}

static void
test_wrong_password_login_command (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  fake_server_set_caps (server, FAKE_PHASE_TLS, "IMAP4rev1");
  result = run_wrong_password (server, FAKE_USER);

  mc_assert_advice (result, "authentication-failed");
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "LOGIN "), ==, 1);
}

static void
test_logout_not_confirmed (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  fake_server_on (server, FAKE_PHASE_TLS, "LOGOUT$", fake_close (), NULL);
  result = run (server, MC_SECURITY_TLS);

  /* The login worked; a server that just hangs up on LOGOUT earns a warning. */
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_OK);
  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_OK);
  mc_assert_step (result, MC_STEP_LOGOUT, MC_STEP_STATUS_WARNING);
  mc_assert_verdict (result, MC_VERDICT_WARNING);
}

static void
test_closed_after_greeting (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  fake_server_on (server, FAKE_PHASE_TLS, "CAPABILITY$", fake_close (), NULL);
  result = run (server, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_CAPABILITIES, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "server-closed");
}

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
result_ready (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  McResult **out = user_data;

  *out = mc_check_run_finish (MC_CHECK (source), res, NULL);
}

static void
test_step_events (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
                                                         fake_server_start (server));
  g_autoptr(McCheck) check = mc_check_new (settings);
  g_autoptr(McResult) result = NULL;
  StepLog log = { 0, 0, 0, g_thread_self (), g_string_new (NULL) };

  g_signal_connect (check, "step-changed", G_CALLBACK (on_step_changed), &log);
  mc_check_run_async (check, NULL, result_ready, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

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
  gboolean      done;
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

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL) || !g_str_equal (g_strchomp (comm), "mc-check"))
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

static void
probe_done (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  PriorityProbe *probe = user_data;
  g_autoptr(McResult) result = mc_check_run_finish (MC_CHECK (source), res, NULL);

  probe->done = TRUE;
}

static int
nice_of_check_thread (gboolean background)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(McCheck) check = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GHashTable) earlier = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  PriorityProbe probe = { cancellable, earlier, G_MININT, FALSE, FALSE };

  fake_server_on (server, FAKE_PHASE_TLS, "AUTHENTICATE PLAIN ", fake_stall (), NULL);
  settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, fake_server_start (server));
  check = mc_check_new (settings);
  mc_check_set_background (check, background);
  g_signal_connect (check, "step-changed", G_CALLBACK (probe_priority_at_login), &probe);
  /* Threads of earlier checks may still be ending. */
  foreach_check_thread (remember_thread, earlier);
  mc_check_run_async (check, cancellable, probe_done, &probe);
  while (!probe.done)
    g_main_context_iteration (NULL, TRUE);

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

  g_test_add_func ("/mailcheck/imap/tls/sasl-ir-plain", test_tls_sasl_ir);
  g_test_add_func ("/mailcheck/imap/starttls/sasl-ir-plain", test_starttls_sasl_ir);
  g_test_add_func ("/mailcheck/imap/login/authenticate-plain-without-sasl-ir", test_authenticate_plain_without_sasl_ir);
  g_test_add_func ("/mailcheck/imap/login/authenticate-login", test_authenticate_login);
  g_test_add_func ("/mailcheck/imap/login/login-command-quoted", test_login_command_quoted);
  g_test_add_func ("/mailcheck/imap/login/login-command-literal-8bit", test_login_command_literal);
  g_test_add_func ("/mailcheck/imap/greeting/capability-code", test_greeting_capability_code);
  g_test_add_func ("/mailcheck/imap/login/no-password-skips", test_no_password_skips_login);
  g_test_add_func ("/mailcheck/imap/lf-only-lines", test_lf_only_lines);
  g_test_add_func ("/mailcheck/imap/step-events", test_step_events);
  g_test_add_func ("/mailcheck/imap/check/background-priority", test_background_priority);
  g_test_add_func ("/mailcheck/imap/login/wrong-password", test_wrong_password);
  g_test_add_func ("/mailcheck/imap/login/wrong-password-short-user", test_wrong_password_short_user);
  g_test_add_func ("/mailcheck/imap/login/wrong-password-login-command", test_wrong_password_login_command);
  g_test_add_func ("/mailcheck/imap/logout/not-confirmed", test_logout_not_confirmed);
  g_test_add_func ("/mailcheck/imap/capabilities/server-closed", test_closed_after_greeting);

  return g_test_run ();
}
