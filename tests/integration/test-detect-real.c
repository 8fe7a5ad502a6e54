/* test-detect-real.c
 *
 * --detect against real Dovecot and Postfix on the standard mail ports of further
 * loopback addresses (tests/servers/mailservers.sh with MC_STANDARD_PORTS_HOST and
 * MC_STANDARD_PORTS_GAPS). A gap address serves six of the seven ports; the test puts a
 * black hole on the seventh: a listener whose full accept queue makes the kernel drop
 * SYNs (a filtered port), or one that completes the handshake and never speaks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-real-servers"

#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cli-run.h"
#include "real-servers.h"

#define STANDARD_PORTS_HOST "127.0.0.4"
#define GAPS                "127.0.0.5:465 127.0.0.6:587"

#define DETECT_TIMEOUT_SECONDS 5
/* What one black-holed port may add to a detect (the probes run in parallel, so
 * a port that never answers costs about one timeout). */
#define BLACK_HOLE_SLACK_MS 3000

static const struct
{
  const char *protocol;
  guint16     port;
  const char *security;
} standard_combinations[] = {
  { "pop3", 995, "tls" },
  { "pop3", 110, "starttls" },
  { "imap", 993, "tls" },
  { "imap", 143, "starttls" },
  { "smtp", 465, "tls" },
  { "smtp", 587, "starttls" },
  { "smtp", 25, "starttls" },
};

/* ------------------------------------------------------------------------------------------ */
/* Reading the detect report */

static JsonObject *
find_result (CliRun     *run,
             const char *protocol,
             guint16     port)
{
  JsonArray *results = report_array (run->root, "results");

  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);

      if (g_strcmp0 (report_string (result, "protocol"), protocol) == 0 &&
          report_int (result, "port") == port)
        return result;
    }
  return NULL;
}

static guint
count_results (CliRun *run)
{
  JsonArray *results = report_array (run->root, "results");

  return results != NULL ? json_array_get_length (results) : 0;
}

static gboolean
recommended_null (CliRun     *run,
                  const char *protocol)
{
  JsonObject *recommended = report_object (run->root, "recommended");

  return recommended != NULL && json_object_has_member (recommended, protocol) &&
         JSON_NODE_HOLDS_NULL (json_object_get_member (recommended, protocol));
}

static gboolean
recommends (CliRun     *run,
            const char *protocol,
            guint16     port,
            const char *security)
{
  JsonObject *best = report_object (report_object (run->root, "recommended"), protocol);

  return best != NULL && report_int (best, "port") == port &&
         g_strcmp0 (report_string (best, "security"), security) == 0;
}

static const char *
result_status (CliRun     *run,
               const char *protocol,
               guint16     port)
{
  return report_string (find_result (run, protocol, port), "status");
}

static void
log_results (CliRun *run)
{
  JsonArray *results = report_array (run->root, "results");

  g_test_message ("%s -> exit %d after %" G_GINT64_FORMAT " ms", run->command, run->status,
                  run->elapsed_ms);
  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      JsonArray *advice = report_array (result, "advice");
      g_autoptr(GString) codes = g_string_new (NULL);

      for (guint j = 0; advice != NULL && j < json_array_get_length (advice); j++)
        g_string_append_printf (codes, " %s",
                                report_string (json_array_get_object_element (advice, j), "code"));
      g_test_message ("  %s %" G_GINT64_FORMAT " %s: %s, %" G_GINT64_FORMAT " ms, advice:%s",
                      report_string (result, "protocol"), report_int (result, "port"),
                      report_string (result, "security"), report_string (result, "status"),
                      report_int (result, "ms"), codes->str);
    }
}

/* Whether @text has @port as a number of its own (not part of 31143). */
static gboolean
names_port (const char *text,
            guint16     port)
{
  g_autofree char *number = g_strdup_printf ("%u", port);

  for (const char *p = text ? strstr (text, number) : NULL; p != NULL; p = strstr (p + 1, number))
    {
      gboolean starts = p == text || !g_ascii_isdigit (p[-1]);
      gboolean ends = !g_ascii_isdigit (p[strlen (number)]);

      if (starts && ends)
        return TRUE;
    }
  return FALSE;
}

/* The address of MC_STANDARD_PORTS_GAPS whose port @port is left free for us. */
static const char *
gap_address (guint16 port)
{
  static char address[64];
  g_auto(GStrv) entries = g_strsplit (real_servers_value ("MC_STANDARD_PORTS_GAPS"), " ", -1);

  for (guint i = 0; entries[i] != NULL; i++)
    {
      const char *colon = strrchr (entries[i], ':');

      if (colon != NULL && g_ascii_strtoull (colon + 1, NULL, 10) == port)
        {
          g_strlcpy (address, entries[i], MIN (sizeof address, (gsize)(colon - entries[i]) + 1));
          return address;
        }
    }
  g_error ("The harness left no gap for port %u (MC_STANDARD_PORTS_GAPS=%s)", port,
           real_servers_value ("MC_STANDARD_PORTS_GAPS"));
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Black holes */

typedef struct
{
  GSocket *listener;
  GSocket *filler;
} BlackHole;

static void
black_hole_close (BlackHole *hole)
{
  if (hole->filler != NULL)
    g_socket_close (hole->filler, NULL);
  if (hole->listener != NULL)
    g_socket_close (hole->listener, NULL);
  g_clear_object (&hole->filler);
  g_clear_object (&hole->listener);
}

/* A listener that never accepts. Silent: the kernel completes up to 16 handshakes and
 * queues them, so a client is connected and then hears nothing. Dropping: backlog 0 and
 * one connection of our own in the queue; Linux then drops every further SYN, and a
 * client's connect runs into its timeout as behind a filtering firewall. */
static void
black_hole_open (BlackHole  *hole,
                 const char *address,
                 guint16     port,
                 gboolean    drop_syns)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) where = g_inet_socket_address_new (inet, port);
  g_autoptr(GError) error = NULL;

  hole->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (hole->listener, drop_syns ? 0 : 16);
  if (!g_socket_bind (hole->listener, where, TRUE, &error) ||
      !g_socket_listen (hole->listener, &error))
    g_error ("Could not listen on %s:%u: %s", address, port, error->message);

  if (drop_syns)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) probe = NULL;

      hole->filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, &error);
      g_assert_no_error (error);
      if (!g_socket_connect (hole->filler, where, NULL, &error))
        g_error ("Could not fill the accept queue of %s:%u: %s", address, port, error->message);

      /* The premise of the test: a further connection attempt goes unanswered. */
      g_socket_client_set_timeout (client, 1);
      g_socket_client_set_enable_proxy (client, FALSE);
      probe = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (where), NULL, &error);
      if (probe != NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_error ("The black hole on %s:%u does not drop SYNs: %s", address, port,
                 error ? error->message : "connected");
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Loopback only: every address the program sends to, as strace saw it */

/* The calls that decide where a packet goes (not getsockname() and the like, which show
 * local addresses). */
#define TRACED_CALLS "trace=connect,sendto,sendmsg,sendmmsg"

static char *
strace_path (void)
{
  return g_find_program_in_path ("strace");
}

/* The addresses outside loopback in a trace of connect() and send*() calls (IPv4 outside
 * 127.0.0.0/8, IPv6 other than ::1 and ::ffff:127.x); @n_addresses counts all of them. */
static GPtrArray *
non_loopback_addresses (const char *trace,
                        guint      *n_addresses)
{
  g_autoptr(GRegex) ipv4 = g_regex_new ("inet_addr\\(\"([^\"]*)\"\\)", 0, 0, NULL);
  g_autoptr(GRegex) ipv6 = g_regex_new ("inet_pton\\(AF_INET6, \"([^\"]*)\"", 0, 0, NULL);
  GPtrArray *outside = g_ptr_array_new_with_free_func (g_free);
  GRegex *regexes[] = { ipv4, ipv6 };

  *n_addresses = 0;
  for (guint r = 0; r < G_N_ELEMENTS (regexes); r++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      for (g_regex_match (regexes[r], trace, 0, &match); g_match_info_matches (match);
           g_match_info_next (match, NULL))
        {
          char *address = g_match_info_fetch (match, 1);
          gboolean loopback = r == 0 ? g_str_has_prefix (address, "127.")
                                     : g_str_equal (address, "::1") ||
                                       g_str_has_prefix (address, "::ffff:127.");

          (*n_addresses)++;
          if (loopback)
            g_free (address);
          else
            g_ptr_array_add (outside, address);
        }
    }
  return outside;
}

/* The check itself must catch an address elsewhere, in strace's notation. */
static void
assert_trace_check_works (void)
{
  const char *planted =
    "4711  connect(7, {sa_family=AF_INET, sin_port=htons(993), sin_addr=inet_addr(\"127.0.0.4\")}, 16) = 0\n"
    "4712  connect(8, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"192.0.2.53\")}, 16) = 0\n"
    "4712  sendto(9, \"x\", 1, 0, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
    "inet_pton(AF_INET6, \"2001:db8::1\", &sin6_addr), sin6_scope_id=0}, 28) = 1\n";
  g_autoptr(GPtrArray) outside = NULL;
  guint n = 0;

  outside = non_loopback_addresses (planted, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (outside->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (outside, 0), ==, "192.0.2.53");
  g_assert_cmpstr (g_ptr_array_index (outside, 1), ==, "2001:db8::1");
}

/* All AF_INET/AF_INET6 addresses in the trace must be loopback; returns how many
 * connect() calls went to @host. */
static guint
assert_loopback_only (const char *trace_path,
                      const char *host)
{
  g_autofree char *trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outside = NULL;
  g_autofree char *to_host = g_strdup_printf ("sin_addr=inet_addr(\"%s\")", host);
  g_auto(GStrv) lines = NULL;
  guint connects = 0;
  guint addresses = 0;

  if (!g_file_get_contents (trace_path, &trace, NULL, &error))
    g_error ("strace wrote no trace: %s", error->message);

  outside = non_loopback_addresses (trace, &addresses);
  for (guint i = 0; i < outside->len; i++)
    g_test_fail_printf ("The program sent to %s, outside loopback",
                        (const char *)g_ptr_array_index (outside, i));

  lines = g_strsplit (trace, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "connect(") != NULL && strstr (lines[i], to_host) != NULL)
        connects++;
    }

  g_test_message ("strace: %u addresses, %u outside loopback; %u connect() calls to %s",
                  addresses, outside->len, connects, host);
  return connects;
}

/* ------------------------------------------------------------------------------------------ */
/* Tests */

static CliRun *
detect (const char          *host,
        const char          *protocols,
        const char * const  *wrapper)
{
  DetectOptions options = { 0 };
  CliRun *run;

  options.host = host;
  options.protocols = protocols;
  options.timeout = DETECT_TIMEOUT_SECONDS;
  options.wrapper = wrapper;
  run = cli_run_detect (&options);
  log_results (run);
  return run;
}

/* --detect of the standard ports' address with the text report, once the servers are
 * ready; NULL, with the test skipped, where they cannot run here. */
static CliRun *
detect_text (const char *protocols)
{
  DetectOptions options = { .protocols = protocols, .timeout = DETECT_TIMEOUT_SECONDS, .text = TRUE };
  CliRun *run;

  if (!real_servers_ready ())
    return NULL;

  options.host = real_servers_value ("MC_STANDARD_PORTS_HOST");
  run = cli_run_detect (&options);
  g_test_message ("%s -> exit %d\n%s%s", run->command, run->status, run->out, run->err);
  return run;
}

static void
assert_no_login_in_logs (goffset dovecot_offset,
                         goffset postfix_offset)
{
  g_autofree char *dovecot = real_servers_log_since ("MC_DOVECOT_LOG", dovecot_offset);
  g_autofree char *postfix = real_servers_log_since ("MC_POSTFIX_LOG", postfix_offset);

  if (strstr (dovecot, "Login: ") != NULL || strstr (dovecot, "auth failed") != NULL ||
      strstr (postfix, " auth=") != NULL)
    {
      g_test_message ("Dovecot:\n%s\nPostfix:\n%s", dovecot, postfix);
      g_test_fail_printf ("A detect without credentials tried to log in");
    }
}

static void
test_detect_standard_ports (void)
{
  g_autoptr(CliRun) run = NULL;
  const char *host;
  goffset dovecot_offset, postfix_offset;

  if (!real_servers_ready ())
    return;

  host = real_servers_value ("MC_STANDARD_PORTS_HOST");
  dovecot_offset = real_servers_log_size ("MC_DOVECOT_LOG");
  postfix_offset = real_servers_log_size ("MC_POSTFIX_LOG");
  run = detect (host, NULL, NULL);

  assert_run (run, run->status == 0);
  assert_run (run, g_strcmp0 (report_string (run->root, "host"), host) == 0);
  assert_run (run, count_results (run) == G_N_ELEMENTS (standard_combinations));

  for (guint i = 0; i < G_N_ELEMENTS (standard_combinations); i++)
    {
      JsonObject *result = find_result (run, standard_combinations[i].protocol,
                                        standard_combinations[i].port);
      JsonObject *certificate = report_object (result, "certificate");
      JsonArray *advice = report_array (result, "advice");

      assert_run (run, result != NULL);
      assert_run (run, g_strcmp0 (report_string (result, "security"),
                                  standard_combinations[i].security) == 0);
      assert_run (run, g_strcmp0 (report_string (result, "status"), "ok") == 0);
      assert_run (run, report_int (result, "ms") >= 0 &&
                       report_int (result, "ms") < DETECT_TIMEOUT_SECONDS * 1000);
      assert_run (run, advice != NULL && json_array_get_length (advice) == 0);
      /* Every one of them was encrypted, with the certificate for this address. */
      assert_run (run, report_array_has (report_array (certificate, "names"), host));
      assert_run (run, json_array_get_length (report_array (certificate, "problems")) == 0);
    }

  /* No provider profile for 127.0.0.4: the generic rule, implicit TLS first (RFC 8314). */
  assert_run (run, recommends (run, "imap", 993, "tls"));
  assert_run (run, recommends (run, "pop3", 995, "tls"));
  assert_run (run, recommends (run, "smtp", 465, "tls"));

  /* All seven in parallel: about as long as the slowest, nowhere near seven of them. */
  assert_run (run, run->elapsed_ms < DETECT_TIMEOUT_SECONDS * 1000);

  assert_no_login_in_logs (dovecot_offset, postfix_offset);
}

static void
test_detect_text_report (void)
{
  g_autoptr(CliRun) run = detect_text (NULL);

  if (run == NULL)
    return;

  assert_run (run, run->status == 0);
  assert_run (run, strstr (run->out, "Recommended for IMAP: port 993 with SSL/TLS") != NULL);
  assert_run (run, strstr (run->out, "Recommended for POP3: port 995 with SSL/TLS") != NULL);
  assert_run (run, strstr (run->out, "Recommended for SMTP: port 465 with SSL/TLS") != NULL);
  assert_run (run, strstr (run->out, "does not work") == NULL);
}

static void
test_detect_protocols_imap (void)
{
  g_autoptr(CliRun) run = NULL;
  g_autofree char *dovecot = NULL;
  g_autofree char *postfix = NULL;
  goffset dovecot_offset, postfix_offset;

  if (!real_servers_ready ())
    return;

  dovecot_offset = real_servers_log_size ("MC_DOVECOT_LOG");
  postfix_offset = real_servers_log_size ("MC_POSTFIX_LOG");
  run = detect (real_servers_value ("MC_STANDARD_PORTS_HOST"), "imap", NULL);

  assert_run (run, run->status == 0);
  assert_run (run, count_results (run) == 2);
  assert_run (run, g_strcmp0 (result_status (run, "imap", 993), "ok") == 0);
  assert_run (run, g_strcmp0 (result_status (run, "imap", 143), "ok") == 0);
  assert_run (run, recommends (run, "imap", 993, "tls"));
  assert_run (run, recommended_null (run, "pop3"));
  assert_run (run, recommended_null (run, "smtp"));

  /* The servers agree: two IMAP connections, nothing for POP3 or SMTP. */
  dovecot = real_servers_wait_for_log_count ("MC_DOVECOT_LOG", dovecot_offset,
                                             "imap-login: Info: Disconnected", 2);
  postfix = real_servers_log_since ("MC_POSTFIX_LOG", postfix_offset);
  if (real_servers_count (dovecot, "imap-login: Info: Disconnected") != 2 ||
      strstr (dovecot, "pop3-login") != NULL || strstr (postfix, "connect from") != NULL)
    g_test_message ("Dovecot:\n%s\nPostfix:\n%s", dovecot, postfix);
  g_assert_cmpuint (real_servers_count (dovecot, "imap-login: Info: Disconnected"), ==, 2);
  g_assert_null (strstr (dovecot, "pop3-login"));
  g_assert_null (strstr (postfix, "connect from"));
}

static void
test_detect_protocols_invalid (void)
{
  g_autoptr(CliRun) run = detect_text ("imap,ftp");

  if (run == NULL)
    return;

  assert_run (run, run->status == 2);
  assert_run (run, strstr (run->err, "--protocols") != NULL);
  assert_run (run, run->out[0] == '\0');
}

typedef struct
{
  const char *path;
  guint16     port;            /* the black-holed one; its address comes from the harness */
  gboolean    drop_syns;
  const char *code;            /* advice for the black-holed port */
  guint16     fix_port;        /* 0: the advice proposes no port */
  const char *fix_security;
  guint16     smtp_port;       /* the recommendation that must still come */
  const char *smtp_security;
} BlackHoleCase;

/* A search's row carries no fix of its own: the search tries every port at
 * once, and its recommendation is the comparison (a row that proposed another
 * port would say again what the recommendation says). */
static const BlackHoleCase black_hole_cases[] = {
  { "/mailcheck/real/detect/syn-dropped-465/recommends-587", 465, TRUE,
    "port-blocked", 0, NULL, 587, "starttls" },
  { "/mailcheck/real/detect/silent-465/recommends-587", 465, FALSE,
    "timeout", 0, NULL, 587, "starttls" },
  { "/mailcheck/real/detect/syn-dropped-587/recommends-465", 587, TRUE,
    "port-blocked", 0, NULL, 465, "tls" },
  { "/mailcheck/real/detect/silent-587/recommends-465", 587, FALSE,
    "timeout", 0, NULL, 465, "tls" },
};

static void
test_detect_black_hole (gconstpointer data)
{
  const BlackHoleCase *test = data;
  g_autoptr(CliRun) run = NULL;
  BlackHole hole = { 0 };
  JsonObject *blocked;
  JsonObject *advice;
  const char *host;

  if (!real_servers_ready ())
    return;

  host = gap_address (test->port);
  black_hole_open (&hole, host, test->port, test->drop_syns);
  run = detect (host, NULL, NULL);
  black_hole_close (&hole);

  assert_run (run, run->status == 0);
  assert_run (run, count_results (run) == G_N_ELEMENTS (standard_combinations));
  /* One port that never answers costs about one timeout: the probes run in parallel. */
  assert_run (run, run->elapsed_ms < DETECT_TIMEOUT_SECONDS * 1000 + BLACK_HOLE_SLACK_MS);

  for (guint i = 0; i < G_N_ELEMENTS (standard_combinations); i++)
    {
      const char *status = result_status (run, standard_combinations[i].protocol,
                                          standard_combinations[i].port);

      if (standard_combinations[i].port == test->port)
        assert_run (run, g_strcmp0 (status, "failed") == 0);
      else
        assert_run (run, g_strcmp0 (status, "ok") == 0);
    }

  blocked = find_result (run, "smtp", test->port);
  advice = report_array_find (report_array (blocked, "advice"), "code", test->code);
  assert_run (run, advice != NULL);
  g_test_message ("advice for port %u: %s", test->port, report_string (advice, "text"));
  if (test->fix_port == 0)
    assert_run (run, report_object (advice, "fix") == NULL);
  else
    {
      JsonObject *fix = report_object (advice, "fix");
      const char *text = report_string (advice, "text");

      assert_run (run, report_int (fix, "port") == test->fix_port);
      assert_run (run, g_strcmp0 (report_string (fix, "security"), test->fix_security) == 0);
      /* It names the ports that did answer, as evidence for a firewall. */
      for (guint i = 0; i < G_N_ELEMENTS (standard_combinations); i++)
        if (standard_combinations[i].port != test->port)
          assert_run (run, names_port (text, standard_combinations[i].port));
    }

  assert_run (run, recommends (run, "imap", 993, "tls"));
  assert_run (run, recommends (run, "pop3", 995, "tls"));
  assert_run (run, recommends (run, "smtp", test->smtp_port, test->smtp_security));
}

/* No packet of a detect may leave 127.0.0.0/8: every address the program connects or
 * sends to, in every thread, as the kernel saw the calls. Covers a detect of the full
 * host and one with a filtered port. */
static void
test_detect_stays_on_loopback (void)
{
  g_autofree char *strace = strace_path ();
  g_autofree char *dir = NULL;
  g_autofree char *trace = NULL;
  g_autoptr(GError) error = NULL;
  BlackHole hole = { 0 };

  if (!real_servers_ready ())
    return;
  if (strace == NULL)
    {
      /* Same rule as for the servers: CI must run this check. */
      if (real_servers_in_ci ())
        g_test_fail_printf ("CI=true, but strace is not installed (tests/setup-debian.sh)");
      else
        g_test_skip ("strace is not installed");
      return;
    }

  assert_trace_check_works ();

  dir = g_dir_make_tmp ("mailcheck-trace-XXXXXX", &error);
  g_assert_no_error (error);
  trace = g_build_filename (dir, "trace", NULL);

  {
    const char *wrapper[] = { strace, "-f", "-qq", "-e", TRACED_CALLS, "-o", trace, NULL };
    const char *host = real_servers_value ("MC_STANDARD_PORTS_HOST");
    g_autoptr(CliRun) run = detect (host, NULL, wrapper);

    assert_run (run, run->status == 0);
    assert_run (run, recommends (run, "imap", 993, "tls"));
    g_assert_cmpuint (assert_loopback_only (trace, host), >=, G_N_ELEMENTS (standard_combinations));
  }

  {
    const char *wrapper[] = { strace, "-f", "-qq", "-e", TRACED_CALLS, "-o", trace, NULL };
    const char *host = gap_address (465);
    g_autoptr(CliRun) run = NULL;

    black_hole_open (&hole, host, 465, TRUE);
    run = detect (host, NULL, wrapper);
    black_hole_close (&hole);

    assert_run (run, run->status == 0);
    assert_run (run, recommends (run, "smtp", 587, "starttls"));
    /* The seven probes; a search compares no ports of its own after a
     * silent one (each probe is a row of the table already). */
    g_assert_cmpuint (assert_loopback_only (trace, host), >=, G_N_ELEMENTS (standard_combinations));
  }

  g_unlink (trace);
  g_rmdir (dir);
}

/* ------------------------------------------------------------------------------------------ */

int
main (int    argc,
      char **argv)
{
  const char *harness_env[] = {
    "MC_STANDARD_PORTS_HOST", STANDARD_PORTS_HOST,
    "MC_STANDARD_PORTS_GAPS", GAPS,
    NULL
  };

  real_servers_test_init (&argc, &argv);

  g_test_add_func ("/mailcheck/real/detect/standard-ports/finds-all-seven",
                   test_detect_standard_ports);
  g_test_add_func ("/mailcheck/real/detect/standard-ports/text-report", test_detect_text_report);
  g_test_add_func ("/mailcheck/real/detect/protocols-imap/only-imap", test_detect_protocols_imap);
  g_test_add_func ("/mailcheck/real/detect/protocols-invalid/usage-error",
                   test_detect_protocols_invalid);
  for (guint i = 0; i < G_N_ELEMENTS (black_hole_cases); i++)
    g_test_add_data_func (black_hole_cases[i].path, &black_hole_cases[i], test_detect_black_hole);
  g_test_add_func ("/mailcheck/real/detect/stays-on-loopback", test_detect_stays_on_loopback);

  return real_servers_run_tests (harness_env);
}
