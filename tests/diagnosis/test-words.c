/* test-words.c: results read the same in German and English everywhere
 *
 * The engine translates its own sentences, so the window, the CLI and the
 * report say the same thing. This renders findings and a report in both
 * languages and checks the exact words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mc-diagnosis.h"
#include "mc-report.h"
#include "test-util.h"

static char *
precheck_text (const char *code)
{
  g_autoptr(McSettings) settings = mc_test_settings_for (MC_PROTOCOL_IMAP, "mail.example.org", 143,
                                                        MC_SECURITY_TLS);
  g_autoptr(GPtrArray) findings = mc_diagnosis_precheck (settings, TRUE);
  McAdvice *advice = mc_test_find_advice_in (findings, code);

  return advice != NULL ? g_strdup (advice->text) : NULL;
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

/* What one language must read; NULL where a row pins nothing. */
typedef struct
{
  const char *path;
  const char *language;
  const char *advice;
  const char *report_has[2];
  const char *report_lacks;
  const char *headline;
  const char *step_tls;
  const char *security_none;
} Words;

static const Words words[] = {
  { "/mailcheck/words/english", "en",
    "Port 143 usually starts unencrypted. Set Security to STARTTLS. Port 993 with SSL/TLS is also possible.",
    { "IMAP test of mail.example.org, port 143, security SSL/TLS", "✗ Encryption (TLS)" }, NULL,
    "The connection does not work.", "Encryption (TLS)", NULL },
  { "/mailcheck/words/german", "de",
    "Auf Port 143 beginnt die Verbindung normalerweise unverschlüsselt. Stellen Sie "
    "„Sicherheit“ auf STARTTLS. Port 993 mit SSL/TLS ist ebenfalls möglich.",
    { "mail.example.org", NULL }, "IMAP test of",
    "Die Verbindung funktioniert nicht.", NULL, "Keine" },
};

static void
test_words (gconstpointer data)
{
  const Words *expected = data;
  g_autofree char *advice = NULL;
  g_autoptr(McResult) result = failed_result ();
  g_autofree char *report = NULL;

  mc_test_use_language (expected->language);
  advice = precheck_text ("use-starttls");
  report = mc_report_to_text (result, FALSE);

  g_assert_cmpstr (advice, ==, expected->advice);
  g_assert_cmpstr (mc_result_get_headline (result), ==, expected->headline);
  if (expected->step_tls != NULL)
    g_assert_cmpstr (mc_step_id_display_name (MC_STEP_TLS), ==, expected->step_tls);
  if (expected->security_none != NULL)
    g_assert_cmpstr (mc_security_display_name (MC_SECURITY_NONE), ==, expected->security_none);
  for (guint i = 0; i < G_N_ELEMENTS (expected->report_has) && expected->report_has[i] != NULL; i++)
    g_assert_nonnull (strstr (report, expected->report_has[i]));
  if (expected->report_lacks != NULL)
    g_assert_null (strstr (report, expected->report_lacks));
  mc_test_use_language ("en");
}

int
main (int   argc,
      char *argv[])
{
  mc_test_init_with_catalogue (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    g_test_add_data_func (words[i].path, &words[i], test_words);

  return g_test_run ();
}
