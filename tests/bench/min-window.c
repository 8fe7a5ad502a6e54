/* min-window.c: the smallest libadwaita program with a window, as a yardstick
 *
 * tests/bench/run starts it exactly as it starts the app and times both from
 * the outside (wait-drawn). Same toolkit, same window size as the app's main
 * window, a header bar and one label: whatever the app takes beyond this is
 * the app's own start-up work.
 *
 * It also prints, on standard output, the CLOCK_MONOTONIC time in nanoseconds
 * of its first "after-paint" of the frame clock ("after-paint <ns>"), which
 * lets the benchmark check that the outside measurement sees the real first
 * frame. With --exit-after-first-frame it quits right then; otherwise it runs
 * until it is killed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-bench-min-window"

#include "config.h"

#include <adwaita.h>
#include <time.h>

static gboolean exit_after_first_frame;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static void
after_paint (GdkFrameClock *clock,
             gpointer       user_data)
{
  GtkWindow *window = GTK_WINDOW (user_data);

  g_print ("after-paint %" G_GINT64_FORMAT "\n", now_ns ());
  g_signal_handlers_disconnect_by_func (clock, after_paint, user_data);
  if (exit_after_first_frame)
    gtk_window_destroy (window);
}

static void
on_realize (GtkWidget *widget,
            gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint), widget, 0);
}

static void
activate (GApplication *app,
          gpointer      user_data)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *label = gtk_label_new ("Mail Check");

  gtk_window_set_title (GTK_WINDOW (window), "Minimal window");
  /* The app's main window has this default size (mc-window.c). */
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 760);
  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--exit-after-first-frame"))
        exit_after_first_frame = TRUE;
    }

  app = adw_application_new ("de.netzprisma.MailCheck.BenchMinWindow", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  /* Our own option is not one GApplication knows. */
  return g_application_run (G_APPLICATION (app), 1, argv);
}
