/* The queue's jobs as flat rows for the strip and the queue view (queue-rows.h). */
#include "ui.h"
#include "queue-rows.h"
#include "queue-console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobstate.h"
#include "queue.h"
#include "rollback.h"
#include "table.h"
#include "timeutil.h"
#include "verify-job.h"
#include "xmalloc.h"

static enum queue_row_state
queue_rows_state(enum jobstate_state s)
{
	switch (s) {
	case JOBSTATE_RUNNING:
		return QROW_RUNNING;
	case JOBSTATE_WAITING:
		return QROW_WAITING;
	case JOBSTATE_INTERRUPTED:
		return QROW_INTERRUPTED;
	default:
		return QROW_ENDED;
	}
}

/* A field the fold may have left NULL. */
static const char *
queue_rows_s(const char *s)
{
	return s != NULL ? s : "";
}

/* The one place that reads struct jobstate (jobstate.h). */
static void
queue_rows_fill(struct ui *ui, const struct jobstate *js, struct queue_row *r)
{
	char *want;
	size_t i;

	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", js->id);
	r->state = queue_rows_state(js->state);
	snprintf(r->kind, sizeof r->kind, "%s", queue_rows_s(js->kind));
	snprintf(r->function, sizeof r->function, "%s", queue_rows_s(js->function));
	snprintf(r->env, sizeof r->env, "%s", queue_rows_s(js->env));
	r->special = js->special;
	r->own = queue_console_owns(ui, js->id);
	snprintf(r->who, sizeof r->who, "%s@%s pid %ld", queue_rows_s(js->user),
	    queue_rows_s(js->host), js->writer_pid);
	snprintf(r->step, sizeof r->step, "%s", queue_rows_s(js->step));
	snprintf(r->reason, sizeof r->reason, "%s", queue_rows_s(js->waiting));
	snprintf(r->outcome, sizeof r->outcome, "%s", queue_rows_s(js->outcome));
	snprintf(r->line, sizeof r->line, "%s", queue_rows_s(js->progress_line));
	r->done = js->progress_done > 0 ? (uint64_t)js->progress_done : 0;
	r->total = js->progress_total > 0 ? (uint64_t)js->progress_total : 0;
	dlc_err_clear(&r->error);
	/* A retried job that ended well keeps no stale error from its failed run. */
	if ((js->error_code != NULL || js->error_message != NULL) &&
	    (js->state != JOBSTATE_ENDED || js->outcome == NULL ||
	    strcmp(js->outcome, "failed") == 0 || strcmp(js->outcome, "cancelled") == 0)) {
		snprintf(r->error.code, sizeof r->error.code, "%s", queue_rows_s(js->error_code));
		snprintf(r->error.message, sizeof r->error.message, "%s",
		    queue_rows_s(js->error_message));
		snprintf(r->error.fix, sizeof r->error.fix, "%s", queue_rows_s(js->error_fix));
	}
	snprintf(r->package, sizeof r->package, "%s", queue_rows_s(js->package));
	snprintf(r->code_sha256, sizeof r->code_sha256, "%s", queue_rows_s(js->code_sha256));
	snprintf(r->remote, sizeof r->remote, "%s", queue_rows_s(js->remote));
	r->verified = js->verified;
	want = verify_job_package_sha(js);
	snprintf(r->want_sha, sizeof r->want_sha, "%s", want != NULL ? want : "");
	free(want);
	r->queued_ms = js->queued_ms;
	r->started_ms = js->started_ms;
	r->ended_ms = js->ended_ms;
	for (i = 0; i < js->nsteps && i < QROW_MAX_STEPS; i++) {
		const struct jobstate_step *st = &js->steps[i];
		struct queue_row_step *d = &r->steps[i];

		snprintf(d->name, sizeof d->name, "%s", queue_rows_s(st->name));
		snprintf(d->state, sizeof d->state, "%s", queue_rows_s(st->state));
		snprintf(d->detail, sizeof d->detail, "%s", queue_rows_s(st->detail));
		d->started_ms = st->started_ms;
		d->ended_ms = st->ended_ms;
		/* The job's error belongs to the step that failed. */
		if (strcmp(d->state, "failed") == 0 && dlc_err_isset(&r->error))
			snprintf(d->error, sizeof d->error, "%.60s: %.250s", r->error.code,
			    r->error.message);
		if (js->step != NULL && st->name != NULL && strcmp(st->name, js->step) == 0)
			snprintf(r->detail, sizeof r->detail, "%s", d->detail);
	}
	r->n_steps = i;
	if (r->own && r->state == QROW_RUNNING) {
		const char *line = queue_console_last_line(ui, r->id);

		if (*line != '\0')
			snprintf(r->line, sizeof r->line, "%s", line);
	}
}

static int64_t
queue_rows_latest(const struct queue_row *r)
{
	return r->ended_ms > 0 ? r->ended_ms : r->started_ms > 0 ? r->started_ms : r->queued_ms;
}

/* Running, waiting (the set's queue order kept), interrupted, then ended newest first. */
static int
queue_rows_cmp(const void *a, const void *b)
{
	const struct queue_row *x = a, *y = b;
	int64_t tx, ty;

	if (x->state != y->state)
		return (int)x->state - (int)y->state;
	if (x->state == QROW_WAITING)
		return x->seq < y->seq ? -1 : x->seq > y->seq;
	tx = queue_rows_latest(x);
	ty = queue_rows_latest(y);
	return tx < ty ? 1 : tx > ty ? -1 : strcmp(x->id, y->id);
}

size_t
queue_rows(struct ui *ui, struct queue_row *rows, size_t max)
{
	const struct jobstate_set *set;
	size_t i, n, kept = 0;

	if (ui->queue == NULL || (set = queue_jobs(ui->queue)) == NULL)
		return 0;
	n = jobstate_set_count(set);
	/* All of them, so the order is right before the first max are kept. */
	if (n > max) {
		struct queue_row *all = xcalloc(n, sizeof *all);

		for (i = 0; i < n; i++) {
			queue_rows_fill(ui, jobstate_set_nth(set, i), &all[i]);
			all[i].seq = i;
		}
		qsort(all, n, sizeof *all, queue_rows_cmp);
		memcpy(rows, all, max * sizeof *rows);
		free(all);
		return n;
	}
	for (i = 0; i < n; i++) {
		queue_rows_fill(ui, jobstate_set_nth(set, i), &rows[kept]);
		rows[kept++].seq = i;
	}
	qsort(rows, kept, sizeof *rows, queue_rows_cmp);
	return n;
}

int
queue_row_find(struct ui *ui, const char *id, struct queue_row *row)
{
	const struct jobstate_set *set;
	const struct jobstate *js;

	if (ui->queue == NULL || id == NULL || (set = queue_jobs(ui->queue)) == NULL ||
	    (js = jobstate_set_find(set, id)) == NULL)
		return -1;
	queue_rows_fill(ui, js, row);
	return 0;
}

int
queue_row_rollback_target(struct ui *ui, const char *env, const char *function,
    const char *deployed, struct queue_row *row, struct dlc_err *err)
{
	const struct jobstate *js;

	if (ui->queue == NULL) {
		dlc_err_set(err, "NoQueue", "this console has no deploy queue");
		return -1;
	}
	js = rollback_target(queue_jobs(ui->queue), env, function, NULL,
	    deployed, err);
	if (js == NULL || rollback_package_kept(js, env, function, err) != 0)
		return -1;
	queue_rows_fill(ui, js, row);
	return 0;
}

const char *
queue_row_verb(const struct queue_row *r)
{
	if (strcmp(r->kind, "code") == 0)
		return "push";
	return r->kind;
}

void
queue_row_brief(const struct queue_row *r, char *buf, size_t len)
{
	char done[32], total[32];

	switch (r->state) {
	case QROW_WAITING:
		snprintf(buf, len, "waiting: %s", r->reason[0] != '\0' ? r->reason : "its turn");
		return;
	case QROW_INTERRUPTED:
		snprintf(buf, len, "interrupted in %s%s", r->step[0] != '\0' ? r->step : "its queue",
		    r->verified > 0 ? " (verified: deployed)" : r->verified < 0 ?
		    " (verified: not deployed)" : " (v: verify)");
		return;
	case QROW_ENDED:
		if (strcmp(r->outcome, "deployed") == 0)
			snprintf(buf, len, "deployed, verified");
		else if (strcmp(r->outcome, "failed") == 0 && r->error.code[0] != '\0')
			snprintf(buf, len, "%s", r->error.code);
		else
			snprintf(buf, len, "%s", r->outcome[0] != '\0' ? r->outcome : "ended");
		return;
	default:
		break;
	}
	if (r->total > 0 && (strcmp(r->step, "package") == 0 || strcmp(r->step, "upload") == 0)) {
		table_format_size((long long)r->done, done, sizeof done);
		table_format_size((long long)r->total, total, sizeof total);
		snprintf(buf, len, "%s %s/%s %s", r->step, done, total, r->detail);
	} else if (r->total > 0) {
		snprintf(buf, len, "%s %llu/%llu %s", r->step, (unsigned long long)r->done,
		    (unsigned long long)r->total, r->detail);
	} else {
		snprintf(buf, len, "%s %s", r->step, r->detail);
	}
}

void
queue_row_bar(const struct queue_row *r, int width, char *buf, size_t len)
{
	int fill, i;
	size_t off = 0;

	buf[0] = '\0';
	if (r->state != QROW_RUNNING || r->total == 0 || width < 3 || (size_t)width + 1 > len)
		return;
	fill = (int)((r->done > r->total ? r->total : r->done) * (uint64_t)(width - 2) / r->total);
	buf[off++] = '[';
	for (i = 0; i < width - 2; i++)
		buf[off++] = i < fill ? '#' : '.';
	buf[off++] = ']';
	buf[off] = '\0';
}

long
queue_row_elapsed(const struct queue_row *r)
{
	int64_t from = r->started_ms > 0 ? r->started_ms : r->queued_ms;
	int64_t to = r->ended_ms > 0 ? r->ended_ms : (int64_t)timeutil_now() * 1000;

	return from > 0 && to > from ? (long)((to - from) / 1000) : 0;
}
