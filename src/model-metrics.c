/* The functions view's 24-hour metrics: one batched GetMetricData per refresh. */
#include "model-metrics.h"
#include "model-priv.h"

#include <stdlib.h>
#include <string.h>

#include "aws-op.h"
#include "cw-metrics.h"
#include "timeutil.h"
#include "xmalloc.h"

struct model_metrics_priv {
	struct model_metrics	 pub;
	struct model		*m;
	size_t			 env;
	struct cw_metrics_fetch	*fetch;
	struct fn_metrics_batch	 batch;		/* of the fetch out */
};

static struct model_metrics_priv *
model_metrics_of(struct model *m, size_t env)
{
	struct model_env_priv *p = &m->priv[env];

	if (p->metrics == NULL) {
		p->metrics = xcalloc(1, sizeof *p->metrics);
		p->metrics->m = m;
		p->metrics->env = env;
		dlc_err_clear(&p->metrics->pub.err);
	}
	return p->metrics;
}

void
model_set_auto_metrics(struct model *m, int on)
{
	m->auto_metrics = on;
}

const struct model_metrics *
model_env_metrics(struct model *m, size_t env)
{
	if (env >= m->n_envs)
		return NULL;
	return &model_metrics_of(m, env)->pub;
}

static int
model_metrics_cmp(const void *a, const void *b)
{
	const struct fn_metrics *x = a, *y = b;

	return strcmp(x->function, y->function);
}

const struct fn_metrics *
model_function_metrics(struct model *m, size_t env, const char *function)
{
	const struct model_metrics *mm;
	struct fn_metrics key;

	if (function == NULL || env >= m->n_envs)
		return NULL;
	mm = &model_metrics_of(m, env)->pub;
	if (mm->n == 0)
		return NULL;
	memset(&key, 0, sizeof key);
	key.function = (char *)function;
	return bsearch(&key, mm->fns, mm->n, sizeof *mm->fns,
	    model_metrics_cmp);
}

static void
model_metrics_done(struct aws_reply *reply, struct cw_series *series,
    size_t n, void *arg)
{
	struct model_metrics_priv *mp = arg;
	struct model_metrics *mm = &mp->pub;

	mp->fetch = NULL;
	if (series == NULL) {
		/* The values held stay: a failed refresh is stale, not empty. */
		mm->err = reply->err;
		mm->state = MODEL_FAILED;
	} else {
		fn_metrics_free(mm->fns, mm->n);
		mm->fns = fn_metrics_collect(&mp->batch, series, n);
		mm->n = mp->batch.n_functions;
		qsort(mm->fns, mm->n, sizeof *mm->fns, model_metrics_cmp);
		mm->start = mp->batch.start;
		mm->end = mp->batch.end;
		mm->period = mp->batch.period;
		mm->fetched_at = timeutil_now();
		mm->state = MODEL_READY;
		mm->gen++;
		dlc_err_clear(&mm->err);
	}
	fn_metrics_batch_clear(&mp->batch);
	model_notify(mp->m, MODEL_CHANGE_METRICS, mp->env, NULL);
}

void
model_refresh_metrics(struct model *m, size_t env)
{
	struct model_env *e;
	struct model_metrics_priv *mp;
	const char **names;
	size_t i;

	if (env >= m->n_envs)
		return;
	e = &m->envs[env];
	mp = model_metrics_of(m, env);
	if (mp->fetch != NULL)
		return;
	if (e->aenv == NULL || model_env_refused(e) != NULL) {
		mp->pub.err = e->identity_err;
		mp->pub.state = MODEL_FAILED;
		model_notify(m, MODEL_CHANGE_METRICS, env, NULL);
		return;
	}
	names = xcalloc(e->n_functions + 1, sizeof *names);
	for (i = 0; i < e->n_functions; i++)
		names[i] = e->functions[i].fn.function_name;
	fn_metrics_batch_init(&mp->batch, names, e->n_functions,
	    FN_METRIC_BIT(FN_METRIC_INVOCATIONS) |
	    FN_METRIC_BIT(FN_METRIC_ERRORS), MODEL_METRICS_PERIOD,
	    timeutil_now(), MODEL_METRICS_SPAN);
	free(names);
	if (mp->batch.n == 0) {
		/* Nothing listed: nothing to ask, and nothing held any more. */
		fn_metrics_free(mp->pub.fns, mp->pub.n);
		mp->pub.fns = NULL;
		mp->pub.n = 0;
		mp->pub.start = mp->batch.start;
		mp->pub.end = mp->batch.end;
		mp->pub.period = mp->batch.period;
		mp->pub.fetched_at = timeutil_now();
		mp->pub.state = MODEL_READY;
		mp->pub.gen++;
		fn_metrics_batch_clear(&mp->batch);
		model_notify(m, MODEL_CHANGE_METRICS, env, NULL);
		return;
	}
	mp->pub.state = MODEL_LOADING;
	mp->fetch = cw_get_metric_data(e->aenv, mp->batch.q, mp->batch.n,
	    mp->batch.start, mp->batch.end, model_metrics_done, mp);
	model_notify(m, MODEL_CHANGE_METRICS, env, NULL);
}

void
model_metrics_free(struct model *m, size_t env)
{
	struct model_metrics_priv *mp = m->priv[env].metrics;

	if (mp == NULL)
		return;
	cw_metrics_cancel(mp->fetch);
	fn_metrics_batch_clear(&mp->batch);
	fn_metrics_free(mp->pub.fns, mp->pub.n);
	free(mp);
	m->priv[env].metrics = NULL;
}
