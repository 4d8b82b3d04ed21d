/*
 * The credential providers that talk to AWS, against the real
 * tests/fakeaws on 127.0.0.1: assume-role from a static source, and SSO
 * (the device flow of src/sso-login.c writing the CLI's cache, role
 * credentials from it, and a refresh with the refresh token once the
 * access token has expired).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "aws.h"
#include "awsconfig.h"
#include "creds.h"
#include "http.h"
#include "loop.h"
#include "sso-cache.h"
#include "sso-login.h"
#include "testserver.h"
#include "xmalloc.h"

struct net {
	struct testserver server;	/* its directory is also HOME */
	struct aws_ctx	 aws;
};

struct answer {
	int			 done;
	int			 failed;
	struct aws_credentials	 c;
	struct dlc_err		 err;
};

static const char *
env_or(const char *name, const char *fallback)
{
	return getenv(name) != NULL ? getenv(name) : fallback;
}

/* A seed value: the alpha account's key, secret or id, or the SSO start URL. */
static char *
seed(const char *file, const char *what)
{
	char path[512];
	char *text, *out = NULL;
	cJSON *root, *a;

	snprintf(path, sizeof path, "%s/tests/fakeaws/seed/%s", env_or("DLC_SRCDIR", "."), file);
	text = testserver_read_file(path);
	assert_non_null(text);
	root = cJSON_Parse(text);
	if (strcmp(file, "sso.json") == 0) {
		out = xstrdup(cJSON_GetObjectItem(root, what)->valuestring);
	} else {
		a = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "accounts"), 0);
		if (strcmp(what, "account") == 0)
			out = xstrdup(cJSON_GetObjectItem(a, "account_id")->valuestring);
		else
			out = xstrdup(cJSON_GetObjectItem(cJSON_GetArrayItem(
			    cJSON_GetObjectItem(a, "keys"), 0), what)->valuestring);
	}
	cJSON_Delete(root);
	free(text);
	return out;
}

static int
setup(void **state)
{
	static const char *const args[] = { "--port", "0", "--port-file",
	    "@PORTFILE@", "--sso-approve-after", "1",
	    "--log-events-per-function", "1", NULL };
	struct net *n = xcalloc(1, sizeof *n);
	char path[512], extra[1024];
	char *key, *secret, *account, *start_url;
	struct dlc_err err;
	FILE *f;

	*state = n;
	testserver_clear_aws_env();
	assert_int_equal(testserver_start(&n->server, "tests/fakeaws/fakeaws.py",
	    args), 0);
	setenv("HOME", n->server.dir, 1);

	key = seed("accounts.json", "access_key_id");
	secret = seed("accounts.json", "secret_access_key");
	account = seed("accounts.json", "account");
	start_url = seed("sso.json", "start_url");
	snprintf(path, sizeof path, "%s/config", n->server.dir);
	snprintf(extra, sizeof extra,
	    "aws_access_key_id = %s\naws_secret_access_key = %s\n", key, secret);
	assert_int_equal(testserver_config_add(&n->server, path, "static", extra), 0);
	snprintf(extra, sizeof extra,
	    "role_arn = arn:aws:iam::%s:role/DataLakeDeployer\nsource_profile = static\n"
	    "role_session_name = unit\n", account);
	assert_int_equal(testserver_config_add(&n->server, path, "role", extra), 0);
	snprintf(extra, sizeof extra,
	    "sso_session = datalake\nsso_account_id = %s\nsso_role_name = DataLakeDeveloper\n",
	    account);
	assert_int_equal(testserver_config_add(&n->server, path, "sso", extra), 0);
	f = fopen(path, "a");
	assert_non_null(f);
	fprintf(f, "[sso-session datalake]\nsso_start_url = %s\nsso_region = eu-west-1\n",
	    start_url);
	fclose(f);
	dlc_err_clear(&err);
	n->aws.cfg = aws_config_load(path, "/nonexistent", &err);
	assert_non_null(n->aws.cfg);
	n->aws.loop = loop_new();
	n->aws.http = http_new(n->aws.loop);
	free(key);
	free(secret);
	free(account);
	free(start_url);
	return 0;
}

static int
teardown(void **state)
{
	struct net *n = *state;

	http_free(n->aws.http);
	loop_free(n->aws.loop);
	aws_config_free(n->aws.cfg);
	testserver_stop(&n->server);
	free(n);
	return 0;
}

static void
remember(const struct aws_credentials *c, const struct dlc_err *err, void *arg)
{
	struct answer *a = arg;

	a->done = 1;
	a->failed = c == NULL;
	aws_credentials_clear(&a->c);
	if (c != NULL)
		aws_credentials_copy(&a->c, c);
	else
		a->err = *err;
}

static void
wait_for(struct net *n, int *done)
{
	int turns;

	for (turns = 0; !*done && turns < 2000; turns++)
		loop_run_once(n->aws.loop);
	assert_true(*done);
}

static void
test_assume_role(void **state)
{
	struct net *n = *state;
	struct dlc_err err;
	struct creds_provider *p;
	struct answer a;

	memset(&a, 0, sizeof a);
	dlc_err_clear(&err);
	p = creds_for_profile(&n->aws, "role", 1, "eu-west-1", "alpha", &err);
	assert_non_null(p);
	creds_get(p, remember, &a);
	wait_for(n, &a.done);
	assert_false(a.failed);
	assert_memory_equal(a.c.access_key_id, "ASIA", 4);
	assert_non_null(a.c.session_token);
	assert_true(a.c.expiration > time(NULL));
	assert_string_equal(a.c.source, "assume-role");
	aws_credentials_clear(&a.c);
	creds_provider_free(p);
}

static void
login_code(const char *uri, const char *full, const char *code, void *arg)
{
	int *shown = arg;

	assert_non_null(code);
	(*shown)++;
}

static int login_done_flag;
static struct dlc_err login_err;

static void
login_done(const struct dlc_err *err, void *arg)
{
	login_done_flag = 1;
	if (err != NULL)
		login_err = *err;
}

static void
test_sso_login_then_credentials_then_refresh(void **state)
{
	struct net *n = *state;
	struct dlc_err err;
	struct creds_provider *p;
	struct sso_cache_token t;
	struct sso_login *login;
	struct answer a;
	char *first_token;
	int shown = 0;

	memset(&a, 0, sizeof a);
	dlc_err_clear(&err);
	/* No login yet: the provider says exactly what to run. */
	p = creds_for_profile(&n->aws, "sso", 1, "eu-west-1", "alpha", &err);
	assert_non_null(p);
	creds_get(p, remember, &a);
	wait_for(n, &a.done);
	assert_true(a.failed);
	assert_non_null(strstr(a.err.fix, "dlc login -e alpha"));

	login = sso_login_start(&n->aws, "sso", "alpha", login_code, login_done, &shown, &err);
	assert_non_null(login);
	wait_for(n, &login_done_flag);
	assert_false(dlc_err_isset(&login_err));
	assert_int_equal(shown, 1);
	sso_login_free(login);

	a.done = 0;
	creds_get(p, remember, &a);
	wait_for(n, &a.done);
	assert_false(a.failed);
	assert_string_equal(a.c.source, "sso");
	assert_non_null(a.c.session_token);

	/* Past expiry, with a refresh token: refreshed and written back. */
	assert_int_equal(sso_cache_read("datalake", &t, &err), 0);
	first_token = xstrdup(t.access_token);
	t.expires_at = time(NULL) - 60;
	assert_int_equal(sso_cache_write("datalake", &t, &err), 0);
	sso_cache_token_clear(&t);
	creds_cache_invalidate(p);
	a.done = 0;
	creds_get(p, remember, &a);
	wait_for(n, &a.done);
	assert_false(a.failed);
	assert_int_equal(sso_cache_read("datalake", &t, &err), 0);
	assert_string_not_equal(t.access_token, first_token);
	assert_true(t.expires_at > time(NULL));
	sso_cache_token_clear(&t);
	free(first_token);
	aws_credentials_clear(&a.c);
	creds_provider_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assume_role),
		cmocka_unit_test(test_sso_login_then_credentials_then_refresh),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
