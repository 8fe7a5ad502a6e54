/* mc-account-page.c
 *
 * The page turns the form into an McSettings, runs one McCheck at a time and
 * hands every step and the result to its McResultView. It has no protocol
 * knowledge beyond the standard ports, which the engine provides.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-account-page"

#include "config.h"

#include <glib/gi18n.h>

#include "mc-account-page.h"
#include "mc-check.h"
#include "mc-settings.h"

struct _McAccountPage
{
  AdwBin                parent_instance;

  McProtocol            protocol;
  char                 *ca_file;
  guint                 timeout;

  /* Owned references */
  McCheck              *check;
  GCancellable         *cancellable;

  /* State */
  gboolean              running;
  gboolean              blocked;
  gboolean              port_custom;
  gboolean              user_custom;
  guint                 updating;
  int                   hint_security;
  guint                 scroll_tick;
  guint                 scroll_frames;

  /* Template widgets */
  GtkScrolledWindow    *scroller;
  GtkWidget            *button_box;
  AdwPreferencesGroup  *account_group;
  AdwPreferencesGroup  *server_group;
  AdwEntryRow          *email_row;
  AdwPasswordEntryRow  *password_row;
  AdwEntryRow          *user_row;
  AdwEntryRow          *host_row;
  AdwEntryRow          *port_row;
  AdwComboRow          *security_row;
  AdwActionRow         *hint_row;
  GtkButton            *hint_button;
  GtkLabel             *input_error_label;
  GtkButton            *test_button;
  GtkButton            *cancel_button;
  McResultView         *result_view;
};

G_DEFINE_FINAL_TYPE (McAccountPage, mc_account_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROTOCOL,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define DEFAULT_HOST "mail01.netzprisma.de"

static void
add_toast (McAccountPage *self,
           const char    *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

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

/* Returns 0 for an empty or invalid port. */
static guint16
parse_port (const char *text,
            gboolean   *valid)
{
  guint64 value = 0;
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  *valid = TRUE;
  if (stripped[0] == '\0')
    return 0;
  if (!g_ascii_string_to_unsigned (stripped, 10, 1, 65535, &value, NULL))
    {
      *valid = FALSE;
      return 0;
    }
  return (guint16)value;
}

static guint16
effective_port (McAccountPage *self,
                gboolean      *valid)
{
  guint16 port = parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_row)), valid);

  return port != 0 ? port : standard_port (self);
}

/* The pairs every mail program gets wrong sooner or later; the engine would
 * explain them after a failed test, the hint catches them before. */
static int
expected_security (guint16 port)
{
  switch (port)
    {
    case 25:
    case 110:
    case 143:
    case 587:
      return MC_SECURITY_STARTTLS;
    case 465:
    case 993:
    case 995:
      return MC_SECURITY_TLS;
    default:
      return -1;
    }
}

static void
update_hint (McAccountPage *self)
{
  McSecurity security = mc_account_page_get_security (self);
  gboolean valid;
  guint16 port = effective_port (self, &valid);
  int expected = valid ? expected_security (port) : -1;
  g_autofree char *title = NULL;
  g_autofree char *button = NULL;
  const char *subtitle = NULL;

  self->hint_security = -1;

  if (!valid)
    {
      title = g_strdup (_("The port must be a number from 1 to 65535."));
    }
  else if (security == MC_SECURITY_NONE)
    {
      title = g_strdup (_("Without encryption the test stops before the login"));
      subtitle = _("Your password would travel readable by anyone on the way, so it is not sent.");
      self->hint_security = expected >= 0 ? expected : MC_SECURITY_STARTTLS;
    }
  else if (expected >= 0 && (McSecurity)expected != security)
    {
      /* Translators: first %u is a port number, %s is SSL/TLS or STARTTLS */
      title = g_strdup_printf (_("Port %u expects %s"), port, mc_security_display_name (expected));
      self->hint_security = expected;
      if (expected == MC_SECURITY_TLS)
        subtitle = _("This port encrypts from the first byte.");
      else
        subtitle = _("This port starts unencrypted and switches to encryption with STARTTLS.");
    }

  if (title == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->hint_row), FALSE);
      return;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->hint_row), title);
  adw_action_row_set_subtitle (self->hint_row, subtitle ? subtitle : "");
  if (self->hint_security >= 0)
    {
      /* Translators: a button that changes Security; %s is SSL/TLS or STARTTLS */
      button = g_strdup_printf (_("Use %s"), mc_security_display_name (self->hint_security));
      gtk_button_set_label (self->hint_button, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->hint_button), self->hint_security >= 0);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_row), TRUE);
}

static void
clear_input_error (McAccountPage *self)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->email_row), GTK_WIDGET (self->password_row), GTK_WIDGET (self->user_row),
    GTK_WIDGET (self->host_row), GTK_WIDGET (self->port_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (rows[i], "error");
  gtk_widget_set_visible (GTK_WIDGET (self->input_error_label), FALSE);
}

static void
show_input_error (McAccountPage *self,
                  const GError  *error)
{
  GtkWidget *row = NULL;

  clear_input_error (self);

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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.cancel", self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->running);
}

static void
set_running (McAccountPage *self,
             gboolean       running)
{
  if (self->running == running)
    return;

  self->running = running;
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static gboolean
scroll_to_results_cb (GtkWidget     *widget,
                      GdkFrameClock *frame_clock,
                      gpointer       user_data)
{
  McAccountPage *self = MC_ACCOUNT_PAGE (user_data);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkWidget *viewport = gtk_scrolled_window_get_child (self->scroller);
  GtkWidget *content = viewport ? gtk_viewport_get_child (GTK_VIEWPORT (viewport)) : NULL;
  graphene_rect_t bounds;
  double target;

  /* Tick callbacks run before layout: wait one frame for the new rows to be measured. */
  if (self->scroll_frames++ < 1)
    return G_SOURCE_CONTINUE;

  self->scroll_tick = 0;
  if (content == NULL || !gtk_widget_compute_bounds (self->button_box, content, &bounds))
    return G_SOURCE_REMOVE;

  /* Keep the buttons in view with the results right below them; never scroll up. */
  target = MIN (bounds.origin.y - 12.0,
                gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  if (target > gtk_adjustment_get_value (adjustment))
    gtk_adjustment_set_value (adjustment, target);
  return G_SOURCE_REMOVE;
}

static void
scroll_to_results (McAccountPage *self)
{
  self->scroll_frames = 0;
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->scroller),
                                                      scroll_to_results_cb, self, NULL);
}

static McSettings *
build_settings (McAccountPage  *self,
                GError        **error)
{
  g_autoptr(McSettings) settings = mc_settings_new (self->protocol);
  g_autofree char *host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  g_autofree char *user = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_row))));
  g_autofree char *email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  gboolean valid;
  guint16 port;

  port = parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_row)), &valid);
  if (!valid)
    {
      g_set_error_literal (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_PORT,
                           _("The port must be a number from 1 to 65535."));
      return NULL;
    }

  mc_settings_set_host (settings, host);
  mc_settings_set_port (settings, port);
  mc_settings_set_security (settings, mc_account_page_get_security (self));
  mc_settings_set_user (settings, user[0] != '\0' ? user : email);
  if (password[0] != '\0')
    mc_settings_set_password (settings, password);
  if (self->ca_file != NULL)
    mc_settings_set_ca_file (settings, self->ca_file);
  if (self->timeout != 0)
    mc_settings_set_timeout (settings, self->timeout);

  if (!mc_settings_validate (settings, error))
    return NULL;

  return g_steal_pointer (&settings);
}

static void
on_step_changed (McCheck       *check,
                 guint          index,
                 gpointer       step,
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

  g_assert (G_IS_ASYNC_RESULT (result));

  check_result = mc_check_run_finish (check, result, &error);

  /* A cancelled or replaced check was already dealt with when it was dropped. */
  if (check != self->check)
    return;

  g_signal_handlers_disconnect_by_data (check, self);
  g_clear_object (&self->check);
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);

  if (check_result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        mc_result_view_reset (self->result_view);
      else
        mc_result_view_show_error (self->result_view, error->message);
      return;
    }

  mc_result_view_show_result (self->result_view, check_result);
  scroll_to_results (self);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  McAccountPage *self = MC_ACCOUNT_PAGE (widget);
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  if (self->running || self->blocked)
    return;

  if (!(settings = build_settings (self, &error)))
    {
      show_input_error (self, error);
      return;
    }
  clear_input_error (self);

  self->check = mc_check_new (settings);
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self->check, "step-changed", G_CALLBACK (on_step_changed), self);

  mc_result_view_begin (self->result_view);
  set_running (self, TRUE);
  scroll_to_results (self);

  mc_check_run_async (self->check, self->cancellable, run_cb, g_object_ref (self));
}

/* Cancelling is silent: the page goes back to where it was before the test. The
 * worker thread winds down on its own; its late result is ignored. */
void
mc_account_page_cancel (McAccountPage *self)
{
  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));

  if (!self->running)
    return;

  g_cancellable_cancel (self->cancellable);
  g_signal_handlers_disconnect_by_data (self->check, self);
  g_clear_object (&self->check);
  g_clear_object (&self->cancellable);
  mc_result_view_reset (self->result_view);
  set_running (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->test_button));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  mc_account_page_cancel (MC_ACCOUNT_PAGE (widget));
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
}

static void
on_host_changed (McAccountPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->host_row), "error");
}

static void
on_port_changed (McAccountPage *self)
{
  gboolean valid;
  guint16 port;

  gtk_widget_remove_css_class (GTK_WIDGET (self->port_row), "error");
  if (!self->updating)
    {
      port = parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_row)), &valid);
      self->port_custom = !valid || (port != 0 && port != standard_port (self));
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

static void
on_hint_button_clicked (McAccountPage *self)
{
  if (self->hint_security >= 0)
    mc_account_page_set_security (self, self->hint_security);
}

static void
on_apply_fix (McAccountPage *self,
              gpointer       advice_pointer)
{
  const McAdvice *advice = advice_pointer;

  if (self->running || self->blocked)
    return;

  if (advice->fix_host != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->host_row), advice->fix_host);
  if (advice->fix_security >= 0 && advice->fix_security <= MC_SECURITY_NONE)
    mc_account_page_set_security (self, advice->fix_security);
  if (advice->fix_port != 0)
    {
      set_port_quietly (self, advice->fix_port);
      self->port_custom = advice->fix_port != standard_port (self);
      update_hint (self);
    }

  add_toast (self, _("Settings changed. Test again to check them."));
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

  G_OBJECT_CLASS (mc_account_page_parent_class)->constructed (object);

  set_text_quietly (self, self->host_row, DEFAULT_HOST);
  /* SMTP submission is STARTTLS on 587 for Netzprisma; receiving is SSL/TLS. */
  mc_account_page_set_security (self, self->protocol == MC_PROTOCOL_SMTP ? MC_SECURITY_STARTTLS
                                                                         : MC_SECURITY_TLS);
  set_port_quietly (self, standard_port (self));
  update_hint (self);
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
  /* No gtk_widget_dispose_template(): AdwBin unparents its child itself, and a
   * second unparent of the bound scroller would touch a finalized widget. */

  G_OBJECT_CLASS (mc_account_page_parent_class)->dispose (object);
}

static void
mc_account_page_finalize (GObject *object)
{
  McAccountPage *self = (McAccountPage *)object;

  g_clear_pointer (&self->ca_file, g_free);

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
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, hint_row);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, hint_button);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, input_error_label);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, McAccountPage, result_view);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_email_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_user_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_host_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_port_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_security_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_hint_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_fix);

  gtk_widget_class_install_action (widget_class, "page.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "page.cancel", NULL, cancel_action);

  g_type_ensure (MC_TYPE_RESULT_VIEW);
}

static void
mc_account_page_init (McAccountPage *self)
{
  self->hint_security = -1;

  gtk_widget_init_template (GTK_WIDGET (self));

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

gboolean
mc_account_page_get_inputs_locked (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), FALSE);
  return !gtk_widget_get_sensitive (GTK_WIDGET (self->account_group)) ||
         !gtk_widget_get_sensitive (GTK_WIDGET (self->server_group));
}

GtkEditable *
mc_account_page_get_email_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_EDITABLE (self->email_row);
}

GtkEditable *
mc_account_page_get_password_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_EDITABLE (self->password_row);
}

GtkEditable *
mc_account_page_get_user_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_EDITABLE (self->user_row);
}

GtkEditable *
mc_account_page_get_host_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_EDITABLE (self->host_row);
}

GtkEditable *
mc_account_page_get_port_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_EDITABLE (self->port_row);
}

AdwComboRow *
mc_account_page_get_security_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return self->security_row;
}

GtkWidget *
mc_account_page_get_hint_row (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_WIDGET (self->hint_row);
}

GtkWidget *
mc_account_page_get_test_button (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_WIDGET (self->test_button);
}

McResultView *
mc_account_page_get_result_view (McAccountPage *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_PAGE (self), NULL);
  return self->result_view;
}

static char *
key_name (McAccountPage *self,
          const char    *suffix)
{
  return g_strdup_printf ("%s-%s", mc_protocol_to_string (self->protocol), suffix);
}

void
mc_account_page_load_settings (McAccountPage *self,
                               GSettings     *settings)
{
  g_autofree char *host_key = key_name (self, "host");
  g_autofree char *port_key = key_name (self, "port");
  g_autofree char *security_key = key_name (self, "security");
  g_autofree char *user_key = key_name (self, "user");
  g_autofree char *host = NULL;
  g_autofree char *security_name = NULL;
  g_autofree char *user = NULL;
  McSecurity security;
  int port;

  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  host = g_settings_get_string (settings, host_key);
  if (host[0] != '\0')
    set_text_quietly (self, self->host_row, host);

  security_name = g_settings_get_string (settings, security_key);
  if (mc_security_from_string (security_name, &security))
    mc_account_page_set_security (self, security);

  port = g_settings_get_int (settings, port_key);
  if (port > 0 && port <= 65535)
    {
      set_port_quietly (self, (guint16)port);
      self->port_custom = port != standard_port (self);
    }
  else
    {
      set_port_quietly (self, standard_port (self));
      self->port_custom = FALSE;
    }

  user = g_settings_get_string (settings, user_key);
  self->user_custom = user[0] != '\0';
  if (self->user_custom)
    set_text_quietly (self, self->user_row, user);

  update_hint (self);
}

void
mc_account_page_save_settings (McAccountPage *self,
                               GSettings     *settings)
{
  g_autofree char *host_key = key_name (self, "host");
  g_autofree char *port_key = key_name (self, "port");
  g_autofree char *security_key = key_name (self, "security");
  g_autofree char *user_key = key_name (self, "user");
  g_autofree char *host = NULL;
  gboolean valid;
  guint16 port;

  g_return_if_fail (MC_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  port = parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_row)), &valid);

  /* The password is never written anywhere. */
  g_settings_set_string (settings, host_key, host[0] != '\0' ? host : DEFAULT_HOST);
  g_settings_set_int (settings, port_key, valid && self->port_custom ? port : 0);
  g_settings_set_string (settings, security_key,
                         mc_security_to_string (mc_account_page_get_security (self)));
  g_settings_set_string (settings, user_key,
                         self->user_custom ? gtk_editable_get_text (GTK_EDITABLE (self->user_row)) : "");
}
