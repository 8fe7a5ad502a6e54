/* mc-account-page-run.c
 *
 * What runs from an account page, one at a time: the test (Test Connection,
 * one McCheck) and the server search (Find Working Settings, mc_detect), and
 * Cancel for either. Both lock the form while they run and bring the results
 * into view when they arrive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-account-page"

#include "config.h"

#include <glib/gi18n.h>

#include "mc-account-page-private.h"
#include "mc-detect.h"

/* Scrolls so that @target's top is near the top of the page, or (for results
 * below the buttons) so that the buttons stay in view with the results below. */
static gboolean
scroll_to_results_cb (GtkWidget     *widget,
                      GdkFrameClock *frame_clock,
                      gpointer       user_data)
{
  McAccountPage *self = MC_ACCOUNT_PAGE (user_data);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkWidget *viewport = gtk_scrolled_window_get_child (self->scroller);
  GtkWidget *content = viewport ? gtk_viewport_get_child (GTK_VIEWPORT (viewport)) : NULL;
  GtkWidget *anchor = self->keep_verdict_in_view ? GTK_WIDGET (self->result_view) : self->button_box;
  graphene_rect_t bounds;
  double target;
  double value;

  /* Tick callbacks run before layout: wait one frame for the new rows to be measured. */
  if (self->scroll_frames++ < 1)
    return G_SOURCE_CONTINUE;

  self->scroll_tick = 0;
  if (content == NULL || !gtk_widget_compute_bounds (anchor, content, &bounds))
    return G_SOURCE_REMOVE;

  value = gtk_adjustment_get_value (adjustment);
  target = MIN (bounds.origin.y - 12.0,
                gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  /* The results below the buttons: never scroll up. The verdict after a fix:
   * wherever it went, it comes back into the upper half of the page, where it
   * is seen whole, without a jump otherwise. */
  if (self->keep_verdict_in_view
      ? (target < value || bounds.origin.y > value + gtk_adjustment_get_page_size (adjustment) / 2)
      : target > value)
    gtk_adjustment_set_value (adjustment, target);
  self->keep_verdict_in_view = FALSE;
  return G_SOURCE_REMOVE;
}

void
_mc_account_page_scroll_to_results (McAccountPage *self)
{
  self->scroll_frames = 0;
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->scroller),
                                                      scroll_to_results_cb, self, NULL);
}

static void
on_step_changed (McCheck       *check,
                 guint          index,
                 McStep        *step,
                 McAccountPage *self)
{
  if (check != self->check)
    return;
  mc_result_view_update_step (self->result_view, index, step);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  McCheck *check = MC_CHECK (object);
  g_autoptr(McAccountPage) self = user_data;
  g_autoptr(McResult) check_result = NULL;
  g_autoptr(GError) error = NULL;

  check_result = mc_check_run_finish (check, result, &error);

  /* A cancelled or replaced check was already dealt with when it was dropped. */
  if (check != self->check)
    return;

  g_signal_handlers_disconnect_by_data (check, self);
  g_clear_object (&self->check);
  g_clear_object (&self->cancellable);
  _mc_account_page_set_running (self, FALSE);

  if (check_result == NULL)
    {
      mc_result_view_show_error (self->result_view, error->message);
      return;
    }

  mc_result_view_show_result (self->result_view, check_result);
  /* After a test, the verdict has the focus, and a screen reader reads it. */
  mc_result_view_focus_verdict (self->result_view);
  _mc_account_page_scroll_to_results (self);
}

/* Why the click could not test, beside the field (the form's own input errors
 * already are). */
static void
show_test_error (McAccountPage *self,
                 const GError  *error)
{
  const char *field = mc_account_form_field_for_error (error);
  McAdvice *advice = g_new0 (McAdvice, 1);

  advice->code = g_strdup_printf ("invalid-%s", field ? field : "settings");
  advice->text = g_strdup (error->message);
  advice->fix_security = -1;
  advice->field = field;
  g_clear_pointer (&self->test_error, mc_advice_free);
  self->test_error = advice;
  _mc_account_page_update_hints (self);
  mc_account_page_focus_field (self, field);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  McAccountPage *self = MC_ACCOUNT_PAGE (widget);
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  if (!_mc_account_page_editable (self))
    return;

  /* An invalid field blocks the test; its message is already beside it. */
  if (mc_account_form_get_input_error (self->form, &field) != NULL)
    {
      mc_account_page_focus_field (self, field);
      return;
    }
  if (!(settings = mc_account_form_to_settings (self->form, &error)))
    {
      show_test_error (self, error);
      return;
    }
  if (self->ca_file != NULL)
    mc_settings_set_ca_file (settings, self->ca_file);
  if (self->timeout != 0)
    mc_settings_set_timeout (settings, self->timeout);

  self->check = mc_check_new (settings);
  /* Below the main loop's priority: seven pages may test at once. */
  mc_check_set_background (self->check, TRUE);
  /* A Wi-Fi sign-in page or a network without internet is said first. */
  mc_check_set_network_monitor (self->check, g_network_monitor_get_default ());
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self->check, "step-changed", G_CALLBACK (on_step_changed), self);
  self->tested_revision = mc_account_form_get_revision (self->form);

  _mc_account_page_show_result_view (self);
  mc_result_view_begin (self->result_view);
  /* The form is locked while the test runs: the focus leaves it first (a field
   * made insensitive with the focus inside misses its focus-out), and goes
   * where the keyboard can stop the test. */
  gtk_widget_grab_focus (GTK_WIDGET (self->test_button));
  _mc_account_page_set_running (self, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
  _mc_account_page_scroll_to_results (self);

  mc_check_run_async (self->check, self->cancellable, run_cb, g_object_ref (self));
}

typedef struct
{
  McAccountPage *self;
  guint          serial;
} DetectRun;

static void
detect_run_free (DetectRun *run)
{
  g_object_unref (run->self);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DetectRun, detect_run_free)

/* Shows @result in place of the test result. @host is the server name as the
 * user entered it. */
void
mc_account_page_show_detect_result (McAccountPage  *self,
                                    const char     *host,
                                    McDetectResult *result)
{
  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (result != NULL);

  mc_detect_view_show_result (_mc_account_page_show_detect_view (self), host,
                              mc_account_form_get_email (self->form), result);
}

static void
detect_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DetectRun) run = user_data;
  McAccountPage *self = run->self;
  g_autoptr(McDetectResult) detect_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;

  detect_result = mc_detect_run_finish (result, &error);

  /* A cancelled search was already dealt with when it was dropped. */
  if (!self->detecting || run->serial != self->detect_serial)
    return;

  self->detecting = FALSE;
  g_clear_object (&self->cancellable);
  _mc_account_page_set_running (self, FALSE);

  if (detect_result == NULL)
    {
      mc_detect_view_show_error (self->detect_view, error->message);
      return;
    }

  host = g_strdup (mc_detect_view_get_host (self->detect_view));
  mc_account_page_show_detect_result (self, host, detect_result);
  _mc_account_page_scroll_to_results (self);
}

static void
detect_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  McAccountPage *self = MC_ACCOUNT_PAGE (widget);
  g_autofree char *host = NULL;
  g_autofree char *ascii = NULL;
  g_autoptr(GError) error = NULL;
  DetectRun *run;

  if (!_mc_account_page_editable (self))
    return;

  host = g_strstrip (g_strdup (mc_account_form_get_host (self->form)));
  if (!(ascii = mc_host_normalize (host, NULL, &error)))
    {
      show_test_error (self, error);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->detecting = TRUE;
  run = g_new0 (DetectRun, 1);
  run->self = g_object_ref (self);
  run->serial = ++self->detect_serial;

  mc_detect_view_begin (_mc_account_page_show_detect_view (self), host);
  gtk_widget_grab_focus (GTK_WIDGET (self->detect_button));
  _mc_account_page_set_running (self, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
  _mc_account_page_scroll_to_results (self);

  /* No credentials: the search stops before login on every port. */
  mc_detect_run_async (host, MC_DETECT_ALL_PROTOCOLS, self->ca_file,
                       self->timeout != 0 ? self->timeout : MC_DEFAULT_TIMEOUT_SECONDS,
                       TRUE, self->cancellable, detect_cb, run);
}

/* Cancelling a test keeps what it did so far, marked as cancelled; cancelling
 * a search goes back to where the page was. The worker thread winds down on
 * its own; its late result is ignored. */
void
mc_account_page_cancel (McAccountPage *self)
{
  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));

  if (!self->running)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->detecting)
    {
      self->detecting = FALSE;
      self->detect_serial++;
      _mc_account_page_show_result_view (self);
      _mc_account_page_set_running (self, FALSE);
      gtk_widget_grab_focus (GTK_WIDGET (self->detect_button));
      return;
    }

  g_signal_handlers_disconnect_by_data (self->check, self);
  g_clear_object (&self->check);
  mc_result_view_show_cancelled (self->result_view);
  _mc_account_page_set_running (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->test_button));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  mc_account_page_cancel (MC_ACCOUNT_PAGE (widget));
}

void
_mc_account_page_class_run_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "page.detect", NULL, detect_action);
  gtk_widget_class_install_action (widget_class, "page.cancel", NULL, cancel_action);
}
