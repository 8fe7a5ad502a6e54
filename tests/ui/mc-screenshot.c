/* mc-screenshot.c: renders the window in its main states to PNG files
 *
 * Usage: mc-screenshot OUTDIR [SUFFIX]
 * The states are reached for real, against the fake IMAP server on 127.0.0.1,
 * so the pictures show what a user sees; only the search table and the advice
 * for an old server name, which need the real servers, are put together from
 * the engine's own findings. Run under Xvfb (tests/screenshots.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-screenshot"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "fake-server.h"
#include "mc-application.h"
#include "mc-diagnosis.h"
#include "mc-window.h"
#include "ui-test-util.h"

static const char *out_dir;
static const char *suffix = "";

/* One size of pictures: the window's size, the names' prefix, and the fake
 * IMAP servers the states are reached against. */
typedef struct
{
  McApplication *app;
  int            width;
  int            height;
  const char    *prefix;
  FakeServer    *good;
  FakeServer    *stall;
} Shoot;

/* One step of the pictures, in a new window of its own. */
typedef void (*ShootStep) (const Shoot *shoot,
                           McWindow    *window);

static gboolean
greeting_running (gpointer data)
{
  McResultView *view = data;
  guint n = mc_result_view_get_n_steps (view);

  return n > 0 && mc_step_row_get_step_id (mc_result_view_get_step_row (view, n - 1)) == MC_STEP_GREETING;
}

/* Scrolls the page so that @widget starts near the top, as a user would. */
static void
scroll_into_view (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  GtkWidget *content = gtk_viewport_get_child (GTK_VIEWPORT (viewport));
  graphene_rect_t bounds;

  if (gtk_widget_compute_bounds (widget, content, &bounds))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                              bounds.origin.y - 60);
  ui_test_wait_ms (200);
}

/* Saves @window as OUTDIR/<prefix>@name<SUFFIX>.png, scrolled first so that
 * @scroll_to (unless NULL) is in view. */
static void
save_png (const Shoot *shoot,
          McWindow    *window,
          const char  *name,
          GtkWidget   *scroll_to)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  int width;
  int height;

  if (scroll_to != NULL)
    scroll_into_view (scroll_to);
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  ui_test_wait_ms (600);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s%s%s.png", shoot->prefix, name, suffix);
  path = g_build_filename (out_dir, file, NULL);
  if (!gdk_texture_save_to_png (texture, path))
    g_printerr ("could not write %s\n", path);
  else
    g_print ("%s (%d×%d)\n", path, width, height);
}

static McWindow *
new_window (const Shoot *shoot)
{
  g_autofree char *ca = g_build_filename (MC_TEST_CERTS_DIR, "ca.pem", NULL);
  McWindow *window;

  ui_test_reset_settings ();
  window = mc_window_new (ADW_APPLICATION (shoot->app));
  gtk_window_set_default_size (GTK_WINDOW (window), shoot->width, shoot->height);
  mc_window_set_ca_file (window, ca);
  mc_window_set_visible_page (window, MC_PROTOCOL_IMAP);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_ms (300);
  return window;
}

/* Tests the fake server's account, the only one it takes, with @password on
 * the IMAP page, and returns that page once the test has ended. */
static McAccountPage *
run (McWindow   *window,
     FakeServer *server,
     const char *password)
{
  McAccountPage *page = mc_window_get_page (window, MC_PROTOCOL_IMAP);

  ui_test_fill_page (page, MC_SECURITY_TLS, FAKE_USER, password, fake_server_get_port (server));
  g_signal_emit_by_name (ui_test_find_named (GTK_WIDGET (page), "test-button"), "clicked");
  ui_test_wait_until (ui_test_page_idle, page, 20000);
  return page;
}

/* The part of @page's result named @name ("verdict", "client-card", …). */
static GtkWidget *
result_part (McAccountPage *page,
             const char    *name)
{
  return ui_test_find_named (GTK_WIDGET (ui_test_result_view (page)), name);
}

static McResult *
probe_new (McProtocol protocol,
           guint16    port,
           McSecurity security,
           gboolean   works)
{
  McResult *probe = mc_result_new ();
  McStep *step;

  probe->protocol = protocol;
  probe->port = port;
  probe->security = security;
  probe->host = g_strdup ("mail01.netzprisma.de");
  probe->verdict = works ? MC_VERDICT_OK : MC_VERDICT_FAILED;
  step = mc_result_add_step (probe, MC_STEP_CONNECT);
  step->status = works ? MC_STEP_STATUS_OK : MC_STEP_STATUS_FAILED;
  /* The engine's own sentence, so the German pictures show its translation. */
  step->summary = g_strdup_printf (ngettext ("The server did not answer within %u second.",
                                             "The server did not answer within %u seconds.", 15), 15);
  return probe;
}

/* What a search from a network that blocks port 25 finds. The search itself
 * probes the standard ports, which the fake server cannot listen on. */
static McDetectResult *
detect_result_new (void)
{
  McDetectResult *result = g_new0 (McDetectResult, 1);
  static const struct
  {
    McProtocol protocol;
    guint16    port;
    McSecurity security;
    gboolean   works;
    gboolean   recommended;
  } probes[] = {
    { MC_PROTOCOL_POP3, 995, MC_SECURITY_TLS, TRUE, TRUE },
    { MC_PROTOCOL_POP3, 110, MC_SECURITY_STARTTLS, TRUE, FALSE },
    { MC_PROTOCOL_IMAP, 993, MC_SECURITY_TLS, TRUE, TRUE },
    { MC_PROTOCOL_IMAP, 143, MC_SECURITY_STARTTLS, TRUE, FALSE },
    { MC_PROTOCOL_SMTP, 465, MC_SECURITY_TLS, TRUE, FALSE },
    { MC_PROTOCOL_SMTP, 587, MC_SECURITY_STARTTLS, TRUE, TRUE },
    { MC_PROTOCOL_SMTP, 25, MC_SECURITY_STARTTLS, FALSE, FALSE },
  };

  g_atomic_ref_count_init (&result->ref_count);
  result->host = g_strdup ("mail01.netzprisma.de");
  result->probes = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_result_unref);
  result->provider_known = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      McResult *probe = probe_new (probes[i].protocol, probes[i].port, probes[i].security, probes[i].works);

      g_ptr_array_add (result->probes, probe);
      if (probes[i].recommended)
        result->recommended[probes[i].protocol] = probe;
    }
  return result;
}

/* The empty page as a new user sees it, the SMTP page, and the form's hints. */
static void
shoot_form (const Shoot *shoot,
            McWindow    *window)
{
  McAccountPage *page = mc_window_get_page (window, MC_PROTOCOL_IMAP);

  save_png (shoot, window, "empty", NULL);

  /* The SMTP page, with its switch for the envelope check. */
  mc_window_set_visible_page (window, MC_PROTOCOL_SMTP);
  ui_test_wait_ms (200);
  save_png (shoot, window, "smtp",
            ui_test_find_named (GTK_WIDGET (mc_window_get_page (window, MC_PROTOCOL_SMTP)), "envelope"));
  mc_window_set_visible_page (window, MC_PROTOCOL_IMAP);

  /* An old server name and a port that does not fit the security: the
   * engine's hints, each with its fix. */
  gtk_editable_set_text (ui_test_field (page, "host"), "imap.netzprisma.de");
  gtk_editable_set_text (ui_test_field (page, "port"), "143");
  ui_test_wait_ms (200);
  save_png (shoot, window, "hint", ui_test_hint (page, "use-starttls"));
}

/* The table of a search for working settings. */
static void
shoot_detect (const Shoot *shoot,
              McWindow    *window)
{
  g_autoptr(McDetectResult) detect = detect_result_new ();
  McAccountPage *page = mc_window_get_page (window, MC_PROTOCOL_IMAP);

  mc_account_page_show_detect_result (page, "mail01.netzprisma.de", detect);
  ui_test_wait_ms (300);
  save_png (shoot, window, "detect", GTK_WIDGET (ui_test_detect_view (page)));
  save_png (shoot, window, "detect-smtp", mc_detect_view_get_row (ui_test_detect_view (page), 4));
}

/* Running against a server that finished TLS and keeps silent, then cancelled. */
static void
shoot_running (const Shoot *shoot,
               McWindow    *window)
{
  McAccountPage *page = mc_window_get_page (window, MC_PROTOCOL_IMAP);

  ui_test_fill_page (page, MC_SECURITY_TLS, FAKE_USER, FAKE_PASSWORD, fake_server_get_port (shoot->stall));
  g_signal_emit_by_name (ui_test_find_named (GTK_WIDGET (page), "test-button"), "clicked");
  ui_test_wait_until (greeting_running, ui_test_result_view (page), 10000);
  save_png (shoot, window, "running", NULL);
  /* Cancelled: the steps done so far stay. */
  mc_account_page_cancel (page);
  ui_test_wait_ms (200);
  save_png (shoot, window, "cancelled", result_part (page, "verdict"));
}

/* No password: reachable and encrypted, the login not tested. */
static void
shoot_login_not_tested (const Shoot *shoot,
                        McWindow    *window)
{
  McAccountPage *page = run (window, shoot->good, "");

  save_png (shoot, window, "login-not-tested", result_part (page, "verdict"));
}

/* Success, and what its result shows. */
static void
shoot_success (const Shoot *shoot,
               McWindow    *window)
{
  McAccountPage *page = run (window, shoot->good, FAKE_PASSWORD);
  GtkWidget *certificate;

  save_png (shoot, window, "success", NULL);

  /* The same result for an Outlook user: what to enter, in Outlook's words. */
  mc_account_form_set_client (mc_account_page_get_form (page), "outlook");
  ui_test_wait_ms (200);
  save_png (shoot, window, "client-card-outlook", result_part (page, "client-card"));
  mc_account_form_set_client (mc_account_page_get_form (page), "other");

  /* A field changed after the test: the result no longer holds. */
  gtk_editable_set_text (ui_test_field (page, "port"), "143");
  ui_test_wait_ms (200);
  save_png (shoot, window, "settings-changed", result_part (page, "verdict"));
  run (window, shoot->good, FAKE_PASSWORD);

  /* The buttons under the same result. */
  save_png (shoot, window, "report", result_part (page, "report-buttons"));

  /* Certificate details of the same result. */
  certificate = mc_result_view_get_detail_row (ui_test_result_view (page), "certificate");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (certificate), TRUE);
  ui_test_wait_ms (400);
  save_png (shoot, window, "certificate", certificate);
}

/* The delivery path of a message that came in encrypted. */
static void
shoot_delivery_path (const Shoot *shoot,
                     McWindow    *window)
{
  g_autofree char *path = g_build_filename (MC_TEST_DATA_DIR, "received", "postfix-tls13.eml", NULL);
  g_autofree char *eml = NULL;
  McReceivedPage *received;

  g_file_get_contents (path, &eml, NULL, NULL);
  mc_window_show_received (window);
  received = mc_window_get_received_page (window);
  mc_received_page_set_text (received, eml);
  ui_test_wait_ms (300);
  save_png (shoot, window, "delivery-path", ui_test_find_named (GTK_WIDGET (received), "summary"));
}

/* A failure with advice, the advice for a mail program, the help, and then
 * the delivery path. */
static void
shoot_failure (const Shoot *shoot,
               McWindow    *window)
{
  g_autoptr(McResult) advice = ui_test_advice_result_new ();
  McAccountPage *page = run (window, shoot->good, "wrong password");
  McResultView *view = ui_test_result_view (page);

  save_png (shoot, window, "failure", NULL);

  /* Advice with a fix and a help topic each, one fix naming a server. */
  mc_result_view_show_result (view, advice);
  ui_test_wait_ms (300);
  save_png (shoot, window, "advice", mc_result_view_get_advice_row (view, 0));

  /* The same advice for a Thunderbird user: its steps under each fix. */
  mc_account_form_set_client (mc_account_page_get_form (page), "thunderbird");
  ui_test_wait_ms (200);
  save_png (shoot, window, "advice-thunderbird", mc_result_view_get_advice_row (view, 0));
  /* The help on "SSL" says what to choose in Thunderbird. */
  mc_window_show_faq (window, "ssl-names");
  ui_test_wait_ms (200);
  save_png (shoot, window, "faq-ssl-thunderbird",
            ui_test_find_named (GTK_WIDGET (mc_window_get_faq_page (window)), "faq-client"));
  mc_window_close_faq (window);
  mc_account_form_set_client (mc_account_page_get_form (page), "other");

  /* The help view, opened at the topic the advice links to. */
  mc_window_show_faq (window, "login");
  save_png (shoot, window, "faq", NULL);
  mc_window_show_faq (window, "old-names");
  save_png (shoot, window, "faq-old-names", NULL);

  shoot_delivery_path (shoot, window);
}

static void
shoot_all (McApplication *app,
           int            width,
           int            height,
           const char    *prefix)
{
  static const ShootStep steps[] = {
    shoot_form, shoot_detect, shoot_running, shoot_login_not_tested, shoot_success, shoot_failure,
  };
  g_autoptr(FakeServer) good = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(FakeServer) stall = fake_stalling_server_new (FAKE_PROTOCOL_IMAP);
  const Shoot shoot = { app, width, height, prefix, good, stall };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      McWindow *window = new_window (&shoot);

      steps[i] (&shoot, window);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(McApplication) app = NULL;
  const char *localedir = g_getenv ("MC_LOCALEDIR");

  if (argc < 2)
    {
      g_printerr ("usage: %s OUTDIR [SUFFIX]\n", argv[0]);
      return 2;
    }
  out_dir = argv[1];
  if (argc > 2)
    suffix = argv[2];

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_mkdir_with_parents (out_dir, 0755);
  /* The fake server finds its certificates through the test framework, which
   * this program does not start; the source tree's folder comes first. */
  fake_certificate_set_extra_dir (MC_TEST_CERTS_DIR);

  app = mc_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return 1;

  shoot_all (app, 720, 700, "");
  shoot_all (app, 360, 700, "narrow-");
  return 0;
}
