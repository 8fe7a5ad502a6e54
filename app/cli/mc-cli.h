/* mc-cli.h: the command line, handled before GTK starts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean mc_cli_wanted (int    argc,
                        char **argv);
int      mc_cli_run    (int    argc,
                        char **argv);

G_END_DECLS
