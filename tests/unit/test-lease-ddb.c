/*
 * Unit tests for src/lease-ddb.c, the team lease's store over DynamoDB,
 * against tests/unit/data/ops/stub-ddb.py: the exact requests it sends
 * (every attribute through a placeholder, ALL_OLD on a failed condition,
 * a consistent read) and its outcomes (the item that won a failed
 * condition, an ambiguous 500, a definite 400).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lease-store.h"
#include "data/ops/fixture.h"

struct got {
	int			 done;
	enum lease_store_outcome outcome;
	char			 owner[64], rvn[64], code[128];
	int			 had_rec;
};

static void
on_result(struct lease_store_result *res, void *arg)
{
	struct got *g = arg;

	g->done++;
	g->outcome = res->outcome;
	g->had_rec = res->rec != NULL;
	snprintf(g->code, sizeof g->code, "%s", res->err.code);
	if (res->rec != NULL) {
		snprintf(g->owner, sizeof g->owner, "%s", res->rec->owner);
		snprintf(g->rvn, sizeof g->rvn, "%s", res->rec->rvn);
	}
}

static int
setup(void **state)
{
	return ops_setup_script(state, 0, "tests/unit/data/ops/stub-ddb.py",
	    NULL);
}

static void
run(struct ops_fixture *f, struct got *g)
{
	assert_true(ops_run_until(f, &g->done));
	assert_int_equal(g->done, 1);
}

static void
test_requests(void **state)
{
	struct ops_fixture *f = *state;
	void *ok = lease_ddb_new(f->env, "ok", 3000);
	struct lease_rec r;
	struct got g;

	memset(&r, 0, sizeof r);
	r.key = "special#alpha";
	r.owner = "ann@pc1";
	r.rvn = "r1";
	r.lease_ms = 2000;
	r.ttl = 100;
	memset(&g, 0, sizeof g);
	lease_ddb_ops.put(ok, &r, NULL, on_result, &g);
	run(f, &g);
	assert_int_equal(g.outcome, LEASE_STORE_OK);
	assert_int_equal(ops_requests(f, "PutItem application/x-amz-json-1.0 "
	    "{\"TableName\":\"ok\",\"Item\":{\"key\":{\"S\":\"special#alpha\"},"
	    "\"owner\":{\"S\":\"ann@pc1\"},\"rvn\":{\"S\":\"r1\"},\"lease_ms\":"
	    "{\"N\":\"2000\"},\"ttl\":{\"N\":\"100\"}},\"ConditionExpression\":"
	    "\"attribute_not_exists(#k)\",\"ExpressionAttributeNames\":{\"#k\":"
	    "\"key\"},\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}"), 1);
	memset(&g, 0, sizeof g);
	lease_ddb_ops.renew(ok, "special#alpha", "r1", "r2", 200, 2000,
	    on_result, &g);
	run(f, &g);
	assert_int_equal(g.outcome, LEASE_STORE_OK);
	assert_int_equal(ops_requests(f, "UpdateItem application/x-amz-json-1.0 "
	    "{\"TableName\":\"ok\",\"Key\":{\"key\":{\"S\":\"special#alpha\"}},"
	    "\"UpdateExpression\":\"SET #r = :n, #t = :t, #l = :l\","
	    "\"ConditionExpression\":\"#r = :o\",\"ExpressionAttributeNames\":"
	    "{\"#r\":\"rvn\",\"#t\":\"ttl\",\"#l\":\"lease_ms\"},"
	    "\"ExpressionAttributeValues\":{\":o\":{\"S\":\"r1\"},\":n\":{\"S\":"
	    "\"r2\"},\":t\":{\"N\":\"200\"},\":l\":{\"N\":\"2000\"}},"
	    "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}"), 1);
	memset(&g, 0, sizeof g);
	lease_ddb_ops.del(ok, "special#alpha", "r2", "r3", on_result, &g);
	run(f, &g);
	assert_int_equal(ops_requests(f, "\"ConditionExpression\":\"#r = :a OR "
	    "#r = :b\",\"ExpressionAttributeNames\":{\"#r\":\"rvn\"},"
	    "\"ExpressionAttributeValues\":{\":a\":{\"S\":\"r2\"},\":b\":{\"S\":"
	    "\"r3\"}}"), 1);
	memset(&g, 0, sizeof g);
	lease_ddb_ops.get(ok, "special#alpha", on_result, &g);
	run(f, &g);
	assert_int_equal(g.outcome, LEASE_STORE_OK);
	assert_string_equal(g.owner, "ann@pc1");
	assert_int_equal(ops_requests(f, "\"ConsistentRead\":true"), 1);
	lease_ddb_free(ok);
}

static void
test_outcomes(void **state)
{
	struct ops_fixture *f = *state;
	void *cond = lease_ddb_new(f->env, "cond", 3000),
	    *e500 = lease_ddb_new(f->env, "e500", 3000),
	    *e400 = lease_ddb_new(f->env, "e400", 3000),
	    *empty = lease_ddb_new(f->env, "empty", 3000);
	struct got g;
	void *op;

	memset(&g, 0, sizeof g);
	lease_ddb_ops.renew(cond, "special#alpha", "r1", "r2", 1, 2000,
	    on_result, &g);
	run(f, &g);
	assert_int_equal(g.outcome, LEASE_STORE_CONFLICT);
	assert_string_equal(g.rvn, "r-old");
	memset(&g, 0, sizeof g);
	lease_ddb_ops.del(e500, "special#alpha", "r1", NULL, on_result, &g);
	run(f, &g);
	assert_int_equal(g.outcome, LEASE_STORE_AMBIGUOUS);
	memset(&g, 0, sizeof g);
	lease_ddb_ops.del(e400, "special#alpha", "r1", NULL, on_result, &g);
	run(f, &g);
	assert_int_equal(g.outcome, LEASE_STORE_FAILED);
	assert_string_equal(g.code, "ValidationException");
	memset(&g, 0, sizeof g);
	lease_ddb_ops.get(empty, "special#alpha", on_result, &g);
	run(f, &g);
	assert_int_equal(g.outcome, LEASE_STORE_OK);
	assert_false(g.had_rec);
	/* Cancelled: never called back (and freed, under LeakSanitizer). */
	memset(&g, 0, sizeof g);
	op = lease_ddb_ops.get(empty, "special#alpha", on_result, &g);
	lease_ddb_ops.cancel(empty, op);
	ops_run_for(f, 200);
	assert_int_equal(g.done, 0);
	lease_ddb_free(cond);
	lease_ddb_free(e500);
	lease_ddb_free(e400);
	lease_ddb_free(empty);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_requests, setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_outcomes, setup,
		    ops_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
