/* test-hostile-framing.c: replies that break each protocol's framing
 *
 * Tags that answer the wrong command, unsolicited and oversized IMAP data,
 * greetings from the wrong protocol, SMTP reply codes that change or make no
 * sense, POP3 status words in the wrong case, multi-line replies that never
 * end properly. The client classifies strictly, asks once, never binds a reply
 * to a later command and never sends the password after a broken reply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hostile-framing"

#include "config.h"

#include <string.h>

#include "hostile-net.h"

static void
assert_nothing_said_after_greeting (Outcome *out)
{
  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_ANY, ""), ==, 0);
}

static void
assert_named_as_not_imap (Outcome *out)
{
  assert_nothing_said_after_greeting (out);
  mc_assert_mentions (mc_test_find_advice (out->result, "protocol-error")->text, "IMAP");
}

static void
assert_named_as_not_pop3 (Outcome *out)
{
  mc_assert_mentions (mc_test_find_advice (out->result, "protocol-error")->text, "POP3");
}

/* IMAP ------------------------------------------------------------------------ */

static void
test_imap_tag_confusion (void)
{
  static const Scenario cases[] = {
    /* EAST "reorder": the STARTTLS that follows is answered in advance. */
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .twists = { { .command = "CAPABILITY$",
                    .reply = "* CAPABILITY IMAP4rev1 STARTTLS\r\na2 OK Begin TLS now\r\n"
                             "$TAG OK done\r\n" } },
      STOPPED ("protocol-error", "capabilities") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .twists = { { .command = "CAPABILITY$",
                    .reply = "* CAPABILITY IMAP4rev1 STARTTLS\r\nzz9 OK never sent\r\n"
                             "$TAG OK done\r\n" } },
      STOPPED ("protocol-error", "capabilities") },
    /* The same tag twice: the second must not answer the next command. */
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .twists = { { .command = "CAPABILITY$",
                    .reply = "* CAPABILITY IMAP4rev1 STARTTLS\r\n$TAG OK done\r\n"
                             "$TAG OK again\r\n" } },
      STOPPED ("protocol-error", "starttls") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) out = { NULL };

      scenario_play (&cases[i], &out);
      g_assert_false (fake_server_tls_established (out.server));
    }
}

static void
script_untagged_between_login_steps (FakeServer *server)
{
  fake_server_on (server, FAKE_PHASE_TLS, "AUTHENTICATE LOGIN$",
                  fake_send ("* 5 EXISTS\r\n+ VXNlcm5hbWU6\r\n"), fake_expect (""),
                  fake_send ("* OK still here\r\n+ UGFzc3dvcmQ6\r\n"), fake_expect (""),
                  fake_send ("* 1 RECENT\r\n$TAG OK Logged in\r\n"), NULL);
}

static void
test_imap_unsolicited_responses (void)
{
  static const Scenario cases[] = {
    /* Untagged data between continuation steps and before the tagged answer is
     * accepted (RFC 9051 §2.2.2). */
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .caps_tls = "IMAP4rev1 AUTH=LOGIN",
      .setup = script_untagged_between_login_steps, .auth_used = "LOGIN", LOGGED_IN },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "AUTHENTICATE PLAIN ",
                    "* OK [ALERT] Maintenance tonight\r\n* 5 EXISTS\r\n"
                    "* CAPABILITY IMAP4rev1 IDLE\r\n"
                    "$TAG OK Logged in\r\n" } }, .auth = "ok", LOGGED_IN },
    /* BYE: a graceful failure that shows the server's words. */
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "AUTHENTICATE PLAIN ", "* BYE [ALERT] Shutting down now\r\n",
                    .then = THEN_CLOSE } },
      STOPPED ("server-closed",
               "login"), .shows = "login:Shutting down now", .logins = 1, .secret_sent = TRUE },
  };

  PLAY_ALL (cases);
}

static void
test_imap_literals_bounded (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .greeting = "* OK {5}\r\nhello\r\n", LOGGED_IN },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .greeting = "* OK {12}\r\nhello\r\nworld\r\n", LOGGED_IN },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .greeting = "* OK {-1}\r\n", LOGGED_IN },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .greeting = "* OK {4294967296}\r\n",
      STOPPED ("protocol-error", "greeting") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .greeting = "* OK {99999999999999999999}\r\n",
      STOPPED ("protocol-error", "greeting") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .greeting = "* OK {100}\r\nshort",
      .after_greeting = THEN_CLOSE,
      STOPPED ("server-closed", "greeting") },
  };

  /* The time is bounded: no 4 GiB allocation, no wait for bytes never sent. */
  PLAY_ALL (cases);
}

#define NOT_IMAP(text) \
  { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .greeting = (text), .check = assert_named_as_not_imap, \
    STOPPED ("protocol-error", "greeting") }

static void
test_imap_greeting_variants (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .greeting = "* BYE Too many connections from your IP\r\n",
      .shows = "greeting:Too many connections", .check = assert_nothing_said_after_greeting,
      STOPPED ("server-refused", "greeting") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .greeting = "* NO Not now\r\n",
      .check = assert_named_as_not_imap,
      STOPPED ("protocol-error", "greeting") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .greeting = "* BAD What\r\n",
      .check = assert_named_as_not_imap,
      STOPPED ("protocol-error", "greeting") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .greeting = "A OK tagged greeting\r\n",
      .check = assert_named_as_not_imap, STOPPED ("protocol-error", "greeting") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .greeting = "1Gdo00V4 wFaIW2WP\r\n",
      .check = assert_named_as_not_imap, STOPPED ("protocol-error", "greeting") },
    NOT_IMAP ("+OK POP3 server ready\r\n"),
    NOT_IMAP ("220 smtp.example ESMTP\r\n"),
    NOT_IMAP ("a1 OK tagged greeting\r\n"),
    NOT_IMAP ("* NO not a greeting\r\n"),
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .greeting = "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n", LOGGED_IN },
  };

  PLAY_ALL (cases);
}

/* Capabilities (all protocols) --------------------------------------------------- */

static void
test_capabilities_garbled_asked_once (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "CAPABILITY$", "$TAG BAD Try again\r\n" } },
      STOPPED ("protocol-error", "capabilities") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "CAPABILITY$", "a99 OK wrong tag\r\n" } },
      STOPPED ("protocol-error", "capabilities") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "CAPABILITY$", "$TAG OK no capability data\r\n" } },
      STOPPED ("protocol-error", "capabilities") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "CAPABILITY$", "$TAG MAYBE what\r\n" } },
      STOPPED ("protocol-error", "capabilities") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "EHLO ", "500 5.5.1 Try again\r\n" } },
      STOPPED ("protocol-error", "capabilities") },
    /* A POP3 server without CAPA is old, not hostile: a warning, and USER/PASS in TLS. */
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "CAPA$", "-ERR Try again\r\n" } },
      .steps = "capabilities:warning login:ok", .auth_used = "USER", .verdict = MC_VERDICT_WARNING,
      .logins = 2,
      .secret_sent = TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) out = { NULL };
      const char *hello = scenario_dialects[cases[i].protocol].hello;

      scenario_play (&cases[i], &out);
      /* Asked once: no retry loop, no recursion. */
      g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_ANY, hello), ==, 1);
    }
}

/* SMTP ------------------------------------------------------------------------ */

static void
test_smtp_multiline_replies (void)
{
  static const Scenario split_greeting = {
    MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .greeting = "220-fake.test first line\r\n",
    .greeting_tail = "220 fake.test ready\r\n", LOGGED_IN,
  };
  static const Scenario inside_tls = {
    MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .greeting = "220-fake.test ESMTP\r\n220-Please wait\r\n",
    .greeting_tail = "220 fake.test ready\r\n", .shows = "greeting:Please wait", LOGGED_IN,
  };
  /* The last line of a reply may carry no text. */
  static const Scenario empty_last = {
    MC_PROTOCOL_SMTP, MC_SECURITY_TLS,
    .twists = { { FAKE_PHASE_TLS, "EHLO ", "250-fake.test\r\n250-AUTH PLAIN LOGIN\r\n250 \r\n" } },
    .auth_used = "PLAIN", LOGGED_IN,
  };
  g_auto(Relay) relay = { 0 };
  g_auto(Outcome) out = { NULL };
  g_auto(Outcome) tls = { NULL };
  g_auto(Outcome) empty = { NULL };
  g_autoptr(GBytes) received = NULL;
  const char *ready;
  const char *client_spoke;

  /* The client waits for the last line of the greeting before EHLO ("pregreet"). */
  scenario_play_relayed (&split_greeting, &relay, &out);
  ready = strstr (relay.order->str, "220 fake.test ready");
  client_spoke = strstr (relay.order->str, "\nC:");
  g_assert_nonnull (ready);
  g_assert_nonnull (client_spoke);
  g_assert_cmpint (ready - relay.order->str, <, client_spoke - relay.order->str);

  scenario_play (&inside_tls, &tls);
  received = fake_server_get_received (tls.server, FAKE_PHASE_TLS);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (received, NULL), "EHLO "));

  scenario_play (&empty_last, &empty);
}

static void
test_smtp_malformed_reply_codes_stop (void)
{
  const char *replies[] = { "25 OK\r\n", "2500 OK\r\n", "250OK\r\n", "abc\r\n", "999 x\r\n",
                            "199 x\r\n",
                            /* Codes that change inside one reply. */
                            "250-fake.test\r\n220 STARTTLS\r\n" };

  /* Before TLS, and inside it. */
  for (guint i = 0; i < 2 * G_N_ELEMENTS (replies); i++)
    {
      const char *reply = replies[i % G_N_ELEMENTS (replies)];
      gboolean plain = i < G_N_ELEMENTS (replies);
      const Scenario s = { MC_PROTOCOL_SMTP, plain ? MC_SECURITY_STARTTLS : MC_SECURITY_TLS,
                           .twists = { { plain ? FAKE_PHASE_PLAIN : FAKE_PHASE_TLS, "EHLO ",
                                         reply } },
                           STOPPED ("protocol-error", "capabilities") };
      g_auto(Outcome) out = { NULL };

      scenario_play (&s, &out);
      g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_ANY, "STARTTLS"), ==, 0);
    }
}

static void
assert_no_helo (Outcome *out)
{
  /* HELO has no extensions, so no AUTH and no STARTTLS: no fallback to it. */
  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_ANY, "HELO "), ==, 0);
}

static void
test_smtp_rejects (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .greeting = "421 4.3.2 Service not available\r\n",
      STOPPED ("server-refused", "greeting") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .greeting = "554 5.7.1 No SMTP service here\r\n",
      STOPPED ("server-refused", "greeting") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .greeting = "530 5.7.0 Go away\r\n",
      STOPPED ("server-refused", "greeting") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .greeting = "221 2.0.0 Bye\r\n",
      STOPPED ("protocol-error", "greeting") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .greeting = "* OK IMAP4rev1 ready\r\n",
      STOPPED ("protocol-error", "greeting") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .greeting = "+OK POP3 ready\r\n",
      STOPPED ("protocol-error", "greeting") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS,
      .twists = { { .command = "EHLO ", .reply = "421 4.7.0 Too busy\r\n", .then = THEN_CLOSE } },
      STOPPED ("protocol-error", "capabilities") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "EHLO ", "502 5.5.2 EHLO not supported\r\n" } },
      .check = assert_no_helo, STOPPED ("protocol-error", "capabilities") },
    /* A refused or odd answer to QUIT after a good login: the login stands, with a warning. */
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "QUIT$", "421 4.3.2 Closing\r\n", .then = THEN_CLOSE } },
      .verdict = MC_VERDICT_WARNING, .steps = "login:ok logout:warning", .auth = "ok", .logins = 1,
      .secret_sent = TRUE },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "QUIT$", "250 what\r\n", .then = THEN_CLOSE } },
      .verdict = MC_VERDICT_WARNING, .steps = "login:ok logout:warning", .auth = "ok", .logins = 1,
      .secret_sent = TRUE },
  };

  PLAY_ALL (cases);
}

/* POP3 ------------------------------------------------------------------------ */

static void
assert_unstuffed (Outcome *out)
{
  g_assert_true (g_ptr_array_find_with_equal_func (out->result->caps_after, ".X-ODD", g_str_equal,
                                                   NULL));
}

static void
test_pop3_multiline_termination (void)
{
  static const Scenario cases[] = {
    /* An unsolicited listing right after the greeting desynchronises nothing. */
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .greeting = "+OK ready\r\n1 120\r\n2 200\r\n.\r\n",
      STOPPED ("protocol-error", "capabilities") },
    /* CAPA without its final dot: bounded by the deadline, or by the end of the connection. */
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .timeout = 1,
      .twists = { { .command = "CAPA$", .reply = "+OK\r\nSTLS\r\nUSER\r\n", .then = THEN_STALL } },
      STOPPED ("timeout", "capabilities") },
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "CAPA$", "+OK\r\nUSER\r\nSASL PLAIN\r\n",
                    .then = THEN_CLOSE } },
      STOPPED ("server-closed", "capabilities") },
    /* Dot-stuffed capability lines are unstuffed, not taken for the end. */
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .caps_plain = "..X-DOTTED\nSTLS", LOGGED_IN },
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "CAPA$", "+OK\r\n..X-ODD\r\nSASL PLAIN\r\n.\r\n" } },
      .check = assert_unstuffed, LOGGED_IN },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) out = { NULL };

      scenario_play (&cases[i], &out);
      g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_PLAIN, "STLS"), <=, 1);
    }
}

#define NOT_POP3(security, text) \
  { MC_PROTOCOL_POP3, (security), .greeting = (text), .check = assert_named_as_not_pop3, \
    STOPPED ("protocol-error", "greeting") }

static void
test_pop3_status_strict (void)
{
  static const Scenario cases[] = {
    NOT_POP3 (MC_SECURITY_STARTTLS, "+ok ready\r\n"),
    NOT_POP3 (MC_SECURITY_STARTTLS, "+OKAY ready\r\n"),
    NOT_POP3 (MC_SECURITY_TLS, "* OK IMAP4rev1 ready\r\n"),
    NOT_POP3 (MC_SECURITY_TLS, "220 smtp.example ESMTP\r\n"),
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .greeting = "+OK\r\n", LOGGED_IN },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .greeting = "-ERR Go away\r\n",
      STOPPED ("server-refused", "greeting") },
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .greeting = "-ERR [SYS/TEMP] Server busy, try later\r\n",
      .shows = "greeting:Server busy", STOPPED ("server-refused", "greeting") },
    /* Inside the login as well: "+ok" is not "+OK", and "OK" no status at all. */
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "AUTH PLAIN ", "+ok fine\r\n" } },
      STOPPED ("protocol-error", "login"), .logins = 1, .secret_sent = TRUE },
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "AUTH PLAIN ", "OK fine\r\n" } },
      STOPPED ("protocol-error", "login"), .auth = "not-tried", .logins = 1, .secret_sent = TRUE },
  };

  PLAY_ALL (cases);
}

static void
test_pop3_apop_never_used (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS,
      .greeting = "+OK POP3 ready <1234.5678@example.test>\r\n",
      .caps_plain = "USER\nSASL PLAIN", STOPPED ("starttls-not-offered", "starttls") },
    { MC_PROTOCOL_POP3, MC_SECURITY_NONE, .greeting = "+OK POP3 ready <1234.5678@example.test>\r\n",
      STOPPED ("plaintext-not-allowed", "login") },
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .greeting = "+OK POP3 ready <1234.5678@example.test>\r\n",
      .caps_tls = "USER\nAPOP", .verdict = MC_VERDICT_OK, .logins = 2, .secret_sent = TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) out = { NULL };

      scenario_play (&cases[i], &out);
      g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_ANY, "APOP"), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();

  g_test_add_func ("/mailcheck/hostile/framing/imap/tag-confusion-stops", test_imap_tag_confusion);
  g_test_add_func ("/mailcheck/hostile/framing/imap/unsolicited-responses",
                   test_imap_unsolicited_responses);
  g_test_add_func ("/mailcheck/hostile/framing/imap/literals-bounded", test_imap_literals_bounded);
  g_test_add_func ("/mailcheck/hostile/framing/imap/greeting-variants",
                   test_imap_greeting_variants);
  g_test_add_func ("/mailcheck/hostile/framing/capabilities-garbled-asked-once",
                   test_capabilities_garbled_asked_once);
  g_test_add_func ("/mailcheck/hostile/framing/smtp/multiline-replies",
                   test_smtp_multiline_replies);
  g_test_add_func ("/mailcheck/hostile/framing/smtp/malformed-reply-codes-stop",
                   test_smtp_malformed_reply_codes_stop);
  g_test_add_func ("/mailcheck/hostile/framing/smtp/rejects", test_smtp_rejects);
  g_test_add_func ("/mailcheck/hostile/framing/pop3/multiline-termination",
                   test_pop3_multiline_termination);
  g_test_add_func ("/mailcheck/hostile/framing/pop3/status-strict", test_pop3_status_strict);
  g_test_add_func ("/mailcheck/hostile/framing/pop3/apop-never-used", test_pop3_apop_never_used);

  return g_test_run ();
}
