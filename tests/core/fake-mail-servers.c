/* fake-mail-servers.c: ready-made IMAP, POP3 and SMTP servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-server"

#include "config.h"

#include <string.h>

#include "fake-server-private.h"

static void
add_tls_on_connect (FakeServer *server,
                    FakeMode    mode)
{
  if (mode == FAKE_MODE_TLS)
    fake_server_on_connect (server, fake_start_tls ("good"), fake_send_greeting (), NULL);
  else
    fake_server_on_connect (server, fake_send_greeting (), NULL);
}

FakeServer *
fake_imap_server_new (FakeMode mode)
{
  FakeServer *server = fake_server_new (FAKE_PROTOCOL_IMAP);
  g_autofree char *plain = fake_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *b64_user = fake_base64 (FAKE_USER, strlen (FAKE_USER));
  g_autofree char *b64_password = fake_base64 (FAKE_PASSWORD, strlen (FAKE_PASSWORD));
  g_autofree char *plain_ir = g_strdup_printf ("AUTHENTICATE PLAIN %s$", plain);
  g_autofree char *plain_response = g_strdup_printf ("%s$", plain);
  g_autofree char *user_response = g_strdup_printf ("%s$", b64_user);
  g_autofree char *password_response = g_strdup_printf ("%s$", b64_password);
  const char *ok = "$TAG OK [CAPABILITY IMAP4rev1] Logged in\r\n";
  const char *no = "$TAG NO [AUTHENTICATIONFAILED] Authentication failed.\r\n";

  fake_server_set_greeting (server, "* OK Fake IMAP server ready.\r\n");
  fake_server_set_default_reply (server, "$TAG BAD Error in IMAP command: unknown command.\r\n");
  switch (mode)
    {
    case FAKE_MODE_TLS:
      fake_server_set_caps (server, FAKE_PHASE_TLS, "IMAP4rev1 SASL-IR LOGIN-REFERRALS AUTH=PLAIN AUTH=LOGIN");
      break;
    case FAKE_MODE_STARTTLS:
      fake_server_set_caps (server, FAKE_PHASE_PLAIN, "IMAP4rev1 SASL-IR LOGIN-REFERRALS STARTTLS LOGINDISABLED");
      fake_server_set_caps (server, FAKE_PHASE_TLS, "IMAP4rev1 SASL-IR LOGIN-REFERRALS AUTH=PLAIN AUTH=LOGIN");
      break;
    case FAKE_MODE_PLAIN:
    default:
      fake_server_set_caps (server, FAKE_PHASE_PLAIN, "IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN");
      break;
    }
  add_tls_on_connect (server, mode);

  fake_server_on (server, FAKE_PHASE_ANY, "CAPABILITY$", fake_send_caps (), NULL);
  if (mode == FAKE_MODE_STARTTLS)
    fake_server_on (server, FAKE_PHASE_PLAIN, "STARTTLS$",
                    fake_send ("$TAG OK Begin TLS negotiation now.\r\n"),
                    fake_start_tls ("good"), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "AUTHENTICATE PLAIN ", fake_send (no), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, plain_ir, fake_send (ok), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "AUTHENTICATE PLAIN$",
                  fake_send ("+ \r\n"), fake_reply_if (plain_response, ok, no), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "AUTHENTICATE LOGIN$",
                  fake_send ("+ VXNlcm5hbWU6\r\n"),
                  fake_reply_if (user_response, "+ UGFzc3dvcmQ6\r\n", "+ UGFzc3dvcmQ6\r\n"),
                  fake_reply_if (password_response, ok, no), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "LOGIN ", fake_send (no), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "LOGIN \"" FAKE_USER "\" \"" FAKE_PASSWORD "\"$",
                  fake_send (ok), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "LOGOUT$",
                  fake_send ("* BYE Logging out\r\n$TAG OK Logout completed.\r\n"),
                  fake_close (), NULL);
  return server;
}

FakeServer *
fake_pop3_server_new (FakeMode mode)
{
  FakeServer *server = fake_server_new (FAKE_PROTOCOL_POP3);
  g_autofree char *plain = fake_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *plain_ir = g_strdup_printf ("AUTH PLAIN %s$", plain);

  fake_server_set_greeting (server, "+OK Fake POP3 server ready.\r\n");
  fake_server_set_default_reply (server, "-ERR Unknown command.\r\n");
  switch (mode)
    {
    case FAKE_MODE_TLS:
      fake_server_set_caps (server, FAKE_PHASE_TLS, "TOP\nUIDL\nRESP-CODES\nUSER\nSASL PLAIN");
      break;
    case FAKE_MODE_STARTTLS:
      fake_server_set_caps (server, FAKE_PHASE_PLAIN, "TOP\nUIDL\nRESP-CODES\nSTLS");
      fake_server_set_caps (server, FAKE_PHASE_TLS, "TOP\nUIDL\nRESP-CODES\nUSER\nSASL PLAIN");
      break;
    case FAKE_MODE_PLAIN:
    default:
      fake_server_set_caps (server, FAKE_PHASE_PLAIN, "TOP\nUIDL\nRESP-CODES\nUSER\nSASL PLAIN");
      break;
    }
  add_tls_on_connect (server, mode);

  fake_server_on (server, FAKE_PHASE_ANY, "CAPA$", fake_send_caps (), NULL);
  if (mode == FAKE_MODE_STARTTLS)
    fake_server_on (server, FAKE_PHASE_PLAIN, "STLS$",
                    fake_send ("+OK Begin TLS negotiation\r\n"), fake_start_tls ("good"), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "AUTH PLAIN ",
                  fake_send ("-ERR [AUTH] Authentication failed.\r\n"), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, plain_ir, fake_send ("+OK Logged in.\r\n"), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "USER ", fake_send ("+OK\r\n"), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "PASS ",
                  fake_send ("-ERR [AUTH] Authentication failed.\r\n"), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "PASS " FAKE_PASSWORD "$",
                  fake_send ("+OK Logged in.\r\n"), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "QUIT$",
                  fake_send ("+OK Logging out.\r\n"), fake_close (), NULL);
  return server;
}

FakeServer *
fake_smtp_server_new (FakeMode mode)
{
  FakeServer *server = fake_server_new (FAKE_PROTOCOL_SMTP);
  g_autofree char *plain = fake_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *b64_user = fake_base64 (FAKE_USER, strlen (FAKE_USER));
  g_autofree char *b64_password = fake_base64 (FAKE_PASSWORD, strlen (FAKE_PASSWORD));
  g_autofree char *plain_ir = g_strdup_printf ("AUTH PLAIN %s$", plain);
  g_autofree char *plain_response = g_strdup_printf ("%s$", plain);
  g_autofree char *user_response = g_strdup_printf ("%s$", b64_user);
  g_autofree char *password_response = g_strdup_printf ("%s$", b64_password);
  const char *ok = "235 2.7.0 Authentication successful\r\n";
  const char *bad = "535 5.7.8 Error: authentication failed: authentication failure\r\n";

  fake_server_set_greeting (server, "220 fake.test ESMTP Fake SMTP server\r\n");
  fake_server_set_default_reply (server, "502 5.5.2 Error: command not recognized\r\n");
  switch (mode)
    {
    case FAKE_MODE_TLS:
      fake_server_set_caps (server, FAKE_PHASE_TLS, "PIPELINING\nSIZE 10240000\nAUTH PLAIN LOGIN\n8BITMIME");
      break;
    case FAKE_MODE_STARTTLS:
      fake_server_set_caps (server, FAKE_PHASE_PLAIN, "PIPELINING\nSIZE 10240000\nSTARTTLS\n8BITMIME");
      fake_server_set_caps (server, FAKE_PHASE_TLS, "PIPELINING\nSIZE 10240000\nAUTH PLAIN LOGIN\n8BITMIME");
      break;
    case FAKE_MODE_PLAIN:
    default:
      fake_server_set_caps (server, FAKE_PHASE_PLAIN, "PIPELINING\nAUTH PLAIN LOGIN\n8BITMIME");
      break;
    }
  add_tls_on_connect (server, mode);

  fake_server_on (server, FAKE_PHASE_ANY, "EHLO ", fake_send_caps (), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "HELO ", fake_send ("250 fake.test\r\n"), NULL);
  if (mode == FAKE_MODE_STARTTLS)
    fake_server_on (server, FAKE_PHASE_PLAIN, "STARTTLS$",
                    fake_send ("220 2.0.0 Ready to start TLS\r\n"), fake_start_tls ("good"), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "AUTH PLAIN ", fake_send (bad), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, plain_ir, fake_send (ok), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "AUTH PLAIN$",
                  fake_send ("334 \r\n"), fake_reply_if (plain_response, ok, bad), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "AUTH LOGIN$",
                  fake_send ("334 VXNlcm5hbWU6\r\n"),
                  fake_reply_if (user_response, "334 UGFzc3dvcmQ6\r\n", "334 UGFzc3dvcmQ6\r\n"),
                  fake_reply_if (password_response, ok, bad), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "QUIT$", fake_send ("221 2.0.0 Bye\r\n"), fake_close (), NULL);
  return server;
}

/* A check that hangs after encryption, as on an overloaded server: implicit
 * TLS, then not a byte; the server reads (and records) until the client gives
 * up. */
FakeServer *
fake_stalling_server_new (FakeProtocol protocol)
{
  FakeServer *server = fake_server_new (protocol);

  fake_server_on_connect (server, fake_start_tls ("good"), fake_stall (), NULL);
  return server;
}
