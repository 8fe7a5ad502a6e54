/* fuzz-replay.c: runs a fuzz target over files, without libFuzzer
 *
 * Every test build replays the seed corpus and the crashes found so far, so a
 * fixed bug stays fixed even where clang's libFuzzer is not used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static guint
replay_path (const char *path)
{
  guint count = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          count += replay_path (child);
        }
    }
  else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *data = NULL;
      gsize len;

      if (g_file_get_contents (path, &data, &len, NULL))
        {
          LLVMFuzzerTestOneInput ((const guint8 *)data, len);
          count++;
        }
    }
  return count;
}

int
main (int   argc,
      char *argv[])
{
  guint count = 0;

  for (int i = 1; i < argc; i++)
    count += replay_path (argv[i]);

  g_print ("replayed %u inputs\n", count);
  return count > 0 ? 0 : 1;
}
