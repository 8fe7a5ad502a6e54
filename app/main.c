/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "netzprisma-mailcheck"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "mc-application.h"
#include "mc-cli.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(McApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Support scripts run without a display: the command line never touches GTK. */
  if (mc_cli_wanted (argc, argv))
    return mc_cli_run (argc, argv);

  app = mc_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
