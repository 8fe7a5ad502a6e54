/* mc-account-settings.h: one account page's fields in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-account-form.h"

G_BEGIN_DECLS

char     *mc_account_settings_get_host     (GSettings           *settings,
                                            McProtocol           protocol);
gboolean  mc_account_settings_get_security (GSettings           *settings,
                                            McProtocol           protocol,
                                            McSecurity          *security);
guint16   mc_account_settings_get_port     (GSettings           *settings,
                                            McProtocol           protocol);
char     *mc_account_settings_get_user     (GSettings           *settings,
                                            McProtocol           protocol);
void      mc_account_settings_save         (GSettings           *settings,
                                            const McAccountForm *form,
                                            gboolean             port_custom,
                                            gboolean             user_custom);

G_END_DECLS
