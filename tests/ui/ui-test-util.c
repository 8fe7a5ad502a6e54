/* ui-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ui-test"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "mc-account-page.h"
#include "mc-diagnosis.h"
#include "ui-test-util.h"

static gboolean have_display;

/* Without a session bus GtkApplication warns once; that is the test machine,
 * not the app, so it must not abort the run under G_DEBUG=fatal-warnings. */
static gboolean
ignore_bus_warning (const char     *log_domain,
                    GLogLevelFlags  log_level,
                    const char     *message,
                    gpointer        user_data)
{
  return !(message != NULL && strstr (message, "session bus") != NULL);
}

gboolean
ui_test_init (int    *argc,
              char ***argv)
{
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));

  /* Isolated home and config, but the system's data dirs stay: without the MIME
   * database and the icon theme GTK cannot even load its own symbolic icons. */
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (data_dirs != NULL)
    g_setenv ("XDG_DATA_DIRS", data_dirs, TRUE);
  else
    g_unsetenv ("XDG_DATA_DIRS");
  g_test_log_set_fatal_handler (ignore_bus_warning, NULL);

  /* MC_LOCALEDIR: the catalogues of the build tree, as the programs take them. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("MC_LOCALEDIR") ? g_getenv ("MC_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Asking GDK without any display would only print a warning; decide first. */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    have_display = FALSE;
  else
    have_display = gtk_init_check ();

  if (have_display)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      adw_init ();
      gtk_css_provider_load_from_resource (provider, "/de/netzprisma/MailCheck/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  return have_display;
}

/* Returns TRUE (and marks the test skipped) when no display is available. */
gboolean
ui_test_skip_without_display (void)
{
  if (have_display)
    return FALSE;
  g_test_skip ("no display: set DISPLAY or WAYLAND_DISPLAY, e.g. run under xvfb-run");
  return TRUE;
}

char *
ui_test_cert_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "certs", name, NULL);
}

static gboolean
timeout_reached (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

void
ui_test_wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_reached, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
collect_pages (GtkWidget *widget,
               GPtrArray *objects)
{
  if (MC_IS_ACCOUNT_PAGE (widget))
    {
      g_ptr_array_add (objects, g_object_ref (widget));
      g_ptr_array_add (objects, g_object_ref (mc_account_page_get_form (MC_ACCOUNT_PAGE (widget))));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_pages (child, objects);
}

/**
 * ui_test_destroy_window:
 *
 * Closes @window and asserts that it, every page it built and their forms are
 * finalized once the main loop has settled: nothing a test did may keep them
 * alive (a check still referring to its page, a signal left connected).
 */
void
ui_test_destroy_window (GtkWindow *window)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new ();

  /* The window first: while it lives, it holds its pages. */
  g_ptr_array_add (objects, g_object_ref (window));
  collect_pages (GTK_WIDGET (window), objects);
  gtk_window_destroy (window);
  ui_test_wait_ms (50);
  for (guint i = 0; i < objects->len; i++)
    g_assert_finalize_object (g_ptr_array_index (objects, i));
}

gboolean
ui_test_wait_until (gboolean (*condition) (gpointer),
                    gpointer   data,
                    guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

/* The first GtkLabel under @root whose text contains @needle: what the user can read. */
GtkWidget *
ui_test_find_label (GtkWidget  *root,
                    const char *needle)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), needle) != NULL)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_label (child, needle);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
ui_test_find_named (GtkWidget  *root,
                    const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The memory backend lives as long as the test program: start each test from the defaults. */
void
ui_test_reset_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) keys = NULL;

  if (source == NULL || !(schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)))
    return;

  settings = g_settings_new_full (schema, NULL, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

/* What a test of an old server name with SSL/TLS on port 143 ends in: two
 * pieces of advice with a fix and a help topic each, one fix naming a server.
 * Built from the engine's own findings, as the real server is out of reach
 * (layout tests and screenshots). */
McResult *
ui_test_advice_result_new (void)
{
  g_autoptr(McSettings) settings = mc_settings_new (MC_PROTOCOL_IMAP);
  g_autoptr(GPtrArray) findings = NULL;
  McResult *result = mc_result_new ();
  McStep *step;

  mc_settings_set_host (settings, "imap.netzprisma.de");
  mc_settings_set_port (settings, 143);
  mc_settings_set_security (settings, MC_SECURITY_TLS);
  mc_settings_set_user (settings, "anna@example.de");
  findings = mc_diagnosis_precheck (settings, TRUE);

  result->protocol = MC_PROTOCOL_IMAP;
  result->host = g_strdup ("imap.netzprisma.de");
  result->port = 143;
  result->security = MC_SECURITY_TLS;
  result->verdict = MC_VERDICT_FAILED;
  step = mc_result_add_step (result, MC_STEP_RESOLVE);
  step->status = MC_STEP_STATUS_OK;
  step = mc_result_add_step (result, MC_STEP_CONNECT);
  step->status = MC_STEP_STATUS_OK;
  step = mc_result_add_step (result, MC_STEP_TLS);
  step->status = MC_STEP_STATUS_FAILED;
  step->summary = g_strdup_printf (ngettext ("The server did not answer within %u second.",
                                             "The server did not answer within %u seconds.", 15), 15);
  for (guint i = 0; i < findings->len; i++)
    {
      const McAdvice *finding = g_ptr_array_index (findings, i);
      McAdvice *advice = mc_result_add_advice (result, finding->code, finding->text);

      advice->fix_security = finding->fix_security;
      advice->fix_port = finding->fix_port;
      advice->fix_host = g_strdup (finding->fix_host);
    }
  return result;
}

/* The row of a form field ("email", "password", "user", "host", "port"). */
GtkEditable *
ui_test_field (gpointer    page,
               const char *name)
{
  GtkWidget *row = ui_test_find_named (GTK_WIDGET (page), name);

  g_assert_nonnull (row);
  return GTK_EDITABLE (row);
}

static GtkWidget *
server_group (gpointer page)
{
  GtkWidget *group = ui_test_find_named (GTK_WIDGET (page), "server-group");

  g_assert_nonnull (group);
  return group;
}

/* The hint row for the engine's advice @code ("use-starttls", …, or
 * "invalid-port"), or NULL when it is not shown. */
GtkWidget *
ui_test_hint (gpointer    page,
              const char *code)
{
  return ui_test_find_named (server_group (page), code);
}

static guint
count_hint_rows (GtkWidget *root)
{
  guint n = 0;

  if (gtk_widget_has_css_class (root, "hint-row"))
    return 1;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    n += count_hint_rows (child);
  return n;
}

guint
ui_test_n_hints (gpointer page)
{
  return count_hint_rows (server_group (page));
}

/* TRUE while the form cannot be edited (a test runs here or on another page). */
gboolean
ui_test_inputs_locked (gpointer page)
{
  return !gtk_widget_get_sensitive (ui_test_find_named (GTK_WIDGET (page), "account-group")) ||
         !gtk_widget_get_sensitive (server_group (page));
}

gpointer
ui_test_result_view (gpointer page)
{
  GtkWidget *view = ui_test_find_named (GTK_WIDGET (page), "result-view");

  g_assert_nonnull (view);
  return view;
}

/* The view of the search for working settings, or NULL before the first search. */
gpointer
ui_test_detect_view (gpointer page)
{
  return ui_test_find_named (GTK_WIDGET (page), "detect-view");
}
