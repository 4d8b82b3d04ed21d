/*
 * Test helper for the operation layer's unit tests (test-aws-op.c,
 * test-paginate.c, test-waiter.c): starts tests/unit/data/ops/stub-ops.py
 * (or tests/fakeaws) on 127.0.0.1, and an environment "stub" whose calls
 * go there (static keys, one attempt per call), driven by the real loop.
 */
#ifndef DLC_TEST_OPS_FIXTURE_H
#define DLC_TEST_OPS_FIXTURE_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "aws.h"
#include "awsconfig.h"
#include "creds.h"
#include "credentials.h"
#include "http.h"
#include "loop.h"

#define OPS_DEADLINE_MS	10000

struct ops_fixture {
	int			 fakeaws;	/* tests/fakeaws instead of stub-ops.py */
	char			 dir[256];
	pid_t			 server;
	int			 server_stdin;
	int			 port;
	struct aws_ctx		 aws;
	struct creds_provider	*creds;
	struct aws_env		*env;
};

static char *
ops_read_all(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *data;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	data = calloc(1, (size_t)n + 1);
	if (data != NULL && fread(data, 1, (size_t)n, fp) != (size_t)n) {
		free(data);
		data = NULL;
	}
	fclose(fp);
	return data;
}

/* How many requests the stub logged whose line contains needle. */
static int
ops_requests(struct ops_fixture *f, const char *needle)
{
	char path[512], *text, *p;
	int n = 0;

	snprintf(path, sizeof path, "%s/requests.log", f->dir);
	text = ops_read_all(path);
	for (p = text; p != NULL && (p = strstr(p, needle)) != NULL; p++)
		n++;
	free(text);
	return n;
}

static int
ops_start_server(struct ops_fixture *f)
{
	char portfile[512], log[512], errlog[512], script[1024], *text = NULL;
	const char *py = getenv("PYTHON3") != NULL ? getenv("PYTHON3") : "python3";
	const char *top = getenv("DLC_SRCDIR") != NULL ? getenv("DLC_SRCDIR") : ".";
	int fds[2], i;

	if (f->fakeaws)
		snprintf(script, sizeof script, "%s/tests/fakeaws/fakeaws.py", top);
	else
		snprintf(script, sizeof script, "%s/tests/unit/data/ops/stub-ops.py", top);
	snprintf(portfile, sizeof portfile, "%s/port", f->dir);
	snprintf(log, sizeof log, "%s/requests.log", f->dir);
	snprintf(errlog, sizeof errlog, "%s/server.log", f->dir);
	if (pipe(fds) != 0)
		return -1;
	f->server = fork();
	if (f->server == 0) {
		close(fds[1]);
		if (dup2(fds[0], 0) < 0 || freopen(errlog, "w", stderr) == NULL)
			_exit(126);
		if (f->fakeaws)
			execlp(py, py, script, "--port", "0", "--port-file",
			    portfile, "--log-requests", log, (char *)NULL);
		else
			execlp(py, py, script, portfile, log, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	f->server_stdin = fds[1];
	if (f->server < 0)
		return -1;
	for (i = 0; i < 400; i++) {
		text = ops_read_all(portfile);
		if (text != NULL && text[0] != '\0')
			break;
		free(text);
		text = NULL;
		if (waitpid(f->server, NULL, WNOHANG) == f->server) {
			f->server = 0;
			return -1;
		}
		usleep(25000);
	}
	if (text == NULL)
		return -1;
	f->port = (int)strtol(text, NULL, 10);
	free(text);
	return f->port > 0 ? 0 : -1;
}

/* The alpha account's demo keys live in the fakeaws seed only: read them there. */
static int
ops_seed_keys(char *akid, char *secret, size_t len)
{
	const char *top = getenv("DLC_SRCDIR") != NULL ? getenv("DLC_SRCDIR") : ".";
	char path[1024], *text;
	const cJSON *key;
	cJSON *root;

	snprintf(path, sizeof path, "%s/tests/fakeaws/seed/accounts.json", top);
	if ((text = ops_read_all(path)) == NULL)
		return -1;
	root = cJSON_Parse(text);
	free(text);
	key = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(root, "accounts"), 0), "keys"), 0);
	if (!cJSON_IsString(cJSON_GetObjectItem(key, "access_key_id")) ||
	    !cJSON_IsString(cJSON_GetObjectItem(key, "secret_access_key"))) {
		cJSON_Delete(root);
		return -1;
	}
	snprintf(akid, len, "%s", cJSON_GetObjectItem(key, "access_key_id")->valuestring);
	snprintf(secret, len, "%s",
	    cJSON_GetObjectItem(key, "secret_access_key")->valuestring);
	cJSON_Delete(root);
	return 0;
}

static int
ops_setup_with(void **state, int fakeaws)
{
	struct ops_fixture *f = calloc(1, sizeof *f);
	struct aws_credentials c;
	struct dlc_err err;
	char path[512], text[512], akid[128] = "AKIASTUBOPS",
	    secret[128] = "stubsecret";
	FILE *fp;

	if (f == NULL)
		return -1;
	*state = f;
	f->fakeaws = fakeaws;
	if (fakeaws && ops_seed_keys(akid, secret, sizeof akid) != 0)
		return -1;
	f->server_stdin = -1;
	snprintf(f->dir, sizeof f->dir, "%s/dlc-ops-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	setenv("HOME", f->dir, 1);
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_RETRY_MODE");
	unsetenv("AWS_MAX_ATTEMPTS");
	if (ops_start_server(f) != 0) {
		fprintf(stderr, "%s did not start\n", fakeaws ? "fakeaws" :
		    "stub-ops.py");
		return -1;
	}
	snprintf(path, sizeof path, "%s/aws-config", f->dir);
	snprintf(text, sizeof text, "[profile stub]\nregion = eu-west-1\n"
	    "endpoint_url = http://127.0.0.1:%d\nmax_attempts = 1\n", f->port);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fputs(text, fp);
	fclose(fp);
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

static int
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
	static const char *const files[] = { "port", "server.log", "aws-config",
	    "requests.log", NULL };
	struct ops_fixture *f = *state;
	char path[512];
	int i;

	if (f == NULL)
		return 0;
	aws_env_free(f->env);
	creds_provider_free(f->creds);
	if (f->aws.http != NULL)
		http_free(f->aws.http);
	if (f->aws.loop != NULL)
		loop_free(f->aws.loop);
	aws_config_free(f->aws.cfg);
	if (f->server_stdin >= 0)
		close(f->server_stdin);
	if (f->server > 0) {
		kill(f->server, SIGTERM);
		waitpid(f->server, NULL, 0);
	}
	for (i = 0; files[i] != NULL; i++) {
		snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
		unlink(path);
	}
	rmdir(f->dir);
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
