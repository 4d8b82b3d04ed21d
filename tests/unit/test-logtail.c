/*
 * Unit tests for src/logtail.c against the real tests/fakeaws on
 * 127.0.0.1, started once with its log generator (late events, empty
 * pages): history over many pages equal to what the server holds, in its
 * order; several groups merged by time; a missing group reported while the
 * others go on; following under 20 % faults of every kind with nothing
 * lost or doubled; a filter switched mid-follow without loss. "What the
 * server holds" comes from its admin endpoint /_fakeaws/logs/written.
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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <cjson/cJSON.h>

#include "awsconfig.h"
#include "buf.h"
#include "creds.h"
#include "http.h"
#include "logs.h"
#include "logtail.h"
#include "loop.h"
#include "testserver.h"

#define G_MAMBU		"/aws/lambda/datalake-alpha-mambu-to-s3-raw"
#define G_RECON		"/aws/lambda/datalake-alpha-mambu-datalake-reconciliation"
#define G_CUST		"/aws/lambda/datalake-alpha-dynamo-customers-to-s3-raw"

struct fixture {
	char			 dir[256];
	struct testserver	 server;
	int			 port;		/* server.port */
	int64_t			 launched;	/* wall ms just before the server started */
	struct aws_ctx		 aws;
	struct creds_provider	*creds;
	struct aws_env		*env;
	struct logtail		*lt;	/* the test's, freed even when it fails */
};

/* What the callbacks saw. */
struct seen {
	struct log_event	*ev;
	size_t			 n, cap;
	enum logtail_state	 state;
	int			 states;	/* state changes */
	int			 gaps;		/* calls with err and no change */
	char			 gap_code[128];
	char			 gap_what[2048];
	int			 failed;
	char			 fail_text[2048];
	struct outages		*outages;
	size_t			 n_at_follow;	/* events seen when FOLLOWING came */
};

static struct fixture *fx;

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
env_or(const char *name, const char *def)
{
	return getenv(name) != NULL ? getenv(name) : def;
}

static size_t
curl_sink(char *p, size_t size, size_t n, void *arg)
{
	return buf_append(arg, p, size * n) == 0 ? size * n : 0;
}

/* An admin request to fakeaws (blocking: admin calls are instant). */
static char *
admin(const char *method, const char *path, const char *body, size_t *len)
{
	char url[1024];
	struct buf b;
	CURL *c = curl_easy_init();
	long status = 0;

	assert_non_null(c);
	buf_init(&b, 256u << 20);
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", fx->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body != NULL)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, curl_sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	assert_int_equal(status, 200);
	if (len != NULL)
		*len = b.len;
	return buf_detach(&b, NULL);
}

/* What the group holds (all=1: generated events too), in Filter order. */
static void
written(const char *group, struct logs_filter_page *out)
{
	char path[512], *body, *esc;
	struct dlc_err err;
	size_t len;
	CURL *c = curl_easy_init();

	esc = curl_easy_escape(c, group, 0);
	snprintf(path, sizeof path, "/_fakeaws/logs/written?all=1&group=%s", esc);
	curl_free(esc);
	curl_easy_cleanup(c);
	body = admin("GET", path, NULL, &len);
	/* The answer has the events' shape: the codec under test reads it. */
	assert_int_equal(logs_parse_filter_log_events(body, len, out, &err), 0);
	free(body);
}

static void
faults(const char *spec)
{
	char body[256];

	snprintf(body, sizeof body, "{\"spec\": \"%s\", \"seed\": 5, "
	    "\"stall_seconds\": 0.4}", spec);
	free(admin("POST", "/_fakeaws/faults", body, NULL));
}

/* Logs calls fakeaws answered with a fault since its log was cleared. */
static int
faulted_calls(void)
{
	char *body = admin("GET", "/_fakeaws/requests", NULL, NULL);
	cJSON *root = cJSON_Parse(body), *list, *r;
	int n = 0;

	assert_non_null(root);
	list = cJSON_IsArray(root) ? root : cJSON_GetObjectItem(root, "requests");
	cJSON_ArrayForEach(r, list) {
		const cJSON *svc = cJSON_GetObjectItem(r, "service");
		const cJSON *fault = cJSON_GetObjectItem(r, "fault");

		/* A faulted request is answered before it has an operation. */
		if (cJSON_IsString(svc) && strcmp(svc->valuestring, "logs") == 0 &&
		    cJSON_IsString(fault))
			n++;
	}
	cJSON_Delete(root);
	free(body);
	return n;
}

static void
on_event(const struct log_event *ev, void *arg)
{
	struct seen *s = arg;
	struct log_event *c;

	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 1024 : s->cap * 2;
		s->ev = realloc(s->ev, s->cap * sizeof *s->ev);
		assert_non_null(s->ev);
	}
	c = &s->ev[s->n++];
	*c = *ev;
	c->arena = NULL;	/* this copy owns its strings */
	c->stream = strdup(ev->stream != NULL ? ev->stream : "");
	c->message = malloc(ev->message_len + 1);
	assert_non_null(c->message);
	memcpy(c->message, ev->message, ev->message_len);
	c->message[ev->message_len] = '\0';
}

static void
on_state(enum logtail_state st, const struct dlc_err *err, void *arg)
{
	struct seen *s = arg;

	if (err != NULL && st == s->state) {
		s->gaps++;
		snprintf(s->gap_code, sizeof s->gap_code, "%s", err->code);
		snprintf(s->gap_what, sizeof s->gap_what, "%s %s", err->what,
		    err->message);
		return;
	}
	if (st == LOGTAIL_FAILED) {
		char text[2048];

		s->failed++;
		fprintf(stderr, "logtail failed: %s\n",
		    dlc_err_format(err, text, sizeof text));
		snprintf(s->fail_text, sizeof s->fail_text, "%s", text);
	}
	if (st == LOGTAIL_FOLLOWING)
		s->n_at_follow = s->n;
	s->state = st;
	s->states++;
}

static void
seen_free(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		log_event_clear(&s->ev[i]);
	free(s->ev);
}

static void
run_for_wake(void *arg)
{
	(void)arg;
}

/*
 * Runs the loop until the state is st or ms passed; returns the state. A
 * timer wakes the loop at the end: without it a turn waits for the next
 * event, which may be a retry a minute away.
 */
static enum logtail_state
run_for(struct seen *s, int until_state, long ms)
{
	uint64_t end = loop_now_ms() + (uint64_t)ms;
	struct loop_timer *wake = loop_timer_new(fx->aws.loop, run_for_wake, NULL);
	uint64_t now;

	while ((now = loop_now_ms()) < end) {
		if (until_state >= 0 && s->state == (enum logtail_state)until_state)
			break;
		loop_timer_start(wake, (long)(end - now));
		if (loop_run_once(fx->aws.loop) != 0)
			break;
	}
	loop_timer_free(wake);
	return s->state;
}

static struct logtail *
tail(const char *const *groups, size_t n, struct logtail_opts *o,
    struct seen *s)
{
	struct logtail *lt;

	o->loop = fx->aws.loop;
	memset(s, 0, sizeof *s);
	lt = logtail_new(fx->env, groups, n, o, on_event, on_state, s);
	assert_non_null(lt);
	fx->lt = lt;
	logtail_start(lt);
	/* No callback from inside logtail_start. */
	assert_int_equal(s->states + s->gaps + (int)s->n, 0);
	return lt;
}

static int
same_event(const struct log_event *a, const struct log_event *b)
{
	return a->timestamp == b->timestamp &&
	    a->ingestion_time == b->ingestion_time &&
	    strcmp(a->event_id, b->event_id) == 0 &&
	    strcmp(a->stream, b->stream) == 0 &&
	    a->message_len == b->message_len &&
	    memcmp(a->message, b->message, a->message_len) == 0;
}

/* A failed assertion leaves the test early: the tail must not outlive it. */
static void
untail(void)
{
	logtail_free(fx->lt);
	fx->lt = NULL;
}

static int
test_teardown(void **state)
{
	(void)state;
	untail();
	return 0;
}

/* ---- set-up ---- */

static int
start_server(void)
{
	static const char *const args[] = { "--port", "0", "--port-file",
	    "@PORTFILE@", "--generate-logs", "120", "--late-events",
	    "--empty-pages", "0.3", "--stall-seconds", "0.4", NULL };

	fx->launched = wall_ms();
	if (testserver_start(&fx->server, "tests/fakeaws/fakeaws.py", args) != 0)
		return -1;
	fx->port = fx->server.port;
	return 0;
}

static int
group_setup(void **state)
{
	char path[512];
	struct aws_credentials c;
	struct dlc_err err;

	(void)state;
	fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fx->server.pid = -1;
	fx->server.stdin_fd = -1;
	snprintf(fx->dir, sizeof fx->dir, "%s/dlc-logtail-XXXXXX",
	    env_or("TMPDIR", "/tmp"));
	assert_non_null(mkdtemp(fx->dir));
	testserver_clear_aws_env();
	setenv("HOME", fx->dir, 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (start_server() != 0)
		return -1;
	snprintf(path, sizeof path, "%s/aws-config", fx->dir);
	assert_int_equal(testserver_config_add(&fx->server, path, "alpha", NULL), 0);
	setenv("AWS_CONFIG_FILE", path, 1);
	dlc_err_clear(&err);
	fx->aws.cfg = aws_config_load(NULL, NULL, &err);
	assert_non_null(fx->aws.cfg);
	fx->aws.loop = loop_new();
	fx->aws.http = http_new(fx->aws.loop);
	/* The demo keys of account alpha (tests/fakeaws/README.md). */
	memset(&c, 0, sizeof c);
	c.access_key_id = "AKIAFAKEALPHA0000001";
	c.secret_access_key = "fakeAlphaSecretKey0000000000000000000001";
	fx->creds = creds_static_new(&c);
	fx->env = aws_env_new(&fx->aws, "alpha", "alpha", "eu-west-1", fx->creds);
	assert_non_null(fx->env);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (fx == NULL)
		return 0;
	aws_env_free(fx->env);
	creds_provider_free(fx->creds);
	if (fx->aws.http != NULL)
		http_free(fx->aws.http);
	if (fx->aws.loop != NULL)
		loop_free(fx->aws.loop);
	aws_config_free(fx->aws.cfg);
	testserver_stop(&fx->server);
	testserver_rmtree(fx->dir);
	free(fx);
	curl_global_cleanup();
	return 0;
}

/* ---- tests ---- */

/*
 * The seeded history of one group, read 25 events a page (plus the empty
 * pages fakeaws adds), equals what the server holds, event for event, in
 * its order; a minute before start-up keeps the live generator out.
 */
static void
test_history_pages(void **state)
{
	const char *groups[] = { G_MAMBU };
	struct logtail_opts o;
	struct logs_filter_page w;
	struct logtail_stats st;
	struct seen s;
	struct logtail *lt;
	size_t i, k = 0, streams = 0;

	(void)state;
	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	o.since_ms = 0;
	o.until_ms = fx->launched - 60000;
	o.page_limit = 25;
	o.requests_per_s = 50;
	lt = tail(groups, 1, &o, &s);
	assert_int_equal(run_for(&s, LOGTAIL_DONE, 20000), LOGTAIL_DONE);
	written(G_MAMBU, &w);
	for (i = 0; i < w.n; i++) {
		if (w.events[i].timestamp > o.until_ms)
			continue;
		assert_true(k < s.n);
		assert_true(same_event(&s.ev[k], &w.events[i]));
		assert_int_equal(s.ev[k].source, 0);
		if (k > 0 && strcmp(s.ev[k].stream, s.ev[k - 1].stream) != 0)
			streams++;
		k++;
	}
	assert_int_equal(k, s.n);
	assert_true(s.n > 200);
	assert_true(streams >= 2);
	logtail_stats(lt, &st);
	assert_int_equal(st.events, s.n);
	assert_int_equal(st.duplicates, 0);
	assert_int_equal(st.gaps, 0);
	/* Many pages: at least one call per 25 events. */
	assert_true(st.api_calls >= s.n / 25);
	assert_true(st.lag_ms >= 60000);
	assert_int_equal(s.states, 1);
	logs_filter_page_clear(&w);
	untail();
	seen_free(&s);
}

struct order_ref {
	const struct log_event	*ev;
	size_t			 group, seq;
};

static int
order_cmp(const void *a, const void *b)
{
	const struct order_ref *x = a, *y = b;

	if (x->ev->timestamp != y->ev->timestamp)
		return x->ev->timestamp < y->ev->timestamp ? -1 : 1;
	if (x->ev->ingestion_time != y->ev->ingestion_time)
		return x->ev->ingestion_time < y->ev->ingestion_time ? -1 : 1;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

/*
 * Three groups written with clashing timestamps over several streams
 * (and a NUL and a control character in messages) come out as one list
 * ordered by time; a group that does not exist is reported once, as a
 * gap naming it, and the others still finish.
 */
static void
test_groups_merged_and_missing(void **state)
{
	const char *groups[] = { "/dlc/test/a", "/dlc/test/missing",
	    "/dlc/test/b", "/dlc/test/c" };
	const size_t real[] = { 0, 2, 3 };
	int64_t base = wall_ms() - 600000;
	struct logs_filter_page w[3];
	struct order_ref *ref;
	struct logtail_opts o;
	struct logtail_stats st;
	struct seen s;
	struct logtail *lt;
	size_t i, j, n = 0, total = 0;
	unsigned r = 12345;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct buf b;

		buf_init(&b, 1u << 20);
		buf_printf(&b, "{\"group\": \"%s\", \"stream\": \"st%zu\", "
		    "\"events\": [", groups[real[i]], i);
		for (j = 0; j < 150; j++) {
			r = r * 1103515245u + 12345u;
			buf_printf(&b, "%s{\"timestamp\": %lld, \"message\": "
			    "\"g%zu e%zu \\u0000 \\u001b[2J \\u00e9\\n\"}",
			    j == 0 ? "" : ", ", (long long)(base + (r >> 16) % 400),
			    i, j);
		}
		buf_puts(&b, "]}");
		free(admin("POST", "/_fakeaws/logs/put", b.data, NULL));
		buf_free(&b);
		/* A second stream in the same group. */
		buf_init(&b, 1u << 20);
		buf_printf(&b, "{\"group\": \"%s\", \"stream\": \"other%zu\", "
		    "\"events\": [{\"timestamp\": %lld, \"message\": \"x\"}, "
		    "{\"timestamp\": %lld, \"message\": \"y\"}]}",
		    groups[real[i]], i, (long long)(base + 7), (long long)(base + 399));
		free(admin("POST", "/_fakeaws/logs/put", b.data, NULL));
		buf_free(&b);
	}
	for (i = 0; i < 3; i++) {
		written(groups[real[i]], &w[i]);
		total += w[i].n;
	}
	assert_int_equal(total, 3 * 152);
	ref = calloc(total, sizeof *ref);
	assert_non_null(ref);
	for (i = 0; i < 3; i++)
		for (j = 0; j < w[i].n; j++) {
			ref[n].ev = &w[i].events[j];
			ref[n].group = real[i];
			ref[n].seq = j;
			n++;
		}
	qsort(ref, n, sizeof *ref, order_cmp);

	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	o.since_ms = base - 1000;
	o.page_limit = 40;
	o.requests_per_s = 50;
	lt = tail(groups, 4, &o, &s);
	assert_int_equal(run_for(&s, LOGTAIL_DONE, 20000), LOGTAIL_DONE);
	assert_int_equal(s.n, n);
	for (i = 0; i < n; i++) {
		assert_true(same_event(&s.ev[i], ref[i].ev));
		assert_int_equal(s.ev[i].source, ref[i].group);
	}
	assert_int_equal(s.ev[0].message_len, strlen(s.ev[0].message) + 1 +
	    strlen(s.ev[0].message + strlen(s.ev[0].message) + 1));
	assert_int_equal(s.gaps, 1);
	assert_string_equal(s.gap_code, "ResourceNotFoundException");
	assert_non_null(strstr(s.gap_what, "/dlc/test/missing"));
	assert_int_equal(s.failed, 0);
	logtail_stats(lt, &st);
	assert_int_equal(st.gaps, 1);
	assert_int_equal(st.events, n);
	untail();
	seen_free(&s);
	free(ref);
	for (i = 0; i < 3; i++)
		logs_filter_page_clear(&w[i]);
}

/*
 * When no group can be read at all, the session fails with the error
 * (missing groups are gaps unless missing_retry_ms waits for them).
 */
static void
test_all_missing_fails(void **state)
{
	const char *groups[] = { "/dlc/none/1", "/dlc/none/2" };
	struct logtail_opts o;
	struct seen s;
	struct logtail *lt;

	(void)state;
	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	o.follow = 1;
	o.since_ms = wall_ms() - 60000;
	lt = tail(groups, 2, &o, &s);
	assert_int_equal(run_for(&s, LOGTAIL_FAILED, 10000), LOGTAIL_FAILED);
	assert_int_equal(s.failed, 1);
	assert_int_equal(s.n, 0);
	assert_int_equal(logtail_state(lt), LOGTAIL_FAILED);
	/* Nothing more is asked once failed, not even when asked for. */
	assert_int_equal(logtail_retry_now(lt), -1);
	run_for(&s, -1, 500);
	assert_int_equal(s.failed, 1);
	untail();
	seen_free(&s);
}

/*
 * Two tails of four groups each, sharing one budget of 20 requests a
 * second, together stay within it (a burst of 20, then 20 a second),
 * though eight calls at a time could go faster; both read everything.
 */
static void
test_shared_budget(void **state)
{
	const char *groups[] = { "/dlc/test/budget", "/dlc/test/budget",
	    "/dlc/test/budget", "/dlc/test/budget" };
	int64_t base = wall_ms() - 300000;
	struct logtail_budget *b = logtail_budget_new(20);
	struct logtail_stats st1, st2;
	struct logtail_opts o;
	struct logtail *other;
	struct seen s1, s2;
	uint64_t t0, elapsed;
	uint64_t calls;
	struct buf body;
	size_t i;

	(void)state;
	buf_init(&body, 1u << 20);
	buf_puts(&body, "{\"group\": \"/dlc/test/budget\", \"stream\": \"s\", "
	    "\"events\": [");
	for (i = 0; i < 150; i++)
		buf_printf(&body, "%s{\"timestamp\": %lld, \"message\": \"e%zu\"}",
		    i == 0 ? "" : ", ", (long long)(base + (int64_t)i), i);
	buf_puts(&body, "]}");
	free(admin("POST", "/_fakeaws/logs/put", body.data, NULL));
	buf_free(&body);

	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	o.since_ms = base;
	o.page_limit = 25;
	o.budget = b;
	o.requests_per_s = 20;	/* what each would have alone */
	t0 = loop_now_ms();
	other = tail(groups, 4, &o, &s2);
	fx->lt = NULL;
	tail(groups, 4, &o, &s1);
	while ((s1.state != LOGTAIL_DONE || s2.state != LOGTAIL_DONE) &&
	    loop_now_ms() - t0 < 20000)
		if (loop_run_once(fx->aws.loop) != 0)
			break;
	elapsed = loop_now_ms() - t0;
	logtail_stats(fx->lt, &st1);
	logtail_stats(other, &st2);
	logtail_free(other);
	assert_int_equal(s1.state, LOGTAIL_DONE);
	assert_int_equal(s2.state, LOGTAIL_DONE);
	assert_int_equal(s1.n, 4 * 150);
	assert_int_equal(s2.n, 4 * 150);
	calls = st1.api_calls + st2.api_calls;
	assert_true(calls >= 48);
	/* calls - 20 (the burst) at 20 a second, less a little slack. */
	assert_true(elapsed + 150 >= (calls - 20) * 50);
	untail();
	logtail_budget_free(b);
	seen_free(&s1);
	seen_free(&s2);
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(((const struct log_event *)a)->event_id,
	    ((const struct log_event *)b)->event_id);
}

static const struct log_event *
find_id(const struct seen *sorted, const char *id)
{
	struct log_event key;

	memset(&key, 0, sizeof key);
	snprintf(key.event_id, sizeof key.event_id, "%s", id);
	return bsearch(&key, sorted->ev, sorted->n, sizeof *sorted->ev, cmp_id);
}

/*
 * Checks a follow session's output for group g against the server: no
 * eventId twice; every event delivered is the server's; every event the
 * server made visible by `visible_by` with a timestamp from `since` and
 * matching `want` (NULL: all) was delivered.
 */
static size_t
check_follow(struct seen *s, size_t g, const char *group, int64_t since,
    int64_t visible_by, const char *want, size_t *late)
{
	struct logs_filter_page w;
	struct seen mine;
	size_t i, checked = 0;

	memset(&mine, 0, sizeof mine);
	for (i = 0; i < s->n; i++)
		if (s->ev[i].source == g) {
			if (mine.n == mine.cap) {
				mine.cap = mine.cap == 0 ? 256 : mine.cap * 2;
				mine.ev = realloc(mine.ev, mine.cap * sizeof *mine.ev);
				assert_non_null(mine.ev);
			}
			mine.ev[mine.n++] = s->ev[i];
		}
	qsort(mine.ev, mine.n, sizeof *mine.ev, cmp_id);
	for (i = 1; i < mine.n; i++)
		if (strcmp(mine.ev[i].event_id, mine.ev[i - 1].event_id) == 0)
			fail_msg("%s: event %s delivered twice", group,
			    mine.ev[i].event_id);
	written(group, &w);
	for (i = 0; i < w.n; i++) {
		const struct log_event *e = &w.events[i], *got;

		got = find_id(&mine, e->event_id);
		if (got != NULL)
			assert_true(same_event(got, e));
		if (e->timestamp < since || e->ingestion_time > visible_by)
			continue;
		if (want != NULL && strstr(e->message, want) == NULL)
			continue;
		if (got == NULL)
			fail_msg("%s: lost event %s at %lld (ingested %lld, "
			    "visible by %lld)", group, e->event_id,
			    (long long)e->timestamp, (long long)e->ingestion_time,
			    (long long)visible_by);
		if (late != NULL && e->ingestion_time - e->timestamp > 4000)
			(*late)++;
		checked++;
	}
	/* Nothing delivered that the server does not hold. */
	for (i = 0; i < mine.n; i++) {
		size_t k;
		int found = 0;

		for (k = 0; k < w.n && !found; k++)
			found = strcmp(w.events[k].event_id, mine.ev[i].event_id) == 0;
		assert_true(found);
	}
	logs_filter_page_clear(&w);
	free(mine.ev);
	return checked;
}

/*
 * Following three busy groups while the generator writes late events and
 * 20 % of calls fail (throttle, 500, 503, reset, stall, truncate), then
 * 90 % are throttled: every event visible before the end is delivered
 * once, late ones and a stream born mid-follow included, the session
 * never ends, and the counters saw it.
 */
static void
test_follow_under_faults(void **state)
{
	const char *groups[] = { G_MAMBU, G_RECON, G_CUST };
	struct logtail_opts o;
	struct logtail_stats st;
	struct seen s;
	struct logtail *lt;
	int64_t since = wall_ms() - 30000, visible_by;
	size_t g, i, checked = 0, late = 0, len;
	uint64_t t0;
	struct logs_filter_page put;
	struct dlc_err err;
	char body[1024], *text;

	(void)state;
	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	o.follow = 1;
	o.since_ms = since;
	o.requests_per_s = 10;
	lt = tail(groups, 3, &o, &s);
	assert_int_equal(run_for(&s, LOGTAIL_FOLLOWING, 10000), LOGTAIL_FOLLOWING);
	free(admin("DELETE", "/_fakeaws/requests", NULL, NULL));
	faults("0.2");
	run_for(&s, -1, 6000);
	/* A stream born mid-follow, its events stamped 15 s in the past. */
	snprintf(body, sizeof body, "{\"group\": \"%s\", \"stream\": "
	    "\"brand-new-stream\", \"events\": [{\"timestamp\": %lld, "
	    "\"message\": \"late one\"}, {\"timestamp\": %lld, "
	    "\"message\": \"late two\"}], \"ingestionDelayMs\": 500}",
	    G_CUST, (long long)(wall_ms() - 15000), (long long)(wall_ms() - 14000));
	text = admin("POST", "/_fakeaws/logs/put", body, &len);
	assert_int_equal(logs_parse_filter_log_events(text, len, &put, &err), 0);
	free(text);
	assert_int_equal(put.n, 2);
	run_for(&s, -1, 6000);
	assert_true(faulted_calls() > 5);
	/* Then throttled nearly always: aws.c gives up, logtail waits. */
	faults("throttle=0.9");
	t0 = loop_now_ms();
	do {
		run_for(&s, -1, 250);
		logtail_stats(lt, &st);
	} while (st.throttles == 0 && loop_now_ms() - t0 < 15000);
	run_for(&s, -1, 1000);
	faults("");
	logtail_stats(lt, &st);
	assert_true(st.throttles > 0);
	assert_true(st.retries_failed >= st.throttles);
	assert_int_equal(logtail_state(lt), LOGTAIL_FOLLOWING);
	/* Whatever was visible 1 s ago must arrive once backoff ends (8 s). */
	visible_by = wall_ms() - 1000;
	run_for(&s, -1, 12000);
	for (g = 0; g < 3; g++)
		checked += check_follow(&s, g, groups[g], since, visible_by,
		    NULL, &late);
	assert_true(checked > 100);
	assert_true(late > 0);
	for (i = 0; i < put.n; i++) {
		size_t k;
		int found = 0;

		for (k = 0; k < s.n; k++)
			if (strcmp(s.ev[k].event_id, put.events[i].event_id) == 0) {
				assert_string_equal(s.ev[k].stream, "brand-new-stream");
				assert_int_equal(s.ev[k].source, 2);
				found++;
			}
		assert_int_equal(found, 1);
	}
	logs_filter_page_clear(&put);
	logtail_stats(lt, &st);
	assert_int_equal(st.events, s.n);
	assert_true(st.duplicates > 0);		/* the overlap re-reads */
	assert_true(st.api_calls > 20);
	assert_int_equal(st.gaps, 0);
	assert_int_equal(s.gaps, 0);
	assert_true(st.lag_ms < 30000);
	assert_true(st.events_per_s > 0.0);
	untail();
	seen_free(&s);
}

/* What on_outage saw. */
struct outages {
	int	starts, ends;
	int64_t	since;
	char	what[2048];
};

static void
on_outage(int64_t since_ms, const struct dlc_err *err, void *arg)
{
	struct seen *s = arg;
	struct outages *o = s->outages;

	if (err != NULL) {
		o->starts++;
		o->since = since_ms;
		snprintf(o->what, sizeof o->what, "%s %s %s", err->what, err->code,
		    err->message);
	} else
		o->ends++;
}

/*
 * Without follow, a read that keeps failing with a 503 ends the session
 * once aws.c's retry policy has had its attempts (3, under 4 s of
 * backoff), with the 503 as the error: it used to be retried forever.
 */
static void
test_history_gives_up(void **state)
{
	const char *groups[] = { G_MAMBU };
	struct logtail_opts o;
	struct logtail_stats st;
	struct seen s;
	struct logtail *lt;
	uint64_t t0;

	(void)state;
	faults("503=1");
	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	o.since_ms = wall_ms() - 60000;
	t0 = loop_now_ms();
	lt = tail(groups, 1, &o, &s);
	assert_int_equal(run_for(&s, LOGTAIL_FAILED, 20000), LOGTAIL_FAILED);
	faults("");
	assert_true(loop_now_ms() - t0 < 10000);
	assert_int_equal(s.failed, 1);
	assert_true(strstr(s.fail_text, "503") != NULL ||
	    strstr(s.fail_text, "ServiceUnavailable") != NULL);
	logtail_stats(lt, &st);
	/* One call: its retries are aws.c's, not another layer's. */
	assert_int_equal(st.api_calls, 1);
	untail();
	seen_free(&s);
}

/*
 * A failure retrying cannot fix (here: no credentials at all, as a failed
 * credential_process or an expired SSO login also are) fails the session
 * at once, with the error: it was retried forever as "transient", and
 * the console said "following".
 */
static void
test_no_credentials_fails_at_once(void **state)
{
	const char *groups[] = { G_MAMBU, G_CUST };
	struct aws_env *env = aws_env_new(&fx->aws, "alpha", "alpha",
	    "eu-west-1", NULL);
	struct logtail_opts o;
	struct seen s;
	uint64_t t0;

	(void)state;
	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	o.follow = 1;
	o.since_ms = wall_ms() - 60000;
	o.loop = fx->aws.loop;
	memset(&s, 0, sizeof s);
	fx->lt = logtail_new(env, groups, 2, &o, on_event, on_state, &s);
	assert_non_null(fx->lt);
	t0 = loop_now_ms();
	logtail_start(fx->lt);
	assert_int_equal(run_for(&s, LOGTAIL_FAILED, 10000), LOGTAIL_FAILED);
	assert_true(loop_now_ms() - t0 < 2000);
	assert_non_null(strstr(s.fail_text, "NoCredentials"));
	untail();
	aws_env_free(env);
	seen_free(&s);
}

/*
 * Following through an outage (every read a 503 for 4 s): it is reported
 * once when it starts, with the error, and once when reads work again;
 * the session keeps following, and every event visible before the end
 * is delivered exactly once.
 */
static void
test_follow_outage(void **state)
{
	const char *groups[] = { G_MAMBU, G_CUST };
	struct logtail_opts o;
	struct outages out;
	struct seen s;
	struct logtail *lt;
	int64_t since = wall_ms() - 30000, visible_by, t_out;
	size_t g, checked = 0, late = 0;

	(void)state;
	memset(&o, 0, sizeof o);
	memset(&out, 0, sizeof out);
	o.until_ms = -1;
	o.follow = 1;
	o.since_ms = since;
	o.on_outage = on_outage;
	lt = tail(groups, 2, &o, &s);
	s.outages = &out;
	assert_int_equal(run_for(&s, LOGTAIL_FOLLOWING, 10000), LOGTAIL_FOLLOWING);
	run_for(&s, -1, 2000);
	assert_int_equal(out.starts, 0);
	t_out = wall_ms();
	faults("503=1");
	run_for(&s, -1, 6000);
	assert_int_equal(out.starts, 1);
	assert_int_equal(out.ends, 0);
	assert_true(out.since >= t_out);
	assert_non_null(strstr(out.what, "FilterLogEvents"));
	{
		struct logtail_stats st;

		logtail_stats(lt, &st);
		assert_int_equal(st.outage_since_ms, out.since);
	}
	faults("");
	run_for(&s, -1, 8000);
	assert_int_equal(out.starts, 1);
	assert_int_equal(out.ends, 1);
	assert_int_equal(logtail_state(lt), LOGTAIL_FOLLOWING);
	visible_by = wall_ms() - 1000;
	run_for(&s, -1, 8000);
	for (g = 0; g < 2; g++)
		checked += check_follow(&s, g, groups[g], since, visible_by,
		    NULL, &late);
	assert_true(checked > 50);
	assert_int_equal(s.gaps, 0);
	untail();
	seen_free(&s);
}

/*
 * History is handed out before the state says FOLLOWING, however long
 * the reorder wait: the console said "no log events in the last hour"
 * for that wait with the hour in hand. The last read is dated.
 */
static void
test_history_before_following(void **state)
{
	const char *groups[] = { G_MAMBU };
	struct logtail_opts o;
	struct logtail_stats st;
	struct seen s;
	struct logtail *lt;
	int64_t t0 = wall_ms();

	(void)state;
	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	o.follow = 1;
	o.since_ms = fx->launched - 30 * 60000;
	o.reorder_ms = 5000;
	lt = tail(groups, 1, &o, &s);
	logtail_stats(lt, &st);
	assert_int_equal(st.last_read_ms, 0);
	assert_int_equal(run_for(&s, LOGTAIL_FOLLOWING, 10000), LOGTAIL_FOLLOWING);
	assert_true(s.n_at_follow > 20);
	logtail_stats(lt, &st);
	assert_true(st.last_read_ms >= t0 && st.last_read_ms <= wall_ms());
	untail();
	seen_free(&s);
}

/*
 * Following, a group that does not exist yet is waited for, not failed:
 * no gap, FOLLOWING, counted as missing, asked again (every 300 ms here,
 * then 600); once it is written to, its events arrive and it is no longer
 * missing. logtail_retry_now asks at once, though the wait is a minute.
 */
static void
test_missing_waits(void **state)
{
	const char *groups[] = { "/dlc/later/1", G_CUST };
	const char *one[] = { "/dlc/later/2" };
	char body[512];
	struct logtail_opts o;
	struct logtail_stats st;
	struct seen s;
	struct logtail *lt;
	uint64_t t;
	size_t i, found = 0;

	(void)state;
	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	o.follow = 1;
	o.since_ms = wall_ms() - 60000;
	o.missing_retry_ms = 300;
	lt = tail(groups, 2, &o, &s);
	assert_int_equal(run_for(&s, LOGTAIL_FOLLOWING, 10000), LOGTAIL_FOLLOWING);
	run_for(&s, -1, 1500);
	logtail_stats(lt, &st);
	assert_int_equal(st.missing, 1);
	/* Which one: the CLI names the group it waits for. */
	assert_int_equal(logtail_group_missing(lt, 0), 1);
	assert_int_equal(logtail_group_missing(lt, 1), 0);
	assert_int_equal(logtail_group_missing(lt, 2), 0);
	assert_int_equal(s.gaps, 0);
	assert_int_equal(s.failed, 0);
	snprintf(body, sizeof body, "{\"group\": \"/dlc/later/1\", \"stream\": "
	    "\"s\", \"events\": [{\"timestamp\": %lld, \"message\": "
	    "\"here at last\"}]}", (long long)wall_ms());
	free(admin("POST", "/_fakeaws/logs/put", body, NULL));
	for (t = loop_now_ms() + 8000; loop_now_ms() < t && found == 0; ) {
		run_for(&s, -1, 200);
		for (i = 0; i < s.n; i++)
			if (strcmp(s.ev[i].message, "here at last") == 0) {
				assert_int_equal(s.ev[i].source, 0);
				found++;
			}
	}
	assert_int_equal(found, 1);
	logtail_stats(lt, &st);
	assert_int_equal(st.missing, 0);
	assert_int_equal(logtail_group_missing(lt, 0), 0);
	assert_int_equal(s.gaps, 0);
	assert_int_equal(logtail_state(lt), LOGTAIL_FOLLOWING);
	untail();
	seen_free(&s);

	/* A minute's wait, cut short by logtail_retry_now. */
	o.missing_retry_ms = 60000;
	lt = tail(one, 1, &o, &s);
	assert_int_equal(logtail_retry_now(lt), 0);
	assert_int_equal(run_for(&s, LOGTAIL_FOLLOWING, 10000), LOGTAIL_FOLLOWING);
	run_for(&s, -1, 500);
	logtail_stats(lt, &st);
	assert_int_equal(st.missing, 1);
	snprintf(body, sizeof body, "{\"group\": \"/dlc/later/2\", \"stream\": "
	    "\"s\", \"events\": [{\"timestamp\": %lld, \"message\": "
	    "\"asked for\"}]}", (long long)wall_ms());
	free(admin("POST", "/_fakeaws/logs/put", body, NULL));
	assert_int_equal(logtail_retry_now(lt), 0);
	run_for(&s, -1, 3000);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.ev[0].message, "asked for");
	untail();
	seen_free(&s);
}

/*
 * A filter switched while following: what matched the old filter up to
 * the switch, and what matches the new one from the switch on, all
 * arrive, once each.
 */
static void
test_filter_switch(void **state)
{
	const char *groups[] = { G_MAMBU, G_CUST };
	struct logtail_opts o;
	struct seen s;
	struct logtail *lt;
	int64_t since = wall_ms() - 20000, switched, visible_by;
	size_t g, i, before = 0, after = 0;

	(void)state;
	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	o.follow = 1;
	o.since_ms = since;
	o.poll_ms = 500;
	o.requests_per_s = 20;
	o.filter_pattern = "START";
	lt = tail(groups, 2, &o, &s);
	run_for(&s, -1, 6000);
	assert_int_equal(logtail_state(lt), LOGTAIL_FOLLOWING);
	switched = wall_ms();
	for (g = 0; g < 2; g++)
		before += check_follow(&s, g, groups[g], since, switched - 4000,
		    "START", NULL);
	assert_true(before > 0);
	assert_int_equal(logtail_set_filter(lt, "END"), 0);
	run_for(&s, -1, 6000);
	visible_by = wall_ms() - 1000;
	run_for(&s, -1, 4000);
	for (g = 0; g < 2; g++)
		after += check_follow(&s, g, groups[g], switched, visible_by,
		    "END", NULL);
	assert_true(after > 0);
	for (i = 0; i < s.n; i++)
		assert_true(strstr(s.ev[i].message, "START") != NULL ||
		    strstr(s.ev[i].message, "END") != NULL);
	/* A pattern AWS would refuse is refused here. */
	{
		char longp[1100];

		memset(longp, 'x', sizeof longp - 1);
		longp[sizeof longp - 1] = '\0';
		assert_int_equal(logtail_set_filter(lt, longp), -1);
	}
	untail();
	seen_free(&s);
}

/* n events in one stream of group, per_ms a millisecond from base; w: as written. */
static void
put_spread(const char *group, size_t n, size_t per_ms, int64_t base,
    struct logs_filter_page *w)
{
	struct buf b;
	size_t i;

	buf_init(&b, 1u << 20);
	buf_printf(&b, "{\"group\": \"%s\", \"stream\": \"st\", \"events\": [", group);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s{\"timestamp\": %lld, \"message\": \"e%zu\"}",
		    i == 0 ? "" : ", ", (long long)(base + (int64_t)(i / per_ms)), i);
	buf_puts(&b, "]}");
	free(admin("POST", "/_fakeaws/logs/put", b.data, NULL));
	buf_free(&b);
	written(group, w);
}

/*
 * Without follow only the newest millisecond is remembered: a filter
 * switch mid-history re-reads from it, and its events, split across pages
 * (ten a millisecond, seven a page), still come once each.
 */
static void
test_filter_switch_history(void **state)
{
	const char *groups[] = { "/dlc/test/seam" };
	struct logtail_opts o;
	struct logs_filter_page w;
	struct logtail_stats st;
	struct seen s;
	struct logtail *lt;
	int64_t base = wall_ms() - 600000;
	size_t i;
	int switches;

	(void)state;
	put_spread(groups[0], 300, 10, base, &w);
	assert_int_equal(w.n, 300);

	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	o.since_ms = base;
	o.page_limit = 7;
	o.requests_per_s = 10;
	lt = tail(groups, 1, &o, &s);
	for (switches = 0; switches < 6 && logtail_state(lt) == LOGTAIL_HISTORY; switches++) {
		run_for(&s, -1, 350);
		assert_int_equal(logtail_set_filter(lt, NULL), 0);
	}
	assert_true(switches >= 3);
	assert_int_equal(run_for(&s, LOGTAIL_DONE, 30000), LOGTAIL_DONE);
	assert_int_equal(s.n, w.n);
	for (i = 0; i < w.n; i++)
		assert_true(same_event(&s.ev[i], &w.events[i]));
	logtail_stats(lt, &st);
	/* Each switch read its newest millisecond again, and dropped it. */
	assert_true(st.duplicates >= (uint64_t)switches);
	logs_filter_page_clear(&w);
	untail();
	seen_free(&s);
}

/*
 * The seam of a filter switch without follow, made to happen every time:
 * three events a millisecond, seven a page, so the first page read again
 * from the newest millisecond T holds T's events (delivered already) and
 * newer ones. Each switch comes right after a page was read, whatever
 * empty pages fakeaws answers in between. Before, only events of the
 * page's own newest millisecond were checked, so T's came twice.
 */
static void
test_filter_switch_seam(void **state)
{
	const char *groups[] = { "/dlc/test/seam3" };
	struct logtail_opts o;
	struct logs_filter_page w;
	struct seen s;
	struct logtail *lt;
	int64_t base = wall_ms() - 600000;
	size_t i, before;
	int switches;

	(void)state;
	put_spread(groups[0], 90, 3, base, &w);
	assert_int_equal(w.n, 90);

	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	o.since_ms = base;
	o.page_limit = 7;
	o.requests_per_s = 50;
	lt = tail(groups, 1, &o, &s);
	for (switches = 0; switches < 4; switches++) {
		/* Until a page with events has been read (some are out). */
		uint64_t end = loop_now_ms() + 10000;

		before = s.n;
		while (s.n == before && logtail_state(lt) == LOGTAIL_HISTORY &&
		    loop_now_ms() < end)
			run_for(&s, -1, 1);
		if (logtail_state(lt) != LOGTAIL_HISTORY)
			break;
		assert_int_equal(logtail_set_filter(lt, NULL), 0);
	}
	/* 90 events take 13 pages or more: every switch came mid-history. */
	assert_int_equal(switches, 4);
	assert_int_equal(run_for(&s, LOGTAIL_DONE, 30000), LOGTAIL_DONE);
	assert_int_equal(s.n, w.n);
	for (i = 0; i < w.n; i++)
		assert_true(same_event(&s.ev[i], &w.events[i]));
	logs_filter_page_clear(&w);
	untail();
	seen_free(&s);
}

static void
test_new_refuses(void **state)
{
	const char *groups[] = { "g" };
	struct logtail_opts o;

	(void)state;
	memset(&o, 0, sizeof o);
	o.until_ms = -1;
	/* No loop. */
	assert_null(logtail_new(fx->env, groups, 1, &o, on_event, NULL, NULL));
	o.loop = fx->aws.loop;
	assert_null(logtail_new(fx->env, groups, 0, &o, on_event, NULL, NULL));
	assert_null(logtail_new(fx->env, groups, 1, NULL, on_event, NULL, NULL));
	logtail_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_new_refuses, test_teardown),
		cmocka_unit_test_teardown(test_history_pages, test_teardown),
		cmocka_unit_test_teardown(test_groups_merged_and_missing,
		    test_teardown),
		cmocka_unit_test_teardown(test_all_missing_fails, test_teardown),
		cmocka_unit_test_teardown(test_shared_budget, test_teardown),
		cmocka_unit_test_teardown(test_follow_under_faults, test_teardown),
		cmocka_unit_test_teardown(test_history_gives_up, test_teardown),
		cmocka_unit_test_teardown(test_no_credentials_fails_at_once,
		    test_teardown),
		cmocka_unit_test_teardown(test_follow_outage, test_teardown),
		cmocka_unit_test_teardown(test_filter_switch, test_teardown),
		cmocka_unit_test_teardown(test_filter_switch_history, test_teardown),
		cmocka_unit_test_teardown(test_filter_switch_seam, test_teardown),
		cmocka_unit_test_teardown(test_history_before_following,
		    test_teardown),
		cmocka_unit_test_teardown(test_missing_waits, test_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
