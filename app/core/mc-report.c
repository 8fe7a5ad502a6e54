/* mc-report.c
 *
 * Everything here is built from the result, which never holds a password: the
 * transcript was redacted as it was written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include "mc-certificate.h"
#include "mc-json.h"
#include "mc-report.h"

/* The headline of a result, the same in the window, the CLI and the report. */
const char *
mc_result_get_headline (McResult *result)
{
  switch (mc_result_get_outcome (result))
    {
    case MC_OUTCOME_WORKS:
      return _("The connection works.");
    case MC_OUTCOME_WORKS_WITH_WARNINGS:
      return _("The connection works, with warnings.");
    case MC_OUTCOME_LOGIN_NOT_TESTED:
      if (result->tls_version != NULL)
        return _("Server reachable and encrypted — login not tested");
      return _("Server reachable, but not encrypted — login not tested");
    case MC_OUTCOME_FAILED:
    default:
      if (mc_result_sending_refused (result))
        return _("The login works, but this address may not send.");
      return _("The connection does not work.");
    }
}

const char *
mc_outcome_to_string (McOutcome outcome)
{
  static const char * const names[] = { "works", "works-with-warnings", "login-not-tested", "failed" };

  return mc_enum_name (names, G_N_ELEMENTS (names), outcome);
}

char *
mc_format_date (GDateTime *date)
{
  if (date == NULL)
    return NULL;
  return g_date_time_format_iso8601 (date);
}

/* GIO's connectivity as reports write it. */
static const char *
connectivity_name (GNetworkConnectivity connectivity)
{
  switch (connectivity)
    {
    case G_NETWORK_CONNECTIVITY_LOCAL:
      return "local";
    case G_NETWORK_CONNECTIVITY_LIMITED:
      return "limited";
    case G_NETWORK_CONNECTIVITY_PORTAL:
      return "portal";
    case G_NETWORK_CONNECTIVITY_FULL:
      return "full";
    default:
      return NULL;
    }
}

static const char *
family_status_words (const char *status)
{
  if (g_strcmp0 (status, "ok") == 0)
    return C_("address family", "works");
  if (g_strcmp0 (status, "refused") == 0)
    return C_("address family", "connection refused");
  if (g_strcmp0 (status, "no-answer") == 0)
    return C_("address family", "no answer");
  if (g_strcmp0 (status, "stalled") == 0)
    return C_("address family", "stopped answering after connecting");
  return C_("address family", "failed");
}

static const char *
status_mark (McStepStatus status)
{
  switch (status)
    {
    case MC_STEP_STATUS_OK:
      return "✓";
    case MC_STEP_STATUS_WARNING:
      return "!";
    case MC_STEP_STATUS_FAILED:
      return "✗";
    case MC_STEP_STATUS_SKIPPED:
      return "–";
    case MC_STEP_STATUS_RUNNING:
    default:
      return "…";
    }
}

static void
append_list (GString    *out,
             const char *label,
             GPtrArray  *items)
{
  if (items->len == 0)
    return;
  g_string_append_printf (out, "%s ", label);
  for (guint i = 0; i < items->len; i++)
    g_string_append_printf (out, i ? " %s" : "%s", (const char *)g_ptr_array_index (items, i));
  g_string_append_c (out, '\n');
}

/* What was tested, and where: the lines before the headline. */
static void
append_text_header (GString        *out,
                    McResult       *result,
                    const McClient *client)
{
  /* Translators: %s is a protocol (IMAP), then server name, port and security mode */
  g_string_append_printf (out, _("%s test of %s, port %u, security %s"),
                          mc_protocol_display_name (result->protocol),
                          result->host ? result->host : "?",
                          result->port,
                          mc_security_display_name (result->security));
  g_string_append_c (out, '\n');
  if (result->host_ascii != NULL && g_strcmp0 (result->host, result->host_ascii) != 0)
    g_string_append_printf (out, _("Server name as sent: %s\n"), result->host_ascii);
  if (result->user != NULL && result->user[0] != '\0')
    g_string_append_printf (out, _("User name: %s\n"), result->user);
  if (result->address != NULL && mc_result_get_address_family (result) != NULL)
    /* Translators: %s is an IP address, followed by IPv4 or IPv6 */
    g_string_append_printf (out, _("IP address: %s (%s)\n"), result->address,
                            g_str_equal (mc_result_get_address_family (result), "ipv6") ? "IPv6" : "IPv4");
  else if (result->address != NULL)
    g_string_append_printf (out, _("IP address: %s\n"), result->address);
  if (result->ipv4_status != NULL && result->ipv6_status != NULL)
    /* Translators: what each address family did; each %s is a word such as "works" or "refused" */
    g_string_append_printf (out, _("IPv4: %s; IPv6: %s\n"), family_status_words (result->ipv4_status),
                            family_status_words (result->ipv6_status));
  if (result->envelope_address != NULL)
    /* Translators: %s is an e-mail address */
    g_string_append_printf (out, _("Sender address tested: %s\n"), result->envelope_address);
  if (connectivity_name (result->connectivity) != NULL &&
      result->connectivity != G_NETWORK_CONNECTIVITY_FULL)
    /* Translators: %s is limited, local or portal, as GIO's network monitor says it (not translated) */
    g_string_append_printf (out, _("Network as this computer reports it: %s\n"),
                            connectivity_name (result->connectivity));
  if (client != NULL)
    /* Translators: %s is the name of a mail program, e.g. Thunderbird */
    g_string_append_printf (out, _("Mail program: %s\n"), mc_client_get_name (client));
  if (result->ca_file != NULL)
    /* Translators: %s is a file name */
    g_string_append_printf (out, _("Trusted certificate authorities: only those in %s, not the system’s\n"),
                            result->ca_file);
}

/* The headline, then what the server had to say to its users. */
static void
append_text_headline (GString  *out,
                      McResult *result)
{
  g_string_append_printf (out, "%s\n", mc_result_get_headline (result));
  for (guint i = 0; i < result->alerts->len; i++)
    {
      McServerAlert *alert = g_ptr_array_index (result->alerts, i);

      if (alert->before_tls)
        /* Translators: %s is a message from the mail server, in its own words */
        g_string_append_printf (out, _("Message from the server (unencrypted, could be forged): %s\n"), alert->text);
      else
        /* Translators: %s is a message from the mail server, in its own words */
        g_string_append_printf (out, _("Message from the server: %s\n"), alert->text);
    }
  g_string_append_c (out, '\n');
}

static void
append_text_steps (GString  *out,
                   McResult *result)
{
  for (guint i = 0; i < result->steps->len; i++)
    {
      McStep *step = g_ptr_array_index (result->steps, i);

      g_string_append_printf (out, "%s %s (%" G_GINT64_FORMAT " ms)", status_mark (step->status),
                              mc_step_id_display_name (step->id), step->ms);
      if (step->summary != NULL)
        g_string_append_printf (out, ": %s", step->summary);
      g_string_append_c (out, '\n');
      if (step->server != NULL)
        {
          if (step->server_before_tls)
            g_string_append_printf (out, _("    Server (unencrypted, could be forged): %s\n"), step->server);
          else
            g_string_append_printf (out, _("    Server: %s\n"), step->server);
        }
    }
}

/* A fix in the words of the customer's mail program, under its advice. */
static void
append_text_client_steps (GString        *out,
                          const McClient *client,
                          GStrv           steps)
{
  if (steps == NULL || steps[0] == NULL)
    return;

  if (g_str_equal (mc_client_get_id (client), "other"))
    g_string_append_printf (out, "  %s\n", _("In your mail program:"));
  else
    {
      g_string_append (out, "  ");
      /* Translators: %s is the name of a mail program, e.g. Thunderbird; the steps follow */
      g_string_append_printf (out, _("In %s:"), mc_client_get_name (client));
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; steps[i] != NULL; i++)
    g_string_append_printf (out, "    %s\n", steps[i]);
}

static void
append_text_advice (GString        *out,
                    McResult       *result,
                    const McClient *client)
{
  if (result->advice->len == 0)
    return;

  g_string_append_printf (out, "\n%s\n", _("What to do:"));
  for (guint i = 0; i < result->advice->len; i++)
    {
      McAdvice *advice = g_ptr_array_index (result->advice, i);
      g_auto(GStrv) steps = client ? mc_client_steps_for_advice (client, result, advice) : NULL;

      g_string_append_printf (out, "• %s [%s]\n", advice->text, advice->code);
      append_text_client_steps (out, client, steps);
    }
}

/* The negotiated encryption, and a certificate that was replaced on the way. */
static void
append_text_tls (GString  *out,
                 McResult *result)
{
  if (result->tls_version != NULL || result->certificate != NULL)
    g_string_append_c (out, '\n');
  if (result->tls_version != NULL)
    g_string_append_printf (out, _("Encryption: %s, %s\n"), result->tls_version,
                            result->tls_cipher ? result->tls_cipher : "?");
  if (result->tls_alert != NULL)
    /* Translators: %s is the name of a TLS alert, e.g. "Internal error" */
    g_string_append_printf (out, _("TLS alert from the server: %s\n"), result->tls_alert);
  if (result->tls_intercepted && result->tls_interceptor != NULL)
    /* Translators: the first %s is the name of a certificate authority, the second a product, e.g. ESET */
    g_string_append_printf (out, _("Certificate replaced on the way: issued by “%s” (%s)\n"),
                            result->tls_intercept_issuer ? result->tls_intercept_issuer : "?",
                            result->tls_interceptor);
  else if (result->tls_intercepted)
    /* Translators: %s is the name of a certificate authority */
    g_string_append_printf (out, _("Certificate replaced on the way: issued by “%s”\n"),
                            result->tls_intercept_issuer ? result->tls_intercept_issuer : "?");
}

static void
append_text_certificate (GString           *out,
                         McCertificateInfo *info)
{
  g_autofree char *from = mc_format_date (info->not_before);
  g_autofree char *until = mc_format_date (info->not_after);
  g_autofree char *names = mc_certificate_format_names (info);

  g_string_append_printf (out, _("Certificate subject: %s\n"), info->subject ? info->subject : "");
  g_string_append_printf (out, _("Certificate issuer: %s\n"), info->issuer ? info->issuer : "");
  g_string_append_printf (out, _("Valid for names: %s\n"), names);
  g_string_append_printf (out, _("Valid from %s until %s\n"), from ? from : "?", until ? until : "?");
  g_string_append_printf (out, _("SHA-256 fingerprint: %s\n"), info->sha256 ? info->sha256 : "?");
  for (guint i = 0; info->problems != NULL && info->problems[i] != NULL; i++)
    g_string_append_printf (out, _("Certificate problem: %s\n"),
                            mc_certificate_problem_describe (info->problems[i]));
}

static void
append_text_transcript (GString  *out,
                        McResult *result)
{
  if (result->transcript->len == 0)
    return;

  g_string_append_printf (out, "\n%s\n", _("Transcript (passwords hidden):"));
  for (guint i = 0; i < result->transcript->len; i++)
    {
      McTranscriptLine *line = g_ptr_array_index (result->transcript, i);

      g_string_append_printf (out, "  %s%c: %s\n", line->encrypted ? "" : "[plain] ",
                              line->direction, line->text);
    }
  if (result->transcript_omitted > 0)
    {
      g_string_append (out, "  ");
      g_string_append_printf (out, ngettext ("… %u more line not shown", "… %u more lines not shown",
                                             result->transcript_omitted),
                              result->transcript_omitted);
      g_string_append_c (out, '\n');
    }
}

char *
mc_report_to_text (McResult *result,
                   gboolean  with_transcript)
{
  return mc_report_to_text_for_client (result, NULL, with_transcript);
}

/**
 * mc_report_to_text_for_client:
 * @client: (nullable): the customer's mail program: each fix comes with the
 *   steps in its words
 */
char *
mc_report_to_text_for_client (McResult       *result,
                              const McClient *client,
                              gboolean        with_transcript)
{
  GString *out = g_string_new (NULL);

  append_text_header (out, result, client);
  append_text_headline (out, result);
  append_text_steps (out, result);
  append_text_advice (out, result, client);
  append_text_tls (out, result);
  if (result->certificate != NULL)
    append_text_certificate (out, result->certificate);

  if (result->caps_before->len > 0 || result->caps_after->len > 0)
    g_string_append_c (out, '\n');
  append_list (out, _("Capabilities before encryption:"), result->caps_before);
  append_list (out, _("Capabilities after encryption:"), result->caps_after);

  if (with_transcript)
    append_text_transcript (out, result);

  return g_string_free (out, FALSE);
}

static void
add_string_array (JsonBuilder *builder,
                  const char  *name,
                  GPtrArray   *items)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; items != NULL && i < items->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (items, i));
  json_builder_end_array (builder);
}

static void
add_strv (JsonBuilder *builder,
          const char  *name,
          GStrv        items)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    json_builder_add_string_value (builder, items[i]);
  json_builder_end_array (builder);
}

static void
build_certificate (JsonBuilder       *builder,
                   McCertificateInfo *info)
{
  g_autofree char *from = mc_format_date (info->not_before);
  g_autofree char *until = mc_format_date (info->not_after);

  json_builder_begin_object (builder);
  mc_json_add_optional_string (builder, "subject", info->subject);
  mc_json_add_optional_string (builder, "issuer", info->issuer);
  add_strv (builder, "names", info->names);
  mc_json_add_int (builder, "names_omitted", info->names_omitted);
  mc_json_add_optional_string (builder, "not_before", from);
  mc_json_add_optional_string (builder, "not_after", until);
  mc_json_add_optional_string (builder, "sha256", info->sha256);
  add_strv (builder, "problems", info->problems);
  json_builder_end_object (builder);
}

static void
add_steps (JsonBuilder *builder,
           McResult    *result)
{
  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->steps->len; i++)
    {
      McStep *step = g_ptr_array_index (result->steps, i);

      json_builder_begin_object (builder);
      mc_json_add_string (builder, "id", mc_step_id_to_string (step->id));
      mc_json_add_string (builder, "status", mc_step_status_to_string (step->status));
      mc_json_add_int (builder, "ms", step->ms);
      mc_json_add_optional_string (builder, "summary", step->summary);
      mc_json_add_optional_string (builder, "server", step->server);
      if (step->server != NULL)
        mc_json_add_boolean (builder, "server_before_tls", step->server_before_tls);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_address_families (JsonBuilder *builder,
                      McResult    *result)
{
  json_builder_set_member_name (builder, "address_families");
  json_builder_begin_object (builder);
  mc_json_add_optional_string (builder, "ipv4", result->ipv4_status);
  mc_json_add_optional_string (builder, "ipv6", result->ipv6_status);
  json_builder_end_object (builder);
}

static void
add_client (JsonBuilder    *builder,
            const McClient *client)
{
  json_builder_set_member_name (builder, "client");
  if (client == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  mc_json_add_string (builder, "id", mc_client_get_id (client));
  mc_json_add_string (builder, "name", mc_client_get_name (client));
  json_builder_end_object (builder);
}

/* null unless a TLS handshake got an answer: a version, a certificate or an alert. */
static void
add_tls (JsonBuilder *builder,
         McResult    *result)
{
  json_builder_set_member_name (builder, "tls");
  if (result->tls_version == NULL && result->certificate == NULL && result->tls_alert == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  mc_json_add_optional_string (builder, "version", result->tls_version);
  mc_json_add_optional_string (builder, "cipher", result->tls_cipher);
  if (result->tls_alert != NULL)
    mc_json_add_optional_string (builder, "alert", result->tls_alert);
  mc_json_add_boolean (builder, "intercepted", result->tls_intercepted);
  if (result->tls_intercepted)
    {
      mc_json_add_optional_string (builder, "intercepted_by", result->tls_interceptor);
      mc_json_add_optional_string (builder, "intercept_issuer", result->tls_intercept_issuer);
    }
  json_builder_set_member_name (builder, "certificate");
  if (result->certificate != NULL)
    build_certificate (builder, result->certificate);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

static void
add_capabilities (JsonBuilder *builder,
                  McResult    *result)
{
  json_builder_set_member_name (builder, "capabilities");
  json_builder_begin_object (builder);
  add_string_array (builder, "before_tls", result->caps_before);
  add_string_array (builder, "after_tls", result->caps_after);
  json_builder_end_object (builder);
}

static void
add_auth (JsonBuilder *builder,
          McResult    *result)
{
  json_builder_set_member_name (builder, "auth");
  json_builder_begin_object (builder);
  add_string_array (builder, "offered", result->auth_offered);
  mc_json_add_optional_string (builder, "used", result->auth_used);
  mc_json_add_string (builder, "result", mc_auth_result_to_string (result->auth_result));
  json_builder_end_object (builder);
}

/* Only the parts of the settings that the advice changes. */
static void
add_fix (JsonBuilder    *builder,
         const McAdvice *advice)
{
  if (advice->fix_security < 0 && advice->fix_port == 0 && advice->fix_host == NULL && advice->fix_user == NULL)
    return;

  json_builder_set_member_name (builder, "fix");
  json_builder_begin_object (builder);
  if (advice->fix_security >= 0)
    mc_json_add_string (builder, "security", mc_security_to_string (advice->fix_security));
  if (advice->fix_port != 0)
    mc_json_add_int (builder, "port", advice->fix_port);
  if (advice->fix_host != NULL)
    mc_json_add_string (builder, "host", advice->fix_host);
  if (advice->fix_user != NULL)
    mc_json_add_string (builder, "user", advice->fix_user);
  json_builder_end_object (builder);
}

static void
build_advice (JsonBuilder    *builder,
              McResult       *result,
              McAdvice       *advice,
              const McClient *client)
{
  json_builder_begin_object (builder);
  mc_json_add_string (builder, "code", advice->code);
  mc_json_add_string (builder, "text", advice->text);
  if (advice->field != NULL)
    mc_json_add_string (builder, "field", advice->field);
  if (client != NULL)
    {
      g_auto(GStrv) steps = mc_client_steps_for_advice (client, result, advice);

      add_strv (builder, "client_steps", steps);
    }
  add_fix (builder, advice);
  json_builder_end_object (builder);
}

static void
add_advice (JsonBuilder    *builder,
            McResult       *result,
            const McClient *client)
{
  json_builder_set_member_name (builder, "advice");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->advice->len; i++)
    build_advice (builder, result, g_ptr_array_index (result->advice, i), client);
  json_builder_end_array (builder);
}

static void
add_alerts (JsonBuilder *builder,
            McResult    *result)
{
  json_builder_set_member_name (builder, "alerts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->alerts->len; i++)
    {
      McServerAlert *alert = g_ptr_array_index (result->alerts, i);

      json_builder_begin_object (builder);
      mc_json_add_string (builder, "text", alert->text);
      mc_json_add_boolean (builder, "before_tls", alert->before_tls);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_transcript (JsonBuilder *builder,
                McResult    *result)
{
  json_builder_set_member_name (builder, "transcript");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->transcript->len; i++)
    {
      McTranscriptLine *line = g_ptr_array_index (result->transcript, i);
      g_autofree char *text = g_strdup_printf ("%c: %s", line->direction, line->text);

      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);
  mc_json_add_int (builder, "transcript_omitted", result->transcript_omitted);
}

/* Every string in a result has been made valid UTF-8 when it was stored, so the
 * JSON is valid whatever the server sent. */
JsonNode *
mc_report_build_json (McResult *result)
{
  return mc_report_build_json_for_client (result, NULL);
}

JsonNode *
mc_report_build_json_for_client (McResult       *result,
                                 const McClient *client)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  mc_json_add_string (builder, "protocol", mc_protocol_to_string (result->protocol));
  mc_json_add_optional_string (builder, "host", result->host);
  mc_json_add_int (builder, "port", result->port);
  mc_json_add_string (builder, "security", mc_security_to_string (result->security));
  /* The user name as the text report shows it (made safe where it enters); never the password. */
  mc_json_add_optional_string (builder, "user", result->user != NULL && result->user[0] != '\0' ? result->user : NULL);
  mc_json_add_string (builder, "verdict", mc_verdict_to_string (result->verdict));
  mc_json_add_string (builder, "outcome", mc_outcome_to_string (mc_result_get_outcome (result)));
  mc_json_add_string (builder, "headline", mc_result_get_headline (result));
  add_steps (builder, result);
  mc_json_add_optional_string (builder, "address", result->address);
  mc_json_add_optional_string (builder, "address_family", mc_result_get_address_family (result));
  add_address_families (builder, result);
  mc_json_add_optional_string (builder, "network", connectivity_name (result->connectivity));
  mc_json_add_optional_string (builder, "envelope_address", result->envelope_address);
  mc_json_add_optional_string (builder, "ca_file", result->ca_file);
  add_client (builder, client);
  add_tls (builder, result);
  add_capabilities (builder, result);
  add_auth (builder, result);
  add_advice (builder, result, client);
  add_alerts (builder, result);
  add_transcript (builder, result);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
mc_report_to_json (McResult *result)
{
  g_autoptr(JsonNode) root = mc_report_build_json (result);

  return mc_json_to_string (root);
}
