/*
 * Unit tests for src/framestats.c with real files: the lines
 * bench/bench-console.sh reads (name, count, rows, mean, p50, p95, max),
 * one a series with times, an existing file replaced, nothing written
 * without times, and a folder that does not exist reported.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "framestats.h"

static char tmpdir[] = "/tmp/dlc-test-framestats-XXXXXX";
static char path[256];

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/frames", tmpdir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(tmpdir);
}

static void
read_file(char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	fclose(f);
}

static void
test_line(void **state)
{
	double us[20], keys[3] = { 30, 10, 20 };
	struct framestats_series series[] = {
		{ "frames", us, 20 }, { "empty", NULL, 0 }, { "keys", keys, 3 },
	};
	struct dlc_err err;
	char text[512];
	size_t i;
	FILE *f;

	(void)state;
	f = fopen(path, "w");	/* an earlier run's file is replaced */
	assert_non_null(f);
	fputs("old\nold\n", f);
	fclose(f);
	for (i = 0; i < 20; i++)
		us[i] = (double)((i * 7) % 20 + 1) * 100;	/* 100..2000, shuffled */
	dlc_err_clear(&err);
	assert_int_equal(framestats_write(path, series, 3, 500, &err), 0);
	read_file(text, sizeof text);
	assert_string_equal(text,
	    "frames 20 rows 500 mean_us 1050.0 p50_us 1100.0 p95_us 2000.0 max_us 2000.0\n"
	    "keys 3 rows 500 mean_us 20.0 p50_us 20.0 p95_us 30.0 max_us 30.0\n");
}

static void
test_no_frames_writes_nothing(void **state)
{
	struct framestats_series series[] = { { "frames", NULL, 0 } };
	struct dlc_err err;

	(void)state;
	unlink(path);
	assert_int_equal(framestats_write(path, series, 1, 10, &err), 0);
	assert_int_equal(access(path, F_OK), -1);
}

static void
test_missing_folder(void **state)
{
	double us[1] = { 5 };
	struct framestats_series series[] = { { "frames", us, 1 } };
	struct dlc_err err;
	char bad[300];

	(void)state;
	snprintf(bad, sizeof bad, "%s/missing/frames", tmpdir);
	dlc_err_clear(&err);
	assert_int_equal(framestats_write(bad, series, 1, 0, &err), -1);
	assert_non_null(strstr(err.what, "DLC_FRAME_STATS"));
	assert_non_null(strstr(err.message, "No such file"));
	assert_true(err.fix[0] != '\0');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_no_frames_writes_nothing),
		cmocka_unit_test(test_missing_folder),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
