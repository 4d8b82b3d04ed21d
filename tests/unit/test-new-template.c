/*
 * Unit tests for src/new-template.c: placeholders replaced, an '@' that
 * starts none kept (e-mail addresses, decorators), an unknown placeholder
 * refused by name, and the generated table holding every source's files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "new-template.h"

static const struct new_var vars[] = {
	{ "NAME", "orders" }, { "TABLE_2", "t2" }, { "EMPTY", "" },
};

static void
test_render_replaces(void **state)
{
	struct dlc_err err;
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	dlc_err_clear(&err);
	assert_int_equal(new_template_render(&b, "fn @NAME@/@TABLE_2@@EMPTY@.\n", vars, 3, &err), 0);
	assert_string_equal(b.data, "fn orders/t2.\n");
	buf_free(&b);
}

static void
test_render_keeps_other_ats(void **state)
{
	struct dlc_err err;
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	dlc_err_clear(&err);
	assert_int_equal(new_template_render(&b, "a@example.com @decorator @ @NAME @", vars, 3, &err), 0);
	assert_string_equal(b.data, "a@example.com @decorator @ @NAME @");
	buf_free(&b);
}

static void
test_render_refuses_unknown(void **state)
{
	struct dlc_err err;
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	dlc_err_clear(&err);
	assert_int_equal(new_template_render(&b, "x @NAEM@ y", vars, 3, &err), -1);
	assert_string_equal(err.code, "UnknownPlaceholder");
	assert_non_null(strstr(err.message, "@NAEM@"));
	buf_free(&b);
}

static void
test_table_has_every_source(void **state)
{
	static const char *const need[][2] = {
		{ "common", "function.ini" }, { "common", "README.md" },
		{ "common", "src/config.py" }, { "dynamodb", "src/lambda_function.py" },
		{ "kinesis", "src/records.py" }, { "schedule", "src/checkpoint.py" },
		{ "terraform", "function.tf" }, { "terraform", "stream.tf" },
		{ "terraform", "schedule.tf" }, { "terraform", "layer.tf" },
		{ "terraform", "alarm.tf" }, { "terraform", "aggregation.tf" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof need / sizeof need[0]; i++)
		assert_non_null(new_template_find(need[i][0], need[i][1]));
	assert_null(new_template_find("common", "nope"));
	/* A quote, a backslash and a '?' (a trigraph's start) survive the embedding. */
	assert_non_null(strstr(new_template_find("terraform", "schedule.tf"), "cron(15 3 * * ? *)"));
	assert_non_null(strstr(new_template_find("terraform", "function.tf"), "\"${var.functions_path}/@NAME@/src\""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_replaces),
		cmocka_unit_test(test_render_keeps_other_ats),
		cmocka_unit_test(test_render_refuses_unknown),
		cmocka_unit_test(test_table_has_every_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
