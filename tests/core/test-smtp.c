/* test-smtp.c: the SMTP submission dialogue against fake servers
 *
 * The ordinary dialogue, one row each: both ways into TLS, AUTH PLAIN and
 * AUTH LOGIN, a wrong password. What a hostile server does to it is in the
 * test-hostile-*.c files; the rows share scenario.c's body and its checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-smtp"

#include "config.h"

#include "scenario.h"

static void
check_implicit_tls (Outcome *out)
{
  assert_implicit_tls_dialogue (out);
  g_assert_true (list_has (out->result->auth_offered, "LOGIN"));
}

static void
check_starttls (Outcome *out)
{
  assert_starttls_dialogue (out);
  g_assert_true (list_has (out->result->caps_before, "STARTTLS"));
  g_assert_true (list_has (out->result->caps_after, "AUTH PLAIN LOGIN"));
}

#define WRONG_PASSWORD \
  .password = "wrong-password", .verdict = MC_VERDICT_FAILED, .logins = 1, .secret_sent = TRUE

static const ScenarioCase cases[] = {
  /* The EHLO argument is an address literal, never something the server said. */
  { "tls/auth-plain",
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .steps = "login:ok logout:ok", .auth = "ok",
      .auth_used = "PLAIN", .sent = { { FAKE_PHASE_TLS, "EHLO [127.0.0.1]$", 1 } },
      .check = check_implicit_tls, LOGGED_IN } },
  { "starttls/auth-plain",
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .steps = "starttls:ok", .check = check_starttls,
      LOGGED_IN } },
  { "login/auth-login",
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .caps_tls = "PIPELINING\nAUTH LOGIN CRAM-MD5",
      .auth_used = "LOGIN", .sent = { { FAKE_PHASE_TLS, "AUTH LOGIN$", 1 } },
      .check = assert_login_answers_sent_once, LOGGED_IN } },
  /* EHLO keywords are case-insensitive (RFC 5321 §2.4). */
  { "capabilities/case-insensitive",
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .caps_plain = "pipelining\nstarttls",
      .caps_tls = "pipelining\nauth login plain", .auth_used = "PLAIN", LOGGED_IN } },
  /* One attempt: LOGIN is not tried after PLAIN failed. */
  { "login/wrong-password",
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .failed = "login",
      .advice = "authentication-failed !username-not-full-address",
      .auth = "rejected", .shows = "login:535",
      .sent = { { 0, "AUTH ", 1 }, { FAKE_PHASE_TLS, "QUIT$", 1 } },
      WRONG_PASSWORD } },
  /* Every mechanism is offered and would be refused: one attempt, with neither
   * another mechanism nor another user name (such as the full address). */
  { "login/wrong-password-short-user",
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .caps_tls = "AUTH PLAIN LOGIN CRAM-MD5", .user = "alice",
      .advice = "authentication-failed username-not-full-address", WRONG_PASSWORD } },
  { "login/wrong-password-auth-login",
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .caps_tls = "AUTH LOGIN",
      .advice = "authentication-failed",
      .sent = { { 0, "AUTH ", 1 } }, WRONG_PASSWORD } },
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  scenario_add_cases ("/mailcheck/smtp", cases, G_N_ELEMENTS (cases));

  return g_test_run ();
}
