/*
 * Unit tests for src/proc.c with real children: exit before and after the
 * pipes close, SIGTERM ignored, timeout, 1 MB of output and the output
 * ceiling, long lines, stdin/cwd/env, commands that cannot run, freeing a
 * running child, and 1,000 spawns without a zombie or a leaked fd.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "loop.h"
#include "proc.h"

struct run {
	struct loop		*loop;
	struct proc		*p;
	struct proc_result	 r;
	int			 done;
	int			 stuck;		/* the safety timer fired */
	char			 out[4096];	/* stdout lines joined by '|' */
	char			 err[4096];
	size_t			 out_bytes;	/* every stdout byte, newlines included */
	size_t			 lines;
	size_t			 partial;
	int			 free_on_line;	/* proc_free from inside the first line */
	int			 cancel_on_line;
	uint64_t		 cancelled_at;
};

static void
on_line(struct proc *p, int stream, const char *line, size_t len, int flags, void *arg)
{
	struct run *r = arg;
	char *to = stream == PROC_STDOUT ? r->out : r->err;

	assert_int_equal(strlen(line), len);
	if (stream == PROC_STDOUT) {
		r->out_bytes += len + ((flags & PROC_LINE_PARTIAL) ? 0 : 1);
		r->lines++;
		if (flags & PROC_LINE_PARTIAL)
			r->partial++;
	}
	if (strlen(to) + len + 2 < sizeof r->out) {
		strcat(to, line);
		strcat(to, "|");
	}
	if (r->cancel_on_line) {
		r->cancel_on_line = 0;
		r->cancelled_at = loop_now_ms();
		proc_cancel(p);
	}
	if (r->free_on_line) {
		proc_free(p);
		r->p = NULL;
		r->done = 1;
	}
}

static void
on_done(struct proc *p, const struct proc_result *res, void *arg)
{
	struct run *r = arg;

	assert_ptr_equal(p, r->p);
	r->r = *res;
	r->done++;
}

static void
on_stuck(void *arg)
{
	struct run *r = arg;

	r->stuck = 1;
	r->done = 1;
}

/* Runs argv to the end (or 10 s); the result is in r. */
static void
run_spec(struct run *r, struct proc_spec *spec)
{
	struct dlc_err err = { 0 };
	struct loop_timer *safety;
	int was_done;

	r->loop = loop_new();
	safety = loop_timer_new(r->loop, on_stuck, r);
	loop_timer_start(safety, 10000);
	r->p = proc_spawn(r->loop, spec, on_line, on_done, r, &err);
	assert_non_null(r->p);
	assert_int_equal(r->done, 0);		/* never from inside spawn */
	loop_run_until(r->loop, &r->done);
	assert_false(r->stuck);
	was_done = r->done;
	/* One more turn must not call done twice. */
	loop_timer_start(safety, 20);
	r->done = 0;
	loop_run_until(r->loop, &r->done);
	assert_true(r->stuck || r->p == NULL);
	r->stuck = 0;
	r->done = was_done;
	proc_free(r->p);
	loop_timer_free(safety);
	assert_int_equal(proc_live_count(), 0);
	loop_free(r->loop);
}

static void
run_sh(struct run *r, const char *script)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
	struct proc_spec spec = { .argv = argv };

	run_spec(r, &spec);
}

static void
test_exit_before_pipes_close(void **state)
{
	struct run r = { 0 };

	/* The shell exits at once; its background child holds stdout open. */
	run_sh(&r, "echo first; (sleep 0.3; echo late) & exit 4");
	assert_int_equal(r.done, 1);
	assert_string_equal(r.out, "first|late|");
	assert_int_equal(r.r.exit_code, 4);
	assert_int_equal(r.r.signo, 0);
}

static void
test_exit_after_pipes_close(void **state)
{
	struct run r = { 0 };

	run_sh(&r, "echo out; echo oops >&2; exec >&- 2>&-; sleep 0.3; exit 3");
	assert_int_equal(r.done, 1);
	assert_string_equal(r.out, "out|");
	assert_string_equal(r.err, "oops|");
	assert_int_equal(r.r.exit_code, 3);
}

static void
test_last_line_without_newline(void **state)
{
	struct run r = { 0 };

	run_sh(&r, "printf 'a\\nb\\n\\nc'");
	assert_string_equal(r.out, "a|b||c|");
	assert_int_equal(r.r.exit_code, 0);
}

static void
test_sigterm_ignored_gets_sigkill(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "trap '' TERM; echo ready; sleep 30; echo survived", NULL };
	struct proc_spec spec = { .argv = argv, .grace_ms = 300 };
	struct run r = { .cancel_on_line = 1 };

	run_spec(&r, &spec);
	assert_true(r.r.cancelled);
	assert_false(r.r.timed_out);
	assert_int_equal(r.r.exit_code, -1);
	assert_int_equal(r.r.signo, SIGKILL);
	assert_string_equal(r.out, "ready|");
	/* The grace period, not the 30 s sleep (the sleep was in the group too). */
	assert_true(loop_now_ms() - r.cancelled_at < 3000);
	assert_true(loop_now_ms() - r.cancelled_at >= 250);
}

static void
test_cancel_ends_with_sigterm(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "echo ready; exec sleep 30", NULL };
	struct proc_spec spec = { .argv = argv };
	struct run r = { .cancel_on_line = 1 };

	run_spec(&r, &spec);
	assert_true(r.r.cancelled);
	assert_int_equal(r.r.signo, SIGTERM);
	assert_true(loop_now_ms() - r.cancelled_at < 1500);
}

static void
test_timeout(void **state)
{
	char *argv[] = { "sleep", "30", NULL };
	struct proc_spec spec = { .argv = argv, .timeout_ms = 200 };
	struct run r = { 0 };
	uint64_t t0 = loop_now_ms();

	run_spec(&r, &spec);
	assert_true(r.r.timed_out);
	assert_false(r.r.cancelled);
	assert_int_equal(r.r.signo, SIGTERM);
	assert_true(loop_now_ms() - t0 >= 200);
	assert_true(loop_now_ms() - t0 < 3000);
}

static void
test_one_megabyte(void **state)
{
	struct run r = { 0 };

	run_sh(&r, "yes 0123456789abcdef | head -c 1048576");
	assert_int_equal(r.r.exit_code, 0);
	assert_int_equal(r.out_bytes, 1048576 + 1);	/* the cut last line counts a newline */
	assert_int_equal(r.lines, 1048576 / 17 + 1);
	assert_int_equal(r.r.dropped, 0);
}

static void
test_output_ceiling_drops_not_kills(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "yes 0123456789abcdef | head -c 1048576; echo finished >&2", NULL };
	struct proc_spec spec = { .argv = argv, .output_limit = 1000 };
	struct run r = { 0 };

	run_spec(&r, &spec);
	assert_int_equal(r.r.exit_code, 0);
	assert_int_equal(r.r.dropped, 1048576 - 1000 + strlen("finished\n"));
	assert_int_equal(r.lines, 1000 / 17 + 1);
	assert_string_equal(r.err, "");			/* past the ceiling too */
}

static void
test_long_line_in_pieces(void **state)
{
	struct run r = { 0 };

	run_sh(&r, "head -c 200000 /dev/zero | tr '\\0' x; echo; echo next");
	assert_int_equal(r.partial, 200000 / PROC_LINE_MAX);
	assert_int_equal(r.lines, 200000 / PROC_LINE_MAX + 2);
	assert_int_equal(r.out_bytes, 200000 + 1 + 5);
}

static void
test_stdin_cwd_env(void **state)
{
	char dir[] = "/tmp/dlc-proc-XXXXXX", path[64];
	char *argv[] = { "sh", "-c", "pwd; echo \"$FOO${HOME:-nohome}\"; cat", NULL };
	char *env[] = { "FOO=bar", "PATH=/usr/bin:/bin", NULL };
	struct proc_spec spec = { .argv = argv, .env = env };
	struct run r = { 0 }, r2 = { 0 };
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/in", dir);
	f = fopen(path, "w");
	fputs("from stdin\n", f);
	fclose(f);
	spec.cwd = dir;
	spec.stdin_path = path;
	run_spec(&r, &spec);
	assert_int_equal(r.r.exit_code, 0);
	assert_true(strstr(r.out, dir) == r.out);
	assert_non_null(strstr(r.out, "|barnohome|from stdin|"));
	/* Without stdin_path, cat reads /dev/null and ends, not the terminal. */
	spec.stdin_path = NULL;
	spec.cwd = NULL;
	run_spec(&r2, &spec);
	assert_int_equal(r2.r.exit_code, 0);
	assert_non_null(strstr(r2.out, "|barnohome|"));
	unlink(path);
	rmdir(dir);
}

static void
test_cannot_run(void **state)
{
	char *argv[] = { "/nonexistent/helper", "x", NULL };
	char *argv2[] = { "true", NULL };
	struct proc_spec spec = { .argv = argv };
	struct run r = { 0 }, r2 = { 0 };
	struct dlc_err err = { 0 };
	struct loop *loop;

	run_spec(&r, &spec);
	assert_int_equal(r.r.exit_code, 127);
	assert_string_equal(r.err, "dlc: cannot run /nonexistent/helper: No such file or directory|");
	spec.argv = argv2;
	spec.cwd = "/nonexistent/dir";
	run_spec(&r2, &spec);
	assert_int_equal(r2.r.exit_code, 127);
	assert_non_null(strstr(r2.err, "cannot enter /nonexistent/dir"));
	/* What spawn itself refuses: no argv, a missing stdin file. */
	loop = loop_new();
	spec.argv = (char *[]){ NULL };
	assert_null(proc_spawn(loop, &spec, NULL, on_done, NULL, &err));
	assert_string_equal(err.code, "InvalidCommand");
	spec.argv = argv2;
	spec.cwd = NULL;
	spec.stdin_path = "/nonexistent/input";
	assert_null(proc_spawn(loop, &spec, NULL, on_done, NULL, &err));
	assert_non_null(strstr(err.message, "/nonexistent/input"));
	assert_int_equal(proc_live_count(), 0);
	loop_free(loop);
}

static void
test_free_while_running_and_from_a_callback(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "echo one; echo two; exec sleep 30", NULL };
	struct proc_spec spec = { .argv = argv };
	struct run r = { .free_on_line = 1 };
	struct dlc_err err = { 0 };
	struct loop_timer *safety;
	struct proc *p;
	struct loop *loop;
	int stuck = 0;

	run_spec(&r, &spec);
	assert_string_equal(r.out, "one|");		/* nothing after the free */
	assert_int_equal(r.r.exit_code, 0);		/* done never came */

	/* Freed right after spawn: killed, and reaped through the loop. */
	loop = loop_new();
	p = proc_spawn(loop, &spec, on_line, on_done, NULL, &err);
	assert_non_null(p);
	proc_free(p);
	assert_int_equal(proc_live_count(), 1);
	safety = loop_timer_new(loop, on_stuck, &r);
	r.done = 0;
	loop_timer_start(safety, 5000);
	while (proc_live_count() > 0 && !r.stuck)
		loop_run_once(loop);
	assert_false(r.stuck);
	(void)stuck;
	loop_timer_free(safety);
	loop_free(loop);
}

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n++;
	closedir(d);
	return n;
}

static void
test_thousand_spawns_leave_nothing(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "echo $$", NULL };
	struct proc_spec spec = { .argv = argv };
	struct loop *loop = loop_new();
	struct dlc_err err = { 0 };
	int fds_before = -1, i, batch;
	struct run r[10];

	/* The first batch is a warm-up: libevent opens its signal pipe once. */
	for (i = -10; i < 1000; i += 10) {
		if (i == 0)
			fds_before = count_fds();
		memset(r, 0, sizeof r);
		/* Ten at a time, so that SIGCHLDs merge. */
		for (batch = 0; batch < 10; batch++) {
			r[batch].p = proc_spawn(loop, &spec, on_line, on_done, &r[batch], &err);
			assert_non_null(r[batch].p);
		}
		for (batch = 0; batch < 10; batch++) {
			loop_run_until(loop, &r[batch].done);
			assert_int_equal(r[batch].r.exit_code, 0);
			assert_int_equal(strtol(r[batch].out, NULL, 10), proc_pid(r[batch].p));
			proc_free(r[batch].p);
		}
	}
	assert_int_equal(proc_live_count(), 0);
	assert_int_equal(count_fds(), fds_before);
	/* No zombie: nothing is left to reap. */
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_before_pipes_close),
		cmocka_unit_test(test_exit_after_pipes_close),
		cmocka_unit_test(test_last_line_without_newline),
		cmocka_unit_test(test_sigterm_ignored_gets_sigkill),
		cmocka_unit_test(test_cancel_ends_with_sigterm),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_one_megabyte),
		cmocka_unit_test(test_output_ceiling_drops_not_kills),
		cmocka_unit_test(test_long_line_in_pieces),
		cmocka_unit_test(test_stdin_cwd_env),
		cmocka_unit_test(test_cannot_run),
		cmocka_unit_test(test_free_while_running_and_from_a_callback),
		cmocka_unit_test(test_thousand_spawns_leave_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
