/* sending-util.h: what the tests of issue 16 share — names on loopback, the
 * provider's server on loopback with the test CA, certificates made at run
 * time, a network monitor that says what a test wants, and listeners on ::1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "test-util.h"

G_BEGIN_DECLS

/* The provider's server; the tests' resolver (mc_test_resolver_new()), installed
 * by sending_test_init(), puts it on 127.0.0.1 and knows no other name until a
 * test maps one with mc_test_resolver_map(). */
#define SENDING_PROVIDER_HOST "mail01.netzprisma.de"

/* Certificates issued at run time with openssl into a temporary folder that
 * fake_certificate_path() searches first (name.pem, name.key):
 *   provider        mail01.netzprisma.de, from the test CA (tests/certs/ca.pem)
 *   intercepted     mail01.netzprisma.de, from "Interceptor Root" (interceptor-root.pem)
 *   eset            mail01.netzprisma.de, from "ESET SSL Filter CA" (trusted by no test)
 *   eset-local      localhost and 127.0.0.1, from the same ESET CA
 * FALSE (and the test skipped) without openssl. */
gboolean         sending_have_certificates        (void);
char            *sending_certificate_path         (const char          *name);

/* Adds a copy of the shipped Netzprisma profile in front of it in which the
 * test CA is what the provider's certificates chain to; @usable, when not
 * NULL, replaces the ports of @protocol ("smtp", "imap", "pop3") with the
 * test servers' ("2525:starttls;4465:tls;"). */
void             sending_use_provider_profile     (const char          *protocol,
                                                   const char          *usable);

/* A GNetworkMonitor that reports @connectivity and nothing else. */
GNetworkMonitor *sending_network_monitor_new      (GNetworkConnectivity connectivity);

/* mc_test_run_server_with(), printed; the password is in no report and crossed
 * the wire only inside TLS (@none_sent: not at all). */
McResult        *sending_run_server               (FakeServer          *server,
                                                   McSettings          *settings,
                                                   gboolean             none_sent);
char            *sending_result_json              (McResult            *result);
JsonNode        *sending_result_json_node         (McResult            *result);

/* A listener on ::1 (or 127.0.0.1) at @port that completes TCP handshakes
 * and never says or accepts anything: connect works, then silence. NULL when
 * the address family is not available here. */
GSocket         *sending_silent_listener_new      (GSocketFamily        family,
                                                   guint16              port);
/* Forwards every connection to [::1]:@port to 127.0.0.1:@target in threads of
 * its own; NULL without IPv6 loopback. Free with sending_forwarder_free(). */
typedef struct _SendingForwarder SendingForwarder;
SendingForwarder *sending_forwarder_new           (guint16              port,
                                                   guint16              target);
void             sending_forwarder_free           (SendingForwarder    *forwarder);
gboolean         sending_have_ipv6_loopback       (void);

void             sending_test_init                (int                 *argc,
                                                   char              ***argv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendingForwarder, sending_forwarder_free)

G_END_DECLS
