/* test-advice.c: what the engine tells the user after a test, against fake
 * servers on 127.0.0.1 — true for what happened, one piece of advice per
 * finding, and the server's fault named as such
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-advice"

#include "config.h"

#include <string.h>

#include "mc-diagnosis-private.h"
#include "mc-diagnosis.h"
#include "mc-report.h"
#include "test-util.h"

/* A fatal TLS alert record, "internal error" (RFC 8446 §6). */
static const char tls_alert_internal_error[] = "\x15\x03\x03\x00\x02\x02\x50";

static guint
count_fixes (McResult *result)
{
  guint fixes = 0;

  for (guint i = 0; i < result->advice->len; i++)
    {
      McAdvice *advice = g_ptr_array_index (result->advice, i);

      fixes += advice->fix_security >= 0 || advice->fix_port != 0 || advice->fix_host != NULL ||
               advice->fix_user != NULL;
    }
  return fixes;
}

/* A test without a password never says "works": the login step says it was
 * not tried, the headline says so, and the advice points at the Password field. */
static void
test_login_not_tested (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, 0);
  g_autoptr(McResult) result = NULL;
  McAdvice *advice;

  mc_settings_set_password (settings, NULL);
  result = mc_test_run_server_with (server, settings);

  mc_assert_verdict (result, MC_VERDICT_WARNING);
  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_SKIPPED);
  g_assert_cmpint (mc_result_get_outcome (result), ==, MC_OUTCOME_LOGIN_NOT_TESTED);
  g_assert_cmpstr (mc_result_get_headline (result), ==, "Server reachable and encrypted — login not tested");
  advice = mc_test_find_advice (result, "login-not-tested");
  g_assert_nonnull (advice);
  g_assert_cmpstr (advice->field, ==, "password");
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTH"), ==, 0);
}

/* Runs a check of @settings into @result that must fail with advice @code. */
static McAdvice *
failed_with_advice (McSettings  *settings,
                    McResult   **result,
                    const char  *code)
{
  McAdvice *advice;

  *result = mc_test_run_timed (settings, NULL, NULL);
  mc_assert_verdict (*result, MC_VERDICT_FAILED);
  advice = mc_test_find_advice (*result, code);
  g_assert_nonnull (advice);
  return advice;
}

/* "Refused" means nothing listens on the port — a wrong Port, not a firewall;
 * "no answer at all" is the network. Different codes, different words. */
static void
test_refused_and_silent_differ (void)
{
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) hole = mc_test_black_hole_new (G_SOCKET_FAMILY_IPV4, 0, fillers);
  g_autoptr(McSettings) refused_settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
                                                                 mc_test_closed_port ());
  g_autoptr(McResult) refused = NULL;
  McAdvice *advice = failed_with_advice (refused_settings, &refused, "connection-refused");

  mc_assert_mentions (advice->text, "wrong Port");
  g_assert_null (strstr (advice->text, "firewall"));
  /* Only the protocol's own ports, never a list of every protocol's (as
   * "995 with …": the closed port's own number may contain the digits). */
  g_assert_null (strstr (advice->text, "995 with"));
  g_assert_null (strstr (advice->text, "587 with"));
  mc_assert_mentions (advice->text, "993 with");
  mc_assert_no_advice (refused, "port-blocked");

  if (hole == NULL)
    {
      g_test_message ("a full accept queue does not stall connect() here: the silent half is not run");
      return;
    }

  {
    g_autoptr(GSocketAddress) local = g_socket_get_local_address (hole, NULL);
    g_autoptr(McSettings) silent_settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
                                                                  g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
    g_autoptr(McResult) silent = NULL;

    mc_settings_set_timeout (silent_settings, 1);
    advice = failed_with_advice (silent_settings, &silent, "port-blocked");
    mc_assert_mentions (advice->text, "Nothing answered");
    g_assert_null (strstr (advice->text, "wrong Port"));
    mc_assert_no_advice (silent, "connection-refused");
  }
}

/* A refused port that is one of the protocol's usual ones: no circular "the
 * usual ports are 993 or 143" when 993 was the port; the advice says what else
 * to check. (On 127.0.0.1 the usual mail ports are closed in tests.) */
static void
test_refused_usual_port_not_circular (void)
{
  g_autoptr(McSettings) settings = mc_test_settings_for (MC_PROTOCOL_IMAP, "mail.example.org", 993,
                                                        MC_SECURITY_TLS);
  g_autoptr(McResult) result = mc_result_new ();
  g_autoptr(GArray) answering = g_array_new (FALSE, FALSE, sizeof (McEndpoint));
  g_autoptr(GPtrArray) probes = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_probe_free);
  McAdvice *advice;

  mc_diagnosis_port_unreachable (result, settings, TRUE, answering, probes);

  advice = mc_test_find_advice (result, "connection-refused");
  g_assert_nonnull (advice);
  g_test_message ("%s", advice->text);
  mc_assert_mentions (advice->text, "Check the name in Server");
  g_assert_null (strstr (advice->text, "usual IMAP ports are"));
  g_assert_cmpuint (count_fixes (result), ==, 0);
}

/* The advice after a test on the provider's server with SSL/TLS on @port, which
 * speaks plaintext: STARTTLS works there, SSL/TLS on @implicit_port. */
static McResult *
provider_mismatch (McProtocol  protocol,
                   guint16     port,
                   guint16     implicit_port,
                   const char *user)
{
  g_autoptr(McSettings) settings = mc_test_settings_for (protocol, "mail01.netzprisma.de", port,
                                                        MC_SECURITY_TLS);
  McResult *result = mc_result_new ();
  McProbe starttls_here = { { port, MC_SECURITY_STARTTLS }, TRUE, TRUE, FALSE, TRUE, NULL };
  McProbe implicit = { { implicit_port, MC_SECURITY_TLS }, TRUE, TRUE, TRUE, FALSE, NULL };

  if (user != NULL)
    mc_settings_set_user (settings, user);
  mc_diagnosis_port_speaks_plaintext (result, settings, &starttls_here, &implicit);
  mc_diagnosis_finish (result, settings);
  return result;
}

/* After a test on the provider's server: the plaintext port with SSL/TLS gives
 * one piece of advice, the provider's recommendation first, one fix. */
static void
test_provider_mismatch_one_advice (void)
{
  g_autoptr(McResult) result = provider_mismatch (MC_PROTOCOL_IMAP, 143, 993, "anna@mueller-bau.de");
  McAdvice *advice;

  g_assert_cmpuint (result->advice->len, ==, 1);
  advice = g_ptr_array_index (result->advice, 0);
  g_assert_cmpstr (advice->code, ==, "use-implicit-tls");
  g_assert_cmpstr (advice->text, ==, "Port 143 starts unencrypted. Use port 993 with SSL/TLS, as Netzprisma "
                                     "recommends. STARTTLS on this port works too.");
  g_assert_cmpuint (advice->fix_port, ==, 993);
  g_assert_cmpuint (count_fixes (result), ==, 1);
}

/* SMTP 587 with SSL/TLS on the provider's server: port 465 answers, but is not
 * on the help page, so the advice never mentions it. */
static void
test_provider_never_465_after_test (void)
{
  g_autoptr(McResult) result = provider_mismatch (MC_PROTOCOL_SMTP, 587, 465, NULL);
  McAdvice *advice;

  advice = mc_test_find_advice (result, "use-starttls");
  g_assert_nonnull (advice);
  g_assert_cmpstr (advice->text, ==, "Port 587 starts unencrypted. Set Security to STARTTLS, as Netzprisma "
                                     "recommends.");
  g_assert_null (strstr (advice->text, "465"));
  g_assert_cmpuint (count_fixes (result), ==, 1);
}

/* A server that agrees to STARTTLS and then answers the handshake with an
 * alert: the TLS error is kept, and it is the server's fault — not "did not
 * answer with TLS, check Port and Security". */
static void
test_tls_alert_after_starttls (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McResult) result = NULL;
  McAdvice *advice;
  McStep *tls;

  fake_server_on (server, FAKE_PHASE_PLAIN, "STARTTLS$", fake_send ("$TAG OK Begin TLS negotiation now.\r\n"),
                  fake_sleep (100), fake_send_bytes (tls_alert_internal_error, 7), fake_close (), NULL);
  result = mc_test_run_server (server, MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  tls = mc_test_find_step (result, MC_STEP_TLS);
  g_assert_cmpint (tls->status, ==, MC_STEP_STATUS_FAILED);
  mc_assert_mentions (tls->summary, "Internal error");
  advice = mc_test_find_advice (result, "tls-failed");
  g_assert_nonnull (advice);
  mc_assert_mentions (advice->text, "fault of the server");
  g_assert_null (strstr (advice->text, "Check Port"));
  g_assert_cmpstr (result->tls_alert, ==, "Internal error");
}

/* A port that answers the TLS handshake with an alert has answered: SSL/TLS
 * chosen there ends at once with the server's fault; STARTTLS chosen there
 * names the port's mode instead of waiting for a greeting until the timeout. */
static void
test_tls_alert_on_implicit_port (void)
{
  const McSecurity modes[] = { MC_SECURITY_TLS, MC_SECURITY_STARTTLS };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
      g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, modes[i], 0);
      g_autoptr(McResult) result = NULL;
      McAdvice *advice;
      gint64 ms;

      fake_server_clear_on_connect (server);
      fake_server_on_connect (server, fake_expect (""), fake_send_bytes (tls_alert_internal_error, 7),
                              fake_close (), NULL);
      mc_settings_set_port (settings, fake_server_start (server));
      result = mc_test_run_timed (settings, NULL, &ms);
      fake_server_finish (server);

      g_test_message ("%s on an alerting SSL/TLS port: %" G_GINT64_FORMAT " ms",
                      mc_security_to_string (modes[i]), ms);
      mc_assert_verdict (result, MC_VERDICT_FAILED);
      advice = mc_test_find_advice (result, "tls-failed");
      g_assert_nonnull (advice);
      mc_assert_mentions (advice->text, "fault of the server");
      mc_assert_no_advice (result, "timeout");
      /* Well within one phase deadline (MC_TEST_TIMEOUT): nothing waited it out. */
      g_assert_cmpint (ms, <, MC_TEST_TIMEOUT * 1000);
      if (modes[i] == MC_SECURITY_STARTTLS)
        mc_assert_mentions (advice->text, "expects encryption from the first byte");
    }
}

/* SSL/TLS chosen on a STARTTLS port whose STARTTLS handshake then fails: the
 * port does offer STARTTLS, and the advice says so with the TLS failure,
 * instead of "offers no way to encrypt". */
static void
test_starttls_offered_but_handshake_fails (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McResult) result = NULL;
  McAdvice *advice;

  fake_server_on (server, FAKE_PHASE_PLAIN, "STARTTLS$", fake_send ("$TAG OK Begin TLS negotiation now.\r\n"),
                  fake_sleep (100), fake_send_bytes (tls_alert_internal_error, 7), fake_close (), NULL);
  result = mc_test_run_server (server, MC_PROTOCOL_IMAP, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  advice = mc_test_find_advice (result, "tls-failed");
  g_assert_nonnull (advice);
  g_test_message ("%s", advice->text);
  mc_assert_mentions (advice->text, "offers STARTTLS");
  mc_assert_mentions (advice->text, "Internal error");
  g_assert_null (strstr (advice->text, "no way to encrypt"));
  mc_assert_no_advice (result, "starttls-not-offered");
}

/* IMAP [ALERT] texts must be shown to the user (RFC 3501 §7.1): the result
 * carries them, marked when they came before encryption, for the verdict area. */
static void
test_imap_alert_shown (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McResult) result = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  McServerAlert *alert;

  fake_server_set_greeting (server, "* OK [ALERT] Maintenance tonight from 22:00.\r\n");
  fake_server_on (server, FAKE_PHASE_TLS, "AUTHENTICATE",
                  fake_send ("$TAG NO [ALERT] Your account is locked; call support.\r\n"), NULL);
  result = mc_test_run_server (server, MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS);

  g_assert_cmpuint (result->alerts->len, ==, 2);
  alert = g_ptr_array_index (result->alerts, 0);
  g_assert_cmpstr (alert->text, ==, "Maintenance tonight from 22:00.");
  g_assert_true (alert->before_tls);
  alert = g_ptr_array_index (result->alerts, 1);
  g_assert_cmpstr (alert->text, ==, "Your account is locked; call support.");
  g_assert_false (alert->before_tls);

  json = mc_report_to_json (result);
  g_assert_nonnull (strstr (json, "\"alerts\""));
  text = mc_report_to_text (result, FALSE);
  g_assert_nonnull (strstr (text, "Message from the server: Your account is locked; call support."));
  g_assert_nonnull (strstr (text, "Message from the server (unencrypted, could be forged): Maintenance"));
}

/* A user name without a domain beside a provider's address: the rule of the
 * provider the address belongs to applies before any test, and the advice
 * offers that address, not an example. */
static void
test_user_name_rule_from_address (void)
{
  g_autoptr(McSettings) settings = mc_settings_new (MC_PROTOCOL_IMAP);
  g_autoptr(GPtrArray) hints = NULL;
  const McAdvice *found = NULL;

  mc_settings_set_host (settings, "127.0.0.1");
  mc_settings_set_user (settings, "anna");
  mc_settings_set_address (settings, "anna@netzprisma.de");
  hints = mc_diagnosis_precheck (settings, TRUE);
  for (guint i = 0; i < hints->len; i++)
    {
      const McAdvice *advice = g_ptr_array_index (hints, i);

      if (g_str_equal (advice->code, "username-not-full-address"))
        found = advice;
    }
  g_assert_nonnull (found);
  g_assert_cmpstr (found->fix_user, ==, "anna@netzprisma.de");
  g_assert_cmpstr (found->field, ==, "user");
  g_assert_nonnull (strstr (found->text, "anna@netzprisma.de"));

  /* Someone else's address: no rule is known, no hint. */
  mc_settings_set_address (settings, "anna@example.org");
  g_clear_pointer (&hints, g_ptr_array_unref);
  hints = mc_diagnosis_precheck (settings, TRUE);
  for (guint i = 0; i < hints->len; i++)
    g_assert_cmpstr (((McAdvice *)g_ptr_array_index (hints, i))->code, !=, "username-not-full-address");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();

  g_test_add_func ("/mailcheck/advice/login-not-tested", test_login_not_tested);
  g_test_add_func ("/mailcheck/advice/refused-and-silent-differ", test_refused_and_silent_differ);
  g_test_add_func ("/mailcheck/advice/refused-usual-port-not-circular", test_refused_usual_port_not_circular);
  g_test_add_func ("/mailcheck/advice/provider-mismatch-one-advice", test_provider_mismatch_one_advice);
  g_test_add_func ("/mailcheck/advice/provider-never-465-after-test", test_provider_never_465_after_test);
  g_test_add_func ("/mailcheck/advice/tls-alert-after-starttls", test_tls_alert_after_starttls);
  g_test_add_func ("/mailcheck/advice/tls-alert-on-implicit-port", test_tls_alert_on_implicit_port);
  g_test_add_func ("/mailcheck/advice/starttls-offered-but-handshake-fails",
                   test_starttls_offered_but_handshake_fails);
  g_test_add_func ("/mailcheck/advice/imap-alert-shown", test_imap_alert_shown);
  g_test_add_func ("/mailcheck/advice/user-name-rule-from-address", test_user_name_rule_from_address);

  return g_test_run ();
}
