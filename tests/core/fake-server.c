/* fake-server.c: scripts, configuration, records and oracles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-server"

#include "config.h"

#include <string.h>

#include "fake-server-private.h"

/* Actions ----------------------------------------------------------------- */

static FakeAction *
action_new (ActionKind  kind,
            const char *text)
{
  FakeAction *action = g_new0 (FakeAction, 1);

  action->kind = kind;
  action->text = g_strdup (text);
  return action;
}

static void
action_free (gpointer data)
{
  FakeAction *action = data;

  g_free (action->text);
  g_free (action->match_reply);
  g_free (action->other_reply);
  g_clear_pointer (&action->bytes, g_bytes_unref);
  g_free (action);
}

FakeAction *
fake_send (const char *text)
{
  return action_new (ACTION_SEND, text);
}

/* Sent as they are, NUL bytes included, in one write. */
FakeAction *
fake_send_bytes (const void *data,
                 gsize       len)
{
  FakeAction *action = action_new (ACTION_SEND_BYTES, NULL);

  action->bytes = g_bytes_new (data, len);
  return action;
}

FakeAction *
fake_send_lines (const char *first_line,
                 ...)
{
  GString *text = g_string_new (NULL);
  va_list args;

  va_start (args, first_line);
  for (const char *line = first_line; line != NULL; line = va_arg (args, const char *))
    g_string_append_printf (text, "%s\r\n", line);
  va_end (args);

  {
    FakeAction *action = action_new (ACTION_SEND, text->str);

    g_string_free (text, TRUE);
    return action;
  }
}

FakeAction *
fake_send_greeting (void)
{
  return action_new (ACTION_SEND_GREETING, NULL);
}

FakeAction *
fake_send_caps (void)
{
  return action_new (ACTION_SEND_CAPS, NULL);
}

FakeAction *
fake_expect (const char *prefix)
{
  return action_new (ACTION_EXPECT, prefix);
}

FakeAction *
fake_reply_if (const char *prefix,
               const char *reply_if_match,
               const char *reply_otherwise)
{
  FakeAction *action = action_new (ACTION_REPLY_IF, prefix);

  action->match_reply = g_strdup (reply_if_match);
  action->other_reply = g_strdup (reply_otherwise);
  return action;
}

FakeAction *
fake_start_tls (const char *certificate)
{
  return action_new (ACTION_START_TLS, certificate);
}

FakeAction *
fake_sleep (guint ms)
{
  FakeAction *action = action_new (ACTION_SLEEP, NULL);

  action->ms = ms;
  return action;
}

FakeAction *
fake_close (void)
{
  return action_new (ACTION_CLOSE, NULL);
}

FakeAction *
fake_stall (void)
{
  return action_new (ACTION_STALL, NULL);
}

FakeAction *
fake_drip (const char *text,
           guint       interval_ms)
{
  FakeAction *action = action_new (ACTION_DRIP, text);

  action->ms = interval_ms;
  return action;
}

/* Configuration ----------------------------------------------------------- */

static void
rule_free (gpointer data)
{
  Rule *rule = data;

  g_free (rule->prefix);
  g_ptr_array_unref (rule->actions);
  g_free (rule);
}

static void
command_free (gpointer data)
{
  Command *command = data;

  g_free (command->line);
  g_free (command);
}

FakeServer *
fake_server_new (FakeProtocol protocol)
{
  FakeServer *server = g_new0 (FakeServer, 1);

  server->protocol = protocol;
  server->tagged = protocol == FAKE_PROTOCOL_IMAP;
  server->on_connect = g_ptr_array_new_with_free_func (action_free);
  server->rules = g_ptr_array_new_with_free_func (rule_free);
  server->cancellable = g_cancellable_new ();
  server->received[0] = g_byte_array_new ();
  server->received[1] = g_byte_array_new ();
  server->commands = g_ptr_array_new_with_free_func (command_free);
  server->handlers = g_ptr_array_new ();
  server->script_error = g_string_new (NULL);
  g_mutex_init (&server->mutex);
  g_cond_init (&server->cond);
  return server;
}

void
fake_server_free (FakeServer *server)
{
  if (server == NULL)
    return;

  if (server->started)
    fake_server_finish (server);

  g_clear_object (&server->listener);
  g_clear_object (&server->cancellable);
  g_free (server->greeting);
  g_free (server->caps[0]);
  g_free (server->caps[1]);
  g_free (server->default_reply);
  g_ptr_array_unref (server->on_connect);
  g_ptr_array_unref (server->rules);
  g_byte_array_unref (server->received[0]);
  g_byte_array_unref (server->received[1]);
  g_ptr_array_unref (server->commands);
  g_ptr_array_unref (server->handlers);
  g_string_free (server->script_error, TRUE);
  g_free (server->handshake_error);
  g_mutex_clear (&server->mutex);
  g_cond_clear (&server->cond);
  g_free (server);
}

static void
append_actions (GPtrArray  *target,
                FakeAction *first,
                va_list     args)
{
  for (FakeAction *action = first; action != NULL; action = va_arg (args, FakeAction *))
    g_ptr_array_add (target, action);
}

void
fake_server_on_connect (FakeServer *server,
                        FakeAction *first,
                        ...)
{
  va_list args;

  g_return_if_fail (!server->started);

  va_start (args, first);
  append_actions (server->on_connect, first, args);
  va_end (args);
}

void
fake_server_clear_on_connect (FakeServer *server)
{
  g_return_if_fail (!server->started);
  g_ptr_array_set_size (server->on_connect, 0);
}

void
fake_server_on (FakeServer *server,
                FakePhase   phase,
                const char *prefix,
                FakeAction *first,
                ...)
{
  Rule *rule = g_new0 (Rule, 1);
  va_list args;

  g_return_if_fail (!server->started);

  rule->phase = phase;
  rule->prefix = g_strdup (prefix);
  rule->actions = g_ptr_array_new_with_free_func (action_free);
  va_start (args, first);
  append_actions (rule->actions, first, args);
  va_end (args);

  /* Same phase and prefix: the override replaces the old rule. Otherwise the
   * newest rule wins, so specific overrides can sit beside general ones. */
  for (guint i = 0; i < server->rules->len; i++)
    {
      Rule *old = g_ptr_array_index (server->rules, i);

      if (old->phase == phase && g_ascii_strcasecmp (old->prefix, prefix) == 0)
        {
          g_ptr_array_remove_index (server->rules, i);
          break;
        }
    }
  g_ptr_array_add (server->rules, rule);
}

void
fake_server_set_default_reply (FakeServer *server,
                               const char *reply)
{
  g_free (server->default_reply);
  server->default_reply = g_strdup (reply);
}

void
fake_server_set_greeting (FakeServer *server,
                          const char *greeting)
{
  g_free (server->greeting);
  server->greeting = g_strdup (greeting);
}

void
fake_server_set_caps (FakeServer *server,
                      FakePhase   phase,
                      const char *caps)
{
  if (phase & FAKE_PHASE_PLAIN)
    {
      g_free (server->caps[0]);
      server->caps[0] = g_strdup (caps);
    }
  if (phase & FAKE_PHASE_TLS)
    {
      g_free (server->caps[1]);
      server->caps[1] = g_strdup (caps);
    }
}

void
fake_server_set_tagged (FakeServer *server,
                        gboolean    tagged)
{
  server->tagged = tagged;
}

/* Certificates a test makes at run time; a name found here wins over tests/certs. */
static char *extra_certificate_dir;

void
fake_certificate_set_extra_dir (const char *dir)
{
  g_free (extra_certificate_dir);
  extra_certificate_dir = g_strdup (dir);
}

char *
fake_certificate_path (const char *name)
{
  if (extra_certificate_dir != NULL)
    {
      char *path = g_build_filename (extra_certificate_dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
  return g_test_build_filename (G_TEST_DIST, "certs", name, NULL);
}

/* Matching ---------------------------------------------------------------- */

static gboolean
match_at (const char *text,
          const char *prefix,
          gsize       len,
          gboolean    exact)
{
  return g_ascii_strncasecmp (text, prefix, len) == 0 && (!exact || text[len] == '\0');
}

gboolean
fake_prefix_matches (const char *line,
                     const char *prefix,
                     gboolean    tagged,
                     gboolean   *after_tag)
{
  gsize len = strlen (prefix);
  gboolean exact = len > 0 && prefix[len - 1] == '$';
  const char *space;

  if (exact)
    len--;

  *after_tag = FALSE;
  if (match_at (line, prefix, len, exact))
    return TRUE;

  space = tagged ? strchr (line, ' ') : NULL;
  if (space != NULL && match_at (space + 1, prefix, len, exact))
    {
      *after_tag = TRUE;
      return TRUE;
    }
  return FALSE;
}

/* Inspection -------------------------------------------------------------- */

static void
ensure_finished (FakeServer *server)
{
  if (!server->finished)
    fake_server_finish (server);
}

guint
fake_server_get_connections (FakeServer *server)
{
  ensure_finished (server);
  return server->connections;
}

GBytes *
fake_server_get_received (FakeServer *server,
                          FakePhase   phase)
{
  GByteArray *out = g_byte_array_new ();

  ensure_finished (server);
  if (phase & FAKE_PHASE_PLAIN)
    g_byte_array_append (out, server->received[0]->data, server->received[0]->len);
  if (phase & FAKE_PHASE_TLS)
    g_byte_array_append (out, server->received[1]->data, server->received[1]->len);
  return g_byte_array_free_to_bytes (out);
}

static guint
count_matching (FakeServer *server,
                FakePhase   phase,
                const char *prefix)
{
  guint count = 0;

  for (guint i = 0; i < server->commands->len; i++)
    {
      Command *command = g_ptr_array_index (server->commands, i);
      gboolean after_tag;

      if ((command->phase & phase) && fake_prefix_matches (command->line, prefix, server->tagged, &after_tag))
        count++;
    }
  return count;
}

guint
fake_server_count_commands (FakeServer *server,
                            FakePhase   phase,
                            const char *prefix)
{
  ensure_finished (server);
  return count_matching (server, phase, prefix);
}

/* The server threads add commands under the mutex; reading under it gives a
 * consistent count at any time, which may have grown by the time it is used. */
guint
fake_server_count_commands_now (FakeServer *server,
                                FakePhase   phase,
                                const char *prefix)
{
  guint count;

  g_mutex_lock (&server->mutex);
  count = count_matching (server, phase, prefix);
  g_mutex_unlock (&server->mutex);
  return count;
}

/* The commands that start a login, one a login: POP3's PASS follows its USER,
 * and a SASL exchange's later lines are no commands of their own. */
guint
fake_server_count_logins_now (FakeServer *server)
{
  static const char *imap[] = { "LOGIN ", "AUTHENTICATE ", NULL };
  static const char *pop3[] = { "USER ", "APOP ", "AUTH ", NULL };
  static const char *smtp[] = { "AUTH ", NULL };
  const char **commands;
  guint count = 0;

  switch (server->protocol)
    {
    case FAKE_PROTOCOL_IMAP:
      commands = imap;
      break;
    case FAKE_PROTOCOL_POP3:
      commands = pop3;
      break;
    case FAKE_PROTOCOL_SMTP:
      commands = smtp;
      break;
    case FAKE_PROTOCOL_NONE:
    default:
      return 0;
    }

  for (guint i = 0; commands[i] != NULL; i++)
    count += fake_server_count_commands_now (server, FAKE_PHASE_ANY, commands[i]);
  return count;
}

static gboolean
bytes_contain (GBytes     *bytes,
               const void *needle,
               gsize       needle_len,
               gboolean    ignore_case)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (needle_len == 0 || needle_len > len)
    return FALSE;

  for (gsize i = 0; i + needle_len <= len; i++)
    {
      gsize j;

      for (j = 0; j < needle_len; j++)
        {
          guint8 a = data[i + j];
          guint8 b = ((const guint8 *)needle)[j];

          if (ignore_case ? g_ascii_tolower (a) != g_ascii_tolower (b) : a != b)
            break;
        }
      if (j == needle_len)
        return TRUE;
    }
  return FALSE;
}

gboolean
fake_server_received_contains (FakeServer *server,
                               FakePhase   phase,
                               const char *needle)
{
  g_autoptr(GBytes) bytes = fake_server_get_received (server, phase);

  return bytes_contain (bytes, needle, strlen (needle), FALSE);
}

gboolean
fake_server_tls_established (FakeServer *server)
{
  ensure_finished (server);
  return server->tls_established;
}

const char *
fake_server_get_handshake_error (FakeServer *server)
{
  ensure_finished (server);
  return server->handshake_error;
}

const char *
fake_server_get_script_error (FakeServer *server)
{
  ensure_finished (server);
  return server->script_error->len > 0 ? server->script_error->str : NULL;
}

static char *
escape_bytes (GByteArray *bytes)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < bytes->len; i++)
    {
      guint8 c = bytes->data[i];

      if (c == '\n')
        g_string_append (out, "\\n\n    ");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20 || c >= 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char)c);
    }
  return g_string_free (out, FALSE);
}

void
fake_server_dump (FakeServer *server)
{
  g_autofree char *plain = NULL;

  ensure_finished (server);
  plain = escape_bytes (server->received[0]);
  g_test_message ("fake server: %u connection(s), TLS %s%s%s, script error: %s",
                  server->connections,
                  server->tls_established ? "established" : "not established",
                  server->handshake_error ? ", server handshake error: " : "",
                  server->handshake_error ? server->handshake_error : "",
                  server->script_error->len ? server->script_error->str : "none");
  g_test_message ("fake server: bytes received outside TLS:\n    %s", plain);
  for (guint i = 0; i < server->commands->len; i++)
    {
      Command *command = g_ptr_array_index (server->commands, i);

      g_test_message ("fake server: %s line: %s",
                      command->phase == FAKE_PHASE_TLS ? "TLS" : "plain", command->line);
    }
}

/* Oracles ----------------------------------------------------------------- */

char *
fake_base64 (const void *data,
             gsize       len)
{
  return g_base64_encode (data, len);
}

char *
fake_sasl_plain (const char *user,
                 const char *password)
{
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  guint8 nul = 0;

  g_byte_array_append (raw, &nul, 1);
  g_byte_array_append (raw, (const guint8 *)user, strlen (user));
  g_byte_array_append (raw, &nul, 1);
  g_byte_array_append (raw, (const guint8 *)password, strlen (password));
  return fake_base64 (raw->data, raw->len);
}

static void
assert_absent (FakeServer *server,
               GBytes     *bytes,
               const char *where,
               const char *what,
               const char *needle,
               gboolean    ignore_case)
{
  if (bytes_contain (bytes, needle, strlen (needle), ignore_case))
    {
      g_autofree char *message = g_strdup_printf ("the server received %s %s", what, where);

      fake_server_dump (server);
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
    }
}

static void
assert_no_secrets (FakeServer *server,
                   GBytes     *bytes,
                   const char *where,
                   const char *user,
                   const char *password)
{
  g_autofree char *b64_password = fake_base64 (password, strlen (password));
  g_autofree char *b64_plain = fake_sasl_plain (user, password);

  assert_absent (server, bytes, where, "the password", password, FALSE);
  assert_absent (server, bytes, where, "the password in base64", b64_password, FALSE);
  assert_absent (server, bytes, where, "a SASL PLAIN response", b64_plain, FALSE);
}

void
fake_server_assert_no_plaintext_credentials (FakeServer *server,
                                             const char *user,
                                             const char *password)
{
  static const char *commands[] = { "LOGIN ", "AUTHENTICATE", "AUTH ", "USER ", "PASS ", "APOP " };
  g_autoptr(GBytes) plain = fake_server_get_received (server, FAKE_PHASE_PLAIN);

  assert_no_secrets (server, plain, "outside TLS", user, password);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *what = g_strdup_printf ("a “%s” command", commands[i]);

      assert_absent (server, plain, "outside TLS", what, commands[i], TRUE);
    }
}

void
fake_server_assert_no_credentials (FakeServer *server,
                                   const char *user,
                                   const char *password)
{
  g_autoptr(GBytes) tls = fake_server_get_received (server, FAKE_PHASE_TLS);

  fake_server_assert_no_plaintext_credentials (server, user, password);
  assert_no_secrets (server, tls, "inside TLS", user, password);
}
