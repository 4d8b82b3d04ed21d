/* Unit tests for src/verify-job.c: the package's CodeSha256, the verdict and the record. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jobstate.h"
#include "verify-job.h"

#define SHA_A	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
#define SHA_B	"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB="

static const struct jobstate *
add(struct jobstate_set *set, const char *json)
{
	cJSON *rec = cJSON_Parse(json);
	const struct jobstate *j;

	assert_non_null(rec);
	j = jobstate_set_add(set, rec);
	cJSON_Delete(rec);
	return j;
}

static void
test_package_sha(void **state)
{
	struct jobstate_set *set = jobstate_set_new();
	const struct jobstate *j;
	char *sha;

	(void)state;
	j = add(set, "{\"t\":\"2026-12-03T14:00:00.000Z\",\"job\":\"0000000a\",\"ev\":\"queued\","
	    "\"env\":\"alpha\",\"function\":\"f\",\"kind\":\"code\"}");
	/* No package step yet: nothing was made. */
	assert_null(verify_job_package_sha(j));
	add(set, "{\"t\":\"2026-12-03T14:00:01.000Z\",\"job\":\"0000000a\",\"ev\":\"step\","
	    "\"step\":\"package\",\"state\":\"done\",\"detail\":\"812 bytes, CodeSha256 " SHA_A "\"}");
	sha = verify_job_package_sha(j);
	assert_string_equal(sha, SHA_A);
	free(sha);
	/* The end record's CodeSha256 wins over the step's text. */
	add(set, "{\"t\":\"2026-12-03T14:00:02.000Z\",\"job\":\"0000000a\",\"ev\":\"end\","
	    "\"outcome\":\"deployed\",\"code_sha256\":\"" SHA_B "\"}");
	sha = verify_job_package_sha(j);
	assert_string_equal(sha, SHA_B);
	free(sha);
	/* A step detail with a cut digest is no CodeSha256. */
	j = add(set, "{\"t\":\"2026-12-03T14:00:00.000Z\",\"job\":\"0000000b\",\"ev\":\"step\","
	    "\"step\":\"package\",\"state\":\"done\",\"detail\":\"CodeSha256 AAAA=\"}");
	assert_null(verify_job_package_sha(j));
	jobstate_set_free(set);
}

static void
test_verdict(void **state)
{
	int m = -1;

	(void)state;
	assert_string_equal(verify_job_verdict(SHA_A, "wait", SHA_A, &m), "deployed");
	assert_int_equal(m, 1);
	assert_string_equal(verify_job_verdict(SHA_A, "upload", SHA_B, &m), "not deployed");
	assert_int_equal(m, 0);
	/* The function is gone: not deployed. */
	assert_string_equal(verify_job_verdict(SHA_A, "wait", NULL, &m), "not deployed");
	/* No package: stopped in build or package cannot have sent one... */
	assert_string_equal(verify_job_verdict(NULL, "build", SHA_B, &m), "not deployed");
	assert_string_equal(verify_job_verdict("", "package", SHA_B, &m), "not deployed");
	assert_string_equal(verify_job_verdict(NULL, NULL, SHA_B, &m), "not deployed");
	/* ...but past them, without knowing what it sent, nobody can say. */
	assert_string_equal(verify_job_verdict(NULL, "upload", SHA_B, &m), "unknown");
	assert_int_equal(m, 0);
}

static void
test_record(void **state)
{
	cJSON *rec;
	char *text;

	(void)state;
	rec = verify_job_record("0000000a", SHA_A, 1);
	text = cJSON_PrintUnformatted(rec);
	assert_string_equal(text, "{\"job\":\"0000000a\",\"ev\":\"verified\","
	    "\"deployed_sha256\":\"" SHA_A "\",\"matches\":true}");
	free(text);
	cJSON_Delete(rec);
	rec = verify_job_record("0000000a", NULL, 0);
	text = cJSON_PrintUnformatted(rec);
	assert_string_equal(text, "{\"job\":\"0000000a\",\"ev\":\"verified\","
	    "\"deployed_sha256\":null,\"matches\":false}");
	free(text);
	cJSON_Delete(rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_package_sha),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
