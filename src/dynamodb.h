/*
 * DynamoDB (json 1.0, X-Amz-Target DynamoDB_20120810.<Op>): the item
 * operations a lease lock needs (GetItem, PutItem, UpdateItem,
 * DeleteItem with a condition, and Scan for `dlc lock ls`), with items as
 * cJSON AttributeValue maps ({"key": {"S": "x"}, "n": {"N": "3"}}).
 *
 * What a lock needs from a write is not only "failed" but how: a
 * condition that did not hold (definite, with the item that won when AWS
 * sends it), a failure that certainly did not apply (a 4xx, no
 * credentials), or an ambiguous one (a 5xx after the retries, a dropped
 * connection or timeout: the write may or may not have happened), which a
 * lock must resolve by reading the item again.
 */
#ifndef DLC_DYNAMODB_H
#define DLC_DYNAMODB_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "err.h"

struct aws_env;
struct aws_call;

enum dynamodb_outcome {
	DYNAMODB_OK = 0,
	/* ConditionalCheckFailedException: not applied by this attempt. After
	 * a retry (attempts > 1) an earlier attempt of the same call may be
	 * what made the condition fail: compare the item. */
	DYNAMODB_CONDITION_FAILED,
	DYNAMODB_AMBIGUOUS,	/* may or may not have been applied */
	DYNAMODB_FAILED		/* certainly not applied */
};

/* One request's members; NULL / 0 members are left out of the body. */
struct dynamodb_req {
	const char	*table;
	const cJSON	*key;		/* Get, Update, Delete */
	const cJSON	*item;		/* Put */
	const char	*update;	/* UpdateExpression */
	const char	*condition;	/* ConditionExpression */
	const cJSON	*names;		/* ExpressionAttributeNames {"#k": "key"} */
	const cJSON	*values;	/* ExpressionAttributeValues {":v": {"S": ..}} */
	int		 consistent;	/* Get, Scan: ConsistentRead */
	/* Writes: ask for the item that made the condition fail
	 * (ReturnValuesOnConditionCheckFailure = ALL_OLD). */
	int		 old_on_fail;
	/* Per attempt, connecting and a silent read (0: the defaults): a lease
	 * renewal must not hang longer than it can afford. */
	long		 timeout_ms;
};

struct dynamodb_result {
	enum dynamodb_outcome outcome;
	/* GetItem's Item (NULL: no such item); the winning item of a failed
	 * condition (NULL when AWS sent none). The callback may take it
	 * (and set the member NULL). */
	cJSON		*item;
	cJSON		*items;		/* Scan: the page's items (an array) */
	char		*next;		/* Scan: next page's token, or NULL */
	int		 attempts;
	struct dlc_err	 err;		/* when outcome != DYNAMODB_OK */
};

typedef void (*dynamodb_cb)(struct dynamodb_result *res, void *arg);

/*
 * Each sends one operation; cb runs exactly once from the loop (unless
 * the call is cancelled with aws_call_cancel) with the result, which is
 * freed after it returns. req is read only during the call.
 */
struct aws_call *dynamodb_get_item(struct aws_env *env,
	    const struct dynamodb_req *req, dynamodb_cb cb, void *arg);
struct aws_call *dynamodb_put_item(struct aws_env *env,
	    const struct dynamodb_req *req, dynamodb_cb cb, void *arg);
struct aws_call *dynamodb_update_item(struct aws_env *env,
	    const struct dynamodb_req *req, dynamodb_cb cb, void *arg);
struct aws_call *dynamodb_delete_item(struct aws_env *env,
	    const struct dynamodb_req *req, dynamodb_cb cb, void *arg);
/* One page; token NULL for the first, else the previous result's next. */
struct aws_call *dynamodb_scan(struct aws_env *env,
	    const struct dynamodb_req *req, const char *token, dynamodb_cb cb,
	    void *arg);

/* ---- the pure parts, for the tests ---- */

/* The request body of op ("PutItem", ...). Allocated. */
char	*dynamodb_body(const char *op, const struct dynamodb_req *req,
	    const char *token);
/*
 * How a failed call ended, from its final error: http_status (0: no
 * answer), its code and how many attempts it took.
 */
enum dynamodb_outcome dynamodb_classify(int http_status, const char *code,
	    int attempts);
/*
 * A ConditionalCheckFailedException body's Item (allocated), or NULL
 * when it has none or does not parse.
 */
cJSON	*dynamodb_error_item(const char *body, size_t len);

/* Building and reading AttributeValue maps. */
void	 dynamodb_put_s(cJSON *map, const char *name, const char *s);
void	 dynamodb_put_n(cJSON *map, const char *name, long long n);
/* The S (or N) value of map[name], or NULL. Points into map. */
const char *dynamodb_get_s(const cJSON *map, const char *name);
const char *dynamodb_get_n(const cJSON *map, const char *name);

#endif
