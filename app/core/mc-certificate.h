/* mc-certificate.h: certificate facts and problems
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-result.h"

G_BEGIN_DECLS

/* Stable problem names (JSON "problems", report, tests). */
#define MC_CERTIFICATE_PROBLEM_UNKNOWN_ISSUER "unknown-issuer"
#define MC_CERTIFICATE_PROBLEM_WRONG_NAME     "wrong-name"
#define MC_CERTIFICATE_PROBLEM_NOT_YET_VALID  "not-yet-valid"
#define MC_CERTIFICATE_PROBLEM_EXPIRED        "expired"
#define MC_CERTIFICATE_PROBLEM_REVOKED        "revoked"
#define MC_CERTIFICATE_PROBLEM_INSECURE       "insecure"
#define MC_CERTIFICATE_PROBLEM_GENERIC        "invalid"
#define MC_CERTIFICATE_PROBLEM_NO_SAN         "no-subject-alt-name"
#define MC_CERTIFICATE_PROBLEM_WEAK_KEY       "weak-key"
#define MC_CERTIFICATE_PROBLEM_NOT_FOR_SERVER "not-for-servers"

/* Names kept from a certificate's subjectAltName; more are only counted. */
#define MC_CERTIFICATE_MAX_NAMES 50

McCertificateInfo *mc_certificate_info_new          (GTlsCertificate      *certificate,
                                                     GTlsCertificateFlags  errors);
gboolean           mc_certificate_info_has_problem  (McCertificateInfo    *info,
                                                     const char           *problem);
char              *mc_certificate_describe_problems (GTlsCertificateFlags  errors);
const char        *mc_certificate_problem_describe  (const char           *problem);
char              *mc_certificate_format_names      (McCertificateInfo    *info);

G_END_DECLS
