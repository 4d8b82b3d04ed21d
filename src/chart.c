/* Bar charts in eighth blocks with a threshold line, or ASCII. */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sparkline.h"
#include "xmalloc.h"

static const char *const chart_eighths[8] = {
	"\u2581", "\u2582", "\u2583", "\u2584",
	"\u2585", "\u2586", "\u2587", "\u2588",
};

const char *
chart_label(double x, char *buf, size_t len)
{
	static const char unit[] = "kMGT";
	double a = x < 0 ? -x : x;
	int u = -1;

	if (!isfinite(x)) {
		snprintf(buf, len, "%s", isnan(x) ? "-" : x > 0 ? "inf" : "-inf");
		return buf;
	}
	if (a >= 1e15 || (a > 0 && a < 0.01)) {
		snprintf(buf, len, "%.1e", x);
		/* "1.0e+300" is 8: fits; drop the ".0" when it would not. */
		if (strlen(buf) > CHART_LABEL_WIDTH)
			snprintf(buf, len, "%.0e", x);
		return buf;
	}
	while (a >= 1000 && u < 3) {
		a /= 1000;
		x /= 1000;
		u++;
	}
	if (x == (double)(long long)x && a < 1000)
		snprintf(buf, len, "%.0f", x);
	else
		snprintf(buf, len, a < 10 ? "%.2f" : a < 100 ? "%.1f" : "%.0f",
		    x);
	if (u >= 0 && strlen(buf) + 1 < len) {
		size_t k = strlen(buf);

		buf[k] = unit[u];
		buf[k + 1] = '\0';
	}
	return buf;
}

/* Eighths of the plot's height x reaches: 1 (smallest) .. height * 8. */
static long
chart_eighth(double x, double lo, double hi, size_t height)
{
	/* Rounded by truncation (frac is never negative): no libm. */
	return 1 + (long)(sparkline_frac(x, lo, hi) *
	    (double)(height * 8 - 1) + 0.5);
}

void
chart_render(struct chart *c, const double *v, size_t n,
    const double *threshold, size_t height, size_t width, int utf8)
{
	size_t cols, r, i, used, glyph, cap;
	double lo = 0, hi = 0, x;
	long e, base, fill, te = 0;
	char label[32];
	const char *g;
	char *row;

	memset(c, 0, sizeof *c);
	if (height == 0)
		height = 1;
	if (width == 0)
		width = 1;
	cols = n < width ? n : width;
	c->height = height;
	c->columns = cols;
	c->threshold_row = -1;
	if (!sparkline_range(v, n, &lo, &hi)) {
		lo = 0;
		hi = 0;
	}
	if (threshold != NULL && isfinite(*threshold)) {
		if (!sparkline_range(v, n, &x, &x)) {
			lo = *threshold;
			hi = *threshold;
		}
		if (*threshold < lo)
			lo = *threshold;
		if (*threshold > hi)
			hi = *threshold;
		te = chart_eighth(*threshold, lo, hi, height);
		c->threshold_row = (int)(height - 1 - (size_t)(te - 1) / 8);
	}
	c->lo = lo;
	c->hi = hi;
	c->rows = xcalloc(height, sizeof *c->rows);
	cap = CHART_LABEL_WIDTH + 2 + (cols > 0 ? cols : 1) * 3 + 1;
	for (r = 0; r < height; r++) {
		row = c->rows[r] = xmalloc(cap);
		label[0] = '\0';
		if (r == 0)
			chart_label(hi, label, sizeof label);
		else if (r == height - 1)
			chart_label(lo, label, sizeof label);
		used = (size_t)snprintf(row, cap, "%*.*s ", CHART_LABEL_WIDTH,
		    CHART_LABEL_WIDTH, label);
		base = (long)(height - 1 - r) * 8;
		for (i = 0; i < cols; i++) {
			x = sparkline_cell(v, n, cols, i);
			fill = 0;
			if (!isnan(x)) {
				e = chart_eighth(x, lo, hi, height);
				fill = e - base;
				if (fill > 8)
					fill = 8;
			}
			if (fill > 0)
				g = utf8 ? chart_eighths[fill - 1] :
				    fill >= 4 ? "#" : ".";
			else if ((int)r == c->threshold_row)
				g = utf8 ? "\u2500" : "-";
			else
				g = " ";
			glyph = strlen(g);
			memcpy(row + used, g, glyph);
			used += glyph;
		}
		row[used] = '\0';
	}
}

void
chart_clear(struct chart *c)
{
	size_t r;

	if (c == NULL)
		return;
	for (r = 0; c->rows != NULL && r < c->height; r++)
		free(c->rows[r]);
	free(c->rows);
	memset(c, 0, sizeof *c);
}
