/* Unit tests for src/loop.c: timers, fds, signals, the step hook, run_until. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "loop.h"

struct order {
	char	seen[16];
	int	n;
	int	done;
};

struct tag {
	struct order	*order;
	char		 c;
};

static void
record(void *arg)
{
	struct tag *t = arg;

	t->order->seen[t->order->n++] = t->c;
	if (t->order->n == 3)
		t->order->done = 1;
}

static void
test_timers_fire_in_deadline_order(void **state)
{
	struct loop *loop = loop_new();
	struct order o = { .n = 0 };
	struct tag a = { &o, 'a' }, b = { &o, 'b' }, c = { &o, 'c' };
	struct loop_timer *ta, *tb, *tc;
	uint64_t t0 = loop_now_ms();

	ta = loop_timer_new(loop, record, &a);
	tb = loop_timer_new(loop, record, &b);
	tc = loop_timer_new(loop, record, &c);
	loop_timer_start(tc, 60);
	loop_timer_start(ta, 10);
	loop_timer_start(tb, 30);
	assert_true(loop_timer_pending(ta));
	assert_int_equal(loop_run_until(loop, &o.done), 0);
	assert_memory_equal(o.seen, "abc", 3);
	assert_true(loop_now_ms() - t0 >= 55);
	assert_false(loop_timer_pending(ta));
	/* Nothing left: the loop says it ran dry instead of blocking. */
	assert_int_equal(loop_run_once(loop), -1);
	loop_timer_free(ta);
	loop_timer_free(tb);
	loop_timer_free(tc);
	loop_free(loop);
}

static void
test_timer_restart_and_stop(void **state)
{
	struct loop *loop = loop_new();
	struct order o = { .n = 0 };
	struct tag a = { &o, 'a' }, b = { &o, 'b' };
	struct loop_timer *ta, *tb;
	int done = 0;

	ta = loop_timer_new(loop, record, &a);
	tb = loop_timer_new(loop, record, &b);
	loop_timer_start(ta, 10);
	loop_timer_start(tb, 40);
	loop_timer_start(ta, 80);	/* moved after b */
	while (o.n < 2)
		assert_int_equal(loop_run_once(loop), 0);
	assert_memory_equal(o.seen, "ba", 2);
	loop_timer_start(ta, 10);
	loop_timer_stop(ta);
	assert_false(loop_timer_pending(ta));
	assert_int_equal(loop_run_until(loop, &done), -1);
	assert_int_equal(o.n, 2);
	loop_timer_free(ta);
	loop_timer_free(tb);
	loop_timer_free(NULL);
	loop_free(loop);
}

struct pipe_state {
	int	reads;
	int	writes;
	char	got[8];
	struct loop_fd *self;
};

static void
on_pipe(int fd, int events, void *arg)
{
	struct pipe_state *ps = arg;
	ssize_t n;

	if (events & LOOP_READ) {
		n = read(fd, ps->got, sizeof ps->got - 1);
		assert_true(n > 0);
		ps->got[n] = '\0';
		ps->reads++;
	}
	if (events & LOOP_WRITE)
		ps->writes++;
}

static void
test_fd_readiness_with_a_pipe(void **state)
{
	struct loop *loop = loop_new();
	struct pipe_state ps = { 0 };
	struct loop_fd *r, *w;
	int p[2];

	assert_int_equal(pipe(p), 0);
	r = loop_fd_new(loop, p[0], LOOP_READ, on_pipe, &ps);
	w = loop_fd_new(loop, p[1], 0, on_pipe, &ps);
	/* Paused write watcher: nothing fires, nothing to wait for but r. */
	assert_int_equal(write(p[1], "hi", 2), 2);
	assert_int_equal(loop_run_once(loop), 0);
	assert_int_equal(ps.reads, 1);
	assert_string_equal(ps.got, "hi");
	assert_int_equal(ps.writes, 0);
	loop_fd_set_events(w, LOOP_WRITE);
	loop_fd_set_events(r, 0);
	assert_int_equal(loop_run_once(loop), 0);
	assert_int_equal(ps.writes, 1);
	assert_int_equal(ps.reads, 1);
	loop_fd_free(w);
	loop_fd_free(r);
	loop_fd_free(NULL);
	assert_int_equal(loop_run_once(loop), -1);
	close(p[0]);
	close(p[1]);
	loop_free(loop);
}

static void
on_pipe_free_self(int fd, int events, void *arg)
{
	struct pipe_state *ps = arg;

	ps->reads++;
	loop_fd_free(ps->self);
	ps->self = NULL;
}

static void
test_fd_watcher_frees_itself(void **state)
{
	struct loop *loop = loop_new();
	struct pipe_state ps = { 0 };
	int p[2];

	assert_int_equal(pipe(p), 0);
	ps.self = loop_fd_new(loop, p[0], LOOP_READ, on_pipe_free_self, &ps);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(loop_run_once(loop), 0);
	assert_int_equal(ps.reads, 1);
	assert_null(ps.self);
	assert_int_equal(loop_run_once(loop), -1);
	close(p[0]);
	close(p[1]);
	loop_free(loop);
}

struct sig_state {
	int	signo;
	int	count;
};

static void
on_signal(int signo, void *arg)
{
	struct sig_state *ss = arg;

	ss->signo = signo;
	ss->count++;
}

static void
test_signal_delivered_from_the_loop(void **state)
{
	struct loop *loop = loop_new();
	struct sig_state ss = { 0 };
	struct loop_signal *s;

	s = loop_signal_new(loop, SIGUSR1, on_signal, &ss);
	raise(SIGUSR1);
	/* Not run inside the handler: only a loop turn delivers it. */
	assert_int_equal(ss.count, 0);
	while (ss.count == 0)
		assert_int_equal(loop_run_once(loop), 0);
	assert_int_equal(ss.signo, SIGUSR1);
	assert_int_equal(ss.count, 1);
	loop_signal_free(s);
	loop_signal_free(NULL);
	loop_free(loop);
}

struct step_state {
	int	steps;
	int	fires;
	int	done;
	struct loop_timer *t;
};

static void
on_step(void *arg)
{
	struct step_state *st = arg;

	st->steps++;
}

static void
on_tick(void *arg)
{
	struct step_state *st = arg;

	st->fires++;
	if (st->fires == 5)
		st->done = 1;
	else
		loop_timer_start(st->t, 1);
}

static void
test_step_runs_each_turn_and_run_until_stops(void **state)
{
	struct loop *loop = loop_new();
	struct step_state st = { 0 };

	st.t = loop_timer_new(loop, on_tick, &st);
	loop_set_step(loop, on_step, &st);
	loop_timer_start(st.t, 1);
	assert_int_equal(loop_run_until(loop, &st.done), 0);
	assert_int_equal(st.fires, 5);
	/* One timer per turn, so one step per turn, and none after done. */
	assert_int_equal(st.steps, 5);
	assert_false(loop_timer_pending(st.t));
	loop_set_step(loop, NULL, NULL);
	loop_timer_free(st.t);
	loop_free(loop);
}

static void
on_break(void *arg)
{
	struct loop *loop = arg;

	loop_break(loop);
}

static void
test_break_ends_the_turn(void **state)
{
	struct loop *loop = loop_new();
	struct loop_timer *t = loop_timer_new(loop, on_break, loop);
	struct order o = { .n = 0 };
	struct tag a = { &o, 'a' };
	struct loop_timer *other = loop_timer_new(loop, record, &a);

	loop_timer_start(t, 0);
	loop_timer_start(other, 1000);
	assert_int_equal(loop_run_once(loop), 0);
	assert_int_equal(o.n, 0);
	assert_true(loop_timer_pending(other));
	loop_timer_free(other);
	loop_timer_free(t);
	loop_free(loop);
	loop_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_fire_in_deadline_order),
		cmocka_unit_test(test_timer_restart_and_stop),
		cmocka_unit_test(test_fd_readiness_with_a_pipe),
		cmocka_unit_test(test_fd_watcher_frees_itself),
		cmocka_unit_test(test_signal_delivered_from_the_loop),
		cmocka_unit_test(test_step_runs_each_turn_and_run_until_stops),
		cmocka_unit_test(test_break_ends_the_turn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
