/*
 * Unit tests for src/logview.c: which events are shown (START/END folded
 * into their REPORT, non-matching lines hidden, one request id), the
 * search and its match count kept as events arrive, highlighting spans,
 * n/N, and a cursor that follows the newest event or stays on its event
 * (counting what arrives) across late inserts and eviction.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "logparse.h"
#include "logview.h"

#define RID1 "6f1c2d3e-0000-4000-8000-000000000001"
#define RID2 "6f1c2d3e-0000-4000-8000-000000000002"

static void
add(struct logview *lv, int64_t ts, const char *msg)
{
	struct log_event ev;
	char id[64];

	memset(&ev, 0, sizeof ev);
	ev.timestamp = ts;
	ev.ingestion_time = ts + 5;
	ev.stream = (char *)"2026/11/25/[$LATEST]abc";
	ev.message = (char *)msg;
	ev.message_len = strlen(msg);
	snprintf(id, sizeof id, "%056lld", (long long)ts);
	log_event_set_id(&ev, id);
	logview_add(lv, &ev);
}

static const char *
msg_at(const struct logview *lv, size_t i)
{
	size_t len;

	return logring_message(logview_ring(lv), i, &len);
}

/* One invocation: START, two application lines, END, REPORT. */
static void
add_invocation(struct logview *lv, int64_t ts, const char *rid, const char *line)
{
	char buf[512];

	snprintf(buf, sizeof buf, "START RequestId: %s Version: $LATEST\n", rid);
	add(lv, ts, buf);
	snprintf(buf, sizeof buf, "2026-11-25T10:00:00.000Z\t%s\tINFO\t%s\n", rid, line);
	add(lv, ts + 1, buf);
	snprintf(buf, sizeof buf, "2026-11-25T10:00:00.000Z\t%s\tERROR\t{\"level\":\"ERROR\",\"msg\":\"%s\"}\n", rid, line);
	add(lv, ts + 2, buf);
	snprintf(buf, sizeof buf, "END RequestId: %s\n", rid);
	add(lv, ts + 3, buf);
	snprintf(buf, sizeof buf, "REPORT RequestId: %s\tDuration: 12.50 ms\tBilled Duration: 13 ms\t"
	    "Memory Size: 512 MB\tMax Memory Used: 80 MB\n", rid);
	add(lv, ts + 4, buf);
}

static size_t
count_shown(const struct logview *lv)
{
	size_t i, n = 0;

	for (i = 0; i < logview_count(lv); i++)
		n += (size_t)logview_shown(lv, i);
	return n;
}

static void
test_classify_and_fold(void **state)
{
	struct logview *lv = logview_new(0);

	add_invocation(lv, 1000, RID1, "page 1");
	assert_int_equal(logview_count(lv), 5);
	assert_true(logring_flags(logview_ring(lv), 0) & LOG_EVENT_START);
	assert_true(logring_flags(logview_ring(lv), 2) & LOG_EVENT_JSON);
	assert_true(logring_flags(logview_ring(lv), 3) & LOG_EVENT_END);
	assert_true(logring_flags(logview_ring(lv), 4) & LOG_EVENT_REPORT);
	assert_false(logring_flags(logview_ring(lv), 1) & (LOG_EVENT_JSON | LOG_EVENT_START));
	/* Folded by default: START and END stand in their REPORT. */
	assert_true(logview_fold(lv));
	assert_int_equal(count_shown(lv), 3);
	assert_false(logview_shown(lv, 0));
	assert_false(logview_shown(lv, 3));
	logview_set_fold(lv, 0);
	assert_int_equal(count_shown(lv), 5);
	logview_free(lv);
}

/* The level is read once, as the event arrives, for the console's colours. */
static void
test_level_set_on_add(void **state)
{
	struct logview *lv = logview_new(0);

	(void)state;
	add_invocation(lv, 1000, RID1, "page 1");
	add(lv, 2000, "[WARNING] bracket warning\n");
	add(lv, 2001, "{\"level\": \"FATAL\", \"message\": \"json\"}\n");
	add(lv, 2002, "plain");
	assert_int_equal(logring_at(logview_ring(lv), 1)->level, LOG_LEVEL_INFO);
	assert_int_equal(logring_at(logview_ring(lv), 2)->level, LOG_LEVEL_ERROR);
	assert_int_equal(logring_at(logview_ring(lv), 5)->level, LOG_LEVEL_WARN);
	assert_int_equal(logring_at(logview_ring(lv), 6)->level, LOG_LEVEL_FATAL);
	assert_int_equal(logring_at(logview_ring(lv), 7)->level, LOG_LEVEL_NONE);
	logview_free(lv);
}

static void
test_search_marks_and_counts(void **state)
{
	struct logview *lv = logview_new(0);
	struct dlc_err err;
	size_t s[4], e[4];

	dlc_err_clear(&err);
	add_invocation(lv, 1000, RID1, "page 1 ok");
	add_invocation(lv, 2000, RID2, "page 2 Timeout");
	assert_int_equal(logview_set_search(lv, "timeout", &err), 0);
	/* Smart case: lower case matches any case; two lines of RID2 say it. */
	assert_int_equal(logview_match_count(lv), 2);
	assert_string_equal(logview_search(lv), "timeout");
	add_invocation(lv, 3000, RID1, "another timeout");
	assert_int_equal(logview_match_count(lv), 4);
	/* A capital makes it case-sensitive. */
	assert_int_equal(logview_set_search(lv, "Timeout", &err), 0);
	assert_int_equal(logview_match_count(lv), 2);
	/* A bad regex keeps the old search and says why. */
	assert_int_equal(logview_set_search(lv, "(unclosed", &err), -1);
	assert_string_equal(err.code, "BadRegex");
	assert_non_null(strstr(err.message, "(unclosed"));
	assert_string_equal(logview_search(lv), "Timeout");
	assert_int_equal(logview_match_count(lv), 2);
	/* Spans for highlighting, every one in a line. */
	assert_int_equal(logview_find(lv, "a Timeout, b Timeout", 20, s, e, 4), 2);
	assert_int_equal(s[0], 2);
	assert_int_equal(e[0], 9);
	assert_int_equal(s[1], 13);
	/* Hide what does not match. */
	logview_set_hide_unmatched(lv, 1);
	assert_int_equal(count_shown(lv), 2);
	assert_int_equal(logview_set_search(lv, NULL, &err), 0);
	assert_null(logview_search(lv));
	assert_int_equal(logview_match_count(lv), 0);
	/* With no search, hiding hides nothing. */
	assert_int_equal(count_shown(lv), 9);
	logview_free(lv);
}

static void
test_empty_matches_do_not_loop(void **state)
{
	struct logview *lv = logview_new(0);
	struct dlc_err err;
	size_t s[8], e[8];

	assert_int_equal(logview_set_search(lv, "x*", &err), 0);
	assert_int_equal(logview_find(lv, "abxxc", 5, s, e, 8), 1);
	assert_int_equal(s[0], 2);
	assert_int_equal(e[0], 4);
	logview_free(lv);
}

static void
test_request_filter(void **state)
{
	struct logview *lv = logview_new(0);
	char rid[64];
	size_t i;

	add_invocation(lv, 1000, RID1, "one");
	add_invocation(lv, 2000, RID2, "two");
	add_invocation(lv, 3000, RID1, "three");
	assert_int_equal(logview_request_of(lv, 6, rid), 0);
	assert_string_equal(rid, RID2);
	logview_set_request(lv, RID2);
	assert_string_equal(logview_request(lv), RID2);
	/* Its two lines and its REPORT (START and END folded). */
	assert_int_equal(count_shown(lv), 3);
	for (i = 0; i < logview_count(lv); i++)
		if (logview_shown(lv, i))
			assert_non_null(strstr(msg_at(lv, i), RID2));
	/* The cursor moved onto a shown event of it. */
	assert_true(logview_shown(lv, logview_cursor(lv)));
	/* New events of it are marked as they come. */
	add_invocation(lv, 4000, RID2, "four");
	assert_int_equal(count_shown(lv), 6);
	logview_set_request(lv, NULL);
	assert_null(logview_request(lv));
	assert_int_equal(count_shown(lv), 12);
	logview_free(lv);
}

static void
test_follow_pause_and_unseen(void **state)
{
	struct logview *lv = logview_new(0);
	size_t c;

	assert_int_equal(logview_cursor(lv), LOGVIEW_NONE);
	add(lv, 1000, "a");
	add(lv, 2000, "b");
	add(lv, 3000, "c");
	assert_true(logview_following(lv));
	assert_int_equal(logview_cursor(lv), 2);
	/* Moving up stops following; what arrives is counted, the cursor stays. */
	logview_move(lv, -1);
	assert_false(logview_following(lv));
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "b");
	add(lv, 4000, "d");
	add(lv, 5000, "e");
	assert_int_equal(logview_unseen(lv), 2);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "b");
	/* A late event before the cursor moves its index, not the cursor's event. */
	add(lv, 1500, "late");
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "b");
	assert_int_equal(logview_unseen(lv), 2);
	/* Moving down past the newest follows again. */
	logview_move(lv, 10);
	assert_true(logview_following(lv));
	assert_int_equal(logview_unseen(lv), 0);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "e");
	/* Following: a late event does not take the cursor off the newest. */
	add(lv, 2500, "late 2");
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "e");
	add(lv, 6000, "f");
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "f");
	/* Pause where it is, home, and resume. */
	logview_set_following(lv, 0);
	logview_home(lv);
	assert_int_equal(logview_cursor(lv), 0);
	c = logview_cursor(lv);
	logview_move(lv, -3);
	assert_int_equal(logview_cursor(lv), c);
	logview_set_following(lv, 1);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "f");
	logview_free(lv);
}

static void
test_cursor_and_tracked_survive_eviction(void **state)
{
	struct logview *lv = logview_new(4);
	size_t top = LOGVIEW_NONE;
	char msg[16];
	int i;

	logview_track(lv, &top);
	for (i = 0; i < 4; i++) {
		snprintf(msg, sizeof msg, "m%d", i);
		add(lv, 1000 + i, msg);
	}
	top = 1;
	logview_move(lv, -1);		/* on m2 */
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "m2");
	add(lv, 2000, "m4");		/* evicts m0 */
	assert_int_equal(logview_count(lv), 4);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "m2");
	assert_string_equal(msg_at(lv, top), "m1");
	add(lv, 2001, "m5");		/* evicts m1: top goes to the oldest left */
	assert_int_equal(top, 0);
	assert_string_equal(msg_at(lv, top), "m2");
	add(lv, 2002, "m6");		/* evicts m2, where the cursor was */
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "m3");
	/* An event older than everything, with the ring full, goes at once. */
	add(lv, 1, "ancient");
	assert_int_equal(logview_count(lv), 4);
	assert_string_equal(msg_at(lv, 0), "m3");
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "m3");
	logview_free(lv);
}

static void
test_next_match(void **state)
{
	struct logview *lv = logview_new(0);
	struct dlc_err err;

	add(lv, 1, "error one");
	add(lv, 2, "fine");
	add(lv, 3, "error two");
	add(lv, 4, "fine again");
	assert_int_equal(logview_next_match(lv, 1), -1);	/* no search */
	assert_int_equal(logview_set_search(lv, "error", &err), 0);
	/* From the newest, backwards. */
	assert_int_equal(logview_next_match(lv, -1), 0);
	assert_false(logview_following(lv));
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "error two");
	assert_int_equal(logview_next_match(lv, -1), 0);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "error one");
	/* Past either end the search wraps, and says so. */
	assert_int_equal(logview_next_match(lv, -1), 1);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "error two");
	assert_int_equal(logview_next_match(lv, 1), 1);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "error one");
	assert_int_equal(logview_next_match(lv, 1), 0);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "error two");
	/* From the newest event, which does not match: onward wraps to the first. */
	logview_set_following(lv, 1);
	assert_int_equal(logview_next_match(lv, 1), 1);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "error one");
	/* The only match, from itself: wraps back onto it. */
	assert_int_equal(logview_set_search(lv, "two", &err), 0);
	logview_home(lv);
	assert_int_equal(logview_next_match(lv, 1), 0);
	assert_int_equal(logview_next_match(lv, 1), 1);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "error two");
	/* Nothing shown matches: the cursor stays. */
	assert_int_equal(logview_set_search(lv, "absent", &err), 0);
	assert_int_equal(logview_next_match(lv, 1), -1);
	assert_int_equal(logview_next_match(lv, -1), -1);
	assert_int_equal(logview_first_match(lv), -1);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "error two");
	logview_free(lv);
}

/* Enter after a search: the cursor's own event when it matches, else onward, wrapping. */
static void
test_first_match(void **state)
{
	struct logview *lv = logview_new(0);
	struct dlc_err err;

	(void)state;
	add(lv, 1, "a needle");
	add(lv, 2, "hay");
	add(lv, 3, "b needle");
	add(lv, 4, "hay again");
	assert_int_equal(logview_first_match(lv), -1);	/* no search */
	assert_int_equal(logview_set_search(lv, "needle", &err), 0);
	logview_home(lv);
	assert_int_equal(logview_first_match(lv), 0);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "a needle");
	logview_move(lv, 1);
	assert_int_equal(logview_first_match(lv), 0);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "b needle");
	/* Following, on the newest line: the first match from the top. */
	logview_set_following(lv, 1);
	assert_int_equal(logview_first_match(lv), 1);
	assert_false(logview_following(lv));
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "a needle");
	logview_free(lv);
}

/* What W saves: folded START/END too; the search and request id still choose. */
static void
test_next_kept(void **state)
{
	struct logview *lv = logview_new(0);
	struct dlc_err err;
	size_t i, n;

	(void)state;
	add_invocation(lv, 1000, RID1, "page 1");
	add_invocation(lv, 2000, RID2, "page 2");
	assert_int_equal(count_shown(lv), 6);
	for (n = 0, i = logview_next_kept(lv, LOGVIEW_NONE); i != LOGVIEW_NONE; i = logview_next_kept(lv, i))
		n++;
	assert_int_equal(n, 10);
	logview_set_request(lv, RID2);
	for (n = 0, i = logview_next_kept(lv, LOGVIEW_NONE); i != LOGVIEW_NONE; i = logview_next_kept(lv, i)) {
		assert_non_null(strstr(msg_at(lv, i), RID2));
		n++;
	}
	assert_int_equal(n, 5);
	logview_set_request(lv, NULL);
	assert_int_equal(logview_set_search(lv, "page 1|START", &err), 0);
	logview_set_hide_unmatched(lv, 1);
	for (n = 0, i = logview_next_kept(lv, LOGVIEW_NONE); i != LOGVIEW_NONE; i = logview_next_kept(lv, i))
		n++;
	assert_int_equal(n, 4);	/* two STARTs, and page 1's two lines */
	logview_free(lv);
}

static void
test_gaps_always_shown(void **state)
{
	struct logview *lv = logview_new(0);
	struct dlc_err err;

	add(lv, 1000, "x");
	logview_add_gap(lv, 1500, 1600, "AccessDenied: could not read");
	assert_int_equal(logview_count(lv), 2);
	assert_true(logring_flags(logview_ring(lv), 1) & LOG_EVENT_GAP);
	assert_int_equal(logview_set_search(lv, "nothing-matches", &err), 0);
	logview_set_hide_unmatched(lv, 1);
	logview_set_request(lv, RID1);
	assert_int_equal(count_shown(lv), 1);
	assert_true(logview_shown(lv, 1));
	logview_free(lv);
}

/* A re-read starts from nothing but the user's search and fold. */
static void
test_clear_keeps_settings(void **state)
{
	struct logview *lv = logview_new(0);
	size_t top = 0;

	(void)state;
	logview_track(lv, &top);
	assert_int_equal(logview_set_search(lv, "boom", NULL), 0);
	logview_set_fold(lv, 0);
	add(lv, 1000, "boom one\n");
	add(lv, 2000, "quiet\n");
	logview_set_following(lv, 0);
	logview_clear(lv);
	assert_int_equal(logview_count(lv), 0);
	assert_int_equal(logview_match_count(lv), 0);
	assert_int_equal(logview_cursor(lv), LOGVIEW_NONE);
	assert_int_equal(top, LOGVIEW_NONE);
	assert_true(logview_following(lv));
	assert_string_equal(logview_search(lv), "boom");
	assert_false(logview_fold(lv));
	add(lv, 3000, "boom again\n");
	assert_int_equal(logview_match_count(lv), 1);
	assert_int_equal(logview_cursor(lv), 0);
	logview_free(lv);
}

/* The first shown line at or after a time; hidden lines are stepped over. */
static void
test_goto_time(void **state)
{
	struct logview *lv = logview_new(0);

	(void)state;
	assert_int_equal(logview_goto_time(lv, 0), -1);
	add(lv, 1000, "a\n");
	add(lv, 2000, "b\n");
	add(lv, 2000, "b2\n");
	add(lv, 3000, "c\n");
	add(lv, 4000, "d\n");
	assert_int_equal(logview_goto_time(lv, 2000), 0);
	assert_false(logview_following(lv));
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "b\n");
	assert_int_equal(logview_goto_time(lv, 2500), 0);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "c\n");
	assert_int_equal(logview_goto_time(lv, 0), 0);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "a\n");
	assert_int_equal(logview_goto_time(lv, 4001), -1);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "a\n");
	/* c hidden by the search: going to 3000 lands on d. */
	assert_int_equal(logview_set_search(lv, "^[abd]", NULL), 0);
	logview_set_hide_unmatched(lv, 1);
	assert_int_equal(logview_goto_time(lv, 2500), 0);
	assert_string_equal(msg_at(lv, logview_cursor(lv)), "d\n");
	logview_free(lv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_and_fold),
		cmocka_unit_test(test_level_set_on_add),
		cmocka_unit_test(test_first_match),
		cmocka_unit_test(test_next_kept),
		cmocka_unit_test(test_search_marks_and_counts),
		cmocka_unit_test(test_empty_matches_do_not_loop),
		cmocka_unit_test(test_request_filter),
		cmocka_unit_test(test_follow_pause_and_unseen),
		cmocka_unit_test(test_cursor_and_tracked_survive_eviction),
		cmocka_unit_test(test_next_match),
		cmocka_unit_test(test_gaps_always_shown),
		cmocka_unit_test(test_clear_keeps_settings),
		cmocka_unit_test(test_goto_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
