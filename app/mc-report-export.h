/* mc-report-export.h: the report as the user copies or saves it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mc-result.h"

G_BEGIN_DECLS

char *mc_report_export_text (McResult *result);
char *mc_report_export_json (McResult *result);

G_END_DECLS
