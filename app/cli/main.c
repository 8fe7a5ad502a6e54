/* main.c: netzprisma-mailcheck, the command line and the launcher of the window
 *
 * Support scripts run checks from this program without a display, so it links
 * the engine (GIO) only: loading GTK and libadwaita would cost more than a whole
 * check against a nearby server. Started without any argument it hands over to
 * the window program; any argument makes it the command line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "netzprisma-mailcheck"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "mc-cli.h"

#define WINDOW_PROGRAM "netzprisma-mailcheck-window"

/* Beside this program in a build tree, else where meson installed it. */
static char *
find_window_program (void)
{
  const char *override = g_getenv ("MC_WINDOW_PROGRAM");
  g_autofree char *self = NULL;

  if (override != NULL && override[0] != '\0')
    return g_strdup (override);

  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *sibling = g_build_filename (dir, WINDOW_PROGRAM, NULL);

      if (g_file_test (sibling, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&sibling);
    }

  return g_build_filename (LIBEXECDIR, WINDOW_PROGRAM, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *window = NULL;

  setlocale (LC_ALL, "");
  /* MC_LOCALEDIR: the catalogues of a build tree (set by `meson devenv`). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("MC_LOCALEDIR") ? g_getenv ("MC_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (mc_cli_wanted (argc, argv))
    return mc_cli_run (argc, argv);

  window = find_window_program ();
  argv[0] = window;
  execv (window, argv);

  /* Translators: %s is a file name, the second %s the system's error message */
  g_printerr (_("Could not start the window program %s: %s\n"), window, g_strerror (errno));
  return 1;
}
