/* mc-account-form.h: one account page's fields as a model, with their rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-clients.h"
#include "mc-enum-types.h"
#include "mc-result.h"
#include "mc-settings.h"
#include "mc-types.h"

G_BEGIN_DECLS

#define MC_TYPE_ACCOUNT_FORM (mc_account_form_get_type ())

/* Flags of the form's properties (GParamSpec flags above G_PARAM_USER_SHIFT).
 *
 * MC_ACCOUNT_FORM_FIELD: the property is a field the user edits; the page
 * shows it in the row whose widget name is the property's name (text in an
 * entry row, an enum in a combo row in the enum's order, a boolean in an
 * action row's switch) and binds the two both ways.
 *
 * MC_ACCOUNT_FORM_REMEMBERED: mc_account_form_load() and _save() keep the
 * property under the key "<protocol>-<name>" when the schema has one (a
 * boolean, integer or string; an enum as its nick). Fields with rules of their
 * own (server, port, security, user) are remembered by the form's own code. */
#define MC_ACCOUNT_FORM_FIELD      (1 << G_PARAM_USER_SHIFT)
#define MC_ACCOUNT_FORM_REMEMBERED (1 << (G_PARAM_USER_SHIFT + 1))

G_DECLARE_FINAL_TYPE (McAccountForm, mc_account_form, MC, ACCOUNT_FORM, GObject)

McAccountForm *mc_account_form_new                  (McProtocol       protocol);
McProtocol     mc_account_form_get_protocol         (McAccountForm   *self);
const char    *mc_account_form_get_email            (McAccountForm   *self);
void           mc_account_form_set_email            (McAccountForm   *self,
                                                     const char      *email);
const char    *mc_account_form_get_password         (McAccountForm   *self);
void           mc_account_form_set_password         (McAccountForm   *self,
                                                     const char      *password);
const char    *mc_account_form_get_user             (McAccountForm   *self);
void           mc_account_form_set_user             (McAccountForm   *self,
                                                     const char      *user);
const char    *mc_account_form_get_host             (McAccountForm   *self);
void           mc_account_form_set_host             (McAccountForm   *self,
                                                     const char      *host);
const char    *mc_account_form_get_port             (McAccountForm   *self);
void           mc_account_form_set_port             (McAccountForm   *self,
                                                     const char      *port);
McSecurity     mc_account_form_get_security         (McAccountForm   *self);
void           mc_account_form_set_security         (McAccountForm   *self,
                                                     McSecurity       security);
const McClient *mc_account_form_get_client          (McAccountForm   *self);
void           mc_account_form_set_client           (McAccountForm   *self,
                                                     const char      *id);
gboolean       mc_account_form_get_envelope         (McAccountForm   *self);
void           mc_account_form_set_envelope         (McAccountForm   *self,
                                                     gboolean         envelope);
gboolean       mc_account_form_has_field            (McAccountForm   *self,
                                                     const char      *name);
gboolean       mc_account_form_get_port_custom      (McAccountForm   *self);
gboolean       mc_account_form_get_user_custom      (McAccountForm   *self);
guint          mc_account_form_get_revision         (McAccountForm   *self);
GPtrArray     *mc_account_form_get_hints            (McAccountForm   *self);
const char    *mc_account_form_get_input_error      (McAccountForm   *self,
                                                     const char     **field);
gboolean       mc_account_form_get_provider_offered (McAccountForm   *self);
void           mc_account_form_use_provider_settings (McAccountForm  *self);
void           mc_account_form_apply_fix            (McAccountForm   *self,
                                                     const McAdvice  *fix);
McSettings    *mc_account_form_to_settings          (McAccountForm   *self,
                                                     GError         **error);
const char    *mc_account_form_field_for_error      (const GError    *error);
void           mc_account_form_load                 (McAccountForm   *self,
                                                     GSettings       *settings);
void           mc_account_form_save                 (McAccountForm   *self,
                                                     GSettings       *settings);

G_END_DECLS
