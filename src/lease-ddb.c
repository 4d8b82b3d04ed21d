/*
 * The team lease's store over DynamoDB (see lease-store.h): a table whose
 * partition key is the string attribute "key", one item per lock. Every
 * attribute goes through an ExpressionAttributeNames placeholder, since
 * KEY, TTL and OWNER are DynamoDB reserved words.
 */
#include "lease-store.h"

#include <stdlib.h>
#include <string.h>

#include "aws.h"
#include "dynamodb.h"
#include "xmalloc.h"

static char *
lease_rec_str(const cJSON *item, const char *name)
{
	const char *s = dynamodb_get_s(item, name);

	return s != NULL ? xstrdup(s) : NULL;
}

static long long
lease_rec_num(const cJSON *item, const char *name)
{
	const char *s = dynamodb_get_n(item, name);
	char *end;
	long long v;

	if (s == NULL)
		return 0;
	v = strtoll(s, &end, 10);
	return *end == '\0' && end != s ? v : 0;
}

struct lease_rec *
lease_rec_dup(const struct lease_rec *rec)
{
	struct lease_rec *r;

	if (rec == NULL)
		return NULL;
	r = xcalloc(1, sizeof *r);
	*r = *rec;
#define DUP(m) r->m = rec->m != NULL ? xstrdup(rec->m) : NULL
	DUP(key); DUP(owner); DUP(function); DUP(env); DUP(commit); DUP(job);
	DUP(since); DUP(rvn);
#undef DUP
	return r;
}

void
lease_rec_free(struct lease_rec *rec)
{
	if (rec == NULL)
		return;
	free(rec->key);
	free(rec->owner);
	free(rec->function);
	free(rec->env);
	free(rec->commit);
	free(rec->job);
	free(rec->since);
	free(rec->rvn);
	free(rec);
}

struct lease_rec *
lease_rec_from_item(const cJSON *item)
{
	struct lease_rec *r;

	if (item == NULL || dynamodb_get_s(item, "key") == NULL)
		return NULL;
	r = xcalloc(1, sizeof *r);
	r->key = lease_rec_str(item, "key");
	r->owner = lease_rec_str(item, "owner");
	r->function = lease_rec_str(item, "function");
	r->env = lease_rec_str(item, "env");
	r->commit = lease_rec_str(item, "commit");
	r->job = lease_rec_str(item, "job");
	r->since = lease_rec_str(item, "since");
	r->rvn = lease_rec_str(item, "rvn");
	r->lease_ms = lease_rec_num(item, "lease_ms");
	r->ttl = lease_rec_num(item, "ttl");
	return r;
}

cJSON *
lease_rec_to_item(const struct lease_rec *rec)
{
	cJSON *item = cJSON_CreateObject();
	const struct {
		const char	*name;
		const char	*value;
	} s[] = {
		{ "key", rec->key }, { "owner", rec->owner },
		{ "function", rec->function }, { "env", rec->env },
		{ "commit", rec->commit }, { "job", rec->job },
		{ "since", rec->since }, { "rvn", rec->rvn },
	};
	size_t i;

	if (item == NULL)
		fatal("out of memory building a lock item");
	/* DynamoDB refuses an empty string in a key only: leave absent ones out. */
	for (i = 0; i < sizeof s / sizeof s[0]; i++)
		if (s[i].value != NULL)
			dynamodb_put_s(item, s[i].name, s[i].value);
	dynamodb_put_n(item, "lease_ms", rec->lease_ms);
	dynamodb_put_n(item, "ttl", rec->ttl);
	return item;
}

struct lease_ddb {
	struct aws_env	*env;
	char		*table;
	long		 timeout_ms;
};

struct lease_ddb_op {
	struct aws_call	*call;
	lease_store_cb	 cb;
	void		*arg;
};

void *
lease_ddb_new(struct aws_env *env, const char *table, long timeout_ms)
{
	struct lease_ddb *d = xcalloc(1, sizeof *d);

	d->env = env;
	d->table = xstrdup(table);
	d->timeout_ms = timeout_ms;
	return d;
}

void
lease_ddb_free(void *store)
{
	struct lease_ddb *d = store;

	if (d == NULL)
		return;
	free(d->table);
	free(d);
}

static void
lease_ddb_done(struct dynamodb_result *res, void *arg)
{
	struct lease_ddb_op *op = arg;
	struct lease_store_result out;

	memset(&out, 0, sizeof out);
	out.err = res->err;
	switch (res->outcome) {
	case DYNAMODB_OK:
		out.outcome = LEASE_STORE_OK;
		break;
	case DYNAMODB_CONDITION_FAILED:
		out.outcome = LEASE_STORE_CONFLICT;
		break;
	case DYNAMODB_AMBIGUOUS:
		out.outcome = LEASE_STORE_AMBIGUOUS;
		break;
	default:
		out.outcome = LEASE_STORE_FAILED;
		break;
	}
	/* GetItem's item, or the one that won a failed condition (ALL_OLD). */
	if (out.outcome == LEASE_STORE_OK || out.outcome == LEASE_STORE_CONFLICT)
		out.rec = lease_rec_from_item(res->item);
	op->cb(&out, op->arg);
	lease_rec_free(out.rec);
	free(op);
}

typedef struct aws_call *(*lease_ddb_send_fn)(struct aws_env *,
    const struct dynamodb_req *, dynamodb_cb, void *);

/* One request being built: what it allocates is freed once it is sent. */
struct lease_ddb_build {
	struct dynamodb_req	 r;
	cJSON			*key, *item, *names, *values;
};

/* The members every operation shares: the key, ALL_OLD, the timeout. */
static void
lease_ddb_build(struct lease_ddb *d, struct lease_ddb_build *b,
    const char *key)
{
	memset(b, 0, sizeof *b);
	b->r.table = d->table;
	b->r.timeout_ms = d->timeout_ms;
	b->r.old_on_fail = 1;
	b->names = cJSON_CreateObject();
	b->values = cJSON_CreateObject();
	if (b->names == NULL || b->values == NULL)
		fatal("out of memory building a lock request");
	if (key != NULL) {
		if ((b->key = cJSON_CreateObject()) == NULL)
			fatal("out of memory building a lock request");
		dynamodb_put_s(b->key, "key", key);
		b->r.key = b->key;
	}
}

static void
lease_ddb_name(struct lease_ddb_build *b, const char *ph, const char *name)
{
	if (cJSON_AddStringToObject(b->names, ph, name) == NULL)
		fatal("out of memory building a lock request");
}

static void *
lease_ddb_send(struct lease_ddb *d, struct lease_ddb_build *b,
    lease_ddb_send_fn send, lease_store_cb cb, void *arg)
{
	struct lease_ddb_op *op = xcalloc(1, sizeof *op);

	op->cb = cb;
	op->arg = arg;
	if (b->names->child != NULL)
		b->r.names = b->names;
	if (b->values->child != NULL)
		b->r.values = b->values;
	op->call = send(d->env, &b->r, lease_ddb_done, op);
	cJSON_Delete(b->key);
	cJSON_Delete(b->item);
	cJSON_Delete(b->names);
	cJSON_Delete(b->values);
	return op;
}

static void *
lease_ddb_get(void *store, const char *key, lease_store_cb cb, void *arg)
{
	struct lease_ddb_build b;

	lease_ddb_build(store, &b, key);
	b.r.old_on_fail = 0;
	b.r.consistent = 1;
	return lease_ddb_send(store, &b, dynamodb_get_item, cb, arg);
}

static void *
lease_ddb_put(void *store, const struct lease_rec *rec, const char *expect_rvn,
    lease_store_cb cb, void *arg)
{
	struct lease_ddb_build b;

	lease_ddb_build(store, &b, NULL);
	b.r.item = b.item = lease_rec_to_item(rec);
	if (expect_rvn == NULL) {
		lease_ddb_name(&b, "#k", "key");
		b.r.condition = "attribute_not_exists(#k)";
	} else {
		lease_ddb_name(&b, "#r", "rvn");
		dynamodb_put_s(b.values, ":r", expect_rvn);
		b.r.condition = "#r = :r";
	}
	return lease_ddb_send(store, &b, dynamodb_put_item, cb, arg);
}

static void *
lease_ddb_renew(void *store, const char *key, const char *old_rvn,
    const char *new_rvn, long long ttl, long long lease_ms, lease_store_cb cb,
    void *arg)
{
	struct lease_ddb_build b;

	lease_ddb_build(store, &b, key);
	lease_ddb_name(&b, "#r", "rvn");
	lease_ddb_name(&b, "#t", "ttl");
	lease_ddb_name(&b, "#l", "lease_ms");
	dynamodb_put_s(b.values, ":o", old_rvn);
	dynamodb_put_s(b.values, ":n", new_rvn);
	dynamodb_put_n(b.values, ":t", ttl);
	dynamodb_put_n(b.values, ":l", lease_ms);
	b.r.update = "SET #r = :n, #t = :t, #l = :l";
	b.r.condition = "#r = :o";
	return lease_ddb_send(store, &b, dynamodb_update_item, cb, arg);
}

static void *
lease_ddb_del(void *store, const char *key, const char *rvn, const char *rvn2,
    lease_store_cb cb, void *arg)
{
	struct lease_ddb_build b;

	lease_ddb_build(store, &b, key);
	lease_ddb_name(&b, "#r", "rvn");
	dynamodb_put_s(b.values, ":a", rvn);
	b.r.condition = "#r = :a";
	if (rvn2 != NULL) {
		dynamodb_put_s(b.values, ":b", rvn2);
		b.r.condition = "#r = :a OR #r = :b";
	}
	return lease_ddb_send(store, &b, dynamodb_delete_item, cb, arg);
}

static void
lease_ddb_cancel(void *store, void *handle)
{
	struct lease_ddb_op *op = handle;

	(void)store;
	if (op == NULL)
		return;
	aws_call_cancel(op->call);
	free(op);
}

const struct lease_store_ops lease_ddb_ops = {
	lease_ddb_get, lease_ddb_put, lease_ddb_renew, lease_ddb_del,
	lease_ddb_cancel,
};
