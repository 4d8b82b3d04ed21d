/*
 * Unit tests for src/cw-metrics.c's wire: the form body of a batch
 * (members numbered from 1, dimensions, ScanBy, NextToken), the answer
 * as AWS writes it (several results, Messages, PartialData, an empty
 * result, a NextToken), answers that are not the shape (values and
 * timestamps of different counts, a value that is not a number, no Id,
 * an ErrorResponse), and merging pages per id: results out of query
 * order, points out of time order, a repeated time, an id no query has.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw-metrics.h"

#define HEAD "<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">" \
	"<GetMetricDataResult><MetricDataResults>"
#define TAIL(TOKEN) "</MetricDataResults>" TOKEN "<Messages/></GetMetricDataResult>" \
	"<ResponseMetadata><RequestId>1a2b</RequestId></ResponseMetadata></GetMetricDataResponse>"
#define RESULT(ID, TS, VS, STATUS, MSG) "<member><Id>" ID "</Id><Label>" ID " label</Label>" \
	"<Timestamps>" TS "</Timestamps><Values>" VS "</Values><StatusCode>" STATUS "</StatusCode>" MSG "</member>"
#define T(X) "<member>" X "</member>"

static const struct cw_dimension dim = { "FunctionName", "orders-to-s3 raw" };
static const struct cw_metric_query queries[] = {
	{ "f0_invocations", "AWS/Lambda", "Invocations", "Sum", &dim, 1, 300 },
	{ "f0_errors", "AWS/Lambda", "Errors", "Sum", &dim, 1, 300 },
	{ "f1_p99", "AWS/Lambda", "Duration", "p99", NULL, 0, 60 },
};

static void
test_body(void **state)
{
	char *b;

	(void)state;
	b = cw_metrics_body(queries, 3, 1764756000, 1764842400, NULL);
	assert_non_null(strstr(b, "Action=GetMetricData&Version=2010-08-01&"
	    "StartTime=2025-12-03T10%3A00%3A00Z&EndTime=2025-12-04T10%3A00%3A00Z"
	    "&ScanBy=TimestampAscending&"));
	assert_non_null(strstr(b, "&MetricDataQueries.member.1.Id=f0_invocations&"
	    "MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FLambda&"
	    "MetricDataQueries.member.1.MetricStat.Metric.MetricName=Invocations&"
	    "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name=FunctionName&"
	    "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value=orders-to-s3%20raw&"
	    "MetricDataQueries.member.1.MetricStat.Period=300&"
	    "MetricDataQueries.member.1.MetricStat.Stat=Sum&"
	    "MetricDataQueries.member.1.ReturnData=true"));
	assert_non_null(strstr(b, "MetricDataQueries.member.3.MetricStat.Stat=p99"));
	assert_null(strstr(b, "member.3.MetricStat.Metric.Dimensions"));
	assert_null(strstr(b, "NextToken"));
	free(b);
	b = cw_metrics_body(queries, 1, 0, 60, "tok/en=");
	assert_non_null(strstr(b, "&NextToken=tok%2Fen%3D"));
	assert_null(strstr(b, "member.2."));
	free(b);
}

static const char two_results[] = HEAD
	RESULT("f0_invocations", T("2026-12-03T10:00:00Z") T("2026-12-03T10:05:00Z"),
	    T("12.0") T("7"), "Complete", "")
	RESULT("f0_errors", "", "", "PartialData",
	    "<Messages><member><Code>ArithmeticError</Code><Value>x &lt; 0</Value></member>"
	    "<member><Code>MaxDatapointsExceeded</Code><Value>cut</Value></member></Messages>")
	TAIL("<NextToken>page2</NextToken>");

static void
test_parse(void **state)
{
	struct cw_metrics_page p;
	struct dlc_err err;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(cw_metrics_parse(two_results, strlen(two_results),
	    &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.next_token, "page2");
	assert_string_equal(p.series[0].id, "f0_invocations");
	assert_string_equal(p.series[0].label, "f0_invocations label");
	assert_string_equal(p.series[0].status, "Complete");
	assert_null(p.series[0].message);
	assert_int_equal(p.series[0].n, 2);
	assert_int_equal(p.series[0].t[1] - p.series[0].t[0], 300);
	assert_true(p.series[0].v[0] == 12 && p.series[0].v[1] == 7);
	assert_string_equal(p.series[1].status, "PartialData");
	assert_int_equal(p.series[1].n, 0);
	assert_string_equal(p.series[1].message,
	    "ArithmeticError: x < 0; MaxDatapointsExceeded: cut");
	cw_metrics_page_clear(&p);
	cw_metrics_page_clear(&p);
}

static void
test_parse_last_page(void **state)
{
	static const char body[] = HEAD TAIL("");
	static const char empty_token[] = HEAD TAIL("<NextToken></NextToken>");
	struct cw_metrics_page p;
	struct dlc_err err;

	(void)state;
	assert_int_equal(cw_metrics_parse(body, strlen(body), &p, &err), 0);
	assert_int_equal(p.n, 0);
	assert_null(p.next_token);
	cw_metrics_page_clear(&p);
	assert_int_equal(cw_metrics_parse(empty_token, strlen(empty_token),
	    &p, &err), 0);
	assert_null(p.next_token);
	cw_metrics_page_clear(&p);
}

static void
bad(const char *body, const char *code, const char *needle)
{
	struct cw_metrics_page p;
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_int_equal(cw_metrics_parse(body, strlen(body), &p, &err), -1);
	assert_string_equal(err.code, code);
	if (strstr(err.message, needle) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", err.message, needle);
	assert_null(p.series);
	assert_int_equal(p.n, 0);
}

static void
test_parse_bad(void **state)
{
	(void)state;
	bad(HEAD RESULT("a", T("2026-12-03T10:00:00Z"), "", "Complete", "") TAIL(""),
	    "MalformedResponse", "not as many Values as Timestamps");
	bad(HEAD RESULT("a", T("2026-12-03T10:00:00Z"), T("12x"), "Complete", "") TAIL(""),
	    "MalformedResponse", "\"a\" has a value that is not a number");
	bad(HEAD RESULT("a", T("yesterday"), T("1"), "Complete", "") TAIL(""),
	    "MalformedResponse", "not ISO 8601");
	bad(HEAD "<member><Label>x</Label></member>" TAIL(""),
	    "MalformedResponse", "has no Id");
	bad("<GetMetricDataResponse/>", "MalformedResponse",
	    "no GetMetricDataResult");
	bad("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameterValue</Code>"
	    "<Message>The value f-1 for parameter MetricDataQueries.member.1.Id is invalid."
	    "</Message></Error><RequestId>r</RequestId></ErrorResponse>",
	    "InvalidParameterValue", "MetricDataQueries.member.1.Id");
}

static void
page_of(struct cw_metrics_page *p, const char *body)
{
	struct dlc_err err;

	assert_int_equal(cw_metrics_parse(body, strlen(body), p, &err), 0);
}

static void
test_merge(void **state)
{
	struct cw_series s[3];
	struct cw_metrics_page p;
	size_t i;

	(void)state;
	memset(s, 0, sizeof s);
	/* Page 1: results in another order than the queries, one id unknown. */
	page_of(&p, HEAD
	    RESULT("f1_p99", T("2026-12-03T10:01:00Z"), T("250.5"), "Complete", "")
	    RESULT("nobody", T("2026-12-03T10:01:00Z"), T("1"), "Complete", "")
	    RESULT("f0_invocations", T("2026-12-03T10:05:00Z") T("2026-12-03T10:10:00Z"),
	        T("5") T("6"), "PartialData", "")
	    TAIL("<NextToken>p2</NextToken>"));
	cw_metrics_merge(s, queries, 3, &p);
	cw_metrics_page_clear(&p);
	/* Page 2: older points, and 10:10 again (the later page wins). */
	page_of(&p, HEAD
	    RESULT("f0_invocations", T("2026-12-03T10:00:00Z") T("2026-12-03T10:10:00Z"),
	        T("4") T("60"), "Complete", "")
	    TAIL(""));
	cw_metrics_merge(s, queries, 3, &p);
	cw_metrics_page_clear(&p);
	assert_string_equal(s[0].id, "f0_invocations");
	assert_int_equal(s[0].n, 3);
	assert_true(s[0].t[0] < s[0].t[1] && s[0].t[1] < s[0].t[2]);
	assert_true(s[0].v[0] == 4 && s[0].v[1] == 5 && s[0].v[2] == 60);
	/* PartialData said more was coming; the last page says Complete. */
	assert_string_equal(s[0].status, "Complete");
	assert_null(s[1].id);
	assert_int_equal(s[1].n, 0);
	assert_string_equal(s[2].id, "f1_p99");
	assert_int_equal(s[2].n, 1);
	assert_true(s[2].v[0] == 250.5);
	for (i = 0; i < 3; i++)
		cw_series_clear(&s[i]);
}

static void
test_parse_big_linear(void **state)
{
	/* 100 functions x 2 series x 288 points, as the bench's answer. */
	char *body = NULL;
	size_t cap = 8u * 1024 * 1024, len = 0, f, k, i;
	struct cw_metrics_page p;
	struct dlc_err err;
	int w;

	(void)state;
	body = malloc(cap);
	assert_non_null(body);
	len += (size_t)snprintf(body + len, cap - len, "%s", HEAD);
	for (f = 0; f < 100; f++) {
		for (k = 0; k < 2; k++) {
			w = snprintf(body + len, cap - len, "<member><Id>f%zu_%zu"
			    "</Id><Label>x</Label><Timestamps>", f, k);
			len += (size_t)w;
			for (i = 0; i < 288; i++)
				len += (size_t)snprintf(body + len, cap - len,
				    "<member>2026-12-02T%02zu:%02zu:00Z</member>",
				    i / 12, i % 12 * 5);
			len += (size_t)snprintf(body + len, cap - len,
			    "</Timestamps><Values>");
			for (i = 0; i < 288; i++)
				len += (size_t)snprintf(body + len, cap - len,
				    "<member>%zu.0</member>", i);
			len += (size_t)snprintf(body + len, cap - len,
			    "</Values><StatusCode>Complete</StatusCode></member>");
		}
	}
	len += (size_t)snprintf(body + len, cap - len, "%s", TAIL(""));
	assert_true(len < cap);
	assert_int_equal(cw_metrics_parse(body, len, &p, &err), 0);
	assert_int_equal(p.n, 200);
	for (i = 0; i < p.n; i++)
		assert_int_equal(p.series[i].n, 288);
	assert_true(p.series[199].v[287] == 287);
	assert_int_equal(p.series[199].t[287] - p.series[199].t[0], 287 * 300);
	cw_metrics_page_clear(&p);
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_last_page),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_parse_big_linear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
