/* Unit tests for src/awsconfig.c: the AWS CLI's shared files, merged. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "awsconfig.h"

static char datadir[4096];

static int
setup(void **state)
{
	const char *top = getenv("DLC_SRCDIR");

	if (top == NULL)
		return -1;
	snprintf(datadir, sizeof datadir, "%s/tests/unit/data/config", top);
	unsetenv("AWS_CONFIG_FILE");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_DEFAULT_PROFILE");
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	return 0;
}

static struct aws_config *
load_demo(void)
{
	char c[4200], k[4200];
	struct dlc_err err;
	struct aws_config *cfg;

	snprintf(c, sizeof c, "%s/aws-config", datadir);
	snprintf(k, sizeof k, "%s/aws-credentials", datadir);
	dlc_err_clear(&err);
	cfg = aws_config_load(c, k, &err);
	assert_non_null(cfg);
	return cfg;
}

static void
test_profiles_from_both_files(void **state)
{
	struct aws_config *cfg = load_demo();

	assert_true(aws_config_has_profile(cfg, "default"));
	assert_true(aws_config_has_profile(cfg, "dlc-demo-alpha"));
	/* Shell-style quotes in the header. */
	assert_true(aws_config_has_profile(cfg, "with space"));
	assert_string_equal(aws_config_get(cfg, "with space", "region"),
	    "ap-southeast-2");
	assert_true(aws_config_has_profile(cfg, "sso-dev"));
	/* Only in the credentials file still counts. */
	assert_true(aws_config_has_profile(cfg, "only-in-credentials"));
	assert_string_equal(aws_config_get(cfg, "only-in-credentials",
	    "region"), "ca-central-1");
	/* Three words, or no space: not profiles. */
	assert_false(aws_config_has_profile(cfg, "a"));
	assert_false(aws_config_has_profile(cfg, "a b"));
	assert_false(aws_config_has_profile(cfg, "less"));
	assert_false(aws_config_has_profile(cfg, "profileless"));
	assert_false(aws_config_has_profile(cfg, "corp"));
	assert_false(aws_config_has_profile(cfg, "nope"));
	assert_null(aws_config_get(cfg, "nope", "region"));

	assert_int_equal(aws_config_profile_count(cfg), 5);
	assert_string_equal(aws_config_profile_at(cfg, 0), "default");
	assert_string_equal(aws_config_profile_at(cfg, 1), "dlc-demo-alpha");
	assert_string_equal(aws_config_profile_at(cfg, 2), "with space");
	assert_string_equal(aws_config_profile_at(cfg, 3), "sso-dev");
	assert_string_equal(aws_config_profile_at(cfg, 4),
	    "only-in-credentials");
	assert_null(aws_config_profile_at(cfg, 5));
	aws_config_free(cfg);
}

static void
test_credentials_file_wins(void **state)
{
	struct aws_config *cfg = load_demo();
	char *where;

	assert_string_equal(aws_config_get(cfg, "dlc-demo-alpha",
	    "aws_access_key_id"), "AKIDCREDSALPHA");
	assert_string_equal(aws_config_get(cfg, "dlc-demo-alpha", "region"),
	    "eu-west-1");
	assert_string_equal(aws_config_get(cfg, "default", "output"), "json");
	assert_string_equal(aws_config_get(cfg, "default",
	    "aws_secret_access_key"), "secretdefault");
	where = aws_config_where(cfg, "dlc-demo-alpha", "aws_access_key_id");
	assert_non_null(strstr(where, "aws-credentials line 6"));
	free(where);
	where = aws_config_where(cfg, "dlc-demo-alpha", "region");
	assert_non_null(strstr(where, "aws-config line 7"));
	free(where);
	assert_null(aws_config_where(cfg, "dlc-demo-alpha", "nothing"));
	aws_config_free(cfg);
}

static void
test_sso_session_and_services(void **state)
{
	struct aws_config *cfg = load_demo();
	char *v;

	assert_string_equal(aws_config_sso_session_get(cfg, "corp",
	    "sso_start_url"), "https://corp.awsapps.com/start");
	assert_null(aws_config_sso_session_get(cfg, "other", "sso_region"));
	v = aws_config_services_get(cfg, "local-alpha", "lambda",
	    "endpoint_url");
	assert_string_equal(v, "http://127.0.0.1:5001");
	free(v);
	v = aws_config_services_get(cfg, "local-alpha", "cloudwatch_logs",
	    "endpoint_url");
	assert_string_equal(v, "http://127.0.0.1:5002/");
	free(v);
	/* A plain value is not a sub-section. */
	assert_null(aws_config_services_get(cfg, "local-alpha", "s3",
	    "endpoint_url"));
	assert_null(aws_config_services_get(cfg, "local-alpha", "sts",
	    "endpoint_url"));
	assert_null(aws_config_services_get(cfg, "nope", "lambda",
	    "endpoint_url"));
	aws_config_free(cfg);
}

static void
test_profile_default_section(void **state)
{
	char c[4200];
	struct dlc_err err;
	struct aws_config *cfg;

	snprintf(c, sizeof c, "%s/profile-default.ini", datadir);
	cfg = aws_config_load(c, "/nonexistent/credentials", &err);
	assert_non_null(cfg);
	assert_true(aws_config_has_profile(cfg, "default"));
	/* botocore's map: the later section replaces the earlier one. */
	assert_string_equal(aws_config_get(cfg, "default", "region"),
	    "eu-central-1");
	assert_null(aws_config_get(cfg, "default", "output"));
	assert_int_equal(aws_config_profile_count(cfg), 1);
	aws_config_free(cfg);
}

static void
test_default_section_lends_keys(void **state)
{
	char c[4200], *where;
	struct dlc_err err;
	struct aws_config *cfg;

	snprintf(c, sizeof c, "%s/default-section.ini", datadir);
	cfg = aws_config_load(c, "/nonexistent/credentials", &err);
	assert_non_null(cfg);
	assert_false(aws_config_has_profile(cfg, "DEFAULT"));
	assert_null(aws_config_get(cfg, "DEFAULT", "region"));
	assert_int_equal(aws_config_profile_count(cfg), 2);
	assert_string_equal(aws_config_get(cfg, "x", "region"), "us-west-1");
	assert_string_equal(aws_config_get(cfg, "y", "region"), "eu-north-1");
	where = aws_config_where(cfg, "x", "region");
	assert_non_null(strstr(where, "default-section.ini line 2"));
	free(where);
	/* Only sections that exist inherit: no profile z appears. */
	assert_null(aws_config_get(cfg, "z", "region"));
	aws_config_free(cfg);
}

static char *
write_temp(const char *text)
{
	char *path = strdup("/tmp/dlc-test-awsconfig-XXXXXX");
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

/*
 * Found by tests/fuzz/fuzz-awsconfig: [profile DEFAULT] was listed as a
 * profile that has_profile then denied and get could not read. botocore
 * maps it as any profile; only the credentials file's [DEFAULT] is none.
 */
static void
test_profile_named_default(void **state)
{
	char *c = write_temp("[DEFAULT]\nregion = us-west-1\n\n"
	    "[profile DEFAULT]\noutput = text\n");
	char *k = write_temp("[DEFAULT]\naws_access_key_id = AKIAFAKE\n\n"
	    "[other]\nx = 1\n");
	struct dlc_err err;
	struct aws_config *cfg;
	char *where;
	size_t i;

	dlc_err_clear(&err);
	cfg = aws_config_load(c, k, &err);
	assert_non_null(cfg);
	assert_int_equal(aws_config_profile_count(cfg), 2);
	for (i = 0; i < aws_config_profile_count(cfg); i++)
		assert_true(aws_config_has_profile(cfg,
		    aws_config_profile_at(cfg, i)));
	assert_string_equal(aws_config_profile_at(cfg, 0), "DEFAULT");
	assert_string_equal(aws_config_get(cfg, "DEFAULT", "output"), "text");
	assert_string_equal(aws_config_get(cfg, "DEFAULT", "region"),
	    "us-west-1");
	/* The credentials file's [DEFAULT] lends keys to its sections only. */
	assert_null(aws_config_get(cfg, "DEFAULT", "aws_access_key_id"));
	assert_null(aws_config_where(cfg, "DEFAULT", "aws_access_key_id"));
	assert_string_equal(aws_config_get(cfg, "other", "aws_access_key_id"),
	    "AKIAFAKE");
	where = aws_config_where(cfg, "DEFAULT", "output");
	assert_non_null(strstr(where, " line 5"));
	free(where);
	aws_config_free(cfg);
	unlink(c);
	unlink(k);
	free(c);
	free(k);
}

static void
test_paths_from_environment(void **state)
{
	struct dlc_err err;
	struct aws_config *cfg;
	char *s, *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	setenv("DLC_TEST_DATA", datadir, 1);
	setenv("AWS_CONFIG_FILE", "${DLC_TEST_DATA}/aws-config", 1);
	setenv("HOME", datadir, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "~/aws-credentials", 1);
	cfg = aws_config_load(NULL, NULL, &err);
	assert_non_null(cfg);
	assert_string_equal(aws_config_get(cfg, "dlc-demo-alpha",
	    "aws_access_key_id"), "AKIDCREDSALPHA");
	assert_string_equal(aws_config_file_path_used(cfg), "~/aws-config");
	assert_string_equal(aws_config_credentials_path_used(cfg),
	    "~/aws-credentials");
	aws_config_free(cfg);

	/* Defaults under HOME: a HOME without .aws is two empty files. */
	unsetenv("AWS_CONFIG_FILE");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	cfg = aws_config_load(NULL, NULL, &err);
	assert_non_null(cfg);
	assert_string_equal(aws_config_file_path_used(cfg), "~/.aws/config");
	assert_int_equal(aws_config_profile_count(cfg), 0);
	assert_false(aws_config_has_profile(cfg, "default"));
	aws_config_free(cfg);

	s = aws_config_expand_path("$DLC_TEST_DATA/x/$DLC_UNSET_VAR_X/${NOPE}");
	assert_non_null(strstr(s, "/config/x/$DLC_UNSET_VAR_X/${NOPE}"));
	assert_int_equal(strncmp(s, datadir, strlen(datadir)), 0);
	free(s);
	s = aws_config_expand_path("~/a~b");
	assert_int_equal(strncmp(s, datadir, strlen(datadir)), 0);
	assert_string_equal(s + strlen(datadir), "/a~b");
	free(s);
	s = aws_config_expand_path("~other/x");
	assert_string_equal(s, "~other/x");
	free(s);

	if (old_home != NULL)
		setenv("HOME", old_home, 1);
	free(old_home);
	unsetenv("DLC_TEST_DATA");
}

static void
test_malformed_file_is_an_error(void **state)
{
	char c[4200];
	struct dlc_err err;

	snprintf(c, sizeof c, "%s/bad.ini", datadir);
	dlc_err_clear(&err);
	assert_null(aws_config_load("/nonexistent/config", c, &err));
	assert_non_null(strstr(err.message, "bad.ini line 5: expected"));
	assert_non_null(strstr(err.fix, "AWS_SHARED_CREDENTIALS_FILE"));
	dlc_err_clear(&err);
	assert_null(aws_config_load(c, "/nonexistent/credentials", &err));
	assert_non_null(strstr(err.message, "bad.ini line 5"));
}

static void
test_profile_name_order(void **state)
{
	assert_string_equal(aws_config_profile_name(NULL), "default");
	setenv("AWS_DEFAULT_PROFILE", "older", 1);
	assert_string_equal(aws_config_profile_name(NULL), "older");
	setenv("AWS_PROFILE", "newer", 1);
	assert_string_equal(aws_config_profile_name(NULL), "newer");
	assert_string_equal(aws_config_profile_name(""), "newer");
	assert_string_equal(aws_config_profile_name("given"), "given");
	setenv("AWS_PROFILE", "", 1);
	assert_string_equal(aws_config_profile_name(NULL), "older");
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_DEFAULT_PROFILE");
}

static void
test_region_order(void **state)
{
	struct aws_config *cfg = load_demo();
	char *r;

	r = aws_config_region(cfg, "dlc-demo-alpha");
	assert_string_equal(r, "eu-west-1");
	free(r);
	assert_null(aws_config_region(cfg, "sso-dev"));
	assert_null(aws_config_region(NULL, "x"));
	setenv("AWS_DEFAULT_REGION", "us-west-2", 1);
	r = aws_config_region(cfg, "dlc-demo-alpha");
	assert_string_equal(r, "us-west-2");
	free(r);
	setenv("AWS_REGION", "sa-east-1", 1);
	r = aws_config_region(cfg, "dlc-demo-alpha");
	assert_string_equal(r, "sa-east-1");
	free(r);
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	aws_config_free(cfg);
	aws_config_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profiles_from_both_files),
		cmocka_unit_test(test_credentials_file_wins),
		cmocka_unit_test(test_sso_session_and_services),
		cmocka_unit_test(test_profile_default_section),
		cmocka_unit_test(test_default_section_lends_keys),
		cmocka_unit_test(test_profile_named_default),
		cmocka_unit_test(test_paths_from_environment),
		cmocka_unit_test(test_malformed_file_is_an_error),
		cmocka_unit_test(test_profile_name_order),
		cmocka_unit_test(test_region_order),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
