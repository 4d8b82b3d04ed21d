/*
 * A test helper for tests/e2e/test-lock.sh: takes the team lease of
 * environment ENV (dlc.ini's lock-table and lock-lease) through the real
 * lease.c, DynamoDB client and event loop, as the deploy queue does, and
 * prints its events on stdout, one line each, flushed:
 *   acquired TOKEN | waiting TEXT | lost MESSAGE | error MESSAGE |
 *   released | release-failed MESSAGE
 * Holds the lock for SECONDS after taking it (0: until SIGTERM), then
 * releases it and exits 0; exits 1 when it is lost or fails. SIGKILL
 * leaves the item to expire, as a crashed dlc would.
 * Usage: lease-hold ENV JOB SECONDS
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lease.h"
#include "loop.h"

struct hold {
	struct loop_timer	*timer;
	struct lease		*lease;
	long			 seconds;
	int			 done, rc;
};

static void
hold_released(struct lease *l, const struct dlc_err *err, void *arg)
{
	struct hold *h = arg;

	(void)l;
	if (err != NULL)
		printf("release-failed %s\n", err->message);
	else
		printf("released\n");
	fflush(stdout);
	h->done = 1;
}

static void
hold_event(struct lease *l, enum lease_event ev, void *arg)
{
	struct hold *h = arg;
	char text[512];

	switch (ev) {
	case LEASE_ACQUIRED:
		printf("acquired %s\n", lease_token(l));
		if (h->seconds > 0)
			loop_timer_start(h->timer, h->seconds * 1000);
		break;
	case LEASE_WAITING:
		lease_waiting_text(l, text, sizeof text);
		printf("waiting %s\n", text);
		break;
	case LEASE_LOST:
		printf("lost %s\n", lease_error(l)->message);
		h->rc = 1;
		h->done = 1;
		break;
	case LEASE_ERROR:
		printf("error %s: %s\n", lease_error(l)->code,
		    lease_error(l)->message);
		h->rc = 1;
		h->done = 1;
		break;
	}
	fflush(stdout);
}

static void
hold_end(void *arg)
{
	struct hold *h = arg;

	lease_release(h->lease, hold_released, h);
}

static void
hold_term(int signo, void *arg)
{
	(void)signo;
	hold_end(arg);
}

int
main(int argc, char **argv)
{
	struct cli_ctx ctx;
	struct lease_config cfg;
	const struct dlc_env *env;
	struct aws_env *aenv;
	struct loop_signal *sig;
	struct dlc_err err;
	struct hold h;

	if (argc != 4) {
		fprintf(stderr, "usage: lease-hold ENV JOB SECONDS\n");
		return 2;
	}
	memset(&ctx, 0, sizeof ctx);
	memset(&h, 0, sizeof h);
	dlc_err_clear(&err);
	if (cli_setup(&ctx, &err) != 0 ||
	    (env = cli_find_env(&ctx, argv[1], &err)) == NULL ||
	    (aenv = cli_open_env(&ctx, env, &err)) == NULL)
		return cli_error(&err);
	h.seconds = strtol(argv[3], NULL, 10);
	h.timer = loop_timer_new(ctx.aws.loop, hold_end, &h);
	sig = loop_signal_new(ctx.aws.loop, SIGTERM, hold_term, &h);
	memset(&cfg, 0, sizeof cfg);
	cfg.table = env->lock_table;
	cfg.key = "special#alpha";
	cfg.function = "mambu-to-s3-raw";
	cfg.env = env->name;
	cfg.commit = "abc1234";
	cfg.job = argv[2];
	cfg.lease_ms = env->lock_lease_ms;
	h.lease = lease_acquire(ctx.aws.loop, aenv, &cfg, hold_event, &h);
	loop_run_until(ctx.aws.loop, &h.done);
	lease_free(h.lease);
	loop_signal_free(sig);
	loop_timer_free(h.timer);
	cli_close_env(aenv);
	cli_teardown(&ctx);
	return h.rc;
}
