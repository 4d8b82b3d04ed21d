/*
 * The fold of journal records into jobs (see jobstate.h). Each job keeps
 * the fingerprints of the records folded into it, so a record delivered
 * twice is seen once.
 */
#include "jobstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "timeutil.h"
#include "xmalloc.h"

struct jobstate_priv {
	struct jobstate	 job;		/* first: a jobstate * is a jobstate_priv * */
	uint64_t	*seen;		/* fingerprints of folded records */
	size_t		 nseen, capseen;
	size_t		 added;		/* arrival rank, the last tie-break */
};

struct jobstate_set {
	struct jobstate_priv	**jobs;	/* queue order */
	size_t			  n, cap;
	size_t			  added;
};

const char *
jobstate_state_name(enum jobstate_state s)
{
	switch (s) {
	case JOBSTATE_WAITING:
		return "waiting";
	case JOBSTATE_RUNNING:
		return "running";
	case JOBSTATE_ENDED:
		return "ended";
	case JOBSTATE_INTERRUPTED:
		return "interrupted";
	}
	return "unknown";
}

struct jobstate_set *
jobstate_set_new(void)
{
	return xcalloc(1, sizeof(struct jobstate_set));
}

static void
jobstate_free_job(struct jobstate_priv *p)
{
	struct jobstate *j = &p->job;
	size_t i;

	for (i = 0; i < j->nsteps; i++) {
		free(j->steps[i].name);
		free(j->steps[i].state);
		free(j->steps[i].detail);
	}
	for (i = 0; i < j->nlayers; i++)
		free(j->layers[i]);
	free(j->layers);
	free(j->env);
	free(j->function);
	free(j->remote);
	free(j->kind);
	free(j->user);
	free(j->host);
	free(j->writer_host);
	free(j->commit);
	free(j->rollback_of);
	free(j->package);
	free(j->step);
	free(j->waiting);
	free(j->progress_line);
	free(j->outcome);
	free(j->code_sha256);
	free(j->previous_sha256);
	free(j->error_code);
	free(j->error_message);
	free(j->error_fix);
	free(j->lock_machine);
	free(j->lock_team);
	free(j->lock_token);
	free(j->deployed_sha256);
	free(p->seen);
	free(p);
}

void
jobstate_set_free(struct jobstate_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		jobstate_free_job(set->jobs[i]);
	free(set->jobs);
	free(set);
}

static const char *
jobstate_str(const cJSON *rec, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Replaces *dst with a copy of the record's string (or NULL when absent and clear is set). */
static void
jobstate_take(char **dst, const cJSON *rec, const char *key, int clear)
{
	const char *s = jobstate_str(rec, key);

	if (s == NULL && !clear)
		return;
	free(*dst);
	*dst = xstrdup(s);
}

static void
jobstate_set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = xstrdup(s);
}

static double
jobstate_num(const cJSON *rec, const char *key, double dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);

	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static uint64_t
jobstate_fingerprint(const cJSON *rec)
{
	char *text = cJSON_PrintUnformatted(rec);
	uint64_t h = 14695981039346656037ull;
	const unsigned char *p;

	if (text == NULL)
		fatal("out of memory printing a journal record");
	/* FNV-1a: duplicates are byte-identical lines, nothing adversarial. */
	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	free(text);
	return h;
}

static int
jobstate_seen(struct jobstate_priv *p, uint64_t fp)
{
	size_t i;

	for (i = 0; i < p->nseen; i++)
		if (p->seen[i] == fp)
			return 1;
	if (p->nseen == p->capseen) {
		p->capseen = p->capseen ? 2 * p->capseen : 16;
		p->seen = xreallocarray(p->seen, p->capseen, sizeof(*p->seen));
	}
	p->seen[p->nseen++] = fp;
	return 0;
}

static int
jobstate_cmp(const void *a, const void *b)
{
	const struct jobstate_priv *x = *(struct jobstate_priv *const *)a;
	const struct jobstate_priv *y = *(struct jobstate_priv *const *)b;

	if (x->job.order != y->job.order)
		return x->job.order < y->job.order ? -1 : 1;
	if (x->job.queued_ms != y->job.queued_ms)
		return x->job.queued_ms < y->job.queued_ms ? -1 : 1;
	return x->added < y->added ? -1 : x->added > y->added;
}

static struct jobstate_priv *
jobstate_lookup(const struct jobstate_set *set, const char *id)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->jobs[i]->job.id, id) == 0)
			return set->jobs[i];
	return NULL;
}

static struct jobstate_priv *
jobstate_create(struct jobstate_set *set, const char *id)
{
	struct jobstate_priv *p = xcalloc(1, sizeof(*p));

	snprintf(p->job.id, sizeof(p->job.id), "%s", id);
	p->job.state = JOBSTATE_WAITING;
	p->added = set->added++;
	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 32;
		set->jobs = xreallocarray(set->jobs, set->cap, sizeof(*set->jobs));
	}
	set->jobs[set->n++] = p;
	return p;
}

static struct jobstate_step *
jobstate_step_get(struct jobstate *j, const char *name)
{
	struct jobstate_step *s;
	size_t i;

	for (i = 0; i < j->nsteps; i++)
		if (strcmp(j->steps[i].name, name) == 0)
			return &j->steps[i];
	if (j->nsteps == JOBSTATE_MAX_STEPS)
		return NULL;
	s = &j->steps[j->nsteps++];
	s->name = xstrdup(name);
	return s;
}

const struct jobstate_step *
jobstate_step(const struct jobstate *job, const char *name)
{
	size_t i;

	for (i = 0; i < job->nsteps; i++)
		if (strcmp(job->steps[i].name, name) == 0)
			return &job->steps[i];
	return NULL;
}

static void
jobstate_error(struct jobstate *j, const cJSON *rec)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");

	if (!cJSON_IsObject(e))
		return;
	jobstate_take(&j->error_code, e, "code", 1);
	jobstate_take(&j->error_message, e, "message", 1);
	jobstate_take(&j->error_fix, e, "fix", 1);
}

static void
jobstate_writer(struct jobstate *j, const cJSON *rec)
{
	jobstate_take(&j->writer_host, rec, "host", 1);
	j->writer_pid = (long)jobstate_num(rec, "pid", 0);
	j->writer_pstart = (long long)jobstate_num(rec, "pstart", -1);
}

static void
jobstate_queued(struct jobstate *j, const cJSON *rec, int64_t t)
{
	const cJSON *sp = cJSON_GetObjectItemCaseSensitive(rec, "special");

	jobstate_take(&j->env, rec, "env", 0);
	jobstate_take(&j->function, rec, "function", 0);
	jobstate_take(&j->remote, rec, "remote", 0);
	jobstate_take(&j->kind, rec, "kind", 0);
	jobstate_take(&j->commit, rec, "commit", 0);
	jobstate_take(&j->rollback_of, rec, "rollback_of", 0);
	jobstate_take(&j->package, rec, "package", 0);
	jobstate_take(&j->user, rec, "user", 0);
	jobstate_take(&j->host, rec, "host", 0);
	j->special = cJSON_IsTrue(sp);
	j->order = jobstate_num(rec, "order", j->order);
	if (j->queued_ms == 0)
		j->queued_ms = t;
	/* queued again (a retry): the job waits once more. */
	if (j->state != JOBSTATE_WAITING) {
		j->state = JOBSTATE_WAITING;
		j->ended_ms = 0;
		jobstate_set_str(&j->outcome, NULL);
	}
}

static void
jobstate_step_rec(struct jobstate *j, const cJSON *rec, int64_t t)
{
	const char *name = jobstate_str(rec, "step");
	const char *state = jobstate_str(rec, "state");
	struct jobstate_step *s;

	if (name == NULL || state == NULL)
		return;
	s = jobstate_step_get(j, name);
	if (s != NULL) {
		jobstate_set_str(&s->state, state);
		jobstate_take(&s->detail, rec, "detail", 0);
		if (strcmp(state, "running") == 0) {
			s->started_ms = t;
			s->ended_ms = 0;
		} else
			s->ended_ms = t;
	}
	jobstate_set_str(&j->step, name);
	if (strcmp(state, "failed") == 0)
		jobstate_error(j, rec);
	if (strcmp(state, "running") == 0) {
		/* A retry after a failure or an interruption runs again. */
		j->state = JOBSTATE_RUNNING;
		if (j->started_ms == 0)
			j->started_ms = t;
		j->ended_ms = 0;
		j->progress_done = j->progress_total = 0;
		jobstate_set_str(&j->progress_line, NULL);
		jobstate_set_str(&j->waiting, NULL);
	}
}

static void
jobstate_lock(struct jobstate *j, const cJSON *rec)
{
	const char *what = jobstate_str(rec, "what");

	if (what == NULL)
		return;
	if (strcmp(what, "machine") == 0)
		jobstate_take(&j->lock_machine, rec, "state", 0);
	else if (strcmp(what, "team") == 0) {
		jobstate_take(&j->lock_team, rec, "state", 0);
		jobstate_take(&j->lock_token, rec, "token", 0);
	}
}

static void
jobstate_end(struct jobstate *j, const cJSON *rec, int64_t t)
{
	const cJSON *layers = cJSON_GetObjectItemCaseSensitive(rec, "layers");
	const cJSON *l;
	size_t i;

	j->state = JOBSTATE_ENDED;
	j->ended_ms = t;
	jobstate_take(&j->outcome, rec, "outcome", 1);
	jobstate_take(&j->code_sha256, rec, "code_sha256", 1);
	jobstate_take(&j->previous_sha256, rec, "previous_sha256", 1);
	jobstate_take(&j->package, rec, "package", 1);
	for (i = 0; i < j->nlayers; i++)
		free(j->layers[i]);
	free(j->layers);
	j->layers = NULL;
	j->nlayers = 0;
	if (cJSON_IsArray(layers)) {
		j->layers = xcalloc((size_t)cJSON_GetArraySize(layers) + 1,
		    sizeof(*j->layers));
		cJSON_ArrayForEach(l, layers)
			if (cJSON_IsString(l))
				j->layers[j->nlayers++] = xstrdup(l->valuestring);
	}
	jobstate_error(j, rec);
}

/* Returns 1 when the record changed the job. */
static int
jobstate_apply(struct jobstate *j, const char *ev, const cJSON *rec, int64_t t)
{
	const cJSON *m;

	if (strcmp(ev, "queued") == 0) {
		jobstate_writer(j, rec);
		jobstate_queued(j, rec, t);
	} else if (strcmp(ev, "waiting") == 0) {
		jobstate_writer(j, rec);
		jobstate_take(&j->waiting, rec, "reason", 1);
	} else if (strcmp(ev, "step") == 0) {
		jobstate_writer(j, rec);
		jobstate_step_rec(j, rec, t);
	} else if (strcmp(ev, "progress") == 0) {
		j->progress_done = (long long)jobstate_num(rec, "done", 0);
		j->progress_total = (long long)jobstate_num(rec, "total", 0);
		jobstate_take(&j->progress_line, rec, "line", 0);
	} else if (strcmp(ev, "lock") == 0) {
		jobstate_writer(j, rec);
		jobstate_lock(j, rec);
	} else if (strcmp(ev, "end") == 0) {
		jobstate_writer(j, rec);
		jobstate_end(j, rec, t);
	} else if (strcmp(ev, "interrupted") == 0) {
		/* Only the first finder's word counts; an ended job stays ended. */
		if (j->state == JOBSTATE_ENDED || j->state == JOBSTATE_INTERRUPTED)
			return 0;
		j->state = JOBSTATE_INTERRUPTED;
		j->ended_ms = t;
		jobstate_take(&j->step, rec, "step", 0);
	} else if (strcmp(ev, "verified") == 0) {
		m = cJSON_GetObjectItemCaseSensitive(rec, "matches");
		jobstate_take(&j->deployed_sha256, rec, "deployed_sha256", 1);
		j->verified = cJSON_IsTrue(m) ? 1 : -1;
	} else if (strcmp(ev, "cancel") == 0) {
		j->cancel_requested = 1;
	} else if (strcmp(ev, "reorder") == 0) {
		j->order = jobstate_num(rec, "order", j->order);
	} else
		return 0;
	return 1;
}

/* "lock-break" names a lease, not a job; unknown kinds come from a newer dlc. */
static int
jobstate_known_ev(const char *ev)
{
	static const char *const known[] = { "queued", "waiting", "step",
	    "progress", "lock", "end", "interrupted", "verified", "cancel",
	    "reorder", NULL };
	size_t i;

	for (i = 0; known[i] != NULL; i++)
		if (strcmp(ev, known[i]) == 0)
			return 1;
	return 0;
}

const struct jobstate *
jobstate_set_add(struct jobstate_set *set, const cJSON *rec)
{
	const char *id = jobstate_str(rec, "job"), *ev = jobstate_str(rec, "ev");
	const char *ts = jobstate_str(rec, "t");
	struct jobstate_priv *p;
	time_t sec = 0;
	int millis = 0;
	int64_t t = 0, queued;
	double order;
	int moved = 0;

	if (id == NULL || ev == NULL || id[0] == '\0' ||
	    strlen(id) > JOURNAL_ID_LEN || !jobstate_known_ev(ev))
		return NULL;
	if (ts != NULL && timeutil_parse_iso8601(ts, &sec, &millis) == 0)
		t = (int64_t)sec * 1000 + millis;
	p = jobstate_lookup(set, id);
	if (p == NULL) {
		p = jobstate_create(set, id);
		moved = 1;
	}
	/*
	 * Progress is idempotent and the most frequent record (one a second
	 * while a job runs): not remembered, so a long job costs no memory.
	 */
	if (strcmp(ev, "progress") != 0 &&
	    jobstate_seen(p, jobstate_fingerprint(rec)))
		return NULL;
	order = p->job.order;
	queued = p->job.queued_ms;
	if (!jobstate_apply(&p->job, ev, rec, t))
		return NULL;
	if (t > p->job.last_ms)
		p->job.last_ms = t;
	if (p->job.queued_ms == 0)
		p->job.queued_ms = t;
	/* Only what the order depends on re-sorts: callers may be iterating. */
	if (moved || order != p->job.order || queued != p->job.queued_ms)
		qsort(set->jobs, set->n, sizeof(*set->jobs), jobstate_cmp);
	return &p->job;
}

size_t
jobstate_set_count_prefix(const struct jobstate_set *set, const char *prefix)
{
	size_t i, n = 0, len = strlen(prefix);

	for (i = 0; i < set->n; i++)
		if (strncmp(set->jobs[i]->job.id, prefix, len) == 0)
			n++;
	return n;
}

const struct jobstate *
jobstate_set_find(const struct jobstate_set *set, const char *id_or_prefix)
{
	const struct jobstate *found = NULL;
	size_t i, len = strlen(id_or_prefix);

	if (len == 0)
		return NULL;
	for (i = 0; i < set->n; i++) {
		if (strcmp(set->jobs[i]->job.id, id_or_prefix) == 0)
			return &set->jobs[i]->job;
		if (strncmp(set->jobs[i]->job.id, id_or_prefix, len) == 0) {
			if (found != NULL)
				return NULL;
			found = &set->jobs[i]->job;
		}
	}
	return found;
}

size_t
jobstate_set_count(const struct jobstate_set *set)
{
	return set->n;
}

const struct jobstate *
jobstate_set_nth(const struct jobstate_set *set, size_t i)
{
	return i < set->n ? &set->jobs[i]->job : NULL;
}

int
jobstate_writer_gone(const struct jobstate *j, const char *host)
{
	long long start;

	if (j->state == JOBSTATE_ENDED || j->state == JOBSTATE_INTERRUPTED)
		return 0;
	if (j->writer_host == NULL || strcmp(j->writer_host, host) != 0 ||
	    j->writer_pid <= 0)
		return 0;
	start = journal_pid_start((pid_t)j->writer_pid);
	return start < 0 || start != j->writer_pstart;
}

size_t
jobstate_set_mark_interrupted(struct jobstate_set *set, struct journal *journal)
{
	const char *host = journal_host(journal);
	struct jobstate *j;
	cJSON *rec, *copy;
	size_t i, marked = 0;

	for (i = 0; i < set->n; i++) {
		j = &set->jobs[i]->job;
		if (!jobstate_writer_gone(j, host))
			continue;
		rec = cJSON_CreateObject();
		cJSON_AddStringToObject(rec, "job", j->id);
		cJSON_AddStringToObject(rec, "ev", "interrupted");
		if (j->step != NULL)
			cJSON_AddStringToObject(rec, "step", j->step);
		else
			cJSON_AddNullToObject(rec, "step");
		/* Folded now, not only when read back: a second look finds it interrupted. */
		copy = cJSON_Duplicate(rec, 1);
		(void)journal_append(journal, rec, NULL, NULL);
		jobstate_apply(j, "interrupted", copy, journal_now_ms());
		cJSON_Delete(copy);
		j->marked_here = 1;
		marked++;
	}
	return marked;
}
