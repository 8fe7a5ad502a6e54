/* mc-diagnosis.c
 *
 * Every sentence here says what happened, why, and which field to change, in that
 * order. The codes are the stable contract of DESIGN.md §4.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-diagnosis"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-certificate.h"
#include "mc-diagnosis.h"
#include "mc-session.h"

static gboolean
is_implicit_tls_port (McProtocol protocol,
                      guint16    port)
{
  return port == mc_default_port (protocol, MC_SECURITY_TLS);
}

static void
add_use_starttls (McResult   *result,
                  McSettings *settings)
{
  McProtocol protocol = mc_settings_get_protocol (settings);
  guint16 tls_port = mc_default_port (protocol, MC_SECURITY_TLS);
  g_autofree char *text = NULL;
  McAdvice *advice;

  /* Translators: %u is a port number such as 993 */
  text = g_strdup_printf (_("This port starts unencrypted. Set Security to STARTTLS — or keep SSL/TLS "
                            "and use port %u."), tls_port);
  advice = mc_result_add_advice (result, "use-starttls", text);
  advice->fix_security = MC_SECURITY_STARTTLS;
}

static void
add_use_implicit_tls (McResult   *result,
                      McSettings *settings)
{
  McProtocol protocol = mc_settings_get_protocol (settings);
  guint16 port = mc_settings_get_effective_port (settings);
  g_autofree char *text = NULL;
  McAdvice *advice;

  if (protocol == MC_PROTOCOL_SMTP)
    /* Translators: %u is a port number */
    text = g_strdup_printf (_("Port %u expects encryption from the first byte. Set Security to SSL/TLS — "
                              "or keep STARTTLS and use port 587."), port);
  else
    /* Translators: the first %u is a port number, the second the STARTTLS port (143 or 110) */
    text = g_strdup_printf (_("Port %u expects encryption from the first byte. Set Security to SSL/TLS — "
                              "or keep STARTTLS and use port %u."),
                            port, mc_default_port (protocol, MC_SECURITY_STARTTLS));
  advice = mc_result_add_advice (result, "use-implicit-tls", text);
  advice->fix_security = MC_SECURITY_TLS;
}

static void
explain_certificate (McResult   *result,
                     McSettings *settings)
{
  McCertificateInfo *info = result->certificate;
  GTlsCertificateFlags errors = info ? info->errors : G_TLS_CERTIFICATE_GENERIC_ERROR;

  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    {
      g_autofree char *names = NULL;
      g_autofree char *text = NULL;

      if (info != NULL && info->names != NULL && info->names[0] != NULL)
        names = g_strjoinv (", ", info->names);
      if (names != NULL)
        /* Translators: the first %s is the server name the user entered, the second a
         * comma-separated list of names from the certificate */
        text = g_strdup_printf (_("The certificate is not valid for “%s”; it is valid for: %s. "
                                  "Enter one of these names in Server."),
                                mc_settings_get_host_unicode (settings), names);
      else
        /* Translators: %s is the server name the user entered */
        text = g_strdup_printf (_("The certificate is not valid for “%s”. Check the name in Server."),
                                mc_settings_get_host_unicode (settings));
      mc_result_add_advice (result, "certificate-hostname-mismatch", text);
    }
  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    mc_result_add_advice (result, "certificate-untrusted",
                          _("The certificate was not issued by an authority this computer trusts: it is "
                            "self-signed, from an unknown authority, or the server does not send its "
                            "intermediate certificates. Do not enter your password until the server "
                            "operator has fixed this."));
  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    mc_result_add_advice (result, "certificate-expired",
                          _("The certificate has expired. If the date and time of this computer are "
                            "correct, the server operator must renew it."));
  if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    mc_result_add_advice (result, "certificate-not-yet-valid",
                          _("The certificate is not valid yet. Check that the date and time of this "
                            "computer are correct."));
  if (errors & (G_TLS_CERTIFICATE_INSECURE | G_TLS_CERTIFICATE_REVOKED | G_TLS_CERTIFICATE_GENERIC_ERROR))
    mc_result_add_advice (result, "certificate-insecure",
                          _("The certificate is insecure (weak signature, revoked or otherwise invalid). "
                            "The server operator must replace it."));
}

void
mc_diagnosis_add (McResult   *result,
                  McSettings *settings,
                  const char *code)
{
  McProtocol protocol = mc_settings_get_protocol (settings);
  guint16 port = mc_settings_get_effective_port (settings);

  if (g_str_equal (code, "plaintext-not-allowed"))
    {
      McAdvice *advice;

      if (is_implicit_tls_port (protocol, port))
        advice = mc_result_add_advice (result, code,
                                       _("Without encryption your password would travel readable by "
                                         "anyone on the way. Set Security to SSL/TLS."));
      else
        advice = mc_result_add_advice (result, code,
                                       _("Without encryption your password would travel readable by "
                                         "anyone on the way. Set Security to STARTTLS."));
      advice->fix_security = is_implicit_tls_port (protocol, port) ? MC_SECURITY_TLS : MC_SECURITY_STARTTLS;
    }
  else if (g_str_equal (code, "preauth"))
    mc_result_add_advice (result, code,
                          _("The server let this connection in without checking the password, so this "
                            "test cannot tell whether your password is right."));
  else if (g_str_equal (code, "use-starttls"))
    add_use_starttls (result, settings);
  else if (g_str_equal (code, "use-implicit-tls"))
    add_use_implicit_tls (result, settings);
  else
    g_warn_if_reached ();
}

void
mc_diagnosis_explain_error (McResult     *result,
                            McSettings   *settings,
                            McStepId      failed_step,
                            const GError *error)
{
  McProtocol protocol = mc_settings_get_protocol (settings);
  McSecurity security = mc_settings_get_security (settings);
  guint16 port = mc_settings_get_effective_port (settings);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      /* Translators: %u is a port number */
      text = g_strdup_printf (_("The server refused the connection on port %u. Check Port: "
                                "the usual ports are 993 or 143 for IMAP, 995 or 110 for POP3, "
                                "587 or 465 for SMTP."), port);
      mc_result_add_advice (result, "connection-refused", text);
      return;
    }

  if (error->domain == G_IO_ERROR &&
      (error->code == G_IO_ERROR_HOST_UNREACHABLE || error->code == G_IO_ERROR_NETWORK_UNREACHABLE))
    {
      mc_result_add_advice (result, "port-blocked",
                            _("The server cannot be reached from this network. Check the internet "
                              "connection, or whether a firewall blocks this port."));
      return;
    }

  if (error->domain != MC_CHECK_ERROR)
    {
      mc_result_add_advice (result, "protocol-error",
                            _("The test stopped with an unexpected error. The details are in the "
                              "steps above."));
      return;
    }

  switch ((McCheckError)error->code)
    {
    case MC_CHECK_ERROR_RESOLVE:
      /* Translators: %s is a server name */
      text = g_strdup_printf (_("No server named “%s” exists. Check the spelling in Server "
                                "(for Netzprisma: mail01.netzprisma.de)."),
                              mc_settings_get_host_unicode (settings));
      mc_result_add_advice (result, "host-not-found", text);
      break;

    case MC_CHECK_ERROR_CONNECT:
    case MC_CHECK_ERROR_TIMEOUT:
      if (failed_step == MC_STEP_CONNECT || failed_step == MC_STEP_RESOLVE)
        {
          /* Translators: %u is a port number */
          text = g_strdup_printf (_("Nothing answered on port %u. A firewall on this network may block "
                                    "the port, or the server is down. Try another port from the "
                                    "provider’s list."), port);
          mc_result_add_advice (result, "port-blocked", text);
        }
      else if (failed_step == MC_STEP_GREETING && security != MC_SECURITY_TLS &&
               is_implicit_tls_port (protocol, port))
        add_use_implicit_tls (result, settings);
      else
        mc_result_add_advice (result, "timeout",
                              _("The server stopped answering. Try again later; if it keeps happening, "
                                "the server or a firewall between here and there is at fault."));
      break;

    case MC_CHECK_ERROR_CLOSED:
      mc_result_add_advice (result, "server-closed",
                            _("The server closed the connection unexpectedly. Check Port and Security; "
                              "if they are right, the server may be overloaded."));
      break;

    case MC_CHECK_ERROR_SERVER_REFUSED:
      mc_result_add_advice (result, "server-refused",
                            _("The server is not accepting connections right now. Try again later."));
      break;

    case MC_CHECK_ERROR_PROTOCOL:
      if (failed_step == MC_STEP_GREETING)
        /* Translators: %s is IMAP, POP3 or SMTP */
        text = g_strdup_printf (_("The server on this port does not speak %s. Check Port."),
                                mc_protocol_display_name (protocol));
      else
        text = g_strdup (_("The server answered in a way the mail protocol does not allow. Check Port "
                           "and Security; otherwise the server is faulty."));
      mc_result_add_advice (result, "protocol-error", text);
      break;

    case MC_CHECK_ERROR_STARTTLS_NOT_OFFERED:
      if (is_implicit_tls_port (protocol, port))
        add_use_implicit_tls (result, settings);
      mc_result_add_advice (result, "starttls-not-offered",
                            _("The server does not offer to switch to encryption on this port, so your "
                              "password is not sent. If it used to work, someone may be removing the "
                              "offer on the way. Try Security SSL/TLS with its port."));
      break;

    case MC_CHECK_ERROR_STARTTLS_REFUSED:
      mc_result_add_advice (result, "starttls-refused",
                            _("The server refused to switch to encryption, so your password is not "
                              "sent. Try Security SSL/TLS with its port."));
      break;

    case MC_CHECK_ERROR_INJECTION:
      mc_result_add_advice (result, "starttls-injection",
                            _("Data was slipped into the connection just before encryption started. This "
                              "points to a faulty server or an attack on the network. Use another network "
                              "or Security SSL/TLS."));
      break;

    case MC_CHECK_ERROR_PREAUTH:
      mc_result_add_advice (result, "preauth-before-tls",
                            _("The server skipped the login before encryption could start. Use "
                              "Security SSL/TLS with its port."));
      break;

    case MC_CHECK_ERROR_TLS_VERSION:
      mc_result_add_advice (result, "tls-version-too-old",
                            _("The server uses an outdated encryption version (below TLS 1.2). The "
                              "server operator must update it."));
      break;

    case MC_CHECK_ERROR_TLS_UNAVAILABLE:
      mc_result_add_advice (result, "tls-unavailable",
                            _("This computer lacks the encryption support of GLib. Install the "
                              "package glib-networking and test again."));
      break;

    case MC_CHECK_ERROR_NOT_TLS:
      /* What to change is only said after the port was probed (mc-session.c). */
      /* Translators: %u is a port number */
      text = g_strdup_printf (_("The server on port %u did not answer with encryption. Check Port and "
                                "Security."), port);
      mc_result_add_advice (result, "tls-failed", text);
      break;

    case MC_CHECK_ERROR_EXPECTS_TLS:
      /* Advised by the session, which probed the alternatives first. */
      break;

    case MC_CHECK_ERROR_TLS_FAILED:
      mc_result_add_advice (result, "tls-failed",
                            _("The encrypted connection could not be set up. Check Port and Security; "
                              "the server may not support current encryption."));
      break;

    case MC_CHECK_ERROR_CERTIFICATE:
      explain_certificate (result, settings);
      break;

    case MC_CHECK_ERROR_AUTH_FAILED:
      {
        const char *user = mc_settings_get_user (settings);

        if (user != NULL && strchr (user, '@') == NULL)
          mc_result_add_advice (result, "username-not-full-address",
                                _("The user name must be your full e-mail address. Enter it in User "
                                  "Name, for example name@example.de."));
        mc_result_add_advice (result, "authentication-failed",
                              _("The server rejected the user name or password. Check both; the "
                                "password is case-sensitive."));
      }
      break;

    case MC_CHECK_ERROR_AUTH_TEMPORARY:
      mc_result_add_advice (result, "authentication-temporary",
                            _("The server cannot check logins right now. This is not caused by your "
                              "settings; try again later."));
      break;

    case MC_CHECK_ERROR_NO_MECHANISM:
      mc_result_add_advice (result, "mechanism-not-offered",
                            _("The server offers no login method this app can use safely (normal "
                              "password). Check Port and Security."));
      break;

    case MC_CHECK_ERROR_LOGIN_DISABLED:
      mc_result_add_advice (result, "login-disabled",
                            _("The server does not allow a password login on this connection. Use "
                              "Security SSL/TLS or STARTTLS."));
      break;

    default:
      mc_result_add_advice (result, "protocol-error",
                            _("The test stopped with an unexpected error. The details are in the "
                              "steps above."));
      break;
    }
}
