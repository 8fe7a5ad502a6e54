/* mc-report-export.c
 *
 * The engine's report plus what support needs to know about the app itself.
 * Nothing here adds user input: the result never holds the password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-report-export"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mc-dates.h"
#include "mc-report.h"
#include "mc-report-export.h"

/* @client: (nullable): the customer's mail program; the report names it and
 * gives each fix in its words */
char *
mc_report_export_text (McResult       *result,
                       const McClient *client)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = NULL;
  g_autofree char *body = NULL;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  /* For people to read, in the report's language; the JSON report keeps ISO 8601. */
  date = mc_dates_format_day_time (now);
  body = mc_report_to_text_for_client (result, client, TRUE);
  /* Translators: the first line of a report; the first %s is the version number,
   * the second the date and time the report was made */
  heading = g_strdup_printf (_("Netzprisma Mail Check %s — report of %s"), PACKAGE_VERSION, date);
  return g_strconcat (heading, "\n\n", body, NULL);
}

char *
mc_report_export_json (McResult       *result,
                       const McClient *client)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  JsonObject *object;
  JsonObject *app;

  g_return_val_if_fail (result != NULL, NULL);

  root = mc_report_build_json_for_client (result, client);
  object = json_node_get_object (root);
  app = json_object_new ();
  json_object_set_string_member (app, "id", APP_ID);
  json_object_set_string_member (app, "version", PACKAGE_VERSION);
  json_object_set_string_member (app, "created", created);
  json_object_set_object_member (object, "app", app);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* A report names the user and the server: it is written readable by its owner
 * only (0600), also when it replaces an existing file. */
void
mc_report_export_save_async (McResult            *result,
                             const McClient      *client,
                             GFile               *file,
                             gboolean             json,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  char *contents;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (result != NULL);
  g_return_if_fail (G_IS_FILE (file));

  contents = json ? mc_report_export_json (result, client) : mc_report_export_text (result, client);
  bytes = g_bytes_new_take (contents, strlen (contents));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, callback, user_data);
}

gboolean
mc_report_export_save_finish (GFile         *file,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_file_replace_contents_finish (file, result, NULL, error);
}
