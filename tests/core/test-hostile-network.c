/* test-hostile-network.c: names, addresses and proxies between the user and the server
 *
 * An address that swallows the connection, a name server that never answers,
 * a dead IPv6 address in front of a working IPv4 one, a name that does not
 * exist, a port nobody listens on, and a system proxy that would reroute the
 * check: each ends quickly, with its cause named, and nothing goes anywhere
 * the user did not ask for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hostile-network"

#include "config.h"

#include <string.h>

#include "hostile-net.h"

/* A proxy resolver that would send everything through 127.0.0.1 ---------------- */

#define HOSTILE_TYPE_PROXY_RESOLVER (hostile_proxy_resolver_get_type ())
G_DECLARE_FINAL_TYPE (HostileProxyResolver, hostile_proxy_resolver, HOSTILE, PROXY_RESOLVER,
                      GObject)

struct _HostileProxyResolver
{
  GObject parent_instance;
};

static gint proxy_lookups;
static char *proxy_uri;

static gboolean
proxy_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
proxy_lookup (GProxyResolver  *resolver,
              const char      *uri,
              GCancellable    *cancellable,
              GError         **error)
{
  char *proxies[] = { proxy_uri ? proxy_uri : (char *)"direct://", NULL };

  g_atomic_int_inc (&proxy_lookups);
  return g_strdupv (proxies);
}

static void
proxy_lookup_async (GProxyResolver      *resolver,
                    const char          *uri,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_return_pointer (task, proxy_lookup (resolver, uri, cancellable, NULL),
                         (GDestroyNotify)g_strfreev);
}

static char **
proxy_lookup_finish (GProxyResolver  *resolver,
                     GAsyncResult    *result,
                     GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
hostile_proxy_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = proxy_is_supported;
  iface->lookup = proxy_lookup;
  iface->lookup_async = proxy_lookup_async;
  iface->lookup_finish = proxy_lookup_finish;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (HostileProxyResolver, hostile_proxy_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      hostile_proxy_resolver_iface_init))

static void
hostile_proxy_resolver_class_init (HostileProxyResolverClass *klass)
{
}

static void
hostile_proxy_resolver_init (HostileProxyResolver *self)
{
}

static void
test_black_holed_address_times_out (void)
{
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) hole = black_hole_or_skip (fillers);
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(McResult) result = NULL;
  gint64 ms;

  if (hole == NULL)
    return;

  settings = mc_test_settings_new (MC_PROTOCOL_IMAP, MC_SECURITY_TLS, socket_port (hole));
  mc_settings_set_timeout (settings, 1);
  result = mc_test_run_timed (settings, NULL, &ms);
  g_test_message ("black hole: %" G_GINT64_FORMAT " ms", ms);
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_CONNECT, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "port-blocked");
  /* The connect deadline, plus a port comparison with a budget of its own. */
  g_assert_cmpint (ms, <, 8000);
}

static void
test_dns_stall_times_out (void)
{
  g_autoptr(McSettings) settings = NULL;
  g_autoptr(McResult) result = NULL;
  gint64 ms;

  /* The test resolver never answers for stall.test (GResolver has no timeout in 2.74). */
  settings = mc_test_settings_new (MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, 587);
  mc_settings_set_host (settings, "stall.test");
  mc_settings_set_timeout (settings, 1);
  result = mc_test_run_timed (settings, NULL, &ms);
  g_test_message ("DNS stall: %" G_GINT64_FORMAT " ms", ms);
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_RESOLVE, MC_STEP_STATUS_FAILED);
  g_assert_null (result->address);
  g_assert_cmpint (ms, <, 3000);
  g_assert_cmpuint (result->advice->len, >, 0);
  /* The name did not resolve: nothing about the port was learnt. */
  if (mc_result_has_advice (result, "port-blocked"))
    g_test_incomplete ("engine bug: a DNS lookup that times out is advised as “port-blocked” "
                       "(“Nothing answered on port 587…”); mc-diagnosis.c treats a timeout in "
                       "RESOLVE like one in CONNECT");
}

static void
test_dead_ipv6_falls_back_to_ipv4 (void)
{
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) dead = NULL;
  const Scenario s = { MC_PROTOCOL_POP3, MC_SECURITY_NONE, .host = "dual.test", .no_password = TRUE,
                       .verdict = MC_VERDICT_WARNING, .advice = "plaintext-not-allowed" };
  g_auto(Outcome) out = { NULL };
  GResolver *previous;

  /* ::1 on the server's port answers nothing (or is missing); 127.0.0.1 works. */
  out.server = scenario_server (&s);
  dead = mc_test_black_hole_new (G_SOCKET_FAMILY_IPV6, fake_server_start (out.server), fillers);
  g_test_message ("IPv6 side: %s", dead ? "a full accept queue on ::1" : "no ::1 here");

  previous = use_test_names ();
  scenario_play (&s, &out);
  restore_resolver (previous);
  g_assert_cmpstr (out.result->address, ==, "127.0.0.1");
  mc_assert_step (out.result, MC_STEP_GREETING, MC_STEP_STATUS_OK);
  /* The async connect races the families (RFC 8305): no full timeout spent on ::1. */
  g_assert_cmpint (out.ms, <, 2000);
}

static void
test_system_proxy_ignored (void)
{
  const Scenario s = { MC_PROTOCOL_IMAP, MC_SECURITY_TLS, LOGGED_IN };
  g_autoptr(FakeServer) decoy = fake_imap_server_new (FAKE_MODE_PLAIN);
  g_autoptr(GProxyResolver) resolver = NULL;
  g_auto(Outcome) out = { NULL };

  if (g_test_subprocess ())
    {
      /* The process's default proxy resolver would send everything to the decoy. */
      proxy_uri = g_strdup_printf ("http://127.0.0.1:%u", fake_server_start (decoy));
      g_setenv ("http_proxy", proxy_uri, TRUE);
      g_setenv ("https_proxy", proxy_uri, TRUE);
      g_setenv ("all_proxy", proxy_uri, TRUE);
      g_setenv ("GIO_USE_PROXY_RESOLVER", "netzprisma-hostile", TRUE);
      g_object_unref (g_network_monitor_get_default ());
      g_io_extension_point_implement (G_PROXY_RESOLVER_EXTENSION_POINT_NAME,
                                      HOSTILE_TYPE_PROXY_RESOLVER,
                                      "netzprisma-hostile", 1000);
      resolver = g_object_ref (g_proxy_resolver_get_default ());
      g_assert_true (HOSTILE_IS_PROXY_RESOLVER (resolver));

      scenario_play (&s, &out);
      g_assert_cmpstr (out.result->address, ==, "127.0.0.1");
      g_assert_cmpint (g_atomic_int_get (&proxy_lookups), ==, 0);
      g_assert_cmpuint (fake_server_get_connections (decoy), ==, 0);
      g_assert_false (transcript_has (out.result, "proxy", FALSE));
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_unknown_host_named (void)
{
  static const Scenario s = { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS, .host = "nowhere.test" };
  g_autoptr(McSettings) settings = scenario_settings (&s, 0);
  g_autoptr(McResult) result = NULL;
  g_autofree char *lookups = NULL;
  gint64 ms;

  g_free (mc_test_resolver_take_lookups ());
  result = mc_test_run_timed (settings, NULL, &ms);
  lookups = mc_test_resolver_take_lookups ();

  g_assert_nonnull (strstr (lookups, "nowhere.test"));
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_RESOLVE, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "host-not-found");
  mc_assert_mentions (mc_test_find_advice (result, "host-not-found")->text, "nowhere.test");
  g_assert_null (result->address);
}

static void
test_connection_refused_named (void)
{
  /* A port that was just free: nothing listens there. */
  static const Scenario s = { MC_PROTOCOL_SMTP, MC_SECURITY_STARTTLS };
  g_autoptr(McSettings) settings = scenario_settings (&s, mc_test_closed_port ());
  g_autoptr(McResult) result = NULL;
  gint64 ms;

  result = mc_test_run_timed (settings, NULL, &ms);
  mc_assert_verdict (result, MC_VERDICT_FAILED);
  mc_assert_step (result, MC_STEP_CONNECT, MC_STEP_STATUS_FAILED);
  mc_assert_advice (result, "connection-refused");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mc_test_install_resolver ();

  g_test_add_func ("/mailcheck/hostile/network/black-holed-address-times-out",
                   test_black_holed_address_times_out);
  g_test_add_func ("/mailcheck/hostile/network/dns-stall-times-out", test_dns_stall_times_out);
  g_test_add_func ("/mailcheck/hostile/network/dead-ipv6-falls-back-to-ipv4",
                   test_dead_ipv6_falls_back_to_ipv4);
  g_test_add_func ("/mailcheck/hostile/network/unknown-host-named", test_unknown_host_named);
  g_test_add_func ("/mailcheck/hostile/network/connection-refused-named",
                   test_connection_refused_named);
  g_test_add_func ("/mailcheck/hostile/network/system-proxy-ignored", test_system_proxy_ignored);

  return g_test_run ();
}
