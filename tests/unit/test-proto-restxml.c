/* Unit tests for src/proto-restxml.c: S3's error answers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "proto-restxml.h"

static void
test_s3_error_document(void **state)
{
	const char *body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>"
	    "<BucketName>b</BucketName><RequestId>4442587FB7D0A2F9</RequestId>"
	    "<HostId>h</HostId></Error>";
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_int_equal(proto_restxml_error(404, "HDR", body, strlen(body), &err), -1);
	assert_string_equal(err.code, "NoSuchBucket");
	assert_string_equal(err.message, "The specified bucket does not exist");
	/* The body's id is the one S3 logs; the header is the fallback. */
	assert_string_equal(err.request_id, "4442587FB7D0A2F9");
	assert_int_equal(err.http_status, 404);
}

static void
test_head_has_only_a_status(void **state)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	proto_restxml_error(404, "RID1", "", 0, &err);
	assert_string_equal(err.code, "404");
	assert_string_equal(err.request_id, "RID1");
	dlc_err_clear(&err);
	proto_restxml_error(403, NULL, NULL, 0, &err);
	assert_string_equal(err.code, "403");
	assert_string_equal(err.request_id, "");
}

static void
test_not_an_s3_error(void **state)
{
	const char *html = "<html><body>502 Bad Gateway</body></html>";
	const char *query = "<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>";
	struct dlc_err err;

	dlc_err_clear(&err);
	proto_restxml_error(502, "R", html, strlen(html), &err);
	assert_string_equal(err.code, "HTTP502");
	assert_non_null(strstr(err.message, "Bad Gateway"));
	assert_non_null(strstr(err.fix, "endpoint_url"));
	assert_string_equal(err.request_id, "R");
	dlc_err_clear(&err);
	proto_restxml_error(400, NULL, query, strlen(query), &err);
	assert_string_equal(err.code, "HTTP400");
	dlc_err_clear(&err);
	proto_restxml_error(400, NULL, "<Error><Code></Code></Error>", 28, &err);
	assert_string_equal(err.code, "HTTP400");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s3_error_document),
		cmocka_unit_test(test_head_has_only_a_status),
		cmocka_unit_test(test_not_an_s3_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
