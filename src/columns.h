/*
 * Column layout for the console's lists: given each column's limits, its
 * priority and the widest content it holds, decide how wide each column is
 * on a screen of a given width, and which columns to hide when it is
 * narrow. Deterministic and allocation-free, so it can run on every redraw.
 */
#ifndef DLC_COLUMNS_H
#define DLC_COLUMNS_H

#include <stddef.h>

struct column_spec {
	const char	*title;
	size_t		 min, max;	/* max 0: no maximum */
	int		 flex;		/* share of spare room; 0: fixed */
	int		 align_right;
	int		 priority;	/* lower is hidden first; 0: never hidden */
};

/*
 * Fits n columns into total_width, one space between visible columns, and
 * writes each width to out_widths (0: hidden). natural[i] is the widest
 * display width in column i (its title included, if the caller wants the
 * title to fit).
 *   1. Every column wants min(natural, max), at least min (and at least 1).
 *   2. While the columns do not fit even with flexible columns at their
 *      min, the visible column with the lowest non-zero priority is hidden
 *      (the rightmost one on a tie): a fixed column is never truncated
 *      while a less important column could make room.
 *   3. Flexible columns shrink towards their min, the widest first (so they
 *      end up level).
 *   4. If that is still too wide, fixed columns shrink towards their min,
 *      then columns are hidden from the right (the first stays), and the
 *      first is clipped to total_width.
 *   5. Spare room goes to flexible columns by their share, up to their max.
 * The visible widths plus the gaps never exceed total_width. Returns the
 * number of visible columns.
 */
int	columns_layout(const struct column_spec *cols, size_t n,
	    const size_t *natural, size_t total_width, size_t *out_widths);

/*
 * A chosen set and order of columns, as remembered between runs:
 * "FUNCTION,MEMORY,SIZE" (titles, matched case-insensitively; blanks
 * ignored). Fills order (room for n) with the index in cols of each named
 * column, left to right; unknown and repeated names are skipped, so an old
 * file never breaks a newer view. Returns how many were placed (0: none
 * known, use the default).
 */
size_t	columns_parse_order(const struct column_spec *cols, size_t n,
	    const char *text, size_t *order);
/* Writes the titles of order[0..n_order) joined by commas to buf (len > 0). */
void	columns_format_order(const struct column_spec *cols,
	    const size_t *order, size_t n_order, char *buf, size_t len);

#endif
