/* mc-certificate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-certificate"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/x509.h>

#include "mc-certificate.h"

static const struct
{
  GTlsCertificateFlags  flag;
  const char           *problem;
} flag_problems[] = {
  { G_TLS_CERTIFICATE_UNKNOWN_CA, MC_CERTIFICATE_PROBLEM_UNKNOWN_ISSUER },
  { G_TLS_CERTIFICATE_BAD_IDENTITY, MC_CERTIFICATE_PROBLEM_WRONG_NAME },
  { G_TLS_CERTIFICATE_NOT_ACTIVATED, MC_CERTIFICATE_PROBLEM_NOT_YET_VALID },
  { G_TLS_CERTIFICATE_EXPIRED, MC_CERTIFICATE_PROBLEM_EXPIRED },
  { G_TLS_CERTIFICATE_REVOKED, MC_CERTIFICATE_PROBLEM_REVOKED },
  { G_TLS_CERTIFICATE_INSECURE, MC_CERTIFICATE_PROBLEM_INSECURE },
  { G_TLS_CERTIFICATE_GENERIC_ERROR, MC_CERTIFICATE_PROBLEM_GENERIC },
};

/* The words for each problem; MC_CERTIFICATE_PROBLEM_GENERIC and any other
 * problem get the fallback. */
static const struct
{
  const char *problem;
  const char *text;
} problem_texts[] = {
  { MC_CERTIFICATE_PROBLEM_UNKNOWN_ISSUER,
    N_("issued by an unknown or untrusted authority, self-signed, or sent without its "
       "intermediate certificates") },
  { MC_CERTIFICATE_PROBLEM_WRONG_NAME, N_("issued for a different server name") },
  { MC_CERTIFICATE_PROBLEM_NOT_YET_VALID, N_("not valid yet") },
  { MC_CERTIFICATE_PROBLEM_EXPIRED, N_("expired") },
  { MC_CERTIFICATE_PROBLEM_REVOKED, N_("revoked") },
  { MC_CERTIFICATE_PROBLEM_INSECURE, N_("signed with an insecure algorithm") },
  { MC_CERTIFICATE_PROBLEM_WEAK_KEY, N_("uses a key shorter than 2048 bits") },
  { MC_CERTIFICATE_PROBLEM_NOT_FOR_SERVER, N_("is not meant for servers (its key usage excludes them)") },
  { MC_CERTIFICATE_PROBLEM_NO_SAN, N_("names the server only in its subject (no subject alternative name)") },
};

const char *
mc_certificate_problem_describe (const char *problem)
{
  for (guint i = 0; i < G_N_ELEMENTS (problem_texts); i++)
    {
      if (g_strcmp0 (problem, problem_texts[i].problem) == 0)
        return _(problem_texts[i].text);
    }
  return _("invalid for an unknown reason");
}

char *
mc_certificate_describe_problems (GTlsCertificateFlags errors)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (flag_problems); i++)
    {
      if (errors & flag_problems[i].flag)
        g_ptr_array_add (parts, (gpointer)mc_certificate_problem_describe (flag_problems[i].problem));
    }
  if (parts->len == 0)
    g_ptr_array_add (parts, (gpointer)mc_certificate_problem_describe (MC_CERTIFICATE_PROBLEM_GENERIC));
  g_ptr_array_add (parts, NULL);

  /* Translators: the separator between certificate problems in a list */
  return g_strjoinv (_("; "), (char **)parts->pdata);
}

static char *
sha256_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  GString *out;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &digest_len);

  out = g_string_sized_new (96);
  for (gsize i = 0; i < digest_len; i++)
    g_string_append_printf (out, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free (out, FALSE);
}

/* What GnuTLS accepts but a mail server's certificate should not have: an RSA
 * or DSA key below 2048 bits, or an extended key usage without serverAuth. */
static void
add_own_checks (GTlsCertificate *certificate,
                GPtrArray       *problems)
{
  g_autoptr(GByteArray) der = NULL;
  gnutls_x509_crt_t crt;
  gnutls_datum_t datum;
  unsigned int bits = 0;
  gboolean has_key_purpose = FALSE;
  gboolean for_servers = FALSE;
  int algorithm;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL || gnutls_x509_crt_init (&crt) < 0)
    return;

  datum.data = der->data;
  datum.size = der->len;
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) >= 0)
    {
      algorithm = gnutls_x509_crt_get_pk_algorithm (crt, &bits);
      if ((algorithm == GNUTLS_PK_RSA || algorithm == GNUTLS_PK_DSA) && bits > 0 && bits < 2048)
        g_ptr_array_add (problems, g_strdup (MC_CERTIFICATE_PROBLEM_WEAK_KEY));

      for (unsigned int i = 0; i < 64; i++)
        {
          char oid[128];
          size_t size = sizeof oid;

          if (gnutls_x509_crt_get_key_purpose_oid (crt, i, oid, &size, NULL) < 0)
            break;
          has_key_purpose = TRUE;
          if (strcmp (oid, GNUTLS_KP_TLS_WWW_SERVER) == 0 || strcmp (oid, GNUTLS_KP_ANY) == 0)
            for_servers = TRUE;
        }
      if (has_key_purpose && !for_servers)
        g_ptr_array_add (problems, g_strdup (MC_CERTIFICATE_PROBLEM_NOT_FOR_SERVER));
    }

  gnutls_x509_crt_deinit (crt);
}

static void
add_name (GPtrArray *names,
          char      *name,
          guint     *omitted)
{
  for (guint i = 0; i < names->len; i++)
    {
      if (g_ascii_strcasecmp (g_ptr_array_index (names, i), name) == 0)
        {
          g_free (name);
          return;
        }
    }
  if (names->len >= MC_CERTIFICATE_MAX_NAMES)
    {
      (*omitted)++;
      g_free (name);
      return;
    }
  g_ptr_array_add (names, name);
}

McCertificateInfo *
mc_certificate_info_new (GTlsCertificate      *certificate,
                         GTlsCertificateFlags  errors)
{
  McCertificateInfo *info = g_new0 (McCertificateInfo, 1);
  g_autoptr(GPtrArray) dns_names = NULL;
  g_autoptr(GPtrArray) ip_addresses = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new ();

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  info->errors = errors;
  {
    g_autofree char *subject = g_tls_certificate_get_subject_name (certificate);
    g_autofree char *issuer = g_tls_certificate_get_issuer_name (certificate);

    info->subject = mc_sanitize_server_text (subject, -1, 512);
    info->issuer = mc_sanitize_server_text (issuer, -1, 512);
  }
  info->not_before = g_tls_certificate_get_not_valid_before (certificate);
  info->not_after = g_tls_certificate_get_not_valid_after (certificate);
  info->sha256 = sha256_fingerprint (certificate);

  /* DNS names first, each once; then addresses. A hostile certificate can list
   * thousands: only the first ones are kept, the rest counted. */
  dns_names = g_tls_certificate_get_dns_names (certificate);
  for (guint i = 0; dns_names != NULL && i < dns_names->len; i++)
    {
      GBytes *bytes = g_ptr_array_index (dns_names, i);
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      add_name (names, mc_sanitize_server_text (data, len, 255), &info->names_omitted);
    }

  ip_addresses = g_tls_certificate_get_ip_addresses (certificate);
  for (guint i = 0; ip_addresses != NULL && i < ip_addresses->len; i++)
    add_name (names, g_inet_address_to_string (g_ptr_array_index (ip_addresses, i)), &info->names_omitted);

  g_ptr_array_add (names, NULL);
  info->names = (GStrv)g_ptr_array_free (g_steal_pointer (&names), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (flag_problems); i++)
    {
      if (errors & flag_problems[i].flag)
        g_ptr_array_add (problems, g_strdup (flag_problems[i].problem));
    }
  /* GnuTLS still accepts a certificate that names the host only in its CN;
   * RFC 7817 merely tolerates it, so it is worth a warning. */
  if (info->names[0] == NULL)
    g_ptr_array_add (problems, g_strdup (MC_CERTIFICATE_PROBLEM_NO_SAN));
  add_own_checks (certificate, problems);
  g_ptr_array_add (problems, NULL);
  info->problems = (GStrv)g_ptr_array_free (g_steal_pointer (&problems), FALSE);

  return info;
}

gboolean
mc_certificate_info_has_problem (McCertificateInfo *info,
                                 const char        *problem)
{
  return info != NULL && info->problems != NULL &&
         g_strv_contains ((const char * const *)info->problems, problem);
}

/* The names for people to read: "a, b, c" and, for a certificate that listed
 * more than are kept, how many more. */
char *
mc_certificate_format_names (McCertificateInfo *info)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; info->names != NULL && info->names[i] != NULL; i++)
    {
      if (i > 0)
        /* Translators: the separator in a list of server names */
        g_string_append (out, _(", "));
      g_string_append (out, info->names[i]);
    }
  if (info->names_omitted > 0)
    {
      if (out->len > 0)
        g_string_append (out, " ");
      g_string_append_printf (out, ngettext ("(and %u more name not shown)", "(and %u more names not shown)",
                                             info->names_omitted),
                              info->names_omitted);
    }
  return g_string_free (out, FALSE);
}
