/*
 * Unit tests for src/queue-sched.c, the deploy queue's rule: ordinary
 * jobs start in queue order up to the bound, specials one at a time in
 * queue order (a later special waits for an earlier one even while that
 * one only waits for its locks), a paused queue starts nothing, and a
 * reorder moves a waiting job among the waiting ones only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "queue-sched.h"

#define W	QUEUE_SCHED_WAITING
#define R	QUEUE_SCHED_RUNNING
#define E	QUEUE_SCHED_ENDED

static void
set(struct queue_sched_job *j, enum queue_sched_state st, int special,
    int64_t order)
{
	memset(j, 0, sizeof *j);
	j->state = st;
	j->special = special;
	j->order = order;
}

/* "S" for a job that may start, "-" for one that waits or is not waiting. */
static void
expect_started(struct queue_sched_job *jobs, size_t n, const char *want)
{
	char got[64];
	size_t i;

	for (i = 0; i < n; i++)
		got[i] = jobs[i].state == W && jobs[i].why ==
		    QUEUE_SCHED_START ? 'S' : '-';
	got[n] = '\0';
	assert_string_equal(got, want);
}

static void
test_ordinary_bound_and_order(void **state)
{
	struct queue_sched_job j[6];
	size_t i;

	(void)state;
	/* Queued out of array order: the lowest order values start. */
	for (i = 0; i < 6; i++)
		set(&j[i], W, 0, (int64_t)(60 - i * 10));
	assert_int_equal(queue_sched_pick(j, 6, 4, 0), 4);
	expect_started(j, 6, "--SSSS");
	assert_int_equal(j[0].why, QUEUE_SCHED_FULL);
	assert_int_equal(j[1].why, QUEUE_SCHED_FULL);
	/* Two already running: two more slots. */
	set(&j[4], R, 0, 20);
	set(&j[5], R, 0, 10);
	assert_int_equal(queue_sched_pick(j, 6, 4, 0), 2);
	expect_started(j, 6, "--SS--");
	/* Ended jobs free their slot; a bound below 1 counts as 1. */
	set(&j[4], E, 0, 20);
	set(&j[5], E, 0, 10);
	assert_int_equal(queue_sched_pick(j, 6, 0, 0), 1);
	expect_started(j, 6, "---S--");
	assert_int_equal(queue_sched_pick(j, 6, 1, 0), 1);
}

static void
test_special_one_at_a_time(void **state)
{
	struct queue_sched_job j[5];

	(void)state;
	set(&j[0], W, 1, 30);
	set(&j[1], W, 1, 10);
	set(&j[2], W, 0, 20);
	set(&j[3], W, 1, 40);
	set(&j[4], W, 0, 50);
	/* The first special queued starts; ordinary ones beside it. */
	assert_int_equal(queue_sched_pick(j, 5, 4, 0), 3);
	expect_started(j, 5, "-SS-S");
	assert_int_equal(j[0].why, QUEUE_SCHED_SPECIAL);
	assert_int_equal(j[0].behind, 1);
	/* Each special waits for the one queued just before it. */
	assert_int_equal(j[3].behind, 0);
	/* Started (taking its locks) counts as running: the next waits. */
	j[1].state = R;
	assert_int_equal(queue_sched_pick(j, 5, 4, 0), 2);
	expect_started(j, 5, "--S-S");
	assert_int_equal(j[0].behind, 1);
	/* Specials do not take ordinary slots, nor ordinary ones theirs. */
	j[2].state = R;
	j[4].state = R;
	assert_int_equal(queue_sched_pick(j, 5, 2, 0), 0);
	j[1].state = E;
	assert_int_equal(queue_sched_pick(j, 5, 2, 0), 1);
	expect_started(j, 5, "S----");
	assert_int_equal(j[3].why, QUEUE_SCHED_SPECIAL);
	assert_int_equal(j[3].behind, 0);
}

static void
test_pause(void **state)
{
	struct queue_sched_job j[3];

	(void)state;
	set(&j[0], W, 1, 1);
	set(&j[1], W, 0, 2);
	set(&j[2], R, 0, 0);
	assert_int_equal(queue_sched_pick(j, 3, 4, 1), 0);
	assert_int_equal(j[0].why, QUEUE_SCHED_PAUSED);
	assert_int_equal(j[1].why, QUEUE_SCHED_PAUSED);
	/* Running jobs are not touched by a pause. */
	assert_int_equal(j[2].state, R);
	assert_int_equal(queue_sched_pick(j, 3, 4, 0), 2);
}

static void
test_reorder(void **state)
{
	struct queue_sched_job j[5];

	(void)state;
	set(&j[0], W, 0, 10);
	set(&j[1], R, 0, 20);
	set(&j[2], W, 0, 30);
	set(&j[3], W, 0, 40);
	set(&j[4], W, 1, 50);
	/* The last waiting job to the front: the others keep their order. */
	assert_int_equal(queue_sched_move(j, 5, 4, -10), 1);
	assert_int_equal(j[4].order, 10);
	assert_int_equal(j[0].order, 30);
	assert_int_equal(j[2].order, 40);
	assert_int_equal(j[3].order, 50);
	/* The running job's order is not the waiting ones' to take. */
	assert_int_equal(j[1].order, 20);
	/* One place later. */
	assert_int_equal(queue_sched_move(j, 5, 4, 1), 1);
	assert_int_equal(j[0].order, 10);
	assert_int_equal(j[4].order, 30);
	/* Already last / first: no move. */
	assert_int_equal(queue_sched_move(j, 5, 3, 1), 0);
	assert_int_equal(queue_sched_move(j, 5, 0, -1), 0);
	/* Only waiting jobs move. */
	assert_int_equal(queue_sched_move(j, 5, 1, -1), -1);
	assert_int_equal(queue_sched_move(j, 5, 9, -1), -1);
	/* The pick follows the new order. */
	assert_int_equal(queue_sched_pick(j, 5, 2, 0), 2);
	expect_started(j, 5, "S---S");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ordinary_bound_and_order),
		cmocka_unit_test(test_special_one_at_a_time),
		cmocka_unit_test(test_pause),
		cmocka_unit_test(test_reorder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
