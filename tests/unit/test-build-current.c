/*
 * Unit tests for src/build-current.c: the CodeSha256 of a function's
 * current build is known only when the zip, its NAME.zip.sha256 and the
 * inputs' hash that build_start writes (NAME.zip.inputs) are there and
 * the hash is that of the files as they are now; never built, a changed
 * file or a missing zip is 0, an unreadable folder -1. Nothing is built.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "build-current.h"
#include "build-hash.h"
#include "dlcconfig.h"
#include "manifest.h"

/* base64 of the SHA-256 of nothing: any well-formed CodeSha256 will do. */
#define SHA	"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

static char root[] = "/tmp/dlc-test-build-current-XXXXXX";

static void
put(const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_build_current(void **state)
{
	struct local_function fn;
	struct dlc_config cfg;
	struct dlc_err err;
	char path[1024], hex[65], sha[45], inputs[80];

	(void)state;
	snprintf(path, sizeof path, "%s/functions", root);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/functions/fa", root);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/functions/fa/src", root);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/build", root);
	mkdir(path, 0755);
	put("functions/fa/function.ini", "[function]\nkind = function\n");
	put("functions/fa/src/lambda_function.py", "x = 1\n");
	dlc_err_clear(&err);
	snprintf(path, sizeof path, "%s/functions", root);
	assert_int_equal(manifest_load_one(path, "fa", &fn, &err), 0);
	memset(&cfg, 0, sizeof cfg);
	cfg.dir = strdup(root);
	snprintf(path, sizeof path, "%s/build", root);
	cfg.build_dir = strdup(path);

	/* Never built. */
	assert_int_equal(build_current_sha(&cfg, &fn, sha, &err), 0);
	/* What a build leaves: the zip, its CodeSha256, its inputs' hash. */
	assert_int_equal(build_hash_inputs(&fn, cfg.build_dir, hex, &err), 0);
	snprintf(inputs, sizeof inputs, "%s\n", hex);
	put("build/fa.zip.inputs", inputs);
	put("build/fa.zip.sha256", SHA "\n");
	assert_int_equal(build_current_sha(&cfg, &fn, sha, &err), 0);	/* no zip */
	put("build/fa.zip", "PK");
	memset(sha, 0, sizeof sha);
	assert_int_equal(build_current_sha(&cfg, &fn, sha, &err), 1);
	assert_string_equal(sha, SHA);
	/* A file changed since: that build is not the current one. */
	put("functions/fa/src/lambda_function.py", "x = 2\n");
	assert_int_equal(build_current_sha(&cfg, &fn, sha, &err), 0);
	/* The folder gone: an error naming what could not be hashed. */
	free(fn.dir);
	fn.dir = strdup("/nonexistent/dlc-test/fa");
	assert_int_equal(build_current_sha(&cfg, &fn, sha, &err), -1);
	assert_true(dlc_err_isset(&err));
	manifest_free(&fn);
	dlc_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_current),
	};
	char cmd[200];
	int rc;

	unsetenv("SOURCE_DATE_EPOCH");
	if (mkdtemp(root) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
