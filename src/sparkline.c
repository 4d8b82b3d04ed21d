/* Sparklines: eight levels per cell, gaps blank, no overflow on huge values. */
#include "sparkline.h"

#include <math.h>
#include <string.h>

static const char *const sparkline_utf8[SPARKLINE_LEVELS] = {
	"\u2581", "\u2582", "\u2583", "\u2584",
	"\u2585", "\u2586", "\u2587", "\u2588",
};
/* The lowest level is '_', not ' ', so a zero never reads as a gap. */
static const char sparkline_ascii[SPARKLINE_LEVELS + 1] = "_.:-=+*#";

double
sparkline_frac(double x, double lo, double hi)
{
	double f;

	if (!(hi > lo))
		return 0;
	/* Halved first: hi - lo overflows to inf for -1e308 .. 1e308. */
	f = (x / 2 - lo / 2) / (hi / 2 - lo / 2);
	if (!(f > 0))
		return 0;
	return f > 1 ? 1 : f;
}

int
sparkline_range(const double *v, size_t n, double *lo, double *hi)
{
	double a = 0, b = 0;
	size_t i;
	int any = 0;

	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (!any || v[i] < a)
			a = v[i];
		if (!any || v[i] > b)
			b = v[i];
		any = 1;
	}
	if (any) {
		*lo = a;
		*hi = b;
	}
	return any;
}

double
sparkline_cell(const double *v, size_t n, size_t cells, size_t i)
{
	size_t from, to, k;
	double best = NAN;

	if (cells == 0 || i >= cells)
		return NAN;
	/* Cell i covers [i*n/cells, (i+1)*n/cells): every point in one cell. */
	from = (size_t)((unsigned long long)i * n / cells);
	to = (size_t)((unsigned long long)(i + 1) * n / cells);
	for (k = from; k < to; k++)
		if (isfinite(v[k]) && (isnan(best) || v[k] > best))
			best = v[k];
	return best;
}

size_t
sparkline_render(const double *v, size_t n, size_t width, int utf8,
    char *buf, size_t len)
{
	size_t cells = n < width ? n : width;
	size_t i, used = 0, glyph;
	double lo = 0, hi = 0, x;
	int level;
	const char *g;
	char one[2];

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (cells == 0)
		return 0;
	/* The range of what is shown (cell maxima), so the top cell is full. */
	for (i = 0; i < cells; i++) {
		x = sparkline_cell(v, n, cells, i);
		if (isnan(x))
			continue;
		if (used == 0 || x < lo)
			lo = x;
		if (used == 0 || x > hi)
			hi = x;
		used = 1;
	}
	used = 0;
	for (i = 0; i < cells; i++) {
		x = sparkline_cell(v, n, cells, i);
		if (isnan(x)) {
			g = " ";
		} else {
			/* Rounded by truncation: frac is never negative. */
			level = (int)(sparkline_frac(x, lo, hi) *
			    (SPARKLINE_LEVELS - 1) + 0.5);
			if (utf8) {
				g = sparkline_utf8[level];
			} else {
				one[0] = sparkline_ascii[level];
				one[1] = '\0';
				g = one;
			}
		}
		glyph = strlen(g);
		if (used + glyph + 1 > len)
			return i;
		memcpy(buf + used, g, glyph);
		used += glyph;
		buf[used] = '\0';
	}
	return cells;
}
