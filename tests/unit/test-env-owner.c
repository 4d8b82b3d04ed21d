/* Unit tests for src/env-owner.c: which environment a function belongs to. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "env-owner.h"

static struct dlc_env envs[4];

static void
set_env(size_t i, const char *name, const char *tmpl)
{
	memset(&envs[i], 0, sizeof envs[i]);
	envs[i].name = (char *)name;
	envs[i].function_name = (char *)tmpl;
}

/* alpha and sandbox in one account: each its own, unmatched for both. */
static void
test_shared_account(void **state)
{
	size_t owner = 99;

	set_env(0, "alpha", "datalake-alpha-{function}");
	set_env(1, "sandbox", "datalake-sandbox-{function}");
	assert_int_equal(env_owner_of(envs, NULL, 2, 0,
	    "datalake-alpha-mambu-to-s3-raw", &owner), ENV_OWNER_MINE);
	assert_int_equal(owner, 99);
	assert_int_equal(env_owner_of(envs, NULL, 2, 0,
	    "datalake-sandbox-mambu-to-s3-raw", &owner), ENV_OWNER_OTHER);
	assert_int_equal(owner, 1);
	assert_int_equal(env_owner_of(envs, NULL, 2, 1,
	    "datalake-sandbox-mambu-to-s3-raw", &owner), ENV_OWNER_MINE);
	assert_int_equal(env_owner_of(envs, NULL, 2, 0, "legacy-export-job",
	    &owner), ENV_OWNER_UNMATCHED);
	assert_int_equal(env_owner_of(envs, NULL, 2, 1, "legacy-export-job",
	    NULL), ENV_OWNER_UNMATCHED);
	/* The template's fixed text alone is no function. */
	assert_int_equal(env_owner_of(envs, NULL, 2, 0, "datalake-alpha-",
	    NULL), ENV_OWNER_UNMATCHED);
	assert_int_equal(env_owner_of(envs, NULL, 2, 5, "x", NULL),
	    ENV_OWNER_UNMATCHED);
}

/* The most specific template wins; the default "{function}" yields. */
static void
test_most_specific_wins(void **state)
{
	size_t owner = 99;

	set_env(0, "main", NULL);
	set_env(1, "sandbox", "datalake-sandbox-{function}");
	set_env(2, "gen", "datalake-sandbox-gen-{function}");
	assert_int_equal(env_owner_of(envs, NULL, 3, 0, "legacy-export-job",
	    &owner), ENV_OWNER_MINE);
	assert_int_equal(env_owner_of(envs, NULL, 3, 0,
	    "datalake-sandbox-x", &owner), ENV_OWNER_OTHER);
	assert_int_equal(owner, 1);
	assert_int_equal(env_owner_of(envs, NULL, 3, 1,
	    "datalake-sandbox-gen-0001", &owner), ENV_OWNER_OTHER);
	assert_int_equal(owner, 2);
	assert_int_equal(env_owner_of(envs, NULL, 3, 2,
	    "datalake-sandbox-gen-0001", NULL), ENV_OWNER_MINE);
	/* Suffixes count too. */
	set_env(3, "suffixed", "datalake-sandbox-{function}-v2");
	assert_int_equal(env_owner_of(envs, NULL, 4, 1,
	    "datalake-sandbox-x-v2", &owner), ENV_OWNER_OTHER);
	assert_int_equal(owner, 3);
}

/* Environments known to live apart never compete; unknown ones may share. */
static void
test_places(void **state)
{
	struct env_owner_place places[3];
	size_t owner = 99;

	set_env(0, "alpha", "{function}");
	set_env(1, "sandbox", "datalake-sandbox-{function}");
	set_env(2, "twin", "{function}");
	memset(places, 0, sizeof places);
	places[0].account = "111111111111";
	places[0].region = "eu-west-1";
	places[1].account = "222222222222";
	/* Another account: sandbox's template does not take alpha's function. */
	assert_int_equal(env_owner_of(envs, places, 2, 0, "datalake-sandbox-x",
	    NULL), ENV_OWNER_MINE);
	/* The same account, another region: apart too. */
	places[1].account = "111111111111";
	places[1].region = "us-east-1";
	assert_int_equal(env_owner_of(envs, places, 2, 0, "datalake-sandbox-x",
	    NULL), ENV_OWNER_MINE);
	/* Region unknown: they may share, so sandbox's takes it. */
	places[1].region = NULL;
	assert_int_equal(env_owner_of(envs, places, 2, 0, "datalake-sandbox-x",
	    &owner), ENV_OWNER_OTHER);
	assert_int_equal(owner, 1);
	/* Two environments with one template both own what it matches. */
	assert_int_equal(env_owner_of(envs, places, 3, 2, "legacy-export-job",
	    NULL), ENV_OWNER_MINE);
	assert_int_equal(env_owner_of(envs, places, 3, 0, "legacy-export-job",
	    NULL), ENV_OWNER_MINE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_account),
		cmocka_unit_test(test_most_specific_wins),
		cmocka_unit_test(test_places),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
