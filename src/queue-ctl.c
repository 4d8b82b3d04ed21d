/*
 * What the user asks of the queue (the pane's keys, dlc queue's
 * commands): pause, step mode, next, skip, cancel, retry, move, and the
 * accessors of own jobs. Each request is applied by the pump, between
 * steps, never in the middle of one (cancel excepted: it stops what runs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "push.h"
#include "queue-priv.h"
#include "xmalloc.h"

const char *
queue_job_id(const struct queue_job *j)
{
	return j->id;
}

struct queue_job *
queue_job_find(struct queue *q, const char *id)
{
	struct queue_job *j, *found = NULL;
	size_t n = id != NULL ? strlen(id) : 0;

	if (n == 0)
		return NULL;
	for (j = q->jobs; j != NULL; j = j->next) {
		if (strncmp(j->id, id, n) != 0)
			continue;
		if (found != NULL)
			return NULL;	/* ambiguous */
		found = j;
	}
	return found;
}

struct push_job *
queue_job_push(struct queue_job *j)
{
	return j->state == QUEUE_SCHED_RUNNING ? j->push : NULL;
}

/* A special taking its locks still waits: no step has run. */
const char *
queue_job_state(const struct queue_job *j)
{
	return j->state == QUEUE_SCHED_WAITING || (j->state ==
	    QUEUE_SCHED_RUNNING && j->push == NULL) ? "waiting" :
	    j->state == QUEUE_SCHED_RUNNING ? "running" : "ended";
}

const char *
queue_job_reason(const struct queue_job *j)
{
	return j->state == QUEUE_SCHED_ENDED ? "" : j->reason;
}

const char *
queue_job_outcome(const struct queue_job *j)
{
	return j->state == QUEUE_SCHED_ENDED ? j->outcome : NULL;
}

const struct dlc_err *
queue_job_error(const struct queue_job *j)
{
	return j->state == QUEUE_SCHED_ENDED && dlc_err_isset(&j->err) ?
	    &j->err : NULL;
}

const char *
queue_job_log(const struct queue_job *j)
{
	return j->log_path;
}

void
queue_set_observer(struct queue *q,
    void (*cb)(struct queue *q, const char *job_id, void *arg), void *arg)
{
	q->observer = cb;
	q->observer_arg = arg;
}

void
queue_pause(struct queue *q, int paused)
{
	q->paused = paused != 0;
	queue_poke(q);
	if (q->observer != NULL)
		q->observer(q, NULL, q->observer_arg);
}

int
queue_paused(const struct queue *q)
{
	return q->paused;
}

void
queue_set_step_mode(struct queue *q, int on)
{
	q->step_mode = on != 0;
	queue_poke(q);
	if (q->observer != NULL)
		q->observer(q, NULL, q->observer_arg);
}

int
queue_step_mode(const struct queue *q)
{
	return q->step_mode;
}

const struct dlc_err *
queue_error(const struct queue *q)
{
	return &q->error;
}

/* An own job, or -1 with queue_error naming the id. */
static struct queue_job *
queue_ctl_find(struct queue *q, const char *id)
{
	struct queue_job *j = queue_job_find(q, id);

	dlc_err_clear(&q->error);
	if (j == NULL) {
		dlc_err_set(&q->error, "NoSuchJob", "no job of this dlc is "
		    "'%.40s' (or the prefix names several)", id != NULL ?
		    id : "");
		dlc_err_fix(&q->error, "give more of the job's id (dlc queue "
		    "lists them)");
	}
	return j;
}

static int
queue_ctl_ended(struct queue *q, struct queue_job *j, const char *what)
{
	dlc_err_set(&q->error, "JobEnded", "job %s (%s) has ended (%s): "
	    "nothing to %s", j->id, j->fn->name, j->outcome, what);
	dlc_err_fix(&q->error, "retry it (r) to run it again");
	return -1;
}

int
queue_next(struct queue *q, const char *id)
{
	struct queue_job *j = queue_ctl_find(q, id);

	if (j == NULL)
		return -1;
	if (j->state == QUEUE_SCHED_ENDED)
		return queue_ctl_ended(q, j, "step");
	if (!j->holding || j->push == NULL ||
	    push_job_held(j->push) == PUSH_STEP_COUNT) {
		dlc_err_set(&q->error, "NotHeld", "job %s (%s) holds no step "
		    "now: it is %s", j->id, j->fn->name,
		    j->state == QUEUE_SCHED_WAITING ? "waiting to start" :
		    "running a step");
		dlc_err_fix(&q->error, "press n when the pane shows its next "
		    "step");
		return -1;
	}
	j->step_ok = 1;
	queue_poke(q);
	return 0;
}

int
queue_skip(struct queue *q, const char *id)
{
	struct queue_job *j = queue_ctl_find(q, id);

	if (j == NULL)
		return -1;
	if (j->state == QUEUE_SCHED_ENDED)
		return queue_ctl_ended(q, j, "skip");
	if (j->push == NULL) {
		/* Waiting, or taking its locks: nothing ran. */
		queue_job_finish(j, "skipped", NULL);
		return 0;
	}
	/* Between steps at once, else before the next step. */
	j->skip_asked = 1;
	queue_poke(q);
	return 0;
}

int
queue_cancel(struct queue *q, const char *id)
{
	struct queue_job *j = queue_job_find(q, id);
	struct dlc_err err;

	dlc_err_clear(&q->error);
	if (j == NULL)
		return queue_others_cancel(q, id);
	if (j->state == QUEUE_SCHED_ENDED)
		return queue_ctl_ended(q, j, "cancel");
	if (j->push != NULL) {
		push_job_cancel(j->push);	/* its done ends the job */
		return 0;
	}
	dlc_err_clear(&err);
	dlc_err_set(&err, "Cancelled", "the %s of %s to %s was cancelled "
	    "before it started", j->kind == PUSH_LAYER ? "publish" : "push",
	    j->fn->name, j->env->name);
	queue_job_finish(j, "cancelled", &err);
	return 0;
}

int
queue_retry(struct queue *q, const char *id)
{
	struct queue_job *j = queue_ctl_find(q, id);

	if (j == NULL)
		return -1;
	if (j->state != QUEUE_SCHED_ENDED || (strcmp(j->outcome, "failed") != 0 &&
	    strcmp(j->outcome, "cancelled") != 0)) {
		dlc_err_set(&q->error, "NotFailed", "job %s (%s) is %s: only a "
		    "failed or cancelled job is retried", j->id, j->fn->name,
		    j->state == QUEUE_SCHED_ENDED ? j->outcome :
		    queue_job_state(j));
		dlc_err_fix(&q->error, "push it again to run a new job");
		return -1;
	}
	if (j->lock != NULL) {
		dlc_err_set(&q->error, "JobReleasing", "job %s (%s) is still "
		    "releasing its locks", j->id, j->fn->name);
		dlc_err_fix(&q->error, "retry it in a moment");
		return -1;
	}
	/*
	 * The same id again, at the end of the queue. Its steps run anew:
	 * the build is skipped when its inputs are unchanged, and the
	 * upload finds what the failed attempt may have deployed already.
	 */
	push_job_free(j->push);
	j->push = NULL;
	free(j->kept);
	j->kept = NULL;
	j->state = QUEUE_SCHED_WAITING;
	j->started = 0;
	j->outcome[0] = '\0';
	dlc_err_clear(&j->err);
	j->reason[0] = '\0';
	j->skip_asked = 0;
	j->step_ok = 0;
	j->holding = 0;
	j->held = PUSH_STEP_COUNT;
	j->journal_failed = 0;
	j->progress_ms = 0;
	j->retries++;
	j->order = journal_now_ms() * 1000 + (int64_t)(q->seq++ % 1000);
	/* Its folder may be at another commit now. */
	queue_find_commit(j);
	return 0;
}

int
queue_move(struct queue *q, const char *id, int delta)
{
	struct queue_job *j = queue_ctl_find(q, id), *k, **all;
	struct queue_sched_job *sj;
	size_t n = 0, i, at = 0;
	int rc;

	if (j == NULL)
		return -1;
	if (j->state != QUEUE_SCHED_WAITING) {
		dlc_err_set(&q->error, "NotWaiting", "job %s (%s) is %s: only "
		    "waiting jobs are reordered", j->id, j->fn->name,
		    queue_job_state(j));
		return -1;
	}
	for (k = q->jobs; k != NULL; k = k->next)
		n++;
	sj = xcalloc(n, sizeof *sj);
	all = xcalloc(n, sizeof *all);
	for (i = 0, k = q->jobs; k != NULL; k = k->next, i++) {
		all[i] = k;
		sj[i].state = k->state;
		sj[i].order = k->order;
		if (k == j)
			at = i;
	}
	rc = queue_sched_move(sj, n, at, delta);
	for (i = 0; i < n; i++) {
		cJSON *rec;

		if (sj[i].order == all[i]->order)
			continue;
		all[i]->order = sj[i].order;
		rec = cJSON_CreateObject();
		cJSON_AddStringToObject(rec, "job", all[i]->id);
		cJSON_AddStringToObject(rec, "ev", "reorder");
		cJSON_AddNumberToObject(rec, "order", (double)all[i]->order);
		queue_append(all[i], rec);
		queue_job_notify(all[i]);
	}
	free(sj);
	free(all);
	if (rc == 0) {
		dlc_err_set(&q->error, "NoMove", "job %s (%s) is already the "
		    "%s waiting job", j->id, j->fn->name, delta < 0 ? "first" :
		    "last");
		return -1;
	}
	queue_poke(q);
	return 0;
}

const char *
queue_next_step_text(struct queue *q, const char *id)
{
	struct queue_job *j = queue_job_find(q, id);

	if (j == NULL || j->push == NULL || j->state != QUEUE_SCHED_RUNNING ||
	    push_job_held(j->push) == PUSH_STEP_COUNT)
		return NULL;
	return queue_step_text(j);
}

size_t
queue_live(const struct queue *q)
{
	const struct queue_job *j;
	size_t n = 0;

	/* A job releasing its locks is not done: exiting now would leave the lease to expire. */
	for (j = q->jobs; j != NULL; j = j->next)
		if (j->state != QUEUE_SCHED_ENDED || j->lock != NULL)
			n++;
	return n;
}
