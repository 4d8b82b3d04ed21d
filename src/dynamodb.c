/* DynamoDB (json 1.0): item operations and their outcomes (see dynamodb.h). */
#include "dynamodb.h"
#include "aws-op.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "proto-json.h"
#include "xmalloc.h"

static void
dynamodb_add(cJSON *o, const char *name, const cJSON *v)
{
	cJSON *copy;

	if (v == NULL)
		return;
	copy = cJSON_Duplicate(v, 1);
	if (copy == NULL || !cJSON_AddItemToObject(o, name, copy))
		fatal("out of memory building a DynamoDB request");
}

static void
dynamodb_add_str(cJSON *o, const char *name, const char *s)
{
	if (s != NULL && cJSON_AddStringToObject(o, name, s) == NULL)
		fatal("out of memory building a DynamoDB request");
}

char *
dynamodb_body(const char *op, const struct dynamodb_req *req,
    const char *token)
{
	cJSON *o = cJSON_CreateObject();
	char *body;

	if (o == NULL)
		fatal("out of memory building a DynamoDB request");
	dynamodb_add_str(o, "TableName", req->table);
	dynamodb_add(o, "Key", req->key);
	dynamodb_add(o, "Item", req->item);
	dynamodb_add_str(o, "UpdateExpression", req->update);
	dynamodb_add_str(o, "ConditionExpression", req->condition);
	dynamodb_add(o, "ExpressionAttributeNames", req->names);
	dynamodb_add(o, "ExpressionAttributeValues", req->values);
	if (req->consistent && cJSON_AddTrueToObject(o, "ConsistentRead") ==
	    NULL)
		fatal("out of memory building a DynamoDB request");
	if (req->old_on_fail && req->condition != NULL)
		dynamodb_add_str(o, "ReturnValuesOnConditionCheckFailure",
		    "ALL_OLD");
	if (strcmp(op, "Scan") == 0 && token != NULL && token[0] != '\0') {
		cJSON *start = cJSON_Parse(token);

		/* The token is our own print of LastEvaluatedKey. */
		if (start != NULL && !cJSON_AddItemToObject(o,
		    "ExclusiveStartKey", start))
			fatal("out of memory building a DynamoDB request");
	}
	body = jsonout_print(o, 0);
	cJSON_Delete(o);
	return body;
}

enum dynamodb_outcome
dynamodb_classify(int http_status, const char *code, int attempts)
{
	if (code != NULL && strcmp(code, "ConditionalCheckFailedException") ==
	    0)
		return DYNAMODB_CONDITION_FAILED;
	/*
	 * Only a retryable failure is retried, and it may have reached
	 * DynamoDB (a 5xx, a timeout): after one, whatever the last attempt
	 * said, an earlier attempt may have applied the write.
	 */
	if (attempts > 1)
		return DYNAMODB_AMBIGUOUS;
	if (http_status >= 500)
		return DYNAMODB_AMBIGUOUS;
	/* No answer and no code of ours: the connection broke or timed out. */
	if (http_status == 0 && (code == NULL || code[0] == '\0'))
		return DYNAMODB_AMBIGUOUS;
	/* A 4xx, or refused before sending (no credentials). */
	return DYNAMODB_FAILED;
}

cJSON *
dynamodb_error_item(const char *body, size_t len)
{
	struct dlc_err err;
	cJSON *tree, *item;

	if (body == NULL || len == 0)
		return NULL;
	dlc_err_clear(&err);
	tree = proto_json_parse_object(body, len, "ConditionalCheck", &err);
	if (tree == NULL)
		return NULL;
	item = cJSON_DetachItemFromObjectCaseSensitive(tree, "Item");
	cJSON_Delete(tree);
	if (item != NULL && !cJSON_IsObject(item)) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

void
dynamodb_put_s(cJSON *map, const char *name, const char *s)
{
	cJSON *v = cJSON_CreateObject();

	if (v == NULL || cJSON_AddStringToObject(v, "S", s) == NULL ||
	    !cJSON_AddItemToObject(map, name, v))
		fatal("out of memory building a DynamoDB item");
}

void
dynamodb_put_n(cJSON *map, const char *name, long long n)
{
	char num[32];
	cJSON *v = cJSON_CreateObject();

	snprintf(num, sizeof num, "%lld", n);
	if (v == NULL || cJSON_AddStringToObject(v, "N", num) == NULL ||
	    !cJSON_AddItemToObject(map, name, v))
		fatal("out of memory building a DynamoDB item");
}

static const char *
dynamodb_get_typed(const cJSON *map, const char *name, const char *type)
{
	const cJSON *v, *s;

	if (map == NULL)
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(map, name);
	if (!cJSON_IsObject(v))
		return NULL;
	s = cJSON_GetObjectItemCaseSensitive(v, type);
	return cJSON_IsString(s) ? s->valuestring : NULL;
}

const char *
dynamodb_get_s(const cJSON *map, const char *name)
{
	return dynamodb_get_typed(map, name, "S");
}

const char *
dynamodb_get_n(const cJSON *map, const char *name)
{
	return dynamodb_get_typed(map, name, "N");
}

/* ---- operations ---- */

static void
dynamodb_clear(void *out)
{
	struct dynamodb_result *r = out;

	cJSON_Delete(r->item);
	cJSON_Delete(r->items);
	free(r->next);
	memset(r, 0, sizeof *r);
}

/* Takes member name of a parsed answer, when it is an object (or array). */
static int
dynamodb_take(cJSON *tree, const char *name, int array, cJSON **out,
    const char *op, struct dlc_err *err)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(tree, name);

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (array ? !cJSON_IsArray(v) : !cJSON_IsObject(v))
		return dlc_err_set(err, "MalformedResponse", "%s: %s is %s, "
		    "expected %s", op, name, proto_json_type_name(v),
		    array ? "an array" : "an object");
	*out = cJSON_DetachItemViaPointer(tree, v);
	return 0;
}

static int
dynamodb_parse_get(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	struct dynamodb_result *r = out;
	cJSON *tree = proto_json_parse_object(body, len, "GetItem", err);
	int rc;

	if (tree == NULL)
		return -1;
	rc = dynamodb_take(tree, "Item", 0, &r->item, "GetItem", err);
	cJSON_Delete(tree);
	return rc;
}

/* A write answered 2xx has happened: its Attributes are a bonus. */
static int
dynamodb_parse_write(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	struct dynamodb_result *r = out;
	struct dlc_err ignored;
	cJSON *tree;

	(void)err;
	dlc_err_clear(&ignored);
	tree = proto_json_parse_object(body, len, "write", &ignored);
	if (tree == NULL)
		return 0;
	(void)dynamodb_take(tree, "Attributes", 0, &r->item, "write",
	    &ignored);
	cJSON_Delete(tree);
	return 0;
}

static int
dynamodb_parse_scan(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	struct dynamodb_result *r = out;
	cJSON *tree = proto_json_parse_object(body, len, "Scan", err);
	cJSON *last = NULL;
	const cJSON *it;
	int rc;

	if (tree == NULL)
		return -1;
	rc = dynamodb_take(tree, "Items", 1, &r->items, "Scan", err);
	if (rc == 0)
		rc = dynamodb_take(tree, "LastEvaluatedKey", 0, &last, "Scan",
		    err);
	cJSON_Delete(tree);
	if (rc == 0 && r->items != NULL) {
		cJSON_ArrayForEach(it, r->items) {
			if (!cJSON_IsObject(it)) {
				rc = dlc_err_set(err, "MalformedResponse",
				    "Scan: an item is %s, expected an object",
				    proto_json_type_name(it));
				break;
			}
		}
	}
	if (rc == 0 && last != NULL && cJSON_GetArraySize(last) > 0)
		r->next = jsonout_print(last, 0);
	cJSON_Delete(last);
	if (rc == 0 && r->items == NULL &&
	    (r->items = cJSON_CreateArray()) == NULL)
		fatal("out of memory reading a Scan answer");
	return rc;
}

static const char *
dynamodb_next(const void *out)
{
	return ((const struct dynamodb_result *)out)->next;
}

static void
dynamodb_request(const char *op, const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	const struct dynamodb_req *r = args;

	req->body = owned[0] = dynamodb_body(op, r, token);
	req->connect_timeout_ms = r->timeout_ms;
	req->read_timeout_ms = r->timeout_ms;
}

#define DYNAMODB_REQUEST(fn, op)					\
static void								\
fn(const void *args, const char *token, struct aws_request *req,	\
    char **owned)							\
{									\
	dynamodb_request(op, args, token, req, owned);			\
}

DYNAMODB_REQUEST(dynamodb_get_req, "GetItem")
DYNAMODB_REQUEST(dynamodb_put_req, "PutItem")
DYNAMODB_REQUEST(dynamodb_update_req, "UpdateItem")
DYNAMODB_REQUEST(dynamodb_delete_req, "DeleteItem")
DYNAMODB_REQUEST(dynamodb_scan_req, "Scan")

/* Unused: dynamodb.c reads answers itself (aws_op_send_raw). */
static void
dynamodb_deliver(aws_op_fn cb, struct aws_reply *reply, void *out, void *arg)
{
	(void)cb;
	(void)reply;
	(void)out;
	(void)arg;
}

#define DYNAMODB_OP(var, name, req, parse, next)			\
static const struct aws_op var = {					\
	&aws_service_dynamodb, name, sizeof(struct dynamodb_result),	\
	req, parse, dynamodb_clear, dynamodb_deliver, next, 0,		\
};

DYNAMODB_OP(dynamodb_op_get, "GetItem", dynamodb_get_req, dynamodb_parse_get,
    NULL)
DYNAMODB_OP(dynamodb_op_put, "PutItem", dynamodb_put_req,
    dynamodb_parse_write, NULL)
DYNAMODB_OP(dynamodb_op_update, "UpdateItem", dynamodb_update_req,
    dynamodb_parse_write, NULL)
DYNAMODB_OP(dynamodb_op_delete, "DeleteItem", dynamodb_delete_req,
    dynamodb_parse_write, NULL)
DYNAMODB_OP(dynamodb_op_scan, "Scan", dynamodb_scan_req, dynamodb_parse_scan,
    dynamodb_next)

struct dynamodb_call {
	const struct aws_op	*op;
	struct aws_env		*env;
	dynamodb_cb		 cb;
	void			*arg;
};

static void
dynamodb_done(int ok, struct aws_response *resp, void *arg)
{
	struct dynamodb_call *c = arg;
	struct dynamodb_result res;
	struct aws_reply reply;

	if (aws_op_reply(c->op, c->env, ok, resp, &reply, &res) == 0) {
		res.outcome = DYNAMODB_OK;
	} else {
		/* aws_op_reply zeroed res; a bad read answer may have half-filled it. */
		dynamodb_clear(&res);
		res.err = reply.err;
		if (reply.bad_answer)
			res.outcome = DYNAMODB_FAILED;
		else
			res.outcome = dynamodb_classify(reply.err.http_status,
			    reply.err.code, resp->attempts);
		if (res.outcome == DYNAMODB_CONDITION_FAILED)
			res.item = dynamodb_error_item(resp->body.data,
			    resp->body.len);
	}
	res.attempts = resp->attempts;
	c->cb(&res, c->arg);
	dynamodb_clear(&res);
	free(c);
}

static void
dynamodb_cancelled(void *arg)
{
	free(arg);
}

static struct aws_call *
dynamodb_send(struct aws_env *env, const struct aws_op *op,
    const struct dynamodb_req *req, const char *token, dynamodb_cb cb,
    void *arg)
{
	struct dynamodb_call *c = xcalloc(1, sizeof *c);

	c->op = op;
	c->env = env;
	c->cb = cb;
	c->arg = arg;
	return aws_op_send_raw(env, op, req, token, dynamodb_done,
	    dynamodb_cancelled, c);
}

struct aws_call *
dynamodb_get_item(struct aws_env *env, const struct dynamodb_req *req,
    dynamodb_cb cb, void *arg)
{
	return dynamodb_send(env, &dynamodb_op_get, req, NULL, cb, arg);
}

struct aws_call *
dynamodb_put_item(struct aws_env *env, const struct dynamodb_req *req,
    dynamodb_cb cb, void *arg)
{
	return dynamodb_send(env, &dynamodb_op_put, req, NULL, cb, arg);
}

struct aws_call *
dynamodb_update_item(struct aws_env *env, const struct dynamodb_req *req,
    dynamodb_cb cb, void *arg)
{
	return dynamodb_send(env, &dynamodb_op_update, req, NULL, cb, arg);
}

struct aws_call *
dynamodb_delete_item(struct aws_env *env, const struct dynamodb_req *req,
    dynamodb_cb cb, void *arg)
{
	return dynamodb_send(env, &dynamodb_op_delete, req, NULL, cb, arg);
}

struct aws_call *
dynamodb_scan(struct aws_env *env, const struct dynamodb_req *req,
    const char *token, dynamodb_cb cb, void *arg)
{
	return dynamodb_send(env, &dynamodb_op_scan, req, token, cb, arg);
}
