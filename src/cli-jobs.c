/*
 * A command's jobs through the deploy queue, shown as dlc push shows a
 * job (cli-jobs.h says why it reads the job back rather than hearing its
 * callbacks).
 */
#include "cli-jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli-detach.h"
#include "cli-journal.h"
#include "jobstate.h"
#include "journal.h"
#include "loop.h"
#include "jsonout.h"
#include "push-tty.h"
#include "queue.h"
#include "sanitize.h"
#include "xmalloc.h"

#define CLI_JOBS_TICK_MS	100

struct cli_jobs_item {
	struct cli_jobs_result	 r;
	struct queue_job	*qj;
	char			 id[16];
	int			 ended;
	int			 seen;		/* a live look was taken */
	struct push_tty		 tty;		/* label: the function */
	/* What was said last, to say only changes. */
	enum push_step		 said_step;
	enum push_state		 said_state;
	char			 said_detail[256];
	uint64_t		 said_done;
	char			*said_reason;
	/* The job's log, read from here on for the build's output lines. */
	off_t			 log_off;
	struct buf		 log_part;	/* a line not yet ended */
};

struct cli_jobs {
	struct cli_ctx		*ctx;
	struct journal		*journal;
	struct queue		*queue;
	struct cli_jobs_item	**items;
	size_t			 n;
	int			 live;		/* for aws_wait */
	int			 busy;		/* live, or the queue still releasing locks */
	struct loop_timer	*tick;		/* progress the observer is not told of */
	int			 failed;
	void			(*ended)(const struct cli_jobs_result *, void *);
	void			*ended_arg;
	int			*report_fd;
	int			 interrupted;	/* SIGINT or SIGTERM seen */
};

static enum push_outcome
cli_jobs_outcome(const char *name)
{
	static const enum push_outcome all[] = { PUSH_OUTCOME_DEPLOYED,
	    PUSH_OUTCOME_UNCHANGED, PUSH_OUTCOME_DRY_RUN, PUSH_OUTCOME_FAILED,
	    PUSH_OUTCOME_CANCELLED, PUSH_OUTCOME_SKIPPED };
	size_t i;

	for (i = 0; name != NULL && i < sizeof all / sizeof all[0]; i++)
		if (strcmp(push_outcome_name(all[i]), name) == 0)
			return all[i];
	return PUSH_OUTCOME_FAILED;
}

/* Drops the first n bytes of b. */
static void
cli_jobs_consume(struct buf *b, size_t n)
{
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	if (b->data != NULL)
		b->data[b->len] = '\0';
}

/*
 * New whole lines of the job's log, shown as the build's output was
 * ("NAME | line"). The log is the queue's; it is small and local, and
 * read only from where the last look stopped.
 */
static void
cli_jobs_log(struct cli_jobs_item *it, int flush)
{
	const char *path = queue_job_log(it->qj);
	char chunk[8192];
	ssize_t r;
	int fd;

	if (path == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	while ((r = pread(fd, chunk, sizeof chunk, it->log_off)) > 0) {
		buf_append(&it->log_part, chunk, (size_t)r);
		it->log_off += r;
	}
	close(fd);
	for (;;) {
		char *nl = it->log_part.len > 0 ?
		    memchr(it->log_part.data, '\n', it->log_part.len) : NULL;
		size_t len;

		if (nl == NULL && !(flush && it->log_part.len > 0))
			break;
		len = nl != NULL ? (size_t)(nl - it->log_part.data) :
		    it->log_part.len;
		/* "-- " lines are the queue's notes: the steps, said already. */
		if (len >= 3 && memcmp(it->log_part.data, "-- ", 3) == 0)
			;
		else if (queue_job_push(it->qj) != NULL)
			push_tty_line(queue_job_push(it->qj),
			    it->log_part.data, len, &it->tty);
		else {
			struct buf out;

			push_tty_clear(&it->tty);
			buf_init(&out, 0);
			sanitize_append(&out, it->log_part.data, len, 0);
			fprintf(stderr, "%s | %s\n", it->r.fn->name,
			    out.data != NULL ? out.data : "");
			buf_free(&out);
		}
		cli_jobs_consume(&it->log_part, nl != NULL ? len + 1 : len);
	}
}

/* Says what changed in the live job since the last look, as push-tty does. */
static void
cli_jobs_look(struct cli_jobs_item *it, struct push_job *pj)
{
	enum push_step cur = push_job_current(pj), s;
	const struct push_step_info *si;

	/* Steps that ended between two looks are said with how they ended. */
	for (s = it->seen ? it->said_step : 0; s < cur; s++) {
		si = push_job_step(pj, s);
		if (si->state == PUSH_PENDING)
			continue;
		if (s == it->said_step && it->seen &&
		    si->state == it->said_state &&
		    strcmp(si->detail, it->said_detail) == 0)
			continue;
		push_tty_step(pj, s, &it->tty);
	}
	si = push_job_step(pj, cur);
	if (si->state == PUSH_PENDING)
		;	/* held before its first step: nothing to say yet */
	else if (!it->seen || cur != it->said_step ||
	    si->state != it->said_state)
		push_tty_step(pj, cur, &it->tty);
	else if (strcmp(si->detail, it->said_detail) != 0 ||
	    si->done != it->said_done)
		push_tty_progress(pj, cur, &it->tty);
	it->seen = 1;
	it->said_step = cur;
	it->said_state = si->state;
	snprintf(it->said_detail, sizeof it->said_detail, "%s", si->detail);
	it->said_done = si->done;
	/* What it did so far: the job may be gone when its end is heard. */
	it->r.res = *push_job_result(pj);
	for (s = 0; s < PUSH_STEP_COUNT; s++)
		it->r.steps[s] = *push_job_step(pj, s);
}

/* The step a job was in when it ended, from its last look. */
static enum push_step
cli_jobs_step_of(const struct cli_jobs_item *it)
{
	int s;

	for (s = PUSH_STEP_COUNT - 1; s > 0; s--)
		if (it->r.steps[s].state != PUSH_PENDING)
			return (enum push_step)s;
	return PUSH_STEP_BUILD;
}

static void
cli_jobs_end(struct cli_jobs *cj, struct cli_jobs_item *it)
{
	const struct dlc_err *e = queue_job_error(it->qj);

	it->ended = 1;
	cj->live--;
	cli_jobs_log(it, 1);
	push_tty_clear(&it->tty);
	it->r.res.outcome = cli_jobs_outcome(queue_job_outcome(it->qj));
	it->r.ok = it->r.res.outcome == PUSH_OUTCOME_DEPLOYED ||
	    it->r.res.outcome == PUSH_OUTCOME_UNCHANGED ||
	    it->r.res.outcome == PUSH_OUTCOME_DRY_RUN;
	if (!it->r.ok) {
		cj->failed++;
		if (e != NULL && dlc_err_isset(e))
			it->r.err = *e;
		else
			dlc_err_set(&it->r.err, it->r.res.outcome ==
			    PUSH_OUTCOME_CANCELLED ? "Cancelled" : "Failed",
			    "job %s (%s) ended %s", it->id, it->r.fn->name,
			    push_outcome_name(it->r.res.outcome));
		if (it->r.err.what[0] == '\0')
			dlc_err_what(&it->r.err, "%s %s of %s to %s",
			    push_step_name(cli_jobs_step_of(it)),
			    it->r.kind == PUSH_LAYER ? "publish" : "push",
			    it->r.fn->name, it->r.env->name);
	}
	if (cj->ended != NULL)
		cj->ended(&it->r, cj->ended_arg);
}

static void
cli_jobs_observe_one(struct cli_jobs *cj, struct cli_jobs_item *it)
{
	const char *state, *reason;
	struct push_job *pj;

	if (it->ended)
		return;
	state = queue_job_state(it->qj);
	if ((pj = queue_job_push(it->qj)) != NULL)
		cli_jobs_look(it, pj);
	cli_jobs_log(it, 0);
	if (strcmp(state, "waiting") == 0) {
		reason = queue_job_reason(it->qj);
		if (reason != NULL && reason[0] != '\0' &&
		    (it->said_reason == NULL ||
		    strcmp(it->said_reason, reason) != 0)) {
			char *clean = sanitize_str(reason);

			push_tty_clear(&it->tty);
			fprintf(stderr, "%s: waiting: %s\n", it->r.fn->name,
			    clean);
			free(clean);
			free(it->said_reason);
			it->said_reason = xstrdup(reason);
		}
	} else if (strcmp(state, "ended") == 0) {
		cli_jobs_end(cj, it);
	}
}

static void
cli_jobs_observe(struct queue *q, const char *job_id, void *arg)
{
	struct cli_jobs *cj = arg;
	size_t i;

	for (i = 0; i < cj->n; i++)
		if (job_id == NULL || strcmp(job_id, cj->items[i]->id) == 0)
			cli_jobs_observe_one(cj, cj->items[i]);
	/* Told of a released lock: exit at once, not at the next tick. */
	cj->busy = cj->live > 0 || queue_live(q) > 0;
}

struct cli_jobs *
cli_jobs_new(struct cli_ctx *ctx, struct dlc_err *err)
{
	struct cli_jobs *cj = xcalloc(1, sizeof *cj);

	cj->ctx = ctx;
	if ((cj->journal = journal_open(ctx->aws.loop, err)) == NULL)
		goto fail;
	/* The queue reads the recent journal and marks dead writers' jobs. */
	cj->queue = queue_new(ctx->aws.loop, cj->journal, &ctx->cfg, err);
	if (cj->queue == NULL)
		goto fail;
	cli_journal_say_interrupted(queue_jobs(cj->queue));
	queue_set_observer(cj->queue, cli_jobs_observe, cj);
	return cj;
fail:
	cli_jobs_free(cj);
	return NULL;
}

void
cli_jobs_free(struct cli_jobs *cj)
{
	size_t i;

	if (cj == NULL)
		return;
	loop_timer_free(cj->tick);
	/*
	 * The last records' syncs: a plain command exits only once its end
	 * records are durable (and the queue hears of it and frees what it
	 * kept for each).
	 */
	while (cj->journal != NULL && journal_pending(cj->journal) > 0)
		if (loop_run_once(cj->ctx->aws.loop) != 0)
			break;
	queue_free(cj->queue);
	journal_free(cj->journal);
	for (i = 0; i < cj->n; i++) {
		free(cj->items[i]->said_reason);
		buf_free(&cj->items[i]->log_part);
		free(cj->items[i]);
	}
	free(cj->items);
	free(cj);
}

void
cli_jobs_report_to(struct cli_jobs *cj, int *fd)
{
	cj->report_fd = fd;
}

struct queue *
cli_jobs_queue(struct cli_jobs *cj)
{
	return cj->queue;
}

struct journal *
cli_jobs_journal(struct cli_jobs *cj)
{
	return cj->journal;
}

const char *
cli_jobs_add(struct cli_jobs *cj, struct aws_env *aenv,
    const struct dlc_env *env, const struct local_function *fn,
    enum push_kind kind, const struct push_options *opts,
    const char *rollback_of, struct dlc_err *err)
{
	struct cli_jobs_item *it;
	struct queue_job *qj;

	if (rollback_of != NULL)
		qj = queue_add_rollback(cj->queue, aenv, env, fn, opts,
		    rollback_of, err);
	else
		qj = queue_add(cj->queue, aenv, env, fn, kind, opts, err);
	if (qj == NULL)
		return NULL;
	it = xcalloc(1, sizeof *it);
	it->qj = qj;
	snprintf(it->id, sizeof it->id, "%s", queue_job_id(qj));
	it->r.id = it->id;
	it->r.fn = fn;
	it->r.env = env;
	it->r.kind = kind;
	buf_init(&it->log_part, 0);
	push_tty_init(&it->tty, stderr);
	it->tty.label = fn->name;
	cj->items = xreallocarray(cj->items, cj->n + 1, sizeof *cj->items);
	cj->items[cj->n++] = it;
	cj->live++;
	if (cj->report_fd != NULL)
		cli_detach_report(*cj->report_fd, "job", it->id, fn->name);
	return it->id;
}

/*
 * The queue journals progress once a second and tells its observer as
 * often; dlc push has always shown every poll and conflict, so the live
 * jobs are looked at every 100 ms as well.
 */
static void
cli_jobs_tick(void *arg)
{
	struct cli_jobs *cj = arg;

	cli_jobs_observe(cj->queue, NULL, cj);
	cj->busy = cj->live > 0 || queue_live(cj->queue) > 0;
	if (cj->busy)
		loop_timer_start(cj->tick, CLI_JOBS_TICK_MS);
}

/*
 * Ctrl-C (or SIGTERM to a --no-wait dlc) cancels this command's jobs and
 * keeps waiting until they have ended and their locks are released, so
 * the journal says cancelled, not interrupted, and the team's next
 * special does not wait out a lease. A second signal leaves at once: the
 * jobs are then found interrupted and their locks expire.
 */
static void
cli_jobs_interrupt(int signo, void *arg)
{
	struct cli_jobs *cj = arg;
	size_t i;

	if (cj->interrupted) {
		fprintf(stderr, "dlc: %s again: leaving now; 'dlc queue' will "
		    "show the jobs interrupted\n", strsignal(signo));
		_exit(128 + signo);
	}
	cj->interrupted = 1;
	fprintf(stderr, "dlc: %s: cancelling the jobs and releasing their "
	    "locks (again to leave at once)\n", strsignal(signo));
	for (i = 0; i < cj->n; i++)
		if (!cj->items[i]->ended)
			queue_cancel(cj->queue, cj->items[i]->id);
}

int
cli_jobs_wait(struct cli_jobs *cj,
    void (*ended)(const struct cli_jobs_result *r, void *arg), void *arg)
{
	struct loop_signal *sigint, *sigterm;
	size_t i;

	cj->ended = ended;
	cj->ended_arg = arg;
	sigint = loop_signal_new(cj->ctx->aws.loop, SIGINT, cli_jobs_interrupt, cj);
	sigterm = loop_signal_new(cj->ctx->aws.loop, SIGTERM, cli_jobs_interrupt, cj);
	if (cj->report_fd != NULL)
		cli_detach_done(cj->report_fd);
	/* Jobs that ended before the loop first ran (refused at once). */
	cli_jobs_observe(cj->queue, NULL, cj);
	if (cj->tick == NULL)
		cj->tick = loop_timer_new(cj->ctx->aws.loop, cli_jobs_tick, cj);
	if (cj->live > 0)
		loop_timer_start(cj->tick, CLI_JOBS_TICK_MS);
	aws_wait(&cj->ctx->aws, &cj->live);
	loop_timer_stop(cj->tick);
	if (cj->live > 0) {
		/* The loop ran dry: nothing can end them now. */
		for (i = 0; i < cj->n; i++)
			if (!cj->items[i]->ended)
				queue_cancel(cj->queue, cj->items[i]->id);
		aws_wait(&cj->ctx->aws, &cj->live);
	}
	/*
	 * A special job's locks are released after its end record: exiting
	 * before the lease item is deleted leaves it to expire, holding up the
	 * team's next special job by a whole lease.
	 */
	cj->busy = queue_live(cj->queue) > 0;
	if (cj->busy) {
		loop_timer_start(cj->tick, CLI_JOBS_TICK_MS);
		aws_wait(&cj->ctx->aws, &cj->busy);
		loop_timer_stop(cj->tick);
	}
	loop_signal_free(sigint);
	loop_signal_free(sigterm);
	return cj->failed;
}

size_t
cli_jobs_count(const struct cli_jobs *cj)
{
	return cj->n;
}

const struct cli_jobs_result *
cli_jobs_get(const struct cli_jobs *cj, size_t i)
{
	return i < cj->n ? &cj->items[i]->r : NULL;
}

cJSON *
cli_jobs_json(const struct cli_jobs_result *rr)
{
	const struct push_result *r = &rr->res;
	cJSON *o = cJSON_CreateObject(), *steps, *s, *e;
	int i;

	cJSON_AddStringToObject(o, "Id", rr->id);
	cJSON_AddStringToObject(o, "Local", rr->fn->name);
	cJSON_AddStringToObject(o, "Name", r->remote_name);
	cJSON_AddStringToObject(o, "Outcome", push_outcome_name(r->outcome));
	cJSON_AddItemToObject(o, "CodeSha256", jsonout_string_or_null(
	    r->local_sha256[0] != '\0' ? r->local_sha256 : NULL));
	cJSON_AddItemToObject(o, "PreviousCodeSha256", jsonout_string_or_null(
	    r->remote_sha256[0] != '\0' ? r->remote_sha256 : NULL));
	cJSON_AddNumberToObject(o, "Size", (double)r->size);
	cJSON_AddStringToObject(o, "Upload", r->via_s3 ? "s3" : "inline");
	cJSON_AddItemToObject(o, "S3Key", jsonout_string_or_null(
	    r->s3_key[0] != '\0' ? r->s3_key : NULL));
	cJSON_AddNumberToObject(o, "Conflicts", r->conflicts);
	cJSON_AddNumberToObject(o, "Polls", r->polls);
	if (r->layer_version_arn[0] != '\0')
		cJSON_AddStringToObject(o, "LayerVersionArn",
		    r->layer_version_arn);
	steps = cJSON_AddArrayToObject(o, "Steps");
	for (i = 0; i < PUSH_STEP_COUNT; i++) {
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "Step", push_step_name(i));
		cJSON_AddStringToObject(s, "State",
		    push_state_name(rr->steps[i].state));
		cJSON_AddStringToObject(s, "Detail", rr->steps[i].detail);
		cJSON_AddItemToArray(steps, s);
	}
	if (!rr->ok) {
		e = cJSON_AddObjectToObject(o, "Error");
		cJSON_AddStringToObject(e, "Code", rr->err.code);
		cJSON_AddStringToObject(e, "Message", rr->err.message);
		cJSON_AddStringToObject(e, "Fix", rr->err.fix);
	} else {
		cJSON_AddNullToObject(o, "Error");
	}
	return o;
}

int
cli_jobs_interrupted(struct cli_ctx *ctx, struct journal *journal)
{
	struct jobstate_set *set;
	struct journal *own = NULL;
	struct dlc_err err;
	int n;

	dlc_err_clear(&err);
	if (journal == NULL &&
	    (journal = own = journal_open(ctx->aws.loop, &err)) == NULL) {
		cli_error(&err);
		return 0;
	}
	if ((set = cli_journal_load(CLI_JOURNAL_RECENT_DAYS, &err)) == NULL) {
		cli_error(&err);
		journal_free(own);
		return 0;
	}
	n = cli_journal_interrupted(set, journal);
	jobstate_set_free(set);
	journal_free(own);
	return n;
}
