/*
 * Unit tests for src/logscroll.c: a screen of 10 rows over events whose
 * message says how many rows they take. Following shows the end of a
 * tall newest event; steps scroll it row by row both ways; g then steps
 * reach every row of it and its end; events that fit move one event at a
 * time and are shown whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "logscroll.h"

#define SCREEN	10

static size_t
rows_of(void *arg, size_t i)
{
	struct logview *lv = arg;
	size_t len;
	const char *msg = logring_message(logview_ring(lv), i, &len);

	return msg != NULL ? (size_t)strtoul(msg, NULL, 10) : 1;
}

static struct logview *
sample(const char *const *rows, size_t n)
{
	struct logview *lv = logview_new(0);
	struct log_event ev;
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&ev, 0, sizeof ev);
		ev.timestamp = 1000 + (int64_t)i;
		ev.message = (char *)rows[i];
		ev.message_len = strlen(rows[i]);
		logview_add(lv, &ev);
	}
	return lv;
}

/* The row of the whole sequence where event e starts. */
static size_t
abs_of(const struct logview *lv, size_t e)
{
	size_t i, at = 0;

	for (i = 0; i < e; i++)
		at += rows_of((void *)lv, i);
	return at;
}

/* The row of the whole sequence at the top of the screen. */
static size_t
abs_top(const struct logscroll *s, const struct logview *lv)
{
	return abs_of(lv, s->top) + s->top_row;
}

static void
test_follow_shows_the_end(void **state)
{
	static const char *const rows[] = { "1", "1", "100" };
	struct logview *lv = sample(rows, 3);
	struct logscroll s;

	(void)state;
	logscroll_init(&s, lv);
	logscroll_place(&s, lv, SCREEN, rows_of, lv);
	assert_int_equal(s.top, 2);
	assert_int_equal(s.top_row, 90);	/* rows 90..99: the end on the last row */
	/* k: one row up, and following stops; j: back down. */
	logscroll_move(&s, lv, -1, SCREEN, rows_of, lv);
	assert_false(logview_following(lv));
	assert_int_equal(s.top, 2);
	assert_int_equal(s.top_row, 89);
	logscroll_move(&s, lv, -5, SCREEN, rows_of, lv);
	assert_int_equal(s.top_row, 84);
	logscroll_move(&s, lv, 6, SCREEN, rows_of, lv);
	assert_int_equal(s.top_row, 90);
	assert_int_equal(logview_cursor(lv), 2);
	/* Past the end: following again, still at the end. */
	logscroll_move(&s, lv, 1, SCREEN, rows_of, lv);
	assert_true(logview_following(lv));
	logscroll_place(&s, lv, SCREEN, rows_of, lv);
	assert_int_equal(s.top_row, 90);
	logview_free(lv);
}

static void
test_every_row_reached(void **state)
{
	static const char *const rows[] = { "1", "1", "100", "1", "1" };
	struct logview *lv = sample(rows, 5);
	struct logscroll s;
	size_t steps = 0, prev;

	(void)state;
	logscroll_init(&s, lv);
	logview_home(lv);
	logscroll_place(&s, lv, SCREEN, rows_of, lv);
	assert_int_equal(s.top, 0);
	assert_int_equal(s.top_row, 0);
	/* j from the top: the screen moves one row at a time through the tall event. */
	prev = abs_top(&s, lv);
	while (logview_cursor(lv) != 3 && steps < 500) {
		logscroll_move(&s, lv, 1, SCREEN, rows_of, lv);
		assert_true(abs_top(&s, lv) - prev <= 1);
		prev = abs_top(&s, lv);
		steps++;
	}
	assert_int_equal(logview_cursor(lv), 3);
	/* The tall event's last row was on screen just before: rows 2..101 seen. */
	assert_true(abs_top(&s, lv) + SCREEN >= 2 + 100 + 1);
	/* k back up: onto the tall event's end, then row by row to its start. */
	logscroll_move(&s, lv, -1, SCREEN, rows_of, lv);
	assert_int_equal(logview_cursor(lv), 2);
	logscroll_move(&s, lv, -200, SCREEN, rows_of, lv);
	assert_int_equal(logview_cursor(lv), 0);
	assert_int_equal(abs_top(&s, lv), 0);
	/* A page down from the top goes a page into the tall event, not past it. */
	logscroll_move(&s, lv, SCREEN - 1, SCREEN, rows_of, lv);
	assert_int_equal(logview_cursor(lv), 2);
	assert_true(abs_top(&s, lv) > 0 && abs_top(&s, lv) < SCREEN);
	logview_free(lv);
}

static void
test_events_that_fit(void **state)
{
	static const char *const rows[] = { "1", "3", "1", "1", "4", "1", "2", "1", "1", "1", "1" };
	struct logview *lv = sample(rows, 11);
	struct logscroll s;
	size_t i, at;

	(void)state;
	logscroll_init(&s, lv);
	logview_home(lv);
	logscroll_place(&s, lv, SCREEN, rows_of, lv);
	/* One event a step, each shown whole. */
	for (i = 1; i < 11; i++) {
		logscroll_move(&s, lv, 1, SCREEN, rows_of, lv);
		assert_int_equal(logview_cursor(lv), i);
		at = abs_of(lv, i);
		assert_true(at >= abs_top(&s, lv));
		assert_true(at + rows_of(lv, i) <= abs_top(&s, lv) + SCREEN);
	}
	/* The last one at the bottom: 17 rows in all, so the top is row 7. */
	assert_int_equal(abs_top(&s, lv), 7);
	/* Up to the top row and one more: the screen follows by one event. */
	logscroll_move(&s, lv, -8, SCREEN, rows_of, lv);
	assert_int_equal(logview_cursor(lv), 2);
	assert_int_equal(s.top, 2);
	logscroll_move(&s, lv, -1, SCREEN, rows_of, lv);
	assert_int_equal(s.top, 1);
	assert_int_equal(s.top_row, 0);
	logview_free(lv);
}

static void
test_empty(void **state)
{
	struct logview *lv = logview_new(0);
	struct logscroll s;

	(void)state;
	logscroll_init(&s, lv);
	logscroll_place(&s, lv, SCREEN, rows_of, lv);
	assert_int_equal(s.top, LOGVIEW_NONE);
	logscroll_move(&s, lv, 3, SCREEN, rows_of, lv);
	logscroll_move(&s, lv, -3, 0, rows_of, lv);
	assert_int_equal(logview_cursor(lv), LOGVIEW_NONE);
	logview_free(lv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_follow_shows_the_end),
		cmocka_unit_test(test_every_row_reached),
		cmocka_unit_test(test_events_that_fit),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
