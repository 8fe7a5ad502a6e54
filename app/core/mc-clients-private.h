/* mc-clients-private.h: the catalogue of mail programs as its two halves see
 * it: the loader (mc-clients.c) and the sentences (mc-client-steps.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mc-clients.h"

G_BEGIN_DECLS

#define MC_CLIENT_N_LANGUAGES 2

/* How close a string is to what the program shows: only exact quotes are set
 * in quotation marks. */
typedef enum
{
  MC_CLIENT_QUALITY_EXACT,
  MC_CLIENT_QUALITY_UNVERIFIED,
  MC_CLIENT_QUALITY_INFERRED,
  MC_CLIENT_QUALITY_DESCRIPTION,
} McClientQuality;

/* One string of the program in every language, each with its source. */
typedef struct
{
  char            *text[MC_CLIENT_N_LANGUAGES];
  char            *source[MC_CLIENT_N_LANGUAGES];
  McClientQuality  quality[MC_CLIENT_N_LANGUAGES];
} McClientTerm;

enum { MC_CLIENT_INCOMING, MC_CLIENT_OUTGOING, MC_CLIENT_N_DIRECTIONS };

typedef enum { MC_CLIENT_SECURITY_CHOICE, MC_CLIENT_SECURITY_SWITCH } McClientSecurityStyle;
typedef enum { MC_CLIENT_PORT_FIELD, MC_CLIENT_PORT_IN_SERVER, MC_CLIENT_PORT_NONE } McClientPortStyle;
typedef enum
{
  MC_CLIENT_FOLLOWS_NO,
  MC_CLIENT_FOLLOWS_YES,      /* choosing a mode moves the port */
  MC_CLIENT_FOLLOWS_MAYBE,    /* the generic program: it might */
} McClientPortFollows;

typedef enum
{
  MC_CLIENT_AUTH_CHOICE,
  MC_CLIENT_AUTH_SWITCH_ON,
  MC_CLIENT_AUTH_SWITCH_OFF,
  MC_CLIENT_AUTH_NONE,
} McClientAuthStyle;

typedef enum
{
  MC_CLIENT_TRAP_AUTO_NEVER         = 1 << 0,
  MC_CLIENT_TRAP_STARTTLS_NAMED_TLS = 1 << 1,
  MC_CLIENT_TRAP_AUTO_MANAGE        = 1 << 2,
  MC_CLIENT_TRAP_ACCEPT_ALL         = 1 << 3,
  MC_CLIENT_TRAP_USER_LOCAL_PART    = 1 << 4,
} McClientTrap;

#define MC_CLIENT_ALL_FIELDS ((1u << MC_CLIENT_N_FIELDS) - 1)

struct _McClient
{
  char                  *id;
  int                    order;
  gboolean               protocols[MC_N_PROTOCOLS];
  McClientSecurityStyle  security_style;
  gboolean               offers[MC_SECURITY_NONE + 1];
  McClientPortStyle      port_style;
  McClientPortFollows    port_follows;
  McClientAuthStyle      auth[MC_CLIENT_N_DIRECTIONS];
  guint                  traps;
  guint                  fixed;    /* 1 << McClientField: set only when adding the account */

  /* Owned: McClientTerm by id; the paths borrow from it */
  GHashTable            *terms;
  GPtrArray             *path[MC_CLIENT_N_DIRECTIONS];
  GPtrArray             *field_path[MC_CLIENT_N_FIELDS][MC_CLIENT_N_DIRECTIONS];
  GPtrArray             *remove_path;
  GPtrArray             *add_path;
};

guint               mc_clients_language_index (void);
int                 mc_client_direction       (McProtocol      protocol);
const char         *mc_client_field_role      (McClientField   field);
const char         *mc_client_option_id       (McSecurity      security);
const McClientTerm *mc_client_term            (const McClient *self,
                                               const char     *id);
const McClientTerm *mc_client_role_term       (const McClient *self,
                                               const char     *role,
                                               McProtocol      protocol);
const char         *mc_client_term_text       (const McClientTerm *term);

G_END_DECLS
