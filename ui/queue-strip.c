/*
 * The queue strip: the deploy queue's jobs (this dlc's and, through the
 * journal, other dlc processes' on the machine) and the console's other
 * jobs (b, i, d), one line each: live queue jobs first (running with the
 * step, a progress bar where the step has one, elapsed time and the
 * build's last output line; waiting with the reason), then the newest
 * others with how they ended. Q expands it to the queue view.
 */
#include "ui.h"
#include "jobs.h"
#include "queue-rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "timeutil.h"
#include "xmalloc.h"

#define QUEUE_STRIP_MAX_ROWS	3
/* Enough queue rows that the strip's few are the right ones. */
#define QUEUE_STRIP_QROWS	32

/* One line of the strip: a queue job or a console job. */
struct queue_strip_entry {
	const struct queue_row	*row;
	struct ui_job		*job;
	int			 live;
	int64_t			 when_ms;
};

static int
queue_strip_cmp(const void *a, const void *b)
{
	const struct queue_strip_entry *x = a, *y = b;

	if (x->live != y->live)
		return y->live - x->live;
	/* Live queue jobs keep the queue's order (the index breaks ties). */
	if (x->live)
		return x->row < y->row ? -1 : x->row > y->row;
	return x->when_ms < y->when_ms ? 1 : x->when_ms > y->when_ms ? -1 : 0;
}

/*
 * The strip's entries, most relevant first; returns how many (up to max).
 * rows must hold QUEUE_STRIP_QROWS.
 */
static size_t
queue_strip_entries(struct ui *ui, struct queue_row *rows, struct queue_strip_entry *out,
    size_t max)
{
	struct queue_strip_entry *all;
	struct ui_job *j;
	size_t nq, n = 0, i;

	nq = queue_rows(ui, rows, QUEUE_STRIP_QROWS);
	if (nq > QUEUE_STRIP_QROWS)
		nq = QUEUE_STRIP_QROWS;
	all = xcalloc(nq + jobs_count(ui) + 1, sizeof *all);
	for (i = 0; i < nq; i++, n++) {
		all[n].row = &rows[i];
		all[n].live = rows[i].state != QROW_ENDED;
		all[n].when_ms = rows[i].ended_ms > 0 ? rows[i].ended_ms : rows[i].queued_ms;
	}
	for (j = ui->jobs; j != NULL; j = j->next, n++) {
		all[n].job = j;
		all[n].when_ms = (int64_t)j->started * 1000;
	}
	qsort(all, n, sizeof *all, queue_strip_cmp);
	if (n > max)
		n = max;
	memcpy(out, all, n * sizeof *out);
	free(all);
	return n;
}

static size_t
queue_strip_count(struct ui *ui)
{
	struct queue_row *rows = xcalloc(QUEUE_STRIP_QROWS, sizeof *rows);
	size_t n = queue_rows(ui, rows, QUEUE_STRIP_QROWS);

	free(rows);
	return n + jobs_count(ui);
}

int
queue_strip_rows(struct ui *ui)
{
	size_t n = queue_strip_count(ui);

	return n == 0 ? 1 : n > QUEUE_STRIP_MAX_ROWS ? QUEUE_STRIP_MAX_ROWS : (int)n;
}

int
queue_strip_empty(struct ui *ui)
{
	return queue_strip_count(ui) == 0;
}

/* "upload 1.2MB/3.4MB: sending inline" from the running step. */
static void
queue_strip_push_step(const struct push_job *pj, char *buf, size_t len)
{
	enum push_step s = push_job_current(pj);
	const struct push_step_info *si = push_job_step(pj, s);
	char done[32], total[32];

	if (si->total > 0 && (s == PUSH_STEP_PACKAGE || s == PUSH_STEP_UPLOAD)) {
		table_format_size((long long)si->done, done, sizeof done);
		table_format_size((long long)si->total, total, sizeof total);
		snprintf(buf, len, "%s %s/%s %s", push_step_name(s), done, total, si->detail);
	} else if (si->total > 0) {
		snprintf(buf, len, "%s %llu/%llu %s", push_step_name(s),
		    (unsigned long long)si->done, (unsigned long long)si->total, si->detail);
	} else {
		snprintf(buf, len, "%s %s", push_step_name(s), si->detail);
	}
}

static void
queue_strip_job_line(struct ui_job *j, char *buf, size_t len)
{
	char what[600], age[32];

	if (j->state != UI_JOB_RUNNING)
		snprintf(what, sizeof what, "%s", j->brief);
	else if (j->push != NULL)
		queue_strip_push_step(j->push, what, sizeof what);
	else
		snprintf(what, sizeof what, "%s", j->progress);
	snprintf(age, sizeof age, "%lds", (long)(timeutil_now() - j->started));
	snprintf(buf, len, "%s %.100s in %.60s: %.400s", jobs_kind_name(j->kind), j->target, j->env, what);
	if (j->state == UI_JOB_RUNNING) {
		size_t off = strlen(buf);

		snprintf(buf + off, len - off, "  (%s)", age);
	}
}

void
queue_strip_row_line(const struct queue_row *r, char *buf, size_t len)
{
	char what[700], bar[24];
	size_t off;

	queue_row_brief(r, what, sizeof what);
	snprintf(buf, len, "%s %.100s in %.60s: %.500s", queue_row_verb(r), r->function, r->env, what);
	off = strlen(buf);
	if (r->state == QROW_RUNNING) {
		queue_row_bar(r, 12, bar, sizeof bar);
		snprintf(buf + off, len - off, "%s%s  (%lds)", bar[0] != '\0' ? "  " : "", bar,
		    queue_row_elapsed(r));
		off = strlen(buf);
		if (r->line[0] != '\0')
			snprintf(buf + off, len - off, "  | %.200s", r->line);
	}
	off = strlen(buf);
	if (!r->own)
		snprintf(buf + off, len - off, "  [%s]", r->who);
}

int
queue_strip_row_role(const struct queue_row *r)
{
	switch (r->state) {
	case QROW_RUNNING:
		return ROLE_QUEUE_RUNNING;
	case QROW_WAITING:
		return ROLE_QUEUE_WAITING;
	case QROW_INTERRUPTED:
		return ROLE_WARN;
	default:
		return strcmp(r->outcome, "failed") == 0 || strcmp(r->outcome, "cancelled") == 0 ?
		    ROLE_ERROR : ROLE_OK;
	}
}

void
queue_strip_draw(struct ui *ui, WINDOW *win, int row, int rows, int cols)
{
	struct queue_row *qrows = xcalloc(QUEUE_STRIP_QROWS, sizeof *qrows);
	struct queue_strip_entry e[QUEUE_STRIP_MAX_ROWS];
	size_t n, i;
	char line[1200];

	n = queue_strip_entries(ui, qrows, e, QUEUE_STRIP_MAX_ROWS);
	for (i = 0; i < n && rows > 0; i++, row++, rows--) {
		int role;

		if (e[i].row != NULL) {
			queue_strip_row_line(e[i].row, line, sizeof line);
			role = queue_strip_row_role(e[i].row);
		} else {
			queue_strip_job_line(e[i].job, line, sizeof line);
			role = e[i].job->state == UI_JOB_RUNNING ? ROLE_QUEUE_RUNNING :
			    e[i].job->state == UI_JOB_OK ? ROLE_OK : ROLE_ERROR;
		}
		draw_fill(win, row, ROLE_NORMAL);
		draw_text(win, row, 1, cols - 1, line, role, 0);
	}
	free(qrows);
}
