/* loop-stall.c: how long the GTK main loop stalls while seven checks run
 *
 *   mc-bench-loop-stall --host H --ca-file PEM --user U [--rounds N]
 *                       PROTOCOL:PORT:SECURITY ...  < password
 *
 * Opens a window and keeps its frame clock ticking, then measures twice: one
 * second with nothing running (the floor of this machine), and N rounds of all
 * given checks started together as background checks (as the window runs
 * them), each step event written into a label as the window would. A 1 ms timeout on the main context
 * records the longest gap between its runs. The main thread's own CPU time in
 * that gap tells a loop that was busy (work on the main thread) from one that
 * was not running; its voluntary context switches in the gap tell sleeping in
 * poll (one) from waiting for a lock as well (more), and involuntary ones show
 * that the kernel gave the CPU to someone else. Prints one JSON object on standard output;
 * exit 1 when a check did not pass, 2 on bad usage.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-bench-loop-stall"
/* RUSAGE_THREAD */
#define _GNU_SOURCE

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <gtk/gtk.h>

#include "mc-check.h"
#include "mc-settings.h"

typedef struct
{
  gint64  last_wall;
  gint64  last_cpu;
  gint64  max_gap;
  gint64  cpu_in_max_gap;
  long    last_voluntary;
  long    last_involuntary;
  long    voluntary_in_max_gap;
  long    involuntary_in_max_gap;
  gint64  max_cpu;
  guint   over_16ms;
  guint   samples;
  gint64  last_frame;
  gint64  max_frame_interval;
  guint   frames;
} Meter;

typedef struct
{
  GtkWidget  *label;
  GMainLoop  *loop;
  GPtrArray  *settings;
  Meter      *meter;
  guint       pending;
  guint       failed;
  guint       rounds_left;
  guint       checks;
  gboolean    drawn;
} Bench;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
meter_reset (Meter *meter)
{
  memset (meter, 0, sizeof *meter);
}

static gboolean
on_timeout (gpointer user_data)
{
  Meter *meter = user_data;
  gint64 wall = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);

  if (meter->last_wall != 0)
    {
      gint64 gap = wall - meter->last_wall;
      gint64 busy = cpu - meter->last_cpu;

      meter->samples++;
      if (gap > meter->max_gap)
        {
          meter->max_gap = gap;
          meter->cpu_in_max_gap = busy;
          meter->voluntary_in_max_gap = usage.ru_nvcsw - meter->last_voluntary;
          meter->involuntary_in_max_gap = usage.ru_nivcsw - meter->last_involuntary;
        }
      meter->max_cpu = MAX (meter->max_cpu, busy);
      if (gap > 16000)
        meter->over_16ms++;
    }
  meter->last_wall = wall;
  meter->last_cpu = cpu;
  meter->last_voluntary = usage.ru_nvcsw;
  meter->last_involuntary = usage.ru_nivcsw;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Bench *bench = user_data;
  Meter *meter = bench->meter;
  gint64 now = g_get_monotonic_time ();

  bench->drawn = TRUE;
  if (meter->last_frame != 0)
    meter->max_frame_interval = MAX (meter->max_frame_interval, now - meter->last_frame);
  meter->last_frame = now;
  meter->frames++;
  return G_SOURCE_CONTINUE;
}

static void
on_step_changed (McCheck      *check,
                 guint         index,
                 const McStep *step,
                 gpointer      user_data)
{
  Bench *bench = user_data;

  /* Roughly what the window does per event: new text, a relayout, a redraw. */
  if (step->summary != NULL)
    gtk_label_set_text (GTK_LABEL (bench->label), step->summary);
}

static void start_round (Bench *bench);

static void
check_done (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(McResult) result = mc_check_run_finish (MC_CHECK (object), res, &error);

  if (result == NULL || result->verdict == MC_VERDICT_FAILED)
    {
      McSettings *settings = mc_check_get_settings (MC_CHECK (object));

      g_printerr ("loop-stall: %s port %u did not pass%s%s\n",
                  mc_protocol_to_string (mc_settings_get_protocol (settings)),
                  mc_settings_get_effective_port (settings),
                  error ? ": " : "", error ? error->message : "");
      bench->failed++;
    }
  bench->checks++;

  if (--bench->pending > 0)
    return;
  if (bench->rounds_left > 0)
    start_round (bench);
  else
    g_main_loop_quit (bench->loop);
}

static void
start_round (Bench *bench)
{
  bench->rounds_left--;
  for (guint i = 0; i < bench->settings->len; i++)
    {
      g_autoptr(McCheck) check = mc_check_new (g_ptr_array_index (bench->settings, i));

      /* As the window's pages run them. */
      mc_check_set_background (check, TRUE);
      g_signal_connect (check, "step-changed", G_CALLBACK (on_step_changed), bench);
      bench->pending++;
      mc_check_run_async (check, NULL, check_done, bench);
    }
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static char *
meter_to_json (const Meter *meter)
{
  return g_strdup_printf ("{\"max_gap_ms\": %.2f, \"cpu_in_max_gap_ms\": %.2f, "
                          "\"voluntary_switches_in_max_gap\": %ld, \"involuntary_switches_in_max_gap\": %ld, "
                          "\"max_busy_ms\": %.2f, \"gaps_over_16ms\": %u, \"samples\": %u, "
                          "\"max_frame_interval_ms\": %.2f, \"frames\": %u}",
                          meter->max_gap / 1000.0, meter->cpu_in_max_gap / 1000.0,
                          meter->voluntary_in_max_gap, meter->involuntary_in_max_gap, meter->max_cpu / 1000.0,
                          meter->over_16ms, meter->samples, meter->max_frame_interval / 1000.0,
                          meter->frames);
}

static char *
read_password (void)
{
  char buffer[MC_MAX_CREDENTIAL_LENGTH + 2];

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  buffer[strcspn (buffer, "\r\n")] = '\0';
  return g_strdup (buffer);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *host = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *idle_json = NULL;
  g_autofree char *busy_json = NULL;
  int rounds = 5;
  GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "Server", "HOST" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, "CA certificates", "PEM" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "User name", "NAME" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds of all checks at once", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("PROTOCOL:PORT:SECURITY...");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GPtrArray) settings = g_ptr_array_new_with_free_func (g_object_unref);
  Meter meter = { 0 };
  Bench bench = { 0 };
  GtkWidget *window;
  guint timeout_id;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || host == NULL || user == NULL ||
      argc < 2 || rounds < 1)
    {
      g_printerr ("loop-stall: %s\n", error ? error->message : "need --host, --user and at least one check");
      return 2;
    }

  password = read_password ();
  if (password == NULL || password[0] == '\0')
    {
      g_printerr ("loop-stall: the password must come on standard input\n");
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      g_auto(GStrv) parts = g_strsplit (argv[i], ":", 3);
      McProtocol protocol;
      McSecurity security;
      McSettings *one;

      if (g_strv_length (parts) != 3 || !mc_protocol_from_string (parts[0], &protocol) ||
          !mc_security_from_string (parts[2], &security))
        {
          g_printerr ("loop-stall: a check is PROTOCOL:PORT:SECURITY, not %s\n", argv[i]);
          return 2;
        }
      one = mc_settings_new (protocol);
      mc_settings_set_host (one, host);
      mc_settings_set_port (one, (guint16) g_ascii_strtoull (parts[1], NULL, 10));
      mc_settings_set_security (one, security);
      mc_settings_set_user (one, user);
      mc_settings_set_password (one, password);
      mc_settings_set_ca_file (one, ca_file);
      if (!mc_settings_validate (one, &error))
        {
          g_printerr ("loop-stall: %s: %s\n", argv[i], error->message);
          g_object_unref (one);
          return 2;
        }
      g_ptr_array_add (settings, one);
    }
  explicit_bzero (password, strlen (password));

  gtk_init ();
  loop = g_main_loop_new (NULL, FALSE);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 760);
  bench.label = gtk_label_new ("waiting");
  bench.loop = loop;
  bench.settings = settings;
  bench.meter = &meter;
  gtk_window_set_child (GTK_WINDOW (window), bench.label);
  /* A tick callback keeps the frame clock running at the display's rate. */
  gtk_widget_add_tick_callback (bench.label, on_tick, &bench, NULL);
  gtk_window_present (GTK_WINDOW (window));

  while (!bench.drawn)
    g_main_context_iteration (NULL, TRUE);

  /* The floor: the same loop with nothing to do for one second. */
  timeout_id = g_timeout_add (1, on_timeout, &meter);
  g_timeout_add (1000, quit_loop, loop);
  g_main_loop_run (loop);
  idle_json = meter_to_json (&meter);

  meter_reset (&meter);
  bench.rounds_left = rounds;
  start_round (&bench);
  g_main_loop_run (loop);
  busy_json = meter_to_json (&meter);
  g_source_remove (timeout_id);

  g_print ("{\"idle\": %s, \"checks\": %s, \"n_checks\": %u, \"failed\": %u}\n",
           idle_json, busy_json, bench.checks, bench.failed);

  gtk_window_destroy (GTK_WINDOW (window));
  return bench.failed > 0 ? 1 : 0;
}
