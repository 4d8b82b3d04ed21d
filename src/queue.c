/*
 * The deploy queue (queue.h). Own jobs live in a list in queue order of
 * arrival and are never freed before the queue (ended ones stay for the
 * outcome, retry and the pane). One deferred "pump" decides, after any
 * change, which waiting jobs start (queue-sched.h) and which held steps
 * may go on: a step goes on only once every record of its job is durable,
 * its locks are still good, and (in step mode) queue_next let it.
 */
#include "queue.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "build.h"
#include "git-head.h"
#include "jobstate.h"
#include "journal.h"
#include "lambda-write.h"
#include "loop.h"
#include "package-keep.h"
#include "queue-lock.h"
#include "queue-priv.h"
#include "queue-sched.h"
#include "redact.h"
#include "statedir.h"
#include "whoami.h"
#include "xmalloc.h"

/* A journal append's confirmation, which may come after queue_free. */
struct queue_ticket {
	struct queue_life	*life;
	struct queue_job	*job;
};


/* ---- records ---- */

static cJSON *
queue_rec(struct queue_job *j, const char *ev)
{
	cJSON *rec = cJSON_CreateObject();

	cJSON_AddStringToObject(rec, "job", j->id);
	cJSON_AddStringToObject(rec, "ev", ev);
	return rec;
}

static void
queue_rec_err(cJSON *rec, const struct dlc_err *err)
{
	cJSON *e;

	if (err == NULL || !dlc_err_isset(err))
		return;
	e = cJSON_AddObjectToObject(rec, "error");
	cJSON_AddStringToObject(e, "code", err->code);
	cJSON_AddStringToObject(e, "message", err->message);
	if (err->fix[0] != '\0')
		cJSON_AddStringToObject(e, "fix", err->fix);
}

static void
queue_life_drop(struct queue_life *life)
{
	if (--life->refs == 0 && life->q == NULL)
		free(life);
}

static void
queue_synced(const struct dlc_err *err, void *arg)
{
	struct queue_ticket *t = arg;
	struct queue_job *j = t->job;

	if (t->life->q != NULL) {
		j->unsynced--;
		/* A record that is not durable must not let the next step run. */
		if (err != NULL && !j->journal_failed) {
			j->journal_failed = 1;
			j->journal_err = *err;
		}
		queue_poke(j->q);
	}
	queue_life_drop(t->life);
	free(t);
}

/* Appends rec for j: durable ones are counted until their sync is confirmed. */
void
queue_append(struct queue_job *j, cJSON *rec)
{
	struct queue *q = j->q;
	struct queue_ticket *t;
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(rec, "ev");

	if (cJSON_IsString(ev) && strcmp(ev->valuestring, "progress") == 0) {
		journal_append(q->journal, rec, NULL, NULL);
		return;
	}
	t = xcalloc(1, sizeof *t);
	t->life = q->life;
	t->job = j;
	q->life->refs++;
	j->unsynced++;
	journal_append(q->journal, rec, queue_synced, t);
}

static void
queue_notify(struct queue *q, const char *id)
{
	if (q->observer != NULL)
		q->observer(q, id, q->observer_arg);
}

void
queue_job_notify(struct queue_job *j)
{
	queue_notify(j->q, j->id);
}

/* The job's own log: build output and the queue's notes, one per line. */
static void
queue_log(struct queue_job *j, const char *text, size_t len)
{
	char line[1024];
	size_t n = len < sizeof line - 2 ? len : sizeof line - 2;
	ssize_t w;

	if (j->log_fd < 0)
		return;
	memcpy(line, text, n);
	line[n] = '\0';
	/* A build may print a key it was given; the log must not keep it. */
	redact_message(line, sizeof line - 1);
	n = strlen(line);
	line[n++] = '\n';
	do
		w = write(j->log_fd, line, n);
	while (w < 0 && errno == EINTR);
}

static void
queue_log_note(struct queue_job *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
queue_log_note(struct queue_job *j, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (n > 0)
		queue_log(j, text, strlen(text));
}

/* A "waiting" record when the reason changed (the pump asks each turn). */
static void
queue_set_reason(struct queue_job *j, const char *reason)
{
	cJSON *rec;

	if (strcmp(j->reason, reason) == 0)
		return;
	snprintf(j->reason, sizeof j->reason, "%s", reason);
	if (reason[0] == '\0')
		return;
	rec = queue_rec(j, "waiting");
	cJSON_AddStringToObject(rec, "reason", reason);
	queue_append(j, rec);
	queue_notify(j->q, j->id);
}

/* ---- the push job's callbacks ---- */

static void
queue_on_step(struct push_job *p, enum push_step s, void *arg)
{
	struct queue_job *j = arg;
	const struct push_step_info *si = push_job_step(p, s);
	cJSON *rec = queue_rec(j, "step");

	cJSON_AddStringToObject(rec, "step", push_step_name(s));
	cJSON_AddStringToObject(rec, "state", push_state_name(si->state));
	cJSON_AddStringToObject(rec, "detail", si->detail);
	if (si->state == PUSH_FAILED)
		queue_rec_err(rec, &si->err);
	queue_append(j, rec);
	queue_log_note(j, "-- %s %s: %s", push_step_name(s),
	    push_state_name(si->state), si->detail);
	queue_notify(j->q, j->id);
}

static void
queue_on_progress(struct push_job *p, enum push_step s, void *arg)
{
	struct queue_job *j = arg;
	const struct push_step_info *si = push_job_step(p, s);
	uint64_t now = loop_now_ms();
	cJSON *rec;

	/* The pane redraws from the live job; the journal needs one a second. */
	if (j->progress_ms != 0 && now - j->progress_ms < 1000)
		return;
	j->progress_ms = now;
	rec = queue_rec(j, "progress");
	cJSON_AddStringToObject(rec, "step", push_step_name(s));
	cJSON_AddNumberToObject(rec, "done", (double)si->done);
	cJSON_AddNumberToObject(rec, "total", (double)si->total);
	cJSON_AddStringToObject(rec, "line", j->last_line);
	queue_append(j, rec);
	queue_notify(j->q, j->id);
}

static void
queue_on_line(struct push_job *p, const char *text, size_t len, void *arg)
{
	struct queue_job *j = arg;
	size_t n = len < sizeof j->last_line - 1 ? len :
	    sizeof j->last_line - 1;

	(void)p;
	queue_log(j, text, len);
	memcpy(j->last_line, text, n);
	j->last_line[n] = '\0';
	redact_message(j->last_line, sizeof j->last_line);
}

static void
queue_kept(const char *kept, const struct dlc_err *err, void *arg)
{
	struct queue_job *j = arg;
	struct dlc_err perr;

	if (kept == NULL) {
		/* The deploy stands; only its rollback is lost. */
		queue_log_note(j, "-- package not kept for rollback: %s",
		    err != NULL ? err->message : "?");
	} else {
		free(j->kept);
		j->kept = xstrdup(kept);
		dlc_err_clear(&perr);
		if (package_keep_prune(j->env->name, j->fn->name,
		    dlc_config_keep_packages(j->q->cfg), j->q->set, kept,
		    &perr) < 0)
			queue_log_note(j, "-- old packages not pruned: %s",
			    perr.message);
	}
	/* Last: kept (and err) belong to the keeper. */
	package_keep_free(j->keep);
	j->keep = NULL;
	queue_job_finish(j, "deployed", NULL);
}

/*
 * A deployed package is kept (packages/ENV/NAME/SHA.zip) before the end
 * record, which names it for rollback.
 */
static void
queue_on_done(struct push_job *p, const struct dlc_err *err, void *arg)
{
	struct queue_job *j = arg;
	const struct push_result *r = push_job_result(p);
	struct dlc_err kerr;
	char *zip;

	if (r->outcome != PUSH_OUTCOME_DEPLOYED || j->kind == PUSH_MOVE ||
	    j->q->cfg == NULL) {
		queue_job_finish(j, push_outcome_name(r->outcome), err);
		return;
	}
	zip = j->package != NULL ? xstrdup(j->package) :
	    build_zip_path(j->q->cfg, j->fn);
	dlc_err_clear(&kerr);
	j->keep = package_keep_start(j->q->loop, j->env->name, j->fn->name,
	    zip, r->local_sha256, queue_kept, j, &kerr);
	free(zip);
	if (j->keep == NULL)
		queue_kept(NULL, &kerr, j);
}

/*
 * The gate, before every step: the fast path lets the step run at once
 * when nothing stands in its way; otherwise the job is held and the pump
 * decides (it cannot fail or skip the job from inside the gate, where
 * push has not yet recorded the hold).
 */
static int
queue_gate(struct push_job *p, enum push_step next, void *arg)
{
	struct queue_job *j = arg;
	struct dlc_err err;

	(void)p;
	j->held = next;
	dlc_err_clear(&err);
	if (j->unsynced == 0 && !j->journal_failed && !j->q->step_mode &&
	    !j->skip_asked && (j->lock == NULL ||
	    queue_lock_check(j->lock, &err) == 0)) {
		j->held = PUSH_STEP_COUNT;
		return 0;
	}
	j->holding = 1;
	queue_poke(j->q);
	return 1;
}

/* ---- starting and ending ---- */

static void
queue_job_run(struct queue_job *j)
{
	struct push_callbacks cbs = { queue_on_step, queue_on_progress,
	    queue_on_line, queue_on_done };
	struct dlc_err err;

	queue_set_reason(j, "");
	j->opts.gate = queue_gate;
	j->opts.gate_arg = j;
	j->held = PUSH_STEP_COUNT;
	dlc_err_clear(&err);
	push_job_free(j->push);
	j->push = push_job_start(j->q->loop, j->aenv, j->q->cfg, j->env, j->fn,
	    j->kind, &j->opts, &cbs, j, &err);
	if (j->push == NULL)
		queue_job_finish(j, "failed", &err);
}

static void
queue_on_lock(enum queue_lock_event ev, void *arg)
{
	struct queue_job *j = arg;
	struct dlc_err err;

	switch (ev) {
	case QUEUE_LOCK_HELD:
		if (j->push == NULL && j->state == QUEUE_SCHED_RUNNING)
			queue_job_run(j);
		break;
	case QUEUE_LOCK_WAITING:
		if (j->state == QUEUE_SCHED_RUNNING && j->push == NULL)
			queue_set_reason(j, queue_lock_reason(j->lock));
		break;
	case QUEUE_LOCK_LOST:
		/* Running: the gate fails it before its next step. */
		if (j->push == NULL && j->state == QUEUE_SCHED_RUNNING) {
			dlc_err_clear(&err);
			queue_lock_check(j->lock, &err);
			queue_job_finish(j, "failed", &err);
		}
		queue_poke(j->q);
		break;
	case QUEUE_LOCK_RELEASED:
		queue_lock_free(j->lock);
		j->lock = NULL;
		queue_poke(j->q);
		break;
	}
}

static void
queue_lock_rec(cJSON *rec, void *arg)
{
	queue_append(arg, rec);
}

static void
queue_job_start(struct queue_job *j)
{
	time_t now = (time_t)(journal_now_ms() / 1000);
	struct queue_lock_hooks hooks;
	struct tm tm;

	j->state = QUEUE_SCHED_RUNNING;
	j->started = 1;
	/* Local time, as the team lease's reason says it. */
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(j->since, sizeof j->since, "%H:%M", &tm) == 0)
		snprintf(j->since, sizeof j->since, "?");
	queue_log_note(j, "-- started: %s of %s to %s", j->kind == PUSH_LAYER ?
	    "layer publish" : j->kind == PUSH_MOVE ? "layer move" : "push",
	    j->fn->name, j->env->name);
	if (!j->special) {
		queue_job_run(j);
		return;
	}
	hooks.event = queue_on_lock;
	hooks.record = queue_lock_rec;
	hooks.arg = j;
	j->lock = queue_lock_start(j->q->loop, j->id, j->aenv, j->env, j->fn,
	    j->commit, &hooks);
}

void
queue_job_finish(struct queue_job *j, const char *outcome,
    const struct dlc_err *err)
{
	const struct push_result *r = j->push != NULL ?
	    push_job_result(j->push) : NULL;
	cJSON *rec, *layers;

	if (j->state == QUEUE_SCHED_ENDED)
		return;
	if (!j->queued) {
		/* Ended before git answered: its record comes first, commit unknown. */
		git_head_free(j->git);
		j->git = NULL;
		j->queued = 1;
		queue_rewrite_queued(j);
	}
	j->state = QUEUE_SCHED_ENDED;
	j->holding = 0;
	snprintf(j->outcome, sizeof j->outcome, "%s", outcome);
	dlc_err_clear(&j->err);
	if (err != NULL)
		j->err = *err;
	j->reason[0] = '\0';
	rec = queue_rec(j, "end");
	cJSON_AddStringToObject(rec, "outcome", outcome);
	if (r != NULL && r->local_sha256[0] != '\0')
		cJSON_AddStringToObject(rec, "code_sha256", r->local_sha256);
	else
		cJSON_AddNullToObject(rec, "code_sha256");
	if (r != NULL && r->remote_sha256[0] != '\0')
		cJSON_AddStringToObject(rec, "previous_sha256", r->remote_sha256);
	else
		cJSON_AddNullToObject(rec, "previous_sha256");
	layers = cJSON_AddArrayToObject(rec, "layers");
	if (r != NULL && r->layer_version_arn[0] != '\0')
		cJSON_AddItemToArray(layers,
		    cJSON_CreateString(r->layer_version_arn));
	else if (j->kind == PUSH_MOVE && j->opts.move_to_arn != NULL)
		cJSON_AddItemToArray(layers,
		    cJSON_CreateString(j->opts.move_to_arn));
	if (j->kept != NULL)
		cJSON_AddStringToObject(rec, "package", j->kept);
	else
		cJSON_AddNullToObject(rec, "package");
	queue_rec_err(rec, err);
	queue_append(j, rec);
	queue_log_note(j, "-- ended: %s%s%s", outcome, err != NULL ? ": " : "",
	    err != NULL ? err->message : "");
	/*
	 * The locks go once the end is appended: the next holder reads it.
	 * Until RELEASED the job still counts as a running special.
	 */
	if (j->lock != NULL)
		queue_lock_release(j->lock);
	queue_notify(j->q, j->id);
	queue_poke(j->q);
}

/* ---- the pump ---- */

/* A held step: fail, skip or let it go, as what holds it says. */
static void
queue_job_gate(struct queue_job *j)
{
	struct dlc_err err;

	if (!j->holding || j->push == NULL ||
	    push_job_held(j->push) == PUSH_STEP_COUNT)
		return;
	dlc_err_clear(&err);
	if (j->journal_failed) {
		err = j->journal_err;
		dlc_err_fix(&err, "the journal could not be written, so the "
		    "push stopped before its %s step: free disk space under "
		    "the state folder and retry it", push_step_name(j->held));
		j->holding = 0;
		push_job_fail(j->push, &err);
		return;
	}
	if (j->lock != NULL && queue_lock_check(j->lock, &err) != 0) {
		j->holding = 0;
		push_job_fail(j->push, &err);
		return;
	}
	if (j->skip_asked) {
		j->holding = 0;
		push_job_skip(j->push);
		return;
	}
	if (j->unsynced > 0)
		return;
	if (j->q->step_mode && !j->step_ok) {
		char reason[600];

		snprintf(reason, sizeof reason, "step mode: next is %s",
		    queue_step_text(j));
		queue_set_reason(j, reason);
		return;
	}
	j->step_ok = 0;
	j->holding = 0;
	j->held = PUSH_STEP_COUNT;
	queue_set_reason(j, "");
	push_job_resume(j->push);
	queue_notify(j->q, j->id);
}

static const char *
queue_wait_reason(struct queue *q, struct queue_job *j,
    const struct queue_sched_job *sj, struct queue_job **all, char *buf,
    size_t len)
{
	const struct queue_job *b;
	int parallel = q->cfg != NULL && q->cfg->queue_parallel > 0 ?
	    q->cfg->queue_parallel : QUEUE_SCHED_PARALLEL_DEFAULT;

	(void)j;
	switch (sj->why) {
	case QUEUE_SCHED_PAUSED:
		return "queue paused";
	case QUEUE_SCHED_FULL:
		snprintf(buf, len, "%d ordinary job%s running", parallel,
		    parallel == 1 ? "" : "s");
		return buf;
	case QUEUE_SCHED_SPECIAL:
		b = all[sj->behind];
		if (b->state == QUEUE_SCHED_RUNNING)
			snprintf(buf, len, "special deploy of %s to %s by %s "
			    "since %s (job %s)", b->fn->name, b->env->name,
			    q->me, b->since, b->id);
		else
			snprintf(buf, len, "special deploy of %s to %s (job "
			    "%s) queued before it", b->fn->name, b->env->name,
			    b->id);
		return buf;
	case QUEUE_SCHED_START:
		break;
	}
	return "";
}

static void
queue_pump(void *arg)
{
	struct queue *q = arg;
	struct queue_sched_job *sj;
	struct queue_job **all, *j;
	size_t n = 0, i;
	char buf[600];
	int parallel = q->cfg != NULL && q->cfg->queue_parallel > 0 ?
	    q->cfg->queue_parallel : QUEUE_SCHED_PARALLEL_DEFAULT;

	for (j = q->jobs; j != NULL; j = j->next)
		queue_job_gate(j);
	for (j = q->jobs; j != NULL; j = j->next)
		n++;
	sj = xcalloc(n + 1, sizeof *sj);
	all = xcalloc(n + 1, sizeof *all);
	for (i = 0, j = q->jobs; j != NULL; j = j->next, i++) {
		all[i] = j;
		sj[i].state = j->state == QUEUE_SCHED_ENDED && j->lock != NULL ?
		    QUEUE_SCHED_RUNNING : j->state;
		sj[i].special = j->special;
		sj[i].order = j->order;
	}
	queue_sched_pick(sj, n, parallel, q->paused);
	for (i = 0; i < n; i++) {
		if (sj[i].state != QUEUE_SCHED_WAITING)
			continue;
		if (!all[i]->queued)
			continue;	/* no record before its "queued" */
		if (sj[i].why == QUEUE_SCHED_START)
			queue_job_start(all[i]);
		else
			queue_set_reason(all[i], queue_wait_reason(q, all[i],
			    &sj[i], all, buf, sizeof buf));
	}
	free(sj);
	free(all);
}

void
queue_poke(struct queue *q)
{
	if (!loop_timer_pending(q->pump))
		loop_timer_start(q->pump, 0);
}

/* ---- the queue ---- */

struct queue *
queue_new(struct loop *loop, struct journal *journal,
    const struct dlc_config *cfg, struct dlc_err *err)
{
	struct queue *q;
	char *probe, *me;

	probe = state_dir_path("jobs/x.log");
	if (state_dir_make_parents(probe, err) != 0) {
		free(probe);
		return NULL;
	}
	free(probe);
	q = xcalloc(1, sizeof *q);
	q->loop = loop;
	q->journal = journal;
	q->cfg = cfg;
	q->life = xcalloc(1, sizeof *q->life);
	q->life->q = q;
	q->pump = loop_timer_new(loop, queue_pump, q);
	me = whoami();
	snprintf(q->me, sizeof q->me, "%s", me);
	free(me);
	queue_others_start(q);
	return q;
}

void
queue_free(struct queue *q)
{
	struct queue_job *j, *next;

	if (q == NULL)
		return;
	for (j = q->jobs; j != NULL; j = next) {
		next = j->next;
		git_head_free(j->git);
		package_keep_free(j->keep);
		free(j->kept);
		push_job_free(j->push);
		queue_lock_free(j->lock);
		if (j->log_fd >= 0)
			close(j->log_fd);
		free(j->log_path);
		free(j->package);
		free(j->rollback_of);
		free(j);
	}
	queue_others_stop(q);
	loop_timer_free(q->pump);
	q->life->q = NULL;
	if (q->life->refs == 0)
		free(q->life);
	free(q);
}

static const char *
queue_kind_name(enum push_kind kind, const struct push_options *opts)
{
	if (opts->package_path != NULL)
		return "rollback";
	return kind == PUSH_LAYER ? "layer" : kind == PUSH_MOVE ? "move" :
	    "code";
}

/* The "queued" record: also written again by a retry, same id. */
void
queue_rewrite_queued(struct queue_job *j)
{
	cJSON *rec = queue_rec(j, "queued");
	char *remote = dlc_env_remote_name(j->env, j->fn->remote_base != NULL ?
	    j->fn->remote_base : j->fn->name);

	cJSON_AddStringToObject(rec, "env", j->env->name);
	cJSON_AddStringToObject(rec, "function", j->fn->name);
	cJSON_AddStringToObject(rec, "remote", remote);
	free(remote);
	cJSON_AddStringToObject(rec, "kind", queue_kind_name(j->kind,
	    &j->opts));
	cJSON_AddBoolToObject(rec, "special", j->special);
	if (j->commit[0] != '\0')
		cJSON_AddStringToObject(rec, "commit", j->commit);
	else
		cJSON_AddNullToObject(rec, "commit");
	cJSON_AddNumberToObject(rec, "order", (double)j->order);
	if (j->rollback_of != NULL)
		cJSON_AddStringToObject(rec, "rollback_of", j->rollback_of);
	if (j->package != NULL)
		cJSON_AddStringToObject(rec, "package", j->package);
	if (j->retries > 0)
		cJSON_AddNumberToObject(rec, "retry", j->retries);
	queue_append(j, rec);
}

static void
queue_got_commit(const char *commit, void *arg)
{
	struct queue_job *j = arg;

	git_head_free(j->git);
	j->git = NULL;
	snprintf(j->commit, sizeof j->commit, "%s", commit != NULL ? commit :
	    "");
	j->queued = 1;
	queue_rewrite_queued(j);
	queue_notify(j->q, j->id);
	queue_poke(j->q);
}

/*
 * The "queued" record names the commit the folder is at, which git finds
 * in a child: until then the job keeps its place but does not start.
 */
void
queue_find_commit(struct queue_job *j)
{
	struct dlc_err err;

	j->queued = 0;
	dlc_err_clear(&err);
	j->git = git_head_start(j->q->loop, j->fn->dir, queue_got_commit, j,
	    &err);
	if (j->git == NULL)
		queue_got_commit(NULL, j);
}

static struct queue_job *
queue_add_job(struct queue *q, struct aws_env *aenv, const struct dlc_env *env,
    const struct local_function *fn, enum push_kind kind,
    const struct push_options *opts, const char *rollback_of,
    struct dlc_err *err)
{
	struct queue_job *j, **tail;
	char rel[64];

	if (push_policy_check(env, opts->confirmed, opts->dry_run, err) != 0)
		return NULL;
	j = xcalloc(1, sizeof *j);
	j->q = q;
	journal_new_id(j->id);
	j->aenv = aenv;
	j->env = env;
	j->fn = fn;
	j->kind = kind;
	j->opts = *opts;
	j->opts.gate = NULL;
	j->opts.gate_arg = NULL;
	if (opts->package_path != NULL) {
		j->package = xstrdup(opts->package_path);
		j->opts.package_path = j->package;
	}
	if (rollback_of != NULL)
		j->rollback_of = xstrdup(rollback_of);
	j->special = fn->special != 0;
	j->state = QUEUE_SCHED_WAITING;
	j->held = PUSH_STEP_COUNT;
	/* Milliseconds then a sequence: other processes' jobs sort among ours. */
	j->order = journal_now_ms() * 1000 + (int64_t)(q->seq++ % 1000);
	snprintf(rel, sizeof rel, "jobs/%s.log", j->id);
	j->log_path = state_dir_path(rel);
	j->log_fd = open(j->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600);
	for (tail = &q->jobs; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = j;
	queue_log_note(j, "-- queued: %s of %s to %s", queue_kind_name(kind,
	    opts), fn->name, env->name);
	queue_find_commit(j);
	return j;
}

struct queue_job *
queue_add(struct queue *q, struct aws_env *aenv, const struct dlc_env *env,
    const struct local_function *fn, enum push_kind kind,
    const struct push_options *opts, struct dlc_err *err)
{
	return queue_add_job(q, aenv, env, fn, kind, opts, NULL, err);
}

struct queue_job *
queue_add_rollback(struct queue *q, struct aws_env *aenv,
    const struct dlc_env *env, const struct local_function *fn,
    const struct push_options *opts, const char *rollback_of,
    struct dlc_err *err)
{
	if (opts->package_path == NULL) {
		dlc_err_set(err, "NoPackage", "a rollback of %s needs the kept "
		    "package to send", fn->name);
		return NULL;
	}
	return queue_add_job(q, aenv, env, fn, fn->is_layer ? PUSH_LAYER :
	    PUSH_CODE, opts, rollback_of, err);
}
