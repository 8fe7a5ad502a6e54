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
#include "mc-json.h"
#include "mc-provider.h"
#include "mc-report.h"

/* Every standard port of each protocol, implicit TLS first (RFC 8314). For the
 * provider's own server only its published ones are ever recommended. */
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

/* The profile whose published settings apply: the host is the provider's server. */
static const McProvider *
provider_of_server (const char *host)
{
  const McProvider *provider = mc_provider_lookup (host, NULL);

  if (provider == NULL || g_ascii_strcasecmp (host, mc_provider_get_server (provider)) != 0)
    return NULL;
  return provider;
}

/* The provider's recommendation when the host is the provider's server (the
 * first published setting that answered, never an unpublished one), else the
 * first working entry of the table. A plaintext port that does not offer
 * STARTTLS has failed its probe and is never chosen. */
static void
recommend (McDetectResult *result)
{
  const McProvider *provider = provider_of_server (result->host);

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
          continue;
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
      /* A search never logs in, and says so once for the whole table; a row
       * is not told to enter a password. */
      mc_result_remove_advice (probe, "login-not-tested");
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
      /* Every port is tried at once already: no probes after a failure. */
      mc_check_set_probes_after_failure (check, FALSE);
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

McDetectState
mc_detect_result_get_state (McDetectResult *self,
                            McResult       *probe)
{
  const McProvider *provider = provider_of_server (self->host);

  if (probe_works (probe))
    return provider != NULL && !mc_provider_is_usable (provider, probe->protocol, probe->port, probe->security)
      ? MC_DETECT_ANSWERS_UNPUBLISHED : MC_DETECT_ANSWERS;
  if (mc_result_has_advice (probe, "host-not-found"))
    return MC_DETECT_NOT_FOUND;
  if (mc_result_has_advice (probe, "connection-refused"))
    return MC_DETECT_REFUSED;
  if (mc_result_has_advice (probe, "port-blocked"))
    return MC_DETECT_SILENT;
  return MC_DETECT_FAILED;
}

/* A few words for a row of the search: what a probe showed, without a login
 * ("answers and encrypts", never "works"). */
char *
mc_detect_state_describe (McDetectResult *self,
                          McResult       *probe)
{
  const McProvider *provider = provider_of_server (self->host);
  McStep *last;

  switch (mc_detect_result_get_state (self, probe))
    {
    case MC_DETECT_ANSWERS:
      return g_strdup (_("Answers and encrypts"));
    case MC_DETECT_ANSWERS_UNPUBLISHED:
      /* Translators: %s is the provider's name (Netzprisma) */
      return g_strdup_printf (_("Answers, but is not among %s’s published settings"), mc_provider_get_name (provider));
    case MC_DETECT_NOT_FOUND:
      return g_strdup (_("Server name not found"));
    case MC_DETECT_REFUSED:
      return g_strdup (_("Refused: nothing listens on this port"));
    case MC_DETECT_SILENT:
      return g_strdup (_("No answer"));
    case MC_DETECT_FAILED:
    default:
      last = mc_result_last_step (probe);
      if (last != NULL && last->summary != NULL && last->summary[0] != '\0')
        /* Translators: %s is the engine's one-sentence reason, e.g. "The server did not greet like an IMAP server." */
        return g_strdup_printf (_("Does not work: %s"), last->summary);
      return g_strdup (_("Does not work"));
    }
}

void
mc_detect_summary_free (McDetectSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->text);
  g_free (summary->fix_host);
  g_free (summary);
}

/* When no probe worked: one summary of what the search found out, instead of
 * the same error on every row. @address: the user's e-mail address, or NULL;
 * the provider's server is offered to its customers who entered another name.
 * NULL when something worked. */
McDetectSummary *
mc_detect_result_summarize (McDetectResult *self,
                            const char     *address)
{
  const McProvider *provider = mc_provider_lookup (self->host, address);
  McDetectSummary *summary;
  const char *resolved = NULL;
  guint counts[MC_DETECT_FAILED + 1] = { 0 };
  guint n = self->probes->len;

  for (guint i = 0; i < n; i++)
    {
      McResult *probe = g_ptr_array_index (self->probes, i);

      counts[mc_detect_result_get_state (self, probe)]++;
      if (probe->address != NULL)
        resolved = probe->address;
    }
  if (n == 0 || counts[MC_DETECT_ANSWERS] + counts[MC_DETECT_ANSWERS_UNPUBLISHED] > 0)
    return NULL;

  summary = g_new0 (McDetectSummary, 1);
  if (counts[MC_DETECT_NOT_FOUND] == n)
    /* Translators: %s is a server name */
    summary->text = g_strdup_printf (_("The name “%s” could not be found, so no port could be tried. Check the "
                                       "spelling in Server."), self->host);
  else if (counts[MC_DETECT_REFUSED] == n)
    /* Translators: the first %s is a server name, the second its IP address */
    summary->text = g_strdup_printf (_("“%s” was found (%s), but it refused every mail port: it is probably not "
                                       "a mail server. Check the name in Server."), self->host, resolved);
  else if (counts[MC_DETECT_SILENT] == n)
    /* Translators: the first %s is a server name, the second its IP address */
    summary->text = g_strdup_printf (_("“%s” was found (%s), but no mail port answered at all. A firewall or "
                                       "this network probably blocks mail connections, or the server is down. "
                                       "Try another network, or try again later."),
                                     self->host, resolved);
  else
    /* Translators: the first %s is a server name, the second its IP address */
    summary->text = g_strdup_printf (_("“%s” was found (%s), but none of its mail ports answered as expected. "
                                       "The rows below say what each one did."),
                                     self->host, resolved ? resolved : "?");

  if (provider != NULL && g_ascii_strcasecmp (self->host, mc_provider_get_server (provider)) != 0)
    summary->fix_host = g_strdup (mc_provider_get_server (provider));
  return summary;
}

static gint64
probe_ms (McResult *probe)
{
  gint64 ms = 0;

  for (guint i = 0; i < probe->steps->len; i++)
    ms += ((McStep *)g_ptr_array_index (probe->steps, i))->ms;
  return ms;
}

/* One row of the table, with the advice and the certificate of the probe's
 * own report. */
static void
build_probe (JsonBuilder    *builder,
             McDetectResult *self,
             McResult       *probe)
{
  static const char * const state_names[] = { "answers", "answers-unpublished", "not-found", "refused", "silent",
                                              "failed" };
  g_autoptr(JsonNode) full = mc_report_build_json (probe);
  JsonObject *object = json_node_get_object (full);

  json_builder_begin_object (builder);
  mc_json_add_string (builder, "protocol", mc_protocol_to_string (probe->protocol));
  mc_json_add_int (builder, "port", probe->port);
  mc_json_add_string (builder, "security", mc_security_to_string (probe->security));
  mc_json_add_string (builder, "status", probe_works (probe) ? "ok" : "failed");
  mc_json_add_string (builder, "state", state_names[mc_detect_result_get_state (self, probe)]);
  mc_json_add_int (builder, "ms", probe_ms (probe));
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

static void
add_recommended (JsonBuilder    *builder,
                 McDetectResult *self)
{
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
      mc_json_add_int (builder, "port", best->port);
      mc_json_add_string (builder, "security", mc_security_to_string (best->security));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

char *
mc_detect_result_to_json (McDetectResult *self)
{
  g_autoptr(McDetectSummary) summary = mc_detect_result_summarize (self, NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  mc_json_add_string (builder, "host", self->host);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->probes->len; i++)
    build_probe (builder, self, g_ptr_array_index (self->probes, i));
  json_builder_end_array (builder);
  add_recommended (builder, self);
  mc_json_add_optional_string (builder, "summary", summary != NULL ? summary->text : NULL);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return mc_json_to_string (root);
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
      g_autofree char *status = mc_detect_state_describe (self, probe);

      /* Translators: protocol, port, security mode, then what the probe found */
      g_string_append_printf (out, _("%-4s  port %-5u %-9s %s"), mc_protocol_display_name (probe->protocol),
                              probe->port, mc_security_display_name (probe->security), status);
      g_string_append_c (out, '\n');
    }

  {
    g_autoptr(McDetectSummary) summary = mc_detect_result_summarize (self, NULL);

    if (summary != NULL)
      g_string_append_printf (out, "\n%s\n", summary->text);
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
