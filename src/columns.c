/* Column layout: see columns.h for the rules, in order. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "columns.h"

/* Width used by the visible columns, gaps included. */
static size_t
used(const size_t *w, size_t n, size_t *nvis)
{
	size_t i, sum = 0, v = 0;

	for (i = 0; i < n; i++)
		if (w[i] > 0) {
			sum += w[i];
			v++;
		}
	*nvis = v;
	return v ? sum + v - 1 : 0;
}

static size_t
col_min(const struct column_spec *c)
{
	return c->min > 0 ? c->min : 1;
}

static size_t
col_want(const struct column_spec *c, size_t natural)
{
	size_t w = natural;

	if (c->max > 0 && w > c->max)
		w = c->max;
	if (w < col_min(c))
		w = col_min(c);
	return w;
}

/* Width if every visible flexible column were at its min. */
static size_t
used_flex_at_min(const struct column_spec *cols, const size_t *w, size_t n)
{
	size_t i, sum = 0, v = 0;

	for (i = 0; i < n; i++)
		if (w[i] > 0) {
			sum += cols[i].flex > 0 ? col_min(&cols[i]) : w[i];
			v++;
		}
	return v ? sum + v - 1 : 0;
}

/*
 * Takes `need` columns from the widest column of the chosen kind that is
 * above its min, one at a time, so shrunk columns end up level. Returns
 * what could not be taken.
 */
static size_t
shrink(const struct column_spec *cols, size_t *w, size_t n, int flexible,
    size_t need)
{
	while (need > 0) {
		size_t i, best = n, widest = 0;

		for (i = 0; i < n; i++) {
			if (w[i] == 0 || (cols[i].flex > 0) != flexible ||
			    w[i] <= col_min(&cols[i]))
				continue;
			/* >= takes the rightmost on a tie. */
			if (w[i] >= widest) {
				widest = w[i];
				best = i;
			}
		}
		if (best == n)
			break;
		w[best]--;
		need--;
	}
	return need;
}

static void
grow(const struct column_spec *cols, size_t *w, size_t n, size_t spare)
{
	while (spare > 0) {
		size_t i, shares = 0, given = 0, round = spare;

		for (i = 0; i < n; i++)
			if (w[i] > 0 && cols[i].flex > 0 &&
			    (cols[i].max == 0 || w[i] < cols[i].max))
				shares += (size_t)cols[i].flex;
		if (shares == 0)
			return;
		for (i = 0; i < n && spare > 0; i++) {
			size_t add;
			if (w[i] == 0 || cols[i].flex <= 0 ||
			    (cols[i].max > 0 && w[i] >= cols[i].max))
				continue;
			add = round * (size_t)cols[i].flex / shares;
			if (add == 0)
				add = 1;	/* the remainder, left to right */
			if (add > spare)
				add = spare;
			if (cols[i].max > 0 && w[i] + add > cols[i].max)
				add = cols[i].max - w[i];
			w[i] += add;
			spare -= add;
			given += add;
		}
		if (given == 0)
			return;
	}
}

int
columns_layout(const struct column_spec *cols, size_t n,
    const size_t *natural, size_t total_width, size_t *out_widths)
{
	size_t i, nvis, u;

	for (i = 0; i < n; i++)
		out_widths[i] = col_want(&cols[i], natural[i]);
	if (n == 0)
		return 0;
	if (total_width == 0) {
		for (i = 0; i < n; i++)
			out_widths[i] = 0;
		return 0;
	}
	/* 2: hide the least important columns. */
	while (used_flex_at_min(cols, out_widths, n) > total_width) {
		size_t victim = n;
		for (i = 0; i < n; i++)
			if (out_widths[i] > 0 && cols[i].priority > 0 &&
			    (victim == n ||
			    cols[i].priority <= cols[victim].priority))
				victim = i;
		if (victim == n)
			break;
		out_widths[victim] = 0;
	}
	/* 3 and 4: shrink, then hide from the right. */
	for (;;) {
		u = used(out_widths, n, &nvis);
		if (u <= total_width)
			break;
		if (shrink(cols, out_widths, n, 1, u - total_width) == 0)
			continue;
		u = used(out_widths, n, &nvis);
		if (shrink(cols, out_widths, n, 0, u - total_width) == 0)
			continue;
		if (nvis > 1) {
			for (i = n; i-- > 0;)
				if (out_widths[i] > 0) {
					out_widths[i] = 0;
					break;
				}
			continue;
		}
		for (i = 0; i < n; i++)
			if (out_widths[i] > 0)
				out_widths[i] = total_width;
		break;
	}
	/* 5: spare room to the flexible columns. */
	u = used(out_widths, n, &nvis);
	if (u < total_width)
		grow(cols, out_widths, n, total_width - u);
	used(out_widths, n, &nvis);
	return (int)nvis;
}

size_t
columns_parse_order(const struct column_spec *cols, size_t n, const char *text,
    size_t *order)
{
	size_t placed = 0, i, j, len;
	const char *p = text, *end;

	while (p != NULL && *p != '\0') {
		p += strspn(p, " \t,");
		len = strcspn(p, ",");
		end = p + len;
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		for (i = 0; i < n && len > 0; i++) {
			if (strlen(cols[i].title) != len ||
			    strncasecmp(cols[i].title, p, len) != 0)
				continue;
			for (j = 0; j < placed && order[j] != i; j++)
				;
			if (j == placed && placed < n)
				order[placed++] = i;
			break;
		}
		p = end;
	}
	return placed;
}

void
columns_format_order(const struct column_spec *cols, const size_t *order,
    size_t n_order, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < n_order; i++) {
		int w = snprintf(buf + off, len - off, "%s%s", i > 0 ? "," : "",
		    cols[order[i]].title);

		if (w < 0 || (size_t)w >= len - off) {
			buf[off] = '\0';	/* whole names only */
			return;
		}
		off += (size_t)w;
	}
}
