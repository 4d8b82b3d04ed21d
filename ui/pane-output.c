/*
 * The output view of a console job (jobs.h): the build view of b, the
 * result of i, the drift of d, a push's steps. Lines scroll as the log
 * view's do; while the last line is on screen the view follows new output,
 * so a running build's newest lines (and a failing command's last ones)
 * are what shows. Every line is drawn through draw_text, the sanitiser.
 */
#include "ui.h"
#include "jobs.h"
#include "keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct pane_output {
	struct ui	*ui;
	unsigned	 id;
	size_t		 top;		/* the first line drawn */
	int		 follow;	/* keep the newest line on screen */
	int		 rows;		/* drawn last time: a page */
};

static void *
pane_output_init(struct ui *ui, const char *arg)
{
	struct pane_output *p;
	char *end;
	unsigned long id = strtoul(arg != NULL ? arg : "", &end, 10);

	if (arg == NULL || *end != '\0' || jobs_find(ui, (unsigned)id) == NULL)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->ui = ui;
	p->id = (unsigned)id;
	p->follow = 1;
	p->rows = 10;
	return p;
}

static void
pane_output_free(void *state)
{
	free(state);
}

static size_t
pane_output_last_top(struct ui_job *j, int rows)
{
	return j->n_lines > (size_t)rows ? j->n_lines - (size_t)rows : 0;
}

static void
pane_output_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_output *p = state;
	struct ui_job *j = jobs_find(p->ui, p->id);
	size_t i;
	int y = 0;

	if (j == NULL) {
		draw_text(win, 1, 2, cols - 4, "this job's output is gone (only the last 20 jobs are kept)",
		    ROLE_DIM, 0);
		return;
	}
	p->rows = rows;
	if (p->follow || p->top > pane_output_last_top(j, rows))
		p->top = pane_output_last_top(j, rows);
	if (j->dropped > 0 && p->top == 0 && y < rows) {
		char note[96];

		snprintf(note, sizeof note, "(%zu earlier lines not kept)", j->dropped);
		draw_text(win, y++, 1, cols - 2, note, ROLE_DIM, 0);
	}
	for (i = p->top; i < j->n_lines && y < rows; i++, y++)
		draw_text(win, y, 1, cols - 2, j->lines[i].text, j->lines[i].role, 0);
}

static int
pane_output_action(void *state, const char *action)
{
	struct pane_output *p = state;
	struct ui_job *j = jobs_find(p->ui, p->id);
	size_t last;

	if (j == NULL)
		return 0;
	last = pane_output_last_top(j, p->rows);
	return pane_text_scroll(action, &p->top, &p->follow, last, p->rows,
	    j->n_lines);
}

static void
pane_output_title(void *state, char *buf, size_t len)
{
	struct pane_output *p = state;
	struct ui_job *j = jobs_find(p->ui, p->id);

	if (j == NULL) {
		snprintf(buf, len, "output");
		return;
	}
	snprintf(buf, len, "%s %s (%s): %s%s", jobs_kind_name(j->kind), j->target, j->env,
	    j->state == UI_JOB_RUNNING ? "running " : j->state == UI_JOB_OK ? "done" : "failed",
	    j->state == UI_JOB_RUNNING ? j->progress : "");
}

const struct pane_ops pane_output_ops = {
	"output", KEYCTX_LIST,
	pane_output_init, pane_output_free, pane_output_draw, pane_output_action,
	NULL, pane_output_title, NULL, NULL
};
