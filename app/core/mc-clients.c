/* mc-clients.c
 *
 * The catalogue of mail programs: key files in data/clients/ (described in
 * its README.md), compiled into the engine as resources and validated when
 * loaded; a test loads every file. A file holds the program's own labels in
 * each language of the app, every one with its source; the sentences around
 * them are ours and go through gettext.
 *
 * Labels and sentences must never mix languages. So the labels do not follow
 * the environment but the translation gettext actually found: one marker
 * string, translated like any other, names the catalogue language that goes
 * with its translation. Without a (complete) German catalogue the sentences
 * are English, and so are the labels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-clients"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-clients-private.h"

#define CLIENT_RESOURCE_PATH "/de/netzprisma/MailCheck/clients"
#define DEFAULT_CLIENT "other"

static const char * const languages[MC_CLIENT_N_LANGUAGES] = { "en", "de" };

static const char * const quality_names[] = { "exact", "unverified", "inferred", "description" };
static const char * const security_style_names[] = { "choice", "switch" };
static const char * const port_style_names[] = { "field", "in-server", "none" };
static const char * const follows_names[] = { "no", "yes", "maybe" };
static const char * const auth_style_names[] = { "choice", "switch-on", "switch-off", "none" };
static const char * const trap_names[] = {
  "auto-never", "starttls-named-tls", "auto-manage", "accept-all", "user-local-part",
};
static const char * const field_names[] = { "server", "port", "security", "user", "auth" };
static const char * const field_keys[] = { "Server", "Port", "Security", "User", "Auth" };
static const char * const direction_keys[] = { "Incoming", "Outgoing" };
static const char * const option_ids[] = { "option-tls", "option-starttls", "option-none" };

static const char * const client_keys[] = {
  "Id", "Order", "Protocols", "Security", "Offers", "Port", "PortFollowsSecurity",
  "AuthIncoming", "AuthOutgoing", "Traps", "FixedAfterAdding", "IncomingPath", "OutgoingPath",
  "RemovePath", "AddPath",
};

G_DEFINE_QUARK (mc-client-error-quark, mc_client_error)

/* The language ----------------------------------------------------------------- */

guint
mc_clients_language_index (void)
{
  /* Translators: not shown. The language of the mail programs' own labels
   * (menus, fields, options from data/clients/) that go with this
   * translation: "de" for German. Keep "en" while data/clients has no labels
   * in your language, so sentences and labels never mix languages. */
  const char *code = C_("mail program labels", "en");

  for (guint i = 0; i < MC_CLIENT_N_LANGUAGES; i++)
    {
      if (g_str_equal (code, languages[i]))
        return i;
    }
  return 0;
}

/* The code of the language the catalogue's labels are shown in: the one that
 * goes with the app's current translation. */
const char *
mc_clients_get_language (void)
{
  return languages[mc_clients_language_index ()];
}

/* Loading ----------------------------------------------------------------------- */

static void
term_free (gpointer data)
{
  McClientTerm *term = data;

  for (guint i = 0; i < MC_CLIENT_N_LANGUAGES; i++)
    {
      g_free (term->text[i]);
      g_free (term->source[i]);
    }
  g_free (term);
}

void
mc_client_free (McClient *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  for (guint d = 0; d < MC_CLIENT_N_DIRECTIONS; d++)
    {
      g_clear_pointer (&self->path[d], g_ptr_array_unref);
      for (guint f = 0; f < MC_CLIENT_N_FIELDS; f++)
        g_clear_pointer (&self->field_path[f][d], g_ptr_array_unref);
    }
  g_clear_pointer (&self->remove_path, g_ptr_array_unref);
  g_clear_pointer (&self->add_path, g_ptr_array_unref);
  g_clear_pointer (&self->terms, g_hash_table_unref);
  g_free (self);
}

static gboolean
invalid (GError     **error,
         const char  *id,
         const char  *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError     **error,
         const char  *id,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, MC_CLIENT_ERROR, MC_CLIENT_ERROR_INVALID, "%s: %s", id ? id : "client", message);
  return FALSE;
}

static gboolean
str_in (const char         *text,
        const char * const *list,
        guint               n,
        guint              *index)
{
  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (text, list[i]))
        {
          *index = i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
get_enum (GKeyFile           *keyfile,
          const char         *id,
          const char         *key,
          const char * const *names,
          guint               n,
          int                 fallback,
          int                *value,
          GError            **error)
{
  g_autofree char *text = g_key_file_get_value (keyfile, "Client", key, NULL);
  guint index;

  if (text == NULL && fallback >= 0)
    {
      *value = fallback;
      return TRUE;
    }
  if (text == NULL)
    return invalid (error, id, "[Client] %s is missing", key);
  if (!str_in (g_strstrip (text), names, n, &index))
    return invalid (error, id, "[Client] %s “%s” is not one of the known values", key, text);
  *value = index;
  return TRUE;
}

/* Texts go into sentences and onto buttons as they are: nothing in them may
 * look like a placeholder, and nothing may be empty. */
static gboolean
text_is_clean (const char *text)
{
  return text[0] != '\0' && strpbrk (text, "%{}\n\t") == NULL && strstr (text, "@@") == NULL &&
         g_utf8_validate (text, -1, NULL);
}

static McClientTerm *
term_parse (GKeyFile    *keyfile,
            const char  *id,
            const char  *group,
            GHashTable  *sources,
            GHashTable  *used_sources,
            GError     **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);
  McClientTerm *term = g_new0 (McClientTerm, 1);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      gboolean known = FALSE;

      for (guint lang = 0; lang < MC_CLIENT_N_LANGUAGES && !known; lang++)
        {
          g_autofree char *source_key = g_strconcat (languages[lang], "-source", NULL);
          g_autofree char *quality_key = g_strconcat (languages[lang], "-quality", NULL);

          known = g_str_equal (keys[i], languages[lang]) || g_str_equal (keys[i], source_key) ||
                  g_str_equal (keys[i], quality_key);
        }
      if (!known)
        {
          invalid (error, id, "[%s] has an unknown key %s", group, keys[i]);
          term_free (term);
          return NULL;
        }
    }

  for (guint lang = 0; lang < MC_CLIENT_N_LANGUAGES; lang++)
    {
      g_autofree char *source_key = g_strconcat (languages[lang], "-source", NULL);
      g_autofree char *quality_key = g_strconcat (languages[lang], "-quality", NULL);
      g_autofree char *source_id = g_key_file_get_value (keyfile, group, source_key, NULL);
      g_autofree char *quality = g_key_file_get_value (keyfile, group, quality_key, NULL);
      const char *citation;
      guint index = MC_CLIENT_QUALITY_EXACT;

      term->text[lang] = g_key_file_get_string (keyfile, group, languages[lang], NULL);
      if (term->text[lang] == NULL || !text_is_clean (g_strstrip (term->text[lang])))
        {
          invalid (error, id, "[%s] needs a clean %s text (no %%, {, }, @@)", group, languages[lang]);
          term_free (term);
          return NULL;
        }
      citation = source_id ? g_hash_table_lookup (sources, g_strstrip (source_id)) : NULL;
      if (citation == NULL)
        {
          invalid (error, id, "[%s] %s needs a source from [Sources]", group, source_key);
          term_free (term);
          return NULL;
        }
      g_hash_table_add (used_sources, g_strdup (source_id));
      term->source[lang] = g_strdup (citation);
      if (quality != NULL &&
          !str_in (g_strstrip (quality), quality_names, G_N_ELEMENTS (quality_names), &index))
        {
          invalid (error, id, "[%s] %s “%s” is not exact, unverified, inferred or description",
                   group, quality_key, quality);
          term_free (term);
          return NULL;
        }
      term->quality[lang] = index;
    }

  return term;
}

static GPtrArray *
path_parse (GKeyFile    *keyfile,
            McClient    *self,
            const char  *key,
            GHashTable  *used_terms,
            GError     **error)
{
  g_auto(GStrv) ids = mc_data_get_list (keyfile, "Client", key);
  g_autoptr(GPtrArray) path = g_ptr_array_new ();

  if (!g_key_file_has_key (keyfile, "Client", key, NULL))
    return NULL;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      McClientTerm *term = g_hash_table_lookup (self->terms, ids[i]);

      if (term == NULL)
        {
          invalid (error, self->id, "[Client] %s names a term [%s] that does not exist", key, ids[i]);
          return NULL;
        }
      g_hash_table_add (used_terms, g_strdup (ids[i]));
      g_ptr_array_add (path, term);
    }
  if (path->len == 0)
    {
      invalid (error, self->id, "[Client] %s is empty", key);
      return NULL;
    }
  return g_steal_pointer (&path);
}

static gboolean
role_term_id_is_known (const char *id)
{
  static const char * const fixed[] = {
    "name", "short-name", "option-tls", "option-starttls", "option-none", "option-auth",
    "option-auto", "option-tls-all", "option-starttls-all", "auto-manage",
  };
  static const char * const suffixes[] = { "", "-in", "-out", "-pop3", "-imap", "-smtp" };
  guint index;

  if (str_in (id, fixed, G_N_ELEMENTS (fixed), &index))
    return TRUE;
  for (guint f = 0; f < G_N_ELEMENTS (field_names); f++)
    {
      for (guint s = 0; s < G_N_ELEMENTS (suffixes); s++)
        {
          g_autofree char *name = g_strconcat (field_names[f], suffixes[s], NULL);

          if (g_str_equal (id, name))
            return TRUE;
        }
    }
  return FALSE;
}

int
mc_client_direction (McProtocol protocol)
{
  return protocol == MC_PROTOCOL_SMTP ? MC_CLIENT_OUTGOING : MC_CLIENT_INCOMING;
}

/* The term for @role ("server", "security", …): by protocol ("server-imap"),
 * else by direction ("server-in"), else for both ("server"). */
const McClientTerm *
mc_client_role_term (const McClient *self,
                     const char     *role,
                     McProtocol      protocol)
{
  g_autofree char *by_protocol = g_strdup_printf ("%s-%s", role, mc_protocol_to_string (protocol));
  gboolean outgoing = mc_client_direction (protocol) == MC_CLIENT_OUTGOING;
  g_autofree char *by_direction = g_strconcat (role, outgoing ? "-out" : "-in", NULL);
  const McClientTerm *term;

  if ((term = g_hash_table_lookup (self->terms, by_protocol)) != NULL ||
      (term = g_hash_table_lookup (self->terms, by_direction)) != NULL)
    return term;
  return g_hash_table_lookup (self->terms, role);
}

static gboolean
require_term (McClient    *self,
              const char  *id,
              const char  *why,
              GError     **error)
{
  if (!g_hash_table_contains (self->terms, id))
    return invalid (error, self->id, "needs a term [%s] (%s)", id, why);
  return TRUE;
}

/* Each supported protocol needs its path and the terms its steps name. */
static gboolean
validate_protocols (McClient  *self,
                    GError   **error)
{
  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      int direction = mc_client_direction (protocol);

      if (!self->protocols[protocol])
        continue;
      if (self->path[direction] == NULL)
        return invalid (error, self->id, "[Client] %sPath is missing", direction_keys[direction]);
      if (mc_client_role_term (self, "security", protocol) == NULL)
        return invalid (error, self->id, "needs a security term for %s", mc_protocol_to_string (protocol));
      if (self->auth[direction] != MC_CLIENT_AUTH_NONE && mc_client_role_term (self, "auth", protocol) == NULL)
        return invalid (error, self->id, "needs an auth term for %s", mc_protocol_to_string (protocol));
      if (self->auth[direction] == MC_CLIENT_AUTH_CHOICE &&
          !require_term (self, "option-auth", "the normal password option", error))
        return FALSE;
    }
  return TRUE;
}

/* A choice of modes needs an option term for each one offered; a single
 * switch has no options, so the traps about options cannot apply. */
static gboolean
validate_security (McClient    *self,
                   GHashTable  *used_terms,
                   GError     **error)
{
  if (self->security_style == MC_CLIENT_SECURITY_CHOICE)
    {
      if (!self->offers[MC_SECURITY_TLS] || !self->offers[MC_SECURITY_STARTTLS])
        return invalid (error, self->id, "[Client] Offers must include tls and starttls");
      for (guint s = 0; s < G_N_ELEMENTS (option_ids); s++)
        {
          if (self->offers[s] && !require_term (self, option_ids[s], "an offered mode", error))
            return FALSE;
          if (self->offers[s])
            g_hash_table_add (used_terms, g_strdup (option_ids[s]));
        }
    }
  else if (self->traps &
           (MC_CLIENT_TRAP_AUTO_NEVER | MC_CLIENT_TRAP_STARTTLS_NAMED_TLS | MC_CLIENT_TRAP_ACCEPT_ALL))
    return invalid (error, self->id, "a single switch has no options for these traps");
  return TRUE;
}

/* Traps that name an option or a setting need its term. */
static gboolean
validate_traps (McClient    *self,
                GHashTable  *used_terms,
                GError     **error)
{
  if ((self->traps & MC_CLIENT_TRAP_AUTO_NEVER) &&
      !require_term (self, "option-auto", "the trap auto-never", error))
    return FALSE;
  if ((self->traps & MC_CLIENT_TRAP_AUTO_MANAGE) &&
      !require_term (self, "auto-manage", "the trap auto-manage", error))
    return FALSE;
  if ((self->traps & MC_CLIENT_TRAP_ACCEPT_ALL) &&
      (!require_term (self, "option-tls-all", "the trap accept-all", error) ||
       !require_term (self, "option-starttls-all", "the trap accept-all", error)))
    return FALSE;
  if (self->traps & MC_CLIENT_TRAP_AUTO_NEVER)
    g_hash_table_add (used_terms, g_strdup ("option-auto"));
  if (self->traps & MC_CLIENT_TRAP_AUTO_MANAGE)
    g_hash_table_add (used_terms, g_strdup ("auto-manage"));
  if (self->traps & MC_CLIENT_TRAP_ACCEPT_ALL)
    {
      g_hash_table_add (used_terms, g_strdup ("option-tls-all"));
      g_hash_table_add (used_terms, g_strdup ("option-starttls-all"));
    }
  return TRUE;
}

/* Field labels: used when a supported protocol looks them up. */
static void
mark_field_terms_used (McClient   *self,
                       GHashTable *used_terms)
{
  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      for (guint f = 0; f < G_N_ELEMENTS (field_names) && self->protocols[protocol]; f++)
        {
          const McClientTerm *term = mc_client_role_term (self, field_names[f], protocol);
          GHashTableIter terms;
          gpointer key, value;

          if (term == NULL ||
              (f == MC_CLIENT_FIELD_PORT && self->port_style == MC_CLIENT_PORT_IN_SERVER) ||
              (f == MC_CLIENT_FIELD_AUTH && self->auth[mc_client_direction (protocol)] == MC_CLIENT_AUTH_NONE))
            continue;
          g_hash_table_iter_init (&terms, self->terms);
          while (g_hash_table_iter_next (&terms, &key, &value))
            {
              if (value == term)
                g_hash_table_add (used_terms, g_strdup (key));
            }
        }
    }
}

/* What the terms must cover, given the flags; and no term without a use. */
static gboolean
validate_coverage (McClient    *self,
                   GHashTable  *used_terms,
                   GError     **error)
{
  GHashTableIter iter;
  const char *id;

  if (!require_term (self, "name", "the name in the list", error))
    return FALSE;
  g_hash_table_add (used_terms, g_strdup ("name"));
  g_hash_table_add (used_terms, g_strdup ("short-name"));

  if (!validate_protocols (self, error) || !validate_security (self, used_terms, error))
    return FALSE;
  if (self->port_style == MC_CLIENT_PORT_NONE && self->port_follows != MC_CLIENT_FOLLOWS_YES)
    return invalid (error, self->id,
                    "without a port field the mode must set the port (PortFollowsSecurity=yes)");
  if (self->fixed != 0 && (self->remove_path == NULL || self->add_path == NULL))
    return invalid (error, self->id, "FixedAfterAdding needs RemovePath and AddPath");
  if (!validate_traps (self, used_terms, error))
    return FALSE;
  if (self->auth[MC_CLIENT_INCOMING] == MC_CLIENT_AUTH_CHOICE ||
      self->auth[MC_CLIENT_OUTGOING] == MC_CLIENT_AUTH_CHOICE)
    g_hash_table_add (used_terms, g_strdup ("option-auth"));
  mark_field_terms_used (self, used_terms);

  g_hash_table_iter_init (&iter, self->terms);
  while (g_hash_table_iter_next (&iter, (gpointer *)&id, NULL))
    {
      if (!g_hash_table_contains (used_terms, id))
        return invalid (error, self->id, "term [%s] is not used", id);
    }
  return TRUE;
}

static gboolean
parse_flags (GKeyFile  *keyfile,
             McClient  *self,
             GError   **error)
{
  g_auto(GStrv) protocols = mc_data_get_list (keyfile, "Client", "Protocols");
  g_auto(GStrv) offers = mc_data_get_list (keyfile, "Client", "Offers");
  g_auto(GStrv) traps = mc_data_get_list (keyfile, "Client", "Traps");
  g_auto(GStrv) fixed = mc_data_get_list (keyfile, "Client", "FixedAfterAdding");
  int value;

  if (!get_enum (keyfile, self->id, "Security", security_style_names, G_N_ELEMENTS (security_style_names),
                 -1, &value, error))
    return FALSE;
  self->security_style = value;
  if (!get_enum (keyfile, self->id, "Port", port_style_names, G_N_ELEMENTS (port_style_names),
                 -1, &value, error))
    return FALSE;
  self->port_style = value;
  if (!get_enum (keyfile, self->id, "PortFollowsSecurity", follows_names, G_N_ELEMENTS (follows_names),
                 -1, &value, error))
    return FALSE;
  self->port_follows = value;
  for (guint d = 0; d < MC_CLIENT_N_DIRECTIONS; d++)
    {
      g_autofree char *key = g_strconcat ("Auth", direction_keys[d], NULL);

      if (!get_enum (keyfile, self->id, key, auth_style_names, G_N_ELEMENTS (auth_style_names),
                     -1, &value, error))
        return FALSE;
      self->auth[d] = value;
    }

  for (guint p = 0; p < MC_N_PROTOCOLS; p++)
    self->protocols[p] = protocols[0] == NULL;
  for (guint i = 0; protocols[i] != NULL; i++)
    {
      McProtocol protocol;

      if (!mc_protocol_from_string (protocols[i], &protocol))
        return invalid (error, self->id, "[Client] Protocols has an unknown protocol %s", protocols[i]);
      self->protocols[protocol] = TRUE;
    }

  if (self->security_style == MC_CLIENT_SECURITY_SWITCH)
    {
      if (offers[0] != NULL)
        return invalid (error, self->id, "[Client] Offers is for Security=choice only");
      for (guint s = 0; s < G_N_ELEMENTS (self->offers); s++)
        self->offers[s] = TRUE;
    }
  for (guint i = 0; offers[i] != NULL; i++)
    {
      McSecurity security;

      if (!mc_security_from_string (offers[i], &security))
        return invalid (error, self->id, "[Client] Offers has an unknown mode %s", offers[i]);
      self->offers[security] = TRUE;
    }

  for (guint i = 0; traps[i] != NULL; i++)
    {
      guint index;

      if (!str_in (traps[i], trap_names, G_N_ELEMENTS (trap_names), &index))
        return invalid (error, self->id, "[Client] Traps has an unknown trap %s", traps[i]);
      self->traps |= 1u << index;
    }
  for (guint i = 0; fixed[i] != NULL; i++)
    {
      guint index;

      if (!str_in (fixed[i], field_names, G_N_ELEMENTS (field_names), &index))
        return invalid (error, self->id, "[Client] FixedAfterAdding has an unknown field %s", fixed[i]);
      self->fixed |= 1u << index;
    }
  return TRUE;
}

static gboolean
parse_paths (GKeyFile    *keyfile,
             McClient    *self,
             GHashTable  *used_terms,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  for (guint d = 0; d < MC_CLIENT_N_DIRECTIONS; d++)
    {
      g_autofree char *key = g_strconcat (direction_keys[d], "Path", NULL);

      self->path[d] = path_parse (keyfile, self, key, used_terms, &local_error);
      if (local_error != NULL)
        goto failed;
      for (guint f = 0; f < MC_CLIENT_N_FIELDS; f++)
        {
          g_autofree char *field_key = g_strconcat (field_keys[f], direction_keys[d], "Path", NULL);

          self->field_path[f][d] = path_parse (keyfile, self, field_key, used_terms, &local_error);
          if (local_error != NULL)
            goto failed;
        }
    }
  self->remove_path = path_parse (keyfile, self, "RemovePath", used_terms, &local_error);
  if (local_error == NULL)
    self->add_path = path_parse (keyfile, self, "AddPath", used_terms, &local_error);
  if (local_error == NULL)
    return TRUE;

failed:
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
client_keys_known (GKeyFile    *keyfile,
                   const char  *id,
                   GError     **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (keyfile, "Client", NULL, NULL);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      gboolean known = FALSE;
      guint index;

      if (str_in (keys[i], client_keys, G_N_ELEMENTS (client_keys), &index))
        continue;
      for (guint f = 0; f < MC_CLIENT_N_FIELDS && !known; f++)
        {
          for (guint d = 0; d < MC_CLIENT_N_DIRECTIONS && !known; d++)
            {
              g_autofree char *field_key = g_strconcat (field_keys[f], direction_keys[d], "Path", NULL);

              known = g_str_equal (keys[i], field_key);
            }
        }
      if (!known)
        return invalid (error, id, "[Client] has an unknown key %s", keys[i]);
    }
  return TRUE;
}

static gboolean
parse_id_and_order (GKeyFile  *keyfile,
                    McClient  *self,
                    GError   **error)
{
  g_autofree char *order = NULL;
  gint64 order_value;

  self->id = g_key_file_get_value (keyfile, "Client", "Id", NULL);
  if (self->id == NULL || self->id[0] == '\0' || strspn (self->id, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
      strlen (self->id))
    return invalid (error, NULL, "[Client] Id is missing or not lower-case letters, digits and -");
  order = g_key_file_get_value (keyfile, "Client", "Order", NULL);
  if (order == NULL || !g_ascii_string_to_signed (order, 10, 0, 100000, &order_value, NULL))
    return invalid (error, self->id, "[Client] Order must be a number");
  self->order = order_value;
  return TRUE;
}

/* [Sources]: the citation for each of @source_ids, into @sources. */
static gboolean
parse_sources (GKeyFile    *keyfile,
               const char  *id,
               GStrv        source_ids,
               GHashTable  *sources,
               GError     **error)
{
  for (guint i = 0; source_ids != NULL && source_ids[i] != NULL; i++)
    {
      g_autofree char *citation = g_key_file_get_value (keyfile, "Sources", source_ids[i], NULL);

      if (citation == NULL || g_strstrip (citation)[0] == '\0')
        return invalid (error, id, "[Sources] %s is empty", source_ids[i]);
      g_hash_table_insert (sources, g_strdup (source_ids[i]), g_steal_pointer (&citation));
    }
  return TRUE;
}

/* Every group but [Client] and [Sources] is a term. */
static gboolean
parse_terms (GKeyFile    *keyfile,
             McClient    *self,
             GStrv        groups,
             GHashTable  *sources,
             GHashTable  *used_sources,
             GError     **error)
{
  self->terms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, term_free);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      McClientTerm *term;

      if (g_str_equal (groups[i], "Client") || g_str_equal (groups[i], "Sources"))
        continue;
      if (strspn (groups[i], "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen (groups[i]))
        return invalid (error, self->id, "term [%s]: ids are lower-case letters, digits and -", groups[i]);
      if (!(term = term_parse (keyfile, self->id, groups[i], sources, used_sources, error)))
        return FALSE;
      g_hash_table_insert (self->terms, g_strdup (groups[i]), term);
    }
  return TRUE;
}

/* A term is a role the sentences look up, or is named in a path. */
static gboolean
validate_term_roles (McClient    *self,
                     GStrv        groups,
                     GHashTable  *used_terms,
                     GError     **error)
{
  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (g_hash_table_contains (self->terms, groups[i]) && !role_term_id_is_known (groups[i]) &&
          !g_hash_table_contains (used_terms, groups[i]))
        return invalid (error, self->id, "term [%s] is neither a known role nor in a path", groups[i]);
    }
  return TRUE;
}

/* Every source in [Sources] backs at least one text. */
static gboolean
validate_sources_used (McClient    *self,
                       GStrv        source_ids,
                       GHashTable  *used_sources,
                       GError     **error)
{
  for (guint i = 0; source_ids != NULL && source_ids[i] != NULL; i++)
    {
      if (!g_hash_table_contains (used_sources, source_ids[i]))
        return invalid (error, self->id, "[Sources] %s is not used", source_ids[i]);
    }
  return TRUE;
}

McClient *
mc_client_new_from_data (const char  *data,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(McClient) self = g_new0 (McClient, 1);
  g_autoptr(GHashTable) sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) used_sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) used_terms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) source_ids = NULL;

  if (!g_key_file_load_from_data (keyfile, data, length, G_KEY_FILE_NONE, error))
    return NULL;
  if (!parse_id_and_order (keyfile, self, error) || !client_keys_known (keyfile, self->id, error) ||
      !parse_flags (keyfile, self, error))
    return NULL;

  source_ids = g_key_file_get_keys (keyfile, "Sources", NULL, NULL);
  groups = g_key_file_get_groups (keyfile, NULL);
  if (!parse_sources (keyfile, self->id, source_ids, sources, error) ||
      !parse_terms (keyfile, self, groups, sources, used_sources, error) ||
      !parse_paths (keyfile, self, used_terms, error))
    return NULL;

  if (!validate_term_roles (self, groups, used_terms, error) ||
      !validate_coverage (self, used_terms, error) ||
      !validate_sources_used (self, source_ids, used_sources, error))
    return NULL;

  return g_steal_pointer (&self);
}

static int
compare_clients (gconstpointer a,
                 gconstpointer b)
{
  const McClient *client_a = *(const McClient **)a;
  const McClient *client_b = *(const McClient **)b;

  if (client_a->order != client_b->order)
    return client_a->order < client_b->order ? -1 : 1;
  return strcmp (client_a->id, client_b->id);
}

/* Returns: (transfer none): every program in the catalogue, in list order. */
GPtrArray *
mc_client_list (void)
{
  static GPtrArray *clients;

  if (g_once_init_enter (&clients))
    {
      GPtrArray *list = mc_data_load_folder (CLIENT_RESOURCE_PATH, (McDataParseFunc)mc_client_new_from_data,
                                             (GDestroyNotify)mc_client_free);

      g_ptr_array_sort (list, compare_clients);
      g_once_init_leave (&clients, list);
    }

  return clients;
}

const McClient *
mc_client_lookup (const char *id)
{
  GPtrArray *clients = mc_client_list ();

  for (guint i = 0; id != NULL && i < clients->len; i++)
    {
      const McClient *client = g_ptr_array_index (clients, i);

      if (g_str_equal (client->id, id))
        return client;
    }
  return NULL;
}

/* "Other program": the generic wording, for customers whose program is not
 * in the list. */
const McClient *
mc_client_get_default (void)
{
  const McClient *client = mc_client_lookup (DEFAULT_CLIENT);
  GPtrArray *clients = mc_client_list ();

  if (client == NULL && clients->len > 0)
    client = g_ptr_array_index (clients, clients->len - 1);
  return client;
}

const char *
mc_client_get_id (const McClient *self)
{
  return self->id;
}

const McClientTerm *
mc_client_term (const McClient *self,
                const char     *id)
{
  return g_hash_table_lookup (self->terms, id);
}

const char *
mc_client_term_text (const McClientTerm *term)
{
  return term->text[mc_clients_language_index ()];
}

/* The name for the list of programs, in the language of the app's sentences. */
const char *
mc_client_get_name (const McClient *self)
{
  return mc_client_term_text (mc_client_term (self, "name"));
}

gboolean
mc_client_supports_protocol (const McClient *self,
                             McProtocol      protocol)
{
  g_return_val_if_fail (protocol < MC_N_PROTOCOLS, FALSE);
  return self->protocols[protocol];
}

gboolean
mc_client_offers_security (const McClient *self,
                           McSecurity      security)
{
  g_return_val_if_fail (security < G_N_ELEMENTS (self->offers), FALSE);
  return self->offers[security];
}

/* Whether choosing a mode moves the port by itself; then the customer is
 * told to leave the port the program sets, not to type one. */
gboolean
mc_client_sets_port (const McClient *self)
{
  return self->port_follows == MC_CLIENT_FOLLOWS_YES;
}

const char *
mc_client_field_role (McClientField field)
{
  return mc_enum_name (field_names, G_N_ELEMENTS (field_names), field);
}

const char *
mc_client_option_id (McSecurity security)
{
  return mc_enum_name (option_ids, G_N_ELEMENTS (option_ids), security);
}
