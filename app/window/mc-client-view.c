/* mc-client-view.c
 *
 * What the engine's catalogue says for the customer's mail program, as
 * widgets: the steps that carry out one advice, and the card of values to
 * enter once a test worked. The sentences and labels come from mc-clients;
 * this file only lays them out. The program's labels are set as plain text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-client-view"

#include "config.h"

#include <glib/gi18n.h>

#include "mc-client-view.h"
#include "mc-provider.h"
#include "mc-widgets.h"

/* The program's labels name settings such as “SSL/TLS”: kept whole on a line. */
static GtkWidget *
wrapping_label_new (const char *text)
{
  GtkWidget *label = mc_plain_label_new (text);

  mc_label_keep_terms_whole (GTK_LABEL (label));
  return label;
}

static char *
steps_caption (const McClient *client)
{
  if (g_str_equal (mc_client_get_id (client), "other"))
    return g_strdup (_("In your mail program:"));
  /* Translators: %s is the name of a mail program, e.g. Thunderbird; the steps follow */
  return g_strdup_printf (_("In %s:"), mc_client_get_name (client));
}

/**
 * mc_client_steps_new:
 *
 * The steps in @client's words that carry out @advice's fix, numbered, under
 * a caption that names the program.
 *
 * Returns: (transfer floating) (nullable): NULL when the advice names no fix
 *   or the program has no steps for it
 */
GtkWidget *
mc_client_steps_new (const McClient *client,
                     McResult       *result,
                     const McAdvice *advice)
{
  g_auto(GStrv) steps = NULL;
  g_autofree char *caption_text = NULL;
  GtkWidget *box;
  GtkWidget *caption;
  GtkWidget *grid;
  gboolean numbered;

  g_return_val_if_fail (client != NULL && result != NULL && advice != NULL, NULL);

  steps = mc_client_steps_for_advice (client, result, advice);
  /* A program without this protocol: no steps, but the sentence that says so. */
  if (steps == NULL && mc_advice_has_fix (advice) &&
      !mc_client_supports_protocol (client, result->protocol))
    steps = mc_client_describe_place (client, result->protocol);
  if (steps == NULL || steps[0] == NULL)
    return NULL;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_name (box, "client-steps");
  gtk_widget_add_css_class (box, "client-steps");

  caption_text = steps_caption (client);
  caption = wrapping_label_new (caption_text);
  gtk_widget_add_css_class (caption, "caption-heading");
  gtk_box_append (GTK_BOX (box), caption);

  numbered = steps[1] != NULL;
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  for (guint i = 0; steps[i] != NULL; i++)
    {
      GtkWidget *text = wrapping_label_new (steps[i]);

      gtk_widget_set_hexpand (text, TRUE);
      gtk_grid_attach (GTK_GRID (grid), text, 1, i, 1, 1);
      /* One sentence is no list. */
      if (numbered)
        {
          /* Translators: the number in front of one step of a list, e.g. "1." */
          g_autofree char *number_text = g_strdup_printf (_("%u."), i + 1);
          GtkWidget *number = gtk_label_new (number_text);

          gtk_label_set_xalign (GTK_LABEL (number), 1.0f);
          gtk_label_set_yalign (GTK_LABEL (number), 0.0f);
          gtk_widget_add_css_class (number, "numeric");
          gtk_grid_attach (GTK_GRID (grid), number, 0, i, 1, 1);
        }
    }
  gtk_box_append (GTK_BOX (box), grid);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption, NULL, -1);
  return box;
}

/* The card only repeats settings that are right: after a test that worked
 * with encryption and asks for no change. */
gboolean
mc_client_card_wanted (McResult *result)
{
  McOutcome outcome;

  g_return_val_if_fail (result != NULL, FALSE);

  outcome = mc_result_get_outcome (result);
  if (outcome != MC_OUTCOME_WORKS && outcome != MC_OUTCOME_WORKS_WITH_WARNINGS)
    return FALSE;
  if (result->security == MC_SECURITY_NONE)
    return FALSE;
  for (guint i = 0; i < result->advice->len; i++)
    {
      if (mc_advice_has_fix (g_ptr_array_index (result->advice, i)))
        return FALSE;
    }
  return TRUE;
}

static void
on_copy_clicked (GtkButton *button)
{
  const char *value = g_object_get_data (G_OBJECT (button), "value");
  g_autofree char *toast = NULL;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), value);
  /* Translators: a toast after a copy button; %s is what was copied, e.g. the server's name */
  toast = g_strdup_printf (_("Copied: %s"), value);
  mc_widget_add_toast (GTK_WIDGET (button), toast);
}

static const char *
field_name (McClientField field)
{
  static const char *names[MC_CLIENT_N_FIELDS] = { "server", "port", "security", "user", "auth" };

  return field < MC_CLIENT_N_FIELDS ? names[field] : "field";
}

static char *
quoted_if (const char *text,
           gboolean    is_quote)
{
  if (!is_quote)
    return g_strdup (text);
  /* Translators: a label of the customer's mail program inside one of our
   * sentences; %s is the label as the program shows it */
  return g_strdup_printf (C_("mail program label", "“%s”"), text);
}

static GtkWidget *
copy_button_new (const char *label,
                 const char *value)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  /* Translators: accessible name of a copy button; %s is the field, e.g. “Server” */
  g_autofree char *accessible = g_strdup_printf (_("Copy %s"), label);

  gtk_widget_set_name (button, "copy-button");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Copy"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (button), "value", g_strdup (value), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_copy_clicked), NULL);
  return button;
}

static GtkWidget *
dim_label_new (const char *text)
{
  GtkWidget *label = wrapping_label_new (text);

  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* One value to enter: the program's name for the field above, the value in
 * large type below it, where it is and what to mind in small type; a copy
 * button for what is typed in. */
static GtkWidget *
entry_row_new (const McClientEntry *entry)
{
  g_autofree char *label = quoted_if (entry->label, entry->label_is_quote);
  g_autofree char *value_text = quoted_if (entry->value, entry->value_is_quote);
  GtkWidget *row = mc_plain_row_new (label);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *value = wrapping_label_new (value_text);

  gtk_widget_set_name (row, field_name (entry->field));
  /* Tab goes to the copy buttons, not to rows that do nothing. */
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (box, "fact-row");

  gtk_box_append (GTK_BOX (texts), dim_label_new (label));
  gtk_widget_set_name (value, "value");
  gtk_widget_add_css_class (value, "client-value");
  gtk_box_append (GTK_BOX (texts), value);
  if (entry->place != NULL)
    {
      /* Translators: under a setting in “Enter This in …”: where the program keeps it;
       * %s is a menu path such as “File” → “Account Settings” */
      g_autofree char *place = g_strdup_printf (_("In: %s"), entry->place);

      gtk_box_append (GTK_BOX (texts), dim_label_new (place));
    }
  if (entry->note != NULL)
    {
      GtkWidget *note = wrapping_label_new (entry->note);

      gtk_widget_add_css_class (note, "caption");
      gtk_box_append (GTK_BOX (texts), note);
    }
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (box), texts);
  if (entry->typed)
    gtk_box_append (GTK_BOX (box), copy_button_new (label, entry->value));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, value, NULL, -1);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

/**
 * mc_client_card_fill:
 * @rows: receives the rows added to @group, to remove them again
 *
 * "Enter this in <program>": where the settings are, then one row per value
 * as the program names it, with copy buttons for what is typed in.
 */
void
mc_client_card_fill (AdwPreferencesGroup *group,
                     GPtrArray           *rows,
                     const McClient      *client,
                     McResult            *result)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(GStrv) place = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));
  g_return_if_fail (client != NULL && result != NULL);

  if (g_str_equal (mc_client_get_id (client), "other"))
    title = g_strdup (_("Enter This in Your Mail Program"));
  else
    /* Translators: heading of the settings to enter after a test that worked;
     * %s is the name of a mail program, e.g. Thunderbird */
    title = g_strdup_printf (_("Enter This in %s"), mc_client_get_name (client));
  adw_preferences_group_set_title (group, title);

  place = mc_client_describe_place (client, result->protocol);
  description = place != NULL ? g_strjoinv (" ", place) : NULL;
  adw_preferences_group_set_description (group, description);

  entries = mc_client_describe_settings (client, result->protocol, result->host, result->port,
                                         result->security, result->user);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    mc_rows_add (group, rows, entry_row_new (g_ptr_array_index (entries, i)));
}

static const McClientEntry *
find_entry (GPtrArray     *entries,
            McClientField  field)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const McClientEntry *entry = g_ptr_array_index (entries, i);

      if (entry->field == field)
        return entry;
    }
  return NULL;
}

/* One protocol's choice: the encryption option by the program's name, and the
 * port, with what the program says about them. */
static void
append_choice (GtkBox         *box,
               const McClient *client,
               McProtocol      protocol,
               const McEndpoint *endpoint)
{
  const McProvider *provider = mc_provider_get_default ();
  g_autoptr(GPtrArray) entries = mc_client_describe_settings (client, protocol, mc_provider_get_server (provider),
                                                              endpoint->port, endpoint->security, NULL);
  const McClientEntry *security = find_entry (entries, MC_CLIENT_FIELD_SECURITY);
  const McClientEntry *port = find_entry (entries, MC_CLIENT_FIELD_PORT);
  g_autofree char *security_text = NULL;
  g_autofree char *line = NULL;
  GtkWidget *label;

  if (security == NULL)
    return;
  security_text = mc_client_entry_to_string (security);
  if (port != NULL)
    {
      g_autofree char *port_text = mc_client_entry_to_string (port);

      /* Translators: what to choose for one protocol in the customer's mail program;
       * %1$s is POP3, IMAP or SMTP, %2$s the encryption setting and its option, %3$s the port setting */
      line = g_strdup_printf (_("%1$s — %2$s, %3$s"), mc_protocol_display_name (protocol), security_text, port_text);
    }
  else
    /* Translators: %1$s is POP3, IMAP or SMTP, %2$s the encryption setting and its option */
    line = g_strdup_printf (_("%1$s — %2$s"), mc_protocol_display_name (protocol), security_text);

  label = wrapping_label_new (line);
  gtk_widget_set_name (label, mc_protocol_to_string (protocol));
  gtk_box_append (box, label);
  for (const McClientEntry *entry = security; entry != NULL; entry = entry == security ? port : NULL)
    {
      if (entry->note != NULL)
        {
          GtkWidget *note = wrapping_label_new (entry->note);

          gtk_widget_add_css_class (note, "caption");
          gtk_widget_set_margin_start (note, 12);
          gtk_box_append (box, note);
        }
    }
}

/**
 * mc_client_choices_fill:
 * @box: emptied, then filled
 *
 * For the help page: what to choose in @client for each protocol it has, at
 * the settings the provider recommends.
 */
void
mc_client_choices_fill (GtkBox         *box,
                        const McClient *client)
{
  const McProvider *provider = mc_provider_get_default ();
  GtkWidget *child;

  g_return_if_fail (GTK_IS_BOX (box));
  g_return_if_fail (client != NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      McEndpoint endpoint;

      if (mc_client_supports_protocol (client, protocol) &&
          mc_provider_get_recommended (provider, protocol, &endpoint))
        append_choice (box, client, protocol, &endpoint);
    }
}
