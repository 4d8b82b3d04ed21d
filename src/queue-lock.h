/*
 * The locks a special job holds while it runs (queue.c's private helper):
 * the machine lock (every dlc on this machine) and, when the environment
 * names a lock-table, the team lease (every member of the team). Taken in
 * that order, never blocking the loop; released in reverse; each change
 * journalled as a "lock" record. While they are being taken, the reason
 * says what the job waits for, for its "waiting" record.
 */
#ifndef DLC_QUEUE_LOCK_H
#define DLC_QUEUE_LOCK_H

#include "err.h"

struct loop;
struct journal;
struct aws_env;
struct dlc_env;
struct local_function;
struct queue_lock;

enum queue_lock_event {
	QUEUE_LOCK_HELD,	/* every lock the job needs is held */
	QUEUE_LOCK_WAITING,	/* still waiting: the reason changed */
	QUEUE_LOCK_LOST,	/* a held lock was lost (queue_lock_check says how) */
};

typedef void (*queue_lock_cb)(enum queue_lock_event ev, void *arg);

/*
 * Starts taking the locks of job id (a special deploy of fn to env over
 * aenv, from commit, may be NULL); everything borrowed outlives the lock.
 * cb runs from the loop, never from inside queue_lock_start.
 */
struct queue_lock *queue_lock_start(struct loop *loop, struct journal *journal,
	    const char *id, struct aws_env *aenv, const struct dlc_env *env,
	    const struct local_function *fn, const char *commit,
	    queue_lock_cb cb, void *arg);
/* What the job waits for ("machine lock held by job ID (pid N)"), or "". */
const char *queue_lock_reason(const struct queue_lock *l);
/*
 * Before each step: 0 when the locks are held and the team lease has more
 * than a third of its time left; else -1 with err (LeaseLost or
 * LeaseExpiring) saying the push stops before its next step.
 */
int	queue_lock_check(struct queue_lock *l, struct dlc_err *err);
/* Releases what is held (journalled) and frees; NULL is a no-op. */
void	queue_lock_free(struct queue_lock *l);

#endif
