/* test-network.c: the customer's own network — a Wi-Fi sign-in page, limited
 * connectivity from an injected network monitor, and one address family that
 * does not work, with listeners on ::1 and 127.0.0.1 for one name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-network"

#include "config.h"

#include <string.h>

#include "mc-report.h"
#include "sending-util.h"

/* A name with an address of each family, and the certificate names it. */
#define DUAL_HOST "localhost"

static McResult *
run_timed (McSettings      *settings,
           GNetworkMonitor *monitor,
           gint64          *ms)
{
  McResult *result = mc_test_run_timed (settings, monitor, ms);

  mc_test_print_result (result);
  return result;
}

/* An IMAP check on implicit TLS of @server at @host (NULL: 127.0.0.1), with a
 * network monitor that says @connectivity. */
static McResult *
run_with_connectivity (GNetworkConnectivity  connectivity,
                       FakeServer           *server,
                       const char           *host,
                       gint64               *ms)
{
  g_autoptr(GNetworkMonitor) monitor = sending_network_monitor_new (connectivity);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS,
                                                         fake_server_start (server));
  McResult *result;

  if (host != NULL)
    mc_settings_set_host (settings, host);
  result = run_timed (settings, monitor, ms);
  fake_server_finish (server);
  return result;
}

static const char *
json_string (McResult   *result,
             const char *object,
             const char *member)
{
  static char value[64];
  g_autoptr(JsonNode) root = sending_result_json_node (result);
  JsonObject *node = json_node_get_object (root);

  if (object != NULL)
    node = json_object_get_object_member (node, object);
  if (json_object_get_null_member (node, member))
    return NULL;
  g_strlcpy (value, json_object_get_string_member (node, member), sizeof value);
  return value;
}

/* Behind a Wi-Fi sign-in page: said first, and nothing is attempted — no
 * lookup, no connection. */
static void
test_portal_first_nothing_attempted (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McResult) result = NULL;
  g_autofree char *lookups = NULL;
  McAdvice *first;
  gint64 ms;

  g_free (mc_test_resolver_take_lookups ());
  result = run_with_connectivity (G_NETWORK_CONNECTIVITY_PORTAL, server, DUAL_HOST, &ms);
  lookups = mc_test_resolver_take_lookups ();

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  g_assert_cmpuint (result->steps->len, ==, 1);
  mc_assert_step (result, MC_STEP_NETWORK, MC_STEP_STATUS_FAILED);
  g_assert_cmpstr (mc_step_id_to_string (MC_STEP_NETWORK), ==, "network");
  g_assert_cmpuint (result->advice->len, >=, 1);
  first = g_ptr_array_index (result->advice, 0);
  g_assert_cmpstr (first->code, ==, "captive-portal");
  mc_assert_mentions (first->text, "sign in");
  mc_assert_mentions (first->text, "web browser");
  g_assert_cmpuint (fake_server_get_connections (server), ==, 0);
  g_assert_cmpstr (lookups, ==, "");
  g_assert_cmpstr (json_string (result, NULL, "network"), ==, "portal");
  g_assert_cmpint (ms, <, 1000);
}

/* Full connectivity changes nothing. */
static void
test_full_changes_nothing (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  gint64 ms;
  g_autoptr(McResult) result = run_with_connectivity (G_NETWORK_CONNECTIVITY_FULL, server, NULL, &ms);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_null (mc_test_find_step (result, MC_STEP_NETWORK));
  g_assert_cmpstr (json_string (result, NULL, "network"), ==, "full");
}

/* Limited connectivity is named where it explains the failure: a name that
 * does not resolve, a port that does not answer. */
static void
test_limited_in_dns_and_timeout_advice (void)
{
  g_autoptr(GNetworkMonitor) limited = sending_network_monitor_new (G_NETWORK_CONNECTIVITY_LIMITED);
  g_autoptr(GNetworkMonitor) local = sending_network_monitor_new (G_NETWORK_CONNECTIVITY_LOCAL);
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) hole = mc_test_black_hole_new (G_SOCKET_FAMILY_IPV4, 0, fillers);

  {
    g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 993);
    g_autoptr(McResult) result = NULL;
    McAdvice *advice;
    gint64 ms;

    mc_settings_set_host (settings, "nowhere.sending.test");
    result = run_timed (settings, limited, &ms);
    advice = mc_test_find_advice (result, "host-not-found");
    g_assert_nonnull (advice);
    mc_assert_mentions (advice->text, "only limited internet access");
  }

  if (hole == NULL)
    {
      g_test_message ("a full accept queue does not stall connect() here: the timeout half is not run");
      return;
    }

  {
    g_autoptr(GSocketAddress) local_address = g_socket_get_local_address (hole, NULL);
    guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local_address));
    g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, port);
    g_autoptr(McResult) result = NULL;
    McAdvice *advice;
    gint64 ms;

    mc_settings_set_timeout (settings, 1);
    result = run_timed (settings, local, &ms);
    advice = mc_test_find_advice (result, "port-blocked");
    g_assert_nonnull (advice);
    mc_assert_mentions (advice->text, "connected only to a local network");
  }
}

/* Address families ------------------------------------------------------------- */

static gboolean
dual_stack_ready (void)
{
  static const char *both[] = { "::1", "127.0.0.1", NULL };

  if (!sending_have_ipv6_loopback ())
    {
      g_test_skip ("no IPv6 loopback (::1) here");
      return FALSE;
    }
  mc_test_resolver_map (DUAL_HOST, both);
  return TRUE;
}

static McSettings *
dual_settings (FakeServer *server)
{
  McSettings *settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 0);

  mc_settings_set_host (settings, DUAL_HOST);
  mc_settings_set_port (settings, fake_server_start (server));
  return settings;
}

/* ::1 refuses, 127.0.0.1 works: a mail program falls back at once, so no
 * advice — but the report says what each family did. */
static void
test_ipv6_refused_reported (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(McResult) result = NULL;
  g_autofree char *text = NULL;
  gint64 ms;

  if (!dual_stack_ready ())
    return;
  settings = dual_settings (server);
  result = run_timed (settings, NULL, &ms);
  fake_server_finish (server);
  text = mc_report_to_text (result, FALSE);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpstr (result->address, ==, "127.0.0.1");
  g_assert_cmpstr (json_string (result, NULL, "address_family"), ==, "ipv4");
  g_assert_cmpstr (json_string (result, "address_families", "ipv4"), ==, "ok");
  g_assert_cmpstr (json_string (result, "address_families", "ipv6"), ==, "refused");
  mc_assert_no_advice (result, "ipv6-unreachable");
  mc_assert_mentions (text, "IP address: 127.0.0.1 (IPv4)");
  mc_assert_mentions (text, "IPv6: connection refused");
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTHENTICATE"), ==, 1);
}

/* ::1 swallows the connection attempt: the check falls back to IPv4 and
 * works, a bare connect within a second confirms that IPv6 gets no answer,
 * and the warning says what that costs a mail program. */
static void
test_ipv6_black_hole_warns (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) hole = NULL;
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(McResult) result = NULL;
  McAdvice *advice;
  gint64 ms;

  if (!dual_stack_ready ())
    return;
  settings = dual_settings (server);
  hole = mc_test_black_hole_new (G_SOCKET_FAMILY_IPV6, mc_settings_get_port (settings), fillers);
  if (hole == NULL)
    {
      g_test_skip ("a full accept queue does not stall connect() on ::1 here");
      return;
    }
  result = run_timed (settings, NULL, &ms);
  fake_server_finish (server);

  mc_assert_verdict (result, MC_VERDICT_WARNING);
  g_assert_cmpint (mc_result_get_outcome (result), ==, MC_OUTCOME_WORKS_WITH_WARNINGS);
  g_assert_cmpstr (result->address, ==, "127.0.0.1");
  advice = mc_test_find_advice (result, "ipv6-unreachable");
  g_assert_nonnull (advice);
  mc_assert_mentions (advice->text, "answers over IPv4, but over IPv6 it did not answer");
  mc_assert_mentions (advice->text, "fall back to IPv4");
  g_assert_cmpstr (json_string (result, "address_families", "ipv6"), ==, "no-answer");
  /* One login, on the family that worked. */
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTHENTICATE"), ==, 1);
  g_assert_cmpint (ms, <, 4000);
}

/* Connected over IPv6, then silence (a path that loses large packets): the
 * handshake times out. A probe without a password over IPv4 works, so the
 * advice names the broken family instead of "timeout"; no login anywhere. */
static void
test_ipv6_stalls_after_connect (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(GSocket) silent = NULL;
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(McResult) result = NULL;
  g_autofree char *transcript = NULL;
  McAdvice *advice;
  gint64 ms;

  if (!dual_stack_ready ())
    return;
  settings = dual_settings (server);
  silent = sending_silent_listener_new (G_SOCKET_FAMILY_IPV6, mc_settings_get_port (settings));
  g_assert_nonnull (silent);
  mc_settings_set_timeout (settings, 2);
  result = run_timed (settings, NULL, &ms);
  fake_server_finish (server);
  transcript = mc_test_transcript_text (result);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  g_assert_cmpstr (result->address, ==, "::1");
  mc_assert_step (result, MC_STEP_TLS, MC_STEP_STATUS_FAILED);
  advice = mc_test_find_advice (result, "ipv6-unreachable");
  g_assert_nonnull (advice);
  mc_assert_mentions (advice->text, "Over IPv6 the server stopped answering once the connection was made, but "
                                    "over IPv4 it works");
  mc_assert_no_advice (result, "timeout");
  g_assert_cmpstr (json_string (result, "address_families", "ipv6"), ==, "stalled");
  g_assert_cmpstr (json_string (result, "address_families", "ipv4"), ==, "ok");
  g_assert_nonnull (strstr (transcript, "probe without password: IMAP on port"));
  g_assert_nonnull (strstr (transcript, "at 127.0.0.1: answered"));
  /* The probe over IPv4 reached the server and never logged in. */
  g_assert_cmpuint (fake_server_get_connections (server), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (server, FAKE_PHASE_ANY, "AUTHENTICATE"), ==, 0);
  fake_server_assert_no_credentials (server, FAKE_USER, FAKE_PASSWORD);
}

/* Both families stall: no family is blamed, the timeout stands. */
static void
test_both_stall_no_family_blamed (void)
{
  g_autoptr(GSocket) silent4 = sending_silent_listener_new (G_SOCKET_FAMILY_IPV4, 0);
  g_autoptr(GSocket) silent6 = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 0);
  g_autoptr(McResult) result = NULL;
  guint16 port;
  gint64 ms;

  if (!dual_stack_ready ())
    return;
  local = g_socket_get_local_address (silent4, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  silent6 = sending_silent_listener_new (G_SOCKET_FAMILY_IPV6, port);
  g_assert_nonnull (silent6);
  mc_settings_set_host (settings, DUAL_HOST);
  mc_settings_set_port (settings, port);
  mc_settings_set_timeout (settings, 1);
  result = run_timed (settings, NULL, &ms);

  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_advice (result, "timeout");
  mc_assert_no_advice (result, "ipv6-unreachable");
  mc_assert_no_advice (result, "ipv4-unreachable");
}

/* IPv6 is tried first (RFC 8305); when it works, a black-holed IPv4 costs a
 * mail program nothing and the check says nothing about it — it used IPv6,
 * through a relay on ::1 to the same server. */
static void
test_ipv6_works_ipv4_unnoticed (void)
{
  g_autoptr(FakeServer) server = fake_imap_server_new (FAKE_MODE_TLS);
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(McSettings) settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, 0);
  g_autoptr(GSocket) hole = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(SendingForwarder) forwarder = NULL;
  g_autoptr(McResult) result = NULL;
  guint16 port;
  gint64 ms;

  if (!dual_stack_ready ())
    return;
  hole = mc_test_black_hole_new (G_SOCKET_FAMILY_IPV4, 0, fillers);
  if (hole == NULL)
    {
      g_test_skip ("a full accept queue does not stall connect() here");
      return;
    }
  local = g_socket_get_local_address (hole, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  forwarder = sending_forwarder_new (port, fake_server_start (server));
  g_assert_nonnull (forwarder);
  mc_settings_set_host (settings, DUAL_HOST);
  mc_settings_set_port (settings, port);
  result = run_timed (settings, NULL, &ms);
  g_clear_pointer (&forwarder, sending_forwarder_free);
  fake_server_finish (server);

  mc_assert_verdict (result, MC_VERDICT_OK);
  g_assert_cmpstr (result->address, ==, "::1");
  g_assert_cmpstr (json_string (result, NULL, "address_family"), ==, "ipv6");
  g_assert_null (json_string (result, "address_families", "ipv4"));
  mc_assert_no_advice (result, "ipv4-unreachable");
  g_assert_cmpint (ms, <, 2000);
}

int
main (int   argc,
      char *argv[])
{
  sending_test_init (&argc, &argv);

  g_test_add_func ("/sending/network/portal-said-first-nothing-attempted", test_portal_first_nothing_attempted);
  g_test_add_func ("/sending/network/full-connectivity-changes-nothing", test_full_changes_nothing);
  g_test_add_func ("/sending/network/limited-named-in-dns-and-timeout-advice", test_limited_in_dns_and_timeout_advice);
  g_test_add_func ("/sending/network/families/ipv6-refused-reported-not-advised", test_ipv6_refused_reported);
  g_test_add_func ("/sending/network/families/ipv6-black-hole-warns", test_ipv6_black_hole_warns);
  g_test_add_func ("/sending/network/families/ipv6-stalls-after-connect", test_ipv6_stalls_after_connect);
  g_test_add_func ("/sending/network/families/both-stall-no-family-blamed", test_both_stall_no_family_blamed);
  g_test_add_func ("/sending/network/families/ipv6-works-ipv4-unnoticed", test_ipv6_works_ipv4_unnoticed);

  return g_test_run ();
}
