/* leak-canary.c: loses one block on purpose
 *
 * test-memcheck-real.c runs it under the same valgrind options as the real program
 * first: a check that cannot see this leak could not see one in the program either.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "leak-canary"

#include "config.h"

#include <stdlib.h>
#include <string.h>

/* volatile: the compiler may not drop the allocation. */
static void * volatile block;

int
main (void)
{
  block = malloc (4711);
  if (block == NULL)
    return 1;
  memset (block, 0x5a, 4711);
  block = NULL;
  return 0;
}
