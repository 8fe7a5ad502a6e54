/* hostile-net.h: a man in the middle, and names that lead where a test wants
 *
 * The relay forwards one connection between the engine and a fake server and
 * can play a man in the middle: inject bytes into the server's TLS stream, cut
 * the connection without the server's close_notify, or reset the client's
 * connection. It notes the order in which the two sides spoke.
 *
 * The names resolver answers every name under .test with 127.0.0.1, except
 * dual.test, which is a dead ::1 first and 127.0.0.1 second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "scenario.h"

G_BEGIN_DECLS

typedef struct
{
  guint8   head[5];
  guint    head_len;
  gsize    body_left;
} RecordCursor;

typedef struct
{
  /* Set before relay_start(). */
  const char  *inject;        /* into the server's TLS stream, after the client's first record */
  gboolean     cut_unclean;   /* when the server closes, withhold its last record (close_notify) */
  const char  *reset_after;   /* reset the client after server text containing this */
  gboolean     reset_at_once;

  /* The relay's own. */
  guint16      target;
  GSocket     *listener;
  GThread     *thread;
  gint         stop;
  GMutex       mutex;
  GString     *order;         /* "\nC:…" and "\nS:…", in the order the sides spoke */
  gboolean     injected;
  guint        withheld;      /* records held back from the client at the server's FIN */
} Relay;

/* Listens on 127.0.0.1 for one connection, to be forwarded to @target (0: the
 * client is only accepted, for @reset_at_once); returns the relay's port. */
guint16     relay_start               (Relay          *relay,
                                       guint16         target);
void        relay_finish              (Relay          *relay);
void        relay_clear               (Relay          *relay);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Relay, relay_clear)

/* Runs @s with @relay between the engine and the fake server. */
void        scenario_play_relayed     (const Scenario *s,
                                       Relay          *relay,
                                       Outcome        *out);

/* Swaps the process's resolver for the .test one until the returned one is put back. */
GResolver  *use_test_names            (void);
void        restore_resolver          (GResolver      *previous);

guint16     socket_port               (GSocket        *socket);
/* A listener on 127.0.0.1 that lets a connect hang as a black-holed address
 * would (see mc_test_black_hole_new()); NULL, with the test skipped, where this
 * system cannot make one. */
GSocket    *black_hole_or_skip        (GPtrArray      *fillers);

G_END_DECLS
