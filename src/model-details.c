/*
 * A function's details: GetFunction, then the newest version of each of
 * its layers (cached per environment until the list is refreshed), its
 * event source mappings and the EventBridge rules that target it. Every
 * call is a job of the load's generation, so a late answer of an older
 * load is dropped.
 */
#include "model-priv.h"

#include <stdlib.h>
#include <string.h>

#include "aws-op.h"
#include "events.h"
#include "timeutil.h"
#include "xmalloc.h"

#define MODEL_MAX_RULES		100

struct model_layer_cache {
	char	*layer_arn;
	long	 latest;
};

void
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
static void model_side_list_end(enum paginate_status status,
    struct dlc_err *err, void *arg);
static void model_rule_names_page(struct aws_reply *reply,
    struct events_names_page *page, void *arg);
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
	struct aws_env *aenv;
	unsigned gen;

	/* f NULL also when env is out of range: only then is envs[env] read. */
	if (f == NULL || (aenv = m->envs[env].aenv) == NULL)
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
	    model_side_list_end, j);

	/* Rules name their targets by ARN; the list already has it. */
	if (f->fn.function_arn != NULL) {
		j = model_details_job(m, env, function_name, d,
		    MODEL_JOB_RULE_NAMES);
		j->pager = paginate_start(aenv,
		    &events_op_list_rule_names_by_target, f->fn.function_arn,
		    MODEL_MAX_PAGES, (aws_op_fn)model_rule_names_page,
		    model_side_list_end, j);
	}
	model_notify(m, MODEL_CHANGE_DETAILS, env, function_name);
}

void
model_details_forget_layers(struct model_env_priv *p)
{
	size_t k;

	for (k = 0; k < p->n_layers; k++)
		free(p->layers[k].layer_arn);
	free(p->layers);
	p->layers = NULL;
	p->n_layers = 0;
	/* An answer asked before this is from before the refresh. */
	p->layers_gen++;
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
		lj->layers_gen = p->layers_gen;
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

/*
 * Even for stale details the cache is worth filling, but not with an
 * answer asked before a refresh forgot the cache: it may be older than
 * a version published since.
 */
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
	} else if (j->best > 0 &&
	    j->layers_gen == j->m->priv[j->env].layers_gen)
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

/*
 * The mappings' or the rule names' paging is over: a failure fails the
 * details (the page cap is none).
 */
static void
model_side_list_end(enum paginate_status status, struct dlc_err *err,
    void *arg)
{
	struct model_job *j = arg;
	struct model_details *d = model_job_details(j);

	j->pager = NULL;
	if (d != NULL && status != PAGINATE_DONE &&
	    status != PAGINATE_TOO_MANY_PAGES) {
		if (status == PAGINATE_BAD_ANSWER)
			dlc_err_what(err, "%s %s (%s)", j->kind == MODEL_JOB_ESM ?
			    "ListEventSourceMappings" : "ListRuleNamesByTarget",
			    j->function, j->m->envs[j->env].conf->name);
		model_details_fail(d, err);
	}
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
	/* Counted by rule: d->pending holds every call of the load. */
	for (i = 0; i < page->n && j->rules_asked < MODEL_MAX_RULES; i++) {
		struct model_job *rj = model_details_job(j->m, j->env,
		    j->function, d, MODEL_JOB_DESCRIBE_RULE);

		j->rules_asked++;
		rj->call = events_describe_rule(aenv, page->names[i],
		    model_describe_rule_done, rj);
	}
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
