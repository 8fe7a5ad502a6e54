/* test-util.h: running checks against fake servers, and assertions on results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fake-server.h"
#include "mc-check.h"
#include "mc-result.h"
#include "mc-settings.h"

G_BEGIN_DECLS

/* Seconds per phase: long enough for a loaded CI machine, short enough that a
 * test waiting for a deadline stays quick. */
#define MC_TEST_TIMEOUT 3

McSettings *mc_test_settings_new          (McProtocol    protocol,
                                           McSecurity    security,
                                           guint16       port);
McResult   *mc_test_run                   (McSettings   *settings,
                                           GCancellable *cancellable,
                                           GError      **error);
McResult   *mc_test_run_server            (FakeServer   *server,
                                           McProtocol    protocol,
                                           McSecurity    security);
McResult   *mc_test_run_server_with       (FakeServer   *server,
                                           McSettings   *settings);

McStep     *mc_test_find_step             (McResult     *result,
                                           McStepId      id);
McAdvice   *mc_test_find_advice           (McResult     *result,
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

/* A listener on loopback whose accept queue is full, so a connect to it hangs
 * like one to a black-holed address; @fillers keeps the connections that fill
 * it. NULL where the system does not behave so. */
GSocket    *mc_test_black_hole_new        (GSocketFamily  family,
                                           guint16        port,
                                           GPtrArray     *fillers);
/* A port on 127.0.0.1 that was free a moment ago: a connect is refused. */
guint16     mc_test_closed_port           (void);

/* A resolver for the whole process: "mail.test" and "other.test" (the name
 * in wrong-name.pem) resolve to 127.0.0.1 (IPv4 only), "stall.test" never answers until the lookup is cancelled, every other
 * name does not exist. Keeps name-based tests off the real DNS. */
void        mc_test_install_resolver      (void);
/* Every name the test resolver was asked for since the last call, space-separated. */
char       *mc_test_resolver_take_lookups (void);

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

G_END_DECLS
