/* mc-window.h: the main window with the three protocol pages and the help view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mc-account-page.h"
#include "mc-faq-page.h"
#include "mc-received-page.h"

G_BEGIN_DECLS

#define MC_TYPE_WINDOW (mc_window_get_type ())

G_DECLARE_FINAL_TYPE (McWindow, mc_window, MC, WINDOW, AdwApplicationWindow)

McWindow           *mc_window_new                  (AdwApplication *application);
McAccountPage      *mc_window_get_page             (McWindow       *self,
                                                    McProtocol      protocol);
McAccountPage      *mc_window_get_visible_page     (McWindow       *self);
void                mc_window_set_visible_page     (McWindow       *self,
                                                    McProtocol      protocol);
McFaqPage          *mc_window_get_faq_page         (McWindow       *self);
gboolean            mc_window_get_faq_visible      (McWindow       *self);
void                mc_window_show_faq             (McWindow       *self,
                                                    const char     *topic_id);
void                mc_window_close_faq            (McWindow       *self);
McReceivedPage     *mc_window_get_received_page    (McWindow       *self);
gboolean            mc_window_get_received_visible (McWindow       *self);
void                mc_window_show_received        (McWindow       *self);
void                mc_window_close_received       (McWindow       *self);
void                mc_window_set_ca_file          (McWindow       *self,
                                                    const char     *ca_file);
void                mc_window_add_toast            (McWindow       *self,
                                                    AdwToast       *toast);
GtkWindow          *mc_window_get_shortcuts_window (McWindow       *self);
AdwViewSwitcherBar *mc_window_get_switcher_bar     (McWindow       *self);

G_END_DECLS
