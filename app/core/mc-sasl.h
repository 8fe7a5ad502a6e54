/* mc-sasl.h: SASL PLAIN and LOGIN encoding, challenge validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *mc_sasl_plain_response      (const char *user,
                                       const char *password);
char     *mc_sasl_base64              (const char *text);
gboolean  mc_sasl_is_valid_base64     (const char *text);

/* A string that held a secret: wiped before it is freed. */
typedef char *McSecret;

void      mc_secret_free              (char       *secret);

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (McSecret, mc_secret_free, NULL)

G_END_DECLS
