/* wait-drawn.c: reports when the first top-level window is mapped and first drawn
 *
 * Used by tests/bench/run to time a program's start-up from the outside, so the
 * app is measured without any hook inside it. Watches the root window of
 * $DISPLAY for new top-level windows, puts a DAMAGE tracker on each as soon as
 * it exists, and prints two CLOCK_MONOTONIC times in nanoseconds once a mapped
 * window receives its first drawing by the program:
 *
 *   ready                       (once it listens: start the program now)
 *   mapped <ns> drawn <ns>      (then it exits 0)
 *
 * Mapping a window that has a background makes the X server paint it at once,
 * which DAMAGE reports like any drawing. Those reports are generated while the
 * server handles the map request, so a round trip right after MapNotify queues
 * them all; they are skipped, and the next drawing is the program's frame.
 *
 * Exit status 1 when --timeout seconds pass first, 2 when the X server lacks
 * what it needs. Without a window manager (Xvfb) nothing reparents windows, so
 * the root's direct children are the top-level windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>

#define MAX_TRACKED 64

typedef struct
{
  Window win;
  Damage damage;
  int    mapped;
} Tracked;

static long long
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
ignore_errors (Display     *display,
               XErrorEvent *event)
{
  /* A window can vanish between its CreateNotify and our requests for it. */
  return 0;
}

static Tracked *
find (Tracked *tracked,
      int      n,
      Window   win)
{
  for (int i = 0; i < n; i++)
    {
      if (tracked[i].win == win)
        return &tracked[i];
    }
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  Tracked tracked[MAX_TRACKED];
  int n_tracked = 0;
  int skip = 0;
  int damage_event, damage_error;
  double timeout = 30.0;
  long long deadline, mapped_at = 0;
  Display *display;
  Window root;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--timeout") == 0 && i + 1 < argc)
        timeout = atof (argv[++i]);
      else
        {
          fprintf (stderr, "usage: %s [--timeout SECONDS]\n", argv[0]);
          return 2;
        }
    }

  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      fprintf (stderr, "wait-drawn: cannot open display\n");
      return 2;
    }
  if (!XDamageQueryExtension (display, &damage_event, &damage_error))
    {
      fprintf (stderr, "wait-drawn: the X server has no DAMAGE extension\n");
      return 2;
    }
  XSetErrorHandler (ignore_errors);

  root = DefaultRootWindow (display);
  XSelectInput (display, root, SubstructureNotifyMask);
  XSync (display, False);

  printf ("ready\n");
  fflush (stdout);

  deadline = now_ns () + (long long) (timeout * 1e9);
  for (;;)
    {
      XEvent event;
      int queued_at_map;

      while (XPending (display) == 0)
        {
          struct pollfd pfd = { ConnectionNumber (display), POLLIN, 0 };
          long long left = deadline - now_ns ();

          if (left <= 0)
            {
              fprintf (stderr, "wait-drawn: no window was drawn within %.1f s\n", timeout);
              return 1;
            }
          poll (&pfd, 1, (int) (left / 1000000) + 1);
        }

      XNextEvent (display, &event);
      queued_at_map = skip > 0;
      if (skip > 0)
        skip--;

      if (event.type == CreateNotify && event.xcreatewindow.parent == root &&
          !event.xcreatewindow.override_redirect && n_tracked < MAX_TRACKED)
        {
          Tracked *t = &tracked[n_tracked++];

          /* Tracking starts before the window can be mapped, so no drawing is missed. */
          t->win = event.xcreatewindow.window;
          t->mapped = 0;
          t->damage = XDamageCreate (display, t->win, XDamageReportRawRectangles);
          XSelectInput (display, t->win, StructureNotifyMask);
        }
      else if (event.type == MapNotify)
        {
          Tracked *t = find (tracked, n_tracked, event.xmap.window);

          if (t != NULL && !t->mapped)
            {
              t->mapped = 1;
              if (mapped_at == 0)
                mapped_at = now_ns ();
              XSync (display, False);
              skip = XEventsQueued (display, QueuedAlready);
            }
        }
      else if (event.type == damage_event + XDamageNotify)
        {
          XDamageNotifyEvent *damage = (XDamageNotifyEvent *) &event;
          Tracked *t = find (tracked, n_tracked, damage->drawable);

          /* Not before it was shown, not the server's background, not a 1x1 helper. */
          if (t != NULL && t->mapped && !queued_at_map && damage->area.width > 1 && damage->area.height > 1)
            {
              printf ("mapped %lld drawn %lld\n", mapped_at, now_ns ());
              fflush (stdout);
              return 0;
            }
        }
    }
}
