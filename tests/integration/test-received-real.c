/* test-received-real.c
 *
 * The delivery path parser (issue 15, "How it is checked") against the Received lines real
 * servers write. One message goes to the submission port of tests/servers/mailservers.sh
 * with STARTTLS and a login, one to its port 25 role without TLS; Postfix hands both to
 * Dovecot over LMTP, and the header read back from the maildir is judged twice: by
 * mc_received_parse_for_provider() in this process and by the built program's
 * --received FILE, in JSON and as text.
 *
 * The harness's delivering listeners and Dovecot's LMTP write the names of the provider
 * profile's own servers (MailHosts=), because the command line judges a header against that
 * built-in profile only. What the verdicts must say is taken from the servers, not from the
 * parser: the TLS version and cipher from Postfix's "(using …)" comment and from the
 * connection this test negotiated, the client address from its own socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-received-real"

#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cli-run.h"
#include "mc-provider.h"
#include "mc-received.h"
#include "real-servers.h"

/* Bounds for one SMTP reply and for delivery into the maildir after Postfix's 250 (a run
 * of the command-line program has cli-run.c's). */
#define SMTP_TIMEOUT_SECONDS     10
#define DELIVERY_TIMEOUT_SECONDS 20
#define MAX_REPLY_BYTES          (64 * 1024)

/* What this client greets with, and the foreign sender of the inbound message. */
#define CLIENT_NAME      "client.example.test"
#define FOREIGN_SENDER   "sender@sender.example"

typedef struct
{
  const char *name;        /* in the Message-ID, the recipient and the log */
  const char *port_key;
  gboolean    starttls;    /* STARTTLS and a login; otherwise plain, without a login */
  const char *host_key;    /* the name Postfix writes on this listener */
  const char *with;        /* the protocol token Postfix must write */
} Route;

static const Route submission = {
  "submission", "MC_SMTP_DELIVERY_STARTTLS_PORT", TRUE, "MC_CUSTOMER_MAIL_HOST", "ESMTPSA",
};
static const Route inbound = {
  "inbound", "MC_SMTP_DELIVERY_PORT", FALSE, "MC_INBOUND_MAIL_HOST", "ESMTP",
};

/* One run's token: the Message-ID finds the message in the shared maildir, the recipient
 * is one nothing else in the header names. */
static char *run_token;

/* ------------------------------------------------------------------------------------------ */
/* SMTP with GIO */

typedef struct
{
  GSocketConnection *connection;
  GIOStream         *stream;         /* the connection, or the TLS connection over it */
  GDataInputStream  *in;
  GString           *transcript;     /* the login line left out */
  char              *local_address;  /* the address Postfix sees the client on */
  char              *tls_version;    /* what GIO negotiated, in the app's words; NULL: none */
} Smtp;

static void
smtp_free (Smtp *smtp)
{
  g_clear_object (&smtp->in);
  g_clear_object (&smtp->stream);
  g_clear_object (&smtp->connection);
  if (smtp->transcript != NULL)
    g_string_free (smtp->transcript, TRUE);
  g_free (smtp->local_address);
  g_free (smtp->tls_version);
  g_free (smtp);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Smtp, smtp_free)

/* The transcript only ever holds what the login line is not: it is checked anyway, since a
 * password in the test log would be the one leak this test could cause itself. */
static void
smtp_fail (Smtp       *smtp,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3) G_GNUC_NORETURN;

static void
smtp_fail (Smtp       *smtp,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  real_servers_assert_no_secret ("the SMTP transcript", smtp->transcript->str,
                                 real_servers_value ("MC_PASSWORD"));
  g_test_message ("SMTP transcript:\n%s", smtp->transcript->str);
  g_error ("%s", message);
}

static void
smtp_set_stream (Smtp      *smtp,
                 GIOStream *stream)
{
  g_clear_object (&smtp->in);
  g_set_object (&smtp->stream, stream);
  smtp->in = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  /* The socket outlives the reader of its plain part: STARTTLS takes it over. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (smtp->in), FALSE);
  g_data_input_stream_set_newline_type (smtp->in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
}

/* Reads one reply, all its lines; returns its code. */
static guint
smtp_read_reply (Smtp *smtp)
{
  gsize total = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = NULL;
      gsize length = 0;

      line = g_data_input_stream_read_line_utf8 (smtp->in, &length, NULL, &error);
      if (line == NULL)
        smtp_fail (smtp, "No SMTP reply: %s", error ? error->message : "the server closed the connection");
      g_string_append_printf (smtp->transcript, "S: %s\n", line);

      total += length;
      if (length < 3 || !g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) ||
          !g_ascii_isdigit (line[2]) || (length > 3 && line[3] != ' ' && line[3] != '-'))
        smtp_fail (smtp, "Not an SMTP reply line: %s", line);
      if (total > MAX_REPLY_BYTES)
        smtp_fail (smtp, "SMTP reply longer than %d bytes", MAX_REPLY_BYTES);
      if (length == 3 || line[3] == ' ')
        return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    }
}

static void
smtp_expect (Smtp  *smtp,
             guint  expected)
{
  guint code = smtp_read_reply (smtp);

  if (code != expected)
    smtp_fail (smtp, "Expected SMTP reply %u, got %u", expected, code);
}

/* Sends @line; @shown is what the transcript says instead (for the login), or NULL. */
static void
smtp_send (Smtp       *smtp,
           const char *line,
           const char *shown)
{
  g_autofree char *wire = g_strconcat (line, "\r\n", NULL);
  g_autoptr(GError) error = NULL;

  g_string_append_printf (smtp->transcript, "C: %s\n", shown != NULL ? shown : line);
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (smtp->stream), wire,
                                  strlen (wire), NULL, NULL, &error))
    smtp_fail (smtp, "Could not send to the server: %s", error->message);
}

static void
smtp_command (Smtp       *smtp,
              const char *line,
              guint       expected)
{
  smtp_send (smtp, line, NULL);
  smtp_expect (smtp, expected);
}

static const char *
protocol_version_words (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
      return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
      return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
      return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
      return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_SSL_3_0:
      return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0:
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2:
    default:
      return "unknown";
    }
}

/* STARTTLS as a mail program does it, checking the certificate against the harness's CA
 * and the address it connected to. */
static void
smtp_starttls (Smtp        *smtp,
               const char  *host,
               guint16      port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GSocketConnectable) identity = g_network_address_new (host, port);
  g_autoptr(GIOStream) tls = NULL;

  smtp_command (smtp, "STARTTLS", 220);
  /* Anything the server sent after its 220 would have come in unencrypted. */
  if (g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (smtp->in)) != 0)
    smtp_fail (smtp, "The server sent more after its STARTTLS reply");

  database = g_tls_file_database_new (real_servers_value ("MC_CA_FILE"), &error);
  if (database == NULL)
    smtp_fail (smtp, "Could not read the test CA: %s", error->message);
  tls = g_tls_client_connection_new (G_IO_STREAM (smtp->connection), identity, &error);
  if (tls == NULL)
    smtp_fail (smtp, "No TLS connection: %s", error->message);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error))
    smtp_fail (smtp, "TLS handshake failed: %s", error->message);

  smtp->tls_version = g_strdup (protocol_version_words (
    g_tls_connection_get_protocol_version (G_TLS_CONNECTION (tls))));
  g_string_append_printf (smtp->transcript, "(TLS handshake: %s)\n", smtp->tls_version);
  smtp_set_stream (smtp, tls);
}

/* AUTH PLAIN, never written to the transcript. */
static void
smtp_login (Smtp *smtp)
{
  const char *user = real_servers_value ("MC_USER");
  const char *password = real_servers_value ("MC_PASSWORD");
  g_autoptr(GByteArray) plain = g_byte_array_new ();
  g_autofree char *encoded = NULL;
  g_autofree char *line = NULL;
  const guint8 nul = 0;

  g_byte_array_append (plain, &nul, 1);
  g_byte_array_append (plain, (const guint8 *)user, strlen (user));
  g_byte_array_append (plain, &nul, 1);
  g_byte_array_append (plain, (const guint8 *)password, strlen (password));
  encoded = g_base64_encode (plain->data, plain->len);
  line = g_strconcat ("AUTH PLAIN ", encoded, NULL);

  smtp_send (smtp, line, "AUTH PLAIN (not logged)");
  smtp_expect (smtp, 235);
}

/* Sends one message over @route to @recipient; returns the session, with the client's
 * address and negotiated TLS version, once Postfix has queued the message. */
static Smtp *
send_message (const Route *route,
              const char  *recipient,
              const char  *message_id)
{
  g_autoptr(Smtp) smtp = g_new0 (Smtp, 1);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) address = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *message = NULL;
  const char *host = real_servers_value ("MC_HOST");
  guint16 port = real_servers_port (route->port_key);
  const char *sender = route->starttls ? real_servers_value ("MC_USER") : FOREIGN_SENDER;

  smtp->transcript = g_string_new (NULL);
  g_socket_client_set_timeout (client, SMTP_TIMEOUT_SECONDS);
  address = g_network_address_new (host, port);
  smtp->connection = g_socket_client_connect (client, address, NULL, &error);
  if (smtp->connection == NULL)
    smtp_fail (smtp, "Could not connect to %s:%u: %s", host, port, error->message);
  local = g_socket_connection_get_local_address (smtp->connection, &error);
  if (local == NULL)
    smtp_fail (smtp, "No local address: %s", error->message);
  smtp->local_address = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
  smtp_set_stream (smtp, G_IO_STREAM (smtp->connection));

  smtp_expect (smtp, 220);
  smtp_command (smtp, "EHLO " CLIENT_NAME, 250);
  if (route->starttls)
    {
      smtp_starttls (smtp, host, port);
      smtp_command (smtp, "EHLO " CLIENT_NAME, 250);
      smtp_login (smtp);
    }

  line = g_strdup_printf ("MAIL FROM:<%s>", sender);
  smtp_command (smtp, line, 250);
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("RCPT TO:<%s>", recipient);
  smtp_command (smtp, line, 250);
  smtp_command (smtp, "DATA", 354);

  /* The recipient only in the envelope: in the header it is then only where the servers
   * put it (Received "for", Delivered-To), which is what must not reach the output. No
   * line starts with a dot, so none needs doubling. */
  message = g_strdup_printf ("From: <%s>\r\n"
                             "To: undisclosed-recipients:;\r\n"
                             "Subject: Delivery path test (%s)\r\n"
                             "Message-ID: <%s>\r\n"
                             "MIME-Version: 1.0\r\n"
                             "Content-Type: text/plain; charset=us-ascii\r\n"
                             "\r\n"
                             "Sent by tests/integration/test-received-real.c.\r\n"
                             ".",
                             sender, route->name, message_id);
  smtp_send (smtp, message, "(message)\nC: .");
  smtp_expect (smtp, 250);
  smtp_command (smtp, "QUIT", 221);

  real_servers_assert_no_secret ("the SMTP transcript", smtp->transcript->str,
                                 real_servers_value ("MC_PASSWORD"));
  g_test_message ("SMTP transcript (%s, port %u, from %s):\n%s", route->name, port,
                  smtp->local_address, smtp->transcript->str);
  return g_steal_pointer (&smtp);
}

/* ------------------------------------------------------------------------------------------ */
/* The delivered message */

static char *
find_in_maildir (const char *message_id)
{
  const char *maildir = real_servers_value ("MC_MAILDIR");
  g_autofree char *needle = g_strdup_printf ("\nMessage-ID: <%s>\n", message_id);
  const char *folders[] = { "new", "cur" };

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *folder = g_build_filename (maildir, folders[i], NULL);
      g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
      const char *name;

      /* Dovecot makes the maildir with the first delivery. */
      if (dir == NULL)
        continue;
      /* Dovecot writes into tmp/ and renames: a file here is complete. */
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (folder, name, NULL);
          g_autofree char *contents = NULL;

          if (name[0] != '.' && g_file_get_contents (path, &contents, NULL, NULL) &&
              strstr (contents, needle) != NULL)
            return g_steal_pointer (&path);
        }
    }
  return NULL;
}

/* Polls the maildir until the message is there; on time-out shows what the servers logged. */
static char *
wait_for_delivery (const char *message_id,
                   goffset     postfix_offset,
                   goffset     dovecot_offset)
{
  gint64 deadline = g_get_monotonic_time () + DELIVERY_TIMEOUT_SECONDS * G_USEC_PER_SEC;
  g_autofree char *postfix_log = NULL;
  g_autofree char *dovecot_log = NULL;

  do
    {
      char *path = find_in_maildir (message_id);

      if (path != NULL)
        return path;
      g_usleep (100 * 1000);
    }
  while (g_get_monotonic_time () < deadline);

  postfix_log = real_servers_log_since ("MC_POSTFIX_LOG", postfix_offset);
  dovecot_log = real_servers_log_since ("MC_DOVECOT_LOG", dovecot_offset);
  g_test_message ("Postfix:\n%s\nDovecot:\n%s", postfix_log, dovecot_log);
  g_error ("<%s> was not delivered into %s within %d s", message_id,
           real_servers_value ("MC_MAILDIR"), DELIVERY_TIMEOUT_SECONDS);
}

/* The header block, up to the first empty line (Dovecot stores LF line ends). */
static char *
header_block (const char *message)
{
  const char *end = strstr (message, "\n\n");
  const char *crlf_end = strstr (message, "\r\n\r\n");

  if (crlf_end != NULL && (end == NULL || crlf_end < end))
    end = crlf_end;
  return end != NULL ? g_strndup (message, end - message + 1) : g_strdup (message);
}

/* What Postfix wrote into its Received line ("(using TLSv1.3 with cipher
 * TLS_AES_256_GCM_SHA384 (256/256 bits)"), read here independently of the parser:
 * the version in the app's words, the cipher as written. FALSE: no TLS recorded. */
static gboolean
recorded_tls (const char  *header,
              char       **version,
              char       **cipher)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *written = NULL;

  regex = g_regex_new ("\\(using (TLSv1(?:\\.[0-3])?|SSLv3) with cipher ([A-Za-z0-9_-]+)",
                       G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, NULL);
  g_assert_nonnull (regex);
  if (!g_regex_match (regex, header, G_REGEX_MATCH_DEFAULT, &match))
    return FALSE;

  written = g_match_info_fetch (match, 1);
  if (g_str_equal (written, "SSLv3"))
    *version = g_strdup ("SSL 3.0");
  else if (g_str_equal (written, "TLSv1"))
    *version = g_strdup ("TLS 1.0");
  else
    *version = g_strdup_printf ("TLS 1.%c", written[strlen ("TLSv1.")]);
  *cipher = g_match_info_fetch (match, 2);

  /* One Received line with TLS facts: Dovecot's LMTP line has none. */
  g_assert_false (g_match_info_next (match, NULL));
  return TRUE;
}

typedef struct
{
  const Route *route;
  char        *recipient;
  char        *path;              /* the delivered message in the maildir */
  char        *contents;
  gsize        length;
  char        *header;
  char        *client_address;
  char        *client_tls;        /* what this test negotiated; NULL: no TLS */
  char        *recorded_version;  /* what Postfix wrote; NULL: no TLS recorded */
  char        *recorded_cipher;
} Delivery;

static void
delivery_free (Delivery *delivery)
{
  g_free (delivery->recipient);
  g_free (delivery->path);
  g_free (delivery->contents);
  g_free (delivery->header);
  g_free (delivery->client_address);
  g_free (delivery->client_tls);
  g_free (delivery->recorded_version);
  g_free (delivery->recorded_cipher);
  g_free (delivery);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Delivery, delivery_free)

/* Sends over @route, waits for Dovecot to store the message, and reads it back. */
static Delivery *
deliver (const Route *route)
{
  g_autoptr(Delivery) delivery = g_new0 (Delivery, 1);
  g_autoptr(Smtp) smtp = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) user = g_strsplit (real_servers_value ("MC_USER"), "@", 2);
  g_autofree char *message_id = NULL;
  goffset postfix_offset = real_servers_log_size ("MC_POSTFIX_LOG");
  goffset dovecot_offset = real_servers_log_size ("MC_DOVECOT_LOG");

  g_assert_nonnull (user[1]);
  delivery->route = route;
  /* Dovecot strips the "+…" detail (recipient_delimiter) and stores it for alice. */
  delivery->recipient = g_strdup_printf ("%s+rcpt-%s-%s@%s", user[0], route->name, run_token,
                                         user[1]);
  message_id = g_strdup_printf ("received-%s-%s@" CLIENT_NAME, route->name, run_token);

  smtp = send_message (route, delivery->recipient, message_id);
  delivery->client_address = g_strdup (smtp->local_address);
  delivery->client_tls = g_strdup (smtp->tls_version);

  delivery->path = wait_for_delivery (message_id, postfix_offset, dovecot_offset);
  if (!g_file_get_contents (delivery->path, &delivery->contents, &delivery->length, &error))
    g_error ("Could not read %s: %s", delivery->path, error->message);
  delivery->header = header_block (delivery->contents);
  g_test_message ("Delivered as %s, header:\n%s", delivery->path, delivery->header);

  recorded_tls (delivery->header, &delivery->recorded_version, &delivery->recorded_cipher);
  return g_steal_pointer (&delivery);
}

/* ------------------------------------------------------------------------------------------ */
/* What the header must say, and what the parser must make of it */

/* The header itself, before any parser: what each server recorded. */
static void
check_header (const Delivery *delivery)
{
  g_autofree char *for_clause = g_strdup_printf ("for <%s>", delivery->recipient);

  /* Without a recipient in the input, "never in the output" would prove nothing. */
  g_assert_nonnull (strstr (delivery->header, for_clause));
  g_assert_cmpuint (real_servers_count (delivery->header, "\nReceived: "), ==, 2);

  if (delivery->route->starttls)
    {
      g_assert_nonnull (delivery->client_tls);
      g_assert_nonnull (delivery->recorded_version);
      g_assert_nonnull (delivery->recorded_cipher);
      /* Postfix recorded the version this connection really had. */
      g_assert_cmpstr (delivery->recorded_version, ==, delivery->client_tls);
    }
  else
    {
      g_assert_null (delivery->client_tls);
      g_assert_null (delivery->recorded_version);
      g_assert_null (strstr (delivery->header, "(using "));
    }
}

/* In-process, against the built-in profile the command line uses too. */
static void
check_report (const Delivery   *delivery,
              McReceivedReport *report)
{
  const Route *route = delivery->route;
  const char *customer_host = real_servers_value ("MC_CUSTOMER_MAIL_HOST");
  const McReceivedHop *smtp_hop;
  const McReceivedHop *lmtp_hop;

  g_assert_cmpuint (mc_received_report_get_n_hops (report), ==, 2);
  g_assert_cmpuint (mc_received_report_get_n_omitted (report), ==, 0);
  g_assert_false (mc_received_report_get_truncated (report));

  /* Oldest first: Postfix's hop from this client. */
  smtp_hop = mc_received_report_get_hop (report, 0);
  g_assert_cmpstr (mc_received_hop_get_from (smtp_hop), ==, CLIENT_NAME);
  g_assert_cmpstr (mc_received_hop_get_from_address (smtp_hop), ==, delivery->client_address);
  g_assert_cmpstr (mc_received_hop_get_by (smtp_hop), ==, real_servers_value (route->host_key));
  g_assert_cmpstr (mc_received_hop_get_with (smtp_hop), ==, route->with);
  g_assert_nonnull (strstr (mc_received_hop_get_for (smtp_hop), delivery->recipient));
  g_assert_true (mc_received_hop_get_trusted (smtp_hop));
  if (route->starttls)
    {
      g_assert_cmpstr (mc_received_verdict_to_string (mc_received_hop_get_verdict (smtp_hop)), ==,
                       "encrypted");
      g_assert_cmpstr (mc_received_hop_get_tls_version (smtp_hop), ==, delivery->recorded_version);
      g_assert_cmpstr (mc_received_hop_get_tls_cipher (smtp_hop), ==, delivery->recorded_cipher);
    }
  else
    {
      g_assert_cmpstr (mc_received_verdict_to_string (mc_received_hop_get_verdict (smtp_hop)), ==,
                       "not-encrypted");
      g_assert_null (mc_received_hop_get_tls_version (smtp_hop));
      g_assert_null (mc_received_hop_get_tls_cipher (smtp_hop));
    }

  /* Then Dovecot's, taking the message from Postfix over LMTP into the mailbox. */
  lmtp_hop = mc_received_report_get_hop (report, 1);
  g_assert_cmpstr (mc_received_hop_get_by (lmtp_hop), ==, customer_host);
  g_assert_cmpstr (mc_received_hop_get_with (lmtp_hop), ==, "LMTP");
  g_assert_nonnull (strstr (mc_received_hop_get_for (lmtp_hop), delivery->recipient));
  g_assert_cmpstr (mc_received_verdict_to_string (mc_received_hop_get_verdict (lmtp_hop)), ==,
                   "internal");
  g_assert_true (mc_received_hop_get_trusted (lmtp_hop));
}

/* The same header with no provider trusted: no line is the provider's, and a plain token
 * alone no longer means "not encrypted" (docs/cli.md). So the verdicts above rest on the
 * names the harness gives its servers, not on something else in the header. */
static void
check_report_without_provider (const Delivery   *delivery,
                               McReceivedReport *report)
{
  const McReceivedHop *smtp_hop;

  g_assert_cmpuint (mc_received_report_get_n_hops (report), ==, 2);
  smtp_hop = mc_received_report_get_hop (report, 0);
  g_assert_false (mc_received_hop_get_trusted (smtp_hop));
  g_assert_false (mc_received_hop_get_trusted (mc_received_report_get_hop (report, 1)));
  g_assert_cmpstr (mc_received_verdict_to_string (mc_received_hop_get_verdict (smtp_hop)), ==,
                   delivery->route->starttls ? "encrypted" : "unknown");
}

static JsonObject *
json_hop (CliRun *run,
          guint   index)
{
  JsonArray *hops = report_array (run->root, "hops");

  if (hops == NULL || index >= json_array_get_length (hops))
    return NULL;
  return json_array_get_object_element (hops, index);
}

/* A member that is there and null: the JSON has every member on every hop. */
static gboolean
json_member_is_null (JsonObject *object,
                     const char *name)
{
  return object != NULL && json_object_has_member (object, name) &&
         JSON_NODE_HOLDS_NULL (json_object_get_member (object, name));
}

static gboolean
json_trusted (JsonObject *hop)
{
  JsonNode *node = hop != NULL ? json_object_get_member (hop, "trusted") : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* The built program on the maildir file, as a support script would run it. */
static CliRun *
run_received (const Delivery *delivery,
              gboolean        json)
{
  const char *args[] = { "--received", delivery->path, "--format", json ? "json" : "text", NULL };

  /* cli-run.c searches what it printed for the password, as for every run. */
  return cli_run_args (args, json);
}

/* The recipient never leaves the program, in whole or as its local part. */
static gboolean
names_recipient (CliRun         *run,
                 const Delivery *delivery)
{
  g_autofree char *local_part = g_strndup (delivery->recipient,
                                           strchr (delivery->recipient, '@') - delivery->recipient);

  return strstr (run->out, local_part) != NULL || strstr (run->err, local_part) != NULL ||
         strstr (run->out, "for <") != NULL;
}

static void
check_cli_json (const Delivery   *delivery,
                McReceivedReport *report)
{
  g_autoptr(CliRun) run = run_received (delivery, TRUE);
  const Route *route = delivery->route;
  JsonArray *hops = report_array (run->root, "hops");
  JsonObject *smtp_hop = json_hop (run, 0);
  JsonObject *lmtp_hop = json_hop (run, 1);

  g_test_message ("%s -> exit %d, %" G_GINT64_FORMAT " ms", run->command, run->status,
                  run->elapsed_ms);
  assert_run (run, run->status == 0);
  assert_run (run, !names_recipient (run, delivery));
  assert_run (run, hops != NULL && json_array_get_length (hops) == 2);
  assert_run (run, report_int (run->root, "hops_omitted") == 0);

  assert_run (run, g_strcmp0 (report_string (smtp_hop, "from"), CLIENT_NAME) == 0);
  assert_run (run, g_strcmp0 (report_string (smtp_hop, "from_address"), delivery->client_address) == 0);
  assert_run (run, g_strcmp0 (report_string (smtp_hop, "by"), real_servers_value (route->host_key)) == 0);
  assert_run (run, g_strcmp0 (report_string (smtp_hop, "with"), route->with) == 0);
  assert_run (run, json_trusted (smtp_hop));
  if (route->starttls)
    {
      assert_run (run, g_strcmp0 (report_string (smtp_hop, "verdict"), "encrypted") == 0);
      assert_run (run, g_strcmp0 (report_string (smtp_hop, "tls_version"), delivery->recorded_version) == 0);
      assert_run (run, g_strcmp0 (report_string (smtp_hop, "tls_cipher"), delivery->recorded_cipher) == 0);
    }
  else
    {
      assert_run (run, g_strcmp0 (report_string (smtp_hop, "verdict"), "not-encrypted") == 0);
      assert_run (run, json_member_is_null (smtp_hop, "tls_version"));
      assert_run (run, json_member_is_null (smtp_hop, "tls_cipher"));
    }

  assert_run (run, g_strcmp0 (report_string (lmtp_hop, "by"),
                              real_servers_value ("MC_CUSTOMER_MAIL_HOST")) == 0);
  assert_run (run, g_strcmp0 (report_string (lmtp_hop, "with"), "LMTP") == 0);
  assert_run (run, g_strcmp0 (report_string (lmtp_hop, "verdict"), "internal") == 0);
  assert_run (run, json_trusted (lmtp_hop));

  /* One parser: the program says what the engine said in this process. */
  for (guint i = 0; i < 2; i++)
    {
      const McReceivedHop *hop = mc_received_report_get_hop (report, i);
      JsonObject *object = json_hop (run, i);

      assert_run (run, g_strcmp0 (report_string (object, "verdict"),
                                  mc_received_verdict_to_string (mc_received_hop_get_verdict (hop))) == 0);
      assert_run (run, g_strcmp0 (report_string (object, "id"), mc_received_hop_get_id (hop)) == 0);
    }
  assert_run (run, g_strcmp0 (report_string (run->root, "summary"),
                              mc_received_report_get_summary (report)) == 0);
}

static void
check_cli_text (const Delivery *delivery)
{
  g_autoptr(CliRun) run = run_received (delivery, FALSE);

  g_test_message ("%s -> exit %d", run->command, run->status);
  assert_run (run, run->status == 0);
  assert_run (run, !names_recipient (run, delivery));
  assert_run (run, strstr (run->out, real_servers_value (delivery->route->host_key)) != NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Tests */

static gboolean
delivery_ready (void)
{
  const char *unavailable;

  if (!real_servers_ready ())
    return FALSE;
  unavailable = real_servers_value ("MC_DELIVERY_UNAVAILABLE");
  if (unavailable[0] == '\0')
    return TRUE;
  if (real_servers_in_ci ())
    g_test_fail_printf ("CI=true, but the harness cannot deliver into Dovecot: %s", unavailable);
  else
    g_test_skip_printf ("The harness cannot deliver into Dovecot: %s", unavailable);
  return FALSE;
}

static void
test_delivery_path (gconstpointer data)
{
  const Route *route = data;
  g_autoptr(Delivery) delivery = NULL;
  g_autoptr(McReceivedReport) report = NULL;
  g_autoptr(McReceivedReport) untrusting = NULL;
  g_autoptr(GError) error = NULL;

  if (!delivery_ready ())
    return;

  delivery = deliver (route);
  check_header (delivery);

  report = mc_received_parse_for_provider (mc_provider_get_default (), delivery->contents,
                                           delivery->length, &error);
  g_assert_no_error (error);
  check_report (delivery, report);

  untrusting = mc_received_parse_for_provider (NULL, delivery->contents, delivery->length, &error);
  g_assert_no_error (error);
  check_report_without_provider (delivery, untrusting);

  check_cli_json (delivery, report);
  check_cli_text (delivery);
}

int
main (int    argc,
      char **argv)
{
  int status;

  real_servers_test_init (&argc, &argv);

  run_token = g_strdup_printf ("%08x", g_random_int ());

  g_test_add_data_func ("/mailcheck/real/received/submission-starttls-login", &submission,
                        test_delivery_path);
  g_test_add_data_func ("/mailcheck/real/received/inbound-port-25-plain", &inbound,
                        test_delivery_path);

  status = real_servers_run_tests (NULL);

  g_free (run_token);
  return status;
}
