/*
 * Unit tests for src/lambda-invoke.c: the answer's parts read into the
 * result (function error, error JSON, log tail decoded byte for byte,
 * executed version, a body that is not JSON), the request target, and
 * over real HTTP against tests/unit/data/invoke/stub-invoke.py: the
 * request's method, path, headers and body; a function error is a call
 * that worked; AWS's errors come through; and with three attempts allowed
 * a 5xx or a read timeout is NOT tried again (it may have run the
 * function) while throttling is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "aws-op.h"
#include "lambda-invoke.h"
#include "data/ops/fixture.h"

struct got {
	int		 done;
	int		 ok;
	long		 status;
	int		 attempts;
	struct dlc_err	 err;
	struct lambda_invoke_result r;
};

/* Three attempts allowed: what the once rule must hold back. */
static int
setup(void **state)
{
	return ops_setup_script(state, 0, "tests/unit/data/invoke/stub-invoke.py",
	    "max_attempts = 3\n");
}

static void
on_invoke(struct aws_reply *reply, struct lambda_invoke_result *out, void *arg)
{
	struct got *g = arg;

	g->done++;
	g->ok = reply->ok;
	g->status = reply->resp->status;
	g->attempts = reply->resp->attempts;
	g->err = reply->err;
	assert_true((reply->ok == 0) == (out != NULL));
	if (out != NULL) {
		/* Taking the result over: the layer must not free it again. */
		g->r = *out;
		memset(out, 0, sizeof *out);
	}
}

static void
run(struct ops_fixture *f, const char *fn, const char *payload, long read_ms,
    struct got *g)
{
	struct lambda_invoke_args a;

	memset(g, 0, sizeof *g);
	memset(&a, 0, sizeof a);
	a.function = fn;
	a.payload = payload;
	a.payload_len = payload != NULL ? strlen(payload) : 0;
	a.read_timeout_ms = read_ms;
	assert_non_null(lambda_invoke(f->env, &a, on_invoke, g));
	assert_int_equal(g->done, 0);
	assert_true(ops_run_until(f, &g->done));
	/* The callback runs once: nothing more comes. */
	ops_run_for(f, 20);
	assert_int_equal(g->done, 1);
}

static void
test_parse_function_error(void **state)
{
	static const char body[] = "{\"errorMessage\": \"boom\", \"errorType\": "
	    "\"ValueError\", \"stackTrace\": [\"  File a.py\\n\", 7, \"  line 2\\n\"]}";
	struct lambda_invoke_result r;

	(void)state;
	lambda_invoke_parse(200, "Unhandled", "aGk=", "$LATEST", body,
	    strlen(body), &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.function_error, "Unhandled");
	assert_string_equal(r.executed_version, "$LATEST");
	assert_string_equal(r.error_type, "ValueError");
	assert_string_equal(r.error_message, "boom");
	/* A line that is not a string is skipped, not fatal. */
	assert_int_equal(r.n_stack_trace, 2);
	assert_string_equal(r.stack_trace[1], "  line 2\n");
	assert_int_equal(r.log_tail_len, 2);
	assert_memory_equal(r.log_tail, "hi", 2);
	assert_int_equal(r.payload_len, strlen(body));
	lambda_invoke_result_clear(&r);
	assert_null(r.payload);
	lambda_invoke_result_clear(&r);
}

static void
test_parse_plain(void **state)
{
	struct lambda_invoke_result r;

	(void)state;
	/* No function error: the body is the response, not an error to read. */
	lambda_invoke_parse(200, NULL, NULL, NULL,
	    "{\"errorType\": \"x\"}", 18, &r);
	assert_null(r.function_error);
	assert_null(r.error_type);
	assert_null(r.log_tail);
	assert_int_equal(r.log_tail_bad, 0);
	lambda_invoke_result_clear(&r);
	/* An error that is not JSON, bytes with a NUL, a log that is not base64. */
	lambda_invoke_parse(200, "Handled", "@@@", NULL, "a\0b", 3, &r);
	assert_string_equal(r.function_error, "Handled");
	assert_null(r.error_type);
	assert_int_equal(r.payload_len, 3);
	assert_memory_equal(r.payload, "a\0b", 4);
	assert_int_equal(r.log_tail_bad, 1);
	assert_null(r.log_tail);
	lambda_invoke_result_clear(&r);
}

static void
test_target(void **state)
{
	char *t;

	(void)state;
	t = lambda_invoke_target("datalake-alpha-x", NULL);
	assert_string_equal(t, "/2015-03-31/functions/datalake-alpha-x/invocations");
	free(t);
	t = lambda_invoke_target("arn:aws:lambda:eu-west-1:1:function:f", "live 1");
	assert_string_equal(t, "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1"
	    "%3A1%3Afunction%3Af/invocations?Qualifier=live%201");
	free(t);
}

static void
test_invoke_ok(void **state)
{
	static const unsigned char log[] = "START RequestId: 1f0e Version: $LATEST\n"
	    "evil \x1b[31mred\x1b]0;title\x07 \xc2\x9b c1 \xff\xfe bad\n"
	    "END RequestId: 1f0e\n";
	struct ops_fixture *f = *state;
	struct got g;

	run(f, "ok", "{\"n\": 1}", 0, &g);
	assert_int_equal(g.ok, 0);
	assert_int_equal(g.r.status, 200);
	assert_null(g.r.function_error);
	assert_string_equal(g.r.payload, "{\"echo\": {\"n\": 1}}");
	assert_string_equal(g.r.executed_version, "$LATEST");
	/* The tail decoded byte for byte: showing it safely is the caller's job. */
	assert_int_equal(g.r.log_tail_len, sizeof log - 1);
	assert_memory_equal(g.r.log_tail, log, sizeof log - 1);
	lambda_invoke_result_clear(&g.r);
	assert_int_equal(ops_requests(f, "POST /2015-03-31/functions/ok/invocations "
	    "Tail RequestResponse {\"n\": 1}\n"), 1);
	/* No payload: {} as the CLI sends. */
	run(f, "ok", NULL, 0, &g);
	assert_string_equal(g.r.payload, "{\"echo\": {}}");
	lambda_invoke_result_clear(&g.r);
}

static void
test_invoke_function_error(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	run(f, "boom", "{}", 0, &g);
	assert_int_equal(g.ok, 0);
	assert_string_equal(g.r.function_error, "Unhandled");
	assert_string_equal(g.r.error_type, "ZeroDivisionError");
	assert_string_equal(g.r.error_message, "division by zero");
	assert_int_equal(g.r.n_stack_trace, 2);
	assert_string_equal(g.r.stack_trace[1], "    return 1 / 0\n");
	lambda_invoke_result_clear(&g.r);
	run(f, "badlog", "{}", 0, &g);
	assert_int_equal(g.ok, 0);
	assert_int_equal(g.r.log_tail_bad, 1);
	assert_string_equal(g.r.payload, "null");
	lambda_invoke_result_clear(&g.r);
}

static void
test_invoke_not_found(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	run(f, "gone", "{}", 0, &g);
	assert_int_equal(g.ok, -1);
	assert_int_equal(g.status, 404);
	assert_string_equal(g.err.code, "ResourceNotFoundException");
	assert_non_null(strstr(g.err.message, "gone"));
}

static void
test_invoke_not_repeated(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	/* A 5xx may come after the function ran: never a second run. */
	run(f, "broken", "{}", 0, &g);
	assert_int_equal(g.ok, -1);
	assert_int_equal(g.status, 500);
	assert_int_equal(g.attempts, 1);
	/* Nor after a read timeout (the function may still be running). */
	run(f, "slow", "{}", 500, &g);
	assert_int_equal(g.ok, -1);
	assert_int_equal(g.attempts, 1);
	assert_int_equal(ops_requests(f, "functions/broken/invocations"), 1);
	assert_int_equal(ops_requests(f, "functions/slow/invocations"), 1);
}

static void
test_invoke_throttle_retried(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	/* Throttled: Lambda refused before running anything, so again is safe. */
	run(f, "throttled", "{}", 0, &g);
	assert_int_equal(g.ok, 0);
	assert_int_equal(g.attempts, 2);
	assert_string_equal(g.r.payload, "{\"echo\": {}}");
	lambda_invoke_result_clear(&g.r);
	assert_int_equal(ops_requests(f, "functions/throttled/invocations"), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_function_error),
		cmocka_unit_test(test_parse_plain),
		cmocka_unit_test(test_target),
		cmocka_unit_test_setup_teardown(test_invoke_ok, setup, ops_teardown),
		cmocka_unit_test_setup_teardown(test_invoke_function_error, setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_invoke_not_found, setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_invoke_not_repeated, setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_invoke_throttle_retried,
		    setup, ops_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
