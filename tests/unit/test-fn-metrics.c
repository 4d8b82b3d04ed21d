/*
 * Unit tests for src/fn-metrics.c: ids CloudWatch accepts whatever the
 * function's name (the index, never the name), one query per metric
 * asked per function with the FunctionName dimension, the window aligned
 * to the period with the period in progress last, and the answer put on
 * the full grid per function: gaps NAN, points off the grid in their
 * slot, points outside the window dropped, a query left unanswered all
 * gaps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fn-metrics.h"

static const char *const names[] = { "orders-to-s3-raw", "Ünïcode.name:with$chars" };

static void
test_queries(void **state)
{
	struct fn_metrics_batch b;
	size_t i, k;

	(void)state;
	/* 10:30:10 -> the window ends at 11:00 and starts 24 h before. */
	fn_metrics_batch_init(&b, names, 2, FN_METRICS_ALL, 3600,
	    1764757810, 86400);
	assert_int_equal(b.n, 12);
	assert_int_equal(b.end, 1764759600);
	assert_int_equal(b.start, 1764759600 - 86400);
	assert_int_equal(fn_metrics_grid(&b), 24);
	assert_string_equal(b.q[0].id, "f0_invocations");
	assert_string_equal(b.q[7].id, "f1_errors");
	assert_string_equal(b.q[10].id, "f1_duration_p99");
	assert_string_equal(b.q[10].stat, "p99");
	assert_string_equal(b.q[11].metric, "ConcurrentExecutions");
	assert_string_equal(b.q[11].stat, "Maximum");
	for (i = 0; i < b.n; i++) {
		const char *id = b.q[i].id;

		assert_true(islower((unsigned char)id[0]));
		for (k = 0; id[k] != '\0'; k++)
			assert_true(isalnum((unsigned char)id[k]) || id[k] == '_');
		assert_string_equal(b.q[i].namespace, "AWS/Lambda");
		assert_int_equal(b.q[i].n_dims, 1);
		assert_string_equal(b.q[i].dims[0].name, "FunctionName");
		assert_string_equal(b.q[i].dims[0].value, names[i / 6]);
		assert_int_equal(b.q[i].period, 3600);
	}
	fn_metrics_batch_clear(&b);
	fn_metrics_batch_clear(&b);
	/* Only two metrics: two queries a function, in metric order. */
	fn_metrics_batch_init(&b, names, 2, FN_METRIC_BIT(FN_METRIC_INVOCATIONS) |
	    FN_METRIC_BIT(FN_METRIC_ERRORS), 3600, 1764759600, 86400);
	assert_int_equal(b.n, 4);
	assert_int_equal(b.end, 1764759600);
	assert_string_equal(b.q[3].id, "f1_errors");
	fn_metrics_batch_clear(&b);
}

static void
test_collect(void **state)
{
	struct fn_metrics_batch b;
	struct cw_series in[4];
	struct fn_metrics *fm;
	time_t t0;
	time_t ts[] = { 0, 3600 * 2 + 59, 3600 * 5, -3600, 3600 * 24 };
	double vs[] = { 1, 2, 3, 99, 98 };
	size_t i;

	(void)state;
	fn_metrics_batch_init(&b, names, 2, FN_METRIC_BIT(FN_METRIC_INVOCATIONS) |
	    FN_METRIC_BIT(FN_METRIC_ERRORS), 3600, 1764759600, 86400);
	t0 = b.start;
	for (i = 0; i < 5; i++)
		ts[i] += t0;
	memset(in, 0, sizeof in);
	in[0].id = (char *)"f0_invocations";
	in[0].status = (char *)"Complete";
	in[0].t = ts;
	in[0].v = vs;
	in[0].n = 5;
	in[3].id = (char *)"f1_errors";
	in[3].status = (char *)"Forbidden";
	in[3].message = (char *)"AccessDenied: no cloudwatch:GetMetricData";
	fm = fn_metrics_collect(&b, in, 4);
	assert_string_equal(fm[0].function, "orders-to-s3-raw");
	assert_int_equal(fm[0].invocations.n, 24);
	assert_int_equal(fm[0].invocations.t[0], t0);
	assert_int_equal(fm[0].invocations.t[23], t0 + 23 * 3600);
	assert_true(fm[0].invocations.v[0] == 1);
	assert_true(isnan(fm[0].invocations.v[1]));
	/* 02:00:59 is in the 02:00 slot. */
	assert_true(fm[0].invocations.v[2] == 2);
	assert_true(fm[0].invocations.v[5] == 3);
	/* Before the window and at its end: dropped, not wrapped. */
	for (i = 6; i < 24; i++)
		assert_true(isnan(fm[0].invocations.v[i]));
	assert_string_equal(fm[0].invocations.status, "Complete");
	/* Unanswered: the whole grid, all gaps. */
	assert_int_equal(fm[0].errors.n, 24);
	assert_null(fm[0].errors.status);
	assert_true(isnan(fm[0].errors.v[23]));
	assert_string_equal(fm[1].function, names[1]);
	assert_string_equal(fm[1].errors.status, "Forbidden");
	assert_string_equal(fm[1].errors.message,
	    "AccessDenied: no cloudwatch:GetMetricData");
	/* Not asked: empty. */
	assert_int_equal(fm[1].throttles.n, 0);
	assert_null(fm[1].throttles.t);
	fn_metrics_free(fm, 2);
	fn_metrics_free(NULL, 3);
	fn_metrics_batch_clear(&b);
}

static void
test_names(void **state)
{
	struct fn_metrics fm;
	int m;

	(void)state;
	memset(&fm, 0, sizeof fm);
	assert_string_equal(fn_metric_name(FN_METRIC_CONCURRENT), "ConcurrentExecutions");
	assert_string_equal(fn_metric_stat(FN_METRIC_DURATION_P50), "p50");
	assert_string_equal(fn_metric_key(FN_METRIC_THROTTLES), "throttles");
	assert_ptr_equal(fn_metrics_series(&fm, FN_METRIC_DURATION_P99), &fm.duration_p99);
	for (m = 0; m < FN_METRIC_COUNT; m++)
		assert_non_null(fn_metrics_series(&fm, m));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_collect),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
