/*
 * The set of events seen: see logdedup.h. A duplicate always has the same
 * timestamp as the event it repeats, so the set is cut by time: a sorted
 * array of buckets, one per 1,024 ms of timestamps, each a small
 * open-addressing table (linear probing, at most half full). Events come
 * nearly in time order, so one bucket takes a whole run of them and stays
 * in cache: a single table over the window (tens of thousands of events
 * when ingestion lags) missed the cache on nearly every event, as the
 * pages streaming through evict it. Expiry frees whole buckets and rebuilds
 * only the one the cut falls in.
 *
 * A slot packs the key's top 54 bits over the timestamp's offset in its
 * bucket (10 bits), so the cut inside a bucket is exact; 0 is empty.
 */
#include "logdedup.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define LOGDEDUP_BUCKET_SHIFT	10	/* 1,024 ms a bucket */
#define LOGDEDUP_OFFSET_MASK	((1u << LOGDEDUP_BUCKET_SHIFT) - 1)
#define LOGDEDUP_MIN_SLOTS	32

struct logdedup_bucket {
	int64_t		 n;		/* timestamp >> LOGDEDUP_BUCKET_SHIFT */
	uint64_t	*slots;
	uint32_t	 size;		/* power of two */
	uint32_t	 used;
};

struct logdedup {
	struct logdedup_bucket	*b;	/* sorted by n */
	size_t			 n, cap;
	size_t			 last;	/* the bucket used last: the next is likely it */
	size_t			 used;
	size_t			 slot_bytes;
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

/* A 64-bit finaliser (murmur3's): every input bit reaches every output bit. */
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

/*
 * An eventId eight bytes a step (multiply, rotate), mixed once at the end
 * by logdedup_key: AWS's ids are 56 digits, and a byte-at-a-time hash was
 * a chain of 56 dependent multiplications an event.
 */
static uint64_t
logdedup_id_hash(const char *id, size_t len)
{
	uint64_t h = FNV_OFFSET ^ len, w;

	while (len >= 8) {
		memcpy(&w, id, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h = (h << 31) | (h >> 33);
		id += 8;
		len -= 8;
	}
	w = 0;
	memcpy(&w, id, len);
	return (h ^ w) * 0xc2b2ae3d27d4eb4fULL;
}

uint64_t
logdedup_key(const struct log_event *ev)
{
	uint64_t h;

	if (ev->event_id[0] != '\0')
		h = logdedup_id_hash(ev->event_id, strlen(ev->event_id));
	else {
		uint64_t mh = logdedup_fnv(FNV_OFFSET, ev->message,
		    ev->message == NULL ? 0 : ev->message_len);

		h = logdedup_fnv(FNV_OFFSET, "s", 1);
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
	return xcalloc(1, sizeof(struct logdedup));
}

void
logdedup_free(struct logdedup *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		free(d->b[i].slots);
	free(d->b);
	free(d);
}

/* The slot value of key at offset off; never 0. */
static uint64_t
logdedup_slot(uint64_t key, uint32_t off)
{
	return (key & ~(uint64_t)LOGDEDUP_OFFSET_MASK) | off |
	    ((uint64_t)1 << 63);
}

/* The probe start: the key's bits above the offset. */
static uint32_t
logdedup_home(uint64_t slot, uint32_t size)
{
	return (uint32_t)(slot >> LOGDEDUP_BUCKET_SHIFT) & (size - 1);
}

static void
logdedup_put(uint64_t *slots, uint32_t size, uint64_t v)
{
	uint32_t i = logdedup_home(v, size);

	while (slots[i] != 0)
		i = (i + 1) & (size - 1);
	slots[i] = v;
}

/* Rehashes bucket b into size slots, keeping offsets from keep_off on. */
static void
logdedup_rebuild(struct logdedup *d, struct logdedup_bucket *b, uint32_t size,
    uint32_t keep_off)
{
	uint64_t *ns = xcalloc(size, sizeof *ns);
	uint32_t i, used = 0;

	for (i = 0; i < b->size; i++) {
		uint64_t v = b->slots[i];

		if (v == 0 || (uint32_t)(v & LOGDEDUP_OFFSET_MASK) < keep_off)
			continue;
		logdedup_put(ns, size, v);
		used++;
	}
	free(b->slots);
	d->slot_bytes += (size_t)size * sizeof *ns - (size_t)b->size * sizeof *ns;
	d->used -= b->used - used;
	b->slots = ns;
	b->size = size;
	b->used = used;
}

/* The bucket for timestamp-bucket n, made if need be. */
static struct logdedup_bucket *
logdedup_bucket(struct logdedup *d, int64_t n)
{
	size_t lo = 0, hi = d->n;
	struct logdedup_bucket *b;

	if (d->last < d->n && d->b[d->last].n == n)
		return &d->b[d->last];
	/* Most often the next bucket, appended at the end. */
	if (d->n > 0 && d->b[d->n - 1].n < n)
		lo = d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->b[mid].n < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < d->n && d->b[lo].n == n) {
		d->last = lo;
		return &d->b[lo];
	}
	if (d->n == d->cap) {
		d->cap = d->cap == 0 ? 16 : d->cap * 2;
		d->b = xreallocarray(d->b, d->cap, sizeof *d->b);
	}
	if (lo < d->n)
		memmove(&d->b[lo + 1], &d->b[lo], (d->n - lo) * sizeof *d->b);
	d->n++;
	b = &d->b[lo];
	b->n = n;
	b->size = LOGDEDUP_MIN_SLOTS;
	b->used = 0;
	b->slots = xcalloc(b->size, sizeof *b->slots);
	d->slot_bytes += b->size * sizeof *b->slots;
	d->last = lo;
	return b;
}

int
logdedup_check(struct logdedup *d, const struct log_event *ev)
{
	struct logdedup_bucket *b = logdedup_bucket(d,
	    ev->timestamp >> LOGDEDUP_BUCKET_SHIFT);
	uint64_t v = logdedup_slot(logdedup_key(ev),
	    (uint32_t)ev->timestamp & LOGDEDUP_OFFSET_MASK);
	uint32_t i = logdedup_home(v, b->size);

	while (b->slots[i] != 0) {
		if (b->slots[i] == v)
			return 0;
		i = (i + 1) & (b->size - 1);
	}
	b->slots[i] = v;
	b->used++;
	d->used++;
	if (b->used * 2 > b->size)
		logdedup_rebuild(d, b, b->size * 2, 0);
	return 1;
}

void
logdedup_expire(struct logdedup *d, int64_t older_than_ms)
{
	int64_t cut = older_than_ms >> LOGDEDUP_BUCKET_SHIFT;
	size_t drop = 0;

	while (drop < d->n && d->b[drop].n < cut) {
		d->used -= d->b[drop].used;
		d->slot_bytes -= d->b[drop].size * sizeof *d->b[drop].slots;
		free(d->b[drop].slots);
		drop++;
	}
	if (drop > 0) {
		memmove(d->b, d->b + drop, (d->n - drop) * sizeof *d->b);
		d->n -= drop;
	}
	d->last = 0;
	if (d->n > 0 && d->b[0].n == cut) {
		struct logdedup_bucket *b = &d->b[0];
		uint32_t size = b->size;

		logdedup_rebuild(d, b, size,
		    (uint32_t)older_than_ms & LOGDEDUP_OFFSET_MASK);
		/* Shrink so memory follows what is kept. */
		while (size > LOGDEDUP_MIN_SLOTS && b->used * 8 < size)
			size /= 2;
		if (size != b->size)
			logdedup_rebuild(d, b, size, 0);
	}
	/* A long follow's bucket array shrinks with its window too. */
	if (d->cap > 64 && d->n * 4 < d->cap) {
		d->cap /= 2;
		d->b = xreallocarray(d->b, d->cap, sizeof *d->b);
	}
}

size_t
logdedup_size(const struct logdedup *d)
{
	return d->used;
}

size_t
logdedup_bytes(const struct logdedup *d)
{
	return sizeof *d + d->cap * sizeof *d->b + d->slot_bytes;
}
