/*
 * Unit tests for src/aws-op.c against tests/unit/data/ops/stub-ops.py over
 * real HTTP: a typed operation sends its own request and hands its
 * callback the parsed result, a 2xx answer that does not parse is a bad
 * answer naming the operation and environment, a failed call keeps AWS's
 * error and status, a page token reaches the request, and a call
 * cancelled in flight never calls back (and, under LeakSanitizer, frees
 * what the layer allocated for it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "aws-op.h"
#include "lambda.h"
#include "data/ops/fixture.h"

struct got {
	int		 done;
	int		 ok, bad_answer;
	long		 status;
	int		 had_out;
	char		 name[64], status_text[64];
	struct dlc_err	 err;
	size_t		 n;
	char		 next[16];
};

static void
on_config(struct aws_reply *reply, struct lambda_function *fn, void *arg)
{
	struct got *g = arg;

	g->done++;
	g->ok = reply->ok;
	g->bad_answer = reply->bad_answer;
	g->status = reply->resp->status;
	g->err = reply->err;
	g->had_out = fn != NULL;
	assert_true((reply->ok == 0) == (fn != NULL));
	if (fn != NULL) {
		snprintf(g->name, sizeof g->name, "%s", fn->function_name);
		snprintf(g->status_text, sizeof g->status_text, "%s",
		    fn->last_update_status);
		/* Members may be taken over: the layer must not free them again. */
		free(fn->function_name);
		fn->function_name = NULL;
	}
}

static void
on_layers(struct aws_reply *reply, struct lambda_layer_versions_page *page,
    void *arg)
{
	struct got *g = arg;

	g->done++;
	g->ok = reply->ok;
	assert_non_null(page);
	g->n = page->n;
	snprintf(g->next, sizeof g->next, "%s",
	    page->next_marker != NULL ? page->next_marker : "");
}

static void
test_typed_result(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	memset(&g, 0, sizeof g);
	assert_non_null(lambda_get_function_configuration(f->env, "w-ok",
	    on_config, &g));
	/* Nothing runs inside the call: the loop starts it. */
	assert_int_equal(g.done, 0);
	assert_true(ops_run_until(f, &g.done));
	assert_int_equal(g.ok, 0);
	assert_int_equal(g.status, 200);
	assert_string_equal(g.name, "w-ok");
	assert_string_equal(g.status_text, "InProgress");
	assert_int_equal(ops_requests(f,
	    "GET /2015-03-31/functions/w-ok/configuration"), 1);
	ops_run_for(f, 50);
	assert_int_equal(g.done, 1);
}

static void
test_token_reaches_request(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	memset(&g, 0, sizeof g);
	lambda_list_layer_versions(f->env, "normal", "p2", on_layers, &g);
	assert_true(ops_run_until(f, &g.done));
	assert_int_equal(g.ok, 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.next, "p3");
	assert_int_equal(ops_requests(f,
	    "GET /2018-10-31/layers/normal/versions?Marker=p2"), 1);
}

static void
test_bad_answer(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	memset(&g, 0, sizeof g);
	lambda_get_function_configuration(f->env, "w-junk", on_config, &g);
	assert_true(ops_run_until(f, &g.done));
	assert_int_equal(g.ok, -1);
	assert_int_equal(g.bad_answer, 1);
	assert_int_equal(g.status, 200);
	assert_false(g.had_out);
	assert_string_equal(g.err.what, "GetFunctionConfiguration (stub)");
	assert_true(g.err.message[0] != '\0');
}

static void
test_call_failed(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	memset(&g, 0, sizeof g);
	lambda_get_function_configuration(f->env, "w-gone", on_config, &g);
	assert_true(ops_run_until(f, &g.done));
	assert_int_equal(g.ok, -1);
	assert_int_equal(g.bad_answer, 0);
	assert_int_equal(g.status, 404);
	assert_string_equal(g.err.code, "ResourceNotFoundException");
	assert_int_equal(g.err.http_status, 404);
	assert_non_null(strstr(g.err.message, "w-gone"));
}

static void
test_cancel(void **state)
{
	struct ops_fixture *f = *state;
	struct aws_call *call;
	struct got g;
	int i;

	/* Before it is sent. */
	memset(&g, 0, sizeof g);
	call = lambda_get_function_configuration(f->env, "w-ok", on_config, &g);
	aws_call_cancel(call);
	ops_run_for(f, 200);
	assert_int_equal(g.done, 0);

	/* In flight (answered after 1 s). */
	call = lambda_get_function_configuration(f->env, "w-slow", on_config,
	    &g);
	for (i = 0; i < 500 &&
	    ops_requests(f, "/functions/w-slow/configuration") == 0; i++)
		ops_run_for(f, 5);
	assert_int_equal(ops_requests(f, "/functions/w-slow/configuration"), 1);
	aws_call_cancel(call);
	ops_run_for(f, 1500);
	assert_int_equal(g.done, 0);
	assert_int_equal(ops_requests(f, "w-ok"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_typed_result, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_token_reaches_request,
		    ops_setup, ops_teardown),
		cmocka_unit_test_setup_teardown(test_bad_answer, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_call_failed, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_cancel, ops_setup,
		    ops_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
