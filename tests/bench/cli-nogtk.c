/* cli-nogtk.c: the command line of the app, linked without GTK
 *
 * Only for the benchmark: the same mc_cli_run() as netzprisma-mailcheck, in a
 * program that links the engine and GLib alone. The difference between the two
 * is what loading GTK and libadwaita costs every --check and --detect run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-bench-cli-nogtk"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "mc-cli.h"

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return mc_cli_run (argc, argv);
}
