/* test-faq.c: help, keyboard and accessibility of the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-faq"

#include "config.h"

#include <string.h>

#include "mc-application.h"
#include "mc-window.h"
#include "ui-test-util.h"

static McApplication *app;

static McWindow *
new_app_window (void)
{
  McWindow *window;

  ui_test_reset_settings ();
  window = mc_window_new (ADW_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static gboolean
accels_contain (const char *action,
                const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  return g_strv_contains ((const char * const *)accels, accel);
}

static void
test_help_opens_all_topics (void)
{
  static const struct { const char *id; const char *title; } topics[] = {
    { "ports", "Which server, ports and encryption should I use?" },
    { "ssl-names", "My mail program only offers “SSL”" },
    { "transport", "Is my mail then encrypted from sender to recipient?" },
    { "end-to-end", "How do I get end-to-end encryption?" },
    { "login", "Which user name and password do I enter?" },
    { "old-names", "My mail program uses smtp.my-domain or pop3.my-domain as server" },
  };
  McWindow *window;
  McFaqPage *faq;

  if (ui_test_skip_without_display ())
    return;

  window = new_app_window ();
  faq = mc_window_get_faq_page (window);
  g_assert_false (mc_window_get_faq_visible (window));

  /* F1 is Help, and Help opens the FAQ view. */
  g_assert_true (accels_contain ("app.help", "F1"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "help", NULL);
  g_assert_true (mc_window_get_faq_visible (window));

  g_assert_cmpuint (g_strv_length ((GStrv)mc_faq_topic_ids ()), ==, G_N_ELEMENTS (topics));
  for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
    {
      GtkWidget *topic = mc_faq_page_get_topic (faq, topics[i].id);
      g_autofree char *name = g_strconcat ("faq-", topics[i].id, NULL);

      g_assert_nonnull (topic);
      g_assert_cmpstr (gtk_widget_get_name (topic), ==, name);
      g_assert_cmpstr (mc_faq_page_get_topic_title (faq, topics[i].id), ==, topics[i].title);
      g_assert_true (gtk_widget_is_visible (topic));
    }
  g_assert_nonnull (ui_test_find_label (mc_faq_page_get_topic (faq, "ports"), "port 995, SSL/TLS"));
  g_assert_nonnull (ui_test_find_label (mc_faq_page_get_topic (faq, "end-to-end"), "PGP"));

  /* Escape goes back to the test. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.escape", NULL);
  g_assert_false (mc_window_get_faq_visible (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
scrolled_away (gpointer data)
{
  GtkScrolledWindow *scroller = data;

  return gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (scroller)) > 100.0;
}

static void
test_topic_link_scrolls_to_topic (void)
{
  McWindow *window;
  McFaqPage *faq;
  GtkWidget *scroller;

  if (ui_test_skip_without_display ())
    return;

  g_assert_cmpstr (mc_faq_topic_for_advice ("use-starttls"), ==, "ssl-names");
  g_assert_cmpstr (mc_faq_topic_for_advice ("use-implicit-tls"), ==, "ssl-names");
  g_assert_cmpstr (mc_faq_topic_for_advice ("starttls-not-offered"), ==, "ssl-names");
  g_assert_cmpstr (mc_faq_topic_for_advice ("starttls-injection"), ==, "ssl-names");
  g_assert_cmpstr (mc_faq_topic_for_advice ("username-not-full-address"), ==, "login");
  g_assert_cmpstr (mc_faq_topic_for_advice ("authentication-failed"), ==, "login");
  g_assert_cmpstr (mc_faq_topic_for_advice ("login-disabled"), ==, "login");
  g_assert_cmpstr (mc_faq_topic_for_advice ("mechanism-not-offered"), ==, "login");
  g_assert_cmpstr (mc_faq_topic_for_advice ("legacy-hostname"), ==, "old-names");
  g_assert_null (mc_faq_topic_for_advice ("timeout"));

  window = new_app_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 600);
  faq = mc_window_get_faq_page (window);
  scroller = gtk_widget_get_first_child (GTK_WIDGET (faq));
  g_assert_true (GTK_IS_SCROLLED_WINDOW (scroller));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-faq", "s", "old-names");
  g_assert_true (mc_window_get_faq_visible (window));
  g_assert_true (ui_test_wait_until (scrolled_away, scroller, 5000));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_keyboard_shortcuts (void)
{
  McWindow *window;
  GtkWindow *shortcuts;

  if (ui_test_skip_without_display ())
    return;

  window = new_app_window ();
  g_assert_true (accels_contain ("app.quit", "<Control>q"));
  g_assert_true (accels_contain ("win.show-help-overlay", "<Control>question"));

  /* Built on first use, not with the window. */
  g_assert_null (mc_window_get_shortcuts_window (window));
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  shortcuts = mc_window_get_shortcuts_window (window);
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (shortcuts));
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (shortcuts), "Test connection (in any field)"));

  /* Closing hides it; the next time shows the same window again. */
  gtk_window_close (shortcuts);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  g_assert_true (mc_window_get_shortcuts_window (window) == shortcuts);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "smtp");
  g_assert_true (mc_window_get_visible_page (window) == mc_window_get_page (window, MC_PROTOCOL_SMTP));

  /* It goes with its window. */
  g_object_add_weak_pointer (G_OBJECT (shortcuts), (gpointer *)&shortcuts);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_null (shortcuts);
}

static void
test_main_menu (void)
{
  McWindow *window;
  GtkMenuButton *button;
  GMenuModel *model;
  GtkPopover *popover;

  if (ui_test_skip_without_display ())
    return;

  window = new_app_window ();
  button = GTK_MENU_BUTTON (ui_test_find_named (GTK_WIDGET (window), "GtkMenuButton"));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  /* The popover and its rows are made when the menu first opens. */
  g_assert_null (gtk_menu_button_get_menu_model (button));

  gtk_menu_button_popup (button);
  model = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (model);
  g_assert_cmpint (g_menu_model_get_n_items (model), ==, 2);  /* the delivery path; help and about */
  popover = gtk_menu_button_get_popover (button);
  g_assert_true (GTK_IS_POPOVER_MENU (popover));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (popover), "Delivery Path of a Message"));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (popover), "Keyboard Shortcuts"));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (popover), "About Mail Check"));

  gtk_menu_button_popdown (button);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_about_names_version_and_license (void)
{
  McWindow *window;
  AdwAboutWindow *about = NULL;
  g_autoptr(GListModel) toplevels = NULL;

  if (ui_test_skip_without_display ())
    return;

  window = new_app_window ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);

  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (item))
        about = ADW_ABOUT_WINDOW (item);
    }
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_website (about), ==, "https://www.netzprisma.de/mailcheck");
  g_assert_cmpstr (adw_about_window_get_issue_url (about), ==, "https://www.netzprisma.de/mailcheck/issues");
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);

  gtk_window_destroy (GTK_WINDOW (about));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_fields_have_accessible_names (void)
{
  McWindow *window;
  McAccountPage *page;

  if (ui_test_skip_without_display ())
    return;

  window = new_app_window ();
  page = mc_window_get_page (window, MC_PROTOCOL_IMAP);

  gtk_test_accessible_assert_property (gtk_editable_get_delegate (ui_test_field (page, "email")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "E-mail Address");
  gtk_test_accessible_assert_property (gtk_editable_get_delegate (ui_test_field (page, "password")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Password");
  gtk_test_accessible_assert_property (gtk_editable_get_delegate (ui_test_field (page, "user")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "User Name");
  gtk_test_accessible_assert_property (gtk_editable_get_delegate (ui_test_field (page, "host")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Server");
  gtk_test_accessible_assert_property (gtk_editable_get_delegate (ui_test_field (page, "port")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Port");
  gtk_test_accessible_assert_property (ADW_COMBO_ROW (ui_test_find_named (GTK_WIDGET (page), "security")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Security");
  /* Access keys: every field title carries one. */
  g_assert_true (adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (ui_test_field (page, "email"))));
  g_assert_nonnull (strchr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (ui_test_field (page, "port"))), '_'));
  g_assert_true (adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (ADW_COMBO_ROW (ui_test_find_named (GTK_WIDGET (page), "security")))));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
dump_wide (GtkWidget *w, int depth)
{
  int min = 0;
  if (!gtk_widget_get_visible (w)) return;
  gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  if (min < 300) return;
  g_test_message ("%*s%s %s min=%d", depth, "", G_OBJECT_TYPE_NAME (w), gtk_widget_get_name (w), min);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    dump_wide (c, depth + 1);
}

static gboolean
drawn (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

static void
test_narrow_window_fits (void)
{
  McWindow *window;
  GtkWidget *content;
  int minimum = 0;

  if (ui_test_skip_without_display ())
    return;

  window = new_app_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum > 360) dump_wide (content, 0);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_true (ui_test_wait_until (drawn, content, 5000));
  ui_test_wait_ms (300);
  g_assert_cmpint (gtk_widget_get_width (content), <=, 360);
  /* No room for the switcher in the header bar: it is at the bottom. */
  g_assert_nonnull (mc_window_get_switcher_bar (window));
  g_assert_true (adw_view_switcher_bar_get_reveal (mc_window_get_switcher_bar (window)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_no_revealed_bar (gpointer window)
{
  AdwViewSwitcherBar *bar = mc_window_get_switcher_bar (window);

  return bar != NULL && !adw_view_switcher_bar_get_reveal (bar);
}

static gboolean
has_switcher_bar (gpointer window)
{
  AdwViewSwitcherBar *bar = mc_window_get_switcher_bar (window);

  return bar != NULL && adw_view_switcher_bar_get_reveal (bar);
}

static void
test_switcher_bar_built_when_narrow (void)
{
  McWindow *window;
  GtkWidget *content;

  if (ui_test_skip_without_display ())
    return;

  window = new_app_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 640);
  content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  g_assert_true (ui_test_wait_until (drawn, content, 5000));
  ui_test_wait_ms (200);
  /* Wide enough for the header bar's switcher: no second one is built. */
  g_assert_null (mc_window_get_switcher_bar (window));

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  g_assert_true (ui_test_wait_until (has_switcher_bar, window, 5000));
  g_assert_true (adw_view_switcher_bar_get_stack (mc_window_get_switcher_bar (window)) != NULL);

  /* Wide again: the bar hides, and stays for the next time. */
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 640);
  g_assert_true (ui_test_wait_until (has_no_revealed_bar, window, 5000));
  g_assert_nonnull (mc_window_get_switcher_bar (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  if (ui_test_init (&argc, &argv))
    {
      app = mc_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
    }

  g_test_add_func ("/mailcheck/ui/faq/help-opens-all-topics", test_help_opens_all_topics);
  g_test_add_func ("/mailcheck/ui/faq/topic-link-scrolls-to-topic", test_topic_link_scrolls_to_topic);
  g_test_add_func ("/mailcheck/ui/window/keyboard-shortcuts", test_keyboard_shortcuts);
  g_test_add_func ("/mailcheck/ui/window/main-menu", test_main_menu);
  g_test_add_func ("/mailcheck/ui/window/about-names-version-and-license", test_about_names_version_and_license);
  g_test_add_func ("/mailcheck/ui/window/fields-have-accessible-names", test_fields_have_accessible_names);
  g_test_add_func ("/mailcheck/ui/window/narrow-window-fits", test_narrow_window_fits);
  g_test_add_func ("/mailcheck/ui/window/switcher-bar-built-when-narrow", test_switcher_bar_built_when_narrow);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
