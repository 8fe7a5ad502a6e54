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
#include "mc-provider.h"
#include "mc-session.h"

static gboolean
is_implicit_tls_port (McProtocol protocol,
                      guint16    port)
{
  return port == mc_default_port (protocol, MC_SECURITY_TLS);
}

/* The provider's server, when the certificate names it and the test was for
 * one of the provider's customers or hosts. The name then comes from the
 * profile, never from the certificate: a certificate that failed validation
 * may be an attacker's (security rule 11). */
static const char *
provider_server_in_certificate (McSettings        *settings,
                                McCertificateInfo *info)
{
  const McProvider *provider = mc_provider_lookup (mc_settings_get_host_ascii (settings),
                                                   mc_settings_get_user (settings));
  const char *server;

  if (provider == NULL || info == NULL || info->names == NULL)
    return NULL;
  server = mc_provider_get_server (provider);
  if (g_ascii_strcasecmp (server, mc_settings_get_host_ascii (settings)) == 0)
    return NULL;
  for (guint i = 0; info->names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (info->names[i], server) == 0)
        return server;
    }
  return NULL;
}

static void
explain_wrong_name (McResult   *result,
                    McSettings *settings)
{
  McCertificateInfo *info = result->certificate;
  const char *host = mc_settings_get_host_unicode (settings);
  const char *suggest = provider_server_in_certificate (settings, info);
  g_autofree char *names = info != NULL ? mc_certificate_format_names (info) : NULL;
  g_autofree char *text = NULL;
  McAdvice *advice;

  if (suggest != NULL)
    /* Translators: the first %s is the server name the user entered, the second and third the
     * provider's server name (from the app's own data, not from the certificate) */
    text = g_strdup_printf (_("The certificate is not valid for “%s”, but for %s, the provider’s "
                              "server. Enter %s in Server."),
                            host, suggest, suggest);
  else if (names != NULL && names[0] != '\0')
    /* Translators: the first %s is the server name the user entered, the second a list of names
     * from a certificate that failed the check; they must not be presented as names to enter */
    text = g_strdup_printf (_("The certificate is not valid for “%s”. It names %s — shown for "
                              "information only: do not enter these names, because a certificate "
                              "for another name can also mean that someone is intercepting the "
                              "connection. Ask your provider for the correct server name."),
                            host, names);
  else
    /* Translators: %s is the server name the user entered */
    text = g_strdup_printf (_("The certificate is not valid for “%s”. A certificate for another name "
                              "can mean that someone is intercepting the connection. Ask your "
                              "provider for the correct server name."),
                            host);

  advice = mc_result_add_advice (result, "certificate-hostname-mismatch", text);
  if (suggest != NULL)
    advice->fix_host = g_strdup (suggest);
}

static void
explain_certificate (McResult   *result,
                     McSettings *settings)
{
  McCertificateInfo *info = result->certificate;
  GTlsCertificateFlags errors = info ? info->errors : G_TLS_CERTIFICATE_GENERIC_ERROR;

  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    explain_wrong_name (result, settings);
  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    {
      if (info != NULL && info->subject != NULL && g_strcmp0 (info->subject, info->issuer) == 0)
        mc_result_add_advice (result, "certificate-untrusted",
                              _("The server’s certificate is self-signed: it vouches for itself, so nobody "
                                "can tell it from an attacker’s. Do not enter your password until the "
                                "server operator uses a certificate from a known authority."));
      else
        mc_result_add_advice (result, "certificate-untrusted",
                              _("The certificate comes from an authority this computer does not know, or "
                                "the server does not send the intermediate certificate that links it to a "
                                "known one. Do not enter your password until the server operator has "
                                "fixed this."));
    }

  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%x");
      g_autofree char *until = info && info->not_after ? g_date_time_format (info->not_after, "%x") : NULL;
      g_autofree char *text = NULL;

      if (until != NULL)
        /* Translators: the first %s is a date (the end of validity), the second today's date */
        text = g_strdup_printf (_("The certificate expired on %s. This computer’s date is %s — if that "
                                  "is right, the server operator must renew the certificate; if not, "
                                  "correct the computer’s clock."), until, today);
      else
        text = g_strdup (_("The certificate has expired. If the date and time of this computer are "
                           "correct, the server operator must renew it."));
      mc_result_add_advice (result, "certificate-expired", text);
    }

  if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%x");
      g_autofree char *from = info && info->not_before ? g_date_time_format (info->not_before, "%x") : NULL;
      g_autofree char *text = NULL;

      if (from != NULL)
        /* Translators: the first %s is a date (the start of validity), the second today's date */
        text = g_strdup_printf (_("The certificate only becomes valid on %s, but this computer’s date is "
                                  "%s. Check the computer’s date and time."), from, today);
      else
        text = g_strdup (_("The certificate is not valid yet. Check that the date and time of this "
                           "computer are correct."));
      mc_result_add_advice (result, "certificate-not-yet-valid", text);
    }

  if (errors & (G_TLS_CERTIFICATE_INSECURE | G_TLS_CERTIFICATE_REVOKED | G_TLS_CERTIFICATE_GENERIC_ERROR))
    mc_result_add_advice (result, "certificate-insecure",
                          _("The certificate is insecure (weak signature, revoked or otherwise invalid). "
                            "The server operator must replace it."));
  else if (mc_certificate_info_has_problem (info, MC_CERTIFICATE_PROBLEM_WEAK_KEY) ||
           mc_certificate_info_has_problem (info, MC_CERTIFICATE_PROBLEM_NOT_FOR_SERVER))
    mc_result_add_advice (result, "certificate-insecure",
                          _("The server’s certificate uses a weak key (shorter than 2048 bits) or is not "
                            "meant for servers, so your password was not sent. The server operator must "
                            "replace the certificate."));
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
      if (failed_step == MC_STEP_RESOLVE)
        mc_result_add_advice (result, "timeout",
                              _("Looking up the server name took too long. Check the internet "
                                "connection of this computer and try again."));
      else if (failed_step == MC_STEP_CONNECT)
        {
          /* Translators: %u is a port number */
          text = g_strdup_printf (_("Nothing answered on port %u. A firewall on this network may block "
                                    "the port, or the server is down. Try another port from the "
                                    "provider’s list."), port);
          mc_result_add_advice (result, "port-blocked", text);
        }
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

    case MC_CHECK_ERROR_CA_FILE:
      mc_result_add_advice (result, "ca-file-invalid",
                            _("The file of trusted CA certificates given for this test holds no usable "
                              "certificate. Choose a PEM file with the CA certificates."));
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
                            _("The server refuses a password login on this connection. If Security "
                              "is already SSL/TLS or STARTTLS, ask the provider whether mail programs "
                              "may log in to this account."));
      break;

    default:
      mc_result_add_advice (result, "protocol-error",
                            _("The test stopped with an unexpected error. The details are in the "
                              "steps above."));
      break;
    }
}

static McAdvice *
advice_new (const char *code,
            char       *text)
{
  McAdvice *advice = g_new0 (McAdvice, 1);

  advice->code = g_strdup (code);
  advice->text = text;
  advice->fix_security = -1;
  return advice;
}

static McAdvice *
legacy_advice (const McProvider *provider,
               const char       *host)
{
  McAdvice *advice;

  advice = advice_new ("legacy-hostname",
                       /* Translators: the first %s is the old server name, the second the provider's
                        * name, the third the server name to use */
                       g_strdup_printf (_("“%s” is an old server name that %s no longer supports. "
                                          "Enter %s in Server."),
                                        host, mc_provider_get_name (provider),
                                        mc_provider_get_server (provider)));
  advice->fix_host = g_strdup (mc_provider_get_server (provider));
  return advice;
}

/* After a test that could not reach or trust the server: an old host name of the
 * customer's domain explains it. */
void
mc_diagnosis_add_legacy_host (McResult   *result,
                              McSettings *settings)
{
  const char *host = mc_settings_get_host_ascii (settings);
  const McProvider *provider = mc_provider_find_legacy (host, mc_settings_get_user (settings));
  g_autoptr(McAdvice) advice = NULL;
  McAdvice *added;

  if (provider == NULL)
    return;
  advice = legacy_advice (provider, host);
  added = mc_result_add_advice (result, advice->code, advice->text);
  if (added->fix_host == NULL)
    added->fix_host = g_steal_pointer (&advice->fix_host);
}

static char *
describe_endpoints (const GArray *endpoints,
                    guint         first)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = first; i < endpoints->len; i++)
    {
      const McEndpoint *endpoint = &g_array_index (endpoints, McEndpoint, i);

      /* Translators: a port with its security mode, e.g. "143 with STARTTLS" */
      g_ptr_array_add (parts, g_strdup_printf (_("%u with %s"), endpoint->port,
                                               mc_security_display_name (endpoint->security)));
    }
  g_ptr_array_add (parts, NULL);
  /* Translators: the separator in a list of ports */
  return g_strjoinv (_(", "), (char **)parts->pdata);
}

/* What can be said about the settings before anything is sent: combinations of
 * port and security known to be wrong, no encryption, and every difference to
 * the provider's published settings. The window shows these while the user
 * types; a check adds the provider findings to its result. */
GPtrArray *
mc_diagnosis_precheck (McSettings *settings,
                       gboolean    include_mode_hints)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_advice_free);
  McProtocol protocol = mc_settings_get_protocol (settings);
  McSecurity security = mc_settings_get_security (settings);
  guint16 port = mc_settings_get_effective_port (settings);
  const char *host = mc_settings_get_host_ascii (settings);
  const char *user = mc_settings_get_user (settings);
  const McProvider *provider = mc_provider_lookup (host, user);
  McAdvice *advice;

  if (include_mode_hints)
    {
      gboolean plain_port = port == 143 || port == 110 || port == 587 || port == 25;
      gboolean tls_port = port == 993 || port == 995 || port == 465;

      if (security == MC_SECURITY_TLS && plain_port)
        {
          advice = advice_new ("use-starttls",
                               /* Translators: the first %u is a port number, the second a port number such as 993 */
                               g_strdup_printf (_("Port %u usually starts unencrypted. Set Security to "
                                                  "STARTTLS — or keep SSL/TLS and use port %u."),
                                                port, mc_default_port (protocol, MC_SECURITY_TLS)));
          advice->fix_security = MC_SECURITY_STARTTLS;
          g_ptr_array_add (list, advice);
        }
      else if (security != MC_SECURITY_TLS && tls_port)
        {
          advice = advice_new ("use-implicit-tls",
                               /* Translators: %u is a port number such as 993 */
                               g_strdup_printf (_("Port %u expects encryption from the first byte. Set "
                                                  "Security to SSL/TLS."), port));
          advice->fix_security = MC_SECURITY_TLS;
          g_ptr_array_add (list, advice);
        }
      else if (security == MC_SECURITY_NONE)
        {
          advice = advice_new ("plaintext-not-allowed",
                               g_strdup (_("Without encryption your password would travel readable by "
                                           "anyone on the way. Set Security to STARTTLS or SSL/TLS.")));
          advice->fix_security = MC_SECURITY_STARTTLS;
          g_ptr_array_add (list, advice);
        }
    }

  if (provider == NULL || host == NULL)
    return list;

  /* Only old names in the provider's own domain are certain before the test;
   * old names of the customer's domain are judged by the test's outcome. */
  if (mc_provider_is_legacy_host (provider, host, NULL))
    g_ptr_array_add (list, legacy_advice (provider, host));

  if (mc_provider_requires_full_address (provider) && user != NULL && user[0] != '\0' &&
      strchr (user, '@') == NULL)
    {
      advice = advice_new ("username-not-full-address",
                           /* Translators: %s is the provider's name */
                           g_strdup_printf (_("%s needs your full e-mail address as user name. Enter it "
                                              "in User Name, for example name@example.de."),
                                            mc_provider_get_name (provider)));
      g_ptr_array_add (list, advice);
    }

  if (g_ascii_strcasecmp (host, mc_provider_get_server (provider)) == 0 &&
      security != MC_SECURITY_NONE &&
      !mc_provider_is_usable (provider, protocol, port, security))
    {
      const GArray *endpoints = mc_provider_get_endpoints (provider, protocol);

      if (endpoints->len == 0)
        advice = advice_new ("provider-settings-differ",
                             /* Translators: the first %s is the provider's name, the second a protocol (IMAP) */
                             g_strdup_printf (_("%s does not offer %s."), mc_provider_get_name (provider),
                                              mc_protocol_display_name (protocol)));
      else
        {
          const McEndpoint *recommended = &g_array_index (endpoints, McEndpoint, 0);
          g_autofree char *others = describe_endpoints (endpoints, 1);

          advice = advice_new ("provider-settings-differ",
                               /* Translators: "%1$s recommends port %2$u with %3$s for %4$s (also usable: %5$s)" — a
                                * provider name, a port, a security mode, a protocol, a list of ports */
                               g_strdup_printf (_("%s recommends port %u with %s for %s (also usable: %s). "
                                                  "Set Port and Security accordingly."),
                                                mc_provider_get_name (provider), recommended->port,
                                                mc_security_display_name (recommended->security),
                                                mc_protocol_display_name (protocol), others));
          advice->fix_port = recommended->port;
          advice->fix_security = recommended->security;
        }
      g_ptr_array_add (list, advice);
    }

  return list;
}
