/* Unit tests for src/shellwords.c: shlex.split semantics, no shell. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shellwords.h"

static void
test_split_quotes_and_escapes(void **state)
{
	struct dlc_err err;
	size_t n;
	char **argv;

	dlc_err_clear(&err);
	argv = shellwords_split("  /usr/bin/helper --profile 'my prof' \"a \\\"b\\\"\" c\\ d $HOME;rm ", &n, &err);
	assert_non_null(argv);
	assert_int_equal(n, 6);
	assert_string_equal(argv[0], "/usr/bin/helper");
	assert_string_equal(argv[1], "--profile");
	assert_string_equal(argv[2], "my prof");
	assert_string_equal(argv[3], "a \"b\"");
	assert_string_equal(argv[4], "c d");
	/* Nothing is expanded or interpreted: it is one literal word. */
	assert_string_equal(argv[5], "$HOME;rm");
	assert_null(argv[6]);
	shellwords_free(argv);
}

static void
test_split_empty_and_adjacent_quotes(void **state)
{
	struct dlc_err err;
	size_t n;
	char **argv;

	argv = shellwords_split("", &n, &err);
	assert_non_null(argv);
	assert_int_equal(n, 0);
	assert_null(argv[0]);
	shellwords_free(argv);
	argv = shellwords_split("a''b \"\"", &n, &err);
	assert_int_equal(n, 2);
	assert_string_equal(argv[0], "ab");
	assert_string_equal(argv[1], "");
	shellwords_free(argv);
}

static void
test_split_unbalanced_quote_is_an_error(void **state)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_null(shellwords_split("helper 'oops", NULL, &err));
	assert_string_equal(err.code, "InvalidCommand");
	assert_non_null(strstr(err.message, "unbalanced"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_quotes_and_escapes),
		cmocka_unit_test(test_split_empty_and_adjacent_quotes),
		cmocka_unit_test(test_split_unbalanced_quote_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
