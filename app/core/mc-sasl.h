/* mc-sasl.h: SASL PLAIN and LOGIN encoding, challenge validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mc-secret.h"

G_BEGIN_DECLS

char     *mc_sasl_plain_response      (const char *user,
                                       const char *password);
char     *mc_sasl_base64              (const char *text);
gboolean  mc_sasl_is_valid_base64     (const char *text);

G_END_DECLS
