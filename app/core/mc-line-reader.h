/* mc-line-reader.h: bounded line reading for mail protocols
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* RFC 4954 allows SASL lines of about 12 288 octets; nothing legitimate is longer. */
#define MC_LINE_MAX 16384

#define MC_LINE_ERROR (mc_line_error_quark ())

typedef enum
{
  MC_LINE_ERROR_CLOSED,      /* EOF before any byte of the line */
  MC_LINE_ERROR_TRUNCATED,   /* EOF in the middle of a line */
  MC_LINE_ERROR_TOO_LONG,
  MC_LINE_ERROR_NUL,         /* a NUL byte inside a line */
} McLineError;

typedef struct _McLineReader McLineReader;

GQuark        mc_line_error_quark            (void);
McLineReader *mc_line_reader_new             (GInputStream  *stream);
void          mc_line_reader_free            (McLineReader  *self);
char         *mc_line_reader_read_line       (McLineReader  *self,
                                              gsize         *length,
                                              GCancellable  *cancellable,
                                              GError       **error);
GBytes       *mc_line_reader_read_bytes      (McLineReader  *self,
                                              gsize          count,
                                              GCancellable  *cancellable,
                                              GError       **error);
gsize         mc_line_reader_get_buffered    (McLineReader  *self);
gboolean      mc_line_reader_saw_bare_lf     (McLineReader  *self);
guint64       mc_line_reader_get_total_read  (McLineReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (McLineReader, mc_line_reader_free)

G_END_DECLS
