/*
 * Unit tests for src/lease.c: the team lease's state machine over an
 * in-memory store and injected clocks, with machines whose monotonic and
 * wall clocks differ. The store applies conditional writes as DynamoDB
 * does, and can be told to report a write as ambiguous (applied or not),
 * to fail it, to report a retried write's own success as a failed
 * condition, or to hold a machine's requests (a network partition: a
 * request cancelled by its sender still lands when the partition ends).
 * Covered: renewal, expiry, takeover, fencing, ambiguous errors, clock
 * skew and release.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lease.h"
#include "xmalloc.h"

#define LMS		2000	/* the lease */
#define STEP		10	/* the simulated clock's step */
#define MAX_MACHINES	4

enum fault {
	F_NONE,
	F_AMBIG_APPLIED,	/* applied, reported ambiguous */
	F_AMBIG_LOST,		/* not applied, reported ambiguous */
	F_FAILED,		/* not applied, a definite failure */
	F_CONFLICT_APPLIED	/* applied, then a retry's failed condition */
};

enum op_kind { OP_GET, OP_PUT, OP_RENEW, OP_DEL };

struct world;

struct machine {
	struct world	*w;
	const char	*owner;
	long long	 mono_off;	/* its monotonic clock's origin */
	time_t		 wall_off;	/* its wall clock's error */
	long long	 timer_at;	/* its mono time, -1: disarmed */
	struct lease	*l;
	int		 partitioned;
	enum fault	 write_fault;	/* for its next write */
	enum fault	 get_fault;	/* for its reads while sticky, else the next */
	int		 get_fault_sticky;
	int		 acquired, waiting, lost, error, released;
	long long	 acquired_at, lost_at;	/* world time */
	int		 release_failed;
	char		 wait_text[256];
};

struct op {
	struct machine	*m;
	enum op_kind	 kind;
	struct lease_rec *rec;
	char		*a, *b;
	long long	 ttl, lease_ms;
	lease_store_cb	 cb;
	void		*arg;
	int		 cancelled;
};

struct world {
	long long	 now;
	struct lease_rec *item;		/* the one lock key */
	long long	 last_write_at;
	int		 writes, renews;
	struct op	*ops[256];
	int		 n_ops;
	struct machine	 m[MAX_MACHINES];
	int		 n_m;
};

static struct world W;

/* ---- the store ---- */

static void *
op_new(struct machine *m, enum op_kind kind, lease_store_cb cb, void *arg)
{
	struct op *o = xcalloc(1, sizeof *o);

	assert_true(m->w->n_ops < 256);
	o->m = m;
	o->kind = kind;
	o->cb = cb;
	o->arg = arg;
	m->w->ops[m->w->n_ops++] = o;
	return o;
}

static void *
mem_get(void *store, const char *key, lease_store_cb cb, void *arg)
{
	(void)key;
	return op_new(store, OP_GET, cb, arg);
}

static void *
mem_put(void *store, const struct lease_rec *rec, const char *expect,
    lease_store_cb cb, void *arg)
{
	struct op *o = op_new(store, OP_PUT, cb, arg);

	o->rec = lease_rec_dup(rec);
	o->a = expect != NULL ? xstrdup(expect) : NULL;
	return o;
}

static void *
mem_renew(void *store, const char *key, const char *old_rvn,
    const char *new_rvn, long long ttl, long long lease_ms, lease_store_cb cb,
    void *arg)
{
	struct op *o = op_new(store, OP_RENEW, cb, arg);

	(void)key;
	o->a = xstrdup(old_rvn);
	o->b = xstrdup(new_rvn);
	o->ttl = ttl;
	o->lease_ms = lease_ms;
	return o;
}

static void *
mem_del(void *store, const char *key, const char *rvn, const char *rvn2,
    lease_store_cb cb, void *arg)
{
	struct op *o = op_new(store, OP_DEL, cb, arg);

	(void)key;
	o->a = xstrdup(rvn);
	o->b = rvn2 != NULL ? xstrdup(rvn2) : NULL;
	return o;
}

/* The sender gives up; the request, once sent, still lands. */
static void
mem_cancel(void *store, void *handle)
{
	(void)store;
	((struct op *)handle)->cancelled = 1;
}

static const struct lease_store_ops mem_ops = {
	mem_get, mem_put, mem_renew, mem_del, mem_cancel,
};

static int
rvn_is(const char *want)
{
	return W.item != NULL && want != NULL && W.item->rvn != NULL &&
	    strcmp(W.item->rvn, want) == 0;
}

static void
op_complete(struct op *o)
{
	struct lease_store_result res;
	struct machine *m = o->m;
	enum fault f = F_NONE;
	int cond = 1;

	memset(&res, 0, sizeof res);
	if (o->kind == OP_GET) {
		f = m->get_fault;
		if (!m->get_fault_sticky)
			m->get_fault = F_NONE;
	} else {
		f = m->write_fault;
		m->write_fault = F_NONE;
	}
	switch (o->kind) {
	case OP_GET:
		break;
	case OP_PUT:
		cond = o->a == NULL ? W.item == NULL : rvn_is(o->a);
		break;
	case OP_RENEW:
		cond = rvn_is(o->a);
		break;
	case OP_DEL:
		cond = rvn_is(o->a) || rvn_is(o->b);
		break;
	}
	if (o->kind != OP_GET && cond && f != F_AMBIG_LOST && f != F_FAILED) {
		W.writes++;
		W.last_write_at = W.now;
		if (o->kind == OP_PUT) {
			lease_rec_free(W.item);
			W.item = lease_rec_dup(o->rec);
		} else if (o->kind == OP_RENEW) {
			W.renews++;
			free(W.item->rvn);
			W.item->rvn = xstrdup(o->b);
			W.item->ttl = o->ttl;
			W.item->lease_ms = o->lease_ms;
		} else {
			lease_rec_free(W.item);
			W.item = NULL;
		}
	}
	if (f == F_AMBIG_APPLIED || f == F_AMBIG_LOST) {
		res.outcome = LEASE_STORE_AMBIGUOUS;
		dlc_err_set(&res.err, "InternalServerError", "500");
	} else if (f == F_FAILED) {
		res.outcome = LEASE_STORE_FAILED;
		dlc_err_set(&res.err, "AccessDeniedException", "denied");
	} else if (o->kind == OP_GET) {
		res.rec = lease_rec_dup(W.item);
	} else if (!cond || f == F_CONFLICT_APPLIED) {
		res.outcome = LEASE_STORE_CONFLICT;
		res.rec = lease_rec_dup(W.item);
	}
	if (!o->cancelled)
		o->cb(&res, o->arg);
	lease_rec_free(res.rec);
	lease_rec_free(o->rec);
	free(o->a);
	free(o->b);
	free(o);
}

/* Completes the requests of machines not partitioned; 1 if any did. */
static int
pump(void)
{
	int i, any = 0;

	for (i = 0; i < W.n_ops; i++) {
		struct op *o = W.ops[i];

		if (o->m->partitioned)
			continue;
		memmove(&W.ops[i], &W.ops[i + 1],
		    (size_t)(W.n_ops - i - 1) * sizeof W.ops[0]);
		W.n_ops--;
		op_complete(o);
		any = 1;
		i = -1;		/* callbacks may have queued more */
	}
	return any;
}

/* ---- clocks ---- */

static uint64_t
m_now(void *arg)
{
	struct machine *m = arg;

	return (uint64_t)(m->w->now + m->mono_off);
}

static time_t
m_wall(void *arg)
{
	struct machine *m = arg;

	return (time_t)1796300000 + (time_t)(m->w->now / 1000) + m->wall_off;
}

static void
m_arm(void *arg, struct lease *l, long ms)
{
	struct machine *m = arg;

	(void)l;
	m->timer_at = ms < 0 ? -1 : (long long)m_now(m) + ms;
}

static void
settle(void)
{
	int i, n, busy = 1;

	for (n = 0; busy && n < 1000; n++) {
		busy = pump();
		for (i = 0; i < W.n_m; i++) {
			struct machine *m = &W.m[i];

			if (m->l != NULL && m->timer_at >= 0 &&
			    m->timer_at <= (long long)m_now(m)) {
				m->timer_at = -1;
				lease_fire(m->l);
				busy = 1;
			}
		}
	}
	assert_true(n < 1000);
}

static void
advance(long long ms)
{
	long long t;

	for (t = 0; t < ms; t += STEP) {
		W.now += STEP;
		settle();
	}
}

/* Advances until *flag is set or ms pass; returns *flag. */
static int
advance_until(const int *flag, long long ms)
{
	long long t;

	for (t = 0; !*flag && t < ms; t += STEP) {
		W.now += STEP;
		settle();
	}
	return *flag;
}

/* ---- machines ---- */

static void
on_event(struct lease *l, enum lease_event ev, void *arg)
{
	struct machine *m = arg;

	switch (ev) {
	case LEASE_ACQUIRED:
		m->acquired++;
		m->acquired_at = W.now;
		assert_non_null(lease_token(l));
		break;
	case LEASE_WAITING:
		m->waiting++;
		lease_waiting_text(l, m->wait_text, sizeof m->wait_text);
		break;
	case LEASE_LOST:
		m->lost++;
		m->lost_at = W.now;
		assert_null(lease_token(l));
		assert_int_equal(lease_valid_ms(l), 0);
		break;
	case LEASE_ERROR:
		m->error++;
		break;
	}
}

static void
on_released(struct lease *l, const struct dlc_err *err, void *arg)
{
	struct machine *m = arg;

	(void)l;
	m->released++;
	m->release_failed = err != NULL;
}

static struct machine *
machine(const char *owner, long long mono_off, time_t wall_off)
{
	struct machine *m = &W.m[W.n_m++];

	memset(m, 0, sizeof *m);
	m->w = &W;
	m->owner = owner;
	m->mono_off = mono_off;
	m->wall_off = wall_off;
	m->timer_at = -1;
	return m;
}

static void
start(struct machine *m, const char *job)
{
	struct lease_clock clock = { m_now, m_wall, m_arm, m };
	struct lease_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.key = "special#alpha";
	cfg.owner = m->owner;
	cfg.function = "mambu-to-s3-raw";
	cfg.env = "alpha";
	cfg.commit = "abc1234";
	cfg.job = job;
	cfg.lease_ms = LMS;
	m->l = lease_start(&mem_ops, m, &clock, &cfg, on_event, m);
	settle();
}

/* The machine dies: nothing more from it, its item stays. */
static void
kill_machine(struct machine *m)
{
	lease_free(m->l);
	m->l = NULL;
	m->timer_at = -1;
}

static int
setup(void **state)
{
	(void)state;
	memset(&W, 0, sizeof W);
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < W.n_m; i++)
		lease_free(W.m[i].l);
	for (i = 0; i < W.n_m; i++)
		W.m[i].partitioned = 0;
	for (i = 0; i < W.n_ops; i++)
		W.ops[i]->cancelled = 1;
	pump();
	lease_rec_free(W.item);
	return 0;
}

/* ---- tests ---- */

static void
test_acquire_renew(void **state)
{
	struct machine *a = machine("ann@pc1", 0, 0);
	char first[64];
	long long t;

	(void)state;
	start(a, "j1");
	assert_int_equal(a->acquired, 1);
	assert_non_null(W.item);
	assert_string_equal(W.item->owner, "ann@pc1");
	assert_string_equal(W.item->job, "j1");
	assert_string_equal(W.item->commit, "abc1234");
	assert_int_equal(W.item->lease_ms, LMS);
	assert_string_equal(W.item->rvn, lease_token(a->l));
	/* A TTL a day ahead of the holder's wall clock, for abandoned items. */
	assert_int_equal(W.item->ttl, m_wall(a) + 86400);
	snprintf(first, sizeof first, "%s", lease_token(a->l));
	/* Renewed at least every third of the lease, for ten leases. */
	for (t = 0; t < 10 * LMS; t += STEP) {
		advance(STEP);
		assert_true(lease_valid_ms(a->l) >= LMS - LMS / 3 - STEP);
		assert_string_equal(W.item->rvn, lease_token(a->l));
	}
	/* Every 670 ms: a third, to the clock's 10 ms step. */
	assert_true(W.renews >= 29);
	assert_string_not_equal(first, lease_token(a->l));
	assert_int_equal(a->lost, 0);
	assert_int_equal(a->acquired, 1);
}

static void
test_wait_then_takeover(void **state)
{
	struct machine *a = machine("ann@pc1", 0, 0);
	struct machine *b = machine("bob@pc2", 0, 0);
	long long died;

	(void)state;
	start(a, "j1");
	advance(500);
	start(b, "j2");
	assert_int_equal(b->acquired, 0);
	assert_int_equal(b->waiting, 1);
	assert_non_null(lease_holder(b->l));
	assert_string_equal(lease_holder(b->l)->owner, "ann@pc1");
	assert_non_null(strstr(b->wait_text, "special deploy of mambu-to-s3-raw "
	    "to alpha by ann@pc1 since "));
	assert_non_null(strstr(b->wait_text, "(lease 2 s left)"));
	/* Renewed all along: the waiter waits, and says so only once. */
	advance(5 * LMS);
	assert_int_equal(b->acquired, 0);
	assert_int_equal(b->waiting, 1);
	assert_true(lease_holder_left_ms(b->l) > LMS / 3);
	/* The holder dies: a lease after its last renewal, not before. */
	kill_machine(a);
	died = W.last_write_at;
	assert_true(advance_until(&b->acquired, 3 * LMS));
	assert_true(b->acquired_at - died >= LMS);
	assert_true(b->acquired_at - died <= LMS + LMS / 3 + 2 * STEP);
	assert_string_equal(W.item->owner, "bob@pc2");
	assert_string_equal(W.item->rvn, lease_token(b->l));
	assert_null(lease_holder(b->l));
}

static void
test_fencing(void **state)
{
	struct machine *a = machine("ann@pc1", 0, 0);
	struct machine *b = machine("bob@pc2", 0, 0);
	char old[64];
	void *op;

	(void)state;
	start(a, "j1");
	start(b, "j2");
	snprintf(old, sizeof old, "%s", lease_token(a->l));
	/* Cut off: its renewals hang; it must give up before b takes over. */
	a->partitioned = 1;
	assert_true(advance_until(&b->acquired, 4 * LMS));
	assert_int_equal(a->lost, 1);
	assert_true(a->lost_at <= b->acquired_at);
	assert_null(lease_token(a->l));
	assert_int_equal(lease_valid_ms(a->l), 0);
	/* Its hung renewal lands late, with a stale token: refused. */
	a->partitioned = 0;
	settle();
	assert_string_equal(W.item->owner, "bob@pc2");
	assert_string_equal(W.item->rvn, lease_token(b->l));
	/* Any write with the stale token is refused. */
	op = mem_renew(a, "special#alpha", old, "forged", 1, LMS, NULL, NULL);
	mem_cancel(a, op);
	op = mem_del(a, "special#alpha", old, NULL, NULL, NULL);
	mem_cancel(a, op);
	settle();
	assert_string_equal(W.item->rvn, lease_token(b->l));
	advance(2 * LMS);
	assert_int_equal(b->lost, 0);
	assert_int_equal(a->acquired, 1);
}

static void
test_ambiguous_renew_applied(void **state)
{
	struct machine *a = machine("ann@pc1", 0, 0);
	char before[64];

	(void)state;
	start(a, "j1");
	snprintf(before, sizeof before, "%s", lease_token(a->l));
	a->write_fault = F_AMBIG_APPLIED;
	advance(LMS / 3 + STEP);
	/* Read back: it was applied, the new version is ours. */
	assert_int_equal(a->lost, 0);
	assert_string_not_equal(before, lease_token(a->l));
	assert_string_equal(W.item->rvn, lease_token(a->l));
	assert_true(lease_valid_ms(a->l) > LMS - 2 * STEP);
	advance(3 * LMS);
	assert_int_equal(a->lost, 0);
}

static void
test_ambiguous_renew_not_applied(void **state)
{
	struct machine *a = machine("ann@pc1", 0, 0);
	int renews;

	(void)state;
	start(a, "j1");
	a->write_fault = F_AMBIG_LOST;
	renews = W.renews;
	advance(LMS / 3 + STEP);
	/* Read back: not applied, so renewed again at once. */
	assert_int_equal(a->lost, 0);
	assert_int_equal(W.renews, renews + 1);
	assert_string_equal(W.item->rvn, lease_token(a->l));
	advance(3 * LMS);
	assert_int_equal(a->lost, 0);
}

static void
test_ambiguous_unresolved_lost_at_expiry(void **state)
{
	struct machine *a = machine("ann@pc1", 0, 0);
	long long renewed;

	(void)state;
	start(a, "j1");
	renewed = W.last_write_at;
	a->write_fault = F_AMBIG_LOST;
	a->get_fault = F_AMBIG_LOST;
	a->get_fault_sticky = 1;
	/* Unknown is not lost: it is declared lost when the lease runs out. */
	advance(LMS - STEP * 2);
	assert_int_equal(a->lost, 0);
	assert_true(lease_valid_ms(a->l) > 0);
	assert_true(advance_until(&a->lost, LMS));
	assert_true(a->lost_at >= renewed + LMS);
	assert_true(a->lost_at <= renewed + LMS + STEP);
}

/* The gate's check: a step that needs more than what is left waits not. */
static void
test_check(void **state)
{
	struct machine *a = machine("ann@pc1", 0, 0);
	struct dlc_err err;
	long long renewed;

	(void)state;
	start(a, "j1");
	dlc_err_clear(&err);
	assert_int_equal(lease_check(a->l, LMS / 2, &err), 0);
	renewed = W.now;
	a->partitioned = 1;	/* renewals stop getting through */
	advance(LMS / 2 + STEP);
	assert_true(W.now - renewed > LMS / 2);
	assert_int_equal(lease_check(a->l, LMS / 2, &err), -1);
	assert_string_equal(err.code, "LeaseRunningOut");
	assert_int_equal(lease_check(a->l, LMS / 10, &err), 0);
	advance(LMS);
	dlc_err_clear(&err);
	assert_int_equal(lease_check(a->l, 0, &err), -1);
	assert_string_equal(err.code, "LeaseLost");
	assert_non_null(strstr(err.message, "not renewed within its lease"));
	a->partitioned = 0;
}

static void
test_ambiguous_acquire(void **state)
{
	struct machine *a = machine("ann@pc1", 0, 0);
	struct machine *b = machine("bob@pc2", 0, 0);

	(void)state;
	/* Its put applied though it was reported ambiguous: read, and hold. */
	a->write_fault = F_AMBIG_APPLIED;
	start(a, "j1");
	assert_int_equal(a->acquired, 1);
	assert_string_equal(W.item->rvn, lease_token(a->l));
	/* Its put did not apply: read, see none, put again. */
	lease_free(a->l);
	a->l = NULL;
	lease_rec_free(W.item);
	W.item = NULL;
	b->write_fault = F_AMBIG_LOST;
	start(b, "j2");
	assert_int_equal(b->acquired, 1);
	assert_string_equal(W.item->owner, "bob@pc2");
}

static void
test_retried_write_conflicts_with_itself(void **state)
{
	struct machine *a = machine("ann@pc1", 0, 0);

	(void)state;
	/* A retry finds the item its first attempt wrote: that is ours. */
	a->write_fault = F_CONFLICT_APPLIED;
	start(a, "j1");
	assert_int_equal(a->acquired, 1);
	a->write_fault = F_CONFLICT_APPLIED;
	advance(LMS / 3 + STEP);
	assert_int_equal(a->lost, 0);
	assert_string_equal(W.item->rvn, lease_token(a->l));
}

static void
test_definite_error(void **state)
{
	struct machine *a = machine("ann@pc1", 0, 0);

	(void)state;
	a->write_fault = F_FAILED;
	start(a, "j1");
	assert_int_equal(a->error, 1);
	assert_int_equal(a->acquired, 0);
	assert_string_equal(lease_error(a->l)->code, "AccessDeniedException");
	assert_null(W.item);
}

static void
test_clock_skew(void **state)
{
	/* Wall clocks 10 minutes apart either way, monotonic origins unrelated. */
	struct machine *a = machine("ann@pc1", 987654321, 600);
	struct machine *b = machine("bob@pc2", 5, -600);
	long long died;

	(void)state;
	start(a, "j1");
	start(b, "j2");
	advance(6 * LMS);
	assert_int_equal(a->lost, 0);
	assert_int_equal(b->acquired, 0);
	/* since is the holder's wall time, shown as it is. */
	assert_non_null(strstr(b->wait_text, "since 12:23"));
	kill_machine(a);
	died = W.last_write_at;
	assert_true(advance_until(&b->acquired, 3 * LMS));
	assert_true(b->acquired_at - died >= LMS);
	assert_true(b->acquired_at - died <= LMS + LMS / 3 + 2 * STEP);
	advance(4 * LMS);
	assert_int_equal(b->lost, 0);
}

static void
test_release(void **state)
{
	struct machine *a = machine("ann@pc1", 0, 0);
	struct machine *b = machine("bob@pc2", 0, 0);
	long long at;

	(void)state;
	start(a, "j1");
	start(b, "j2");
	advance(LMS);
	lease_release(a->l, on_released, a);
	/* done runs from the loop, not inside the call. */
	assert_int_equal(a->released, 0);
	settle();
	assert_int_equal(a->released, 1);
	assert_int_equal(a->release_failed, 0);
	assert_null(W.item);
	assert_int_equal(lease_valid_ms(a->l), 0);
	/* The waiter takes it at its next look, without a lease's wait. */
	at = W.now;
	assert_true(advance_until(&b->acquired, LMS));
	assert_true(W.now - at <= LMS / 3 + STEP);
	/* A release after losing deletes nothing of the new holder's. */
	lease_release(a->l, on_released, a);
	settle();
	assert_int_equal(a->released, 2);
	assert_non_null(W.item);
	assert_string_equal(W.item->owner, "bob@pc2");
	/* An ambiguous delete is read back, and done again. */
	b->write_fault = F_AMBIG_LOST;
	lease_release(b->l, on_released, b);
	settle();
	assert_int_equal(b->released, 1);
	assert_int_equal(b->release_failed, 0);
	assert_null(W.item);
}

static void
on_event_free(struct lease *l, enum lease_event ev, void *arg)
{
	struct machine *m = arg;

	on_event(l, ev, arg);
	if (ev == LEASE_ACQUIRED) {
		lease_free(l);
		m->l = NULL;
	}
}

static void
test_free_inside_callback(void **state)
{
	struct machine *a = machine("ann@pc1", 0, 0);
	struct lease_clock clock = { m_now, m_wall, m_arm, a };
	struct lease_config cfg;

	(void)state;
	memset(&cfg, 0, sizeof cfg);
	cfg.key = "special#alpha";
	cfg.owner = "ann@pc1";
	cfg.lease_ms = 10;	/* below the minimum: raised to it */
	a->l = lease_start(&mem_ops, a, &clock, &cfg, on_event_free, a);
	settle();
	assert_int_equal(a->acquired, 1);
	assert_null(a->l);
	assert_int_equal(W.item->lease_ms, LEASE_MIN_MS);
}

static void
test_key(void **state)
{
	char *k = lease_key("alpha");

	(void)state;
	assert_string_equal(k, "special#alpha");
	free(k);
}

/* The DynamoDB store's item shape: every attribute, numbers as N. */
static void
test_rec_item(void **state)
{
	struct lease_rec r, *back;
	cJSON *item;
	char *text;

	(void)state;
	memset(&r, 0, sizeof r);
	r.key = "special#alpha";
	r.owner = "ann@pc1";
	r.function = "f";
	r.rvn = "abc";
	r.since = "2026-12-03T14:02:11Z";
	r.lease_ms = 20000;
	r.ttl = 1796386400;
	item = lease_rec_to_item(&r);
	text = cJSON_PrintUnformatted(item);
	assert_string_equal(text, "{\"key\":{\"S\":\"special#alpha\"},"
	    "\"owner\":{\"S\":\"ann@pc1\"},\"function\":{\"S\":\"f\"},"
	    "\"since\":{\"S\":\"2026-12-03T14:02:11Z\"},\"rvn\":{\"S\":"
	    "\"abc\"},\"lease_ms\":{\"N\":\"20000\"},\"ttl\":{\"N\":"
	    "\"1796386400\"}}");
	cJSON_free(text);
	back = lease_rec_from_item(item);
	assert_string_equal(back->owner, "ann@pc1");
	assert_null(back->job);
	assert_int_equal(back->lease_ms, 20000);
	assert_int_equal(back->ttl, 1796386400);
	lease_rec_free(back);
	cJSON_Delete(item);
	/* An item without a key is none of ours. */
	item = cJSON_Parse("{\"owner\":{\"S\":\"x\"}}");
	assert_null(lease_rec_from_item(item));
	cJSON_Delete(item);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_acquire_renew),
		T(test_wait_then_takeover),
		T(test_fencing),
		T(test_ambiguous_renew_applied),
		T(test_ambiguous_renew_not_applied),
		T(test_ambiguous_unresolved_lost_at_expiry),
		T(test_ambiguous_acquire),
		T(test_check),
		T(test_retried_write_conflicts_with_itself),
		T(test_definite_error),
		T(test_clock_skew),
		T(test_release),
		T(test_free_inside_callback),
		T(test_key),
		T(test_rec_item),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
