/* test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-util"

#include "config.h"

#include <string.h>

#include "test-util.h"
#include "mc-report.h"

McSettings *
mc_test_settings_new (McProtocol protocol,
                      McSecurity security,
                      guint16    port)
{
  McSettings *settings = mc_settings_new (protocol);
  g_autofree char *ca_file = fake_certificate_path ("ca.pem");

  mc_settings_set_host (settings, "127.0.0.1");
  mc_settings_set_port (settings, port);
  mc_settings_set_security (settings, security);
  mc_settings_set_user (settings, FAKE_USER);
  mc_settings_set_password (settings, FAKE_PASSWORD);
  mc_settings_set_timeout (settings, MC_TEST_TIMEOUT);
  mc_settings_set_ca_file (settings, ca_file);
  return settings;
}

typedef struct
{
  McResult *result;
  GError   *error;
  gboolean  done;
} RunData;

static void
run_done (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  RunData *data = user_data;

  data->result = mc_check_run_finish (MC_CHECK (source), res, &data->error);
  data->done = TRUE;
}

McResult *
mc_test_run (McSettings    *settings,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(McCheck) check = mc_check_new (settings);
  RunData data = { NULL, NULL, FALSE };

  mc_check_run_async (check, cancellable, run_done, &data);
  while (!data.done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  if (data.error != NULL)
    g_propagate_error (error, data.error);
  return data.result;
}

McResult *
mc_test_run_server_with (FakeServer *server,
                         McSettings *settings)
{
  g_autoptr(GError) error = NULL;
  McResult *result;

  mc_settings_set_port (settings, fake_server_start (server));
  result = mc_test_run (settings, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
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
mc_test_find_advice (McResult   *result,
                     const char *code)
{
  for (guint i = 0; i < result->advice->len; i++)
    {
      McAdvice *advice = g_ptr_array_index (result->advice, i);

      if (g_strcmp0 (advice->code, code) == 0)
        return advice;
    }
  return NULL;
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

/* Resolver ---------------------------------------------------------------- */

#define MC_TYPE_TEST_RESOLVER (mc_test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (McTestResolver, mc_test_resolver, MC, TEST_RESOLVER, GResolver)

struct _McTestResolver
{
  GResolver parent_instance;
};

G_DEFINE_FINAL_TYPE (McTestResolver, mc_test_resolver, G_TYPE_RESOLVER)

static GMutex lookups_mutex;
static GString *lookups;

char *
mc_test_resolver_take_lookups (void)
{
  char *text;

  g_mutex_lock (&lookups_mutex);
  text = g_strdup (lookups ? lookups->str : "");
  if (lookups != NULL)
    g_string_truncate (lookups, 0);
  g_mutex_unlock (&lookups_mutex);
  return text;
}

static void
note_lookup (const char *hostname)
{
  g_mutex_lock (&lookups_mutex);
  if (lookups == NULL)
    lookups = g_string_new (NULL);
  g_string_append_printf (lookups, "%s%s", lookups->len ? " " : "", hostname);
  g_mutex_unlock (&lookups_mutex);
}

static GList *
resolve (const char                *hostname,
         GResolverNameLookupFlags   flags,
         GError                   **error)
{
  note_lookup (hostname);
  if ((g_ascii_strcasecmp (hostname, "mail.test") == 0 || g_ascii_strcasecmp (hostname, "other.test") == 0) &&
      !(flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY))
    return g_list_prepend (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));

  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
               "Test resolver: “%s” does not exist", hostname);
  return NULL;
}

static GList *
resolver_lookup_with_flags (GResolver                 *resolver,
                            const char                *hostname,
                            GResolverNameLookupFlags   flags,
                            GCancellable              *cancellable,
                            GError                   **error)
{
  return resolve (hostname, flags, error);
}

static GList *
resolver_lookup (GResolver     *resolver,
                 const char    *hostname,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return resolve (hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT, error);
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
  GList *addresses;

  if (g_ascii_strcasecmp (hostname, "stall.test") == 0)
    {
      note_lookup (hostname);
      /* Never answers; only cancelling ends the lookup. */
      g_task_set_check_cancellable (task, FALSE);
      if (cancellable != NULL)
        g_cancellable_connect (cancellable, G_CALLBACK (stalled_lookup_cancelled),
                               g_object_ref (task), g_object_unref);
      return;
    }

  addresses = resolve (hostname, flags, &error);
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
mc_test_resolver_class_init (McTestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

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
}

void
mc_test_install_resolver (void)
{
  g_autoptr(GResolver) resolver = g_object_new (MC_TYPE_TEST_RESOLVER, NULL);

  g_resolver_set_default (resolver);
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
