/*
 * Unit tests for src/waiter.c (and lambda_wait_updated's matchers) against
 * tests/unit/data/ops/stub-ops.py over real HTTP: an update that settles
 * after two InProgress polls, one that fails with Lambda's reason, one
 * stuck InProgress until the attempt cap and until the time cap, an error
 * no matcher expects, an error a matcher turns into success, and cancel
 * (before the first poll, from inside the progress callback, and while a
 * poll is in flight): never a callback afterwards. Last, the matchers
 * against tests/fakeaws's own GetFunctionConfiguration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lambda.h"
#include "waiter.h"
#include "data/ops/fixture.h"

struct run {
	int		 progress;
	char		 last[64];
	int		 done;
	int		 ok;
	struct dlc_err	 err;
	struct waiter	*w;
	int		 cancel_at;	/* cancel from the progress callback */
	uint64_t	 at[16];	/* when each progress came */
};

static void
on_progress(int attempt, const char *value, void *arg)
{
	struct run *r = arg;

	assert_int_equal(r->done, 0);
	r->progress++;
	assert_int_equal(attempt, r->progress);
	if (r->progress <= 16)
		r->at[r->progress - 1] = loop_now_ms();
	snprintf(r->last, sizeof r->last, "%s", value != NULL ? value : "(null)");
	if (r->cancel_at > 0 && r->progress == r->cancel_at)
		waiter_cancel(r->w);
}

static void
on_done(const struct dlc_err *err, void *arg)
{
	struct run *r = arg;

	assert_int_equal(r->done, 0);
	r->done = 1;
	r->ok = err == NULL;
	dlc_err_clear(&r->err);
	if (err != NULL)
		r->err = *err;
}

/* lambda_waiter_updated, faster. */
static struct waiter_config
fast(long interval_ms, long max_wait_ms, int max_attempts)
{
	struct waiter_config c = lambda_waiter_updated;

	c.interval_ms = interval_ms;
	c.max_wait_ms = max_wait_ms;
	c.max_attempts = max_attempts;
	return c;
}

static void
start(struct ops_fixture *f, struct run *r, const char *name,
    const struct waiter_config *cfg)
{
	memset(r, 0, sizeof *r);
	r->w = waiter_start(f->aws.loop, f->env,
	    &lambda_op_get_function_configuration, name, cfg, on_progress,
	    on_done, r);
	assert_non_null(r->w);
}

static void
test_success(void **state)
{
	struct ops_fixture *f = *state;
	struct waiter_config c = fast(50, 5000, 20);
	struct run r;

	start(f, &r, "w-ok", &c);
	assert_true(ops_run_until(f, &r.done));
	assert_true(r.ok);
	/* Two InProgress polls were reported, the third succeeded. */
	assert_int_equal(r.progress, 2);
	assert_string_equal(r.last, "InProgress");
	assert_int_equal(ops_requests(f, "/functions/w-ok/configuration"), 3);
	/* The interval is kept between polls. */
	assert_true(r.at[1] - r.at[0] >= 45);
}

static void
test_default_config(void **state)
{
	struct ops_fixture *f = *state;
	struct run r;

	/* The real one: settles on the third poll, a second apart. */
	memset(&r, 0, sizeof r);
	r.w = lambda_wait_updated(f->aws.loop, f->env, "w-ok", on_progress,
	    on_done, &r);
	assert_true(ops_run_until(f, &r.done));
	assert_true(r.ok);
	assert_int_equal(r.progress, 2);
	assert_true(r.at[1] - r.at[0] >= 950);
}

static void
test_failure_with_reason(void **state)
{
	struct ops_fixture *f = *state;
	struct waiter_config c = fast(20, 5000, 20);
	struct run r;

	start(f, &r, "w-fail", &c);
	assert_true(ops_run_until(f, &r.done));
	assert_false(r.ok);
	assert_int_equal(r.progress, 1);
	assert_string_equal(r.err.code, "WaiterFailure");
	assert_non_null(strstr(r.err.message, "LastUpdateStatus is Failed"));
	assert_non_null(strstr(r.err.message,
	    "The role defined for the function cannot be assumed by Lambda."));
	assert_non_null(strstr(r.err.what, "w-fail"));
}

static void
test_attempt_cap(void **state)
{
	struct ops_fixture *f = *state;
	struct waiter_config c = fast(10, 0, 4);
	struct run r;

	start(f, &r, "w-stuck", &c);
	assert_true(ops_run_until(f, &r.done));
	assert_false(r.ok);
	assert_string_equal(r.err.code, "WaiterTimeout");
	assert_non_null(strstr(r.err.message, "after 4 attempts"));
	assert_int_equal(r.progress, 4);
	ops_run_for(f, 100);
	assert_int_equal(ops_requests(f, "/functions/w-stuck/configuration"), 4);
}

static void
test_time_cap(void **state)
{
	struct ops_fixture *f = *state;
	struct waiter_config c = fast(100, 350, 0);
	uint64_t t0 = loop_now_ms(), took;
	struct run r;

	start(f, &r, "w-stuck", &c);
	assert_true(ops_run_until(f, &r.done));
	took = loop_now_ms() - t0;
	assert_false(r.ok);
	assert_string_equal(r.err.code, "WaiterTimeout");
	/* Polls at 0, 100, 200, 300 ms at most: the next would end past 350. */
	assert_in_range(r.progress, 2, 4);
	assert_true(took <= 350 + 2000);	/* a loaded machine answers slowly */
}

static void
test_errors(void **state)
{
	static const struct waiter_matcher gone[] = {
		{ WAITER_MATCH_ERROR, NULL, "ResourceNotFoundException",
		    WAITER_SUCCESS, NULL },
	};
	struct ops_fixture *f = *state;
	struct waiter_config c = fast(10, 5000, 5);
	struct run r;

	/* An error no matcher expects ends the wait with that error. */
	start(f, &r, "w-gone", &c);
	assert_true(ops_run_until(f, &r.done));
	assert_false(r.ok);
	assert_string_equal(r.err.code, "ResourceNotFoundException");
	assert_int_equal(r.progress, 0);

	/* A matcher on the error code (a delete's "gone" is success). */
	c.matchers = gone;
	c.n_matchers = 1;
	start(f, &r, "w-gone", &c);
	assert_true(ops_run_until(f, &r.done));
	assert_true(r.ok);

	/* An answer that is not JSON ends it too. */
	c = fast(10, 5000, 5);
	start(f, &r, "w-junk", &c);
	assert_true(ops_run_until(f, &r.done));
	assert_false(r.ok);
	assert_int_equal(r.progress, 0);
}

static void
test_cancel(void **state)
{
	struct ops_fixture *f = *state;
	struct waiter_config c = fast(20, 5000, 50);
	struct run r;
	int before;

	/* Before the first poll: nothing is ever sent. */
	start(f, &r, "w-stuck", &c);
	waiter_cancel(r.w);
	ops_run_for(f, 200);
	assert_int_equal(r.progress + r.done, 0);
	assert_int_equal(ops_requests(f, "/functions/w-stuck/configuration"), 0);

	/* From inside the progress callback. */
	start(f, &r, "w-stuck", &c);
	r.cancel_at = 2;
	ops_run_for(f, 400);
	assert_int_equal(r.progress, 2);
	assert_int_equal(r.done, 0);
	assert_int_equal(ops_requests(f, "/functions/w-stuck/configuration"), 2);

	/* While a poll is in flight (answered after 1 s): never read. */
	start(f, &r, "w-slow", &c);
	for (before = 0; before < 500 &&
	    ops_requests(f, "/functions/w-slow/configuration") == 0; before++)
		ops_run_for(f, 5);
	assert_int_equal(ops_requests(f, "/functions/w-slow/configuration"), 1);
	waiter_cancel(r.w);
	ops_run_for(f, 1500);
	assert_int_equal(r.progress + r.done, 0);
	waiter_cancel(NULL);
}

/* The matchers against the faithful fake: a settled function, a missing one. */
static void
test_fakeaws(void **state)
{
	struct ops_fixture *f = *state;
	struct run r;

	memset(&r, 0, sizeof r);
	r.w = lambda_wait_updated(f->aws.loop, f->env,
	    "datalake-alpha-mambu-to-s3-raw", on_progress, on_done, &r);
	assert_true(ops_run_until(f, &r.done));
	assert_true(r.ok);
	/* Settled at the first answer: nothing was reported as in progress. */
	assert_int_equal(r.progress, 0);

	memset(&r, 0, sizeof r);
	r.w = lambda_wait_updated(f->aws.loop, f->env, "datalake-alpha-nope",
	    on_progress, on_done, &r);
	assert_true(ops_run_until(f, &r.done));
	assert_false(r.ok);
	assert_string_equal(r.err.code, "ResourceNotFoundException");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_success, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_default_config, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_failure_with_reason,
		    ops_setup, ops_teardown),
		cmocka_unit_test_setup_teardown(test_attempt_cap, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_time_cap, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_errors, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_cancel, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_fakeaws, ops_setup_fakeaws,
		    ops_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
