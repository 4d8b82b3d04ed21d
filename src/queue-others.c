/*
 * The queue and the other dlc processes: their records come through
 * journal_follow, folded into the job set the pane and dlc queue show
 * (own jobs' records come the same way, so one fold shows them all), and
 * a "cancel" record naming one of our jobs cancels it here, since only
 * the process that runs a job can stop it.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "journal.h"
#include "queue-priv.h"

static void
queue_others_each(const cJSON *rec, void *arg)
{
	struct queue *q = arg;
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(rec, "ev");
	const cJSON *job = cJSON_GetObjectItemCaseSensitive(rec, "job");
	struct queue_job *j;

	if (!cJSON_IsString(ev) || !cJSON_IsString(job))
		return;
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
	q->follow = journal_follow_start(q->loop, queue_others_each, q);
}

void
queue_others_stop(struct queue *q)
{
	journal_follow_free(q->follow);
	q->follow = NULL;
}

const struct jobstate_set *
queue_jobs(struct queue *q)
{
	return q->set;
}

int
queue_others_cancel(struct queue *q, const char *id)
{
	cJSON *rec;
	size_t i, n = id != NULL ? strlen(id) : 0;

	for (i = 0; i < n && isxdigit((unsigned char)id[i]) &&
	    !isupper((unsigned char)id[i]); i++)
		;
	if (n != JOURNAL_ID_LEN || i != n) {
		dlc_err_set(&q->error, "NoSuchJob", "no job is '%.40s'",
		    id != NULL ? id : "");
		dlc_err_fix(&q->error, "give the job's whole id (dlc queue "
		    "lists them)");
		return -1;
	}
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "job", id);
	cJSON_AddStringToObject(rec, "ev", "cancel");
	if (journal_append(q->journal, rec, NULL, NULL) != 0) {
		q->error = *journal_error(q->journal);
		return -1;
	}
	return 0;
}

void
queue_commit(struct queue *q, struct queue_job *j)
{
	(void)q;
	j->commit[0] = '\0';
}
