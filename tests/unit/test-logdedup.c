/*
 * Unit tests for src/logdedup.c: eventId keys, the fallback key when there
 * is no eventId, expiry forgetting old events and bounding memory over a
 * long follow, and a speed sanity check (100,000 checks, generous bound).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "logdedup.h"

static struct log_event
mk(int64_t ts, int64_t ing, const char *id, const char *stream,
    const char *msg)
{
	struct log_event ev;

	memset(&ev, 0, sizeof ev);
	ev.timestamp = ts;
	ev.ingestion_time = ing;
	ev.stream = (char *)stream;
	ev.message = (char *)msg;
	ev.message_len = msg == NULL ? 0 : strlen(msg);
	log_event_set_id(&ev, id);
	return ev;
}

static void
test_event_id(void **state)
{
	struct logdedup *d = logdedup_new();
	struct log_event a = mk(100, 110, "3756564535345644393928556354567452"
	    "3535434547563484743680", "s", "hello");
	struct log_event b = a;

	(void)state;
	assert_int_equal(logdedup_check(d, &a), 1);
	assert_int_equal(logdedup_check(d, &a), 0);
	/* Same id, other fields differ: still the same event. */
	b.message = (char *)"changed";
	b.message_len = 7;
	assert_int_equal(logdedup_check(d, &b), 0);
	/* Same everything but the id: a different event. */
	log_event_set_id(&b, "37565645353456443939285563545674523535434547563484743681");
	assert_int_equal(logdedup_check(d, &b), 1);
	assert_int_equal(logdedup_size(d), 2);
	logdedup_free(d);
	logdedup_free(NULL);
}

static void
test_fallback_key(void **state)
{
	struct logdedup *d = logdedup_new();
	struct log_event a = mk(100, 110, "", "s1", "hello");
	struct log_event same = mk(100, 110, "", "s1", "hello");
	struct log_event other_msg = mk(100, 110, "", "s1", "hellO");
	struct log_event other_stream = mk(100, 110, "", "s2", "hello");
	struct log_event other_ts = mk(101, 110, "", "s1", "hello");
	struct log_event other_ing = mk(100, 111, "", "s1", "hello");
	struct log_event nul1, nul2;

	(void)state;
	assert_int_equal(logdedup_check(d, &a), 1);
	assert_int_equal(logdedup_check(d, &same), 0);
	assert_int_equal(logdedup_check(d, &other_msg), 1);
	assert_int_equal(logdedup_check(d, &other_stream), 1);
	assert_int_equal(logdedup_check(d, &other_ts), 1);
	assert_int_equal(logdedup_check(d, &other_ing), 1);
	/* The whole message counts, past an embedded NUL. */
	nul1 = mk(100, 110, "", "s1", "x");
	nul2 = nul1;
	nul1.message = (char *)"ab\0cd";
	nul1.message_len = 5;
	nul2.message = (char *)"ab\0ce";
	nul2.message_len = 5;
	assert_int_equal(logdedup_check(d, &nul1), 1);
	assert_int_equal(logdedup_check(d, &nul2), 1);
	assert_int_equal(logdedup_check(d, &nul2), 0);
	/* An id-less event never collides with the id-keyed one. */
	assert_int_not_equal(logdedup_key(&a),
	    logdedup_key(&(struct log_event){ .event_id = "hello" }));
	assert_int_equal(logdedup_size(d), 7);
	logdedup_free(d);
}

static void
test_expire(void **state)
{
	struct logdedup *d = logdedup_new();
	char id[32];
	struct log_event ev;
	int64_t i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(id, sizeof id, "id%lld", (long long)i);
		ev = mk(i, i, id, "s", "m");
		assert_int_equal(logdedup_check(d, &ev), 1);
	}
	assert_int_equal(logdedup_size(d), 1000);
	logdedup_expire(d, 500);
	assert_int_equal(logdedup_size(d), 500);
	/* Kept: still a duplicate. */
	ev = mk(700, 700, "id700", "s", "m");
	assert_int_equal(logdedup_check(d, &ev), 0);
	ev = mk(500, 500, "id500", "s", "m");
	assert_int_equal(logdedup_check(d, &ev), 0);
	/* Forgotten: new again. */
	ev = mk(499, 499, "id499", "s", "m");
	assert_int_equal(logdedup_check(d, &ev), 1);
	logdedup_free(d);
}

/* A long follow: the set tracks the window, not the whole history. */
static void
test_memory_bounded(void **state)
{
	struct logdedup *d = logdedup_new();
	struct log_event ev;
	char id[32];
	int64_t ts = 0;
	size_t max_bytes = 0;
	int round, i;

	(void)state;
	for (round = 0; round < 200; round++) {
		for (i = 0; i < 5000; i++, ts++) {
			snprintf(id, sizeof id, "e%lld", (long long)ts);
			ev = mk(ts, ts, id, "s", "m");
			assert_int_equal(logdedup_check(d, &ev), 1);
		}
		/* The follower's window: the last 10,000 ms. */
		logdedup_expire(d, ts - 10000);
		assert_true(logdedup_size(d) <= 10000);
		if (logdedup_bytes(d) > max_bytes)
			max_bytes = logdedup_bytes(d);
	}
	assert_int_equal(logdedup_size(d), 10000);
	/* 1,000,000 seen; memory for ~15,000 at most (16 bytes a slot). */
	assert_true(max_bytes < 1024 * 1024);
	logdedup_free(d);
}

static void
test_speed(void **state)
{
	struct logdedup *d = logdedup_new();
	struct log_event ev;
	char id[64];
	clock_t t0;
	double secs;
	int i, fresh = 0;

	(void)state;
	ev = mk(0, 0, "", "s", "m");
	t0 = clock();
	/* 100,000 checks, half of them repeats, like an overlapping window. */
	for (i = 0; i < 100000; i++) {
		snprintf(id, sizeof id,
		    "375656453534564439392855635456745235354345475634%08d",
		    i % 50000);
		log_event_set_id(&ev, id);
		/* A repeat is the same event: same id, same timestamp. */
		ev.timestamp = i % 50000;
		fresh += logdedup_check(d, &ev);
	}
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	print_message("100,000 checks: %.4f s\n", secs);
	assert_int_equal(fresh, 50000);
	assert_int_equal(logdedup_size(d), 50000);
	/* USERS.md: 0.02 s; a list scan takes ~10 s. Generous for sanitizers. */
	assert_true(secs < 1.0);
	logdedup_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_id),
		cmocka_unit_test(test_fallback_key),
		cmocka_unit_test(test_expire),
		cmocka_unit_test(test_memory_bounded),
		cmocka_unit_test(test_speed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
