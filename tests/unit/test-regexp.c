/* Unit tests for src/regexp.c: smart case, escapes, invalid UTF-8 in the subject, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "regexp.h"

static int
matches(pcre2_code *re, const char *s, size_t len)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL);

	pcre2_match_data_free(md);
	return rc >= 0;
}

static void
test_smart_case(void **state)
{
	struct dlc_err err;
	pcre2_code *re;

	assert_false(regexp_has_upper("error\\S+", 1));
	assert_true(regexp_has_upper("error\\S+", 0));
	assert_true(regexp_has_upper("Error", 1));
	assert_false(regexp_has_upper("trailing\\", 1));
	re = regexp_compile("error", "BadRegex", "search", &err);
	assert_non_null(re);
	assert_true(matches(re, "an ERROR here", 13));
	pcre2_code_free(re);
	re = regexp_compile("Error", "BadRegex", "search", &err);
	assert_non_null(re);
	assert_false(matches(re, "an ERROR here", 13));
	assert_true(matches(re, "an Error here", 13));
	pcre2_code_free(re);
	/* An escape's letter does not turn case sensitivity on. */
	re = regexp_compile("\\Serror", "BadRegex", "search", &err);
	assert_true(matches(re, "xERROR", 6));
	pcre2_code_free(re);
}

static void
test_invalid_utf8_subject(void **state)
{
	struct dlc_err err;
	pcre2_code *re = regexp_compile("tail", "BadRegex", "search", &err);
	const char s[] = "\xff\xfe bad \xc3 then tail\0after";

	assert_non_null(re);
	assert_true(matches(re, s, sizeof s - 1));
	pcre2_code_free(re);
}

static void
test_errors_name_the_pattern(void **state)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_null(regexp_compile("a(b", "InvalidRegex", "--grep", &err));
	assert_string_equal(err.code, "InvalidRegex");
	assert_non_null(strstr(err.message, "--grep a(b:"));
	assert_non_null(strstr(err.message, "at offset 3"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smart_case),
		cmocka_unit_test(test_invalid_utf8_subject),
		cmocka_unit_test(test_errors_name_the_pattern),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
