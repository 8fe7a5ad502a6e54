/* mc-detect-view.c
 *
 * Renders an McDetectResult: one group per protocol, one row per port and
 * security mode tried, the engine's recommendation marked. Which combinations
 * exist and which one is recommended is the engine's business; this view only
 * shows them. Probe summaries are set as plain text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-detect-view"

#include "config.h"

#include <glib/gi18n.h>

#include "mc-detect-view.h"
#include "mc-widgets.h"

struct _McDetectView
{
  GtkBox           parent_instance;

  /* Owned references */
  McDetectResult  *result;
  char            *host;
  GPtrArray       *rows;          /* GtkWidget, borrowed from the groups */
  GtkWidget       *groups[MC_N_PROTOCOLS];
  GtkWidget       *use_buttons[MC_N_PROTOCOLS];
  gboolean         running;

  /* Template widgets */
  GtkWidget       *status_box;
  GtkStack        *status_icon_stack;
  GtkSpinner      *spinner;
  GtkImage        *status_icon;
  GtkLabel        *status_label;
  GtkWidget       *note_label;
  GtkWidget       *summary_box;
  GtkLabel        *summary_label;
  GtkButton       *summary_button;
  GtkBox          *groups_box;
};

G_DEFINE_FINAL_TYPE (McDetectView, mc_detect_view, GTK_TYPE_BOX)

enum {
  USE_SETTINGS,
  USE_HOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
probe_works (const McResult *probe)
{
  return probe->verdict != MC_VERDICT_FAILED;
}

/* How the search ended, shown like a test's verdict. */
static void
show_status (McDetectView *self,
             const char   *style_class,
             const char   *icon_name,
             const char   *text)
{
  gtk_stack_set_visible_child_name (self->status_icon_stack, "done");
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  mc_set_verdict_style (self->status_box, GTK_WIDGET (self->status_icon), style_class);
  gtk_label_set_text (self->status_label, text);
}

static void
clear_groups (McDetectView *self)
{
  for (guint i = 0; i < MC_N_PROTOCOLS; i++)
    {
      if (self->groups[i] != NULL)
        gtk_box_remove (self->groups_box, self->groups[i]);
      self->groups[i] = NULL;
      self->use_buttons[i] = NULL;
    }
  g_ptr_array_set_size (self->rows, 0);
}

void
mc_detect_view_reset (McDetectView *self)
{
  g_return_if_fail (MC_IS_DETECT_VIEW (self));

  self->running = FALSE;
  g_clear_pointer (&self->result, mc_detect_result_unref);
  g_clear_pointer (&self->host, g_free);
  clear_groups (self);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_label_set_text (self->status_label, "");
  gtk_widget_set_visible (self->summary_box, FALSE);
  mc_set_verdict_style (self->status_box, GTK_WIDGET (self->status_icon), NULL);
}

void
mc_detect_view_begin (McDetectView *self,
                      const char   *host)
{
  g_autofree char *text = NULL;

  g_return_if_fail (MC_IS_DETECT_VIEW (self));
  g_return_if_fail (host != NULL);

  mc_detect_view_reset (self);
  self->running = TRUE;
  self->host = g_strdup (host);

  gtk_stack_set_visible_child_name (self->status_icon_stack, "running");
  gtk_spinner_set_spinning (self->spinner, TRUE);
  /* Translators: shown while the app tries every standard mail port; %s is a server name */
  text = g_strdup_printf (_("Trying the standard ports of %s…"), host);
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (self->note_label, TRUE);
}

static void
on_use_clicked (GtkButton    *button,
                McDetectView *self)
{
  McProtocol protocol = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "protocol"));

  if (self->result == NULL || self->result->recommended[protocol] == NULL)
    return;
  g_signal_emit (self, signals[USE_SETTINGS], 0, self->result->recommended[protocol]);
}

static gboolean
nothing_works (McDetectResult *result)
{
  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      if (result->recommended[protocol] != NULL)
        return FALSE;
    }
  return TRUE;
}

static GtkWidget *
group_for (McDetectView *self,
           McProtocol    protocol)
{
  GtkWidget *group;
  McResult *recommended;

  if (self->groups[protocol] != NULL)
    return self->groups[protocol];

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), mc_protocol_display_name (protocol));
  gtk_widget_set_name (group, mc_protocol_to_string (protocol));

  recommended = self->result->recommended[protocol];
  if (recommended != NULL)
    {
      GtkWidget *button = gtk_button_new_with_label (_("Use These Settings"));
      g_autofree char *name = NULL;
      g_autofree char *tooltip = NULL;

      /* Three buttons with the same label: the accessible name tells them apart. */
      /* Translators: accessible name of a button; %s is a protocol (POP3, IMAP, SMTP) */
      name = g_strdup_printf (_("Use These Settings for %s"), mc_protocol_display_name (protocol));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      /* Translators: tooltip; %u is a port number, the first %s SSL/TLS or STARTTLS, the second a protocol */
      tooltip = g_strdup_printf (_("Set Port %u and Security %s on the %s page"), recommended->port,
                                 mc_security_display_name (recommended->security),
                                 mc_protocol_display_name (protocol));
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_widget_set_name (button, "use-button");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "protocol", GUINT_TO_POINTER (protocol));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_use_clicked), self, 0);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), button);
      self->use_buttons[protocol] = button;
    }
  else if (!nothing_works (self->result))
    /* When nothing worked anywhere, one summary above says what was found. */
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _("None of these answered with encryption."));

  gtk_box_append (self->groups_box, group);
  self->groups[protocol] = group;
  return group;
}

/* The row's title, with a tag when the provider recommends it. */
static GtkWidget *
probe_title_new (const char *title,
                 gboolean    recommended)
{
  GtkWidget *title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title_label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (title_label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (title_label), TRUE);
  gtk_widget_set_hexpand (title_label, TRUE);
  mc_label_keep_terms_whole (GTK_LABEL (title_label));
  gtk_box_append (GTK_BOX (title_box), title_label);
  if (recommended)
    {
      GtkWidget *tag = gtk_label_new (C_("detect", "Recommended"));

      gtk_widget_set_name (tag, "recommended");
      gtk_widget_set_valign (tag, GTK_ALIGN_START);
      gtk_widget_add_css_class (tag, "caption-heading");
      gtk_widget_add_css_class (tag, "accent");
      gtk_box_append (GTK_BOX (title_box), tag);
    }
  return title_box;
}

/* What the probe showed; the probe's own words are plain text. */
static GtkWidget *
probe_status_new (const char *status)
{
  GtkWidget *status_label = mc_plain_label_new (status);

  mc_label_set_no_hyphens (GTK_LABEL (status_label));
  mc_label_keep_terms_whole (GTK_LABEL (status_label));
  gtk_widget_set_name (status_label, "status");
  gtk_widget_add_css_class (status_label, "dim-label");
  return status_label;
}

/* The stable name of a probe's row, for tests and for mc_detect_view_find_row(). */
static char *
probe_name (McProtocol protocol,
            guint16    port,
            McSecurity security)
{
  return g_strdup_printf ("%s-%u-%s", mc_protocol_to_string (protocol), port,
                          mc_security_to_string (security));
}

static GtkWidget *
probe_row_new (McDetectResult *result,
               McResult       *probe,
               gboolean        recommended)
{
  /* Translators: a row in the list of tried settings; %u is a port number, %s SSL/TLS or STARTTLS */
  g_autofree char *title = g_strdup_printf (_("Port %u with %s"), probe->port,
                                            mc_security_display_name (probe->security));
  g_autofree char *name = probe_name (probe->protocol, probe->port, probe->security);
  g_autofree char *status = mc_detect_state_describe (result, probe);
  g_autofree char *label = NULL;
  GtkWidget *row = mc_plain_row_new (title);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *icon;
  gboolean works = probe_works (probe);

  gtk_widget_set_name (row, name);
  /* Read, not used: the group's button is the Tab stop. */
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (box, "step-row");

  icon = g_object_new (GTK_TYPE_IMAGE,
                       "icon-name", works ? "emblem-ok-symbolic" : "dialog-error-symbolic",
                       "valign", GTK_ALIGN_START,
                       "margin-top", 1,
                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                       NULL);
  gtk_widget_add_css_class (icon, works ? "success" : "error");
  gtk_box_append (GTK_BOX (box), icon);

  gtk_box_append (GTK_BOX (text_box), probe_title_new (title, recommended));
  gtk_box_append (GTK_BOX (text_box), probe_status_new (status));
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_box_append (GTK_BOX (box), text_box);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  label = recommended ? g_strdup_printf ("%s, %s", title, C_("detect", "Recommended")) : g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status,
                                  -1);
  return row;
}

static void
on_use_host_clicked (GtkButton    *button,
                     McDetectView *self)
{
  const char *host = g_object_get_data (G_OBJECT (button), "host");

  g_signal_emit (self, signals[USE_HOST], 0, host);
}

/* When nothing worked: one summary of what the search found out, and the
 * provider's server name as a button for its customers who typed another. */
static void
show_summary (McDetectView   *self,
              McDetectResult *result,
              const char     *address)
{
  g_autoptr(McDetectSummary) summary = mc_detect_result_summarize (result, address);

  gtk_widget_set_visible (self->summary_box, summary != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_button), summary != NULL && summary->fix_host != NULL);
  if (summary == NULL)
    return;

  gtk_label_set_text (self->summary_label, summary->text);
  mc_label_keep_terms_whole (self->summary_label);
  if (summary->fix_host != NULL)
    {
      /* Translators: a button that enters the provider's server name in Server; %s is e.g. mail01.netzprisma.de */
      g_autofree char *label = g_strdup_printf (C_("server", "Use %s"), summary->fix_host);

      gtk_button_set_label (self->summary_button, label);
      g_object_set_data_full (G_OBJECT (self->summary_button), "host", g_strdup (summary->fix_host), g_free);
    }
}

/* @host: the server name as the user entered it; the result holds its ASCII
 * form. @address: the user's e-mail address, or NULL. */
void
mc_detect_view_show_result (McDetectView   *self,
                            const char     *host,
                            const char     *address,
                            McDetectResult *result)
{
  g_autofree char *text = NULL;
  guint n_working = 0;

  g_return_if_fail (MC_IS_DETECT_VIEW (self));
  g_return_if_fail (result != NULL);

  mc_detect_view_reset (self);
  self->result = mc_detect_result_ref (result);
  self->host = g_strdup (host != NULL ? host : result->host);

  for (guint i = 0; i < result->probes->len; i++)
    {
      McResult *probe = g_ptr_array_index (result->probes, i);
      GtkWidget *row;

      if (probe->protocol >= MC_N_PROTOCOLS)
        continue;
      row = probe_row_new (result, probe, probe == result->recommended[probe->protocol]);
      mc_rows_add (ADW_PREFERENCES_GROUP (group_for (self, probe->protocol)), self->rows, row);
      n_working += probe_works (probe);
    }

  if (n_working > 0)
    {
      /* Translators: %s is a server name */
      /* Translators: %s is a server name; nothing was logged in, so it is not "working" yet */
      text = g_strdup_printf (_("Settings that answer and encrypt found on %s"), self->host);
      show_status (self, "success", "emblem-ok-symbolic", text);
    }
  else
    {
      /* Translators: %s is a server name */
      text = g_strdup_printf (_("No port of %s answered as expected"), self->host);
      show_status (self, "error", "dialog-error-symbolic", text);
    }
  show_summary (self, result, address);
  gtk_widget_set_visible (self->note_label, TRUE);
}

void
mc_detect_view_show_error (McDetectView *self,
                           const char   *message)
{
  g_autofree char *host = NULL;

  g_return_if_fail (MC_IS_DETECT_VIEW (self));
  g_return_if_fail (message != NULL);

  host = g_steal_pointer (&self->host);
  mc_detect_view_reset (self);
  self->host = g_steal_pointer (&host);
  show_status (self, "error", "dialog-error-symbolic", message);
  gtk_widget_set_visible (self->note_label, FALSE);
}

gboolean
mc_detect_view_get_running (McDetectView *self)
{
  g_return_val_if_fail (MC_IS_DETECT_VIEW (self), FALSE);
  return self->running;
}

/* The server name as the user entered it, or NULL. */
const char *
mc_detect_view_get_host (McDetectView *self)
{
  g_return_val_if_fail (MC_IS_DETECT_VIEW (self), NULL);
  return self->host;
}

McDetectResult *
mc_detect_view_get_result (McDetectView *self)
{
  g_return_val_if_fail (MC_IS_DETECT_VIEW (self), NULL);
  return self->result;
}

const char *
mc_detect_view_get_status_text (McDetectView *self)
{
  g_return_val_if_fail (MC_IS_DETECT_VIEW (self), NULL);
  return gtk_label_get_text (self->status_label);
}

guint
mc_detect_view_get_n_rows (McDetectView *self)
{
  g_return_val_if_fail (MC_IS_DETECT_VIEW (self), 0);
  return self->rows->len;
}

GtkWidget *
mc_detect_view_get_row (McDetectView *self,
                        guint         index)
{
  g_return_val_if_fail (MC_IS_DETECT_VIEW (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, index);
}

GtkWidget *
mc_detect_view_find_row (McDetectView *self,
                         McProtocol    protocol,
                         guint16       port,
                         McSecurity    security)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (MC_IS_DETECT_VIEW (self), NULL);

  name = probe_name (protocol, port, security);
  return mc_rows_find (self->rows, name);
}

/* NULL when nothing works for @protocol. */
GtkWidget *
mc_detect_view_get_use_button (McDetectView *self,
                               McProtocol    protocol)
{
  g_return_val_if_fail (MC_IS_DETECT_VIEW (self), NULL);
  g_return_val_if_fail (protocol < MC_N_PROTOCOLS, NULL);
  return self->use_buttons[protocol];
}

static void
mc_detect_view_dispose (GObject *object)
{
  McDetectView *self = (McDetectView *)object;

  for (guint i = 0; i < MC_N_PROTOCOLS; i++)
    {
      self->groups[i] = NULL;
      self->use_buttons[i] = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), MC_TYPE_DETECT_VIEW);

  G_OBJECT_CLASS (mc_detect_view_parent_class)->dispose (object);
}

static void
mc_detect_view_finalize (GObject *object)
{
  McDetectView *self = (McDetectView *)object;

  g_clear_pointer (&self->result, mc_detect_result_unref);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mc_detect_view_parent_class)->finalize (object);
}

static void
mc_detect_view_class_init (McDetectViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mc_detect_view_dispose;
  object_class->finalize = mc_detect_view_finalize;

  /**
   * McDetectView::use-settings:
   * @probe: the recommended McResult of the protocol whose button the user chose
   */
  signals[USE_SETTINGS] =
    g_signal_new ("use-settings",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MC_TYPE_RESULT | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * McDetectView::use-host:
   * @host: the provider's server name (from its profile), to enter in Server
   */
  signals[USE_HOST] =
    g_signal_new ("use-host",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/de/netzprisma/MailCheck/ui/mc-detect-view.ui");
  gtk_widget_class_bind_template_child (widget_class, McDetectView, status_box);
  gtk_widget_class_bind_template_child (widget_class, McDetectView, status_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, McDetectView, spinner);
  gtk_widget_class_bind_template_child (widget_class, McDetectView, status_icon);
  gtk_widget_class_bind_template_child (widget_class, McDetectView, status_label);
  gtk_widget_class_bind_template_child (widget_class, McDetectView, note_label);
  gtk_widget_class_bind_template_child (widget_class, McDetectView, summary_box);
  gtk_widget_class_bind_template_child (widget_class, McDetectView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, McDetectView, summary_button);
  gtk_widget_class_bind_template_callback (widget_class, on_use_host_clicked);
  gtk_widget_class_bind_template_child (widget_class, McDetectView, groups_box);
}

static void
mc_detect_view_init (McDetectView *self)
{
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}
