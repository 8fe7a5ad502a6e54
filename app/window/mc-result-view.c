/* mc-result-view.c
 *
 * Renders what the engine found; it knows no protocol. Every string that came
 * from a server or from the engine is set as plain text (use-markup off).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-result-view"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "mc-certificate.h"
#include "mc-client-view.h"
#include "mc-faq-page.h"
#include "mc-report.h"
#include "mc-report-export.h"
#include "mc-result-view.h"
#include "mc-widgets.h"

struct _McResultView
{
  GtkBox                 parent_instance;

  /* Owned references */
  McResult              *result;
  GPtrArray             *step_rows;     /* McStepRow, borrowed from steps_group */
  GPtrArray             *advice_rows;   /* GtkWidget, borrowed from advice_group */
  GPtrArray             *detail_rows;   /* GtkWidget, borrowed from details_group */
  GPtrArray             *client_rows;   /* GtkWidget, borrowed from client_group */
  GtkFileChooserNative  *save_dialog;
  GCancellable          *cancellable;
  GPtrArray             *steps_so_far;  /* McStep of a running test, for a cancel */
  gboolean               running;
  gboolean               outdated;
  const char            *verdict_field; /* what the verdict's button focuses; NULL: test again */
  const McClient        *client;        /* the customer's mail program: a catalogue entry, never freed */

  /* Template widgets */
  GtkWidget             *empty_status;
  GtkWidget             *verdict_box;
  GtkStack              *verdict_icon_stack;
  GtkSpinner            *verdict_spinner;
  GtkImage              *verdict_icon;
  GtkLabel              *verdict_label;
  GtkWidget             *alerts_box;
  GtkButton             *verdict_button;
  GtkWidget             *e2e_box;
  AdwPreferencesGroup   *steps_group;
  AdwPreferencesGroup   *advice_group;
  AdwPreferencesGroup   *client_group;
  AdwPreferencesGroup   *details_group;
  GtkWidget             *report_box;
};

G_DEFINE_FINAL_TYPE (McResultView, mc_result_view, GTK_TYPE_BOX)

enum {
  APPLY_FIX,
  FOCUS_FIELD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_alerts (McResultView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->alerts_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->alerts_box), child);
  gtk_widget_set_visible (self->alerts_box, FALSE);
}

/* The headline, and what a screen reader says for the verdict when it gets
 * the focus after a test. */
static void
set_headline (McResultView *self,
              const char   *text)
{
  gtk_label_set_text (self->verdict_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict_box), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

/* The verdict in place of the empty page: its tint, icon and headline, or
 * with @icon_name NULL the spinner of a test that runs. The note on end-to-end
 * encryption goes: only a passed test shows it. */
static void
show_verdict (McResultView *self,
              const char   *style_class,
              const char   *icon_name,
              const char   *headline)
{
  gtk_widget_set_visible (self->empty_status, FALSE);
  gtk_widget_set_visible (self->verdict_box, TRUE);
  gtk_widget_set_visible (self->e2e_box, FALSE);
  mc_set_verdict_style (self->verdict_box, GTK_WIDGET (self->verdict_icon), style_class);
  gtk_stack_set_visible_child_name (self->verdict_icon_stack, icon_name != NULL ? "done" : "running");
  gtk_spinner_set_spinning (self->verdict_spinner, icon_name == NULL);
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (self->verdict_icon, icon_name);
  set_headline (self, headline);
}

/* A button in the verdict area: @field NULL runs the test again, else it
 * takes the user to that field of the form. */
static void
set_verdict_button (McResultView *self,
                    const char   *label,
                    const char   *field)
{
  self->verdict_field = field;
  gtk_button_set_label (self->verdict_button, label);
  gtk_widget_set_visible (GTK_WIDGET (self->verdict_button), TRUE);
}

static void
on_verdict_button_clicked (McResultView *self)
{
  if (self->verdict_field != NULL)
    g_signal_emit (self, signals[FOCUS_FIELD], 0, self->verdict_field);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "page.test", NULL);
}

static void
update_report_actions (McResultView *self)
{
  gboolean have = self->result != NULL && !self->running;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "result.copy", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "result.save", have);
  gtk_widget_set_visible (self->report_box, have);
}

void
mc_result_view_reset (McResultView *self)
{
  g_return_if_fail (MC_IS_RESULT_VIEW (self));

  self->running = FALSE;
  self->outdated = FALSE;
  g_clear_pointer (&self->result, mc_result_unref);
  g_ptr_array_set_size (self->steps_so_far, 0);
  clear_alerts (self);
  gtk_widget_set_visible (GTK_WIDGET (self->verdict_button), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->steps_group), "outdated");
  /* Translators: heading of the list of connection test steps */
  adw_preferences_group_set_title (self->steps_group, _("Steps"));
  mc_rows_clear (self->steps_group, self->step_rows);
  mc_rows_clear (self->advice_group, self->advice_rows);
  mc_rows_clear (self->client_group, self->client_rows);
  mc_rows_clear (self->details_group, self->detail_rows);

  gtk_spinner_set_spinning (self->verdict_spinner, FALSE);
  gtk_widget_set_visible (self->empty_status, TRUE);
  gtk_widget_set_visible (self->verdict_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->steps_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->advice_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->client_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->details_group), FALSE);
  update_report_actions (self);
}

void
mc_result_view_begin (McResultView *self)
{
  g_return_if_fail (MC_IS_RESULT_VIEW (self));

  mc_result_view_reset (self);
  self->running = TRUE;

  show_verdict (self, NULL, NULL, _("Testing the connection…"));
  gtk_widget_set_visible (GTK_WIDGET (self->steps_group), TRUE);
  update_report_actions (self);
}

void
mc_result_view_update_step (McResultView *self,
                            guint         index,
                            const McStep *step)
{
  GtkWidget *row;

  g_return_if_fail (MC_IS_RESULT_VIEW (self));
  g_return_if_fail (step != NULL);

  /* Events arrive in order; a gap would mean a lost event, so fill it rather than crash. */
  while (self->step_rows->len <= index)
    {
      row = mc_step_row_new ();
      mc_rows_add (self->steps_group, self->step_rows, row);
    }

  row = g_ptr_array_index (self->step_rows, index);
  mc_step_row_update (MC_STEP_ROW (row), step);

  /* Kept while the test runs: a cancelled test still shows what it did. */
  if (self->running)
    {
      while (self->steps_so_far->len <= index)
        g_ptr_array_add (self->steps_so_far, NULL);
      mc_step_free (g_ptr_array_index (self->steps_so_far, index));
      g_ptr_array_index (self->steps_so_far, index) = mc_step_copy (step);
    }
}

static GtkWidget *
fact_row_new (const char *title,
              const char *value,
              const char *style_class)
{
  GtkWidget *row = mc_plain_row_new (title);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *caption = gtk_label_new (title);
  GtkWidget *text = mc_plain_label_new (value);

  /* One Tab stop: the selectable value, not also the row around it. */
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (box, "fact-row");

  gtk_label_set_xalign (GTK_LABEL (caption), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");

  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  mc_label_set_no_hyphens (GTK_LABEL (text));
  if (style_class != NULL)
    gtk_widget_add_css_class (text, style_class);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (text),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption, NULL,
                                  -1);

  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static GtkLabel *
fact_row_get_value (GtkWidget *row)
{
  return GTK_LABEL (gtk_widget_get_last_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row))));
}

static char *
join_ptr_array (GPtrArray  *items,
                const char *separator)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      if (i > 0)
        g_string_append (out, separator);
      g_string_append (out, g_ptr_array_index (items, i));
    }
  return g_string_free (out, FALSE);
}

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;

  if (date == NULL)
    return g_strdup ("?");
  local = g_date_time_to_local (date);
  /* Translators: date and time format for certificate validity, see g_date_time_format() */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

/* What goes into a detail row, built when the row is first opened: a hostile
 * server's capability list or transcript can be large, and GtkRevealer
 * measures the rows of a closed expander as well. */
typedef void (*DetailFill) (AdwExpanderRow *row,
                            McResult       *result);

static void
on_detail_expanded (AdwExpanderRow *expander,
                    GParamSpec     *pspec,
                    McResultView   *self)
{
  DetailFill fill = g_object_get_data (G_OBJECT (expander), "mc-detail-fill");

  if (!adw_expander_row_get_expanded (expander) || self->result == NULL || fill == NULL)
    return;
  g_object_set_data (G_OBJECT (expander), "mc-detail-fill", NULL);
  fill (expander, self->result);
}

static GtkWidget *
add_detail_expander (McResultView *self,
                     const char   *name,
                     const char   *title,
                     const char   *subtitle,
                     DetailFill    fill)
{
  GtkWidget *expander = adw_expander_row_new ();

  gtk_widget_set_name (expander, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  if (subtitle != NULL)
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
  g_object_set_data (G_OBJECT (expander), "mc-detail-fill", fill);
  g_signal_connect_object (expander, "notify::expanded", G_CALLBACK (on_detail_expanded), self, 0);
  mc_rows_add (self->details_group, self->detail_rows, expander);
  return expander;
}

static void
fill_certificate (AdwExpanderRow *row,
                  McResult       *result)
{
  McCertificateInfo *info = result->certificate;
  g_autofree char *names = mc_certificate_format_names (info);
  g_autofree char *from = format_date (info->not_before);
  g_autofree char *until = format_date (info->not_after);
  GtkWidget *fingerprint;

  for (guint i = 0; info->problems != NULL && info->problems[i] != NULL; i++)
    adw_expander_row_add_row (row, fact_row_new (_("Problem"),
                                                 mc_certificate_problem_describe (info->problems[i]),
                                                 "error"));

  adw_expander_row_add_row (row, fact_row_new (_("Issued To"), info->subject, NULL));
  adw_expander_row_add_row (row, fact_row_new (_("Issued By"), info->issuer, NULL));
  adw_expander_row_add_row (row, fact_row_new (_("Valid for Names"),
                                               names[0] != '\0' ? names : _("(none listed)"), NULL));
  adw_expander_row_add_row (row, fact_row_new (_("Valid From"), from, NULL));
  adw_expander_row_add_row (row, fact_row_new (_("Valid Until"), until, NULL));
  fingerprint = fact_row_new (_("SHA-256 Fingerprint"), info->sha256, "server-text");
  mc_label_keep_bytes_whole (fact_row_get_value (fingerprint));
  adw_expander_row_add_row (row, fingerprint);
}

static void
show_certificate (McResultView *self,
                  McResult     *result)
{
  McCertificateInfo *info = result->certificate;
  g_autofree char *subtitle = NULL;
  guint n_problems = info->problems ? g_strv_length (info->problems) : 0;

  if (n_problems == 0)
    subtitle = g_strdup (_("No problems found"));
  else
    /* Translators: %u is the number of problems found with the server's certificate */
    subtitle = g_strdup_printf (ngettext ("%u problem", "%u problems", n_problems), n_problems);

  add_detail_expander (self, "certificate", _("Certificate"), subtitle, fill_certificate);
}

static void
fill_encryption (AdwExpanderRow *row,
                 McResult       *result)
{
  adw_expander_row_add_row (row, fact_row_new (_("TLS Version"), result->tls_version, NULL));
  if (result->tls_cipher != NULL)
    adw_expander_row_add_row (row, fact_row_new (_("Cipher"), result->tls_cipher, "server-text"));
  if (result->address != NULL)
    adw_expander_row_add_row (row, fact_row_new (_("Server Address"), result->address, NULL));
  if (result->auth_offered != NULL && result->auth_offered->len > 0)
    {
      g_autofree char *offered = join_ptr_array (result->auth_offered, " ");

      adw_expander_row_add_row (row, fact_row_new (_("Login Methods Offered"), offered, "server-text"));
    }
  if (result->auth_used != NULL)
    adw_expander_row_add_row (row, fact_row_new (_("Login Method Used"), result->auth_used, "server-text"));
}

static void
fill_capabilities (AdwExpanderRow *row,
                   McResult       *result)
{
  if (result->caps_before->len > 0)
    {
      g_autofree char *before = join_ptr_array (result->caps_before, " ");

      adw_expander_row_add_row (row, fact_row_new (_("Before Encryption — received unencrypted, could be forged"),
                                                   before, "server-text"));
    }
  if (result->caps_after->len > 0)
    {
      g_autofree char *after = join_ptr_array (result->caps_after, " ");

      adw_expander_row_add_row (row, fact_row_new (_("After Encryption"), after, "server-text"));
    }
}

/* The transcript can hold up to MC_TRANSCRIPT_MAX_BYTES of server text: a text
 * view in a scrolled window of its own lays out only the lines in sight, where
 * one label would be measured whole. */
static void
fill_transcript_buffer (GtkTextBuffer *buffer,
                        McResult      *result)
{
  GtkTextIter end;
  gboolean have_chunk = FALSE;
  gboolean chunk_encrypted = FALSE;

  gtk_text_buffer_create_tag (buffer, "heading", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_get_end_iter (buffer, &end);

  /* Lines are grouped by whether they travelled encrypted, so every part that
   * could have been forged carries the warning right above it. */
  for (guint i = 0; i < result->transcript->len; i++)
    {
      McTranscriptLine *line = g_ptr_array_index (result->transcript, i);
      g_autofree char *text = g_strdup_printf ("%c: %s\n", line->direction, line->text);

      if (!have_chunk || line->encrypted != chunk_encrypted)
        {
          const char *heading = line->encrypted
            ? _("Encrypted")
            : _("Unencrypted — what the server sent here could be forged");
          g_autofree char *title = g_strdup_printf ("%s%s\n", have_chunk ? "\n" : "", heading);

          gtk_text_buffer_insert_with_tags_by_name (buffer, &end, title, -1, "heading", NULL);
          have_chunk = TRUE;
          chunk_encrypted = line->encrypted;
        }
      gtk_text_buffer_insert (buffer, &end, text, -1);
    }

  if (result->transcript_omitted > 0)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("… %u more line not shown",
                                                         "… %u more lines not shown",
                                                         result->transcript_omitted),
                                               result->transcript_omitted);

      gtk_text_buffer_insert_with_tags_by_name (buffer, &end, more, -1, "heading", NULL);
    }
}

static void
fill_transcript (AdwExpanderRow *expander,
                 McResult       *result)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *row = adw_preferences_row_new ();

  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_widget_add_css_class (view, "transcript");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Transcript"), -1);
  fill_transcript_buffer (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), result);

  /* A fixed height: asking the view for its natural height would lay out all of it. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (scroller, -1, 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Transcript"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), scroller);
  adw_expander_row_add_row (expander, row);
  g_object_set_data (G_OBJECT (expander), "mc-transcript-view", view);
}

static void
on_fix_clicked (GtkButton    *button,
                McResultView *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "advice-index"));

  if (self->result == NULL || index >= self->result->advice->len)
    return;

  g_signal_emit (self, signals[APPLY_FIX], 0, g_ptr_array_index (self->result->advice, index));
}

static GtkWidget *
advice_row_new (McResultView   *self,
                const McAdvice *advice,
                guint           index)
{
  GtkWidget *row = mc_plain_row_new (advice->text);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *text = mc_plain_label_new (advice->text);
  GtkWidget *buttons;
  const char *topic = mc_faq_topic_for_advice (advice->code);
  gboolean has_fix = mc_advice_has_fix (advice);

  gtk_widget_set_name (row, advice->code);
  /* Tab goes to the advice's buttons, which are described by its text. */
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (box, "advice-row");

  mc_label_keep_terms_whole (GTK_LABEL (text));
  gtk_box_append (GTK_BOX (box), text);
  if (has_fix && self->client != NULL)
    {
      GtkWidget *steps = mc_client_steps_new (self->client, self->result, advice);

      if (steps != NULL)
        gtk_box_append (GTK_BOX (box), steps);
    }

  if (topic == NULL && !has_fix)
    {
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      return row;
    }

  buttons = g_object_new (MC_TYPE_BUTTON_FLOW, "halign", GTK_ALIGN_END, NULL);

  /* The fix comes first: it is what the user came for. */
  if (has_fix)
    {
      /* The fix is a click that asks for a test: it says so. */
      GtkWidget *button = mc_fix_button_new (advice, TRUE, text);

      gtk_widget_add_css_class (button, "suggested-action");
      g_object_set_data (G_OBJECT (button), "advice-index", GUINT_TO_POINTER (index));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_fix_clicked), self, 0);
      gtk_widget_set_parent (button, buttons);
    }
  if (topic != NULL)
    {
      GtkWidget *button = mc_wrapping_button_new (_("Learn More"));

      gtk_widget_set_name (button, "topic-button");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-faq");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", topic);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, text, NULL,
                                      -1);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_parent (button, buttons);
    }

  gtk_box_append (GTK_BOX (box), buttons);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

/* What the server asked to be shown to the user, as its own words. */
static void
show_alerts (McResultView *self,
             McResult     *result)
{
  for (guint i = 0; i < result->alerts->len; i++)
    {
      McServerAlert *alert = g_ptr_array_index (result->alerts, i);
      GtkWidget *caption = gtk_label_new (alert->before_tls
                                          ? _("Message from the server (unencrypted, could be forged):")
                                          : _("Message from the server:"));
      GtkWidget *text = mc_plain_label_new (alert->text);

      gtk_label_set_xalign (GTK_LABEL (caption), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
      gtk_widget_add_css_class (caption, "caption-heading");
      if (alert->before_tls)
        gtk_widget_add_css_class (caption, "unencrypted-note");
      gtk_widget_set_name (text, "server-alert");
      gtk_widget_add_css_class (text, "server-text");
      gtk_box_append (GTK_BOX (self->alerts_box), caption);
      gtk_box_append (GTK_BOX (self->alerts_box), text);
    }
  gtk_widget_set_visible (self->alerts_box, result->alerts->len > 0);
}

/* A test that did not log in leads to the field that was missing. */
static void
show_login_button (McResultView *self,
                   McResult     *result)
{
  const char *field = NULL;

  if (mc_result_get_outcome (result) != MC_OUTCOME_LOGIN_NOT_TESTED)
    return;
  for (guint i = 0; i < result->advice->len; i++)
    {
      McAdvice *advice = g_ptr_array_index (result->advice, i);

      if (g_str_equal (advice->code, "login-not-tested"))
        field = advice->field != NULL ? advice->field : "email";
    }
  if (g_strcmp0 (field, "password") == 0)
    set_verdict_button (self, _("Enter Pass_word"), "password");
  else if (field != NULL)
    set_verdict_button (self, _("Enter E-_mail Address"), "email");
}

/* The advice and the card for the program: they follow the program chosen,
 * and are built again when it changes. */
static void
show_advice (McResultView *self)
{
  McResult *result = self->result;

  mc_rows_clear (self->advice_group, self->advice_rows);
  mc_rows_clear (self->client_group, self->client_rows);
  for (guint i = 0; i < result->advice->len; i++)
    {
      GtkWidget *row = advice_row_new (self, g_ptr_array_index (result->advice, i), i);

      mc_rows_add (self->advice_group, self->advice_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->advice_group), result->advice->len > 0);

  if (self->client != NULL && mc_client_card_wanted (result))
    mc_client_card_fill (self->client_group, self->client_rows, self->client, result);
  gtk_widget_set_visible (GTK_WIDGET (self->client_group), self->client_rows->len > 0);
}

/**
 * mc_result_view_set_client:
 * @client: (nullable): the customer's mail program
 *
 * The advice on show says its steps in @client's words, and a test that
 * worked lists what to enter there; a change applies at once.
 */
void
mc_result_view_set_client (McResultView   *self,
                           const McClient *client)
{
  g_return_if_fail (MC_IS_RESULT_VIEW (self));

  if (self->client == client)
    return;
  self->client = client;
  if (self->result != NULL && !self->outdated && !self->running)
    show_advice (self);
}

const McClient *
mc_result_view_get_client (McResultView *self)
{
  g_return_val_if_fail (MC_IS_RESULT_VIEW (self), NULL);
  return self->client;
}

void
mc_result_view_show_result (McResultView *self,
                            McResult     *result)
{
  const char *icon_name;
  const char *style_class;

  g_return_if_fail (MC_IS_RESULT_VIEW (self));
  g_return_if_fail (result != NULL);

  mc_result_view_reset (self);
  self->result = mc_result_ref (result);

  switch (mc_result_get_outcome (result))
    {
    case MC_OUTCOME_WORKS:
      icon_name = "emblem-ok-symbolic";
      style_class = "success";
      break;
    case MC_OUTCOME_WORKS_WITH_WARNINGS:
      icon_name = "dialog-warning-symbolic";
      style_class = "warning";
      break;
    case MC_OUTCOME_LOGIN_NOT_TESTED:
      /* Neutral: reachable is not "works". */
      icon_name = "dialog-information-symbolic";
      style_class = "neutral";
      break;
    case MC_OUTCOME_FAILED:
    default:
      icon_name = "dialog-error-symbolic";
      style_class = "error";
      break;
    }

  show_verdict (self, style_class, icon_name, mc_result_get_headline (result));
  /* A passed test over TLS invites the wrong conclusion that mail is now private. */
  gtk_widget_set_visible (self->e2e_box,
                          result->verdict != MC_VERDICT_FAILED && result->tls_version != NULL);
  show_alerts (self, result);
  show_login_button (self, result);

  show_advice (self);

  for (guint i = 0; i < result->steps->len; i++)
    mc_result_view_update_step (self, i, g_ptr_array_index (result->steps, i));
  gtk_widget_set_visible (GTK_WIDGET (self->steps_group), result->steps->len > 0);

  if (result->certificate != NULL)
    show_certificate (self, result);
  if (result->tls_version != NULL)
    add_detail_expander (self, "encryption", _("Encryption"), result->tls_version, fill_encryption);
  if (result->caps_before->len > 0 || result->caps_after->len > 0)
    add_detail_expander (self, "capabilities", _("Capabilities"), _("What the server says it supports"),
                         fill_capabilities);
  if (result->transcript->len > 0)
    add_detail_expander (self, "transcript", _("Transcript"),
                         _("The conversation with the server; passwords are hidden"), fill_transcript);
  gtk_widget_set_visible (GTK_WIDGET (self->details_group), self->detail_rows->len > 0);

  update_report_actions (self);
}

void
mc_result_view_show_error (McResultView *self,
                           const char   *message)
{
  g_return_if_fail (MC_IS_RESULT_VIEW (self));

  mc_result_view_reset (self);
  show_verdict (self, "error", "dialog-error-symbolic", message);
}

/**
 * mc_result_view_show_cancelled:
 *
 * The user stopped the running test: the steps it did so far stay, the one
 * that ran is marked as not finished, and the verdict says what happened.
 */
void
mc_result_view_show_cancelled (McResultView *self)
{
  g_autoptr(GPtrArray) steps = NULL;

  g_return_if_fail (MC_IS_RESULT_VIEW (self));

  steps = g_steal_pointer (&self->steps_so_far);
  self->steps_so_far = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_step_free);
  mc_result_view_reset (self);
  show_verdict (self, "neutral", "process-stop-symbolic", _("Test cancelled"));
  set_verdict_button (self, _("Test A_gain"), NULL);

  for (guint i = 0; i < steps->len; i++)
    {
      McStep *step = g_ptr_array_index (steps, i);

      if (step == NULL)
        continue;
      if (step->status == MC_STEP_STATUS_RUNNING)
        {
          step->status = MC_STEP_STATUS_SKIPPED;
          g_free (step->summary);
          step->summary = g_strdup (_("Cancelled before this step finished."));
        }
      mc_result_view_update_step (self, i, step);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->steps_group), steps->len > 0);
}

/**
 * mc_result_view_set_outdated:
 *
 * A field the shown result depends on changed: the verdict and the advice no
 * longer hold, so they give way to a neutral line with a way to test again,
 * and the steps stay, dimmed, as those of the last test.
 */
void
mc_result_view_set_outdated (McResultView *self,
                             gboolean      outdated)
{
  g_return_if_fail (MC_IS_RESULT_VIEW (self));

  if (self->outdated == !!outdated || self->result == NULL || self->running)
    return;
  self->outdated = !!outdated;

  if (!self->outdated)
    {
      g_autoptr(McResult) result = mc_result_ref (self->result);

      mc_result_view_show_result (self, result);
      return;
    }

  show_verdict (self, "neutral", "view-refresh-symbolic",
                _("Settings changed since the last test — test again to check them."));
  set_verdict_button (self, _("Test A_gain"), NULL);
  clear_alerts (self);
  mc_rows_clear (self->advice_group, self->advice_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->advice_group), FALSE);
  mc_rows_clear (self->client_group, self->client_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->client_group), FALSE);
  adw_preferences_group_set_title (self->steps_group, _("Last Test (with the Old Settings)"));
  gtk_widget_add_css_class (GTK_WIDGET (self->steps_group), "outdated");
}

gboolean
mc_result_view_get_outdated (McResultView *self)
{
  g_return_val_if_fail (MC_IS_RESULT_VIEW (self), FALSE);
  return self->outdated;
}

/* After a test: the verdict gets the focus, so keyboard and screen reader
 * users land on what the test found. */
void
mc_result_view_focus_verdict (McResultView *self)
{
  g_return_if_fail (MC_IS_RESULT_VIEW (self));

  if (gtk_widget_get_visible (self->verdict_box))
    gtk_widget_grab_focus (self->verdict_box);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  McResultView *self = MC_RESULT_VIEW (widget);
  g_autofree char *text = NULL;

  if (self->result == NULL)
    return;

  text = mc_report_export_text (self->result, self->client);
  mc_widget_copy_report (widget, text);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(McResultView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mc_report_export_save_finish (G_FILE (object), result, &error))
    {
      g_autofree char *title = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is the system's error message */
      title = g_strdup_printf (_("Could not save the report: %s"), error->message);
      mc_widget_add_toast (GTK_WIDGET (self), title);
      return;
    }

  mc_widget_add_toast (GTK_WIDGET (self), _("Report saved"));
}

/**
 * mc_result_view_save_report:
 * @json: JSON for support instead of text
 *
 * Writes the report of the result on show to @file; a toast says how it went.
 */
void
mc_result_view_save_report (McResultView *self,
                            GFile        *file,
                            gboolean      json)
{
  g_return_if_fail (MC_IS_RESULT_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->result == NULL)
    return;
  mc_report_export_save_async (self->result, self->client, file, json, self->cancellable,
                               save_done_cb, g_object_ref (self));
}

static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  McResultView    *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *basename = NULL;
  GtkFileFilter *filter;
  gboolean json;

  if (response == GTK_RESPONSE_ACCEPT && self->result != NULL &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      basename = g_file_get_basename (file);
      filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
      json = g_str_has_suffix (basename, ".json") ||
             (!g_str_has_suffix (basename, ".txt") && filter != NULL &&
              g_strcmp0 (g_object_get_data (G_OBJECT (filter), "format"), "json") == 0);
      mc_result_view_save_report (self, file, json);
    }

  g_clear_object (&self->save_dialog);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  McResultView *self = MC_RESULT_VIEW (widget);
  g_autofree char *name = NULL;
  GtkFileFilter *filter;

  if (self->result == NULL || self->save_dialog != NULL)
    return;

  self->save_dialog = mc_file_dialog_new (widget, _("Save Report"),
                                          GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  /* The filter chosen says the format of a name without .txt or .json. */
  filter = mc_file_dialog_add_filter (self->save_dialog, _("Text Report (.txt)"), "txt");
  g_object_set_data (G_OBJECT (filter), "format", (gpointer)"text");
  filter = mc_file_dialog_add_filter (self->save_dialog, _("JSON for Support (.json)"), "json");
  g_object_set_data (G_OBJECT (filter), "format", (gpointer)"json");

  name = g_strdup_printf ("mail-check-%s.txt", mc_protocol_to_string (self->result->protocol));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->save_dialog), name);

  g_signal_connect_object (self->save_dialog, "response", G_CALLBACK (on_save_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_dialog));
}

McResult *
mc_result_view_get_result (McResultView *self)
{
  g_return_val_if_fail (MC_IS_RESULT_VIEW (self), NULL);
  return self->result;
}

gboolean
mc_result_view_get_running (McResultView *self)
{
  g_return_val_if_fail (MC_IS_RESULT_VIEW (self), FALSE);
  return self->running;
}

/* The headline on screen, or NULL before any test. */
const char *
mc_result_view_get_verdict_text (McResultView *self)
{
  g_return_val_if_fail (MC_IS_RESULT_VIEW (self), NULL);
  if (!gtk_widget_get_visible (self->verdict_box))
    return NULL;
  return gtk_label_get_text (self->verdict_label);
}

guint
mc_result_view_get_n_steps (McResultView *self)
{
  g_return_val_if_fail (MC_IS_RESULT_VIEW (self), 0);
  return self->step_rows->len;
}

McStepRow *
mc_result_view_get_step_row (McResultView *self,
                             guint         index)
{
  g_return_val_if_fail (MC_IS_RESULT_VIEW (self), NULL);
  g_return_val_if_fail (index < self->step_rows->len, NULL);
  return g_ptr_array_index (self->step_rows, index);
}

guint
mc_result_view_get_n_advice (McResultView *self)
{
  g_return_val_if_fail (MC_IS_RESULT_VIEW (self), 0);
  return self->advice_rows->len;
}

GtkWidget *
mc_result_view_get_advice_row (McResultView *self,
                               guint         index)
{
  g_return_val_if_fail (MC_IS_RESULT_VIEW (self), NULL);
  g_return_val_if_fail (index < self->advice_rows->len, NULL);
  return g_ptr_array_index (self->advice_rows, index);
}

/* The transcript's text as laid out, or NULL while its row was never opened. */
char *
mc_result_view_get_transcript_text (McResultView *self)
{
  GtkWidget *expander;
  GtkTextView *view;
  GtkTextIter start, end;

  g_return_val_if_fail (MC_IS_RESULT_VIEW (self), NULL);

  expander = mc_result_view_get_detail_row (self, "transcript");
  view = expander != NULL ? g_object_get_data (G_OBJECT (expander), "mc-transcript-view") : NULL;
  if (view == NULL)
    return NULL;
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
  return gtk_text_buffer_get_text (gtk_text_view_get_buffer (view), &start, &end, FALSE);
}

/* @name: "certificate", "encryption", "capabilities" or "transcript" */
GtkWidget *
mc_result_view_get_detail_row (McResultView *self,
                               const char   *name)
{
  g_return_val_if_fail (MC_IS_RESULT_VIEW (self), NULL);
  return mc_rows_find (self->detail_rows, name);
}

gboolean
mc_result_view_get_e2e_note_visible (McResultView *self)
{
  g_return_val_if_fail (MC_IS_RESULT_VIEW (self), FALSE);
  return gtk_widget_get_visible (self->verdict_box) && gtk_widget_get_visible (self->e2e_box);
}

static void
mc_result_view_dispose (GObject *object)
{
  McResultView *self = (McResultView *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->save_dialog != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->save_dialog));
  g_clear_object (&self->save_dialog);
  gtk_widget_dispose_template (GTK_WIDGET (self), MC_TYPE_RESULT_VIEW);

  G_OBJECT_CLASS (mc_result_view_parent_class)->dispose (object);
}

static void
mc_result_view_finalize (GObject *object)
{
  McResultView *self = (McResultView *)object;

  g_clear_pointer (&self->result, mc_result_unref);
  g_clear_pointer (&self->step_rows, g_ptr_array_unref);
  g_clear_pointer (&self->advice_rows, g_ptr_array_unref);
  g_clear_pointer (&self->client_rows, g_ptr_array_unref);
  g_clear_pointer (&self->detail_rows, g_ptr_array_unref);
  g_clear_pointer (&self->steps_so_far, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mc_result_view_parent_class)->finalize (object);
}

static void
mc_result_view_class_init (McResultViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mc_result_view_dispose;
  object_class->finalize = mc_result_view_finalize;

  /**
   * McResultView::apply-fix:
   * @advice: the McAdvice whose fix the user chose
   */
  signals[APPLY_FIX] =
    g_signal_new ("apply-fix",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MC_TYPE_ADVICE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * McResultView::focus-field:
   * @field: the form field to go to: "password", "email", …
   */
  signals[FOCUS_FIELD] =
    g_signal_new ("focus-field",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/de/netzprisma/MailCheck/ui/mc-result-view.ui");
  gtk_widget_class_bind_template_child (widget_class, McResultView, empty_status);
  gtk_widget_class_bind_template_child (widget_class, McResultView, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, McResultView, verdict_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, McResultView, verdict_spinner);
  gtk_widget_class_bind_template_child (widget_class, McResultView, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, McResultView, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, McResultView, alerts_box);
  gtk_widget_class_bind_template_child (widget_class, McResultView, verdict_button);
  gtk_widget_class_bind_template_child (widget_class, McResultView, e2e_box);
  gtk_widget_class_bind_template_callback (widget_class, on_verdict_button_clicked);
  gtk_widget_class_bind_template_child (widget_class, McResultView, steps_group);
  gtk_widget_class_bind_template_child (widget_class, McResultView, advice_group);
  gtk_widget_class_bind_template_child (widget_class, McResultView, client_group);
  gtk_widget_class_bind_template_child (widget_class, McResultView, details_group);
  gtk_widget_class_bind_template_child (widget_class, McResultView, report_box);

  gtk_widget_class_install_action (widget_class, "result.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "result.save", NULL, save_action);
}

static void
mc_result_view_init (McResultView *self)
{
  self->step_rows = g_ptr_array_new ();
  self->advice_rows = g_ptr_array_new ();
  self->client_rows = g_ptr_array_new ();
  self->detail_rows = g_ptr_array_new ();
  self->steps_so_far = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_step_free);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  update_report_actions (self);
}
