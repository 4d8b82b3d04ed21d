/*
 * The locks a special job holds while it runs (queue.c's private helper):
 * the machine lock (every dlc on this machine, machine-lock.h) and, when
 * the environment names a lock-table, the team lease (every member of the
 * team, lease.h). Taken in that order, never blocking the loop; released
 * in reverse, the machine lock only once the lease's item is deleted, so
 * the next special on this machine never finds our own stale item. Each
 * change is handed out as a "lock" record; while the locks are being
 * taken, the reason says what the job waits for (refreshed at most once a
 * second, as the holder's lease time left changes).
 */
#ifndef DLC_QUEUE_LOCK_H
#define DLC_QUEUE_LOCK_H

#include <cjson/cJSON.h>

#include "err.h"

struct loop;
struct aws_env;
struct dlc_env;
struct local_function;
struct queue_lock;

enum queue_lock_event {
	QUEUE_LOCK_HELD,	/* every lock the job needs is held */
	QUEUE_LOCK_WAITING,	/* still waiting: the reason changed */
	QUEUE_LOCK_LOST,	/* lost or failed: queue_lock_check says how */
	QUEUE_LOCK_RELEASED,	/* queue_lock_release is done: free it */
};

struct queue_lock_hooks {
	void	(*event)(enum queue_lock_event ev, void *arg);
	/* A "lock" record for the job (taken). */
	void	(*record)(cJSON *rec, void *arg);
	void	*arg;
};

/*
 * Starts taking the locks of job id (a special deploy of fn to env over
 * aenv, from commit, may be NULL); everything borrowed outlives the lock.
 * Hooks run from the loop, never from inside queue_lock_start.
 */
struct queue_lock *queue_lock_start(struct loop *loop, const char *id,
	    struct aws_env *aenv, const struct dlc_env *env,
	    const struct local_function *fn, const char *commit,
	    const struct queue_lock_hooks *hooks);
/* What the job waits for ("machine lock held by job ID (pid N)"), or "". */
const char *queue_lock_reason(const struct queue_lock *l);
/*
 * Before each step: 0 when the locks are held and the team lease has at
 * least a third of its time left; else -1 with err (LeaseLost,
 * LeaseExpiring, or why a lock could not be taken).
 */
int	queue_lock_check(struct queue_lock *l, struct dlc_err *err);
/* Held: the lease's fencing token, else NULL. */
const char *queue_lock_token(const struct queue_lock *l);
/*
 * Releases what is held (team, then machine), journalled; RELEASED
 * follows from the loop. Only queue_lock_free after that.
 */
void	queue_lock_release(struct queue_lock *l);
/* Frees at once: a held lease is left to expire. NULL is a no-op. */
void	queue_lock_free(struct queue_lock *l);

#endif
