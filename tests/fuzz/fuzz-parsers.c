/* fuzz-parsers.c: the small parsers that read user or server text
 *
 * FUZZ_TARGET selects one: host names typed by the user, SASL challenges,
 * server text made safe for display, provider profiles, the bounded line
 * reader, and a message's Received lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mc-line-reader.h"
#include "mc-provider.h"
#include "mc-received.h"
#include "mc-result.h"
#include "mc-sasl.h"
#include "mc-settings.h"
#include "test-util.h"

#define TARGET_HOST     1
#define TARGET_SASL     2
#define TARGET_SANITIZE 3
#define TARGET_PROVIDER 4
#define TARGET_LINES    5
#define TARGET_RECEIVED 6

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
fuzz_host (const char *text)
{
  g_autofree char *unicode = NULL;
  g_autofree char *ascii = mc_host_normalize (text, &unicode, NULL);

  if (ascii != NULL)
    {
      /* What the engine accepts is a plain name: nothing that could split a
       * protocol line or smuggle a URL. */
      g_assert_null (strpbrk (ascii, " \r\n/\\@"));
      g_assert_true (g_utf8_validate (unicode, -1, NULL));
      g_assert_cmpuint (strlen (ascii), <=, 253 + 2);
    }
}

static void
fuzz_sasl (const char *text)
{
  if (mc_sasl_is_valid_base64 (text))
    {
      gsize len;
      g_autofree guchar *decoded = g_base64_decode (text, &len);

      g_assert_cmpuint (strlen (text) % 4, ==, 0);
      (void)decoded;
    }
}

static void
fuzz_sanitize (const guint8 *data,
               size_t        size)
{
  g_autofree char *clean = mc_sanitize_server_text ((const char *)data, size, 200);

  g_assert_true (g_utf8_validate (clean, -1, NULL));
  for (const char *p = clean; *p; p++)
    g_assert_true ((guchar)*p >= 0x20 && *p != 0x7f);
  g_assert_cmpuint (g_utf8_strlen (clean, -1), <=, 201 * 8);
}

static void
fuzz_provider (const guint8 *data,
               size_t        size)
{
  g_autoptr(McProvider) provider = mc_provider_new_from_data ((const char *)data, size, NULL);

  if (provider != NULL)
    {
      g_assert_nonnull (mc_provider_get_server (provider));
      for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
        {
          const GArray *endpoints = mc_provider_get_endpoints (provider, protocol);

          for (guint i = 0; i < endpoints->len; i++)
            g_assert_cmpuint (g_array_index (endpoints, McEndpoint, i).port, >, 0);
        }
    }
}

static void
fuzz_lines (const guint8 *data,
            size_t        size)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (g_memdup2 (data, size), size, g_free);
  g_autoptr(McLineReader) reader = mc_line_reader_new (input);
  guint lines = 0;

  for (;;)
    {
      gsize len = 0;
      g_autofree char *line = mc_line_reader_read_line (reader, &len, NULL, NULL);

      if (line == NULL)
        break;
      g_assert_cmpuint (len, <=, MC_LINE_MAX);
      g_assert_cmpuint (strlen (line), ==, len);
      g_assert_null (memchr (line, '\n', len));
      lines++;
    }
  g_assert_cmpuint (lines, <=, size);
}

static void
fuzz_received (const guint8 *data,
               size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(McReceivedReport) report = mc_received_parse ((const char *)data, size, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  JsonObject *root;
  guint runs = 0;

  if (report == NULL)
    {
      g_assert_error (error, MC_RECEIVED_ERROR, MC_RECEIVED_ERROR_NO_HEADER);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (mc_received_report_get_n_hops (report), <=, MC_RECEIVED_MAX_HOPS);

  for (guint i = 0; i < mc_received_report_get_n_hops (report); i++)
    {
      const McReceivedHop *hop = mc_received_report_get_hop (report, i);
      const McReceivedHop *older = i > 0 ? mc_received_report_get_hop (report, i - 1) : NULL;

      g_assert_nonnull (mc_received_verdict_to_string (mc_received_hop_get_verdict (hop)));
      /* Only the provider's own line can say a hop was not encrypted. */
      if (mc_received_hop_get_verdict (hop) == MC_RECEIVED_VERDICT_NOT_ENCRYPTED)
        g_assert_true (mc_received_hop_get_trusted (hop));
      /* Trusted lines are one run at the newest end of the path. */
      if (mc_received_hop_get_trusted (hop) && (older == NULL || !mc_received_hop_get_trusted (older)))
        runs++;
    }
  g_assert_cmpuint (runs, <=, 1);
  mc_test_assert_received_display_safe (report);
  g_assert_cmpuint (strlen (mc_received_report_get_summary (report)), >, 0);

  json = mc_received_report_to_json (report);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "hops")), ==,
                    mc_received_report_get_n_hops (report));

  text = mc_received_report_to_text (report);
  g_assert_true (g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *)data, size);

  switch (FUZZ_TARGET)
    {
    case TARGET_HOST:
      fuzz_host (text);
      break;
    case TARGET_SASL:
      fuzz_sasl (text);
      break;
    case TARGET_SANITIZE:
      fuzz_sanitize (data, size);
      break;
    case TARGET_PROVIDER:
      fuzz_provider (data, size);
      break;
    case TARGET_RECEIVED:
      fuzz_received (data, size);
      break;
    case TARGET_LINES:
    default:
      fuzz_lines (data, size);
      break;
    }
  return 0;
}
