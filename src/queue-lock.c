/*
 * The special job's locks (queue-lock.h). For now only the queue's own
 * one-at-a-time holds: the machine lock and the team lease come with
 * their modules.
 */
#include "queue-lock.h"

#include <stdlib.h>

#include "loop.h"
#include "xmalloc.h"

struct queue_lock {
	struct loop_timer	*timer;
	queue_lock_cb		 cb;
	void			*arg;
};

static void
queue_lock_held(void *arg)
{
	struct queue_lock *l = arg;

	l->cb(QUEUE_LOCK_HELD, l->arg);
}

struct queue_lock *
queue_lock_start(struct loop *loop, struct journal *journal, const char *id,
    struct aws_env *aenv, const struct dlc_env *env,
    const struct local_function *fn, const char *commit, queue_lock_cb cb,
    void *arg)
{
	struct queue_lock *l = xcalloc(1, sizeof *l);

	(void)journal;
	(void)id;
	(void)aenv;
	(void)env;
	(void)fn;
	(void)commit;
	l->cb = cb;
	l->arg = arg;
	l->timer = loop_timer_new(loop, queue_lock_held, l);
	loop_timer_start(l->timer, 0);
	return l;
}

const char *
queue_lock_reason(const struct queue_lock *l)
{
	(void)l;
	return "";
}

int
queue_lock_check(struct queue_lock *l, struct dlc_err *err)
{
	(void)l;
	(void)err;
	return 0;
}

void
queue_lock_free(struct queue_lock *l)
{
	if (l == NULL)
		return;
	loop_timer_free(l->timer);
	free(l);
}
