/* mc-window-main.c: netzprisma-mailcheck-window, the GTK application
 *
 * Started by netzprisma-mailcheck when it is called without any argument.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "netzprisma-mailcheck"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "mc-application.h"
#include "mc-secret.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(McApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* MC_LOCALEDIR: the catalogues of a build tree (set by `meson devenv`). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("MC_LOCALEDIR") ? g_getenv ("MC_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The window holds the password from the first keystroke in its field. */
  mc_secret_hold_process ();

  app = mc_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
