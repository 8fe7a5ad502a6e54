/* mc-received.h: a message's delivery path from its Received lines, hop by hop
 *
 * Input is the text a user pastes or an .eml file: only the header block (up to
 * the first blank line) is read, and it is treated as hostile. Hops are kept in
 * delivery order, the oldest first; the header lists them the other way round.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mc-provider.h"

G_BEGIN_DECLS

/* Bounds for hostile input: bytes read, Received fields kept (the newest ones;
 * the rest are counted), bytes of one unfolded field (the rest is cut off). */
#define MC_RECEIVED_MAX_INPUT   (256 * 1024)
#define MC_RECEIVED_MAX_HOPS    100
#define MC_RECEIVED_MAX_FIELD   (8 * 1024)

#define MC_RECEIVED_ERROR (mc_received_error_quark ())

typedef enum
{
  MC_RECEIVED_ERROR_NO_HEADER,   /* the text has no header field at all */
} McReceivedError;

/* Stable names (mc_received_verdict_to_string) are part of the JSON contract:
 * "encrypted", "encrypted-weak", "not-encrypted", "unknown", "internal". */
typedef enum
{
  MC_RECEIVED_VERDICT_ENCRYPTED,       /* TLS 1.2 or 1.3, or TLS without a recorded version */
  MC_RECEIVED_VERDICT_ENCRYPTED_WEAK,  /* TLS 1.0, 1.1 or SSL */
  MC_RECEIVED_VERDICT_NOT_ENCRYPTED,   /* only where a server that records TLS recorded none */
  MC_RECEIVED_VERDICT_UNKNOWN,         /* the line does not say */
  MC_RECEIVED_VERDICT_INTERNAL,        /* not an Internet hop: local delivery, LMTP, localhost */
} McReceivedVerdict;

/* What the line says about the peer's certificate (Sendmail-style verify=). */
typedef enum
{
  MC_RECEIVED_CERTIFICATE_UNKNOWN,       /* not recorded */
  MC_RECEIVED_CERTIFICATE_VERIFIED,      /* verify=OK */
  MC_RECEIVED_CERTIFICATE_NOT_VERIFIED,  /* verify=NOT or NO: encrypted, peer not authenticated */
  MC_RECEIVED_CERTIFICATE_FAILED,        /* verify=FAIL and the other failures */
} McReceivedCertificate;

/* End-to-end protection the message's own Content-Type announces. */
typedef enum
{
  MC_RECEIVED_PROTECTION_NONE,
  MC_RECEIVED_PROTECTION_PGP_ENCRYPTED,
  MC_RECEIVED_PROTECTION_PGP_SIGNED,
  MC_RECEIVED_PROTECTION_SMIME_ENCRYPTED,
  MC_RECEIVED_PROTECTION_SMIME_SIGNED,
} McReceivedProtection;

typedef struct _McReceivedReport McReceivedReport;
typedef struct _McReceivedHop    McReceivedHop;

#define MC_TYPE_RECEIVED_REPORT (mc_received_report_get_type ())

GQuark                 mc_received_error_quark              (void);
GType                  mc_received_report_get_type          (void) G_GNUC_CONST;

/* Parses @data (@len bytes, need not be NUL-terminated) against the default
 * provider profile. Fails only when the text has no header field at all; a
 * header without Received lines gives a report without hops. */
McReceivedReport      *mc_received_parse                    (const char            *data,
                                                             gsize                  len,
                                                             GError               **error);
/* The same, trusting the mail hosts of @provider (NULL: trust no host). */
McReceivedReport      *mc_received_parse_for_provider       (const McProvider      *provider,
                                                             const char            *data,
                                                             gsize                  len,
                                                             GError               **error);
McReceivedReport      *mc_received_report_ref               (McReceivedReport      *self);
void                   mc_received_report_unref             (McReceivedReport      *self);

/* Hops in delivery order: index 0 is the oldest. */
guint                  mc_received_report_get_n_hops        (McReceivedReport      *self);
const McReceivedHop   *mc_received_report_get_hop           (McReceivedReport      *self,
                                                             guint                  index);
/* The time from the previous hop's stamp to this one's; FALSE when either
 * date is missing or broken, or for the first hop. */
gboolean               mc_received_report_get_delay         (McReceivedReport      *self,
                                                             guint                  index,
                                                             GTimeSpan             *delay);
/* Received fields beyond MC_RECEIVED_MAX_HOPS, counted but not read. */
guint                  mc_received_report_get_n_omitted     (McReceivedReport      *self);
/* TRUE when the input was longer than MC_RECEIVED_MAX_INPUT and its header
 * block was not over by then. */
gboolean               mc_received_report_get_truncated     (McReceivedReport      *self);
McReceivedProtection   mc_received_report_get_protection    (McReceivedReport      *self);
/* One translated paragraph in plain words: the hop into the provider, who
 * vouches for what, what transport encryption means, and PGP or S/MIME. */
const char            *mc_received_report_get_summary       (McReceivedReport      *self);

/* JSON for the command line: hops[] (oldest first) with from, from_address, by,
 * with, id, tls_version, tls_cipher, certificate, date, delay_seconds,
 * verdict, trusted; hops_omitted, input_truncated, message_protection, summary.
 * Recipient addresses (for <…>) are never included. */
JsonNode              *mc_received_report_build_json        (McReceivedReport      *self);
char                  *mc_received_report_to_json           (McReceivedReport      *self);
/* Translated text for the terminal and the support report, without recipient
 * addresses. */
char                  *mc_received_report_to_text           (McReceivedReport      *self);

/* A hop's fields, sanitised for display; NULL where the line has none. From
 * is the name the sender greeted with, from_host the name the receiving
 * server looked up, from_address the sender's IPv4 or IPv6 address (no
 * brackets); with is the protocol as written ("ESMTPS", "Microsoft SMTP
 * Server"); for is the recipient, never to be put into a report; date_text
 * is the date as written, date the parsed one (NULL when broken); the TLS
 * version is in the app's words ("TLS 1.3"). */
const char            *mc_received_hop_get_from             (const McReceivedHop   *hop);
const char            *mc_received_hop_get_from_host        (const McReceivedHop   *hop);
const char            *mc_received_hop_get_from_address     (const McReceivedHop   *hop);
const char            *mc_received_hop_get_by               (const McReceivedHop   *hop);
const char            *mc_received_hop_get_with             (const McReceivedHop   *hop);
const char            *mc_received_hop_get_id               (const McReceivedHop   *hop);
const char            *mc_received_hop_get_for              (const McReceivedHop   *hop);
GDateTime             *mc_received_hop_get_date             (const McReceivedHop   *hop);
const char            *mc_received_hop_get_date_text        (const McReceivedHop   *hop);
const char            *mc_received_hop_get_tls_version      (const McReceivedHop   *hop);
const char            *mc_received_hop_get_tls_cipher       (const McReceivedHop   *hop);
McReceivedCertificate  mc_received_hop_get_certificate      (const McReceivedHop   *hop);
McReceivedVerdict      mc_received_hop_get_verdict          (const McReceivedHop   *hop);
/* TRUE: the provider's own server wrote this line ("recorded by Netzprisma");
 * FALSE: the previous server claims it. */
gboolean               mc_received_hop_get_trusted          (const McReceivedHop   *hop);
/* TRUE when the unfolded field was longer than MC_RECEIVED_MAX_FIELD. */
gboolean               mc_received_hop_get_truncated        (const McReceivedHop   *hop);
/* One translated sentence: the verdict with version and certificate note. */
char                  *mc_received_hop_describe             (const McReceivedHop   *hop);

const char            *mc_received_verdict_to_string        (McReceivedVerdict      verdict);
const char            *mc_received_verdict_display_name     (McReceivedVerdict      verdict);
const char            *mc_received_certificate_to_string    (McReceivedCertificate  certificate);
const char            *mc_received_protection_to_string     (McReceivedProtection   protection);
/* "Recorded by Netzprisma" or "Claimed by the previous server", translated. */
const char            *mc_received_trust_display_name       (gboolean               trusted);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (McReceivedReport, mc_received_report_unref)

G_END_DECLS
