/* Unit tests for src/sts.c: query bodies and GetCallerIdentity/AssumeRole. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sts.h"
#include "data/proto/fixture.h"

static void
test_bodies(void **state)
{
	char *s = sts_get_caller_identity_body();

	assert_string_equal(s, "Action=GetCallerIdentity&Version=2011-06-15");
	free(s);
	s = sts_assume_role_body("arn:aws:iam::210987654321:role/datalake-"
	    "deployer", "dlc-jane@example.com", 0, NULL);
	assert_string_equal(s, "Action=AssumeRole&Version=2011-06-15&RoleArn="
	    "arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2Fdatalake-deployer"
	    "&RoleSessionName=dlc-jane%40example.com");
	free(s);
	s = sts_assume_role_body("arn:aws:iam::1:role/r", "s", 3600, "ext id/1");
	assert_string_equal(s, "Action=AssumeRole&Version=2011-06-15&RoleArn="
	    "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=s"
	    "&DurationSeconds=3600&ExternalId=ext%20id%2F1");
	free(s);
}

static void
test_get_caller_identity(void **state)
{
	struct sts_identity id;
	struct dlc_err err;
	size_t len;
	char *body = fixture_load("sts-get-caller-identity.xml", &len);
	const char partial[] = "<GetCallerIdentityResponse><GetCallerIdentity"
	    "Result><Arn>a</Arn><Account>1</Account></GetCallerIdentityResult>"
	    "</GetCallerIdentityResponse>";

	dlc_err_clear(&err);
	assert_int_equal(sts_parse_get_caller_identity(body, len, &id, &err), 0);
	assert_string_equal(id.account, "123456789012");
	assert_string_equal(id.user_id, "AROAEXAMPLEID1234567:jane@example.com");
	assert_string_equal(id.arn, "arn:aws:sts::123456789012:assumed-role/"
	    "AWSReservedSSO_DataLakeDev_0123456789abcdef/jane@example.com");
	sts_identity_clear(&id);
	assert_null(id.account);
	sts_identity_clear(NULL);

	/* Truncated halfway, and cut just before the last '>'. */
	dlc_err_clear(&err);
	assert_int_equal(sts_parse_get_caller_identity(body, len / 2, &id,
	    &err), -1);
	assert_non_null(strstr(err.message, "GetCallerIdentity: response is "
	    "not XML"));
	assert_null(id.account);
	dlc_err_clear(&err);
	assert_int_equal(sts_parse_get_caller_identity(body, len - 2, &id,
	    &err), -1);
	free(body);

	dlc_err_clear(&err);
	assert_int_equal(sts_parse_get_caller_identity(partial,
	    sizeof partial - 1, &id, &err), -1);
	assert_string_equal(err.message, "GetCallerIdentity: response has no "
	    "GetCallerIdentityResult/UserId");

	body = fixture_load("sts-error.xml", &len);
	dlc_err_clear(&err);
	assert_int_equal(sts_parse_get_caller_identity(body, len, &id, &err),
	    -1);
	assert_string_equal(err.code, "AccessDenied");
	free(body);

	dlc_err_clear(&err);
	assert_int_equal(sts_parse_get_caller_identity("{\"Account\":\"1\"}",
	    15, &id, &err), -1);
	assert_string_equal(err.code, "MalformedResponse");
}

static void
test_assume_role(void **state)
{
	struct aws_credentials c;
	struct dlc_err err;
	size_t len;
	char *body = fixture_load("sts-assume-role.xml", &len);

	dlc_err_clear(&err);
	assert_int_equal(sts_parse_assume_role(body, len, &c, &err), 0);
	assert_string_equal(c.access_key_id, "ASIAIOSFODNN7EXAMPLE");
	assert_string_equal(c.secret_access_key,
	    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
	assert_true(strncmp(c.session_token, "AQoDYXdzEPT//////////wEXAMPLE",
	    29) == 0);
	assert_int_equal(strlen(c.session_token), 336);
	/* 2026-11-25T19:14:09Z */
	assert_int_equal(c.expiration, 1795634049);
	assert_string_equal(c.account_id, "210987654321");
	assert_string_equal(c.source, "assume-role");
	aws_credentials_clear(&c);
	free(body);
}

static void
expect_expiration(const char *iso, long long want)
{
	char doc[1024];
	struct aws_credentials c;
	struct dlc_err err;
	int rc;

	snprintf(doc, sizeof doc, "<AssumeRoleResponse><AssumeRoleResult>"
	    "<Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>S"
	    "</SecretAccessKey><SessionToken>T</SessionToken><Expiration>%s"
	    "</Expiration></Credentials></AssumeRoleResult>"
	    "</AssumeRoleResponse>", iso);
	dlc_err_clear(&err);
	rc = sts_parse_assume_role(doc, strlen(doc), &c, &err);
	if (want < 0) {
		assert_int_equal(rc, -1);
		assert_non_null(strstr(err.message, "is not an ISO 8601 time"));
		assert_null(c.access_key_id);
		return;
	}
	assert_int_equal(rc, 0);
	assert_int_equal((long long)c.expiration, want);
	/* No AssumedRoleUser: no account. */
	assert_null(c.account_id);
	aws_credentials_clear(&c);
}

static void
test_assume_role_expirations(void **state)
{
	expect_expiration("2026-11-25T19:14:09Z", 1795634049);
	expect_expiration("2026-11-25T19:14:09.123Z", 1795634049);
	expect_expiration("2026-11-25T21:14:09+02:00", 1795634049);
	expect_expiration("2026-11-25T17:14:09-0200", 1795634049);
	expect_expiration("1970-01-01T00:00:00Z", 0);
	/* timeutil reads a bare date as midnight UTC, and no zone as UTC. */
	expect_expiration("2026-11-25", 1795564800);
	expect_expiration("2026-13-25T19:14:09Z", -1);
	expect_expiration("2026-11-25T19:14:09", 1795634049);
	expect_expiration("2026-11-25T19:14:09Zjunk", -1);
	expect_expiration("tomorrow", -1);
}

static void
test_assume_role_missing_parts(void **state)
{
	const char nosecret[] = "<AssumeRoleResponse><AssumeRoleResult>"
	    "<Credentials><AccessKeyId>A</AccessKeyId><SessionToken>T"
	    "</SessionToken><Expiration>2026-11-25T19:14:09Z</Expiration>"
	    "</Credentials></AssumeRoleResult></AssumeRoleResponse>";
	struct aws_credentials c;
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_int_equal(sts_parse_assume_role(nosecret, sizeof nosecret - 1,
	    &c, &err), -1);
	assert_string_equal(err.message, "AssumeRole: response has no "
	    "AssumeRoleResult/Credentials/SecretAccessKey");
	assert_null(c.access_key_id);

	dlc_err_clear(&err);
	assert_int_equal(sts_parse_assume_role("<AssumeRoleResponse/>", 21, &c,
	    &err), -1);
	assert_string_equal(err.message, "AssumeRole: response has no "
	    "AssumeRoleResult/Credentials/AccessKeyId");

	dlc_err_clear(&err);
	assert_int_equal(sts_parse_assume_role("", 0, &c, &err), -1);
	assert_non_null(strstr(err.message, "AssumeRole: response is empty"));
}

/* Seeded byte flips over the AssumeRole answer: 0 or -1, never a crash. */
static void
test_mutations_never_crash(void **state)
{
	static const char bytes[] = "<>/&;!?\"'= x\0\xff";
	struct aws_credentials c;
	struct dlc_err err;
	unsigned long seed = 777;
	size_t len, round, k, failed = 0;
	char *orig = fixture_load("sts-assume-role.xml", &len);
	char *body = malloc(len);

	for (round = 0; round < 600; round++) {
		memcpy(body, orig, len);
		for (k = 0; k < 1 + round % 3; k++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			body[(seed >> 33) % len] =
			    bytes[(seed >> 17) % (sizeof bytes - 1)];
		}
		dlc_err_clear(&err);
		if (sts_parse_assume_role(body, len, &c, &err) == 0)
			aws_credentials_clear(&c);
		else {
			assert_true(err.message[0] != '\0');
			assert_null(c.access_key_id);
			failed++;
		}
	}
	assert_true(failed > 200);
	free(body);
	free(orig);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_get_caller_identity),
		cmocka_unit_test(test_assume_role),
		cmocka_unit_test(test_assume_role_expirations),
		cmocka_unit_test(test_assume_role_missing_parts),
		cmocka_unit_test(test_mutations_never_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
