/* mc-run.c: the order of a check
 *
 * mc_session_run() is the whole check as a sequence of named steps. Each step
 * either finishes itself or fails with an MC_CHECK_ERROR; a failure is then
 * explained, after probing other ports where that tells more. Advice is
 * written in mc-diagnosis.c, probes run in mc-probe.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-run"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-diagnosis-private.h"
#include "mc-probe-private.h"
#include "mc-session-private.h"

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

/* What the result says it tested. The user name is the user's own text, but a
 * report is read elsewhere: any invisible or direction-changing character in
 * it is shown, not obeyed. */
static void
record_settings (McSession *self)
{
  McResult *result = self->result;
  const char *ca_file = mc_settings_get_ca_file (self->settings);

  result->protocol = mc_settings_get_protocol (self->settings);
  result->host = g_strdup (mc_settings_get_host_unicode (self->settings));
  result->host_ascii = g_strdup (mc_settings_get_host_ascii (self->settings));
  result->port = mc_settings_get_effective_port (self->settings);
  result->security = mc_settings_get_security (self->settings);
  result->connectivity = self->connectivity;
  result->user = mc_sanitize_server_text (mc_settings_get_user (self->settings), -1, 255);
  if (ca_file != NULL)
    {
      g_autofree char *shown = g_filename_display_name (ca_file);

      result->ca_file = mc_sanitize_server_text (shown, -1, 255);
    }
}

/* Behind a Wi-Fi sign-in page every connection ends at the page, and what
 * came back would be explained as the server's fault: say so first, and try
 * nothing. */
static gboolean
behind_portal (McSession *self)
{
  if (self->is_probe || self->connectivity != G_NETWORK_CONNECTIVITY_PORTAL)
    return FALSE;

  mc_session_step_begin (self, MC_STEP_NETWORK);
  mc_session_step_finish (self, MC_STEP_STATUS_FAILED, NULL,
                          _("This network shows a sign-in page before it lets connections through. No "
                            "connection was attempted."));
  mc_diagnosis_network_portal (self->result, self->settings);
  return TRUE;
}

static gboolean
tls_available (McSession  *self,
               GError    **error)
{
  if (mc_settings_get_security (self->settings) == MC_SECURITY_NONE ||
      g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    return TRUE;

  mc_session_step_begin (self, MC_STEP_RESOLVE);
  g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TLS_UNAVAILABLE,
                       _("Encryption is not available on this computer: the TLS support of "
                         "GLib (glib-networking) is missing."));
  return FALSE;
}

static gboolean
implicit_tls (McSession  *self,
              GError    **error)
{
  return mc_settings_get_security (self->settings) != MC_SECURITY_TLS || mc_session_tls_step (self, error);
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

  if (mc_settings_get_security (self->settings) == MC_SECURITY_TLS || self->is_probe || self->no_probes ||
      early <= 0 || mc_line_reader_get_buffered (self->reader) > 0)
    return TRUE;

  if (g_socket_condition_timed_wait (socket, G_IO_IN, early, self->phase_cancellable, &local_error))
    return TRUE;
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      mc_session_translate_error (self, error);
      return FALSE;
    }

  if (mc_probe_expects_tls (self, timeout - early / G_USEC_PER_SEC))
    {
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_EXPECTS_TLS,
                           _("No greeting arrived: this port waits for encryption from the first byte "
                             "(SSL/TLS)."));
      return FALSE;
    }

  /* Not TLS either: keep waiting for a slow greeting until the deadline. */
  return TRUE;
}

static gboolean
greeting (McSession         *self,
          const McDialogue  *dialogue,
          GError           **error)
{
  mc_session_step_begin (self, MC_STEP_GREETING);
  if (!wait_for_greeting (self, error) || !dialogue->greeting (self, error))
    return FALSE;

  if (self->preauth && mc_settings_get_security (self->settings) == MC_SECURITY_STARTTLS)
    {
      /* A pre-authenticated plaintext session can never be upgraded (rule 5). */
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PREAUTH,
                           _("The server logged this connection in without a password before encryption, so "
                             "STARTTLS is impossible. Someone may be tampering with the connection."));
      mc_session_step_finish (self, MC_STEP_STATUS_FAILED, NULL, (*error)->message);
      return FALSE;
    }
  return TRUE;
}

/* STARTTLS: the dialogue sends the command and reads the positive answer; then
 * nothing may be left over or already waiting, since no byte from the server is
 * legitimate before our ClientHello (security rule 4). */
static gboolean
starttls (McSession         *self,
          const McDialogue  *dialogue,
          GError           **error)
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
  self->starttls_offered = TRUE;

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

static gboolean
capabilities (McSession         *self,
              const McDialogue  *dialogue,
              GError           **error)
{
  if (!dialogue->capabilities (self, error))
    return FALSE;
  if (mc_settings_get_security (self->settings) != MC_SECURITY_STARTTLS)
    return TRUE;
  return starttls (self, dialogue, error) && dialogue->capabilities (self, error);
}

/* One login attempt, or none with the reason (rules 2 and 7). A refused login
 * still ends with a polite logout, so it does not fail the sequence. */
static void
login (McSession        *self,
       const McDialogue *dialogue)
{
  g_autoptr(GError) error = NULL;

  if (self->preauth)
    {
      mc_session_step_skip (self, MC_STEP_LOGIN,
                            _("The server logged this connection in without asking for the password."));
      mc_diagnosis_preauth (self->result, self->settings);
    }
  else if (mc_settings_get_security (self->settings) == MC_SECURITY_NONE || !mc_session_is_encrypted (self))
    {
      /* The second test never holds after the steps before (rules 1 and 3);
       * it stands here so that no later change can send a password in clear. */
      /* With a password the user wants to log in, which cannot be done safely
       * here: that fails the check. Without one it only looked at the server. */
      mc_session_step_begin (self, MC_STEP_LOGIN);
      mc_session_step_finish (self,
                              mc_settings_has_password (self->settings) ? MC_STEP_STATUS_FAILED
                                                                        : MC_STEP_STATUS_SKIPPED,
                              NULL,
                              _("Not tried: the password would travel unencrypted. Nothing was sent."));
      mc_diagnosis_plaintext_not_allowed (self->result, self->settings);
    }
  else if (!mc_settings_has_password (self->settings))
    {
      mc_session_step_skip (self, MC_STEP_LOGIN, _("Not tried: no password was given."));
      if (!self->is_probe)
        mc_diagnosis_login_not_tested (self->result, self->settings);
    }
  else
    {
      mc_session_step_begin (self, MC_STEP_LOGIN);
      if (!dialogue->login (self, &error))
        {
          if (self->step->status == MC_STEP_STATUS_RUNNING)
            mc_session_step_finish (self, MC_STEP_STATUS_FAILED, NULL, error->message);
          mc_diagnosis_explain_error (self->result, self->settings, MC_STEP_LOGIN, error);
        }
    }
}

/* SMTP after a successful login, when asked for: may this login send as the
 * address? Still the one login; never a message (mc-smtp.c). A refused
 * sender fails the test; a full mailbox of one's own and a temporary refusal
 * are warnings, since the login may well send to others. */
static void
envelope (McSession        *self,
          const McDialogue *dialogue)
{
  g_autoptr(GError) error = NULL;
  McStep *login_step = mc_result_find_step (self->result, MC_STEP_LOGIN);

  if (dialogue->envelope == NULL || self->is_probe || !mc_settings_get_envelope (self->settings) ||
      self->result->auth_result != MC_AUTH_RESULT_OK || login_step == NULL ||
      login_step->status != MC_STEP_STATUS_OK || g_cancellable_is_cancelled (self->phase_cancellable))
    return;

  if (!dialogue->envelope (self, &error))
    {
      McStepStatus status = MC_STEP_STATUS_FAILED;

      if (g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_SENDING_TEMPORARY) ||
          (g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_MAILBOX_FULL) &&
           self->step->id == MC_STEP_RECIPIENT))
        status = MC_STEP_STATUS_WARNING;
      if (self->step->status == MC_STEP_STATUS_RUNNING)
        mc_session_step_finish (self, status, NULL, error->message);
      mc_diagnosis_explain_error (self->result, self->settings, self->step->id, error);
    }
}

static void
logout (McSession        *self,
        const McDialogue *dialogue)
{
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->phase_cancellable))
    return;

  mc_session_step_begin (self, MC_STEP_LOGOUT);
  /* The login result stands; a server that drops the line on LOGOUT only earns
   * a warning. */
  if (!dialogue->logout (self, &error))
    mc_session_step_finish (self, MC_STEP_STATUS_WARNING, NULL, error->message);
}

/* STARTTLS was chosen and not offered. When the offer stands there
 * overwritten (XXXXXXXA), or the provider's profile says this port offers it,
 * something on the way removed it: a credential-free probe of the implicit-TLS
 * port finds out whether that way round works. */
static void
explain_missing_starttls (McSession *self)
{
  McProtocol protocol = mc_settings_get_protocol (self->settings);
  const char *keyword = dialogue_for (protocol)->starttls_capability;
  const char *masked = mc_session_find_masked_capability (self, keyword);
  const McProvider *provider = mc_provider_for_server (mc_settings_get_host_ascii (self->settings));
  gboolean published = provider != NULL &&
                       mc_provider_is_usable (provider, protocol, mc_settings_get_effective_port (self->settings),
                                              MC_SECURITY_STARTTLS);
  g_autoptr(McProbe) implicit = NULL;
  g_autofree char *shown = NULL;

  if (masked == NULL && !published)
    return;
  if (!self->no_probes)
    implicit = mc_probe_implicit_tls (self);
  if (masked != NULL)
    {
      g_autofree char *word = g_strndup (masked, strcspn (masked, " "));

      shown = mc_sanitize_server_text (word, -1, 40);
    }
  mc_diagnosis_starttls_stripped (self->result, self->settings, keyword, shown, published, implicit);
}

/* The connection was made, then the server went silent or away. When the
 * name has an address of the other family, a credential-free probe there tells
 * a broken path of this family (an IPv6 route that drops large packets, say)
 * from a broken server. Never a login there. */
static void
explain_with_other_family (McSession    *self,
                           McStepId      failed,
                           const GError *error)
{
  g_autoptr(McProbe) other = NULL;
  GSocketFamily used;

  if (self->no_probes || self->result->address == NULL ||
      (failed != MC_STEP_TLS && failed != MC_STEP_GREETING && failed != MC_STEP_CAPABILITIES &&
       failed != MC_STEP_STARTTLS) ||
      !(g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TIMEOUT) ||
        g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_CLOSED) ||
        g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TLS_FAILED)))
    return;

  other = mc_probe_other_family (self);
  if (other == NULL)
    return;

  used = g_inet_address_get_family (other->address) == G_SOCKET_FAMILY_IPV6
    ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6;
  mc_result_set_family_status (self->result, used, "stalled");
  mc_result_set_family_status (self->result, g_inet_address_get_family (other->address),
                               other->works ? "ok" : "failed");
  if (other->works)
    {
      g_clear_object (&self->fallback_from);
      mc_diagnosis_family_broken (self->result, self->settings, used, TRUE);
    }
}

/* The connect fell back to the other family: was that family only slow, or
 * does it not answer at all? A bare TCP connect within a second tells, with
 * nothing sent. A refusal costs a mail program no time (it falls back at
 * once), so only silence earns advice; the report shows both. */
static void
check_fallback_family (McSession *self)
{
  GSocketFamily family;
  gboolean refused = FALSE;

  if (self->fallback_from == NULL || self->no_probes || g_cancellable_is_cancelled (self->check_cancellable))
    return;

  family = g_inet_address_get_family (self->fallback_from);
  if (mc_probe_connects (self, self->fallback_from, 1000, &refused))
    mc_result_set_family_status (self->result, family, "ok");
  else if (refused)
    mc_result_set_family_status (self->result, family, "refused");
  else
    {
      mc_result_set_family_status (self->result, family, "no-answer");
      mc_diagnosis_family_broken (self->result, self->settings, family, FALSE);
    }
}

/* A step failed: finish it, and find out as much as the failure allows before
 * the advice is written. */
static void
explain_failure (McSession    *self,
                 const GError *error)
{
  McStepId failed = self->step != NULL ? self->step->id : MC_STEP_RESOLVE;

  if (self->step != NULL && self->step->status == MC_STEP_STATUS_RUNNING)
    mc_session_step_finish (self, MC_STEP_STATUS_FAILED, NULL, error->message);
  if (self->is_probe)
    return;

  if (g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_NOT_TLS) && !self->no_probes &&
      mc_settings_get_security (self->settings) == MC_SECURITY_TLS && failed == MC_STEP_TLS &&
      mc_result_find_step (self->result, MC_STEP_STARTTLS) == NULL)
    {
      mc_probe_plaintext_port (self);
      mc_diagnosis_port_speaks_plaintext (self->result, self->settings, self->probe_here, self->probe_elsewhere);
    }
  else if (g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_EXPECTS_TLS) && self->probe_here != NULL)
    mc_diagnosis_port_expects_tls (self->result, self->settings, self->probe_here, self->probe_elsewhere);
  else if (failed == MC_STEP_CONNECT &&
           (g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TIMEOUT) ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)))
    {
      g_autoptr(GArray) answering = NULL;
      g_autoptr(GPtrArray) probes = NULL;

      if (!self->no_probes)
        probes = mc_probe_other_ports (self, &answering);

      mc_diagnosis_port_unreachable (self->result, self->settings,
                                     g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED),
                                     answering, probes);
    }
  else
    {
      mc_diagnosis_explain_error (self->result, self->settings, failed, error);
      if (g_error_matches (error, MC_CHECK_ERROR, MC_CHECK_ERROR_STARTTLS_NOT_OFFERED) && failed == MC_STEP_STARTTLS)
        explain_missing_starttls (self);
      else
        explain_with_other_family (self, failed, error);
    }
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

  record_settings (self);
  mc_session_start_overall_deadline (self, 0);

  if (behind_portal (self))
    ;  /* nothing attempted: the advice says to sign in first */
  else if (tls_available (self, &error) &&
      mc_session_connect (self, &error) &&
      implicit_tls (self, &error) &&
      greeting (self, dialogue, &error) &&
      capabilities (self, dialogue, &error))
    {
      login (self, dialogue);
      envelope (self, dialogue);
      logout (self, dialogue);
    }
  else
    explain_failure (self, error);

  close_quietly (self);
  if (!self->is_probe)
    {
      check_fallback_family (self);
      mc_diagnosis_finish (self->result, self->settings);
    }
  mc_result_update_verdict (self->result);
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
    explain_failure (self, error);
  mc_result_update_verdict (self->result);

  return mc_result_ref (self->result);
}
