/* Unit tests for src/alarm.c: order, marks, threshold and age in words, matching. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "alarm.h"
#include "xmalloc.h"

static struct cw_alarm
metric(const char *metric_name, const char *stat, const char *op, double t,
    long period, long evals, long dta)
{
	struct cw_alarm a;

	memset(&a, 0, sizeof a);
	a.name = xstrdup("x");
	a.state = xstrdup("OK");
	a.metric_name = xstrdup(metric_name);
	a.statistic = xstrdup(stat);
	a.comparison = xstrdup(op);
	a.threshold = t;
	a.has_threshold = 1;
	a.period = period;
	a.evaluation_periods = evals;
	a.datapoints_to_alarm = dta;
	return a;
}

static void
test_threshold_words(void **state)
{
	static const struct {
		const char *op;
		const char *words;
	} ops[] = {
		{ "GreaterThanOrEqualToThreshold", "Errors >= 1 for 1 of 1 x 5 min" },
		{ "GreaterThanThreshold", "Errors > 1 for 1 of 1 x 5 min" },
		{ "LessThanThreshold", "Errors < 1 for 1 of 1 x 5 min" },
		{ "LessThanOrEqualToThreshold", "Errors <= 1 for 1 of 1 x 5 min" },
		{ "SomethingNew", "Errors SomethingNew 1 for 1 of 1 x 5 min" },
	};
	char buf[128];
	struct cw_alarm a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		a = metric("Errors", "Sum", ops[i].op, 1, 300, 1, 1);
		assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
		    ops[i].words);
		cw_alarm_clear(&a);
	}
	/* Not Sum: the statistic says which number is compared. */
	a = metric("Duration", "Maximum", "GreaterThanThreshold", 840000, 60,
	    5, 3);
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "Duration (Maximum) > 840000 for 3 of 5 x 1 min");
	cw_alarm_clear(&a);
	a = metric("Duration", "p99", "GreaterThanThreshold", 0.25, 3600, 24,
	    24);
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "Duration (p99) > 0.25 for 24 of 24 x 1 h");
	cw_alarm_clear(&a);
	a = metric("Big", "Sum", "GreaterThanThreshold", 1e20, 86400, 1, 1);
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "Big > 1e+20 for 1 of 1 x 1 d");
	cw_alarm_clear(&a);
	a = metric("Neg", "Sum", "LessThanThreshold", -2.5, 10, 1, 1);
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "Neg < -2.5 for 1 of 1 x 10 s");
	cw_alarm_clear(&a);
}

static void
test_threshold_words_math_and_band(void **state)
{
	char buf[160];
	struct cw_alarm a;

	(void)state;
	/* Metric math: the returned expression is what is compared. */
	a = metric("Errors", "Sum", "GreaterThanThreshold", 5, 300, 3, 2);
	a.expression = xstrdup("100*errors/invocations");
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "100*errors/invocations > 5 for 2 of 3 x 5 min");
	cw_alarm_clear(&a);
	/* An anomaly band: no number, the band's expression. */
	a = metric("Invocations", "Average",
	    "LessThanLowerOrGreaterThanUpperThreshold", 0, 300, 2, 2);
	a.has_threshold = 0;
	a.threshold_metric_id = xstrdup("ad1");
	a.band_expression = xstrdup("ANOMALY_DETECTION_BAND(m1, 2)");
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "Invocations (Average) outside band (ANOMALY_DETECTION_BAND(m1, "
	    "2)) for 2 of 2 x 5 min");
	free(a.comparison);
	a.comparison = xstrdup("LessThanLowerThreshold");
	free(a.band_expression);
	a.band_expression = NULL;
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "Invocations (Average) below band ad1 for 2 of 2 x 5 min");
	free(a.comparison);
	a.comparison = xstrdup("GreaterThanUpperThreshold");
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "Invocations (Average) above band ad1 for 2 of 2 x 5 min");
	cw_alarm_clear(&a);
	/* Nothing known: still words, no crash. */
	memset(&a, 0, sizeof a);
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "(metric) ? ? for 0 of 0 x ?");
}

static void
test_threshold_words_composite(void **state)
{
	char buf[256], small[24];
	struct cw_alarm a;

	(void)state;
	memset(&a, 0, sizeof a);
	a.composite = 1;
	a.alarm_rule = xstrdup("ALARM(\"datalake-alpha-mambu-to-s3-raw-errors\")"
	    "  OR\n  ALARM(\"datalake-alpha-dynamo-customers-to-s3-raw-errors\")");
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "ALARM(mambu-to-s3-raw-errors) OR "
	    "ALARM(dynamo-customers-to-s3-raw-errors)");
	/* Cut short: marked, never inside a UTF-8 sequence. */
	assert_string_equal(alarm_threshold_words(&a, small, sizeof small),
	    "ALARM(mambu-to-s3-ra...");
	free(a.alarm_rule);
	a.alarm_rule = xstrdup("ALARM(\"a-b\") AND OK(\"a-c\") AND \"unclosed");
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "ALARM(b) AND OK(c) AND unclosed");
	free(a.alarm_rule);
	/* One name: nothing in common to drop. */
	a.alarm_rule = xstrdup("NOT OK(\"datalake-x\")");
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "NOT OK(datalake-x)");
	free(a.alarm_rule);
	a.alarm_rule = xstrdup("ALARM(\"ééé-\xc3\xa9x\") OR ALARM(\"ééé-y\")");
	assert_string_equal(alarm_threshold_words(&a, small, 12),
	    "ALARM(\xc3\xa9...");
	/* The cut would split the é: it goes before it. */
	assert_string_equal(alarm_threshold_words(&a, small, 11),
	    "ALARM(...");
	cw_alarm_clear(&a);
	a.composite = 1;
	assert_string_equal(alarm_threshold_words(&a, buf, sizeof buf),
	    "(no rule)");
}

static void
test_period_words(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(alarm_period_words(10, buf, sizeof buf), "10 s");
	assert_string_equal(alarm_period_words(60, buf, sizeof buf), "1 min");
	assert_string_equal(alarm_period_words(90, buf, sizeof buf), "90 s");
	assert_string_equal(alarm_period_words(900, buf, sizeof buf), "15 min");
	assert_string_equal(alarm_period_words(7200, buf, sizeof buf), "2 h");
	assert_string_equal(alarm_period_words(86400, buf, sizeof buf), "1 d");
	assert_string_equal(alarm_period_words(0, buf, sizeof buf), "?");
}

static void
test_age_words(void **state)
{
	char buf[32];
	time_t now = 1800000000;

	(void)state;
	assert_string_equal(alarm_age_words(now - 45, now, buf, sizeof buf), "45s");
	assert_string_equal(alarm_age_words(now, now, buf, sizeof buf), "0s");
	assert_string_equal(alarm_age_words(now + 30, now, buf, sizeof buf), "0s");
	assert_string_equal(alarm_age_words(now - 200, now, buf, sizeof buf),
	    "3m 20s");
	assert_string_equal(alarm_age_words(now - 120, now, buf, sizeof buf), "2m");
	assert_string_equal(alarm_age_words(now - (2 * 3600 + 14 * 60 + 5), now,
	    buf, sizeof buf), "2h 14m");
	assert_string_equal(alarm_age_words(now - 3600, now, buf, sizeof buf), "1h");
	assert_string_equal(alarm_age_words(now - (3 * 86400 + 4 * 3600 + 59),
	    now, buf, sizeof buf), "3d 4h");
	assert_string_equal(alarm_age_words(now - 400 * 86400, now, buf,
	    sizeof buf), "400d");
	assert_string_equal(alarm_age_words(0, now, buf, sizeof buf), "-");
	assert_string_equal(alarm_age_words(now - 3600, now, buf, 3), "1h");
}

static void
add(struct cw_alarm_list *l, const char *name, const char *state,
    const char *fn_dim)
{
	struct cw_alarm *a;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	a = &l->v[l->n++];
	memset(a, 0, sizeof *a);
	a->name = xstrdup(name);
	a->state = xstrdup(state);
	if (fn_dim != NULL) {
		a->dims = xcalloc(2, sizeof *a->dims);
		a->dims[0].name = xstrdup("Resource");
		a->dims[0].value = xstrdup("other");
		a->dims[1].name = xstrdup("FunctionName");
		a->dims[1].value = xstrdup(fn_dim);
		a->n_dims = 2;
	}
}

static void
test_state_order(void **state)
{
	struct cw_alarm_list l = { NULL, 0 };

	(void)state;
	assert_int_equal(alarm_state_rank("ALARM"), 0);
	assert_int_equal(alarm_state_rank("INSUFFICIENT_DATA"), 1);
	assert_int_equal(alarm_state_rank("OK"), 2);
	assert_int_equal(alarm_state_rank("alarm"), 3);
	assert_int_equal(alarm_state_rank(NULL), 3);
	add(&l, "b", "OK", NULL);
	add(&l, "z", "ALARM", NULL);
	add(&l, "c", "WEIRD", NULL);
	add(&l, "a", "OK", NULL);
	add(&l, "m", "INSUFFICIENT_DATA", NULL);
	add(&l, "b2", "ALARM", NULL);
	alarm_sort(&l);
	assert_string_equal(l.v[0].name, "b2");
	assert_string_equal(l.v[1].name, "z");
	assert_string_equal(l.v[2].name, "m");
	assert_string_equal(l.v[3].name, "a");
	assert_string_equal(l.v[4].name, "b");
	assert_string_equal(l.v[5].name, "c");
	assert_string_equal(alarm_state_glyph("ALARM", 0), "!!");
	assert_string_equal(alarm_state_glyph("OK", 0), "ok");
	assert_string_equal(alarm_state_glyph("INSUFFICIENT_DATA", 0), "??");
	assert_string_equal(alarm_state_glyph("ALARM", 1), "\xe2\x9c\x96");
	assert_string_equal(alarm_state_glyph(NULL, 1), "-");
	assert_string_equal(alarm_state_short("INSUFFICIENT_DATA"), "INSUFF_DATA");
	assert_string_equal(alarm_state_short("OK"), "OK");
	cw_alarm_list_clear(&l);
}

static void
test_match(void **state)
{
	static const struct alarm_fn fns[] = {
		{ "datalake-alpha-mambu-to-s3-raw", "mambu-to-s3-raw" },
		{ "datalake-alpha-mambu-to-s3-raw-v2", "mambu-v2" },
		{ "datalake-alpha-mambu", NULL },
		{ "datalake-alpha-cards", "cards" },
		{ NULL, "skipped" },
	};
	struct cw_alarm_list l = { NULL, 0 };

	(void)state;
	/* 0: by dimension, whatever the name says. */
	add(&l, "lambda-errors-7f3a", "ALARM", "datalake-alpha-cards");
	/* 1: by name only: the longest name it holds wins. */
	add(&l, "datalake-alpha-mambu-to-s3-raw-freshness", "OK", NULL);
	add(&l, "datalake-alpha-mambu-to-s3-raw-v2-errors", "OK", NULL);
	/* 3: a name holding a function only inside a word: no match. */
	add(&l, "datalake-alpha-mambux-errors", "OK", NULL);
	/* 4: a dimension naming a function the list lacks: kept, no local. */
	add(&l, "x", "OK", "datalake-alpha-gone");
	/* 5: the dimension wins over the name. */
	add(&l, "datalake-alpha-mambu-to-s3-raw-errors", "ALARM",
	    "datalake-alpha-cards");
	add(&l, "datalake-alpha-mambu", "OK", NULL);
	add(&l, "unrelated", "OK", NULL);
	/* A match from before is replaced. */
	l.v[7].function = xstrdup("stale");
	alarm_match(&l, fns, sizeof fns / sizeof fns[0]);
	assert_string_equal(l.v[0].function, "datalake-alpha-cards");
	assert_string_equal(l.v[0].local_function, "cards");
	assert_string_equal(l.v[1].function, "datalake-alpha-mambu-to-s3-raw");
	assert_string_equal(l.v[1].local_function, "mambu-to-s3-raw");
	assert_string_equal(l.v[2].function, "datalake-alpha-mambu-to-s3-raw-v2");
	assert_string_equal(l.v[2].local_function, "mambu-v2");
	assert_null(l.v[3].function);
	assert_string_equal(l.v[4].function, "datalake-alpha-gone");
	assert_null(l.v[4].local_function);
	assert_string_equal(l.v[5].function, "datalake-alpha-cards");
	assert_string_equal(l.v[6].function, "datalake-alpha-mambu");
	assert_null(l.v[6].local_function);
	assert_null(l.v[7].function);

	assert_int_equal(alarm_count(&l, NULL, NULL), 8);
	assert_int_equal(alarm_count(&l, NULL, "ALARM"), 2);
	assert_int_equal(alarm_count(&l, "datalake-alpha-cards", "ALARM"), 2);
	assert_int_equal(alarm_count(&l, "cards", NULL), 2);
	assert_int_equal(alarm_count(&l, "mambu-v2", "ALARM"), 0);
	assert_int_equal(alarm_count(&l, "nobody", NULL), 0);
	assert_int_equal(alarm_count(NULL, NULL, NULL), 0);
	cw_alarm_list_clear(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold_words),
		cmocka_unit_test(test_threshold_words_math_and_band),
		cmocka_unit_test(test_threshold_words_composite),
		cmocka_unit_test(test_period_words),
		cmocka_unit_test(test_age_words),
		cmocka_unit_test(test_state_order),
		cmocka_unit_test(test_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
