/*
 * The model's calls and changes. Every AWS call the model makes is a job on
 * one list, so model_free can cancel them all and a late answer can be
 * matched to what asked for it. Changes are queued and reported from a
 * zero-delay loop timer, so the UI's callback never runs inside a model_*
 * call (it may call back into the model safely).
 */
#include "model-priv.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define MODEL_MAX_NOTES		4096

/* ---- change notifications ---- */

void
model_notify_run(void *arg)
{
	struct model *m = arg;
	struct model_note *notes = m->notes;
	size_t i, n = m->n_notes;

	/* Take the queue first: the callback may queue more (for the next turn). */
	m->notes = NULL;
	m->n_notes = 0;
	for (i = 0; i < n; i++) {
		if (m->cb != NULL)
			m->cb(notes[i].what, notes[i].env, notes[i].function,
			    m->arg);
		free(notes[i].function);
	}
	free(notes);
}

void
model_notify(struct model *m, enum model_change what, size_t env,
    const char *function)
{
	size_t i;

	/* A burst of the same change is one redraw. */
	for (i = 0; i < m->n_notes; i++)
		if (m->notes[i].what == what && m->notes[i].env == env &&
		    ((function == NULL && m->notes[i].function == NULL) ||
		    (function != NULL && m->notes[i].function != NULL &&
		    strcmp(function, m->notes[i].function) == 0)))
			return;
	if (m->n_notes >= MODEL_MAX_NOTES)
		return;
	m->notes = xreallocarray(m->notes, m->n_notes + 1, sizeof *m->notes);
	m->notes[m->n_notes].what = what;
	m->notes[m->n_notes].env = env;
	m->notes[m->n_notes].function = xstrdup(function);
	m->n_notes++;
	if (!loop_timer_pending(m->notify_timer))
		loop_timer_start(m->notify_timer, 0);
}

/* ---- jobs ---- */

struct model_job *
model_job_new(struct model *m, enum model_job_kind kind, size_t env,
    const char *function, unsigned gen)
{
	struct model_job *j = xcalloc(1, sizeof *j);

	j->m = m;
	j->kind = kind;
	j->env = env;
	j->function = xstrdup(function);
	j->gen = gen;
	j->next = m->jobs;
	if (m->jobs != NULL)
		m->jobs->prev = j;
	m->jobs = j;
	return j;
}

void
model_job_free(struct model_job *j)
{
	struct model *m = j->m;

	if (j->prev != NULL)
		j->prev->next = j->next;
	else
		m->jobs = j->next;
	if (j->next != NULL)
		j->next->prev = j->prev;
	free(j->function);
	free(j->layer_arn);
	free(j);
}
