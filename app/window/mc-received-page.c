/* mc-received-page.c
 *
 * The header a user pastes, opens or drops is read by mc-received; this page
 * only shows what that found. Nothing leaves the computer. Every text from the
 * header is set as plain text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-received-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "mc-dates.h"
#include "mc-received-page.h"
#include "mc-widgets.h"

/* Typing or pasting settles before the header is read again. */
#define PARSE_DELAY_MS 150

struct _McReceivedPage
{
  AdwBin                parent_instance;

  /* Owned references */
  McReceivedReport     *report;
  GPtrArray            *hop_rows;      /* GtkWidget, borrowed from hops_group */
  GCancellable         *cancellable;   /* reading a file */
  GtkFileChooserNative *open_dialog;
  guint                 parse_source;

  /* Template widgets */
  GtkTextView          *text_view;
  GtkLabel             *status_label;
  GtkWidget            *result_box;
  GtkLabel             *summary_label;
  AdwPreferencesGroup  *hops_group;
};

G_DEFINE_FINAL_TYPE (McReceivedPage, mc_received_page, ADW_TYPE_BIN)

static void
set_status (McReceivedPage *self,
            const char     *text)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static const char *
verdict_icon (McReceivedVerdict verdict)
{
  switch (verdict)
    {
    case MC_RECEIVED_VERDICT_ENCRYPTED:
      return "channel-secure-symbolic";
    case MC_RECEIVED_VERDICT_ENCRYPTED_WEAK:
      return "dialog-warning-symbolic";
    case MC_RECEIVED_VERDICT_NOT_ENCRYPTED:
      return "channel-insecure-symbolic";
    case MC_RECEIVED_VERDICT_INTERNAL:
      return "computer-symbolic";
    case MC_RECEIVED_VERDICT_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

static const char *
verdict_style (McReceivedVerdict verdict)
{
  switch (verdict)
    {
    case MC_RECEIVED_VERDICT_ENCRYPTED:
      return "success";
    case MC_RECEIVED_VERDICT_ENCRYPTED_WEAK:
      return "warning";
    case MC_RECEIVED_VERDICT_NOT_ENCRYPTED:
      return "error";
    case MC_RECEIVED_VERDICT_INTERNAL:
    case MC_RECEIVED_VERDICT_UNKNOWN:
    default:
      return NULL;
    }
}

/* "3 seconds later", "2 minutes later" … for the time between two stamps. */
static char *
describe_delay (GTimeSpan delay)
{
  gint64 seconds = delay / G_TIME_SPAN_SECOND;

  if (seconds < 0)
    return g_strdup (_("stamped earlier than the hop before (the servers’ clocks differ)"));
  if (seconds < 120)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second later", "%u seconds later", (gulong)seconds),
                            (guint)seconds);
  if (seconds < 2 * 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute later", "%u minutes later",
                                         (gulong)(seconds / 60)),
                            (guint)(seconds / 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour later", "%u hours later", (gulong)(seconds / 3600)),
                          (guint)(seconds / 3600));
}

static char *
hop_title (const McReceivedHop *hop)
{
  const char *from = mc_received_hop_get_from_host (hop);
  const char *address = mc_received_hop_get_from_address (hop);
  const char *by = mc_received_hop_get_by (hop);

  if (from == NULL)
    from = mc_received_hop_get_from (hop);
  if (from == NULL)
    from = address;
  /* Translators: one hop of a message: from which server to which; "?" stands for a name the line does not give */
  return g_strdup_printf (_("%1$s → %2$s"), from != NULL ? from : "?", by != NULL ? by : "?");
}

/* When, how long after the hop before, and by which protocol and cipher. */
static char *
hop_details (McReceivedReport    *report,
             guint                index,
             const McReceivedHop *hop)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GDateTime *date = mc_received_hop_get_date (hop);
  const char *with = mc_received_hop_get_with (hop);
  const char *cipher = mc_received_hop_get_tls_cipher (hop);
  GTimeSpan delay;

  if (date != NULL)
    {
      g_autofree char *when = mc_dates_format_day_time (date);

      g_string_append (text, when);
      if (mc_received_report_get_delay (report, index, &delay))
        {
          g_autofree char *later = describe_delay (delay);

          g_string_append_printf (text, " (%s)", later);
        }
    }
  else if (mc_received_hop_get_date_text (hop) != NULL)
    /* Translators: %s is the date as the line writes it, which could not be read */
    g_string_append_printf (text, _("Date not readable: %s"), mc_received_hop_get_date_text (hop));
  if (with != NULL)
    {
      if (text->len > 0)
        g_string_append (text, "\n");
      /* Translators: %s is the protocol as the line names it, e.g. ESMTPS */
      g_string_append_printf (text, _("Protocol: %s"), with);
    }
  if (cipher != NULL)
    {
      if (text->len > 0)
        g_string_append (text, "\n");
      /* Translators: %s is a TLS cipher suite, e.g. TLS_AES_256_GCM_SHA384 */
      g_string_append_printf (text, _("Cipher: %s"), cipher);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
hop_row_new (McReceivedReport *report,
             guint             index)
{
  const McReceivedHop *hop = mc_received_report_get_hop (report, index);
  McReceivedVerdict verdict = mc_received_hop_get_verdict (hop);
  g_autofree char *title = hop_title (hop);
  g_autofree char *description = mc_received_hop_describe (hop);
  g_autofree char *details = hop_details (report, index, hop);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (verdict_icon (verdict));
  const char *style = verdict_style (verdict);

  gtk_widget_set_name (row, mc_received_verdict_to_string (verdict));
  gtk_widget_set_focusable (row, FALSE);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  subtitle = g_strjoin ("\n", description, mc_received_trust_display_name (mc_received_hop_get_trusted (hop)),
                        details[0] != '\0' ? details : NULL, NULL);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_margin_top (icon, 12);
  if (style != NULL)
    gtk_widget_add_css_class (icon, style);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  mc_received_verdict_display_name (verdict), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

/* What the report cannot show: hops left out, a cut header. */
static void
show_limits (McReceivedPage *self)
{
  guint omitted = mc_received_report_get_n_omitted (self->report);
  g_autoptr(GString) text = g_string_new (NULL);

  if (mc_received_report_get_n_hops (self->report) == 0)
    g_string_append (text, _("This header has no “Received” lines, so there is no delivery path to show. Paste "
                             "the whole header of a message you received, from its first line to the first "
                             "empty line."));
  if (omitted > 0)
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Only the newest %u hops are shown; %u older one was left out.",
                                         "Only the newest %u hops are shown; %u older ones were left out.",
                                         omitted),
                            MC_RECEIVED_MAX_HOPS, omitted);
  if (mc_received_report_get_truncated (self->report))
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, _("The header is longer than %u KiB; only its beginning was read."),
                              MC_RECEIVED_MAX_INPUT / 1024);
    }
  set_status (self, text->len > 0 ? text->str : NULL);
}

static void
show_report (McReceivedPage *self)
{
  guint n = mc_received_report_get_n_hops (self->report);

  mc_rows_clear (self->hops_group, self->hop_rows);
  gtk_label_set_text (self->summary_label, mc_received_report_get_summary (self->report));
  mc_label_keep_terms_whole (self->summary_label);
  for (guint i = 0; i < n; i++)
    mc_rows_add (self->hops_group, self->hop_rows, hop_row_new (self->report, i));
  gtk_widget_set_visible (GTK_WIDGET (self->hops_group), n > 0);
  gtk_widget_set_visible (self->result_box, n > 0);
  show_limits (self);
}

static char *
buffer_text (McReceivedPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
blank (const char *text)
{
  for (; *text != '\0'; text++)
    {
      if (!g_ascii_isspace (*text))
        return FALSE;
    }
  return TRUE;
}

static void
parse_now (McReceivedPage *self)
{
  g_autofree char *text = buffer_text (self);
  g_autoptr(GError) error = NULL;
  gsize length = strlen (text);

  g_clear_handle_id (&self->parse_source, g_source_remove);
  g_clear_pointer (&self->report, mc_received_report_unref);
  mc_rows_clear (self->hops_group, self->hop_rows);
  gtk_widget_set_visible (self->result_box, FALSE);

  if (blank (text))
    {
      set_status (self, NULL);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "received.copy", FALSE);
      return;
    }

  /* The parser reads at most MC_RECEIVED_MAX_INPUT bytes and says when it cut. */
  self->report = mc_received_parse (text, length, &error);
  if (self->report == NULL)
    {
      set_status (self, _("This text has no message header. Paste the lines from the top of the message, up "
                          "to the first empty line."));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "received.copy", FALSE);
      return;
    }
  show_report (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "received.copy",
                                 mc_received_report_get_n_hops (self->report) > 0);
}

static gboolean
parse_timeout (gpointer user_data)
{
  McReceivedPage *self = user_data;

  self->parse_source = 0;
  parse_now (self);
  return G_SOURCE_REMOVE;
}

static void
on_buffer_changed (McReceivedPage *self)
{
  g_clear_handle_id (&self->parse_source, g_source_remove);
  self->parse_source = g_timeout_add (PARSE_DELAY_MS, parse_timeout, self);
}

/* Where the header ends: after the first empty line (LF or CRLF), or -1. */
static gssize
header_end (const char *data,
            gsize       length)
{
  for (gsize i = 0; i + 1 < length; i++)
    {
      if (data[i] != '\n')
        continue;
      if (data[i + 1] == '\n')
        return i + 1;
      if (i + 2 < length && data[i + 1] == '\r' && data[i + 2] == '\n')
        return i + 1;
    }
  return -1;
}

static gboolean
read_more (const char *contents,
           goffset     file_size,
           gpointer    user_data)
{
  return file_size < MC_RECEIVED_MAX_INPUT && header_end (contents, file_size) < 0;
}

static void
file_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(McReceivedPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  gssize end;

  if (!g_file_load_partial_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->cancellable);
      /* Translators: %s is the system's error message */
      message = g_strdup_printf (_("Could not read the file: %s"), error->message);
      set_status (self, message);
      return;
    }
  g_clear_object (&self->cancellable);

  /* Only the header: the message itself stays unread and unshown. */
  end = header_end (contents, length);
  if (end >= 0)
    length = end;
  length = MIN (length, MC_RECEIVED_MAX_INPUT);
  text = g_utf8_make_valid (contents, length);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
  parse_now (self);
}

/**
 * mc_received_page_open_file:
 *
 * Reads the header block of @file (up to the first empty line, at most
 * MC_RECEIVED_MAX_INPUT bytes) into the text and shows its delivery path.
 */
void
mc_received_page_open_file (McReceivedPage *self,
                            GFile          *file)
{
  g_return_if_fail (MC_IS_RECEIVED_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_file_load_partial_contents_async (file, self->cancellable, read_more, file_loaded_cb, g_object_ref (self));
}

static gboolean
on_drop (GtkDropTarget  *target,
         const GValue   *value,
         double          x,
         double          y,
         McReceivedPage *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;
  mc_received_page_open_file (self, G_FILE (files->data));
  g_slist_free (files);
  return TRUE;
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  McReceivedPage  *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    mc_received_page_open_file (self, file);
  g_clear_object (&self->open_dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  McReceivedPage *self = MC_RECEIVED_PAGE (widget);
  GtkFileFilter *filter;

  if (self->open_dialog != NULL)
    return;

  self->open_dialog = mc_file_dialog_new (widget, _("Open Message"),
                                          GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));
  filter = mc_file_dialog_add_filter (self->open_dialog, _("Messages (.eml)"), "eml");
  gtk_file_filter_add_mime_type (filter, "message/rfc822");
  mc_file_dialog_add_filter (self->open_dialog, _("All Files"), NULL);

  g_signal_connect_object (self->open_dialog, "response", G_CALLBACK (on_open_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->open_dialog));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  McReceivedPage *self = MC_RECEIVED_PAGE (widget);

  mc_received_page_set_text (self, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/* The report for support: the hop list without recipient addresses. */
static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  McReceivedPage *self = MC_RECEIVED_PAGE (widget);
  g_autofree char *text = NULL;

  if (self->report == NULL)
    return;
  text = mc_received_report_to_text (self->report);
  mc_widget_copy_report (widget, text);
}

void
mc_received_page_set_text (McReceivedPage *self,
                           const char     *text)
{
  g_return_if_fail (MC_IS_RECEIVED_PAGE (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text != NULL ? text : "", -1);
  parse_now (self);
}

McReceivedReport *
mc_received_page_get_report (McReceivedPage *self)
{
  g_return_val_if_fail (MC_IS_RECEIVED_PAGE (self), NULL);
  return self->report;
}

guint
mc_received_page_get_n_hops (McReceivedPage *self)
{
  g_return_val_if_fail (MC_IS_RECEIVED_PAGE (self), 0);
  return self->hop_rows->len;
}

GtkWidget *
mc_received_page_get_hop_row (McReceivedPage *self,
                              guint           index)
{
  g_return_val_if_fail (MC_IS_RECEIVED_PAGE (self), NULL);
  g_return_val_if_fail (index < self->hop_rows->len, NULL);
  return g_ptr_array_index (self->hop_rows, index);
}

/* TRUE while a file is read, or typed text waits to be read. */
gboolean
mc_received_page_get_busy (McReceivedPage *self)
{
  g_return_val_if_fail (MC_IS_RECEIVED_PAGE (self), FALSE);
  return self->cancellable != NULL || self->parse_source != 0;
}

void
mc_received_page_focus_text (McReceivedPage *self)
{
  g_return_if_fail (MC_IS_RECEIVED_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
mc_received_page_dispose (GObject *object)
{
  McReceivedPage *self = (McReceivedPage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->parse_source, g_source_remove);
  if (self->open_dialog != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->open_dialog));
  g_clear_object (&self->open_dialog);

  G_OBJECT_CLASS (mc_received_page_parent_class)->dispose (object);
}

static void
mc_received_page_finalize (GObject *object)
{
  McReceivedPage *self = (McReceivedPage *)object;

  g_clear_pointer (&self->report, mc_received_report_unref);
  g_clear_pointer (&self->hop_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (mc_received_page_parent_class)->finalize (object);
}

static void
mc_received_page_class_init (McReceivedPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mc_received_page_dispose;
  object_class->finalize = mc_received_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/netzprisma/MailCheck/ui/mc-received-page.ui");
  gtk_widget_class_bind_template_child (widget_class, McReceivedPage, text_view);
  gtk_widget_class_bind_template_child (widget_class, McReceivedPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, McReceivedPage, result_box);
  gtk_widget_class_bind_template_child (widget_class, McReceivedPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, McReceivedPage, hops_group);

  gtk_widget_class_install_action (widget_class, "received.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "received.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "received.copy", NULL, copy_action);
}

static void
mc_received_page_init (McReceivedPage *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->hop_rows = g_ptr_array_new ();

  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (on_buffer_changed), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "received.copy", FALSE);

  /* A file dropped anywhere on the page, the text field included, is opened
   * as a file, not pasted as its name: the page sees it first. */
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drop), GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (drop), "file-drop");
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
