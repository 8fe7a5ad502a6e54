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
  g_free (probe);
}

McProbe *
mc_probe_run (McSession    *parent,
              McEndpoint    endpoint,
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
  mc_session_run (session);

  greeting = mc_result_find_step (session->result, MC_STEP_GREETING);
  tls = mc_result_find_step (session->result, MC_STEP_TLS);
  probe->endpoint = endpoint;
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
    g_autofree char *note = g_strdup_printf ("probe without password: %s on port %u with %s: %s",
                                             mc_protocol_display_name (mc_settings_get_protocol (settings)),
                                             endpoint.port, mc_security_display_name (endpoint.security),
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
  g_autoptr(GSource) deadline = g_timeout_source_new_seconds (MIN (3, mc_settings_get_timeout (self->settings)));
  g_autofree PortScan *scans = g_new0 (PortScan, n);
  GArray *open = g_array_new (FALSE, FALSE, sizeof (McEndpoint));
  gulong cancel_id;
  guint pending;

  g_main_context_push_thread_default (context);

  cancel_id = g_cancellable_connect (self->check_cancellable, G_CALLBACK (forward_cancel),
                                     g_object_ref (cancellable), g_object_unref);
  g_source_set_callback (deadline, cancel_scan, cancellable, NULL);
  g_source_attach (deadline, context);

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

  g_source_destroy (deadline);
  if (cancel_id != 0)
    g_cancellable_disconnect (self->check_cancellable, cancel_id);
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
