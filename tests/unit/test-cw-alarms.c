/*
 * Unit tests for src/cw-alarms.c: the DescribeAlarms and
 * DescribeAlarmHistory parsers (composite, metric math, anomaly band,
 * hostile text, junk) and the list helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cw-alarms.h"
#include "timeutil.h"
#include "xmalloc.h"
#include "data/proto/fixture.h"

static time_t
iso(const char *s)
{
	time_t t = 0;

	assert_int_equal(timeutil_parse_iso8601(s, &t, NULL), 0);
	return t;
}

static void
test_describe_alarms(void **state)
{
	struct cw_alarm_page page;
	struct dlc_err err;
	const struct cw_alarm *a;
	size_t len;
	char *body = fixture_load("cw-describe-alarms.xml", &len);

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(cw_parse_describe_alarms(body, len, &page, &err), 0);
	/* The nameless member is skipped. */
	assert_int_equal(page.list.n, 5);
	assert_string_equal(page.next_token, "tok/2==");

	a = &page.list.v[0];
	assert_true(a->composite);
	assert_string_equal(a->name, "datalake-alpha-pipeline-health");
	assert_string_equal(a->state, "ALARM");
	assert_string_equal(a->alarm_rule, "ALARM(\"datalake-alpha-a-errors\") OR "
	    "ALARM(\"datalake-alpha-b-errors\")");
	assert_int_equal(a->state_since, iso("2026-11-22T09:00:00Z"));
	assert_int_equal(a->state_updated, iso("2026-11-22T09:00:05Z"));
	assert_int_equal(a->n_alarm_actions, 1);
	assert_true(a->actions_enabled);
	assert_null(a->metric_name);

	a = &page.list.v[1];
	assert_false(a->composite);
	assert_string_equal(a->name, "datalake-alpha-a-errors");
	assert_string_equal(a->arn, "arn:aws:cloudwatch:eu-west-1:111111111111:"
	    "alarm:datalake-alpha-a-errors");
	assert_string_equal(a->description, "Errors from datalake-alpha-a");
	assert_string_equal(a->metric_name, "Errors");
	assert_string_equal(a->namespace, "AWS/Lambda");
	assert_string_equal(a->statistic, "Sum");
	assert_int_equal(a->n_dims, 1);
	assert_string_equal(a->dims[0].name, "FunctionName");
	assert_string_equal(a->dims[0].value, "datalake-alpha-a");
	assert_int_equal(a->period, 300);
	assert_int_equal(a->evaluation_periods, 1);
	assert_int_equal(a->datapoints_to_alarm, 1);
	assert_true(a->has_threshold);
	assert_true(a->threshold == 1.0);
	assert_string_equal(a->comparison, "GreaterThanOrEqualToThreshold");
	assert_string_equal(a->treat_missing, "notBreaching");
	assert_int_equal(a->n_alarm_actions, 2);
	/* Transitioned is the time in state, not the last evaluation. */
	assert_int_equal(a->state_since, iso("2026-11-22T09:00:00Z"));
	assert_int_equal(a->state_updated, iso("2026-11-25T09:01:00Z"));

	/* Metric math: the one MetricStat's metric, the returned expression. */
	a = &page.list.v[2];
	assert_string_equal(a->name, "datalake-alpha-b-error-rate");
	assert_false(a->actions_enabled);
	assert_string_equal(a->expression, "100*errors/MAX([errors,1])");
	assert_string_equal(a->metric_name, "Errors");
	assert_int_equal(a->n_dims, 1);
	assert_string_equal(a->dims[0].value, "datalake-alpha-b");
	assert_int_equal(a->period, 300);
	assert_int_equal(a->datapoints_to_alarm, 2);
	assert_int_equal(a->evaluation_periods, 3);
	/* No StateTransitionedTimestamp: the update time stands in. */
	assert_int_equal(a->state_since, iso("2026-11-25T10:00:00Z"));

	/* An anomaly band: no number, the band's expression. */
	a = &page.list.v[3];
	assert_string_equal(a->state, "INSUFFICIENT_DATA");
	assert_false(a->has_threshold);
	assert_string_equal(a->threshold_metric_id, "ad1");
	assert_string_equal(a->band_expression, "ANOMALY_DETECTION_BAND(m1, 2)");
	assert_null(a->expression);
	assert_string_equal(a->metric_name, "Invocations");
	assert_string_equal(a->statistic, "Average");
	assert_int_equal(a->period, 3600);
	/* The hostile reason arrives whole and raw: display sanitises it. */
	assert_non_null(strstr(a->state_reason, "\xc2\x9b" "31mRED"));
	assert_non_null(strstr(a->state_reason, "\xe2\x80\xae" "evil"));
	assert_true(strlen(a->state_reason) > 3000);

	a = &page.list.v[4];
	assert_string_equal(a->name, "p99-latency");
	assert_string_equal(a->statistic, "p99");
	assert_true(a->threshold == 1500.5);
	/* DatapointsToAlarm absent: all the evaluation periods. */
	assert_int_equal(a->datapoints_to_alarm, 5);
	assert_int_equal(a->n_alarm_actions, 0);
	assert_true(a->actions_enabled);

	assert_ptr_equal(cw_alarm_list_find(&page.list, "p99-latency"), a);
	assert_null(cw_alarm_list_find(&page.list, "nope"));
	cw_alarm_page_clear(&page);
	assert_null(page.list.v);
	assert_null(page.next_token);
	cw_alarm_page_clear(NULL);
	free(body);
}

static void
test_describe_alarms_bad(void **state)
{
	static const char error[] = "<ErrorResponse xmlns=\"http://monitoring."
	    "amazonaws.com/doc/2010-08-01/\"><Error><Type>Sender</Type><Code>"
	    "ExpiredToken</Code><Message>The security token included in the "
	    "request is expired</Message></Error><RequestId>r1</RequestId>"
	    "</ErrorResponse>";
	static const char other[] = "<GetMetricDataResponse><GetMetricData"
	    "Result/></GetMetricDataResponse>";
	static const char empty[] = "<DescribeAlarmsResponse><DescribeAlarms"
	    "Result><MetricAlarms/><NextToken></NextToken></DescribeAlarms"
	    "Result></DescribeAlarmsResponse>";
	static const char noresult[] = "<DescribeAlarmsResponse/>";
	static const char doctype[] = "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>"
	    "<DescribeAlarmsResponse/>";
	/* A control character XML 1.0 cannot carry: refused, never half read. */
	static const char esc[] = "<DescribeAlarmsResponse><DescribeAlarms"
	    "Result><MetricAlarms><member><AlarmName>a</AlarmName><StateReason>"
	    "\x1b[31m</StateReason></member></MetricAlarms></DescribeAlarms"
	    "Result></DescribeAlarmsResponse>";
	struct cw_alarm_page page;
	struct dlc_err err;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(cw_parse_describe_alarms(error, sizeof error - 1, &page,
	    &err), -1);
	assert_string_equal(err.code, "ExpiredToken");
	assert_null(page.list.v);
	dlc_err_clear(&err);
	assert_int_equal(cw_parse_describe_alarms(other, sizeof other - 1, &page,
	    &err), -1);
	assert_string_equal(err.code, "MalformedResponse");
	dlc_err_clear(&err);
	assert_int_equal(cw_parse_describe_alarms("{}", 2, &page, &err), -1);
	dlc_err_clear(&err);
	assert_int_equal(cw_parse_describe_alarms(noresult, sizeof noresult - 1,
	    &page, &err), -1);
	assert_non_null(strstr(err.message, "DescribeAlarmsResult"));
	dlc_err_clear(&err);
	assert_int_equal(cw_parse_describe_alarms(doctype, sizeof doctype - 1,
	    &page, &err), -1);
	dlc_err_clear(&err);
	assert_int_equal(cw_parse_describe_alarms(esc, sizeof esc - 1, &page,
	    &err), -1);
	assert_null(page.list.v);
	dlc_err_clear(&err);
	assert_int_equal(cw_parse_describe_alarms(empty, sizeof empty - 1, &page,
	    &err), 0);
	assert_int_equal(page.list.n, 0);
	/* An empty NextToken is the last page. */
	assert_null(page.next_token);
	cw_alarm_page_clear(&page);
}

static void
test_list_take(void **state)
{
	struct cw_alarm_list a = { NULL, 0 }, b = { NULL, 0 };

	(void)state;
	b.v = xcalloc(2, sizeof *b.v);
	b.v[0].name = xstrdup("one");
	b.v[1].name = xstrdup("two");
	b.n = 2;
	cw_alarm_list_take(&a, &b);
	assert_int_equal(a.n, 2);
	assert_int_equal(b.n, 0);
	assert_null(b.v);
	cw_alarm_list_take(&a, &b);
	assert_int_equal(a.n, 2);
	assert_string_equal(a.v[1].name, "two");
	cw_alarm_list_clear(&a);
	cw_alarm_list_clear(NULL);
	cw_alarm_clear(NULL);
}

static void
test_history(void **state)
{
	struct cw_alarm_history h;
	struct dlc_err err;
	size_t len;
	char *body = fixture_load("cw-describe-alarm-history.xml", &len);

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(cw_parse_describe_alarm_history(body, len, &h, &err), 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.next_token, "more");
	assert_string_equal(h.v[0].alarm_name, "datalake-alpha-a-errors");
	assert_int_equal(h.v[0].t, iso("2026-11-22T09:00:00Z"));
	assert_string_equal(h.v[0].type, "StateUpdate");
	assert_string_equal(h.v[0].summary, "Alarm updated from OK to ALARM");
	assert_string_equal(h.v[0].old_state, "OK");
	assert_string_equal(h.v[0].new_state, "ALARM");
	assert_string_equal(h.v[1].type, "ConfigurationUpdate");
	/* Not a state update, and its data is not JSON: no states, no failure. */
	assert_null(h.v[1].old_state);
	assert_null(h.v[1].new_state);
	cw_alarm_history_clear(&h);
	assert_null(h.v);
	cw_alarm_history_clear(NULL);
	free(body);
	assert_int_equal(cw_parse_describe_alarm_history("<x/>", 4, &h, &err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describe_alarms),
		cmocka_unit_test(test_describe_alarms_bad),
		cmocka_unit_test(test_list_take),
		cmocka_unit_test(test_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
