/*
 * Unit tests for src/timeutil.c: every accepted ISO 8601 shape, junk
 * refused, leap days and offsets, formatting checked against gmtime_r(),
 * relative times at each unit's edges, durations and their overflow.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "timeutil.h"

/* Epoch seconds computed independently (Python's calendar.timegm). */
#define T_2026_11_25_1000	1795600800LL
#define T_2026_11_23_0000	1795392000LL
#define T_2019_06_20_015945	1560995985LL

static void
parse_ok(const char *s, long long want, int want_ms)
{
	time_t t = 0;
	int ms = -1;

	if (timeutil_parse_iso8601(s, &t, &ms) != 0)
		fail_msg("refused \"%s\"", s);
	assert_int_equal((long long)t, want);
	assert_int_equal(ms, want_ms);
}

static void
parse_bad(const char *s)
{
	time_t t = 42;
	int ms = 7;

	if (timeutil_parse_iso8601(s, &t, &ms) != -1)
		fail_msg("accepted \"%s\"", s ? s : "(null)");
	assert_int_equal((long long)t, 42);
	assert_int_equal(ms, 7);
}

static void
test_parse_accepted_forms(void **state)
{
	parse_ok("2026-11-25T10:00:00Z", T_2026_11_25_1000, 0);
	parse_ok("2026-11-25T10:00:00", T_2026_11_25_1000, 0);
	parse_ok("2026-11-25T10:00:00.5Z", T_2026_11_25_1000, 500);
	parse_ok("2026-11-25T10:00:00.220Z", T_2026_11_25_1000, 220);
	parse_ok("2026-11-25T10:00:00.123456789Z", T_2026_11_25_1000, 123);
	parse_ok("2026-11-25T10:00:00.000Z", T_2026_11_25_1000, 0);
	parse_ok("2026-11-23", T_2026_11_23_0000, 0);
	parse_ok("2026-11-23T10:00", T_2026_11_23_0000 + 36000, 0);
	parse_ok("2026-11-23T10:00Z", T_2026_11_23_0000 + 36000, 0);
	parse_ok("2026-11-23T10:07:09Z", T_2026_11_23_0000 + 36429, 0);
	parse_ok("2019-06-20T01:59:45.220+0000", T_2019_06_20_015945, 220);
	parse_ok("1970-01-01T00:00:00Z", 0, 0);
	parse_ok("1969-12-31T23:59:59Z", -1, 0);
	parse_ok("9999-12-31T23:59:59Z", 253402300799LL, 0);
}

static void
test_parse_offsets(void **state)
{
	parse_ok("2026-11-25T11:00:00+01:00", T_2026_11_25_1000, 0);
	parse_ok("2026-11-25T11:00:00+0100", T_2026_11_25_1000, 0);
	parse_ok("2026-11-25T05:00:00-05:00", T_2026_11_25_1000, 0);
	parse_ok("2026-11-25T05:00:00-0500", T_2026_11_25_1000, 0);
	parse_ok("2026-11-25T15:30:00.250+05:30", T_2026_11_25_1000, 250);
	parse_ok("2026-11-25T10:00:00-00:00", T_2026_11_25_1000, 0);
	/* The offset carries the time over midnight. */
	parse_ok("2026-11-24T23:00:00-11:00", T_2026_11_25_1000, 0);
	parse_ok("2026-11-23T12:00+02:00", T_2026_11_23_0000 + 36000, 0);
}

static void
test_parse_leap_days(void **state)
{
	parse_ok("2024-02-29", 1709164800LL, 0);
	parse_ok("2000-02-29T12:34:56Z", 951827696LL, 0);
	parse_bad("2023-02-29");
	parse_bad("1900-02-29");
	parse_bad("2024-02-30");
	parse_ok("2024-03-01", 1709164800LL + 86400, 0);
	parse_ok("2023-03-01", 1709164800LL + 86400 - 366 * 86400LL, 0);
}

static void
test_parse_rejects_junk(void **state)
{
	static const char *const bad[] = {
		"", "2026", "2026-11", "2026-11-2", "2026-1-25", "26-11-25",
		"2026/11/25", "abcd-ef-gh", "2026-00-10", "2026-13-01",
		"2026-11-00", "2026-11-31", "2026-04-31", "2026-11-25T",
		"2026-11-25T10", "2026-11-25T10:0", "2026-11-25T24:00",
		"2026-11-25T10:60", "2026-11-25T10:00:60Z",
		"2026-11-25T10:00:0Z", "2026-11-25T10:00:00X",
		"2026-11-25T10:00:00+01", "2026-11-25T10:00:00+1:00",
		"2026-11-25T10:00:00+24:00", "2026-11-25T10:00:00+01:60",
		"2026-11-25T10:00:00+01:00Z", "2026-11-25T10:00:00.Z",
		"2026-11-25T10:00:00.", "2026-11-25T10:00:00,5Z",
		"2026-11-25 10:00:00", "2026-11-25t10:00:00z",
		"2026-11-25T10:00:00Z ", " 2026-11-25", "2026-11-25x",
		"+2026-11-25", "2026-11-25T10:00.5", "2026-11-25T-1:00",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		parse_bad(bad[i]);
	parse_bad(NULL);
}

static void
test_parse_millis_optional(void **state)
{
	time_t t;

	assert_int_equal(timeutil_parse_iso8601("2026-11-25T10:00:00.999Z",
	    &t, NULL), 0);
	assert_int_equal((long long)t, T_2026_11_25_1000);
}

static void
test_format_iso(void **state)
{
	char buf[TIMEUTIL_ISO_LEN];

	timeutil_format_iso(0, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	timeutil_format_iso((time_t)T_2019_06_20_015945, buf, sizeof buf);
	assert_string_equal(buf, "2019-06-20T01:59:45Z");
	timeutil_format_iso(-1, buf, sizeof buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	timeutil_format_iso(951827696, buf, sizeof buf);
	assert_string_equal(buf, "2000-02-29T12:34:56Z");
	timeutil_format_iso(0, buf, 5);
	assert_string_equal(buf, "1970");
}

/* Every few hours over three centuries: format agrees with gmtime_r and
 * parsing the result gives the time back. */
static void
test_format_matches_gmtime_and_round_trips(void **state)
{
	char mine[TIMEUTIL_ISO_LEN], libc[64];
	long long t;
	time_t back, tt;
	struct tm tm;

	for (t = -2208988800LL; t < 7258118400LL; t += 7777777) {
		tt = (time_t)t;
		assert_non_null(gmtime_r(&tt, &tm));
		strftime(libc, sizeof libc, "%Y-%m-%dT%H:%M:%SZ", &tm);
		timeutil_format_iso(tt, mine, sizeof mine);
		assert_string_equal(mine, libc);
		assert_int_equal(timeutil_parse_iso8601(mine, &back, NULL), 0);
		assert_int_equal((long long)back, t);
	}
}

static void
rel(long long ago, const char *want)
{
	char buf[TIMEUTIL_RELATIVE_LEN];
	time_t now = (time_t)T_2026_11_25_1000;

	timeutil_format_relative((time_t)(now - ago), now, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void
test_relative(void **state)
{
	rel(0, "just now");
	rel(4, "just now");
	rel(-4, "just now");
	rel(5, "5s ago");
	rel(45, "45s ago");
	rel(59, "59s ago");
	rel(60, "1m ago");
	rel(119, "1m ago");
	rel(180, "3m ago");
	rel(3599, "59m ago");
	rel(3600, "1h ago");
	rel(3 * 3600 + 1799, "3h ago");
	rel(86399, "23h ago");
	rel(86400, "1d ago");
	rel(5 * 86400, "5d ago");
	rel(29 * 86400 + 86399, "29d ago");
	rel(30 * 86400, "1mo ago");
	rel(65 * 86400, "2mo ago");
	rel(364 * 86400, "12mo ago");
	rel(365 * 86400, "1y ago");
	rel(3 * 365 * 86400 + 5, "3y ago");
	rel(-300, "in 5m");
	rel(-59, "in 59s");
	rel(-2 * 86400, "in 2d");
}

static void
test_relative_extremes_and_small_buffer(void **state)
{
	char buf[TIMEUTIL_RELATIVE_LEN], small[4];

	timeutil_format_relative((time_t)LLONG_MIN, (time_t)LLONG_MAX, buf,
	    sizeof buf);
	assert_string_equal(buf, "584942417355y ago");
	timeutil_format_relative((time_t)LLONG_MAX, (time_t)LLONG_MIN, buf,
	    sizeof buf);
	assert_string_equal(buf, "in 584942417355y");
	timeutil_format_relative(0, 45, small, sizeof small);
	assert_string_equal(small, "45s");
}

static void
dur_ok(const char *s, long long want)
{
	long long got = -1;

	if (timeutil_parse_duration(s, &got) != 0)
		fail_msg("refused \"%s\"", s);
	assert_int_equal(got, want);
}

static void
dur_bad(const char *s)
{
	long long got = 42;

	if (timeutil_parse_duration(s, &got) != -1)
		fail_msg("accepted \"%s\"", s ? s : "(null)");
	assert_int_equal(got, 42);
}

static void
test_duration(void **state)
{
	dur_ok("1h30m", 5400);
	dur_ok("10m", 600);
	dur_ok("2d", 172800);
	dur_ok("90s", 90);
	dur_ok("1w", 604800);
	dur_ok("0s", 0);
	dur_ok("1w2d3h4m5s", 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
	dur_ok("1d12h", 129600);
	dur_ok("007m", 420);
	dur_ok("9223372036854775807s", LLONG_MAX);
	dur_ok("15250284452471w", 15250284452471LL * 604800);
	dur_ok("15250284452471w3d", 15250284452471LL * 604800 + 3 * 86400);
}

static void
test_duration_rejects(void **state)
{
	static const char *const bad[] = {
		"", "90", "1h30", "h", "m5", "1x", "-5m", "+5m", " 5m", "5m ",
		"5 m", "1m1h", "1h1h", "30s1m", "1.5h", "5M", "1H", "5ms",
		"1y", "1mo", "9223372036854775808s", "99999999999999999999s",
		"15250284452472w", "15250284452471w4d",
		"153722867280912931m", "9223372036854775807s1s",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		dur_bad(bad[i]);
	dur_bad(NULL);
}

static void
test_now_hook(void **state)
{
	time_t before, after;

	timeutil_set_now_for_tests(1000);
	assert_int_equal((long long)timeutil_now(), 1000);
	timeutil_set_now_for_tests((time_t)T_2026_11_25_1000);
	assert_int_equal((long long)timeutil_now(), T_2026_11_25_1000);
	timeutil_set_now_for_tests(0);
	before = time(NULL);
	after = timeutil_now();
	assert_true(after >= before && after <= time(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accepted_forms),
		cmocka_unit_test(test_parse_offsets),
		cmocka_unit_test(test_parse_leap_days),
		cmocka_unit_test(test_parse_rejects_junk),
		cmocka_unit_test(test_parse_millis_optional),
		cmocka_unit_test(test_format_iso),
		cmocka_unit_test(test_format_matches_gmtime_and_round_trips),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_relative_extremes_and_small_buffer),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_duration_rejects),
		cmocka_unit_test(test_now_hook),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
