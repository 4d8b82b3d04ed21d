/* Unit tests for src/oidc.c: device-flow bodies, answers and errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "oidc.h"
#include "wipe.h"
#include "data/proto/fixture.h"

/* A literal body and its length. */
#define S(lit)	(lit), strlen(lit)

static void
test_bodies(void **state)
{
	const char *scopes[] = { "sso:account:access", "codewhisperer:x" };
	char *s;
	cJSON *t;

	s = oidc_register_client_body("botocore-client-datalake", scopes, 2);
	assert_string_equal(s, "{\"clientName\":\"botocore-client-datalake\","
	    "\"clientType\":\"public\",\"scopes\":[\"sso:account:access\","
	    "\"codewhisperer:x\"]}");
	wipe_free(&s);
	s = oidc_register_client_body("c", NULL, 0);
	assert_string_equal(s, "{\"clientName\":\"c\",\"clientType\":\"public\"}");
	wipe_free(&s);

	s = oidc_start_device_authorization_body("id", "sec\"ret\\",
	    "https://d-1234567890.awsapps.com/start");
	assert_string_equal(s, "{\"clientId\":\"id\",\"clientSecret\":"
	    "\"sec\\\"ret\\\\\",\"startUrl\":"
	    "\"https://d-1234567890.awsapps.com/start\"}");
	wipe_free(&s);

	s = oidc_create_token_device_body("id", "sec", "dev\ncode\x01");
	assert_string_equal(s, "{\"clientId\":\"id\",\"clientSecret\":\"sec\","
	    "\"grantType\":\"urn:ietf:params:oauth:grant-type:device_code\","
	    "\"deviceCode\":\"dev\\u000acode\\u0001\"}");
	/* What we escape, a JSON parser reads back unchanged. */
	t = cJSON_Parse(s);
	assert_non_null(t);
	assert_string_equal(cJSON_GetObjectItem(t, "deviceCode")->valuestring,
	    "dev\ncode\x01");
	cJSON_Delete(t);
	wipe_free(&s);

	s = oidc_create_token_refresh_body("id", "sec", "r\xc3\xa9");
	assert_string_equal(s, "{\"clientId\":\"id\",\"clientSecret\":\"sec\","
	    "\"grantType\":\"refresh_token\",\"refreshToken\":\"r\xc3\xa9\"}");
	wipe_free(&s);
}

static void
test_register_client(void **state)
{
	struct oidc_client c;
	struct dlc_err err;
	size_t len;
	char *body = fixture_load("oidc-register-client.json", &len);

	dlc_err_clear(&err);
	assert_int_equal(oidc_parse_register_client(body, len, &c, &err), 0);
	assert_string_equal(c.client_id, "_yzkThXVzLWVhc3QtMUEXAMPLECLIENTID");
	assert_string_equal(c.client_secret, "eyJraWQiOiJrZXktMTU2NDAyODA5OSIs"
	    "ImFsZyI6IkhTMzg0In0.EXAMPLESECRET");
	assert_int_equal(c.issued_at, 1764090000);
	assert_int_equal(c.expires_at, 1771866000);
	oidc_client_clear(&c);
	assert_null(c.client_id);
	oidc_client_clear(NULL);
	free(body);

	dlc_err_clear(&err);
	assert_int_equal(oidc_parse_register_client(S("{\"clientId\":\"a\","
	    "\"clientSecret\":\"b\",\"clientSecretExpiresAt\":\"soon\"}"),
	    &c, &err), -1);
	assert_string_equal(err.message, "RegisterClient: clientSecretExpiresAt"
	    " is a string, expected a number");
	assert_null(c.client_id);
	dlc_err_clear(&err);
	assert_int_equal(oidc_parse_register_client("{\"clientId\":\"\"}", 15,
	    &c, &err), -1);
	assert_string_equal(err.message, "RegisterClient: clientId is empty");
}

static void
test_device_authorization(void **state)
{
	const char nointerval[] = "{\"deviceCode\":\"d\",\"userCode\":\"U\","
	    "\"verificationUri\":\"https://v/\",\"expiresIn\":600}";
	struct oidc_device d;
	struct dlc_err err;
	size_t len;
	char *body = fixture_load("oidc-device.json", &len);

	dlc_err_clear(&err);
	assert_int_equal(oidc_parse_start_device_authorization(body, len, &d,
	    &err), 0);
	assert_string_equal(d.user_code, "WDLC-QJXR");
	assert_string_equal(d.verification_uri,
	    "https://device.sso.eu-west-1.amazonaws.com/");
	assert_string_equal(d.verification_uri_complete,
	    "https://device.sso.eu-west-1.amazonaws.com/?user_code=WDLC-QJXR");
	assert_int_equal(d.expires_in, 600);
	assert_int_equal(d.interval, 1);
	oidc_device_clear(&d);
	assert_null(d.device_code);
	free(body);

	assert_int_equal(oidc_parse_start_device_authorization(nointerval,
	    sizeof nointerval - 1, &d, &err), 0);
	assert_int_equal(d.interval, 5);
	assert_null(d.verification_uri_complete);
	oidc_device_clear(&d);

	dlc_err_clear(&err);
	assert_int_equal(oidc_parse_start_device_authorization(S("{\"deviceCode\":"
	    "\"d\",\"userCode\":\"U\",\"verificationUri\":\"v\",\"expiresIn\":"
	    "99999999999}"), &d, &err), -1);
	assert_string_equal(err.message, "StartDeviceAuthorization: expiresIn "
	    "is 99999999999, expected seconds between 1 and 2147483647");
	dlc_err_clear(&err);
	assert_int_equal(oidc_parse_start_device_authorization("{\"deviceCode\":"
	    "\"d\"}", 18, &d, &err), -1);
	assert_string_equal(err.message, "StartDeviceAuthorization: userCode is "
	    "missing, expected a string");
	assert_null(d.device_code);
}

static void
test_create_token(void **state)
{
	const char norefresh[] = "{\"accessToken\":\"at\",\"expiresIn\":3600}";
	struct oidc_token t;
	struct dlc_err err;
	size_t len, cut;
	char *body = fixture_load("oidc-token.json", &len);

	dlc_err_clear(&err);
	assert_int_equal(oidc_parse_create_token(body, len, &t, &err), 0);
	assert_string_equal(t.access_token, "aoaAAAAAGcEXAMPLEACCESSTOKEN");
	assert_string_equal(t.refresh_token,
	    "aorvJYubGpU6i91YnH7Mfo-EXAMPLEREFRESH");
	assert_string_equal(t.token_type, "Bearer");
	assert_int_equal(t.expires_in, 28800);
	oidc_token_clear(&t);
	assert_null(t.access_token);
	for (cut = 1; cut < len - 1; cut += 7) {
		assert_int_equal(oidc_parse_create_token(body, cut, &t, &err),
		    -1);
		assert_null(t.access_token);
	}
	free(body);

	assert_int_equal(oidc_parse_create_token(norefresh,
	    sizeof norefresh - 1, &t, &err), 0);
	assert_null(t.refresh_token);
	assert_null(t.token_type);
	oidc_token_clear(&t);

	dlc_err_clear(&err);
	assert_int_equal(oidc_parse_create_token(S("{\"accessToken\":\"a\","
	    "\"expiresIn\":0}"), &t, &err), -1);
	assert_string_equal(err.message, "CreateToken: expiresIn is 0, "
	    "expected seconds between 1 and 2147483647");
}

static void
expect_oidc_error(const char *body, const char *code, const char *message,
    int has_fix)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_int_equal(oidc_error(400, NULL, body, strlen(body), &err), -1);
	assert_string_equal(err.code, code);
	assert_string_equal(err.message, message);
	assert_int_equal(err.http_status, 400);
	assert_int_equal(err.fix[0] != '\0', has_fix);
}

static void
test_errors(void **state)
{
	expect_oidc_error("{\"error\":\"authorization_pending\","
	    "\"error_description\":null}", "AuthorizationPendingException",
	    "authorization_pending", 0);
	expect_oidc_error("{\"error\":\"slow_down\",\"error_description\":"
	    "\"Client is polling too fast\"}", "SlowDownException",
	    "Client is polling too fast (slow_down)", 0);
	expect_oidc_error("{\"error\":\"expired_token\",\"error_description\":"
	    "\"Device code has expired\"}", "ExpiredTokenException",
	    "Device code has expired (expired_token)", 1);
	expect_oidc_error("{\"error\":\"invalid_grant\",\"error_description\":"
	    "\"Invalid refresh token provided\"}", "InvalidGrantException",
	    "Invalid refresh token provided (invalid_grant)", 1);
	expect_oidc_error("{\"error\":\"access_denied\"}",
	    "AccessDeniedException", "access_denied", 1);
	expect_oidc_error("{\"error\":\"invalid_client\",\"error_description\":"
	    "\"Client is expired\"}", "InvalidClientException",
	    "Client is expired (invalid_client)", 1);
	expect_oidc_error("{\"error\":\"brand_new\"}", "brand_new", "brand_new",
	    0);
	/* The json shape, and bodies that are not the OAuth shape at all. */
	expect_oidc_error("{\"__type\":\"com.amazonaws.ssooidc#"
	    "InvalidRequestException\",\"message\":\"bad start url\"}",
	    "InvalidRequestException", "bad start url", 0);
	expect_oidc_error("{\"error\":7}", "HTTP400",
	    "HTTP 400 with no error message", 0);
	expect_oidc_error("", "HTTP400", "HTTP 400 with no error message", 0);
	expect_oidc_error("<html>oops</html>", "HTTP400",
	    "HTTP 400 with a body that is not JSON: \"<html>oops</html>\"", 1);
}

/* An OAuth error the table does not know keeps the header's exception name. */
static void
test_error_code_from_header(void **state)
{
	static const char body[] = "{\"error\":\"too_many_requests\","
	    "\"error_description\":\"Rate exceeded\"}";
	struct dlc_err err;

	dlc_err_clear(&err);
	oidc_error(429, "TooManyRequestsException:http://internal.amazon.com/",
	    body, strlen(body), &err);
	assert_string_equal(err.code, "TooManyRequestsException");
	assert_string_equal(err.message, "Rate exceeded (too_many_requests)");
	assert_int_equal(err.http_status, 429);
	/* A body in no known shape still takes the header's code. */
	dlc_err_clear(&err);
	oidc_error(400, "InvalidRequestException", "{}", 2, &err);
	assert_string_equal(err.code, "InvalidRequestException");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_register_client),
		cmocka_unit_test(test_device_authorization),
		cmocka_unit_test(test_create_token),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_code_from_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
