/* mc-clients.h: the customer's mail program, and every fix said in its words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-result.h"
#include "mc-types.h"

G_BEGIN_DECLS

#define MC_CLIENT_ERROR (mc_client_error_quark ())

typedef enum
{
  MC_CLIENT_ERROR_INVALID,
} McClientError;

typedef struct _McClient McClient;

/* The setting a fix changes. */
typedef enum
{
  MC_CLIENT_FIX_SECURITY,
  MC_CLIENT_FIX_PORT,
  MC_CLIENT_FIX_HOST,
  MC_CLIENT_FIX_USER,
  MC_CLIENT_FIX_AUTH,     /* to the provider's „Passwort, normal" */
} McClientFixKind;

#define MC_CLIENT_N_FIX_KINDS 5

/* A fix: what to change, and the account's settings as they are to be
 * afterwards. Port and security are always given (port 0: the usual port of
 * the security); host and user may be NULL where unknown, except that a
 * host fix needs the host. Programs that move the port by themselves, or
 * decide the mode by the port, need both to say the right thing. */
typedef struct
{
  McClientFixKind  kind;
  guint16          port;
  McSecurity       security;
  const char      *host;
  const char      *user;
} McClientFix;

typedef enum
{
  MC_CLIENT_FIELD_SERVER,
  MC_CLIENT_FIELD_PORT,
  MC_CLIENT_FIELD_SECURITY,
  MC_CLIENT_FIELD_USER,
  MC_CLIENT_FIELD_AUTH,
} McClientField;

#define MC_CLIENT_N_FIELDS 5

/* One row of "Enter this in <program>". Label and value are bare text; a
 * label or value that is the program's exact wording is flagged, so the
 * window can set it in quotation marks (anything else is a description). */
typedef struct
{
  McClientField  field;
  char          *label;
  gboolean       label_is_quote;
  char          *value;
  gboolean       value_is_quote;  /* an option as the program names it */
  gboolean       typed;           /* typed in: worth a copy button (not when chosen or set by the program) */
  char          *place;           /* the field's menu path when elsewhere than mc_client_describe_place() */
  char          *note;            /* a sentence to show with it, or NULL */
} McClientEntry;

GQuark            mc_client_error_quark        (void);

/* The catalogue: the key files in data/clients/, compiled in. Every string is in the
 * language of the app's own sentences (see mc_clients_get_language()). */
McClient         *mc_client_new_from_data      (const char        *data,
                                                gsize              length,
                                                GError           **error);
void              mc_client_free               (McClient          *self);
GPtrArray        *mc_client_list               (void);
const McClient   *mc_client_lookup             (const char        *id);
const McClient   *mc_client_get_default        (void);
const char       *mc_client_get_id             (const McClient    *self);
const char       *mc_client_get_name           (const McClient    *self);
gboolean          mc_client_supports_protocol  (const McClient    *self,
                                                McProtocol         protocol);
gboolean          mc_client_offers_security    (const McClient    *self,
                                                McSecurity         security);
gboolean          mc_client_sets_port          (const McClient    *self);

/* "en" or "de": the language of the labels, which is always the one gettext
 * found for the app's sentences. */
const char       *mc_clients_get_language      (void);

/* The steps for a fix, one sentence each (NULL-terminated). */
char            **mc_client_describe_fix       (const McClient    *self,
                                                McProtocol         protocol,
                                                const McClientFix *fix);

/* "Enter this in <program>": where (sentences), then one row per value. */
char            **mc_client_describe_place     (const McClient    *self,
                                                McProtocol         protocol);
GPtrArray        *mc_client_describe_settings  (const McClient    *self,
                                                McProtocol         protocol,
                                                const char        *host,
                                                guint16            port,
                                                McSecurity         security,
                                                const char        *user);
char            **mc_client_steps_for_advice   (const McClient    *self,
                                                McResult          *result,
                                                const McAdvice    *advice);
char             *mc_client_entry_to_string    (const McClientEntry *entry);
void              mc_client_entry_free         (McClientEntry     *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (McClient, mc_client_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (McClientEntry, mc_client_entry_free)

G_END_DECLS
