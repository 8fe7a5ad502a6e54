/* mc-detect.h: find the working settings of a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-result.h"

G_BEGIN_DECLS

typedef struct
{
  gatomicrefcount  ref_count;
  char            *host;
  GPtrArray       *probes;                       /* McResult, in the order of the table */
  McResult        *recommended[MC_N_PROTOCOLS];  /* borrowed from probes, or NULL */
  gboolean         provider_known;
} McDetectResult;

/* How one probe of a search ended, for people to read. */
typedef enum
{
  MC_DETECT_ANSWERS,              /* answers and encrypts; a login was not tried */
  MC_DETECT_ANSWERS_UNPUBLISHED,  /* ... but the provider does not publish it */
  MC_DETECT_NOT_FOUND,            /* the name did not resolve */
  MC_DETECT_REFUSED,              /* nothing listens on the port */
  MC_DETECT_SILENT,               /* nothing answered at all */
  MC_DETECT_FAILED,               /* anything else; the probe's own steps say what */
} McDetectState;

/* What a search found out when nothing worked, and the provider's server as a
 * fix where the user is the provider's customer and entered another name. */
typedef struct
{
  char *text;
  char *fix_host;
} McDetectSummary;

#define MC_TYPE_DETECT_RESULT (mc_detect_result_get_type ())

GType           mc_detect_result_get_type (void) G_GNUC_CONST;
McDetectResult *mc_detect_result_ref      (McDetectResult       *self);
void            mc_detect_result_unref    (McDetectResult       *self);

void            mc_detect_run_async       (const char           *host,
                                           guint                 protocols,
                                           const char           *ca_file,
                                           guint                 timeout,
                                           gboolean              background,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
McDetectResult *mc_detect_run_finish      (GAsyncResult         *result,
                                           GError              **error);

McDetectState   mc_detect_result_get_state (McDetectResult      *self,
                                            McResult            *probe);
char           *mc_detect_state_describe  (McDetectResult       *self,
                                           McResult             *probe);
McDetectSummary *mc_detect_result_summarize (McDetectResult     *self,
                                             const char         *address);
void            mc_detect_summary_free    (McDetectSummary      *summary);
char           *mc_detect_result_to_json  (McDetectResult       *self);
char           *mc_detect_result_to_text  (McDetectResult       *self);

#define MC_DETECT_ALL_PROTOCOLS ((1u << MC_PROTOCOL_POP3) | (1u << MC_PROTOCOL_IMAP) | (1u << MC_PROTOCOL_SMTP))

G_DEFINE_AUTOPTR_CLEANUP_FUNC (McDetectResult, mc_detect_result_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (McDetectSummary, mc_detect_summary_free)

G_END_DECLS
