/* mc-cli.c
 *
 * The contract for support scripts (DESIGN.md §4): exit 0 when the check passed,
 * 1 when it failed, 2 for bad usage or input with the reason on stderr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "mc-check.h"
#include "mc-cli.h"
#include "mc-detect.h"
#include "mc-report.h"
#include "mc-secret.h"

#define EXIT_PASSED 0
#define EXIT_FAILED 1
#define EXIT_USAGE  2

/* The command line runs for any of its own modes, and for --help: the window
 * program's help would not list these options. */
gboolean
mc_cli_wanted (int    argc,
               char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--check") || g_str_has_prefix (argv[i], "--check=") ||
          g_str_equal (argv[i], "--detect") ||
          g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h") || g_str_equal (argv[i], "-?"))
        return TRUE;
    }
  return FALSE;
}

static int
usage_error (const char *message)
{
  g_printerr ("netzprisma-mailcheck: %s\n", message);
  return EXIT_USAGE;
}

/* One line from standard input, the trailing newline removed. A terminal gets
 * a prompt and does not echo what is typed. */
static McSecret
read_password (gsize   *length,
               GError **error)
{
  struct termios saved;
  gboolean terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  char *password;

  if (terminal)
    {
      struct termios quiet = saved;

      /* Echo goes off before the prompt: what is typed after it never shows. */
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      quiet.c_lflag |= ECHONL;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
      /* Translators: the prompt when the password is typed on a terminal */
      g_printerr ("%s", _("Password: "));
    }

  password = mc_secret_read_line (STDIN_FILENO, MC_MAX_CREDENTIAL_LENGTH, length, error);

  if (terminal)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  return password;
}

typedef struct
{
  GMainLoop      *loop;
  McResult       *result;
  McDetectResult *detect;
  GError         *error;
} RunData;

static void
detect_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunData *data = user_data;

  data->detect = mc_detect_run_finish (result, &data->error);
  g_main_loop_quit (data->loop);
}

static int
run_detect (const char *host,
            const char *protocols,
            const char *ca_file,
            int         timeout,
            gboolean    json)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(McDetectResult) detect = NULL;
  g_autofree char *output = NULL;
  RunData data = { loop, NULL, NULL, NULL };
  guint mask = 0;

  if (protocols == NULL)
    mask = MC_DETECT_ALL_PROTOCOLS;
  else
    {
      g_auto(GStrv) names = g_strsplit (protocols, ",", -1);

      for (guint i = 0; names[i] != NULL; i++)
        {
          McProtocol protocol;

          if (!mc_protocol_from_string (g_strstrip (names[i]), &protocol))
            return usage_error (_("--protocols must list imap, pop3 and/or smtp, separated by commas."));
          mask |= 1u << protocol;
        }
    }

  if (ca_file != NULL && !g_file_test (ca_file, G_FILE_TEST_IS_REGULAR))
    return usage_error (_("The CA certificate file does not exist."));

  mc_detect_run_async (host, mask, ca_file, timeout, FALSE, NULL, detect_done, &data);
  g_main_loop_run (loop);

  if (data.detect == NULL)
    {
      int status = usage_error (data.error->message);

      g_clear_error (&data.error);
      return status;
    }

  detect = data.detect;
  output = json ? mc_detect_result_to_json (detect) : mc_detect_result_to_text (detect);
  fputs (output, stdout);
  fputc ('\n', stdout);
  fflush (stdout);

  /* Passed when at least one protocol has a working, recommended setting. */
  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      if (detect->recommended[protocol] != NULL)
        return EXIT_PASSED;
    }
  return EXIT_FAILED;
}

static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RunData *data = user_data;

  data->result = mc_check_run_finish (MC_CHECK (object), result, &data->error);
  g_main_loop_quit (data->loop);
}

static void
step_changed (McCheck      *check,
              guint         index,
              const McStep *step,
              gpointer      user_data)
{
  gboolean *live = user_data;

  if (*live && step->status != MC_STEP_STATUS_RUNNING)
    g_printerr ("  %s: %s\n", mc_step_id_display_name (step->id), step->summary ? step->summary : "");
}

int
mc_cli_run (int    argc,
            char **argv)
{
  g_autofree char *protocol_text = NULL;
  g_autofree char *host = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *security_text = NULL;
  g_autofree char *user = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *format = NULL;
  g_autofree char *protocols = NULL;
  int timeout = MC_DEFAULT_TIMEOUT_SECONDS;
  gboolean password_stdin = FALSE;
  gboolean detect = FALSE;
  gboolean verbose = FALSE;
  GOptionEntry entries[] = {
    { "check", 0, 0, G_OPTION_ARG_STRING, &protocol_text, N_("Test an account: imap, pop3 or smtp"), "PROTOCOL" },
    { "detect", 0, 0, G_OPTION_ARG_NONE, &detect, N_("Find the working settings of a server"), NULL },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("Server name"), "HOST" },
    { "port", 0, 0, G_OPTION_ARG_STRING, &port_text, N_("Port (default from protocol and security)"), "N" },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security_text, N_("tls (SSL/TLS), starttls or none"), "MODE" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("User name"), "NAME" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password from standard input (one line)"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Trust only the CA certificates in this PEM file"), "PEM" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Seconds allowed for each phase (default 15)"), "SECONDS" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), "FORMAT" },
    { "protocols", 0, 0, G_OPTION_ARG_STRING, &protocols, N_("Protocols to probe with --detect"), "LIST" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Show each step on standard error as it happens"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(McCheck) check = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  McProtocol protocol;
  McSecurity security = MC_SECURITY_TLS;
  gboolean json;
  RunData data = { NULL, NULL, NULL, NULL };
  int status;

  /* stdout carries the report (one JSON object with --format json); GLib's
   * debug messages must not end up in it. */
  g_log_writer_default_set_use_stderr (TRUE);

  g_option_context_set_summary (context, _("Tests the settings of a mail account (IMAP, POP3, SMTP)."));
  g_option_context_set_description (context,
                                    _("The password is read from standard input with --password-stdin (on a "
                                      "terminal it is asked for and not shown); without it the test stops "
                                      "before the login. Exit status: 0 the test passed, 1 it failed, 2 bad "
                                      "usage or input. Without --check or --detect the program opens its "
                                      "window instead."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (argc > 1)
    return usage_error (_("Unexpected argument; see --help."));

  if (format != NULL && !g_str_equal (format, "text") && !g_str_equal (format, "json"))
    return usage_error (_("--format must be text or json."));
  json = g_strcmp0 (format, "json") == 0;

  if (timeout < 1 || timeout > 600)
    return usage_error (_("--timeout must be between 1 and 600 seconds."));

  if (detect)
    {
      if (protocol_text != NULL)
        return usage_error (_("Use either --check or --detect, not both."));
      if (host == NULL)
        return usage_error (_("--host is required."));
      return run_detect (host, protocols, ca_file, timeout, json);
    }

  if (!mc_protocol_from_string (protocol_text, &protocol))
    return usage_error (_("--check must be imap, pop3 or smtp."));

  if (host == NULL)
    return usage_error (_("--host is required."));

  if (security_text != NULL && !mc_security_from_string (security_text, &security))
    return usage_error (_("--security must be tls, starttls or none."));

  settings = mc_settings_new (protocol);
  mc_settings_set_host (settings, host);
  mc_settings_set_security (settings, security);
  mc_settings_set_timeout (settings, timeout);
  mc_settings_set_user (settings, user);
  mc_settings_set_ca_file (settings, ca_file);

  if (port_text != NULL)
    {
      guint64 port;

      if (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL))
        return usage_error (_("The port must be a number from 1 to 65535."));
      mc_settings_set_port (settings, port);
    }

  if (password_stdin)
    {
      g_auto(McSecret) password = NULL;
      gsize length = 0;

      if (user == NULL)
        return usage_error (_("--password-stdin needs --user."));
      mc_secret_hold_process ();
      password = read_password (&length, &error);
      if (password == NULL)
        return usage_error (error->message);
      mc_settings_set_password_len (settings, password, length);
      explicit_bzero (password, length);
    }

  if (!mc_settings_validate (settings, &error))
    return usage_error (error->message);

  loop = g_main_loop_new (NULL, FALSE);
  data.loop = loop;
  check = mc_check_new (settings);
  g_signal_connect (check, "step-changed", G_CALLBACK (step_changed), &verbose);
  mc_check_run_async (check, NULL, check_done, &data);
  g_main_loop_run (loop);

  if (data.result == NULL)
    {
      status = usage_error (data.error->message);
      g_clear_error (&data.error);
      return status;
    }

  {
    g_autofree char *output = json ? mc_report_to_json (data.result)
                                   : mc_report_to_text (data.result, verbose);

    fputs (output, stdout);
    fputc ('\n', stdout);
    fflush (stdout);
  }

  status = data.result->verdict == MC_VERDICT_FAILED ? EXIT_FAILED : EXIT_PASSED;
  mc_result_unref (data.result);
  return status;
}
