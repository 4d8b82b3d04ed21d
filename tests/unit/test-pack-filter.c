/*
 * Unit tests for src/pack-filter.c: terraform-aws-lambda's pattern rules
 * (full match on the path relative to the zip root, "!" to leave out,
 * the last matching pattern decides, unmatched paths kept), the files
 * list, and a bad pattern's message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "pack-filter.h"

static struct pack_filter *
filter(char **pats, size_t n, char **files, size_t nf)
{
	struct dlc_err err;
	struct pack_filter *f;

	dlc_err_clear(&err);
	f = pack_filter_new(pats, n, files, nf, &err);
	if (f == NULL)
		fail_msg("%s", err.message);
	return f;
}

static void
test_terraform_patterns(void **state)
{
	char *pats[] = { "!tests/.*", "!backfill/.*", "!.DS_Store", "!.*\\.md", "README\\.md" };
	struct pack_filter *f = filter(pats, 5, NULL, 0);

	(void)state;
	assert_true(pack_filter_keep(f, "lambda_function.py"));
	assert_true(pack_filter_keep(f, "pkg/tests.py"));		/* not the folder tests/ */
	assert_false(pack_filter_keep(f, "tests/test_x.py"));
	assert_false(pack_filter_keep(f, "tests/deep/a.json"));
	assert_false(pack_filter_keep(f, "backfill/run.py"));
	assert_false(pack_filter_keep(f, ".DS_Store"));
	assert_true(pack_filter_keep(f, "sub/.DS_Store"));		/* a full match, as re.fullmatch */
	assert_false(pack_filter_keep(f, "NOTES.md"));
	assert_false(pack_filter_keep(f, "docs/guide.md"));
	assert_true(pack_filter_keep(f, "README.md"));		/* the last match wins */
	assert_false(pack_filter_keep(f, "docs/README.md"));
	pack_filter_free(f);
}

static void
test_order_matters(void **state)
{
	char *a[] = { "README\\.md", "!.*\\.md" };
	char *b[] = { "!.*", "src/.*\\.py" };
	struct pack_filter *f = filter(a, 2, NULL, 0);

	(void)state;
	assert_false(pack_filter_keep(f, "README.md"));	/* later exclusion wins */
	pack_filter_free(f);
	f = filter(b, 2, NULL, 0);
	assert_true(pack_filter_keep(f, "src/app.py"));
	assert_false(pack_filter_keep(f, "src/app.pyc"));
	assert_false(pack_filter_keep(f, "setup.cfg"));
	pack_filter_free(f);
	f = filter(NULL, 0, NULL, 0);
	assert_true(pack_filter_keep(f, "anything/at/all"));
	pack_filter_free(f);
}

static void
test_files_list(void **state)
{
	char *files[] = { "lambda_function.py", "util/helpers.py", "gone.py" };
	char *pats[] = { "!util/.*" };
	struct pack_filter *f = filter(NULL, 0, files, 3);

	(void)state;
	assert_true(pack_filter_keep(f, "lambda_function.py"));
	assert_false(pack_filter_keep(f, "other.py"));
	assert_true(pack_filter_keep(f, "util/helpers.py"));
	assert_string_equal(pack_filter_missing(f), "gone.py");
	pack_filter_free(f);
	f = filter(pats, 1, files, 2);
	assert_true(pack_filter_keep(f, "lambda_function.py"));
	assert_false(pack_filter_keep(f, "util/helpers.py"));	/* patterns still apply */
	assert_null(pack_filter_missing(f));
	pack_filter_free(f);
}

static void
test_bad_pattern(void **state)
{
	char *pats[] = { "ok", "!(unclosed" };
	struct dlc_err err;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(pack_filter_check("!tests/.*", &err), 0);
	assert_int_equal(pack_filter_check("!(unclosed", &err), -1);
	assert_string_equal(err.code, "BadPattern");
	assert_non_null(strstr(err.message, "at offset"));
	dlc_err_clear(&err);
	assert_null(pack_filter_new(pats, 2, NULL, 0, &err));
	assert_non_null(strstr(err.what, "!(unclosed"));
	pack_filter_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terraform_patterns),
		cmocka_unit_test(test_order_matters),
		cmocka_unit_test(test_files_list),
		cmocka_unit_test(test_bad_pattern),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
