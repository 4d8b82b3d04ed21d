/*
 * Unit tests for src/logring.c: time order with late and very late events,
 * ties broken by ingestion time and eventId, both caps and the dropped
 * count, gap markers, the version counter, faithful round trips (56-digit
 * ids, NUL in messages, big messages) and the memory target: a million
 * 100-byte messages from 20 streams under 1.5x the message bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "logring.h"
#include "xmalloc.h"

static void
add(struct logring *r, int64_t ts, int64_t ing, const char *id,
    const char *stream, const char *msg)
{
	struct log_event ev;

	memset(&ev, 0, sizeof ev);
	ev.timestamp = ts;
	ev.ingestion_time = ing;
	ev.stream = (char *)stream;
	ev.message = (char *)msg;
	ev.message_len = strlen(msg);
	log_event_set_id(&ev, id);
	assert_int_equal(logring_add(r, &ev), 0);
}

static void
assert_sorted(const struct logring *r)
{
	size_t i;

	for (i = 1; i < logring_count(r); i++) {
		struct log_event a = *logring_at(r, i - 1);
		const struct log_event *b = logring_at(r, i);

		assert_true(log_event_cmp(&a, b) <= 0);
	}
}

static void
test_in_order_and_late(void **state)
{
	struct logring *r = logring_new(0, 0);
	int64_t ts;
	char msg[32];

	(void)state;
	for (ts = 1000; ts < 1300; ts += 2) {
		snprintf(msg, sizeof msg, "m%lld", (long long)ts);
		add(r, ts, ts + 5, "", "s", msg);
	}
	/* Late, near the end: found by the short backward scan. */
	add(r, 1291, 1400, "", "s", "late");
	/* Very late: older than 64 events back, found by bisection. */
	add(r, 1001, 1500, "", "s", "very late");
	/* Older than everything. */
	add(r, 5, 1600, "", "s", "first");
	assert_int_equal(logring_count(r), 153);
	assert_sorted(r);
	assert_string_equal(logring_at(r, 0)->message, "first");
	assert_string_equal(logring_at(r, 1)->message, "m1000");
	assert_string_equal(logring_at(r, 2)->message, "very late");
	assert_string_equal(logring_at(r, 3)->message, "m1002");
	assert_string_equal(logring_at(r, 147)->message, "m1290");
	assert_string_equal(logring_at(r, 148)->message, "late");
	assert_string_equal(logring_at(r, 152)->message, "m1298");
	assert_null(logring_at(r, 153));
	logring_free(r);
}

static void
test_ties(void **state)
{
	struct logring *r = logring_new(0, 0);

	(void)state;
	add(r, 100, 210, "00000000000000000000000000000000000000000000000000000002",
	    "a", "c");
	add(r, 100, 200, "00000000000000000000000000000000000000000000000000000009",
	    "a", "b");
	add(r, 100, 210, "00000000000000000000000000000000000000000000000000000001",
	    "a", "a2");
	add(r, 100, 200, "00000000000000000000000000000000000000000000000000000003",
	    "a", "a");
	assert_string_equal(logring_at(r, 0)->message, "a");
	assert_string_equal(logring_at(r, 1)->message, "b");
	assert_string_equal(logring_at(r, 2)->message, "a2");
	assert_string_equal(logring_at(r, 3)->message, "c");
	/* Equal keys keep arrival order. */
	add(r, 100, 210, "00000000000000000000000000000000000000000000000000000002",
	    "a", "c again");
	assert_string_equal(logring_at(r, 4)->message, "c again");
	logring_free(r);
}

static void
test_round_trip(void **state)
{
	struct logring *r = logring_new(0, 0);
	const char *id56 =
	    "37565645353456443939285563545674523535434547563484743680";
	const char *idz =
	    "00012345678901234567890123456789012345678901234567890000";
	struct log_event ev;
	const struct log_event *got;
	char *big;
	size_t blen = 256 * 1024, len;

	(void)state;
	memset(&ev, 0, sizeof ev);
	ev.timestamp = 1795600800123LL;
	ev.ingestion_time = 1795600800000LL;	/* before its timestamp */
	ev.stream = (char *)"2026/11/25/[$LATEST]abc";
	ev.message = (char *)"one\0two";
	ev.message_len = 7;
	ev.source = 513;
	ev.level = 5;
	ev.flags = 0x80;
	log_event_set_id(&ev, id56);
	logring_add(r, &ev);
	got = logring_at(r, 0);
	assert_int_equal(got->timestamp, ev.timestamp);
	assert_int_equal(got->ingestion_time, ev.ingestion_time);
	assert_string_equal(got->stream, ev.stream);
	assert_int_equal(got->message_len, 7);
	assert_memory_equal(got->message, "one\0two", 8);
	assert_string_equal(got->event_id, id56);
	assert_int_equal(got->source, 513);
	assert_int_equal(got->level, 5);
	assert_int_equal(got->flags, 0x80);

	/* Leading zeros, a non-digit id, no id, no stream. */
	add(r, 1795600800124LL, 1795600800124LL, idz, "s", "z");
	add(r, 1795600800125LL, 1795600800125LL, "abc-def", "s", "x");
	add(r, 1795600800126LL, 1795600800126LL, "", NULL, "");
	assert_string_equal(logring_at(r, 1)->event_id, idz);
	assert_string_equal(logring_at(r, 2)->event_id, "abc-def");
	assert_string_equal(logring_at(r, 3)->event_id, "");
	assert_null(logring_at(r, 3)->stream);
	assert_int_equal(logring_at(r, 3)->message_len, 0);

	/* A 256 KiB message gets a chunk of its own. */
	big = xmalloc(blen + 1);
	memset(big, 'q', blen);
	big[blen] = '\0';
	big[blen - 1] = 'z';
	add(r, 1795600800127LL, 1795600800127LL, id56, "s", big);
	got = logring_at(r, 4);
	assert_int_equal(got->message_len, blen);
	assert_memory_equal(got->message, big, blen + 1);
	assert_string_equal(logring_message(r, 4, &len), big);
	assert_int_equal(len, blen);
	assert_null(logring_message(r, 5, &len));
	free(big);
	logring_free(r);
}

static void
test_event_cap(void **state)
{
	struct logring *r = logring_new(10, 0);
	char msg[16];
	int i;

	(void)state;
	for (i = 0; i < 25; i++) {
		snprintf(msg, sizeof msg, "e%d", i);
		add(r, 1000 + i, 1000 + i, "", "s", msg);
	}
	assert_int_equal(logring_count(r), 10);
	assert_int_equal(logring_dropped(r), 15);
	assert_string_equal(logring_at(r, 0)->message, "e15");
	assert_string_equal(logring_at(r, 9)->message, "e24");
	/* A late event older than everything is evicted at once: counted. */
	add(r, 1, 1, "", "s", "ancient");
	assert_int_equal(logring_count(r), 10);
	assert_int_equal(logring_dropped(r), 16);
	assert_string_equal(logring_at(r, 0)->message, "e15");
	logring_clear(r);
	assert_int_equal(logring_count(r), 0);
	assert_int_equal(logring_dropped(r), 0);
	logring_free(r);
}

static void
test_byte_cap(void **state)
{
	size_t cap = 256 * 1024;
	struct logring *r = logring_new(0, cap);
	char msg[1001];
	int i;

	(void)state;
	memset(msg, 'm', sizeof msg - 1);
	msg[sizeof msg - 1] = '\0';
	for (i = 0; i < 2000; i++) {
		add(r, 1000 + i, 1000 + i, "", "s", msg);
		assert_true(logring_bytes(r) <= cap);
	}
	assert_true(logring_count(r) > 50);
	assert_true(logring_count(r) < 256);
	assert_int_equal(logring_dropped(r) + logring_count(r), 2000);
	assert_int_equal(logring_at(r, logring_count(r) - 1)->timestamp, 2999);
	assert_sorted(r);
	logring_free(r);
}

static void
test_gap_and_version(void **state)
{
	struct logring *r = logring_new(0, 0);
	uint64_t v0 = logring_version(r), v1;
	const struct log_event *g;

	(void)state;
	add(r, 1000, 1000, "", "s", "before");
	v1 = logring_version(r);
	assert_true(v1 > v0);
	add(r, 5000, 5000, "", "s", "after");
	logring_add_gap(r, 2000, 3000, "ThrottlingException after 5 tries");
	assert_true(logring_version(r) > v1 + 1);
	assert_int_equal(logring_count(r), 3);
	g = logring_at(r, 1);
	assert_int_equal(g->flags & LOG_EVENT_GAP, LOG_EVENT_GAP);
	assert_int_equal(g->timestamp, 2000);
	assert_int_equal(g->ingestion_time, 3000);
	assert_string_equal(g->message, "ThrottlingException after 5 tries");
	assert_int_equal(logring_at(r, 0)->flags & LOG_EVENT_GAP, 0);
	v1 = logring_version(r);
	logring_clear(r);
	assert_true(logring_version(r) > v1);
	logring_free(r);
	logring_free(NULL);
}

/* The memory target, with AWS-shaped 56-digit eventIds. */
static void
test_memory_million(void **state)
{
	const size_t n = 1000000, msglen = 100;
	struct logring *r = logring_new(n, 0);
	char streams[20][64], msg[101], id[57];
	struct log_event ev;
	uint64_t seed = 88172645463325252ULL;
	size_t i, k, bytes;
	int64_t ts = 1795600800000LL;

	(void)state;
	for (i = 0; i < 20; i++)
		snprintf(streams[i], sizeof streams[i],
		    "2026/11/25/[$LATEST]%032zx", i * 7919);
	memset(&ev, 0, sizeof ev);
	for (i = 0; i < n; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		for (k = 0; k < msglen; k++)
			msg[k] = (char)(' ' + (seed >> (k % 50)) % 90);
		msg[msglen] = '\0';
		id[0] = (char)('1' + seed % 9);
		for (k = 1; k < 56; k++)
			id[k] = (char)('0' + (seed >> (k % 60)) % 10);
		id[56] = '\0';
		ts += (int64_t)(seed % 3);
		ev.timestamp = ts;
		ev.ingestion_time = ts + 200 + (int64_t)(seed % 20000);
		ev.stream = streams[seed % 20];
		ev.message = msg;
		ev.message_len = msglen;
		memcpy(ev.event_id, id, sizeof id);
		logring_add(r, &ev);
		if (i == n / 2) {
			const struct log_event *got = logring_at(r, i);

			assert_string_equal(got->event_id, id);
			assert_memory_equal(got->message, msg, msglen);
		}
	}
	assert_int_equal(logring_count(r), n);
	assert_int_equal(logring_dropped(r), 0);
	bytes = logring_bytes(r);
	print_message("1,000,000 events: %zu bytes, %.3f x the message bytes\n",
	    bytes, (double)bytes / (double)(n * msglen));
	assert_true(bytes < n * msglen * 3 / 2);
	assert_string_equal(logring_at(r, n - 1)->event_id, id);
	/* Steady state: the cap holds and eviction keeps the bound. */
	for (i = 0; i < n / 2; i++) {
		ts++;
		ev.timestamp = ts;
		ev.ingestion_time = ts + 300;
		logring_add(r, &ev);
	}
	assert_int_equal(logring_count(r), n);
	assert_int_equal(logring_dropped(r), n / 2);
	bytes = logring_bytes(r);
	print_message("after 500,000 evictions: %.3f x\n",
	    (double)bytes / (double)(n * msglen));
	assert_true(bytes < n * msglen * 3 / 2);
	logring_free(r);
}

/* src/logevent.c: deep copies, clearing, and FilterLogEvents order. */
static void
test_log_event(void **state)
{
	struct log_event a, b, c;

	(void)state;
	memset(&a, 0, sizeof a);
	a.timestamp = 5;
	a.ingestion_time = 6;
	a.stream = xstrdup("s1");
	log_event_set_message(&a, "x\0y", 3);
	log_event_set_id(&a, "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789");	/* too long: cut */
	assert_int_equal(strlen(a.event_id), LOG_EVENT_ID_LEN - 1);
	log_event_copy(&b, &a);
	assert_ptr_not_equal(b.stream, a.stream);
	assert_ptr_not_equal(b.message, a.message);
	assert_string_equal(b.stream, "s1");
	assert_int_equal(b.message_len, 3);
	assert_memory_equal(b.message, "x\0y", 4);
	assert_string_equal(b.event_id, a.event_id);
	assert_int_equal(log_event_cmp(&a, &b), 0);
	log_event_clear(&a);
	assert_null(a.message);
	assert_int_equal(a.timestamp, 0);
	assert_string_equal(b.stream, "s1");	/* the copy is its own */
	memset(&c, 0, sizeof c);
	c.timestamp = 5;
	c.ingestion_time = 7;
	assert_true(log_event_cmp(&b, &c) < 0);
	c.ingestion_time = 6;
	log_event_set_id(&c, "9");		/* shorter id sorts first */
	assert_true(log_event_cmp(&c, &b) < 0);
	c.timestamp = 4;
	assert_true(log_event_cmp(&b, &c) > 0);
	log_event_clear(&b);
	log_event_clear(NULL);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Events in shuffled order come out equal to a sorted reference. */
static void
test_random_order(void **state)
{
	enum { N = 5000 };
	struct logring *r = logring_new(0, 0);
	int64_t want[N];
	uint64_t seed = 12345;
	char msg[32];
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		/* Mostly ascending, a fifth of them late by up to 60 s. */
		want[i] = 100000 + (int64_t)i * 10 -
		    ((seed >> 33) % 5 == 0 ? (int64_t)((seed >> 40) % 60000) : 0);
		snprintf(msg, sizeof msg, "%lld", (long long)want[i]);
		add(r, want[i], want[i] + 100, "", "s", msg);
	}
	qsort(want, N, sizeof *want, cmp_i64);
	assert_int_equal(logring_count(r), N);
	for (i = 0; i < N; i++) {
		const struct log_event *ev = logring_at(r, i);

		assert_int_equal(ev->timestamp, want[i]);
		assert_int_equal(strtoll(ev->message, NULL, 10), want[i]);
	}
	logring_free(r);
}

/* Where each add went, after its evictions; flags changed in place. */
static void
test_last_index_and_flags(void **state)
{
	struct logring *r = logring_new(3, 0);
	uint64_t v;

	add(r, 100, 100, "1", "s", "a");
	assert_int_equal(logring_last_index(r), 0);
	add(r, 300, 300, "3", "s", "c");
	assert_int_equal(logring_last_index(r), 1);
	add(r, 200, 200, "2", "s", "b");
	assert_int_equal(logring_last_index(r), 1);
	/* Full: the new one lands at 3, then the oldest goes, so it is at 2. */
	add(r, 400, 400, "4", "s", "d");
	assert_int_equal(logring_last_index(r), 2);
	/* Older than all that is left: evicted at once. */
	add(r, 50, 50, "0", "s", "z");
	assert_int_equal(logring_last_index(r), SIZE_MAX);
	assert_int_equal(logring_count(r), 3);
	assert_int_equal(logring_flags(r, 1), 0);
	v = logring_version(r);
	logring_set_flags(r, 1, 0xF0);
	assert_true(logring_version(r) > v);
	assert_int_equal(logring_flags(r, 1), 0xF0);
	assert_int_equal(logring_at(r, 1)->flags, 0xF0);
	/* The rest of the record is untouched. */
	assert_string_equal(logring_at(r, 1)->message, "c");
	assert_string_equal(logring_at(r, 1)->event_id, "3");
	assert_int_equal(logring_flags(r, 9), 0);
	logring_set_flags(r, 9, 1);
	logring_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_event),
		cmocka_unit_test(test_in_order_and_late),
		cmocka_unit_test(test_random_order),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_event_cap),
		cmocka_unit_test(test_byte_cap),
		cmocka_unit_test(test_gap_and_version),
		cmocka_unit_test(test_last_index_and_flags),
		cmocka_unit_test(test_memory_million),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
