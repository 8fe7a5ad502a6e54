/* test-clients.c: every fix said in the words of the customer's mail program
 *
 * The whole catalogue renders every fix for every protocol in English and
 * German without a placeholder or an empty label; the classic mistakes read
 * exactly as in tests/data/clients/ for Thunderbird, Outlook and Apple Mail;
 * and the catalogue refuses files that lack a language or a source.
 *
 * German needs the German catalogue that meson built (MC_LOCALEDIR); until it
 * has the mail-program strings the German cases skip, visibly, because the
 * labels follow the sentences' language (po-complete fails then too).
 * MC_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mc-clients.h"
#include "test-util.h"

#define HOST "mail01.netzprisma.de"
#define ADDRESS "anna@mueller-bau.de"

/* German when the built catalogue has the mail-program strings; the test
 * skips otherwise. */
static gboolean
use_german (void)
{
  mc_test_use_language ("de");
  if (g_str_equal (mc_clients_get_language (), "de"))
    return TRUE;
  g_test_skip ("the German catalogue has no mail-program strings yet (see po-complete)");
  mc_test_use_language ("en");
  return FALSE;
}

static gboolean
text_is_clean (const char *text)
{
  return text != NULL && text[0] != '\0' && strpbrk (text, "%{}") == NULL && strstr (text, "@@") == NULL &&
         strstr (text, "(null)") == NULL && strstr (text, "  ") == NULL && g_utf8_validate (text, -1, NULL) &&
         !g_ascii_isspace (text[0]) && !g_ascii_isspace (text[strlen (text) - 1]);
}

static void
assert_sentences (char       **steps,
                  const char  *what)
{
  g_assert_nonnull (steps);
  g_assert_cmpuint (g_strv_length (steps), >, 0);
  for (guint i = 0; steps[i] != NULL; i++)
    {
      if (!text_is_clean (steps[i]))
        g_error ("%s: step %u is not clean: “%s”", what, i, steps[i]);
    }
}

/* Every file in data/clients/ loads; the shipped list matches them. */
static void
test_clients_files_valid (void)
{
  g_autoptr(GHashTable) files = mc_test_read_ini_files ("clients");
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *clients = mc_client_list ();
  GHashTableIter iter;
  const char *name;
  GBytes *contents;

  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, (gpointer *)&name, (gpointer *)&contents))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(McClient) client = mc_client_new_from_data (g_bytes_get_data (contents, NULL),
                                                            g_bytes_get_size (contents), &error);

      if (error != NULL)
        g_error ("%s: %s", name, error->message);
      g_assert_nonnull (client);
      g_assert_false (g_hash_table_contains (ids, mc_client_get_id (client)));
      g_hash_table_add (ids, (gpointer)g_intern_string (mc_client_get_id (client)));
    }

  g_assert_cmpuint (g_hash_table_size (files), >=, 14);
  g_assert_cmpuint (clients->len, ==, g_hash_table_size (files));
  for (guint i = 0; i < clients->len; i++)
    {
      const McClient *client = g_ptr_array_index (clients, i);

      g_assert_true (g_hash_table_contains (ids, mc_client_get_id (client)));
      g_assert_true (mc_client_lookup (mc_client_get_id (client)) == client);
    }
  g_assert_cmpstr (mc_client_get_id (mc_client_get_default ()), ==, "other");
  g_assert_null (mc_client_lookup ("no-such-program"));
}

#define CLIENT_HEAD \
  "[Client]\nId=x\nOrder=1\nSecurity=choice\nOffers=tls;starttls;\nPort=field\nPortFollowsSecurity=no\n" \
  "AuthIncoming=none\nAuthOutgoing=none\nIncomingPath=place;\nOutgoingPath=place;\n"
#define SOURCES "[Sources]\ns=a guide\n"
#define VALID_HEAD CLIENT_HEAD SOURCES
#define TERM(id, en, de) "[" id "]\nen=" en "\nen-source=s\nde=" de "\nde-source=s\n"
#define VALID_TERMS \
  TERM ("name", "X", "X") TERM ("place", "Settings", "Einstellungen") \
  TERM ("security", "Security", "Sicherheit") TERM ("option-tls", "SSL/TLS", "SSL/TLS") \
  TERM ("option-starttls", "STARTTLS", "STARTTLS")

/* A file that lacks a language, a source or a needed label is refused, so a
 * gap can never reach a customer as an empty or English label. */
static void
test_clients_invalid_rejected (void)
{
  static const char *bad[] = {
    /* German text missing */
    VALID_HEAD TERM ("name", "X", "X") TERM ("place", "Settings", "Einstellungen")
    TERM ("option-tls", "SSL/TLS", "SSL/TLS") TERM ("option-starttls", "STARTTLS", "STARTTLS")
    "[security]\nen=Security\nen-source=s\nde-source=s\n",
    /* a source that [Sources] does not have */
    VALID_HEAD TERM ("name", "X", "X") TERM ("place", "Settings", "Einstellungen")
    TERM ("option-tls", "SSL/TLS", "SSL/TLS") TERM ("option-starttls", "STARTTLS", "STARTTLS")
    "[security]\nen=Security\nen-source=s\nde=Sicherheit\nde-source=nowhere\n",
    /* no source at all */
    VALID_HEAD TERM ("name", "X", "X") TERM ("place", "Settings", "Einstellungen")
    TERM ("option-tls", "SSL/TLS", "SSL/TLS") TERM ("option-starttls", "STARTTLS", "STARTTLS")
    "[security]\nen=Security\nen-source=s\nde=Sicherheit\n",
    /* an unknown quality */
    VALID_HEAD TERM ("name", "X", "X") TERM ("place", "Settings", "Einstellungen")
    TERM ("option-tls", "SSL/TLS", "SSL/TLS") TERM ("option-starttls", "STARTTLS", "STARTTLS")
    "[security]\nen=Security\nen-source=s\nde=Sicherheit\nde-source=s\nde-quality=maybe\n",
    /* a placeholder in a label */
    VALID_HEAD VALID_TERMS TERM ("port", "Port %s", "Port"),
    VALID_HEAD VALID_TERMS TERM ("port", "Port", "Port {0}"),
    /* STARTTLS offered but not named */
    VALID_HEAD TERM ("name", "X", "X") TERM ("place", "Settings", "Einstellungen")
    TERM ("security", "Security", "Sicherheit") TERM ("option-tls", "SSL/TLS", "SSL/TLS"),
    /* no security label */
    VALID_HEAD TERM ("name", "X", "X") TERM ("place", "Settings", "Einstellungen")
    TERM ("option-tls", "SSL/TLS", "SSL/TLS") TERM ("option-starttls", "STARTTLS", "STARTTLS"),
    /* a term nothing uses */
    VALID_HEAD VALID_TERMS TERM ("menu", "Menu", "Menü"),
    /* a trap without its option */
    CLIENT_HEAD "Traps=auto-never;\n" SOURCES VALID_TERMS,
    /* a path to a term that does not exist */
    "[Client]\nId=x\nOrder=1\nSecurity=choice\nOffers=tls;starttls;\nPort=field\nPortFollowsSecurity=no\n"
    "AuthIncoming=none\nAuthOutgoing=none\nIncomingPath=nowhere;\nOutgoingPath=place;\n"
    "[Sources]\ns=a guide\n" VALID_TERMS,
    /* an unknown key */
    CLIENT_HEAD "Colour=blue\n" SOURCES VALID_TERMS,
    /* a bad id */
    "[Client]\nId=X Y\n",
    "not a key file",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(McClient) good = mc_client_new_from_data (VALID_HEAD VALID_TERMS, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (good);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(McClient) client = mc_client_new_from_data (bad[i], -1, &bad_error);

      g_test_message ("case %u: %s", i, bad_error ? bad_error->message : "accepted");
      g_assert_null (client);
      g_assert_nonnull (bad_error);
      g_assert_true (bad_error->domain == MC_CLIENT_ERROR || bad_error->domain == G_KEY_FILE_ERROR);
    }
}

static void
check_whole_catalogue (void)
{
  GPtrArray *clients = mc_client_list ();
  const char *users[] = { ADDRESS, NULL };

  for (guint c = 0; c < clients->len; c++)
    {
      const McClient *client = g_ptr_array_index (clients, c);

      g_assert_true (text_is_clean (mc_client_get_name (client)));
      for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
        {
          g_auto(GStrv) place = mc_client_describe_place (client, protocol);

          assert_sentences (place, mc_client_get_id (client));
          for (McClientFixKind kind = 0; kind < MC_CLIENT_N_FIX_KINDS; kind++)
            {
              for (McSecurity security = 0; security <= MC_SECURITY_NONE; security++)
                {
                  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
                    {
                      const guint16 ports[] = { 0, 25 };

                      for (guint p = 0; p < G_N_ELEMENTS (ports); p++)
                        {
                          McClientFix fix = { kind, ports[p], security, HOST, users[u] };
                          g_auto(GStrv) steps = mc_client_describe_fix (client, protocol, &fix);
                          g_autofree char *what = g_strdup_printf ("%s %s fix %u security %u port %u",
                                                                   mc_client_get_id (client),
                                                                   mc_protocol_to_string (protocol),
                                                                   kind, security, ports[p]);

                          assert_sentences (steps, what);
                        }
                    }
                }
            }

          for (McSecurity security = 0; security <= MC_SECURITY_NONE; security++)
            {
              g_autoptr(GPtrArray) entries = mc_client_describe_settings (client, protocol, HOST, 0,
                                                                          security, ADDRESS);

              g_assert_cmpuint (entries->len, >=, mc_client_supports_protocol (client, protocol) ? 3 : 0);
              for (guint i = 0; i < entries->len; i++)
                {
                  McClientEntry *entry = g_ptr_array_index (entries, i);
                  g_autofree char *line = mc_client_entry_to_string (entry);

                  g_assert_true (text_is_clean (entry->label));
                  g_assert_true (text_is_clean (entry->value));
                  g_assert_true (text_is_clean (line));
                  g_assert_true (entry->place == NULL || text_is_clean (entry->place));
                  g_assert_true (entry->note == NULL || text_is_clean (entry->note));
                }
            }
        }
    }
}

/* Every program × fix × mode × protocol gives sentences without a
 * placeholder or an empty label, and a card without empty rows. */
static void
test_clients_every_fix_renders_english (void)
{
  mc_test_use_language ("en");
  g_assert_cmpstr (mc_clients_get_language (), ==, "en");
  check_whole_catalogue ();
}

static void
test_clients_every_fix_renders_german (void)
{
  if (!use_german ())
    return;
  check_whole_catalogue ();
  mc_test_use_language ("en");
}

/* The labels follow the translation the sentences come from. */
static void
test_clients_labels_follow_translation (void)
{
  const McClient *thunderbird = mc_client_lookup ("thunderbird");
  const McClient *other = mc_client_get_default ();

  mc_test_use_language ("en");
  g_assert_cmpstr (mc_client_get_name (other), ==, "Other program");
  g_assert_cmpstr (mc_client_get_name (thunderbird), ==, "Thunderbird");
  if (!use_german ())
    return;
  g_assert_cmpstr (mc_client_get_name (other), ==, "Anderes Mailprogramm");
  mc_test_use_language ("en");
}

/* The classic mistakes ------------------------------------------------------------ */

typedef struct
{
  const char  *id;
  const char  *title;
  McProtocol   protocol;
  McClientFix  fix;
} GoldenCase;

static const GoldenCase golden_cases[] = {
  { "smtp-587-ssl-tls", "SMTP on port 587 with SSL/TLS; fix: STARTTLS",
    MC_PROTOCOL_SMTP, { MC_CLIENT_FIX_SECURITY, 587, MC_SECURITY_STARTTLS, HOST, ADDRESS } },
  { "imap-143-ssl-tls", "IMAP on port 143 with SSL/TLS; fix: port 993 with SSL/TLS, as the provider recommends",
    MC_PROTOCOL_IMAP, { MC_CLIENT_FIX_PORT, 993, MC_SECURITY_TLS, HOST, ADDRESS } },
  { "user-without-domain", "IMAP with the user name \"anna\"; fix: the full address",
    MC_PROTOCOL_IMAP, { MC_CLIENT_FIX_USER, 993, MC_SECURITY_TLS, HOST, ADDRESS } },
};

static void
compare_golden (const char *name,
                const char *rendered)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "clients", name, NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("MC_UPDATE_GOLDEN") != NULL)
    {
      g_assert_true (g_file_set_contents (path, rendered, -1, &error));
      g_test_message ("wrote %s", path);
      return;
    }
  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rendered, ==, expected);
}

static void
check_golden (const char *language)
{
  static const char *programs[] = { "thunderbird", "outlook", "apple-mail" };

  for (guint p = 0; p < G_N_ELEMENTS (programs); p++)
    {
      const McClient *client = mc_client_lookup (programs[p]);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *name = g_strdup_printf ("%s.%s.txt", programs[p], language);

      g_assert_nonnull (client);
      for (guint c = 0; c < G_N_ELEMENTS (golden_cases); c++)
        {
          g_auto(GStrv) steps = mc_client_describe_fix (client, golden_cases[c].protocol, &golden_cases[c].fix);

          g_string_append_printf (text, "%s# %s: %s\n", c > 0 ? "\n" : "", golden_cases[c].id,
                                  golden_cases[c].title);
          for (guint i = 0; steps[i] != NULL; i++)
            g_string_append_printf (text, "%u. %s\n", i + 1, steps[i]);
        }
      compare_golden (name, text->str);
    }
}

/* SMTP 587 with SSL/TLS, IMAP 143 with SSL/TLS and a user name without the
 * domain, in Thunderbird, Outlook and Apple Mail: the exact steps. */
static void
test_clients_golden_english (void)
{
  mc_test_use_language ("en");
  check_golden ("en");
}

static void
test_clients_golden_german (void)
{
  if (!use_german ())
    return;
  check_golden ("de");
  mc_test_use_language ("en");
}

/* "Enter this in Outlook" for IMAP 993 SSL/TLS: every value in Outlook's terms,
 * the typed ones marked for copy buttons. */
static void
test_clients_settings_card_outlook (void)
{
  const McClient *outlook = mc_client_lookup ("outlook");
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(GStrv) place = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *joined = NULL;

  mc_test_use_language ("en");
  place = mc_client_describe_place (outlook, MC_PROTOCOL_IMAP);
  entries = mc_client_describe_settings (outlook, MC_PROTOCOL_IMAP, HOST, 993, MC_SECURITY_TLS, ADDRESS);

  joined = g_strjoinv (" ", place);
  g_string_append_printf (text, "%s\n", joined);
  for (guint i = 0; i < entries->len; i++)
    {
      McClientEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *line = mc_client_entry_to_string (entry);

      g_string_append_printf (text, "%s%s\n", line, entry->typed ? " [copy]" : "");
      if (entry->place != NULL)
        g_string_append_printf (text, "  in: %s\n", entry->place);
      if (entry->note != NULL)
        g_string_append_printf (text, "  note: %s\n", entry->note);
    }
  compare_golden ("outlook.card.en.txt", text->str);

  g_assert_cmpint (((McClientEntry *)g_ptr_array_index (entries, 0))->field, ==, MC_CLIENT_FIELD_SERVER);
  g_assert_cmpstr (((McClientEntry *)g_ptr_array_index (entries, 0))->value, ==, HOST);
  g_assert_cmpstr (((McClientEntry *)g_ptr_array_index (entries, 2))->label, ==,
                   "Use the following type of encrypted connection");
  g_assert_true (((McClientEntry *)g_ptr_array_index (entries, 2))->label_is_quote);
  g_assert_cmpstr (((McClientEntry *)g_ptr_array_index (entries, 2))->value, ==, "SSL/TLS");
  g_assert_false (((McClientEntry *)g_ptr_array_index (entries, 2))->typed);
}

/* The traps, said aloud --------------------------------------------------------------- */

static char *
fix_text (const char        *id,
          McProtocol         protocol,
          const McClientFix *fix)
{
  const McClient *client = mc_client_lookup (id);
  g_auto(GStrv) steps = NULL;

  g_assert_nonnull (client);
  steps = mc_client_describe_fix (client, protocol, fix);
  return g_strjoinv ("\n", steps);
}

/* Where the program moves the port itself, the customer is never told to
 * type one; to leave the one it sets. */
static void
test_clients_port_moving_program_never_types_port (void)
{
  static const char *programs[] = { "thunderbird", "geary", "gnome-online-accounts" };

  mc_test_use_language ("en");
  for (guint p = 0; p < G_N_ELEMENTS (programs); p++)
    {
      for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
        {
          for (McSecurity security = MC_SECURITY_TLS; security <= MC_SECURITY_STARTTLS; security++)
            {
              McClientFix fix = { MC_CLIENT_FIX_SECURITY, 0, security, NULL, NULL };
              g_autofree char *text = NULL;
              g_autofree char *port = g_strdup_printf (" %u ", mc_default_port (protocol, security));

              if (!mc_client_supports_protocol (mc_client_lookup (programs[p]), protocol))
                continue;
              text = fix_text (programs[p], protocol, &fix);
              g_test_message ("%s", text);
              g_assert_null (strstr (text, "Set “Port”"));
              g_assert_null (strstr (text, "must end with"));
              g_assert_nonnull (strstr (text, port));
              g_assert_nonnull (strstr (text, "by itself"));
            }
        }
    }
}

/* One SSL switch: which port makes it STARTTLS and which SSL/TLS. */
static void
test_clients_single_switch_names_ports (void)
{
  static const char *programs[] = { "windows-mail", "apple-mail", "ios-mail" };
  McClientFix fix = { MC_CLIENT_FIX_SECURITY, 587, MC_SECURITY_STARTTLS, HOST, ADDRESS };

  mc_test_use_language ("en");
  for (guint p = 0; p < G_N_ELEMENTS (programs); p++)
    {
      g_autofree char *text = fix_text (programs[p], MC_PROTOCOL_SMTP, &fix);

      g_assert_nonnull (strstr (text, "port 587 means STARTTLS, port 465 SSL/TLS"));
      g_assert_nonnull (strstr (text, "587"));
    }
}

static void
test_clients_traps_said_aloud (void)
{
  McClientFix starttls = { MC_CLIENT_FIX_SECURITY, 587, MC_SECURITY_STARTTLS, HOST, ADDRESS };
  McClientFix tls = { MC_CLIENT_FIX_SECURITY, 993, MC_SECURITY_TLS, HOST, ADDRESS };
  g_autofree char *outlook_2010 = NULL;
  g_autofree char *outlook = NULL;
  g_autofree char *outlook_new = NULL;
  g_autofree char *apple = NULL;
  g_autofree char *gmail = NULL;
  g_autofree char *goa_user = NULL;
  McClientFix user = { MC_CLIENT_FIX_USER, 993, MC_SECURITY_TLS, HOST, ADDRESS };

  mc_test_use_language ("en");
  outlook_2010 = fix_text ("outlook-2010", MC_PROTOCOL_SMTP, &starttls);
  g_assert_nonnull (strstr (outlook_2010, "to “TLS”."));
  g_assert_nonnull (strstr (outlook_2010, "“TLS” means STARTTLS and “SSL” means SSL/TLS"));
  g_assert_nonnull (strstr (outlook_2010, "Do not choose “Auto”"));

  outlook = fix_text ("outlook", MC_PROTOCOL_SMTP, &starttls);
  g_assert_nonnull (strstr (outlook, "Do not choose “Auto”"));

  outlook_new = fix_text ("outlook-new", MC_PROTOCOL_IMAP, &tls);
  g_assert_nonnull (strstr (outlook_new, "remove the account and add it again"));
  g_assert_nonnull (strstr (outlook_new, HOST));
  g_assert_nonnull (strstr (outlook_new, ADDRESS));

  apple = fix_text ("apple-mail", MC_PROTOCOL_IMAP, &tls);
  g_assert_true (g_str_has_prefix (strchr (apple, '\n') + 1, "Turn off “Automatically manage connection settings”"));
  g_assert_nonnull (strstr (apple, "may turn “Automatically manage connection settings” back on"));

  gmail = fix_text ("gmail", MC_PROTOCOL_IMAP, &tls);
  g_assert_nonnull (strstr (gmail, "Do not choose “SSL/TLS (Accept all certificates)”"));

  goa_user = fix_text ("gnome-online-accounts", MC_PROTOCOL_IMAP, &user);
  g_assert_nonnull (strstr (goa_user, "only the part before the @"));
}

/* Descriptions are never set in quotation marks; exact labels always are. */
static void
test_clients_descriptions_not_quoted (void)
{
  McClientFix fix = { MC_CLIENT_FIX_PORT, 993, MC_SECURITY_TLS, HOST, ADDRESS };
  g_autofree char *text = NULL;

  mc_test_use_language ("en");
  text = fix_text ("outlook", MC_PROTOCOL_IMAP, &fix);
  /* "Incoming server (IMAP)" is inferred: a description */
  g_assert_nonnull (strstr (text, "Set Incoming server (IMAP) to 993."));
  g_assert_nonnull (strstr (text, "“More Settings…”"));
  g_assert_nonnull (strstr (text, "→ your account →"));
}

int
main (int   argc,
      char *argv[])
{
  mc_test_init_with_catalogue (&argc, &argv);

  g_test_add_func ("/mailcheck/clients/files-valid", test_clients_files_valid);
  g_test_add_func ("/mailcheck/clients/invalid-rejected", test_clients_invalid_rejected);
  g_test_add_func ("/mailcheck/clients/every-fix-renders/english", test_clients_every_fix_renders_english);
  g_test_add_func ("/mailcheck/clients/every-fix-renders/german", test_clients_every_fix_renders_german);
  g_test_add_func ("/mailcheck/clients/labels-follow-translation", test_clients_labels_follow_translation);
  g_test_add_func ("/mailcheck/clients/golden/english", test_clients_golden_english);
  g_test_add_func ("/mailcheck/clients/golden/german", test_clients_golden_german);
  g_test_add_func ("/mailcheck/clients/settings-card/outlook-imap-993", test_clients_settings_card_outlook);
  g_test_add_func ("/mailcheck/clients/port-moving-program/never-types-port",
                   test_clients_port_moving_program_never_types_port);
  g_test_add_func ("/mailcheck/clients/single-switch/names-ports", test_clients_single_switch_names_ports);
  g_test_add_func ("/mailcheck/clients/traps-said-aloud", test_clients_traps_said_aloud);
  g_test_add_func ("/mailcheck/clients/descriptions-not-quoted", test_clients_descriptions_not_quoted);

  return g_test_run ();
}
