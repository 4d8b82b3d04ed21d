/*
 * The scheduling rule (queue-sched.h). Jobs are few (a batch is tens), so
 * the waiting ones are put in order by a simple insertion sort each time.
 */
#include "queue-sched.h"

#include <stdlib.h>

#include "xmalloc.h"

/* The indexes of the jobs in state st, in queue order (allocated). */
static size_t *
queue_sched_sorted(const struct queue_sched_job *jobs, size_t n,
    enum queue_sched_state st, size_t *out_n)
{
	size_t *idx = xcalloc(n + 1, sizeof *idx);
	size_t m = 0, i, k;

	for (i = 0; i < n; i++) {
		if (jobs[i].state != st)
			continue;
		for (k = m; k > 0 && jobs[idx[k - 1]].order > jobs[i].order;
		    k--)
			idx[k] = idx[k - 1];
		idx[k] = i;
		m++;
	}
	*out_n = m;
	return idx;
}

size_t
queue_sched_pick(struct queue_sched_job *jobs, size_t n, int parallel,
    int paused)
{
	size_t *w, nw, i, ordinary = 0, started = 0;
	long special = -1;	/* the special running, or the first waiting */

	if (parallel < 1)
		parallel = 1;
	for (i = 0; i < n; i++) {
		if (jobs[i].state != QUEUE_SCHED_RUNNING)
			continue;
		if (jobs[i].special)
			special = (long)i;
		else
			ordinary++;
	}
	w = queue_sched_sorted(jobs, n, QUEUE_SCHED_WAITING, &nw);
	for (i = 0; i < nw; i++) {
		struct queue_sched_job *j = &jobs[w[i]];

		j->behind = -1;
		if (paused) {
			j->why = QUEUE_SCHED_PAUSED;
		} else if (j->special) {
			if (special >= 0) {
				j->why = QUEUE_SCHED_SPECIAL;
				j->behind = special;
			} else {
				j->why = QUEUE_SCHED_START;
				started++;
			}
			/* The next special waits for this one. */
			special = (long)w[i];
		} else if (ordinary >= (size_t)parallel) {
			j->why = QUEUE_SCHED_FULL;
		} else {
			j->why = QUEUE_SCHED_START;
			ordinary++;
			started++;
		}
	}
	free(w);
	return started;
}

int
queue_sched_move(struct queue_sched_job *jobs, size_t n, size_t i, int delta)
{
	size_t *w, nw, pos, to, k;
	int64_t *orders;
	int rc;

	if (i >= n || jobs[i].state != QUEUE_SCHED_WAITING)
		return -1;
	w = queue_sched_sorted(jobs, n, QUEUE_SCHED_WAITING, &nw);
	for (pos = 0; w[pos] != i; pos++)
		;
	if (delta < 0)
		to = (size_t)-delta > pos ? 0 : pos - (size_t)-delta;
	else
		to = (size_t)delta >= nw - pos ? nw - 1 : pos + (size_t)delta;
	rc = to != pos;
	/* The set of order values stays; the moved job takes its new place's. */
	orders = xcalloc(nw + 1, sizeof *orders);
	for (k = 0; k < nw; k++)
		orders[k] = jobs[w[k]].order;
	if (to < pos)
		for (k = pos; k > to; k--)
			w[k] = w[k - 1];
	else
		for (k = pos; k < to; k++)
			w[k] = w[k + 1];
	w[to] = i;
	for (k = 0; k < nw; k++)
		jobs[w[k]].order = orders[k];
	free(orders);
	free(w);
	return rc;
}
