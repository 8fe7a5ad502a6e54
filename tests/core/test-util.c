/* test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-util"

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "test-util.h"
#include "mc-report.h"

McSettings *
mc_test_settings_for (McProtocol  protocol,
                      const char *host,
                      guint16     port,
                      McSecurity  security)
{
  McSettings *settings = mc_settings_new (protocol);

  mc_settings_set_host (settings, host);
  mc_settings_set_port (settings, port);
  mc_settings_set_security (settings, security);
  return settings;
}

McSettings *
mc_test_settings_new (McProtocol protocol,
                      McSecurity security,
                      guint16    port)
{
  McSettings *settings = mc_test_settings_for (protocol, "127.0.0.1", port, security);
  g_autofree char *ca_file = fake_certificate_path ("ca.pem");

  mc_settings_set_user (settings, FAKE_USER);
  mc_settings_set_password (settings, FAKE_PASSWORD);
  mc_settings_set_timeout (settings, MC_TEST_TIMEOUT);
  mc_settings_set_ca_file (settings, ca_file);
  return settings;
}

McResult *
mc_test_run (McSettings    *settings,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(McCheck) check = mc_check_new (settings);

  return mc_test_check_run (check, cancellable, error);
}

McResult *
mc_test_run_server_with (FakeServer *server,
                         McSettings *settings)
{
  McResult *result;

  mc_settings_set_port (settings, fake_server_start (server));
  result = mc_test_run_timed (settings, NULL, NULL);
  fake_server_finish (server);
  return result;
}

McResult *
mc_test_run_server (FakeServer *server,
                    McProtocol  protocol,
                    McSecurity  security)
{
  g_autoptr(McSettings) settings = mc_test_settings_new (protocol, security, 0);

  return mc_test_run_server_with (server, settings);
}

/* The last step with @id: CAPABILITIES appears twice around a STARTTLS. */
McStep *
mc_test_find_step (McResult *result,
                   McStepId  id)
{
  for (guint i = result->steps->len; i > 0; i--)
    {
      McStep *step = g_ptr_array_index (result->steps, i - 1);

      if (step->id == id)
        return step;
    }
  return NULL;
}

McAdvice *
mc_test_find_advice_in (GPtrArray  *advice,
                        const char *code)
{
  for (guint i = 0; i < advice->len; i++)
    {
      McAdvice *item = g_ptr_array_index (advice, i);

      if (g_strcmp0 (item->code, code) == 0)
        return item;
    }
  return NULL;
}

McAdvice *
mc_test_find_advice (McResult   *result,
                     const char *code)
{
  return mc_test_find_advice_in (result->advice, code);
}

char *
mc_test_transcript_text (McResult *result)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < result->transcript->len; i++)
    {
      McTranscriptLine *line = g_ptr_array_index (result->transcript, i);

      g_string_append_printf (out, "%c%s %s\n", line->direction, line->encrypted ? "" : " [plain]",
                              line->text);
    }
  return g_string_free (out, FALSE);
}

void
mc_test_print_result (McResult *result)
{
  g_autofree char *text = mc_report_to_text (result, TRUE);

  g_test_message ("%s", text);
}

char *
mc_test_base64 (const char *text)
{
  return g_base64_encode ((const guchar *)text, strlen (text));
}

char *
mc_test_sasl_plain (const char *user,
                    const char *password)
{
  gsize user_len = strlen (user);
  gsize password_len = strlen (password);
  g_autofree guchar *raw = g_malloc0 (user_len + password_len + 2);

  memcpy (raw + 1, user, user_len);
  memcpy (raw + 2 + user_len, password, password_len);
  return g_base64_encode (raw, user_len + password_len + 2);
}

static void
fail (McResult   *result,
      const char *file,
      int         line,
      const char *func,
      char       *message)
{
  mc_test_print_result (result);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
  g_free (message);
}

void
mc_test_assert_verdict_impl (McResult   *result,
                             McVerdict   verdict,
                             const char *file,
                             int         line,
                             const char *func)
{
  if (result->verdict != verdict)
    fail (result, file, line, func,
          g_strdup_printf ("verdict is “%s”, expected “%s”",
                           mc_verdict_to_string (result->verdict), mc_verdict_to_string (verdict)));
}

void
mc_test_assert_step_impl (McResult     *result,
                          McStepId      id,
                          McStepStatus  status,
                          const char   *file,
                          int           line,
                          const char   *func)
{
  McStep *step = mc_test_find_step (result, id);

  if (step == NULL)
    fail (result, file, line, func,
          g_strdup_printf ("no step “%s”", mc_step_id_to_string (id)));
  else if (step->status != status)
    fail (result, file, line, func,
          g_strdup_printf ("step “%s” is “%s”, expected “%s”", mc_step_id_to_string (id),
                           mc_step_status_to_string (step->status), mc_step_status_to_string (status)));
}

void
mc_test_assert_advice_impl (McResult   *result,
                            const char *code,
                            gboolean    present,
                            const char *file,
                            int         line,
                            const char *func)
{
  if (mc_result_has_advice (result, code) != present)
    fail (result, file, line, func,
          g_strdup_printf (present ? "advice “%s” missing" : "unexpected advice “%s”", code));
}

void
mc_test_assert_mentions_impl (const char *text,
                              const char *word,
                              const char *file,
                              int         line,
                              const char *func)
{
  g_autofree char *folded_text = text ? g_utf8_casefold (text, -1) : NULL;
  g_autofree char *folded_word = g_utf8_casefold (word, -1);

  if (folded_text == NULL || strstr (folded_text, folded_word) == NULL)
    {
      g_autofree char *message = g_strdup_printf ("“%s” does not mention “%s”", text ? text : "(null)", word);

      g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
    }
}

static void
assert_text_clean (McResult   *result,
                   const char *what,
                   const char *text,
                   const char *password,
                   const char *file,
                   int         line,
                   const char *func)
{
  g_autofree char *b64 = mc_test_base64 (password);
  g_autofree char *plain = mc_test_sasl_plain (result->user ? result->user : "", password);

  if (text == NULL)
    return;
  if (strstr (text, password) != NULL)
    fail (result, file, line, func, g_strdup_printf ("the password appears in the %s", what));
  if (strstr (text, b64) != NULL)
    fail (result, file, line, func, g_strdup_printf ("the base64 password appears in the %s", what));
  if (strstr (text, plain) != NULL)
    fail (result, file, line, func, g_strdup_printf ("a SASL PLAIN response appears in the %s", what));
}

void
mc_test_assert_no_secret_impl (McResult   *result,
                               const char *password,
                               const char *file,
                               int         line,
                               const char *func)
{
  g_autofree char *text = mc_report_to_text (result, TRUE);
  g_autofree char *json = mc_report_to_json (result);
  g_autofree char *transcript = mc_test_transcript_text (result);

  assert_text_clean (result, "text report", text, password, file, line, func);
  assert_text_clean (result, "JSON report", json, password, file, line, func);
  assert_text_clean (result, "transcript", transcript, password, file, line, func);
  for (guint i = 0; i < result->steps->len; i++)
    {
      McStep *step = g_ptr_array_index (result->steps, i);

      assert_text_clean (result, "step summary", step->summary, password, file, line, func);
      assert_text_clean (result, "step server text", step->server, password, file, line, func);
    }
  for (guint i = 0; i < result->advice->len; i++)
    {
      McAdvice *advice = g_ptr_array_index (result->advice, i);

      assert_text_clean (result, "advice", advice->text, password, file, line, func);
    }
}

void
mc_test_assert_display_safe (const char *text)
{
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p; p++)
    g_assert_true ((guchar)*p >= 0x20 && *p != 0x7f);
}

void
mc_test_assert_received_display_safe (McReceivedReport *report)
{
  for (guint i = 0; i < mc_received_report_get_n_hops (report); i++)
    {
      const McReceivedHop *hop = mc_received_report_get_hop (report, i);
      g_autofree char *description = mc_received_hop_describe (hop);

      mc_test_assert_display_safe (mc_received_hop_get_from (hop));
      mc_test_assert_display_safe (mc_received_hop_get_from_host (hop));
      mc_test_assert_display_safe (mc_received_hop_get_from_address (hop));
      mc_test_assert_display_safe (mc_received_hop_get_by (hop));
      mc_test_assert_display_safe (mc_received_hop_get_with (hop));
      mc_test_assert_display_safe (mc_received_hop_get_id (hop));
      mc_test_assert_display_safe (mc_received_hop_get_for (hop));
      mc_test_assert_display_safe (mc_received_hop_get_date_text (hop));
      mc_test_assert_display_safe (mc_received_hop_get_tls_version (hop));
      mc_test_assert_display_safe (mc_received_hop_get_tls_cipher (hop));
      mc_test_assert_display_safe (description);
    }
  mc_test_assert_display_safe (mc_received_report_get_summary (report));
}

/* A listener whose accept queue is full: the kernel drops further SYNs, so a
 * connect to it hangs like one to a black-holed address. NULL where a full queue
 * does not make connect() hang (or there is no such loopback address). */
GSocket *
mc_test_black_hole_new (GSocketFamily  family,
                guint16        port,
                GPtrArray     *fillers)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (family);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocket) listener = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);

  if (listener == NULL || !g_socket_bind (listener, address, TRUE, NULL))
    return NULL;
  g_socket_set_listen_backlog (listener, 0);
  g_socket_listen (listener, NULL);
  local = g_socket_get_local_address (listener, NULL);

  /* Connect until one does not complete: from then on the queue is full. */
  while (fillers->len < 16)
    {
      GSocket *attempt = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
      gboolean completed;

      g_ptr_array_add (fillers, attempt);
      g_socket_set_blocking (attempt, FALSE);
      g_socket_connect (attempt, local, NULL, NULL);
      completed = g_socket_condition_timed_wait (attempt, G_IO_OUT, 200 * 1000, NULL, NULL) &&
                  g_socket_check_connect_result (attempt, NULL);
      if (!completed)
        return g_steal_pointer (&listener);
    }
  return NULL;
}

guint16
mc_test_closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  g_socket_close (socket, NULL);
  return port;
}

/* Programs ---------------------------------------------------------------- */

void
mc_test_process_clear (McTestProcess *process)
{
  g_clear_pointer (&process->out, g_free);
  g_clear_pointer (&process->err, g_free);
  g_clear_object (&process->parser);
}

void
mc_test_spawn (McTestProcess      *process,
               const char         *program,
               const char * const *args,
               const char         *input)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer)program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  child = g_subprocess_newv ((const char * const *)argv->pdata,
                             G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                             G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, input ? input : "", NULL, &process->out, &process->err, &error);
  g_assert_no_error (error);
  process->status = g_subprocess_get_exit_status (child);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", process->status, process->out, process->err);
}

JsonObject *
mc_test_process_json (McTestProcess *process)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&process->parser);
  process->parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (process->parser, process->out, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (process->parser)));
  return json_node_get_object (json_parser_get_root (process->parser));
}

/* The first element of @root's array @array whose string @member is @value. */
static JsonObject *
json_find (JsonObject *root,
           const char *array,
           const char *member,
           const char *value)
{
  JsonArray *items = json_object_get_array_member (root, array);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (item, member), value))
        return item;
    }
  return NULL;
}

gboolean
mc_test_json_has_advice (JsonObject *root,
                         const char *code)
{
  return json_find (root, "advice", "code", code) != NULL;
}

const char *
mc_test_json_step_status (JsonObject *root,
                          const char *id)
{
  JsonObject *step = json_find (root, "steps", "id", id);

  return step != NULL ? json_object_get_string_member (step, "status") : NULL;
}

/* Data files -------------------------------------------------------------- */

GHashTable *
mc_test_read_ini_files (const char *folder)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "data", folder, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      char *data = NULL;
      gsize length;

      if (!g_str_has_suffix (name, ".ini"))
        continue;
      g_assert_true (g_file_get_contents (path, &data, &length, NULL));
      g_hash_table_insert (files, g_strdup (name), g_bytes_new_take (data, length));
    }
  return files;
}

/* Languages --------------------------------------------------------------- */

void
mc_test_init_with_catalogue (int    *argc,
                             char ***argv)
{
  const char *localedir = g_getenv ("MC_LOCALEDIR");

  g_test_init (argc, argv, NULL);

  /* The catalogue meson just built, not an installed one. */
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}

void
mc_test_use_language (const char *language)
{
  /* LANGUAGE only counts when LC_MESSAGES is not "C". A setlocale() that
   * changes the locale makes gettext forget what it looked up before; one to
   * the locale already set does not, hence the detour through "C". */
  g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_ALL, "C");
  setlocale (LC_ALL, "C.UTF-8");
}

/* Certificates issued at run time --------------------------------------- */

static char *issued_dir;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
remove_issued_certificates (void)
{
  if (issued_dir != NULL)
    remove_tree (issued_dir);
  g_clear_pointer (&issued_dir, g_free);
}

/* Tried once: a test program issues one set, and openssl is slow enough that
 * the tests needing it must not each pay for it. */
const char *
mc_test_issue_certificates (const char *script,
                            const char *dir_template)
{
  static gboolean tried;
  static gboolean made;

  if (!tried)
    {
      g_autofree char *openssl = g_find_program_in_path ("openssl");
      g_autofree char *certs = g_test_build_filename (G_TEST_DIST, "certs", NULL);
      g_autoptr(GError) error = NULL;
      int status = -1;

      tried = TRUE;
      if (openssl != NULL)
        {
          const char *argv[] = { "/bin/sh", "-c", script, "sh", NULL, certs, NULL };

          issued_dir = g_dir_make_tmp (dir_template, &error);
          g_assert_no_error (error);
          argv[4] = issued_dir;
          g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                        &error);
          g_assert_no_error (error);
          made = g_spawn_check_wait_status (status, NULL);
          if (made)
            fake_certificate_set_extra_dir (issued_dir);
          atexit (remove_issued_certificates);
        }
    }
  if (!made)
    g_test_skip ("openssl is needed to issue certificates at run time (Debian: apt-get install openssl)");
  return made ? issued_dir : NULL;
}

/* Resolver ---------------------------------------------------------------- */

struct _McTestResolver
{
  GResolver   parent_instance;
  GHashTable *names;      /* lower-case name or "*.suffix" -> GStrv of addresses */
};

G_DEFINE_FINAL_TYPE (McTestResolver, mc_test_resolver, G_TYPE_RESOLVER)

/* One lock for every resolver's table and the lookups: the engine asks from
 * its own threads. */
static GMutex resolver_mutex;
static GString *lookups;

char *
mc_test_resolver_take_lookups (void)
{
  char *text;

  g_mutex_lock (&resolver_mutex);
  text = g_strdup (lookups ? lookups->str : "");
  if (lookups != NULL)
    g_string_truncate (lookups, 0);
  g_mutex_unlock (&resolver_mutex);
  return text;
}

/* The addresses of @hostname, its own or those of the nearest "*.suffix";
 * NULL for a name the table does not have. Called with the lock held. */
static GStrv
table_lookup (McTestResolver *self,
              const char     *hostname)
{
  g_autofree char *key = g_ascii_strdown (hostname, -1);
  GStrv addresses = g_hash_table_lookup (self->names, key);

  for (const char *dot = strchr (key, '.'); addresses == NULL && dot != NULL; dot = strchr (dot + 1, '.'))
    {
      g_autofree char *wildcard = g_strconcat ("*", dot, NULL);

      addresses = g_hash_table_lookup (self->names, wildcard);
    }
  return addresses;
}

/* Whether @hostname was added without addresses. */
static gboolean
name_stalls (McTestResolver *self,
             const char     *hostname)
{
  GStrv addresses;

  g_mutex_lock (&resolver_mutex);
  addresses = table_lookup (self, hostname);
  g_mutex_unlock (&resolver_mutex);
  return addresses != NULL && addresses[0] == NULL;
}

/* Notes the lookup. */
static GList *
resolve (McTestResolver            *self,
         const char                *hostname,
         GResolverNameLookupFlags   flags,
         GError                   **error)
{
  GList *list = NULL;
  GStrv addresses;

  g_mutex_lock (&resolver_mutex);
  if (lookups == NULL)
    lookups = g_string_new (NULL);
  g_string_append_printf (lookups, "%s%s", lookups->len ? " " : "", hostname);
  addresses = table_lookup (self, hostname);
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      GInetAddress *address = g_inet_address_new_from_string (addresses[i]);
      gboolean v6 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;

      if ((v6 && (flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY)) ||
          (!v6 && (flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY)))
        g_object_unref (address);
      else
        list = g_list_append (list, address);
    }
  g_mutex_unlock (&resolver_mutex);

  if (list == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                 "Test resolver: “%s” has no such address", hostname);
  return list;
}

static GList *
resolver_lookup_with_flags (GResolver                 *resolver,
                            const char                *hostname,
                            GResolverNameLookupFlags   flags,
                            GCancellable              *cancellable,
                            GError                   **error)
{
  return resolve (MC_TEST_RESOLVER (resolver), hostname, flags, error);
}

static GList *
resolver_lookup (GResolver     *resolver,
                 const char    *hostname,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return resolve (MC_TEST_RESOLVER (resolver), hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT, error);
}

static void
stalled_lookup_cancelled (GCancellable *cancellable,
                          gpointer      data)
{
  GTask *task = data;

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Lookup cancelled");
}

static void
resolver_lookup_with_flags_async (GResolver                *resolver,
                                  const char               *hostname,
                                  GResolverNameLookupFlags  flags,
                                  GCancellable             *cancellable,
                                  GAsyncReadyCallback       callback,
                                  gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses = resolve (MC_TEST_RESOLVER (resolver), hostname, flags, &error);

  if (addresses == NULL && name_stalls (MC_TEST_RESOLVER (resolver), hostname))
    {
      /* Never answers; only cancelling ends the lookup. */
      g_clear_error (&error);
      g_task_set_check_cancellable (task, FALSE);
      if (cancellable != NULL)
        g_cancellable_connect (cancellable, G_CALLBACK (stalled_lookup_cancelled),
                               g_object_ref (task), g_object_unref);
      return;
    }

  if (addresses == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, addresses, (GDestroyNotify)g_resolver_free_addresses);
}

static GList *
resolver_lookup_with_flags_finish (GResolver     *resolver,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
resolver_lookup_async (GResolver           *resolver,
                       const char          *hostname,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  resolver_lookup_with_flags_async (resolver, hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                    cancellable, callback, user_data);
}

static void
mc_test_resolver_finalize (GObject *object)
{
  g_hash_table_unref (MC_TEST_RESOLVER (object)->names);
  G_OBJECT_CLASS (mc_test_resolver_parent_class)->finalize (object);
}

static void
mc_test_resolver_class_init (McTestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = mc_test_resolver_finalize;
  resolver_class->lookup_by_name = resolver_lookup;
  resolver_class->lookup_by_name_async = resolver_lookup_async;
  resolver_class->lookup_by_name_finish = resolver_lookup_with_flags_finish;
  resolver_class->lookup_by_name_with_flags = resolver_lookup_with_flags;
  resolver_class->lookup_by_name_with_flags_async = resolver_lookup_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = resolver_lookup_with_flags_finish;
}

static void
mc_test_resolver_init (McTestResolver *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_strfreev);
}

McTestResolver *
mc_test_resolver_new (void)
{
  return g_object_new (MC_TYPE_TEST_RESOLVER, NULL);
}

void
mc_test_resolver_add (McTestResolver     *self,
                      const char         *name,
                      const char * const *addresses)
{
  /* An empty list, not NULL, in the table: the name is known and stalls. */
  GStrv copy = addresses != NULL ? g_strdupv ((char **)addresses) : g_new0 (char *, 1);

  g_mutex_lock (&resolver_mutex);
  g_hash_table_insert (self->names, g_ascii_strdown (name, -1), copy);
  g_mutex_unlock (&resolver_mutex);
}

void
mc_test_resolver_map (const char         *name,
                      const char * const *addresses)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  g_assert_true (MC_IS_TEST_RESOLVER (resolver));
  mc_test_resolver_add (MC_TEST_RESOLVER (resolver), name, addresses);
}

void
mc_test_install_resolver (void)
{
  g_autoptr(McTestResolver) resolver = mc_test_resolver_new ();
  const char * const loopback[] = { "127.0.0.1", NULL };

  mc_test_resolver_add (resolver, "mail.test", loopback);
  mc_test_resolver_add (resolver, "other.test", loopback);
  mc_test_resolver_add (resolver, "stall.test", NULL);
  g_resolver_set_default (G_RESOLVER (resolver));
}

/* Release ----------------------------------------------------------------- */

static void
keep_async_result (GObject      *source,
                   GAsyncResult *res,
                   gpointer      data)
{
  *(GAsyncResult **)data = g_object_ref (res);
}

McResult *
mc_test_check_run (McCheck       *check,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  mc_check_run_async (check, cancellable, keep_async_result, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  return mc_check_run_finish (check, res, error);
}

void
mc_test_assert_released (McCheck  *check,
                         McResult *result)
{
  McSettings *settings = g_object_ref (mc_check_get_settings (check));
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  /* The check's thread lets go of the task, and with it of the session, just
   * after the result was handed over. */
  while (g_atomic_int_get (&G_OBJECT (check)->ref_count) > 1 && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_finalize_object (check);
  g_assert_finalize_object (settings);
  if (result != NULL)
    g_assert_true (g_atomic_ref_count_compare (&result->ref_count, 1));
}

McResult *
mc_test_run_released (McSettings    *settings,
                      GCancellable  *cancellable,
                      GError       **error)
{
  McCheck *check = mc_check_new (settings);
  McResult *result = mc_test_check_run (check, cancellable, error);

  mc_test_assert_released (check, result);
  return result;
}

McResult *
mc_test_run_timed (McSettings      *settings,
                   GNetworkMonitor *monitor,
                   gint64          *ms)
{
  g_autoptr(GError) error = NULL;
  McCheck *check = mc_check_new (settings);
  gint64 start = g_get_monotonic_time ();
  McResult *result;

  mc_check_set_network_monitor (check, monitor);
  result = mc_test_check_run (check, NULL, &error);
  mc_test_assert_released (check, result);
  if (ms != NULL)
    *ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}
