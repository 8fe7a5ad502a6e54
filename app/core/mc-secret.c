/* mc-secret.c
 *
 * A password lives in one buffer at a time: allocated at its final size, never
 * grown (a grown buffer leaves its old copy behind in freed memory), and wiped
 * before it is freed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-secret"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "mc-secret.h"

void
mc_secret_free (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

/* A NUL-terminated copy of @len bytes; a NUL inside stays where it is, for
 * validation to see. Free it with mc_secret_free() only when it holds no NUL,
 * else wipe @len bytes yourself. */
char *
mc_secret_dup_len (const char *data,
                   gsize       len)
{
  char *copy = g_malloc (len + 1);

  memcpy (copy, data, len);
  copy[len] = '\0';
  return copy;
}

/* One line from @fd, without its line end (LF or CRLF), into a buffer of fixed
 * size. A line longer than @max_len is an error; so is no line at all (the
 * stream was empty or closed), and so is an empty line: a password is never
 * empty. The caller wipes the result (it may contain NUL bytes: @length). */
char *
mc_secret_read_line (int      fd,
                     gsize    max_len,
                     gsize   *length,
                     GError **error)
{
  g_autofree char *buffer = g_malloc (max_len + 2);
  gsize len = 0;
  gboolean line_end = FALSE;
  char c;

  for (;;)
    {
      ssize_t n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          explicit_bzero (buffer, len);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The password could not be read."));
          return NULL;
        }
      if (n == 0)
        break;
      if (c == '\n')
        {
          line_end = TRUE;
          break;
        }
      if (len > max_len)
        {
          explicit_bzero (buffer, len);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The password is too long."));
          return NULL;
        }
      buffer[len++] = c;
    }

  if (len > 0 && buffer[len - 1] == '\r')
    buffer[--len] = '\0';
  buffer[len] = '\0';

  if (len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           line_end ? _("The password on standard input is empty.")
                                    : _("No password on standard input."));
      return NULL;
    }

  *length = len;
  return g_steal_pointer (&buffer);
}

/* While the process holds a password it must not leave it in a core dump, and
 * other processes of the same user may not read its memory (ptrace). Called
 * once a password is about to be held; there is no way back. */
void
mc_secret_hold_process (void)
{
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    g_debug ("could not make the process non-dumpable: %s", g_strerror (errno));
}
