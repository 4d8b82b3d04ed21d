/* Unit tests for src/statedir.c: where state lives, and making its folders on real files. */
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

#include "statedir.h"
#include "xmalloc.h"

static void
test_xdg_and_home(void **state)
{
	char *p;

	(void)state;
	setenv("HOME", "/home/u", 1);
	setenv("XDG_STATE_HOME", "/var/st", 1);
	p = state_dir_path("journal/x.jsonl");
	assert_string_equal(p, "/var/st/dlc/journal/x.jsonl");
	free(p);
	/* The spec: a relative XDG_STATE_HOME is invalid and ignored. */
	setenv("XDG_STATE_HOME", "rel", 1);
	p = state_dir();
	assert_string_equal(p, "/home/u/.local/state/dlc");
	free(p);
	unsetenv("XDG_STATE_HOME");
	p = state_dir();
	assert_string_equal(p, "/home/u/.local/state/dlc");
	free(p);
}

static void
test_make_parents(void **state)
{
	char tmp[] = "/tmp/dlc-test-statedir.XXXXXX";
	char *file, *dir, *top;
	struct dlc_err err;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	file = xasprintf("%s/a/b/lock", tmp);
	dir = xasprintf("%s/a/b", tmp);
	top = xasprintf("%s/a", tmp);
	dlc_err_clear(&err);
	assert_int_equal(state_dir_make_parents(file, &err), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	/* The file itself is not made, and a second call is no error. */
	assert_int_not_equal(access(file, F_OK), 0);
	assert_int_equal(state_dir_make_parents(file, &err), 0);
	/* A plain file in the way is an error that names the folder. */
	rmdir(dir);
	{
		FILE *f = fopen(dir, "w");

		assert_non_null(f);
		fclose(f);
	}
	free(file);
	file = xasprintf("%s/a/b/c/lock", tmp);
	assert_int_equal(state_dir_make_parents(file, &err), -1);
	assert_string_equal(err.code, "StateWriteFailed");
	assert_non_null(strstr(err.message, "/a/b"));
	unlink(dir);
	rmdir(top);
	rmdir(tmp);
	free(file);
	free(dir);
	free(top);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdg_and_home),
		cmocka_unit_test(test_make_parents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
