/*
 * Unit tests for src/drift-cache.c on the real loop: a function asked
 * about is pending until the loop turns, then known (or not built), one
 * function per turn; a forgotten one keeps its answer until it has been
 * looked at again, so the DRIFT column does not flicker back to "?"; a
 * large folder is read over several turns.
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

#include "build-hash.h"
#include "dlcconfig.h"
#include "drift-cache.h"
#include "loop.h"
#include "manifest.h"

#define SHA	"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

static char root[] = "/tmp/dlc-test-drift-cache-XXXXXX";
static struct loop *loop;

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

/* functions/NAME with a manifest and one source file. */
static void
function(const char *name, struct local_function *fn)
{
	char path[1024], rel[256];
	struct dlc_err err;

	snprintf(path, sizeof path, "%s/functions/%s", root, name);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/functions/%s/src", root, name);
	mkdir(path, 0755);
	snprintf(rel, sizeof rel, "functions/%s/function.ini", name);
	put(rel, "[function]\nkind = function\n");
	snprintf(rel, sizeof rel, "functions/%s/src/lambda_function.py", name);
	put(rel, "x = 1\n");
	snprintf(path, sizeof path, "%s/functions", root);
	dlc_err_clear(&err);
	assert_int_equal(manifest_load_one(path, name, fn, &err), 0);
}

/* The functions and build folders, and a config pointing at them. */
static void
folders(struct dlc_config *cfg)
{
	char path[1024];

	snprintf(path, sizeof path, "%s/functions", root);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/build", root);
	mkdir(path, 0755);
	memset(cfg, 0, sizeof *cfg);
	cfg->dir = strdup(root);
	cfg->build_dir = strdup(path);
}

/* What build_start leaves for fn: its zip is current. */
static void
built(const struct dlc_config *cfg, const struct local_function *fn)
{
	struct dlc_err err;
	char hex[65], rel[256], text[80];

	assert_int_equal(build_hash_inputs(fn, cfg->build_dir, hex, &err), 0);
	snprintf(text, sizeof text, "%s\n", hex);
	snprintf(rel, sizeof rel, "build/%s.zip.inputs", fn->name);
	put(rel, text);
	snprintf(rel, sizeof rel, "build/%s.zip.sha256", fn->name);
	put(rel, SHA "\n");
	snprintf(rel, sizeof rel, "build/%s.zip", fn->name);
	put(rel, "PK");
}

static void
on_changed(void *arg)
{
	(*(int *)arg)++;
}

static void
test_drift_cache(void **state)
{
	struct local_function fa, fb;
	struct dlc_config cfg;
	struct drift_cache *dc;
	char sha[45];
	int changes = 0;

	(void)state;
	folders(&cfg);
	function("fa", &fa);
	function("fb", &fb);
	built(&cfg, &fa);

	dc = drift_cache_new(loop, &cfg, on_changed, &changes);
	/* Asking never reads files: both pending. */
	assert_int_equal(drift_cache_get(dc, &fa, sha), DRIFT_CACHE_PENDING);
	assert_int_equal(drift_cache_get(dc, &fb, sha), DRIFT_CACHE_PENDING);
	/* One per turn. */
	while (changes == 0)
		loop_run_once(loop);
	assert_int_equal(changes, 1);
	assert_int_equal(drift_cache_get(dc, &fa, sha), DRIFT_CACHE_KNOWN);
	assert_string_equal(sha, SHA);
	assert_int_equal(drift_cache_get(dc, &fb, sha), DRIFT_CACHE_PENDING);
	while (changes < 2)
		loop_run_once(loop);
	assert_int_equal(drift_cache_get(dc, &fb, sha), DRIFT_CACHE_NOT_BUILT);

	/* fa's files change: until looked at again the old answer stands. */
	put("functions/fa/src/lambda_function.py", "x = 2\n");
	drift_cache_forget(dc, "fa");
	assert_int_equal(drift_cache_get(dc, &fa, sha), DRIFT_CACHE_KNOWN);
	while (changes < 3)
		loop_run_once(loop);
	assert_int_equal(drift_cache_get(dc, &fa, sha), DRIFT_CACHE_NOT_BUILT);
	/* Built again, forgotten with all the others: known again. */
	built(&cfg, &fa);
	drift_cache_forget(dc, NULL);
	while (changes < 5)
		loop_run_once(loop);
	assert_int_equal(drift_cache_get(dc, &fa, sha), DRIFT_CACHE_KNOWN);
	assert_int_equal(drift_cache_get(dc, &fb, sha), DRIFT_CACHE_NOT_BUILT);
	drift_cache_free(dc);
	drift_cache_free(NULL);
	manifest_free(&fa);
	manifest_free(&fb);
	dlc_config_free(&cfg);
}

/*
 * A function whose folder holds 9 MB is read over several loop turns (4
 * MB a turn), not in one: the console keeps drawing and reading keys
 * meanwhile. It used to be hashed whole inside one turn.
 */
static void
test_large_folder_over_turns(void **state)
{
	struct local_function big;
	struct dlc_config cfg;
	struct drift_cache *dc;
	char path[1024], sha[45];
	int changes = 0, turns = 0;
	FILE *f;
	size_t i;
	static char block[1024 * 1024];

	(void)state;
	folders(&cfg);
	function("big", &big);
	snprintf(path, sizeof path, "%s/functions/big/src/data.bin", root);
	f = fopen(path, "w");
	assert_non_null(f);
	memset(block, 'x', sizeof block);
	for (i = 0; i < 9; i++)
		assert_int_equal(fwrite(block, 1, sizeof block, f), sizeof block);
	fclose(f);
	built(&cfg, &big);

	dc = drift_cache_new(loop, &cfg, on_changed, &changes);
	assert_int_equal(drift_cache_get(dc, &big, sha), DRIFT_CACHE_PENDING);
	while (changes == 0 && turns < 100) {
		loop_run_once(loop);
		turns++;
		if (changes == 0)
			assert_int_equal(drift_cache_get(dc, &big, sha), DRIFT_CACHE_PENDING);
	}
	assert_true(turns >= 3);
	assert_int_equal(drift_cache_get(dc, &big, sha), DRIFT_CACHE_KNOWN);
	assert_string_equal(sha, SHA);
	/* Freed in the middle of a look: nothing leaks, nothing is called. */
	drift_cache_forget(dc, "big");
	loop_run_once(loop);
	drift_cache_free(dc);
	manifest_free(&big);
	dlc_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drift_cache),
		cmocka_unit_test(test_large_folder_over_turns),
	};
	char cmd[200];
	int rc;

	unsetenv("SOURCE_DATE_EPOCH");
	if (mkdtemp(root) == NULL)
		return 1;
	loop = loop_new();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	loop_free(loop);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
