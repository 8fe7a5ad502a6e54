/* test-memcheck-real.c
 *
 * The command-line program under valgrind's memcheck against real Dovecot and Postfix:
 * no memory error and no definite leak on a full login, on a mode mismatch (with its
 * credential-free probes) and in --detect (seven checks in parallel).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-real-servers"

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "cli-run.h"
#include "real-servers.h"

#define STANDARD_PORTS_HOST "127.0.0.4"

/* valgrind makes TLS many times slower: generous phases, and a bound for the process. */
#define VALGRIND_PHASE_TIMEOUT 30
#define VALGRIND_PROCESS_TIMEOUT 240

static char *valgrind;
static char *suppressions_option;
/* valgrind and its options, in front of the program */
static const char *wrapper[12];

/* Whether valgrind can run here; skips with the reason when not. */
static gboolean
memcheck_ready (void)
{
  if (!real_servers_ready ())
    return FALSE;
#ifdef MAILCHECK_SANITIZED
  /* A sanitizer runtime and valgrind both want to own the heap. */
  g_test_skip ("The program is built with a sanitizer; valgrind runs in the normal build");
  return FALSE;
#else
  if (valgrind == NULL)
    {
      g_test_skip ("valgrind is not installed (tests/setup-debian.sh installs it)");
      return FALSE;
    }
  return TRUE;
#endif
}

static void
wrapper_init (void)
{
  const char *suppressions = g_getenv ("MAILCHECK_VALGRIND_SUPP");
  guint n = 0;

  valgrind = g_find_program_in_path ("valgrind");
  suppressions_option = g_strdup_printf ("--suppressions=%s",
                                         suppressions ? suppressions : VALGRIND_SUPPRESSIONS_PATH);
  wrapper[n++] = valgrind;
  wrapper[n++] = "--leak-check=full";
  wrapper[n++] = "--errors-for-leak-kinds=definite";
  wrapper[n++] = "--error-exitcode=99";
  wrapper[n++] = "--num-callers=40";
  wrapper[n++] = "--track-origins=yes";
  wrapper[n++] = suppressions_option;
  wrapper[n] = NULL;
  g_assert_cmpuint (n, <, G_N_ELEMENTS (wrapper));
}

static const char *valgrind_env[] = {
  /* GLib 2.74 still has a slice allocator; plain malloc lets memcheck see every block. */
  "G_SLICE", "always-malloc",
  "G_DEBUG", "gc-friendly,fatal-warnings",
  NULL
};

/* Memcheck's verdict on one run: not its exit status, no errors, nothing definitely
 * lost, and the summary that proves the leak check ran to the end. */
static void
assert_clean (CliRun *run)
{
  g_auto(GStrv) lines = g_strsplit (run->err, "\n", -1);
  gboolean definite_leak = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "definitely lost:") != NULL ||
          strstr (lines[i], "ERROR SUMMARY:") != NULL ||
          strstr (lines[i], "All heap blocks were freed") != NULL)
        g_test_message ("%s", lines[i]);
      if ((strstr (lines[i], "definitely lost:") != NULL &&
           strstr (lines[i], "definitely lost: 0 bytes") == NULL) ||
          strstr (lines[i], "are definitely lost in loss record") != NULL)
        definite_leak = TRUE;
    }

  assert_run (run, run->status != 99);
  assert_run (run, !definite_leak);
  assert_run (run, strstr (run->err, "definitely lost: 0 bytes") != NULL ||
                   strstr (run->err, "All heap blocks were freed") != NULL);
  assert_run (run, strstr (run->err, "ERROR SUMMARY: 0 errors") != NULL);
}


/* The same options must catch a block lost on purpose, and name its size. */
static void
test_memcheck_sees_leak (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int status = -1;

  if (!memcheck_ready ())
    return;

  for (guint i = 0; wrapper[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)wrapper[i]);
  g_ptr_array_add (argv, (gpointer)LEAK_CANARY_PATH);
  g_ptr_array_add (argv, NULL);

  if (!real_servers_run_process ((const char * const *)argv->pdata, valgrind_env, NULL,
                                 VALGRIND_PROCESS_TIMEOUT, &out, &err, &status, &error))
    g_error ("%s: %s", LEAK_CANARY_PATH, error->message);

  if (status != 99 || strstr (err, "definitely lost: 4,711 bytes in 1 blocks") == NULL)
    g_test_message ("valgrind on the leak canary: exit %d\n%s", status, err);
  g_assert_cmpint (status, ==, 99);
  g_assert_nonnull (strstr (err, "definitely lost: 4,711 bytes in 1 blocks"));
}

/* The program under memcheck with the password, checked by assert_clean(). */
static CliRun *
run_memcheck (CliOptions *options)
{
  CliRun *run;

  options->password = real_servers_value ("MC_PASSWORD");
  options->timeout = VALGRIND_PHASE_TIMEOUT;
  options->wrapper = wrapper;
  options->env = valgrind_env;
  options->process_timeout = VALGRIND_PROCESS_TIMEOUT;

  run = cli_run (options);
  cli_run_log_summary (run);
  assert_clean (run);
  return run;
}

static void
test_memcheck_imap_login (void)
{
  CliOptions options = { .protocol = "imap", .security = "tls", .port_key = "MC_IMAP_TLS_PORT" };
  g_autoptr(CliRun) run = NULL;

  if (!memcheck_ready ())
    return;

  run = run_memcheck (&options);
  /* The whole dialogue ran, login included. */
  assert_run (run, run->status == 0);
  assert_run (run, g_strcmp0 (cli_run_auth_result (run), "ok") == 0);
  assert_run (run, g_strcmp0 (cli_run_step_status (run, "logout"), "ok") == 0);
}

static void
test_memcheck_mismatch_probes (void)
{
  /* SSL/TLS on 587: the failed handshake, then probes of 587 with STARTTLS and of 465. */
  CliOptions options = { .protocol = "smtp", .security = "tls", .port = 587 };
  g_autoptr(CliRun) run = NULL;

  if (!memcheck_ready ())
    return;

  options.host = real_servers_value ("MC_STANDARD_PORTS_HOST");
  run = run_memcheck (&options);
  assert_run (run, run->status == 1);
  assert_run (run, cli_run_has_advice (run, "use-starttls"));
}

static void
test_memcheck_detect (void)
{
  g_autoptr(CliRun) run = NULL;
  DetectOptions options = { 0 };

  if (!memcheck_ready ())
    return;

  options.host = real_servers_value ("MC_STANDARD_PORTS_HOST");
  options.timeout = VALGRIND_PHASE_TIMEOUT;
  options.wrapper = wrapper;
  options.env = valgrind_env;
  options.process_timeout = VALGRIND_PROCESS_TIMEOUT;

  run = cli_run_detect (&options);
  g_test_message ("%s -> exit %d after %" G_GINT64_FORMAT " ms", run->command, run->status,
                  run->elapsed_ms);

  assert_clean (run);
  assert_run (run, run->status == 0);
  assert_run (run, report_object (report_object (run->root, "recommended"), "imap") != NULL);
}

/* ------------------------------------------------------------------------------------------ */

int
main (int    argc,
      char **argv)
{
  const char *harness_env[] = { "MC_STANDARD_PORTS_HOST", STANDARD_PORTS_HOST, NULL };
  int status;

  real_servers_test_init (&argc, &argv);

  wrapper_init ();

  g_test_add_func ("/mailcheck/real/valgrind/leak-canary/is-reported", test_memcheck_sees_leak);
  g_test_add_func ("/mailcheck/real/valgrind/imap-tls-login/no-definite-leak",
                   test_memcheck_imap_login);
  g_test_add_func ("/mailcheck/real/valgrind/smtp-mismatch-probes/no-definite-leak",
                   test_memcheck_mismatch_probes);
  g_test_add_func ("/mailcheck/real/valgrind/detect/no-definite-leak", test_memcheck_detect);

  status = real_servers_run_tests (harness_env);

  g_free (valgrind);
  g_free (suppressions_option);
  return status;
}
