/* A set of functions' Lambda metrics: the queries, and the answer on a grid. */
#include "fn-metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static const struct {
	const char	*metric, *stat, *key;
} fn_metric_table[FN_METRIC_COUNT] = {
	{ "Invocations", "Sum", "invocations" },
	{ "Errors", "Sum", "errors" },
	{ "Throttles", "Sum", "throttles" },
	{ "Duration", "p50", "duration_p50" },
	{ "Duration", "p99", "duration_p99" },
	{ "ConcurrentExecutions", "Maximum", "concurrent" },
};

const char *
fn_metric_name(enum fn_metric m)
{
	return fn_metric_table[m].metric;
}

const char *
fn_metric_stat(enum fn_metric m)
{
	return fn_metric_table[m].stat;
}

const char *
fn_metric_key(enum fn_metric m)
{
	return fn_metric_table[m].key;
}

struct cw_series *
fn_metrics_series(struct fn_metrics *fm, enum fn_metric m)
{
	switch (m) {
	case FN_METRIC_INVOCATIONS:	return &fm->invocations;
	case FN_METRIC_ERRORS:		return &fm->errors;
	case FN_METRIC_THROTTLES:	return &fm->throttles;
	case FN_METRIC_DURATION_P50:	return &fm->duration_p50;
	case FN_METRIC_DURATION_P99:	return &fm->duration_p99;
	default:			return &fm->concurrent;
	}
}

void
fn_metrics_batch_init(struct fn_metrics_batch *b, const char *const *functions,
    size_t n, unsigned mask, long period, time_t end, long span)
{
	size_t i, k = 0;
	int m, per = 0;

	memset(b, 0, sizeof *b);
	if (period <= 0)
		period = 60;
	if (span < period)
		span = period;
	for (m = 0; m < FN_METRIC_COUNT; m++)
		if (mask & FN_METRIC_BIT(m))
			per++;
	b->mask = mask;
	b->period = period;
	b->end = (end / period + (end % period != 0)) * period;
	b->start = b->end - (span / period) * period;
	b->n_functions = n;
	b->functions = xcalloc(n + 1, sizeof *b->functions);
	b->dims = xcalloc(n + 1, sizeof *b->dims);
	b->n = n * (size_t)per;
	b->q = xcalloc(b->n + 1, sizeof *b->q);
	b->ids = xcalloc(b->n + 1, FN_METRICS_ID_LEN);
	for (i = 0; i < n; i++) {
		b->functions[i] = xstrdup(functions[i]);
		b->dims[i].name = xstrdup("FunctionName");
		b->dims[i].value = b->functions[i];
		for (m = 0; m < FN_METRIC_COUNT; m++) {
			char *id = b->ids + k * FN_METRICS_ID_LEN;

			if (!(mask & FN_METRIC_BIT(m)))
				continue;
			/* The index, never the name: ids are [a-z][a-zA-Z0-9_]*. */
			snprintf(id, FN_METRICS_ID_LEN, "f%zu_%s", i,
			    fn_metric_table[m].key);
			b->q[k].id = id;
			b->q[k].namespace = "AWS/Lambda";
			b->q[k].metric = fn_metric_table[m].metric;
			b->q[k].stat = fn_metric_table[m].stat;
			b->q[k].dims = &b->dims[i];
			b->q[k].n_dims = 1;
			b->q[k].period = period;
			k++;
		}
	}
}

void
fn_metrics_batch_clear(struct fn_metrics_batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n_functions; i++) {
		free(b->functions[i]);
		free(b->dims[i].name);
	}
	free(b->functions);
	free(b->dims);
	free(b->q);
	free(b->ids);
	memset(b, 0, sizeof *b);
}

size_t
fn_metrics_grid(const struct fn_metrics_batch *b)
{
	if (b->period <= 0 || b->end <= b->start)
		return 0;
	return (size_t)((b->end - b->start) / b->period);
}

static void
fn_metrics_put(const struct fn_metrics_batch *b, const struct cw_series *in,
    struct cw_series *out)
{
	size_t g = fn_metrics_grid(b), i;
	long long slot;

	out->id = xstrdup(in->id);
	out->label = xstrdup(in->label);
	out->status = xstrdup(in->status);
	out->message = xstrdup(in->message);
	out->n = g;
	out->t = xcalloc(g + 1, sizeof *out->t);
	out->v = xcalloc(g + 1, sizeof *out->v);
	for (i = 0; i < g; i++) {
		out->t[i] = b->start + (time_t)i * b->period;
		out->v[i] = NAN;
	}
	for (i = 0; i < in->n; i++) {
		if (in->t[i] < b->start || in->t[i] >= b->end)
			continue;
		slot = (long long)(in->t[i] - b->start) / b->period;
		out->v[slot] = in->v[i];
	}
}

struct fn_metrics *
fn_metrics_collect(const struct fn_metrics_batch *b,
    const struct cw_series *series, size_t n)
{
	struct fn_metrics *fms = xcalloc(b->n_functions + 1, sizeof *fms);
	size_t i, k = 0;
	int m;

	for (i = 0; i < b->n_functions; i++) {
		fms[i].function = xstrdup(b->functions[i]);
		for (m = 0; m < FN_METRIC_COUNT; m++) {
			if (!(b->mask & FN_METRIC_BIT(m)))
				continue;
			/* series[k] answers b->q[k]: same order, same count. */
			if (k < n)
				fn_metrics_put(b, &series[k],
				    fn_metrics_series(&fms[i], m));
			k++;
		}
	}
	return fms;
}

void
fn_metrics_clear(struct fn_metrics *fm)
{
	int m;

	if (fm == NULL)
		return;
	free(fm->function);
	for (m = 0; m < FN_METRIC_COUNT; m++)
		cw_series_clear(fn_metrics_series(fm, m));
	memset(fm, 0, sizeof *fm);
}

void
fn_metrics_free(struct fn_metrics *fms, size_t n)
{
	size_t i;

	if (fms == NULL)
		return;
	for (i = 0; i < n; i++)
		fn_metrics_clear(&fms[i]);
	free(fms);
}
