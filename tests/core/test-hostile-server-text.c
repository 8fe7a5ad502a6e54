/* test-hostile-server-text.c: what a server's words may do on the user's screen
 *
 * Server text is shown as plain text: markup stays literal, control, format and
 * other invisible characters become visible, invalid UTF-8 becomes valid, the
 * length is capped, and text that arrived before encryption is labelled as
 * possibly forged. Nothing a server says is followed. Every run also passes the
 * display oracle of scenario.c over every step, advice, transcript line and
 * capability.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hostile-server-text"

#include "config.h"

#include <string.h>

#include "mc-report.h"
#include "mc-session-private.h"
#include "scenario.h"

static void
test_labelled_by_phase (void)
{
  static const Scenario alert = {
    MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, .greeting = "* OK [ALERT] bAjdyeKO\r\n",
    .twists = { { .reply = "$TAG OK [ALERT] Attacker-controlled text\r\n",
                  .then = THEN_TLS } }, LOGGED_IN,
  };
  static const Scenario implicit = { MC_PROTOCOL_POP3, MC_SECURITY_TLS, LOGGED_IN };
  static const Scenario upgraded = { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, LOGGED_IN };
  g_auto(Outcome) out = { NULL };
  g_auto(Outcome) tls = { NULL };
  g_auto(Outcome) plain = { NULL };
  g_autofree char *report = NULL;
  g_autofree char *json = NULL;
  McStep *login;

  /* Shown, if at all, only as unencrypted and possibly forged. */
  scenario_play (&alert, &out);
  g_assert_true (any_step_shows (out.result, "bAjdyeKO", FALSE));
  g_assert_false (any_step_shows (out.result, "bAjdyeKO", TRUE));
  g_assert_false (any_step_shows (out.result, "Attacker-controlled", TRUE));
  report = mc_report_to_text (out.result, FALSE);
  g_assert_nonnull (strstr (report, "(unencrypted, could be forged): * OK [ALERT] bAjdyeKO"));
  json = mc_report_to_json (out.result);
  g_assert_nonnull (strstr (json, "\"server_before_tls\""));

  /* The label follows the phase: a greeting inside TLS is the server's own, and
   * so is every answer after STARTTLS. */
  scenario_play (&implicit, &tls);
  scenario_play (&upgraded, &plain);
  g_assert_false (mc_test_find_step (tls.result, MC_STEP_GREETING)->server_before_tls);
  g_assert_true (mc_test_find_step (plain.result, MC_STEP_GREETING)->server_before_tls);
  login = mc_test_find_step (plain.result, MC_STEP_LOGIN);
  g_assert_nonnull (login->server);
  g_assert_false (login->server_before_tls);
}

static void
test_untagged_before_starttls_discarded (void)
{
  static const Scenario s = {
    MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
    .twists = { { .reply = "* LIST () \"/\" 7XiYhgS7\r\n* LSUB () \"/\" 7XiYhgS7\r\n"
                           "* STATUS 7XiYhgS7 (MESSAGES 1)\r\n* SEARCH 1 2\r\n"
                           "* FLAGS (\\Seen 7XiYhgS7)\r\n"
                           "* 7 EXISTS\r\n* 3 RECENT\r\n* 2 EXPUNGE\r\n"
                           "* 1 FETCH (FLAGS (\\Seen))\r\n"
                           "$TAG OK Begin TLS\r\n",
                  .then = THEN_TLS } },
    LOGGED_IN,
  };
  g_auto(Outcome) out = { NULL };
  g_autofree char *report = NULL;

  scenario_play (&s, &out);
  report = mc_report_to_text (out.result, FALSE);
  g_assert_null (strstr (report, "7XiYhgS7"));
  g_assert_false (any_step_shows (out.result, "7XiYhgS7", TRUE));
  g_assert_false (any_step_shows (out.result, "7XiYhgS7", FALSE));
  g_assert_false (transcript_has (out.result, "7XiYhgS7", TRUE));
}

static void
test_referral_shown_not_followed (void)
{
  static const Scenario s = {
    MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
    .greeting = "* OK [REFERRAL imaps://attacker.test:993/] Go there\r\n",
    .twists = { { FAKE_PHASE_TLS, "AUTHENTICATE PLAIN ",
                  "$TAG NO [REFERRAL IMAP://;AUTH=*@attacker.test:243/] Try elsewhere\r\n" } },
    .verdict = MC_VERDICT_FAILED, .failed = "login", .shows = "login:REFERRAL", .logins = 1,
    .secret_sent = TRUE,
  };
  g_auto(Outcome) out = { NULL };
  g_autofree char *lookups = NULL;

  /* Neither looked up nor contacted, with or without credentials. */
  g_free (mc_test_resolver_take_lookups ());
  scenario_play (&s, &out);
  lookups = mc_test_resolver_take_lookups ();
  g_assert_cmpstr (lookups, ==, "");
}

static void
test_shown_as_plain_visible_capped_text (void)
{
  static const Scenario sanitised = {
    MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
    .greeting = "* OK \x1b[31;1mRED\x1b[0m \x07"
                "bell <a href=\"https://evil.example\">Click to fix</a> & "
                "bad \xc3\x28 utf8 \xe2\x80\xae reversed \xc2\x9b c1\r\n", LOGGED_IN,
  };
  static const Scenario in_error = { MC_PROTOCOL_POP3, MC_SECURITY_TLS,
                                     .greeting = "-ERR \x1b[31;1;4mPOP3\x1b[0m unavailable\r\n",
                                     .verdict = MC_VERDICT_FAILED };
  const char *noise = " <a href=\"https://evil.example\">Click to fix</a> & \x1b[31;1;4mred\x1b[0m "
                      "\xe2\x80\xae" "desrever \xc2\x9b" "csi \x07";
  g_autofree char *padding = g_strnfill (3000, 'w');
  g_autofree char *long_text = g_strnfill (10000, 'W');
  g_autofree char *long_greeting = g_strdup_printf ("554 %s\r\n", long_text);
  const Scenario plain_long = { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .greeting = long_greeting,
                                .verdict = MC_VERDICT_FAILED };
  g_auto(Outcome) out = { NULL };
  g_auto(Outcome) error = { NULL };
  g_auto(Outcome) capped = { NULL };
  McStep *step;

  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    {
      McProtocol p = every_protocol[i];
      g_autofree char *greeting = g_strdup_printf ("%s%s %s\r\n", scenario_dialects[p].status_ok,
                                                   noise, padding);
      g_autofree char *huge = g_strdup_printf ("%s %0102400d\r\n", scenario_dialects[p].status_ok,
                                               0);
      const Scenario shown = { p, MC_SECURITY_STARTTLS, .greeting = greeting, LOGGED_IN };
      const Scenario too_long = { p, MC_SECURITY_STARTTLS, .greeting = huge,
                                  STOPPED ("protocol-error", "greeting") };
      g_auto(Outcome) noisy = { NULL };
      g_auto(Outcome) refused = { NULL };

      scenario_play (&shown, &noisy);
      step = mc_test_find_step (noisy.result, MC_STEP_GREETING);
      /* Markup stays literal text (no link), controls become visible, length is capped. */
      g_assert_nonnull (strstr (step->server,
                                "<a href=\"https://evil.example\">Click to fix</a> &"));
      g_assert_true (g_str_has_suffix (step->server, "…"));
      /* The cap counts server characters; a made-visible one takes up to 8 ("<U+202E>"). */
      g_assert_cmpuint (g_utf8_strlen (step->server, -1), <=, MC_SERVER_TEXT_MAX_CHARS * 8 + 1);
      g_assert_true (step->server_before_tls);

      scenario_play (&too_long, &refused);
    }

  /* Control characters are made visible, not dropped; invalid UTF-8 is replaced. */
  scenario_play (&sanitised, &out);
  step = mc_test_find_step (out.result, MC_STEP_GREETING);
  g_test_message ("greeting as shown: %s", step->server);
  g_assert_nonnull (strstr (step->server, "␛[31;1mRED"));
  g_assert_nonnull (strstr (step->server, "␇bell"));
  g_assert_nonnull (strstr (step->server, "<a href=\"https://evil.example\">Click to fix</a> &"));
  g_assert_nonnull (strstr (step->server, "\xef\xbf\xbd"));
  g_assert_nonnull (strstr (step->server, "<U+202E>"));
  g_assert_true (step->server_before_tls);

  /* The same in a refusal that came inside TLS. */
  scenario_play (&in_error, &error);
  step = mc_test_find_step (error.result, MC_STEP_GREETING);
  g_assert_nonnull (strstr (step->server, "␛[31;1;4mPOP3"));
  g_assert_false (step->server_before_tls);

  /* Plain text beyond the cap: cut at it, and the cut is shown. */
  scenario_play (&plain_long, &capped);
  step = mc_test_find_step (capped.result, MC_STEP_GREETING);
  g_assert_nonnull (step->server);
  g_assert_cmpuint (g_utf8_strlen (step->server, -1), <=, 1025);
  g_assert_true (g_str_has_suffix (step->server, "…"));
  g_assert_true (step->server_before_tls);
}

static void
test_invalid_utf8_made_valid (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS,
      .greeting = "* OK caf\xc0\xaf \xc3\x28 \xed\xa0\x80\r\n",
      .caps_plain = "IMAP4rev1 STARTTLS X-\xc3\x28 X-\xed\xa0\x80", LOGGED_IN },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .greeting = "+OK \xff\xfe ready\r\n",
      .caps_plain = "STLS\nX-\xc3\x28\nX-\xc0\xaf", LOGGED_IN },
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .greeting = "220 \xed\xa0\x80 ESMTP\r\n",
      .caps_plain = "STARTTLS\nX-\xc0\xaf\nX-\xc3\x28", LOGGED_IN },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) out = { NULL };
      g_autofree char *json = NULL;
      g_autofree char *report = NULL;

      /* scenario_play() checks every field; the reports must be valid UTF-8 too. */
      scenario_play (&cases[i], &out);
      json = mc_report_to_json (out.result);
      report = mc_report_to_text (out.result, TRUE);
      g_assert_true (g_utf8_validate (json, -1, NULL));
      g_assert_true (g_utf8_validate (report, -1, NULL));
      g_assert_cmpuint (out.result->caps_before->len, >=, 3);
    }
}

/* Characters that do not show as themselves, whatever their kind: line and
 * paragraph separators (a fake line break), format characters (Arabic letter
 * mark, zero-width space, soft hyphen, a tag character), private use, and the
 * blank Hangul fillers. Each becomes visible as <U+XXXX>. */
static void
test_invisible_characters_made_visible (void)
{
  static const struct { const char *utf8; const char *shown; } hidden[] = {
    { "\xe2\x80\xa8", "<U+2028>" }, { "\xe2\x80\xa9", "<U+2029>" }, { "\xd8\x9c", "<U+061C>" },
    { "\xe2\x80\x8b", "<U+200B>" }, { "\xc2\xad", "<U+00AD>" }, { "\xf3\xa0\x81\x81", "<U+E0041>" },
    { "\xee\x80\x80", "<U+E000>" }, { "\xe3\x85\xa4", "<U+3164>" }, { "\xe1\x85\x9f", "<U+115F>" },
  };
  g_autoptr(GString) greeting = g_string_new ("* OK ready");
  g_auto(Outcome) out = { NULL };
  g_autofree char *transcript = NULL;
  McStep *step;

  for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
    g_string_append_printf (greeting, " %u%s.", i, hidden[i].utf8);
  g_string_append (greeting, "\r\n");
  {
    const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .greeting = greeting->str, LOGGED_IN };

    scenario_play (&s, &out);
  }
  step = mc_test_find_step (out.result, MC_STEP_GREETING);
  transcript = mc_test_transcript_text (out.result);
  for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
    {
      g_autofree char *expected = g_strdup_printf (" %u%s.", i, hidden[i].shown);

      g_assert_nonnull (strstr (step->server, expected));
      g_assert_nonnull (strstr (transcript, expected));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();

  g_test_add_func ("/mailcheck/hostile/server-text/labelled-by-phase", test_labelled_by_phase);
  g_test_add_func ("/mailcheck/hostile/server-text/untagged-before-starttls-discarded",
                   test_untagged_before_starttls_discarded);
  g_test_add_func ("/mailcheck/hostile/server-text/referral-shown-not-followed",
                   test_referral_shown_not_followed);
  g_test_add_func ("/mailcheck/hostile/server-text/shown-as-plain-visible-capped-text",
                   test_shown_as_plain_visible_capped_text);
  g_test_add_func ("/mailcheck/hostile/server-text/invalid-utf8-made-valid",
                   test_invalid_utf8_made_valid);
  g_test_add_func ("/mailcheck/hostile/server-text/invisible-characters-made-visible",
                   test_invisible_characters_made_visible);

  return g_test_run ();
}
