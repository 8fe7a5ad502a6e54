/* mc-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-session"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-certificate.h"
#include "mc-diagnosis.h"
#include "mc-session.h"

#define MC_TRANSCRIPT_MAX_LINES 4000

G_DEFINE_QUARK (mc-check-error-quark, mc_check_error)

/* Shared between the worker and the deadline source on the caller's context, so
 * neither outlives the other's data. */
typedef struct
{
  GCancellable *cancellable;
  gint          hit;
} PhaseGuard;

static void
phase_guard_clear (gpointer data)
{
  PhaseGuard *guard = data;

  g_clear_object (&guard->cancellable);
}

static void
phase_guard_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, phase_guard_clear);
}

static PhaseGuard *
session_guard (McSession *self)
{
  return g_object_get_data (G_OBJECT (self->phase_cancellable), "mc-phase-guard");
}

static gboolean
deadline_expired (gpointer data)
{
  PhaseGuard *guard = data;

  g_atomic_int_set (&guard->hit, TRUE);
  g_cancellable_cancel (guard->cancellable);
  return G_SOURCE_REMOVE;
}

static void
user_cancelled (GCancellable *cancellable,
                gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

McSession *
mc_session_new (McSettings   *settings,
                GMainContext *caller_context,
                GCancellable *cancellable)
{
  McSession *self = g_new0 (McSession, 1);
  PhaseGuard *guard;

  self->settings = g_object_ref (settings);
  self->result = mc_result_new ();
  self->caller_context = caller_context ? g_main_context_ref (caller_context) : NULL;
  self->phase_cancellable = g_cancellable_new ();

  guard = g_atomic_rc_box_new0 (PhaseGuard);
  guard->cancellable = g_object_ref (self->phase_cancellable);
  g_object_set_data_full (G_OBJECT (self->phase_cancellable), "mc-phase-guard",
                          guard, phase_guard_unref);

  if (cancellable != NULL)
    {
      self->user_cancellable = g_object_ref (cancellable);
      self->user_cancelled_id = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (user_cancelled),
                                                       g_object_ref (self->phase_cancellable),
                                                       g_object_unref);
    }

  self->caps = g_ptr_array_new_with_free_func (g_free);
  return self;
}

static void
clear_deadline (McSession *self)
{
  if (self->deadline != NULL)
    {
      g_source_destroy (self->deadline);
      g_clear_pointer (&self->deadline, g_source_unref);
    }
}

static void
start_deadline (McSession *self)
{
  PhaseGuard *guard = session_guard (self);

  clear_deadline (self);
  self->deadline = g_timeout_source_new_seconds (mc_settings_get_timeout (self->settings));
  g_source_set_static_name (self->deadline, "[mc] phase deadline");
  g_source_set_callback (self->deadline, deadline_expired,
                         g_atomic_rc_box_acquire (guard), phase_guard_unref);
  g_source_attach (self->deadline, self->caller_context);
}

void
mc_session_free (McSession *self)
{
  if (self == NULL)
    return;

  clear_deadline (self);
  if (self->user_cancellable != NULL)
    g_cancellable_disconnect (self->user_cancellable, self->user_cancelled_id);
  g_clear_object (&self->user_cancellable);
  g_clear_pointer (&self->reader, mc_line_reader_free);
  g_clear_object (&self->tls);
  g_clear_object (&self->stream);
  g_clear_object (&self->connection);
  g_clear_object (&self->phase_cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->result, mc_result_unref);
  g_clear_pointer (&self->caps, g_ptr_array_unref);
  g_clear_pointer (&self->caller_context, g_main_context_unref);
  g_free (self->local_literal);
  if (self->step_data_destroy != NULL)
    self->step_data_destroy (self->step_data);
  g_free (self);
}

/* Step events ------------------------------------------------------------- */

typedef struct
{
  McStepFunc      func;
  gpointer        data;
  McStep         *step;
  guint           index;
} StepEvent;

static gboolean
dispatch_step_event (gpointer user_data)
{
  StepEvent *event = user_data;

  event->func (event->step, event->index, event->data);
  return G_SOURCE_REMOVE;
}

static void
step_event_free (gpointer user_data)
{
  StepEvent *event = user_data;

  mc_step_free (event->step);
  g_free (event);
}

static void
emit_step (McSession *self)
{
  StepEvent *event;

  if (self->step_func == NULL || self->step == NULL)
    return;

  event = g_new0 (StepEvent, 1);
  event->func = self->step_func;
  event->data = self->step_data;
  event->step = mc_step_copy (self->step);
  event->index = self->result->steps->len - 1;
  g_main_context_invoke_full (self->caller_context, G_PRIORITY_DEFAULT,
                              dispatch_step_event, event, step_event_free);
}

void
mc_session_step_begin (McSession *self,
                       McStepId   id)
{
  self->step = mc_result_add_step (self->result, id);
  self->step_started = g_get_monotonic_time ();
  start_deadline (self);
  emit_step (self);
}

void
mc_session_step_set_server (McSession  *self,
                            const char *server)
{
  g_return_if_fail (self->step != NULL);

  g_free (self->step->server);
  self->step->server = mc_sanitize_server_text (server, -1, MC_SERVER_TEXT_MAX_CHARS);
  self->step->server_before_tls = !mc_session_is_encrypted (self);
}

void
mc_session_step_finish (McSession    *self,
                        McStepStatus  status,
                        const char   *server,
                        const char   *summary)
{
  g_return_if_fail (self->step != NULL);

  self->step->status = status;
  self->step->ms = (g_get_monotonic_time () - self->step_started) / 1000;
  if (server != NULL)
    mc_session_step_set_server (self, server);
  if (summary != NULL)
    {
      g_free (self->step->summary);
      self->step->summary = g_strdup (summary);
    }
  clear_deadline (self);
  emit_step (self);
}

static void
skip_step (McSession  *self,
           McStepId    id,
           const char *summary)
{
  mc_session_step_begin (self, id);
  mc_session_step_finish (self, MC_STEP_STATUS_SKIPPED, NULL, summary);
}

/* I/O --------------------------------------------------------------------- */

gboolean
mc_session_is_encrypted (McSession *self)
{
  return self->tls != NULL;
}

static void
add_transcript (McSession  *self,
                char        direction,
                const char *text)
{
  GPtrArray *lines = self->result->transcript;

  if (lines->len > MC_TRANSCRIPT_MAX_LINES)
    return;
  if (lines->len == MC_TRANSCRIPT_MAX_LINES)
    {
      mc_result_add_transcript (self->result, '*', mc_session_is_encrypted (self),
                                "[transcript cut off]");
      return;
    }

  {
    g_autofree char *clean = mc_sanitize_server_text (text, -1, MC_SERVER_TEXT_MAX_CHARS);

    mc_result_add_transcript (self->result, direction, mc_session_is_encrypted (self), clean);
  }
}

void
mc_session_note (McSession  *self,
                 const char *text)
{
  add_transcript (self, '*', text);
}

/* Turns GIO's errors into the check's own words: a cancelled operation is a
 * timeout when the phase deadline fired, a closed connection is "closed". */
static void
translate_io_error (McSession  *self,
                    GError    **error)
{
  GError *err = error ? *error : NULL;

  if (err == NULL)
    return;

  if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_atomic_int_get (&session_guard (self)->hit))
    {
      g_clear_error (error);
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TIMEOUT,
                   ngettext ("The server did not answer within %u second.",
                             "The server did not answer within %u seconds.",
                             mc_settings_get_timeout (self->settings)),
                   mc_settings_get_timeout (self->settings));
    }
  else if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_clear_error (error);
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TIMEOUT,
                   ngettext ("The server did not answer within %u second.",
                             "The server did not answer within %u seconds.",
                             mc_settings_get_timeout (self->settings)),
                   mc_settings_get_timeout (self->settings));
    }
  else if (g_error_matches (err, MC_LINE_ERROR, MC_LINE_ERROR_CLOSED) ||
           g_error_matches (err, MC_LINE_ERROR, MC_LINE_ERROR_TRUNCATED) ||
           g_error_matches (err, G_TLS_ERROR, G_TLS_ERROR_EOF) ||
           g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
           g_error_matches (err, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    {
      g_clear_error (error);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_CLOSED,
                           _("The server closed the connection unexpectedly."));
    }
  else if (err->domain == MC_LINE_ERROR)
    {
      const char *message = err->code == MC_LINE_ERROR_TOO_LONG
        ? _("The server sent an overlong line.")
        : _("The server sent a NUL byte inside a line.");

      g_clear_error (error);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL, message);
    }
}

gboolean
mc_session_send (McSession   *self,
                 const char  *line,
                 const char  *shown,
                 GError     **error)
{
  g_autofree char *wire = NULL;
  GOutputStream *output;

  /* Input validation keeps CR and LF out of everything that reaches here; this is
   * the last line of defence against a command being split in two. */
  g_return_val_if_fail (strpbrk (line, "\r\n") == NULL, FALSE);

  add_transcript (self, 'C', shown ? shown : line);
  g_debug ("C: %s", shown ? shown : line);

  wire = g_strconcat (line, "\r\n", NULL);
  output = g_io_stream_get_output_stream (self->stream);
  if (!g_output_stream_write_all (output, wire, strlen (wire), NULL,
                                  self->phase_cancellable, error) ||
      !g_output_stream_flush (output, self->phase_cancellable, error))
    {
      explicit_bzero (wire, strlen (wire));
      translate_io_error (self, error);
      return FALSE;
    }

  explicit_bzero (wire, strlen (wire));
  return TRUE;
}

char *
mc_session_read_line (McSession  *self,
                      GError    **error)
{
  char *line = mc_line_reader_read_line (self->reader, NULL, self->phase_cancellable, error);

  if (line == NULL)
    {
      translate_io_error (self, error);
      return NULL;
    }

  add_transcript (self, 'S', line);
  return line;
}

GBytes *
mc_session_read_literal (McSession  *self,
                         gsize       count,
                         GError    **error)
{
  GBytes *bytes = mc_line_reader_read_bytes (self->reader, count, self->phase_cancellable, error);

  if (bytes == NULL)
    translate_io_error (self, error);
  return bytes;
}

/* Capabilities ------------------------------------------------------------ */

GPtrArray *
mc_split_tokens (const char *text)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_strsplit_set (text ? text : "", " \t", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] != '\0')
        g_ptr_array_add (tokens, g_strdup (parts[i]));
    }
  return tokens;
}

/* @caps holds one entry per capability: an IMAP atom, a POP3 CAPA line or an
 * SMTP EHLO keyword line. Entries learned before TLS and after TLS are kept
 * apart, and the current set is replaced, never merged. */
void
mc_session_set_capabilities (McSession *self,
                             GPtrArray *caps)
{
  GPtrArray *target = mc_session_is_encrypted (self)
    ? self->result->caps_after
    : self->result->caps_before;

  g_ptr_array_set_size (self->caps, 0);
  g_ptr_array_set_size (target, 0);
  for (guint i = 0; i < caps->len && i < MC_REPLY_MAX_LINES; i++)
    {
      const char *cap = g_ptr_array_index (caps, i);

      g_ptr_array_add (self->caps, g_strdup (cap));
      g_ptr_array_add (target, mc_sanitize_server_text (cap, -1, 200));
    }
  self->caps_known = TRUE;
}

static gboolean
keyword_equal (const char *entry,
               const char *token)
{
  gsize len = strlen (token);

  return g_ascii_strncasecmp (entry, token, len) == 0 &&
         (entry[len] == '\0' || entry[len] == ' ');
}

gboolean
mc_session_has_capability (McSession  *self,
                           const char *token)
{
  for (guint i = 0; i < self->caps->len; i++)
    {
      if (keyword_equal (g_ptr_array_index (self->caps, i), token))
        return TRUE;
    }
  return FALSE;
}

const char *
mc_session_find_capability (McSession  *self,
                            const char *keyword)
{
  for (guint i = 0; i < self->caps->len; i++)
    {
      const char *entry = g_ptr_array_index (self->caps, i);

      if (keyword_equal (entry, keyword))
        return entry;
    }
  return NULL;
}

/* Connect ----------------------------------------------------------------- */

typedef struct
{
  McSession          *session;
  GSocketConnection  *connection;
  GError             *error;
  gboolean            done;
  GPtrArray          *tried;
} ConnectData;

static void
socket_client_event (GSocketClient      *client,
                     GSocketClientEvent  event,
                     GSocketConnectable *connectable,
                     GIOStream          *connection,
                     gpointer            user_data)
{
  ConnectData *data = user_data;
  McSession *self = data->session;

  switch (event)
    {
    case G_SOCKET_CLIENT_RESOLVED:
      if (self->step != NULL && self->step->id == MC_STEP_RESOLVE &&
          self->step->status == MC_STEP_STATUS_RUNNING)
        mc_session_step_finish (self, MC_STEP_STATUS_OK, NULL, _("Found the server’s address."));
      break;

    case G_SOCKET_CLIENT_CONNECTING:
      {
        g_autoptr(GSocketAddress) remote = NULL;

        if (self->step == NULL || self->step->id != MC_STEP_CONNECT)
          {
            if (self->step != NULL && self->step->status == MC_STEP_STATUS_RUNNING)
              mc_session_step_finish (self, MC_STEP_STATUS_OK, NULL,
                                      _("Found the server’s address."));
            mc_session_step_begin (self, MC_STEP_CONNECT);
          }

        remote = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (connection), NULL);
        if (G_IS_INET_SOCKET_ADDRESS (remote))
          {
            GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
            g_autofree char *text = g_inet_address_to_string (inet);
            g_autofree char *note = g_strdup_printf ("connecting to %s port %u", text,
                                                     g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)));

            g_ptr_array_add (data->tried, g_steal_pointer (&text));
            mc_session_note (self, note);
          }
      }
      break;

    case G_SOCKET_CLIENT_PROXY_NEGOTIATING:
      mc_session_note (self, "connecting through a proxy server from the system settings");
      break;

    case G_SOCKET_CLIENT_RESOLVING:
    case G_SOCKET_CLIENT_CONNECTED:
    case G_SOCKET_CLIENT_PROXY_NEGOTIATED:
    case G_SOCKET_CLIENT_TLS_HANDSHAKING:
    case G_SOCKET_CLIENT_TLS_HANDSHAKED:
    case G_SOCKET_CLIENT_COMPLETE:
    default:
      break;
    }
}

static void
connect_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ConnectData *data = user_data;

  data->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &data->error);
  data->done = TRUE;
}

static gboolean
session_connect (McSession  *self,
                 GError    **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) address = NULL;
  g_autoptr(GPtrArray) tried = g_ptr_array_new_with_free_func (g_free);
  ConnectData data = { self, NULL, NULL, FALSE, tried };
  const char *host = mc_settings_get_host_ascii (self->settings);
  guint16 port = mc_settings_get_effective_port (self->settings);

  mc_session_step_begin (self, MC_STEP_RESOLVE);

  /* The async connect races IPv6 and IPv4 (RFC 8305); the sync one does not.
   * It runs on a private context of this worker thread. */
  g_main_context_push_thread_default (context);

  address = g_network_address_new (host, port);
  g_socket_client_set_timeout (client, mc_settings_get_timeout (self->settings));
  g_signal_connect (client, "event", G_CALLBACK (socket_client_event), &data);
  g_socket_client_connect_async (client, address, self->phase_cancellable, connect_done, &data);
  while (!data.done)
    g_main_context_iteration (context, TRUE);

  g_signal_handlers_disconnect_by_data (client, &data);
  g_main_context_pop_thread_default (context);

  if (data.connection == NULL)
    {
      g_propagate_error (error, data.error);
      translate_io_error (self, error);

      if (self->step->id == MC_STEP_RESOLVE && (*error)->domain == G_RESOLVER_ERROR)
        {
          const char *message = (*error)->message;
          g_autofree char *summary = g_strdup_printf (_("The server name “%s” could not be found."),
                                                      mc_settings_get_host_unicode (self->settings));

          g_debug ("resolve failed: %s", message);
          g_clear_error (error);
          g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_RESOLVE, summary);
        }
      else if (data.tried->len > 0 && (*error)->domain != MC_CHECK_ERROR)
        {
          g_autofree char *joined = NULL;
          g_autofree char *message = NULL;

          g_ptr_array_add (data.tried, NULL);
          joined = g_strjoinv (", ", (char **)data.tried->pdata);
          /* Translators: the first %s is a list of IP addresses, the second GLib's error message */
          message = g_strdup_printf (_("Tried %s: %s"), joined, (*error)->message);
          g_free ((*error)->message);
          (*error)->message = g_steal_pointer (&message);
        }
      return FALSE;
    }

  self->connection = data.connection;
  self->stream = g_object_ref (G_IO_STREAM (self->connection));
  self->reader = mc_line_reader_new (g_io_stream_get_input_stream (self->stream));
  /* A backstop behind the phase deadline: GSocket's timeout is per operation. */
  g_socket_set_timeout (g_socket_connection_get_socket (self->connection),
                        mc_settings_get_timeout (self->settings));

  {
    g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (self->connection, NULL);
    g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (self->connection, NULL);
    g_autofree char *text = NULL;
    g_autofree char *summary = NULL;

    if (G_IS_INET_SOCKET_ADDRESS (remote))
      {
        GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));

        text = g_inet_address_to_string (inet);
        self->result->address = g_strdup (text);
        if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
          /* Translators: %s is an IPv6 address, %u a port number */
          summary = g_strdup_printf (_("Connected to %s (IPv6), port %u."), text, port);
        else
          /* Translators: %s is an IPv4 address, %u a port number */
          summary = g_strdup_printf (_("Connected to %s (IPv4), port %u."), text, port);
      }

    if (G_IS_INET_SOCKET_ADDRESS (local))
      {
        GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
        g_autofree char *local_text = g_inet_address_to_string (inet);

        if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
          self->local_literal = g_strdup_printf ("[IPv6:%s]", local_text);
        else
          self->local_literal = g_strdup_printf ("[%s]", local_text);
      }
    else
      self->local_literal = g_strdup ("[127.0.0.1]");

    if (self->step->id == MC_STEP_RESOLVE)
      {
        mc_session_step_finish (self, MC_STEP_STATUS_OK, NULL, _("Found the server’s address."));
        mc_session_step_begin (self, MC_STEP_CONNECT);
      }
    mc_session_step_finish (self, MC_STEP_STATUS_OK, NULL, summary);
  }

  return TRUE;
}

/* TLS --------------------------------------------------------------------- */

static gboolean
accept_certificate (GTlsConnection       *connection,
                    GTlsCertificate      *certificate,
                    GTlsCertificateFlags  errors,
                    gpointer              user_data)
{
  McSession *self = user_data;

  /* Record, never accept: every flag GIO raises fails the check. */
  self->accepted_errors |= errors;
  return FALSE;
}

static const char *
tls_version_name (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0:
      return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
      return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
      return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
      return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
      return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0:
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2:
    default:
      return NULL;
    }
}

static GSocketConnectable *
server_identity (McSession *self)
{
  const char *host = mc_settings_get_host_ascii (self->settings);
  guint16 port = mc_settings_get_effective_port (self->settings);

  /* Always the host the user typed: never a name from the greeting, DNS or a
   * redirect (security rule 1). */
  if (g_hostname_is_ip_address (host))
    return G_SOCKET_CONNECTABLE (g_inet_socket_address_new_from_string (host, port));
  return g_network_address_new (host, port);
}

static gboolean
session_handshake (McSession  *self,
                   GError    **error)
{
  g_autoptr(GSocketConnectable) identity = server_identity (self);
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GTlsCertificate) peer = NULL;
  GTlsCertificateFlags errors;
  GTlsProtocolVersion version;
  const char *ca_file = mc_settings_get_ca_file (self->settings);

  tls = g_tls_client_connection_new (G_IO_STREAM (self->connection), identity, &local_error);
  if (tls == NULL)
    {
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TLS_UNAVAILABLE,
                   _("Encryption is not available on this computer: %s"), local_error->message);
      return FALSE;
    }

  if (ca_file != NULL)
    {
      g_autofree char *absolute = g_canonicalize_filename (ca_file, NULL);
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (absolute, &local_error);

      if (database == NULL)
        {
          g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TLS_FAILED,
                       _("The CA certificate file could not be read: %s"), local_error->message);
          return FALSE;
        }
      g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
    }

  self->accepted_errors = 0;
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate), self);

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), self->phase_cancellable, &local_error))
    {
      g_object_get (tls, "peer-certificate", &peer, NULL);
      errors = g_tls_connection_get_peer_certificate_errors (G_TLS_CONNECTION (tls)) |
               self->accepted_errors;
      if (peer != NULL)
        {
          g_clear_pointer (&self->result->certificate, mc_certificate_info_free);
          self->result->certificate = mc_certificate_info_new (peer, errors);
        }

      if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) ||
          (errors != 0 && local_error->domain == G_TLS_ERROR))
        {
          g_autofree char *problems = mc_certificate_describe_problems (errors);

          g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_CERTIFICATE,
                       _("The server’s certificate was not accepted: %s"), problems);
        }
      else if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_MISC) ||
               g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
        {
          g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_NOT_TLS,
                               _("The server did not answer with TLS."));
        }
      else if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_EOF))
        {
          g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TLS_FAILED,
                               _("The server closed the connection during the TLS handshake."));
        }
      else if (local_error->domain == G_TLS_ERROR)
        {
          g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TLS_FAILED,
                       _("The TLS handshake failed: %s"), local_error->message);
        }
      else
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          translate_io_error (self, error);
        }
      return FALSE;
    }

  g_object_get (tls, "peer-certificate", &peer, NULL);
  errors = g_tls_connection_get_peer_certificate_errors (G_TLS_CONNECTION (tls)) | self->accepted_errors;
  if (peer != NULL)
    {
      g_clear_pointer (&self->result->certificate, mc_certificate_info_free);
      self->result->certificate = mc_certificate_info_new (peer, errors);
    }

  version = g_tls_connection_get_protocol_version (G_TLS_CONNECTION (tls));
  g_free (self->result->tls_version);
  self->result->tls_version = g_strdup (tls_version_name (version));
  g_free (self->result->tls_cipher);
  self->result->tls_cipher = g_tls_connection_get_ciphersuite_name (G_TLS_CONNECTION (tls));

  /* GIO accepted the handshake, so errors is 0 here unless a backend differs;
   * never trust a connection that carries any flag. */
  if (errors != 0)
    {
      g_autofree char *problems = mc_certificate_describe_problems (errors);

      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_CERTIFICATE,
                   _("The server’s certificate was not accepted: %s"), problems);
      return FALSE;
    }

  if (version < G_TLS_PROTOCOL_VERSION_TLS_1_2 || version > G_TLS_PROTOCOL_VERSION_TLS_1_3)
    {
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TLS_VERSION,
                   /* Translators: %s is a protocol version such as "TLS 1.0" */
                   _("The server only offers %s, which is no longer considered secure."),
                   self->result->tls_version ? self->result->tls_version : _("an unknown TLS version"));
      return FALSE;
    }

  g_clear_object (&self->stream);
  g_clear_pointer (&self->reader, mc_line_reader_free);
  self->tls = G_TLS_CONNECTION (g_object_ref (tls));
  self->stream = g_steal_pointer (&tls);
  self->reader = mc_line_reader_new (g_io_stream_get_input_stream (self->stream));

  {
    g_autofree char *note = g_strdup_printf ("TLS established: %s, %s",
                                             self->result->tls_version,
                                             self->result->tls_cipher ? self->result->tls_cipher : "?");
    mc_session_note (self, note);
  }
  return TRUE;
}

static gboolean
run_tls_step (McSession  *self,
              GError    **error)
{
  g_autofree char *summary = NULL;

  mc_session_step_begin (self, MC_STEP_TLS);
  if (!session_handshake (self, error))
    return FALSE;

  if (self->result->certificate != NULL &&
      mc_certificate_info_has_problem (self->result->certificate, MC_CERTIFICATE_PROBLEM_NO_SAN))
    {
      /* Translators: %s is "TLS 1.3" or similar */
      summary = g_strdup_printf (_("Encrypted with %s, but the certificate names the server only in its "
                                   "subject, not in a subject alternative name."),
                                 self->result->tls_version);
      mc_session_step_finish (self, MC_STEP_STATUS_WARNING, NULL, summary);
      return TRUE;
    }

  /* Translators: %s is "TLS 1.3" or similar */
  summary = g_strdup_printf (_("Encrypted with %s; the certificate is valid for this server."),
                             self->result->tls_version);
  mc_session_step_finish (self, MC_STEP_STATUS_OK, NULL, summary);
  return TRUE;
}

/* STARTTLS: the dialogue sends the command and reads the positive answer; then
 * nothing may be left over or already waiting, since no byte from the server is
 * legitimate before our ClientHello (security rule 4). */
static gboolean
run_starttls (McSession          *self,
              const McDialogue   *dialogue,
              GError            **error)
{
  GSocket *socket = g_socket_connection_get_socket (self->connection);

  mc_session_step_begin (self, MC_STEP_STARTTLS);

  if (!mc_session_has_capability (self, dialogue->starttls_capability))
    {
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_STARTTLS_NOT_OFFERED,
                   /* Translators: %s is STARTTLS or STLS, a protocol keyword */
                   _("The server does not offer %s, so the connection cannot be encrypted."),
                   dialogue->starttls_capability);
      return FALSE;
    }

  if (!dialogue->starttls (self, error))
    return FALSE;

  if (mc_line_reader_get_buffered (self->reader) > 0 ||
      g_socket_condition_check (socket, G_IO_IN) != 0)
    {
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_INJECTION,
                           _("The server sent data after agreeing to STARTTLS and before encryption "
                             "started. Someone may be tampering with the connection."));
      return FALSE;
    }

  mc_session_step_finish (self, MC_STEP_STATUS_OK, NULL, _("The server agreed to switch to encryption."));

  if (!run_tls_step (self, error))
    return FALSE;

  /* Everything learned before TLS is forgotten (RFC 2595 §3.1, RFC 3207 §4.2). */
  g_ptr_array_set_size (self->caps, 0);
  self->caps_known = FALSE;
  return TRUE;
}


/* Probes ------------------------------------------------------------------ */

/* Runs the same check with other settings and no password, so advice only
 * proposes what really answered (and nothing can lock the account out). */
static McResult *
run_probe (McSession  *self,
           McSecurity  security,
           guint16     port)
{
  g_autoptr(McSettings) settings = mc_settings_copy (self->settings);
  McSession *probe;
  McResult *result;

  mc_settings_set_password (settings, NULL);
  mc_settings_set_security (settings, security);
  mc_settings_set_port (settings, port);
  mc_settings_set_timeout (settings, MIN (mc_settings_get_timeout (self->settings), 5));

  probe = mc_session_new (settings, self->caller_context, self->user_cancellable);
  probe->is_probe = TRUE;
  mc_session_run (probe);
  result = mc_result_ref (probe->result);
  mc_session_free (probe);

  {
    g_autofree char *note = g_strdup_printf ("probe without password: %s on port %u with %s: %s",
                                             mc_protocol_display_name (result->protocol), port,
                                             mc_security_display_name (security),
                                             result->verdict == MC_VERDICT_FAILED ? "no" : "answered");
    mc_session_note (self, note);
  }
  return result;
}

static gboolean
probe_reached_tls (McResult *result)
{
  McStep *tls = mc_result_find_step (result, MC_STEP_TLS);

  /* A certificate means a TLS server answered, even if the check failed later. */
  return result->certificate != NULL ||
         (tls != NULL && (tls->status == MC_STEP_STATUS_OK || tls->status == MC_STEP_STATUS_WARNING));
}

static gboolean
probe_greeted (McResult *result)
{
  McStep *greeting = mc_result_find_step (result, MC_STEP_GREETING);

  return greeting != NULL && greeting->status != MC_STEP_STATUS_FAILED &&
         greeting->status != MC_STEP_STATUS_RUNNING;
}

/* SSL/TLS was chosen but the server spoke plaintext (GIO only says "unexpected
 * TLS packet"): look at what the port really does before advising. */
static void
classify_plaintext_port (McSession *self)
{
  McProtocol protocol = mc_settings_get_protocol (self->settings);
  guint16 port = mc_settings_get_effective_port (self->settings);
  guint16 tls_port = mc_default_port (protocol, MC_SECURITY_TLS);
  g_autoptr(McResult) starttls = run_probe (self, MC_SECURITY_STARTTLS, port);
  g_autoptr(McResult) implicit = NULL;
  gboolean starttls_works = starttls->verdict != MC_VERDICT_FAILED;
  gboolean implicit_works = FALSE;
  g_autofree char *text = NULL;
  McAdvice *advice;

  if (tls_port != port)
    {
      implicit = run_probe (self, MC_SECURITY_TLS, tls_port);
      implicit_works = implicit->verdict != MC_VERDICT_FAILED;
    }

  if (starttls_works && implicit_works)
    /* Translators: %u is a port number such as 993 */
    text = g_strdup_printf (_("This port starts unencrypted. Set Security to STARTTLS — or keep SSL/TLS "
                              "and use port %u."), tls_port);
  else if (starttls_works)
    text = g_strdup (_("This port starts unencrypted. Set Security to STARTTLS."));
  else if (implicit_works)
    /* Translators: %u is a port number such as 993 */
    text = g_strdup_printf (_("This port starts unencrypted and offers no way to encrypt. Keep SSL/TLS and "
                              "use port %u."), tls_port);

  if (starttls_works || implicit_works)
    mc_result_remove_advice (self->result, "tls-failed");

  if (starttls_works)
    {
      advice = mc_result_add_advice (self->result, "use-starttls", text);
      advice->fix_security = MC_SECURITY_STARTTLS;
    }
  else if (implicit_works)
    {
      advice = mc_result_add_advice (self->result, "use-implicit-tls", text);
      advice->fix_port = tls_port;
    }
  else if (probe_greeted (starttls))
    mc_result_add_advice (self->result, "starttls-not-offered",
                          _("This port starts unencrypted and offers no way to encrypt the connection, so "
                            "no password can be sent safely. Ask the provider for the right port."));
}

static void
advise_implicit_tls (McSession *self)
{
  McProtocol protocol = mc_settings_get_protocol (self->settings);
  guint16 port = mc_settings_get_effective_port (self->settings);
  guint16 starttls_port = mc_default_port (protocol, MC_SECURITY_STARTTLS);
  g_autofree char *text = NULL;
  McAdvice *advice;

  if (starttls_port != port)
    {
      g_autoptr(McResult) starttls = run_probe (self, MC_SECURITY_STARTTLS, starttls_port);

      if (starttls->verdict != MC_VERDICT_FAILED)
        /* Translators: the first %u is a port number, the second the STARTTLS port (143, 110 or 587) */
        text = g_strdup_printf (_("Port %u expects encryption from the first byte. Set Security to SSL/TLS — "
                                  "or keep STARTTLS and use port %u."), port, starttls_port);
    }
  if (text == NULL)
    /* Translators: %u is a port number */
    text = g_strdup_printf (_("Port %u expects encryption from the first byte. Set Security to SSL/TLS."),
                            port);

  advice = mc_result_add_advice (self->result, "use-implicit-tls", text);
  advice->fix_security = MC_SECURITY_TLS;
}

/* STARTTLS or no encryption was chosen and no greeting came: a server that
 * waits for a TLS ClientHello stays silent. Ask it with a TLS handshake (no
 * credentials) long before the full timeout would fire. */
static gboolean
wait_for_greeting (McSession  *self,
                   GError    **error)
{
  GSocket *socket = g_socket_connection_get_socket (self->connection);
  guint timeout = mc_settings_get_timeout (self->settings);
  gint64 early = MIN (3, timeout / 2) * G_USEC_PER_SEC;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(McResult) probe = NULL;

  if (early <= 0 || mc_line_reader_get_buffered (self->reader) > 0)
    return TRUE;

  if (g_socket_condition_timed_wait (socket, G_IO_IN, early, self->phase_cancellable, &local_error))
    return TRUE;
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      translate_io_error (self, error);
      return FALSE;
    }

  probe = run_probe (self, MC_SECURITY_TLS, mc_settings_get_effective_port (self->settings));
  if (probe_reached_tls (probe))
    {
      advise_implicit_tls (self);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_EXPECTS_TLS,
                           _("No greeting arrived: this port waits for encryption from the first byte "
                             "(SSL/TLS)."));
      return FALSE;
    }

  /* Not TLS either: keep waiting for a slow greeting until the deadline. */
  return TRUE;
}

static const McDialogue *
dialogue_for (McProtocol protocol)
{
  switch (protocol)
    {
    case MC_PROTOCOL_POP3:
      return &mc_pop3_dialogue;
    case MC_PROTOCOL_IMAP:
      return &mc_imap_dialogue;
    case MC_PROTOCOL_SMTP:
      return &mc_smtp_dialogue;
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
fail_current_step (McSession    *self,
                   const GError *error)
{
  if (self->step != NULL && self->step->status == MC_STEP_STATUS_RUNNING)
    mc_session_step_finish (self, MC_STEP_STATUS_FAILED, NULL, error->message);
  mc_diagnosis_explain_error (self->result, self->settings, self->step ? self->step->id : MC_STEP_RESOLVE,
                              error);
}

static void
close_quietly (McSession *self)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  if (self->stream == NULL)
    return;

  /* Closing TLS sends close_notify; never let a dead peer hold the check. */
  if (!g_cancellable_is_cancelled (self->phase_cancellable))
    g_io_stream_close (self->stream, self->phase_cancellable, NULL);
  else
    g_io_stream_close (G_IO_STREAM (self->connection), cancellable, NULL);
}

/* Runs the whole check in the calling (worker) thread. Every outcome, including a
 * cancelled check, ends up in self->result. */
void
mc_session_run (McSession *self)
{
  g_autoptr(GError) error = NULL;
  const McDialogue *dialogue = dialogue_for (mc_settings_get_protocol (self->settings));
  McSecurity security = mc_settings_get_security (self->settings);
  McResult *result = self->result;
  gboolean logged_in = FALSE;

  result->protocol = mc_settings_get_protocol (self->settings);
  result->host = g_strdup (mc_settings_get_host_unicode (self->settings));
  result->host_ascii = g_strdup (mc_settings_get_host_ascii (self->settings));
  result->port = mc_settings_get_effective_port (self->settings);
  result->security = security;
  result->user = g_strdup (mc_settings_get_user (self->settings));

  if (security != MC_SECURITY_NONE && !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      mc_session_step_begin (self, MC_STEP_RESOLVE);
      g_set_error_literal (&error, MC_CHECK_ERROR, MC_CHECK_ERROR_TLS_UNAVAILABLE,
                           _("Encryption is not available on this computer: the TLS support of "
                             "GLib (glib-networking) is missing."));
      goto failed;
    }

  if (!session_connect (self, &error))
    goto failed;

  if (security == MC_SECURITY_TLS && !run_tls_step (self, &error))
    goto failed;

  mc_session_step_begin (self, MC_STEP_GREETING);
  if (security != MC_SECURITY_TLS && !self->is_probe && !wait_for_greeting (self, &error))
    goto failed;
  if (!dialogue->greeting (self, &error))
    goto failed;

  if (self->preauth && security == MC_SECURITY_STARTTLS)
    {
      /* A pre-authenticated plaintext session can never be upgraded (rule 5). */
      g_set_error_literal (&error, MC_CHECK_ERROR, MC_CHECK_ERROR_PREAUTH,
                           _("The server logged in without a password before encryption, so STARTTLS is "
                             "impossible. Someone may be tampering with the connection."));
      mc_session_step_finish (self, MC_STEP_STATUS_FAILED, NULL, error->message);
      goto failed;
    }

  if (!dialogue->capabilities (self, &error))
    goto failed;

  if (security == MC_SECURITY_STARTTLS)
    {
      if (!run_starttls (self, dialogue, &error))
        goto failed;
      if (!dialogue->capabilities (self, &error))
        goto failed;
    }

  if (self->preauth)
    {
      skip_step (self, MC_STEP_LOGIN, _("The server logged in without asking for the password."));
      mc_diagnosis_add (result, self->settings, "preauth");
    }
  else if (security == MC_SECURITY_NONE)
    {
      skip_step (self, MC_STEP_LOGIN,
                 _("Not tried: the password would travel unencrypted. Nothing was sent."));
      mc_diagnosis_add (result, self->settings, "plaintext-not-allowed");
    }
  else if (!mc_settings_has_password (self->settings))
    {
      skip_step (self, MC_STEP_LOGIN, _("Not tried: no password was given."));
    }
  else
    {
      mc_session_step_begin (self, MC_STEP_LOGIN);
      if (!dialogue->login (self, &error))
        {
          fail_current_step (self, error);
          g_clear_error (&error);
          /* Log out politely even after a rejected login, unless the connection is gone. */
        }
      else
        logged_in = TRUE;
    }

  if (g_cancellable_is_cancelled (self->phase_cancellable))
    goto finish;

  mc_session_step_begin (self, MC_STEP_LOGOUT);
  if (!dialogue->logout (self, &error))
    {
      /* The login result stands; a server that drops the line on LOGOUT only
       * earns a warning. */
      mc_session_step_finish (self, MC_STEP_STATUS_WARNING, NULL, error->message);
      g_clear_error (&error);
    }
  (void)logged_in;
  goto finish;

failed:
  fail_current_step (self, error);
  if (!self->is_probe && security == MC_SECURITY_TLS &&
      g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_NOT_TLS))
    classify_plaintext_port (self);

finish:
  close_quietly (self);
  mc_result_update_verdict (result);
}
