/*
 * Unit tests for src/chart.c: bars in eighth blocks rising to the top
 * row, the threshold line drawn where the bars are not (and the range
 * stretched to show a threshold above every value), y labels largest on
 * top and smallest at the bottom, gaps as empty columns, ASCII fallback,
 * an empty series with only the line, and the label's short numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "chart.h"

static void
test_bars_utf8(void **state)
{
	const double v[] = { 0, 2, 4 };
	struct chart c = { 0 };

	(void)state;
	chart_render(&c, v, 3, NULL, 2, 10, 1);
	assert_int_equal(c.height, 2);
	assert_int_equal(c.columns, 3);
	assert_int_equal(c.threshold_row, -1);
	/* 16 eighths: 0 -> 1, 2 -> 1 + round(0.5 * 15) = 9, 4 -> 16. */
	assert_string_equal(c.rows[0], "       4  ▁█");
	assert_string_equal(c.rows[1], "       0 ▁██");
	chart_clear(&c);
	assert_null(c.rows);
	chart_clear(&c);
}

static void
test_threshold(void **state)
{
	const double v[] = { 1, 3, NAN, 1 };
	const double thr = 4;
	struct chart c = { 0 };

	(void)state;
	/* The threshold is above every value: the range reaches it. */
	chart_render(&c, v, 4, &thr, 3, 4, 1);
	assert_true(c.hi == 4 && c.lo == 1);
	assert_int_equal(c.threshold_row, 0);
	assert_string_equal(c.rows[0], "       4 ────");
	assert_string_equal(c.rows[1], "          █  ");
	assert_string_equal(c.rows[2], "       1 ▁█ ▁");
	chart_clear(&c);
	/* ASCII: '#' for a cell at least half full, '.' below, '-' the line. */
	chart_render(&c, v, 4, &thr, 3, 4, 0);
	assert_string_equal(c.rows[0], "       4 ----");
	assert_string_equal(c.rows[1], "          #  ");
	assert_string_equal(c.rows[2], "       1 .# .");
	chart_clear(&c);
}

static void
test_threshold_inside(void **state)
{
	const double v[] = { 0, 10, 0, 10 };
	const double thr = 5;
	struct chart c = { 0 };

	(void)state;
	chart_render(&c, v, 4, &thr, 2, 4, 0);
	/* 5 of 0..10 is eighth 1 + round(0.5 * 15) = 9: row 0 (9..16). */
	assert_int_equal(c.threshold_row, 0);
	assert_string_equal(c.rows[0], "      10 -#-#");
	assert_string_equal(c.rows[1], "       0 .#.#");
	chart_clear(&c);
}

static void
test_empty(void **state)
{
	const double thr = 1;
	const double gaps[] = { NAN, NAN };
	struct chart c = { 0 };

	(void)state;
	chart_render(&c, NULL, 0, &thr, 2, 5, 1);
	assert_int_equal(c.columns, 0);
	assert_int_equal(c.threshold_row, 1);
	assert_string_equal(c.rows[0], "       1 ");
	chart_clear(&c);
	chart_render(&c, gaps, 2, &thr, 1, 5, 0);
	assert_string_equal(c.rows[0], "       1 --");
	chart_clear(&c);
	chart_render(&c, gaps, 2, NULL, 1, 5, 0);
	assert_string_equal(c.rows[0], "       0   ");
	chart_clear(&c);
}

static void
test_squeezed_huge(void **state)
{
	double v[100];
	struct chart c = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < 100; i++)
		v[i] = -1e300;
	v[55] = 1e300;
	chart_render(&c, v, 100, NULL, 1, 10, 0);
	assert_int_equal(c.columns, 10);
	assert_string_equal(c.rows[0], "1.0e+300 .....#....");
	chart_clear(&c);
}

static void
test_label(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(chart_label(0, b, sizeof b), "0");
	assert_string_equal(chart_label(12, b, sizeof b), "12");
	assert_string_equal(chart_label(12.5, b, sizeof b), "12.5");
	assert_string_equal(chart_label(1500, b, sizeof b), "1.50k");
	assert_string_equal(chart_label(2300000, b, sizeof b), "2.30M");
	assert_string_equal(chart_label(-250, b, sizeof b), "-250");
	assert_string_equal(chart_label(1e300, b, sizeof b), "1.0e+300");
	assert_string_equal(chart_label(NAN, b, sizeof b), "-");
	assert_true(strlen(chart_label(-1.5e300, b, sizeof b)) <=
	    CHART_LABEL_WIDTH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bars_utf8),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_threshold_inside),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_squeezed_huge),
		cmocka_unit_test(test_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
