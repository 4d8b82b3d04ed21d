/*
 * The log tail engine: reads the history of one or more CloudWatch Logs
 * groups with FilterLogEvents, then (optionally) follows them, and hands
 * every event to the caller exactly once, merged across groups in time
 * order. Following re-reads a trailing window (30 s, widened to the
 * ingestion delay it sees) and de-duplicates by eventId, so late-ingested
 * events still show and nothing doubles. One request budget (a token
 * bucket, slowed by throttling) is shared by all groups. Retries are
 * aws.c's (standard mode), never added here: a call that still fails
 * with something retrying may fix (5xx, throttling, a reset) ends a
 * session without follow; following, it starts an outage (on_outage),
 * and the same window is read again at the next poll, never skipped.
 * A failure that retrying cannot fix (no credentials, an expired SSO
 * login, AccessDenied, a missing group unless missing_retry_ms waits for
 * it) is reported at once as a gap,
 * the other groups go on, and the session fails when no group can be read.
 * Everything runs from the event loop; callbacks never run from inside a
 * logtail_* call.
 */
#ifndef DLC_LOGTAIL_H
#define DLC_LOGTAIL_H

#include <stddef.h>
#include <stdint.h>

#include "aws.h"
#include "err.h"
#include "logs.h"

struct loop;

/*
 * The request budget (a token bucket plus the throttle backoff). Every
 * logtail sharing one draws on the same quota, as AWS counts FilterLogEvents
 * per account and region: give all views of an account the same budget.
 */
struct logtail_budget;
struct logtail_budget *logtail_budget_new(double requests_per_s);	/* <= 0: 5 */
/* Free after every logtail using it. NULL is a no-op. */
void	logtail_budget_free(struct logtail_budget *b);

enum logtail_state { LOGTAIL_HISTORY, LOGTAIL_FOLLOWING, LOGTAIL_DONE, LOGTAIL_FAILED };

/* Zero means the default for every number. */
struct logtail_opts {
	struct loop	*loop;		/* required: the loop the aws calls run on */
	int64_t		 since_ms;	/* epoch ms, inclusive */
	int64_t		 until_ms;	/* <0: none; when set, follow is ignored */
	const char	*filter_pattern;	/* NULL: every event */
	int		 follow;
	int64_t		 overlap_ms;	/* 30000, widened to the delay seen */
	long		 poll_ms;	/* 1000 while events flow, to 5x when idle */
	size_t		 reorder_ms;	/* 500: how long events wait for others */
	double		 requests_per_s;	/* 5: the budget all groups share */
	struct logtail_budget *budget;	/* NULL: its own of requests_per_s; borrowed */
	int		 page_limit;	/* FilterLogEvents limit; 0: AWS's (10,000) */
	/*
	 * Following: reads began failing at since_ms (wall ms) with err, or
	 * (err NULL) they work again. Called once per outage each way.
	 */
	void		(*on_outage)(int64_t since_ms, const struct dlc_err *err, void *arg);
	/*
	 * Following: a group that does not exist yet (ResourceNotFoundException:
	 * a function never invoked has none) is waited for, asked again after
	 * this many ms, then twice that, never longer, and its events read from
	 * when following began once it appears. 0: it is a gap like AccessDenied.
	 */
	long		 missing_retry_ms;
};

struct logtail_stats {
	uint64_t	events, duplicates, api_calls, throttles, retries_failed, gaps;
	int64_t		lag_ms;		/* now minus the newest event delivered */
	int64_t		outage_since_ms;	/* wall ms reads began failing; 0: they work */
	int64_t		last_read_ms;	/* wall ms of the last answer read; 0: none yet */
	size_t		missing;	/* groups waited for (missing_retry_ms) */
	double		events_per_s;	/* since logtail_start */
};

/* Each event once; ev->source is the group index; ev is valid during the call. */
typedef void (*logtail_event_cb)(const struct log_event *ev, void *arg);
/*
 * HISTORY done -> FOLLOWING or DONE; FAILED with the AWS error when no
 * group could be read at all; also called for a gap with err set and st
 * unchanged (the window could not be read; the session goes on).
 */
typedef void (*logtail_state_cb)(enum logtail_state st, const struct dlc_err *err,
    void *arg);

/* groups are copied. NULL when opts->loop is missing or n_groups is 0. */
struct logtail *logtail_new(struct aws_env *env, const char *const *groups,
	    size_t n_groups, const struct logtail_opts *opts,
	    logtail_event_cb on_event, logtail_state_cb on_state, void *arg);
void	logtail_start(struct logtail *lt);
/*
 * Switches the filter pattern: every group re-reads from its newest
 * event minus the overlap (without follow, from its newest millisecond),
 * and de-duplication covers the seam, so nothing is lost or doubled. -1 when the pattern is longer than AWS accepts (1024).
 */
int	logtail_set_filter(struct logtail *lt, const char *pattern);
/*
 * Every group that waits (for its next poll, a missing group, the end of
 * an outage) asks again now, within the budget. -1 when the session is
 * over (DONE or FAILED): nothing is asked.
 */
int	logtail_retry_now(struct logtail *lt);
enum logtail_state logtail_state(const struct logtail *lt);
/* 1 while group i is waited for (it does not exist yet: missing_retry_ms). */
int	logtail_group_missing(const struct logtail *lt, size_t i);
void	logtail_stats(const struct logtail *lt, struct logtail_stats *out);
/* Cancels calls in flight. Not from inside a logtail callback. */
void	logtail_free(struct logtail *lt);

#endif
