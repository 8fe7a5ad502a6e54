/* test-line-reader.c: bounded line reading, alone and behind the dialogues
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-line-reader"

#include "config.h"

#include <string.h>

#include "mc-line-reader.h"
#include "test-util.h"

/* A stream that never ends and counts what it handed out. */
#define TEST_TYPE_ENDLESS_STREAM (test_endless_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestEndlessStream, test_endless_stream, TEST, ENDLESS_STREAM, GInputStream)

struct _TestEndlessStream
{
  GInputStream parent_instance;
  guint64      served;
};

G_DEFINE_FINAL_TYPE (TestEndlessStream, test_endless_stream, G_TYPE_INPUT_STREAM)

static gssize
endless_read (GInputStream  *stream,
              void          *buffer,
              gsize          count,
              GCancellable  *cancellable,
              GError       **error)
{
  TestEndlessStream *self = TEST_ENDLESS_STREAM (stream);

  memset (buffer, 'A', count);
  self->served += count;
  return count;
}

static void
test_endless_stream_class_init (TestEndlessStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = endless_read;
}

static void
test_endless_stream_init (TestEndlessStream *self)
{
}

/* A stream that hands out at most one byte per read, like a slow network. */
#define TEST_TYPE_TRICKLE_STREAM (test_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, TEST, TRICKLE_STREAM, GInputStream)

struct _TestTrickleStream
{
  GInputStream  parent_instance;
  GBytes       *data;
  gsize         offset;
};

G_DEFINE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, G_TYPE_INPUT_STREAM)

static gssize
trickle_read (GInputStream  *stream,
              void          *buffer,
              gsize          count,
              GCancellable  *cancellable,
              GError       **error)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (stream);
  gsize len;
  const guint8 *data = g_bytes_get_data (self->data, &len);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  if (self->offset >= len || count == 0)
    return 0;
  ((guint8 *)buffer)[0] = data[self->offset++];
  return 1;
}

static void
trickle_finalize (GObject *object)
{
  g_bytes_unref (TEST_TRICKLE_STREAM (object)->data);
  G_OBJECT_CLASS (test_trickle_stream_parent_class)->finalize (object);
}

static void
test_trickle_stream_class_init (TestTrickleStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = trickle_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = trickle_read;
}

static void
test_trickle_stream_init (TestTrickleStream *self)
{
}

static McLineReader *
reader_for (const void *data,
            gsize       len)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_memdup2 (data, len), len, g_free);

  return mc_line_reader_new (stream);
}

static McLineReader *
trickle_reader_for (const char *text)
{
  g_autoptr(TestTrickleStream) stream = g_object_new (TEST_TYPE_TRICKLE_STREAM, NULL);

  stream->data = g_bytes_new (text, strlen (text));
  return mc_line_reader_new (G_INPUT_STREAM (stream));
}

static char *
read_ok (McLineReader *reader)
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  char *line = mc_line_reader_read_line (reader, &length, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpuint (length, ==, strlen (line));
  return line;
}

static void
read_fails (McLineReader *reader,
            McLineError   code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = mc_line_reader_read_line (reader, NULL, NULL, &error);

  g_assert_null (line);
  g_assert_error (error, MC_LINE_ERROR, (int)code);
}

static void
test_crlf_lines (void)
{
  g_autoptr(McLineReader) reader = reader_for ("* OK ready\r\n\r\na1 OK done\r\n", 26);
  g_autofree char *first = read_ok (reader);
  g_autofree char *empty = read_ok (reader);
  g_autofree char *last = read_ok (reader);

  g_assert_cmpstr (first, ==, "* OK ready");
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (last, ==, "a1 OK done");
  g_assert_false (mc_line_reader_saw_bare_lf (reader));
  g_assert_cmpuint (mc_line_reader_get_total_read (reader), ==, 26);
  read_fails (reader, MC_LINE_ERROR_CLOSED);
}

static void
test_lf_only_lines (void)
{
  g_autoptr(McLineReader) reader = reader_for ("+OK hello\n.\n", 12);
  g_autofree char *first = read_ok (reader);
  g_autofree char *second = read_ok (reader);

  g_assert_cmpstr (first, ==, "+OK hello");
  g_assert_cmpstr (second, ==, ".");
  g_assert_true (mc_line_reader_saw_bare_lf (reader));
}

static void
test_lone_cr (void)
{
  g_autoptr(McLineReader) reader = reader_for ("220 a\rb\r\n", 9);
  g_autofree char *line = read_ok (reader);

  /* A CR that ends nothing stays part of the line (and is made visible later). */
  g_assert_cmpstr (line, ==, "220 a\rb");
}

static void
test_nul_inside_line (void)
{
  static const char data[] = "* OK real\0[ALERT] hidden\r\n* OK next\r\n";
  g_autoptr(McLineReader) reader = reader_for (data, sizeof data - 1);

  /* Never silently cut at the NUL: the hidden part would vanish from view. */
  read_fails (reader, MC_LINE_ERROR_NUL);
}

static void
test_line_at_limit (void)
{
  g_autofree char *text = g_strnfill (MC_LINE_MAX, 'x');
  g_autofree char *data = g_strconcat (text, "\r\n", NULL);
  g_autoptr(McLineReader) reader = reader_for (data, strlen (data));
  g_autofree char *line = read_ok (reader);

  g_assert_cmpuint (strlen (line), ==, MC_LINE_MAX);
}

static void
test_overlong_line (void)
{
  const gsize lengths[] = { MC_LINE_MAX + 1, MC_LINE_MAX + 2, 64 * 1024 };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autofree char *text = g_strnfill (lengths[i], 'x');
      g_autofree char *data = g_strconcat (text, "\r\n", NULL);
      g_autoptr(McLineReader) reader = reader_for (data, strlen (data));

      read_fails (reader, MC_LINE_ERROR_TOO_LONG);
    }
}

static void
test_never_ending_line (void)
{
  g_autoptr(TestEndlessStream) stream = g_object_new (TEST_TYPE_ENDLESS_STREAM, NULL);
  g_autoptr(McLineReader) reader = mc_line_reader_new (G_INPUT_STREAM (stream));

  read_fails (reader, MC_LINE_ERROR_TOO_LONG);
  /* Bounded memory: it stops reading once its fixed buffer is full. */
  g_test_message ("read %" G_GUINT64_FORMAT " bytes of an endless line", stream->served);
  g_assert_cmpuint (stream->served, <=, MC_LINE_MAX + 2);
  g_assert_cmpuint (mc_line_reader_get_total_read (reader), ==, stream->served);
}

static void
test_truncated_last_line (void)
{
  g_autoptr(McLineReader) reader = reader_for ("* OK first\r\n* OK trunc", 22);
  g_autofree char *first = read_ok (reader);

  g_assert_cmpstr (first, ==, "* OK first");
  read_fails (reader, MC_LINE_ERROR_TRUNCATED);
}

static void
test_empty_stream (void)
{
  g_autoptr(McLineReader) reader = reader_for ("", 0);

  read_fails (reader, MC_LINE_ERROR_CLOSED);
}

static void
test_trickle (void)
{
  g_autoptr(McLineReader) reader = trickle_reader_for ("250-a\r\n250 b\r\n");
  g_autofree char *first = read_ok (reader);
  g_autofree char *second = read_ok (reader);

  g_assert_cmpstr (first, ==, "250-a");
  g_assert_cmpstr (second, ==, "250 b");
  g_assert_false (mc_line_reader_saw_bare_lf (reader));
}

static void
test_buffered_count (void)
{
  g_autoptr(McLineReader) reader = reader_for ("a2 OK Begin TLS\r\n* CAPABILITY X\r\n", 33);
  g_autofree char *line = read_ok (reader);

  /* What the STARTTLS injection check relies on: the rest is visible as buffered. */
  g_assert_cmpstr (line, ==, "a2 OK Begin TLS");
  g_assert_cmpuint (mc_line_reader_get_buffered (reader), ==, 16);
}

static void
test_literal (void)
{
  g_autoptr(McLineReader) reader = trickle_reader_for ("* OK {12}\r\nhello\r\nworld rest\r\n");
  g_autofree char *head = read_ok (reader);
  g_autoptr(GBytes) literal = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tail = NULL;

  g_assert_cmpstr (head, ==, "* OK {12}");
  literal = mc_line_reader_read_bytes (reader, 12, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (literal, NULL), g_bytes_get_size (literal), "hello\r\nworld", 12);
  empty = mc_line_reader_read_bytes (reader, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
  tail = read_ok (reader);
  g_assert_cmpstr (tail, ==, " rest");
}

static void
test_literal_truncated (void)
{
  g_autoptr(McLineReader) reader = reader_for ("* OK {100}\r\nshort", 17);
  g_autofree char *head = read_ok (reader);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) literal = mc_line_reader_read_bytes (reader, 100, NULL, &error);

  g_assert_cmpstr (head, ==, "* OK {100}");
  g_assert_null (literal);
  g_assert_error (error, MC_LINE_ERROR, MC_LINE_ERROR_TRUNCATED);
}

static void
test_cancelled (void)
{
  g_autoptr(McLineReader) reader = trickle_reader_for ("* OK never read\r\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_cancellable_cancel (cancellable);
  line = mc_line_reader_read_line (reader, NULL, cancellable, &error);
  g_assert_null (line);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mailcheck/line-reader/crlf", test_crlf_lines);
  g_test_add_func ("/mailcheck/line-reader/lf-only", test_lf_only_lines);
  g_test_add_func ("/mailcheck/line-reader/lone-cr-kept", test_lone_cr);
  g_test_add_func ("/mailcheck/line-reader/nul-rejected", test_nul_inside_line);
  g_test_add_func ("/mailcheck/line-reader/line-at-limit", test_line_at_limit);
  g_test_add_func ("/mailcheck/line-reader/overlong-rejected", test_overlong_line);
  g_test_add_func ("/mailcheck/line-reader/never-ending-bounded", test_never_ending_line);
  g_test_add_func ("/mailcheck/line-reader/truncated-then-eof", test_truncated_last_line);
  g_test_add_func ("/mailcheck/line-reader/empty-stream", test_empty_stream);
  g_test_add_func ("/mailcheck/line-reader/byte-by-byte", test_trickle);
  g_test_add_func ("/mailcheck/line-reader/buffered-count", test_buffered_count);
  g_test_add_func ("/mailcheck/line-reader/literal", test_literal);
  g_test_add_func ("/mailcheck/line-reader/literal-truncated", test_literal_truncated);
  g_test_add_func ("/mailcheck/line-reader/cancelled", test_cancelled);

  return g_test_run ();
}
