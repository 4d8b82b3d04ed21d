/*
 * One deploy queue job (Enter in the queue view): who queued it and
 * where, its step history (each step's state, start, time taken, detail
 * and error) and its whole build log ($XDG_STATE_HOME/dlc/jobs/ID.log,
 * read by the engine: joblog.h), read again every second while the job
 * runs. Scrolls as the output view does, following the newest line while
 * the last one is on screen. Every line goes through the sanitiser.
 */
#include "ui.h"
#include "keys.h"
#include "queue-console.h"
#include "queue-rows.h"
#include "jobs.h"
#include "text-lines.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "joblog.h"
#include "timeutil.h"
#include "xmalloc.h"

#define PANE_QUEUE_JOB_LINES	5000

struct pane_queue_job {
	struct ui			*ui;
	char				 id[16];
	struct text_lines		 lines;
	time_t				 read_at;	/* the log was read last */
	int				 ended_read;	/* read once the job was over: final */
	struct buf			 log;
	size_t				 log_skipped;
	char				 log_err[1200];
	size_t				 top;
	int				 follow;
	int				 rows;
};

static void
pane_queue_job_addf(struct pane_queue_job *p, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pane_queue_job_addf(struct pane_queue_job *p, int role, const char *fmt, ...)
{
	char line[1400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	text_lines_add(&p->lines, role, 0, line, strlen(line));
}

static void
pane_queue_job_time(int64_t ms, char *buf, size_t len)
{
	if (ms <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	timeutil_format_iso((time_t)(ms / 1000), buf, len);
}

/* The log, read again when a second has passed and the job was not over at the last read. */
static void
pane_queue_job_read_log(struct pane_queue_job *p, const struct queue_row *r)
{
	struct dlc_err err;
	time_t now = timeutil_now();

	if (p->ended_read || (p->read_at != 0 && now - p->read_at < 1))
		return;
	p->read_at = now;
	p->ended_read = r->state == QROW_ENDED;
	buf_reset(&p->log);
	p->log_err[0] = '\0';
	dlc_err_clear(&err);
	if (joblog_read(p->id, 0, &p->log, &p->log_skipped, &err) != 0)
		snprintf(p->log_err, sizeof p->log_err, "%s: %s", err.code, err.message);
}

static void
pane_queue_job_build(struct pane_queue_job *p, const struct queue_row *r)
{
	char a[64], b[64];
	size_t i;
	const char *s, *nl;

	text_lines_clear(&p->lines);
	pane_queue_job_addf(p, ROLE_TITLE, "job %s: %s %s to %s%s", r->id, queue_row_verb(r),
	    r->function, r->env, r->special ? " (special: one at a time)" : "");
	pane_queue_job_addf(p, ROLE_DIM, "queued by %s%s", r->who, r->own ? " (this dlc)" : "");
	pane_queue_job_time(r->queued_ms, a, sizeof a);
	pane_queue_job_time(r->ended_ms, b, sizeof b);
	pane_queue_job_addf(p, ROLE_DIM, "queued %s, ended %s, %lds", a, b, queue_row_elapsed(r));
	{
		char brief[700];

		queue_row_brief(r, brief, sizeof brief);
		pane_queue_job_addf(p, queue_strip_row_role(r), "now: %s", brief);
	}
	if (dlc_err_isset(&r->error)) {
		pane_queue_job_addf(p, ROLE_ERROR, "error: %s: %s", r->error.code, r->error.message);
		if (r->error.fix[0] != '\0')
			pane_queue_job_addf(p, ROLE_ERROR, "fix: %s", r->error.fix);
	}
	text_lines_add(&p->lines, ROLE_NORMAL, 0, "", 0);
	pane_queue_job_addf(p, ROLE_COLUMN_HEADER, "%-8s %-10s %-20s %7s  %s", "STEP", "STATE",
	    "STARTED", "TOOK", "DETAIL");
	for (i = 0; i < r->n_steps; i++) {
		const struct queue_row_step *st = &r->steps[i];
		int64_t end = st->ended_ms > 0 ? st->ended_ms : (int64_t)timeutil_now() * 1000;

		pane_queue_job_time(st->started_ms, a, sizeof a);
		if (st->started_ms > 0 && end >= st->started_ms)
			snprintf(b, sizeof b, "%.1fs", (double)(end - st->started_ms) / 1000.0);
		else
			snprintf(b, sizeof b, "-");
		pane_queue_job_addf(p, strcmp(st->state, "failed") == 0 ? ROLE_ERROR :
		    strcmp(st->state, "running") == 0 ? ROLE_QUEUE_RUNNING : ROLE_NORMAL,
		    "%-8s %-10s %-20s %7s  %s", st->name, st->state, a, b, st->detail);
		if (st->error[0] != '\0')
			pane_queue_job_addf(p, ROLE_ERROR, "         %s", st->error);
	}
	text_lines_add(&p->lines, ROLE_NORMAL, 0, "", 0);
	pane_queue_job_read_log(p, r);
	if (p->log_err[0] != '\0') {
		pane_queue_job_addf(p, ROLE_DIM, "build log: %s", p->log_err);
		return;
	}
	pane_queue_job_addf(p, ROLE_COLUMN_HEADER, "build log (jobs/%s.log)%s", r->id,
	    p->log.len == 0 ? ": empty" : "");
	if (p->log_skipped > 0)
		pane_queue_job_addf(p, ROLE_DIM, "(%zu earlier bytes not shown)", p->log_skipped);
	for (s = p->log.data; s != NULL && *s != '\0'; s = nl + 1) {
		nl = strchr(s, '\n');
		if (nl == NULL) {
			text_lines_add(&p->lines, ROLE_NORMAL, 0, s, strlen(s));
			break;
		}
		text_lines_add(&p->lines, ROLE_NORMAL, 0, s, (size_t)(nl - s));
	}
}

static void *
pane_queue_job_init(struct ui *ui, const char *arg)
{
	struct pane_queue_job *p;
	struct queue_row r;

	if (arg == NULL || queue_row_find(ui, arg, &r) != 0)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->ui = ui;
	p->lines.max = PANE_QUEUE_JOB_LINES;
	snprintf(p->id, sizeof p->id, "%s", r.id);
	buf_init(&p->log, JOBLOG_MAX_BYTES + 1);
	p->follow = 0;
	p->rows = 10;
	return p;
}

static void
pane_queue_job_free(void *state)
{
	struct pane_queue_job *p = state;

	text_lines_clear(&p->lines);
	buf_free(&p->log);
	free(p);
}

static size_t
pane_queue_job_last_top(struct pane_queue_job *p)
{
	return p->lines.n > (size_t)p->rows ? p->lines.n - (size_t)p->rows : 0;
}

static void
pane_queue_job_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_queue_job *p = state;
	struct queue_row r;
	size_t i;
	int y = 0;

	if (queue_row_find(p->ui, p->id, &r) != 0) {
		draw_text(win, 1, 2, cols - 4, "this job is no longer in the queue", ROLE_DIM, 0);
		return;
	}
	pane_queue_job_build(p, &r);
	p->rows = rows;
	if (p->follow || p->top > pane_queue_job_last_top(p))
		p->top = pane_queue_job_last_top(p);
	for (i = p->top; i < p->lines.n && y < rows; i++, y++)
		draw_text(win, y, 1, cols - 2, p->lines.v[i].text, p->lines.v[i].role, 0);
}

static int
pane_queue_job_action(void *state, const char *action)
{
	struct pane_queue_job *p = state;
	size_t last = pane_queue_job_last_top(p);

	if (queue_console_action(p->ui, p->id, action))
		return 1;
	return pane_text_scroll(action, &p->top, &p->follow, last, p->rows,
	    p->lines.n);
}

static void
pane_queue_job_title(void *state, char *buf, size_t len)
{
	struct pane_queue_job *p = state;
	struct queue_row r;
	char brief[700];

	if (queue_row_find(p->ui, p->id, &r) != 0) {
		snprintf(buf, len, "job %s", p->id);
		return;
	}
	queue_row_brief(&r, brief, sizeof brief);
	snprintf(buf, len, "job %s: %s %s (%s): %s", r.id, queue_row_verb(&r), r.function, r.env,
	    brief);
}

const struct pane_ops pane_queue_job_ops = {
	"queue job", KEYCTX_LIST | KEYCTX_QUEUE,
	pane_queue_job_init, pane_queue_job_free, pane_queue_job_draw, pane_queue_job_action,
	NULL, pane_queue_job_title, NULL, NULL
};
