/*
 * Unit tests for src/loggroup.c without the network: a named log group is
 * taken as it is, costs no call and is answered from the loop, never from
 * inside loggroup_resolve; a function whose lookup fails for a reason
 * other than "not found" (no credentials) stops at the first name tried
 * with that error. Which name reaches which group against fakeaws is
 * tests/e2e/test-logs-groups.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <curl/curl.h>

#include "aws.h"
#include "dlcconfig.h"
#include "http.h"
#include "loggroup.h"
#include "loop.h"
#include "manifest.h"

struct result {
	int			 calls;
	size_t			 n;
	char			 group[2][256];
	int			 has_function[2];
	char			 code[2][128];
};

static void
on_done(struct loggroup_target *t, size_t n, void *arg)
{
	struct result *r = arg;
	size_t i;

	r->calls++;
	r->n = n;
	for (i = 0; i < n && i < 2; i++) {
		snprintf(r->group[i], sizeof r->group[i], "%s", t[i].group != NULL ? t[i].group : "");
		r->has_function[i] = t[i].function != NULL;
		snprintf(r->code[i], sizeof r->code[i], "%s", t[i].err.code);
	}
}

static void
run_until(struct aws_ctx *ctx, const struct result *r)
{
	int i;

	for (i = 0; i < 200 && r->calls == 0; i++)
		loop_run_once(ctx->loop);
}

static void
test_groups_as_they_are(void **state)
{
	struct aws_ctx ctx;
	struct dlc_env env;
	struct aws_env *aenv;
	struct loggroup_resolver *r;
	struct result res;
	const char *names[] = { "/aws/lambda/gone", "/custom/group" };
	const int is_group[] = { 1, 1 };

	(void)state;
	memset(&ctx, 0, sizeof ctx);
	memset(&env, 0, sizeof env);
	memset(&res, 0, sizeof res);
	ctx.loop = loop_new();
	ctx.http = http_new(ctx.loop);
	env.name = "alpha";
	env.function_name = "datalake-alpha-{function}";
	aenv = aws_env_new(&ctx, "alpha", NULL, "eu-west-1", NULL);
	r = loggroup_resolve(ctx.loop, aenv, &env, NULL, 0, names, is_group, 2,
	    on_done, &res);
	assert_int_equal(res.calls, 0);		/* never from inside */
	run_until(&ctx, &res);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.n, 2);
	assert_string_equal(res.group[0], "/aws/lambda/gone");
	assert_string_equal(res.group[1], "/custom/group");
	assert_false(res.has_function[0]);
	assert_string_equal(res.code[0], "");
	loggroup_resolver_free(r);
	aws_env_free(aenv);
	http_free(ctx.http);
	loop_free(ctx.loop);
}

static void
test_lookup_error_stops(void **state)
{
	struct aws_ctx ctx;
	struct dlc_env env;
	struct aws_env *aenv;
	struct loggroup_resolver *r;
	struct loggroup_target *t;
	struct result res;
	const char *names[] = { "mambu-to-s3-raw", "/custom/group" };
	const int is_group[] = { 0, 1 };
	size_t n;

	(void)state;
	memset(&ctx, 0, sizeof ctx);
	memset(&env, 0, sizeof env);
	memset(&res, 0, sizeof res);
	ctx.loop = loop_new();
	ctx.http = http_new(ctx.loop);
	env.name = "alpha";
	env.function_name = "datalake-alpha-{function}";
	aenv = aws_env_new(&ctx, "alpha", NULL, "eu-west-1", NULL);
	r = loggroup_resolve(ctx.loop, aenv, &env, NULL, 0, names, is_group, 2,
	    on_done, &res);
	run_until(&ctx, &res);
	assert_int_equal(res.calls, 1);
	assert_string_equal(res.code[0], "NoCredentials");
	assert_string_equal(res.group[0], "");
	assert_string_equal(res.group[1], "/custom/group");
	t = loggroup_targets(r, &n);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].label, "mambu-to-s3-raw");
	loggroup_resolver_free(r);
	aws_env_free(aenv);
	http_free(ctx.http);
	loop_free(ctx.loop);
	loggroup_resolver_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_as_they_are),
		cmocka_unit_test(test_lookup_error_stops),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
