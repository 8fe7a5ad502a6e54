/* mc-widgets.h: small widgets and label helpers shared by the pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mc-result.h"

G_BEGIN_DECLS

#define MC_TYPE_BUTTON_FLOW (mc_button_flow_get_type ())

G_DECLARE_FINAL_TYPE (McButtonFlow, mc_button_flow, MC, BUTTON_FLOW, GtkWidget)

void        mc_label_set_no_hyphens   (GtkLabel       *label);
void        mc_label_keep_terms_whole (GtkLabel       *label);
void        mc_label_keep_bytes_whole (GtkLabel       *label);
GtkWidget  *mc_wrapping_button_new    (const char     *text);
char       *mc_advice_fix_label       (const McAdvice *advice,
                                       gboolean        and_test);
AdwToast   *mc_toast_new              (const char     *title);
void        mc_widget_add_toast       (GtkWidget      *widget,
                                       const char     *title);

G_END_DECLS
