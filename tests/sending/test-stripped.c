/* test-stripped.c: STARTTLS removed on the way — a capability list whose
 * STARTTLS a firewall overwrote (XXXXXXXA), or the provider's port without
 * it — against fake servers; SSL/TLS is named only when a credential-free
 * probe found it working
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-stripped"

#include "config.h"

#include <string.h>

#include "mc-report.h"
#include "sending-util.h"

#define MASKED_SMTP_CAPS "PIPELINING\nSIZE 10240000\nXXXXXXXA\n8BITMIME"

/* STARTTLS as a firewall's "SMTP inspection" leaves it: the offer
 * overwritten, the server itself unchanged. */
static FakeServer *
masked_smtp_server (const char *caps)
{
  FakeServer *server = fake_smtp_server_new (FAKE_MODE_STARTTLS);

  fake_server_set_caps (server, FAKE_PHASE_PLAIN, caps);
  return server;
}

/* The same server's SSL/TLS port, with the provider's certificate. */
static FakeServer *
implicit_provider_server (void)
{
  FakeServer *server = fake_smtp_server_new (FAKE_MODE_TLS);

  fake_server_clear_on_connect (server);
  fake_server_on_connect (server, fake_start_tls ("provider"), fake_send_greeting (), NULL);
  return server;
}

static McResult *
run_provider_starttls (FakeServer *starttls,
                       guint16     implicit_port)
{
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, 0);
  g_autofree char *usable = NULL;

  mc_settings_set_host (settings, SENDING_PROVIDER_HOST);
  usable = g_strdup_printf ("%u:starttls;%u:tls;", fake_server_start (starttls), implicit_port);
  sending_use_provider_profile ("smtp", usable);
  return sending_run_server (starttls, settings, TRUE);
}

/* XXXXXXXA where STARTTLS should be, and the SSL/TLS port answers: the
 * device on the way is named, and the fix is the port it cannot touch. */
static void
test_masked_confirmed (void)
{
  g_autoptr(FakeServer) starttls = masked_smtp_server (MASKED_SMTP_CAPS);
  g_autoptr(FakeServer) implicit = implicit_provider_server ();
  g_autoptr(McResult) result = NULL;
  McAdvice *advice;

  if (!sending_have_certificates ())
    return;
  result = run_provider_starttls (starttls, fake_server_start (implicit));
  fake_server_finish (implicit);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_STARTTLS, MC_STEP_STATUS_FAILED);
  advice = mc_test_find_advice (result, "starttls-stripped");
  g_assert_nonnull (advice);
  mc_assert_mentions (advice->text, "“XXXXXXXA” where STARTTLS should be");
  mc_assert_mentions (advice->text, "a device between you and the server");
  g_assert_cmpuint (advice->fix_port, ==, fake_server_get_port (implicit));
  g_assert_cmpint (advice->fix_security, ==, MC_SECURITY_TLS);
  mc_assert_no_advice (result, "starttls-not-offered");
  /* The probe logged in nowhere. */
  g_assert_cmpuint (fake_server_get_connections (implicit), >=, 1);
  fake_server_assert_no_credentials (implicit, FAKE_USER, FAKE_PASSWORD);
  g_assert_cmpuint (fake_server_count_commands (implicit, FAKE_PHASE_ANY, "AUTH"), ==, 0);
}

/* The provider's profile says this port offers STARTTLS; here it does not. */
static void
test_profile_port_confirmed (void)
{
  g_autoptr(FakeServer) starttls = masked_smtp_server ("PIPELINING\nSIZE 10240000\n8BITMIME");
  g_autoptr(FakeServer) implicit = implicit_provider_server ();
  g_autoptr(McResult) result = NULL;
  g_autofree char *expected = NULL;
  McAdvice *advice;

  if (!sending_have_certificates ())
    return;
  result = run_provider_starttls (starttls, fake_server_start (implicit));
  fake_server_finish (implicit);

  advice = mc_test_find_advice (result, "starttls-stripped");
  g_assert_nonnull (advice);
  expected = g_strdup_printf ("Netzprisma offers STARTTLS on port %u, but the offer did not arrive here",
                              fake_server_get_port (starttls));
  mc_assert_mentions (advice->text, expected);
  g_assert_cmpuint (advice->fix_port, ==, fake_server_get_port (implicit));
}

/* Masked, but the SSL/TLS port does not answer: no port is named, the code
 * stays starttls-not-offered, and the words say what was seen. */
static void
test_masked_not_confirmed (void)
{
  g_autoptr(FakeServer) starttls = masked_smtp_server (MASKED_SMTP_CAPS);
  g_autoptr(McResult) result = NULL;
  McAdvice *advice;

  if (!sending_have_certificates ())
    return;
  result = run_provider_starttls (starttls, mc_test_closed_port ());

  mc_assert_no_advice (result, "starttls-stripped");
  advice = mc_test_find_advice (result, "starttls-not-offered");
  g_assert_nonnull (advice);
  mc_assert_mentions (advice->text, "XXXXXXXA");
  mc_assert_mentions (advice->text, "No port with SSL/TLS answered either");
  g_assert_true (advice->fix_port == 0 && advice->fix_security < 0);
}

/* Any server: the mask alone is seen, and without a working SSL/TLS port no
 * port is proposed. */
static void
test_masked_any_server (void)
{
  static const struct
  {
    McProtocol  protocol;
    const char *caps;
    const char *mask;
  } cases[] = {
    { MC_PROTOCOL_SMTP, MASKED_SMTP_CAPS, "XXXXXXXA" },
    { MC_PROTOCOL_IMAP, "IMAP4rev1 SASL-IR XXXXXXXX LOGINDISABLED", "XXXXXXXX" },
    { MC_PROTOCOL_POP3, "TOP\nUIDL\nXXXX\nSASL PLAIN", "XXXX" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FakeServer) server = NULL;
      g_autoptr(McResult) result = NULL;
      McAdvice *advice;

      switch (cases[i].protocol)
        {
        case MC_PROTOCOL_IMAP:
          server = fake_imap_server_new (FAKE_MODE_STARTTLS);
          break;
        case MC_PROTOCOL_POP3:
          server = fake_pop3_server_new (FAKE_MODE_STARTTLS);
          break;
        case MC_PROTOCOL_SMTP:
        default:
          server = fake_smtp_server_new (FAKE_MODE_STARTTLS);
          break;
        }
      fake_server_set_caps (server, FAKE_PHASE_PLAIN, cases[i].caps);
      result = mc_test_run_server (server, cases[i].protocol, MC_SECURITY_STARTTLS);

      mc_assert_verdict (result, MC_VERDICT_FAILED);
      advice = mc_test_find_advice (result, "starttls-not-offered");
      g_assert_nonnull (advice);
      mc_assert_mentions (advice->text, cases[i].mask);
      mc_assert_mentions (advice->text, "removes the offer to encrypt");
      mc_assert_no_advice (result, "starttls-stripped");
      fake_server_assert_no_credentials (server, FAKE_USER, FAKE_PASSWORD);
    }
}

/* A server that simply lacks STARTTLS keeps the advice of before, and no
 * probe is spent on it. */
static void
test_plain_missing_unchanged (void)
{
  g_autoptr(FakeServer) server = masked_smtp_server ("PIPELINING\nSIZE 10240000\n8BITMIME");
  g_autoptr(McResult) result = mc_test_run_server (server, MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS);
  g_autofree char *transcript = mc_test_transcript_text (result);
  McAdvice *advice = mc_test_find_advice (result, "starttls-not-offered");

  g_assert_nonnull (advice);
  g_assert_null (strstr (advice->text, "device between"));
  g_assert_null (strstr (transcript, "probe without password"));
}

/* Only an overwritten keyword counts: the real one in any case, other
 * extensions of the same length and longer words do not. */
static void
test_mask_recognised (void)
{
  static const struct
  {
    const char *caps;
    gboolean    masked;
  } cases[] = {
    { "PIPELINING\nXXXXXXXA\n8BITMIME", TRUE },
    { "PIPELINING\nxxxxxxxx\n8BITMIME", TRUE },
    { "PIPELINING\nXXXXXXXX\n8BITMIME", TRUE },
    { "PIPELINING\nXXXXXXXAB\n8BITMIME", FALSE },
    { "PIPELINING\nSTARTTLX\n8BITMIME", FALSE },
    { "PIPELINING\n8BITMIME\nDSN", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FakeServer) server = masked_smtp_server (cases[i].caps);
      g_autoptr(McResult) result = mc_test_run_server (server, MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS);
      McAdvice *advice = mc_test_find_advice (result, "starttls-not-offered");

      g_assert_nonnull (advice);
      g_assert_cmpint (strstr (advice->text, "removes the offer") != NULL, ==, cases[i].masked);
    }
}

int
main (int   argc,
      char *argv[])
{
  sending_test_init (&argc, &argv);

  g_test_add_func ("/sending/stripped/masked-confirmed-by-implicit-port", test_masked_confirmed);
  g_test_add_func ("/sending/stripped/provider-port-without-starttls", test_profile_port_confirmed);
  g_test_add_func ("/sending/stripped/masked-without-working-implicit-port", test_masked_not_confirmed);
  g_test_add_func ("/sending/stripped/masked-on-any-server-every-protocol", test_masked_any_server);
  g_test_add_func ("/sending/stripped/plain-missing-starttls-unchanged", test_plain_missing_unchanged);
  g_test_add_func ("/sending/stripped/only-an-overwritten-keyword", test_mask_recognised);

  return g_test_run ();
}
