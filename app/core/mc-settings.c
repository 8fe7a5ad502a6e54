/* mc-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-settings"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "mc-result.h"
#include "mc-secret.h"
#include "mc-settings.h"

struct _McSettings
{
  GObject     parent_instance;

  McProtocol  protocol;
  McSecurity  security;
  guint16     port;
  guint       timeout;
  char       *host;
  char       *host_ascii;
  char       *host_unicode;
  char       *user;
  char       *address;    /* the e-mail address: advice names it, the envelope check sends it */
  char       *ca_file;
  gboolean    envelope;   /* SMTP: also MAIL FROM and RCPT TO after the login */

  /* The trust store made from ca_file, read once and shared by copies (so a
   * check and its probes read the file once); or why it could not be made. */
  GTlsDatabase *tls_database;
  GError       *tls_database_error;

  /* Kept with its length: a NUL typed or piped into the password must be seen by
   * validation, not silently cut off. */
  char       *password;
  gsize       password_len;
};

G_DEFINE_FINAL_TYPE (McSettings, mc_settings, G_TYPE_OBJECT)

G_DEFINE_QUARK (mc-settings-error-quark, mc_settings_error)

static void
clear_password (McSettings *self)
{
  if (self->password != NULL)
    {
      explicit_bzero (self->password, self->password_len);
      g_clear_pointer (&self->password, g_free);
    }
  self->password_len = 0;
}

static void
mc_settings_finalize (GObject *object)
{
  McSettings *self = (McSettings *)object;

  clear_password (self);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->host_ascii, g_free);
  g_clear_pointer (&self->host_unicode, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_object (&self->tls_database);
  g_clear_error (&self->tls_database_error);

  G_OBJECT_CLASS (mc_settings_parent_class)->finalize (object);
}

static void
mc_settings_class_init (McSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mc_settings_finalize;
}

static void
mc_settings_init (McSettings *self)
{
  self->security = MC_SECURITY_TLS;
  self->timeout = MC_DEFAULT_TIMEOUT_SECONDS;
}

McSettings *
mc_settings_new (McProtocol protocol)
{
  McSettings *self = g_object_new (MC_TYPE_SETTINGS, NULL);

  self->protocol = protocol;
  return self;
}

McSettings *
mc_settings_copy (McSettings *self)
{
  McSettings *copy;

  g_return_val_if_fail (MC_IS_SETTINGS (self), NULL);

  copy = mc_settings_new (self->protocol);
  copy->security = self->security;
  copy->port = self->port;
  copy->timeout = self->timeout;
  mc_settings_set_host (copy, self->host);
  copy->user = g_strdup (self->user);
  copy->address = g_strdup (self->address);
  copy->envelope = self->envelope;
  copy->ca_file = g_strdup (self->ca_file);
  copy->tls_database = self->tls_database ? g_object_ref (self->tls_database) : NULL;
  copy->tls_database_error = self->tls_database_error ? g_error_copy (self->tls_database_error) : NULL;
  if (self->password != NULL)
    mc_settings_set_password_len (copy, self->password, self->password_len);
  return copy;
}

McProtocol
mc_settings_get_protocol (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), 0);
  return self->protocol;
}

void
mc_settings_set_protocol (McSettings *self,
                          McProtocol  protocol)
{
  g_return_if_fail (MC_IS_SETTINGS (self));
  self->protocol = protocol;
}

const char *
mc_settings_get_host (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), NULL);
  return self->host;
}

void
mc_settings_set_host (McSettings *self,
                      const char *host)
{
  g_return_if_fail (MC_IS_SETTINGS (self));

  g_free (self->host);
  self->host = g_strdup (host);
  g_clear_pointer (&self->host_ascii, g_free);
  g_clear_pointer (&self->host_unicode, g_free);
  if (host != NULL)
    self->host_ascii = mc_host_normalize (host, &self->host_unicode, NULL);
}

/* The host in the form sent to DNS and used as the TLS server identity (A-labels),
 * or NULL when the entered host is not valid. */
const char *
mc_settings_get_host_ascii (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), NULL);
  return self->host_ascii;
}

/* The host as a person reads it (U-labels); shown beside the A-label form so a
 * look-alike name cannot hide. */
const char *
mc_settings_get_host_unicode (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), NULL);
  return self->host_unicode;
}

guint16
mc_settings_get_port (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), 0);
  return self->port;
}

void
mc_settings_set_port (McSettings *self,
                      guint16     port)
{
  g_return_if_fail (MC_IS_SETTINGS (self));
  self->port = port;
}

guint16
mc_settings_get_effective_port (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), 0);

  if (self->port != 0)
    return self->port;
  return mc_default_port (self->protocol, self->security);
}

McSecurity
mc_settings_get_security (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), 0);
  return self->security;
}

void
mc_settings_set_security (McSettings *self,
                          McSecurity  security)
{
  g_return_if_fail (MC_IS_SETTINGS (self));
  self->security = security;
}

const char *
mc_settings_get_user (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), NULL);
  return self->user;
}

void
mc_settings_set_user (McSettings *self,
                      const char *user)
{
  g_return_if_fail (MC_IS_SETTINGS (self));
  g_free (self->user);
  self->user = g_strdup (user);
}

/* The e-mail address the user entered: advice names it (a user name without
 * domain), and the envelope check of an SMTP test sends it as sender and
 * recipient; nothing else sends it anywhere. */
const char *
mc_settings_get_address (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), NULL);
  return self->address;
}

void
mc_settings_set_address (McSettings *self,
                         const char *address)
{
  g_return_if_fail (MC_IS_SETTINGS (self));
  g_free (self->address);
  self->address = g_strdup (address);
}

/**
 * mc_settings_set_envelope:
 * @envelope: whether an SMTP test also checks that the address may send
 *
 * After a successful SMTP login the check then sends `MAIL FROM` and
 * `RCPT TO` with the address (mc_settings_get_envelope_address()), then
 * `RSET` and `QUIT`: never `DATA`, so no message is ever sent, and no second
 * login. Off by default; the window turns it on, the command line with
 * `--envelope`. Ignored for IMAP and POP3.
 */
void
mc_settings_set_envelope (McSettings *self,
                          gboolean    envelope)
{
  g_return_if_fail (MC_IS_SETTINGS (self));
  self->envelope = !!envelope;
}

gboolean
mc_settings_get_envelope (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), FALSE);
  return self->envelope;
}

/* The address the envelope check sends: the e-mail address when one was
 * given, else the user name when it is an address; NULL when there is none. */
const char *
mc_settings_get_envelope_address (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), NULL);

  if (self->address != NULL && self->address[0] != '\0')
    return self->address;
  if (self->user != NULL && strchr (self->user, '@') != NULL)
    return self->user;
  return NULL;
}

const char *
mc_settings_get_password (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), NULL);
  return self->password;
}

void
mc_settings_set_password (McSettings *self,
                          const char *password)
{
  mc_settings_set_password_len (self, password, -1);
}

void
mc_settings_set_password_len (McSettings *self,
                              const char *password,
                              gssize      len)
{
  g_return_if_fail (MC_IS_SETTINGS (self));

  clear_password (self);
  if (password == NULL)
    return;
  if (len < 0)
    len = strlen (password);
  self->password = mc_secret_dup_len (password, len);
  self->password_len = len;
}

gboolean
mc_settings_has_password (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), FALSE);
  return self->password != NULL;
}

guint
mc_settings_get_timeout (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), 0);
  return self->timeout;
}

void
mc_settings_set_timeout (McSettings *self,
                         guint       seconds)
{
  g_return_if_fail (MC_IS_SETTINGS (self));
  self->timeout = seconds;
}

const char *
mc_settings_get_ca_file (McSettings *self)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), NULL);
  return self->ca_file;
}

void
mc_settings_set_ca_file (McSettings *self,
                         const char *path)
{
  g_return_if_fail (MC_IS_SETTINGS (self));
  g_free (self->ca_file);
  self->ca_file = g_strdup (path);
  g_clear_object (&self->tls_database);
  g_clear_error (&self->tls_database_error);
}


/* A short, safe quote of something the user typed, for an error message: a
 * long or strange input must not fill the screen or hide text in it. */
char *
mc_quote_input (const char *text)
{
  g_autofree char *clean = mc_sanitize_server_text (text, -1, 60);

  return clean != NULL ? g_steal_pointer (&clean) : g_strdup ("");
}

/* An address as a mail program sends it in MAIL FROM and RCPT TO: a plain
 * local part (no quoting, no comments, no spaces) and a host name, which is
 * sent in A-labels. A local part beyond ASCII needs the server's SMTPUTF8
 * (RFC 6531), reported in @needs_smtputf8. NULL when @address is no such
 * address; nothing with a control character, a space or an angle bracket gets
 * through, so it can never end or extend a command line. */
char *
mc_mail_address_to_wire (const char *address,
                         gboolean   *needs_smtputf8)
{
  g_autofree char *domain = NULL;
  const char *at;
  gsize local_len;

  if (needs_smtputf8 != NULL)
    *needs_smtputf8 = FALSE;
  if (address == NULL || !g_utf8_validate (address, -1, NULL) || strlen (address) > MC_ADDRESS_MAX_LENGTH)
    return NULL;

  at = strrchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0')
    return NULL;
  local_len = at - address;
  if (local_len > MC_LOCAL_PART_MAX_LENGTH || address[0] == '.' || at[-1] == '.')
    return NULL;

  for (const char *p = address; p < at; p++)
    {
      guchar c = *p;

      if (c <= ' ' || c == 0x7f || strchr ("\"(),:;<>@[\\]", c) != NULL ||
          (c == '.' && p[1] == '.'))
        return NULL;
      if (c >= 0x80 && needs_smtputf8 != NULL)
        *needs_smtputf8 = TRUE;
    }

  /* Address literals ([192.0.2.1]) are not what a customer's address looks like. */
  domain = mc_host_normalize (at + 1, NULL, NULL);
  if (domain == NULL || g_hostname_is_ip_address (domain) || strcspn (at + 1, " \t") != strlen (at + 1))
    return NULL;

  return g_strdup_printf ("%.*s@%s", (int)local_len, address, domain);
}

/* A CA file is read whole: it must be a regular file of sensible size, never
 * a folder, a FIFO or a device that would block or never end. */
static gboolean
check_ca_file (const char  *path,
               GError     **error)
{
  g_autofree char *shown = g_filename_display_name (path);
  g_autofree char *quoted = mc_quote_input (shown);
  GStatBuf info;

  if (g_stat (path, &info) != 0)
    {
      g_set_error (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_CA_FILE,
                   _("The CA certificate file “%s” does not exist."), quoted);
      return FALSE;
    }
  if (S_ISDIR (info.st_mode))
    {
      g_set_error (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_CA_FILE,
                   _("“%s” is a folder; choose the CA certificate file (PEM) inside it."), quoted);
      return FALSE;
    }
  if (!S_ISREG (info.st_mode))
    {
      g_set_error (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_CA_FILE,
                   _("“%s” is not an ordinary file; choose a CA certificate file (PEM)."), quoted);
      return FALSE;
    }
  if (info.st_size > MC_CA_FILE_MAX_BYTES)
    {
      g_set_error (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_CA_FILE,
                   _("The CA certificate file “%s” is larger than 1 MB; a file of CA certificates is "
                     "much smaller."), quoted);
      return FALSE;
    }
  return TRUE;
}

/**
 * mc_settings_get_tls_database:
 *
 * The certificate authorities to trust instead of the system's: those in the
 * CA file, read the first time this is called and kept (copies made after
 * that share them). %NULL without a CA file, and with @error set when the file
 * could not be used.
 *
 * Returns: (transfer none) (nullable): the trust store
 */
GTlsDatabase *
mc_settings_get_tls_database (McSettings  *self,
                              GError     **error)
{
  g_return_val_if_fail (MC_IS_SETTINGS (self), NULL);

  if (self->ca_file == NULL)
    return NULL;

  if (self->tls_database == NULL && self->tls_database_error == NULL)
    {
      g_autofree char *absolute = g_canonicalize_filename (self->ca_file, NULL);

      if (check_ca_file (self->ca_file, &self->tls_database_error))
        self->tls_database = g_tls_file_database_new (absolute, &self->tls_database_error);
    }

  if (self->tls_database == NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->tls_database_error);
      return NULL;
    }
  return self->tls_database;
}

static gboolean
has_control_character (const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if ((guchar)*p < 0x20 || *p == 0x7f)
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_forbidden_control (const char *text,
                       gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\r' || text[i] == '\n' || text[i] == '\0')
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_valid_label (const char *label,
                gsize       len)
{
  if (len == 0 || len > 63)
    return FALSE;
  if (label[0] == '-' || label[len - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (label[i]) && label[i] != '-' && label[i] != '_')
        return FALSE;
    }
  return TRUE;
}

static void
set_host_error (GError     **error,
                const char  *message)
{
  g_set_error_literal (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_HOST, message);
}

static void
set_invalid_name_error (GError     **error,
                        const char  *host)
{
  g_autofree char *quoted = mc_quote_input (host);

  g_set_error (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_HOST,
               _("“%s” is not a valid server name."), quoted);
}

/* What people type into the server field instead of a name: nothing, a URL,
 * or text with spaces, slashes, an @ or control characters in it. */
static gboolean
check_host_shape (const char  *host,
                  GError     **error)
{
  if (host[0] == '\0')
    {
      set_host_error (error, _("Enter the server name, for example mail01.netzprisma.de."));
      return FALSE;
    }

  if (strstr (host, "://") != NULL)
    {
      set_host_error (error, _("Enter only the server name, without “imap://” or similar in front of it."));
      return FALSE;
    }

  for (const char *p = host; *p; p++)
    {
      if ((guchar)*p < 0x20 || *p == ' ' || *p == '/' || *p == '@' || *p == '\\' || *p == 0x7f)
        {
          set_host_error (error, _("The server name may contain only letters, digits, dots and hyphens."));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
has_valid_labels (const char *ascii)
{
  for (const char *p = ascii; *p; )
    {
      const char *dot = strchr (p, '.');
      gsize label_len = dot ? (gsize)(dot - p) : strlen (p);

      if (!is_valid_label (p, label_len))
        return FALSE;
      p += label_len;
      if (*p == '.')
        p++;
    }
  return TRUE;
}

/* A host name, not an IP address: in A-labels and lower case, with the
 * Unicode form for people in @unicode_form. */
static char *
normalize_name (char        *host,
                char       **unicode_form,
                GError     **error)
{
  gsize len = strlen (host);
  g_autofree char *ascii = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *unicode = NULL;

  if (len > 1 && host[len - 1] == '.')
    host[--len] = '\0';

  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL || strlen (ascii) > 253 || !has_valid_labels (ascii))
    {
      set_invalid_name_error (error, host);
      return NULL;
    }

  lower = g_ascii_strdown (ascii, -1);
  unicode = g_hostname_to_unicode (lower);
  /* An A-label that does not decode to valid text ("xn--1111") is no name. */
  if (unicode == NULL || !g_utf8_validate (unicode, -1, NULL))
    {
      set_invalid_name_error (error, host);
      return NULL;
    }
  if (unicode_form != NULL)
    *unicode_form = g_steal_pointer (&unicode);
  return g_steal_pointer (&lower);
}

/* Turns what a person typed into the server field into the name to resolve:
 * spaces trimmed, brackets around IPv6 literals removed, a trailing dot dropped,
 * international names converted to A-labels. Anything that is not a plain host
 * name or IP address (a URL, a path, an added port) is refused with a message
 * that says what to type instead. */
char *
mc_host_normalize (const char  *input,
                   char       **unicode_form,
                   GError     **error)
{
  g_autofree char *host = NULL;
  gsize len;

  if (unicode_form != NULL)
    *unicode_form = NULL;

  if (input == NULL || !g_utf8_validate (input, -1, NULL))
    {
      set_host_error (error, _("The server name contains characters that are not valid text."));
      return NULL;
    }

  host = g_strstrip (g_strdup (input));
  if (!check_host_shape (host, error))
    return NULL;

  len = strlen (host);
  if (host[0] == '[' && host[len - 1] == ']')
    {
      host[len - 1] = '\0';
      memmove (host, host + 1, len - 1);
    }

  if (g_hostname_is_ip_address (host))
    {
      if (unicode_form != NULL)
        *unicode_form = g_strdup (host);
      return g_steal_pointer (&host);
    }

  if (strchr (host, ':') != NULL)
    {
      set_host_error (error, _("Enter the port separately, not after the server name."));
      return NULL;
    }

  return normalize_name (host, unicode_form, error);
}

static gboolean
validate_user (McSettings  *self,
               GError     **error)
{
  if (self->user == NULL)
    return TRUE;

  if (!g_utf8_validate (self->user, -1, NULL) || has_control_character (self->user))
    {
      g_set_error_literal (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_USER,
                           _("The user name must not contain line breaks or other control characters."));
      return FALSE;
    }

  if (strlen (self->user) > MC_MAX_CREDENTIAL_LENGTH)
    {
      g_set_error_literal (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_USER,
                           _("The user name is too long."));
      return FALSE;
    }
  return TRUE;
}

/* A password is checked as it was typed, NULs included; with one, the login
 * is tested, so it also needs a user name. */
static gboolean
validate_password (McSettings  *self,
                   GError     **error)
{
  if (self->password == NULL)
    return TRUE;

  if (has_forbidden_control (self->password, self->password_len))
    {
      g_set_error_literal (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_PASSWORD,
                           _("The password must not contain line breaks or NUL characters."));
      return FALSE;
    }
  if (!g_utf8_validate (self->password, self->password_len, NULL))
    {
      g_set_error_literal (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_PASSWORD,
                           _("The password contains characters that are not valid text."));
      return FALSE;
    }
  if (self->password_len > MC_MAX_CREDENTIAL_LENGTH)
    {
      g_set_error_literal (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_PASSWORD,
                           _("The password is too long."));
      return FALSE;
    }
  if (self->user == NULL || self->user[0] == '\0')
    {
      g_set_error_literal (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_USER,
                           _("Enter a user name to test the login."));
      return FALSE;
    }
  return TRUE;
}

/* The address the envelope check sends, when there is one to send. */
static gboolean
validate_envelope_address (McSettings  *self,
                           GError     **error)
{
  const char *address = mc_settings_get_envelope_address (self);
  g_autofree char *wire = NULL;
  g_autofree char *quoted = NULL;

  if (!self->envelope || self->protocol != MC_PROTOCOL_SMTP || address == NULL)
    return TRUE;

  wire = mc_mail_address_to_wire (address, NULL);
  if (wire != NULL)
    return TRUE;

  quoted = mc_quote_input (address);
  g_set_error (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_ADDRESS,
               /* Translators: %s is what the user entered as e-mail address */
               _("“%s” cannot be tested as sender address. Enter an e-mail address such as "
                 "name@example.de."), quoted);
  return FALSE;
}

gboolean
mc_settings_validate (McSettings  *self,
                      GError     **error)
{
  g_autofree char *unicode = NULL;
  g_autofree char *ascii = NULL;

  g_return_val_if_fail (MC_IS_SETTINGS (self), FALSE);

  ascii = mc_host_normalize (self->host, &unicode, error);
  if (ascii == NULL)
    return FALSE;

  if (mc_settings_get_effective_port (self) == 0)
    {
      g_set_error_literal (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_PORT,
                           _("The port must be a number from 1 to 65535."));
      return FALSE;
    }

  if (!validate_user (self, error) || !validate_password (self, error))
    return FALSE;

  if (self->timeout == 0 || self->timeout > 600)
    {
      g_set_error_literal (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_TIMEOUT,
                           _("The timeout must be between 1 and 600 seconds."));
      return FALSE;
    }

  if (self->ca_file != NULL && !check_ca_file (self->ca_file, error))
    return FALSE;

  return validate_envelope_address (self, error);
}
