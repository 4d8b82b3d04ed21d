/*
 * The team lease: one special deploy to an environment at a time across
 * every member of the team, through one item per lock key in a DynamoDB
 * table (dlc.ini's lock-table), after amazon-dynamodb-lock-client and
 * against what Terraform's state lock lacks (a dead holder needing a
 * manual force-unlock):
 *
 * - taken with a conditional put: the item is absent, or its record
 *   version (rvn) is one this waiter has seen unchanged for a whole lease
 *   by ITS OWN monotonic clock (no machine trusts another's clock; wall
 *   time only goes into "since", for display, and the TTL);
 * - renewed at least every third of the lease with a new rvn, conditional
 *   on the old: the rvn is the fencing token, and a holder whose token is
 *   stale has its writes refused;
 * - an ambiguous write (a 5xx, a dropped connection) is resolved by
 *   reading the item again before the lock is declared lost or taken;
 * - lease_valid_ms() is what is left of the lease by the holder's own
 *   clock since its last confirmed renewal (counted from when that
 *   renewal was SENT), so a push stops before a step it cannot finish;
 * - released with a delete conditional on the rvn; an abandoned item
 *   carries a TTL of a day, and is taken over after a lease anyway.
 *
 * The state machine runs over a store (lease-store.h) and an injected
 * clock and timer, so tests/unit/test-lease.c drives it in memory.
 */
#ifndef DLC_LEASE_H
#define DLC_LEASE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "err.h"
#include "lease-store.h"

struct loop;
struct aws_env;
struct lease;

#define LEASE_DEFAULT_MS	20000
#define LEASE_MIN_MS		1000
#define LEASE_TTL_S		86400	/* abandoned items: AWS deletes them lazily */

struct lease_config {
	const char	*table;		/* lease_acquire only */
	const char	*key;		/* "special#alpha": lease_key() */
	const char	*owner;		/* "ann@pc1"; NULL: USER@hostname */
	const char	*function, *env, *commit, *job;	/* may be NULL */
	long long	 lease_ms;	/* 0: LEASE_DEFAULT_MS; below the minimum: the minimum */
};

enum lease_event {
	LEASE_ACQUIRED,		/* held: lease_token() is the fencing token */
	LEASE_WAITING,		/* another holds it, or its holder changed: lease_holder() */
	LEASE_LOST,		/* held no more (taken over, deleted, not renewed in time) */
	LEASE_ERROR		/* a definite failure (no table, access denied): lease_error() */
};

/*
 * Runs from the loop. It may call lease_release, and lease_free (the
 * lease is then freed once the callback returns).
 */
typedef void (*lease_cb)(struct lease *lease, enum lease_event ev, void *arg);
/* err NULL: released (or nothing was held); else why the item was left to expire. */
typedef void (*lease_done_cb)(struct lease *lease, const struct dlc_err *err,
	    void *arg);

/*
 * Starts taking the lock key in cfg->table through env (borrowed, outlives
 * the lease). Events follow until lease_free; ACQUIRED at most once.
 */
struct lease *lease_acquire(struct loop *loop, struct aws_env *env,
	    const struct lease_config *cfg, lease_cb cb, void *arg);

/* ---- the same over an injected store and clock (the tests) ---- */

struct lease_clock {
	uint64_t (*now_ms)(void *arg);		/* monotonic */
	time_t	 (*wall)(void *arg);		/* epoch seconds: since, TTL */
	/* Arms the lease's one timer to call lease_fire after ms (-1: disarm). */
	void	 (*arm)(void *arg, struct lease *lease, long ms);
	void	 *arg;
};

struct lease *lease_start(const struct lease_store_ops *ops, void *store,
	    const struct lease_clock *clock, const struct lease_config *cfg,
	    lease_cb cb, void *arg);
/* The armed timer went off. */
void	lease_fire(struct lease *lease);

/* ---- state ---- */

/* ms of the lease left by this holder's clock; 0 when not held. */
long long lease_valid_ms(const struct lease *lease);
/*
 * What a step checks before it acts (the queue's gate): 0 when the lease
 * is held with at least need_ms of it left by this holder's clock, else
 * -1 with err (LeaseLost, or LeaseRunningOut: stop before the step
 * rather than act on a lease that may pass to another midway).
 */
int	lease_check(const struct lease *lease, long long need_ms,
	    struct dlc_err *err);
/* The fencing token (the rvn held now), or NULL when not held. */
const char *lease_token(const struct lease *lease);
int	lease_held(const struct lease *lease);
/* The holder this waiter watches (NULL when none / held by us). Untrusted text. */
const struct lease_rec *lease_holder(const struct lease *lease);
/*
 * How long this waiter may still have to wait if the holder stopped
 * renewing now: the holder's lease minus how long this waiter has seen
 * its version unchanged. 0 when there is no holder.
 */
long long lease_holder_left_ms(const struct lease *lease);
/* The last definite failure (LEASE_ERROR), or why it was LOST. */
const struct dlc_err *lease_error(const struct lease *lease);

/*
 * "special deploy of X to alpha by U@H since 14:02 (lease 12 s left)"
 * (local time) into buf; the holder's fields are untrusted: sanitise
 * before a terminal. Empty when there is no holder.
 */
void	lease_waiting_text(const struct lease *lease, char *buf, size_t len);
/* The same for a record and a time left (dlc lock ls). */
void	lease_rec_text(const struct lease_rec *rec, long long left_ms,
	    char *buf, size_t len);
/* This process's USER@hostname, as a holder is named. Allocated. */
char	*lease_owner(void);
/* "special#alpha". Allocated. */
char	*lease_key(const char *env);

/*
 * Stops renewing or waiting and deletes the item if it is still ours
 * (conditional on the rvn, and on the one of a write still unresolved).
 * done runs once, from the loop. No event follows.
 */
void	lease_release(struct lease *lease, lease_done_cb done, void *arg);
/* Cancels everything without deleting (the item expires). NULL: no-op. */
void	lease_free(struct lease *lease);

#endif
