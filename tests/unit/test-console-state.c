/* Unit tests for src/console-state.c: the console's remembered choices, on real files. */
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

#include "console-state.h"
#include "xmalloc.h"

static char tmpdir[] = "/tmp/dlc-test-console-state.XXXXXX";

static int
setup(void **state)
{
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	static const char *const made[] = { "a/b/console.ini", "plain", "console.ini" };
	char path[512];
	size_t i;

	for (i = 0; i < sizeof made / sizeof made[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, made[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/a/b", tmpdir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/a", tmpdir);
	rmdir(path);
	return rmdir(tmpdir);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = calloc(1, 4096);

	assert_non_null(f);
	assert_true(fread(s, 1, 4095, f) > 0);
	fclose(f);
	return s;
}

static void
test_path_follows_xdg(void **state)
{
	char *p;

	setenv("HOME", "/home/u", 1);
	unsetenv("XDG_STATE_HOME");
	p = console_state_path();
	assert_string_equal(p, "/home/u/.local/state/dlc/console.ini");
	free(p);
	setenv("XDG_STATE_HOME", "/var/st", 1);
	p = console_state_path();
	assert_string_equal(p, "/var/st/dlc/console.ini");
	free(p);
	/* A relative XDG_STATE_HOME is ignored, as the spec says. */
	setenv("XDG_STATE_HOME", "rel", 1);
	p = console_state_path();
	assert_string_equal(p, "/home/u/.local/state/dlc/console.ini");
	free(p);
	unsetenv("XDG_STATE_HOME");
}

static void
test_set_creates_then_keeps_other_keys(void **state)
{
	char *path = xasprintf("%s/a/b/console.ini", tmpdir);
	struct dlc_err err;
	struct stat st;
	char *v, *text;

	assert_null(console_state_get(path, "functions-columns"));
	assert_int_equal(console_state_set(path, "functions-columns", "FUNCTION,MEMORY", &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	v = console_state_get(path, "functions-columns");
	assert_string_equal(v, "FUNCTION,MEMORY");
	free(v);
	assert_int_equal(console_state_set(path, "other", "x", &err), 0);
	assert_int_equal(console_state_set(path, "functions-columns", "SIZE", &err), 0);
	v = console_state_get(path, "other");
	assert_string_equal(v, "x");
	free(v);
	v = console_state_get(path, "functions-columns");
	assert_string_equal(v, "SIZE");
	free(v);
	text = slurp(path);
	/* Each key once; no temporary file left behind. */
	assert_non_null(strstr(text, "functions-columns = SIZE\n"));
	assert_null(strstr(text, "FUNCTION,MEMORY"));
	free(text);
	text = xasprintf("%s.tmp.%ld", path, (long)getpid());
	assert_int_not_equal(access(text, F_OK), 0);
	free(text);
	free(path);
}

static void
test_refuses_more_than_one_line(void **state)
{
	char *path = xasprintf("%s/console.ini", tmpdir);
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_int_equal(console_state_set(path, "k", "a\n[env x]", &err), -1);
	assert_string_equal(err.code, "InvalidState");
	assert_int_not_equal(access(path, F_OK), 0);
	free(path);
}

static void
test_unwritable_folder_is_an_error(void **state)
{
	char *file = xasprintf("%s/plain", tmpdir), *path;
	struct dlc_err err;
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	fclose(f);
	/* A file where the folder should be. */
	path = xasprintf("%s/console.ini", file);
	dlc_err_clear(&err);
	assert_int_equal(console_state_set(path, "k", "v", &err), -1);
	assert_string_equal(err.code, "StateWriteFailed");
	free(path);
	free(file);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_follows_xdg),
		cmocka_unit_test(test_set_creates_then_keeps_other_keys),
		cmocka_unit_test(test_refuses_more_than_one_line),
		cmocka_unit_test(test_unwritable_folder_is_an_error),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
