/*
 * Unit tests for src/http.c against a real local server
 * (tests/unit/http-test-server.py), driven by the real loop.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "http.h"
#include "loop.h"
#include "testserver.h"

static struct testserver server;
static int server_port;

static struct loop *loop;
static struct http *http;

/* ---- the server ---- */

static int
server_start(void **state)
{
	const char *args[] = { "@PORTFILE@", NULL };

	if (testserver_start(&server, "tests/unit/http-test-server.py", args) != 0)
		return -1;
	server_port = server.port;
	return 0;
}

static int
server_stop(void **state)
{
	testserver_stop(&server);
	return 0;
}

static int
setup(void **state)
{
	loop = loop_new();
	http = http_new(loop);
	return 0;
}

static int
teardown(void **state)
{
	http_free(http);
	loop_free(loop);
	return 0;
}

/* ---- helpers ---- */

struct result {
	int		 done;
	int		 calls;
	long		 status;
	enum http_transport_error terr;
	char		*body;
	size_t		 body_len;
	char		*xheader;	/* the response header named in want */
	const char	*want;
	char		 error[256];
	uint64_t	 elapsed;
};

static void
on_done(struct http_response *resp, void *arg)
{
	struct result *r = arg;
	const char *h;

	r->calls++;
	r->done = 1;
	r->status = resp->status;
	r->terr = resp->transport_error;
	r->body = buf_detach(&resp->body, &r->body_len);
	snprintf(r->error, sizeof r->error, "%s", resp->error);
	r->elapsed = resp->elapsed_ms;
	if (r->want != NULL && (h = http_response_header(resp, r->want)) != NULL)
		r->xheader = strdup(h);
}

static void
result_free(struct result *r)
{
	free(r->body);
	free(r->xheader);
}

static char *
url(const char *path)
{
	/* A few at once: a test may build several requests before sending. */
	static char u[4][256];
	static int next;
	char *p = u[next++ % 4];

	snprintf(p, sizeof u[0], "http://127.0.0.1:%d%s", server_port, path);
	return p;
}

static void
get(const char *path, struct result *r)
{
	struct http_request req = { .method = "GET", .url = url(path) };

	http_send(http, &req, on_done, r);
	assert_int_equal(loop_run_until(loop, &r->done), 0);
}

static int
conns(void)
{
	struct result r = { 0 };
	int n;

	get("/conns", &r);
	assert_int_equal(r.status, 200);
	n = (int)strtol(r.body, NULL, 10);
	result_free(&r);
	return n;
}

/* ---- tests ---- */

#define NCONC 40

struct conc {
	int	left;
	int	done;
	int	ok;
	char	want[NCONC][32];
	int	idx[NCONC];
};

struct conc_one {
	struct conc	*c;
	int		 i;
};

static void
on_conc(struct http_response *resp, void *arg)
{
	struct conc_one *one = arg;

	if (resp->status == 200 && resp->transport_error == HTTP_OK &&
	    strstr(resp->body.data, one->c->want[one->i]) != NULL)
		one->c->ok++;
	if (--one->c->left == 0)
		one->c->done = 1;
}

static void
test_many_concurrent_requests(void **state)
{
	static struct conc c;
	static struct conc_one ones[NCONC];
	char path[32];
	int i;

	memset(&c, 0, sizeof c);
	for (i = 0; i < NCONC; i++) {
		struct http_request req = { .method = "GET" };

		snprintf(path, sizeof path, "/echo?i=%d", i);
		snprintf(c.want[i], sizeof c.want[i], "GET /echo?i=%d\n", i);
		req.url = url(path);
		ones[i].c = &c;
		ones[i].i = i;
		http_send(http, &req, on_conc, &ones[i]);
	}
	c.left = NCONC;
	assert_int_equal(http_pending(http), NCONC);
	assert_int_equal(loop_run_until(loop, &c.done), 0);
	assert_int_equal(c.ok, NCONC);
	assert_int_equal(http_pending(http), 0);
}

static void
test_keep_alive_reuses_the_connection(void **state)
{
	struct result r;
	int before, after, i;

	before = conns();
	for (i = 0; i < 5; i++) {
		memset(&r, 0, sizeof r);
		get("/echo", &r);
		assert_int_equal(r.status, 200);
		result_free(&r);
	}
	after = conns();
	/* Seven requests, in sequence, on the one connection /conns already used. */
	assert_int_equal(after, before);
}

static void
test_headers_round_trip_no_defaults_added(void **state)
{
	struct http_header h[] = {
		{ "X-Amz-Date", "20261125T181500Z" },
		{ "X-Amz-Target", "Logs_20140328.FilterLogEvents" },
		{ "Content-Type", "application/x-amz-json-1.1" },
		{ "X-Empty", "" },
	};
	struct http_request req = {
		.method = "POST", .url = url("/echo"),
		.headers = h, .n_headers = 4, .body = "{}", .body_len = 2,
	};
	struct result r = { .want = "X-Echo" };
	/* Big enough that curl would add "Expect: 100-continue" on its own. */
	size_t n = 2 * 1024 * 1024;
	char *big = malloc(n);

	memset(big, '{', n);
	req.body = big;
	req.body_len = n;
	http_send(http, &req, on_done, &r);
	free(big);
	assert_int_equal(loop_run_until(loop, &r.done), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.xheader, "yes");
	assert_non_null(strstr(r.body, "POST /echo\n"));
	assert_non_null(strstr(r.body, "\nX-Amz-Date: 20261125T181500Z\n"));
	assert_non_null(strstr(r.body, "\nX-Amz-Target: Logs_20140328.FilterLogEvents\n"));
	assert_non_null(strstr(r.body, "\nContent-Type: application/x-amz-json-1.1\n"));
	assert_non_null(strstr(r.body, "\nX-Empty: \n"));
	assert_non_null(strstr(r.body, "\nContent-Length: 2097152\n"));
	assert_null(strcasestr(r.body, "\nExpect:"));
	assert_null(strcasestr(r.body, "\nAccept:"));
	assert_null(strcasestr(r.body, "\nUser-Agent:"));
	result_free(&r);
}

static void
test_total_timeout_or_none(void **state)
{
	struct http_request req = { .method = "GET", .url = url("/trickle/6"),
	    .timeout_ms = 500, .low_speed_ms = 1000 };
	struct result cut = { 0 }, whole = { 0 };

	/* A slow answer that keeps moving: a total limit cuts it... */
	http_send(http, &req, on_done, &cut);
	assert_int_equal(loop_run_until(loop, &cut.done), 0);
	assert_int_equal(cut.terr, HTTP_ERR_TIMEOUT);
	/* ...-1 sets none, and the low-speed limit lets it finish. */
	req.timeout_ms = -1;
	http_send(http, &req, on_done, &whole);
	assert_int_equal(loop_run_until(loop, &whole.done), 0);
	assert_int_equal(whole.terr, HTTP_OK);
	assert_string_equal(whole.body, "tttttt");
	assert_true(whole.elapsed >= 1000);
	result_free(&cut);
	result_free(&whole);
}

static void
test_path_goes_out_as_given(void **state)
{
	struct result r = { 0 };

	/* SigV4 signed these bytes (an S3 key may hold "./" and "../"). */
	get("/echo/./a/../b%2Fc//d", &r);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "GET /echo/./a/../b%2Fc//d\n", 26);
	result_free(&r);
}

static void
test_post_without_content_type_sends_none(void **state)
{
	struct http_request req = {
		.method = "POST", .url = url("/echo"), .body = "a=b", .body_len = 3,
	};
	struct result r = { 0 };

	http_send(http, &req, on_done, &r);
	assert_int_equal(loop_run_until(loop, &r.done), 0);
	assert_int_equal(r.status, 200);
	assert_null(strcasestr(r.body, "\nContent-Type:"));
	result_free(&r);
}

static void
test_large_body_arrives_intact(void **state)
{
	size_t n = 300 * 1024, i;
	unsigned char *body = malloc(n);
	struct http_request req = { .method = "PUT", .url = url("/body") };
	struct result r = { 0 };

	for (i = 0; i < n; i++)
		body[i] = (unsigned char)(i * 7 + i / 251);
	req.body = body;
	req.body_len = n;
	http_send(http, &req, on_done, &r);
	/* http_send copied it: scribbling on ours must not change what is sent. */
	memset(body, 0, n);
	for (i = 0; i < n; i++)
		body[i] = (unsigned char)(i * 7 + i / 251);
	assert_int_equal(loop_run_until(loop, &r.done), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.terr, HTTP_OK);
	assert_int_equal(r.body_len, n);
	assert_memory_equal(r.body, body, n);
	result_free(&r);
	free(body);
}

static void
test_404_body_and_headers_delivered(void **state)
{
	struct result r = { .want = "x-error-code" };

	get("/status/404", &r);
	assert_int_equal(r.status, 404);
	assert_int_equal(r.terr, HTTP_OK);
	assert_string_equal(r.body, "not here: /status/404");
	assert_string_equal(r.xheader, "NoSuchThing");
	result_free(&r);
}

static int
free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);	/* nobody listens there now */
	return port;
}

static void
test_connection_refused(void **state)
{
	char u[64];
	struct http_request req = { .method = "GET", .url = u };
	struct result r = { 0 };

	snprintf(u, sizeof u, "http://127.0.0.1:%d/", free_port());
	http_send(http, &req, on_done, &r);
	assert_int_equal(loop_run_until(loop, &r.done), 0);
	assert_int_equal(r.terr, HTTP_ERR_CONNECT);
	assert_int_equal(r.status, 0);
	assert_true(r.error[0] != '\0');
	result_free(&r);
}

struct ticker {
	struct loop_timer	*t;
	int			 ticks;
};

static void
on_tick(void *arg)
{
	struct ticker *tk = arg;

	tk->ticks++;
	loop_timer_start(tk->t, 20);
}

static void
test_stall_times_out_and_loop_stays_responsive(void **state)
{
	struct http_request req = {
		.method = "GET", .url = url("/stall"), .timeout_ms = 500,
	};
	struct result r = { 0 };
	struct ticker tk = { 0 };

	tk.t = loop_timer_new(loop, on_tick, &tk);
	loop_timer_start(tk.t, 20);
	http_send(http, &req, on_done, &r);
	assert_int_equal(loop_run_until(loop, &r.done), 0);
	loop_timer_free(tk.t);
	assert_int_equal(r.terr, HTTP_ERR_TIMEOUT);
	assert_true(r.elapsed >= 450);
	assert_true(r.elapsed < 1500);
	/* 500 ms of stall at a 20 ms tick: the loop kept turning. */
	assert_true(tk.ticks >= 10);
	result_free(&r);
}

static void
test_low_speed_aborts_a_stalled_transfer(void **state)
{
	struct http_request req = {
		.method = "GET", .url = url("/stall"), .timeout_ms = 8000,
		.low_speed_ms = 1000,
	};
	struct result r = { 0 };

	http_send(http, &req, on_done, &r);
	assert_int_equal(loop_run_until(loop, &r.done), 0);
	assert_int_equal(r.terr, HTTP_ERR_TIMEOUT);
	assert_true(r.elapsed >= 900);
	assert_true(r.elapsed < 5000);
	result_free(&r);
}

static void
test_tls_failure_is_reported(void **state)
{
	char u[64];
	struct http_request req = { .method = "GET", .url = u };
	struct result r = { 0 };

	/* A TLS handshake against a plain-HTTP port cannot succeed. */
	snprintf(u, sizeof u, "https://127.0.0.1:%d/echo", server_port);
	http_send(http, &req, on_done, &r);
	assert_int_equal(loop_run_until(loop, &r.done), 0);
	assert_int_equal(r.terr, HTTP_ERR_TLS);
	assert_int_equal(r.status, 0);
	result_free(&r);
}

static void
test_head_has_no_body(void **state)
{
	struct http_request req = {
		.method = "HEAD", .url = url("/big/5000"), .max_body = 1000,
	};
	struct result r = { 0 };

	http_send(http, &req, on_done, &r);
	assert_int_equal(loop_run_until(loop, &r.done), 0);
	assert_int_equal(r.terr, HTTP_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 0);
	result_free(&r);
}

static void
test_reset_is_reported(void **state)
{
	struct result r = { 0 };

	get("/reset", &r);
	assert_int_equal(r.terr, HTTP_ERR_RESET);
	assert_true(r.error[0] != '\0');
	result_free(&r);
}

static void
test_short_body_is_truncated(void **state)
{
	struct result r = { 0 };

	get("/short", &r);
	assert_int_equal(r.terr, HTTP_ERR_TRUNCATED);
	assert_int_equal(r.status, 200);
	result_free(&r);
	/*
	 * The body is sized from Content-Length: a big lie within the ceiling
	 * is reserved, then reported as truncated (ASan sees it freed); one
	 * past the ceiling is refused before anything is reserved.
	 */
	memset(&r, 0, sizeof r);
	get("/lie/50000000", &r);
	assert_int_equal(r.terr, HTTP_ERR_TRUNCATED);
	result_free(&r);
	memset(&r, 0, sizeof r);
	get("/lie/999999999999", &r);
	assert_int_equal(r.terr, HTTP_ERR_TOOBIG);
	result_free(&r);
}

static void
test_body_over_ceiling(void **state)
{
	struct http_request req = { .method = "GET", .max_body = 1000 };
	struct result r = { 0 }, r2 = { 0 }, r3 = { 0 };

	/* Announced length over the ceiling. */
	req.url = url("/big/5000");
	http_send(http, &req, on_done, &r);
	assert_int_equal(loop_run_until(loop, &r.done), 0);
	assert_int_equal(r.terr, HTTP_ERR_TOOBIG);
	assert_true(r.body_len <= 1000);
	/* No length announced: stopped while reading. */
	req.url = url("/bigeof/200000");
	http_send(http, &req, on_done, &r2);
	assert_int_equal(loop_run_until(loop, &r2.done), 0);
	assert_int_equal(r2.terr, HTTP_ERR_TOOBIG);
	assert_true(r2.body_len <= 1000);
	/* Exactly at the ceiling is fine. */
	req.url = url("/big/1000");
	http_send(http, &req, on_done, &r3);
	assert_int_equal(loop_run_until(loop, &r3.done), 0);
	assert_int_equal(r3.terr, HTTP_OK);
	assert_int_equal(r3.body_len, 1000);
	result_free(&r);
	result_free(&r2);
	result_free(&r3);
}

static void
on_flag(void *arg)
{
	*(int *)arg = 1;
}

static void
test_cancel_never_calls_back(void **state)
{
	struct http_request req = { .method = "GET", .url = url("/stall") };
	struct http_request bad = { .method = NULL, .url = url("/echo") };
	struct result r = { 0 }, rb = { 0 }, after = { 0 };
	struct http_call *c, *cb;
	struct loop_timer *wait;
	int waited = 0;

	c = http_send(http, &req, on_done, &r);
	cb = http_send(http, &bad, on_done, &rb);
	assert_non_null(c);
	assert_non_null(cb);
	/* An immediate failure is still pending until the loop turns. */
	http_cancel(cb);
	/* Let the stalled request get on the wire, then give up on it. */
	wait = loop_timer_new(loop, on_flag, &waited);
	loop_timer_start(wait, 150);
	assert_int_equal(loop_run_until(loop, &waited), 0);
	loop_timer_free(wait);
	assert_int_equal(http_pending(http), 1);
	http_cancel(c);
	http_cancel(NULL);
	assert_int_equal(http_pending(http), 0);
	/* The loop keeps working; the cancelled callbacks never come. */
	get("/echo", &after);
	assert_int_equal(after.status, 200);
	assert_int_equal(r.calls, 0);
	assert_int_equal(rb.calls, 0);
	result_free(&after);
}


/* ---- a request body streamed from a file ---- */

struct prog {
	struct test_progress seen;
	struct http_call *cancel;	/* cancel this one from the first report */
};

static void
on_progress(uint64_t sent, uint64_t total, void *arg)
{
	struct prog *p = arg;

	test_progress_note(&p->seen, sent, total);
	if (p->cancel != NULL) {
		http_cancel(p->cancel);
		/* A second cancel of the same call is harmless. */
		http_cancel(p->cancel);
	}
}

/* A file of n pattern bytes in a fresh temporary file; returns the fd. */
static int
pattern_file(size_t n, char **data)
{
	char path[] = "/tmp/dlc-http-body.XXXXXX";
	size_t i;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	*data = malloc(n + 1);
	for (i = 0; i < n; i++)
		(*data)[i] = (char)('a' + (i * 7 + i / 4093) % 26);
	assert_int_equal(write(fd, *data, n), (ssize_t)n);
	return fd;
}

static void
test_body_streamed_from_a_file(void **state)
{
	size_t n = 3 * 1024 * 1024 + 17;
	char *data;
	int fd = pattern_file(n, &data);
	/* From an offset: the first 17 bytes are not part of the body. */
	struct http_body_file bf = { .fd = fd, .offset = 17, .len = n - 17 };
	struct prog p = { 0 };
	struct http_request req = {
		.method = "PUT", .url = url("/body"), .body_file = &bf,
		.progress = on_progress, .progress_arg = &p, .timeout_ms = -1,
	};
	struct result r = { 0 };

	/* The fd's own position is not used: leave it at the end. */
	http_send(http, &req, on_done, &r);
	assert_int_equal(loop_run_until(loop, &r.done), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, n - 17);
	assert_memory_equal(r.body, data + 17, n - 17);
	assert_true(p.seen.calls >= 1);
	assert_int_equal(p.seen.stalls + p.seen.restarts, 0);
	assert_int_equal(p.seen.last, n - 17);
	assert_int_equal(p.seen.total, n - 17);
	result_free(&r);

	/* POST streams too, and a shrunken file is an error, not a hang. */
	memset(&r, 0, sizeof r);
	req.method = "POST";
	req.progress = NULL;
	bf.len = n + 100;
	http_send(http, &req, on_done, &r);
	assert_int_equal(loop_run_until(loop, &r.done), 0);
	assert_int_not_equal(r.terr, HTTP_OK);
	assert_non_null(strstr(r.error, "shorter"));
	result_free(&r);
	close(fd);
	free(data);
}

static void
test_cancel_from_progress_never_calls_back(void **state)
{
	size_t n = 8 * 1024 * 1024;
	char *data;
	int fd = pattern_file(n, &data);
	struct http_body_file bf = { .fd = fd, .offset = 0, .len = n };
	struct prog p = { 0 };
	struct http_request req = {
		.method = "PUT", .url = url("/body"), .body_file = &bf,
		.progress = on_progress, .progress_arg = &p,
	};
	struct result r = { 0 }, after = { 0 };

	p.cancel = http_send(http, &req, on_done, &r);
	while (p.seen.calls == 0)
		assert_int_equal(loop_run_once(loop), 0);
	assert_int_equal(p.seen.calls, 1);
	get("/echo", &after);
	assert_int_equal(after.status, 200);
	assert_int_equal(r.calls, 0);
	assert_int_equal(http_pending(http), 0);
	result_free(&after);
	close(fd);
	free(data);
}

static int sending;

static void
on_early(struct http_response *resp, void *arg)
{
	struct result *r = arg;

	/* Delivered from the loop, never from inside http_send. */
	assert_int_equal(sending, 0);
	on_done(resp, arg);
	(void)r;
}

static void
test_immediate_failures_come_from_the_loop(void **state)
{
	struct http_header h[] = { { "X-Bad", "a\r\nInjected: 1" } };
	struct http_request nomethod = { .method = NULL, .url = url("/echo") };
	struct http_request badhdr = {
		.method = "GET", .url = url("/echo"), .headers = h, .n_headers = 1,
	};
	struct http_request ftp = { .method = "GET", .url = "ftp://127.0.0.1/x" };
	struct result r1 = { 0 }, r2 = { 0 }, r3 = { 0 };

	sending = 1;
	http_send(http, &nomethod, on_early, &r1);
	http_send(http, &badhdr, on_early, &r2);
	http_send(http, &ftp, on_early, &r3);
	sending = 0;
	assert_int_equal(r1.calls + r2.calls + r3.calls, 0);
	assert_int_equal(loop_run_until(loop, &r1.done), 0);
	assert_int_equal(loop_run_until(loop, &r2.done), 0);
	assert_int_equal(loop_run_until(loop, &r3.done), 0);
	assert_int_equal(r1.terr, HTTP_ERR_OTHER);
	assert_int_equal(r2.terr, HTTP_ERR_OTHER);
	assert_int_equal(r3.terr, HTTP_ERR_OTHER);
	assert_non_null(strstr(r2.error, "header"));
	assert_int_equal(r1.calls + r2.calls + r3.calls, 3);
	result_free(&r1);
	result_free(&r2);
	result_free(&r3);
}

struct chain {
	int	left;
	int	done;
	int	ok;
};

static void
on_chain(struct http_response *resp, void *arg)
{
	struct chain *ch = arg;
	struct http_request req = { .method = "GET", .url = url("/echo") };

	if (resp->status == 200)
		ch->ok++;
	if (--ch->left > 0)
		http_send(http, &req, on_chain, ch);
	else
		ch->done = 1;
}

static void
test_callback_may_send_the_next_request(void **state)
{
	struct http_request req = { .method = "GET", .url = url("/echo") };
	struct chain ch = { .left = 4 };

	http_send(http, &req, on_chain, &ch);
	assert_int_equal(loop_run_until(loop, &ch.done), 0);
	assert_int_equal(ch.ok, 4);
}

static void
test_trace_has_no_secrets(void **state)
{
	struct http_header h[] = {
		{ "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/"
		    "us-east-1/logs/aws4_request, SignedHeaders=host, Signature=feedc0ffee1234" },
		{ "X-Amz-Security-Token", "SESSIONTOKENSECRET" },
		{ "X-Reflect-Token", "1" },
		{ "X-Note", "bell\x07here" },
	};
	struct http_request req = {
		.method = "POST", .url = url("/echo?X-Amz-Signature=URLSIGSECRET&a=1"),
		.headers = h, .n_headers = 4, .body = "{\"SecretAccessKey\":\"x\"}",
		.body_len = 23,
	};
	struct result r = { .want = "x-amz-sso_bearer_token" };
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	http_set_trace(http, out);
	http_send(http, &req, on_done, &r);
	assert_int_equal(loop_run_until(loop, &r.done), 0);
	http_set_trace(http, NULL);
	fclose(out);
	assert_int_equal(r.status, 200);
	/* The server did receive the secrets: the trace is what hides them. */
	assert_non_null(strstr(r.body, "SESSIONTOKENSECRET"));
	assert_string_equal(r.xheader, "SERVERBEARERSECRET");
	assert_non_null(strstr(text, "POST http://127.0.0.1:"));
	assert_non_null(strstr(text, "Credential=AKIDEXAMPLE/<redacted>"));
	assert_non_null(strstr(text, "x-amz-sso_bearer_token: <redacted>"));
	assert_non_null(strstr(text, "X-Amz-Signature=<redacted>"));
	assert_non_null(strstr(text, "< ["));
	assert_non_null(strstr(text, "body 23 bytes"));
	assert_non_null(strstr(text, "bell\\x07here"));
	assert_null(strstr(text, "feedc0ffee1234"));
	assert_null(strstr(text, "SESSIONTOKENSECRET"));
	assert_null(strstr(text, "BEARERSECRET"));
	assert_null(strstr(text, "URLSIGSECRET"));
	assert_null(strchr(text, '\x07'));
	free(text);
	result_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_many_concurrent_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_alive_reuses_the_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_headers_round_trip_no_defaults_added, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_goes_out_as_given, setup, teardown),
		cmocka_unit_test_setup_teardown(test_total_timeout_or_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_post_without_content_type_sends_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_body_arrives_intact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_404_body_and_headers_delivered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connection_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stall_times_out_and_loop_stays_responsive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_low_speed_aborts_a_stalled_transfer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tls_failure_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head_has_no_body, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_body_is_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_over_ceiling, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_never_calls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_immediate_failures_come_from_the_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_may_send_the_next_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_has_no_secrets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_streamed_from_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_from_progress_never_calls_back, setup, teardown),
	};

	return cmocka_run_group_tests(tests, server_start, server_stop);
}
