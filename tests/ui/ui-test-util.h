/* ui-test-util.h: shared set-up for the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mc-detect-view.h"
#include "mc-result-view.h"
#include "mc-result.h"

G_BEGIN_DECLS

gboolean  ui_test_init             (int          *argc,
                                    char       ***argv);
gboolean  ui_test_skip_without_display (void);
char     *ui_test_cert_path        (const char   *name);
void      ui_test_wait_ms          (guint         ms);
void      ui_test_destroy_window   (GtkWindow    *window);
gboolean  ui_test_wait_until       (gboolean    (*condition) (gpointer),
                                    gpointer      data,
                                    guint         timeout_ms);
GtkWidget *ui_test_find_label      (GtkWidget    *root,
                                    const char   *needle);
void      ui_test_reset_settings   (void);
McResult *ui_test_advice_result_new (void);
GtkWidget *ui_test_find_named      (GtkWidget    *root,
                                    const char   *name);

/* An account page's parts as a user finds them: by their names. */
GtkEditable  *ui_test_field            (gpointer      page,
                                        const char   *name);
GtkWidget    *ui_test_hint             (gpointer      page,
                                        const char   *code);
guint         ui_test_n_hints          (gpointer      page);
gboolean      ui_test_inputs_locked    (gpointer      page);
gpointer      ui_test_result_view      (gpointer      page);
gpointer      ui_test_detect_view      (gpointer      page);

G_END_DECLS
