/* mc-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-types"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "mc-types.h"

static const char *protocol_names[] = { "pop3", "imap", "smtp" };
static const char *security_names[] = { "tls", "starttls", "none" };
static const char *step_names[] = {
  "resolve", "connect", "tls", "greeting", "capabilities", "starttls", "login", "logout",
  "sender", "recipient", "network",
};
static const char *status_names[] = { "running", "ok", "warning", "failed", "skipped" };
static const char *verdict_names[] = { "ok", "warning", "failed" };
static const char *auth_result_names[] = { "not-tried", "ok", "rejected" };

const char *
mc_protocol_to_string (McProtocol protocol)
{
  g_return_val_if_fail (protocol < G_N_ELEMENTS (protocol_names), NULL);
  return protocol_names[protocol];
}

gboolean
mc_protocol_from_string (const char *text,
                         McProtocol *protocol)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (protocol_names); i++)
    {
      if (g_ascii_strcasecmp (text, protocol_names[i]) == 0)
        {
          *protocol = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
mc_protocol_display_name (McProtocol protocol)
{
  static const char *display[] = { "POP3", "IMAP", "SMTP" };

  g_return_val_if_fail (protocol < G_N_ELEMENTS (display), NULL);
  return display[protocol];
}

const char *
mc_security_to_string (McSecurity security)
{
  g_return_val_if_fail (security < G_N_ELEMENTS (security_names), NULL);
  return security_names[security];
}

gboolean
mc_security_from_string (const char *text,
                         McSecurity *security)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (security_names); i++)
    {
      if (g_ascii_strcasecmp (text, security_names[i]) == 0)
        {
          *security = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
mc_security_display_name (McSecurity security)
{
  switch (security)
    {
    case MC_SECURITY_TLS:
      return "SSL/TLS";
    case MC_SECURITY_STARTTLS:
      return "STARTTLS";
    case MC_SECURITY_NONE:
      /* Translators: the security setting "no encryption" */
      return C_("security", "None");
    default:
      g_return_val_if_reached (NULL);
    }
}

guint16
mc_default_port (McProtocol protocol,
                 McSecurity security)
{
  gboolean implicit = security == MC_SECURITY_TLS;

  switch (protocol)
    {
    case MC_PROTOCOL_POP3:
      return implicit ? 995 : 110;
    case MC_PROTOCOL_IMAP:
      return implicit ? 993 : 143;
    case MC_PROTOCOL_SMTP:
      return implicit ? 465 : 587;
    default:
      g_return_val_if_reached (0);
    }
}

const char *
mc_step_id_to_string (McStepId id)
{
  g_return_val_if_fail (id < G_N_ELEMENTS (step_names), NULL);
  return step_names[id];
}

const char *
mc_step_id_display_name (McStepId id)
{
  static const char *display[] = {
    /* Translators: names of the steps of a connection test */
    N_("Look up server"),
    N_("Connect"),
    N_("Encryption (TLS)"),
    N_("Server greeting"),
    N_("Server capabilities"),
    N_("Switch to encryption (STARTTLS)"),
    N_("Log in"),
    N_("Log out"),
    N_("Sender address"),
    N_("Recipient address"),
    N_("Network access"),
  };

  g_return_val_if_fail (id < G_N_ELEMENTS (display), NULL);
  return _(display[id]);
}

const char *
mc_step_status_to_string (McStepStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

const char *
mc_verdict_to_string (McVerdict verdict)
{
  g_return_val_if_fail (verdict < G_N_ELEMENTS (verdict_names), NULL);
  return verdict_names[verdict];
}

const char *
mc_auth_result_to_string (McAuthResult result)
{
  g_return_val_if_fail (result < G_N_ELEMENTS (auth_result_names), NULL);
  return auth_result_names[result];
}

/**
 * mc_data_load_folder:
 * @resource_folder: a folder of the engine's resources, e.g. the providers'
 *
 * Every file of @resource_folder, parsed with @parse, in the resource's
 * order. The files were validated by the tests; one that fails here anyway
 * is left out with a critical warning, so the rest still work.
 *
 * Returns: (transfer full): what @parse made, freed with @free_func
 */
GPtrArray *
mc_data_load_folder (const char      *resource_folder,
                     McDataParseFunc  parse,
                     GDestroyNotify   free_func)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (free_func);
  g_auto(GStrv) names = g_resources_enumerate_children (resource_folder, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_path ("/", resource_folder, names[i], NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_autoptr(GError) error = NULL;
      gpointer item;
      gsize length;
      const char *data;

      if (bytes == NULL)
        continue;
      data = g_bytes_get_data (bytes, &length);
      item = parse (data, length, &error);
      if (item == NULL)
        g_critical ("%s is invalid: %s", path, error->message);
      else
        g_ptr_array_add (list, item);
    }
  return list;
}
