/*
 * Drawing primitives. Every string that came from AWS or a log is
 * sanitised and fitted here (sanitize_fit), so nothing untrusted can move
 * the cursor, change colours or set the window title; names and
 * identifiers (draw_id_text, list cells) show invisible characters too.
 */
#include "ui.h"

#include <string.h>

#include "buf.h"
#include "colors.h"
#include "glyph.h"
#include "listview.h"
#include "sanitize.h"

void
draw_addn(WINDOW *win, const char *s, size_t len)
{
	struct buf b;

	if (!glyph_ascii()) {
		waddnstr(win, s, (int)len);
		return;
	}
	buf_init(&b, 0);
	glyph_ascii_fitted(&b, s, len);
	waddnstr(win, b.data != NULL ? b.data : "", (int)b.len);
	buf_free(&b);
}

/* The text to fit: in a non-UTF-8 locale, its glyphs' ASCII stand-ins. */
static const char *
draw_prepare(struct buf *tmp, const char *text)
{
	buf_init(tmp, 0);
	if (text == NULL)
		return "";
	if (!glyph_ascii())
		return text;
	glyph_ascii_text(tmp, text, strlen(text));
	return tmp->data != NULL ? tmp->data : "";
}

static void
draw_text_flags(WINDOW *win, int y, int x, int width, const char *text, int role,
    int align_right, int flags)
{
	struct buf b, tmp;

	if (width <= 0)
		return;
	buf_init(&b, 0);
	sanitize_fit_flags(&b, draw_prepare(&tmp, text), (size_t)width, align_right, flags);
	wattrset(win, colors_attr((enum theme_role)role));
	wmove(win, y, x);
	draw_addn(win, b.data != NULL ? b.data : "", b.len);
	wattrset(win, A_NORMAL);
	buf_free(&tmp);
	buf_free(&b);
}

void
draw_text(WINDOW *win, int y, int x, int width, const char *text, int role, int align_right)
{
	draw_text_flags(win, y, x, width, text, role, align_right, 0);
}

void
draw_id_text(WINDOW *win, int y, int x, int width, const char *text, int role, int align_right)
{
	draw_text_flags(win, y, x, width, text, role, align_right, SANITIZE_IDENTIFIER);
}

void
draw_fill(WINDOW *win, int y, int role)
{
	int cols = getmaxx(win);

	wattrset(win, colors_attr((enum theme_role)role));
	mvwhline(win, y, 0, ' ', cols);
	wattrset(win, A_NORMAL);
}

static void
draw_measure(struct listview *lv, struct draw_columns *dc, draw_cell_fn cell, void *arg)
{
	size_t i, c, n = listview_visible(lv);
	int role;

	for (c = 0; c < dc->n && c < DRAW_MAX_COLS; c++)
		dc->natural[c] = sanitize_width(dc->spec[c].title, strlen(dc->spec[c].title)) + 1;
	for (i = 0; i < n; i++) {
		size_t row = listview_row(lv, i);

		for (c = 0; c < dc->n && c < DRAW_MAX_COLS; c++) {
			struct buf tmp;
			const char *t = draw_prepare(&tmp, cell(arg, row, c, &role));
			size_t w = sanitize_display_width(t, strlen(t),
			    SANITIZE_IDENTIFIER | SANITIZE_TAB_AS_SPACE);

			buf_free(&tmp);
			if (w > dc->natural[c])
				dc->natural[c] = w;
		}
	}
	dc->valid = 1;
}

size_t
draw_columns_shown(const struct draw_columns *dc, size_t *idx)
{
	size_t i, n = 0;

	if (dc->n_order == 0) {
		for (i = 0; i < dc->n && i < DRAW_MAX_COLS; i++)
			idx[n++] = i;
		return n;
	}
	for (i = 0; i < dc->n_order && i < DRAW_MAX_COLS; i++)
		if (dc->order[i] < dc->n)
			idx[n++] = dc->order[i];
	return n;
}

/*
 * The columns drawn: the shown ones with hscroll of them after the first
 * skipped (the first names the row, so it stays). Returns how many.
 */
static size_t
draw_columns_visible(const struct draw_columns *dc, size_t *idx)
{
	size_t n = draw_columns_shown(dc, idx), skip = dc->hscroll, i;

	if (n < 2 || skip == 0)
		return n;
	if (skip > n - 2)
		skip = n - 2;
	for (i = 1; i + skip < n; i++)
		idx[i] = idx[i + skip];
	return n - skip;
}

void
draw_list(struct ui *ui, WINDOW *win, int rows, int cols, struct listview *lv,
    struct draw_columns *dc, draw_cell_fn cell, void *arg)
{
	struct column_spec spec[DRAW_MAX_COLS];
	size_t idx[DRAW_MAX_COLS], natural[DRAW_MAX_COLS], widths[DRAW_MAX_COLS];
	size_t top, i, c, nc, n = listview_visible(lv), cursor = listview_cursor(lv);
	int x, y, selected_role = ui->focus_queue ? ROLE_SELECTED_INACTIVE : ROLE_SELECTED;

	if (!dc->valid)
		draw_measure(lv, dc, cell, arg);
	nc = draw_columns_visible(dc, idx);
	for (c = 0; c < nc; c++) {
		spec[c] = dc->spec[idx[c]];
		natural[c] = dc->natural[idx[c]];
	}
	/* Scrolled to with >: the column asked for is never the one hidden for room. */
	if (dc->hscroll > 0 && nc > 1)
		spec[1].priority = 0;
	columns_layout(spec, nc, natural, (size_t)cols, widths);

	/* Column titles, with the sort direction on the sort column. */
	draw_fill(win, 0, ROLE_COLUMN_HEADER);
	for (x = 0, c = 0; c < nc; c++) {
		char title[64];

		if (widths[c] == 0)
			continue;
		/* " <": columns scrolled past after this one (< brings them back). */
		snprintf(title, sizeof title, "%s%s%s", spec[c].title,
		    listview_sort_col(lv) == idx[c] ? (listview_sort_desc(lv) ? "↓" : "↑") : "",
		    c == 0 && nc > 1 && dc->hscroll > 0 ? " <" : "");
		draw_text(win, 0, x, (int)widths[c], title, ROLE_COLUMN_HEADER, spec[c].align_right);
		x += (int)widths[c] + 1;
	}

	top = listview_top(lv, rows > 1 ? (size_t)rows - 1 : 1);
	for (y = 1, i = top; y < rows; y++, i++) {
		int sel = i < n && i == cursor;

		if (i >= n) {
			wmove(win, y, 0);
			wclrtoeol(win);
			continue;
		}
		draw_fill(win, y, sel ? selected_role : ROLE_NORMAL);
		for (x = 0, c = 0; c < nc; c++) {
			int role = ROLE_NORMAL;
			const char *t;

			if (widths[c] == 0)
				continue;
			t = cell(arg, listview_row(lv, i), idx[c], &role);
			/* List cells are names and values: none may pose as another. */
			draw_id_text(win, y, x, (int)widths[c], t, sel ? selected_role : role,
			    spec[c].align_right);
			x += (int)widths[c] + 1;
		}
	}
}

/* < and >: scroll the columns after the first, and say where the view starts. */
static void
draw_list_scroll(struct ui *ui, struct draw_columns *dc, int dir)
{
	size_t idx[DRAW_MAX_COLS], n = draw_columns_shown(dc, idx);

	if (n < 2)
		return;
	if (dc->hscroll > n - 2)
		dc->hscroll = n - 2;
	if (dir > 0 && dc->hscroll < n - 2)
		dc->hscroll++;
	else if (dir < 0 && dc->hscroll > 0)
		dc->hscroll--;
	ui_message(ui, 0, "columns from %s%s", dc->spec[idx[1 + dc->hscroll]].title,
	    dc->hscroll > 0 ? " (< back)" : "");
}

int
pane_text_scroll(const char *action, size_t *top, int *follow, size_t last,
    long rows, size_t n_lines)
{
	long step;

	if (strcmp(action, "down") == 0)
		step = 1;
	else if (strcmp(action, "up") == 0)
		step = -1;
	else if (strcmp(action, "page-down") == 0)
		step = rows;
	else if (strcmp(action, "page-up") == 0)
		step = -rows;
	else if (strcmp(action, "half-page-down") == 0)
		step = rows / 2;
	else if (strcmp(action, "half-page-up") == 0)
		step = -(rows / 2);
	else if (strcmp(action, "top") == 0)
		step = -(long)n_lines;
	else if (strcmp(action, "bottom") == 0)
		step = (long)n_lines;
	else
		return 0;
	if (*follow)
		*top = last;
	if (step < 0)
		*top = (size_t)-step > *top ? 0 : *top - (size_t)-step;
	else
		*top = *top + (size_t)step > last ? last : *top + (size_t)step;
	*follow = *top == last;
	return 1;
}

int
pane_list_action(struct ui *ui, struct listview *lv, const char *action,
    struct draw_columns *dc)
{
	long page = ui->w_main != NULL ? getmaxy(ui->w_main) - 2 : 10;
	size_t col;

	if (page < 1)
		page = 1;
	if (strcmp(action, "down") == 0)
		listview_move(lv, 1);
	else if (strcmp(action, "up") == 0)
		listview_move(lv, -1);
	else if (strcmp(action, "page-down") == 0)
		listview_move(lv, page);
	else if (strcmp(action, "page-up") == 0)
		listview_move(lv, -page);
	else if (strcmp(action, "half-page-down") == 0)
		listview_move(lv, page / 2 > 0 ? page / 2 : 1);
	else if (strcmp(action, "half-page-up") == 0)
		listview_move(lv, -(page / 2 > 0 ? page / 2 : 1));
	else if (strcmp(action, "top") == 0)
		listview_home(lv);
	else if (strcmp(action, "bottom") == 0)
		listview_end(lv);
	else if (strcmp(action, "sort-next") == 0) {
		size_t idx[DRAW_MAX_COLS], n = draw_columns_shown(dc, idx), k;

		/* Cycles through the columns shown; the selection stays on its row. */
		for (k = 0; k < n && idx[k] != listview_sort_col(lv); k++)
			;
		col = n == 0 ? 0 : idx[k + 1 < n ? k + 1 : 0];
		listview_set_sort(lv, col, listview_sort_desc(lv));
		ui_message(ui, 0, "sorted by %s", dc->spec[col].title);
	} else if (strcmp(action, "scroll-left") == 0 || strcmp(action, "scroll-right") == 0) {
		draw_list_scroll(ui, dc, strcmp(action, "scroll-right") == 0 ? 1 : -1);
	} else if (strcmp(action, "sort-reverse") == 0) {
		listview_set_sort(lv, listview_sort_col(lv), !listview_sort_desc(lv));
	} else
		return 0;
	return 1;
}
