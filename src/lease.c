/* The team lease's state machine (see lease.h). */
#include "lease.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "loop.h"
#include "timeutil.h"
#include "whoami.h"
#include "xmalloc.h"

enum lease_state {
	LS_PUTTING,		/* a conditional put in flight (pending) */
	LS_RESOLVE_PUT,		/* reading after an ambiguous put */
	LS_WAITING,		/* another holds it: the timer polls */
	LS_POLLING,		/* a read in flight while waiting */
	LS_HELD,		/* the timer renews, or ends the lease */
	LS_RENEWING,		/* an update in flight (pending) */
	LS_RESOLVE_RENEW,	/* reading after an ambiguous renewal */
	LS_RELEASING,		/* a delete in flight */
	LS_RESOLVE_RELEASE,	/* reading after an ambiguous delete */
	LS_RELEASED,		/* released: done is due from the timer */
	LS_DONE			/* lost, failed or released: nothing more */
};

#define LEASE_RELEASE_TRIES	3

struct lease {
	const struct lease_store_ops *ops;
	void			*store;
	struct lease_clock	 clock;
	struct lease_rec	 mine;		/* the item this one writes */
	long long		 lease_ms;
	lease_cb		 cb;
	void			*arg;
	enum lease_state	 state;
	void			*op;		/* the store operation in flight */
	int			 held;
	char			*token;		/* the rvn last confirmed ours */
	char			*pending;	/* the rvn of a write not yet confirmed */
	uint64_t		 sent_ms;	/* when pending's write was sent */
	uint64_t		 confirmed_ms;	/* when token's write was sent */
	uint64_t		 next_ms;	/* held: when to renew next */
	struct lease_rec	*holder;	/* another's item, being watched */
	uint64_t		 seen_ms;	/* when holder's rvn was first seen */
	struct dlc_err		 err;
	lease_done_cb		 done;
	void			*done_arg;
	int			 release_tries;
	struct dlc_err		 release_err;
	int			 release_failed;
	int			 in_cb, freed;
	/* lease_acquire's own timer and store. */
	struct loop_timer	*timer;
	void			*ddb;
};

static void lease_put(struct lease *l, const char *expect);

static uint64_t
lease_now(const struct lease *l)
{
	return l->clock.now_ms(l->clock.arg);
}

/* Arms the one timer after ms (a deadline passed: at once). */
static void
lease_arm(struct lease *l, long long ms)
{
	l->clock.arm(l->clock.arg, l, ms < 0 ? 0 : (long)ms);
}

static void
lease_disarm(struct lease *l)
{
	l->clock.arm(l->clock.arg, l, -1);
}

/* A short pause before a read or write is tried again. */
static long long
lease_retry_ms(const struct lease *l)
{
	long long ms = l->lease_ms / 10;

	return ms < 50 ? 50 : ms > 1000 ? 1000 : ms;
}

static char *
lease_new_rvn(void)
{
	unsigned char b[16];
	char hex[33];
	size_t i;

	if (RAND_bytes(b, sizeof b) != 1)
		fatal("no random bytes for a lock version");
	for (i = 0; i < sizeof b; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	return xstrdup(hex);
}

static int
lease_streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static void
lease_set(char **dst, const char *s)
{
	free(*dst);
	*dst = s != NULL ? xstrdup(s) : NULL;
}

static void
lease_really_free(struct lease *l)
{
	if (l->op != NULL)
		l->ops->cancel(l->store, l->op);
	if (l->timer != NULL)
		loop_timer_free(l->timer);
	else
		lease_disarm(l);
	lease_ddb_free(l->ddb);
	free(l->mine.key);
	free(l->mine.owner);
	free(l->mine.function);
	free(l->mine.env);
	free(l->mine.commit);
	free(l->mine.job);
	free(l->mine.since);
	free(l->mine.rvn);
	free(l->token);
	free(l->pending);
	lease_rec_free(l->holder);
	free(l);
}

/* Every caller returns right after: the callback may free the lease. */
static void
lease_emit(struct lease *l, enum lease_event ev)
{
	l->in_cb++;
	l->cb(l, ev, l->arg);
	if (--l->in_cb == 0 && l->freed)
		lease_really_free(l);
}

static void
lease_fail(struct lease *l, const struct dlc_err *err)
{
	l->err = *err;
	l->held = 0;
	l->state = LS_DONE;
	lease_disarm(l);
	lease_emit(l, LEASE_ERROR);
}

static void
lease_lost(struct lease *l, struct lease_rec *winner, const char *why)
{
	if (l->op != NULL) {
		l->ops->cancel(l->store, l->op);
		l->op = NULL;
	}
	dlc_err_clear(&l->err);
	if (winner != NULL && winner->owner != NULL)
		dlc_err_set(&l->err, "LeaseLost", "the lock %s was taken over "
		    "by %s (job %s)", l->mine.key, winner->owner,
		    winner->job != NULL ? winner->job : "?");
	else
		dlc_err_set(&l->err, "LeaseLost", "the lock %s: %s",
		    l->mine.key, why);
	dlc_err_fix(&l->err, "the step in progress was stopped before the "
	    "next; run the job again once the lock is free");
	lease_rec_free(l->holder);
	l->holder = winner;
	l->seen_ms = lease_now(l);
	l->held = 0;
	l->state = LS_DONE;
	lease_disarm(l);
	lease_emit(l, LEASE_LOST);
}

/* ---- held ---- */

static void
lease_arm_held(struct lease *l)
{
	uint64_t end = l->confirmed_ms + (uint64_t)l->lease_ms;
	int retry = l->state == LS_HELD ||
	    (l->state == LS_RESOLVE_RENEW && l->op == NULL);
	uint64_t at = retry && l->next_ms < end ? l->next_ms : end;
	uint64_t now = lease_now(l);

	lease_arm(l, at > now ? (long long)(at - now) : 0);
}

static void
lease_confirmed(struct lease *l)
{
	int first = !l->held;

	free(l->token);
	l->token = l->pending;
	l->pending = NULL;
	l->confirmed_ms = l->sent_ms;
	l->next_ms = l->confirmed_ms + (uint64_t)l->lease_ms / 3;
	l->held = 1;
	l->state = LS_HELD;
	lease_rec_free(l->holder);
	l->holder = NULL;
	lease_arm_held(l);
	if (first)
		lease_emit(l, LEASE_ACQUIRED);
}

static void lease_on_renew(struct lease_store_result *res, void *arg);
static void lease_on_resolve_renew(struct lease_store_result *res, void *arg);

static void
lease_renew(struct lease *l)
{
	free(l->pending);
	l->pending = lease_new_rvn();
	l->sent_ms = lease_now(l);
	l->state = LS_RENEWING;
	l->op = l->ops->renew(l->store, l->mine.key, l->token, l->pending,
	    (long long)l->clock.wall(l->clock.arg) + LEASE_TTL_S, l->lease_ms,
	    lease_on_renew, l);
	lease_arm_held(l);
}

/* Not renewed this time, certainly: try again soon, while time is left. */
static void
lease_renew_later(struct lease *l)
{
	free(l->pending);
	l->pending = NULL;
	l->state = LS_HELD;
	l->next_ms = lease_now(l) + (uint64_t)lease_retry_ms(l);
	lease_arm_held(l);
}

static void
lease_on_renew(struct lease_store_result *res, void *arg)
{
	struct lease *l = arg;

	l->op = NULL;
	switch (res->outcome) {
	case LEASE_STORE_OK:
		lease_confirmed(l);
		return;
	case LEASE_STORE_CONFLICT:
		/* A retried attempt may find the item an earlier one renewed. */
		if (res->rec != NULL && lease_streq(res->rec->rvn, l->pending)) {
			lease_confirmed(l);
			return;
		}
		lease_lost(l, lease_rec_dup(res->rec), "its item was deleted");
		return;
	case LEASE_STORE_AMBIGUOUS:
		l->state = LS_RESOLVE_RENEW;
		l->op = l->ops->get(l->store, l->mine.key,
		    lease_on_resolve_renew, l);
		return;
	case LEASE_STORE_FAILED:
		l->err = res->err;
		lease_renew_later(l);
		return;
	}
}

static void
lease_on_resolve_renew(struct lease_store_result *res, void *arg)
{
	struct lease *l = arg;

	l->op = NULL;
	if (res->outcome != LEASE_STORE_OK) {
		/* Still unknown: read again soon; the lease runs out meanwhile. */
		l->err = res->err;
		l->next_ms = lease_now(l) + (uint64_t)lease_retry_ms(l);
		lease_arm_held(l);
		return;
	}
	if (res->rec != NULL && lease_streq(res->rec->rvn, l->pending)) {
		lease_confirmed(l);		/* it was applied */
	} else if (res->rec != NULL && lease_streq(res->rec->rvn, l->token)) {
		lease_renew_later(l);		/* it was not */
		l->next_ms = lease_now(l);
		lease_arm_held(l);
	} else {
		lease_lost(l, lease_rec_dup(res->rec), "its item was deleted");
	}
}

/* ---- acquiring and waiting ---- */

static long long
lease_holder_lease(const struct lease *l)
{
	return l->holder != NULL && l->holder->lease_ms > 0 ?
	    l->holder->lease_ms : l->lease_ms;
}

/* Takes rec; returns 1 when who holds it, or for what, changed. */
static int
lease_watch(struct lease *l, struct lease_rec *rec)
{
	const struct lease_rec *h = l->holder;
	int same_version = h != NULL && lease_streq(h->rvn, rec->rvn);
	int changed = h == NULL ||
	    !lease_streq(h->owner, rec->owner) ||
	    !lease_streq(h->job, rec->job) ||
	    !lease_streq(h->since, rec->since) ||
	    !lease_streq(h->function, rec->function);

	/* The version is timed from when this waiter first saw it. */
	if (!same_version)
		l->seen_ms = lease_now(l);
	lease_rec_free(l->holder);
	l->holder = rec;
	return changed;
}

static void
lease_wait(struct lease *l, int changed)
{
	long long hl = lease_holder_lease(l), poll, left;
	long long seen_for = (long long)(lease_now(l) - l->seen_ms);

	poll = (hl < l->lease_ms ? hl : l->lease_ms) / 3;
	if (poll < 100)
		poll = 100;
	left = hl - seen_for;
	l->state = LS_WAITING;
	lease_arm(l, left < poll ? left : poll);
	if (changed)
		lease_emit(l, LEASE_WAITING);
}

static void lease_on_put(struct lease_store_result *res, void *arg);
static void lease_on_read(struct lease_store_result *res, void *arg);

static void
lease_put(struct lease *l, const char *expect)
{
	char since[32];

	free(l->pending);
	l->pending = lease_new_rvn();
	lease_set(&l->mine.rvn, l->pending);
	timeutil_format_iso(l->clock.wall(l->clock.arg), since, sizeof since);
	lease_set(&l->mine.since, since);
	l->mine.ttl = (long long)l->clock.wall(l->clock.arg) + LEASE_TTL_S;
	l->sent_ms = lease_now(l);
	l->state = LS_PUTTING;
	l->op = l->ops->put(l->store, &l->mine, expect, lease_on_put, l);
}

/* What a read while acquiring or waiting found. */
static void
lease_found(struct lease *l, struct lease_rec *rec)
{
	if (rec == NULL) {
		lease_put(l, NULL);
	} else if (lease_streq(rec->rvn, l->pending)) {
		lease_rec_free(rec);
		lease_confirmed(l);	/* an ambiguous put of ours applied */
	} else {
		int changed = lease_watch(l, rec);
		long long hl = lease_holder_lease(l);

		if ((long long)(lease_now(l) - l->seen_ms) >= hl)
			lease_put(l, l->holder->rvn);	/* take it over */
		else
			lease_wait(l, changed);
	}
}

static void
lease_on_put(struct lease_store_result *res, void *arg)
{
	struct lease *l = arg;

	l->op = NULL;
	switch (res->outcome) {
	case LEASE_STORE_OK:
		lease_confirmed(l);
		return;
	case LEASE_STORE_CONFLICT: {
		struct lease_rec *rec = res->rec;

		res->rec = NULL;
		if (rec != NULL && !lease_streq(rec->rvn, l->pending)) {
			/* Taken by another, or renewed while we waited. */
			int changed = lease_watch(l, rec);

			lease_wait(l, changed);
			return;
		}
		lease_found(l, rec);
		return;
	}
	case LEASE_STORE_AMBIGUOUS:
		l->state = LS_RESOLVE_PUT;
		l->op = l->ops->get(l->store, l->mine.key, lease_on_read, l);
		return;
	case LEASE_STORE_FAILED:
		lease_fail(l, &res->err);
		return;
	}
}

/* A read while waiting, or resolving an ambiguous put. */
static void
lease_on_read(struct lease_store_result *res, void *arg)
{
	struct lease *l = arg;
	struct lease_rec *rec;

	l->op = NULL;
	if (res->outcome == LEASE_STORE_FAILED) {
		lease_fail(l, &res->err);
		return;
	}
	if (res->outcome != LEASE_STORE_OK) {
		/* Read again soon (the put, if that is what is unresolved, stays pending). */
		l->err = res->err;
		lease_arm(l, lease_retry_ms(l));
		return;
	}
	rec = res->rec;
	res->rec = NULL;
	lease_found(l, rec);
}

/* ---- release ---- */

static void lease_on_del(struct lease_store_result *res, void *arg);
static void lease_on_resolve_del(struct lease_store_result *res, void *arg);

static void
lease_release_end(struct lease *l, const struct dlc_err *err)
{
	if (err != NULL) {
		l->release_err = *err;
		l->release_failed = 1;
	}
	l->held = 0;
	l->state = LS_RELEASED;
	lease_arm(l, 0);	/* done runs from the loop, never inside a call */
}

static void
lease_del(struct lease *l)
{
	const char *a = l->token != NULL ? l->token : l->pending;
	const char *b = l->token != NULL ? l->pending : NULL;

	if (a == NULL) {
		lease_release_end(l, NULL);	/* nothing was ever ours */
		return;
	}
	l->release_tries++;
	l->state = LS_RELEASING;
	l->op = l->ops->del(l->store, l->mine.key, a, b, lease_on_del, l);
}

static void
lease_on_del(struct lease_store_result *res, void *arg)
{
	struct lease *l = arg;

	l->op = NULL;
	switch (res->outcome) {
	case LEASE_STORE_OK:
	case LEASE_STORE_CONFLICT:	/* not ours (any more): nothing to delete */
		lease_release_end(l, NULL);
		return;
	case LEASE_STORE_AMBIGUOUS:
		l->state = LS_RESOLVE_RELEASE;
		l->op = l->ops->get(l->store, l->mine.key, lease_on_resolve_del,
		    l);
		return;
	case LEASE_STORE_FAILED:
		lease_release_end(l, &res->err);
		return;
	}
}

static void
lease_on_resolve_del(struct lease_store_result *res, void *arg)
{
	struct lease *l = arg;
	int ours;

	l->op = NULL;
	ours = res->outcome != LEASE_STORE_OK || (res->rec != NULL &&
	    (lease_streq(res->rec->rvn, l->token) ||
	    lease_streq(res->rec->rvn, l->pending)));
	if (!ours) {
		lease_release_end(l, NULL);
	} else if (l->release_tries < LEASE_RELEASE_TRIES) {
		lease_del(l);
	} else {
		struct dlc_err err = res->err;

		if (!dlc_err_isset(&err))
			dlc_err_set(&err, "ReleaseFailed", "the lock %s could "
			    "not be deleted", l->mine.key);
		dlc_err_fix(&err, "it expires by itself after its lease "
		    "(%lld s)", l->lease_ms / 1000);
		lease_release_end(l, &err);
	}
}

void
lease_release(struct lease *l, lease_done_cb done, void *arg)
{
	if (l == NULL)
		return;
	l->done = done;
	l->done_arg = arg;
	if (l->state == LS_RELEASING || l->state == LS_RESOLVE_RELEASE ||
	    l->state == LS_RELEASED)
		return;
	/* A write in flight stays unresolved: the delete covers its rvn too. */
	if (l->op != NULL) {
		l->ops->cancel(l->store, l->op);
		l->op = NULL;
	}
	lease_disarm(l);
	lease_del(l);
}

/* ---- the timer ---- */

void
lease_fire(struct lease *l)
{
	uint64_t now = lease_now(l);
	int expired = l->held &&
	    now >= l->confirmed_ms + (uint64_t)l->lease_ms;

	switch (l->state) {
	case LS_HELD:
		if (expired)
			lease_lost(l, NULL, "not renewed within its lease");
		else if (now >= l->next_ms)
			lease_renew(l);
		else
			lease_arm_held(l);
		return;
	case LS_RENEWING:
	case LS_RESOLVE_RENEW:
		if (expired) {
			lease_lost(l, NULL, "not renewed within its lease "
			    "(DynamoDB did not answer in time)");
		} else if (l->op == NULL) {
			l->op = l->ops->get(l->store, l->mine.key,
			    lease_on_resolve_renew, l);
			lease_arm_held(l);
		} else {
			lease_arm_held(l);
		}
		return;
	case LS_WAITING:
		l->state = LS_POLLING;
		/* fall through */
	case LS_POLLING:
	case LS_RESOLVE_PUT:
		if (l->op == NULL)
			l->op = l->ops->get(l->store, l->mine.key,
			    lease_on_read, l);
		return;
	case LS_RELEASED:
		l->state = LS_DONE;
		if (l->done != NULL) {
			lease_done_cb done = l->done;

			l->done = NULL;
			l->in_cb++;
			done(l, l->release_failed ? &l->release_err : NULL,
			    l->done_arg);
			if (--l->in_cb == 0 && l->freed)
				lease_really_free(l);
		}
		return;
	default:
		return;
	}
}

/* ---- construction ---- */

char *
lease_key(const char *env)
{
	return xasprintf("special#%s", env);
}

char *
lease_owner(void)
{
	return whoami();
}

struct lease *
lease_start(const struct lease_store_ops *ops, void *store,
    const struct lease_clock *clock, const struct lease_config *cfg,
    lease_cb cb, void *arg)
{
	struct lease *l = xcalloc(1, sizeof *l);

	l->ops = ops;
	l->store = store;
	l->clock = *clock;
	l->cb = cb;
	l->arg = arg;
	l->lease_ms = cfg->lease_ms > 0 ? cfg->lease_ms : LEASE_DEFAULT_MS;
	if (l->lease_ms < LEASE_MIN_MS)
		l->lease_ms = LEASE_MIN_MS;
	l->mine.key = xstrdup(cfg->key);
	l->mine.owner = cfg->owner != NULL ? xstrdup(cfg->owner) :
	    lease_owner();
	lease_set(&l->mine.function, cfg->function);
	lease_set(&l->mine.env, cfg->env);
	lease_set(&l->mine.commit, cfg->commit);
	lease_set(&l->mine.job, cfg->job);
	l->mine.lease_ms = l->lease_ms;
	lease_put(l, NULL);
	return l;
}

static uint64_t
lease_loop_now(void *arg)
{
	(void)arg;
	return loop_now_ms();
}

static time_t
lease_loop_wall(void *arg)
{
	(void)arg;
	return time(NULL);
}

static void
lease_loop_arm(void *arg, struct lease *l, long ms)
{
	(void)arg;
	if (l->timer == NULL)
		return;
	if (ms < 0)
		loop_timer_stop(l->timer);
	else
		loop_timer_start(l->timer, ms);
}

static void
lease_loop_fire(void *arg)
{
	lease_fire(arg);
}

struct lease *
lease_acquire(struct loop *loop, struct aws_env *env,
    const struct lease_config *cfg, lease_cb cb, void *arg)
{
	static const struct lease_clock clock = {
		lease_loop_now, lease_loop_wall, lease_loop_arm, NULL,
	};
	long long ms = cfg->lease_ms > 0 ? cfg->lease_ms : LEASE_DEFAULT_MS;
	void *ddb = lease_ddb_new(env, cfg->table, ms / 3 < 1000 ? 1000 :
	    (long)(ms / 3));
	struct lease *l;

	l = lease_start(&lease_ddb_ops, ddb, &clock, cfg, cb, arg);
	l->ddb = ddb;
	/* The first put is in flight; the timer is only armed from callbacks. */
	l->timer = loop_timer_new(loop, lease_loop_fire, l);
	return l;
}

void
lease_free(struct lease *l)
{
	if (l == NULL)
		return;
	if (l->in_cb > 0) {
		l->freed = 1;
		return;
	}
	lease_really_free(l);
}

/* ---- state ---- */

long long
lease_valid_ms(const struct lease *l)
{
	uint64_t now, end;

	if (l == NULL || !l->held)
		return 0;
	now = lease_now(l);
	end = l->confirmed_ms + (uint64_t)l->lease_ms;
	return end > now ? (long long)(end - now) : 0;
}

int
lease_check(const struct lease *l, long long need_ms, struct dlc_err *err)
{
	long long left = lease_valid_ms(l);

	if (l == NULL || !l->held) {
		dlc_err_set(err, "LeaseLost", "the team lock %s is not held%s%s",
		    l != NULL ? l->mine.key : "?",
		    l != NULL && dlc_err_isset(&l->err) ? ": " : "",
		    l != NULL && dlc_err_isset(&l->err) ? l->err.message : "");
		dlc_err_fix(err, "the job stopped before its next step; run it "
		    "again once the lock is free (dlc lock ls)");
		return -1;
	}
	if (left < need_ms) {
		dlc_err_set(err, "LeaseRunningOut", "the team lock %s has %lld ms "
		    "of its lease left, less than the %lld ms the next step "
		    "needs (its renewals are not getting through)",
		    l->mine.key, left, need_ms);
		dlc_err_fix(err, "check the network to DynamoDB; the job "
		    "stopped before the step, so run it again");
		return -1;
	}
	return 0;
}

const char *
lease_token(const struct lease *l)
{
	return l != NULL && l->held ? l->token : NULL;
}

int
lease_held(const struct lease *l)
{
	return l != NULL && l->held;
}

const struct lease_rec *
lease_holder(const struct lease *l)
{
	return l != NULL ? l->holder : NULL;
}

long long
lease_holder_left_ms(const struct lease *l)
{
	long long left;

	if (l == NULL || l->holder == NULL)
		return 0;
	left = lease_holder_lease(l) - (long long)(lease_now(l) - l->seen_ms);
	return left > 0 ? left : 0;
}

const struct dlc_err *
lease_error(const struct lease *l)
{
	return &l->err;
}

void
lease_rec_text(const struct lease_rec *rec, long long left_ms, char *buf,
    size_t len)
{
	char at[16] = "?";
	time_t t;
	struct tm tm;

	if (rec == NULL) {
		if (len > 0)
			buf[0] = '\0';
		return;
	}
	if (rec->since != NULL &&
	    timeutil_parse_iso8601(rec->since, &t, NULL) == 0 &&
	    localtime_r(&t, &tm) != NULL)
		strftime(at, sizeof at, "%H:%M", &tm);
	snprintf(buf, len, "special deploy of %s to %s by %s since %s "
	    "(lease %lld s left)",
	    rec->function != NULL ? rec->function : "?",
	    rec->env != NULL ? rec->env : "?",
	    rec->owner != NULL ? rec->owner : "?", at,
	    (left_ms + 999) / 1000);
}

void
lease_waiting_text(const struct lease *l, char *buf, size_t len)
{
	lease_rec_text(lease_holder(l), lease_holder_left_ms(l), buf, len);
}
