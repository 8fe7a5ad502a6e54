/* mc-pop3.c: the POP3 dialogue (RFC 1939, CAPA per RFC 2449, STLS per RFC 2595,
 * AUTH per RFC 5034)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-pop3"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-sasl.h"
#include "mc-session-private.h"

typedef enum
{
  POP3_OK,
  POP3_ERR,
  POP3_CONTINUE,
} Pop3Status;

/* RFC 1939 status indicators are upper case; anything else is not POP3. */
static gboolean
pop3_status (McSession   *session,
             gboolean     allow_continue,
             Pop3Status  *status,
             char       **line_out,
             GError     **error)
{
  g_autofree char *line = mc_session_read_line (session, error);

  if (line == NULL)
    return FALSE;

  if (g_str_has_prefix (line, "+OK") && (line[3] == '\0' || line[3] == ' '))
    *status = POP3_OK;
  else if (g_str_has_prefix (line, "-ERR") && (line[4] == '\0' || line[4] == ' '))
    *status = POP3_ERR;
  else if (allow_continue && line[0] == '+' && (line[1] == ' ' || line[1] == '\0'))
    *status = POP3_CONTINUE;
  else
    {
      mc_session_step_set_server (session, line);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                           _("The server did not answer like a POP3 server."));
      return FALSE;
    }

  *line_out = g_steal_pointer (&line);
  return TRUE;
}

static gboolean
has_code (const char *line,
          const char *code)
{
  g_autofree char *needle = g_strdup_printf ("[%s", code);
  const char *found = strstr (line, needle);

  return found != NULL && (found[strlen (needle)] == ']' || found[strlen (needle)] == '/');
}

static gboolean
pop3_greeting (McSession  *session,
               GError    **error)
{
  g_autofree char *line = NULL;
  Pop3Status status;

  if (!pop3_status (session, FALSE, &status, &line, error))
    return FALSE;

  if (status != POP3_OK)
    {
      mc_session_step_set_server (session, line);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_SERVER_REFUSED,
                           _("The server turned the connection away."));
      return FALSE;
    }

  mc_session_step_finish (session, MC_STEP_STATUS_OK, line, _("The POP3 server greeted this connection."));
  return TRUE;
}

/* The SASL mechanisms, and USER/PASS where the server lists USER. */
static void
update_offered (McSession *session)
{
  mc_session_set_offered_from (session, "SASL");
  if (mc_session_has_capability (session, "USER"))
    g_ptr_array_add (session->result->auth_offered, g_strdup ("USER"));
}

static gboolean
pop3_capabilities (McSession  *session,
                   GError    **error)
{
  g_autoptr(GPtrArray) caps = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = NULL;
  g_autoptr(GString) shown = g_string_new (NULL);
  Pop3Status status;
  gsize bytes = 0;

  mc_session_step_begin (session, MC_STEP_CAPABILITIES);

  if (!mc_session_send (session, "CAPA", NULL, error) ||
      !pop3_status (session, FALSE, &status, &line, error))
    return FALSE;

  if (status != POP3_OK)
    {
      /* Old servers without CAPA: nothing is known, and STLS cannot be assumed. */
      mc_session_set_capabilities (session, caps);
      update_offered (session);
      mc_session_step_finish (session, MC_STEP_STATUS_WARNING, line,
                              _("The server does not list its capabilities (no CAPA)."));
      return TRUE;
    }

  for (;;)
    {
      g_autofree char *cap = mc_session_read_line (session, error);

      if (cap == NULL)
        return FALSE;
      if (g_str_equal (cap, "."))
        break;

      bytes += strlen (cap);
      if (caps->len >= MC_REPLY_MAX_LINES || bytes > MC_REPLY_MAX_BYTES)
        {
          g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                               _("The server sent too many lines without finishing its reply."));
          return FALSE;
        }

      if (shown->len > 0)
        g_string_append_c (shown, ' ');
      g_string_append (shown, cap);
      /* Dot-stuffing (RFC 1939 §3). */
      g_ptr_array_add (caps, g_strdup (cap[0] == '.' ? cap + 1 : cap));
    }

  mc_session_set_capabilities (session, caps);
  update_offered (session);
  mc_session_step_finish (session, MC_STEP_STATUS_OK, shown->str, _("Received the server’s capabilities."));
  return TRUE;
}

static gboolean
pop3_starttls (McSession  *session,
               GError    **error)
{
  g_autofree char *line = NULL;
  Pop3Status status;

  if (!mc_session_send (session, "STLS", NULL, error) ||
      !pop3_status (session, FALSE, &status, &line, error))
    return FALSE;

  mc_session_step_set_server (session, line);
  if (status != POP3_OK)
    {
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_STARTTLS_REFUSED,
                           _("The server refused to switch to encryption."));
      return FALSE;
    }
  return TRUE;
}

static void
classify_failure (McSession   *session,
                  const char  *line,
                  GError     **error)
{
  mc_session_step_set_server (session, line);

  if (has_code (line, "SYS/TEMP") || has_code (line, "IN-USE") || has_code (line, "LOGIN-DELAY"))
    g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_AUTH_TEMPORARY,
                         _("The server cannot check the login right now."));
  else if (has_code (line, "SYS/PERM"))
    /* RFC 3206: a problem on the server's side, not the user's password. */
    g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_SERVER_REFUSED,
                         _("The server reported a problem on its side and cannot log anyone in."));
  else
    {
      session->result->auth_result = MC_AUTH_RESULT_REJECTED;
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_AUTH_FAILED,
                           _("The server rejected the user name or password."));
    }
}

/* AUTH PLAIN (RFC 5034). TRUE with the server's verdict in @status and
 * @line_out; FALSE with @error, also when the server asks for more than the
 * one response PLAIN has. */
static gboolean
pop3_auth_plain (McSession   *session,
                 const char  *user,
                 const char  *password,
                 Pop3Status  *status,
                 char       **line_out,
                 GError     **error)
{
  g_auto(McSecret) response = mc_sasl_plain_response (user, password);
  g_auto(McSecret) command = g_strdup_printf ("AUTH PLAIN %s", response);
  g_autofree char *line = NULL;

  session->result->auth_used = g_strdup ("PLAIN");
  /* RFC 5034 §4: an initial response only while the command stays within
   * 255 octets; else the response follows the server's "+ ". */
  if (strlen (command) + 2 <= 255)
    {
      if (!mc_session_send (session, command, "AUTH PLAIN " MC_REDACTED, error) ||
          !pop3_status (session, TRUE, status, &line, error))
        return FALSE;
    }
  else
    {
      if (!mc_session_send (session, "AUTH PLAIN", NULL, error) ||
          !pop3_status (session, TRUE, status, &line, error))
        return FALSE;
      if (*status == POP3_CONTINUE && (line[1] == '\0' || line[2] == '\0'))
        {
          g_clear_pointer (&line, g_free);
          if (!mc_session_send (session, response, MC_REDACTED, error) ||
              !pop3_status (session, TRUE, status, &line, error))
            return FALSE;
        }
    }

  if (*status == POP3_CONTINUE)
    {
      /* The initial response was not taken: cancel rather than guess. */
      g_clear_pointer (&line, g_free);
      if (mc_session_send (session, "*", NULL, error))
        pop3_status (session, FALSE, status, &line, NULL);
      g_clear_error (error);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                           _("The server sent a malformed login challenge; the login was cancelled."));
      return FALSE;
    }

  *line_out = g_steal_pointer (&line);
  return TRUE;
}

/* USER, then PASS unless USER was refused (RFC 1939). TRUE with the
 * server's last answer in @status and @line_out. */
static gboolean
pop3_user_pass (McSession   *session,
                const char  *user,
                const char  *password,
                Pop3Status  *status,
                char       **line_out,
                GError     **error)
{
  g_autofree char *user_command = g_strdup_printf ("USER %s", user);
  g_auto(McSecret) pass_command = g_strdup_printf ("PASS %s", password);
  g_autofree char *line = NULL;

  session->result->auth_used = g_strdup ("USER");
  if (!mc_session_send (session, user_command, NULL, error) ||
      !pop3_status (session, FALSE, status, &line, error))
    return FALSE;

  if (*status == POP3_OK)
    {
      g_clear_pointer (&line, g_free);
      if (!mc_session_send (session, pass_command, "PASS " MC_REDACTED, error) ||
          !pop3_status (session, FALSE, status, &line, error))
        return FALSE;
    }

  *line_out = g_steal_pointer (&line);
  return TRUE;
}

static gboolean
pop3_login (McSession  *session,
            GError    **error)
{
  const char *user = mc_settings_get_user (session->settings);
  const char *password = mc_settings_get_password (session->settings);
  g_autofree char *line = NULL;
  Pop3Status status;

  if (mc_session_offers (session, "PLAIN"))
    {
      if (!pop3_auth_plain (session, user, password, &status, &line, error))
        return FALSE;
    }
  else if (mc_session_has_capability (session, "USER") || session->caps->len == 0)
    {
      if (!pop3_user_pass (session, user, password, &status, &line, error))
        return FALSE;
    }
  else
    {
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_NO_MECHANISM,
                           _("The server offers no login method this app can use."));
      return FALSE;
    }

  if (status != POP3_OK)
    {
      classify_failure (session, line, error);
      return FALSE;
    }

  session->result->auth_result = MC_AUTH_RESULT_OK;
  mc_session_step_finish (session, MC_STEP_STATUS_OK, line,
                          _("The server accepted the user name and password."));
  return TRUE;
}

static gboolean
pop3_logout (McSession  *session,
             GError    **error)
{
  g_autofree char *line = NULL;
  Pop3Status status;

  if (!mc_session_send (session, "QUIT", NULL, error) ||
      !pop3_status (session, FALSE, &status, &line, error))
    return FALSE;

  if (status != POP3_OK)
    {
      mc_session_step_set_server (session, line);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                           _("The server did not confirm the logout."));
      return FALSE;
    }

  mc_session_step_finish (session, MC_STEP_STATUS_OK, line, _("Logged out cleanly."));
  return TRUE;
}

const McDialogue mc_pop3_dialogue = {
  .starttls_capability = "STLS",
  .greeting = pop3_greeting,
  .capabilities = pop3_capabilities,
  .starttls = pop3_starttls,
  .login = pop3_login,
  .logout = pop3_logout,
};
