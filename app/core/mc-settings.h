/* mc-settings.h: what the user entered for one account test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mc-types.h"

G_BEGIN_DECLS

#define MC_SETTINGS_ERROR (mc_settings_error_quark ())

typedef enum
{
  MC_SETTINGS_ERROR_INVALID_HOST,
  MC_SETTINGS_ERROR_INVALID_PORT,
  MC_SETTINGS_ERROR_INVALID_USER,
  MC_SETTINGS_ERROR_INVALID_PASSWORD,
  MC_SETTINGS_ERROR_INVALID_TIMEOUT,
  MC_SETTINGS_ERROR_INVALID_CA_FILE,
  MC_SETTINGS_ERROR_INVALID_ADDRESS,
} McSettingsError;

#define MC_DEFAULT_TIMEOUT_SECONDS 15
#define MC_MAX_CREDENTIAL_LENGTH   4096
#define MC_CA_FILE_MAX_BYTES       (1024 * 1024)
/* RFC 5321 §4.5.3.1: a path (without the angle brackets) and its local part. */
#define MC_ADDRESS_MAX_LENGTH      254
#define MC_LOCAL_PART_MAX_LENGTH   64

#define MC_TYPE_SETTINGS (mc_settings_get_type ())

G_DECLARE_FINAL_TYPE (McSettings, mc_settings, MC, SETTINGS, GObject)

GQuark       mc_settings_error_quark     (void);
McSettings  *mc_settings_new             (McProtocol   protocol);
McSettings  *mc_settings_copy            (McSettings  *self);
McProtocol   mc_settings_get_protocol    (McSettings  *self);
void         mc_settings_set_protocol    (McSettings  *self,
                                          McProtocol   protocol);
const char  *mc_settings_get_host        (McSettings  *self);
void         mc_settings_set_host        (McSettings  *self,
                                          const char  *host);
const char  *mc_settings_get_host_ascii  (McSettings  *self);
const char  *mc_settings_get_host_unicode(McSettings  *self);
guint16      mc_settings_get_port        (McSettings  *self);
void         mc_settings_set_port        (McSettings  *self,
                                          guint16      port);
guint16      mc_settings_get_effective_port (McSettings *self);
McSecurity   mc_settings_get_security    (McSettings  *self);
void         mc_settings_set_security    (McSettings  *self,
                                          McSecurity   security);
const char  *mc_settings_get_user        (McSettings  *self);
void         mc_settings_set_user        (McSettings  *self,
                                          const char  *user);
const char  *mc_settings_get_address     (McSettings  *self);
void         mc_settings_set_address     (McSettings  *self,
                                          const char  *address);
gboolean     mc_settings_get_envelope    (McSettings  *self);
void         mc_settings_set_envelope    (McSettings  *self,
                                          gboolean     envelope);
const char  *mc_settings_get_envelope_address (McSettings *self);
const char  *mc_settings_get_password    (McSettings  *self);
void         mc_settings_set_password    (McSettings  *self,
                                          const char  *password);
void         mc_settings_set_password_len(McSettings  *self,
                                          const char  *password,
                                          gssize       len);
gboolean     mc_settings_has_password    (McSettings  *self);
guint        mc_settings_get_timeout     (McSettings  *self);
void         mc_settings_set_timeout     (McSettings  *self,
                                          guint        seconds);
const char  *mc_settings_get_ca_file     (McSettings  *self);
void         mc_settings_set_ca_file     (McSettings  *self,
                                          const char  *path);
GTlsDatabase *mc_settings_get_tls_database (McSettings *self,
                                           GError    **error);
gboolean     mc_settings_validate        (McSettings  *self,
                                          GError     **error);
char        *mc_quote_input              (const char  *text);
char        *mc_mail_address_to_wire     (const char  *address,
                                          gboolean    *needs_smtputf8);

char        *mc_host_normalize           (const char  *input,
                                          char       **unicode_form,
                                          GError     **error);

G_END_DECLS
