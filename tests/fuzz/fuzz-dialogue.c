/* fuzz-dialogue.c: a whole IMAP, POP3 or SMTP dialogue against arbitrary server bytes
 *
 * Built once per protocol (FUZZ_PROTOCOL). Besides "no crash, no leak, no hang",
 * every input must keep three promises: the password never shows up in the
 * transcript, the text report or the JSON; the JSON is valid; and the client makes
 * at most one login attempt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE 1

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mc-report.h"
#include "mc-session-private.h"

#define FUZZ_USER     "anna@example.test"
#define FUZZ_PASSWORD "Fuzz-Secret-42"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* abort(), not g_error(): libFuzzer saves the input on SIGABRT, not on SIGTRAP. */
static void
broken_promise (const char *what)
{
  g_printerr ("fuzz-dialogue: %s\n", what);
  abort ();
}

static guint
count_login_commands (const char *sent,
                      gsize       len)
{
  g_autofree char *copy = g_strndup (sent, len);
  g_auto(GStrv) lines = g_strsplit (copy, "\r\n", -1);
  guint count = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *space = strchr (line, ' ');

      switch (FUZZ_PROTOCOL)
        {
        case MC_PROTOCOL_IMAP:
          if (space != NULL && (g_str_has_prefix (space + 1, "AUTHENTICATE ") ||
                                g_str_has_prefix (space + 1, "LOGIN ")))
            count++;
          break;
        case MC_PROTOCOL_POP3:
          if (g_str_has_prefix (line, "AUTH ") || g_str_has_prefix (line, "USER "))
            count++;
          break;
        case MC_PROTOCOL_SMTP:
        default:
          if (g_str_has_prefix (line, "AUTH "))
            count++;
          break;
        }
    }
  return count;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(McSettings) settings = mc_settings_new (FUZZ_PROTOCOL);
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (g_memdup2 (data, size), size, g_free);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GIOStream) stream = g_simple_io_stream_new (input, output);
  g_autoptr(McResult) result = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *sent;
  gsize sent_len;

  mc_settings_set_host (settings, "mail.example.test");
  mc_settings_set_security (settings, MC_SECURITY_TLS);
  mc_settings_set_user (settings, FUZZ_USER);
  mc_settings_set_password (settings, FUZZ_PASSWORD);

  result = mc_session_run_dialogue_on_stream (settings, stream);
  text = mc_report_to_text (result, TRUE);
  json = mc_report_to_json (result);

  /* A server may of course echo any text, the password included; only a
   * password the server never sent counts as a leak. */
  if (memmem (data, size, FUZZ_PASSWORD, strlen (FUZZ_PASSWORD)) == NULL &&
      (strstr (text, FUZZ_PASSWORD) != NULL || strstr (json, FUZZ_PASSWORD) != NULL))
    broken_promise ("the password leaked into the report");
  if (!g_utf8_validate (json, -1, NULL) || !json_parser_load_from_data (parser, json, -1, NULL))
    broken_promise ("the JSON report is not valid");

  g_output_stream_close (output, NULL, NULL);
  sent = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (output));
  sent_len = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (output));
  if (sent != NULL && count_login_commands (sent, sent_len) > 1)
    broken_promise ("more than one login attempt");

  return 0;
}
