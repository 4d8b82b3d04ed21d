/* Unit tests for src/env-open.c: an environment's region and credentials. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "aws.h"
#include "awsconfig.h"
#include "creds.h"
#include "dlcconfig.h"
#include "env-open.h"
#include "xmalloc.h"

static char tmpdir[] = "/tmp/dlc-test-env-open-XXXXXX";

static char *
write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void
close_env(struct aws_env *aenv)
{
	struct creds_provider *creds = aws_env_creds(aenv);

	aws_env_free(aenv);
	creds_provider_free(creds);
}

/* dlc.ini's region wins, the profile's serves without it, none is an error. */
static void
test_region_and_credentials(void **state)
{
	char *config = write_file("config",
	    "[profile keys]\nregion = eu-central-1\n"
	    "[profile bare]\n");
	char *credentials = write_file("credentials",
	    "[keys]\naws_access_key_id = AKIAFAKEOPEN00000001\n"
	    "aws_secret_access_key = s\n"
	    "[bare]\naws_access_key_id = AKIAFAKEOPEN00000002\n"
	    "aws_secret_access_key = s\n");
	struct dlc_env env;
	struct aws_ctx ctx;
	struct aws_env *aenv;
	struct dlc_err err;

	(void)state;
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	memset(&ctx, 0, sizeof ctx);
	dlc_err_clear(&err);
	ctx.cfg = aws_config_load(config, credentials, &err);
	assert_non_null(ctx.cfg);
	memset(&env, 0, sizeof env);
	env.name = "alpha";
	env.profile = "keys";

	aenv = env_open(&ctx, &env, &err);
	assert_non_null(aenv);
	assert_string_equal(aws_env_region(aenv), "eu-central-1");
	assert_non_null(aws_env_creds(aenv));
	close_env(aenv);

	env.region = "eu-west-1";
	aenv = env_open(&ctx, &env, &err);
	assert_non_null(aenv);
	assert_string_equal(aws_env_region(aenv), "eu-west-1");
	close_env(aenv);

	env.region = NULL;
	env.profile = "bare";
	assert_null(env_open(&ctx, &env, &err));
	assert_string_equal(err.code, "NoRegion");
	assert_non_null(strstr(err.message, "'alpha'"));
	assert_non_null(strstr(err.fix, "[env alpha]"));

	/* A profile that is in neither file: the credential chain says so. */
	dlc_err_clear(&err);
	env.region = "eu-west-1";
	env.profile = "nowhere";
	assert_null(env_open(&ctx, &env, &err));
	assert_true(dlc_err_isset(&err));
	assert_non_null(strstr(err.message, "nowhere"));

	aws_config_free(ctx.cfg);
	unlink(config);
	unlink(credentials);
	free(config);
	free(credentials);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_region_and_credentials),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
