/*
 * A list operation driven over all its pages: each page's token
 * (NextMarker, nextToken, NextToken: whatever the operation's next_token
 * reads) is sent back until a page has none. Paging stops with an error
 * when AWS hands back the token it was just sent (it would loop forever)
 * or after a cap of pages.
 */
#ifndef DLC_PAGINATE_H
#define DLC_PAGINATE_H

#include "aws-op.h"

enum paginate_status {
	PAGINATE_DONE,			/* the last page came */
	PAGINATE_CALL_FAILED,		/* a page's call failed: err is its error */
	PAGINATE_BAD_ANSWER,		/* a page did not parse */
	PAGINATE_REPEATED_TOKEN,	/* RepeatedToken: the same token came back */
	PAGINATE_TOO_MANY_PAGES,	/* TooManyPages: the cap was reached */
};

/*
 * Runs once when paging ends (never after paginate_cancel): err is NULL for
 * PAGINATE_DONE. The paginator is freed when it returns.
 */
typedef void (*paginate_done_cb)(enum paginate_status status,
	    struct dlc_err *err, void *arg);

struct paginate;

/*
 * Starts paging op (its next_token must be set) with args, a string copied
 * here (NULL for operations without one), from the first page. on_page is
 * op's typed callback cast to aws_op_fn: it gets every page that parsed,
 * in order, and may take its members over; it is never called with a
 * failure. At most max_pages pages (<= 0: PAGINATE_MAX_PAGES) are fetched.
 * Nothing runs before the loop does.
 */
struct paginate *paginate_start(struct aws_env *env, const struct aws_op *op,
	    const char *args, int max_pages, aws_op_fn on_page,
	    paginate_done_cb on_done, void *arg);

/*
 * Stops paging: neither callback runs again. Allowed from inside on_page;
 * not after on_done has run (the paginator is gone). NULL is a no-op.
 */
void	paginate_cancel(struct paginate *pg);

/* Pages delivered so far. */
int	paginate_pages(const struct paginate *pg);

#define PAGINATE_MAX_PAGES	1000

#endif
