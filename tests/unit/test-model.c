/*
 * Unit tests for src/model.c: the pure helpers, and the model against the
 * real tests/fakeaws on 127.0.0.1 (identity of every environment at once,
 * a 68-function list that stays whole while it refreshes, a broken
 * environment that leaves the others alone, a function's details, and the
 * auto-refresh timer). The loop is run a turn at a time with a deadline.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "awsconfig.h"
#include "http.h"
#include "loop.h"
#include "model.h"
#include "timeutil.h"

extern char **environ;

#define DEADLINE_MS	10000

struct fixture {
	char			 dir[256];
	pid_t			 fakeaws;
	int			 port;
	struct aws_ctx		 aws;
	struct dlc_config	 cfg;
	struct local_function	*locals;
	size_t			 n_locals;
	struct model		*m;
	int			 n_envs_notes, n_fn_notes, n_details_notes;
	int			 in_model_call;	/* set around model_* calls */
	int			 reentered;
	int			 saw_loading[8];	/* FUNCTIONS notes seen while LOADING */
	int			 saw_ready[8];		/* and once READY */
};

static void
on_change(enum model_change what, size_t env, const char *fn, void *arg)
{
	struct fixture *f = arg;
	struct model_env *e = model_env_at(f->m, env);

	if (f->in_model_call)
		f->reentered = 1;
	assert_non_null(e);
	switch (what) {
	case MODEL_CHANGE_ENVS:
		f->n_envs_notes++;
		break;
	case MODEL_CHANGE_FUNCTIONS:
		f->n_fn_notes++;
		if (e->functions_state == MODEL_LOADING && env < 8)
			f->saw_loading[env]++;
		if (e->functions_state == MODEL_READY && env < 8)
			f->saw_ready[env]++;
		break;
	case MODEL_CHANGE_DETAILS:
		assert_non_null(fn);
		f->n_details_notes++;
		break;
	}
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static char *
read_all(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *data;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
	data[n] = '\0';
	fclose(fp);
	return data;
}

/* The demo keys live in the fakeaws seed only: read them from there. */
static void
seed_keys(const char *env, char *akid, char *secret, size_t len)
{
	char path[1024], *text;
	const cJSON *acct;
	cJSON *root;

	snprintf(path, sizeof path, "%s/tests/fakeaws/seed/accounts.json",
	    getenv("DLC_SRCDIR") != NULL ? getenv("DLC_SRCDIR") : ".");
	text = read_all(path);
	assert_non_null(text);
	root = cJSON_Parse(text);
	assert_non_null(root);
	cJSON_ArrayForEach(acct, cJSON_GetObjectItem(root, "accounts")) {
		const cJSON *key;

		if (strcmp(cJSON_GetObjectItem(acct, "environment")->valuestring,
		    env) != 0)
			continue;
		key = cJSON_GetArrayItem(cJSON_GetObjectItem(acct, "keys"), 0);
		snprintf(akid, len, "%s",
		    cJSON_GetObjectItem(key, "access_key_id")->valuestring);
		snprintf(secret, len, "%s",
		    cJSON_GetObjectItem(key, "secret_access_key")->valuestring);
	}
	cJSON_Delete(root);
	free(text);
	assert_true(akid[0] != '\0');
}

static void
clear_aws_environment(void)
{
	char *names[128];
	size_t n = 0, i;
	char **e;

	for (e = environ; *e != NULL && n < 128; e++)
		if (strncmp(*e, "AWS_", 4) == 0)
			names[n++] = strndup(*e, strcspn(*e, "="));
	for (i = 0; i < n; i++) {
		unsetenv(names[i]);
		free(names[i]);
	}
	unsetenv("DLC_CONFIG");
}

static int
start_fakeaws(struct fixture *f)
{
	const char *py = getenv("PYTHON3") != NULL ? getenv("PYTHON3") : "python3";
	const char *src = getenv("DLC_SRCDIR") != NULL ? getenv("DLC_SRCDIR") : ".";
	char script[1024], portfile[512], log[512], *text = NULL;
	int i;

	snprintf(script, sizeof script, "%s/tests/fakeaws/fakeaws.py", src);
	snprintf(portfile, sizeof portfile, "%s/port", f->dir);
	snprintf(log, sizeof log, "%s/fakeaws.log", f->dir);
	f->fakeaws = fork();
	if (f->fakeaws == 0) {
		if (freopen(log, "w", stderr) == NULL ||
		    freopen(log, "a", stdout) == NULL)
			_exit(126);
		execlp(py, py, script, "--port", "0", "--port-file", portfile,
		    "--extra-functions", "60", (char *)NULL);
		_exit(127);
	}
	if (f->fakeaws < 0)
		return -1;
	for (i = 0; i < 400; i++) {
		text = read_all(portfile);
		if (text != NULL && text[0] != '\0')
			break;
		free(text);
		text = NULL;
		if (waitpid(f->fakeaws, NULL, WNOHANG) == f->fakeaws) {
			f->fakeaws = 0;
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

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[512], text[4096], ak[128] = "", sk[128] = "",
	    ak2[128] = "", sk2[128] = "";
	struct dlc_err err;

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "%s/dlc-model-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	clear_aws_environment();
	if (start_fakeaws(f) != 0) {
		fprintf(stderr, "fakeaws did not start\n");
		return -1;
	}

	seed_keys("alpha", ak, sk, sizeof ak);
	seed_keys("sandbox", ak2, sk2, sizeof ak2);
	snprintf(path, sizeof path, "%s/aws-config", f->dir);
	snprintf(text, sizeof text,
	    "[profile alpha]\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:%d\n\n"
	    "[profile sandbox]\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:%d\n\n"
	    "[profile broken]\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:%d\n"
	    "max_attempts = 1\n", f->port, f->port, f->port);
	write_file(path, text);
	setenv("AWS_CONFIG_FILE", path, 1);
	snprintf(path, sizeof path, "%s/aws-credentials", f->dir);
	/* broken: alpha's key with a wrong secret, so the signature fails. */
	snprintf(text, sizeof text,
	    "[alpha]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n"
	    "[sandbox]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n"
	    "[broken]\naws_access_key_id = %s\naws_secret_access_key = %sX\n",
	    ak, sk, ak2, sk2, ak, sk);
	write_file(path, text);
	setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
	setenv("HOME", f->dir, 1);

	snprintf(path, sizeof path, "%s/dlc.ini", f->dir);
	snprintf(text, sizeof text,
	    "[dlc]\nfunctions = %s/functions\n\n"
	    "[env alpha]\nprofile = alpha\nregion = eu-west-1\n"
	    "function-name = datalake-alpha-{function}\ndeploy = allow\n\n"
	    "[env sandbox]\nprofile = sandbox\nregion = eu-west-1\n"
	    "function-name = datalake-sandbox-{function}\ndeploy = confirm\n\n"
	    "[env broken]\nprofile = broken\nregion = eu-west-1\n"
	    "function-name = datalake-alpha-{function}\ndeploy = deny\n",
	    getenv("DLC_SRCDIR") != NULL ? getenv("DLC_SRCDIR") : ".");
	write_file(path, text);
	dlc_err_clear(&err);
	assert_int_equal(dlc_config_load(&f->cfg, path, &err), 0);
	assert_int_equal(manifest_load_dir(f->cfg.functions_dir, &f->locals,
	    &f->n_locals, &err), 0);

	f->aws.cfg = aws_config_load(NULL, NULL, &err);
	assert_non_null(f->aws.cfg);
	f->aws.loop = loop_new();
	f->aws.http = http_new(f->aws.loop);
	f->m = model_new(&f->aws, &f->cfg, f->locals, f->n_locals, on_change, f);
	assert_non_null(f->m);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[512];

	model_free(f->m);
	http_free(f->aws.http);
	loop_free(f->aws.loop);
	aws_config_free(f->aws.cfg);
	manifest_free_all(f->locals, f->n_locals);
	dlc_config_free(&f->cfg);
	if (f->fakeaws > 0) {
		kill(f->fakeaws, SIGTERM);
		waitpid(f->fakeaws, NULL, 0);
	}
	snprintf(cmd, sizeof cmd, "%s/port", f->dir);
	unlink(cmd);
	snprintf(cmd, sizeof cmd, "%s/fakeaws.log", f->dir);
	unlink(cmd);
	snprintf(cmd, sizeof cmd, "%s/aws-config", f->dir);
	unlink(cmd);
	snprintf(cmd, sizeof cmd, "%s/aws-credentials", f->dir);
	unlink(cmd);
	snprintf(cmd, sizeof cmd, "%s/dlc.ini", f->dir);
	unlink(cmd);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Runs the loop until done(f) or the deadline; returns done(f). */
static int
run_until(struct fixture *f, int (*done)(struct fixture *, size_t), size_t env)
{
	uint64_t end = loop_now_ms() + DEADLINE_MS;

	while (!done(f, env) && loop_now_ms() < end)
		if (loop_run_once(f->aws.loop) != 0)
			break;
	return done(f, env);
}

static int
identity_settled(struct fixture *f, size_t env)
{
	enum model_load s = model_env_at(f->m, env)->identity_state;

	return s == MODEL_READY || s == MODEL_FAILED;
}

static int
functions_settled(struct fixture *f, size_t env)
{
	enum model_load s = model_env_at(f->m, env)->functions_state;

	return s == MODEL_READY || s == MODEL_FAILED;
}

static int
first_page_in(struct fixture *f, size_t env)
{
	return model_env_at(f->m, env)->pages_loaded >= 1 ||
	    functions_settled(f, env);
}

static void
test_age_and_cred_state(void **state)
{
	struct dlc_err err;
	char buf[TIMEUTIL_RELATIVE_LEN];

	(void)state;
	assert_string_equal(model_age(1000, 1002, buf, sizeof buf), "just now");
	assert_string_equal(model_age(1000, 1012, buf, sizeof buf), "12s ago");
	assert_string_equal(model_age(1000, 1000 + 3 * 3600, buf, sizeof buf), "3h ago");
	assert_string_equal(model_age(0, 1000, buf, sizeof buf), "never");
	dlc_err_clear(&err);
	dlc_err_set(&err, "ExpiredToken", "x");
	assert_string_equal(model_cred_state(&err), "expired");
	dlc_err_set(&err, "SSOLoginRequired", "x");
	assert_string_equal(model_cred_state(&err), "missing");
	dlc_err_set(&err, "AccessDenied", "x");
	assert_string_equal(model_cred_state(&err), "error");
}

static void
test_envs_and_identity(void **state)
{
	struct fixture *f = *state;
	int alpha = model_env_index(f->m, "alpha");
	int sandbox = model_env_index(f->m, "sandbox");
	int broken = model_env_index(f->m, "broken");
	struct model_env *a, *s, *b;
	size_t i;

	assert_int_equal(model_env_count(f->m), 3);
	assert_int_equal(alpha, 0);
	assert_int_equal(sandbox, 1);
	assert_int_equal(broken, 2);
	assert_int_equal(model_env_index(f->m, "nope"), -1);
	assert_null(model_env_at(f->m, 3));
	a = model_env_at(f->m, 0);
	assert_string_equal(a->cred_state, "unknown");
	assert_int_equal(a->identity_state, MODEL_IDLE);
	assert_non_null(a->aenv);

	/* All at once; the callback must wait for the loop. */
	f->in_model_call = 1;
	for (i = 0; i < 3; i++)
		model_refresh_identity(f->m, i);
	model_refresh_identity(f->m, 0);	/* ignored: one is out */
	f->in_model_call = 0;
	assert_int_equal(f->n_envs_notes, 0);
	assert_int_equal(a->identity_state, MODEL_LOADING);

	for (i = 0; i < 3; i++)
		assert_true(run_until(f, identity_settled, i));
	assert_int_equal(f->reentered, 0);
	assert_true(f->n_envs_notes >= 3);
	s = model_env_at(f->m, 1);
	b = model_env_at(f->m, 2);
	assert_int_equal(a->identity_state, MODEL_READY);
	assert_string_equal(a->cred_state, "ok");
	assert_string_equal(a->account, "111111111111");
	assert_non_null(strstr(a->arn, "111111111111"));
	assert_int_equal(s->identity_state, MODEL_READY);
	assert_string_equal(s->account, "222222222222");
	assert_int_equal(b->identity_state, MODEL_FAILED);
	assert_string_equal(b->cred_state, "error");
	assert_true(dlc_err_isset(&b->identity_err));
	assert_null(b->account);
}

static void
test_functions_refresh_keeps_list(void **state)
{
	struct fixture *f = *state;
	struct model_env *a = model_env_at(f->m, 0);
	struct model_function *fn;
	size_t i, managed = 0;

	assert_null(model_function_find(f->m, 0, "datalake-alpha-mambu-to-s3-raw"));
	model_refresh_functions(f->m, 0);
	assert_int_equal(a->functions_state, MODEL_LOADING);
	assert_int_equal(a->n_functions, 0);
	assert_true(run_until(f, functions_settled, 0));
	assert_int_equal(a->functions_state, MODEL_READY);
	assert_int_equal(a->n_functions, 68);
	assert_int_equal(a->pages_loaded, 2);
	assert_true(a->functions_at > 0);
	assert_true(f->saw_loading[0] >= 1);
	for (i = 1; i < a->n_functions; i++)
		assert_true(strcmp(a->functions[i - 1].fn.function_name,
		    a->functions[i].fn.function_name) < 0);
	for (i = 0; i < a->n_functions; i++)
		if (a->functions[i].local != NULL)
			managed++;
	assert_true(managed >= 5);
	fn = model_function_find(f->m, 0, "datalake-alpha-mambu-to-s3-raw");
	assert_non_null(fn);
	assert_non_null(fn->local);
	assert_string_equal(fn->local->name, "mambu-to-s3-raw");
	fn = model_function_find(f->m, 0, "legacy-export-job");
	assert_non_null(fn);
	assert_null(fn->local);

	/* A refresh: the old list stays whole until the last page lands. */
	model_refresh_functions(f->m, 0);
	assert_int_equal(a->functions_state, MODEL_LOADING);
	assert_int_equal(a->n_functions, 68);
	model_refresh_functions(f->m, 0);	/* ignored while loading */
	assert_true(run_until(f, first_page_in, 0));
	assert_int_equal(a->pages_loaded, 1);
	assert_int_equal(a->functions_state, MODEL_LOADING);
	assert_int_equal(a->n_functions, 68);
	assert_non_null(model_function_find(f->m, 0, "legacy-export-job"));
	assert_true(run_until(f, functions_settled, 0));
	assert_int_equal(a->functions_state, MODEL_READY);
	assert_int_equal(a->n_functions, 68);
	assert_int_equal(a->pages_loaded, 2);
}

static void
test_broken_env_leaves_others_alone(void **state)
{
	struct fixture *f = *state;
	struct model_env *a = model_env_at(f->m, 0);
	struct model_env *s = model_env_at(f->m, 1);
	struct model_env *b = model_env_at(f->m, 2);

	model_refresh_functions(f->m, 2);
	model_refresh_functions(f->m, 0);
	model_refresh_functions(f->m, 1);
	assert_true(run_until(f, functions_settled, 2));
	assert_true(run_until(f, functions_settled, 0));
	assert_true(run_until(f, functions_settled, 1));
	assert_int_equal(b->functions_state, MODEL_FAILED);
	assert_true(dlc_err_isset(&b->functions_err));
	assert_int_equal(b->n_functions, 0);
	assert_int_equal(a->functions_state, MODEL_READY);
	assert_int_equal(a->n_functions, 68);
	assert_int_equal(s->functions_state, MODEL_READY);
	assert_true(s->n_functions > 0);
	assert_false(dlc_err_isset(&a->functions_err));
}

static int
details_settled(struct fixture *f, size_t env)
{
	struct model_function *fn = model_function_find(f->m, env,
	    "datalake-alpha-mambu-to-s3-raw");

	return fn != NULL && fn->details != NULL &&
	    fn->details->state != MODEL_LOADING;
}

static void
test_details(void **state)
{
	struct fixture *f = *state;
	struct model_function *fn;
	struct model_details *d;
	size_t i;

	model_refresh_functions(f->m, 0);
	assert_true(run_until(f, functions_settled, 0));
	/* Unknown functions are not fetched. */
	model_load_details(f->m, 0, "no-such-function");
	fn = model_function_find(f->m, 0, "datalake-alpha-mambu-to-s3-raw");
	assert_non_null(fn);
	assert_null(fn->details);
	model_load_details(f->m, 0, "datalake-alpha-mambu-to-s3-raw");
	assert_non_null(fn->details);
	assert_int_equal(fn->details->state, MODEL_LOADING);
	assert_int_equal(f->n_details_notes, 0);
	assert_true(run_until(f, details_settled, 0));
	assert_true(f->n_details_notes >= 1);
	fn = model_function_find(f->m, 0, "datalake-alpha-mambu-to-s3-raw");
	d = fn->details;
	/* What fakeaws cannot answer (yet) must not hide the configuration. */
	assert_int_equal(d->state, MODEL_READY);
	assert_true(d->fetched_at > 0);
	/* A partial failure, if any, is one of the side calls. */
	assert_null(strstr(d->err.what, "GetFunction"));
	assert_string_equal(d->config.function_name,
	    "datalake-alpha-mambu-to-s3-raw");
	assert_string_equal(d->config.runtime, "python3.12");
	assert_int_equal(d->n_layers, 2);
	for (i = 0; i < d->n_layers; i++) {
		if (strcmp(d->layers[i].name, "datalake-alpha-aws-wrangler") == 0) {
			assert_int_equal(d->layers[i].version, 3);
			assert_int_equal(d->layers[i].latest_version, 3);
		} else {
			assert_string_equal(d->layers[i].name,
			    "datalake-alpha-flattenjson");
			assert_int_equal(d->layers[i].version, 2);
			assert_int_equal(d->layers[i].latest_version, 2);
		}
	}

	/* The details survive a refresh of the list. */
	model_refresh_functions(f->m, 0);
	assert_true(run_until(f, functions_settled, 0));
	fn = model_function_find(f->m, 0, "datalake-alpha-mambu-to-s3-raw");
	assert_non_null(fn->details);
	assert_string_equal(fn->details->config.function_name,
	    "datalake-alpha-mambu-to-s3-raw");

	/* A load can be cancelled midway by freeing the model (teardown). */
	model_load_details(f->m, 0, "datalake-alpha-mambu-to-s3-raw");
	assert_int_equal(fn->details->state, MODEL_LOADING);
}

static int
reported_ready(struct fixture *f, size_t env)
{
	return f->saw_ready[env] >= 1;
}

static int
auto_refreshed(struct fixture *f, size_t env)
{
	return f->saw_ready[env] >= 2 && functions_settled(f, env);
}

static void
test_auto_refresh(void **state)
{
	struct fixture *f = *state;
	struct model_env *a = model_env_at(f->m, 0);

	model_set_auto_refresh(f->m, 0, 1);
	/* Nothing happens before the timer: no call from inside model_*. */
	assert_int_equal(a->functions_state, MODEL_IDLE);
	assert_true(run_until(f, reported_ready, 0));
	assert_int_equal(a->n_functions, 68);
	assert_int_equal(f->saw_ready[0], 1);
	assert_true(run_until(f, auto_refreshed, 0));
	assert_int_equal(a->n_functions, 68);
	/* Moving it to another environment stops alpha's timer. */
	model_set_auto_refresh(f->m, 1, 1);
	assert_true(run_until(f, reported_ready, 1));
	assert_int_equal(model_env_at(f->m, 1)->functions_state, MODEL_READY);
	assert_int_equal(f->saw_ready[0], 2);
	model_set_auto_refresh(f->m, 1, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_age_and_cred_state),
		cmocka_unit_test_setup_teardown(test_envs_and_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_functions_refresh_keeps_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_env_leaves_others_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_details, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_refresh, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
