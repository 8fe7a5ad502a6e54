/* ui-test-util.h: shared set-up for the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fake-server.h"
#include "mc-detect-view.h"
#include "mc-result-view.h"
#include "mc-result.h"
#include "mc-window.h"

G_BEGIN_DECLS

/* A window showing one protocol's page, and the fake server the test runs
 * against (or NULL): what most widget tests start from. */
typedef struct
{
  FakeServer    *server;
  McWindow      *window;
  McAccountPage *page;
  McResultView  *view;
} UiTestFixture;

/* Whether @widget is what a search looks for; @data is the search's own. */
typedef gboolean (*UiTestMatch) (GtkWidget     *widget,
                                 gconstpointer  data);

gboolean   ui_test_init                 (int           *argc,
                                         char        ***argv);
gboolean   ui_test_skip_without_display (void);
char      *ui_test_cert_path            (const char    *name);
void       ui_test_wait_ms              (guint          ms);
void       ui_test_destroy_window       (GtkWindow     *window);
gboolean   ui_test_wait_until           (gboolean     (*condition) (gpointer),
                                         gpointer       data,
                                         guint          timeout_ms);
GtkWidget *ui_test_find                 (GtkWidget     *root,
                                         UiTestMatch    match,
                                         gconstpointer  data);
GtkWidget *ui_test_find_label           (GtkWidget     *root,
                                         const char    *needle);
GtkWidget *ui_test_find_named           (GtkWidget     *root,
                                         const char    *name);
void       ui_test_click                (GtkWidget     *button);
char      *ui_test_clipboard_text       (GtkWidget     *widget);
void       ui_test_reset_settings       (void);
GSettingsSchema *ui_test_settings_schema (void);
McResult  *ui_test_advice_result_new    (void);

/* The fixture's life, and a test as the user runs it. */
gboolean   ui_test_fixture_setup        (UiTestFixture *fixture,
                                         FakeServer    *server,
                                         McProtocol     protocol);
void       ui_test_fixture_teardown     (UiTestFixture *fixture);
void       ui_test_fill_page            (gpointer       page,
                                         McSecurity     security,
                                         const char    *email,
                                         const char    *password,
                                         guint16        port);
void       ui_test_fill_form            (UiTestFixture *fixture,
                                         McSecurity     security,
                                         const char    *email,
                                         const char    *password);
gboolean   ui_test_page_idle            (gpointer       page);
void       ui_test_run_to_end           (gpointer       page);

/* An account page's parts as a user finds them: by their names. */
GtkEditable  *ui_test_field            (gpointer      page,
                                        const char   *name);
GtkWidget    *ui_test_hint             (gpointer      page,
                                        const char   *code);
GtkWidget    *ui_test_shown_hint       (gpointer      page,
                                        const char   *code,
                                        const char   *text);
void          ui_test_click_fix        (GtkWidget    *row,
                                        const char   *label);
guint         ui_test_n_hints          (gpointer      page);
gboolean      ui_test_inputs_locked    (gpointer      page);
gpointer      ui_test_result_view      (gpointer      page);
gpointer      ui_test_detect_view      (gpointer      page);

/* A result's parts: the row of a step, of an advice (by its code). */
McStepRow    *ui_test_step_row         (McResultView *view,
                                        McStepId      id);
GtkWidget    *ui_test_advice_row       (McResultView *view,
                                        const char   *code);

G_END_DECLS
