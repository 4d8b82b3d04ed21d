/* Aligned text tables: see table.h. */
#include "table.h"
#include "sanitize.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Input bytes kept per cell. A table cell is read by a person on one line;
 * a megabyte log message pasted into one is cut here, with "…", rather than
 * carried through every render.
 */
#define TABLE_CELL_MAX_INPUT	8192

struct table_cell {
	char	*text;		/* sanitised */
	size_t	 width;		/* its display width */
};

struct table {
	size_t			 ncols;
	struct table_cell	*headers;	/* NULL: no header row */
	int			*right;
	int			*fixed;
	int			*id;	/* sanitise in identifier mode */
	struct table_cell	**rows;
	size_t			 nrows;
	size_t			 cap;
};

static void
table_cell_set(struct table_cell *c, const char *s, int flags)
{
	struct buf b;
	size_t len, cut;

	if (s == NULL)
		s = "";
	len = strlen(s);
	cut = len;
	if (len > TABLE_CELL_MAX_INPUT) {
		/* Back up to a character start so the cut is not an error. */
		cut = TABLE_CELL_MAX_INPUT;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80 &&
		    TABLE_CELL_MAX_INPUT - cut < 3)
			cut--;
	}
	buf_init(&b, TABLE_CELL_MAX_INPUT * 6 + 16);
	c->width = sanitize_append(&b, s, cut, SANITIZE_TAB_AS_SPACE | flags);
	if (cut < len && buf_puts(&b, "\xe2\x80\xa6") == 0)
		c->width++;
	c->text = buf_detach(&b, NULL);
}

struct table *
table_new(size_t ncols, const char *const *headers)
{
	struct table *t;
	size_t i;

	if (ncols == 0)
		fatal("table_new: a table needs at least one column");
	t = xcalloc(1, sizeof *t);
	t->ncols = ncols;
	t->right = xcalloc(ncols, sizeof *t->right);
	t->fixed = xcalloc(ncols, sizeof *t->fixed);
	t->id = xcalloc(ncols, sizeof *t->id);
	if (headers != NULL) {
		t->headers = xcalloc(ncols, sizeof *t->headers);
		for (i = 0; i < ncols; i++)
			table_cell_set(&t->headers[i], headers[i], 0);
	}
	return t;
}

void
table_set_align(struct table *t, size_t col, int right)
{
	if (col < t->ncols)
		t->right[col] = right != 0;
}

void
table_set_flexible(struct table *t, size_t col, int flexible)
{
	if (col < t->ncols)
		t->fixed[col] = flexible == 0;
}

void
table_set_identifier(struct table *t, size_t col, int identifier)
{
	if (col < t->ncols)
		t->id[col] = identifier != 0;
}

void
table_add_row(struct table *t, const char *const *cells)
{
	struct table_cell *row;
	size_t i;

	if (t->nrows == t->cap) {
		t->cap = t->cap == 0 ? 16 : t->cap * 2;
		t->rows = xreallocarray(t->rows, t->cap, sizeof *t->rows);
	}
	row = xcalloc(t->ncols, sizeof *row);
	for (i = 0; i < t->ncols; i++)
		table_cell_set(&row[i], cells != NULL ? cells[i] : NULL,
		    t->id[i] ? SANITIZE_IDENTIFIER : 0);
	t->rows[t->nrows++] = row;
}

size_t
table_rows(const struct table *t)
{
	return t->nrows;
}

/*
 * Narrows the widest columns of one kind (fixed or flexible) one column at a
 * time, down to floor[], until the line fits; ties go to the rightmost
 * column, which is usually the least important one.
 */
static void
table_shrink(const struct table *t, size_t *w, const size_t *floor,
    int fixed, size_t *total, size_t max_width)
{
	size_t i, best;

	while (*total > max_width) {
		best = t->ncols;
		for (i = 0; i < t->ncols; i++) {
			if (t->fixed[i] != fixed || w[i] <= floor[i])
				continue;
			if (best == t->ncols || w[i] >= w[best])
				best = i;
		}
		if (best == t->ncols)
			return;
		w[best]--;
		(*total)--;
	}
}

static void
table_render_line(const struct table *t, const struct table_cell *row,
    const size_t *w, struct buf *line, struct buf *out)
{
	size_t i;

	buf_reset(line);
	for (i = 0; i < t->ncols; i++) {
		if (i > 0)
			buf_puts(line, "  ");
		sanitize_fit(line, row[i].text, w[i], t->right[i]);
	}
	while (line->len > 0 && line->data[line->len - 1] == ' ')
		line->len--;
	buf_putc(line, '\n');
	/* Whole lines only: at out's ceiling the table ends on a line break. */
	buf_append(out, line->data, line->len);
}

void
table_render(const struct table *t, struct buf *out, size_t max_width)
{
	size_t *w, *floor, i, r, total, hw;
	struct buf line;

	w = xcalloc(t->ncols, sizeof *w);
	floor = xcalloc(t->ncols, sizeof *floor);
	total = 2 * (t->ncols - 1);
	for (i = 0; i < t->ncols; i++) {
		hw = t->headers != NULL ? t->headers[i].width : 0;
		w[i] = hw;
		for (r = 0; r < t->nrows; r++)
			if (t->rows[r][i].width > w[i])
				w[i] = t->rows[r][i].width;
		total += w[i];
	}
	if (max_width > 0 && total > max_width) {
		for (i = 0; i < t->ncols; i++) {
			hw = t->headers != NULL ? t->headers[i].width : 0;
			floor[i] = hw > 3 ? hw : 3;
		}
		table_shrink(t, w, floor, 0, &total, max_width);
		table_shrink(t, w, floor, 1, &total, max_width);
		for (i = 0; i < t->ncols; i++)
			floor[i] = 1;
		table_shrink(t, w, floor, 0, &total, max_width);
		table_shrink(t, w, floor, 1, &total, max_width);
	}
	/* No ceiling of its own: a line is bounded by the cells' caps. */
	buf_init(&line, 0);
	if (t->headers != NULL)
		table_render_line(t, t->headers, w, &line, out);
	for (r = 0; r < t->nrows; r++)
		table_render_line(t, t->rows[r], w, &line, out);
	buf_free(&line);
	free(floor);
	free(w);
}

static void
table_row_free(struct table_cell *row, size_t ncols)
{
	size_t i;

	if (row == NULL)
		return;
	for (i = 0; i < ncols; i++)
		free(row[i].text);
	free(row);
}

void
table_free(struct table *t)
{
	size_t r;

	if (t == NULL)
		return;
	table_row_free(t->headers, t->ncols);
	for (r = 0; r < t->nrows; r++)
		table_row_free(t->rows[r], t->ncols);
	free(t->rows);
	free(t->fixed);
	free(t->id);
	free(t->right);
	free(t);
}

void
table_format_size(long long bytes, char *out, size_t len)
{
	if (bytes >= 1024 * 1024)
		snprintf(out, len, "%.1fM", (double)bytes / (1024.0 * 1024.0));
	else if (bytes >= 1024)
		snprintf(out, len, "%.1fK", (double)bytes / 1024.0);
	else
		snprintf(out, len, "%lldB", bytes);
}
