/* mc-run.c: the order of a check, STARTTLS, and the credential-free probes
 *
 * that confirm a suspected mode/port mismatch before any advice proposes a fix.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-run"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-certificate.h"
#include "mc-diagnosis.h"
#include "mc-session.h"

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

  if (!mc_session_tls_step (self, error))
    return FALSE;

  /* Everything learned before TLS is forgotten (RFC 2595 §3.1, RFC 3207 §4.2). */
  g_ptr_array_set_size (self->caps, 0);
  self->caps_known = FALSE;
  return TRUE;
}


/* Probes ------------------------------------------------------------------ */

/* Runs the same check with other settings and no password, so advice only
 * proposes what really answered (and nothing can lock the account out). */
McResult *
mc_run_probe (McSession    *self,
              McSecurity    security,
              guint16       port,
              GCancellable *cancellable,
              guint         timeout)
{
  g_autoptr(McSettings) settings = mc_settings_copy (self->settings);
  McSession *probe;
  McResult *result;

  mc_settings_set_password (settings, NULL);
  mc_settings_set_security (settings, security);
  mc_settings_set_port (settings, port);
  mc_settings_set_timeout (settings, MAX (timeout, 1));

  probe = mc_session_new (settings, self->caller_context, cancellable);
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

/* Probes after a failure get their own, shorter budget; the check is over. */
static guint
after_failure_timeout (McSession *self)
{
  return MIN (mc_settings_get_timeout (self->settings), 5);
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
  g_autoptr(McResult) starttls = mc_run_probe (self, MC_SECURITY_STARTTLS, port, self->check_cancellable,
                                                   after_failure_timeout (self));
  g_autoptr(McResult) implicit = NULL;
  gboolean starttls_works = starttls->verdict != MC_VERDICT_FAILED;
  gboolean implicit_works = FALSE;
  g_autofree char *text = NULL;
  McAdvice *advice;

  if (tls_port != port)
    {
      implicit = mc_run_probe (self, MC_SECURITY_TLS, tls_port, self->check_cancellable,
                               after_failure_timeout (self));
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
  else
    {
      /* Not plaintext after all: the server speaks TLS but no handshake could be
       * agreed (outdated ciphers or protocol versions). Say that instead. */
      McStep *tls = mc_result_find_step (self->result, MC_STEP_TLS);
      g_autofree char *summary = NULL;

      if (tls != NULL && self->tls_failure != NULL)
        {
          /* Translators: %s is the TLS library's error message */
          summary = g_strdup_printf (_("The encrypted connection could not be set up: %s"),
                                     self->tls_failure);
          g_free (tls->summary);
          tls->summary = g_steal_pointer (&summary);
        }
      mc_result_remove_advice (self->result, "tls-failed");
      mc_result_add_advice (self->result, "tls-failed",
                            _("The server answers with encryption, but none this computer accepts "
                              "could be agreed; it probably offers only outdated methods. The server "
                              "operator must update it."));
    }
}

static void
advise_implicit_tls (McSession    *self,
                     GCancellable *cancellable,
                     guint         timeout)
{
  McProtocol protocol = mc_settings_get_protocol (self->settings);
  guint16 port = mc_settings_get_effective_port (self->settings);
  guint16 starttls_port = mc_default_port (protocol, MC_SECURITY_STARTTLS);
  g_autofree char *text = NULL;
  McAdvice *advice;

  if (starttls_port != port)
    {
      g_autoptr(McResult) starttls = mc_run_probe (self, MC_SECURITY_STARTTLS, starttls_port,
                                                   cancellable, timeout);

      if (starttls->verdict != MC_VERDICT_FAILED &&
          mc_settings_get_security (self->settings) == MC_SECURITY_STARTTLS)
        /* Translators: the first %u is a port number, the second the STARTTLS port (143, 110 or 587) */
        text = g_strdup_printf (_("Port %u expects encryption from the first byte. Set Security to SSL/TLS — "
                                  "or keep STARTTLS and use port %u."), port, starttls_port);
      else if (starttls->verdict != MC_VERDICT_FAILED)
        /* Translators: the first %u is a port number, the second the STARTTLS port (143, 110 or 587) */
        text = g_strdup_printf (_("Port %u expects encryption from the first byte. Set Security to SSL/TLS — "
                                  "or set it to STARTTLS and use port %u."), port, starttls_port);
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
      mc_session_translate_error (self, error);
      return FALSE;
    }

  /* The probes share what is left of this phase's deadline (rule 9): the
   * phase cancellable is cancelled when it runs out. */
  probe = mc_run_probe (self, MC_SECURITY_TLS, mc_settings_get_effective_port (self->settings),
                        self->phase_cancellable, timeout - early / G_USEC_PER_SEC);
  if (probe_reached_tls (probe))
    {
      advise_implicit_tls (self, self->phase_cancellable, timeout - early / G_USEC_PER_SEC);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_EXPECTS_TLS,
                           _("No greeting arrived: this port waits for encryption from the first byte "
                             "(SSL/TLS)."));
      return FALSE;
    }

  /* Not TLS either: keep waiting for a slow greeting until the deadline. */
  return TRUE;
}


/* Port comparison ----------------------------------------------------------- */

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

/* Which of the mail ports of the host accept a TCP connection, all at once and
 * within a few seconds. Nothing is sent on them. */
static GArray *
scan_ports (McSession     *self,
            const guint16 *ports,
            guint          n_ports)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) deadline = g_timeout_source_new_seconds (MIN (3, mc_settings_get_timeout (self->settings)));
  g_autofree PortScan *scans = g_new0 (PortScan, n_ports);
  GArray *open = g_array_new (FALSE, FALSE, sizeof (guint16));
  gulong cancel_id = 0;
  guint pending;

  g_main_context_push_thread_default (context);

  cancel_id = g_cancellable_connect (self->check_cancellable, G_CALLBACK (forward_cancel),
                                     g_object_ref (cancellable), g_object_unref);
  g_source_set_callback (deadline, cancel_scan, cancellable, NULL);
  g_source_attach (deadline, context);

  g_socket_client_set_timeout (client, MIN (3, mc_settings_get_timeout (self->settings)));
  g_socket_client_set_enable_proxy (client, FALSE);
  for (guint i = 0; i < n_ports; i++)
    g_socket_client_connect_to_host_async (client, mc_settings_get_host_ascii (self->settings), ports[i],
                                           cancellable, port_scan_done, &scans[i]);

  do
    {
      g_main_context_iteration (context, TRUE);
      pending = 0;
      for (guint i = 0; i < n_ports; i++)
        pending += !scans[i].done;
    }
  while (pending > 0);

  g_source_destroy (deadline);
  if (cancel_id != 0)
    g_cancellable_disconnect (self->check_cancellable, cancel_id);
  g_main_context_pop_thread_default (context);

  for (guint i = 0; i < n_ports; i++)
    {
      if (scans[i].connection != NULL)
        {
          g_array_append_val (open, ports[i]);
          g_io_stream_close (G_IO_STREAM (scans[i].connection), NULL, NULL);
          g_object_unref (scans[i].connection);
        }
    }
  return open;
}

static char *
join_ports (GArray *ports)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ports->len; i++)
    {
      if (i > 0)
        /* Translators: the separator in a list of port numbers */
        g_string_append (out, _(", "));
      g_string_append_printf (out, "%u", g_array_index (ports, guint16, i));
    }
  return g_string_free (out, FALSE);
}

/* The port did not answer: compare with the other mail ports of the same host,
 * so the advice can say "a firewall here blocks this port" rather than "the
 * server is down", and propose a port of the same protocol that really works. */
static void
compare_ports (McSession  *self,
               const char *code)
{
  static const guint16 mail_ports[] = { 993, 143, 995, 110, 465, 587, 25 };
  McProtocol protocol = mc_settings_get_protocol (self->settings);
  guint16 port = mc_settings_get_effective_port (self->settings);
  guint16 others[G_N_ELEMENTS (mail_ports)];
  guint n_others = 0;
  g_autoptr(GArray) open = NULL;
  g_autofree char *list = NULL;
  g_autofree char *text = NULL;
  McSecurity alternatives[] = { MC_SECURITY_TLS, MC_SECURITY_STARTTLS };
  McAdvice *advice;

  for (guint i = 0; i < G_N_ELEMENTS (mail_ports); i++)
    {
      if (mail_ports[i] != port)
        others[n_others++] = mail_ports[i];
    }

  open = scan_ports (self, others, n_others);
  if (open->len == 0)
    return;

  list = join_ports (open);
  for (guint i = 0; i < G_N_ELEMENTS (alternatives) && text == NULL; i++)
    {
      guint16 candidate = mc_default_port (protocol, alternatives[i]);
      gboolean is_open = FALSE;
      g_autoptr(McResult) probe = NULL;

      for (guint j = 0; j < open->len; j++)
        is_open |= g_array_index (open, guint16, j) == candidate;
      if (!is_open)
        continue;

      probe = mc_run_probe (self, alternatives[i], candidate, self->check_cancellable,
                            after_failure_timeout (self));
      if (probe->verdict == MC_VERDICT_FAILED)
        continue;

      /* Translators: "Port 587 does not answer, but these ports do: 465, 993. A firewall on this
       * network probably blocks port 587. Set Port to 465 and Security to SSL/TLS." */
      text = g_strdup_printf (_("Port %u does not answer, but these ports do: %s. A firewall on this "
                                "network probably blocks port %u. Set Port to %u and Security to %s."),
                              port, list, port, candidate, mc_security_display_name (alternatives[i]));
      mc_result_remove_advice (self->result, code);
      advice = mc_result_add_advice (self->result, code, text);
      advice->fix_port = candidate;
      advice->fix_security = alternatives[i];
    }

  if (text == NULL)
    {
      /* Translators: "Port 587 does not answer, but these ports do: 993, 143. …" */
      text = g_strdup_printf (_("Port %u does not answer, but these ports do: %s. A firewall on this "
                                "network probably blocks port %u, or the server does not offer it."),
                              port, list, port);
      mc_result_remove_advice (self->result, code);
      mc_result_add_advice (self->result, code, text);
    }
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

  result->protocol = mc_settings_get_protocol (self->settings);
  result->host = g_strdup (mc_settings_get_host_unicode (self->settings));
  result->host_ascii = g_strdup (mc_settings_get_host_ascii (self->settings));
  result->port = mc_settings_get_effective_port (self->settings);
  result->security = security;
  /* The user name is the user's own text, but a report is read elsewhere: any
   * invisible or direction-changing character in it is shown, not obeyed. */
  result->user = mc_sanitize_server_text (mc_settings_get_user (self->settings), -1, 255);
  if (mc_settings_get_ca_file (self->settings) != NULL)
    {
      g_autofree char *shown = g_filename_display_name (mc_settings_get_ca_file (self->settings));

      result->ca_file = mc_sanitize_server_text (shown, -1, 255);
    }

  mc_session_start_overall_deadline (self, 0);

  if (security != MC_SECURITY_NONE && !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      mc_session_step_begin (self, MC_STEP_RESOLVE);
      g_set_error_literal (&error, MC_CHECK_ERROR, MC_CHECK_ERROR_TLS_UNAVAILABLE,
                           _("Encryption is not available on this computer: the TLS support of "
                             "GLib (glib-networking) is missing."));
      goto failed;
    }

  if (!mc_session_connect (self, &error))
    goto failed;

  if (security == MC_SECURITY_TLS && !mc_session_tls_step (self, &error))
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
                           _("The server logged this connection in without a password before encryption, so "
                             "STARTTLS is impossible. Someone may be tampering with the connection."));
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
      mc_session_step_skip (self, MC_STEP_LOGIN, _("The server logged this connection in without asking for the password."));
      mc_diagnosis_add (result, self->settings, "preauth");
    }
  else if (security == MC_SECURITY_NONE)
    {
      /* With a password the user wants to log in, which cannot be done safely
       * here: that fails the check. Without one it only looked at the server. */
      mc_session_step_begin (self, MC_STEP_LOGIN);
      mc_session_step_finish (self,
                              mc_settings_has_password (self->settings) ? MC_STEP_STATUS_FAILED
                                                                        : MC_STEP_STATUS_SKIPPED,
                              NULL,
                              _("Not tried: the password would travel unencrypted. Nothing was sent."));
      mc_diagnosis_add (result, self->settings, "plaintext-not-allowed");
    }
  else if (!mc_settings_has_password (self->settings))
    {
      mc_session_step_skip (self, MC_STEP_LOGIN, _("Not tried: no password was given."));
    }
  else
    {
      mc_session_step_begin (self, MC_STEP_LOGIN);
      if (!dialogue->login (self, &error))
        {
          /* Log out politely even after a rejected login. */
          fail_current_step (self, error);
          g_clear_error (&error);
        }
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
  goto finish;

failed:
  fail_current_step (self, error);
  if (!self->is_probe && security == MC_SECURITY_TLS &&
      g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_NOT_TLS))
    classify_plaintext_port (self);
  if (!self->is_probe && self->step != NULL &&
      (self->step->id == MC_STEP_RESOLVE || self->step->id == MC_STEP_CONNECT ||
       g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_CERTIFICATE)))
    mc_diagnosis_add_legacy_host (self->result, self->settings);
  if (!self->is_probe && self->step != NULL && self->step->id == MC_STEP_CONNECT)
    {
      if (g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TIMEOUT))
        compare_ports (self, "port-blocked");
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        compare_ports (self, "connection-refused");
    }

finish:
  close_quietly (self);

  /* Differences to the provider's settings come after what the test itself found. */
  if (!self->is_probe)
    {
      g_autoptr(GPtrArray) findings = mc_diagnosis_precheck (self->settings, FALSE);

      for (guint i = 0; i < findings->len; i++)
        {
          McAdvice *finding = g_ptr_array_index (findings, i);
          McAdvice *advice = mc_result_add_advice (result, finding->code, finding->text);

          /* Keep a fix the test itself found; add the finding's where there is none. */
          if (advice->fix_security < 0)
            advice->fix_security = finding->fix_security;
          if (advice->fix_port == 0)
            advice->fix_port = finding->fix_port;
          if (advice->fix_host == NULL)
            advice->fix_host = g_strdup (finding->fix_host);
        }
    }

  mc_result_update_verdict (result);
}

/* For the fuzzers and the replay tests: runs the dialogue of @settings'
 * protocol over @stream, as if it were already encrypted so that the login is
 * exercised too, without any network. Deadlines are attached to a context
 * nobody iterates, so they never fire. */
McResult *
mc_session_run_dialogue_on_stream (McSettings *settings,
                                   GIOStream  *stream)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(McSession) self = mc_session_new (settings, context, NULL);
  const McDialogue *dialogue = dialogue_for (mc_settings_get_protocol (settings));

  self->stream = g_object_ref (stream);
  self->reader = mc_line_reader_new (g_io_stream_get_input_stream (stream));
  self->local_literal = g_strdup ("[127.0.0.1]");
  self->result->protocol = mc_settings_get_protocol (settings);

  mc_session_step_begin (self, MC_STEP_GREETING);
  if (dialogue->greeting (self, &error) &&
      dialogue->capabilities (self, &error))
    {
      mc_session_step_begin (self, MC_STEP_LOGIN);
      if (dialogue->login (self, &error))
        {
          mc_session_step_begin (self, MC_STEP_LOGOUT);
          dialogue->logout (self, &error);
        }
    }
  if (error != NULL)
    fail_current_step (self, error);
  mc_result_update_verdict (self->result);

  return mc_result_ref (self->result);
}
