/* cli-run.c
 *
 * Runs the built command-line program the way a support script would (--format json,
 * the password on standard input; --check or --detect), if asked behind valgrind or
 * strace, and reads its report. Every run is first searched for the password, before
 * any of its output can reach the test log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-real-servers"

#include "config.h"

#include <string.h>

#include "cli-run.h"
#include "real-servers.h"

/* Bound for one run of the program, well above what any check here should take. */
#define CLI_TIMEOUT_SECONDS 60

const char *
cli_program (void)
{
  return g_getenv ("MAILCHECK_CLI") ? g_getenv ("MAILCHECK_CLI") : MAILCHECK_CLI_PATH;
}

void
cli_run_free (CliRun *run)
{
  g_free (run->command);
  g_free (run->out);
  g_free (run->err);
  g_clear_object (&run->parser);
  g_free (run);
}

void
cli_run_dump (CliRun *run)
{
  g_test_message ("command: %s", run->command);
  g_test_message ("exit status %d after %" G_GINT64_FORMAT " ms", run->status, run->elapsed_ms);
  g_test_message ("stdout:\n%s", run->out);
  g_test_message ("stderr:\n%s", run->err);
}

/* Runs the program (behind @wrapper, if any) and reads its report. Every output is
 * searched for the passwords before anything of it can reach the test log. */
static CliRun *
run_program (GPtrArray           *args,
             const char * const  *wrapper,
             const char * const  *env,
             const char          *input,
             gboolean             json,
             gboolean             json_optional,
             guint                process_timeout)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  CliRun *run = g_new0 (CliRun, 1);
  gint64 started;
  gboolean ran;

  for (guint i = 0; wrapper != NULL && wrapper[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)wrapper[i]);
  g_ptr_array_add (argv, (gpointer)cli_program ());
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (args, i));
  g_ptr_array_add (argv, NULL);

  run->command = g_strjoinv (" ", (char **)argv->pdata);
  started = g_get_monotonic_time ();
  ran = real_servers_run_process ((const char * const *)argv->pdata, env, input,
                                  process_timeout ? process_timeout : CLI_TIMEOUT_SECONDS,
                                  &run->out, &run->err, &run->status, &error);
  run->elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  if (run->out == NULL)
    run->out = g_strdup ("");
  if (run->err == NULL)
    run->err = g_strdup ("");

  /* Before anything else, and before any output of this run is shown in the log. */
  real_servers_assert_no_secret ("standard output", run->out, real_servers_value ("MC_PASSWORD"));
  real_servers_assert_no_secret ("standard error", run->err, real_servers_value ("MC_PASSWORD"));
  real_servers_assert_no_secret ("standard output", run->out, real_servers_wrong_password ());
  real_servers_assert_no_secret ("standard error", run->err, real_servers_wrong_password ());

  if (!ran)
    {
      cli_run_dump (run);
      g_error ("%s: %s", run->command, error->message);
    }

  if (json)
    {
      run->parser = json_parser_new ();
      if (!json_parser_load_from_data (run->parser, run->out, -1, &error) ||
          json_parser_get_root (run->parser) == NULL ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (run->parser)))
        {
          if (json_optional)
            return run;
          cli_run_dump (run);
          g_error ("%s did not print one JSON object: %s", run->command,
                   error ? error->message : "root is not an object");
        }
      run->root = json_node_get_object (json_parser_get_root (run->parser));
    }

  return run;
}

CliRun *
cli_run_args (const char * const *args,
              gboolean            json)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (list, (gpointer)args[i]);
  return run_program (list, NULL, NULL, NULL, json, FALSE, 0);
}

/* What every run of the program has: the harness's CA, a timeout per phase, a format. */
static void
add_common_args (GPtrArray *args,
                 guint      timeout,
                 gboolean   text)
{
  g_ptr_array_add (args, g_strdup ("--ca-file"));
  g_ptr_array_add (args, g_strdup (real_servers_value ("MC_CA_FILE")));
  g_ptr_array_add (args, g_strdup ("--timeout"));
  g_ptr_array_add (args, g_strdup_printf ("%u", timeout));
  g_ptr_array_add (args, g_strdup ("--format"));
  g_ptr_array_add (args, g_strdup (text ? "text" : "json"));
}

CliRun *
cli_run (const CliOptions *options)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *input = NULL;
  const char *debug_env[] = { "G_MESSAGES_DEBUG", "all", NULL };
  g_autoptr(GPtrArray) env = g_ptr_array_new ();
  guint port = options->port ? options->port : real_servers_port (options->port_key);
  const char *host = options->host ? options->host
                                   : real_servers_value (options->host_key ? options->host_key
                                                                           : "MC_HOST");

  for (guint i = 0; options->env != NULL && options->env[i] != NULL; i++)
    g_ptr_array_add (env, (gpointer)options->env[i]);
  if (options->debug)
    for (guint i = 0; debug_env[i] != NULL; i++)
      g_ptr_array_add (env, (gpointer)debug_env[i]);
  g_ptr_array_add (env, NULL);

  g_ptr_array_add (args, g_strdup ("--check"));
  g_ptr_array_add (args, g_strdup (options->protocol));
  g_ptr_array_add (args, g_strdup ("--host"));
  g_ptr_array_add (args, g_strdup (host));
  g_ptr_array_add (args, g_strdup ("--port"));
  g_ptr_array_add (args, g_strdup_printf ("%u", port));
  g_ptr_array_add (args, g_strdup ("--security"));
  g_ptr_array_add (args, g_strdup (options->security));
  g_ptr_array_add (args, g_strdup ("--user"));
  g_ptr_array_add (args, g_strdup (real_servers_value ("MC_USER")));
  add_common_args (args, options->timeout ? options->timeout : 10, options->text);
  if (options->text && !options->terse)
    g_ptr_array_add (args, g_strdup ("--verbose"));
  if (options->password != NULL || options->stdin_text != NULL)
    {
      g_ptr_array_add (args, g_strdup ("--password-stdin"));
      input = options->stdin_text ? g_strdup (options->stdin_text)
                                  : g_strconcat (options->password, "\n", NULL);
    }

  return run_program (args, options->wrapper, (const char * const *)env->pdata, input,
                      !options->text, options->json_optional, options->process_timeout);
}

CliRun *
cli_run_detect (const DetectOptions *options)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (args, g_strdup ("--detect"));
  g_ptr_array_add (args, g_strdup ("--host"));
  g_ptr_array_add (args, g_strdup (options->host));
  if (options->protocols != NULL)
    {
      g_ptr_array_add (args, g_strdup ("--protocols"));
      g_ptr_array_add (args, g_strdup (options->protocols));
    }
  add_common_args (args, options->timeout ? options->timeout : 5, options->text);

  return run_program (args, options->wrapper, options->env, NULL, !options->text, FALSE,
                      options->process_timeout);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the JSON report */

/* @name's node in @object when it is of @type, else NULL */
static JsonNode *
member (JsonObject   *object,
        const char   *name,
        JsonNodeType  type)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_TYPE (node) == type ? node : NULL;
}

const char *
report_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name, JSON_NODE_VALUE);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
report_object (JsonObject *object,
               const char *name)
{
  return member (object, name, JSON_NODE_OBJECT) ? json_object_get_object_member (object, name) : NULL;
}

/* -1 when missing or not a number */
gint64
report_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = member (object, name, JSON_NODE_VALUE);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node) : -1;
}

JsonArray *
report_array (JsonObject *object,
              const char *name)
{
  return member (object, name, JSON_NODE_ARRAY) ? json_object_get_array_member (object, name) : NULL;
}

/* The first object in @array (may be NULL) whose string @name is @value, or NULL */
JsonObject *
report_array_find (JsonArray  *array,
                   const char *name,
                   const char *value)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);

      if (g_strcmp0 (report_string (item, name), value) == 0)
        return item;
    }
  return NULL;
}

gboolean
report_array_has (JsonArray  *array,
                  const char *value)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (node), value) == 0)
        return TRUE;
    }
  return FALSE;
}

const char *
cli_run_verdict (CliRun *run)
{
  return report_string (run->root, "verdict");
}

const char *
cli_run_auth_result (CliRun *run)
{
  return report_string (report_object (run->root, "auth"), "result");
}

/* The status of the last step with this id (capabilities come twice with STARTTLS). */
const char *
cli_run_step_status (CliRun     *run,
                     const char *id)
{
  JsonArray *steps = report_array (run->root, "steps");
  const char *status = NULL;

  for (guint i = 0; steps != NULL && i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);

      if (g_strcmp0 (report_string (step, "id"), id) == 0)
        status = report_string (step, "status");
    }
  return status;
}

char *
cli_run_advice_codes (CliRun *run)
{
  JsonArray *advice = report_array (run->root, "advice");
  g_autoptr(GString) codes = g_string_new (NULL);

  for (guint i = 0; advice != NULL && i < json_array_get_length (advice); i++)
    {
      const char *code = report_string (json_array_get_object_element (advice, i), "code");

      if (codes->len > 0)
        g_string_append_c (codes, ' ');
      g_string_append (codes, code ? code : "(none)");
    }
  return g_string_free (g_steal_pointer (&codes), FALSE);
}

gboolean
cli_run_has_advice (CliRun     *run,
                    const char *code)
{
  g_autofree char *codes = cli_run_advice_codes (run);
  g_auto(GStrv) list = g_strsplit (codes, " ", -1);

  return g_strv_contains ((const char * const *)list, code);
}

/* The first advice with this code, or NULL */
JsonObject *
cli_run_advice (CliRun     *run,
                const char *code)
{
  return report_array_find (report_array (run->root, "advice"), "code", code);
}

/* The first step with this id, or NULL */
JsonObject *
cli_run_step (CliRun     *run,
              const char *id)
{
  return report_array_find (report_array (run->root, "steps"), "id", id);
}

gboolean
cli_run_transcript_contains (CliRun     *run,
                             const char *needle)
{
  JsonArray *transcript = report_array (run->root, "transcript");

  for (guint i = 0; transcript != NULL && i < json_array_get_length (transcript); i++)
    {
      const char *line = json_array_get_string_element (transcript, i);

      if (line != NULL && strstr (line, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Whether the client sent any of the commands that carry credentials. */
gboolean
cli_run_sent_login_command (CliRun *run)
{
  JsonArray *transcript = report_array (run->root, "transcript");
  const char *commands[] = { "LOGIN", "AUTHENTICATE", "AUTH", "USER", "PASS", "APOP", NULL };

  for (guint i = 0; transcript != NULL && i < json_array_get_length (transcript); i++)
    {
      const char *line = json_array_get_string_element (transcript, i);
      g_auto(GStrv) words = NULL;

      if (line == NULL || !g_str_has_prefix (line, "C:"))
        continue;
      words = g_strsplit_set (line + 2, " ", -1);
      for (guint w = 0; words[w] != NULL; w++)
        {
          g_autofree char *upper = g_ascii_strup (words[w], -1);

          if (g_strv_contains (commands, upper))
            return TRUE;
        }
    }
  return FALSE;
}

void
cli_run_log_summary (CliRun *run)
{
  g_autofree char *codes = run->root ? cli_run_advice_codes (run) : g_strdup ("");

  g_test_message ("%s -> exit %d, verdict %s, auth %s, advice [%s], %" G_GINT64_FORMAT " ms",
                  run->command, run->status, run->root ? cli_run_verdict (run) : "-",
                  run->root ? cli_run_auth_result (run) : "-", codes, run->elapsed_ms);
}
