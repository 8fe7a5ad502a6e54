/* mc-report-export.h: the report as the user copies or saves it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-clients.h"
#include "mc-result.h"

G_BEGIN_DECLS

char     *mc_report_export_text         (McResult             *result,
                                         const McClient       *client);
char     *mc_report_export_json         (McResult             *result,
                                         const McClient       *client);
void      mc_report_export_save_async   (McResult             *result,
                                         const McClient       *client,
                                         GFile                *file,
                                         gboolean              json,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  mc_report_export_save_finish  (GFile                *file,
                                         GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
