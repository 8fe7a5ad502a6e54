/* fake-imap.h: a tiny IMAP server on 127.0.0.1 for the widget tests and screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  FAKE_IMAP_TLS,        /* implicit TLS, greeting, AUTHENTICATE PLAIN, LOGOUT */
  FAKE_IMAP_STARTTLS,   /* plaintext greeting offering STARTTLS, then as above */
  FAKE_IMAP_STALL,      /* implicit TLS handshake, then silence */
} FakeImapMode;

typedef struct _FakeImap FakeImap;

FakeImap *fake_imap_new      (FakeImapMode   mode,
                              const char    *cert_file,
                              const char    *key_file,
                              const char    *password,
                              GError       **error);
guint16   fake_imap_get_port (FakeImap      *self);
guint     fake_imap_get_logins (FakeImap    *self);
void      fake_imap_free     (FakeImap      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeImap, fake_imap_free)

G_END_DECLS
