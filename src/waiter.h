/*
 * Waiting for AWS to reach a state: poll one operation at an interval,
 * read its answer with a small table of matchers (botocore's waiters: a
 * member path and the value expected there, or an error code, each naming
 * a state), and end on success, on failure (with the reason the answer
 * gives), or at a cap of attempts and total time. A push waits so on
 * Lambda's LastUpdateStatus; the deploy queue on its lease. Only loop
 * timers: nothing sleeps.
 */
#ifndef DLC_WAITER_H
#define DLC_WAITER_H

#include <stddef.h>

#include "aws-op.h"

struct loop;

enum waiter_state {
	WAITER_RETRY,
	WAITER_SUCCESS,
	WAITER_FAILURE,
};

enum waiter_match {
	WAITER_MATCH_PATH,	/* a member of the JSON answer */
	WAITER_MATCH_ERROR,	/* the call failed with this error code */
};

struct waiter_matcher {
	enum waiter_match	 match;
	/* PATH: dotted members from the answer's root, "Configuration.LastUpdateStatus". */
	const char		*path;
	/* PATH: the value there (strings as they are, booleans "true"/"false"); ERROR: the code. */
	const char		*expected;
	enum waiter_state	 state;
	/* FAILURE: the member that says why ("LastUpdateStatusReason"), or NULL. */
	const char		*reason_path;
};

struct waiter_config {
	const struct waiter_matcher *matchers;	/* the first that matches decides */
	size_t		 n_matchers;
	long		 interval_ms;	/* between the end of one poll and the next */
	long		 max_wait_ms;	/* in all, from waiter_start (<= 0: no limit but attempts) */
	int		 max_attempts;	/* polls in all (<= 0: no limit but time) */
};

/*
 * After every poll that neither succeeded nor failed: its number (from 1)
 * and what the first path matcher read (NULL when absent or an error).
 */
typedef void (*waiter_progress_cb)(int attempt, const char *value, void *arg);
/*
 * Once, at the end (never after waiter_cancel): err NULL on success; else
 * code WaiterFailure (a failure matcher: the message quotes the value and
 * its reason), WaiterTimeout (a cap), or the call's own error when no
 * matcher expected it. The waiter is freed when it returns.
 */
typedef void (*waiter_done_cb)(const struct dlc_err *err, void *arg);

struct waiter;

/*
 * Polls op with args (a string, copied; NULL when op takes none), first
 * from the loop at once. The operation must answer JSON. cfg and its
 * matchers must outlive the waiter (static tables do). Never NULL.
 */
struct waiter *waiter_start(struct loop *loop, struct aws_env *env,
	    const struct aws_op *op, const char *args,
	    const struct waiter_config *cfg, waiter_progress_cb progress,
	    waiter_done_cb done, void *arg);

/*
 * Stops waiting: no callback runs afterwards. Allowed from inside the
 * progress callback; not after done has run. NULL is a no-op.
 */
void	waiter_cancel(struct waiter *w);

#endif
