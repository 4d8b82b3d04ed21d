/*
 * The model behind every scrollable, filterable, selectable list in the
 * console (environments, functions, layers, queue jobs, log lines): rows
 * come from a source's callbacks; the model keeps the filtered, sorted
 * order, the cursor and the scroll position. The selection follows the
 * row's identity (its id), not its index, so a refresh, a re-sort or a new
 * filter never moves the cursor onto another function (k9s #1950).
 * Curses-free: panes draw from it.
 */
#ifndef DLC_LISTVIEW_H
#define DLC_LISTVIEW_H

#include <stddef.h>

#include "err.h"

struct listview_source {
	size_t	 ncols;
	size_t	(*count)(void *arg);
	/* A stable, unique identity for the row (e.g. the function name). */
	const char *(*id)(void *arg, size_t row);
	/* The text of a cell (NULL reads as ""); also what filters match. */
	const char *(*text)(void *arg, size_t row, size_t col);
	/*
	 * NULL: cells compare with listview_natural_cmp on text(). Equal rows
	 * keep the source's order either way.
	 */
	int	(*compare)(void *arg, size_t a, size_t b, size_t col);
};

struct listview;

/* src is copied; arg is handed to every callback. Call listview_refresh. */
struct listview	*listview_new(const struct listview_source *src, void *arg);
void		 listview_free(struct listview *lv);

/*
 * The source changed: filter and sort again, and keep the selection on the
 * same id; if that row vanished, the selection takes the row now at the
 * same visible position (clamped to the last).
 */
void		 listview_refresh(struct listview *lv);

/*
 * "" or NULL: no filter. "/REGEX" is a PCRE2 regex (UTF, JIT when
 * available); anything else is a substring. Both are smart-case:
 * case-insensitive unless the pattern holds an upper-case letter (for a
 * regex, one that is not part of an escape like \S). A row matches if any
 * column's text does. A bad regex returns -1 with PCRE2's message and the
 * offset, and the previous filter stays in force.
 */
int		 listview_set_filter(struct listview *lv, const char *pattern,
		    struct dlc_err *err);
/* The filter in force ("" when none). */
const char	*listview_filter(const struct listview *lv);

void		 listview_set_sort(struct listview *lv, size_t col,
		    int descending);
size_t		 listview_sort_col(const struct listview *lv);
int		 listview_sort_desc(const struct listview *lv);

/* All rows, and the rows passing the filter: the "12/57" count. */
size_t		 listview_total(const struct listview *lv);
size_t		 listview_visible(const struct listview *lv);
/* The source row shown at visible_index. */
size_t		 listview_row(const struct listview *lv, size_t visible_index);
/* The visible index of the selection; meaningless when visible is 0. */
size_t		 listview_cursor(const struct listview *lv);
/* The selected row's id; NULL when nothing is visible. */
const char	*listview_selected_id(const struct listview *lv);

/* Moves the cursor by delta rows, clamped to the list. */
void		 listview_move(struct listview *lv, long delta);
void		 listview_home(struct listview *lv);
void		 listview_end(struct listview *lv);
/* Selects the visible row with this id: 0, or -1 if none (unchanged). */
int		 listview_select_id(struct listview *lv, const char *id);

/*
 * The first visible index to draw in a window of `height` rows so the
 * cursor is in view, scrolling as little as possible from the last call,
 * and not leaving empty rows at the bottom when the list could fill them.
 */
size_t		 listview_top(struct listview *lv, size_t height);

/*
 * Where the filter matches text[0..len), for highlighting: 1 with the
 * byte range [*start, *end), or 0 (no filter, or no match).
 */
int		 listview_matches(const struct listview *lv, const char *text,
		    size_t len, size_t *start, size_t *end);

/*
 * Natural order: runs of digits compare as numbers ("gen-0009" <
 * "gen-0010", "512MB" < "2048MB"), letters compare ignoring ASCII case
 * first, then byte by byte so the order is total.
 */
int		 listview_natural_cmp(const char *a, const char *b);

#endif
