/*
 * Unit tests for src/sparkline.c: scaling to the width and the levels for
 * a rising series, flat, empty, one point, negative and huge values
 * (1e300 and DBL_MAX: no overflow), gaps (NAN and infinities blank),
 * a spike kept when points are squeezed into fewer cells, UTF-8 and the
 * ASCII fallback, and a buffer too small cut at a whole cell.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <string.h>

#include "sparkline.h"

static char out[256];

static size_t
draw(const double *v, size_t n, size_t width, int utf8)
{
	memset(out, 'X', sizeof out);
	return sparkline_render(v, n, width, utf8, out, sizeof out);
}

static void
test_rising(void **state)
{
	const double v[] = { 0, 1, 2, 3, 4, 5, 6, 7 };

	(void)state;
	assert_int_equal(draw(v, 8, 8, 1), 8);
	assert_string_equal(out, "▁▂▃▄▅▆▇█");
	assert_int_equal(draw(v, 8, 8, 0), 8);
	assert_string_equal(out, "_.:-=+*#");
}

static void
test_flat(void **state)
{
	const double v[] = { 5, 5, 5, 5 };

	(void)state;
	assert_int_equal(draw(v, 4, 10, 1), 4);
	assert_string_equal(out, "▁▁▁▁");
	assert_int_equal(draw(v, 4, 10, 0), 4);
	assert_string_equal(out, "____");
}

static void
test_empty(void **state)
{
	(void)state;
	assert_int_equal(draw(NULL, 0, 10, 1), 0);
	assert_string_equal(out, "");
	/* No room at all: nothing written, not even the terminator. */
	out[0] = 'X';
	assert_int_equal(sparkline_render(NULL, 0, 10, 1, out, 0), 0);
	assert_int_equal(out[0], 'X');
}

static void
test_one_point(void **state)
{
	const double v[] = { 42 };

	(void)state;
	assert_int_equal(draw(v, 1, 24, 1), 1);
	assert_string_equal(out, "▁");
	assert_int_equal(draw(v, 1, 0, 1), 0);
	assert_string_equal(out, "");
}

static void
test_negative(void **state)
{
	const double v[] = { -7, -3.5, 0 };

	(void)state;
	assert_int_equal(draw(v, 3, 3, 0), 3);
	/* -3.5 is half way: level round(0.5 * 7) = 4 ('='). */
	assert_string_equal(out, "_=#");
}

static void
test_huge(void **state)
{
	const double v[] = { 1e300, 5e299, 0, -1e300 };
	const double w[] = { -DBL_MAX, DBL_MAX, 0 };

	(void)state;
	assert_int_equal(draw(v, 4, 4, 0), 4);
	assert_string_equal(out, "#+=_");
	/* hi - lo is inf here: halved first, 0 is the middle. */
	assert_int_equal(draw(w, 3, 3, 0), 3);
	assert_string_equal(out, "_#=");
	assert_true(sparkline_frac(0, -DBL_MAX, DBL_MAX) == 0.5);
}

static void
test_gaps(void **state)
{
	const double v[] = { 1, NAN, 3, INFINITY, -INFINITY, 2 };
	const double all[] = { NAN, NAN };

	(void)state;
	assert_int_equal(draw(v, 6, 6, 1), 6);
	assert_string_equal(out, "▁ █  ▅");
	assert_int_equal(draw(v, 6, 6, 0), 6);
	assert_string_equal(out, "_ #  =");
	assert_int_equal(draw(all, 2, 5, 0), 2);
	assert_string_equal(out, "  ");
}

static void
test_squeezed(void **state)
{
	double v[288];
	size_t i;

	(void)state;
	for (i = 0; i < 288; i++)
		v[i] = 1;
	v[100] = 50;		/* one 5-minute spike in a day */
	v[200] = NAN;
	assert_int_equal(draw(v, 288, 24, 0), 24);
	/* Cell 8 holds points 96..107: the spike shows, the rest is low. */
	assert_string_equal(out, "________#_______________");
	assert_int_equal(strlen(out), 24);
	/* A cell all gaps is blank; one with a point is not. */
	for (i = 0; i < 288; i++)
		v[i] = i < 12 ? NAN : 2;
	assert_int_equal(draw(v, 288, 24, 0), 24);
	assert_int_equal(out[0], ' ');
	assert_int_equal(out[1], '_');
}

static void
test_small_buffer(void **state)
{
	const double v[] = { 0, 1, 2, 3 };
	char small[8];

	(void)state;
	/* Two 3-byte glyphs and the terminator fit in 7; a third does not. */
	assert_int_equal(sparkline_render(v, 4, 4, 1, small, sizeof small), 2);
	assert_string_equal(small, "▁▃");
	assert_int_equal(sparkline_render(v, 4, 4, 0, small, 3), 2);
	assert_string_equal(small, "_:");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rising),
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_one_point),
		cmocka_unit_test(test_negative),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_squeezed),
		cmocka_unit_test(test_small_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
