/* mc-session.h: one connection to a mail server, as the dialogues see it (internal)
 *
 * A session lives in the check's worker thread. It owns the connection, the bounded
 * line reader, the phase deadline and the transcript, and reports every step to the
 * thread that started the check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-line-reader.h"
#include "mc-result.h"
#include "mc-settings.h"

G_BEGIN_DECLS

#define MC_CHECK_ERROR (mc_check_error_quark ())

typedef enum
{
  MC_CHECK_ERROR_PROTOCOL,
  MC_CHECK_ERROR_CLOSED,
  MC_CHECK_ERROR_TIMEOUT,
  MC_CHECK_ERROR_SERVER_REFUSED,
  MC_CHECK_ERROR_STARTTLS_NOT_OFFERED,
  MC_CHECK_ERROR_STARTTLS_REFUSED,
  MC_CHECK_ERROR_INJECTION,
  MC_CHECK_ERROR_PREAUTH,
  MC_CHECK_ERROR_TLS_VERSION,
  MC_CHECK_ERROR_TLS_UNAVAILABLE,
  MC_CHECK_ERROR_TLS_FAILED,
  MC_CHECK_ERROR_NOT_TLS,
  MC_CHECK_ERROR_CERTIFICATE,
  MC_CHECK_ERROR_AUTH_FAILED,
  MC_CHECK_ERROR_AUTH_TEMPORARY,
  MC_CHECK_ERROR_NO_MECHANISM,
  MC_CHECK_ERROR_LOGIN_DISABLED,
  MC_CHECK_ERROR_RESOLVE,
  MC_CHECK_ERROR_CONNECT,
  MC_CHECK_ERROR_EXPECTS_TLS,
  MC_CHECK_ERROR_CA_FILE,
} McCheckError;

/* Server replies longer than this many lines (CAPA, EHLO, IMAP untagged data) are
 * cut off with a protocol error; real servers send a few dozen. */
#define MC_REPLY_MAX_LINES 512
#define MC_REPLY_MAX_BYTES (256 * 1024)
/* Capabilities kept in the result for display and reports (all are used). */
#define MC_CAPS_SHOWN_MAX 100
#define MC_SERVER_TEXT_MAX_CHARS 1024

/* What a step shows of the server's reply: its first lines, each shortened. */
#define MC_STEP_SERVER_MAX_LINES 16
#define MC_STEP_SERVER_LINE_CHARS 300
#define MC_STEP_SERVER_MAX_BYTES 1024

/* The transcript keeps at most this many lines and bytes; the rest is counted
 * in McResult.transcript_omitted. */
#define MC_TRANSCRIPT_MAX_LINES 4000
#define MC_TRANSCRIPT_MAX_BYTES (256 * 1024)

/* What the transcript shows instead of the argument of a command that carries
 * credentials, and instead of a whole server line that repeated them. Fixed
 * markers, not translated: support tools look for them. */
#define MC_REDACTED "[credentials hidden]"
#define MC_SERVER_LINE_HIDDEN "[server line hidden: it repeated the credentials]"

typedef struct _McSession McSession;
typedef void (*McStepFunc) (const McStep *step,
                            guint         index,
                            gpointer      user_data);

typedef struct
{
  const char *starttls_capability;
  gboolean  (*greeting)     (McSession  *session,
                             GError    **error);
  gboolean  (*capabilities) (McSession  *session,
                             GError    **error);
  gboolean  (*starttls)     (McSession  *session,
                             GError    **error);
  gboolean  (*login)        (McSession  *session,
                             GError    **error);
  gboolean  (*logout)       (McSession  *session,
                             GError    **error);
} McDialogue;

extern const McDialogue mc_imap_dialogue;
extern const McDialogue mc_pop3_dialogue;
extern const McDialogue mc_smtp_dialogue;

struct _McSession
{
  McSettings         *settings;
  McResult           *result;

  /* Where step events go. */
  GMainContext       *caller_context;
  McStepFunc          step_func;
  gpointer            step_data;
  GDestroyNotify      step_data_destroy;

  /* Cancellation: the caller's cancellable cancels the check cancellable, and so
   * does the overall deadline; the check cancellable cancels the phase
   * cancellable, and so does the phase deadline. Probes take the check's. */
  GCancellable       *user_cancellable;
  GCancellable       *check_cancellable;
  GCancellable       *phase_cancellable;
  gulong              user_cancelled_id;
  gulong              check_cancelled_id;
  GSource            *deadline;
  GSource            *overall_deadline;
  guint               overall_ms;

  GSocketConnection  *connection;
  GIOStream          *stream;
  GTlsConnection     *tls;
  McLineReader       *reader;
  GTlsCertificateFlags accepted_errors;

  McStep             *step;
  gint64              step_started;

  /* Dialogue state. */
  guint               tag;
  gboolean            caps_known;
  gboolean            preauth;
  gboolean            is_probe;      /* a credential-free look at other settings */
  GPtrArray          *caps;          /* current capability tokens, upper-case */
  char               *local_literal; /* SMTP EHLO argument */
  char               *tls_failure;   /* GnuTLS's words for a failed handshake */

  /* Credentials as they may come back from the server; wiped on free. */
  GPtrArray          *secret_forms;
  gsize               transcript_bytes;
};

GQuark      mc_check_error_quark         (void);
McSession  *mc_session_new               (McSettings    *settings,
                                          GMainContext  *caller_context,
                                          GCancellable  *cancellable);
void        mc_session_free              (McSession     *self);
guint       mc_session_login_timeout     (guint          timeout);
guint       mc_session_overall_timeout   (guint          timeout);
void        mc_session_start_overall_deadline (McSession *self,
                                               guint      ms);
void        mc_session_run               (McSession     *self);

void        mc_session_step_begin        (McSession     *self,
                                          McStepId       id);
void        mc_session_step_finish       (McSession     *self,
                                          McStepStatus   status,
                                          const char    *server,
                                          const char    *summary);
void        mc_session_step_set_server   (McSession     *self,
                                          const char    *server);

gboolean    mc_session_connect           (McSession     *self,
                                          GError       **error);
gboolean    mc_session_tls_step          (McSession     *self,
                                          GError       **error);
McResult   *mc_run_probe                 (McSession     *self,
                                          McSecurity     security,
                                          guint16        port,
                                          GCancellable  *cancellable,
                                          guint          timeout);
void        mc_session_step_skip         (McSession     *self,
                                          McStepId       id,
                                          const char    *summary);
void        mc_session_translate_error   (McSession     *self,
                                          GError       **error);
gboolean    mc_session_send              (McSession     *self,
                                          const char    *line,
                                          const char    *shown,
                                          GError       **error);
char       *mc_session_read_line         (McSession     *self,
                                          GError       **error);
GBytes     *mc_session_read_literal      (McSession     *self,
                                          gsize          count,
                                          GError       **error);
gboolean    mc_session_is_encrypted      (McSession     *self);
void        mc_session_set_capabilities  (McSession     *self,
                                          GPtrArray     *caps);
void        mc_session_add_offered       (McSession     *self,
                                          const char    *mechanism);
gboolean    mc_session_has_capability    (McSession     *self,
                                          const char    *token);
const char *mc_session_find_capability   (McSession     *self,
                                          const char    *prefix);
void        mc_session_note              (McSession     *self,
                                          const char    *text);

McResult   *mc_session_run_dialogue_on_stream (McSettings *settings,
                                               GIOStream  *stream);

GPtrArray  *mc_split_tokens              (const char    *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (McSession, mc_session_free)

G_END_DECLS
