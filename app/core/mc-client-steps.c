/* mc-client-steps.c
 *
 * The app's own sentences around a mail program's labels: the steps for a fix
 * and the values to enter, in the program's words and menus. The order of the
 * steps is the one that is right whatever the program does by itself: the
 * mode before the port, and where a program moves the port when the mode
 * changes, the customer leaves the port it sets (the help page's "bitte
 * diesen nicht einfach abändern").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-clients"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-clients-private.h"

#define PATH_SEPARATOR " → "

static gboolean
term_is_quote (const McClientTerm *term)
{
  return term->quality[mc_clients_language_index ()] == MC_CLIENT_QUALITY_EXACT;
}

static char *
quote (const char *text)
{
  /* Translators: a label of the customer's mail program inside one of our
   * sentences; %s is the label as the program shows it */
  return g_strdup_printf (C_("mail program label", "“%s”"), text);
}

/* The program's exact words in quotation marks; a description as it is, but
 * without a button's trailing ellipsis, which would run into the full stop. */
static char *
term_render (const McClientTerm *term)
{
  const char *text = mc_client_term_text (term);

  if (term_is_quote (term))
    return quote (text);
  if (g_str_has_suffix (text, "…"))
    return g_strchomp (g_strndup (text, strlen (text) - strlen ("…")));
  return g_strdup (text);
}

static char *
path_render (const GPtrArray *path)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < path->len; i++)
    {
      g_autofree char *element = term_render (g_ptr_array_index (path, i));

      if (i > 0)
        g_string_append (text, PATH_SEPARATOR);
      g_string_append (text, element);
    }
  return g_string_free (text, FALSE);
}

static const GPtrArray *
field_path (const McClient *self,
            McClientField   field,
            McProtocol      protocol)
{
  int direction = mc_client_direction (protocol);

  return self->field_path[field][direction] ? self->field_path[field][direction] : self->path[direction];
}

static const char *
field_word (McClientField field)
{
  switch (field)
    {
    case MC_CLIENT_FIELD_SERVER:
      return C_("mail program field", "Server");
    case MC_CLIENT_FIELD_PORT:
      return C_("mail program field", "Port");
    case MC_CLIENT_FIELD_USER:
      return C_("mail program field", "User name");
    case MC_CLIENT_FIELD_SECURITY:
      return C_("mail program field", "Encryption");
    case MC_CLIENT_FIELD_AUTH:
      return C_("mail program field", "Login method");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The field's label as text, and whether it is the program's exact wording;
 * the app's own word for it where the program's is not known. */
static const char *
field_label (const McClient *self,
             McClientField   field,
             McProtocol      protocol,
             gboolean       *is_quote)
{
  const McClientTerm *label = mc_client_role_term (self, mc_client_field_role (field), protocol);

  *is_quote = label != NULL && term_is_quote (label);
  return label != NULL ? mc_client_term_text (label) : field_word (field);
}

static char *
field_render (const McClient *self,
              McClientField   field,
              McProtocol      protocol)
{
  const McClientTerm *label = mc_client_role_term (self, mc_client_field_role (field), protocol);

  return label != NULL ? term_render (label) : g_strdup (field_word (field));
}

static char *
short_name (const McClient *self)
{
  const McClientTerm *name = mc_client_term (self, "short-name");

  return g_strdup (mc_client_term_text (name ? name : mc_client_term (self, "name")));
}

static char *
option_render (const McClient *self,
               McSecurity      security)
{
  return term_render (mc_client_term (self, mc_client_option_id (security)));
}

typedef struct
{
  McProtocol   protocol;
  const char  *host;
  guint16      port;
  McSecurity   security;
  const char  *user;
} Target;

/* Where the port is typed after the server name, the server value with it;
 * without it where the program picks the mode's usual port by itself. */
static char *
server_value (const McClient *self,
              const Target   *target)
{
  if (self->port_style == MC_CLIENT_PORT_IN_SERVER &&
      !(self->port_follows == MC_CLIENT_FOLLOWS_YES &&
        target->port == mc_default_port (target->protocol, target->security)))
    return g_strdup_printf ("%s:%u", target->host, target->port);
  return g_strdup (target->host);
}

static void
add (GPtrArray *steps,
     char      *sentence)
{
  g_ptr_array_add (steps, sentence);
}

static void
add_open (const McClient  *self,
          GPtrArray       *steps,
          const GPtrArray *path)
{
  g_autofree char *where = path_render (path);

  /* Translators: %s is a menu path in the customer's mail program, e.g.
   * “Account Settings” → your account → “Server Settings” */
  add (steps, g_strdup_printf (_("Open %s."), where));
  if (self->traps & MC_CLIENT_TRAP_AUTO_MANAGE)
    {
      g_autofree char *box = term_render (mc_client_term (self, "auto-manage"));
      g_autofree char *name = short_name (self);

      /* Translators: %1$s is a checkbox of the mail program, %2$s the
       * program (Apple Mail) */
      add (steps, g_strdup_printf (_("Turn off %1$s first — otherwise %2$s changes the port, the encryption "
                                     "and the login method by itself."), box, name));
    }
}

static void
add_auto_manage_warning (const McClient *self,
                         GPtrArray      *steps)
{
  g_autofree char *box = NULL;
  g_autofree char *name = NULL;

  if (!(self->traps & MC_CLIENT_TRAP_AUTO_MANAGE))
    return;
  box = term_render (mc_client_term (self, "auto-manage"));
  name = short_name (self);
  /* Translators: %1$s is the mail program, %2$s its checkbox for automatic
   * connection settings */
  add (steps, g_strdup_printf (_("%1$s may turn %2$s back on or change these settings again later; if a "
                                 "later test fails, look here first."), name, box));
}

static void
add_type_value (GPtrArray  *steps,
                const char *label,
                const char *value)
{
  /* Translators: typing a value into a field of the mail program; %1$s is
   * the field, %2$s the value, e.g. Set “Server Name” to mail.example.org. */
  add (steps, g_strdup_printf (C_("type a value", "Set %1$s to %2$s."), label, value));
}

static void
add_type_port (GPtrArray  *steps,
               const char *label,
               guint       port)
{
  /* Translators: %1$s is the port field of the mail program, %2$u the port */
  add (steps, g_strdup_printf (C_("type a port", "Set %1$s to %2$u."), label, port));
}

/* Programs that move the port when the mode changes: the customer leaves
 * what the program sets (the help page's "bitte diesen nicht einfach
 * abändern"). */
static void
add_leave_port (const McClient *self,
                GPtrArray      *steps,
                guint           port)
{
  g_autofree char *name = short_name (self);

  if (self->port_style != MC_CLIENT_PORT_FIELD)
    /* Translators: %1$s is the mail program, %2$u a port */
    add (steps, g_strdup_printf (_("%1$s then uses port %2$u by itself."), name, port));
  else
    /* Translators: %1$s is the mail program, %2$u a port */
    add (steps, g_strdup_printf (_("%1$s then sets the port to %2$u by itself — leave it that way."),
                                 name, port));
}

static void
add_port_in_server (const McClient *self,
                    GPtrArray      *steps,
                    const Target   *target)
{
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_SERVER, target->protocol);

  if (target->host != NULL)
    {
      g_autofree char *value = server_value (self, target);

      add_type_value (steps, label, value);
    }
  else
    /* Translators: %1$s is the server field of the mail program, where the
     * port follows the server name after a colon; %2$u is the port */
    add (steps, g_strdup_printf (_("In %1$s, the server name must end with :%2$u."), label, target->port));
}

/* The port after the mode is chosen: the order that is right whether or not
 * the program moves the port. */
static void
add_port_after_mode (const McClient *self,
                     GPtrArray      *steps,
                     const Target   *target)
{
  guint usual = mc_default_port (target->protocol, target->security);
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_PORT, target->protocol);
  g_autofree char *name = short_name (self);

  if (self->port_style == MC_CLIENT_PORT_NONE)
    add_leave_port (self, steps, usual);
  else if (self->port_follows == MC_CLIENT_FOLLOWS_YES && target->port == usual &&
           (self->security_style == MC_CLIENT_SECURITY_CHOICE || target->security == MC_SECURITY_TLS))
    add_leave_port (self, steps, usual);
  else if (self->port_style == MC_CLIENT_PORT_IN_SERVER)
    add_port_in_server (self, steps, target);
  else if (self->port_follows == MC_CLIENT_FOLLOWS_YES)
    /* Translators: %1$s is the port field, %2$u the port, %3$s the mail program */
    add (steps, g_strdup_printf (_("Then set %1$s to %2$u: %3$s changes the port when you choose the "
                                   "encryption, so set it last."), label, target->port, name));
  else if (self->port_follows == MC_CLIENT_FOLLOWS_MAYBE)
    /* Translators: %1$s is the port field, %2$u the port */
    add (steps, g_strdup_printf (_("Then set %1$s to %2$u — some programs change the port by themselves when "
                                   "you choose the encryption, so set it last."), label, target->port));
  else
    add_type_port (steps, label, target->port);
}

static void
add_switch_explanation (const McClient *self,
                        GPtrArray      *steps,
                        McProtocol      protocol)
{
  g_autofree char *name = short_name (self);

  /* Translators: %1$s is the mail program, %2$u and %3$u ports, e.g. “Apple
   * Mail has one switch …: port 587 means STARTTLS, port 465 SSL/TLS.” */
  add (steps, g_strdup_printf (_("%1$s has one switch for both kinds of encryption, and the port decides: "
                                 "port %2$u means STARTTLS, port %3$u SSL/TLS."),
                               name,
                               mc_default_port (protocol, MC_SECURITY_STARTTLS),
                               mc_default_port (protocol, MC_SECURITY_TLS)));
}

static void
add_named_tls (const McClient *self,
               GPtrArray      *steps)
{
  g_autofree char *starttls = option_render (self, MC_SECURITY_STARTTLS);
  g_autofree char *tls = option_render (self, MC_SECURITY_TLS);

  /* Translators: %1$s is the mail program, %2$s and %3$s its options,
   * e.g. In Outlook 2010/2013, “TLS” means STARTTLS and “SSL” means SSL/TLS. */
  add (steps, g_strdup_printf (_("In %1$s, %2$s means STARTTLS and %3$s means SSL/TLS."),
                               mc_client_term_text (mc_client_term (self, "name")), starttls, tls));
}

static void
add_security_traps (const McClient *self,
                    GPtrArray      *steps,
                    McSecurity      security)
{
  g_autofree char *name = short_name (self);

  if (self->traps & MC_CLIENT_TRAP_AUTO_NEVER)
    {
      g_autofree char *option = term_render (mc_client_term (self, "option-auto"));

      /* Translators: %1$s is an option of the mail program (“Auto”), %2$s the program */
      add (steps, g_strdup_printf (_("Do not choose %1$s: then %2$s decides by itself which encryption to use."),
                                   option, name));
    }
  if (self->traps & MC_CLIENT_TRAP_STARTTLS_NAMED_TLS)
    add_named_tls (self, steps);
  if ((self->traps & MC_CLIENT_TRAP_ACCEPT_ALL) && security != MC_SECURITY_NONE)
    {
      const char *id = security == MC_SECURITY_TLS ? "option-tls-all" : "option-starttls-all";
      g_autofree char *option = term_render (mc_client_term (self, id));

      /* Translators: %1$s is an option of the mail program, %2$s the program */
      add (steps, g_strdup_printf (_("Do not choose %1$s: then %2$s would accept any certificate, even a "
                                     "forged one."), option, name));
    }
}

/* The mode, then the port that goes with it. */
static void
add_security (const McClient *self,
              GPtrArray      *steps,
              const Target   *target)
{
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_SECURITY, target->protocol);

  if (self->security_style == MC_CLIENT_SECURITY_SWITCH)
    {
      if (target->security == MC_SECURITY_NONE)
        /* Translators: %s is a checkbox or switch of the mail program */
        add (steps, g_strdup_printf (_("Turn off %s."), label));
      else
        /* Translators: %s is a checkbox or switch of the mail program */
        add (steps, g_strdup_printf (_("Turn on %s."), label));
      add_port_after_mode (self, steps, target);
      add_switch_explanation (self, steps, target->protocol);
    }
  else
    {
      g_autofree char *option = option_render (self, target->security);

      /* Translators: choosing an option of the mail program; %1$s is the
       * field, %2$s the option, e.g. Set “Connection security” to “STARTTLS”. */
      add (steps, g_strdup_printf (C_("choose an option", "Set %1$s to %2$s."), label, option));
      add_security_traps (self, steps, target->security);
      add_port_after_mode (self, steps, target);
    }
}

static void
add_keep_security (const McClient *self,
                   GPtrArray      *steps,
                   const Target   *target)
{
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_SECURITY, target->protocol);

  if (self->security_style == MC_CLIENT_SECURITY_SWITCH)
    {
      if (target->security == MC_SECURITY_NONE)
        /* Translators: %s is a checkbox or switch of the mail program */
        add (steps, g_strdup_printf (_("Leave %s turned off."), label));
      else
        /* Translators: %s is a checkbox or switch of the mail program */
        add (steps, g_strdup_printf (_("Leave %s turned on."), label));
      add_switch_explanation (self, steps, target->protocol);
    }
  else
    {
      g_autofree char *option = option_render (self, target->security);

      /* Translators: %1$s is a field of the mail program, %2$s its option */
      add (steps, g_strdup_printf (_("Leave %1$s at %2$s."), label, option));
      if (self->traps & MC_CLIENT_TRAP_STARTTLS_NAMED_TLS)
        add_named_tls (self, steps);
    }
}

/* A port fix keeps the mode. Where the program moves the port itself, the
 * customer makes it do so rather than typing over it: choosing the other mode
 * and then the right one again moves a port that is the other mode's usual
 * one, which is what the classic mistakes leave behind. */
static void
add_port (const McClient *self,
          GPtrArray      *steps,
          const Target   *target)
{
  guint usual = mc_default_port (target->protocol, target->security);
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_PORT, target->protocol);

  if (self->port_style == MC_CLIENT_PORT_NONE)
    {
      add_security (self, steps, target);
      return;
    }
  if (self->port_style == MC_CLIENT_PORT_IN_SERVER)
    {
      add_port_in_server (self, steps, target);
      if (self->port_follows == MC_CLIENT_FOLLOWS_YES && target->port == usual && target->host != NULL)
        add_leave_port (self, steps, usual);
    }
  else if (self->port_follows == MC_CLIENT_FOLLOWS_YES && target->port == usual &&
           self->security_style == MC_CLIENT_SECURITY_CHOICE && target->security != MC_SECURITY_NONE)
    {
      McSecurity other = target->security == MC_SECURITY_TLS ? MC_SECURITY_STARTTLS : MC_SECURITY_TLS;
      g_autofree char *security = field_render (self, MC_CLIENT_FIELD_SECURITY, target->protocol);
      g_autofree char *first = option_render (self, other);
      g_autofree char *again = option_render (self, target->security);

      /* Translators: %1$s is a field of the mail program, %2$s and %3$s two
       * of its options, e.g. Under “Connection security”, choose “STARTTLS”
       * first and then “SSL/TLS” again. */
      add (steps, g_strdup_printf (_("Under %1$s, choose %2$s first and then %3$s again."),
                                   security, first, again));
      add_leave_port (self, steps, usual);
      return;
    }
  else if (self->port_follows == MC_CLIENT_FOLLOWS_YES && target->port == usual &&
           target->security == MC_SECURITY_TLS)
    {
      g_autofree char *security = field_render (self, MC_CLIENT_FIELD_SECURITY, target->protocol);

      /* Translators: %s is a switch of the mail program */
      add (steps, g_strdup_printf (_("Turn %s off and on again."), security));
      add_leave_port (self, steps, usual);
      add_switch_explanation (self, steps, target->protocol);
      return;
    }
  else
    add_type_port (steps, label, target->port);
  add_keep_security (self, steps, target);
}

static void
add_host (const McClient *self,
          GPtrArray      *steps,
          const Target   *target)
{
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_SERVER, target->protocol);
  g_autofree char *value = server_value (self, target);

  add_type_value (steps, label, value);
}

static void
add_user (const McClient *self,
          GPtrArray      *steps,
          const Target   *target)
{
  g_autofree char *label = field_render (self, MC_CLIENT_FIELD_USER, target->protocol);

  if (target->user != NULL)
    {
      add_type_value (steps, label, target->user);
      add (steps, g_strdup (_("The user name is always your full e-mail address.")));
    }
  else
    /* Translators: %s is the user name field of the mail program */
    add (steps, g_strdup_printf (_("Set %s to your full e-mail address."), label));
  if (self->traps & MC_CLIENT_TRAP_USER_LOCAL_PART)
    {
      g_autofree char *name = short_name (self);

      /* Translators: %s is the mail program */
      add (steps, g_strdup_printf (_("%s fills in only the part before the @ by itself; replace it with the "
                                     "full address."), name));
    }
}

static void
add_auth (const McClient *self,
          GPtrArray      *steps,
          McProtocol      protocol)
{
  McClientAuthStyle style = self->auth[mc_client_direction (protocol)];
  g_autofree char *name = short_name (self);
  g_autofree char *label = NULL;
  g_autofree char *option = NULL;

  switch (style)
    {
    case MC_CLIENT_AUTH_CHOICE:
      label = field_render (self, MC_CLIENT_FIELD_AUTH, protocol);
      option = term_render (mc_client_term (self, "option-auth"));
      add (steps, g_strdup_printf (C_("choose an option", "Set %1$s to %2$s."), label, option));
      break;
    case MC_CLIENT_AUTH_SWITCH_ON:
      label = field_render (self, MC_CLIENT_FIELD_AUTH, protocol);
      add (steps, g_strdup_printf (_("Turn on %s."), label));
      break;
    case MC_CLIENT_AUTH_SWITCH_OFF:
      label = field_render (self, MC_CLIENT_FIELD_AUTH, protocol);
      add (steps, g_strdup_printf (_("Turn off %s."), label));
      break;
    case MC_CLIENT_AUTH_NONE:
      /* Translators: %s is the mail program */
      add (steps, g_strdup_printf (_("%s has no setting for the login method: it always logs in with the "
                                     "normal password, as the provider expects. Check the user name and the "
                                     "password instead."), name));
      break;
    default:
      g_return_if_reached ();
    }
}

/* Programs that cannot change a setting of an existing account: remove it,
 * add it again, and type every value once more. */
static void
add_readd (const McClient *self,
           GPtrArray      *steps,
           const Target   *target)
{
  g_autofree char *name = short_name (self);
  g_autofree char *remove = path_render (self->remove_path);
  g_autofree char *again = path_render (self->add_path);

  /* Translators: %s is the mail program */
  add (steps, g_strdup_printf (_("%s cannot change this setting of an existing account: remove the account "
                                 "and add it again."), name));
  /* Translators: %s is a menu path in the mail program */
  add (steps, g_strdup_printf (_("Remove it under %s."), remove));
  /* Translators: %s is a menu path in the mail program */
  add (steps, g_strdup_printf (_("Then add it again under %s."), again));
  if (target->host != NULL)
    add_host (self, steps, target);
  add_security (self, steps, target);
  add_user (self, steps, target);
  if (self->auth[mc_client_direction (target->protocol)] != MC_CLIENT_AUTH_NONE)
    add_auth (self, steps, target->protocol);
  if (target->host != NULL && target->user != NULL)
    add (steps, g_strdup (_("Enter your password as well.")));
  else
    add (steps, g_strdup (_("Enter the other values as before, and your password.")));
}

static McClientField
field_of_fix (McClientFixKind kind)
{
  switch (kind)
    {
    case MC_CLIENT_FIX_SECURITY:
      return MC_CLIENT_FIELD_SECURITY;
    case MC_CLIENT_FIX_PORT:
      return MC_CLIENT_FIELD_PORT;
    case MC_CLIENT_FIX_HOST:
      return MC_CLIENT_FIELD_SERVER;
    case MC_CLIENT_FIX_USER:
      return MC_CLIENT_FIELD_USER;
    case MC_CLIENT_FIX_AUTH:
      return MC_CLIENT_FIELD_AUTH;
    default:
      g_return_val_if_reached (MC_CLIENT_FIELD_SECURITY);
    }
}

static char **
steps_free_to_strv (GPtrArray *steps)
{
  g_ptr_array_add (steps, NULL);
  return (char **)g_ptr_array_free (steps, FALSE);
}

static gboolean
add_unavailable (const McClient *self,
                 GPtrArray      *steps,
                 McProtocol      protocol,
                 McSecurity      security)
{
  g_autofree char *name = short_name (self);

  if (!self->protocols[protocol])
    /* Translators: %1$s is the mail program, %2$s a protocol (POP3) */
    add (steps, g_strdup_printf (_("%1$s cannot set up %2$s accounts."),
                                 name, mc_protocol_display_name (protocol)));
  else if (!self->offers[security])
    /* Translators: %s is the mail program */
    add (steps, g_strdup_printf (_("%s cannot connect without encryption."), name));
  else
    return FALSE;
  return TRUE;
}

/**
 * mc_client_describe_fix:
 *
 * The steps for @fix in @self's words and menus, one sentence each, in the
 * language of the app's sentences.
 *
 * Returns: (transfer full): a %NULL-terminated array of sentences
 */
char **
mc_client_describe_fix (const McClient    *self,
                        McProtocol         protocol,
                        const McClientFix *fix)
{
  GPtrArray *steps = g_ptr_array_new ();
  Target target = { protocol, fix->host, fix->port, fix->security, fix->user };
  McClientField field;

  g_return_val_if_fail (protocol < MC_N_PROTOCOLS && fix->security <= MC_SECURITY_NONE, NULL);
  g_return_val_if_fail (fix->kind != MC_CLIENT_FIX_HOST || fix->host != NULL, NULL);

  field = field_of_fix (fix->kind);
  if (target.port == 0)
    target.port = mc_default_port (protocol, target.security);

  if (add_unavailable (self, steps, protocol, target.security))
    return steps_free_to_strv (steps);
  if (self->fixed & (1u << field))
    {
      add_readd (self, steps, &target);
      return steps_free_to_strv (steps);
    }

  /* Nothing to open where the program has no setting for the login method. */
  if (fix->kind == MC_CLIENT_FIX_AUTH && self->auth[mc_client_direction (protocol)] == MC_CLIENT_AUTH_NONE)
    {
      add_auth (self, steps, protocol);
      return steps_free_to_strv (steps);
    }

  add_open (self, steps, field_path (self, field, protocol));
  switch (fix->kind)
    {
    case MC_CLIENT_FIX_SECURITY:
      add_security (self, steps, &target);
      break;
    case MC_CLIENT_FIX_PORT:
      add_port (self, steps, &target);
      break;
    case MC_CLIENT_FIX_HOST:
      add_host (self, steps, &target);
      break;
    case MC_CLIENT_FIX_USER:
      add_user (self, steps, &target);
      break;
    case MC_CLIENT_FIX_AUTH:
      add_auth (self, steps, protocol);
      break;
    default:
      g_return_val_if_reached (steps_free_to_strv (steps));
    }
  add_auto_manage_warning (self, steps);
  return steps_free_to_strv (steps);
}

/**
 * mc_client_describe_place:
 *
 * Where the settings for @protocol are entered in @self, as sentences: the
 * menu path, and what to switch off first where the program needs that.
 *
 * Returns: (transfer full): a %NULL-terminated array of sentences
 */
char **
mc_client_describe_place (const McClient *self,
                          McProtocol      protocol)
{
  GPtrArray *steps = g_ptr_array_new ();

  g_return_val_if_fail (protocol < MC_N_PROTOCOLS, NULL);

  if (!self->protocols[protocol])
    add_unavailable (self, steps, protocol, MC_SECURITY_TLS);
  else if (self->fixed == MC_CLIENT_ALL_FIELDS)
    {
      g_autofree char *where = path_render (self->add_path);

      /* Translators: %s is a menu path in the mail program */
      add (steps, g_strdup_printf (_("Enter these values when you add the account under %s."), where));
    }
  else
    add_open (self, steps, self->path[mc_client_direction (protocol)]);
  return steps_free_to_strv (steps);
}

void
mc_client_entry_free (McClientEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->label);
  g_free (entry->value);
  g_free (entry->place);
  g_free (entry->note);
  g_free (entry);
}

static McClientEntry *
entry_new (const McClient *self,
           McClientField   field,
           McProtocol      protocol)
{
  McClientEntry *entry = g_new0 (McClientEntry, 1);
  const GPtrArray *path = field_path (self, field, protocol);

  entry->field = field;
  entry->label = g_strdup (field_label (self, field, protocol, &entry->label_is_quote));
  if (path != self->path[mc_client_direction (protocol)] && self->fixed != MC_CLIENT_ALL_FIELDS)
    entry->place = path_render (path);
  return entry;
}

static void
append_note (McClientEntry *entry,
             char          *sentence)
{
  char *joined = entry->note ? g_strconcat (entry->note, " ", sentence, NULL) : g_strdup (sentence);

  g_free (entry->note);
  g_free (sentence);
  entry->note = joined;
}

/* Notes come from the same sentences as the steps, so the card and the
 * advice say the same. */
static char *
sentences_joined (char **sentences)
{
  char *joined = g_strjoinv (" ", sentences);

  g_strfreev (sentences);
  return joined;
}

static McClientEntry *
security_entry (const McClient *self,
                const Target   *target)
{
  McClientEntry *entry = entry_new (self, MC_CLIENT_FIELD_SECURITY, target->protocol);
  GPtrArray *notes = g_ptr_array_new ();

  if (self->security_style == MC_CLIENT_SECURITY_SWITCH)
    {
      entry->value = g_strdup (target->security == MC_SECURITY_NONE ? C_("switch state", "off")
                                                                     : C_("switch state", "on"));
      add_switch_explanation (self, notes, target->protocol);
    }
  else if (self->offers[target->security])
    {
      const McClientTerm *option = mc_client_term (self, mc_client_option_id (target->security));

      entry->value = g_strdup (mc_client_term_text (option));
      entry->value_is_quote = term_is_quote (option);
      add_security_traps (self, notes, target->security);
    }
  else
    {
      entry->value = g_strdup (mc_security_display_name (target->security));
      add_unavailable (self, notes, target->protocol, target->security);
    }
  if (self->fixed & (1u << MC_CLIENT_FIELD_SECURITY) && self->fixed != MC_CLIENT_ALL_FIELDS)
    {
      g_autofree char *name = short_name (self);

      /* Translators: %s is the mail program */
      add (notes, g_strdup_printf (_("%s offers this choice only when you add the account."), name));
    }
  if (notes->len > 0)
    entry->note = sentences_joined (steps_free_to_strv (notes));
  else
    g_ptr_array_unref (notes);
  return entry;
}

static McClientEntry *
port_entry (const McClient *self,
            const Target   *target)
{
  McClientEntry *entry = entry_new (self, MC_CLIENT_FIELD_PORT, target->protocol);
  guint usual = mc_default_port (target->protocol, target->security);
  g_autofree char *name = short_name (self);

  entry->value = g_strdup_printf ("%u", target->port);
  entry->typed = self->port_style == MC_CLIENT_PORT_FIELD;
  if (!self->offers[target->security])
    return entry;
  if (self->port_follows == MC_CLIENT_FOLLOWS_YES && target->port == usual &&
      (self->security_style == MC_CLIENT_SECURITY_CHOICE || target->security == MC_SECURITY_TLS))
    {
      g_autofree char *choice = self->security_style == MC_CLIENT_SECURITY_CHOICE
                                ? option_render (self, target->security)
                                : field_render (self, MC_CLIENT_FIELD_SECURITY, target->protocol);

      entry->typed = FALSE;
      if (self->port_style == MC_CLIENT_PORT_NONE)
        /* Translators: %1$s is the mail program, %2$s one of its options */
        append_note (entry, g_strdup_printf (_("%1$s uses this port by itself when you choose %2$s."),
                                             name, choice));
      else
        /* Translators: %1$s is the mail program, %2$s one of its options */
        append_note (entry, g_strdup_printf (_("%1$s sets this port by itself when you choose %2$s; leave it that "
                                               "way."), name, choice));
    }
  else if (self->port_follows == MC_CLIENT_FOLLOWS_YES)
    /* Translators: %s is the mail program */
    append_note (entry, g_strdup_printf (_("%s changes the port when you choose the encryption: enter the port "
                                           "last."), name));
  else if (self->port_follows == MC_CLIENT_FOLLOWS_MAYBE)
    append_note (entry, g_strdup (_("Enter the port last: some programs change it by themselves when you choose "
                                    "the encryption.")));
  return entry;
}

/**
 * mc_client_describe_settings:
 * @host: the server name
 * @port: the port, or 0 for the usual port of @security
 * @user: the user name (the full address), or %NULL where unknown
 *
 * Everything to enter in @self for a working setting, in its terms: server,
 * port, the mode by its name there, user name and login method. Where the
 * program sets the port itself, the port is shown to check, not to type.
 *
 * Returns: (transfer container) (element-type McClientEntry): the rows;
 *   empty when @self cannot set up @protocol accounts
 */
GPtrArray *
mc_client_describe_settings (const McClient *self,
                             McProtocol      protocol,
                             const char     *host,
                             guint16         port,
                             McSecurity      security,
                             const char     *user)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_client_entry_free);
  Target target = { protocol, host, port, security, user };
  McClientEntry *entry;

  g_return_val_if_fail (protocol < MC_N_PROTOCOLS && security <= MC_SECURITY_NONE && host != NULL, entries);

  if (!self->protocols[protocol])
    return entries;
  if (target.port == 0)
    target.port = mc_default_port (protocol, security);

  entry = entry_new (self, MC_CLIENT_FIELD_SERVER, protocol);
  entry->value = server_value (self, &target);
  entry->typed = TRUE;
  if (self->port_style == MC_CLIENT_PORT_IN_SERVER && strchr (entry->value, ':') != NULL)
    append_note (entry, g_strdup (_("The port goes after the server name, separated by a colon.")));
  else if (self->port_style == MC_CLIENT_PORT_IN_SERVER)
    {
      g_autofree char *name = short_name (self);

      append_note (entry, g_strdup_printf (_("%1$s then uses port %2$u by itself."), name, target.port));
    }
  g_ptr_array_add (entries, entry);

  if (self->port_style != MC_CLIENT_PORT_IN_SERVER)
    g_ptr_array_add (entries, port_entry (self, &target));
  g_ptr_array_add (entries, security_entry (self, &target));

  entry = entry_new (self, MC_CLIENT_FIELD_USER, protocol);
  entry->value = g_strdup (user ? user : _("your full e-mail address"));
  entry->typed = user != NULL;
  if (self->traps & MC_CLIENT_TRAP_USER_LOCAL_PART)
    {
      g_autofree char *name = short_name (self);

      append_note (entry, g_strdup_printf (_("%s fills in only the part before the @ by itself; replace it with the "
                                             "full address."), name));
    }
  g_ptr_array_add (entries, entry);

  switch (self->auth[mc_client_direction (protocol)])
    {
    case MC_CLIENT_AUTH_CHOICE:
      entry = entry_new (self, MC_CLIENT_FIELD_AUTH, protocol);
      entry->value = g_strdup (mc_client_term_text (mc_client_term (self, "option-auth")));
      entry->value_is_quote = term_is_quote (mc_client_term (self, "option-auth"));
      g_ptr_array_add (entries, entry);
      break;
    case MC_CLIENT_AUTH_SWITCH_ON:
    case MC_CLIENT_AUTH_SWITCH_OFF:
      entry = entry_new (self, MC_CLIENT_FIELD_AUTH, protocol);
      entry->value = g_strdup (self->auth[mc_client_direction (protocol)] == MC_CLIENT_AUTH_SWITCH_ON
                               ? C_("switch state", "on")
                               : C_("switch state", "off"));
      g_ptr_array_add (entries, entry);
      break;
    case MC_CLIENT_AUTH_NONE:
      break;
    default:
      g_return_val_if_reached (entries);
    }

  return entries;
}

/* One row as a line of text, e.g. for the report: “Server Name”: mail.example.org */
char *
mc_client_entry_to_string (const McClientEntry *entry)
{
  g_autofree char *label = entry->label_is_quote ? quote (entry->label) : g_strdup (entry->label);
  g_autofree char *value = entry->value_is_quote ? quote (entry->value) : g_strdup (entry->value);

  /* Translators: one row of the settings to enter in the mail program;
   * %1$s is the field, %2$s the value */
  return g_strdup_printf (_("%1$s: %2$s"), label, value);
}

/**
 * mc_client_steps_for_advice:
 * @result: the test the advice belongs to, for the settings it ran with
 *
 * The steps, in @self's words, that carry out @advice's fix; NULL when the
 * advice names no fix. The window, the command line and the report show the
 * same steps under the same advice.
 *
 * Returns: (transfer full) (nullable): NULL-terminated sentences
 */
char **
mc_client_steps_for_advice (const McClient *self,
                            McResult       *result,
                            const McAdvice *advice)
{
  McClientFix fix = {
    .port = advice->fix_port != 0 ? advice->fix_port : result->port,
    .security = advice->fix_security >= 0 ? (McSecurity)advice->fix_security : result->security,
    .host = advice->fix_host != NULL ? advice->fix_host : result->host,
    .user = advice->fix_user != NULL ? advice->fix_user : result->user,
  };

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (result != NULL && advice != NULL, NULL);

  if (advice->fix_host != NULL)
    fix.kind = MC_CLIENT_FIX_HOST;
  else if (advice->fix_user != NULL)
    fix.kind = MC_CLIENT_FIX_USER;
  else if (advice->fix_security >= 0 && fix.security != result->security)
    fix.kind = MC_CLIENT_FIX_SECURITY;
  else if (advice->fix_port != 0)
    fix.kind = MC_CLIENT_FIX_PORT;
  else if (g_strcmp0 (advice->code, "mechanism-not-offered") == 0)
    fix.kind = MC_CLIENT_FIX_AUTH;
  else
    return NULL;

  if (!mc_client_supports_protocol (self, result->protocol))
    return NULL;
  return mc_client_describe_fix (self, result->protocol, &fix);
}
