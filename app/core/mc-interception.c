/* mc-interception.c
 *
 * Detection only: whatever is found here changes what the advice says, never
 * whether a certificate is accepted. Validation stays with GIO (mc-tls.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-interception"

#include "config.h"

#include <string.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "mc-interception.h"
#include "mc-result.h"

#define PRODUCTS_RESOURCE "/de/netzprisma/MailCheck/interception/products.ini"

/* Certificates followed from the server's own; real chains have two to four. */
#define MAX_CHAIN 10

struct _McInterceptor
{
  char               *id;
  char               *name;
  GStrv               phrases;   /* lower case */
  McInterceptorWhere  where;
  char               *example;
};

void
mc_interceptor_free (McInterceptor *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->name);
  g_strfreev (self->phrases);
  g_free (self->example);
  g_free (self);
}

static GStrv
split_phrases (const char *raw)
{
  g_auto(GStrv) parts = g_strsplit (raw != NULL ? raw : "", ";", -1);
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_ptr_array_add (list, g_ascii_strdown (parts[i], -1));
    }
  g_ptr_array_add (list, NULL);
  return (GStrv)g_ptr_array_free (list, FALSE);
}

McInterceptor *
mc_interceptor_new_from_group (GKeyFile    *keyfile,
                               const char  *group,
                               GError     **error)
{
  g_autoptr(McInterceptor) self = g_new0 (McInterceptor, 1);
  g_autofree char *issuer = g_key_file_get_value (keyfile, group, "Issuer", NULL);
  g_autofree char *where = g_key_file_get_value (keyfile, group, "Where", NULL);

  self->id = g_strdup (group);
  self->name = g_key_file_get_value (keyfile, group, "Name", NULL);
  self->example = g_key_file_get_value (keyfile, group, "Example", NULL);
  self->phrases = split_phrases (issuer);

  if (self->name == NULL || self->name[0] == '\0' || !g_utf8_validate (self->name, -1, NULL))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "[%s] Name is missing", group);
      return NULL;
    }
  if (self->phrases[0] == NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "[%s] Issuer is missing", group);
      return NULL;
    }
  if (g_strcmp0 (where, "computer") == 0)
    self->where = MC_INTERCEPTOR_ON_COMPUTER;
  else if (g_strcmp0 (where, "network") == 0)
    self->where = MC_INTERCEPTOR_ON_NETWORK;
  else if (g_strcmp0 (where, "either") == 0)
    self->where = MC_INTERCEPTOR_EITHER;
  else
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[%s] Where must be computer, network or either", group);
      return NULL;
    }
  if (self->example == NULL || !mc_interceptor_matches (self, self->example))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[%s] Example is missing or does not match Issuer", group);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* Returns: (transfer none): every product the app knows, in the file's order. */
GPtrArray *
mc_interceptor_list (void)
{
  static GPtrArray *products;

  if (g_once_init_enter (&products))
    {
      GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_interceptor_free);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (PRODUCTS_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_autoptr(GKeyFile) keyfile = g_key_file_new ();
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) groups = NULL;
      gsize length = 0;
      const char *data = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;

      if (data == NULL || !g_key_file_load_from_data (keyfile, data, length, G_KEY_FILE_NONE, &error))
        g_critical ("The list of inspecting products is unreadable: %s", error ? error->message : "missing");
      else
        groups = g_key_file_get_groups (keyfile, NULL);

      for (guint i = 0; groups != NULL && groups[i] != NULL; i++)
        {
          McInterceptor *product = mc_interceptor_new_from_group (keyfile, groups[i], &error);

          if (product == NULL)
            {
              g_critical ("The list of inspecting products is invalid: %s", error->message);
              g_clear_error (&error);
            }
          else
            g_ptr_array_add (list, product);
        }
      g_once_init_leave (&products, list);
    }
  return products;
}

static gboolean
is_word_character (char c)
{
  return g_ascii_isalnum (c);
}

/* @phrase (lower case) as whole words in @text (lower case): "AVG" in
 * "CN=AVG Web/Mail Shield Root", never in "CN=Lavgard". */
static gboolean
contains_words (const char *text,
                const char *phrase)
{
  gsize len = strlen (phrase);

  for (const char *hit = strstr (text, phrase); hit != NULL; hit = strstr (hit + 1, phrase))
    {
      if ((hit == text || !is_word_character (hit[-1])) && !is_word_character (hit[len]))
        return TRUE;
    }
  return FALSE;
}

gboolean
mc_interceptor_matches (const McInterceptor *self,
                        const char          *distinguished_name)
{
  g_autofree char *lower = NULL;

  if (distinguished_name == NULL)
    return FALSE;
  lower = g_ascii_strdown (distinguished_name, -1);
  for (guint i = 0; self->phrases[i] != NULL; i++)
    {
      if (contains_words (lower, self->phrases[i]))
        return TRUE;
    }
  return FALSE;
}

const McInterceptor *
mc_interceptor_match (const char *distinguished_name)
{
  GPtrArray *products = mc_interceptor_list ();

  for (guint i = 0; i < products->len; i++)
    {
      const McInterceptor *product = g_ptr_array_index (products, i);

      if (mc_interceptor_matches (product, distinguished_name))
        return product;
    }
  return NULL;
}

const char *
mc_interceptor_get_id (const McInterceptor *self)
{
  return self->id;
}

const char *
mc_interceptor_get_name (const McInterceptor *self)
{
  return self->name;
}

McInterceptorWhere
mc_interceptor_get_where (const McInterceptor *self)
{
  return self->where;
}

const char *
mc_interceptor_get_example (const McInterceptor *self)
{
  return self->example;
}

/* Chains ------------------------------------------------------------------------ */

/* "sha256/" and the base64 of the SHA-256 of the certificate's
 * SubjectPublicKeyInfo, as profiles write TrustAnchorSPKI. */
char *
mc_certificate_spki_pin (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t datum;
  gnutls_datum_t spki = { NULL, 0 };
  char *pin = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL || gnutls_x509_crt_init (&crt) < 0)
    return NULL;
  datum.data = der->data;
  datum.size = der->len;

  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) >= 0 &&
      gnutls_pubkey_init (&key) >= 0 &&
      gnutls_pubkey_import_x509 (key, crt, 0) >= 0 &&
      gnutls_pubkey_export2 (key, GNUTLS_X509_FMT_DER, &spki) >= 0)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 digest[32];
      gsize digest_len = sizeof digest;
      g_autofree char *encoded = NULL;

      g_checksum_update (checksum, spki.data, spki.size);
      g_checksum_get_digest (checksum, digest, &digest_len);
      encoded = g_base64_encode (digest, digest_len);
      pin = g_strconcat ("sha256/", encoded, NULL);
    }

  gnutls_free (spki.data);
  if (key != NULL)
    gnutls_pubkey_deinit (key);
  gnutls_x509_crt_deinit (crt);
  return pin;
}

/* The value of the first CN= in an RFC 4514 string, unescaped; NULL when
 * there is none. */
char *
mc_distinguished_name_common_name (const char *distinguished_name)
{
  GString *out;
  const char *p = distinguished_name;

  while (p != NULL && *p != '\0')
    {
      while (*p == ' ' || *p == ',' || *p == '+')
        p++;
      if (g_ascii_strncasecmp (p, "CN", 2) == 0 && p[2 + strspn (p + 2, " ")] == '=')
        break;
      /* Skip this attribute, minding escaped commas. */
      while (*p != '\0' && *p != ',' && *p != '+')
        p += (*p == '\\' && p[1] != '\0') ? 2 : 1;
    }
  if (p == NULL || *p == '\0')
    return NULL;

  p = strchr (p, '=') + 1;
  p += strspn (p, " ");
  out = g_string_new (NULL);
  while (*p != '\0' && *p != ',' && *p != '+')
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      g_string_append_c (out, *p++);
    }
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, out->len == 0);
}

static gboolean
strv_has_dn (const char * const *list,
             const char         *dn)
{
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    {
      if (mc_distinguished_name_equal (list[i], dn))
        return TRUE;
    }
  return FALSE;
}

/* The issuer's common name as the advice shows it: server text, so sanitised. */
static char *
shown_issuer (const char *dn)
{
  g_autofree char *name = mc_distinguished_name_common_name (dn);

  return mc_sanitize_server_text (name != NULL ? name : dn, -1, 120);
}

/**
 * mc_interception_examine:
 * @peer: the server's certificate, with the chain it sent as its issuers
 * @database: (nullable): where to look up the anchor the chain ends in; NULL:
 *   the system's
 * @provider: (nullable): the profile of the server tested, when it is a
 *   provider's own server
 *
 * For a provider's server whose profile says what its certificates chain
 * to, any other chain was replaced on the way, validated or not. For any
 * server, an issuer that names a known inspecting product was. Detection only:
 * a name can be copied, so this never makes a certificate acceptable.
 */
void
mc_interception_examine (GTlsCertificate  *peer,
                         GTlsDatabase     *database,
                         const McProvider *provider,
                         McInterception   *out)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GTlsDatabase) system = NULL;

  memset (out, 0, sizeof *out);
  for (GTlsCertificate *cert = peer; cert != NULL && chain->len < MAX_CHAIN;
       cert = g_tls_certificate_get_issuer (cert))
    g_ptr_array_add (chain, g_object_ref (cert));
  if (chain->len == 0)
    return;

  /* The anchor is rarely sent; the trust store knows it when the chain is valid. */
  {
    GTlsCertificate *top = g_ptr_array_index (chain, chain->len - 1);
    g_autofree char *subject = g_tls_certificate_get_subject_name (top);
    g_autofree char *issuer = g_tls_certificate_get_issuer_name (top);

    if (database == NULL)
      database = system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
    if (database != NULL && !mc_distinguished_name_equal (subject, issuer))
      {
        GTlsCertificate *anchor = g_tls_database_lookup_certificate_issuer (database, top, NULL,
                                                                            G_TLS_DATABASE_LOOKUP_NONE,
                                                                            NULL, NULL);
        if (anchor != NULL)
          g_ptr_array_add (chain, anchor);
      }
  }

  /* The first issuer in the chain that names a known product. */
  for (guint i = 0; i < chain->len && out->product == NULL; i++)
    {
      g_autofree char *issuer = g_tls_certificate_get_issuer_name (g_ptr_array_index (chain, i));

      out->product = mc_interceptor_match (issuer);
      if (out->product != NULL)
        out->issuer = shown_issuer (issuer);
    }

  if (provider != NULL && mc_provider_knows_its_certificates (provider))
    {
      const char * const *issuers = mc_provider_get_expected_issuers (provider);
      const char * const *pins = mc_provider_get_trust_anchor_pins (provider);
      gboolean genuine = FALSE;

      for (guint i = 0; i < chain->len && !genuine; i++)
        {
          GTlsCertificate *cert = g_ptr_array_index (chain, i);
          g_autofree char *issuer = g_tls_certificate_get_issuer_name (cert);
          g_autofree char *subject = g_tls_certificate_get_subject_name (cert);
          g_autofree char *pin = i > 0 ? mc_certificate_spki_pin (cert) : NULL;

          genuine = strv_has_dn (issuers, issuer) || (i > 0 && strv_has_dn (issuers, subject)) ||
                    (pin != NULL && g_strv_contains (pins, pin + strlen ("sha256/")));
        }
      out->intercepted = !genuine;
    }
  else
    out->intercepted = out->product != NULL;

  if (out->intercepted && out->issuer == NULL)
    {
      g_autofree char *end = g_tls_certificate_get_issuer_name (g_ptr_array_index (chain, chain->len - 1));

      out->issuer = shown_issuer (end);
    }
}

void
mc_interception_clear (McInterception *self)
{
  g_clear_pointer (&self->issuer, g_free);
  self->product = NULL;
  self->intercepted = FALSE;
}
