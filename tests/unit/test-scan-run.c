/*
 * Unit tests for src/scan-run.c with the real child (this test binary
 * re-executes itself as `__scan`, as dlc does): a zip's hits come back
 * through the loop as the in-process scan finds them, masked; the
 * function's scan-allow reaches the child; a broken zip and a bad
 * scan-allow are errors, never a clean report; cancel says "Cancelled";
 * a run freed while scanning calls nothing and leaves no child.
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

#include <zip.h>

#include "loop.h"
#include "proc.h"
#include "scan-run.h"
#include "xmalloc.h"

#define KEYID	"AKIA" "IOSFODNN7EXAMPLE"
#define BIG	(24 * 1024 * 1024)

static char tmproot[] = "/tmp/dlc-test-scan-run-XXXXXX";
static char zip_small[1200], zip_big[1200], zip_broken[1200];

struct run {
	struct loop		*loop;
	struct scan_run		*scan;
	int			 done;
	int			 ok;
	struct scan_report	 report;	/* a copy of the hits' fields we check */
	size_t			 n;
	char			 first_path[1200];
	char			 first_excerpt[256];
	unsigned long		 first_line;
	size_t			 allowed, files;
	struct dlc_err		 err;
};

static void
on_done(const struct scan_report *r, const struct dlc_err *err, void *arg)
{
	struct run *run = arg;

	run->done++;
	run->ok = r != NULL;
	if (r != NULL) {
		run->n = scan_report_count(r);
		run->allowed = r->allowed;
		run->files = r->files;
		if (r->n > 0) {
			snprintf(run->first_path, sizeof run->first_path, "%s",
			    r->hits[0].path + r->hits[0].rel);
			snprintf(run->first_excerpt, sizeof run->first_excerpt,
			    "%s", r->hits[0].excerpt);
			run->first_line = r->hits[0].line;
		}
	} else {
		run->err = *err;
	}
}

static void
drain(struct run *r)
{
	while (proc_live_count() > 0)
		loop_run_once(r->loop);
	proc_shutdown();
	loop_free(r->loop);
}

static void
run_scan(struct run *r, const char *zip, const struct local_function *fn)
{
	struct dlc_err err;

	memset(r, 0, sizeof *r);
	dlc_err_clear(&err);
	r->loop = loop_new();
	r->scan = scan_run_start(r->loop, zip, fn, on_done, r, &err);
	assert_non_null(r->scan);
	assert_int_equal(r->done, 0);	/* never before start returns */
	while (!r->done)
		loop_run_once(r->loop);
	scan_run_free(r->scan);
	drain(r);
	assert_int_equal(r->done, 1);
}

static void
add(zip_t *za, const char *name, const char *data, size_t len)
{
	zip_source_t *src = zip_source_buffer(za, data, len, 0);

	assert_non_null(src);
	assert_true(zip_file_add(za, name, src, ZIP_FL_OVERWRITE) >= 0);
}

static void
test_hits_come_back(void **state)
{
	struct run r;

	(void)state;
	run_scan(&r, zip_small, NULL);
	assert_true(r.ok);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.files, 2);
	assert_string_equal(r.first_path, "lambda_function.py");
	assert_int_equal(r.first_line, 2);
	assert_string_equal(r.first_excerpt, "KEY = 'AKIA********'");
}

static void
test_allowlist_reaches_child(void **state)
{
	struct local_function fn;
	char *allow[] = { (char *)"generic-secret tests/.*\\.json",
	    (char *)"aws-access-key-id lambda_function\\.py" };
	struct run r;

	(void)state;
	memset(&fn, 0, sizeof fn);
	fn.dir = (char *)"functions/x";
	fn.scan_allow = allow;
	fn.n_scan_allow = 1;
	run_scan(&r, zip_small, &fn);
	assert_true(r.ok);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.allowed, 1);
	assert_string_equal(r.first_path, "lambda_function.py");
	fn.n_scan_allow = 2;
	run_scan(&r, zip_small, &fn);
	assert_true(r.ok);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.allowed, 2);
}

static void
test_errors(void **state)
{
	struct local_function fn;
	char *allow[] = { (char *)"* .*" };
	struct dlc_err err;
	struct loop *loop;
	struct run r;

	(void)state;
	run_scan(&r, zip_broken, NULL);
	assert_false(r.ok);
	assert_string_equal(r.err.code, "ScanFailed");
	assert_non_null(strstr(r.err.message, "as a zip"));
	assert_true(r.err.fix[0] != '\0');
	run_scan(&r, "/nonexistent/pkg.zip", NULL);
	assert_false(r.ok);

	/* A bad scan-allow is refused before any child runs. */
	memset(&fn, 0, sizeof fn);
	fn.dir = (char *)"functions/x";
	fn.scan_allow = allow;
	fn.n_scan_allow = 1;
	loop = loop_new();
	dlc_err_clear(&err);
	assert_null(scan_run_start(loop, zip_small, &fn, on_done, &r, &err));
	assert_string_equal(err.code, "BadScanAllow");
	assert_int_equal(proc_live_count(), 0);
	loop_free(loop);
}

static void
test_cancel_and_free(void **state)
{
	struct dlc_err err;
	struct run r;

	(void)state;
	memset(&r, 0, sizeof r);
	r.loop = loop_new();
	r.scan = scan_run_start(r.loop, zip_big, NULL, on_done, &r, &err);
	assert_non_null(r.scan);
	scan_run_cancel(r.scan);
	while (!r.done)
		loop_run_once(r.loop);
	assert_false(r.ok);
	assert_string_equal(r.err.code, "Cancelled");
	scan_run_free(r.scan);
	drain(&r);

	/* Freed while the child scans: no callback, the child is reaped. */
	memset(&r, 0, sizeof r);
	r.loop = loop_new();
	r.scan = scan_run_start(r.loop, zip_big, NULL, on_done, &r, &err);
	assert_non_null(r.scan);
	loop_run_once(r.loop);
	scan_run_free(r.scan);
	drain(&r);
	assert_int_equal(r.done, 0);
}

static int
setup(void **state)
{
	static const char app[] = "import os\nKEY = '" KEYID "'\n";
	static const char event[] = "{\"password\": \"hunter2hunter2\"}\n";
	char *big;
	zip_t *za;
	FILE *f;
	size_t i;
	int e;

	(void)state;
	if (mkdtemp(tmproot) == NULL)
		return -1;
	snprintf(zip_small, sizeof zip_small, "%s/small.zip", tmproot);
	snprintf(zip_big, sizeof zip_big, "%s/big.zip", tmproot);
	snprintf(zip_broken, sizeof zip_broken, "%s/broken.zip", tmproot);
	za = zip_open(zip_small, ZIP_CREATE | ZIP_TRUNCATE, &e);
	add(za, "lambda_function.py", app, sizeof app - 1);
	add(za, "tests/event.json", event, sizeof event - 1);
	if (zip_close(za) != 0)
		return -1;
	/* Stored, not deflated: big enough that the child is still scanning. */
	big = xmalloc(BIG);
	for (i = 0; i < BIG; i++)
		big[i] = (char)("abcdefgh ij=kl\n"[i % 15]);
	za = zip_open(zip_big, ZIP_CREATE | ZIP_TRUNCATE, &e);
	add(za, "a.txt", big, BIG);
	zip_set_file_compression(za, 0, ZIP_CM_STORE, 0);
	if (zip_close(za) != 0)
		return -1;
	free(big);
	f = fopen(zip_broken, "w");
	fputs("PK\003\004 this is not a zip\n", f);
	fclose(f);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(zip_small);
	unlink(zip_big);
	unlink(zip_broken);
	return rmdir(tmproot);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hits_come_back),
		cmocka_unit_test(test_allowlist_reaches_child),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_cancel_and_free),
	};

	/* The scan child is this binary, as it is dlc in real use. */
	if (argc > 1 && strcmp(argv[1], SCAN_CHILD_COMMAND) == 0)
		return scan_child_main(argc, argv);
	return cmocka_run_group_tests(tests, setup, teardown);
}
