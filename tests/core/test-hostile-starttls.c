/* test-hostile-starttls.c: a server or a man in the middle against the upgrade to TLS
 *
 * STARTTLS missing, refused, answered with nonsense or followed by plaintext;
 * bytes injected around the go-ahead; PREAUTH; a server that asks for no
 * encryption or sits on the wrong port. Whatever happens, the password stays
 * home, nothing falls back to plaintext and nothing learnt before TLS counts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hostile-starttls"

#include "config.h"

#include <string.h>

#include "mc-report.h"
#include "scenario.h"

#define UPGRADE(p) (scenario_dialects[p].upgrade)

/* Not offered, refused, garbled ----------------------------------------------- */

static void
test_not_offered_stops (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .caps_plain = "IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN",
      STOPPED ("starttls-not-offered", "starttls") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .greeting = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n",
      STOPPED ("starttls-not-offered", "starttls") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .caps_plain = "IMAP4",
      STOPPED ("starttls-not-offered", "starttls") },
    /* Only whole tokens count: none of these is STARTTLS. */
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .caps_plain = "IMAP4rev1 X-STARTTLS AUTH=PLAIN",
      STOPPED ("starttls-not-offered", "starttls") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .caps_plain = "IMAP4rev1 STARTTLSX X-NOSTARTTLS",
      STOPPED ("starttls-not-offered", "starttls") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .caps_plain = "IMAP4rev1 STARTTLS=1",
      STOPPED ("starttls-not-offered", "starttls") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .greeting = "* OK [ALERT] STARTTLS is coming soon\r\n",
      .caps_plain = "IMAP4rev1 AUTH=PLAIN", STOPPED ("starttls-not-offered", "starttls") },
    /* The CAPABILITY command itself is hidden. */
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .twists = { { .command = "CAPABILITY$", .reply = "$TAG BAD Command unknown\r\n" } },
      STOPPED ("protocol-error", "capabilities") },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .caps_plain = "TOP\nUSER\nSASL PLAIN",
      STOPPED ("starttls-not-offered", "starttls") },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .caps_plain = "USER\nXSTLS\nSTLSX",
      STOPPED ("starttls-not-offered", "starttls") },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .greeting = "+OK STLS ready, really\r\n",
      .caps_plain = "USER\nX-STLS",
      STOPPED ("starttls-not-offered", "starttls") },
    /* Nothing known about STLS: stop rather than try it blindly or fall back to USER/PASS. */
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS,
      .twists = { { .command = "CAPA$", .reply = "-ERR Unknown command\r\n" } },
      STOPPED ("starttls-not-offered", "starttls") },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .timeout = 1,
      .twists = { { .command = "CAPA$", .then = THEN_STALL } },
      STOPPED ("timeout", "capabilities") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .caps_plain = "PIPELINING\nAUTH PLAIN LOGIN",
      STOPPED ("starttls-not-offered", "starttls") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .caps_plain = "X-STARTTLS\nSTARTTLSX\nAUTH PLAIN",
      STOPPED ("starttls-not-offered", "starttls") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS,
      .greeting = "220 fake.test ESMTP STARTTLS supported\r\n",
      .caps_plain = "AUTH PLAIN", STOPPED ("starttls-not-offered", "starttls") },
    /* EHLO refused: HELO knows no extensions, so it cannot lead to STARTTLS. */
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS,
      .twists = { { .command = "EHLO ", .reply = "500 5.5.1 Command unrecognized\r\n" } },
      STOPPED ("protocol-error", "capabilities") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS,
      .twists = { { .command = "EHLO ", .reply = "502 5.5.2 Not implemented\r\n" } },
      STOPPED ("protocol-error", "capabilities") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) out = { NULL };

      scenario_play (&cases[i], &out);
      g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_ANY,
                                                    UPGRADE (cases[i].protocol)), ==, 0);
      g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_ANY, "HELO"), ==, 0);
      g_assert_false (fake_server_tls_established (out.server));
    }
}

static void
assert_asked_once (Outcome *out)
{
  McProtocol protocol = out->result->protocol;

  /* Asked once, no reconnect loop (one connection, checked by every play). */
  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_ANY, UPGRADE (protocol)),
                    ==, 1);
}

static void
assert_asked_once_way_out_is_tls (Outcome *out)
{
  assert_asked_once (out);
  /* The way out named is SSL/TLS, never plaintext. */
  mc_assert_mentions (mc_test_find_advice (out->result, "starttls-refused")->text, "SSL/TLS");
}

#define REFUSED .check = assert_asked_once_way_out_is_tls, STOPPED ("starttls-refused", "starttls")
#define GARBLED(code) .check = assert_asked_once, STOPPED ((code), "starttls")

static void
test_refused_stops (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "$TAG NO TLS unavailable\r\n" } }, REFUSED },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "$TAG BAD Unknown command\r\n" } }, REFUSED },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "-ERR Command not permitted\r\n" } }, REFUSED },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "454 4.7.0 TLS not available\r\n" } }, REFUSED },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "502 5.5.2 Not implemented\r\n" } }, REFUSED },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "501 5.5.4 No parameters allowed\r\n" } },
      REFUSED },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "421 4.3.2 Shutting down\r\n" } }, REFUSED },
  };

  PLAY_ALL (cases);
}

static void
test_nonsense_answer_stops (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "+ continue with something.\r\n" } },
      GARBLED ("protocol-error") },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .twists = { { .reply = "+ go on\r\n" } },
      GARBLED ("protocol-error") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .twists = { { .reply = "354 Start mail input\r\n" } },
      GARBLED ("protocol-error") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .twists = { { .reply = "221 2.0.0 Bye\r\n" } },
      GARBLED ("protocol-error") },
    /* "220" and then no TLS at all. */
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .timeout = 1,
      .twists = { { .reply = "220 2.0.0 Ready\r\n",
                    .then = THEN_STALL } }, .check = assert_asked_once,
      STOPPED ("timeout", "tls") },
  };

  PLAY_ALL (cases);
}

static void
test_upgrade_failure_stops (void)
{
  /* NDSS'25 T2: the client's ClientHello is answered with a refusal in clear. */
  static const Scenario plaintext[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "$TAG OK Begin TLS negotiation now.\r\n", .pause_ms = 200,
                    .later = "a2 BAD TLS not available\r\n", .then = THEN_STALL } },
      STOPPED ("tls-failed", "tls") },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "+OK Begin TLS negotiation\r\n", .pause_ms = 200,
                    .later = "-ERR TLS not available\r\n", .then = THEN_STALL } },
      STOPPED ("tls-failed", "tls") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "220 2.0.0 Ready to start TLS\r\n", .pause_ms = 200,
                    .later = "454 4.7.0 TLS not available due to temporary reason\r\n",
                    .then = THEN_STALL } },
      STOPPED ("tls-failed", "tls") },
  };

  for (guint i = 0; i < 2 * G_N_ELEMENTS (every_protocol); i++)
    {
      McProtocol p = every_protocol[i % 3];
      /* Or the server hangs up where the ServerHello should come. */
      const Scenario closed = { p, MC_SECURITY_STARTTLS,
                                .twists = { { .reply = scenario_dialects[p].upgrade_yes,
                                              .pause_ms = 200,
                                              .then = THEN_CLOSE } },
                                .verdict = MC_VERDICT_FAILED, .failed = "tls" };
      g_auto(Outcome) out = { NULL };

      scenario_play (i < 3 ? &plaintext[i] : &closed, &out);
      g_assert_false (fake_server_tls_established (out.server));
      g_assert_cmpint (out.result->auth_result, ==, MC_AUTH_RESULT_NOT_TRIED);
    }
}

/* PREAUTH ------------------------------------------------------------------- */

static void
test_preauth_before_tls_stops (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .greeting = "* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n",
      STOPPED ("preauth-before-tls", "greeting") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .greeting = "* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN AUTH=LOGIN] "
                  "pre-authenticated\r\n",
      STOPPED ("preauth-before-tls", "greeting") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .greeting = "* PREAUTH IMAP4rev1 server logged in as alice\r\n",
      STOPPED ("preauth-before-tls", "greeting") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .greeting = "* preauth welcome back\r\n",
      STOPPED ("preauth-before-tls", "greeting") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) out = { NULL };
      g_autoptr(GBytes) sent = NULL;
      g_autofree char *report = NULL;

      scenario_play (&cases[i], &out);
      /* Not a single byte after the greeting. */
      sent = fake_server_get_received (out.server, FAKE_PHASE_ANY);
      g_assert_cmpuint (g_bytes_get_size (sent), ==, 0);
      /* The report shows the greeting as unencrypted and possibly forged. */
      report = mc_report_to_text (out.result, FALSE);
      mc_assert_mentions (report, "could be forged");
    }
}

static void
assert_preauth_says_password_unchecked (Outcome *out)
{
  mc_assert_mentions (mc_test_find_advice (out->result, "preauth")->text, "password");
}

static void
test_preauth_over_tls_warns (void)
{
  /* Legitimate, but the password was never checked: not claimed to work. */
  static const Scenario s = {
    MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
    .greeting = "* PREAUTH [CAPABILITY IMAP4rev1 AUTH=PLAIN] welcome\r\n",
    .verdict = MC_VERDICT_WARNING, .advice = "preauth", .steps = "greeting:warning login:skipped",
    .auth = "not-tried", .check = assert_preauth_says_password_unchecked,
  };
  g_auto(Outcome) out = { NULL };

  scenario_play (&s, &out);
}

/* Modes --------------------------------------------------------------------- */

static void
test_never_inside_tls (void)
{
  /* RFC 3207 §4.2: never STARTTLS inside TLS, even when offered there. */
  static const char *offered[] = {
    [MC_PROTOCOL_IMAP] = "IMAP4rev1 STARTTLS SASL-IR AUTH=PLAIN",
    [MC_PROTOCOL_POP3] = "STLS\nUSER\nSASL PLAIN",
    [MC_PROTOCOL_SMTP] = "STARTTLS\nAUTH PLAIN LOGIN",
  };

  for (guint i = 0; i < 2 * G_N_ELEMENTS (every_protocol); i++)
    {
      McProtocol p = every_protocol[i % 3];
      McSecurity security = i < 3 ? MC_SECURITY_TLS : MC_SECURITY_STARTTLS;
      const Scenario s = { p, security, .caps_tls = offered[p], LOGGED_IN };
      g_auto(Outcome) out = { NULL };

      scenario_play (&s, &out);
      g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_TLS, UPGRADE (p)), ==,
                        0);
      if (security == MC_SECURITY_TLS)
        {
          g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_ANY, UPGRADE (p)),
                            ==, 0);
          g_assert_null (mc_test_find_step (out.result, MC_STEP_STARTTLS));
        }
    }
}

static void
test_security_none_sends_no_password (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    {
      /* The server offers every mechanism in clear. With a password the login the
       * user asked for did not happen; without one the check only looks, and still warns. */
      const Scenario with_password = { every_protocol[i], MC_SECURITY_NONE, .auth = "not-tried",
                                       STOPPED ("plaintext-not-allowed", "login") };
      const Scenario without_password = { every_protocol[i], MC_SECURITY_NONE, .no_password = TRUE,
                                          .verdict = MC_VERDICT_WARNING,
                                          .advice = "plaintext-not-allowed",
                                          .steps = "login:skipped" };
      g_auto(Outcome) first = { NULL };
      g_auto(Outcome) second = { NULL };
      McAdvice *advice;

      scenario_play (&with_password, &first);
      advice = mc_test_find_advice (first.result, "plaintext-not-allowed");
      mc_assert_mentions (advice->text, "Security");
      g_assert_cmpint (advice->fix_security, !=, MC_SECURITY_NONE);
      mc_assert_mentions (mc_test_find_step (first.result, MC_STEP_LOGIN)->summary,
                          "nothing was sent");

      scenario_play (&without_password, &second);
      g_assert_cmpint (mc_test_find_advice (second.result, "plaintext-not-allowed")->fix_security,
                       !=,
                       MC_SECURITY_NONE);
    }
}

static void
test_autodetect_never_recommends_plaintext (void)
{
  /* The hostile network answers instantly in plaintext without STARTTLS where TLS
   * was asked for: the probes that follow must never recommend plaintext. */
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .server_mode = "plain", .verdict = MC_VERDICT_FAILED,
      .failed = "tls", .connections = 3 },
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .server_mode = "plain", .verdict = MC_VERDICT_FAILED,
      .failed = "tls", .connections = 3 },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .server_mode = "plain", .verdict = MC_VERDICT_FAILED,
      .failed = "tls", .connections = 3 },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .server_mode = "plain",
      STOPPED ("starttls-not-offered", "starttls") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) out = { NULL };

      scenario_play (&cases[i], &out);
      g_assert_false (mc_result_has_advice (out.result, "use-starttls"));
      g_assert_false (mc_result_has_advice (out.result, "use-implicit-tls"));
    }
}

/* A suspected mode mismatch is confirmed by probes of the engine's own: new
 * connections that really speak the other mode, never with the password. */
static void
assert_probed_other_mode (Outcome *out)
{
  McAdvice *starttls = mc_test_find_advice (out->result, "use-starttls");
  McAdvice *implicit = mc_test_find_advice (out->result, "use-implicit-tls");

  g_assert_cmpuint (out->result->advice->len, >, 0);
  if (starttls != NULL)
    {
      g_assert_cmpint (starttls->fix_security, ==, MC_SECURITY_STARTTLS);
      g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_PLAIN, "STARTTLS$"), ==,
                        1);
    }
  if (implicit != NULL)
    g_assert_cmpint (implicit->fix_security, ==, MC_SECURITY_TLS);
  if (starttls != NULL || implicit != NULL)
    {
      g_assert_cmpuint (fake_server_get_connections (out->server), >=, 2);
      g_assert_true (fake_server_tls_established (out->server));
    }
}

static void
test_wrong_mode_for_port_probed (void)
{
  static const Scenario cases[] = {
    /* Implicit TLS against a STARTTLS port: probed, then "use STARTTLS". */
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .server_mode = "starttls", STOPPED ("use-starttls", "tls"),
      .connections = 3 },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .server_mode = "starttls", STOPPED ("use-starttls", "tls"),
      .connections = 3 },
    /* No encryption or STARTTLS against an implicit-TLS port: probed, then "use SSL/TLS". */
    { MC_PROTOCOL_SMTP, MC_SECURITY_NONE, .server_mode = "tls",
      STOPPED ("use-implicit-tls", "greeting"),
      .connections = 3 },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .server_mode = "tls",
      STOPPED ("use-implicit-tls", "greeting"),
      .connections = 3 },
    /* The server hangs up before any ServerHello. */
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .server_mode = "plain", .greeting = "",
      .after_greeting = THEN_CLOSE,
      .verdict = MC_VERDICT_FAILED, .failed = "tls", .connections = 3 },
    /* Random bytes instead of a ServerHello. */
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .server_mode = "plain",
      .greeting = "\x16\xff\x13\x37 garbage\r\n",
      .after_greeting = THEN_STALL, STOPPED ("tls-failed", "tls"), .connections = 3 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) out = { NULL };

      scenario_play (&cases[i], &out);
      assert_probed_other_mode (&out);
    }
}

/* What was learnt before TLS ------------------------------------------------ */

typedef struct
{
  Scenario     scenario;
  const char  *offered;   /* the mechanisms, space-separated, in order */
  const char  *caps_after;
} AskedAgain;

static char *
join (GPtrArray *list)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "", (char *)g_ptr_array_index (list, i));
  return g_string_free (out, FALSE);
}

static void
test_capabilities_asked_again_inside_tls (void)
{
  static const AskedAgain cases[] = {
    { { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
        .caps_plain = "IMAP4rev1 STARTTLS AUTH=PLAIN AUTH=LOGIN",
        .caps_tls = "IMAP4rev1 AUTH=SCRAM-SHA-256 AUTH=PLAIN", .auth_used = "PLAIN", LOGGED_IN },
      "SCRAM-SHA-256 PLAIN", NULL },
    /* LOGINDISABLED before TLS, nothing after: the LOGIN command is allowed again. */
    { { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .caps_plain = "IMAP4rev1 STARTTLS LOGINDISABLED",
        .caps_tls = "IMAP4rev1", .auth_used = "LOGIN command", LOGGED_IN }, "", NULL },
    /* Capabilities smuggled before and with the go-ahead are forgotten. */
    { { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
        .caps_plain = "IMAP4rev1 SASL-IR AUTH=PLAIN STARTTLS",
        .caps_tls = "IMAP4rev1 AUTH=LOGIN",
        .twists = { { .reply = "* CAPABILITY IMAP4rev1 IDLE SASL-IR AUTH=PLAIN\r\n"
                               "$TAG OK [CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN] Begin TLS\r\n",
                      .then = THEN_TLS } },
        .auth_used = "LOGIN", LOGGED_IN }, "LOGIN", "IMAP4rev1 AUTH=LOGIN" },
    { { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .caps_plain = "STLS\nUSER",
        .caps_tls = "SASL PLAIN",
        .auth_used = "PLAIN", LOGGED_IN }, "PLAIN", NULL },
    { { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .caps_plain = "STLS\nSASL PLAIN\nUSER",
        .caps_tls = "USER",
        .twists = { { .reply = "+OK Begin TLS\r\n",
                      .then = THEN_TLS } }, .auth_used = "USER", .verdict = MC_VERDICT_OK,
        .logins = 2, .secret_sent = TRUE }, "USER", NULL },
    { { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .caps_plain = "STARTTLS\nAUTH LOGIN",
        .caps_tls = "AUTH PLAIN",
        .auth_used = "PLAIN", LOGGED_IN }, "PLAIN", NULL },
    { { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .caps_plain = "STARTTLS\nAUTH PLAIN",
        .caps_tls = "AUTH LOGIN",
        .twists = { { .reply = "220 2.0.0 Ready\r\n",
                      .then = THEN_TLS } }, .auth_used = "LOGIN", LOGGED_IN },
      "LOGIN", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const AskedAgain *c = &cases[i];
      const char *hello = scenario_dialects[c->scenario.protocol].hello;
      g_auto(Outcome) out = { NULL };
      g_autofree char *offered = NULL;
      g_autofree char *caps_after = NULL;

      scenario_play (&c->scenario, &out);
      /* Asked again inside TLS, once, and only that answer counts. */
      g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_TLS, hello), ==, 1);
      offered = join (out.result->auth_offered);
      g_assert_cmpstr (offered, ==, c->offered);
      caps_after = join (out.result->caps_after);
      if (c->caps_after != NULL)
        g_assert_cmpstr (caps_after, ==, c->caps_after);
    }
}

/* Bytes around the go-ahead ------------------------------------------------- */

static void
assert_stopped_at_once (Outcome *out)
{
  g_autofree char *command = upgrade_command_line (out->result->protocol);

  /* Stopped right there: nothing after the command, no handshake, nothing parsed. */
  g_assert_true (plaintext_ends_with (out->server, command));
  g_assert_false (fake_server_tls_established (out->server));
  g_assert_null (mc_test_find_step (out->result, MC_STEP_TLS));
  g_assert_cmpuint (out->result->caps_after->len, ==, 0);
}

#define INJECTED(protocol, bytes, len) \
  { (protocol), MC_SECURITY_STARTTLS, \
    .twists = { { .reply = (bytes), .reply_len = (len), .then = THEN_TLS } }, \
    .check = assert_stopped_at_once, STOPPED ("starttls-injection", "starttls") }

static void
test_injection_after_ok (void)
{
  static const char imap_binary[] = "a2 OK Begin fake TLS negotiation now.\r\n"
                                    "\xb9\xb3\xb1\xb2\x01\xff";
  static const char pop3_binary[] = "+OK Begin fake TLS negotiation now.\r\n"
                                    "\xb9\xb3\xb1\xb2\x00\x16\x03\x01";
  static const char smtp_binary[] = "220 2.0.0 Go ahead\r\n\xb9\xb3\x00\xfe\x16\x03\x01";
  static const Scenario cases[] = {
    /* In the same segment as the go-ahead: left in the reader's buffer. */
    INJECTED (MC_PROTOCOL_IMAP,
              "$TAG OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nB OK injected\r\n", 0),
    INJECTED (MC_PROTOCOL_POP3, "+OK Begin TLS\r\n+OK\r\nPLAIN\r\nLOGIN\r\n.\r\n", 0),
    INJECTED (MC_PROTOCOL_SMTP, "220 Ready\r\n250-example.org\r\n250 AUTH LOGIN\r\n", 0),
    /* Binary garbage after the go-ahead. */
    INJECTED (MC_PROTOCOL_IMAP, imap_binary, sizeof imap_binary - 1),
    INJECTED (MC_PROTOCOL_POP3, pop3_binary, sizeof pop3_binary - 1),
    INJECTED (MC_PROTOCOL_SMTP, smtp_binary, sizeof smtp_binary - 1),
  };

  PLAY_ALL (cases);
}

static void
test_injection_split_across_segments (void)
{
  static const char *later[] = {
    [MC_PROTOCOL_IMAP] = "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n",
    [MC_PROTOCOL_POP3] = "+OK\r\nUSER\r\n.\r\n",
    [MC_PROTOCOL_SMTP] = "250-example.org\r\n250 AUTH LOGIN\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    {
      McProtocol p = every_protocol[i];
      /* The extra bytes come after the client looked: they hit the TLS layer,
       * which must fail rather than fall back. */
      const Scenario s = { p, MC_SECURITY_STARTTLS,
                           .twists = { { .reply = scenario_dialects[p].upgrade_yes, .pause_ms = 120,
                                         .later = later[p], .then = THEN_TLS } },
                           .verdict = MC_VERDICT_FAILED, .failed = "tls", .auth = "not-tried",
                           .advice = "!plaintext-not-allowed" };
      g_auto(Outcome) out = { NULL };

      scenario_play (&s, &out);
      g_assert_false (fake_server_tls_established (out.server));
    }
}

static void
test_prefix_kept_as_plaintext_suffix_stops (void)
{
  static const Scenario prefix = {
    MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
    .twists = { { .reply = "* OK [ALERT] prefix.\r\n$TAG OK Begin TLS\r\n",
                  .then = THEN_TLS } }, LOGGED_IN,
  };
  static const Scenario suffixes[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "$TAG OK Begin TLS\r\n* OK [ALERT] suffix.\r\n", .then = THEN_TLS } },
      STOPPED ("starttls-injection", "starttls") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .twists = { { .reply = "$TAG OK Begin TLS\r\n* BYE injected\r\n", .then = THEN_TLS } },
      STOPPED ("starttls-injection", "starttls") },
  };
  static const Scenario after_tls = {
    MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
    .twists = { { FAKE_PHASE_TLS, "CAPABILITY$",
                  "* OK [ALERT] after TLS.\r\n* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\n"
                  "$TAG OK done\r\n" } },
    LOGGED_IN,
  };
  g_auto(Outcome) before = { NULL };
  g_auto(Outcome) inside = { NULL };

  /* A prefix is plaintext and stays labelled so; it changes nothing. */
  scenario_play (&prefix, &before);
  g_assert_true (transcript_has (before.result, "prefix.", FALSE));
  g_assert_false (transcript_has (before.result, "prefix.", TRUE));
  g_assert_false (any_step_shows (before.result, "prefix.", TRUE));

  PLAY_ALL (suffixes);

  /* Inside TLS the same text is the server's own. */
  scenario_play (&after_tls, &inside);
  g_assert_true (transcript_has (inside.result, "after TLS.", TRUE));
}

static void
test_no_pipelining_after_starttls (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    {
      McProtocol p = every_protocol[i];
      /* The go-ahead is slow: a client that talks on meanwhile shows up as plaintext
       * after the command, where the ClientHello must be the next byte. */
      const Scenario s = { p, MC_SECURITY_STARTTLS,
                           .twists = { { .pause_ms = 300, .later = scenario_dialects[p].upgrade_yes,
                                         .then = THEN_TLS } },
                           LOGGED_IN };
      g_autofree char *command = upgrade_command_line (p);
      g_auto(Outcome) out = { NULL };

      scenario_play (&s, &out);
      g_assert_true (fake_server_tls_established (out.server));
      g_assert_true (plaintext_ends_with (out.server, command));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();

  g_test_add_func ("/mailcheck/hostile/starttls/not-offered-stops", test_not_offered_stops);
  g_test_add_func ("/mailcheck/hostile/starttls/refused-stops", test_refused_stops);
  g_test_add_func ("/mailcheck/hostile/starttls/nonsense-answer-stops", test_nonsense_answer_stops);
  g_test_add_func ("/mailcheck/hostile/starttls/upgrade-failure-stops", test_upgrade_failure_stops);
  g_test_add_func ("/mailcheck/hostile/starttls/preauth-before-tls-stops",
                   test_preauth_before_tls_stops);
  g_test_add_func ("/mailcheck/hostile/starttls/preauth-over-tls-warns",
                   test_preauth_over_tls_warns);
  g_test_add_func ("/mailcheck/hostile/starttls/never-inside-tls", test_never_inside_tls);
  g_test_add_func ("/mailcheck/hostile/starttls/security-none-sends-no-password",
                   test_security_none_sends_no_password);
  g_test_add_func ("/mailcheck/hostile/starttls/autodetect-never-recommends-plaintext",
                   test_autodetect_never_recommends_plaintext);
  g_test_add_func ("/mailcheck/hostile/starttls/wrong-mode-for-port-probed-without-password",
                   test_wrong_mode_for_port_probed);
  g_test_add_func ("/mailcheck/hostile/starttls/capabilities-asked-again-inside-tls",
                   test_capabilities_asked_again_inside_tls);
  g_test_add_func ("/mailcheck/hostile/starttls/injection-after-ok", test_injection_after_ok);
  g_test_add_func ("/mailcheck/hostile/starttls/injection-split-across-segments",
                   test_injection_split_across_segments);
  g_test_add_func ("/mailcheck/hostile/starttls/prefix-kept-as-plaintext-suffix-stops",
                   test_prefix_kept_as_plaintext_suffix_stops);
  g_test_add_func ("/mailcheck/hostile/starttls/no-pipelining-after-starttls",
                   test_no_pipelining_after_starttls);

  return g_test_run ();
}
