/* mc-hint-list.h: the engine's hints on the form, one row per finding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MC_TYPE_HINT_LIST (mc_hint_list_get_type ())

G_DECLARE_FINAL_TYPE (McHintList, mc_hint_list, MC, HINT_LIST, GObject)

McHintList *mc_hint_list_new         (AdwPreferencesGroup *group);
void        mc_hint_list_update      (McHintList          *self,
                                      GPtrArray           *hints);
guint       mc_hint_list_get_n_hints (McHintList          *self);
GtkWidget  *mc_hint_list_find        (McHintList          *self,
                                      const char          *code);

G_END_DECLS
