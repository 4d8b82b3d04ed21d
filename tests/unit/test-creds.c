/*
 * Unit tests for the credential providers that need no network: the
 * environment, static keys, credential_process, the refreshing cache, and
 * how a profile picks its source. (SSO and assume-role are tested end to
 * end against tests/fakeaws.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "aws.h"
#include "awsconfig.h"
#include "creds.h"
#include "loop.h"
#include "proc.h"
#include "xmalloc.h"
#include "testserver.h"

struct answer {
	int			 calls;
	struct aws_credentials	 c;
	struct dlc_err		 err;
	int			 failed;
};

static void
remember(const struct aws_credentials *c, const struct dlc_err *err, void *arg)
{
	struct answer *a = arg;

	a->calls++;
	aws_credentials_clear(&a->c);
	a->failed = c == NULL;
	if (c != NULL)
		aws_credentials_copy(&a->c, c);
	else
		a->err = *err;
}

static void
clear_env(void)
{
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_SESSION_TOKEN");
	unsetenv("AWS_SECURITY_TOKEN");
	unsetenv("AWS_ACCOUNT_ID");
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_DEFAULT_PROFILE");
}

static void
test_env_provider(void **state)
{
	struct creds_provider *p = creds_env_new();
	struct answer a;

	memset(&a, 0, sizeof a);
	clear_env();
	creds_get(p, remember, &a);
	assert_int_equal(a.calls, 1);
	assert_true(a.failed);
	assert_string_equal(a.err.code, "NoCredentials");

	setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEENV000000001", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "secret-env", 1);
	setenv("AWS_SECURITY_TOKEN", "legacy-token", 1);
	creds_get(p, remember, &a);
	assert_false(a.failed);
	assert_string_equal(a.c.access_key_id, "AKIAFAKEENV000000001");
	assert_string_equal(a.c.secret_access_key, "secret-env");
	assert_string_equal(a.c.session_token, "legacy-token");
	assert_string_equal(a.c.source, "env");
	aws_credentials_clear(&a.c);
	creds_provider_free(p);
	clear_env();
}

static char tmpdir[] = "/tmp/dlc-test-creds-XXXXXX";

static char *
write_file(const char *name, const char *text, int mode)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

/* Asks p and turns the loop until it answers: the helper is a child on it. */
static void
ask_process(struct loop *loop, struct creds_provider *p, struct answer *a)
{
	int calls = a->calls;

	creds_get(p, remember, a);
	assert_int_equal(a->calls, calls);	/* never before the helper ran */
	while (a->calls == calls)
		assert_int_equal(loop_run_once(loop), 0);
	assert_int_equal(a->calls, calls + 1);
}

static void
test_process_provider(void **state)
{
	char *ok = write_file("ok.sh",
	    "#!/bin/sh\n"
	    "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIAFAKEPROC00000001\", "
	    "\"SecretAccessKey\": \"s3cr3t\", \"SessionToken\": \"tok\", "
	    "\"Expiration\": \"2030-01-02T03:04:05Z\", \"AccountId\": \"111111111111\"}'\n", 0700);
	char *fails = write_file("fails.sh", "#!/bin/sh\necho 'token expired: run helper login' >&2\nexit 3\n", 0700);
	char *v2 = write_file("v2.sh", "#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"b\"}'\n", 0700);
	char *junk = write_file("junk.sh", "#!/bin/sh\necho 'not json'\n", 0700);
	char *cmd;
	struct creds_provider *p;
	struct answer a;
	struct loop *loop = loop_new();

	memset(&a, 0, sizeof a);
	cmd = xasprintf("'%s' --profile 'x y'", ok);
	p = creds_process_new(loop, cmd, "proc");
	ask_process(loop, p, &a);
	assert_false(a.failed);
	assert_string_equal(a.c.access_key_id, "AKIAFAKEPROC00000001");
	assert_string_equal(a.c.session_token, "tok");
	assert_string_equal(a.c.account_id, "111111111111");
	assert_int_equal(a.c.expiration, 1893553445);
	creds_provider_free(p);
	free(cmd);

	p = creds_process_new(loop, fails, "proc");
	ask_process(loop, p, &a);
	assert_true(a.failed);
	assert_non_null(strstr(a.err.message, "status 3"));
	assert_non_null(strstr(a.err.message, "token expired: run helper login"));
	assert_non_null(strstr(a.err.what, "proc"));
	creds_provider_free(p);

	p = creds_process_new(loop, v2, "proc");
	ask_process(loop, p, &a);
	assert_true(a.failed);
	assert_non_null(strstr(a.err.message, "Version"));
	creds_provider_free(p);

	p = creds_process_new(loop, junk, "proc");
	ask_process(loop, p, &a);
	assert_true(a.failed);
	assert_string_equal(a.err.code, "InvalidProcessOutput");
	creds_provider_free(p);

	p = creds_process_new(loop, "/nonexistent/helper", "proc");
	ask_process(loop, p, &a);
	assert_true(a.failed);
	assert_non_null(strstr(a.err.message, "127"));
	creds_provider_free(p);

	aws_credentials_clear(&a.c);
	loop_free(loop);
	free(ok);
	free(fails);
	free(v2);
	free(junk);
}

/*
 * Two helpers of 0.4 s each answer together in about 0.4 s: nothing waits
 * for a child. Two calls to one provider share one run, and a provider
 * freed while its helper runs never answers and leaves no child behind.
 */
static void
test_process_provider_runs_beside_the_loop(void **state)
{
	char *slow = write_file("slow.sh",
	    "#!/bin/sh\n"
	    "echo run >> \"$0.runs\"\n"
	    "sleep 0.4\n"
	    "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIAFAKEPROC00000002\", \"SecretAccessKey\": \"s\"}'\n", 0700);
	char *runs = xasprintf("%s.runs", slow), line[64];
	struct loop *loop = loop_new();
	struct creds_provider *p1 = creds_process_new(loop, slow, "one");
	struct creds_provider *p2 = creds_process_new(loop, slow, "two");
	struct answer a1, a2, a3;
	uint64_t t0 = loop_now_ms();
	int n = 0;
	FILE *f;

	unlink(runs);
	memset(&a1, 0, sizeof a1);
	memset(&a2, 0, sizeof a2);
	memset(&a3, 0, sizeof a3);
	creds_get(p1, remember, &a1);
	creds_get(p1, remember, &a3);
	creds_get(p2, remember, &a2);
	while (a1.calls + a2.calls + a3.calls < 3)
		assert_int_equal(loop_run_once(loop), 0);
	assert_true(loop_now_ms() - t0 < 700);
	assert_false(a1.failed || a2.failed || a3.failed);
	assert_string_equal(a3.c.access_key_id, "AKIAFAKEPROC00000002");
	f = fopen(runs, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL)
		n++;
	fclose(f);
	assert_int_equal(n, 2);

	creds_provider_free(p1);
	p1 = creds_process_new(loop, slow, "three");
	aws_credentials_clear(&a1.c);
	memset(&a1, 0, sizeof a1);
	creds_get(p1, remember, &a1);
	assert_int_equal(proc_live_count(), 1);
	creds_provider_free(p1);
	while (proc_live_count() > 0)
		assert_int_equal(loop_run_once(loop), 0);
	assert_int_equal(a1.calls, 0);

	aws_credentials_clear(&a1.c);
	aws_credentials_clear(&a2.c);
	aws_credentials_clear(&a3.c);
	creds_provider_free(p2);
	loop_free(loop);
	unlink(runs);
	free(runs);
	free(slow);
}

/* A provider that answers later, when the test says so, and counts calls. */
struct slow {
	int		 calls;
	creds_cb	 cb[4];
	void		*arg[4];
	int		 waiting;
	time_t		 expiration;
};

static void
slow_get(struct creds_provider *p, creds_cb cb, void *arg)
{
	struct slow *s = p->state;

	s->calls++;
	s->cb[s->waiting] = cb;
	s->arg[s->waiting++] = arg;
}

static void
slow_answer(struct slow *s)
{
	struct aws_credentials c;
	int i, n = s->waiting;

	memset(&c, 0, sizeof c);
	c.access_key_id = "AKIAFAKESLOW00000001";
	c.secret_access_key = "x";
	c.expiration = s->expiration;
	c.source = "slow";
	s->waiting = 0;
	for (i = 0; i < n; i++)
		s->cb[i](&c, NULL, s->arg[i]);
}

/* Fails every waiting call, as an expired SSO login or a dead STS would. */
static void
slow_fail(struct slow *s)
{
	struct dlc_err err;
	int i, n = s->waiting;

	dlc_err_clear(&err);
	dlc_err_set(&err, "RefreshFailed", "the refresh failed");
	s->waiting = 0;
	for (i = 0; i < n; i++)
		s->cb[i](NULL, &err, s->arg[i]);
}

static void
slow_free(struct creds_provider *p)
{
	free(p);
}

static time_t fake_now;

static time_t
fake_clock(void)
{
	return fake_now;
}

static void
test_cache_coalesces_and_refreshes_early(void **state)
{
	struct slow s;
	struct creds_provider *inner = xcalloc(1, sizeof *inner);
	struct creds_provider *cache;
	struct answer a1, a2;

	memset(&s, 0, sizeof s);
	memset(&a1, 0, sizeof a1);
	memset(&a2, 0, sizeof a2);
	inner->kind = "slow";
	inner->get = slow_get;
	inner->free = slow_free;
	inner->state = &s;
	cache = creds_cache_new(inner, fake_clock);
	fake_now = 1000000;
	s.expiration = fake_now + 3600;

	/* Two callers while one fetch is under way: one fetch, two answers. */
	creds_get(cache, remember, &a1);
	creds_get(cache, remember, &a2);
	assert_int_equal(s.calls, 1);
	assert_int_equal(a1.calls, 0);
	slow_answer(&s);
	assert_int_equal(a1.calls, 1);
	assert_int_equal(a2.calls, 1);
	assert_string_equal(a2.c.access_key_id, "AKIAFAKESLOW00000001");

	/* Fresh: answered from the cache at once. */
	fake_now += 3600 - 301;
	creds_get(cache, remember, &a1);
	assert_int_equal(a1.calls, 2);
	assert_int_equal(s.calls, 1);

	/*
	 * Inside the last five minutes: fetched again, while the caller
	 * gets the still-valid keys at once.
	 */
	fake_now += 2;
	creds_get(cache, remember, &a1);
	assert_int_equal(s.calls, 2);
	assert_int_equal(a1.calls, 3);
	s.expiration = fake_now + 3600;
	slow_answer(&s);
	assert_int_equal(a1.calls, 3);
	creds_get(cache, remember, &a1);
	assert_int_equal(s.calls, 2);
	assert_int_equal(a1.calls, 4);

	/* Invalidation forces a fetch. */
	creds_cache_invalidate(cache);
	creds_get(cache, remember, &a1);
	assert_int_equal(s.calls, 3);
	slow_answer(&s);

	aws_credentials_clear(&a1.c);
	aws_credentials_clear(&a2.c);
	creds_provider_free(cache);
}

static struct creds_provider *
slow_cache(struct slow *s)
{
	struct creds_provider *inner = xcalloc(1, sizeof *inner);

	memset(s, 0, sizeof *s);
	inner->kind = "slow";
	inner->get = slow_get;
	inner->free = slow_free;
	inner->state = s;
	return creds_cache_new(inner, fake_clock);
}

/*
 * A failed refresh inside the advisory window keeps the keys that still
 * work and waits 30 s, 60 s, 120 s... before the next try, instead of
 * dropping them and fetching again on every request.
 */
static void
test_cache_keeps_keys_when_advisory_refresh_fails(void **state)
{
	struct slow s;
	struct creds_provider *cache = slow_cache(&s);
	struct answer a;
	time_t expiry;
	int i;

	memset(&a, 0, sizeof a);
	fake_now = 2000000;
	expiry = fake_now + 3600;
	s.expiration = expiry;
	creds_get(cache, remember, &a);
	slow_answer(&s);
	assert_int_equal(a.calls, 1);

	/* Four minutes before expiry: advisory. The refresh fails. */
	fake_now = expiry - 240;
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 2);
	assert_int_equal(a.calls, 2);
	assert_false(a.failed);
	slow_fail(&s);
	assert_int_equal(a.calls, 2);

	/* A burst of requests right after: the old keys, no new fetch. */
	for (i = 0; i < 50; i++)
		creds_get(cache, remember, &a);
	assert_int_equal(a.calls, 52);
	assert_false(a.failed);
	assert_string_equal(a.c.access_key_id, "AKIAFAKESLOW00000001");
	assert_int_equal(s.calls, 2);

	/* 29 s later still backing off; at 30 s one retry, which fails too. */
	fake_now += 29;
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 2);
	fake_now += 1;
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 3);
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 3);
	slow_fail(&s);

	/* The wait doubles: nothing at +59 s, a retry at +60 s. */
	fake_now += 59;
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 3);
	fake_now += 1;
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 4);
	slow_fail(&s);
	assert_false(a.failed);

	/* The next wait (120 s) would pass expiry - 60 s: it stops there. */
	fake_now = expiry - 61;
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 4);
	assert_false(a.failed);

	/* Mandatory: the caller waits and sees the failure. */
	fake_now = expiry - 60;
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 5);
	assert_int_equal(a.calls, 58);
	slow_fail(&s);
	assert_int_equal(a.calls, 59);
	assert_true(a.failed);
	assert_string_equal(a.err.code, "RefreshFailed");

	/* A success ends the backoff: fresh keys, served from the cache. */
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 6);
	s.expiration = fake_now + 3600;
	slow_answer(&s);
	assert_false(a.failed);
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 6);

	aws_credentials_clear(&a.c);
	creds_provider_free(cache);
}

/* A success after a failed advisory refresh resets the wait to 30 s. */
static void
test_cache_backoff_resets_after_success(void **state)
{
	struct slow s;
	struct creds_provider *cache = slow_cache(&s);
	struct answer a;

	memset(&a, 0, sizeof a);
	fake_now = 3000000;
	s.expiration = fake_now + 3600;
	creds_get(cache, remember, &a);
	slow_answer(&s);
	fake_now = s.expiration - 280;
	creds_get(cache, remember, &a);
	slow_fail(&s);
	fake_now += 30;
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 3);
	s.expiration = fake_now + 3600;
	slow_answer(&s);
	fake_now = s.expiration - 280;
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 4);
	slow_fail(&s);
	fake_now += 30;
	creds_get(cache, remember, &a);
	assert_int_equal(s.calls, 5);
	slow_fail(&s);
	assert_false(a.failed);
	aws_credentials_clear(&a.c);
	creds_provider_free(cache);
}

static void
test_profile_resolution(void **state)
{
	char *config = write_file("config",
	    "[profile static]\nregion = eu-west-1\n"
	    "[profile proc]\ncredential_process = /bin/false\n"
	    "[profile role-no-source]\nrole_arn = arn:aws:iam::111111111111:role/R\n"
	    "[profile role-both]\nrole_arn = arn:aws:iam::111111111111:role/R\nsource_profile = static\ncredential_source = Environment\n"
	    "[profile half]\naws_access_key_id = AKIAFAKEHALF00000001\n"
	    "[profile empty]\nregion = eu-west-1\n", 0600);
	char *credentials = write_file("credentials",
	    "[static]\naws_access_key_id = AKIAFAKESTATIC000001\naws_secret_access_key = st\n", 0600);
	struct aws_ctx ctx;
	struct dlc_err err;
	struct creds_provider *p;
	struct answer a;

	memset(&ctx, 0, sizeof ctx);
	memset(&a, 0, sizeof a);
	clear_env();
	dlc_err_clear(&err);
	ctx.cfg = aws_config_load(config, credentials, &err);
	assert_non_null(ctx.cfg);

	p = creds_for_profile(&ctx, "static", 1, "eu-west-1", "alpha", &err);
	assert_non_null(p);
	creds_get(p, remember, &a);
	assert_false(a.failed);
	assert_string_equal(a.c.access_key_id, "AKIAFAKESTATIC000001");
	assert_string_equal(a.c.source, "profile");
	creds_provider_free(p);

	/* Environment keys win only when no profile was named. */
	setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEENV000000001", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "e", 1);
	p = creds_for_profile(&ctx, "static", 1, "eu-west-1", "alpha", &err);
	creds_get(p, remember, &a);
	assert_string_equal(a.c.access_key_id, "AKIAFAKESTATIC000001");
	creds_provider_free(p);
	p = creds_for_profile(&ctx, NULL, 0, "eu-west-1", "alpha", &err);
	creds_get(p, remember, &a);
	assert_string_equal(a.c.access_key_id, "AKIAFAKEENV000000001");
	creds_provider_free(p);
	clear_env();

	p = creds_for_profile(&ctx, "proc", 1, "eu-west-1", "alpha", &err);
	assert_non_null(p);
	assert_string_equal(p->kind, "process");
	creds_provider_free(p);

	dlc_err_clear(&err);
	assert_null(creds_for_profile(&ctx, "nope", 1, "eu-west-1", "alpha", &err));
	assert_string_equal(err.code, "ProfileNotFound");
	assert_non_null(strstr(err.fix, "nope"));

	dlc_err_clear(&err);
	assert_null(creds_for_profile(&ctx, "role-no-source", 1, "eu-west-1", "alpha", &err));
	assert_non_null(strstr(err.message, "source_profile"));

	dlc_err_clear(&err);
	assert_null(creds_for_profile(&ctx, "role-both", 1, "eu-west-1", "alpha", &err));
	assert_non_null(strstr(err.message, "both"));

	dlc_err_clear(&err);
	assert_null(creds_for_profile(&ctx, "half", 1, "eu-west-1", "alpha", &err));
	assert_string_equal(err.code, "PartialCredentials");

	dlc_err_clear(&err);
	assert_null(creds_for_profile(&ctx, "empty", 1, "eu-west-1", "alpha", &err));
	assert_string_equal(err.code, "NoCredentials");

	aws_credentials_clear(&a.c);
	aws_config_free(ctx.cfg);
	free(config);
	free(credentials);
}

static int
setup(void **state)
{
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	testserver_rmtree(tmpdir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_provider),
		cmocka_unit_test(test_process_provider),
		cmocka_unit_test(test_process_provider_runs_beside_the_loop),
		cmocka_unit_test(test_cache_coalesces_and_refreshes_early),
		cmocka_unit_test(test_cache_keeps_keys_when_advisory_refresh_fails),
		cmocka_unit_test(test_cache_backoff_resets_after_success),
		cmocka_unit_test(test_profile_resolution),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
