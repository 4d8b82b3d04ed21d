/*
 * An environment's function list: ListFunctions through the paginator,
 * kept aside until the last page so the UI never shows half a list (and,
 * with account =, until the identity is checked), each
 * function matched to its local folder and to the environment that owns
 * it, sorted for lookup, and refreshed from a timer.
 */
#include "model-priv.h"
#include "model-metrics.h"

#include <stdlib.h>
#include <string.h>

#include "aws-op.h"
#include "timeutil.h"
#include "xmalloc.h"

void
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

/* ---- functions ---- */

static void model_list_page(struct aws_reply *reply, struct lambda_page *page,
    void *arg);
static void model_list_end(enum paginate_status status, struct dlc_err *err,
    void *arg);
static void model_list_commit(struct model *m, size_t env);

void
model_refresh_functions(struct model *m, size_t env)
{
	struct model_env_priv *p;
	struct model_env *e;

	if (env >= m->n_envs)
		return;
	e = &m->envs[env];
	p = &m->priv[env];
	if (p->list_job != NULL || p->list_after_identity)
		return;
	if (model_env_refused(e) != NULL) {
		e->functions_err = e->identity_err;
		e->functions_state = MODEL_FAILED;
		model_notify(m, MODEL_CHANGE_FUNCTIONS, env, NULL);
		return;
	}
	/*
	 * account = set and not checked yet: ask both at once (one round
	 * trip, not two, before the first frame), but commit the list only
	 * once the identity says it is the right account.
	 */
	if (e->conf->account != NULL && e->identity_state != MODEL_READY) {
		p->list_after_identity = 1;
		model_refresh_identity(m, env);
	}
	/* A refresh is when a newly published layer version should show. */
	model_details_forget_layers(p);
	e->functions_state = MODEL_LOADING;
	e->pages_loaded = 0;
	p->list_job = model_job_new(m, MODEL_JOB_LIST, env, NULL, 0);
	p->list_job->pager = paginate_start(e->aenv, &lambda_op_list_functions,
	    NULL, MODEL_MAX_PAGES, (aws_op_fn)model_list_page, model_list_end,
	    p->list_job);
	model_notify(m, MODEL_CHANGE_FUNCTIONS, env, NULL);
}

/*
 * The alarms follow the functions, on the same timer, but only once the
 * list has come (or failed): sent beside ListFunctions, DescribeAlarms'
 * pages shared the first frame's round trip and its loop (bench/RESULTS.md,
 * "the console's first frame with the health columns").
 */
static void
model_list_then_alarms(struct model *m, size_t env)
{
	if (!m->no_alarms)
		model_refresh_alarms(m, env);
}

/* The list in flight or held for the identity is dropped, never shown. */
static void
model_list_drop(struct model *m, size_t env)
{
	struct model_env_priv *p = &m->priv[env];

	if (p->list_job != NULL) {
		paginate_cancel(p->list_job->pager);
		model_job_free(p->list_job);
		p->list_job = NULL;
	}
	model_functions_free(p->loading, p->n_loading);
	p->loading = NULL;
	p->n_loading = 0;
	p->list_held = 0;
}

/*
 * An environment with account = shows no list before its identity is
 * checked, and nothing at all when it reaches another account: the
 * console showed the other account's functions under "creds ok".
 */
void
model_identity_gate(struct model *m, size_t env)
{
	struct model_env *e = &m->envs[env];
	struct model_env_priv *p = &m->priv[env];
	int waiting = p->list_after_identity;

	p->list_after_identity = 0;
	if (model_env_refused(e) != NULL) {
		model_list_drop(m, env);
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
		/* Still paging: model_list_end commits it. */
		if (p->list_held) {
			p->list_held = 0;
			model_list_commit(m, env);
			model_notify(m, MODEL_CHANGE_FUNCTIONS, env, NULL);
		}
	} else if (waiting) {
		/* No identity, so no way to know the account: say why. */
		model_list_drop(m, env);
		e->functions_err = e->identity_err;
		e->functions_state = MODEL_FAILED;
		model_notify(m, MODEL_CHANGE_FUNCTIONS, env, NULL);
	}
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
	model_audit_functions_changed(m, env);
	/* A function that just appeared may be what an alarm's name names. */
	model_alarms_rematch(m, env);
	model_list_then_alarms(m, env);
	/* The functions view's sparklines follow each complete list. */
	if (m->auto_metrics)
		model_refresh_metrics(m, env);
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
	/* Not while the identity may yet find another account. */
	if (!p->list_after_identity && strcmp(e->cred_state, "ok") != 0) {
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
	if (status == PAGINATE_DONE && p->list_after_identity) {
		/* Held, still LOADING: model_identity_gate commits or drops it. */
		p->list_held = 1;
		model_job_free(j);
		return;
	}
	if (status == PAGINATE_DONE) {
		model_list_commit(m, j->env);
		model_notify(m, MODEL_CHANGE_FUNCTIONS, j->env, NULL);
		model_job_free(j);
		return;
	}
	/* Failed already: the identity's answer has nothing to commit. */
	p->list_after_identity = 0;
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
	/* The header's ALARM count must not go stale with the list. */
	model_list_then_alarms(m, j->env);
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
