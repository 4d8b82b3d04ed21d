/*
 * The queue strip's job lines: the newest console jobs, one line each,
 * with the step running and its progress (bytes zipped or sent, the
 * waiter's polls and time left), or how the job ended. A push is read
 * only through its accessors (push.h), so the deploy queue can grow this
 * into a pane without the job changing.
 */
#include "ui.h"
#include "jobs.h"

#include <stdio.h>
#include <string.h>

#include "table.h"
#include "timeutil.h"

#define QUEUE_STRIP_MAX_ROWS	3

int
queue_strip_rows(struct ui *ui)
{
	size_t n = jobs_count(ui);

	return n == 0 ? 1 : n > QUEUE_STRIP_MAX_ROWS ? QUEUE_STRIP_MAX_ROWS : (int)n;
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
queue_strip_line(struct ui_job *j, char *buf, size_t len)
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
queue_strip_draw(struct ui *ui, WINDOW *win, int row, int rows, int cols)
{
	struct ui_job *j;
	char line[900];

	for (j = ui->jobs; j != NULL && rows > 0; j = j->next, row++, rows--) {
		int role = j->state == UI_JOB_RUNNING ? ROLE_QUEUE_RUNNING :
		    j->state == UI_JOB_OK ? ROLE_OK : ROLE_ERROR;

		queue_strip_line(j, line, sizeof line);
		draw_fill(win, row, ROLE_NORMAL);
		draw_text(win, row, 1, cols - 1, line, role, 0);
	}
}
