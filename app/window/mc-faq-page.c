/* mc-faq-page.c
 *
 * The text lives in the template, where translators see it with its neighbours;
 * this file only knows the topic ids and how to bring a topic into view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-faq-page"

#include "config.h"

#include <glib/gi18n.h>

#include "mc-client-view.h"
#include "mc-faq-page.h"
#include "mc-widgets.h"

#define N_TOPICS 6

struct _McFaqPage
{
  AdwBin              parent_instance;

  /* Owned references */
  char               *pending_topic;
  guint               scroll_tick;
  guint               scroll_frames;

  /* Template widgets */
  GtkScrolledWindow  *scroller;
  GtkWidget          *topics_box;
  GtkWidget          *topics[N_TOPICS];
  GtkLabel           *titles[N_TOPICS];
  GtkLabel           *client_title;
  GtkBox             *client_lines;
  GtkButton          *client_button;
};

G_DEFINE_FINAL_TYPE (McFaqPage, mc_faq_page, ADW_TYPE_BIN)

static const char * const topic_ids[N_TOPICS + 1] = {
  MC_FAQ_TOPIC_PORTS,
  MC_FAQ_TOPIC_SSL_NAMES,
  MC_FAQ_TOPIC_TRANSPORT,
  MC_FAQ_TOPIC_END_TO_END,
  MC_FAQ_TOPIC_LOGIN,
  MC_FAQ_TOPIC_OLD_NAMES,
  NULL,
};

const char * const *
mc_faq_topic_ids (void)
{
  return topic_ids;
}

static int
topic_index (const char *topic_id)
{
  for (int i = 0; i < N_TOPICS; i++)
    {
      if (g_strcmp0 (topic_ids[i], topic_id) == 0)
        return i;
    }
  return -1;
}

/**
 * mc_faq_topic_for_advice:
 * @code: an advice code from the engine (docs/cli.md, "Advice codes")
 *
 * Returns: (nullable): the id of the topic that explains the advice
 */
const char *
mc_faq_topic_for_advice (const char *code)
{
  static const struct { const char *code; const char *topic; } map[] = {
    { "use-starttls", MC_FAQ_TOPIC_SSL_NAMES },
    { "use-implicit-tls", MC_FAQ_TOPIC_SSL_NAMES },
    { "username-not-full-address", MC_FAQ_TOPIC_LOGIN },
    { "authentication-failed", MC_FAQ_TOPIC_LOGIN },
    { "login-disabled", MC_FAQ_TOPIC_LOGIN },
    { "mechanism-not-offered", MC_FAQ_TOPIC_LOGIN },
    { "legacy-hostname", MC_FAQ_TOPIC_OLD_NAMES },
  };

  if (code == NULL)
    return NULL;
  if (g_str_has_prefix (code, "starttls-"))
    return MC_FAQ_TOPIC_SSL_NAMES;
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      if (g_str_equal (map[i].code, code))
        return map[i].topic;
    }
  return NULL;
}

static gboolean
scroll_to_pending_topic (GtkWidget     *widget,
                         GdkFrameClock *frame_clock,
                         gpointer       user_data)
{
  McFaqPage *self = MC_FAQ_PAGE (user_data);
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  int index = topic_index (self->pending_topic);

  /* Bounds are only meaningful once the page has been laid out at its final size,
   * and tick callbacks run before layout: skip the frame that shows the page. */
  if (self->scroll_frames++ < 1)
    return G_SOURCE_CONTINUE;
  if (index < 0 || !gtk_widget_get_mapped (self->topics[index]) ||
      !gtk_widget_compute_bounds (self->topics[index], self->topics_box, &bounds))
    return G_SOURCE_CONTINUE;

  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  gtk_adjustment_set_value (adjustment, MAX (0.0, bounds.origin.y + gtk_widget_get_margin_top (self->topics_box) - 12.0));

  g_clear_pointer (&self->pending_topic, g_free);
  self->scroll_tick = 0;
  return G_SOURCE_REMOVE;
}

void
mc_faq_page_show_topic (McFaqPage  *self,
                        const char *topic_id)
{
  g_return_if_fail (MC_IS_FAQ_PAGE (self));

  if (topic_id == NULL || topic_index (topic_id) < 0)
    {
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0.0);
      return;
    }

  g_free (self->pending_topic);
  self->pending_topic = g_strdup (topic_id);
  self->scroll_frames = 0;
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->scroller),
                                                      scroll_to_pending_topic, self, NULL);
}

GtkWidget *
mc_faq_page_get_topic (McFaqPage  *self,
                       const char *topic_id)
{
  int index = topic_index (topic_id);

  g_return_val_if_fail (MC_IS_FAQ_PAGE (self), NULL);
  return index < 0 ? NULL : self->topics[index];
}

const char *
mc_faq_page_get_topic_title (McFaqPage  *self,
                             const char *topic_id)
{
  int index = topic_index (topic_id);

  g_return_val_if_fail (MC_IS_FAQ_PAGE (self), NULL);
  return index < 0 ? NULL : gtk_label_get_text (self->titles[index]);
}

/**
 * mc_faq_page_set_client:
 *
 * The answer about “SSL” says what to choose in the customer's program, and
 * leads to the choice of program.
 */
void
mc_faq_page_set_client (McFaqPage      *self,
                        const McClient *client)
{
  g_autofree char *title = NULL;

  g_return_if_fail (MC_IS_FAQ_PAGE (self));
  g_return_if_fail (client != NULL);

  if (g_str_equal (mc_client_get_id (client), "other"))
    {
      gtk_label_set_text (self->client_title,
                          _("Choose your mail program on the test page: the advice then names its menus and labels, "
                            "and this answer says what to choose in it."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->client_title), "heading");
      gtk_widget_set_visible (GTK_WIDGET (self->client_lines), FALSE);
      gtk_button_set_label (self->client_button, _("Choose Mail _Program"));
      return;
    }

  /* Translators: heading in the help; %s is the name of a mail program, e.g. Thunderbird */
  title = g_strdup_printf (_("What to choose in %s"), mc_client_get_name (client));
  gtk_label_set_text (self->client_title, title);
  gtk_widget_add_css_class (GTK_WIDGET (self->client_title), "heading");
  mc_client_choices_fill (self->client_lines, client);
  gtk_widget_set_visible (GTK_WIDGET (self->client_lines), TRUE);
  gtk_button_set_label (self->client_button, _("Change Mail _Program"));
}

static void
show_topic_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  mc_faq_page_show_topic (MC_FAQ_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
mc_faq_page_dispose (GObject *object)
{
  McFaqPage *self = (McFaqPage *)object;

  if (self->scroll_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->scroller), self->scroll_tick);
      self->scroll_tick = 0;
    }
  g_clear_pointer (&self->pending_topic, g_free);
  /* No gtk_widget_dispose_template(): AdwBin unparents its child itself, and a
   * second unparent of the bound scroller would touch a finalized widget. */

  G_OBJECT_CLASS (mc_faq_page_parent_class)->dispose (object);
}

static void
mc_faq_page_class_init (McFaqPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mc_faq_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/netzprisma/MailCheck/ui/mc-faq-page.ui");
  gtk_widget_class_bind_template_child (widget_class, McFaqPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, McFaqPage, topics_box);
  gtk_widget_class_bind_template_child (widget_class, McFaqPage, client_title);
  gtk_widget_class_bind_template_child (widget_class, McFaqPage, client_lines);
  gtk_widget_class_bind_template_child (widget_class, McFaqPage, client_button);
  /* The template names each topic and its title after the topic's id. */
  for (guint i = 0; i < N_TOPICS; i++)
    {
      g_autofree char *id = g_strdelimit (g_strdup (topic_ids[i]), "-", '_');
      g_autofree char *topic = g_strconcat ("topic_", id, NULL);
      g_autofree char *title = g_strconcat ("title_", id, NULL);

      gtk_widget_class_bind_template_child_full (widget_class, topic, FALSE,
                                                 G_STRUCT_OFFSET (McFaqPage, topics) +
                                                 i * sizeof (GtkWidget *));
      gtk_widget_class_bind_template_child_full (widget_class, title, FALSE,
                                                 G_STRUCT_OFFSET (McFaqPage, titles) +
                                                 i * sizeof (GtkLabel *));
    }

  gtk_widget_class_install_action (widget_class, "faq.show-topic", "s", show_topic_action);
}

static void
keep_terms_whole_below (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    mc_label_keep_terms_whole (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    keep_terms_whole_below (child);
}

static void
mc_faq_page_init (McFaqPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Every text on this page is fixed once translated, so once is enough. */
  keep_terms_whole_below (self->topics_box);

  for (int i = 0; i < N_TOPICS; i++)
    {
      /* The widget name carries the stable id, for tests and for CSS. */
      g_autofree char *name = g_strconcat ("faq-", topic_ids[i], NULL);

      gtk_widget_set_name (self->topics[i], name);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (self->topics[i]),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->titles[i], NULL,
                                      -1);
    }
  mc_faq_page_set_client (self, mc_client_get_default ());
}
