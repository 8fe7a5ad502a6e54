/* fake-server-thread.c: the server's threads and their blocking I/O
 *
 * Plain blocking I/O, one thread per connection, keeps a script readable from top
 * to bottom. Outside TLS the server reads one byte at a time, so it never swallows
 * the client's ClientHello into a line buffer and every plaintext byte is recorded
 * exactly where it arrived.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-server"

#include "config.h"

#include <string.h>

#include "fake-server-private.h"

#define FAKE_LINE_MAX               (1024 * 1024)
#define FAKE_IO_TIMEOUT_SECONDS     20
#define FAKE_FINISH_TIMEOUT_SECONDS 15
#define TLS_HANDSHAKE_RECORD        0x16

typedef struct
{
  FakeServer        *server;
  GSocketConnection *connection;
  GIOStream         *stream;
  GTlsConnection    *tls;
  char              *tag;
  gboolean           done;
} Conn;

static inline guint
phase_index (FakePhase phase)
{
  return phase == FAKE_PHASE_TLS ? 1 : 0;
}

/* Recording --------------------------------------------------------------- */

static void
record_bytes (Conn         *conn,
              const guint8 *data,
              gsize         len)
{
  FakeServer *server = conn->server;

  g_mutex_lock (&server->mutex);
  g_byte_array_append (server->received[conn->tls != NULL ? 1 : 0], data, len);
  g_mutex_unlock (&server->mutex);
}

static void
record_command (Conn       *conn,
                const char *line)
{
  FakeServer *server = conn->server;
  Command *command = g_new0 (Command, 1);

  command->phase = conn->tls != NULL ? FAKE_PHASE_TLS : FAKE_PHASE_PLAIN;
  command->line = g_strdup (line);
  g_mutex_lock (&server->mutex);
  g_ptr_array_add (server->commands, command);
  g_mutex_unlock (&server->mutex);
}

static void
script_error (Conn       *conn,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static void
script_error (Conn       *conn,
              const char *format,
              ...)
{
  FakeServer *server = conn->server;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_mutex_lock (&server->mutex);
  if (server->script_error->len > 0)
    g_string_append (server->script_error, "; ");
  g_string_append (server->script_error, message);
  g_mutex_unlock (&server->mutex);
}

static void
take_tag (Conn       *conn,
          const char *line)
{
  const char *space = strchr (line, ' ');

  g_free (conn->tag);
  conn->tag = space ? g_strndup (line, space - line) : g_strdup (line);
}

/* I/O in the server thread ------------------------------------------------ */

static void
sleep_ms (FakeServer *server,
          guint       ms)
{
  gint64 end = g_get_monotonic_time () + (gint64)ms * 1000;

  while (g_get_monotonic_time () < end && !g_cancellable_is_cancelled (server->cancellable))
    g_usleep (MIN (5000, MAX (1, end - g_get_monotonic_time ())));
}

static gboolean
read_byte (Conn   *conn,
           guint8 *byte)
{
  GInputStream *input = g_io_stream_get_input_stream (conn->stream);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read (input, byte, 1, conn->server->cancellable, &error);
  if (n != 1)
    return FALSE;
  record_bytes (conn, byte, 1);
  return TRUE;
}

/* Returns the next line without its line end, or NULL once the client is gone. */
static char *
read_line (Conn *conn)
{
  GString *line = g_string_new (NULL);
  guint8 byte;

  for (;;)
    {
      if (!read_byte (conn, &byte))
        {
          conn->done = TRUE;
          g_string_free (line, TRUE);
          return NULL;
        }
      if (byte == '\n')
        break;
      g_string_append_c (line, (char)byte);
      if (line->len > FAKE_LINE_MAX)
        break;
    }

  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  record_command (conn, line->str);
  return g_string_free (line, FALSE);
}

/* Keeps reading (and recording) until the client goes away. */
static void
drain (Conn *conn)
{
  guint8 byte;

  while (read_byte (conn, &byte))
    ;
  conn->done = TRUE;
}

static void
write_raw (Conn       *conn,
           const char *data,
           gsize       len)
{
  GOutputStream *output = g_io_stream_get_output_stream (conn->stream);

  if (!g_output_stream_write_all (output, data, len, NULL, conn->server->cancellable, NULL) ||
      !g_output_stream_flush (output, conn->server->cancellable, NULL))
    conn->done = TRUE;
}

/* One write call, so that several lines reach the client in one segment. */
static void
send_text (Conn       *conn,
           const char *text)
{
  g_autoptr(GString) out = g_string_new (text);

  g_string_replace (out, "$TAG", conn->tag ? conn->tag : "*", 0);
  write_raw (conn, out->str, out->len);
}

static char *
format_caps (FakeServer *server,
             FakePhase   phase)
{
  const char *caps = server->caps[phase_index (phase)];
  g_auto(GStrv) lines = g_strsplit (caps ? caps : "", "\n", -1);
  GString *out = g_string_new (NULL);
  guint n = g_strv_length (lines);

  if (n == 1 && lines[0][0] == '\0')
    n = 0;

  switch (server->protocol)
    {
    case FAKE_PROTOCOL_IMAP:
      g_string_append_printf (out, "* CAPABILITY %s\r\n$TAG OK Capability completed.\r\n",
                              caps ? caps : "");
      break;

    case FAKE_PROTOCOL_POP3:
      g_string_append (out, "+OK Capability list follows\r\n");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (out, "%s\r\n", lines[i]);
      g_string_append (out, ".\r\n");
      break;

    case FAKE_PROTOCOL_SMTP:
      g_string_append_printf (out, "250%sfake.test\r\n", n > 0 ? "-" : " ");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (out, "250%s%s\r\n", i + 1 < n ? "-" : " ", lines[i]);
      break;

    case FAKE_PROTOCOL_NONE:
    default:
      g_string_append (out, caps ? caps : "");
      break;
    }

  return g_string_free (out, FALSE);
}

static void
conn_close (Conn *conn)
{
  if (conn->tls != NULL)
    g_io_stream_close (G_IO_STREAM (conn->tls), conn->server->cancellable, NULL);
  g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
  conn->done = TRUE;
}

static void
start_tls (Conn       *conn,
           const char *name)
{
  FakeServer *server = conn->server;
  GSocket *socket = g_socket_connection_get_socket (conn->connection);
  g_autofree char *pem_name = g_strdup_printf ("%s.pem", name);
  g_autofree char *key_name = g_strdup_printf ("%s.key", name);
  g_autofree char *pem = fake_certificate_path (pem_name);
  g_autofree char *key = fake_certificate_path (key_name);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;
  guint8 first = 0;
  GInputVector vector = { &first, 1 };
  gint flags = G_SOCKET_MSG_PEEK;
  gssize n;

  if (conn->tls != NULL)
    {
      script_error (conn, "TLS requested twice");
      conn->done = TRUE;
      return;
    }

  /* Look at the client's first byte without taking it: a ClientHello starts a
   * handshake record; anything else is plaintext and is recorded as such. */
  if (!g_socket_condition_timed_wait (socket, G_IO_IN, FAKE_IO_TIMEOUT_SECONDS * G_USEC_PER_SEC,
                                      server->cancellable, NULL))
    {
      conn->done = TRUE;
      return;
    }
  n = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags,
                                server->cancellable, NULL);
  if (n <= 0)
    {
      conn->done = TRUE;
      return;
    }
  if (first != TLS_HANDSHAKE_RECORD)
    {
      drain (conn);
      return;
    }

  certificate = g_tls_certificate_new_from_files (pem, key, &error);
  if (certificate == NULL)
    {
      script_error (conn, "cannot load certificate %s: %s", name, error->message);
      conn->done = TRUE;
      return;
    }

  tls = g_tls_server_connection_new (G_IO_STREAM (conn->connection), certificate, &error);
  if (tls == NULL)
    {
      script_error (conn, "no TLS server connection: %s", error->message);
      conn->done = TRUE;
      return;
    }

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), server->cancellable, &error))
    {
      g_mutex_lock (&server->mutex);
      g_free (server->handshake_error);
      server->handshake_error = g_strdup (error->message);
      g_mutex_unlock (&server->mutex);
      /* Whatever comes now is outside any TLS session. */
      drain (conn);
      return;
    }

  g_mutex_lock (&server->mutex);
  server->tls_established = TRUE;
  g_mutex_unlock (&server->mutex);

  conn->tls = G_TLS_CONNECTION (g_object_ref (tls));
  conn->stream = g_steal_pointer (&tls);
}

static void
run_action (Conn       *conn,
            FakeAction *action)
{
  FakeServer *server = conn->server;

  switch (action->kind)
    {
    case ACTION_SEND:
      send_text (conn, action->text);
      break;

    case ACTION_SEND_BYTES:
      {
        gsize len;
        const char *data = g_bytes_get_data (action->bytes, &len);

        write_raw (conn, data, len);
      }
      break;

    case ACTION_SEND_GREETING:
      send_text (conn, server->greeting ? server->greeting : "");
      break;

    case ACTION_SEND_CAPS:
      {
        g_autofree char *caps = format_caps (server, conn->tls ? FAKE_PHASE_TLS : FAKE_PHASE_PLAIN);

        send_text (conn, caps);
      }
      break;

    case ACTION_EXPECT:
      {
        g_autofree char *line = read_line (conn);
        gboolean after_tag;

        if (line == NULL)
          script_error (conn, "expected “%s”, but the client closed the connection", action->text);
        else if (!fake_prefix_matches (line, action->text, server->tagged, &after_tag))
          {
            script_error (conn, "expected “%s”, got “%s”", action->text, line);
            drain (conn);
          }
        else if (after_tag)
          take_tag (conn, line);
      }
      break;

    case ACTION_REPLY_IF:
      {
        g_autofree char *line = read_line (conn);
        gboolean after_tag;

        if (line != NULL)
          send_text (conn, fake_prefix_matches (line, action->text, FALSE, &after_tag)
                           ? action->match_reply : action->other_reply);
      }
      break;

    case ACTION_START_TLS:
      start_tls (conn, action->text);
      break;

    case ACTION_SLEEP:
      sleep_ms (server, action->ms);
      break;

    case ACTION_CLOSE:
      conn_close (conn);
      break;

    case ACTION_STALL:
      drain (conn);
      break;

    case ACTION_DRIP:
      for (const char *p = action->text; *p != '\0' && !conn->done; p++)
        {
          write_raw (conn, p, 1);
          sleep_ms (server, action->ms);
          if (g_cancellable_is_cancelled (server->cancellable))
            conn->done = TRUE;
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
run_actions (Conn      *conn,
             GPtrArray *actions)
{
  for (guint i = 0; i < actions->len && !conn->done; i++)
    run_action (conn, g_ptr_array_index (actions, i));
}

static Rule *
find_rule (Conn       *conn,
           const char *line,
           gboolean   *after_tag)
{
  FakeServer *server = conn->server;
  FakePhase phase = conn->tls ? FAKE_PHASE_TLS : FAKE_PHASE_PLAIN;

  for (guint i = server->rules->len; i > 0; i--)
    {
      Rule *rule = g_ptr_array_index (server->rules, i - 1);

      if ((rule->phase & phase) && fake_prefix_matches (line, rule->prefix, server->tagged, after_tag))
        return rule;
    }
  return NULL;
}

static void
serve (FakeServer        *server,
       GSocketConnection *connection)
{
  Conn conn = { server, connection, G_IO_STREAM (connection), NULL, NULL, FALSE };

  run_actions (&conn, server->on_connect);

  while (!conn.done)
    {
      g_autofree char *line = read_line (&conn);
      gboolean after_tag = FALSE;
      Rule *rule;

      if (line == NULL)
        break;

      rule = find_rule (&conn, line, &after_tag);
      if (rule != NULL)
        {
          if (after_tag)
            take_tag (&conn, line);
          run_actions (&conn, rule->actions);
        }
      else
        {
          if (server->tagged)
            take_tag (&conn, line);
          if (server->default_reply != NULL)
            send_text (&conn, server->default_reply);
        }
    }

  if (conn.tls != NULL)
    g_io_stream_close (G_IO_STREAM (conn.tls), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_clear_object (&conn.tls);
  if (conn.stream != G_IO_STREAM (connection))
    g_object_unref (conn.stream);
  g_free (conn.tag);
}

static GSocket *
accept_one (FakeServer *server)
{
  GSocket *socket;

  g_mutex_lock (&server->mutex);
  socket = g_socket_accept (server->listener, NULL, NULL);
  if (socket != NULL)
    {
      server->connections++;
      server->active++;
    }
  g_mutex_unlock (&server->mutex);

  if (socket != NULL)
    {
      g_socket_set_blocking (socket, TRUE);
      g_socket_set_timeout (socket, FAKE_IO_TIMEOUT_SECONDS);
    }
  return socket;
}

typedef struct
{
  FakeServer *server;
  GSocket    *socket;
} Handler;

/* Each connection has a thread (and a main context) of its own, so a client
 * may hold several at once, as the engine's probes do. */
static gpointer
connection_thread (gpointer data)
{
  Handler *handler = data;
  FakeServer *server = handler->server;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_main_context_push_thread_default (context);

  /* Every connection gets the whole script, as from a real server: a client that
   * retries gets the same answers, and any slip shows in the records. */
  connection = g_socket_connection_factory_create_connection (handler->socket);
  serve (server, connection);

  g_mutex_lock (&server->mutex);
  server->active--;
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->mutex);

  g_main_context_pop_thread_default (context);
  g_object_unref (handler->socket);
  g_free (handler);
  return NULL;
}

static gpointer
accept_thread (gpointer data)
{
  FakeServer *server = data;

  while (g_socket_condition_wait (server->listener, G_IO_IN, server->cancellable, NULL))
    {
      Handler *handler;
      GSocket *socket;

      socket = accept_one (server);
      if (socket == NULL)
        continue;

      handler = g_new0 (Handler, 1);
      handler->server = server;
      handler->socket = socket;
      g_mutex_lock (&server->mutex);
      g_ptr_array_add (server->handlers, g_thread_new ("fake-connection", connection_thread, handler));
      g_mutex_unlock (&server->mutex);
    }
  return NULL;
}

/* Running ----------------------------------------------------------------- */

guint16
fake_server_start (FakeServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) local = NULL;

  if (server->started)
    return server->port;

  server->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (server->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (server->listener, 8);
  g_socket_listen (server->listener, &error);
  g_assert_no_error (error);
  /* Accepting happens only when poll says a client is waiting; never block in accept. */
  g_socket_set_blocking (server->listener, FALSE);

  local = g_socket_get_local_address (server->listener, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  server->started = TRUE;
  server->thread = g_thread_new ("fake-server", accept_thread, server);
  return server->port;
}

guint16
fake_server_get_port (FakeServer *server)
{
  return fake_server_start (server);
}

/* Counts and records connections that were still waiting in the backlog. */
static void
take_pending (FakeServer *server)
{
  while (g_socket_condition_check (server->listener, G_IO_IN) != 0)
    {
      g_autoptr(GSocket) socket = NULL;
      guint8 buffer[4096];
      gssize n;

      socket = accept_one (server);
      if (socket == NULL)
        break;
      g_mutex_lock (&server->mutex);
      server->active--;
      g_mutex_unlock (&server->mutex);
      g_socket_set_blocking (socket, FALSE);
      while ((n = g_socket_receive (socket, (char *)buffer, sizeof buffer, NULL, NULL)) > 0)
        {
          g_mutex_lock (&server->mutex);
          g_byte_array_append (server->received[0], buffer, n);
          g_mutex_unlock (&server->mutex);
        }
    }
}

/* Waits for every connection to end (the client closes them at the end of every
 * check), then stops the threads. After this the records are stable. */
void
fake_server_finish (FakeServer *server)
{
  gint64 deadline = g_get_monotonic_time () + FAKE_FINISH_TIMEOUT_SECONDS * G_TIME_SPAN_SECOND;
  gboolean timed_out = FALSE;
  GPtrArray *handlers;

  if (!server->started || server->finished)
    {
      server->finished = TRUE;
      return;
    }

  g_mutex_lock (&server->mutex);
  for (;;)
    {
      gboolean pending = g_socket_condition_check (server->listener, G_IO_IN) != 0;

      if (server->active == 0 && !pending)
        break;
      if (!g_cond_wait_until (&server->cond, &server->mutex, deadline))
        {
          timed_out = TRUE;
          break;
        }
    }
  if (timed_out)
    g_string_append_printf (server->script_error, "%sthe client kept a connection open",
                            server->script_error->len ? "; " : "");
  g_mutex_unlock (&server->mutex);

  g_cancellable_cancel (server->cancellable);
  g_thread_join (g_steal_pointer (&server->thread));

  g_mutex_lock (&server->mutex);
  handlers = g_ptr_array_ref (server->handlers);
  g_mutex_unlock (&server->mutex);
  for (guint i = 0; i < handlers->len; i++)
    g_thread_join (g_ptr_array_index (handlers, i));
  g_ptr_array_set_size (handlers, 0);
  g_ptr_array_unref (handlers);

  take_pending (server);
  g_socket_close (server->listener, NULL);
  server->finished = TRUE;
}
