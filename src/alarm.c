/*
 * Alarms as people read them: state order and marks, the condition in
 * words, time in state, and matching to functions. Pure: no I/O, no clock.
 */
#include "alarm.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmalloc.h"

int
alarm_state_rank(const char *state)
{
	if (state == NULL)
		return 3;
	if (strcmp(state, "ALARM") == 0)
		return 0;
	if (strcmp(state, "INSUFFICIENT_DATA") == 0)
		return 1;
	if (strcmp(state, "OK") == 0)
		return 2;
	return 3;
}

static int
alarm_cmp(const void *a, const void *b)
{
	const struct cw_alarm *x = a, *y = b;
	int rx = alarm_state_rank(x->state), ry = alarm_state_rank(y->state);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x->name != NULL ? x->name : "",
	    y->name != NULL ? y->name : "");
}

void
alarm_sort(struct cw_alarm_list *l)
{
	if (l != NULL && l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, alarm_cmp);
}

const char *
alarm_state_glyph(const char *state, int utf8)
{
	switch (alarm_state_rank(state)) {
	case 0:
		return utf8 ? "\xe2\x9c\x96" : "!!";	/* ✖ */
	case 1:
		return utf8 ? "?" : "??";
	case 2:
		return utf8 ? "\xe2\x9c\x94" : "ok";	/* ✔ */
	default:
		return "-";
	}
}

const char *
alarm_state_short(const char *state)
{
	if (state == NULL)
		return "-";
	return strcmp(state, "INSUFFICIENT_DATA") == 0 ? "INSUFF_DATA" : state;
}

/* ---- the condition in words ---- */

/*
 * A threshold as a person writes it: "1", "0.5", "840000", "1e+20".
 * Always with '.', whatever the console's locale says.
 */
static void
alarm_number(struct buf *b, double v)
{
	static locale_t c_locale;
	locale_t old;

	if (isfinite(v) && v == floor(v) && fabs(v) < 1e15) {
		buf_printf(b, "%.0f", v);
		return;
	}
	if (c_locale == (locale_t)0)
		c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	old = uselocale(c_locale);
	buf_printf(b, "%.6g", v);
	uselocale(old);
}

const char *
alarm_period_words(long s, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (s <= 0)
		snprintf(buf, len, "?");
	else if (s % 86400 == 0)
		snprintf(buf, len, "%ld d", s / 86400);
	else if (s % 3600 == 0)
		snprintf(buf, len, "%ld h", s / 3600);
	else if (s % 60 == 0)
		snprintf(buf, len, "%ld min", s / 60);
	else
		snprintf(buf, len, "%ld s", s);
	return buf;
}

static const struct {
	const char	*op;
	const char	*words;
	int		 band;	/* compares with an anomaly band, not a number */
} alarm_ops[] = {
	{ "GreaterThanOrEqualToThreshold", ">=", 0 },
	{ "GreaterThanThreshold", ">", 0 },
	{ "LessThanThreshold", "<", 0 },
	{ "LessThanOrEqualToThreshold", "<=", 0 },
	{ "LessThanLowerOrGreaterThanUpperThreshold", "outside band", 1 },
	{ "LessThanLowerThreshold", "below band", 1 },
	{ "GreaterThanUpperThreshold", "above band", 1 },
};

/*
 * The longest prefix, ending in '-' or '_', that every quoted name of a
 * composite rule shares (so "ALARM(\"datalake-alpha-a-errors\") OR
 * ALARM(\"datalake-alpha-b-errors\")" reads "ALARM(a-errors) OR
 * ALARM(b-errors)"); 0 with fewer than two names.
 */
static size_t
alarm_rule_prefix(const char *rule)
{
	const char *p = rule, *first = NULL, *q, *end;
	size_t best = 0, names = 0, i;

	while ((q = strchr(p, '"')) != NULL) {
		q++;
		end = strchr(q, '"');
		if (end == NULL)
			break;
		if (first == NULL) {
			first = q;
			best = (size_t)(end - q);
		} else {
			for (i = 0; i < best && i < (size_t)(end - q) &&
			    first[i] == q[i]; i++)
				;
			best = i;
		}
		names++;
		p = end + 1;
	}
	if (names < 2)
		return 0;
	while (best > 0 && first[best - 1] != '-' && first[best - 1] != '_')
		best--;
	return best;
}

static void
alarm_rule_words(struct buf *b, const char *rule)
{
	size_t cut = alarm_rule_prefix(rule);
	const char *p;
	int in_quote = 0, space = 0;

	for (p = rule; *p != '\0'; p++) {
		if (*p == '"') {
			const char *close = strchr(p + 1, '"');

			in_quote = !in_quote;
			/* Only a whole name, as alarm_rule_prefix measured it. */
			if (in_quote && close != NULL &&
			    (size_t)(close - p - 1) >= cut)
				p += cut;
			continue;
		}
		/* Newlines and runs of blanks in a long rule: one space. */
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = 1;
			continue;
		}
		if (space && b->len > 0)
			buf_putc(b, ' ');
		space = 0;
		buf_putc(b, *p);
	}
}

const char *
alarm_threshold_words(const struct cw_alarm *a, char *buf, size_t len)
{
	struct buf b;
	char period[32];
	const char *op = NULL;
	int band = 0;
	size_t i;

	if (len == 0)
		return buf;
	buf_init(&b, 0);
	if (a->composite) {
		alarm_rule_words(&b, a->alarm_rule != NULL ? a->alarm_rule :
		    "(no rule)");
		goto out;
	}
	if (a->expression != NULL && a->band_expression == NULL)
		buf_puts(&b, a->expression);
	else if (a->metric_name != NULL)
		buf_puts(&b, a->metric_name);
	else
		buf_puts(&b, "(metric)");
	if (a->expression == NULL && a->statistic != NULL &&
	    strcmp(a->statistic, "Sum") != 0)
		buf_printf(&b, " (%s)", a->statistic);
	for (i = 0; i < sizeof alarm_ops / sizeof alarm_ops[0]; i++)
		if (a->comparison != NULL &&
		    strcmp(a->comparison, alarm_ops[i].op) == 0) {
			op = alarm_ops[i].words;
			band = alarm_ops[i].band;
		}
	if (op == NULL)
		op = a->comparison != NULL ? a->comparison : "?";
	buf_printf(&b, " %s", op);
	if (band) {
		if (a->band_expression != NULL)
			buf_printf(&b, " (%s)", a->band_expression);
		else if (a->threshold_metric_id != NULL)
			buf_printf(&b, " %s", a->threshold_metric_id);
	} else if (a->has_threshold) {
		buf_putc(&b, ' ');
		alarm_number(&b, a->threshold);
	} else
		buf_puts(&b, " ?");
	buf_printf(&b, " for %ld of %ld x %s", a->datapoints_to_alarm,
	    a->evaluation_periods, alarm_period_words(a->period, period,
	    sizeof period));
out:
	snprintf(buf, len, "%s", b.data != NULL ? b.data : "");
	/* Cut short: say so, and never end inside a UTF-8 sequence. */
	if (b.len >= len && len > 4) {
		size_t end = len - 4;

		while (end > 0 && ((unsigned char)buf[end] & 0xC0) == 0x80)
			end--;
		memcpy(buf + end, "...", 4);
	}
	buf_free(&b);
	return buf;
}

/* ---- time in state ---- */

const char *
alarm_age_words(time_t since, time_t now, char *buf, size_t len)
{
	static const struct { long s; const char *unit; } units[] = {
		{ 86400, "d" }, { 3600, "h" }, { 60, "m" }, { 1, "s" },
	};
	long long d;
	long long first, second;
	size_t i;

	if (len == 0)
		return buf;
	if (since == 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	d = now > since ? (long long)(now - since) : 0;
	for (i = 0; i < 3 && d < units[i].s; i++)
		;
	first = d / units[i].s;
	if (i == 3) {
		snprintf(buf, len, "%llds", first);
		return buf;
	}
	second = (d % units[i].s) / units[i + 1].s;
	if (second == 0)
		snprintf(buf, len, "%lld%s", first, units[i].unit);
	else
		snprintf(buf, len, "%lld%s %lld%s", first, units[i].unit,
		    second, units[i + 1].unit);
	return buf;
}

/* ---- matching to functions ---- */

static int
alarm_boundary(char c)
{
	return c == '\0' || c == '-' || c == '_' || c == '.' || c == '/' ||
	    c == ' ' || c == ':';
}

/* name holds word at a boundary on both sides. */
static int
alarm_name_holds(const char *name, const char *word, size_t wlen)
{
	const char *p = name;

	if (wlen == 0)
		return 0;
	while ((p = strstr(p, word)) != NULL) {
		if ((p == name || alarm_boundary(p[-1])) &&
		    alarm_boundary(p[wlen]))
			return 1;
		p++;
	}
	return 0;
}

static const char *
alarm_dim_function(const struct cw_alarm *a)
{
	size_t i;

	for (i = 0; i < a->n_dims; i++)
		if (strcmp(a->dims[i].name, "FunctionName") == 0 &&
		    a->dims[i].value[0] != '\0')
			return a->dims[i].value;
	return NULL;
}

void
alarm_match(struct cw_alarm_list *l, const struct alarm_fn *fns,
    size_t n_fns)
{
	size_t i, k;

	for (i = 0; i < l->n; i++) {
		struct cw_alarm *a = &l->v[i];
		const char *fn = alarm_dim_function(a);
		const struct alarm_fn *best = NULL;
		size_t best_len = 0, wlen;

		free(a->function);
		free(a->local_function);
		a->function = a->local_function = NULL;
		for (k = 0; k < n_fns; k++) {
			if (fns[k].remote == NULL)
				continue;
			if (fn != NULL) {
				if (strcmp(fns[k].remote, fn) == 0) {
					best = &fns[k];
					break;
				}
				continue;
			}
			wlen = strlen(fns[k].remote);
			if (wlen > best_len && a->name != NULL &&
			    alarm_name_holds(a->name, fns[k].remote, wlen)) {
				best = &fns[k];
				best_len = wlen;
			}
		}
		if (fn != NULL)
			a->function = xstrdup(fn);
		else if (best != NULL)
			a->function = xstrdup(best->remote);
		if (best != NULL && best->local != NULL)
			a->local_function = xstrdup(best->local);
	}
}

size_t
alarm_count(const struct cw_alarm_list *l, const char *function,
    const char *state)
{
	size_t i, n = 0;

	if (l == NULL)
		return 0;
	for (i = 0; i < l->n; i++) {
		const struct cw_alarm *a = &l->v[i];

		if (state != NULL && (a->state == NULL ||
		    strcmp(a->state, state) != 0))
			continue;
		if (function != NULL &&
		    (a->function == NULL || strcmp(a->function, function) != 0) &&
		    (a->local_function == NULL ||
		    strcmp(a->local_function, function) != 0))
			continue;
		n++;
	}
	return n;
}
