/*
 * Where the team lease's items live, behind four conditional operations,
 * so the lease's state machine (lease.c) runs the same over DynamoDB
 * (lease-ddb.c) and over the unit test's in-memory store. One item per
 * lock key; its record version (rvn) is the fencing token every
 * conditional write checks.
 */
#ifndef DLC_LEASE_STORE_H
#define DLC_LEASE_STORE_H

#include <cjson/cJSON.h>

#include "err.h"

struct aws_env;

/* One lock item. Every string may be NULL in an item read back. */
struct lease_rec {
	char		*key;		/* "special#alpha" */
	char		*owner;		/* "ann@pc1" */
	char		*function, *env, *commit, *job;
	char		*since;		/* holder's wall time, ISO 8601 UTC: display only */
	char		*rvn;		/* record version: random, new at every renewal */
	long long	 lease_ms;	/* as the holder counts it */
	long long	 ttl;		/* epoch seconds: AWS deletes abandoned items after */
};

struct lease_rec *lease_rec_dup(const struct lease_rec *rec);
void	lease_rec_free(struct lease_rec *rec);
/* From a DynamoDB AttributeValue map (NULL when it has no key). Allocated. */
struct lease_rec *lease_rec_from_item(const cJSON *item);
/* To one. Allocated. */
cJSON	*lease_rec_to_item(const struct lease_rec *rec);

enum lease_store_outcome {
	LEASE_STORE_OK = 0,
	LEASE_STORE_CONFLICT,	/* the condition did not hold: rec is the item now (NULL: none) */
	LEASE_STORE_AMBIGUOUS,	/* may or may not have been applied */
	LEASE_STORE_FAILED	/* certainly not applied */
};

struct lease_store_result {
	enum lease_store_outcome outcome;
	/* get: the item (NULL: none); conflict: the item that won (NULL:
	 * none). The callback may take it (and set the member NULL). */
	struct lease_rec	*rec;
	struct dlc_err		 err;
};

typedef void (*lease_store_cb)(struct lease_store_result *res, void *arg);

/*
 * Each starts one operation and returns a handle for cancel (never NULL);
 * cb runs exactly once, later (never inside the call), unless cancelled.
 */
struct lease_store_ops {
	/* A consistent read. */
	void	*(*get)(void *store, const char *key, lease_store_cb cb,
		    void *arg);
	/* Writes rec whole if the item is absent (expect_rvn NULL) or its
	 * rvn is expect_rvn. */
	void	*(*put)(void *store, const struct lease_rec *rec,
		    const char *expect_rvn, lease_store_cb cb, void *arg);
	/* Sets rvn = new_rvn, ttl and lease_ms if rvn is old_rvn. */
	void	*(*renew)(void *store, const char *key, const char *old_rvn,
		    const char *new_rvn, long long ttl, long long lease_ms,
		    lease_store_cb cb, void *arg);
	/* Deletes the item if its rvn is rvn or (when not NULL) rvn2. */
	void	*(*del)(void *store, const char *key, const char *rvn,
		    const char *rvn2, lease_store_cb cb, void *arg);
	void	 (*cancel)(void *store, void *handle);
};

/* ---- the DynamoDB store (lease-ddb.c) ---- */

extern const struct lease_store_ops lease_ddb_ops;

/*
 * A store over table in env (borrowed); each request gives up after
 * timeout_ms without progress (0: the defaults). Free with lease_ddb_free.
 */
void	*lease_ddb_new(struct aws_env *env, const char *table, long timeout_ms);
void	 lease_ddb_free(void *store);

#endif
