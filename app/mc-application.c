/* mc-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-application"

#include "config.h"

#include <glib/gi18n.h>

#include "mc-application.h"

struct _McApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (McApplication, mc_application, ADW_TYPE_APPLICATION)

static void
mc_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
      gtk_window_set_title (window, _("Mail Check"));
      gtk_window_set_default_size (window, 720, 760);
    }

  gtk_window_present (window);
}

static void
mc_application_class_init (McApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = mc_application_activate;
}

static void
mc_application_init (McApplication *self)
{
}

McApplication *
mc_application_new (void)
{
  return g_object_new (MC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/de/netzprisma/MailCheck",
                       NULL);
}
