/*
 * audit_start: the facts of an environment gathered for audit-eval.c.
 * ListFunctions (all pages) first, since every other read depends on
 * which functions are audited; then at once DescribeLogGroups by prefix
 * /aws/lambda/ (and a function's own LoggingConfig group elsewhere),
 * DescribeAlarms once, ListEventSourceMappings once (all the account's),
 * ListRuleNamesByTarget only for functions the manifest does not say are
 * stream-fed, DescribeRule per rule, ListLayerVersions once per layer;
 * then DescribeSubscriptionFilters per existing group of an audited
 * function. At most AUDIT_MAX_RUNNING calls are out at once, so a large
 * environment does not burst past the account's API rate.
 */
#include "audit-priv.h"

#include <stdlib.h>
#include <string.h>

#include "aws-op.h"
#include "build-current.h"
#include "cw-alarms.h"
#include "env-owner.h"
#include "events.h"
#include "lambda.h"
#include "logs-groups.h"
#include "manifest.h"
#include "paginate.h"
#include "timeutil.h"
#include "xmalloc.h"

#define AUDIT_MAX_RUNNING	6
#define AUDIT_MAX_PAGES		400

static void audit_pump(struct audit *a);

struct audit_job *
audit_job_add(struct audit *a, enum audit_job_kind kind, size_t idx,
    const char *arg)
{
	struct audit_job *j = xcalloc(1, sizeof *j);

	j->a = a;
	j->kind = kind;
	j->idx = idx;
	j->arg = arg != NULL ? xstrdup(arg) : NULL;
	j->next = a->jobs;
	a->jobs = j;
	if (kind == AUDIT_JOB_GROUPS)
		a->groups_out++;	/* counted from here: the filters wait for all */
	return j;
}

static void
audit_job_unlink(struct audit_job *j)
{
	struct audit_job **pp;

	for (pp = &j->a->jobs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	free(j->arg);
	free(j);
}

static void audit_local_next(struct audit *a);

static void
audit_finish(struct audit *a)
{
	struct audit_report *r;

	if (a->finished || a->jobs != NULL)
		return;
	a->finished = 1;
	while (a->locals_from < a->facts.n_fns)
		audit_local_next(a);
	r = audit_evaluate(&a->facts);
	a->done(r, NULL, a->arg);
}

void
audit_job_end(struct audit_job *j)
{
	struct audit *a = j->a;

	if (j->started)
		a->running--;
	audit_job_unlink(j);
	audit_local_next(a);
	audit_pump(a);
	audit_finish(a);
}

void
audit_job_failed(struct audit_job *j, const struct dlc_err *err,
    const char *permission, const char *checks)
{
	int denied = strstr(err->code, "AccessDenied") != NULL ||
	    strstr(err->code, "UnauthorizedOperation") != NULL ||
	    err->http_status == 403;

	if (denied)
		audit_facts_error(&j->a->facts, "%s denied (%s): the %s check is "
		    "unknown; grant %s to the role dlc uses", permission,
		    err->code, checks, permission);
	else
		audit_facts_error(&j->a->facts, "%s failed (%s%s%s): the %s check "
		    "is unknown", permission, err->code[0] != '\0' ? err->code : "error",
		    err->message[0] != '\0' ? ": " : "", err->message, checks);
}

/* ---- the functions ---- */

static int
audit_wanted(const struct audit *a, const struct lambda_function *fn,
    const struct local_function *lf)
{
	size_t i;

	if (a->n_only == 0)
		return 1;
	for (i = 0; i < a->n_only; i++)
		if (strcmp(a->only[i], fn->function_name) == 0 ||
		    (lf != NULL && strcmp(a->only[i], lf->name) == 0))
			return 1;
	return 0;
}

static void
audit_functions_page(struct aws_reply *reply, struct lambda_page *page, void *arg)
{
	struct audit_job *j = arg;
	struct audit *a = j->a;
	struct audit_facts *f = &a->facts;
	const struct local_function *lf;
	size_t i, self = (size_t)(f->env - f->cfg->envs);
	enum env_owner_kind owner;

	(void)reply;
	for (i = 0; i < page->n; i++) {
		struct lambda_function *fn = &page->functions[i];

		if (fn->function_name == NULL)
			continue;
		f->account_fns = xreallocarray(f->account_fns, f->n_account_fns + 1,
		    sizeof *f->account_fns);
		f->account_fns[f->n_account_fns++] = xstrdup(fn->function_name);
		/* The environment's own and the unclaimed, as dlc ls lists them. */
		owner = env_owner_of(f->cfg->envs, NULL, f->cfg->n_envs, self,
		    fn->function_name, NULL);
		if (owner == ENV_OWNER_OTHER)
			continue;
		lf = manifest_find_remote(f->locals, f->n_locals, f->env, fn->function_name);
		if (!audit_wanted(a, fn, lf))
			continue;
		f->fns = xreallocarray(f->fns, f->n_fns + 1, sizeof *f->fns);
		memset(&f->fns[f->n_fns], 0, sizeof f->fns[f->n_fns]);
		f->fns[f->n_fns].fn = *fn;
		f->fns[f->n_fns].local = lf;
		memset(fn, 0, sizeof *fn);	/* taken over */
		f->n_fns++;
	}
}

static void audit_second_round(struct audit *a);

static void
audit_functions_done(enum paginate_status st, struct dlc_err *err, void *arg)
{
	struct audit_job *j = arg;
	struct audit *a = j->a;
	struct dlc_err e;

	j->pager = NULL;
	if (st != PAGINATE_DONE) {
		e = *err;
		a->running--;
		audit_job_unlink(j);
		a->finished = 1;
		dlc_err_what(&e, "ListFunctions in %s", a->facts.env->name);
		a->done(NULL, &e, a->arg);
		return;
	}
	audit_second_round(a);
	audit_job_end(j);
}

/* ---- log groups and their subscription filters ---- */

static void
audit_groups_page(struct aws_reply *reply, struct logs_groups_page *page, void *arg)
{
	struct audit_job *j = arg;
	struct audit_facts *f = &j->a->facts;
	size_t i;

	(void)reply;
	for (i = 0; i < page->n; i++) {
		/* A function's own group asked by prefix: only that one. */
		if (strcmp(j->arg, "/aws/lambda/") != 0 && strcmp(page->groups[i].name, j->arg) != 0)
			continue;
		if (audit_find_group(f, page->groups[i].name) != NULL)
			continue;
		f->groups = xreallocarray(f->groups, f->n_groups + 1, sizeof *f->groups);
		memset(&f->groups[f->n_groups], 0, sizeof f->groups[f->n_groups]);
		f->groups[f->n_groups].name = page->groups[i].name;
		f->groups[f->n_groups].retention = page->groups[i].retention;
		page->groups[i].name = NULL;
		f->n_groups++;
	}
}

/* Every group read: the filters of the audited functions' groups. */
static void
audit_filters_start(struct audit *a)
{
	struct audit_facts *f = &a->facts;
	const struct audit_log_group *g;
	size_t i;
	char *name;

	for (i = 0; i < f->n_fns; i++) {
		name = lambda_log_group(f->fns[i].fn.log_group, f->fns[i].fn.function_name);
		g = audit_find_group(f, name);
		if (g != NULL && !g->filters_known)
			audit_job_add(a, AUDIT_JOB_FILTERS, (size_t)(g - f->groups), name);
		free(name);
	}
}

static void
audit_groups_done(enum paginate_status st, struct dlc_err *err, void *arg)
{
	struct audit_job *j = arg;
	struct audit *a = j->a;

	j->pager = NULL;
	if (st != PAGINATE_DONE) {
		a->groups_failed = 1;
		audit_job_failed(j, err, "logs:DescribeLogGroups",
		    "log group, retention and subscription");
	}
	if (--a->groups_out == 0) {
		a->facts.groups_known = !a->groups_failed;
		if (a->facts.groups_known)
			audit_filters_start(a);
	}
	audit_job_end(j);
}

static void
audit_filters_page(struct aws_reply *reply, struct logs_filters_page *page, void *arg)
{
	struct audit_job *j = arg;

	(void)reply;
	j->a->facts.groups[j->idx].n_filters += page->n;
}

static void
audit_filters_done(enum paginate_status st, struct dlc_err *err, void *arg)
{
	struct audit_job *j = arg;

	j->pager = NULL;
	if (st == PAGINATE_DONE)
		j->a->facts.groups[j->idx].filters_known = 1;
	else
		audit_job_failed(j, err, "logs:DescribeSubscriptionFilters", "subscription");
	audit_job_end(j);
}

/* ---- event source mappings ---- */

static void
audit_esms_page(struct aws_reply *reply, struct lambda_esm_page *page, void *arg)
{
	struct audit_job *j = arg;
	struct audit_facts *f = &j->a->facts;

	(void)reply;
	f->esms = xreallocarray(f->esms, f->n_esms + page->n + 1, sizeof *f->esms);
	memcpy(&f->esms[f->n_esms], page->esms, page->n * sizeof *page->esms);
	f->n_esms += page->n;
	free(page->esms);	/* the members are taken over */
	page->esms = NULL;
	page->n = 0;
}

static void
audit_esms_done(enum paginate_status st, struct dlc_err *err, void *arg)
{
	struct audit_job *j = arg;

	j->pager = NULL;
	if (st == PAGINATE_DONE)
		j->a->facts.esms_known = 1;
	else
		audit_job_failed(j, err, "lambda:ListEventSourceMappings", "trigger");
	audit_job_end(j);
}

/* ---- EventBridge rules ---- */

static void
audit_rule_names_page(struct aws_reply *reply, struct events_names_page *page, void *arg)
{
	struct audit_job *j = arg;
	struct audit_fn *af = &j->a->facts.fns[j->idx];
	size_t i;

	(void)reply;
	af->rules = xreallocarray(af->rules, af->n_rules + page->n + 1, sizeof *af->rules);
	for (i = 0; i < page->n; i++) {
		af->rules[af->n_rules].name = page->names[i];
		af->rules[af->n_rules].state = NULL;
		page->names[i] = NULL;
		af->n_rules++;
	}
}

static void
audit_rule_names_done(enum paginate_status st, struct dlc_err *err, void *arg)
{
	struct audit_job *j = arg;
	struct audit *a = j->a;
	struct audit_fn *af = &a->facts.fns[j->idx];
	struct audit_job *r;
	size_t i;

	j->pager = NULL;
	if (st == PAGINATE_DONE) {
		af->rules_known = 1;
		for (i = 0; i < af->n_rules; i++) {
			r = audit_job_add(a, AUDIT_JOB_RULE, j->idx, af->rules[i].name);
			r->rule = i;
		}
	} else {
		audit_job_failed(j, err, "events:ListRuleNamesByTarget", "trigger");
	}
	audit_job_end(j);
}

static void
audit_rule_done(struct aws_reply *reply, struct events_rule *rule, void *arg)
{
	struct audit_job *j = arg;
	struct audit_fn *af = &j->a->facts.fns[j->idx];

	j->call = NULL;
	if (reply->ok == 0) {
		af->rules[j->rule].state = rule->state;
		rule->state = NULL;
	} else {
		af->rules_known = 0;
		audit_job_failed(j, &reply->err, "events:DescribeRule", "trigger");
	}
	audit_job_end(j);
}

/* ---- layers ---- */

static void
audit_layer_page(struct aws_reply *reply, struct lambda_layer_versions_page *page,
    void *arg)
{
	struct audit_job *j = arg;
	struct audit_layer *l = &j->a->facts.layers[j->idx];
	size_t i;

	(void)reply;
	/* Every page: the newest need not come first. */
	for (i = 0; i < page->n; i++)
		if (page->versions[i].version > l->latest)
			l->latest = page->versions[i].version;
}

static void
audit_layer_done(enum paginate_status st, struct dlc_err *err, void *arg)
{
	struct audit_job *j = arg;

	j->pager = NULL;
	if (st != PAGINATE_DONE) {
		j->a->facts.layers[j->idx].latest = 0;
		audit_job_failed(j, err, "lambda:ListLayerVersions", "layers");
	}
	audit_job_end(j);
}

/* ---- the rounds ---- */

static void
audit_layers_add(struct audit *a, const char *layer_version_arn)
{
	struct audit_facts *f = &a->facts;
	char *arn;
	long version;
	size_t i;

	if (lambda_layer_arn_split(layer_version_arn, &arn, &version) != 0)
		return;
	for (i = 0; i < f->n_layers; i++)
		if (strcmp(f->layers[i].arn, arn) == 0) {
			free(arn);
			return;
		}
	f->layers = xreallocarray(f->layers, f->n_layers + 1, sizeof *f->layers);
	f->layers[f->n_layers].arn = arn;
	f->layers[f->n_layers].latest = 0;
	audit_job_add(a, AUDIT_JOB_LAYER, f->n_layers, arn);
	f->n_layers++;
}

static void
audit_second_round(struct audit *a)
{
	struct audit_facts *f = &a->facts;
	size_t i, k;

	audit_job_add(a, AUDIT_JOB_GROUPS, 0, "/aws/lambda/");
	audit_job_add(a, AUDIT_JOB_ESMS, 0, NULL);
	audit_job_add(a, AUDIT_JOB_ALARMS, 0, NULL);
	for (i = 0; i < f->n_fns; i++) {
		struct audit_fn *af = &f->fns[i];
		const char *trig = af->local != NULL ? af->local->trigger : NULL;

		if (af->fn.log_group != NULL && strncmp(af->fn.log_group, "/aws/lambda/", 12) != 0)
			audit_job_add(a, AUDIT_JOB_GROUPS, 0, af->fn.log_group);
		if ((trig == NULL || strcmp(trig, "schedule") == 0) && af->fn.function_arn != NULL)
			audit_job_add(a, AUDIT_JOB_RULE_NAMES, i, af->fn.function_arn);
		for (k = 0; k < af->fn.n_layers; k++)
			audit_layers_add(a, af->fn.layers[k].arn);
	}
	a->locals_from = 0;
}

/*
 * The local side of one more function, as the DRIFT column finds it
 * (never a build): one per answer that comes in, so hashing a large
 * checkout is spread over loop turns instead of holding one.
 */
static void
audit_local_next(struct audit *a)
{
	struct audit_facts *f = &a->facts;
	struct audit_fn *af;
	struct dlc_err err;
	int rc;

	if (a->locals_from >= f->n_fns)
		return;
	af = &f->fns[a->locals_from++];
	if (af->local == NULL)
		return;
	dlc_err_clear(&err);
	rc = build_current_sha(f->cfg, af->local, af->local_sha, &err);
	af->local_state = rc == 1 ? AUDIT_LOCAL_KNOWN :
	    rc == 0 ? AUDIT_LOCAL_NOT_BUILT : AUDIT_LOCAL_ERROR;
	if (rc < 0)
		audit_facts_error(f, "%s: its files could not be read (%s): "
		    "the drift check is unknown", af->local->name, err.message);
}

static void
audit_job_run(struct audit_job *j)
{
	struct audit *a = j->a;

	j->started = 1;
	a->running++;
	switch (j->kind) {
	case AUDIT_JOB_FUNCTIONS:
		j->pager = paginate_start(a->aenv, &lambda_op_list_functions, NULL,
		    AUDIT_MAX_PAGES, (aws_op_fn)audit_functions_page,
		    audit_functions_done, j);
		break;
	case AUDIT_JOB_GROUPS:
		j->pager = paginate_start(a->aenv, &logs_groups_op_describe, j->arg,
		    AUDIT_MAX_PAGES, (aws_op_fn)audit_groups_page, audit_groups_done, j);
		break;
	case AUDIT_JOB_FILTERS:
		j->pager = paginate_start(a->aenv, &logs_groups_op_filters, j->arg,
		    AUDIT_MAX_PAGES, (aws_op_fn)audit_filters_page, audit_filters_done, j);
		break;
	case AUDIT_JOB_ESMS:
		j->pager = paginate_start(a->aenv, &lambda_op_list_event_source_mappings,
		    NULL, AUDIT_MAX_PAGES, (aws_op_fn)audit_esms_page, audit_esms_done, j);
		break;
	case AUDIT_JOB_RULE_NAMES:
		j->pager = paginate_start(a->aenv, &events_op_list_rule_names_by_target,
		    j->arg, AUDIT_MAX_PAGES, (aws_op_fn)audit_rule_names_page,
		    audit_rule_names_done, j);
		break;
	case AUDIT_JOB_RULE:
		j->call = events_describe_rule(a->aenv, j->arg, audit_rule_done, j);
		break;
	case AUDIT_JOB_LAYER:
		j->pager = paginate_start(a->aenv, &lambda_op_list_layer_versions,
		    j->arg, AUDIT_MAX_PAGES, (aws_op_fn)audit_layer_page,
		    audit_layer_done, j);
		break;
	case AUDIT_JOB_ALARMS:
		audit_alarms_run(j);
		break;
	}
}

static void
audit_pump(struct audit *a)
{
	struct audit_job *j, *oldest;

	while (a->running < AUDIT_MAX_RUNNING) {
		/* The list is newest first: start the oldest waiting one. */
		oldest = NULL;
		for (j = a->jobs; j != NULL; j = j->next)
			if (!j->started)
				oldest = j;
		if (oldest == NULL)
			return;
		audit_job_run(oldest);
	}
}

struct audit *
audit_start(struct aws_env *aenv, const struct dlc_env *env,
    const struct dlc_config *cfg, const struct local_function *locals,
    size_t n_locals, const char *const *only, size_t n_only,
    audit_done_cb done, void *arg)
{
	struct audit *a = xcalloc(1, sizeof *a);

	a->aenv = aenv;
	a->only = only;
	a->n_only = n_only;
	a->done = done;
	a->arg = arg;
	a->facts.env = env;
	a->facts.cfg = cfg;
	a->facts.locals = locals;
	a->facts.n_locals = n_locals;
	a->facts.now = timeutil_now();
	a->facts.orphans = n_only == 0;
	audit_job_add(a, AUDIT_JOB_FUNCTIONS, 0, NULL);
	audit_pump(a);
	return a;
}

void
audit_free(struct audit *a)
{
	struct audit_job *j;

	if (a == NULL)
		return;
	while ((j = a->jobs) != NULL) {
		a->jobs = j->next;
		cw_alarms_fetch_cancel(j->alarms);
		aws_call_cancel(j->call);
		paginate_cancel(j->pager);
		free(j->arg);
		free(j);
	}
	audit_facts_clear(&a->facts);
	free(a);
}
