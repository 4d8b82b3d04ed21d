/*
 * Unit tests for ui/text-lines.c: lines are copies, keep their role and
 * mode, stop at the limit, and clear leaves the list usable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "text-lines.h"

static void
test_copies_and_roles(void **state)
{
	struct text_lines tl = { 0 };
	char text[] = "fix: terraform apply";

	(void)state;
	text_lines_add(&tl, 3, 1, text, 3);
	text_lines_add(&tl, 5, 0, "", 0);
	text[0] = 'X';	/* the line is a copy */
	assert_int_equal(tl.n, 2);
	assert_string_equal(tl.v[0].text, "fix");
	assert_int_equal(tl.v[0].role, 3);
	assert_int_equal(tl.v[0].id, 1);
	assert_string_equal(tl.v[1].text, "");
	assert_int_equal(tl.v[1].id, 0);
	text_lines_clear(&tl);
	assert_int_equal(tl.n, 0);
	assert_null(tl.v);
	text_lines_add(&tl, 0, 0, "again", 5);
	assert_string_equal(tl.v[0].text, "again");
	text_lines_clear(&tl);
}

static void
test_limit(void **state)
{
	struct text_lines tl = { .max = 2 };

	(void)state;
	text_lines_add(&tl, 0, 0, "a", 1);
	text_lines_add(&tl, 0, 0, "b", 1);
	text_lines_add(&tl, 0, 0, "c", 1);	/* over the limit: dropped */
	assert_int_equal(tl.n, 2);
	assert_string_equal(tl.v[1].text, "b");
	text_lines_clear(&tl);
	assert_int_equal(tl.max, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copies_and_roles),
		cmocka_unit_test(test_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
