/*
 * The one event loop of the process. Every source of events (curl's
 * sockets and timer, child pipes, the terminal, timers, signals) is
 * registered here, so nothing ever blocks and tests can run the real loop
 * a turn at a time. A thin wrapper over libevent: no other file includes
 * event2 headers. Single-threaded; none of this is thread-safe.
 */
#ifndef DLC_LOOP_H
#define DLC_LOOP_H

#include <stdint.h>

struct loop;
struct loop_timer;
struct loop_fd;
struct loop_signal;

typedef void (*loop_cb)(void *arg);
typedef void (*loop_fd_cb)(int fd, int events, void *arg);
typedef void (*loop_signal_cb)(int signo, void *arg);

enum { LOOP_READ = 1, LOOP_WRITE = 2 };

/* Free every timer, fd and signal watcher before loop_free. */
struct loop	*loop_new(void);
void		 loop_free(struct loop *loop);

/* One-shot timers. Starting a pending timer moves its deadline. */
struct loop_timer *loop_timer_new(struct loop *loop, loop_cb cb, void *arg);
void		 loop_timer_start(struct loop_timer *t, long ms);
void		 loop_timer_stop(struct loop_timer *t);
int		 loop_timer_pending(const struct loop_timer *t);
void		 loop_timer_free(struct loop_timer *t);

/*
 * Persistent fd watchers: cb runs while the fd is ready for any of
 * events (LOOP_READ | LOOP_WRITE); events 0 pauses the watcher. The fd is
 * not closed by loop_fd_free. A watcher may free itself from its callback.
 */
struct loop_fd	*loop_fd_new(struct loop *loop, int fd, int events,
		    loop_fd_cb cb, void *arg);
void		 loop_fd_set_events(struct loop_fd *f, int events);
void		 loop_fd_free(struct loop_fd *f);

/* Signals are delivered as ordinary callbacks from the loop, never async. */
struct loop_signal *loop_signal_new(struct loop *loop, int signo,
		    loop_signal_cb cb, void *arg);
void		 loop_signal_free(struct loop_signal *s);

/*
 * step runs once after every turn, before the loop sleeps again: the
 * redraw hook, so a burst of events causes one redraw. NULL removes it.
 */
void		 loop_set_step(struct loop *loop, loop_cb step, void *arg);

/* One turn: waits for an event and runs what is ready; -1 if nothing is registered. */
int		 loop_run_once(struct loop *loop);
/* Turns until *done is non-zero (0), or until nothing is left to wait for (-1). */
int		 loop_run_until(struct loop *loop, const int *done);
/* Ends the current turn early (after the running callback). */
void		 loop_break(struct loop *loop);

/* Monotonic clock in milliseconds, for deadlines and elapsed times. */
uint64_t	 loop_now_ms(void);

#endif
