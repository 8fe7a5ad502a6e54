/* mc-check.c
 *
 * The dialogue itself runs in a thread of its own with blocking, cancellable GIO
 * calls, which keeps each protocol readable from top to bottom. The caller's
 * main context gets the step events and the result; a deadline source there
 * bounds every phase, and cancelling wakes every blocking call at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-check"

#include "config.h"

#include <errno.h>
#include <sys/resource.h>

#include "mc-check.h"
#include "mc-session-private.h"

struct _McCheck
{
  GObject     parent_instance;

  McSettings      *settings;
  GNetworkMonitor *network_monitor;   /* NULL: none is asked */
  gboolean         background;
  gboolean         no_probes;
};

G_DEFINE_FINAL_TYPE (McCheck, mc_check, G_TYPE_OBJECT)

G_DEFINE_QUARK (mc-check-error-quark, mc_check_error)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_NETWORK_MONITOR,
  N_PROPS
};

enum {
  STEP_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
mc_check_finalize (GObject *object)
{
  McCheck *self = (McCheck *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->network_monitor);

  G_OBJECT_CLASS (mc_check_parent_class)->finalize (object);
}

static void
mc_check_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  McCheck *self = MC_CHECK (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, mc_check_get_network_monitor (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mc_check_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  McCheck *self = MC_CHECK (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      /* A private copy: the form may change while the check runs. */
      self->settings = mc_settings_copy (g_value_get_object (value));
      break;

    case PROP_NETWORK_MONITOR:
      mc_check_set_network_monitor (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mc_check_class_init (McCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mc_check_finalize;
  object_class->get_property = mc_check_get_property;
  object_class->set_property = mc_check_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         MC_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * McCheck:network-monitor:
   *
   * Where the check reads whether the computer is behind a Wi-Fi sign-in
   * page or has limited connectivity: the program's g_network_monitor_get_default(),
   * or a fake in tests. %NULL (the default): none is asked.
   */
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL,
                         G_TYPE_NETWORK_MONITOR,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * McCheck::step-changed:
   * @index: the position of the step in the result's list
   * @step: the McStep, valid during the emission
   *
   * Emitted on the caller's main context when a step starts or ends.
   */
  signals[STEP_CHANGED] =
    g_signal_new ("step-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, MC_TYPE_STEP | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
mc_check_init (McCheck *self)
{
}

McCheck *
mc_check_new (McSettings *settings)
{
  g_return_val_if_fail (MC_IS_SETTINGS (settings), NULL);

  return g_object_new (MC_TYPE_CHECK, "settings", settings, NULL);
}

McSettings *
mc_check_get_settings (McCheck *self)
{
  g_return_val_if_fail (MC_IS_CHECK (self), NULL);
  return self->settings;
}

static void
emit_step (const McStep *step,
           guint         index,
           gpointer      user_data)
{
  g_signal_emit (MC_CHECK (user_data), signals[STEP_CHANGED], 0, index, step);
}

/**
 * mc_check_set_background:
 * @background: whether the check yields the processor to the caller
 *
 * A background check runs its thread at a lower priority than the rest of
 * the process, so that several checks at once (seven pages, a search) never
 * starve a window's main loop. Off by default: a command-line caller only
 * waits for the result, and a lower priority would only make it wait longer
 * on a busy machine. Set it before mc_check_run_async().
 */
void
mc_check_set_background (McCheck  *self,
                         gboolean  background)
{
  g_return_if_fail (MC_IS_CHECK (self));

  self->background = !!background;
}

/**
 * mc_check_set_probes_after_failure:
 * @probes: whether a failure is explained by probing other ports and modes
 *
 * On by default: before advice names another port, a credential-free probe
 * has found it working. A search that tries every port at once (mc_detect)
 * turns it off. Set it before mc_check_run_async().
 */
void
mc_check_set_probes_after_failure (McCheck  *self,
                                   gboolean  probes)
{
  g_return_if_fail (MC_IS_CHECK (self));

  self->no_probes = !probes;
}

/**
 * mc_check_get_network_monitor:
 *
 * Returns: (transfer none) (nullable): the monitor set with
 *   mc_check_set_network_monitor()
 */
GNetworkMonitor *
mc_check_get_network_monitor (McCheck *self)
{
  g_return_val_if_fail (MC_IS_CHECK (self), NULL);

  return self->network_monitor;
}

/**
 * mc_check_set_network_monitor:
 * @monitor: (nullable): the monitor to ask: the window and the command line
 *   pass g_network_monitor_get_default(), tests a fake; %NULL: none
 *
 * Before connecting, the check asks it for the connectivity: behind a Wi-Fi
 * sign-in page ("portal") no connection is attempted and the result says to
 * sign in first; with limited or local-only connectivity the advice after a
 * timeout or a failed lookup says so. Without a monitor the check assumes full
 * connectivity: an engine that read the machine's network on its own would
 * give different advice on a build machine without a default route, and
 * GIO's default monitor is a process-wide object the program, not the
 * engine, should decide to use. Set it before mc_check_run_async().
 */
void
mc_check_set_network_monitor (McCheck         *self,
                              GNetworkMonitor *monitor)
{
  g_return_if_fail (MC_IS_CHECK (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));

  if (g_set_object (&self->network_monitor, monitor))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_MONITOR]);
}

/* How many nice levels a background check's thread runs below its process.
 * The kernel shares a busy processor by weight: 1024 at the main loop's level,
 * 335 five levels lower, 110 ten levels lower. At +5 seven checks running at
 * once together outweighed the main loop more than two to one and the window
 * missed frames (tests/bench: gaps up to 32 ms); at +10 they weigh less than it
 * together. The thread mostly waits for the server, so on an idle machine it
 * does not finish noticeably later. (glib-networking runs the TLS handshake
 * itself in GLib's shared thread pool, at the process's priority.) */
#define BACKGROUND_NICE_INCREMENT 10

/* Each check runs in a thread of its own, which ends with it: a shared pool
 * thread could not be given back its priority afterwards. */
static gpointer
check_thread (gpointer data)
{
  g_autoptr(GTask) task = data;
  McCheck *self = g_task_get_source_object (task);
  McSession *session = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* On Linux, PRIO_PROCESS with 0 means the calling thread only. */
  if (self->background &&
      setpriority (PRIO_PROCESS, 0, getpriority (PRIO_PROCESS, 0) + BACKGROUND_NICE_INCREMENT) != 0)
    g_debug ("could not lower the check thread's priority: %s", g_strerror (errno));

  mc_session_run (session);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The check was cancelled");
  else
    g_task_return_pointer (task, mc_result_ref (session->result), (GDestroyNotify)mc_result_unref);

  return NULL;
}

void
mc_check_run_async (McCheck             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  McSession *session;

  g_return_if_fail (MC_IS_CHECK (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mc_check_run_async);

  if (!mc_settings_validate (self->settings, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Read the CA file here, once: the session and its probes share what was read. */
  mc_settings_get_tls_database (self->settings, NULL);

  session = mc_session_new (self->settings, g_task_get_context (task), cancellable);
  session->no_probes = self->no_probes;
  /* Read here, in the caller's thread: a monitor is not made for other threads. */
  if (self->network_monitor != NULL)
    session->connectivity = g_network_monitor_get_connectivity (self->network_monitor);
  session->step_func = emit_step;
  session->step_data = g_object_ref (self);
  session->step_data_destroy = g_object_unref;

  g_task_set_task_data (task, session, (GDestroyNotify)mc_session_free);
  g_thread_unref (g_thread_new ("mc-check", check_thread, g_steal_pointer (&task)));
}

/**
 * mc_check_run_finish:
 *
 * Returns: (transfer full): the result, also when the check found a problem;
 *   %NULL with @error set only for invalid settings or cancellation.
 */
McResult *
mc_check_run_finish (McCheck       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (MC_IS_CHECK (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
