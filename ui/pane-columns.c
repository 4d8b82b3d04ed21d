/*
 * The column chooser (c in the functions view): every column of the view
 * below, the shown ones first in their order. Space shows or hides one,
 * J/K move it, Enter applies and remembers the choice in the
 * console's state file (src/console-state.h), Esc leaves it as it was.
 */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console-state.h"
#include "keys.h"
#include "xmalloc.h"

struct pane_columns {
	struct ui		*ui;
	struct draw_columns	*dc;		/* the view's, which outlives this pane below it */
	char			 view[32];	/* "functions": the state key's prefix */
	size_t			 col[DRAW_MAX_COLS];	/* every column, in the chooser's order */
	int			 shown[DRAW_MAX_COLS];
	size_t			 n;
	size_t			 cursor;
};

static void *
pane_columns_init(struct ui *ui, const char *arg)
{
	struct draw_columns *dc = pane_functions_draw_columns(ui_top(ui));
	struct pane_columns *p;
	size_t idx[DRAW_MAX_COLS], n_shown, i, j;

	if (dc == NULL)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->ui = ui;
	p->dc = dc;
	snprintf(p->view, sizeof p->view, "%s", arg != NULL ? arg : "functions");
	n_shown = draw_columns_shown(dc, idx);
	for (i = 0; i < n_shown; i++) {
		p->col[p->n] = idx[i];
		p->shown[p->n++] = 1;
	}
	for (i = 0; i < dc->n && i < DRAW_MAX_COLS; i++) {
		for (j = 0; j < n_shown && idx[j] != i; j++)
			;
		if (j == n_shown)
			p->col[p->n++] = i;
	}
	return p;
}

static void
pane_columns_free(void *state)
{
	free(state);
}

static void
pane_columns_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_columns *p = state;
	size_t i;
	int y;

	draw_text(win, 0, 1, cols - 2, "Space show or hide   J/K move   Enter save   Esc cancel",
	    ROLE_DIM, 0);
	for (i = 0, y = 2; i < p->n && y < rows; i++, y++) {
		char line[96];

		snprintf(line, sizeof line, "[%c] %s", p->shown[i] ? 'x' : ' ', p->dc->spec[p->col[i]].title);
		if (i == p->cursor)
			draw_fill(win, y, ROLE_SELECTED);
		draw_text(win, y, 2, cols - 4, line, i == p->cursor ? ROLE_SELECTED :
		    p->shown[i] ? ROLE_NORMAL : ROLE_DIM, 0);
	}
}

static size_t
pane_columns_count_shown(const struct pane_columns *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		n += p->shown[i] != 0;
	return n;
}

static void
pane_columns_swap(struct pane_columns *p, size_t a, size_t b)
{
	size_t c = p->col[a];
	int s = p->shown[a];

	p->col[a] = p->col[b];
	p->shown[a] = p->shown[b];
	p->col[b] = c;
	p->shown[b] = s;
}

/* Enter: the view takes the new columns at once; the state file keeps them for the next run. */
static void
pane_columns_save(struct pane_columns *p)
{
	struct draw_columns *dc = p->dc;
	struct ui *ui = p->ui;
	struct dlc_err err;
	char text[DRAW_MAX_COLS * 24], key[48];
	char *path;
	size_t i;

	dc->n_order = 0;
	for (i = 0; i < p->n; i++)
		if (p->shown[i])
			dc->order[dc->n_order++] = p->col[i];
	dc->hscroll = 0;
	dc->valid = 0;
	columns_format_order(dc->spec, dc->order, dc->n_order, text, sizeof text);
	snprintf(key, sizeof key, "%s-columns", p->view);
	path = console_state_path();
	dlc_err_clear(&err);
	ui_pop(ui);	/* frees p */
	if (console_state_set(path, key, text, &err) != 0) {
		snprintf(err.what, sizeof err.what, "columns applied, not remembered");
		ui_error(ui, &err);
	} else {
		ui_message(ui, 0, "columns saved: %s", text);
	}
	free(path);
}

static int
pane_columns_action(void *state, const char *action)
{
	struct pane_columns *p = state;

	if (strcmp(action, "down") == 0 && p->cursor + 1 < p->n)
		p->cursor++;
	else if (strcmp(action, "up") == 0 && p->cursor > 0)
		p->cursor--;
	else if (strcmp(action, "top") == 0)
		p->cursor = 0;
	else if (strcmp(action, "bottom") == 0)
		p->cursor = p->n > 0 ? p->n - 1 : 0;
	else if (strcmp(action, "toggle-column") == 0) {
		if (p->shown[p->cursor] && pane_columns_count_shown(p) == 1)
			ui_message(p->ui, 1, "one column at least stays shown");
		else
			p->shown[p->cursor] = !p->shown[p->cursor];
	} else if (strcmp(action, "move-down") == 0 && p->cursor + 1 < p->n) {
		pane_columns_swap(p, p->cursor, p->cursor + 1);
		p->cursor++;
	} else if (strcmp(action, "move-up") == 0 && p->cursor > 0) {
		pane_columns_swap(p, p->cursor, p->cursor - 1);
		p->cursor--;
	} else if (strcmp(action, "select") == 0)
		pane_columns_save(p);
	else if (strcmp(action, "down") == 0 || strcmp(action, "up") == 0 ||
	    strcmp(action, "move-down") == 0 || strcmp(action, "move-up") == 0)
		;	/* at an end: nothing moves */
	else
		return 0;
	return 1;
}

static void
pane_columns_title(void *state, char *buf, size_t len)
{
	struct pane_columns *p = state;

	snprintf(buf, len, "columns of the %s view", p->view);
}

const struct pane_ops pane_columns_ops = {
	"columns", KEYCTX_LIST | KEYCTX_COLUMNS,
	pane_columns_init, pane_columns_free, pane_columns_draw, pane_columns_action,
	NULL, pane_columns_title, NULL, NULL
};
