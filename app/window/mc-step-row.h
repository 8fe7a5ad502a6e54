/* mc-step-row.h: one step of a running or finished test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mc-result.h"

G_BEGIN_DECLS

#define MC_TYPE_STEP_ROW (mc_step_row_get_type ())

G_DECLARE_FINAL_TYPE (McStepRow, mc_step_row, MC, STEP_ROW, AdwPreferencesRow)

GtkWidget    *mc_step_row_new             (void);
void          mc_step_row_update          (McStepRow    *self,
                                           const McStep *step);
McStepId      mc_step_row_get_step_id     (McStepRow    *self);
McStepStatus  mc_step_row_get_status      (McStepRow    *self);
const char   *mc_step_row_get_summary     (McStepRow    *self);
const char   *mc_step_row_get_server_note (McStepRow    *self);
const char   *mc_step_row_get_duration    (McStepRow    *self);

G_END_DECLS
