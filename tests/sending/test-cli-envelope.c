/* test-cli-envelope.c: --envelope, --no-envelope and --address of the
 * command-line program, against a fake submission server on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-envelope"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "sending-util.h"

typedef struct
{
  int         status;
  char       *out;
  char       *err;
  JsonParser *parser;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_clear_object (&run->parser);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* The program with --check smtp against @server (NULL: a closed port) and
 * @extra arguments; the password on standard input. */
static void
run_cli (Run         *run,
         FakeServer  *server,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ca_file = fake_certificate_path ("ca.pem");
  va_list ap;

  g_ptr_array_add (argv, g_strdup (MAILCHECK_CLI_PATH));
  g_ptr_array_add (argv, g_strdup ("--check=smtp"));
  g_ptr_array_add (argv, g_strdup ("--host=127.0.0.1"));
  g_ptr_array_add (argv, g_strdup_printf ("--port=%u", server ? fake_server_start (server) : mc_test_closed_port ()));
  g_ptr_array_add (argv, g_strdup ("--security=tls"));
  g_ptr_array_add (argv, g_strdup_printf ("--ca-file=%s", ca_file));
  g_ptr_array_add (argv, g_strdup ("--timeout=5"));
  g_ptr_array_add (argv, g_strdup ("--format=json"));
  g_ptr_array_add (argv, g_strdup ("--password-stdin"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, FAKE_PASSWORD "\n", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  if (server != NULL)
    fake_server_finish (server);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
  g_assert_null (strstr (run->out, FAKE_PASSWORD));
  g_assert_null (strstr (run->err, FAKE_PASSWORD));

  if (run->status != 2)
    {
      run->parser = json_parser_new ();
      json_parser_load_from_data (run->parser, run->out, -1, &error);
      g_assert_no_error (error);
    }
}

static const char *
step_status (Run        *run,
             const char *id)
{
  JsonObject *root = json_node_get_object (json_parser_get_root (run->parser));
  JsonArray *steps = json_object_get_array_member (root, "steps");

  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);

      if (g_str_equal (json_object_get_string_member (step, "id"), id))
        return json_object_get_string_member (step, "status");
    }
  return NULL;
}

static gboolean
has_advice (Run        *run,
            const char *code)
{
  JsonObject *root = json_node_get_object (json_parser_get_root (run->parser));
  JsonArray *advice = json_object_get_array_member (root, "advice");

  for (guint i = 0; i < json_array_get_length (advice); i++)
    {
      if (g_str_equal (json_object_get_string_member (json_array_get_object_element (advice, i), "code"), code))
        return TRUE;
    }
  return FALSE;
}

static FakeServer *
submission_server (const char *rcpt_reply)
{
  FakeServer *server = fake_smtp_server_new (FAKE_MODE_TLS);

  fake_server_on (server, FAKE_PHASE_TLS, "MAIL FROM:", fake_send ("250 2.1.0 Ok\r\n"), NULL);
  fake_server_on (server, FAKE_PHASE_TLS, "RCPT TO:", fake_send (rcpt_reply), NULL);
  fake_server_on (server, FAKE_PHASE_TLS, "RSET$", fake_send ("250 2.0.0 Ok\r\n"), NULL);
  return server;
}

/* Off by default: a script's SMTP test stays what it was. */
static void
test_off_by_default (void)
{
  g_autoptr(FakeServer) server = submission_server ("250 2.1.5 Ok\r\n");
  g_auto(Run) run = { 0 };

  run_cli (&run, server, "--user=" FAKE_USER, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (step_status (&run, "sender"));
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "MAIL"), ==, 0);
}

static void
test_envelope_with_user_address (void)
{
  g_autoptr(FakeServer) server = submission_server ("250 2.1.5 Ok\r\n");
  g_auto(Run) run = { 0 };

  run_cli (&run, server, "--user=" FAKE_USER, "--envelope", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (step_status (&run, "sender"), ==, "ok");
  g_assert_cmpstr (step_status (&run, "recipient"), ==, "ok");
  g_assert_true (fake_server_received_contains (server, FAKE_PHASE_TLS, "MAIL FROM:<" FAKE_USER ">\r\n"));
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "DATA"), ==, 0);
}

/* --address wins over the user name; a refusal fails the run (exit 1). */
static void
test_address_option_refused (void)
{
  g_autoptr(FakeServer) server = submission_server ("553 5.7.1 <other@example.test>: Sender address rejected: "
                                                    "not owned by user alice@example.test\r\n");
  g_auto(Run) run = { 0 };

  run_cli (&run, server, "--user=" FAKE_USER, "--envelope", "--address=other@example.test", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (fake_server_received_contains (server, FAKE_PHASE_TLS, "MAIL FROM:<other@example.test>\r\n"));
  g_assert_cmpstr (step_status (&run, "recipient"), ==, "failed");
  g_assert_true (has_advice (&run, "sender-not-permitted"));
}

/* Usage errors: exit 2 with the reason, and nothing is connected to. */
static void
test_usage_errors (void)
{
  static const struct
  {
    const char *args[4];
    const char *reason;
  } cases[] = {
    { { "--user=" FAKE_USER, "--envelope", "--no-envelope", NULL }, "not both" },
    { { "--user=alice", "--envelope", NULL }, "--address" },
    { { "--user=" FAKE_USER, "--envelope", "--address=a b@example.test", NULL }, "name@example.de" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (&run, NULL, cases[i].args[0], cases[i].args[1], cases[i].args[2], cases[i].args[3], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i].reason));
    }

  {
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                MAILCHECK_CLI_PATH, "--check=imap", "--host=127.0.0.1", "--user=" FAKE_USER,
                                "--envelope", NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
    g_assert_nonnull (strstr (err, "smtp only"));
  }
}

static void
test_help_lists_options (void)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              MAILCHECK_CLI_PATH, "--help", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (out, "--envelope"));
  g_assert_nonnull (strstr (out, "--no-envelope"));
  g_assert_nonnull (strstr (out, "--address=ADDR"));
}

int
main (int   argc,
      char *argv[])
{
  sending_test_init (&argc, &argv);

  g_test_add_func ("/sending/cli/envelope-off-by-default", test_off_by_default);
  g_test_add_func ("/sending/cli/envelope-with-user-address", test_envelope_with_user_address);
  g_test_add_func ("/sending/cli/address-option-refused-exit-1", test_address_option_refused);
  g_test_add_func ("/sending/cli/usage-errors-exit-2", test_usage_errors);
  g_test_add_func ("/sending/cli/help-lists-options", test_help_lists_options);

  return g_test_run ();
}
