/* mc-received-page.h: the delivery path of a message, from its Received lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mc-received.h"

G_BEGIN_DECLS

#define MC_TYPE_RECEIVED_PAGE (mc_received_page_get_type ())

G_DECLARE_FINAL_TYPE (McReceivedPage, mc_received_page, MC, RECEIVED_PAGE, AdwBin)

void              mc_received_page_set_text    (McReceivedPage *self,
                                                const char     *text);
void              mc_received_page_open_file   (McReceivedPage *self,
                                                GFile          *file);
McReceivedReport *mc_received_page_get_report  (McReceivedPage *self);
guint             mc_received_page_get_n_hops  (McReceivedPage *self);
GtkWidget        *mc_received_page_get_hop_row (McReceivedPage *self,
                                                guint           index);
gboolean          mc_received_page_get_busy    (McReceivedPage *self);
void              mc_received_page_focus_text  (McReceivedPage *self);

G_END_DECLS
