/* mc-cli.c
 *
 * The contract for support scripts (docs/cli.md): exit 0 when the check passed,
 * 1 when it failed, 2 for bad usage or input with the reason on stderr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "mc-check.h"
#include "mc-cli.h"
#include "mc-clients.h"
#include "mc-detect.h"
#include "mc-provider.h"
#include "mc-received.h"
#include "mc-report.h"
#include "mc-secret.h"

#define EXIT_PASSED 0
#define EXIT_FAILED 1
#define EXIT_USAGE  2

/* What the command line was given. */
typedef struct
{
  char     *protocol;
  char     *host;
  char     *port;
  char     *security;
  char     *user;
  char     *ca_file;
  char     *format;
  char     *protocols;
  char     *client;
  char     *received;
  char     *address;
  int       timeout;
  gboolean  envelope;
  gboolean  no_envelope;
  gboolean  password_stdin;
  gboolean  detect;
  gboolean  list_clients;
  gboolean  verbose;
  gboolean  version;
  gboolean  json;
} CliArgs;

static void
cli_args_clear (CliArgs *args)
{
  g_free (args->protocol);
  g_free (args->host);
  g_free (args->port);
  g_free (args->security);
  g_free (args->user);
  g_free (args->ca_file);
  g_free (args->format);
  g_free (args->protocols);
  g_free (args->client);
  g_free (args->received);
  g_free (args->address);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliArgs, cli_args_clear)

/* Any argument means the command line: the window opens only without one, so
 * a mistyped option is never handed to a window that cannot say what it means. */
gboolean
mc_cli_wanted (int    argc,
               char **argv)
{
  return argc > 1;
}

static int
usage_error (const char *message)
{
  g_printerr ("netzprisma-mailcheck: %s\n", message);
  return EXIT_USAGE;
}

static void
print_output (const char *output)
{
  fputs (output, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

/* JSON output is indented: support reads it as often as scripts do. */
static char *
json_to_output (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
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

/* A test or search that could not run says why, as bad input does. */
static int
run_error (RunData *data)
{
  int status = usage_error (data->error->message);

  g_clear_error (&data->error);
  return status;
}

static void
detect_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunData *data = user_data;

  data->detect = mc_detect_run_finish (result, &data->error);
  g_main_loop_quit (data->loop);
}

/* The server name and the CA file get the same checks as for --check. */
static gboolean
detect_args_valid (CliArgs *args)
{
  g_autoptr(McSettings) settings = mc_settings_new (MC_PROTOCOL_IMAP);
  g_autoptr(GError) error = NULL;

  mc_settings_set_host (settings, args->host);
  mc_settings_set_ca_file (settings, args->ca_file);
  mc_settings_set_timeout (settings, args->timeout);
  if (!mc_settings_validate (settings, &error))
    {
      usage_error (error->message);
      return FALSE;
    }
  return TRUE;
}

static int
run_detect (CliArgs *args)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(McDetectResult) detect = NULL;
  g_autofree char *output = NULL;
  RunData data = { loop, NULL, NULL, NULL };
  guint mask = 0;

  if (args->host == NULL)
    return usage_error (_("--host is required."));
  if (!detect_args_valid (args))
    return EXIT_USAGE;

  if (args->protocols == NULL)
    mask = MC_DETECT_ALL_PROTOCOLS;
  else
    {
      g_auto(GStrv) names = g_strsplit (args->protocols, ",", -1);

      for (guint i = 0; names[i] != NULL; i++)
        {
          McProtocol protocol;

          if (!mc_protocol_from_string (g_strstrip (names[i]), &protocol))
            return usage_error (_("--protocols must list imap, pop3 and/or smtp, separated by commas."));
          mask |= 1u << protocol;
        }
    }

  mc_detect_run_async (args->host, mask, args->ca_file, args->timeout, FALSE, NULL, detect_done, &data);
  g_main_loop_run (loop);

  if (data.detect == NULL)
    return run_error (&data);

  detect = data.detect;
  output = args->json ? mc_detect_result_to_json (detect) : mc_detect_result_to_text (detect);
  print_output (output);

  /* Passed when at least one protocol has a setting that answers and encrypts. */
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

static gboolean
lookup_client (const char      *id,
               const McClient **client)
{
  *client = id != NULL ? mc_client_lookup (id) : NULL;
  return id == NULL || *client != NULL;
}

/* Without --security: what the port says (110, 143, 25 and 587 start
 * unencrypted), else the provider's recommendation for its server, else
 * SSL/TLS for fetching and STARTTLS on 587 for sending, the submission port
 * every provider offers. A port alone keeps the mode it implies. */
static McSecurity
default_security (McProtocol  protocol,
                  const char *host,
                  guint16     port,
                  const char *address,
                  guint16    *default_port)
{
  const McProvider *provider = mc_provider_lookup (host, address);
  McEndpoint endpoint;

  *default_port = 0;
  if (port != 0)
    return port == 110 || port == 143 || port == 25 || port == 587 ? MC_SECURITY_STARTTLS : MC_SECURITY_TLS;
  if (provider != NULL && g_ascii_strcasecmp (host, mc_provider_get_server (provider)) == 0 &&
      mc_provider_get_recommended (provider, protocol, &endpoint))
    {
      *default_port = endpoint.port;
      return endpoint.security;
    }
  return protocol == MC_PROTOCOL_SMTP ? MC_SECURITY_STARTTLS : MC_SECURITY_TLS;
}

/* The settings of a --check, or NULL with the reason already printed. */
static McSettings *
settings_from_args (CliArgs *args,
                    int     *status)
{
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  McProtocol protocol;
  McSecurity security;
  guint64 port = 0;
  guint16 default_port;

  *status = EXIT_USAGE;
  if (!mc_protocol_from_string (args->protocol, &protocol))
    return usage_error (_("--check must be imap, pop3 or smtp.")), NULL;
  if (args->host == NULL)
    return usage_error (_("--host is required.")), NULL;
  if (args->port != NULL && !g_ascii_string_to_unsigned (args->port, 10, 1, 65535, &port, NULL))
    return usage_error (_("The port must be a number from 1 to 65535.")), NULL;
  security = default_security (protocol, args->host, port,
                               args->address != NULL ? args->address : args->user, &default_port);
  if (args->security != NULL && !mc_security_from_string (args->security, &security))
    return usage_error (_("--security must be tls, starttls or none.")), NULL;
  if (args->security != NULL)
    default_port = 0;

  settings = mc_settings_new (protocol);
  mc_settings_set_host (settings, args->host);
  mc_settings_set_security (settings, security);
  mc_settings_set_port (settings, port != 0 ? port : default_port);
  mc_settings_set_timeout (settings, args->timeout);
  mc_settings_set_user (settings, args->user);
  if (args->address != NULL)
    mc_settings_set_address (settings, args->address);
  else
    mc_settings_set_address (settings, args->user != NULL && strchr (args->user, '@') ? args->user : NULL);
  mc_settings_set_ca_file (settings, args->ca_file);

  if (args->envelope && args->no_envelope)
    return usage_error (_("Use either --envelope or --no-envelope, not both.")), NULL;
  if (args->envelope && protocol != MC_PROTOCOL_SMTP)
    return usage_error (_("--envelope is for --check smtp only.")), NULL;
  if (args->envelope && mc_settings_get_envelope_address (settings) == NULL)
    return usage_error (_("--envelope needs --address, or a --user that is an e-mail address.")), NULL;
  mc_settings_set_envelope (settings, args->envelope);

  if (args->password_stdin)
    {
      g_auto(McSecret) password = NULL;
      gsize length = 0;

      if (args->user == NULL)
        return usage_error (_("--password-stdin needs --user.")), NULL;
      mc_secret_hold_process ();
      password = read_password (&length, &error);
      if (password == NULL)
        return usage_error (error->message), NULL;
      mc_settings_set_password_len (settings, password, length);
      explicit_bzero (password, length);
    }

  if (!mc_settings_validate (settings, &error))
    return usage_error (error->message), NULL;
  return g_steal_pointer (&settings);
}

static int
run_check (CliArgs *args)
{
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(McCheck) check = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(McResult) result = NULL;
  g_autofree char *output = NULL;
  const McClient *client;
  RunData data = { NULL, NULL, NULL, NULL };
  int status;

  if (!lookup_client (args->client, &client))
    return usage_error (_("Unknown mail program for --client; see --list-clients."));
  if (!(settings = settings_from_args (args, &status)))
    return status;

  loop = g_main_loop_new (NULL, FALSE);
  data.loop = loop;
  check = mc_check_new (settings);
  mc_check_set_network_monitor (check, g_network_monitor_get_default ());
  g_signal_connect (check, "step-changed", G_CALLBACK (step_changed), &args->verbose);
  mc_check_run_async (check, NULL, check_done, &data);
  g_main_loop_run (loop);

  if (data.result == NULL)
    return run_error (&data);

  result = data.result;
  if (args->json)
    {
      g_autoptr(JsonNode) root = mc_report_build_json_for_client (result, client);

      output = json_to_output (root);
    }
  else
    output = mc_report_to_text_for_client (result, client, args->verbose);
  print_output (output);

  return result->verdict == MC_VERDICT_FAILED ? EXIT_FAILED : EXIT_PASSED;
}

/* At most what the parser reads, plus one byte to know there was more. */
static GBytes *
read_received_input (const char  *path,
                     GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autofree guint8 *buffer = g_malloc (MC_RECEIVED_MAX_INPUT + 1);
  gsize length = 0;

  if (g_str_equal (path, "-"))
    {
      while (length < MC_RECEIVED_MAX_INPUT + 1)
        {
          ssize_t n = read (STDIN_FILENO, buffer + length, MC_RECEIVED_MAX_INPUT + 1 - length);

          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0)
            {
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
              return NULL;
            }
          if (n == 0)
            break;
          length += n;
        }
      return g_bytes_new_take (g_steal_pointer (&buffer), length);
    }

  {
    g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

    stream = G_INPUT_STREAM (g_file_read (file, NULL, error));
    if (stream == NULL)
      return NULL;
  }
  if (!g_input_stream_read_all (stream, buffer, MC_RECEIVED_MAX_INPUT + 1, &length, NULL, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&buffer), length);
}

static int
run_received (CliArgs *args)
{
  g_autoptr(GBytes) input = NULL;
  g_autoptr(McReceivedReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  gsize length;
  const char *data;

  input = read_received_input (args->received, &error);
  if (input == NULL)
    return usage_error (error->message);
  data = g_bytes_get_data (input, &length);
  report = mc_received_parse (data, length, &error);
  if (report == NULL)
    return usage_error (error->message);

  output = args->json ? mc_received_report_to_json (report) : mc_received_report_to_text (report);
  print_output (output);
  return EXIT_PASSED;
}

static int
list_clients (CliArgs *args)
{
  GPtrArray *clients = mc_client_list ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *output = NULL;

  if (!args->json)
    {
      for (guint i = 0; i < clients->len; i++)
        {
          const McClient *client = g_ptr_array_index (clients, i);

          g_print ("%-22s %s\n", mc_client_get_id (client), mc_client_get_name (client));
        }
      return EXIT_PASSED;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < clients->len; i++)
    {
      const McClient *client = g_ptr_array_index (clients, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, mc_client_get_id (client));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, mc_client_get_name (client));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  output = json_to_output (root);
  print_output (output);
  return EXIT_PASSED;
}

/* Parses the options into @args; FALSE with the reason printed. */
static gboolean
parse_args (CliArgs   *args,
            int        argc,
            char     **argv,
            int       *status)
{
  GOptionEntry entries[] = {
    { "check", 0, 0, G_OPTION_ARG_STRING, &args->protocol, N_("Test an account: imap, pop3 or smtp"), "PROTOCOL" },
    { "detect", 0, 0, G_OPTION_ARG_NONE, &args->detect, N_("Find the working settings of a server"), NULL },
    { "received", 0, 0, G_OPTION_ARG_FILENAME, &args->received,
      N_("Show whether a message was encrypted on its way, from its header (a file, or - for standard input)"),
      "FILE" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &args->host, N_("Server name"), "HOST" },
    { "port", 0, 0, G_OPTION_ARG_STRING, &args->port, N_("Port (default from protocol and security)"), "N" },
    { "security", 0, 0, G_OPTION_ARG_STRING, &args->security, N_("tls (SSL/TLS), starttls or none"), "MODE" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &args->user, N_("User name"), "NAME" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &args->password_stdin,
      N_("Read the password from standard input (one line)"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &args->ca_file, N_("Trust only the CA certificates in this PEM file"),
      "PEM" },
    { "envelope", 0, 0, G_OPTION_ARG_NONE, &args->envelope,
      N_("SMTP: after the login also check that the address may send (MAIL FROM, RCPT TO; no message is sent)"),
      NULL },
    { "no-envelope", 0, 0, G_OPTION_ARG_NONE, &args->no_envelope,
      N_("SMTP: stop after the login (the default)"), NULL },
    { "address", 0, 0, G_OPTION_ARG_STRING, &args->address,
      N_("E-mail address for --envelope (default: the user name, when it is an address)"), "ADDR" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &args->timeout, N_("Seconds allowed for each phase (default 15)"),
      "SECONDS" },
    { "client", 0, 0, G_OPTION_ARG_STRING, &args->client,
      N_("Say each fix in the words of this mail program (see --list-clients)"), "ID" },
    { "list-clients", 0, 0, G_OPTION_ARG_NONE, &args->list_clients, N_("List the mail programs for --client"),
      NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &args->format, N_("Output format: text or json"), "FORMAT" },
    { "protocols", 0, 0, G_OPTION_ARG_STRING, &args->protocols, N_("Protocols to probe with --detect"), "LIST" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &args->verbose, N_("Show each step on standard error as it happens"),
      NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &args->version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  *status = EXIT_USAGE;
  args->timeout = MC_DEFAULT_TIMEOUT_SECONDS;
  g_option_context_set_summary (context, _("Tests the settings of a mail account (IMAP, POP3, SMTP)."));
  g_option_context_set_description (context,
                                    _("The password is read from standard input with --password-stdin (on a "
                                      "terminal it is asked for and not shown); without it the test stops "
                                      "before the login. Exit status: 0 the test passed, 1 it failed, 2 bad "
                                      "usage or input. No option opens the window: it opens when the "
                                      "program is started without any."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message), FALSE;
  if (argc > 1)
    return usage_error (_("Unexpected argument; see --help.")), FALSE;
  if (args->format != NULL && g_ascii_strcasecmp (args->format, "text") != 0 &&
      g_ascii_strcasecmp (args->format, "json") != 0)
    return usage_error (_("--format must be text or json.")), FALSE;
  if (args->timeout < 1 || args->timeout > 600)
    return usage_error (_("--timeout must be between 1 and 600 seconds.")), FALSE;
  args->json = args->format != NULL && g_ascii_strcasecmp (args->format, "json") == 0;
  return TRUE;
}

typedef enum
{
  MODE_NONE,
  MODE_CHECK,
  MODE_DETECT,
  MODE_RECEIVED,
  MODE_LIST_CLIENTS,
} Mode;

#define FOR_CHECK    (1u << MODE_CHECK)
#define FOR_DETECT   (1u << MODE_DETECT)

/* An option that does nothing in the chosen mode is a mistake to say, not to
 * ignore: a script that passes --security to --detect expects it to count. */
static gboolean
options_fit_mode (CliArgs *args,
                  Mode     mode)
{
  const struct
  {
    const char *name;
    gboolean    given;
    guint       modes;
  } options[] = {
    { "--host", args->host != NULL, FOR_CHECK | FOR_DETECT },
    { "--port", args->port != NULL, FOR_CHECK },
    { "--security", args->security != NULL, FOR_CHECK },
    { "--user", args->user != NULL, FOR_CHECK },
    { "--password-stdin", args->password_stdin, FOR_CHECK },
    { "--envelope", args->envelope, FOR_CHECK },
    { "--no-envelope", args->no_envelope, FOR_CHECK },
    { "--address", args->address != NULL, FOR_CHECK },
    { "--client", args->client != NULL, FOR_CHECK },
    { "--ca-file", args->ca_file != NULL, FOR_CHECK | FOR_DETECT },
    { "--protocols", args->protocols != NULL, FOR_DETECT },
    { "--verbose", args->verbose, FOR_CHECK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      if (options[i].given && !(options[i].modes & (1u << mode)))
        {
          g_autofree char *message = NULL;

          if (options[i].modes == FOR_CHECK)
            /* Translators: %s is an option such as --port */
            message = g_strdup_printf (_("%s is for --check only."), options[i].name);
          else if (options[i].modes == FOR_DETECT)
            /* Translators: %s is an option such as --protocols */
            message = g_strdup_printf (_("%s is for --detect only."), options[i].name);
          else
            /* Translators: %s is an option such as --host */
            message = g_strdup_printf (_("%s is for --check and --detect only."), options[i].name);
          usage_error (message);
          return FALSE;
        }
    }
  return TRUE;
}

/* Exactly one mode, and only options that mean something in it. */
static Mode
chosen_mode (CliArgs *args,
             int     *status)
{
  guint n = 0;
  Mode mode = MODE_NONE;

  *status = EXIT_USAGE;
  if (args->protocol != NULL)
    n++, mode = MODE_CHECK;
  if (args->detect)
    n++, mode = MODE_DETECT;
  if (args->received != NULL)
    n++, mode = MODE_RECEIVED;
  if (args->list_clients)
    n++, mode = MODE_LIST_CLIENTS;

  if (n == 0)
    {
      usage_error (_("Say what to do: --check, --detect, --received or --list-clients (see --help). "
                     "The window opens when the program is started without any option."));
      return MODE_NONE;
    }
  if (n > 1)
    {
      usage_error (_("Use one of --check, --detect, --received and --list-clients at a time."));
      return MODE_NONE;
    }
  if (!options_fit_mode (args, mode))
    return MODE_NONE;
  return mode;
}

int
mc_cli_run (int    argc,
            char **argv)
{
  g_auto(CliArgs) args = { 0 };
  int status;

  /* stdout carries the report (one JSON object with --format json); GLib's
   * debug messages must not end up in it. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (!parse_args (&args, argc, argv, &status))
    return status;

  if (args.version)
    {
      print_output ("netzprisma-mailcheck " PACKAGE_VERSION);
      return EXIT_PASSED;
    }
  switch (chosen_mode (&args, &status))
    {
    case MODE_LIST_CLIENTS:
      return list_clients (&args);
    case MODE_RECEIVED:
      return run_received (&args);
    case MODE_DETECT:
      return run_detect (&args);
    case MODE_CHECK:
      return run_check (&args);
    case MODE_NONE:
    default:
      return status;
    }
}
