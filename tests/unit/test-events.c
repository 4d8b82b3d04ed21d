/* Unit tests for src/events.c: EventBridge request bodies and answers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "events.h"

#define BODY(s) (s), strlen(s)

static void
test_list_rule_names_body(void **state)
{
	char *b = events_list_rule_names_by_target_body(
	    "arn:aws:lambda:eu-west-1:111111111111:function:f\"x", NULL);
	cJSON *o = cJSON_Parse(b);

	(void)state;
	assert_non_null(o);
	assert_string_equal(cJSON_GetObjectItem(o, "TargetArn")->valuestring,
	    "arn:aws:lambda:eu-west-1:111111111111:function:f\"x");
	assert_null(cJSON_GetObjectItem(o, "NextToken"));
	cJSON_Delete(o);
	free(b);

	b = events_list_rule_names_by_target_body("arn:t", "tok/2");
	o = cJSON_Parse(b);
	assert_non_null(o);
	assert_string_equal(cJSON_GetObjectItem(o, "NextToken")->valuestring,
	    "tok/2");
	cJSON_Delete(o);
	free(b);

	b = events_describe_rule_body("datalake-nightly");
	assert_string_equal(b, "{\"Name\":\"datalake-nightly\"}");
	free(b);
}

static void
test_parse_rule_names(void **state)
{
	char **names, *token;
	size_t n;
	struct dlc_err err;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(events_parse_list_rule_names_by_target(BODY(
	    "{\"RuleNames\":[\"a-nightly\",\"b-hourly\"],\"NextToken\":\"t2\"}"),
	    &names, &n, &token, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "a-nightly");
	assert_string_equal(names[1], "b-hourly");
	assert_string_equal(token, "t2");
	events_names_free(names, n);
	free(token);

	/* No rules: RuleNames may be empty or absent, NextToken null. */
	assert_int_equal(events_parse_list_rule_names_by_target(BODY(
	    "{\"RuleNames\":[],\"NextToken\":null}"), &names, &n, &token, &err), 0);
	assert_int_equal(n, 0);
	assert_null(token);
	events_names_free(names, n);
	assert_int_equal(events_parse_list_rule_names_by_target(BODY("{}"),
	    &names, &n, &token, &err), 0);
	assert_int_equal(n, 0);
	events_names_free(names, n);
}

static void
test_parse_rule_names_malformed(void **state)
{
	char **names, *token;
	size_t n;
	struct dlc_err err;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(events_parse_list_rule_names_by_target(BODY(
	    "{\"RuleNames\":[\"a\",7]}"), &names, &n, &token, &err), -1);
	assert_non_null(strstr(err.message, "RuleNames[1]"));
	assert_null(names);
	assert_null(token);

	dlc_err_clear(&err);
	assert_int_equal(events_parse_list_rule_names_by_target(BODY(
	    "{\"RuleNames\":\"a\"}"), &names, &n, &token, &err), -1);
	assert_non_null(strstr(err.message, "RuleNames"));

	dlc_err_clear(&err);
	assert_int_equal(events_parse_list_rule_names_by_target(BODY(
	    "{\"RuleNames\":[],\"NextToken\":5}"), &names, &n, &token, &err), -1);
	assert_non_null(strstr(err.message, "NextToken"));

	dlc_err_clear(&err);
	assert_int_equal(events_parse_list_rule_names_by_target(BODY(
	    "{\"RuleNames\":[\"a\""), &names, &n, &token, &err), -1);
	assert_non_null(strstr(err.message, "ListRuleNamesByTarget"));
}

static void
test_parse_describe_rule(void **state)
{
	struct events_rule r;
	struct dlc_err err;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(events_parse_describe_rule(BODY(
	    "{\"Name\":\"datalake-nightly\",\"Arn\":\"arn:aws:events:eu-west-1:"
	    "111111111111:rule/datalake-nightly\",\"ScheduleExpression\":"
	    "\"cron(0 2 * * ? *)\",\"State\":\"ENABLED\",\"Description\":"
	    "\"nightly compaction\",\"EventBusName\":\"default\"}"), &r, &err), 0);
	assert_string_equal(r.name, "datalake-nightly");
	assert_string_equal(r.arn, "arn:aws:events:eu-west-1:111111111111:"
	    "rule/datalake-nightly");
	assert_string_equal(r.schedule_expression, "cron(0 2 * * ? *)");
	assert_string_equal(r.state, "ENABLED");
	assert_string_equal(r.description, "nightly compaction");
	assert_null(r.event_pattern);
	events_rule_clear(&r);
	assert_null(r.name);
	events_rule_clear(&r);

	assert_int_equal(events_parse_describe_rule(BODY(
	    "{\"Name\":\"on-upload\",\"EventPattern\":\"{\\\"source\\\":"
	    "[\\\"aws.s3\\\"]}\",\"State\":\"DISABLED\"}"), &r, &err), 0);
	assert_null(r.schedule_expression);
	assert_string_equal(r.event_pattern, "{\"source\":[\"aws.s3\"]}");
	events_rule_clear(&r);
}

static void
test_parse_describe_rule_malformed(void **state)
{
	struct events_rule r;
	struct dlc_err err;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(events_parse_describe_rule(BODY(
	    "{\"Name\":\"x\",\"State\":true}"), &r, &err), -1);
	assert_non_null(strstr(err.message, "State"));
	assert_null(r.name);

	dlc_err_clear(&err);
	assert_int_equal(events_parse_describe_rule(BODY("{\"State\":\"ENABLED\"}"),
	    &r, &err), -1);
	assert_non_null(strstr(err.message, "Name"));

	dlc_err_clear(&err);
	assert_int_equal(events_parse_describe_rule(BODY("[]"), &r, &err), -1);
	assert_non_null(strstr(err.message, "DescribeRule"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_rule_names_body),
		cmocka_unit_test(test_parse_rule_names),
		cmocka_unit_test(test_parse_rule_names_malformed),
		cmocka_unit_test(test_parse_describe_rule),
		cmocka_unit_test(test_parse_describe_rule_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
