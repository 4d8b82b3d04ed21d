/*
 * The log view's buffer: a bounded collection of events kept in
 * FilterLogEvents order (timestamp, ingestion time, eventId), with caps on
 * both the number of events and the bytes they use. When a cap is hit the
 * oldest events are evicted and counted, never dropped silently.
 *
 * Events are stored compactly (packed records in large chunks, stream
 * names interned, AWS's 56-digit eventIds packed as binary) so a million
 * 100-byte messages cost under 1.5x the message bytes. logring_bytes()
 * counts every allocation the ring holds.
 */
#ifndef DLC_LOGRING_H
#define DLC_LOGRING_H

#include <stddef.h>
#include <stdint.h>

#include "logevent.h"

#define LOGRING_DEFAULT_EVENTS	1000000
#define LOGRING_DEFAULT_BYTES	((size_t)1024 * 1024 * 1024)

struct logring;

/* 0 for either cap means its default. */
struct logring	*logring_new(size_t max_events, size_t max_bytes);
void		 logring_free(struct logring *ring);
/*
 * Copies ev in, at its place in time order: late events (older than the
 * newest) are placed correctly too, cheaply when they are near the end.
 * Evicts the oldest events when a cap is exceeded. Returns 0.
 */
int		 logring_add(struct logring *ring, const struct log_event *ev);
/*
 * Adds a marker (flags LOG_EVENT_GAP) for a window that could not be read:
 * timestamp = from_ms, ingestion_time = to_ms, message = why, no stream.
 */
void		 logring_add_gap(struct logring *ring, int64_t from_ms,
		    int64_t to_ms, const char *why);
size_t		 logring_count(const struct logring *ring);
/*
 * Where the last logring_add put its event, after any eviction it caused
 * (SIZE_MAX when that event was itself evicted): a view keeping indices
 * moves those at or past it up by one.
 */
size_t		 logring_last_index(const struct logring *ring);
/* The flags (LOG_EVENT_*) of event i, read or changed in place; 0 past the end. */
uint8_t		 logring_flags(const struct logring *ring, size_t i);
void		 logring_set_flags(struct logring *ring, size_t i, uint8_t flags);
/*
 * Event i, 0 the oldest; NULL past the end. The returned event belongs to
 * the ring and stays valid until the ring changes or LOGRING_AT_SLOTS more
 * logring_at calls are made; its message is NUL-terminated.
 */
#define LOGRING_AT_SLOTS	16
const struct log_event *logring_at(const struct logring *ring, size_t i);
/*
 * Only the message of event i, without decoding the rest (for searching a
 * million lines fast); NULL past the end. Valid until the ring changes.
 */
const char	*logring_message(const struct logring *ring, size_t i,
		    size_t *len);
/* Events evicted because of the caps since creation (or clear). */
uint64_t	 logring_dropped(const struct logring *ring);
/* Bumps on every change, so a view knows to redraw. */
uint64_t	 logring_version(const struct logring *ring);
/* Bytes of every allocation the ring holds. */
size_t		 logring_bytes(const struct logring *ring);
/* Forgets every event and the dropped count; keeps the caps. */
void		 logring_clear(struct logring *ring);

#endif
