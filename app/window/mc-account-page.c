/* mc-account-page.c
 *
 * The page shows an McAccountForm: its rows are bound to the form's properties
 * both ways, and every rule between the fields lives in the form. The page runs
 * one McCheck (or one search for working settings) at a time and hands every
 * step and the result to its views; a result stays true for what the form
 * says, or says that it is outdated. It has no protocol knowledge.
 *
 * The test and the search run in mc-account-page-run.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-account-page"

#include "config.h"

#include <glib/gi18n.h>

#include "mc-account-page-private.h"
#include "mc-provider.h"
#include "mc-widgets.h"

G_DEFINE_FINAL_TYPE (McAccountPage, mc_account_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROTOCOL,
  PROP_FORM,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  USE_SETTINGS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The row of a field (the form's property name), or of what an advice names. */
static GtkWidget *
field_widget (McAccountPage *self,
              const char    *field)
{
  if (field == NULL)
    return NULL;
  if (g_str_equal (field, "address"))
    return GTK_WIDGET (self->email_row);
  if (g_str_equal (field, "mail-program"))
    return GTK_WIDGET (self->client_row);
  if (g_str_equal (field, "test"))
    return GTK_WIDGET (self->test_button);
  for (guint i = 0; i < self->field_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->field_rows, i);

      if (g_str_equal (gtk_widget_get_name (row), field) && mc_account_form_has_field (self->form, field))
        return row;
    }
  return NULL;
}

/* The rows an input error can be about; the one in error is marked as such. */
static void
mark_field_in_error (McAccountPage *self,
                     const char    *field)
{
  GtkWidget *marked = field_widget (self, field);

  for (guint i = 0; i < self->field_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->field_rows, i);

      if (row == marked)
        gtk_widget_add_css_class (row, "error");
      else
        gtk_widget_remove_css_class (row, "error");
    }
}

/* What the engine can tell before anything is sent, one row per finding; an
 * input error stands alone, beside the fields, while it lasts. */
void
_mc_account_page_update_hints (McAccountPage *self)
{
  GPtrArray *hints = mc_account_form_get_hints (self->form);
  const char *field = NULL;

  if (self->test_error != NULL)
    {
      g_autoptr(GPtrArray) with_error = g_ptr_array_new ();

      g_ptr_array_add (with_error, self->test_error);
      mc_hint_list_update (self->hint_list, with_error);
      mark_field_in_error (self, self->test_error->field);
      return;
    }

  mc_account_form_get_input_error (self->form, &field);
  mc_hint_list_update (self->hint_list, hints);
  mark_field_in_error (self, field);
}

static void
update_state (McAccountPage *self)
{
  gboolean editable = _mc_account_page_editable (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->account_group), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_group), editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.test", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.detect", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.use-provider",
                                 editable && mc_account_form_get_provider_offered (self->form));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.cancel", self->running);
  /* Cancel takes the place of the search button: stacked, both fit 360 px in every language. */
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->detect_button), !self->running);
}

void
_mc_account_page_set_running (McAccountPage *self,
                              gboolean       running)
{
  if (self->running == running)
    return;

  self->running = running;
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* Any change of a field a result depends on makes it outdated at once; the
 * error from the last click goes as soon as a field changes. */
static void
on_form_revision (McAccountPage *self)
{
  g_clear_pointer (&self->test_error, mc_advice_free);
  if (mc_result_view_get_result (self->result_view) != NULL &&
      mc_account_form_get_revision (self->form) != self->tested_revision)
    mc_result_view_set_outdated (self->result_view, TRUE);
}

/* A search found settings for one server name: another name makes it stale. */
static void
on_form_host (McAccountPage *self)
{
  if (self->detect_view != NULL && !self->detecting)
    _mc_account_page_show_result_view (self);
}

static void
on_use_detected (McAccountPage *self,
                 McResult      *probe)
{
  const char *host = mc_detect_view_get_host (self->detect_view);

  /* The window owns the other pages; it applies the settings to the right one. */
  g_signal_emit (self, signals[USE_SETTINGS], 0, probe->protocol, host, (guint)probe->port, probe->security);
}

static void
on_detect_use_host (McAccountPage *self,
                    const char    *host)
{
  McAdvice fix = { .fix_security = -1, .fix_host = (char *)host };

  if (!_mc_account_page_editable (self))
    return;
  mc_account_form_apply_fix (self->form, &fix);
  gtk_widget_grab_focus (GTK_WIDGET (self->host_row));
}

/* Most people never search: the table of probes is built the first time. */
static McDetectView *
ensure_detect_view (McAccountPage *self)
{
  if (self->detect_view == NULL)
    {
      self->detect_view = g_object_new (MC_TYPE_DETECT_VIEW, "visible", FALSE, "name", "detect-view", NULL);
      g_signal_connect_swapped (self->detect_view, "use-settings", G_CALLBACK (on_use_detected), self);
      g_signal_connect_swapped (self->detect_view, "use-host", G_CALLBACK (on_detect_use_host), self);
      gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->button_box)),
                                  GTK_WIDGET (self->detect_view), self->button_box);
    }
  return self->detect_view;
}

/* The test's result and the search's table share the place below the buttons:
 * the one shown is the one that ran last, and the other one is emptied. */
void
_mc_account_page_show_result_view (McAccountPage *self)
{
  if (self->detect_view != NULL)
    {
      mc_detect_view_reset (self->detect_view);
      gtk_widget_set_visible (GTK_WIDGET (self->detect_view), FALSE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->result_view), TRUE);
}

/* Returns: (transfer none): the search's table, shown, for the caller to fill */
McDetectView *
_mc_account_page_show_detect_view (McAccountPage *self)
{
  mc_result_view_reset (self->result_view);
  gtk_widget_set_visible (GTK_WIDGET (self->result_view), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (ensure_detect_view (self)), TRUE);
  return self->detect_view;
}

static void
use_provider_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  McAccountPage *self = MC_ACCOUNT_PAGE (widget);

  if (!_mc_account_page_editable (self))
    return;
  mc_account_form_use_provider_settings (self->form);
}

static void
on_entry_activated (McAccountPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "page.test", NULL);
}

static void
on_hint_fix_requested (McHintList     *hint_list,
                       const McAdvice *fix,
                       McAccountPage  *self)
{
  if (!_mc_account_page_editable (self))
    return;

  /* Focus moves to the field that changes, not into the void of a removed row. */
  if (fix->fix_host != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->host_row));
  else if (fix->fix_user != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->user_row));
  else if (fix->fix_port != 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->port_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->security_row));

  mc_account_form_apply_fix (self->form, fix);
}

/* A fix after a test is a click that asks for a test: it changes the form and
 * tests again at once, with the verdict kept in view. */
static void
on_result_fix (McAccountPage  *self,
               const McAdvice *fix)
{
  if (!_mc_account_page_editable (self))
    return;

  mc_account_form_apply_fix (self->form, fix);
  self->keep_verdict_in_view = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (self), "page.test", NULL);
}

static void
on_result_focus_field (McAccountPage *self,
                       const char    *field)
{
  mc_account_page_focus_field (self, field);
}

/* Settings found by a search: @host is the server that was searched. Its
 * spelling in the form is kept when it names the same server. */
void
mc_account_page_use_settings (McAccountPage *self,
                              const char    *host,
                              guint16        port,
                              McSecurity     security)
{
  g_autofree char *current = NULL;
  g_autofree char *wanted = NULL;
  McAdvice fix = { .fix_security = security, .fix_port = port };

  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));

  if (!_mc_account_page_editable (self))
    return;

  current = mc_host_normalize (mc_account_form_get_host (self->form), NULL, NULL);
  wanted = host != NULL ? mc_host_normalize (host, NULL, NULL) : NULL;
  if (wanted != NULL && g_strcmp0 (current, wanted) != 0)
    fix.fix_host = (char *)host;

  mc_account_form_apply_fix (self->form, &fix);
  mc_widget_add_toast (GTK_WIDGET (self), _("Settings changed. Test again to check them."));
  gtk_widget_grab_focus (GTK_WIDGET (self->test_button));
}

static void
label_editable (GtkWidget *row)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *label = NULL;
  GtkEditable *delegate;
  GString *plain = g_string_new (NULL);

  /* The accessible name is the title without its access-key underscore. */
  for (const char *p = title; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] != '_')
        continue;
      g_string_append_c (plain, *p);
    }
  label = g_string_free (plain, FALSE);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  if (GTK_IS_EDITABLE (row) && (delegate = gtk_editable_get_delegate (GTK_EDITABLE (row))) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (delegate), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* A combo row lists an enum's values in their declared order. */
static gboolean
enum_to_selected (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (G_VALUE_TYPE (from));

  for (guint i = 0; i < klass->n_values; i++)
    {
      if (klass->values[i].value == g_value_get_enum (from))
        {
          g_value_set_uint (to, i);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
selected_to_enum (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (G_VALUE_TYPE (to));
  guint selected = g_value_get_uint (from);

  if (selected >= klass->n_values)
    return FALSE;
  g_value_set_enum (to, klass->values[selected].value);
  return TRUE;
}

/* The program row lists the catalogue in its order. */
static gboolean
client_to_selected (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  GPtrArray *clients = mc_client_list ();
  const char *id = g_value_get_string (from);

  for (guint i = 0; i < clients->len; i++)
    {
      if (g_strcmp0 (mc_client_get_id (g_ptr_array_index (clients, i)), id) == 0)
        {
          g_value_set_uint (to, i);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
selected_to_client (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  GPtrArray *clients = mc_client_list ();
  guint selected = g_value_get_uint (from);

  if (selected >= clients->len)
    return FALSE;
  g_value_set_string (to, mc_client_get_id (g_ptr_array_index (clients, selected)));
  return TRUE;
}

static void
fill_client_row (McAccountPage *self)
{
  GPtrArray *clients = mc_client_list ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i < clients->len; i++)
    gtk_string_list_append (names, mc_client_get_name (g_ptr_array_index (clients, i)));
  adw_combo_row_set_model (self->client_row, G_LIST_MODEL (names));
}

/* The advice on show follows the program at once: no new test needed. */
static void
on_form_client (McAccountPage *self)
{
  mc_result_view_set_client (self->result_view, mc_account_form_get_client (self->form));
}

/* An on/off row: its switch speaks with the row's words. */
static GtkWidget *
row_switch (GtkWidget *row)
{
  GtkWidget *toggle = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));

  if (!GTK_IS_SWITCH (toggle))
    return NULL;
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                  -1);
  return toggle;
}

/* Every field of the form (MC_ACCOUNT_FORM_FIELD) is bound to the row of its
 * name, by the row's kind; a field that is not this protocol's is hidden. */
static void
bind_field (McAccountPage *self,
            GParamSpec    *pspec)
{
  const GBindingFlags flags = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;
  GtkWidget *row = find_named (GTK_WIDGET (self->account_group), pspec->name);
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  GtkWidget *toggle = NULL;

  /* Only the form's two groups hold fields (the results have rows named
   * "port" or "user" too). */
  if (row == NULL)
    row = find_named (GTK_WIDGET (self->server_group), pspec->name);
  if (row == NULL)
    {
      g_critical ("The form's field “%s” has no row of that name", pspec->name);
      return;
    }
  if (GTK_IS_EDITABLE (row) && type == G_TYPE_STRING)
    g_object_bind_property (self->form, pspec->name, row, "text", flags);
  else if (ADW_IS_COMBO_ROW (row) && G_TYPE_IS_ENUM (type))
    g_object_bind_property_full (self->form, pspec->name, row, "selected", flags,
                                 enum_to_selected, selected_to_enum, NULL, NULL);
  else if (ADW_IS_ACTION_ROW (row) && type == G_TYPE_BOOLEAN && (toggle = row_switch (row)) != NULL)
    g_object_bind_property (self->form, pspec->name, toggle, "active", flags);
  else
    {
      g_critical ("The row “%s” cannot show its field", pspec->name);
      return;
    }
  if (toggle == NULL)
    label_editable (row);
  gtk_widget_set_visible (row, mc_account_form_has_field (self->form, pspec->name));
  g_ptr_array_add (self->field_rows, row);
}

static void
bind_rows (McAccountPage *self)
{
  const GBindingFlags flags = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;
  g_autofree GParamSpec **pspecs = NULL;
  guint n = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (self->form), &n);
  for (guint i = 0; i < n; i++)
    {
      if (pspecs[i]->flags & MC_ACCOUNT_FORM_FIELD)
        bind_field (self, pspecs[i]);
    }
  /* The program row lists the catalogue, and is the same on every page. */
  fill_client_row (self);
  label_editable (GTK_WIDGET (self->client_row));
  g_object_bind_property_full (self->form, "client", self->client_row, "selected", flags,
                               client_to_selected, selected_to_client, NULL, NULL);
}

static void
mc_account_page_constructed (GObject *object)
{
  McAccountPage *self = (McAccountPage *)object;
  const McProvider *provider = mc_provider_get_default ();

  G_OBJECT_CLASS (mc_account_page_parent_class)->constructed (object);

  self->form = mc_account_form_new (self->protocol);
  bind_rows (self);
  g_signal_connect_object (self->form, "notify::hints", G_CALLBACK (_mc_account_page_update_hints), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "notify::revision", G_CALLBACK (on_form_revision), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "notify::host", G_CALLBACK (on_form_host), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "notify::client", G_CALLBACK (on_form_client), self,
                           G_CONNECT_SWAPPED);
  on_form_client (self);

  if (mc_account_form_get_provider_offered (self->form))
    {
      g_autofree char *label = NULL;
      g_autofree char *tooltip = NULL;

      /* Translators: a button beside the heading “Server”; %s is the provider's name (Netzprisma).
       * The underscore marks the access key. Keep it short: at 360 px it shares a line with the heading */
      label = g_strdup_printf (_("Use %s Setti_ngs"), mc_provider_get_name (provider));
      /* Translators: %s is the provider's name (Netzprisma) */
      tooltip = g_strdup_printf (_("Fill in Server, Port and Security as %s recommends them"),
                                 mc_provider_get_name (provider));
      gtk_button_set_label (self->provider_button, label);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->provider_button), tooltip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->provider_button), mc_account_form_get_provider_offered (self->form));

  _mc_account_page_update_hints (self);
  update_state (self);
}

static void
mc_account_page_dispose (GObject *object)
{
  McAccountPage *self = (McAccountPage *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->scroll_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->scroller), self->scroll_tick);
      self->scroll_tick = 0;
    }
  if (self->check != NULL)
    g_signal_handlers_disconnect_by_data (self->check, self);
  g_clear_object (&self->check);
  g_clear_object (&self->cancellable);
  self->detecting = FALSE;
  self->detect_view = NULL;
  /* No gtk_widget_dispose_template(): AdwBin unparents its child itself, and a
   * second unparent of the bound scroller would touch a finalized widget. */

  G_OBJECT_CLASS (mc_account_page_parent_class)->dispose (object);
}

static void
mc_account_page_finalize (GObject *object)
{
  McAccountPage *self = (McAccountPage *)object;

  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->test_error, mc_advice_free);
  g_clear_pointer (&self->field_rows, g_ptr_array_unref);
  g_clear_object (&self->hint_list);
  g_clear_object (&self->form);

  G_OBJECT_CLASS (mc_account_page_parent_class)->finalize (object);
}

static void
mc_account_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  McAccountPage *self = MC_ACCOUNT_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL:
      g_value_set_enum (value, self->protocol);
      break;

    case PROP_FORM:
      g_value_set_object (value, self->form);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mc_account_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  McAccountPage *self = MC_ACCOUNT_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL:
      self->protocol = g_value_get_enum (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mc_account_page_class_init (McAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mc_account_page_constructed;
  object_class->dispose = mc_account_page_dispose;
  object_class->finalize = mc_account_page_finalize;
  object_class->get_property = mc_account_page_get_property;
  object_class->set_property = mc_account_page_set_property;

  properties[PROP_PROTOCOL] =
    g_param_spec_enum ("protocol", NULL, NULL,
                       MC_TYPE_PROTOCOL, MC_PROTOCOL_IMAP,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FORM] =
    g_param_spec_object ("form", NULL, NULL,
                         MC_TYPE_ACCOUNT_FORM,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * McAccountPage::use-settings:
   * @protocol: the page the settings are for
   * @host: the server name that was searched
   * @port: the port that worked
   * @security: the mode that worked
   *
   * The user chose settings found by a search, possibly for another page.
   */
  signals[USE_SETTINGS] =
    g_signal_new ("use-settings",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, MC_TYPE_PROTOCOL, G_TYPE_STRING, G_TYPE_UINT, MC_TYPE_SECURITY);

  gtk_widget_class_set_template_from_resource (widget_class, "/de/netzprisma/MailCheck/ui/mc-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, button_box);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, account_group);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, server_group);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, security_row);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, client_row);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, provider_button);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, detect_button);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, result_view);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_result_fix);
  gtk_widget_class_bind_template_callback (widget_class, on_result_focus_field);

  _mc_account_page_class_run_init (widget_class);
  gtk_widget_class_install_action (widget_class, "page.use-provider", NULL, use_provider_action);

  g_type_ensure (MC_TYPE_RESULT_VIEW);
  g_type_ensure (MC_TYPE_DETECT_VIEW);
}

static void
mc_account_page_init (McAccountPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->hint_list = mc_hint_list_new (self->server_group);
  g_signal_connect (self->hint_list, "fix-requested", G_CALLBACK (on_hint_fix_requested), self);

  self->field_rows = g_ptr_array_new ();
}

/**
 * mc_account_page_get_form:
 *
 * Returns: (transfer none): the form the page shows; its fields are the page's
 */
McAccountForm *
mc_account_page_get_form (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return self->form;
}

gboolean
mc_account_page_get_running (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), FALSE);
  return self->running;
}

/* Another page is testing: the shared address and password must not change under it. */
void
mc_account_page_set_blocked (McAccountPage *self,
                             gboolean       blocked)
{
  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));

  self->blocked = !!blocked;
  update_state (self);
}

/* For tests and support: trust exactly the CAs in @ca_file instead of the system store. */
void
mc_account_page_set_ca_file (McAccountPage *self,
                             const char    *ca_file)
{
  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

void
mc_account_page_set_timeout (McAccountPage *self,
                             guint          seconds)
{
  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));
  self->timeout = seconds;
}

/* @field: "email", "password", "user", "host", "port", "security" or "test". */
void
mc_account_page_focus_field (McAccountPage *self,
                             const char    *field)
{
  GtkWidget *widget;

  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));

  widget = field_widget (self, field);
  if (widget != NULL)
    gtk_widget_grab_focus (widget);
}

/* Where typing starts: the first field still empty, else the test button. */
void
mc_account_page_focus_first_empty (McAccountPage *self)
{
  const char *fields[] = { "email", "password", "host", "port" };
  const char *values[] = {
    mc_account_form_get_email (self->form), mc_account_form_get_password (self->form),
    mc_account_form_get_host (self->form), mc_account_form_get_port (self->form),
  };

  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (values[i] == NULL || values[i][0] == '\0')
        {
          mc_account_page_focus_field (self, fields[i]);
          return;
        }
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->test_button));
}
