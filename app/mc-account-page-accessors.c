/* mc-account-page-accessors.c
 *
 * The account page's parts as the window and the tests reach them: its rows,
 * buttons, views and hint rows, and whether the form is locked. The page stays
 * their owner; these only lend them out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-account-page"

#include "config.h"

#include "mc-account-page-private.h"

gboolean
mc_account_page_get_inputs_locked (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), FALSE);
  return !gtk_widget_get_sensitive (GTK_WIDGET (self->account_group)) ||
         !gtk_widget_get_sensitive (GTK_WIDGET (self->server_group));
}

GtkEditable *
mc_account_page_get_email_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_EDITABLE (self->email_row);
}

GtkEditable *
mc_account_page_get_password_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_EDITABLE (self->password_row);
}

GtkEditable *
mc_account_page_get_user_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_EDITABLE (self->user_row);
}

GtkEditable *
mc_account_page_get_host_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_EDITABLE (self->host_row);
}

GtkEditable *
mc_account_page_get_port_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_EDITABLE (self->port_row);
}

AdwComboRow *
mc_account_page_get_security_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return self->security_row;
}

guint
mc_account_page_get_n_hints (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), 0);
  return mc_hint_list_get_n_hints (self->hint_list);
}

/* The hint row for the engine's advice @code ("use-starttls", …, or
 * "invalid-port"), or NULL when it is not shown. */
GtkWidget *
mc_account_page_find_hint (McAccountPage *self,
                           const char    *code)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return mc_hint_list_find (self->hint_list, code);
}

GtkWidget *
mc_account_page_get_provider_button (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_WIDGET (self->provider_button);
}

GtkWidget *
mc_account_page_get_detect_button (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_WIDGET (self->detect_button);
}

/**
 * mc_account_page_get_detect_view:
 *
 * Builds the view (hidden) if no search has run on this page yet.
 *
 * Returns: (transfer none): the view of the search for working settings
 */
McDetectView *
mc_account_page_get_detect_view (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return _mc_account_page_ensure_detect_view (self);
}

GtkWidget *
mc_account_page_get_test_button (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_WIDGET (self->test_button);
}

McResultView *
mc_account_page_get_result_view (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return self->result_view;
}
