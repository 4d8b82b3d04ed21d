/*
 * An environment's CloudWatch alarms: DescribeAlarms, all pages, kept
 * aside until the last one so the UI never shows half a list, then
 * sorted, matched to the environment's functions and compared with the
 * list before it to say which alarms went into ALARM. A refresh that
 * fails keeps the list before it.
 */
#include "model-priv.h"

#include <stdlib.h>
#include <string.h>

#include "alarm.h"
#include "timeutil.h"
#include "xmalloc.h"

struct model_alarms_state {
	struct model_alarms	 pub;
	struct model		*m;
	size_t			 env;
	struct cw_alarms_fetch	*fetch;		/* the refresh in flight */
	int			 after_identity;	/* account =: commit once the identity is checked */
	int			 held;		/* the list is all in, waiting on the identity */
	struct cw_alarm_list	 loading;	/* held */
};

static struct model_alarms_state *
model_alarms_state(struct model *m, size_t env)
{
	struct model_env_priv *p = &m->priv[env];

	if (p->alarms == NULL) {
		p->alarms = xcalloc(1, sizeof *p->alarms);
		p->alarms->m = m;
		p->alarms->env = env;
		p->alarms->pub.state = MODEL_IDLE;
		dlc_err_clear(&p->alarms->pub.err);
	}
	return p->alarms;
}

static void
model_alarms_entered_clear(struct model_alarms *a)
{
	size_t i;

	for (i = 0; i < a->n_entered; i++)
		free(a->entered_alarm[i]);
	free(a->entered_alarm);
	a->entered_alarm = NULL;
	a->n_entered = 0;
}

void
model_alarms_free(struct model *m, size_t env)
{
	struct model_alarms_state *s = m->priv[env].alarms;

	if (s == NULL)
		return;
	cw_alarms_fetch_cancel(s->fetch);
	cw_alarm_list_clear(&s->pub.list);
	cw_alarm_list_clear(&s->loading);
	model_alarms_entered_clear(&s->pub);
	free(s);
	m->priv[env].alarms = NULL;
}

const struct model_alarms *
model_env_alarms(struct model *m, size_t env)
{
	if (env >= m->n_envs)
		return NULL;
	return &model_alarms_state(m, env)->pub;
}

void
model_set_alarms_with_functions(struct model *m, int on)
{
	m->no_alarms = !on;
}

/*
 * What an alarm's name may name: every function the account holds (the
 * environment's list and those hidden as another's) and every local
 * folder's name in this environment, each with its local folder.
 */
static struct alarm_fn *
model_alarms_fns(struct model *m, size_t env, size_t *n, char ***owned,
    size_t *n_owned)
{
	struct model_env *e = &m->envs[env];
	struct model_env_priv *p = &m->priv[env];
	size_t cap = e->n_functions + p->n_hidden + m->n_locals + 1, i;
	struct alarm_fn *fns = xcalloc(cap, sizeof *fns);

	*n = 0;
	*owned = xcalloc(m->n_locals + 1, sizeof **owned);
	*n_owned = 0;
	for (i = 0; i < e->n_functions + p->n_hidden; i++) {
		const struct model_function *f = i < e->n_functions ?
		    &e->functions[i] : &p->hidden[i - e->n_functions];

		fns[*n].remote = f->fn.function_name;
		fns[*n].local = f->local != NULL ? f->local->name : NULL;
		(*n)++;
	}
	for (i = 0; i < m->n_locals; i++) {
		char *remote;

		if (m->locals[i].is_layer)
			continue;
		remote = dlc_env_remote_name(e->conf, m->locals[i].remote_base);
		if (remote == NULL)
			continue;
		(*owned)[(*n_owned)++] = remote;
		fns[*n].remote = remote;
		fns[*n].local = m->locals[i].name;
		(*n)++;
	}
	return fns;
}

static void
model_alarms_match(struct model *m, size_t env, struct cw_alarm_list *l)
{
	struct alarm_fn *fns;
	char **owned;
	size_t n, n_owned, i;

	fns = model_alarms_fns(m, env, &n, &owned, &n_owned);
	alarm_match(l, fns, n);
	for (i = 0; i < n_owned; i++)
		free(owned[i]);
	free(owned);
	free(fns);
}

void
model_alarms_rematch(struct model *m, size_t env)
{
	struct model_alarms_state *s = m->priv[env].alarms;

	if (s == NULL || s->pub.list.n == 0)
		return;
	model_alarms_match(m, env, &s->pub.list);
	model_notify(m, MODEL_CHANGE_ALARMS, env, NULL);
}

static int
model_alarm_name_cmp(const void *a, const void *b)
{
	const struct cw_alarm *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/*
 * The alarms of new in ALARM that were not in ALARM in old, or went in
 * again since (another transition time): what to announce. By name, in
 * time n log n, so 1,000 alarms cost nothing.
 */
static void
model_alarms_entered(struct model_alarms *a, const struct cw_alarm_list *old,
    const struct cw_alarm_list *new)
{
	const struct cw_alarm **index = xcalloc(old->n + 1, sizeof *index);
	size_t i;

	for (i = 0; i < old->n; i++)
		index[i] = &old->v[i];
	qsort(index, old->n, sizeof *index, model_alarm_name_cmp);
	for (i = 0; i < new->n; i++) {
		const struct cw_alarm *n = &new->v[i], *key = n;
		const struct cw_alarm **hit;

		if (strcmp(n->state, "ALARM") != 0)
			continue;
		hit = old->n > 0 ? bsearch(&key, index, old->n, sizeof *index,
		    model_alarm_name_cmp) : NULL;
		if (hit != NULL && strcmp((*hit)->state, "ALARM") == 0 &&
		    (*hit)->state_since == n->state_since)
			continue;
		a->entered_alarm = xreallocarray(a->entered_alarm,
		    a->n_entered + 1, sizeof *a->entered_alarm);
		a->entered_alarm[a->n_entered++] = xstrdup(n->name);
	}
	free(index);
}

/* The list fetched replaces the one held. */
static void
model_alarms_commit(struct model *m, size_t env, struct cw_alarm_list *list)
{
	struct model_alarms_state *s = m->priv[env].alarms;
	struct model_alarms *a = &s->pub;
	struct cw_alarm_list fresh = { NULL, 0 };

	cw_alarm_list_take(&fresh, list);
	alarm_sort(&fresh);
	model_alarms_match(m, env, &fresh);
	model_alarms_entered_clear(a);
	/* Never on the first load: everything would be "new". */
	if (a->fetched_at != 0)
		model_alarms_entered(a, &a->list, &fresh);
	cw_alarm_list_clear(&a->list);
	a->list = fresh;
	a->fetched_at = timeutil_now();
	a->state = MODEL_READY;
	dlc_err_clear(&a->err);
	a->gen++;
}

static void
model_alarms_fail(struct model *m, size_t env, const struct dlc_err *err)
{
	struct model_alarms *a = &m->priv[env].alarms->pub;

	a->err = *err;
	a->state = MODEL_FAILED;
	model_alarms_entered_clear(a);
}

static void
model_alarms_done(struct cw_alarm_list *list, const struct dlc_err *err,
    int pages, void *arg)
{
	struct model_alarms_state *s = arg;
	struct model *m = s->m;
	size_t env = s->env;

	(void)pages;
	s->fetch = NULL;
	if (list == NULL)
		model_alarms_fail(m, env, err);
	else if (s->after_identity) {
		/* Held, still LOADING: model_alarms_identity_gate decides. */
		cw_alarm_list_take(&s->loading, list);
		s->held = 1;
		return;
	} else
		model_alarms_commit(m, env, list);
	s->after_identity = 0;
	model_notify(m, MODEL_CHANGE_ALARMS, env, NULL);
}

void
model_alarms_identity_gate(struct model *m, size_t env)
{
	struct model_alarms_state *s = m->priv[env].alarms;
	const struct model_env *e = &m->envs[env];
	const struct dlc_err *refused = model_env_refused(e);

	if (s == NULL || !s->after_identity)
		return;
	if (refused != NULL || e->identity_state != MODEL_READY) {
		/* Another account's alarms are not this environment's. */
		cw_alarms_fetch_cancel(s->fetch);
		s->fetch = NULL;
		cw_alarm_list_clear(&s->loading);
		s->held = 0;
		s->after_identity = 0;
		model_alarms_fail(m, env, &e->identity_err);
		model_notify(m, MODEL_CHANGE_ALARMS, env, NULL);
		return;
	}
	s->after_identity = 0;
	if (s->held) {
		s->held = 0;
		model_alarms_commit(m, env, &s->loading);
		model_notify(m, MODEL_CHANGE_ALARMS, env, NULL);
	}
}

void
model_refresh_alarms(struct model *m, size_t env)
{
	struct model_alarms_state *s;
	const struct model_env *e;
	const struct dlc_err *refused;
	if (env >= m->n_envs)
		return;
	s = model_alarms_state(m, env);
	e = &m->envs[env];
	if (s->fetch != NULL || s->after_identity)
		return;
	if ((refused = model_env_refused(e)) != NULL) {
		model_alarms_fail(m, env, refused);
		model_notify(m, MODEL_CHANGE_ALARMS, env, NULL);
		return;
	}
	/* As the function list: not before the account is known right. */
	if (e->conf->account != NULL && e->identity_state != MODEL_READY) {
		s->after_identity = 1;
		model_refresh_identity(m, env);
	}
	s->pub.state = MODEL_LOADING;
	s->fetch = cw_describe_alarms_all(e->aenv, model_alarms_done, s);
	model_notify(m, MODEL_CHANGE_ALARMS, env, NULL);
}
