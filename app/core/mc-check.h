/* mc-check.h: runs one account test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-result.h"
#include "mc-settings.h"

G_BEGIN_DECLS

#define MC_TYPE_CHECK (mc_check_get_type ())

G_DECLARE_FINAL_TYPE (McCheck, mc_check, MC, CHECK, GObject)

McCheck    *mc_check_new            (McSettings           *settings);
McSettings *mc_check_get_settings   (McCheck              *self);
void        mc_check_set_background (McCheck              *self,
                                     gboolean              background);
void        mc_check_run_async      (McCheck              *self,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
McResult   *mc_check_run_finish     (McCheck              *self,
                                     GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
