/* test-hostile-deadlines.c: no server can hold a check, and the user can stop one at any time
 *
 * Every phase has a deadline of its own (GIO's socket timeouts only bound each
 * read), the login a longer one, the whole check an overall one; a server that
 * is silent, drips a byte at a time or stalls in any phase is cut off by them.
 * Cancelling works in every phase within half a second and leaves nothing
 * behind: no open connection, and no check or session that stays alive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hostile-deadlines"

#include "config.h"

#include <string.h>

#include "mc-session-private.h"
#include "hostile-net.h"

/* The deadline is a GLib second timer, rounded to whole seconds: up to 750 ms
 * late (and 250 ms early); plus scheduling on a busy machine. */
#define DEADLINE_SLACK_MS 1900

#define TIMED_OUT(step) .timeout = 1, STOPPED ("timeout", (step))

static void
test_silent_server_times_out (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .greeting = "", .after_greeting = THEN_STALL,
      TIMED_OUT ("greeting"),
      .within_ms = 3000 },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .greeting = "", .after_greeting = THEN_STALL,
      TIMED_OUT ("greeting"),
      .within_ms = 3000 },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .greeting = "", .after_greeting = THEN_STALL,
      TIMED_OUT ("greeting"),
      .within_ms = 3000 },
    /* Inside TLS: the handshake works, then nothing. */
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .greeting = "", .after_greeting = THEN_STALL,
      TIMED_OUT ("greeting"),
      .within_ms = 1000 + DEADLINE_SLACK_MS },
  };

  PLAY_ALL (cases);
}

static void
test_slow_drip_times_out (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (every_protocol) + 2; i++)
    {
      g_auto(Outcome) out = { NULL };

      if (i < G_N_ELEMENTS (every_protocol))
        {
          /* One byte every 200 ms inside TLS, in the answer to the capability
           * command: every read succeeds, only the phase deadline ends it. */
          McProtocol p = every_protocol[i];
          const Scenario s = { p, MC_SECURITY_TLS, TIMED_OUT ("capabilities"), .within_ms = 3000 };

          out.server = scenario_server (&s);
          fake_server_on (out.server, FAKE_PHASE_TLS, scenario_dialects[p].hello,
                          fake_drip ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                                     200), NULL);
          scenario_play (&s, &out);
        }
      else
        {
          /* One byte every 300 ms as the greeting, in clear and inside TLS. */
          McSecurity security = i == 3 ? MC_SECURITY_TLS : MC_SECURITY_STARTTLS;
          const Scenario s = { MC_PROTOCOL_IMAP, security, TIMED_OUT ("greeting"),
                               .within_ms = 1000 + DEADLINE_SLACK_MS };

          out.server = scenario_server (&s);
          fake_server_clear_on_connect (out.server);
          if (security == MC_SECURITY_TLS)
            fake_server_on_connect (out.server, fake_start_tls ("good"), NULL);
          fake_server_on_connect (out.server,
                                  fake_drip ("* OK slowly, slowly, slowly, slowly, slowly",
                                             300), NULL);
          scenario_play (&s, &out);
        }
      /* GLib rounds second timers to a whole second: they may fire 250 ms early. */
      g_assert_cmpint (out.ms, >=, 700);
    }
}

static void
test_handshake_stall_times_out (void)
{
  static const Scenario cases[] = {
    /* The go-ahead, then no ServerHello. */
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "$TAG OK Begin TLS negotiation now.\r\n",
                    .then = THEN_STALL } }, TIMED_OUT ("tls"),
      .within_ms = 3000 },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "+OK Begin TLS negotiation\r\n",
                    .then = THEN_STALL } }, TIMED_OUT ("tls"),
      .within_ms = 3000 },
  };
  /* Implicit TLS to a server that accepts and never answers the ClientHello. */
  static const Scenario implicit = { MC_PROTOCOL_POP3, MC_SECURITY_TLS, TIMED_OUT ("tls"),
                                     .within_ms = 1000 + DEADLINE_SLACK_MS };
  g_auto(Outcome) out = { NULL };

  PLAY_ALL (cases);

  out.server = scenario_server (&implicit);
  fake_server_clear_on_connect (out.server);
  fake_server_on_connect (out.server, fake_stall (), NULL);
  scenario_play (&implicit, &out);
}

static void
test_logout_stall_does_not_hold_the_check (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .timeout = 1,
      .twists = { { FAKE_PHASE_TLS, "LOGOUT$", .then = THEN_STALL } },
      .verdict = MC_VERDICT_WARNING, .logins = 1, .secret_sent = TRUE, .within_ms = 3000 },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .timeout = 1,
      .twists = { { FAKE_PHASE_TLS, "QUIT$", .then = THEN_STALL } },
      .verdict = MC_VERDICT_WARNING, .logins = 1, .secret_sent = TRUE, .within_ms = 3000 },
  };

  PLAY_ALL (cases);
}

static void
test_login_stall_waits_the_login_deadline (void)
{
  /* The login has its own, longer deadline (servers delay refusals on purpose);
   * the logout is not attempted on a connection that timed out. */
  const Scenario s = { MC_PROTOCOL_SMTP, MC_SECURITY_TLS,
                       .twists = { { FAKE_PHASE_TLS, "AUTH ", .then = THEN_STALL } },
                       TIMED_OUT ("login"), .logins = 1, .secret_sent = TRUE,
                       .within_ms = mc_session_login_timeout (1) * 1000 + DEADLINE_SLACK_MS };
  g_auto(Outcome) out = { NULL };

  scenario_play (&s, &out);
  g_test_message ("login stall: %" G_GINT64_FORMAT " ms", out.ms);
  g_assert_cmpint (out.ms, >=, mc_session_login_timeout (1) * 1000 - 300);
}

/* Courier answers a wrong password after about 5 s, longer than the phase
 * timeout here: the login waits for it and says "rejected", not "timeout". */
static void
test_late_login_refusal_wins (void)
{
  static const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
                              .advice = "authentication-failed !timeout",
                              .failed = "login", .auth = "rejected", .verdict = MC_VERDICT_FAILED,
                              .logins = 1,
                              .secret_sent = TRUE };
  g_auto(Outcome) out = { NULL };

  out.server = scenario_server (&s);
  fake_server_on (out.server, FAKE_PHASE_TLS, "AUTHENTICATE",
                  fake_sleep ((MC_TEST_TIMEOUT + 2) * 1000),
                  fake_send ("$TAG NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"), NULL);
  scenario_play (&s, &out);
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
 * and the overall one is set short. The session is run and freed here, so its
 * release is checked here too: it held the only other reference to its result
 * and one to the settings. */
static void
test_overall_deadline (void)
{
  const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS };
  g_autoptr(FakeServer) server = scenario_server (&s);
  McSettings *settings = scenario_settings (&s, 0);
  SessionThread run = { NULL, FALSE };
  g_autoptr(McResult) result = NULL;
  GThread *thread;
  gint64 start;
  gint64 elapsed_ms;
  McStep *failed;

  fake_server_clear_on_connect (server);
  fake_server_on_connect (server, fake_start_tls ("good"), fake_sleep (1200), fake_send_greeting (),
                          NULL);
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

  result = mc_result_ref (run.session->result);
  g_test_message ("stopped after %" G_GINT64_FORMAT " ms", elapsed_ms);
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  failed = mc_result_last_step (result);
  g_assert_cmpint (failed->status, ==, MC_STEP_STATUS_FAILED);
  mc_assert_mentions (failed->summary, "in all");
  mc_assert_advice (result, "timeout");
  /* Each phase alone stayed within its 3 s; together they did not finish. */
  g_assert_cmpint (elapsed_ms, <, 2 * 1200 + 1000);

  g_assert_true (g_atomic_ref_count_compare (&result->ref_count, 2));
  mc_session_free (run.session);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (g_atomic_ref_count_compare (&result->ref_count, 1));
  g_assert_finalize_object (settings);
}

/* Cancellation ------------------------------------------------------------- */

typedef struct
{
  McStepId       target;
  GCancellable  *cancellable;
  guint          timer;
  gboolean       target_running;
  gboolean       started[32];
  gboolean       finished[32];
  gint64         cancelled_at;
} CancelRun;

static gboolean
cancel_now (gpointer data)
{
  CancelRun *run = data;

  run->timer = 0;
  /* Per step, not "the last event": step events may arrive out of order. */
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

  g_assert_cmpuint (step->id, <, G_N_ELEMENTS (run->started));
  if (step->status == MC_STEP_STATUS_RUNNING)
    run->started[step->id] = TRUE;
  else
    run->finished[step->id] = TRUE;
  /* Give the worker time to block in the phase, then cancel. */
  if (step->id == run->target && step->status == MC_STEP_STATUS_RUNNING && run->cancelled_at == 0 &&
      run->timer == 0)
    run->timer = g_timeout_add (200, cancel_now, run);
}

/* Runs a check of @settings and cancels it 200 ms into the step @target: it
 * must end within 500 ms, as cancelled, and leave no check or session behind. */
static void
run_and_cancel (McSettings *settings,
                McStepId    target)
{
  McCheck *check = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(McResult) result = NULL;
  CancelRun run = { target, cancellable, 0, FALSE, { FALSE }, { FALSE }, 0 };
  gint64 latency;

  /* Only the cancel can end it. */
  mc_settings_set_timeout (settings, 20);
  check = mc_check_new (settings);
  g_signal_connect (check, "step-changed", G_CALLBACK (cancel_step_changed), &run);
  result = mc_test_check_run (check, cancellable, &error);
  latency = (g_get_monotonic_time () - run.cancelled_at) / 1000;
  g_signal_handlers_disconnect_by_data (check, &run);
  mc_test_assert_released (check, NULL);

  if (result != NULL)
    mc_test_print_result (result);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (run.cancelled_at, >, 0);
  /* The cancel really hit the phase under test. */
  g_assert_true (run.target_running);
  g_test_message ("cancelled during “%s”: finished %" G_GINT64_FORMAT " ms after the cancel",
                  mc_step_id_to_string (target), latency);
  g_assert_cmpint (latency, <, 500);
}

static void
test_cancel_resolve (void)
{
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 993);

  mc_settings_set_host (settings, "stall.test");
  run_and_cancel (settings, MC_STEP_RESOLVE);
}

static void
test_cancel_connect (void)
{
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) hole = black_hole_or_skip (fillers);
  g_autoptr(McSettings) settings = NULL;

  if (hole == NULL)
    return;
  settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, socket_port (hole));
  run_and_cancel (settings, MC_STEP_CONNECT);
}

/* A server that stalls in @target's phase for @protocol. */
static FakeServer *
server_stalling_in (McStepId    target,
                    McProtocol  protocol,
                    McSecurity *security)
{
  const Dialect *d = &scenario_dialects[protocol];
  FakeServer *server;

  *security = target == MC_STEP_GREETING || target == MC_STEP_STARTTLS ? MC_SECURITY_STARTTLS
                                                                       : MC_SECURITY_TLS;
  server = d->make (*security == MC_SECURITY_TLS ? FAKE_MODE_TLS : FAKE_MODE_STARTTLS);
  switch ((int)target)
    {
    case MC_STEP_TLS:
    case MC_STEP_GREETING:
      fake_server_clear_on_connect (server);
      fake_server_on_connect (server, fake_stall (), NULL);
      break;
    case MC_STEP_STARTTLS:
      fake_server_on (server, FAKE_PHASE_PLAIN, d->upgrade, fake_stall (), NULL);
      break;
    case MC_STEP_LOGIN:
      fake_server_on (server, FAKE_PHASE_TLS, d->login, fake_stall (), NULL);
      break;
    case MC_STEP_LOGOUT:
      fake_server_on (server, FAKE_PHASE_TLS, protocol == MC_PROTOCOL_IMAP ? "LOGOUT$" : "QUIT$",
                      fake_stall (), NULL);
      break;
    default:
      g_assert_not_reached ();
    }
  return server;
}

static void
test_cancel_in_phase (gconstpointer data)
{
  McStepId target = GPOINTER_TO_INT (data);

  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    {
      McSecurity security;
      g_autoptr(FakeServer) server = server_stalling_in (target, every_protocol[i], &security);
      g_autoptr(McSettings) settings = mc_test_settings_new (every_protocol[i], security,
                                                             fake_server_start (server));

      run_and_cancel (settings, target);
      /* The server saw the connection end: nothing kept open after the cancel. */
      fake_server_finish (server);
      g_assert_null (fake_server_get_script_error (server));
      fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);
    }
}

static void
keep_result (GObject      *source,
             GAsyncResult *res,
             gpointer      data)
{
  *(GAsyncResult **)data = g_object_ref (res);
}

static void
test_double_click_runs_two_checks (void)
{
  const Scenario s = { MC_PROTOCOL_SMTP, MC_SECURITY_TLS };
  g_autoptr(FakeServer) server = scenario_server (&s);
  g_autoptr(McSettings) settings = scenario_settings (&s, fake_server_start (server));
  McCheck *checks[2] = { mc_check_new (settings), mc_check_new (settings) };
  GAsyncResult *done[2] = { NULL, NULL };

  /* Two clicks, two independent runs on two connections, each complete. */
  for (guint i = 0; i < 2; i++)
    mc_check_run_async (checks[i], NULL, keep_result, &done[i]);
  while (done[0] == NULL || done[1] == NULL)
    g_main_context_iteration (NULL, TRUE);
  fake_server_finish (server);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(McResult) result = mc_check_run_finish (checks[i], done[i], &error);

      g_assert_no_error (error);
      mc_assert_verdict (result, MC_VERDICT_OK);
      g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_OK);
      g_object_unref (done[i]);
      mc_test_assert_released (checks[i], result);
    }
  g_assert_cmpuint (fake_server_get_connections (server), ==, 2);
  g_assert_cmpuint (count_credential_commands (server), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();

  g_test_add_func ("/mailcheck/hostile/deadlines/silent-server-times-out",
                   test_silent_server_times_out);
  g_test_add_func ("/mailcheck/hostile/deadlines/slow-drip-times-out", test_slow_drip_times_out);
  g_test_add_func ("/mailcheck/hostile/deadlines/handshake-stall-times-out",
                   test_handshake_stall_times_out);
  g_test_add_func ("/mailcheck/hostile/deadlines/logout-stall-does-not-hold-the-check",
                   test_logout_stall_does_not_hold_the_check);
  g_test_add_func ("/mailcheck/hostile/deadlines/login-stall-waits-the-login-deadline",
                   test_login_stall_waits_the_login_deadline);
  g_test_add_func ("/mailcheck/hostile/deadlines/late-login-refusal-wins",
                   test_late_login_refusal_wins);
  g_test_add_func ("/mailcheck/hostile/deadlines/overall-deadline", test_overall_deadline);
  g_test_add_func ("/mailcheck/hostile/deadlines/cancel/resolve", test_cancel_resolve);
  g_test_add_func ("/mailcheck/hostile/deadlines/cancel/connect", test_cancel_connect);
  g_test_add_data_func ("/mailcheck/hostile/deadlines/cancel/tls-handshake",
                        GINT_TO_POINTER (MC_STEP_TLS),
                        test_cancel_in_phase);
  g_test_add_data_func ("/mailcheck/hostile/deadlines/cancel/greeting",
                        GINT_TO_POINTER (MC_STEP_GREETING),
                        test_cancel_in_phase);
  g_test_add_data_func ("/mailcheck/hostile/deadlines/cancel/starttls",
                        GINT_TO_POINTER (MC_STEP_STARTTLS),
                        test_cancel_in_phase);
  g_test_add_data_func ("/mailcheck/hostile/deadlines/cancel/login",
                        GINT_TO_POINTER (MC_STEP_LOGIN),
                        test_cancel_in_phase);
  g_test_add_data_func ("/mailcheck/hostile/deadlines/cancel/logout",
                        GINT_TO_POINTER (MC_STEP_LOGOUT),
                        test_cancel_in_phase);
  g_test_add_func ("/mailcheck/hostile/deadlines/double-click-runs-two-checks",
                   test_double_click_runs_two_checks);

  return g_test_run ();
}
