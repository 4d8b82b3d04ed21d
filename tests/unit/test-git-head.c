/*
 * Unit tests for src/git-head.c against a real temporary git repository:
 * a clean folder, a dirty one (changed and untracked files), a change
 * elsewhere in the repository, no checkout, and no git at all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "git-head.h"
#include "loop.h"
#include "proc.h"
#include "testfs.h"
#include "xmalloc.h"

struct answer {
	int	done;
	char	commit[80];
	int	null;
};

static void
got(const char *commit, void *arg)
{
	struct answer *a = arg;

	a->done = 1;
	a->null = commit == NULL;
	snprintf(a->commit, sizeof(a->commit), "%s", commit != NULL ? commit : "");
}

/* Runs a command in dir and returns its first output line (tests only). */
static char *
run(const char *dir, const char *cmd)
{
	char *full = xasprintf("cd '%s' && %s", dir, cmd);
	char line[256] = "";
	FILE *f = popen(full, "r");	/* lint-ok: a test's own fixed command */

	assert_non_null(f);
	if (fgets(line, sizeof(line), f) != NULL)
		line[strcspn(line, "\n")] = '\0';
	assert_int_equal(pclose(f), 0);
	free(full);
	return xstrdup(line);
}

static void
ask(const char *dir, struct answer *a)
{
	struct loop *loop = loop_new();
	struct dlc_err err;
	struct git_head *g;

	memset(a, 0, sizeof(*a));
	dlc_err_clear(&err);
	g = git_head_start(loop, dir, got, a, &err);
	assert_non_null(g);
	assert_int_equal(loop_run_until(loop, &a->done), 0);
	git_head_free(g);
	proc_shutdown();
	loop_free(loop);
}

static void
test_clean_dirty_and_elsewhere(void **state)
{
	const char *repo = testfs_path("repo");
	char *fn = xasprintf("%s/functions/f1", repo), *head;
	struct answer a;

	(void)state;
	assert_int_equal(mkdir(repo, 0700), 0);
	free(run(repo, "git init -q . && git config user.email t@e && git config user.name t "
	    "&& mkdir -p functions/f1 functions/f2 && echo a > functions/f1/app.py "
	    "&& echo b > functions/f2/app.py && git add . && git commit -qm one && echo ok"));
	head = run(repo, "git rev-parse --short HEAD");
	assert_true(strlen(head) >= 7);
	ask(fn, &a);
	assert_false(a.null);
	assert_string_equal(a.commit, head);
	/* A change in another function's folder does not make this one dirty. */
	testfs_put(testfs_path("repo/functions/f2/app.py"), "changed\n", 0644);
	testfs_put(testfs_path("repo/functions/f2/new.py"), "new\n", 0644);
	ask(fn, &a);
	assert_string_equal(a.commit, head);
	/* An untracked file goes into the package: dirty. */
	testfs_put(testfs_path("repo/functions/f1/extra.py"), "x\n", 0644);
	ask(fn, &a);
	assert_non_null(strstr(a.commit, "+dirty"));
	assert_int_equal(strncmp(a.commit, head, strlen(head)), 0);
	/* Committed: clean again, at the new commit. */
	free(run(repo, "git add . && git commit -qm two && echo ok"));
	free(head);
	head = run(repo, "git rev-parse --short HEAD");
	ask(fn, &a);
	assert_string_equal(a.commit, head);
	/* A tracked file changed. */
	testfs_put(testfs_path("repo/functions/f1/app.py"), "b\n", 0644);
	ask(fn, &a);
	assert_string_equal(a.commit + strlen(head), "+dirty");
	free(head);
	free(fn);
}

static void
test_not_a_checkout_and_no_git(void **state)
{
	const char *plain = testfs_path("plain");
	char *path = xstrdup(getenv("PATH"));
	struct answer a;

	(void)state;
	assert_int_equal(mkdir(plain, 0700), 0);
	setenv("GIT_CEILING_DIRECTORIES", testfs_root(), 1);
	ask(plain, &a);
	assert_true(a.null);
	/* A folder that does not exist. */
	ask(testfs_path("nowhere"), &a);
	assert_true(a.null);
	/* git is not installed: exit 127, no answer, no error. */
	setenv("PATH", testfs_path("plain"), 1);
	ask(plain, &a);
	assert_true(a.null);
	setenv("PATH", path, 1);
	unsetenv("GIT_CEILING_DIRECTORIES");
	free(path);
}

static int
setup(void **state)
{
	(void)state;
	return testfs_init("git-head");
}

static int
teardown(void **state)
{
	(void)state;
	return testfs_cleanup();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_dirty_and_elsewhere),
		cmocka_unit_test(test_not_a_checkout_and_no_git),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
