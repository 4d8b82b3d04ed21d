/*
 * The queue and the other dlc processes. Every record, own or another
 * process's, is folded into one job set (jobstate.h) that the pane and
 * dlc queue show: own ones as they are appended (the journal's observer),
 * others' through journal_follow, and what the journal held when the
 * queue started (with the jobs of dead writers marked interrupted). A
 * "cancel" record naming one of our jobs cancels it here, since only the
 * process that runs a job can stop it.
 */
#include <stdio.h>
#include <string.h>

#include "jobstate.h"
#include "journal.h"
#include "queue-priv.h"

/* The journal days read at start: today's and yesterday's (UTC). */
#define QUEUE_OTHERS_DAYS	2

static void
queue_others_fold(const cJSON *rec, void *arg)
{
	struct queue *q = arg;

	jobstate_set_add(q->set, rec);
}

static void
queue_others_bad(const char *file, long line, const char *why, void *arg)
{
	struct queue *q = arg;

	(void)file;
	(void)line;
	(void)why;
	q->bad_lines++;
}

static void
queue_others_each(const cJSON *rec, void *arg)
{
	struct queue *q = arg;
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(rec, "ev");
	const cJSON *job = cJSON_GetObjectItemCaseSensitive(rec, "job");
	struct queue_job *j;

	if (!cJSON_IsString(ev) || !cJSON_IsString(job))
		return;
	if (jobstate_set_add(q->set, rec) == NULL)
		return;		/* our own, folded already */
	if (strcmp(ev->valuestring, "cancel") == 0 &&
	    strlen(job->valuestring) == JOURNAL_ID_LEN &&
	    (j = queue_job_find(q, job->valuestring)) != NULL &&
	    j->state != QUEUE_SCHED_ENDED)
		queue_cancel(q, j->id);
	if (q->observer != NULL)
		q->observer(q, job->valuestring, q->observer_arg);
}

void
queue_others_start(struct queue *q)
{
	struct dlc_err err;

	q->set = jobstate_set_new();
	journal_set_observer(q->journal, queue_others_fold, q);
	/* Following first: a record appended meanwhile is read twice, a no-op. */
	q->follow = journal_follow_start(q->loop, queue_others_each, q);
	dlc_err_clear(&err);
	if (journal_read(QUEUE_OTHERS_DAYS, queue_others_fold, queue_others_bad,
	    q, &err) != 0)
		q->read_err = err;
	jobstate_set_mark_interrupted(q->set, q->journal);
}

void
queue_others_stop(struct queue *q)
{
	journal_set_observer(q->journal, NULL, NULL);
	journal_follow_free(q->follow);
	q->follow = NULL;
	jobstate_set_free(q->set);
	q->set = NULL;
}

const struct jobstate_set *
queue_jobs(struct queue *q)
{
	return q->set;
}

int
queue_others_cancel(struct queue *q, const char *id)
{
	const struct jobstate *js;
	cJSON *rec;

	if (id == NULL || *id == '\0' ||
	    jobstate_set_count_prefix(q->set, id) != 1) {
		dlc_err_set(&q->error, "NoSuchJob", "no job is '%.40s'%s",
		    id != NULL ? id : "", id != NULL && *id != '\0' &&
		    jobstate_set_count_prefix(q->set, id) > 1 ?
		    " alone: the prefix names several" : "");
		dlc_err_fix(&q->error, "give more of the job's id (dlc queue "
		    "lists them)");
		return -1;
	}
	js = jobstate_set_find(q->set, id);
	if (js->state == JOBSTATE_ENDED || js->state == JOBSTATE_INTERRUPTED) {
		dlc_err_set(&q->error, "JobEnded", "job %s (%s) has %s: "
		    "nothing to cancel", js->id, js->function != NULL ?
		    js->function : "?", js->state == JOBSTATE_ENDED ?
		    "ended" : "been interrupted");
		return -1;
	}
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "job", js->id);
	cJSON_AddStringToObject(rec, "ev", "cancel");
	if (journal_append(q->journal, rec, NULL, NULL) != 0) {
		q->error = *journal_error(q->journal);
		return -1;
	}
	return 0;
}
