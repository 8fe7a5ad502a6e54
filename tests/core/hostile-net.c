/* hostile-net.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hostile-net"

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "hostile-net.h"

/* The relay ------------------------------------------------------------------- */

/* Follows the TLS records of a stream; returns how many application-data records
 * (content type 23) began in @data. */
static guint
records_walk (RecordCursor *cursor,
              const guint8 *data,
              gsize         len)
{
  guint app_records = 0;
  gsize i = 0;

  while (i < len)
    {
      gsize take;

      if (cursor->head_len < 5)
        {
          cursor->head[cursor->head_len++] = data[i++];
          if (cursor->head_len == 5)
            {
              cursor->body_left = ((gsize)cursor->head[3] << 8) | cursor->head[4];
              app_records += cursor->head[0] == 0x17;
              if (cursor->body_left == 0)
                cursor->head_len = 0;
            }
          continue;
        }
      take = MIN (cursor->body_left, len - i);
      i += take;
      cursor->body_left -= take;
      if (cursor->body_left == 0)
        cursor->head_len = 0;
    }
  return app_records;
}

static gboolean
send_all (GSocket      *socket,
          const guint8 *data,
          gsize         len)
{
  while (len > 0)
    {
      gssize n = g_socket_send (socket, (const char *)data, len, NULL, NULL);

      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

/* Moves the complete records at the start of @pending to @client, except the
 * newest, which waits in @held: in TLS 1.3 a close_notify is an encrypted record
 * like any other, recognisable only as the last one before the server's FIN. */
static gboolean
forward_holding_last (GSocket    *client,
                      GByteArray *pending,
                      GByteArray *held,
                      gint64     *held_at)
{
  while (pending->len >= 5)
    {
      gsize size = 5 + (((gsize)pending->data[3] << 8) | pending->data[4]);

      if (pending->len < size)
        break;
      if (held->len > 0 && !send_all (client, held->data, held->len))
        return FALSE;
      g_byte_array_set_size (held, 0);
      g_byte_array_append (held, pending->data, size);
      g_byte_array_remove_range (pending, 0, size);
      *held_at = g_get_monotonic_time ();
    }
  return TRUE;
}

static void
relay_note (Relay        *relay,
            char          direction,
            const guint8 *data,
            gsize         len)
{
  g_mutex_lock (&relay->mutex);
  g_string_append_printf (relay->order, "\n%c:", direction);
  for (gsize i = 0; i < MIN (len, 200); i++)
    g_string_append_c (relay->order, data[i] >= 0x20 && data[i] < 0x7f ? (char)data[i] : '.');
  g_mutex_unlock (&relay->mutex);
}

static void
reset_socket (GSocket *socket)
{
  struct linger linger = { 1, 0 };

  /* SO_LINGER with a zero timeout: close() sends RST instead of FIN. */
  setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  g_socket_close (socket, NULL);
}

static void
relay_pump (Relay   *relay,
            GSocket *client,
            GSocket *server)
{
  RecordCursor from_client = { { 0 }, 0, 0 };
  RecordCursor from_server = { { 0 }, 0, 0 };
  g_autoptr(GByteArray) pending = g_byte_array_new ();
  g_autoptr(GByteArray) held = g_byte_array_new ();
  gint64 held_at = 0;
  gboolean inject_due = FALSE;
  guint8 buffer[16384];

  while (!g_atomic_int_get (&relay->stop))
    {
      GPollFD fds[2] = { { g_socket_get_fd (client), G_IO_IN, 0 },
                         { g_socket_get_fd (server), G_IO_IN, 0 } };
      gssize n;

      g_poll (fds, 2, 10);

      if (fds[0].revents != 0)
        {
          n = g_socket_receive (client, (char *)buffer, sizeof buffer, NULL, NULL);
          if (n <= 0)
            {
              /* The client hung up first; the server's FIN may be on its way. */
              while (relay->cut_unclean && held->len > 0 &&
                     g_socket_condition_timed_wait (server, G_IO_IN, 200 * 1000, NULL, NULL))
                {
                  n = g_socket_receive (server, (char *)buffer, sizeof buffer, NULL, NULL);
                  if (n <= 0)
                    {
                      relay->withheld++;
                      break;
                    }
                  g_byte_array_append (pending, buffer, n);
                  forward_holding_last (client, pending, held, &held_at);
                }
              return;
            }
          relay_note (relay, 'C', buffer, n);
          if (relay->inject != NULL && !relay->injected &&
              records_walk (&from_client, buffer, n) > 0)
            inject_due = TRUE;
          if (!send_all (server, buffer, n))
            return;
        }

      if (fds[1].revents != 0)
        {
          n = g_socket_receive (server, (char *)buffer, sizeof buffer, NULL, NULL);
          if (n <= 0)
            {
              /* The server's FIN: what it sent last never reaches the client. */
              relay->withheld += held->len > 0;
              return;
            }
          relay_note (relay, 'S', buffer, n);
          records_walk (&from_server, buffer, n);
          if (relay->cut_unclean)
            {
              g_byte_array_append (pending, buffer, n);
              if (!forward_holding_last (client, pending, held, &held_at))
                return;
            }
          else if (!send_all (client, buffer, n))
            return;
          if (relay->reset_after != NULL &&
              g_strstr_len ((const char *)buffer, n, relay->reset_after) != NULL)
            {
              reset_socket (client);
              return;
            }
        }

      /* A record the server did not follow up with its FIN goes on after 30 ms. */
      if (held->len > 0 && g_get_monotonic_time () - held_at > 30 * 1000)
        {
          if (!send_all (client, held->data, held->len))
            return;
          g_byte_array_set_size (held, 0);
        }

      /* Injected at a record boundary, so the client reads it as a record. */
      if (inject_due && from_server.head_len == 0)
        {
          send_all (client, (const guint8 *)relay->inject, strlen (relay->inject));
          relay->injected = TRUE;
          inject_due = FALSE;
        }
    }
}

static gpointer
relay_thread (gpointer data)
{
  Relay *relay = data;
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GSocket) server = NULL;
  g_autoptr(GSocketAddress) target = NULL;

  while (!g_atomic_int_get (&relay->stop) &&
         !g_socket_condition_timed_wait (relay->listener, G_IO_IN, 50 * 1000, NULL, NULL))
    ;
  client = g_socket_accept (relay->listener, NULL, NULL);
  /* One connection only: a client that tries again is refused. */
  g_socket_close (relay->listener, NULL);
  if (client == NULL)
    return NULL;
  g_socket_set_blocking (client, TRUE);

  if (relay->reset_at_once)
    {
      reset_socket (client);
      return NULL;
    }

  server = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  target = g_inet_socket_address_new_from_string ("127.0.0.1", relay->target);
  if (g_socket_connect (server, target, NULL, NULL))
    relay_pump (relay, client, server);

  if (!g_socket_is_closed (client))
    g_socket_close (client, NULL);
  g_socket_close (server, NULL);
  return NULL;
}

guint16
relay_start (Relay   *relay,
             guint16  target)
{
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;

  relay->target = target;
  relay->order = g_string_new (NULL);
  g_mutex_init (&relay->mutex);
  relay->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                  &error);
  g_assert_no_error (error);
  g_socket_bind (relay->listener, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (relay->listener, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (relay->listener, &error);
  g_assert_no_error (error);
  relay->thread = g_thread_new ("hostile-relay", relay_thread, relay);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
}

void
relay_finish (Relay *relay)
{
  g_atomic_int_set (&relay->stop, TRUE);
  g_thread_join (relay->thread);
  g_clear_object (&relay->listener);
  g_mutex_clear (&relay->mutex);
}

void
relay_clear (Relay *relay)
{
  if (relay->order != NULL)
    g_string_free (relay->order, TRUE);
}

/* Runs @s with @relay between the engine and the fake server. */
void
scenario_play_relayed (const Scenario *s,
                       Relay          *relay,
                       Outcome        *out)
{
  guint16 port;

  out->server = scenario_server (s);
  port = relay_start (relay, fake_server_start (out->server));
  scenario_play_on (s, port, out);
  relay_finish (relay);
}

/* Names for a few tests ---------------------------------------------------- */

GResolver *
use_test_names (void)
{
  GResolver *previous = g_resolver_get_default ();
  g_autoptr(McTestResolver) mine = mc_test_resolver_new ();
  const char * const loopback[] = { "127.0.0.1", NULL };
  /* ::1 first: the tests make it dead, and the engine must fall back. */
  const char * const dual[] = { "::1", "127.0.0.1", NULL };

  mc_test_resolver_add (mine, "*.test", loopback);
  mc_test_resolver_add (mine, "dual.test", dual);
  g_resolver_set_default (G_RESOLVER (mine));
  return previous;
}

void
restore_resolver (GResolver *previous)
{
  g_resolver_set_default (previous);
  g_object_unref (previous);
}

guint16
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
}

GSocket *
black_hole_or_skip (GPtrArray *fillers)
{
  GSocket *hole = mc_test_black_hole_new (G_SOCKET_FAMILY_IPV4, 0, fillers);

  if (hole == NULL)
    g_test_skip ("a full accept queue does not stall connect() on this system");
  return hole;
}
