/* min-form.c: the app's first screen rebuilt from libadwaita widgets alone
 *
 * A second yardstick for the start-up benchmark (tests/bench/run): the same
 * visible widgets as the main window's IMAP page — header bar with the view
 * switcher and the menu button, the "Account" and "Server" groups with their
 * six rows, the two pill buttons, the dimmed note below them — built in plain C
 * with nothing of the app: no templates, settings, engine, provider data or
 * style sheet. The minimal window measures what any libadwaita window costs;
 * this one what the toolkit itself costs for this form. Whatever the app takes
 * beyond it is the app's own work.
 *
 * Texts are the English ones, as the benchmark runs the app with LANGUAGE=en.
 * It runs until it is killed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-bench-min-form"

#include "config.h"

#include <adwaita.h>

static GtkWidget *
entry_row (const char *title,
           const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
  return row;
}

static GtkWidget *
pill (const char *label,
      gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static GtkWidget *
imap_page (void)
{
  static const char *securities[] = { "SSL/TLS", "STARTTLS", "None", NULL };
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *account = adw_preferences_group_new ();
  GtkWidget *server = adw_preferences_group_new ();
  GtkWidget *password = adw_password_entry_row_new ();
  GtkWidget *security = adw_combo_row_new ();
  GtkWidget *provider = gtk_button_new_with_mnemonic ("Use Netzprisma Setti_ngs");
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *note = gtk_label_new ("Not tested yet. Enter your account details and choose “Test Connection”. "
                                   "The test only logs in and out; it changes nothing on the server.");

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 480);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (account), "Account");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (account), entry_row ("_E-mail Address", NULL));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (password), "_Password");
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (password), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (account), password);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (account), entry_row ("_User Name", NULL));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (server), "Server");
  gtk_widget_set_valign (provider, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (provider, "flat");
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (server), provider);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (server), entry_row ("_Server", "mail01.netzprisma.de"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (server), entry_row ("P_ort", "993"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (security), "Se_curity");
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (security), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (security), G_LIST_MODEL (gtk_string_list_new (securities)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (server), security);

  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), pill ("_Test Connection", TRUE));
  gtk_box_append (GTK_BOX (buttons), pill ("_Find Working Settings", FALSE));

  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_justify (GTK_LABEL (note), GTK_JUSTIFY_CENTER);
  gtk_widget_set_margin_start (note, 12);
  gtk_widget_set_margin_end (note, 12);
  gtk_widget_add_css_class (note, "dim-label");

  gtk_box_append (GTK_BOX (box), account);
  gtk_box_append (GTK_BOX (box), server);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_box_append (GTK_BOX (box), note);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  return scroller;
}

static void
activate (GApplication *app,
          gpointer      user_data)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *stack = adw_view_stack_new ();
  GtkWidget *title = adw_view_switcher_title_new ();
  GtkWidget *menu = gtk_menu_button_new ();
  AdwViewStackPage *page;

  gtk_window_set_title (GTK_WINDOW (window), "Mail Check");
  /* The app's main window has this default size (mc-window.c). */
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 760);

  /* The app builds the POP3 and SMTP pages when they are first shown. */
  adw_view_stack_add_titled_with_icon (ADW_VIEW_STACK (stack), adw_bin_new (), "pop3", "POP3",
                                       "folder-download-symbolic");
  page = adw_view_stack_add_titled_with_icon (ADW_VIEW_STACK (stack), imap_page (), "imap", "IMAP",
                                              "mail-unread-symbolic");
  adw_view_stack_add_titled_with_icon (ADW_VIEW_STACK (stack), adw_bin_new (), "smtp", "SMTP",
                                       "mail-send-symbolic");
  adw_view_stack_set_visible_child (ADW_VIEW_STACK (stack), adw_view_stack_page_get_child (page));
  gtk_widget_set_vexpand (stack, TRUE);

  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (title), ADW_VIEW_STACK (stack));
  adw_view_switcher_title_set_title (ADW_VIEW_SWITCHER_TITLE (title), "Mail Check");
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "open-menu-symbolic");
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (menu), TRUE);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), menu);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), stack);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("de.netzprisma.MailCheck.BenchMinForm",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
