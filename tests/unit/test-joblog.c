/* Unit tests for src/joblog.c: a job's build log read from real files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "joblog.h"
#include "statedir.h"
#include "xmalloc.h"

static char tmp[64];

static void
write_log(const char *id, const char *text)
{
	char *path, rel[64];
	struct dlc_err err;
	FILE *f;

	snprintf(rel, sizeof rel, "jobs/%s.log", id);
	path = state_dir_path(rel);
	dlc_err_clear(&err);
	assert_int_equal(state_dir_make_parents(path, &err), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof tmp, "/tmp/dlc-test-joblog.XXXXXX");
	assert_non_null(mkdtemp(tmp));
	setenv("XDG_STATE_HOME", tmp, 1);
	return 0;
}

static void
test_whole_log(void **state)
{
	struct buf b;
	struct dlc_err err;
	size_t skipped = 99;

	(void)state;
	write_log("0a1b2c3d", "building cases\na warning on stderr\n");
	buf_init(&b, 0);
	dlc_err_clear(&err);
	assert_int_equal(joblog_read("0a1b2c3d", 0, &b, &skipped, &err), 0);
	assert_string_equal(b.data, "building cases\na warning on stderr\n");
	assert_int_equal(skipped, 0);
	buf_free(&b);
}

static void
test_tail_cut_at_a_line(void **state)
{
	struct buf b;
	struct dlc_err err;
	size_t skipped = 0;

	(void)state;
	write_log("feed", "line one\nline two\nline three\n");
	buf_init(&b, 0);
	dlc_err_clear(&err);
	/* 15 bytes: "e two\nline three\n" minus the half line. */
	assert_int_equal(joblog_read("feed", 15, &b, &skipped, &err), 0);
	assert_string_equal(b.data, "line three\n");
	assert_int_equal(skipped, strlen("line one\nline two\n"));
	buf_free(&b);
}

static void
test_missing_and_bad_id(void **state)
{
	struct buf b;
	struct dlc_err err;

	(void)state;
	buf_init(&b, 0);
	dlc_err_clear(&err);
	assert_int_equal(joblog_read("deadbeef", 0, &b, NULL, &err), -1);
	assert_string_equal(err.code, "NoJobLog");
	assert_non_null(strstr(err.message, "jobs/deadbeef.log"));
	/* An id never names a path outside jobs/. */
	dlc_err_clear(&err);
	assert_int_equal(joblog_read("../../etc/passwd", 0, &b, NULL, &err), -1);
	assert_string_equal(err.code, "BadJobId");
	dlc_err_clear(&err);
	assert_int_equal(joblog_read("ABC", 0, &b, NULL, &err), -1);
	assert_string_equal(err.code, "BadJobId");
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
test_last_line(void **state)
{
	char line[16];

	(void)state;
	write_log("abc123", "step one\nthe last line, long\n\n-- build done: ran\n");
	joblog_last_line("abc123", line, sizeof line);
	/* Cut to the buffer; blank lines and the queue's notes passed over. */
	assert_string_equal(line, "the last line, ");
	joblog_last_line("0000", line, sizeof line);
	assert_string_equal(line, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_log),
		cmocka_unit_test(test_tail_cut_at_a_line),
		cmocka_unit_test(test_missing_and_bad_id),
		cmocka_unit_test(test_last_line),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
