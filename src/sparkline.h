/*
 * Sparklines: a series of numbers drawn as one line of eight levels, for
 * a table cell ("▁▂▅█") or a terminal without UTF-8 ("_.:-=+*#"). Pure:
 * no I/O, no allocation. A point that is NAN (or infinite) is a gap,
 * drawn blank, so "no data" never reads as zero. The scaling helpers are
 * shared with chart.c.
 */
#ifndef DLC_SPARKLINE_H
#define DLC_SPARKLINE_H

#include <stddef.h>

#define SPARKLINE_LEVELS	8
/* Bytes of one UTF-8 level glyph; a buffer of width * this + 1 always fits. */
#define SPARKLINE_MAX_GLYPH	3

/*
 * Draws v[0..n) (oldest first) into buf as at most width cells and
 * returns the number of cells drawn: min(n, width), never stretched, so
 * a short series stays short (the caller pads). When n > width, cell i
 * shows the largest value of its share of the points, so a spike is
 * never averaged away. Levels run from the smallest to the largest value
 * shown; a flat series is all lowest level; a cell whose points are all
 * gaps is a blank. buf is always terminated; when len is too small the
 * line is cut at a whole cell.
 */
size_t	sparkline_render(const double *v, size_t n, size_t width, int utf8,
	    char *buf, size_t len);

/*
 * The value cell i of cells shows for v[0..n): the largest finite value
 * of its share of the points, or NAN when they are all gaps. cells <= n.
 */
double	sparkline_cell(const double *v, size_t n, size_t cells, size_t i);

/*
 * Where x lies between lo and hi, from 0 to 1, without overflowing for
 * values near DBL_MAX; 0 when hi <= lo.
 */
double	sparkline_frac(double x, double lo, double hi);

/*
 * The smallest and largest finite values of v[0..n); returns 0 when
 * there is none (*lo and *hi are then left alone).
 */
int	sparkline_range(const double *v, size_t n, double *lo, double *hi);

#endif
