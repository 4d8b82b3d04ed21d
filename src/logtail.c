/* The log tail engine: history, follow, dedup, shared budget, merge. */
#include "logtail.h"
#include "aws-op.h"
#include "logdedup.h"
#include "loop.h"
#include "retry.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOGTAIL_OVERLAP_MS	30000
#define LOGTAIL_POLL_MS		1000
#define LOGTAIL_IDLE_FACTOR	5
#define LOGTAIL_REORDER_MS	500
#define LOGTAIL_RATE		5.0
/* Throttle backoff: from this, doubling, to the cap; halves per success. */
#define LOGTAIL_THROTTLE_MIN_MS	500
#define LOGTAIL_THROTTLE_MAX_MS	8000
/* Malformed answers in a row before a window is given up as a gap. */
#define LOGTAIL_BAD_ANSWERS	3
/* Events held for ordering: past this the oldest go out anyway. */
#define LOGTAIL_PENDING_MAX	200000
#define LOGTAIL_PENDING_BYTES	(64u << 20)
/* The widest re-read window, however late some event once came. */
#define LOGTAIL_OVERLAP_MAX	600000
#define LOGTAIL_MAX_PATTERN	1024


struct logtail_budget {
	double		 rate;		/* requests a second, and the burst */
	double		 tokens;
	uint64_t	 tokens_at;
	long		 throttle_ms;
	uint64_t	 throttled_until;
};

enum logtail_phase { LT_HISTORY, LT_FOLLOW, LT_DONE };

struct logtail_group {
	struct logtail		*lt;
	size_t			 idx;
	char			*name;
	enum logtail_phase	 phase;
	char			*token;		/* paging inside the current window */
	int64_t			 win_start, win_end;	/* win_end < 0: open */
	int64_t			 newest;	/* newest timestamp received; INT64_MIN: none */
	int64_t			 watermark;	/* history: nothing older is still to come */
	int64_t			 forgotten;	/* dedup holds no event older than this */
	struct aws_call		*call;
	uint64_t		 due;		/* loop_now_ms when it may ask again */
	long			 idle_ms;
	int			 got_new;
	int			 failing;	/* a gap reported, no success since */
	int			 outage;	/* a retryable failure, no success since */
	long			 missing_ms;	/* waited for its group this long; 0: it exists */
	int			 ever_ok;
	int			 bad_answers;
	struct logdedup		*seen;
};

struct logtail_pend {
	struct log_event	ev;
	uint64_t		arrived;
	uint64_t		seq;
};

struct logtail {
	struct aws_env		*env;
	struct loop		*loop;
	struct logtail_opts	 o;
	char			*pattern;
	struct logtail_group	*g;
	size_t			 n;
	logtail_event_cb	 on_event;
	logtail_state_cb	 on_state;
	void			*arg;
	enum logtail_state	 state;
	int			 started;
	int64_t			 follow_origin;	/* wall ms when following began */
	int64_t			 max_delay;	/* largest ingestion - timestamp seen */
	int64_t			 newest_delivered;
	int64_t			 outage_since;	/* wall ms the reads began failing; 0: they work */
	int64_t			 last_read;	/* wall ms of the last answer read */
	struct logtail_budget	*budget;	/* shared, or own_budget */
	struct logtail_budget	*own_budget;
	uint64_t		 started_at;
	uint64_t		 seq;
	struct loop_timer	*pump_timer;
	struct loop_timer	*flush_timer;
	/*
	 * Events waiting to be handed out: those that arrive in order (one
	 * group's history, by far the most) queue in run, a FIFO, at O(1);
	 * only the rest go through the min-heap. The next event out is the
	 * smaller of the two heads.
	 */
	struct logtail_pend	*pend;		/* a min-heap by time */
	size_t			 n_heap, cap_pend;
	struct logtail_pend	*run;		/* run[run_head .. run_n), in order */
	size_t			 run_head, run_n, run_cap;
	size_t			 n_pend;	/* both together */
	size_t			 pend_bytes;	/* messages held, for the ceiling */
	struct logtail_stats	 st;
};

static int64_t
logtail_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
logtail_overlap(const struct logtail *lt)
{
	/* An event is caught if the window still reaches back to it when it
	 * becomes visible: its delay plus one idle poll interval. */
	int64_t need = lt->max_delay + lt->o.poll_ms * LOGTAIL_IDLE_FACTOR + 1000;

	if (need > LOGTAIL_OVERLAP_MAX)
		need = LOGTAIL_OVERLAP_MAX;
	return need > lt->o.overlap_ms ? need : lt->o.overlap_ms;
}

/* ---- the reorder heap ---- */

static int
logtail_pend_less(const struct logtail_pend *a, const struct logtail_pend *b)
{
	if (a->ev.timestamp != b->ev.timestamp)
		return a->ev.timestamp < b->ev.timestamp;
	if (a->ev.ingestion_time != b->ev.ingestion_time)
		return a->ev.ingestion_time < b->ev.ingestion_time;
	if (a->ev.source != b->ev.source)
		return a->ev.source < b->ev.source;
	return a->seq < b->seq;
}

static void
logtail_heap_push(struct logtail *lt, const struct logtail_pend *e)
{
	struct logtail_pend tmp;
	size_t i;

	if (lt->n_heap == lt->cap_pend) {
		lt->cap_pend = lt->cap_pend == 0 ? 256 : lt->cap_pend * 2;
		lt->pend = xreallocarray(lt->pend, lt->cap_pend, sizeof *lt->pend);
	}
	i = lt->n_heap++;
	lt->pend[i] = *e;
	while (i > 0 && logtail_pend_less(&lt->pend[i], &lt->pend[(i - 1) / 2])) {
		tmp = lt->pend[i];
		lt->pend[i] = lt->pend[(i - 1) / 2];
		lt->pend[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
}

static void
logtail_heap_pop(struct logtail *lt, struct logtail_pend *out)
{
	struct logtail_pend tmp;
	size_t i = 0;

	*out = lt->pend[0];
	lt->pend[0] = lt->pend[--lt->n_heap];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < lt->n_heap && logtail_pend_less(&lt->pend[l], &lt->pend[m]))
			m = l;
		if (r < lt->n_heap && logtail_pend_less(&lt->pend[r], &lt->pend[m]))
			m = r;
		if (m == i)
			break;
		tmp = lt->pend[i];
		lt->pend[i] = lt->pend[m];
		lt->pend[m] = tmp;
		i = m;
	}
}

/* The next free slot at the run's end (room made). */
static struct logtail_pend *
logtail_run_slot(struct logtail *lt)
{
	if (lt->run_n == lt->run_cap) {
		if (lt->run_head > 0) {
			memmove(lt->run, lt->run + lt->run_head,
			    (lt->run_n - lt->run_head) * sizeof *lt->run);
			lt->run_n -= lt->run_head;
			lt->run_head = 0;
		} else {
			lt->run_cap = lt->run_cap == 0 ? 256 : lt->run_cap * 2;
			lt->run = xreallocarray(lt->run, lt->run_cap, sizeof *lt->run);
		}
	}
	return &lt->run[lt->run_n++];
}

static void
logtail_pend_push(struct logtail *lt, struct log_event *ev, uint64_t now)
{
	const struct logtail_pend *tail = lt->run_n > lt->run_head ?
	    &lt->run[lt->run_n - 1] : NULL;
	struct logtail_pend *e;

	lt->pend_bytes += ev->message_len;
	lt->n_pend++;
	if (tail == NULL || ev->timestamp > tail->ev.timestamp) {
		/* In order (one group's history, nearly every event): built in place. */
		e = logtail_run_slot(lt);
		e->ev = *ev;
		e->arrived = now;
		e->seq = lt->seq++;
	} else {
		struct logtail_pend tmp;

		tmp.ev = *ev;
		tmp.arrived = now;
		tmp.seq = lt->seq++;
		if (logtail_pend_less(&tmp, tail))
			logtail_heap_push(lt, &tmp);
		else
			*logtail_run_slot(lt) = tmp;
	}
	/* The queue owns the strings now: the page must not free them. */
	ev->stream = ev->message = NULL;
	ev->arena = NULL;
}

/* The next event out (n_pend > 0): the smaller of the run's and the heap's heads. */
static const struct logtail_pend *
logtail_pend_top(const struct logtail *lt)
{
	const struct logtail_pend *r = lt->run_n > lt->run_head ? &lt->run[lt->run_head] : NULL;

	if (lt->n_heap == 0)
		return r;
	if (r == NULL || logtail_pend_less(&lt->pend[0], r))
		return &lt->pend[0];
	return r;
}

static void
logtail_pend_pop(struct logtail *lt, struct logtail_pend *out)
{
	if (lt->n_heap > 0 && logtail_pend_top(lt) == &lt->pend[0]) {
		logtail_heap_pop(lt, out);
	} else {
		*out = lt->run[lt->run_head++];
		if (lt->run_head == lt->run_n)
			lt->run_head = lt->run_n = 0;
	}
	lt->n_pend--;
	lt->pend_bytes -= out->ev.message_len;
}

/*
 * Hands out what may go: while any group still reads history, events up
 * to the lowest history watermark (exact order); once all follow, events
 * that waited reorder_ms; when done, everything.
 */
static void
logtail_release(struct logtail *lt, int all)
{
	int64_t mark = INT64_MAX;
	int history = 0;
	uint64_t now = loop_now_ms();
	size_t i;

	for (i = 0; i < lt->n; i++)
		if (lt->g[i].phase == LT_HISTORY) {
			history = 1;
			if (lt->g[i].watermark < mark)
				mark = lt->g[i].watermark;
		}
	while (lt->n_pend > 0) {
		const struct logtail_pend *top = logtail_pend_top(lt);
		struct logtail_pend p;

		if (!all && lt->n_pend <= LOGTAIL_PENDING_MAX &&
		    lt->pend_bytes <= LOGTAIL_PENDING_BYTES) {
			/* Strict: the same millisecond may still come. */
			if (history && top->ev.timestamp >= mark)
				break;
			/*
			 * Unless history has just ended (the state is about
			 * to follow): what it read goes out now, not
			 * reorder_ms later, or the view says "no events"
			 * with the whole history in hand.
			 */
			if (!history && now - top->arrived < lt->o.reorder_ms &&
			    !(lt->state == LOGTAIL_HISTORY &&
			    top->ev.timestamp <= lt->follow_origin))
				break;
		}
		logtail_pend_pop(lt, &p);
		lt->st.events++;
		if (p.ev.timestamp > lt->newest_delivered)
			lt->newest_delivered = p.ev.timestamp;
		lt->on_event(&p.ev, lt->arg);
		log_event_clear(&p.ev);
	}
	if (lt->n_pend > 0 && !history)
		loop_timer_start(lt->flush_timer, (long)(logtail_pend_top(lt)->arrived +
		    lt->o.reorder_ms - now) + 1);
	else
		loop_timer_stop(lt->flush_timer);
}

static void
logtail_flush_cb(void *arg)
{
	logtail_release(arg, 0);
}

/* ---- scheduling ---- */

static void	logtail_send(struct logtail_group *g);

static void
logtail_refill(struct logtail_budget *b, uint64_t now)
{
	if (now > b->tokens_at)
		b->tokens += (double)(now - b->tokens_at) * b->rate / 1000.0;
	if (b->tokens > b->rate)
		b->tokens = b->rate;
	b->tokens_at = now;
}

struct logtail_budget *
logtail_budget_new(double requests_per_s)
{
	struct logtail_budget *b = xcalloc(1, sizeof *b);

	b->rate = requests_per_s > 0 ? requests_per_s : LOGTAIL_RATE;
	b->tokens = b->rate;
	b->tokens_at = loop_now_ms();
	return b;
}

void
logtail_budget_free(struct logtail_budget *b)
{
	free(b);
}

/* Sends what is due within the budget, then sleeps until the next due. */
static void
logtail_pump(void *arg)
{
	struct logtail *lt = arg;
	struct logtail_budget *b = lt->budget;
	uint64_t now = loop_now_ms(), wake = UINT64_MAX;
	size_t i;

	if (lt->state == LOGTAIL_DONE || lt->state == LOGTAIL_FAILED)
		return;
	logtail_refill(b, now);
	for (;;) {
		struct logtail_group *best = NULL;

		for (i = 0; i < lt->n; i++) {
			struct logtail_group *g = &lt->g[i];

			if (g->phase == LT_DONE || g->call != NULL)
				continue;
			if (best == NULL || g->due < best->due)
				best = g;
		}
		if (best == NULL)
			break;
		if (best->due > now || now < b->throttled_until ||
		    b->tokens < 1.0) {
			wake = best->due;
			if (b->throttled_until > wake)
				wake = b->throttled_until;
			if (b->tokens < 1.0) {
				uint64_t t = now + (uint64_t)((1.0 - b->tokens) *
				    1000.0 / b->rate) + 1;

				if (t > wake)
					wake = t;
			}
			break;
		}
		b->tokens -= 1.0;
		logtail_send(best);
	}
	if (wake != UINT64_MAX)
		loop_timer_start(lt->pump_timer, wake > now ? (long)(wake - now) : 0);
	else
		loop_timer_stop(lt->pump_timer);
}

static void
logtail_set_state(struct logtail *lt, enum logtail_state st,
    const struct dlc_err *err)
{
	lt->state = st;
	if (lt->on_state != NULL)
		lt->on_state(st, err, lt->arg);
}

/* After a group's history ends: the whole session's next state, if any. */
static void
logtail_check_phase(struct logtail *lt)
{
	size_t i;
	int history = 0, follow = 0;

	for (i = 0; i < lt->n; i++) {
		if (lt->g[i].phase == LT_HISTORY)
			history = 1;
		else if (lt->g[i].phase == LT_FOLLOW)
			follow = 1;
	}
	if (history || lt->state != LOGTAIL_HISTORY)
		return;
	if (follow) {
		logtail_release(lt, 0);
		logtail_set_state(lt, LOGTAIL_FOLLOWING, NULL);
	} else {
		loop_timer_stop(lt->pump_timer);
		logtail_release(lt, 1);
		logtail_set_state(lt, LOGTAIL_DONE, NULL);
	}
}

static void
logtail_follow_window(struct logtail_group *g)
{
	struct logtail *lt = g->lt;
	int64_t start;

	if (g->newest != INT64_MIN)
		start = g->newest - logtail_overlap(lt);
	else
		start = lt->follow_origin - logtail_overlap(lt);
	if (start < lt->o.since_ms)
		start = lt->o.since_ms;
	/* Never behind what the dedup set forgot, or events would double. */
	if (start < g->forgotten)
		start = g->forgotten;
	g->win_start = start;
	g->win_end = -1;
	/* Nothing before the window will be read again. */
	logdedup_expire(g->seen, start);
	g->forgotten = start;
}

/* The window ended (last page read, or given up as a gap). */
static void
logtail_window_done(struct logtail_group *g, uint64_t now)
{
	struct logtail *lt = g->lt;

	free(g->token);
	g->token = NULL;
	if (g->phase == LT_HISTORY) {
		g->watermark = INT64_MAX;
		if (lt->o.follow) {
			g->phase = LT_FOLLOW;
			g->idle_ms = lt->o.poll_ms;
			logtail_follow_window(g);
			g->due = now + (uint64_t)lt->o.poll_ms;
		} else
			g->phase = LT_DONE;
		return;
	}
	if (g->phase != LT_FOLLOW)
		return;
	if (g->got_new)
		g->idle_ms = lt->o.poll_ms;
	else if (g->idle_ms < lt->o.poll_ms * LOGTAIL_IDLE_FACTOR)
		g->idle_ms = g->idle_ms * 2 < lt->o.poll_ms * LOGTAIL_IDLE_FACTOR ?
		    g->idle_ms * 2 : lt->o.poll_ms * LOGTAIL_IDLE_FACTOR;
	g->got_new = 0;
	logtail_follow_window(g);
	g->due = now + (uint64_t)g->idle_ms;
}

/* Ends the whole session with err: nothing more is asked, the rest is handed out. */
static void
logtail_fail(struct logtail *lt, const struct dlc_err *err)
{
	size_t i;

	for (i = 0; i < lt->n; i++)
		if (lt->g[i].call != NULL) {
			aws_call_cancel(lt->g[i].call);
			lt->g[i].call = NULL;
		}
	loop_timer_stop(lt->pump_timer);
	logtail_release(lt, 1);
	logtail_set_state(lt, LOGTAIL_FAILED, err);
}

static int
logtail_all_failing(const struct logtail *lt)
{
	size_t i;

	for (i = 0; i < lt->n; i++)
		if (!lt->g[i].failing || lt->g[i].ever_ok)
			return 0;
	return 1;
}

/* A window that cannot be read: say so once per failing streak, go on. */
static void
logtail_gap(struct logtail_group *g, const struct dlc_err *err, uint64_t now)
{
	struct logtail *lt = g->lt;
	int first = !g->failing;

	g->failing = 1;
	g->bad_answers = 0;
	if (first) {
		lt->st.gaps++;
		if (logtail_all_failing(lt)) {
			logtail_fail(lt, err);
			return;
		}
		if (lt->on_state != NULL)
			lt->on_state(lt->state, err, lt->arg);
	}
	if (g->phase == LT_HISTORY)
		logtail_window_done(g, now);
	else {
		/* Following: the cursor stays; ask again at the idle pace. */
		free(g->token);
		g->token = NULL;
		g->due = now + (uint64_t)(lt->o.poll_ms * LOGTAIL_IDLE_FACTOR);
	}
	logtail_check_phase(lt);
}

/*
 * A failure that retrying may fix (5xx, throttling, a reset), after aws.c's
 * own bounded retries. Without follow that is the end: the retry policy
 * has had its attempts. Following, the reads are out until one succeeds:
 * said once when it starts, and the same window and token are asked again
 * at the next poll, so nothing is skipped.
 */
static void
logtail_transient(struct logtail_group *g, const struct dlc_err *err,
    int throttled, uint64_t now)
{
	struct logtail *lt = g->lt;

	lt->st.retries_failed++;
	if (throttled) {
		struct logtail_budget *b = lt->budget;

		lt->st.throttles++;
		b->throttle_ms = b->throttle_ms < LOGTAIL_THROTTLE_MIN_MS ?
		    LOGTAIL_THROTTLE_MIN_MS : b->throttle_ms * 2;
		if (b->throttle_ms > LOGTAIL_THROTTLE_MAX_MS)
			b->throttle_ms = LOGTAIL_THROTTLE_MAX_MS;
		b->throttled_until = now + (uint64_t)b->throttle_ms;
	}
	if (!lt->o.follow) {
		logtail_fail(lt, err);
		return;
	}
	g->outage = 1;
	if (lt->outage_since == 0) {
		lt->outage_since = logtail_wall_ms();
		if (lt->o.on_outage != NULL)
			lt->o.on_outage(lt->outage_since, err, lt->arg);
	}
	g->due = now + (uint64_t)(g->idle_ms > 0 ? g->idle_ms : lt->o.poll_ms);
}

/* A group read again: the outage ends when no group is out any more. */
static void
logtail_recovered(struct logtail_group *g)
{
	struct logtail *lt = g->lt;
	int64_t since = lt->outage_since;
	size_t i;

	g->outage = 0;
	if (since == 0)
		return;
	for (i = 0; i < lt->n; i++)
		if (lt->g[i].outage)
			return;
	lt->outage_since = 0;
	if (lt->o.on_outage != NULL)
		lt->o.on_outage(since, NULL, lt->arg);
}

/*
 * The group does not exist yet (a function never invoked): not a failure
 * but a wait. Its history is empty; it is asked again after
 * missing_retry_ms, then twice that, and read from its follow window (from
 * when following began, or its newest event) once it is there.
 */
static void
logtail_missing(struct logtail_group *g, uint64_t now)
{
	struct logtail *lt = g->lt;
	long wait = g->missing_ms > 0 ? g->missing_ms * 2 : lt->o.missing_retry_ms;

	if (wait > 2 * lt->o.missing_retry_ms)
		wait = 2 * lt->o.missing_retry_ms;
	g->missing_ms = wait;
	g->failing = 0;
	lt->last_read = logtail_wall_ms();
	/* AWS answered: whatever outage there was is over for this group. */
	logtail_recovered(g);
	free(g->token);
	g->token = NULL;
	if (g->phase == LT_HISTORY) {
		logtail_window_done(g, now);
		logtail_check_phase(lt);
	}
	g->due = now + (uint64_t)wait;
}

static void
logtail_page(struct logtail_group *g, struct logs_filter_page *page,
    uint64_t now)
{
	struct logtail *lt = g->lt;
	int64_t remember_from = INT64_MIN, was_newest = g->newest;
	size_t i;

	g->missing_ms = 0;
	lt->last_read = logtail_wall_ms();
	g->ever_ok = 1;
	g->failing = 0;
	g->bad_answers = 0;
	lt->budget->throttle_ms /= 2;
	logtail_recovered(g);
	/*
	 * Without follow nothing is read twice but across a filter switch,
	 * which re-reads from the newest millisecond (see logtail_set_filter):
	 * only the events of that millisecond need remembering, as in aws
	 * logs tail. Checking every event was a twentieth of dlc logs' CPU.
	 * But the page read again from that millisecond holds newer events
	 * too: its events up to was_newest may have gone out already, so
	 * they are checked as well (in a forward read, only the rest of a
	 * millisecond split by a page's end).
	 */
	if (!lt->o.follow) {
		remember_from = g->newest;
		for (i = 0; i < page->n; i++)
			if (page->events[i].timestamp > remember_from)
				remember_from = page->events[i].timestamp;
	}
	for (i = 0; i < page->n; i++) {
		struct log_event *ev = &page->events[i];
		int64_t delay = ev->ingestion_time - ev->timestamp;

		if (delay > lt->max_delay)
			lt->max_delay = delay;
		if (g->phase == LT_HISTORY && ev->timestamp > g->watermark)
			g->watermark = ev->timestamp;
		if ((ev->timestamp >= remember_from || ev->timestamp <= was_newest) &&
		    !logdedup_check(g->seen, ev)) {
			lt->st.duplicates++;
			continue;
		}
		g->got_new = 1;
		if (ev->timestamp > g->newest)
			g->newest = ev->timestamp;
		ev->source = (uint16_t)g->idx;
		logtail_pend_push(lt, ev, now);
	}
	if (!lt->o.follow) {
		if (remember_from > g->forgotten) {
			logdedup_expire(g->seen, remember_from);
			g->forgotten = remember_from;
		}
	} else if (g->phase == LT_HISTORY && g->newest != INT64_MIN) {
		/* One pass reads forwards: only a filter switch re-reads, from
		 * the newest minus the overlap, so dedup need hold no more. */
		int64_t keep = g->newest - logtail_overlap(lt);

		if (keep > g->forgotten + logtail_overlap(lt)) {
			logdedup_expire(g->seen, keep);
			g->forgotten = keep;
		}
	}
	if (page->next_token != NULL) {
		free(g->token);
		g->token = page->next_token;
		page->next_token = NULL;
		g->due = now;
	} else
		logtail_window_done(g, now);
}

static void
logtail_done(struct aws_reply *reply, struct logs_filter_page *page,
    void *arg)
{
	struct logtail_group *g = arg;
	struct logtail *lt = g->lt;
	uint64_t now = loop_now_ms();
	struct aws_response *resp = reply->resp;
	struct dlc_err err;

	g->call = NULL;
	dlc_err_clear(&err);
	if (reply->ok != 0 && !reply->bad_answer) {
		/*
		 * aws.c has retried what retrying can fix and says so; the
		 * rest (no credentials, a failed credential_process, an
		 * expired SSO login, a signing error, AccessDenied) fails
		 * again however often it is asked: shown at once.
		 */
		err = resp->err;
		dlc_err_what(&err, "FilterLogEvents on %s in %s", g->name,
		    aws_env_name(lt->env));
		if (lt->o.follow && lt->o.missing_retry_ms > 0 &&
		    strcmp(err.code, "ResourceNotFoundException") == 0)
			logtail_missing(g, now);
		else if (!err.retryable)
			logtail_gap(g, &err, now);
		else
			logtail_transient(g, &err, retry_classify(resp->status,
			    resp->err.code, 0) == RETRY_THROTTLE, now);
	} else if (reply->ok != 0) {
		err = reply->err;
		dlc_err_what(&err, "FilterLogEvents on %s", g->name);
		/* The same window again at the next poll, a few times. */
		if (++g->bad_answers >= LOGTAIL_BAD_ANSWERS)
			logtail_gap(g, &err, now);
		else {
			lt->st.retries_failed++;
			g->due = now + (uint64_t)lt->o.poll_ms;
		}
	} else {
		logtail_page(g, page, now);
		logtail_check_phase(lt);
	}
	if (lt->state == LOGTAIL_DONE || lt->state == LOGTAIL_FAILED)
		return;
	logtail_release(lt, 0);
	logtail_pump(lt);
}

static void
logtail_send(struct logtail_group *g)
{
	struct logtail *lt = g->lt;
	struct logs_filter_args a;

	memset(&a, 0, sizeof a);
	a.group = g->name;
	a.start_ms = g->win_start;
	a.end_ms = g->win_end;
	a.filter_pattern = lt->pattern;
	a.next_token = g->token;
	a.limit = lt->o.page_limit;
	lt->st.api_calls++;
	g->call = logs_filter_log_events(lt->env, &a, logtail_done, g);
}

/* ---- public ---- */

struct logtail *
logtail_new(struct aws_env *env, const char *const *groups, size_t n_groups,
    const struct logtail_opts *opts, logtail_event_cb on_event,
    logtail_state_cb on_state, void *arg)
{
	struct logtail *lt;
	size_t i;

	if (opts == NULL || opts->loop == NULL || n_groups == 0 ||
	    n_groups > UINT16_MAX || on_event == NULL)
		return NULL;
	if (opts->filter_pattern != NULL &&
	    strlen(opts->filter_pattern) > LOGTAIL_MAX_PATTERN)
		return NULL;
	lt = xcalloc(1, sizeof *lt);
	lt->env = env;
	lt->loop = opts->loop;
	lt->o = *opts;
	lt->o.filter_pattern = NULL;
	if (lt->o.overlap_ms <= 0)
		lt->o.overlap_ms = LOGTAIL_OVERLAP_MS;
	if (lt->o.poll_ms <= 0)
		lt->o.poll_ms = LOGTAIL_POLL_MS;
	if (lt->o.reorder_ms == 0)
		lt->o.reorder_ms = LOGTAIL_REORDER_MS;
	if (lt->o.requests_per_s <= 0)
		lt->o.requests_per_s = LOGTAIL_RATE;
	if (lt->o.since_ms < 0)
		lt->o.since_ms = 0;
	if (lt->o.until_ms >= 0)
		lt->o.follow = 0;
	lt->pattern = opts->filter_pattern != NULL ?
	    xstrdup(opts->filter_pattern) : NULL;
	lt->on_event = on_event;
	lt->on_state = on_state;
	lt->arg = arg;
	lt->newest_delivered = INT64_MIN;
	lt->g = xcalloc(n_groups, sizeof *lt->g);
	lt->n = n_groups;
	for (i = 0; i < n_groups; i++) {
		struct logtail_group *g = &lt->g[i];

		g->lt = lt;
		g->idx = i;
		g->name = xstrdup(groups[i]);
		g->phase = LT_HISTORY;
		g->newest = INT64_MIN;
		g->watermark = INT64_MIN;
		g->forgotten = INT64_MIN;
		g->seen = logdedup_new();
	}
	if (opts->budget != NULL)
		lt->budget = opts->budget;
	else
		lt->budget = lt->own_budget = logtail_budget_new(lt->o.requests_per_s);
	lt->pump_timer = loop_timer_new(lt->loop, logtail_pump, lt);
	lt->flush_timer = loop_timer_new(lt->loop, logtail_flush_cb, lt);
	return lt;
}

void
logtail_start(struct logtail *lt)
{
	int64_t wall = logtail_wall_ms();
	size_t i;

	if (lt == NULL || lt->started)
		return;
	lt->started = 1;
	lt->started_at = loop_now_ms();
	lt->follow_origin = wall;
	for (i = 0; i < lt->n; i++) {
		struct logtail_group *g = &lt->g[i];

		g->win_start = lt->o.since_ms;
		/* Following: history stops at now, the follow window takes over. */
		g->win_end = lt->o.until_ms >= 0 ? lt->o.until_ms :
		    lt->o.follow ? wall : -1;
		g->due = lt->started_at;
	}
	/* From the loop, so no callback runs inside logtail_start. */
	loop_timer_start(lt->pump_timer, 0);
}

int
logtail_set_filter(struct logtail *lt, const char *pattern)
{
	uint64_t now = loop_now_ms();
	size_t i;

	if (pattern != NULL && strlen(pattern) > LOGTAIL_MAX_PATTERN)
		return -1;
	free(lt->pattern);
	lt->pattern = pattern != NULL ? xstrdup(pattern) : NULL;
	if (!lt->started || lt->state == LOGTAIL_DONE ||
	    lt->state == LOGTAIL_FAILED)
		return 0;
	for (i = 0; i < lt->n; i++) {
		struct logtail_group *g = &lt->g[i];

		if (g->phase == LT_DONE)
			continue;
		if (g->call != NULL) {
			aws_call_cancel(g->call);
			g->call = NULL;
		}
		free(g->token);
		g->token = NULL;
		if (g->newest != INT64_MIN) {
			/* Without follow, late events are not looked for. */
			int64_t start = g->newest - (lt->o.follow ? logtail_overlap(lt) : 0);

			if (start < lt->o.since_ms)
				start = lt->o.since_ms;
			g->win_start = start > g->forgotten ? start :
			    g->forgotten;
		}
		g->idle_ms = lt->o.poll_ms;
		g->due = now;
	}
	loop_timer_start(lt->pump_timer, 0);
	return 0;
}

int
logtail_retry_now(struct logtail *lt)
{
	uint64_t now = loop_now_ms();
	size_t i;

	if (!lt->started || lt->state == LOGTAIL_DONE ||
	    lt->state == LOGTAIL_FAILED)
		return -1;
	for (i = 0; i < lt->n; i++) {
		struct logtail_group *g = &lt->g[i];

		if (g->phase == LT_DONE || g->call != NULL)
			continue;
		g->due = now;
	}
	loop_timer_start(lt->pump_timer, 0);
	return 0;
}

enum logtail_state
logtail_state(const struct logtail *lt)
{
	return lt->state;
}

int
logtail_group_missing(const struct logtail *lt, size_t i)
{
	return i < lt->n && lt->g[i].missing_ms > 0;
}

void
logtail_stats(const struct logtail *lt, struct logtail_stats *out)
{
	uint64_t elapsed;
	size_t i;

	*out = lt->st;
	out->outage_since_ms = lt->outage_since;
	out->last_read_ms = lt->last_read;
	out->missing = 0;
	for (i = 0; i < lt->n; i++)
		if (lt->g[i].missing_ms > 0)
			out->missing++;
	out->lag_ms = lt->newest_delivered == INT64_MIN ? 0 :
	    logtail_wall_ms() - lt->newest_delivered;
	elapsed = lt->started ? loop_now_ms() - lt->started_at : 0;
	out->events_per_s = elapsed > 0 ?
	    (double)lt->st.events * 1000.0 / (double)elapsed : 0.0;
}

void
logtail_free(struct logtail *lt)
{
	size_t i;

	if (lt == NULL)
		return;
	for (i = 0; i < lt->n; i++) {
		aws_call_cancel(lt->g[i].call);
		free(lt->g[i].name);
		free(lt->g[i].token);
		logdedup_free(lt->g[i].seen);
	}
	for (i = 0; i < lt->n_heap; i++)
		log_event_clear(&lt->pend[i].ev);
	for (i = lt->run_head; i < lt->run_n; i++)
		log_event_clear(&lt->run[i].ev);
	free(lt->pend);
	free(lt->run);
	free(lt->g);
	loop_timer_free(lt->pump_timer);
	loop_timer_free(lt->flush_timer);
	free(lt->pattern);
	logtail_budget_free(lt->own_budget);
	free(lt);
}
