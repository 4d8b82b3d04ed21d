/*
 * Unit tests for src/sanitize.c: hostile terminal input made inert, UTF-8
 * validation at its edges, display widths and fitting text into columns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "sanitize.h"

static char *
san(const char *s, size_t len, int flags, size_t *width)
{
	struct buf b;
	size_t w;

	buf_init(&b, 0);
	w = sanitize_append(&b, s, len, flags);
	if (width != NULL)
		*width = w;
	return buf_detach(&b, NULL);
}

static void
check(const char *in, size_t len, int flags, const char *want,
    size_t want_width)
{
	size_t w;
	char *out = san(in, len, flags, &w);

	assert_string_equal(out, want);
	assert_int_equal(w, want_width);
	free(out);
}

/* No byte that a terminal acts on may survive, whatever the input. */
static void
assert_inert(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, len = strlen(s);

	assert_true(sanitize_utf8_valid(s, len));
	for (i = 0; i < len; i++) {
		assert_true(u[i] >= 0x20 && u[i] != 0x7f);
		/* U+0080..U+009F encoded as C2 80..C2 9F */
		if (u[i] == 0xc2 && i + 1 < len)
			assert_false(u[i + 1] >= 0x80 && u[i + 1] <= 0x9f);
	}
}

static void
test_plain_text_kept(void **state)
{
	check("hello, world", 12, 0, "hello, world", 12);
	check("", 0, 0, "", 0);
}

static void
test_escape_sequences_inert(void **state)
{
	/* Clear screen, set window title, a colour, cursor home. */
	check("\x1b[2J", 4, 0, "\\x1b[2J", 7);
	check("\x1b]0;pwned\x07", 10, 0, "\\x1b]0;pwned\\x07", 16);
	check("\x1b[31mred\x1b[0m", 12, 0, "\\x1b[31mred\\x1b[0m", 18);
	check("\x08\x08\x08", 3, 0, "\\x08\\x08\\x08", 12);
	check("\x7f", 1, 0, "\\x7f", 4);
}

static void
test_c1_controls_inert(void **state)
{
	/* A raw 0x9b (8-bit CSI) is not UTF-8: replaced. */
	check("\x9b" "2J", 3, 0, "\xef\xbf\xbd" "2J", 3);
	/* U+009B, the same CSI as a valid code point: shown escaped. */
	check("\xc2\x9b" "2J", 4, 0, "\\u009b2J", 8);
	check("a\xc2\x85" "b", 4, 0, "a\\u0085b", 8);
	check("\xc2\x80\xc2\x9f", 4, 0, "\\u0080\\u009f", 12);
	/* U+00A0 is the first character after C1: kept. */
	check("\xc2\xa0", 2, 0, "\xc2\xa0", 1);
}

static void
test_carriage_return_overwrite(void **state)
{
	/* "rm -rf /\rls" would show only "ls" on a terminal. */
	check("rm -rf /\rls -l  ", 16, 0, "rm -rf /\\rls -l  ", 17);
	check("a\r\nb", 4, 0, "a\\r\\nb", 6);
	check("a\r\nb", 4, SANITIZE_KEEP_NEWLINE, "a\\r\nb", 3);
}

static void
test_nul_in_the_middle(void **state)
{
	check("ab\0cd", 5, 0, "ab\\x00cd", 8);
	check("\0", 1, 0, "\\x00", 4);
}

static void
test_invalid_utf8_replaced(void **state)
{
	/* Truncated euro sign at the end: each byte becomes U+FFFD. */
	check("ok\xe2\x82", 4, 0, "ok\xef\xbf\xbd\xef\xbf\xbd", 4);
	/* Overlong '/' */
	check("\xc0\xaf", 2, 0, "\xef\xbf\xbd\xef\xbf\xbd", 2);
	/* Overlong 3- and 4-byte forms */
	check("\xe0\x80\xaf", 3, 0,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 3);
	check("\xf0\x80\x80\xaf", 4, 0, "\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd", 4);
	/* UTF-16 surrogate U+D800 */
	check("\xed\xa0\x80", 3, 0,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 3);
	/* Past U+10FFFF, and bytes that never appear in UTF-8 */
	check("\xf4\x90\x80\x80", 4, 0, "\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd", 4);
	check("\xfe\xff", 2, 0, "\xef\xbf\xbd\xef\xbf\xbd", 2);
	/* A lone continuation byte between good text */
	check("a\x80z", 3, 0, "a\xef\xbf\xbdz", 3);
	/* A bad byte does not swallow the good character after it */
	check("\xe2\xe2\x82\xac", 4, 0, "\xef\xbf\xbd\xe2\x82\xac", 2);
}

static void
test_bidi_controls_inert(void **state)
{
	/* Trojan source: RLO reverses what follows. */
	check("admin\xe2\x80\xae" "txt.exe", 15, 0,
	    "admin\\u202etxt.exe", 18);
	check("\xe2\x81\xa6x\xe2\x81\xa9", 7, 0, "\\u2066x\\u2069", 13);
	check("\xe2\x80\x8f", 3, 0, "\\u200f", 6);
	check("a\xe2\x80\xa8" "b", 5, 0, "a\\u2028b", 8);
}

static char *
fit_flags(const char *s, size_t width, int right, int flags)
{
	struct buf b;

	buf_init(&b, 0);
	sanitize_fit_flags(&b, s, width, right, flags);
	return buf_detach(&b, NULL);
}

/* The one table: each class, and its edges. */
static void
test_cp_class_table(void **state)
{
	assert_int_equal(sanitize_cp_class('a'), 0);
	assert_int_equal(sanitize_cp_class(0x7f), 0);	/* DEL is a C0 matter */
	assert_int_equal(sanitize_cp_class(0x80), SANITIZE_CP_C1);
	assert_int_equal(sanitize_cp_class(0x9f), SANITIZE_CP_C1);
	assert_int_equal(sanitize_cp_class(0xa0), 0);
	assert_int_equal(sanitize_cp_class(0x061c), SANITIZE_CP_BIDI);
	assert_int_equal(sanitize_cp_class(0x200a), 0);
	assert_int_equal(sanitize_cp_class(0x200b), SANITIZE_CP_INVISIBLE);
	assert_int_equal(sanitize_cp_class(0x200d), SANITIZE_CP_INVISIBLE);
	assert_int_equal(sanitize_cp_class(0x200e), SANITIZE_CP_BIDI);
	assert_int_equal(sanitize_cp_class(0x2028), SANITIZE_CP_SEPARATOR);
	assert_int_equal(sanitize_cp_class(0x202e), SANITIZE_CP_BIDI);
	assert_int_equal(sanitize_cp_class(0x202f), 0);
	assert_int_equal(sanitize_cp_class(0x2060), SANITIZE_CP_INVISIBLE);
	assert_int_equal(sanitize_cp_class(0x2064), SANITIZE_CP_INVISIBLE);
	assert_int_equal(sanitize_cp_class(0x2065), 0);
	assert_int_equal(sanitize_cp_class(0x2069), SANITIZE_CP_BIDI);
	assert_int_equal(sanitize_cp_class(0xfeff), SANITIZE_CP_INVISIBLE);
	assert_int_equal(sanitize_cp_class(0xdfff0), 0);
	assert_int_equal(sanitize_cp_class(0xe0000), SANITIZE_CP_INVISIBLE);
	assert_int_equal(sanitize_cp_class(0xe007f), SANITIZE_CP_INVISIBLE);
	assert_int_equal(sanitize_cp_class(0xe0080), 0);
}

/*
 * Names: every invisible or reordering character is drawn, so
 * "pay\u200bments" cannot pass for "payments"; messages keep the
 * zero-width ones (a joiner inside an emoji is text).
 */
static void
test_identifier_mode(void **state)
{
	char *out;

	check("pay\xe2\x80\x8bments", 11, SANITIZE_IDENTIFIER,
	    "pay<U+200B>ments", 16);
	check("pay\xe2\x80\x8bments", 11, 0, "pay\xe2\x80\x8bments", 8);
	check("admin\xe2\x80\xae" "txt", 11, SANITIZE_IDENTIFIER,
	    "admin<U+202E>txt", 16);
	check("\xd8\x9c\xe2\x81\xa0\xe2\x81\xa4\xef\xbb\xbf", 11,
	    SANITIZE_IDENTIFIER, "<U+061C><U+2060><U+2064><U+FEFF>", 32);
	check("a\xf3\xa0\x80\x81\xf3\xa0\x81\xbf" "b", 10, SANITIZE_IDENTIFIER,
	    "a<U+E0001><U+E007F>b", 20);
	check("\xc2\x85\x1b", 3, SANITIZE_IDENTIFIER, "<U+0085>\\x1b", 12);
	/* Everything else in a name is kept: accents, CJK, emoji. */
	check("caf\xc3\xa9-\xe4\xb8\xad", 9, SANITIZE_IDENTIFIER,
	    "caf\xc3\xa9-\xe4\xb8\xad", 7);
	out = sanitize_id_str("f\xe2\x81\xa9");
	assert_string_equal(out, "f<U+2069>");
	free(out);
	assert_null(sanitize_id_str(NULL));
	assert_int_equal(sanitize_display_width("a\xe2\x80\x8b", 4, SANITIZE_IDENTIFIER), 9);
	assert_int_equal(sanitize_display_width("a\xe2\x80\x8b", 4, 0), 1);
	out = fit_flags("ab\xe2\x80\x8b" "c", 12, 0, SANITIZE_IDENTIFIER);
	assert_string_equal(out, "ab<U+200B>c ");
	free(out);
	out = fit_flags("ab\xe2\x80\x8b" "c", 6, 0, SANITIZE_IDENTIFIER);
	assert_string_equal(out, "ab<U+\xe2\x80\xa6");
	free(out);
}

static void
test_valid_utf8_kept_with_widths(void **state)
{
	/* é, CJK, an emoji, U+10FFFF */
	check("h\xc3\xa9llo", 6, 0, "h\xc3\xa9llo", 5);
	check("\xe6\x97\xa5\xe6\x9c\xac", 6, 0, "\xe6\x97\xa5\xe6\x9c\xac",
	    4);
	check("\xf0\x9f\x8e\x89!", 5, 0, "\xf0\x9f\x8e\x89!", 3);
	check("\xf4\x8f\xbf\xbf", 4, 0, "\xf4\x8f\xbf\xbf", 1);
	/* e + COMBINING ACUTE: one column */
	check("e\xcc\x81", 3, 0, "e\xcc\x81", 1);
	/* Hangul syllable, fullwidth A */
	check("\xea\xb0\x80\xef\xbc\xa1", 6, 0, "\xea\xb0\x80\xef\xbc\xa1",
	    4);
}

static void
test_newline_and_tab_flags(void **state)
{
	check("ab\ncdef", 7, 0, "ab\\ncdef", 8);
	check("ab\ncdef", 7, SANITIZE_KEEP_NEWLINE, "ab\ncdef", 4);
	check("abcdef\nx", 8, SANITIZE_KEEP_NEWLINE, "abcdef\nx", 6);
	check("a\tb", 3, 0, "a\\tb", 4);
	check("a\tb", 3, SANITIZE_TAB_AS_SPACE, "a       b", 9);
	check("12345678\tb", 10, SANITIZE_TAB_AS_SPACE,
	    "12345678        b", 17);
	/* Tab stops restart after a kept newline. */
	check("abc\n\tx", 6, SANITIZE_KEEP_NEWLINE | SANITIZE_TAB_AS_SPACE,
	    "abc\n        x", 9);
}

static void
test_ceiling_stops_at_boundary(void **state)
{
	struct buf b;
	size_t w;

	buf_init(&b, 5);
	/* The 4-byte escape for ESC does not fit after "abc": nothing of it
	 * is written, so no half escape. */
	w = sanitize_append(&b, "abc\x1b" "d", 5, 0);
	assert_string_equal(b.data, "abc");
	assert_int_equal(w, 3);
	buf_free(&b);

	buf_init(&b, 4);
	w = sanitize_append(&b, "a\xe6\x97\xa5\xe6\x9c\xac", 7, 0);
	assert_string_equal(b.data, "a\xe6\x97\xa5");
	assert_int_equal(w, 3);
	buf_free(&b);
}

static void
test_random_bytes_always_inert(void **state)
{
	/* Bytes that start escapes or broken sequences, biased towards. */
	static const char interesting[14] =
	    "\x1b\x9b\xc2\xe2\x80\xae\xed\xa0\xf4\x8f\x00\r\nA";
	uint32_t seed = 12345;
	char in[64];
	size_t i, n, w;
	int round;
	char *out;

	for (round = 0; round < 5000; round++) {
		n = (size_t)(round % 64);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			if (round % 2)
				in[i] = (char)((seed >> 16) & 0xff);
			else
				in[i] = interesting[(seed >> 16) % 14];
		}
		out = san(in, n, 0, &w);
		assert_inert(out);
		assert_int_equal(w, sanitize_width(out, strlen(out)));
		/* Clean text comes through a second time unchanged. */
		{
			char *again = san(out, strlen(out), 0, NULL);

			assert_string_equal(again, out);
			free(again);
		}
		free(out);
	}
}

static void
test_sanitize_str(void **state)
{
	char *s;

	assert_null(sanitize_str(NULL));
	s = sanitize_str("x\x1b]2;t\x07y\xff");
	assert_string_equal(s, "x\\x1b]2;t\\x07y\xef\xbf\xbd");
	free(s);
	s = sanitize_str("");
	assert_string_equal(s, "");
	free(s);
}

static void
test_width(void **state)
{
	assert_int_equal(sanitize_width("abc", 3), 3);
	assert_int_equal(sanitize_width("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	    9), 6);
	assert_int_equal(sanitize_width("a\xcc\x81\xcc\x82", 5), 1);
	/* An invalid byte would have been one U+FFFD. */
	assert_int_equal(sanitize_width("a\xff", 2), 2);
	assert_int_equal(sanitize_width("", 0), 0);
}

static void
test_cp_width_table(void **state)
{
	assert_int_equal(sanitize_cp_width('a'), 1);
	assert_int_equal(sanitize_cp_width(0x1b), 0);
	assert_int_equal(sanitize_cp_width(0x85), 0);
	assert_int_equal(sanitize_cp_width(0xe9), 1);
	assert_int_equal(sanitize_cp_width(0x0301), 0);
	assert_int_equal(sanitize_cp_width(0x200b), 0);
	assert_int_equal(sanitize_cp_width(0xfe0f), 0);
	assert_int_equal(sanitize_cp_width(0x1100), 2);
	assert_int_equal(sanitize_cp_width(0x1160), 0);
	assert_int_equal(sanitize_cp_width(0x3042), 2);
	assert_int_equal(sanitize_cp_width(0x3099), 0);
	assert_int_equal(sanitize_cp_width(0x4e00), 2);
	assert_int_equal(sanitize_cp_width(0x9fff), 2);
	assert_int_equal(sanitize_cp_width(0xac00), 2);
	assert_int_equal(sanitize_cp_width(0xd7a3), 2);
	assert_int_equal(sanitize_cp_width(0xd7a4), 1);
	assert_int_equal(sanitize_cp_width(0xff01), 2);
	assert_int_equal(sanitize_cp_width(0xff61), 1);	/* halfwidth kana */
	assert_int_equal(sanitize_cp_width(0x1f600), 2);
	assert_int_equal(sanitize_cp_width(0x1f300), 2);
	assert_int_equal(sanitize_cp_width(0x1faff), 2);
	assert_int_equal(sanitize_cp_width(0x1f650), 1);
	assert_int_equal(sanitize_cp_width(0x20000), 2);
	assert_int_equal(sanitize_cp_width(0x2026), 1);
	assert_int_equal(sanitize_cp_width(0x10ffff), 1);
}

static void
test_decode_edges(void **state)
{
	uint32_t cp;

	assert_int_equal(sanitize_utf8_decode("\xc2\x80", 2, &cp), 2);
	assert_int_equal(cp, 0x80);
	assert_int_equal(sanitize_utf8_decode("\xdf\xbf", 2, &cp), 2);
	assert_int_equal(cp, 0x7ff);
	assert_int_equal(sanitize_utf8_decode("\xe0\xa0\x80", 3, &cp), 3);
	assert_int_equal(cp, 0x800);
	assert_int_equal(sanitize_utf8_decode("\xed\x9f\xbf", 3, &cp), 3);
	assert_int_equal(cp, 0xd7ff);
	assert_int_equal(sanitize_utf8_decode("\xee\x80\x80", 3, &cp), 3);
	assert_int_equal(cp, 0xe000);
	assert_int_equal(sanitize_utf8_decode("\xf0\x90\x80\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x10000);
	assert_int_equal(sanitize_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);

	assert_int_equal(sanitize_utf8_decode("\xc1\xbf", 2, &cp), 0);
	assert_int_equal(sanitize_utf8_decode("\xe0\x9f\xbf", 3, &cp), 0);
	assert_int_equal(sanitize_utf8_decode("\xed\xbf\xbf", 3, &cp), 0);
	assert_int_equal(sanitize_utf8_decode("\xf0\x8f\xbf\xbf", 4, &cp), 0);
	assert_int_equal(sanitize_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(sanitize_utf8_decode("\xf5\x80\x80\x80", 4, &cp), 0);
	/* Complete bytes but a length that cuts them short */
	assert_int_equal(sanitize_utf8_decode("\xe2\x82\xac", 2, &cp), 0);
	assert_int_equal(sanitize_utf8_decode("\xe2\x41\xac", 3, &cp), 0);

	assert_true(sanitize_utf8_valid("a\xe2\x82\xac", 4));
	assert_false(sanitize_utf8_valid("a\xe2\x82", 3));
}

static void
test_repair_keeps_controls(void **state)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(sanitize_utf8_repair(&b, "a\x1b\xff\n\xc3\xa9", 6),
	    0);
	assert_string_equal(b.data, "a\x1b\xef\xbf\xbd\n\xc3\xa9");
	buf_free(&b);

	buf_init(&b, 3);
	assert_int_equal(sanitize_utf8_repair(&b, "ab\xff", 3), -1);
	buf_free(&b);
}

static char *
fit(const char *s, size_t width, int right)
{
	struct buf b;

	buf_init(&b, 0);
	sanitize_fit(&b, s, width, right);
	return buf_detach(&b, NULL);
}

static void
check_fit(const char *s, size_t width, int right, const char *want)
{
	char *out = fit(s, width, right);

	assert_string_equal(out, want);
	assert_int_equal(sanitize_width(out, strlen(out)), width);
	free(out);
}

static void
test_fit_pads_and_cuts(void **state)
{
	check_fit("abc", 5, 0, "abc  ");
	check_fit("abc", 5, 1, "  abc");
	check_fit("abcde", 5, 0, "abcde");
	check_fit("abcdef", 5, 0, "abcd\xe2\x80\xa6");
	check_fit("abcdef", 5, 1, "abcd\xe2\x80\xa6");
	check_fit("ab", 1, 0, "\xe2\x80\xa6");
	check_fit("a", 1, 0, "a");
	check_fit(NULL, 3, 0, "   ");
	check_fit("", 2, 1, "  ");
	check_fit("a\tb", 10, 0, "a       b ");
}

static void
test_fit_zero_width(void **state)
{
	char *out = fit("abc", 0, 0);

	assert_string_equal(out, "");
	free(out);
}

static void
test_fit_wide_characters(void **state)
{
	const char *s = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";	/* 6 cols */

	check_fit(s, 6, 0, s);
	check_fit(s, 7, 1, " \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	check_fit(s, 5, 0, "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
	/* The third character would straddle the edge: pad instead. */
	check_fit(s, 4, 0, "\xe6\x97\xa5\xe2\x80\xa6 ");
	check_fit(s, 4, 1, " \xe6\x97\xa5\xe2\x80\xa6");
	check_fit(s, 3, 0, "\xe6\x97\xa5\xe2\x80\xa6");
	check_fit(s, 2, 0, "\xe2\x80\xa6 ");
	check_fit(s, 1, 0, "\xe2\x80\xa6");
}

static void
test_fit_keeps_combining_marks(void **state)
{
	/* "abé" then "fg": é's combining mark stays with its letter. */
	check_fit("abe\xcc\x81" "fg", 4, 0, "abe\xcc\x81\xe2\x80\xa6");
	check_fit("abe\xcc\x81" "f", 4, 0, "abe\xcc\x81" "f");
	check_fit("abe\xcc\x81", 3, 0, "abe\xcc\x81");
}

static void
test_fit_sanitises(void **state)
{
	char *out;

	check_fit("\x1b[2J", 4, 0, "\\x1\xe2\x80\xa6");
	check_fit("a\xff", 3, 0, "a\xef\xbf\xbd ");
	out = fit("\x1b]0;t\x07\xc2\x9b\xe2\x80\xae", 40, 0);
	assert_inert(out);
	free(out);
}

static void
test_fit_huge_zero_width_run(void **state)
{
	/* Zalgo text: one letter and 100000 combining marks. */
	size_t n = 1 + 2 * 100000, i;
	char *s = malloc(n + 1), *out;

	assert_non_null(s);
	s[0] = 'z';
	for (i = 1; i < n; i += 2) {
		s[i] = '\xcc';
		s[i + 1] = '\x81';
	}
	s[n] = '\0';
	out = fit(s, 10, 0);
	assert_int_equal(sanitize_width(out, strlen(out)), 10);
	assert_true(strlen(out) < 2000);
	assert_true(sanitize_utf8_valid(out, strlen(out)));
	free(out);
	free(s);
}

/* The ASCII fast path steps eight bytes: a control, DEL or UTF-8 at every offset is still seen. */
static void
test_runs_at_every_offset(void **state)
{
	static const char *const odd[] = { "\x1b", "\x7f", "\xc3\xa9", "\x01", "\xff" };
	static const char *const shown[] = { "\\x1b", "\\x7f", "\xc3\xa9", "\\x01", "\xef\xbf\xbd" };
	char in[64], want[96];
	struct buf b;
	size_t k, off;

	(void)state;
	for (k = 0; k < sizeof odd / sizeof odd[0]; k++)
		for (off = 0; off < 20; off++) {
			memset(in, 'a', off);
			snprintf(in + off, sizeof in - off, "%sztail-of-it", odd[k]);
			memset(want, 'a', off);
			snprintf(want + off, sizeof want - off, "%sztail-of-it", shown[k]);
			buf_init(&b, 0);
			sanitize_append(&b, in, strlen(in), 0);
			assert_string_equal(b.data, want);
			buf_free(&b);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_at_every_offset),
		cmocka_unit_test(test_plain_text_kept),
		cmocka_unit_test(test_escape_sequences_inert),
		cmocka_unit_test(test_c1_controls_inert),
		cmocka_unit_test(test_carriage_return_overwrite),
		cmocka_unit_test(test_nul_in_the_middle),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_bidi_controls_inert),
		cmocka_unit_test(test_cp_class_table),
		cmocka_unit_test(test_identifier_mode),
		cmocka_unit_test(test_valid_utf8_kept_with_widths),
		cmocka_unit_test(test_newline_and_tab_flags),
		cmocka_unit_test(test_ceiling_stops_at_boundary),
		cmocka_unit_test(test_random_bytes_always_inert),
		cmocka_unit_test(test_sanitize_str),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_cp_width_table),
		cmocka_unit_test(test_decode_edges),
		cmocka_unit_test(test_repair_keeps_controls),
		cmocka_unit_test(test_fit_pads_and_cuts),
		cmocka_unit_test(test_fit_zero_width),
		cmocka_unit_test(test_fit_wide_characters),
		cmocka_unit_test(test_fit_keeps_combining_marks),
		cmocka_unit_test(test_fit_sanitises),
		cmocka_unit_test(test_fit_huge_zero_width_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
