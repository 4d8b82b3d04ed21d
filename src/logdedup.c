/*
 * Open-addressing hash set of event keys: see logdedup.h. Linear probing
 * at most half full; expiry rebuilds the table, which the follower does
 * once per poll, so its cost is one pass over a bounded set.
 */
#include "logdedup.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define LOGDEDUP_MIN	1024

struct logdedup_slot {
	uint64_t	key;	/* 0 = empty */
	int64_t		ts;
};

struct logdedup {
	struct logdedup_slot	*slots;
	size_t			 size;	/* power of two */
	size_t			 used;
};

#define FNV_OFFSET	1469598103934665603ULL
#define FNV_PRIME	1099511628211ULL

static uint64_t
logdedup_fnv(uint64_t h, const void *p, size_t len)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* FNV-1a's low bits are weak for probing; finish with a 64-bit mixer. */
static uint64_t
logdedup_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t
logdedup_key(const struct log_event *ev)
{
	uint64_t h = FNV_OFFSET;

	if (ev->event_id[0] != '\0') {
		h = logdedup_fnv(h, "i", 1);
		h = logdedup_fnv(h, ev->event_id, strlen(ev->event_id));
	} else {
		uint64_t mh = logdedup_fnv(FNV_OFFSET, ev->message,
		    ev->message == NULL ? 0 : ev->message_len);

		h = logdedup_fnv(h, "s", 1);
		if (ev->stream != NULL)
			h = logdedup_fnv(h, ev->stream, strlen(ev->stream) + 1);
		else
			h = logdedup_fnv(h, "", 1);
		h = logdedup_fnv(h, &ev->timestamp, sizeof ev->timestamp);
		h = logdedup_fnv(h, &ev->ingestion_time,
		    sizeof ev->ingestion_time);
		h = logdedup_fnv(h, &mh, sizeof mh);
	}
	h = logdedup_mix(h);
	return h == 0 ? 1 : h;
}

struct logdedup *
logdedup_new(void)
{
	struct logdedup *d = xcalloc(1, sizeof *d);

	d->size = LOGDEDUP_MIN;
	d->slots = xcalloc(d->size, sizeof *d->slots);
	return d;
}

void
logdedup_free(struct logdedup *d)
{
	if (d == NULL)
		return;
	free(d->slots);
	free(d);
}

static void
logdedup_put(struct logdedup_slot *slots, size_t size, uint64_t key,
    int64_t ts)
{
	size_t i = key & (size - 1);

	while (slots[i].key != 0)
		i = (i + 1) & (size - 1);
	slots[i].key = key;
	slots[i].ts = ts;
}

/* Rehashes into size slots, keeping only keys with ts >= keep_from. */
static void
logdedup_rebuild(struct logdedup *d, size_t size, int64_t keep_from)
{
	struct logdedup_slot *ns = xcalloc(size, sizeof *ns);
	size_t i, used = 0;

	for (i = 0; i < d->size; i++) {
		if (d->slots[i].key == 0 || d->slots[i].ts < keep_from)
			continue;
		logdedup_put(ns, size, d->slots[i].key, d->slots[i].ts);
		used++;
	}
	free(d->slots);
	d->slots = ns;
	d->size = size;
	d->used = used;
}

int
logdedup_check(struct logdedup *d, const struct log_event *ev)
{
	uint64_t key = logdedup_key(ev);
	size_t i = key & (d->size - 1);

	while (d->slots[i].key != 0) {
		if (d->slots[i].key == key)
			return 0;
		i = (i + 1) & (d->size - 1);
	}
	d->slots[i].key = key;
	d->slots[i].ts = ev->timestamp;
	d->used++;
	if (d->used * 2 > d->size)
		logdedup_rebuild(d, d->size * 2, INT64_MIN);
	return 1;
}

void
logdedup_expire(struct logdedup *d, int64_t older_than_ms)
{
	size_t size;

	logdedup_rebuild(d, d->size, older_than_ms);
	/* Shrink so memory follows the window, not the busiest minute. */
	size = d->size;
	while (size > LOGDEDUP_MIN && d->used * 8 < size)
		size /= 2;
	if (size != d->size)
		logdedup_rebuild(d, size, older_than_ms);
}

size_t
logdedup_size(const struct logdedup *d)
{
	return d->used;
}

size_t
logdedup_bytes(const struct logdedup *d)
{
	return sizeof *d + d->size * sizeof *d->slots;
}
