/*
 * Unit tests for the call pipeline (src/aws.c) against the small local
 * server (tests/unit/http-test-server.py), which does not check
 * signatures: what reaches the caller (headers, the error body), the
 * per-request timeouts, a body streamed from a file and sent again on a
 * retry, the service definitions' wire, and cancel in every state of a
 * call. The S3 round trip against fakeaws is in test-s3.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "aws.h"
#include "awsconfig.h"
#include "creds.h"
#include "hash.h"
#include "http.h"
#include "loop.h"
#include "testserver.h"
#include "xmalloc.h"

static struct testserver server;
static struct aws_ctx ctx;
static struct aws_env *env;
static struct creds_provider *keys;

struct result {
	int		 done;
	int		 calls;
	int		 ok;
	long		 status;
	int		 attempts;
	char		*body;
	struct dlc_err	 err;
	char		 request_id[64];
	char		 hdr[4][128];	/* the values of want[] */
	const char	*want[4];
	size_t		 n_headers;
	struct aws_call	*self;		/* cancel this from the callback */
	struct aws_call	*other;		/* and this one */
	uint64_t	 at;
};

static void
on_done(int ok, struct aws_response *resp, void *arg)
{
	struct result *r = arg;
	const char *v;
	int i;

	r->done = 1;
	r->calls++;
	r->ok = ok;
	r->status = resp->status;
	r->attempts = resp->attempts;
	r->err = resp->err;
	r->n_headers = resp->n_headers;
	r->at = loop_now_ms();
	free(r->body);
	r->body = buf_detach(&resp->body, NULL);
	if (resp->request_id != NULL)
		snprintf(r->request_id, sizeof r->request_id, "%s", resp->request_id);
	for (i = 0; i < 4 && r->want[i] != NULL; i++)
		if ((v = aws_response_header(resp, r->want[i])) != NULL)
			snprintf(r->hdr[i], sizeof r->hdr[i], "%s", v);
	/* A no-op from inside the call's own callback. */
	if (r->self != NULL)
		aws_call_cancel(r->self);
	if (r->other != NULL)
		aws_call_cancel(r->other);
}

static int
group_setup(void **state)
{
	const char *args[] = { "@PORTFILE@", NULL };

	if (testserver_start(&server, "tests/unit/http-test-server.py", args) != 0)
		return -1;
	unsetenv("AWS_MAX_ATTEMPTS");
	unsetenv("AWS_RETRY_MODE");
	ctx.cfg = testserver_aws_config(&server, "t");
	return ctx.cfg != NULL ? 0 : -1;
}

static int
group_teardown(void **state)
{
	aws_config_free(ctx.cfg);
	testserver_stop(&server);
	return 0;
}

static int
setup(void **state)
{
	struct aws_credentials c = { .access_key_id = "AKIDTEST",
	    .secret_access_key = "SECRETTEST", .source = "test" };

	ctx.loop = loop_new();
	ctx.http = http_new(ctx.loop);
	ctx.connect_timeout_ms = ctx.read_timeout_ms = 0;
	keys = creds_static_new(&c);
	env = aws_env_new(&ctx, "test", "t", "eu-west-1", keys);
	return 0;
}

static int
teardown(void **state)
{
	aws_env_free(env);
	creds_provider_free(keys);
	http_free(ctx.http);
	loop_free(ctx.loop);
	return 0;
}

static void
wait_done(struct result *r)
{
	assert_int_equal(loop_run_until(ctx.loop, &r->done), 0);
}

static void
result_free(struct result *r)
{
	free(r->body);
	r->body = NULL;
}

/* ---- what reaches the caller ---- */

static void
test_response_headers_reach_the_caller(void **state)
{
	struct aws_request req = { .operation = "Echo", .method = "GET", .target = "/echo" };
	struct result r = { .want = { "x-echo", "CONTENT-TYPE", "X-Absent" } };

	aws_send(env, &aws_service_lambda, &req, on_done, &r);
	wait_done(&r);
	assert_int_equal(r.ok, 0);
	assert_int_equal(r.status, 200);
	/* Found whatever the case of the name asked for. */
	assert_string_equal(r.hdr[0], "yes");
	assert_string_equal(r.hdr[1], "text/plain");
	assert_string_equal(r.hdr[2], "");
	assert_true(r.n_headers >= 3);
	result_free(&r);
}

static void
test_error_body_and_headers_reach_the_caller(void **state)
{
	const char *put = "{\"TableName\":\"dlc-locks\",\"Item\":{\"pk\":{\"S\":\"lock#deploy\"}},"
	    "\"ConditionExpression\":\"attribute_not_exists(pk)\","
	    "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}";
	struct aws_request req = { .operation = "PutItem", .body = put, .body_len = strlen(put) };
	struct result r = { .want = { "X-Seen-Target", "X-Seen-Content-Type" } };

	aws_send(env, &aws_service_dynamodb, &req, on_done, &r);
	wait_done(&r);
	assert_int_equal(r.ok, -1);
	assert_int_equal(r.status, 400);
	assert_string_equal(r.err.code, "ConditionalCheckFailedException");
	assert_int_equal(r.attempts, 1);
	/* The item that holds the lock, without a second read. */
	assert_non_null(strstr(r.body, "\"owner\":{\"S\":\"alice@laptop\"}"));
	assert_string_equal(r.request_id, "DDBREQ1");
	/* DynamoDB's wire: json 1.0 and its target prefix. */
	assert_string_equal(r.hdr[0], "DynamoDB_20120810.PutItem");
	assert_string_equal(r.hdr[1], "application/x-amz-json-1.0");
	result_free(&r);
}

static void
test_service_definitions_sign_as_their_service(void **state)
{
	struct aws_request req = { .operation = "DescribeAlarms", .target = "/echo",
	    .body = "Action=DescribeAlarms", .body_len = 21 };
	struct result r = { 0 }, s = { 0 };

	aws_send(env, &aws_service_cloudwatch, &req, on_done, &r);
	wait_done(&r);
	assert_int_equal(r.ok, 0);
	assert_non_null(strstr(r.body, "/eu-west-1/monitoring/aws4_request"));
	assert_non_null(strstr(r.body, "Content-Type: application/x-www-form-urlencoded"));
	/* S3: x-amz-content-sha256 on every request, signed. */
	req.method = "GET";
	req.body = NULL;
	req.body_len = 0;
	aws_send(env, &aws_service_s3, &req, on_done, &s);
	wait_done(&s);
	assert_int_equal(s.ok, 0);
	assert_non_null(strstr(s.body, "/eu-west-1/s3/aws4_request"));
	assert_non_null(strstr(s.body, "\nx-amz-content-sha256: "
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"));
	assert_non_null(strstr(s.body, "x-amz-content-sha256;x-amz-date"));
	result_free(&r);
	result_free(&s);
}

static void
test_one_environment_reaches_every_service(void **state)
{
	const struct aws_service *svc[] = { &aws_service_lambda, &aws_service_sts,
	    &aws_service_sso, &aws_service_oidc, &aws_service_events, &aws_service_logs,
	    &aws_service_s3, &aws_service_dynamodb, &aws_service_cloudwatch };
	struct aws_request req = { .operation = "Echo", .method = "GET", .target = "/echo" };
	struct result r;
	size_t i;

	/* Nine endpoints in one environment; the table held eight and aborted. */
	for (i = 0; i < sizeof svc / sizeof svc[0]; i++) {
		memset(&r, 0, sizeof r);
		req.method = svc[i]->protocol == AWS_PROTO_REST_JSON ||
		    svc[i]->protocol == AWS_PROTO_REST_XML ? "GET" : NULL;
		aws_send(env, svc[i], &req, on_done, &r);
		wait_done(&r);
		assert_int_equal(r.ok, 0);
		result_free(&r);
	}
}

/* ---- per-request options ---- */

static void
test_per_request_read_timeout_overrides_the_ctx(void **state)
{
	struct aws_request req = { .operation = "Stall", .method = "GET", .target = "/stall",
	    .read_timeout_ms = 1000 };
	struct result r = { 0 };
	uint64_t start = loop_now_ms();

	/* The ctx says 15 s a stall (30 s with the retry); this request 1 s. */
	aws_send(env, &aws_service_lambda, &req, on_done, &r);
	wait_done(&r);
	assert_int_equal(r.ok, -1);
	assert_int_equal(r.attempts, 2);
	assert_true(r.at - start < 8000);
	assert_non_null(strstr(r.err.message, "/stall"));
	assert_int_equal(r.n_headers, 0);
	result_free(&r);
}

static void
test_per_request_connect_timeout_overrides_the_ctx(void **state)
{
	struct aws_request req = { .operation = "Echo", .method = "GET", .target = "/echo",
	    .connect_timeout_ms = 500 };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	struct result r = { 0 };
	struct aws_env *e;
	char url[64];
	int ls, fill[4], i;
	uint64_t start;

	/*
	 * A listener that never accepts, its queue full: further SYNs are
	 * dropped, so connecting hangs as it does to a black-holed host.
	 */
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(ls, 0), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&sa, &len), 0);
	for (i = 0; i < 4; i++) {
		fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		(void)connect(fill[i], (struct sockaddr *)&sa, sizeof sa);
	}
	snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(sa.sin_port));
	setenv("AWS_ENDPOINT_URL_LAMBDA", url, 1);
	e = aws_env_new(&ctx, "blackhole", "t", "eu-west-1", keys);
	start = loop_now_ms();
	/* The ctx says 10 s a connect (20 s with the retry); this request 0.5 s. */
	aws_send(e, &aws_service_lambda, &req, on_done, &r);
	wait_done(&r);
	unsetenv("AWS_ENDPOINT_URL_LAMBDA");
	assert_int_equal(r.ok, -1);
	assert_int_equal(r.attempts, 2);
	assert_true(r.at - start < 4000);
	assert_non_null(strstr(r.err.message, url));
	aws_env_free(e);
	for (i = 0; i < 4; i++)
		close(fill[i]);
	close(ls);
	result_free(&r);
}

/* ---- a body streamed from a file ---- */

struct prog {
	struct test_progress	 seen;
	struct aws_call		*cancel;
};

static void
on_progress(uint64_t sent, uint64_t total, void *arg)
{
	struct result *r = arg;
	struct prog *p = (struct prog *)(void *)r->want[3];

	test_progress_note(&p->seen, sent, total);
	if (p->cancel != NULL)
		aws_call_cancel(p->cancel);
}

static char *
pattern_file(size_t n, unsigned char digest[32])
{
	char *path = xstrdup("/tmp/dlc-aws-body.XXXXXX");
	unsigned char *data = xmalloc(n);
	size_t i;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	for (i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 13 + i / 1021);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	if (digest != NULL)
		hash_sha256(data, n, digest);
	free(data);
	return path;
}

static void
test_file_body_is_sent_again_from_its_start_on_a_retry(void **state)
{
	size_t n = 3 * 1024 * 1024 + 1;
	unsigned char digest[32];
	char hex[65], want[128];
	char *path = pattern_file(n, digest);
	struct prog p = { 0 };
	struct aws_request req = { .operation = "Upload", .method = "PUT",
	    .target = "/flaky/retry-upload", .body_path = path,
	    .content_type = "application/zip", .progress = on_progress };
	struct result r = { .want = { "X-Attempt", NULL, NULL, (const char *)(void *)&p } };

	aws_send(env, &aws_service_lambda, &req, on_done, &r);
	wait_done(&r);
	assert_int_equal(r.ok, 0);
	assert_int_equal(r.attempts, 2);
	assert_string_equal(r.hdr[0], "2");
	/* The second attempt carried every byte, from the first. */
	hash_hex(digest, 32, hex);
	snprintf(want, sizeof want, "%zu %s", n, hex);
	assert_string_equal(r.body, want);
	assert_int_equal(p.seen.stalls, 0);
	assert_int_equal(p.seen.restarts, 1);
	assert_int_equal(p.seen.last, n);
	assert_int_equal(p.seen.total, n);
	result_free(&r);
	unlink(path);
	free(path);
}

static void
test_unreadable_body_file_fails_from_the_loop(void **state)
{
	struct aws_request req = { .operation = "Upload", .method = "PUT", .target = "/body",
	    .body_path = "/nonexistent/dlc/file.zip" };
	struct result r = { 0 };

	aws_send(env, &aws_service_lambda, &req, on_done, &r);
	assert_int_equal(r.calls, 0);
	wait_done(&r);
	assert_int_equal(r.ok, -1);
	assert_non_null(strstr(r.err.message, "/nonexistent/dlc/file.zip"));
	assert_int_equal(http_pending(ctx.http), 0);
	result_free(&r);
}

/* ---- cancel, in every state of a call ---- */

/* A provider that answers only when told (or never). */
struct slow {
	creds_cb	 cb;
	void		*arg;
	int		 asked;
};

static void
slow_get(struct creds_provider *p, creds_cb cb, void *arg)
{
	struct slow *s = p->state;

	s->cb = cb;
	s->arg = arg;
	s->asked++;
}

static void
slow_free(struct creds_provider *p)
{
	free(p->state);
	free(p);
}

static struct creds_provider *
slow_new(struct slow **out)
{
	struct creds_provider *p = xcalloc(1, sizeof *p);

	*out = xcalloc(1, sizeof **out);
	p->kind = "slow";
	p->get = slow_get;
	p->free = slow_free;
	p->state = *out;
	return creds_cache_new(p, NULL);
}

static void
test_cancel_while_waiting_for_credentials(void **state)
{
	struct aws_credentials c = { .access_key_id = "AKIDTEST",
	    .secret_access_key = "SECRETTEST", .source = "test" };
	struct aws_request req = { .operation = "Echo", .method = "GET", .target = "/echo" };
	struct result r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
	struct creds_provider *p;
	struct aws_env *e;
	struct aws_call *c1, *c2;
	struct dlc_err err;
	struct slow *s;
	int i;

	p = slow_new(&s);
	e = aws_env_new(&ctx, "slow", "t", "eu-west-1", p);
	c1 = aws_send(e, &aws_service_lambda, &req, on_done, &r1);
	c2 = aws_send(e, &aws_service_lambda, &req, on_done, &r2);
	aws_send(e, &aws_service_lambda, &req, on_done, &r3);
	while (s->asked == 0)
		assert_int_equal(loop_run_once(ctx.loop), 0);
	(void)loop_run_once(ctx.loop);
	aws_call_cancel(c1);
	aws_call_cancel(c2);
	/* The credentials arrive after the cancel: only the third answers. */
	s->cb(&c, NULL, s->arg);
	wait_done(&r3);
	assert_int_equal(r3.ok, 0);
	for (i = 0; i < 5; i++)
		(void)loop_run_once(ctx.loop);
	assert_int_equal(r1.calls + r2.calls, 0);
	aws_env_free(e);
	creds_provider_free(p);

	/*
	 * The provider fails: the first call's callback runs from inside the
	 * cache's answer and cancels the second, which waits in that same
	 * answer. It must never be called back.
	 */
	memset(&r1, 0, sizeof r1);
	memset(&r2, 0, sizeof r2);
	p = slow_new(&s);
	e = aws_env_new(&ctx, "slow", "t", "eu-west-1", p);
	c1 = aws_send(e, &aws_service_lambda, &req, on_done, &r1);
	c2 = aws_send(e, &aws_service_lambda, &req, on_done, &r2);
	while (s->asked == 0)
		assert_int_equal(loop_run_once(ctx.loop), 0);
	(void)loop_run_once(ctx.loop);
	r1.other = c2;
	dlc_err_clear(&err);
	dlc_err_set(&err, "CredentialProcessFailed", "the helper exited 1");
	s->cb(NULL, &err, s->arg);
	assert_int_equal(r1.calls, 1);
	assert_string_equal(r1.err.code, "CredentialProcessFailed");
	for (i = 0; i < 5; i++)
		(void)loop_run_once(ctx.loop);
	assert_int_equal(r2.calls, 0);
	aws_env_free(e);
	creds_provider_free(p);

	/* The provider freed without ever answering: nothing leaks (ASan). */
	result_free(&r1);
	memset(&r1, 0, sizeof r1);
	p = slow_new(&s);
	e = aws_env_new(&ctx, "slow", "t", "eu-west-1", p);
	c1 = aws_send(e, &aws_service_lambda, &req, on_done, &r1);
	while (s->asked == 0)
		assert_int_equal(loop_run_once(ctx.loop), 0);
	aws_call_cancel(c1);
	aws_call_cancel(NULL);
	aws_env_free(e);
	creds_provider_free(p);
	assert_int_equal(r1.calls, 0);
	result_free(&r3);
}

static void
on_flag(void *arg)
{
	*(int *)arg = 1;
}

static void
turn_for(long ms)
{
	struct loop_timer *t;
	int fired = 0;

	t = loop_timer_new(ctx.loop, on_flag, &fired);
	loop_timer_start(t, ms);
	assert_int_equal(loop_run_until(ctx.loop, &fired), 0);
	loop_timer_free(t);
}

static void
test_cancel_during_the_transfer(void **state)
{
	struct aws_request req = { .operation = "Stall", .method = "GET", .target = "/stall" };
	struct result r = { 0 }, after = { 0 };
	struct aws_request echo = { .operation = "Echo", .method = "GET", .target = "/echo" };
	struct aws_call *c;

	c = aws_send(env, &aws_service_lambda, &req, on_done, &r);
	turn_for(200);
	assert_int_equal(http_pending(ctx.http), 1);
	aws_call_cancel(c);
	assert_int_equal(http_pending(ctx.http), 0);
	aws_send(env, &aws_service_lambda, &echo, on_done, &after);
	wait_done(&after);
	assert_int_equal(r.calls, 0);
	result_free(&after);
}

static void
test_cancel_during_the_retry_timer(void **state)
{
	struct aws_request req = { .operation = "Busy", .method = "GET", .target = "/status/503" };
	struct result r = { 0 };
	struct aws_call *c;
	int sent = 0;

	c = aws_send(env, &aws_service_lambda, &req, on_done, &r);
	/* On the wire, then answered 503: now it waits to retry. */
	while (!(sent && http_pending(ctx.http) == 0)) {
		assert_int_equal(loop_run_once(ctx.loop), 0);
		if (http_pending(ctx.http) == 1)
			sent = 1;
	}
	assert_int_equal(r.calls, 0);
	aws_call_cancel(c);
	turn_for(1500);
	assert_int_equal(r.calls, 0);
	assert_int_equal(http_pending(ctx.http), 0);
}

static void
test_cancel_while_hashing_the_body(void **state)
{
	char *path = pattern_file(8 * 1024 * 1024, NULL);
	struct aws_request req = { .operation = "Upload", .method = "PUT", .target = "/body",
	    .body_path = path };
	struct result r = { 0 };
	struct aws_call *c;

	c = aws_send(env, &aws_service_lambda, &req, on_done, &r);
	/* The attempt starts the hash, then a slice a turn: stop midway. */
	(void)loop_run_once(ctx.loop);
	(void)loop_run_once(ctx.loop);
	assert_int_equal(http_pending(ctx.http), 0);
	aws_call_cancel(c);
	turn_for(100);
	assert_int_equal(r.calls, 0);
	assert_int_equal(http_pending(ctx.http), 0);
	unlink(path);
	free(path);
}

static void
test_cancel_from_progress_and_from_the_callback(void **state)
{
	char *path = pattern_file(8 * 1024 * 1024, NULL);
	struct prog p = { 0 };
	struct aws_request req = { .operation = "Upload", .method = "PUT", .target = "/body",
	    .body_path = path, .progress = on_progress };
	struct result r = { .want = { NULL, NULL, NULL, (const char *)(void *)&p } };
	struct aws_request echo = { .operation = "Echo", .method = "GET", .target = "/echo" };
	struct result e = { 0 };

	p.cancel = aws_send(env, &aws_service_lambda, &req, on_done, &r);
	while (p.seen.calls == 0)
		assert_int_equal(loop_run_once(ctx.loop), 0);
	turn_for(100);
	assert_int_equal(p.seen.calls, 1);
	assert_int_equal(r.calls, 0);
	assert_int_equal(http_pending(ctx.http), 0);

	/* A cancel from the call's own callback is ignored, not a double free. */
	e.self = aws_send(env, &aws_service_lambda, &echo, on_done, &e);
	wait_done(&e);
	assert_int_equal(e.calls, 1);
	result_free(&e);
	unlink(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_response_headers_reach_the_caller, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_body_and_headers_reach_the_caller, setup, teardown),
		cmocka_unit_test_setup_teardown(test_service_definitions_sign_as_their_service, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_environment_reaches_every_service, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_request_read_timeout_overrides_the_ctx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_request_connect_timeout_overrides_the_ctx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_body_is_sent_again_from_its_start_on_a_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_body_file_fails_from_the_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_while_waiting_for_credentials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_during_the_transfer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_during_the_retry_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_while_hashing_the_body, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_from_progress_and_from_the_callback, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
