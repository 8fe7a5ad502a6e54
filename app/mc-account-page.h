/* mc-account-page.h: the form and the result for one protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mc-detect-view.h"
#include "mc-result-view.h"
#include "mc-types.h"

G_BEGIN_DECLS

#define MC_TYPE_ACCOUNT_PAGE (mc_account_page_get_type ())

G_DECLARE_FINAL_TYPE (McAccountPage, mc_account_page, MC, ACCOUNT_PAGE, AdwBin)

McProtocol    mc_account_page_get_protocol        (McAccountPage  *self);
gboolean      mc_account_page_get_running         (McAccountPage  *self);
void          mc_account_page_set_blocked         (McAccountPage  *self,
                                                   gboolean        blocked);
void          mc_account_page_set_ca_file         (McAccountPage  *self,
                                                   const char     *ca_file);
void          mc_account_page_set_timeout         (McAccountPage  *self,
                                                   guint           seconds);
void          mc_account_page_cancel              (McAccountPage  *self);
GtkEditable  *mc_account_page_get_email_row       (McAccountPage  *self);
GtkEditable  *mc_account_page_get_password_row    (McAccountPage  *self);
GtkEditable  *mc_account_page_get_user_row        (McAccountPage  *self);
GtkEditable  *mc_account_page_get_host_row        (McAccountPage  *self);
GtkEditable  *mc_account_page_get_port_row        (McAccountPage  *self);
AdwComboRow  *mc_account_page_get_security_row    (McAccountPage  *self);
McSecurity    mc_account_page_get_security        (McAccountPage  *self);
void          mc_account_page_set_security        (McAccountPage  *self,
                                                   McSecurity      security);
guint         mc_account_page_get_n_hints         (McAccountPage  *self);
GtkWidget    *mc_account_page_find_hint           (McAccountPage  *self,
                                                   const char     *code);
GtkWidget    *mc_account_page_get_provider_button (McAccountPage  *self);
GtkWidget    *mc_account_page_get_test_button     (McAccountPage  *self);
GtkWidget    *mc_account_page_get_detect_button   (McAccountPage  *self);
McResultView *mc_account_page_get_result_view     (McAccountPage  *self);
McDetectView *mc_account_page_get_detect_view     (McAccountPage  *self);
void          mc_account_page_show_detect_result  (McAccountPage  *self,
                                                   const char     *host,
                                                   McDetectResult *result);
void          mc_account_page_apply_settings      (McAccountPage  *self,
                                                   const char     *host,
                                                   guint16         port,
                                                   McSecurity      security);
gboolean      mc_account_page_get_inputs_locked   (McAccountPage  *self);
void          mc_account_page_load_settings       (McAccountPage  *self,
                                                   GSettings      *settings);
void          mc_account_page_save_settings       (McAccountPage  *self,
                                                   GSettings      *settings);

G_END_DECLS
