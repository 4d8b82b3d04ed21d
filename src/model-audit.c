/*
 * The console's audits: one per environment at most in flight, its last
 * report kept until the next one ends (model-audit.h).
 */
#include "model-audit.h"

#include <stdlib.h>
#include <string.h>

#include "model-priv.h"
#include "timeutil.h"
#include "xmalloc.h"

struct model_audit_env {
	struct model_audit	 pub;
	struct audit		*run;
	struct model		*m;
	size_t			 env;
	int			 ever;	/* audited once: follow the list's refreshes */
	time_t			 started;	/* of the last run */
};

static struct model_audit_env *
model_audit_env(struct model *m, size_t env)
{
	size_t i;

	if (m->audit == NULL) {
		m->audit = xcalloc(m->n_envs + 1, sizeof *m->audit);
		for (i = 0; i < m->n_envs; i++) {
			m->audit[i].m = m;
			m->audit[i].env = i;
			dlc_err_clear(&m->audit[i].pub.err);
		}
	}
	return &m->audit[env];
}

static void
model_audit_done(struct audit_report *report, const struct dlc_err *err,
    void *arg)
{
	struct model_audit_env *a = arg;

	audit_free(a->run);
	a->run = NULL;
	if (report == NULL) {
		a->pub.state = MODEL_FAILED;
		a->pub.err = *err;
	} else {
		audit_report_free(a->pub.report);
		a->pub.report = report;
		a->pub.state = MODEL_READY;
		a->pub.fetched_at = timeutil_now();
		dlc_err_clear(&a->pub.err);
	}
	a->pub.gen++;
	model_notify(a->m, MODEL_CHANGE_AUDIT, a->env, NULL);
}

void
model_refresh_audit(struct model *m, size_t env)
{
	struct model_audit_env *a;
	struct model_env *e;

	if (env >= m->n_envs)
		return;
	a = model_audit_env(m, env);
	e = &m->envs[env];
	if (a->run != NULL)
		return;
	a->ever = 1;
	a->started = timeutil_now();
	if (e->aenv == NULL || model_env_refused(e) != NULL) {
		a->pub.state = MODEL_FAILED;
		a->pub.err = e->aenv == NULL ? e->identity_err : *model_env_refused(e);
		model_notify(m, MODEL_CHANGE_AUDIT, env, NULL);
		return;
	}
	a->pub.state = MODEL_LOADING;
	a->run = audit_start(e->aenv, e->conf, m->cfg, m->locals, m->n_locals,
	    NULL, 0, model_audit_done, a);
	model_notify(m, MODEL_CHANGE_AUDIT, env, NULL);
}

const struct model_audit *
model_env_audit(struct model *m, size_t env)
{
	if (env >= m->n_envs)
		return NULL;
	return &model_audit_env(m, env)->pub;
}

long
model_audit_count(struct model *m, size_t env, const char *function)
{
	const struct model_audit *a = model_env_audit(m, env);
	const struct audit_row *row;

	if (a == NULL || a->report == NULL ||
	    (row = audit_report_row(a->report, function)) == NULL)
		return -1;
	return (long)row->n_findings;
}

void
model_audit_functions_changed(struct model *m, size_t env)
{
	/*
	 * An audit costs about three requests per function (a subscription
	 * filter read per log group, a rule list and a rule read per
	 * scheduled function: 305 for 100 functions against fakeaws): the
	 * list's refreshes (every 30 s by default) are followed at most once
	 * in MODEL_AUDIT_FOLLOW_SECONDS.
	 */
	if (m->audit != NULL && env < m->n_envs && m->audit[env].ever &&
	    timeutil_now() - m->audit[env].started >= MODEL_AUDIT_FOLLOW_SECONDS)
		model_refresh_audit(m, env);
}

void
model_audit_free_all(struct model *m)
{
	size_t i;

	if (m->audit == NULL)
		return;
	for (i = 0; i < m->n_envs; i++) {
		audit_free(m->audit[i].run);
		audit_report_free(m->audit[i].pub.report);
	}
	free(m->audit);
	m->audit = NULL;
}
