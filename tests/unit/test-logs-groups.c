/* Unit tests for src/logs-groups.c: DescribeLogGroups and DescribeSubscriptionFilters. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "logs-groups.h"

#define BODY(s) (s), strlen(s)

static void
test_bodies(void **state)
{
	char *b = logs_groups_describe_body("/aws/lambda/", NULL);

	(void)state;
	assert_string_equal(b, "{\"logGroupNamePrefix\":\"/aws/lambda/\",\"limit\":50}");
	free(b);
	b = logs_groups_filters_body("/aws/lambda/x", "tok");
	assert_string_equal(b, "{\"logGroupName\":\"/aws/lambda/x\",\"limit\":50,\"nextToken\":\"tok\"}");
	free(b);
}

static void
test_parse_groups(void **state)
{
	struct logs_groups_page p;
	struct dlc_err err;

	(void)state;
	assert_int_equal(logs_groups_parse_describe(BODY("{\"logGroups\":["
	    "{\"logGroupName\":\"/aws/lambda/a\",\"retentionInDays\":14,\"storedBytes\":5},"
	    "{\"logGroupName\":\"/aws/lambda/b\"}],\"nextToken\":\"n2\"}"), &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.groups[0].name, "/aws/lambda/a");
	assert_int_equal(p.groups[0].retention, 14);
	assert_int_equal(p.groups[1].retention, 0);	/* never expires */
	assert_string_equal(p.next_token, "n2");
	logs_groups_page_clear(&p);

	assert_int_equal(logs_groups_parse_describe(BODY("{}"), &p, &err), 0);
	assert_int_equal(p.n, 0);
	assert_null(p.next_token);
	logs_groups_page_clear(&p);

	assert_int_equal(logs_groups_parse_describe(BODY("{\"logGroups\":[{\"retentionInDays\":1}]}"),
	    &p, &err), -1);
	assert_non_null(strstr(err.message, "logGroupName"));
	assert_int_equal(logs_groups_parse_describe(BODY("{\"logGroups\":[{\"logGroupName\":\"x\","
	    "\"retentionInDays\":\"14\"}]}"), &p, &err), -1);
}

static void
test_parse_filters(void **state)
{
	struct logs_filters_page p;
	struct dlc_err err;

	(void)state;
	assert_int_equal(logs_groups_parse_filters(BODY("{\"subscriptionFilters\":["
	    "{\"filterName\":\"agg\",\"logGroupName\":\"/aws/lambda/a\",\"filterPattern\":\"\","
	    "\"destinationArn\":\"arn:aws:kinesis:eu-west-1:1:stream/logs\"}]}"), &p, &err), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.filters[0].name, "agg");
	assert_string_equal(p.filters[0].destination, "arn:aws:kinesis:eu-west-1:1:stream/logs");
	assert_null(p.next_token);
	logs_filters_page_clear(&p);
	assert_int_equal(logs_groups_parse_filters(BODY("{\"subscriptionFilters\":[3]}"), &p, &err), -1);
	assert_int_equal(logs_groups_parse_filters(BODY("[]"), &p, &err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_parse_groups),
		cmocka_unit_test(test_parse_filters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
