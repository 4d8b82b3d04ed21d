/*
 * A metric drawn as a small bar chart for a terminal: height rows of
 * width columns, the bars in eighth blocks ("▁".."█") or '#' and '.'
 * without UTF-8, an optional threshold drawn across as a line ('─' or
 * '-'), and the y labels (largest value on the top row, smallest on the
 * bottom one) in a column at the left. Pure: the caller places the rows
 * on its screen. Gaps (NAN) are empty columns.
 */
#ifndef DLC_CHART_H
#define DLC_CHART_H

#include <stddef.h>

#define CHART_LABEL_WIDTH	8	/* "1.23e+06" or "  12.5k" */

struct chart {
	char	**rows;		/* height strings, top first: label, ' ', plot */
	size_t	  height;
	size_t	  columns;	/* plot columns drawn: min(n, width) */
	double	  lo, hi;	/* the y range: the values' and the threshold's */
	int	  threshold_row;	/* row of the threshold line, -1: none */
};

/*
 * Draws v[0..n) (oldest first; NAN is a gap) into c (zeroed by the
 * caller, cleared with chart_clear). threshold NULL: no line. When
 * n > width each column shows the largest value of its share of the
 * points (as sparklines do). height and width at least 1; an empty or
 * all-gap series gives blank plots with the threshold line alone.
 */
void	chart_render(struct chart *c, const double *v, size_t n,
	    const double *threshold, size_t height, size_t width, int utf8);
/* Frees the rows and zeroes c; safe on a zeroed chart. */
void	chart_clear(struct chart *c);

/*
 * A value in at most CHART_LABEL_WIDTH characters: "0", "12", "12.5",
 * "1.5k", "2.3M", "1e+300". Returns buf.
 */
const char *chart_label(double x, char *buf, size_t len);

#endif
