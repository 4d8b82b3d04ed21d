/* The event loop: libevent's event_base, run one turn at a time (as tmux does). */
#include "loop.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

struct loop {
	struct event_base	*base;
	loop_cb			 step;
	void			*step_arg;
};

struct loop_timer {
	struct event	*ev;
	loop_cb		 cb;
	void		*arg;
};

struct loop_fd {
	struct loop	*loop;
	struct event	*ev;
	int		 fd;
	int		 events;
	loop_fd_cb	 cb;
	void		*arg;
};

struct loop_signal {
	struct event	*ev;
	loop_signal_cb	 cb;
	void		*arg;
};

struct loop *
loop_new(void)
{
	struct loop *loop;

	loop = xcalloc(1, sizeof *loop);
	loop->base = event_base_new();
	if (loop->base == NULL)
		fatal("cannot create the event loop (libevent event_base_new failed)");
	return loop;
}

void
loop_free(struct loop *loop)
{
	if (loop == NULL)
		return;
	event_base_free(loop->base);
	free(loop);
}

static void
loop_timer_fire(evutil_socket_t fd, short what, void *arg)
{
	struct loop_timer *t = arg;

	t->cb(t->arg);
}

struct loop_timer *
loop_timer_new(struct loop *loop, loop_cb cb, void *arg)
{
	struct loop_timer *t;

	t = xcalloc(1, sizeof *t);
	t->cb = cb;
	t->arg = arg;
	t->ev = evtimer_new(loop->base, loop_timer_fire, t);
	if (t->ev == NULL)
		fatal("cannot create a timer (libevent evtimer_new failed)");
	return t;
}

void
loop_timer_start(struct loop_timer *t, long ms)
{
	struct timeval tv;

	if (ms < 0)
		ms = 0;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	/* Adding a pending event reschedules it, which is what we want. */
	evtimer_add(t->ev, &tv);
}

void
loop_timer_stop(struct loop_timer *t)
{
	evtimer_del(t->ev);
}

int
loop_timer_pending(const struct loop_timer *t)
{
	return evtimer_pending(t->ev, NULL) != 0;
}

void
loop_timer_free(struct loop_timer *t)
{
	if (t == NULL)
		return;
	event_free(t->ev);
	free(t);
}

static void
loop_fd_fire(evutil_socket_t fd, short what, void *arg)
{
	struct loop_fd *f = arg;
	int events = 0;

	if (what & EV_READ)
		events |= LOOP_READ;
	if (what & EV_WRITE)
		events |= LOOP_WRITE;
	f->cb(f->fd, events, f->arg);
}

static void
loop_fd_arm(struct loop_fd *f)
{
	short what = EV_PERSIST;

	if (f->events & LOOP_READ)
		what |= EV_READ;
	if (f->events & LOOP_WRITE)
		what |= EV_WRITE;
	if (event_assign(f->ev, f->loop->base, f->fd, what, loop_fd_fire, f) != 0)
		fatal("cannot watch fd %d (libevent event_assign failed)", f->fd);
	if ((f->events & (LOOP_READ | LOOP_WRITE)) != 0 && event_add(f->ev, NULL) != 0)
		fatal("cannot watch fd %d (libevent event_add failed)", f->fd);
}

struct loop_fd *
loop_fd_new(struct loop *loop, int fd, int events, loop_fd_cb cb, void *arg)
{
	struct loop_fd *f;

	f = xcalloc(1, sizeof *f);
	f->loop = loop;
	f->fd = fd;
	f->events = events;
	f->cb = cb;
	f->arg = arg;
	f->ev = xcalloc(1, event_get_struct_event_size());
	loop_fd_arm(f);
	return f;
}

void
loop_fd_set_events(struct loop_fd *f, int events)
{
	if (f->events == events)
		return;
	/* event_assign may only touch an event that is not added. */
	event_del(f->ev);
	f->events = events;
	loop_fd_arm(f);
}

void
loop_fd_free(struct loop_fd *f)
{
	if (f == NULL)
		return;
	event_del(f->ev);
	free(f->ev);
	free(f);
}

static void
loop_signal_fire(evutil_socket_t signo, short what, void *arg)
{
	struct loop_signal *s = arg;

	s->cb((int)signo, s->arg);
}

struct loop_signal *
loop_signal_new(struct loop *loop, int signo, loop_signal_cb cb, void *arg)
{
	struct loop_signal *s;

	s = xcalloc(1, sizeof *s);
	s->cb = cb;
	s->arg = arg;
	s->ev = evsignal_new(loop->base, signo, loop_signal_fire, s);
	if (s->ev == NULL || evsignal_add(s->ev, NULL) != 0)
		fatal("cannot watch signal %d (libevent evsignal_new failed)", signo);
	return s;
}

void
loop_signal_free(struct loop_signal *s)
{
	if (s == NULL)
		return;
	event_free(s->ev);
	free(s);
}

void
loop_set_step(struct loop *loop, loop_cb step, void *arg)
{
	loop->step = step;
	loop->step_arg = arg;
}

int
loop_run_once(struct loop *loop)
{
	int rc;

	rc = event_base_loop(loop->base, EVLOOP_ONCE);
	if (rc < 0)
		fatal("the event loop failed (libevent event_base_loop)");
	if (loop->step != NULL)
		loop->step(loop->step_arg);
	return rc == 1 ? -1 : 0;
}

int
loop_run_until(struct loop *loop, const int *done)
{
	while (!*done) {
		if (loop_run_once(loop) == -1)
			return *done ? 0 : -1;
	}
	return 0;
}

void
loop_break(struct loop *loop)
{
	event_base_loopbreak(loop->base);
}

uint64_t
loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
