/* mc-dates.c
 *
 * g_date_time_format() names months in the C library's LC_TIME locale, which
 * need not be the language gettext found for the sentences around the date
 * (a German text with "7. December" in it). Here the format and the month
 * names both come from the message catalogue, so they always agree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-dates"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mc-dates.h"

static const char *
month_name (int month)
{
  switch (month)
    {
    case 1: return C_("month name", "January");
    case 2: return C_("month name", "February");
    case 3: return C_("month name", "March");
    case 4: return C_("month name", "April");
    case 5: return C_("month name", "May");
    case 6: return C_("month name", "June");
    case 7: return C_("month name", "July");
    case 8: return C_("month name", "August");
    case 9: return C_("month name", "September");
    case 10: return C_("month name", "October");
    case 11: return C_("month name", "November");
    case 12: return C_("month name", "December");
    default: return "?";
    }
}

/* @format as for g_date_time_format(), where %B is the catalogue's month name. */
static char *
format_local (GDateTime  *date,
              const char *format)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GString) expanded = g_string_new (NULL);

  g_return_val_if_fail (date != NULL, NULL);

  local = g_date_time_to_local (date);
  for (const char *p = format; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == 'B')
        {
          /* The name goes in as text: a % in it must not become a conversion. */
          for (const char *c = month_name (g_date_time_get_month (local)); *c != '\0'; c++)
            {
              if (*c == '%')
                g_string_append_c (expanded, '%');
              g_string_append_c (expanded, *c);
            }
          p++;
        }
      else if (p[0] == '%' && p[1] == '%')
        {
          g_string_append (expanded, "%%");
          p++;
        }
      else
        g_string_append_c (expanded, *p);
    }
  return g_date_time_format (local, expanded->str);
}

/* A day, e.g. "December 7, 2026" or „7. Dezember 2026“, in local time. */
char *
mc_dates_format_day (GDateTime *date)
{
  /* Translators: a date for people to read, see g_date_time_format(); %B is
   * the month's name as translated here (context "month name"), e.g. "%-d. %B %Y" */
  return format_local (date, _("%B %-d, %Y"));
}

/* A day and the time, e.g. "December 7, 2026, 14:05", in local time. */
char *
mc_dates_format_day_time (GDateTime *date)
{
  /* Translators: date and time for people to read, see g_date_time_format();
   * %B is the month's name as translated here (context "month name"), e.g. "%-d. %B %Y, %H:%M" */
  return format_local (date, _("%B %-d, %Y, %H:%M"));
}
