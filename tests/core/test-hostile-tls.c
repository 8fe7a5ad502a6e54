/* test-hostile-tls.c: the TLS session itself — versions, ciphers, the backend, its end
 *
 * Old protocol versions and weak cipher suites never carry the password, a
 * system without a TLS backend fails closed, bytes a man in the middle injects
 * into the TLS stream end the check, and a missing close_notify matters only in
 * the middle of a session. Servers with other GnuTLS priorities run in a child
 * process, since GnuTLS reads its priorities once per process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hostile-tls"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "hostile-net.h"

static const char *self_path;

/* A server in another process, with its own GnuTLS priorities ------------------ */

/* The child half: one TLS connection with the given GnuTLS priorities, an IMAP
 * greeting if the handshake works, and a clean close either way. When its stdin
 * closes it says whether TLS came up and whether the password arrived at all. */
static int
serve_with_priority (const char *argv0,
                     const char *priority)
{
  char *args[] = { (char *)argv0, NULL };
  char **argv = args;
  int argc = 1;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GString) received = g_string_new (NULL);
  gboolean established = FALSE;

  g_setenv ("G_TLS_GNUTLS_PRIORITY", priority, TRUE);
  g_test_init (&argc, &argv, NULL);
  pem = fake_certificate_path ("good.pem");
  key = fake_certificate_path ("good.key");

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  g_assert_no_error (error);
  g_socket_bind (listener, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  printf ("hostile-port %u\n", socket_port (listener));
  fflush (stdout);

  socket = g_socket_accept (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_close (listener, NULL);
  g_socket_set_timeout (socket, 10);
  {
    g_autoptr(GSocketConnection) connection = NULL;
    g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (pem, key, &error);
    g_autoptr(GIOStream) tls = NULL;
    char buffer[4096];
    gssize n;

    g_assert_no_error (error);
    connection = g_socket_connection_factory_create_connection (socket);
    tls = g_tls_server_connection_new (G_IO_STREAM (connection), certificate, &error);
    g_assert_no_error (error);
    established = g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL);
    if (established)
      {
        g_output_stream_write_all (g_io_stream_get_output_stream (tls), "* OK hi\r\n", 9, NULL,
                                   NULL, NULL);
        while ((n = g_input_stream_read (g_io_stream_get_input_stream (tls), buffer, sizeof buffer,
                                         NULL, NULL)) > 0)
          g_string_append_len (received, buffer, n);
      }
    /* A failed handshake ends in a FIN, as from a real server. */
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  }

  while (getchar () != EOF)
    ;
  printf ("hostile-report %d %d\n", established, strstr (received->str, FAKE_PASSWORD) != NULL);
  return 0;
}

typedef struct
{
  gboolean tls_established;
  gboolean password_arrived;
} ChildReport;

/* The child's test framework prints its own lines too; ours start with @prefix. */
static char *
read_child_line (GDataInputStream *lines,
                 const char       *prefix)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, prefix))
        return line;
      g_free (line);
    }
}

static McResult *
run_against_child (const char  *priority,
                   ChildReport *report)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(McSettings) settings = NULL;
  g_autofree char *port = NULL;
  g_autofree char *verdict = NULL;
  McResult *result;
  gint64 ms;
  int tls = -1;
  int clear = -1;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            self_path, "--serve-with-priority", priority, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  port = read_child_line (lines, "hostile-port ");
  settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
                                   (guint16)atoi (port + strlen ("hostile-port ")));
  mc_settings_set_timeout (settings, 1);
  result = mc_test_run_timed (settings, NULL, &ms);

  g_output_stream_close (g_subprocess_get_stdin_pipe (child), NULL, NULL);
  verdict = read_child_line (lines, "hostile-report ");
  g_assert_cmpint (sscanf (verdict, "hostile-report %d %d", &tls, &clear), ==, 2);
  g_subprocess_wait_check (child, NULL, &error);
  g_assert_no_error (error);
  report->tls_established = tls;
  report->password_arrived = clear;
  return result;
}

static void
test_old_only_server_gets_nothing (void)
{
  static const char * const priorities[] = { "NORMAL:-VERS-ALL:+VERS-TLS1.0",
                                             "NORMAL:-VERS-ALL:+VERS-TLS1.1", NULL };

  for (const char * const *priority = priorities; *priority != NULL; priority++)
    {
      ChildReport child = { FALSE, FALSE };
      g_autoptr(McResult) result = run_against_child (*priority, &child);

      /* A default client against an old-only server: refused either by GnuTLS or by
       * the check itself, and nothing reaches the server. */
      McAdvice *first = result->advice->len ? g_ptr_array_index (result->advice, 0) : NULL;

      g_test_message ("%s: TLS %s, advice %s", *priority, child.tls_established ? "up" : "not up",
                      first ? first->code : "none");
      mc_assert_verdict (result, MC_VERDICT_FAILED);
      mc_assert_step (result, MC_STEP_TLS, MC_STEP_STATUS_FAILED);
      g_assert_true (mc_result_has_advice (result, "tls-version-too-old") ||
                     mc_result_has_advice (result, "tls-failed"));
      g_assert_false (child.password_arrived);
      g_assert_cmpint (result->auth_result, ==, MC_AUTH_RESULT_NOT_TRIED);
    }
}

/* Client and server in one process that both speak only @priority's version:
 * the handshake works, and the check itself refuses the version. */
static void
run_old_version (const char *priority,
                 const char *version)
{
  const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS };
  g_auto(Outcome) out = { NULL };
  g_autoptr(McSettings) settings = NULL;

  /* Read once, by the first TLS connection of the process. */
  g_setenv ("G_TLS_GNUTLS_PRIORITY", priority, TRUE);
  out.server = scenario_server (&s);
  settings = scenario_settings (&s, fake_server_start (out.server));
  out.result = mc_test_run_timed (settings, NULL, &out.ms);
  fake_server_finish (out.server);

  if (!fake_server_tls_established (out.server))
    {
      /* Tell the parent, which skips: this GnuTLS cannot speak the old version. */
      g_test_message ("no %s handshake possible in this process: %s", version,
                      fake_server_get_handshake_error (out.server));
      g_file_set_contents (g_getenv ("MC_TEST_SKIP_FILE"), version, -1, NULL);
      return;
    }
  mc_assert_verdict (out.result, MC_VERDICT_FAILED);
  mc_assert_step (out.result, MC_STEP_TLS, MC_STEP_STATUS_FAILED);
  mc_assert_advice (out.result, "tls-version-too-old");
  g_assert_cmpstr (out.result->tls_version, ==, version);
  fake_server_assert_no_credentials (out.server, FAKE_USER, FAKE_PASSWORD);
  g_assert_cmpuint (count_credential_commands (out.server), ==, 0);
}

static void
test_old_version_refused (gconstpointer data)
{
  const char *version = data;
  g_autofree char *dir = NULL;
  g_autofree char *skip_file = NULL;

  if (g_test_subprocess ())
    {
      if (g_str_equal (version, "TLS 1.0"))
        run_old_version ("NORMAL:-VERS-ALL:+VERS-TLS1.0", version);
      else
        run_old_version ("NORMAL:-VERS-ALL:+VERS-TLS1.1", version);
      return;
    }

  dir = g_dir_make_tmp ("mc-test-XXXXXX", NULL);
  g_assert_nonnull (dir);
  skip_file = g_build_filename (dir, "skip", NULL);
  g_setenv ("MC_TEST_SKIP_FILE", skip_file, TRUE);
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("MC_TEST_SKIP_FILE");
  g_test_trap_assert_passed ();

  if (g_file_test (skip_file, G_FILE_TEST_EXISTS))
    g_test_skip ("GnuTLS refuses this TLS version here, so no in-process server can offer it");
  g_remove (skip_file);
  g_rmdir (dir);
}

static void
test_weak_cipher_suites_refused (void)
{
  static const char * const priorities[] = {
    "NORMAL:-VERS-TLS1.3:-CIPHER-ALL:+3DES-CBC",
    "NORMAL:-VERS-TLS1.3:-CIPHER-ALL:+ARCFOUR-128",
    "NORMAL:-VERS-TLS1.3:-CIPHER-ALL:+NULL",
    NULL,
  };

  for (const char * const *priority = priorities; *priority != NULL; priority++)
    {
      ChildReport child = { FALSE, FALSE };
      g_autoptr(McResult) result = run_against_child (*priority, &child);

      g_test_message ("%s: cipher %s", *priority, result->tls_cipher ? result->tls_cipher : "none");
      mc_test_print_result (result);
      g_assert_false (child.password_arrived);
      if (result->verdict != MC_VERDICT_FAILED)
        {
          g_test_incomplete ("engine bug: a weak cipher suite passes (mc-tls.c checks no cipher)");
          continue;
        }
      mc_assert_step (result, MC_STEP_TLS, MC_STEP_STATUS_FAILED);
      /* "Report which": the handshake failure is named, not a silence. */
      g_test_message ("TLS step: %s", mc_test_find_step (result, MC_STEP_TLS)->summary);
      g_assert_false (mc_result_has_advice (result, "timeout"));
      /* A TLS server that agrees on nothing is no plaintext server. */
      g_assert_null (strstr (mc_test_find_step (result, MC_STEP_TLS)->summary, "did not answer with TLS"));
      g_assert_nonnull (strstr (mc_test_find_step (result, MC_STEP_TLS)->summary, "answers with TLS"));
      g_assert_true (mc_result_has_advice (result, "tls-failed") ||
                     mc_result_has_advice (result, "server-closed"));
    }
}

static void
test_backend_missing_fails_closed (gconstpointer data)
{
  const char *how = data;

  if (g_test_subprocess ())
    {
      g_autofree char *empty = NULL;

      /* Before anything in this process asked for the TLS backend. */
      if (g_str_equal (how, "dummy"))
        g_setenv ("GIO_USE_TLS", "dummy", TRUE);
      else
        {
          empty = g_dir_make_tmp ("mc-no-modules-XXXXXX", NULL);
          g_setenv ("GIO_MODULE_DIR", empty, TRUE);
        }
      g_assert_false (g_tls_backend_supports_tls (g_tls_backend_get_default ()));

      for (guint i = 0; i < 2 * G_N_ELEMENTS (every_protocol); i++)
        {
          McProtocol p = every_protocol[i % 3];
          const Scenario s = { p, i < 3 ? MC_SECURITY_TLS : MC_SECURITY_STARTTLS };
          /* ...while a look without encryption (and without password) still works. */
          const Scenario none = { p, MC_SECURITY_NONE, .no_password = TRUE,
                                  .verdict = MC_VERDICT_WARNING,
                                  .advice = "plaintext-not-allowed" };
          g_autoptr(FakeServer) server = scenario_server (&s);
          g_autoptr(McSettings) settings = scenario_settings (&s, fake_server_start (server));
          g_autoptr(McResult) result = NULL;
          g_autoptr(GBytes) received = NULL;
          g_auto(Outcome) out = { NULL };
          gint64 ms;

          /* Fails closed, with the install hint, before even connecting. */
          result = mc_test_run_timed (settings, NULL, &ms);
          fake_server_finish (server);
          received = fake_server_get_received (server, FAKE_PHASE_ANY);
          mc_assert_verdict (result, MC_VERDICT_FAILED);
          mc_assert_advice (result, "tls-unavailable");
          mc_assert_mentions (mc_test_find_advice (result, "tls-unavailable")->text,
                              "glib-networking");
          g_assert_cmpuint (fake_server_get_connections (server), ==, 0);
          g_assert_cmpuint (g_bytes_get_size (received), ==, 0);

          if (i < 3)
            scenario_play (&none, &out);
        }
      if (empty != NULL)
        g_rmdir (empty);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_bytes_injected_into_tls_stop (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    {
      /* The greeting waits, so the injected bytes come first in the TLS stream. */
      const Scenario s = { every_protocol[i], MC_SECURITY_TLS, .greeting_delay_ms = 300,
                           .verdict = MC_VERDICT_FAILED, .auth = "not-tried" };
      g_auto(Relay) relay = { .inject = "NOOP\r\n" };
      g_auto(Outcome) out = { NULL };

      scenario_play_relayed (&s, &relay, &out);
      g_assert_true (relay.injected);
      g_assert_true (fake_server_tls_established (out.server));
      g_assert_cmpuint (out.result->advice->len, >, 0);
    }
}

static void
test_unclean_close_matters_mid_session (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (every_protocol); i++)
    {
      McProtocol p = every_protocol[i];
      /* After the logout, a missing close_notify is harmless... */
      const Scenario after_logout = { p, MC_SECURITY_TLS, .steps = "logout:ok", LOGGED_IN };
      /* ...in the middle of the login it is a closed connection. */
      const Scenario mid_session = { p, MC_SECURITY_TLS,
                                     .twists = { { FAKE_PHASE_TLS, scenario_dialects[p].login,
                                                   .then = THEN_CLOSE } },
                                     STOPPED ("server-closed",
                                              "login"), .logins = 1, .secret_sent = TRUE };
      g_auto(Relay) quiet = { .cut_unclean = TRUE };
      g_auto(Relay) cut = { .cut_unclean = TRUE };
      g_auto(Outcome) benign = { NULL };
      g_auto(Outcome) broken = { NULL };

      scenario_play_relayed (&after_logout, &quiet, &benign);
      g_assert_cmpuint (quiet.withheld, >, 0);

      scenario_play_relayed (&mid_session, &cut, &broken);
      g_assert_cmpuint (cut.withheld, >, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--serve-with-priority"))
    return serve_with_priority (argv[0], argv[2]);

  self_path = argv[0];
  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();

  g_test_add_func ("/mailcheck/hostile/tls/old-only-server-gets-nothing",
                   test_old_only_server_gets_nothing);
  g_test_add_data_func ("/mailcheck/hostile/tls/old-version-refused/1.0", "TLS 1.0",
                        test_old_version_refused);
  g_test_add_data_func ("/mailcheck/hostile/tls/old-version-refused/1.1", "TLS 1.1",
                        test_old_version_refused);
  g_test_add_func ("/mailcheck/hostile/tls/weak-cipher-suites-refused",
                   test_weak_cipher_suites_refused);
  g_test_add_data_func ("/mailcheck/hostile/tls/backend-missing-fails-closed/gio-use-tls-dummy",
                        "dummy",
                        test_backend_missing_fails_closed);
  g_test_add_data_func ("/mailcheck/hostile/tls/backend-missing-fails-closed/empty-module-dir",
                        "module-dir",
                        test_backend_missing_fails_closed);
  g_test_add_func ("/mailcheck/hostile/tls/bytes-injected-into-tls-stop",
                   test_bytes_injected_into_tls_stop);
  g_test_add_func ("/mailcheck/hostile/tls/unclean-close-matters-mid-session",
                   test_unclean_close_matters_mid_session);

  return g_test_run ();
}
