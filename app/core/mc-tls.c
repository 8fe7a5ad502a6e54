/* mc-tls.c: the TLS handshake, implicit or after STARTTLS, and what it learns
 *
 * The server identity is always the host the user typed, every certificate
 * flag GIO raises fails the check, and TLS below 1.2 is refused (RFC 8314).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-tls"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-certificate.h"
#include "mc-interception.h"
#include "mc-session-private.h"

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

/* glib-networking words a fatal alert from the peer as "Peer sent fatal TLS
 * alert: %s", translated in its own domain; the same words, looked up there,
 * find the alert's name in any language. NULL for any other failure. */
static const char *
tls_alert_name (const GError *error)
{
  const char *english = "Peer sent fatal TLS alert: %s";
  const char *formats[] = { english, g_dgettext ("glib-networking", english) };

  if (!g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_MISC))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      const char *mark = formats[i] != NULL ? strstr (formats[i], "%s") : NULL;

      if (mark != NULL && mark > formats[i] && strncmp (error->message, formats[i], mark - formats[i]) == 0)
        return error->message + (mark - formats[i]);
    }
  return NULL;
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

/* Whether the certificate is the server's own or was replaced on the way;
 * recorded for the advice, never a reason to accept anything. */
static void
examine_interception (McSession       *self,
                      GTlsCertificate *peer)
{
  const McProvider *provider = mc_provider_for_server (mc_settings_get_host_ascii (self->settings));
  McInterception found;

  mc_interception_examine (peer, mc_settings_get_tls_database (self->settings, NULL), provider, &found);
  self->result->tls_intercepted = found.intercepted;
  g_clear_pointer (&self->result->tls_interceptor, g_free);
  g_clear_pointer (&self->result->tls_intercept_issuer, g_free);
  if (found.intercepted)
    {
      self->result->tls_interceptor = found.product ? g_strdup (mc_interceptor_get_name (found.product)) : NULL;
      self->result->tls_interceptor_where = found.product ? (int)mc_interceptor_get_where (found.product) : -1;
      self->result->tls_intercept_issuer = g_steal_pointer (&found.issuer);
    }
  mc_interception_clear (&found);
}

static void
set_certificate_error (GError               **error,
                       GTlsCertificateFlags   errors)
{
  g_autofree char *problems = mc_certificate_describe_problems (errors);

  g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_CERTIFICATE,
               _("The server’s certificate was not accepted: %s"), problems);
}

/* A TLS client on the session's connection, trusting only the CA file's
 * authorities when there is one. */
static GIOStream *
new_tls_connection (McSession  *self,
                    GError    **error)
{
  g_autoptr(GSocketConnectable) identity = server_identity (self);
  g_autoptr(GError) local_error = NULL;
  GTlsDatabase *database = mc_settings_get_tls_database (self->settings, &local_error);
  GIOStream *tls;

  if (local_error != NULL)
    {
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_CA_FILE,
                   _("The CA certificate file could not be read: %s"), local_error->message);
      return NULL;
    }

  /* What g_tls_client_connection_new() does, plus the database. The trust file
   * goes in as a construct property: set afterwards, glib-networking would
   * first parse the whole system trust store for nothing (twice, 2.74). */
  tls = g_initable_new (g_tls_backend_get_client_connection_type (g_tls_backend_get_default ()),
                        NULL, &local_error,
                        "base-io-stream", self->connection,
                        "server-identity", identity,
                        database != NULL ? "database" : NULL, database,
                        NULL);
  if (tls == NULL)
    {
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TLS_UNAVAILABLE,
                   _("Encryption is not available on this computer: %s"), local_error->message);
      return NULL;
    }
  return tls;
}

/* Keeps the peer's certificate in the result with every flag raised against
 * it, and returns the flags. */
static GTlsCertificateFlags
record_peer_certificate (McSession      *self,
                         GTlsConnection *tls)
{
  g_autoptr(GTlsCertificate) peer = NULL;
  GTlsCertificateFlags errors;

  g_object_get (tls, "peer-certificate", &peer, NULL);
  errors = g_tls_connection_get_peer_certificate_errors (tls) | self->accepted_errors;
  if (peer != NULL)
    {
      g_clear_pointer (&self->result->certificate, mc_certificate_info_free);
      self->result->certificate = mc_certificate_info_new (peer, errors);
      examine_interception (self, peer);
    }
  return errors;
}

/* A failed handshake in the check's terms. Takes @handshake_error. */
static void
explain_handshake_failure (McSession             *self,
                           GError                *handshake_error,
                           GTlsCertificateFlags   errors,
                           GError               **error)
{
  g_autoptr(GError) local_error = handshake_error;
  const char *alert;

  if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) ||
      (errors != 0 && local_error->domain == G_TLS_ERROR))
    set_certificate_error (error, errors);
  else if ((alert = tls_alert_name (local_error)) != NULL)
    {
      /* An alert is an answer: a TLS server, which refused this handshake. */
      g_free (self->tls_alert);
      self->tls_alert = mc_sanitize_server_text (alert, -1, 120);
      g_free (self->result->tls_alert);
      self->result->tls_alert = g_strdup (self->tls_alert);
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TLS_REFUSED,
                   /* Translators: %s is the name of a TLS alert, e.g. "Internal error" (from the TLS library) */
                   _("The server refused the encrypted connection with the TLS alert “%s”."),
                   self->tls_alert);
    }
  else if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_MISC) ||
           g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
    {
      /* GnuTLS says the same for plaintext and for a handshake it could not
       * agree on; the probes after the failure tell them apart. */
      g_free (self->tls_failure);
      self->tls_failure = g_strdup (local_error->message);
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
      mc_session_translate_error (self, error);
    }
}

/* Keeps version and cipher in the result, and returns the version. */
static GTlsProtocolVersion
record_protocol (McSession      *self,
                 GTlsConnection *tls)
{
  GTlsProtocolVersion version = g_tls_connection_get_protocol_version (tls);

  g_free (self->result->tls_version);
  self->result->tls_version = g_strdup (tls_version_name (version));
  g_free (self->result->tls_cipher);
  self->result->tls_cipher = g_tls_connection_get_ciphersuite_name (tls);
  return version;
}

/* What a handshake GIO accepted may still carry: a flag, or an old version. */
static gboolean
check_negotiated (McSession             *self,
                  GTlsCertificateFlags   errors,
                  GTlsProtocolVersion    version,
                  GError               **error)
{
  /* GIO accepted the handshake, so errors is 0 here unless a backend differs;
   * never trust a connection that carries any flag. */
  if (errors != 0)
    {
      set_certificate_error (error, errors);
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
  return TRUE;
}

/* From here on the dialogue goes through @tls, which this takes. */
static void
adopt_tls (McSession *self,
           GIOStream *tls)
{
  g_autofree char *note = NULL;

  g_clear_object (&self->stream);
  g_clear_pointer (&self->reader, mc_line_reader_free);
  self->tls = G_TLS_CONNECTION (g_object_ref (tls));
  self->stream = tls;
  self->reader = mc_line_reader_new (g_io_stream_get_input_stream (self->stream));

  note = g_strdup_printf ("TLS established: %s, %s",
                          self->result->tls_version,
                          self->result->tls_cipher ? self->result->tls_cipher : "?");
  mc_session_note (self, note);
}

static gboolean
session_handshake (McSession  *self,
                   GError    **error)
{
  g_autoptr(GIOStream) tls = new_tls_connection (self, error);
  g_autoptr(GError) handshake_error = NULL;
  GTlsCertificateFlags errors;
  gboolean handshaken;

  if (tls == NULL)
    return FALSE;

  self->accepted_errors = 0;
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate), self);

  handshaken = g_tls_connection_handshake (G_TLS_CONNECTION (tls), self->phase_cancellable, &handshake_error);
  /* Also after a failure: the certificate is what the advice talks about. */
  errors = record_peer_certificate (self, G_TLS_CONNECTION (tls));
  if (!handshaken)
    {
      explain_handshake_failure (self, g_steal_pointer (&handshake_error), errors, error);
      return FALSE;
    }

  if (!check_negotiated (self, errors, record_protocol (self, G_TLS_CONNECTION (tls)), error))
    return FALSE;

  adopt_tls (self, g_steal_pointer (&tls));
  return TRUE;
}

gboolean
mc_session_tls_step (McSession  *self,
                     GError    **error)
{
  g_autofree char *summary = NULL;

  mc_session_step_begin (self, MC_STEP_TLS);
  if (!session_handshake (self, error))
    return FALSE;

  /* GnuTLS accepts these; no password goes to them either (security rule 6). */
  if (mc_certificate_info_has_problem (self->result->certificate, MC_CERTIFICATE_PROBLEM_WEAK_KEY) ||
      mc_certificate_info_has_problem (self->result->certificate, MC_CERTIFICATE_PROBLEM_NOT_FOR_SERVER))
    {
      g_autofree char *problems = NULL;

      problems = g_strdup (mc_certificate_problem_describe (
        mc_certificate_info_has_problem (self->result->certificate, MC_CERTIFICATE_PROBLEM_WEAK_KEY)
          ? MC_CERTIFICATE_PROBLEM_WEAK_KEY : MC_CERTIFICATE_PROBLEM_NOT_FOR_SERVER));
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_CERTIFICATE,
                   _("The server’s certificate was not accepted: %s"), problems);
      return FALSE;
    }

  /* This computer trusts the replacement (an antivirus program's or a
   * company's CA in its store), so the test goes on as a mail program would;
   * the advice says what replaced it. */
  if (self->result->tls_intercepted)
    {
      /* Translators: %1$s is "TLS 1.3" or similar, %2$s the name of the certificate authority that issued it */
      summary = g_strdup_printf (_("Encrypted with %1$s, but with a certificate that replaced the server’s "
                                   "(issued by “%2$s”)."),
                                 self->result->tls_version,
                                 self->result->tls_intercept_issuer ? self->result->tls_intercept_issuer : "?");
      mc_session_step_finish (self, MC_STEP_STATUS_WARNING, NULL, summary);
      return TRUE;
    }

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
