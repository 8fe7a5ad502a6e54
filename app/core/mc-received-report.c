/* mc-received-report.c
 *
 * The words about a delivery path: a sentence for each hop's verdict, the
 * summary in plain words (built once, when the report is parsed), and the JSON
 * and the text for the command line and the support report. Recipient
 * addresses (for <…>) never go into any of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-received"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mc-json.h"
#include "mc-received-private.h"

/* Words ------------------------------------------------------------------------ */

const char *
mc_received_verdict_to_string (McReceivedVerdict verdict)
{
  static const char * const names[] = {
    "encrypted", "encrypted-weak", "not-encrypted", "unknown", "internal",
  };

  return mc_enum_name (names, G_N_ELEMENTS (names), verdict);
}

const char *
mc_received_verdict_display_name (McReceivedVerdict verdict)
{
  switch (verdict)
    {
    case MC_RECEIVED_VERDICT_ENCRYPTED:
      return C_("delivery hop", "Encrypted");
    case MC_RECEIVED_VERDICT_ENCRYPTED_WEAK:
      return C_("delivery hop", "Encrypted, weak");
    case MC_RECEIVED_VERDICT_NOT_ENCRYPTED:
      return C_("delivery hop", "Not encrypted");
    case MC_RECEIVED_VERDICT_UNKNOWN:
      return C_("delivery hop", "Unknown");
    case MC_RECEIVED_VERDICT_INTERNAL:
      return C_("delivery hop", "Internal");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
mc_received_certificate_to_string (McReceivedCertificate certificate)
{
  static const char * const names[] = { NULL, "verified", "not-verified", "failed" };

  return mc_enum_name (names, G_N_ELEMENTS (names), certificate);
}

const char *
mc_received_protection_to_string (McReceivedProtection protection)
{
  static const char * const names[] = {
    "none", "pgp-encrypted", "pgp-signed", "smime-encrypted", "smime-signed",
  };

  return mc_enum_name (names, G_N_ELEMENTS (names), protection);
}

const char *
mc_received_trust_display_name (gboolean trusted)
{
  return trusted ? _("Recorded by Netzprisma") : _("Claimed by the previous server");
}

char *
mc_received_hop_describe (const McReceivedHop *hop)
{
  GString *out = g_string_new (NULL);

  switch (hop->verdict)
    {
    case MC_RECEIVED_VERDICT_ENCRYPTED:
      if (hop->tls_version != NULL)
        /* Translators: %s is a TLS version such as “TLS 1.3” */
        g_string_append_printf (out, _("Encrypted with %s."), hop->tls_version);
      else
        g_string_append (out, _("Encrypted; the TLS version was not recorded."));
      break;
    case MC_RECEIVED_VERDICT_ENCRYPTED_WEAK:
      /* Translators: %s is a TLS or SSL version such as “TLS 1.0” */
      g_string_append_printf (out, _("Encrypted, but only with the outdated %s."),
                              hop->tls_version ? hop->tls_version : "SSL");
      break;
    case MC_RECEIVED_VERDICT_NOT_ENCRYPTED:
      g_string_append (out, _("Not encrypted: this server records TLS and recorded none for this "
                              "hop."));
      break;
    case MC_RECEIVED_VERDICT_INTERNAL:
      g_string_append (out, _("Internal: handed on within one server or one provider, not over the "
                              "Internet."));
      break;
    case MC_RECEIVED_VERDICT_UNKNOWN:
    default:
      g_string_append (out, _("The line does not say whether this hop was encrypted."));
      break;
    }

  if (hop->verdict == MC_RECEIVED_VERDICT_ENCRYPTED ||
      hop->verdict == MC_RECEIVED_VERDICT_ENCRYPTED_WEAK)
    {
      if (hop->certificate == MC_RECEIVED_CERTIFICATE_NOT_VERIFIED)
        {
          g_string_append_c (out, ' ');
          g_string_append (out, _("The certificate was not verified."));
        }
      else if (hop->certificate == MC_RECEIVED_CERTIFICATE_FAILED)
        {
          g_string_append_c (out, ' ');
          g_string_append (out, _("The certificate check failed."));
        }
    }
  return g_string_free (out, FALSE);
}

/* The server that handed the message on, in the words the receiving server
 * used: the name it looked up, else the greeting name, else the address. */
static const char *
hop_sender (const McReceivedHop *hop)
{
  if (hop->from_host != NULL)
    return hop->from_host;
  if (hop->from != NULL && !(hop->from[0] == '[' && hop->from_address != NULL) &&
      g_ascii_strcasecmp (hop->from, "unknown") != 0)
    return hop->from;
  if (hop->from_address != NULL)
    return hop->from_address;
  return hop->from ? hop->from : "?";
}

static void
append_sentence (GString    *out,
                 const char *sentence)
{
  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, sentence);
}

static void
append_entry_sentence (GString             *out,
                       const McReceivedHop *entry)
{
  const char *sender = hop_sender (entry);
  const char *version = entry->tls_version ? entry->tls_version : "SSL";
  g_autofree char *sentence = NULL;

  switch (entry->verdict)
    {
    case MC_RECEIVED_VERDICT_ENCRYPTED:
      if (entry->tls_version != NULL)
        /* Translators: first %s: a server name; second %s: a TLS version (“TLS 1.3”) */
        sentence = g_strdup_printf (_("The way from %s to Netzprisma was encrypted with %s, "
                                      "as recorded by Netzprisma."),
                                    sender, version);
      else
        /* Translators: %s is a server name */
        sentence = g_strdup_printf (_("The way from %s to Netzprisma was encrypted, as "
                                      "recorded by Netzprisma; the TLS version was not "
                                      "recorded."),
                                    sender);
      break;
    case MC_RECEIVED_VERDICT_ENCRYPTED_WEAK:
      /* Translators: first %s: a server name; second %s: a TLS version (“TLS 1.0”) */
      sentence = g_strdup_printf (_("The way from %s to Netzprisma was encrypted, but only "
                                    "with the outdated %s, as recorded by Netzprisma."),
                                  sender, version);
      break;
    case MC_RECEIVED_VERDICT_NOT_ENCRYPTED:
      /* Translators: %s is a server name */
      sentence = g_strdup_printf (_("The way from %s to Netzprisma was not encrypted, as "
                                    "recorded by Netzprisma."),
                                  sender);
      break;
    case MC_RECEIVED_VERDICT_UNKNOWN:
    case MC_RECEIVED_VERDICT_INTERNAL:
    default:
      /* Translators: %s is a server name */
      sentence = g_strdup_printf (_("Netzprisma’s record does not say whether the way from %s "
                                    "to Netzprisma was encrypted."),
                                  sender);
      break;
    }
  append_sentence (out, sentence);

  if (entry->certificate == MC_RECEIVED_CERTIFICATE_NOT_VERIFIED)
    append_sentence (out, _("The record also says that the certificate was not verified: "
                            "the connection was encrypted, but the other side was not "
                            "authenticated."));
  else if (entry->certificate == MC_RECEIVED_CERTIFICATE_FAILED)
    append_sentence (out, _("The record also says that the certificate check failed: the "
                            "connection was encrypted, but the other side was not "
                            "authenticated."));
}

static const char *
protection_sentence (McReceivedProtection protection)
{
  switch (protection)
    {
    case MC_RECEIVED_PROTECTION_PGP_ENCRYPTED:
      return _("The message itself is encrypted with PGP: its content stays protected on "
               "every server.");
    case MC_RECEIVED_PROTECTION_PGP_SIGNED:
      return _("The message is signed with PGP: changes to its content can be detected, but "
               "it is not encrypted.");
    case MC_RECEIVED_PROTECTION_SMIME_ENCRYPTED:
      return _("The message itself is encrypted with S/MIME: its content stays protected on "
               "every server.");
    case MC_RECEIVED_PROTECTION_SMIME_SIGNED:
      return _("The message is signed with S/MIME: changes to its content can be detected, "
               "but it is not encrypted.");
    case MC_RECEIVED_PROTECTION_NONE:
    default:
      return _("According to its header, the message itself is not encrypted with PGP or "
               "S/MIME.");
    }
}

/* The entry into the provider is the oldest of the provider's own lines that
 * is not internal: the connection from the outside world. */
char *
mc_received_build_summary (McReceivedReport *self)
{
  GString *out = g_string_new (NULL);
  const McReceivedHop *entry = NULL;
  guint oldest_trusted = G_MAXUINT;

  for (guint i = 0; i < self->hops->len; i++)
    {
      const McReceivedHop *hop = g_ptr_array_index (self->hops, i);

      if (!hop->trusted)
        continue;
      if (oldest_trusted == G_MAXUINT)
        oldest_trusted = i;
      if (entry == NULL && hop->verdict != MC_RECEIVED_VERDICT_INTERNAL)
        entry = hop;
    }

  if (self->hops->len == 0)
    append_sentence (out, _("The header has no Received lines, so it does not show how the "
                            "message was delivered."));
  else if (oldest_trusted == G_MAXUINT)
    append_sentence (out, _("None of the Received lines was written by a Netzprisma server: "
                            "each hop is only claimed by the server that wrote the line, and "
                            "Netzprisma cannot confirm any of them."));
  else
    {
      g_autofree char *claimed = NULL;

      if (entry != NULL)
        append_entry_sentence (out, entry);
      else
        append_sentence (out, _("Netzprisma’s records show only hops within its own servers, "
                                "such as the delivery into the mailbox."));
      if (oldest_trusted > 0)
        {
          /* g_dngettext: plain ngettext would use the program's domain,
           * where the engine's strings are not when it is linked elsewhere. */
          claimed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Before that, %u hop is only claimed by the "
                                                  "previous server: Netzprisma cannot confirm it.",
                                                  "Before that, %u hops are only claimed by the "
                                                  "previous servers: Netzprisma cannot confirm "
                                                  "them.",
                                                  oldest_trusted),
                                     oldest_trusted);
          append_sentence (out, claimed);
        }
    }

  if (self->hops->len > 0)
    append_sentence (out, _("Encryption on the way protects each hop on its own: every server "
                            "on the way stores the message unencrypted, and only PGP or S/MIME "
                            "protect it from end to end."));
  append_sentence (out, protection_sentence (self->protection));

  return g_string_free (out, FALSE);
}

/* Rendering ---------------------------------------------------------------------- */

static char *
format_date (GDateTime *date)
{
  return date != NULL ? g_date_time_format (date, "%Y-%m-%dT%H:%M:%S%:z") : NULL;
}

JsonNode *
mc_received_report_build_json (McReceivedReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "hops");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->hops->len; i++)
    {
      const McReceivedHop *hop = g_ptr_array_index (self->hops, i);
      g_autofree char *date = format_date (hop->date);
      GTimeSpan delay;

      json_builder_begin_object (builder);
      mc_json_add_optional_string (builder, "from", hop->from);
      mc_json_add_optional_string (builder, "from_host", hop->from_host);
      mc_json_add_optional_string (builder, "from_address", hop->from_address);
      mc_json_add_optional_string (builder, "by", hop->by);
      mc_json_add_optional_string (builder, "with", hop->with);
      mc_json_add_optional_string (builder, "id", hop->id);
      mc_json_add_optional_string (builder, "tls_version", hop->tls_version);
      mc_json_add_optional_string (builder, "tls_cipher", hop->tls_cipher);
      mc_json_add_optional_string (builder, "certificate", mc_received_certificate_to_string (hop->certificate));
      mc_json_add_optional_string (builder, "date", date);
      json_builder_set_member_name (builder, "delay_seconds");
      if (mc_received_report_get_delay (self, i, &delay))
        json_builder_add_int_value (builder, delay / G_TIME_SPAN_SECOND);
      else
        json_builder_add_null_value (builder);
      mc_json_add_string (builder, "verdict", mc_received_verdict_to_string (hop->verdict));
      mc_json_add_boolean (builder, "trusted", hop->trusted);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  mc_json_add_int (builder, "hops_omitted", self->n_omitted);
  mc_json_add_boolean (builder, "input_truncated", self->truncated);
  mc_json_add_string (builder, "message_protection", mc_received_protection_to_string (self->protection));
  mc_json_add_string (builder, "summary", self->summary);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
mc_received_report_to_json (McReceivedReport *self)
{
  g_autoptr(JsonNode) root = mc_received_report_build_json (self);

  return mc_json_to_string (root);
}

/* The recipient (for <…>) is left out: this text goes into support reports. */
char *
mc_received_report_to_text (McReceivedReport *self)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s\n", self->summary);
  if (self->hops->len > 0)
    g_string_append_printf (out, "\n%s\n", _("Delivery path, oldest hop first:"));

  for (guint i = 0; i < self->hops->len; i++)
    {
      const McReceivedHop *hop = g_ptr_array_index (self->hops, i);
      g_autofree char *date = format_date (hop->date);
      g_autofree char *description = mc_received_hop_describe (hop);
      GTimeSpan delay;

      g_string_append_printf (out, "%u. %s", i + 1, hop_sender (hop));
      if (hop->from_address != NULL && g_strcmp0 (hop_sender (hop), hop->from_address) != 0)
        g_string_append_printf (out, " [%s]", hop->from_address);
      g_string_append_printf (out, " → %s\n   ", hop->by ? hop->by : "?");

      if (date != NULL)
        g_string_append (out, date);
      else
        g_string_append (out, hop->date_text ? hop->date_text : "?");
      if (mc_received_report_get_delay (self, i, &delay))
        g_string_append_printf (out, " (%+" G_GINT64_FORMAT " s)", delay / G_TIME_SPAN_SECOND);
      if (hop->with != NULL)
        g_string_append_printf (out, ", %s", hop->with);
      if (hop->tls_version != NULL)
        g_string_append_printf (out, ", %s", hop->tls_version);
      if (hop->tls_cipher != NULL)
        g_string_append_printf (out, ", %s", hop->tls_cipher);
      g_string_append_printf (out, "\n   %s %s.\n", description,
                              mc_received_trust_display_name (hop->trusted));
    }

  if (self->n_omitted > 0)
    {
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                "%u more Received line was not read.",
                                                "%u more Received lines were not read.",
                                                self->n_omitted),
                              self->n_omitted);
      g_string_append_c (out, '\n');
    }
  if (self->truncated)
    g_string_append_printf (out, "%s\n", _("Only the first 256 KiB of the text were read."));

  return g_string_free (out, FALSE);
}
