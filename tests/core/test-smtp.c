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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mailcheck/smtp/tls/auth-plain", test_tls_auth_plain);
  g_test_add_func ("/mailcheck/smtp/starttls/auth-plain", test_starttls_auth_plain);
  g_test_add_func ("/mailcheck/smtp/login/auth-login", test_auth_login);
  g_test_add_func ("/mailcheck/smtp/capabilities/case-insensitive", test_keywords_case_insensitive);
  g_test_add_func ("/mailcheck/smtp/login/wrong-password", test_wrong_password);
  g_test_add_func ("/mailcheck/smtp/login/wrong-password-short-user", test_wrong_password_short_user);
  g_test_add_func ("/mailcheck/smtp/login/wrong-password-auth-login", test_wrong_password_auth_login);

  return g_test_run ();
}
