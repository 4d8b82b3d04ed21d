/*
 * The console's engine state. Every AWS call the model makes is a job on
 * one list, so model_free can cancel them all and a late answer can be
 * matched to what asked for it. Changes are queued and reported from a
 * zero-delay loop timer, so the UI's callback never runs inside a model_*
 * call (it may call back into the model safely). The domains live beside
 * it: model-envs.c, model-functions.c, model-details.c.
 */
#include "model-priv.h"

#include <stdlib.h>
#include <string.h>

#include "creds.h"
#include "timeutil.h"
#include "xmalloc.h"

#define MODEL_MAX_NOTES		4096

/* ---- change notifications ---- */

static void
model_notify_run(void *arg)
{
	struct model *m = arg;
	struct model_note *notes = m->notes;
	size_t i, n = m->n_notes;

	/* Take the queue first: the callback may queue more (for the next turn). */
	m->notes = NULL;
	m->n_notes = 0;
	for (i = 0; i < n; i++) {
		if (m->cb != NULL)
			m->cb(notes[i].what, notes[i].env, notes[i].function,
			    m->arg);
		free(notes[i].function);
	}
	free(notes);
}

void
model_notify(struct model *m, enum model_change what, size_t env,
    const char *function)
{
	size_t i;

	/* A burst of the same change is one redraw. */
	for (i = 0; i < m->n_notes; i++)
		if (m->notes[i].what == what && m->notes[i].env == env &&
		    ((function == NULL && m->notes[i].function == NULL) ||
		    (function != NULL && m->notes[i].function != NULL &&
		    strcmp(function, m->notes[i].function) == 0)))
			return;
	if (m->n_notes >= MODEL_MAX_NOTES)
		return;
	m->notes = xreallocarray(m->notes, m->n_notes + 1, sizeof *m->notes);
	m->notes[m->n_notes].what = what;
	m->notes[m->n_notes].env = env;
	m->notes[m->n_notes].function = xstrdup(function);
	m->n_notes++;
	if (!loop_timer_pending(m->notify_timer))
		loop_timer_start(m->notify_timer, 0);
}

/* ---- jobs ---- */

struct model_job *
model_job_new(struct model *m, enum model_job_kind kind, size_t env,
    const char *function, unsigned gen)
{
	struct model_job *j = xcalloc(1, sizeof *j);

	j->m = m;
	j->kind = kind;
	j->env = env;
	j->function = xstrdup(function);
	j->gen = gen;
	j->next = m->jobs;
	if (m->jobs != NULL)
		m->jobs->prev = j;
	m->jobs = j;
	return j;
}

void
model_job_free(struct model_job *j)
{
	struct model *m = j->m;

	if (j->prev != NULL)
		j->prev->next = j->next;
	else
		m->jobs = j->next;
	if (j->next != NULL)
		j->next->prev = j->prev;
	free(j->function);
	free(j->layer_arn);
	free(j);
}

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
		e->aenv = model_open_env(aws, e->conf, &e->identity_err);
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
