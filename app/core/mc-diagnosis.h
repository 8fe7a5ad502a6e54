/* mc-diagnosis.h: from what went wrong to what to change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-result.h"
#include "mc-settings.h"

G_BEGIN_DECLS

void mc_diagnosis_explain_error (McResult     *result,
                                 McSettings   *settings,
                                 McStepId      failed_step,
                                 const GError *error);
void mc_diagnosis_add           (McResult     *result,
                                 McSettings   *settings,
                                 const char   *code);

void       mc_diagnosis_add_legacy_host (McResult   *result,
                                         McSettings *settings);
GPtrArray *mc_diagnosis_precheck (McSettings   *settings,
                                  gboolean      include_mode_hints);

G_END_DECLS
