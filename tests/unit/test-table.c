/*
 * Unit tests for src/table.c: alignment (with wide characters), no trailing
 * spaces, sanitised cells, and shrinking to a width limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "sanitize.h"
#include "table.h"

static char *
render(const struct table *t, size_t max_width)
{
	struct buf b;

	buf_init(&b, 0);
	table_render(t, &b, max_width);
	return buf_detach(&b, NULL);
}

/* Every line: '\n'-terminated, no trailing space, at most max columns. */
static void
assert_lines(const char *text, size_t max, size_t want_lines)
{
	const char *p = text, *nl;
	size_t lines = 0;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if (nl > p)
			assert_true(nl[-1] != ' ');
		if (max > 0)
			assert_true(sanitize_width(p, (size_t)(nl - p)) <= max);
		lines++;
		p = nl + 1;
	}
	assert_int_equal(lines, want_lines);
}

static struct table *
functions_table(void)
{
	static const char *const h[] = { "NAME", "RUNTIME", "SIZE" };
	static const char *const r1[] = { "ingest-orders", "python3.12",
	    "1024" };
	static const char *const r2[] = { "x", "java21", "52428800" };
	struct table *t = table_new(3, h);

	table_set_align(t, 2, 1);
	table_add_row(t, r1);
	table_add_row(t, r2);
	return t;
}

static void
test_basic_alignment(void **state)
{
	struct table *t = functions_table();
	char *out = render(t, 0);

	assert_string_equal(out,
	    "NAME           RUNTIME         SIZE\n"
	    "ingest-orders  python3.12      1024\n"
	    "x              java21      52428800\n");
	assert_int_equal(table_rows(t), 2);
	assert_lines(out, 0, 3);
	free(out);
	table_free(t);
}

static void
test_no_trailing_spaces_and_empty_cells(void **state)
{
	static const char *const h[] = { "A", "B" };
	static const char *const r1[] = { "long-value", NULL };
	static const char *const r2[] = { "", "b" };
	struct table *t = table_new(2, h);
	char *out;

	table_add_row(t, r1);
	table_add_row(t, r2);
	table_add_row(t, NULL);
	out = render(t, 0);
	assert_string_equal(out,
	    "A           B\n"
	    "long-value\n"
	    "            b\n"
	    "\n");
	assert_lines(out, 0, 4);
	free(out);
	table_free(t);
}

static void
test_wide_characters_keep_columns(void **state)
{
	static const char *const h[] = { "NAME", "STATE" };
	/* 日本語 is 6 columns in 9 bytes; é is 1 column in 2 bytes. */
	static const char *const r1[] = { "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	    "Active" };
	static const char *const r2[] = { "caf\xc3\xa9", "Failed" };
	static const char *const r3[] = { "\xf0\x9f\x8e\x89x", "Pending" };
	struct table *t = table_new(2, h);
	char *out;

	table_add_row(t, r1);
	table_add_row(t, r2);
	table_add_row(t, r3);
	out = render(t, 0);
	assert_string_equal(out,
	    "NAME    STATE\n"
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e  Active\n"
	    "caf\xc3\xa9    Failed\n"
	    "\xf0\x9f\x8e\x89x     Pending\n");
	free(out);
	table_free(t);
}

static void
test_cells_are_sanitised(void **state)
{
	static const char *const h[] = { "NAME", "DESCRIPTION" };
	static const char *const r1[] = { "\x1b[2Jevil", "a\tb\r\nc\xff" };
	static const char *const r2[] = { "ok", "\xe2\x80\xae" "gnp.exe" };
	struct table *t = table_new(2, h);
	char *out;
	size_t i;

	table_add_row(t, r1);
	table_add_row(t, r2);
	out = render(t, 0);
	assert_string_equal(out,
	    "NAME         DESCRIPTION\n"
	    "\\x1b[2Jevil  a       b\\r\\nc\xef\xbf\xbd\n"
	    "ok           \\u202egnp.exe\n");
	for (i = 0; out[i] != '\0'; i++)
		assert_true(out[i] == '\n' || (unsigned char)out[i] >= 0x20);
	free(out);
	table_free(t);
}

/* A name column shows what would hide: two look-alike names differ. */
static void
test_identifier_columns(void **state)
{
	static const char *const h[] = { "FUNCTION", "DESCRIPTION" };
	static const char *const r1[] = { "pay\xe2\x80\x8bments", "zw\xe2\x80\x8bj" };
	static const char *const r2[] = { "payments", "x" };
	static const char *const r3[] = { "exe.\xe2\x80\xae" "fdp", "y" };
	struct table *t = table_new(2, h);
	char *out;

	table_set_identifier(t, 0, 1);
	table_add_row(t, r1);
	table_add_row(t, r2);
	table_add_row(t, r3);
	out = render(t, 0);
	assert_string_equal(out,
	    "FUNCTION          DESCRIPTION\n"
	    "pay<U+200B>ments  zw\xe2\x80\x8bj\n"
	    "payments          x\n"
	    "exe.<U+202E>fdp   y\n");
	free(out);
	table_free(t);
}

static void
test_headers_sanitised_and_optional(void **state)
{
	static const char *const h[] = { "N\x1b", "V" };
	static const char *const r[] = { "a", "b" };
	struct table *t = table_new(2, h);
	char *out;

	table_add_row(t, r);
	out = render(t, 0);
	assert_string_equal(out, "N\\x1b  V\na      b\n");
	free(out);
	table_free(t);

	t = table_new(2, NULL);
	table_add_row(t, r);
	out = render(t, 0);
	assert_string_equal(out, "a  b\n");
	free(out);
	table_free(t);
}

static void
test_max_width_shrinks_widest(void **state)
{
	static const char *const h[] = { "NAME", "DESCRIPTION", "AGE" };
	static const char *const r1[] = { "ingest",
	    "Lands order events from the queue in datalake_raw", "3d" };
	static const char *const r2[] = { "export", "short", "12h" };
	struct table *t = table_new(3, h);
	char *out;

	table_set_align(t, 2, 1);
	table_add_row(t, r1);
	table_add_row(t, r2);
	/* Unlimited: 6 + 2 + 49 + 2 + 3 = 62 columns. */
	out = render(t, 0);
	assert_lines(out, 0, 3);
	assert_non_null(strstr(out, "datalake_raw"));
	free(out);
	out = render(t, 62);
	assert_non_null(strstr(out, "datalake_raw"));
	free(out);
	/* 30 columns: only DESCRIPTION gives way (to 30 - 6 - 2 - 2 - 3). */
	out = render(t, 30);
	assert_string_equal(out,
	    "NAME    DESCRIPTION        AGE\n"
	    "ingest  Lands order even\xe2\x80\xa6   3d\n"
	    "export  short              12h\n");
	assert_lines(out, 30, 3);
	free(out);
	table_free(t);
}

static void
test_max_width_respects_fixed_columns(void **state)
{
	static const char *const h[] = { "NAME", "NOTE" };
	static const char *const r1[] = { "a-very-long-function-name",
	    "a fairly long note" };
	struct table *t = table_new(2, h);
	char *out;

	table_add_row(t, r1);
	/* Both flexible: the wider NAME is cut first. */
	out = render(t, 30);
	assert_string_equal(out,
	    "NAME            NOTE\n"
	    "a-very-long-f\xe2\x80\xa6  a fairly long\xe2\x80\xa6\n");
	assert_lines(out, 30, 2);
	free(out);
	/* NAME fixed: NOTE goes down to its floor (its header) first. */
	table_set_flexible(t, 0, 0);
	out = render(t, 31);
	assert_string_equal(out,
	    "NAME                       NOTE\n"
	    "a-very-long-function-name  a f\xe2\x80\xa6\n");
	assert_lines(out, 31, 2);
	free(out);
	/* Narrower still: NAME must give way too, NOTE stays at its floor. */
	out = render(t, 20);
	assert_lines(out, 20, 2);
	assert_non_null(strstr(out, "a f\xe2\x80\xa6"));
	free(out);
	table_free(t);
}

static void
test_max_width_never_exceeded(void **state)
{
	static const char *const h[] = { "ID", "NAME", "RUNTIME", "SIZE" };
	static const char *const r1[] = { "1", "\xe6\x97\xa5\xe6\x9c\xac"
	    "\xe8\xaa\x9e-function-with-wide-chars", "python3.12", "123456" };
	static const char *const r2[] = { "22", "n", "\xf0\x9f\x8e\x89\xf0\x9f"
	    "\x8e\x89\xf0\x9f\x8e\x89", "1" };
	struct table *t = table_new(4, h);
	size_t max;
	char *out;

	table_set_align(t, 3, 1);
	table_add_row(t, r1);
	table_add_row(t, r2);
	/* Down to the narrowest a 4-column table can be: 4 + 3 * 2. */
	for (max = 10; max <= 80; max++) {
		out = render(t, max);
		assert_lines(out, max, 3);
		free(out);
	}
	/* Narrower than possible: every column is 1 wide, so anything
	 * wider than 1, headers too, is just "…". */
	out = render(t, 5);
	assert_string_equal(out,
	    "\xe2\x80\xa6  \xe2\x80\xa6  \xe2\x80\xa6  \xe2\x80\xa6\n"
	    "1  \xe2\x80\xa6  \xe2\x80\xa6  \xe2\x80\xa6\n"
	    "\xe2\x80\xa6  n  \xe2\x80\xa6  1\n");
	free(out);
	table_free(t);
}

static void
test_huge_cell_is_capped(void **state)
{
	static const char *const h[] = { "MESSAGE" };
	size_t n = 100000;
	char *big = malloc(n + 1), *out;
	const char *row[1];
	struct table *t;

	assert_non_null(big);
	memset(big, 'x', n);
	big[n] = '\0';
	row[0] = big;
	t = table_new(1, h);
	table_add_row(t, row);
	out = render(t, 0);
	/* 8192 columns of x, then "…", then the newline. */
	assert_int_equal(strlen(out), strlen("MESSAGE\n") + 8192 + 3 + 1);
	assert_non_null(strstr(out, "x\xe2\x80\xa6\n"));
	free(out);
	table_free(t);
	free(big);
}

static void
test_huge_cell_cut_on_character_boundary(void **state)
{
	size_t n = 8190 + 3 * 10, i;
	char *big = malloc(n + 1), *out;
	const char *row[1];
	struct table *t;

	assert_non_null(big);
	memset(big, 'x', 8190);
	/* The cap falls inside the first 日 (bytes 8190..8192). */
	for (i = 8190; i < n; i += 3)
		memcpy(big + i, "\xe6\x97\xa5", 3);
	big[n] = '\0';
	row[0] = big;
	t = table_new(1, NULL);
	table_add_row(t, row);
	out = render(t, 0);
	assert_int_equal(strlen(out), 8190 + 3 + 1);
	assert_memory_equal(out + 8188, "xx\xe2\x80\xa6\n", 6);
	assert_true(sanitize_utf8_valid(out, strlen(out)));
	free(out);
	table_free(t);
	free(big);
}

static void
test_ceiling_ends_on_line_break(void **state)
{
	struct table *t = functions_table();
	struct buf b;

	buf_init(&b, 50);
	table_render(t, &b, 0);
	assert_string_equal(b.data, "NAME           RUNTIME         SIZE\n");
	buf_free(&b);
	table_free(t);
	table_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_alignment),
		cmocka_unit_test(test_no_trailing_spaces_and_empty_cells),
		cmocka_unit_test(test_wide_characters_keep_columns),
		cmocka_unit_test(test_cells_are_sanitised),
		cmocka_unit_test(test_headers_sanitised_and_optional),
		cmocka_unit_test(test_max_width_shrinks_widest),
		cmocka_unit_test(test_max_width_respects_fixed_columns),
		cmocka_unit_test(test_max_width_never_exceeded),
		cmocka_unit_test(test_huge_cell_is_capped),
		cmocka_unit_test(test_huge_cell_cut_on_character_boundary),
		cmocka_unit_test(test_ceiling_ends_on_line_break),
		cmocka_unit_test(test_identifier_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
