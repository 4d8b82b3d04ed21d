/* The list model: filter, natural sort, identity-following selection. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "listview.h"
#include "regexp.h"
#include "xmalloc.h"

enum filter_kind { FILTER_NONE, FILTER_SUBSTRING, FILTER_REGEX };

/* A row and its sort column's text, fetched once rather than per compare. */
struct sortkey {
	size_t		 row;
	const char	*text;
};

struct listview {
	struct listview_source src;
	void		*arg;
	size_t		*rows;		/* visible rows, in display order */
	struct sortkey	*keys;		/* scratch for sorting, cap long */
	size_t		 nvis, cap, total;
	char		*filter;	/* as given, "" for none */
	enum filter_kind kind;
	const char	*needle;	/* the substring, inside filter */
	size_t		 needle_len;
	int		 fold;		/* smart case said: ignore case */
	pcre2_code	*re;
	pcre2_match_data *md;
	size_t		 sort_col;
	int		 desc;
	char		*sel_id;	/* follows the row across refreshes */
	size_t		 cursor, top;
};

/* ASCII only and inline: the sort's inner loop must not go via locale. */
static inline int
is_digit(int c)
{
	return (unsigned)c - '0' < 10u;
}

static inline int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int
sign(int c)
{
	return (c > 0) - (c < 0);
}

/*
 * One pass: the first difference ignoring case decides; failing that, the
 * first difference in case or in leading zeros, so the order is total.
 */
int
listview_natural_cmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;
	int tie = 0;

	while (*p != '\0' && *q != '\0') {
		if (is_digit(*p) && is_digit(*q)) {
			size_t lp = 0, lq = 0, zp = 0, zq = 0;
			int c;
			while (p[zp] == '0')
				zp++;
			while (q[zq] == '0')
				zq++;
			p += zp;
			q += zq;
			while (is_digit(p[lp]))
				lp++;
			while (is_digit(q[lq]))
				lq++;
			if (lp != lq)
				return lp < lq ? -1 : 1;
			c = memcmp(p, q, lp);
			if (c != 0)
				return sign(c);
			if (tie == 0 && zp != zq)
				tie = zp > zq ? -1 : 1;
			p += lp;
			q += lq;
			continue;
		}
		if (*p != *q) {
			int cp = lower(*p), cq = lower(*q);
			if (cp != cq)
				return cp < cq ? -1 : 1;
			if (tie == 0)
				tie = *p < *q ? -1 : 1;
		}
		p++;
		q++;
	}
	if (*p != '\0' || *q != '\0')
		return *p != '\0' ? 1 : -1;
	return tie;
}

struct listview *
listview_new(const struct listview_source *src, void *arg)
{
	struct listview *lv = xcalloc(1, sizeof(*lv));

	lv->src = *src;
	lv->arg = arg;
	lv->filter = xstrdup("");
	return lv;
}

static void
filter_drop(struct listview *lv)
{
	pcre2_match_data_free(lv->md);
	pcre2_code_free(lv->re);
	lv->md = NULL;
	lv->re = NULL;
	lv->kind = FILTER_NONE;
	lv->needle = NULL;
	lv->needle_len = 0;
}

void
listview_free(struct listview *lv)
{
	if (lv == NULL)
		return;
	filter_drop(lv);
	free(lv->filter);
	free(lv->rows);
	free(lv->keys);
	free(lv->sel_id);
	free(lv);
}

static const char *
cell(const struct listview *lv, size_t row, size_t col)
{
	const char *s = lv->src.text ? lv->src.text(lv->arg, row, col) : NULL;

	return s ? s : "";
}

static const char *
row_id(const struct listview *lv, size_t row)
{
	const char *s = lv->src.id ? lv->src.id(lv->arg, row) : NULL;

	return s ? s : "";
}

/* Byte offset of the first case-folded match of the needle, or -1. */
static long
find_folded(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t i, j;
	int first;

	if (nlen == 0)
		return 0;
	if (nlen > hlen)
		return -1;
	first = lower((unsigned char)needle[0]);
	for (i = 0; i + nlen <= hlen; i++) {
		if (lower((unsigned char)hay[i]) != first)
			continue;
		for (j = 1; j < nlen; j++)
			if (lower((unsigned char)hay[i + j]) !=
			    lower((unsigned char)needle[j]))
				break;
		if (j == nlen)
			return (long)i;
	}
	return -1;
}

static int
match_text(const struct listview *lv, const char *text, size_t len,
    size_t *start, size_t *end)
{
	if (lv->kind == FILTER_SUBSTRING) {
		long at;
		if (lv->fold) {
			at = find_folded(text, len, lv->needle, lv->needle_len);
		} else {
			const char *m = memmem(text, len, lv->needle,
			    lv->needle_len);
			at = m ? m - text : -1;
		}
		if (at < 0)
			return 0;
		*start = (size_t)at;
		*end = (size_t)at + lv->needle_len;
		return 1;
	}
	if (lv->kind == FILTER_REGEX) {
		int rc = pcre2_match(lv->re, (PCRE2_SPTR)text, len, 0, 0,
		    lv->md, NULL);
		PCRE2_SIZE *ov;
		if (rc < 0)
			return 0;
		ov = pcre2_get_ovector_pointer(lv->md);
		*start = ov[0];
		*end = ov[1] >= ov[0] ? ov[1] : ov[0];	/* \K can invert */
		return 1;
	}
	return 0;
}

int
listview_matches(const struct listview *lv, const char *text, size_t len,
    size_t *start, size_t *end)
{
	if (text == NULL)
		return 0;
	return match_text(lv, text, len, start, end);
}

static int
row_passes(const struct listview *lv, size_t row)
{
	size_t c, s, e;

	if (lv->kind == FILTER_NONE)
		return 1;
	for (c = 0; c < lv->src.ncols; c++) {
		const char *t = cell(lv, row, c);
		if (match_text(lv, t, strlen(t), &s, &e))
			return 1;
	}
	return 0;
}

static int
row_cmp(const void *pa, const void *pb, void *varg)
{
	const struct listview *lv = varg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = sign(lv->src.compare(lv->arg, a, b, lv->sort_col));

	if (lv->desc)
		c = -c;
	if (c == 0)
		c = a < b ? -1 : a > b;
	return c;
}

static int
key_cmp(const void *pa, const void *pb, void *varg)
{
	const struct listview *lv = varg;
	const struct sortkey *a = pa, *b = pb;
	int c = listview_natural_cmp(a->text, b->text);

	if (lv->desc)
		c = -c;
	if (c == 0)
		c = a->row < b->row ? -1 : a->row > b->row;
	return c;
}

static void
sort_rows(struct listview *lv)
{
	size_t i;

	if (lv->src.ncols == 0 || lv->nvis < 2)
		return;
	if (lv->src.compare != NULL) {
		qsort_r(lv->rows, lv->nvis, sizeof(*lv->rows), row_cmp, lv);
		return;
	}
	for (i = 0; i < lv->nvis; i++) {
		lv->keys[i].row = lv->rows[i];
		lv->keys[i].text = cell(lv, lv->rows[i], lv->sort_col);
	}
	qsort_r(lv->keys, lv->nvis, sizeof(*lv->keys), key_cmp, lv);
	for (i = 0; i < lv->nvis; i++)
		lv->rows[i] = lv->keys[i].row;
}

static void
remember_selection(struct listview *lv)
{
	const char *id;

	if (lv->nvis == 0)
		return;
	id = row_id(lv, lv->rows[lv->cursor]);
	if (lv->sel_id != NULL && strcmp(lv->sel_id, id) == 0)
		return;
	free(lv->sel_id);
	lv->sel_id = xstrdup(id);
}

static long
find_id(const struct listview *lv, const char *id)
{
	size_t i;

	for (i = 0; i < lv->nvis; i++)
		if (strcmp(row_id(lv, lv->rows[i]), id) == 0)
			return (long)i;
	return -1;
}

void
listview_refresh(struct listview *lv)
{
	size_t r, n = lv->src.count ? lv->src.count(lv->arg) : 0;
	size_t old_cursor = lv->cursor;
	long at;

	if (n > lv->cap) {
		lv->rows = xreallocarray(lv->rows, n, sizeof(*lv->rows));
		lv->keys = xreallocarray(lv->keys, n, sizeof(*lv->keys));
		lv->cap = n;
	}
	lv->total = n;
	lv->nvis = 0;
	for (r = 0; r < n; r++)
		if (row_passes(lv, r))
			lv->rows[lv->nvis++] = r;
	sort_rows(lv);
	if (lv->nvis == 0) {
		/* Keep sel_id: clearing the filter brings the cursor back. */
		lv->cursor = 0;
		return;
	}
	at = lv->sel_id ? find_id(lv, lv->sel_id) : -1;
	if (at >= 0) {
		lv->cursor = (size_t)at;
	} else {
		lv->cursor = old_cursor < lv->nvis ? old_cursor : lv->nvis - 1;
		remember_selection(lv);
	}
}

int
listview_set_filter(struct listview *lv, const char *pattern,
    struct dlc_err *err)
{
	pcre2_code *re = NULL;

	if (pattern == NULL)
		pattern = "";
	if (pattern[0] == '/') {
		re = regexp_compile(pattern + 1, "BadFilter", "filter", err);
		if (re == NULL) {
			dlc_err_fix(err, "Fix the regular expression, or drop "
			    "the leading '/' to match a plain substring.");
			return -1;
		}
	}
	filter_drop(lv);
	free(lv->filter);
	lv->filter = xstrdup(pattern);
	if (re != NULL) {
		lv->kind = FILTER_REGEX;
		lv->re = re;
		lv->md = pcre2_match_data_create_from_pattern(re, NULL);
		if (lv->md == NULL)
			fatal("out of memory for a regex match");
	} else if (pattern[0] != '\0') {
		lv->kind = FILTER_SUBSTRING;
		lv->needle = lv->filter;
		lv->needle_len = strlen(lv->filter);
		lv->fold = !regexp_has_upper(lv->filter, 0);
	}
	listview_refresh(lv);
	return 0;
}

const char *
listview_filter(const struct listview *lv)
{
	return lv->filter;
}

void
listview_set_sort(struct listview *lv, size_t col, int descending)
{
	lv->sort_col = col < lv->src.ncols ? col : 0;
	lv->desc = descending != 0;
	listview_refresh(lv);
}

size_t
listview_sort_col(const struct listview *lv)
{
	return lv->sort_col;
}

int
listview_sort_desc(const struct listview *lv)
{
	return lv->desc;
}

size_t
listview_total(const struct listview *lv)
{
	return lv->total;
}

size_t
listview_visible(const struct listview *lv)
{
	return lv->nvis;
}

size_t
listview_row(const struct listview *lv, size_t visible_index)
{
	if (visible_index >= lv->nvis)
		return (size_t)-1;
	return lv->rows[visible_index];
}

size_t
listview_cursor(const struct listview *lv)
{
	return lv->cursor;
}

const char *
listview_selected_id(const struct listview *lv)
{
	if (lv->nvis == 0)
		return NULL;
	return row_id(lv, lv->rows[lv->cursor]);
}

void
listview_move(struct listview *lv, long delta)
{
	size_t last;

	if (lv->nvis == 0)
		return;
	last = lv->nvis - 1;
	if (delta < 0) {
		size_t back = delta == LONG_MIN ? (size_t)LONG_MAX + 1 :
		    (size_t)-delta;
		lv->cursor = back > lv->cursor ? 0 : lv->cursor - back;
	} else {
		size_t fwd = (size_t)delta;
		lv->cursor = fwd > last - lv->cursor ? last : lv->cursor + fwd;
	}
	remember_selection(lv);
}

void
listview_home(struct listview *lv)
{
	if (lv->nvis == 0)
		return;
	lv->cursor = 0;
	remember_selection(lv);
}

void
listview_end(struct listview *lv)
{
	if (lv->nvis == 0)
		return;
	lv->cursor = lv->nvis - 1;
	remember_selection(lv);
}

int
listview_select_id(struct listview *lv, const char *id)
{
	long at;

	if (id == NULL)
		return -1;
	at = find_id(lv, id);
	if (at < 0)
		return -1;
	lv->cursor = (size_t)at;
	remember_selection(lv);
	return 0;
}

size_t
listview_top(struct listview *lv, size_t height)
{
	if (height == 0 || lv->nvis == 0) {
		lv->top = 0;
		return 0;
	}
	if (lv->cursor < lv->top)
		lv->top = lv->cursor;
	else if (lv->cursor >= lv->top + height)
		lv->top = lv->cursor - height + 1;
	if (lv->nvis <= height)
		lv->top = 0;
	else if (lv->top > lv->nvis - height)
		lv->top = lv->nvis - height;
	return lv->top;
}
