/*
 * Unit tests for src/invoke-payload.c: the three ways to give a payload
 * (inline, a file, stdin), JSON checked with the line and column of the
 * mistake, one value only, a NUL refused, the 6 MB cap, the events folder
 * listed and picked from (a missing name lists what is there, a path is
 * not a name), and the atomic write (content, mode, no temporary left,
 * a folder that is not there named).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "invoke-payload.h"
#include "testserver.h"

static char dir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/dlc-payload-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	testserver_rmtree(dir);
	return 0;
}

static void
put(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_check(void **state)
{
	struct dlc_err err;

	(void)state;
	assert_int_equal(invoke_payload_check("{\"a\": [1, 2]}\n", 14, "x", &err), 0);
	assert_int_equal(invoke_payload_check(" 42 ", 4, "x", &err), 0);
	dlc_err_clear(&err);
	assert_int_equal(invoke_payload_check("{\n  \"a\": 1,\n  \"b\" 2\n}", 21,
	    "events/daily.json", &err), -1);
	assert_string_equal(err.code, "InvalidPayload");
	assert_non_null(strstr(err.message, "events/daily.json"));
	assert_non_null(strstr(err.message, "line 3, column 7"));
	/* Two values are not one event. */
	dlc_err_clear(&err);
	assert_int_equal(invoke_payload_check("{} {}", 5, "x", &err), -1);
	assert_non_null(strstr(err.message, "line 1, column 4"));
	/* A NUL is where it stops. */
	dlc_err_clear(&err);
	assert_int_equal(invoke_payload_check("{\"a\":\0}", 7, "x", &err), -1);
	assert_non_null(strstr(err.message, "column 6"));
	dlc_err_clear(&err);
	assert_int_equal(invoke_payload_check("", 0, "x", &err), -1);
}

static void
test_read_forms(void **state)
{
	struct dlc_err err;
	char *out, path[512];
	size_t len;
	FILE *in;

	(void)state;
	assert_true(invoke_payload_is_inline(" \n[1]"));
	assert_true(invoke_payload_is_inline("\"s\""));
	assert_false(invoke_payload_is_inline("events/a.json"));
	assert_false(invoke_payload_is_inline("-"));
	assert_int_equal(invoke_payload_read(" {\"n\": 1}", stdin, &out, &len, &err), 0);
	assert_string_equal(out, " {\"n\": 1}");
	assert_int_equal(len, 9);
	free(out);
	put("p.json", "[1, 2]\n");
	snprintf(path, sizeof path, "%s/p.json", dir);
	assert_int_equal(invoke_payload_read(path, stdin, &out, &len, &err), 0);
	assert_string_equal(out, "[1, 2]\n");
	free(out);
	in = fmemopen((void *)"{\"from\": \"stdin\"}", 17, "r");
	assert_int_equal(invoke_payload_read("-", in, &out, &len, &err), 0);
	fclose(in);
	assert_int_equal(len, 17);
	free(out);
	dlc_err_clear(&err);
	in = fmemopen((void *)"{oops", 5, "r");
	assert_int_equal(invoke_payload_read("-", in, &out, &len, &err), -1);
	fclose(in);
	assert_null(out);
	assert_non_null(strstr(err.message, "stdin"));
	/* Not JSON-looking, so a file: named when it is not there. */
	dlc_err_clear(&err);
	assert_int_equal(invoke_payload_read("nope.json", stdin, &out, &len, &err), -1);
	assert_string_equal(err.code, "NoSuchFile");
	assert_non_null(strstr(err.message, "nope.json"));
	dlc_err_clear(&err);
	assert_int_equal(invoke_payload_read("{\"a\": }", stdin, &out, &len, &err), -1);
	assert_non_null(strstr(err.message, "the inline payload"));
}

static void
test_too_large(void **state)
{
	struct dlc_err err;
	char *out, path[512];
	size_t len;
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/big.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputc('"', f);
	for (len = 0; len < INVOKE_PAYLOAD_MAX; len++)
		fputc('a', f);
	fputc('"', f);
	fclose(f);
	dlc_err_clear(&err);
	assert_int_equal(invoke_payload_read_file(path, &out, &len, &err), -1);
	assert_string_equal(err.code, "PayloadTooLarge");
}

static void
test_events(void **state)
{
	struct dlc_err err;
	char **names, *out;
	size_t n, len;
	char path[512];

	(void)state;
	names = invoke_payload_events(dir, &n);
	assert_int_equal(n, 0);
	assert_null(names);
	dlc_err_clear(&err);
	assert_int_equal(invoke_payload_read_event(dir, "daily", &out, &len, &err), -1);
	assert_non_null(strstr(err.fix, "events/daily.json"));
	snprintf(path, sizeof path, "%s/events", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	put("events/weekly.json", "{\"w\": 1}");
	put("events/daily.json", "{\"d\": 1}");
	put("events/notes.txt", "not an event");
	put("events/.hidden.json", "{}");
	put("events/broken.json", "{\"d\": }");
	names = invoke_payload_events(dir, &n);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "broken");
	assert_string_equal(names[1], "daily");
	assert_string_equal(names[2], "weekly");
	invoke_payload_names_free(names, n);
	assert_int_equal(invoke_payload_read_event(dir, "weekly", &out, &len, &err), 0);
	assert_string_equal(out, "{\"w\": 1}");
	free(out);
	dlc_err_clear(&err);
	assert_int_equal(invoke_payload_read_event(dir, "monthly", &out, &len, &err), -1);
	assert_string_equal(err.code, "NoSuchEvent");
	assert_string_equal(err.fix, "pick one of: broken, daily, weekly");
	/* A path is not an event's name. */
	dlc_err_clear(&err);
	assert_int_equal(invoke_payload_read_event(dir, "../events/daily", &out, &len,
	    &err), -1);
	dlc_err_clear(&err);
	assert_int_equal(invoke_payload_read_event(dir, "broken", &out, &len, &err), -1);
	assert_string_equal(err.code, "InvalidPayload");
	assert_non_null(strstr(err.message, "events/broken.json"));
}

static void
test_write_atomic(void **state)
{
	struct dlc_err err;
	char path[512], *text;
	struct stat st;
	struct dirent *de;
	mode_t old = umask(027);
	int n = 0;
	DIR *d;

	(void)state;
	snprintf(path, sizeof path, "%s/out.json", dir);
	put("out.json", "old contents that are longer");
	assert_int_equal(invoke_payload_write_atomic(path, "a\0b", 3, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 3);
	assert_int_equal(st.st_mode & 0777, 0640);
	text = testserver_read_file(path);
	assert_memory_equal(text, "a\0b", 3);
	free(text);
	d = opendir(dir);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	assert_int_equal(n, 1);
	snprintf(path, sizeof path, "%s/no/such/out.json", dir);
	dlc_err_clear(&err);
	assert_int_equal(invoke_payload_write_atomic(path, "x", 1, &err), -1);
	assert_non_null(strstr(err.message, "no/such/out.json"));
	umask(old);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test_setup_teardown(test_read_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_atomic, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
