/* scenario.h: one check against a scripted fake server, and what every run must satisfy
 *
 * A scenario is a row of a table: the protocol and security the user chose, a
 * fake server with a few twists (another greeting, other capabilities, a reply
 * to one command) and what the client must do. scenario_play() runs it with the
 * real engine and then checks what holds after every run, whatever the server
 * did: no credential outside TLS and exactly the expected login commands; the
 * verdict, steps and advice the row names; display-safe text; no advice that
 * gives up encryption; a bounded time; one connection unless the row allows
 * more; and that the check and the session behind it were released.
 *
 * The hostile-server tests and the per-protocol dialogue tests share it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "test-util.h"

G_BEGIN_DECLS

/* What each protocol calls its commands, as fake-server rule prefixes. */
typedef struct
{
  FakeServer *(*make) (FakeMode mode);
  const char  *upgrade;      /* the STARTTLS command */
  const char  *upgrade_yes;  /* the server's go-ahead */
  const char  *hello;        /* the capability command */
  const char  *login;        /* the login command the engine sends first */
  const char  *logout;       /* the command that ends the session */
  const char  *status_ok;    /* how a good greeting starts */
  const char  *success;      /* a successful login */
} Dialect;

extern const Dialect    scenario_dialects[];
extern const McProtocol every_protocol[3];

typedef enum
{
  THEN_NOTHING,
  THEN_TLS,
  THEN_STALL,
  THEN_CLOSE,
} Then;

/* One rule of the fake server: on @command, send @reply, wait @pause_ms, send
 * @later, then do @then. */
typedef struct
{
  FakePhase    phase;        /* 0: before TLS */
  const char  *command;      /* NULL: the protocol's STARTTLS command */
  const char  *reply;
  gsize        reply_len;    /* not 0: @reply holds this many raw bytes */
  guint        pause_ms;
  const char  *later;
  Then         then;
} Twist;

/* The server received @times commands starting with @prefix. */
typedef struct
{
  FakePhase    phase;        /* 0: in any phase */
  const char  *prefix;
  guint        times;
} Sent;

typedef struct
{
  FakeServer *server;
  McResult   *result;
  gint64      ms;
} Outcome;

typedef struct _Scenario Scenario;

struct _Scenario
{
  McProtocol   protocol;
  McSecurity   security;
  const char  *server_mode;      /* NULL: as @security; else "plain", "starttls" or "tls" */
  const char  *certificate;      /* NULL: "good" */
  const char  *host;             /* NULL: 127.0.0.1 */
  const char  *user;             /* NULL: FAKE_USER */
  const char  *password;         /* NULL: FAKE_PASSWORD */
  const char  *ca_file;          /* NULL: the test CA; "": the system's; else in tests/certs */
  gboolean     no_password;
  guint        timeout;          /* seconds a phase; 0: MC_TEST_TIMEOUT */

  const char  *greeting;
  guint        greeting_delay_ms;
  const char  *greeting_tail;    /* sent 400 ms after the greeting */
  Then         after_greeting;
  const char  *caps_plain;
  const char  *caps_tls;
  Twist        twists[3];
  void       (*setup) (FakeServer *server);  /* more rules, after the twists */

  /* What the client must do. */
  McVerdict    verdict;
  const char  *advice;           /* codes that must be given, space-separated; "!code": must not */
  const char  *failed;           /* the id of a step that must have failed */
  const char  *steps;            /* "id:status …" for each id's last step; "*:ok": every step */
  const char  *auth;             /* the auth result ("ok", "rejected", "not-tried"); NULL: any */
  const char  *auth_used;        /* the mechanism used; NULL: any */
  const char  *shows;            /* "id:text": that step shows this server text */
  Sent         sent[4];          /* commands the server must have received so many times */
  guint        logins;           /* credential commands the server sees, all inside TLS */
  gboolean     secret_sent;      /* the password may reach the server inside TLS */
  guint        connections;      /* at most; 0: exactly one */
  gint64       within_ms;        /* the run ends sooner; 0: four phase deadlines and 3 s */
  void       (*check) (Outcome *out);  /* further assertions */
};

/* A row of a table registered as a test of its own. */
typedef struct
{
  const char  *path;
  Scenario     scenario;
} ScenarioCase;

/* Expectations shared by many rows. */
#define LOGGED_IN .verdict = MC_VERDICT_OK, .logins = 1, .secret_sent = TRUE
#define STOPPED(code, step) .verdict = MC_VERDICT_FAILED, .advice = (code), .failed = (step)

void        outcome_clear              (Outcome        *outcome);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

FakeServer *scenario_server            (const Scenario *s);
McSettings *scenario_settings          (const Scenario *s,
                                        guint16         port);
/* Runs @s against its fake server (out->server if already made, else a new
 * one), reaching it through @port when not 0 (a relay in front of it), and
 * checks everything every run must satisfy. */
void        scenario_play_on           (const Scenario *s,
                                        guint16         port,
                                        Outcome        *out);
void        scenario_play              (const Scenario *s,
                                        Outcome        *out);
/* The checks of scenario_play(), for an outcome a test ran itself. */
void        scenario_check             (const Scenario *s,
                                        Outcome        *out);
void        scenario_play_all          (const Scenario *list,
                                        gsize           n);
#define PLAY_ALL(list) scenario_play_all ((list), G_N_ELEMENTS (list))
/* Registers each case as @prefix/case->path, run by scenario_play(). */
void        scenario_add_cases         (const char         *prefix,
                                        const ScenarioCase *cases,
                                        gsize               n);

/* Oracles ------------------------------------------------------------------ */

guint       count_credential_commands  (FakeServer     *server);
/* No advice proposes to give up encryption, however the check ended. */
void        assert_never_advises_plaintext (McResult   *result);
/* Every text a window or report shows: valid UTF-8, nothing invisible. */
void        assert_result_displayable  (McResult       *result);
gboolean    transcript_has             (McResult       *result,
                                        const char     *needle,
                                        gboolean        encrypted);
/* A step shows @needle as server text received after TLS (@after_tls) or before. */
gboolean    any_step_shows             (McResult       *result,
                                        const char     *needle,
                                        gboolean        after_tls);
/* The last bytes the server received before TLS are @tail. */
gboolean    plaintext_ends_with        (FakeServer     *server,
                                        const char     *tail);
/* Makes @server accept exactly this PLAIN response, with or without initial
 * response, and refuse any other. */
void        scenario_accept_plain      (FakeServer     *server,
                                        McProtocol      protocol,
                                        const char     *user,
                                        const char     *password);
/* The protocol's first login command carried PLAIN for FAKE_USER and
 * FAKE_PASSWORD as its initial response, once, inside TLS. */
void        assert_plain_sent_once     (Outcome        *out);
/* The ordinary dialogue of the protocol, and the server's script ran to its
 * end: over implicit TLS, PLAIN with its initial response and the logout once
 * each; over STARTTLS, the capabilities asked once before TLS and once inside,
 * the upgrade and the login command once each. */
void        assert_implicit_tls_dialogue (Outcome      *out);
void        assert_starttls_dialogue   (Outcome        *out);
/* AUTH LOGIN's two answers, the user name and the password, each once inside TLS. */
void        assert_login_answers_sent_once (Outcome    *out);
/* @list holds @item. */
gboolean    list_has                   (GPtrArray      *list,
                                        const char     *item);
/* The protocol's STARTTLS command as the client sends it, with CRLF. */
char       *upgrade_command_line       (McProtocol      protocol);

G_END_DECLS
