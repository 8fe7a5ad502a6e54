/* mc-account-page-private.h: what the account page's own files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mc-account-form.h"
#include "mc-account-page.h"
#include "mc-check.h"
#include "mc-hint-list.h"

G_BEGIN_DECLS

struct _McAccountPage
{
  AdwBin                parent_instance;

  McProtocol            protocol;
  char                 *ca_file;
  guint                 timeout;

  /* Owned references */
  McCheck              *check;
  GCancellable         *cancellable;
  McHintList           *hint_list;     /* its rows are in server_group */

  /* State */
  gboolean              running;
  gboolean              detecting;
  gboolean              blocked;
  gboolean              port_custom;
  gboolean              user_custom;
  guint                 updating;
  guint                 detect_serial;
  guint                 scroll_tick;
  guint                 scroll_frames;

  /* Template widgets */
  GtkScrolledWindow    *scroller;
  GtkWidget            *button_box;
  AdwPreferencesGroup  *account_group;
  AdwPreferencesGroup  *server_group;
  AdwEntryRow          *email_row;
  AdwPasswordEntryRow  *password_row;
  AdwEntryRow          *user_row;
  AdwEntryRow          *host_row;
  AdwEntryRow          *port_row;
  AdwComboRow          *security_row;
  GtkButton            *provider_button;
  GtkLabel             *input_error_label;
  GtkButton            *test_button;
  GtkButton            *cancel_button;
  GtkButton            *detect_button;
  McResultView         *result_view;

  /* Built on the first search, owned by the page's box */
  McDetectView         *detect_view;
};

void _mc_account_page_read_form         (McAccountPage  *self,
                                         McAccountForm  *form);
void _mc_account_page_show_input_error  (McAccountPage  *self,
                                         const GError   *error);
void _mc_account_page_clear_input_error (McAccountPage  *self);
void _mc_account_page_set_running       (McAccountPage  *self,
                                         gboolean        running);

McDetectView *_mc_account_page_ensure_detect_view (McAccountPage *self);

/* In mc-account-page-run.c */
void _mc_account_page_class_run_init    (GtkWidgetClass *widget_class);

G_END_DECLS
