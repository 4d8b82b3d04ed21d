/*
 * Unit tests for src/machine-lock.c on real files and the real loop: two
 * locks in one process (flock locks belong to the open file description,
 * so the second open cannot lock), the holder's details in the file for a
 * waiter, the waiter taking it on a timer retry once the first is freed,
 * a holder killed with SIGKILL releasing it through the kernel, and the
 * callback never running inside the call.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "loop.h"
#include "machine-lock.h"
#include "testserver.h"

struct seen {
	int		 acquired, waiting;
	uint64_t	 acquired_at;
	char		 text[256];
	int		 free_on_acquire;
	struct machine_lock *self;
};

static void
on_event(struct machine_lock *ml, enum machine_lock_event ev, void *arg)
{
	struct seen *s = arg;

	if (ev == MACHINE_LOCK_ACQUIRED) {
		s->acquired++;
		s->acquired_at = loop_now_ms();
		assert_true(machine_lock_held(ml));
		if (s->free_on_acquire) {
			machine_lock_free(ml);
			s->self = NULL;
		}
	} else {
		s->waiting++;
		assert_false(machine_lock_held(ml));
		machine_lock_waiting_text(ml, s->text, sizeof s->text);
	}
}

struct fx {
	char		 dir[256], path[512];
	struct loop	*loop;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/dlc-mlock-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	/* Under a folder that does not exist yet: made on the way. */
	snprintf(f->path, sizeof f->path, "%s/state/dlc/special.lock", f->dir);
	f->loop = loop_new();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	loop_free(f->loop);
	testserver_rmtree(f->dir);
	free(f);
	return 0;
}

static void
tick(void *arg)
{
	*(int *)arg = 1;
}

/* Runs the loop until *flag or ms pass; returns *flag. */
static int
run_until(struct fx *f, const int *flag, long ms)
{
	int late = 0;
	struct loop_timer *t = loop_timer_new(f->loop, tick, &late);

	loop_timer_start(t, ms);
	while (!*flag && !late)
		loop_run_once(f->loop);
	loop_timer_free(t);
	return *flag;
}

static void
test_two_in_one_process(void **state)
{
	struct fx *f = *state;
	struct machine_lock_info me1 = { "j1", 0, "mambu-to-s3-raw", "alpha" },
	    me2 = { "j2", 0, "other", "sandbox" }, got;
	struct seen s1, s2;
	struct machine_lock *a, *b;
	struct dlc_err err;
	char want[128];
	uint64_t freed_at;

	memset(&s1, 0, sizeof s1);
	memset(&s2, 0, sizeof s2);
	memset(&got, 0, sizeof got);
	dlc_err_clear(&err);
	a = machine_lock_acquire(f->loop, f->path, &me1, on_event, &s1, &err);
	assert_non_null(a);
	/* Never inside the call. */
	assert_int_equal(s1.acquired, 0);
	assert_true(run_until(f, &s1.acquired, 2000));
	b = machine_lock_acquire(f->loop, f->path, &me2, on_event, &s2, &err);
	assert_non_null(b);
	assert_true(run_until(f, &s2.waiting, 2000));
	assert_int_equal(s2.acquired, 0);
	/* The waiter knows what it waits for. */
	snprintf(want, sizeof want, "machine lock held by job j1 (pid %ld)",
	    (long)getpid());
	assert_string_equal(s2.text, want);
	assert_string_equal(machine_lock_holder(b)->function, "mambu-to-s3-raw");
	assert_string_equal(machine_lock_holder(b)->env, "alpha");
	assert_int_equal(machine_lock_read(f->path, &got), 1);
	assert_string_equal(got.job, "j1");
	assert_int_equal(got.pid, (long)getpid());
	/* Still busy a while later, said once. */
	{
		int never = 0;

		run_until(f, &never, 500);
	}
	assert_int_equal(s2.acquired, 0);
	assert_int_equal(s2.waiting, 1);
	/* Released on free; the waiter's timer takes it. */
	machine_lock_free(a);
	freed_at = loop_now_ms();
	assert_true(run_until(f, &s2.acquired, 2000));
	assert_true(s2.acquired_at - freed_at <= MACHINE_LOCK_RETRY_MS + 150);
	assert_int_equal(machine_lock_read(f->path, &got), 1);
	assert_string_equal(got.job, "j2");
	machine_lock_free(b);
	/* Freed by its holder: the file names nobody. */
	assert_int_equal(machine_lock_read(f->path, &got), 0);
	machine_lock_info_clear(&got);
}

static void
test_killed_holder(void **state)
{
	struct fx *f = *state;
	struct machine_lock_info me = { "j9", 0, NULL, NULL };
	struct seen s;
	struct machine_lock *ml;
	struct dlc_err err;
	int p[2], status;
	char c;
	pid_t pid;

	memset(&s, 0, sizeof s);
	dlc_err_clear(&err);
	/* Another dlc takes the lock, then is killed without a word. */
	ml = machine_lock_acquire(f->loop, f->path, &me, on_event, &s, &err);
	assert_non_null(ml);
	machine_lock_free(ml);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(f->path, O_RDWR);

		if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0)
			_exit(1);
		if (write(fd, "{\"job\":\"dead0001\",\"pid\":1}", 26) != 26)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	ml = machine_lock_acquire(f->loop, f->path, &me, on_event, &s, &err);
	assert_true(run_until(f, &s.waiting, 2000));
	assert_string_equal(s.text, "machine lock held by job dead0001 (pid 1)");
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(run_until(f, &s.acquired, 2000));
	machine_lock_free(ml);
}

static void
test_free_inside_callback(void **state)
{
	struct fx *f = *state;
	struct machine_lock_info me = { NULL, 42, NULL, NULL };
	struct seen s;
	struct dlc_err err;

	memset(&s, 0, sizeof s);
	dlc_err_clear(&err);
	s.free_on_acquire = 1;
	s.self = machine_lock_acquire(f->loop, f->path, &me, on_event, &s,
	    &err);
	assert_true(run_until(f, &s.acquired, 2000));
	assert_null(s.self);
}

static void
test_open_fails(void **state)
{
	struct machine_lock_info me = { NULL, 0, NULL, NULL };
	struct fx *f = *state;
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_null(machine_lock_acquire(f->loop, "/proc/self/nope/special.lock",
	    &me, on_event, NULL, &err));
	assert_string_equal(err.code, "StateWriteFailed");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_in_one_process, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_killed_holder, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_free_inside_callback,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_fails, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
