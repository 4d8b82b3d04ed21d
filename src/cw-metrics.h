/*
 * CloudWatch GetMetricData (query protocol, Version 2010-08-01): many
 * metric queries answered in one go. A batch of any size is split into
 * calls of at most CW_METRICS_MAX_QUERIES queries (AWS's limit), each
 * call follows its NextToken, and the pages' points are merged per query
 * id into one series per query, oldest point first. The answer is read
 * in time linear in its size (a day of 5-minute points for a hundred
 * functions is megabytes).
 */
#ifndef DLC_CW_METRICS_H
#define DLC_CW_METRICS_H

#include <stddef.h>
#include <time.h>

#include "cw-dimension.h"
#include "err.h"

#define CW_API_VERSION		"2010-08-01"
#define CW_METRICS_MAX_QUERIES	500
/* Pages a call may take before it is refused (a runaway NextToken). */
#define CW_METRICS_MAX_PAGES	200

/*
 * One MetricStat query. id must start with a lower-case letter and hold
 * only [a-zA-Z0-9_] (AWS refuses anything else), unique in the batch.
 * stat is "Sum", "Maximum", "p99", ... All read only during the call.
 */
struct cw_metric_query {
	const char			*id, *namespace, *metric, *stat;
	const struct cw_dimension	*dims;
	size_t				 n_dims;
	long				 period;	/* seconds */
};

/*
 * A query's answer: t[i], v[i] oldest first, without repeated times.
 * status is AWS's StatusCode ("Complete", "PartialData", "InternalError",
 * "Forbidden"); message joins the query's Messages ("Code: Value; ..."),
 * NULL when none. Strings are untrusted: sanitise before display.
 */
struct cw_series {
	char	*id, *label, *status, *message;
	time_t	*t;
	double	*v;
	size_t	 n;
};

/* Frees the members and zeroes s; safe on a zeroed one. */
void	cw_series_clear(struct cw_series *s);

struct aws_env;
struct aws_reply;

/*
 * Runs once: series[i] answers queries[i] (n of them; a query AWS did
 * not answer has status NULL and no points), or series NULL and n 0 with
 * reply->err saying why (the first call that failed). The series are
 * cleared after it returns: it may take members over (and NULL them).
 * reply is the last call's.
 */
typedef void (*cw_metrics_cb)(struct aws_reply *reply,
	    struct cw_series *series, size_t n, void *arg);

struct cw_metrics_fetch;

/*
 * Sends GetMetricData for queries[0..n) (copied here) over [start, end),
 * ScanBy TimestampAscending: ceil(n / 500) calls one after the other,
 * each with its pages. cb runs from the loop, never from inside this
 * call, unless the fetch is cancelled first. n 0 answers with no series.
 */
struct cw_metrics_fetch *cw_get_metric_data(struct aws_env *env,
	    const struct cw_metric_query *queries, size_t n, time_t start,
	    time_t end, cw_metrics_cb cb, void *arg);
/* Stops the fetch: cb never runs. NULL is a no-op; not after cb ran. */
void	cw_metrics_cancel(struct cw_metrics_fetch *f);

/* ---- the wire, for tests and the bench ---- */

/*
 * The allocated form body of one call: queries[0..n) (n <= 500), the
 * window, and token (NULL: the first page).
 */
char	*cw_metrics_body(const struct cw_metric_query *queries, size_t n,
	    time_t start, time_t end, const char *token);

/* One page of an answer, its results in the answer's order. */
struct cw_metrics_page {
	struct cw_series	*series;
	size_t			 n;
	char			*next_token;	/* NULL: the last page */
};

/* Parses a 2xx answer into page (zeroed here); -1 with err filled. */
int	cw_metrics_parse(const char *body, size_t len,
	    struct cw_metrics_page *page, struct dlc_err *err);
void	cw_metrics_page_clear(struct cw_metrics_page *page);

/*
 * Merges page's results into series[0..n) by id (ids taken from
 * queries[i].id), appending points and taking them from page. A result
 * whose id no query has is ignored. Then sorts any series that the pages
 * left out of time order.
 */
void	cw_metrics_merge(struct cw_series *series,
	    const struct cw_metric_query *queries, size_t n,
	    struct cw_metrics_page *page);

#endif
