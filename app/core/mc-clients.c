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

#include "mc-clients.h"

#define CLIENT_RESOURCE_PATH "/de/netzprisma/MailCheck/clients"
#define PATH_SEPARATOR " → "
#define DEFAULT_CLIENT "other"

#define N_LANGUAGES 2
static const char * const languages[N_LANGUAGES] = { "en", "de" };

typedef enum
{
  QUALITY_EXACT,
  QUALITY_UNVERIFIED,
  QUALITY_INFERRED,
  QUALITY_DESCRIPTION,
} Quality;

typedef struct
{
  char    *text[N_LANGUAGES];
  char    *source[N_LANGUAGES];
  Quality  quality[N_LANGUAGES];
} Term;

enum { INCOMING, OUTGOING, N_DIRECTIONS };

typedef enum { SECURITY_CHOICE, SECURITY_SWITCH } SecurityStyle;
typedef enum { PORT_FIELD, PORT_IN_SERVER, PORT_NONE } PortStyle;
typedef enum { FOLLOWS_NO, FOLLOWS_YES, FOLLOWS_MAYBE } PortFollows;
typedef enum { AUTH_CHOICE, AUTH_SWITCH_ON, AUTH_SWITCH_OFF, AUTH_NONE } AuthStyle;

typedef enum
{
  TRAP_AUTO_NEVER         = 1 << 0,
  TRAP_STARTTLS_NAMED_TLS = 1 << 1,
  TRAP_AUTO_MANAGE        = 1 << 2,
  TRAP_ACCEPT_ALL         = 1 << 3,
  TRAP_USER_LOCAL_PART    = 1 << 4,
} Trap;

#define ALL_FIELDS ((1u << MC_CLIENT_N_FIELDS) - 1)

struct _McClient
{
  char          *id;
  int            order;
  gboolean       protocols[MC_N_PROTOCOLS];
  SecurityStyle  security_style;
  gboolean       offers[3];
  PortStyle      port_style;
  PortFollows    port_follows;
  AuthStyle      auth[N_DIRECTIONS];
  guint          traps;
  guint          fixed;

  /* Owned: Term by id; the paths borrow from it */
  GHashTable    *terms;
  GPtrArray     *path[N_DIRECTIONS];
  GPtrArray     *field_path[MC_CLIENT_N_FIELDS][N_DIRECTIONS];
  GPtrArray     *remove_path;
  GPtrArray     *add_path;
};

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

static guint
language_index (void)
{
  /* Translators: not shown. The language of the mail programs' own labels
   * (menus, fields, options from data/clients/) that go with this
   * translation: "de" for German. Keep "en" while data/clients has no labels
   * in your language, so sentences and labels never mix languages. */
  const char *code = C_("mail program labels", "en");

  for (guint i = 0; i < N_LANGUAGES; i++)
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
  return languages[language_index ()];
}

/* Loading ----------------------------------------------------------------------- */

static void
term_free (gpointer data)
{
  Term *term = data;

  for (guint i = 0; i < N_LANGUAGES; i++)
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
  for (guint d = 0; d < N_DIRECTIONS; d++)
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

/* Lists are read raw and split here, as for the provider profiles. */
static GStrv
get_list (GKeyFile   *keyfile,
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

static Term *
term_parse (GKeyFile    *keyfile,
            const char  *id,
            const char  *group,
            GHashTable  *sources,
            GHashTable  *used_sources,
            GError     **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);
  Term *term = g_new0 (Term, 1);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      gboolean known = FALSE;

      for (guint lang = 0; lang < N_LANGUAGES && !known; lang++)
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

  for (guint lang = 0; lang < N_LANGUAGES; lang++)
    {
      g_autofree char *source_key = g_strconcat (languages[lang], "-source", NULL);
      g_autofree char *quality_key = g_strconcat (languages[lang], "-quality", NULL);
      g_autofree char *source_id = g_key_file_get_value (keyfile, group, source_key, NULL);
      g_autofree char *quality = g_key_file_get_value (keyfile, group, quality_key, NULL);
      const char *citation;
      guint index = QUALITY_EXACT;

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
      if (quality != NULL && !str_in (g_strstrip (quality), quality_names, G_N_ELEMENTS (quality_names), &index))
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
  g_auto(GStrv) ids = get_list (keyfile, "Client", key);
  g_autoptr(GPtrArray) path = g_ptr_array_new ();

  if (!g_key_file_has_key (keyfile, "Client", key, NULL))
    return NULL;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      Term *term = g_hash_table_lookup (self->terms, ids[i]);

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

static int
direction_of (McProtocol protocol)
{
  return protocol == MC_PROTOCOL_SMTP ? OUTGOING : INCOMING;
}

/* The term for @role ("server", "security", …): by protocol ("server-imap"),
 * else by direction ("server-in"), else for both ("server"). */
static const Term *
role_term (const McClient *self,
           const char     *role,
           McProtocol      protocol)
{
  g_autofree char *by_protocol = g_strdup_printf ("%s-%s", role, mc_protocol_to_string (protocol));
  g_autofree char *by_direction = g_strconcat (role, direction_of (protocol) == OUTGOING ? "-out" : "-in", NULL);
  const Term *term;

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

  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      int direction = direction_of (protocol);

      if (!self->protocols[protocol])
        continue;
      if (self->path[direction] == NULL)
        return invalid (error, self->id, "[Client] %sPath is missing", direction_keys[direction]);
      if (role_term (self, "security", protocol) == NULL)
        return invalid (error, self->id, "needs a security term for %s", mc_protocol_to_string (protocol));
      if (self->auth[direction] != AUTH_NONE && role_term (self, "auth", protocol) == NULL)
        return invalid (error, self->id, "needs an auth term for %s", mc_protocol_to_string (protocol));
      if (self->auth[direction] == AUTH_CHOICE &&
          !require_term (self, "option-auth", "the normal password option", error))
        return FALSE;
    }

  if (self->security_style == SECURITY_CHOICE)
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
  else if (self->traps & (TRAP_AUTO_NEVER | TRAP_STARTTLS_NAMED_TLS | TRAP_ACCEPT_ALL))
    return invalid (error, self->id, "a single switch has no options for these traps");

  if (self->port_style == PORT_NONE && self->port_follows != FOLLOWS_YES)
    return invalid (error, self->id, "without a port field the mode must set the port (PortFollowsSecurity=yes)");
  if (self->fixed != 0 && (self->remove_path == NULL || self->add_path == NULL))
    return invalid (error, self->id, "FixedAfterAdding needs RemovePath and AddPath");
  if ((self->traps & TRAP_AUTO_NEVER) && !require_term (self, "option-auto", "the trap auto-never", error))
    return FALSE;
  if ((self->traps & TRAP_AUTO_MANAGE) && !require_term (self, "auto-manage", "the trap auto-manage", error))
    return FALSE;
  if ((self->traps & TRAP_ACCEPT_ALL) &&
      (!require_term (self, "option-tls-all", "the trap accept-all", error) ||
       !require_term (self, "option-starttls-all", "the trap accept-all", error)))
    return FALSE;
  if (self->traps & TRAP_AUTO_NEVER)
    g_hash_table_add (used_terms, g_strdup ("option-auto"));
  if (self->traps & TRAP_AUTO_MANAGE)
    g_hash_table_add (used_terms, g_strdup ("auto-manage"));
  if (self->traps & TRAP_ACCEPT_ALL)
    {
      g_hash_table_add (used_terms, g_strdup ("option-tls-all"));
      g_hash_table_add (used_terms, g_strdup ("option-starttls-all"));
    }
  if (self->auth[INCOMING] == AUTH_CHOICE || self->auth[OUTGOING] == AUTH_CHOICE)
    g_hash_table_add (used_terms, g_strdup ("option-auth"));

  /* Field labels: used when a supported protocol looks them up. */
  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      for (guint f = 0; f < G_N_ELEMENTS (field_names) && self->protocols[protocol]; f++)
        {
          const Term *term = role_term (self, field_names[f], protocol);
          GHashTableIter terms;
          gpointer key, value;

          if (term == NULL ||
              (f == MC_CLIENT_FIELD_PORT && self->port_style == PORT_IN_SERVER) ||
              (f == MC_CLIENT_FIELD_AUTH && self->auth[direction_of (protocol)] == AUTH_NONE))
            continue;
          g_hash_table_iter_init (&terms, self->terms);
          while (g_hash_table_iter_next (&terms, &key, &value))
            {
              if (value == term)
                g_hash_table_add (used_terms, g_strdup (key));
            }
        }
    }

  g_hash_table_iter_init (&iter, self->terms);
  while (g_hash_table_iter_next (&iter, (gpointer *)&id, NULL))
    {
      if (!g_hash_table_contains (used_terms, id))
        return invalid (error, self->id, "term [%s] is not used", id);
    }
  return TRUE;
}

static gboolean
parse_flags (GKeyFile    *keyfile,
             McClient    *self,
             GError     **error)
{
  g_auto(GStrv) protocols = get_list (keyfile, "Client", "Protocols");
  g_auto(GStrv) offers = get_list (keyfile, "Client", "Offers");
  g_auto(GStrv) traps = get_list (keyfile, "Client", "Traps");
  g_auto(GStrv) fixed = get_list (keyfile, "Client", "FixedAfterAdding");
  int value;

  if (!get_enum (keyfile, self->id, "Security", security_style_names, G_N_ELEMENTS (security_style_names),
                 -1, &value, error))
    return FALSE;
  self->security_style = value;
  if (!get_enum (keyfile, self->id, "Port", port_style_names, G_N_ELEMENTS (port_style_names), -1, &value, error))
    return FALSE;
  self->port_style = value;
  if (!get_enum (keyfile, self->id, "PortFollowsSecurity", follows_names, G_N_ELEMENTS (follows_names),
                 -1, &value, error))
    return FALSE;
  self->port_follows = value;
  for (guint d = 0; d < N_DIRECTIONS; d++)
    {
      g_autofree char *key = g_strconcat ("Auth", direction_keys[d], NULL);

      if (!get_enum (keyfile, self->id, key, auth_style_names, G_N_ELEMENTS (auth_style_names), -1, &value, error))
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

  if (self->security_style == SECURITY_SWITCH)
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

  for (guint d = 0; d < N_DIRECTIONS; d++)
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
          for (guint d = 0; d < N_DIRECTIONS && !known; d++)
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
  g_autofree char *order = NULL;
  gint64 order_value;

  if (!g_key_file_load_from_data (keyfile, data, length, G_KEY_FILE_NONE, error))
    return NULL;

  self->id = g_key_file_get_value (keyfile, "Client", "Id", NULL);
  if (self->id == NULL || self->id[0] == '\0' || strspn (self->id, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
      strlen (self->id))
    {
      invalid (error, NULL, "[Client] Id is missing or not lower-case letters, digits and -");
      return NULL;
    }
  order = g_key_file_get_value (keyfile, "Client", "Order", NULL);
  if (order == NULL || !g_ascii_string_to_signed (order, 10, 0, 100000, &order_value, NULL))
    {
      invalid (error, self->id, "[Client] Order must be a number");
      return NULL;
    }
  self->order = order_value;
  if (!client_keys_known (keyfile, self->id, error) || !parse_flags (keyfile, self, error))
    return NULL;

  source_ids = g_key_file_get_keys (keyfile, "Sources", NULL, NULL);
  for (guint i = 0; source_ids != NULL && source_ids[i] != NULL; i++)
    {
      g_autofree char *citation = g_key_file_get_value (keyfile, "Sources", source_ids[i], NULL);

      if (citation == NULL || g_strstrip (citation)[0] == '\0')
        {
          invalid (error, self->id, "[Sources] %s is empty", source_ids[i]);
          return NULL;
        }
      g_hash_table_insert (sources, g_strdup (source_ids[i]), g_steal_pointer (&citation));
    }

  self->terms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, term_free);
  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      Term *term;

      if (g_str_equal (groups[i], "Client") || g_str_equal (groups[i], "Sources"))
        continue;
      if (strspn (groups[i], "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen (groups[i]))
        {
          invalid (error, self->id, "term [%s]: ids are lower-case letters, digits and -", groups[i]);
          return NULL;
        }
      if (!(term = term_parse (keyfile, self->id, groups[i], sources, used_sources, error)))
        return NULL;
      g_hash_table_insert (self->terms, g_strdup (groups[i]), term);
    }

  if (!parse_paths (keyfile, self, used_terms, error))
    return NULL;
  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (g_hash_table_contains (self->terms, groups[i]) && !role_term_id_is_known (groups[i]) &&
          !g_hash_table_contains (used_terms, groups[i]))
        {
          invalid (error, self->id, "term [%s] is neither a known role nor in a path", groups[i]);
          return NULL;
        }
    }
  if (!validate_coverage (self, used_terms, error))
    return NULL;

  for (guint i = 0; source_ids != NULL && source_ids[i] != NULL; i++)
    {
      if (!g_hash_table_contains (used_sources, source_ids[i]))
        {
          invalid (error, self->id, "[Sources] %s is not used", source_ids[i]);
          return NULL;
        }
    }

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
      GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_client_free);
      g_auto(GStrv) names = g_resources_enumerate_children (CLIENT_RESOURCE_PATH,
                                                            G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        {
          g_autofree char *path = g_build_path ("/", CLIENT_RESOURCE_PATH, names[i], NULL);
          g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
          g_autoptr(GError) error = NULL;
          McClient *client;
          gsize length;
          const char *data;

          if (bytes == NULL)
            continue;
          data = g_bytes_get_data (bytes, &length);
          client = mc_client_new_from_data (data, length, &error);
          if (client == NULL)
            g_critical ("Mail program %s is invalid: %s", names[i], error->message);
          else
            g_ptr_array_add (list, client);
        }
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

static const Term *
term (const McClient *self,
      const char     *id)
{
  return g_hash_table_lookup (self->terms, id);
}

static const char *
term_text (const Term *term)
{
  return term->text[language_index ()];
}

/* The name for the list of programs, in the language of the app's sentences. */
const char *
mc_client_get_name (const McClient *self)
{
  return term_text (term (self, "name"));
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
  return self->port_follows == FOLLOWS_YES;
}

/* Rendering ---------------------------------------------------------------------- */

static gboolean
term_is_quote (const Term *term)
{
  return term->quality[language_index ()] == QUALITY_EXACT;
}

static char *
quote (const char *text)
{
  /* Translators: a label of the customer's mail program inside one of our
   * sentences; %s is the label as the program shows it */
  return g_strdup_printf (C_("mail program label", "“%s”"), text);
}

/* The program's exact words in quotation marks; a description as it is, but
 * without a button's trailing ellipsis, which would run into the full stop. */
static char *
term_render (const Term *term)
{
  const char *text = term_text (term);

  if (term_is_quote (term))
    return quote (text);
  if (g_str_has_suffix (text, "…"))
    return g_strchomp (g_strndup (text, strlen (text) - strlen ("…")));
  return g_strdup (text);
}

static char *
path_render (const GPtrArray *path)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < path->len; i++)
    {
      g_autofree char *element = term_render (g_ptr_array_index (path, i));

      if (i > 0)
        g_string_append (text, PATH_SEPARATOR);
      g_string_append (text, element);
    }
  return g_string_free (text, FALSE);
}

static const GPtrArray *
field_path (const McClient *self,
            McClientField   field,
            McProtocol      protocol)
{
  int direction = direction_of (protocol);

  return self->field_path[field][direction] ? self->field_path[field][direction] : self->path[direction];
}

static const char *
field_word (McClientField field)
{
  switch (field)
    {
    case MC_CLIENT_FIELD_SERVER:
      return C_("mail program field", "Server");
    case MC_CLIENT_FIELD_PORT:
      return C_("mail program field", "Port");
    case MC_CLIENT_FIELD_USER:
      return C_("mail program field", "User name");
    case MC_CLIENT_FIELD_SECURITY:
      return C_("mail program field", "Encryption");
    case MC_CLIENT_FIELD_AUTH:
      return C_("mail program field", "Login method");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The field's label as text, and whether it is the program's exact wording;
 * the app's own word for it where the program's is not known. */
static const char *
field_label (const McClient *self,
             McClientField   field,
             McProtocol      protocol,
             gboolean       *is_quote)
{
  const Term *label = role_term (self, field_names[field], protocol);

  *is_quote = label != NULL && term_is_quote (label);
  return label != NULL ? term_text (label) : field_word (field);
}

static char *
field_render (const McClient *self,
              McClientField   field,
              McProtocol      protocol)
{
  const Term *label = role_term (self, field_names[field], protocol);

  return label != NULL ? term_render (label) : g_strdup (field_word (field));
}

static char *
short_name (const McClient *self)
{
  const Term *name = term (self, "short-name");

  return g_strdup (term_text (name ? name : term (self, "name")));
}

static char *
option_render (const McClient *self,
               McSecurity      security)
{
  return term_render (term (self, option_ids[security]));
}

typedef struct
{
  McProtocol   protocol;
  const char  *host;
  guint16      port;
  McSecurity   security;
  const char  *user;
} Target;

/* Where the port is typed after the server name, the server value with it;
 * without it where the program picks the mode's usual port by itself. */
static char *
server_value (const McClient *self,
              const Target   *target)
{
  if (self->port_style == PORT_IN_SERVER &&
      !(self->port_follows == FOLLOWS_YES && target->port == mc_default_port (target->protocol, target->security)))
    return g_strdup_printf ("%s:%u", target->host, target->port);
  return g_strdup (target->host);
}

static void
add (GPtrArray *steps,
     char      *sentence)
{
  g_ptr_array_add (steps, sentence);
}

static void
add_open (const McClient  *self,
          GPtrArray       *steps,
          const GPtrArray *path)
{
  g_autofree char *where = path_render (path);

  /* Translators: %s is a menu path in the customer's mail program, e.g.
   * “Account Settings” → your account → “Server Settings” */
  add (steps, g_strdup_printf (_("Open %s."), where));
  if (self->traps & TRAP_AUTO_MANAGE)
    {
      g_autofree char *box = term_render (term (self, "auto-manage"));
      g_autofree char *name = short_name (self);

      /* Translators: %1$s is a checkbox of the mail program, %2$s the
       * program (Apple Mail) */
      add (steps, g_strdup_printf (_("Turn off %1$s first — otherwise %2$s changes the port, the encryption "
                                     "and the login method by itself."), box, name));
    }
}

static void
add_auto_manage_warning (const McClient *self,
                         GPtrArray      *steps)
{
  g_autofree char *box = NULL;
  g_autofree char *name = NULL;

  if (!(self->traps & TRAP_AUTO_MANAGE))
    return;
  box = term_render (term (self, "auto-manage"));
  name = short_name (self);
  /* Translators: %1$s is the mail program, %2$s its checkbox for automatic
   * connection settings */
  add (steps, g_strdup_printf (_("%1$s may turn %2$s back on or change these settings again later; if a "
                                 "later test fails, look here first."), name, box));
}

static void
add_type_value (GPtrArray  *steps,
                const char *label,
                const char *value)
{
  /* Translators: typing a value into a field of the mail program; %1$s is
   * the field, %2$s the value, e.g. Set “Server Name” to mail.example.org. */
  add (steps, g_strdup_printf (C_("type a value", "Set %1$s to %2$s."), label, value));
}

static void
add_type_port (GPtrArray  *steps,
               const char *label,
               guint       port)
{
  /* Translators: %1$s is the port field of the mail program, %2$u the port */
  add (steps, g_strdup_printf (C_("type a port", "Set %1$s to %2$u."), label, port));
}

/* Programs that move the port when the mode changes: the customer leaves
 * what the program sets (the help page's "bitte diesen nicht einfach
 * abändern"). */
static void
add_leave_port (const McClient *self,
                GPtrArray      *steps,
                guint           port)
{
  g_autofree char *name = short_name (self);

  if (self->port_style != PORT_FIELD)
    /* Translators: %1$s is the mail program, %2$u a port */
    add (steps, g_strdup_printf (_("%1$s then uses port %2$u by itself."), name, port));
  else
    /* Translators: %1$s is the mail program, %2$u a port */
    add (steps, g_strdup_printf (_("%1$s then sets the port to %2$u by itself — leave it that way."), name, port));
}

static void
add_port_in_server (const McClient *self,
                    GPtrArray      *steps,
                    const Target   *target)
{
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_SERVER, target->protocol);

  if (target->host != NULL)
    {
      g_autofree char *value = server_value (self, target);

      add_type_value (steps, label, value);
    }
  else
    /* Translators: %1$s is the server field of the mail program, where the
     * port follows the server name after a colon; %2$u is the port */
    add (steps, g_strdup_printf (_("In %1$s, the server name must end with :%2$u."), label, target->port));
}

/* The port after the mode is chosen: the order that is right whether or not
 * the program moves the port. */
static void
add_port_after_mode (const McClient *self,
                     GPtrArray      *steps,
                     const Target   *target)
{
  guint usual = mc_default_port (target->protocol, target->security);
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_PORT, target->protocol);
  g_autofree char *name = short_name (self);

  if (self->port_style == PORT_NONE)
    add_leave_port (self, steps, usual);
  else if (self->port_follows == FOLLOWS_YES && target->port == usual &&
           (self->security_style == SECURITY_CHOICE || target->security == MC_SECURITY_TLS))
    add_leave_port (self, steps, usual);
  else if (self->port_style == PORT_IN_SERVER)
    add_port_in_server (self, steps, target);
  else if (self->port_follows == FOLLOWS_YES)
    /* Translators: %1$s is the port field, %2$u the port, %3$s the mail program */
    add (steps, g_strdup_printf (_("Then set %1$s to %2$u: %3$s changes the port when you choose the "
                                   "encryption, so set it last."), label, target->port, name));
  else if (self->port_follows == FOLLOWS_MAYBE)
    /* Translators: %1$s is the port field, %2$u the port */
    add (steps, g_strdup_printf (_("Then set %1$s to %2$u — some programs change the port by themselves when "
                                   "you choose the encryption, so set it last."), label, target->port));
  else
    add_type_port (steps, label, target->port);
}

static void
add_switch_explanation (const McClient *self,
                        GPtrArray      *steps,
                        McProtocol      protocol)
{
  g_autofree char *name = short_name (self);

  /* Translators: %1$s is the mail program, %2$u and %3$u ports, e.g. “Apple
   * Mail has one switch …: port 587 means STARTTLS, port 465 SSL/TLS.” */
  add (steps, g_strdup_printf (_("%1$s has one switch for both kinds of encryption, and the port decides: "
                                 "port %2$u means STARTTLS, port %3$u SSL/TLS."),
                               name,
                               mc_default_port (protocol, MC_SECURITY_STARTTLS),
                               mc_default_port (protocol, MC_SECURITY_TLS)));
}

static void
add_named_tls (const McClient *self,
               GPtrArray      *steps)
{
  g_autofree char *starttls = option_render (self, MC_SECURITY_STARTTLS);
  g_autofree char *tls = option_render (self, MC_SECURITY_TLS);

  /* Translators: %1$s is the mail program, %2$s and %3$s its options,
   * e.g. In Outlook 2010/2013, “TLS” means STARTTLS and “SSL” means SSL/TLS. */
  add (steps, g_strdup_printf (_("In %1$s, %2$s means STARTTLS and %3$s means SSL/TLS."),
                               term_text (term (self, "name")), starttls, tls));
}

static void
add_security_traps (const McClient *self,
                    GPtrArray      *steps,
                    McSecurity      security)
{
  g_autofree char *name = short_name (self);

  if (self->traps & TRAP_AUTO_NEVER)
    {
      g_autofree char *option = term_render (term (self, "option-auto"));

      /* Translators: %1$s is an option of the mail program (“Auto”), %2$s the program */
      add (steps, g_strdup_printf (_("Do not choose %1$s: then %2$s decides by itself which encryption to use."),
                                   option, name));
    }
  if (self->traps & TRAP_STARTTLS_NAMED_TLS)
    add_named_tls (self, steps);
  if ((self->traps & TRAP_ACCEPT_ALL) && security != MC_SECURITY_NONE)
    {
      const char *id = security == MC_SECURITY_TLS ? "option-tls-all" : "option-starttls-all";
      g_autofree char *option = term_render (term (self, id));

      /* Translators: %1$s is an option of the mail program, %2$s the program */
      add (steps, g_strdup_printf (_("Do not choose %1$s: then %2$s would accept any certificate, even a "
                                     "forged one."), option, name));
    }
}

/* The mode, then the port that goes with it. */
static void
add_security (const McClient *self,
              GPtrArray      *steps,
              const Target   *target)
{
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_SECURITY, target->protocol);

  if (self->security_style == SECURITY_SWITCH)
    {
      if (target->security == MC_SECURITY_NONE)
        /* Translators: %s is a checkbox or switch of the mail program */
        add (steps, g_strdup_printf (_("Turn off %s."), label));
      else
        /* Translators: %s is a checkbox or switch of the mail program */
        add (steps, g_strdup_printf (_("Turn on %s."), label));
      add_port_after_mode (self, steps, target);
      add_switch_explanation (self, steps, target->protocol);
    }
  else
    {
      g_autofree char *option = option_render (self, target->security);

      /* Translators: choosing an option of the mail program; %1$s is the
       * field, %2$s the option, e.g. Set “Connection security” to “STARTTLS”. */
      add (steps, g_strdup_printf (C_("choose an option", "Set %1$s to %2$s."), label, option));
      add_security_traps (self, steps, target->security);
      add_port_after_mode (self, steps, target);
    }
}

static void
add_keep_security (const McClient *self,
                   GPtrArray      *steps,
                   const Target   *target)
{
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_SECURITY, target->protocol);

  if (self->security_style == SECURITY_SWITCH)
    {
      if (target->security == MC_SECURITY_NONE)
        /* Translators: %s is a checkbox or switch of the mail program */
        add (steps, g_strdup_printf (_("Leave %s turned off."), label));
      else
        /* Translators: %s is a checkbox or switch of the mail program */
        add (steps, g_strdup_printf (_("Leave %s turned on."), label));
      add_switch_explanation (self, steps, target->protocol);
    }
  else
    {
      g_autofree char *option = option_render (self, target->security);

      /* Translators: %1$s is a field of the mail program, %2$s its option */
      add (steps, g_strdup_printf (_("Leave %1$s at %2$s."), label, option));
      if (self->traps & TRAP_STARTTLS_NAMED_TLS)
        add_named_tls (self, steps);
    }
}

/* A port fix keeps the mode. Where the program moves the port itself, the
 * customer makes it do so rather than typing over it: choosing the other mode
 * and then the right one again moves a port that is the other mode's usual
 * one, which is what the classic mistakes leave behind. */
static void
add_port (const McClient *self,
          GPtrArray      *steps,
          const Target   *target)
{
  guint usual = mc_default_port (target->protocol, target->security);
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_PORT, target->protocol);

  if (self->port_style == PORT_NONE)
    {
      add_security (self, steps, target);
      return;
    }
  if (self->port_style == PORT_IN_SERVER)
    {
      add_port_in_server (self, steps, target);
      if (self->port_follows == FOLLOWS_YES && target->port == usual && target->host != NULL)
        add_leave_port (self, steps, usual);
    }
  else if (self->port_follows == FOLLOWS_YES && target->port == usual && self->security_style == SECURITY_CHOICE &&
           target->security != MC_SECURITY_NONE)
    {
      McSecurity other = target->security == MC_SECURITY_TLS ? MC_SECURITY_STARTTLS : MC_SECURITY_TLS;
      g_autofree char *security = field_render (self, MC_CLIENT_FIELD_SECURITY, target->protocol);
      g_autofree char *first = option_render (self, other);
      g_autofree char *again = option_render (self, target->security);

      /* Translators: %1$s is a field of the mail program, %2$s and %3$s two
       * of its options, e.g. Under “Connection security”, choose “STARTTLS”
       * first and then “SSL/TLS” again. */
      add (steps, g_strdup_printf (_("Under %1$s, choose %2$s first and then %3$s again."), security, first, again));
      add_leave_port (self, steps, usual);
      return;
    }
  else if (self->port_follows == FOLLOWS_YES && target->port == usual && target->security == MC_SECURITY_TLS)
    {
      g_autofree char *security = field_render (self, MC_CLIENT_FIELD_SECURITY, target->protocol);

      /* Translators: %s is a switch of the mail program */
      add (steps, g_strdup_printf (_("Turn %s off and on again."), security));
      add_leave_port (self, steps, usual);
      add_switch_explanation (self, steps, target->protocol);
      return;
    }
  else
    add_type_port (steps, label, target->port);
  add_keep_security (self, steps, target);
}

static void
add_host (const McClient *self,
          GPtrArray      *steps,
          const Target   *target)
{
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_SERVER, target->protocol);
  g_autofree char *value = server_value (self, target);

  add_type_value (steps, label, value);
}

static void
add_user (const McClient *self,
          GPtrArray      *steps,
          const Target   *target)
{
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_USER, target->protocol);

  if (target->user != NULL)
    {
      add_type_value (steps, label, target->user);
      add (steps, g_strdup (_("The user name is always your full e-mail address.")));
    }
  else
    /* Translators: %s is the user name field of the mail program */
    add (steps, g_strdup_printf (_("Set %s to your full e-mail address."), label));
  if (self->traps & TRAP_USER_LOCAL_PART)
    {
      g_autofree char *name = short_name (self);

      /* Translators: %s is the mail program */
      add (steps, g_strdup_printf (_("%s fills in only the part before the @ by itself; replace it with the "
                                     "full address."), name));
    }
}

static void
add_auth (const McClient *self,
          GPtrArray      *steps,
          McProtocol      protocol)
{
  AuthStyle style = self->auth[direction_of (protocol)];
  g_autofree char *name = short_name (self);
  g_autofree char *label = NULL;
  g_autofree char *option = NULL;

  switch (style)
    {
    case AUTH_CHOICE:
      label = field_render (self, MC_CLIENT_FIELD_AUTH, protocol);
      option = term_render (term (self, "option-auth"));
      add (steps, g_strdup_printf (C_("choose an option", "Set %1$s to %2$s."), label, option));
      break;
    case AUTH_SWITCH_ON:
      label = field_render (self, MC_CLIENT_FIELD_AUTH, protocol);
      add (steps, g_strdup_printf (_("Turn on %s."), label));
      break;
    case AUTH_SWITCH_OFF:
      label = field_render (self, MC_CLIENT_FIELD_AUTH, protocol);
      add (steps, g_strdup_printf (_("Turn off %s."), label));
      break;
    case AUTH_NONE:
      /* Translators: %s is the mail program */
      add (steps, g_strdup_printf (_("%s has no setting for the login method: it always logs in with the "
                                     "normal password, as the provider expects. Check the user name and the "
                                     "password instead."), name));
      break;
    default:
      g_return_if_reached ();
    }
}

/* Programs that cannot change a setting of an existing account: remove it,
 * add it again, and type every value once more. */
static void
add_readd (const McClient *self,
           GPtrArray      *steps,
           const Target   *target)
{
  g_autofree char *name = short_name (self);
  g_autofree char *remove = path_render (self->remove_path);
  g_autofree char *again = path_render (self->add_path);

  /* Translators: %s is the mail program */
  add (steps, g_strdup_printf (_("%s cannot change this setting of an existing account: remove the account "
                                 "and add it again."), name));
  /* Translators: %s is a menu path in the mail program */
  add (steps, g_strdup_printf (_("Remove it under %s."), remove));
  /* Translators: %s is a menu path in the mail program */
  add (steps, g_strdup_printf (_("Then add it again under %s."), again));
  if (target->host != NULL)
    add_host (self, steps, target);
  add_security (self, steps, target);
  add_user (self, steps, target);
  if (self->auth[direction_of (target->protocol)] != AUTH_NONE)
    add_auth (self, steps, target->protocol);
  if (target->host != NULL && target->user != NULL)
    add (steps, g_strdup (_("Enter your password as well.")));
  else
    add (steps, g_strdup (_("Enter the other values as before, and your password.")));
}

static McClientField
field_of_fix (McClientFixKind kind)
{
  switch (kind)
    {
    case MC_CLIENT_FIX_SECURITY:
      return MC_CLIENT_FIELD_SECURITY;
    case MC_CLIENT_FIX_PORT:
      return MC_CLIENT_FIELD_PORT;
    case MC_CLIENT_FIX_HOST:
      return MC_CLIENT_FIELD_SERVER;
    case MC_CLIENT_FIX_USER:
      return MC_CLIENT_FIELD_USER;
    case MC_CLIENT_FIX_AUTH:
      return MC_CLIENT_FIELD_AUTH;
    default:
      g_return_val_if_reached (MC_CLIENT_FIELD_SECURITY);
    }
}

static char **
steps_free_to_strv (GPtrArray *steps)
{
  g_ptr_array_add (steps, NULL);
  return (char **)g_ptr_array_free (steps, FALSE);
}

static gboolean
add_unavailable (const McClient *self,
                 GPtrArray      *steps,
                 McProtocol      protocol,
                 McSecurity      security)
{
  g_autofree char *name = short_name (self);

  if (!self->protocols[protocol])
    /* Translators: %1$s is the mail program, %2$s a protocol (POP3) */
    add (steps, g_strdup_printf (_("%1$s cannot set up %2$s accounts."), name, mc_protocol_display_name (protocol)));
  else if (!self->offers[security])
    /* Translators: %s is the mail program */
    add (steps, g_strdup_printf (_("%s cannot connect without encryption."), name));
  else
    return FALSE;
  return TRUE;
}

/**
 * mc_client_describe_fix:
 *
 * The steps for @fix in @self's words and menus, one sentence each, in the
 * language of the app's sentences.
 *
 * Returns: (transfer full): a %NULL-terminated array of sentences
 */
char **
mc_client_describe_fix (const McClient    *self,
                        McProtocol         protocol,
                        const McClientFix *fix)
{
  GPtrArray *steps = g_ptr_array_new ();
  Target target = { protocol, fix->host, fix->port, fix->security, fix->user };
  McClientField field;

  g_return_val_if_fail (protocol < MC_N_PROTOCOLS && fix->security <= MC_SECURITY_NONE, NULL);
  g_return_val_if_fail (fix->kind != MC_CLIENT_FIX_HOST || fix->host != NULL, NULL);

  field = field_of_fix (fix->kind);
  if (target.port == 0)
    target.port = mc_default_port (protocol, target.security);

  if (add_unavailable (self, steps, protocol, target.security))
    return steps_free_to_strv (steps);
  if (self->fixed & (1u << field))
    {
      add_readd (self, steps, &target);
      return steps_free_to_strv (steps);
    }

  /* Nothing to open where the program has no setting for the login method. */
  if (fix->kind == MC_CLIENT_FIX_AUTH && self->auth[direction_of (protocol)] == AUTH_NONE)
    {
      add_auth (self, steps, protocol);
      return steps_free_to_strv (steps);
    }

  add_open (self, steps, field_path (self, field, protocol));
  switch (fix->kind)
    {
    case MC_CLIENT_FIX_SECURITY:
      add_security (self, steps, &target);
      break;
    case MC_CLIENT_FIX_PORT:
      add_port (self, steps, &target);
      break;
    case MC_CLIENT_FIX_HOST:
      add_host (self, steps, &target);
      break;
    case MC_CLIENT_FIX_USER:
      add_user (self, steps, &target);
      break;
    case MC_CLIENT_FIX_AUTH:
      add_auth (self, steps, protocol);
      break;
    default:
      g_return_val_if_reached (steps_free_to_strv (steps));
    }
  add_auto_manage_warning (self, steps);
  return steps_free_to_strv (steps);
}

/**
 * mc_client_describe_place:
 *
 * Where the settings for @protocol are entered in @self, as sentences: the
 * menu path, and what to switch off first where the program needs that.
 *
 * Returns: (transfer full): a %NULL-terminated array of sentences
 */
char **
mc_client_describe_place (const McClient *self,
                          McProtocol      protocol)
{
  GPtrArray *steps = g_ptr_array_new ();

  g_return_val_if_fail (protocol < MC_N_PROTOCOLS, NULL);

  if (!self->protocols[protocol])
    add_unavailable (self, steps, protocol, MC_SECURITY_TLS);
  else if (self->fixed == ALL_FIELDS)
    {
      g_autofree char *where = path_render (self->add_path);

      /* Translators: %s is a menu path in the mail program */
      add (steps, g_strdup_printf (_("Enter these values when you add the account under %s."), where));
    }
  else
    add_open (self, steps, self->path[direction_of (protocol)]);
  return steps_free_to_strv (steps);
}

void
mc_client_entry_free (McClientEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->label);
  g_free (entry->value);
  g_free (entry->place);
  g_free (entry->note);
  g_free (entry);
}

static McClientEntry *
entry_new (const McClient *self,
           McClientField   field,
           McProtocol      protocol)
{
  McClientEntry *entry = g_new0 (McClientEntry, 1);
  const GPtrArray *path = field_path (self, field, protocol);

  entry->field = field;
  entry->label = g_strdup (field_label (self, field, protocol, &entry->label_is_quote));
  if (path != self->path[direction_of (protocol)] && self->fixed != ALL_FIELDS)
    entry->place = path_render (path);
  return entry;
}

static void
append_note (McClientEntry *entry,
             char          *sentence)
{
  char *joined = entry->note ? g_strconcat (entry->note, " ", sentence, NULL) : g_strdup (sentence);

  g_free (entry->note);
  g_free (sentence);
  entry->note = joined;
}

/* Notes come from the same sentences as the steps, so the card and the
 * advice say the same. */
static char *
sentences_joined (char **sentences)
{
  char *joined = g_strjoinv (" ", sentences);

  g_strfreev (sentences);
  return joined;
}

static McClientEntry *
security_entry (const McClient *self,
                const Target   *target)
{
  McClientEntry *entry = entry_new (self, MC_CLIENT_FIELD_SECURITY, target->protocol);
  GPtrArray *notes = g_ptr_array_new ();

  if (self->security_style == SECURITY_SWITCH)
    {
      entry->value = g_strdup (target->security == MC_SECURITY_NONE ? C_("switch state", "off")
                                                                     : C_("switch state", "on"));
      add_switch_explanation (self, notes, target->protocol);
    }
  else if (self->offers[target->security])
    {
      const Term *option = term (self, option_ids[target->security]);

      entry->value = g_strdup (term_text (option));
      entry->value_is_quote = term_is_quote (option);
      add_security_traps (self, notes, target->security);
    }
  else
    {
      entry->value = g_strdup (mc_security_display_name (target->security));
      add_unavailable (self, notes, target->protocol, target->security);
    }
  if (self->fixed & (1u << MC_CLIENT_FIELD_SECURITY) && self->fixed != ALL_FIELDS)
    {
      g_autofree char *name = short_name (self);

      /* Translators: %s is the mail program */
      add (notes, g_strdup_printf (_("%s offers this choice only when you add the account."), name));
    }
  if (notes->len > 0)
    entry->note = sentences_joined (steps_free_to_strv (notes));
  else
    g_ptr_array_unref (notes);
  return entry;
}

static McClientEntry *
port_entry (const McClient *self,
            const Target   *target)
{
  McClientEntry *entry = entry_new (self, MC_CLIENT_FIELD_PORT, target->protocol);
  guint usual = mc_default_port (target->protocol, target->security);
  g_autofree char *name = short_name (self);

  entry->value = g_strdup_printf ("%u", target->port);
  entry->typed = self->port_style == PORT_FIELD;
  if (!self->offers[target->security])
    return entry;
  if (self->port_follows == FOLLOWS_YES && target->port == usual &&
      (self->security_style == SECURITY_CHOICE || target->security == MC_SECURITY_TLS))
    {
      g_autofree char *choice = self->security_style == SECURITY_CHOICE
                                ? option_render (self, target->security)
                                : field_render (self, MC_CLIENT_FIELD_SECURITY, target->protocol);

      entry->typed = FALSE;
      if (self->port_style == PORT_NONE)
        /* Translators: %1$s is the mail program, %2$s one of its options */
        append_note (entry, g_strdup_printf (_("%1$s uses this port by itself when you choose %2$s."), name, choice));
      else
        /* Translators: %1$s is the mail program, %2$s one of its options */
        append_note (entry, g_strdup_printf (_("%1$s sets this port by itself when you choose %2$s; leave it that "
                                               "way."), name, choice));
    }
  else if (self->port_follows == FOLLOWS_YES)
    /* Translators: %s is the mail program */
    append_note (entry, g_strdup_printf (_("%s changes the port when you choose the encryption: enter the port "
                                           "last."), name));
  else if (self->port_follows == FOLLOWS_MAYBE)
    append_note (entry, g_strdup (_("Enter the port last: some programs change it by themselves when you choose "
                                    "the encryption.")));
  return entry;
}

/**
 * mc_client_describe_settings:
 * @host: the server name
 * @port: the port, or 0 for the usual port of @security
 * @user: the user name (the full address), or %NULL where unknown
 *
 * Everything to enter in @self for a working setting, in its terms: server,
 * port, the mode by its name there, user name and login method. Where the
 * program sets the port itself, the port is shown to check, not to type.
 *
 * Returns: (transfer container) (element-type McClientEntry): the rows;
 *   empty when @self cannot set up @protocol accounts
 */
GPtrArray *
mc_client_describe_settings (const McClient *self,
                             McProtocol      protocol,
                             const char     *host,
                             guint16         port,
                             McSecurity      security,
                             const char     *user)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_client_entry_free);
  Target target = { protocol, host, port, security, user };
  McClientEntry *entry;

  g_return_val_if_fail (protocol < MC_N_PROTOCOLS && security <= MC_SECURITY_NONE && host != NULL, entries);

  if (!self->protocols[protocol])
    return entries;
  if (target.port == 0)
    target.port = mc_default_port (protocol, security);

  entry = entry_new (self, MC_CLIENT_FIELD_SERVER, protocol);
  entry->value = server_value (self, &target);
  entry->typed = TRUE;
  if (self->port_style == PORT_IN_SERVER && strchr (entry->value, ':') != NULL)
    append_note (entry, g_strdup (_("The port goes after the server name, separated by a colon.")));
  else if (self->port_style == PORT_IN_SERVER)
    {
      g_autofree char *name = short_name (self);

      append_note (entry, g_strdup_printf (_("%1$s then uses port %2$u by itself."), name, target.port));
    }
  g_ptr_array_add (entries, entry);

  if (self->port_style != PORT_IN_SERVER)
    g_ptr_array_add (entries, port_entry (self, &target));
  g_ptr_array_add (entries, security_entry (self, &target));

  entry = entry_new (self, MC_CLIENT_FIELD_USER, protocol);
  entry->value = g_strdup (user ? user : _("your full e-mail address"));
  entry->typed = user != NULL;
  if (self->traps & TRAP_USER_LOCAL_PART)
    {
      g_autofree char *name = short_name (self);

      append_note (entry, g_strdup_printf (_("%s fills in only the part before the @ by itself; replace it with the "
                                             "full address."), name));
    }
  g_ptr_array_add (entries, entry);

  switch (self->auth[direction_of (protocol)])
    {
    case AUTH_CHOICE:
      entry = entry_new (self, MC_CLIENT_FIELD_AUTH, protocol);
      entry->value = g_strdup (term_text (term (self, "option-auth")));
      entry->value_is_quote = term_is_quote (term (self, "option-auth"));
      g_ptr_array_add (entries, entry);
      break;
    case AUTH_SWITCH_ON:
    case AUTH_SWITCH_OFF:
      entry = entry_new (self, MC_CLIENT_FIELD_AUTH, protocol);
      entry->value = g_strdup (self->auth[direction_of (protocol)] == AUTH_SWITCH_ON ? C_("switch state", "on")
                                                                                   : C_("switch state", "off"));
      g_ptr_array_add (entries, entry);
      break;
    case AUTH_NONE:
      break;
    default:
      g_return_val_if_reached (entries);
    }

  return entries;
}

/* One row as a line of text, e.g. for the report: “Server Name”: mail.example.org */
char *
mc_client_entry_to_string (const McClientEntry *entry)
{
  g_autofree char *label = entry->label_is_quote ? quote (entry->label) : g_strdup (entry->label);
  g_autofree char *value = entry->value_is_quote ? quote (entry->value) : g_strdup (entry->value);

  /* Translators: one row of the settings to enter in the mail program;
   * %1$s is the field, %2$s the value */
  return g_strdup_printf (_("%1$s: %2$s"), label, value);
}
