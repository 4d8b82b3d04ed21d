/*
 * The console's engine state as a whole: model_new opens every
 * environment, model_free cancels every call in flight and frees what the
 * parts hold. The parts: model-jobs.c (calls and change notes),
 * model-envs.c, model-functions.c, model-details.c.
 */
#include "model-priv.h"

#include <stdlib.h>

#include "creds.h"
#include "env-open.h"
#include "model-metrics.h"
#include "timeutil.h"
#include "xmalloc.h"

struct model *
model_new(struct aws_ctx *aws, const struct dlc_config *cfg,
    const struct local_function *locals, size_t n_locals,
    model_change_cb cb, void *arg)
{
	struct model *m = xcalloc(1, sizeof *m);
	size_t i;

	m->aws = aws;
	m->cfg = cfg;
	m->locals = locals;
	m->n_locals = n_locals;
	m->cb = cb;
	m->arg = arg;
	m->n_envs = cfg->n_envs;
	m->envs = xcalloc(m->n_envs + 1, sizeof *m->envs);
	m->priv = xcalloc(m->n_envs + 1, sizeof *m->priv);
	m->notify_timer = loop_timer_new(aws->loop, model_notify_run, m);
	for (i = 0; i < m->n_envs; i++) {
		struct model_env *e = &m->envs[i];

		e->conf = &cfg->envs[i];
		e->cred_state = "unknown";
		dlc_err_clear(&e->identity_err);
		dlc_err_clear(&e->functions_err);
		e->aenv = env_open(aws, e->conf, &e->identity_err);
		if (e->aenv == NULL) {
			e->identity_state = MODEL_FAILED;
			e->cred_state = model_cred_state(&e->identity_err);
		}
	}
	return m;
}

void
model_free(struct model *m)
{
	size_t i;

	if (m == NULL)
		return;
	while (m->jobs != NULL) {
		aws_call_cancel(m->jobs->call);
		paginate_cancel(m->jobs->pager);
		model_job_free(m->jobs);
	}
	for (i = 0; i < m->n_envs; i++) {
		struct model_env *e = &m->envs[i];
		struct creds_provider *creds;

		model_functions_free(e->functions, e->n_functions);
		model_functions_free(m->priv[i].loading, m->priv[i].n_loading);
		model_functions_free(m->priv[i].hidden, m->priv[i].n_hidden);
		model_details_forget_layers(&m->priv[i]);
		model_metrics_free(m, i);
		model_alarms_free(m, i);
		free(e->account);
		free(e->arn);
		if (e->aenv != NULL) {
			creds = aws_env_creds(e->aenv);
			aws_env_free(e->aenv);
			creds_provider_free(creds);
		}
	}
	for (i = 0; i < m->n_notes; i++)
		free(m->notes[i].function);
	free(m->notes);
	loop_timer_free(m->notify_timer);
	loop_timer_free(m->auto_timer);
	free(m->envs);
	free(m->priv);
	free(m);
}

const char *
model_age(time_t fetched_at, time_t now, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (fetched_at == 0)
		snprintf(buf, len, "never");
	else
		timeutil_format_relative(fetched_at, now, buf, len);
	return buf;
}

