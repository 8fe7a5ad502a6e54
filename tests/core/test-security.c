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

static McResult *
run (const Proto *proto,
     FakeServer  *server,
     McSecurity   security)
{
  return mc_test_run_server (server, proto->protocol, security);
}

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

/* Captured log output ------------------------------------------------------ */

static GMutex log_mutex;
static GString *log_text;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&log_mutex);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") || g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        {
          if (fields[i].length < 0)
            g_string_append (log_text, fields[i].value);
          else
            g_string_append_len (log_text, fields[i].value, fields[i].length);
          g_string_append_c (log_text, ' ');
        }
    }
  g_string_append_c (log_text, '\n');
  g_mutex_unlock (&log_mutex);

  /* Warnings and worse still reach stderr (and stay fatal under G_DEBUG). */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

static char *
take_log (void)
{
  char *text;

  g_mutex_lock (&log_mutex);
  text = g_strdup (log_text->str);
  g_string_truncate (log_text, 0);
  g_mutex_unlock (&log_mutex);
  return text;
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

/* Rule 8: the password never appears anywhere --------------------------------- */

typedef struct
{
  const char  *name;
  const Proto *proto;
  const char  *caps;       /* inside TLS; NULL keeps the default */
  const char  *password;
} SecretCase;

static const SecretCase secret_cases[] = {
  { "imap-sasl-ir", &imap, NULL, FAKE_PASSWORD },
  { "imap-plain", &imap, "IMAP4rev1 AUTH=PLAIN", FAKE_PASSWORD },
  { "imap-login-mechanism", &imap, "IMAP4rev1 AUTH=LOGIN", FAKE_PASSWORD },
  { "imap-login-command", &imap, "IMAP4rev1", FAKE_PASSWORD },
  { "imap-literal", &imap, "IMAP4rev1", "Cänary-8bit-Secret" },
  { "imap-rejected", &imap, NULL, "Wrong-Canary-Secret" },
  { "pop3-plain", &pop3, NULL, FAKE_PASSWORD },
  { "pop3-user-pass", &pop3, "USER", FAKE_PASSWORD },
  { "pop3-rejected", &pop3, "USER", "Wrong-Canary-Secret" },
  { "smtp-plain", &smtp, NULL, FAKE_PASSWORD },
  { "smtp-login", &smtp, "AUTH LOGIN", FAKE_PASSWORD },
  { "smtp-rejected", &smtp, NULL, "Wrong-Canary-Secret" },
};

static void
assert_log_clean (const char *log,
                  const char *password)
{
  g_autofree char *b64 = mc_test_base64 (password);
  g_autofree char *plain = mc_test_sasl_plain (FAKE_USER, password);

  g_assert_null (strstr (log, password));
  g_assert_null (strstr (log, b64));
  g_assert_null (strstr (log, plain));
}

static void
test_rule8_no_secret (gconstpointer data)
{
  const SecretCase *c = data;
  g_autoptr(FakeServer) server = c->proto->server_new (FAKE_MODE_STARTTLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (c->proto->protocol, MC_SECURITY_STARTTLS, 0);
  g_autoptr(McResult) result = NULL;
  g_autofree char *log = NULL;
  g_autofree char *transcript = NULL;

  if (c->caps != NULL)
    fake_server_set_caps (server, FAKE_PHASE_TLS, c->caps);
  if (g_str_equal (c->name, "imap-literal"))
    fake_server_on (server, FAKE_PHASE_TLS, "LOGIN {",
                    fake_send ("+ go\r\n"), fake_expect (""), fake_send ("+ go\r\n"), fake_expect (""),
                    fake_send ("$TAG OK Logged in\r\n"), NULL);
  mc_settings_set_password (settings, c->password);

  g_free (take_log ());
  result = mc_test_run_server_with (server, settings);
  log = take_log ();
  transcript = mc_test_transcript_text (result);

  /* The check really logged in (or was really refused) inside TLS... */
  g_assert_cmpint (result->auth_result, !=, MC_AUTH_RESULT_NOT_TRIED);
  g_assert_nonnull (strstr (transcript, MC_REDACTED));
  /* ...and the debug log was captured, so its cleanliness means something. */
  g_assert_nonnull (strstr (log, "C: "));

  mc_assert_no_secret (result, c->password);
  assert_log_clean (log, c->password);
  fake_server_assert_no_plaintext_credentials (server, FAKE_USER, c->password);
}

static void
test_rule8_line_breaks_rejected (void)
{
  const char *users[] = { FAKE_USER "\r\na1 LOGOUT", FAKE_USER, FAKE_USER };
  const char *passwords[] = { FAKE_PASSWORD, FAKE_PASSWORD "\r\n", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
      g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_TLS,
                                                             fake_server_start (server));
      g_autoptr(McResult) result = NULL;
      g_autoptr(GError) error = NULL;

      mc_settings_set_user (settings, users[i]);
      if (passwords[i] != NULL)
        mc_settings_set_password (settings, passwords[i]);
      else
        mc_settings_set_password_len (settings, FAKE_PASSWORD "\0x", sizeof FAKE_PASSWORD + 1);
      result = mc_test_run (settings, NULL, &error);

      g_assert_null (result);
      g_assert_true (error->domain == MC_SETTINGS_ERROR);
      g_assert_null (strstr (error->message, FAKE_PASSWORD));
      g_assert_cmpuint (fake_server_get_connections (server), ==, 0);
    }
}


/* Rule 8: what the transcript shows never tells the password ---------------- */

/* A password that is part of the user name: the USER line is the user's own
 * text and stays as it is; marking the password inside it would tell the
 * report's reader what the password is ("USER [credentials hidden]@…"). */
static void
test_rule8_marker_never_inside_text (void)
{
  g_autoptr(FakeServer) server = fake_pop3_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_POP3, MC_SECURITY_TLS, 0);
  g_autoptr(McResult) result = NULL;
  g_autofree char *transcript = NULL;

  fake_server_set_caps (server, FAKE_PHASE_TLS, "USER");
  fake_server_on (server, FAKE_PHASE_TLS, "PASS ", fake_send ("-ERR [AUTH] Authentication failed\r\n"), NULL);
  mc_settings_set_password (settings, "alice");
  result = mc_test_run_server_with (server, settings);
  transcript = mc_test_transcript_text (result);

  g_assert_nonnull (strstr (transcript, "C USER " FAKE_USER "\n"));
  g_assert_nonnull (strstr (transcript, "C PASS " MC_REDACTED "\n"));
  g_assert_null (strstr (transcript, MC_REDACTED "@"));
  /* The server's own lines that do not repeat the password are untouched. */
  g_assert_nonnull (strstr (transcript, "S -ERR [AUTH] Authentication failed\n"));
}

typedef struct
{
  const char *name;
  char     *(*echo) (void);
} EchoCase;

static char *
echo_upper_case (void)
{
  return g_ascii_strup (FAKE_PASSWORD, -1);
}

static char *
echo_base64 (void)
{
  return mc_test_base64 (FAKE_PASSWORD);
}

static char *
echo_plain_blob (void)
{
  return mc_test_sasl_plain (FAKE_USER, FAKE_PASSWORD);
}

static const EchoCase echo_cases[] = {
  { "case-changed", echo_upper_case },
  { "base64-login", echo_base64 },
  { "plain-blob", echo_plain_blob },
};

/* A server line that repeats the credentials in any form the client sent is
 * hidden as a whole, in the transcript and in the step; no line around it
 * changes. */
static void
test_rule8_echo_hides_whole_line (gconstpointer data)
{
  const EchoCase *c = data;
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;
  g_autofree char *echo = c->echo ();
  g_autofree char *reply = g_strdup_printf ("535 5.7.8 Authentication failed for %s, sorry\r\n", echo);
  g_autofree char *transcript = NULL;
  McStep *login;
  guint markers = 0;

  fake_server_set_caps (server, FAKE_PHASE_TLS, "AUTH PLAIN");
  fake_server_on (server, FAKE_PHASE_TLS, "AUTH ", fake_send (reply), NULL);
  result = run (&smtp, server, MC_SECURITY_TLS);
  transcript = mc_test_transcript_text (result);

  g_assert_nonnull (strstr (transcript, "S " MC_SERVER_LINE_HIDDEN "\n"));
  g_assert_null (strstr (transcript, "sorry"));
  login = mc_test_find_step (result, MC_STEP_LOGIN);
  g_assert_cmpstr (login->server, ==, MC_SERVER_LINE_HIDDEN);
  g_assert_null (strstr (transcript, echo));
  mc_assert_no_secret (result, FAKE_PASSWORD);

  /* The only other marker is the whole argument of the AUTH command. */
  for (const char *p = strstr (transcript, MC_REDACTED); p != NULL; p = strstr (p + 1, MC_REDACTED))
    markers++;
  g_assert_cmpuint (markers, ==, 1);
  g_assert_nonnull (strstr (transcript, "C AUTH PLAIN " MC_REDACTED "\n"));
  g_assert_nonnull (strstr (transcript, "S 220 "));
}

/* The oracle itself ------------------------------------------------------------- */

static void
leak (const char *line)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_PLAIN);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *output;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", fake_server_start (server), NULL, &error);
  g_assert_no_error (error);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (output, line, strlen (line), NULL, NULL, &error);
  g_assert_no_error (error);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  fake_server_finish (server);
  fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);
}

/* What a broken client could send in plaintext; the oracle must catch each. */
static char *
leaked_line (guint which)
{
  g_autofree char *plain = mc_test_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *b64 = mc_test_base64 (FAKE_PASSWORD);

  switch (which)
    {
    case 0:
      return g_strdup ("a1 login alice secret\r\n");
    case 1:
      return g_strdup_printf ("%s\r\n", plain);
    case 2:
      return g_strdup_printf ("%s\r\n", b64);
    case 3:
    default:
      return g_strdup ("x " FAKE_PASSWORD "\r\n");
    }
}

static void
test_oracle_detects_leaks (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *line = leaked_line (atoi (g_getenv ("MC_TEST_LEAK")));

      leak (line);
      return;
    }

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *index = g_strdup_printf ("%u", i);

      g_setenv ("MC_TEST_LEAK", index, TRUE);
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, 0);
      g_test_trap_assert_failed ();
      g_test_trap_assert_stderr ("*the server received*outside TLS*");
    }
  g_unsetenv ("MC_TEST_LEAK");
}

int
main (int   argc,
      char *argv[])
{
  log_text = g_string_new (NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();


  add_proto_tests ("rule7/one-login-attempt", test_rule7_one_attempt);

  for (guint i = 0; i < G_N_ELEMENTS (secret_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mailcheck/security/rule8/no-secret/%s", secret_cases[i].name);

      g_test_add_data_func (path, &secret_cases[i], test_rule8_no_secret);
    }
  g_test_add_func ("/mailcheck/security/rule8/line-breaks-rejected", test_rule8_line_breaks_rejected);
  g_test_add_func ("/mailcheck/security/rule8/marker-never-inside-text", test_rule8_marker_never_inside_text);
  for (guint i = 0; i < G_N_ELEMENTS (echo_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mailcheck/security/rule8/server-echo-hides-whole-line/%s",
                                               echo_cases[i].name);

      g_test_add_data_func (path, &echo_cases[i], test_rule8_echo_hides_whole_line);
    }


  g_test_add_func ("/mailcheck/security/oracle/detects-leaks", test_oracle_detects_leaks);

  return g_test_run ();
}
