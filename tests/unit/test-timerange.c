/*
 * Unit tests for src/timerange.c: every --since/--until form, milliseconds
 * kept, junk refused with an error naming the accepted forms, and
 * formatting in UTC and in a fixed local zone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "timerange.h"

/* Epoch seconds computed independently (Python's calendar.timegm). */
#define T_2026_11_25_1000	1795600800LL
#define T_2026_11_23_0000	1795392000LL
#define T_2026_11_23_1000	1795428000LL
#define NOW	(T_2026_11_25_1000 * 1000 + 456)

static int64_t
ok(const char *s)
{
	struct dlc_err err;
	int64_t v = -12345;

	memset(&err, 0, sizeof err);
	if (timerange_parse(s, NOW, &v, &err) != 0)
		fail_msg("\"%s\" refused: %s", s, err.message);
	return v;
}

static void
bad(const char *s)
{
	struct dlc_err err;
	int64_t v = -12345;

	memset(&err, 0, sizeof err);
	if (timerange_parse(s, NOW, &v, &err) == 0)
		fail_msg("\"%s\" accepted as %lld", s, (long long)v);
	assert_int_equal(v, -12345);
	assert_non_null(strstr(err.message, "is not a time"));
	assert_non_null(strstr(err.fix, "1h30m"));
	assert_non_null(strstr(err.fix, "2026-11-23T10:00"));
	assert_non_null(strstr(err.fix, "now"));
	assert_non_null(strstr(err.fix, "epoch milliseconds"));
}

static void
test_relative(void **state)
{
	(void)state;
	assert_int_equal(ok("90s"), NOW - 90000);
	assert_int_equal(ok("10m"), NOW - 600000);
	assert_int_equal(ok("2h"), NOW - 7200000);
	assert_int_equal(ok("1h30m"), NOW - 5400000);
	assert_int_equal(ok("2d"), NOW - 2 * 86400000LL);
	assert_int_equal(ok("1w"), NOW - 7 * 86400000LL);
	assert_int_equal(ok("1d2h3m4s"), NOW - (86400 + 7200 + 180 + 4) *
	    1000LL);
	assert_int_equal(ok("now"), NOW);
}

static void
test_absolute(void **state)
{
	(void)state;
	assert_int_equal(ok("2026-11-23T10:00"), T_2026_11_23_1000 * 1000);
	assert_int_equal(ok("2026-11-23T10:00:00Z"), T_2026_11_23_1000 * 1000);
	assert_int_equal(ok("2026-11-23T10:00:00.123Z"),
	    T_2026_11_23_1000 * 1000 + 123);
	assert_int_equal(ok("2026-11-23T10:00:00.123+01:00"),
	    (T_2026_11_23_1000 - 3600) * 1000 + 123);
	assert_int_equal(ok("2026-11-23T10:00:00-0230"),
	    (T_2026_11_23_1000 + 9000) * 1000);
	assert_int_equal(ok("2026-11-23"), T_2026_11_23_0000 * 1000);
	assert_int_equal(ok("1795600800123"), 1795600800123LL);
	assert_int_equal(ok("0000000000001"), 1);
}

static void
test_junk(void **state)
{
	(void)state;
	bad("");
	bad("yesterday");
	bad("10");
	bad("-10m");
	bad("10 m");
	bad("1m1h");
	bad("10y");
	bad("17956008001");		/* 11 digits: neither seconds nor ms */
	bad("17956008001234");		/* 14 digits */
	bad("2026-13-01");
	bad("2026-11-23T25:00");
	bad("2026-11-23 10:00");
	bad("now+1h");
	bad("99999999999999999999999999w");
}

static void
test_error_message_bounded(void **state)
{
	struct dlc_err err;
	char junk[2000];
	int64_t v;

	(void)state;
	memset(junk, 'x', sizeof junk - 1);
	junk[sizeof junk - 1] = '\0';
	memset(&err, 0, sizeof err);
	assert_int_equal(timerange_parse(junk, NOW, &v, &err), -1);
	assert_true(strlen(err.message) < 200);
	assert_int_equal(timerange_parse(NULL, NOW, &v, &err), -1);
}

static void
test_format(void **state)
{
	char buf[TIMERANGE_LEN];

	(void)state;
	assert_int_equal(timerange_format(T_2026_11_25_1000 * 1000 + 7, 1, buf,
	    sizeof buf), 24);
	assert_string_equal(buf, "2026-11-25T10:00:00.007Z");
	timerange_format(0, 1, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
	/* Before the epoch, the fraction still counts forward. */
	timerange_format(-1, 1, buf, sizeof buf);
	assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
	/* Too small: refused, empty. */
	assert_int_equal(timerange_format(0, 1, buf, 10), -1);
	assert_string_equal(buf, "");

	setenv("TZ", "Asia/Kolkata", 1);	/* +05:30, no DST */
	tzset();
	timerange_format(T_2026_11_25_1000 * 1000 + 123, 0, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-25T15:30:00.123+05:30");
	setenv("TZ", "America/St_Johns", 1);	/* -03:30 in November */
	tzset();
	timerange_format(T_2026_11_25_1000 * 1000 + 123, 0, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-25T06:30:00.123-03:30");
	/* What it writes, it reads back. */
	assert_int_equal(ok(buf), T_2026_11_25_1000 * 1000 + 123);
	setenv("TZ", "UTC", 1);
	tzset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_error_message_bounded),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
