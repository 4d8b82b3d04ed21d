/*
 * Unit tests for src/build-hash.c: the inputs' hash is the same for the
 * same files in another folder with other mtimes (terraform-aws-lambda
 * issue #672: no absolute paths, no mtimes), and changes with a byte, an
 * execute bit, a name, a folder, a link's target or SOURCE_DATE_EPOCH;
 * the build folder inside the function's is left out; a build is
 * unchanged only with its zip and CodeSha256 still there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>
#include <cmocka.h>

#include "testfs.h"

#include "build.h"
#include "build-hash.h"
#include "manifest.h"




static void
make_tree(const char *top, time_t t)
{
	struct utimbuf ub = { t, t };

	mkdir(testfs_path("%s", top), 0755);
	mkdir(testfs_path("%s/src", top), 0700);
	testfs_put(testfs_path("%s/function.ini", top), "[function]\nbuild = make\n", 0644);
	testfs_put(testfs_path("%s/src/app.py", top), "x = 1\n", 0600);
	testfs_put(testfs_path("%s/src/run.sh", top), "#!/bin/sh\n", 0700);
	symlink("app.py", testfs_path("%s/src/link.py", top));
	utime(testfs_path("%s/src/app.py", top), &ub);
	utime(testfs_path("%s/src", top), &ub);
}

static void
hash(const char *top, const char *skip, char hex[65])
{
	struct local_function fn;
	struct dlc_err err;

	memset(&fn, 0, sizeof fn);
	fn.name = (char *)"f";
	fn.dir = testfs_path("%s", top);
	dlc_err_clear(&err);
	if (build_hash_inputs(&fn, skip, hex, &err) != 0)
		fail_msg("%s", err.message);
	assert_int_equal(strlen(hex), 64);
}

static void
test_same_anywhere(void **state)
{
	char a[65], b[65];

	(void)state;
	make_tree("one", 1600000000);
	mkdir(testfs_path("elsewhere"), 0755);
	make_tree("elsewhere/two", 1200000000);
	hash("one", NULL, a);
	hash("elsewhere/two", NULL, b);
	assert_string_equal(a, b);
}

static void
test_changes_that_count(void **state)
{
	char base[65], h[65];

	(void)state;
	hash("one", NULL, base);
	testfs_put(testfs_path("one/src/app.py"), "x = 2\n", 0600);
	hash("one", NULL, h);
	assert_string_not_equal(h, base);
	testfs_put(testfs_path("one/src/app.py"), "x = 1\n", 0600);
	hash("one", NULL, h);
	assert_string_equal(h, base);
	chmod(testfs_path("one/src/app.py"), 0700);	/* the execute bit goes into the zip */
	hash("one", NULL, h);
	assert_string_not_equal(h, base);
	chmod(testfs_path("one/src/app.py"), 0640);	/* other bits do not */
	hash("one", NULL, h);
	assert_string_equal(h, base);
	rename(testfs_path("one/src/run.sh"), testfs_path("one/src/run2.sh"));
	hash("one", NULL, h);
	assert_string_not_equal(h, base);
	rename(testfs_path("one/src/run2.sh"), testfs_path("one/src/run.sh"));
	mkdir(testfs_path("one/empty"), 0755);	/* a command may mkdir into it */
	hash("one", NULL, h);
	assert_string_not_equal(h, base);
	rmdir(testfs_path("one/empty"));
	unlink(testfs_path("one/src/link.py"));
	symlink("run.sh", testfs_path("one/src/link.py"));
	hash("one", NULL, h);
	assert_string_not_equal(h, base);
	unlink(testfs_path("one/src/link.py"));
	symlink("app.py", testfs_path("one/src/link.py"));
	testfs_put(testfs_path("one/function.ini"), "[function]\nbuild = make all\n", 0644);
	hash("one", NULL, h);
	assert_string_not_equal(h, base);
	testfs_put(testfs_path("one/function.ini"), "[function]\nbuild = make\n", 0644);
	hash("one", NULL, h);
	assert_string_equal(h, base);
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);	/* changes the zip's bytes */
	hash("one", NULL, h);
	unsetenv("SOURCE_DATE_EPOCH");
	assert_string_not_equal(h, base);
}

static void
test_build_dir_inside_left_out(void **state)
{
	char base[65], h[65];

	(void)state;
	hash("one", NULL, base);
	mkdir(testfs_path("one/.dlc"), 0755);
	testfs_put(testfs_path("one/.dlc/f.zip"), "zip", 0644);
	hash("one", testfs_path("one/.dlc"), h);
	assert_string_equal(h, base);
	hash("one", NULL, h);
	assert_string_not_equal(h, base);
}

static void
test_unchanged_needs_zip_and_sha(void **state)
{
	struct build_result res;
	char hex[65];
	/* base64 of 32 bytes 0x00..0x1f */
	const char *b64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	(void)state;
	hash("one", NULL, hex);
	memset(&res, 0, sizeof res);
	testfs_put(testfs_path("f.zip.inputs"), hex, 0644);
	assert_false(build_hash_unchanged(testfs_path("f.zip.inputs"), hex, testfs_path("f.zip"),
	    testfs_path("f.zip.sha256"), &res));
	testfs_put(testfs_path("f.zip"), "PK-not-really", 0644);
	assert_false(build_hash_unchanged(testfs_path("f.zip.inputs"), hex, testfs_path("f.zip"),
	    testfs_path("f.zip.sha256"), &res));
	testfs_put(testfs_path("f.zip.sha256"), "not base64 at all, no no no no no no no no\n", 0644);
	assert_false(build_hash_unchanged(testfs_path("f.zip.inputs"), hex, testfs_path("f.zip"),
	    testfs_path("f.zip.sha256"), &res));
	testfs_put(testfs_path("f.zip.sha256"), b64, 0644);
	assert_true(build_hash_unchanged(testfs_path("f.zip.inputs"), hex, testfs_path("f.zip"),
	    testfs_path("f.zip.sha256"), &res));
	assert_string_equal(res.code_sha256, b64);
	assert_string_equal(res.sha256_hex,
	    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	assert_int_equal(res.size, 13);
	hex[0] = hex[0] == 'a' ? 'b' : 'a';
	assert_false(build_hash_unchanged(testfs_path("f.zip.inputs"), hex, testfs_path("f.zip"),
	    testfs_path("f.zip.sha256"), &res));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_anywhere),
		cmocka_unit_test(test_changes_that_count),
		cmocka_unit_test(test_build_dir_inside_left_out),
		cmocka_unit_test(test_unchanged_needs_zip_and_sha),
	};
	int rc;

	unsetenv("SOURCE_DATE_EPOCH");
	if (testfs_init("build-hash") != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (testfs_cleanup() != 0)
		rc = 1;
	return rc;
}
