/* test-interception.c: a certificate replaced on the way (antivirus software,
 * an inspecting proxy), against fake TLS servers on 127.0.0.1 whose
 * certificates are issued at run time — the provider's server under its own
 * name, mapped to loopback by the tests' resolver
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-interception"

#include "config.h"

#include <string.h>

#include "mc-interception.h"
#include "mc-report.h"
#include "sending-util.h"

static McResult *
run_provider (const char *certificate,
              const char *ca_name,
              FakeServer **out_server)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 0);
  g_autofree char *ca = ca_name != NULL ? sending_certificate_path (ca_name) : NULL;
  McResult *result;

  fake_server_clear_on_connect (server);
  fake_server_on_connect (server, fake_start_tls (certificate), fake_send_greeting (), NULL);
  mc_settings_set_host (settings, SENDING_PROVIDER_HOST);
  if (ca != NULL)
    mc_settings_set_ca_file (settings, ca);
  {
    /* The provider's published port is this server's. */
    g_autofree char *usable = g_strdup_printf ("%u:tls;", fake_server_start (server));

    sending_use_provider_profile ("imap", usable);
  }
  result = sending_run_server (server, settings, FALSE);
  if (out_server != NULL)
    *out_server = g_steal_pointer (&server);
  return result;
}

static gboolean
json_tls_intercepted (McResult    *result,
                      const char **by)
{
  g_autoptr(JsonNode) root = sending_result_json_node (result);
  JsonObject *tls = json_object_get_object_member (json_node_get_object (root), "tls");
  static char product[64];

  g_assert_nonnull (tls);
  g_strlcpy (product, json_object_get_string_member_with_default (tls, "intercepted_by", ""), sizeof product);
  if (by != NULL)
    *by = product;
  return json_object_get_boolean_member (tls, "intercepted");
}

/* The genuine chain: the provider's certificate from what its profile names. */
static void
test_genuine_chain_no_finding (void)
{
  g_autoptr(McResult) result = NULL;

  if (!sending_have_certificates ())
    return;
  result = run_provider ("provider", NULL, NULL);

  mc_assert_verdict (result, MC_VERDICT_OK);
  mc_assert_step (result, MC_STEP_TLS, MC_STEP_STATUS_OK);
  g_assert_false (result->tls_intercepted);
  mc_assert_no_advice (result, "tls-intercepted");
  g_assert_false (json_tls_intercepted (result, NULL));
}

/* A root the user's computer trusts (here: --ca-file), but not the
 * provider's: the certificate was replaced on the way. The test goes on, as a
 * mail program trusting that root would, and says what happened. */
static void
test_trusted_interceptor_named (void)
{
  g_autoptr(McResult) result = NULL;
  g_autoptr(FakeServer) server = NULL;
  g_autofree char *text = NULL;
  McAdvice *advice;

  if (!sending_have_certificates ())
    return;
  result = run_provider ("intercepted", "interceptor-root.pem", &server);
  text = mc_report_to_text (result, FALSE);

  mc_assert_verdict (result, MC_VERDICT_WARNING);
  mc_assert_step (result, MC_STEP_TLS, MC_STEP_STATUS_WARNING);
  mc_assert_mentions (mc_test_find_step (result, MC_STEP_TLS)->summary, "Interceptor Root");
  g_assert_true (result->tls_intercepted);
  g_assert_null (result->tls_interceptor);
  advice = mc_test_find_advice (result, "tls-intercepted");
  g_assert_nonnull (advice);
  mc_assert_mentions (advice->text, "does not come from Netzprisma");
  mc_assert_mentions (advice->text, "“Interceptor Root”");
  mc_assert_mentions (advice->text, "trusts the replacement");
  mc_assert_mentions (advice->text, "Never accept or install this certificate");
  /* Nothing to click: no setting of the account fixes it, and never "trust it". */
  g_assert_true (advice->fix_port == 0 && advice->fix_security < 0 && advice->fix_host == NULL &&
                 advice->fix_user == NULL);
  g_assert_true (json_tls_intercepted (result, NULL));
  mc_assert_mentions (text, "Certificate replaced on the way");
  /* One login, inside the validated session. */
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTHENTICATE"), ==, 1);
}

/* ESET's CA, unknown to this computer: the handshake fails as before, but
 * the advice names the product and what to switch off instead of "unknown
 * authority"; no password is sent. */
static void
test_unknown_eset_root_named (void)
{
  g_autoptr(McResult) result = NULL;
  g_autoptr(FakeServer) server = NULL;
  McAdvice *advice;
  const char *by = NULL;

  if (!sending_have_certificates ())
    return;
  result = run_provider ("eset", NULL, &server);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_TLS, MC_STEP_STATUS_FAILED);
  g_assert_cmpstr (result->tls_interceptor, ==, "ESET");
  advice = mc_test_find_advice (result, "tls-intercepted");
  g_assert_nonnull (advice);
  mc_assert_mentions (advice->text, "“ESET SSL Filter CA”");
  mc_assert_mentions (advice->text, "In ESET, switch off the scanning of encrypted connections");
  mc_assert_mentions (advice->text, "your password was not sent");
  mc_assert_no_advice (result, "certificate-untrusted");
  g_assert_cmpuint (result->advice->len, ==, 1);
  g_assert_true (json_tls_intercepted (result, &by));
  g_assert_cmpstr (by, ==, "ESET");
  fake_server_assert_no_credentials (server, FAKE_USER, FAKE_PASSWORD);
}

/* A server without a profile: only a known product's name shows a replaced
 * certificate. */
static void
test_product_named_without_profile (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, 0);
  g_autoptr(McResult) result = NULL;
  McAdvice *advice;

  if (!sending_have_certificates ())
    return;
  fake_server_clear_on_connect (server);
  fake_server_on_connect (server, fake_start_tls ("eset-local"), fake_send_greeting (), NULL);
  mc_settings_set_port (settings, fake_server_start (server));
  result = mc_test_run_timed (settings, NULL, NULL);
  fake_server_finish (server);
  mc_test_print_result (result);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  advice = mc_test_find_advice (result, "tls-intercepted");
  g_assert_nonnull (advice);
  mc_assert_mentions (advice->text, "The certificate for 127.0.0.1 comes from “ESET SSL Filter CA”");
  mc_assert_mentions (advice->text, "In ESET");
  mc_assert_no_advice (result, "certificate-untrusted");
  fake_server_assert_no_credentials (server, FAKE_USER, FAKE_PASSWORD);
}

/* The test CA on a server without a profile is nobody's product: nothing to
 * say, as before. */
static void
test_ordinary_server_no_finding (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = mc_test_run_server (server, MC_PROTOCOL_SMTP, MC_SECURITY_TLS);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_false (result->tls_intercepted);
}

/* The profile decides what is genuine, and only a profile that names its
 * issuers decides at all. */
static void
test_profile_decides (void)
{
  g_autoptr(McProvider) shipped = NULL;
  g_autoptr(McProvider) confirmed = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/de/netzprisma/MailCheck/providers/netzprisma.ini",
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  const char *profile = "[Provider]\nId=confirmed\nName=Confirmed\nServer=mail.confirmed.test\nUserName=any\n"
                        "ExpectedIssuers=CN=Someone Else,O=Someone,C=DE;\n"
                        "[imap]\nUsable=993:tls;\n[smtp]\nUsable=587:starttls;\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(GTlsCertificate) leaf = NULL;
  McInterception found;

  if (!sending_have_certificates ())
    return;

  /* The shipped profile names no issuers until the provider confirms them: a
   * guess would call the real server's certificate replaced for everyone. */
  shipped = mc_provider_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_false (mc_provider_knows_its_certificates (shipped));

  pem = fake_certificate_path ("provider.pem");
  leaf = g_tls_certificate_new_from_file (pem, &error);
  g_assert_no_error (error);
  mc_interception_examine (leaf, NULL, shipped, &found);
  g_assert_false (found.intercepted);
  mc_interception_clear (&found);

  /* A profile that knows its issuers: the test CA is not one of them. */
  confirmed = mc_provider_new_from_data (profile, strlen (profile), &error);
  g_assert_no_error (error);
  g_assert_true (mc_provider_knows_its_certificates (confirmed));
  mc_interception_examine (leaf, NULL, confirmed, &found);
  g_assert_true (found.intercepted);
  g_assert_null (found.product);
  g_assert_cmpstr (found.issuer, ==, "Mail Check Test CA");
  mc_interception_clear (&found);

  /* Without a profile the same chain is nobody's business. */
  mc_interception_examine (leaf, NULL, NULL, &found);
  g_assert_false (found.intercepted);
  mc_interception_clear (&found);
}

/* A pin of the CA's key is enough, whatever its name says. */
static void
test_pin_matches (void)
{
  g_autofree char *ca_path = fake_certificate_path ("ca.pem");
  g_autofree char *leaf_path = NULL;
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autoptr(GTlsCertificate) leaf = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(McProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *profile = NULL;
  McInterception found;

  if (!sending_have_certificates ())
    return;
  ca = g_tls_certificate_new_from_file (ca_path, &error);
  g_assert_no_error (error);
  pin = mc_certificate_spki_pin (ca);
  g_assert_true (g_str_has_prefix (pin, "sha256/"));
  profile = g_strdup_printf ("[Provider]\nId=pinned\nName=Pinned\nServer=mail.pinned.test\nUserName=any\n"
                             "ExpectedIssuers=CN=Someone Else\nTrustAnchorSPKI=%s;\n"
                             "[imap]\nUsable=993:tls;\n[smtp]\nUsable=587:starttls;\n", pin);
  provider = mc_provider_new_from_data (profile, strlen (profile), &error);
  g_assert_no_error (error);

  leaf_path = fake_certificate_path ("provider.pem");
  leaf = g_tls_certificate_new_from_file (leaf_path, &error);
  g_assert_no_error (error);
  database = g_tls_file_database_new (ca_path, &error);
  g_assert_no_error (error);
  /* The anchor is not sent; the trust store supplies it. */
  mc_interception_examine (leaf, database, provider, &found);
  g_assert_false (found.intercepted);
  mc_interception_clear (&found);
}

/* The list of products as data: every entry loads, its example names it and
 * no product before it, and the names of real public CAs name none. */
static void
test_product_list_valid (void)
{
  GPtrArray *products = mc_interceptor_list ();
  const char *wanted[] = { "eset", "avast", "avg", "kaspersky", "bitdefender", "norton", "fortinet", "zscaler",
                           "sophos" };
  const char *public_cas[] = {
    "CN=R3,O=Let's Encrypt,C=US", "CN=ISRG Root X1,O=Internet Security Research Group,C=US",
    "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US",
    "CN=Sectigo RSA Domain Validation Secure Server CA,O=Sectigo Limited,L=Salford,ST=Greater Manchester,C=GB",
    "CN=GEANT OV RSA CA 4,O=GEANT Vereniging,C=NL", "CN=Mail Check Test CA",
    "CN=Telekom Security ServerID OV Class 2 CA,O=Deutsche Telekom Security GmbH,C=DE",
    "CN=Lavgard Nortonsen Esetti CA,O=Avastor", "CN=Interceptor Root,O=Example Security Appliance",
  };

  g_assert_cmpuint (products->len, ==, G_N_ELEMENTS (wanted));
  for (guint i = 0; i < products->len; i++)
    {
      const McInterceptor *product = g_ptr_array_index (products, i);

      g_assert_cmpstr (mc_interceptor_get_id (product), ==, wanted[i]);
      g_assert_true (mc_interceptor_match (mc_interceptor_get_example (product)) == product);
      g_assert_cmpuint (strlen (mc_interceptor_get_name (product)), >, 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (public_cas); i++)
    {
      if (mc_interceptor_match (public_cas[i]) != NULL)
        g_error ("“%s” is taken for %s", public_cas[i],
                 mc_interceptor_get_name (mc_interceptor_match (public_cas[i])));
    }
  g_assert_cmpint (mc_interceptor_get_where (mc_interceptor_match ("CN=Zscaler Root CA")), ==,
                   MC_INTERCEPTOR_ON_NETWORK);
  g_assert_cmpint (mc_interceptor_get_where (mc_interceptor_match ("CN=ESET SSL Filter CA")), ==,
                   MC_INTERCEPTOR_ON_COMPUTER);
}

/* A broken entry is refused with the reason, not half loaded. */
static void
test_product_entry_validated (void)
{
  static const struct
  {
    const char *data;
    const char *reason;
  } broken[] = {
    { "[x]\nIssuer=X Filter;\nWhere=computer\nExample=CN=X Filter\n", "Name" },
    { "[x]\nName=X\nWhere=computer\nExample=CN=X Filter\n", "Issuer" },
    { "[x]\nName=X\nIssuer=X Filter;\nWhere=cloud\nExample=CN=X Filter\n", "Where" },
    { "[x]\nName=X\nIssuer=X Filter;\nWhere=network\nExample=CN=Other\n", "Example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GKeyFile) keyfile = g_key_file_new ();
      g_autoptr(McInterceptor) product = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_key_file_load_from_data (keyfile, broken[i].data, -1, G_KEY_FILE_NONE, NULL));
      product = mc_interceptor_new_from_group (keyfile, "x", &error);
      g_assert_null (product);
      g_assert_nonnull (error);
      mc_assert_mentions (error->message, broken[i].reason);
    }
}

/* Names are compared as tools write them: spaces around = and , and case
 * do not matter; a common name is read past escaped commas. */
static void
test_distinguished_names (void)
{
  g_autofree char *cn = mc_distinguished_name_common_name ("O=Example\\, Inc.,CN=Filter\\, Root CA,C=DE");

  g_assert_true (mc_distinguished_name_equal ("CN = R3, O = Let's Encrypt, C = US", "cn=R3,o=let's encrypt,c=us"));
  g_assert_false (mc_distinguished_name_equal ("CN=R3,O=Let's Encrypt", "CN=R 3,O=Let's Encrypt"));
  g_assert_cmpstr (cn, ==, "Filter, Root CA");
}

int
main (int   argc,
      char *argv[])
{
  sending_test_init (&argc, &argv);

  g_test_add_func ("/sending/interception/genuine-chain-no-finding", test_genuine_chain_no_finding);
  g_test_add_func ("/sending/interception/trusted-interceptor-root-named", test_trusted_interceptor_named);
  g_test_add_func ("/sending/interception/unknown-eset-root-product-named", test_unknown_eset_root_named);
  g_test_add_func ("/sending/interception/product-named-without-profile", test_product_named_without_profile);
  g_test_add_func ("/sending/interception/ordinary-server-no-finding", test_ordinary_server_no_finding);
  g_test_add_func ("/sending/interception/profile-decides", test_profile_decides);
  g_test_add_func ("/sending/interception/key-pin-matches", test_pin_matches);
  g_test_add_func ("/sending/interception/product-list-valid", test_product_list_valid);
  g_test_add_func ("/sending/interception/product-entry-validated", test_product_entry_validated);
  g_test_add_func ("/sending/interception/distinguished-names", test_distinguished_names);

  return g_test_run ();
}
