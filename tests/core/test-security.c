/* test-security.c: one group of tests per security rule of DESIGN.md §3
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-security"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mc-certificate.h"
#include "mc-report.h"
#include "mc-session-private.h"
#include "test-util.h"

/* Per protocol ------------------------------------------------------------- */

typedef struct
{
  const char  *name;
  McProtocol   protocol;
  FakeServer *(*server_new) (FakeMode mode);
  const char  *starttls_command;
  const char  *starttls_ok;
  const char  *caps_command;
  const char  *injected;
} Proto;

static const Proto imap = {
  "imap", MC_PROTOCOL_IMAP, fake_imap_server_new, "STARTTLS$",
  "$TAG OK Begin TLS negotiation now.\r\n", "CAPABILITY$",
  "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nB OK injected\r\n",
};

static const Proto pop3 = {
  "pop3", MC_PROTOCOL_POP3, fake_pop3_server_new, "STLS$",
  "+OK Begin TLS negotiation\r\n", "CAPA$",
  "+OK\r\nSASL PLAIN\r\nUSER\r\n.\r\n",
};

static const Proto smtp = {
  "smtp", MC_PROTOCOL_SMTP, fake_smtp_server_new, "STARTTLS$",
  "220 2.0.0 Ready to start TLS\r\n", "EHLO ",
  "250-fake.test\r\n250 AUTH LOGIN\r\n",
};

static const Proto *protos[] = { &imap, &pop3, &smtp };

static guint
count_login_commands (FakeServer *server)
{
  static const char *commands[] = { "LOGIN ", "AUTHENTICATE", "AUTH ", "USER ", "PASS ", "APOP " };
  guint count = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    count += fake_server_count_commands (server, FAKE_PHASE_ANY, commands[i]);
  return count;
}

static void
add_proto_tests (const char    *path,
                 GTestDataFunc  func)
{
  for (guint i = 0; i < G_N_ELEMENTS (protos); i++)
    {
      g_autofree char *full = g_strdup_printf ("/mailcheck/security/%s/%s", path, protos[i]->name);

      g_test_add_data_func (full, protos[i], func);
    }
}

/* Rule 1: the password only inside TLS validated for the entered host ------- */

/* Rule 7: one login attempt per check ----------------------------------------- */

static void
test_rule7_one_attempt (gconstpointer data)
{
  const Proto *proto = data;
  g_autoptr(FakeServer) server = proto->server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (proto->protocol, MC_SECURITY_TLS, 0);
  g_autoptr(McResult) result = NULL;

  /* Every mechanism is offered and every one would be refused. */
  if (proto == &imap)
    fake_server_set_caps (server, FAKE_PHASE_TLS, "IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5");
  else if (proto == &pop3)
    fake_server_set_caps (server, FAKE_PHASE_TLS, "USER\nSASL PLAIN LOGIN CRAM-MD5");
  else
    fake_server_set_caps (server, FAKE_PHASE_TLS, "AUTH PLAIN LOGIN CRAM-MD5");
  mc_settings_set_user (settings, "alice");
  mc_settings_set_password (settings, "wrong-password");
  result = mc_test_run_server_with (server, settings);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_advice (result, "authentication-failed");
  /* Neither another mechanism nor another user name (such as the full address). */
  g_assert_cmpuint (count_login_commands (server), ==, 1);
  g_assert_cmpuint (fake_server_get_connections (server), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();


  add_proto_tests ("rule7/one-login-attempt", test_rule7_one_attempt);


  return g_test_run ();
}
