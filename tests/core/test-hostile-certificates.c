/* test-hostile-certificates.c: certificates that must not get the password
 *
 * Every problem GIO reports, and those it lets through (a weak key, a server
 * certificate for clients only, a name only in the CN); the identity checked is
 * always the host the user entered, never one the server or the resolver
 * offers; and nothing a failed certificate names becomes a setting. Each
 * rejection is played for every protocol over both ways into TLS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hostile-certificates"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "mc-certificate.h"
#include "mc-report.h"
#include "hostile-net.h"

/* Certificates made at run time ---------------------------------------------- */

/* Some cases need leaves tests/certs does not have; they are issued by the
 * test CA with openssl when first needed and removed at exit. */
static const char make_certificates_script[] =
  "set -eu\n"
  "out=$1; certs=$2; cd \"$out\"\n"
  "mkdir -p db/new; : > db/index.txt; echo 4000 > db/serial\n"
  "cat > ca.cnf <<'END'\n"
  "[ ca ]\ndefault_ca = hostile\n"
  "[ hostile ]\ndatabase = db/index.txt\nnew_certs_dir = db/new\nserial = db/serial\n"
  "default_md = sha256\n"
  "policy = any\nunique_subject = no\ncopy_extensions = none\n"
  "[ any ]\ncommonName = supplied\n"
  "[ server ]\nbasicConstraints = critical, CA:FALSE\n"
  "keyUsage = critical, digitalSignature, keyEncipherment\n"
  "extendedKeyUsage = serverAuth\nsubjectAltName = $ENV::SAN\n"
  "[ client ]\nbasicConstraints = critical, CA:FALSE\n"
  "keyUsage = critical, digitalSignature, keyEncipherment\n"
  "extendedKeyUsage = clientAuth\nsubjectAltName = $ENV::SAN\n"
  "END\n"
  "ec='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1'\n"
  "valid='-startdate 20200101000000Z -enddate 21200101000000Z'\n"
  "issue () {\n"
  "  name=$1 key=$2 ext=$3 san=$4 dates=$5 issuer=$6\n"
  "  openssl req -new -nodes $key -keyout $name.key -subj /CN=$name -out $name.csr 2>>log\n"
  "  SAN=$san openssl ca -batch -notext -config ca.cnf -cert $issuer.pem -keyfile $issuer.key \\\n"
  "    -extensions $ext $dates -in $name.csr -out $name.pem 2>>log\n"
  "}\n"
  "cp \"$certs/ca.pem\" \"$certs/ca.key\" .\n"
  "issue wildcard \"$ec\" server 'DNS:*.wild.test' \"$valid\" ca\n"
  "issue ip-only \"$ec\" server 'IP:127.0.0.1' \"$valid\" ca\n"
  "issue dns-only \"$ec\" server 'DNS:localhost' \"$valid\" ca\n"
  "issue rsa1024 '-newkey rsa:1024' server 'DNS:localhost,IP:127.0.0.1' \"$valid\" ca\n"
  "issue client-eku \"$ec\" client 'DNS:localhost,IP:127.0.0.1' \"$valid\" ca\n"
  "issue expired-other \"$ec\" server 'DNS:other.test' \\\n"
  "  '-startdate 20000101000000Z -enddate 20010101000000Z' ca\n"
  "issue not-a-ca \"$ec\" server 'DNS:not-a-ca.test' \"$valid\" ca\n"
  "issue under-not-a-ca \"$ec\" server 'DNS:localhost,IP:127.0.0.1' \"$valid\" not-a-ca\n"
  "cat not-a-ca.pem >> under-not-a-ca.pem\n";

static gboolean
have_generated_certificates (void)
{
  return mc_test_issue_certificates (make_certificates_script, "mc-hostile-certs-XXXXXX") != NULL;
}

/* What GIO rejects ------------------------------------------------------------ */

/* Rejected before any credential, with @advice and @problem named. */
static void
play_rejected_certificate (McProtocol  protocol,
                           McSecurity  security,
                           const char *certificate,
                           const char *host,
                           const char *advice,
                           const char *problem,
                           Outcome    *out)
{
  const Scenario s = { protocol, security, .certificate = certificate, .host = host,
                       .auth = "not-tried",
                       STOPPED (advice, "tls") };

  scenario_play (&s, out);
  g_assert_false (fake_server_tls_established (out->server));
  g_assert_nonnull (fake_server_get_handshake_error (out->server));
  g_assert_nonnull (out->result->certificate);
  g_assert_cmpuint (strlen (out->result->certificate->sha256), ==, 95);
  g_assert_true (mc_certificate_info_has_problem (out->result->certificate, problem));
}

typedef void (*ResultCheck) (McResult *result);

static void
check_expiry_shown (McResult *result)
{
  g_autofree char *until = g_date_time_format (result->certificate->not_after, "%x");

  g_assert_cmpint (g_date_time_get_year (result->certificate->not_after), ==, 2001);
  mc_assert_mentions (mc_test_find_advice (result, "certificate-expired")->text, until);
}

static void
check_self_issued (McResult *result)
{
  g_assert_cmpstr (result->certificate->subject, ==, result->certificate->issuer);
}

static void
check_other_issuer (McResult *result)
{
  g_assert_cmpstr (result->certificate->subject, !=, result->certificate->issuer);
}

static void
check_names_listed (McResult *result)
{
  g_assert_cmpuint (g_strv_length (result->certificate->names), ==, 1);
  g_assert_cmpstr (result->certificate->names[0], ==, "other.test");
  mc_assert_mentions (mc_test_find_advice (result, "certificate-hostname-mismatch")->text,
                      "127.0.0.1");
}

typedef struct
{
  const char  *path;
  const char  *certificate;
  const char  *advice;
  const char  *problem;
  const char  *mention;      /* in the advice */
  ResultCheck  extra;
} Rejection;

static const Rejection rejections[] = {
  { "expired", "expired", "certificate-expired", "expired", NULL, check_expiry_shown },
  { "not-yet-valid", "not-yet-valid", "certificate-not-yet-valid", "not-yet-valid", "date and time",
    NULL },
  { "self-signed", "self-signed", "certificate-untrusted", "unknown-issuer", "self-signed",
    check_self_issued },
  { "unknown-root", "unknown-ca", "certificate-untrusted", "unknown-issuer", NULL,
    check_other_issuer },
  { "incomplete-chain", "incomplete-chain", "certificate-untrusted", "unknown-issuer",
    "intermediate", NULL },
  { "wrong-name", "wrong-name", "certificate-hostname-mismatch", "wrong-name", "other.test",
    check_names_listed },
  { "sha1-signature", "sha1", "certificate-insecure", "insecure", "insecure", NULL },
};

static void
test_certificate_rejected (gconstpointer data)
{
  const Rejection *r = data;

  /* Each protocol, over implicit TLS and over STARTTLS. */
  for (guint i = 0; i < 2 * G_N_ELEMENTS (every_protocol); i++)
    {
      McSecurity security = i < 3 ? MC_SECURITY_TLS : MC_SECURITY_STARTTLS;
      g_auto(Outcome) out = { NULL };

      play_rejected_certificate (every_protocol[i % 3], security, r->certificate, NULL, r->advice,
                                 r->problem, &out);
      if (r->mention != NULL)
        mc_assert_mentions (mc_test_find_advice (out.result, r->advice)->text, r->mention);
      if (r->extra != NULL)
        r->extra (out.result);
    }
}

static void
test_wildcard_covers_one_label (void)
{
  const char *outside[] = { "wild.test", "a.b.wild.test" };
  const Scenario inside = { MC_PROTOCOL_SMTP, MC_SECURITY_TLS, .certificate = "wildcard",
                            .host = "mx.wild.test",
                            LOGGED_IN };
  g_auto(Outcome) fits = { NULL };
  GResolver *previous;

  if (!have_generated_certificates ())
    return;

  previous = use_test_names ();
  for (guint i = 0; i < G_N_ELEMENTS (outside); i++)
    {
      g_auto(Outcome) out = { NULL };

      /* RFC 6125 / 7817: "*" stands for exactly one whole left-most label. */
      play_rejected_certificate (MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, "wildcard", outside[i],
                                 "certificate-hostname-mismatch", "wrong-name", &out);
    }
  scenario_play (&inside, &fits);
  restore_resolver (previous);
}

static void
test_ip_and_dns_names_not_interchangeable (void)
{
  const Scenario ip_by_ip = { MC_PROTOCOL_POP3, MC_SECURITY_TLS, .certificate = "ip-only",
                              LOGGED_IN };
  g_auto(Outcome) by_name = { NULL };
  g_auto(Outcome) by_ip = { NULL };
  g_auto(Outcome) control = { NULL };

  if (!have_generated_certificates ())
    return;

  /* An IP-only certificate for a name, a DNS-only one for an address: neither fits. */
  play_rejected_certificate (MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, "ip-only", "mail.test",
                             "certificate-hostname-mismatch", "wrong-name", &by_name);
  play_rejected_certificate (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, "dns-only", "127.0.0.1",
                             "certificate-hostname-mismatch", "wrong-name", &by_ip);
  scenario_play (&ip_by_ip, &control);
}

static void
test_expired_and_wrong_name_both_named (void)
{
  g_auto(Outcome) out = { NULL };

  if (!have_generated_certificates ())
    return;

  /* GIO promises only one flag: neither is allowed through on its own. */
  play_rejected_certificate (MC_PROTOCOL_SMTP, MC_SECURITY_TLS, "expired-other", NULL,
                             "certificate-hostname-mismatch", "wrong-name", &out);
  if (out.result->certificate->errors & G_TLS_CERTIFICATE_EXPIRED)
    mc_assert_advice (out.result, "certificate-expired");
  g_assert_true (mc_result_has_advice (out.result, "certificate-expired") ||
                 !(out.result->certificate->errors & G_TLS_CERTIFICATE_EXPIRED));
}

static void
test_issued_by_non_ca_rejected (void)
{
  for (guint i = 0; i < 2 * G_N_ELEMENTS (every_protocol); i++)
    {
      McSecurity security = i < 3 ? MC_SECURITY_TLS : MC_SECURITY_STARTTLS;
      const Scenario s = { every_protocol[i % 3], security, .certificate = "under-not-a-ca",
                           .verdict = MC_VERDICT_FAILED, .failed = "tls" };
      g_auto(Outcome) out = { NULL };

      if (!have_generated_certificates ())
        return;
      scenario_play (&s, &out);
      g_assert_false (fake_server_tls_established (out.server));
      g_assert_nonnull (out.result->certificate);
      g_assert_nonnull (out.result->certificate->problems);
      g_assert_nonnull (out.result->certificate->problems[0]);
    }
}

static void
test_no_certificate_accepted_once (void)
{
  g_autofree char *first_fingerprint = NULL;
  const char *certificates[] = { "self-signed", "self-signed", "unknown-ca" };

  /* Every run rejects, the same certificate too: there is no pinning to abuse. */
  for (guint i = 0; i < G_N_ELEMENTS (certificates); i++)
    {
      g_auto(Outcome) out = { NULL };

      play_rejected_certificate (MC_PROTOCOL_IMAP, MC_SECURITY_STARTTLS, certificates[i], NULL,
                                 "certificate-untrusted", "unknown-issuer", &out);
      if (i == 0)
        first_fingerprint = g_strdup (out.result->certificate->sha256);
      else if (i == 1)
        g_assert_cmpstr (out.result->certificate->sha256, ==, first_fingerprint);
    }
}

static void
test_system_store_rejects_test_ca (void)
{
  /* Without a CA file the system's authorities decide; none issued the test CA. */
  static const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .ca_file = "",
                              .verdict = MC_VERDICT_FAILED,
                              .advice = "certificate-untrusted" };
  g_auto(Outcome) out = { NULL };

  scenario_play (&s, &out);
}

static void
test_unusable_ca_file_fails_closed (void)
{
  /* Whatever the wording: the check fails closed, before any credential. */
  static const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .ca_file = "generate.sh",
                              .verdict = MC_VERDICT_FAILED, .failed = "tls" };
  g_auto(Outcome) out = { NULL };

  scenario_play (&s, &out);
  g_test_message ("TLS step: %s", mc_test_find_step (out.result, MC_STEP_TLS)->summary);
}

/* What GnuTLS lets through ---------------------------------------------------- */

static void
test_full_chain_accepted (void)
{
  /* The control for "incomplete-chain": the same leaf with its intermediate is fine. */
  static const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .certificate = "full-chain",
                              .auth = "ok",
                              LOGGED_IN };
  g_auto(Outcome) out = { NULL };

  scenario_play (&s, &out);
}

static void
test_name_only_in_cn_warns (void)
{
  /* GnuTLS accepts a name in the CN only (RFC 7817 tolerates it): a warning. */
  for (guint i = 0; i < 2 * G_N_ELEMENTS (every_protocol); i++)
    {
      McSecurity security = i < 3 ? MC_SECURITY_TLS : MC_SECURITY_STARTTLS;
      const Scenario s = { every_protocol[i % 3], security, .certificate = "cn-only",
                           .host = "localhost", .verdict = MC_VERDICT_WARNING,
                           .steps = "tls:warning", .auth = "ok", .logins = 1, .secret_sent = TRUE };
      g_auto(Outcome) out = { NULL };

      scenario_play (&s, &out);
      g_assert_true (mc_certificate_info_has_problem (out.result->certificate,
                                                      MC_CERTIFICATE_PROBLEM_NO_SAN));
    }
}

/* GnuTLS accepts these; the check refuses them like any other certificate
 * failure: no login command, no password, advice certificate-insecure. */
static void
play_accepted_but_weak (const char *certificate,
                        const char *what)
{
  const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .certificate = certificate,
                       .auth = "not-tried",
                       STOPPED ("certificate-insecure", "tls") };
  g_auto(Outcome) out = { NULL };

  if (!have_generated_certificates ())
    return;

  g_test_message ("a certificate with %s", what);
  scenario_play (&s, &out);
  g_assert_null (mc_test_find_step (out.result, MC_STEP_LOGIN));
}

static void
test_weak_key_rejected (void)
{
  play_accepted_but_weak ("rsa1024", "a 1024-bit RSA key");
}

static void
test_client_only_key_usage_rejected (void)
{
  play_accepted_but_weak ("client-eku", "only the clientAuth extended key usage");
}

static void
test_revocation_never_claimed (void)
{
  static const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, LOGGED_IN };
  g_auto(Outcome) out = { NULL };
  g_autofree char *report = NULL;
  g_autofree char *json = NULL;
  g_autofree char *folded = NULL;

  /* Revocation cannot be checked (no OCSP/CRL fetching): a passing certificate is
   * reported as valid, never as "not revoked". */
  scenario_play (&s, &out);
  report = mc_report_to_text (out.result, TRUE);
  json = mc_report_to_json (out.result);
  folded = g_utf8_casefold (report, -1);
  g_assert_null (strstr (folded, "revoked"));
  g_assert_null (strstr (folded, "revocation"));
  g_assert_null (strstr (json, "revoked"));
  for (guint i = 0; i < out.result->steps->len; i++)
    {
      McStep *step = g_ptr_array_index (out.result->steps, i);
      g_autofree char *summary = g_utf8_casefold (step->summary, -1);

      g_assert_null (strstr (summary, "revo"));
    }
}

/* Whose name counts ------------------------------------------------------------ */

static void
test_identity_is_the_entered_host (void)
{
  /* The greeting and the certificate agree on other.test; the user typed mail.test. */
  static const Scenario spoofed = { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .host = "mail.test",
                                    .greeting = "220 other.test ESMTP\r\n",
                                    .certificate = "wrong-name",
                                    STOPPED ("certificate-hostname-mismatch", "tls") };
  /* mail.test resolves to 127.0.0.1, which the certificate names: still the
   * wrong server, because the user typed mail.test. */
  static const Scenario resolved = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .host = "mail.test",
                                     STOPPED ("certificate-hostname-mismatch", "tls") };
  /* A greeting naming another host changes nothing when the certificate fits. */
  static const Scenario typed = { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .host = "localhost",
                                  .greeting = "220 evil.test ESMTP\r\n", LOGGED_IN };
  g_auto(Outcome) out = { NULL };
  g_auto(Outcome) by_address = { NULL };
  g_auto(Outcome) control = { NULL };
  g_autofree char *lookups = NULL;
  McAdvice *advice;

  scenario_play (&spoofed, &out);
  mc_assert_mentions (mc_test_find_advice (out.result, "certificate-hostname-mismatch")->text,
                      "mail.test");
  for (guint i = 0; i < out.result->advice->len; i++)
    g_assert_cmpstr (((McAdvice *)g_ptr_array_index (out.result->advice, i))->fix_host, !=,
                     "other.test");

  g_free (mc_test_resolver_take_lookups ());
  scenario_play (&resolved, &by_address);
  lookups = mc_test_resolver_take_lookups ();
  g_assert_nonnull (strstr (lookups, "mail.test"));
  g_assert_cmpstr (by_address.result->address, ==, "127.0.0.1");
  advice = mc_test_find_advice (by_address.result, "certificate-hostname-mismatch");
  mc_assert_mentions (advice->text, "mail.test");
  mc_assert_mentions (advice->text, "localhost");

  scenario_play (&typed, &control);
}

static void
test_entered_host_forms_validate (void)
{
  const char *hosts[] = { "127.0.0.1", "localhost", "LOCALHOST." };

  /* The certificate names both; each form of the entered host validates. */
  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    for (guint j = 0; j < G_N_ELEMENTS (hosts); j++)
      {
        const Scenario s = { every_protocol[i], MC_SECURITY_TLS, .host = hosts[j], .auth = "ok",
                             LOGGED_IN };
        g_auto(Outcome) out = { NULL };

        scenario_play (&s, &out);
        /* The EHLO argument is always the address literal, never raw input. */
        if (s.protocol == MC_PROTOCOL_SMTP)
          g_assert_cmpuint (fake_server_count_commands (out.server, FAKE_PHASE_TLS,
                                                        "EHLO [127.0.0.1]$"), ==, 1);
      }
}

/* The review's reproducer. An attacker on the path shows a certificate from a
 * trusted authority for a domain of their own (other.test); their second
 * server holds a valid certificate for that name. The advice on the first test
 * must not lead there: had it offered other.test, the next test would have
 * validated at the attacker's server and sent the password to it. */
static void
test_names_never_offered_as_server (void)
{
  static const Scenario intercepted = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .host = "mail.test",
                                        .certificate = "wrong-name",
                                        STOPPED ("certificate-hostname-mismatch", "tls") };
  static const Scenario followed = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, .host = "other.test",
                                     .certificate = "wrong-name", .steps = "tls:ok", .auth = "ok",
                                     LOGGED_IN };
  g_auto(Outcome) out = { NULL };
  g_auto(Outcome) attacker = { NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  JsonArray *advice_list;
  McAdvice *advice;

  scenario_play (&intercepted, &out);
  advice = mc_test_find_advice (out.result, "certificate-hostname-mismatch");
  /* The names are information, with the warning; never the thing to enter. */
  mc_assert_mentions (advice->text, "other.test");
  mc_assert_mentions (advice->text, "intercept");
  g_assert_null (strstr (advice->text, "Enter other.test"));
  for (guint i = 0; i < out.result->advice->len; i++)
    g_assert_null (((McAdvice *)g_ptr_array_index (out.result->advice, i))->fix_host);
  json = mc_report_to_json (out.result);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  advice_list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                              "advice");
  for (guint i = 0; i < json_array_get_length (advice_list); i++)
    {
      JsonObject *entry = json_array_get_object_element (advice_list, i);

      if (json_object_has_member (entry, "fix"))
        g_assert_false (json_object_has_member (json_object_get_object_member (entry, "fix"),
                                                "host"));
    }

  /* What following such advice would have done: a clean test at the attacker's. */
  scenario_play (&followed, &attacker);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();

  for (guint i = 0; i < G_N_ELEMENTS (rejections); i++)
    {
      g_autofree char *path = g_strconcat ("/mailcheck/hostile/certificate/rejected/",
                                           rejections[i].path, NULL);

      g_test_add_data_func (path, &rejections[i], test_certificate_rejected);
    }
  g_test_add_func ("/mailcheck/hostile/certificate/rejected/wildcard-outside-its-one-label",
                   test_wildcard_covers_one_label);
  g_test_add_func ("/mailcheck/hostile/certificate/rejected/ip-and-dns-names-not-interchangeable",
                   test_ip_and_dns_names_not_interchangeable);
  g_test_add_func ("/mailcheck/hostile/certificate/rejected/expired-and-wrong-name-both-named",
                   test_expired_and_wrong_name_both_named);
  g_test_add_func ("/mailcheck/hostile/certificate/rejected/issued-by-non-ca",
                   test_issued_by_non_ca_rejected);
  g_test_add_func ("/mailcheck/hostile/certificate/rejected/weak-key", test_weak_key_rejected);
  g_test_add_func ("/mailcheck/hostile/certificate/rejected/client-only-key-usage",
                   test_client_only_key_usage_rejected);
  g_test_add_func ("/mailcheck/hostile/certificate/rejected/nothing-accepted-once",
                   test_no_certificate_accepted_once);
  g_test_add_func ("/mailcheck/hostile/certificate/rejected/system-store-knows-no-test-ca",
                   test_system_store_rejects_test_ca);
  g_test_add_func ("/mailcheck/hostile/certificate/unusable-ca-file-fails-closed",
                   test_unusable_ca_file_fails_closed);
  g_test_add_func ("/mailcheck/hostile/certificate/full-chain-accepted", test_full_chain_accepted);
  g_test_add_func ("/mailcheck/hostile/certificate/name-only-in-cn-warns",
                   test_name_only_in_cn_warns);
  g_test_add_func ("/mailcheck/hostile/certificate/revocation-never-claimed",
                   test_revocation_never_claimed);
  g_test_add_func ("/mailcheck/hostile/certificate/identity-is-the-entered-host",
                   test_identity_is_the_entered_host);
  g_test_add_func ("/mailcheck/hostile/certificate/entered-host-forms-validate",
                   test_entered_host_forms_validate);
  g_test_add_func ("/mailcheck/hostile/certificate/names-never-offered-as-server",
                   test_names_never_offered_as_server);

  return g_test_run ();
}
