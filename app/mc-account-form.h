/* mc-account-form.h: an account page's fields as values, and the settings they make
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-provider.h"
#include "mc-settings.h"
#include "mc-types.h"

G_BEGIN_DECLS

/* The fields as the user typed them; the strings are borrowed from the rows. */
typedef struct
{
  McProtocol  protocol;
  const char *email;
  const char *password;
  const char *user;
  const char *host;
  const char *port;
  McSecurity  security;
} McAccountForm;

guint16     mc_account_form_parse_port            (const char           *text,
                                                   gboolean             *valid);
gboolean    mc_account_form_get_provider_defaults (McProtocol            protocol,
                                                   const char          **host,
                                                   McEndpoint           *endpoint);
McSecurity  mc_account_form_get_default_security  (McProtocol            protocol);
gboolean    mc_account_form_port_is_custom        (const McAccountForm  *form);
GPtrArray  *mc_account_form_precheck              (const McAccountForm  *form);
McSettings *mc_account_form_to_settings           (const McAccountForm  *form,
                                                   const char           *ca_file,
                                                   guint                 timeout,
                                                   GError              **error);

G_END_DECLS
