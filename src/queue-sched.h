/*
 * The deploy queue's scheduling rule as pure logic, so it is tested
 * without a loop, a journal or AWS: given the jobs waiting and running,
 * which may start now. Ordinary jobs run side by side up to a bound;
 * special jobs strictly one at a time, in the order queued: a special
 * counts as running from the moment it starts waiting for its locks, so
 * the next special waits for it even then. A paused queue starts nothing.
 */
#ifndef DLC_QUEUE_SCHED_H
#define DLC_QUEUE_SCHED_H

#include <stddef.h>
#include <stdint.h>

#define QUEUE_SCHED_PARALLEL_DEFAULT	4
#define QUEUE_SCHED_PARALLEL_MAX	64

enum queue_sched_state {
	QUEUE_SCHED_WAITING,
	QUEUE_SCHED_RUNNING,	/* started: taking its locks or running steps */
	QUEUE_SCHED_ENDED,
};

/* Why a waiting job did not start (queue_sched_pick's why). */
enum queue_sched_why {
	QUEUE_SCHED_START,	/* it may start now */
	QUEUE_SCHED_PAUSED,	/* the queue is paused */
	QUEUE_SCHED_FULL,	/* queue-parallel ordinary jobs are running */
	QUEUE_SCHED_SPECIAL,	/* a special job runs or is queued before it */
};

struct queue_sched_job {
	enum queue_sched_state	 state;
	int			 special;
	int64_t			 order;		/* lower starts first */
	/* Out (waiting jobs): why it waits, and for which job (index) when SPECIAL, else -1. */
	enum queue_sched_why	 why;
	long			 behind;
};

/*
 * Fills why/behind of every waiting job; returns how many may start now
 * (why START), at most parallel ordinary jobs running in all, and at most
 * one special with none running. Ties in order keep array order.
 */
size_t	queue_sched_pick(struct queue_sched_job *jobs, size_t n, int parallel,
	    int paused);
/*
 * Moves waiting job i by delta places among the waiting jobs (negative:
 * earlier), clamped to the ends, by exchanging order values so the other
 * jobs keep theirs relative to each other. Returns 1 if it moved, 0 if it
 * was already at that end, -1 if job i is not waiting.
 */
int	queue_sched_move(struct queue_sched_job *jobs, size_t n, size_t i,
	    int delta);

#endif
