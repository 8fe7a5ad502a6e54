/* mc-result.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-result"

#include "config.h"

#include <string.h>

#include "mc-result.h"

G_DEFINE_BOXED_TYPE (McResult, mc_result, mc_result_ref, mc_result_unref)
G_DEFINE_BOXED_TYPE (McStep, mc_step, mc_step_copy, mc_step_free)
G_DEFINE_BOXED_TYPE (McAdvice, mc_advice, mc_advice_copy, mc_advice_free)

static void
transcript_line_free (McTranscriptLine *line)
{
  g_free (line->text);
  g_free (line);
}

static void
server_alert_free (McServerAlert *alert)
{
  g_free (alert->text);
  g_free (alert);
}

McResult *
mc_result_new (void)
{
  McResult *self = g_new0 (McResult, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_step_free);
  self->caps_before = g_ptr_array_new_with_free_func (g_free);
  self->caps_after = g_ptr_array_new_with_free_func (g_free);
  self->auth_offered = g_ptr_array_new_with_free_func (g_free);
  self->advice = g_ptr_array_new_with_free_func ((GDestroyNotify)mc_advice_free);
  self->alerts = g_ptr_array_new_with_free_func ((GDestroyNotify)server_alert_free);
  self->transcript = g_ptr_array_new_with_free_func ((GDestroyNotify)transcript_line_free);
  self->connectivity = G_NETWORK_CONNECTIVITY_FULL;
  return self;
}

McResult *
mc_result_ref (McResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
mc_result_unref (McResult *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->host);
  g_free (self->host_ascii);
  g_free (self->user);
  g_free (self->ca_file);
  g_free (self->address);
  g_free (self->tls_version);
  g_free (self->tls_cipher);
  g_free (self->tls_alert);
  g_free (self->auth_used);
  g_free (self->tls_interceptor);
  g_free (self->tls_intercept_issuer);
  g_free (self->envelope_address);
  g_clear_pointer (&self->certificate, mc_certificate_info_free);
  g_ptr_array_unref (self->steps);
  g_ptr_array_unref (self->caps_before);
  g_ptr_array_unref (self->caps_after);
  g_ptr_array_unref (self->auth_offered);
  g_ptr_array_unref (self->advice);
  g_ptr_array_unref (self->alerts);
  g_ptr_array_unref (self->transcript);
  g_free (self);
}

McStep *
mc_result_add_step (McResult *self,
                    McStepId  id)
{
  McStep *step = g_new0 (McStep, 1);

  step->id = id;
  step->status = MC_STEP_STATUS_RUNNING;
  g_ptr_array_add (self->steps, step);
  return step;
}

McStep *
mc_result_last_step (McResult *self)
{
  if (self->steps->len == 0)
    return NULL;
  return g_ptr_array_index (self->steps, self->steps->len - 1);
}

McStep *
mc_result_find_step (McResult *self,
                     McStepId  id)
{
  for (guint i = 0; i < self->steps->len; i++)
    {
      McStep *step = g_ptr_array_index (self->steps, i);

      if (step->id == id)
        return step;
    }
  return NULL;
}

McAdvice *
mc_result_add_advice (McResult   *self,
                      const char *code,
                      const char *text)
{
  McAdvice *advice;

  /* One entry per cause: several steps may notice the same thing. */
  for (guint i = 0; i < self->advice->len; i++)
    {
      advice = g_ptr_array_index (self->advice, i);
      if (g_strcmp0 (advice->code, code) == 0)
        return advice;
    }

  advice = g_new0 (McAdvice, 1);
  advice->code = g_strdup (code);
  advice->text = g_strdup (text);
  advice->fix_security = -1;
  g_ptr_array_add (self->advice, advice);
  return advice;
}

void
mc_result_remove_advice (McResult   *self,
                         const char *code)
{
  for (guint i = self->advice->len; i > 0; i--)
    {
      McAdvice *advice = g_ptr_array_index (self->advice, i - 1);

      if (g_strcmp0 (advice->code, code) == 0)
        g_ptr_array_remove_index (self->advice, i - 1);
    }
}

gboolean
mc_result_has_advice (McResult   *self,
                      const char *code)
{
  for (guint i = 0; i < self->advice->len; i++)
    {
      McAdvice *advice = g_ptr_array_index (self->advice, i);

      if (g_strcmp0 (advice->code, code) == 0)
        return TRUE;
    }
  return FALSE;
}

void
mc_result_add_transcript (McResult   *self,
                          char        direction,
                          gboolean    encrypted,
                          const char *text)
{
  McTranscriptLine *line = g_new0 (McTranscriptLine, 1);

  line->direction = direction;
  line->encrypted = encrypted;
  line->text = g_strdup (text);
  g_ptr_array_add (self->transcript, line);
}

/* The verdict follows from the steps: any failure fails the check, any warning
 * (or advice while nothing failed) makes it a warning. */
void
mc_result_update_verdict (McResult *self)
{
  McVerdict verdict = MC_VERDICT_OK;

  for (guint i = 0; i < self->steps->len; i++)
    {
      McStep *step = g_ptr_array_index (self->steps, i);

      if (step->status == MC_STEP_STATUS_FAILED || step->status == MC_STEP_STATUS_RUNNING)
        verdict = MC_VERDICT_FAILED;
      else if (step->status == MC_STEP_STATUS_WARNING && verdict == MC_VERDICT_OK)
        verdict = MC_VERDICT_WARNING;
    }

  if (verdict == MC_VERDICT_OK && self->advice->len > 0)
    verdict = MC_VERDICT_WARNING;

  self->verdict = verdict;
}

McOutcome
mc_result_get_outcome (McResult *self)
{
  if (self->verdict == MC_VERDICT_FAILED)
    return MC_OUTCOME_FAILED;
  if (self->auth_result != MC_AUTH_RESULT_OK)
    return MC_OUTCOME_LOGIN_NOT_TESTED;
  return self->verdict == MC_VERDICT_OK ? MC_OUTCOME_WORKS : MC_OUTCOME_WORKS_WITH_WARNINGS;
}

/* "ipv4" or "ipv6" for the address the check connected to (or tried last);
 * NULL when it never got that far. */
const char *
mc_result_get_address_family (McResult *self)
{
  g_autoptr(GInetAddress) address = NULL;

  if (self->address == NULL || (address = g_inet_address_new_from_string (self->address)) == NULL)
    return NULL;
  return g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 ? "ipv6" : "ipv4";
}

/* @status: a static string, see McResult.ipv4_status. */
void
mc_result_set_family_status (McResult      *self,
                             GSocketFamily  family,
                             const char    *status)
{
  if (family == G_SOCKET_FAMILY_IPV6)
    self->ipv6_status = status;
  else if (family == G_SOCKET_FAMILY_IPV4)
    self->ipv4_status = status;
}

/* The login worked, but the envelope check found that this address may not
 * send: the test failed, for a reason the login does not show. */
gboolean
mc_result_sending_refused (McResult *self)
{
  for (guint i = 0; i < self->steps->len; i++)
    {
      McStep *step = g_ptr_array_index (self->steps, i);

      if ((step->id == MC_STEP_SENDER || step->id == MC_STEP_RECIPIENT) && step->status == MC_STEP_STATUS_FAILED)
        return self->auth_result == MC_AUTH_RESULT_OK;
    }
  return FALSE;
}

McStep *
mc_step_copy (const McStep *step)
{
  McStep *copy = g_new0 (McStep, 1);

  *copy = *step;
  copy->summary = g_strdup (step->summary);
  copy->server = g_strdup (step->server);
  return copy;
}

void
mc_step_free (McStep *step)
{
  if (step == NULL)
    return;
  g_free (step->summary);
  g_free (step->server);
  g_free (step);
}

McAdvice *
mc_advice_copy (const McAdvice *advice)
{
  McAdvice *copy = g_new0 (McAdvice, 1);

  *copy = *advice;
  copy->code = g_strdup (advice->code);
  copy->text = g_strdup (advice->text);
  copy->fix_host = g_strdup (advice->fix_host);
  copy->fix_user = g_strdup (advice->fix_user);
  return copy;
}

void
mc_advice_free (McAdvice *advice)
{
  if (advice == NULL)
    return;
  g_free (advice->code);
  g_free (advice->text);
  g_free (advice->fix_host);
  g_free (advice->fix_user);
  g_free (advice);
}

void
mc_certificate_info_free (McCertificateInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->subject);
  g_free (info->issuer);
  g_strfreev (info->names);
  g_clear_pointer (&info->not_before, g_date_time_unref);
  g_clear_pointer (&info->not_after, g_date_time_unref);
  g_free (info->sha256);
  g_strfreev (info->problems);
  g_free (info);
}

/* Characters that are letters or marks by category but show nothing, so they
 * can hide or fake text like format characters do: Hangul fillers, the
 * combining grapheme joiner, Khmer inherent vowels, Mongolian variation
 * selectors, variation selectors. */
static gboolean
is_invisible_letter_or_mark (gunichar c)
{
  return c == 0x115f || c == 0x1160 || c == 0x3164 || c == 0xffa0 || c == 0x034f ||
         c == 0x17b4 || c == 0x17b5 || (c >= 0x180b && c <= 0x180f) ||
         (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0100 && c <= 0xe01ef);
}

/* Escaped by Unicode category, not by a list that misses the next trick:
 * controls, format characters (bidi overrides, zero-width, soft hyphen, tags),
 * line and paragraph separators, unassigned and private-use code points. */
static gboolean
must_make_visible (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
      return TRUE;
    default:
      return is_invisible_letter_or_mark (c);
    }
}

/* Server text is untrusted: it is made valid UTF-8, every character that would
 * not show as itself becomes visible (U+2400 block for C0 controls, <U+XXXX>
 * for the rest), and the length is capped at @max_chars characters of output,
 * so a made-visible character counts with its whole escape. Safe for plain-text
 * display; never feed it to markup. */
char *
mc_sanitize_server_text (const char *text,
                         gssize      len,
                         gsize       max_chars)
{
  g_autofree char *valid = NULL;
  GString *out;
  gsize count = 0;
  const char *p;

  if (text == NULL)
    return NULL;
  if (len < 0)
    len = strlen (text);

  valid = g_utf8_make_valid (text, len);
  out = g_string_sized_new (MIN ((gsize)len, max_chars > 0 ? max_chars * 4 : (gsize)len) + 8);

  for (p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char escape[16];
      gsize width = 1;

      if (c < 0x20 || c == 0x7f || !must_make_visible (c))
        escape[0] = '\0';
      else
        width = g_snprintf (escape, sizeof escape, "<U+%04X>", c);

      if (max_chars > 0 && count + width > max_chars)
        {
          g_string_append (out, "…");
          break;
        }

      if (c < 0x20)
        g_string_append_unichar (out, 0x2400 + c);
      else if (c == 0x7f)
        g_string_append_unichar (out, 0x2421);
      else if (escape[0] != '\0')
        g_string_append (out, escape);
      else
        g_string_append_unichar (out, c);
      count += width;
    }

  return g_string_free (out, FALSE);
}
