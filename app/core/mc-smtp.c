/* mc-smtp.c: the SMTP submission dialogue (RFC 5321, STARTTLS per RFC 3207,
 * AUTH per RFC 4954)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-smtp"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-sasl.h"
#include "mc-session-private.h"

/* RFC 5321 §4.5.3.1.4: a command line is at most 512 octets with CRLF. */
#define SMTP_COMMAND_MAX 510

typedef struct
{
  guint      code;
  GPtrArray *lines;   /* text after "NNN-" / "NNN " */
  GString   *raw;     /* the reply as shown to the user */
} SmtpReply;

static void
smtp_reply_clear (SmtpReply *reply)
{
  g_clear_pointer (&reply->lines, g_ptr_array_unref);
  if (reply->raw != NULL)
    g_string_free (g_steal_pointer (&reply->raw), TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SmtpReply, smtp_reply_clear)

/* A reply is one or more lines "NNN-text" ending with "NNN text" (or just "NNN"),
 * all with the same code. Anything else is a protocol error. */
static gboolean
smtp_read_reply (McSession  *session,
                 SmtpReply  *reply,
                 GError    **error)
{
  gsize bytes = 0;

  reply->code = 0;
  reply->lines = g_ptr_array_new_with_free_func (g_free);
  reply->raw = g_string_new (NULL);

  for (;;)
    {
      g_autofree char *line = mc_session_read_line (session, error);
      guint code;
      gboolean last;

      if (line == NULL)
        return FALSE;

      if (reply->raw->len > 0)
        g_string_append_c (reply->raw, '\n');
      g_string_append (reply->raw, line);

      if (strlen (line) < 3 ||
          !g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2]) ||
          line[0] < '2' || line[0] > '5' ||
          (line[3] != '\0' && line[3] != ' ' && line[3] != '-'))
        {
          mc_session_step_set_server (session, reply->raw->str);
          g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                               _("The server did not answer like an SMTP server."));
          return FALSE;
        }

      code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
      if (reply->code != 0 && code != reply->code)
        {
          mc_session_step_set_server (session, reply->raw->str);
          g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                               _("The server mixed different reply codes in one reply."));
          return FALSE;
        }
      reply->code = code;
      last = line[3] != '-';
      g_ptr_array_add (reply->lines, g_strdup (line[3] ? line + 4 : ""));

      bytes += strlen (line);
      if (last)
        return TRUE;
      if (reply->lines->len >= MC_REPLY_MAX_LINES || bytes > MC_REPLY_MAX_BYTES)
        {
          g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                               _("The server sent too many lines without finishing its reply."));
          return FALSE;
        }
    }
}

static gboolean
smtp_greeting (McSession  *session,
               GError    **error)
{
  g_auto(SmtpReply) reply = { 0 };

  if (!smtp_read_reply (session, &reply, error))
    return FALSE;

  mc_session_step_set_server (session, reply.raw->str);
  if (reply.code != 220)
    {
      if (reply.code >= 400)
        g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_SERVER_REFUSED,
                             _("The server turned the connection away."));
      else
        g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                             _("The server did not greet like an SMTP server."));
      return FALSE;
    }

  mc_session_step_finish (session, MC_STEP_STATUS_OK, NULL, _("The SMTP server greeted this connection."));
  return TRUE;
}

static gboolean
smtp_capabilities (McSession  *session,
                   GError    **error)
{
  g_auto(SmtpReply) reply = { 0 };
  g_autofree char *command = g_strdup_printf ("EHLO %s", session->local_literal);
  g_autoptr(GPtrArray) caps = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *summary = NULL;

  mc_session_step_begin (session, MC_STEP_CAPABILITIES);

  if (!mc_session_send (session, command, NULL, error) ||
      !smtp_read_reply (session, &reply, error))
    return FALSE;

  mc_session_step_set_server (session, reply.raw->str);
  if (reply.code != 250)
    {
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                           _("The server refused the EHLO command, so it offers no extensions."));
      return FALSE;
    }

  /* The first line is the server's name; each further line one extension. */
  for (guint i = 1; i < reply.lines->len; i++)
    {
      const char *line = g_ptr_array_index (reply.lines, i);

      if (line[0] != '\0')
        g_ptr_array_add (caps, g_strdup (line));
    }
  mc_session_set_capabilities (session, caps);
  mc_session_set_offered_from (session, "AUTH");

  summary = mc_session_describe_offered (session);
  mc_session_step_finish (session, MC_STEP_STATUS_OK, NULL,
                          summary != NULL ? summary : _("Received the server’s capabilities."));
  return TRUE;
}

static gboolean
smtp_starttls (McSession  *session,
               GError    **error)
{
  g_auto(SmtpReply) reply = { 0 };

  if (!mc_session_send (session, "STARTTLS", NULL, error) ||
      !smtp_read_reply (session, &reply, error))
    return FALSE;

  mc_session_step_set_server (session, reply.raw->str);
  if (reply.code == 220)
    return TRUE;

  if (reply.code >= 400)
    g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_STARTTLS_REFUSED,
                         _("The server refused to switch to encryption."));
  else
    g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                         _("The server answered STARTTLS with something other than “ready”."));
  return FALSE;
}

/* Answers the server's 334 challenges: PLAIN gets the response once, LOGIN the
 * user name and then the password. Challenges are validated as strict base64
 * and a malformed one cancels the exchange with "*" (RFC 4954 §4). */
static gboolean
smtp_sasl_exchange (McSession   *session,
                    gboolean     plain,
                    const char  *plain_response,
                    SmtpReply   *reply,
                    GError     **error)
{
  const char *user = mc_settings_get_user (session->settings);
  const char *password = mc_settings_get_password (session->settings);
  guint round = 0;

  while (reply->code == 334)
    {
      const char *challenge = g_ptr_array_index (reply->lines, 0);
      g_auto(McSecret) answer = NULL;

      if (round >= (plain ? 1u : 2u) || !mc_sasl_is_valid_base64 (challenge) ||
          (plain && challenge[0] != '\0'))
        {
          smtp_reply_clear (reply);
          if (mc_session_send (session, "*", NULL, error))
            smtp_read_reply (session, reply, NULL);
          g_clear_error (error);
          g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                               _("The server sent a malformed login challenge; the login was cancelled."));
          return FALSE;
        }

      if (plain)
        answer = g_strdup (plain_response);
      else
        answer = mc_sasl_base64 (round == 0 ? user : password);
      round++;

      smtp_reply_clear (reply);
      if (!mc_session_send (session, answer, MC_REDACTED, error) ||
          !smtp_read_reply (session, reply, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
smtp_login (McSession  *session,
            GError    **error)
{
  const char *user = mc_settings_get_user (session->settings);
  const char *password = mc_settings_get_password (session->settings);
  g_auto(SmtpReply) reply = { 0 };
  g_auto(McSecret) response = NULL;
  gboolean plain;

  if (mc_session_offers (session, "PLAIN"))
    plain = TRUE;
  else if (mc_session_offers (session, "LOGIN"))
    plain = FALSE;
  else
    {
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_NO_MECHANISM,
                           _("The server offers no login method this app can use."));
      return FALSE;
    }

  session->result->auth_used = g_strdup (plain ? "PLAIN" : "LOGIN");
  if (plain)
    {
      g_auto(McSecret) command = NULL;

      response = mc_sasl_plain_response (user, password);
      command = g_strdup_printf ("AUTH PLAIN %s", response);
      /* The initial response only when the line stays within the limit. */
      if (strlen (command) <= SMTP_COMMAND_MAX)
        {
          if (!mc_session_send (session, command, "AUTH PLAIN " MC_REDACTED, error))
            return FALSE;
        }
      else if (!mc_session_send (session, "AUTH PLAIN", NULL, error))
        return FALSE;
    }
  else if (!mc_session_send (session, "AUTH LOGIN", NULL, error))
    return FALSE;

  if (!smtp_read_reply (session, &reply, error) ||
      !smtp_sasl_exchange (session, plain, response, &reply, error))
    return FALSE;

  mc_session_step_set_server (session, reply.raw->str);
  switch (reply.code)
    {
    case 235:
      session->result->auth_result = MC_AUTH_RESULT_OK;
      mc_session_step_finish (session, MC_STEP_STATUS_OK, NULL,
                              _("The server accepted the user name and password."));
      return TRUE;

    case 535:
      session->result->auth_result = MC_AUTH_RESULT_REJECTED;
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_AUTH_FAILED,
                           _("The server rejected the user name or password."));
      return FALSE;

    case 530:
    case 538:
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_LOGIN_DISABLED,
                           _("The server does not allow a password login on this connection."));
      return FALSE;

    case 534:
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_NO_MECHANISM,
                           _("The server wants a stronger login method than a normal password."));
      return FALSE;

    default:
      if (reply.code >= 400 && reply.code < 500)
        g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_AUTH_TEMPORARY,
                             _("The server cannot check the login right now."));
      else
        g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                             _("The server answered the login in an unexpected way."));
      return FALSE;
    }
}

/* The enhanced status code that starts a reply's text (RFC 3463): "5.7.1". */
static gboolean
parse_enhanced_code (const char *text,
                     guint      *klass,
                     guint      *subject,
                     guint      *detail)
{
  guint64 parts[3];
  const char *p = text;

  for (guint i = 0; i < 3; i++)
    {
      char *end = NULL;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      parts[i] = g_ascii_strtoull (p, &end, 10);
      if (end == p || end - p > 3 || (i < 2 && *end != '.') || (i == 2 && *end != '\0' && *end != ' '))
        return FALSE;
      p = end + 1;
    }
  *klass = parts[0];
  *subject = parts[1];
  *detail = parts[2];
  return *klass >= 2 && *klass <= 5;
}

/* What a refusal of MAIL FROM or RCPT TO means. Servers say it in the
 * enhanced code where they have one (x.2.2 mailbox full, x.3.1 system full),
 * else in the reply code; the words "sender" and "relay" tell Postfix's
 * refusals apart, which refuses a sender only at RCPT TO
 * (smtpd_delay_reject, its default). */
static McCheckError
classify_refusal (const SmtpReply *reply,
                  McStepId         step)
{
  g_autofree char *joined = NULL;
  g_autofree char *text = NULL;
  guint klass, subject = 0, detail = 0;
  gboolean enhanced;
  gboolean storage;

  g_ptr_array_add (reply->lines, NULL);
  joined = g_strjoinv (" ", (char **)reply->lines->pdata);
  g_ptr_array_remove_index (reply->lines, reply->lines->len - 1);
  text = g_ascii_strdown (joined, -1);
  enhanced = parse_enhanced_code (g_ptr_array_index (reply->lines, 0), &klass, &subject, &detail);

  if (enhanced)
    storage = (subject == 2 && detail == 2) || (subject == 3 && detail == 1);
  else
    storage = reply->code == 452 || reply->code == 552;
  if (storage || strstr (text, "quota") != NULL || strstr (text, "mailbox full") != NULL ||
      strstr (text, "mailbox is full") != NULL)
    return MC_CHECK_ERROR_MAILBOX_FULL;

  if (reply->code < 500)
    return MC_CHECK_ERROR_SENDING_TEMPORARY;
  if (step == MC_STEP_SENDER || strstr (text, "sender") != NULL)
    return MC_CHECK_ERROR_SENDER_REFUSED;
  if (strstr (text, "relay") != NULL || (reply->code == 554 && enhanced && subject == 7 && detail == 1))
    return MC_CHECK_ERROR_RELAY_DENIED;
  return MC_CHECK_ERROR_RECIPIENT_REFUSED;
}

static void
set_refusal_error (GError         **error,
                   const SmtpReply *reply,
                   McStepId         step,
                   const char      *address)
{
  McCheckError code = classify_refusal (reply, step);

  switch (code)
    {
    case MC_CHECK_ERROR_MAILBOX_FULL:
      if (step == MC_STEP_SENDER)
        g_set_error_literal (error, MC_CHECK_ERROR, code,
                             _("The server refuses to send: a storage limit of the mailbox is reached."));
      else
        /* Translators: %s is the user's e-mail address */
        g_set_error (error, MC_CHECK_ERROR, code, _("The server refuses mail to %s: the mailbox is full."),
                     address);
      break;

    case MC_CHECK_ERROR_SENDING_TEMPORARY:
      g_set_error_literal (error, MC_CHECK_ERROR, code,
                           _("The server cannot accept this address right now (a temporary refusal)."));
      break;

    case MC_CHECK_ERROR_SENDER_REFUSED:
      if (step == MC_STEP_SENDER)
        /* Translators: %s is the user's e-mail address */
        g_set_error (error, MC_CHECK_ERROR, code, _("The server refuses %s as sender for this login."),
                     address);
      else
        g_set_error (error, MC_CHECK_ERROR, code,
                     /* Translators: %s is the user's e-mail address */
                     _("The server refuses %s as sender for this login (it said so at the recipient)."),
                     address);
      break;

    case MC_CHECK_ERROR_RELAY_DENIED:
      g_set_error_literal (error, MC_CHECK_ERROR, code,
                           _("The server does not let this login send mail (relaying denied)."));
      break;

    case MC_CHECK_ERROR_RECIPIENT_REFUSED:
    default:
      /* Translators: %s is the user's e-mail address */
      g_set_error (error, MC_CHECK_ERROR, MC_CHECK_ERROR_RECIPIENT_REFUSED,
                   _("The server refuses %s as recipient."), address);
      break;
    }
}

/* The envelope check: may this login send as this address? MAIL FROM and
 * RCPT TO with the customer's own address (no third party is involved), then
 * RSET; DATA is never sent, so no message can ever go out. Each command runs
 * under its step's deadline, RSET under the recipient's. */
static gboolean
smtp_envelope (McSession  *session,
               GError    **error)
{
  const char *address = mc_settings_get_envelope_address (session->settings);
  g_auto(SmtpReply) reply = { 0 };
  g_autofree char *wire = NULL;
  g_autofree char *command = NULL;
  g_autofree char *summary = NULL;
  gboolean smtputf8 = FALSE;
  gboolean accepted;

  mc_session_step_begin (session, MC_STEP_SENDER);
  wire = mc_mail_address_to_wire (address, &smtputf8);
  if (wire == NULL)
    {
      mc_session_step_finish (session, MC_STEP_STATUS_SKIPPED, NULL,
                              _("Not tried: no e-mail address was given."));
      return TRUE;
    }
  if (smtputf8 && !mc_session_has_capability (session, "SMTPUTF8"))
    {
      mc_session_step_finish (session, MC_STEP_STATUS_SKIPPED, NULL,
                              _("Not tried: the address has characters beyond ASCII, and the server does not "
                                "offer international addresses (SMTPUTF8)."));
      return TRUE;
    }

  g_free (session->result->envelope_address);
  session->result->envelope_address = mc_sanitize_server_text (wire, -1, MC_ADDRESS_MAX_LENGTH);
  command = g_strdup_printf ("MAIL FROM:<%s>%s", wire, smtputf8 ? " SMTPUTF8" : "");
  if (!mc_session_send (session, command, NULL, error) ||
      !smtp_read_reply (session, &reply, error))
    return FALSE;
  mc_session_step_set_server (session, reply.raw->str);
  if (reply.code != 250)
    {
      set_refusal_error (error, &reply, MC_STEP_SENDER, wire);
      return FALSE;
    }
  /* Translators: %s is the user's e-mail address */
  summary = g_strdup_printf (_("The server accepts %s as sender."), wire);
  mc_session_step_finish (session, MC_STEP_STATUS_OK, NULL, summary);
  g_clear_pointer (&summary, g_free);

  mc_session_step_begin (session, MC_STEP_RECIPIENT);
  g_clear_pointer (&command, g_free);
  command = g_strdup_printf ("RCPT TO:<%s>", wire);
  smtp_reply_clear (&reply);
  if (!mc_session_send (session, command, NULL, error) ||
      !smtp_read_reply (session, &reply, error))
    return FALSE;
  mc_session_step_set_server (session, reply.raw->str);
  accepted = reply.code == 250 || reply.code == 251;

  /* The transaction ends here either way. */
  {
    g_auto(SmtpReply) reset = { 0 };

    if (!mc_session_send (session, "RSET", NULL, error) ||
        !smtp_read_reply (session, &reset, error))
      return FALSE;
  }

  if (!accepted)
    {
      set_refusal_error (error, &reply, MC_STEP_RECIPIENT, wire);
      return FALSE;
    }
  /* Translators: %s is the user's e-mail address */
  summary = g_strdup_printf (_("The server accepts mail to %s. Nothing was sent: the test stopped before "
                               "the message."), wire);
  mc_session_step_finish (session, MC_STEP_STATUS_OK, NULL, summary);
  return TRUE;
}

static gboolean
smtp_logout (McSession  *session,
             GError    **error)
{
  g_auto(SmtpReply) reply = { 0 };

  if (!mc_session_send (session, "QUIT", NULL, error) ||
      !smtp_read_reply (session, &reply, error))
    return FALSE;

  if (reply.code != 221)
    {
      mc_session_step_set_server (session, reply.raw->str);
      g_set_error_literal (error, MC_CHECK_ERROR, MC_CHECK_ERROR_PROTOCOL,
                           _("The server did not confirm the logout."));
      return FALSE;
    }

  mc_session_step_finish (session, MC_STEP_STATUS_OK, reply.raw->str, _("Logged out cleanly."));
  return TRUE;
}

const McDialogue mc_smtp_dialogue = {
  .starttls_capability = "STARTTLS",
  .greeting = smtp_greeting,
  .capabilities = smtp_capabilities,
  .starttls = smtp_starttls,
  .login = smtp_login,
  .logout = smtp_logout,
  .envelope = smtp_envelope,
};
