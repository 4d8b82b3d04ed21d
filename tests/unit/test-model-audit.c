/*
 * Unit tests for src/model-audit.c and src/audit-gather.c: an audit run
 * through the model against tests/unit/data/audit/stub-audit.py, with the
 * requests it makes read from the stub's log: ListEventSourceMappings and
 * DescribeAlarms once, ListRuleNamesByTarget only for the schedule-fed
 * function, every page of the log groups and of a layer's versions; a
 * denied DescribeSubscriptionFilters leaves that check unknown, names the
 * permission, and fails nothing else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "loop.h"
#include "model-audit.h"
#include "model-fixture.h"

#define DEADLINE_MS	10000

struct fixture {
	struct model_fixture	 mf;	/* first: model_fixture_teardown frees f */
	char			 log[512];
	int			 audit_notes;
};

static void
on_change(enum model_change what, size_t env, const char *fn, void *arg)
{
	struct fixture *f = arg;

	(void)env;
	(void)fn;
	if (what == MODEL_CHANGE_AUDIT)
		f->audit_notes++;
}

static void
add_function(struct fixture *f, const char *name, const char *trigger)
{
	char path[512], text[512];

	snprintf(path, sizeof path, "%s/functions/%s", f->mf.dir, name);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/functions/%s/src", f->mf.dir, name);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/functions/%s/function.ini", f->mf.dir, name);
	snprintf(text, sizeof text, "[function]\ntrigger = %s\n", trigger);
	model_fixture_write_file(path, text);
}

static int
setup(void **state)
{
	struct fixture *f = model_fixture_new(sizeof *f, "dlc-audit");
	char path[512], text[2048];
	const char *args[] = { "@PORTFILE@", f->log, NULL };

	*state = f;
	snprintf(f->log, sizeof f->log, "%s/requests.log", f->mf.dir);
	if (testserver_start(&f->mf.server, "tests/unit/data/audit/stub-audit.py", args) != 0)
		return -1;
	model_fixture_add_profile(&f->mf, "stub", "max_attempts = 1\n", "AKIASTUB", "s");
	snprintf(path, sizeof path, "%s/functions", f->mf.dir);
	assert_int_equal(mkdir(path, 0755), 0);
	add_function(f, "job", "schedule");
	add_function(f, "stream", "dynamodb");
	snprintf(text, sizeof text, "[dlc]\nfunctions = %s/functions\nbuild-dir = %s/build\n\n"
	    "[env stub]\nprofile = stub\nregion = eu-west-1\n"
	    "function-name = {function}\ndeploy = deny\n", f->mf.dir, f->mf.dir);
	model_fixture_open(&f->mf, text, on_change, f);
	return 0;
}

/* Lines of the stub's log holding every one of the words (up to two). */
static int
count_requests(struct fixture *f, const char *a, const char *b)
{
	char *text = testserver_read_file(f->log), *p, *nl;
	int n = 0;

	assert_non_null(text);
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		*nl = '\0';
		if (strstr(p, a) != NULL && (b == NULL || strstr(p, b) != NULL))
			n++;
	}
	free(text);
	return n;
}

static void
test_audit_through_model(void **state)
{
	struct fixture *f = *state;
	const struct model_audit *ma;
	const struct audit_row *job, *stream;
	uint64_t end = loop_now_ms() + DEADLINE_MS;
	size_t i;
	int denied = 0;

	ma = model_env_audit(f->mf.m, 0);
	assert_non_null(ma);
	assert_null(ma->report);
	assert_int_equal(model_audit_count(f->mf.m, 0, "job"), -1);
	model_refresh_audit(f->mf.m, 0);
	assert_int_equal(ma->state, MODEL_LOADING);
	model_refresh_audit(f->mf.m, 0);	/* ignored while one is out */
	while (ma->state == MODEL_LOADING && loop_now_ms() < end)
		if (loop_run_once(f->mf.aws.loop) != 0)
			break;
	assert_int_equal(ma->state, MODEL_READY);
	assert_non_null(ma->report);
	assert_int_equal(ma->gen, 1);
	assert_int_equal(ma->report->n_rows, 2);
	job = audit_report_row(ma->report, "job");
	stream = audit_report_row(ma->report, "stream");
	assert_non_null(job);
	assert_non_null(stream);
	/* Denied: unknown, said once with the permission to grant, nothing else failed by it. */
	assert_int_equal(job->result[AUDIT_SUBSCRIPTION], AUDIT_UNKNOWN);
	assert_int_equal(stream->result[AUDIT_SUBSCRIPTION], AUDIT_UNKNOWN);
	for (i = 0; i < ma->report->n_errors; i++)
		if (strstr(ma->report->errors[i], "logs:DescribeSubscriptionFilters denied") != NULL &&
		    strstr(ma->report->errors[i], "grant logs:DescribeSubscriptionFilters") != NULL)
			denied++;
	assert_int_equal(denied, 1);
	assert_int_equal(job->result[AUDIT_LOG_GROUP], AUDIT_PASS);
	assert_int_equal(job->result[AUDIT_RETENTION], AUDIT_PASS);
	/* The second page of groups was read: stream's 30 days. */
	assert_int_equal(stream->result[AUDIT_RETENTION], AUDIT_FAIL);
	assert_int_equal(job->result[AUDIT_ALARMS], AUDIT_PASS);
	assert_int_equal(stream->result[AUDIT_ALARMS], AUDIT_FAIL);
	assert_int_equal(job->result[AUDIT_TRIGGER], AUDIT_PASS);
	assert_int_equal(stream->result[AUDIT_TRIGGER], AUDIT_PASS);
	/* common:3 while 5 is out: 3 is the newest of the first page, 5 on the second. */
	assert_int_equal(job->result[AUDIT_LAYERS], AUDIT_WARN);
	/* Never built here: compared with nothing, a warning. */
	assert_int_equal(job->result[AUDIT_DRIFT], AUDIT_WARN);
	assert_int_equal(model_audit_count(f->mf.m, 0, "job"), (long)job->n_findings);
	assert_true(f->audit_notes >= 1);
	/* What it asked: once each, all pages, rules only for the schedule-fed one. */
	assert_int_equal(count_requests(f, "GET /2015-03-31/event-source-mappings/", NULL), 1);
	assert_int_equal(count_requests(f, "FunctionName=", NULL), 0);
	assert_int_equal(count_requests(f, "DescribeAlarms", NULL), 1);
	assert_int_equal(count_requests(f, "DescribeLogGroups", NULL), 2);
	assert_int_equal(count_requests(f, "DescribeSubscriptionFilters", NULL), 2);
	assert_int_equal(count_requests(f, "ListRuleNamesByTarget", NULL), 1);
	assert_int_equal(count_requests(f, "DescribeRule", NULL), 1);
	assert_int_equal(count_requests(f, "/2018-10-31/layers/", NULL), 2);
}

static void
test_free_while_running(void **state)
{
	struct fixture *f = *state;

	/* model_free with an audit out: nothing runs after, nothing leaks (ASan). */
	model_refresh_audit(f->mf.m, 0);
	loop_run_once(f->mf.aws.loop);
	model_free(f->mf.m);
	f->mf.m = NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_audit_through_model, setup, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_free_while_running, setup, model_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
