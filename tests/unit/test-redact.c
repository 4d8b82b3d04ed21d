/* Unit tests for src/redact.c: secrets never survive, control characters are inert. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "redact.h"

static char *
body(const char *s)
{
	struct buf out;

	buf_init(&out, 0);
	assert_int_equal(redact_body(s, strlen(s), &out), 0);
	return buf_detach(&out, NULL);
}

static void
check_body(const char *in, const char *want)
{
	char *got = body(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_authorization_keeps_key_id_only(void **state)
{
	char *v;

	v = redact_header_value("Authorization",
	    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
	    "SignedHeaders=content-type;host;x-amz-date, "
	    "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
	assert_string_equal(v, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/<redacted>");
	free(v);
	v = redact_header_value("authorization", "Bearer eyJhbGciOi.secret.sig");
	assert_string_equal(v, "<redacted>");
	free(v);
	v = redact_header_value("AUTHORIZATION", "AWS4-HMAC-SHA256 Signature=abc");
	assert_string_equal(v, "<redacted>");
	free(v);
}

static void
test_token_headers_fully_redacted(void **state)
{
	static const char *names[] = {
		"X-Amz-Security-Token", "x-amz-security-token",
		"x-amz-sso_bearer_token", "X-AMZ-SSO_BEARER_TOKEN",
	};
	size_t i;
	char *v;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		v = redact_header_value(names[i], "IQoJb3JpZ2luX2VjEXAMPLETOKEN");
		assert_string_equal(v, "<redacted>");
		free(v);
	}
	v = redact_header_value("X-Amz-Date", "20150830T123600Z");
	assert_string_equal(v, "20150830T123600Z");
	free(v);
}

static void
test_header_controls_escaped(void **state)
{
	char *v;

	v = redact_header_value("X-Test", "a\x1b[2Jb\r\nc\x7f\xc2\x9b" "d\xc3\xa9");
	assert_string_equal(v, "a\\x1b[2Jb\\x0d\\x0ac\\x7f\\xc2\\x9bd\xc3\xa9");
	free(v);
}

static void
test_json_secrets(void **state)
{
	check_body("{\"Credentials\":{\"AccessKeyId\":\"ASIAEXAMPLE\","
	    "\"SecretAccessKey\":\"wJalrXUtnFEMI/K7MDENG\","
	    "\"SessionToken\" : \"IQoJb3JpZ2l\\\"uX2Vj\",\"Expiration\":1700000000}}",
	    "{\"Credentials\":{\"AccessKeyId\":\"ASIAEXAMPLE\","
	    "\"SecretAccessKey\":\"<redacted>\","
	    "\"SessionToken\" : \"<redacted>\",\"Expiration\":1700000000}}");
	check_body("{\"roleCredentials\":{\"accessKeyId\":\"ASIA\",\"secretAccessKey\":\"s1\","
	    "\"sessionToken\":\"t1\",\"expiration\":1}}",
	    "{\"roleCredentials\":{\"accessKeyId\":\"ASIA\",\"secretAccessKey\":\"<redacted>\","
	    "\"sessionToken\":\"<redacted>\",\"expiration\":1}}");
	check_body("{\"accessToken\":\"a\",\"refreshToken\":\"r\",\"clientSecret\":\"c\","
	    "\"deviceCode\":\"d\",\"clientId\":\"keep\",\"expiresIn\":28800}",
	    "{\"accessToken\":\"<redacted>\",\"refreshToken\":\"<redacted>\","
	    "\"clientSecret\":\"<redacted>\",\"deviceCode\":\"<redacted>\","
	    "\"clientId\":\"keep\",\"expiresIn\":28800}");
	/* A name that only starts like a secret is left alone. */
	check_body("{\"accessTokenExpiry\":\"x\",\"MySessionToken2\":\"y\"}",
	    "{\"accessTokenExpiry\":\"x\",\"MySessionToken2\":\"y\"}");
}

static void
test_xml_form_and_ini_secrets(void **state)
{
	check_body("<AssumeRoleResult><Credentials>\n"
	    "  <AccessKeyId>ASIAEXAMPLE</AccessKeyId>\n"
	    "  <SecretAccessKey>wJalrXUtnFEMI</SecretAccessKey>\n"
	    "  <SessionToken>FwoGZXIvYXdzE</SessionToken>\n"
	    "</Credentials></AssumeRoleResult>",
	    "<AssumeRoleResult><Credentials>\n"
	    "  <AccessKeyId>ASIAEXAMPLE</AccessKeyId>\n"
	    "  <SecretAccessKey><redacted></SecretAccessKey>\n"
	    "  <SessionToken><redacted></SessionToken>\n"
	    "</Credentials></AssumeRoleResult>");
	check_body("Action=X&clientSecret=abc&code_verifier=v1&Version=1",
	    "Action=X&clientSecret=<redacted>&code_verifier=<redacted>&Version=1");
	check_body("[default]\naws_access_key_id = AKID\n"
	    "aws_secret_access_key = wJalr\naws_session_token=tok\n",
	    "[default]\naws_access_key_id = AKID\n"
	    "aws_secret_access_key = <redacted>\naws_session_token=<redacted>\n");
}

static void
test_body_controls_escaped_newlines_kept(void **state)
{
	check_body("line1\n\tline2\x1b]0;title\x07\r",
	    "line1\n\tline2\\x1b]0;title\\x07\\x0d");
}

static void
test_body_ceiling(void **state)
{
	struct buf out;

	buf_init(&out, 8);
	assert_int_equal(redact_body("{\"SessionToken\":\"secret\"}", 25, &out), -1);
	assert_null(strstr(out.data != NULL ? out.data : "", "secret"));
	buf_free(&out);
}

static void
test_url_query_secrets(void **state)
{
	char *v;

	v = redact_url("https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/"
	    "snapshots/123/fn-abc?versionId=v1&X-Amz-Security-Token=IQoJ%2Ftok"
	    "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA%2F20261125"
	    "&X-Amz-Signature=0123abcd");
	assert_string_equal(v, "https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/"
	    "snapshots/123/fn-abc?versionId=v1&X-Amz-Security-Token=<redacted>"
	    "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA%2F20261125"
	    "&X-Amz-Signature=<redacted>");
	free(v);
	v = redact_url("http://127.0.0.1:5000/2015-03-31/functions\x1b[31m");
	assert_string_equal(v, "http://127.0.0.1:5000/2015-03-31/functions\\x1b[31m");
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_authorization_keeps_key_id_only),
		cmocka_unit_test(test_token_headers_fully_redacted),
		cmocka_unit_test(test_header_controls_escaped),
		cmocka_unit_test(test_json_secrets),
		cmocka_unit_test(test_xml_form_and_ini_secrets),
		cmocka_unit_test(test_body_controls_escaped_newlines_kept),
		cmocka_unit_test(test_body_ceiling),
		cmocka_unit_test(test_url_query_secrets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
