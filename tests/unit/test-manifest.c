/* Unit tests for src/manifest.c: functions/NAME/function.ini. */
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

#include "manifest.h"

static char tmpdir[] = "/tmp/dlc-test-manifest-XXXXXX";

static int
setup(void **state)
{
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

/* Removes what write_manifest made; names are known, so no recursion. */
static void
remove_fn(const char *name)
{
	char p[600];

	snprintf(p, sizeof p, "%s/%s/function.ini", tmpdir, name);
	unlink(p);
	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	rmdir(p);
}

static int
teardown(void **state)
{
	rmdir(tmpdir);
	return 0;
}

static void
write_manifest(const char *name, const char *text)
{
	char p[600];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	mkdir(p, 0700);
	if (text == NULL)
		return;
	snprintf(p, sizeof p, "%s/%s/function.ini", tmpdir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_real_functions_folder(void **state)
{
	static const char *specials[] = { "mambu-to-s3-raw",
	    "mambu-datalake-reconciliation",
	    "dynamodb-datalake-reconciliation" };
	struct local_function *fns;
	const struct local_function *f;
	struct dlc_err err;
	char dir[4096];
	size_t n, i, nspecial = 0;

	snprintf(dir, sizeof dir, "%s/functions", getenv("DLC_SRCDIR"));
	dlc_err_clear(&err);
	if (manifest_load_dir(dir, &fns, &n, &err) != 0)
		fail_msg("%s", err.message);
	assert_int_equal(n, 9);
	for (i = 1; i < n; i++)
		assert_true(strcmp(fns[i - 1].name, fns[i].name) < 0);
	for (i = 0; i < n; i++)
		nspecial += fns[i].special;
	assert_int_equal(nspecial, 3);
	for (i = 0; i < 3; i++) {
		f = manifest_find(fns, n, specials[i]);
		assert_non_null(f);
		assert_true(f->special);
		assert_false(f->is_layer);
		assert_non_null(f->build);
	}
	f = manifest_find(fns, n, "aws-wrangler");
	assert_true(f->is_layer);
	assert_null(f->handler);
	assert_string_equal(f->source, ".");
	assert_true(manifest_find(fns, n, "flattenjson")->is_layer);
	f = manifest_find(fns, n, "mambu-datalake-reconciliation");
	assert_int_equal(f->n_layers, 2);
	assert_string_equal(f->layers[0], "aws-wrangler");
	assert_string_equal(f->layers[1], "flattenjson");
	assert_string_equal(f->runtime, "python3.12");
	assert_string_equal(f->handler, "lambda_function.lambda_handler");
	assert_string_equal(f->source, "src");
	snprintf(dir, sizeof dir, "%s/functions/mambu-datalake-reconciliation",
	    getenv("DLC_SRCDIR"));
	assert_string_equal(f->dir, dir);
	f = manifest_find(fns, n, "quicksight-authors-datasets");
	assert_string_equal(f->remote_base,
	    "quicksight-authors-datasets-to-s3-curated");
	/* The team's real build of mambu-to-s3-raw (issue 15), in order. */
	f = manifest_find(fns, n, "mambu-to-s3-raw");
	assert_int_equal(f->n_commands, 6);
	assert_string_equal(f->commands[0], "python3 -m pip install pip==19.2");
	assert_string_equal(f->build, f->commands[0]);
	assert_string_equal(f->commands[4], "mv package/bin/target-jsonl package/");
	assert_string_equal(f->zip_root, "package");
	assert_int_equal(f->isolate, MANIFEST_ISOLATE_VENV);
	assert_true(f->n_patterns >= 1);
	f = manifest_find(fns, n, "salesforce-cases-to-s3-raw");
	assert_string_equal(f->remote_base, f->name);
	assert_false(f->special);
	assert_null(f->build);
	assert_int_equal(f->n_commands, 0);
	assert_null(f->zip_root);
	assert_int_equal(f->isolate, MANIFEST_ISOLATE_NONE);
	assert_null(manifest_find(fns, n, "nope"));
	manifest_free_all(fns, n);
}

static void
test_remote_mapping(void **state)
{
	struct dlc_env alpha = { 0 };
	struct local_function *fns;
	const struct local_function *f;
	struct dlc_err err;
	char dir[4096], *remote;
	size_t n;

	snprintf(dir, sizeof dir, "%s/functions", getenv("DLC_SRCDIR"));
	assert_int_equal(manifest_load_dir(dir, &fns, &n, &err), 0);
	alpha.name = "alpha";
	alpha.function_name = "datalake-alpha-{function}";

	f = manifest_find_remote(fns, n, &alpha,
	    "datalake-alpha-quicksight-authors-datasets-to-s3-curated");
	assert_non_null(f);
	assert_string_equal(f->name, "quicksight-authors-datasets");
	remote = dlc_env_remote_name(&alpha, f->remote_base);
	assert_string_equal(remote,
	    "datalake-alpha-quicksight-authors-datasets-to-s3-curated");
	free(remote);
	/* The folder name is not the remote name when overridden. */
	assert_null(manifest_find_remote(fns, n, &alpha,
	    "datalake-alpha-quicksight-authors-datasets"));
	f = manifest_find_remote(fns, n, &alpha, "datalake-alpha-mambu-to-s3-raw");
	assert_non_null(f);
	assert_string_equal(f->name, "mambu-to-s3-raw");
	/* The source kind dlc audit checks the trigger by. */
	assert_string_equal(f->trigger, "schedule");
	assert_string_equal(manifest_find(fns, n, "dynamo-customers-to-s3-raw")->trigger, "dynamodb");
	assert_null(manifest_find(fns, n, "flattenjson")->trigger);
	assert_null(manifest_find_remote(fns, n, &alpha,
	    "datalake-sandbox-mambu-to-s3-raw"));
	assert_null(manifest_find_remote(fns, n, &alpha, "someone-elses"));
	manifest_free_all(fns, n);
}

static void
test_defaults_in_a_minimal_manifest(void **state)
{
	struct local_function *fns;
	struct dlc_err err;
	size_t n;

	write_manifest("tiny", "[function]\n");
	write_manifest(".hidden", NULL);
	write_manifest("_scratch", NULL);
	assert_int_equal(manifest_load_dir(tmpdir, &fns, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(fns[0].name, "tiny");
	assert_string_equal(fns[0].remote_base, "tiny");
	assert_false(fns[0].is_layer);
	assert_false(fns[0].special);
	assert_string_equal(fns[0].description, "");
	assert_string_equal(fns[0].runtime, "python3.12");
	assert_string_equal(fns[0].handler, "lambda_function.lambda_handler");
	assert_string_equal(fns[0].source, "src");
	assert_null(fns[0].build);
	assert_int_equal(fns[0].n_layers, 0);
	manifest_free_all(fns, n);
	remove_fn("tiny");
	remove_fn(".hidden");
	remove_fn("_scratch");
}

static void
expect_error(const char *text, const char *line, const char *what)
{
	struct local_function *fns;
	struct dlc_err err;
	size_t n;

	write_manifest("fn", text);
	dlc_err_clear(&err);
	assert_int_equal(manifest_load_dir(tmpdir, &fns, &n, &err), -1);
	assert_null(fns);
	assert_int_equal(n, 0);
	if (strstr(err.message, "fn/function.ini") == NULL ||
	    strstr(err.message, line) == NULL ||
	    strstr(err.message, what) == NULL)
		fail_msg("wanted '%s' and '%s' in: %s", line, what, err.message);
	assert_true(err.fix[0] != '\0');
	remove_fn("fn");
}

static void
test_bad_manifests(void **state)
{
	expect_error("[function]\nkind = lambda\n", "line 2", "kind 'lambda'");
	expect_error("[function]\nspecial = yes\n", "line 2", "special 'yes'");
	expect_error("[function]\nruntme = python3.12\n", "line 2",
	    "unknown key 'runtme'");
	expect_error("[function]\n[deploy]\n", "line 2",
	    "unknown section [deploy]");
	expect_error("; nothing\n", "", "no [function] section");
	expect_error("[function]\nbuild = make 'oops\n", "line 2",
	    "never closed");
	expect_error("[function]\nbuild =\n", "line 2", "build is empty");
	expect_error("[function]\nname = bad name\n", "line 2", "name 'bad name'");
	expect_error("[function]\nsource = ../elsewhere\n", "line 2",
	    "leaves the function's folder");
	expect_error("[function]\nlayers = a,,b\n", "line 2", "empty name");
	expect_error("[function]\nlayers = missing\n", "", "'missing'");
	expect_error("[function]\nkind = layer\nhandler = x.y\n", "line 1",
	    "a layer has no handler");
	expect_error("[function]\nruntime =\n", "line 2", "'runtime' is empty");
	expect_error("[function]\n  oops\n", "line 2", "expected");
	expect_error(NULL, "", "missing");
	/* The build keys. */
	expect_error("[function]\npattern = !([unclosed\n", "line 2", "pattern '!([unclosed'");
	expect_error("[function]\nzip-root = ../out\n", "line 2", "leaves the function's folder");
	expect_error("[function]\nzip-root = /abs\n", "line 2", "leaves the function's folder");
	expect_error("[function]\nisolate = docker\n", "line 2", "isolate 'docker'");
	expect_error("[function]\ntrigger = sqs\n", "line 2", "trigger 'sqs'");
	expect_error("[function]\nfiles = a.py,,b.py\n", "line 2", "empty name in files");
	expect_error("[function]\nfiles = ../secret\n", "line 2", "leaves the zip root");
	expect_error("[function]\nruntime = python3.11\nruntime = python3.12\n", "line 3",
	    "runtime is set again (first at line 2)");
	expect_error("[function]\nbuild = true\nbuild = sh -c 'oops\n", "line 3", "never closed");
}

/* build repeats, and a continued value holds one command a line; pattern repeats. */
static void
test_build_keys(void **state)
{
	struct local_function fn;
	struct dlc_err err;

	write_manifest("b", "[function]\n"
	    "build = mkdir package\n"
	    "build = pip install --target package -r requirements.txt\n"
	    "    mv package/bin/tap-mambu package/\n"
	    "\n"
	    "    mv \"package/bin/target jsonl\" package/\n"
	    "pattern = !tests/.*\n"
	    "pattern = README\\.md\n"
	    "zip-root = package\n"
	    "isolate = venv\n"
	    "files = lambda_function.py, util/x.py\n");
	dlc_err_clear(&err);
	if (manifest_load_one(tmpdir, "b", &fn, &err) != 0)
		fail_msg("%s", err.message);
	assert_int_equal(fn.n_commands, 4);
	assert_string_equal(fn.commands[0], "mkdir package");
	assert_string_equal(fn.commands[1], "pip install --target package -r requirements.txt");
	assert_string_equal(fn.commands[2], "mv package/bin/tap-mambu package/");
	assert_string_equal(fn.commands[3], "mv \"package/bin/target jsonl\" package/");
	assert_string_equal(fn.build, "mkdir package");
	assert_int_equal(fn.n_patterns, 2);
	assert_string_equal(fn.patterns[0], "!tests/.*");
	assert_string_equal(fn.patterns[1], "README\\.md");
	assert_string_equal(fn.zip_root, "package");
	assert_int_equal(fn.isolate, MANIFEST_ISOLATE_VENV);
	assert_int_equal(fn.n_files, 2);
	assert_string_equal(fn.files[1], "util/x.py");
	manifest_free(&fn);
	manifest_free(&fn);
	remove_fn("b");
}

static void
test_layers_must_be_layers(void **state)
{
	struct local_function *fns;
	struct dlc_err err;
	size_t n;

	write_manifest("a-function", "[function]\nlayers = other\n");
	write_manifest("other", "[function]\nkind = function\n");
	dlc_err_clear(&err);
	assert_int_equal(manifest_load_dir(tmpdir, &fns, &n, &err), -1);
	assert_non_null(strstr(err.message, "a function, not a layer"));
	remove_fn("other");
	write_manifest("other", "[function]\nkind = layer\n");
	assert_int_equal(manifest_load_dir(tmpdir, &fns, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(fns[1].name, "other");
	assert_string_equal(fns[1].source, ".");
	manifest_free_all(fns, n);
	remove_fn("other");
	remove_fn("a-function");

	dlc_err_clear(&err);
	assert_int_equal(manifest_load_dir("/nonexistent/functions", &fns, &n,
	    &err), -1);
	assert_string_equal(err.code, "ENOENT");
	assert_non_null(strstr(err.fix, "functions ="));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_functions_folder),
		cmocka_unit_test(test_remote_mapping),
		cmocka_unit_test(test_defaults_in_a_minimal_manifest),
		cmocka_unit_test(test_bad_manifests),
		cmocka_unit_test(test_layers_must_be_layers),
		cmocka_unit_test(test_build_keys),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
