/* Unit tests for src/endpoint.c: configured overrides and regional hosts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "endpoint.h"

static const char *env_names[] = {
	"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA",
	"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "AWS_ENDPOINT_URL_CLOUDWATCH",
	"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_SSO",
	"AWS_ENDPOINT_URL_SSO_OIDC", "AWS_ENDPOINT_URL_DYNAMODB",
	"AWS_ENDPOINT_URL_EVENTBRIDGE", "AWS_ENDPOINT_URL_S3",
	"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_CA_BUNDLE", "AWS_PROFILE",
	"AWS_DEFAULT_PROFILE",
};

static int
clean_env(void **state)
{
	size_t i;

	for (i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
		unsetenv(env_names[i]);
	return 0;
}

static struct aws_config *
load(void)
{
	char c[4200];
	struct dlc_err err;
	struct aws_config *cfg;

	snprintf(c, sizeof c, "%s/tests/unit/data/config/endpoint-config",
	    getenv("DLC_SRCDIR"));
	cfg = aws_config_load(c, "/nonexistent/credentials", &err);
	assert_non_null(cfg);
	return cfg;
}

static void
expect(const struct aws_config *cfg, const char *profile, const char *svc,
    const char *region, const char *url)
{
	struct dlc_err err;
	char *got;

	dlc_err_clear(&err);
	got = endpoint_resolve(cfg, profile, svc, region, &err);
	if (got == NULL)
		fail_msg("%s: %s", svc, err.message);
	assert_string_equal(got, url);
	free(got);
}

static void
test_regional_defaults(void **state)
{
	static const char *want[][2] = {
		{ "lambda", "https://lambda.eu-west-1.amazonaws.com" },
		{ "logs", "https://logs.eu-west-1.amazonaws.com" },
		{ "monitoring", "https://monitoring.eu-west-1.amazonaws.com" },
		{ "cloudwatch", "https://monitoring.eu-west-1.amazonaws.com" },
		{ "sts", "https://sts.eu-west-1.amazonaws.com" },
		{ "sso", "https://portal.sso.eu-west-1.amazonaws.com" },
		{ "sso-oidc", "https://oidc.eu-west-1.amazonaws.com" },
		{ "dynamodb", "https://dynamodb.eu-west-1.amazonaws.com" },
		{ "events", "https://events.eu-west-1.amazonaws.com" },
		{ "s3", "https://s3.eu-west-1.amazonaws.com" },
	};
	size_t i;

	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		expect(NULL, NULL, want[i][0], "eu-west-1", want[i][1]);
		assert_false(endpoint_is_custom(NULL, NULL, want[i][0]));
	}
	/* Regional STS even for us-east-1, as newest botocore does. */
	expect(NULL, "default", "sts", "us-east-1",
	    "https://sts.us-east-1.amazonaws.com");
}

static void
test_missing_region_and_unknown_service(void **state)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_null(endpoint_resolve(NULL, "p", "lambda", NULL, &err));
	assert_non_null(strstr(err.fix, "region"));
	assert_non_null(strstr(err.fix, "dlc.ini"));
	assert_non_null(strstr(err.message, "profile p"));
	dlc_err_clear(&err);
	assert_null(endpoint_resolve(NULL, NULL, "lambda", "", &err));
	assert_non_null(strstr(err.fix, "region"));
	dlc_err_clear(&err);
	assert_null(endpoint_resolve(NULL, NULL, "lambda", "eu/west", &err));
	assert_non_null(strstr(err.message, "eu/west"));
	dlc_err_clear(&err);
	assert_null(endpoint_resolve(NULL, NULL, "ec2", "eu-west-1", &err));
	assert_non_null(strstr(err.message, "ec2"));
}

static void
test_config_file_overrides(void **state)
{
	struct aws_config *cfg = load();

	/* [services fake] sub-key first, then the profile's endpoint_url. */
	expect(cfg, "local", "lambda", "eu-west-1", "http://127.0.0.1:5001");
	assert_true(endpoint_is_custom(cfg, "local", "lambda"));
	expect(cfg, "local", "logs", "eu-west-1", "https://logs.example.test");
	expect(cfg, "local", "sso-oidc", "eu-west-1", "http://127.0.0.1:5003");
	expect(cfg, "local", "monitoring", "eu-west-1",
	    "http://127.0.0.1:4566");
	expect(cfg, "local", "sts", NULL, "http://127.0.0.1:4566");
	/* The profile key switches every configured URL off. */
	expect(cfg, "ignoring", "lambda", "eu-west-1",
	    "https://lambda.eu-west-1.amazonaws.com");
	assert_false(endpoint_is_custom(cfg, "ignoring", "lambda"));
	/* No profile named: AWS_PROFILE's, as the CLI picks it. */
	expect(cfg, NULL, "lambda", "eu-west-1",
	    "https://lambda.eu-west-1.amazonaws.com");
	setenv("AWS_PROFILE", "local", 1);
	expect(cfg, NULL, "lambda", "eu-west-1", "http://127.0.0.1:5001");
	unsetenv("AWS_PROFILE");
	/* Another profile does not see local's settings. */
	expect(cfg, "nobody", "lambda", "eu-west-1",
	    "https://lambda.eu-west-1.amazonaws.com");
	aws_config_free(cfg);
}

static void
test_environment_overrides(void **state)
{
	static const char *pairs[][2] = {
		{ "lambda", "AWS_ENDPOINT_URL_LAMBDA" },
		{ "logs", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS" },
		{ "monitoring", "AWS_ENDPOINT_URL_CLOUDWATCH" },
		{ "sts", "AWS_ENDPOINT_URL_STS" },
		{ "sso", "AWS_ENDPOINT_URL_SSO" },
		{ "sso-oidc", "AWS_ENDPOINT_URL_SSO_OIDC" },
		{ "dynamodb", "AWS_ENDPOINT_URL_DYNAMODB" },
		{ "events", "AWS_ENDPOINT_URL_EVENTBRIDGE" },
		{ "s3", "AWS_ENDPOINT_URL_S3" },
	};
	struct aws_config *cfg = load();
	size_t i;

	setenv("AWS_ENDPOINT_URL", "http://global:1", 1);
	expect(cfg, "local", "lambda", "eu-west-1", "http://global:1");
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		setenv(pairs[i][1], "https://svc.test:9/", 1);
		expect(cfg, "local", pairs[i][0], "eu-west-1",
		    "https://svc.test:9");
		/* Only that service. */
		expect(cfg, "local", i == 0 ? "logs" : "lambda", "eu-west-1",
		    "http://global:1");
		unsetenv(pairs[i][1]);
	}
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	setenv("AWS_ENDPOINT_URL_LAMBDA", "http://x:1", 1);
	expect(cfg, "local", "lambda", "eu-west-1",
	    "https://lambda.eu-west-1.amazonaws.com");
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false", 1);
	expect(cfg, "local", "lambda", "eu-west-1", "http://x:1");
	/* The env var "false" does not lose to the profile's "true"... */
	expect(cfg, "ignoring", "lambda", "eu-west-1", "http://x:1");
	clean_env(NULL);
	aws_config_free(cfg);
}

static void
test_bad_urls_rejected(void **state)
{
	struct aws_config *cfg = load();
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_null(endpoint_resolve(cfg, "bad", "lambda", "eu-west-1", &err));
	assert_non_null(strstr(err.message, "ftp://example.com"));
	assert_non_null(strstr(err.message, "endpoint-config line 13"));
	assert_non_null(strstr(err.fix, "http://"));
	setenv("AWS_ENDPOINT_URL_STS", "localhost:5000", 1);
	dlc_err_clear(&err);
	assert_null(endpoint_resolve(cfg, NULL, "sts", "eu-west-1", &err));
	assert_non_null(strstr(err.message, "AWS_ENDPOINT_URL_STS"));
	clean_env(NULL);
	aws_config_free(cfg);
}

static void
test_ca_bundle_and_signing_names(void **state)
{
	struct aws_config *cfg = load();
	char *v;

	v = endpoint_ca_bundle(cfg, "ignoring");
	assert_string_equal(v, "/etc/dlc/ca.pem");
	free(v);
	assert_null(endpoint_ca_bundle(cfg, "local"));
	setenv("AWS_CA_BUNDLE", "/tmp/env.pem", 1);
	v = endpoint_ca_bundle(cfg, "ignoring");
	assert_string_equal(v, "/tmp/env.pem");
	free(v);
	clean_env(NULL);
	aws_config_free(cfg);

	assert_string_equal(endpoint_signing_name("lambda"), "lambda");
	assert_string_equal(endpoint_signing_name("logs"), "logs");
	assert_string_equal(endpoint_signing_name("monitoring"), "monitoring");
	assert_string_equal(endpoint_signing_name("sts"), "sts");
	assert_string_equal(endpoint_signing_name("sso"), "awsssoportal");
	assert_string_equal(endpoint_signing_name("sso-oidc"), "awsssooidc");
	assert_string_equal(endpoint_signing_name("dynamodb"), "dynamodb");
	assert_string_equal(endpoint_signing_name("events"), "events");
	assert_string_equal(endpoint_signing_name("s3"), "s3");
	assert_null(endpoint_signing_name("ec2"));
	assert_null(endpoint_signing_name(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regional_defaults),
		cmocka_unit_test(test_missing_region_and_unknown_service),
		cmocka_unit_test(test_config_file_overrides),
		cmocka_unit_test(test_environment_overrides),
		cmocka_unit_test(test_bad_urls_rejected),
		cmocka_unit_test(test_ca_bundle_and_signing_names),
	};

	return cmocka_run_group_tests(tests, clean_env, NULL);
}
