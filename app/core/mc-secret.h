/* mc-secret.h: strings that hold a password, wiped before they are freed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A string that held a secret: wiped before it is freed. */
typedef char *McSecret;

void      mc_secret_free              (char        *secret);
char     *mc_secret_dup_len           (const char  *data,
                                       gsize        len);
char     *mc_secret_read_line         (int          fd,
                                       gsize        max_len,
                                       gsize       *length,
                                       GError     **error);
void      mc_secret_hold_process      (void);

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (McSecret, mc_secret_free, NULL)

G_END_DECLS
