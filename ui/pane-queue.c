/*
 * The queue view (Q): every job of the deploy queue the console knows,
 * this dlc's and other dlc processes' on the machine (through the
 * journal): running ones with their step, progress bar, elapsed time and
 * the build's last line; waiting ones with their reason; interrupted ones
 * marked; recent ones with their outcome. Under a job whose step is held
 * (step mode), what that step will do. The queue keys act on the
 * selected job; Enter opens its log and step history.
 */
#include "ui.h"
#include "jobs.h"
#include "keys.h"
#include "queue-console.h"
#include "queue-rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "xmalloc.h"

#define PANE_QUEUE_ROWS	128

struct pane_queue {
	struct ui	*ui;
	char		 selected[16];	/* the job selected, by id: rows move under it */
	size_t		 index;		/* its place when drawn last */
	size_t		 top;		/* the first job drawn */
	int		 moved;		/* the user chose a row: until then, the first is selected */
	int		 rows;
};

static void *
pane_queue_init(struct ui *ui, const char *arg)
{
	struct pane_queue *p = xcalloc(1, sizeof *p);

	(void)arg;
	p->ui = ui;
	p->rows = 10;
	return p;
}

static void
pane_queue_free(void *state)
{
	free(state);
}

static size_t
pane_queue_load(struct pane_queue *p, struct queue_row *rows)
{
	size_t n = queue_rows(p->ui, rows, PANE_QUEUE_ROWS), i;

	if (n > PANE_QUEUE_ROWS)
		n = PANE_QUEUE_ROWS;
	/* A job queued a moment ago reaches the list through the journal: it comes first. */
	if (!p->moved)
		p->selected[0] = '\0';
	for (i = 0; i < n; i++)
		if (strcmp(rows[i].id, p->selected) == 0) {
			p->index = i;
			return n;
		}
	/* The selected job is gone (or none was): keep the place. */
	if (n == 0) {
		p->index = 0;
		p->selected[0] = '\0';
		return 0;
	}
	if (p->index >= n)
		p->index = n - 1;
	snprintf(p->selected, sizeof p->selected, "%s", rows[p->index].id);
	return n;
}

static const char *
pane_queue_section(enum queue_row_state s)
{
	switch (s) {
	case QROW_RUNNING:
		return "running";
	case QROW_WAITING:
		return "waiting";
	case QROW_INTERRUPTED:
		return "interrupted (found in the journal: r retries)";
	default:
		return "recent";
	}
}

static void
pane_queue_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_queue *p = state;
	struct ui *ui = p->ui;
	struct queue_row *r = xcalloc(PANE_QUEUE_ROWS, sizeof *r);
	size_t n = pane_queue_load(p, r), i;
	char line[1400], head[1300];
	int y = 0, per_job = 3;

	if (ui->queue == NULL) {
		draw_text(win, 1, 2, cols - 4, "no deploy queue in this console (e: why): pushes run "
		    "one by one", ROLE_ERROR, 0);
		free(r);
		return;
	}
	snprintf(line, sizeof line, "%s%s", queue_paused(ui->queue) ? "PAUSED (p resumes)  " : "",
	    queue_step_mode(ui->queue) ? "STEP MODE: each step waits for n (m: off)" : "");
	if (line[0] != '\0')
		draw_text(win, y++, 1, cols - 2, line, ROLE_WARN, 0);
	if (n == 0) {
		draw_text(win, y + 1, 2, cols - 4, "queue empty: no deployments running, waiting or "
		    "recent (p in the functions view pushes)", ROLE_QUEUE_EMPTY, 0);
		free(r);
		return;
	}
	p->rows = (rows - y) / per_job > 0 ? (rows - y) / per_job : 1;
	if (p->index < p->top)
		p->top = p->index;
	else if (p->index >= p->top + (size_t)p->rows)
		p->top = p->index - (size_t)p->rows + 1;
	for (i = p->top; i < n && y < rows; i++) {
		const char *next = r[i].own && r[i].state != QROW_ENDED ?
		    queue_next_step_text(ui->queue, r[i].id) : NULL;
		int sel = i == p->index, role = queue_strip_row_role(&r[i]);

		if (i == p->top || r[i].state != r[i - 1].state) {
			draw_text(win, y++, 1, cols - 2, pane_queue_section(r[i].state), ROLE_COLUMN_HEADER, 0);
			if (y >= rows)
				break;
		}
		queue_strip_row_line(&r[i], head, sizeof head);
		snprintf(line, sizeof line, "%s %s%s", r[i].id, r[i].special ? "[special] " : "", head);
		if (sel)
			draw_fill(win, y, ROLE_SELECTED);
		draw_text(win, y++, 2, cols - 3, line, sel ? ROLE_SELECTED : role, 0);
		if (next != NULL && y < rows) {
			snprintf(line, sizeof line, "next: %s  (n: run it, s: skip the rest, c: cancel)", next);
			draw_text(win, y++, 6, cols - 7, line, ROLE_WARN, 0);
		}
		if (r[i].state == QROW_ENDED && dlc_err_isset(&r[i].error) && y < rows) {
			snprintf(line, sizeof line, "%s: %s", r[i].error.code, r[i].error.message);
			draw_text(win, y++, 6, cols - 7, line, ROLE_ERROR, 0);
		}
	}
	free(r);
}

static int
pane_queue_action(void *state, const char *action)
{
	struct pane_queue *p = state;
	struct queue_row *r;
	size_t n;
	long step = 0;

	if (strcmp(action, "select") == 0) {
		if (p->selected[0] != '\0')
			ui_push(p->ui, &pane_queue_job_ops, p->selected);
		return 1;
	}
	if (queue_console_action(p->ui, p->selected[0] != '\0' ? p->selected : NULL, action))
		return 1;
	if (strcmp(action, "down") == 0)
		step = 1;
	else if (strcmp(action, "up") == 0)
		step = -1;
	else if (strcmp(action, "page-down") == 0 || strcmp(action, "half-page-down") == 0)
		step = p->rows;
	else if (strcmp(action, "page-up") == 0 || strcmp(action, "half-page-up") == 0)
		step = -p->rows;
	else if (strcmp(action, "top") == 0)
		step = -PANE_QUEUE_ROWS;
	else if (strcmp(action, "bottom") == 0)
		step = PANE_QUEUE_ROWS;
	else
		return 0;
	r = xcalloc(PANE_QUEUE_ROWS, sizeof *r);
	n = pane_queue_load(p, r);
	if (n > 0) {
		long to = (long)p->index + step;

		p->index = to < 0 ? 0 : (size_t)to >= n ? n - 1 : (size_t)to;
		p->moved = 1;
		snprintf(p->selected, sizeof p->selected, "%s", r[p->index].id);
	}
	free(r);
	return 1;
}

static void
pane_queue_title(void *state, char *buf, size_t len)
{
	struct pane_queue *p = state;
	struct queue_row *r = xcalloc(PANE_QUEUE_ROWS, sizeof *r);
	size_t n = queue_rows(p->ui, r, PANE_QUEUE_ROWS), i, running = 0, waiting = 0;

	for (i = 0; i < n && i < PANE_QUEUE_ROWS; i++) {
		running += r[i].state == QROW_RUNNING;
		waiting += r[i].state == QROW_WAITING;
	}
	snprintf(buf, len, "queue: %zu running, %zu waiting, %zu in all", running, waiting, n);
	free(r);
}

const struct pane_ops pane_queue_ops = {
	"queue", KEYCTX_LIST | KEYCTX_QUEUE,
	pane_queue_init, pane_queue_free, pane_queue_draw, pane_queue_action,
	NULL, pane_queue_title, NULL, NULL
};
