/* sending-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sending-util"

#include "config.h"

#include <string.h>

#include "mc-provider.h"
#include "mc-report.h"
#include "sending-util.h"

/* Certificates ------------------------------------------------------------------- */

/* $1: the folder to write to, $2: tests/certs. EC keys: quick to make. */
static const char make_certificates_script[] =
  "set -e\n"
  "out=$1; certs=$2\n"
  "cd \"$out\"\n"
  "root () {\n"
  "  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \\\n"
  "    -keyout \"$1.key\" -out \"$1.pem\" -days 3650 -subj \"$2\" \\\n"
  "    -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null\n"
  "}\n"
  "leaf () {\n"
  "  printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature,keyEncipherment\\n"
  "extendedKeyUsage=serverAuth\\nsubjectAltName=%s\\n' \"$4\" > \"$1.ext\"\n"
  "  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \\\n"
  "    -keyout \"$1.key\" -out \"$1.csr\" -subj \"/CN=$3\" 2>/dev/null\n"
  "  openssl x509 -req -in \"$1.csr\" -CA \"$2.pem\" -CAkey \"$2.key\" -set_serial \"0x$(openssl rand -hex 8)\" \\\n"
  "    -days 3650 -extfile \"$1.ext\" -out \"$1.pem\" 2>/dev/null\n"
  "}\n"
  "cp \"$certs/ca.pem\" test-ca.pem; cp \"$certs/ca.key\" test-ca.key\n"
  "root interceptor-root '/O=Example Security Appliance/CN=Interceptor Root'\n"
  "root eset-root '/C=SK/O=ESET spol. s r. o./CN=ESET SSL Filter CA'\n"
  "leaf provider test-ca mail01.netzprisma.de DNS:mail01.netzprisma.de\n"
  "leaf intercepted interceptor-root mail01.netzprisma.de DNS:mail01.netzprisma.de\n"
  "leaf eset eset-root mail01.netzprisma.de DNS:mail01.netzprisma.de\n"
  "leaf eset-local eset-root localhost DNS:localhost,IP:127.0.0.1\n"
  "rm -f test-ca.key\n";

static const char *certificate_dir;

gboolean
sending_have_certificates (void)
{
  certificate_dir = mc_test_issue_certificates (make_certificates_script, "mc-sending-certs-XXXXXX");
  return certificate_dir != NULL;
}

char *
sending_certificate_path (const char *name)
{
  return g_build_filename (certificate_dir, name, NULL);
}

/* The provider ------------------------------------------------------------------- */

void
sending_use_provider_profile (const char *protocol,
                              const char *usable)
{
  g_autoptr(GBytes) shipped = g_resources_lookup_data ("/de/netzprisma/MailCheck/providers/netzprisma.ini",
                                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *ca_path = fake_certificate_path ("ca.pem");
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_assert_nonnull (shipped);
  g_key_file_load_from_data (keyfile, g_bytes_get_data (shipped, NULL), g_bytes_get_size (shipped),
                             G_KEY_FILE_KEEP_COMMENTS, &error);
  g_assert_no_error (error);

  ca = g_tls_certificate_new_from_file (ca_path, &error);
  g_assert_no_error (error);
  subject = g_tls_certificate_get_subject_name (ca);
  /* Only the test CA: what it signs is the provider's own certificate. */
  g_key_file_set_value (keyfile, "Provider", "ExpectedIssuers", subject);
  g_key_file_remove_key (keyfile, "Provider", "TrustAnchorSPKI", NULL);
  if (protocol != NULL && usable != NULL)
    g_key_file_set_value (keyfile, protocol, "Usable", usable);

  data = g_key_file_to_data (keyfile, &length, NULL);
  mc_provider_add_profile (data, length, &error);
  g_assert_no_error (error);
}

/* Network monitor ------------------------------------------------------------------ */

#define SENDING_TYPE_NETWORK_MONITOR (sending_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (SendingNetworkMonitor, sending_network_monitor, SENDING, NETWORK_MONITOR, GObject)

struct _SendingNetworkMonitor
{
  GObject              parent_instance;
  GNetworkConnectivity connectivity;
};

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static gboolean
monitor_can_reach (GNetworkMonitor     *monitor,
                   GSocketConnectable  *connectable,
                   GCancellable        *cancellable,
                   GError             **error)
{
  return TRUE;
}

static void
sending_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = monitor_can_reach;
}

static gboolean
monitor_init (GInitable     *initable,
              GCancellable  *cancellable,
              GError       **error)
{
  return TRUE;
}

static void
sending_network_monitor_initable_init (GInitableIface *iface)
{
  iface->init = monitor_init;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (SendingNetworkMonitor, sending_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, sending_network_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, sending_network_monitor_iface_init))

static void
sending_network_monitor_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  SendingNetworkMonitor *self = SENDING_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->connectivity != G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->connectivity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sending_network_monitor_class_init (SendingNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sending_network_monitor_get_property;
  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
sending_network_monitor_init (SendingNetworkMonitor *self)
{
  self->connectivity = G_NETWORK_CONNECTIVITY_FULL;
}

GNetworkMonitor *
sending_network_monitor_new (GNetworkConnectivity connectivity)
{
  SendingNetworkMonitor *self = g_object_new (SENDING_TYPE_NETWORK_MONITOR, NULL);

  self->connectivity = connectivity;
  return G_NETWORK_MONITOR (self);
}

/* Running ------------------------------------------------------------------------ */

McResult *
sending_run_server (FakeServer *server,
                    McSettings *settings,
                    gboolean    none_sent)
{
  McResult *result = mc_test_run_server_with (server, settings);

  mc_test_print_result (result);
  mc_assert_no_secret (result, FAKE_PASSWORD);
  if (none_sent)
    fake_server_assert_no_credentials (server, FAKE_USER, FAKE_PASSWORD);
  else
    fake_server_assert_no_plaintext_credentials (server, FAKE_USER, FAKE_PASSWORD);
  return result;
}

JsonNode *
sending_result_json_node (McResult *result)
{
  return mc_report_build_json (result);
}

char *
sending_result_json (McResult *result)
{
  return mc_report_to_json (result);
}

/* Listeners on ::1 ------------------------------------------------------------------ */

gboolean
sending_have_ipv6_loopback (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

  return socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
}

GSocket *
sending_silent_listener_new (GSocketFamily family,
                             guint16       port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (family);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocket) listener = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);

  if (listener == NULL || !g_socket_bind (listener, address, TRUE, NULL))
    return NULL;
  /* The kernel completes handshakes up to the backlog without accept(). */
  g_socket_set_listen_backlog (listener, 8);
  if (!g_socket_listen (listener, NULL))
    return NULL;
  return g_steal_pointer (&listener);
}

struct _SendingForwarder
{
  GSocket       *listener;
  guint16        target;
  GThread       *thread;
  GCancellable  *cancellable;
};

typedef struct
{
  GSocket      *a;
  GSocket      *b;
  GCancellable *cancellable;
} Pump;

/* Copies both ways until either side closes. */
static gpointer
pump_thread (gpointer data)
{
  Pump *pump = data;
  char buffer[16384];

  for (;;)
    {
      GPollFD fds[2] = {
        { g_socket_get_fd (pump->a), G_IO_IN | G_IO_HUP | G_IO_ERR, 0 },
        { g_socket_get_fd (pump->b), G_IO_IN | G_IO_HUP | G_IO_ERR, 0 },
      };
      gboolean done = FALSE;

      if (g_poll (fds, 2, 100) < 0 || g_cancellable_is_cancelled (pump->cancellable))
        break;
      for (guint i = 0; i < 2 && !done; i++)
        {
          GSocket *from = i == 0 ? pump->a : pump->b;
          GSocket *to = i == 0 ? pump->b : pump->a;
          gssize n;

          if (fds[i].revents == 0)
            continue;
          n = g_socket_receive (from, buffer, sizeof buffer, NULL, NULL);
          if (n <= 0 || g_socket_send (to, buffer, n, NULL, NULL) != n)
            done = TRUE;
        }
      if (done)
        break;
    }

  g_socket_close (pump->a, NULL);
  g_socket_close (pump->b, NULL);
  g_object_unref (pump->a);
  g_object_unref (pump->b);
  g_object_unref (pump->cancellable);
  g_free (pump);
  return NULL;
}

static gpointer
forward_thread (gpointer data)
{
  SendingForwarder *self = data;

  for (;;)
    {
      g_autoptr(GSocket) client = NULL;
      g_autoptr(GSocket) server = NULL;
      g_autoptr(GSocketAddress) target = g_inet_socket_address_new_from_string ("127.0.0.1", self->target);
      Pump *pump;

      if (!g_socket_condition_wait (self->listener, G_IO_IN, self->cancellable, NULL))
        break;
      client = g_socket_accept (self->listener, self->cancellable, NULL);
      if (client == NULL)
        continue;
      server = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
      if (!g_socket_connect (server, target, NULL, NULL))
        continue;
      pump = g_new0 (Pump, 1);
      pump->a = g_steal_pointer (&client);
      pump->b = g_steal_pointer (&server);
      pump->cancellable = g_object_ref (self->cancellable);
      g_thread_unref (g_thread_new ("sending-pump", pump_thread, pump));
    }
  return NULL;
}

SendingForwarder *
sending_forwarder_new (guint16 port,
                       guint16 target)
{
  g_autoptr(GSocket) listener = sending_silent_listener_new (G_SOCKET_FAMILY_IPV6, port);
  SendingForwarder *self;

  if (listener == NULL)
    return NULL;
  self = g_new0 (SendingForwarder, 1);
  self->listener = g_steal_pointer (&listener);
  self->target = target;
  self->cancellable = g_cancellable_new ();
  self->thread = g_thread_new ("sending-forwarder", forward_thread, self);
  return self;
}

void
sending_forwarder_free (SendingForwarder *self)
{
  if (self == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_thread_join (self->thread);
  g_socket_close (self->listener, NULL);
  g_object_unref (self->listener);
  g_object_unref (self->cancellable);
  g_free (self);
}

void
sending_test_init (int    *argc,
                   char ***argv)
{
  g_autoptr(McTestResolver) resolver = mc_test_resolver_new ();
  const char * const provider[] = { "127.0.0.1", NULL };

  g_test_init (argc, argv, NULL);
  /* Only the provider's name: a test maps any other it needs. */
  mc_test_resolver_add (resolver, SENDING_PROVIDER_HOST, provider);
  g_resolver_set_default (G_RESOLVER (resolver));
}
