/* mc-diagnosis.h: what the engine can say about settings before a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-result.h"
#include "mc-settings.h"

G_BEGIN_DECLS

GPtrArray *mc_diagnosis_precheck (McSettings *settings,
                                  gboolean    include_mode_hints);

G_END_DECLS
