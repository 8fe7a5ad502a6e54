/* mc-report.h: a result as text or JSON, always redacted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mc-clients.h"
#include "mc-result.h"

G_BEGIN_DECLS

char       *mc_report_to_text        (McResult       *result,
                                      gboolean        with_transcript);
char       *mc_report_to_json        (McResult       *result);
JsonNode   *mc_report_build_json     (McResult       *result);
char       *mc_report_to_text_for_client  (McResult       *result,
                                           const McClient *client,
                                           gboolean        with_transcript);
JsonNode   *mc_report_build_json_for_client (McResult       *result,
                                             const McClient *client);
const char *mc_result_get_headline   (McResult   *result);
const char *mc_outcome_to_string     (McOutcome   outcome);
char       *mc_format_date           (GDateTime  *date);

G_END_DECLS
