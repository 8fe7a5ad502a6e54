/* test-report.c: the text and JSON reports support staff receive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-report"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "mc-report.h"
#include "test-util.h"

static JsonObject *
parse_report (McResult   *result,
              JsonParser *parser)
{
  g_autofree char *json = mc_report_to_json (result);
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_true (g_utf8_validate (json, -1, NULL));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static void
assert_string_member (JsonObject *object,
                      const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_node_get_array (node);
}

static gboolean
array_contains (JsonArray  *array,
                const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
assert_iso8601 (JsonObject *object,
                const char *name)
{
  g_autoptr(GDateTime) date = NULL;

  assert_string_member (object, name);
  date = g_date_time_new_from_iso8601 (json_object_get_string_member (object, name), NULL);
  g_assert_nonnull (date);
}

/* The fields of docs/cli.md, for a check that logged in over STARTTLS. */
static void
test_json_fields (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McResult) result = mc_test_run_server (server, MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = parse_report (result, parser);
  JsonObject *tls, *certificate, *capabilities, *auth;
  JsonArray *steps, *transcript, *names;
  gboolean redacted = FALSE;
  const char *step_ids[] = {
    "resolve", "connect", "greeting", "capabilities", "starttls", "tls", "capabilities", "login", "logout",
  };

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpstr (json_object_get_string_member (root, "protocol"), ==, "imap");
  g_assert_cmpstr (json_object_get_string_member (root, "host"), ==, "127.0.0.1");
  g_assert_cmpint (json_object_get_int_member (root, "port"), ==, fake_server_get_port (server));
  g_assert_cmpstr (json_object_get_string_member (root, "security"), ==, "starttls");
  g_assert_cmpstr (json_object_get_string_member (root, "user"), ==, FAKE_USER);
  g_assert_cmpstr (json_object_get_string_member (root, "verdict"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (root, "address"), ==, "127.0.0.1");

  steps = array_member (root, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, G_N_ELEMENTS (step_ids));
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);

      g_assert_cmpstr (json_object_get_string_member (step, "id"), ==, step_ids[i]);
      g_assert_cmpstr (json_object_get_string_member (step, "status"), ==, "ok");
      g_assert_cmpint (json_object_get_int_member (step, "ms"), >=, 0);
      assert_string_member (step, "summary");
      g_assert_true (json_object_has_member (step, "server"));
    }

  tls = json_object_get_object_member (root, "tls");
  g_assert_nonnull (tls);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (tls, "version"), "TLS 1."));
  assert_string_member (tls, "cipher");
  certificate = json_object_get_object_member (tls, "certificate");
  g_assert_nonnull (certificate);
  g_assert_nonnull (strstr (json_object_get_string_member (certificate, "subject"), "localhost"));
  g_assert_nonnull (strstr (json_object_get_string_member (certificate, "issuer"), "Mail Check Test CA"));
  names = array_member (certificate, "names");
  g_assert_true (array_contains (names, "localhost"));
  g_assert_true (array_contains (names, "127.0.0.1"));
  assert_iso8601 (certificate, "not_before");
  assert_iso8601 (certificate, "not_after");
  g_assert_cmpuint (strlen (json_object_get_string_member (certificate, "sha256")), ==, 32 * 3 - 1);
  g_assert_cmpuint (json_array_get_length (array_member (certificate, "problems")), ==, 0);

  capabilities = json_object_get_object_member (root, "capabilities");
  g_assert_true (array_contains (array_member (capabilities, "before_tls"), "STARTTLS"));
  g_assert_true (array_contains (array_member (capabilities, "after_tls"), "AUTH=PLAIN"));
  g_assert_false (array_contains (array_member (capabilities, "after_tls"), "STARTTLS"));

  auth = json_object_get_object_member (root, "auth");
  g_assert_true (array_contains (array_member (auth, "offered"), "PLAIN"));
  g_assert_cmpstr (json_object_get_string_member (auth, "used"), ==, "PLAIN");
  g_assert_cmpstr (json_object_get_string_member (auth, "result"), ==, "ok");

  g_assert_cmpuint (json_array_get_length (array_member (root, "advice")), ==, 0);

  transcript = array_member (root, "transcript");
  g_assert_cmpuint (json_array_get_length (transcript), >, 5);
  for (guint i = 0; i < json_array_get_length (transcript); i++)
    {
      const char *line = json_array_get_string_element (transcript, i);

      g_assert_true (g_str_has_prefix (line, "C: ") || g_str_has_prefix (line, "S: ") ||
                     g_str_has_prefix (line, "*: "));
      redacted |= strstr (line, "AUTHENTICATE PLAIN [credentials hidden]") != NULL;
    }
  g_assert_true (redacted);
  mc_assert_no_secret (result, FAKE_PASSWORD);
}

static void
test_json_invalid_utf8 (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McResult) result = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *greeting;

  fake_server_set_greeting (server, "220 fake.test \xff\xfe\xc3\x28 ESMTP \"quoted\" \\ \x01\r\n");
  fake_server_set_caps (server, FAKE_PHASE_PLAIN, "STARTTLS\nX-\xc0\xaf\nAUTH PLAIN");
  result = mc_test_run_server (server, MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS);
  root = parse_report (result, parser);

  greeting = json_array_get_object_element (array_member (root, "steps"), 2);
  g_assert_cmpstr (json_object_get_string_member (greeting, "id"), ==, "greeting");
  g_assert_nonnull (strstr (json_object_get_string_member (greeting, "server"), "\xef\xbf\xbd"));
  g_assert_nonnull (strstr (json_object_get_string_member (greeting, "server"), "\"quoted\" \\"));
  g_assert_true (json_object_get_boolean_member (greeting, "server_before_tls"));
  g_assert_cmpuint (json_array_get_length (array_member (json_object_get_object_member (root, "capabilities"),
                                                         "before_tls")), ==, 3);
}

static void
test_json_certificate_failure (void)
{
  g_autoptr(FakeServer) server = fake_pop3_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *certificate;
  JsonArray *advice;
  gboolean found = FALSE;

  fake_server_clear_on_connect (server);
  fake_server_on_connect (server, fake_start_tls ("expired"), fake_send_greeting (), NULL);
  result = mc_test_run_server (server, MC_PROTOCOL_POP3, MC_SECURITY_TLS);
  root = parse_report (result, parser);

  g_assert_cmpstr (json_object_get_string_member (root, "verdict"), ==, "failed");
  certificate = json_object_get_object_member (json_object_get_object_member (root, "tls"), "certificate");
  g_assert_nonnull (certificate);
  g_assert_true (array_contains (array_member (certificate, "problems"), "expired"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (certificate, "not_after"), "2001-01-01"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "auth"), "result"), ==,
                   "not-tried");

  advice = array_member (root, "advice");
  for (guint i = 0; i < json_array_get_length (advice); i++)
    {
      JsonObject *item = json_array_get_object_element (advice, i);

      assert_string_member (item, "text");
      found |= g_str_equal (json_object_get_string_member (item, "code"), "certificate-expired");
    }
  g_assert_true (found);
}

static void
test_json_no_tls (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_PLAIN);
  g_autoptr(McResult) result = mc_test_run_server (server, MC_PROTOCOL_IMAP, MC_SECURITY_NONE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = parse_report (result, parser);
  JsonObject *item;

  g_assert_true (json_node_is_null (json_object_get_member (root, "tls")));
  g_assert_cmpstr (json_object_get_string_member (root, "security"), ==, "none");
  g_assert_cmpuint (json_array_get_length (array_member (json_object_get_object_member (root, "capabilities"),
                                                         "after_tls")), ==, 0);
  item = json_array_get_object_element (array_member (root, "advice"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "code"), ==, "plaintext-not-allowed");
  /* The fix the window can apply: another security mode. */
  g_assert_nonnull (json_object_get_object_member (item, "fix"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (item, "fix"), "security"),
                   !=, "none");
}

static void
test_text_report (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, 0);
  g_autoptr(McResult) result = NULL;
  g_autofree char *text = NULL;
  g_autofree char *short_text = NULL;

  mc_settings_set_user (settings, "alice");
  result = mc_test_run_server_with (server, settings);
  text = mc_report_to_text (result, TRUE);
  short_text = mc_report_to_text (result, FALSE);
  g_test_message ("%s", text);

  g_assert_true (g_str_has_prefix (text, "IMAP "));
  mc_assert_mentions (text, "127.0.0.1");
  mc_assert_mentions (text, "STARTTLS");
  mc_assert_mentions (text, ": alice\n");
  mc_assert_mentions (text, mc_result_get_headline (result));
  mc_assert_mentions (text, "The connection does not work.");
  for (guint id = MC_STEP_RESOLVE; id <= MC_STEP_LOGOUT; id++)
    g_assert_nonnull (strstr (text, mc_step_id_display_name (id)));
  /* Text received before encryption is labelled as such. */
  mc_assert_mentions (text, "unencrypted");
  mc_assert_mentions (text, "* OK Fake IMAP server ready.");
  g_assert_nonnull (strstr (text, "[authentication-failed]"));
  g_assert_nonnull (strstr (text, "[username-not-full-address]"));
  mc_assert_mentions (text, "CN=Mail Check Test CA");
  mc_assert_mentions (text, "transcript");
  mc_assert_mentions (text, "AUTHENTICATE PLAIN [credentials hidden]");
  g_assert_null (strstr (short_text, "C: "));
  g_assert_null (strstr (short_text, "[credentials hidden]"));
  mc_assert_no_secret (result, FAKE_PASSWORD);
}

/* A hand-made result: what the report shows for an international name. */
static void
test_report_idn_host (void)
{
  g_autoptr(McResult) result = mc_result_new ();
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  McStep *step;

  result->protocol = MC_PROTOCOL_SMTP;
  result->host = g_strdup ("bücher.example");
  result->host_ascii = g_strdup ("xn--bcher-kva.example");
  result->port = 587;
  result->security = MC_SECURITY_STARTTLS;
  step = mc_result_add_step (result, MC_STEP_RESOLVE);
  step->status = MC_STEP_STATUS_FAILED;
  step->summary = g_strdup ("The server name “bücher.example” could not be found.");
  mc_result_add_advice (result, "host-not-found", "No server named “bücher.example” exists.");
  mc_result_update_verdict (result);

  text = mc_report_to_text (result, TRUE);
  g_assert_true (g_str_has_prefix (text, "SMTP "));
  mc_assert_mentions (text, "bücher.example");
  mc_assert_mentions (text, "587");
  /* Both forms, so a look-alike name cannot hide. */
  mc_assert_mentions (text, "xn--bcher-kva.example");
  mc_assert_mentions (text, "[host-not-found]");

  root = parse_report (result, parser);
  g_assert_cmpstr (json_object_get_string_member (root, "host"), ==, "bücher.example");
  g_assert_cmpstr (json_object_get_string_member (root, "verdict"), ==, "failed");
  g_assert_true (json_node_is_null (json_object_get_member (root, "address")));
}

static McResult *
outcome_result (McVerdict    verdict,
                McAuthResult auth,
                const char  *tls_version)
{
  McResult *result = mc_result_new ();

  result->verdict = verdict;
  result->auth_result = auth;
  result->tls_version = g_strdup (tls_version);
  return result;
}

/* A test that did not log in never reads as working: its headline says the
 * login was not tested, whatever else passed. */
static void
test_headlines (void)
{
  g_autoptr(McResult) works = outcome_result (MC_VERDICT_OK, MC_AUTH_RESULT_OK, "TLS 1.3");
  g_autoptr(McResult) warnings = outcome_result (MC_VERDICT_WARNING, MC_AUTH_RESULT_OK, "TLS 1.3");
  g_autoptr(McResult) untested = outcome_result (MC_VERDICT_WARNING, MC_AUTH_RESULT_NOT_TRIED, "TLS 1.3");
  g_autoptr(McResult) plain = outcome_result (MC_VERDICT_WARNING, MC_AUTH_RESULT_NOT_TRIED, NULL);
  g_autoptr(McResult) failed = outcome_result (MC_VERDICT_FAILED, MC_AUTH_RESULT_REJECTED, "TLS 1.3");
  g_autoptr(McResult) ok_without_login = outcome_result (MC_VERDICT_OK, MC_AUTH_RESULT_NOT_TRIED, "TLS 1.3");

  g_assert_cmpint (mc_result_get_outcome (works), ==, MC_OUTCOME_WORKS);
  g_assert_cmpint (mc_result_get_outcome (warnings), ==, MC_OUTCOME_WORKS_WITH_WARNINGS);
  g_assert_cmpint (mc_result_get_outcome (untested), ==, MC_OUTCOME_LOGIN_NOT_TESTED);
  g_assert_cmpint (mc_result_get_outcome (ok_without_login), ==, MC_OUTCOME_LOGIN_NOT_TESTED);
  g_assert_cmpint (mc_result_get_outcome (failed), ==, MC_OUTCOME_FAILED);

  g_assert_cmpstr (mc_result_get_headline (works), ==, "The connection works.");
  g_assert_cmpstr (mc_result_get_headline (warnings), ==, "The connection works, with warnings.");
  g_assert_cmpstr (mc_result_get_headline (untested), ==, "Server reachable and encrypted — login not tested");
  g_assert_cmpstr (mc_result_get_headline (plain), ==, "Server reachable, but not encrypted — login not tested");
  g_assert_cmpstr (mc_result_get_headline (failed), ==, "The connection does not work.");
  g_assert_cmpstr (mc_outcome_to_string (MC_OUTCOME_LOGIN_NOT_TESTED), ==, "login-not-tested");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mailcheck/report/json/fields", test_json_fields);
  g_test_add_func ("/mailcheck/report/json/invalid-utf8-from-server", test_json_invalid_utf8);
  g_test_add_func ("/mailcheck/report/json/certificate-failure", test_json_certificate_failure);
  g_test_add_func ("/mailcheck/report/json/no-tls", test_json_no_tls);
  g_test_add_func ("/mailcheck/report/text", test_text_report);
  g_test_add_func ("/mailcheck/report/idn-host", test_report_idn_host);
  g_test_add_func ("/mailcheck/report/headlines", test_headlines);

  return g_test_run ();
}
