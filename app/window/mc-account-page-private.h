/* mc-account-page-private.h: what the account page's own files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mc-account-form.h"
#include "mc-account-page.h"
#include "mc-check.h"
#include "mc-detect-view.h"
#include "mc-hint-list.h"
#include "mc-result-view.h"

G_BEGIN_DECLS

struct _McAccountPage
{
  AdwBin                parent_instance;

  /* Owned references */
  McAccountForm        *form;
  McCheck              *check;
  GCancellable         *cancellable;
  McHintList           *hint_list;     /* its rows are in server_group */
  char                 *ca_file;
  McAdvice             *test_error;    /* why the last click could not test, until a field changes */
  GPtrArray            *field_rows;    /* GtkWidget, borrowed: the rows of the form's fields */

  /* State */
  McProtocol            protocol;
  guint                 timeout;
  gboolean              running;
  gboolean              detecting;
  gboolean              blocked;
  guint                 tested_revision;  /* the form's revision the shown result is for */
  guint                 detect_serial;
  guint                 scroll_tick;
  guint                 scroll_frames;
  gboolean              keep_verdict_in_view;

  /* Template widgets */
  GtkScrolledWindow    *scroller;
  GtkWidget            *button_box;
  AdwPreferencesGroup  *account_group;
  AdwPreferencesGroup  *server_group;
  AdwComboRow          *client_row;
  AdwEntryRow          *email_row;
  AdwPasswordEntryRow  *password_row;
  AdwEntryRow          *user_row;
  AdwEntryRow          *host_row;
  AdwEntryRow          *port_row;
  AdwComboRow          *security_row;
  GtkButton            *provider_button;
  GtkButton            *test_button;
  GtkButton            *cancel_button;
  GtkButton            *detect_button;
  McResultView         *result_view;

  /* Built on the first search, owned by the page's box */
  McDetectView         *detect_view;
};

/* The form may change, from the user or a button, only while nothing runs on
 * this page or another one. */
static inline gboolean
_mc_account_page_editable (McAccountPage *self)
{
  return !self->running && !self->blocked;
}

void          _mc_account_page_set_running        (McAccountPage *self,
                                                   gboolean       running);
void          _mc_account_page_update_hints       (McAccountPage *self);
void          _mc_account_page_scroll_to_results  (McAccountPage *self);
void          _mc_account_page_show_result_view   (McAccountPage *self);
McDetectView *_mc_account_page_show_detect_view   (McAccountPage *self);

/* In mc-account-page-run.c */
void _mc_account_page_class_run_init    (GtkWidgetClass *widget_class);

G_END_DECLS
