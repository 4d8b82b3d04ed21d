/*
 * The Lambda metrics of a set of functions (AWS/Lambda, dimension
 * FunctionName): the GetMetricData queries for them, with ids CloudWatch
 * accepts whatever the function is called ("f12_errors": the function's
 * index, never its name), and the answer put back per function on the
 * full time grid, a missing point a NAN, so every function's series line
 * up and a gap is never read as zero.
 */
#ifndef DLC_FN_METRICS_H
#define DLC_FN_METRICS_H

#include <stddef.h>
#include <time.h>

#include "cw-metrics.h"

enum fn_metric {
	FN_METRIC_INVOCATIONS,		/* Invocations, Sum */
	FN_METRIC_ERRORS,		/* Errors, Sum */
	FN_METRIC_THROTTLES,		/* Throttles, Sum */
	FN_METRIC_DURATION_P50,		/* Duration, p50 (ms) */
	FN_METRIC_DURATION_P99,		/* Duration, p99 (ms) */
	FN_METRIC_CONCURRENT,		/* ConcurrentExecutions, Maximum */
	FN_METRIC_COUNT
};
#define FN_METRIC_BIT(m)	(1u << (m))
#define FN_METRICS_ALL		((1u << FN_METRIC_COUNT) - 1)

/* A function's series: t[i] = grid start + i * period, v[i] NAN when no point. */
struct fn_metrics {
	char			*function;
	struct cw_series	 invocations, errors, throttles, duration_p50,
				 duration_p99, concurrent;
};

/* The queries of a batch, and the storage they point into. */
struct fn_metrics_batch {
	struct cw_metric_query	*q;
	size_t			 n;
	size_t			 n_functions;
	unsigned		 mask;		/* FN_METRIC_BIT()s asked */
	long			 period;
	time_t			 start, end;	/* the grid: [start, end), start on a period */
	char			**functions;	/* copies, by index */
	char			*ids;		/* n ids of FN_METRICS_ID_LEN */
	struct cw_dimension	*dims;		/* one per function */
};
#define FN_METRICS_ID_LEN	40

/* The metric's name, its statistic and the short name used in ids and JSON. */
const char *fn_metric_name(enum fn_metric m);
const char *fn_metric_stat(enum fn_metric m);
const char *fn_metric_key(enum fn_metric m);	/* "invocations", "duration_p99" */
/* The series of m in fm. */
struct cw_series *fn_metrics_series(struct fn_metrics *fm, enum fn_metric m);

/*
 * Fills b (zeroed here) with the queries of the metrics in mask for
 * functions[0..n), period seconds, over the window that ends at the end
 * of the period holding end and spans span seconds before it (so the
 * grid has span / period points, the last one the period in progress).
 */
void	fn_metrics_batch_init(struct fn_metrics_batch *b,
	    const char *const *functions, size_t n, unsigned mask, long period,
	    time_t end, long span);
void	fn_metrics_batch_clear(struct fn_metrics_batch *b);
/* Points on the grid: (end - start) / period. */
size_t	fn_metrics_grid(const struct fn_metrics_batch *b);

/*
 * The answer (series[0..n), as cw_get_metric_data gives it, n == b->n)
 * per function: an allocated array of b->n_functions, in b's order, free
 * with fn_metrics_free. Metrics not asked have n 0. A point off the grid
 * goes to the slot it falls in; one outside the window is dropped.
 */
struct fn_metrics *fn_metrics_collect(const struct fn_metrics_batch *b,
	    const struct cw_series *series, size_t n);
void	fn_metrics_clear(struct fn_metrics *fm);
void	fn_metrics_free(struct fn_metrics *fms, size_t n);

#endif
