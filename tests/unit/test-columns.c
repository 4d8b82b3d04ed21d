/* Unit tests for src/columns.c: natural fit, flex, hiding, shrinking. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "columns.h"

static size_t
span(const size_t *w, size_t n)
{
	size_t i, sum = 0, v = 0;

	for (i = 0; i < n; i++)
		if (w[i] > 0) {
			sum += w[i];
			v++;
		}
	return v ? sum + v - 1 : 0;
}

/* NAME (flex, never hidden), RUNTIME, MEMORY, MODIFIED, DESCRIPTION. */
static const struct column_spec fn_cols[] = {
	{ "NAME", 8, 0, 2, 0, 0 },
	{ "RUNTIME", 7, 12, 0, 0, 3 },
	{ "MEMORY", 6, 0, 0, 1, 2 },
	{ "MODIFIED", 10, 0, 0, 0, 1 },
	{ "DESCRIPTION", 11, 40, 1, 0, 4 },
};

static void
test_natural_fit_with_spare_to_flex(void **state)
{
	size_t nat[] = { 20, 10, 6, 16, 11 };
	size_t w[5];

	/* Wants 20+10+6+16+11 + 4 gaps = 67. */
	assert_int_equal(columns_layout(fn_cols, 5, nat, 67, w), 5);
	assert_int_equal(w[0], 20);
	assert_int_equal(w[1], 10);
	assert_int_equal(w[2], 6);
	assert_int_equal(w[3], 16);
	assert_int_equal(w[4], 11);

	/* 30 spare: 2 shares to NAME, 1 to DESCRIPTION. */
	assert_int_equal(columns_layout(fn_cols, 5, nat, 97, w), 5);
	assert_int_equal(w[0], 40);
	assert_int_equal(w[4], 21);
	assert_int_equal(w[1], 10);
	assert_int_equal(span(w, 5), 97);
}

static void
test_flex_capped_by_max(void **state)
{
	size_t nat[] = { 20, 10, 6, 16, 11 };
	size_t w[5];

	/* 300 spare: DESCRIPTION stops at 40, NAME takes the rest. */
	assert_int_equal(columns_layout(fn_cols, 5, nat, 367, w), 5);
	assert_int_equal(w[4], 40);
	assert_int_equal(w[0], 367 - 4 - 10 - 6 - 16 - 40);
	assert_int_equal(span(w, 5), 367);
}

static void
test_max_and_min_clip_natural(void **state)
{
	size_t nat[] = { 3, 30, 2, 16, 100 };
	size_t w[5];

	/* NAME min 8, RUNTIME max 12, MEMORY min 6, DESCRIPTION max 40. */
	assert_int_equal(columns_layout(fn_cols, 5, nat, 8 + 12 + 6 + 16 +
	    40 + 4, w), 5);
	assert_int_equal(w[0], 8);
	assert_int_equal(w[1], 12);
	assert_int_equal(w[2], 6);
	assert_int_equal(w[4], 40);
}

static void
test_narrow_hides_lowest_priority_first(void **state)
{
	size_t nat[] = { 20, 10, 6, 16, 11 };
	size_t w[5];

	/*
	 * With flex columns at min: 8+10+6+16+11+4 = 55 needed. At 50 the
	 * priority-1 MODIFIED goes and the rest fit at natural width.
	 */
	assert_int_equal(columns_layout(fn_cols, 5, nat, 50, w), 4);
	assert_int_equal(w[3], 0);
	assert_int_equal(w[1], 10);
	assert_int_equal(w[2], 6);
	assert_int_equal(span(w, 5), 50);

	/* Narrower: MEMORY (2) next, then RUNTIME (3). */
	assert_int_equal(columns_layout(fn_cols, 5, nat, 31, w), 3);
	assert_int_equal(w[3], 0);
	assert_int_equal(w[2], 0);
	assert_true(w[1] > 0);
	assert_int_equal(span(w, 5), 31);
	assert_int_equal(columns_layout(fn_cols, 5, nat, 30, w), 2);
	assert_int_equal(w[1], 0);
	assert_int_equal(columns_layout(fn_cols, 5, nat, 21, w), 2);
	assert_int_equal(w[1], 0);
	assert_true(w[0] >= 8);
	assert_true(w[4] >= 11);
	assert_int_equal(span(w, 5), 21);
}

static void
test_flex_shrinks_before_anything_fixed(void **state)
{
	size_t nat[] = { 40, 10, 6, 16, 30 };
	size_t w[5];

	/* Fits with flex at min (55), so nothing is hidden; flex shrink. */
	assert_int_equal(columns_layout(fn_cols, 5, nat, 60, w), 5);
	assert_int_equal(w[1], 10);
	assert_int_equal(w[2], 6);
	assert_int_equal(w[3], 16);
	assert_true(w[0] >= 8);
	assert_true(w[4] >= 11);
	assert_int_equal(w[0] + w[4], 60 - 4 - 32);
	/* The widest flex column gives first: they end up level. */
	assert_int_equal(w[0], 12);
	assert_int_equal(w[4], 12);
}

static void
test_never_hidden_columns_shrink_to_min_then_clip(void **state)
{
	static const struct column_spec cols[] = {
		{ "A", 5, 0, 1, 0, 0 },
		{ "B", 4, 0, 0, 0, 0 },
	};
	size_t nat[] = { 30, 10 };
	size_t w[2];

	/* Neither can hide: A to 5, then B to 4 ... 10 = 5 + 1 + 4. */
	assert_int_equal(columns_layout(cols, 2, nat, 10, w), 2);
	assert_int_equal(w[0], 5);
	assert_int_equal(w[1], 4);
	/* Below the minimums: the rightmost goes, the first is clipped. */
	assert_int_equal(columns_layout(cols, 2, nat, 7, w), 1);
	assert_int_equal(w[0], 7);
	assert_int_equal(w[1], 0);
	assert_int_equal(columns_layout(cols, 2, nat, 3, w), 1);
	assert_int_equal(w[0], 3);
	assert_int_equal(columns_layout(cols, 2, nat, 0, w), 0);
	assert_int_equal(w[0], 0);
	assert_int_equal(w[1], 0);
}

static void
test_widths_never_exceed_total(void **state)
{
	size_t nat[] = { 33, 9, 5, 17, 70 };
	size_t w[5], total, i;

	for (total = 0; total < 200; total++) {
		size_t v = columns_layout(fn_cols, 5, nat, total, w);
		size_t vis = 0;
		assert_true(span(w, 5) <= total);
		for (i = 0; i < 5; i++)
			if (w[i] > 0)
				vis++;
		assert_int_equal(v, vis);
		/* Flex columns soak up room: full width once things fit. */
		if (total >= 8 + 11 + 1)
			assert_int_equal(span(w, 5), total);
		/* The never-hidden NAME is always there. */
		if (total > 0)
			assert_true(w[0] > 0);
	}
}

static void
test_deterministic_tie_breaks(void **state)
{
	static const struct column_spec cols[] = {
		{ "A", 3, 0, 0, 0, 0 },
		{ "B", 3, 0, 0, 0, 1 },
		{ "C", 3, 0, 0, 0, 1 },
	};
	size_t nat[] = { 3, 3, 3 };
	size_t w[3];

	/* Equal priority: the rightmost goes first. */
	assert_int_equal(columns_layout(cols, 3, nat, 8, w), 2);
	assert_int_equal(w[0], 3);
	assert_int_equal(w[1], 3);
	assert_int_equal(w[2], 0);
	/* No flex: spare room stays unused. */
	assert_int_equal(columns_layout(cols, 3, nat, 50, w), 3);
	assert_int_equal(span(w, 3), 11);
	assert_int_equal(columns_layout(cols, 0, nat, 50, w), 0);
}

static void
test_order_parsed_by_title(void **state)
{
	size_t order[5];
	char text[64];

	assert_int_equal(columns_parse_order(fn_cols, 5, "NAME,MEMORY,runtime", order), 3);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 2);
	assert_int_equal(order[2], 1);
	/* Blanks, unknown and repeated names are skipped. */
	assert_int_equal(columns_parse_order(fn_cols, 5, " MODIFIED , GONE,,MODIFIED,NAME ", order), 2);
	assert_int_equal(order[0], 3);
	assert_int_equal(order[1], 0);
	assert_int_equal(columns_parse_order(fn_cols, 5, "", order), 0);
	assert_int_equal(columns_parse_order(fn_cols, 5, "NAMES,NAM", order), 0);
	order[0] = 4;
	order[1] = 0;
	columns_format_order(fn_cols, order, 2, text, sizeof text);
	assert_string_equal(text, "DESCRIPTION,NAME");
	columns_format_order(fn_cols, order, 2, text, 14);
	assert_string_equal(text, "DESCRIPTION");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_natural_fit_with_spare_to_flex),
		cmocka_unit_test(test_flex_capped_by_max),
		cmocka_unit_test(test_max_and_min_clip_natural),
		cmocka_unit_test(test_narrow_hides_lowest_priority_first),
		cmocka_unit_test(test_flex_shrinks_before_anything_fixed),
		cmocka_unit_test(test_never_hidden_columns_shrink_to_min_then_clip),
		cmocka_unit_test(test_widths_never_exceed_total),
		cmocka_unit_test(test_deterministic_tie_breaks),
		cmocka_unit_test(test_order_parsed_by_title),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
