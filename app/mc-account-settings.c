/* mc-account-settings.c
 *
 * One account page's fields in GSettings: the keys <protocol>-host, -port,
 * -security and -user. The password has no key: it is never written anywhere.
 * The e-mail address is shared by all pages; the window stores it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-account-settings"

#include "config.h"

#include "mc-account-settings.h"

static char *
key_name (McProtocol  protocol,
          const char *suffix)
{
  return g_strdup_printf ("%s-%s", mc_protocol_to_string (protocol), suffix);
}

/* Only what the user changed is stored; everything else comes from the provider
 * profile, so a corrected profile reaches every user who kept the defaults. */
static gboolean
has_user_value (GSettings  *settings,
                const char *key)
{
  g_autoptr(GVariant) value = g_settings_get_user_value (settings, key);

  return value != NULL;
}

/* The server the user chose, or NULL for the provider's. */
char *
mc_account_settings_get_host (GSettings  *settings,
                              McProtocol  protocol)
{
  g_autofree char *key = key_name (protocol, "host");
  g_autofree char *host = g_settings_get_string (settings, key);

  if (!has_user_value (settings, key) || host[0] == '\0')
    return NULL;
  return g_steal_pointer (&host);
}

/* FALSE when the provider's security applies. */
gboolean
mc_account_settings_get_security (GSettings  *settings,
                                  McProtocol  protocol,
                                  McSecurity *security)
{
  g_autofree char *key = key_name (protocol, "security");
  g_autofree char *name = g_settings_get_string (settings, key);

  return has_user_value (settings, key) && mc_security_from_string (name, security);
}

/* The port the user chose, or 0 for the standard one of the security. */
guint16
mc_account_settings_get_port (GSettings  *settings,
                              McProtocol  protocol)
{
  g_autofree char *key = key_name (protocol, "port");
  int port = g_settings_get_int (settings, key);

  return port > 0 && port <= 65535 ? (guint16)port : 0;
}

/* The user name, or "" when it follows the e-mail address. */
char *
mc_account_settings_get_user (GSettings  *settings,
                              McProtocol  protocol)
{
  g_autofree char *key = key_name (protocol, "user");

  return g_settings_get_string (settings, key);
}

/* @port_custom and @user_custom say whether the user chose the port and the
 * user name, or they follow the security and the e-mail address. */
void
mc_account_settings_save (GSettings           *settings,
                          const McAccountForm *form,
                          gboolean             port_custom,
                          gboolean             user_custom)
{
  g_autofree char *host_key = key_name (form->protocol, "host");
  g_autofree char *port_key = key_name (form->protocol, "port");
  g_autofree char *security_key = key_name (form->protocol, "security");
  g_autofree char *user_key = key_name (form->protocol, "user");
  g_autofree char *host = NULL;
  const char *default_host = NULL;
  McEndpoint endpoint;
  gboolean valid;
  guint16 port;

  host = g_strstrip (g_strdup (form->host));
  port = mc_account_form_parse_port (form->port, &valid);
  mc_account_form_get_provider_defaults (form->protocol, &default_host, &endpoint);

  if (host[0] == '\0' || g_strcmp0 (host, default_host) == 0)
    g_settings_reset (settings, host_key);
  else
    g_settings_set_string (settings, host_key, host);
  g_settings_set_int (settings, port_key, valid && port_custom ? port : 0);
  if (form->security == mc_account_form_get_default_security (form->protocol))
    g_settings_reset (settings, security_key);
  else
    g_settings_set_string (settings, security_key, mc_security_to_string (form->security));
  g_settings_set_string (settings, user_key, user_custom ? form->user : "");
}
