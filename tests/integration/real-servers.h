/* real-servers.h: Dovecot and Postfix from tests/servers/mailservers.sh for one test program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean     real_servers_in_ci             (void);
void         real_servers_start             (void);
void         real_servers_start_with        (const char * const  *harness_env);
gboolean     real_servers_stop              (gboolean             keep_files);
gboolean     real_servers_ready             (void);
const char  *real_servers_value             (const char          *key);
guint16      real_servers_port              (const char          *key);
const char  *real_servers_wrong_password    (void);

goffset      real_servers_log_size          (const char          *key);
char        *real_servers_log_since         (const char          *key,
                                             goffset              offset);
char        *real_servers_wait_for_log      (const char          *key,
                                             goffset              offset,
                                             const char          *needle);
char        *real_servers_wait_for_log_count (const char          *key,
                                              goffset              offset,
                                              const char          *needle,
                                              guint                count);
guint        real_servers_count             (const char          *haystack,
                                             const char          *needle);

gssize       real_servers_find_secret       (const char          *text,
                                             const char          *password,
                                             const char         **form);
void         real_servers_assert_no_secret  (const char          *what,
                                             const char          *text,
                                             const char          *password);

gboolean     real_servers_run_process       (const char * const  *argv,
                                             const char * const  *extra_env,
                                             const char          *stdin_text,
                                             guint                timeout_seconds,
                                             char               **out,
                                             char               **err,
                                             int                 *status,
                                             GError             **error);

/* g_test_init(), noting whether the program only lists its tests (-l). */
void         real_servers_test_init         (int                 *argc,
                                             char              ***argv);
/* g_test_run() between real_servers_start_with(@harness_env) (unless the program only
 * lists its tests) and real_servers_stop(); the program's exit status. */
int          real_servers_run_tests         (const char * const  *harness_env);

G_END_DECLS
