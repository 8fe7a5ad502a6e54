/* test-mail-program.c: the advice and the settings in the words of the
 * customer's mail program, against a fake IMAP server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-mail-program"

#include "config.h"

#include <string.h>

#include "fake-server.h"
#include "mc-clients.h"
#include "mc-faq-page.h"
#include "mc-window.h"
#include "ui-test-util.h"

/* The fake server's account: it takes this address and password, nothing else. */
#define PASSWORD FAKE_PASSWORD
#define ADDRESS  FAKE_USER

static gboolean
setup (UiTestFixture *fixture,
       FakeMode       mode)
{
  return ui_test_fixture_setup (fixture, fake_imap_server_new (mode), MC_PROTOCOL_IMAP);
}

/* What a user does: open the "Mail Program" row and pick the entry. */
static void
choose_program (UiTestFixture *fixture,
                const char    *id)
{
  AdwComboRow *row = ADW_COMBO_ROW (ui_test_find_named (GTK_WIDGET (fixture->page), "mail-program"));
  GPtrArray *clients = mc_client_list ();
  GListModel *names = adw_combo_row_get_model (row);

  g_assert_cmpuint (g_list_model_get_n_items (names), ==, clients->len);
  for (guint i = 0; i < clients->len; i++)
    {
      if (g_str_equal (mc_client_get_id (g_ptr_array_index (clients, i)), id))
        {
          g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), i), ==,
                           mc_client_get_name (g_ptr_array_index (clients, i)));
          adw_combo_row_set_selected (row, i);
          ui_test_wait_ms (50);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
append_labels (GtkWidget *widget,
               GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    append_labels (child, out);
}

/* Every text shown under @widget, a line each. */
static char *
texts_of (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  append_labels (widget, out);
  return g_string_free (out, FALSE);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not in:\n%s", needle, haystack);
}

/* The steps under an advice are the engine's for the program, in order. */
static void
assert_steps_are (GtkWidget      *steps,
                  const char     *program,
                  McResult       *result,
                  const McAdvice *advice)
{
  const McClient *client = mc_client_lookup (program);
  g_auto(GStrv) expected = mc_client_steps_for_advice (client, result, advice);
  g_autofree char *shown = texts_of (steps);

  g_assert_nonnull (expected);
  for (guint i = 0; expected[i] != NULL; i++)
    assert_contains (shown, expected[i]);
}

static McAdvice *
result_advice (McResult   *result,
               const char *code)
{
  for (guint i = 0; i < result->advice->len; i++)
    {
      McAdvice *advice = g_ptr_array_index (result->advice, i);

      if (g_str_equal (advice->code, code))
        return advice;
    }
  return NULL;
}

static void
test_steps_follow_program (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *advice;
  GtkWidget *steps;
  g_autofree char *generic = NULL;
  g_autofree char *thunderbird = NULL;
  g_autofree char *apple = NULL;
  McResult *result;
  guint logins;

  /* A server that starts unencrypted, tested with SSL/TLS: "use STARTTLS". */
  if (!setup (&fixture, FAKE_MODE_STARTTLS))
    return;

  /* Before any choice, the advice speaks of "your mail program". */
  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
  ui_test_run_to_end (fixture.page);
  result = mc_result_view_get_result (fixture.view);
  advice = ui_test_advice_row (fixture.view, "use-starttls");
  g_assert_nonnull (advice);
  steps = ui_test_find_named (advice, "client-steps");
  g_assert_nonnull (steps);
  generic = texts_of (steps);
  assert_contains (generic, "In your mail program:");

  /* Thunderbird: its menu path and the label of its security setting. */
  choose_program (&fixture, "thunderbird");
  logins = fake_server_count_logins_now (fixture.server);
  advice = ui_test_advice_row (fixture.view, "use-starttls");
  steps = ui_test_find_named (advice, "client-steps");
  g_assert_nonnull (steps);
  thunderbird = texts_of (steps);
  assert_contains (thunderbird, "In Thunderbird:");
  assert_contains (thunderbird, "“Connection security”");
  assert_contains (thunderbird, "“STARTTLS”");
  assert_steps_are (steps, "thunderbird", result, result_advice (result, "use-starttls"));
  /* The fix button is still there and still says what it does. */
  g_assert_nonnull (ui_test_find_named (advice, "fix-button"));

  /* Another program: other steps, at once, without a new test. */
  choose_program (&fixture, "apple-mail");
  g_assert_true (mc_result_view_get_result (fixture.view) == result);
  g_assert_cmpuint (fake_server_count_logins_now (fixture.server), ==, logins);
  g_assert_false (mc_account_page_get_running (fixture.page));
  g_assert_false (mc_result_view_get_outdated (fixture.view));
  advice = ui_test_advice_row (fixture.view, "use-starttls");
  steps = ui_test_find_named (advice, "client-steps");
  g_assert_nonnull (steps);
  apple = texts_of (steps);
  g_assert_cmpstr (apple, !=, thunderbird);
  g_assert_null (strstr (apple, "Thunderbird"));
  assert_contains (apple, "Apple Mail");
  assert_steps_are (steps, "apple-mail", result, result_advice (result, "use-starttls"));

  /* The choice holds on every page: it is one program. */
  g_assert_true (mc_account_form_get_client (mc_account_page_get_form (mc_window_get_page (fixture.window,
                                                                                             MC_PROTOCOL_SMTP)))
                 == mc_client_lookup ("apple-mail"));

  ui_test_fixture_teardown (&fixture);
}

static void
test_success_card (void)
{
  UiTestFixture fixture = { 0 };
  g_autofree char *port = NULL;
  g_autofree char *card_text = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *report = NULL;
  GtkWidget *card;
  GtkWidget *server;
  GtkWidget *copy;

  if (!setup (&fixture, FAKE_MODE_TLS))
    return;

  choose_program (&fixture, "outlook");
  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
  port = g_strdup_printf ("%u", fake_server_get_port (fixture.server));
  ui_test_run_to_end (fixture.page);
  g_assert_cmpstr (mc_result_view_get_verdict_text (fixture.view), ==, "The connection works.");

  card = ui_test_find_named (GTK_WIDGET (fixture.view), "client-card");
  g_assert_nonnull (card);
  g_assert_true (gtk_widget_get_visible (card));
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (card)), ==,
                   "Enter This in Outlook 2016 and later (classic)");
  /* Where to go, in Outlook's menus. */
  assert_contains (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (card)), "“Account Settings”");
  card_text = texts_of (card);
  /* Outlook's own names: its security label and option, SPA switched off. */
  assert_contains (card_text, "“Use the following type of encrypted connection”");
  assert_contains (card_text, "“SSL/TLS”");
  assert_contains (card_text, "Secure Password Authentication");
  assert_contains (card_text, "127.0.0.1");
  assert_contains (card_text, port);
  assert_contains (card_text, ADDRESS);
  assert_contains (card_text, "Do not choose “Auto”");
  g_assert_null (strstr (card_text, PASSWORD));

  /* What is typed has a copy button, and the button copies the value. */
  server = ui_test_find_named (card, "server");
  g_assert_nonnull (server);
  copy = ui_test_find_named (server, "copy-button");
  g_assert_nonnull (copy);
  ui_test_click (copy);
  copied = ui_test_clipboard_text (copy);
  g_assert_cmpstr (copied, ==, "127.0.0.1");
  /* A chosen option is not typed: no copy button. */
  g_assert_null (ui_test_find_named (ui_test_find_named (card, "security"), "copy-button"));

  /* The report names the program. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.view), "result.copy", NULL));
  report = ui_test_clipboard_text (GTK_WIDGET (fixture.view));
  assert_contains (report, "Mail program: Outlook 2016 and later (classic)");

  /* Another program: its card, at once. */
  choose_program (&fixture, "thunderbird");
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (card)), ==,
                   "Enter This in Thunderbird");

  /* A changed field: the card no longer holds, so it goes. */
  gtk_editable_set_text (ui_test_field (fixture.page, "host"), "localhost");
  g_assert_true (mc_result_view_get_outdated (fixture.view));
  g_assert_false (gtk_widget_get_visible (card));

  ui_test_fixture_teardown (&fixture);
}

/* A failed test has no card: nothing there is right to enter. */
static void
test_no_card_on_failure (void)
{
  UiTestFixture fixture = { 0 };
  GtkWidget *card;

  if (!setup (&fixture, FAKE_MODE_STARTTLS))
    return;

  choose_program (&fixture, "thunderbird");
  ui_test_fill_form (&fixture, MC_SECURITY_TLS, ADDRESS, PASSWORD);
  ui_test_run_to_end (fixture.page);
  card = ui_test_find_named (GTK_WIDGET (fixture.view), "client-card");
  g_assert_nonnull (card);
  g_assert_false (gtk_widget_get_visible (card));

  ui_test_fixture_teardown (&fixture);
}

/* The choice is remembered; the password never is. */
static void
test_program_remembered (void)
{
  UiTestFixture fixture = { 0 };
  AdwComboRow *row;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *stored = NULL;

  if (!setup (&fixture, FAKE_MODE_TLS))
    return;

  choose_program (&fixture, "kmail");
  gtk_window_close (GTK_WINDOW (fixture.window));
  fixture.window = NULL;
  ui_test_wait_ms (20);

  settings = g_settings_new (APP_ID);
  stored = g_settings_get_string (settings, "mail-program");
  g_assert_cmpstr (stored, ==, "kmail");

  fixture.window = mc_window_new (NULL);
  fixture.page = mc_window_get_page (fixture.window, MC_PROTOCOL_POP3);
  row = ADW_COMBO_ROW (ui_test_find_named (GTK_WIDGET (fixture.page), "mail-program"));
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (row)),
                                               adw_combo_row_get_selected (row)),
                   ==, "KMail");

  /* An ID the catalogue no longer has falls back to "Other program". */
  gtk_window_destroy (GTK_WINDOW (fixture.window));
  g_settings_set_string (settings, "mail-program", "no-such-program");
  fixture.window = mc_window_new (NULL);
  fixture.page = mc_window_get_page (fixture.window, MC_PROTOCOL_IMAP);
  g_assert_true (mc_account_form_get_client (mc_account_page_get_form (fixture.page)) == mc_client_get_default ());

  ui_test_fixture_teardown (&fixture);
}

static gboolean
program_row_focused (gpointer data)
{
  GtkWidget *row = data;
  GtkRoot *root = gtk_widget_get_root (row);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == row || gtk_widget_is_ancestor (focus, row));
}

/* The help on "SSL" says what to choose in the program, and leads to the choice. */
static void
test_faq_follows_program (void)
{
  UiTestFixture fixture = { 0 };
  McFaqPage *faq;
  GtkWidget *box;
  GtkWidget *button;
  GtkWidget *topic;
  g_autofree char *generic = NULL;
  g_autofree char *thunderbird = NULL;
  g_autofree char *geary = NULL;
  g_autofree char *ports = NULL;

  if (!setup (&fixture, FAKE_MODE_TLS))
    return;

  mc_window_show_faq (fixture.window, MC_FAQ_TOPIC_SSL_NAMES);
  faq = mc_window_get_faq_page (fixture.window);
  box = ui_test_find_named (GTK_WIDGET (faq), "faq-client");
  g_assert_nonnull (box);
  generic = texts_of (box);
  assert_contains (generic, "Choose your mail program on the test page");

  /* The help never offers port 465: it is not on the provider's page. The
   * one mention says it is not on the list. */
  topic = mc_faq_page_get_topic (faq, MC_FAQ_TOPIC_SSL_NAMES);
  ports = texts_of (mc_faq_page_get_topic (faq, MC_FAQ_TOPIC_PORTS));
  g_assert_null (strstr (ports, "465"));
  {
    g_autofree char *ssl = texts_of (topic);
    const char *first = strstr (ssl, "465");

    g_assert_nonnull (first);
    g_assert_null (strstr (first + 3, "465"));
    assert_contains (ssl, "not on Netzprisma’s list");
  }

  /* The button leads to the choice on the page on show. */
  button = ui_test_find_named (box, "choose-program-button");
  g_assert_nonnull (button);
  ui_test_click (button);
  g_assert_false (mc_window_get_faq_visible (fixture.window));
  g_assert_true (ui_test_wait_until (program_row_focused,
                                     ui_test_find_named (GTK_WIDGET (fixture.page), "mail-program"), 2000));

  /* Thunderbird: its label and options, port by port as Netzprisma recommends. */
  choose_program (&fixture, "thunderbird");
  thunderbird = texts_of (box);
  assert_contains (thunderbird, "What to choose in Thunderbird");
  assert_contains (thunderbird, "POP3 — “Connection security”: “SSL/TLS”, “Port”: 995");
  assert_contains (thunderbird, "IMAP — “Connection security”: “SSL/TLS”, “Port”: 993");
  assert_contains (thunderbird, "SMTP — “Connection security”: “STARTTLS”, “Port”: 587");
  g_assert_null (strstr (thunderbird, "465"));

  /* A program without POP3 gets no POP3 line. */
  choose_program (&fixture, "geary");
  geary = texts_of (box);
  assert_contains (geary, "What to choose in Geary");
  g_assert_null (strstr (geary, "POP3"));
  assert_contains (geary, "IMAP");

  ui_test_fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  if (!ui_test_init (&argc, &argv))
    return 77;

  g_test_add_func ("/mailcheck/ui/mail-program/steps-follow-program", test_steps_follow_program);
  g_test_add_func ("/mailcheck/ui/mail-program/success-card", test_success_card);
  g_test_add_func ("/mailcheck/ui/mail-program/no-card-on-failure", test_no_card_on_failure);
  g_test_add_func ("/mailcheck/ui/mail-program/remembered", test_program_remembered);
  g_test_add_func ("/mailcheck/ui/mail-program/faq-follows-program", test_faq_follows_program);

  return g_test_run ();
}
