/* test-pop3.c: the POP3 dialogue against fake servers
 *
 * The ordinary dialogue, one row each: both ways into TLS, SASL PLAIN and
 * USER/PASS, a wrong password or user name. What a hostile server does to it
 * is in the test-hostile-*.c files; the rows share scenario.c's body and its
 * checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-pop3"

#include "config.h"

#include "scenario.h"

static void
check_implicit_tls (Outcome *out)
{
  assert_implicit_tls_dialogue (out);
  g_assert_true (list_has (out->result->auth_offered, "PLAIN"));
  g_assert_true (list_has (out->result->auth_offered, "USER"));
}

static void
check_starttls (Outcome *out)
{
  assert_starttls_dialogue (out);
  g_assert_true (list_has (out->result->caps_before, "STLS"));
  g_assert_true (list_has (out->result->caps_after, "SASL PLAIN"));
}

#define WRONG_PASSWORD \
  .password = "wrong-password", .verdict = MC_VERDICT_FAILED, .secret_sent = TRUE

static const ScenarioCase cases[] = {
  { "tls/auth-plain",
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .steps = "login:ok logout:ok", .auth = "ok",
      .auth_used = "PLAIN", .sent = { { 0, "USER ", 0 } }, .check = check_implicit_tls,
      LOGGED_IN } },
  { "starttls/auth-plain",
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .steps = "starttls:ok", .auth = "ok",
      .check = check_starttls, LOGGED_IN } },
  { "login/user-pass",
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .caps_tls = "TOP\nUSER\nUIDL", .auth_used = "USER",
      .sent = { { FAKE_PHASE_TLS, "USER " FAKE_USER "$", 1 },
                { FAKE_PHASE_TLS, "PASS " FAKE_PASSWORD "$", 1 },
                { 0, "AUTH", 0 } },
      .verdict = MC_VERDICT_OK, .logins = 2, .secret_sent = TRUE } },
  /* One attempt: no fallback to USER/PASS after PLAIN was rejected. */
  { "login/wrong-password-auth-plain",
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .failed = "login",
      .advice = "authentication-failed !username-not-full-address",
      .auth = "rejected", .sent = { { 0, "AUTH ", 1 }, { 0, "USER ", 0 },
                                    { 0, "PASS ", 0 } }, .logins = 1,
      WRONG_PASSWORD } },
  { "login/wrong-password-user-pass",
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .caps_tls = "USER", .user = "alice",
      .advice = "authentication-failed username-not-full-address", .sent = { { 0, "PASS ", 1 } },
      .logins = 2,
      WRONG_PASSWORD } },
  /* Every mechanism is offered and would be refused: one attempt, with neither
   * another mechanism nor another user name (such as the full address). */
  { "login/wrong-password-short-user",
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .caps_tls = "USER\nSASL PLAIN LOGIN CRAM-MD5",
      .user = "alice",
      .advice = "authentication-failed username-not-full-address", .logins = 1, WRONG_PASSWORD } },
  /* The password is not sent after the user name was refused. */
  { "login/user-rejected",
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .caps_tls = "USER",
      .twists = { { FAKE_PHASE_TLS, "USER ",
                    "-ERR [AUTH] No such user\r\n" } }, .advice = "authentication-failed",
      .sent = { { 0, "PASS ", 0 } }, .verdict = MC_VERDICT_FAILED, .logins = 1 } },
  { "logout/refused",
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "QUIT$", "-ERR Some deleted messages not removed\r\n",
                    .then = THEN_CLOSE } },
      .steps = "login:ok logout:warning", .verdict = MC_VERDICT_WARNING, .logins = 1,
      .secret_sent = TRUE } },
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  scenario_add_cases ("/mailcheck/pop3", cases, G_N_ELEMENTS (cases));

  return g_test_run ();
}
