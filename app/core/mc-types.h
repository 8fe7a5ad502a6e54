/* mc-types.h: the enumerations shared by the engine, the CLI and the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  MC_PROTOCOL_POP3,
  MC_PROTOCOL_IMAP,
  MC_PROTOCOL_SMTP,
} McProtocol;

#define MC_N_PROTOCOLS 3

typedef enum
{
  MC_SECURITY_TLS,       /* implicit TLS from the first byte ("SSL/TLS") */
  MC_SECURITY_STARTTLS,
  MC_SECURITY_NONE,
} McSecurity;

typedef enum
{
  MC_STEP_RESOLVE,
  MC_STEP_CONNECT,
  MC_STEP_TLS,
  MC_STEP_GREETING,
  MC_STEP_CAPABILITIES,
  MC_STEP_STARTTLS,
  MC_STEP_LOGIN,
  MC_STEP_LOGOUT,
  /* Added later; kept after the first ones so their numbers and JSON ids stay. */
  MC_STEP_SENDER,      /* SMTP MAIL FROM after the login (the envelope check) */
  MC_STEP_RECIPIENT,   /* SMTP RCPT TO, the customer's own address */
  MC_STEP_NETWORK,     /* the computer's network, read before connecting */
} McStepId;

typedef enum
{
  MC_STEP_STATUS_RUNNING,
  MC_STEP_STATUS_OK,
  MC_STEP_STATUS_WARNING,
  MC_STEP_STATUS_FAILED,
  MC_STEP_STATUS_SKIPPED,
} McStepStatus;

typedef enum
{
  MC_VERDICT_OK,
  MC_VERDICT_WARNING,
  MC_VERDICT_FAILED,
} McVerdict;

typedef enum
{
  MC_AUTH_RESULT_NOT_TRIED,
  MC_AUTH_RESULT_OK,
  MC_AUTH_RESULT_REJECTED,
} McAuthResult;

const char *mc_protocol_to_string     (McProtocol    protocol);
gboolean    mc_protocol_from_string   (const char   *text,
                                       McProtocol   *protocol);
const char *mc_protocol_display_name  (McProtocol    protocol);
const char *mc_security_to_string     (McSecurity    security);
gboolean    mc_security_from_string   (const char   *text,
                                       McSecurity   *security);
const char *mc_security_display_name  (McSecurity    security);
guint16     mc_default_port           (McProtocol    protocol,
                                       McSecurity    security);
const char *mc_step_id_to_string      (McStepId      id);
const char *mc_step_id_display_name   (McStepId      id);
const char *mc_step_status_to_string  (McStepStatus  status);
const char *mc_verdict_to_string      (McVerdict     verdict);
const char *mc_auth_result_to_string  (McAuthResult  result);

/* For the tables of names behind the functions above (and the engine's other
 * enumerations): @names has @n_names entries, one for each value. */
const char *mc_enum_name              (const char * const *names,
                                       guint               n_names,
                                       guint               value);
gboolean    mc_enum_parse             (const char * const *names,
                                       guint               n_names,
                                       const char         *text,
                                       guint              *value);

/* Parses one data file compiled into the engine (a provider profile, a mail
 * program), or NULL with @error set. */
typedef gpointer (*McDataParseFunc) (const char  *data,
                                     gsize        length,
                                     GError     **error);

GPtrArray  *mc_data_load_folder       (const char     *resource_folder,
                                       McDataParseFunc parse,
                                       GDestroyNotify  free_func);
GStrv       mc_data_get_list          (GKeyFile       *keyfile,
                                       const char     *group,
                                       const char     *key);

G_END_DECLS
