/* mc-diagnosis.c
 *
 * Every sentence of advice is written here. Each says what happened, why, and
 * which field to change, in that order; each finding gives one piece of advice
 * with at most one fix. Where the provider's profile knows the server, its
 * published settings come first and nothing else is proposed. The codes are
 * the stable contract of docs/cli.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-diagnosis"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-certificate.h"
#include "mc-diagnosis-private.h"
#include "mc-interception.h"

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

static gboolean
advice_has_settings_fix (const McAdvice *advice)
{
  return advice->fix_security >= 0 || advice->fix_port != 0;
}

/* Adds @advice unless advice with the same code is there already. */
static McAdvice *
add_to_result (McResult *result,
               McAdvice *advice)
{
  McAdvice *added = mc_result_add_advice (result, advice->code, advice->text);

  if (added->fix_security < 0 && added->fix_port == 0 && added->fix_host == NULL && added->fix_user == NULL)
    {
      added->fix_security = advice->fix_security;
      added->fix_port = advice->fix_port;
      added->fix_host = g_steal_pointer (&advice->fix_host);
      added->fix_user = g_steal_pointer (&advice->fix_user);
    }
  if (added->field == NULL)
    added->field = advice->field;
  mc_advice_free (advice);
  return added;
}

/* After a timeout or a failed lookup: what the computer said about its own
 * network before the check began, which explains more than the server can.
 * Takes @text and returns it, extended where there is something to say. */
static char *
with_connectivity (McResult *result,
                   char     *text)
{
  const char *extra;
  char *joined;

  switch (result->connectivity)
    {
    case G_NETWORK_CONNECTIVITY_LOCAL:
      extra = _("This computer reports that it is connected only to a local network, without internet "
                "access: check the internet connection first.");
      break;
    case G_NETWORK_CONNECTIVITY_LIMITED:
      extra = _("This computer reports that its network has only limited internet access: check the "
                "internet connection first.");
      break;
    case G_NETWORK_CONNECTIVITY_PORTAL:
    case G_NETWORK_CONNECTIVITY_FULL:
    default:
      return text;
    }

  joined = g_strdup_printf ("%s %s", text, extra);
  g_free (text);
  return joined;
}

/* The provider ---------------------------------------------------------------- */

/* The profile whose published settings apply: only when the server is the
 * provider's own. (An address at the provider with another server name is a
 * question of the server name, not of ports.) */
static const McProvider *
provider_of_server (McSettings *settings)
{
  const char *host = mc_settings_get_host_ascii (settings);
  const McProvider *provider = mc_provider_lookup (host, NULL);

  if (provider == NULL || host == NULL || g_ascii_strcasecmp (host, mc_provider_get_server (provider)) != 0)
    return NULL;
  return provider;
}

static gboolean
endpoint_equal (const McEndpoint *a,
                const McEndpoint *b)
{
  return a->port == b->port && a->security == b->security;
}

/**
 * mc_diagnosis_usual_endpoints:
 *
 * The ports and modes worth trying for the settings' protocol, best first: the
 * provider's published ones for its own server (never anything else, so never
 * SMTP on 465 for Netzprisma), else implicit TLS and STARTTLS on their standard
 * ports (RFC 8314 prefers implicit TLS).
 *
 * Returns: (transfer full): an array of McEndpoint
 */
GArray *
mc_diagnosis_usual_endpoints (McSettings *settings)
{
  const McProvider *provider = provider_of_server (settings);
  McProtocol protocol = mc_settings_get_protocol (settings);
  GArray *endpoints = g_array_new (FALSE, FALSE, sizeof (McEndpoint));

  if (provider != NULL)
    {
      const GArray *published = mc_provider_get_endpoints (provider, protocol);

      g_array_append_vals (endpoints, published->data, published->len);
    }
  else
    {
      McEndpoint implicit = { mc_default_port (protocol, MC_SECURITY_TLS), MC_SECURITY_TLS };
      McEndpoint starttls = { mc_default_port (protocol, MC_SECURITY_STARTTLS), MC_SECURITY_STARTTLS };

      g_array_append_val (endpoints, implicit);
      g_array_append_val (endpoints, starttls);
    }
  return endpoints;
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

/* Port and security advice ------------------------------------------------------ */

/* Keeps the options the provider publishes for its server, in its order; for
 * any other server the order given. */
static void
rank_options (McSettings *settings,
              GArray     *options)
{
  const McProvider *provider = provider_of_server (settings);
  const GArray *published;
  g_autoptr(GArray) ranked = NULL;

  if (provider == NULL)
    return;

  published = mc_provider_get_endpoints (provider, mc_settings_get_protocol (settings));
  ranked = g_array_new (FALSE, FALSE, sizeof (McEndpoint));
  for (guint i = 0; i < published->len; i++)
    {
      for (guint j = 0; j < options->len; j++)
        {
          if (endpoint_equal (&g_array_index (published, McEndpoint, i), &g_array_index (options, McEndpoint, j)))
            {
              g_array_append_val (ranked, g_array_index (options, McEndpoint, j));
              break;
            }
        }
    }
  g_array_set_size (options, 0);
  g_array_append_vals (options, ranked->data, ranked->len);
}

/* What to set to reach @option from the current settings, as a sentence. */
static char *
describe_option (McSettings       *settings,
                 const McEndpoint *option,
                 gboolean          recommended)
{
  const McProvider *provider = provider_of_server (settings);
  guint16 port = mc_settings_get_effective_port (settings);
  McSecurity security = mc_settings_get_security (settings);
  const char *mode = mc_security_display_name (option->security);

  if (recommended && option->port == port)
    /* Translators: %1$s is SSL/TLS or STARTTLS, %2$s the provider's name (Netzprisma) */
    return g_strdup_printf (_("Set Security to %1$s, as %2$s recommends."), mode, mc_provider_get_name (provider));
  if (recommended)
    /* Translators: %1$u is a port number, %2$s SSL/TLS or STARTTLS, %3$s the provider's name */
    return g_strdup_printf (_("Use port %1$u with %2$s, as %3$s recommends."), option->port, mode,
                            mc_provider_get_name (provider));
  if (option->port == port)
    /* Translators: %s is SSL/TLS or STARTTLS */
    return g_strdup_printf (_("Set Security to %s."), mode);
  if (option->security == security)
    /* Translators: %1$s is SSL/TLS or STARTTLS (kept as it is), %2$u a port number */
    return g_strdup_printf (_("Keep %1$s and use port %2$u."), mode, option->port);
  /* Translators: %1$u is a port number, %2$s SSL/TLS or STARTTLS */
  return g_strdup_printf (_("Set Port to %1$u and Security to %2$s."), option->port, mode);
}

/* The second choice, as a sentence of its own. @confirmed: a probe found it
 * working, rather than it being the usual setting. */
static char *
describe_alternative (McSettings       *settings,
                      const McEndpoint *option,
                      gboolean          confirmed)
{
  const char *mode = mc_security_display_name (option->security);

  if (option->port == mc_settings_get_effective_port (settings))
    return confirmed
      /* Translators: %s is SSL/TLS or STARTTLS, e.g. "STARTTLS on this port works too." */
      ? g_strdup_printf (_("%s on this port works too."), mode)
      /* Translators: %s is SSL/TLS or STARTTLS */
      : g_strdup_printf (_("%s on this port is also possible."), mode);
  return confirmed
    /* Translators: %1$u is a port number, %2$s SSL/TLS or STARTTLS */
    ? g_strdup_printf (_("Port %1$u with %2$s works too."), option->port, mode)
    /* Translators: %1$u is a port number, %2$s SSL/TLS or STARTTLS */
    : g_strdup_printf (_("Port %1$u with %2$s is also possible."), option->port, mode);
}

/* One piece of advice for a port or security problem: @situation says what
 * happened; the best of @options (ranked by the provider where it knows the
 * server) becomes the fix and the instruction, the second one is named as an
 * alternative. @code NULL: use-implicit-tls or use-starttls after the fix;
 * @fallback: what to say when no option is left. */
static McAdvice *
settings_advice (McSettings *settings,
                 const char *code,
                 const char *situation,
                 GArray     *options,
                 gboolean    confirmed,
                 const char *fallback)
{
  const McProvider *provider = provider_of_server (settings);
  g_autoptr(GString) text = g_string_new (situation);
  McEndpoint recommended;
  McAdvice *advice;

  rank_options (settings, options);
  if (options->len == 0)
    {
      if (fallback != NULL)
        g_string_append_printf (text, " %s", fallback);
      return advice_new (code ? code : "protocol-error", g_string_free (g_steal_pointer (&text), FALSE));
    }

  {
    const McEndpoint *best = &g_array_index (options, McEndpoint, 0);
    gboolean is_recommended = provider != NULL &&
                              mc_provider_get_recommended (provider, mc_settings_get_protocol (settings),
                                                           &recommended) &&
                              endpoint_equal (best, &recommended);
    g_autofree char *action = describe_option (settings, best, is_recommended);

    g_string_append_printf (text, " %s", action);
    if (options->len > 1)
      {
        g_autofree char *alternative = describe_alternative (settings, &g_array_index (options, McEndpoint, 1),
                                                             confirmed);

        g_string_append_printf (text, " %s", alternative);
      }

    if (code == NULL)
      code = best->security == MC_SECURITY_TLS ? "use-implicit-tls" : "use-starttls";
    advice = advice_new (code, g_string_free (g_steal_pointer (&text), FALSE));
    /* A new port comes with its mode, so the button names the whole setting. */
    if (best->port != mc_settings_get_effective_port (settings))
      advice->fix_port = best->port;
    if (best->security != mc_settings_get_security (settings) || advice->fix_port != 0)
      advice->fix_security = best->security;
    advice->field = advice->fix_port != 0 ? "port" : "security";
  }
  return advice;
}

static void
add_option (GArray     *options,
            guint16     port,
            McSecurity  security)
{
  McEndpoint endpoint = { port, security };

  for (guint i = 0; i < options->len; i++)
    {
      if (endpoint_equal (&g_array_index (options, McEndpoint, i), &endpoint))
        return;
    }
  g_array_append_val (options, endpoint);
}

/* What a probe found working (@probe may be NULL: none was run). */
static void
add_working_probe (GArray        *options,
                   const McProbe *probe)
{
  if (probe != NULL && probe->works)
    add_option (options, probe->endpoint.port, probe->endpoint.security);
}

static gboolean
is_implicit_tls_port (McProtocol protocol,
                      guint16    port)
{
  return port == 993 || port == 995 || port == 465 || port == mc_default_port (protocol, MC_SECURITY_TLS);
}

static gboolean
is_plaintext_port (guint16 port)
{
  return port == 143 || port == 110 || port == 587 || port == 25;
}

/* For the provider's own server every setting it publishes is an option as
 * well; rank_options() then keeps just those, in the provider's order. */
static void
add_published_options (McSettings *settings,
                       GArray     *options)
{
  g_autoptr(GArray) usual = NULL;

  if (provider_of_server (settings) == NULL)
    return;
  usual = mc_diagnosis_usual_endpoints (settings);
  g_array_append_vals (options, usual->data, usual->len);
}

/* No encryption chosen: what to choose instead, by the port's usual mode. */
static McAdvice *
plaintext_advice (McSettings *settings)
{
  McProtocol protocol = mc_settings_get_protocol (settings);
  guint16 port = mc_settings_get_effective_port (settings);
  g_autoptr(GArray) options = g_array_new (FALSE, FALSE, sizeof (McEndpoint));
  McAdvice *advice;

  if (is_implicit_tls_port (protocol, port))
    add_option (options, port, MC_SECURITY_TLS);
  else
    {
      add_option (options, port, MC_SECURITY_STARTTLS);
      add_option (options, mc_default_port (protocol, MC_SECURITY_TLS), MC_SECURITY_TLS);
    }
  add_published_options (settings, options);

  advice = settings_advice (settings, "plaintext-not-allowed",
                            _("Without encryption your password would travel readable by anyone on the way."),
                            options, FALSE, NULL);
  return advice;
}

/* Errors ---------------------------------------------------------------------- */

/* The provider the customer belongs to: by the server entered, else by the
 * domain of the user name, or of the e-mail address when the user name has
 * none (a user name "anna" typed beside anna@netzprisma.de). */
static const McProvider *
customer_provider (McSettings *settings)
{
  const char *user = mc_settings_get_user (settings);
  const char *address = mc_settings_get_address (settings);

  if (user == NULL || strchr (user, '@') == NULL)
    user = address;
  return mc_provider_lookup (mc_settings_get_host_ascii (settings), user);
}

/* The provider's server, when the certificate names it and the test was for
 * one of the provider's customers or hosts. The name then comes from the
 * profile, never from the certificate: a certificate that failed validation
 * may be an attacker's (security rule 11). */
static const char *
provider_server_in_certificate (McSettings        *settings,
                                McCertificateInfo *info)
{
  const McProvider *provider = customer_provider (settings);
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
  advice->field = "host";
  if (suggest != NULL)
    advice->fix_host = g_strdup (suggest);
}

/* A certificate outside its validity: its date beside this computer's, as
 * either may be wrong. */
static void
explain_validity (McResult             *result,
                  McCertificateInfo    *info,
                  GTlsCertificateFlags  errors)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%x");

  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    {
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
}

static void
explain_certificate (McResult   *result,
                     McSettings *settings)
{
  McCertificateInfo *info = result->certificate;
  GTlsCertificateFlags errors = info ? info->errors : G_TLS_CERTIFICATE_GENERIC_ERROR;

  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    explain_wrong_name (result, settings);

  /* A replaced certificate is named as such by mc_diagnosis_tls_intercepted(). */
  if ((errors & G_TLS_CERTIFICATE_UNKNOWN_CA) && !result->tls_intercepted)
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

  explain_validity (result, info, errors);

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

/* The full address as user name: the one the user typed in E-mail, when there
 * is one, with a fix that enters it. */
static McAdvice *
full_address_advice (McSettings *settings,
                     const char *lead)
{
  const char *address = mc_settings_get_address (settings);
  McAdvice *advice;

  if (address != NULL && strchr (address, '@') != NULL)
    {
      /* Translators: the first %s is a sentence saying why (may be empty), the second the user's
       * e-mail address */
      advice = advice_new ("username-not-full-address",
                           g_strdup_printf (_("%sEnter your full e-mail address %s as User Name."),
                                            lead, address));
      advice->fix_user = g_strdup (address);
    }
  else
    advice = advice_new ("username-not-full-address",
                         g_strdup_printf (_("%sEnter your full e-mail address as User Name, for example "
                                            "name@example.de."), lead));
  advice->field = "user";
  return advice;
}

/* The envelope check: the login worked, this address may not send (or not
 * now). The server's own words stay in the step, beside the advice; support
 * is named by the provider's name where the profile knows the server. FALSE
 * for an error of another kind. */
static gboolean
explain_envelope_refusal (McResult     *result,
                          McSettings   *settings,
                          McStepId      failed_step,
                          McCheckError  code)
{
  const McProvider *provider = customer_provider (settings);
  const char *name = provider != NULL ? mc_provider_get_name (provider) : NULL;
  const char *address = result->envelope_address ? result->envelope_address : "?";
  g_autofree char *text = NULL;
  McAdvice *advice;

  switch (code)
    {
    case MC_CHECK_ERROR_SENDER_REFUSED:
      /* Translators: %s is the user's e-mail address */
      text = g_strdup_printf (_("You are logged in, but the server refuses to send with %s as sender: the "
                                "address does not belong to this login. Check User Name and E-mail address — "
                                "both must belong to the same mailbox."), address);
      advice = mc_result_add_advice (result, "sender-not-permitted", text);
      advice->field = "address";
      return TRUE;

    case MC_CHECK_ERROR_RELAY_DENIED:
      if (name != NULL)
        /* Translators: %s is the provider's name */
        text = g_strdup_printf (_("You are logged in, but the server does not let this login send mail: it "
                                  "refused the recipient as relaying. No setting can change that: contact %s’s "
                                  "support."), name);
      else
        text = g_strdup (_("You are logged in, but the server does not let this login send mail: it refused "
                           "the recipient as relaying. No setting can change that: contact your provider’s "
                           "support."));
      mc_result_add_advice (result, "relay-denied", text);
      return TRUE;

    case MC_CHECK_ERROR_MAILBOX_FULL:
      if (failed_step == MC_STEP_SENDER)
        text = g_strdup (_("The server refuses to send because your mailbox is over its storage limit. Delete "
                           "messages (empty Trash and Sent, too) or book more storage, then test again."));
      else
        /* Translators: %s is the user's e-mail address */
        text = g_strdup_printf (_("Sending works, but your mailbox is full: the server refuses new mail to %s. "
                                  "Delete messages (empty Trash and Sent, too) or book more storage."), address);
      mc_result_add_advice (result, "mailbox-full", text);
      return TRUE;

    case MC_CHECK_ERROR_RECIPIENT_REFUSED:
      if (name != NULL)
        /* Translators: %1$s is the user's e-mail address, %2$s the provider's name */
        text = g_strdup_printf (_("The server refuses your own address %1$s as recipient. Check E-mail address; "
                                  "if it is right, contact %2$s’s support."), address, name);
      else
        /* Translators: %s is the user's e-mail address */
        text = g_strdup_printf (_("The server refuses your own address %s as recipient. Check E-mail address; "
                                  "if it is right, contact your provider’s support."), address);
      advice = mc_result_add_advice (result, "recipient-refused", text);
      advice->field = "address";
      return TRUE;

    case MC_CHECK_ERROR_SENDING_TEMPORARY:
      if (name != NULL)
        /* Translators: %s is the provider's name */
        text = g_strdup_printf (_("The server turned the address away for now (a temporary refusal). Try again "
                                  "later; if it keeps happening, contact %s’s support."), name);
      else
        text = g_strdup (_("The server turned the address away for now (a temporary refusal). Try again later; "
                           "if it keeps happening, contact your provider’s support."));
      mc_result_add_advice (result, "sending-temporary", text);
      return TRUE;

    default:
      return FALSE;
    }
}

static void
explain_host_not_found (McResult   *result,
                        McSettings *settings)
{
  const McProvider *provider = customer_provider (settings);
  g_autofree char *text = NULL;
  McAdvice *advice;

  if (provider != NULL)
    /* Translators: the first %s is the server name the user entered, the second the provider's
     * name, the third its server name */
    text = g_strdup_printf (_("No server named “%s” exists. Check the spelling in Server; %s’s "
                              "server is %s."),
                            mc_settings_get_host_unicode (settings), mc_provider_get_name (provider),
                            mc_provider_get_server (provider));
  else
    /* Translators: %s is a server name */
    text = g_strdup_printf (_("No server named “%s” exists. Check the spelling in Server."),
                            mc_settings_get_host_unicode (settings));
  text = with_connectivity (result, text);
  advice = mc_result_add_advice (result, "host-not-found", text);
  advice->field = "host";
  if (provider != NULL)
    advice->fix_host = g_strdup (mc_provider_get_server (provider));
}

/* The errors whose advice is always the same sentence, by group: the
 * connection, the way into encryption on a port that starts unencrypted, the
 * handshake, the login. */
static const struct
{
  McCheckError  error;
  const char   *code;
  const char   *text;
} fixed_advice[] = {
  { MC_CHECK_ERROR_CLOSED, "server-closed",
    N_("The server closed the connection unexpectedly. Check Port and Security; "
       "if they are right, the server may be overloaded.") },
  { MC_CHECK_ERROR_SERVER_REFUSED, "server-refused",
    N_("The server is not accepting connections right now. Try again later.") },

  { MC_CHECK_ERROR_STARTTLS_NOT_OFFERED, "starttls-not-offered",
    N_("The server does not offer to switch to encryption on this port, so your "
       "password is not sent. If it used to work, someone may be removing the "
       "offer on the way. Try Security SSL/TLS with its port.") },
  { MC_CHECK_ERROR_STARTTLS_REFUSED, "starttls-refused",
    N_("The server refused to switch to encryption, so your password is not "
       "sent. Try Security SSL/TLS with its port.") },
  { MC_CHECK_ERROR_INJECTION, "starttls-injection",
    N_("Data was slipped into the connection just before encryption started. This "
       "points to a faulty server or an attack on the network. Use another network "
       "or Security SSL/TLS.") },
  { MC_CHECK_ERROR_PREAUTH, "preauth-before-tls",
    N_("The server skipped the login before encryption could start. Use "
       "Security SSL/TLS with its port.") },

  { MC_CHECK_ERROR_TLS_VERSION, "tls-version-too-old",
    N_("The server uses an outdated encryption version (below TLS 1.2). The "
       "server operator must update it.") },
  { MC_CHECK_ERROR_TLS_UNAVAILABLE, "tls-unavailable",
    N_("This computer lacks the encryption support of GLib. Install the "
       "package glib-networking and test again.") },
  { MC_CHECK_ERROR_CA_FILE, "ca-file-invalid",
    N_("The file of trusted CA certificates given for this test holds no usable "
       "certificate. Choose a PEM file with the CA certificates.") },

  { MC_CHECK_ERROR_AUTH_TEMPORARY, "authentication-temporary",
    N_("The server cannot check logins right now. This is not caused by your "
       "settings; try again later.") },
  { MC_CHECK_ERROR_NO_MECHANISM, "mechanism-not-offered",
    N_("The server offers no login method this app can use safely (normal "
       "password). Check Port and Security.") },
  { MC_CHECK_ERROR_LOGIN_DISABLED, "login-disabled",
    N_("The server refuses a password login on this connection. If Security "
       "is already SSL/TLS or STARTTLS, ask the provider whether mail programs "
       "may log in to this account.") },
};

/* FALSE for an error without a fixed sentence. */
static gboolean
explain_fixed_error (McResult     *result,
                     McCheckError  code)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixed_advice); i++)
    {
      if (fixed_advice[i].error == code)
        {
          mc_result_add_advice (result, fixed_advice[i].code, _(fixed_advice[i].text));
          return TRUE;
        }
    }
  return FALSE;
}

/* Finding the server and talking to it, up to the mail protocol itself.
 * FALSE for an error of another kind. */
static gboolean
explain_connection_error (McResult     *result,
                          McSettings   *settings,
                          McStepId      failed_step,
                          McCheckError  code)
{
  g_autofree char *text = NULL;

  switch (code)
    {
    case MC_CHECK_ERROR_RESOLVE:
      explain_host_not_found (result, settings);
      return TRUE;

    case MC_CHECK_ERROR_CONNECT:
    case MC_CHECK_ERROR_TIMEOUT:
      if (failed_step == MC_STEP_RESOLVE)
        text = g_strdup (_("Looking up the server name took too long. Check the internet "
                           "connection of this computer and try again."));
      else
        text = g_strdup (_("The server stopped answering. Try again later; if it keeps happening, "
                           "the server or a firewall between here and there is at fault."));
      text = with_connectivity (result, text);
      mc_result_add_advice (result, "timeout", text);
      return TRUE;

    case MC_CHECK_ERROR_PROTOCOL:
      if (failed_step == MC_STEP_GREETING)
        /* Translators: %s is IMAP, POP3 or SMTP */
        text = g_strdup_printf (_("The server on this port does not speak %s. Check Port."),
                                mc_protocol_display_name (mc_settings_get_protocol (settings)));
      else
        text = g_strdup (_("The server answered in a way the mail protocol does not allow. Check Port "
                           "and Security; otherwise the server is faulty."));
      mc_result_add_advice (result, "protocol-error", text);
      return TRUE;

    default:
      return FALSE;
    }
}

/* The handshake, the certificate and what this computer needs for them.
 * FALSE for an error of another kind. */
static gboolean
explain_tls_error (McResult     *result,
                   McSettings   *settings,
                   McCheckError  code)
{
  g_autofree char *text = NULL;
  McAdvice *advice;

  switch (code)
    {
    case MC_CHECK_ERROR_TLS_REFUSED:
      /* Translators: %s is the server's error message of the encryption library, e.g. "Internal error" */
      text = g_strdup_printf (_("The server answers with encryption but refused this connection with the "
                                "error “%s”. That is a fault of the server or its configuration, not of "
                                "your settings: its operator must fix it."),
                              result->tls_alert ? result->tls_alert : "?");
      mc_result_add_advice (result, "tls-failed", text);
      return TRUE;

    case MC_CHECK_ERROR_NOT_TLS:
    case MC_CHECK_ERROR_TLS_FAILED:
      mc_result_add_advice (result, "tls-failed",
                            _("The encrypted connection could not be set up. Check Port and Security; "
                              "the server may not support current encryption."));
      return TRUE;

    case MC_CHECK_ERROR_EXPECTS_TLS:
      /* Translators: %u is a port number */
      text = g_strdup_printf (_("Port %u expects encryption from the first byte. Set Security to SSL/TLS."),
                              mc_settings_get_effective_port (settings));
      advice = mc_result_add_advice (result, "use-implicit-tls", text);
      advice->fix_security = MC_SECURITY_TLS;
      advice->field = "security";
      return TRUE;

    case MC_CHECK_ERROR_CERTIFICATE:
      explain_certificate (result, settings);
      return TRUE;

    default:
      return FALSE;
    }
}

/* The login, on an encrypted connection. FALSE for an error of another kind. */
static gboolean
explain_login_error (McResult     *result,
                     McSettings   *settings,
                     McCheckError  code)
{
  const char *user = mc_settings_get_user (settings);
  McAdvice *advice;

  switch (code)
    {
    case MC_CHECK_ERROR_AUTH_FAILED:
      if (user != NULL && strchr (user, '@') == NULL)
        add_to_result (result, full_address_advice (settings, _("The user name must be your full e-mail "
                                                                "address. ")));
      advice = mc_result_add_advice (result, "authentication-failed",
                                     _("The server rejected the user name or password. Check both; the "
                                       "password is case-sensitive."));
      advice->field = "password";
      return TRUE;

    default:
      return FALSE;
    }
}

static void
explain_unexpected_error (McResult *result)
{
  mc_result_add_advice (result, "protocol-error",
                        _("The test stopped with an unexpected error. The details are in the "
                          "steps above."));
}

/* The codes with one fixed sentence come from the table; every other group
 * of codes has its own explainer, which passes on the codes of the others. */
static void
explain_check_error (McResult     *result,
                     McSettings   *settings,
                     McStepId      failed_step,
                     McCheckError  code)
{
  if (explain_fixed_error (result, code) ||
      explain_connection_error (result, settings, failed_step, code) ||
      explain_tls_error (result, settings, code) ||
      explain_login_error (result, settings, code) ||
      explain_envelope_refusal (result, settings, failed_step, code))
    return;
  explain_unexpected_error (result);
}

void
mc_diagnosis_explain_error (McResult     *result,
                            McSettings   *settings,
                            McStepId      failed_step,
                            const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error->domain == G_IO_ERROR &&
      (error->code == G_IO_ERROR_HOST_UNREACHABLE || error->code == G_IO_ERROR_NETWORK_UNREACHABLE))
    {
      g_autofree char *text = with_connectivity (result,
                                                 g_strdup (_("The server cannot be reached from this network. "
                                                             "Check the internet connection, or whether a "
                                                             "firewall blocks this port.")));

      mc_result_add_advice (result, "port-blocked", text);
      return;
    }

  if (error->domain != MC_CHECK_ERROR)
    {
      explain_unexpected_error (result);
      return;
    }

  explain_check_error (result, settings, failed_step, (McCheckError)error->code);
}

/* What the check found on its way ---------------------------------------------- */

void
mc_diagnosis_login_not_tested (McResult   *result,
                               McSettings *settings)
{
  const char *user = mc_settings_get_user (settings);
  McAdvice *advice;

  if (user == NULL || user[0] == '\0')
    {
      advice = mc_result_add_advice (result, "login-not-tested",
                                     _("The login was not tested: no user name and password were given. "
                                       "Enter your e-mail address and password and test again."));
      advice->field = "address";
    }
  else
    {
      advice = mc_result_add_advice (result, "login-not-tested",
                                     _("The login was not tested: no password was given. Enter your "
                                       "password and test again."));
      advice->field = "password";
    }
}

void
mc_diagnosis_preauth (McResult   *result,
                      McSettings *settings)
{
  mc_result_add_advice (result, "preauth",
                        _("The server let this connection in without checking the password, so this "
                          "test cannot tell whether your password is right."));
}

void
mc_diagnosis_plaintext_not_allowed (McResult   *result,
                                    McSettings *settings)
{
  add_to_result (result, plaintext_advice (settings));
}

/* SSL/TLS was chosen and the port answered unencrypted. */
void
mc_diagnosis_port_speaks_plaintext (McResult      *result,
                                    McSettings    *settings,
                                    const McProbe *starttls_here,
                                    const McProbe *implicit_elsewhere)
{
  guint16 port = mc_settings_get_effective_port (settings);
  g_autoptr(GArray) options = g_array_new (FALSE, FALSE, sizeof (McEndpoint));
  g_autofree char *situation = NULL;
  const char *fallback;

  mc_result_remove_advice (result, "tls-failed");

  add_working_probe (options, starttls_here);
  add_working_probe (options, implicit_elsewhere);

  if (!starttls_here->greeted && !starttls_here->tls_answered)
    {
      McStep *tls = mc_result_find_step (result, MC_STEP_TLS);

      /* Not plaintext after all: a TLS server with which no handshake could be
       * agreed (outdated ciphers or versions). GnuTLS said the same as for a
       * plaintext answer; the step now says what the probe found out. */
      if (tls != NULL)
        {
          g_free (tls->summary);
          tls->summary = g_strdup (_("The server answers with TLS, but no encryption method could be "
                                     "agreed with it."));
        }
      mc_result_add_advice (result, "tls-failed",
                            _("The server answers with encryption, but none this computer accepts "
                              "could be agreed; it probably offers only outdated methods. The server "
                              "operator must update it."));
      return;
    }

  if (starttls_here->starttls_offered && !starttls_here->works && starttls_here->tls_error != NULL)
    {
      /* Translators: %1$u is a port number, %2$s why the encrypted connection failed (a sentence) */
      situation = g_strdup_printf (_("Port %1$u starts unencrypted and offers STARTTLS, but the encrypted "
                                     "connection could not be set up: %2$s"),
                                   port, starttls_here->tls_error);
      fallback = _("That is a fault of the server, not of your settings: its operator must fix it.");
      add_to_result (result, settings_advice (settings, options->len > 0 ? NULL : "tls-failed", situation,
                                              options, TRUE, fallback));
      return;
    }

  if (starttls_here->works)
    /* Translators: %u is a port number */
    situation = g_strdup_printf (_("Port %u starts unencrypted."), port);
  else
    /* Translators: %u is a port number */
    situation = g_strdup_printf (_("Port %u starts unencrypted and offers no way to encrypt the "
                                   "connection."), port);
  fallback = _("No password can be sent safely there. Ask the provider for the right port.");
  add_to_result (result, settings_advice (settings, options->len > 0 ? NULL : "starttls-not-offered",
                                          situation, options, TRUE, fallback));
}

/* STARTTLS or no encryption was chosen and the port waits for a TLS handshake. */
void
mc_diagnosis_port_expects_tls (McResult      *result,
                               McSettings    *settings,
                               const McProbe *implicit_here,
                               const McProbe *starttls_elsewhere)
{
  guint16 port = mc_settings_get_effective_port (settings);
  g_autoptr(GArray) options = g_array_new (FALSE, FALSE, sizeof (McEndpoint));
  g_autofree char *situation = NULL;

  mc_result_remove_advice (result, "use-implicit-tls");

  add_working_probe (options, implicit_here);
  add_working_probe (options, starttls_elsewhere);

  if (!implicit_here->works && implicit_here->tls_error != NULL)
    /* Translators: %1$u is a port number, %2$s why the encrypted connection failed (a sentence) */
    situation = g_strdup_printf (_("Port %1$u expects encryption from the first byte (SSL/TLS), but the "
                                   "encrypted connection could not be set up either: %2$s"),
                                 port, implicit_here->tls_error);
  else
    /* Translators: %u is a port number */
    situation = g_strdup_printf (_("Port %u expects encryption from the first byte."), port);

  add_to_result (result, settings_advice (settings, options->len > 0 ? NULL : "tls-failed", situation, options,
                                          TRUE,
                                          _("That is a fault of the server, not of your settings: its "
                                            "operator must fix it.")));
}

/* The settings that probes found working, in the order they were probed. */
static GArray *
working_options (GPtrArray *probes)
{
  GArray *options = g_array_new (FALSE, FALSE, sizeof (McEndpoint));

  for (guint i = 0; probes != NULL && i < probes->len; i++)
    add_working_probe (options, g_ptr_array_index (probes, i));
  return options;
}

static gboolean
has_port (const GArray *endpoints,
          guint16       port)
{
  for (guint i = 0; i < endpoints->len; i++)
    {
      if (g_array_index (endpoints, McEndpoint, i).port == port)
        return TRUE;
    }
  return FALSE;
}

/* What happened on the port. @answering: the other usual ports that accepted
 * a connection, or NULL when none were tried. */
static char *
unreachable_situation (guint16       port,
                       gboolean      refused,
                       const GArray *answering)
{
  if (refused)
    /* Translators: %u is a port number */
    return g_strdup_printf (_("Nothing listens on port %u of this server: it refused the connection. "
                              "That is almost always a wrong Port."), port);
  if (answering != NULL && answering->len > 0)
    {
      g_autofree char *open = describe_endpoints (answering, 0);

      /* Translators: the first and third %u are a port number, %s a list such as "993 with SSL/TLS" */
      return g_strdup_printf (_("Nothing answered on port %1$u, but this server answers on %2$s. A "
                                "firewall on this network probably blocks port %3$u."),
                              port, open, port);
    }
  /* Translators: %u is a port number */
  return g_strdup_printf (_("Nothing answered on port %u."), port);
}

/* No other port was tried: a usual port points to the server name, any other
 * port to the usual ones. */
static char *
unprobed_fallback (McSettings   *settings,
                   const GArray *usual)
{
  g_autofree char *usual_list = NULL;

  if (has_port (usual, mc_settings_get_effective_port (settings)))
    return g_strdup (_("Check the name in Server."));

  usual_list = describe_endpoints (usual, 0);
  /* Translators: %1$s is IMAP, POP3 or SMTP, %2$s a list of ports such as "993 with SSL/TLS, 143 with STARTTLS" */
  return g_strdup_printf (_("The usual %1$s ports are %2$s."),
                          mc_protocol_display_name (mc_settings_get_protocol (settings)), usual_list);
}

/* What to say when the probes of the other usual ports found nothing to
 * propose. */
static char *
probed_fallback (McSettings   *settings,
                 const GArray *usual,
                 const GArray *answering,
                 gboolean      refused)
{
  const char *protocol_name = mc_protocol_display_name (mc_settings_get_protocol (settings));
  guint16 port = mc_settings_get_effective_port (settings);
  const McProvider *provider = provider_of_server (settings);
  g_autofree char *usual_list = describe_endpoints (usual, 0);

  if (answering->len > 0)
    return g_strdup (_("None of the ports that answer works as a mail server with encryption. Check "
                       "the name in Server."));
  if (!refused)
    return g_strdup (_("The server may be down, or this network blocks mail connections. Check the "
                       "internet connection and the name in Server, and try again later."));
  if (has_port (usual, port))
    {
      g_autoptr(GArray) others = g_array_new (FALSE, FALSE, sizeof (McEndpoint));
      g_autofree char *others_list = NULL;

      for (guint i = 0; i < usual->len; i++)
        {
          if (g_array_index (usual, McEndpoint, i).port != port)
            g_array_append_val (others, g_array_index (usual, McEndpoint, i));
        }
      others_list = describe_endpoints (others, 0);
      /* Translators: %1$s is IMAP, POP3 or SMTP, %2$s a list of ports such as "143 with STARTTLS" */
      return g_strdup_printf (_("No other usual %1$s port answers on this server either (%2$s). Check the "
                                "name in Server; if it is right, the server may be down — ask your provider."),
                              protocol_name, others_list);
    }
  if (provider != NULL)
    /* Translators: %1$s is the provider's name, %2$s IMAP, POP3 or SMTP, %3$s a list of ports */
    return g_strdup_printf (_("%1$s publishes these %2$s ports: %3$s — but none of them answers here "
                              "either. Check the name in Server; if it is right, ask your provider."),
                            mc_provider_get_name (provider), protocol_name, usual_list);
  /* Translators: %1$s is IMAP, POP3 or SMTP, %2$s a list of ports */
  return g_strdup_printf (_("The usual %1$s ports are %2$s, but none of them answers here either. "
                            "Check the name in Server; if it is right, ask your provider."),
                          protocol_name, usual_list);
}

/* The port refused the connection, or nothing answered there at all.
 * @answering and @probes: the protocol's other usual ports that accepted a
 * connection, and what probes found there; both NULL when none were tried. */
void
mc_diagnosis_port_unreachable (McResult   *result,
                               McSettings *settings,
                               gboolean    refused,
                               GArray     *answering,
                               GPtrArray  *probes)
{
  const char *code = refused ? "connection-refused" : "port-blocked";
  g_autoptr(GArray) usual = mc_diagnosis_usual_endpoints (settings);
  g_autofree char *situation = unreachable_situation (mc_settings_get_effective_port (settings), refused,
                                                      answering);
  g_autofree char *fallback = NULL;
  McAdvice *advice;

  if (answering == NULL)
    {
      fallback = unprobed_fallback (settings, usual);
      advice = advice_new (code, g_strdup_printf ("%s %s", situation, fallback));
    }
  else
    {
      g_autoptr(GArray) options = working_options (probes);

      fallback = probed_fallback (settings, usual, answering, refused);
      advice = settings_advice (settings, code, situation, options, TRUE, fallback);
    }
  /* A refusal is the server's own answer; only silence may come from this
   * computer's network. */
  if (!refused)
    advice->text = with_connectivity (result, advice->text);
  add_to_result (result, advice);
}

/* In between ------------------------------------------------------------------- */

void
mc_diagnosis_network_portal (McResult   *result,
                             McSettings *settings)
{
  mc_result_add_advice (result, "captive-portal",
                        _("This network wants you to sign in on a web page first (a Wi-Fi login page, as in "
                          "hotels, trains or cafés), so no connection to the server was attempted. Open a web "
                          "browser, sign in or accept the terms there, then test again."));
}

/* STARTTLS was missing on the way. @masked: what stood in its place (server
 * text, sanitised), or NULL; @published: the provider's profile says this
 * port offers it; @implicit: a credential-free probe of SSL/TLS, or NULL when
 * none could be tried. The port is named only when that probe worked. */
void
mc_diagnosis_starttls_stripped (McResult      *result,
                                McSettings    *settings,
                                const char    *keyword,
                                const char    *masked,
                                gboolean       published,
                                const McProbe *implicit)
{
  const McProvider *provider = provider_of_server (settings);
  g_autofree char *situation = NULL;
  g_autofree char *text = NULL;

  if (implicit != NULL && implicit->works)
    {
      g_autoptr(GArray) options = g_array_new (FALSE, FALSE, sizeof (McEndpoint));
      McAdvice *advice;

      add_working_probe (options, implicit);
      if (masked != NULL)
        /* Translators: %1$s is what the server's list showed instead (e.g. XXXXXXXA), %2$s the keyword
         * STARTTLS or STLS */
        situation = g_strdup_printf (_("The server’s list of capabilities arrived with “%1$s” where %2$s "
                                       "should be: a device between you and the server (a firewall or router "
                                       "that inspects mail) removes the offer to encrypt."), masked, keyword);
      else
        /* Translators: %1$s is the provider's name, %2$s the keyword STARTTLS or STLS, %3$u a port number */
        situation = g_strdup_printf (_("%1$s offers %2$s on port %3$u, but the offer did not arrive here: a "
                                       "device between you and the server removes it."),
                                     provider ? mc_provider_get_name (provider) : "?", keyword,
                                     mc_settings_get_effective_port (settings));
      advice = settings_advice (settings, "starttls-stripped", situation, options, TRUE, NULL);
      if (g_str_equal (advice->code, "starttls-stripped"))
        {
          char *extended = g_strdup_printf ("%s %s", advice->text,
                                            _("With SSL/TLS the connection is encrypted from the first byte, so "
                                              "nothing on the way can remove it."));

          g_free (advice->text);
          advice->text = extended;
          mc_result_remove_advice (result, "starttls-not-offered");
        }
      add_to_result (result, advice);
      return;
    }

  if (masked == NULL)
    return;

  if (implicit != NULL)
    /* Translators: %1$s is what the server's list showed instead (e.g. XXXXXXXA), %2$s the keyword STARTTLS or STLS */
    text = g_strdup_printf (_("The server’s list of capabilities arrived with “%1$s” where %2$s should be: a "
                              "device between you and the server (a firewall or router that inspects mail) "
                              "removes the offer to encrypt, so your password was not sent. No port with SSL/TLS "
                              "answered either: use another network, or ask the network’s operator to switch "
                              "off this inspection."), masked, keyword);
  else
    /* Translators: %1$s is what the server's list showed instead (e.g. XXXXXXXA), %2$s the keyword STARTTLS or STLS */
    text = g_strdup_printf (_("The server’s list of capabilities arrived with “%1$s” where %2$s should be: a "
                              "device between you and the server (a firewall or router that inspects mail) "
                              "removes the offer to encrypt, so your password was not sent. Use another "
                              "network, or ask the network’s operator to switch off this inspection."),
                            masked, keyword);
  mc_result_remove_advice (result, "starttls-not-offered");
  mc_result_add_advice (result, "starttls-not-offered", text);
}

/* One address family does not work where the other does. @after_connect:
 * the check connected over @broken and then the server went silent (the other
 * family worked in a probe); else the connect fell back from @broken, and a
 * bare connect there got no answer either. */
void
mc_diagnosis_family_broken (McResult      *result,
                            McSettings    *settings,
                            GSocketFamily  broken,
                            gboolean       after_connect)
{
  const char *bad = broken == G_SOCKET_FAMILY_IPV6 ? "IPv6" : "IPv4";
  const char *good = broken == G_SOCKET_FAMILY_IPV6 ? "IPv4" : "IPv6";
  g_autofree char *text = NULL;

  if (after_connect)
    {
      /* Translators: %1$s and %2$s are IPv6 or IPv4: the one that failed, then the one that works */
      text = g_strdup_printf (_("Over %1$s the server stopped answering once the connection was made, but over "
                                "%2$s it works: the %1$s path between this network and the server is broken "
                                "(often at the router). Mail programs may hang in the same way. Restart the "
                                "router; if that does not help, ask the network’s operator or your internet "
                                "provider to fix %1$s."), bad, good);
      /* That is what the timeout or the closed connection was. */
      mc_result_remove_advice (result, "timeout");
      mc_result_remove_advice (result, "server-closed");
      mc_result_remove_advice (result, "tls-failed");
    }
  else
    /* Translators: %1$s and %2$s are IPv6 or IPv4: the one that failed, then the one that works */
    text = g_strdup_printf (_("This server answers over %2$s, but over %1$s it did not answer within a second: "
                              "the %1$s connection of this network is probably broken. Mail programs usually "
                              "fall back to %2$s, but only after a delay; if they are slow to connect, restart "
                              "the router or ask the network’s operator to fix %1$s."), bad, good);

  mc_result_add_advice (result, broken == G_SOCKET_FAMILY_IPV6 ? "ipv6-unreachable" : "ipv4-unreachable", text);
}

/* The certificate was replaced on the way (mc-interception.c found it). One
 * piece of advice: what happened, what it meant for the test, what to switch
 * off, and never to trust the replacement. Nothing to click: no setting of
 * the account can fix it. */
void
mc_diagnosis_tls_intercepted (McResult   *result,
                              McSettings *settings)
{
  const McProvider *provider = provider_of_server (settings);
  const char *host = mc_settings_get_host_unicode (settings);
  const char *issuer = result->tls_intercept_issuer ? result->tls_intercept_issuer : "?";
  const char *product = result->tls_interceptor;
  McStep *tls = mc_result_find_step (result, MC_STEP_TLS);
  gboolean trusted = tls != NULL && tls->status != MC_STEP_STATUS_FAILED;
  g_autofree char *situation = NULL;
  g_autofree char *fix = NULL;
  g_autofree char *text = NULL;
  const char *consequence;

  if (!result->tls_intercepted)
    return;

  if (provider != NULL)
    /* Translators: %1$s is the server name, %2$s the provider's name, %3$s the name of a certificate authority */
    situation = g_strdup_printf (_("The certificate for %1$s does not come from %2$s but from “%3$s”: a program or "
                                   "device on your side replaces the server’s certificate to look into the "
                                   "connection."), host, mc_provider_get_name (provider), issuer);
  else
    /* Translators: %1$s is the server name, %2$s the name of a certificate authority */
    situation = g_strdup_printf (_("The certificate for %1$s comes from “%2$s”: a program or device on your side "
                                   "replaces the server’s certificate to look into the connection."),
                                 host, issuer);

  if (trusted)
    consequence = _("This computer trusts the replacement, so the test went on; mail programs with their own list "
                    "of trusted authorities (such as Thunderbird) refuse it.");
  else
    consequence = _("This computer does not trust it, so your password was not sent.");

  if (product == NULL)
    fix = g_strdup (_("Switch off the scanning of encrypted connections in your antivirus program, or, in a "
                      "company network, ask your IT department to let mail connections through without "
                      "inspection."));
  else if (result->tls_interceptor_where == MC_INTERCEPTOR_ON_NETWORK)
    /* Translators: %s is the name of a product, e.g. Zscaler */
    fix = g_strdup_printf (_("It is %s, a service or device of your company’s network: ask your IT department to "
                             "let mail connections through without inspection."), product);
  else if (result->tls_interceptor_where == MC_INTERCEPTOR_EITHER)
    /* Translators: %s is the name of a product, e.g. Sophos */
    fix = g_strdup_printf (_("It is %s: if it runs on this computer, switch off its scanning of encrypted "
                             "connections; if your company runs it, ask your IT department to let mail "
                             "connections through without inspection."), product);
  else
    /* Translators: %s is the name of an antivirus program, e.g. ESET; the quoted words are typical names
     * of the setting in such programs */
    fix = g_strdup_printf (_("In %s, switch off the scanning of encrypted connections (called for example "
                             "“SSL/TLS filtering”, “scan encrypted connections” or “e-mail protection”), then "
                             "test again."), product);

  text = g_strdup_printf ("%s %s %s %s", situation, consequence, fix,
                          _("Never accept or install this certificate in your mail program."));
  mc_result_remove_advice (result, "certificate-untrusted");
  mc_result_add_advice (result, "tls-intercepted", text);
}

/* The old server names --------------------------------------------------------- */

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
  advice->field = "host";
  return advice;
}

static McStep *
failed_step (McResult *result)
{
  for (guint i = result->steps->len; i > 0; i--)
    {
      McStep *step = g_ptr_array_index (result->steps, i - 1);

      if (step->status == MC_STEP_STATUS_FAILED)
        return step;
    }
  return NULL;
}

/* Precheck ---------------------------------------------------------------------- */

/* A mode that does not fit the port: the mode the port usually has, then
 * @other_security on its standard port. */
static McAdvice *
port_mode_advice (McSettings *settings,
                  const char *situation,
                  McSecurity  port_security,
                  McSecurity  other_security)
{
  McProtocol protocol = mc_settings_get_protocol (settings);
  g_autoptr(GArray) options = g_array_new (FALSE, FALSE, sizeof (McEndpoint));

  add_option (options, mc_settings_get_effective_port (settings), port_security);
  add_option (options, mc_default_port (protocol, other_security), other_security);
  add_published_options (settings, options);
  return settings_advice (settings, NULL, situation, options, FALSE, NULL);
}

/* Port and security that are known not to go together, or no encryption. */
static McAdvice *
mode_hint (McSettings *settings)
{
  McProtocol protocol = mc_settings_get_protocol (settings);
  McSecurity security = mc_settings_get_security (settings);
  guint16 port = mc_settings_get_effective_port (settings);
  g_autofree char *situation = NULL;
  McAdvice *advice = NULL;

  if (security == MC_SECURITY_TLS && is_plaintext_port (port))
    {
      /* Translators: %u is a port number */
      situation = g_strdup_printf (_("Port %u usually starts unencrypted."), port);
      advice = port_mode_advice (settings, situation, MC_SECURITY_STARTTLS, MC_SECURITY_TLS);
    }
  else if (security != MC_SECURITY_TLS && is_implicit_tls_port (protocol, port) && port != 25)
    {
      /* Translators: %u is a port number such as 993 */
      situation = g_strdup_printf (_("Port %u expects encryption from the first byte."), port);
      advice = port_mode_advice (settings, situation, MC_SECURITY_TLS, MC_SECURITY_STARTTLS);
    }
  else if (security == MC_SECURITY_NONE)
    advice = plaintext_advice (settings);

  /* protocol-error: the provider publishes none of the options, so there is
   * nothing to propose before a test. */
  if (advice != NULL && g_str_equal (advice->code, "protocol-error"))
    g_clear_pointer (&advice, mc_advice_free);
  return advice;
}

/* A user name without a domain where the provider needs the full address. */
static McAdvice *
provider_user_advice (McSettings       *settings,
                      const McProvider *provider)
{
  const char *user = mc_settings_get_user (settings);
  g_autofree char *lead = NULL;

  if (!mc_provider_requires_full_address (provider) || user == NULL || user[0] == '\0' ||
      strchr (user, '@') != NULL)
    return NULL;

  /* Translators: %s is the provider's name; the sentence is followed by another one */
  lead = g_strdup_printf (_("%s needs your full e-mail address as user name. "),
                          mc_provider_get_name (provider));
  return full_address_advice (settings, lead);
}

/* Port and security that the provider does not publish for its own server;
 * no encryption at all is the mode hint's finding. */
static McAdvice *
provider_settings_advice (McSettings *settings)
{
  const McProvider *provider = provider_of_server (settings);
  McProtocol protocol = mc_settings_get_protocol (settings);
  McSecurity security = mc_settings_get_security (settings);
  const GArray *endpoints;
  const McEndpoint *recommended;
  g_autofree char *others = NULL;
  McAdvice *advice;

  if (provider == NULL || security == MC_SECURITY_NONE ||
      mc_provider_is_usable (provider, protocol, mc_settings_get_effective_port (settings), security))
    return NULL;

  endpoints = mc_provider_get_endpoints (provider, protocol);
  if (endpoints->len == 0)
    return advice_new ("provider-settings-differ",
                       /* Translators: the first %s is the provider's name, the second a protocol (IMAP) */
                       g_strdup_printf (_("%s does not offer %s."), mc_provider_get_name (provider),
                                        mc_protocol_display_name (protocol)));

  recommended = &g_array_index (endpoints, McEndpoint, 0);
  others = describe_endpoints (endpoints, 1);
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
  advice->field = "port";
  return advice;
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
  const char *host = mc_settings_get_host_ascii (settings);
  const McProvider *provider = customer_provider (settings);
  McAdvice *hint = include_mode_hints ? mode_hint (settings) : NULL;
  gboolean settings_fix = hint != NULL && advice_has_settings_fix (hint);
  McAdvice *advice;

  if (hint != NULL)
    g_ptr_array_add (list, hint);

  if (provider == NULL || host == NULL)
    return list;

  /* Only old names in the provider's own domain are certain before the test;
   * old names of the customer's domain are judged by the test's outcome. */
  if (mc_provider_is_legacy_host (provider, host, NULL))
    g_ptr_array_add (list, legacy_advice (provider, host));

  advice = provider_user_advice (settings, provider);
  if (advice != NULL)
    g_ptr_array_add (list, advice);

  /* One finding, one advice: a mode hint above already gives the provider's
   * recommendation for its server. */
  advice = settings_fix ? NULL : provider_settings_advice (settings);
  if (advice != NULL)
    g_ptr_array_add (list, advice);

  return list;
}

/* The end of a check ------------------------------------------------------------ */

/**
 * mc_diagnosis_finish:
 *
 * After the check: an old server name explains a failed lookup, connection or
 * certificate; the provider's findings are added where the test did not say
 * the same already; overlapping advice is merged so that one finding gives
 * one piece of advice with at most one fix.
 */
void
mc_diagnosis_finish (McResult   *result,
                     McSettings *settings)
{
  McStep *failed = failed_step (result);
  const char *host = mc_settings_get_host_ascii (settings);
  const McProvider *legacy = mc_provider_find_legacy (host, mc_settings_get_user (settings));
  g_autoptr(GPtrArray) findings = NULL;
  gboolean settings_fix = FALSE;

  if (legacy != NULL && failed != NULL &&
      (failed->id == MC_STEP_RESOLVE || failed->id == MC_STEP_CONNECT ||
       mc_result_has_advice (result, "certificate-hostname-mismatch")))
    {
      add_to_result (result, legacy_advice (legacy, host));
      /* The old name explains it: no second button for the same server. */
      mc_result_remove_advice (result, "host-not-found");
      for (guint i = 0; i < result->advice->len; i++)
        {
          McAdvice *advice = g_ptr_array_index (result->advice, i);

          if (!g_str_equal (advice->code, "legacy-hostname"))
            g_clear_pointer (&advice->fix_host, g_free);
        }
    }

  mc_diagnosis_tls_intercepted (result, settings);

  for (guint i = 0; i < result->advice->len; i++)
    settings_fix |= advice_has_settings_fix (g_ptr_array_index (result->advice, i));

  findings = mc_diagnosis_precheck (settings, FALSE);
  for (guint i = 0; i < findings->len; i++)
    {
      McAdvice *finding = g_ptr_array_index (findings, i);

      if (settings_fix && g_str_equal (finding->code, "provider-settings-differ"))
        continue;
      add_to_result (result, g_steal_pointer (&g_ptr_array_index (findings, i)));
    }
}
