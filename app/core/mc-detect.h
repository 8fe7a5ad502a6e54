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

char           *mc_detect_result_to_json  (McDetectResult       *self);
char           *mc_detect_result_to_text  (McDetectResult       *self);

#define MC_DETECT_ALL_PROTOCOLS ((1u << MC_PROTOCOL_POP3) | (1u << MC_PROTOCOL_IMAP) | (1u << MC_PROTOCOL_SMTP))

G_DEFINE_AUTOPTR_CLEANUP_FUNC (McDetectResult, mc_detect_result_unref)

G_END_DECLS
