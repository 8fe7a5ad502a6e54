/* mc-result.h: everything one check found out, for the window, the CLI and the report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-types.h"

G_BEGIN_DECLS

typedef struct
{
  McStepId      id;
  McStepStatus  status;
  gint64        ms;
  char         *summary;   /* translated, one sentence */
  char         *server;    /* the server's own line(s), sanitised; may be NULL */
  gboolean      server_before_tls;
} McStep;

typedef struct
{
  char       *code;        /* stable, see docs/cli.md */
  char       *text;        /* translated sentence naming the setting to change */
  /* A fix the window can apply to the form: -1 / 0 / NULL mean "leave as is".
   * A host or user name here never comes from the server (security rule 11). */
  int         fix_security;
  guint16     fix_port;
  char       *fix_host;
  char       *fix_user;
  /* The form field the advice is about ("password", "user", "address",
   * "host", "port", "security"), or NULL; a static string. */
  const char *field;
} McAdvice;

typedef struct
{
  char        direction;   /* 'C' client, 'S' server, '*' a note from the app */
  gboolean    encrypted;
  char       *text;        /* already redacted and sanitised */
} McTranscriptLine;

/* Words the server asked to be shown to the user (IMAP [ALERT], RFC 3501). */
typedef struct
{
  char       *text;        /* sanitised */
  gboolean    before_tls;  /* arrived unencrypted: could be forged */
} McServerAlert;

typedef struct
{
  char                 *subject;
  char                 *issuer;
  GStrv                 names;       /* DNS names, then IP addresses, from subjectAltName */
  guint                 names_omitted;  /* names beyond MC_CERTIFICATE_MAX_NAMES */
  GDateTime            *not_before;
  GDateTime            *not_after;
  char                 *sha256;      /* "AB:CD:…" */
  GTlsCertificateFlags  errors;
  GStrv                 problems;    /* stable problem names, see mc-certificate.h */
} McCertificateInfo;

typedef struct
{
  gatomicrefcount     ref_count;

  McProtocol          protocol;
  char               *host;          /* as entered (U-labels) */
  char               *host_ascii;
  guint16             port;
  McSecurity          security;
  char               *user;          /* sanitised for display */
  char               *ca_file;       /* the CA file trusted instead of the system's, or NULL */

  McVerdict           verdict;
  GPtrArray          *steps;         /* McStep */
  char               *address;       /* remote address actually used */
  char               *tls_version;   /* "TLS 1.3" */
  char               *tls_cipher;
  char               *tls_alert;     /* the TLS alert the server refused the handshake with */
  McCertificateInfo  *certificate;
  /* The certificate was replaced on the way (antivirus, inspecting proxy):
   * the chain is not the provider's, or an issuer names a known product. */
  gboolean            tls_intercepted;
  char               *tls_interceptor;        /* the product's name, from the app's own list, or NULL */
  int                 tls_interceptor_where;  /* McInterceptorWhere of that product */
  char               *tls_intercept_issuer;   /* the issuer that shows it, sanitised */
  GPtrArray          *caps_before;   /* char*, capabilities seen before TLS */
  GPtrArray          *caps_after;    /* char*, capabilities seen inside TLS */
  GPtrArray          *auth_offered;  /* char*, SASL mechanisms inside TLS */
  char               *auth_used;
  McAuthResult        auth_result;
  GPtrArray          *advice;        /* McAdvice */
  GPtrArray          *alerts;        /* McServerAlert */
  GPtrArray          *transcript;    /* McTranscriptLine */
  guint               transcript_omitted;  /* lines beyond the transcript's caps */

  GNetworkConnectivity connectivity; /* what the computer reported before the check */
  /* What each address family did, where the check learnt it: NULL (not
   * known), "ok", "refused", "no-answer", "stalled" (connected, then the
   * server went silent) or "failed"; static strings, also in the JSON. */
  const char         *ipv4_status;
  const char         *ipv6_status;
  char               *envelope_address;  /* the address the envelope check sent, or NULL */
} McResult;

/* What the verdict means for the user: a check that did not log in never
 * "works" (it may have found the server reachable and encrypted). */
typedef enum
{
  MC_OUTCOME_WORKS,
  MC_OUTCOME_WORKS_WITH_WARNINGS,
  MC_OUTCOME_LOGIN_NOT_TESTED,
  MC_OUTCOME_FAILED,
} McOutcome;

#define MC_TYPE_RESULT (mc_result_get_type ())
#define MC_TYPE_STEP   (mc_step_get_type ())
#define MC_TYPE_ADVICE (mc_advice_get_type ())

GType               mc_result_get_type           (void) G_GNUC_CONST;
GType               mc_step_get_type             (void) G_GNUC_CONST;
GType               mc_advice_get_type           (void) G_GNUC_CONST;
McResult           *mc_result_new                (void);
McResult           *mc_result_ref                (McResult          *self);
void                mc_result_unref              (McResult          *self);
McStep             *mc_result_add_step           (McResult          *self,
                                                  McStepId           id);
McStep             *mc_result_last_step          (McResult          *self);
McStep             *mc_result_find_step          (McResult          *self,
                                                  McStepId           id);
McAdvice           *mc_result_add_advice         (McResult          *self,
                                                  const char        *code,
                                                  const char        *text);
void                mc_result_remove_advice      (McResult          *self,
                                                  const char        *code);
gboolean            mc_result_has_advice         (McResult          *self,
                                                  const char        *code);
void                mc_result_add_transcript     (McResult          *self,
                                                  char               direction,
                                                  gboolean           encrypted,
                                                  const char        *text);
void                mc_result_update_verdict     (McResult          *self);
McOutcome           mc_result_get_outcome        (McResult          *self);
const char         *mc_result_get_address_family (McResult          *self);
void                mc_result_set_family_status  (McResult          *self,
                                                  GSocketFamily      family,
                                                  const char        *status);
gboolean            mc_result_sending_refused    (McResult          *self);

McStep             *mc_step_copy                 (const McStep      *step);
void                mc_step_free                 (McStep            *step);
McAdvice           *mc_advice_copy               (const McAdvice    *advice);
void                mc_advice_free               (McAdvice          *advice);
void                mc_certificate_info_free     (McCertificateInfo *info);

char               *mc_sanitize_server_text      (const char        *text,
                                                  gssize             len,
                                                  gsize              max_chars);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (McResult, mc_result_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (McStep, mc_step_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (McAdvice, mc_advice_free)

G_END_DECLS
