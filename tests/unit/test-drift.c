/*
 * Unit tests for src/drift.c: the four code states (and unknown when no
 * local zip), runtime and handler against the manifest, layers compared
 * by name through the template and in order with their versions noted
 * (a newer or older version is not drift, another layer or order is), a
 * remote layer of no local folder named whole, and layers against their
 * newest version.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dlcconfig.h"
#include "drift.h"
#include "lambda.h"
#include "manifest.h"

#define ARN	"arn:aws:lambda:eu-west-1:111111111111:layer:"

static struct dlc_env env = { "alpha", NULL, NULL, "datalake-alpha-{function}",
	DEPLOY_ALLOW, NULL, NULL, 1, NULL, 0 };
static char *fn_layers[] = { "aws-wrangler", "flattenjson" };
static struct local_function locals[3];
static struct lambda_layer_ref refs[2];
static struct lambda_function remote;

static int
setup(void **state)
{
	(void)state;
	memset(locals, 0, sizeof locals);
	locals[0].name = locals[0].remote_base = "aws-wrangler";
	locals[0].is_layer = 1;
	locals[0].runtime = "python3.12";
	locals[1].name = locals[1].remote_base = "flattenjson";
	locals[1].is_layer = 1;
	locals[2].name = locals[2].remote_base = "mambu-to-s3-raw";
	locals[2].runtime = "python3.12";
	locals[2].handler = "lambda_function.lambda_handler";
	locals[2].layers = fn_layers;
	locals[2].n_layers = 2;
	memset(&remote, 0, sizeof remote);
	remote.function_name = "datalake-alpha-mambu-to-s3-raw";
	remote.runtime = "python3.12";
	remote.handler = "lambda_function.lambda_handler";
	remote.code_sha256 = "AAAA=";
	refs[0].arn = ARN "datalake-alpha-aws-wrangler:3";
	refs[1].arn = ARN "datalake-alpha-flattenjson:2";
	remote.layers = refs;
	remote.n_layers = 2;
	return 0;
}

static void
compare(const char *local_sha, const struct lambda_function *r, struct drift_row *row)
{
	drift_compare_function(&env, locals, 3, &locals[2], local_sha, r, row);
}

static void
test_in_sync(void **state)
{
	struct drift_row row;

	(void)state;
	compare("AAAA=", &remote, &row);
	assert_int_equal(row.state, DRIFT_IN_SYNC);
	assert_int_equal(row.n_items, 0);
	assert_false(drift_row_differs(&row));
	assert_string_equal(row.local_name, "mambu-to-s3-raw");
	assert_string_equal(row.remote_name, "datalake-alpha-mambu-to-s3-raw");
	/* Versions noted in local terms, not compared. */
	assert_string_equal(row.layers, "aws-wrangler:3 flattenjson:2");
	assert_string_equal(drift_state_name(row.state), "in sync");
	drift_row_clear(&row);
	assert_null(row.local_name);
	drift_row_clear(&row);
}

static void
test_code_states(void **state)
{
	struct drift_row row;

	(void)state;
	compare("BBBB=", &remote, &row);
	assert_int_equal(row.state, DRIFT_LOCAL_CHANGES);
	assert_true(drift_row_differs(&row));
	assert_string_equal(row.local_sha, "BBBB=");
	assert_string_equal(row.remote_sha, "AAAA=");
	drift_row_clear(&row);
	compare(NULL, &remote, &row);
	assert_int_equal(row.state, DRIFT_UNKNOWN);
	assert_true(drift_row_differs(&row));
	drift_row_clear(&row);
	compare("AAAA=", NULL, &row);
	assert_int_equal(row.state, DRIFT_NOT_DEPLOYED);
	assert_string_equal(row.remote_name, "datalake-alpha-mambu-to-s3-raw");
	assert_null(row.remote_sha);
	assert_string_equal(drift_state_name(row.state), "not deployed");
	drift_row_clear(&row);
	drift_compare_function(&env, locals, 3, NULL, NULL, &remote, &row);
	assert_int_equal(row.state, DRIFT_REMOTE_ONLY);
	assert_null(row.local_name);
	assert_string_equal(row.remote_sha, "AAAA=");
	assert_string_equal(drift_state_name(row.state), "remote only");
	drift_row_clear(&row);
}

static void
test_runtime_handler(void **state)
{
	struct drift_row row;

	(void)state;
	remote.runtime = "python3.11";
	remote.handler = "app.handler";
	compare("AAAA=", &remote, &row);
	/* The code is in sync, the configuration is not: it differs. */
	assert_int_equal(row.state, DRIFT_IN_SYNC);
	assert_true(drift_row_differs(&row));
	assert_int_equal(row.n_items, 2);
	assert_string_equal(row.items[0].field, "Runtime");
	assert_string_equal(row.items[0].local, "python3.12");
	assert_string_equal(row.items[0].remote, "python3.11");
	assert_string_equal(row.items[1].field, "Handler");
	assert_string_equal(row.items[1].remote, "app.handler");
	drift_row_clear(&row);
	/* A missing remote value is drift too, shown as "-". */
	remote.handler = NULL;
	remote.runtime = "python3.12";
	compare("AAAA=", &remote, &row);
	assert_int_equal(row.n_items, 1);
	assert_string_equal(row.items[0].remote, "-");
	drift_row_clear(&row);
}

static void
test_layers(void **state)
{
	struct lambda_layer_ref swapped[2], other[3];
	struct drift_row row;

	(void)state;
	/* Another version of the same layers: noted, no drift. */
	refs[0].arn = ARN "datalake-alpha-aws-wrangler:1";
	compare("AAAA=", &remote, &row);
	assert_int_equal(row.n_items, 0);
	assert_string_equal(row.layers, "aws-wrangler:1 flattenjson:2");
	drift_row_clear(&row);
	/* The order decides which files win: another order is drift. */
	swapped[0] = refs[1];
	swapped[1] = refs[0];
	remote.layers = swapped;
	compare("AAAA=", &remote, &row);
	assert_int_equal(row.n_items, 1);
	assert_string_equal(row.items[0].field, "Layers");
	assert_string_equal(row.items[0].local, "aws-wrangler flattenjson");
	assert_string_equal(row.items[0].remote, "flattenjson:2 aws-wrangler:1");
	drift_row_clear(&row);
	/* One missing, one more from elsewhere (named whole), none at all. */
	other[0] = refs[0];
	other[1].arn = "arn:aws:lambda:eu-west-1:336392948345:layer:AWSSDKPandas-Python312:9";
	other[2].arn = ARN "datalake-sandbox-flattenjson:4";
	remote.layers = other;
	remote.n_layers = 3;
	compare("AAAA=", &remote, &row);
	assert_int_equal(row.n_items, 1);
	assert_string_equal(row.items[0].remote, "aws-wrangler:1 "
	    "AWSSDKPandas-Python312:9 datalake-sandbox-flattenjson:4");
	drift_row_clear(&row);
	remote.n_layers = 0;
	compare("AAAA=", &remote, &row);
	assert_int_equal(row.n_items, 1);
	assert_string_equal(row.items[0].remote, "(none)");
	assert_null(row.layers);
	drift_row_clear(&row);
	locals[2].n_layers = 0;
	compare("AAAA=", &remote, &row);
	assert_int_equal(row.n_items, 0);
	drift_row_clear(&row);
}

static void
test_layer_rows(void **state)
{
	static char *rt[] = { "python3.11", "python3.12" }, *old[] = { "python3.9", "python3.10" };
	struct drift_row row;

	(void)state;
	drift_compare_layer(&env, &locals[0], "LLLL=", "LLLL=", 3, rt, 2, &row);
	assert_int_equal(row.state, DRIFT_IN_SYNC);
	assert_true(row.is_layer);
	assert_int_equal(row.layer_version, 3);
	assert_string_equal(row.remote_name, "datalake-alpha-aws-wrangler");
	assert_false(drift_row_differs(&row));
	drift_row_clear(&row);
	drift_compare_layer(&env, &locals[0], "MMMM=", "LLLL=", 3, rt, 2, &row);
	assert_int_equal(row.state, DRIFT_LOCAL_CHANGES);
	drift_row_clear(&row);
	/* The manifest's runtime is not among the newest version's: drift. */
	drift_compare_layer(&env, &locals[0], "LLLL=", "LLLL=", 3, old, 2, &row);
	assert_int_equal(row.state, DRIFT_IN_SYNC);
	assert_true(drift_row_differs(&row));
	assert_int_equal(row.n_items, 1);
	assert_string_equal(row.items[0].field, "Runtime");
	assert_string_equal(row.items[0].local, "python3.12");
	assert_string_equal(row.items[0].remote, "python3.9 python3.10");
	drift_row_clear(&row);
	drift_compare_layer(&env, &locals[0], "LLLL=", "LLLL=", 3, NULL, 0, &row);
	assert_string_equal(row.items[0].remote, "(none)");
	drift_row_clear(&row);
	drift_compare_layer(&env, &locals[0], "MMMM=", NULL, 0, NULL, 0, &row);
	assert_int_equal(row.state, DRIFT_NOT_DEPLOYED);
	assert_int_equal(row.n_items, 0);
	drift_row_clear(&row);
	drift_remote_only_layer("datalake-alpha-old", "OOOO=", 5, &row);
	assert_int_equal(row.state, DRIFT_REMOTE_ONLY);
	assert_true(row.is_layer);
	assert_null(row.local_name);
	assert_string_equal(row.remote_name, "datalake-alpha-old");
	assert_string_equal(row.remote_sha, "OOOO=");
	assert_int_equal(row.layer_version, 5);
	assert_true(drift_row_differs(&row));
	drift_row_clear(&row);
	drift_compare_layer(&env, &locals[0], NULL, "LLLL=", 3, rt, 2, &row);
	assert_int_equal(row.state, DRIFT_UNKNOWN);
	assert_string_equal(drift_state_name(row.state), "unknown");
	drift_row_clear(&row);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_in_sync, setup),
		cmocka_unit_test_setup(test_code_states, setup),
		cmocka_unit_test_setup(test_runtime_handler, setup),
		cmocka_unit_test_setup(test_layers, setup),
		cmocka_unit_test_setup(test_layer_rows, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
