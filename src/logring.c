/*
 * The bounded, time-ordered event buffer: see logring.h.
 *
 * Layout, chosen for the memory target: each event is one packed record
 * (varints, interned stream number, eventId as binary) appended to a
 * chunk; chunks are aligned to their size so a record's chunk header, which
 * holds the base timestamp and a live count, is found by masking the record
 * pointer. The order lives in a separate array of record pointers, so a late
 * event only moves pointers. A chunk is freed when its last record goes.
 */
#include "logring.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define LOGRING_CHUNK_MIN	((size_t)4096)
#define LOGRING_CHUNK_MAX	((size_t)1024 * 1024)
/* A late event is looked for this far back linearly, then by bisection. */
#define LOGRING_LINEAR_BACK	64
#define LOGRING_ID_PACKED	0x80
#define LOGRING_ID_MAX_DIGITS	63

struct logring_chunk {
	struct logring_chunk	*prev, *next;
	size_t			 size;	/* bytes allocated, header included */
	size_t			 used;	/* bytes used, header included */
	size_t			 live;	/* records still in the index */
	int64_t			 base_ts;
};

struct logring_scratch {
	struct log_event	 slot[LOGRING_AT_SLOTS];
	size_t			 next;
};

struct logring {
	size_t			 max_events, max_bytes, chunk_size;
	unsigned char		**idx;	/* records idx[head .. head+n) */
	size_t			 head, n, cap;
	struct logring_chunk	*chunks;	/* every chunk, newest first */
	struct logring_chunk	*cur;		/* the one being filled */
	size_t			 chunk_bytes;
	char			**streams;	/* interned names */
	size_t			 nstreams, streams_cap, stream_bytes;
	uint32_t		*stab;		/* open addressing: index + 1 */
	size_t			 stab_size;
	uint64_t		 dropped, version;
	size_t			 last_index;	/* where the last add put its event */
	struct logring_scratch	*scratch;
};

/* Decoded fixed part of a record. */
struct logring_rec {
	int64_t			 ts, ingestion;
	size_t			 msg_len;
	uint32_t		 stream;	/* 0 none, else index + 1 */
	uint32_t		 source;
	uint8_t			 level, flags, idkind;
	const unsigned char	*id;
	const unsigned char	*msg;
};

static size_t
logring_hdr_size(void)
{
	return (sizeof(struct logring_chunk) + 15) & ~(size_t)15;
}

static struct logring_chunk *
logring_chunk_of(const struct logring *ring, const unsigned char *rec)
{
	return (struct logring_chunk *)((uintptr_t)rec &
	    ~(uintptr_t)(ring->chunk_size - 1));
}

static unsigned char *
logring_put_varint(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static const unsigned char *
logring_get_varint(const unsigned char *p, uint64_t *v)
{
	uint64_t r = 0;
	unsigned shift = 0;

	while (*p & 0x80) {
		r |= (uint64_t)(*p++ & 0x7f) << shift;
		shift += 7;
	}
	r |= (uint64_t)*p++ << shift;
	*v = r;
	return p;
}

static uint64_t
logring_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t
logring_unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Bytes a packed id of n digits takes: ceil(n * log2(10)) bits, rounded up. */
static size_t
logring_id_bytes(size_t ndigits)
{
	return (ndigits * 10 / 3 + 1 + 7) / 8;
}

static int
logring_id_packable(const char *id, size_t n)
{
	size_t i;

	if (n < 10 || n > LOGRING_ID_MAX_DIGITS)
		return 0;
	for (i = 0; i < n; i++)
		if (id[i] < '0' || id[i] > '9')
			return 0;
	return 1;
}

/* Decimal digits to little-endian bytes, base 2^32 limbs on the way. */
static void
logring_id_pack(const char *id, size_t n, unsigned char *out)
{
	uint32_t limb[8] = { 0 };
	size_t i, j, nb = logring_id_bytes(n);

	for (i = 0; i < n; ) {
		uint64_t mul = 1, add = 0, carry;

		for (j = 0; j < 9 && i < n; j++, i++) {
			mul *= 10;
			add = add * 10 + (uint64_t)(id[i] - '0');
		}
		carry = add;
		for (j = 0; j < 8; j++) {
			uint64_t t = (uint64_t)limb[j] * mul + carry;

			limb[j] = (uint32_t)t;
			carry = t >> 32;
		}
	}
	for (i = 0; i < nb; i++)
		out[i] = (unsigned char)(limb[i / 4] >> (8 * (i % 4)));
}

static void
logring_id_unpack(const unsigned char *in, size_t n, char *out)
{
	uint32_t limb[8] = { 0 };
	size_t i, nb = logring_id_bytes(n), pos = n;

	for (i = 0; i < nb; i++)
		limb[i / 4] |= (uint32_t)in[i] << (8 * (i % 4));
	out[n] = '\0';
	while (pos > 0) {
		uint64_t rem = 0;
		int k;

		for (i = 8; i-- > 0; ) {
			uint64_t cur = (rem << 32) | limb[i];

			limb[i] = (uint32_t)(cur / 1000000000u);
			rem = cur % 1000000000u;
		}
		for (k = 0; k < 9 && pos > 0; k++) {
			out[--pos] = (char)('0' + rem % 10);
			rem /= 10;
		}
	}
}

static const unsigned char *
logring_decode(const struct logring *ring, const unsigned char *p,
    struct logring_rec *r)
{
	const struct logring_chunk *c = logring_chunk_of(ring, p);
	uint64_t v;

	p = logring_get_varint(p, &v);
	r->ts = c->base_ts + logring_unzigzag(v);
	p = logring_get_varint(p, &v);
	r->ingestion = r->ts + logring_unzigzag(v);
	p = logring_get_varint(p, &v);
	r->msg_len = (size_t)v;
	p = logring_get_varint(p, &v);
	r->stream = (uint32_t)v;
	p = logring_get_varint(p, &v);
	r->source = (uint32_t)v;
	r->level = *p++;
	r->flags = *p++;
	r->idkind = *p++;
	r->id = p;
	if (r->idkind & LOGRING_ID_PACKED)
		p += logring_id_bytes(r->idkind & ~LOGRING_ID_PACKED);
	else
		p += r->idkind;
	r->msg = p;
	return p + r->msg_len + 1;
}

static void
logring_rec_id(const struct logring_rec *r, char out[LOG_EVENT_ID_LEN])
{
	if (r->idkind & LOGRING_ID_PACKED) {
		logring_id_unpack(r->id, r->idkind & ~LOGRING_ID_PACKED, out);
	} else {
		memcpy(out, r->id, r->idkind);
		out[r->idkind] = '\0';
	}
}

/* ---- stream names ---- */

static uint64_t
logring_fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static void
logring_stab_rebuild(struct logring *ring, size_t size)
{
	size_t i;

	free(ring->stab);
	ring->stab = xcalloc(size, sizeof *ring->stab);
	ring->stab_size = size;
	for (i = 0; i < ring->nstreams; i++) {
		size_t j = logring_fnv(ring->streams[i]) & (size - 1);

		while (ring->stab[j] != 0)
			j = (j + 1) & (size - 1);
		ring->stab[j] = (uint32_t)(i + 1);
	}
}

static uint32_t
logring_intern(struct logring *ring, const char *name)
{
	size_t j, len;

	if (name == NULL)
		return 0;
	if (ring->stab_size == 0)
		logring_stab_rebuild(ring, 64);
	j = logring_fnv(name) & (ring->stab_size - 1);
	while (ring->stab[j] != 0) {
		if (strcmp(ring->streams[ring->stab[j] - 1], name) == 0)
			return ring->stab[j];
		j = (j + 1) & (ring->stab_size - 1);
	}
	if (ring->nstreams == ring->streams_cap) {
		ring->streams_cap = ring->streams_cap == 0 ? 16 :
		    ring->streams_cap * 2;
		ring->streams = xreallocarray(ring->streams,
		    ring->streams_cap, sizeof *ring->streams);
	}
	len = strlen(name);
	ring->streams[ring->nstreams++] = xstrdup(name);
	ring->stream_bytes += len + 1;
	if (ring->nstreams * 2 > ring->stab_size)
		logring_stab_rebuild(ring, ring->stab_size * 2);
	else
		ring->stab[j] = (uint32_t)ring->nstreams;
	return (uint32_t)ring->nstreams;
}

/* ---- chunks ---- */

static struct logring_chunk *
logring_chunk_new(struct logring *ring, size_t need)
{
	struct logring_chunk *c;
	size_t size = ring->chunk_size;

	if (need + logring_hdr_size() > size)
		size = (need + logring_hdr_size() + ring->chunk_size - 1) &
		    ~(ring->chunk_size - 1);
	c = aligned_alloc(ring->chunk_size, size);
	if (c == NULL)
		fatal("out of memory allocating %zu bytes for the log buffer",
		    size);
	memset(c, 0, sizeof *c);
	c->size = size;
	c->used = logring_hdr_size();
	c->next = ring->chunks;
	if (ring->chunks != NULL)
		ring->chunks->prev = c;
	ring->chunks = c;
	ring->chunk_bytes += size;
	return c;
}

static void
logring_chunk_free(struct logring *ring, struct logring_chunk *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		ring->chunks = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	if (ring->cur == c)
		ring->cur = NULL;
	ring->chunk_bytes -= c->size;
	free(c);
}

/* ---- the ring ---- */

struct logring *
logring_new(size_t max_events, size_t max_bytes)
{
	struct logring *ring = xcalloc(1, sizeof *ring);
	size_t cs = LOGRING_CHUNK_MAX;

	ring->max_events = max_events == 0 ? LOGRING_DEFAULT_EVENTS :
	    max_events;
	ring->max_bytes = max_bytes == 0 ? LOGRING_DEFAULT_BYTES : max_bytes;
	/* Small caps get small chunks, so one chunk is not the whole cap. */
	while (cs > LOGRING_CHUNK_MIN && cs * 16 > ring->max_bytes)
		cs /= 2;
	ring->chunk_size = cs;
	ring->scratch = xcalloc(1, sizeof *ring->scratch);
	return ring;
}

static void
logring_release(struct logring *ring)
{
	size_t i;

	while (ring->chunks != NULL)
		logring_chunk_free(ring, ring->chunks);
	for (i = 0; i < ring->nstreams; i++)
		free(ring->streams[i]);
	free(ring->streams);
	free(ring->stab);
	free(ring->idx);
	ring->streams = NULL;
	ring->stab = NULL;
	ring->idx = NULL;
	ring->nstreams = ring->streams_cap = ring->stab_size = 0;
	ring->stream_bytes = 0;
	ring->head = ring->n = ring->cap = 0;
}

void
logring_free(struct logring *ring)
{
	if (ring == NULL)
		return;
	logring_release(ring);
	free(ring->scratch);
	free(ring);
}

void
logring_clear(struct logring *ring)
{
	logring_release(ring);
	ring->dropped = 0;
	ring->version++;
}

size_t
logring_count(const struct logring *ring)
{
	return ring->n;
}

uint64_t
logring_dropped(const struct logring *ring)
{
	return ring->dropped;
}

uint64_t
logring_version(const struct logring *ring)
{
	return ring->version;
}

size_t
logring_bytes(const struct logring *ring)
{
	return sizeof *ring + sizeof *ring->scratch + ring->chunk_bytes +
	    ring->cap * sizeof *ring->idx +
	    ring->streams_cap * sizeof *ring->streams + ring->stream_bytes +
	    ring->stab_size * sizeof *ring->stab;
}

static void
logring_evict_oldest(struct logring *ring)
{
	unsigned char *rec = ring->idx[ring->head];
	struct logring_chunk *c = logring_chunk_of(ring, rec);

	ring->head++;
	ring->n--;
	ring->dropped++;
	if (--c->live == 0) {
		if (c == ring->cur)
			c->used = logring_hdr_size();
		else
			logring_chunk_free(ring, c);
	}
}

/* Key of the record at index position i, for ordering. */
static int
logring_cmp_at(const struct logring *ring, size_t i, const struct log_event *ev)
{
	struct logring_rec r;
	char id[LOG_EVENT_ID_LEN];
	size_t la, lb;

	logring_decode(ring, ring->idx[ring->head + i], &r);
	if (r.ts != ev->timestamp)
		return r.ts < ev->timestamp ? -1 : 1;
	if (r.ingestion != ev->ingestion_time)
		return r.ingestion < ev->ingestion_time ? -1 : 1;
	logring_rec_id(&r, id);
	la = strlen(id);
	lb = strlen(ev->event_id);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(id, ev->event_id);
}

/* Where ev goes: after every record that sorts before or equal to it. */
static size_t
logring_position(const struct logring *ring, const struct log_event *ev)
{
	size_t pos = ring->n, lo, hi, steps = 0;

	while (pos > 0 && steps < LOGRING_LINEAR_BACK) {
		if (logring_cmp_at(ring, pos - 1, ev) <= 0)
			return pos;
		pos--;
		steps++;
	}
	if (pos == 0)
		return 0;
	lo = 0;
	hi = pos;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (logring_cmp_at(ring, mid, ev) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
logring_index_insert(struct logring *ring, size_t pos, unsigned char *rec)
{
	/*
	 * The array may hold an eighth more than the cap, so evicting from the
	 * front costs a compaction only every max_events/8 additions (8
	 * pointer moves an event) while the slack stays 1 byte an event.
	 */
	size_t limit = ring->max_events + ring->max_events / 8 + 2;

	if (ring->head + ring->n == ring->cap) {
		if (ring->head > 0 && (ring->cap >= limit ||
		    ring->head >= ring->n / 4)) {
			memmove(ring->idx, ring->idx + ring->head,
			    ring->n * sizeof *ring->idx);
			ring->head = 0;
		} else {
			size_t ncap = ring->cap == 0 ? 1024 : ring->cap * 2;

			if (ncap > limit)
				ncap = limit;
			ring->idx = xreallocarray(ring->idx, ncap,
			    sizeof *ring->idx);
			ring->cap = ncap;
		}
	}
	memmove(ring->idx + ring->head + pos + 1, ring->idx + ring->head + pos,
	    (ring->n - pos) * sizeof *ring->idx);
	ring->idx[ring->head + pos] = rec;
	ring->n++;
}

int
logring_add(struct logring *ring, const struct log_event *ev)
{
	unsigned char tmp[64], *p, *rec;
	size_t idlen = strlen(ev->event_id), need, pos, fixed;
	uint32_t stream = logring_intern(ring, ev->stream);
	struct logring_chunk *c;
	int packed;

	if (idlen > LOGRING_ID_MAX_DIGITS)
		idlen = LOGRING_ID_MAX_DIGITS;
	packed = logring_id_packable(ev->event_id, idlen);
	/* Worst case of the fixed part: five 10-byte varints and 3 bytes. */
	fixed = 5 * 10 + 3;
	need = fixed + (packed ? logring_id_bytes(idlen) : idlen) +
	    ev->message_len + 1;
	c = ring->cur;
	if (c == NULL || c->used + need > c->size) {
		if (need + logring_hdr_size() > ring->chunk_size) {
			c = logring_chunk_new(ring, need);
		} else {
			c = logring_chunk_new(ring, need);
			ring->cur = c;
		}
		c->base_ts = ev->timestamp;
	}
	rec = (unsigned char *)c + c->used;
	p = logring_put_varint(tmp, logring_zigzag(ev->timestamp - c->base_ts));
	p = logring_put_varint(p, logring_zigzag(ev->ingestion_time -
	    ev->timestamp));
	p = logring_put_varint(p, ev->message_len);
	p = logring_put_varint(p, stream);
	p = logring_put_varint(p, ev->source);
	*p++ = ev->level;
	*p++ = ev->flags;
	*p++ = (unsigned char)(packed ? (LOGRING_ID_PACKED | idlen) : idlen);
	memcpy(rec, tmp, (size_t)(p - tmp));
	p = rec + (p - tmp);
	if (packed) {
		logring_id_pack(ev->event_id, idlen, p);
		p += logring_id_bytes(idlen);
	} else {
		memcpy(p, ev->event_id, idlen);
		p += idlen;
	}
	if (ev->message_len > 0)
		memcpy(p, ev->message, ev->message_len);
	p += ev->message_len;
	*p++ = '\0';
	c->used += (size_t)(p - rec);
	c->live++;

	pos = logring_position(ring, ev);
	logring_index_insert(ring, pos, rec);
	while (ring->n > ring->max_events ||
	    (ring->n > 1 && logring_bytes(ring) > ring->max_bytes)) {
		logring_evict_oldest(ring);
		if (pos != SIZE_MAX)
			pos = pos > 0 ? pos - 1 : SIZE_MAX;
	}
	ring->last_index = pos;
	ring->version++;
	return 0;
}

size_t
logring_last_index(const struct logring *ring)
{
	return ring->last_index;
}

/* The flags byte of record i: after five varints and the level. */
static unsigned char *
logring_flags_byte(const struct logring *ring, size_t i)
{
	unsigned char *p = ring->idx[ring->head + i];
	int v;

	for (v = 0; v < 5; v++)
		while (*p++ & 0x80)
			;
	return p + 1;
}

uint8_t
logring_flags(const struct logring *ring, size_t i)
{
	return i < ring->n ? *logring_flags_byte(ring, i) : 0;
}

void
logring_set_flags(struct logring *ring, size_t i, uint8_t flags)
{
	if (i >= ring->n)
		return;
	*logring_flags_byte(ring, i) = flags;
	ring->version++;
}

void
logring_add_gap(struct logring *ring, int64_t from_ms, int64_t to_ms,
    const char *why)
{
	struct log_event ev;

	memset(&ev, 0, sizeof ev);
	ev.timestamp = from_ms;
	ev.ingestion_time = to_ms;
	ev.flags = LOG_EVENT_GAP;
	ev.message = (char *)(why == NULL ? "" : why);
	ev.message_len = strlen(ev.message);
	logring_add(ring, &ev);
}

const struct log_event *
logring_at(const struct logring *ring, size_t i)
{
	struct logring_scratch *s = ring->scratch;
	struct log_event *ev;
	struct logring_rec r;

	if (i >= ring->n)
		return NULL;
	ev = &s->slot[s->next];
	s->next = (s->next + 1) % LOGRING_AT_SLOTS;
	logring_decode(ring, ring->idx[ring->head + i], &r);
	ev->timestamp = r.ts;
	ev->ingestion_time = r.ingestion;
	ev->stream = r.stream == 0 ? NULL : ring->streams[r.stream - 1];
	ev->message = (char *)r.msg;
	ev->message_len = r.msg_len;
	logring_rec_id(&r, ev->event_id);
	ev->source = (uint16_t)r.source;
	ev->level = r.level;
	ev->flags = r.flags;
	return ev;
}

const char *
logring_message(const struct logring *ring, size_t i, size_t *len)
{
	struct logring_rec r;

	if (i >= ring->n)
		return NULL;
	logring_decode(ring, ring->idx[ring->head + i], &r);
	*len = r.msg_len;
	return (const char *)r.msg;
}
