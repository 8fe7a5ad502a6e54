/* mc-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-window"

#include "config.h"

#include <glib/gi18n.h>

#include "mc-window.h"

struct _McWindow
{
  AdwApplicationWindow  parent_instance;

  /* Owned references */
  GSettings            *settings;      /* NULL when the schema is not installed */
  char                 *ca_file;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkWidget            *check_box;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *view_stack;
  AdwBin               *page_bins[MC_N_PROTOCOLS];
  GtkWidget            *faq_box;
  GtkWidget            *back_button;
  AdwBin               *received_bin;
  GtkMenuButton        *menu_button;
  GMenuModel           *primary_menu;

  /* Created on first use, owned by their bin and faq_box */
  McAccountPage        *pages[MC_N_PROTOCOLS];
  McFaqPage            *faq_page;
  McReceivedPage       *received_page;
  const char           *received_return;  /* the view the delivery path's Back returns to */
  AdwViewSwitcherBar   *switcher_bar;
  GtkWindow            *shortcuts_window;  /* transient for this window; weak; destroyed in dispose */
};

G_DEFINE_FINAL_TYPE (McWindow, mc_window, ADW_TYPE_APPLICATION_WINDOW)

static void on_page_running_changed (McAccountPage *page,
                                     GParamSpec    *pspec,
                                     McWindow      *self);
static void on_page_use_settings    (McAccountPage *page,
                                     McProtocol     protocol,
                                     const char    *host,
                                     guint          port,
                                     McSecurity     security,
                                     McWindow      *self);

/* Any page that exists: they all share the address and password. */
static McAccountPage *
some_page (McWindow *self)
{
  for (guint i = 0; i < MC_N_PROTOCOLS; i++)
    {
      if (self->pages[i] != NULL)
        return self->pages[i];
    }
  return NULL;
}

/* One program for every page: the help follows it too. */
static void
on_form_client_changed (McAccountForm *form,
                        GParamSpec    *pspec,
                        McWindow      *self)
{
  if (self->faq_page != NULL)
    mc_faq_page_set_client (self->faq_page, mc_account_form_get_client (form));
}

/* A page is built when it is first shown or asked for: each is a long form that
 * AdwViewStack would otherwise build and measure, hidden, before the first frame.
 * A late page starts as an early one would be by now: settings loaded, address
 * and password shared, blocked while another page tests. */
static McAccountPage *
page_at (McWindow *self,
         guint     protocol)
{
  static const char * const shared_fields[] = { "email", "password", "client" };
  McAccountPage *page;
  McAccountPage *other;
  gboolean blocked = FALSE;

  g_return_val_if_fail (protocol < MC_N_PROTOCOLS, NULL);

  if (self->pages[protocol] != NULL)
    return self->pages[protocol];
  g_return_val_if_fail (self->page_bins[protocol] != NULL, NULL);  /* disposed */

  other = some_page (self);
  page = g_object_new (MC_TYPE_ACCOUNT_PAGE, "protocol", protocol, NULL);
  adw_bin_set_child (self->page_bins[protocol], GTK_WIDGET (page));
  self->pages[protocol] = page;

  if (self->ca_file != NULL)
    mc_account_page_set_ca_file (page, self->ca_file);
  if (self->settings != NULL)
    mc_account_form_load (mc_account_page_get_form (page), self->settings);

  /* Entered once, used on every page: form to form. */
  for (guint i = 0; other != NULL && i < G_N_ELEMENTS (shared_fields); i++)
    g_object_bind_property (mc_account_page_get_form (other), shared_fields[i],
                            mc_account_page_get_form (page), shared_fields[i],
                            G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  for (guint i = 0; i < MC_N_PROTOCOLS; i++)
    {
      if (self->pages[i] != NULL && self->pages[i] != page)
        blocked |= mc_account_page_get_running (self->pages[i]);
    }
  if (blocked)
    mc_account_page_set_blocked (page, TRUE);

  g_signal_connect (page, "notify::running", G_CALLBACK (on_page_running_changed), self);
  g_signal_connect (page, "use-settings", G_CALLBACK (on_page_use_settings), self);
  g_signal_connect_object (mc_account_page_get_form (page), "notify::client",
                           G_CALLBACK (on_form_client_changed), self, 0);
  return page;
}

static void
on_visible_page_changed (McWindow *self)
{
  McProtocol protocol;

  if (mc_protocol_from_string (adw_view_stack_get_visible_child_name (self->view_stack), &protocol))
    page_at (self, protocol);
}

/* Most windows are never narrow: the bottom switcher, a second set of buttons,
 * is built the first time the header bar has no room for the first one. */
static void
on_title_visible_changed (McWindow *self)
{
  if (self->switcher_bar != NULL || !adw_view_switcher_title_get_title_visible (self->switcher_title))
    return;

  self->switcher_bar = ADW_VIEW_SWITCHER_BAR (adw_view_switcher_bar_new ());
  adw_view_switcher_bar_set_stack (self->switcher_bar, self->view_stack);
  g_object_bind_property (self->switcher_title, "title-visible", self->switcher_bar, "reveal",
                          G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (self->check_box), GTK_WIDGET (self->switcher_bar));
}

/**
 * mc_window_get_switcher_bar:
 * @self: a #McWindow
 *
 * Returns: (transfer none) (nullable): the switcher at the bottom, once the
 *   window has been narrow
 */
AdwViewSwitcherBar *
mc_window_get_switcher_bar (McWindow *self)
{
  g_return_val_if_fail (MC_IS_WINDOW (self), NULL);
  return self->switcher_bar;
}

/* The app's settings, or NULL when the schema is not installed (a build tree
 * without `meson devenv`): then nothing is remembered. Keys a schema lacks (an
 * older install) are skipped where they are used. */
static GSettings *
open_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL || !(schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)))
    {
      g_debug ("Schema %s not installed; settings are not remembered", APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static gboolean
settings_have_key (GSettings  *settings,
                   const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, key);
}

/* Only the page shown is built here; the others load their settings when they are. */
static void
show_first_page (McWindow *self)
{
  g_autofree char *last_page = NULL;

  if (self->settings != NULL && settings_have_key (self->settings, "last-page"))
    last_page = g_settings_get_string (self->settings, "last-page");
  if (last_page != NULL && adw_view_stack_get_child_by_name (self->view_stack, last_page) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, last_page);
  else
    adw_view_stack_set_visible_child_name (self->view_stack, "imap");
  on_visible_page_changed (self);
}

static void
load_settings (McWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  if (settings_have_key (self->settings, "email"))
    {
      g_autofree char *email = g_settings_get_string (self->settings, "email");

      mc_account_form_set_email (mc_account_page_get_form (some_page (self)), email);
    }
  if (settings_have_key (self->settings, "mail-program"))
    {
      g_autofree char *client = g_settings_get_string (self->settings, "mail-program");

      mc_account_form_set_client (mc_account_page_get_form (some_page (self)), client);
    }

  if (settings_have_key (self->settings, "window-width") && settings_have_key (self->settings, "window-height"))
    {
      width = g_settings_get_int (self->settings, "window-width");
      height = g_settings_get_int (self->settings, "window-height");
      if (width >= 360 && height >= 294)
        gtk_window_set_default_size (GTK_WINDOW (self), width, height);
    }
  if (settings_have_key (self->settings, "window-maximized") &&
      g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_account_settings (McWindow *self)
{
  g_autofree char *email = NULL;

  if (self->settings == NULL)
    return;

  email = g_strstrip (g_strdup (mc_account_form_get_email (mc_account_page_get_form (some_page (self)))));
  if (settings_have_key (self->settings, "email"))
    g_settings_set_string (self->settings, "email", email);
  if (settings_have_key (self->settings, "mail-program"))
    g_settings_set_string (self->settings, "mail-program",
                           mc_client_get_id (mc_account_form_get_client (mc_account_page_get_form (some_page (self)))));
  /* A page never built still holds what it loaded: nothing to save. */
  for (guint i = 0; i < MC_N_PROTOCOLS; i++)
    {
      if (self->pages[i] != NULL)
        mc_account_form_save (mc_account_page_get_form (self->pages[i]), self->settings);
    }
}

static void
save_window_settings (McWindow *self)
{
  int width, height;

  if (self->settings == NULL || !settings_have_key (self->settings, "window-maximized"))
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_string (self->settings, "last-page",
                         adw_view_stack_get_visible_child_name (self->view_stack));
}

static gboolean
mc_window_close_request (GtkWindow *window)
{
  McWindow *self = MC_WINDOW (window);

  save_account_settings (self);
  save_window_settings (self);

  return GTK_WINDOW_CLASS (mc_window_parent_class)->close_request (window);
}

static void
on_page_running_changed (McAccountPage *page,
                         GParamSpec    *pspec,
                         McWindow      *self)
{
  gboolean running = mc_account_page_get_running (page);

  /* One test at a time: the pages share the address and password. */
  for (guint i = 0; i < MC_N_PROTOCOLS; i++)
    {
      if (self->pages[i] != NULL && self->pages[i] != page)
        mc_account_page_set_blocked (self->pages[i], running);
    }

  if (running)
    save_account_settings (self);
}

/* Settings found on one page may be for another: apply them there and show it. */
static void
on_page_use_settings (McAccountPage *page,
                      McProtocol     protocol,
                      const char    *host,
                      guint          port,
                      McSecurity     security,
                      McWindow      *self)
{
  McAccountPage *target;

  if (protocol >= MC_N_PROTOCOLS || port == 0 || port > G_MAXUINT16 || security > MC_SECURITY_NONE)
    return;

  target = page_at (self, protocol);
  mc_window_set_visible_page (self, protocol);
  mc_account_page_use_settings (target, host, (guint16)port, security);
}

/* Most users never open the help: its long template is built on the first visit,
 * not before the first frame. */
static McFaqPage *
ensure_faq_page (McWindow *self)
{
  g_return_val_if_fail (self->faq_page != NULL || self->faq_box != NULL, NULL);  /* disposed */

  if (self->faq_page == NULL)
    {
      self->faq_page = g_object_new (MC_TYPE_FAQ_PAGE, "vexpand", TRUE, NULL);
      gtk_box_append (GTK_BOX (self->faq_box), GTK_WIDGET (self->faq_page));
      mc_faq_page_set_client (self->faq_page,
                              mc_account_form_get_client (mc_account_page_get_form (some_page (self))));
    }
  return self->faq_page;
}

/* From the help: to the choice of mail program on the page on show. */
static void
choose_mail_program_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  McWindow *self = MC_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->main_stack, "check");
  mc_account_page_focus_field (mc_window_get_visible_page (self), "mail-program");
}

void
mc_window_show_faq (McWindow   *self,
                    const char *topic_id)
{
  g_return_if_fail (MC_IS_WINDOW (self));

  ensure_faq_page (self);
  gtk_stack_set_visible_child_name (self->main_stack, "faq");
  mc_faq_page_show_topic (self->faq_page, topic_id);
  gtk_widget_grab_focus (self->back_button);
}

void
mc_window_close_faq (McWindow *self)
{
  g_return_if_fail (MC_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->main_stack, "check");
  mc_account_page_focus_field (mc_window_get_visible_page (self), "test");
}

gboolean
mc_window_get_faq_visible (McWindow *self)
{
  g_return_val_if_fail (MC_IS_WINDOW (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "faq") == 0;
}

static void
show_faq_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  const char *topic = parameter ? g_variant_get_string (parameter, NULL) : NULL;

  mc_window_show_faq (MC_WINDOW (widget), topic && topic[0] ? topic : NULL);
}

static void
close_faq_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  mc_window_close_faq (MC_WINDOW (widget));
}

/* The delivery path of a message: built on first use, like the help. */
static McReceivedPage *
ensure_received_page (McWindow *self)
{
  g_return_val_if_fail (self->received_page != NULL || self->received_bin != NULL, NULL);  /* disposed */

  if (self->received_page == NULL)
    {
      self->received_page = g_object_new (MC_TYPE_RECEIVED_PAGE, NULL);
      adw_bin_set_child (self->received_bin, GTK_WIDGET (self->received_page));
    }
  return self->received_page;
}

/* Shown from the main menu or from the help; Back returns to where it came from. */
void
mc_window_show_received (McWindow *self)
{
  const char *current;

  g_return_if_fail (MC_IS_WINDOW (self));

  ensure_received_page (self);
  current = gtk_stack_get_visible_child_name (self->main_stack);
  if (g_strcmp0 (current, "received") != 0)
    self->received_return = g_strcmp0 (current, "faq") == 0 ? "faq" : "check";
  gtk_stack_set_visible_child_name (self->main_stack, "received");
  mc_received_page_focus_text (self->received_page);
}

void
mc_window_close_received (McWindow *self)
{
  g_return_if_fail (MC_IS_WINDOW (self));

  if (g_strcmp0 (self->received_return, "faq") == 0)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "faq");
      gtk_widget_grab_focus (self->back_button);
      return;
    }
  gtk_stack_set_visible_child_name (self->main_stack, "check");
  mc_account_page_focus_field (mc_window_get_visible_page (self), "test");
}

gboolean
mc_window_get_received_visible (McWindow *self)
{
  g_return_val_if_fail (MC_IS_WINDOW (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "received") == 0;
}

/**
 * mc_window_get_received_page:
 *
 * Returns: (transfer none): the delivery path view, built on first use
 */
McReceivedPage *
mc_window_get_received_page (McWindow *self)
{
  g_return_val_if_fail (MC_IS_WINDOW (self), NULL);
  return ensure_received_page (self);
}

static void
show_received_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  mc_window_show_received (MC_WINDOW (widget));
}

static void
close_received_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  mc_window_close_received (MC_WINDOW (widget));
}

/* Alt+Left and Escape: back from the help or the delivery path. */
static gboolean
go_back (McWindow *self)
{
  if (mc_window_get_received_visible (self))
    {
      mc_window_close_received (self);
      return TRUE;
    }
  if (mc_window_get_faq_visible (self))
    {
      mc_window_close_faq (self);
      return TRUE;
    }
  return FALSE;
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  go_back (MC_WINDOW (widget));
}

static void
escape_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  McWindow *self = MC_WINDOW (widget);

  if (go_back (self))
    return;
  for (guint i = 0; i < MC_N_PROTOCOLS; i++)
    {
      if (self->pages[i] != NULL)
        mc_account_page_cancel (self->pages[i]);
    }
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  McWindow *self = MC_WINDOW (widget);
  McProtocol protocol;

  if (mc_protocol_from_string (g_variant_get_string (parameter, NULL), &protocol))
    {
      if (mc_window_get_faq_visible (self) || mc_window_get_received_visible (self))
        gtk_stack_set_visible_child_name (self->main_stack, "check");
      mc_window_set_visible_page (self, protocol);
    }
}

/* Built on first use, like the help page; GtkApplication would otherwise build
 * it for every window from gtk/help-overlay.ui before the first frame. */
static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  McWindow *self = MC_WINDOW (widget);

  if (self->shortcuts_window == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/de/netzprisma/MailCheck/ui/mc-shortcuts-window.ui");

      self->shortcuts_window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
      gtk_window_set_transient_for (self->shortcuts_window, GTK_WINDOW (self));
      gtk_window_set_hide_on_close (self->shortcuts_window, TRUE);
      g_object_add_weak_pointer (G_OBJECT (self->shortcuts_window), (gpointer *)&self->shortcuts_window);
    }
  gtk_window_present (self->shortcuts_window);
}

/* The popover menu with its rows is made when the menu first opens. */
static void
create_menu_popover (GtkMenuButton *button,
                     gpointer       user_data)
{
  McWindow *self = MC_WINDOW (user_data);

  gtk_menu_button_set_menu_model (button, self->primary_menu);
}

/**
 * mc_window_get_shortcuts_window:
 * @self: a #McWindow
 *
 * Returns: (transfer none) (nullable): the keyboard shortcuts window, once it
 *   has been shown
 */
GtkWindow *
mc_window_get_shortcuts_window (McWindow *self)
{
  g_return_val_if_fail (MC_IS_WINDOW (self), NULL);
  return self->shortcuts_window;
}

static void
mc_window_dispose (GObject *object)
{
  McWindow *self = (McWindow *)object;

  /* The stack changes its visible child while it is taken apart: build nothing then. */
  if (self->view_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->view_stack, self);
  if (self->switcher_title != NULL)
    g_signal_handlers_disconnect_by_data (self->switcher_title, self);
  self->switcher_bar = NULL;
  for (guint i = 0; i < MC_N_PROTOCOLS; i++)
    {
      if (self->pages[i] != NULL)
        g_signal_handlers_disconnect_by_data (self->pages[i], self);
      self->pages[i] = NULL;
    }
  self->faq_page = NULL;
  self->received_page = NULL;
  if (self->shortcuts_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->shortcuts_window), (gpointer *)&self->shortcuts_window);
      gtk_window_destroy (g_steal_pointer (&self->shortcuts_window));
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), MC_TYPE_WINDOW);

  G_OBJECT_CLASS (mc_window_parent_class)->dispose (object);
}

static void
mc_window_finalize (GObject *object)
{
  McWindow *self = (McWindow *)object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (mc_window_parent_class)->finalize (object);
}

static void
mc_window_class_init (McWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mc_window_dispose;
  object_class->finalize = mc_window_finalize;
  window_class->close_request = mc_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/netzprisma/MailCheck/ui/mc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, McWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, McWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, McWindow, check_box);
  gtk_widget_class_bind_template_child (widget_class, McWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, McWindow, view_stack);
  gtk_widget_class_bind_template_child_full (widget_class, "pop3_bin", FALSE,
                                             G_STRUCT_OFFSET (McWindow, page_bins[MC_PROTOCOL_POP3]));
  gtk_widget_class_bind_template_child_full (widget_class, "imap_bin", FALSE,
                                             G_STRUCT_OFFSET (McWindow, page_bins[MC_PROTOCOL_IMAP]));
  gtk_widget_class_bind_template_child_full (widget_class, "smtp_bin", FALSE,
                                             G_STRUCT_OFFSET (McWindow, page_bins[MC_PROTOCOL_SMTP]));
  gtk_widget_class_bind_template_child (widget_class, McWindow, faq_box);
  gtk_widget_class_bind_template_child (widget_class, McWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, McWindow, received_bin);
  gtk_widget_class_bind_template_child (widget_class, McWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, McWindow, primary_menu);

  gtk_widget_class_install_action (widget_class, "win.show-faq", "s", show_faq_action);
  gtk_widget_class_install_action (widget_class, "win.close-faq", NULL, close_faq_action);
  gtk_widget_class_install_action (widget_class, "win.choose-mail-program", NULL, choose_mail_program_action);
  gtk_widget_class_install_action (widget_class, "win.show-received", NULL, show_received_action);
  gtk_widget_class_install_action (widget_class, "win.close-received", NULL, close_received_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.escape", NULL, escape_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_shortcuts_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.escape", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "win.show-page", "s", "pop3");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "win.show-page", "s", "imap");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK, "win.show-page", "s", "smtp");
}

static void
mc_window_init (McWindow *self)
{
  const char *ca_file;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu_popover, self, NULL);

  gtk_window_set_default_size (GTK_WINDOW (self), 720, 760);

  self->settings = open_settings ();
  g_signal_connect_swapped (self->view_stack, "notify::visible-child",
                            G_CALLBACK (on_visible_page_changed), self);
  show_first_page (self);
  load_settings (self);
  /* Typing starts where something is missing. */
  mc_account_page_focus_first_empty (mc_window_get_visible_page (self));
  g_signal_connect_swapped (self->switcher_title, "notify::title-visible",
                            G_CALLBACK (on_title_visible_changed), self);
  on_title_visible_changed (self);

  /* Support and tests can point the app at a private CA. */
  if ((ca_file = g_getenv ("MC_CA_FILE")) != NULL && ca_file[0] != '\0')
    mc_window_set_ca_file (self, ca_file);
}

McWindow *
mc_window_new (AdwApplication *application)
{
  return g_object_new (MC_TYPE_WINDOW, "application", application, NULL);
}

/**
 * mc_window_get_page:
 * @self: a #McWindow
 * @protocol: the page's protocol
 *
 * Builds the page if it has not been shown or asked for yet; that does not
 * show it.
 *
 * Returns: (transfer none): the page for @protocol
 */
McAccountPage *
mc_window_get_page (McWindow   *self,
                    McProtocol  protocol)
{
  g_return_val_if_fail (MC_IS_WINDOW (self), NULL);
  g_return_val_if_fail (protocol < MC_N_PROTOCOLS, NULL);
  return page_at (self, protocol);
}

McAccountPage *
mc_window_get_visible_page (McWindow *self)
{
  McProtocol protocol;

  g_return_val_if_fail (MC_IS_WINDOW (self), NULL);

  if (!mc_protocol_from_string (adw_view_stack_get_visible_child_name (self->view_stack), &protocol))
    return NULL;
  return page_at (self, protocol);
}

void
mc_window_set_visible_page (McWindow   *self,
                            McProtocol  protocol)
{
  g_return_if_fail (MC_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->view_stack, mc_protocol_to_string (protocol));
}

/**
 * mc_window_get_faq_page:
 * @self: a #McWindow
 *
 * Creates the help page if it does not exist yet; it stays hidden until
 * mc_window_show_faq().
 *
 * Returns: (transfer none): the help page
 */
McFaqPage *
mc_window_get_faq_page (McWindow *self)
{
  g_return_val_if_fail (MC_IS_WINDOW (self), NULL);
  return ensure_faq_page (self);
}

void
mc_window_set_ca_file (McWindow   *self,
                       const char *ca_file)
{
  g_return_if_fail (MC_IS_WINDOW (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  for (guint i = 0; i < MC_N_PROTOCOLS; i++)
    {
      if (self->pages[i] != NULL)
        mc_account_page_set_ca_file (self->pages[i], ca_file);
    }
}

void
mc_window_add_toast (McWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (MC_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
