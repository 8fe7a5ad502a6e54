/* mc-widgets.c
 *
 * Small widgets and label helpers shared by the pages. The layout helpers only
 * move where a line may break: the text itself, and so whatever is copied or
 * reported, stays as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-widgets"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "mc-widgets.h"

/* Adds to the label's own attributes instead of replacing them, so the helpers
 * below can be combined in any order. */
static void
label_add_attribute (GtkLabel       *label,
                     PangoAttribute *attribute)
{
  PangoAttrList *current = gtk_label_get_attributes (label);
  PangoAttrList *attributes = current != NULL ? pango_attr_list_copy (current) : pango_attr_list_new ();

  pango_attr_list_insert (attributes, attribute);
  gtk_label_set_attributes (label, attributes);
  pango_attr_list_unref (attributes);
}

/* Pango hyphenates when it breaks inside a word; in a server's reply or a
 * fingerprint an inserted hyphen would look like part of the text. */
void
mc_label_set_no_hyphens (GtkLabel *label)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  label_add_attribute (label, pango_attr_insert_hyphens_new (FALSE));
}

static void
label_keep_range_whole (GtkLabel *label,
                        gsize     start,
                        gsize     end)
{
  PangoAttribute *attribute = pango_attr_allow_breaks_new (FALSE);

  attribute->start_index = (guint)start;
  attribute->end_index = (guint)end;
  label_add_attribute (label, attribute);
}

/* Pango may break a line after the slash of “SSL/TLS” or at the hyphen of a
 * server name, and “SSL/” at the end of one line with “TLS” on the next reads
 * like two settings. Only the layout changes: the text, and so whatever is
 * copied or reported, stays as it is. Call it once the label has its text. */
void
mc_label_keep_terms_whole (GtkLabel *label)
{
  static const char * const terms[] = { "SSL/TLS", "S/MIME" };
  /* Server names, also placeholders such as “smtp.my-domain” in any language. */
  static const char * const server_prefixes[] = { "smtp.", "pop3.", "imap." };
  const char *text;

  g_return_if_fail (GTK_IS_LABEL (label));

  text = gtk_label_get_text (label);
  for (guint i = 0; i < G_N_ELEMENTS (terms); i++)
    {
      gsize length = strlen (terms[i]);

      for (const char *found = strstr (text, terms[i]); found != NULL; found = strstr (found + length, terms[i]))
        label_keep_range_whole (label, found - text, found - text + length);
    }
  for (guint i = 0; i < G_N_ELEMENTS (server_prefixes); i++)
    {
      for (const char *found = strstr (text, server_prefixes[i]); found != NULL; found = strstr (found + 1, server_prefixes[i]))
        label_keep_range_whole (label, found - text, found - text + strcspn (found, " \t\n"));
    }
}

/* A fingerprint “AB:CD:…” breaks after any colon, never inside a byte: the
 * lines fill up evenly, and no byte is torn in two while someone compares it. */
void
mc_label_keep_bytes_whole (GtkLabel *label)
{
  gsize length;

  g_return_if_fail (GTK_IS_LABEL (label));

  length = strlen (gtk_label_get_text (label));

  for (gsize start = 0; start < length; start += 3)
    label_keep_range_whole (label, start, MIN (start + 3, length));
  gtk_label_set_wrap_mode (label, PANGO_WRAP_CHAR);
}

/* A label for text from a server, the engine or a catalogue: plain text, never
 * markup, from the left edge, and broken inside a word that is longer than the
 * line (a server name, a cipher) rather than widening the window. */
GtkWidget *
mc_plain_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  return label;
}

/* A row that only shows what it holds: a click on it does nothing, and its
 * title can carry a server's or the user's text, so it is plain text too. The
 * caller gives it its child. */
GtkWidget *
mc_plain_row_new (const char *title)
{
  GtkWidget *row = adw_preferences_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

/* The tint goes on the box, the colour only on the icon: the sentences beside
 * a verdict stay in the normal text colour, readable in every theme.
 * @style_class: "success", "warning", "error", "neutral", or NULL for none. */
void
mc_set_verdict_style (GtkWidget  *box,
                      GtkWidget  *icon,
                      const char *style_class)
{
  static const char * const classes[] = { "success", "warning", "error", "neutral" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      g_autofree char *box_class = g_strconcat ("verdict-", classes[i], NULL);

      gtk_widget_remove_css_class (box, box_class);
      gtk_widget_remove_css_class (icon, classes[i]);
    }
  if (style_class != NULL)
    {
      g_autofree char *box_class = g_strconcat ("verdict-", style_class, NULL);

      gtk_widget_add_css_class (box, box_class);
      gtk_widget_add_css_class (icon, style_class);
    }
}

void
mc_rows_add (AdwPreferencesGroup *group,
             GPtrArray           *rows,
             GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
}

void
mc_rows_clear (AdwPreferencesGroup *group,
               GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

/* The row whose widget name is @name, or NULL: the names are the stable ids
 * tests and callers look rows up by. */
GtkWidget *
mc_rows_find (GPtrArray  *rows,
              const char *name)
{
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (gtk_widget_get_name (row), name) == 0)
        return row;
    }
  return NULL;
}

/* A button whose label wraps rather than widening the window: a fix can name a
 * server, and translations run long. */
GtkWidget *
mc_wrapping_button_new (const char *text)
{
  GtkWidget *button = gtk_button_new_with_label (text);
  GtkLabel *label = GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button)));

  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (label, GTK_JUSTIFY_CENTER);
  mc_label_set_no_hyphens (label);
  mc_label_keep_terms_whole (label);
  return button;
}

/* Whether @advice names a change to the form (NULL / -1 / 0 name none), which
 * a button can make for the user. */
gboolean
mc_advice_has_fix (const McAdvice *advice)
{
  return advice->fix_security >= 0 || advice->fix_port != 0 || advice->fix_host != NULL ||
         advice->fix_user != NULL;
}

/* The label of a button that applies exactly @advice's fix to the form; shared
 * by the hints above the buttons and the advice after a test, where a fix also
 * tests again (@and_test) and says so. */
char *
mc_advice_fix_label (const McAdvice *advice,
                     gboolean        and_test)
{
  gboolean security = advice->fix_security >= 0;
  gboolean port = advice->fix_port != 0;
  gboolean host = advice->fix_host != NULL;
  gboolean user = advice->fix_user != NULL;
  const char *mode = security ? mc_security_display_name (advice->fix_security) : NULL;

  if (security && port && !host && !user)
    return and_test
      /* Translators: a button that changes Port and Security, then tests; %u is a port number, %s SSL/TLS or STARTTLS */
      ? g_strdup_printf (_("Use Port %u with %s and Test"), advice->fix_port, mode)
      /* Translators: a button that changes Port and Security; %u is a port number, %s SSL/TLS or STARTTLS */
      : g_strdup_printf (_("Use Port %u with %s"), advice->fix_port, mode);
  if (security + port + host + user > 1)
    return g_strdup (and_test ? _("Apply and Test") : _("Apply Suggested Settings"));
  if (security)
    return and_test
      /* Translators: a button that changes Security, then tests; %s is SSL/TLS, STARTTLS or None */
      ? g_strdup_printf (_("Switch to %s and Test"), mode)
      /* Translators: a button that changes Security; %s is SSL/TLS, STARTTLS or None */
      : g_strdup_printf (_("Use %s"), mode);
  if (port)
    return and_test
      /* Translators: a button that changes Port, then tests; %u is a port number */
      ? g_strdup_printf (_("Use Port %u and Test"), advice->fix_port)
      /* Translators: a button that changes Port; %u is a port number */
      : g_strdup_printf (_("Use Port %u"), advice->fix_port);
  if (user)
    return and_test
      /* Translators: a button that enters the e-mail address as User Name, then tests */
      ? g_strdup (_("Use Full Address and Test"))
      /* Translators: a button that enters the e-mail address as User Name */
      : g_strdup (_("Use Full Address as User Name"));
  return and_test
    /* Translators: a button that changes Server, then tests; %s is a server name such as mail01.netzprisma.de */
    ? g_strdup_printf (C_("server", "Use %s and Test"), advice->fix_host)
    /* Translators: a button that changes Server; %s is a server name such as mail01.netzprisma.de */
    : g_strdup_printf (C_("server", "Use %s"), advice->fix_host);
}

/* The button that applies @advice's fix (see mc_advice_fix_label()); @text,
 * the label with the advice's own words, describes it to a screen reader. The
 * caller says what a click does. */
GtkWidget *
mc_fix_button_new (const McAdvice *advice,
                   gboolean        and_test,
                   GtkWidget      *text)
{
  g_autofree char *label = mc_advice_fix_label (advice, and_test);
  GtkWidget *button = mc_wrapping_button_new (label);

  gtk_widget_set_name (button, "fix-button");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, text, NULL,
                                  -1);
  return button;
}

/* Toast titles are Pango markup in libadwaita (and stay so by default in
 * later versions): a file name with “&” or “<” would make the title empty or
 * wrong. Every title is escaped, whatever it contains. */
AdwToast *
mc_toast_new (const char *title)
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  return adw_toast_new (escaped);
}

/* Shows a toast in the window's overlay, if @widget is in a window with one. */
void
mc_widget_add_toast (GtkWidget  *widget,
                     const char *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast = mc_toast_new (title);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* A report for support goes to the clipboard; a toast says it is there. */
void
mc_widget_copy_report (GtkWidget  *widget,
                       const char *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  mc_widget_add_toast (widget, _("Report copied"));
}

/* A file dialog over @widget's window, modal: the page behind it must not
 * change while a file is chosen for it. */
GtkFileChooserNative *
mc_file_dialog_new (GtkWidget            *widget,
                    const char           *title,
                    GtkFileChooserAction  action,
                    const char           *accept_label)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GtkFileChooserNative *dialog;
  const char *cancel_label;

  /* Translators: the button that closes a file dialog without opening or saving */
  cancel_label = C_("file dialog", "_Cancel");
  dialog = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (native) ? GTK_WINDOW (native) : NULL,
                                        action, accept_label, cancel_label);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  return dialog;
}

/* A filter for the files ending in @suffix, or for all files when @suffix is
 * NULL. Returns: (transfer none): the filter, which the dialog keeps. */
GtkFileFilter *
mc_file_dialog_add_filter (GtkFileChooserNative *dialog,
                           const char           *name,
                           const char           *suffix)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  if (suffix != NULL)
    gtk_file_filter_add_suffix (filter, suffix);
  else
    gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  return filter;
}

/* Buttons side by side at the end of the line when they fit, else one under
 * the other: a fix can name a server, and translations run long. (GtkFlowBox
 * would make each button a grid cell with a focus stop of its own.) */
#define BUTTON_FLOW_SPACING 6

struct _McButtonFlow
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (McButtonFlow, mc_button_flow, GTK_TYPE_WIDGET)

static int
button_flow_row_width (GtkWidget *widget)
{
  int width = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      int natural;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      width += (width > 0 ? BUTTON_FLOW_SPACING : 0) + natural;
    }
  return width;
}

/* The width @child gets: its natural width in a row, at most @available stacked. */
static int
button_flow_child_width (GtkWidget *child,
                         int        available)
{
  int minimum;
  int natural;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return available < 0 ? natural : MAX (minimum, MIN (natural, available));
}

static GtkSizeRequestMode
mc_button_flow_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
mc_button_flow_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  gboolean in_row = orientation == GTK_ORIENTATION_HORIZONTAL || for_size < 0 ||
                    button_flow_row_width (widget) <= for_size;
  int n = 0;

  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      int child_minimum;
      int child_natural;
      int spacing;

      if (!gtk_widget_should_layout (child))
        continue;
      spacing = n++ > 0 ? BUTTON_FLOW_SPACING : 0;
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          gtk_widget_measure (child, orientation, -1, &child_minimum, &child_natural, NULL, NULL);
          *minimum = MAX (*minimum, child_minimum);
          *natural += spacing + child_natural;
          continue;
        }
      gtk_widget_measure (child, orientation, button_flow_child_width (child, in_row ? -1 : for_size),
                          &child_minimum, &child_natural, NULL, NULL);
      if (in_row)
        {
          *minimum = MAX (*minimum, child_minimum);
          *natural = MAX (*natural, child_natural);
        }
      else
        {
          *minimum += spacing + child_minimum;
          *natural += spacing + child_natural;
        }
    }
}

static void
mc_button_flow_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  int row_width = button_flow_row_width (widget);
  gboolean in_row = row_width <= width;
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int x = width - row_width;
  int y = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkAllocation allocation;

      if (!gtk_widget_should_layout (child))
        continue;
      allocation.width = button_flow_child_width (child, in_row ? -1 : width);
      if (in_row)
        {
          allocation.x = x;
          allocation.y = 0;
          allocation.height = height;
          x += allocation.width + BUTTON_FLOW_SPACING;
        }
      else
        {
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, allocation.width,
                              NULL, &allocation.height, NULL, NULL);
          allocation.x = width - allocation.width;
          allocation.y = y;
          y += allocation.height + BUTTON_FLOW_SPACING;
        }
      if (rtl)
        allocation.x = width - allocation.x - allocation.width;
      gtk_widget_size_allocate (child, &allocation, -1);
    }
}

static void
mc_button_flow_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (mc_button_flow_parent_class)->dispose (object);
}

static void
mc_button_flow_class_init (McButtonFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mc_button_flow_dispose;

  widget_class->get_request_mode = mc_button_flow_get_request_mode;
  widget_class->measure = mc_button_flow_measure;
  widget_class->size_allocate = mc_button_flow_size_allocate;

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
mc_button_flow_init (McButtonFlow *self)
{
}
