/*
 * Unit tests for src/lambda-layer.c: ListLayers parsed and paged over
 * tests/fakeaws; and GetLayerVersion (lambda-write.h's, parsed and
 * targeted in test-lambda-write) against fakeaws as dlc diff calls it:
 * the seed's newest aws-wrangler version and a version that is not there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "aws-op.h"
#include "lambda-layer.h"
#include "lambda-write.h"
#include "paginate.h"
#include "data/ops/fixture.h"

struct got {
	int	 done, ok;
	long	 status;
	struct dlc_err err;
	char	 sha[64];
	long	 version;
};

/*
 * fakeaws logs a request after it has answered it: wait for the line
 * (a condition, not a fixed time) before counting.
 */
static int
requests_logged(struct ops_fixture *f, const char *needle, int want)
{
	int i, n = 0;

	for (i = 0; i < 250 && (n = ops_requests(f, needle)) < want; i++)
		ops_run_for(f, 20);
	return n;
}

static void
on_version(struct aws_reply *reply, struct lambda_layer_detail *v, void *arg)
{
	struct got *g = arg;

	g->done++;
	g->ok = reply->ok;
	g->status = reply->resp->status;
	g->err = reply->err;
	if (v != NULL) {
		snprintf(g->sha, sizeof g->sha, "%s", v->code_sha256);
		g->version = v->version;
	}
}

static void
test_fakeaws(void **state)
{
	struct ops_fixture *f = *state;
	struct lambda_layer_version_args a = { "datalake-alpha-aws-wrangler", 3 };
	struct got g;

	memset(&g, 0, sizeof g);
	lambda_get_layer_version(f->env, &a, on_version, &g);
	assert_true(ops_run_until(f, &g.done));
	assert_int_equal(g.ok, 0);
	assert_int_equal(g.version, 3);
	assert_string_equal(g.sha, "x5hr1f8HNONQCEEwbMlop2YsdvBTVuVwb70xj/lGoCc=");
	memset(&g, 0, sizeof g);
	a.version = 99;
	lambda_get_layer_version(f->env, &a, on_version, &g);
	assert_true(ops_run_until(f, &g.done));
	assert_int_equal(g.ok, -1);
	assert_int_equal(g.status, 404);
	assert_string_equal(g.err.code, "ResourceNotFoundException");
	assert_int_equal(requests_logged(f, "/2018-10-31/layers/datalake-alpha-aws-wrangler/versions/3", 1), 1);
}

static void
test_parse_list(void **state)
{
	static const char body[] = "{\"NextMarker\": \"m2\", \"Layers\": [{\"LayerName\": \"a\","
	    "\"LayerArn\": \"arn:aws:lambda:eu-west-1:1:layer:a\", \"LatestMatchingVersion\":"
	    "{\"Version\": 4, \"LayerVersionArn\": \"arn:aws:lambda:eu-west-1:1:layer:a:4\"}},"
	    "{\"LayerName\": \"b\"}]}";
	struct lambda_layers_page p;
	struct dlc_err err;
	char *t;

	(void)state;
	assert_int_equal(lambda_parse_list_layers(body, strlen(body), &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.layers[0].layer_name, "a");
	assert_int_equal(p.layers[0].latest_version, 4);
	assert_int_equal(p.layers[1].latest_version, 0);
	assert_string_equal(p.next_marker, "m2");
	lambda_layers_page_clear(&p);
	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_layers("{\"Layers\": [1]}", 15, &p, &err), -1);
	assert_non_null(strstr(err.message, "Layers[0]"));
	t = lambda_list_layers_target("a b");
	assert_string_equal(t, "/2018-10-31/layers?Marker=a%20b");
	free(t);
}

struct pages {
	int	 done, pages;
	enum paginate_status status;
	char	 names[512];
};

static void
on_layers_page(struct aws_reply *reply, struct lambda_layers_page *p, void *arg)
{
	struct pages *g = arg;
	size_t i, len;

	(void)reply;
	g->pages++;
	for (i = 0; i < p->n; i++) {
		len = strlen(g->names);
		snprintf(g->names + len, sizeof g->names - len, "%s:%ld ",
		    p->layers[i].layer_name, p->layers[i].latest_version);
	}
}

static void
on_layers_done(enum paginate_status status, struct dlc_err *err, void *arg)
{
	struct pages *g = arg;

	(void)err;
	g->status = status;
	g->done = 1;
}

static void
test_list_fakeaws(void **state)
{
	struct ops_fixture *f = *state;
	struct pages g;

	memset(&g, 0, sizeof g);
	paginate_start(f->env, &lambda_op_list_layers, NULL, 0,
	    (aws_op_fn)on_layers_page, on_layers_done, &g);
	assert_true(ops_run_until(f, &g.done));
	assert_int_equal(g.status, PAGINATE_DONE);
	assert_non_null(strstr(g.names, "datalake-alpha-aws-wrangler:3 "));
	assert_non_null(strstr(g.names, "datalake-alpha-flattenjson:"));
	assert_int_equal(requests_logged(f, "\"/2018-10-31/layers\"", 1), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fakeaws, ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test_setup_teardown(test_list_fakeaws, ops_setup_fakeaws, ops_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
