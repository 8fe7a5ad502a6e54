/* mc-session-private.h: one connection to a mail server, as the engine's own
 * files see it — never included by app/ (the window and the CLI use mc-check.h)
 *
 * A session lives in the check's worker thread. It owns the connection, the
 * bounded line reader, the phase deadline and the transcript, and reports every
 * step to the thread that started the check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-check.h"
#include "mc-line-reader.h"
#include "mc-result.h"
#include "mc-settings.h"

G_BEGIN_DECLS

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
typedef struct _McProbe McProbe;
typedef void (*McStepFunc) (const McStep *step,
                            guint         index,
                            gpointer      user_data);

/* One protocol's dialogue: each function runs one step on the session and
 * finishes it, or returns FALSE with an MC_CHECK_ERROR. */
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
  /* SMTP only, else NULL: MAIL FROM and RCPT TO after the login, each a step
   * of its own; FALSE with the refusal when the server refused. */
  gboolean  (*envelope)     (McSession  *session,
                             GError    **error);
} McDialogue;

extern const McDialogue mc_imap_dialogue;
extern const McDialogue mc_pop3_dialogue;
extern const McDialogue mc_smtp_dialogue;

struct _McSession
{
  /* Owned references, set at creation. */
  McSettings         *settings;          /* a copy of the check's; holds the password */
  McResult           *result;            /* what the check found; handed to the caller at the end */
  GMainContext       *caller_context;    /* where step events and deadlines run; NULL: the global default */

  /* Where step events go; @step_data is freed with @step_data_destroy. */
  McStepFunc          step_func;
  gpointer            step_data;
  GDestroyNotify      step_data_destroy;

  /* Cancellation (all owned): the caller's cancellable cancels the check
   * cancellable, and so does the overall deadline; the check cancellable
   * cancels the phase cancellable, and so does the phase deadline. Probes take
   * the check's. */
  GCancellable       *user_cancellable;  /* the caller's, or NULL */
  GCancellable       *check_cancellable;
  GCancellable       *phase_cancellable;
  gulong              user_cancelled_id;
  gulong              check_cancelled_id;
  GSource            *deadline;          /* the current phase's, or NULL */
  GSource            *overall_deadline;  /* started by mc_session_run() */
  guint               overall_ms;

  /* The connection (all owned); @stream is the connection or, after the
   * handshake, the TLS connection that @tls also points to. */
  GSocketConnection  *connection;
  GIOStream          *stream;
  GTlsConnection     *tls;
  McLineReader       *reader;            /* reads @stream */
  GTlsCertificateFlags accepted_errors;  /* what the accept-certificate handler saw */

  /* The running step: borrowed from result->steps. */
  McStep             *step;
  gint64              step_started;

  /* Dialogue state. */
  guint               tag;               /* the last IMAP tag number */
  gboolean            caps_known;
  gboolean            preauth;
  gboolean            is_probe;          /* a credential-free look at other settings */
  gboolean            no_probes;         /* explain a failure without probing other ports */
  gboolean            starttls_offered;  /* the server listed STARTTLS (or STLS) before TLS */
  GNetworkConnectivity connectivity;     /* what the computer said before the check began */
  GPtrArray          *caps;              /* owned: current capability tokens */
  char               *local_literal;     /* owned: the SMTP EHLO argument */
  char               *tls_failure;       /* owned: GnuTLS's words for a failed handshake */
  char               *tls_alert;         /* owned: the alert the server refused TLS with */

  /* Addresses (owned, or NULL): a probe connects to @pinned_address only,
   * never to the others the name resolves to; @fallback_from is an address of
   * the other family that the connect tried first before it fell back. */
  GInetAddress       *pinned_address;
  GInetAddress       *fallback_from;

  /* What probes found before the failure was explained (owned, or NULL). */
  McProbe            *probe_here;
  McProbe            *probe_elsewhere;

  /* Credentials as they may come back from the server; owned, wiped on free. */
  GPtrArray          *secret_forms;
  gsize               transcript_bytes;
};

McSession  *mc_session_new               (McSettings    *settings,
                                          GMainContext  *caller_context,
                                          GCancellable  *cancellable);
void        mc_session_free              (McSession     *self);
void        mc_session_run               (McSession     *self);
guint       mc_session_login_timeout     (guint          timeout);
guint       mc_session_overall_timeout   (guint          timeout);
void        mc_session_start_overall_deadline (McSession *self,
                                               guint      ms);

void        mc_session_step_begin        (McSession     *self,
                                          McStepId       id);
void        mc_session_step_finish       (McSession     *self,
                                          McStepStatus   status,
                                          const char    *server,
                                          const char    *summary);
void        mc_session_step_set_server   (McSession     *self,
                                          const char    *server);
void        mc_session_step_skip         (McSession     *self,
                                          McStepId       id,
                                          const char    *summary);

gboolean    mc_session_connect           (McSession     *self,
                                          GError       **error);
gboolean    mc_session_tls_step          (McSession     *self,
                                          GError       **error);
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
void        mc_session_set_offered_from  (McSession     *self,
                                          const char    *keyword);
gboolean    mc_session_offers            (McSession     *self,
                                          const char    *mechanism);
char       *mc_session_describe_offered  (McSession     *self);
const char *mc_session_find_masked_capability (McSession *self,
                                               const char *keyword);
void        mc_session_note              (McSession     *self,
                                          const char    *text);
void        mc_session_add_server_alert  (McSession     *self,
                                          const char    *text);

/* One connect on a private context, run until @done. */
typedef struct
{
  GSocketConnection  *connection;   /* owned, or NULL with @error set */
  GError             *error;        /* owned */
  gboolean            done;
} McConnectAttempt;

void        mc_connect_attempt_done      (GObject       *object,
                                          GAsyncResult  *result,
                                          gpointer       user_data);

McResult   *mc_session_run_dialogue_on_stream (McSettings *settings,
                                               GIOStream  *stream);

GPtrArray  *mc_split_tokens              (const char    *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (McSession, mc_session_free)

G_END_DECLS
