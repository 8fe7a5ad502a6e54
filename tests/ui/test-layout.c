/* test-layout.c: the window at phone width, its access keys, and how its
 * labels break
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-layout"

#include "config.h"

#include <string.h>

#include "mc-diagnosis.h"
#include "mc-widgets.h"
#include "mc-window.h"
#include "ui-test-util.h"

#define NARROW 360
#define WIDE   720

static McWindow *
window_new (int width)
{
  McWindow *window;

  ui_test_reset_settings ();
  window = mc_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), width, 700);
  mc_window_set_visible_page (window, MC_PROTOCOL_IMAP);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_ms (200);
  return window;
}

static graphene_rect_t
bounds_in (GtkWidget *widget,
           GtkWidget *ancestor)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, ancestor, &bounds));
  return bounds;
}

/* The result with the widest content there is – advice whose fix names a
 * server, and the report buttons – must not make the window wider. */
static void
test_result_fits_narrow_window (void)
{
  g_autoptr(McResult) result = NULL;
  McWindow *window;
  McAccountPage *page;
  McResultView *view;
  int width_before;
  int minimum;

  if (ui_test_skip_without_display ())
    return;

  window = window_new (NARROW);
  page = mc_window_get_page (window, MC_PROTOCOL_IMAP);
  view = ui_test_result_view (page);
  width_before = gtk_widget_get_width (GTK_WIDGET (window));

  result = ui_test_advice_result_new ();
  mc_result_view_show_result (view, result);
  ui_test_wait_ms (300);

  g_assert_nonnull (ui_test_advice_row (view, "legacy-hostname"));
  g_assert_true (gtk_widget_get_visible (ui_test_find_named (GTK_WIDGET (view), "report-buttons")));
  gtk_widget_measure (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)),
                      GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, NARROW);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), ==, width_before);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
check_advice_buttons (int      width,
                      gboolean stacked)
{
  g_autoptr(McResult) result = ui_test_advice_result_new ();
  McWindow *window = window_new (width);
  McResultView *view = ui_test_result_view (mc_window_get_page (window, MC_PROTOCOL_IMAP));
  GtkWidget *row;
  GtkWidget *fix;
  GtkWidget *topic;
  graphene_rect_t fix_bounds;
  graphene_rect_t topic_bounds;

  mc_result_view_show_result (view, result);
  ui_test_wait_ms (300);

  row = ui_test_advice_row (view, "legacy-hostname");
  g_assert_nonnull (row);
  fix = ui_test_find_named (row, "fix-button");
  topic = ui_test_find_named (row, "topic-button");
  g_assert_nonnull (fix);
  g_assert_nonnull (topic);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (fix)), ==, "Use mail01.netzprisma.de and Test");

  fix_bounds = bounds_in (fix, row);
  topic_bounds = bounds_in (topic, row);
  /* Both whole inside the row. */
  g_assert_cmpfloat (fix_bounds.origin.x, >=, 0);
  g_assert_cmpfloat (topic_bounds.origin.x, >=, 0);
  g_assert_cmpfloat (fix_bounds.origin.x + fix_bounds.size.width, <=, gtk_widget_get_width (row));
  g_assert_cmpfloat (topic_bounds.origin.x + topic_bounds.size.width, <=, gtk_widget_get_width (row));
  /* The fix comes first, in reading order and on screen. */
  g_assert_true (gtk_widget_get_prev_sibling (topic) == fix);
  if (stacked)
    g_assert_cmpfloat (topic_bounds.origin.y, >=, fix_bounds.origin.y + fix_bounds.size.height);
  else
    {
      g_assert_cmpfloat (topic_bounds.origin.y, ==, fix_bounds.origin.y);
      g_assert_cmpfloat (topic_bounds.origin.x, >=, fix_bounds.origin.x + fix_bounds.size.width);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_advice_buttons_wrap (void)
{
  if (ui_test_skip_without_display ())
    return;

  check_advice_buttons (WIDE, FALSE);
  check_advice_buttons (NARROW, TRUE);
}

static void
collect_access_keys (GtkWidget  *widget,
                     GHashTable *keys)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)) &&
      gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol)
    {
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      const char *other = g_hash_table_lookup (keys, GUINT_TO_POINTER (key));

      /* An entry row has two labels for its title, one for the empty field. */
      if (other != NULL && g_strcmp0 (other, gtk_label_get_text (GTK_LABEL (widget))) != 0)
        g_error ("“%s” and “%s” share the access key %s", other, gtk_label_get_text (GTK_LABEL (widget)),
                 gdk_keyval_name (key));
      g_hash_table_insert (keys, GUINT_TO_POINTER (key), (gpointer)gtk_label_get_text (GTK_LABEL (widget)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_access_keys (child, keys);
}

/* Hidden controls count too: Cancel appears while a test runs, the report
 * buttons after it. */
static void
test_access_keys_unique (void)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (NULL, NULL);
  McWindow *window;

  if (ui_test_skip_without_display ())
    return;

  window = window_new (WIDE);
  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      g_hash_table_remove_all (keys);
      collect_access_keys (GTK_WIDGET (mc_window_get_page (window, protocol)), keys);

      g_assert_cmpstr (g_hash_table_lookup (keys, GUINT_TO_POINTER (GDK_KEY_c)), ==, "Security");
      g_assert_cmpstr (g_hash_table_lookup (keys, GUINT_TO_POINTER (GDK_KEY_a)), ==, "Cancel");
      g_assert_cmpstr (g_hash_table_lookup (keys, GUINT_TO_POINTER (GDK_KEY_t)), ==, "Test Connection");
      g_assert_cmpstr (g_hash_table_lookup (keys, GUINT_TO_POINTER (GDK_KEY_r)), ==, "Copy Report");
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Byte offsets at which the layout starts a new line. */
static GArray *
line_starts (PangoLayout *layout)
{
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (int));

  for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
    g_array_append_val (starts, ((PangoLayoutLine *)l->data)->start_index);
  return starts;
}

/* Whether some width makes @label's text start a line at @index. */
static gboolean
breaks_at (GtkLabel *label,
           int       index,
           gboolean  with_attributes)
{
  const char *text = gtk_label_get_text (label);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (label), text);
  int full_width;

  if (with_attributes)
    pango_layout_set_attributes (layout, gtk_label_get_attributes (label));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_size (layout, &full_width, NULL);

  for (int width = full_width; width > PANGO_SCALE; width -= PANGO_SCALE)
    {
      g_autoptr(GArray) starts = NULL;

      pango_layout_set_width (layout, width);
      starts = line_starts (layout);
      for (guint i = 0; i < starts->len; i++)
        {
          if (g_array_index (starts, int, i) == index)
            return TRUE;
        }
    }
  return FALSE;
}

static void
test_terms_never_split (void)
{
  static const struct { const char *text; const char *term; int split; } cases[] = {
    { "Port 143 usually starts unencrypted. Set Security to STARTTLS — or keep SSL/TLS and use port 993.",
      "SSL/TLS", 4 },
    { "Only encrypting the message itself protects it on every server: with PGP (OpenPGP) or S/MIME.",
      "S/MIME", 2 },
    { "My mail program uses smtp.my-domain or pop3.my-domain as server", "pop3.my-domain", 8 },
  };
  McWindow *window;
  McAccountPage *page;
  GtkWidget *hint;
  GtkWidget *label;
  const char *text;
  int split;

  if (ui_test_skip_without_display ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      label = g_object_ref_sink (gtk_label_new (cases[i].text));
      split = (int)(strstr (cases[i].text, cases[i].term) - cases[i].text) + cases[i].split;
      /* Without help, some width starts a line in the middle of the term. */
      g_assert_true (breaks_at (GTK_LABEL (label), split, FALSE));
      mc_label_keep_terms_whole (GTK_LABEL (label));
      g_assert_false (breaks_at (GTK_LABEL (label), split, TRUE));
      /* Only the layout changes: what is read or copied is the text as it was. */
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, cases[i].text);
      g_object_unref (label);
    }

  /* The hint as the page shows it. */
  window = window_new (NARROW);
  page = mc_window_get_page (window, MC_PROTOCOL_IMAP);
  gtk_editable_set_text (ui_test_field (page, "port"), "143");
  hint = ui_test_hint (page, "use-implicit-tls");
  g_assert_nonnull (hint);
  label = ui_test_find_label (hint, "SSL/TLS");
  g_assert_nonnull (label);
  text = gtk_label_get_text (GTK_LABEL (label));
  g_assert_false (breaks_at (GTK_LABEL (label), (int)(strstr (text, "SSL/TLS") - text) + 4, TRUE));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* At phone width the fingerprint takes several lines of equal length, each
 * broken after a colon: no byte is split while someone compares it. */
static void
test_fingerprint_breaks_between_bytes (void)
{
  static const char *sha256 = "1F:76:14:CA:64:50:83:67:14:24:86:9A:2E:BC:6C:2C:"
                              "EA:4D:F1:26:43:17:3C:E5:AF:B5:26:64:81:3B:4F:45";
  g_autoptr(McResult) result = mc_result_new ();
  McWindow *window;
  McResultView *view;
  GtkWidget *certificate;
  GtkWidget *label;
  GSList *lines;

  if (ui_test_skip_without_display ())
    return;

  result->protocol = MC_PROTOCOL_IMAP;
  result->verdict = MC_VERDICT_OK;
  result->certificate = g_new0 (McCertificateInfo, 1);
  result->certificate->subject = g_strdup ("CN=mail01.netzprisma.de");
  result->certificate->issuer = g_strdup ("CN=Example CA");
  result->certificate->sha256 = g_strdup (sha256);

  window = window_new (NARROW);
  view = ui_test_result_view (mc_window_get_page (window, MC_PROTOCOL_IMAP));
  mc_result_view_show_result (view, result);
  certificate = mc_result_view_get_detail_row (view, "certificate");
  g_assert_nonnull (certificate);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (certificate), TRUE);
  ui_test_wait_ms (400);

  label = ui_test_find_label (certificate, sha256);
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, sha256);
  lines = pango_layout_get_lines_readonly (gtk_label_get_layout (GTK_LABEL (label)));
  g_assert_cmpuint (g_slist_length (lines), >, 1);
  for (GSList *l = lines; l != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;

      g_assert_cmpint (line->start_index % 3, ==, 0);
      /* Filled evenly: no short line in the middle. */
      if (l->next != NULL)
        g_assert_cmpint (line->length, ==, ((PangoLayoutLine *)lines->data)->length);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/mailcheck/ui/narrow/result-fits-360px", test_result_fits_narrow_window);
  g_test_add_func ("/mailcheck/ui/narrow/advice-buttons-wrap", test_advice_buttons_wrap);
  g_test_add_func ("/mailcheck/ui/narrow/fingerprint-breaks-between-bytes", test_fingerprint_breaks_between_bytes);
  g_test_add_func ("/mailcheck/ui/keyboard/access-keys-unique-per-page", test_access_keys_unique);
  g_test_add_func ("/mailcheck/ui/text/terms-never-split", test_terms_never_split);

  return g_test_run ();
}
