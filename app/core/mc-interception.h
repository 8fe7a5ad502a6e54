/* mc-interception.h: a server certificate replaced on the way, and by what
 *
 * Antivirus programs that scan encrypted mail and companies' inspecting
 * proxies put a certificate of their own CA in place of the server's. The
 * products are data (data/interception/products.ini); whether a chain is the
 * provider's own comes from its profile (mc-provider.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-provider.h"

G_BEGIN_DECLS

typedef enum
{
  MC_INTERCEPTOR_ON_COMPUTER,   /* a program on the customer's computer */
  MC_INTERCEPTOR_ON_NETWORK,    /* a company's proxy, firewall or cloud service */
  MC_INTERCEPTOR_EITHER,        /* sold as both */
} McInterceptorWhere;

typedef struct _McInterceptor McInterceptor;

GPtrArray            *mc_interceptor_list           (void);
McInterceptor        *mc_interceptor_new_from_group (GKeyFile            *keyfile,
                                                     const char          *group,
                                                     GError             **error);
void                  mc_interceptor_free           (McInterceptor       *self);
const McInterceptor  *mc_interceptor_match          (const char          *distinguished_name);
gboolean              mc_interceptor_matches        (const McInterceptor *self,
                                                     const char          *distinguished_name);
const char           *mc_interceptor_get_id         (const McInterceptor *self);
const char           *mc_interceptor_get_name       (const McInterceptor *self);
McInterceptorWhere    mc_interceptor_get_where      (const McInterceptor *self);
const char           *mc_interceptor_get_example    (const McInterceptor *self);

/* What a look at a server's certificate chain found. */
typedef struct
{
  gboolean             intercepted;  /* not the provider's chain, or a known product's */
  const McInterceptor *product;      /* the product an issuer names, or NULL */
  char                *issuer;       /* the issuer to name: the product's, else where the chain ends; sanitised */
} McInterception;

void                  mc_interception_examine       (GTlsCertificate     *peer,
                                                     GTlsDatabase        *database,
                                                     const McProvider    *provider,
                                                     McInterception      *out);
void                  mc_interception_clear         (McInterception      *self);
char                 *mc_certificate_spki_pin       (GTlsCertificate     *certificate);
char                 *mc_distinguished_name_common_name (const char      *distinguished_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (McInterceptor, mc_interceptor_free)

G_END_DECLS
