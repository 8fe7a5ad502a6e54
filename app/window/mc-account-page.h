/* mc-account-page.h: the form and the result for one protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mc-account-form.h"
#include "mc-detect.h"

G_BEGIN_DECLS

#define MC_TYPE_ACCOUNT_PAGE (mc_account_page_get_type ())

G_DECLARE_FINAL_TYPE (McAccountPage, mc_account_page, MC, ACCOUNT_PAGE, AdwBin)

McAccountForm *mc_account_page_get_form          (McAccountPage  *self);
gboolean       mc_account_page_get_running       (McAccountPage  *self);
void           mc_account_page_set_blocked       (McAccountPage  *self,
                                                  gboolean        blocked);
void           mc_account_page_set_ca_file       (McAccountPage  *self,
                                                  const char     *ca_file);
void           mc_account_page_set_timeout       (McAccountPage  *self,
                                                  guint           seconds);
void           mc_account_page_cancel            (McAccountPage  *self);
void           mc_account_page_focus_field       (McAccountPage  *self,
                                                  const char     *field);
void           mc_account_page_focus_first_empty (McAccountPage  *self);
void           mc_account_page_use_settings      (McAccountPage  *self,
                                                  const char     *host,
                                                  guint16         port,
                                                  McSecurity      security);
void           mc_account_page_show_detect_result (McAccountPage  *self,
                                                   const char     *host,
                                                   McDetectResult *result);

G_END_DECLS
