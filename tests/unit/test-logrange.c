/*
 * Unit tests for src/logrange.c: the console log view's range from
 * --since/--until words and from the range prompt, a duration kept as
 * one, widening by doubling, the header's words, and a time to go to
 * (clock times the latest not after now).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ini.h"
#include "logrange.h"

/* 2026-11-25T10:00:00.456Z (Python's calendar.timegm). */
#define NOW	(1795600800LL * 1000 + 456)
#define H	(3600LL * 1000)

static void
test_default_and_set(void **state)
{
	struct logrange r;
	struct dlc_err err;
	char buf[64];

	(void)state;
	memset(&err, 0, sizeof err);
	logrange_default(&r, NOW);
	assert_int_equal(r.since_ms, NOW - H);
	assert_int_equal(r.until_ms, -1);
	logrange_describe(&r, NOW, buf, sizeof buf);
	assert_string_equal(buf, "since 1h");
	assert_int_equal(logrange_set(&r, "3h", NULL, NOW, &err), 0);
	assert_int_equal(r.since_ms, NOW - 3 * H);
	logrange_describe(&r, NOW, buf, sizeof buf);
	assert_string_equal(buf, "since 3h");
	assert_int_equal(logrange_set(&r, "2026-11-25T07:30", "1h", NOW, &err), 0);
	assert_int_equal(r.since_ms, NOW - 456 - 150 * 60000);
	assert_int_equal(r.until_ms, NOW - H);
	logrange_describe(&r, NOW, buf, sizeof buf);
	assert_string_equal(buf, "07:30–09:00 UTC");
	assert_int_equal(logrange_set(&r, "2026-11-24T22:00Z", NULL, NOW, &err), 0);
	logrange_describe(&r, NOW, buf, sizeof buf);
	assert_string_equal(buf, "since 2026-11-24 22:00 UTC");
	/* Refused: r stays. */
	assert_int_equal(logrange_set(&r, "yesterday", NULL, NOW, &err), -1);
	assert_non_null(strstr(err.message, "is not a time"));
	assert_int_equal(logrange_set(&r, "1h", "2h", NOW, &err), -1);
	assert_non_null(strstr(err.message, "before"));
	logrange_describe(&r, NOW, buf, sizeof buf);
	assert_string_equal(buf, "since 2026-11-24 22:00 UTC");
}

static void
test_take_args(void **state)
{
	struct logrange r;
	struct dlc_err err;
	char **w;
	size_t n;

	(void)state;
	memset(&err, 0, sizeof err);
	assert_int_equal(ini_split_words("a --since 3h --group g --until=1h b", &w, &n, &err), 0);
	assert_int_equal(logrange_take_args(&r, w, &n, NOW, &err), 0);
	assert_int_equal(n, 4);
	assert_string_equal(w[0], "a");
	assert_string_equal(w[1], "--group");
	assert_string_equal(w[2], "g");
	assert_string_equal(w[3], "b");
	assert_null(w[4]);
	assert_int_equal(r.since_ms, NOW - 3 * H);
	assert_int_equal(r.until_ms, NOW - H);
	ini_words_free(w);

	assert_int_equal(ini_split_words("a", &w, &n, &err), 0);
	assert_int_equal(logrange_take_args(&r, w, &n, NOW, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r.since_ms, NOW - H);
	ini_words_free(w);

	assert_int_equal(ini_split_words("a --since", &w, &n, &err), 0);
	assert_int_equal(logrange_take_args(&r, w, &n, NOW, &err), -1);
	assert_non_null(strstr(err.message, "--since needs a time"));
	assert_int_equal(n, 2);
	ini_words_free(w);

	assert_int_equal(ini_split_words("--until soon a", &w, &n, &err), 0);
	assert_int_equal(logrange_take_args(&r, w, &n, NOW, &err), -1);
	assert_non_null(strstr(err.message, "is not a time"));
	assert_int_equal(n, 3);
	ini_words_free(w);
}

static void
test_prompt(void **state)
{
	struct logrange r;
	struct dlc_err err;
	char buf[80];

	(void)state;
	memset(&err, 0, sizeof err);
	assert_int_equal(logrange_parse_prompt(&r, " 3h  2h ", NOW, &err), 0);
	assert_int_equal(r.since_ms, NOW - 3 * H);
	assert_int_equal(r.until_ms, NOW - 2 * H);
	logrange_prompt_text(&r, buf, sizeof buf);
	assert_string_equal(buf, "3h 2026-11-25T08:00:00.456Z");
	assert_int_equal(logrange_parse_prompt(&r, "", NOW, &err), 0);
	assert_int_equal(r.since_ms, NOW - H);
	assert_int_equal(r.until_ms, -1);
	logrange_prompt_text(&r, buf, sizeof buf);
	assert_string_equal(buf, "1h");
	assert_int_equal(logrange_parse_prompt(&r, "90m", NOW, &err), 0);
	logrange_prompt_text(&r, buf, sizeof buf);
	assert_string_equal(buf, "1h30m");
}

static void
test_widen_and_refresh(void **state)
{
	struct logrange r;
	struct dlc_err err;
	char buf[64];

	(void)state;
	memset(&err, 0, sizeof err);
	logrange_default(&r, NOW);
	logrange_widen(&r, NOW);
	assert_int_equal(r.since_ms, NOW - 2 * H);
	logrange_describe(&r, NOW, buf, sizeof buf);
	assert_string_equal(buf, "since 2h");
	logrange_widen(&r, NOW);
	logrange_widen(&r, NOW);
	logrange_widen(&r, NOW);
	logrange_describe(&r, NOW, buf, sizeof buf);
	assert_string_equal(buf, "since 16h");
	logrange_widen(&r, NOW);
	logrange_describe(&r, NOW, buf, sizeof buf);
	assert_string_equal(buf, "since 1d8h");
	/* A duration moves with the clock. */
	logrange_refresh(&r, NOW + H);
	assert_int_equal(r.since_ms, NOW + H - 32 * H);
	/* With an until, since moves back by the range's length. */
	assert_int_equal(logrange_set(&r, "3h", "2h", NOW, &err), 0);
	logrange_widen(&r, NOW + 5 * H);
	assert_int_equal(r.since_ms, NOW - 4 * H);
	assert_int_equal(r.until_ms, NOW - 2 * H);
	logrange_describe(&r, NOW, buf, sizeof buf);
	assert_string_equal(buf, "06:00–08:00 UTC");
}

static void
test_parse_at(void **state)
{
	struct dlc_err err;
	int64_t t;

	(void)state;
	memset(&err, 0, sizeof err);
	assert_int_equal(logrange_parse_at("09:15", NOW, &t, &err), 0);
	assert_int_equal(t, NOW - 456 - 45 * 60000);
	assert_int_equal(logrange_parse_at("09:15:30", NOW, &t, &err), 0);
	assert_int_equal(t, NOW - 456 - 45 * 60000 + 30000);
	/* Later than now today: yesterday's. */
	assert_int_equal(logrange_parse_at("11:00", NOW, &t, &err), 0);
	assert_int_equal(t, NOW - 456 + H - 24 * H);
	assert_int_equal(logrange_parse_at("10m", NOW, &t, &err), 0);
	assert_int_equal(t, NOW - 600000);
	assert_int_equal(logrange_parse_at("2026-11-25T08:00Z", NOW, &t, &err), 0);
	assert_int_equal(t, NOW - 456 - 2 * H);
	assert_int_equal(logrange_parse_at("25:00", NOW, &t, &err), -1);
	assert_int_equal(logrange_parse_at("9:15", NOW, &t, &err), -1);
	assert_int_equal(logrange_parse_at("lunch", NOW, &t, &err), -1);
	assert_non_null(strstr(err.fix, "12:00"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_and_set),
		cmocka_unit_test(test_take_args),
		cmocka_unit_test(test_prompt),
		cmocka_unit_test(test_widen_and_refresh),
		cmocka_unit_test(test_parse_at),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
