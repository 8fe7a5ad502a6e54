/* mc-json.h: the members of the engine's JSON reports (engine only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void  mc_json_add_string           (JsonBuilder *builder,
                                    const char  *name,
                                    const char  *value);
void  mc_json_add_optional_string  (JsonBuilder *builder,
                                    const char  *name,
                                    const char  *value);
void  mc_json_add_int              (JsonBuilder *builder,
                                    const char  *name,
                                    gint64       value);
void  mc_json_add_boolean          (JsonBuilder *builder,
                                    const char  *name,
                                    gboolean     value);
char *mc_json_to_string            (JsonNode    *root);

G_END_DECLS
