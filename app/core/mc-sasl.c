/* mc-sasl.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-sasl"

#include "config.h"

#include <string.h>

#include "mc-sasl.h"

/* RFC 4616: [authzid] NUL authcid NUL passwd. The buffers that held the
 * password in clear are wiped before they are freed. */
char *
mc_sasl_plain_response (const char *user,
                        const char *password)
{
  gsize user_len = strlen (user);
  gsize password_len = strlen (password);
  gsize len = user_len + password_len + 2;
  char *raw = g_malloc (len);
  char *encoded;

  raw[0] = '\0';
  memcpy (raw + 1, user, user_len);
  raw[1 + user_len] = '\0';
  memcpy (raw + 2 + user_len, password, password_len);
  encoded = g_base64_encode ((const guchar *)raw, len);
  explicit_bzero (raw, len);
  g_free (raw);
  return encoded;
}

char *
mc_sasl_base64 (const char *text)
{
  return g_base64_encode ((const guchar *)text, strlen (text));
}

/* Strict RFC 4648 base64 as RFC 4954 §4 demands: only the alphabet, padding only
 * at the end, length a multiple of four. An empty challenge is valid. */
gboolean
mc_sasl_is_valid_base64 (const char *text)
{
  gsize len = strlen (text);
  gsize padding = 0;

  if (len % 4 != 0)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '=')
        {
          padding++;
          if (i < len - 2)
            return FALSE;
        }
      else if (padding > 0)
        return FALSE;
      else if (!g_ascii_isalnum (c) && c != '+' && c != '/')
        return FALSE;
    }
  return padding <= 2;
}
