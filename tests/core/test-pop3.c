/* test-pop3.c: the POP3 dialogue against fake servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-pop3"

#include "config.h"

#include <string.h>

#include "test-util.h"

static McResult *
run (FakeServer *server,
     McSecurity  security)
{
  return mc_test_run_server (server, MC_PROTOCOL_POP3, security);
}

static McResult *
run_with_credentials (FakeServer *server,
                      const char *user,
                      const char *password)
{
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_POP3, MC_SECURITY_TLS, 0);

  mc_settings_set_user (settings, user);
  mc_settings_set_password (settings, password);
  return mc_test_run_server_with (server, settings);
}

/* Success paths ----------------------------------------------------------- */

static void
test_tls_auth_plain (void)
{
  g_autoptr(FakeServer) server = fake_pop3_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = run (server, MC_SECURITY_TLS);
  g_autofree char *plain = mc_test_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *expected = g_strdup_printf ("AUTH PLAIN %s$", plain);

  mc_assert_verdict (result, MC_VERDICT_OK);
  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_OK);
  mc_assert_step (result, MC_STEP_LOGOUT, MC_STEP_STATUS_OK);
  g_assert_cmpstr (result->auth_used, ==, "PLAIN");
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_OK);
  g_assert_true (g_ptr_array_find_with_equal_func (result->auth_offered, "PLAIN", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (result->auth_offered, "USER", g_str_equal, NULL));
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, expected), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "USER "), ==, 0);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "QUIT$"), ==, 1);
  g_assert_null (fake_server_get_script_error (server));
  fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);
  mc_assert_no_secret (result, FAKE_PASSWORD);
}

static void
test_starttls_auth_plain (void)
{
  g_autoptr(FakeServer) server = fake_pop3_server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McResult) result = run (server, MC_SECURITY_STARTTLS);

  mc_assert_verdict (result, MC_VERDICT_OK);
  mc_assert_step (result, MC_STEP_STARTTLS, MC_STEP_STATUS_OK);
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_OK);
  g_assert_true (g_ptr_array_find_with_equal_func (result->caps_before, "STLS", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (result->caps_after, "SASL PLAIN", g_str_equal, NULL));
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_PLAIN, "CAPA$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_PLAIN, "STLS$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "CAPA$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "AUTH PLAIN "), ==, 1);
  fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);
}

static void
test_user_pass (void)
{
  g_autoptr(FakeServer) server = fake_pop3_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  fake_server_set_caps (server, FAKE_PHASE_TLS, "TOP\nUSER\nUIDL");
  result = run (server, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpstr (result->auth_used, ==, "USER");
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "USER " FAKE_USER "$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_TLS, "PASS " FAKE_PASSWORD "$"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTH"), ==, 0);
  mc_assert_no_secret (result, FAKE_PASSWORD);
}

static void
test_no_capa (void)
{
  g_autoptr(FakeServer) server = fake_pop3_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  /* An old server without CAPA still takes USER/PASS (RFC 1939). */
  fake_server_on (server, FAKE_PHASE_TLS, "CAPA$", fake_send ("-ERR Unknown command\r\n"), NULL);
  result = run (server, MC_SECURITY_TLS);

  mc_assert_step (result, MC_STEP_CAPABILITIES, MC_STEP_STATUS_WARNING);
  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_OK);
  g_assert_cmpstr (result->auth_used, ==, "USER");
  mc_assert_verdict (result, MC_VERDICT_WARNING);
}

/* Failures ---------------------------------------------------------------- */

static void
test_wrong_password_auth_plain (void)
{
  g_autoptr(FakeServer) server = fake_pop3_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = run_with_credentials (server, FAKE_USER, "wrong-password");

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "authentication-failed");
  mc_assert_no_advice (result, "username-not-full-address");
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_REJECTED);
  /* One attempt: no fallback to USER/PASS after PLAIN was rejected. */
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTH "), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "USER "), ==, 0);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "PASS "), ==, 0);
}

static void
test_wrong_password_user_pass (void)
{
  g_autoptr(FakeServer) server = fake_pop3_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  fake_server_set_caps (server, FAKE_PHASE_TLS, "USER");
  result = run_with_credentials (server, "alice", "wrong-password");

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_advice (result, "authentication-failed");
  mc_assert_advice (result, "username-not-full-address");
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "PASS "), ==, 1);
  mc_assert_no_secret (result, "wrong-password");
}

static void
test_user_rejected (void)
{
  g_autoptr(FakeServer) server = fake_pop3_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  fake_server_set_caps (server, FAKE_PHASE_TLS, "USER");
  fake_server_on (server, FAKE_PHASE_TLS, "USER ", fake_send ("-ERR [AUTH] No such user\r\n"), NULL);
  result = run (server, MC_SECURITY_TLS);

  mc_assert_advice (result, "authentication-failed");
  /* The password is not sent after the user name was refused. */
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "PASS "), ==, 0);
  fake_server_assert_no_credentials (server, FAKE_USER, FAKE_PASSWORD);
}

static void
test_quit_refused (void)
{
  g_autoptr(FakeServer) server = fake_pop3_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;

  fake_server_on (server, FAKE_PHASE_TLS, "QUIT$", fake_send ("-ERR Some deleted messages not removed\r\n"),
                  fake_close (), NULL);
  result = run (server, MC_SECURITY_TLS);

  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_OK);
  mc_assert_step (result, MC_STEP_LOGOUT, MC_STEP_STATUS_WARNING);
  mc_assert_verdict (result, MC_VERDICT_WARNING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mailcheck/pop3/tls/auth-plain", test_tls_auth_plain);
  g_test_add_func ("/mailcheck/pop3/starttls/auth-plain", test_starttls_auth_plain);
  g_test_add_func ("/mailcheck/pop3/login/user-pass", test_user_pass);
  g_test_add_func ("/mailcheck/pop3/capabilities/no-capa-falls-back-to-user", test_no_capa);
  g_test_add_func ("/mailcheck/pop3/login/wrong-password-auth-plain", test_wrong_password_auth_plain);
  g_test_add_func ("/mailcheck/pop3/login/wrong-password-user-pass", test_wrong_password_user_pass);
  g_test_add_func ("/mailcheck/pop3/login/user-rejected", test_user_rejected);
  g_test_add_func ("/mailcheck/pop3/logout/refused", test_quit_refused);

  return g_test_run ();
}
