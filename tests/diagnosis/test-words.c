/* test-words.c: results read the same in German and English everywhere
 *
 * The engine translates its own sentences, so the window, the CLI and the
 * report say the same thing. This renders findings and a report in both
 * languages and checks the exact words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "mc-diagnosis.h"
#include "mc-report.h"

static void
use_language (const char *language)
{
  /* LANGUAGE only counts when LC_MESSAGES is not "C"; setlocale() also makes
   * gettext forget what it looked up before. */
  g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_ALL, "C.UTF-8");
}

static char *
precheck_text (const char *code)
{
  g_autoptr(McSettings) settings = mc_settings_new (MC_PROTOCOL_IMAP);
  g_autoptr(GPtrArray) findings = NULL;

  mc_settings_set_host (settings, "mail.example.org");
  mc_settings_set_port (settings, 143);
  mc_settings_set_security (settings, MC_SECURITY_TLS);
  findings = mc_diagnosis_precheck (settings, TRUE);

  for (guint i = 0; i < findings->len; i++)
    {
      McAdvice *advice = g_ptr_array_index (findings, i);

      if (g_str_equal (advice->code, code))
        return g_strdup (advice->text);
    }
  return NULL;
}

static McResult *
failed_result (void)
{
  McResult *result = mc_result_new ();
  McStep *step;

  result->protocol = MC_PROTOCOL_IMAP;
  result->host = g_strdup ("mail.example.org");
  result->port = 143;
  result->security = MC_SECURITY_TLS;
  step = mc_result_add_step (result, MC_STEP_TLS);
  step->status = MC_STEP_STATUS_FAILED;
  result->verdict = MC_VERDICT_FAILED;
  return result;
}

static void
test_words_english (void)
{
  g_autofree char *advice = NULL;
  g_autoptr(McResult) result = failed_result ();
  g_autofree char *report = NULL;

  use_language ("en");
  advice = precheck_text ("use-starttls");
  report = mc_report_to_text (result, FALSE);

  g_assert_cmpstr (advice, ==,
                   "Port 143 usually starts unencrypted. Set Security to STARTTLS. Port 993 with SSL/TLS is "
                   "also possible.");
  g_assert_cmpstr (mc_result_get_headline (result), ==, "The connection does not work.");
  g_assert_cmpstr (mc_step_id_display_name (MC_STEP_TLS), ==, "Encryption (TLS)");
  g_assert_nonnull (strstr (report, "IMAP test of mail.example.org, port 143, security SSL/TLS"));
  g_assert_nonnull (strstr (report, "✗ Encryption (TLS)"));
}

static void
test_words_german (void)
{
  g_autofree char *advice = NULL;
  g_autoptr(McResult) result = failed_result ();
  g_autofree char *report = NULL;

  use_language ("de");
  advice = precheck_text ("use-starttls");
  report = mc_report_to_text (result, FALSE);

  g_assert_cmpstr (advice, ==,
                   "Auf Port 143 beginnt die Verbindung normalerweise unverschlüsselt. Stellen Sie "
                   "„Sicherheit“ auf STARTTLS. Port 993 mit SSL/TLS ist ebenfalls möglich.");
  g_assert_cmpstr (mc_result_get_headline (result), ==, "Die Verbindung funktioniert nicht.");
  g_assert_cmpstr (mc_security_display_name (MC_SECURITY_NONE), ==, "Keine");
  g_assert_nonnull (strstr (report, "mail.example.org"));
  g_assert_null (strstr (report, "IMAP test of"));
  use_language ("en");
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("MC_LOCALEDIR");

  g_test_init (&argc, &argv, NULL);

  /* The catalogue meson just built, not an installed one. */
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_add_func ("/mailcheck/words/english", test_words_english);
  g_test_add_func ("/mailcheck/words/german", test_words_german);

  return g_test_run ();
}
