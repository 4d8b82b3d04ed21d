/*
 * Unit tests for src/build-stage.c (the `dlc __stage` child, called here
 * in-process): a copy keeps bytes, execute bits and links, leaves the
 * manifest and the build folder inside the function's out, and refuses a
 * special file; remove takes a tree with a folder a command left
 * unwritable, never following a link out of it.
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
#include <cmocka.h>

#include "testfs.h"

#include "build-stage.h"




static int
stage(const char *op, const char *a, const char *b)
{
	char *argv[6] = { (char *)"dlc", (char *)BUILD_STAGE_COMMAND, (char *)op,
	    (char *)a, (char *)b, NULL };

	return build_stage_main(b != NULL ? 5 : 4, argv);
}

static void
test_copy(void **state)
{
	struct stat st;
	char link[64];
	ssize_t n;

	(void)state;
	mkdir(testfs_path("fn"), 0755);
	mkdir(testfs_path("fn/src"), 0700);
	testfs_put(testfs_path("fn/function.ini"), "[function]\n", 0644);
	testfs_put(testfs_path("fn/requirements.txt"), "requests\n", 0600);
	testfs_put(testfs_path("fn/src/app.py"), "x = 1\n", 0640);
	testfs_put(testfs_path("fn/src/run.sh"), "#!/bin/sh\n", 0700);
	assert_int_equal(symlink("app.py", testfs_path("fn/src/link.py")), 0);
	/* the build folder inside the function's, with the stage in it */
	mkdir(testfs_path("fn/.dlc"), 0755);
	testfs_put(testfs_path("fn/.dlc/old.zip"), "zip", 0644);
	mkdir(testfs_path("fn/.dlc/stage"), 0700);
	assert_int_equal(stage("copy", testfs_path("fn"), testfs_path("fn/.dlc/stage")), 0);
	assert_int_equal(stat(testfs_path("fn/.dlc/stage/requirements.txt"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(stat(testfs_path("fn/.dlc/stage/src/run.sh"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0755);
	assert_int_equal(stat(testfs_path("fn/.dlc/stage/src/app.py"), &st), 0);
	assert_int_equal(st.st_size, 6);
	n = readlink(testfs_path("fn/.dlc/stage/src/link.py"), link, sizeof link - 1);
	assert_int_equal(n, 6);
	link[n] = '\0';
	assert_string_equal(link, "app.py");
	assert_int_not_equal(stat(testfs_path("fn/.dlc/stage/function.ini"), &st), 0);
	assert_int_not_equal(stat(testfs_path("fn/.dlc/stage/.dlc"), &st), 0);
}

static void
test_copy_refuses_fifo(void **state)
{
	(void)state;
	mkdir(testfs_path("ff"), 0755);
	assert_int_equal(mkfifo(testfs_path("ff/pipe"), 0644), 0);
	mkdir(testfs_path("ff-stage"), 0700);
	assert_int_equal(stage("copy", testfs_path("ff"), testfs_path("ff-stage")), 1);
}

static void
test_remove(void **state)
{
	struct stat st;

	(void)state;
	mkdir(testfs_path("keep"), 0755);
	testfs_put(testfs_path("keep/precious"), "do not follow links out", 0644);
	mkdir(testfs_path("gone"), 0755);
	mkdir(testfs_path("gone/locked"), 0755);
	testfs_put(testfs_path("gone/locked/f"), "x", 0644);
	assert_int_equal(symlink(testfs_path("keep"), testfs_path("gone/out")), 0);
	assert_int_equal(chmod(testfs_path("gone/locked"), 0500), 0);
	assert_int_equal(stage("remove", testfs_path("gone"), NULL), 0);
	assert_int_not_equal(lstat(testfs_path("gone"), &st), 0);
	assert_int_equal(stat(testfs_path("keep/precious"), &st), 0);
	/* Already gone: nothing to do. */
	assert_int_equal(stage("remove", testfs_path("gone"), NULL), 0);
	assert_int_equal(stage("bogus", testfs_path("gone"), NULL), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_copy_refuses_fifo),
		cmocka_unit_test(test_remove),
	};
	int rc;

	if (testfs_init("build-stage") != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (testfs_cleanup() != 0)
		rc = 1;
	return rc;
}
