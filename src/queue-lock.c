/*
 * A special job's locks (queue-lock.h): the machine lock, then the team
 * lease when the environment has a lock-table. One timer serves the
 * deferred hooks and the once-a-second refresh of the waiting reason.
 */
#include "queue-lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlcconfig.h"
#include "lease.h"
#include "loop.h"
#include "machine-lock.h"
#include "manifest.h"
#include "xmalloc.h"

enum queue_lock_phase {
	QL_MACHINE,	/* waiting for the machine lock */
	QL_TEAM,	/* waiting for the team lease */
	QL_HELD,
	QL_FAILED,	/* a lock could not be taken, or was lost */
	QL_RELEASING,
	QL_RELEASED,
};

struct queue_lock {
	struct loop		*loop;
	char			 id[16];
	struct aws_env		*aenv;
	const struct dlc_env	*env;
	const struct local_function *fn;
	char			*commit;
	struct queue_lock_hooks	 hooks;

	enum queue_lock_phase	 phase;
	struct machine_lock	*ml;
	struct lease		*lease;
	char			*lease_key;
	struct dlc_err		 err;		/* QL_FAILED's */
	char			 reason[600];
	int			 fire_held, fire_lost, fire_waiting, fire_released;
	struct loop_timer	*timer;
	uint64_t		 reason_ms;	/* the last reason refresh */
};

static void
queue_lock_record(struct queue_lock *l, const char *what, const char *state,
    const char *token)
{
	cJSON *rec = cJSON_CreateObject();

	cJSON_AddStringToObject(rec, "job", l->id);
	cJSON_AddStringToObject(rec, "ev", "lock");
	cJSON_AddStringToObject(rec, "what", what);
	cJSON_AddStringToObject(rec, "state", state);
	if (token != NULL)
		cJSON_AddStringToObject(rec, "token", token);
	if (strcmp(what, "team") == 0 && l->env->lock_table != NULL) {
		cJSON_AddStringToObject(rec, "table", l->env->lock_table);
		cJSON_AddStringToObject(rec, "key", l->lease_key);
	}
	l->hooks.record(rec, l->hooks.arg);
}

/* Hooks run from the timer: never inside a call of the caller's. */
static void
queue_lock_soon(struct queue_lock *l)
{
	loop_timer_start(l->timer, 0);
}

static void
queue_lock_set_reason(struct queue_lock *l, const char *reason)
{
	if (strcmp(l->reason, reason) == 0)
		return;
	snprintf(l->reason, sizeof l->reason, "%s", reason);
	l->reason_ms = loop_now_ms();
	l->fire_waiting = 1;
	queue_lock_soon(l);
}

static void
queue_lock_fail(struct queue_lock *l, const struct dlc_err *err)
{
	if (l->phase == QL_FAILED)
		return;
	l->phase = QL_FAILED;
	l->err = *err;
	l->fire_lost = 1;
	queue_lock_soon(l);
}

static void
queue_lock_on_lease(struct lease *lease, enum lease_event ev, void *arg)
{
	struct queue_lock *l = arg;
	struct dlc_err err;
	char text[600];

	switch (ev) {
	case LEASE_ACQUIRED:
		l->phase = QL_HELD;
		l->reason[0] = '\0';
		queue_lock_record(l, "team", "held", lease_token(lease));
		l->fire_held = 1;
		queue_lock_soon(l);
		break;
	case LEASE_WAITING:
		lease_waiting_text(lease, text, sizeof text);
		queue_lock_set_reason(l, text);
		break;
	case LEASE_LOST:
		queue_lock_record(l, "team", "lost", NULL);
		dlc_err_clear(&err);
		dlc_err_set(&err, "LeaseLost", "the team lease on %s in %s was "
		    "lost (%s): the push stops before its next step, since "
		    "another deploy may now hold it", l->lease_key,
		    l->env->lock_table, lease_error(lease) != NULL &&
		    lease_error(lease)->message[0] != '\0' ?
		    lease_error(lease)->message : "not renewed in time");
		dlc_err_fix(&err, "check the network to DynamoDB, then retry "
		    "the job once dlc lock ls shows the lock free");
		queue_lock_fail(l, &err);
		break;
	case LEASE_ERROR:
		err = *lease_error(lease);
		dlc_err_what(&err, "the team lock %s in table %s", l->lease_key,
		    l->env->lock_table);
		if (err.fix[0] == '\0')
			dlc_err_fix(&err, "check lock-table in [env %s] of "
			    "dlc.ini and that the profile may use it",
			    l->env->name);
		queue_lock_fail(l, &err);
		break;
	}
}

static void
queue_lock_team(struct queue_lock *l)
{
	struct lease_config cfg;

	l->phase = QL_TEAM;
	memset(&cfg, 0, sizeof cfg);
	cfg.table = l->env->lock_table;
	cfg.key = l->lease_key;
	cfg.function = l->fn->name;
	cfg.env = l->env->name;
	cfg.commit = l->commit;
	cfg.job = l->id;
	cfg.lease_ms = l->env->lock_lease_ms;
	l->lease = lease_acquire(l->loop, l->aenv, &cfg, queue_lock_on_lease, l);
}

static void
queue_lock_on_machine(struct machine_lock *ml, enum machine_lock_event ev,
    void *arg)
{
	struct queue_lock *l = arg;
	char text[600];

	if (ev == MACHINE_LOCK_WAITING) {
		machine_lock_waiting_text(ml, text, sizeof text);
		queue_lock_set_reason(l, text);
		return;
	}
	queue_lock_record(l, "machine", "held", NULL);
	if (l->env->lock_table != NULL) {
		queue_lock_team(l);
		return;
	}
	l->phase = QL_HELD;
	l->reason[0] = '\0';
	l->fire_held = 1;
	queue_lock_soon(l);
}

static void
queue_lock_timer(void *arg)
{
	struct queue_lock *l = arg;
	char text[600];
	void (*event)(enum queue_lock_event, void *) = l->hooks.event;
	void *earg = l->hooks.arg;

	/* The countdown in the reason moves: refresh it once a second. */
	if (l->phase == QL_TEAM && l->lease != NULL &&
	    lease_holder(l->lease) != NULL) {
		if (loop_now_ms() - l->reason_ms >= 1000) {
			lease_waiting_text(l->lease, text, sizeof text);
			queue_lock_set_reason(l, text);
			l->reason_ms = loop_now_ms();
		}
		loop_timer_start(l->timer, l->fire_waiting ? 0 : 1000 -
		    (long)(loop_now_ms() - l->reason_ms));
	}
	if (l->fire_waiting) {
		l->fire_waiting = 0;
		event(QUEUE_LOCK_WAITING, earg);
		return;	/* the rest at the next turn: l may be gone now */
	}
	if (l->fire_lost) {
		l->fire_lost = 0;
		event(QUEUE_LOCK_LOST, earg);
		return;
	}
	if (l->fire_held) {
		l->fire_held = 0;
		event(QUEUE_LOCK_HELD, earg);
		return;
	}
	if (l->fire_released) {
		l->fire_released = 0;
		event(QUEUE_LOCK_RELEASED, earg);
	}
}

struct queue_lock *
queue_lock_start(struct loop *loop, const char *id, struct aws_env *aenv,
    const struct dlc_env *env, const struct local_function *fn,
    const char *commit, const struct queue_lock_hooks *hooks)
{
	struct queue_lock *l = xcalloc(1, sizeof *l);
	struct machine_lock_info me;
	struct dlc_err err;

	l->loop = loop;
	snprintf(l->id, sizeof l->id, "%s", id);
	l->aenv = aenv;
	l->env = env;
	l->fn = fn;
	l->commit = commit != NULL && *commit != '\0' ? xstrdup(commit) : NULL;
	l->hooks = *hooks;
	l->lease_key = lease_key(env->name);
	l->timer = loop_timer_new(loop, queue_lock_timer, l);
	l->phase = QL_MACHINE;
	memset(&me, 0, sizeof me);
	me.job = l->id;
	me.function = fn->name;
	me.env = env->name;
	dlc_err_clear(&err);
	l->ml = machine_lock_acquire(loop, NULL, &me, queue_lock_on_machine, l,
	    &err);
	if (l->ml == NULL)
		queue_lock_fail(l, &err);
	return l;
}

const char *
queue_lock_reason(const struct queue_lock *l)
{
	return l->phase == QL_MACHINE || l->phase == QL_TEAM ? l->reason : "";
}

int
queue_lock_check(struct queue_lock *l, struct dlc_err *err)
{
	long long left, lease_ms;

	if (l->phase == QL_FAILED) {
		*err = l->err;
		return -1;
	}
	if (l->phase != QL_HELD) {
		dlc_err_set(err, "LockNotHeld", "the locks of job %s are not "
		    "held", l->id);
		return -1;
	}
	if (l->lease == NULL)
		return 0;
	lease_ms = l->env->lock_lease_ms > 0 ? l->env->lock_lease_ms :
	    LEASE_DEFAULT_MS;
	if (lease_ms < LEASE_MIN_MS)
		lease_ms = LEASE_MIN_MS;
	if (!lease_held(l->lease)) {
		dlc_err_set(err, "LeaseLost", "the team lease on %s in %s is "
		    "not held any more: the push stops before its next step",
		    l->lease_key, l->env->lock_table);
		dlc_err_fix(err, "retry the job once dlc lock ls shows the "
		    "lock free");
		return -1;
	}
	left = lease_valid_ms(l->lease);
	if (left * 3 < lease_ms) {
		/* Renewals have failed for a while: the next step could outlive it. */
		dlc_err_set(err, "LeaseExpiring", "the team lease on %s in %s "
		    "has %lld ms of its %lld ms left (renewals are failing): "
		    "the push stops before its next step rather than run it "
		    "without the lock", l->lease_key, l->env->lock_table, left,
		    lease_ms);
		dlc_err_fix(err, "check the network to DynamoDB, then retry "
		    "the job");
		return -1;
	}
	return 0;
}

const char *
queue_lock_token(const struct queue_lock *l)
{
	return l->lease != NULL && l->phase == QL_HELD ?
	    lease_token(l->lease) : NULL;
}

static void
queue_lock_machine_release(struct queue_lock *l)
{
	if (l->ml != NULL && machine_lock_held(l->ml))
		queue_lock_record(l, "machine", "released", NULL);
	machine_lock_free(l->ml);
	l->ml = NULL;
	l->phase = QL_RELEASED;
	l->fire_released = 1;
	queue_lock_soon(l);
}

static void
queue_lock_lease_done(struct lease *lease, const struct dlc_err *err,
    void *arg)
{
	struct queue_lock *l = arg;

	/* Not deleted: it expires after its lease (and its TTL). */
	queue_lock_record(l, "team", err == NULL ? "released" : "expiring",
	    NULL);
	lease_free(lease);
	l->lease = NULL;
	queue_lock_machine_release(l);
}

void
queue_lock_release(struct queue_lock *l)
{
	if (l->phase == QL_RELEASING || l->phase == QL_RELEASED)
		return;
	l->phase = QL_RELEASING;
	l->fire_held = l->fire_lost = l->fire_waiting = 0;
	if (l->lease != NULL) {
		lease_release(l->lease, queue_lock_lease_done, l);
		return;
	}
	queue_lock_machine_release(l);
}

void
queue_lock_free(struct queue_lock *l)
{
	if (l == NULL)
		return;
	lease_free(l->lease);
	machine_lock_free(l->ml);
	loop_timer_free(l->timer);
	free(l->lease_key);
	free(l->commit);
	free(l);
}
