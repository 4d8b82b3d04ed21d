/*
 * One CloudWatch Logs event as every log module passes it around: the
 * fetcher fills it from FilterLogEvents/GetLogEvents, the de-duplicator
 * keys on it, the ring stores a compact copy, and views print it.
 * A log_event owns its stream and message (log_event_clear frees them),
 * or, when it came from a page of events, shares them with the page's
 * other events in one counted log_arena.
 */
#ifndef DLC_LOGEVENT_H
#define DLC_LOGEVENT_H

#include <stddef.h>
#include <stdint.h>

/* flags */
#define LOG_EVENT_GAP	0x01	/* not an event: a window that could not be read */
/* What a log view learnt of the event, kept with it in the ring (logview.c). */
#define LOG_EVENT_START	0x02	/* Lambda's START line */
#define LOG_EVENT_END	0x04	/* Lambda's END line */
#define LOG_EVENT_REPORT 0x08	/* Lambda's REPORT line */
#define LOG_EVENT_MATCH	0x10	/* matches the view's search */
#define LOG_EVENT_REQUEST 0x20	/* belongs to the request id the view shows */
#define LOG_EVENT_EXPANDED 0x40	/* its JSON is shown pretty-printed */
#define LOG_EVENT_JSON	0x80	/* holds JSON (logparse_json_start) */

/* Room for an eventId and its NUL; AWS ids are 56 digits. */
#define LOG_EVENT_ID_LEN	64

/*
 * The decoded strings of one answer page, shared by the events read from
 * it: one allocation a page instead of two an event (a page holds up to
 * 10,000). Counted: the last event cleared frees it.
 */
struct log_arena;

/* cap bytes of room, and one reference: the caller's. */
struct log_arena *log_arena_new(size_t cap);
char	*log_arena_data(struct log_arena *a);
void	 log_arena_ref(struct log_arena *a);
/* Drops a reference; the last frees the arena. NULL is a no-op. */
void	 log_arena_unref(struct log_arena *a);

struct log_event {
	int64_t	 timestamp;		/* ms since the epoch */
	int64_t	 ingestion_time;	/* ms */
	char	*stream;		/* NULL, owned, or in arena */
	char	*message;		/* NULL, owned or in arena; NUL-terminated too */
	size_t	 message_len;		/* may contain NUL */
	char	 event_id[LOG_EVENT_ID_LEN]; /* "" when unknown (GetLogEvents) */
	uint16_t source;		/* which group/function in a merged view */
	uint8_t	 level;			/* enum log_level, from logparse_level */
	uint8_t	 flags;			/* LOG_EVENT_* */
	struct log_arena *arena;	/* NULL: stream and message are owned */
};

/* Frees stream and message (or drops the arena) and zeroes the event. NULL is a no-op. */
void	log_event_clear(struct log_event *ev);
/* Deep copy: dst receives its own stream and message (dst is overwritten). */
void	log_event_copy(struct log_event *dst, const struct log_event *src);
/*
 * Sets the message to a copy of len bytes (NUL added); frees the old one.
 * An event in an arena leaves it first, taking its own copy of the stream.
 */
void	log_event_set_message(struct log_event *ev, const char *msg,
	    size_t len);
/* Sets event_id, truncated to fit. */
void	log_event_set_id(struct log_event *ev, const char *id);
/*
 * Orders events the way FilterLogEvents does: timestamp, then ingestion
 * time, then eventId. <0, 0 or >0.
 */
int	log_event_cmp(const struct log_event *a, const struct log_event *b);

#endif
