/*
 * Unit tests for src/build.c with real folders, real commands and the
 * real staging and packing children (this binary re-executes itself as
 * `__stage` and `__pack`, as dlc does): the commands run in order in a
 * copy, never in the source folder; the zip root is packed into
 * BUILD_DIR/NAME.zip with its CodeSha256 beside it and the staging folder
 * gone; each build has its own HOME, TMPDIR and pip cache; a failing
 * command stops the build with its last lines; unchanged inputs are
 * skipped and a change or BUILD_FORCE builds again; patterns leave files
 * out; two functions build at once without touching each other; a cancel
 * leaves nothing behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testfs.h"

#include <zip.h>

#include "build.h"
#include "build-stage.h"
#include "dlcconfig.h"
#include "hash.h"
#include "loop.h"
#include "manifest.h"
#include "pack-zip.h"
#include "proc.h"

struct run {
	struct build		*build;
	int			 done;
	int			 ok;
	struct build_result	 res;
	char			 zip_path[1024];
	struct dlc_err		 err;
	char			 lines[8192];
	size_t			 n_progress;
	char			 phases[512];	/* each phase once, in order, comma-separated */
	int			 cancel_on_line;	/* build_cancel at the first command line */
};

static struct loop *loop;



static char *
read_text(const char *path)
{
	static char buf[16384];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

/* functions/NAME with function.ini (text), src/lambda_function.py, requirements.txt. */
static void
make_function(const char *name, const char *ini)
{
	mkdir(testfs_path("functions"), 0755);
	mkdir(testfs_path("functions/%s", name), 0755);
	mkdir(testfs_path("functions/%s/src", name), 0755);
	testfs_put(testfs_path("functions/%s/function.ini", name), ini, 0644);
	testfs_put(testfs_path("functions/%s/src/lambda_function.py", name),
	    "def lambda_handler(event, context):\n    return 1\n", 0644);
	testfs_put(testfs_path("functions/%s/requirements.txt", name), "requests\n", 0644);
}

static void
load(const char *name, struct local_function *fn)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	if (manifest_load_one(testfs_path("functions"), name, fn, &err) != 0)
		fail_msg("%s", err.message);
}

static void
config(struct dlc_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->dir = strdup(testfs_root());
	cfg->build_dir = strdup(testfs_path("build"));
}

static void
on_line(const char *name, int stream, const char *text, size_t len, void *arg)
{
	struct run *r = arg;
	size_t used = strlen(r->lines);

	(void)name;
	snprintf(r->lines + used, sizeof r->lines - used, "%d:%.*s\n", stream, (int)len, text);
	if (r->cancel_on_line && stream != 0) {
		r->cancel_on_line = 0;
		build_cancel(r->build);
	}
}

static void
on_progress(const struct build_progress *pr, void *arg)
{
	struct run *r = arg;

	size_t used = strlen(r->phases);
	const char *last = strrchr(r->phases, ',');

	assert_non_null(pr->name);
	assert_non_null(pr->phase);
	r->n_progress++;
	if (strcmp(last != NULL ? last + 1 : r->phases, pr->phase) != 0)
		snprintf(r->phases + used, sizeof r->phases - used, "%s%s",
		    used > 0 ? "," : "", pr->phase);
	if (strncmp(pr->phase, "command ", 8) == 0)
		assert_non_null(pr->command_line);
}

static void
on_done(const struct build_result *res, const struct dlc_err *err, void *arg)
{
	struct run *r = arg;

	r->done = 1;
	if (res != NULL) {
		assert_null(err);
		r->ok = 1;
		r->res = *res;
		snprintf(r->zip_path, sizeof r->zip_path, "%s", res->zip_path);
		r->res.zip_path = r->zip_path;
	} else {
		assert_non_null(err);
		r->err = *err;
	}
	build_free(r->build);	/* from inside done, as the header allows */
	r->build = NULL;
}

static void
start(struct run *r, const struct dlc_config *cfg, const struct local_function *fn,
    int flags)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	r->build = build_start(loop, cfg, fn, flags, on_line, on_progress, on_done, r, &err);
	if (r->build == NULL)
		fail_msg("%s", err.message);
}

static void
finish(void)
{
	while (proc_live_count() > 0)
		loop_run_once(loop);
}

static void
run_build(struct run *r, const struct dlc_config *cfg, const struct local_function *fn,
    int flags)
{
	memset(r, 0, sizeof *r);
	start(r, cfg, fn, flags);
	while (!r->done)
		loop_run_once(loop);
	finish();
}

/* Entries of zip, one per line, in the zip's order. */
static char *
zip_names(const char *path)
{
	static char buf[4096];
	zip_t *za;
	zip_int64_t i, n;
	int e;

	buf[0] = '\0';
	za = zip_open(path, ZIP_RDONLY, &e);
	assert_non_null(za);
	n = zip_get_num_entries(za, 0);
	for (i = 0; i < n; i++) {
		size_t used = strlen(buf);

		snprintf(buf + used, sizeof buf - used, "%s\n", zip_get_name(za, (zip_uint64_t)i, 0));
	}
	zip_close(za);
	return buf;
}

/* Folders under the build folder whose name holds ".stage-": none once builds end. */
static int
stages_left(void)
{
	struct dirent *de;
	DIR *d = opendir(testfs_path("build"));
	int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".stage-") != NULL || strstr(de->d_name, ".dlc-pack-") != NULL)
			n++;
	closedir(d);
	return n;
}

static void
test_build_commands_and_zip(void **state)
{
	struct local_function fn;
	struct dlc_config cfg;
	struct run r;
	unsigned char md[32];
	char *b64, *text;
	struct stat st;

	(void)state;
	make_function("fa", "[function]\nkind = function\nsource = src\n"
	    "build = mkdir package\n"
	    "build = cp src/lambda_function.py package/\n"
	    "build = sh -c \"echo made > package/gen.txt; echo to-stderr >&2\"\n"
	    "      sh -c \"echo $HOME:$TMPDIR:$PIP_CACHE_DIR:$PWD > package/env.txt\"\n"
	    "zip-root = package\n");
	load("fa", &fn);
	assert_int_equal(fn.n_commands, 4);
	config(&cfg);
	run_build(&r, &cfg, &fn, 0);
	if (!r.ok)
		fail_msg("%s", r.err.message);
	assert_false(r.res.skipped);
	assert_string_equal(r.zip_path, testfs_path("build/fa.zip"));
	assert_string_equal(zip_names(r.zip_path), "env.txt\ngen.txt\nlambda_function.py\n");
	/* The commands ran in a copy: the source folder has no package/. */
	assert_int_not_equal(stat(testfs_path("functions/fa/package"), &st), 0);
	/* CodeSha256 beside the zip, the zip's own digest. */
	text = read_text(testfs_path("build/fa.zip.sha256"));
	assert_non_null(text);
	assert_int_equal(strlen(r.res.code_sha256), 44);
	assert_true(strncmp(text, r.res.code_sha256, 44) == 0 && text[44] == '\n');
	text = read_text(r.zip_path);
	assert_int_equal(stat(r.zip_path, &st), 0);
	assert_int_equal((uint64_t)st.st_size, r.res.size);
	{
		FILE *f = fopen(r.zip_path, "rb");
		char *all = malloc((size_t)st.st_size);

		assert_int_equal(fread(all, 1, (size_t)st.st_size, f), (size_t)st.st_size);
		fclose(f);
		hash_sha256(all, (size_t)st.st_size, md);
		free(all);
	}
	b64 = hash_base64_encode(md, 32);
	assert_string_equal(b64, r.res.code_sha256);
	free(b64);
	/* Output came line by line, commands announced on stream 0, stderr as 2. */
	assert_non_null(strstr(r.lines, "0:$ mkdir package\n"));
	assert_non_null(strstr(r.lines, "2:to-stderr\n"));
	assert_true(r.n_progress >= 6);
	assert_string_equal(r.phases, "stage,command 1/4,command 2/4,command 3/4,command 4/4,"
	    "zip,cleanup,done");
	/* The log is kept. */
	text = read_text(testfs_path("build/fa.build.log"));
	assert_non_null(text);
	assert_non_null(strstr(text, "$ mkdir package\n$ cp src/lambda_function.py package/\n$ sh -c"));
	assert_non_null(strstr(text, "\nto-stderr\n$ sh -c \"echo $HOME"));
	assert_int_equal(stages_left(), 0);
	manifest_free(&fn);
	dlc_config_free(&cfg);
}

/* HOME, TMPDIR, PIP_CACHE_DIR and the working folder: the build's own, inside its stage. */
static void
test_build_own_environment(void **state)
{
	struct local_function fn;
	struct dlc_config cfg;
	struct run r;
	char stage[900], want[4096], *text;
	zip_t *za;
	zip_file_t *zf;
	zip_int64_t n;
	int e;

	(void)state;
	load("fa", &fn);
	config(&cfg);
	run_build(&r, &cfg, &fn, BUILD_FORCE);
	assert_true(r.ok);
	za = zip_open(r.zip_path, ZIP_RDONLY, &e);
	assert_non_null(za);
	zf = zip_fopen(za, "env.txt", 0);
	assert_non_null(zf);
	text = calloc(1, 4096);
	n = zip_fread(zf, text, 4095);
	assert_true(n > 0);
	zip_fclose(zf);
	zip_close(za);
	/* testfs_path("build")/.fa.stage-XXXXXX */
	assert_non_null(strstr(text, "/.fa.stage-"));
	snprintf(stage, sizeof stage, "%.*s", (int)(strstr(text, "/home:") - text), text);
	assert_true(strncmp(stage, testfs_path("build/.fa.stage-"), strlen(testfs_path("build/.fa.stage-"))) == 0);
	snprintf(want, sizeof want, "%s/home:%s/tmp:%s/pip-cache:%s/src\n", stage, stage, stage, stage);
	assert_string_equal(text, want);
	free(text);
	manifest_free(&fn);
	dlc_config_free(&cfg);
}

static void
test_build_failing_command_stops(void **state)
{
	struct local_function fn;
	struct dlc_config cfg;
	struct run r;
	struct stat st;

	(void)state;
	make_function("fb", "[function]\nkind = function\n"
	    "build = true\n"
	    "build = sh -c \"echo first; echo second >&2; exit 3\"\n"
	    "build = touch ../never\n");
	load("fb", &fn);
	config(&cfg);
	run_build(&r, &cfg, &fn, 0);
	assert_false(r.ok);
	assert_string_equal(r.err.code, "BuildFailed");
	assert_non_null(strstr(r.err.message, "build command 2 of 3"));
	assert_non_null(strstr(r.err.message, "ended with code 3"));
	assert_non_null(strstr(r.err.message, "| first\n  | second"));
	assert_non_null(strstr(r.err.fix, "fb.build.log"));
	assert_int_not_equal(stat(testfs_path("build/fb.zip"), &st), 0);
	assert_int_not_equal(stat(testfs_path("build/never"), &st), 0);
	assert_int_equal(stages_left(), 0);
	/* A command that does not exist counts too (127). */
	manifest_free(&fn);
	make_function("fb", "[function]\nkind = function\nbuild = no-such-command-dlc\n");
	load("fb", &fn);
	run_build(&r, &cfg, &fn, 0);
	assert_false(r.ok);
	assert_non_null(strstr(r.err.message, "ended with code 127"));
	manifest_free(&fn);
	dlc_config_free(&cfg);
}

static void
test_build_skips_unchanged(void **state)
{
	struct local_function fn;
	struct dlc_config cfg;
	struct run r;
	char first[45];

	(void)state;
	make_function("fc", "[function]\nkind = function\n"
	    "build = sh -c \"date +%N > src/stamp\"\n");
	load("fc", &fn);
	config(&cfg);
	run_build(&r, &cfg, &fn, 0);
	assert_true(r.ok);
	assert_false(r.res.skipped);
	memcpy(first, r.res.code_sha256, sizeof first);
	/* Unchanged: skipped, nothing ran (the stamp would change the zip). */
	run_build(&r, &cfg, &fn, 0);
	assert_true(r.ok);
	assert_true(r.res.skipped);
	assert_string_equal(r.res.code_sha256, first);
	assert_string_equal(r.lines, "");
	assert_string_equal(r.phases, "done");
	/* A folder larger than a slice is hashed over several loop turns; same answer. */
	{
		char *big = malloc(9 * 1024 * 1024 + 1);

		memset(big, 'b', 9 * 1024 * 1024);
		big[9 * 1024 * 1024] = '\0';
		testfs_put(testfs_path("functions/fc/src/big.txt"), big, 0644);
		free(big);
	}
	run_build(&r, &cfg, &fn, 0);
	assert_true(r.ok);
	assert_false(r.res.skipped);
	run_build(&r, &cfg, &fn, 0);
	assert_true(r.ok);
	assert_true(r.res.skipped);
	unlink(testfs_path("functions/fc/src/big.txt"));
	/* A changed file builds again. */
	testfs_put(testfs_path("functions/fc/src/lambda_function.py"), "x = 2\n", 0644);
	run_build(&r, &cfg, &fn, 0);
	assert_true(r.ok);
	assert_false(r.res.skipped);
	/* --force builds unchanged inputs. */
	run_build(&r, &cfg, &fn, BUILD_FORCE);
	assert_true(r.ok);
	assert_false(r.res.skipped);
	manifest_free(&fn);
	dlc_config_free(&cfg);
}

static void
test_build_patterns(void **state)
{
	struct local_function fn;
	struct dlc_config cfg;
	struct run r;

	(void)state;
	make_function("fd", "[function]\nkind = function\n"
	    "pattern = !tests/.*\npattern = !.*\\.md\npattern = README\\.md\npattern = !\\.DS_Store\n");
	mkdir(testfs_path("functions/fd/src/tests"), 0755);
	testfs_put(testfs_path("functions/fd/src/tests/test_x.py"), "assert 1\n", 0644);
	testfs_put(testfs_path("functions/fd/src/NOTES.md"), "notes\n", 0644);
	testfs_put(testfs_path("functions/fd/src/README.md"), "readme\n", 0644);
	testfs_put(testfs_path("functions/fd/src/.DS_Store"), "junk\n", 0644);
	load("fd", &fn);
	config(&cfg);
	run_build(&r, &cfg, &fn, 0);
	if (!r.ok)
		fail_msg("%s", r.err.message);
	assert_string_equal(zip_names(r.zip_path), "README.md\nlambda_function.py\n");
	/* A dlc_config without build-dir (made by hand): the default beside dlc.ini. */
	free(cfg.build_dir);
	cfg.build_dir = NULL;
	{
		char *zp = build_zip_path(&cfg, &fn);

		assert_string_equal(zp, testfs_path(".dlc/build/fd.zip"));
		free(zp);
	}
	run_build(&r, &cfg, &fn, 0);
	assert_true(r.ok);
	assert_string_equal(r.zip_path, testfs_path(".dlc/build/fd.zip"));
	manifest_free(&fn);
	dlc_config_free(&cfg);
}

/* Two functions at once: each its own stage, zip and log. */
static void
test_build_two_at_once(void **state)
{
	struct local_function f1, f2;
	struct dlc_config cfg;
	struct run r1, r2;

	(void)state;
	make_function("fe", "[function]\nkind = function\n"
	    "build = sh -c \"echo e > src/who; sleep 0.2\"\n");
	make_function("ff", "[function]\nkind = function\n"
	    "build = sh -c \"echo f > src/who; sleep 0.2\"\n");
	load("fe", &f1);
	load("ff", &f2);
	config(&cfg);
	memset(&r1, 0, sizeof r1);
	memset(&r2, 0, sizeof r2);
	start(&r1, &cfg, &f1, 0);
	start(&r2, &cfg, &f2, 0);
	while (!r1.done || !r2.done)
		loop_run_once(loop);
	finish();
	assert_true(r1.ok);
	assert_true(r2.ok);
	assert_string_equal(zip_names(testfs_path("build/fe.zip")), "lambda_function.py\nwho\n");
	assert_string_not_equal(r1.res.code_sha256, r2.res.code_sha256);
	assert_non_null(strstr(read_text(testfs_path("build/fe.build.log")), "echo e"));
	assert_null(strstr(read_text(testfs_path("build/fe.build.log")), "echo f"));
	assert_int_equal(stages_left(), 0);
	manifest_free(&f1);
	manifest_free(&f2);
	dlc_config_free(&cfg);
}

static void
test_build_cancel(void **state)
{
	struct local_function fn;
	struct dlc_config cfg;
	struct run r;
	struct stat st;

	(void)state;
	make_function("fg", "[function]\nkind = function\n"
	    "build = sh -c \"echo started; exec sleep 30\"\n");
	load("fg", &fn);
	config(&cfg);
	memset(&r, 0, sizeof r);
	r.cancel_on_line = 1;
	start(&r, &cfg, &fn, 0);
	while (!r.done)
		loop_run_once(loop);
	finish();
	assert_false(r.ok);
	assert_string_equal(r.err.code, "Cancelled");
	assert_int_not_equal(stat(testfs_path("build/fg.zip"), &st), 0);
	assert_int_equal(stages_left(), 0);
	/* build_free while running: nothing left once the children are reaped. */
	memset(&r, 0, sizeof r);
	start(&r, &cfg, &fn, BUILD_FORCE);
	while (strstr(r.lines, "started") == NULL)
		loop_run_once(loop);
	build_free(r.build);
	finish();
	assert_false(r.done);
	assert_int_equal(stages_left(), 0);
	manifest_free(&fn);
	dlc_config_free(&cfg);
}

/*
 * isolate = venv: the build's own python3 -m venv, first on PATH, inside
 * its stage, also when build-dir is relative to the working folder.
 */
static void
test_build_venv(void **state)
{
	struct local_function fn;
	struct dlc_config cfg;
	struct run r;
	char cwd[1024], want[1200];

	(void)state;
	make_function("fv", "[function]\nkind = function\nisolate = venv\n"
	    "build = python3 -c \"import sys; print('prefix', sys.prefix)\"\n");
	load("fv", &fn);
	config(&cfg);
	free(cfg.build_dir);
	cfg.build_dir = strdup("rel/build");
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(testfs_root()), 0);
	run_build(&r, &cfg, &fn, 0);
	assert_int_equal(chdir(cwd), 0);
	if (!r.ok)
		fail_msg("%s", r.err.message);
	snprintf(want, sizeof want, "1:prefix %s/rel/build/.fv.stage-", testfs_root());
	assert_non_null(strstr(r.lines, want));
	assert_non_null(strstr(r.lines, "/venv\n"));
	assert_string_equal(r.zip_path, testfs_path("rel/build/fv.zip"));
	manifest_free(&fn);
	dlc_config_free(&cfg);
}

/* Two at once; a special function's build alone, whichever came first. */
static void
test_build_may_start(void **state)
{
	struct local_function plain, special;

	(void)state;
	memset(&plain, 0, sizeof plain);
	memset(&special, 0, sizeof special);
	special.special = 1;
	assert_true(build_may_start(&plain, 0, 0));
	assert_true(build_may_start(&special, 0, 0));
	assert_true(build_may_start(&plain, 1, 0));
	assert_false(build_may_start(&plain, BUILD_PARALLEL, 0));
	assert_false(build_may_start(&special, 1, 0));
	assert_false(build_may_start(&plain, 1, 1));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_may_start),
		cmocka_unit_test(test_build_commands_and_zip),
		cmocka_unit_test(test_build_own_environment),
		cmocka_unit_test(test_build_failing_command_stops),
		cmocka_unit_test(test_build_skips_unchanged),
		cmocka_unit_test(test_build_patterns),
		cmocka_unit_test(test_build_two_at_once),
		cmocka_unit_test(test_build_cancel),
		cmocka_unit_test(test_build_venv),
	};
	int rc;

	/* The staging and packing children are this binary, as they are dlc. */
	if (argc > 1 && strcmp(argv[1], PACK_ZIP_COMMAND) == 0)
		return pack_zip_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], BUILD_STAGE_COMMAND) == 0)
		return build_stage_main(argc, argv);
	unsetenv("SOURCE_DATE_EPOCH");
	if (testfs_init("build") != 0)
		return 1;
	loop = loop_new();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	proc_shutdown();
	loop_free(loop);
	if (testfs_cleanup() != 0)
		rc = 1;
	return rc;
}
