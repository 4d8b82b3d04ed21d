/*
 * Unit tests for src/dynamodb.c: the request bodies (what a lock sends),
 * how a failed call is classified (a failed condition, a definite failure,
 * an ambiguous one that may have applied), the item a failed condition
 * carries, and real round trips against tests/unit/data/ops/stub-ddb.py
 * (ConditionalCheckFailed with and without ALL_OLD, a 500, a 400, a
 * dropped connection, a body that is not JSON, Scan's pages).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "dynamodb.h"
#include "xmalloc.h"
#include "data/ops/fixture.h"

static void
test_body_put(void **state)
{
	struct dynamodb_req r;
	cJSON *item = cJSON_CreateObject(), *names = cJSON_CreateObject(),
	    *values = cJSON_CreateObject();
	char *body;

	(void)state;
	dynamodb_put_s(item, "key", "special#alpha");
	dynamodb_put_n(item, "ttl", 1790000000);
	cJSON_AddStringToObject(names, "#k", "key");
	dynamodb_put_s(values, ":v", "r1");
	memset(&r, 0, sizeof r);
	r.table = "locks";
	r.item = item;
	r.condition = "attribute_not_exists(#k) OR rvn = :v";
	r.names = names;
	r.values = values;
	r.old_on_fail = 1;
	body = dynamodb_body("PutItem", &r, NULL);
	assert_string_equal(body, "{\"TableName\":\"locks\",\"Item\":{\"key\":"
	    "{\"S\":\"special#alpha\"},\"ttl\":{\"N\":\"1790000000\"}},"
	    "\"ConditionExpression\":\"attribute_not_exists(#k) OR rvn = :v\","
	    "\"ExpressionAttributeNames\":{\"#k\":\"key\"},"
	    "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"r1\"}},"
	    "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}");
	free(body);
	/* No condition: nothing to return on its failure (AWS refuses it). */
	r.condition = NULL;
	r.names = r.values = NULL;
	body = dynamodb_body("PutItem", &r, NULL);
	assert_null(strstr(body, "ReturnValuesOnConditionCheckFailure"));
	free(body);
	cJSON_Delete(item);
	cJSON_Delete(names);
	cJSON_Delete(values);
}

static void
test_body_get_update_scan(void **state)
{
	struct dynamodb_req r;
	cJSON *key = cJSON_CreateObject();
	char *body;

	(void)state;
	dynamodb_put_s(key, "key", "k");
	memset(&r, 0, sizeof r);
	r.table = "locks";
	r.key = key;
	r.consistent = 1;
	body = dynamodb_body("GetItem", &r, NULL);
	assert_string_equal(body, "{\"TableName\":\"locks\",\"Key\":{\"key\":"
	    "{\"S\":\"k\"}},\"ConsistentRead\":true}");
	free(body);
	r.consistent = 0;
	r.update = "SET rvn = :n";
	body = dynamodb_body("UpdateItem", &r, NULL);
	assert_string_equal(body, "{\"TableName\":\"locks\",\"Key\":{\"key\":"
	    "{\"S\":\"k\"}},\"UpdateExpression\":\"SET rvn = :n\"}");
	free(body);
	memset(&r, 0, sizeof r);
	r.table = "locks";
	body = dynamodb_body("Scan", &r, "{\"key\":{\"S\":\"k\"}}");
	assert_string_equal(body, "{\"TableName\":\"locks\","
	    "\"ExclusiveStartKey\":{\"key\":{\"S\":\"k\"}}}");
	free(body);
	cJSON_Delete(key);
}

static void
test_classify(void **state)
{
	(void)state;
	assert_int_equal(dynamodb_classify(400,
	    "ConditionalCheckFailedException", 1), DYNAMODB_CONDITION_FAILED);
	assert_int_equal(dynamodb_classify(400,
	    "ConditionalCheckFailedException", 3), DYNAMODB_CONDITION_FAILED);
	assert_int_equal(dynamodb_classify(400, "ValidationException", 1),
	    DYNAMODB_FAILED);
	assert_int_equal(dynamodb_classify(400, "ThrottlingException", 1),
	    DYNAMODB_FAILED);
	/* Refused before anything was sent. */
	assert_int_equal(dynamodb_classify(0, "NoCredentials", 1),
	    DYNAMODB_FAILED);
	assert_int_equal(dynamodb_classify(500, "InternalServerError", 1),
	    DYNAMODB_AMBIGUOUS);
	assert_int_equal(dynamodb_classify(503, "", 1), DYNAMODB_AMBIGUOUS);
	/* A broken connection or a timeout. */
	assert_int_equal(dynamodb_classify(0, "", 1), DYNAMODB_AMBIGUOUS);
	/* A 4xx after a retried 5xx: the first attempt may have applied. */
	assert_int_equal(dynamodb_classify(400, "ThrottlingException", 2),
	    DYNAMODB_AMBIGUOUS);
}

static void
test_error_item(void **state)
{
	static const char with[] = "{\"__type\":\"com.amazonaws.dynamodb."
	    "v20120810#ConditionalCheckFailedException\",\"message\":\"The "
	    "conditional request failed\",\"Item\":{\"rvn\":{\"S\":\"r9\"}}}";
	static const char without[] = "{\"__type\":\"x#"
	    "ConditionalCheckFailedException\",\"message\":\"m\"}";
	cJSON *item;

	(void)state;
	item = dynamodb_error_item(with, strlen(with));
	assert_non_null(item);
	assert_string_equal(dynamodb_get_s(item, "rvn"), "r9");
	assert_null(dynamodb_get_n(item, "rvn"));
	assert_null(dynamodb_get_s(item, "nope"));
	cJSON_Delete(item);
	assert_null(dynamodb_error_item(without, strlen(without)));
	assert_null(dynamodb_error_item("<html>", 6));
	assert_null(dynamodb_error_item(NULL, 0));
}

/* ---- round trips ---- */

struct got {
	int			 done;
	enum dynamodb_outcome	 outcome;
	int			 attempts;
	char			 owner[64], rvn[64], code[128];
	int			 had_item, n_items;
	char			*next;
};

static void
on_result(struct dynamodb_result *res, void *arg)
{
	struct got *g = arg;
	const char *s;

	g->done++;
	g->outcome = res->outcome;
	g->attempts = res->attempts;
	g->had_item = res->item != NULL;
	snprintf(g->code, sizeof g->code, "%s", res->err.code);
	if ((s = dynamodb_get_s(res->item, "owner")) != NULL)
		snprintf(g->owner, sizeof g->owner, "%s", s);
	if ((s = dynamodb_get_s(res->item, "rvn")) != NULL)
		snprintf(g->rvn, sizeof g->rvn, "%s", s);
	g->n_items = res->items != NULL ? cJSON_GetArraySize(res->items) : -1;
	free(g->next);
	g->next = res->next != NULL ? xstrdup(res->next) : NULL;
	/* The item may be taken over. */
	if (res->item != NULL) {
		cJSON_Delete(res->item);
		res->item = NULL;
	}
}

typedef struct aws_call *(*ddb_op)(struct aws_env *,
    const struct dynamodb_req *, dynamodb_cb, void *);

static void
call(struct ops_fixture *f, ddb_op op, const char *table, int old_on_fail,
    struct got *g)
{
	struct dynamodb_req r;
	cJSON *key = cJSON_CreateObject(), *values = cJSON_CreateObject();

	memset(g, 0, sizeof *g);
	dynamodb_put_s(key, "key", "special#alpha");
	dynamodb_put_s(values, ":v", "r-mine");
	memset(&r, 0, sizeof r);
	r.table = table;
	r.key = key;
	r.item = op == dynamodb_put_item ? key : NULL;
	r.consistent = op == dynamodb_get_item;
	if (op != dynamodb_get_item) {
		r.condition = "rvn = :v";
		r.values = values;
		r.old_on_fail = old_on_fail;
	}
	if (op == dynamodb_update_item)
		r.update = "SET rvn = :v";
	r.timeout_ms = 3000;
	assert_non_null(op(f->env, &r, on_result, g));
	cJSON_Delete(key);
	cJSON_Delete(values);
	assert_true(ops_run_until(f, &g->done));
	assert_int_equal(g->done, 1);
}

static int
setup(void **state)
{
	return ops_setup_script(state, 0, "tests/unit/data/ops/stub-ddb.py",
	    NULL);
}

static void
test_get(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	call(f, dynamodb_get_item, "ok", 0, &g);
	assert_int_equal(g.outcome, DYNAMODB_OK);
	assert_string_equal(g.owner, "ann@pc1");
	/* The wire: json 1.0, the target, a consistent read. */
	assert_int_equal(ops_requests(f, "GetItem application/x-amz-json-1.0 "
	    "{\"TableName\":\"ok\",\"Key\":{\"key\":{\"S\":\"special#alpha\"}},"
	    "\"ConsistentRead\":true}"), 1);
	call(f, dynamodb_get_item, "empty", 0, &g);
	assert_int_equal(g.outcome, DYNAMODB_OK);
	assert_false(g.had_item);
	/* A read whose answer does not parse failed, certainly. */
	call(f, dynamodb_get_item, "junk", 0, &g);
	assert_int_equal(g.outcome, DYNAMODB_FAILED);
}

static void
test_writes(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	call(f, dynamodb_put_item, "ok", 1, &g);
	assert_int_equal(g.outcome, DYNAMODB_OK);
	call(f, dynamodb_update_item, "ok", 1, &g);
	assert_int_equal(g.outcome, DYNAMODB_OK);
	call(f, dynamodb_delete_item, "ok", 1, &g);
	assert_int_equal(g.outcome, DYNAMODB_OK);
	assert_int_equal(ops_requests(f, "DeleteItem application/x-amz-json-1.0 "
	    "{\"TableName\":\"ok\",\"Key\":{\"key\":{\"S\":\"special#alpha\"}},"
	    "\"ConditionExpression\":\"rvn = :v\",\"ExpressionAttributeValues\":"
	    "{\":v\":{\"S\":\"r-mine\"}},\"ReturnValuesOnConditionCheckFailure\":"
	    "\"ALL_OLD\"}"), 1);
	/* A write answered 2xx happened, whatever its body says. */
	call(f, dynamodb_put_item, "junk", 1, &g);
	assert_int_equal(g.outcome, DYNAMODB_OK);
}

static void
test_condition_failed(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	call(f, dynamodb_put_item, "cond", 1, &g);
	assert_int_equal(g.outcome, DYNAMODB_CONDITION_FAILED);
	assert_string_equal(g.code, "ConditionalCheckFailedException");
	assert_string_equal(g.rvn, "r-old");
	assert_string_equal(g.owner, "ann@pc1");
	call(f, dynamodb_delete_item, "cond", 0, &g);
	assert_int_equal(g.outcome, DYNAMODB_CONDITION_FAILED);
	assert_false(g.had_item);
}

static void
test_failures(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	call(f, dynamodb_update_item, "e400", 1, &g);
	assert_int_equal(g.outcome, DYNAMODB_FAILED);
	assert_string_equal(g.code, "ValidationException");
	call(f, dynamodb_update_item, "e500", 1, &g);
	assert_int_equal(g.outcome, DYNAMODB_AMBIGUOUS);
	call(f, dynamodb_put_item, "drop", 1, &g);
	assert_int_equal(g.outcome, DYNAMODB_AMBIGUOUS);
}

/* With retries: a 5xx is tried again, and still ambiguous in the end. */
static int
setup_retries(void **state)
{
	return ops_setup_script(state, 0, "tests/unit/data/ops/stub-ddb.py",
	    "max_attempts = 2\n");
}

static void
test_retried_500(void **state)
{
	struct ops_fixture *f = *state;
	struct got g;

	call(f, dynamodb_put_item, "e500", 1, &g);
	assert_int_equal(g.outcome, DYNAMODB_AMBIGUOUS);
	assert_int_equal(g.attempts, 2);
	call(f, dynamodb_put_item, "e400", 1, &g);
	assert_int_equal(g.outcome, DYNAMODB_FAILED);
	assert_int_equal(g.attempts, 1);
}

static void
test_scan_pages(void **state)
{
	struct ops_fixture *f = *state;
	struct dynamodb_req r;
	struct got g;
	char *token;

	memset(&r, 0, sizeof r);
	r.table = "scan";
	memset(&g, 0, sizeof g);
	assert_non_null(dynamodb_scan(f->env, &r, NULL, on_result, &g));
	assert_true(ops_run_until(f, &g.done));
	assert_int_equal(g.outcome, DYNAMODB_OK);
	assert_int_equal(g.n_items, 1);
	assert_non_null(g.next);
	token = g.next;
	memset(&g, 0, sizeof g);
	assert_non_null(dynamodb_scan(f->env, &r, token, on_result, &g));
	free(token);
	assert_true(ops_run_until(f, &g.done));
	assert_int_equal(g.n_items, 1);
	assert_null(g.next);
	assert_int_equal(ops_requests(f, "\"ExclusiveStartKey\":{\"key\":"
	    "{\"S\":\"special#alpha\"}}"), 1);
}

int
main(void)
{
	(void)ops_run_for;	/* the fixture's, unused here */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body_put),
		cmocka_unit_test(test_body_get_update_scan),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_error_item),
		cmocka_unit_test_setup_teardown(test_get, setup, ops_teardown),
		cmocka_unit_test_setup_teardown(test_writes, setup, ops_teardown),
		cmocka_unit_test_setup_teardown(test_condition_failed, setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_failures, setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_retried_500, setup_retries,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_scan_pages, setup,
		    ops_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
