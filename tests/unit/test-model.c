/*
 * Unit tests for src/model.c: the pure helpers, and the model against the
 * real tests/fakeaws on 127.0.0.1 (identity of every environment at once,
 * a 68-function list that stays whole while it refreshes, a broken
 * environment that leaves the others alone, a function's details, and the
 * auto-refresh timer). The loop is run a turn at a time with a deadline.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "loop.h"
#include "model-fixture.h"
#include "timeutil.h"

#define DEADLINE_MS	10000

struct fixture {
	struct model_fixture	 mf;	/* first: model_fixture_teardown frees f */
	int			 n_envs_notes, n_fn_notes, n_details_notes;
	int			 in_model_call;	/* set around model_* calls */
	int			 reentered;
	int			 saw_loading[8];	/* FUNCTIONS notes seen while LOADING */
	int			 saw_ready[8];		/* and once READY */
	int			 saw_failed[8];		/* and once FAILED */
	size_t			 most_shown[8];		/* the most functions a note showed */
};

static void
on_change(enum model_change what, size_t env, const char *fn, void *arg)
{
	struct fixture *f = arg;
	struct model_env *e = model_env_at(f->mf.m, env);

	if (f->in_model_call)
		f->reentered = 1;
	assert_non_null(e);
	switch (what) {
	case MODEL_CHANGE_ENVS:
		f->n_envs_notes++;
		break;
	case MODEL_CHANGE_FUNCTIONS:
		f->n_fn_notes++;
		if (env < 8 && e->n_functions > f->most_shown[env])
			f->most_shown[env] = e->n_functions;
		if (e->functions_state == MODEL_LOADING && env < 8)
			f->saw_loading[env]++;
		if (e->functions_state == MODEL_READY && env < 8)
			f->saw_ready[env]++;
		if (e->functions_state == MODEL_FAILED && env < 8)
			f->saw_failed[env]++;
		break;
	case MODEL_CHANGE_DETAILS:
		assert_non_null(fn);
		f->n_details_notes++;
		break;
	default:	/* alarms, audit, metrics: their own tests watch them */
		break;
	}
}

static int
setup(void **state)
{
	struct fixture *f = model_fixture_new(sizeof *f, "dlc-model");
	char text[4096], ak[128] = "", sk[128] = "", ak2[128] = "",
	    sk2[128] = "", wrong[136];
	const char *args[] = { "--port", "0", "--port-file", "@PORTFILE@",
	    "--extra-functions", "60", NULL };

	*state = f;
	if (testserver_start(&f->mf.server, "tests/fakeaws/fakeaws.py", args) != 0)
		return -1;
	assert_int_equal(testserver_seed_key("alpha", ak, sk, sizeof ak), 0);
	assert_int_equal(testserver_seed_key("sandbox", ak2, sk2, sizeof ak2), 0);
	model_fixture_add_profile(&f->mf, "alpha", NULL, ak, sk);
	model_fixture_add_profile(&f->mf, "sandbox", NULL, ak2, sk2);
	/* broken: alpha's key with a wrong secret, so the signature fails. */
	snprintf(wrong, sizeof wrong, "%sX", sk);
	model_fixture_add_profile(&f->mf, "broken", "max_attempts = 1\n", ak,
	    wrong);

	snprintf(text, sizeof text,
	    "[dlc]\nfunctions = %s/functions\n\n"
	    "[env alpha]\nprofile = alpha\nregion = eu-west-1\n"
	    "function-name = datalake-alpha-{function}\ndeploy = allow\n"
	    "account = 111111111111\n\n"
	    "[env sandbox]\nprofile = sandbox\nregion = eu-west-1\n"
	    "function-name = datalake-sandbox-{function}\ndeploy = confirm\n\n"
	    "[env broken]\nprofile = broken\nregion = eu-west-1\n"
	    "function-name = datalake-alpha-{function}\ndeploy = deny\n\n"
	    "[env wrongacct]\nprofile = sandbox\nregion = eu-west-1\n"
	    "function-name = datalake-sandbox-{function}\ndeploy = deny\n"
	    "account = 111111111111\n",
	    model_fixture_srcdir());
	model_fixture_open(&f->mf, text, on_change, f);
	return 0;
}

/*
 * The canned-answer server of tests/unit/data/model, as environment "stub";
 * "slow" never answers; "idslow" and "idother" have account = and a slow
 * GetCallerIdentity (111111111111: idother's account = is another).
 */
static int
setup_stub(void **state)
{
	struct fixture *f = model_fixture_new(sizeof *f, "dlc-model");
	char text[4096], log[512];
	const char *args[] = { "@PORTFILE@", log, NULL };

	snprintf(log, sizeof log, "%s/requests.log", f->mf.dir);
	*state = f;
	if (testserver_start(&f->mf.server, "tests/unit/data/model/stub-aws.py",
	    args) != 0)
		return -1;
	model_fixture_add_profile(&f->mf, "stub", "max_attempts = 1\n",
	    "AKIASTUB", "stubsecret");
	model_fixture_add_profile(&f->mf, "slow", "max_attempts = 1\n",
	    "AKIASLOW", "slowsecret");
	model_fixture_add_profile(&f->mf, "idslow", "max_attempts = 1\n",
	    "AKIAIDSLOW", "idslowsecret");
	snprintf(text, sizeof text, "[dlc]\nfunctions = %s/functions\n\n"
	    "[env stub]\nprofile = stub\nregion = eu-west-1\n"
	    "function-name = {function}\ndeploy = deny\n\n"
	    "[env slow]\nprofile = slow\nregion = eu-west-1\n"
	    "function-name = {function}\ndeploy = deny\n\n"
	    "[env idslow]\nprofile = idslow\nregion = eu-west-1\n"
	    "function-name = {function}\ndeploy = deny\n"
	    "account = 111111111111\n\n"
	    "[env idother]\nprofile = idslow\nregion = eu-west-1\n"
	    "function-name = {function}\ndeploy = deny\n"
	    "account = 222222222222\n", model_fixture_srcdir());
	model_fixture_open(&f->mf, text, on_change, f);
	return 0;
}

/* Runs the loop until done(f) or the deadline; returns done(f). */
static int
run_until(struct fixture *f, int (*done)(void *, size_t), size_t env)
{
	return model_fixture_run_until(&f->mf, done, f, env, DEADLINE_MS);
}

static int
identity_settled(void *arg, size_t env)
{
	struct fixture *f = arg;
	enum model_load s = model_env_at(f->mf.m, env)->identity_state;

	return s == MODEL_READY || s == MODEL_FAILED;
}

static int
functions_settled(void *arg, size_t env)
{
	struct fixture *f = arg;
	enum model_load s = model_env_at(f->mf.m, env)->functions_state;

	return s == MODEL_READY || s == MODEL_FAILED;
}

static int
first_page_in(void *arg, size_t env)
{
	struct fixture *f = arg;

	return model_env_at(f->mf.m, env)->pages_loaded >= 1 ||
	    functions_settled(f, env);
}

static void
test_age_and_cred_state(void **state)
{
	struct dlc_err err;
	char buf[TIMEUTIL_RELATIVE_LEN];

	(void)state;
	assert_string_equal(model_age(1000, 1002, buf, sizeof buf), "just now");
	assert_string_equal(model_age(1000, 1012, buf, sizeof buf), "12s ago");
	assert_string_equal(model_age(1000, 1000 + 3 * 3600, buf, sizeof buf), "3h ago");
	assert_string_equal(model_age(0, 1000, buf, sizeof buf), "never");
	dlc_err_clear(&err);
	dlc_err_set(&err, "ExpiredToken", "x");
	assert_string_equal(model_cred_state(&err), "expired");
	dlc_err_set(&err, "SSOLoginRequired", "x");
	assert_string_equal(model_cred_state(&err), "missing");
	dlc_err_set(&err, "AccessDenied", "x");
	assert_string_equal(model_cred_state(&err), "error");
}

static void
test_envs_and_identity(void **state)
{
	struct fixture *f = *state;
	int alpha = model_env_index(f->mf.m, "alpha");
	int sandbox = model_env_index(f->mf.m, "sandbox");
	int broken = model_env_index(f->mf.m, "broken");
	struct model_env *a, *s, *b, *w;
	size_t i;

	assert_int_equal(model_env_count(f->mf.m), 4);
	assert_int_equal(alpha, 0);
	assert_int_equal(sandbox, 1);
	assert_int_equal(broken, 2);
	assert_int_equal(model_env_index(f->mf.m, "nope"), -1);
	assert_null(model_env_at(f->mf.m, 4));
	a = model_env_at(f->mf.m, 0);
	assert_string_equal(a->cred_state, "unknown");
	assert_int_equal(a->identity_state, MODEL_IDLE);
	assert_non_null(a->aenv);

	/* All at once; the callback must wait for the loop. */
	f->in_model_call = 1;
	for (i = 0; i < 4; i++)
		model_refresh_identity(f->mf.m, i);
	model_refresh_identity(f->mf.m, 0);	/* ignored: one is out */
	f->in_model_call = 0;
	assert_int_equal(f->n_envs_notes, 0);
	assert_int_equal(a->identity_state, MODEL_LOADING);

	for (i = 0; i < 4; i++)
		assert_true(run_until(f, identity_settled, i));
	assert_int_equal(f->reentered, 0);
	assert_true(f->n_envs_notes >= 4);
	s = model_env_at(f->mf.m, 1);
	b = model_env_at(f->mf.m, 2);
	assert_int_equal(a->identity_state, MODEL_READY);
	assert_string_equal(a->cred_state, "ok");
	assert_string_equal(a->account, "111111111111");
	assert_non_null(strstr(a->arn, "111111111111"));
	assert_int_equal(s->identity_state, MODEL_READY);
	assert_string_equal(s->account, "222222222222");
	assert_int_equal(b->identity_state, MODEL_FAILED);
	assert_string_equal(b->cred_state, "error");
	assert_true(dlc_err_isset(&b->identity_err));
	assert_null(b->account);
	/* Keys that work but reach another account than dlc.ini says. */
	w = model_env_at(f->mf.m, 3);
	assert_int_equal(w->identity_state, MODEL_FAILED);
	assert_string_equal(w->identity_err.code, "WrongAccount");
	assert_non_null(strstr(w->identity_err.message, "222222222222"));
	assert_string_equal(w->account, "222222222222");
	assert_string_equal(w->cred_state, "error");
}

static void
test_functions_refresh_keeps_list(void **state)
{
	struct fixture *f = *state;
	struct model_env *a = model_env_at(f->mf.m, 0);
	struct model_function *fn;
	size_t i, managed = 0;

	assert_null(model_function_find(f->mf.m, 0, "datalake-alpha-mambu-to-s3-raw"));
	model_refresh_functions(f->mf.m, 0);
	assert_int_equal(a->functions_state, MODEL_LOADING);
	assert_int_equal(a->n_functions, 0);
	assert_true(run_until(f, functions_settled, 0));
	assert_int_equal(a->functions_state, MODEL_READY);
	assert_int_equal(a->n_functions, 68);
	assert_int_equal(a->pages_loaded, 2);
	assert_true(a->functions_at > 0);
	assert_true(f->saw_loading[0] >= 1);
	for (i = 1; i < a->n_functions; i++)
		assert_true(strcmp(a->functions[i - 1].fn.function_name,
		    a->functions[i].fn.function_name) < 0);
	for (i = 0; i < a->n_functions; i++)
		if (a->functions[i].local != NULL)
			managed++;
	assert_true(managed >= 5);
	fn = model_function_find(f->mf.m, 0, "datalake-alpha-mambu-to-s3-raw");
	assert_non_null(fn);
	assert_non_null(fn->local);
	assert_string_equal(fn->local->name, "mambu-to-s3-raw");
	fn = model_function_find(f->mf.m, 0, "legacy-export-job");
	assert_non_null(fn);
	assert_null(fn->local);
	/* By the local folder's name too, or the AWS name; nothing else. */
	fn = model_function_named(f->mf.m, 0, "mambu-to-s3-raw");
	assert_non_null(fn);
	assert_string_equal(fn->fn.function_name, "datalake-alpha-mambu-to-s3-raw");
	assert_ptr_equal(model_function_named(f->mf.m, 0, "legacy-export-job"),
	    model_function_find(f->mf.m, 0, "legacy-export-job"));
	assert_null(model_function_named(f->mf.m, 0, "no-such-function"));
	assert_null(model_function_named(f->mf.m, 9, "mambu-to-s3-raw"));

	/* A refresh: the old list stays whole until the last page lands. */
	model_refresh_functions(f->mf.m, 0);
	assert_int_equal(a->functions_state, MODEL_LOADING);
	assert_int_equal(a->n_functions, 68);
	model_refresh_functions(f->mf.m, 0);	/* ignored while loading */
	assert_true(run_until(f, first_page_in, 0));
	assert_int_equal(a->pages_loaded, 1);
	assert_int_equal(a->functions_state, MODEL_LOADING);
	assert_int_equal(a->n_functions, 68);
	assert_non_null(model_function_find(f->mf.m, 0, "legacy-export-job"));
	assert_true(run_until(f, functions_settled, 0));
	assert_int_equal(a->functions_state, MODEL_READY);
	assert_int_equal(a->n_functions, 68);
	assert_int_equal(a->pages_loaded, 2);
}

/*
 * account = set and the keys reach another account: the list is never
 * fetched, and says why (the console showed the other account's functions
 * under "creds ok").
 */
static void
test_wrong_account_lists_nothing(void **state)
{
	struct fixture *f = *state;
	struct model_env *w = model_env_at(f->mf.m, 3);
	struct model_env *a = model_env_at(f->mf.m, 0);

	model_refresh_functions(f->mf.m, 3);
	assert_int_equal(w->functions_state, MODEL_LOADING);
	assert_true(run_until(f, functions_settled, 3));
	assert_int_equal(w->functions_state, MODEL_FAILED);
	assert_string_equal(w->functions_err.code, "WrongAccount");
	assert_int_equal(w->n_functions, 0);
	assert_string_equal(w->cred_state, "error");
	assert_ptr_equal(model_env_refused(w), &w->identity_err);
	/* The right account = lists, once its identity is checked. */
	model_refresh_functions(f->mf.m, 0);
	assert_true(run_until(f, functions_settled, 0));
	assert_int_equal(a->functions_state, MODEL_READY);
	assert_int_equal(a->identity_state, MODEL_READY);
	assert_null(model_env_refused(a));
	assert_true(a->n_functions > 0);
}

static void
test_broken_env_leaves_others_alone(void **state)
{
	struct fixture *f = *state;
	struct model_env *a = model_env_at(f->mf.m, 0);
	struct model_env *s = model_env_at(f->mf.m, 1);
	struct model_env *b = model_env_at(f->mf.m, 2);

	assert_string_equal(b->cred_state, "unknown");
	model_refresh_functions(f->mf.m, 2);
	model_refresh_functions(f->mf.m, 0);
	model_refresh_functions(f->mf.m, 1);
	assert_true(run_until(f, functions_settled, 2));
	assert_true(run_until(f, functions_settled, 0));
	assert_true(run_until(f, functions_settled, 1));
	assert_int_equal(b->functions_state, MODEL_FAILED);
	assert_true(dlc_err_isset(&b->functions_err));
	assert_int_equal(b->n_functions, 0);
	/* The failed list says what it found about the credentials. */
	assert_string_equal(b->cred_state, "error");
	assert_string_equal(a->cred_state, "ok");
	assert_int_equal(a->functions_state, MODEL_READY);
	assert_int_equal(a->n_functions, 68);
	assert_int_equal(s->functions_state, MODEL_READY);
	assert_true(s->n_functions > 0);
	assert_false(dlc_err_isset(&a->functions_err));
}

static int
details_settled(void *arg, size_t env)
{
	struct fixture *f = arg;
	struct model_function *fn = model_function_find(f->mf.m, env,
	    "datalake-alpha-mambu-to-s3-raw");

	return fn != NULL && fn->details != NULL &&
	    fn->details->state != MODEL_LOADING;
}

static void
test_details(void **state)
{
	struct fixture *f = *state;
	struct model_function *fn;
	struct model_details *d;
	size_t i;

	model_refresh_functions(f->mf.m, 0);
	assert_true(run_until(f, functions_settled, 0));
	/* Unknown functions are not fetched. */
	model_load_details(f->mf.m, 0, "no-such-function");
	/* Nor is an environment out of range asked (one past the table). */
	model_load_details(f->mf.m, model_env_count(f->mf.m) + 1,
	    "datalake-alpha-mambu-to-s3-raw");
	fn = model_function_find(f->mf.m, 0, "datalake-alpha-mambu-to-s3-raw");
	assert_non_null(fn);
	assert_null(fn->details);
	model_load_details(f->mf.m, 0, "datalake-alpha-mambu-to-s3-raw");
	assert_non_null(fn->details);
	assert_int_equal(fn->details->state, MODEL_LOADING);
	assert_int_equal(f->n_details_notes, 0);
	assert_true(run_until(f, details_settled, 0));
	assert_true(f->n_details_notes >= 1);
	fn = model_function_find(f->mf.m, 0, "datalake-alpha-mambu-to-s3-raw");
	d = fn->details;
	/* What fakeaws cannot answer (yet) must not hide the configuration. */
	assert_int_equal(d->state, MODEL_READY);
	assert_true(d->fetched_at > 0);
	/* A partial failure, if any, is one of the side calls. */
	assert_null(strstr(d->err.what, "GetFunction"));
	assert_string_equal(d->config.function_name,
	    "datalake-alpha-mambu-to-s3-raw");
	assert_string_equal(d->config.runtime, "python3.12");
	assert_int_equal(d->n_layers, 2);
	for (i = 0; i < d->n_layers; i++) {
		if (strcmp(d->layers[i].name, "datalake-alpha-aws-wrangler") == 0) {
			assert_int_equal(d->layers[i].version, 3);
			assert_int_equal(d->layers[i].latest_version, 3);
		} else {
			assert_string_equal(d->layers[i].name,
			    "datalake-alpha-flattenjson");
			assert_int_equal(d->layers[i].version, 2);
			assert_int_equal(d->layers[i].latest_version, 2);
		}
	}

	/* The details survive a refresh of the list. */
	model_refresh_functions(f->mf.m, 0);
	assert_true(run_until(f, functions_settled, 0));
	fn = model_function_find(f->mf.m, 0, "datalake-alpha-mambu-to-s3-raw");
	assert_non_null(fn->details);
	assert_string_equal(fn->details->config.function_name,
	    "datalake-alpha-mambu-to-s3-raw");

	/* A load can be cancelled midway by freeing the model (teardown). */
	model_load_details(f->mf.m, 0, "datalake-alpha-mambu-to-s3-raw");
	assert_int_equal(fn->details->state, MODEL_LOADING);
}

static int
reported_ready(void *arg, size_t env)
{
	struct fixture *f = arg;

	return f->saw_ready[env] >= 1;
}

static int
auto_refreshed(void *arg, size_t env)
{
	struct fixture *f = arg;

	return f->saw_ready[env] >= 2 && functions_settled(f, env);
}

static void
test_auto_refresh(void **state)
{
	struct fixture *f = *state;
	struct model_env *a = model_env_at(f->mf.m, 0);

	model_set_auto_refresh(f->mf.m, 0, 1);
	/* Nothing happens before the timer: no call from inside model_*. */
	assert_int_equal(a->functions_state, MODEL_IDLE);
	assert_true(run_until(f, reported_ready, 0));
	assert_int_equal(a->n_functions, 68);
	assert_int_equal(f->saw_ready[0], 1);
	assert_true(run_until(f, auto_refreshed, 0));
	assert_int_equal(a->n_functions, 68);
	/* Moving it to another environment stops alpha's timer. */
	model_set_auto_refresh(f->mf.m, 1, 1);
	assert_true(run_until(f, reported_ready, 1));
	assert_int_equal(model_env_at(f->mf.m, 1)->functions_state, MODEL_READY);
	assert_int_equal(f->saw_ready[0], 2);
	model_set_auto_refresh(f->mf.m, 1, 0);
}

static const char *const stub_fns[] = { "fn-a", "fn-b", "fn-many" };

static int
stub_fn_settled(struct fixture *f, size_t env, size_t which)
{
	struct model_function *fn = model_function_find(f->mf.m, env,
	    stub_fns[which]);

	return fn != NULL && fn->details != NULL &&
	    fn->details->state != MODEL_LOADING;
}

/* The details of stub_fns[which] in "stub" are in. */
static int
stub_details_settled(void *arg, size_t which)
{
	struct fixture *f = arg;

	return stub_fn_settled(f, 0, which);
}

/* The same in "idslow". */
static int
idslow_details_settled(void *arg, size_t which)
{
	struct fixture *f = arg;

	return stub_fn_settled(f, 2, which);
}

/* The stub's request log (freed by the caller), or NULL. */
static char *
stub_log(struct fixture *f)
{
	char path[512];

	snprintf(path, sizeof path, "%s/requests.log", f->mf.dir);
	return testserver_read_file(path);
}

/* How many requests of the stub's log contain needle. */
static int
stub_count(struct fixture *f, const char *needle)
{
	char *text = stub_log(f), *p;
	int n = 0;

	if (text == NULL)
		return 0;
	for (p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	free(text);
	return n;
}

static int
reported_failed(void *arg, size_t env)
{
	struct fixture *f = arg;

	return f->saw_failed[env] >= 1;
}

/* Where needle first is in the stub's log, or -1. */
static long
stub_pos(struct fixture *f, const char *needle)
{
	char *text = stub_log(f), *p;
	long pos = -1;

	if (text != NULL && (p = strstr(text, needle)) != NULL)
		pos = p - text;
	free(text);
	return pos;
}

/*
 * account = set: ListFunctions goes out with GetCallerIdentity, not after
 * its answer (one round trip before the first frame, not two), and the
 * list, all in first, waits LOADING for the identity to commit.
 */
static void
test_list_with_identity_at_once(void **state)
{
	struct fixture *f = *state;
	struct model_env *e = model_env_at(f->mf.m, 2);
	enum model_load id_at_list, fns_at_list;
	size_t n_at_list;
	uint64_t t0;

	assert_string_equal(e->conf->name, "idslow");
	t0 = loop_now_ms();
	model_refresh_functions(f->mf.m, 2);
	assert_int_equal(e->functions_state, MODEL_LOADING);
	assert_true(run_until(f, first_page_in, 2));
	id_at_list = e->identity_state;
	fns_at_list = e->functions_state;
	n_at_list = e->n_functions;
	model_refresh_functions(f->mf.m, 2);	/* ignored: one is waiting */
	assert_true(run_until(f, functions_settled, 2));
	print_message("idslow: list committed %lu ms after the refresh "
	    "(GetCallerIdentity answers after 500 ms)\n",
	    (unsigned long)(loop_now_ms() - t0));
	assert_int_equal(id_at_list, MODEL_LOADING);
	assert_int_equal(fns_at_list, MODEL_LOADING);
	assert_int_equal(n_at_list, 0);
	/* Both out at once: the list asked before STS answered. */
	assert_true(stub_pos(f, "GET /2015-03-31/functions") >= 0);
	assert_true(stub_pos(f, "GET /2015-03-31/functions") <
	    stub_pos(f, "SENT GetCallerIdentity"));
	assert_int_equal(e->identity_state, MODEL_READY);
	assert_int_equal(e->functions_state, MODEL_READY);
	assert_string_equal(e->cred_state, "ok");
	assert_int_equal(e->n_functions, 3);
	assert_true(run_until(f, reported_ready, 2));
	assert_int_equal(stub_count(f, "GET /2015-03-31/functions"), 1);
	assert_int_equal(stub_count(f, "SENT GetCallerIdentity"), 1);
	/* Checked: the next refresh asks no identity. */
	model_refresh_functions(f->mf.m, 2);
	assert_true(run_until(f, functions_settled, 2));
	assert_int_equal(e->n_functions, 3);
	assert_int_equal(stub_count(f, "SENT GetCallerIdentity"), 1);
}

/*
 * The same race with another account behind the keys: the list, in
 * first, is dropped; no note ever showed a function of it. Then a list
 * held for an identity still out is freed with the model (teardown).
 */
static void
test_list_held_wrong_account(void **state)
{
	struct fixture *f = *state;
	struct model_env *o = model_env_at(f->mf.m, 3);
	struct model_env *e = model_env_at(f->mf.m, 2);

	assert_string_equal(o->conf->name, "idother");
	model_refresh_functions(f->mf.m, 3);
	assert_true(run_until(f, first_page_in, 3));
	assert_int_equal(o->identity_state, MODEL_LOADING);
	assert_int_equal(o->n_functions, 0);
	assert_string_equal(o->cred_state, "unknown");
	model_refresh_functions(f->mf.m, 3);	/* ignored: one is waiting */
	assert_true(run_until(f, functions_settled, 3));
	assert_int_equal(o->functions_state, MODEL_FAILED);
	assert_string_equal(o->functions_err.code, "WrongAccount");
	assert_string_equal(o->cred_state, "error");
	assert_int_equal(o->n_functions, 0);
	assert_true(run_until(f, reported_failed, 3));
	assert_int_equal(f->most_shown[3], 0);
	assert_int_equal(f->saw_ready[3], 0);
	assert_int_equal(stub_count(f, "GET /2015-03-31/functions"), 1);
	/* Refused now: a refresh asks nothing. */
	model_refresh_functions(f->mf.m, 3);
	assert_int_equal(o->functions_state, MODEL_FAILED);
	assert_int_equal(stub_count(f, "GET /2015-03-31/functions"), 1);

	model_refresh_functions(f->mf.m, 2);
	assert_true(run_until(f, first_page_in, 2));
	assert_int_equal(e->identity_state, MODEL_LOADING);
	assert_int_equal(e->functions_state, MODEL_LOADING);
}

static void
test_details_all_parts(void **state)
{
	struct fixture *f = *state;
	struct model_function *fn;
	struct model_details *d;
	size_t i;
	int seen = 0;

	model_refresh_functions(f->mf.m, 0);
	assert_true(run_until(f, functions_settled, 0));
	assert_int_equal(model_env_at(f->mf.m, 0)->n_functions, 3);
	model_load_details(f->mf.m, 0, "fn-a");
	assert_true(run_until(f, stub_details_settled, 0));
	d = model_function_find(f->mf.m, 0, "fn-a")->details;

	/*
	 * A rule was denied: that is the error. The other account's layer
	 * was denied too, but that is expected and only leaves it unknown.
	 */
	assert_int_equal(d->state, MODEL_READY);
	assert_string_equal(d->err.code, "AccessDeniedException");
	assert_non_null(strstr(d->err.what, "DescribeRule"));
	assert_string_equal(d->config.function_name, "fn-a");
	assert_string_equal(d->code_location, "https://example.invalid/zip");

	assert_int_equal(d->n_layers, 2);
	assert_string_equal(d->layers[0].name, "common");
	assert_int_equal(d->layers[0].version, 2);
	assert_int_equal(d->layers[0].latest_version, 5);	/* on page 2 */
	assert_int_equal(d->layers[0].code_size, 10);
	assert_string_equal(d->layers[1].name, "foreign");
	assert_int_equal(d->layers[1].version, 7);
	assert_int_equal(d->layers[1].latest_version, 0);	/* denied */

	assert_int_equal(d->n_esms, 2);
	assert_string_equal(d->esms[0].uuid, "u1");
	assert_string_equal(d->esms[1].uuid, "u2");
	assert_string_equal(d->esms[1].source_arn,
	    "arn:aws:sqs:eu-west-1:111111111111:fn-a-u2");
	assert_string_equal(d->esms[0].state, "Enabled");
	assert_string_equal(d->esms[0].last_processing_result, "OK");
	assert_int_equal(d->esms[0].batch_size, 10);

	/* r-denied is left out; the others came over two pages of names. */
	assert_int_equal(d->n_schedules, 2);
	for (i = 0; i < d->n_schedules; i++) {
		if (strcmp(d->schedules[i].rule_name, "r-sched") == 0) {
			assert_string_equal(d->schedules[i].expression, "rate(1 hour)");
			assert_string_equal(d->schedules[i].state, "ENABLED");
			seen |= 1;
		} else {
			assert_string_equal(d->schedules[i].rule_name, "r-pattern");
			assert_string_equal(d->schedules[i].expression,
			    "{\"source\":[\"aws.s3\"]}");
			assert_string_equal(d->schedules[i].state, "DISABLED");
			seen |= 2;
		}
	}
	assert_int_equal(seen, 3);
	assert_int_equal(stub_count(f, "layer%3Acommon/versions"), 2);

	/* fn-b shares the layer: the newest version comes from the cache. */
	model_load_details(f->mf.m, 0, "fn-b");
	assert_true(run_until(f, stub_details_settled, 1));
	fn = model_function_find(f->mf.m, 0, "fn-b");
	assert_int_equal(fn->details->state, MODEL_READY);
	assert_false(dlc_err_isset(&fn->details->err));
	assert_int_equal(fn->details->n_layers, 1);
	assert_int_equal(fn->details->layers[0].latest_version, 5);
	assert_int_equal(fn->details->n_esms, 0);
	assert_int_equal(fn->details->n_schedules, 0);
	assert_int_equal(stub_count(f, "layer%3Acommon/versions"), 2);

	/* A refresh of the list forgets the cache: a new version may exist. */
	model_refresh_functions(f->mf.m, 0);
	assert_true(run_until(f, functions_settled, 0));
	model_load_details(f->mf.m, 0, "fn-b");
	assert_true(run_until(f, stub_details_settled, 1));
	assert_int_equal(stub_count(f, "layer%3Acommon/versions"), 4);
	assert_int_equal(stub_count(f, "FunctionName=fn-b"), 2);
}

/*
 * More rules target fn-many than are described (100), ten names a page:
 * exactly the cap is described. It counted every call of the load still
 * out, which fell as they ended: all 150 were.
 */
static void
test_rules_capped(void **state)
{
	struct fixture *f = *state;
	struct model_details *d;

	model_refresh_functions(f->mf.m, 0);
	assert_true(run_until(f, functions_settled, 0));
	model_load_details(f->mf.m, 0, "fn-many");
	assert_true(run_until(f, stub_details_settled, 2));
	d = model_function_find(f->mf.m, 0, "fn-many")->details;
	assert_int_equal(d->state, MODEL_READY);
	assert_false(dlc_err_isset(&d->err));
	assert_int_equal(stub_count(f, "AWSEvents.ListRuleNamesByTarget"), 15);
	assert_int_equal(stub_count(f, "AWSEvents.DescribeRule"), 100);
	assert_int_equal(d->n_schedules, 100);
}

static int
layer_asked(void *arg, size_t env)
{
	struct fixture *f = arg;

	(void)env;
	return stub_count(f, "layer%3Acommon/versions") >= 1;
}

/*
 * A layer's answer that lands after a list refresh forgot the cache (its
 * pages are slow in "idslow") fills its details but not the cache: the
 * next function with that layer asks again, as after any refresh.
 */
static void
test_layer_answer_after_refresh(void **state)
{
	struct fixture *f = *state;
	struct model_function *fn;

	model_refresh_functions(f->mf.m, 2);
	assert_true(run_until(f, functions_settled, 2));
	assert_int_equal(model_env_at(f->mf.m, 2)->functions_state, MODEL_READY);
	model_load_details(f->mf.m, 2, "fn-b");
	assert_true(run_until(f, layer_asked, 2));
	model_refresh_functions(f->mf.m, 2);
	assert_true(run_until(f, functions_settled, 2));
	fn = model_function_find(f->mf.m, 2, "fn-b");
	assert_int_equal(fn->details->state, MODEL_LOADING);
	assert_true(run_until(f, idslow_details_settled, 1));
	assert_int_equal(fn->details->state, MODEL_READY);
	assert_int_equal(fn->details->layers[0].latest_version, 5);
	assert_int_equal(stub_count(f, "layer%3Acommon/versions"), 2);
	model_load_details(f->mf.m, 2, "fn-a");
	assert_true(run_until(f, idslow_details_settled, 0));
	assert_int_equal(stub_count(f, "layer%3Acommon/versions"), 4);
	fn = model_function_find(f->mf.m, 2, "fn-a");
	assert_int_equal(fn->details->layers[0].latest_version, 5);
}

static void
test_dead_env_blocks_nothing(void **state)
{
	struct fixture *f = *state;
	struct model_env *slow = model_env_at(f->mf.m, 1);
	struct model_env *stub = model_env_at(f->mf.m, 0);

	assert_string_equal(slow->conf->name, "slow");
	/* The dead one is asked first: the other must not queue behind it. */
	model_refresh_identity(f->mf.m, 1);
	model_refresh_functions(f->mf.m, 1);
	model_refresh_functions(f->mf.m, 0);
	assert_true(run_until(f, functions_settled, 0));
	assert_int_equal(stub->functions_state, MODEL_READY);
	assert_int_equal(stub->n_functions, 3);
	model_load_details(f->mf.m, 0, "fn-b");
	assert_true(run_until(f, stub_details_settled, 1));
	assert_int_equal(slow->functions_state, MODEL_LOADING);
	assert_int_equal(slow->identity_state, MODEL_LOADING);
	/* Teardown frees the model with the dead calls still out. */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_age_and_cred_state),
		cmocka_unit_test_setup_teardown(test_envs_and_identity, setup, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_functions_refresh_keeps_list, setup, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_account_lists_nothing, setup, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_broken_env_leaves_others_alone, setup, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_details, setup, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_auto_refresh, setup, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_details_all_parts, setup_stub, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_dead_env_blocks_nothing, setup_stub, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_list_with_identity_at_once, setup_stub, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rules_capped, setup_stub, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_layer_answer_after_refresh, setup_stub, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_list_held_wrong_account, setup_stub, model_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
