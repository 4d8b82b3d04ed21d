/*
 * The model's environments: each one's credential set-up, its identity
 * (GetCallerIdentity) checked against dlc.ini's account =, and the
 * credential state dlc envs and the console show.
 */
#include "model-priv.h"

#include <stdlib.h>
#include <string.h>

#include "awsconfig.h"
#include "creds.h"
#include "sts.h"
#include "xmalloc.h"

const char *
model_cred_state(const struct dlc_err *err)
{
	static const char *const expired[] = { "SSOTokenExpired", "ExpiredToken",
	    "ExpiredTokenException", "UnauthorizedException", NULL };
	static const char *const missing[] = { "SSOLoginRequired", "NoCredentials",
	    "ProfileNotFound", "PartialCredentials", NULL };
	int i;

	for (i = 0; expired[i] != NULL; i++)
		if (strcmp(err->code, expired[i]) == 0)
			return "expired";
	for (i = 0; missing[i] != NULL; i++)
		if (strcmp(err->code, missing[i]) == 0)
			return "missing";
	return "error";
}

size_t
model_env_count(const struct model *m)
{
	return m->n_envs;
}

struct model_env *
model_env_at(struct model *m, size_t i)
{
	return i < m->n_envs ? &m->envs[i] : NULL;
}

int
model_env_index(const struct model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n_envs && name != NULL; i++)
		if (strcmp(m->envs[i].conf->name, name) == 0)
			return (int)i;
	return -1;
}

const struct dlc_err *
model_env_refused(const struct model_env *me)
{
	if (me->aenv == NULL)
		return &me->identity_err;
	if (me->identity_state == MODEL_FAILED &&
	    strcmp(me->identity_err.code, "WrongAccount") == 0)
		return &me->identity_err;
	return NULL;
}

/* ---- identity ---- */

static void model_identity_done(struct aws_reply *reply, struct sts_identity *id,
    void *arg);

void
model_refresh_identity(struct model *m, size_t env)
{
	struct model_env *e;
	struct model_job *j;

	if (env >= m->n_envs)
		return;
	e = &m->envs[env];
	if (e->aenv == NULL) {
		/* Nothing to ask; say so again, the UI may be waiting on it. */
		model_notify(m, MODEL_CHANGE_ENVS, env, NULL);
		return;
	}
	if (m->priv[env].identity_job != NULL)
		return;
	e->identity_state = MODEL_LOADING;
	j = model_job_new(m, MODEL_JOB_IDENTITY, env, NULL, 0);
	m->priv[env].identity_job = j;
	j->call = sts_get_caller_identity(e->aenv, model_identity_done, j);
	model_notify(m, MODEL_CHANGE_ENVS, env, NULL);
}

static void
model_identity_done(struct aws_reply *reply, struct sts_identity *id,
    void *arg)
{
	struct model_job *j = arg;
	struct model_env *e = &j->m->envs[j->env];
	struct model *m;
	size_t env;

	j->call = NULL;
	j->m->priv[j->env].identity_job = NULL;
	dlc_err_clear(&e->identity_err);
	if (reply->ok != 0 && !reply->bad_answer) {
		e->identity_err = reply->err;
		e->identity_state = MODEL_FAILED;
		e->cred_state = model_cred_state(&e->identity_err);
	} else if (reply->ok != 0) {
		e->identity_err = reply->err;
		dlc_err_what(&e->identity_err, "GetCallerIdentity (%s)",
		    e->conf->name);
		e->identity_state = MODEL_FAILED;
		e->cred_state = "error";
	} else {
		free(e->account);
		free(e->arn);
		e->account = xstrdup(id->account);
		e->arn = xstrdup(id->arn);
		e->identity_state = MODEL_READY;
		e->cred_state = "ok";
		/* The wrong account is worse than none: a deploy would land there. */
		if (dlc_env_check_account(e->conf, e->account,
		    &e->identity_err) != 0) {
			dlc_err_what(&e->identity_err, "GetCallerIdentity (%s)",
			    e->conf->name);
			e->identity_state = MODEL_FAILED;
			e->cred_state = "error";
		}
	}
	model_notify(j->m, MODEL_CHANGE_ENVS, j->env, NULL);
	m = j->m;
	env = j->env;
	model_job_free(j);
	/* After the job is gone: the gate may start the list it was holding. */
	model_identity_gate(m, env);
	model_alarms_identity_gate(m, env);
}
