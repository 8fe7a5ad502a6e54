/* mc-provider.c
 *
 * Provider profiles are key files compiled into the engine as resources; each is
 * validated when loaded, and a test loads every file in data/providers/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-provider"

#include "config.h"

#include <string.h>

#include "mc-provider.h"

#define PROVIDER_RESOURCE_PATH "/de/netzprisma/MailCheck/providers"

struct _McProvider
{
  char    *id;
  char    *name;
  char    *server;
  GStrv    domains;
  GStrv    legacy_prefixes;
  GStrv    mail_hosts;       /* lower-case names and addresses as GInetAddress writes them */
  GStrv    expected_issuers; /* distinguished names, as written in the profile */
  GStrv    anchor_pins;      /* base64 of 32 bytes each */
  gboolean full_address;
  GArray  *endpoints[MC_N_PROTOCOLS];
};

G_DEFINE_QUARK (mc-provider-error-quark, mc_provider_error)

void
mc_provider_free (McProvider *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->name);
  g_free (self->server);
  g_strfreev (self->domains);
  g_strfreev (self->legacy_prefixes);
  g_strfreev (self->mail_hosts);
  g_strfreev (self->expected_issuers);
  g_strfreev (self->anchor_pins);
  for (guint i = 0; i < MC_N_PROTOCOLS; i++)
    g_clear_pointer (&self->endpoints[i], g_array_unref);
  g_free (self);
}

static gboolean
parse_endpoint (const char *text,
                McEndpoint *endpoint)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint64 port;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1, 65535, &port, NULL) ||
      !mc_security_from_string (parts[1], &endpoint->security) ||
      endpoint->security == MC_SECURITY_NONE)
    return FALSE;
  endpoint->port = port;
  return TRUE;
}

static char *
required_string (GKeyFile    *keyfile,
                 const char  *key,
                 GError     **error)
{
  g_autofree char *value = g_key_file_get_value (keyfile, "Provider", key, NULL);

  if (value == NULL || value[0] == '\0')
    {
      g_set_error (error, MC_PROVIDER_ERROR, MC_PROVIDER_ERROR_INVALID,
                   "[Provider] %s is missing", key);
      return NULL;
    }
  return g_steal_pointer (&value);
}

/* Lower-case letters, digits, dots and hyphens, with a dot, and a top-level
 * label that is not all digits (so that 192.0.2.300 is no name). */
static gboolean
is_lower_case_host_name (const char *name)
{
  const char *last = strrchr (name, '.');
  gboolean letter = FALSE;

  if (name[0] == '.' || name[0] == '-' || last == NULL)
    return FALSE;
  for (const char *p = name; *p; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '.' && *p != '-')
        return FALSE;
      if (p > last && g_ascii_islower (*p))
        letter = TRUE;
    }
  return letter;
}

/* Entries are compared with what servers write into Received lines, so names
 * must be plain lower-case host names and addresses are kept in the one form
 * GInetAddress prints (2001:db8::1, not 2001:0db8:0:0::1). */
static gboolean
normalize_mail_host (char **entry)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (*entry);

  if (address == NULL)
    return is_lower_case_host_name (*entry);
  g_free (*entry);
  *entry = g_inet_address_to_string (address);
  return TRUE;
}

/* Every entry must look like a distinguished name (at least one
 * attribute=value), so that a typo cannot silently match nothing. */
static gboolean
is_distinguished_name (char **entry)
{
  const char *equals = strchr (*entry, '=');

  return equals != NULL && equals != *entry && equals[1] != '\0' && g_utf8_validate (*entry, -1, NULL);
}

/* Pins are written as HTTP public key pinning wrote them ("sha256/" and the
 * base64 of the SHA-256 of the SubjectPublicKeyInfo); the prefix is optional
 * and dropped here. */
static gboolean
normalize_anchor_pin (char **entry)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
  const char *value = g_str_has_prefix (*entry, "sha256/") ? *entry + 7 : *entry;
  g_autofree guchar *raw = NULL;
  gsize len = 0;

  if (strlen (value) == 44 && strspn (value, alphabet) == 44)
    raw = g_base64_decode (value, &len);
  if (len != 32)
    return FALSE;
  memmove (*entry, value, 45);
  return TRUE;
}

/* Checks one entry of a list; may rewrite it (only when it is valid) into
 * the form the engine compares. */
typedef gboolean (*EntryCheckFunc) (char **entry);

/* The list @key of [Provider], each entry passed through @check. @expected
 * finishes the error's sentence about an entry that fails it. */
static gboolean
parse_checked_list (GKeyFile        *keyfile,
                    const char      *key,
                    EntryCheckFunc   check,
                    const char      *expected,
                    GStrv           *entries,
                    GError         **error)
{
  g_auto(GStrv) list = mc_data_get_list (keyfile, "Provider", key);

  for (guint i = 0; list[i] != NULL; i++)
    {
      if (!check (&list[i]))
        {
          g_set_error (error, MC_PROVIDER_ERROR, MC_PROVIDER_ERROR_INVALID,
                       "[Provider] %s entry “%s” %s", key, list[i], expected);
          return FALSE;
        }
    }
  *entries = g_steal_pointer (&list);
  return TRUE;
}

McProvider *
mc_provider_new_from_data (const char  *data,
                           gsize        length,
                           GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(McProvider) self = g_new0 (McProvider, 1);
  g_autofree char *user_name = NULL;
  g_autofree char *server_ascii = NULL;

  if (!g_key_file_load_from_data (keyfile, data, length, G_KEY_FILE_NONE, error))
    return NULL;

  if (!(self->id = required_string (keyfile, "Id", error)) ||
      !(self->name = required_string (keyfile, "Name", error)) ||
      !(self->server = required_string (keyfile, "Server", error)) ||
      !(user_name = required_string (keyfile, "UserName", error)))
    return NULL;

  /* g_hostname_to_ascii() reads past the end of invalid UTF-8 (found by fuzz-provider). */
  if (g_utf8_validate (self->server, -1, NULL))
    server_ascii = g_hostname_to_ascii (self->server);
  if (server_ascii == NULL || g_strcmp0 (server_ascii, self->server) != 0 || strchr (self->server, '.') == NULL)
    {
      g_set_error (error, MC_PROVIDER_ERROR, MC_PROVIDER_ERROR_INVALID,
                   "[Provider] Server “%s” is not a lower-case host name", self->server);
      return NULL;
    }

  if (g_str_equal (user_name, "email-address"))
    self->full_address = TRUE;
  else if (!g_str_equal (user_name, "any"))
    {
      g_set_error (error, MC_PROVIDER_ERROR, MC_PROVIDER_ERROR_INVALID,
                   "[Provider] UserName must be email-address or any, not “%s”", user_name);
      return NULL;
    }

  self->domains = mc_data_get_list (keyfile, "Provider", "Domains");
  self->legacy_prefixes = mc_data_get_list (keyfile, "Provider", "LegacyHostPrefixes");
  if (!parse_checked_list (keyfile, "MailHosts", normalize_mail_host,
                           "is neither a lower-case host name nor an IP address", &self->mail_hosts, error) ||
      !parse_checked_list (keyfile, "ExpectedIssuers", is_distinguished_name,
                           "is not a distinguished name (CN=…,O=…)", &self->expected_issuers, error) ||
      !parse_checked_list (keyfile, "TrustAnchorSPKI", normalize_anchor_pin,
                           "is not the base64 of a SHA-256 hash", &self->anchor_pins, error))
    return NULL;

  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      const char *group = mc_protocol_to_string (protocol);
      g_auto(GStrv) usable = mc_data_get_list (keyfile, group, "Usable");

      self->endpoints[protocol] = g_array_new (FALSE, FALSE, sizeof (McEndpoint));
      for (guint i = 0; usable != NULL && usable[i] != NULL; i++)
        {
          McEndpoint endpoint;

          if (!parse_endpoint (usable[i], &endpoint))
            {
              g_set_error (error, MC_PROVIDER_ERROR, MC_PROVIDER_ERROR_INVALID,
                           "[%s] Usable entry “%s” is not PORT:tls or PORT:starttls", group, usable[i]);
              return NULL;
            }
          g_array_append_val (self->endpoints[protocol], endpoint);
        }
    }

  if (self->endpoints[MC_PROTOCOL_SMTP]->len == 0 ||
      (self->endpoints[MC_PROTOCOL_POP3]->len == 0 && self->endpoints[MC_PROTOCOL_IMAP]->len == 0))
    {
      g_set_error_literal (error, MC_PROVIDER_ERROR, MC_PROVIDER_ERROR_INVALID,
                           "A provider needs SMTP and at least one of POP3 and IMAP");
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* Returns: (transfer none): every profile shipped with the app. */
GPtrArray *
mc_provider_list (void)
{
  static GPtrArray *providers;

  if (g_once_init_enter (&providers))
    {
      GPtrArray *list = mc_data_load_folder (PROVIDER_RESOURCE_PATH, (McDataParseFunc)mc_provider_new_from_data,
                                             (GDestroyNotify)mc_provider_free);

      g_once_init_leave (&providers, list);
    }

  return providers;
}

/**
 * mc_provider_add_profile:
 *
 * Adds a profile to the ones compiled in; it is found before them, so it
 * can stand in for a shipped one. For tests, which put the provider's server
 * on loopback with a certificate of their own CA. Call it before any check
 * runs: the list is not locked.
 */
gboolean
mc_provider_add_profile (const char  *data,
                         gsize        length,
                         GError     **error)
{
  McProvider *provider = mc_provider_new_from_data (data, length, error);

  if (provider == NULL)
    return FALSE;
  g_ptr_array_insert (mc_provider_list (), 0, provider);
  return TRUE;
}

const char *
mc_address_domain (const char *address)
{
  const char *at = address ? strrchr (address, '@') : NULL;

  if (at == NULL || at[1] == '\0')
    return NULL;
  return at + 1;
}

static gboolean
host_in_domain (const char *host,
                const char *domain)
{
  gsize host_len = strlen (host);
  gsize domain_len = strlen (domain);

  if (g_ascii_strcasecmp (host, domain) == 0)
    return TRUE;
  return host_len > domain_len + 1 && host[host_len - domain_len - 1] == '.' &&
         g_ascii_strcasecmp (host + host_len - domain_len, domain) == 0;
}

gboolean
mc_provider_is_legacy_host (const McProvider *self,
                            const char       *host,
                            const char       *address)
{
  const char *domain = mc_address_domain (address);

  if (host == NULL)
    return FALSE;

  for (guint i = 0; self->legacy_prefixes[i] != NULL; i++)
    {
      gsize len = strlen (self->legacy_prefixes[i]);

      if (g_ascii_strncasecmp (host, self->legacy_prefixes[i], len) != 0 || host[len] != '.')
        continue;
      if (domain != NULL && g_ascii_strcasecmp (host + len + 1, domain) == 0)
        return TRUE;
      for (guint j = 0; self->domains[j] != NULL; j++)
        {
          if (g_ascii_strcasecmp (host + len + 1, self->domains[j]) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* The profile that applies: the server is the provider's or lies in one of its
 * domains, or the address is at one of its domains. */
const McProvider *
mc_provider_lookup (const char *host,
                    const char *address)
{
  GPtrArray *providers = mc_provider_list ();
  const char *domain = mc_address_domain (address);

  for (guint i = 0; i < providers->len; i++)
    {
      McProvider *provider = g_ptr_array_index (providers, i);

      if (host != NULL && g_ascii_strcasecmp (host, provider->server) == 0)
        return provider;
      for (guint j = 0; provider->domains[j] != NULL; j++)
        {
          if ((host != NULL && host_in_domain (host, provider->domains[j])) ||
              (domain != NULL && g_ascii_strcasecmp (domain, provider->domains[j]) == 0))
            return provider;
        }
    }
  return NULL;
}

/* A provider whose old host name pattern matches: smtp./pop3./imap. of the
 * customer's own domain or of the provider's. The customer-domain pattern alone
 * also fits other providers' real servers (imap.example.com), so callers only
 * act on it together with evidence, such as a failed lookup or a certificate
 * for another name. */
const McProvider *
mc_provider_find_legacy (const char *host,
                         const char *address)
{
  GPtrArray *providers = mc_provider_list ();

  for (guint i = 0; i < providers->len; i++)
    {
      McProvider *provider = g_ptr_array_index (providers, i);

      if (mc_provider_is_legacy_host (provider, host, address))
        return provider;
    }
  return NULL;
}

const char *
mc_provider_get_id (const McProvider *self)
{
  return self->id;
}

const char *
mc_provider_get_name (const McProvider *self)
{
  return self->name;
}

const char *
mc_provider_get_server (const McProvider *self)
{
  return self->server;
}

gboolean
mc_provider_requires_full_address (const McProvider *self)
{
  return self->full_address;
}

/* The first endpoint is the recommended one. */
const GArray *
mc_provider_get_endpoints (const McProvider *self,
                           McProtocol        protocol)
{
  g_return_val_if_fail (protocol < MC_N_PROTOCOLS, NULL);
  return self->endpoints[protocol];
}

gboolean
mc_provider_is_usable (const McProvider *self,
                       McProtocol        protocol,
                       guint16           port,
                       McSecurity        security)
{
  const GArray *endpoints = mc_provider_get_endpoints (self, protocol);

  for (guint i = 0; i < endpoints->len; i++)
    {
      const McEndpoint *endpoint = &g_array_index (endpoints, McEndpoint, i);

      if (endpoint->port == port && endpoint->security == security)
        return TRUE;
    }
  return FALSE;
}

/* The profile whose server @host is (not merely one in its domains). */
const McProvider *
mc_provider_for_server (const char *host)
{
  GPtrArray *providers = mc_provider_list ();

  for (guint i = 0; host != NULL && i < providers->len; i++)
    {
      McProvider *provider = g_ptr_array_index (providers, i);

      if (g_ascii_strcasecmp (host, provider->server) == 0)
        return provider;
    }
  return NULL;
}

/* The provider this app is made for: its profile fills in the defaults of a new
 * form. */
const McProvider *
mc_provider_get_default (void)
{
  GPtrArray *providers = mc_provider_list ();

  for (guint i = 0; i < providers->len; i++)
    {
      McProvider *provider = g_ptr_array_index (providers, i);

      if (g_str_equal (provider->id, "netzprisma"))
        return provider;
    }
  return providers->len > 0 ? g_ptr_array_index (providers, 0) : NULL;
}

/* The provider's recommended port and security for @protocol; FALSE when the
 * provider does not offer it (IMAP is only for customers who booked it). */
gboolean
mc_provider_get_recommended (const McProvider *self,
                             McProtocol        protocol,
                             McEndpoint       *endpoint)
{
  const GArray *endpoints = mc_provider_get_endpoints (self, protocol);

  if (endpoints->len == 0)
    return FALSE;
  *endpoint = g_array_index (endpoints, McEndpoint, 0);
  return TRUE;
}

const char * const *
mc_provider_get_mail_hosts (const McProvider *self)
{
  return (const char * const *)self->mail_hosts;
}

/* @host is a name (any case, with or without the root's trailing dot) or an
 * address without brackets. */
gboolean
mc_provider_is_mail_host (const McProvider *self,
                          const char       *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *name = NULL;
  gsize len;

  if (host == NULL || host[0] == '\0')
    return FALSE;

  address = g_inet_address_new_from_string (host);
  if (address != NULL)
    name = g_inet_address_to_string (address);
  else
    {
      len = strlen (host);
      if (host[len - 1] == '.')
        len--;
      name = g_ascii_strdown (host, len);
    }

  return g_strv_contains ((const char * const *)self->mail_hosts, name);
}

const char * const *
mc_provider_get_expected_issuers (const McProvider *self)
{
  return (const char * const *)self->expected_issuers;
}

const char * const *
mc_provider_get_trust_anchor_pins (const McProvider *self)
{
  return (const char * const *)self->anchor_pins;
}

/* Whether the profile says what the server's certificates chain to, so that
 * any other chain can be called replaced. */
gboolean
mc_provider_knows_its_certificates (const McProvider *self)
{
  return self->expected_issuers[0] != NULL || self->anchor_pins[0] != NULL;
}

/* Distinguished names as different tools write them ("CN = R3, O = X" by
 * OpenSSL, "CN=R3,O=X" by GnuTLS): equal when they differ only in spaces
 * around "=" and "," and in ASCII case. */
static char *
normalize_dn (const char *dn)
{
  GString *out = g_string_new (NULL);

  for (const char *p = dn; *p; p++)
    {
      if (*p == ' ' && (out->len == 0 || out->str[out->len - 1] == ',' || out->str[out->len - 1] == '=' ||
                        p[strspn (p, " ")] == ',' || p[strspn (p, " ")] == '=' || p[strspn (p, " ")] == '\0'))
        continue;
      g_string_append_c (out, g_ascii_tolower (*p));
    }
  return g_string_free (out, FALSE);
}

gboolean
mc_distinguished_name_equal (const char *a,
                             const char *b)
{
  g_autofree char *left = NULL;
  g_autofree char *right = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  left = normalize_dn (a);
  right = normalize_dn (b);
  return g_str_equal (left, right);
}
