/* mc-check.h: runs one account test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-result.h"
#include "mc-settings.h"

G_BEGIN_DECLS

/* Why a step failed; the advice in the result says what to do about it. */
#define MC_CHECK_ERROR (mc_check_error_quark ())

typedef enum
{
  MC_CHECK_ERROR_PROTOCOL,
  MC_CHECK_ERROR_CLOSED,
  MC_CHECK_ERROR_TIMEOUT,
  MC_CHECK_ERROR_SERVER_REFUSED,
  MC_CHECK_ERROR_STARTTLS_NOT_OFFERED,
  MC_CHECK_ERROR_STARTTLS_REFUSED,
  MC_CHECK_ERROR_INJECTION,
  MC_CHECK_ERROR_PREAUTH,
  MC_CHECK_ERROR_TLS_VERSION,
  MC_CHECK_ERROR_TLS_UNAVAILABLE,
  MC_CHECK_ERROR_TLS_FAILED,
  MC_CHECK_ERROR_NOT_TLS,
  MC_CHECK_ERROR_CERTIFICATE,
  MC_CHECK_ERROR_AUTH_FAILED,
  MC_CHECK_ERROR_AUTH_TEMPORARY,
  MC_CHECK_ERROR_NO_MECHANISM,
  MC_CHECK_ERROR_LOGIN_DISABLED,
  MC_CHECK_ERROR_RESOLVE,
  MC_CHECK_ERROR_CONNECT,
  MC_CHECK_ERROR_EXPECTS_TLS,
  MC_CHECK_ERROR_CA_FILE,
  MC_CHECK_ERROR_TLS_REFUSED,   /* the server answered the handshake with a TLS alert */
  /* The envelope check (SMTP MAIL FROM / RCPT TO after the login). */
  MC_CHECK_ERROR_SENDER_REFUSED,     /* the address may not send with this login */
  MC_CHECK_ERROR_RELAY_DENIED,       /* the login may not send mail at all */
  MC_CHECK_ERROR_MAILBOX_FULL,       /* a storage limit (452, 552) */
  MC_CHECK_ERROR_RECIPIENT_REFUSED,  /* the own address refused as recipient */
  MC_CHECK_ERROR_SENDING_TEMPORARY,  /* any other 4xx: not now */
} McCheckError;

GQuark      mc_check_error_quark    (void);

#define MC_TYPE_CHECK (mc_check_get_type ())

G_DECLARE_FINAL_TYPE (McCheck, mc_check, MC, CHECK, GObject)

McCheck    *mc_check_new            (McSettings           *settings);
McSettings *mc_check_get_settings   (McCheck              *self);
void        mc_check_set_background (McCheck              *self,
                                     gboolean              background);
void        mc_check_set_probes_after_failure (McCheck    *self,
                                               gboolean    probes);
GNetworkMonitor *mc_check_get_network_monitor (McCheck         *self);
void        mc_check_set_network_monitor (McCheck              *self,
                                          GNetworkMonitor      *monitor);
void        mc_check_run_async      (McCheck              *self,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
McResult   *mc_check_run_finish     (McCheck              *self,
                                     GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
