/*
 * Unit tests for src/jobstate.c: a job's life folded from its records,
 * duplicates, prefixes, queue order, and marking the jobs of dead writers
 * interrupted through a real journal in a temporary state folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "jobstate.h"
#include "journal.h"
#include "loop.h"
#include "testfs.h"
#include "xmalloc.h"

static int
setup(void **state)
{
	(void)state;
	assert_int_equal(testfs_init("jobstate"), 0);
	setenv("XDG_STATE_HOME", testfs_root(), 1);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return testfs_cleanup();
}

/* Folds one record given as JSON text; returns what jobstate_set_add returned. */
static const struct jobstate *
add(struct jobstate_set *set, const char *json)
{
	cJSON *rec = cJSON_Parse(json);
	const struct jobstate *j;

	assert_non_null(rec);
	j = jobstate_set_add(set, rec);
	cJSON_Delete(rec);
	return j;
}

static void
test_fold_a_deployment(void **state)
{
	struct jobstate_set *set = jobstate_set_new();
	const struct jobstate *j;
	const struct jobstate_step *s;

	(void)state;
	j = add(set, "{\"t\":\"2026-12-03T14:00:00.000Z\",\"host\":\"h1\",\"user\":\"ann\",\"pid\":42,"
	    "\"pstart\":7,\"job\":\"0a1b2c3d\",\"ev\":\"queued\",\"env\":\"alpha\",\"function\":\"f1\","
	    "\"remote\":\"alpha-f1\",\"kind\":\"code\",\"special\":true,\"commit\":\"abc1234+dirty\",\"order\":3}");
	assert_non_null(j);
	assert_string_equal(j->id, "0a1b2c3d");
	assert_int_equal(j->state, JOBSTATE_WAITING);
	assert_string_equal(jobstate_state_name(j->state), "waiting");
	assert_string_equal(j->env, "alpha");
	assert_string_equal(j->remote, "alpha-f1");
	assert_string_equal(j->user, "ann");
	assert_string_equal(j->host, "h1");
	assert_string_equal(j->commit, "abc1234+dirty");
	assert_true(j->special);
	assert_true(j->order == 3);
	assert_true(j->queued_ms == 1796306400000LL);
	assert_int_equal(j->writer_pid, 42);
	assert_true(j->writer_pstart == 7);

	add(set, "{\"t\":\"2026-12-03T14:00:01.000Z\",\"job\":\"0a1b2c3d\",\"ev\":\"waiting\","
	    "\"reason\":\"machine lock held by job ffff0000 (pid 9)\"}");
	assert_string_equal(j->waiting, "machine lock held by job ffff0000 (pid 9)");
	add(set, "{\"t\":\"2026-12-03T14:00:02.000Z\",\"job\":\"0a1b2c3d\",\"ev\":\"lock\","
	    "\"what\":\"team\",\"state\":\"held\",\"token\":\"v17\"}");
	assert_string_equal(j->lock_team, "held");
	assert_string_equal(j->lock_token, "v17");
	add(set, "{\"t\":\"2026-12-03T14:00:02.500Z\",\"job\":\"0a1b2c3d\",\"ev\":\"step\","
	    "\"step\":\"build\",\"state\":\"running\"}");
	assert_int_equal(j->state, JOBSTATE_RUNNING);
	assert_null(j->waiting);
	assert_string_equal(j->step, "build");
	assert_true(j->started_ms == 1796306402500LL);
	add(set, "{\"t\":\"2026-12-03T14:00:03.000Z\",\"job\":\"0a1b2c3d\",\"ev\":\"progress\","
	    "\"step\":\"build\",\"done\":5,\"total\":10,\"line\":\"Collecting x\"}");
	assert_int_equal(j->progress_done, 5);
	assert_int_equal(j->progress_total, 10);
	assert_string_equal(j->progress_line, "Collecting x");
	add(set, "{\"t\":\"2026-12-03T14:00:04.000Z\",\"job\":\"0a1b2c3d\",\"ev\":\"step\","
	    "\"step\":\"build\",\"state\":\"done\",\"detail\":\"3 commands\"}");
	add(set, "{\"t\":\"2026-12-03T14:00:05.000Z\",\"job\":\"0a1b2c3d\",\"ev\":\"step\","
	    "\"step\":\"upload\",\"state\":\"running\"}");
	s = jobstate_step(j, "build");
	assert_non_null(s);
	assert_string_equal(s->state, "done");
	assert_string_equal(s->detail, "3 commands");
	assert_true(s->ended_ms - s->started_ms == 1500);
	assert_int_equal(j->nsteps, 2);
	assert_null(jobstate_step(j, "verify"));
	add(set, "{\"t\":\"2026-12-03T14:00:09.000Z\",\"job\":\"0a1b2c3d\",\"ev\":\"end\","
	    "\"outcome\":\"deployed\",\"code_sha256\":\"NEW=\",\"previous_sha256\":\"OLD=\","
	    "\"layers\":[\"arn:l:1\",\"arn:l:2\"],\"package\":\"/s/p.zip\"}");
	assert_int_equal(j->state, JOBSTATE_ENDED);
	assert_string_equal(j->outcome, "deployed");
	assert_string_equal(j->code_sha256, "NEW=");
	assert_string_equal(j->previous_sha256, "OLD=");
	assert_int_equal(j->nlayers, 2);
	assert_string_equal(j->layers[1], "arn:l:2");
	assert_string_equal(j->package, "/s/p.zip");
	assert_true(j->ended_ms == 1796306409000LL);
	/* Records from a newer dlc, and without a job, change nothing. */
	assert_null(add(set, "{\"job\":\"0a1b2c3d\",\"ev\":\"future-thing\"}"));
	assert_null(add(set, "{\"ev\":\"lock-break\",\"table\":\"t\"}"));
	assert_int_equal(jobstate_set_count(set), 1);
	jobstate_set_free(set);
}

static void
test_failure_retry_and_duplicates(void **state)
{
	struct jobstate_set *set = jobstate_set_new();
	const char *running = "{\"t\":\"2026-12-03T14:00:01.000Z\",\"job\":\"11112222\",\"ev\":\"step\","
	    "\"step\":\"upload\",\"state\":\"running\"}";
	const struct jobstate *j;

	(void)state;
	add(set, "{\"t\":\"2026-12-03T14:00:00.000Z\",\"job\":\"11112222\",\"ev\":\"queued\",\"env\":\"a\"}");
	j = add(set, running);
	assert_non_null(j);
	/* The same line read twice (own append, then follow): no-op. */
	assert_null(add(set, running));
	add(set, "{\"t\":\"2026-12-03T14:00:02.000Z\",\"job\":\"11112222\",\"ev\":\"step\","
	    "\"step\":\"upload\",\"state\":\"failed\",\"error\":{\"code\":\"Throttled\","
	    "\"message\":\"slow down\",\"fix\":\"retry\"}}");
	add(set, "{\"t\":\"2026-12-03T14:00:02.100Z\",\"job\":\"11112222\",\"ev\":\"end\",\"outcome\":\"failed\","
	    "\"error\":{\"code\":\"Throttled\",\"message\":\"slow down\",\"fix\":\"retry\"}}");
	assert_int_equal(j->state, JOBSTATE_ENDED);
	assert_string_equal(j->error_code, "Throttled");
	assert_string_equal(j->error_fix, "retry");
	/* A late duplicate does not revive it. */
	assert_null(add(set, running));
	assert_int_equal(j->state, JOBSTATE_ENDED);
	/* A retry of the failed step does. */
	add(set, "{\"t\":\"2026-12-03T14:01:00.000Z\",\"job\":\"11112222\",\"ev\":\"step\","
	    "\"step\":\"upload\",\"state\":\"running\"}");
	assert_int_equal(j->state, JOBSTATE_RUNNING);
	assert_true(j->ended_ms == 0);
	add(set, "{\"t\":\"2026-12-03T14:01:01.000Z\",\"job\":\"11112222\",\"ev\":\"cancel\"}");
	assert_true(j->cancel_requested);
	jobstate_set_free(set);
}

static void
test_prefix_and_order(void **state)
{
	struct jobstate_set *set = jobstate_set_new();

	(void)state;
	add(set, "{\"t\":\"2026-12-03T14:00:00.000Z\",\"job\":\"abcd0001\",\"ev\":\"queued\",\"order\":1}");
	add(set, "{\"t\":\"2026-12-03T14:00:01.000Z\",\"job\":\"abcd0002\",\"ev\":\"queued\",\"order\":2}");
	add(set, "{\"t\":\"2026-12-03T14:00:02.000Z\",\"job\":\"ffff0000\",\"ev\":\"queued\",\"order\":3}");
	assert_int_equal(jobstate_set_count(set), 3);
	assert_string_equal(jobstate_set_find(set, "ffff")->id, "ffff0000");
	assert_string_equal(jobstate_set_find(set, "abcd0002")->id, "abcd0002");
	/* Ambiguous and unknown prefixes find nothing; the count says which. */
	assert_null(jobstate_set_find(set, "abcd"));
	assert_int_equal(jobstate_set_count_prefix(set, "abcd"), 2);
	assert_null(jobstate_set_find(set, "9"));
	assert_int_equal(jobstate_set_count_prefix(set, "9"), 0);
	assert_null(jobstate_set_find(set, ""));
	assert_string_equal(jobstate_set_nth(set, 0)->id, "abcd0001");
	assert_string_equal(jobstate_set_nth(set, 2)->id, "ffff0000");
	/* Reordered to the front. */
	add(set, "{\"t\":\"2026-12-03T14:00:03.000Z\",\"job\":\"ffff0000\",\"ev\":\"reorder\",\"order\":0.5}");
	assert_string_equal(jobstate_set_nth(set, 0)->id, "ffff0000");
	assert_string_equal(jobstate_set_nth(set, 1)->id, "abcd0001");
	assert_null(jobstate_set_nth(set, 3));
	jobstate_set_free(set);
}

struct reader {
	struct jobstate_set	*set;
	int			 changed;
};

static void
fold_each(const cJSON *rec, void *arg)
{
	struct reader *r = arg;

	if (jobstate_set_add(r->set, rec) != NULL)
		r->changed++;
}

static void
done_flag(const struct dlc_err *err, void *arg)
{
	(void)err;
	*(int *)arg = 1;
}

/* A record of job id written as if by host/pid/pstart: the journal's stamp replaced. */
static void
add_as(struct jobstate_set *set, const char *id, const char *host, long pid,
    long long pstart, const char *ev, const char *extra)
{
	char *json = xasprintf("{\"t\":\"2026-12-03T14:00:00.000Z\",\"host\":\"%s\","
	    "\"pid\":%ld,\"pstart\":%lld,\"job\":\"%s\",\"ev\":\"%s\"%s}",
	    host, pid, pstart, id, ev, extra);

	add(set, json);
	free(json);
}

static void
test_mark_interrupted(void **state)
{
	struct loop *loop = loop_new();
	struct jobstate_set *set = jobstate_set_new(), *again;
	struct reader r;
	struct dlc_err err;
	struct journal *jn;
	const char *host;
	long long me = journal_pid_start(getpid());
	pid_t dead;
	int st, synced = 0;

	(void)state;
	jn = journal_open(loop, &err);
	assert_non_null(jn);
	host = journal_host(jn);
	dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, &st, 0);
	/* A: its writer exited mid-upload. */
	add_as(set, "aaaaaaaa", host, dead, 5, "queued", "");
	add_as(set, "aaaaaaaa", host, dead, 5, "step", ",\"step\":\"upload\",\"state\":\"running\"");
	/* B: written by this very process: alive. */
	add_as(set, "bbbbbbbb", host, getpid(), me, "step", ",\"step\":\"build\",\"state\":\"running\"");
	/* C: another machine's job: not ours to judge. */
	add_as(set, "cccccccc", "elsewhere", dead, 5, "step", ",\"step\":\"build\",\"state\":\"running\"");
	/* D: our pid, but another process's start time: the pid was reused. */
	add_as(set, "dddddddd", host, getpid(), me + 1, "queued", "");
	/* E: dead writer, but it ended. */
	add_as(set, "eeeeeeee", host, dead, 5, "end", ",\"outcome\":\"deployed\"");
	/* F: a dead writer's job, but a living process only asked to cancel it. */
	add_as(set, "ffffffff", host, dead, 5, "queued", "");
	add_as(set, "ffffffff", host, getpid(), me, "cancel", "");

	assert_int_equal(jobstate_set_mark_interrupted(set, jn), 3);
	assert_int_equal(jobstate_set_find(set, "aaaaaaaa")->state, JOBSTATE_INTERRUPTED);
	assert_string_equal(jobstate_set_find(set, "aaaaaaaa")->step, "upload");
	assert_int_equal(jobstate_set_find(set, "bbbbbbbb")->state, JOBSTATE_RUNNING);
	assert_int_equal(jobstate_set_find(set, "cccccccc")->state, JOBSTATE_RUNNING);
	assert_int_equal(jobstate_set_find(set, "dddddddd")->state, JOBSTATE_INTERRUPTED);
	assert_null(jobstate_set_find(set, "dddddddd")->step);
	assert_int_equal(jobstate_set_find(set, "eeeeeeee")->state, JOBSTATE_ENDED);
	assert_int_equal(jobstate_set_find(set, "ffffffff")->state, JOBSTATE_INTERRUPTED);
	/* The ones this process marked say so (the commands name just those). */
	assert_true(jobstate_set_find(set, "aaaaaaaa")->marked_here);
	assert_false(jobstate_set_find(set, "bbbbbbbb")->marked_here);
	assert_false(jobstate_set_find(set, "eeeeeeee")->marked_here);
	/* Once: a second look marks nothing more. */
	assert_int_equal(jobstate_set_mark_interrupted(set, jn), 0);

	/* The records are in the journal, and a second dlc's own "interrupted" is a no-op. */
	assert_int_equal(journal_append(jn, cJSON_Parse("{\"job\":\"aaaaaaaa\",\"ev\":\"interrupted\","
	    "\"step\":\"build\"}"), done_flag, &synced), 0);
	assert_int_equal(loop_run_until(loop, &synced), 0);
	again = jobstate_set_new();
	r.set = again;
	r.changed = 0;
	add_as(again, "aaaaaaaa", host, dead, 5, "step", ",\"step\":\"upload\",\"state\":\"running\"");
	assert_int_equal(journal_read(1, fold_each, NULL, &r, &err), 0);
	assert_int_equal(r.changed, 3);
	assert_int_equal(jobstate_set_find(again, "aaaaaaaa")->state, JOBSTATE_INTERRUPTED);
	assert_string_equal(jobstate_set_find(again, "aaaaaaaa")->step, "upload");
	/* Read back, another's marking is not this process's. */
	assert_false(jobstate_set_find(again, "aaaaaaaa")->marked_here);
	jobstate_set_free(again);
	jobstate_set_free(set);
	journal_free(jn);
	loop_free(loop);
}

static void
test_observer_and_follow_do_not_double(void **state)
{
	struct loop *loop = loop_new();
	struct jobstate_set *set = jobstate_set_new();
	struct reader own = { set, 0 }, back = { set, 0 };
	struct dlc_err err;
	struct journal *jn;
	cJSON *rec;
	int synced = 0;

	(void)state;
	jn = journal_open(loop, &err);
	journal_set_observer(jn, fold_each, &own);
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "job", "12345678");
	cJSON_AddStringToObject(rec, "ev", "queued");
	cJSON_AddNumberToObject(rec, "order", 1.5);
	cJSON_AddStringToObject(rec, "function", "f\xc3\xa9");
	assert_int_equal(journal_append(jn, rec, NULL, NULL), 0);
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "job", "12345678");
	cJSON_AddStringToObject(rec, "ev", "step");
	cJSON_AddStringToObject(rec, "step", "build");
	cJSON_AddStringToObject(rec, "state", "running");
	assert_int_equal(journal_append(jn, rec, done_flag, &synced), 0);
	assert_int_equal(own.changed, 2);
	assert_int_equal(loop_run_until(loop, &synced), 0);
	/* The same records read back: already folded. */
	assert_int_equal(journal_read(1, fold_each, NULL, &back, &err), 0);
	assert_int_equal(back.changed, 0);
	assert_int_equal(jobstate_set_find(set, "1234")->state, JOBSTATE_RUNNING);
	jobstate_set_free(set);
	journal_free(jn);
	loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_a_deployment),
		cmocka_unit_test(test_failure_retry_and_duplicates),
		cmocka_unit_test(test_prefix_and_order),
		cmocka_unit_test_setup_teardown(test_mark_interrupted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_observer_and_follow_do_not_double, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
