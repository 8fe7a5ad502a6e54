/* mc-line-reader.c
 *
 * GDataInputStream grows its buffer without limit while it waits for a newline and
 * returns a truncated last line as if it were complete, so mail dialogues read
 * through this small reader instead: its buffer never exceeds MC_LINE_MAX, EOF in
 * the middle of a line is an error, and a NUL byte cannot hide the rest of a line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-line-reader"

#include "config.h"

#include <string.h>

#include "mc-line-reader.h"

struct _McLineReader
{
  GInputStream *stream;
  guint8        buffer[MC_LINE_MAX + 2];
  gsize         start;
  gsize         end;
  guint64       total_read;
  gboolean      bare_lf;
};

G_DEFINE_QUARK (mc-line-error-quark, mc_line_error)

McLineReader *
mc_line_reader_new (GInputStream *stream)
{
  McLineReader *self = g_new0 (McLineReader, 1);

  self->stream = g_object_ref (stream);
  return self;
}

void
mc_line_reader_free (McLineReader *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->stream);
  g_free (self);
}

gsize
mc_line_reader_get_buffered (McLineReader *self)
{
  return self->end - self->start;
}

gboolean
mc_line_reader_saw_bare_lf (McLineReader *self)
{
  return self->bare_lf;
}

guint64
mc_line_reader_get_total_read (McLineReader *self)
{
  return self->total_read;
}

static void
compact (McLineReader *self)
{
  if (self->start == 0)
    return;
  memmove (self->buffer, self->buffer + self->start, self->end - self->start);
  self->end -= self->start;
  self->start = 0;
}

/* Returns the number of bytes added, 0 at EOF, -1 on error. */
static gssize
fill (McLineReader  *self,
      GCancellable  *cancellable,
      GError       **error)
{
  gssize n;

  compact (self);
  if (self->end >= sizeof self->buffer)
    return 0;

  n = g_input_stream_read (self->stream,
                           self->buffer + self->end,
                           sizeof self->buffer - self->end,
                           cancellable, error);
  if (n > 0)
    {
      self->end += n;
      self->total_read += n;
    }
  return n;
}

/* Reads one line and returns it without its line end. A bare LF is accepted as a
 * line end (and remembered), since some broken servers send it and waiting for a
 * CR that never comes would only end in a timeout. */
char *
mc_line_reader_read_line (McLineReader  *self,
                          gsize         *length,
                          GCancellable  *cancellable,
                          GError       **error)
{
  gsize scanned = 0;

  for (;;)
    {
      gsize avail = self->end - self->start;
      const guint8 *base = self->buffer + self->start;
      const guint8 *lf = memchr (base + scanned, '\n', avail - scanned);

      if (lf != NULL)
        {
          gsize line_len = lf - base;
          gsize consumed = line_len + 1;
          char *line;

          if (line_len > 0 && base[line_len - 1] == '\r')
            line_len--;
          else
            self->bare_lf = TRUE;

          if (line_len > MC_LINE_MAX)
            {
              g_set_error (error, MC_LINE_ERROR, MC_LINE_ERROR_TOO_LONG,
                           "The server sent a line longer than %d bytes", MC_LINE_MAX);
              return NULL;
            }

          if (memchr (base, '\0', line_len) != NULL)
            {
              g_set_error_literal (error, MC_LINE_ERROR, MC_LINE_ERROR_NUL,
                                   "The server sent a NUL byte inside a line");
              return NULL;
            }

          line = g_strndup ((const char *)base, line_len);
          self->start += consumed;
          if (length != NULL)
            *length = line_len;
          return line;
        }

      scanned = avail;
      if (avail > MC_LINE_MAX)
        {
          g_set_error (error, MC_LINE_ERROR, MC_LINE_ERROR_TOO_LONG,
                       "The server sent a line longer than %d bytes", MC_LINE_MAX);
          return NULL;
        }

      {
        gssize n = fill (self, cancellable, error);

        if (n < 0)
          return NULL;
        if (n == 0)
          {
            if (avail == 0)
              g_set_error_literal (error, MC_LINE_ERROR, MC_LINE_ERROR_CLOSED,
                                   "The server closed the connection");
            else
              g_set_error_literal (error, MC_LINE_ERROR, MC_LINE_ERROR_TRUNCATED,
                                   "The server closed the connection in the middle of a line");
            return NULL;
          }
      }
    }
}

/* Reads exactly @count bytes (an IMAP literal); the caller bounds @count. */
GBytes *
mc_line_reader_read_bytes (McLineReader  *self,
                           gsize          count,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new (MIN (count, 65536));

  while (out->len < count)
    {
      gsize avail = self->end - self->start;

      if (avail > 0)
        {
          gsize take = MIN (avail, count - out->len);

          g_byte_array_append (out, self->buffer + self->start, take);
          self->start += take;
          continue;
        }

      {
        gssize n = fill (self, cancellable, error);

        if (n < 0)
          return NULL;
        if (n == 0)
          {
            g_set_error_literal (error, MC_LINE_ERROR, MC_LINE_ERROR_TRUNCATED,
                                 "The server closed the connection in the middle of a response");
            return NULL;
          }
      }
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
