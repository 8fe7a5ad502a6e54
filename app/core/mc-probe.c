/* mc-probe.c
 *
 * Probes after a failure: the same dialogue with other settings and no
 * password, so advice names only what really answered. Each probe is a session
 * of its own, with a short budget of its own, cancelled with the check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-probe"

#include "config.h"

#include "mc-diagnosis-private.h"
#include "mc-probe-private.h"

void
mc_probe_free (McProbe *probe)
{
  if (probe == NULL)
    return;
  g_free (probe->tls_error);
  g_clear_object (&probe->address);
  g_free (probe);
}

static McProbe *
probe_run (McSession    *parent,
           McEndpoint    endpoint,
           GInetAddress *address,
           GCancellable *cancellable,
           guint         timeout);

McProbe *
mc_probe_run (McSession    *parent,
              McEndpoint    endpoint,
              GCancellable *cancellable,
              guint         timeout)
{
  return probe_run (parent, endpoint, NULL, cancellable, timeout);
}

/* @address: NULL, or the one address to connect to (of the name's). */
static McProbe *
probe_run (McSession    *parent,
           McEndpoint    endpoint,
           GInetAddress *address,
           GCancellable *cancellable,
           guint         timeout)
{
  g_autoptr(McSettings) settings = mc_settings_copy (parent->settings);
  g_autoptr(McSession) session = NULL;
  McProbe *probe = g_new0 (McProbe, 1);
  McStep *greeting;
  McStep *tls;

  mc_settings_set_password (settings, NULL);
  mc_settings_set_security (settings, endpoint.security);
  mc_settings_set_port (settings, endpoint.port);
  mc_settings_set_timeout (settings, MAX (timeout, 1));

  session = mc_session_new (settings, parent->caller_context, cancellable);
  session->is_probe = TRUE;
  session->pinned_address = address ? g_object_ref (address) : NULL;
  mc_session_run (session);

  greeting = mc_result_find_step (session->result, MC_STEP_GREETING);
  tls = mc_result_find_step (session->result, MC_STEP_TLS);
  probe->endpoint = endpoint;
  probe->address = address ? g_object_ref (address) : NULL;
  probe->works = session->result->verdict != MC_VERDICT_FAILED;
  probe->greeted = greeting != NULL && (greeting->status == MC_STEP_STATUS_OK ||
                                        greeting->status == MC_STEP_STATUS_WARNING);
  /* A certificate or an alert: a TLS server answered, even if the check failed later. */
  probe->tls_answered = session->result->certificate != NULL || session->tls_alert != NULL ||
                        (tls != NULL && (tls->status == MC_STEP_STATUS_OK || tls->status == MC_STEP_STATUS_WARNING));
  probe->starttls_offered = session->starttls_offered;
  if (tls != NULL && tls->status == MC_STEP_STATUS_FAILED)
    probe->tls_error = g_strdup (tls->summary);

  {
    g_autofree char *at = address ? g_inet_address_to_string (address) : NULL;
    g_autofree char *note = g_strdup_printf ("probe without password: %s on port %u with %s%s%s: %s",
                                             mc_protocol_display_name (mc_settings_get_protocol (settings)),
                                             endpoint.port, mc_security_display_name (endpoint.security),
                                             at ? " at " : "", at ? at : "",
                                             probe->works ? "answered" : "no");
    mc_session_note (parent, note);
  }
  return probe;
}

/* Probes after a failure get their own, shorter budget; the check is over. */
static guint
after_failure_timeout (McSession *self)
{
  return MIN (mc_settings_get_timeout (self->settings), 5);
}

/* The first of the usual endpoints with @security on another port than the
 * one tested, or FALSE. */
static gboolean
usual_endpoint (McSession  *self,
                McSecurity  security,
                McEndpoint *endpoint)
{
  g_autoptr(GArray) usual = mc_diagnosis_usual_endpoints (self->settings);
  guint16 port = mc_settings_get_effective_port (self->settings);

  for (guint i = 0; i < usual->len; i++)
    {
      const McEndpoint *candidate = &g_array_index (usual, McEndpoint, i);

      if (candidate->security == security && candidate->port != port)
        {
          *endpoint = *candidate;
          return TRUE;
        }
    }
  return FALSE;
}

/* SSL/TLS was chosen but the server spoke plaintext (GIO only says "unexpected
 * TLS packet"): does this port offer STARTTLS, and does the usual SSL/TLS port
 * answer? */
void
mc_probe_plaintext_port (McSession *self)
{
  McEndpoint here = { mc_settings_get_effective_port (self->settings), MC_SECURITY_STARTTLS };
  McEndpoint elsewhere;

  g_clear_pointer (&self->probe_here, mc_probe_free);
  g_clear_pointer (&self->probe_elsewhere, mc_probe_free);
  self->probe_here = mc_probe_run (self, here, self->check_cancellable, after_failure_timeout (self));
  if (usual_endpoint (self, MC_SECURITY_TLS, &elsewhere))
    self->probe_elsewhere = mc_probe_run (self, elsewhere, self->check_cancellable, after_failure_timeout (self));
}

/* STARTTLS or no encryption was chosen and no greeting came: does the port
 * wait for a TLS handshake, and does the usual STARTTLS port answer? The
 * probes share what is left of the phase (rule 9): the phase cancellable is
 * cancelled when it runs out. */
gboolean
mc_probe_expects_tls (McSession *self,
                      guint      timeout)
{
  McEndpoint here = { mc_settings_get_effective_port (self->settings), MC_SECURITY_TLS };
  McEndpoint elsewhere;

  g_clear_pointer (&self->probe_here, mc_probe_free);
  g_clear_pointer (&self->probe_elsewhere, mc_probe_free);
  self->probe_here = mc_probe_run (self, here, self->phase_cancellable, timeout);
  if (!self->probe_here->tls_answered)
    return FALSE;

  if (usual_endpoint (self, MC_SECURITY_STARTTLS, &elsewhere))
    self->probe_elsewhere = mc_probe_run (self, elsewhere, self->phase_cancellable, timeout);
  return TRUE;
}

/* Port scan ------------------------------------------------------------------ */

typedef struct
{
  GSocketConnection *connection;
  gboolean           done;
} PortScan;

static void
port_scan_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  PortScan *scan = user_data;

  scan->connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, NULL);
  scan->done = TRUE;
}

/* The signal hands over the cancellable that fired; cancel the one in @data. */
static void
forward_cancel (GCancellable *cancelled,
                gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static gboolean
cancel_scan (gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
  return G_SOURCE_REMOVE;
}

/* What ends a look on a private context early: its deadline, or the end of
 * the check. */
typedef struct
{
  GSource *deadline;
  gulong   cancel_id;
} Watch;

/* Cancels @cancellable after @ms on @context, or when the check is cancelled. */
static void
watch_start (McSession    *self,
             GMainContext *context,
             GCancellable *cancellable,
             guint         ms,
             Watch        *watch)
{
  watch->cancel_id = g_cancellable_connect (self->check_cancellable, G_CALLBACK (forward_cancel),
                                            g_object_ref (cancellable), g_object_unref);
  watch->deadline = g_timeout_source_new (ms);
  g_source_set_callback (watch->deadline, cancel_scan, cancellable, NULL);
  g_source_attach (watch->deadline, context);
}

static void
watch_stop (McSession *self,
            Watch     *watch)
{
  g_source_destroy (watch->deadline);
  g_clear_pointer (&watch->deadline, g_source_unref);
  if (watch->cancel_id != 0)
    g_cancellable_disconnect (self->check_cancellable, watch->cancel_id);
}

/* Which of @candidates accept a TCP connection, all at once and within a few
 * seconds. Nothing is sent on them. */
static GArray *
scan_ports (McSession        *self,
            const McEndpoint *candidates,
            guint             n)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree PortScan *scans = g_new0 (PortScan, n);
  GArray *open = g_array_new (FALSE, FALSE, sizeof (McEndpoint));
  Watch watch;
  guint pending;

  g_main_context_push_thread_default (context);
  watch_start (self, context, cancellable, 1000 * MIN (3, mc_settings_get_timeout (self->settings)), &watch);

  g_socket_client_set_timeout (client, MIN (3, mc_settings_get_timeout (self->settings)));
  g_socket_client_set_enable_proxy (client, FALSE);
  for (guint i = 0; i < n; i++)
    g_socket_client_connect_to_host_async (client, mc_settings_get_host_ascii (self->settings),
                                           candidates[i].port, cancellable, port_scan_done, &scans[i]);

  do
    {
      g_main_context_iteration (context, TRUE);
      pending = 0;
      for (guint i = 0; i < n; i++)
        pending += !scans[i].done;
    }
  while (pending > 0);

  watch_stop (self, &watch);
  g_main_context_pop_thread_default (context);

  for (guint i = 0; i < n; i++)
    {
      if (scans[i].connection != NULL)
        {
          g_array_append_val (open, candidates[i]);
          g_io_stream_close (G_IO_STREAM (scans[i].connection), NULL, NULL);
          g_object_unref (scans[i].connection);
        }
    }
  return open;
}

/* The tested port refused or did not answer: which of the protocol's usual
 * ports of the same host accept a connection (@answering), and what a probe
 * finds on each of them (returned, McProbe). */
GPtrArray *
mc_probe_other_ports (McSession  *self,
                      GArray    **answering)
{
  g_autoptr(GArray) usual = mc_diagnosis_usual_endpoints (self->settings);
  g_autoptr(GArray) others = g_array_new (FALSE, FALSE, sizeof (McEndpoint));
  guint16 port = mc_settings_get_effective_port (self->settings);
  GPtrArray *probes = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_probe_free);

  for (guint i = 0; i < usual->len; i++)
    {
      if (g_array_index (usual, McEndpoint, i).port != port)
        g_array_append_val (others, g_array_index (usual, McEndpoint, i));
    }

  *answering = scan_ports (self, (const McEndpoint *)(gpointer)others->data, others->len);
  for (guint i = 0; i < (*answering)->len; i++)
    g_ptr_array_add (probes, mc_probe_run (self, g_array_index (*answering, McEndpoint, i),
                                           self->check_cancellable, after_failure_timeout (self)));
  return probes;
}

/* STARTTLS was missing: does SSL/TLS on one of the usual ports work (for the
 * provider's server only its published ones)? The first that works, or the
 * last tried when none does; NULL when there is none to try. */
McProbe *
mc_probe_implicit_tls (McSession *self)
{
  g_autoptr(GArray) usual = mc_diagnosis_usual_endpoints (self->settings);
  McProbe *probe = NULL;

  for (guint i = 0; i < usual->len; i++)
    {
      McEndpoint endpoint = g_array_index (usual, McEndpoint, i);

      if (endpoint.security != MC_SECURITY_TLS)
        continue;
      g_clear_pointer (&probe, mc_probe_free);
      probe = mc_probe_run (self, endpoint, self->check_cancellable, after_failure_timeout (self));
      if (probe->works)
        break;
    }
  return probe;
}

/* Address families ------------------------------------------------------------- */

typedef struct
{
  GList    *addresses;
  gboolean  done;
} Lookup;

static void
lookup_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->addresses = g_resolver_lookup_by_name_with_flags_finish (G_RESOLVER (object), result, NULL);
  lookup->done = TRUE;
}

/* Runs @context until *@done or the deadline (@ms) or the check's end. */
static void
run_until (McSession    *self,
           GMainContext *context,
           GCancellable *cancellable,
           guint         ms,
           gboolean     *done)
{
  Watch watch;

  watch_start (self, context, cancellable, ms, &watch);
  while (!*done)
    g_main_context_iteration (context, TRUE);
  watch_stop (self, &watch);
}

/* The first address of @family that the host name has, or NULL (also for an
 * address typed as the server). Bounded: GResolver has no timeout of its own. */
static GInetAddress *
lookup_family (McSession     *self,
               GSocketFamily  family)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GResolver) resolver = NULL;
  const char *host = mc_settings_get_host_ascii (self->settings);
  Lookup lookup = { NULL, FALSE };
  GInetAddress *first = NULL;

  if (host == NULL || g_hostname_is_ip_address (host))
    return NULL;

  g_main_context_push_thread_default (context);
  resolver = g_resolver_get_default ();
  g_resolver_lookup_by_name_with_flags_async (resolver, host,
                                              family == G_SOCKET_FAMILY_IPV6
                                                ? G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY
                                                : G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY,
                                              cancellable, lookup_done, &lookup);
  run_until (self, context, cancellable, 1000 * MIN (3, mc_settings_get_timeout (self->settings)), &lookup.done);
  g_main_context_pop_thread_default (context);

  for (GList *l = lookup.addresses; l != NULL && first == NULL; l = l->next)
    {
      if (g_inet_address_get_family (l->data) == family)
        first = g_object_ref (l->data);
    }
  g_resolver_free_addresses (lookup.addresses);
  return first;
}

/* The connection to the family the check used failed after connecting:
 * the same dialogue, without a password, to an address of the other family.
 * NULL when the name has none. */
McProbe *
mc_probe_other_family (McSession *self)
{
  g_autoptr(GInetAddress) used = g_inet_address_new_from_string (self->result->address);
  g_autoptr(GInetAddress) other = NULL;
  McEndpoint here = { mc_settings_get_effective_port (self->settings), mc_settings_get_security (self->settings) };

  if (used == NULL)
    return NULL;
  other = lookup_family (self, g_inet_address_get_family (used) == G_SOCKET_FAMILY_IPV6
                                 ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6);
  if (other == NULL)
    return NULL;
  return probe_run (self, here, other, self->check_cancellable, after_failure_timeout (self));
}

/* Whether @address accepts a TCP connection on the tested port within
 * @timeout_ms; nothing is sent. @refused: it said no at once. */
gboolean
mc_probe_connects (McSession    *self,
                   GInetAddress *address,
                   guint         timeout_ms,
                   gboolean     *refused)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSocketConnectable) target = NULL;
  g_autofree char *text = g_inet_address_to_string (address);
  g_autofree char *note = NULL;
  McConnectAttempt attempt = { NULL, NULL, FALSE };
  gboolean connected;

  target = G_SOCKET_CONNECTABLE (g_inet_socket_address_new (address,
                                                            mc_settings_get_effective_port (self->settings)));
  g_main_context_push_thread_default (context);
  g_socket_client_set_timeout (client, (timeout_ms + 999) / 1000);
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_async (client, target, cancellable, mc_connect_attempt_done, &attempt);
  run_until (self, context, cancellable, timeout_ms, &attempt.done);
  g_main_context_pop_thread_default (context);

  connected = attempt.connection != NULL;
  *refused = g_error_matches (attempt.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  if (connected)
    {
      g_io_stream_close (G_IO_STREAM (attempt.connection), NULL, NULL);
      g_object_unref (attempt.connection);
    }
  g_clear_error (&attempt.error);

  note = g_strdup_printf ("probe without data: connect to %s port %u: %s", text,
                          mc_settings_get_effective_port (self->settings),
                          connected ? "connected" : *refused ? "refused" : "no answer");
  mc_session_note (self, note);
  return connected;
}
