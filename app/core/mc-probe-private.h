/* mc-probe-private.h: credential-free looks at other ports and modes (engine only)
 *
 * Advice only proposes what really answered: before it says "use port 993",
 * a probe has run the same dialogue there without a password, so nothing can
 * lock the account out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mc-provider.h"
#include "mc-session-private.h"

G_BEGIN_DECLS

struct _McProbe
{
  McEndpoint  endpoint;
  gboolean    works;             /* encrypted, valid certificate, capabilities read */
  gboolean    greeted;           /* a server of the protocol greeted */
  gboolean    tls_answered;      /* a TLS server answered the handshake (certificate or alert) */
  gboolean    starttls_offered;  /* it listed STARTTLS (STLS) before encryption */
  char       *tls_error;         /* owned: why encryption failed, in the engine's words, or NULL */
  GInetAddress *address;         /* owned: the one address a probe of an address family used, or NULL */
};

McProbe *mc_probe_run               (McSession     *parent,
                                     McEndpoint     endpoint,
                                     GCancellable  *cancellable,
                                     guint          timeout);
void     mc_probe_free              (McProbe       *probe);
void     mc_probe_plaintext_port    (McSession     *self);
gboolean mc_probe_expects_tls       (McSession     *self,
                                     guint          timeout);
GPtrArray *mc_probe_other_ports     (McSession     *self,
                                     GArray       **answering);
McProbe  *mc_probe_implicit_tls     (McSession     *self);
McProbe  *mc_probe_other_family     (McSession     *self);
gboolean  mc_probe_connects         (McSession     *self,
                                     GInetAddress  *address,
                                     guint          timeout_ms,
                                     gboolean      *refused);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (McProbe, mc_probe_free)

G_END_DECLS
