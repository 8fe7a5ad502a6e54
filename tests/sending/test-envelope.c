/* test-envelope.c: may this login send as this address? The envelope check
 * after an SMTP login, against fake servers on 127.0.0.1 — MAIL FROM and RCPT
 * TO with the customer's own address, then RSET and QUIT: never DATA, never a
 * second login, and every refusal named with the server's own words beside it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-envelope"

#include "config.h"

#include <string.h>

#include "mc-report.h"
#include "sending-util.h"

#define MAIL_OK "250 2.1.0 Ok\r\n"
#define RCPT_OK "250 2.1.5 Ok\r\n"

/* A submission server (implicit TLS) that answers the envelope of
 * FAKE_USER's own address with @mail and @rcpt (NULL: accepted). */
static FakeServer *
envelope_server (const char *mail,
                 const char *rcpt)
{
  FakeServer *server = fake_smtp_server_new (FAKE_MODE_TLS);

  fake_server_on (server, FAKE_PHASE_TLS, "MAIL FROM:", fake_send (mail ? mail : MAIL_OK), NULL);
  fake_server_on (server, FAKE_PHASE_TLS, "RCPT TO:", fake_send (rcpt ? rcpt : RCPT_OK), NULL);
  fake_server_on (server, FAKE_PHASE_TLS, "RSET$", fake_send ("250 2.0.0 Ok\r\n"), NULL);
  fake_server_on (server, FAKE_PHASE_TLS, "DATA$", fake_send ("354 End data with <CR><LF>.<CR><LF>\r\n"), NULL);
  return server;
}

static McSettings *
envelope_settings (void)
{
  McSettings *settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, 0);

  mc_settings_set_envelope (settings, TRUE);
  return settings;
}

static McResult *
run_envelope (FakeServer *server,
              McSettings *settings)
{
  McResult *result = sending_run_server (server, settings, FALSE);

  /* Whatever the server answered: one login, and never a message. */
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTH"), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "DATA"), ==, 0);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "BDAT"), ==, 0);
  return result;
}

/* The envelope check against envelope_server (@mail, @rcpt), for a test that
 * needs only the result. */
static McResult *
envelope_result (const char *mail,
                 const char *rcpt)
{
  g_autoptr(FakeServer) server = envelope_server (mail, rcpt);
  g_autoptr(McSettings) settings = envelope_settings ();

  return run_envelope (server, settings);
}

/* The order of the commands the server received inside TLS, as one line. */
static char *
commands_in_order (FakeServer *server)
{
  g_autoptr(GBytes) bytes = fake_server_get_received (server, FAKE_PHASE_TLS);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *text = g_strndup (data, len);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *verb = g_strndup (lines[i], strcspn (lines[i], " :"));

      if (verb[0] != '\0')
        g_string_append_printf (out, "%s%s", out->len ? " " : "", verb);
    }
  return g_string_free (out, FALSE);
}

static void
assert_json_step_server (McResult   *result,
                         const char *id,
                         const char *needle)
{
  g_autoptr(JsonNode) root = sending_result_json_node (result);
  JsonArray *steps = json_object_get_array_member (json_node_get_object (root), "steps");

  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);

      if (g_str_equal (json_object_get_string_member (step, "id"), id))
        {
          const char *server = json_object_get_string_member_with_default (step, "server", NULL);

          if (server == NULL || strstr (server, needle) == NULL)
            g_error ("JSON step “%s” shows “%s”, not “%s”", id, server ? server : "(null)", needle);
          return;
        }
    }
  g_error ("no JSON step “%s”", id);
}

/* Off unless asked for: the login test of before, to the byte. */
static void
test_off_by_default (void)
{
  g_autoptr(FakeServer) server = envelope_server (NULL, NULL);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, 0);
  g_autoptr(McResult) result = run_envelope (server, settings);
  g_autofree char *order = commands_in_order (server);

  g_assert_false (mc_settings_get_envelope (settings));
  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpstr (order, ==, "EHLO AUTH QUIT");
  g_assert_null (mc_test_find_step (result, MC_STEP_SENDER));
  g_assert_null (mc_test_find_step (result, MC_STEP_RECIPIENT));
  g_assert_null (result->envelope_address);
}

/* The customer's own address as sender and recipient, the transaction reset,
 * then the logout; both steps show the server's answer. */
static void
test_accepted (void)
{
  g_autoptr(FakeServer) server = envelope_server (NULL, NULL);
  g_autoptr(McSettings) settings = envelope_settings ();
  g_autoptr(McResult) result = run_envelope (server, settings);
  g_autofree char *order = commands_in_order (server);
  g_autofree char *text = mc_report_to_text (result, FALSE);
  g_autofree char *json = sending_result_json (result);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpint (mc_result_get_outcome (result), ==, MC_OUTCOME_WORKS);
  g_assert_cmpstr (order, ==, "EHLO AUTH MAIL RCPT RSET QUIT");
  g_assert_true (fake_server_received_contains (server, FAKE_PHASE_TLS, "MAIL FROM:<" FAKE_USER ">\r\n"));
  g_assert_true (fake_server_received_contains (server, FAKE_PHASE_TLS, "RCPT TO:<" FAKE_USER ">\r\n"));
  mc_assert_step (result, MC_STEP_SENDER, MC_STEP_STATUS_OK);
  mc_assert_step (result, MC_STEP_RECIPIENT, MC_STEP_STATUS_OK);
  mc_assert_step (result, MC_STEP_LOGOUT, MC_STEP_STATUS_OK);
  g_assert_cmpstr (mc_test_find_step (result, MC_STEP_SENDER)->server, ==, "250 2.1.0 Ok");
  g_assert_cmpstr (mc_test_find_step (result, MC_STEP_RECIPIENT)->server, ==, "250 2.1.5 Ok");
  mc_assert_mentions (mc_test_find_step (result, MC_STEP_RECIPIENT)->summary, "Nothing was sent");
  g_assert_cmpstr (result->envelope_address, ==, FAKE_USER);
  g_assert_cmpuint (result->advice->len, ==, 0);
  mc_assert_mentions (text, "Sender address tested: " FAKE_USER);
  g_assert_nonnull (strstr (json, "\"envelope_address\" : \"" FAKE_USER "\""));
  assert_json_step_server (result, "sender", "250 2.1.0 Ok");
  assert_json_step_server (result, "recipient", "250 2.1.5 Ok");
  g_assert_cmpstr (mc_step_id_to_string (MC_STEP_SENDER), ==, "sender");
  g_assert_cmpstr (mc_step_id_to_string (MC_STEP_RECIPIENT), ==, "recipient");
  g_assert_cmpstr (mc_step_id_display_name (MC_STEP_SENDER), ==, "Sender address");
  g_assert_cmpstr (mc_step_id_display_name (MC_STEP_RECIPIENT), ==, "Recipient address");
}

/* The E-mail address the user typed wins over the user name. */
static void
test_address_from_the_form (void)
{
  g_autoptr(FakeServer) server = envelope_server (NULL, NULL);
  g_autoptr(McSettings) settings = envelope_settings ();
  g_autoptr(McResult) result = NULL;

  mc_settings_set_address (settings, "Anna.Mueller@example.test");
  result = run_envelope (server, settings);
  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_true (fake_server_received_contains (server, FAKE_PHASE_TLS, "MAIL FROM:<Anna.Mueller@example.test>\r\n"));
  g_assert_true (fake_server_received_contains (server, FAKE_PHASE_TLS, "RCPT TO:<Anna.Mueller@example.test>\r\n"));
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "MAIL FROM:<" FAKE_USER ">"), ==, 0);
}

/* 553 5.7.1 at MAIL FROM: the login works, the address is not this login's.
 * The test fails, the headline says why, the advice points at the address,
 * and the server's words stay in the step. */
static void
test_sender_refused_at_mail (void)
{
  g_autoptr(FakeServer) server = envelope_server ("553 5.7.1 <alice@example.test>: Sender address rejected: "
                                                  "not owned by user alice\r\n", NULL);
  g_autoptr(McSettings) settings = envelope_settings ();
  g_autoptr(McResult) result = run_envelope (server, settings);
  g_autofree char *order = commands_in_order (server);
  McAdvice *advice;

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  g_assert_cmpint (mc_result_get_outcome (result), ==, MC_OUTCOME_FAILED);
  g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_OK);
  g_assert_cmpstr (mc_result_get_headline (result), ==, "The login works, but this address may not send.");
  mc_assert_step (result, MC_STEP_LOGIN, MC_STEP_STATUS_OK);
  mc_assert_step (result, MC_STEP_SENDER, MC_STEP_STATUS_FAILED);
  g_assert_null (mc_test_find_step (result, MC_STEP_RECIPIENT));
  g_assert_cmpstr (order, ==, "EHLO AUTH MAIL QUIT");
  mc_assert_mentions (mc_test_find_step (result, MC_STEP_SENDER)->server, "not owned by user");
  advice = mc_test_find_advice (result, "sender-not-permitted");
  g_assert_nonnull (advice);
  g_assert_cmpstr (advice->field, ==, "address");
  mc_assert_mentions (advice->text, FAKE_USER);
  mc_assert_mentions (advice->text, "User Name and E-mail address");
  g_assert_cmpuint (result->advice->len, ==, 1);
  assert_json_step_server (result, "sender", "Sender address rejected");
}

/* Postfix refuses a sender only at RCPT TO (smtpd_delay_reject): the same
 * finding, and the transaction is still reset. */
static void
test_sender_refused_at_recipient (void)
{
  g_autoptr(FakeServer) server = envelope_server (NULL, "553 5.7.1 <alice@example.test>: Sender address rejected: "
                                                        "not owned by user bob\r\n");
  g_autoptr(McSettings) settings = envelope_settings ();
  g_autoptr(McResult) result = run_envelope (server, settings);
  g_autofree char *order = commands_in_order (server);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_SENDER, MC_STEP_STATUS_OK);
  mc_assert_step (result, MC_STEP_RECIPIENT, MC_STEP_STATUS_FAILED);
  g_assert_cmpstr (order, ==, "EHLO AUTH MAIL RCPT RSET QUIT");
  mc_assert_advice (result, "sender-not-permitted");
  mc_assert_no_advice (result, "relay-denied");
  mc_assert_no_advice (result, "recipient-refused");
  g_assert_cmpstr (mc_result_get_headline (result), ==, "The login works, but this address may not send.");
}

/* Logged in, but not allowed to send at all: no setting helps, support does. */
static void
test_relay_denied (void)
{
  g_autoptr(McResult) result = envelope_result (NULL,
                                                "554 5.7.1 <alice@example.test>: Relay access denied\r\n");
  McAdvice *advice;

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_RECIPIENT, MC_STEP_STATUS_FAILED);
  advice = mc_test_find_advice (result, "relay-denied");
  g_assert_nonnull (advice);
  mc_assert_mentions (advice->text, "support");
  g_assert_null (advice->field);
  g_assert_true (advice->fix_port == 0 && advice->fix_security < 0 && advice->fix_host == NULL);
  mc_assert_no_advice (result, "sender-not-permitted");
  assert_json_step_server (result, "recipient", "Relay access denied");
}

/* A full mailbox of one's own: mail to it bounces, sending itself works —
 * a warning, not a failure. */
static void
test_mailbox_full_is_a_warning (void)
{
  g_autoptr(McResult) result = envelope_result (NULL, "552 5.2.2 <alice@example.test>: Mailbox full\r\n");
  McAdvice *advice;

  mc_assert_verdict (result, MC_VERDICT_WARNING);
  g_assert_cmpint (mc_result_get_outcome (result), ==, MC_OUTCOME_WORKS_WITH_WARNINGS);
  mc_assert_step (result, MC_STEP_RECIPIENT, MC_STEP_STATUS_WARNING);
  advice = mc_test_find_advice (result, "mailbox-full");
  g_assert_nonnull (advice);
  mc_assert_mentions (advice->text, "Sending works");
  mc_assert_mentions (advice->text, "Delete messages");
}

/* Over quota at MAIL FROM: this login may not send now — a failure. */
static void
test_quota_at_sender_fails (void)
{
  g_autoptr(McResult) result = envelope_result ("452 4.2.2 Quota exceeded, sending blocked\r\n", NULL);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_SENDER, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "mailbox-full");
  mc_assert_no_advice (result, "sending-temporary");
}

static void
test_temporary_is_a_warning (void)
{
  g_autoptr(McResult) result = envelope_result (NULL, "451 4.3.0 Try again later\r\n");

  mc_assert_verdict (result, MC_VERDICT_WARNING);
  mc_assert_step (result, MC_STEP_RECIPIENT, MC_STEP_STATUS_WARNING);
  mc_assert_advice (result, "sending-temporary");
}

static void
test_recipient_refused (void)
{
  g_autoptr(McResult) result = envelope_result (NULL, "550 5.1.1 <alice@example.test>: Recipient address "
                                                      "rejected: User unknown in virtual mailbox table\r\n");
  McAdvice *advice;

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  advice = mc_test_find_advice (result, "recipient-refused");
  g_assert_nonnull (advice);
  g_assert_cmpstr (advice->field, ==, "address");
  mc_assert_mentions (advice->text, "Check E-mail address");
}

/* Without a working login nothing more is asked: the advice stays about the
 * password. */
static void
test_not_after_failed_login (void)
{
  g_autoptr(FakeServer) server = envelope_server (NULL, NULL);
  g_autoptr(McSettings) settings = envelope_settings ();
  g_autoptr(McResult) result = NULL;

  mc_settings_set_password (settings, "wrong-password");
  result = mc_test_run_server_with (server, settings);
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_advice (result, "authentication-failed");
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "MAIL"), ==, 0);
  g_assert_null (mc_test_find_step (result, MC_STEP_SENDER));
}

/* Nothing that could end or extend the command line gets into MAIL FROM: such
 * an address is refused before the test, with a sentence that says why. */
static void
test_invalid_address_refused (void)
{
  const char *invalid[] = {
    "alice", "alice@", "@example.test", "a b@example.test", "<alice@example.test>", "alice@example.test>",
    "alice@example.test\r\nRCPT TO:<x@y.test>", "alice@[192.0.2.1]", "al\"ice@example.test", "alice@exa mple.test",
    "alice..b@example.test", ".alice@example.test",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(McSettings) settings = envelope_settings ();
      g_autoptr(GError) error = NULL;

      mc_settings_set_address (settings, invalid[i]);
      g_assert_false (mc_settings_validate (settings, &error));
      g_assert_error (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_ADDRESS);
      mc_assert_mentions (error->message, "name@example.de");
    }

  {
    /* Off, or for IMAP, the same address is only text for the advice. */
    g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, 25);
    g_autoptr(GError) error = NULL;

    mc_settings_set_address (settings, "alice");
    g_assert_true (mc_settings_validate (settings, &error));
    g_assert_no_error (error);
  }
}

/* A local part beyond ASCII goes out only to a server that offers SMTPUTF8;
 * the domain always in A-labels. */
static void
test_international_address (void)
{
  g_autoptr(FakeServer) plain = envelope_server (NULL, NULL);
  g_autoptr(FakeServer) utf8 = envelope_server (NULL, NULL);
  g_autoptr(McSettings) settings = envelope_settings ();
  g_autoptr(McResult) skipped = NULL;
  g_autoptr(McResult) sent = NULL;

  mc_settings_set_address (settings, "jürgen@bücher.example");
  skipped = run_envelope (plain, settings);
  mc_assert_verdict (skipped, MC_VERDICT_OK);
  mc_assert_step (skipped, MC_STEP_SENDER, MC_STEP_STATUS_SKIPPED);
  mc_assert_mentions (mc_test_find_step (skipped, MC_STEP_SENDER)->summary, "SMTPUTF8");
  g_assert_cmpuint (fake_server_count_commands (plain, FAKE_PHASE_ANY, "MAIL"), ==, 0);

  fake_server_set_caps (utf8, FAKE_PHASE_TLS, "PIPELINING\nAUTH PLAIN LOGIN\nSMTPUTF8\n8BITMIME");
  sent = run_envelope (utf8, settings);
  mc_assert_verdict (sent, MC_VERDICT_OK);
  g_assert_true (fake_server_received_contains (utf8, FAKE_PHASE_TLS,
                                                "MAIL FROM:<jürgen@xn--bcher-kva.example> SMTPUTF8\r\n"));
}

/* The user name is no address and no address was given: the sender step
 * says it was not tried, and the test stands on the login. */
static void
test_no_address_skips (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = envelope_settings ();
  g_autoptr(McResult) result = NULL;

  fake_server_on (server, FAKE_PHASE_TLS, "AUTH PLAIN ", fake_send ("235 2.7.0 Authentication successful\r\n"),
                  NULL);
  mc_settings_set_user (settings, "alice");
  mc_settings_set_port (settings, fake_server_start (server));
  result = mc_test_run_timed (settings, NULL, NULL);
  fake_server_finish (server);
  mc_assert_step (result, MC_STEP_SENDER, MC_STEP_STATUS_SKIPPED);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "MAIL"), ==, 0);
}

/* A server that goes silent after MAIL FROM: the phase deadline ends it, as
 * every other wait, and the step says so. */
static void
test_silent_after_mail (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = envelope_settings ();
  g_autoptr(McResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  fake_server_on (server, FAKE_PHASE_TLS, "MAIL FROM:", fake_stall (), NULL);
  mc_settings_set_timeout (settings, 1);
  result = run_envelope (server, settings);
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_SENDER, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "timeout");
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 4000);
}

int
main (int   argc,
      char *argv[])
{
  sending_test_init (&argc, &argv);

  g_test_add_func ("/sending/envelope/off-by-default", test_off_by_default);
  g_test_add_func ("/sending/envelope/accepted-then-reset-never-data", test_accepted);
  g_test_add_func ("/sending/envelope/address-from-the-form", test_address_from_the_form);
  g_test_add_func ("/sending/envelope/sender-refused-at-mail-fails", test_sender_refused_at_mail);
  g_test_add_func ("/sending/envelope/sender-refused-at-recipient-fails", test_sender_refused_at_recipient);
  g_test_add_func ("/sending/envelope/relay-denied-names-support", test_relay_denied);
  g_test_add_func ("/sending/envelope/own-mailbox-full-is-a-warning", test_mailbox_full_is_a_warning);
  g_test_add_func ("/sending/envelope/quota-at-sender-fails", test_quota_at_sender_fails);
  g_test_add_func ("/sending/envelope/temporary-refusal-is-a-warning", test_temporary_is_a_warning);
  g_test_add_func ("/sending/envelope/own-address-refused-as-recipient", test_recipient_refused);
  g_test_add_func ("/sending/envelope/not-after-a-failed-login", test_not_after_failed_login);
  g_test_add_func ("/sending/envelope/invalid-address-refused-before-the-test", test_invalid_address_refused);
  g_test_add_func ("/sending/envelope/international-address-needs-smtputf8", test_international_address);
  g_test_add_func ("/sending/envelope/no-address-not-tried", test_no_address_skips);
  g_test_add_func ("/sending/envelope/silent-server-hits-the-deadline", test_silent_after_mail);

  return g_test_run ();
}
