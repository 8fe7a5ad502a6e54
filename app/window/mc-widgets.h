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
GtkWidget  *mc_plain_label_new        (const char     *text);
GtkWidget  *mc_plain_row_new          (const char     *title);
void        mc_set_verdict_style      (GtkWidget      *box,
                                       GtkWidget      *icon,
                                       const char     *style_class);
GtkWidget  *mc_wrapping_button_new    (const char     *text);
gboolean    mc_advice_has_fix         (const McAdvice *advice);
char       *mc_advice_fix_label       (const McAdvice *advice,
                                       gboolean        and_test);
GtkWidget  *mc_fix_button_new         (const McAdvice *advice,
                                       gboolean        and_test,
                                       GtkWidget      *text);
AdwToast   *mc_toast_new              (const char     *title);
void        mc_widget_add_toast       (GtkWidget      *widget,
                                       const char     *title);
void        mc_widget_copy_report     (GtkWidget      *widget,
                                       const char     *text);

GtkFileChooserNative *mc_file_dialog_new        (GtkWidget            *widget,
                                                 const char           *title,
                                                 GtkFileChooserAction  action,
                                                 const char           *accept_label);
GtkFileFilter        *mc_file_dialog_add_filter (GtkFileChooserNative *dialog,
                                                 const char           *name,
                                                 const char           *suffix);

/* Rows a page adds to a preferences group and keeps, borrowed, to find and
 * remove them again. */
void        mc_rows_add               (AdwPreferencesGroup *group,
                                       GPtrArray           *rows,
                                       GtkWidget           *row);
void        mc_rows_clear             (AdwPreferencesGroup *group,
                                       GPtrArray           *rows);
GtkWidget  *mc_rows_find              (GPtrArray           *rows,
                                       const char          *name);

G_END_DECLS
