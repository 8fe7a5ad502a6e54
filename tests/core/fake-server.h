/* fake-server.h: a scriptable mail server for the core tests
 *
 * The server listens on 127.0.0.1, port 0, and serves each connection in a thread
 * with its own GMainContext; every connection runs the same script. It is
 * configured before fake_server_start() and inspected after fake_server_finish();
 * in between only its threads touch it, but for the "_now" counts, which read
 * the commands received so far under the server's lock (a UI test asks them
 * mid-way: "this click logged in once more").
 *
 * A server is scripted with actions. The actions given to fake_server_on_connect()
 * run when the client connects (typically: implicit TLS, then the greeting). After
 * them the server reads command lines and answers each with the actions of the
 * newest rule whose phase matches and whose prefix starts the line (ASCII,
 * case-insensitive; for tagged protocols also after the first word, and the first
 * word becomes $TAG). A prefix ending in '$' must match the whole line. A line no
 * rule matches gets the default reply. A script may also be fully linear: put
 * fake_expect() steps and a fake_close() into the on-connect actions.
 *
 * In sent text, "$TAG" is replaced with the tag of the last matched command.
 *
 * Every byte received from the client is recorded, split into bytes that arrived
 * outside TLS and bytes that arrived inside an established TLS session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The credentials every test uses. The password is the canary that must never
 * show up in plaintext, a report, a transcript or a log. */
#define FAKE_USER     "alice@example.test"
#define FAKE_PASSWORD "Canary-7f3a9-Secret"

typedef enum
{
  FAKE_PHASE_PLAIN = 1 << 0,
  FAKE_PHASE_TLS   = 1 << 1,
  FAKE_PHASE_ANY   = FAKE_PHASE_PLAIN | FAKE_PHASE_TLS,
} FakePhase;

typedef enum
{
  FAKE_MODE_TLS,        /* implicit TLS from the first byte */
  FAKE_MODE_STARTTLS,   /* plaintext greeting, STARTTLS offered */
  FAKE_MODE_PLAIN,      /* no TLS at all, login offered in the clear */
} FakeMode;

typedef enum
{
  FAKE_PROTOCOL_NONE,
  FAKE_PROTOCOL_IMAP,
  FAKE_PROTOCOL_POP3,
  FAKE_PROTOCOL_SMTP,
} FakeProtocol;

typedef struct _FakeServer FakeServer;
typedef struct _FakeAction FakeAction;

/* Actions. Each returns a new action that the rule or on-connect list takes over. */
FakeAction *fake_send           (const char  *text);
FakeAction *fake_send_bytes     (const void  *data,
                                 gsize        len);
FakeAction *fake_send_lines     (const char  *first_line,
                                 ...) G_GNUC_NULL_TERMINATED;
FakeAction *fake_send_greeting  (void);
FakeAction *fake_send_caps      (void);
FakeAction *fake_expect         (const char  *prefix);
FakeAction *fake_reply_if       (const char  *prefix,
                                 const char  *reply_if_match,
                                 const char  *reply_otherwise);
FakeAction *fake_start_tls      (const char  *certificate);
FakeAction *fake_sleep          (guint        ms);
FakeAction *fake_close          (void);
FakeAction *fake_stall          (void);
FakeAction *fake_drip           (const char  *text,
                                 guint        interval_ms);

/* Configuration, before fake_server_start(). */
FakeServer *fake_server_new               (FakeProtocol  protocol);
void        fake_server_free              (FakeServer   *server);
void        fake_server_on_connect        (FakeServer   *server,
                                           FakeAction   *first,
                                           ...) G_GNUC_NULL_TERMINATED;
void        fake_server_clear_on_connect  (FakeServer   *server);
void        fake_server_on                (FakeServer   *server,
                                           FakePhase     phase,
                                           const char   *prefix,
                                           FakeAction   *first,
                                           ...) G_GNUC_NULL_TERMINATED;
void        fake_server_set_default_reply (FakeServer   *server,
                                           const char   *reply);
void        fake_server_set_greeting      (FakeServer   *server,
                                           const char   *greeting);
void        fake_server_set_caps          (FakeServer   *server,
                                           FakePhase     phase,
                                           const char   *caps);
void        fake_server_set_tagged        (FakeServer   *server,
                                           gboolean      tagged);

/* Typical servers: greeting, capabilities and login for FAKE_USER/FAKE_PASSWORD
 * (anything else is rejected), logout. Override single rules with fake_server_on(). */
FakeServer *fake_imap_server_new          (FakeMode      mode);
FakeServer *fake_pop3_server_new          (FakeMode      mode);
FakeServer *fake_smtp_server_new          (FakeMode      mode);
/* The TLS handshake (certificate "good"), then silence. */
FakeServer *fake_stalling_server_new      (FakeProtocol  protocol);

/* Running. */
guint16     fake_server_start             (FakeServer   *server);
guint16     fake_server_get_port          (FakeServer   *server);
void        fake_server_finish            (FakeServer   *server);

/* While the server runs, from any thread: fake_server_count_commands() of the
 * commands received so far, and the login attempts so far, successful or not
 * (IMAP LOGIN and AUTHENTICATE; POP3 USER, APOP and AUTH; SMTP AUTH). */
guint       fake_server_count_commands_now (FakeServer  *server,
                                            FakePhase    phase,
                                            const char  *prefix);
guint       fake_server_count_logins_now  (FakeServer   *server);

/* Inspection; each waits for fake_server_finish() first. */
guint       fake_server_get_connections   (FakeServer   *server);
GBytes     *fake_server_get_received      (FakeServer   *server,
                                           FakePhase     phase);
guint       fake_server_count_commands    (FakeServer   *server,
                                           FakePhase     phase,
                                           const char   *prefix);
gboolean    fake_server_received_contains (FakeServer   *server,
                                           FakePhase     phase,
                                           const char   *needle);
gboolean    fake_server_tls_established   (FakeServer   *server);
const char *fake_server_get_handshake_error (FakeServer *server);
const char *fake_server_get_script_error  (FakeServer   *server);
void        fake_server_dump              (FakeServer   *server);

/* Oracles: fail the test (with the recorded bytes in the log) when the password,
 * its base64 form, base64 ("\0user\0password") or a login command (LOGIN,
 * AUTHENTICATE, AUTH, USER, PASS) arrived outside TLS; the second also fails
 * when the password arrived in any form at all. */
void        fake_server_assert_no_plaintext_credentials (FakeServer *server,
                                                          const char *user,
                                                          const char *password);
void        fake_server_assert_no_credentials           (FakeServer *server,
                                                          const char *user,
                                                          const char *password);

char       *fake_certificate_path         (const char   *name);
/* Set before any server starts; NULL goes back to tests/certs only. */
void        fake_certificate_set_extra_dir (const char  *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeServer, fake_server_free)

G_END_DECLS
