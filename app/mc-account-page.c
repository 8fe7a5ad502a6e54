/* mc-account-page.c
 *
 * The page turns the form into an McSettings, runs one McCheck (or one search
 * for working settings) at a time and hands every step and the result to its
 * views. It has no protocol knowledge: defaults come from the provider profile,
 * hints from the engine's precheck, standard ports from the engine.
 *
 * This file holds the widget and the form's editing. The test and the search
 * run in mc-account-page-run.c, the getters for its parts are in
 * mc-account-page-accessors.c, what the fields mean to the engine is in
 * mc-account-form.c, and how they are remembered in mc-account-settings.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-account-page"

#include "config.h"

#include <glib/gi18n.h>

#include "mc-account-page-private.h"
#include "mc-account-settings.h"
#include "mc-provider.h"
#include "mc-settings.h"
#include "mc-widgets.h"

G_DEFINE_FINAL_TYPE (McAccountPage, mc_account_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROTOCOL,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  USE_SETTINGS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

McSecurity
mc_account_page_get_security (McAccountPage *self)
{
  guint selected;

  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), MC_SECURITY_TLS);

  /* The combo's items are in McSecurity order. */
  selected = adw_combo_row_get_selected (self->security_row);
  return selected <= MC_SECURITY_NONE ? (McSecurity)selected : MC_SECURITY_TLS;
}

void
mc_account_page_set_security (McAccountPage *self,
                              McSecurity     security)
{
  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));

  adw_combo_row_set_selected (self->security_row, security);
}

static guint16
standard_port (McAccountPage *self)
{
  return mc_default_port (self->protocol, mc_account_page_get_security (self));
}

static void
set_text_quietly (McAccountPage *self,
                  AdwEntryRow   *row,
                  const char    *text)
{
  self->updating++;
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  self->updating--;
}

static void
set_port_quietly (McAccountPage *self,
                  guint16        port)
{
  g_autofree char *text = g_strdup_printf ("%u", port);

  set_text_quietly (self, self->port_row, text);
}

/* The strings are borrowed from the rows: use @form before the next change. */
void
_mc_account_page_read_form (McAccountPage *self,
                            McAccountForm *form)
{
  form->protocol = self->protocol;
  form->email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  form->password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  form->user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  form->host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  form->port = gtk_editable_get_text (GTK_EDITABLE (self->port_row));
  form->security = mc_account_page_get_security (self);
}

/* What the engine can tell before anything is sent, one row per finding. */
static void
update_hint (McAccountPage *self)
{
  g_autoptr(GPtrArray) hints = NULL;
  McAccountForm form;

  _mc_account_page_read_form (self, &form);
  hints = mc_account_form_precheck (&form);
  mc_hint_list_update (self->hint_list, hints);
}

void
_mc_account_page_clear_input_error (McAccountPage *self)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->email_row), GTK_WIDGET (self->password_row), GTK_WIDGET (self->user_row),
    GTK_WIDGET (self->host_row), GTK_WIDGET (self->port_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (rows[i], "error");
  gtk_widget_set_visible (GTK_WIDGET (self->input_error_label), FALSE);
}

void
_mc_account_page_show_input_error (McAccountPage *self,
                                   const GError  *error)
{
  GtkWidget *row = NULL;

  _mc_account_page_clear_input_error (self);

  if (error->domain == MC_SETTINGS_ERROR)
    {
      switch ((McSettingsError)error->code)
        {
        case MC_SETTINGS_ERROR_INVALID_HOST:
          row = GTK_WIDGET (self->host_row);
          break;
        case MC_SETTINGS_ERROR_INVALID_PORT:
          row = GTK_WIDGET (self->port_row);
          break;
        case MC_SETTINGS_ERROR_INVALID_USER:
          row = GTK_WIDGET (self->user_row);
          break;
        case MC_SETTINGS_ERROR_INVALID_PASSWORD:
          row = GTK_WIDGET (self->password_row);
          break;
        case MC_SETTINGS_ERROR_INVALID_TIMEOUT:
        case MC_SETTINGS_ERROR_INVALID_CA_FILE:
        default:
          break;
        }
    }

  gtk_label_set_text (self->input_error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->input_error_label), TRUE);
  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_grab_focus (row);
    }
}

static void
update_state (McAccountPage *self)
{
  gboolean editable = !self->running && !self->blocked;

  gtk_widget_set_sensitive (GTK_WIDGET (self->account_group), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_group), editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.test", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.detect", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.use-provider",
                                 editable && gtk_widget_get_visible (GTK_WIDGET (self->provider_button)));
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

static void
on_use_detected (McAccountPage *self,
                 McResult      *probe)
{
  const char *host = mc_detect_view_get_host (self->detect_view);

  /* The window owns the other pages; it applies the settings to the right one. */
  g_signal_emit (self, signals[USE_SETTINGS], 0,
                 (guint)probe->protocol, host, (guint)probe->port, (int)probe->security);
}

/* Most people never search: the table of probes is built the first time. */
McDetectView *
_mc_account_page_ensure_detect_view (McAccountPage *self)
{
  if (self->detect_view == NULL)
    {
      self->detect_view = g_object_new (MC_TYPE_DETECT_VIEW, "visible", FALSE, NULL);
      g_signal_connect_swapped (self->detect_view, "use-settings", G_CALLBACK (on_use_detected), self);
      gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->button_box)),
                                  GTK_WIDGET (self->detect_view), self->button_box);
    }
  return self->detect_view;
}

static void apply_fix (McAccountPage *self,
                       const char    *host,
                       int            security,
                       guint16        port);

static void
use_provider_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  McAccountPage *self = MC_ACCOUNT_PAGE (widget);
  const char *host;
  McEndpoint endpoint;

  if (self->running || self->blocked ||
      !mc_account_form_get_provider_defaults (self->protocol, &host, &endpoint))
    return;

  apply_fix (self, host, endpoint.security, endpoint.port);
}

static void
on_entry_activated (McAccountPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "page.test", NULL);
}

static void
on_email_changed (McAccountPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->email_row), "error");
  if (!self->user_custom)
    set_text_quietly (self, self->user_row, gtk_editable_get_text (GTK_EDITABLE (self->email_row)));
  update_hint (self);
}

static void
on_user_changed (McAccountPage *self)
{
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));

  gtk_widget_remove_css_class (GTK_WIDGET (self->user_row), "error");
  if (self->updating)
    return;

  /* Emptying the field, or typing the address, makes it follow the address again. */
  self->user_custom = user[0] != '\0' &&
                      !g_str_equal (user, gtk_editable_get_text (GTK_EDITABLE (self->email_row)));
  update_hint (self);
}

static void
on_host_changed (McAccountPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->host_row), "error");
  update_hint (self);
}

static void
on_port_changed (McAccountPage *self)
{
  McAccountForm form;

  gtk_widget_remove_css_class (GTK_WIDGET (self->port_row), "error");
  if (!self->updating)
    {
      _mc_account_page_read_form (self, &form);
      self->port_custom = mc_account_form_port_is_custom (&form);
    }
  update_hint (self);
}

static void
on_security_changed (McAccountPage *self)
{
  /* Like a good mail program: follow the mode with the port, unless the user chose one. */
  if (!self->port_custom)
    set_port_quietly (self, standard_port (self));
  update_hint (self);
}

/* Changes exactly what is given (NULL / -1 / 0 leave a field as it is). A port
 * that ends up being the standard one follows the security again. */
static void
apply_fix (McAccountPage *self,
           const char    *host,
           int            security,
           guint16        port)
{
  McAccountForm form;

  if (host != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->host_row), host);
  if (security >= 0 && security <= MC_SECURITY_NONE)
    mc_account_page_set_security (self, security);
  if (port != 0)
    set_port_quietly (self, port);

  _mc_account_page_read_form (self, &form);
  self->port_custom = mc_account_form_port_is_custom (&form);
  update_hint (self);
}

static void
on_hint_fix_requested (McHintList    *hint_list,
                       const char    *host,
                       int            security,
                       guint          port,
                       McAccountPage *self)
{
  if (self->running || self->blocked)
    return;

  /* Focus moves to the field that changes, not into the void of a removed row. */
  if (host != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->host_row));
  else if (port != 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->port_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->security_row));

  apply_fix (self, host, security, (guint16)port);
}

static void
on_apply_fix (McAccountPage *self,
              gpointer       advice_pointer)
{
  const McAdvice *advice = advice_pointer;

  if (self->running || self->blocked)
    return;

  apply_fix (self, advice->fix_host, advice->fix_security, advice->fix_port);
  mc_widget_add_toast (GTK_WIDGET (self), _("Settings changed. Test again to check them."));
  gtk_widget_grab_focus (GTK_WIDGET (self->test_button));
}

/* Settings found by a search: @host is the server that was searched. Its
 * spelling in the form is kept when it names the same server. */
void
mc_account_page_apply_settings (McAccountPage *self,
                                const char    *host,
                                guint16        port,
                                McSecurity     security)
{
  g_autofree char *current = NULL;
  g_autofree char *wanted = NULL;

  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));

  if (self->running || self->blocked)
    return;

  current = mc_host_normalize (gtk_editable_get_text (GTK_EDITABLE (self->host_row)), NULL, NULL);
  wanted = host != NULL ? mc_host_normalize (host, NULL, NULL) : NULL;
  if (wanted == NULL || g_strcmp0 (current, wanted) == 0)
    host = NULL;

  apply_fix (self, host, security, port);
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

static void
mc_account_page_constructed (GObject *object)
{
  McAccountPage *self = (McAccountPage *)object;
  const McProvider *provider = mc_provider_get_default ();
  McEndpoint endpoint = { 0, MC_SECURITY_TLS };
  const char *host = NULL;
  gboolean offered;

  G_OBJECT_CLASS (mc_account_page_parent_class)->constructed (object);

  offered = mc_account_form_get_provider_defaults (self->protocol, &host, &endpoint);
  if (host != NULL)
    set_text_quietly (self, self->host_row, host);
  mc_account_page_set_security (self, endpoint.security);
  set_port_quietly (self, endpoint.port != 0 ? endpoint.port : standard_port (self));
  self->port_custom = endpoint.port != 0 && endpoint.port != standard_port (self);

  if (offered)
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
  gtk_widget_set_visible (GTK_WIDGET (self->provider_button), offered);

  update_hint (self);
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
  g_clear_object (&self->hint_list);

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
      g_value_set_string (value, mc_protocol_to_string (self->protocol));
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
      if (!mc_protocol_from_string (g_value_get_string (value), &self->protocol))
        self->protocol = MC_PROTOCOL_IMAP;
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
    g_param_spec_string ("protocol", NULL, NULL,
                         "imap",
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * McAccountPage::use-settings:
   * @protocol: the McProtocol of the page the settings are for
   * @host: the server name that was searched
   * @port: the port that worked
   * @security: the McSecurity that worked
   *
   * The user chose settings found by a search, possibly for another page.
   */
  signals[USE_SETTINGS] =
    g_signal_new ("use-settings",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_INT);

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
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, provider_button);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, input_error_label);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, detect_button);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, result_view);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_email_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_user_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_host_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_port_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_security_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_fix);

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

  label_editable (GTK_WIDGET (self->email_row));
  label_editable (GTK_WIDGET (self->password_row));
  label_editable (GTK_WIDGET (self->user_row));
  label_editable (GTK_WIDGET (self->host_row));
  label_editable (GTK_WIDGET (self->port_row));
  label_editable (GTK_WIDGET (self->security_row));
  update_state (self);
}

McProtocol
mc_account_page_get_protocol (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), MC_PROTOCOL_IMAP);
  return self->protocol;
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

void
mc_account_page_load_settings (McAccountPage *self,
                               GSettings     *settings)
{
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  McSecurity security;
  guint16 port;

  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  host = mc_account_settings_get_host (settings, self->protocol);
  if (host != NULL)
    set_text_quietly (self, self->host_row, host);

  if (mc_account_settings_get_security (settings, self->protocol, &security))
    mc_account_page_set_security (self, security);

  port = mc_account_settings_get_port (settings, self->protocol);
  if (port != 0)
    {
      set_port_quietly (self, port);
      self->port_custom = port != standard_port (self);
    }

  user = mc_account_settings_get_user (settings, self->protocol);
  self->user_custom = user[0] != '\0';
  if (self->user_custom)
    set_text_quietly (self, self->user_row, user);

  update_hint (self);
}

void
mc_account_page_save_settings (McAccountPage *self,
                               GSettings     *settings)
{
  McAccountForm form;

  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  _mc_account_page_read_form (self, &form);
  mc_account_settings_save (settings, &form, self->port_custom, self->user_custom);
}
