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

#include "build-stage.h"

static char tmproot[] = "/tmp/dlc-test-build-stage-XXXXXX";

static char *
path_of(const char *rel)
{
	static char buf[8][1024];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tmproot, rel);
	return buf[i];
}

static void
put(const char *rel, const char *text, mode_t mode)
{
	int fd = open(path_of(rel), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(chmod(path_of(rel), mode), 0);
}

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
	mkdir(path_of("fn"), 0755);
	mkdir(path_of("fn/src"), 0700);
	put("fn/function.ini", "[function]\n", 0644);
	put("fn/requirements.txt", "requests\n", 0600);
	put("fn/src/app.py", "x = 1\n", 0640);
	put("fn/src/run.sh", "#!/bin/sh\n", 0700);
	assert_int_equal(symlink("app.py", path_of("fn/src/link.py")), 0);
	/* the build folder inside the function's, with the stage in it */
	mkdir(path_of("fn/.dlc"), 0755);
	put("fn/.dlc/old.zip", "zip", 0644);
	mkdir(path_of("fn/.dlc/stage"), 0700);
	assert_int_equal(stage("copy", path_of("fn"), path_of("fn/.dlc/stage")), 0);
	assert_int_equal(stat(path_of("fn/.dlc/stage/requirements.txt"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(stat(path_of("fn/.dlc/stage/src/run.sh"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0755);
	assert_int_equal(stat(path_of("fn/.dlc/stage/src/app.py"), &st), 0);
	assert_int_equal(st.st_size, 6);
	n = readlink(path_of("fn/.dlc/stage/src/link.py"), link, sizeof link - 1);
	assert_int_equal(n, 6);
	link[n] = '\0';
	assert_string_equal(link, "app.py");
	assert_int_not_equal(stat(path_of("fn/.dlc/stage/function.ini"), &st), 0);
	assert_int_not_equal(stat(path_of("fn/.dlc/stage/.dlc"), &st), 0);
}

static void
test_copy_refuses_fifo(void **state)
{
	(void)state;
	mkdir(path_of("ff"), 0755);
	assert_int_equal(mkfifo(path_of("ff/pipe"), 0644), 0);
	mkdir(path_of("ff-stage"), 0700);
	assert_int_equal(stage("copy", path_of("ff"), path_of("ff-stage")), 1);
}

static void
test_remove(void **state)
{
	struct stat st;

	(void)state;
	mkdir(path_of("keep"), 0755);
	put("keep/precious", "do not follow links out", 0644);
	mkdir(path_of("gone"), 0755);
	mkdir(path_of("gone/locked"), 0755);
	put("gone/locked/f", "x", 0644);
	assert_int_equal(symlink(path_of("keep"), path_of("gone/out")), 0);
	assert_int_equal(chmod(path_of("gone/locked"), 0500), 0);
	assert_int_equal(stage("remove", path_of("gone"), NULL), 0);
	assert_int_not_equal(lstat(path_of("gone"), &st), 0);
	assert_int_equal(stat(path_of("keep/precious"), &st), 0);
	/* Already gone: nothing to do. */
	assert_int_equal(stage("remove", path_of("gone"), NULL), 0);
	assert_int_equal(stage("bogus", path_of("gone"), NULL), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_copy_refuses_fifo),
		cmocka_unit_test(test_remove),
	};
	char cmd[1200];
	int rc;

	if (mkdtemp(tmproot) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmproot);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
