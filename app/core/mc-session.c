/* mc-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-session"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-probe-private.h"
#include "mc-sasl.h"
#include "mc-session-private.h"

/* Shared between the worker and the deadline source on the caller's context, so
 * neither outlives the other's data. */
typedef struct
{
  GCancellable *cancellable;
  gint          hit;
} PhaseGuard;

static void
phase_guard_clear (gpointer data)
{
  PhaseGuard *guard = data;

  g_clear_object (&guard->cancellable);
}

static void
phase_guard_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, phase_guard_clear);
}

static gboolean
deadline_expired (gpointer data)
{
  PhaseGuard *guard = data;

  g_atomic_int_set (&guard->hit, TRUE);
  g_cancellable_cancel (guard->cancellable);
  return G_SOURCE_REMOVE;
}

static PhaseGuard *
guard_of (GCancellable *cancellable)
{
  return g_object_get_data (G_OBJECT (cancellable), "mc-phase-guard");
}

static void
attach_guard (GCancellable *cancellable)
{
  PhaseGuard *guard = g_atomic_rc_box_new0 (PhaseGuard);

  guard->cancellable = g_object_ref (cancellable);
  g_object_set_data_full (G_OBJECT (cancellable), "mc-phase-guard", guard, phase_guard_unref);
}

/* A deadline on the caller's context that cancels @cancellable when it fires. */
static GSource *
deadline_new (McSession    *self,
              GCancellable *cancellable,
              guint         ms,
              const char   *name)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_static_name (source, name);
  g_source_set_callback (source, deadline_expired,
                         g_atomic_rc_box_acquire (guard_of (cancellable)), phase_guard_unref);
  g_source_attach (source, self->caller_context);
  return source;
}

static void
user_cancelled (GCancellable *cancellable,
                gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

/* The forms of the credentials this session may send, for spotting a server
 * line that repeats them: the password itself (case-folded; very short ones
 * are left out, since hiding every line with an "a" in it would hide the
 * whole conversation and protect nothing), its base64 form (SASL LOGIN) and
 * the SASL PLAIN response. Each is wiped when the session ends. */
#define MC_ECHO_MIN_PASSWORD 4

static void
collect_secret_forms (McSession *self)
{
  const char *password = mc_settings_get_password (self->settings);
  const char *user = mc_settings_get_user (self->settings);

  if (password == NULL || password[0] == '\0')
    return;

  if (g_utf8_strlen (password, -1) >= MC_ECHO_MIN_PASSWORD)
    g_ptr_array_add (self->secret_forms, g_utf8_casefold (password, -1));
  g_ptr_array_add (self->secret_forms, mc_sasl_base64 (password));
  if (user != NULL)
    g_ptr_array_add (self->secret_forms, mc_sasl_plain_response (user, password));
}

/* A server may repeat the credentials (in an error text, say). Such a line is
 * hidden as a whole: replacing only the password inside it would tell the
 * reader of a report what the password is ("USER [hidden]@example.de"). */
static gboolean
echoes_credentials (McSession  *self,
                    const char *line)
{
  g_autofree char *folded = NULL;

  if (line == NULL || self->secret_forms->len == 0)
    return FALSE;

  folded = g_utf8_casefold (line, -1);
  for (guint i = 0; i < self->secret_forms->len; i++)
    {
      const char *form = g_ptr_array_index (self->secret_forms, i);

      if (strstr (line, form) != NULL || strstr (folded, form) != NULL)
        return TRUE;
    }
  return FALSE;
}

static const char *
shown_server_line (McSession  *self,
                   const char *line)
{
  return echoes_credentials (self, line) ? MC_SERVER_LINE_HIDDEN : line;
}

McSession *
mc_session_new (McSettings   *settings,
                GMainContext *caller_context,
                GCancellable *cancellable)
{
  McSession *self = g_new0 (McSession, 1);

  self->settings = g_object_ref (settings);
  self->result = mc_result_new ();
  self->caller_context = caller_context ? g_main_context_ref (caller_context) : NULL;

  /* The user's cancellable cancels the check; the check (also cancelled by its
   * overall deadline) cancels the phase; a phase deadline cancels the phase. */
  self->check_cancellable = g_cancellable_new ();
  attach_guard (self->check_cancellable);
  self->phase_cancellable = g_cancellable_new ();
  attach_guard (self->phase_cancellable);
  self->check_cancelled_id = g_cancellable_connect (self->check_cancellable,
                                                    G_CALLBACK (user_cancelled),
                                                    g_object_ref (self->phase_cancellable),
                                                    g_object_unref);

  if (cancellable != NULL)
    {
      self->user_cancellable = g_object_ref (cancellable);
      self->user_cancelled_id = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (user_cancelled),
                                                       g_object_ref (self->check_cancellable),
                                                       g_object_unref);
    }

  self->connectivity = G_NETWORK_CONNECTIVITY_FULL;
  self->caps = g_ptr_array_new_with_free_func (g_free);
  self->secret_forms = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_secret_free);
  collect_secret_forms (self);
  return self;
}

static void
clear_deadline (McSession *self)
{
  if (self->deadline != NULL)
    {
      g_source_destroy (self->deadline);
      g_clear_pointer (&self->deadline, g_source_unref);
    }
}

/* Milliseconds, not seconds: GLib may move second timers by up to a second. */
static void
start_deadline (McSession *self,
                guint      seconds)
{
  clear_deadline (self);
  self->deadline = deadline_new (self, self->phase_cancellable, seconds * 1000, "[mc] phase deadline");
}

/* The login phase waits longer than the others: servers delay a refusal on
 * purpose (Dovecot 2 s, Courier 5 s and more), and a late "wrong password" must
 * still be read rather than end as a timeout. */
guint
mc_session_login_timeout (guint timeout)
{
  return MAX (2 * timeout, timeout + 10);
}

/* The whole check, probes after a failure included, ends within the phase
 * deadlines of every step plus the login's extra time and a margin for the
 * probes: a server that answers each phase just in time cannot hold it longer. */
guint
mc_session_overall_timeout (guint timeout)
{
  return 7 * timeout + mc_session_login_timeout (timeout) + 30;
}

/* Starts the overall deadline, @ms from now (0: mc_session_overall_timeout());
 * once started it stays. */
void
mc_session_start_overall_deadline (McSession *self,
                                   guint      ms)
{
  if (ms == 0)
    ms = mc_session_overall_timeout (mc_settings_get_timeout (self->settings)) * 1000;
  if (self->overall_deadline == NULL)
    {
      self->overall_ms = ms;
      self->overall_deadline = deadline_new (self, self->check_cancellable, ms, "[mc] overall deadline");
    }
}

void
mc_session_free (McSession *self)
{
  if (self == NULL)
    return;

  clear_deadline (self);
  if (self->overall_deadline != NULL)
    {
      g_source_destroy (self->overall_deadline);
      g_clear_pointer (&self->overall_deadline, g_source_unref);
    }
  if (self->user_cancellable != NULL)
    g_cancellable_disconnect (self->user_cancellable, self->user_cancelled_id);
  g_clear_object (&self->user_cancellable);
  g_cancellable_disconnect (self->check_cancellable, self->check_cancelled_id);
  g_clear_object (&self->check_cancellable);
  g_clear_pointer (&self->reader, mc_line_reader_free);
  g_clear_object (&self->tls);
  g_clear_object (&self->stream);
  g_clear_object (&self->connection);
  g_clear_object (&self->phase_cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->result, mc_result_unref);
  g_clear_pointer (&self->caps, g_ptr_array_unref);
  g_clear_pointer (&self->secret_forms, g_ptr_array_unref);
  g_clear_pointer (&self->caller_context, g_main_context_unref);
  g_free (self->local_literal);
  g_free (self->tls_failure);
  g_free (self->tls_alert);
  g_clear_pointer (&self->probe_here, mc_probe_free);
  g_clear_pointer (&self->probe_elsewhere, mc_probe_free);
  g_clear_object (&self->pinned_address);
  g_clear_object (&self->fallback_from);
  if (self->step_data_destroy != NULL)
    self->step_data_destroy (self->step_data);
  g_free (self);
}

/* Step events ------------------------------------------------------------- */

typedef struct
{
  McStepFunc      func;
  gpointer        data;
  McStep         *step;
  guint           index;
} StepEvent;

static gboolean
dispatch_step_event (gpointer user_data)
{
  StepEvent *event = user_data;

  event->func (event->step, event->index, event->data);
  return G_SOURCE_REMOVE;
}

static void
step_event_free (gpointer user_data)
{
  StepEvent *event = user_data;

  mc_step_free (event->step);
  g_free (event);
}

static void
emit_step (McSession *self)
{
  StepEvent *event;

  if (self->step_func == NULL || self->step == NULL)
    return;

  event = g_new0 (StepEvent, 1);
  event->func = self->step_func;
  event->data = self->step_data;
  event->step = mc_step_copy (self->step);
  event->index = self->result->steps->len - 1;

  /* Always through an idle source: g_main_context_invoke() would run the handler
   * right here in the worker whenever it can acquire the caller's context, which
   * puts widget code on the wrong thread and events out of order. Sources of one
   * priority are dispatched in the order they were attached. */
  {
    g_autoptr(GSource) source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_static_name (source, "[mc] step event");
    g_source_set_callback (source, dispatch_step_event, event, step_event_free);
    g_source_attach (source, self->caller_context);
  }
}

void
mc_session_step_begin (McSession *self,
                       McStepId   id)
{
  guint timeout = mc_settings_get_timeout (self->settings);

  self->step = mc_result_add_step (self->result, id);
  self->step_started = g_get_monotonic_time ();
  start_deadline (self, id == MC_STEP_LOGIN ? mc_session_login_timeout (timeout) : timeout);
  emit_step (self);
}

void
mc_session_step_set_server (McSession  *self,
                            const char *server)
{
  g_auto(GStrv) lines = NULL;
  GString *clean;
  guint i;

  g_return_if_fail (self->step != NULL);

  lines = g_strsplit (server, "\n", MC_REPLY_MAX_LINES);
  clean = g_string_new (NULL);

  /* A multi-line reply keeps its line breaks; each line is made safe on its own.
   * A step shows the gist (the transcript keeps more): a few lines, each short,
   * so that a hostile reply costs the window no more than a normal one. */
  for (i = 0; lines[i] != NULL && i < MC_STEP_SERVER_MAX_LINES && clean->len < MC_STEP_SERVER_MAX_BYTES; i++)
    {
      g_autofree char *line = mc_sanitize_server_text (shown_server_line (self, lines[i]), -1,
                                                       MC_STEP_SERVER_LINE_CHARS);

      if (i > 0)
        g_string_append_c (clean, '\n');
      g_string_append (clean, line);
    }
  if (lines[i] != NULL)
    g_string_append (clean, "\n…");

  g_free (self->step->server);
  self->step->server = g_string_free (clean, FALSE);
  self->step->server_before_tls = !mc_session_is_encrypted (self);
}

void
mc_session_step_finish (McSession    *self,
                        McStepStatus  status,
                        const char   *server,
                        const char   *summary)
{
  g_return_if_fail (self->step != NULL);

  self->step->status = status;
  self->step->ms = (g_get_monotonic_time () - self->step_started) / 1000;
  if (server != NULL)
    mc_session_step_set_server (self, server);
  if (summary != NULL)
    {
      g_free (self->step->summary);
      self->step->summary = g_strdup (summary);
    }
  clear_deadline (self);
  emit_step (self);
}

void
mc_session_step_skip (McSession  *self,
           McStepId    id,
           const char *summary)
{
  mc_session_step_begin (self, id);
  mc_session_step_finish (self, MC_STEP_STATUS_SKIPPED, NULL, summary);
}

/* I/O --------------------------------------------------------------------- */

gboolean
mc_session_is_encrypted (McSession *self)
{
  return self->tls != NULL;
}

/* The transcript is capped in lines and in bytes (a line is capped on its own
 * by the sanitiser): a hostile server can send megabytes before TLS, and every
 * byte kept here is laid out by the window and copied into reports. What does
 * not fit is counted, so the views can say how much is missing. */
static void
add_transcript (McSession  *self,
                char        direction,
                const char *text)
{
  GPtrArray *lines = self->result->transcript;
  g_autofree char *clean = NULL;
  gsize size;

  if (self->result->transcript_omitted > 0 || lines->len >= MC_TRANSCRIPT_MAX_LINES)
    {
      self->result->transcript_omitted++;
      return;
    }

  if (direction == 'S')
    text = shown_server_line (self, text);
  clean = mc_sanitize_server_text (text, -1, MC_SERVER_TEXT_MAX_CHARS);
  size = strlen (clean) + 4;
  if (self->transcript_bytes + size > MC_TRANSCRIPT_MAX_BYTES)
    {
      self->result->transcript_omitted++;
      return;
    }

  self->transcript_bytes += size;
  mc_result_add_transcript (self->result, direction, mc_session_is_encrypted (self), clean);
}

void
mc_session_note (McSession  *self,
                 const char *text)
{
  add_transcript (self, '*', text);
}

/* Text the server asks to be shown to the user (IMAP [ALERT]): shown beside the
 * verdict as the server's own words, so it is made safe here like all server
 * text, and a line repeating the credentials is not shown at all. */
void
mc_session_add_server_alert (McSession  *self,
                             const char *text)
{
  McServerAlert *alert;

  if (self->result->alerts->len >= 8 || echoes_credentials (self, text))
    return;
  alert = g_new0 (McServerAlert, 1);
  alert->text = mc_sanitize_server_text (text, -1, MC_STEP_SERVER_LINE_CHARS);
  alert->before_tls = !mc_session_is_encrypted (self);
  g_ptr_array_add (self->result->alerts, alert);
}

/* Turns GIO's errors into the check's own words: a cancelled operation is a
 * timeout when the phase deadline fired, a closed connection is "closed". */
void
mc_session_translate_error (McSession  *self,
                    GError    **error)
{
  GError *err = error ? *error : NULL;

  if (err == NULL)
    return;

  if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_atomic_int_get (&guard_of (self->phase_cancellable)->hit))
    {
      guint seconds = self->step != NULL && self->step->id == MC_STEP_LOGIN
        ? mc_session_login_timeout (mc_settings_get_timeout (self->settings))
        : mc_settings_get_timeout (self->settings);

      g_clear_error (error);
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TIMEOUT,
                   ngettext ("The server did not answer within %u second.",
                             "The server did not answer within %u seconds.",
                             seconds),
                   seconds);
    }
  else if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           g_atomic_int_get (&guard_of (self->check_cancellable)->hit))
    {
      guint seconds = (self->overall_ms + 999) / 1000;

      g_clear_error (error);
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TIMEOUT,
                   ngettext ("The test was stopped: it took longer than %u second in all.",
                             "The test was stopped: it took longer than %u seconds in all.",
                             seconds),
                   seconds);
    }
  else if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_clear_error (error);
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_TIMEOUT,
                   ngettext ("The server did not answer within %u second.",
                             "The server did not answer within %u seconds.",
                             mc_settings_get_timeout (self->settings)),
                   mc_settings_get_timeout (self->settings));
    }
  else if (g_error_matches (err, MC_LINE_ERROR, MC_LINE_ERROR_CLOSED) ||
           g_error_matches (err, MC_LINE_ERROR, MC_LINE_ERROR_TRUNCATED) ||
           g_error_matches (err, G_TLS_ERROR, G_TLS_ERROR_EOF) ||
           g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
           g_error_matches (err, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    {
      g_clear_error (error);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_CLOSED,
                           _("The server closed the connection unexpectedly."));
    }
  else if (err->domain == MC_LINE_ERROR)
    {
      const char *message = err->code == MC_LINE_ERROR_TOO_LONG
        ? _("The server sent an overlong line.")
        : _("The server sent a NUL byte inside a line.");

      g_clear_error (error);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL, message);
    }
}

gboolean
mc_session_send (McSession   *self,
                 const char  *line,
                 const char  *shown,
                 GError     **error)
{
  g_autofree char *wire = NULL;
  GOutputStream *output;

  /* Input validation keeps CR and LF out of everything that reaches here; this is
   * the last line of defence against a command being split in two. */
  g_return_val_if_fail (strpbrk (line, "\r\n") == NULL, FALSE);

  add_transcript (self, 'C', shown ? shown : line);
  g_debug ("C: %s", shown ? shown : line);

  wire = g_strconcat (line, "\r\n", NULL);
  output = g_io_stream_get_output_stream (self->stream);
  if (!g_output_stream_write_all (output, wire, strlen (wire), NULL,
                                  self->phase_cancellable, error) ||
      !g_output_stream_flush (output, self->phase_cancellable, error))
    {
      explicit_bzero (wire, strlen (wire));
      mc_session_translate_error (self, error);
      return FALSE;
    }

  explicit_bzero (wire, strlen (wire));
  return TRUE;
}

char *
mc_session_read_line (McSession  *self,
                      GError    **error)
{
  char *line = mc_line_reader_read_line (self->reader, NULL, self->phase_cancellable, error);

  if (line == NULL)
    {
      mc_session_translate_error (self, error);
      return NULL;
    }

  add_transcript (self, 'S', line);
  return line;
}

GBytes *
mc_session_read_literal (McSession  *self,
                         gsize       count,
                         GError    **error)
{
  GBytes *bytes = mc_line_reader_read_bytes (self->reader, count, self->phase_cancellable, error);

  if (bytes == NULL)
    mc_session_translate_error (self, error);
  return bytes;
}

/* Capabilities ------------------------------------------------------------ */

GPtrArray *
mc_split_tokens (const char *text)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_strsplit_set (text ? text : "", " \t", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] != '\0')
        g_ptr_array_add (tokens, g_strdup (parts[i]));
    }
  return tokens;
}

/* @caps holds one entry per capability: an IMAP atom, a POP3 CAPA line or an
 * SMTP EHLO keyword line. Entries learned before TLS and after TLS are kept
 * apart, and the current set is replaced, never merged. */
void
mc_session_set_capabilities (McSession *self,
                             GPtrArray *caps)
{
  GPtrArray *target = mc_session_is_encrypted (self)
    ? self->result->caps_after
    : self->result->caps_before;

  g_ptr_array_set_size (self->caps, 0);
  g_ptr_array_set_size (target, 0);
  for (guint i = 0; i < caps->len && i < MC_REPLY_MAX_LINES; i++)
    {
      const char *cap = g_ptr_array_index (caps, i);

      g_ptr_array_add (self->caps, g_strdup (cap));
      /* For people to read: real servers list a few dozen, each short. */
      if (i < MC_CAPS_SHOWN_MAX)
        g_ptr_array_add (target, mc_sanitize_server_text (cap, -1, 120));
    }
  self->caps_known = TRUE;
}

/* The SASL mechanisms the server offers, as shown in reports: upper case and
 * sanitised, since they are server text. */
void
mc_session_add_offered (McSession  *self,
                        const char *mechanism)
{
  g_autofree char *upper = g_ascii_strup (mechanism, -1);

  if (self->result->auth_offered->len < 64)
    g_ptr_array_add (self->result->auth_offered, mc_sanitize_server_text (upper, -1, 64));
}

static gboolean
keyword_equal (const char *entry,
               const char *token)
{
  gsize len = strlen (token);

  return g_ascii_strncasecmp (entry, token, len) == 0 &&
         (entry[len] == '\0' || entry[len] == ' ');
}

gboolean
mc_session_has_capability (McSession  *self,
                           const char *token)
{
  for (guint i = 0; i < self->caps->len; i++)
    {
      if (keyword_equal (g_ptr_array_index (self->caps, i), token))
        return TRUE;
    }
  return FALSE;
}

const char *
mc_session_find_capability (McSession  *self,
                            const char *keyword)
{
  for (guint i = 0; i < self->caps->len; i++)
    {
      const char *entry = g_ptr_array_index (self->caps, i);

      if (keyword_equal (entry, keyword))
        return entry;
    }
  return NULL;
}

/* The mechanisms listed after @keyword in its capability (SMTP's AUTH,
 * POP3's SASL) are the ones offered now; IMAP lists each on its own. */
void
mc_session_set_offered_from (McSession  *self,
                             const char *keyword)
{
  const char *line = mc_session_find_capability (self, keyword);

  g_ptr_array_set_size (self->result->auth_offered, 0);
  if (line != NULL)
    {
      g_autoptr(GPtrArray) tokens = mc_split_tokens (line + strlen (keyword));

      for (guint i = 0; i < tokens->len; i++)
        mc_session_add_offered (self, g_ptr_array_index (tokens, i));
    }
}

/* @mechanism in upper case, as mc_session_add_offered() keeps it. */
gboolean
mc_session_offers (McSession  *self,
                   const char *mechanism)
{
  GPtrArray *offered = self->result->auth_offered;

  for (guint i = 0; i < offered->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (offered, i), mechanism))
        return TRUE;
    }
  return FALSE;
}

/* The capabilities step's summary when the server offers login methods, else
 * NULL. */
char *
mc_session_describe_offered (McSession *self)
{
  GPtrArray *offered = self->result->auth_offered;
  g_autofree char *joined = NULL;

  if (offered->len == 0)
    return NULL;
  g_ptr_array_add (offered, NULL);
  joined = g_strjoinv (", ", (char **)offered->pdata);
  g_ptr_array_remove_index (offered, offered->len - 1);
  /* Translators: %s is a list of login methods such as "PLAIN, LOGIN" */
  return g_strdup_printf (_("Login methods offered: %s."), joined);
}

/* A capability that stands where @keyword would, overwritten: a firewall's
 * "SMTP inspection" turns STARTTLS into XXXXXXXA, others into all X. The
 * first word of an entry with the keyword's length and at most one letter
 * that is not an X; NULL when there is none. */
const char *
mc_session_find_masked_capability (McSession  *self,
                                   const char *keyword)
{
  gsize len = strlen (keyword);

  for (guint i = 0; i < self->caps->len; i++)
    {
      const char *entry = g_ptr_array_index (self->caps, i);
      guint others = 0;

      if (strlen (entry) < len || (entry[len] != '\0' && entry[len] != ' '))
        continue;
      for (gsize j = 0; j < len; j++)
        others += entry[j] != 'X' && entry[j] != 'x';
      if (others <= 1 && g_ascii_strncasecmp (entry, keyword, len) != 0)
        return entry;
    }
  return NULL;
}

/* Connect ----------------------------------------------------------------- */

typedef struct
{
  McSession          *session;
  McConnectAttempt    attempt;
  GPtrArray          *tried;       /* addresses as text, in the order they were tried */
  GPtrArray          *tried_inet;  /* the same as GInetAddress */
} ConnectData;

static void
socket_client_event (GSocketClient      *client,
                     GSocketClientEvent  event,
                     GSocketConnectable *connectable,
                     GIOStream          *connection,
                     gpointer            user_data)
{
  ConnectData *data = user_data;
  McSession *self = data->session;

  switch (event)
    {
    case G_SOCKET_CLIENT_RESOLVED:
      if (self->step != NULL && self->step->id == MC_STEP_RESOLVE &&
          self->step->status == MC_STEP_STATUS_RUNNING)
        mc_session_step_finish (self, MC_STEP_STATUS_OK, NULL, _("Found the server’s address."));
      break;

    case G_SOCKET_CLIENT_CONNECTING:
      {
        g_autoptr(GSocketAddress) remote = NULL;

        if (self->step == NULL || self->step->id != MC_STEP_CONNECT)
          {
            if (self->step != NULL && self->step->status == MC_STEP_STATUS_RUNNING)
              mc_session_step_finish (self, MC_STEP_STATUS_OK, NULL,
                                      _("Found the server’s address."));
            mc_session_step_begin (self, MC_STEP_CONNECT);
          }

        remote = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (connection), NULL);
        if (G_IS_INET_SOCKET_ADDRESS (remote))
          {
            GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
            g_autofree char *text = g_inet_address_to_string (inet);
            g_autofree char *note = g_strdup_printf ("connecting to %s port %u", text,
                                                     g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)));

            /* Known even when the connection fails: which address was tried. */
            g_free (self->result->address);
            self->result->address = g_strdup (text);
            g_ptr_array_add (data->tried, g_steal_pointer (&text));
            g_ptr_array_add (data->tried_inet, g_object_ref (inet));
            mc_session_note (self, note);
          }
      }
      break;

    case G_SOCKET_CLIENT_PROXY_NEGOTIATING:
      mc_session_note (self, "connecting through a proxy server from the system settings");
      break;

    case G_SOCKET_CLIENT_RESOLVING:
    case G_SOCKET_CLIENT_CONNECTED:
    case G_SOCKET_CLIENT_PROXY_NEGOTIATED:
    case G_SOCKET_CLIENT_TLS_HANDSHAKING:
    case G_SOCKET_CLIENT_TLS_HANDSHAKED:
    case G_SOCKET_CLIENT_COMPLETE:
    default:
      break;
    }
}

/* The connect races the families (RFC 8305): when it tried an address of the
 * other family first and ended up here, that family failed or was slow.
 * Which of the two, a probe finds out after the check (mc-probe.c). */
static void
note_fallback (McSession    *self,
               GPtrArray    *tried,
               GInetAddress *connected)
{
  GSocketFamily family = g_inet_address_get_family (connected);

  g_clear_object (&self->fallback_from);
  for (guint i = 0; i < tried->len; i++)
    {
      GInetAddress *address = g_ptr_array_index (tried, i);

      if (g_inet_address_equal (address, connected))
        break;
      if (g_inet_address_get_family (address) != family)
        {
          self->fallback_from = g_object_ref (address);
          break;
        }
    }
}

/* The callback of g_socket_client_connect_async() for a connect whose
 * context runs until @user_data, an McConnectAttempt, is done. */
void
mc_connect_attempt_done (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  McConnectAttempt *attempt = user_data;

  attempt->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &attempt->error);
  attempt->done = TRUE;
}

/* A probe of one address family connects to that one address; the name stays
 * the TLS identity (mc-tls.c). */
static GSocketConnectable *
connect_target (McSession *self)
{
  guint16 port = mc_settings_get_effective_port (self->settings);

  if (self->pinned_address != NULL)
    return G_SOCKET_CONNECTABLE (g_inet_socket_address_new (self->pinned_address, port));
  return g_network_address_new (mc_settings_get_host_ascii (self->settings), port);
}

/* The async connect races IPv6 and IPv4 (RFC 8305); the sync one does not.
 * It runs on a private context of this worker thread, and fills in @data. */
static void
run_connect (McSession   *self,
             ConnectData *data)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) address = NULL;

  g_main_context_push_thread_default (context);

  address = connect_target (self);
  g_socket_client_set_timeout (client, mc_settings_get_timeout (self->settings));
  /* Straight to the server, as mail programs connect: a system HTTP proxy would
   * change what is being diagnosed (and where the bytes go). */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_signal_connect (client, "event", G_CALLBACK (socket_client_event), data);
  g_socket_client_connect_async (client, address, self->phase_cancellable, mc_connect_attempt_done,
                                 &data->attempt);
  while (!data->attempt.done)
    g_main_context_iteration (context, TRUE);

  g_signal_handlers_disconnect_by_data (client, data);
  g_main_context_pop_thread_default (context);
}

/* GLib's error in the check's terms: a name that does not resolve gets its
 * own code, and a failed connect names the addresses it tried. */
static void
explain_connect_failure (McSession  *self,
                         GPtrArray  *tried,
                         GError    **error)
{
  mc_session_translate_error (self, error);

  if (self->step->id == MC_STEP_RESOLVE && (*error)->domain == G_RESOLVER_ERROR)
    {
      const char *message = (*error)->message;
      g_autofree char *summary = g_strdup_printf (_("The server name “%s” could not be found."),
                                                  mc_settings_get_host_unicode (self->settings));

      g_debug ("resolve failed: %s", message);
      g_clear_error (error);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_RESOLVE, summary);
    }
  else if (tried->len > 0 && (*error)->domain != MC_CHECK_ERROR)
    {
      g_autofree char *joined = NULL;
      g_autofree char *message = NULL;

      g_ptr_array_add (tried, NULL);
      joined = g_strjoinv (", ", (char **)tried->pdata);
      /* Translators: the first %s is a list of IP addresses, the second GLib's error message */
      message = g_strdup_printf (_("Tried %s: %s"), joined, (*error)->message);
      g_free ((*error)->message);
      (*error)->message = g_steal_pointer (&message);
    }
}

static void
adopt_connection (McSession         *self,
                  GSocketConnection *connection)
{
  self->connection = connection;
  self->stream = g_object_ref (G_IO_STREAM (self->connection));
  self->reader = mc_line_reader_new (g_io_stream_get_input_stream (self->stream));
  /* A backstop behind the phase deadlines (GSocket's timeout is per operation):
   * the longest of them, the login's. */
  g_socket_set_timeout (g_socket_connection_get_socket (self->connection),
                        mc_session_login_timeout (mc_settings_get_timeout (self->settings)));
  /* Dialogue lines are small and each waits for an answer: Nagle's algorithm
   * would hold some back for up to 40 ms (curl does the same). */
  g_socket_set_option (g_socket_connection_get_socket (self->connection),
                       IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

/* Records the address the connection reached, and returns the connect
 * step's summary (NULL when the peer has no IP address). */
static char *
note_remote_address (McSession *self,
                     GPtrArray *tried_inet)
{
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (self->connection, NULL);
  guint16 port = mc_settings_get_effective_port (self->settings);
  GInetAddress *inet;
  g_autofree char *text = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return NULL;

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  text = g_inet_address_to_string (inet);
  g_free (self->result->address);
  self->result->address = g_strdup (text);
  mc_result_set_family_status (self->result, g_inet_address_get_family (inet), "ok");
  note_fallback (self, tried_inet, inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    /* Translators: %s is an IPv6 address, %u a port number */
    return g_strdup_printf (_("Connected to %s (IPv6), port %u."), text, port);
  /* Translators: %s is an IPv4 address, %u a port number */
  return g_strdup_printf (_("Connected to %s (IPv4), port %u."), text, port);
}

/* This end's address as SMTP writes it in EHLO (RFC 5321 §4.1.3). */
static char *
local_address_literal (GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  GInetAddress *inet;
  g_autofree char *text = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (local))
    return g_strdup ("[127.0.0.1]");

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  text = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[IPv6:%s]", text);
  return g_strdup_printf ("[%s]", text);
}

gboolean
mc_session_connect (McSession  *self,
                    GError    **error)
{
  g_autoptr(GPtrArray) tried = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) tried_inet = g_ptr_array_new_with_free_func (g_object_unref);
  ConnectData data = { self, { NULL, NULL, FALSE }, tried, tried_inet };
  g_autofree char *summary = NULL;

  mc_session_step_begin (self, MC_STEP_RESOLVE);
  run_connect (self, &data);

  if (data.attempt.connection == NULL)
    {
      g_propagate_error (error, data.attempt.error);
      explain_connect_failure (self, data.tried, error);
      return FALSE;
    }

  adopt_connection (self, data.attempt.connection);
  summary = note_remote_address (self, data.tried_inet);
  self->local_literal = local_address_literal (self->connection);

  if (self->step->id == MC_STEP_RESOLVE)
    {
      mc_session_step_finish (self, MC_STEP_STATUS_OK, NULL, _("Found the server’s address."));
      mc_session_step_begin (self, MC_STEP_CONNECT);
    }
  mc_session_step_finish (self, MC_STEP_STATUS_OK, NULL, summary);
  return TRUE;
}
