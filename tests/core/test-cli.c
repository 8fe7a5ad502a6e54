/* test-cli.c: the command-line program as support scripts and people call it,
 * against fake servers on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli"
#define _GNU_SOURCE  /* posix_openpt() and friends */

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "test-util.h"

/* An IMAP server on implicit TLS, and the arguments that test it. */
static char **
imap_args (FakeServer  *server,
           const char  *extra,
           ...)
{
  g_autofree char *ca_file = fake_certificate_path ("ca.pem");
  GPtrArray *args = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (args, g_strdup ("--check=imap"));
  g_ptr_array_add (args, g_strdup ("--host=127.0.0.1"));
  g_ptr_array_add (args, g_strdup_printf ("--port=%u", fake_server_start (server)));
  g_ptr_array_add (args, g_strdup ("--security=tls"));
  g_ptr_array_add (args, g_strdup ("--user=" FAKE_USER));
  g_ptr_array_add (args, g_strdup_printf ("--ca-file=%s", ca_file));
  g_ptr_array_add (args, g_strdup ("--timeout=5"));
  va_start (ap, extra);
  for (const char *arg = extra; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return (char **)g_ptr_array_free (args, FALSE);
}

/* Empty or closed standard input is no password: the program says so and
 * exits 2 before it connects, instead of trying a login with "". */
static void
test_password_stdin_empty (gconstpointer data)
{
  const char *input = data;
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_auto(GStrv) args = imap_args (server, "--password-stdin", "--format=json", NULL);
  g_auto(McTestProcess) run = { 0 };

  mc_test_spawn (&run, MAILCHECK_CLI_PATH, (const char * const *)args, input);
  fake_server_finish (server);

  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, input[0] == '\0' ? "No password on standard input"
                                                      : "password on standard input is empty"));
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpuint (fake_server_get_connections (server), ==, 0);
}

/* Typed on a terminal, the password is asked for and never echoed. */
static void
test_password_stdin_terminal (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_auto(GStrv) args = imap_args (server, "--password-stdin", "--format=json", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) echoed = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autofree char *out = NULL;
  GInputStream *err_stream;
  char buffer[256];
  int master;
  int slave;
  gint64 deadline;

  master = posix_openpt (O_RDWR | O_NOCTTY);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  slave = open (ptsname (master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (slave, >=, 0);

  g_ptr_array_add (argv, (gpointer)MAILCHECK_CLI_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_take_stdin_fd (launcher, slave);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  /* The prompt comes on standard error once echo is off. */
  err_stream = g_subprocess_get_stderr_pipe (process);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (strstr (err->str, "Password: ") == NULL && g_get_monotonic_time () < deadline)
    {
      gssize n = g_input_stream_read (err_stream, buffer, sizeof buffer, NULL, &error);

      g_assert_no_error (error);
      if (n <= 0)
        break;
      g_string_append_len (err, buffer, n);
    }
  g_assert_nonnull (strstr (err->str, "Password: "));

  g_assert_cmpint (write (master, FAKE_PASSWORD "\n", strlen (FAKE_PASSWORD) + 1), ==,
                   (gssize)strlen (FAKE_PASSWORD) + 1);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);

  /* Whatever the terminal showed: only the line end, never the password. */
  g_unix_set_fd_nonblocking (master, TRUE, NULL);
  for (gssize n; (n = read (master, buffer, sizeof buffer)) > 0;)
    g_string_append_len (echoed, buffer, n);
  close (master);
  fake_server_finish (server);

  g_test_message ("terminal showed: “%s”", echoed->str);
  g_assert_null (strstr (echoed->str, "Canary"));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (out, "\"result\" : \"ok\""));
}

/* Without --password-stdin the test stops before the login, and says so: a
 * warning (exit 0) whose headline is "login not tested", never "works". */
static void
test_login_not_tested (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_auto(GStrv) args = imap_args (server, "--format=json", NULL);
  g_autoptr(FakeServer) text_server = fake_imap_server_new (FAKE_MODE_TLS);
  g_auto(GStrv) text_args = imap_args (text_server, "--format=text", NULL);
  g_auto(McTestProcess) run = { 0 };
  g_auto(McTestProcess) text_run = { 0 };
  JsonObject *root;

  mc_test_spawn (&run, MAILCHECK_CLI_PATH, (const char * const *)args, NULL);
  fake_server_finish (server);
  g_assert_cmpint (run.status, ==, 0);
  root = mc_test_process_json (&run);
  g_assert_cmpstr (json_object_get_string_member (root, "verdict"), ==, "warning");
  g_assert_cmpstr (json_object_get_string_member (root, "outcome"), ==, "login-not-tested");
  g_assert_cmpstr (json_object_get_string_member (root, "headline"), ==,
                   "Server reachable and encrypted — login not tested");
  g_assert_true (mc_test_json_has_advice (root, "login-not-tested"));
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTHENTICATE"), ==, 0);

  mc_test_spawn (&text_run, MAILCHECK_CLI_PATH, (const char * const *)text_args, NULL);
  fake_server_finish (text_server);
  g_assert_cmpint (text_run.status, ==, 0);
  g_assert_nonnull (strstr (text_run.out, "Server reachable and encrypted — login not tested"));
  g_assert_nonnull (strstr (text_run.out, "[login-not-tested]"));
  g_assert_null (strstr (text_run.out, "The connection works"));
}

/* --help is the command line's own: every option of the README, and how the
 * window is started (by giving none of them). */
static void
test_help_lists_options (void)
{
  static const char *options[] = {
    "--check", "--detect", "--received", "--host", "--port", "--security", "--user", "--password-stdin",
    "--ca-file", "--timeout", "--client", "--list-clients", "--format", "--protocols", "--verbose",
    "--envelope", "--no-envelope", "--address", "--version",
  };
  const char *args[] = { "--help", NULL };
  g_auto(McTestProcess) run = { 0 };

  mc_test_spawn (&run, MAILCHECK_CLI_PATH, args, NULL);
  g_assert_cmpint (run.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    g_assert_nonnull (strstr (run.out, options[i]));
  g_assert_nonnull (strstr (run.out, "No option opens the window"));
}

/* Any argument is the command line's: an option that does nothing in the
 * chosen mode, no mode, or two modes are usage errors (exit 2) with the reason,
 * never handed to the window program. */
static void
test_usage_errors (void)
{
  static const struct
  {
    const char *args[5];
    const char *message;
  } cases[] = {
    { { "--host=mail.example.org", NULL }, "Say what to do: --check, --detect, --received or --list-clients" },
    { { "-v", NULL }, "Say what to do" },
    { { "--check=imap", "--detect", "--host=127.0.0.1", NULL }, "Use one of --check, --detect, --received" },
    { { "--received=-", "--list-clients", NULL }, "Use one of" },
    { { "--detect", "--host=127.0.0.1", "--security=tls", NULL }, "--security is for --check only." },
    { { "--detect", "--host=127.0.0.1", "--client=thunderbird", NULL }, "--client is for --check only." },
    { { "--detect", "--host=127.0.0.1", "--envelope", NULL }, "--envelope is for --check only." },
    { { "--check=imap", "--host=127.0.0.1", "--protocols=imap", NULL }, "--protocols is for --detect only." },
    { { "--received=-", "--host=127.0.0.1", NULL }, "--host is for --check and --detect only." },
    { { "--detect", "--host=127.0.0.1", "--ca-file=/", NULL }, "CA" },
    { { "--detect", "--host=exa mple.org", NULL }, "" },
    { { "--list-clients", "--format=xml", NULL }, "--format must be text or json." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(McTestProcess) run = { 0 };

      mc_test_spawn (&run, MAILCHECK_CLI_PATH, cases[i].args, NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, cases[i].message));
      g_assert_null (strstr (run.err, "Unknown option"));
    }
}

/* A CA file is checked before it is read: a folder, a FIFO (which would block
 * the read) and a file over 1 MB are refused with the reason, before any
 * connection (security rule 13). */
static void
test_ca_file_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mc-cli-ca-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "ca.fifo", NULL);
  g_autofree char *big = g_build_filename (dir, "big.pem", NULL);
  g_autofree char *padding = g_strnfill (1024 * 1024 + 1, 'A');
  const char *paths[] = { dir, fifo, big };
  const char *reasons[] = { "is a folder", "is not an ordinary file", "larger than 1 MB" };

  g_assert_nonnull (dir);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (big, padding, -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *ca = g_strdup_printf ("--ca-file=%s", paths[i]);
      const char *check[] = { "--check=imap", "--host=127.0.0.1", ca, NULL };
      const char *detect[] = { "--detect", "--host=127.0.0.1", ca, NULL };
      g_auto(McTestProcess) check_run = { 0 };
      g_auto(McTestProcess) detect_run = { 0 };

      mc_test_spawn (&check_run, MAILCHECK_CLI_PATH, check, NULL);
      g_assert_cmpint (check_run.status, ==, 2);
      g_assert_nonnull (strstr (check_run.err, reasons[i]));
      mc_test_spawn (&detect_run, MAILCHECK_CLI_PATH, detect, NULL);
      g_assert_cmpint (detect_run.status, ==, 2);
      g_assert_cmpstr (detect_run.err, ==, check_run.err);
    }

  g_unlink (fifo);
  g_unlink (big);
  g_rmdir (dir);
}

/* --version prints the version; --format is read in any case. */
static void
test_version_and_format_case (void)
{
  const char *version[] = { "--version", NULL };
  const char *list[] = { "--list-clients", "--format=JSON", NULL };
  g_auto(McTestProcess) run = { 0 };
  g_auto(McTestProcess) json = { 0 };

  mc_test_spawn (&run, MAILCHECK_CLI_PATH, version, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "netzprisma-mailcheck " PACKAGE_VERSION "\n");

  mc_test_spawn (&json, MAILCHECK_CLI_PATH, list, NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_true (g_str_has_prefix (json.out, "["));
}

/* Without --security the port decides, else the protocol: sending defaults to
 * STARTTLS on 587 (the help page's port), fetching to SSL/TLS. Ports on
 * 127.0.0.1 where nothing listens: refused at once. */
static void
test_default_security (void)
{
  static const struct
  {
    const char *protocol;
    const char *port;
    const char *security;
    guint       effective_port;
  } cases[] = {
    { "--check=smtp", NULL, "starttls", 587 },
    { "--check=imap", NULL, "tls", 993 },
    { "--check=pop3", NULL, "tls", 995 },
    { "--check=imap", "--port=143", "starttls", 143 },
    { "--check=smtp", "--port=465", "tls", 465 },
    { "--check=smtp", "--port=25", "starttls", 25 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { cases[i].protocol, "--host=127.0.0.1", "--timeout=3", "--format=json",
                             cases[i].port, NULL };
      g_auto(McTestProcess) run = { 0 };
      JsonObject *root;

      mc_test_spawn (&run, MAILCHECK_CLI_PATH, args, NULL);
      root = mc_test_process_json (&run);
      g_assert_cmpstr (json_object_get_string_member (root, "security"), ==, cases[i].security);
      g_assert_cmpint (json_object_get_int_member (root, "port"), ==, cases[i].effective_port);
    }
}

/* --client: every fix comes with the steps in that program's words, in JSON
 * (client_steps) and in the text; --list-clients names the programs. */
static void
test_client_steps (void)
{
  g_autoptr(FakeServer) server = fake_smtp_server_new (FAKE_MODE_STARTTLS);
  g_autofree char *ca_file = fake_certificate_path ("ca.pem");
  g_autofree char *port = g_strdup_printf ("--port=%u", fake_server_start (server));
  g_autofree char *ca = g_strdup_printf ("--ca-file=%s", ca_file);
  const char *args[] = { "--check=smtp", "--host=127.0.0.1", port, "--security=tls", ca, "--timeout=3",
                         "--client=thunderbird", "--format=json", NULL };
  const char *list_args[] = { "--list-clients", NULL };
  const char *bad_args[] = { "--check=smtp", "--host=127.0.0.1", "--client=netscape", NULL };
  g_auto(McTestProcess) run = { 0 };
  g_auto(McTestProcess) list = { 0 };
  g_auto(McTestProcess) bad = { 0 };
  JsonObject *root;
  JsonArray *advice;
  gboolean found = FALSE;

  mc_test_spawn (&run, MAILCHECK_CLI_PATH, args, NULL);
  fake_server_finish (server);
  root = mc_test_process_json (&run);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "client"), "id"), ==,
                   "thunderbird");
  advice = json_object_get_array_member (root, "advice");
  for (guint i = 0; i < json_array_get_length (advice); i++)
    {
      JsonObject *entry = json_array_get_object_element (advice, i);
      JsonArray *steps = json_object_get_array_member (entry, "client_steps");

      g_assert_nonnull (steps);
      if (g_str_equal (json_object_get_string_member (entry, "code"), "use-starttls"))
        {
          g_autofree char *joined = NULL;
          GString *text = g_string_new (NULL);

          g_assert_cmpuint (json_array_get_length (steps), >, 0);
          for (guint j = 0; j < json_array_get_length (steps); j++)
            g_string_append_printf (text, "%s\n", json_array_get_string_element (steps, j));
          joined = g_string_free (text, FALSE);
          g_test_message ("steps: %s", joined);
          g_assert_nonnull (strstr (joined, "STARTTLS"));
          g_assert_nonnull (strstr (joined, "Connection security"));
          found = TRUE;
        }
    }
  g_assert_true (found);

  mc_test_spawn (&list, MAILCHECK_CLI_PATH, list_args, NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "thunderbird"));
  g_assert_nonnull (strstr (list.out, "apple-mail"));
  g_assert_nonnull (strstr (list.out, "other"));

  mc_test_spawn (&bad, MAILCHECK_CLI_PATH, bad_args, NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "--list-clients"));
}

/* --received reads a header from a file or standard input: exit 0 with the
 * hops, 2 for what cannot be read. */
static void
test_received (void)
{
  static const char header[] =
    "Received: from sender.example.com (sender.example.com [198.51.100.7])\r\n"
    "\tby mx01.netzprisma.de (Postfix) with ESMTPS id 1234\r\n"
    "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n"
    "\tfor <bob@netzprisma.de>; Mon, 7 Dec 2026 09:59:58 +0100\r\n"
    "Subject: test\r\n\r\nbody\r\n";
  const char *stdin_args[] = { "--received=-", "--format=json", NULL };
  const char *missing_args[] = { "--received=/nonexistent/message.eml", NULL };
  const char *not_header_args[] = { "--received=-", NULL };
  g_auto(McTestProcess) run = { 0 };
  g_auto(McTestProcess) missing = { 0 };
  g_auto(McTestProcess) not_header = { 0 };
  JsonObject *root;
  JsonObject *hop;

  mc_test_spawn (&run, MAILCHECK_CLI_PATH, stdin_args, header);
  g_assert_cmpint (run.status, ==, 0);
  root = mc_test_process_json (&run);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "hops")), ==, 1);
  hop = json_array_get_object_element (json_object_get_array_member (root, "hops"), 0);
  g_assert_cmpstr (json_object_get_string_member (hop, "verdict"), ==, "encrypted");
  g_assert_cmpstr (json_object_get_string_member (hop, "tls_version"), ==, "TLS 1.3");
  g_assert_true (json_object_get_boolean_member (hop, "trusted"));
  /* The recipient's address never leaves. */
  g_assert_null (strstr (run.out, "bob@netzprisma.de"));

  mc_test_spawn (&missing, MAILCHECK_CLI_PATH, missing_args, NULL);
  g_assert_cmpint (missing.status, ==, 2);
  mc_test_spawn (&not_header, MAILCHECK_CLI_PATH, not_header_args, "just some words, no header at all");
  g_assert_cmpint (not_header.status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/mailcheck/cli/password-stdin/closed-input-refused", "",
                        test_password_stdin_empty);
  g_test_add_data_func ("/mailcheck/cli/password-stdin/empty-line-refused", "\n",
                        test_password_stdin_empty);
  g_test_add_func ("/mailcheck/cli/password-stdin/terminal-does-not-echo", test_password_stdin_terminal);
  g_test_add_func ("/mailcheck/cli/login-not-tested", test_login_not_tested);
  g_test_add_func ("/mailcheck/cli/help-lists-options", test_help_lists_options);
  g_test_add_func ("/mailcheck/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/mailcheck/cli/default-security", test_default_security);
  g_test_add_func ("/mailcheck/cli/ca-file-refused", test_ca_file_refused);
  g_test_add_func ("/mailcheck/cli/version-and-format-case", test_version_and_format_case);
  g_test_add_func ("/mailcheck/cli/client-steps", test_client_steps);
  g_test_add_func ("/mailcheck/cli/received", test_received);

  return g_test_run ();
}
