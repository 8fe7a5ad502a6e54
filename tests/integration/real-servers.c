/* real-servers.c
 *
 * Starts and stops tests/servers/mailservers.sh for this test program and answers what
 * it wrote to DIR/env. Without root the servers cannot run: the tests then skip with the
 * reason, except in CI (CI=true), where the real-server tests must never skip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-real-servers"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "real-servers.h"

/* Bound for one run of the harness, well above what starting both servers takes. */
#define HARNESS_TIMEOUT_SECONDS 120

typedef struct
{
  char        *dir;
  char        *unavailable;   /* why the servers cannot run here: tests skip */
  char        *broken;        /* why they did not run although they should: tests fail */
  GHashTable  *env;           /* DIR/env, written by the harness */
  GSubprocess *guard;
  const char  *script;
  char        *wrong_password;
} Servers;

static Servers servers;

/* ------------------------------------------------------------------------------------------ */
/* Child processes */

typedef struct
{
  GSubprocess *process;
  gboolean     done;
  gboolean     timed_out;
  char        *out;
  char        *err;
  GError      *error;
} Pending;

static void
communicate_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Pending *pending = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &pending->out, &pending->err, &pending->error);
  pending->done = TRUE;
}

static gboolean
communicate_timeout (gpointer user_data)
{
  Pending *pending = user_data;

  pending->timed_out = TRUE;
  g_subprocess_force_exit (pending->process);
  return G_SOURCE_REMOVE;
}

/* Runs argv to completion with stdin_text on its standard input; returns FALSE with @error
 * if it could not be started, did not exit normally, or ran longer than @timeout_seconds. */
gboolean
real_servers_run_process (const char * const  *argv,
                          const char * const  *extra_env,
                          const char          *stdin_text,
                          guint                timeout_seconds,
                          char               **out,
                          char               **err,
                          int                 *status,
                          GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = NULL;
  Pending pending = { 0 };

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, extra_env[i], extra_env[i + 1], TRUE);

  process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (process == NULL)
    return FALSE;

  g_main_context_push_thread_default (context);

  pending.process = process;
  timeout = g_timeout_source_new_seconds (timeout_seconds);
  g_source_set_callback (timeout, communicate_timeout, &pending, NULL);
  g_source_attach (timeout, context);

  g_subprocess_communicate_utf8_async (process, stdin_text, NULL, communicate_done, &pending);
  while (!pending.done)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  *out = pending.out != NULL ? pending.out : g_strdup ("");
  *err = pending.err != NULL ? pending.err : g_strdup ("");

  if (pending.error != NULL)
    {
      g_propagate_error (error, pending.error);
      return FALSE;
    }
  if (pending.timed_out)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "%s did not finish within %u s", argv[0], timeout_seconds);
      return FALSE;
    }
  if (!g_subprocess_get_if_exited (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s was killed by signal %d", argv[0], g_subprocess_get_term_sig (process));
      return FALSE;
    }

  *status = g_subprocess_get_exit_status (process);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* The servers */

gboolean
real_servers_ready (void)
{
  if (servers.broken != NULL)
    {
      g_test_fail_printf ("%s", servers.broken);
      return FALSE;
    }
  if (servers.unavailable != NULL)
    {
      g_test_skip (servers.unavailable);
      return FALSE;
    }
  return TRUE;
}

const char *
real_servers_value (const char *key)
{
  const char *value = g_hash_table_lookup (servers.env, key);

  if (value == NULL)
    g_error ("The harness did not write %s to %s/env", key, servers.dir);
  return value;
}

guint16
real_servers_port (const char *key)
{
  guint64 port = 0;

  if (!g_ascii_string_to_unsigned (real_servers_value (key), 10, 1, G_MAXUINT16, &port, NULL))
    g_error ("%s in %s/env is not a port number", key, servers.dir);
  return (guint16)port;
}

const char *
real_servers_wrong_password (void)
{
  return servers.wrong_password;
}

static GHashTable *
read_env_file (const char  *path,
               GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *equals = strchr (lines[i], '=');
      char *value;

      if (lines[i][0] == '\0' || lines[i][0] == '#' || equals == NULL)
        continue;
      value = g_shell_unquote (equals + 1, error);
      if (value == NULL)
        return NULL;
      g_hash_table_insert (env, g_strndup (lines[i], equals - lines[i]), value);
    }

  return g_steal_pointer (&env);
}

static void
child_setsid (gpointer user_data)
{
  setsid ();
}

static void
start_guard (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *pid = g_strdup_printf ("%d", (int)getpid ());
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "bash", servers.script, "guard", pid, servers.dir, NULL };

  /* If this program dies without stopping the servers (an assertion, meson's timeout),
   * the guard stops them. Its own session keeps it out of meson's kill of our group. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, child_setsid, NULL, NULL);
  servers.guard = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (servers.guard == NULL)
    g_printerr ("# warning: could not start the guard process: %s\n", error->message);
}

/* TAP needs the reason on one line; the harness's own messages go to standard error. */
static void
set_broken (char       *summary,
            const char *details)
{
  servers.broken = g_strdelimit (summary, "\r\n", ' ');
  if (details != NULL && details[0] != '\0')
    g_printerr ("%s\n%s\n", servers.broken, details);
}

gboolean
real_servers_in_ci (void)
{
  return g_strcmp0 (g_getenv ("CI"), "true") == 0;
}

void
real_servers_start (void)
{
  real_servers_start_with (NULL);
}

/* @harness_env: name, value, name, value, …, NULL for the harness, e.g.
 * MC_STANDARD_PORTS_HOST (see tests/servers/mailservers.sh). */
void
real_servers_start_with (const char * const *harness_env)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *env_path = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "bash", NULL, "start", NULL, NULL };
  int status = -1;
  gboolean in_ci = real_servers_in_ci ();

  servers.wrong_password = g_strdup_printf ("Wrong-%08x%08x", g_random_int (), g_random_int ());
  servers.script = g_getenv ("MAILSERVERS_SCRIPT") ? g_getenv ("MAILSERVERS_SCRIPT")
                                                   : MAILSERVERS_SCRIPT_PATH;
  argv[1] = servers.script;

  servers.dir = g_dir_make_tmp ("mailcheck-real-XXXXXX", &error);
  if (servers.dir == NULL)
    {
      set_broken (g_strdup_printf ("No temporary directory: %s", error->message), NULL);
      return;
    }

  argv[3] = servers.dir;
  if (!real_servers_run_process (argv, harness_env, NULL, HARNESS_TIMEOUT_SECONDS,
                                 &out, &err, &status, &error))
    {
      set_broken (g_strdup_printf ("The harness %s failed: %s", servers.script, error->message),
                  err);
      return;
    }

  if (status == 77)
    {
      g_autofree char *reason = g_strstrip (g_strdup (err));

      /* Nothing was started; the empty directory can go right away. */
      g_rmdir (servers.dir);
      g_clear_pointer (&servers.dir, g_free);

      if (in_ci)
        set_broken (g_strdup_printf ("CI=true, but the real servers cannot run: %s", reason), NULL);
      else
        servers.unavailable = g_strdelimit (g_strdup_printf ("Real servers unavailable: %s",
                                                             reason),
                                            "\r\n", ' ');
      return;
    }
  if (status != 0)
    {
      set_broken (g_strdup_printf ("The harness could not start the servers (status %d); see its "
                                   "messages on standard error", status), err);
      return;
    }

  start_guard ();

  env_path = g_build_filename (servers.dir, "env", NULL);
  servers.env = read_env_file (env_path, &error);
  if (servers.env == NULL)
    set_broken (g_strdup_printf ("Could not read %s: %s", env_path, error->message), NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "rm", "-rf", "--one-file-system", path, NULL };
  int status = -1;

  if (!real_servers_run_process (argv, NULL, NULL, 60, &out, &err, &status, &error) || status != 0)
    g_printerr ("# could not remove %s: %s\n", path, error ? error->message : err);
}

/* Stops the servers (if any) and forgets everything about them; with @keep_files, or when
 * starting failed, the directory with configuration and logs stays. */
gboolean
real_servers_stop (gboolean keep_files)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "bash", servers.script, "stop", servers.dir, NULL };
  gboolean stopped = TRUE;
  int status = -1;

  if (servers.guard != NULL)
    {
      g_subprocess_force_exit (servers.guard);
      g_subprocess_wait (servers.guard, NULL, NULL);
      g_clear_object (&servers.guard);
    }

  if (servers.dir != NULL)
    {
      stopped = real_servers_run_process (argv, NULL, NULL, HARNESS_TIMEOUT_SECONDS,
                                          &out, &err, &status, &error) && status == 0;
      if (!stopped)
        g_printerr ("# stopping the servers failed: %s\n%s\n", error ? error->message : "", err);
      else if (keep_files || servers.broken != NULL)
        g_printerr ("# server files and logs kept in %s\n", servers.dir);
      else
        remove_tree (servers.dir);
    }

  g_clear_pointer (&servers.env, g_hash_table_unref);
  g_clear_pointer (&servers.dir, g_free);
  g_clear_pointer (&servers.broken, g_free);
  g_clear_pointer (&servers.unavailable, g_free);
  g_clear_pointer (&servers.wrong_password, g_free);
  return stopped;
}

goffset
real_servers_log_size (const char *key)
{
  GStatBuf st;

  if (g_stat (real_servers_value (key), &st) != 0)
    return 0;
  return st.st_size;
}

char *
real_servers_log_since (const char *key,
                        goffset     offset)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (real_servers_value (key), &contents, &length, NULL))
    return g_strdup ("");
  if ((gsize)offset > length)
    offset = 0;
  return g_strdup (contents + offset);
}

/* Servers write their logs asynchronously; waits a little for the line that shows the
 * connection ended, and returns the log text written since @offset. */
char *
real_servers_wait_for_log (const char *key,
                           goffset     offset,
                           const char *needle)
{
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *text = real_servers_log_since (key, offset);

      if (strstr (text, needle) != NULL)
        return g_steal_pointer (&text);
      g_usleep (50 * 1000);
    }
  return real_servers_log_since (key, offset);
}

/* Like real_servers_wait_for_log(), until @needle appears @count times; then a moment
 * more, so that lines of the same run written just after are included too. */
char *
real_servers_wait_for_log_count (const char *key,
                                 goffset     offset,
                                 const char *needle,
                                 guint       count)
{
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *text = real_servers_log_since (key, offset);

      if (real_servers_count (text, needle) >= count)
        break;
      g_usleep (50 * 1000);
    }
  g_usleep (200 * 1000);
  return real_servers_log_since (key, offset);
}

guint
real_servers_count (const char *haystack,
                    const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* ------------------------------------------------------------------------------------------ */
/* Secrets */

/* Base64 of a longer message that contains @data somewhere (SASL PLAIN's
 * "authzid NUL user NUL password", LOGIN's password alone, anything else) contains one of
 * three strings, one for each position of @data within the 3-byte groups: the characters
 * that only @data's bits decide. Searching for these finds the password whatever was
 * encoded around it. */
static void
add_base64_forms (GPtrArray    *forms,
                  const guchar *data,
                  gsize         length)
{
  for (gsize shift = 0; shift < 3; shift++)
    {
      g_autofree guchar *buffer = g_malloc0 (shift + length);
      g_autofree char *encoded = NULL;
      gsize first = (shift * 8 + 5) / 6;         /* characters that mix in bits before @data */
      gsize end = ((shift + length) * 8) / 6;    /* characters made only of bits up to its end */

      memcpy (buffer + shift, data, length);
      encoded = g_base64_encode (buffer, shift + length);
      g_assert_cmpuint (end, >, first + 8);
      g_ptr_array_add (forms, g_strndup (encoded + first, end - first));
    }
}

/* The forms a leaked password could take: clear text, and base64 at any position of a
 * longer message, as SASL PLAIN and LOGIN send it. */
static GPtrArray *
secret_forms (const char *password)
{
  GPtrArray *forms = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (forms, g_strdup (password));
  add_base64_forms (forms, (const guchar *)password, strlen (password));
  return forms;
}

/* Where in @text the password appears in any of its forms (-1: nowhere); @form says which. */
gssize
real_servers_find_secret (const char  *text,
                          const char  *password,
                          const char **form)
{
  g_autoptr(GPtrArray) forms = secret_forms (password);

  for (guint i = 0; i < forms->len; i++)
    {
      const char *found = strstr (text, g_ptr_array_index (forms, i));

      if (found != NULL)
        {
          if (form != NULL)
            *form = i == 0 ? "clear text" : "base64";
          return found - text;
        }
    }
  return -1;
}

/* Never prints the text it searched: that would put the password into the test log. */
void
real_servers_assert_no_secret (const char *what,
                               const char *text,
                               const char *password)
{
  const char *form = NULL;
  gssize offset = real_servers_find_secret (text, password, &form);

  if (offset >= 0)
    {
      g_autofree char *message = g_strdup_printf ("The password (%s) appears in %s at offset %"
                                                  G_GSSIZE_FORMAT, form, what, offset);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* A test program's main() */

static gboolean listing_only;

void
real_servers_test_init (int    *argc,
                        char ***argv)
{
  /* g_test_init() takes -l out of argv: look first. */
  for (int i = 1; i < *argc; i++)
    listing_only |= g_str_equal ((*argv)[i], "-l");
  g_test_init (argc, argv, NULL);
}

int
real_servers_run_tests (const char * const *harness_env)
{
  int status;

  if (!listing_only)
    real_servers_start_with (harness_env);

  status = g_test_run ();

  /* After a failure the files and logs stay for a look; stop says where. */
  if (!real_servers_stop (status != 0))
    status = 1;
  return status;
}
