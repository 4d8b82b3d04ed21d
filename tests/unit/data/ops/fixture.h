/*
 * Test helper for the operation layer's unit tests (test-aws-op.c,
 * test-paginate.c, test-waiter.c): starts tests/unit/data/ops/stub-ops.py
 * (or tests/fakeaws) on 127.0.0.1, and an environment "stub" whose calls
 * go there (static keys, one attempt per call), driven by the real loop.
 */
#ifndef DLC_TEST_OPS_FIXTURE_H
#define DLC_TEST_OPS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws.h"
#include "awsconfig.h"
#include "creds.h"
#include "credentials.h"
#include "http.h"
#include "loop.h"
#include "../../testserver.h"

#define OPS_DEADLINE_MS	10000

struct ops_fixture {
	int			 fakeaws;	/* tests/fakeaws instead of stub-ops.py */
	const char		*stub;		/* another stub than stub-ops.py, or NULL */
	char			 dir[256];	/* HOME, the config, the request log */
	struct testserver	 server;
	struct aws_ctx		 aws;
	struct creds_provider	*creds;
	struct aws_env		*env;
};

/* How many requests the stub logged whose line contains needle. */
static int
ops_requests(struct ops_fixture *f, const char *needle)
{
	char path[512], *text, *p;
	int n = 0;

	snprintf(path, sizeof path, "%s/requests.log", f->dir);
	text = testserver_read_file(path);
	for (p = text; p != NULL && (p = strstr(p, needle)) != NULL; p++)
		n++;
	free(text);
	return n;
}

static int
ops_start_server(struct ops_fixture *f)
{
	static const char *const stub = "tests/unit/data/ops/stub-ops.py",
	    *const fakeaws = "tests/fakeaws/fakeaws.py";
	char log[512];
	const char *stub_args[] = { "@PORTFILE@", log, NULL },
	    *fakeaws_args[] = { "--port", "0", "--port-file", "@PORTFILE@",
	    "--log-requests", log, NULL };

	snprintf(log, sizeof log, "%s/requests.log", f->dir);
	if (f->fakeaws)
		return testserver_start(&f->server, fakeaws, fakeaws_args);
	return testserver_start(&f->server, f->stub != NULL ? f->stub : stub,
	    stub_args);
}

/* script: NULL for stub-ops.py; profile_extra: the profile's own lines. */
static int
ops_setup_script(void **state, int fakeaws, const char *script,
    const char *profile_extra)
{
	struct ops_fixture *f = calloc(1, sizeof *f);
	struct aws_credentials c;
	struct dlc_err err;
	char path[512], akid[128] = "AKIASTUBOPS", secret[128] = "stubsecret";

	if (f == NULL)
		return -1;
	*state = f;
	f->fakeaws = fakeaws;
	f->stub = script;
	f->server.pid = -1;
	f->server.stdin_fd = -1;
	/* The alpha account's demo keys live in the fakeaws seed only. */
	if (fakeaws && testserver_seed_key("alpha", akid, secret, sizeof akid) != 0)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s/dlc-ops-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	setenv("HOME", f->dir, 1);
	testserver_clear_aws_env();
	if (ops_start_server(f) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/aws-config", f->dir);
	if (testserver_config_add(&f->server, path, "stub",
	    profile_extra != NULL ? profile_extra : "max_attempts = 1\n") != 0)
		return -1;
	setenv("AWS_CONFIG_FILE", path, 1);
	snprintf(path, sizeof path, "%s/aws-credentials", f->dir);
	setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
	dlc_err_clear(&err);
	f->aws.cfg = aws_config_load(NULL, NULL, &err);
	if (f->aws.cfg == NULL)
		return -1;
	f->aws.loop = loop_new();
	f->aws.http = http_new(f->aws.loop);
	memset(&c, 0, sizeof c);
	c.access_key_id = akid;
	c.secret_access_key = secret;
	f->creds = creds_static_new(&c);
	f->env = aws_env_new(&f->aws, "stub", "stub", "eu-west-1", f->creds);
	return 0;
}

static __attribute__((unused)) int
ops_setup_with(void **state, int fakeaws)
{
	return ops_setup_script(state, fakeaws, NULL, NULL);
}

static __attribute__((unused)) int
ops_setup(void **state)
{
	return ops_setup_with(state, 0);
}

/* The same environment against tests/fakeaws (account alpha). */
static __attribute__((unused)) int
ops_setup_fakeaws(void **state)
{
	return ops_setup_with(state, 1);
}

static int
ops_teardown(void **state)
{
	struct ops_fixture *f = *state;

	if (f == NULL)
		return 0;
	aws_env_free(f->env);
	creds_provider_free(f->creds);
	if (f->aws.http != NULL)
		http_free(f->aws.http);
	if (f->aws.loop != NULL)
		loop_free(f->aws.loop);
	aws_config_free(f->aws.cfg);
	testserver_stop(&f->server);
	testserver_rmtree(f->dir);
	free(f);
	return 0;
}

/* Runs the loop until *flag is set or the deadline passes; returns *flag. */
static int
ops_run_until(struct ops_fixture *f, const int *flag)
{
	uint64_t end = loop_now_ms() + OPS_DEADLINE_MS;

	while (!*flag && loop_now_ms() < end)
		if (loop_run_once(f->aws.loop) != 0)
			break;
	return *flag;
}

static void
ops_tick(void *arg)
{
	*(int *)arg = 1;
}

/* Runs the loop for ms, whatever happens (a timer keeps it from running dry). */
static void
ops_run_for(struct ops_fixture *f, long ms)
{
	int fired = 0;
	struct loop_timer *t = loop_timer_new(f->aws.loop, ops_tick, &fired);

	loop_timer_start(t, ms);
	ops_run_until(f, &fired);
	loop_timer_free(t);
}

#endif
