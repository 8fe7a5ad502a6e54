/* test-detect.c: Find Working Settings, its table and "Use These Settings"
 *
 * The search probes the standard ports (110, 995, 143, 993, 25, 587, 465), which
 * a test cannot listen on without root. The table is therefore fed results
 * built here, and the real search only runs against 127.0.0.1 where the
 * outcome of each port does not matter to the assertions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-detect"

#include "config.h"

#include "mc-window.h"
#include "ui-test-util.h"

#define HOST "mail01.netzprisma.de"

/* The search's view, built by the page on the first search. */
static McDetectView *
detect_view (UiTestFixture *fixture)
{
  return MC_DETECT_VIEW (ui_test_detect_view (fixture->page));
}

static McResult *
probe_new (McProtocol  protocol,
           guint16     port,
           McSecurity  security,
           const char *failure)
{
  McResult *probe = mc_result_new ();
  McStep *step;

  probe->protocol = protocol;
  probe->port = port;
  probe->security = security;
  probe->host = g_strdup (HOST);

  step = mc_result_add_step (probe, MC_STEP_RESOLVE);
  step->status = MC_STEP_STATUS_OK;
  step->summary = g_strdup ("Found the server’s address.");
  step = mc_result_add_step (probe, MC_STEP_CONNECT);
  if (failure != NULL)
    {
      step->status = MC_STEP_STATUS_FAILED;
      step->summary = g_strdup (failure);
      probe->verdict = MC_VERDICT_FAILED;
      return probe;
    }
  step->status = MC_STEP_STATUS_OK;
  step->summary = g_strdup ("Connected.");
  step = mc_result_add_step (probe, MC_STEP_LOGIN);
  step->status = MC_STEP_STATUS_SKIPPED;
  step->summary = g_strdup ("Not tried without a password.");
  probe->verdict = MC_VERDICT_OK;
  return probe;
}

/* What a search of a server might find: IMAP only with STARTTLS, port 25
 * blocked with an answer that looks like markup. */
static McDetectResult *
detect_result_new (gboolean smtp_works)
{
  McDetectResult *result = g_new0 (McDetectResult, 1);
  McResult *probe;

  g_atomic_ref_count_init (&result->ref_count);
  result->host = g_strdup (HOST);
  result->probes = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_result_unref);
  result->provider_known = TRUE;

  probe = probe_new (MC_PROTOCOL_POP3, 995, MC_SECURITY_TLS, NULL);
  g_ptr_array_add (result->probes, probe);
  result->recommended[MC_PROTOCOL_POP3] = probe;
  g_ptr_array_add (result->probes, probe_new (MC_PROTOCOL_POP3, 110, MC_SECURITY_STARTTLS,
                                              "The server did not answer within 15 seconds."));
  g_ptr_array_add (result->probes, probe_new (MC_PROTOCOL_IMAP, 993, MC_SECURITY_TLS,
                                              "The server did not answer with TLS."));
  probe = probe_new (MC_PROTOCOL_IMAP, 143, MC_SECURITY_STARTTLS, NULL);
  g_ptr_array_add (result->probes, probe);
  result->recommended[MC_PROTOCOL_IMAP] = probe;
  if (smtp_works)
    {
      g_ptr_array_add (result->probes, probe_new (MC_PROTOCOL_SMTP, 465, MC_SECURITY_TLS, NULL));
      probe = probe_new (MC_PROTOCOL_SMTP, 587, MC_SECURITY_STARTTLS, NULL);
      g_ptr_array_add (result->probes, probe);
      result->recommended[MC_PROTOCOL_SMTP] = probe;
    }
  else
    {
      g_ptr_array_add (result->probes, probe_new (MC_PROTOCOL_SMTP, 465, MC_SECURITY_TLS,
                                                  "Connection refused"));
      g_ptr_array_add (result->probes, probe_new (MC_PROTOCOL_SMTP, 587, MC_SECURITY_STARTTLS,
                                                  "Connection refused"));
    }
  g_ptr_array_add (result->probes, probe_new (MC_PROTOCOL_SMTP, 25, MC_SECURITY_STARTTLS,
                                              "<b>blocked</b> & gone"));
  return result;
}

static gboolean
row_says (GtkWidget  *row,
          const char *status)
{
  GtkWidget *label = ui_test_find_named (row, "status");

  return label != NULL && g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), status) == 0;
}

static gboolean
row_recommended (GtkWidget *row)
{
  GtkWidget *tag = ui_test_find_named (row, "recommended");

  return tag != NULL && gtk_widget_get_visible (tag) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (tag)), "Recommended") == 0;
}

static void
test_table_shows_every_probe (void)
{
  static const struct
  {
    McProtocol  protocol;
    guint16     port;
    McSecurity  security;
    const char *title;
    const char *status;
    gboolean    recommended;
  } expected[] = {
    { MC_PROTOCOL_POP3, 995, MC_SECURITY_TLS, "Port 995 with SSL/TLS", "Answers and encrypts", TRUE },
    { MC_PROTOCOL_POP3, 110, MC_SECURITY_STARTTLS, "Port 110 with STARTTLS",
      "Does not work: The server did not answer within 15 seconds.", FALSE },
    { MC_PROTOCOL_IMAP, 993, MC_SECURITY_TLS, "Port 993 with SSL/TLS",
      "Does not work: The server did not answer with TLS.", FALSE },
    { MC_PROTOCOL_IMAP, 143, MC_SECURITY_STARTTLS, "Port 143 with STARTTLS", "Answers and encrypts", TRUE },
    /* On the provider's server: answering is not being published. */
    { MC_PROTOCOL_SMTP, 465, MC_SECURITY_TLS, "Port 465 with SSL/TLS",
      "Answers, but is not among Netzprisma’s published settings", FALSE },
    { MC_PROTOCOL_SMTP, 587, MC_SECURITY_STARTTLS, "Port 587 with STARTTLS", "Answers and encrypts", TRUE },
    { MC_PROTOCOL_SMTP, 25, MC_SECURITY_STARTTLS, "Port 25 with STARTTLS",
      "Does not work: <b>blocked</b> & gone", FALSE },
  };
  g_autoptr(McDetectResult) result = NULL;
  UiTestFixture fixture = { 0 };

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_IMAP))
    return;

  result = detect_result_new (TRUE);
  mc_account_page_show_detect_result (fixture.page, HOST, result);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (detect_view (&fixture))));
  /* The table takes the place of a test result. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ui_test_result_view (fixture.page))));
  g_assert_cmpstr (mc_detect_view_get_status_text (detect_view (&fixture)), ==, "Settings that answer and encrypt found on " HOST);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (detect_view (&fixture)), "your password is not sent"));

  g_assert_cmpuint (mc_detect_view_get_n_rows (detect_view (&fixture)), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      GtkWidget *row = mc_detect_view_get_row (detect_view (&fixture), i);

      /* In the order of the engine's table, one row per combination. */
      g_assert_true (row == mc_detect_view_find_row (detect_view (&fixture), expected[i].protocol, expected[i].port,
                                                     expected[i].security));
      g_assert_true (gtk_widget_is_visible (row));
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, expected[i].title);
      g_assert_nonnull (ui_test_find_label (row, expected[i].title));
      g_assert_true (row_says (row, expected[i].status));
      g_assert_cmpint (row_recommended (row), ==, expected[i].recommended);
    }

  /* Server text is plain text: the tags are shown, not applied. */
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (ui_test_find_named (mc_detect_view_find_row (detect_view (&fixture),
                                                                                                    MC_PROTOCOL_SMTP, 25,
                                                                                                    MC_SECURITY_STARTTLS),
                                                                           "status"))));

  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      GtkWidget *button = mc_detect_view_get_use_button (detect_view (&fixture), protocol);

      g_assert_nonnull (button);
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Use These Settings");
      g_assert_true (gtk_widget_get_focusable (button));
    }

  ui_test_fixture_teardown (&fixture);
}

static void
test_use_settings_applies_them (void)
{
  g_autoptr(McDetectResult) result = NULL;
  UiTestFixture fixture = { 0 };
  McAccountPage *imap;
  McAccountPage *smtp;

  /* The search runs from the POP3 page; its findings are for all three. */
  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_POP3))
    return;
  imap = mc_window_get_page (fixture.window, MC_PROTOCOL_IMAP);
  smtp = mc_window_get_page (fixture.window, MC_PROTOCOL_SMTP);

  /* IMAP points elsewhere and uses the wrong mode; SMTP is on the right server. */
  gtk_editable_set_text (ui_test_field (imap, "host"), "imap.example.com");
  gtk_editable_set_text (ui_test_field (imap, "port"), "2993");
  mc_account_form_set_security (mc_account_page_get_form (smtp), MC_SECURITY_TLS);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "port")), ==, "465");
  gtk_editable_set_text (ui_test_field (smtp, "host"), "MAIL01.netzprisma.de");

  result = detect_result_new (TRUE);
  mc_account_page_show_detect_result (fixture.page, HOST, result);

  ui_test_click (mc_detect_view_get_use_button (detect_view (&fixture), MC_PROTOCOL_IMAP));
  g_assert_true (mc_window_get_visible_page (fixture.window) == imap);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (imap, "host")), ==, HOST);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (imap, "port")), ==, "143");
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (imap)), ==, MC_SECURITY_STARTTLS);
  g_assert_cmpuint (ui_test_n_hints (imap), ==, 0);

  mc_window_set_visible_page (fixture.window, MC_PROTOCOL_POP3);
  ui_test_click (mc_detect_view_get_use_button (detect_view (&fixture), MC_PROTOCOL_SMTP));
  g_assert_true (mc_window_get_visible_page (fixture.window) == smtp);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "port")), ==, "587");
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (smtp)), ==, MC_SECURITY_STARTTLS);
  /* The same server in another spelling stays as the user typed it. */
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (smtp, "host")), ==, "MAIL01.netzprisma.de");

  /* And on its own page. */
  mc_window_set_visible_page (fixture.window, MC_PROTOCOL_POP3);
  mc_account_form_set_security (mc_account_page_get_form (fixture.page), MC_SECURITY_STARTTLS);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (fixture.page, "port")), ==, "110");
  ui_test_click (mc_detect_view_get_use_button (detect_view (&fixture), MC_PROTOCOL_POP3));
  g_assert_true (mc_window_get_visible_page (fixture.window) == fixture.page);
  g_assert_cmpstr (gtk_editable_get_text (ui_test_field (fixture.page, "port")), ==, "995");
  g_assert_cmpint (mc_account_form_get_security (mc_account_page_get_form (fixture.page)), ==, MC_SECURITY_TLS);
  /* The next step is a test of what was applied. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture.window)) == ui_test_find_named (GTK_WIDGET (fixture.page), "test-button"));

  ui_test_fixture_teardown (&fixture);
}

static void
test_nothing_works_offers_nothing (void)
{
  g_autoptr(McDetectResult) result = NULL;
  UiTestFixture fixture = { 0 };
  GtkWidget *smtp_group;

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_SMTP))
    return;

  result = detect_result_new (FALSE);
  mc_account_page_show_detect_result (fixture.page, HOST, result);

  g_assert_null (mc_detect_view_get_use_button (detect_view (&fixture), MC_PROTOCOL_SMTP));
  g_assert_nonnull (mc_detect_view_get_use_button (detect_view (&fixture), MC_PROTOCOL_IMAP));
  smtp_group = ui_test_find_named (GTK_WIDGET (detect_view (&fixture)), "smtp");
  g_assert_nonnull (smtp_group);
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (smtp_group)), ==,
                   "None of these answered with encryption.");
  for (guint i = 0; i < mc_detect_view_get_n_rows (detect_view (&fixture)); i++)
    {
      GtkWidget *row = mc_detect_view_get_row (detect_view (&fixture), i);

      if (g_str_has_prefix (gtk_widget_get_name (row), "smtp-"))
        {
          g_assert_true (gtk_widget_is_ancestor (row, smtp_group));
          g_assert_false (row_recommended (row));
          g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (ui_test_find_named (row, "status"))),
                                           "Does not work: "));
        }
    }
  g_assert_cmpstr (mc_detect_view_get_status_text (detect_view (&fixture)), ==, "Settings that answer and encrypt found on " HOST);

  ui_test_fixture_teardown (&fixture);
}

static void
test_search_locks_and_cancels (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *button;

  if (!ui_test_fixture_setup (&fixture, NULL, MC_PROTOCOL_IMAP))
    return;

  button = ui_test_find_named (GTK_WIDGET (fixture.page), "detect-button");
  g_assert_true (gtk_widget_get_focusable (button));
  g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (button)));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Find Working Settings");

  /* A bad server name is explained on the field, nothing runs. */
  gtk_editable_set_text (ui_test_field (fixture.page, "host"), "imap://mail01.netzprisma.de");
  ui_test_click (button);
  g_assert_false (mc_account_page_get_running (fixture.page));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (ui_test_field (fixture.page, "host")), "error"));
  g_assert_null (detect_view (&fixture));

  /* Loopback only; the result of each port does not matter here. */
  gtk_editable_set_text (ui_test_field (fixture.page, "email"), "anna@example.de");
  gtk_editable_set_text (ui_test_field (fixture.page, "host"), "127.0.0.1");
  mc_account_page_set_timeout (fixture.page, 3);
  /* As a pointer click would: focus leaves the field before it is locked. */
  gtk_widget_grab_focus (button);
  ui_test_click (button);
  g_assert_true (mc_account_page_get_running (fixture.page));
  g_assert_true (ui_test_inputs_locked (fixture.page));
  g_assert_true (ui_test_inputs_locked (mc_window_get_page (fixture.window, MC_PROTOCOL_SMTP)));
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_false (gtk_widget_is_sensitive (ui_test_find_named (GTK_WIDGET (fixture.page), "test-button")));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (detect_view (&fixture))));
  g_assert_true (mc_detect_view_get_running (detect_view (&fixture)));
  g_assert_cmpstr (mc_detect_view_get_status_text (detect_view (&fixture)), ==, "Trying the standard ports of 127.0.0.1…");

  /* Escape stops it at once, silently; a late result never shows. */
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.escape", NULL);
  g_assert_false (mc_account_page_get_running (fixture.page));
  g_assert_false (ui_test_inputs_locked (fixture.page));
  g_assert_false (ui_test_inputs_locked (mc_window_get_page (fixture.window, MC_PROTOCOL_SMTP)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (detect_view (&fixture))));
  ui_test_wait_ms (300);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (detect_view (&fixture))));
  g_assert_null (mc_detect_view_get_result (detect_view (&fixture)));

  /* Run to the end: one row per combination, each saying whether it works. */
  ui_test_click (button);
  g_assert_true (ui_test_wait_until (ui_test_page_idle, fixture.page, 20000));
  g_assert_false (ui_test_inputs_locked (fixture.page));
  g_assert_nonnull (mc_detect_view_get_result (detect_view (&fixture)));
  g_assert_cmpuint (mc_detect_view_get_n_rows (detect_view (&fixture)), ==, 7);
  for (guint i = 0; i < mc_detect_view_get_n_rows (detect_view (&fixture)); i++)
    {
      GtkWidget *row = mc_detect_view_get_row (detect_view (&fixture), i);
      const char *status = gtk_label_get_text (GTK_LABEL (ui_test_find_named (row, "status")));

      g_assert_true (g_str_equal (status, "Answers and encrypts") || g_str_has_prefix (status, "Does not work") ||
                     g_str_equal (status, "Refused: nothing listens on this port") || g_str_equal (status, "No answer"));
    }
  g_assert_nonnull (mc_detect_view_find_row (detect_view (&fixture), MC_PROTOCOL_SMTP, 587, MC_SECURITY_STARTTLS));

  /* A test afterwards replaces the table with its own result. */
  ui_test_click (ui_test_find_named (GTK_WIDGET (fixture.page), "test-button"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (detect_view (&fixture))));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ui_test_result_view (fixture.page))));
  mc_account_page_cancel (fixture.page);

  ui_test_fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/mailcheck/ui/detect/table-shows-every-probe", test_table_shows_every_probe);
  g_test_add_func ("/mailcheck/ui/detect/use-settings-applies-them", test_use_settings_applies_them);
  g_test_add_func ("/mailcheck/ui/detect/nothing-works-offers-nothing", test_nothing_works_offers_nothing);
  g_test_add_func ("/mailcheck/ui/detect/search-locks-and-cancels", test_search_locks_and_cancels);

  return g_test_run ();
}
