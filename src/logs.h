/*
 * CloudWatch Logs (json 1.1, Logs_20140328): the FilterLogEvents operation,
 * its request body and its answer's parser. Log messages may hold anything
 * (NUL as \u0000, up to 256 KiB, any Unicode), so the answers are read by a
 * small scanner of our own that keeps each message's length; cJSON would
 * cut a message at its first NUL. A malformed answer is an error naming
 * the field, never a crash.
 */
#ifndef DLC_LOGS_H
#define DLC_LOGS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "logevent.h"


/* Largest message kept (AWS's event limit is 256 KiB counting 26 bytes). */
#define LOGS_MAX_MESSAGE	(1024u * 1024)
/* Most events one page may hold (AWS: 10,000). */
#define LOGS_MAX_PAGE_EVENTS	100000u

/*
 * FilterLogEvents body (caller frees). end_ms < 0: no endTime;
 * filter_pattern, next_token NULL: none; limit 0: omitted; n_streams 0:
 * the whole group.
 */
char	*logs_filter_log_events_body(const char *group, int64_t start_ms,
	    int64_t end_ms, const char *filter_pattern, const char *next_token,
	    int limit, const char *const *streams, size_t n_streams);

struct logs_filter_page {
	struct log_event	*events;
	size_t			 n;
	char			*next_token;	/* NULL: the last page */
};

/*
 * Fills out (which the caller clears) from a FilterLogEvents answer. An
 * empty page with a nextToken is normal: the caller continues. Returns 0,
 * or -1 with err set and out left empty.
 */
int	logs_parse_filter_log_events(const char *body, size_t len,
	    struct logs_filter_page *out, struct dlc_err *err);
void	logs_filter_page_clear(struct logs_filter_page *page);

struct aws_env;
struct aws_call;
struct aws_reply;

/* What a FilterLogEvents request asks; see logs_filter_log_events_body. */
struct logs_filter_args {
	const char		*group;
	int64_t			 start_ms, end_ms;
	const char		*filter_pattern;
	const char		*next_token;	/* NULL: the token given to the op, if any */
	int			 limit;
	const char *const	*streams;
	size_t			 n_streams;
};

/* page is NULL when reply->ok != 0; it is cleared after the callback. */
typedef void (*logs_filter_log_events_cb)(struct aws_reply *reply,
	    struct logs_filter_page *page, void *arg);

/* FilterLogEvents (args read only during the call); see aws-op.h. */
struct aws_call *logs_filter_log_events(struct aws_env *env,
	    const struct logs_filter_args *args, logs_filter_log_events_cb cb,
	    void *arg);
extern const struct aws_op logs_op_filter_log_events;

#endif
