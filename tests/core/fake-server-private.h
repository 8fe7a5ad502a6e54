/* fake-server-private.h: what the fake server's files share (tests only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fake-server.h"

G_BEGIN_DECLS

typedef enum
{
  ACTION_SEND,
  ACTION_SEND_BYTES,
  ACTION_SEND_GREETING,
  ACTION_SEND_CAPS,
  ACTION_EXPECT,
  ACTION_REPLY_IF,
  ACTION_START_TLS,
  ACTION_SLEEP,
  ACTION_CLOSE,
  ACTION_STALL,
  ACTION_DRIP,
} ActionKind;

struct _FakeAction
{
  ActionKind  kind;
  char       *text;
  char       *match_reply;
  char       *other_reply;
  GBytes     *bytes;
  guint       ms;
};

typedef struct
{
  FakePhase   phase;
  char       *prefix;
  GPtrArray  *actions;
} Rule;

typedef struct
{
  FakePhase   phase;
  char       *line;
} Command;

struct _FakeServer
{
  /* The script: written before start, read-only afterwards. */
  FakeProtocol  protocol;
  gboolean      tagged;
  char         *greeting;
  char         *caps[2];
  char         *default_reply;
  GPtrArray    *on_connect;
  GPtrArray    *rules;

  /* Set up by fake_server_start(). */
  GSocket      *listener;
  guint16       port;
  GThread      *thread;
  GCancellable *cancellable;
  gboolean      started;
  gboolean      finished;

  /* Shared with the server threads, under @mutex. */
  GMutex        mutex;
  GCond         cond;
  guint         connections;
  guint         active;
  GPtrArray    *handlers;
  GByteArray   *received[2];
  GPtrArray    *commands;
  GString      *script_error;
  char         *handshake_error;
  gboolean      tls_established;
};

gboolean fake_prefix_matches (const char *line,
                              const char *prefix,
                              gboolean    tagged,
                              gboolean   *after_tag);
char    *fake_base64         (const void *data,
                              gsize       len);
char    *fake_sasl_plain     (const char *user,
                              const char *password);

G_END_DECLS
