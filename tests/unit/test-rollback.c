/*
 * Unit tests for src/rollback.c: which deployment a rollback goes back to
 * (the one rule dlc rollback and the console's R share), on real files
 * for the kept packages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "jobstate.h"
#include "rollback.h"

#define SHA_1	"1111111111111111111111111111111111111111111="
#define SHA_2	"2222222222222222222222222222222222222222222="
#define SHA_3	"3333333333333333333333333333333333333333333="

static char tmp[] = "/tmp/dlc-test-rollback.XXXXXX";
static char pkg[3][256];

static void
add(struct jobstate_set *set, const char *json)
{
	cJSON *rec = cJSON_Parse(json);

	assert_non_null(rec);
	assert_non_null(jobstate_set_add(set, rec));
	cJSON_Delete(rec);
}

/* Job ID deployed SHA of function fn to env at minute MIN, its package kept at pkg[k]. */
static void
deployment(struct jobstate_set *set, const char *id, const char *env,
    const char *fn, const char *kind, int min, const char *sha, int k,
    const char *outcome)
{
	char rec[1024];

	snprintf(rec, sizeof rec, "{\"t\":\"2026-12-03T14:%02d:00.000Z\",\"job\":\"%s\","
	    "\"ev\":\"queued\",\"env\":\"%s\",\"function\":\"%s\",\"kind\":\"%s\"}",
	    min, id, env, fn, kind);
	add(set, rec);
	snprintf(rec, sizeof rec, "{\"t\":\"2026-12-03T14:%02d:30.000Z\",\"job\":\"%s\","
	    "\"ev\":\"end\",\"outcome\":\"%s\",\"code_sha256\":\"%s\",\"package\":\"%s\"}",
	    min, id, outcome, sha, pkg[k]);
	add(set, rec);
}

static int
setup(void **state)
{
	int k;

	(void)state;
	if (mkdtemp(tmp) == NULL)
		return -1;
	for (k = 0; k < 3; k++) {
		FILE *f;

		snprintf(pkg[k], sizeof pkg[k], "%s/p%d.zip", tmp, k);
		if ((f = fopen(pkg[k], "w")) == NULL)
			return -1;
		fputs("PK", f);
		fclose(f);
	}
	return 0;
}

static int
teardown(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < 3; k++)
		unlink(pkg[k]);
	return rmdir(tmp);
}

static struct jobstate_set *
history(void)
{
	struct jobstate_set *set = jobstate_set_new();

	deployment(set, "0000000a", "alpha", "f", "code", 1, SHA_1, 0, "deployed");
	deployment(set, "0000000b", "alpha", "f", "code", 2, SHA_2, 1, "deployed");
	/* Not candidates: another environment, another function, a layer, a failure. */
	deployment(set, "0000000c", "sandbox", "f", "code", 3, SHA_3, 2, "deployed");
	deployment(set, "0000000d", "alpha", "g", "code", 4, SHA_3, 2, "deployed");
	deployment(set, "0000000e", "alpha", "f", "layer", 5, SHA_3, 2, "deployed");
	deployment(set, "0000000f", "alpha", "f", "code", 6, SHA_3, 2, "failed");
	return set;
}

static void
test_previous_and_back_again(void **state)
{
	struct jobstate_set *set = history();
	const struct jobstate *js;
	struct dlc_err err;

	(void)state;
	dlc_err_clear(&err);
	/* What runs is the newest deployment: go back to the one before. */
	js = rollback_target(set, "alpha", "f", NULL, SHA_2, &err);
	assert_non_null(js);
	assert_string_equal(js->id, "0000000a");
	assert_int_equal(rollback_package_kept(js, "alpha", "f", &err), 0);
	/* After that rollback (a job of its own), a second goes back again, as cd - does. */
	deployment(set, "00000010", "alpha", "f", "rollback", 7, SHA_1, 0, "deployed");
	js = rollback_target(set, "alpha", "f", NULL, SHA_1, &err);
	assert_string_equal(js->id, "0000000b");
	/* Deployed by other means (not in the journal): the newest of ours. */
	js = rollback_target(set, "alpha", "f", NULL, SHA_3, &err);
	assert_string_equal(js->id, "00000010");
	jobstate_set_free(set);
}

static void
test_named_and_refused(void **state)
{
	struct jobstate_set *set = history();
	const struct jobstate *js;
	struct dlc_err err;

	(void)state;
	dlc_err_clear(&err);
	js = rollback_target(set, "alpha", "f", "0000000a", SHA_1, &err);
	assert_non_null(js);
	assert_string_equal(js->id, "0000000a");
	assert_null(rollback_target(set, "alpha", "f", "ffffffff", NULL, &err));
	assert_string_equal(err.code, "NoSuchJob");
	dlc_err_clear(&err);
	assert_null(rollback_target(set, "alpha", "f", "0000000f", NULL, &err));
	assert_string_equal(err.code, "NotADeployment");
	assert_non_null(strstr(err.message, "failed"));
	dlc_err_clear(&err);
	assert_null(rollback_target(set, "alpha", "f", "0000000c", NULL, &err));
	assert_string_equal(err.code, "NotADeployment");
	dlc_err_clear(&err);
	/* Nothing else than what runs: nothing to go back to. */
	assert_null(rollback_target(set, "sandbox", "f", NULL, SHA_3, &err));
	assert_string_equal(err.code, "NothingToRollBack");
	assert_non_null(strstr(err.fix, "dlc push -e sandbox f"));
	jobstate_set_free(set);
}

static void
test_package_gone(void **state)
{
	struct jobstate_set *set = history();
	const struct jobstate *js;
	struct dlc_err err;

	(void)state;
	dlc_err_clear(&err);
	js = rollback_target(set, "alpha", "f", NULL, SHA_2, &err);
	assert_non_null(js);
	unlink(pkg[0]);
	assert_int_equal(rollback_package_kept(js, "alpha", "f", &err), -1);
	assert_string_equal(err.code, "PackageNotKept");
	assert_non_null(strstr(err.message, pkg[0]));
	assert_non_null(strstr(err.fix, "keep-packages"));
	jobstate_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_previous_and_back_again),
		cmocka_unit_test(test_named_and_refused),
		cmocka_unit_test(test_package_gone),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
