/* mc-detect-view.h: the table of ports and security modes a server answered on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mc-detect.h"

G_BEGIN_DECLS

#define MC_TYPE_DETECT_VIEW (mc_detect_view_get_type ())

G_DECLARE_FINAL_TYPE (McDetectView, mc_detect_view, MC, DETECT_VIEW, GtkBox)

void            mc_detect_view_reset           (McDetectView   *self);
void            mc_detect_view_begin           (McDetectView   *self,
                                                const char     *host);
void            mc_detect_view_show_result     (McDetectView   *self,
                                                const char     *host,
                                                const char     *address,
                                                McDetectResult *result);
void            mc_detect_view_show_error      (McDetectView   *self,
                                                const char     *message);
gboolean        mc_detect_view_get_running     (McDetectView   *self);
const char     *mc_detect_view_get_host        (McDetectView   *self);
McDetectResult *mc_detect_view_get_result      (McDetectView   *self);
const char     *mc_detect_view_get_status_text (McDetectView   *self);
guint           mc_detect_view_get_n_rows      (McDetectView   *self);
GtkWidget      *mc_detect_view_get_row         (McDetectView   *self,
                                                guint           index);
GtkWidget      *mc_detect_view_find_row        (McDetectView   *self,
                                                McProtocol      protocol,
                                                guint16         port,
                                                McSecurity      security);
GtkWidget      *mc_detect_view_get_use_button  (McDetectView   *self,
                                                McProtocol      protocol);

G_END_DECLS
