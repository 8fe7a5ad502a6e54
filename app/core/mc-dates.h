/* mc-dates.h: dates for people, in the language of the app's sentences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *mc_dates_format_day       (GDateTime *date);
char *mc_dates_format_day_time  (GDateTime *date);

G_END_DECLS
