/* mc-received.c
 *
 * The text is hostile: a sender writes every Received line below the ones the
 * recipient's provider adds, and a client chooses the name it greets with,
 * which ends up inside the provider's own line. So the reader is bounded
 * (MC_RECEIVED_MAX_*), walks each byte once with no backtracking and no
 * recursion, and only ever believes what a format puts in a fixed place:
 * the value after a keyword is never searched for TLS facts, nor is a comment
 * glued to a word, and for the provider's own lines the RFC 3848 protocol
 * token outweighs any comment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mc-received"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "mc-received-private.h"
#include "mc-result.h"

/* Display limits for the parts of a line, in characters. */
#define NAME_CHARS     255
#define SHORT_CHARS    100
#define WITH_MAX_BYTES 64

G_DEFINE_QUARK (mc-received-error-quark, mc_received_error)
G_DEFINE_BOXED_TYPE (McReceivedReport, mc_received_report,
                     mc_received_report_ref, mc_received_report_unref)

static void
hop_free (McReceivedHop *hop)
{
  g_free (hop->from);
  g_free (hop->from_host);
  g_free (hop->from_address);
  g_free (hop->by);
  g_free (hop->by_address);
  g_free (hop->with);
  g_free (hop->id);
  g_free (hop->recipient);
  g_free (hop->date_text);
  g_clear_pointer (&hop->date, g_date_time_unref);
  g_free (hop->tls_version);
  g_free (hop->tls_cipher);
  g_free (hop);
}

/* Small helpers on byte ranges ---------------------------------------------- */

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static gboolean
range_equal (const char *text,
             gsize       len,
             const char *word)
{
  return strlen (word) == len && g_ascii_strncasecmp (text, word, len) == 0;
}

static gboolean
range_has_prefix (const char *text,
                  gsize       len,
                  const char *prefix)
{
  gsize prefix_len = strlen (prefix);

  return len >= prefix_len && g_ascii_strncasecmp (text, prefix, prefix_len) == 0;
}

static char *
clean (const char *text,
       gsize       len,
       gsize       max_chars)
{
  if (text == NULL || len == 0)
    return NULL;
  return mc_sanitize_server_text (text, len, max_chars);
}

static void
set_once (char       **field,
          const char  *text,
          gsize        len,
          gsize        max_chars)
{
  if (*field == NULL)
    *field = clean (text, len, max_chars);
}

static gboolean
is_localhost_name (const char *name)
{
  return name != NULL &&
         (g_ascii_strcasecmp (name, "localhost") == 0 ||
          g_ascii_strncasecmp (name, "localhost.", 10) == 0 ||
          g_ascii_strcasecmp (name, "ip6-localhost") == 0 ||
          g_ascii_strcasecmp (name, "ip6-loopback") == 0);
}

static gboolean
is_loopback (const char *address)
{
  return address != NULL && (g_str_has_prefix (address, "127.") || g_str_equal (address, "::1"));
}

/* An address literal as servers write it: "[192.0.2.7]", "[IPv6:2001:db8::7]",
 * "[192.0.2.7]:41234" (Exim adds the port), or a bare address (Microsoft).
 * Returns it in GInetAddress's form, IPv4-mapped IPv6 as IPv4, or NULL. */
static char *
parse_address (const char *text,
               gsize       len)
{
  g_autoptr(GInetAddress) address = NULL;
  char buffer[64];
  const char *close;

  if (len > 0 && text[0] == '[')
    {
      close = memchr (text, ']', len);
      if (close == NULL)
        return NULL;
      text++;
      len = close - text;
    }
  if (range_has_prefix (text, len, "IPv6:"))
    {
      text += 5;
      len -= 5;
    }
  if (len == 0 || len >= sizeof buffer)
    return NULL;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isxdigit (text[i]) && text[i] != ':' && text[i] != '.')
        return NULL;
    }
  memcpy (buffer, text, len);
  buffer[len] = '\0';

  address = g_inet_address_new_from_string (buffer);
  if (address == NULL)
    return NULL;
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    {
      static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
      const guint8 *bytes = g_inet_address_to_bytes (address);

      if (memcmp (bytes, mapped, sizeof mapped) == 0)
        {
          g_autoptr(GInetAddress) v4 = NULL;

          v4 = g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);

          return g_inet_address_to_string (v4);
        }
    }
  return g_inet_address_to_string (address);
}

/* A host name the receiving server looked up: letters, digits, dots, hyphens,
 * with at least one dot, or localhost; the root's trailing dot (Gmail writes
 * it) dropped. */
static gboolean
looks_like_host_name (const char *text,
                      gsize       len)
{
  gboolean dot = FALSE;

  if (len == 0 || len > 253 || text[0] == '.' || text[0] == '-')
    return FALSE;
  if (range_equal (text, len, "localhost") || range_equal (text, len, "ip6-localhost"))
    return TRUE;
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '.')
        dot = TRUE;
      else if (!g_ascii_isalnum (text[i]) && text[i] != '-' && text[i] != '_')
        return FALSE;
    }
  return dot;
}

/* TLS versions --------------------------------------------------------------- */

/* "TLSv1.3", "TLS1.3", "TLS1_3" (Gmail, Microsoft), "TLSv1", "SSLv3", and the
 * "TLSv1/SSLv3" of old OpenSSL, which names the cipher's family, not the
 * protocol: the only sure thing is an old library, so it counts as weak.
 * Returns the version in the app's words ("TLS 1.3") or NULL. */
static char *
parse_tls_version (const char         *text,
                   gsize               len,
                   McReceivedStrength *strength)
{
  gboolean ssl;
  int major, minor = 0;
  gsize i = 3;

  if (range_equal (text, len, "TLSv1/SSLv3"))
    {
      *strength = MC_RECEIVED_STRENGTH_WEAK;
      return g_strdup ("TLSv1/SSLv3");
    }
  if (!range_has_prefix (text, len, "TLS") && !range_has_prefix (text, len, "SSL"))
    return NULL;
  ssl = (text[0] == 'S' || text[0] == 's');
  if (i < len && (text[i] == 'v' || text[i] == 'V'))
    i++;
  if (i >= len || !g_ascii_isdigit (text[i]))
    return NULL;
  major = text[i++] - '0';
  if (i < len && (text[i] == '.' || text[i] == '_'))
    {
      if (i + 1 >= len || !g_ascii_isdigit (text[i + 1]))
        return NULL;
      minor = text[i + 1] - '0';
      i += 2;
    }
  if (i != len)
    return NULL;

  if (!ssl && major == 1 && minor <= 3)
    {
      *strength = minor >= 2 ? MC_RECEIVED_STRENGTH_GOOD : MC_RECEIVED_STRENGTH_WEAK;
      return g_strdup_printf ("TLS 1.%d", minor);
    }
  if (ssl && (major == 2 || major == 3) && minor == 0)
    {
      *strength = MC_RECEIVED_STRENGTH_WEAK;
      return g_strdup_printf ("SSL %d.0", major);
    }
  return NULL;
}

static void
set_version (McReceivedHop *hop,
             const char    *text,
             gsize          len)
{
  McReceivedStrength strength = MC_RECEIVED_STRENGTH_UNKNOWN;
  char *version;

  if (hop->tls_version != NULL || len == 0)
    return;
  version = parse_tls_version (text, len, &strength);
  if (version == NULL)
    {
      /* A version this reader does not know: kept as written, and only SSL
       * is known to be weak. */
      if (!range_has_prefix (text, len, "TLS") && !range_has_prefix (text, len, "SSL"))
        return;
      version = clean (text, len, 32);
      strength = range_has_prefix (text, len, "SSL") ? MC_RECEIVED_STRENGTH_WEAK
                                                     : MC_RECEIVED_STRENGTH_UNKNOWN;
    }
  hop->tls_version = version;
  hop->strength = strength;
  hop->tls = TRUE;
}

static void
set_cipher (McReceivedHop *hop,
            const char    *text,
            gsize          len)
{
  if (len == 0)
    return;
  set_once (&hop->tls_cipher, text, len, SHORT_CHARS);
  hop->tls = TRUE;
}

static void
set_verify (McReceivedHop *hop,
            const char    *text,
            gsize          len)
{
  /* Sendmail and OpenSMTPD: OK verified; NOT not asked for; NO none presented;
   * FAIL, TEMP, PROTOCOL, SOFTWARE a check that went wrong. */
  if (range_equal (text, len, "OK"))
    hop->certificate = MC_RECEIVED_CERTIFICATE_VERIFIED;
  else if (range_equal (text, len, "NOT") || range_equal (text, len, "NO") ||
           range_equal (text, len, "NONE"))
    hop->certificate = MC_RECEIVED_CERTIFICATE_NOT_VERIFIED;
  else if (len > 0)
    hop->certificate = MC_RECEIVED_CERTIFICATE_FAILED;
}

/* The RFC 3848 token, also in the "ESMTP/TLS/cipher" form some German
 * providers write. */
static void
read_protocol (McReceivedHop *hop,
               const char    *text,
               gsize          len)
{
  static const char *plain[] = { "SMTP", "ESMTP", "ESMTPA", "UTF8SMTP", "UTF8SMTPA" };
  static const char *tls[] = { "ESMTPS", "ESMTPSA", "SMTPS", "SMTPSA", "UTF8SMTPS", "UTF8SMTPSA" };
  const char *slash = memchr (text, '/', len);
  gsize base_len = slash ? (gsize)(slash - text) : len;
  gboolean slash_tls = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    if (range_equal (text, base_len, plain[i]))
      hop->protocol = MC_RECEIVED_PROTOCOL_PLAIN;
  for (guint i = 0; i < G_N_ELEMENTS (tls); i++)
    if (range_equal (text, base_len, tls[i]))
      hop->protocol = MC_RECEIVED_PROTOCOL_TLS;
  if (range_has_prefix (text, base_len, "LMTP") || range_has_prefix (text, base_len, "UTF8LMTP") ||
      range_has_prefix (text, base_len, "local") || range_equal (text, base_len, "HTTPS") ||
      range_equal (text, base_len, "MAPI"))
    hop->protocol = MC_RECEIVED_PROTOCOL_INTERNAL;

  while (slash != NULL)
    {
      const char *part = slash + 1;
      gsize part_len;

      slash = memchr (part, '/', text + len - part);
      part_len = (slash ? slash : text + len) - part;
      if (range_equal (part, part_len, "TLS") || range_equal (part, part_len, "SSL"))
        slash_tls = TRUE;
      else if (slash_tls)
        {
          McReceivedStrength strength;
          g_autofree char *version = parse_tls_version (part, part_len, &strength);

          /* "ESMTP/TLS/TLSv1.2/cipher" as well as "ESMTP/TLS/cipher"; a
           * TLS 1.3 cipher name also starts with "TLS". */
          if (version != NULL)
            set_version (hop, part, part_len);
          else
            set_cipher (hop, part, part_len);
        }
    }
  if (slash_tls)
    {
      hop->tls = TRUE;
      if (hop->protocol == MC_RECEIVED_PROTOCOL_PLAIN)
        hop->protocol = MC_RECEIVED_PROTOCOL_TLS;
    }
}

/* Tokens of one Received field --------------------------------------------- */

typedef enum
{
  TOKEN_WORD,
  TOKEN_COMMENT,
  TOKEN_SEMICOLON,
} TokenKind;

typedef struct
{
  TokenKind   kind;
  gboolean    glued;   /* a comment written right after a word: "SMTPSVC(6.0)" */
  const char *text;    /* a comment without its outer parentheses */
  gsize       len;
} Token;

/* One pass over the field: words, comments (nested, with quoted pairs; an
 * unclosed one runs to the end), semicolons. Each byte is looked at once. A
 * stray ")" is part of a word, so that a greeting name such as
 * "a)(mx01.example" cannot end its word and open a comment of its own. */
static GArray *
tokenize (const char *text,
          gsize       len)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  gsize i = 0;

  while (i < len)
    {
      Token token = { TOKEN_WORD, FALSE, text + i, 0 };
      gsize start = i;

      if (is_space (text[i]))
        {
          i++;
          continue;
        }
      if (text[i] == ';')
        {
          token.kind = TOKEN_SEMICOLON;
          token.len = 1;
          i++;
        }
      else if (text[i] == '(')
        {
          guint depth = 1;

          token.kind = TOKEN_COMMENT;
          token.glued = i > 0 && !is_space (text[i - 1]) && text[i - 1] != ';';
          start = ++i;
          while (i < len && depth > 0)
            {
              if (text[i] == '\\' && i + 1 < len)
                i++;
              else if (text[i] == '(')
                depth++;
              else if (text[i] == ')')
                depth--;
              i++;
            }
          token.text = text + start;
          token.len = (depth == 0 ? i - 1 : i) - start;
        }
      else
        {
          while (i < len && !is_space (text[i]) && text[i] != '(' && text[i] != ';')
            {
              if (text[i] == '"')
                {
                  for (i++; i < len && text[i] != '"'; i++)
                    if (text[i] == '\\' && i + 1 < len)
                      i++;
                }
              if (i < len)
                i++;
            }
          token.len = i - start;
        }
      g_array_append_val (tokens, token);
    }
  return tokens;
}

typedef enum
{
  CLAUSE_NONE,
  CLAUSE_FROM,
  CLAUSE_BY,
  CLAUSE_VIA,
  CLAUSE_WITH,
  CLAUSE_ID,
  CLAUSE_FOR,
  CLAUSE_TLS,   /* Exim 4.93 and later: "with esmtps (TLS1.3) tls CIPHER" */
} Clause;

static Clause
keyword_clause (const char *text,
                gsize       len)
{
  static const struct { const char *word; Clause clause; } keywords[] = {
    { "from", CLAUSE_FROM },
    { "by", CLAUSE_BY },
    { "via", CLAUSE_VIA },
    { "with", CLAUSE_WITH },
    { "id", CLAUSE_ID },
    { "for", CLAUSE_FOR },
    { "tls", CLAUSE_TLS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (range_equal (text, len, keywords[i].word))
      return keywords[i].clause;
  return CLAUSE_NONE;
}

typedef enum
{
  EXPECT_NOTHING,
  EXPECT_USING_VERSION,   /* Postfix: "using TLSv1.3 with cipher X" */
  EXPECT_USING_WITH,
  EXPECT_USING_CIPHER_WORD,
  EXPECT_USING_CIPHER,
  EXPECT_COLON_VERSION,   /* CommuniGate, Courier: "TLS: TLS1.3, 128bits, CIPHER" */
  EXPECT_COLON_CIPHER,
} Expect;

/* An address in a from or by comment; in the first item of the first
 * comment after from, the name the receiving server looked up. */
static void
read_comment_address (McReceivedHop *hop,
                      Clause         clause,
                      gboolean       leading,
                      const char    *item,
                      gsize          item_len)
{
  char **address = clause == CLAUSE_FROM ? &hop->from_address : &hop->by_address;
  char *found = parse_address (item, item_len);
  gsize name_len = item_len - (item[item_len - 1] == '.');

  if (found != NULL)
    {
      if (*address == NULL)
        *address = g_steal_pointer (&found);
      g_free (found);
    }
  /* Postfix and Sendmail: "(name-looked-up [address])". */
  else if (clause == CLAUSE_FROM && leading && hop->from_host == NULL &&
           looks_like_host_name (item, name_len))
    hop->from_host = clean (item, name_len, NAME_CHARS);
}

/* Exim: "(TLS1.3)", and before 4.93 "(TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256)". */
static void
read_exim_tls (McReceivedHop *hop,
               const char    *item,
               gsize          item_len)
{
  const char *colon = memchr (item, ':', item_len);
  gsize version_len = colon ? (gsize)(colon - item) : item_len;
  McReceivedStrength strength;
  g_autofree char *version = parse_tls_version (item, version_len, &strength);

  if (version != NULL)
    {
      set_version (hop, item, version_len);
      if (colon != NULL)
        {
          const char *cipher = colon + 1;
          const char *end = memchr (cipher, ':', item + item_len - cipher);

          set_cipher (hop, cipher, (end ? end : item + item_len) - cipher);
        }
    }
}

/* An item outside a "using …" or "TLS: …" sequence: it starts one, or is a
 * fact of its own. Returns what the next item is expected to be. */
static Expect
read_loose_item (McReceivedHop *hop,
                 Clause         clause,
                 const char    *item,
                 gsize          item_len,
                 const char    *previous,
                 gsize          previous_len)
{
  if (range_equal (item, item_len, "using"))
    return EXPECT_USING_VERSION;
  if (range_equal (item, item_len, "TLS:"))
    return EXPECT_COLON_VERSION;

  if (range_has_prefix (item, item_len, "version="))
    set_version (hop, item + 8, item_len - 8);
  else if (range_has_prefix (item, item_len, "cipher="))
    set_cipher (hop, item + 7, item_len - 7);
  else if (range_has_prefix (item, item_len, "verify="))
    set_verify (hop, item + 7, item_len - 7);
  else if (clause == CLAUSE_WITH && range_equal (item, item_len, "TLS"))
    hop->tls = TRUE;   /* Exchange 2010: "with Microsoft SMTP Server (TLS)" */
  else if (clause == CLAUSE_WITH && (range_has_prefix (item, item_len, "TLS") ||
                                     range_has_prefix (item, item_len, "SSL")))
    read_exim_tls (hop, item, item_len);
  else if ((range_equal (item, item_len, "userid") && previous != NULL &&
            range_equal (previous, previous_len, "from")) ||
           (range_equal (item, item_len, "uid") && previous != NULL &&
            range_equal (previous, previous_len, "by")))
    /* Postfix "(Postfix, from userid 1000)", qmail "(invoked by uid 89)" */
    hop->local = TRUE;
  return EXPECT_NOTHING;
}

/* Moves a "using …" or "TLS: …" sequence on by one item, or reads a loose
 * one. Returns what the next item is expected to be. */
static Expect
read_item (McReceivedHop *hop,
           Clause         clause,
           Expect         expect,
           const char    *item,
           gsize          item_len,
           const char    *previous,
           gsize          previous_len)
{
  switch (expect)
    {
    case EXPECT_USING_VERSION:
      set_version (hop, item, item_len);
      return EXPECT_USING_WITH;
    case EXPECT_USING_WITH:
      return range_equal (item, item_len, "with") ? EXPECT_USING_CIPHER_WORD : EXPECT_NOTHING;
    case EXPECT_USING_CIPHER_WORD:
      return range_equal (item, item_len, "cipher") ? EXPECT_USING_CIPHER : EXPECT_NOTHING;
    case EXPECT_USING_CIPHER:
      set_cipher (hop, item, item_len);
      return EXPECT_NOTHING;
    case EXPECT_COLON_VERSION:
      set_version (hop, item, item_len);
      hop->tls = TRUE;
      return EXPECT_COLON_CIPHER;
    case EXPECT_COLON_CIPHER:
      /* "128bits" comes between the version and the cipher. */
      if (item_len > 4 && range_equal (item + item_len - 4, 4, "bits"))
        return EXPECT_COLON_CIPHER;
      set_cipher (hop, item, item_len);
      return EXPECT_NOTHING;
    case EXPECT_NOTHING:
    default:
      return read_loose_item (hop, clause, item, item_len, previous, previous_len);
    }
}

/* Reads one comment item by item. Items are separated by white space, commas,
 * semicolons and parentheses, so nested comments are read in line. */
static void
scan_comment (McReceivedHop *hop,
              Clause         clause,
              gboolean       first,
              const char    *text,
              gsize          len)
{
  Expect expect = EXPECT_NOTHING;
  const char *previous = NULL;
  gsize previous_len = 0;
  guint index = 0;
  gsize i = 0;

  while (i < len)
    {
      const char *item;
      gsize item_len;

      while (i < len && (is_space (text[i]) || strchr (",;()", text[i]) != NULL))
        i++;
      item = text + i;
      while (i < len && !is_space (text[i]) && strchr (",;()", text[i]) == NULL)
        i++;
      item_len = text + i - item;
      if (item_len == 0)
        break;

      if ((clause == CLAUSE_FROM || clause == CLAUSE_BY) && item_len < 128)
        read_comment_address (hop, clause, first && index == 0, item, item_len);
      expect = read_item (hop, clause, expect, item, item_len, previous, previous_len);

      previous = item;
      previous_len = item_len;
      index++;
    }
}

/* Dates -------------------------------------------------------------------- */

static int
zone_name_offset (const char *text,
                  gsize       len,
                  gboolean   *known)
{
  static const struct { const char *name; int hours; } zones[] = {
    { "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
    { "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
    { "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
    { "CET", 1 }, { "CEST", 2 }, { "MEZ", 1 }, { "MESZ", 2 },
  };

  *known = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    if (range_equal (text, len, zones[i].name))
      return zones[i].hours * 3600;
  /* RFC 5322 4.3: the military zones were used wrongly so often that they
   * mean "-0000". */
  if (len == 1 && g_ascii_isalpha (text[0]))
    return 0;
  *known = FALSE;
  return 0;
}

static gboolean
parse_number (const char *text,
              gsize       len,
              int        *value)
{
  *value = 0;
  if (len == 0 || len > 4)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      *value = *value * 10 + (text[i] - '0');
    }
  return TRUE;
}

/* The parts of a date as read so far: -1 for a part not seen yet, but the
 * seconds, which may be left out, start at 0. */
typedef struct
{
  int      day;
  int      month;
  int      year;
  int      hour;
  int      minute;
  int      second;
  int      offset;   /* seconds east of UTC */
  gboolean zone;     /* an offset or a zone name was read */
} DateParts;

/* "09:41:03" or "09:41". Returns FALSE for a broken or second time. */
static gboolean
read_time (DateParts  *parts,
           const char *item,
           gsize       item_len)
{
  const char *colon = memchr (item, ':', item_len);
  const char *rest = colon + 1;
  const char *colon2 = memchr (rest, ':', item + item_len - rest);

  if (parts->hour >= 0 || !parse_number (item, colon - item, &parts->hour) ||
      !parse_number (rest, (colon2 ? colon2 : item + item_len) - rest, &parts->minute))
    return FALSE;
  return colon2 == NULL || parse_number (colon2 + 1, item + item_len - colon2 - 1, &parts->second);
}

/* The day, then the year. Returns FALSE for anything else. */
static gboolean
read_day_or_year (DateParts  *parts,
                  const char *item,
                  gsize       item_len)
{
  int value;

  if (!parse_number (item, item_len, &value))
    return FALSE;
  if (item_len <= 2 && parts->day < 0)
    parts->day = value;
  else if (parts->year < 0)
    parts->year = item_len == 4 ? value :
                  item_len == 3 ? 1900 + value :
                  value < 50 ? 2000 + value : 1900 + value;
  else
    return FALSE;
  return TRUE;
}

/* "+0100". Returns FALSE for a broken or second zone. */
static gboolean
read_offset (DateParts  *parts,
             const char *item)
{
  int value;

  if (parts->zone || !parse_number (item + 1, 4, &value) || value / 100 > 23 || value % 100 > 59)
    return FALSE;
  parts->offset = (value / 100 * 3600 + value % 100 * 60) * (item[0] == '-' ? -1 : 1);
  parts->zone = TRUE;
  return TRUE;
}

/* A zone name or a month; weekdays and words this reader does not know are
 * passed over. */
static void
read_date_word (DateParts  *parts,
                const char *item,
                gsize       item_len)
{
  static const char *months[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec" };
  gboolean known = FALSE;
  int name_offset = parts->zone ? 0 : zone_name_offset (item, item_len, &known);

  if (known)
    {
      parts->offset = name_offset;
      parts->zone = TRUE;
      return;
    }
  for (guint m = 0; m < G_N_ELEMENTS (months); m++)
    if (item_len >= 3 && item_len <= 9 && g_ascii_strncasecmp (item, months[m], 3) == 0)
      parts->month = m + 1;
}

/* Returns FALSE when the item breaks the date. */
static gboolean
read_date_item (DateParts  *parts,
                const char *item,
                gsize       item_len)
{
  if (g_ascii_isdigit (item[0]) && memchr (item, ':', item_len) != NULL)
    return read_time (parts, item, item_len);
  if (g_ascii_isdigit (item[0]))
    return read_day_or_year (parts, item, item_len);
  if ((item[0] == '+' || item[0] == '-') && item_len == 5)
    return read_offset (parts, item);
  if (g_ascii_isalpha (item[0]))
    {
      read_date_word (parts, item, item_len);
      return TRUE;
    }
  return FALSE;
}

/* RFC 5322 dates and the usual deviations: no weekday, no seconds, two-digit
 * years, a zone name instead of an offset, the parts in another order
 * (asctime). Anything else gives NULL: a broken date is shown as written. */
static GDateTime *
parse_date (const char *text,
            gsize       len)
{
  DateParts parts = { .day = -1, .month = -1, .year = -1, .hour = -1, .minute = -1 };
  g_autoptr(GTimeZone) tz = NULL;
  gsize i = 0;

  while (i < len)
    {
      const char *item;
      gsize item_len;

      if (is_space (text[i]) || text[i] == ',')
        {
          i++;
          continue;
        }
      if (text[i] == '(')
        {
          guint depth = 0;

          do
            {
              depth += text[i] == '(';
              depth -= text[i] == ')';
              i++;
            }
          while (i < len && depth > 0);
          continue;
        }
      item = text + i;
      while (i < len && !is_space (text[i]) && text[i] != ',' && text[i] != '(')
        i++;
      item_len = text + i - item;
      if (!read_date_item (&parts, item, item_len))
        return NULL;
    }

  if (parts.day < 1 || parts.month < 1 || parts.year < 1 || parts.year > 9999 ||
      parts.hour < 0 || parts.hour > 23 || parts.minute < 0 || parts.minute > 59 ||
      parts.second < 0 || parts.second > 59 || !parts.zone)
    return NULL;
  tz = g_time_zone_new_offset (parts.offset);
  /* NULL for a day the month does not have. */
  return g_date_time_new (tz, parts.year, parts.month, parts.day, parts.hour, parts.minute,
                          parts.second);
}

/* One Received field ----------------------------------------------------------- */

static void
set_value (McReceivedHop *hop,
           Clause         clause,
           const Token   *token,
           GString       *with)
{
  switch (clause)
    {
    case CLAUSE_FROM:
      set_once (&hop->from, token->text, token->len, NAME_CHARS);
      break;
    case CLAUSE_BY:
      if (token->kind != TOKEN_WORD || hop->by != NULL)
        break;
      /* Gmail writes the root's trailing dot. */
      hop->by = clean (token->text,
                       token->len - (token->len > 1 && token->text[token->len - 1] == '.'),
                       NAME_CHARS);
      if (hop->by_address == NULL)
        hop->by_address = parse_address (token->text, token->len);
      break;
    case CLAUSE_WITH:
      if (token->kind != TOKEN_WORD || with->len > 0)
        break;
      g_string_append_len (with, token->text, MIN (token->len, WITH_MAX_BYTES));
      read_protocol (hop, token->text, token->len);
      break;
    case CLAUSE_ID:
      if (token->kind == TOKEN_WORD)
        set_once (&hop->id, token->text, token->len, SHORT_CHARS);
      break;
    case CLAUSE_FOR:
      if (token->kind == TOKEN_WORD)
        set_once (&hop->recipient, token->text, token->len, NAME_CHARS);
      break;
    case CLAUSE_TLS:
      hop->tls = TRUE;
      if (token->kind == TOKEN_WORD)
        set_cipher (hop, token->text, token->len);
      break;
    case CLAUSE_VIA:
    case CLAUSE_NONE:
    default:
      break;
    }
}

/* The stamp's date follows the last semicolon outside comments. Returns the
 * index of that semicolon among @tokens, or their number when there is none. */
static guint
read_stamp_date (McReceivedHop *hop,
                 GArray        *tokens,
                 const char    *text,
                 gsize          len)
{
  for (guint i = tokens->len; i > 0; i--)
    {
      const Token *token = &g_array_index (tokens, Token, i - 1);

      if (token->kind == TOKEN_SEMICOLON)
        {
          const char *date = token->text + 1;
          gsize date_len = text + len - date;

          while (date_len > 0 && is_space (date[0]))
            date++, date_len--;
          while (date_len > 0 && is_space (date[date_len - 1]))
            date_len--;
          hop->date_text = clean (date, date_len, SHORT_CHARS);
          hop->date = parse_date (date, date_len);
          return i - 1;
        }
    }
  return tokens->len;
}

/* The clauses before the date, from the first @n_tokens of @tokens; the
 * protocol goes into @with, words and all ("Microsoft SMTP Server"). */
static void
read_clauses (McReceivedHop *hop,
              GArray        *tokens,
              guint          n_tokens,
              GString       *with)
{
  Clause clause = CLAUSE_NONE;
  gboolean want_value = FALSE;
  gboolean first = FALSE;
  gboolean with_open = FALSE;

  for (guint i = 0; i < n_tokens; i++)
    {
      const Token *token = &g_array_index (tokens, Token, i);
      Clause keyword;

      if (token->kind == TOKEN_SEMICOLON)
        {
          clause = CLAUSE_NONE;
          want_value = with_open = FALSE;
          continue;
        }
      if (want_value)
        {
          /* The value is whatever follows the keyword, even a keyword or a
           * comment, and is never read for facts: a client's greeting name
           * lands here. */
          set_value (hop, clause, token, with);
          want_value = FALSE;
          first = TRUE;
          with_open = clause == CLAUSE_WITH && token->kind == TOKEN_WORD;
          continue;
        }
      if (token->kind == TOKEN_WORD)
        {
          keyword = keyword_clause (token->text, token->len);
          if (keyword != CLAUSE_NONE)
            {
              clause = keyword;
              want_value = TRUE;
              with_open = FALSE;
            }
          else if (with_open && with->len + 1 + token->len <= WITH_MAX_BYTES)
            {
              /* "with Microsoft SMTP Server" */
              g_string_append_c (with, ' ');
              g_string_append_len (with, token->text, token->len);
            }
          continue;
        }
      if (token->kind == TOKEN_COMMENT && !token->glued)
        {
          scan_comment (hop, clause, first, token->text, token->len);
          first = with_open = FALSE;
        }
    }
}

static McReceivedHop *
parse_received (const char *text,
                gsize       len,
                gboolean    truncated)
{
  McReceivedHop *hop = g_new0 (McReceivedHop, 1);
  g_autoptr(GArray) tokens = tokenize (text, len);
  g_autoptr(GString) with = g_string_new (NULL);
  guint end;

  hop->truncated = truncated;
  hop->verdict = MC_RECEIVED_VERDICT_UNKNOWN;
  end = read_stamp_date (hop, tokens, text, len);
  read_clauses (hop, tokens, end, with);

  /* The address the receiving server saw beats the one the client greeted
   * with ("from [192.168.1.20] (host [198.51.100.23])"). */
  if (hop->from_address == NULL && hop->from != NULL)
    hop->from_address = parse_address (hop->from, strlen (hop->from));
  hop->with = clean (with->str, with->len, WITH_MAX_BYTES);
  return hop;
}

/* The message's own Content-Type -------------------------------------------- */

/* Copies a token or quoted string starting at @text[*i], lower-cased, into
 * @out (cut to its size). */
static void
read_parameter_value (const char *text,
                      gsize       len,
                      gsize      *i,
                      char       *out,
                      gsize       out_size)
{
  gsize n = 0;
  gboolean quoted = *i < len && text[*i] == '"';

  if (quoted)
    (*i)++;
  while (*i < len)
    {
      char c = text[*i];

      if (quoted && c == '"')
        {
          (*i)++;
          break;
        }
      if (!quoted && (is_space (c) || c == ';' || c == '('))
        break;
      if (quoted && c == '\\' && *i + 1 < len)
        c = text[++(*i)];
      if (n + 1 < out_size)
        out[n++] = g_ascii_tolower (c);
      (*i)++;
    }
  out[n] = '\0';
}

/* PGP/MIME (RFC 3156) and S/MIME (RFC 8551) as the top-level Content-Type
 * announces them. Inline PGP lives in the body, which is not read. */
static McReceivedProtection
parse_content_type (const char *text,
                    gsize       len)
{
  char type[64], protocol[64] = "", smime_type[64] = "";
  gsize i = 0;

  while (i < len && is_space (text[i]))
    i++;
  read_parameter_value (text, len, &i, type, sizeof type);

  while (i < len)
    {
      char name[32];
      gsize n = 0;

      if (text[i] != ';')
        {
          i++;
          continue;
        }
      for (i++; i < len && is_space (text[i]); i++)
        ;
      while (i < len && text[i] != '=' && text[i] != ';' && !is_space (text[i]))
        {
          if (n + 1 < sizeof name)
            name[n++] = g_ascii_tolower (text[i]);
          i++;
        }
      name[n] = '\0';
      while (i < len && is_space (text[i]))
        i++;
      if (i >= len || text[i] != '=')
        continue;
      for (i++; i < len && is_space (text[i]); i++)
        ;
      if (g_str_equal (name, "protocol"))
        read_parameter_value (text, len, &i, protocol, sizeof protocol);
      else if (g_str_equal (name, "smime-type"))
        read_parameter_value (text, len, &i, smime_type, sizeof smime_type);
    }

  if (g_str_equal (type, "multipart/encrypted") &&
      g_str_equal (protocol, "application/pgp-encrypted"))
    return MC_RECEIVED_PROTECTION_PGP_ENCRYPTED;
  if (g_str_equal (type, "multipart/signed") && g_str_equal (protocol, "application/pgp-signature"))
    return MC_RECEIVED_PROTECTION_PGP_SIGNED;
  if (g_str_equal (type, "multipart/signed") &&
      (g_str_equal (protocol, "application/pkcs7-signature") ||
       g_str_equal (protocol, "application/x-pkcs7-signature")))
    return MC_RECEIVED_PROTECTION_SMIME_SIGNED;
  if (g_str_equal (type, "application/pkcs7-mime") ||
      g_str_equal (type, "application/x-pkcs7-mime"))
    {
      if (g_str_equal (smime_type, "signed-data"))
        return MC_RECEIVED_PROTECTION_SMIME_SIGNED;
      /* enveloped-data, authEnveloped-data, or no smime-type (older
       * clients): an .p7m part is encrypted far more often than not. */
      if (!g_str_equal (smime_type, "compressed-data") && !g_str_equal (smime_type, "certs-only"))
        return MC_RECEIVED_PROTECTION_SMIME_ENCRYPTED;
    }
  return MC_RECEIVED_PROTECTION_NONE;
}

/* The header block ------------------------------------------------------------ */

typedef enum
{
  FIELD_NONE,           /* no field, or one this reader does not need */
  FIELD_RECEIVED,
  FIELD_CONTENT_TYPE,
} FieldKind;

typedef struct
{
  GPtrArray            *hops;         /* McReceivedHop, in header order: newest first */
  guint                 n_fields;
  guint                 n_omitted;
  gboolean              have_content_type;
  McReceivedProtection  protection;

  FieldKind             kind;         /* the field being unfolded */
  GString              *value;
  gboolean              value_cut;
} Reader;

static void
append_capped (Reader     *reader,
               const char *text,
               gsize       len)
{
  gsize room = MC_RECEIVED_MAX_FIELD - MIN (reader->value->len, MC_RECEIVED_MAX_FIELD);

  if (len > room)
    {
      len = room;
      reader->value_cut = TRUE;
    }
  g_string_append_len (reader->value, text, len);
}

static void
finish_field (Reader *reader)
{
  if (reader->kind == FIELD_RECEIVED)
    g_ptr_array_add (reader->hops,
                     parse_received (reader->value->str, reader->value->len, reader->value_cut));
  else if (reader->kind == FIELD_CONTENT_TYPE)
    {
      reader->protection = parse_content_type (reader->value->str, reader->value->len);
      reader->have_content_type = TRUE;
    }
  reader->kind = FIELD_NONE;
  g_string_truncate (reader->value, 0);
  reader->value_cut = FALSE;
}

static void
start_field (Reader     *reader,
             const char *line,
             gsize       len)
{
  gsize name_len = 0;
  gsize i;

  while (name_len < len && line[name_len] > 0x20 && line[name_len] < 0x7f && line[name_len] != ':')
    name_len++;
  for (i = name_len; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
    ;
  /* Not a field: an mbox "From " line, or text around a paste. */
  if (name_len == 0 || i >= len || line[i] != ':')
    return;

  reader->n_fields++;
  if (range_equal (line, name_len, "Received"))
    {
      if (reader->hops->len >= MC_RECEIVED_MAX_HOPS)
        {
          reader->n_omitted++;
          return;
        }
      reader->kind = FIELD_RECEIVED;
    }
  else if (range_equal (line, name_len, "Content-Type") && !reader->have_content_type)
    reader->kind = FIELD_CONTENT_TYPE;
  else
    return;
  append_capped (reader, line + i + 1, len - i - 1);
}

/* Returns TRUE when the block ended with its blank line. */
static gboolean
read_header_block (Reader     *reader,
                   const char *data,
                   gsize       len)
{
  gsize pos = 0;

  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;

  while (pos < len)
    {
      const char *line = data + pos;
      const char *newline = memchr (line, '\n', len - pos);
      gsize line_len = newline != NULL ? (gsize)(newline - line) : len - pos;

      pos += line_len + (newline != NULL);
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;

      if (line_len == 0)
        {
          /* Blank lines above a paste are not the end of its header. */
          if (reader->n_fields == 0)
            continue;
          finish_field (reader);
          return TRUE;
        }
      if (line[0] == ' ' || line[0] == '\t')
        {
          /* Unfolding: the line break goes, the white space stays. */
          if (reader->kind != FIELD_NONE)
            append_capped (reader, line, line_len);
          continue;
        }
      finish_field (reader);
      start_field (reader, line, line_len);
    }
  finish_field (reader);
  return FALSE;
}

/* Trust and verdicts ------------------------------------------------------------ */

static gboolean
stamped_by_provider (const McReceivedHop *hop,
                     const McProvider    *provider)
{
  return provider != NULL &&
         (mc_provider_is_mail_host (provider, hop->by) ||
          mc_provider_is_mail_host (provider, hop->by_address));
}

/* A hop between programs on one machine, or into a mailbox: not an Internet
 * hop, whatever its encryption. A loopback address alone does not count:
 * what does is that the receiving server looked the sender up as localhost,
 * as it does for content filters and local programs (the sender cannot
 * choose that name, only its greeting). */
static gboolean
is_local_hop (const McReceivedHop *hop)
{
  return hop->local || hop->protocol == MC_RECEIVED_PROTOCOL_INTERNAL ||
         is_localhost_name (hop->from_host) ||
         (hop->from_address == NULL && is_localhost_name (hop->from)) ||
         is_localhost_name (hop->by) || is_loopback (hop->by_address);
}

/* Whether the provider's own line says the message came from the provider's
 * side: another of its servers, a program on the same machine, or an
 * internal protocol such as LMTP that is never offered to the Internet. */
static gboolean
handed_over_internally (const McReceivedHop *hop,
                        const McProvider    *provider)
{
  return hop->protocol == MC_RECEIVED_PROTOCOL_INTERNAL || hop->local ||
         is_loopback (hop->from_address) || is_localhost_name (hop->from_host) ||
         mc_provider_is_mail_host (provider, hop->from_host) ||
         mc_provider_is_mail_host (provider, hop->from_address);
}

/* @hops in header order, the newest first. The provider writes the top
 * line; the line below is the provider's too only if the provider's line
 * says it got the message from its own side. The first line whose sender is
 * foreign is the entry into the provider: everything below it was written by
 * others and could be forged, so trust ends there for good (as with
 * SpamAssassin's trusted relays). */
static void
mark_trusted (GPtrArray        *hops,
              const McProvider *provider)
{
  McReceivedHop *newer = NULL;
  guint i = 0;

  if (provider == NULL)
    return;

  /* Lines the recipient's own programs add after delivery (fetchmail, a
   * local filter) sit above the provider's. */
  while (i < hops->len && is_local_hop (g_ptr_array_index (hops, i)) &&
         !stamped_by_provider (g_ptr_array_index (hops, i), provider))
    i++;

  for (; i < hops->len; i++)
    {
      McReceivedHop *hop = g_ptr_array_index (hops, i);

      if (newer == NULL ? !stamped_by_provider (hop, provider)
                        : !handed_over_internally (newer, provider))
        break;
      hop->trusted = TRUE;
      newer = hop;
    }
}

static McReceivedVerdict
decide_verdict (const McReceivedHop *hop,
                const McProvider    *provider)
{
  if (is_local_hop (hop))
    return MC_RECEIVED_VERDICT_INTERNAL;
  /* From one of the provider's servers to another, as the provider's own
   * server looked the sender up. */
  if (hop->trusted && provider != NULL &&
      (mc_provider_is_mail_host (provider, hop->from_host) ||
       mc_provider_is_mail_host (provider, hop->from_address)))
    return MC_RECEIVED_VERDICT_INTERNAL;
  /* The provider's servers write RFC 3848 tokens and record TLS, so their
   * plain token means no TLS, whatever a comment says: a comment can carry
   * text the client chose. */
  if (hop->trusted && hop->protocol == MC_RECEIVED_PROTOCOL_PLAIN)
    return MC_RECEIVED_VERDICT_NOT_ENCRYPTED;
  if (hop->tls || hop->protocol == MC_RECEIVED_PROTOCOL_TLS)
    return hop->strength == MC_RECEIVED_STRENGTH_WEAK ? MC_RECEIVED_VERDICT_ENCRYPTED_WEAK
                                          : MC_RECEIVED_VERDICT_ENCRYPTED;
  /* No marker: many servers record nothing, so this is no evidence of a
   * plain connection. */
  return MC_RECEIVED_VERDICT_UNKNOWN;
}

/* Parsing ---------------------------------------------------------------------- */

McReceivedReport *
mc_received_parse_for_provider (const McProvider  *provider,
                                const char        *data,
                                gsize              len,
                                GError           **error)
{
  g_autoptr(McReceivedReport) self = NULL;
  g_autoptr(GPtrArray) header_order = g_ptr_array_new ();
  g_autoptr(GString) value = g_string_new (NULL);
  Reader reader = { header_order, 0, 0, FALSE, MC_RECEIVED_PROTECTION_NONE,
                    FIELD_NONE, value, FALSE };
  gboolean ended;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  ended = read_header_block (&reader, data, MIN (len, MC_RECEIVED_MAX_INPUT));
  if (reader.n_fields == 0)
    {
      g_set_error_literal (error, MC_RECEIVED_ERROR, MC_RECEIVED_ERROR_NO_HEADER,
                           _("The text is not a message header: it has no header fields."));
      return NULL;
    }

  self = g_new0 (McReceivedReport, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->hops = g_ptr_array_new_full (header_order->len, (GDestroyNotify)hop_free);
  self->n_omitted = reader.n_omitted;
  self->truncated = len > MC_RECEIVED_MAX_INPUT && !ended;
  self->protection = reader.protection;

  mark_trusted (header_order, provider);
  for (guint i = header_order->len; i > 0; i--)
    {
      McReceivedHop *hop = g_ptr_array_index (header_order, i - 1);

      hop->verdict = decide_verdict (hop, provider);
      if (hop->verdict == MC_RECEIVED_VERDICT_NOT_ENCRYPTED)
        {
          /* What a comment claimed is not what the server recorded. */
          g_clear_pointer (&hop->tls_version, g_free);
          g_clear_pointer (&hop->tls_cipher, g_free);
          hop->certificate = MC_RECEIVED_CERTIFICATE_UNKNOWN;
        }
      g_ptr_array_add (self->hops, hop);
    }
  self->summary = mc_received_build_summary (self);

  return g_steal_pointer (&self);
}

McReceivedReport *
mc_received_parse (const char  *data,
                   gsize        len,
                   GError     **error)
{
  return mc_received_parse_for_provider (mc_provider_get_default (), data, len, error);
}

McReceivedReport *
mc_received_report_ref (McReceivedReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
mc_received_report_unref (McReceivedReport *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_ptr_array_unref (self->hops);
  g_free (self->summary);
  g_free (self);
}

guint
mc_received_report_get_n_hops (McReceivedReport *self)
{
  return self->hops->len;
}

const McReceivedHop *
mc_received_report_get_hop (McReceivedReport *self,
                            guint             index)
{
  g_return_val_if_fail (index < self->hops->len, NULL);
  return g_ptr_array_index (self->hops, index);
}

gboolean
mc_received_report_get_delay (McReceivedReport *self,
                              guint             index,
                              GTimeSpan        *delay)
{
  const McReceivedHop *hop, *previous;

  g_return_val_if_fail (index < self->hops->len, FALSE);
  if (index == 0)
    return FALSE;
  hop = g_ptr_array_index (self->hops, index);
  previous = g_ptr_array_index (self->hops, index - 1);
  if (hop->date == NULL || previous->date == NULL)
    return FALSE;
  *delay = g_date_time_difference (hop->date, previous->date);
  return TRUE;
}

guint
mc_received_report_get_n_omitted (McReceivedReport *self)
{
  return self->n_omitted;
}

gboolean
mc_received_report_get_truncated (McReceivedReport *self)
{
  return self->truncated;
}

McReceivedProtection
mc_received_report_get_protection (McReceivedReport *self)
{
  return self->protection;
}

const char *
mc_received_report_get_summary (McReceivedReport *self)
{
  return self->summary;
}

/* Hop fields ----------------------------------------------------------------------- */

const char *
mc_received_hop_get_from (const McReceivedHop *hop)
{
  return hop->from;
}

const char *
mc_received_hop_get_from_host (const McReceivedHop *hop)
{
  return hop->from_host;
}

const char *
mc_received_hop_get_from_address (const McReceivedHop *hop)
{
  return hop->from_address;
}

const char *
mc_received_hop_get_by (const McReceivedHop *hop)
{
  return hop->by;
}

const char *
mc_received_hop_get_with (const McReceivedHop *hop)
{
  return hop->with;
}

const char *
mc_received_hop_get_id (const McReceivedHop *hop)
{
  return hop->id;
}

const char *
mc_received_hop_get_for (const McReceivedHop *hop)
{
  return hop->recipient;
}

GDateTime *
mc_received_hop_get_date (const McReceivedHop *hop)
{
  return hop->date;
}

const char *
mc_received_hop_get_date_text (const McReceivedHop *hop)
{
  return hop->date_text;
}

const char *
mc_received_hop_get_tls_version (const McReceivedHop *hop)
{
  return hop->tls_version;
}

const char *
mc_received_hop_get_tls_cipher (const McReceivedHop *hop)
{
  return hop->tls_cipher;
}

McReceivedCertificate
mc_received_hop_get_certificate (const McReceivedHop *hop)
{
  return hop->certificate;
}

McReceivedVerdict
mc_received_hop_get_verdict (const McReceivedHop *hop)
{
  return hop->verdict;
}

gboolean
mc_received_hop_get_trusted (const McReceivedHop *hop)
{
  return hop->trusted;
}

gboolean
mc_received_hop_get_truncated (const McReceivedHop *hop)
{
  return hop->truncated;
}
