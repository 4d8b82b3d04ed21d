/*
 * The journal as the plain commands read it (cli-journal.h).
 */
#include "cli-journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobstate.h"
#include "journal.h"
#include "jsonout.h"
#include "sanitize.h"
#include "xmalloc.h"

static void
cli_journal_each(const cJSON *rec, void *arg)
{
	jobstate_set_add(arg, rec);
}

static void
cli_journal_bad(const char *file, long line, const char *why, void *arg)
{
	char *clean = sanitize_str(why);

	(void)arg;
	fprintf(stderr, "dlc: skipped line %ld of %s: %s\n", line, file, clean);
	free(clean);
}

struct jobstate_set *
cli_journal_load(int days, struct dlc_err *err)
{
	struct jobstate_set *set = jobstate_set_new();

	if (journal_read(days, cli_journal_each, cli_journal_bad, set,
	    err) != 0) {
		jobstate_set_free(set);
		return NULL;
	}
	return set;
}

int
cli_journal_say_interrupted(const struct jobstate_set *set)
{
	size_t i, n = jobstate_set_count(set);
	const struct jobstate *js;
	char *fn, *step;
	int said = 0;

	for (i = 0; i < n; i++) {
		js = jobstate_set_nth(set, i);
		if (!js->marked_here)
			continue;
		fn = sanitize_str(js->function != NULL ? js->function : "?");
		step = sanitize_str(js->step != NULL ? js->step :
		    "before its first step");
		fprintf(stderr, "dlc: job %s (%s of %s to %s, pid %ld) was "
		    "interrupted at %s: 'dlc queue verify %s' says whether it "
		    "deployed, 'dlc queue retry %s' runs it again\n", js->id,
		    js->kind != NULL ? js->kind : "push", fn, js->env != NULL ?
		    js->env : "?", js->writer_pid, step, js->id, js->id);
		free(fn);
		free(step);
		said++;
	}
	return said;
}

int
cli_journal_interrupted(struct jobstate_set *set, struct journal *journal)
{
	if (jobstate_set_mark_interrupted(set, journal) == 0)
		return 0;
	return cli_journal_say_interrupted(set);
}

static void
cli_journal_time(cJSON *o, const char *key, int64_t ms)
{
	char iso[64];
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || gmtime_r(&t, &tm) == NULL) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ms % 1000));
	cJSON_AddStringToObject(o, key, iso);
}

cJSON *
cli_journal_job_json(const struct jobstate *js, long long now_ms)
{
	cJSON *o = cJSON_CreateObject(), *steps, *v;
	int64_t from = js->started_ms > 0 ? js->started_ms : js->queued_ms;
	int64_t to = js->ended_ms > 0 ? js->ended_ms : now_ms;
	size_t i;

	cJSON_AddStringToObject(o, "Id", js->id);
	cJSON_AddItemToObject(o, "Env", jsonout_string_or_null(js->env));
	cJSON_AddItemToObject(o, "Function",
	    jsonout_string_or_null(js->function));
	cJSON_AddItemToObject(o, "Remote", jsonout_string_or_null(js->remote));
	cJSON_AddItemToObject(o, "Kind", jsonout_string_or_null(js->kind));
	cJSON_AddBoolToObject(o, "Special", js->special);
	cJSON_AddStringToObject(o, "State", jobstate_state_name(js->state));
	cJSON_AddBoolToObject(o, "Interrupted",
	    js->state == JOBSTATE_INTERRUPTED);
	cJSON_AddItemToObject(o, "Step", jsonout_string_or_null(js->step));
	cJSON_AddItemToObject(o, "Waiting", jsonout_string_or_null(
	    js->state == JOBSTATE_WAITING ? js->waiting : NULL));
	cJSON_AddNumberToObject(o, "Elapsed", from > 0 && to >= from ?
	    (double)(to - from) / 1000.0 : 0);
	cli_journal_time(o, "Queued", js->queued_ms);
	cli_journal_time(o, "Started", js->started_ms);
	cli_journal_time(o, "Ended", js->ended_ms);
	cJSON_AddItemToObject(o, "Outcome", jsonout_string_or_null(js->outcome));
	cJSON_AddItemToObject(o, "User", jsonout_string_or_null(js->user));
	cJSON_AddItemToObject(o, "Host", jsonout_string_or_null(js->host));
	cJSON_AddNumberToObject(o, "Pid", (double)js->writer_pid);
	cJSON_AddItemToObject(o, "Commit", jsonout_string_or_null(js->commit));
	cJSON_AddItemToObject(o, "CodeSha256",
	    jsonout_string_or_null(js->code_sha256));
	cJSON_AddItemToObject(o, "PreviousCodeSha256",
	    jsonout_string_or_null(js->previous_sha256));
	cJSON_AddItemToObject(o, "Package", jsonout_string_or_null(js->package));
	cJSON_AddItemToObject(o, "RollbackOf",
	    jsonout_string_or_null(js->rollback_of));
	cJSON_AddBoolToObject(o, "CancelRequested", js->cancel_requested);
	if (js->verified != 0) {
		v = cJSON_AddObjectToObject(o, "Verified");
		cJSON_AddItemToObject(v, "DeployedCodeSha256",
		    jsonout_string_or_null(js->deployed_sha256));
		cJSON_AddBoolToObject(v, "Matches", js->verified > 0);
	} else {
		cJSON_AddNullToObject(o, "Verified");
	}
	if (js->error_code != NULL || js->error_message != NULL) {
		v = cJSON_AddObjectToObject(o, "Error");
		cJSON_AddItemToObject(v, "Code",
		    jsonout_string_or_null(js->error_code));
		cJSON_AddItemToObject(v, "Message",
		    jsonout_string_or_null(js->error_message));
		cJSON_AddItemToObject(v, "Fix",
		    jsonout_string_or_null(js->error_fix));
	} else {
		cJSON_AddNullToObject(o, "Error");
	}
	steps = cJSON_AddArrayToObject(o, "Steps");
	for (i = 0; i < js->nsteps; i++) {
		v = cJSON_CreateObject();
		cJSON_AddItemToObject(v, "Step",
		    jsonout_string_or_null(js->steps[i].name));
		cJSON_AddItemToObject(v, "State",
		    jsonout_string_or_null(js->steps[i].state));
		cJSON_AddItemToObject(v, "Detail",
		    jsonout_string_or_null(js->steps[i].detail));
		cJSON_AddItemToArray(steps, v);
	}
	return o;
}
