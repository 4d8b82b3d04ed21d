/*
 * Unit tests for src/model-metrics.c (and src/cw-metrics.c's calls)
 * against the real tests/fakeaws on 127.0.0.1: a functions refresh is
 * followed by ONE GetMetricData for all of the environment's listed
 * functions (counted in fakeaws's request log), whose hourly series for
 * 24 hours come back per function (the idle function all gaps, the
 * failing one with errors); more than 250 functions take two calls; a
 * refresh keeps the values readable while it loads; a failed fetch keeps
 * them and says why. And the batch itself: 501 queries go out as two
 * calls, an answer over 100,800 points comes in pages (NextToken)
 * merged per id, equal to the same queries asked one at a time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <curl/curl.h>

#include "aws-op.h"
#include "buf.h"
#include "cw-metrics.h"
#include "loop.h"
#include "model-fixture.h"
#include "model-metrics.h"
#include "timeutil.h"

#define DEADLINE_MS	30000

struct fixture {
	struct model_fixture	 mf;	/* first: model_fixture_teardown frees f */
	char			 log[300];
	int			 metrics_notes;
	int			 loading_with_values;	/* notes while LOADING with values held */
};

static void
on_change(enum model_change what, size_t env, const char *fn, void *arg)
{
	struct fixture *f = arg;
	const struct model_metrics *mm;

	(void)fn;
	if (what != MODEL_CHANGE_METRICS)
		return;
	f->metrics_notes++;
	mm = model_env_metrics(f->mf.m, env);
	if (mm->state == MODEL_LOADING && mm->n > 0)
		f->loading_with_values++;
}

static int
start(void **state, const char *extra)
{
	struct fixture *f = model_fixture_new(sizeof *f, "dlc-mmetrics");
	char text[2048], ak[128] = "", sk[128] = "";
	const char *args[] = { "--port", "0", "--port-file", "@PORTFILE@",
	    "--log-requests", NULL, "--extra-functions", extra, NULL };

	*state = f;
	snprintf(f->log, sizeof f->log, "%s/requests.log", f->mf.dir);
	args[5] = f->log;
	if (testserver_start(&f->mf.server, "tests/fakeaws/fakeaws.py", args) != 0)
		return -1;
	assert_int_equal(testserver_seed_key("alpha", ak, sk, sizeof ak), 0);
	/* One attempt: the failure test must not wait out retries. */
	model_fixture_add_profile(&f->mf, "alpha", "max_attempts = 1\n", ak, sk);
	snprintf(text, sizeof text, "[dlc]\nfunctions = %s/functions\n\n"
	    "[env alpha]\nprofile = alpha\nregion = eu-west-1\n"
	    "function-name = datalake-alpha-{function}\ndeploy = allow\n",
	    model_fixture_srcdir());
	model_fixture_open(&f->mf, text, on_change, f);
	return 0;
}

static int
setup_small(void **state)
{
	return start(state, "0");
}

/* 300 generated functions more: 2 x 300 queries do not fit in one call. */
static int
setup_big(void **state)
{
	return start(state, "300");
}

/* What run_while waits for: *flag no longer value. */
struct flag_wait {
	const int	*flag;
	int		 value;
};

static int
flag_moved(void *arg, size_t env)
{
	const struct flag_wait *w = arg;

	(void)env;
	return *w->flag != w->value;
}

static void
run_while(struct fixture *f, const int *flag, int value)
{
	struct flag_wait w = { flag, value };

	(void)model_fixture_run_until(&f->mf, flag_moved, &w, 0, DEADLINE_MS);
}

static int
metrics_settled(void *arg, size_t env)
{
	struct fixture *f = arg;
	const struct model_metrics *mm = model_env_metrics(f->mf.m, env);

	return mm->state == MODEL_READY || mm->state == MODEL_FAILED;
}

static void
run_until_settled(struct fixture *f)
{
	assert_true(model_fixture_run_until(&f->mf, metrics_settled, f, 0,
	    DEADLINE_MS));
}

/* GetMetricData requests in fakeaws's log now. */
static int
gmd_count(struct fixture *f)
{
	char *log = testserver_read_file(f->log), *p = log;
	int n = 0;

	while (p != NULL && (p = strstr(p, "\"GetMetricData\"")) != NULL) {
		n++;
		p++;
	}
	free(log);
	return n;
}

/* GetMetricData requests in fakeaws's log, which is written after each answer. */
static int
gmd_requests(struct fixture *f, int want)
{
	uint64_t end = loop_now_ms() + 5000;

	while (gmd_count(f) < want && loop_now_ms() < end)
		usleep(20000);
	/* A request more would be in the log by now. */
	usleep(200000);
	return gmd_count(f);
}

static size_t
points(const struct cw_series *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		n += !isnan(s->v[i]);
	return n;
}

static double
total(const struct cw_series *s)
{
	size_t i;
	double t = 0;

	for (i = 0; i < s->n; i++)
		if (!isnan(s->v[i]))
			t += s->v[i];
	return t;
}

static void
test_one_call_per_refresh(void **state)
{
	struct fixture *f = *state;
	const struct model_metrics *mm;
	const struct fn_metrics *fm;
	struct model_env *e = model_env_at(f->mf.m, 0);
	unsigned gen;
	size_t i;

	/* Off (the default, dlc ls): a list is not followed by metrics. */
	model_refresh_functions(f->mf.m, 0);
	run_while(f, (const int *)&e->functions_state, MODEL_LOADING);
	assert_int_equal(e->functions_state, MODEL_READY);
	assert_int_equal(model_env_metrics(f->mf.m, 0)->state, MODEL_IDLE);
	assert_int_equal(gmd_requests(f, 0), 0);

	model_set_auto_metrics(f->mf.m, 1);
	model_refresh_functions(f->mf.m, 0);
	run_until_settled(f);
	mm = model_env_metrics(f->mf.m, 0);
	assert_int_equal(mm->state, MODEL_READY);
	assert_true(e->n_functions >= 8);
	assert_int_equal(mm->n, e->n_functions);
	assert_int_equal(gmd_requests(f, 1), 1);
	assert_int_equal(mm->period, 3600);
	assert_int_equal(mm->end - mm->start, 86400);
	assert_true(mm->end >= timeutil_now() && mm->end - timeutil_now() <= 3600);
	for (i = 0; i < e->n_functions; i++) {
		fm = model_function_metrics(f->mf.m, 0, e->functions[i].fn.function_name);
		assert_non_null(fm);
		assert_string_equal(fm->function, e->functions[i].fn.function_name);
		assert_int_equal(fm->invocations.n, 24);
		assert_int_equal(fm->errors.n, 24);
		assert_int_equal(fm->throttles.n, 0);
		assert_string_equal(fm->invocations.status, "Complete");
	}
	assert_null(model_function_metrics(f->mf.m, 0, "datalake-alpha-nope"));
	/* The seed's idle function: never invoked, all gaps. */
	fm = model_function_metrics(f->mf.m, 0, "datalake-alpha-dynamo-customers-to-s3-raw");
	assert_int_equal(points(&fm->invocations), 0);
	/* The failing one errs every hour. */
	fm = model_function_metrics(f->mf.m, 0, "datalake-alpha-mambu-datalake-reconciliation");
	assert_true(points(&fm->invocations) >= 23);
	assert_true(total(&fm->errors) > 0);
	assert_true(total(&fm->errors) < total(&fm->invocations));

	/* A refresh: the values stay readable while it loads. */
	gen = mm->gen;
	f->loading_with_values = 0;
	model_refresh_functions(f->mf.m, 0);
	run_while(f, (const int *)&e->functions_state, MODEL_LOADING);
	assert_true(model_env_metrics(f->mf.m, 0)->state == MODEL_LOADING ||
	    model_env_metrics(f->mf.m, 0)->state == MODEL_READY);
	run_until_settled(f);
	assert_true(f->loading_with_values > 0);
	assert_int_equal(mm->gen, gen + 1);
	assert_int_equal(gmd_requests(f, 2), 2);
}

static size_t
sink(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static void
post_faults(struct fixture *f, const char *body)
{
	char url[128];
	CURL *c = curl_easy_init();
	long status = 0;

	assert_non_null(c);
	snprintf(url, sizeof url, "%s/_fakeaws/faults", f->mf.server.url);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	assert_int_equal(status, 200);
}

static void
test_failure_keeps_values(void **state)
{
	struct fixture *f = *state;
	const struct model_metrics *mm;
	const struct fn_metrics *fm;
	unsigned gen;

	model_set_auto_metrics(f->mf.m, 1);
	model_refresh_functions(f->mf.m, 0);
	run_until_settled(f);
	mm = model_env_metrics(f->mf.m, 0);
	assert_int_equal(mm->state, MODEL_READY);
	gen = mm->gen;
	post_faults(f, "{\"spec\": \"500=1\"}");
	model_refresh_metrics(f->mf.m, 0);
	assert_int_equal(mm->state, MODEL_LOADING);
	/* Asked again while out: ignored, not a second call. */
	model_refresh_metrics(f->mf.m, 0);
	run_until_settled(f);
	assert_int_equal(mm->state, MODEL_FAILED);
	assert_true(dlc_err_isset(&mm->err));
	assert_int_equal(mm->gen, gen);
	fm = model_function_metrics(f->mf.m, 0, "datalake-alpha-mambu-to-s3-raw");
	assert_non_null(fm);
	assert_int_equal(fm->invocations.n, 24);
	post_faults(f, "{\"spec\": \"\"}");
}

static void
test_many_functions_two_calls(void **state)
{
	struct fixture *f = *state;
	struct model_env *e = model_env_at(f->mf.m, 0);
	const struct model_metrics *mm;
	const struct fn_metrics *fm;

	model_set_auto_metrics(f->mf.m, 1);
	model_refresh_functions(f->mf.m, 0);
	run_until_settled(f);
	mm = model_env_metrics(f->mf.m, 0);
	assert_int_equal(mm->state, MODEL_READY);
	assert_true(e->n_functions > 300 && e->n_functions <= 500);
	assert_int_equal(mm->n, e->n_functions);
	assert_int_equal(gmd_requests(f, 2), 2);
	fm = model_function_metrics(f->mf.m, 0, "datalake-alpha-gen-0300");
	assert_non_null(fm);
	assert_string_equal(fm->errors.status, "Complete");
	assert_int_equal(fm->errors.n, 24);
}

/* ---- cw_get_metric_data itself ---- */

struct got {
	int		 pending;
	int		 ok;
	struct cw_series *s;
	size_t		 n;
};

static void
got_cb(struct aws_reply *reply, struct cw_series *series, size_t n, void *arg)
{
	struct got *g = arg;
	size_t i;

	g->pending = 0;
	g->ok = reply->ok;
	if (series == NULL)
		return;
	/* Taken over: the fetch clears what is left. */
	g->s = calloc(n + 1, sizeof *g->s);
	for (i = 0; i < n; i++) {
		g->s[i] = series[i];
		memset(&series[i], 0, sizeof series[i]);
	}
	g->n = n;
}

static void
fetch(struct fixture *f, const struct cw_metric_query *q, size_t n,
    time_t from, time_t to, struct got *g)
{
	memset(g, 0, sizeof *g);
	g->pending = 1;
	assert_non_null(cw_get_metric_data(model_env_at(f->mf.m, 0)->aenv, q, n,
	    from, to, got_cb, g));
	run_while(f, &g->pending, 1);
	assert_int_equal(g->pending, 0);
	assert_int_equal(g->ok, 0);
	assert_int_equal(g->n, n);
}

static void
got_clear(struct got *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		cw_series_clear(&g->s[i]);
	free(g->s);
}

static void
test_batch_split_and_pages(void **state)
{
	static const char *const stats[] = { "Sum", "Maximum", "Minimum",
	    "Average", "SampleCount" };
	static const struct cw_dimension dim = { "FunctionName",
	    "datalake-alpha-mambu-datalake-reconciliation" };
	struct fixture *f = *state;
	struct cw_metric_query q[501];
	char ids[501][16], pnames[24][8];
	struct got all, one;
	time_t now = timeutil_now(), to = now - now % 60, from;
	size_t i, k, before;

	/* 501 queries: two calls, every query answered. */
	for (i = 0; i < 501; i++) {
		snprintf(ids[i], sizeof ids[i], "q%zu", i);
		q[i].id = ids[i];
		q[i].namespace = "AWS/Lambda";
		q[i].metric = "Invocations";
		q[i].stat = "Sum";
		q[i].dims = &dim;
		q[i].n_dims = 1;
		q[i].period = 3600;
	}
	before = (size_t)gmd_requests(f, 0);
	fetch(f, q, 501, to - 7200, to, &all);
	assert_int_equal(gmd_requests(f, (int)before + 2), (int)before + 2);
	for (i = 0; i < 501; i++) {
		assert_string_equal(all.s[i].id, ids[i]);
		assert_string_equal(all.s[i].status, "Complete");
		assert_true(all.s[i].n >= 2 && all.s[i].n <= 3);
	}
	got_clear(&all);

	/*
	 * 24 per-minute series of a function invoked every minute for 3 days
	 * (~4,260 points each): over 100,800 points, so pages, NextToken.
	 */
	from = to - 3 * 86400 + 3600;
	for (i = 0; i < 24; i++) {
		if (i < 5)
			q[i].stat = stats[i];
		else {
			snprintf(pnames[i], sizeof pnames[i], "p%zu", i * 3);
			q[i].stat = pnames[i];
		}
		q[i].metric = "Duration";
		q[i].period = 60;
	}
	before = (size_t)gmd_requests(f, 0);
	fetch(f, q, 24, from, to, &all);
	assert_true(gmd_requests(f, (int)before + 2) >= (int)before + 2);
	/* The last query's points straddle the pages' boundary. */
	for (i = 0; i < 24; i += 23) {
		fetch(f, &q[i], 1, from, to, &one);
		assert_true(one.s[0].n > 3000);
		assert_int_equal(all.s[i].n, one.s[0].n);
		assert_string_equal(all.s[i].status, "Complete");
		for (k = 0; k < one.s[0].n; k++) {
			assert_int_equal(all.s[i].t[k], one.s[0].t[k]);
			assert_true(all.s[i].v[k] == one.s[0].v[k]);
			if (k > 0)
				assert_true(all.s[i].t[k] > all.s[i].t[k - 1]);
		}
		got_clear(&one);
	}
	got_clear(&all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_call_per_refresh,
		    setup_small, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_failure_keeps_values,
		    setup_small, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_batch_split_and_pages,
		    setup_small, model_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_many_functions_two_calls,
		    setup_big, model_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
