/* mc-account-form.c
 *
 * The model of an account page: the fields as the user typed them and the
 * rules between them — the port follows the security unless the user chose
 * one, the user name follows the e-mail address unless the user typed another,
 * a fix changes exactly what it names. It knows the provider's defaults, keeps
 * the fields in GSettings (never the password), says what the engine can tell
 * before a test (the hints) and makes the McSettings a test runs with. No
 * widget is touched here: the page binds its rows to these properties.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-account-form"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "mc-account-form.h"
#include "mc-clients.h"
#include "mc-diagnosis.h"
#include "mc-provider.h"
#include "mc-secret.h"

struct _McAccountForm
{
  GObject     parent_instance;

  McProtocol  protocol;
  char       *email;
  McSecret    password;
  char       *user;
  char       *host;
  char       *port;
  McSecurity  security;
  gboolean    port_custom;
  gboolean    user_custom;
  guint       revision;
  char       *client;           /* a catalogue ID: how fixes are worded, not what is tested */
  gboolean    envelope;         /* SMTP: also check that the address may send */

  /* Derived from the fields on every change. */
  GPtrArray  *hints;            /* McAdvice */
  char       *input_error;
  const char *input_error_field;
};

G_DEFINE_FINAL_TYPE (McAccountForm, mc_account_form, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROTOCOL,
  PROP_EMAIL,
  PROP_PASSWORD,
  PROP_USER,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_PORT_CUSTOM,
  PROP_USER_CUSTOM,
  PROP_REVISION,
  PROP_HINTS,
  PROP_INPUT_ERROR,
  PROP_CLIENT,
  PROP_ENVELOPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Returns 0 for an empty or invalid port. */
static guint16
parse_port (const char *text,
            gboolean   *valid)
{
  guint64 value = 0;
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  *valid = TRUE;
  if (stripped[0] == '\0')
    return 0;
  if (!g_ascii_string_to_unsigned (stripped, 10, 1, 65535, &value, NULL))
    {
      *valid = FALSE;
      return 0;
    }
  return (guint16)value;
}

static char *
stripped (const char *text)
{
  return g_strstrip (g_strdup (text ? text : ""));
}

/* The settings as far as the fields give them: no validation, no password. */
static McSettings *
fields_to_settings (McAccountForm *self)
{
  McSettings *settings = mc_settings_new (self->protocol);
  g_autofree char *host = stripped (self->host);
  g_autofree char *user = stripped (self->user);
  g_autofree char *email = stripped (self->email);
  gboolean valid;

  mc_settings_set_host (settings, host);
  mc_settings_set_port (settings, parse_port (self->port, &valid));
  mc_settings_set_security (settings, self->security);
  mc_settings_set_user (settings, user[0] != '\0' ? user : email);
  mc_settings_set_address (settings, email[0] != '\0' ? email : NULL);
  mc_settings_set_envelope (settings, self->protocol == MC_PROTOCOL_SMTP && self->envelope);
  return settings;
}

static gboolean
has_control (const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    {
      if ((guchar)*p < 0x20 || *p == 0x7f)
        return TRUE;
    }
  return FALSE;
}

/* What is wrong with a field as typed, before any test: shown beside the field
 * while it lasts. An empty field is not an error until a test needs it. */
static void
update_input_error (McAccountForm *self)
{
  g_autofree char *host = stripped (self->host);
  g_autoptr(GError) error = NULL;
  gboolean valid;

  g_clear_pointer (&self->input_error, g_free);
  self->input_error_field = NULL;

  if (host[0] != '\0' && !mc_host_normalize (host, NULL, &error))
    {
      self->input_error = g_strdup (error->message);
      self->input_error_field = "host";
    }
  else if ((parse_port (self->port, &valid), !valid))
    {
      self->input_error = g_strdup (_("The port must be a number from 1 to 65535."));
      self->input_error_field = "port";
    }
  else if (has_control (self->user) || (self->user == NULL || self->user[0] == '\0' ? has_control (self->email)
                                                                                      : FALSE))
    {
      self->input_error = g_strdup (_("The user name must not contain line breaks or other control characters."));
      self->input_error_field = self->user != NULL && self->user[0] != '\0' ? "user" : "email";
    }
  else if (self->password != NULL && strpbrk (self->password, "\r\n") != NULL)
    {
      self->input_error = g_strdup (_("The password must not contain line breaks or NUL characters."));
      self->input_error_field = "password";
    }
}

static McAdvice *
input_error_advice (McAccountForm *self)
{
  McAdvice *advice = g_new0 (McAdvice, 1);

  advice->code = g_strdup_printf ("invalid-%s", self->input_error_field);
  advice->text = g_strdup (self->input_error);
  advice->fix_security = -1;
  advice->field = self->input_error_field;
  return advice;
}

/* After any change: what the engine says before a test, and whether a field is
 * invalid; the revision counts every change a test result depends on. */
static void
changed (McAccountForm *self)
{
  g_autoptr(McSettings) settings = fields_to_settings (self);

  self->revision++;
  update_input_error (self);
  g_clear_pointer (&self->hints, g_ptr_array_unref);
  if (self->input_error != NULL)
    {
      self->hints = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_advice_free);
      g_ptr_array_add (self->hints, input_error_advice (self));
    }
  else
    self->hints = mc_diagnosis_precheck (settings, TRUE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HINTS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUT_ERROR]);
}

/* A field the user edits changed: what follows from it (the hints, the
 * revision) is up to date before anyone hears of the change. */
static void
field_changed (McAccountForm *self,
               guint          prop_id)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  changed (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Fields are never NULL: the rows they are bound to show "". */
static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static guint16
standard_port (McAccountForm *self)
{
  return mc_default_port (self->protocol, self->security);
}

static void
set_port_custom (McAccountForm *self,
                 gboolean       custom)
{
  if (self->port_custom == custom)
    return;
  self->port_custom = custom;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT_CUSTOM]);
}

static void
set_user_custom (McAccountForm *self,
                 gboolean       custom)
{
  if (self->user_custom == custom)
    return;
  self->user_custom = custom;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_CUSTOM]);
}

/* An invalid port counts as chosen by the user: it must not be replaced behind
 * their back when the security changes. */
static gboolean
port_is_custom (McAccountForm *self)
{
  gboolean valid;
  guint16 port = parse_port (self->port, &valid);

  return !valid || (port != 0 && port != standard_port (self));
}

static void
store_port (McAccountForm *self,
            guint16        port)
{
  g_autofree char *text = g_strdup_printf ("%u", port);

  if (replace_string (&self->port, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

static void
store_user (McAccountForm *self,
            const char    *user)
{
  if (replace_string (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

void
mc_account_form_set_email (McAccountForm *self,
                           const char    *email)
{
  g_return_if_fail (MC_IS_ACCOUNT_FORM (self));

  if (!replace_string (&self->email, email))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
  /* Like a mail program: the user name is the address until the user types another. */
  if (!self->user_custom)
    store_user (self, email);
  changed (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
mc_account_form_set_user (McAccountForm *self,
                          const char    *user)
{
  g_return_if_fail (MC_IS_ACCOUNT_FORM (self));

  if (user == NULL)
    user = "";
  if (g_strcmp0 (self->user, user) == 0)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  store_user (self, user);
  /* Emptying the field, or typing the address, makes it follow the address again. */
  set_user_custom (self, user != NULL && user[0] != '\0' && g_strcmp0 (user, self->email) != 0);
  changed (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
mc_account_form_set_password (McAccountForm *self,
                              const char    *password)
{
  g_return_if_fail (MC_IS_ACCOUNT_FORM (self));

  if (password == NULL)
    password = "";
  if (g_strcmp0 (self->password, password) == 0)
    return;
  g_clear_pointer (&self->password, mc_secret_free);
  self->password = g_strdup (password);
  field_changed (self, PROP_PASSWORD);
}

/* Always a program of the catalogue: an unknown ID (an old setting) is
 * "Other program". */
const McClient *
mc_account_form_get_client (McAccountForm *self)
{
  const McClient *client;

  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), NULL);

  client = mc_client_lookup (self->client);
  return client != NULL ? client : mc_client_get_default ();
}

void
mc_account_form_set_client (McAccountForm *self,
                            const char    *id)
{
  const McClient *client;

  g_return_if_fail (MC_IS_ACCOUNT_FORM (self));

  client = id != NULL ? mc_client_lookup (id) : NULL;
  if (client == NULL)
    client = mc_client_get_default ();
  if (!replace_string (&self->client, mc_client_get_id (client)))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/* Fields that only some protocols have: only SMTP sends. */
static const struct {
  const char *name;
  McProtocol  protocol;
} protocol_fields[] = {
  { "envelope", MC_PROTOCOL_SMTP },
};

/**
 * mc_account_form_has_field:
 * @name: a property name
 *
 * Returns: whether @name is a field (MC_ACCOUNT_FORM_FIELD) of this form's
 *   protocol; the page shows only those rows
 */
gboolean
mc_account_form_has_field (McAccountForm *self,
                           const char    *name)
{
  GParamSpec *pspec;

  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self), name);
  if (pspec == NULL || (pspec->flags & MC_ACCOUNT_FORM_FIELD) == 0)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (protocol_fields); i++)
    {
      if (g_str_equal (protocol_fields[i].name, pspec->name) && protocol_fields[i].protocol != self->protocol)
        return FALSE;
    }
  return TRUE;
}

gboolean
mc_account_form_get_envelope (McAccountForm *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), FALSE);
  return self->envelope;
}

void
mc_account_form_set_envelope (McAccountForm *self,
                              gboolean       envelope)
{
  g_return_if_fail (MC_IS_ACCOUNT_FORM (self));

  if (self->envelope == !!envelope)
    return;
  self->envelope = !!envelope;
  field_changed (self, PROP_ENVELOPE);
}

void
mc_account_form_set_host (McAccountForm *self,
                          const char    *host)
{
  g_return_if_fail (MC_IS_ACCOUNT_FORM (self));

  if (replace_string (&self->host, host))
    field_changed (self, PROP_HOST);
}

void
mc_account_form_set_port (McAccountForm *self,
                          const char    *port)
{
  g_return_if_fail (MC_IS_ACCOUNT_FORM (self));

  if (!replace_string (&self->port, port))
    return;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  set_port_custom (self, port_is_custom (self));
  changed (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
mc_account_form_set_security (McAccountForm *self,
                              McSecurity     security)
{
  g_return_if_fail (MC_IS_ACCOUNT_FORM (self));
  g_return_if_fail (security <= MC_SECURITY_NONE);

  if (self->security == security)
    return;
  self->security = security;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECURITY]);
  /* Like a good mail program: the port follows the mode, unless the user chose one. */
  if (!self->port_custom)
    store_port (self, standard_port (self));
  changed (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Changes exactly what @fix names (NULL / -1 / 0 leave a field as it is). A
 * port that ends up being the standard one follows the security again. */
void
mc_account_form_apply_fix (McAccountForm  *self,
                           const McAdvice *fix)
{
  g_return_if_fail (MC_IS_ACCOUNT_FORM (self));
  g_return_if_fail (fix != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  if (fix->fix_host != NULL)
    mc_account_form_set_host (self, fix->fix_host);
  if (fix->fix_security >= MC_SECURITY_TLS && fix->fix_security <= MC_SECURITY_NONE)
    mc_account_form_set_security (self, fix->fix_security);
  if (fix->fix_port != 0)
    {
      g_autofree char *port = g_strdup_printf ("%u", fix->fix_port);

      mc_account_form_set_port (self, port);
    }
  if (fix->fix_user != NULL)
    mc_account_form_set_user (self, fix->fix_user);
  g_object_thaw_notify (G_OBJECT (self));
}

/* The provider's server and its recommended port and security; FALSE when the
 * provider does not offer the protocol (IMAP only for those who booked it). */
static gboolean
provider_defaults (McProtocol   protocol,
                   const char **host,
                   McEndpoint  *endpoint)
{
  const McProvider *provider = mc_provider_get_default ();

  *host = provider != NULL ? mc_provider_get_server (provider) : NULL;
  return provider != NULL && mc_provider_get_recommended (provider, protocol, endpoint);
}

gboolean
mc_account_form_get_provider_offered (McAccountForm *self)
{
  const char *host;
  McEndpoint endpoint;

  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), FALSE);
  return provider_defaults (self->protocol, &host, &endpoint);
}

void
mc_account_form_use_provider_settings (McAccountForm *self)
{
  McAdvice fix = { .fix_security = -1 };
  McEndpoint endpoint;
  const char *host;

  g_return_if_fail (MC_IS_ACCOUNT_FORM (self));

  if (!provider_defaults (self->protocol, &host, &endpoint))
    return;
  fix.fix_host = (char *)host;
  fix.fix_security = endpoint.security;
  fix.fix_port = endpoint.port;
  mc_account_form_apply_fix (self, &fix);
}

/**
 * mc_account_form_to_settings:
 *
 * The settings a test runs with, validated; the caller adds the CA file and
 * the timeout. The error is an MC_SETTINGS_ERROR; mc_account_form_field_for_error()
 * names the field to correct.
 *
 * Returns: (transfer full) (nullable): the settings
 */
McSettings *
mc_account_form_to_settings (McAccountForm  *self,
                             GError        **error)
{
  g_autoptr(McSettings) settings = NULL;
  gboolean valid;

  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), NULL);

  parse_port (self->port, &valid);
  if (!valid)
    {
      g_set_error_literal (error, MC_SETTINGS_ERROR, MC_SETTINGS_ERROR_INVALID_PORT,
                           _("The port must be a number from 1 to 65535."));
      return NULL;
    }

  settings = fields_to_settings (self);
  if (self->password != NULL && self->password[0] != '\0')
    mc_settings_set_password (settings, self->password);
  if (!mc_settings_validate (settings, error))
    return NULL;
  return g_steal_pointer (&settings);
}

/* The form field an MC_SETTINGS_ERROR is about, or NULL. */
const char *
mc_account_form_field_for_error (const GError *error)
{
  if (error == NULL || error->domain != MC_SETTINGS_ERROR)
    return NULL;

  switch ((McSettingsError)error->code)
    {
    case MC_SETTINGS_ERROR_INVALID_HOST:
      return "host";
    case MC_SETTINGS_ERROR_INVALID_PORT:
      return "port";
    case MC_SETTINGS_ERROR_INVALID_USER:
      return "user";
    case MC_SETTINGS_ERROR_INVALID_PASSWORD:
      return "password";
    case MC_SETTINGS_ERROR_INVALID_ADDRESS:
      return "email";
    case MC_SETTINGS_ERROR_INVALID_TIMEOUT:
    case MC_SETTINGS_ERROR_INVALID_CA_FILE:
    default:
      return NULL;
    }
}

/* GSettings ------------------------------------------------------------------ */

/* A key of this protocol, or NULL when the installed schema lacks it (an older
 * install): then the field is simply not remembered. */
static char *
settings_key (GSettings      *settings,
              McAccountForm  *self,
              const char     *suffix)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *key = g_strdup_printf ("%s-%s", mc_protocol_to_string (self->protocol), suffix);

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, key))
    return NULL;
  return g_steal_pointer (&key);
}

/* Only what the user changed is stored; everything else comes from the provider
 * profile, so a corrected profile reaches every user who kept the defaults. */
static gboolean
has_user_value (GSettings  *settings,
                const char *key)
{
  g_autoptr(GVariant) value = key ? g_settings_get_user_value (settings, key) : NULL;

  return value != NULL;
}

/* The properties flagged MC_ACCOUNT_FORM_REMEMBERED that this form has, with
 * their keys in this schema. */
static GPtrArray *
remembered_keys (McAccountForm *self,
                 GSettings     *settings,
                 GPtrArray    **pspecs)
{
  g_autofree GParamSpec **all = NULL;
  guint n = 0;
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  *pspecs = g_ptr_array_new ();
  all = g_object_class_list_properties (G_OBJECT_GET_CLASS (self), &n);
  for (guint i = 0; i < n; i++)
    {
      char *key;

      if ((all[i]->flags & MC_ACCOUNT_FORM_REMEMBERED) == 0)
        continue;
      /* The password is never written anywhere, whatever its flags say. */
      if (g_str_equal (all[i]->name, "password"))
        {
          g_critical ("The password must not be MC_ACCOUNT_FORM_REMEMBERED");
          continue;
        }
      if (
          !mc_account_form_has_field (self, all[i]->name) ||
          (key = settings_key (settings, self, all[i]->name)) == NULL)
        continue;
      g_ptr_array_add (keys, key);
      g_ptr_array_add (*pspecs, all[i]);
    }
  return keys;
}

/* A stored value as the property's value; FALSE when the types do not fit. */
static gboolean
variant_to_value (GVariant   *variant,
                  GParamSpec *pspec,
                  GValue     *value)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  g_value_init (value, type);
  if (type == G_TYPE_BOOLEAN && g_variant_is_of_type (variant, G_VARIANT_TYPE_BOOLEAN))
    g_value_set_boolean (value, g_variant_get_boolean (variant));
  else if (type == G_TYPE_INT && g_variant_is_of_type (variant, G_VARIANT_TYPE_INT32))
    g_value_set_int (value, g_variant_get_int32 (variant));
  else if (type == G_TYPE_STRING && g_variant_is_of_type (variant, G_VARIANT_TYPE_STRING))
    g_value_set_string (value, g_variant_get_string (variant, NULL));
  else if (G_TYPE_IS_ENUM (type) && g_variant_is_of_type (variant, G_VARIANT_TYPE_STRING))
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);
      GEnumValue *found = g_enum_get_value_by_nick (klass, g_variant_get_string (variant, NULL));

      if (found == NULL)
        return FALSE;
      g_value_set_enum (value, found->value);
    }
  else
    return FALSE;
  return TRUE;
}

static GVariant *
value_to_variant (const GValue *value)
{
  GType type = G_VALUE_TYPE (value);

  if (type == G_TYPE_BOOLEAN)
    return g_variant_new_boolean (g_value_get_boolean (value));
  if (type == G_TYPE_INT)
    return g_variant_new_int32 (g_value_get_int (value));
  if (type == G_TYPE_STRING)
    return g_variant_new_string (g_value_get_string (value) ? g_value_get_string (value) : "");
  if (G_TYPE_IS_ENUM (type))
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);
      GEnumValue *found = g_enum_get_value (klass, g_value_get_enum (value));

      return found ? g_variant_new_string (found->value_nick) : NULL;
    }
  return NULL;
}

static void
load_remembered (McAccountForm *self,
                 GSettings     *settings)
{
  g_autoptr(GPtrArray) pspecs = NULL;
  g_autoptr(GPtrArray) keys = remembered_keys (self, settings, &pspecs);

  for (guint i = 0; i < keys->len; i++)
    {
      g_autoptr(GVariant) stored = g_settings_get_value (settings, g_ptr_array_index (keys, i));
      GParamSpec *pspec = g_ptr_array_index (pspecs, i);
      g_auto(GValue) value = G_VALUE_INIT;

      if (variant_to_value (stored, pspec, &value))
        g_object_set_property (G_OBJECT (self), pspec->name, &value);
      else
        g_warning ("The key “%s” does not fit the field “%s”", (char *)g_ptr_array_index (keys, i), pspec->name);
    }
}

static void
save_remembered (McAccountForm *self,
                 GSettings     *settings)
{
  g_autoptr(GPtrArray) pspecs = NULL;
  g_autoptr(GPtrArray) keys = remembered_keys (self, settings, &pspecs);

  for (guint i = 0; i < keys->len; i++)
    {
      GParamSpec *pspec = g_ptr_array_index (pspecs, i);
      g_auto(GValue) value = G_VALUE_INIT;
      g_autoptr(GVariant) variant = NULL;

      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
      g_object_get_property (G_OBJECT (self), pspec->name, &value);
      variant = value_to_variant (&value);
      /* A wrong type is a programming error that GSettings reports itself. */
      if (variant != NULL)
        g_settings_set_value (settings, g_ptr_array_index (keys, i), g_variant_ref_sink (variant));
    }
}

void
mc_account_form_load (McAccountForm *self,
                      GSettings     *settings)
{
  g_autofree char *host_key = settings_key (settings, self, "host");
  g_autofree char *port_key = settings_key (settings, self, "port");
  g_autofree char *security_key = settings_key (settings, self, "security");
  g_autofree char *user_key = settings_key (settings, self, "user");
  McSecurity security;

  g_return_if_fail (MC_IS_ACCOUNT_FORM (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_object_freeze_notify (G_OBJECT (self));
  if (has_user_value (settings, host_key))
    {
      g_autofree char *host = g_settings_get_string (settings, host_key);

      if (host[0] != '\0')
        mc_account_form_set_host (self, host);
    }
  if (has_user_value (settings, security_key))
    {
      g_autofree char *name = g_settings_get_string (settings, security_key);

      if (mc_security_from_string (name, &security))
        mc_account_form_set_security (self, security);
    }
  if (port_key != NULL)
    {
      int port = g_settings_get_int (settings, port_key);

      if (port > 0 && port <= 65535)
        {
          g_autofree char *text = g_strdup_printf ("%d", port);

          mc_account_form_set_port (self, text);
        }
    }
  if (user_key != NULL)
    {
      g_autofree char *user = g_settings_get_string (settings, user_key);

      if (user[0] != '\0')
        mc_account_form_set_user (self, user);
    }
  load_remembered (self, settings);
  g_object_thaw_notify (G_OBJECT (self));
}

/* The password has no key: it is never written anywhere. The e-mail address is
 * shared by all pages; the window stores it. */
void
mc_account_form_save (McAccountForm *self,
                      GSettings     *settings)
{
  g_autofree char *host_key = settings_key (settings, self, "host");
  g_autofree char *port_key = settings_key (settings, self, "port");
  g_autofree char *security_key = settings_key (settings, self, "security");
  g_autofree char *user_key = settings_key (settings, self, "user");
  g_autofree char *host = stripped (self->host);
  const char *default_host = NULL;
  McEndpoint endpoint = { 0, MC_SECURITY_TLS };
  gboolean valid;
  guint16 port = parse_port (self->port, &valid);

  g_return_if_fail (MC_IS_ACCOUNT_FORM (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  provider_defaults (self->protocol, &default_host, &endpoint);
  if (host_key != NULL)
    {
      if (host[0] == '\0' || g_strcmp0 (host, default_host) == 0)
        g_settings_reset (settings, host_key);
      else
        g_settings_set_string (settings, host_key, host);
    }
  if (port_key != NULL)
    g_settings_set_int (settings, port_key, valid && self->port_custom ? port : 0);
  if (security_key != NULL)
    {
      if (endpoint.port != 0 && self->security == endpoint.security)
        g_settings_reset (settings, security_key);
      else
        g_settings_set_string (settings, security_key, mc_security_to_string (self->security));
    }
  if (user_key != NULL)
    g_settings_set_string (settings, user_key, self->user_custom && self->user ? self->user : "");
  save_remembered (self, settings);
}

/* GObject -------------------------------------------------------------------- */

McProtocol
mc_account_form_get_protocol (McAccountForm *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), MC_PROTOCOL_IMAP);
  return self->protocol;
}

const char *
mc_account_form_get_email (McAccountForm *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), NULL);
  return self->email;
}

const char *
mc_account_form_get_password (McAccountForm *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), NULL);
  return self->password;
}

const char *
mc_account_form_get_user (McAccountForm *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), NULL);
  return self->user;
}

const char *
mc_account_form_get_host (McAccountForm *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), NULL);
  return self->host;
}

const char *
mc_account_form_get_port (McAccountForm *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), NULL);
  return self->port;
}

McSecurity
mc_account_form_get_security (McAccountForm *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), MC_SECURITY_TLS);
  return self->security;
}

gboolean
mc_account_form_get_port_custom (McAccountForm *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), FALSE);
  return self->port_custom;
}

gboolean
mc_account_form_get_user_custom (McAccountForm *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), FALSE);
  return self->user_custom;
}

guint
mc_account_form_get_revision (McAccountForm *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), 0);
  return self->revision;
}

/**
 * mc_account_form_get_hints:
 *
 * Returns: (transfer none) (element-type McAdvice): what the engine says about
 *   the fields before a test; an invalid field is the only hint while it lasts
 */
GPtrArray *
mc_account_form_get_hints (McAccountForm *self)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), NULL);
  return self->hints;
}

/* What is wrong with a field as typed, or NULL; @field gets its name. */
const char *
mc_account_form_get_input_error (McAccountForm  *self,
                                 const char    **field)
{
  g_return_val_if_fail (MC_IS_ACCOUNT_FORM (self), NULL);
  if (field != NULL)
    *field = self->input_error_field;
  return self->input_error;
}

static void
mc_account_form_constructed (GObject *object)
{
  McAccountForm *self = (McAccountForm *)object;
  McEndpoint endpoint = { 0, MC_SECURITY_TLS };
  const char *host = NULL;

  G_OBJECT_CLASS (mc_account_form_parent_class)->constructed (object);

  provider_defaults (self->protocol, &host, &endpoint);
  self->host = g_strdup (host ? host : "");
  self->security = endpoint.port != 0 ? endpoint.security : MC_SECURITY_TLS;
  self->port = g_strdup_printf ("%u", endpoint.port != 0 ? endpoint.port : standard_port (self));
  self->port_custom = port_is_custom (self);
  self->email = g_strdup ("");
  self->user = g_strdup ("");
  self->password = g_strdup ("");
  changed (self);
}

static void
mc_account_form_finalize (GObject *object)
{
  McAccountForm *self = (McAccountForm *)object;

  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->password, mc_secret_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->port, g_free);
  g_clear_pointer (&self->hints, g_ptr_array_unref);
  g_clear_pointer (&self->input_error, g_free);
  g_clear_pointer (&self->client, g_free);

  G_OBJECT_CLASS (mc_account_form_parent_class)->finalize (object);
}

static void
mc_account_form_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  McAccountForm *self = MC_ACCOUNT_FORM (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL:
      g_value_set_enum (value, self->protocol);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_PASSWORD:
      g_value_set_string (value, self->password);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_string (value, self->port);
      break;
    case PROP_SECURITY:
      g_value_set_enum (value, self->security);
      break;
    case PROP_PORT_CUSTOM:
      g_value_set_boolean (value, self->port_custom);
      break;
    case PROP_USER_CUSTOM:
      g_value_set_boolean (value, self->user_custom);
      break;
    case PROP_REVISION:
      g_value_set_uint (value, self->revision);
      break;
    case PROP_HINTS:
      g_value_set_boxed (value, self->hints);
      break;
    case PROP_INPUT_ERROR:
      g_value_set_string (value, self->input_error);
      break;
    case PROP_CLIENT:
      g_value_set_string (value, self->client);
      break;
    case PROP_ENVELOPE:
      g_value_set_boolean (value, self->envelope);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mc_account_form_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  McAccountForm *self = MC_ACCOUNT_FORM (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL:
      self->protocol = g_value_get_enum (value);
      break;
    case PROP_EMAIL:
      mc_account_form_set_email (self, g_value_get_string (value));
      break;
    case PROP_PASSWORD:
      mc_account_form_set_password (self, g_value_get_string (value));
      break;
    case PROP_USER:
      mc_account_form_set_user (self, g_value_get_string (value));
      break;
    case PROP_HOST:
      mc_account_form_set_host (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      mc_account_form_set_port (self, g_value_get_string (value));
      break;
    case PROP_SECURITY:
      mc_account_form_set_security (self, g_value_get_enum (value));
      break;
    case PROP_CLIENT:
      mc_account_form_set_client (self, g_value_get_string (value));
      break;
    case PROP_ENVELOPE:
      mc_account_form_set_envelope (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mc_account_form_class_init (McAccountFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mc_account_form_constructed;
  object_class->finalize = mc_account_form_finalize;
  object_class->get_property = mc_account_form_get_property;
  object_class->set_property = mc_account_form_set_property;

  properties[PROP_PROTOCOL] =
    g_param_spec_enum ("protocol", NULL, NULL,
                       MC_TYPE_PROTOCOL, MC_PROTOCOL_IMAP,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS |
                          MC_ACCOUNT_FORM_FIELD));
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS |
                          MC_ACCOUNT_FORM_FIELD));
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS |
                          MC_ACCOUNT_FORM_FIELD));
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS |
                          MC_ACCOUNT_FORM_FIELD));
  properties[PROP_PORT] =
    g_param_spec_string ("port", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS |
                          MC_ACCOUNT_FORM_FIELD));
  properties[PROP_SECURITY] =
    g_param_spec_enum ("security", NULL, NULL,
                       MC_TYPE_SECURITY, MC_SECURITY_TLS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS |
                        MC_ACCOUNT_FORM_FIELD));
  properties[PROP_PORT_CUSTOM] =
    g_param_spec_boolean ("port-custom", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_USER_CUSTOM] =
    g_param_spec_boolean ("user-custom", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REVISION] =
    g_param_spec_uint ("revision", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HINTS] =
    g_param_spec_boxed ("hints", NULL, NULL, G_TYPE_PTR_ARRAY,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_INPUT_ERROR] =
    g_param_spec_string ("input-error", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The customer's mail program (an ID from data/clients): it changes how the
   * advice is worded, not what a test found, so it is no revision. */
  properties[PROP_CLIENT] =
    g_param_spec_string ("client", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* SMTP: after the login also MAIL FROM and RCPT TO with the address; it
   * changes what a test does, so it is part of the revision. */
  properties[PROP_ENVELOPE] =
    g_param_spec_boolean ("envelope", NULL, NULL, TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS |
                           MC_ACCOUNT_FORM_FIELD | MC_ACCOUNT_FORM_REMEMBERED));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mc_account_form_init (McAccountForm *self)
{
  self->client = g_strdup (mc_client_get_id (mc_client_get_default ()));
  self->envelope = TRUE;
}

McAccountForm *
mc_account_form_new (McProtocol protocol)
{
  return g_object_new (MC_TYPE_ACCOUNT_FORM, "protocol", protocol, NULL);
}
