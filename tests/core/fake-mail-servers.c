/* fake-mail-servers.c: ready-made IMAP, POP3 and SMTP servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-server"

#include "config.h"

#include <string.h>

#include "fake-server-private.h"

/* How a protocol's ready-made server speaks, apart from its commands. */
typedef struct
{
  FakeProtocol protocol;
  const char  *greeting;
  const char  *default_reply;
  const char  *caps_plain;       /* FAKE_MODE_PLAIN: login offered in the clear */
  const char  *caps_starttls;    /* FAKE_MODE_STARTTLS, before it */
  const char  *caps_tls;         /* inside TLS */
  const char  *starttls;         /* the command, and the go-ahead for it */
  const char  *starttls_reply;
} ReadyMade;

static const ReadyMade imap = {
  FAKE_PROTOCOL_IMAP, "* OK Fake IMAP server ready.\r\n",
  "$TAG BAD Error in IMAP command: unknown command.\r\n",
  "IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN",
  "IMAP4rev1 SASL-IR LOGIN-REFERRALS STARTTLS LOGINDISABLED",
  "IMAP4rev1 SASL-IR LOGIN-REFERRALS AUTH=PLAIN AUTH=LOGIN",
  "STARTTLS$", "$TAG OK Begin TLS negotiation now.\r\n",
};

static const ReadyMade pop3 = {
  FAKE_PROTOCOL_POP3, "+OK Fake POP3 server ready.\r\n", "-ERR Unknown command.\r\n",
  "TOP\nUIDL\nRESP-CODES\nUSER\nSASL PLAIN",
  "TOP\nUIDL\nRESP-CODES\nSTLS",
  "TOP\nUIDL\nRESP-CODES\nUSER\nSASL PLAIN",
  "STLS$", "+OK Begin TLS negotiation\r\n",
};

static const ReadyMade smtp = {
  FAKE_PROTOCOL_SMTP, "220 fake.test ESMTP Fake SMTP server\r\n",
  "502 5.5.2 Error: command not recognized\r\n",
  "PIPELINING\nAUTH PLAIN LOGIN\n8BITMIME",
  "PIPELINING\nSIZE 10240000\nSTARTTLS\n8BITMIME",
  "PIPELINING\nSIZE 10240000\nAUTH PLAIN LOGIN\n8BITMIME",
  "STARTTLS$", "220 2.0.0 Ready to start TLS\r\n",
};

/* A server of @dialect in @mode, without its commands. */
static FakeServer *
dialect_server_new (const ReadyMade *dialect,
                    FakeMode       mode)
{
  FakeServer *server = fake_server_new (dialect->protocol);

  fake_server_set_greeting (server, dialect->greeting);
  fake_server_set_default_reply (server, dialect->default_reply);
  if (mode == FAKE_MODE_TLS || mode == FAKE_MODE_STARTTLS)
    fake_server_set_caps (server, FAKE_PHASE_TLS, dialect->caps_tls);
  if (mode == FAKE_MODE_STARTTLS)
    fake_server_set_caps (server, FAKE_PHASE_PLAIN, dialect->caps_starttls);
  else if (mode != FAKE_MODE_TLS)
    fake_server_set_caps (server, FAKE_PHASE_PLAIN, dialect->caps_plain);

  if (mode == FAKE_MODE_TLS)
    fake_server_on_connect (server, fake_start_tls ("good"), fake_send_greeting (), NULL);
  else
    fake_server_on_connect (server, fake_send_greeting (), NULL);
  return server;
}

/* Registered after the command that lists the capabilities, as a server reads it. */
static void
add_starttls (FakeServer    *server,
              const ReadyMade *dialect,
              FakeMode       mode)
{
  if (mode == FAKE_MODE_STARTTLS)
    fake_server_on (server, FAKE_PHASE_PLAIN, dialect->starttls, fake_send (dialect->starttls_reply),
                    fake_start_tls ("good"), NULL);
}

/* SASL PLAIN (with an initial response or after an empty prompt) and LOGIN for
 * FAKE_USER, as IMAP's AUTHENTICATE and SMTP's AUTH take them; @prompt starts
 * a continuation ("+", "334"). */
static void
add_sasl (FakeServer *server,
          const char *command,
          const char *prompt,
          const char *ok,
          const char *no)
{
  g_autofree char *plain = fake_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *b64_user = fake_base64 (FAKE_USER, strlen (FAKE_USER));
  g_autofree char *b64_password = fake_base64 (FAKE_PASSWORD, strlen (FAKE_PASSWORD));
  g_autofree char *plain_any = g_strdup_printf ("%s PLAIN ", command);
  g_autofree char *plain_ir = g_strdup_printf ("%s PLAIN %s$", command, plain);
  g_autofree char *plain_alone = g_strdup_printf ("%s PLAIN$", command);
  g_autofree char *login = g_strdup_printf ("%s LOGIN$", command);
  g_autofree char *plain_response = g_strdup_printf ("%s$", plain);
  g_autofree char *user_response = g_strdup_printf ("%s$", b64_user);
  g_autofree char *password_response = g_strdup_printf ("%s$", b64_password);
  g_autofree char *empty_prompt = g_strdup_printf ("%s \r\n", prompt);
  g_autofree char *user_prompt = g_strdup_printf ("%s VXNlcm5hbWU6\r\n", prompt);
  g_autofree char *password_prompt = g_strdup_printf ("%s UGFzc3dvcmQ6\r\n", prompt);

  fake_server_on (server, FAKE_PHASE_ANY, plain_any, fake_send (no), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, plain_ir, fake_send (ok), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, plain_alone,
                  fake_send (empty_prompt), fake_reply_if (plain_response, ok, no), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, login,
                  fake_send (user_prompt),
                  fake_reply_if (user_response, password_prompt, password_prompt),
                  fake_reply_if (password_response, ok, no), NULL);
}

FakeServer *
fake_imap_server_new (FakeMode mode)
{
  FakeServer *server = dialect_server_new (&imap, mode);
  const char *ok = "$TAG OK [CAPABILITY IMAP4rev1] Logged in\r\n";
  const char *no = "$TAG NO [AUTHENTICATIONFAILED] Authentication failed.\r\n";

  fake_server_on (server, FAKE_PHASE_ANY, "CAPABILITY$", fake_send_caps (), NULL);
  add_starttls (server, &imap, mode);
  add_sasl (server, "AUTHENTICATE", "+", ok, no);
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
  FakeServer *server = dialect_server_new (&pop3, mode);
  g_autofree char *plain = fake_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *plain_ir = g_strdup_printf ("AUTH PLAIN %s$", plain);

  fake_server_on (server, FAKE_PHASE_ANY, "CAPA$", fake_send_caps (), NULL);
  add_starttls (server, &pop3, mode);
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
  FakeServer *server = dialect_server_new (&smtp, mode);

  fake_server_on (server, FAKE_PHASE_ANY, "EHLO ", fake_send_caps (), NULL);
  fake_server_on (server, FAKE_PHASE_ANY, "HELO ", fake_send ("250 fake.test\r\n"), NULL);
  add_starttls (server, &smtp, mode);
  add_sasl (server, "AUTH", "334", "235 2.7.0 Authentication successful\r\n",
            "535 5.7.8 Error: authentication failed: authentication failure\r\n");
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
