/* mc-received-private.h: a delivery path as its two halves see it: the
 * parser (mc-received.c) and the words about it (mc-received-report.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mc-received.h"

G_BEGIN_DECLS

typedef enum
{
  MC_RECEIVED_PROTOCOL_UNKNOWN,   /* no with clause, or a name RFC 3848 does not register */
  MC_RECEIVED_PROTOCOL_PLAIN,     /* SMTP, ESMTP, ESMTPA, UTF8SMTP, UTF8SMTPA */
  MC_RECEIVED_PROTOCOL_TLS,       /* ESMTPS, ESMTPSA, …, and "ESMTP/TLS/cipher" */
  MC_RECEIVED_PROTOCOL_INTERNAL,  /* LMTP*, local*, HTTPS, MAPI */
} McReceivedProtocol;

typedef enum
{
  MC_RECEIVED_STRENGTH_UNKNOWN,
  MC_RECEIVED_STRENGTH_GOOD,
  MC_RECEIVED_STRENGTH_WEAK,
} McReceivedStrength;

struct _McReceivedHop
{
  char                  *from;
  char                  *from_host;
  char                  *from_address;
  char                  *by;
  char                  *by_address;
  char                  *with;
  char                  *id;
  char                  *recipient;
  char                  *date_text;
  GDateTime             *date;
  char                  *tls_version;
  char                  *tls_cipher;
  McReceivedCertificate  certificate;
  McReceivedVerdict      verdict;
  gboolean               trusted;
  gboolean               truncated;

  /* What the verdict is made of */
  McReceivedProtocol     protocol;
  gboolean               tls;        /* any TLS marker, even without a version */
  McReceivedStrength     strength;
  gboolean               local;      /* written about a program on the same machine */
};

struct _McReceivedReport
{
  gatomicrefcount       ref_count;
  GPtrArray            *hops;        /* McReceivedHop, oldest first */
  guint                 n_omitted;
  gboolean              truncated;
  McReceivedProtection  protection;
  char                 *summary;
};

/* The summary in plain words, built once when the report is parsed. */
char *mc_received_build_summary (McReceivedReport *self);

G_END_DECLS
