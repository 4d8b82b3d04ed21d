/*
 * One alarm (Enter in the alarms view): what it watches and its condition
 * in words, its state and for how long, its StateReason (sanitised,
 * wrapped to the screen), its metric over the last hours as a chart with
 * the threshold drawn across (eighth blocks, or ASCII where the terminal
 * has no UTF-8), and its recent history (DescribeAlarmHistory, newest
 * first). A composite alarm shows its rule where the chart would be. The
 * history and the metric are read when the view opens and again on r;
 * each part says when it is loading or why it failed.
 */
#include "ui.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alarm.h"
#include "aws.h"
#include "aws-op.h"
#include "buf.h"
#include "chart.h"
#include "cw-alarms.h"
#include "cw-metrics.h"
#include "glyph.h"
#include "keys.h"
#include "sanitize.h"
#include "timeutil.h"
#include "xmalloc.h"

#define DETAIL_HISTORY		20	/* DescribeAlarmHistory items asked for */
#define DETAIL_CHART_ROWS	8
#define DETAIL_HOURS		6	/* the chart's window, at least */
#define DETAIL_MAX_POINTS	4096	/* columns of the time axis before bucketing */

struct detail_line {
	char	*text;
	int	 role;
};

struct pane_alarm_detail {
	struct ui		*ui;
	size_t			 env;
	char			*name;

	struct aws_call		*hist_call;
	enum model_load		 hist_state;
	struct dlc_err		 hist_err;
	struct cw_alarm_history	 hist;

	struct cw_metrics_fetch	*metric_fetch;
	enum model_load		 metric_state;
	struct dlc_err		 metric_err;
	struct cw_series	 series;
	time_t			 metric_start, metric_end;
	long			 metric_period;

	struct detail_line	*lines;
	size_t			 n_lines, cap_lines;
	size_t			 top;
	int			 follow;	/* unused: the view starts at its top */
	int			 rows;
};

static const struct cw_alarm *
detail_alarm(struct pane_alarm_detail *p)
{
	const struct model_alarms *ma = model_env_alarms(p->ui->model, p->env);

	return ma != NULL ? cw_alarm_list_find(&ma->list, p->name) : NULL;
}

static void
detail_add(struct pane_alarm_detail *p, int role, const char *text)
{
	if (p->n_lines == p->cap_lines) {
		p->cap_lines = p->cap_lines != 0 ? p->cap_lines * 2 : 64;
		p->lines = xreallocarray(p->lines, p->cap_lines, sizeof *p->lines);
	}
	p->lines[p->n_lines].text = xstrdup(text);
	p->lines[p->n_lines].role = role;
	p->n_lines++;
}

static void
detail_addf(struct pane_alarm_detail *p, int role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
detail_addf(struct pane_alarm_detail *p, int role, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	detail_add(p, role, s);
	free(s);
}

static void
detail_lines_clear(struct pane_alarm_detail *p)
{
	size_t i;

	for (i = 0; i < p->n_lines; i++)
		free(p->lines[i].text);
	p->n_lines = 0;
}

/*
 * Untrusted text as lines of at most width columns, each after indent
 * spaces: sanitised first (its own line breaks kept, escapes shown
 * inert), then broken at the last blank that fits, or mid-word when a
 * word is wider than the line.
 */
static void
detail_wrap(struct pane_alarm_detail *p, const char *text, size_t width, int indent, int role)
{
	struct buf clean, line;
	const char *s, *end;

	if (width < 8)
		width = 8;
	buf_init(&clean, 0);
	sanitize_append(&clean, text != NULL ? text : "", text != NULL ? strlen(text) : 0,
	    SANITIZE_KEEP_NEWLINE | SANITIZE_TAB_AS_SPACE);
	s = clean.data != NULL ? clean.data : "";
	end = s + clean.len;
	buf_init(&line, 0);
	while (s <= end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		const char *stop = eol != NULL ? eol : end;

		do {
			const char *q = s, *brk = NULL;
			size_t w = 0;
			uint32_t cp;

			while (q < stop) {
				size_t n = sanitize_utf8_decode(q, (size_t)(stop - q), &cp);
				int cw;

				if (n == 0)
					n = 1, cp = '?';
				cw = sanitize_cp_width(cp);
				if (w + (size_t)cw > width)
					break;
				if (cp == ' ')
					brk = q;
				w += (size_t)cw;
				q += n;
			}
			if (q < stop && brk != NULL && brk > s)
				q = brk;
			buf_reset(&line);
			buf_printf(&line, "%*s%.*s", indent, "", (int)(q - s), s);
			detail_add(p, role, line.data != NULL ? line.data : "");
			s = q;
			while (s < stop && *s == ' ')
				s++;
		} while (s < stop);
		s = stop + 1;
	}
	buf_free(&line);
	buf_free(&clean);
}

/* ---- reading the history and the metric ---- */

static void
detail_history_got(struct aws_reply *reply, struct cw_alarm_history *h, void *arg)
{
	struct pane_alarm_detail *p = arg;

	p->hist_call = NULL;
	cw_alarm_history_clear(&p->hist);
	if (reply->ok != 0 || h == NULL) {
		p->hist_state = MODEL_FAILED;
		p->hist_err = reply->err;
	} else {
		p->hist_state = MODEL_READY;
		dlc_err_clear(&p->hist_err);
		p->hist = *h;
		memset(h, 0, sizeof *h);
	}
	ui_dirty(p->ui, UI_DIRTY_MAIN);
}

static void
detail_metric_got(struct aws_reply *reply, struct cw_series *series, size_t n, void *arg)
{
	struct pane_alarm_detail *p = arg;

	p->metric_fetch = NULL;
	cw_series_clear(&p->series);
	if (series == NULL || n == 0) {
		p->metric_state = MODEL_FAILED;
		p->metric_err = reply->err;
	} else {
		p->metric_state = MODEL_READY;
		dlc_err_clear(&p->metric_err);
		p->series = series[0];
		memset(&series[0], 0, sizeof series[0]);
	}
	ui_dirty(p->ui, UI_DIRTY_MAIN);
}

/* The chart's window: at least DETAIL_HOURS, and 24 of the alarm's periods. */
static void
detail_fetch_metric(struct pane_alarm_detail *p, const struct cw_alarm *a, struct aws_env *aenv)
{
	struct cw_metric_query q;
	long period = a->period > 0 ? a->period : 300, span;

	if (a->composite || a->metric_name == NULL || a->namespace == NULL || a->statistic == NULL)
		return;
	span = 24 * period > DETAIL_HOURS * 3600 ? 24 * period : DETAIL_HOURS * 3600;
	if (span > 3 * 86400)
		span = 3 * 86400;
	p->metric_period = period;
	p->metric_end = timeutil_now() / period * period + period;
	p->metric_start = p->metric_end - span;
	memset(&q, 0, sizeof q);
	q.id = "m1";
	q.namespace = a->namespace;
	q.metric = a->metric_name;
	q.stat = a->statistic;
	q.dims = (const struct cw_dimension *)a->dims;
	q.n_dims = a->n_dims;
	q.period = period;
	p->metric_state = MODEL_LOADING;
	p->metric_fetch = cw_get_metric_data(aenv, &q, 1, p->metric_start, p->metric_end,
	    detail_metric_got, p);
}

static void
detail_fetch(struct pane_alarm_detail *p)
{
	const struct cw_alarm *a = detail_alarm(p);
	struct aws_env *aenv = model_env_at(p->ui->model, p->env)->aenv;

	if (aenv == NULL || a == NULL)
		return;
	if (p->hist_call == NULL) {
		p->hist_state = MODEL_LOADING;
		p->hist_call = cw_describe_alarm_history(aenv, p->name, DETAIL_HISTORY,
		    detail_history_got, p);
	}
	if (p->metric_fetch == NULL)
		detail_fetch_metric(p, a, aenv);
}

static void *
pane_alarm_detail_init(struct ui *ui, const char *arg)
{
	struct pane_alarm_detail *p;

	if (ui->env < 0 || arg == NULL || *arg == '\0')
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->ui = ui;
	p->env = (size_t)ui->env;
	p->name = xstrdup(arg);
	p->rows = 10;
	dlc_err_clear(&p->hist_err);
	dlc_err_clear(&p->metric_err);
	detail_fetch(p);
	return p;
}

static void
pane_alarm_detail_free(void *state)
{
	struct pane_alarm_detail *p = state;

	aws_call_cancel(p->hist_call);
	cw_metrics_cancel(p->metric_fetch);
	cw_alarm_history_clear(&p->hist);
	cw_series_clear(&p->series);
	detail_lines_clear(p);
	free(p->lines);
	free(p->name);
	free(p);
}

/* ---- the lines shown ---- */

static void
detail_err_lines(struct pane_alarm_detail *p, const char *what, const struct dlc_err *e, size_t width)
{
	char *s = xasprintf("could not read %s: %s%s%s", what, e->code,
	    e->code[0] != '\0' ? ": " : "", e->message);

	detail_wrap(p, s, width, 2, ROLE_ERROR);
	free(s);
	if (e->fix[0] != '\0')
		detail_wrap(p, e->fix, width, 2, ROLE_WARN);
	else
		detail_add(p, ROLE_WARN, "  r tries again");
}

/*
 * The series placed on the time axis, one column per period: a period
 * with no point is a gap, so a quiet hour shows as one instead of being
 * squeezed out.
 */
static double *
detail_axis(struct pane_alarm_detail *p, size_t *n)
{
	long period = p->metric_period > 0 ? p->metric_period : 300;
	size_t cols = (size_t)((p->metric_end - p->metric_start) / period), i;
	double *v;

	if (cols == 0)
		cols = 1;
	if (cols > DETAIL_MAX_POINTS)
		cols = DETAIL_MAX_POINTS;
	v = xcalloc(cols, sizeof *v);
	for (i = 0; i < cols; i++)
		v[i] = NAN;
	for (i = 0; i < p->series.n; i++) {
		time_t t = p->series.t[i];
		size_t at;

		if (t < p->metric_start || t >= p->metric_end)
			continue;
		at = (size_t)((t - p->metric_start) / period);
		if (at < cols)
			v[at] = p->series.v[i];
	}
	*n = cols;
	return v;
}

static void
detail_chart(struct pane_alarm_detail *p, const struct cw_alarm *a, size_t width)
{
	struct chart c;
	double *v, thr = a->threshold;
	size_t n, i, plot;
	char from[32], to[32], period[32];
	struct tm tm;

	alarm_period_words(p->metric_period, period, sizeof period);
	detail_addf(p, ROLE_TITLE, "Metric: %s (%s, per %s), the last %ld h",
	    a->metric_name, a->statistic, period, (long)((p->metric_end - p->metric_start) / 3600));
	if (p->metric_state == MODEL_LOADING || p->metric_state == MODEL_IDLE) {
		detail_add(p, ROLE_LOADING, "  reading the metric (GetMetricData)…");
		return;
	}
	if (p->metric_state == MODEL_FAILED) {
		detail_err_lines(p, "the metric", &p->metric_err, width);
		return;
	}
	if (p->series.status != NULL && strcmp(p->series.status, "Complete") != 0)
		detail_addf(p, ROLE_WARN, "  CloudWatch says %s%s%s", p->series.status,
		    p->series.message != NULL ? ": " : "", p->series.message != NULL ? p->series.message : "");
	v = detail_axis(p, &n);
	plot = width > CHART_LABEL_WIDTH + 4 ? width - CHART_LABEL_WIDTH - 3 : 8;
	memset(&c, 0, sizeof c);
	chart_render(&c, v, n, a->has_threshold ? &thr : NULL, DETAIL_CHART_ROWS, plot, !glyph_ascii());
	for (i = 0; i < c.height; i++)
		detail_addf(p, (int)i == c.threshold_row ? ROLE_WARN : ROLE_NORMAL, "  %s", c.rows[i]);
	gmtime_r(&p->metric_start, &tm);
	strftime(from, sizeof from, "%d %b %H:%M", &tm);
	gmtime_r(&p->metric_end, &tm);
	strftime(to, sizeof to, "%H:%M UTC", &tm);
	detail_addf(p, ROLE_DIM, "  %*s%s … %s", CHART_LABEL_WIDTH + 1, "", from, to);
	if (p->series.n == 0)
		detail_add(p, ROLE_DIM, "  no data points in this window");
	if (a->has_threshold)
		detail_addf(p, ROLE_WARN, "  %s threshold %g (%s)", glyph_ascii() ? "-" : "─",
		    a->threshold, a->comparison != NULL ? a->comparison : "?");
	chart_clear(&c);
	free(v);
}

static void
detail_history(struct pane_alarm_detail *p, size_t width)
{
	size_t i;
	char when[TIMEUTIL_ISO_LEN];

	detail_add(p, ROLE_TITLE, "History (newest first)");
	if (p->hist_state == MODEL_LOADING || p->hist_state == MODEL_IDLE) {
		detail_add(p, ROLE_LOADING, "  reading the history (DescribeAlarmHistory)…");
		return;
	}
	if (p->hist_state == MODEL_FAILED) {
		detail_err_lines(p, "the history", &p->hist_err, width);
		return;
	}
	if (p->hist.n == 0)
		detail_add(p, ROLE_DIM, "  no history kept for this alarm (CloudWatch keeps 30 days)");
	for (i = 0; i < p->hist.n; i++) {
		const struct cw_alarm_event *e = &p->hist.v[i];
		char *s;

		timeutil_format_iso(e->t, when, sizeof when);
		if (e->new_state != NULL)
			s = xasprintf("%s  %s -> %s  %s", when, e->old_state != NULL ? e->old_state : "?",
			    e->new_state, e->summary != NULL ? e->summary : "");
		else
			s = xasprintf("%s  %s  %s", when, e->type != NULL ? e->type : "?",
			    e->summary != NULL ? e->summary : "");
		detail_wrap(p, s, width, 2, e->new_state != NULL ?
		    pane_alarms_state_role(e->new_state) : ROLE_NORMAL);
		free(s);
	}
}

static void
detail_build(struct pane_alarm_detail *p, const struct cw_alarm *a, size_t width)
{
	char buf[512], age[48], since[TIMEUTIL_ISO_LEN], st[64];
	size_t i;

	detail_lines_clear(p);
	alarm_age_words(a->state_since, timeutil_now(), age, sizeof age);
	timeutil_format_iso(a->state_since, since, sizeof since);
	detail_addf(p, pane_alarms_state_role(a->state), "%s for %s (since %s)",
	    pane_alarms_state_text(a->state, st, sizeof st), age, a->state_since != 0 ? since : "?");
	detail_wrap(p, a->name, width, 0, ROLE_TITLE);
	if (a->description != NULL && *a->description != '\0')
		detail_wrap(p, a->description, width, 2, ROLE_DIM);
	detail_addf(p, ROLE_NORMAL, "  function:   %s%s%s%s", a->local_function != NULL ?
	    a->local_function : (a->function != NULL ? a->function : "- (none matched)"),
	    a->local_function != NULL ? " (" : "", a->local_function != NULL ? a->function : "",
	    a->local_function != NULL ? ")" : "");
	detail_addf(p, ROLE_NORMAL, "  condition:  %s", alarm_threshold_words(a, buf, sizeof buf));
	if (!a->composite)
		for (i = 0; i < a->n_dims; i++)
			detail_addf(p, ROLE_NORMAL, "  dimension:  %s = %s", a->dims[i].name, a->dims[i].value);
	detail_addf(p, a->actions_enabled ? ROLE_NORMAL : ROLE_WARN, "  actions:    %s",
	    a->actions_enabled ? "enabled" : "DISABLED: a change of state notifies no one");
	detail_add(p, ROLE_NORMAL, "");
	detail_add(p, ROLE_TITLE, "Why (StateReason)");
	detail_wrap(p, a->state_reason != NULL && *a->state_reason != '\0' ? a->state_reason :
	    "(none given)", width > 2 ? width - 2 : width, 2, ROLE_NORMAL);
	detail_add(p, ROLE_NORMAL, "");
	if (a->composite) {
		detail_add(p, ROLE_TITLE, "Rule (a composite alarm: no metric of its own)");
		detail_wrap(p, a->alarm_rule != NULL ? a->alarm_rule : "?", width > 2 ? width - 2 : width,
		    2, ROLE_NORMAL);
	} else if (a->metric_name == NULL) {
		detail_add(p, ROLE_TITLE, "Metric math: no single metric to chart");
		detail_wrap(p, a->expression != NULL ? a->expression : "?", width > 2 ? width - 2 : width,
		    2, ROLE_NORMAL);
	} else
		detail_chart(p, a, width);
	detail_add(p, ROLE_NORMAL, "");
	detail_history(p, width > 2 ? width - 2 : width);
}

static void
pane_alarm_detail_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_alarm_detail *p = state;
	const struct cw_alarm *a = detail_alarm(p);
	size_t i, last;
	int y;

	p->rows = rows;
	if (a == NULL) {
		draw_text(win, 1, 2, cols - 4, "this alarm is no longer in the environment's list "
		    "(deleted, or the list is reloading): Esc goes back", ROLE_DIM, 0);
		return;
	}
	detail_build(p, a, cols > 4 ? (size_t)cols - 2 : 8);
	last = p->n_lines > (size_t)rows ? p->n_lines - (size_t)rows : 0;
	if (p->top > last)
		p->top = last;
	for (i = p->top, y = 0; i < p->n_lines && y < rows; i++, y++)
		draw_text(win, y, 1, cols - 1, p->lines[i].text, p->lines[i].role, 0);
}

static int
pane_alarm_detail_action(void *state, const char *action)
{
	struct pane_alarm_detail *p = state;
	size_t last = p->n_lines > (size_t)p->rows ? p->n_lines - (size_t)p->rows : 0;

	if (strcmp(action, "refresh") == 0) {
		detail_fetch(p);
		model_refresh_alarms(p->ui->model, p->env);
		ui_message(p->ui, 0, "reading %s again…", p->name);
		return 1;
	}
	p->follow = 0;
	return pane_text_scroll(action, &p->top, &p->follow, last, p->rows, p->n_lines);
}

static int
pane_alarm_detail_on_change(void *state, enum model_change what, size_t env, const char *fn)
{
	struct pane_alarm_detail *p = state;

	(void)fn;
	return what == MODEL_CHANGE_ALARMS && env == p->env;
}

static void
pane_alarm_detail_title(void *state, char *buf, size_t len)
{
	struct pane_alarm_detail *p = state;

	snprintf(buf, len, "alarm %s (%s)", p->name, model_env_at(p->ui->model, p->env)->conf->name);
}

const struct pane_ops pane_alarm_detail_ops = {
	"alarm", KEYCTX_LIST,
	pane_alarm_detail_init, pane_alarm_detail_free, pane_alarm_detail_draw,
	pane_alarm_detail_action, pane_alarm_detail_on_change, pane_alarm_detail_title, NULL, NULL
};
