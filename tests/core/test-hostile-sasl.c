/* test-hostile-sasl.c: mechanisms and the login exchange against a hostile server
 *
 * Mechanisms are whole tokens; nothing usable means nothing sent; a challenge
 * that cannot be decoded, or one too many, is cancelled with "*"; SCRAM, which
 * the app does not implement, is never started, whatever the server promises;
 * every failure code gets its own diagnosis, and a temporary one never sends
 * the user back to the password; an initial response that would make the line
 * too long is left out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hostile-sasl"

#include "config.h"

#include <string.h>

#include "scenario.h"

static void
test_mechanisms_matched_as_whole_tokens (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
      .caps_tls = "IMAP4rev1 AUTH=PLAIN-CLIENTTOKEN AUTH=LOGIN_2 X-PLAIN-SUBMIT LOGINDISABLED",
      STOPPED ("mechanism-not-offered", "login") },
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS,
      .caps_tls = "SASL PLAIN-CLIENTTOKEN LOGIN_2\nX-USER\nUSERX",
      STOPPED ("mechanism-not-offered", "login") },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS,
      .caps_tls = "AUTH PLAINX LOGIN_2 X-PLAIN-SUBMIT\nAUTHX PLAIN",
      STOPPED ("mechanism-not-offered", "login") },
    /* Whole tokens, but any case. */
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .caps_plain = "imap4rev1 starttls", LOGGED_IN },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .caps_tls = "auth plain", LOGGED_IN },
  };

  PLAY_ALL (cases);
}

#define NOTHING_USABLE(protocol, security, caps, code) \
  { (protocol), (security), .caps_tls = (caps), .auth = "not-tried", STOPPED ((code), "login") }

static void
test_no_usable_mechanism_stops (void)
{
  static const Scenario cases[] = {
    NOTHING_USABLE (MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, "IMAP4rev1 LOGINDISABLED",
                    "login-disabled"),
    /* Encrypted already: the cause is the missing mechanism, not missing encryption. */
    NOTHING_USABLE (MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
                    "IMAP4rev1 AUTH=GSSAPI AUTH=XOAUTH2 LOGINDISABLED",
                    "mechanism-not-offered !login-disabled"),
    NOTHING_USABLE (MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, "AUTH", "mechanism-not-offered"),
    NOTHING_USABLE (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, "SIZE 1000", "mechanism-not-offered"),
    NOTHING_USABLE (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, "AUTH CRAM-MD5 GSSAPI XOAUTH2",
                    "mechanism-not-offered"),
    NOTHING_USABLE (MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, "SASL", "mechanism-not-offered"),
    NOTHING_USABLE (MC_PROTOCOL_POP3, MC_SECURITY_TLS, "TOP\nUIDL\nSASL GSSAPI XOAUTH2",
                    "mechanism-not-offered"),
    /* An empty CAPA inside TLS leaves the one mechanism every POP3 server has. */
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .caps_tls = "", .verdict = MC_VERDICT_OK, .logins = 2,
      .secret_sent = TRUE },
  };

  PLAY_ALL (cases);
}

/* Challenges that cannot be answered ----------------------------------------- */

static void
assert_cancelled (Outcome *out)
{
  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_TLS, "*$"), ==, 1);
}

#define CANCELLED .check = assert_cancelled, STOPPED ("protocol-error", "login"), .logins = 1

/* @command is answered with @challenge (after @prompt and an answer to it, if
 * given); the client must cancel with "*", which the server confirms. */
static void
play_challenge (McProtocol  protocol,
                const char *caps,
                const char *user,
                const char *command,
                const char *prompt,
                const char *challenge,
                gboolean    secret_sent)
{
  static const char *cancelled[] = {
    [MC_PROTOCOL_IMAP] = "$TAG BAD Authentication cancelled\r\n",
    [MC_PROTOCOL_POP3] = "-ERR Authentication cancelled\r\n",
    [MC_PROTOCOL_SMTP] = "501 5.7.0 Authentication aborted\r\n",
  };
  static const char *taken[] = {
    [MC_PROTOCOL_IMAP] = "$TAG OK what\r\n",
    [MC_PROTOCOL_POP3] = "+OK what\r\n",
    [MC_PROTOCOL_SMTP] = "235 what\r\n",
  };
  const Scenario s = { protocol, MC_SECURITY_TLS, .caps_tls = caps, .user = user,
                       .auth = "not-tried", CANCELLED,
                       .secret_sent = secret_sent };
  g_auto(Outcome) out = { NULL };

  g_test_message ("%s answered with %s", command, challenge);
  out.server = scenario_server (&s);
  if (prompt != NULL)
    fake_server_on (out.server, FAKE_PHASE_TLS, command, fake_send (prompt), fake_expect (""),
                    fake_send (challenge),
                    fake_reply_if ("*$", cancelled[protocol], taken[protocol]), NULL);
  else
    fake_server_on (out.server, FAKE_PHASE_TLS, command, fake_send (challenge),
                    fake_reply_if ("*$", cancelled[protocol], taken[protocol]), NULL);
  scenario_play (&s, &out);
}

static void
test_malformed_challenges_cancelled (void)
{
  const char *smtp[] = { "334 !!!\r\n", "334 =AAA\r\n", "334 AAA=BBB\r\n", "334 AAA=BBBB\r\n",
                         "334 QUJD\x01\r\n",
                         "334 QUJD\tRA==\r\n" };
  /* The last: PLAIN has no server challenge, any text is one too many. */
  const char *imap[] = { "+ !!!\r\n", "+ =AAA\r\n", "+ AAA=BBBB\r\n", "+ Zm9v\r\n" };
  g_autofree char *local = g_strnfill (400, 'u');
  g_autofree char *long_user = g_strdup_printf ("%s@example.test", local);
  g_autofree char *huge = g_strdup_printf ("334 %0*d\r\n", 1024 * 1024, 0);
  const Scenario oversized = { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .caps_tls = "AUTH LOGIN",
                               .twists = { { FAKE_PHASE_TLS, "AUTH LOGIN$", huge } },
                               STOPPED ("protocol-error", "login"), .logins = 1 };
  g_auto(Outcome) huge_out = { NULL };

  /* Nothing decodable (RFC 4954 §4): cancelled before the user name, or
   * before the password. */
  for (guint i = 0; i < G_N_ELEMENTS (smtp); i++)
    {
      play_challenge (MC_PROTOCOL_SMTP, "AUTH LOGIN", NULL, "AUTH LOGIN$", NULL, smtp[i], FALSE);
      play_challenge (MC_PROTOCOL_SMTP, "AUTH LOGIN", NULL, "AUTH LOGIN$", "334 VXNlcm5hbWU6\r\n",
                      smtp[i], FALSE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (imap); i++)
    play_challenge (MC_PROTOCOL_IMAP, "IMAP4rev1 AUTH=PLAIN", NULL, "AUTHENTICATE PLAIN$", NULL,
                    imap[i], FALSE);
  play_challenge (MC_PROTOCOL_IMAP, "IMAP4rev1 AUTH=LOGIN", NULL, "AUTHENTICATE LOGIN$",
                  "+ VXNlcm5hbWU6\r\n",
                  "+ Password please\r\n", FALSE);
  /* Without an initial response (the user name is too long for one) PLAIN
   * still expects no challenge. */
  play_challenge (MC_PROTOCOL_SMTP, NULL, long_user, "AUTH PLAIN$", NULL, "334 Zm9v\r\n", FALSE);
  /* After an initial response the password was sent already: cancelled all the same. */
  play_challenge (MC_PROTOCOL_POP3, NULL, NULL, "AUTH PLAIN ", NULL, "+ \r\n", TRUE);

  /* 1 MiB of challenge: cut off, nothing answered. */
  scenario_play (&oversized, &huge_out);
  g_assert_cmpuint (fake_server_count_commands (huge_out.server, FAKE_PHASE_TLS, "*$"), ==, 0);
}

static void
script_imap_prompts_of_any_text (FakeServer *server)
{
  /* An empty prompt, then "Passwort:": the text of a prompt does not matter. */
  fake_server_on (server, FAKE_PHASE_TLS, "AUTHENTICATE LOGIN$",
                  fake_send ("+ \r\n"), fake_expect (""),
                  fake_send ("+ UGFzc3dvcnQ6\r\n"), fake_expect (""),
                  fake_send ("$TAG OK Logged in\r\n"), NULL);
}

static void
script_smtp_prompts_of_any_text (FakeServer *server)
{
  g_autofree char *password = mc_test_base64 (FAKE_PASSWORD);
  g_autofree char *password_line = g_strdup_printf ("%s$", password);

  /* Lower case, other words, empty. */
  fake_server_on (server, FAKE_PHASE_TLS, "AUTH LOGIN$", fake_send ("334 \r\n"), fake_expect (""),
                  fake_send ("334 cGFzc3dvcnQ6\r\n"),
                  fake_reply_if (password_line, "235 ok\r\n", "535 no\r\n"), NULL);
}

static void
script_imap_third_prompt (FakeServer *server)
{
  fake_server_on (server, FAKE_PHASE_TLS, "AUTHENTICATE LOGIN$",
                  fake_send ("+ VXNlcm5hbWU6\r\n"), fake_expect (""),
                  fake_send ("+ UGFzc3dvcmQ6\r\n"), fake_expect (""),
                  fake_send ("+ TW9yZTo=\r\n"),
                  fake_reply_if ("*$", "$TAG BAD Authentication cancelled\r\n",
                                 "$TAG BAD Expected a response\r\n"),
                  NULL);
}

static void
script_smtp_third_prompt (FakeServer *server)
{
  fake_server_on (server, FAKE_PHASE_TLS, "AUTH LOGIN$",
                  fake_send ("334 dXNlcm5hbWU6\r\n"), fake_expect (""),
                  fake_send ("334 \r\n"), fake_expect (""),
                  fake_send ("334 QWdhaW4/\r\n"), NULL);
}

static void
test_login_prompts_any_text_bounded_steps (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .caps_tls = "IMAP4rev1 AUTH=LOGIN",
      .setup = script_imap_prompts_of_any_text,
      .auth_used = "LOGIN", LOGGED_IN },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .caps_tls = "AUTH LOGIN",
      .setup = script_smtp_prompts_of_any_text,
      .auth = "ok", LOGGED_IN },
    /* A third prompt after the password: cancelled (RFC 3501 §6.2.2), not answered. */
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .caps_tls = "IMAP4rev1 AUTH=LOGIN",
      .setup = script_imap_third_prompt,
      .auth = "not-tried", CANCELLED, .secret_sent = TRUE },
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .caps_tls = "AUTH LOGIN",
      .setup = script_smtp_third_prompt,
      CANCELLED, .secret_sent = TRUE },
  };

  PLAY_ALL (cases);
}

/* SCRAM is not implemented --------------------------------------------------- */

static const char *scram_command[] = {
  [MC_PROTOCOL_IMAP] = "AUTHENTICATE SCRAM",
  [MC_PROTOCOL_POP3] = "AUTH SCRAM",
  [MC_PROTOCOL_SMTP] = "AUTH SCRAM",
};

/* Plays @base once per protocol with @caps on offer inside TLS and SCRAM
 * answered with @reply (NULL: a login success at once): SCRAM is never asked. */
static void
play_scram_never_asked (const Scenario     *base,
                        const char * const  caps[],
                        const char * const  reply[])
{
  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    {
      McProtocol p = every_protocol[i];
      Scenario s = *base;
      g_auto(Outcome) out = { NULL };

      s.protocol = p;
      s.caps_tls = caps[p];
      s.twists[0] = (Twist) { FAKE_PHASE_TLS, scram_command[p],
                              reply != NULL ? reply[p] : scenario_dialects[p].success };
      scenario_play (&s, &out);
      g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_ANY, scram_command[p]),
                        ==, 0);
    }
}

/* With only SCRAM on offer nothing is sent, and a server that would "succeed"
 * at once is never asked. */
static const Scenario scram_only = { .security = MC_SECURITY_TLS, .auth = "not-tried",
                                     STOPPED ("mechanism-not-offered", "login") };

static void
test_scram_premature_success_never_asked (void)
{
  static const char * const caps[] = {
    [MC_PROTOCOL_IMAP] = "IMAP4rev1 AUTH=SCRAM-SHA-256 LOGINDISABLED",
    [MC_PROTOCOL_POP3] = "SASL SCRAM-SHA-256",
    [MC_PROTOCOL_SMTP] = "AUTH SCRAM-SHA-256",
  };

  play_scram_never_asked (&scram_only, caps, NULL);
}

static void
test_scram_hostile_server_first_never_asked (void)
{
  /* r= not extending the client nonce, i=2147483647: a CPU bomb for a client that tried. */
  static const char * const server_first[] = {
    [MC_PROTOCOL_IMAP] = "+ cj1hdHRhY2tlcixzPVFTWENSK1E2c2VrOGJmOTJPLGk9MjE0NzQ4MzY0Nw==\r\n",
    [MC_PROTOCOL_POP3] = "+ cj1hdHRhY2tlcixzPVFTWENSK1E2c2VrOGJmOTJPLGk9MjE0NzQ4MzY0Nw==\r\n",
    [MC_PROTOCOL_SMTP] = "334 cj1hdHRhY2tlcixzPVFTWENSK1E2c2VrOGJmOTJPLGk9MjE0NzQ4MzY0Nw==\r\n",
  };
  static const char * const caps[] = {
    [MC_PROTOCOL_IMAP] = "IMAP4rev1 SASL-IR AUTH=SCRAM-SHA-1 AUTH=SCRAM-SHA-256 AUTH=PLAIN",
    [MC_PROTOCOL_POP3] = "USER\nSASL SCRAM-SHA-1 SCRAM-SHA-256 PLAIN",
    [MC_PROTOCOL_SMTP] = "AUTH SCRAM-SHA-1 SCRAM-SHA-256 PLAIN",
  };
  static const Scenario plain_instead = { .security = MC_SECURITY_TLS, .auth_used = "PLAIN", LOGGED_IN };

  play_scram_never_asked (&plain_instead, caps, server_first);
}

static void
test_scram_plus_stripped_nothing_sent (void)
{
  static const char * const only_plus[] = {
    [MC_PROTOCOL_IMAP] = "IMAP4rev1 AUTH=SCRAM-SHA-256-PLUS AUTH=SCRAM-SHA-1-PLUS LOGINDISABLED",
    [MC_PROTOCOL_POP3] = "SASL SCRAM-SHA-256-PLUS SCRAM-SHA-1-PLUS",
    [MC_PROTOCOL_SMTP] = "AUTH SCRAM-SHA-256-PLUS SCRAM-SHA-1-PLUS",
  };
  static const char * const stripped[] = {
    [MC_PROTOCOL_IMAP] = "IMAP4rev1 AUTH=SCRAM-SHA-1 LOGINDISABLED",
    [MC_PROTOCOL_POP3] = "SASL SCRAM-SHA-1",
    [MC_PROTOCOL_SMTP] = "AUTH SCRAM-SHA-1",
  };

  /* With or without channel binding on offer, nothing SCRAM is ever sent. */
  play_scram_never_asked (&scram_only, only_plus, NULL);
  play_scram_never_asked (&scram_only, stripped, NULL);
}

/* Failure codes ------------------------------------------------------------- */

typedef struct
{
  McProtocol   protocol;
  const char  *reply;
  const char  *advice;
  McAuthResult auth;
} FailureCode;

static void
test_failure_codes_mapped (void)
{
  static const FailureCode codes[] = {
    { MC_PROTOCOL_SMTP, "454 4.7.0 Temporary authentication failure\r\n",
      "authentication-temporary",
      MC_AUTH_RESULT_NOT_TRIED },
    { MC_PROTOCOL_SMTP, "535 5.7.8 Authentication credentials invalid\r\n", "authentication-failed",
      MC_AUTH_RESULT_REJECTED },
    /* Not retried with another mechanism: one login attempt per check. */
    { MC_PROTOCOL_SMTP, "534 5.7.9 Authentication mechanism is too weak\r\n",
      "mechanism-not-offered",
      MC_AUTH_RESULT_NOT_TRIED },
    { MC_PROTOCOL_SMTP, "538 5.7.11 Encryption required\r\n", "login-disabled",
      MC_AUTH_RESULT_NOT_TRIED },
    { MC_PROTOCOL_SMTP, "530 5.7.0 Authentication required\r\n", "login-disabled",
      MC_AUTH_RESULT_NOT_TRIED },
    { MC_PROTOCOL_SMTP, "500 5.5.6 Authentication exchange line is too long\r\n", "protocol-error",
      MC_AUTH_RESULT_NOT_TRIED },
    { MC_PROTOCOL_IMAP, "$TAG NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
      "authentication-failed",
      MC_AUTH_RESULT_REJECTED },
    { MC_PROTOCOL_IMAP,
      "* BAD [ALERT] Plaintext authentication not allowed\r\n$TAG NO [PRIVACYREQUIRED] No\r\n",
      "login-disabled", MC_AUTH_RESULT_NOT_TRIED },
    { MC_PROTOCOL_IMAP, "$TAG NO [UNAVAILABLE] Try later\r\n", "authentication-temporary",
      MC_AUTH_RESULT_NOT_TRIED },
    /* BAD to the login: no fallback to another mechanism either. */
    { MC_PROTOCOL_IMAP, "$TAG BAD [ALERT] Say what?\r\n", "protocol-error",
      MC_AUTH_RESULT_NOT_TRIED },
    { MC_PROTOCOL_POP3, "-ERR [AUTH] Invalid login\r\n", "authentication-failed",
      MC_AUTH_RESULT_REJECTED },
    { MC_PROTOCOL_POP3, "-ERR [SYS/TEMP] Try later\r\n", "authentication-temporary",
      MC_AUTH_RESULT_NOT_TRIED },
    { MC_PROTOCOL_POP3, "-ERR [IN-USE] Mailbox locked\r\n", "authentication-temporary",
      MC_AUTH_RESULT_NOT_TRIED },
    { MC_PROTOCOL_POP3, "-ERR [LOGIN-DELAY] Too soon\r\n", "authentication-temporary",
      MC_AUTH_RESULT_NOT_TRIED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      const FailureCode *c = &codes[i];
      const Scenario s = { c->protocol, MC_SECURITY_TLS,
                           .twists = { { FAKE_PHASE_TLS, scenario_dialects[c->protocol].login,
                                         c->reply } },
                           STOPPED (c->advice, "login"), .logins = 1, .secret_sent = TRUE };
      g_auto(Outcome) out = { NULL };

      scenario_play (&s, &out);
      g_assert_cmpint (out.result->auth_result, ==, c->auth);
      /* A temporary failure must not send the user back to the password. */
      if (c->auth != MC_AUTH_RESULT_REJECTED)
        g_assert_false (mc_result_has_advice (out.result, "authentication-failed"));
    }
}

/* RFC 3206 §5: [SYS/PERM] is a lasting problem of the server, not a wrong
 * password; calling it one sends the user to retype a correct password. */
static void
test_pop3_sys_perm_not_a_wrong_password (void)
{
  const Scenario s = { MC_PROTOCOL_POP3, MC_SECURITY_TLS,
                       .twists = { { FAKE_PHASE_TLS, "AUTH PLAIN ",
                                     "-ERR [SYS/PERM] Mail system offline\r\n" } },
                       .verdict = MC_VERDICT_FAILED, .failed = "login", .logins = 1,
                       .secret_sent = TRUE };
  g_auto(Outcome) out = { NULL };

  scenario_play (&s, &out);
  if (mc_result_has_advice (out.result, "authentication-failed") ||
      out.result->auth_result == MC_AUTH_RESULT_REJECTED)
    g_test_incomplete ("engine bug: POP3 “-ERR [SYS/PERM]” is reported as a rejected password "
                       "(mc-pop3.c classify_failure)");
}

/* Line length of the initial response ---------------------------------------- */

static void
play_long_credentials (McProtocol  protocol,
                       const char *user,
                       const char *password,
                       Outcome    *out)
{
  const Scenario s = { protocol, MC_SECURITY_TLS, .user = user, .password = password, LOGGED_IN };

  out->server = scenario_server (&s);
  scenario_accept_plain (out->server, protocol, user, password);
  scenario_play (&s, out);
}

static void
test_initial_response_left_out_when_too_long (void)
{
  /* "AUTH PLAIN " + base64 of user, password and two NULs: 510 octets fit the SMTP
   * command line (RFC 5321 §4.5.3.1.4), 514 do not (RFC 4954 §4). */
  gsize fits = (510 - 11) / 4 * 3 - 2 - strlen (FAKE_PASSWORD);
  g_autofree char *user = g_strnfill (fits, 'u');
  g_autofree char *longer = g_strnfill (fits + 1, 'u');
  g_autofree char *local = g_strnfill (250, 'u');
  g_autofree char *address = g_strdup_printf ("%s@example.test", local);
  g_autofree char *password = g_strnfill (200, 'p');
  g_autofree char *plain = mc_test_sasl_plain (address, password);
  g_autofree char *response = g_strdup_printf ("%s$", plain);
  g_auto(Outcome) short_enough = { NULL };
  g_auto(Outcome) too_long = { NULL };
  g_auto(Outcome) long_both = { NULL };

  play_long_credentials (MC_PROTOCOL_SMTP, user, FAKE_PASSWORD, &short_enough);
  g_assert_cmpuint (fake_server_count_commands (short_enough.server, FAKE_PHASE_TLS, "AUTH PLAIN "),
                    ==, 1);

  play_long_credentials (MC_PROTOCOL_SMTP, longer, FAKE_PASSWORD, &too_long);
  g_assert_cmpuint (fake_server_count_commands (too_long.server, FAKE_PHASE_TLS, "AUTH PLAIN$"), ==,
                    1);
  g_assert_cmpuint (fake_server_count_commands (too_long.server, FAKE_PHASE_TLS, "AUTH PLAIN "), ==,
                    0);

  /* A long user name and a long password: the response follows on a line of its own. */
  play_long_credentials (MC_PROTOCOL_SMTP, address, password, &long_both);
  g_assert_cmpuint (fake_server_count_commands (long_both.server, FAKE_PHASE_TLS, "AUTH PLAIN$"),
                    ==, 1);
  g_assert_cmpuint (fake_server_count_commands (long_both.server, FAKE_PHASE_TLS, response), ==, 1);
}

/* RFC 5034 §4: the POP3 AUTH command with its initial response must stay within
 * 255 octets; otherwise the response follows the empty "+ " challenge. */
static void
test_pop3_initial_response_within_255_octets (void)
{
  const Scenario s = { MC_PROTOCOL_POP3, MC_SECURITY_TLS };
  g_auto(Outcome) out = { NULL };
  g_autoptr(McSettings) settings = NULL;
  g_autofree char *user = g_strnfill (200, 'u');
  g_autofree char *plain = mc_test_sasl_plain (user, FAKE_PASSWORD);

  g_assert_cmpuint (strlen ("AUTH PLAIN ") + strlen (plain), >, 255);
  out.server = scenario_server (&s);
  scenario_accept_plain (out.server, MC_PROTOCOL_POP3, user, FAKE_PASSWORD);
  settings = scenario_settings (&s, fake_server_start (out.server));
  mc_settings_set_user (settings, user);
  out.result = mc_test_run_timed (settings, NULL, &out.ms);
  fake_server_finish (out.server);
  fake_server_assert_no_plaintext_credentials (out.server, user, FAKE_PASSWORD);

  if (fake_server_count_commands (out.server, FAKE_PHASE_TLS, "AUTH PLAIN ") > 0)
    {
      g_test_incomplete ("engine bug: POP3 sends AUTH PLAIN with an initial response longer "
                         "than 255 octets (mc-pop3.c pop3_login), and cancels on the “+ ” that "
                         "would follow");
      return;
    }
  g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_TLS, "AUTH PLAIN$"), ==, 1);
  mc_assert_verdict (out.result, MC_VERDICT_OK);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();

  g_test_add_func ("/mailcheck/hostile/sasl/mechanisms-matched-as-whole-tokens",
                   test_mechanisms_matched_as_whole_tokens);
  g_test_add_func ("/mailcheck/hostile/sasl/no-usable-mechanism-stops",
                   test_no_usable_mechanism_stops);
  g_test_add_func ("/mailcheck/hostile/sasl/malformed-challenges-cancelled",
                   test_malformed_challenges_cancelled);
  g_test_add_func ("/mailcheck/hostile/sasl/login-prompts-any-text-bounded-steps",
                   test_login_prompts_any_text_bounded_steps);
  g_test_add_func ("/mailcheck/hostile/sasl/scram-premature-success-never-asked",
                   test_scram_premature_success_never_asked);
  g_test_add_func ("/mailcheck/hostile/sasl/scram-hostile-server-first-never-asked",
                   test_scram_hostile_server_first_never_asked);
  g_test_add_func ("/mailcheck/hostile/sasl/scram-plus-stripped-nothing-sent",
                   test_scram_plus_stripped_nothing_sent);
  g_test_add_func ("/mailcheck/hostile/sasl/failure-codes-mapped", test_failure_codes_mapped);
  g_test_add_func ("/mailcheck/hostile/sasl/failure-codes-mapped/"
                   "pop3-sys-perm-not-a-wrong-password",
                   test_pop3_sys_perm_not_a_wrong_password);
  g_test_add_func ("/mailcheck/hostile/sasl/initial-response-left-out-when-too-long",
                   test_initial_response_left_out_when_too_long);
  g_test_add_func ("/mailcheck/hostile/sasl/initial-response-left-out-when-too-long/"
                   "pop3-255-octets",
                   test_pop3_initial_response_within_255_octets);

  return g_test_run ();
}
