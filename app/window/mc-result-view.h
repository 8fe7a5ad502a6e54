/* mc-result-view.h: the live steps and the outcome of one test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mc-clients.h"
#include "mc-result.h"
#include "mc-step-row.h"

G_BEGIN_DECLS

#define MC_TYPE_RESULT_VIEW (mc_result_view_get_type ())

G_DECLARE_FINAL_TYPE (McResultView, mc_result_view, MC, RESULT_VIEW, GtkBox)

void        mc_result_view_reset                (McResultView *self);
void        mc_result_view_begin                (McResultView *self);
void        mc_result_view_update_step          (McResultView *self,
                                                 guint         index,
                                                 const McStep *step);
void        mc_result_view_show_result          (McResultView *self,
                                                 McResult     *result);
void        mc_result_view_show_error           (McResultView *self,
                                                 const char   *message);
void        mc_result_view_show_cancelled       (McResultView *self);
void        mc_result_view_set_client           (McResultView   *self,
                                                 const McClient *client);
const McClient *mc_result_view_get_client       (McResultView   *self);
void        mc_result_view_set_outdated         (McResultView *self,
                                                 gboolean      outdated);
gboolean    mc_result_view_get_outdated         (McResultView *self);
void        mc_result_view_focus_verdict        (McResultView *self);
McResult   *mc_result_view_get_result           (McResultView *self);
gboolean    mc_result_view_get_running          (McResultView *self);
const char *mc_result_view_get_verdict_text     (McResultView *self);
guint       mc_result_view_get_n_steps          (McResultView *self);
McStepRow  *mc_result_view_get_step_row         (McResultView *self,
                                                 guint         index);
guint       mc_result_view_get_n_advice         (McResultView *self);
GtkWidget  *mc_result_view_get_advice_row       (McResultView *self,
                                                 guint         index);
GtkWidget  *mc_result_view_get_detail_row       (McResultView *self,
                                                 const char   *name);
gboolean    mc_result_view_get_e2e_note_visible (McResultView *self);
char       *mc_result_view_get_transcript_text  (McResultView *self);
void        mc_result_view_save_report          (McResultView *self,
                                                 GFile        *file,
                                                 gboolean      json);

G_END_DECLS
