/* Unit tests for src/proto-query.c: form bodies, XML answers and errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proto-query.h"
#include "data/proto/fixture.h"

static void
test_form_encoding(void **state)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(proto_query_add(&b, "Action", "DescribeAlarms"), 0);
	assert_int_equal(proto_query_add(&b, "Version", "2010-08-01"), 0);
	assert_int_equal(proto_query_add(&b, "AlarmNames.member.1",
	    "a b&c=d/é+~"), 0);
	assert_string_equal(b.data, "Action=DescribeAlarms&Version=2010-08-01"
	    "&AlarmNames.member.1=a%20b%26c%3Dd%2F%C3%A9%2B~");
	buf_free(&b);

	/* At the ceiling nothing half-written is left behind. */
	buf_init(&b, 20);
	assert_int_equal(proto_query_add(&b, "Action", "X"), 0);
	assert_int_equal(proto_query_add(&b, "Version", "2011-06-15"), -1);
	assert_string_equal(b.data, "Action=X");
	assert_int_equal(b.len, 8);
	buf_free(&b);
}

static void
test_parse_ok_and_wrong_root(void **state)
{
	struct dlc_err err;
	struct xml_node *root;
	size_t len;
	char *body = fixture_load("sts-get-caller-identity.xml", &len);

	dlc_err_clear(&err);
	root = proto_query_parse(body, len, "GetCallerIdentity", &err);
	assert_non_null(root);
	assert_string_equal(xml_text(root, "GetCallerIdentityResult/Arn"),
	    "arn:aws:sts::123456789012:assumed-role/"
	    "AWSReservedSSO_DataLakeDev_0123456789abcdef/jane@example.com");
	xml_free(root);

	dlc_err_clear(&err);
	assert_null(proto_query_parse(body, len, "AssumeRole", &err));
	assert_string_equal(err.message, "AssumeRole: response is "
	    "<GetCallerIdentityResponse>, expected <AssumeRoleResponse>");
	/* A prefix of the name is not the name. */
	dlc_err_clear(&err);
	assert_null(proto_query_parse(body, len, "GetCaller", &err));
	free(body);

	dlc_err_clear(&err);
	assert_null(proto_query_parse("<html>", 6, "GetCallerIdentity", &err));
	assert_non_null(strstr(err.message, "GetCallerIdentity: response is "
	    "not XML"));
}

static void
test_parse_error_document(void **state)
{
	struct dlc_err err;
	size_t len;
	char *body = fixture_load("sts-error.xml", &len);

	dlc_err_clear(&err);
	assert_null(proto_query_parse(body, len, "AssumeRole", &err));
	assert_string_equal(err.code, "AccessDenied");
	assert_string_equal(err.request_id,
	    "4f8a3b2c-1d0e-4f5a-9b8c-7d6e5f4a3b2c");
	free(body);
}

static void
test_error_shapes(void **state)
{
	const char ec2[] = "<Response><Errors><Error><Code>Throttling</Code>"
	    "<Message>Rate exceeded</Message></Error></Errors>"
	    "<RequestID>r-1</RequestID></Response>";
	const char nomsg[] = "<ErrorResponse><Error><Code>InternalFailure"
	    "</Code></Error></ErrorResponse>";
	struct dlc_err err;
	size_t len;
	char *body = fixture_load("sts-error.xml", &len);

	dlc_err_clear(&err);
	assert_int_equal(proto_query_error(403, body, len, &err), -1);
	assert_string_equal(err.code, "AccessDenied");
	assert_non_null(strstr(err.message, "User: arn:aws:iam::123456789012:"
	    "user/jane is not authorized to perform: sts:AssumeRole"));
	assert_int_equal(err.http_status, 403);
	free(body);

	dlc_err_clear(&err);
	proto_query_error(400, ec2, sizeof ec2 - 1, &err);
	assert_string_equal(err.code, "Throttling");
	assert_string_equal(err.message, "Rate exceeded");
	assert_string_equal(err.request_id, "r-1");

	dlc_err_clear(&err);
	proto_query_error(500, nomsg, sizeof nomsg - 1, &err);
	assert_string_equal(err.code, "InternalFailure");
	assert_string_equal(err.message, "HTTP 500 with no error message");

	body = fixture_load("proxy-502.html", &len);
	dlc_err_clear(&err);
	proto_query_error(502, body, len, &err);
	assert_string_equal(err.code, "HTTP502");
	assert_non_null(strstr(err.message, "<title>502 Bad Gateway</title>"));
	assert_null(strchr(err.message, '\n'));
	free(body);

	dlc_err_clear(&err);
	proto_query_error(503, "", 0, &err);
	assert_string_equal(err.code, "HTTP503");
	assert_string_equal(err.message, "HTTP 503 with an empty body");

	/* Well-formed XML that is not an error document. */
	dlc_err_clear(&err);
	proto_query_error(400, "<Foo><Code>X</Code></Foo>", 25, &err);
	assert_string_equal(err.code, "HTTP400");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_encoding),
		cmocka_unit_test(test_parse_ok_and_wrong_root),
		cmocka_unit_test(test_parse_error_document),
		cmocka_unit_test(test_error_shapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
