/* mc-detect.c
 *
 * Probes every standard port of one host at once, without credentials, so the
 * whole search takes about as long as the slowest probe and a port that never
 * answers costs one timeout, not one per port.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-detect"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mc-check.h"
#include "mc-detect.h"
#include "mc-provider.h"
#include "mc-report.h"

/* The provider page's table: implicit TLS first within each protocol (RFC 8314). */
static const struct
{
  McProtocol protocol;
  guint16    port;
  McSecurity security;
} combinations[] = {
  { MC_PROTOCOL_POP3, 995, MC_SECURITY_TLS },
  { MC_PROTOCOL_POP3, 110, MC_SECURITY_STARTTLS },
  { MC_PROTOCOL_IMAP, 993, MC_SECURITY_TLS },
  { MC_PROTOCOL_IMAP, 143, MC_SECURITY_STARTTLS },
  { MC_PROTOCOL_SMTP, 465, MC_SECURITY_TLS },
  { MC_PROTOCOL_SMTP, 587, MC_SECURITY_STARTTLS },
  { MC_PROTOCOL_SMTP, 25, MC_SECURITY_STARTTLS },
};

G_DEFINE_BOXED_TYPE (McDetectResult, mc_detect_result, mc_detect_result_ref, mc_detect_result_unref)

McDetectResult *
mc_detect_result_ref (McDetectResult *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
mc_detect_result_unref (McDetectResult *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->host);
  g_ptr_array_unref (self->probes);
  g_free (self);
}

typedef struct
{
  McDetectResult *result;
  guint           pending;
} DetectData;

static void
detect_data_free (DetectData *data)
{
  g_clear_pointer (&data->result, mc_detect_result_unref);
  g_free (data);
}

static gboolean
probe_works (McResult *probe)
{
  return probe != NULL && probe->verdict != MC_VERDICT_FAILED;
}

static McResult *
find_probe (McDetectResult *result,
            McProtocol      protocol,
            guint16         port,
            McSecurity      security)
{
  for (guint i = 0; i < result->probes->len; i++)
    {
      McResult *probe = g_ptr_array_index (result->probes, i);

      if (probe->protocol == protocol && probe->port == port && probe->security == security)
        return probe;
    }
  return NULL;
}

/* The provider's recommendation when the host is the provider's and it
 * answered, else the first working entry of the table. A plaintext port that
 * does not offer STARTTLS has failed its probe and is never chosen. */
static void
recommend (McDetectResult *result)
{
  const McProvider *provider = mc_provider_lookup (result->host, NULL);

  result->provider_known = provider != NULL;
  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      if (provider != NULL)
        {
          const GArray *endpoints = mc_provider_get_endpoints (provider, protocol);

          for (guint i = 0; i < endpoints->len && result->recommended[protocol] == NULL; i++)
            {
              const McEndpoint *endpoint = &g_array_index (endpoints, McEndpoint, i);
              McResult *probe = find_probe (result, protocol, endpoint->port, endpoint->security);

              if (probe_works (probe))
                result->recommended[protocol] = probe;
            }
        }

      for (guint i = 0; i < result->probes->len && result->recommended[protocol] == NULL; i++)
        {
          McResult *probe = g_ptr_array_index (result->probes, i);

          if (probe->protocol == protocol && probe_works (probe))
            result->recommended[protocol] = probe;
        }
    }
}

static void
probe_done (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DetectData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(McResult) probe = mc_check_run_finish (MC_CHECK (object), res, &error);
  guint index = GPOINTER_TO_UINT (g_object_get_data (object, "mc-detect-index"));

  if (probe != NULL)
    {
      mc_result_unref (g_ptr_array_index (data->result->probes, index));
      g_ptr_array_index (data->result->probes, index) = g_steal_pointer (&probe);
    }

  if (--data->pending > 0)
    return;

  if (g_task_return_error_if_cancelled (task))
    return;

  recommend (data->result);
  g_task_return_pointer (task, mc_detect_result_ref (data->result),
                         (GDestroyNotify)mc_detect_result_unref);
}

/**
 * mc_detect_run_async:
 * @protocols: a mask of (1 << McProtocol), e.g. %MC_DETECT_ALL_PROTOCOLS
 * @timeout: seconds for each phase of each probe
 * @background: run the probes as background checks (mc_check_set_background())
 *
 * Probes every standard port and security mode of @host at once, without
 * credentials.
 */
void
mc_detect_run_async (const char          *host,
                     guint                protocols,
                     const char          *ca_file,
                     guint                timeout,
                     gboolean             background,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *ascii = NULL;
  DetectData *data;

  g_task_set_source_tag (task, mc_detect_run_async);

  ascii = mc_host_normalize (host, NULL, &error);
  if (ascii == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (DetectData, 1);
  data->result = g_new0 (McDetectResult, 1);
  g_atomic_ref_count_init (&data->result->ref_count);
  data->result->host = g_strdup (ascii);
  data->result->probes = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_result_unref);
  g_task_set_task_data (task, data, (GDestroyNotify)detect_data_free);

  for (guint i = 0; i < G_N_ELEMENTS (combinations); i++)
    {
      g_autoptr(McSettings) settings = NULL;
      g_autoptr(McCheck) check = NULL;
      McResult *placeholder;

      if (!(protocols & (1u << combinations[i].protocol)))
        continue;

      settings = mc_settings_new (combinations[i].protocol);
      mc_settings_set_host (settings, ascii);
      mc_settings_set_port (settings, combinations[i].port);
      mc_settings_set_security (settings, combinations[i].security);
      mc_settings_set_timeout (settings, timeout);
      mc_settings_set_ca_file (settings, ca_file);

      /* A stand-in until the probe reports, so the table keeps its order. */
      placeholder = mc_result_new ();
      placeholder->protocol = combinations[i].protocol;
      placeholder->port = combinations[i].port;
      placeholder->security = combinations[i].security;
      placeholder->host = g_strdup (ascii);
      placeholder->verdict = MC_VERDICT_FAILED;
      g_ptr_array_add (data->result->probes, placeholder);

      check = mc_check_new (settings);
      mc_check_set_background (check, background);
      g_object_set_data (G_OBJECT (check), "mc-detect-index",
                         GUINT_TO_POINTER (data->result->probes->len - 1));
      data->pending++;
      mc_check_run_async (check, cancellable, probe_done, g_object_ref (task));
    }

  if (data->pending == 0)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("No protocol to probe."));
}

McDetectResult *
mc_detect_run_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gint64
probe_ms (McResult *probe)
{
  gint64 ms = 0;

  for (guint i = 0; i < probe->steps->len; i++)
    ms += ((McStep *)g_ptr_array_index (probe->steps, i))->ms;
  return ms;
}

char *
mc_detect_result_to_json (McDetectResult *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "host");
  json_builder_add_string_value (builder, self->host);

  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->probes->len; i++)
    {
      McResult *probe = g_ptr_array_index (self->probes, i);
      g_autoptr(JsonNode) full = mc_report_build_json (probe);
      JsonObject *object = json_node_get_object (full);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "protocol");
      json_builder_add_string_value (builder, mc_protocol_to_string (probe->protocol));
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, probe->port);
      json_builder_set_member_name (builder, "security");
      json_builder_add_string_value (builder, mc_security_to_string (probe->security));
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, probe_works (probe) ? "ok" : "failed");
      json_builder_set_member_name (builder, "ms");
      json_builder_add_int_value (builder, probe_ms (probe));
      json_builder_set_member_name (builder, "advice");
      json_builder_add_value (builder, json_node_copy (json_object_get_member (object, "advice")));
      json_builder_set_member_name (builder, "certificate");
      if (probe->certificate != NULL)
        json_builder_add_value (builder,
                                json_node_copy (json_object_get_member (json_object_get_object_member (object, "tls"),
                                                                        "certificate")));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "recommended");
  json_builder_begin_object (builder);
  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      McResult *best = self->recommended[protocol];

      json_builder_set_member_name (builder, mc_protocol_to_string (protocol));
      if (best == NULL)
        {
          json_builder_add_null_value (builder);
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, best->port);
      json_builder_set_member_name (builder, "security");
      json_builder_add_string_value (builder, mc_security_to_string (best->security));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
mc_detect_result_to_text (McDetectResult *self)
{
  GString *out = g_string_new (NULL);

  /* Translators: %s is a server name */
  g_string_append_printf (out, _("Ports and security modes tried on %s:"), self->host);
  g_string_append (out, "\n\n");

  for (guint i = 0; i < self->probes->len; i++)
    {
      McResult *probe = g_ptr_array_index (self->probes, i);
      const char *status = probe_works (probe) ? _("works") : _("does not work");

      /* Translators: protocol, port, security mode, then "works" or "does not work" */
      g_string_append_printf (out, _("%-4s  port %-5u %-9s %s"), mc_protocol_display_name (probe->protocol),
                              probe->port, mc_security_display_name (probe->security), status);
      if (!probe_works (probe))
        {
          McStep *last = mc_result_last_step (probe);

          if (last != NULL && last->summary != NULL)
            g_string_append_printf (out, " — %s", last->summary);
        }
      g_string_append_c (out, '\n');
    }

  g_string_append_c (out, '\n');
  for (McProtocol protocol = 0; protocol < MC_N_PROTOCOLS; protocol++)
    {
      McResult *best = self->recommended[protocol];

      if (best == NULL)
        continue;
      /* Translators: "Recommended for IMAP: port 993 with SSL/TLS" */
      g_string_append_printf (out, _("Recommended for %s: port %u with %s\n"),
                              mc_protocol_display_name (protocol), best->port,
                              mc_security_display_name (best->security));
    }

  return g_string_free (out, FALSE);
}
