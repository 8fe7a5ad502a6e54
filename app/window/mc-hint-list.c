/* mc-hint-list.c
 *
 * The hints above an account page's buttons: what the engine can tell about
 * the form before anything is sent. The rows join the rows of the page's
 * server group, in its boxed list, so this is a helper that owns them rather
 * than a widget of its own. It knows nothing of the form: a fix button only
 * asks the page to apply the fix.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-hint-list"

#include "config.h"

#include "mc-hint-list.h"
#include "mc-result.h"
#include "mc-widgets.h"

struct _McHintList
{
  GObject               parent_instance;

  /* Owned references */
  AdwPreferencesGroup  *group;
  GPtrArray            *hints;       /* McAdvice shown in the group */
  GPtrArray            *rows;        /* GtkWidget, borrowed from group */
  char                 *key;
};

G_DEFINE_FINAL_TYPE (McHintList, mc_hint_list, G_TYPE_OBJECT)

enum {
  FIX_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Two lists with the same key look the same on screen. */
static char *
hints_key_new (GPtrArray *hints)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < hints->len; i++)
    {
      const McAdvice *advice = g_ptr_array_index (hints, i);

      g_string_append_printf (key, "%s\x1f%s\x1f%d\x1f%u\x1f%s\x1f%s\x1e", advice->code, advice->text,
                              advice->fix_security, advice->fix_port,
                              advice->fix_host ? advice->fix_host : "",
                              advice->fix_user ? advice->fix_user : "");
    }
  return g_string_free (key, FALSE);
}

static void
on_fix_clicked (GtkButton  *button,
                McHintList *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "hint-index"));
  McAdvice *advice;

  if (index >= self->hints->len)
    return;

  /* Applying the fix rebuilds the hints, this button's row among them: the
   * signal hands out copies of the fix, and the button stays alive until its
   * click has finished. */
  advice = mc_advice_copy (g_ptr_array_index (self->hints, index));
  g_idle_add_once (g_object_unref, g_object_ref (button));
  g_signal_emit (self, signals[FIX_REQUESTED], 0, advice);
  mc_advice_free (advice);
}

static GtkWidget *
hint_row_new (McHintList     *self,
              const McAdvice *advice,
              guint           index)
{
  GtkWidget *row = mc_plain_row_new (advice->text);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  /* The text can carry the server name the user typed: plain text only. */
  GtkWidget *text = mc_plain_label_new (advice->text);
  GtkWidget *icon;
  gboolean is_error = g_str_has_prefix (advice->code, "invalid-");

  gtk_widget_set_name (row, advice->code);
  gtk_widget_add_css_class (row, "hint-row");
  gtk_widget_add_css_class (box, "advice-row");

  /* An invalid field blocks the test: an error, said aloud when it appears. */
  icon = g_object_new (GTK_TYPE_IMAGE,
                       "icon-name", is_error ? "dialog-error-symbolic" : "dialog-warning-symbolic",
                       "valign", GTK_ALIGN_START,
                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                       NULL);
  gtk_widget_add_css_class (icon, is_error ? "error" : "warning-icon");
  gtk_box_append (GTK_BOX (box), icon);

  if (is_error)
    {
      gtk_widget_add_css_class (row, "input-error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, advice->text, -1);
    }
  mc_label_keep_terms_whole (GTK_LABEL (text));
  gtk_box_append (GTK_BOX (content), text);

  if (mc_advice_has_fix (advice))
    {
      GtkWidget *button = mc_fix_button_new (advice, FALSE, text);

      gtk_widget_set_halign (button, GTK_ALIGN_END);
      g_object_set_data (G_OBJECT (button), "hint-index", GUINT_TO_POINTER (index));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_fix_clicked), self, 0);
      gtk_box_append (GTK_BOX (content), button);
    }

  gtk_widget_set_hexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), content);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

/* Shows one row per McAdvice in @hints (kept by reference), after the group's
 * own rows. The page calls this on every keystroke, so rows are only rebuilt
 * when the findings change. */
void
mc_hint_list_update (McHintList *self,
                     GPtrArray  *hints)
{
  g_autofree char *key = NULL;

  g_return_if_fail (MC_IS_HINT_LIST (self));
  g_return_if_fail (hints != NULL);

  key = hints_key_new (hints);
  if (g_strcmp0 (key, self->key) == 0)
    return;

  mc_rows_clear (self->group, self->rows);

  g_clear_pointer (&self->hints, g_ptr_array_unref);
  self->hints = g_ptr_array_copy (hints, (GCopyFunc)(void (*) (void))mc_advice_copy, NULL);
  g_ptr_array_set_free_func (self->hints, (GDestroyNotify)mc_advice_free);
  g_free (self->key);
  self->key = g_steal_pointer (&key);

  for (guint i = 0; i < self->hints->len; i++)
    {
      GtkWidget *row = hint_row_new (self, g_ptr_array_index (self->hints, i), i);

      mc_rows_add (self->group, self->rows, row);
    }
}

guint
mc_hint_list_get_n_hints (McHintList *self)
{
  g_return_val_if_fail (MC_IS_HINT_LIST (self), 0);
  return self->rows->len;
}

/* The row for the advice @code, or NULL when it is not shown. */
GtkWidget *
mc_hint_list_find (McHintList *self,
                   const char *code)
{
  g_return_val_if_fail (MC_IS_HINT_LIST (self), NULL);
  return mc_rows_find (self->rows, code);
}

static void
mc_hint_list_dispose (GObject *object)
{
  McHintList *self = (McHintList *)object;

  g_clear_object (&self->group);

  G_OBJECT_CLASS (mc_hint_list_parent_class)->dispose (object);
}

static void
mc_hint_list_finalize (GObject *object)
{
  McHintList *self = (McHintList *)object;

  g_clear_pointer (&self->hints, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (mc_hint_list_parent_class)->finalize (object);
}

static void
mc_hint_list_class_init (McHintListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mc_hint_list_dispose;
  object_class->finalize = mc_hint_list_finalize;

  /**
   * McHintList::fix-requested:
   * @fix: the hint whose fix the user chose (a copy, valid during the emission)
   *
   * The user chose a hint's fix; the page applies it to its form.
   */
  signals[FIX_REQUESTED] =
    g_signal_new ("fix-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MC_TYPE_ADVICE | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
mc_hint_list_init (McHintList *self)
{
  self->hints = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_advice_free);
  self->rows = g_ptr_array_new ();
}

/* The rows go into @group, after the rows it has. */
McHintList *
mc_hint_list_new (AdwPreferencesGroup *group)
{
  McHintList *self;

  g_return_val_if_fail (ADW_IS_PREFERENCES_GROUP (group), NULL);

  self = g_object_new (MC_TYPE_HINT_LIST, NULL);
  self->group = g_object_ref (group);
  return self;
}
