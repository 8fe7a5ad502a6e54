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

/* The program with --check smtp against @server (NULL: a closed port) and
 * @extra arguments; the password on standard input. */
static void
run_cli (McTestProcess *run,
         FakeServer    *server,
         const char    *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *ca_file = fake_certificate_path ("ca.pem");
  va_list ap;

  g_ptr_array_add (args, g_strdup ("--check=smtp"));
  g_ptr_array_add (args, g_strdup ("--host=127.0.0.1"));
  g_ptr_array_add (args, g_strdup_printf ("--port=%u",
                                          server ? fake_server_start (server) : mc_test_closed_port ()));
  g_ptr_array_add (args, g_strdup ("--security=tls"));
  g_ptr_array_add (args, g_strdup_printf ("--ca-file=%s", ca_file));
  g_ptr_array_add (args, g_strdup ("--timeout=5"));
  g_ptr_array_add (args, g_strdup ("--format=json"));
  g_ptr_array_add (args, g_strdup ("--password-stdin"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);

  mc_test_spawn (run, MAILCHECK_CLI_PATH, (const char * const *)args->pdata, FAKE_PASSWORD "\n");
  if (server != NULL)
    fake_server_finish (server);
  g_assert_null (strstr (run->out, FAKE_PASSWORD));
  g_assert_null (strstr (run->err, FAKE_PASSWORD));

  if (run->status != 2)
    mc_test_process_json (run);
}

static const char *
step_status (McTestProcess *run,
             const char    *id)
{
  return mc_test_json_step_status (json_node_get_object (json_parser_get_root (run->parser)), id);
}

static gboolean
has_advice (McTestProcess *run,
            const char    *code)
{
  return mc_test_json_has_advice (json_node_get_object (json_parser_get_root (run->parser)), code);
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
  g_auto(McTestProcess) run = { 0 };

  run_cli (&run, server, "--user=" FAKE_USER, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (step_status (&run, "sender"));
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "MAIL"), ==, 0);
}

static void
test_envelope_with_user_address (void)
{
  g_autoptr(FakeServer) server = submission_server ("250 2.1.5 Ok\r\n");
  g_auto(McTestProcess) run = { 0 };

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
  g_auto(McTestProcess) run = { 0 };

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
      g_auto(McTestProcess) run = { 0 };

      run_cli (&run, NULL, cases[i].args[0], cases[i].args[1], cases[i].args[2], cases[i].args[3], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i].reason));
    }

  {
    const char *imap[] = { "--check=imap", "--host=127.0.0.1", "--user=" FAKE_USER, "--envelope", NULL };
    g_auto(McTestProcess) run = { 0 };

    mc_test_spawn (&run, MAILCHECK_CLI_PATH, imap, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "smtp only"));
  }
}

static void
test_help_lists_options (void)
{
  const char *help[] = { "--help", NULL };
  g_auto(McTestProcess) run = { 0 };

  mc_test_spawn (&run, MAILCHECK_CLI_PATH, help, NULL);
  g_assert_nonnull (strstr (run.out, "--envelope"));
  g_assert_nonnull (strstr (run.out, "--no-envelope"));
  g_assert_nonnull (strstr (run.out, "--address=ADDR"));
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
