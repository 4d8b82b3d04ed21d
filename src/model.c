/*
 * The console's engine state. Every AWS call the model makes is a job on
 * one list, so model_free can cancel them all and a late answer can be
 * matched to what asked for it. Changes are queued and reported from a
 * zero-delay loop timer, so the UI's callback never runs inside a model_*
 * call (it may call back into the model safely).
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "aws-op.h"
#include "awsconfig.h"
#include "creds.h"
#include "events.h"
#include "loop.h"
#include "paginate.h"
#include "sts.h"
#include "timeutil.h"
#include "xmalloc.h"

/* Enough for a data lake, small enough that a runaway Marker loop ends. */
#define MODEL_MAX_PAGES		400
#define MODEL_MAX_NOTES		4096
#define MODEL_MAX_RULES		100

enum model_job_kind {
	MODEL_JOB_IDENTITY,
	MODEL_JOB_LIST,
	MODEL_JOB_GET_FUNCTION,
	MODEL_JOB_LAYER,
	MODEL_JOB_ESM,
	MODEL_JOB_RULE_NAMES,
	MODEL_JOB_DESCRIBE_RULE,
};

struct model_job {
	struct model		*m;
	struct model_job	*prev, *next;
	struct aws_call		*call;
	struct paginate		*pager;		/* the list jobs */
	enum model_job_kind	 kind;
	size_t			 env;
	char			*function;	/* details jobs */
	unsigned		 gen;		/* of the details load */
	char			*layer_arn;	/* LAYER: without version */
	long			 best;		/* LAYER: newest version so far */
};

struct model_note {
	enum model_change	 what;
	size_t			 env;
	char			*function;
};

struct model_layer_cache {
	char	*layer_arn;
	long	 latest;
};

/* What the public struct model_env does not show. */
struct model_env_priv {
	struct model_job	*identity_job;
	struct model_job	*list_job;
	int			 list_after_identity;	/* account = set: list once the identity is checked */
	struct model_function	*loading;	/* the list being fetched */
	size_t			 n_loading;
	struct model_function	*hidden;	/* other environments' functions, not shown */
	size_t			 n_hidden;
	struct model_layer_cache *layers;
	size_t			 n_layers;
};

struct model {
	struct aws_ctx			*aws;
	const struct dlc_config		*cfg;
	const struct local_function	*locals;
	size_t				 n_locals;
	model_change_cb			 cb;
	void				*arg;
	struct model_env		*envs;
	struct model_env_priv		*priv;
	size_t				 n_envs;
	struct model_job		*jobs;
	struct model_note		*notes;
	size_t				 n_notes;
	struct loop_timer		*notify_timer;
	struct loop_timer		*auto_timer;
	size_t				 auto_env;
	int				 auto_seconds;
	int				 show_all;	/* lists hold other environments' functions */
};

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

static void
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

static struct model_job *
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

static void
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

/* ---- environments ---- */

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

/* The same set-up as cli_open_env, without the CLI's context. */
static struct aws_env *
model_open_env(struct aws_ctx *aws, const struct dlc_env *env,
    struct dlc_err *err)
{
	struct creds_provider *creds;
	const char *profile = env->profile;
	struct aws_env *aenv;
	char *region;

	if (env->region != NULL)
		region = xstrdup(env->region);
	else
		region = aws_config_region(aws->cfg, profile != NULL ? profile :
		    aws_config_profile_name(NULL));
	if (region == NULL) {
		dlc_err_set(err, "NoRegion", "environment '%s' has no region",
		    env->name);
		dlc_err_fix(err, "set region = ... in [env %s] of dlc.ini, or "
		    "in the AWS profile", env->name);
		return NULL;
	}
	creds = creds_for_profile(aws, profile, profile != NULL, region,
	    env->name, err);
	if (creds == NULL) {
		free(region);
		return NULL;
	}
	aenv = aws_env_new(aws, env->name, profile != NULL ? profile :
	    aws_config_profile_name(NULL), region, creds);
	free(region);
	return aenv;
}

static void
model_details_free(struct model_details *d)
{
	size_t i;

	if (d == NULL)
		return;
	lambda_function_clear(&d->config);
	free(d->code_location);
	for (i = 0; i < d->n_layers; i++) {
		free(d->layers[i].arn);
		free(d->layers[i].name);
	}
	free(d->layers);
	for (i = 0; i < d->n_esms; i++) {
		free(d->esms[i].uuid);
		free(d->esms[i].source_arn);
		free(d->esms[i].state);
		free(d->esms[i].last_processing_result);
	}
	free(d->esms);
	for (i = 0; i < d->n_schedules; i++) {
		free(d->schedules[i].rule_name);
		free(d->schedules[i].expression);
		free(d->schedules[i].state);
	}
	free(d->schedules);
	free(d);
}

static void
model_functions_free(struct model_function *fns, size_t n)
{
	size_t i;

	if (fns == NULL)
		return;
	for (i = 0; i < n; i++) {
		lambda_function_clear(&fns[i].fn);
		model_details_free(fns[i].details);
	}
	free(fns);
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
	size_t i, k;

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
		for (k = 0; k < m->priv[i].n_layers; k++)
			free(m->priv[i].layers[k].layer_arn);
		free(m->priv[i].layers);
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

/*
 * An environment with account = lists nothing before its identity is
 * checked, and nothing at all when it reaches another account: the
 * console showed the other account's functions under "creds ok".
 */
static void
model_identity_gate(struct model *m, size_t env)
{
	struct model_env *e = &m->envs[env];
	struct model_env_priv *p = &m->priv[env];
	int waiting = p->list_after_identity;

	p->list_after_identity = 0;
	if (model_env_refused(e) != NULL) {
		model_functions_free(e->functions, e->n_functions);
		e->functions = NULL;
		e->n_functions = 0;
		model_functions_free(p->hidden, p->n_hidden);
		p->hidden = NULL;
		p->n_hidden = 0;
		e->functions_at = 0;
		e->functions_err = e->identity_err;
		e->functions_state = MODEL_FAILED;
		model_notify(m, MODEL_CHANGE_FUNCTIONS, env, NULL);
	} else if (waiting && e->identity_state == MODEL_READY) {
		model_refresh_functions(m, env);
	} else if (waiting) {
		/* No identity, so no way to know the account: say why. */
		e->functions_err = e->identity_err;
		e->functions_state = MODEL_FAILED;
		model_notify(m, MODEL_CHANGE_FUNCTIONS, env, NULL);
	}
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
}

/* ---- functions ---- */

static void model_list_page(struct aws_reply *reply, struct lambda_page *page,
    void *arg);
static void model_list_end(enum paginate_status status, struct dlc_err *err,
    void *arg);

void
model_refresh_functions(struct model *m, size_t env)
{
	struct model_env_priv *p;
	struct model_env *e;
	size_t k;

	if (env >= m->n_envs)
		return;
	e = &m->envs[env];
	p = &m->priv[env];
	if (p->list_job != NULL)
		return;
	if (model_env_refused(e) != NULL) {
		e->functions_err = e->identity_err;
		e->functions_state = MODEL_FAILED;
		model_notify(m, MODEL_CHANGE_FUNCTIONS, env, NULL);
		return;
	}
	if (e->conf->account != NULL && e->identity_state != MODEL_READY) {
		if (p->list_after_identity)
			return;
		p->list_after_identity = 1;
		e->functions_state = MODEL_LOADING;
		model_notify(m, MODEL_CHANGE_FUNCTIONS, env, NULL);
		model_refresh_identity(m, env);
		return;
	}
	/* A refresh is when a newly published layer version should show. */
	for (k = 0; k < p->n_layers; k++)
		free(p->layers[k].layer_arn);
	free(p->layers);
	p->layers = NULL;
	p->n_layers = 0;
	e->functions_state = MODEL_LOADING;
	e->pages_loaded = 0;
	p->list_job = model_job_new(m, MODEL_JOB_LIST, env, NULL, 0);
	p->list_job->pager = paginate_start(e->aenv, &lambda_op_list_functions,
	    NULL, MODEL_MAX_PAGES, (aws_op_fn)model_list_page, model_list_end,
	    p->list_job);
	model_notify(m, MODEL_CHANGE_FUNCTIONS, env, NULL);
}

static int
model_function_cmp(const void *a, const void *b)
{
	const struct model_function *fa = a, *fb = b;

	return strcmp(fa->fn.function_name != NULL ? fa->fn.function_name : "",
	    fb->fn.function_name != NULL ? fb->fn.function_name : "");
}

struct model_function *
model_function_named(struct model *m, size_t env, const char *name)
{
	struct model_function *mf = model_function_find(m, env, name);
	size_t i;

	if (mf != NULL || env >= m->n_envs || name == NULL)
		return mf;
	for (i = 0; i < m->envs[env].n_functions; i++) {
		mf = &m->envs[env].functions[i];
		if (mf->local != NULL && strcmp(mf->local->name, name) == 0)
			return mf;
	}
	return NULL;
}

struct model_function *
model_function_find(struct model *m, size_t env, const char *function_name)
{
	struct model_function key;
	struct model_env *e;

	if (env >= m->n_envs || function_name == NULL)
		return NULL;
	e = &m->envs[env];
	if (e->n_functions == 0)
		return NULL;
	memset(&key, 0, sizeof key);
	key.fn.function_name = (char *)function_name;
	return bsearch(&key, e->functions, e->n_functions, sizeof key,
	    model_function_cmp);
}

/*
 * Marks whose each function of env's list is, and keeps in e->functions
 * the ones shown (sorted): the environment's own and the unmatched, or
 * all with show_all. The others wait in p->hidden for the toggle.
 */
static void
model_owner_split(struct model *m, size_t env)
{
	struct model_env *e = &m->envs[env];
	struct model_env_priv *p = &m->priv[env];
	struct env_owner_place *places;
	struct model_function *all, *shown, *hidden;
	size_t i, k, n = e->n_functions + p->n_hidden, n_shown = 0, n_hidden = 0;

	if (n == 0)
		return;
	places = xcalloc(m->n_envs + 1, sizeof *places);
	for (k = 0; k < m->n_envs; k++) {
		const struct model_env *o = &m->envs[k];

		/*
		 * dlc.ini's account =, not where the keys lead: dlc ls asks no
		 * other environment's identity, and must split as the console does.
		 */
		places[k].account = o->conf->account;
		places[k].region = o->aenv != NULL ? aws_env_region(o->aenv) :
		    o->conf->region;
	}
	all = xreallocarray(e->functions, n, sizeof *all);
	if (p->n_hidden > 0)
		memcpy(all + e->n_functions, p->hidden, p->n_hidden * sizeof *all);
	free(p->hidden);
	qsort(all, n, sizeof *all, model_function_cmp);
	shown = xcalloc(n, sizeof *shown);
	hidden = xcalloc(n, sizeof *hidden);
	for (i = 0; i < n; i++) {
		all[i].owner_env = env;
		all[i].owner = env_owner_of(m->cfg->envs, places, m->n_envs, env,
		    all[i].fn.function_name, &all[i].owner_env);
		if (all[i].owner != ENV_OWNER_OTHER || m->show_all)
			shown[n_shown++] = all[i];
		else
			hidden[n_hidden++] = all[i];
	}
	free(all);
	free(places);
	e->functions = shown;
	e->n_functions = n_shown;
	p->hidden = hidden;
	p->n_hidden = n_hidden;
}

void
model_set_show_all(struct model *m, int on)
{
	size_t k;

	m->show_all = on != 0;
	for (k = 0; k < m->n_envs; k++) {
		model_owner_split(m, k);
		model_notify(m, MODEL_CHANGE_FUNCTIONS, k, NULL);
	}
}

int
model_show_all(const struct model *m)
{
	return m->show_all;
}

/* The new list replaces the old; details already fetched move over by name. */
static void
model_list_commit(struct model *m, size_t env)
{
	struct model_env *e = &m->envs[env];
	struct model_env_priv *p = &m->priv[env];
	size_t i;

	if (model_env_refused(e) != NULL) {
		/* The identity was found wrong while this list was on its way. */
		model_functions_free(p->loading, p->n_loading);
		p->loading = NULL;
		p->n_loading = 0;
		e->functions_err = e->identity_err;
		e->functions_state = MODEL_FAILED;
		e->cred_state = "error";
		return;
	}
	qsort(p->loading, p->n_loading, sizeof *p->loading,
	    model_function_cmp);
	for (i = 0; i < p->n_loading; i++) {
		struct model_function *old = model_function_find(m, env,
		    p->loading[i].fn.function_name);

		if (old != NULL && old->details != NULL) {
			p->loading[i].details = old->details;
			old->details = NULL;
		}
	}
	model_functions_free(e->functions, e->n_functions);
	model_functions_free(p->hidden, p->n_hidden);
	p->hidden = NULL;
	p->n_hidden = 0;
	e->functions = p->loading;
	e->n_functions = p->n_loading;
	p->loading = NULL;
	p->n_loading = 0;
	model_owner_split(m, env);
	e->functions_state = MODEL_READY;
	e->functions_at = timeutil_now();
	dlc_err_clear(&e->functions_err);
}

/* One page of the list: kept aside until the last one is in. */
static void
model_list_page(struct aws_reply *reply, struct lambda_page *page, void *arg)
{
	struct model_job *j = arg;
	struct model *m = j->m;
	struct model_env *e = &m->envs[j->env];
	struct model_env_priv *p = &m->priv[j->env];
	size_t i;

	(void)reply;
	e->pages_loaded++;
	if (strcmp(e->cred_state, "ok") != 0) {
		/* An answer proves the credentials work, e.g. after a login. */
		e->cred_state = "ok";
		model_notify(m, MODEL_CHANGE_ENVS, j->env, NULL);
	}
	p->loading = xreallocarray(p->loading, p->n_loading + page->n + 1,
	    sizeof *p->loading);
	for (i = 0; i < page->n; i++) {
		struct model_function *f = &p->loading[p->n_loading++];

		memset(f, 0, sizeof *f);
		f->fn = page->functions[i];
		f->local = manifest_find_remote(m->locals, m->n_locals,
		    e->conf, f->fn.function_name);
		f->deprecated = f->fn.runtime != NULL &&
		    lambda_runtime_deprecated(f->fn.runtime);
	}
	/* Taken over: the page is cleared after this returns. */
	free(page->functions);
	page->functions = NULL;
	page->n = 0;
	model_notify(m, MODEL_CHANGE_FUNCTIONS, j->env, NULL);
}

static void
model_list_end(enum paginate_status status, struct dlc_err *err, void *arg)
{
	struct model_job *j = arg;
	struct model *m = j->m;
	struct model_env *e = &m->envs[j->env];
	struct model_env_priv *p = &m->priv[j->env];

	j->pager = NULL;
	p->list_job = NULL;
	dlc_err_clear(&e->functions_err);
	if (status == PAGINATE_DONE) {
		model_list_commit(m, j->env);
		model_notify(m, MODEL_CHANGE_FUNCTIONS, j->env, NULL);
		model_job_free(j);
		return;
	}
	e->functions_err = *err;
	/* Credentials found dead here are dead for the env row too. */
	if (status == PAGINATE_CALL_FAILED &&
	    (strcmp(model_cred_state(err), "error") != 0 ||
	    strcmp(e->cred_state, "unknown") == 0)) {
		e->cred_state = model_cred_state(err);
		model_notify(m, MODEL_CHANGE_ENVS, j->env, NULL);
	}
	/* The last complete list stays; only the state says it is stale. */
	model_functions_free(p->loading, p->n_loading);
	p->loading = NULL;
	p->n_loading = 0;
	e->functions_state = MODEL_FAILED;
	model_notify(m, MODEL_CHANGE_FUNCTIONS, j->env, NULL);
	model_job_free(j);
}

/* ---- auto refresh ---- */

static void
model_auto_fire(void *arg)
{
	struct model *m = arg;

	if (m->auto_seconds <= 0)
		return;
	model_refresh_functions(m, m->auto_env);
	loop_timer_start(m->auto_timer, (long)m->auto_seconds * 1000);
}

void
model_set_auto_refresh(struct model *m, size_t env, int seconds)
{
	if (m->auto_timer == NULL)
		m->auto_timer = loop_timer_new(m->aws->loop, model_auto_fire, m);
	loop_timer_stop(m->auto_timer);
	m->auto_env = env;
	m->auto_seconds = env < m->n_envs && seconds > 0 ? seconds : 0;
	if (m->auto_seconds > 0)
		loop_timer_start(m->auto_timer, (long)m->auto_seconds * 1000);
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

/* ---- details ---- */

/* The details a job fills, or NULL when a newer load (or list) replaced them. */
static struct model_details *
model_job_details(struct model_job *j)
{
	struct model_function *f = model_function_find(j->m, j->env,
	    j->function);

	if (f == NULL || f->details == NULL || f->details->gen != j->gen)
		return NULL;
	return f->details;
}

/* Keeps the first failure: it is the one the user should read. */
static void
model_details_fail(struct model_details *d, const struct dlc_err *err)
{
	if (!dlc_err_isset(&d->err))
		d->err = *err;
}

/* One call of the load is over: READY when it was the last. */
static void
model_details_step(struct model_job *j, struct model_details *d)
{
	if (d != NULL) {
		d->pending--;
		if (d->pending <= 0 && d->state == MODEL_LOADING) {
			d->state = MODEL_READY;
			d->fetched_at = timeutil_now();
		}
		model_notify(j->m, MODEL_CHANGE_DETAILS, j->env, j->function);
	}
	model_job_free(j);
}

static struct model_job *
model_details_job(struct model *m, size_t env, const char *function,
    struct model_details *d, enum model_job_kind kind)
{
	d->pending++;
	return model_job_new(m, kind, env, function, d->gen);
}

static void model_get_function_done(struct aws_reply *reply,
    struct lambda_function_code *out, void *arg);
static void model_esm_page(struct aws_reply *reply, struct lambda_esm_page *page,
    void *arg);
static void model_esm_end(enum paginate_status status, struct dlc_err *err,
    void *arg);
static void model_rule_names_page(struct aws_reply *reply,
    struct events_names_page *page, void *arg);
static void model_rule_names_end(enum paginate_status status,
    struct dlc_err *err, void *arg);
static void model_describe_rule_done(struct aws_reply *reply,
    struct events_rule *rule, void *arg);
static void model_layer_page(struct aws_reply *reply,
    struct lambda_layer_versions_page *page, void *arg);
static void model_layer_end(enum paginate_status status, struct dlc_err *err,
    void *arg);

void
model_load_details(struct model *m, size_t env, const char *function_name)
{
	struct model_function *f = model_function_find(m, env, function_name);
	struct model_details *d;
	struct model_job *j;
	struct aws_env *aenv = m->envs[env].aenv;
	unsigned gen;

	if (f == NULL || m->envs[env].aenv == NULL)
		return;
	if (f->details != NULL && f->details->state == MODEL_LOADING)
		return;
	gen = f->details != NULL ? f->details->gen + 1 : 1;
	model_details_free(f->details);
	d = f->details = xcalloc(1, sizeof *d);
	d->gen = gen;
	d->state = MODEL_LOADING;
	dlc_err_clear(&d->err);

	j = model_details_job(m, env, function_name, d,
	    MODEL_JOB_GET_FUNCTION);
	j->call = lambda_get_function(aenv, function_name,
	    model_get_function_done, j);

	j = model_details_job(m, env, function_name, d, MODEL_JOB_ESM);
	j->pager = paginate_start(aenv, &lambda_op_list_event_source_mappings,
	    function_name, MODEL_MAX_PAGES, (aws_op_fn)model_esm_page,
	    model_esm_end, j);

	/* Rules name their targets by ARN; the list already has it. */
	if (f->fn.function_arn != NULL) {
		j = model_details_job(m, env, function_name, d,
		    MODEL_JOB_RULE_NAMES);
		j->pager = paginate_start(aenv,
		    &events_op_list_rule_names_by_target, f->fn.function_arn,
		    MODEL_MAX_PAGES, (aws_op_fn)model_rule_names_page,
		    model_rule_names_end, j);
	}
	model_notify(m, MODEL_CHANGE_DETAILS, env, function_name);
}

static long
model_layer_cached(struct model_env_priv *p, const char *layer_arn)
{
	size_t i;

	for (i = 0; i < p->n_layers; i++)
		if (strcmp(p->layers[i].layer_arn, layer_arn) == 0)
			return p->layers[i].latest;
	return 0;
}

static void
model_layer_remember(struct model_env_priv *p, const char *layer_arn,
    long latest)
{
	size_t i;

	for (i = 0; i < p->n_layers; i++) {
		if (strcmp(p->layers[i].layer_arn, layer_arn) == 0) {
			p->layers[i].latest = latest;
			return;
		}
	}
	p->layers = xreallocarray(p->layers, p->n_layers + 1,
	    sizeof *p->layers);
	p->layers[p->n_layers].layer_arn = xstrdup(layer_arn);
	p->layers[p->n_layers].latest = latest;
	p->n_layers++;
}

/* Fills d->layers from the configuration and asks for each newest version. */
static void
model_details_layers(struct model_job *j, struct model_details *d)
{
	struct model_env_priv *p = &j->m->priv[j->env];
	size_t i;

	d->layers = xcalloc(d->config.n_layers + 1, sizeof *d->layers);
	d->n_layers = d->config.n_layers;
	for (i = 0; i < d->config.n_layers; i++) {
		struct model_layer *l = &d->layers[i];
		struct model_job *lj;
		const char *name;
		char *layer_arn;
		size_t len;

		l->arn = xstrdup(d->config.layers[i].arn);
		l->code_size = d->config.layers[i].code_size;
		name = lambda_layer_arn_name(l->arn, &len);
		l->name = xstrndup(name, len);
		if (lambda_layer_arn_split(l->arn, &layer_arn, &l->version) != 0)
			continue;
		if ((l->latest_version = model_layer_cached(p, layer_arn)) > 0) {
			free(layer_arn);
			continue;
		}
		lj = model_details_job(j->m, j->env, j->function, d,
		    MODEL_JOB_LAYER);
		lj->layer_arn = layer_arn;
		lj->best = 0;
		lj->pager = paginate_start(j->m->envs[j->env].aenv,
		    &lambda_op_list_layer_versions, layer_arn, MODEL_MAX_PAGES,
		    (aws_op_fn)model_layer_page, model_layer_end, lj);
	}
}

/*
 * The details an answer fills; when a newer load replaced them, the job
 * ends here (a list job's paging too: from inside its page callback,
 * which the paginator allows).
 */
static struct model_details *
model_job_live(struct model_job *j)
{
	struct model_details *d = model_job_details(j);

	j->call = NULL;
	if (d == NULL) {
		paginate_cancel(j->pager);
		model_job_free(j);
	}
	return d;
}

static void
model_get_function_done(struct aws_reply *reply,
    struct lambda_function_code *out, void *arg)
{
	struct model_job *j = arg;
	struct model_details *d;

	if ((d = model_job_live(j)) == NULL)
		return;
	if (reply->ok != 0) {
		if (reply->bad_answer)
			dlc_err_what(&reply->err, "GetFunction %s (%s)",
			    j->function, j->m->envs[j->env].conf->name);
		model_details_fail(d, &reply->err);
		d->state = MODEL_FAILED;
	} else {
		/* Taken over: the answer is cleared after this returns. */
		d->config = out->config;
		memset(&out->config, 0, sizeof out->config);
		d->code_location = out->code_location;
		out->code_location = NULL;
		model_details_layers(j, d);
	}
	model_details_step(j, d);
}

/* The account field of two ARNs ("arn:aws:lambda:R:ACCOUNT:..."), compared. */
static int
model_same_account(const char *a, const char *b)
{
	size_t la, lb;
	int i;

	if (a == NULL || b == NULL)
		return 0;
	for (i = 0; i < 4; i++) {
		if ((a = strchr(a, ':')) == NULL || (b = strchr(b, ':')) == NULL)
			return 0;
		a++;
		b++;
	}
	la = strcspn(a, ":");
	lb = strcspn(b, ":");
	return la == lb && strncmp(a, b, la) == 0;
}

static void
model_layer_page(struct aws_reply *reply,
    struct lambda_layer_versions_page *page, void *arg)
{
	struct model_job *j = arg;
	size_t i;

	(void)reply;
	/* No order is promised: take the largest of every page. */
	for (i = 0; i < page->n; i++)
		if (page->versions[i].version > j->best)
			j->best = page->versions[i].version;
}

/* Even for stale details: the cache is worth filling. */
static void
model_layer_end(enum paginate_status status, struct dlc_err *perr, void *arg)
{
	struct model_job *j = arg;
	struct model_details *d = model_job_details(j);
	struct dlc_err err;
	size_t i;

	j->pager = NULL;
	dlc_err_clear(&err);
	if (status == PAGINATE_BAD_ANSWER) {
		err = *perr;
		dlc_err_what(&err, "ListLayerVersions %s (%s)", j->layer_arn,
		    j->m->envs[j->env].conf->name);
	} else if (status != PAGINATE_DONE &&
	    status != PAGINATE_TOO_MANY_PAGES) {
		err = *perr;
	} else if (j->best > 0)
		model_layer_remember(&j->m->priv[j->env], j->layer_arn, j->best);
	if (d != NULL) {
		/*
		 * Another account's layer (a public one, say) cannot be
		 * listed by design: "unknown" is the answer, not a failure.
		 */
		if (dlc_err_isset(&err) && (strncmp(err.code, "AccessDenied",
		    12) != 0 || model_same_account(j->layer_arn,
		    d->config.function_arn)))
			model_details_fail(d, &err);
		for (i = 0; i < d->n_layers; i++) {
			char *arn;
			long ver;

			if (lambda_layer_arn_split(d->layers[i].arn, &arn,
			    &ver) != 0)
				continue;
			if (strcmp(arn, j->layer_arn) == 0 && j->best > 0 &&
			    !dlc_err_isset(&err))
				d->layers[i].latest_version = j->best;
			free(arn);
		}
	}
	model_details_step(j, d);
}

static void
model_esm_page(struct aws_reply *reply, struct lambda_esm_page *page,
    void *arg)
{
	struct model_job *j = arg;
	struct model_details *d;
	struct lambda_esm *v = page->esms;
	size_t i;

	(void)reply;
	if ((d = model_job_live(j)) == NULL)
		return;
	d->esms = xreallocarray(d->esms, d->n_esms + page->n + 1,
	    sizeof *d->esms);
	for (i = 0; i < page->n; i++) {
		struct model_esm *e = &d->esms[d->n_esms++];

		/* Take the strings over; the page frees the rest. */
		e->uuid = v[i].uuid;
		e->source_arn = v[i].event_source_arn;
		e->state = v[i].state;
		e->last_processing_result = v[i].last_processing_result;
		e->batch_size = v[i].batch_size;
		v[i].uuid = v[i].event_source_arn = v[i].state =
		    v[i].last_processing_result = NULL;
	}
	model_notify(j->m, MODEL_CHANGE_DETAILS, j->env, j->function);
}

/* Fails the details with a list job's error; the cap is no failure. */
static void
model_pager_fail(struct model_job *j, struct model_details *d,
    enum paginate_status status, struct dlc_err *err, const char *op)
{
	if (status == PAGINATE_DONE || status == PAGINATE_TOO_MANY_PAGES)
		return;
	if (status == PAGINATE_BAD_ANSWER)
		dlc_err_what(err, "%s %s (%s)", op, j->function,
		    j->m->envs[j->env].conf->name);
	model_details_fail(d, err);
}

static void
model_esm_end(enum paginate_status status, struct dlc_err *err, void *arg)
{
	struct model_job *j = arg;
	struct model_details *d = model_job_details(j);

	j->pager = NULL;
	if (d != NULL)
		model_pager_fail(j, d, status, err, "ListEventSourceMappings");
	model_details_step(j, d);
}

static void
model_rule_names_page(struct aws_reply *reply, struct events_names_page *page,
    void *arg)
{
	struct model_job *j = arg;
	struct model_details *d;
	struct aws_env *aenv = j->m->envs[j->env].aenv;
	size_t i;

	(void)reply;
	if ((d = model_job_live(j)) == NULL)
		return;
	for (i = 0; i < page->n && d->pending < MODEL_MAX_RULES; i++) {
		struct model_job *rj = model_details_job(j->m, j->env,
		    j->function, d, MODEL_JOB_DESCRIBE_RULE);

		rj->call = events_describe_rule(aenv, page->names[i],
		    model_describe_rule_done, rj);
	}
}

static void
model_rule_names_end(enum paginate_status status, struct dlc_err *err,
    void *arg)
{
	struct model_job *j = arg;
	struct model_details *d = model_job_details(j);

	j->pager = NULL;
	if (d != NULL)
		model_pager_fail(j, d, status, err, "ListRuleNamesByTarget");
	model_details_step(j, d);
}

static void
model_describe_rule_done(struct aws_reply *reply, struct events_rule *rule,
    void *arg)
{
	struct model_job *j = arg;
	struct model_details *d;

	if ((d = model_job_live(j)) == NULL)
		return;
	if (reply->ok != 0) {
		if (reply->bad_answer)
			dlc_err_what(&reply->err, "DescribeRule (%s)",
			    j->m->envs[j->env].conf->name);
		model_details_fail(d, &reply->err);
	} else {
		struct model_schedule *s;

		d->schedules = xreallocarray(d->schedules, d->n_schedules + 1,
		    sizeof *d->schedules);
		s = &d->schedules[d->n_schedules++];
		s->rule_name = rule->name;
		s->expression = rule->schedule_expression != NULL ?
		    rule->schedule_expression : rule->event_pattern;
		s->state = rule->state;
		rule->name = rule->state = NULL;
		if (s->expression == rule->schedule_expression)
			rule->schedule_expression = NULL;
		else
			rule->event_pattern = NULL;
	}
	model_details_step(j, d);
}
