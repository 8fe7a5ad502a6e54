/* test-provider.c: provider profiles and the checks made before a test runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mc-check.h"
#include "mc-diagnosis.h"
#include "mc-provider.h"
#include "mc-result.h"
#include "mc-settings.h"
#include "test-util.h"

/* Every file in data/providers/ must load; the shipped list must match it. */
static void
test_provider_files_valid (void)
{
  g_autoptr(GHashTable) files = mc_test_read_ini_files ("providers");
  GHashTableIter iter;
  GBytes *contents;

  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&contents))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(McProvider) provider = mc_provider_new_from_data (g_bytes_get_data (contents, NULL),
                                                                  g_bytes_get_size (contents), &error);

      g_assert_no_error (error);
      g_assert_nonnull (provider);
    }

  g_assert_cmpuint (g_hash_table_size (files), >, 0);
  g_assert_cmpuint (mc_provider_list ()->len, ==, g_hash_table_size (files));
}

static void
test_provider_invalid_rejected (void)
{
  static const char *bad[] = {
    "[Provider]\nId=x\nName=X\nServer=mail.x.de\nUserName=email-address\n[smtp]\nUsable=587:none;\n[imap]\nUsable=993:tls;\n",
    "[Provider]\nId=x\nName=X\nServer=mail.x.de\nUserName=email-address\n[smtp]\nUsable=70000:tls;\n[imap]\nUsable=993:tls;\n",
    "[Provider]\nId=x\nName=X\nServer=Mail.X.de\nUserName=email-address\n[smtp]\nUsable=465:tls;\n[imap]\nUsable=993:tls;\n",
    "[Provider]\nId=x\nName=X\nServer=mail.x.de\nUserName=whatever\n[smtp]\nUsable=465:tls;\n[imap]\nUsable=993:tls;\n",
    "[Provider]\nId=x\nName=X\nServer=mail.x.de\nUserName=any\n[imap]\nUsable=993:tls;\n",
    "[Provider]\nName=X\nServer=mail.x.de\nUserName=any\n[smtp]\nUsable=465:tls;\n[imap]\nUsable=993:tls;\n",
    "not a key file",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(McProvider) provider = mc_provider_new_from_data (bad[i], -1, &error);

      g_test_message ("case %u", i);
      g_assert_null (provider);
      g_assert_nonnull (error);
    }
}

/* The help page: POP3 995 SSL/TLS, IMAP 993 SSL/TLS, SMTP 587 STARTTLS recommended. */
static void
test_provider_netzprisma_matches_help_page (void)
{
  const McProvider *provider = mc_provider_lookup ("mail01.netzprisma.de", NULL);
  const GArray *endpoints;

  g_assert_nonnull (provider);
  g_assert_cmpstr (mc_provider_get_server (provider), ==, "mail01.netzprisma.de");
  g_assert_true (mc_provider_requires_full_address (provider));

  /* The help page's table, spelled out: the recommended setting first, then the
   * other usable one — and nothing else (465 is not on the page). */
  {
    static const struct { McProtocol protocol; McEndpoint endpoints[2]; } page[] = {
      { MC_PROTOCOL_POP3, { { 995, MC_SECURITY_TLS }, { 110, MC_SECURITY_STARTTLS } } },
      { MC_PROTOCOL_IMAP, { { 993, MC_SECURITY_TLS }, { 143, MC_SECURITY_STARTTLS } } },
      { MC_PROTOCOL_SMTP, { { 587, MC_SECURITY_STARTTLS }, { 25, MC_SECURITY_STARTTLS } } },
    };

    for (guint i = 0; i < G_N_ELEMENTS (page); i++)
      {
        endpoints = mc_provider_get_endpoints (provider, page[i].protocol);
        g_assert_cmpuint (endpoints->len, ==, 2);
        for (guint j = 0; j < 2; j++)
          {
            g_assert_cmpuint (g_array_index (endpoints, McEndpoint, j).port, ==, page[i].endpoints[j].port);
            g_assert_cmpint (g_array_index (endpoints, McEndpoint, j).security, ==, page[i].endpoints[j].security);
          }
      }
  }

  g_assert_false (mc_provider_is_usable (provider, MC_PROTOCOL_SMTP, 465, MC_SECURITY_TLS));
  g_assert_false (mc_provider_is_usable (provider, MC_PROTOCOL_SMTP, 587, MC_SECURITY_TLS));
  g_assert_false (mc_provider_is_usable (provider, MC_PROTOCOL_IMAP, 143, MC_SECURITY_TLS));
}

static void
test_provider_legacy_hosts (void)
{
  const McProvider *provider = mc_provider_lookup ("mail01.netzprisma.de", NULL);

  g_assert_true (mc_provider_is_legacy_host (provider, "smtp.mueller-bau.de", "anna@mueller-bau.de"));
  g_assert_true (mc_provider_is_legacy_host (provider, "pop3.mueller-bau.de", "anna@mueller-bau.de"));
  g_assert_true (mc_provider_is_legacy_host (provider, "IMAP.Mueller-Bau.de", "anna@mueller-bau.de"));
  g_assert_false (mc_provider_is_legacy_host (provider, "smtp.other.de", "anna@mueller-bau.de"));
  g_assert_false (mc_provider_is_legacy_host (provider, "mail.mueller-bau.de", "anna@mueller-bau.de"));
  g_assert_false (mc_provider_is_legacy_host (provider, "smtpx.mueller-bau.de", "anna@mueller-bau.de"));
  g_assert_true (mc_provider_is_legacy_host (provider, "pop3.netzprisma.de", NULL));

  /* The customer-domain pattern alone does not make a host the provider's: it
   * also fits other providers' real servers. */
  g_assert_null (mc_provider_lookup ("smtp.mueller-bau.de", "anna@mueller-bau.de"));
  g_assert_true (mc_provider_find_legacy ("smtp.mueller-bau.de", "anna@mueller-bau.de") == provider);
  g_assert_null (mc_provider_lookup ("imap.gmail.com", "someone@gmail.com"));
  g_assert_true (mc_provider_lookup ("pop3.netzprisma.de", NULL) == provider);
  g_assert_true (mc_provider_lookup ("imap.example.org", "anna@netzprisma.de") == provider);
}

/* The Received check trusts exactly these hosts: the provider's inbound servers
 * by name in any spelling a server writes, and by address in any IPv6 notation;
 * nothing that merely ends in the provider's domain. */
static void
test_provider_mail_hosts (void)
{
  static const char *bad[] = {
    "MailHosts=Mx01.Netzprisma.de;",
    "MailHosts=mx01 netzprisma.de;",
    "MailHosts=localhost;",
    "MailHosts=mx01.netzprisma.de;[192.0.2.25];",
    "MailHosts=192.0.2.300;",
  };
  const McProvider *provider = mc_provider_lookup ("mail01.netzprisma.de", NULL);
  const char * const *hosts = mc_provider_get_mail_hosts (provider);

  g_assert_true (g_strv_contains (hosts, "mail01.netzprisma.de"));
  g_assert_true (g_strv_contains (hosts, "mx01.netzprisma.de"));
  g_assert_true (mc_provider_is_mail_host (provider, "mx01.netzprisma.de"));
  g_assert_true (mc_provider_is_mail_host (provider, "MX02.Netzprisma.DE."));
  g_assert_true (mc_provider_is_mail_host (provider, "192.0.2.25"));
  g_assert_true (mc_provider_is_mail_host (provider, "2001:0db8:0025:0000:0000:0000:0000:0025"));
  g_assert_false (mc_provider_is_mail_host (provider, "netzprisma.de"));
  g_assert_false (mc_provider_is_mail_host (provider, "mx01.netzprisma.de.example.org"));
  g_assert_false (mc_provider_is_mail_host (provider, "evil-mx01.netzprisma.de"));
  g_assert_false (mc_provider_is_mail_host (provider, "192.0.2.27"));
  g_assert_false (mc_provider_is_mail_host (provider, ""));
  g_assert_false (mc_provider_is_mail_host (provider, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *data = g_strdup_printf ("[Provider]\nId=x\nName=X\nServer=mail.x.de\nUserName=any\n%s\n"
                                               "[smtp]\nUsable=465:tls;\n[imap]\nUsable=993:tls;\n", bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(McProvider) invalid = mc_provider_new_from_data (data, -1, &error);

      g_test_message ("case %u: %s", i, bad[i]);
      g_assert_null (invalid);
      g_assert_error (error, MC_PROVIDER_ERROR, MC_PROVIDER_ERROR_INVALID);
    }

  /* The key is optional: a profile without it trusts no Received line. */
  {
    const char *data = "[Provider]\nId=x\nName=X\nServer=mail.x.de\nUserName=any\n"
                       "[smtp]\nUsable=465:tls;\n[imap]\nUsable=993:tls;\n";
    g_autoptr(McProvider) plain = mc_provider_new_from_data (data, -1, NULL);

    g_assert_nonnull (plain);
    g_assert_cmpuint (g_strv_length ((GStrv)mc_provider_get_mail_hosts (plain)), ==, 0);
    g_assert_false (mc_provider_is_mail_host (plain, "mail.x.de"));
  }
}

static McSettings *
settings_for (McProtocol  protocol,
              const char *host,
              guint16     port,
              McSecurity  security,
              const char *user)
{
  McSettings *settings = mc_test_settings_for (protocol, host, port, security);

  mc_settings_set_user (settings, user);
  return settings;
}

/* SSL/TLS on 587/143/110/25 and STARTTLS on 465/993/995 are pointed out before
 * anything is sent, with the fix the window can apply. */
static void
test_precheck_mode_port_mismatch (void)
{
  static const struct { McProtocol protocol; guint16 port; McSecurity security; const char *code; int fix; } cases[] = {
    { MC_PROTOCOL_SMTP, 587, MC_SECURITY_TLS, "use-starttls", MC_SECURITY_STARTTLS },
    { MC_PROTOCOL_IMAP, 143, MC_SECURITY_TLS, "use-starttls", MC_SECURITY_STARTTLS },
    { MC_PROTOCOL_POP3, 110, MC_SECURITY_TLS, "use-starttls", MC_SECURITY_STARTTLS },
    { MC_PROTOCOL_SMTP, 25, MC_SECURITY_TLS, "use-starttls", MC_SECURITY_STARTTLS },
    { MC_PROTOCOL_SMTP, 465, MC_SECURITY_STARTTLS, "use-implicit-tls", MC_SECURITY_TLS },
    { MC_PROTOCOL_IMAP, 993, MC_SECURITY_STARTTLS, "use-implicit-tls", MC_SECURITY_TLS },
    { MC_PROTOCOL_POP3, 995, MC_SECURITY_STARTTLS, "use-implicit-tls", MC_SECURITY_TLS },
    { MC_PROTOCOL_IMAP, 143, MC_SECURITY_NONE, "plaintext-not-allowed", MC_SECURITY_STARTTLS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(McSettings) settings = settings_for (cases[i].protocol, "mail.example.org", cases[i].port,
                                                     cases[i].security, "a@example.org");
      g_autoptr(GPtrArray) list = mc_diagnosis_precheck (settings, TRUE);
      McAdvice *advice = mc_test_find_advice_in (list, cases[i].code);

      g_test_message ("case %u: port %u", i, cases[i].port);
      g_assert_nonnull (advice);
      g_assert_cmpint (advice->fix_security, ==, cases[i].fix);
      g_assert_nonnull (strstr (advice->text, "Security"));
    }

  /* The right combinations say nothing. */
  {
    g_autoptr(McSettings) settings = settings_for (MC_PROTOCOL_IMAP, "mail.example.org", 993, MC_SECURITY_TLS,
                                                   "a@example.org");
    g_autoptr(GPtrArray) list = mc_diagnosis_precheck (settings, TRUE);

    g_assert_cmpuint (list->len, ==, 0);
  }
}

static void
test_precheck_provider_differences (void)
{
  g_autoptr(McSettings) legacy = settings_for (MC_PROTOCOL_SMTP, "smtp.netzprisma.de", 587, MC_SECURITY_STARTTLS,
                                               "anna@mueller-bau.de");
  g_autoptr(McSettings) customer = settings_for (MC_PROTOCOL_SMTP, "smtp.mueller-bau.de", 587,
                                                 MC_SECURITY_STARTTLS, "anna@mueller-bau.de");
  g_autoptr(GPtrArray) customer_list = mc_diagnosis_precheck (customer, FALSE);
  g_autoptr(GPtrArray) legacy_list = mc_diagnosis_precheck (legacy, FALSE);
  g_autoptr(McSettings) short_user = settings_for (MC_PROTOCOL_IMAP, "mail01.netzprisma.de", 993, MC_SECURITY_TLS,
                                                   "anna");
  g_autoptr(GPtrArray) short_list = mc_diagnosis_precheck (short_user, FALSE);
  g_autoptr(McSettings) odd_port = settings_for (MC_PROTOCOL_SMTP, "mail01.netzprisma.de", 2525,
                                                 MC_SECURITY_STARTTLS, "anna@mueller-bau.de");
  g_autoptr(GPtrArray) odd_list = mc_diagnosis_precheck (odd_port, FALSE);
  g_autoptr(McSettings) good = settings_for (MC_PROTOCOL_SMTP, "mail01.netzprisma.de", 25, MC_SECURITY_STARTTLS,
                                             "anna@mueller-bau.de");
  g_autoptr(GPtrArray) good_list = mc_diagnosis_precheck (good, FALSE);
  McAdvice *advice;

  advice = mc_test_find_advice_in (legacy_list, "legacy-hostname");
  g_assert_nonnull (advice);
  g_assert_cmpstr (advice->fix_host, ==, "mail01.netzprisma.de");
  g_assert_nonnull (strstr (advice->text, "smtp.netzprisma.de"));
  /* Before the test, an old name of the customer's domain is only a suspicion. */
  g_assert_null (mc_test_find_advice_in (customer_list, "legacy-hostname"));

  g_assert_nonnull (mc_test_find_advice_in (short_list, "username-not-full-address"));
  g_assert_null (mc_test_find_advice_in (short_list, "provider-settings-differ"));

  advice = mc_test_find_advice_in (odd_list, "provider-settings-differ");
  g_assert_nonnull (advice);
  g_assert_cmpuint (advice->fix_port, ==, 587);
  g_assert_cmpint (advice->fix_security, ==, MC_SECURITY_STARTTLS);
  g_assert_nonnull (strstr (advice->text, "587"));
  g_assert_nonnull (strstr (advice->text, "25 with STARTTLS"));
  g_assert_null (strstr (advice->text, "465"));

  g_assert_cmpuint (good_list->len, ==, 0);
}

static McAdvice *
only_advice (GPtrArray *list)
{
  g_assert_cmpuint (list->len, ==, 1);
  return g_ptr_array_index (list, 0);
}

/* On the provider's server, every hint follows the help page: never port 465,
 * whatever the user chose for SMTP. */
static void
test_precheck_provider_never_offers_465 (void)
{
  static const struct { guint16 port; McSecurity security; } cases[] = {
    { 587, MC_SECURITY_TLS }, { 465, MC_SECURITY_STARTTLS }, { 465, MC_SECURITY_TLS }, { 25, MC_SECURITY_TLS },
    { 25, MC_SECURITY_NONE }, { 2525, MC_SECURITY_TLS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(McSettings) settings = settings_for (MC_PROTOCOL_SMTP, "mail01.netzprisma.de", cases[i].port,
                                                     cases[i].security, "anna@mueller-bau.de");
      g_autoptr(GPtrArray) list = mc_diagnosis_precheck (settings, TRUE);

      g_test_message ("SMTP port %u with %s", cases[i].port, mc_security_to_string (cases[i].security));
      g_assert_cmpuint (list->len, >=, 1);
      for (guint j = 0; j < list->len; j++)
        {
          McAdvice *advice = g_ptr_array_index (list, j);
          gboolean mentions_current = cases[i].port == 465;

          g_test_message ("  %s: %s", advice->code, advice->text);
          g_assert_cmpuint (advice->fix_port, !=, 465);
          /* 465 only appears where it is the port the user typed. */
          if (!mentions_current)
            g_assert_null (strstr (advice->text, "465"));
          g_assert_true (advice->fix_port == 0 || advice->fix_port == 587 || advice->fix_port == 25);
        }
    }
}

/* One finding, one piece of advice with at most one fix; for the provider's
 * server its recommendation comes first. */
static void
test_precheck_one_finding_one_advice (void)
{
  g_autoptr(McSettings) imap = settings_for (MC_PROTOCOL_IMAP, "mail01.netzprisma.de", 143, MC_SECURITY_TLS,
                                             "anna@mueller-bau.de");
  g_autoptr(GPtrArray) imap_list = mc_diagnosis_precheck (imap, TRUE);
  g_autoptr(McSettings) smtp = settings_for (MC_PROTOCOL_SMTP, "mail01.netzprisma.de", 587, MC_SECURITY_TLS,
                                             "anna@mueller-bau.de");
  g_autoptr(GPtrArray) smtp_list = mc_diagnosis_precheck (smtp, TRUE);
  g_autoptr(McSettings) other = settings_for (MC_PROTOCOL_IMAP, "mail.example.org", 143, MC_SECURITY_TLS,
                                              "a@example.org");
  g_autoptr(GPtrArray) other_list = mc_diagnosis_precheck (other, TRUE);
  McAdvice *advice;

  advice = only_advice (imap_list);
  g_assert_cmpstr (advice->code, ==, "use-implicit-tls");
  g_assert_cmpuint (advice->fix_port, ==, 993);
  g_assert_cmpint (advice->fix_security, ==, MC_SECURITY_TLS);
  g_assert_cmpstr (advice->text, ==, "Port 143 usually starts unencrypted. Use port 993 with SSL/TLS, as "
                                     "Netzprisma recommends. STARTTLS on this port is also possible.");

  advice = only_advice (smtp_list);
  g_assert_cmpstr (advice->code, ==, "use-starttls");
  g_assert_cmpint (advice->fix_security, ==, MC_SECURITY_STARTTLS);
  g_assert_cmpuint (advice->fix_port, ==, 0);
  g_assert_cmpstr (advice->text, ==, "Port 587 usually starts unencrypted. Set Security to STARTTLS, as "
                                     "Netzprisma recommends. Port 25 with STARTTLS is also possible.");

  /* Elsewhere the least change first. */
  advice = only_advice (other_list);
  g_assert_cmpstr (advice->code, ==, "use-starttls");
  g_assert_cmpint (advice->fix_security, ==, MC_SECURITY_STARTTLS);
}

/* A user name without domain: the advice names the address the customer typed
 * and its fix enters it. */
static void
test_precheck_user_name_uses_address (void)
{
  g_autoptr(McSettings) settings = settings_for (MC_PROTOCOL_IMAP, "mail01.netzprisma.de", 993, MC_SECURITY_TLS,
                                                 "alice");
  g_autoptr(GPtrArray) list = NULL;
  McAdvice *advice;

  mc_settings_set_address (settings, "alice@example.test");
  list = mc_diagnosis_precheck (settings, TRUE);
  advice = mc_test_find_advice_in (list, "username-not-full-address");
  g_assert_nonnull (advice);
  g_assert_cmpstr (advice->fix_user, ==, "alice@example.test");
  g_assert_nonnull (strstr (advice->text, "Enter your full e-mail address alice@example.test as User Name."));
  g_assert_null (strstr (advice->text, "example.de"));
}

/* An old name of the customer's domain that cannot be found: the advice says
 * which name to use instead (".invalid" never resolves, RFC 6761). */
static void
test_legacy_host_after_failed_lookup (void)
{
  g_autoptr(McSettings) settings = settings_for (MC_PROTOCOL_POP3, "pop3.mueller-bau.invalid", 995,
                                                 MC_SECURITY_TLS, "anna@mueller-bau.invalid");
  g_autoptr(McCheck) check = mc_check_new (settings);
  g_autoptr(McResult) result = NULL;
  McAdvice *advice;
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  /* One that knows no names, so the test sends no DNS query anywhere. */
  g_autoptr(McTestResolver) no_resolver = mc_test_resolver_new ();

  g_resolver_set_default (G_RESOLVER (no_resolver));
  result = mc_test_check_run (check, NULL, NULL);

  g_resolver_set_default (previous);
  g_assert_cmpint (result->verdict, ==, MC_VERDICT_FAILED);
  /* The old name explains the failed lookup: one piece of advice, one button. */
  g_assert_false (mc_result_has_advice (result, "host-not-found"));
  advice = mc_test_find_advice (result, "legacy-hostname");
  g_assert_nonnull (advice);
  g_assert_cmpstr (advice->fix_host, ==, "mail01.netzprisma.de");
  for (guint i = 0; i < result->advice->len; i++)
    {
      McAdvice *other = g_ptr_array_index (result->advice, i);

      if (other != advice)
        g_assert_null (other->fix_host);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mailcheck/provider/files-valid", test_provider_files_valid);
  g_test_add_func ("/mailcheck/provider/invalid-rejected", test_provider_invalid_rejected);
  g_test_add_func ("/mailcheck/provider/netzprisma-matches-help-page", test_provider_netzprisma_matches_help_page);
  g_test_add_func ("/mailcheck/provider/legacy-hosts", test_provider_legacy_hosts);
  g_test_add_func ("/mailcheck/provider/mail-hosts", test_provider_mail_hosts);
  g_test_add_func ("/mailcheck/precheck/mode-port-mismatch", test_precheck_mode_port_mismatch);
  g_test_add_func ("/mailcheck/precheck/provider-differences", test_precheck_provider_differences);
  g_test_add_func ("/mailcheck/precheck/provider-never-offers-465", test_precheck_provider_never_offers_465);
  g_test_add_func ("/mailcheck/precheck/one-finding-one-advice", test_precheck_one_finding_one_advice);
  g_test_add_func ("/mailcheck/precheck/user-name-uses-address", test_precheck_user_name_uses_address);
  g_test_add_func ("/mailcheck/diagnosis/legacy-host-after-failed-lookup", test_legacy_host_after_failed_lookup);

  return g_test_run ();
}
