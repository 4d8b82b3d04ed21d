/* Unit tests for src/ini.c: the RawConfigParser-compatible reader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ini.h"

static struct ini *
parse(const char *text, struct dlc_err *err)
{
	dlc_err_clear(err);
	return ini_parse(text, strlen(text), "~/.aws/config", err);
}

static void
test_sections_keys_and_separators(void **state)
{
	struct dlc_err err;
	struct ini *ini = parse(
	    "# a comment\n"
	    "; another\n"
	    "[default]\n"
	    "region = eu-west-1\n"
	    "output: json\n"
	    "Key_With_Case=  spaced value  \n"
	    "url = http://h:5000/x=y\n"
	    "[profile dev]\n"
	    "\tregion=us-east-1\n", &err);
	const struct ini_section *s;
	const char *v;

	assert_non_null(ini);
	assert_int_equal(ini_section_count(ini), 2);
	s = ini_find_section(ini, "default");
	assert_non_null(s);
	assert_string_equal(ini_section_name(s), "default");
	assert_int_equal(ini_section_line(s), 3);
	assert_string_equal(ini_get(s, "region"), "eu-west-1");
	assert_int_equal(ini_get_line(s, "region"), 4);
	assert_string_equal(ini_get(s, "output"), "json");
	/* Keys are lower-cased as RawConfigParser's optionxform does. */
	assert_string_equal(ini_get(s, "key_with_case"), "spaced value");
	assert_string_equal(ini_get(s, "KEY_WITH_CASE"), "spaced value");
	assert_string_equal(ini_key_at(s, 2, &v), "key_with_case");
	/* Split at the first separator only: ':' in the value stays. */
	assert_string_equal(ini_get(s, "url"), "http://h:5000/x=y");
	assert_null(ini_get(s, "missing"));
	assert_int_equal(ini_get_line(s, "missing"), 0);
	assert_string_equal(ini_section_name(ini_section_at(ini, 1)),
	    "profile dev");
	/* An indented key right after a header is a key, not a continuation. */
	assert_string_equal(ini_get(ini_section_at(ini, 1), "region"),
	    "us-east-1");
	assert_null(ini_section_at(ini, 2));
	assert_null(ini_find_section(ini, "dev"));
	ini_free(ini);
}

static void
test_first_separator_wins(void **state)
{
	struct dlc_err err;
	struct ini *ini = parse("[s]\na:b = c\nx = y: z\n", &err);
	const struct ini_section *s = ini_section_at(ini, 0);

	assert_string_equal(ini_get(s, "a"), "b = c");
	assert_string_equal(ini_get(s, "x"), "y: z");
	ini_free(ini);
}

static void
test_comments_only_at_line_start(void **state)
{
	struct dlc_err err;
	struct ini *ini = parse(
	    "[s]\n"
	    "a = 1 ; not a comment\n"
	    "b = 2 # nor this\n"
	    "   # an indented comment is still a comment\n"
	    "c = #3\n", &err);
	const struct ini_section *s = ini_section_at(ini, 0);

	assert_string_equal(ini_get(s, "a"), "1 ; not a comment");
	assert_string_equal(ini_get(s, "b"), "2 # nor this");
	assert_string_equal(ini_get(s, "c"), "#3");
	assert_int_equal(ini_key_count(s), 3);
	ini_free(ini);
}

static void
test_values_kept_verbatim_and_unquote(void **state)
{
	struct dlc_err err;
	struct ini *ini = parse("[s]\nq = \"quoted \\\"x\\\"\"\nr = 'single'\n"
	    "e =\n", &err);
	const struct ini_section *s = ini_section_at(ini, 0);
	char *u;

	assert_string_equal(ini_get(s, "q"), "\"quoted \\\"x\\\"\"");
	assert_string_equal(ini_get(s, "e"), "");
	u = ini_unquote(ini_get(s, "q"));
	assert_string_equal(u, "quoted \"x\"");
	free(u);
	u = ini_unquote(ini_get(s, "r"));
	assert_string_equal(u, "single");
	free(u);
	u = ini_unquote("\"unbalanced");
	assert_string_equal(u, "\"unbalanced");
	free(u);
	u = ini_unquote("\"");
	assert_string_equal(u, "\"");
	free(u);
	ini_free(ini);
}

static void
test_continuation_and_nested(void **state)
{
	struct dlc_err err;
	struct ini *ini = parse(
	    "[services local]\n"
	    "cloudwatch_logs =\n"
	    "  endpoint_url = http://127.0.0.1:5000\n"
	    "  ; a comment inside the block is skipped\n"
	    "\n"
	    "  other = x = y\n"
	    "lambda =\n"
	    "    endpoint_url=http://127.0.0.1:5001/\n"
	    "\n"
	    "[profile p]\n"
	    "s3 =\n"
	    "  max_concurrency = 10\n"
	    "description = first\n"
	    "   second\n", &err);
	const struct ini_section *s = ini_find_section(ini, "services local");
	char *v;

	assert_non_null(ini);
	/* Joined with "\n", a blank line kept inside, the end stripped. */
	assert_string_equal(ini_get(s, "cloudwatch_logs"),
	    "\nendpoint_url = http://127.0.0.1:5000\n\nother = x = y");
	v = ini_nested_get(ini_get(s, "cloudwatch_logs"), "endpoint_url");
	assert_string_equal(v, "http://127.0.0.1:5000");
	free(v);
	v = ini_nested_get(ini_get(s, "cloudwatch_logs"), "other");
	assert_string_equal(v, "x = y");
	free(v);
	assert_null(ini_nested_get(ini_get(s, "cloudwatch_logs"), "endpoint"));
	assert_null(ini_nested_get(NULL, "x"));
	v = ini_nested_get(ini_get(s, "lambda"), "endpoint_url");
	assert_string_equal(v, "http://127.0.0.1:5001/");
	free(v);
	s = ini_find_section(ini, "profile p");
	v = ini_nested_get(ini_get(s, "s3"), "max_concurrency");
	assert_string_equal(v, "10");
	free(v);
	assert_string_equal(ini_get(s, "description"), "first\nsecond");
	ini_free(ini);
}

static void
test_duplicates(void **state)
{
	struct dlc_err err;
	struct ini *ini = parse(
	    "[a]\nx = 1\ny = 2\n[b]\nz = 3\n[a]\nx = 9\nw = 4\n", &err);
	const struct ini_section *a;
	const char *v;

	assert_int_equal(ini_section_count(ini), 2);
	a = ini_find_section(ini, "a");
	assert_int_equal(ini_key_count(a), 3);
	assert_string_equal(ini_get(a, "x"), "9");
	assert_int_equal(ini_get_line(a, "x"), 7);
	/* The repeated key keeps its first place in the order. */
	assert_string_equal(ini_key_at(a, 0, &v), "x");
	assert_string_equal(v, "9");
	assert_string_equal(ini_key_at(a, 2, NULL), "w");
	assert_int_equal(ini_key_line_at(a, 2), 8);
	assert_null(ini_key_at(a, 3, NULL));
	ini_free(ini);
}

/* dlc's own files: a repeat is refused, both lines named; the AWS files still merge. */
static void
test_strict_refuses_repeats(void **state)
{
	const char *sec = "[env alpha]\ndeploy = deny\n\n[env sandbox]\n"
	    "[env alpha]\ndeploy = allow\n";
	const char *key = "[env alpha]\ndeploy = deny\nregion = x\nDeploy = allow\n";
	struct dlc_err err;
	struct ini *ini;

	dlc_err_clear(&err);
	assert_null(ini_parse_strict(sec, strlen(sec), "dlc.ini", &err));
	assert_string_equal(err.code, "DuplicateSection");
	assert_string_equal(err.message, "dlc.ini line 5: section [env alpha] "
	    "again (first at line 1)");
	assert_string_equal(err.fix, "merge lines 1 and 5 of dlc.ini into one "
	    "[env alpha] section: sections are not merged, so no later line "
	    "can silently override an earlier one");

	dlc_err_clear(&err);
	assert_null(ini_parse_strict(key, strlen(key), "dlc.ini", &err));
	assert_string_equal(err.code, "DuplicateKey");
	assert_string_equal(err.message, "dlc.ini line 4: 'deploy' set again "
	    "in [env alpha] (first at line 2)");
	assert_string_equal(err.fix, "keep one of lines 2 and 4 of dlc.ini: a "
	    "key is set once per section");

	/* The same text read as an AWS file merges, as before. */
	ini = ini_parse(sec, strlen(sec), "~/.aws/config", &err);
	assert_non_null(ini);
	assert_string_equal(ini_get(ini_find_section(ini, "env alpha"), "deploy"),
	    "allow");
	ini_free(ini);
	/* Distinct sections and keys pass the strict reader. */
	ini = ini_parse_strict("[a]\nx = 1\ny = 2\n[b]\nx = 3\n", 24, "f",
	    &err);
	assert_non_null(ini);
	assert_int_equal(ini_section_count(ini), 2);
	ini_free(ini);
}

static void
test_crlf_and_no_final_newline(void **state)
{
	struct dlc_err err;
	struct ini *ini = parse("[a]\r\nx = 1\r\n\r\ny = 2", &err);
	const struct ini_section *a = ini_section_at(ini, 0);

	assert_string_equal(ini_get(a, "x"), "1");
	assert_string_equal(ini_get(a, "y"), "2");
	assert_int_equal(ini_get_line(a, "y"), 4);
	ini_free(ini);
}

static void
test_section_header_forms(void **state)
{
	struct dlc_err err;
	struct ini *ini = parse("[ spaced ]\n[a]b]\n[x] trailing\n", &err);

	assert_non_null(ini);
	assert_non_null(ini_find_section(ini, " spaced "));
	assert_non_null(ini_find_section(ini, "a]b"));
	assert_non_null(ini_find_section(ini, "x"));
	ini_free(ini);
}

static void
test_errors_name_file_and_line(void **state)
{
	struct dlc_err err;

	assert_null(parse("[a]\nx = 1\n\njust words\n", &err));
	assert_string_equal(err.message, "~/.aws/config line 4: expected "
	    "'key = value' or '[section]'");
	assert_non_null(strstr(err.fix, "line 4"));

	assert_null(parse("# c\nx = 1\n[a]\n", &err));
	assert_non_null(strstr(err.message, "~/.aws/config line 2"));
	assert_non_null(strstr(err.message, "before the first '[section]'"));

	assert_null(parse("[a]\n= value\n", &err));
	assert_non_null(strstr(err.message, "line 2: expected"));

	assert_null(parse("[]\n", &err));
	assert_non_null(strstr(err.message, "line 1"));
}

static void
test_limits(void **state)
{
	struct dlc_err err;
	size_t len = INI_MAX_SIZE + 1;
	char *big = malloc(len);
	struct ini *ini;

	assert_non_null(big);
	memset(big, '#', len);
	dlc_err_clear(&err);
	assert_null(ini_parse(big, len, "big.ini", &err));
	assert_string_equal(err.code, "EFBIG");
	assert_non_null(strstr(err.message, "big.ini"));
	/* Exactly the limit is fine. */
	big[INI_MAX_SIZE - 1] = '\n';
	ini = ini_parse(big, INI_MAX_SIZE, "big.ini", &err);
	assert_non_null(ini);
	assert_int_equal(ini_section_count(ini), 0);
	ini_free(ini);
	free(big);

	assert_null(ini_parse("[a]\0x", 5, "nul.ini", &err));
	assert_non_null(strstr(err.message, "NUL"));
}

static void
test_load_files(void **state)
{
	const char *top = getenv("DLC_SRCDIR");
	struct dlc_err err;
	struct ini *ini;
	char path[4096];

	assert_non_null(top);
	snprintf(path, sizeof path, "%s/tests/unit/data/config/missing.ini",
	    top);
	dlc_err_clear(&err);
	assert_null(ini_load(path, &err));
	assert_string_equal(err.code, "ENOENT");

	snprintf(path, sizeof path, "%s/tests/unit/data/config/bad.ini", top);
	dlc_err_clear(&err);
	assert_null(ini_load_as(path, "bad.ini", &err));
	assert_string_equal(err.message, "bad.ini line 5: expected "
	    "'key = value' or '[section]'");
	dlc_err_clear(&err);
	assert_null(ini_load(path, &err));
	assert_non_null(strstr(err.message, "config/bad.ini line 5"));

	snprintf(path, sizeof path, "%s/tests/unit/data/config", top);
	dlc_err_clear(&err);
	assert_null(ini_load(path, &err));
	assert_non_null(strstr(err.message, "not a regular file"));

	snprintf(path, sizeof path, "%s/tests/unit/data/config/aws-config",
	    top);
	ini = ini_load(path, &err);
	assert_non_null(ini);
	assert_string_equal(ini_filename(ini), path);
	assert_non_null(ini_find_section(ini, "profile dlc-demo-alpha"));
	ini_free(ini);
}

/* ini_load_multi: a repeated key is another entry, in file order. */
static void
test_multi_keeps_repeats(void **state)
{
	char path[] = "/tmp/dlc-test-ini-multi-XXXXXX";
	const char *text = "[function]\nbuild = a\nruntime = x\nBuild = b\n  c\n"
	    "[function]\nbuild = d\n";
	const struct ini_section *sec;
	const char *v;
	struct dlc_err err;
	struct ini *ini;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	dlc_err_clear(&err);
	ini = ini_load_multi(path, &err);
	unlink(path);
	assert_non_null(ini);
	assert_int_equal(ini_section_count(ini), 1);
	sec = ini_section_at(ini, 0);
	assert_int_equal(ini_key_count(sec), 4);
	assert_string_equal(ini_key_at(sec, 0, &v), "build");
	assert_string_equal(v, "a");
	assert_string_equal(ini_key_at(sec, 1, &v), "runtime");
	assert_string_equal(ini_key_at(sec, 2, &v), "build");
	assert_string_equal(v, "b\nc");
	assert_int_equal(ini_key_line_at(sec, 2), 4);
	assert_string_equal(ini_key_at(sec, 3, &v), "build");
	assert_string_equal(v, "d");
	assert_string_equal(ini_get(sec, "build"), "a");
	ini_free(ini);
}

static void
test_split_words(void **state)
{
	struct dlc_err err;
	char **w;
	size_t n;

	assert_int_equal(ini_split_words("profile \"my dev\"", &w, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(w[0], "profile");
	assert_string_equal(w[1], "my dev");
	assert_null(w[2]);
	ini_words_free(w);

	assert_int_equal(ini_split_words("  a\\ b 'c \"d' \"e\\\"f\\$\" g''h "
	    "\"\"", &w, &n, &err), 0);
	assert_int_equal(n, 5);
	assert_string_equal(w[0], "a b");
	assert_string_equal(w[1], "c \"d");
	assert_string_equal(w[2], "e\"f\\$");
	assert_string_equal(w[3], "gh");
	assert_string_equal(w[4], "");
	ini_words_free(w);

	assert_int_equal(ini_split_words("   ", &w, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_null(w[0]);
	ini_words_free(w);

	dlc_err_clear(&err);
	assert_int_equal(ini_split_words("profile 'open", &w, &n, &err), -1);
	assert_non_null(strstr(err.message, "never closed"));
	assert_int_equal(ini_split_words("trailing\\", &w, &n, &err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections_keys_and_separators),
		cmocka_unit_test(test_first_separator_wins),
		cmocka_unit_test(test_comments_only_at_line_start),
		cmocka_unit_test(test_values_kept_verbatim_and_unquote),
		cmocka_unit_test(test_continuation_and_nested),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_strict_refuses_repeats),
		cmocka_unit_test(test_crlf_and_no_final_newline),
		cmocka_unit_test(test_section_header_forms),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_load_files),
		cmocka_unit_test(test_multi_keeps_repeats),
		cmocka_unit_test(test_split_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
