/*
 * Exactly-once delivery for the log follower: it re-queries an overlapping
 * window to catch late events, so the same event comes back many times;
 * this remembers what was already shown: a set of 64-bit keys (a hash of
 * the eventId, or of stream, timestamp, ingestion time and message when
 * there is no eventId, as with GetLogEvents), kept by timestamp so the
 * follower can forget what is older than its window.
 */
#ifndef DLC_LOGDEDUP_H
#define DLC_LOGDEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "logevent.h"

struct logdedup;

struct logdedup	*logdedup_new(void);
void		 logdedup_free(struct logdedup *d);
/*
 * 1 when ev is new (and is now remembered), 0 when it was seen before. A
 * repeat is the same event, so it has the same timestamp too.
 */
int		 logdedup_check(struct logdedup *d, const struct log_event *ev);
/* Forgets events whose timestamp is before older_than_ms. */
void		 logdedup_expire(struct logdedup *d, int64_t older_than_ms);
/* Events remembered. */
size_t		 logdedup_size(const struct logdedup *d);
/* Bytes the set holds, for the health line. */
size_t		 logdedup_bytes(const struct logdedup *d);
/* The key logdedup_check uses (never 0). */
uint64_t	 logdedup_key(const struct log_event *ev);

#endif
