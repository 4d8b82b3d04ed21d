/* The console's deploy queue: made, fed, observed, and keyed (queue-console.h). */
#include "ui.h"
#include "jobs.h"
#include "queue-console.h"
#include "queue-rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws.h"
#include "drift-cache.h"
#include "joblog.h"
#include "journal.h"
#include "queue.h"
#include "timeutil.h"
#include "xmalloc.h"

/* A job this dlc queued: its options live as long as the console. */
struct queue_console_own {
	char				 id[16];
	size_t				 env;
	int				 reported;	/* its end was said */
	struct push_options		 opts;
	char				 confirmed[128];
	char				 package[1024];	/* a rollback's kept zip */
	char				 last_line[256];	/* its log's, read at most once a second */
	time_t				 line_at;
	struct queue_console_own	*next;
};

struct queue_console {
	struct queue_console_own	*own;
	int				 interrupted_said;
	struct aws_call			*verify_call;	/* v: one at a time */
	void				*verify_ctx;
};

#define QUEUE_CONSOLE_ROWS	128

static struct queue_console_own *
queue_console_own_find(struct ui *ui, const char *id)
{
	struct queue_console_own *o;

	if (ui->qc == NULL || id == NULL)
		return NULL;
	for (o = ui->qc->own; o != NULL; o = o->next)
		if (strcmp(o->id, id) == 0)
			return o;
	return NULL;
}

int
queue_console_owns(struct ui *ui, const char *id)
{
	return queue_console_own_find(ui, id) != NULL;
}

/*
 * The journal has a build's last line only when a progress record
 * happens to follow it; our own running job's log has it now. Read at
 * most once a second per job: the strip draws far more often.
 */
const char *
queue_console_last_line(struct ui *ui, const char *id)
{
	struct queue_console_own *o = queue_console_own_find(ui, id);
	time_t now = timeutil_now();

	if (o == NULL)
		return "";
	if (o->line_at != now) {
		o->line_at = now;
		joblog_last_line(o->id, o->last_line, sizeof o->last_line);
	}
	return o->last_line;
}

/* The strip grows a row per job (up to a few): the frame is laid out again when it must. */
static void
queue_console_relayout(struct ui *ui)
{
	int have;

	if (ui->w_queue == NULL || ui->compact)
		return;
	have = getmaxy(ui->w_queue) - 1;
	if (have != queue_strip_rows(ui))
		ui_dirty(ui, UI_DIRTY_LAYOUT | UI_DIRTY_ALL);
}

/* Interrupted jobs found in the journal are said once, with what to do. */
void
queue_console_interrupted(struct ui *ui)
{
	struct queue_row *rows;
	size_t n, i, count = 0, first = 0;

	if (ui->qc == NULL || ui->queue == NULL || ui->qc->interrupted_said)
		return;
	rows = xcalloc(QUEUE_CONSOLE_ROWS, sizeof *rows);
	n = queue_rows(ui, rows, QUEUE_CONSOLE_ROWS);
	for (i = 0; i < n && i < QUEUE_CONSOLE_ROWS; i++)
		if (rows[i].state == QROW_INTERRUPTED && count++ == 0)
			first = i;
	if (count > 0) {
		ui->qc->interrupted_said = 1;
		ui_message(ui, 1, "%zu interrupted job%s in the journal: %s %.100s to %.40s "
		    "stopped in %s (job %s)%s  Q: the queue view, v: verify, r: retry",
		    count, count > 1 ? "s" : "", queue_row_verb(&rows[first]),
		    rows[first].function, rows[first].env, rows[first].step, rows[first].id,
		    count > 1 ? ", ..." : ".");
	}
	free(rows);
}

/* One of ours ended: the status line says how, and what is deployed is read again. */
static void
queue_console_ended(struct ui *ui, struct queue_console_own *o, const struct queue_row *r)
{
	o->reported = 1;
	if (strcmp(r->outcome, "deployed") == 0) {
		ui_message(ui, 0, "%s deployed to %s and verified", r->function, r->env);
	} else if (strcmp(r->outcome, "failed") == 0) {
		struct dlc_err err = r->error;

		if (err.what[0] == '\0')
			dlc_err_what(&err, "%s %s to %s (job %s)", queue_row_verb(r), r->function,
			    r->env, r->id);
		ui_error(ui, &err);
	} else {
		ui_message(ui, 0, "%s: %s in %s", r->function, r->outcome, r->env);
	}
	drift_cache_forget(ui->drift, r->function);
	model_refresh_functions(ui->model, o->env);
}

static void
queue_console_changed(struct queue *q, const char *job_id, void *arg)
{
	struct ui *ui = arg;
	struct queue_console_own *o = queue_console_own_find(ui, job_id);
	struct queue_row r;

	(void)q;
	ui_dirty(ui, UI_DIRTY_QUEUE | UI_DIRTY_MAIN);
	queue_console_relayout(ui);
	if (o == NULL || o->reported || queue_row_find(ui, job_id, &r) != 0)
		return;
	if (r.state == QROW_ENDED)
		queue_console_ended(ui, o, &r);
}

void
queue_console_open(struct ui *ui)
{
	struct dlc_err err;

	ui->qc = xcalloc(1, sizeof *ui->qc);
	dlc_err_clear(&err);
	ui->journal = journal_open(ui->ctx->aws.loop, &err);
	if (ui->journal != NULL)
		ui->queue = queue_new(ui->ctx->aws.loop, ui->journal, &ui->ctx->cfg, &err);
	if (ui->queue == NULL) {
		/* Pushes still run, one by one and unjournalled: say so. */
		dlc_err_what(&err, "the deploy queue");
		ui_error(ui, &err);
		return;
	}
	queue_set_observer(ui->queue, queue_console_changed, ui);
}

void
queue_console_close(struct ui *ui)
{
	struct queue_console_own *o;

	if (ui->qc != NULL && ui->qc->verify_call != NULL) {
		aws_call_cancel(ui->qc->verify_call);
		free(ui->qc->verify_ctx);
		ui->qc->verify_call = NULL;
	}
	queue_free(ui->queue);
	ui->queue = NULL;
	journal_free(ui->journal);
	ui->journal = NULL;
	if (ui->qc == NULL)
		return;
	while ((o = ui->qc->own) != NULL) {
		ui->qc->own = o->next;
		free(o);
	}
	free(ui->qc);
	ui->qc = NULL;
}

/* Queues one push or rollback (package non-NULL) of ours. */
static int
queue_console_add(struct ui *ui, size_t env, struct model_function *mf, enum push_kind kind,
    const char *package, const char *rollback_of, const char *confirmed, struct dlc_err *err)
{
	struct model_env *me = model_env_at(ui->model, env);
	struct queue_console_own *o;
	struct queue_job *qj;

	/* Refused now, not when its turn comes: the question was just answered. */
	if (push_policy_check(me->conf, confirmed, 0, err) != 0)
		return -1;
	o = xcalloc(1, sizeof *o);
	o->env = env;
	snprintf(o->confirmed, sizeof o->confirmed, "%s", confirmed != NULL ? confirmed : "");
	o->opts.confirmed = confirmed != NULL ? o->confirmed : NULL;
	if (package != NULL) {
		snprintf(o->package, sizeof o->package, "%s", package);
		o->opts.package_path = o->package;
	}
	/* Listed before queue_add, whose observer may already report the job. */
	o->next = ui->qc->own;
	ui->qc->own = o;
	if (package != NULL)
		qj = queue_add_rollback(ui->queue, me->aenv, me->conf, mf->local, &o->opts,
		    rollback_of, err);
	else
		qj = queue_add(ui->queue, me->aenv, me->conf, mf->local, kind, &o->opts, err);
	if (qj == NULL) {
		ui->qc->own = o->next;
		free(o);
		return -1;
	}
	snprintf(o->id, sizeof o->id, "%s", queue_job_id(qj));
	ui_dirty(ui, UI_DIRTY_QUEUE | UI_DIRTY_MAIN);
	queue_console_relayout(ui);
	return 0;
}

int
queue_console_push(struct ui *ui, size_t env, struct model_function *mf, enum push_kind kind,
    const char *confirmed, struct dlc_err *err)
{
	return queue_console_add(ui, env, mf, kind, NULL, NULL, confirmed, err);
}

int
queue_console_rollback(struct ui *ui, size_t env, struct model_function *mf,
    const char *package, const char *rollback_of, const char *confirmed, struct dlc_err *err)
{
	return queue_console_add(ui, env, mf, PUSH_CODE, package, rollback_of, confirmed, err);
}

const char *
queue_console_current(struct ui *ui)
{
	static char id[16];
	struct queue_row *rows;
	size_t n;

	rows = xcalloc(QUEUE_CONSOLE_ROWS, sizeof *rows);
	n = queue_rows(ui, rows, QUEUE_CONSOLE_ROWS);
	/* Running first, then waiting, interrupted, and the newest ended one. */
	snprintf(id, sizeof id, "%s", n > 0 ? rows[0].id : "");
	free(rows);
	return id[0] != '\0' ? id : NULL;
}

/* A queue call's refusal, on the status line. */
static void
queue_console_refused(struct ui *ui, const char *key, const char *id)
{
	const struct dlc_err *why = queue_error(ui->queue);

	ui_message(ui, 1, "%s on job %s: %s", key, id, why != NULL && why->message[0] != '\0' ?
	    why->message : "refused");
}

int
queue_console_action(struct ui *ui, const char *id, const char *action)
{
	static const struct {
		const char	*action, *key, *done;
		int		(*fn)(struct queue *, const char *);
	} per_job[] = {
		{ "step-next", "n", "runs its next step", queue_next },
		{ "step-skip", "s", "skips its remaining steps", queue_skip },
		{ "job-cancel", "c", "is cancelled", queue_cancel },
		{ "job-retry", "r", "is queued again from the step that failed", queue_retry },
	};
	struct queue *q = ui->queue;
	size_t i;

	if (strcmp(action, "queue-pause") == 0) {
		if (q == NULL)
			goto none;
		queue_pause(q, !queue_paused(q));
		ui_message(ui, 0, queue_paused(q) ? "queue paused: no job starts its next step "
		    "(p resumes)" : "queue resumed");
		ui_dirty(ui, UI_DIRTY_ALL);
		return 1;
	}
	if (strcmp(action, "step-mode") == 0) {
		if (q == NULL)
			goto none;
		queue_set_step_mode(q, !queue_step_mode(q));
		ui_message(ui, 0, queue_step_mode(q) ? "step mode on: each step waits for n "
		    "(s skips the job's steps, c cancels it)" : "step mode off");
		ui_dirty(ui, UI_DIRTY_ALL);
		return 1;
	}
	if (strcmp(action, "move-up") == 0 || strcmp(action, "move-down") == 0) {
		if (q == NULL)
			goto none;
		if (id == NULL)
			goto no_job;
		if (queue_move(q, id, strcmp(action, "move-up") == 0 ? -1 : 1) != 0)
			queue_console_refused(ui, strcmp(action, "move-up") == 0 ? "K" : "J", id);
		ui_dirty(ui, UI_DIRTY_ALL);
		return 1;
	}
	if (strcmp(action, "job-verify") == 0) {
		if (q == NULL)
			goto none;
		if (id == NULL)
			goto no_job;
		if (ui->qc->verify_call != NULL) {
			ui_message(ui, 0, "a verify is running: its answer comes first");
			return 1;
		}
		ui->qc->verify_call = job_verify_start(ui, id, &ui->qc->verify_ctx);
		return 1;
	}
	for (i = 0; i < sizeof per_job / sizeof per_job[0]; i++) {
		if (strcmp(action, per_job[i].action) != 0)
			continue;
		if (q == NULL)
			goto none;
		if (id == NULL)
			goto no_job;
		if (per_job[i].fn(q, id) != 0)
			queue_console_refused(ui, per_job[i].key, id);
		else
			ui_message(ui, 0, "job %s %s", id, per_job[i].done);
		ui_dirty(ui, UI_DIRTY_ALL);
		return 1;
	}
	return 0;
none:
	ui_message(ui, 1, "no deploy queue in this console (see e): pushes run one by one");
	return 1;
no_job:
	ui_message(ui, 0, "no job selected: the queue is empty");
	return 1;
}

int
queue_console_strip_action(struct ui *ui, const char *action)
{
	struct pane *top = ui_top(ui);

	/* Enter opens a job's row, and the strip has none to choose: never the list's behind it. */
	if (strcmp(action, "select") == 0) {
		ui_message(ui, 0, "the queue strip has focus: Q opens the queue view, where Enter "
		    "opens a job; Tab or Esc goes back to the %s", top != NULL ? top->ops->name : "view");
		return 1;
	}
	return queue_console_action(ui, queue_console_current(ui), action);
}

void
queue_console_toggle_view(struct ui *ui)
{
	int i;

	for (i = ui->depth - 1; i >= 0; i--)
		if (ui->stack[i].ops == &pane_queue_ops)
			break;
	if (i < 0) {
		ui_push(ui, &pane_queue_ops, NULL);
		return;
	}
	/* Back to the view the queue was opened from. */
	while (ui->depth > i)
		ui_pop(ui);
}

void
queue_console_verify_done(struct ui *ui)
{
	if (ui->qc == NULL)
		return;
	ui->qc->verify_call = NULL;
	ui->qc->verify_ctx = NULL;
}
