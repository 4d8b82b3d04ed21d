/*
 * Unit tests for src/queue.c and its parts, running the real loop, the
 * real journal in a temporary state folder, real builds and tests/fakeaws
 * over HTTP: three special and four ordinary jobs queued together (the
 * specials never overlap, asserted from the times their build commands
 * wrote; ordinary ones run side by side up to queue-parallel; the journal
 * holds each job's queued, waiting, step and end records in order); step
 * mode (each step held, its text, next, skip); pause, reorder, cancel
 * while waiting and retry with the same id; and a "cancel" record from
 * another process cancelling a held job.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "build-stage.h"
#include "dynamodb.h"
#include "journal.h"
#include "lease.h"
#include "machine-lock.h"
#include "pack-zip.h"
#include "pack.h"
#include "queue.h"
#include "scan-run.h"
#include "xmalloc.h"
#include "data/ops/fixture.h"

#define NFN	7

struct qw {
	struct ops_fixture	*f;
	struct dlc_config	 cfg;
	struct dlc_env		 env;
	struct local_function	 fn[NFN];
	char			*cmds[NFN][1];
	char			 times[400];
	char			 build_dir[320];
	struct journal		*journal;
	struct queue		*q;
	char			 started[512];	/* ids in the order they started running */
	int			 changes;
};

static const char *const names[NFN] = {
	"mambu-to-s3-raw", "mambu-datalake-reconciliation",
	"dynamodb-datalake-reconciliation", "dynamo-customers-to-s3-raw",
	"dynamo-sls-cards-to-s3-raw", "salesforce-cases-to-s3-raw",
	"quicksight-authors-datasets-to-s3-curated",
};

static void
on_change(struct queue *q, const char *id, void *arg)
{
	struct qw *w = arg;
	struct queue_job *j;

	w->changes++;
	if (id == NULL || (j = queue_job_find(q, id)) == NULL)
		return;
	if (strcmp(queue_job_state(j), "running") == 0 &&
	    strstr(w->started, id) == NULL) {
		strncat(w->started, id, sizeof w->started - strlen(w->started)
		    - 2);
		strncat(w->started, " ", 2);
	}
}

static void
write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Functions whose build command writes its start and end times. */
static void
qw_init(struct qw *w, struct ops_fixture *f, int parallel)
{
	char path[600], text[200], state[300];
	struct dlc_err err;
	size_t i;

	memset(w, 0, sizeof *w);
	w->f = f;
	snprintf(state, sizeof state, "%s/state", f->dir);
	setenv("XDG_STATE_HOME", state, 1);
	snprintf(w->times, sizeof w->times, "%s/times", f->dir);
	snprintf(w->build_dir, sizeof w->build_dir, "%s/build", f->dir);
	w->cfg.dir = f->dir;
	w->cfg.build_dir = w->build_dir;
	w->cfg.queue_parallel = parallel;
	w->env.name = (char *)"alpha";
	w->env.function_name = (char *)"datalake-alpha-{function}";
	w->env.deploy = DEPLOY_ALLOW;
	for (i = 0; i < NFN; i++) {
		struct local_function *fn = &w->fn[i];

		fn->name = (char *)names[i];
		fn->runtime = (char *)"python3.12";
		fn->source = (char *)"src";
		fn->special = i < 3;
		fn->dir = xasprintf("%s/fn-%s", f->dir, names[i]);
		mkdir(fn->dir, 0755);
		snprintf(path, sizeof path, "%s/src", fn->dir);
		mkdir(path, 0755);
		snprintf(path, sizeof path, "%s/src/lambda_function.py",
		    fn->dir);
		snprintf(text, sizeof text, "def lambda_handler(e, c):\n"
		    "    return '%s %llu'\n", names[i],
		    (unsigned long long)loop_now_ms());
		write_text(path, text);
		w->cmds[i][0] = xasprintf("sh -c 'echo start %s $(date "
		    "+%%s%%N) >> %s; sleep 0.3; echo end %s $(date +%%s%%N) "
		    ">> %s'", names[i], w->times, names[i], w->times);
		fn->commands = w->cmds[i];
		fn->n_commands = 1;
	}
	dlc_err_clear(&err);
	w->journal = journal_open(f->aws.loop, &err);
	assert_non_null(w->journal);
	w->q = queue_new(f->aws.loop, w->journal, &w->cfg, &err);
	assert_non_null(w->q);
	queue_set_observer(w->q, on_change, w);
}

static void
qw_free(struct qw *w)
{
	size_t i;

	queue_free(w->q);
	/* Let the last confirmations come before the journal goes. */
	ops_run_for(w->f, 100);
	journal_free(w->journal);
	for (i = 0; i < NFN; i++) {
		free(w->fn[i].dir);
		free(w->cmds[i][0]);
	}
}

static struct queue_job *
add(struct qw *w, size_t i, const struct push_options *opts)
{
	struct queue_job *j;
	struct dlc_err err;

	dlc_err_clear(&err);
	j = queue_add(w->q, w->f->env, &w->env, &w->fn[i], PUSH_CODE, opts,
	    &err);
	assert_non_null(j);
	return j;
}

/* Runs the loop until no job is live (60 s at most). */
static void
run_until_idle(struct qw *w)
{
	uint64_t end = loop_now_ms() + 60000;

	while (queue_live(w->q) > 0 && loop_now_ms() < end)
		loop_run_once(w->f->aws.loop);
	assert_int_equal(queue_live(w->q), 0);
}

/*
 * Runs the loop until the job holds a step whose text starts with want;
 * returns the text.
 */
static const char *
run_until_held(struct qw *w, struct queue_job *j, const char *want)
{
	uint64_t end = loop_now_ms() + 20000;
	const char *text = NULL;

	while (loop_now_ms() < end) {
		text = queue_next_step_text(w->q, queue_job_id(j));
		if (text != NULL && strncmp(text, want, strlen(want)) == 0)
			return text;
		loop_run_once(w->f->aws.loop);
	}
	fail_msg("no step %s held (last: %s)", want, text != NULL ? text :
	    "none");
	return NULL;
}

/* The journal's records, in file order. */
struct recs {
	cJSON	*all;
};

static void
recs_each(const cJSON *rec, void *arg)
{
	struct recs *r = arg;

	cJSON_AddItemToArray(r->all, cJSON_Duplicate(rec, 1));
}

static cJSON *
read_journal(void)
{
	struct recs r;
	struct dlc_err err;

	r.all = cJSON_CreateArray();
	dlc_err_clear(&err);
	assert_int_equal(journal_read(1, recs_each, NULL, &r, &err), 0);
	return r.all;
}

static const char *
str(const cJSON *rec, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* "ev[:step:state]" of job id's records, space separated. */
static void
job_trail(cJSON *all, const char *id, char *out, size_t len)
{
	const cJSON *rec;
	size_t n;

	out[0] = '\0';
	cJSON_ArrayForEach(rec, all) {
		if (strcmp(str(rec, "job"), id) != 0)
			continue;
		n = strlen(out);
		if (strcmp(str(rec, "ev"), "step") == 0)
			snprintf(out + n, len - n, "%s:%s ", str(rec, "step"),
			    str(rec, "state"));
		else if (strcmp(str(rec, "ev"), "lock") == 0)
			snprintf(out + n, len - n, "lock:%s:%s ",
			    str(rec, "what"), str(rec, "state"));
		else if (strcmp(str(rec, "ev"), "progress") != 0 &&
		    strcmp(str(rec, "ev"), "waiting") != 0)
			snprintf(out + n, len - n, "%s ", str(rec, "ev"));
	}
}

static int
count_waiting(cJSON *all, const char *id, const char *needle)
{
	const cJSON *rec;
	int n = 0;

	cJSON_ArrayForEach(rec, all)
		if (strcmp(str(rec, "job"), id) == 0 &&
		    strcmp(str(rec, "ev"), "waiting") == 0 &&
		    strstr(str(rec, "reason"), needle) != NULL)
			n++;
	return n;
}

static void
test_specials_never_overlap(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct queue_job *jobs[NFN];
	struct qw w;
	char line[200], name[100], kind[8], trail[2048];
	unsigned long long t, s_start[3] = { 0 }, s_end[3] = { 0 };
	int ordinary = 0, max_ordinary = 0, special = 0, max_special = 0;
	FILE *fp;
	cJSON *all;
	size_t i;

	qw_init(&w, f, 2);
	memset(&opts, 0, sizeof opts);
	opts.wait_interval_ms = 100;
	/* Interleaved: special, ordinary, special, ... */
	jobs[0] = add(&w, 0, &opts);
	jobs[3] = add(&w, 3, &opts);
	jobs[1] = add(&w, 1, &opts);
	jobs[4] = add(&w, 4, &opts);
	jobs[5] = add(&w, 5, &opts);
	jobs[2] = add(&w, 2, &opts);
	jobs[6] = add(&w, 6, &opts);
	assert_int_equal(queue_live(w.q), NFN);
	/* Nothing starts inside queue_add. */
	assert_string_equal(queue_job_state(jobs[0]), "waiting");
	run_until_idle(&w);
	for (i = 0; i < NFN; i++) {
		if (queue_job_error(jobs[i]) != NULL)
			fail_msg("%s: %s", names[i],
			    queue_job_error(jobs[i])->message);
		assert_string_equal(queue_job_outcome(jobs[i]), "deployed");
	}

	/* What the build commands themselves wrote. */
	fp = fopen(w.times, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		assert_int_equal(sscanf(line, "%7s %99s %llu", kind, name, &t),
		    3);
		for (i = 0; i < NFN && strcmp(names[i], name) != 0; i++)
			;
		assert_true(i < NFN);
		if (strcmp(kind, "start") == 0) {
			if (i < 3) {
				s_start[i] = t;
				special++;
			} else {
				ordinary++;
			}
		} else {
			if (i < 3) {
				s_end[i] = t;
				special--;
			} else {
				ordinary--;
			}
		}
		if (ordinary > max_ordinary)
			max_ordinary = ordinary;
		if (special > max_special)
			max_special = special;
	}
	fclose(fp);
	assert_int_equal(max_special, 1);
	assert_int_equal(max_ordinary, 2);
	/* In the order queued. */
	assert_true(s_end[0] <= s_start[1]);
	assert_true(s_end[1] <= s_start[2]);

	all = read_journal();
	for (i = 0; i < NFN; i++) {
		job_trail(all, queue_job_id(jobs[i]), trail, sizeof trail);
		/* Specials take the machine lock first and free it last. */
		if (i < 3)
			assert_string_equal(trail, "queued lock:machine:held "
			    "build:running build:done package:running "
			    "package:done scan:running scan:done "
			    "upload:running upload:done wait:running wait:done "
			    "verify:running verify:done end "
			    "lock:machine:released ");
		else
			assert_string_equal(trail, "queued build:running "
			    "build:done package:running package:done "
			    "scan:running scan:done upload:running upload:done "
			    "wait:running wait:done verify:running verify:done "
			    "end ");
	}
	/* The later specials said whom they waited for; ordinary ones, the bound. */
	assert_true(count_waiting(all, queue_job_id(jobs[1]),
	    "special deploy of mambu-to-s3-raw to alpha") >= 1);
	assert_true(count_waiting(all, queue_job_id(jobs[6]),
	    "2 ordinary jobs running") >= 1);
	/* The first of each kind never waited. */
	assert_int_equal(count_waiting(all, queue_job_id(jobs[0]), ""), 0);
	assert_int_equal(count_waiting(all, queue_job_id(jobs[3]), ""), 0);
	cJSON_Delete(all);
	/* Each job's output went to its own log. */
	{
		char *log = testserver_read_file(queue_job_log(jobs[2]));

		assert_non_null(log);
		assert_non_null(strstr(log, "-- verify done"));
		assert_non_null(strstr(log, "$ sh -c"));
		free(log);
	}
	qw_free(&w);
}

static void
test_step_mode(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct queue_job *j;
	struct qw w;
	const char *text;
	char trail[1024];
	cJSON *all;

	qw_init(&w, f, 4);
	memset(&opts, 0, sizeof opts);
	opts.wait_interval_ms = 100;
	queue_set_step_mode(w.q, 1);
	assert_true(queue_step_mode(w.q));
	j = add(&w, 3, &opts);
	text = run_until_held(&w, j, "build:");
	assert_string_equal(text, "build: run 1 build command of "
	    "dynamo-customers-to-s3-raw, then zip it");
	/* Held: nothing runs however long it waits. */
	ops_run_for(f, 300);
	assert_non_null(queue_next_step_text(w.q, queue_job_id(j)));
	assert_int_equal(queue_skip(w.q, "zzzz"), -1);
	assert_string_equal(queue_error(w.q)->code, "NoSuchJob");
	assert_int_equal(queue_next(w.q, queue_job_id(j)), 0);
	text = run_until_held(&w, j, "scan:");
	assert_non_null(strstr(text, "scan: look for secrets in the package"));
	assert_int_equal(queue_next(w.q, queue_job_id(j)), 0);
	text = run_until_held(&w, j, "upload:");
	assert_non_null(strstr(text, "upload: send "));
	assert_non_null(strstr(text, " inline to "
	    "datalake-alpha-dynamo-customers-to-s3-raw"));
	/* The pane's text is in the journal too, as the waiting reason. */
	ops_run_for(f, 100);
	/* s: the remaining steps are skipped, nothing is sent. */
	assert_int_equal(queue_skip(w.q, queue_job_id(j)), 0);
	run_until_idle(&w);
	assert_string_equal(queue_job_outcome(j), "skipped");
	assert_int_equal(ops_requests(f, "UpdateFunctionCode"), 0);
	assert_int_equal(queue_next(w.q, queue_job_id(j)), -1);
	assert_string_equal(queue_error(w.q)->code, "JobEnded");
	all = read_journal();
	job_trail(all, queue_job_id(j), trail, sizeof trail);
	assert_string_equal(trail, "queued build:running build:done "
	    "package:running package:done scan:running scan:done end ");
	assert_int_equal(count_waiting(all, queue_job_id(j),
	    "step mode: next is upload: send "), 1);
	cJSON_Delete(all);
	qw_free(&w);
}

static void
test_pause_move_cancel_retry(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct queue_job *a, *b, *c;
	struct qw w;
	char want[64], trail[2048];
	cJSON *all;

	qw_init(&w, f, 1);
	memset(&opts, 0, sizeof opts);
	opts.wait_interval_ms = 100;
	queue_pause(w.q, 1);
	assert_true(queue_paused(w.q));
	a = add(&w, 3, &opts);
	b = add(&w, 4, &opts);
	c = add(&w, 5, &opts);
	ops_run_for(f, 200);
	assert_string_equal(queue_job_state(a), "waiting");
	assert_string_equal(queue_job_reason(a), "queue paused");
	/* c to the front; b cancelled before it starts. */
	assert_int_equal(queue_move(w.q, queue_job_id(c), -5), 0);
	assert_int_equal(queue_move(w.q, queue_job_id(c), -1), -1);
	assert_string_equal(queue_error(w.q)->code, "NoMove");
	assert_int_equal(queue_cancel(w.q, queue_job_id(b)), 0);
	assert_string_equal(queue_job_outcome(b), "cancelled");
	assert_int_equal(queue_retry(w.q, queue_job_id(a)), -1);
	assert_string_equal(queue_error(w.q)->code, "NotFailed");
	queue_pause(w.q, 0);
	run_until_idle(&w);
	assert_string_equal(queue_job_outcome(a), "deployed");
	assert_string_equal(queue_job_outcome(c), "deployed");
	snprintf(want, sizeof want, "%s %s ", queue_job_id(c), queue_job_id(a));
	assert_string_equal(w.started, want);
	assert_int_equal(ops_requests(f, "UpdateFunctionCode"), 2);

	/* The cancelled job again, same id: it runs and deploys. */
	assert_int_equal(queue_retry(w.q, queue_job_id(b)), 0);
	assert_int_equal(queue_live(w.q), 1);
	run_until_idle(&w);
	assert_string_equal(queue_job_outcome(b), "deployed");
	assert_null(queue_job_error(b));
	all = read_journal();
	job_trail(all, queue_job_id(b), trail, sizeof trail);
	assert_string_equal(trail, "queued reorder end queued build:running build:done "
	    "package:running package:done scan:running scan:done "
	    "upload:running upload:done wait:running wait:done "
	    "verify:running verify:done end ");
	job_trail(all, queue_job_id(c), trail, sizeof trail);
	assert_true(strncmp(trail, "queued reorder ", 15) == 0);
	cJSON_Delete(all);
	qw_free(&w);
}

/* Another process's `dlc queue cancel ID` arrives as a record. */
static void
test_cancel_record(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct queue_job *j;
	struct qw w;
	struct journal *other;
	struct dlc_err err;
	char trail[256];
	cJSON *rec, *all;

	qw_init(&w, f, 4);
	memset(&opts, 0, sizeof opts);
	queue_set_step_mode(w.q, 1);
	j = add(&w, 0, &opts);
	run_until_held(&w, j, "build:");
	assert_string_equal(queue_job_state(j), "running");
	dlc_err_clear(&err);
	other = journal_open(f->aws.loop, &err);
	assert_non_null(other);
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "job", queue_job_id(j));
	cJSON_AddStringToObject(rec, "ev", "cancel");
	assert_int_equal(journal_append(other, rec, NULL, NULL), 0);
	run_until_idle(&w);
	assert_string_equal(queue_job_outcome(j), "cancelled");
	assert_string_equal(queue_job_error(j)->code, "Cancelled");
	ops_run_for(f, 50);
	journal_free(other);
	/* Another process's job: a record for its owner, by unique prefix. */
	other = journal_open(f->aws.loop, &err);
	assert_non_null(other);
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "job", "0123abcd");
	cJSON_AddStringToObject(rec, "ev", "queued");
	cJSON_AddStringToObject(rec, "env", "alpha");
	cJSON_AddStringToObject(rec, "function", "elsewhere");
	assert_int_equal(journal_append(other, rec, NULL, NULL), 0);
	assert_int_equal(queue_cancel(w.q, "0123"), -1);	/* not seen yet */
	ops_run_for(f, 600);	/* journal_follow polls every 250 ms */
	assert_non_null(queue_jobs(w.q));
	assert_int_equal(queue_cancel(w.q, "0123"), 0);
	assert_int_equal(queue_cancel(w.q, "zz"), -1);
	assert_string_equal(queue_error(w.q)->code, "NoSuchJob");
	ops_run_for(f, 50);
	journal_free(other);
	all = read_journal();
	job_trail(all, "0123abcd", trail, sizeof trail);
	assert_string_equal(trail, "queued cancel ");
	cJSON_Delete(all);
	qw_free(&w);
}

/*
 * Records that cannot be made durable (the journal folder is a file):
 * the job fails before its first step, so nothing is built or sent.
 */
static void
test_journal_failure_stops(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct queue_job *j;
	struct qw w;
	char path[600];
	struct stat st;

	qw_init(&w, f, 4);
	snprintf(path, sizeof path, "%s/state/dlc/journal", f->dir);
	write_text(path, "not a folder");
	memset(&opts, 0, sizeof opts);
	j = add(&w, 3, &opts);
	run_until_idle(&w);
	assert_string_equal(queue_job_outcome(j), "failed");
	assert_string_equal(queue_job_error(j)->code, "JournalWriteFailed");
	assert_non_null(strstr(queue_job_error(j)->fix, "before its build "
	    "step"));
	/* The build command never ran. */
	assert_int_not_equal(stat(w.times, &st), 0);
	assert_int_equal(ops_requests(f, "GetFunction"), 0);
	qw_free(&w);
}

/* The record of job id with this ev (the last one), or NULL. */
static const cJSON *
find_rec(cJSON *all, const char *id, const char *ev)
{
	const cJSON *rec, *found = NULL;

	cJSON_ArrayForEach(rec, all)
		if (strcmp(str(rec, "job"), id) == 0 &&
		    strcmp(str(rec, "ev"), ev) == 0)
			found = rec;
	return found;
}

/*
 * A deployed package is kept and named in the end record; a rollback
 * sends it again through the queue, nothing built.
 */
static void
test_keep_and_rollback(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct queue_job *first, *second, *back;
	struct dlc_err err;
	struct qw w;
	char kept[600], sha[64], path[600], trail[1024];
	const cJSON *rec;
	cJSON *all;
	struct stat st;

	qw_init(&w, f, 4);
	memset(&opts, 0, sizeof opts);
	opts.wait_interval_ms = 100;
	first = add(&w, 4, &opts);
	run_until_idle(&w);
	assert_string_equal(queue_job_outcome(first), "deployed");
	all = read_journal();
	rec = find_rec(all, queue_job_id(first), "end");
	assert_non_null(rec);
	snprintf(kept, sizeof kept, "%s", str(rec, "package"));
	snprintf(sha, sizeof sha, "%s", str(rec, "code_sha256"));
	cJSON_Delete(all);
	if (strstr(kept, "/state/dlc/packages/alpha/dynamo-sls-cards-to-s3-raw/") == NULL)
		fail_msg("kept: %s", kept);
	assert_non_null(strstr(kept, "/state/dlc/packages/alpha/"
	    "dynamo-sls-cards-to-s3-raw/"));
	assert_int_equal(stat(kept, &st), 0);

	/* Another version deployed over it. */
	snprintf(path, sizeof path, "%s/src/lambda_function.py",
	    w.fn[4].dir);
	write_text(path, "def lambda_handler(e, c):\n    return 2\n");
	second = add(&w, 4, &opts);
	run_until_idle(&w);
	assert_string_equal(queue_job_outcome(second), "deployed");

	opts.package_path = kept;
	dlc_err_clear(&err);
	back = queue_add_rollback(w.q, f->env, &w.env, &w.fn[4], &opts,
	    queue_job_id(first), &err);
	assert_non_null(back);
	run_until_idle(&w);
	assert_string_equal(queue_job_outcome(back), "deployed");
	all = read_journal();
	rec = find_rec(all, queue_job_id(back), "queued");
	assert_string_equal(str(rec, "kind"), "rollback");
	assert_string_equal(str(rec, "rollback_of"), queue_job_id(first));
	assert_string_equal(str(rec, "package"), kept);
	rec = find_rec(all, queue_job_id(back), "end");
	assert_string_equal(str(rec, "code_sha256"), sha);
	job_trail(all, queue_job_id(back), trail, sizeof trail);
	assert_string_equal(trail, "queued build:skipped package:running "
	    "package:skipped scan:running scan:done upload:running upload:done "
	    "wait:running wait:done verify:running verify:done end ");
	cJSON_Delete(all);
	/* Without a package there is nothing to roll back to. */
	opts.package_path = NULL;
	assert_null(queue_add_rollback(w.q, f->env, &w.env, &w.fn[4], &opts,
	    queue_job_id(first), &err));
	assert_string_equal(err.code, "NoPackage");
	qw_free(&w);
}

/* Runs the loop until the job's waiting reason holds needle. */
static void
run_until_reason(struct qw *w, struct queue_job *j, const char *needle)
{
	uint64_t end = loop_now_ms() + 20000;

	while (strstr(queue_job_reason(j), needle) == NULL &&
	    loop_now_ms() < end)
		loop_run_once(w->f->aws.loop);
	if (strstr(queue_job_reason(j), needle) == NULL)
		fail_msg("no reason '%s' (last: '%s')", needle,
		    queue_job_reason(j));
}

static void
on_machine(struct machine_lock *ml, enum machine_lock_event ev, void *arg)
{
	(void)ml;
	if (ev == MACHINE_LOCK_ACQUIRED)
		*(int *)arg = 1;
}

/* Another dlc on this machine holds the machine lock: the special waits. */
static void
test_machine_lock_wait(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct machine_lock_info other;
	struct machine_lock *ml;
	struct queue_job *j, *o;
	struct dlc_err err;
	struct qw w;
	int held = 0;

	qw_init(&w, f, 4);
	memset(&opts, 0, sizeof opts);
	opts.wait_interval_ms = 100;
	memset(&other, 0, sizeof other);
	other.job = (char *)"feedbeef";
	other.pid = 4242;
	other.function = (char *)"mambu-to-s3-raw";
	other.env = (char *)"alpha";
	dlc_err_clear(&err);
	ml = machine_lock_acquire(f->aws.loop, NULL, &other, on_machine, &held,
	    &err);
	assert_non_null(ml);
	assert_true(ops_run_until(f, &held));
	j = add(&w, 1, &opts);
	o = add(&w, 3, &opts);
	run_until_reason(&w, j, "machine lock held by job feedbeef (pid 4242)");
	assert_string_equal(queue_job_state(j), "waiting");
	/* An ordinary job takes no lock: it runs meanwhile. */
	while (queue_job_outcome(o) == NULL)
		loop_run_once(f->aws.loop);
	assert_string_equal(queue_job_outcome(o), "deployed");
	assert_string_equal(queue_job_state(j), "waiting");
	machine_lock_free(ml);
	run_until_idle(&w);
	assert_string_equal(queue_job_outcome(j), "deployed");
	qw_free(&w);
}

/* The fakeaws lock table, made through its admin endpoint. */
static void
make_lock_table(struct ops_fixture *f)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "curl -sf -o /dev/null -X POST "
	    "http://127.0.0.1:%d/_fakeaws/dynamodb/table -d '{\"table\": "
	    "\"dlc-locks\", \"account\": \"alpha\", \"create\": "
	    "{\"hash\": \"key\", \"type\": \"S\"}}'", f->server.port);
	assert_int_equal(system(cmd), 0);
}

struct holder {
	int	acquired, lost;
};

static void
on_holder(struct lease *l, enum lease_event ev, void *arg)
{
	struct holder *h = arg;

	(void)l;
	if (ev == LEASE_ACQUIRED)
		h->acquired = 1;
	if (ev == LEASE_LOST || ev == LEASE_ERROR)
		h->lost = 1;
}

/*
 * A team member elsewhere holds the lease: the special waits and says for
 * whom; when that holder dies, the reason counts its lease down and the
 * job takes over.
 */
static void
test_team_lease_wait(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct lease_config lc;
	struct lease *other;
	struct holder h;
	struct queue_job *j;
	struct qw w;
	char trail[1024];
	const cJSON *rec;
	cJSON *all;
	int tokens = 0;

	qw_init(&w, f, 4);
	make_lock_table(f);
	w.env.lock_table = (char *)"dlc-locks";
	w.env.lock_lease_ms = 2000;
	memset(&opts, 0, sizeof opts);
	opts.wait_interval_ms = 100;
	memset(&lc, 0, sizeof lc);
	memset(&h, 0, sizeof h);
	lc.table = "dlc-locks";
	lc.key = "special#alpha";
	lc.owner = "bob@pc2";
	lc.function = "dynamodb-datalake-reconciliation";
	lc.env = "alpha";
	lc.job = "b0b0b0b0";
	lc.lease_ms = 2000;
	other = lease_acquire(f->aws.loop, f->env, &lc, on_holder, &h);
	assert_true(ops_run_until(f, &h.acquired));
	j = add(&w, 0, &opts);
	run_until_reason(&w, j, "special deploy of "
	    "dynamodb-datalake-reconciliation to alpha by bob@pc2 since ");
	assert_non_null(strstr(queue_job_reason(j), "s left)"));
	/* It holds the machine lock meanwhile, and waits for the team. */
	ops_run_for(f, 1500);
	assert_string_equal(queue_job_state(j), "waiting");
	assert_int_equal(ops_requests(f, "UpdateFunctionCode"), 0);
	/* The holder dies (no release): its lease runs out, then ours. */
	lease_free(other);
	run_until_idle(&w);
	assert_string_equal(queue_job_outcome(j), "deployed");
	all = read_journal();
	job_trail(all, queue_job_id(j), trail, sizeof trail);
	assert_string_equal(trail, "queued lock:machine:held lock:team:held "
	    "build:running build:done package:running package:done "
	    "scan:running scan:done upload:running upload:done wait:running "
	    "wait:done verify:running verify:done end lock:team:released "
	    "lock:machine:released ");
	cJSON_ArrayForEach(rec, all)
		if (strcmp(str(rec, "job"), queue_job_id(j)) == 0 &&
		    strcmp(str(rec, "ev"), "lock") == 0 &&
		    strcmp(str(rec, "state"), "held") == 0 &&
		    strcmp(str(rec, "what"), "team") == 0 &&
		    str(rec, "token")[0] != '\0')
			tokens++;
	assert_int_equal(tokens, 1);
	/* The countdown moved once the holder stopped renewing. */
	assert_true(count_waiting(all, queue_job_id(j), "by bob@pc2") >= 2);
	cJSON_Delete(all);
	qw_free(&w);
}

static void
on_deleted(struct dynamodb_result *res, void *arg)
{
	assert_int_equal(res->outcome, DYNAMODB_OK);
	*(int *)arg = 1;
}

/* The lease item vanishes mid-job: the push stops before its next step. */
static void
test_team_lease_lost(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct dynamodb_req req;
	struct queue_job *j;
	struct qw w;
	cJSON *key;
	int deleted = 0;
	uint64_t end;

	qw_init(&w, f, 4);
	make_lock_table(f);
	w.env.lock_table = (char *)"dlc-locks";
	w.env.lock_lease_ms = 2000;
	memset(&opts, 0, sizeof opts);
	queue_set_step_mode(w.q, 1);
	j = add(&w, 0, &opts);
	run_until_held(&w, j, "build:");
	assert_int_equal(queue_next(w.q, queue_job_id(j)), 0);
	run_until_held(&w, j, "scan:");
	/* Someone broke the lock (the item is gone): the renewal fails. */
	key = cJSON_CreateObject();
	dynamodb_put_s(key, "key", "special#alpha");
	memset(&req, 0, sizeof req);
	req.table = "dlc-locks";
	req.key = key;
	dynamodb_delete_item(f->env, &req, on_deleted, &deleted);
	cJSON_Delete(key);
	assert_true(ops_run_until(f, &deleted));
	/* Within a lease the renewal finds it gone: the held step fails. */
	end = loop_now_ms() + 10000;
	while (queue_job_outcome(j) == NULL && loop_now_ms() < end)
		loop_run_once(f->aws.loop);
	assert_string_equal(queue_job_outcome(j), "failed");
	assert_string_equal(queue_job_error(j)->code, "LeaseLost");
	assert_non_null(strstr(queue_job_error(j)->message,
	    "stops before its next step"));
	assert_int_equal(ops_requests(f, "UpdateFunctionCode"), 0);
	qw_free(&w);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_specials_never_overlap,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_step_mode,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_pause_move_cancel_retry,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_cancel_record,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_keep_and_rollback,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_journal_failure_stops,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_machine_lock_wait,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_team_lease_wait,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_team_lease_lost,
		    ops_setup_fakeaws, ops_teardown),
	};

	(void)ops_setup;
	if (argc > 1 && strcmp(argv[1], PACK_ZIP_COMMAND) == 0)
		return pack_zip_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], BUILD_STAGE_COMMAND) == 0)
		return build_stage_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], SCAN_CHILD_COMMAND) == 0)
		return scan_child_main(argc, argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
