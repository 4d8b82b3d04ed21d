/* Unit tests for src/sso.c: GetRoleCredentials target and answer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sso.h"
#include "data/proto/fixture.h"

static void
test_target(void **state)
{
	char *s = sso_role_credentials_target("DataLakeDev", "123456789012");

	assert_string_equal(s, "/federation/credentials?role_name=DataLakeDev"
	    "&account_id=123456789012");
	free(s);
	s = sso_role_credentials_target("Data Lake&Admin=1", "12");
	assert_string_equal(s, "/federation/credentials?role_name="
	    "Data%20Lake%26Admin%3D1&account_id=12");
	free(s);
}

static void
test_parse_ok(void **state)
{
	struct aws_credentials c;
	struct dlc_err err;
	size_t len;
	char *body = fixture_load("sso-role-credentials.json", &len);

	dlc_err_clear(&err);
	assert_int_equal(sso_parse_role_credentials(body, len, &c, &err), 0);
	assert_string_equal(c.access_key_id, "ASIAQEXAMPLESSO12345");
	assert_string_equal(c.secret_access_key,
	    "ssoSecretKeyExample/abcdefghijklmnopqrstuv");
	assert_string_equal(c.session_token,
	    "IQoJb3JpZ2luX2VjEXAMPLESSOsessionTOKEN==");
	/* Milliseconds on the wire, seconds in dlc. */
	assert_int_equal((long long)c.expiration, 1764098049LL);
	assert_null(c.account_id);
	assert_string_equal(c.source, "sso");
	aws_credentials_clear(&c);
	free(body);
}

static void
expect_error(const char *body, const char *message)
{
	struct aws_credentials c;
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_int_equal(sso_parse_role_credentials(body, strlen(body), &c,
	    &err), -1);
	assert_string_equal(err.message, message);
	assert_null(c.access_key_id);
	assert_null(c.secret_access_key);
}

static void
test_parse_bad(void **state)
{
	struct aws_credentials c;
	struct dlc_err err;
	size_t len, cut;
	char *body = fixture_load("sso-role-credentials.json", &len);
	char *copy;

	expect_error("{}", "GetRoleCredentials: roleCredentials is missing, "
	    "expected an object");
	expect_error("{\"roleCredentials\":{\"accessKeyId\":\"A\","
	    "\"secretAccessKey\":\"S\",\"sessionToken\":\"T\","
	    "\"expiration\":\"1764098049000\"}}",
	    "GetRoleCredentials: roleCredentials.expiration is a string, "
	    "expected a number");
	expect_error("{\"roleCredentials\":{\"accessKeyId\":\"A\","
	    "\"sessionToken\":\"T\",\"expiration\":1}}",
	    "GetRoleCredentials: roleCredentials.secretAccessKey is missing, "
	    "expected a string");
	expect_error("{\"roleCredentials\":{\"accessKeyId\":\"\","
	    "\"secretAccessKey\":\"S\",\"sessionToken\":\"T\","
	    "\"expiration\":1}}",
	    "GetRoleCredentials: roleCredentials has an empty key");
	expect_error("{\"roleCredentials\":{\"accessKeyId\":\"A\","
	    "\"secretAccessKey\":\"S\",\"sessionToken\":\"T\","
	    "\"expiration\":-5}}",
	    "GetRoleCredentials: roleCredentials.expiration is -5, expected "
	    "epoch milliseconds");
	expect_error("{\"roleCredentials\":[]}", "GetRoleCredentials: "
	    "roleCredentials is an array, expected an object");
	expect_error("<html>", "GetRoleCredentials: response is not JSON "
	    "(invalid at byte 0)");

	/* Every truncation fails and leaves nothing allocated. */
	for (cut = 1; cut < len - 1; cut += 11) {
		copy = strndup(body, cut);
		assert_int_equal(sso_parse_role_credentials(copy, cut, &c,
		    &err), -1);
		assert_null(c.access_key_id);
		free(copy);
	}
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
