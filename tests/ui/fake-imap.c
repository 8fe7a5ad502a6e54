/* fake-imap.c
 *
 * One connection at a time, blocking I/O in its own thread, listening on
 * 127.0.0.1 port 0. It speaks just enough IMAP for the engine's dialogue.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-imap"

#include "config.h"

#include <string.h>

#include "fake-imap.h"

struct _FakeImap
{
  FakeImapMode      mode;
  char             *password;
  GTlsCertificate  *certificate;
  GSocketListener  *listener;
  GCancellable     *cancellable;
  GThread          *thread;
  GThreadPool      *connections;
  guint16           port;
  gint              logins;
};

static gboolean
send_line (GIOStream  *stream,
           const char *line,
           GCancellable *cancellable)
{
  g_autofree char *data = g_strconcat (line, "\r\n", NULL);

  return g_output_stream_write_all (g_io_stream_get_output_stream (stream), data, strlen (data),
                                    NULL, cancellable, NULL);
}

static char *
read_line (GDataInputStream *input,
           GCancellable     *cancellable)
{
  gsize length;
  char *line = g_data_input_stream_read_line (input, &length, cancellable, NULL);

  if (line != NULL && length > 0 && line[length - 1] == '\r')
    line[length - 1] = '\0';
  return line;
}

static gboolean
check_plain (FakeImap   *self,
             const char *base64)
{
  gsize length = 0;
  g_autofree guchar *decoded = g_base64_decode (base64, &length);
  const char *authcid;
  const char *password;
  gsize offset;

  /* authzid NUL authcid NUL password */
  offset = strnlen ((const char *)decoded, length) + 1;
  if (offset >= length)
    return FALSE;
  authcid = (const char *)decoded + offset;
  offset += strnlen (authcid, length - offset) + 1;
  if (offset > length)
    return FALSE;
  password = (const char *)decoded + offset;
  return length - offset == strlen (self->password) &&
         memcmp (password, self->password, length - offset) == 0;
}

static GIOStream *
start_tls (FakeImap   *self,
           GIOStream  *base)
{
  g_autoptr(GIOStream) tls = NULL;

  tls = g_tls_server_connection_new (base, self->certificate, NULL);
  if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), self->cancellable, NULL))
    return NULL;
  return g_steal_pointer (&tls);
}

static void
serve (FakeImap          *self,
       GSocketConnection *connection)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GDataInputStream) input = NULL;
  gboolean encrypted = FALSE;

  if (self->mode == FAKE_IMAP_STARTTLS)
    stream = g_object_ref (G_IO_STREAM (connection));
  else if ((stream = start_tls (self, G_IO_STREAM (connection))) == NULL)
    return;
  else
    encrypted = TRUE;

  if (self->mode == FAKE_IMAP_STALL)
    {
      char byte;

      /* Say nothing; wait until the client gives up or the test ends. */
      while (g_input_stream_read (g_io_stream_get_input_stream (stream), &byte, 1, self->cancellable, NULL) > 0)
        ;
      return;
    }

  send_line (stream, encrypted
             ? "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] Fake IMAP ready."
             : "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Fake IMAP ready.",
             self->cancellable);
  input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  /* STARTTLS replaces the reader; dropping the old one must not close the socket. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (input), FALSE);

  for (;;)
    {
      g_autofree char *line = read_line (input, self->cancellable);
      g_auto(GStrv) words = NULL;
      g_autofree char *reply = NULL;

      if (line == NULL)
        return;
      words = g_strsplit (line, " ", 4);
      if (words[0] == NULL || words[1] == NULL)
        {
          send_line (stream, "* BAD what?", self->cancellable);
          continue;
        }

      if (g_ascii_strcasecmp (words[1], "CAPABILITY") == 0)
        {
          send_line (stream, encrypted ? "* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR"
                                       : "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED",
                     self->cancellable);
          reply = g_strdup_printf ("%s OK Capability completed.", words[0]);
        }
      else if (g_ascii_strcasecmp (words[1], "STARTTLS") == 0 && !encrypted)
        {
          GIOStream *tls;

          reply = g_strdup_printf ("%s OK Begin TLS negotiation now.", words[0]);
          send_line (stream, reply, self->cancellable);
          if ((tls = start_tls (self, G_IO_STREAM (connection))) == NULL)
            return;
          g_clear_object (&input);
          g_object_unref (stream);
          stream = tls;
          encrypted = TRUE;
          input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
          g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (input), FALSE);
          continue;
        }
      else if (g_ascii_strcasecmp (words[1], "AUTHENTICATE") == 0 && encrypted &&
               words[2] != NULL && g_ascii_strcasecmp (words[2], "PLAIN") == 0)
        {
          g_autofree char *response = NULL;

          if (words[3] != NULL)
            response = g_strdup (words[3]);
          else
            {
              send_line (stream, "+ ", self->cancellable);
              if ((response = read_line (input, self->cancellable)) == NULL)
                return;
            }
          g_atomic_int_inc (&self->logins);
          if (check_plain (self, response))
            reply = g_strdup_printf ("%s OK Logged in.", words[0]);
          else
            reply = g_strdup_printf ("%s NO [AUTHENTICATIONFAILED] Authentication failed.", words[0]);
        }
      else if (g_ascii_strcasecmp (words[1], "LOGOUT") == 0)
        {
          send_line (stream, "* BYE Logging out", self->cancellable);
          reply = g_strdup_printf ("%s OK Logout completed.", words[0]);
          send_line (stream, reply, self->cancellable);
          g_io_stream_close (stream, NULL, NULL);
          return;
        }
      else
        reply = g_strdup_printf ("%s BAD Not supported here.", words[0]);

      send_line (stream, reply, self->cancellable);
    }
}

static void
serve_in_thread (gpointer data,
                 gpointer user_data)
{
  g_autoptr(GSocketConnection) connection = data;

  serve (user_data, connection);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

/* Each connection gets its own thread: the engine probes other settings while
 * its first connection is still open. */
static gpointer
run_server (gpointer data)
{
  FakeImap *self = data;

  for (;;)
    {
      GSocketConnection *connection;

      connection = g_socket_listener_accept (self->listener, NULL, self->cancellable, NULL);
      if (connection == NULL)
        break;
      g_thread_pool_push (self->connections, connection, NULL);
    }
  return NULL;
}

FakeImap *
fake_imap_new (FakeImapMode   mode,
               const char    *cert_file,
               const char    *key_file,
               const char    *password,
               GError       **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  FakeImap *self = g_new0 (FakeImap, 1);

  self->mode = mode;
  self->password = g_strdup (password);
  self->cancellable = g_cancellable_new ();
  self->listener = g_socket_listener_new ();

  if (!(self->certificate = g_tls_certificate_new_from_files (cert_file, key_file, error)) ||
      !g_socket_listener_add_address (self->listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, error))
    {
      fake_imap_free (self);
      return NULL;
    }

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  self->connections = g_thread_pool_new (serve_in_thread, self, -1, FALSE, NULL);
  self->thread = g_thread_new ("fake-imap", run_server, self);
  return self;
}

guint16
fake_imap_get_port (FakeImap *self)
{
  return self->port;
}

/* How many login attempts reached the server. */
guint
fake_imap_get_logins (FakeImap *self)
{
  return (guint)g_atomic_int_get (&self->logins);
}

void
fake_imap_free (FakeImap *self)
{
  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  if (self->thread != NULL)
    g_thread_join (self->thread);
  if (self->connections != NULL)
    g_thread_pool_free (self->connections, FALSE, TRUE);
  g_socket_listener_close (self->listener);
  g_clear_object (&self->listener);
  g_clear_object (&self->certificate);
  g_clear_object (&self->cancellable);
  g_free (self->password);
  g_free (self);
}
