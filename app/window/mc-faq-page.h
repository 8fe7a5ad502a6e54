/* mc-faq-page.h: the in-app help, six short topics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mc-clients.h"

G_BEGIN_DECLS

/* Stable topic ids: results link to them, tests look them up. */
#define MC_FAQ_TOPIC_PORTS      "ports"
#define MC_FAQ_TOPIC_SSL_NAMES  "ssl-names"
#define MC_FAQ_TOPIC_TRANSPORT  "transport"
#define MC_FAQ_TOPIC_END_TO_END "end-to-end"
#define MC_FAQ_TOPIC_LOGIN      "login"
#define MC_FAQ_TOPIC_OLD_NAMES  "old-names"

#define MC_TYPE_FAQ_PAGE (mc_faq_page_get_type ())

G_DECLARE_FINAL_TYPE (McFaqPage, mc_faq_page, MC, FAQ_PAGE, AdwBin)

const char * const *mc_faq_topic_ids            (void);
const char         *mc_faq_topic_for_advice     (const char *code);
GtkWidget          *mc_faq_page_get_topic       (McFaqPage  *self,
                                                 const char *topic_id);
const char         *mc_faq_page_get_topic_title (McFaqPage  *self,
                                                 const char *topic_id);
void                mc_faq_page_show_topic      (McFaqPage  *self,
                                                 const char *topic_id);
void                mc_faq_page_set_client      (McFaqPage      *self,
                                                 const McClient *client);

G_END_DECLS
