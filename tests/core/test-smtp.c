/* test-smtp.c: the SMTP submission dialogue against fake servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-smtp"

#include "config.h"

#include <string.h>

#include "test-util.h"

static McResult *
run (FakeServer *server,
     McSecurity  security)
{
  return mc_test_run_server (server, MC_PROTOCOL_SMTP, security);
}

static McResult *
run_with_credentials (FakeServer *server,
                      const char *user,
                      const char *password)
{
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, 0);

  mc_settings_set_user (settings, user);
  mc_settings_set_password (settings, password);
  return mc_test_run_server_with (server, settings);
}

/* The reply to the password, whatever AUTH command came. */
static void
reply_to_auth (FakeServer *server,
               const char *reply)
{
  fake_server_on (server, FAKE_PHASE_TLS, "AUTH PLAIN ", fake_send (reply), NULL);
  fake_server_on (server, FAKE_PHASE_TLS, "AUTH LOGIN$",
                  fake_send ("334 VXNlcm5hbWU6\r\n"), fake_expect (""),
                  fake_send ("334 UGFzc3dvcmQ6\r\n"), fake_expect (""),
                  fake_send (reply), NULL);
}

/* Success paths ----------------------------------------------------------- */

static void
test_tls_auth_plain (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = run (server, MC_SECURITY_TLS);
  g_autofree char *plain = mc_test_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *expected = g_strdup_printf ("AUTH PLAIN %s$", plain);

  mc_assert_verdict (result, MC_VERDICT_OK);
  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_OK);
  mc_assert_step (result, MC_STEP_LOGOUT, MC_STEP_STATUS_OK);
  g_assert_cmpstr (result->auth_used, ==, "PLAIN");
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_OK);
  g_assert_true (g_ptr_array_find_with_equal_func (result->auth_offered, "LOGIN", g_str_equal, NULL));
  /* The EHLO argument is an address literal, never something the server said. */
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "EHLO [127.0.0.1]$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, expected), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "QUIT$"), ==, 1);
  g_assert_null (fake_server_get_script_error (server));
  fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);
}

static void
test_starttls_auth_plain (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McResult) result = run (server, MC_SECURITY_STARTTLS);

  mc_assert_verdict (result, MC_VERDICT_OK);
  mc_assert_step (result, MC_STEP_STARTTLS, MC_STEP_STATUS_OK);
  g_assert_true (g_ptr_array_find_with_equal_func (result->caps_before, "STARTTLS", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (result->caps_after, "AUTH PLAIN LOGIN", g_str_equal, NULL));
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_PLAIN, "EHLO "), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_PLAIN, "STARTTLS$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "EHLO "), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "AUTH PLAIN "), ==, 1);
  fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);
}

static void
test_auth_login (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;
  g_autofree char *user = mc_test_base64 (FAKE_USER);
  g_autofree char *password = mc_test_base64 (FAKE_PASSWORD);
  g_autofree char *user_line = g_strdup_printf ("%s$", user);
  g_autofree char *password_line = g_strdup_printf ("%s$", password);

  fake_server_set_caps (server, FAKE_PHASE_TLS, "PIPELINING\nAUTH LOGIN CRAM-MD5");
  result = run (server, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpstr (result->auth_used, ==, "LOGIN");
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "AUTH LOGIN$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, user_line), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, password_line), ==, 1);
  mc_assert_no_secret (result, FAKE_PASSWORD);
}

static void
test_auth_login_other_prompts (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;
  g_autofree char *password = mc_test_base64 (FAKE_PASSWORD);
  g_autofree char *password_line = g_strdup_printf ("%s$", password);

  /* Prompts are not part of the protocol: lower case, other words, empty. */
  fake_server_set_caps (server, FAKE_PHASE_TLS, "AUTH LOGIN");
  fake_server_on (server, FAKE_PHASE_TLS, "AUTH LOGIN$",
                  fake_send ("334 \r\n"), fake_expect (""),
                  fake_send ("334 cGFzc3dvcnQ6\r\n"),
                  fake_reply_if (password_line, "235 ok\r\n", "535 no\r\n"), NULL);
  result = run (server, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_OK);
}

static void
test_long_credentials_no_initial_response (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, 0);
  g_autoptr(McResult) result = NULL;
  g_autofree char *local = g_strnfill (250, 'u');
  g_autofree char *user = g_strdup_printf ("%s@example.test", local);
  g_autofree char *password = g_strnfill (200, 'p');
  g_autofree char *plain = mc_test_sasl_plain (user, password);
  g_autofree char *response = g_strdup_printf ("%s$", plain);

  /* RFC 4954 §4: without an initial response when the line would get too long. */
  fake_server_on (server, FAKE_PHASE_TLS, "AUTH PLAIN$",
                  fake_send ("334 \r\n"), fake_reply_if (response, "235 ok\r\n", "535 no\r\n"), NULL);
  mc_settings_set_user (settings, user);
  mc_settings_set_password (settings, password);
  result = mc_test_run_server_with (server, settings);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "AUTH PLAIN$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, response), ==, 1);
  mc_assert_no_secret (result, password);
}

static void
test_keywords_case_insensitive (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McResult) result = NULL;

  /* EHLO keywords are case-insensitive (RFC 5321 §2.4). */
  fake_server_set_caps (server, FAKE_PHASE_PLAIN, "pipelining\nstarttls");
  fake_server_set_caps (server, FAKE_PHASE_TLS, "pipelining\nauth login plain");
  result = run (server, MC_SECURITY_STARTTLS);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpstr (result->auth_used, ==, "PLAIN");
}

/* Failures ---------------------------------------------------------------- */

static void
test_wrong_password (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = run_with_credentials (server, FAKE_USER, "wrong-password");

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "authentication-failed");
  mc_assert_no_advice (result, "username-not-full-address");
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_REJECTED);
  g_assert_nonnull (strstr (mc_test_find_step (result, MC_STEP_LOGIN)->server, "535"));
  /* One attempt: LOGIN is not tried after PLAIN failed. */
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTH "), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "QUIT$"), ==, 1);
}

static void
test_wrong_password_short_user (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = run_with_credentials (server, "alice", "wrong-password");

  mc_assert_advice (result, "authentication-failed");
  mc_assert_advice (result, "username-not-full-address");
}

static void
test_wrong_password_auth_login (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  fake_server_set_caps (server, FAKE_PHASE_TLS, "AUTH LOGIN");
  result = run_with_credentials (server, FAKE_USER, "wrong-password");

  mc_assert_advice (result, "authentication-failed");
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTH "), ==, 1);
  mc_assert_no_secret (result, "wrong-password");
}

static void
test_no_mechanism (void)
{
  const char *caps[] = { "PIPELINING\n8BITMIME", "AUTH CRAM-MD5 GSSAPI XOAUTH2", "AUTH" };

  for (guint i = 0; i < G_N_ELEMENTS (caps); i++)
    {
      g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
      g_autoptr(McResult) result = NULL;

      fake_server_set_caps (server, FAKE_PHASE_TLS, caps[i]);
      result = run (server, MC_SECURITY_TLS);

      mc_assert_verdict (result, MC_VERDICT_FAILED);
      mc_assert_advice (result, "mechanism-not-offered");
      g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTH "), ==, 0);
      fake_server_assert_no_credentials (server, FAKE_USER, FAKE_PASSWORD);
    }
}

static void
test_login_disabled (void)
{
  const char *replies[] = {
    "530 5.7.0 Must issue a STARTTLS command first\r\n",
    "538 5.7.11 Encryption required for requested authentication mechanism\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
      g_autoptr(McResult) result = NULL;

      reply_to_auth (server, replies[i]);
      result = run (server, MC_SECURITY_TLS);

      mc_assert_verdict (result, MC_VERDICT_FAILED);
      mc_assert_advice (result, "login-disabled");
      mc_assert_no_advice (result, "authentication-failed");
    }
}

static void
test_mechanism_too_weak (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  reply_to_auth (server, "534 5.7.9 Authentication mechanism is too weak\r\n");
  result = run (server, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_advice (result, "mechanism-not-offered");
  /* Not retried with another mechanism (one login attempt per check). */
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTH "), ==, 1);
}

static void
test_temporary_failure (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  reply_to_auth (server, "454 4.7.0 Temporary authentication failure\r\n");
  result = run (server, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_advice (result, "authentication-temporary");
  mc_assert_no_advice (result, "authentication-failed");
}

static void
test_endless_continuation (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;
  GString *reply = g_string_new (NULL);

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (reply, "250-X-FILLER-%u\r\n", i);
  g_string_append (reply, "250 AUTH PLAIN\r\n");
  fake_server_on (server, FAKE_PHASE_TLS, "EHLO ", fake_send (reply->str), NULL);
  g_string_free (reply, TRUE);
  result = run (server, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_advice (result, "protocol-error");
  fake_server_assert_no_credentials (server, FAKE_USER, FAKE_PASSWORD);
}

static void
test_malformed_challenges (void)
{
  const char *challenges[] = { "334 !!!\r\n", "334 =AAA\r\n", "334 AAA=BBBB\r\n", "334 QUJD\tRA==\r\n" };

  for (guint i = 0; i < G_N_ELEMENTS (challenges); i++)
    {
      g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
      g_autoptr(McResult) result = NULL;
      g_autofree char *password = mc_test_base64 (FAKE_PASSWORD);

      fake_server_set_caps (server, FAKE_PHASE_TLS, "AUTH LOGIN");
      /* The password prompt is the malformed one: the password must not follow it. */
      fake_server_on (server, FAKE_PHASE_TLS, "AUTH LOGIN$",
                      fake_send ("334 VXNlcm5hbWU6\r\n"), fake_expect (""),
                      fake_send (challenges[i]),
                      fake_reply_if ("*$", "501 5.7.0 Authentication aborted\r\n", "235 what\r\n"), NULL);
      result = run (server, MC_SECURITY_TLS);

      mc_assert_verdict (result, MC_VERDICT_FAILED);
      mc_assert_advice (result, "protocol-error");
      g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "*$"), ==, 1);
      g_assert_false (fake_server_received_contains (server, FAKE_PHASE_ANY, password));
    }
}

static void
test_plain_challenge_not_empty (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, 0);
  g_autoptr(McResult) result = NULL;
  g_autofree char *local = g_strnfill (400, 'u');
  g_autofree char *user = g_strdup_printf ("%s@example.test", local);
  g_autofree char *plain = mc_test_sasl_plain (user, FAKE_PASSWORD);

  /* PLAIN has no server challenge: "334 Zm9v" is cancelled with "*". */
  fake_server_on (server, FAKE_PHASE_TLS, "AUTH PLAIN$",
                  fake_send ("334 Zm9v\r\n"),
                  fake_reply_if ("*$", "501 5.7.0 Authentication aborted\r\n", "235 what\r\n"), NULL);
  mc_settings_set_user (settings, user);
  result = mc_test_run_server_with (server, settings);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_advice (result, "protocol-error");
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "*$"), ==, 1);
  g_assert_false (fake_server_received_contains (server, FAKE_PHASE_ANY, plain));
}

static void
test_third_login_prompt (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  fake_server_set_caps (server, FAKE_PHASE_TLS, "AUTH LOGIN");
  fake_server_on (server, FAKE_PHASE_TLS, "AUTH LOGIN$",
                  fake_send ("334 VXNlcm5hbWU6\r\n"), fake_expect (""),
                  fake_send ("334 UGFzc3dvcmQ6\r\n"), fake_expect (""),
                  fake_send ("334 TW9yZTo=\r\n"),
                  fake_reply_if ("*$", "501 aborted\r\n", "235 what\r\n"), NULL);
  result = run (server, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_advice (result, "protocol-error");
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "*$"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mailcheck/smtp/tls/auth-plain", test_tls_auth_plain);
  g_test_add_func ("/mailcheck/smtp/starttls/auth-plain", test_starttls_auth_plain);
  g_test_add_func ("/mailcheck/smtp/login/auth-login", test_auth_login);
  g_test_add_func ("/mailcheck/smtp/login/auth-login-other-prompts", test_auth_login_other_prompts);
  g_test_add_func ("/mailcheck/smtp/login/long-credentials-no-initial-response",
                   test_long_credentials_no_initial_response);
  g_test_add_func ("/mailcheck/smtp/capabilities/case-insensitive", test_keywords_case_insensitive);
  g_test_add_func ("/mailcheck/smtp/login/wrong-password", test_wrong_password);
  g_test_add_func ("/mailcheck/smtp/login/wrong-password-short-user", test_wrong_password_short_user);
  g_test_add_func ("/mailcheck/smtp/login/wrong-password-auth-login", test_wrong_password_auth_login);
  g_test_add_func ("/mailcheck/smtp/login/no-mechanism", test_no_mechanism);
  g_test_add_func ("/mailcheck/smtp/login/530-538-login-disabled", test_login_disabled);
  g_test_add_func ("/mailcheck/smtp/login/534-too-weak", test_mechanism_too_weak);
  g_test_add_func ("/mailcheck/smtp/login/454-temporary", test_temporary_failure);
  g_test_add_func ("/mailcheck/smtp/login/malformed-challenge-cancels", test_malformed_challenges);
  g_test_add_func ("/mailcheck/smtp/login/plain-challenge-cancels", test_plain_challenge_not_empty);
  g_test_add_func ("/mailcheck/smtp/login/third-login-prompt-cancels", test_third_login_prompt);
  g_test_add_func ("/mailcheck/smtp/capabilities/endless-continuation", test_endless_continuation);

  return g_test_run ();
}
