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

/* @timeout_ms is what a quiet machine needs at most; the wait allows four
 * times that, because the bound is there to end a hang, not to time anything:
 * under AddressSanitizer on a busy machine one frame of a new window can take
 * seconds (a paste in the delivery-path test once missed 5 s that way). */
gboolean
ui_test_wait_until (gboolean (*condition) (gpointer),
                    gpointer   data,
                    guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 4 * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

/* The first widget under @root, @root included and depth first, that @match
 * accepts: how a test finds what the user would look for. */
GtkWidget *
ui_test_find (GtkWidget     *root,
              UiTestMatch    match,
              gconstpointer  data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
label_contains (GtkWidget     *widget,
                gconstpointer  needle)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL;
}

/* The first GtkLabel under @root whose text contains @needle: what the user can read. */
GtkWidget *
ui_test_find_label (GtkWidget  *root,
                    const char *needle)
{
  return ui_test_find (root, label_contains, needle);
}

static gboolean
is_named (GtkWidget     *widget,
          gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

GtkWidget *
ui_test_find_named (GtkWidget  *root,
                    const char *name)
{
  return ui_test_find (root, is_named, name);
}

/* Clicks @button, which must be there and sensitive, as the user would. */
void
ui_test_click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* What a pointer click ends in; gtk_widget_activate() would wait for a key release. */
  g_signal_emit_by_name (button, "clicked");
}

static void
clipboard_text_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
string_set (gpointer data)
{
  return *(char **)data != NULL;
}

/* What a paste would insert: the text on @widget's clipboard ("" for none). */
char *
ui_test_clipboard_text (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, clipboard_text_cb, &text);
  g_assert_true (ui_test_wait_until (string_set, &text, 5000));
  return text;
}

static GSettingsSchema *
app_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

  return source != NULL ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
}

/* The app's settings schema; NULL, and the test skipped, where it was not
 * compiled (GSETTINGS_SCHEMA_DIR). */
GSettingsSchema *
ui_test_settings_schema (void)
{
  GSettingsSchema *schema = app_schema ();

  if (schema == NULL)
    g_test_skip ("GSettings schema not compiled (GSETTINGS_SCHEMA_DIR)");
  return schema;
}

/* The memory backend lives as long as the test program: start each test from the defaults. */
void
ui_test_reset_settings (void)
{
  g_autoptr(GSettingsSchema) schema = app_schema ();
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) keys = NULL;

  if (schema == NULL)
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

/* The hint for @code on @page, asserting that it is shown and says @text. */
GtkWidget *
ui_test_shown_hint (gpointer    page,
                    const char *code,
                    const char *text)
{
  GtkWidget *hint = ui_test_hint (page, code);

  g_assert_nonnull (hint);
  g_assert_nonnull (ui_test_find_label (hint, text));
  return hint;
}

/* Clicks the fix of @row (a hint or an advice), whose button must say what it
 * does: @label. */
void
ui_test_click_fix (GtkWidget  *row,
                   const char *label)
{
  GtkWidget *button = ui_test_find_named (row, "fix-button");

  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, label);
  ui_test_click (button);
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

/* The row of the step @id, or NULL when the result has no such step. */
McStepRow *
ui_test_step_row (McResultView *view,
                  McStepId      id)
{
  for (guint i = 0; i < mc_result_view_get_n_steps (view); i++)
    {
      McStepRow *row = mc_result_view_get_step_row (view, i);

      if (mc_step_row_get_step_id (row) == id)
        return row;
    }
  return NULL;
}

/* The row of the advice with @code ("use-starttls", …), or NULL when there is none. */
GtkWidget *
ui_test_advice_row (McResultView *view,
                    const char   *code)
{
  for (guint i = 0; i < mc_result_view_get_n_advice (view); i++)
    {
      GtkWidget *row = mc_result_view_get_advice_row (view, i);

      if (g_strcmp0 (gtk_widget_get_name (row), code) == 0)
        return row;
    }
  return NULL;
}

/**
 * ui_test_fixture_setup:
 * @server: (transfer full) (nullable): started here; freed also when the test
 *   is skipped
 *
 * Opens a window from the default settings on @protocol's page, trusting the
 * test CA. Returns FALSE, the test skipped, without a display.
 */
gboolean
ui_test_fixture_setup (UiTestFixture *fixture,
                       FakeServer    *server,
                       McProtocol     protocol)
{
  g_autofree char *ca = ui_test_cert_path ("ca.pem");

  fixture->server = server;
  if (ui_test_skip_without_display ())
    {
      g_clear_pointer (&fixture->server, fake_server_free);
      return FALSE;
    }

  ui_test_reset_settings ();
  if (fixture->server != NULL)
    fake_server_start (fixture->server);

  fixture->window = mc_window_new (NULL);
  mc_window_set_ca_file (fixture->window, ca);
  fixture->page = mc_window_get_page (fixture->window, protocol);
  fixture->view = ui_test_result_view (fixture->page);
  mc_window_set_visible_page (fixture->window, protocol);
  gtk_window_present (GTK_WINDOW (fixture->window));
  return TRUE;
}

/* What holds after every test: the window and its pages are gone (see
 * ui_test_destroy_window), the window closed every connection it opened and no
 * credentials ever went out unencrypted. The next test starts from the
 * default settings again. */
void
ui_test_fixture_teardown (UiTestFixture *fixture)
{
  if (fixture->window != NULL)
    ui_test_destroy_window (GTK_WINDOW (g_steal_pointer (&fixture->window)));
  ui_test_wait_ms (20);
  if (fixture->server != NULL)
    {
      fake_server_finish (fixture->server);
      g_assert_null (fake_server_get_script_error (fixture->server));
      fake_server_assert_no_plaintext_credentials (fixture->server, FAKE_USER, FAKE_PASSWORD);
    }
  g_clear_pointer (&fixture->server, fake_server_free);
  ui_test_reset_settings ();
}

/* Types an account on a server at 127.0.0.1:@port into @page, as a user does. */
void
ui_test_fill_page (gpointer    page,
                   McSecurity  security,
                   const char *email,
                   const char *password,
                   guint16     port)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);

  gtk_editable_set_text (ui_test_field (page, "email"), email);
  gtk_editable_set_text (ui_test_field (page, "password"), password);
  gtk_editable_set_text (ui_test_field (page, "host"), "127.0.0.1");
  mc_account_form_set_security (mc_account_page_get_form (MC_ACCOUNT_PAGE (page)), security);
  gtk_editable_set_text (ui_test_field (page, "port"), port_text);
}

/* The same for the fixture's page and server. */
void
ui_test_fill_form (UiTestFixture *fixture,
                   McSecurity     security,
                   const char    *email,
                   const char    *password)
{
  ui_test_fill_page (fixture->page, security, email, password, fake_server_get_port (fixture->server));
}

/* For ui_test_wait_until(): no check or search runs on @page. */
gboolean
ui_test_page_idle (gpointer page)
{
  return !mc_account_page_get_running (MC_ACCOUNT_PAGE (page));
}

/* Clicks Test Connection on @page and waits for the check to end. */
void
ui_test_run_to_end (gpointer page)
{
  ui_test_click (ui_test_find_named (GTK_WIDGET (page), "test-button"));
  g_assert_true (mc_account_page_get_running (MC_ACCOUNT_PAGE (page)));
  g_assert_true (ui_test_wait_until (ui_test_page_idle, page, 20000));
}
