/* Unit tests for src/listview.c: filter, sort, identity-following
 * selection, scrolling and speed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "listview.h"
#include "xmalloc.h"

/* A table of strings: column 0 is also the id. */
struct rows {
	size_t		 n, ncols;
	char		**cell;		/* n * ncols */
};

static size_t
rows_count(void *arg)
{
	return ((struct rows *)arg)->n;
}

static const char *
rows_text(void *arg, size_t row, size_t col)
{
	struct rows *r = arg;

	return r->cell[row * r->ncols + col];
}

static const char *
rows_id(void *arg, size_t row)
{
	return rows_text(arg, row, 0);
}

static void
rows_set(struct rows *r, size_t ncols, const char *const *cells, size_t n)
{
	size_t i;

	for (i = 0; i < r->n * r->ncols; i++)
		free(r->cell[i]);
	free(r->cell);
	r->n = n;
	r->ncols = ncols;
	r->cell = xcalloc(n * ncols + 1, sizeof(char *));
	for (i = 0; i < n * ncols; i++)
		r->cell[i] = xstrdup(cells[i]);
}

static void
rows_free(struct rows *r)
{
	rows_set(r, 1, NULL, 0);
	free(r->cell);
}

static const struct listview_source source = {
	2, rows_count, rows_id, rows_text, NULL
};

/* name, memory */
static const char *const fns[] = {
	"ingest-raw", "512MB",
	"gen-0010", "2048MB",
	"Export-Daily", "128MB",
	"gen-0009", "1024MB",
	"data-raw-copy", "256MB",
	"gen-0100", "3008MB",
};

static struct listview *
fixture(struct rows *r)
{
	struct listview *lv;

	memset(r, 0, sizeof(*r));
	rows_set(r, 2, fns, 6);
	lv = listview_new(&source, r);
	listview_refresh(lv);
	return lv;
}

static void
assert_order(struct listview *lv, struct rows *r, const char *const *ids,
    size_t n)
{
	size_t i;

	assert_int_equal(listview_visible(lv), n);
	for (i = 0; i < n; i++)
		assert_string_equal(rows_id(r, listview_row(lv, i)), ids[i]);
}

static void
test_natural_compare(void **state)
{
	assert_true(listview_natural_cmp("gen-0009", "gen-0010") < 0);
	assert_true(listview_natural_cmp("gen-10", "gen-9") > 0);
	assert_true(listview_natural_cmp("512MB", "2048MB") < 0);
	assert_true(listview_natural_cmp("a2b10", "a2b9") > 0);
	assert_true(listview_natural_cmp("alpha", "Beta") < 0);
	assert_true(listview_natural_cmp("Beta", "alpha") > 0);
	assert_true(listview_natural_cmp("abc", "abcd") < 0);
	assert_true(listview_natural_cmp("", "a") < 0);
	assert_int_equal(listview_natural_cmp("same", "same"), 0);
	/* Total order: case and leading zeros still decide. */
	assert_int_not_equal(listview_natural_cmp("abc", "ABC"), 0);
	assert_int_equal(listview_natural_cmp("abc", "ABC"),
	    -listview_natural_cmp("ABC", "abc"));
	assert_int_not_equal(listview_natural_cmp("7", "007"), 0);
	assert_true(listview_natural_cmp("99999999999999999999999",
	    "100000000000000000000000") < 0);
}

static void
test_sort_each_way(void **state)
{
	struct rows r;
	struct listview *lv = fixture(&r);
	static const char *const by_name[] = { "data-raw-copy",
	    "Export-Daily", "gen-0009", "gen-0010", "gen-0100", "ingest-raw" };
	static const char *const by_mem[] = { "Export-Daily", "data-raw-copy",
	    "ingest-raw", "gen-0009", "gen-0010", "gen-0100" };
	size_t i;

	assert_int_equal(listview_sort_col(lv), 0);
	assert_int_equal(listview_sort_desc(lv), 0);
	assert_order(lv, &r, by_name, 6);
	listview_set_sort(lv, 0, 1);
	assert_int_equal(listview_sort_desc(lv), 1);
	for (i = 0; i < 6; i++)
		assert_string_equal(rows_id(&r, listview_row(lv, i)),
		    by_name[5 - i]);
	listview_set_sort(lv, 1, 0);
	assert_int_equal(listview_sort_col(lv), 1);
	assert_order(lv, &r, by_mem, 6);
	listview_set_sort(lv, 1, 1);
	assert_string_equal(rows_id(&r, listview_row(lv, 0)), "gen-0100");
	assert_string_equal(rows_id(&r, listview_row(lv, 5)), "Export-Daily");
	assert_int_equal(listview_row(lv, 6), (size_t)-1);
	listview_free(lv);
	rows_free(&r);
}

static int
by_length(void *arg, size_t a, size_t b, size_t col)
{
	size_t la = strlen(rows_text(arg, a, col));
	size_t lb = strlen(rows_text(arg, b, col));

	return la < lb ? -1 : la > lb;
}

static void
test_custom_compare_and_stable_ties(void **state)
{
	struct rows r;
	struct listview_source s = source;
	struct listview *lv;
	/* Lengths 3, 2, 3, 1, 2: equal ones keep the source order. */
	static const char *const cells[] = { "bbb", "x", "zz", "x", "aaa",
	    "x", "q", "x", "yy", "x" };
	static const char *const want[] = { "q", "zz", "yy", "bbb", "aaa" };

	memset(&r, 0, sizeof(r));
	rows_set(&r, 2, cells, 5);
	s.compare = by_length;
	lv = listview_new(&s, &r);
	listview_refresh(lv);
	assert_order(lv, &r, want, 5);
	listview_set_sort(lv, 0, 1);
	/* Descending flips the comparison, not the tie order. */
	assert_string_equal(rows_id(&r, listview_row(lv, 0)), "bbb");
	assert_string_equal(rows_id(&r, listview_row(lv, 1)), "aaa");
	assert_string_equal(rows_id(&r, listview_row(lv, 4)), "q");
	listview_free(lv);
	rows_free(&r);
}

static void
test_filter_substring_smart_case(void **state)
{
	struct rows r;
	struct listview *lv = fixture(&r);
	struct dlc_err err = { 0 };
	static const char *const raw[] = { "data-raw-copy", "ingest-raw" };
	static const char *const exp_ci[] = { "Export-Daily" };
	size_t s, e;

	assert_string_equal(listview_filter(lv), "");
	assert_int_equal(listview_matches(lv, "raw", 3, &s, &e), 0);
	assert_int_equal(listview_set_filter(lv, "raw", &err), 0);
	assert_string_equal(listview_filter(lv), "raw");
	assert_order(lv, &r, raw, 2);
	assert_int_equal(listview_total(lv), 6);
	/* Lower case matches any case. */
	assert_int_equal(listview_set_filter(lv, "export", &err), 0);
	assert_order(lv, &r, exp_ci, 1);
	/* An upper-case letter makes it exact. */
	assert_int_equal(listview_set_filter(lv, "EXPORT", &err), 0);
	assert_int_equal(listview_visible(lv), 0);
	assert_null(listview_selected_id(lv));
	assert_int_equal(listview_set_filter(lv, "Export", &err), 0);
	assert_int_equal(listview_visible(lv), 1);
	/* Any column: memory. */
	assert_int_equal(listview_set_filter(lv, "2048", &err), 0);
	assert_int_equal(listview_visible(lv), 1);
	assert_string_equal(listview_selected_id(lv), "gen-0010");
	assert_int_equal(listview_matches(lv, "x-2048MB", 8, &s, &e), 1);
	assert_int_equal(s, 2);
	assert_int_equal(e, 6);
	assert_int_equal(listview_set_filter(lv, "", &err), 0);
	assert_int_equal(listview_visible(lv), 6);
	assert_int_equal(listview_set_filter(lv, NULL, &err), 0);
	assert_int_equal(listview_visible(lv), 6);
	assert_string_equal(listview_filter(lv), "");
	listview_free(lv);
	rows_free(&r);
}

static void
test_filter_regex(void **state)
{
	struct rows r;
	struct listview *lv = fixture(&r);
	struct dlc_err err = { 0 };
	static const char *const gens[] = { "gen-0009", "gen-0010" };
	size_t s, e;

	assert_int_equal(listview_set_filter(lv, "/^gen-00[01][0-9]$", &err),
	    0);
	assert_order(lv, &r, gens, 2);
	/* Smart case: lower-case regex ignores case... */
	assert_int_equal(listview_set_filter(lv, "/^export", &err), 0);
	assert_int_equal(listview_visible(lv), 1);
	/* ...an escape like \S does not count as upper case... */
	assert_int_equal(listview_set_filter(lv, "/^e\\S+y$", &err), 0);
	assert_int_equal(listview_visible(lv), 1);
	/* ...a real capital does. */
	assert_int_equal(listview_set_filter(lv, "/^EXPORT", &err), 0);
	assert_int_equal(listview_visible(lv), 0);
	assert_int_equal(listview_set_filter(lv, "/raw$", &err), 0);
	assert_int_equal(listview_visible(lv), 1);
	assert_string_equal(listview_selected_id(lv), "ingest-raw");
	assert_int_equal(listview_matches(lv, "ingest-raw", 10, &s, &e), 1);
	assert_int_equal(s, 7);
	assert_int_equal(e, 10);
	assert_int_equal(listview_matches(lv, "raw-x", 5, &s, &e), 0);
	/* UTF-8 and a match length that is not the text's end. */
	assert_int_equal(listview_set_filter(lv, "/é+", &err), 0);
	assert_int_equal(listview_matches(lv, "caféé!", 8, &s, &e), 1);
	assert_int_equal(s, 3);
	assert_int_equal(e, 7);
	assert_int_equal(listview_matches(lv, "caf\xff", 4, &s, &e), 0);
	listview_free(lv);
	rows_free(&r);
}

static void
test_bad_regex_keeps_old_filter(void **state)
{
	struct rows r;
	struct listview *lv = fixture(&r);
	struct dlc_err err = { 0 };

	assert_int_equal(listview_set_filter(lv, "gen", &err), 0);
	assert_int_equal(listview_visible(lv), 3);
	assert_int_equal(listview_set_filter(lv, "/gen-(00", &err), -1);
	assert_string_equal(err.code, "BadFilter");
	assert_non_null(strstr(err.message, "missing closing parenthesis"));
	assert_non_null(strstr(err.message, "offset 7"));
	assert_true(err.fix[0] != '\0');
	assert_string_equal(listview_filter(lv), "gen");
	assert_int_equal(listview_visible(lv), 3);
	listview_free(lv);
	rows_free(&r);
}

static void
test_selection_follows_identity(void **state)
{
	struct rows r;
	struct listview *lv = fixture(&r);
	struct dlc_err err = { 0 };

	assert_string_equal(listview_selected_id(lv), "data-raw-copy");
	assert_int_equal(listview_select_id(lv, "gen-0010"), 0);
	assert_int_equal(listview_cursor(lv), 3);
	assert_int_equal(listview_select_id(lv, "nope"), -1);
	assert_string_equal(listview_selected_id(lv), "gen-0010");
	assert_int_equal(listview_select_id(lv, NULL), -1);

	/* Re-sort: the same function stays selected at its new index. */
	listview_set_sort(lv, 0, 1);
	assert_string_equal(listview_selected_id(lv), "gen-0010");
	assert_int_equal(listview_cursor(lv), 2);
	listview_set_sort(lv, 1, 0);
	assert_string_equal(listview_selected_id(lv), "gen-0010");
	assert_int_equal(listview_cursor(lv), 4);

	/* Filter: still the same one; filtered out and back: it returns. */
	assert_int_equal(listview_set_filter(lv, "gen", &err), 0);
	assert_string_equal(listview_selected_id(lv), "gen-0010");
	assert_int_equal(listview_cursor(lv), 1);
	assert_int_equal(listview_set_filter(lv, "zzz", &err), 0);
	assert_null(listview_selected_id(lv));
	listview_move(lv, 1);
	listview_home(lv);
	listview_end(lv);
	assert_int_equal(listview_set_filter(lv, "", &err), 0);
	assert_string_equal(listview_selected_id(lv), "gen-0010");

	/* Refresh with a new row sorted in front: selection follows. */
	{
		static const char *const more[] = {
			"ingest-raw", "512MB", "gen-0010", "2048MB",
			"a-new-one", "64MB", "gen-0009", "1024MB",
		};
		rows_set(&r, 2, more, 4);
		listview_refresh(lv);
		assert_int_equal(listview_total(lv), 4);
		assert_string_equal(listview_selected_id(lv), "gen-0010");
		assert_int_equal(listview_cursor(lv), 3);
	}
	listview_free(lv);
	rows_free(&r);
}

static void
test_vanished_id_keeps_position(void **state)
{
	struct rows r;
	struct listview *lv = fixture(&r);
	static const char *const fewer[] = {
		"a", "1", "b", "1", "c", "1", "d", "1",
	};
	static const char *const two[] = { "a", "1", "b", "1" };

	assert_int_equal(listview_select_id(lv, "gen-0009"), 0);
	assert_int_equal(listview_cursor(lv), 2);
	rows_set(&r, 2, fewer, 4);
	listview_refresh(lv);
	assert_int_equal(listview_cursor(lv), 2);
	assert_string_equal(listview_selected_id(lv), "c");
	listview_end(lv);
	assert_string_equal(listview_selected_id(lv), "d");
	/* The last row vanished: clamp to the new last. */
	rows_set(&r, 2, two, 2);
	listview_refresh(lv);
	assert_int_equal(listview_cursor(lv), 1);
	assert_string_equal(listview_selected_id(lv), "b");
	rows_set(&r, 2, NULL, 0);
	listview_refresh(lv);
	assert_int_equal(listview_total(lv), 0);
	assert_int_equal(listview_visible(lv), 0);
	assert_null(listview_selected_id(lv));
	listview_free(lv);
	rows_free(&r);
	listview_free(NULL);
}

static void
make_many(struct rows *r, size_t n)
{
	char **cells = xcalloc(n * 3, sizeof(char *));
	size_t i;

	for (i = 0; i < n; i++) {
		/* Scrambled order so the sort has work to do. */
		size_t k = (i * 7919) % n;
		cells[3 * i] = xasprintf("fn-%05zu", k);
		cells[3 * i + 1] = xasprintf("%zuMB", 128 + (k * 37) % 10112);
		cells[3 * i + 2] = xasprintf("%s layer %zu", k % 3 ? "python" :
		    "nodejs", k % 17);
	}
	memset(r, 0, sizeof(*r));
	rows_set(r, 3, (const char *const *)cells, n);
	for (i = 0; i < n * 3; i++)
		free(cells[i]);
	free(cells);
}

static void
test_move_home_end_top(void **state)
{
	struct rows r;
	struct listview_source s = source;
	struct listview *lv;
	size_t i;

	make_many(&r, 100);
	s.ncols = 3;
	lv = listview_new(&s, &r);
	listview_refresh(lv);
	assert_int_equal(listview_cursor(lv), 0);
	assert_int_equal(listview_top(lv, 10), 0);
	listview_move(lv, 9);
	assert_int_equal(listview_top(lv, 10), 0);
	listview_move(lv, 1);
	assert_int_equal(listview_cursor(lv), 10);
	assert_int_equal(listview_top(lv, 10), 1);	/* minimal scroll */
	listview_move(lv, -5);
	assert_int_equal(listview_top(lv, 10), 1);	/* still in view */
	listview_move(lv, -5);
	assert_int_equal(listview_cursor(lv), 0);
	assert_int_equal(listview_top(lv, 10), 0);
	listview_move(lv, -1000);
	assert_int_equal(listview_cursor(lv), 0);
	listview_move(lv, LONG_MIN);
	assert_int_equal(listview_cursor(lv), 0);
	listview_move(lv, 1000);
	assert_int_equal(listview_cursor(lv), 99);
	listview_move(lv, LONG_MAX);
	assert_int_equal(listview_cursor(lv), 99);
	assert_int_equal(listview_top(lv, 10), 90);
	listview_home(lv);
	assert_int_equal(listview_top(lv, 10), 0);
	listview_end(lv);
	assert_int_equal(listview_cursor(lv), 99);
	assert_string_equal(listview_selected_id(lv), "fn-00099");
	assert_int_equal(listview_top(lv, 10), 90);
	/* A taller window shows more without leaving blank rows below. */
	assert_int_equal(listview_top(lv, 30), 70);
	assert_int_equal(listview_top(lv, 200), 0);
	assert_int_equal(listview_top(lv, 0), 0);
	for (i = 0; i < 100; i++)
		assert_string_equal(listview_selected_id(lv), "fn-00099");
	listview_free(lv);
	rows_free(&r);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * Far above the ~10 ms it takes, so a loaded machine still passes; ASan and
 * UBSan make the code several times slower.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SLOW_MS		200.0
#else
#define SLOW_MS		50.0
#endif

static void
test_ten_thousand_rows_fast(void **state)
{
	struct rows r;
	struct listview_source s = source;
	struct listview *lv;
	struct dlc_err err = { 0 };
	double t0, ms, best = 1e9;
	size_t i;
	int run;

	make_many(&r, 10000);
	s.ncols = 3;
	lv = listview_new(&s, &r);
	assert_int_equal(listview_select_id(lv, "x"), -1);
	/* The best of three, so one descheduling does not fail the test. */
	for (run = 0; run < 3; run++) {
		assert_int_equal(listview_set_filter(lv, "", &err), 0);
		listview_set_sort(lv, 0, 0);
		t0 = now_ms();
		listview_refresh(lv);
		listview_set_sort(lv, 1, 0);
		assert_int_equal(listview_set_filter(lv, "/^fn-0.*7$", &err),
		    0);
		ms = now_ms() - t0;
		if (ms < best)
			best = ms;
	}
	assert_int_equal(listview_total(lv), 10000);
	assert_int_equal(listview_visible(lv), 1000);
	for (i = 1; i < listview_visible(lv); i++)
		assert_true(listview_natural_cmp(
		    rows_text(&r, listview_row(lv, i - 1), 1),
		    rows_text(&r, listview_row(lv, i), 1)) <= 0);
	if (best >= SLOW_MS)
		fail_msg("refresh+sort+filter of 10,000 rows took %.1f ms",
		    best);
	best = 1e9;
	for (run = 0; run < 3; run++) {
		listview_set_sort(lv, 0, 0);
		t0 = now_ms();
		assert_int_equal(listview_set_filter(lv, "nodejs", &err), 0);
		listview_set_sort(lv, 0, 1);
		ms = now_ms() - t0;
		if (ms < best)
			best = ms;
	}
	assert_int_equal(listview_visible(lv), 3334);
	assert_string_equal(rows_id(&r, listview_row(lv, 0)), "fn-09999");
	if (best >= SLOW_MS)
		fail_msg("substring filter and sort took %.1f ms", best);
	listview_free(lv);
	rows_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_natural_compare),
		cmocka_unit_test(test_sort_each_way),
		cmocka_unit_test(test_custom_compare_and_stable_ties),
		cmocka_unit_test(test_filter_substring_smart_case),
		cmocka_unit_test(test_filter_regex),
		cmocka_unit_test(test_bad_regex_keeps_old_filter),
		cmocka_unit_test(test_selection_follows_identity),
		cmocka_unit_test(test_vanished_id_keeps_position),
		cmocka_unit_test(test_move_home_end_top),
		cmocka_unit_test(test_ten_thousand_rows_fast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
