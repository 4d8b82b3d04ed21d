/*
 * The model's per-function metrics for the functions view: each
 * function's Invocations and Errors (Sum) per hour over the last 24 hours
 * (24 points, the hour in progress last, a NAN where CloudWatch has no
 * point), for all of an environment's listed functions from ONE
 * GetMetricData call (two queries a function, so up to 250 functions a
 * call; more take more calls). Fetched after each completed functions
 * refresh when model_set_auto_metrics is on; while a fetch is out the
 * previous values stay readable, and a failure keeps them too (err says
 * why, state FAILED). Changes are reported as MODEL_CHANGE_METRICS.
 */
#ifndef DLC_MODEL_METRICS_H
#define DLC_MODEL_METRICS_H

#include <stddef.h>
#include <time.h>

#include "fn-metrics.h"
#include "model.h"

#define MODEL_METRICS_PERIOD	3600
#define MODEL_METRICS_SPAN	86400

struct model_metrics {
	enum model_load		 state;
	struct dlc_err		 err;		/* of the last fetch, when it failed */
	time_t			 fetched_at;	/* of the values held; 0: none yet */
	struct fn_metrics	*fns;		/* sorted by function name */
	size_t			 n;
	time_t			 start, end;	/* the values' grid */
	long			 period;
	unsigned		 gen;		/* bumped each time new values arrive */
};

/*
 * Fetches env's listed functions' metrics (ignored while a fetch is
 * out). An environment without credentials fails at once with why.
 */
void	model_refresh_metrics(struct model *m, size_t env);
/*
 * on: every complete functions list of any environment is followed by
 * model_refresh_metrics (the console); off, the default: only when asked
 * (dlc ls has no use for them).
 */
void	model_set_auto_metrics(struct model *m, int on);
/* env's metrics state; never NULL for a valid env (IDLE before the first fetch). */
const struct model_metrics *model_env_metrics(struct model *m, size_t env);
/* One function's series (by its AWS name), or NULL when none is held. */
const struct fn_metrics *model_function_metrics(struct model *m, size_t env,
	    const char *function);

/* For model.c: cancels env's fetch and frees what it holds. */
void	model_metrics_free(struct model *m, size_t env);

#endif
