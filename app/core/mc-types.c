/* mc-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-types"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "mc-types.h"

static const char * const protocol_names[] = { "pop3", "imap", "smtp" };
static const char * const security_names[] = { "tls", "starttls", "none" };
static const char * const step_names[] = {
  "resolve", "connect", "tls", "greeting", "capabilities", "starttls", "login", "logout",
  "sender", "recipient", "network",
};
static const char * const status_names[] = { "running", "ok", "warning", "failed", "skipped" };
static const char * const verdict_names[] = { "ok", "warning", "failed" };
static const char * const auth_result_names[] = { "not-tried", "ok", "rejected" };

/**
 * mc_enum_name:
 * @names: the names of an enumeration's values, in the order of the values
 *
 * Returns: the name of @value, or %NULL (with a critical warning) when it is
 *   out of range
 */
const char *
mc_enum_name (const char * const *names,
              guint               n_names,
              guint               value)
{
  g_return_val_if_fail (value < n_names, NULL);
  return names[value];
}

/* The value whose name is @text, in any ASCII case; FALSE for none (and for
 * NULL). */
gboolean
mc_enum_parse (const char * const *names,
               guint               n_names,
               const char         *text,
               guint              *value)
{
  for (guint i = 0; text != NULL && i < n_names; i++)
    {
      if (g_ascii_strcasecmp (text, names[i]) == 0)
        {
          *value = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
mc_protocol_to_string (McProtocol protocol)
{
  return mc_enum_name (protocol_names, G_N_ELEMENTS (protocol_names), protocol);
}

gboolean
mc_protocol_from_string (const char *text,
                         McProtocol *protocol)
{
  guint value;

  if (!mc_enum_parse (protocol_names, G_N_ELEMENTS (protocol_names), text, &value))
    return FALSE;
  *protocol = value;
  return TRUE;
}

const char *
mc_protocol_display_name (McProtocol protocol)
{
  static const char * const display[] = { "POP3", "IMAP", "SMTP" };

  return mc_enum_name (display, G_N_ELEMENTS (display), protocol);
}

const char *
mc_security_to_string (McSecurity security)
{
  return mc_enum_name (security_names, G_N_ELEMENTS (security_names), security);
}

gboolean
mc_security_from_string (const char *text,
                         McSecurity *security)
{
  guint value;

  if (!mc_enum_parse (security_names, G_N_ELEMENTS (security_names), text, &value))
    return FALSE;
  *security = value;
  return TRUE;
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
  return mc_enum_name (step_names, G_N_ELEMENTS (step_names), id);
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
  return mc_enum_name (status_names, G_N_ELEMENTS (status_names), status);
}

const char *
mc_verdict_to_string (McVerdict verdict)
{
  return mc_enum_name (verdict_names, G_N_ELEMENTS (verdict_names), verdict);
}

const char *
mc_auth_result_to_string (McAuthResult result)
{
  return mc_enum_name (auth_result_names, G_N_ELEMENTS (auth_result_names), result);
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

/**
 * mc_data_get_list:
 *
 * A list of a data file: the entries of @key in @group, split at ";", each
 * stripped, empty ones left out.
 *
 * Lists are read raw and split here: g_key_file_get_string_list() of GLib 2.74
 * warns about its own error handling on a trailing backslash, and the fields
 * of the data files need no escapes.
 *
 * Returns: (transfer full): the entries, empty when there is no such key
 */
GStrv
mc_data_get_list (GKeyFile   *keyfile,
                  const char *group,
                  const char *key)
{
  g_autofree char *raw = g_key_file_get_value (keyfile, group, key, NULL);
  g_auto(GStrv) parts = NULL;
  GPtrArray *list = g_ptr_array_new ();

  if (raw != NULL)
    {
      parts = g_strsplit (raw, ";", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (parts[i][0] != '\0')
            g_ptr_array_add (list, g_strdup (parts[i]));
        }
    }
  g_ptr_array_add (list, NULL);
  return (GStrv)g_ptr_array_free (list, FALSE);
}
