/* test-hostile-limits.c: every read is bounded, whatever the server sends
 *
 * Lines too long or never ending, NUL bytes inside a line, replies of too many
 * lines or too many bytes, odd line ends, half a line and then the end, a
 * connection closed or reset at once. Each is cut off by a limit of its own,
 * long before any deadline, and named; nothing is silently truncated. The
 * same through the line reader alone is test-line-reader.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hostile-limits"

#include "config.h"

#include <string.h>

#include "mc-report.h"
#include "mc-session-private.h"
#include "hostile-net.h"

/* @first, then @times lines of @before, the line's number if @numbered, and
 * @after, then @last. */
static char *
repeat_line (const char *first,
             const char *before,
             gboolean    numbered,
             const char *after,
             guint       times,
             const char *last)
{
  GString *out = g_string_new (first);

  for (guint i = 0; i < times; i++)
    {
      g_string_append (out, before);
      if (numbered)
        g_string_append_printf (out, "%u", i);
      g_string_append (out, after);
    }
  g_string_append (out, last);
  return g_string_free (out, FALSE);
}

static void
test_reply_lines_bounded (void)
{
  /* Never ending, or ending too late. */
  g_autofree char *smtp = repeat_line ("", "250-x\r\n", FALSE, "", 100000, "");
  g_autofree char *imap = repeat_line ("", "* OK x\r\n", FALSE, "", 100000, "");
  g_autofree char *pop3 = repeat_line ("+OK\r\n", "X\r\n", FALSE, "", 100000, "");
  g_autofree char *smtp_ends = repeat_line ("", "250-X-FILLER-", TRUE, "\r\n", 5000,
                                            "250 AUTH PLAIN\r\n");
  g_autofree char *imap_ends = repeat_line ("", "* ", TRUE, " EXISTS\r\n", 2000,
                                            "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n"
                                            "$TAG OK done\r\n");
  g_autofree char *pop3_ends = repeat_line ("+OK\r\n", "X-FILLER-", TRUE, "\r\n", 5000, ".\r\n");
  const char *replies[] = { smtp, imap, pop3, smtp_ends, imap_ends, pop3_ends };

  for (gsize i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      McProtocol p = (McProtocol[]) { MC_PROTOCOL_SMTP, MC_PROTOCOL_IMAP, MC_PROTOCOL_POP3 }[i % 3];
      const Scenario s = { p, MC_SECURITY_TLS,
                           .twists = { { FAKE_PHASE_TLS, scenario_dialects[p].hello, replies[i] } },
                           STOPPED ("protocol-error", "capabilities") };
      g_auto(Outcome) out = { NULL };

      scenario_play (&s, &out);
      /* Cut off by lines, not by the deadline; the transcript stays bounded too. */
      g_assert_cmpint (out.ms, <, MC_TEST_TIMEOUT * 1000);
      g_assert_cmpuint (out.result->transcript->len, <=, MC_REPLY_MAX_LINES + 64);
    }
}

/* An IMAP reply is bounded in bytes like POP3's and SMTP's, literals included:
 * untagged lines that each announce a 60 000-byte literal would otherwise be
 * read until the line count ran out (512 × 60 kB). */
static void
test_imap_reply_bytes_bounded (void)
{
  g_autoptr(GString) flood = g_string_new (NULL);
  g_autofree char *block = g_strnfill (60000, 'x');
  g_auto(Outcome) out = { NULL };

  for (guint i = 0; i < 12; i++)
    g_string_append_printf (flood, "* %u FETCH (BODY[] {60000}\r\n%s)\r\n", i + 1, block);
  g_string_append (flood, "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n$TAG OK done\r\n");
  {
    const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
                         .twists = { { FAKE_PHASE_TLS, "CAPABILITY$", flood->str } },
                         STOPPED ("protocol-error", "capabilities") };

    scenario_play (&s, &out);
  }
  mc_assert_mentions (mc_test_find_step (out.result, MC_STEP_CAPABILITIES)->summary,
                      "too much data");
}

static void
test_overlong_line_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    {
      McProtocol p = every_protocol[i];
      g_autofree char *long_ok = g_strdup_printf ("%s %08192d\r\n", scenario_dialects[p].status_ok,
                                                  0);
      g_autofree char *too_long = g_strdup_printf ("%s %065536d\r\n",
                                                   scenario_dialects[p].status_ok, 0);
      const Scenario accepted = { p, MC_SECURITY_STARTTLS, .greeting = long_ok, LOGGED_IN };
      const Scenario refused = { p, MC_SECURITY_STARTTLS, .greeting = too_long,
                                 STOPPED ("protocol-error", "greeting") };
      g_auto(Outcome) first = { NULL };
      g_auto(Outcome) second = { NULL };

      /* 8 KiB is within the SASL line allowance; 64 KiB is not, and says so. */
      scenario_play (&accepted, &first);
      scenario_play (&refused, &second);
      mc_assert_mentions (mc_test_find_step (second.result, MC_STEP_GREETING)->summary, "overlong");
    }
}

static void
test_never_ending_line_cut_by_length (void)
{
  g_autofree char *endless = g_strnfill (1024 * 1024, 'A');

  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    {
      McProtocol p = every_protocol[i];
      /* Inside TLS, as the greeting or as the answer to the capability command,
       * and never a CRLF. */
      const Scenario greeting = { p, MC_SECURITY_TLS, .greeting = endless,
                                  .after_greeting = THEN_STALL,
                                  .advice = "protocol-error !timeout", .verdict = MC_VERDICT_FAILED,
                                  .failed = "greeting" };
      const Scenario answer = { p, MC_SECURITY_TLS,
                                .twists = { { FAKE_PHASE_TLS, scenario_dialects[p].hello, endless,
                                              .then = THEN_STALL } },
                                .advice = "protocol-error !timeout", .verdict = MC_VERDICT_FAILED,
                                .failed = "capabilities" };
      g_auto(Outcome) first = { NULL };
      g_auto(Outcome) second = { NULL };

      /* The length cap ends it, long before any deadline. */
      scenario_play (&greeting, &first);
      g_assert_cmpint (first.ms, <, MC_TEST_TIMEOUT * 1000);
      scenario_play (&answer, &second);
      g_assert_cmpint (second.ms, <, MC_TEST_TIMEOUT * 1000);
    }
}

static void
assert_nul_named_hidden_part_nowhere (Outcome *out)
{
  g_autofree char *report = mc_report_to_text (out->result, TRUE);
  McStep *failed = NULL;

  for (guint i = 0; i < out->result->steps->len && failed == NULL; i++)
    {
      McStep *step = g_ptr_array_index (out->result->steps, i);

      if (step->status == MC_STEP_STATUS_FAILED)
        failed = step;
    }

  /* Never silently cut at the NUL: the hidden part is nowhere, the line is refused. */
  g_assert_null (strstr (report, "smuggled"));
  mc_assert_mentions (failed->summary, "NUL");
}

#define NUL_IN(p, command, bytes, step) \
  { (p), MC_SECURITY_TLS, \
    .twists = { { FAKE_PHASE_TLS, (command), (bytes), sizeof (bytes) - 1 } }, \
    .check = assert_nul_named_hidden_part_nowhere, STOPPED ("protocol-error", (step)) }

static void
test_nul_inside_line_refused (void)
{
  static const char imap[] = "* CAPABILITY IMAP4rev1 AUTH=PLAIN\0[ALERT] smuggled\r\n"
                             "a1 OK done\r\n";
  static const char pop3[] = "+OK\r\nUSER\0smuggled\r\n.\r\n";
  static const char smtp[] = "250-fake.test\r\n250 AUTH PLAIN\0smuggled\r\n";
  static const char greeting[] = "* OK real\0[ALERT] smuggled\r\n";
  const Scenario cases[] = {
    NUL_IN (MC_PROTOCOL_IMAP, "CAPABILITY$", imap, "capabilities"),
    NUL_IN (MC_PROTOCOL_POP3, "CAPA$", pop3, "capabilities"),
    NUL_IN (MC_PROTOCOL_SMTP, "EHLO ", smtp, "capabilities"),
  };
  g_auto(Outcome) out = { NULL };
  Scenario in_greeting = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
                           .check = assert_nul_named_hidden_part_nowhere,
                           STOPPED ("protocol-error", "greeting") };

  PLAY_ALL (cases);

  /* Also where nothing is parsed yet: the greeting, sent as raw bytes. */
  out.server = scenario_server (&in_greeting);
  fake_server_clear_on_connect (out.server);
  fake_server_on_connect (out.server, fake_start_tls ("good"),
                          fake_send_bytes (greeting, sizeof greeting - 1), NULL);
  scenario_play (&in_greeting, &out);
}

static void
script_pop3_lf_only (FakeServer *server)
{
  g_autofree char *plain = mc_test_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *login = g_strdup_printf ("AUTH PLAIN %s$", plain);

  fake_server_on (server, FAKE_PHASE_TLS, "CAPA$", fake_send ("+OK\nUSER\nSASL PLAIN\n.\n"), NULL);
  fake_server_on (server, FAKE_PHASE_TLS, login, fake_send ("+OK in\n"), NULL);
  fake_server_on (server, FAKE_PHASE_TLS, "QUIT$", fake_send ("+OK bye\n"), fake_close (), NULL);
}

static void
test_wrong_line_endings (void)
{
  static const Scenario cases[] = {
    /* LF only, everywhere: accepted leniently rather than waiting for a CR. */
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .greeting = "220 fake.test ESMTP\n",
      .twists = { { .command = "EHLO ", .reply = "250-fake.test\n250 STARTTLS\n" },
                  { .reply = "220 2.0.0 Ready\n", .then = THEN_TLS } },
      LOGGED_IN },
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .greeting = "+OK bare line feeds\n",
      .setup = script_pop3_lf_only,
      .auth = "ok", LOGGED_IN },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .greeting = "* OK bare line feeds\n",
      .twists = { { FAKE_PHASE_TLS, "CAPABILITY$",
                    "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\n$TAG OK done\n" } },
      .auth = "ok", LOGGED_IN },
    /* A lone CR is no line end: the deadline ends the wait, with a diagnosis. */
    { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .timeout = 1, .greeting = "220 fake.test ESMTP\r",
      .after_greeting = THEN_STALL, STOPPED ("timeout", "greeting") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .timeout = 1, .greeting = "* OK ready\r* OK more\r",
      .after_greeting = THEN_STALL, STOPPED ("timeout", "greeting") },
  };

  PLAY_ALL (cases);
}

static void
test_truncated_line_then_eof (void)
{
  static const Scenario cases[] = {
    { MC_PROTOCOL_SMTP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "EHLO ", "250-fake.test\r\n250 AU", .then = THEN_CLOSE } },
      STOPPED ("server-closed", "capabilities") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "CAPABILITY$", "* CAPABILITY IMAP4rev1 AU",
                    .then = THEN_CLOSE } },
      STOPPED ("server-closed", "capabilities") },
    { MC_PROTOCOL_POP3, MC_SECURITY_TLS,
      .twists = { { FAKE_PHASE_TLS, "CAPA$", "+OK\r\nUSER\r\nSAS", .then = THEN_CLOSE } },
      STOPPED ("server-closed", "capabilities") },
    { MC_PROTOCOL_POP3, MC_SECURITY_STARTTLS, .greeting = "+OK trunc", .after_greeting = THEN_CLOSE,
      STOPPED ("server-closed", "greeting") },
    { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .greeting = "* OK trunc", .after_greeting = THEN_CLOSE,
      STOPPED ("server-closed", "greeting") },
  };

  /* Each: "the connection closed mid-response", never the half line as if whole. */
  PLAY_ALL (cases);
}

static void
test_immediate_close_or_reset (void)
{
  static const McSecurity security[] = {
    [MC_PROTOCOL_IMAP] = MC_SECURITY_STARTTLS,
    [MC_PROTOCOL_POP3] = MC_SECURITY_TLS,
    [MC_PROTOCOL_SMTP] = MC_SECURITY_STARTTLS,
  };
  static const char *go_ahead[] = {
    [MC_PROTOCOL_IMAP] = "Begin TLS",
    [MC_PROTOCOL_POP3] = "Begin TLS",
    [MC_PROTOCOL_SMTP] = "Ready to start TLS",
  };

  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    {
      McProtocol p = every_protocol[i];
      const Scenario fin = { p, MC_SECURITY_STARTTLS, .greeting = "", .after_greeting = THEN_CLOSE,
                             STOPPED ("server-closed", "greeting") };
      const Scenario reset_after_go_ahead = { p, MC_SECURITY_STARTTLS, .verdict = MC_VERDICT_FAILED,
                                              .auth = "not-tried" };
      const Scenario reset_at_once = { p, security[p], .timeout = 1, .verdict = MC_VERDICT_FAILED };
      g_auto(Outcome) closed = { NULL };
      g_auto(Outcome) reset = { NULL };
      g_auto(Relay) relay = { .reset_after = go_ahead[p] };
      g_auto(Relay) rst = { .reset_at_once = TRUE };
      g_autoptr(McSettings) settings = scenario_settings (&reset_at_once, relay_start (&rst, 0));
      g_autoptr(McResult) refused = NULL;
      gint64 ms;

      /* 0 bytes, then FIN. */
      scenario_play (&fin, &closed);

      /* RST where the ServerHello should come. */
      scenario_play_relayed (&reset_after_go_ahead, &relay, &reset);
      g_assert_cmpuint (reset.result->advice->len, >, 0);

      /* RST right after the connection was accepted: a named cause, quickly. */
      refused = mc_test_run_timed (settings, NULL, &ms);
      relay_finish (&rst);
      mc_assert_verdict (refused, MC_VERDICT_FAILED);
      g_assert_cmpuint (refused->advice->len, >, 0);
      assert_never_advises_plaintext (refused);
      g_assert_cmpint (ms, <, 6000);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();

  g_test_add_func ("/mailcheck/hostile/limits/reply-lines-bounded", test_reply_lines_bounded);
  g_test_add_func ("/mailcheck/hostile/limits/imap-reply-bytes-bounded",
                   test_imap_reply_bytes_bounded);
  g_test_add_func ("/mailcheck/hostile/limits/overlong-line-refused", test_overlong_line_refused);
  g_test_add_func ("/mailcheck/hostile/limits/never-ending-line-cut-by-length",
                   test_never_ending_line_cut_by_length);
  g_test_add_func ("/mailcheck/hostile/limits/nul-inside-line-refused",
                   test_nul_inside_line_refused);
  g_test_add_func ("/mailcheck/hostile/limits/wrong-line-endings", test_wrong_line_endings);
  g_test_add_func ("/mailcheck/hostile/limits/truncated-line-then-eof",
                   test_truncated_line_then_eof);
  g_test_add_func ("/mailcheck/hostile/limits/immediate-close-or-reset",
                   test_immediate_close_or_reset);

  return g_test_run ();
}
