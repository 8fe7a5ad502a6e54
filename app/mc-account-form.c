/* mc-account-form.c
 *
 * What an account page's fields mean to the engine: the port as a number, the
 * provider's defaults, the McSettings a test runs with and the hints the
 * engine gives before anything is sent. No widget is touched here: the page
 * reads its rows into an McAccountForm and keeps them to itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-account-form"

#include "config.h"

#include <glib/gi18n.h>

#include "mc-account-form.h"
#include "mc-diagnosis.h"

/* Returns 0 for an empty or invalid port. */
guint16
mc_account_form_parse_port (const char *text,
                            gboolean   *valid)
{
  guint64 value = 0;
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  *valid = TRUE;
  if (stripped[0] == '\0')
    return 0;
  if (!g_ascii_string_to_unsigned (stripped, 10, 1, 65535, &value, NULL))
    {
      *valid = FALSE;
      return 0;
    }
  return (guint16)value;
}

/* The provider's server and its recommended port and security for @protocol;
 * FALSE when the provider does not offer the protocol (or there is none). */
gboolean
mc_account_form_get_provider_defaults (McProtocol    protocol,
                                       const char  **host,
                                       McEndpoint   *endpoint)
{
  const McProvider *provider = mc_provider_get_default ();

  *host = provider != NULL ? mc_provider_get_server (provider) : NULL;
  return provider != NULL && mc_provider_get_recommended (provider, protocol, endpoint);
}

McSecurity
mc_account_form_get_default_security (McProtocol protocol)
{
  const char *host;
  McEndpoint endpoint;

  return mc_account_form_get_provider_defaults (protocol, &host, &endpoint) ? endpoint.security
                                                                           : MC_SECURITY_TLS;
}

/* An invalid port counts as chosen by the user: it must not be replaced behind
 * their back when the security changes. */
gboolean
mc_account_form_port_is_custom (const McAccountForm *form)
{
  gboolean valid;
  guint16 port = mc_account_form_parse_port (form->port, &valid);

  return !valid || (port != 0 && port != mc_default_port (form->protocol, form->security));
}

static McSettings *
settings_from_form (const McAccountForm *form,
                    guint16              port)
{
  McSettings *settings = mc_settings_new (form->protocol);
  g_autofree char *host = g_strstrip (g_strdup (form->host));
  g_autofree char *user = g_strstrip (g_strdup (form->user));
  g_autofree char *email = g_strstrip (g_strdup (form->email));

  mc_settings_set_host (settings, host);
  mc_settings_set_port (settings, port);
  mc_settings_set_security (settings, form->security);
  mc_settings_set_user (settings, user[0] != '\0' ? user : email);
  return settings;
}

/* What the engine can tell before anything is sent, as McAdvice. */
GPtrArray *
mc_account_form_precheck (const McAccountForm *form)
{
  g_autoptr(McSettings) settings = NULL;
  gboolean valid;
  guint16 port = mc_account_form_parse_port (form->port, &valid);

  if (!valid)
    {
      GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_advice_free);
      McAdvice *advice = g_new0 (McAdvice, 1);

      advice->code = g_strdup ("invalid-port");
      advice->text = g_strdup (_("The port must be a number from 1 to 65535."));
      advice->fix_security = -1;
      g_ptr_array_add (list, advice);
      return list;
    }

  settings = settings_from_form (form, port);
  return mc_diagnosis_precheck (settings, TRUE);
}

/* The settings a test runs with; @timeout 0 keeps the engine's default. The
 * error is an MC_SETTINGS_ERROR that names the field to correct. */
McSettings *
mc_account_form_to_settings (const McAccountForm  *form,
                             const char           *ca_file,
                             guint                 timeout,
                             GError              **error)
{
  g_autoptr(McSettings) settings = NULL;
  gboolean valid;
  guint16 port;

  port = mc_account_form_parse_port (form->port, &valid);
  if (!valid)
    {
      g_set_error_literal (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_PORT,
                           _("The port must be a number from 1 to 65535."));
      return NULL;
    }

  settings = settings_from_form (form, port);
  if (form->password[0] != '\0')
    mc_settings_set_password (settings, form->password);
  if (ca_file != NULL)
    mc_settings_set_ca_file (settings, ca_file);
  if (timeout != 0)
    mc_settings_set_timeout (settings, timeout);

  if (!mc_settings_validate (settings, error))
    return NULL;

  return g_steal_pointer (&settings);
}
