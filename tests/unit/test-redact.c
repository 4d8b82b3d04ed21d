/* Unit tests for src/redact.c: secrets never survive, control characters are inert. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "redact.h"

/* An AWS message redacted in a buffer the size of dlc_err's message. */
static void
check_body(const char *in, const char *want)
{
	char msg[1024];

	snprintf(msg, sizeof msg, "%s", in);
	redact_message(msg, sizeof msg);
	assert_string_equal(msg, want);
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
	assert_string_equal(v, "a\\x1b[2Jb\\r\\nc\\x7f\\u009bd\xc3\xa9");
	free(v);
	/*
	 * What the old escaper let through: a raw 8-bit CSI (0x9b, a C1
	 * control to a terminal in 8-bit mode), a bidi override, invalid UTF-8.
	 */
	v = redact_header_value("x-amzn-ErrorType", "A\x9b" "2J\xe2\x80\xae" "B\xff");
	assert_string_equal(v, "A\xef\xbf\xbd" "2J\\u202eB\xef\xbf\xbd");
	free(v);
	v = redact_header_value("", "x-amzn-ErrorType\x1b]0;t\x07");
	assert_string_equal(v, "x-amzn-ErrorType\\x1b]0;t\\x07");
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

/*
 * With a wrong secret key and a session token, AWS's SignatureDoesNotMatch
 * quotes the canonical request, x-amz-security-token line and all.
 */
static void
test_signature_mismatch_message(void **state)
{
	check_body("The request signature we calculated does not match the "
	    "signature you provided.\n\nThe Canonical String for this request "
	    "should have been\n'GET\n/2015-03-31/functions/\n\n"
	    "host:lambda.eu-west-1.amazonaws.com\nx-amz-date:20261203T031500Z\n"
	    "x-amz-security-token:IQoJb3JpZ2luX2VjE+/tok==\n\n"
	    "host;x-amz-date;x-amz-security-token\ne3b0c442'\n",
	    "The request signature we calculated does not match the "
	    "signature you provided.\n\nThe Canonical String for this request "
	    "should have been\n'GET\n/2015-03-31/functions/\n\n"
	    "host:lambda.eu-west-1.amazonaws.com\nx-amz-date:20261203T031500Z\n"
	    "x-amz-security-token:<redacted>\n\n"
	    "host;x-amz-date;x-amz-security-token\ne3b0c442'\n");
	/* The message stays raw text: the sanitiser escapes it when printed. */
	check_body("a\x1b]0;t\x07 Signature=abc", "a\x1b]0;t\x07 Signature=<redacted>");
}

/* "<redacted>" is longer than a short secret: the record's size holds. */
static void
test_message_stays_in_its_buffer(void **state)
{
	char msg[24];

	snprintf(msg, sizeof msg, "%s", "SessionToken=ab xyzxyz");
	redact_message(msg, sizeof msg);
	assert_string_equal(msg, "SessionToken=<redacted>");
	snprintf(msg, sizeof msg, "%s", "x-amz-security-token:");
	redact_message(msg, sizeof msg);
	assert_string_equal(msg, "x-amz-security-token:");
}

static void
test_escape_ceiling(void **state)
{
	struct buf out;

	buf_init(&out, 8);
	assert_int_equal(redact_escape(&out, "0123456789\x1b", 11, 0), -1);
	assert_int_equal(redact_escape(&out, "a\x1b", 2, 0), 0);
	assert_string_equal(out.data, "a\\x1b");
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
		cmocka_unit_test(test_signature_mismatch_message),
		cmocka_unit_test(test_message_stays_in_its_buffer),
		cmocka_unit_test(test_escape_ceiling),
		cmocka_unit_test(test_url_query_secrets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
