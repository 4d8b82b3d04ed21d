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

#include "awsconfig.h"
#include "creds.h"
#include "events.h"
#include "loop.h"
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
	enum model_job_kind	 kind;
	size_t			 env;
	char			*function;	/* details jobs */
	unsigned		 gen;		/* of the details load */
	char			*layer_arn;	/* LAYER: without version */
	long			 best;		/* LAYER: newest version so far */
	int			 pages;
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

static void model_job_done(int ok, struct aws_response *resp, void *arg);

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

static void
model_job_send(struct model_job *j, const struct aws_service *svc,
    const char *op, const char *method, const char *target, const char *body)
{
	struct aws_request req;

	memset(&req, 0, sizeof req);
	req.operation = op;
	req.method = method;
	req.target = target;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	j->call = aws_send(j->m->envs[j->env].aenv, svc, &req,
	    model_job_done, j);
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

void
model_refresh_identity(struct model *m, size_t env)
{
	struct model_env *e;
	struct model_job *j;
	char *body;

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
	body = sts_get_caller_identity_body();
	model_job_send(j, &aws_service_sts, "GetCallerIdentity", NULL, NULL,
	    body);
	free(body);
	model_notify(m, MODEL_CHANGE_ENVS, env, NULL);
}

static void
model_identity_done(struct model_job *j, int ok, struct aws_response *resp)
{
	struct model_env *e = &j->m->envs[j->env];
	struct sts_identity id;

	j->m->priv[j->env].identity_job = NULL;
	dlc_err_clear(&e->identity_err);
	if (ok != 0) {
		e->identity_err = resp->err;
		e->identity_state = MODEL_FAILED;
		e->cred_state = model_cred_state(&e->identity_err);
	} else if (sts_parse_get_caller_identity(resp->body.data,
	    resp->body.len, &id, &e->identity_err) != 0) {
		dlc_err_what(&e->identity_err, "GetCallerIdentity (%s)",
		    e->conf->name);
		e->identity_state = MODEL_FAILED;
		e->cred_state = "error";
	} else {
		free(e->account);
		free(e->arn);
		e->account = xstrdup(id.account);
		e->arn = xstrdup(id.arn);
		sts_identity_clear(&id);
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
	model_identity_gate(j->m, j->env);
}

/* ---- functions ---- */

static void
model_list_fetch(struct model_job *j, const char *marker)
{
	char *target = lambda_list_functions_target(marker, 50);

	model_job_send(j, &aws_service_lambda, "ListFunctions", "GET", target,
	    NULL);
	free(target);
}

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
	model_list_fetch(p->list_job, NULL);
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

static void
model_list_done(struct model_job *j, int ok, struct aws_response *resp)
{
	struct model *m = j->m;
	struct model_env *e = &m->envs[j->env];
	struct model_env_priv *p = &m->priv[j->env];
	struct lambda_page page;
	size_t i;

	dlc_err_clear(&e->functions_err);
	if (ok != 0) {
		e->functions_err = resp->err;
		/* Credentials found dead here are dead for the env row too. */
		if (strcmp(model_cred_state(&resp->err), "error") != 0 ||
		    strcmp(e->cred_state, "unknown") == 0) {
			e->cred_state = model_cred_state(&resp->err);
			model_notify(m, MODEL_CHANGE_ENVS, j->env, NULL);
		}
		goto failed;
	}
	if (lambda_parse_list_functions(resp->body.data, resp->body.len,
	    &page, &e->functions_err) != 0) {
		dlc_err_what(&e->functions_err, "ListFunctions (%s), page %d",
		    e->conf->name, e->pages_loaded + 1);
		goto failed;
	}
	e->pages_loaded++;
	if (strcmp(e->cred_state, "ok") != 0) {
		/* An answer proves the credentials work, e.g. after a login. */
		e->cred_state = "ok";
		model_notify(m, MODEL_CHANGE_ENVS, j->env, NULL);
	}
	p->loading = xreallocarray(p->loading, p->n_loading + page.n + 1,
	    sizeof *p->loading);
	for (i = 0; i < page.n; i++) {
		struct model_function *f = &p->loading[p->n_loading++];

		memset(f, 0, sizeof *f);
		f->fn = page.functions[i];
		f->local = manifest_find_remote(m->locals, m->n_locals,
		    e->conf, f->fn.function_name);
		f->deprecated = f->fn.runtime != NULL &&
		    lambda_runtime_deprecated(f->fn.runtime);
	}
	free(page.functions);
	page.functions = NULL;
	page.n = 0;
	if (page.next_marker != NULL) {
		if (e->pages_loaded >= MODEL_MAX_PAGES) {
			lambda_page_clear(&page);
			dlc_err_set(&e->functions_err, "TooManyPages",
			    "ListFunctions (%s) still had more after %d pages",
			    e->conf->name, MODEL_MAX_PAGES);
			goto failed;
		}
		/* The same job carries on with the next page. */
		model_list_fetch(j, page.next_marker);
		lambda_page_clear(&page);
		model_notify(m, MODEL_CHANGE_FUNCTIONS, j->env, NULL);
		return;
	}
	lambda_page_clear(&page);
	p->list_job = NULL;
	model_list_commit(m, j->env);
	model_notify(m, MODEL_CHANGE_FUNCTIONS, j->env, NULL);
	model_job_free(j);
	return;
failed:
	/* The last complete list stays; only the state says it is stale. */
	model_functions_free(p->loading, p->n_loading);
	p->loading = NULL;
	p->n_loading = 0;
	p->list_job = NULL;
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

static void
model_esm_fetch(struct model_job *j, const char *marker)
{
	char *target = lambda_list_event_source_mappings_target(j->function,
	    marker);

	model_job_send(j, &aws_service_lambda, "ListEventSourceMappings",
	    "GET", target, NULL);
	free(target);
}

static void
model_rule_names_fetch(struct model_job *j, const char *target_arn,
    const char *token)
{
	char *body = events_list_rule_names_by_target_body(target_arn, token);

	model_job_send(j, &aws_service_events, "ListRuleNamesByTarget", NULL,
	    NULL, body);
	free(body);
}

static void
model_layer_fetch(struct model_job *j, const char *marker)
{
	char *target = lambda_list_layer_versions_target(j->layer_arn, marker);

	model_job_send(j, &aws_service_lambda, "ListLayerVersions", "GET",
	    target, NULL);
	free(target);
}

void
model_load_details(struct model *m, size_t env, const char *function_name)
{
	struct model_function *f = model_function_find(m, env, function_name);
	struct model_details *d;
	struct model_job *j;
	char *target;
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
	target = lambda_function_path(function_name, "");
	model_job_send(j, &aws_service_lambda, "GetFunction", "GET", target,
	    NULL);
	free(target);

	j = model_details_job(m, env, function_name, d, MODEL_JOB_ESM);
	model_esm_fetch(j, NULL);

	/* Rules name their targets by ARN; the list already has it. */
	if (f->fn.function_arn != NULL) {
		j = model_details_job(m, env, function_name, d,
		    MODEL_JOB_RULE_NAMES);
		model_rule_names_fetch(j, f->fn.function_arn, NULL);
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
		model_layer_fetch(lj, NULL);
	}
}

static void
model_get_function_done(struct model_job *j, struct model_details *d,
    int ok, struct aws_response *resp)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	if (ok != 0) {
		model_details_fail(d, &resp->err);
		d->state = MODEL_FAILED;
	} else if (lambda_parse_get_function(resp->body.data, resp->body.len,
	    &d->config, &d->code_location, &err) != 0) {
		dlc_err_what(&err, "GetFunction %s (%s)", j->function,
		    j->m->envs[j->env].conf->name);
		model_details_fail(d, &err);
		d->state = MODEL_FAILED;
	} else {
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
model_layer_done(struct model_job *j, int ok, struct aws_response *resp)
{
	struct model_details *d = model_job_details(j);
	struct lambda_layer_version *v = NULL;
	struct dlc_err err;
	char *marker = NULL;
	size_t i, n = 0;

	dlc_err_clear(&err);
	if (ok != 0) {
		err = resp->err;
	} else if (lambda_parse_list_layer_versions(resp->body.data,
	    resp->body.len, &v, &n, &marker, &err) != 0) {
		dlc_err_what(&err, "ListLayerVersions %s (%s)", j->layer_arn,
		    j->m->envs[j->env].conf->name);
	} else {
		/* No order is promised: take the largest of every page. */
		for (i = 0; i < n; i++)
			if (v[i].version > j->best)
				j->best = v[i].version;
		lambda_layer_versions_free(v, n);
		if (marker != NULL && ++j->pages < MODEL_MAX_PAGES) {
			model_layer_fetch(j, marker);
			free(marker);
			return;
		}
		free(marker);
		if (j->best > 0)
			model_layer_remember(&j->m->priv[j->env], j->layer_arn,
			    j->best);
	}
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
model_esm_done(struct model_job *j, struct model_details *d, int ok,
    struct aws_response *resp)
{
	struct lambda_esm *v = NULL;
	struct dlc_err err;
	char *marker = NULL;
	size_t i, n = 0;

	dlc_err_clear(&err);
	if (ok != 0) {
		model_details_fail(d, &resp->err);
	} else if (lambda_parse_list_event_source_mappings(resp->body.data,
	    resp->body.len, &v, &n, &marker, &err) != 0) {
		dlc_err_what(&err, "ListEventSourceMappings %s (%s)",
		    j->function, j->m->envs[j->env].conf->name);
		model_details_fail(d, &err);
	} else {
		d->esms = xreallocarray(d->esms, d->n_esms + n + 1,
		    sizeof *d->esms);
		for (i = 0; i < n; i++) {
			struct model_esm *e = &d->esms[d->n_esms++];

			/* Take the strings over; free the rest. */
			e->uuid = v[i].uuid;
			e->source_arn = v[i].event_source_arn;
			e->state = v[i].state;
			e->last_processing_result = v[i].last_processing_result;
			e->batch_size = v[i].batch_size;
			v[i].uuid = v[i].event_source_arn = v[i].state =
			    v[i].last_processing_result = NULL;
		}
		lambda_esms_free(v, n);
		if (marker != NULL && ++j->pages < MODEL_MAX_PAGES) {
			model_esm_fetch(j, marker);
			free(marker);
			model_notify(j->m, MODEL_CHANGE_DETAILS, j->env,
			    j->function);
			return;
		}
		free(marker);
	}
	model_details_step(j, d);
}

static void
model_rule_names_done(struct model_job *j, struct model_details *d, int ok,
    struct aws_response *resp)
{
	struct model_function *f = model_function_find(j->m, j->env,
	    j->function);
	struct dlc_err err;
	char **names = NULL, *token = NULL, *body;
	size_t i, n = 0;

	dlc_err_clear(&err);
	if (ok != 0) {
		model_details_fail(d, &resp->err);
		model_details_step(j, d);
		return;
	}
	if (events_parse_list_rule_names_by_target(resp->body.data,
	    resp->body.len, &names, &n, &token, &err) != 0) {
		dlc_err_what(&err, "ListRuleNamesByTarget %s (%s)",
		    j->function, j->m->envs[j->env].conf->name);
		model_details_fail(d, &err);
		model_details_step(j, d);
		return;
	}
	for (i = 0; i < n && d->pending < MODEL_MAX_RULES; i++) {
		struct model_job *rj = model_details_job(j->m, j->env,
		    j->function, d, MODEL_JOB_DESCRIBE_RULE);

		body = events_describe_rule_body(names[i]);
		model_job_send(rj, &aws_service_events, "DescribeRule", NULL,
		    NULL, body);
		free(body);
	}
	events_names_free(names, n);
	if (token != NULL && ++j->pages < MODEL_MAX_PAGES && f != NULL &&
	    f->fn.function_arn != NULL) {
		model_rule_names_fetch(j, f->fn.function_arn, token);
		free(token);
		return;
	}
	free(token);
	model_details_step(j, d);
}

static void
model_describe_rule_done(struct model_job *j, struct model_details *d,
    int ok, struct aws_response *resp)
{
	struct events_rule rule;
	struct dlc_err err;

	dlc_err_clear(&err);
	if (ok != 0) {
		model_details_fail(d, &resp->err);
	} else if (events_parse_describe_rule(resp->body.data, resp->body.len,
	    &rule, &err) != 0) {
		dlc_err_what(&err, "DescribeRule (%s)",
		    j->m->envs[j->env].conf->name);
		model_details_fail(d, &err);
	} else {
		struct model_schedule *s;

		d->schedules = xreallocarray(d->schedules, d->n_schedules + 1,
		    sizeof *d->schedules);
		s = &d->schedules[d->n_schedules++];
		s->rule_name = rule.name;
		s->expression = rule.schedule_expression != NULL ?
		    rule.schedule_expression : rule.event_pattern;
		s->state = rule.state;
		rule.name = rule.state = NULL;
		if (s->expression == rule.schedule_expression)
			rule.schedule_expression = NULL;
		else
			rule.event_pattern = NULL;
		events_rule_clear(&rule);
	}
	model_details_step(j, d);
}

static void
model_job_done(int ok, struct aws_response *resp, void *arg)
{
	struct model_job *j = arg;
	struct model_details *d;

	j->call = NULL;
	switch (j->kind) {
	case MODEL_JOB_IDENTITY:
		model_identity_done(j, ok, resp);
		model_job_free(j);
		return;
	case MODEL_JOB_LIST:
		model_list_done(j, ok, resp);
		return;
	case MODEL_JOB_LAYER:
		/* Even for stale details: the cache is worth filling. */
		model_layer_done(j, ok, resp);
		return;
	default:
		break;
	}
	if ((d = model_job_details(j)) == NULL) {
		model_job_free(j);
		return;
	}
	switch (j->kind) {
	case MODEL_JOB_GET_FUNCTION:
		model_get_function_done(j, d, ok, resp);
		break;
	case MODEL_JOB_ESM:
		model_esm_done(j, d, ok, resp);
		break;
	case MODEL_JOB_RULE_NAMES:
		model_rule_names_done(j, d, ok, resp);
		break;
	default:
		model_describe_rule_done(j, d, ok, resp);
		break;
	}
}
