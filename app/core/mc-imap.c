/* mc-imap.c: the IMAP dialogue (RFC 3501 / RFC 9051, STARTTLS per RFC 2595)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-imap"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-sasl.h"
#include "mc-session-private.h"

#define IMAP_LITERAL_MAX (64 * 1024)

typedef enum
{
  IMAP_OK,
  IMAP_NO,
  IMAP_BAD,
  IMAP_CONTINUE,
} ImapStatus;

static gboolean
starts_with_word (const char *text,
                  const char *word)
{
  gsize len = strlen (word);

  return g_ascii_strncasecmp (text, word, len) == 0 && (text[len] == ' ' || text[len] == '\0');
}

/* Reads one response line; a literal announced at its end ({N}) is read and
 * replaced by a placeholder, so a hostile size can neither overflow nor make us
 * allocate more than IMAP_LITERAL_MAX. */
static char *
imap_read_line (McSession  *session,
                GError    **error)
{
  g_autoptr(GString) full = g_string_new (NULL);

  for (guint parts = 0; parts < 16; parts++)
    {
      g_autofree char *line = mc_session_read_line (session, error);
      gsize len;
      const char *open;

      if (line == NULL)
        return NULL;

      g_string_append (full, line);
      len = strlen (line);
      if (len < 3 || line[len - 1] != '}' || (open = strrchr (line, '{')) == NULL)
        return g_string_free (g_steal_pointer (&full), FALSE);

      {
        const char *digits = open + 1;
        const char *end = line + len - 1;
        guint64 size = 0;
        g_autoptr(GBytes) literal = NULL;

        if (end > digits && end[-1] == '+')
          end--;
        if (end == digits)
          return g_string_free (g_steal_pointer (&full), FALSE);
        for (const char *p = digits; p < end; p++)
          {
            if (!g_ascii_isdigit (*p))
              return g_string_free (g_steal_pointer (&full), FALSE);
            size = size * 10 + (*p - '0');
            if (size > IMAP_LITERAL_MAX)
              {
                g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                                     _("The server announced an oversized block of data."));
                return NULL;
              }
          }

        literal = mc_session_read_literal (session, size, error);
        if (literal == NULL)
          return NULL;
        g_string_append_printf (full, "[%" G_GUINT64_FORMAT " bytes]", size);
      }
    }

  g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                       _("The server sent a response with too many parts."));
  return NULL;
}

static void
parse_capability_list (McSession  *session,
                       const char *list)
{
  g_autoptr(GPtrArray) tokens = mc_split_tokens (list);

  mc_session_set_capabilities (session, tokens);
}

/* "[CAPABILITY a b c] text" → "a b c" */
static char *
capability_code (const char *text)
{
  const char *end;

  while (*text == ' ')
    text++;
  if (g_ascii_strncasecmp (text, "[CAPABILITY ", 12) != 0)
    return NULL;
  text += 12;
  end = strchr (text, ']');
  if (end == NULL)
    return NULL;
  return g_strndup (text, end - text);
}

static const char *
skip_words (const char *line,
            guint       count)
{
  for (guint i = 0; i < count && line != NULL; i++)
    {
      line = strchr (line, ' ');
      if (line != NULL)
        line++;
    }
  return line ? line : "";
}

/* RFC 3501 §7.1: the text after an [ALERT] code must be shown to the user. It
 * can come untagged or with a tagged reply, after OK, NO, BAD or BYE. */
static void
note_alert (McSession  *session,
            const char *line)
{
  g_autofree char *upper = g_ascii_strup (line, -1);
  const char *found = strstr (upper, "[ALERT]");
  const char *text;

  if (found == NULL)
    return;
  text = line + (found - upper) + strlen ("[ALERT]");
  while (*text == ' ')
    text++;
  if (*text != '\0')
    mc_session_add_server_alert (session, text);
}

/* Reads until the tagged reply for @tag (or a continuation when @allow_continue).
 * Untagged CAPABILITY data is taken only when @take_caps, so nothing said around a
 * STARTTLS can plant capabilities. */
static gboolean
imap_response (McSession   *session,
               const char  *tag,
               gboolean     allow_continue,
               gboolean     take_caps,
               ImapStatus  *status,
               char       **tagged_line,
               GError     **error)
{
  guint64 start = mc_line_reader_get_total_read (session->reader);

  for (guint lines = 0; lines < MC_REPLY_MAX_LINES; lines++)
    {
      g_autofree char *line = imap_read_line (session, error);

      if (line == NULL)
        return FALSE;
      note_alert (session, line);

      /* Lines and literals together, like POP3 and SMTP replies. */
      if (mc_line_reader_get_total_read (session->reader) - start > MC_REPLY_MAX_BYTES)
        {
          g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                               _("The server sent too much data without finishing its reply."));
          return FALSE;
        }

      if (line[0] == '*' && line[1] == ' ')
        {
          const char *rest = line + 2;

          if (take_caps && starts_with_word (rest, "CAPABILITY"))
            parse_capability_list (session, skip_words (rest, 1));
          else if (starts_with_word (rest, "BYE"))
            {
              mc_session_step_set_server (session, line);
              g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_CLOSED,
                                   _("The server ended the connection."));
              return FALSE;
            }
          continue;
        }

      if (line[0] == '+' && (line[1] == ' ' || line[1] == '\0'))
        {
          if (!allow_continue)
            {
              mc_session_step_set_server (session, line);
              g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                                   _("The server asked for more data where none belongs."));
              return FALSE;
            }
          *status = IMAP_CONTINUE;
          *tagged_line = g_steal_pointer (&line);
          return TRUE;
        }

      if (starts_with_word (line, tag))
        {
          const char *word = skip_words (line, 1);

          if (starts_with_word (word, "OK"))
            *status = IMAP_OK;
          else if (starts_with_word (word, "NO"))
            *status = IMAP_NO;
          else if (starts_with_word (word, "BAD"))
            *status = IMAP_BAD;
          else
            break;
          *tagged_line = g_steal_pointer (&line);
          return TRUE;
        }

      /* A tagged reply for a command we never sent (or sent later) is never
       * bound to anything: protocol error. */
      mc_session_step_set_server (session, line);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                           _("The server sent a reply that does not belong to any command."));
      return FALSE;
    }

  g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                       _("The server sent too many lines without finishing its reply."));
  return FALSE;
}

static char *
next_tag (McSession *session)
{
  return g_strdup_printf ("a%u", ++session->tag);
}

static void
update_offered (McSession *session)
{
  GPtrArray *offered = session->result->auth_offered;

  g_ptr_array_set_size (offered, 0);
  for (guint i = 0; i < session->caps->len; i++)
    {
      const char *cap = g_ptr_array_index (session->caps, i);

      if (g_ascii_strncasecmp (cap, "AUTH=", 5) == 0 && cap[5] != '\0')
        mc_session_add_offered (session, cap + 5);
    }
}

/* Ends the capabilities step, showing the capability list as the server's line. */
static void
finish_capabilities (McSession *session)
{
  g_autofree char *server = NULL;
  g_autofree char *summary = NULL;

  g_ptr_array_add (session->caps, NULL);
  server = g_strjoinv (" ", (char **)session->caps->pdata);
  g_ptr_array_remove_index (session->caps, session->caps->len - 1);

  update_offered (session);
  summary = mc_session_describe_offered (session);
  if (summary == NULL && mc_session_has_capability (session, "LOGINDISABLED"))
    summary = g_strdup (_("Login is disabled on this connection until it is encrypted."));
  else if (summary == NULL)
    summary = g_strdup (_("Received the server’s capabilities."));

  mc_session_step_finish (session, MC_STEP_STATUS_OK, server, summary);
}

static gboolean
imap_greeting (McSession  *session,
               GError    **error)
{
  g_autofree char *line = imap_read_line (session, error);
  const char *rest;
  g_autofree char *caps = NULL;

  if (line == NULL)
    return FALSE;

  if (line[0] != '*' || line[1] != ' ')
    {
      mc_session_step_set_server (session, line);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                           _("The server did not greet like an IMAP server."));
      return FALSE;
    }
  note_alert (session, line);

  rest = line + 2;
  if (starts_with_word (rest, "OK"))
    {
      caps = capability_code (skip_words (rest, 1));
      if (caps != NULL)
        parse_capability_list (session, caps);
      mc_session_step_finish (session, MC_STEP_STATUS_OK, line, _("The IMAP server greeted this connection."));
      return TRUE;
    }

  if (starts_with_word (rest, "PREAUTH"))
    {
      session->preauth = TRUE;
      mc_session_step_finish (session, MC_STEP_STATUS_WARNING, line,
                              _("The server logged this connection in without a password."));
      return TRUE;
    }

  mc_session_step_set_server (session, line);
  if (starts_with_word (rest, "BYE"))
    g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_SERVER_REFUSED,
                         _("The server turned the connection away."));
  else
    g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                         _("The server did not greet like an IMAP server."));
  return FALSE;
}

static gboolean
imap_capabilities (McSession  *session,
                   GError    **error)
{
  g_autofree char *tag = NULL;
  g_autofree char *command = NULL;
  g_autofree char *tagged = NULL;
  ImapStatus status;

  mc_session_step_begin (session, MC_STEP_CAPABILITIES);

  /* The greeting's CAPABILITY code saves a round trip; after STARTTLS it was
   * forgotten, so the server is asked again. */
  if (session->caps_known)
    {
      finish_capabilities (session);
      return TRUE;
    }

  tag = next_tag (session);
  command = g_strdup_printf ("%s CAPABILITY", tag);
  if (!mc_session_send (session, command, NULL, error) ||
      !imap_response (session, tag, FALSE, TRUE, &status, &tagged, error))
    return FALSE;

  if (status != IMAP_OK || !session->caps_known)
    {
      mc_session_step_set_server (session, tagged);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                           _("The server did not list its capabilities."));
      return FALSE;
    }

  finish_capabilities (session);
  return TRUE;
}

static gboolean
imap_starttls (McSession  *session,
               GError    **error)
{
  g_autofree char *tag = next_tag (session);
  g_autofree char *command = g_strdup_printf ("%s STARTTLS", tag);
  g_autofree char *tagged = NULL;
  ImapStatus status;

  if (!mc_session_send (session, command, NULL, error) ||
      !imap_response (session, tag, FALSE, FALSE, &status, &tagged, error))
    return FALSE;

  mc_session_step_set_server (session, tagged);
  if (status != IMAP_OK)
    {
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_STARTTLS_REFUSED,
                           _("The server refused to switch to encryption."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
needs_literal (const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if ((guchar)*p < 0x20 || (guchar)*p >= 0x7f)
        return TRUE;
    }
  return strlen (text) > 1000;
}

static char *
quote (const char *text)
{
  GString *out = g_string_new ("\"");

  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static gboolean
expect_continue (McSession   *session,
                 const char  *tag,
                 char       **challenge,
                 ImapStatus  *status,
                 char       **tagged,
                 GError     **error)
{
  if (!imap_response (session, tag, TRUE, FALSE, status, tagged, error))
    return FALSE;
  if (*status == IMAP_CONTINUE)
    *challenge = g_strdup ((*tagged)[1] == ' ' ? *tagged + 2 : "");
  return TRUE;
}

/* The LOGIN command: quoted strings for plain ASCII, synchronising literals for
 * anything else, so no character of the password can change the command. */
static gboolean
imap_login_command (McSession   *session,
                    const char  *tag,
                    const char  *user,
                    const char  *password,
                    ImapStatus  *status,
                    char       **tagged,
                    GError     **error)
{
  g_autofree char *shown = g_strdup_printf ("%s LOGIN " MC_REDACTED, tag);

  if (!needs_literal (user) && !needs_literal (password))
    {
      g_autofree char *quser = quote (user);
      g_auto(McSecret) qpass = quote (password);
      g_auto(McSecret) command = g_strdup_printf ("%s LOGIN %s %s", tag, quser, qpass);

      return mc_session_send (session, command, shown, error) &&
             imap_response (session, tag, FALSE, FALSE, status, tagged, error);
    }
  else
    {
      g_autofree char *first = g_strdup_printf ("%s LOGIN {%zu}", tag, strlen (user));
      g_autofree char *challenge = NULL;
      g_autofree char *second = g_strdup_printf ("%s {%zu}", user, strlen (password));

      if (!mc_session_send (session, first, shown, error) ||
          !expect_continue (session, tag, &challenge, status, tagged, error))
        return FALSE;
      if (*status != IMAP_CONTINUE)
        return TRUE;
      g_clear_pointer (tagged, g_free);
      g_clear_pointer (&challenge, g_free);

      if (!mc_session_send (session, second, MC_REDACTED, error) ||
          !expect_continue (session, tag, &challenge, status, tagged, error))
        return FALSE;
      if (*status != IMAP_CONTINUE)
        return TRUE;
      g_clear_pointer (tagged, g_free);

      return mc_session_send (session, password, MC_REDACTED, error) &&
             imap_response (session, tag, FALSE, FALSE, status, tagged, error);
    }
}

static gboolean
imap_authenticate (McSession   *session,
                   const char  *tag,
                   const char  *mechanism,
                   const char  *user,
                   const char  *password,
                   ImapStatus  *status,
                   char       **tagged,
                   GError     **error)
{
  gboolean plain = g_str_equal (mechanism, "PLAIN");
  g_auto(McSecret) response = plain ? mc_sasl_plain_response (user, password) : NULL;
  g_autofree char *shown = g_strdup_printf ("%s AUTHENTICATE %s", tag, mechanism);
  g_autofree char *command = NULL;

  if (plain && mc_session_has_capability (session, "SASL-IR"))
    {
      g_auto(McSecret) line = g_strdup_printf ("%s AUTHENTICATE PLAIN %s", tag, response);
      g_autofree char *shown_ir = g_strdup_printf ("%s AUTHENTICATE PLAIN " MC_REDACTED, tag);

      return mc_session_send (session, line, shown_ir, error) &&
             imap_response (session, tag, FALSE, FALSE, status, tagged, error);
    }

  command = g_strdup_printf ("%s AUTHENTICATE %s", tag, mechanism);
  if (!mc_session_send (session, command, shown, error))
    return FALSE;

  /* PLAIN takes one response, LOGIN two; a server asking for more is cut off. */
  for (guint round = 0; round < (plain ? 1u : 2u); round++)
    {
      g_autofree char *challenge = NULL;
      g_auto(McSecret) answer = NULL;

      g_clear_pointer (tagged, g_free);
      if (!expect_continue (session, tag, &challenge, status, tagged, error))
        return FALSE;
      if (*status != IMAP_CONTINUE)
        return TRUE;

      if (!mc_sasl_is_valid_base64 (challenge) || (plain && challenge[0] != '\0'))
        {
          g_clear_pointer (tagged, g_free);
          if (mc_session_send (session, "*", NULL, error))
            imap_response (session, tag, FALSE, FALSE, status, tagged, NULL);
          g_clear_error (error);
          g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                               _("The server sent a malformed login challenge; the login was cancelled."));
          return FALSE;
        }

      if (plain)
        answer = g_strdup (response);
      else
        answer = mc_sasl_base64 (round == 0 ? user : password);
      if (!mc_session_send (session, answer, MC_REDACTED, error))
        return FALSE;
    }

  g_clear_pointer (tagged, g_free);
  if (!imap_response (session, tag, TRUE, FALSE, status, tagged, error))
    return FALSE;
  if (*status == IMAP_CONTINUE)
    {
      /* A further challenge is cancelled, so the exchange ends before LOGOUT. */
      g_clear_pointer (tagged, g_free);
      if (mc_session_send (session, "*", NULL, error))
        imap_response (session, tag, FALSE, FALSE, status, tagged, NULL);
      g_clear_error (error);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                           _("The server asked for more login steps than the method has."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
has_code (const char *tagged,
          const char *code)
{
  g_autofree char *needle = g_strdup_printf ("[%s", code);
  g_autofree char *upper = g_ascii_strup (tagged, -1);
  const char *found = strstr (upper, needle);

  return found != NULL && (found[strlen (needle)] == ']' || found[strlen (needle)] == ' ');
}

static gboolean
imap_login (McSession  *session,
            GError    **error)
{
  const char *user = mc_settings_get_user (session->settings);
  const char *password = mc_settings_get_password (session->settings);
  g_autofree char *tag = next_tag (session);
  g_autofree char *tagged = NULL;
  ImapStatus status;
  gboolean ok;

  if (mc_session_has_capability (session, "AUTH=PLAIN"))
    {
      session->result->auth_used = g_strdup ("PLAIN");
      ok = imap_authenticate (session, tag, "PLAIN", user, password, &status, &tagged, error);
    }
  else if (mc_session_has_capability (session, "AUTH=LOGIN"))
    {
      session->result->auth_used = g_strdup ("LOGIN");
      ok = imap_authenticate (session, tag, "LOGIN", user, password, &status, &tagged, error);
    }
  else if (!mc_session_has_capability (session, "LOGINDISABLED"))
    {
      session->result->auth_used = g_strdup ("LOGIN command");
      ok = imap_login_command (session, tag, user, password, &status, &tagged, error);
    }
  else
    {
      /* LOGINDISABLED alone: no password login at all here. With other SASL
       * mechanisms on offer, the server wants one of those instead. */
      if (session->result->auth_offered->len > 0)
        g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_NO_MECHANISM,
                             _("The server offers no login method this app can use."));
      else
        g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_LOGIN_DISABLED,
                             _("The server does not allow a password login on this connection."));
      return FALSE;
    }

  if (!ok)
    return FALSE;

  mc_session_step_set_server (session, tagged);
  if (status == IMAP_OK)
    {
      session->result->auth_result = MC_AUTH_RESULT_OK;
      mc_session_step_finish (session, MC_STEP_STATUS_OK, NULL,
                              _("The server accepted the user name and password."));
      return TRUE;
    }

  if (has_code (tagged, "UNAVAILABLE") || has_code (tagged, "INUSE") ||
      has_code (tagged, "SERVERBUG") || has_code (tagged, "LIMIT"))
    g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_AUTH_TEMPORARY,
                         _("The server cannot check the login right now."));
  else if (has_code (tagged, "PRIVACYREQUIRED"))
    g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_LOGIN_DISABLED,
                         _("The server does not allow a password login on this connection."));
  else if (status == IMAP_BAD)
    g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                         _("The server did not understand the login command."));
  else
    {
      session->result->auth_result = MC_AUTH_RESULT_REJECTED;
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_AUTH_FAILED,
                           _("The server rejected the user name or password."));
    }
  return FALSE;
}

static gboolean
imap_logout (McSession  *session,
             GError    **error)
{
  g_autofree char *tag = next_tag (session);
  g_autofree char *command = g_strdup_printf ("%s LOGOUT", tag);
  g_autofree char *tagged = NULL;
  g_autoptr(GError) local_error = NULL;
  ImapStatus status;

  if (!mc_session_send (session, command, NULL, error))
    return FALSE;

  /* The server answers * BYE, then the tagged OK; BYE is expected here. */
  for (guint lines = 0; lines < 8; lines++)
    {
      g_autofree char *line = imap_read_line (session, &local_error);

      if (line == NULL)
        break;
      if (starts_with_word (line, tag))
        {
          tagged = g_steal_pointer (&line);
          break;
        }
    }

  (void)status;
  if (tagged != NULL && starts_with_word (skip_words (tagged, 1), "OK"))
    {
      mc_session_step_finish (session, MC_STEP_STATUS_OK, tagged, _("Logged out cleanly."));
      return TRUE;
    }

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                         _("The server did not confirm the logout."));
  return FALSE;
}

const McDialogue mc_imap_dialogue = {
  .starttls_capability = "STARTTLS",
  .greeting = imap_greeting,
  .capabilities = imap_capabilities,
  .starttls = imap_starttls,
  .login = imap_login,
  .logout = imap_logout,
};
