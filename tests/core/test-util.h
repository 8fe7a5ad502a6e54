/* test-util.h: running checks against fake servers, and assertions on results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fake-server.h"
#include "mc-check.h"
#include "mc-received.h"
#include "mc-result.h"
#include "mc-settings.h"

G_BEGIN_DECLS

/* Seconds per phase: long enough for a loaded CI machine, short enough that a
 * test waiting for a deadline stays quick. */
#define MC_TEST_TIMEOUT 3

/* What the user entered, nothing more: for the diagnosis functions called directly. */
McSettings *mc_test_settings_for          (McProtocol    protocol,
                                           const char   *host,
                                           guint16       port,
                                           McSecurity    security);
/* For the fake servers: 127.0.0.1, their user and password, the test CA. */
McSettings *mc_test_settings_new          (McProtocol    protocol,
                                           McSecurity    security,
                                           guint16       port);
McResult   *mc_test_run                   (McSettings   *settings,
                                           GCancellable *cancellable,
                                           GError      **error);
/* A check of @settings (or new ones) against @server, started if it is not,
 * run like mc_test_run_timed(); the server is finished after it. */
McResult   *mc_test_run_server            (FakeServer   *server,
                                           McProtocol    protocol,
                                           McSecurity    security);
McResult   *mc_test_run_server_with       (FakeServer   *server,
                                           McSettings   *settings);

McStep     *mc_test_find_step             (McResult     *result,
                                           McStepId      id);
McAdvice   *mc_test_find_advice           (McResult     *result,
                                           const char   *code);
/* The first McAdvice with @code in @advice, e.g. what mc_diagnosis_precheck() found. */
McAdvice   *mc_test_find_advice_in        (GPtrArray    *advice,
                                           const char   *code);
char       *mc_test_transcript_text       (McResult     *result);
void        mc_test_print_result          (McResult     *result);
char       *mc_test_base64                (const char   *text);
char       *mc_test_sasl_plain            (const char   *user,
                                           const char   *password);

void        mc_test_assert_verdict_impl   (McResult     *result,
                                           McVerdict     verdict,
                                           const char   *file,
                                           int           line,
                                           const char   *func);
void        mc_test_assert_step_impl      (McResult     *result,
                                           McStepId      id,
                                           McStepStatus  status,
                                           const char   *file,
                                           int           line,
                                           const char   *func);
void        mc_test_assert_advice_impl    (McResult     *result,
                                           const char   *code,
                                           gboolean      present,
                                           const char   *file,
                                           int           line,
                                           const char   *func);
void        mc_test_assert_mentions_impl  (const char   *text,
                                           const char   *word,
                                           const char   *file,
                                           int           line,
                                           const char   *func);
void        mc_test_assert_no_secret_impl (McResult     *result,
                                           const char   *password,
                                           const char   *file,
                                           int           line,
                                           const char   *func);

#define mc_assert_verdict(r, v)     mc_test_assert_verdict_impl ((r), (v), __FILE__, __LINE__, G_STRFUNC)
#define mc_assert_step(r, id, st)   mc_test_assert_step_impl ((r), (id), (st), __FILE__, __LINE__, G_STRFUNC)
#define mc_assert_advice(r, code)   mc_test_assert_advice_impl ((r), (code), TRUE, __FILE__, __LINE__, G_STRFUNC)
#define mc_assert_no_advice(r, code) mc_test_assert_advice_impl ((r), (code), FALSE, __FILE__, __LINE__, G_STRFUNC)
#define mc_assert_no_secret(r, pw)  mc_test_assert_no_secret_impl ((r), (pw), __FILE__, __LINE__, G_STRFUNC)
/* Case-insensitive: user-visible wording may be polished, the key word stays. */
#define mc_assert_mentions(t, word) mc_test_assert_mentions_impl ((t), (word), __FILE__, __LINE__, G_STRFUNC)

/* Safe to show as it is: valid UTF-8 without a control character (NULL is). */
void        mc_test_assert_display_safe   (const char   *text);
/* Every string @report hands out for its hops, and its summary, are safe to show. */
void        mc_test_assert_received_display_safe (McReceivedReport *report);

/* A listener on loopback whose accept queue is full, so a connect to it hangs
 * like one to a black-holed address; @fillers keeps the connections that fill
 * it. NULL where the system does not behave so. */
GSocket    *mc_test_black_hole_new        (GSocketFamily  family,
                                           guint16        port,
                                           GPtrArray     *fillers);
/* A port on 127.0.0.1 that was free a moment ago: a connect is refused. */
guint16     mc_test_closed_port           (void);

/* How a program ran: its exit status and what it printed. */
typedef struct
{
  int         status;
  char       *out;
  char       *err;
  JsonParser *parser;     /* NULL, or the caller's reading of @out; freed with the rest */
} McTestProcess;

void        mc_test_process_clear         (McTestProcess      *process);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (McTestProcess, mc_test_process_clear)
/* Runs @program with @args (NULL-terminated) and @input on standard input (NULL:
 * closed at once) to its end, and logs what it printed. */
void        mc_test_spawn                 (McTestProcess      *process,
                                           const char         *program,
                                           const char * const *args,
                                           const char         *input);

/* @process's standard output read as one JSON object, kept in process->parser. */
JsonObject *mc_test_process_json          (McTestProcess      *process);
/* Whether the JSON report @root has a piece of advice with @code. */
gboolean    mc_test_json_has_advice       (JsonObject         *root,
                                           const char         *code);
/* The status of the first step with @id in the JSON report @root; NULL without one. */
const char *mc_test_json_step_status      (JsonObject         *root,
                                           const char         *id);

/* The .ini files in the source tree's data/@folder: name -> GBytes of the contents. */
GHashTable *mc_test_read_ini_files        (const char   *folder);

/* g_test_init(), with the program's translations read from the catalogue meson
 * built (MC_LOCALEDIR) instead of an installed one. */
void        mc_test_init_with_catalogue   (int          *argc,
                                           char       ***argv);
/* Switches the engine's words to @language ("en", "de") from now on. */
void        mc_test_use_language          (const char   *language);

/* The tests' resolver: answers from a table of names, so that no test asks the
 * real DNS. A name resolves to its addresses in order (an IPv4-only or
 * IPv6-only lookup gets those of its family), "*.example" stands for every name
 * under example, a name added without addresses never answers until the lookup
 * is cancelled, and every other name does not exist. Every name asked for is
 * noted for mc_test_resolver_take_lookups(). */
#define MC_TYPE_TEST_RESOLVER (mc_test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (McTestResolver, mc_test_resolver, MC, TEST_RESOLVER, GResolver)

/* One that knows no name yet. */
McTestResolver *mc_test_resolver_new      (void);
/* @addresses: IP addresses as text, NULL-terminated; NULL: @name stalls. */
void        mc_test_resolver_add          (McTestResolver     *self,
                                           const char         *name,
                                           const char * const *addresses);
/* mc_test_resolver_add() on the process's default resolver, which must be one. */
void        mc_test_resolver_map          (const char         *name,
                                           const char * const *addresses);
/* Makes one the resolver of the whole process: "mail.test" and "other.test"
 * (the name in wrong-name.pem) resolve to 127.0.0.1, "stall.test" never
 * answers until the lookup is cancelled, every other name does not exist. */
void        mc_test_install_resolver      (void);
/* Every name a test resolver was asked for since the last call, space-separated. */
char       *mc_test_resolver_take_lookups (void);

/* Runs @script once per program with /bin/sh, $1 a new temporary folder (named
 * after @dir_template) and $2 tests/certs, to issue certificates tests/certs
 * does not have; fake_certificate_path() then looks in that folder first, and it
 * is removed at exit. The folder, or NULL with the test skipped where there is
 * no openssl or the script failed. */
const char *mc_test_issue_certificates    (const char         *script,
                                           const char         *dir_template);

/* Runs @check on the default main context until it has finished and no event
 * is pending; what mc_check_run_finish() returns. */
McResult   *mc_test_check_run             (McCheck      *check,
                                           GCancellable *cancellable,
                                           GError      **error);
/* Drops the caller's reference to @check and asserts that nothing is left of
 * the check or of the session that ran it: the session held a reference to the
 * check (for its step events), one to the check's copy of the settings and one
 * to the result, so the check and the settings must be finalized and @result
 * (may be NULL) held by the caller alone. Waits up to two seconds for the
 * check's thread to let go. */
void        mc_test_assert_released       (McCheck      *check,
                                           McResult     *result);
/* mc_test_run() followed by mc_test_assert_released(). */
McResult   *mc_test_run_released          (McSettings   *settings,
                                           GCancellable *cancellable,
                                           GError      **error);
/* mc_test_run_released() with @monitor (NULL: none) injected into the check,
 * timed (@ms may be NULL); asserts that it gave a result and no error. */
McResult   *mc_test_run_timed             (McSettings      *settings,
                                           GNetworkMonitor *monitor,
                                           gint64          *ms);

G_END_DECLS
