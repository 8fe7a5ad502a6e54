/* mc-client-view.h: the customer's mail program in the result: the steps under
 * an advice, and the settings to enter after a test that worked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mc-clients.h"
#include "mc-result.h"

G_BEGIN_DECLS

GtkWidget *mc_client_steps_new       (const McClient      *client,
                                      McResult            *result,
                                      const McAdvice      *advice);
gboolean   mc_client_card_wanted     (McResult            *result);
void       mc_client_card_fill       (AdwPreferencesGroup *group,
                                      GPtrArray           *rows,
                                      const McClient      *client,
                                      McResult            *result);
void       mc_client_choices_fill    (GtkBox              *box,
                                      const McClient      *client);

G_END_DECLS
