/* mc-step-row.c
 *
 * Everything shown here comes from the engine: the summary is translated there,
 * the server's text is sanitised there. Both are set as plain text, never markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-step-row"

#include "config.h"

#include <glib/gi18n.h>

#include "mc-step-row.h"
#include "mc-widgets.h"

struct _McStepRow
{
  AdwPreferencesRow  parent_instance;

  McStepId           step_id;
  McStepStatus       status;

  /* Template widgets */
  GtkSpinner        *spinner;
  GtkImage          *status_image;
  GtkLabel          *title_label;
  GtkLabel          *duration_label;
  GtkLabel          *summary_label;
  GtkLabel          *server_caption_label;
  GtkLabel          *server_label;
};

G_DEFINE_FINAL_TYPE (McStepRow, mc_step_row, ADW_TYPE_PREFERENCES_ROW)

static void
mc_step_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MC_TYPE_STEP_ROW);

  G_OBJECT_CLASS (mc_step_row_parent_class)->dispose (object);
}

static void
mc_step_row_class_init (McStepRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mc_step_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/netzprisma/MailCheck/ui/mc-step-row.ui");
  gtk_widget_class_bind_template_child (widget_class, McStepRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, McStepRow, status_image);
  gtk_widget_class_bind_template_child (widget_class, McStepRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, McStepRow, duration_label);
  gtk_widget_class_bind_template_child (widget_class, McStepRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, McStepRow, server_caption_label);
  gtk_widget_class_bind_template_child (widget_class, McStepRow, server_label);
}

static void
mc_step_row_init (McStepRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->status = MC_STEP_STATUS_RUNNING;
  mc_label_set_no_hyphens (self->server_label);
}

GtkWidget *
mc_step_row_new (void)
{
  return g_object_new (MC_TYPE_STEP_ROW, NULL);
}

static const char *
status_icon_name (McStepStatus status)
{
  switch (status)
    {
    case MC_STEP_STATUS_OK:
      return "emblem-ok-symbolic";
    case MC_STEP_STATUS_WARNING:
      return "dialog-warning-symbolic";
    case MC_STEP_STATUS_FAILED:
      return "dialog-error-symbolic";
    case MC_STEP_STATUS_SKIPPED:
      return "action-unavailable-symbolic";
    case MC_STEP_STATUS_RUNNING:
    default:
      return NULL;
    }
}

static const char *
status_style_class (McStepStatus status)
{
  switch (status)
    {
    case MC_STEP_STATUS_OK:
      return "success";
    case MC_STEP_STATUS_WARNING:
      return "warning";
    case MC_STEP_STATUS_FAILED:
      return "error";
    case MC_STEP_STATUS_SKIPPED:
      return "dim-label";
    case MC_STEP_STATUS_RUNNING:
    default:
      return NULL;
    }
}

static const char *
status_accessible_name (McStepStatus status)
{
  switch (status)
    {
    case MC_STEP_STATUS_OK:
      return C_("step status", "Passed");
    case MC_STEP_STATUS_WARNING:
      return C_("step status", "Warning");
    case MC_STEP_STATUS_FAILED:
      return C_("step status", "Failed");
    case MC_STEP_STATUS_SKIPPED:
      return C_("step status", "Skipped");
    case MC_STEP_STATUS_RUNNING:
    default:
      return C_("step status", "Running");
    }
}

static char *
format_duration (gint64 ms)
{
  if (ms < 1000)
    /* Translators: a duration in milliseconds; %d is the number */
    return g_strdup_printf (_("%d ms"), (int)ms);

  /* Translators: a duration in seconds with one decimal; %.1f is the number */
  return g_strdup_printf (_("%.1f s"), ms / 1000.0);
}

void
mc_step_row_update (McStepRow    *self,
                    const McStep *step)
{
  static const char *style_classes[] = { "success", "warning", "error", "dim-label" };
  const char *style_class;
  gboolean running;

  g_return_if_fail (MC_IS_STEP_ROW (self));
  g_return_if_fail (step != NULL);

  self->step_id = step->id;
  self->status = step->status;
  running = step->status == MC_STEP_STATUS_RUNNING;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), mc_step_id_display_name (step->id));
  gtk_label_set_text (self->title_label, mc_step_id_display_name (step->id));

  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_widget_set_visible (GTK_WIDGET (self->status_image), !running);
  for (guint i = 0; i < G_N_ELEMENTS (style_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_image), style_classes[i]);
  if (!running)
    {
      gtk_image_set_from_icon_name (self->status_image, status_icon_name (step->status));
      if ((style_class = status_style_class (step->status)) != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->status_image), style_class);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, status_accessible_name (step->status),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, status_accessible_name (step->status),
                                  -1);

  if (running)
    gtk_label_set_text (self->duration_label, "");
  else
    {
      g_autofree char *duration = format_duration (step->ms);

      gtk_label_set_text (self->duration_label, duration);
    }

  gtk_label_set_text (self->summary_label, step->summary ? step->summary : "");
  /* Attributes outlive the text: reset, then keep "SSL/TLS" and the like whole. */
  gtk_label_set_attributes (self->summary_label, NULL);
  mc_label_keep_terms_whole (self->summary_label);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), step->summary != NULL && step->summary[0]);

  if (step->server != NULL && step->server[0] != '\0')
    {
      gtk_label_set_text (self->server_caption_label,
                          step->server_before_tls
                          ? _("Server reply — received unencrypted, could be forged:")
                          : _("Server reply:"));
      if (step->server_before_tls)
        gtk_widget_add_css_class (GTK_WIDGET (self->server_caption_label), "unencrypted-note");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->server_caption_label), "unencrypted-note");
      gtk_label_set_text (self->server_label, step->server);
      gtk_widget_set_visible (GTK_WIDGET (self->server_caption_label), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->server_label), TRUE);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->server_caption_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->server_label), FALSE);
    }

  /* GTK 4.8 loses the resize of a row updated twice before its first layout
   * (a step that starts and ends in one main-loop turn): ask again explicitly. */
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

McStepId
mc_step_row_get_step_id (McStepRow *self)
{
  g_return_val_if_fail (MC_IS_STEP_ROW (self), 0);
  return self->step_id;
}

McStepStatus
mc_step_row_get_status (McStepRow *self)
{
  g_return_val_if_fail (MC_IS_STEP_ROW (self), 0);
  return self->status;
}

const char *
mc_step_row_get_summary (McStepRow *self)
{
  g_return_val_if_fail (MC_IS_STEP_ROW (self), NULL);
  return gtk_label_get_text (self->summary_label);
}

/* The caption above the server's text, or NULL when the step has none. */
const char *
mc_step_row_get_server_note (McStepRow *self)
{
  g_return_val_if_fail (MC_IS_STEP_ROW (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->server_label)))
    return NULL;
  return gtk_label_get_text (self->server_caption_label);
}

const char *
mc_step_row_get_duration (McStepRow *self)
{
  g_return_val_if_fail (MC_IS_STEP_ROW (self), NULL);
  return gtk_label_get_text (self->duration_label);
}
