/*
 * CloudWatch Logs (json 1.1, Logs_20140328) request bodies and answer
 * parsers: FilterLogEvents, GetLogEvents, DescribeLogGroups and
 * DescribeLogStreams. Log messages may hold anything (NUL as \u0000, up to
 * 256 KiB, any Unicode), so the event answers are read by a small scanner
 * of our own that keeps each message's length; cJSON would cut a message at
 * its first NUL. Pure functions over bytes: no I/O. A malformed answer is an
 * error naming the field, never a crash.
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

/*
 * GetLogEvents body (caller frees): oldest first (startFromHead), as a
 * forward token must be sent with it. start_ms/end_ms < 0: none; end is
 * exclusive; next_token NULL: the first page; limit 0: omitted.
 */
char	*logs_get_log_events_body(const char *group, const char *stream,
	    int64_t start_ms, int64_t end_ms, const char *next_token, int limit);

struct logs_get_page {
	struct log_event	*events;	/* no eventId on the wire: see below */
	size_t			 n;
	char			*next_forward, *next_backward;
	int			 at_end;	/* the forward token equals the one sent */
};

/*
 * GetLogEvents answer. stream names each event (the answer does not);
 * sent_token is the token of the request (NULL for the first page). As the
 * answer has no eventId, each event gets "h" plus a hash of (stream,
 * timestamp, ingestion time, message), which is what de-duplication can
 * key on (aws-notes.md trap 5).
 */
int	logs_parse_get_log_events(const char *body, size_t len,
	    const char *stream, const char *sent_token, struct logs_get_page *out,
	    struct dlc_err *err);
void	logs_get_page_clear(struct logs_get_page *page);

/* DescribeLogGroups body (caller frees); prefix, next_token NULL: none. */
char	*logs_describe_log_groups_body(const char *prefix,
	    const char *next_token);

struct logs_group {
	char	*name;
	char	*arn;
	int64_t	 creation_time;
	int64_t	 retention_days;	/* 0: never expires */
	int64_t	 stored_bytes;
};

struct logs_groups_page {
	struct logs_group	*groups;
	size_t			 n;
	char			*next_token;
};

int	logs_parse_describe_log_groups(const char *body, size_t len,
	    struct logs_groups_page *out, struct dlc_err *err);
void	logs_groups_page_clear(struct logs_groups_page *page);

/* DescribeLogStreams body, newest event first (caller frees). */
char	*logs_describe_log_streams_body(const char *group,
	    const char *next_token, int limit);

struct logs_stream {
	char	*name;
	int64_t	 creation_time;
	int64_t	 first_event, last_event, last_ingestion;	/* 0: none */
};

struct logs_streams_page {
	struct logs_stream	*streams;
	size_t			 n;
	char			*next_token;
};

int	logs_parse_describe_log_streams(const char *body, size_t len,
	    struct logs_streams_page *out, struct dlc_err *err);
void	logs_streams_page_clear(struct logs_streams_page *page);

#endif
