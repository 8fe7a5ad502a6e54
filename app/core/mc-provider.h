/* mc-provider.h: what a mail provider's help page says, as validated data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-types.h"

G_BEGIN_DECLS

#define MC_PROVIDER_ERROR (mc_provider_error_quark ())

typedef enum
{
  MC_PROVIDER_ERROR_INVALID,
} McProviderError;

typedef struct
{
  guint16    port;
  McSecurity security;
} McEndpoint;

typedef struct _McProvider McProvider;

GQuark             mc_provider_error_quark         (void);
McProvider        *mc_provider_new_from_data       (const char  *data,
                                                    gsize        length,
                                                    GError     **error);
void               mc_provider_free                (McProvider  *self);
GPtrArray         *mc_provider_list                (void);
gboolean           mc_provider_add_profile         (const char  *data,
                                                    gsize        length,
                                                    GError     **error);
const McProvider  *mc_provider_lookup              (const char  *host,
                                                    const char  *address);
const McProvider  *mc_provider_find_legacy         (const char  *host,
                                                    const char  *address);
const McProvider  *mc_provider_get_default         (void);
const McProvider  *mc_provider_for_server          (const char  *host);
gboolean           mc_provider_get_recommended     (const McProvider *self,
                                                    McProtocol        protocol,
                                                    McEndpoint       *endpoint);
const char        *mc_provider_get_id              (const McProvider *self);
const char        *mc_provider_get_name            (const McProvider *self);
const char        *mc_provider_get_server          (const McProvider *self);
gboolean           mc_provider_requires_full_address (const McProvider *self);
const GArray      *mc_provider_get_endpoints       (const McProvider *self,
                                                    McProtocol        protocol);
gboolean           mc_provider_is_usable           (const McProvider *self,
                                                    McProtocol        protocol,
                                                    guint16           port,
                                                    McSecurity        security);
gboolean           mc_provider_is_legacy_host      (const McProvider *self,
                                                    const char       *host,
                                                    const char       *address);
const char        *mc_address_domain               (const char       *address);
/* The provider's own mail servers (MailHosts=), names and addresses; they record
 * in every Received line whether the connection used TLS. */
const char * const *mc_provider_get_mail_hosts     (const McProvider *self);
gboolean           mc_provider_is_mail_host        (const McProvider *self,
                                                    const char       *host);
/* What the provider's server certificates chain to (ExpectedIssuers=, names as
 * RFC 4514 strings, and TrustAnchorSPKI=, SHA-256 of public keys in base64):
 * a chain that reaches neither was replaced on the way. */
const char * const *mc_provider_get_expected_issuers (const McProvider *self);
const char * const *mc_provider_get_trust_anchor_pins (const McProvider *self);
gboolean           mc_provider_knows_its_certificates (const McProvider *self);
gboolean           mc_distinguished_name_equal     (const char       *a,
                                                    const char       *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (McProvider, mc_provider_free)

G_END_DECLS
