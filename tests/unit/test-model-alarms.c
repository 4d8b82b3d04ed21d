/*
 * Unit tests for src/model-alarms.c against the real tests/fakeaws on
 * 127.0.0.1: the first load (sorted, matched, nothing "entered"), a
 * SetAlarmState between refreshes announced once, the list kept while
 * loading and when a refresh fails, the refresh that rides on the
 * functions', an account that is not dlc.ini's, and an alarm's history. The loop is run a
 * turn at a time with a deadline.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "alarm.h"
#include "buf.h"
#include "loop.h"
#include "model-fixture.h"
#include "proto-query.h"

#define DEADLINE_MS	10000

struct fixture {
	struct model_fixture	 mf;	/* first: model_fixture_teardown frees f */
	int			 n_alarm_notes;
	int			 set_done, set_ok;
	struct cw_alarm_history	 history;
};

static void
on_change(enum model_change what, size_t env, const char *fn, void *arg)
{
	struct fixture *f = arg;

	(void)env;
	(void)fn;
	if (what == MODEL_CHANGE_ALARMS)
		f->n_alarm_notes++;
}

static int
setup(void **state)
{
	struct fixture *f = model_fixture_new(sizeof *f, "dlc-model-alarms");
	char text[4096], ak[128] = "", sk[128] = "";
	const char *args[] = { "--port", "0", "--port-file", "@PORTFILE@", NULL };

	*state = f;
	if (testserver_start(&f->mf.server, "tests/fakeaws/fakeaws.py", args) != 0)
		return -1;
	assert_int_equal(testserver_seed_key("alpha", ak, sk, sizeof ak), 0);
	/* One attempt: a refused connection fails now, not after backoff. */
	model_fixture_add_profile(&f->mf, "alpha", "max_attempts = 1\n", ak, sk);
	snprintf(text, sizeof text,
	    "[dlc]\nfunctions = %s/functions\n\n"
	    "[env alpha]\nprofile = alpha\nregion = eu-west-1\n"
	    "function-name = datalake-alpha-{function}\ndeploy = allow\n\n"
	    "[env wrongacct]\nprofile = alpha\nregion = eu-west-1\n"
	    "function-name = datalake-alpha-{function}\ndeploy = deny\n"
	    "account = 222222222222\n", model_fixture_srcdir());
	model_fixture_open(&f->mf, text, on_change, f);
	return 0;
}

static int
alarms_settled(void *arg, size_t env)
{
	struct fixture *f = arg;
	enum model_load s = model_env_alarms(f->mf.m, env)->state;

	return s == MODEL_READY || s == MODEL_FAILED;
}

static int
entered_one(void *arg, size_t env)
{
	struct fixture *f = arg;

	return model_env_alarms(f->mf.m, env)->n_entered == 1;
}

static int
set_done(void *arg, size_t env)
{
	struct fixture *f = arg;

	(void)env;
	return f->set_done;
}

static int
run_until(struct fixture *f, int (*done)(void *, size_t), size_t env)
{
	return model_fixture_run_until(&f->mf, done, f, env, DEADLINE_MS);
}

static void
set_state_done(int ok, struct aws_response *resp, void *arg)
{
	struct fixture *f = arg;

	(void)resp;
	f->set_done = 1;
	f->set_ok = ok == 0;
}

/* SetAlarmState, signed, as a test or AWS itself would flip an alarm. */
static void
set_alarm_state(struct fixture *f, const char *name, const char *state)
{
	struct aws_request req;
	struct buf b;

	buf_init(&b, 0);
	proto_query_add(&b, "Action", "SetAlarmState");
	proto_query_add(&b, "Version", "2010-08-01");
	proto_query_add(&b, "AlarmName", name);
	proto_query_add(&b, "StateValue", state);
	proto_query_add(&b, "StateReason", "set by test-model-alarms");
	memset(&req, 0, sizeof req);
	req.operation = "SetAlarmState";
	req.body = b.data;
	req.body_len = b.len;
	f->set_done = 0;
	aws_send(model_env_at(f->mf.m, 0)->aenv, &aws_service_cloudwatch, &req,
	    set_state_done, f);
	assert_true(run_until(f, set_done, 0));
	assert_true(f->set_ok);
	buf_free(&b);
}

static const struct cw_alarm *
find(const struct model_alarms *ma, const char *name)
{
	const struct cw_alarm *a = cw_alarm_list_find(&ma->list, name);

	assert_non_null(a);
	return a;
}

static void
test_first_load(void **state)
{
	struct fixture *f = *state;
	const struct model_alarms *ma = model_env_alarms(f->mf.m, 0);
	const struct cw_alarm *a;
	size_t i;

	assert_null(model_env_alarms(f->mf.m, 7));
	assert_int_equal(ma->state, MODEL_IDLE);
	assert_int_equal(ma->fetched_at, 0);
	model_refresh_alarms(f->mf.m, 0);
	assert_int_equal(ma->state, MODEL_LOADING);
	assert_true(run_until(f, alarms_settled, 0));
	assert_int_equal(ma->state, MODEL_READY);
	assert_false(dlc_err_isset(&ma->err));
	assert_true(ma->fetched_at > 0);
	assert_true(ma->list.n >= 20);
	/* Never on the first load: everything would be "new". */
	assert_int_equal(ma->n_entered, 0);
	assert_true(f->n_alarm_notes >= 1);
	/* ALARM first, then INSUFFICIENT_DATA, then OK, by name within. */
	for (i = 1; i < ma->list.n; i++) {
		const struct cw_alarm *p = &ma->list.v[i - 1], *q = &ma->list.v[i];
		int rp = alarm_state_rank(p->state), rq = alarm_state_rank(q->state);

		assert_true(rp < rq || (rp == rq && strcmp(p->name, q->name) < 0));
	}
	assert_true(alarm_count(&ma->list, NULL, "ALARM") >= 2);
	/* Matched by dimension, the name unrelated. */
	a = find(ma, "lambda-errors-7f3a");
	assert_string_equal(a->function, "datalake-alpha-dynamodb-datalake-reconciliation");
	assert_string_equal(a->local_function, "dynamodb-datalake-reconciliation");
	/* Matched by name, no FunctionName dimension. */
	a = find(ma, "datalake-alpha-mambu-to-s3-raw-freshness");
	assert_string_equal(a->function, "datalake-alpha-mambu-to-s3-raw");
	assert_string_equal(a->local_function, "mambu-to-s3-raw");
	a = find(ma, "datalake-alpha-pipeline-health");
	assert_true(a->composite);
	assert_non_null(a->alarm_rule);
	/* A function only AWS has: matched before its list came, no local. */
	a = find(ma, "legacy-export-job-errors");
	assert_string_equal(a->function, "legacy-export-job");
	assert_null(a->local_function);
}

static void
test_transition_announced_once(void **state)
{
	struct fixture *f = *state;
	const struct model_alarms *ma = model_env_alarms(f->mf.m, 0);
	size_t n;
	unsigned gen;

	model_refresh_alarms(f->mf.m, 0);
	assert_true(run_until(f, alarms_settled, 0));
	n = ma->list.n;
	gen = ma->gen;
	assert_string_equal(find(ma, "datalake-alpha-mambu-to-s3-raw-errors")->state, "OK");
	set_alarm_state(f, "datalake-alpha-mambu-to-s3-raw-errors", "ALARM");
	/* While loading, the list before stays readable and whole. */
	model_refresh_alarms(f->mf.m, 0);
	assert_int_equal(ma->state, MODEL_LOADING);
	assert_int_equal(ma->list.n, n);
	model_refresh_alarms(f->mf.m, 0);	/* ignored while loading */
	assert_true(run_until(f, alarms_settled, 0));
	assert_int_equal(ma->state, MODEL_READY);
	assert_int_equal(ma->gen, gen + 1);
	assert_int_equal(ma->n_entered, 1);
	assert_string_equal(ma->entered_alarm[0], "datalake-alpha-mambu-to-s3-raw-errors");
	assert_string_equal(ma->list.v[0].state, "ALARM");
	assert_string_equal(find(ma, "datalake-alpha-mambu-to-s3-raw-errors")->state, "ALARM");
	assert_int_equal(alarm_count(&ma->list, "mambu-to-s3-raw", "ALARM"), 2);
	/* Nothing moved since: nothing to announce. */
	model_refresh_alarms(f->mf.m, 0);
	assert_true(run_until(f, alarms_settled, 0));
	assert_int_equal(ma->n_entered, 0);
	/* Out of ALARM is not announced; back in is, again. */
	set_alarm_state(f, "datalake-alpha-mambu-to-s3-raw-errors", "OK");
	model_refresh_alarms(f->mf.m, 0);
	assert_true(run_until(f, alarms_settled, 0));
	assert_int_equal(ma->n_entered, 0);
	set_alarm_state(f, "datalake-alpha-mambu-to-s3-raw-errors", "ALARM");
	model_refresh_alarms(f->mf.m, 0);
	assert_true(run_until(f, alarms_settled, 0));
	assert_int_equal(ma->n_entered, 1);
}

static void
test_failure_keeps_list(void **state)
{
	struct fixture *f = *state;
	const struct model_alarms *ma = model_env_alarms(f->mf.m, 0);
	size_t n;
	time_t at;

	/*
	 * With the functions: the same refresh, the same timer, but only once
	 * the list is in (not beside ListFunctions, which it slowed).
	 */
	model_refresh_functions(f->mf.m, 0);
	assert_int_equal(ma->state, MODEL_IDLE);
	assert_true(run_until(f, alarms_settled, 0));
	assert_int_equal(ma->state, MODEL_READY);
	n = ma->list.n;
	at = ma->fetched_at;
	assert_true(n > 0);
	testserver_stop(&f->mf.server);
	model_refresh_alarms(f->mf.m, 0);
	assert_true(run_until(f, alarms_settled, 0));
	assert_int_equal(ma->state, MODEL_FAILED);
	assert_true(dlc_err_isset(&ma->err));
	assert_non_null(strstr(ma->err.what, "DescribeAlarms"));
	assert_int_equal(ma->list.n, n);
	assert_int_equal(ma->fetched_at, at);
	assert_int_equal(ma->n_entered, 0);
}

static void
history_done(struct aws_reply *reply, struct cw_alarm_history *h, void *arg)
{
	struct fixture *f = arg;

	f->set_done = 1;
	f->set_ok = reply->ok == 0;
	if (h != NULL) {
		/* Taken over: the result is cleared after this returns. */
		f->history = *h;
		memset(h, 0, sizeof *h);
	}
}

static void
fetch_history(struct fixture *f, const char *name, int max)
{
	cw_alarm_history_clear(&f->history);
	f->set_done = 0;
	cw_describe_alarm_history(model_env_at(f->mf.m, 0)->aenv, name, max,
	    history_done, f);
	assert_true(run_until(f, set_done, 0));
	assert_true(f->set_ok);
}

/* DescribeAlarmHistory newest first, a composite alarm's too (AlarmTypes). */
static void
test_history(void **state)
{
	struct fixture *f = *state;
	struct cw_alarm_history *h = &f->history;
	size_t i;

	set_alarm_state(f, "datalake-alpha-mambu-to-s3-raw-errors", "ALARM");
	set_alarm_state(f, "datalake-alpha-mambu-to-s3-raw-errors", "OK");
	fetch_history(f, "datalake-alpha-mambu-to-s3-raw-errors", 2);
	assert_int_equal(h->n, 2);
	assert_string_equal(h->v[0].alarm_name, "datalake-alpha-mambu-to-s3-raw-errors");
	assert_string_equal(h->v[0].type, "StateUpdate");
	assert_string_equal(h->v[0].old_state, "ALARM");
	assert_string_equal(h->v[0].new_state, "OK");
	assert_string_equal(h->v[1].old_state, "OK");
	assert_string_equal(h->v[1].new_state, "ALARM");
	assert_true(h->v[0].t >= h->v[1].t);
	assert_non_null(h->next_token);
	fetch_history(f, "datalake-alpha-pipeline-health", 100);
	assert_true(h->n >= 1);
	for (i = 0; i < h->n; i++) {
		assert_string_equal(h->v[i].alarm_name, "datalake-alpha-pipeline-health");
		if (i > 0)
			assert_true(h->v[i - 1].t >= h->v[i].t);
	}
	cw_alarm_history_clear(h);
}

/* The console's auto-refresh timer brings the alarms with the functions. */
static void
test_auto_refresh(void **state)
{
	struct fixture *f = *state;
	const struct model_alarms *ma = model_env_alarms(f->mf.m, 0);

	assert_int_equal(ma->state, MODEL_IDLE);
	model_set_auto_refresh(f->mf.m, 0, 1);
	assert_true(run_until(f, alarms_settled, 0));
	assert_int_equal(ma->state, MODEL_READY);
	assert_true(ma->list.n > 0);
	set_alarm_state(f, "datalake-alpha-mambu-to-s3-raw-errors", "ALARM");
	assert_true(run_until(f, entered_one, 0));
	assert_string_equal(ma->entered_alarm[0], "datalake-alpha-mambu-to-s3-raw-errors");
	model_set_auto_refresh(f->mf.m, 0, 0);
}

static void
test_wrong_account(void **state)
{
	struct fixture *f = *state;
	const struct model_alarms *ma = model_env_alarms(f->mf.m, 1);

	model_refresh_alarms(f->mf.m, 1);
	assert_true(run_until(f, alarms_settled, 1));
	assert_int_equal(ma->state, MODEL_FAILED);
	assert_string_equal(ma->err.code, "WrongAccount");
	assert_int_equal(ma->list.n, 0);
	/* dlc ls's model asks nothing of CloudWatch. */
	model_set_alarms_with_functions(f->mf.m, 0);
	model_refresh_functions(f->mf.m, 0);
	assert_int_equal(model_env_alarms(f->mf.m, 0)->state, MODEL_IDLE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_load, setup, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_transition_announced_once, setup, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_failure_keeps_list, setup, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_history, setup, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_auto_refresh, setup, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_account, setup, model_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
