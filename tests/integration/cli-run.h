/* cli-run.h: runs of the built command-line program and reading its JSON report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *protocol;
  const char *security;
  const char *port_key;       /* a key of DIR/env, e.g. MC_IMAP_TLS_PORT */
  const char *host_key;       /* NULL: MC_HOST */
  const char *password;       /* NULL: no --password-stdin */
  guint       timeout;        /* 0: 10 s */
  gboolean    debug;          /* G_MESSAGES_DEBUG=all */
  gboolean    text;           /* --format text --verbose instead of JSON */
  gboolean    json_optional;  /* leave root NULL instead of failing when stdout is not JSON */
  gboolean    terse;          /* with text: without --verbose */
  const char *host;           /* an address instead of host_key, e.g. MC_STANDARD_PORTS_HOST */
  guint       port;           /* a port number instead of port_key */
  const char *stdin_text;     /* sent as is instead of password + newline */
  const char * const *wrapper;  /* a program and its arguments in front (valgrind, strace) */
  const char * const *env;      /* name, value, …, NULL */
  guint       process_timeout;  /* seconds for the whole process; 0: 60 */
} CliOptions;

typedef struct
{
  const char *host;           /* an address, e.g. MC_STANDARD_PORTS_HOST */
  const char *protocols;      /* --protocols; NULL: not given */
  guint       timeout;        /* 0: 5 s */
  gboolean    text;           /* --format text instead of JSON */
  const char * const *wrapper;  /* as in CliOptions */
  const char * const *env;
  guint       process_timeout;
} DetectOptions;

typedef struct
{
  char       *command;
  int         status;
  char       *out;
  char       *err;
  gint64      elapsed_ms;
  JsonParser *parser;
  JsonObject *root;
} CliRun;

const char *cli_program                  (void);
CliRun     *cli_run                      (const CliOptions *options);
CliRun     *cli_run_detect               (const DetectOptions *options);
/* The program with @args (NULL-terminated) as they are; @json: stdout is the JSON report. */
CliRun     *cli_run_args                 (const char * const *args,
                                          gboolean          json);
void        cli_run_free                 (CliRun           *run);
void        cli_run_dump                 (CliRun           *run);
void        cli_run_log_summary          (CliRun           *run);

const char *cli_run_verdict              (CliRun           *run);
const char *cli_run_auth_result          (CliRun           *run);
const char *cli_run_step_status          (CliRun           *run,
                                          const char       *id);
char       *cli_run_advice_codes         (CliRun           *run);
gboolean    cli_run_has_advice           (CliRun           *run,
                                          const char       *code);
JsonObject *cli_run_advice               (CliRun           *run,
                                          const char       *code);
JsonObject *cli_run_step                 (CliRun           *run,
                                          const char       *id);
gboolean    cli_run_transcript_contains  (CliRun           *run,
                                          const char       *needle);
gboolean    cli_run_sent_login_command   (CliRun           *run);

const char *report_string                (JsonObject       *object,
                                          const char       *name);
JsonObject *report_object                (JsonObject       *object,
                                          const char       *name);
gint64      report_int                   (JsonObject       *object,
                                          const char       *name);
JsonArray  *report_array                 (JsonObject       *object,
                                          const char       *name);
gboolean    report_array_has             (JsonArray        *array,
                                          const char       *value);
JsonObject *report_array_find            (JsonArray        *array,
                                          const char       *name,
                                          const char       *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliRun, cli_run_free)

/* Checks only pure expressions, so that a failure can show the whole run first. */
#define assert_run(run, expr)                                                           \
  G_STMT_START {                                                                        \
    if (!(expr))                                                                        \
      {                                                                                 \
        cli_run_dump (run);                                                             \
        g_assertion_message_expr (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, #expr);  \
      }                                                                                 \
  } G_STMT_END

G_END_DECLS
