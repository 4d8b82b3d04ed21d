/*
 * Unit tests for dlc audit's checks (src/audit-eval.c, audit-check-*.c,
 * audit-fix.c, audit-report.c) from constructed facts: each check's pass,
 * fail, warn and unknown, the findings' text and their Terraform fixes,
 * the retention and trigger rules, the orphans.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "audit.h"
#include "audit-facts.h"
#include "dlcconfig.h"
#include "manifest.h"
#include "xmalloc.h"

#define ARN(fn)	"arn:aws:lambda:eu-west-1:111111111111:function:" fn
#define LAYER(n, v) "arn:aws:lambda:eu-west-1:111111111111:layer:" #n ":" #v

/* 2026-03-01: python3.7 long gone, python3.11 due 2026-06-30, python3.12 fine. */
#define NOW	((time_t)1772323200)

struct world {
	struct dlc_env		 envs[2];
	struct dlc_config	 cfg;
	struct local_function	 locals[2];	/* "stream" (dynamodb), "job" (schedule) */
	struct audit_facts	 f;
	struct audit_report	*r;
};

static char *layers_stream[] = { "aws-wrangler" };

static int
setup(void **state)
{
	struct world *w = xcalloc(1, sizeof *w);

	w->envs[0].name = "alpha";
	w->envs[0].function_name = "datalake-alpha-{function}";
	w->envs[1].name = "sandbox";
	w->envs[1].function_name = "datalake-sandbox-{function}";
	w->cfg.envs = w->envs;
	w->cfg.n_envs = 2;
	w->locals[0].name = w->locals[0].remote_base = "stream";
	w->locals[0].description = "Exports a table";
	w->locals[0].runtime = "python3.12";
	w->locals[0].handler = "lambda_function.lambda_handler";
	w->locals[0].trigger = "dynamodb";
	w->locals[0].layers = layers_stream;
	w->locals[0].n_layers = 1;
	w->locals[1].name = w->locals[1].remote_base = "job";
	w->locals[1].description = "Copies an API";
	w->locals[1].runtime = "python3.12";
	w->locals[1].handler = "lambda_function.lambda_handler";
	w->locals[1].trigger = "schedule";
	w->f.env = &w->envs[0];
	w->f.cfg = &w->cfg;
	w->f.locals = w->locals;
	w->f.n_locals = 2;
	w->f.now = NOW;
	w->f.groups_known = w->f.alarms_known = w->f.esms_known = 1;
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;

	audit_facts_clear(&w->f);
	audit_report_free(w->r);
	free(w);
	return 0;
}

/* A function of the audit: remote name, its folder (NULL: none), runtime. */
static struct audit_fn *
add_fn(struct world *w, const char *name, const struct local_function *lf,
    const char *runtime)
{
	struct audit_fn *af;

	w->f.fns = xreallocarray(w->f.fns, w->f.n_fns + 1, sizeof *w->f.fns);
	af = &w->f.fns[w->f.n_fns++];
	memset(af, 0, sizeof *af);
	af->fn.function_name = xstrdup(name);
	af->fn.function_arn = xasprintf("arn:aws:lambda:eu-west-1:111111111111:function:%s", name);
	af->fn.runtime = runtime != NULL ? xstrdup(runtime) : NULL;
	af->fn.handler = xstrdup("lambda_function.lambda_handler");
	af->fn.code_sha256 = xstrdup("c2hhLW9mLXRoZS16aXA=");
	af->local = lf;
	af->local_state = AUDIT_LOCAL_KNOWN;
	memcpy(af->local_sha, "c2hhLW9mLXRoZS16aXA=", sizeof "c2hhLW9mLXRoZS16aXA=");
	af->rules_known = 1;
	w->f.account_fns = xreallocarray(w->f.account_fns, w->f.n_account_fns + 1,
	    sizeof *w->f.account_fns);
	w->f.account_fns[w->f.n_account_fns++] = xstrdup(name);
	return af;
}

static void
add_group(struct world *w, const char *name, long retention, size_t filters)
{
	struct audit_log_group *g;

	w->f.groups = xreallocarray(w->f.groups, w->f.n_groups + 1, sizeof *w->f.groups);
	g = &w->f.groups[w->f.n_groups++];
	g->name = xstrdup(name);
	g->retention = retention;
	g->filters_known = 1;
	g->n_filters = filters;
}

static void
add_alarm(struct world *w, const char *name, const char *fn, const char *metric, int actions)
{
	struct audit_alarm *a;

	w->f.alarms = xreallocarray(w->f.alarms, w->f.n_alarms + 1, sizeof *w->f.alarms);
	a = &w->f.alarms[w->f.n_alarms++];
	a->name = xstrdup(name);
	a->function = fn != NULL ? xstrdup(fn) : NULL;
	a->metric = metric != NULL ? xstrdup(metric) : NULL;
	a->actions_enabled = actions;
}

static void
add_alarms(struct world *w, const char *fn)
{
	char *n;

	n = xasprintf("%s-errors", fn);
	add_alarm(w, n, fn, "Errors", 1);
	free(n);
	n = xasprintf("%s-throttles", fn);
	add_alarm(w, n, fn, "Throttles", 1);
	free(n);
	n = xasprintf("%s-duration", fn);
	add_alarm(w, n, fn, "Duration", 1);
	free(n);
}

static void
add_esm(struct world *w, const char *fn, const char *state)
{
	struct lambda_esm *e;

	w->f.esms = xreallocarray(w->f.esms, w->f.n_esms + 1, sizeof *w->f.esms);
	e = &w->f.esms[w->f.n_esms++];
	memset(e, 0, sizeof *e);
	e->uuid = xstrdup("9f1c-esm");
	e->function_arn = xasprintf("arn:aws:lambda:eu-west-1:111111111111:function:%s", fn);
	e->state = xstrdup(state);
}

static void
add_rule(struct audit_fn *af, const char *name, const char *state)
{
	af->rules = xreallocarray(af->rules, af->n_rules + 1, sizeof *af->rules);
	af->rules[af->n_rules].name = xstrdup(name);
	af->rules[af->n_rules].state = state != NULL ? xstrdup(state) : NULL;
	af->n_rules++;
}

/* A function that passes every check: the base each test breaks one way. */
static struct audit_fn *
good_job(struct world *w)
{
	struct audit_fn *af = add_fn(w, "datalake-alpha-job", &w->locals[1], "python3.12");

	add_group(w, "/aws/lambda/datalake-alpha-job", 14, 1);
	add_alarms(w, "datalake-alpha-job");
	add_rule(af, "datalake-alpha-job", "ENABLED");
	return af;
}

static const struct audit_row *
run(struct world *w)
{
	w->r = audit_evaluate(&w->f);
	return &w->r->rows[0];
}

/* The finding of check for function fn (NULL: an orphan); fails when absent. */
static const struct audit_finding *
finding(struct world *w, const char *check, size_t nth)
{
	size_t i;

	for (i = 0; i < w->r->n_findings; i++)
		if (strcmp(w->r->findings[i].check, check) == 0 && nth-- == 0)
			return &w->r->findings[i];
	fail_msg("no finding '%s'", check);
	return NULL;
}

#define assert_contains(hay, needle) do {				\
	if (strstr((hay), (needle)) == NULL)				\
		fail_msg("'%s' not in:\n%s", (needle), (hay));		\
} while (0)

static void
test_all_pass(void **state)
{
	struct world *w = *state;
	const struct audit_row *row;
	size_t c;

	good_job(w);
	row = run(w);
	assert_string_equal(row->function, "datalake-alpha-job");
	assert_string_equal(row->local, "job");
	for (c = 0; c < AUDIT_NCHECKS; c++)
		if (c != AUDIT_LAYERS && row->result[c] != AUDIT_PASS)
			fail_msg("%s is %s", audit_check_name(c), audit_result_name(row->result[c]));
	assert_int_equal(row->result[AUDIT_LAYERS], AUDIT_NA);	/* none used */
	assert_int_equal(w->r->n_findings, 0);
	assert_int_equal(row->n_findings, 0);
	assert_false(audit_report_fails(w->r));
}

static void
test_log_group_missing(void **state)
{
	struct world *w = *state;
	const struct audit_row *row;
	const struct audit_finding *fd;

	good_job(w);
	free(w->f.groups[0].name);
	w->f.groups[0].name = xstrdup("/aws/lambda/datalake-alpha-other");
	w->f.orphans = 0;
	row = run(w);
	assert_int_equal(row->result[AUDIT_LOG_GROUP], AUDIT_FAIL);
	assert_int_equal(row->result[AUDIT_RETENTION], AUDIT_NA);
	assert_int_equal(row->result[AUDIT_SUBSCRIPTION], AUDIT_NA);
	fd = finding(w, "log group", 0);
	assert_string_equal(fd->severity, "high");
	assert_string_equal(fd->function, "datalake-alpha-job");
	assert_contains(fd->reason, "no log group /aws/lambda/datalake-alpha-job");
	/* dlc new's resource, aligned as terraform fmt does. */
	assert_contains(fd->fix, "resource \"aws_cloudwatch_log_group\" \"job\" {\n"
	    "  name              = \"/aws/lambda/datalake-${var.environment}-job\"\n"
	    "  retention_in_days = 14\n}\n");
	assert_true(audit_report_fails(w->r));
}

static void
test_log_group_own_config(void **state)
{
	struct world *w = *state;
	struct audit_fn *af = good_job(w);

	/* LoggingConfig.LogGroup wins over /aws/lambda/NAME. */
	af->fn.log_group = xstrdup("/datalake/alpha/job");
	add_group(w, "/datalake/alpha/job", 14, 1);
	w->f.orphans = 0;
	assert_int_equal(run(w)->result[AUDIT_LOG_GROUP], AUDIT_PASS);
}

static void
test_retention_rules(void **state)
{
	struct world *w = *state;
	const struct audit_finding *fd;
	const struct audit_row *row;

	good_job(w);
	w->locals[0].n_layers = 0;	/* no layer drift in the way */
	add_fn(w, "datalake-alpha-stream", &w->locals[0], "python3.12");
	add_group(w, "/aws/lambda/datalake-alpha-stream", 0, 1);
	add_alarms(w, "datalake-alpha-stream");
	add_esm(w, "datalake-alpha-stream", "Enabled");
	w->f.groups[0].retention = 30;
	row = run(w);
	/* Sorted: job, then stream. */
	assert_string_equal(row->function, "datalake-alpha-job");
	assert_int_equal(row[0].result[AUDIT_RETENTION], AUDIT_FAIL);
	assert_int_equal(row[1].result[AUDIT_RETENTION], AUDIT_FAIL);
	fd = finding(w, "retention", 0);
	assert_string_equal(fd->severity, "low");
	assert_contains(fd->reason, "keeps logs 30 days, not 14");
	assert_contains(fd->fix, "retention_in_days = 14");
	fd = finding(w, "retention", 1);
	assert_string_equal(fd->function, "datalake-alpha-stream");
	assert_string_equal(fd->severity, "medium");
	assert_contains(fd->reason, "never expires");
	assert_int_equal(row[0].n_findings, 1);
	assert_int_equal(row[1].n_findings, 1);
}

static void
test_retention_exactly_14(void **state)
{
	struct world *w = *state;

	good_job(w);
	w->f.groups[0].retention = 7;	/* shorter is also not the team's */
	assert_int_equal(run(w)->result[AUDIT_RETENTION], AUDIT_FAIL);
}

static void
test_subscription(void **state)
{
	struct world *w = *state;
	const struct audit_finding *fd;

	good_job(w);
	w->f.groups[0].n_filters = 0;
	assert_int_equal(run(w)->result[AUDIT_SUBSCRIPTION], AUDIT_FAIL);
	fd = finding(w, "subscription", 0);
	assert_contains(fd->reason, "no subscription filter");
	assert_contains(fd->fix, "module \"job_log_aggregation\" {");
	assert_contains(fd->fix, "log_group_name  = aws_cloudwatch_log_group.job.name");
}

static void
test_unknown_facts(void **state)
{
	struct world *w = *state;
	const struct audit_row *row;

	good_job(w);
	w->f.groups_known = 0;
	w->f.alarms_known = 0;
	w->f.fns[0].rules_known = 0;
	audit_facts_error(&w->f, "logs:DescribeLogGroups denied");
	audit_facts_error(&w->f, "logs:DescribeLogGroups denied");	/* said once */
	row = run(w);
	assert_int_equal(row->result[AUDIT_LOG_GROUP], AUDIT_UNKNOWN);
	assert_int_equal(row->result[AUDIT_RETENTION], AUDIT_UNKNOWN);
	assert_int_equal(row->result[AUDIT_SUBSCRIPTION], AUDIT_UNKNOWN);
	assert_int_equal(row->result[AUDIT_ALARMS], AUDIT_UNKNOWN);
	assert_int_equal(row->result[AUDIT_TRIGGER], AUDIT_UNKNOWN);
	assert_int_equal(row->result[AUDIT_RUNTIME], AUDIT_PASS);
	assert_int_equal(w->r->n_errors, 1);
	assert_false(audit_report_fails(w->r));	/* unknown is not a failure */
	assert_string_equal(audit_result_mark(AUDIT_UNKNOWN, 1), "?");
}

static void
test_filters_unknown(void **state)
{
	struct world *w = *state;

	good_job(w);
	w->f.groups[0].filters_known = 0;
	assert_int_equal(run(w)->result[AUDIT_SUBSCRIPTION], AUDIT_UNKNOWN);
}

static void
test_alarm_missing(void **state)
{
	struct world *w = *state;
	const struct audit_finding *fd;

	good_job(w);
	free(w->f.alarms[1].function);	/* the throttles alarm is another's */
	w->f.alarms[1].function = xstrdup("datalake-alpha-other");
	assert_int_equal(run(w)->result[AUDIT_ALARMS], AUDIT_FAIL);
	assert_int_equal(w->r->n_findings, 1);
	fd = finding(w, "alarms", 0);
	assert_string_equal(fd->severity, "high");
	assert_contains(fd->reason, "no throttles alarm");
	assert_contains(fd->fix, "resource \"aws_cloudwatch_metric_alarm\" \"job_throttles\" {");
	assert_contains(fd->fix, "alarm_name          = \"datalake-${var.environment}-job-throttles\"");
	assert_contains(fd->fix, "metric_name         = \"Throttles\"");
}

static void
test_alarm_actions_disabled(void **state)
{
	struct world *w = *state;
	const struct audit_finding *fd;

	good_job(w);
	w->f.alarms[2].actions_enabled = 0;
	assert_int_equal(run(w)->result[AUDIT_ALARMS], AUDIT_FAIL);
	fd = finding(w, "alarms", 0);
	assert_string_equal(fd->severity, "medium");
	assert_contains(fd->reason, "duration alarm datalake-alpha-job-duration has its actions disabled");
	assert_contains(fd->fix, "job_duration");
}

static void
test_alarm_by_name_and_copies(void **state)
{
	struct world *w = *state;

	good_job(w);
	/* Metric math (no MetricName): its name says the kind. */
	free(w->f.alarms[2].metric);
	w->f.alarms[2].metric = NULL;
	free(w->f.alarms[2].name);
	w->f.alarms[2].name = xstrdup("job-Duration-p99");
	/* A silenced second copy of errors beside the live one is no gap. */
	add_alarm(w, "old-errors", "datalake-alpha-job", "Errors", 0);
	assert_int_equal(run(w)->result[AUDIT_ALARMS], AUDIT_PASS);
}

static void
test_trigger_stream(void **state)
{
	struct world *w = *state;
	const struct audit_finding *fd;
	const struct audit_row *row;

	add_fn(w, "datalake-alpha-a", &w->locals[0], "python3.12");
	add_fn(w, "datalake-alpha-b", &w->locals[0], "python3.12");
	add_fn(w, "datalake-alpha-c", &w->locals[0], "python3.12");
	add_esm(w, "datalake-alpha-a", "Enabled");
	add_esm(w, "datalake-alpha-b:live", "Disabled");	/* a qualified ARN too */
	w->f.groups_known = 0;
	w->f.alarms_known = 0;
	row = run(w);
	assert_int_equal(row[0].result[AUDIT_TRIGGER], AUDIT_PASS);
	assert_int_equal(row[1].result[AUDIT_TRIGGER], AUDIT_FAIL);
	assert_int_equal(row[2].result[AUDIT_TRIGGER], AUDIT_FAIL);
	fd = finding(w, "trigger", 0);
	assert_string_equal(fd->function, "datalake-alpha-b");
	assert_contains(fd->reason, "event source mapping 9f1c-esm is Disabled");
	fd = finding(w, "trigger", 1);
	assert_contains(fd->reason, "no Kinesis event source mapping");
	/* The fix is named after the folder that deploys it. */
	assert_contains(fd->fix, "resource \"aws_lambda_event_source_mapping\" \"stream\" {");
}

static void
test_trigger_schedule(void **state)
{
	struct world *w = *state;
	const struct audit_finding *fd;
	struct audit_fn *af;
	const struct audit_row *row;

	good_job(w);
	add_fn(w, "datalake-alpha-k", &w->locals[1], "python3.12");
	add_fn(w, "datalake-alpha-l", &w->locals[1], "python3.12");
	af = &w->f.fns[1];
	add_rule(af, "nightly", "DISABLED");
	/* A stream-fed function's mapping is no schedule: l still has none. */
	add_esm(w, "datalake-alpha-l", "Enabled");
	w->f.orphans = 0;
	row = run(w);
	assert_int_equal(row[0].result[AUDIT_TRIGGER], AUDIT_PASS);
	assert_int_equal(row[1].result[AUDIT_TRIGGER], AUDIT_FAIL);
	assert_int_equal(row[2].result[AUDIT_TRIGGER], AUDIT_FAIL);
	fd = finding(w, "trigger", 0);
	assert_string_equal(fd->severity, "high");
	assert_contains(fd->reason, "EventBridge rule nightly is DISABLED");
	assert_contains(fd->fix, "resource \"aws_cloudwatch_event_rule\" \"job\" {");
	fd = finding(w, "trigger", 1);
	assert_contains(fd->reason, "no EventBridge rule targets it");
}

static void
test_trigger_without_manifest_word(void **state)
{
	struct world *w = *state;
	struct local_function lf = w->locals[1];
	const struct audit_row *row;

	/* No trigger = : an existing mapping makes it stream-fed. */
	lf.trigger = NULL;
	w->f.locals = &lf;
	w->f.n_locals = 1;
	add_fn(w, "datalake-alpha-job", &lf, "python3.12");
	add_esm(w, "datalake-alpha-job", "Disabled");
	row = run(w);
	assert_int_equal(row->result[AUDIT_TRIGGER], AUDIT_FAIL);
	assert_contains(finding(w, "trigger", 0)->reason, "Kinesis event source mapping");
}

static void
test_runtime(void **state)
{
	struct world *w = *state;
	const struct audit_row *row;
	const struct audit_finding *fd;

	add_fn(w, "datalake-alpha-a", &w->locals[1], "python3.7");
	add_fn(w, "datalake-alpha-b", &w->locals[1], "python3.11");
	add_fn(w, "datalake-alpha-c", &w->locals[1], "python3.12");
	add_fn(w, "datalake-alpha-d", &w->locals[1], NULL);	/* a container image */
	w->f.groups_known = 0;
	row = run(w);
	assert_int_equal(row[0].result[AUDIT_RUNTIME], AUDIT_FAIL);
	assert_int_equal(row[1].result[AUDIT_RUNTIME], AUDIT_WARN);
	assert_int_equal(row[2].result[AUDIT_RUNTIME], AUDIT_PASS);
	assert_int_equal(row[3].result[AUDIT_RUNTIME], AUDIT_NA);
	fd = finding(w, "runtime", 0);
	assert_string_equal(fd->severity, "high");
	assert_contains(fd->reason, "runtime python3.7 is deprecated");
	assert_contains(fd->fix, "module \"job\" {");
	assert_contains(fd->fix, "runtime       = \"python3.12\"");
	assert_contains(finding(w, "runtime", 1)->reason, "python3.11 is deprecated within 6 months");
	assert_int_equal(finding(w, "runtime", 1)->result, AUDIT_WARN);
}

static void
test_layers(void **state)
{
	struct world *w = *state;
	struct audit_fn *a, *b, *c, *d;
	const struct audit_row *row;
	const struct audit_finding *fd;

	add_fn(w, "datalake-alpha-a", &w->locals[0], "python3.12");
	add_fn(w, "datalake-alpha-b", &w->locals[0], "python3.12");
	add_fn(w, "datalake-alpha-c", &w->locals[0], "python3.12");
	add_fn(w, "datalake-alpha-d", &w->locals[0], "python3.12");
	/* add_fn moves the array: take the pointers after. */
	a = &w->f.fns[0];
	b = &w->f.fns[1];
	c = &w->f.fns[2];
	d = &w->f.fns[3];
	a->fn.layers = xcalloc(1, sizeof *a->fn.layers);
	a->fn.layers[0].arn = xstrdup(LAYER(datalake-alpha-aws-wrangler, 3));
	a->fn.n_layers = 1;
	b->fn.layers = xcalloc(1, sizeof *b->fn.layers);
	b->fn.layers[0].arn = xstrdup(LAYER(datalake-alpha-aws-wrangler, 2));
	b->fn.n_layers = 1;
	c->fn.layers = xcalloc(2, sizeof *c->fn.layers);
	c->fn.layers[0].arn = xstrdup(LAYER(datalake-alpha-aws-wrangler, 3));
	c->fn.layers[1].arn = xstrdup(LAYER(datalake-alpha-other, 1));
	c->fn.n_layers = 2;
	/* The manifest needs aws-wrangler; d has only another layer. */
	d->fn.layers = xcalloc(1, sizeof *d->fn.layers);
	d->fn.layers[0].arn = xstrdup(LAYER(datalake-alpha-other, 1));
	d->fn.n_layers = 1;
	w->f.layers = xcalloc(2, sizeof *w->f.layers);
	w->f.layers[0].arn = xstrdup("arn:aws:lambda:eu-west-1:111111111111:layer:datalake-alpha-aws-wrangler");
	w->f.layers[0].latest = 3;
	w->f.layers[1].arn = xstrdup("arn:aws:lambda:eu-west-1:111111111111:layer:datalake-alpha-other");
	w->f.layers[1].latest = 0;	/* ListLayerVersions failed */
	w->f.n_layers = 2;
	w->f.groups_known = 0;
	row = run(w);
	assert_int_equal(row[0].result[AUDIT_LAYERS], AUDIT_PASS);
	assert_int_equal(row[1].result[AUDIT_LAYERS], AUDIT_WARN);
	assert_int_equal(row[2].result[AUDIT_LAYERS], AUDIT_UNKNOWN);
	assert_int_equal(row[3].result[AUDIT_LAYERS], AUDIT_FAIL);
	fd = finding(w, "layers", 1);
	assert_string_equal(fd->function, "datalake-alpha-d");
	assert_int_equal(fd->result, AUDIT_FAIL);
	assert_contains(fd->reason, "lacks the layers its manifest needs: aws-wrangler");
	fd = finding(w, "layers", 0);
	assert_string_equal(fd->function, "datalake-alpha-b");
	assert_contains(fd->reason, "datalake-alpha-aws-wrangler:2 (3 is out)");
	assert_contains(fd->fix, "data \"aws_lambda_layer_version\" \"stream_aws_wrangler\" {\n"
	    "  layer_name = \"datalake-${var.environment}-aws-wrangler\"\n}");
}

static void
test_drift(void **state)
{
	struct world *w = *state;
	struct audit_fn *b, *c, *d;
	const struct audit_row *row;
	const struct audit_finding *fd;

	add_fn(w, "datalake-alpha-a", &w->locals[1], "python3.12");
	add_fn(w, "datalake-alpha-b", &w->locals[1], "python3.12");
	add_fn(w, "datalake-alpha-c", &w->locals[1], "python3.12");
	add_fn(w, "datalake-alpha-d", &w->locals[1], "python3.12");
	b = &w->f.fns[1];
	c = &w->f.fns[2];
	d = &w->f.fns[3];
	b->local_state = AUDIT_LOCAL_NOT_BUILT;
	memcpy(c->local_sha, "b3RoZXItY29kZQ==", sizeof "b3RoZXItY29kZQ==");
	d->local_state = AUDIT_LOCAL_ERROR;
	w->f.groups_known = 0;
	row = run(w);
	assert_int_equal(row[0].result[AUDIT_DRIFT], AUDIT_PASS);
	assert_int_equal(row[1].result[AUDIT_DRIFT], AUDIT_WARN);
	assert_int_equal(row[2].result[AUDIT_DRIFT], AUDIT_FAIL);
	assert_int_equal(row[3].result[AUDIT_DRIFT], AUDIT_UNKNOWN);
	fd = finding(w, "drift", 0);
	assert_int_equal(fd->result, AUDIT_WARN);
	assert_contains(fd->reason, "job has no build of its current files");
	assert_contains(fd->fix, "dlc build job");
	fd = finding(w, "drift", 1);
	assert_int_equal(fd->result, AUDIT_FAIL);
	assert_contains(fd->reason, "code: local changes (deployed c2hhLW9mLXRoZS16aXA=, local b3RoZXItY29kZQ==)");
	assert_contains(fd->fix, "dlc push -e alpha job");
}

static void
test_orphans(void **state)
{
	struct world *w = *state;
	const struct audit_row *row;
	const struct audit_finding *fd;

	good_job(w);
	add_fn(w, "legacy-thing", NULL, "python3.12");
	/* Gone function, another environment's function, an account function not audited. */
	add_group(w, "/aws/lambda/datalake-alpha-gone", 14, 0);
	add_group(w, "/aws/lambda/datalake-sandbox-gone", 14, 0);
	add_group(w, "/aws/lambda/datalake-alpha-listed", 0, 0);
	add_group(w, "/ecs/not-lambda", 0, 0);
	w->f.account_fns = xreallocarray(w->f.account_fns, w->f.n_account_fns + 1,
	    sizeof *w->f.account_fns);
	w->f.account_fns[w->f.n_account_fns++] = xstrdup("datalake-alpha-listed");
	w->f.orphans = 1;
	row = run(w);
	assert_string_equal(row[1].function, "legacy-thing");
	assert_null(row[1].local);
	assert_int_equal(row[1].result[AUDIT_DRIFT], AUDIT_NA);
	fd = finding(w, "orphan", 0);
	assert_string_equal(fd->function, "legacy-thing");
	assert_string_equal(fd->subject, "legacy-thing");
	assert_int_equal(fd->result, AUDIT_WARN);
	assert_contains(fd->reason, "no folder under functions/ deploys legacy-thing");
	/* No template names it: its fixes keep its name as it is. */
	assert_contains(finding(w, "log group", 0)->fix,
	    "name              = \"/aws/lambda/legacy-thing\"");
	fd = finding(w, "orphan", 1);
	assert_null(fd->function);
	assert_string_equal(fd->subject, "/aws/lambda/datalake-alpha-gone");
	assert_contains(fd->fix, "aws logs delete-log-group --log-group-name '/aws/lambda/datalake-alpha-gone'");
	/* Orphans come last, and only the one. */
	assert_ptr_equal(fd, &w->r->findings[w->r->n_findings - 1]);
	assert_int_equal(w->r->n_findings - (size_t)(fd - w->r->findings), 1);
	assert_ptr_equal(audit_report_row(w->r, "job"), &w->r->rows[0]);
	assert_null(audit_report_row(w->r, "nothing"));
}

static void
test_no_orphans_when_named(void **state)
{
	struct world *w = *state;

	good_job(w);
	add_group(w, "/aws/lambda/datalake-alpha-gone", 14, 0);
	w->f.orphans = 0;	/* dlc audit -e alpha job: not the whole environment */
	run(w);
	assert_int_equal(w->r->n_findings, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		T(test_all_pass),
		T(test_log_group_missing),
		T(test_log_group_own_config),
		T(test_retention_rules),
		T(test_retention_exactly_14),
		T(test_subscription),
		T(test_unknown_facts),
		T(test_filters_unknown),
		T(test_alarm_missing),
		T(test_alarm_actions_disabled),
		T(test_alarm_by_name_and_copies),
		T(test_trigger_stream),
		T(test_trigger_schedule),
		T(test_trigger_without_manifest_word),
		T(test_runtime),
		T(test_layers),
		T(test_drift),
		T(test_orphans),
		T(test_no_orphans_when_named),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
