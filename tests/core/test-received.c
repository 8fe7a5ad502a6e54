/* test-received.c: the delivery path read from a message's Received lines
 *
 * The golden vectors in tests/data/received/ were written for this project:
 * one message header per case, each in the format a real server writes, with
 * the expected hops listed here (oldest first, as the JSON has them). Every
 * vector also carries a Received line in its body, which must not be read.
 * The other tests pin the bounds for hostile input, the trust boundary, the
 * words of the summary and the contract of the JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-received"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "mc-received.h"
#include "test-util.h"

#define E  MC_RECEIVED_VERDICT_ENCRYPTED
#define W  MC_RECEIVED_VERDICT_ENCRYPTED_WEAK
#define N  MC_RECEIVED_VERDICT_NOT_ENCRYPTED
#define U  MC_RECEIVED_VERDICT_UNKNOWN
#define I  MC_RECEIVED_VERDICT_INTERNAL

typedef struct
{
  McReceivedVerdict      verdict;
  gboolean               trusted;
  const char            *from;          /* the claimed name as written */
  const char            *address;
  const char            *by;
  const char            *with;
  const char            *tls_version;
  const char            *tls_cipher;
  McReceivedCertificate  certificate;
  const char            *date;          /* ISO 8601; NULL: no usable date */
} ExpectedHop;

typedef struct
{
  const char           *path;           /* the behaviour the vector pins */
  const char           *file;
  McReceivedProtection  protection;
  guint                 n_hops;
  ExpectedHop           hops[8];
} Vector;

#define NV MC_RECEIVED_CERTIFICATE_NOT_VERIFIED

static const Vector vectors[] = {
  { "/mailcheck/received/postfix/using-clause-gives-tls13", "postfix-tls13.eml", 0, 3, {
    { E, FALSE, "[192.168.1.20]", "198.51.100.23", "smtp.sender.example", "ESMTPSA",
      "TLS 1.3", "TLS_AES_128_GCM_SHA256", 0, "2024-02-13T09:41:03+01:00" },
    { E, TRUE, "smtp.sender.example", "203.0.113.5", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T09:41:06+01:00" },
    { I, TRUE, "mx01.netzprisma.de", "192.0.2.25", "mail01.netzprisma.de", "LMTP",
      NULL, NULL, 0, "2024-02-13T09:41:07+01:00" } } },
  /* Only the provider's own line may say "not encrypted"; the same words from
   * another server say nothing. */
  { "/mailcheck/received/postfix/plain-esmtp-by-provider-not-encrypted", "postfix-plain.eml", 0, 3, {
    { U, FALSE, "workstation.oldbox.example", "10.1.2.3", "mail.oldbox.example", "ESMTP",
      NULL, NULL, 0, "2024-02-13T09:41:05+01:00" },
    { N, TRUE, "mail.oldbox.example", "198.51.100.80", "mx01.netzprisma.de", "ESMTP",
      NULL, NULL, 0, "2024-02-13T09:41:08+01:00" },
    { I, TRUE, "mx01.netzprisma.de", "192.0.2.25", "mail01.netzprisma.de", "LMTP",
      NULL, NULL, 0, "2024-02-13T09:41:09+01:00" } } },
  { "/mailcheck/received/postfix/without-tls-logging-esmtps-or-unknown",
    "postfix-no-tls-logging.eml", 0, 3, {
    { U, FALSE, "client.other.example", "203.0.113.99", "mail.other.example", "ESMTP",
      NULL, NULL, 0, "2024-02-13T09:41:58+01:00" },
    { E, FALSE, "mail.other.example", "203.0.113.61", "relay.other.example", "ESMTPS",
      NULL, NULL, 0, "2024-02-13T09:42:00+01:00" },
    { E, TRUE, "relay.other.example", "203.0.113.60", "mx02.netzprisma.de", "ESMTPS",
      "TLS 1.2", "ECDHE-RSA-AES256-GCM-SHA384", 0, "2024-02-13T09:42:01+01:00" } } },
  { "/mailcheck/received/exim/tls-clause-after-version", "exim-new.eml", 0, 2, {
    { E, FALSE, "[198.51.100.140]", "198.51.100.140", "cpanel-017.hosting.example", "esmtpsa",
      "TLS 1.3", "TLS_AES_128_GCM_SHA256", 0, "2024-02-13T08:43:10+00:00" },
    { E, TRUE, "cpanel-017.hosting.example", "203.0.113.17", "mx02.netzprisma.de", "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T09:43:12+01:00" } } },
  { "/mailcheck/received/exim/colon-form-old-tls-weak-local-internal", "exim-old.eml", 0, 5, {
    { U, FALSE, "office.legacyhost.example", "198.51.100.12", "scanner.legacyhost.example", "esmtp",
      NULL, NULL, 0, "2024-02-13T08:44:25+00:00" },
    { I, FALSE, "bob", NULL, "scanner.legacyhost.example", "local",
      NULL, NULL, 0, "2024-02-13T08:44:26+00:00" },
    { W, FALSE, "scanner.legacyhost.example", "198.51.100.11", "gw.legacyhost.example", "esmtps",
      "TLS 1.0", "AES256-SHA", 0, "2024-02-13T08:44:27+00:00" },
    { E, FALSE, "gw.legacyhost.example", "198.51.100.10", "smtp.legacyhost.example", "esmtps",
      "TLS 1.2", "ECDHE_RSA_AES_256_GCM_SHA384", 0, "2024-02-13T08:44:29+00:00" },
    { E, TRUE, "smtp.legacyhost.example", "198.51.100.9", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.2", "ECDHE-RSA-AES256-GCM-SHA384", 0, "2024-02-13T09:44:30+01:00" } } },
  { "/mailcheck/received/gmail/esmtpsa-version-cipher", "gmail-esmtpsa.eml", 0, 3, {
    { E, FALSE, "[192.168.178.20]", "198.51.100.77", "smtp.gmail.com", "ESMTPSA",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T00:45:01-08:00" },
    { U, FALSE, NULL, NULL, "mail-wr1-f41.google.com", "SMTP",
      NULL, NULL, 0, "2024-02-13T00:45:02-08:00" },
    { E, TRUE, "mail-wr1-f41.google.com", "203.0.113.41", "mx02.netzprisma.de", "ESMTPS",
      "TLS 1.3", "TLS_AES_128_GCM_SHA256", 0, "2024-02-13T09:45:03+01:00" } } },
  { "/mailcheck/received/sendmail/verify-not-noted", "sendmail-verify-not.eml", 0, 2, {
    { E, FALSE, "relay.uni-beispiel.example", "198.51.100.201", "mail.uni-beispiel.example",
      "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", NV, "2024-02-13T09:46:38+01:00" },
    { E, TRUE, "mail.uni-beispiel.example", "198.51.100.200", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.2", "ECDHE-RSA-AES256-GCM-SHA384", 0, "2024-02-13T09:46:40+01:00" } } },
  { "/mailcheck/received/sendmail/verify-ok", "sendmail-verify-ok.eml", 0, 2, {
    { E, FALSE, "relay.uni-beispiel.example", "198.51.100.201", "mail.uni-beispiel.example",
      "ESMTP", "TLS 1.2", "ECDHE-RSA-AES256-GCM-SHA384", MC_RECEIVED_CERTIFICATE_VERIFIED,
      "2024-02-13T09:47:38+01:00" },
    { E, TRUE, "mail.uni-beispiel.example", "198.51.100.200", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.2", "ECDHE-RSA-AES256-GCM-SHA384", 0, "2024-02-13T09:47:40+01:00" } } },
  /* Old OpenSSL's "TLSv1/SSLv3" names a cipher family: all that is sure is an
   * old library. */
  { "/mailcheck/received/sendmail/verify-fail-tlsv1-sslv3-weak", "sendmail-verify-fail.eml", 0, 2, {
    { W, FALSE, "relay.uni-beispiel.example", "198.51.100.201", "mail.uni-beispiel.example",
      "ESMTP", "TLSv1/SSLv3", "DHE-RSA-AES256-SHA", MC_RECEIVED_CERTIFICATE_FAILED,
      "2024-02-13T09:48:38+01:00" },
    { E, TRUE, "mail.uni-beispiel.example", "198.51.100.200", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.2", "ECDHE-RSA-AES256-GCM-SHA384", 0, "2024-02-13T09:48:40+01:00" } } },
  { "/mailcheck/received/sendmail/verify-not-at-provider", "sendmail-entry-verify-not.eml", 0, 1, {
    { E, TRUE, "relay.partner.example", "203.0.113.88", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", NV, "2024-02-13T09:49:40+01:00" } } },
  { "/mailcheck/received/microsoft/smtp-server-version-mapi-internal", "microsoft-tls12.eml", 0, 3, {
    { I, FALSE, "AS8PR04MB8216.eurprd04.prod.outlook.example", "fe80::5c3a:9d2e:6b1f:aa01",
      "AS8PR04MB8216.eurprd04.prod.outlook.example", "mapi",
      NULL, NULL, 0, "2024-02-13T08:50:09+00:00" },
    { E, FALSE, "AS8PR04MB8216.eurprd04.prod.outlook.example", "2001:db8:10a6:20b:3e0::5",
      "DB9PR04MB9626.eurprd04.prod.outlook.example", "Microsoft SMTP Server",
      "TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0, "2024-02-13T08:50:10+00:00" },
    { E, TRUE, "EUR05-AM6-obe.outbound.protection.outlook.example", "203.0.113.101",
      "mx02.netzprisma.de", "ESMTPS",
      "TLS 1.2", "ECDHE-RSA-AES256-GCM-SHA384", 0, "2024-02-13T09:50:11+01:00" } } },
  { "/mailcheck/received/microsoft/https-internal", "microsoft-https.eml", 0, 3, {
    { I, FALSE, "EXCH01.contoso-gmbh.local", "fe80::1d2c:3b4a:5e6f:7081",
      "EXCH01.contoso-gmbh.local", "HTTPS",
      NULL, NULL, 0, "2024-02-13T09:51:18+01:00" },
    { E, FALSE, "EXCH01.contoso-gmbh.local", "10.20.0.11", "EXCH02.contoso-gmbh.local",
      "Microsoft SMTP Server",
      "TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0, "2024-02-13T09:51:19+01:00" },
    { E, TRUE, "mail.contoso-gmbh.example", "198.51.100.150", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.2", "ECDHE-RSA-AES256-GCM-SHA384", 0, "2024-02-13T09:51:20+01:00" } } },
  { "/mailcheck/received/microsoft/no-version-unknown-tls-marker-encrypted", "microsoft-no-tls.eml",
    0, 4, {
    { U, FALSE, "ws17", "10.0.0.77", "sbs.altfirma.local", "Microsoft SMTPSVC",
      NULL, NULL, 0, "2024-02-13T09:52:17+01:00" },
    { U, FALSE, "sbs.altfirma.local", "10.0.0.4", "exch2010.altfirma.local",
      "Microsoft SMTP Server", NULL, NULL, 0, "2024-02-13T09:52:18+01:00" },
    { E, FALSE, "exch2010.altfirma.local", "10.0.0.5", "mail.altfirma.example",
      "Microsoft SMTP Server",
      NULL, NULL, 0, "2024-02-13T09:52:19+01:00" },
    { E, TRUE, "mail.altfirma.example", "198.51.100.160", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.2", "ECDHE-RSA-AES128-GCM-SHA256", 0, "2024-02-13T09:52:20+01:00" } } },
  { "/mailcheck/received/esmtp-tls-slash/cipher-without-version", "esmtp-tls-slash.eml", 0, 2, {
    { E, FALSE, "[198.51.100.31]", "198.51.100.31", "p01ev.mail.s-mail.example",
      "ESMTP/TLS/DHE-RSA-AES256-GCM-SHA384",
      NULL, "DHE-RSA-AES256-GCM-SHA384", 0, "2024-02-13T09:53:30+01:00" },
    { E, TRUE, "p01-out.mail.s-mail.example", "203.0.113.30", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T09:53:31+01:00" } } },
  { "/mailcheck/received/communigate/tls-colon-list", "communigate.eml", 0, 2, {
    { E, FALSE, "[198.51.100.45]", "198.51.100.45", "mail.verein.example", "ESMTPSA",
      "TLS 1.3", "ECDHE_RSA_AES_128_GCM_SHA256", 0, "2024-02-13T09:54:09+01:00" },
    { E, TRUE, "mail.verein.example", "198.51.100.44", "mx02.netzprisma.de", "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T09:54:10+01:00" } } },
  /* ESMTPA is authenticated without TLS: said by a foreign server, unknown. */
  { "/mailcheck/received/rfc3848/tokens", "rfc3848-tokens.eml", 0, 5, {
    { E, FALSE, "client.utf8.example", "203.0.113.73", "edge.utf8.example", "ESMTPS",
      NULL, NULL, 0, "2024-02-13T09:55:02+01:00" },
    { U, FALSE, "edge.utf8.example", "203.0.113.72", "hub.utf8.example", "ESMTPA",
      NULL, NULL, 0, "2024-02-13T09:55:03+01:00" },
    { E, FALSE, "hub.utf8.example", "203.0.113.71", "out.utf8.example", "UTF8SMTPSA",
      NULL, NULL, 0, "2024-02-13T09:55:04+01:00" },
    { E, TRUE, "out.utf8.example", "203.0.113.70", "mx02.netzprisma.de", "UTF8SMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T09:55:05+01:00" },
    { I, TRUE, "mx02.netzprisma.de", "192.0.2.26", "mail01.netzprisma.de", "LMTPS",
      NULL, NULL, 0, "2024-02-13T09:55:06+01:00" } } },
  { "/mailcheck/received/postfix/submission-tls10-weak", "submission-weak.eml", 0, 2, {
    { W, TRUE, "[192.168.2.33]", "198.51.100.66", "mail01.netzprisma.de", "ESMTPSA",
      "TLS 1.0", "ECDHE-RSA-AES256-SHA", 0, "2024-02-13T09:56:01+01:00" },
    { I, TRUE, "mail01.netzprisma.de", "192.0.2.10", "mail01.netzprisma.de", "LMTP",
      NULL, NULL, 0, "2024-02-13T09:56:02+01:00" } } },
  { "/mailcheck/received/folding/crlf-tabs-and-spaces", "folded-crlf.eml", 0, 2, {
    { E, TRUE, "smtp.sender.example", "203.0.113.5", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.3", "TLS_CHACHA20_POLY1305_SHA256", 0, "2024-02-13T09:57:05+01:00" },
    { I, TRUE, "mx01.netzprisma.de", "192.0.2.25", "mail01.netzprisma.de", "LMTP",
      NULL, NULL, 0, "2024-02-13T09:57:06+01:00" } } },
  /* "by [IPv6:…]" is trusted by the provider's address; an IPv4-mapped
   * loopback address is loopback. */
  { "/mailcheck/received/ipv6/literals", "ipv6.eml", 0, 3, {
    { I, FALSE, "localhost", "127.0.0.1", "mail.v6only.example", "ESMTP",
      NULL, NULL, 0, "2024-02-13T09:58:03+01:00" },
    { E, FALSE, "[IPv6:2001:db8:77::1]", "2001:db8:77::1", "mail.v6only.example", "esmtpsa",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T09:58:04+01:00" },
    { E, TRUE, "mail.v6only.example", "2001:db8:5::25", "[IPv6:2001:db8:25::25]", "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T09:58:05+01:00" } } },
  /* Asctime order and a zone name parse; 30 February, 25:61, words, no date,
   * an impossible offset and no zone do not, and change no verdict. */
  { "/mailcheck/received/dates/broken-tolerated", "broken-dates.eml", 0, 8, {
    { E, FALSE, "g.datum.example", "203.0.113.97", "f.datum.example", "ESMTPS",
      NULL, NULL, 0, "2024-02-13T09:55:00+01:00" },
    { E, FALSE, "f.datum.example", "203.0.113.96", "e.datum.example", "ESMTPS",
      NULL, NULL, 0, NULL },
    { E, FALSE, "e.datum.example", "203.0.113.95", "d.datum.example", "ESMTPS",
      NULL, NULL, 0, NULL },
    { E, FALSE, "d.datum.example", "203.0.113.94", "c.datum.example", "ESMTPS",
      NULL, NULL, 0, NULL },
    { E, FALSE, "c.datum.example", "203.0.113.93", "b.datum.example", "ESMTPS",
      NULL, NULL, 0, NULL },
    { E, FALSE, "b.datum.example", "203.0.113.92", "a.datum.example", "ESMTPS",
      NULL, NULL, 0, NULL },
    { E, FALSE, "a.datum.example", "203.0.113.91", "relay.datum.example", "ESMTPS",
      NULL, NULL, 0, NULL },
    { E, TRUE, "relay.datum.example", "203.0.113.90", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T09:59:00+01:00" } } },
  /* qmail and Postfix local programs, LMTP on the sender's side, and a content
   * filter on the provider's host: the filter's lines are trusted through the
   * loopback hand-over. */
  { "/mailcheck/received/internal/local-lmtp-localhost", "internal-hops.eml", 0, 7, {
    { I, FALSE, NULL, NULL, NULL, NULL,
      NULL, NULL, 0, "2024-02-13T09:00:03+00:00" },
    { I, FALSE, NULL, NULL, "smtp.sender.example", NULL,
      NULL, NULL, 0, "2024-02-13T10:00:04+01:00" },
    { I, FALSE, "smtp.sender.example", "203.0.113.5", "smtp.sender.example", "LMTP",
      NULL, NULL, 0, "2024-02-13T10:00:05+01:00" },
    { E, TRUE, "smtp.sender.example", "203.0.113.5", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T10:00:06+01:00" },
    { I, TRUE, "mx01.netzprisma.de", "127.0.0.1", "localhost", "ESMTP",
      NULL, NULL, 0, "2024-02-13T10:00:07+01:00" },
    { I, TRUE, "localhost", "127.0.0.1", "mx01.netzprisma.de", "ESMTP",
      NULL, NULL, 0, "2024-02-13T10:00:08+01:00" },
    { I, TRUE, "mx01.netzprisma.de", "192.0.2.25", "mail01.netzprisma.de", "LMTP",
      NULL, NULL, 0, "2024-02-13T10:00:09+01:00" } } },
  /* The customer's own fetchmail line above the provider's does not end the
   * provider's part, and is not the provider's. */
  { "/mailcheck/received/trust/customer-line-on-top", "fetchmail-top.eml", 0, 3, {
    { E, TRUE, "smtp.sender.example", "203.0.113.5", "mx01.netzprisma.de", "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T10:01:06+01:00" },
    { I, TRUE, "mx01.netzprisma.de", "192.0.2.25", "mail01.netzprisma.de", "LMTP",
      NULL, NULL, 0, "2024-02-13T10:01:07+01:00" },
    { I, FALSE, "mail01.netzprisma.de", NULL, "localhost", "POP3S",
      NULL, NULL, 0, "2024-02-13T10:05:00+01:00" } } },
  /* A line naming the provider's server below a foreign sender's is that
   * sender's claim. */
  { "/mailcheck/received/trust/forged-provider-line-below-foreign", "forged-below.eml", 0, 2, {
    { E, FALSE, "bank.example", "198.51.100.1", "mx02.netzprisma.de", "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T10:02:05+01:00" },
    { N, TRUE, "mail.spam-sender.example", "203.0.113.250", "mx01.netzprisma.de", "ESMTP",
      NULL, NULL, 0, "2024-02-13T10:02:06+01:00" } } },
  /* TLS words in a client's greeting name (the value after "from", or a
   * comment glued to it) are no TLS facts. */
  { "/mailcheck/received/trust/greeting-name-is-no-tls-fact", "helo-injection.eml", 0, 2, {
    { U, FALSE, "version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384", "203.0.113.251",
      "relay.spam-sender.example", "ESMTP",
      NULL, NULL, 0, "2024-02-13T10:03:05+01:00" },
    { N, TRUE, "x", "203.0.113.252", "mx02.netzprisma.de", "ESMTP",
      NULL, NULL, 0, "2024-02-13T10:03:06+01:00" } } },
  { "/mailcheck/received/trust/provider-token-beats-comment", "plain-token-beats-comment.eml", 0, 1, {
    { N, TRUE, "mail.spam-sender.example", "203.0.113.253", "mx01.netzprisma.de", "ESMTP",
      NULL, NULL, 0, "2024-02-13T10:03:16+01:00" } } },
  { "/mailcheck/received/trust/not-delivered-by-provider", "not-via-netzprisma.eml", 0, 2, {
    { E, FALSE, "mail.sender.example", "203.0.113.5", "mx.google.com", "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T01:04:06-08:00" },
    { U, FALSE, NULL, NULL, "2002:a05:6a10:a0d1:b0:5a5:d2b3:1234", "SMTP",
      NULL, NULL, 0, "2024-02-13T01:04:07-08:00" } } },
  { "/mailcheck/received/header/no-received-lines", "no-received.eml", 0, 0, {
    { 0 } } },
  /* Invalid UTF-8 becomes U+FFFD, controls become visible symbols, and a
   * right-to-left override is spelled out. */
  { "/mailcheck/received/hostile/invalid-utf8-and-controls", "invalid-utf8-controls.eml", 0, 2, {
    { E, FALSE, "bank<U+202E>moc.example", "203.0.113.67", "evil\xef\xbf\xbd\xef\xbf\xbd.example",
      "ESMTPS",
      NULL, NULL, 0, "2024-02-13T10:07:05+01:00" },
    { E, TRUE, "evil\xef\xbf\xbd\xef\xbf\xbd.example", "203.0.113.66", "mx01.netzprisma.de",
      "ESMTPS",
      "TLS 1.3", "TLS_AES_256_GCM_SHA384", 0, "2024-02-13T10:07:06+01:00" } } },
  { "/mailcheck/received/protection/pgp-encrypted", "pgp-encrypted.eml",
    MC_RECEIVED_PROTECTION_PGP_ENCRYPTED, 1 },
  { "/mailcheck/received/protection/pgp-signed", "pgp-signed.eml",
    MC_RECEIVED_PROTECTION_PGP_SIGNED, 1 },
  { "/mailcheck/received/protection/smime-enveloped", "smime-encrypted.eml",
    MC_RECEIVED_PROTECTION_SMIME_ENCRYPTED, 1 },
  { "/mailcheck/received/protection/smime-x-pkcs7-without-type", "smime-x-pkcs7.eml",
    MC_RECEIVED_PROTECTION_SMIME_ENCRYPTED, 1 },
  { "/mailcheck/received/protection/smime-multipart-signed", "smime-signed.eml",
    MC_RECEIVED_PROTECTION_SMIME_SIGNED, 1 },
  { "/mailcheck/received/protection/smime-x-signed-any-case", "smime-x-signed.eml",
    MC_RECEIVED_PROTECTION_SMIME_SIGNED, 1 },
  { "/mailcheck/received/protection/smime-opaque-signed", "smime-opaque-signed.eml",
    MC_RECEIVED_PROTECTION_SMIME_SIGNED, 1 },
};

static McReceivedReport *
parse_file (const char *file)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "received", file, NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  McReceivedReport *report;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  report = mc_received_parse (data, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
test_vector (gconstpointer data)
{
  const Vector *vector = data;
  g_autoptr(McReceivedReport) report = parse_file (vector->file);

  g_assert_cmpuint (mc_received_report_get_n_hops (report), ==, vector->n_hops);
  g_assert_cmpint (mc_received_report_get_protection (report), ==, vector->protection);
  g_assert_cmpuint (mc_received_report_get_n_omitted (report), ==, 0);
  g_assert_false (mc_received_report_get_truncated (report));

  for (guint i = 0; i < vector->n_hops; i++)
    {
      const McReceivedHop *hop = mc_received_report_get_hop (report, i);
      const ExpectedHop *expected = &vector->hops[i];
      g_autofree char *date = NULL;

      g_test_message ("hop %u", i);
      /* The protection vectors only pin their one hop's verdict. */
      if (expected->by == NULL && expected->verdict == 0 && vector->protection != 0)
        {
          g_assert_cmpint (mc_received_hop_get_verdict (hop), ==, MC_RECEIVED_VERDICT_ENCRYPTED);
          continue;
        }
      g_assert_cmpstr (mc_received_verdict_to_string (mc_received_hop_get_verdict (hop)), ==,
                       mc_received_verdict_to_string (expected->verdict));
      g_assert_cmpint (mc_received_hop_get_trusted (hop), ==, expected->trusted);
      g_assert_cmpstr (mc_received_hop_get_from (hop), ==, expected->from);
      g_assert_cmpstr (mc_received_hop_get_from_address (hop), ==, expected->address);
      g_assert_cmpstr (mc_received_hop_get_by (hop), ==, expected->by);
      g_assert_cmpstr (mc_received_hop_get_with (hop), ==, expected->with);
      g_assert_cmpstr (mc_received_hop_get_tls_version (hop), ==, expected->tls_version);
      g_assert_cmpstr (mc_received_hop_get_tls_cipher (hop), ==, expected->tls_cipher);
      g_assert_cmpint (mc_received_hop_get_certificate (hop), ==, expected->certificate);
      if (mc_received_hop_get_date (hop) != NULL)
        date = g_date_time_format (mc_received_hop_get_date (hop), "%Y-%m-%dT%H:%M:%S%:z");
      g_assert_cmpstr (date, ==, expected->date);
      g_assert_false (mc_received_hop_get_truncated (hop));
    }
}

/* The report text and the JSON never name a recipient: the vectors' "for"
 * clauses, envelope senders and authenticated users all stay out. */
static void
test_recipients_redacted (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autoptr(McReceivedReport) report = parse_file (vectors[i].file);
      g_autofree char *text = mc_received_report_to_text (report);
      g_autofree char *json = mc_received_report_to_json (report);

      g_test_message ("%s", vectors[i].file);
      g_assert_null (strchr (text, '@'));
      g_assert_null (strchr (json, '@'));
    }

  /* The parser does read them, for the window. */
  {
    g_autoptr(McReceivedReport) report = parse_file ("postfix-tls13.eml");

    g_assert_cmpstr (mc_received_hop_get_for (mc_received_report_get_hop (report, 1)), ==,
                     "<anna.schmidt@netzprisma.de>");
    g_assert_cmpstr (mc_received_hop_get_id (mc_received_report_get_hop (report, 1)), ==, "4TYx2w1Qmtz9sW7");
  }
}

static void
assert_member (JsonObject *object,
               const char *name)
{
  g_assert_true (json_object_has_member (object, name));
}

/* hops[] oldest first with the contract's fields and verdict names, plus
 * summary: the command line's --format json. */
static void
test_json_contract (void)
{
  static const char *verdicts[] = { "encrypted", "encrypted-weak", "not-encrypted", "unknown", "internal" };
  g_autoptr(McReceivedReport) report = parse_file ("postfix-plain.eml");
  g_autofree char *json = mc_received_report_to_json (report);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *hops;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  hops = json_object_get_array_member (root, "hops");
  g_assert_cmpuint (json_array_get_length (hops), ==, 3);

  for (guint i = 0; i < json_array_get_length (hops); i++)
    {
      JsonObject *hop = json_array_get_object_element (hops, i);

      assert_member (hop, "from");
      assert_member (hop, "by");
      assert_member (hop, "with");
      assert_member (hop, "tls_version");
      assert_member (hop, "tls_cipher");
      assert_member (hop, "date");
      assert_member (hop, "verdict");
      assert_member (hop, "trusted");
      g_assert_false (json_object_has_member (hop, "for"));
    }

  /* Oldest first: the sender's own server, then Netzprisma's inbound server. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (hops, 0), "by"), ==,
                   "mail.oldbox.example");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (hops, 1), "verdict"), ==,
                   "not-encrypted");
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (hops, 1), "trusted"));
  g_assert_true (json_object_get_null_member (json_array_get_object_element (hops, 1), "tls_version"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (hops, 1), "date"), ==,
                   "2024-02-13T09:41:08+01:00");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (hops, 1), "delay_seconds"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (hops, 2), "verdict"), ==,
                   "internal");
  g_assert_cmpstr (json_object_get_string_member (root, "summary"), ==, mc_received_report_get_summary (report));
  g_assert_cmpstr (json_object_get_string_member (root, "message_protection"), ==, "none");

  for (guint i = 0; i < G_N_ELEMENTS (verdicts); i++)
    g_assert_cmpstr (mc_received_verdict_to_string (i), ==, verdicts[i]);
}

static char *
summary_of (const char *file)
{
  g_autoptr(McReceivedReport) report = parse_file (file);

  return g_strdup (mc_received_report_get_summary (report));
}

#define MEANING "Encryption on the way protects each hop on its own: every server on the way stores the message " \
                "unencrypted, and only PGP or S/MIME protect it from end to end."
#define NO_E2E "According to its header, the message itself is not encrypted with PGP or S/MIME."

/* The paragraph on top, word for word for the common cases. */
static void
test_summary_words (void)
{
  g_autofree char *tls13 = summary_of ("postfix-tls13.eml");
  g_autofree char *plain = summary_of ("postfix-plain.eml");
  g_autofree char *weak = summary_of ("submission-weak.eml");
  g_autofree char *unverified = summary_of ("sendmail-entry-verify-not.eml");
  g_autofree char *foreign = summary_of ("not-via-netzprisma.eml");
  g_autofree char *none = summary_of ("no-received.eml");
  g_autofree char *pgp = summary_of ("pgp-encrypted.eml");
  g_autofree char *pgp_signed = summary_of ("pgp-signed.eml");
  g_autofree char *smime = summary_of ("smime-encrypted.eml");
  g_autofree char *smime_signed = summary_of ("smime-signed.eml");
  g_autofree char *claimed = summary_of ("exim-old.eml");

  g_assert_cmpstr (tls13, ==,
                   "The way from smtp.sender.example to Netzprisma was encrypted with TLS 1.3, as recorded by "
                   "Netzprisma. Before that, 1 hop is only claimed by the previous server: Netzprisma cannot "
                   "confirm it. " MEANING " " NO_E2E);
  g_assert_cmpstr (plain, ==,
                   "The way from mail.oldbox.example to Netzprisma was not encrypted, as recorded by Netzprisma. "
                   "Before that, 1 hop is only claimed by the previous server: Netzprisma cannot confirm it. "
                   MEANING " " NO_E2E);
  g_assert_cmpstr (weak, ==,
                   "The way from p5dd1a2b3.dip0.provider.example to Netzprisma was encrypted, but only with the "
                   "outdated TLS 1.0, as recorded by Netzprisma. " MEANING " " NO_E2E);
  g_assert_nonnull (strstr (unverified, "The record also says that the certificate was not verified: the "
                                        "connection was encrypted, but the other side was not authenticated."));
  g_assert_true (g_str_has_prefix (foreign, "None of the Received lines was written by a Netzprisma server: each "
                                            "hop is only claimed by the server that wrote the line, and "
                                            "Netzprisma cannot confirm any of them."));
  g_assert_cmpstr (none, ==, "The header has no Received lines, so it does not show how the message was "
                             "delivered. " NO_E2E);
  g_assert_true (g_str_has_suffix (pgp, "The message itself is encrypted with PGP: its content stays protected "
                                        "on every server."));
  g_assert_true (g_str_has_suffix (pgp_signed, "The message is signed with PGP: changes to its content can be "
                                               "detected, but it is not encrypted."));
  g_assert_true (g_str_has_suffix (smime, "The message itself is encrypted with S/MIME: its content stays "
                                          "protected on every server."));
  g_assert_true (g_str_has_suffix (smime_signed, "The message is signed with S/MIME: changes to its content can "
                                                 "be detected, but it is not encrypted."));
  g_assert_nonnull (strstr (claimed, "Before that, 4 hops are only claimed by the previous servers: Netzprisma "
                                     "cannot confirm them."));
}

static McReceivedReport *
parse_text (const McProvider *provider,
            const char       *text)
{
  g_autoptr(GError) error = NULL;
  McReceivedReport *report = mc_received_parse_for_provider (provider, text, strlen (text), &error);

  g_assert_no_error (error);
  return report;
}

/* A provider line that records neither TLS nor its absence, and a path that
 * never left the provider's servers. */
static void
test_summary_unknown_and_internal_only (void)
{
  g_autoptr(McReceivedReport) unknown = parse_text (mc_provider_get_default (),
    "Received: from old.example (old.example [198.51.100.3])\n"
    "\tby mx01.netzprisma.de (Postfix) id 4TYxZZ;\n\tTue, 13 Feb 2024 10:10:00 +0100\n");
  g_autoptr(McReceivedReport) local = parse_text (mc_provider_get_default (),
    "Received: by mail01.netzprisma.de (Postfix, from userid 33)\n\tid 4TYxZY; Tue, 13 Feb 2024 10:11:00 +0100\n"
    "Content-Type: text/plain\n");

  g_assert_cmpint (mc_received_hop_get_verdict (mc_received_report_get_hop (unknown, 0)), ==, U);
  g_assert_true (g_str_has_prefix (mc_received_report_get_summary (unknown),
                                   "Netzprisma’s record does not say whether the way from old.example to "
                                   "Netzprisma was encrypted."));
  g_assert_cmpint (mc_received_hop_get_verdict (mc_received_report_get_hop (local, 0)), ==, I);
  g_assert_true (mc_received_hop_get_trusted (mc_received_report_get_hop (local, 0)));
  g_assert_true (g_str_has_prefix (mc_received_report_get_summary (local),
                                   "Netzprisma’s records show only hops within its own servers, such as the "
                                   "delivery into the mailbox."));
}

/* A greeting name cannot close its word and open a comment that the
 * provider's line would seem to have written ("(mx01… [address])"): that
 * would make a plain hop look internal and extend trust to the forged lines
 * below it. */
static void
test_greeting_name_cannot_open_comment (void)
{
  g_autoptr(McReceivedReport) report = parse_text (mc_provider_get_default (),
    "Received: from mx01.netzprisma.de ([192.0.2.25])\n"
    "\tby mail01.netzprisma.de with LMTP id L1; Tue, 13 Feb 2024 10:20:02 +0100\n"
    "Received: from a)(mx01.netzprisma.de (unknown [203.0.113.5])\n"
    "\tby mx01.netzprisma.de (Postfix) with ESMTP id L2; Tue, 13 Feb 2024 10:20:01 +0100\n"
    "Received: from bank.example (bank.example [198.51.100.1])\n"
    "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
    "\tby mx02.netzprisma.de (Postfix) with ESMTPS id L3; Tue, 13 Feb 2024 10:20:00 +0100\n");
  const McReceivedHop *entry = mc_received_report_get_hop (report, 1);

  g_assert_cmpuint (mc_received_report_get_n_hops (report), ==, 3);
  g_assert_true (mc_received_hop_get_trusted (entry));
  g_assert_null (mc_received_hop_get_from_host (entry));
  g_assert_cmpint (mc_received_hop_get_verdict (entry), !=, I);
  g_assert_cmpint (mc_received_hop_get_verdict (entry), !=, E);
  g_assert_false (mc_received_hop_get_trusted (mc_received_report_get_hop (report, 0)));
}

/* Without a profile nothing is trusted, so nothing can be "not encrypted". */
static void
test_trust_needs_profile (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "received", "postfix-plain.eml", NULL);
  g_autofree char *data = NULL;
  g_autoptr(McReceivedReport) report = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  report = mc_received_parse_for_provider (NULL, data, len, NULL);
  for (guint i = 0; i < mc_received_report_get_n_hops (report); i++)
    {
      const McReceivedHop *hop = mc_received_report_get_hop (report, i);

      g_assert_false (mc_received_hop_get_trusted (hop));
      g_assert_cmpint (mc_received_hop_get_verdict (hop), !=, N);
    }
  g_assert_cmpint (mc_received_hop_get_verdict (mc_received_report_get_hop (report, 1)), ==, U);
}

/* A loopback address is not "internal" on its own: what makes a hop internal
 * is the receiving server naming the sender localhost. A client on 127.0.0.2
 * without that name is judged like any other (a test setup on one machine
 * sends from there), while a hand-over from localhost stays internal. */
static void
test_loopback_needs_localhost_name (void)
{
  const char *profile = "[Provider]\nId=t\nName=T\nServer=mail.test.example\nUserName=any\n"
                        "MailHosts=mail.test.example;\n[smtp]\nUsable=587:starttls;\n[imap]\nUsable=993:tls;\n";
  g_autoptr(McProvider) provider = mc_provider_new_from_data (profile, -1, NULL);
  g_autoptr(McReceivedReport) report = parse_text (provider,
    "Received: from client.test.example (localhost [127.0.0.1])\n"
    "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
    "\tby mail.test.example (Postfix) with ESMTPSA id A1; Tue, 13 Feb 2024 10:12:03 +0100\n"
    "Received: from client.test.example (unknown [127.0.0.2])\n"
    "\tby mail.test.example (Postfix) with ESMTP id A2; Tue, 13 Feb 2024 10:12:02 +0100\n"
    "Received: from client.test.example (unknown [127.0.0.2])\n"
    "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
    "\tby mail.test.example (Postfix) with ESMTPSA id A3; Tue, 13 Feb 2024 10:12:01 +0100\n");
  g_autoptr(McReceivedReport) lookalike = parse_text (provider,
    "Received: from localhost (unknown [203.0.113.9])\n"
    "\tby mail.test.example (Postfix) with ESMTP id B1; Tue, 13 Feb 2024 10:12:04 +0100\n");

  g_assert_nonnull (provider);
  g_assert_cmpint (mc_received_hop_get_verdict (mc_received_report_get_hop (report, 2)), ==, I);
  /* Trust continues below a hand-over from the same machine. */
  g_assert_true (mc_received_hop_get_trusted (mc_received_report_get_hop (report, 1)));
  g_assert_cmpint (mc_received_hop_get_verdict (mc_received_report_get_hop (report, 1)), ==, N);
  g_assert_cmpint (mc_received_hop_get_verdict (mc_received_report_get_hop (report, 0)), ==, E);
  g_assert_cmpstr (mc_received_hop_get_tls_version (mc_received_report_get_hop (report, 0)), ==, "TLS 1.3");
  /* A remote client greeting as "localhost" stays an Internet hop. */
  g_assert_cmpint (mc_received_hop_get_verdict (mc_received_report_get_hop (lookalike, 0)), ==, N);
}

/* After "/TLS/" comes a version or a cipher; a TLS 1.3 cipher's name also
 * starts with "TLS". */
static void
test_slash_form_version_or_cipher (void)
{
  g_autoptr(McReceivedReport) report = parse_text (mc_provider_get_default (),
    "Received: from a.example (a.example [198.51.100.1]) by b.example\n"
    "\twith ESMTP/TLS/TLS_AES_256_GCM_SHA384; Tue, 13 Feb 2024 10:00:00 +0100\n"
    "Received: from c.example (c.example [198.51.100.2]) by a.example\n"
    "\twith SMTP/TLS/TLSv1.2/ECDHE-RSA-AES128-GCM-SHA256; Tue, 13 Feb 2024 09:59:00 +0100\n");
  const McReceivedHop *older = mc_received_report_get_hop (report, 0);
  const McReceivedHop *newer = mc_received_report_get_hop (report, 1);

  g_assert_cmpint (mc_received_hop_get_verdict (older), ==, E);
  g_assert_cmpstr (mc_received_hop_get_tls_version (older), ==, "TLS 1.2");
  g_assert_cmpstr (mc_received_hop_get_tls_cipher (older), ==, "ECDHE-RSA-AES128-GCM-SHA256");
  g_assert_cmpint (mc_received_hop_get_verdict (newer), ==, E);
  g_assert_null (mc_received_hop_get_tls_version (newer));
  g_assert_cmpstr (mc_received_hop_get_tls_cipher (newer), ==, "TLS_AES_256_GCM_SHA384");
}

static void
test_delay_between_zones (void)
{
  g_autoptr(McReceivedReport) report = parse_file ("exim-new.eml");
  GTimeSpan delay = 0;

  g_assert_false (mc_received_report_get_delay (report, 0, &delay));
  g_assert_true (mc_received_report_get_delay (report, 1, &delay));
  g_assert_cmpint (delay, ==, 2 * G_TIME_SPAN_SECOND);
}

static void
test_text_lists_hops_with_trust (void)
{
  g_autoptr(McReceivedReport) report = parse_file ("sendmail-verify-not.eml");
  g_autofree char *text = mc_received_report_to_text (report);

  g_assert_nonnull (strstr (text, "Delivery path, oldest hop first:\n"
                                  "1. relay.uni-beispiel.example [198.51.100.201] → mail.uni-beispiel.example\n"
                                  "   2024-02-13T09:46:38+01:00, ESMTPS, TLS 1.3, TLS_AES_256_GCM_SHA384\n"
                                  "   Encrypted with TLS 1.3. The certificate was not verified. Claimed by the "
                                  "previous server.\n"));
  g_assert_nonnull (strstr (text, "   Encrypted with TLS 1.2. Recorded by Netzprisma.\n"));
}

/* Bounds ------------------------------------------------------------------- */

/* 150 Received lines: the newest 100 are read (they hold the provider's), the
 * rest are counted and said to be left out. */
static void
test_cap_hops (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(McReceivedReport) report = NULL;
  g_autofree char *report_text = NULL;
  g_autofree char *json = NULL;

  for (guint i = 0; i < 150; i++)
    g_string_append_printf (text, "Received: from h%u.example (h%u.example [198.51.100.%u]) by %s with ESMTPS "
                            "id n%u; Tue, 13 Feb 2024 10:13:00 +0100\n", i + 1, i + 1, i % 250,
                            i == 0 ? "mx01.netzprisma.de" : "relay.example", i);
  report = parse_text (mc_provider_get_default (), text->str);

  g_assert_cmpuint (mc_received_report_get_n_hops (report), ==, MC_RECEIVED_MAX_HOPS);
  g_assert_cmpuint (mc_received_report_get_n_omitted (report), ==, 50);
  g_assert_cmpstr (mc_received_hop_get_id (mc_received_report_get_hop (report, 99)), ==, "n0");
  g_assert_true (mc_received_hop_get_trusted (mc_received_report_get_hop (report, 99)));
  g_assert_cmpstr (mc_received_hop_get_id (mc_received_report_get_hop (report, 0)), ==, "n99");
  report_text = mc_received_report_to_text (report);
  g_assert_nonnull (strstr (report_text, "50 more Received lines were not read."));
  json = mc_received_report_to_json (report);
  g_assert_nonnull (strstr (json, "\"hops_omitted\" : 50"));
}

/* A field unfolded past 8 KiB is cut there: what comes later in it is lost,
 * the next field is read as usual. */
static void
test_cap_field (void)
{
  g_autoptr(GString) text = g_string_new ("Received: from big.example (big.example [198.51.100.5])\n");
  g_autoptr(McReceivedReport) report = NULL;
  const McReceivedHop *big, *next;

  for (guint i = 0; i < 400; i++)
    g_string_append (text, "\t(padding padding padding padding padding padding)\n");
  g_string_append (text, "\tby mx01.netzprisma.de (Postfix) with ESMTP id BIG; Tue, 13 Feb 2024 10:14:01 +0100\n");
  g_string_append (text, "Received: from small.example (small.example [198.51.100.6])\n"
                         "\tby big.example with ESMTPS id SMALL; Tue, 13 Feb 2024 10:14:00 +0100\n");
  report = parse_text (mc_provider_get_default (), text->str);

  g_assert_cmpuint (mc_received_report_get_n_hops (report), ==, 2);
  big = mc_received_report_get_hop (report, 1);
  next = mc_received_report_get_hop (report, 0);
  g_assert_true (mc_received_hop_get_truncated (big));
  g_assert_null (mc_received_hop_get_by (big));
  g_assert_false (mc_received_hop_get_trusted (big));
  g_assert_cmpstr (mc_received_hop_get_from (big), ==, "big.example");
  g_assert_false (mc_received_hop_get_truncated (next));
  g_assert_cmpstr (mc_received_hop_get_id (next), ==, "SMALL");
  g_assert_cmpint (mc_received_hop_get_verdict (next), ==, E);
}

/* Only 256 KiB are read: a Received line beyond is not, and the report says
 * the text was cut. A long body after a short header is no cut. */
static void
test_cap_input (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) message = g_string_new (NULL);
  g_autoptr(McReceivedReport) report = NULL;
  g_autoptr(McReceivedReport) long_body = NULL;
  g_autofree char *report_text = NULL;

  while (text->len < MC_RECEIVED_MAX_INPUT)
    g_string_append (text, "X-Filler: 0123456789012345678901234567890123456789012345678901234567890123456789\n");
  g_string_append (text, "Received: from late.example by mx01.netzprisma.de with ESMTPS; Tue, 13 Feb 2024 10:15:00 "
                         "+0100\n");
  report = parse_text (mc_provider_get_default (), text->str);
  g_assert_cmpuint (mc_received_report_get_n_hops (report), ==, 0);
  g_assert_true (mc_received_report_get_truncated (report));
  report_text = mc_received_report_to_text (report);
  g_assert_nonnull (strstr (report_text, "Only the first 256 KiB of the text were read."));

  g_string_append (message, "Received: from a.example by mx01.netzprisma.de with ESMTPS; Tue, 13 Feb 2024 10:15:00 "
                            "+0100\n\n");
  while (message->len < 2 * MC_RECEIVED_MAX_INPUT)
    g_string_append (message, "Body text, not a header. Received: from nowhere\n");
  long_body = parse_text (mc_provider_get_default (), message->str);
  g_assert_cmpuint (mc_received_report_get_n_hops (long_body), ==, 1);
  g_assert_false (mc_received_report_get_truncated (long_body));
}

/* Input built to make a backtracking parser slow (deep and unclosed
 * comments, endless quotes, a wall of keywords, 100 maximal fields) is read
 * in linear time. */
static void
test_pathological_input_is_fast (void)
{
  static const char *fillers[] = { "(", "((((((((((", "\"", "by ", "from (", "; ", "[", "\\(" };

  for (guint f = 0; f < G_N_ELEMENTS (fillers); f++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(McReceivedReport) report = NULL;
      gint64 start;

      while (text->len < MC_RECEIVED_MAX_INPUT)
        {
          g_string_append (text, "Received:");
          for (guint i = 0; i < MC_RECEIVED_MAX_FIELD / strlen (fillers[f]); i++)
            g_string_append (text, fillers[f]);
          g_string_append_c (text, '\n');
        }
      start = g_get_monotonic_time ();
      report = parse_text (mc_provider_get_default (), text->str);
      g_test_message ("filler “%s”: %" G_GINT64_FORMAT " µs", fillers[f], g_get_monotonic_time () - start);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
      g_assert_cmpuint (mc_received_report_get_n_hops (report), <=, MC_RECEIVED_MAX_HOPS);
      mc_test_assert_display_safe (mc_received_report_get_summary (report));
    }
}

/* Text that is no header at all is refused; a header that is only a
 * Content-Type or has odd lines around it is not. */
static void
test_not_a_header (void)
{
  static const char *bad[] = { "", "\n\n", "just some words\nand more\n", "From bob@example Tue Feb 13 2024\n",
                               "  Received: indented, so only a continuation\n" };
  g_autoptr(McReceivedReport) mbox = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(McReceivedReport) report = mc_received_parse (bad[i], strlen (bad[i]), &error);

      g_test_message ("case %u", i);
      g_assert_null (report);
      g_assert_error (error, MC_RECEIVED_ERROR, MC_RECEIVED_ERROR_NO_HEADER);
    }

  /* An mbox "From " line, a byte order mark and blank lines above a paste. */
  mbox = parse_text (mc_provider_get_default (),
                     "\xef\xbb\xbf\n\nFrom bob@example Tue Feb 13 10:16:00 2024\n"
                     "Received: from a.example (a.example [198.51.100.7]) by mx01.netzprisma.de with ESMTPS id M;"
                     " Tue, 13 Feb 2024 10:16:00 +0100\n");
  g_assert_cmpuint (mc_received_report_get_n_hops (mbox), ==, 1);
  g_assert_true (mc_received_hop_get_trusted (mc_received_report_get_hop (mbox, 0)));
}

/* Every string a report hands out is safe to show, for every vector. */
static void
test_everything_display_safe (void)
{
  for (guint v = 0; v < G_N_ELEMENTS (vectors); v++)
    {
      g_autoptr(McReceivedReport) report = parse_file (vectors[v].file);
      g_autofree char *text = mc_received_report_to_text (report);

      mc_test_assert_received_display_safe (report);
      g_assert_true (g_utf8_validate (text, -1, NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    g_test_add_data_func (vectors[i].path, &vectors[i], test_vector);

  g_test_add_func ("/mailcheck/received/esmtp-tls-slash/version-or-cipher", test_slash_form_version_or_cipher);
  g_test_add_func ("/mailcheck/received/report/recipients-redacted", test_recipients_redacted);
  g_test_add_func ("/mailcheck/received/report/json-contract", test_json_contract);
  g_test_add_func ("/mailcheck/received/report/text-lists-hops-with-trust", test_text_lists_hops_with_trust);
  g_test_add_func ("/mailcheck/received/report/delay-between-zones", test_delay_between_zones);
  g_test_add_func ("/mailcheck/received/summary/words", test_summary_words);
  g_test_add_func ("/mailcheck/received/summary/unknown-and-internal-only", test_summary_unknown_and_internal_only);
  g_test_add_func ("/mailcheck/received/trust/needs-profile", test_trust_needs_profile);
  g_test_add_func ("/mailcheck/received/trust/greeting-name-cannot-open-comment",
                   test_greeting_name_cannot_open_comment);
  g_test_add_func ("/mailcheck/received/internal/loopback-needs-localhost-name", test_loopback_needs_localhost_name);
  g_test_add_func ("/mailcheck/received/bounds/100-received-fields", test_cap_hops);
  g_test_add_func ("/mailcheck/received/bounds/8-kib-per-field", test_cap_field);
  g_test_add_func ("/mailcheck/received/bounds/256-kib-input", test_cap_input);
  g_test_add_func ("/mailcheck/received/bounds/pathological-input-is-fast", test_pathological_input_is_fast);
  g_test_add_func ("/mailcheck/received/header/not-a-header-refused", test_not_a_header);
  g_test_add_func ("/mailcheck/received/hostile/everything-display-safe", test_everything_display_safe);

  return g_test_run ();
}
