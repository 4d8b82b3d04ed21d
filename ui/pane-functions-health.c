/* The functions view's ALARMS, INVOCATIONS and ERRORS cells: see pane-functions-health.h. */
#include "pane-functions-health.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarm.h"
#include "fn-metrics.h"
#include "glyph.h"
#include "model-metrics.h"
#include "sparkline.h"
#include "xmalloc.h"

/* ---- ALARMS ---- */

struct pane_health_alarms {
	char		*function;	/* a copy: a rematch frees the list's before its note arrives */
	size_t		 alarm, insuff, all;
};

/*
 * Each function's counts, by name, built once per alarm list: a count per
 * cell walked every alarm for every function at each measure and at each
 * comparison of a sort, seconds for 10,000 functions and 1,000 alarms.
 * One functions view at a time, so one cache.
 */
static struct {
	const struct model_alarms	*ma;
	size_t				 env;
	unsigned			 gen;
	int				 valid;
	struct pane_health_alarms	*v;
	size_t				 n;
} pane_health_cache;

static int
pane_health_by_function(const void *a, const void *b)
{
	return strcmp(((const struct pane_health_alarms *)a)->function,
	    ((const struct pane_health_alarms *)b)->function);
}

static void
pane_health_cache_build(const struct model_alarms *ma, size_t env)
{
	struct pane_health_alarms *v;
	size_t i, n = 0, u = 0;

	for (i = 0; i < pane_health_cache.n; i++)
		free(pane_health_cache.v[i].function);
	free(pane_health_cache.v);
	v = xcalloc(ma->list.n + 1, sizeof *v);
	for (i = 0; i < ma->list.n; i++)
		if (ma->list.v[i].function != NULL)
			v[n++].function = ma->list.v[i].function;
	qsort(v, n, sizeof *v, pane_health_by_function);
	/* One entry per function, then each alarm counted into its function's. */
	for (i = 0; i < n; i++)
		if (u == 0 || strcmp(v[i].function, v[u - 1].function) != 0)
			v[u++].function = v[i].function;
	for (i = 0; i < u; i++)
		v[i].function = xstrdup(v[i].function);
	for (i = 0; i < ma->list.n; i++) {
		const struct cw_alarm *a = &ma->list.v[i];
		struct pane_health_alarms key, *c;

		if (a->function == NULL)
			continue;
		key.function = a->function;
		c = bsearch(&key, v, u, sizeof *v, pane_health_by_function);
		c->all++;
		c->alarm += alarm_state_rank(a->state) == 0;
		c->insuff += alarm_state_rank(a->state) == 1;
	}
	pane_health_cache.v = v;
	pane_health_cache.n = u;
	pane_health_cache.ma = ma;
	pane_health_cache.env = env;
	pane_health_cache.gen = ma->gen;
	pane_health_cache.valid = 1;
}

/* 0 when the environment's alarms are not known yet (or failed before the first list). */
static int
pane_health_alarm_counts(struct ui *ui, size_t env, const struct model_function *mf,
    struct pane_health_alarms *c, const struct model_alarms **out)
{
	const struct model_alarms *ma = model_env_alarms(ui->model, env);
	struct pane_health_alarms key, *found;

	memset(c, 0, sizeof *c);
	*out = ma;
	if (ma == NULL || ma->fetched_at == 0 || mf->fn.function_name == NULL)
		return 0;
	if (!pane_health_cache.valid || pane_health_cache.ma != ma ||
	    pane_health_cache.env != env || pane_health_cache.gen != ma->gen)
		pane_health_cache_build(ma, env);
	key.function = mf->fn.function_name;
	found = bsearch(&key, pane_health_cache.v, pane_health_cache.n, sizeof key,
	    pane_health_by_function);
	if (found != NULL)
		*c = *found;
	return 1;
}

/* Words first, colour second: "2 ALARM" reads the same on a monochrome terminal. */
static const char *
pane_health_alarms_cell(struct ui *ui, size_t env, const struct model_function *mf,
    char *buf, size_t len, int *role)
{
	const struct model_alarms *ma;
	struct pane_health_alarms c;

	if (!pane_health_alarm_counts(ui, env, mf, &c, &ma)) {
		if (ma != NULL && ma->state == MODEL_FAILED) {
			*role = ROLE_ERROR;
			return "failed";
		}
		*role = ROLE_LOADING;
		return "…";
	}
	if (c.alarm > 0 && c.insuff > 0) {
		*role = ROLE_ALARM;
		snprintf(buf, len, "%zu ALARM %zu INSUFF", c.alarm, c.insuff);
	} else if (c.alarm > 0) {
		*role = ROLE_ALARM;
		snprintf(buf, len, "%zu ALARM", c.alarm);
	} else if (c.insuff > 0) {
		*role = ROLE_INSUFFICIENT;
		snprintf(buf, len, "%zu INSUFF", c.insuff);
	} else if (c.all > 0) {
		*role = ROLE_OK;
		return "ok";
	} else {
		*role = ROLE_DIM;
		return "-";
	}
	return buf;
}

/* ---- INVOCATIONS, ERRORS ---- */

static const struct cw_series *
pane_health_series(struct ui *ui, size_t env, const struct model_function *mf,
    enum pane_health_col col)
{
	const struct fn_metrics *fm;

	if (mf->fn.function_name == NULL)
		return NULL;
	fm = model_function_metrics(ui->model, env, mf->fn.function_name);
	if (fm == NULL)
		return NULL;
	return col == PANE_HEALTH_ERRORS ? &fm->errors : &fm->invocations;
}

/* The sum of the series' points; hours without a datapoint (NAN) add nothing. */
static double
pane_health_total_of(const struct cw_series *s)
{
	double total = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (isfinite(s->v[i]))
			total += s->v[i];
	return total;
}

/* "7", "4512", "12k", "1.2M", ">1T": at most 5 columns. */
static void
pane_health_count(double x, char *buf, size_t len)
{
	if (x < 10000)
		snprintf(buf, len, "%.0f", x);
	else if (x < 999500)
		snprintf(buf, len, "%.0fk", x / 1e3);
	else if (x < 9.95e6)
		snprintf(buf, len, "%.1fM", x / 1e6);
	else if (x < 999.5e6)
		snprintf(buf, len, "%.0fM", x / 1e6);
	else if (x < 999.5e9)
		snprintf(buf, len, "%.0fG", x / 1e9);
	else
		snprintf(buf, len, ">1T");	/* still 5 columns, whatever CloudWatch sums */
}

/* Why there is no series to draw, or NULL when there is one. */
static const char *
pane_health_missing(struct ui *ui, size_t env, const struct cw_series *s, int *role)
{
	const struct model_metrics *mm = model_env_metrics(ui->model, env);

	if (s != NULL)
		return NULL;
	if (mm == NULL || mm->fetched_at == 0) {
		if (mm != NULL && mm->state == MODEL_FAILED) {
			*role = ROLE_ERROR;
			return "failed";
		}
		*role = ROLE_LOADING;
		return "…";
	}
	/* Listed after the last answer (a refresh or A since): the next one has it. */
	*role = ROLE_DIM;
	return "?";
}

static const char *
pane_health_spark_cell(struct ui *ui, size_t env, const struct model_function *mf,
    enum pane_health_col col, char *buf, size_t len, int *role)
{
	const struct cw_series *s = pane_health_series(ui, env, mf, col);
	const char *why = pane_health_missing(ui, env, s, role);
	char line[PANE_HEALTH_CELLS * SPARKLINE_MAX_GLYPH + 1], count[16];
	size_t cells;
	double total;

	if (why != NULL)
		return why;
	/*
	 * The series is on model-metrics' grid, one point an hour, the newest
	 * last and a gap blank (fn-metrics.h), drawn two hours a cell; a
	 * shorter one is padded on the left so every row's "now" is the same
	 * column.
	 */
	total = pane_health_total_of(s);
	cells = sparkline_render(s->v, s->n, PANE_HEALTH_CELLS, !glyph_ascii(), line, sizeof line);
	pane_health_count(total, count, sizeof count);
	snprintf(buf, len, "%*s%s %5s", (int)(PANE_HEALTH_CELLS - cells), "", line, count);
	if (col == PANE_HEALTH_ERRORS && total > 0)
		*role = ROLE_ERROR;
	else if (total == 0)
		*role = ROLE_DIM;
	return buf;
}

const char *
pane_functions_health_cell(struct ui *ui, size_t env, const struct model_function *mf,
    enum pane_health_col col, char *buf, size_t len, int *role)
{
	if (col == PANE_HEALTH_ALARMS)
		return pane_health_alarms_cell(ui, env, mf, buf, len, role);
	return pane_health_spark_cell(ui, env, mf, col, buf, len, role);
}

const char *
pane_functions_health_text(struct ui *ui, size_t env, const struct model_function *mf,
    enum pane_health_col col, char *buf, size_t len)
{
	const struct cw_series *s;
	int role;

	if (col == PANE_HEALTH_ALARMS)
		return pane_health_alarms_cell(ui, env, mf, buf, len, &role);
	s = pane_health_series(ui, env, mf, col);
	if (s == NULL)
		return "";
	snprintf(buf, len, "%.0f", pane_health_total_of(s));
	return buf;
}

#define PANE_HEALTH_CMP(x, y)	((x) < (y) ? -1 : (x) > (y))

/* Unknown sorts below everything known. */
static double
pane_health_total(struct ui *ui, size_t env, const struct model_function *mf,
    enum pane_health_col col)
{
	const struct cw_series *s = pane_health_series(ui, env, mf, col);

	return s != NULL ? pane_health_total_of(s) : -1;
}

int
pane_functions_health_compare(struct ui *ui, size_t env, const struct model_function *a,
    const struct model_function *b, enum pane_health_col col)
{
	struct pane_health_alarms ca, cb;
	const struct model_alarms *ma;

	if (col != PANE_HEALTH_ALARMS)
		return PANE_HEALTH_CMP(pane_health_total(ui, env, a, col),
		    pane_health_total(ui, env, b, col));
	pane_health_alarm_counts(ui, env, a, &ca, &ma);
	pane_health_alarm_counts(ui, env, b, &cb, &ma);
	if (ca.alarm != cb.alarm)
		return PANE_HEALTH_CMP(ca.alarm, cb.alarm);
	if (ca.insuff != cb.insuff)
		return PANE_HEALTH_CMP(ca.insuff, cb.insuff);
	return PANE_HEALTH_CMP(ca.all, cb.all);
}

void
pane_functions_health_changed(struct ui *ui, size_t env, enum model_change what)
{
	const struct model_metrics *mm = model_env_metrics(ui->model, env);

	/* A refresh may have matched alarms anew without a new list. */
	pane_health_cache.valid = 0;
	/* The cells say "failed"; the status line says why (e: the fix). */
	if (what == MODEL_CHANGE_METRICS && mm != NULL && mm->state == MODEL_FAILED)
		ui_error(ui, &mm->err);
}
