/* CloudWatch Logs (json 1.1): FilterLogEvents, its body and its answer's scanner. */
#include "logs.h"
#include "aws-op.h"
#include "buf.h"
#include "proto-json.h"
#include "xmalloc.h"

#include <cjson/cJSON.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nesting accepted inside an event answer (skipped values included). */
#define LOGS_MAX_DEPTH	64

/* ---- request bodies ---- */

static char *
logs_print(cJSON *o)
{
	char *s = cJSON_PrintUnformatted(o);

	cJSON_Delete(o);
	if (s == NULL)
		fatal("out of memory");
	/* cJSON allocates with plain malloc (no hooks are set): free() frees it. */
	return s;
}

char *
logs_filter_log_events_body(const char *group, int64_t start_ms,
    int64_t end_ms, const char *filter_pattern, const char *next_token,
    int limit, const char *const *streams, size_t n_streams)
{
	cJSON *o = cJSON_CreateObject();
	size_t i;

	if (o == NULL)
		fatal("out of memory");
	cJSON_AddStringToObject(o, "logGroupName", group);
	if (start_ms >= 0)
		cJSON_AddNumberToObject(o, "startTime", (double)start_ms);
	if (end_ms >= 0)
		cJSON_AddNumberToObject(o, "endTime", (double)end_ms);
	if (filter_pattern != NULL && filter_pattern[0] != '\0')
		cJSON_AddStringToObject(o, "filterPattern", filter_pattern);
	if (next_token != NULL)
		cJSON_AddStringToObject(o, "nextToken", next_token);
	if (limit > 0)
		cJSON_AddNumberToObject(o, "limit", limit);
	if (n_streams > 0) {
		cJSON *a = cJSON_AddArrayToObject(o, "logStreamNames");

		for (i = 0; i < n_streams; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(streams[i]));
	}
	return logs_print(o);
}

/* ---- the event scanner ---- */

struct logs_scan {
	const char	*start, *p, *end;
	int		 depth;
	const char	*op;
	struct dlc_err	*err;
	struct buf	 tmp;		/* a string value being read: reused, never handed out */
	/*
	 * Messages and stream names are decoded straight into the page's
	 * arena, which is as long as the answer: decoding never lengthens a
	 * string, so each one fits where the ones before it ended.
	 */
	struct log_arena *arena;
	char		*arena_base, *arena_w;
};

static int
logs_fail(struct logs_scan *s, const char *what)
{
	return dlc_err_set(s->err, "MalformedResponse",
	    "%s: the answer is not valid JSON: %s at byte %zu", s->op, what,
	    (size_t)(s->p - s->start));
}

static inline __attribute__((always_inline)) void
logs_ws(struct logs_scan *s)
{
	/* Most calls find no whitespace at all: one test for them. */
	while (s->p < s->end && (unsigned char)*s->p <= ' ' && (*s->p == ' ' ||
	    *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int
logs_expected(struct logs_scan *s, char c)
{
	char what[32];

	snprintf(what, sizeof what, "expected '%c'", c);
	return logs_fail(s, what);
}

/* Inline: a page has five of these an event, and they nearly never fail. */
static inline __attribute__((always_inline)) int
logs_expect(struct logs_scan *s, char c)
{
	logs_ws(s);
	if (s->p >= s->end || *s->p != c)
		return logs_expected(s, c);
	s->p++;
	return 0;
}

static int
logs_hex4(struct logs_scan *s, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (s->end - s->p < 4)
		return logs_fail(s, "a cut \\u escape");
	for (i = 0; i < 4; i++) {
		char c = s->p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return logs_fail(s, "a bad \\u escape");
	}
	s->p += 4;
	*out = v;
	return 0;
}

/* Writes cp as UTF-8 at w (room for 4 bytes); returns how many bytes. */
static size_t
logs_utf8(char *w, unsigned cp)
{
	if (cp < 0x80) {
		w[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		w[0] = (char)(0xc0 | (cp >> 6));
		w[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		w[0] = (char)(0xe0 | (cp >> 12));
		w[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		w[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	w[0] = (char)(0xf0 | (cp >> 18));
	w[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	w[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	w[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The code point of a \u escape (s->p after the u), pairing surrogates. */
static int
logs_escape_u(struct logs_scan *s, unsigned *out)
{
	unsigned cp, lo;

	if (logs_hex4(s, &cp) != 0)
		return -1;
	if (cp >= 0xd800 && cp < 0xdc00) {
		if (s->end - s->p >= 6 && s->p[0] == '\\' && s->p[1] == 'u') {
			const char *save = s->p;

			s->p += 2;
			if (logs_hex4(s, &lo) != 0)
				return -1;
			if (lo >= 0xdc00 && lo < 0xe000)
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			else {
				s->p = save;
				cp = 0xfffd;
			}
		} else
			cp = 0xfffd;
	} else if (cp >= 0xdc00 && cp < 0xe000)
		cp = 0xfffd;
	*out = cp;
	return 0;
}

#if defined(__SSE2__)
/* Bit i set: byte i of v is a quote, a backslash or (ctl) a control character. */
static inline __attribute__((always_inline)) unsigned
logs_specials16(__m128i v, int ctl)
{
	__m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));

	/* min(v, 0x1f) == v: the byte is a control character. */
	if (ctl)
		hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_min_epu8(v,
		    _mm_set1_epi8(0x1f)), v));
	return (unsigned)_mm_movemask_epi8(hit);
}

static inline __attribute__((always_inline)) __m128i
logs_load16(const char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}
#endif

/*
 * The first quote, backslash or (ctl set) control character in [p, end),
 * or end. Sixteen bytes a step with SSE2, else eight (the usual SWAR tests
 * for a zero byte and a byte below 0x20), so long strings scan fast.
 * Assumes a little-endian machine, as every platform dlc builds on is.
 */
static inline __attribute__((always_inline)) const char *
logs_find_special(const char *p, const char *end, int ctl)
{
#if defined(__SSE2__)
	while (end - p >= 16) {
		unsigned m = logs_specials16(logs_load16(p), ctl);

		if (m != 0)
			return p + __builtin_ctz(m);
		p += 16;
	}
#else
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	const uint64_t quotes = ones * (unsigned char)'"', slashes = ones * (unsigned char)'\\';

	while (end - p >= 8) {
		uint64_t v, x, y, hit;

		memcpy(&v, p, 8);
		x = v ^ quotes;
		y = v ^ slashes;
		hit = ((x - ones) & ~x) | ((y - ones) & ~y);
		if (ctl)
			hit |= (v - ones * 0x20) & ~v;
		/*
		 * A borrow can only fake a hit above a real one, so the lowest
		 * flagged byte (little-endian: the first) is a real one.
		 */
		if ((hit &= highs) != 0)
			return p + (__builtin_ctzll(hit) >> 3);
		p += 8;
	}
#endif
	while (p < end && *p != '"' && *p != '\\' && !(ctl && (unsigned char)*p < 0x20))
		p++;
	return p;
}

/* Bytes a decode may store past the string's end (the 16-byte copy below). */
#define LOGS_DECODE_SLACK	16

/*
 * Copies bytes from *pp to *wp up to the first quote, backslash or control
 * character (or end), and moves both on. Sixteen bytes a step with SSE2
 * (every x86-64 has it), eight with the SWAR tests elsewhere; each step
 * stores its whole block before looking at it, so *wp needs
 * LOGS_DECODE_SLACK bytes of room beyond what is copied.
 */
static inline __attribute__((always_inline)) void
logs_copy_plain(const char **pp, char **wp, const char *end)
{
	const char *p = *pp;
	char *w = *wp;
#if defined(__SSE2__)
	while (end - p >= 16) {
		__m128i v = logs_load16(p);
		unsigned hit;

		_mm_storeu_si128((__m128i *)(void *)w, v);
		hit = logs_specials16(v, 1);
		if (hit != 0) {
			unsigned k = (unsigned)__builtin_ctz(hit);

			*pp = p + k;
			*wp = w + k;
			return;
		}
		p += 16;
		w += 16;
	}
#else
	while (end - p >= 8) {
		const char *q = logs_find_special(p, p + 8, 1);

		memcpy(w, p, 8);
		if (q != p + 8) {
			*pp = q;
			*wp = w + (q - p);
			return;
		}
		p += 8;
		w += 8;
	}
#endif
	while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
		*w++ = *p++;
	*pp = p;
	*wp = w;
}

/* What each one-letter escape stands for; 0: not one (\\u, or no escape at all). */
static const char logs_unescape[256] = {
	['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b', ['f'] = '\f',
	['n'] = '\n', ['r'] = '\r', ['t'] = '\t',
};

#if defined(__SSE2__)
/* Bit i set: p[i] is a quote, a backslash or a control character (64 bytes). */
static inline __attribute__((always_inline)) uint64_t
logs_special_mask64(const char *p)
{
	uint64_t m = 0;
	int i;

	for (i = 0; i < 4; i++)
		m |= (uint64_t)logs_specials16(logs_load16(p + 16 * i), 1) << (16 * i);
	return m;
}

/*
 * Copies n (at most 64) bytes in 16-byte pieces, the first one always:
 * up to 15 bytes past n are read and written (the decode's slack).
 */
static inline __attribute__((always_inline)) void
logs_copy_short(char *w, const char *p, size_t n)
{
	size_t i;

	_mm_storeu_si128((__m128i *)(void *)w, logs_load16(p));
	for (i = 16; i < n; i += 16)
		_mm_storeu_si128((__m128i *)(void *)(w + i), logs_load16(p + i));
}
#endif

/*
 * Decodes the string whose opening quote is at s->p into w, which has room
 * for the string's encoded length plus LOGS_DECODE_SLACK; NUL-terminates
 * it, sets *len and leaves s->p after the closing quote. A lone surrogate
 * becomes U+FFFD, as CloudWatch itself never sends one.
 */
static int
logs_decode(struct logs_scan *s, char *w, size_t *len)
{
	char *w0 = w;
	const char *p = s->p + 1, *end = s->end;

	for (;;) {
		unsigned cp;
		char c;

#if defined(__SSE2__)
		/*
		 * Sixty-four bytes a step, with the mask of their specials
		 * found at once: each escape is then a bit to clear, not a
		 * fresh scan, which took a load and a compare after every
		 * escape (JSON messages are full of \" and \t). A quote, a
		 * control, a \u, or an escape across the block's end goes
		 * to the one-at-a-time code below. 80 bytes left at least,
		 * for the copies' over-read.
		 */
		while (end - p >= 80) {
			uint64_t m = logs_special_mask64(p);
			size_t pos = 0;
			int stop = 0;

			while (m != 0) {
				size_t k = (size_t)__builtin_ctzll(m);

				m &= m - 1;
				if (k < pos)
					continue;	/* the character an escape took */
				logs_copy_short(w, p + pos, k - pos);
				w += k - pos;
				pos = k;
				if (p[k] != '\\' || k == 63 ||
				    (c = logs_unescape[(unsigned char)p[k + 1]]) == 0) {
					stop = 1;
					break;
				}
				*w++ = c;
				pos = k + 2;
			}
			if (stop) {
				p += pos;
				break;
			}
			logs_copy_short(w, p + pos, 64 - pos);
			w += 64 - pos;
			p += 64;
		}
#endif
		s->p = p;
		logs_copy_plain(&s->p, &w, end);
		p = s->p;
		if (p >= end)
			return logs_fail(s, "a cut string");
		if (*p == '"')
			break;
		if (*p != '\\')
			return logs_fail(s, "a raw control character in a string");
		if (end - p < 2)
			return logs_fail(s, "a cut escape");
		/* A table, not a switch: its jump mispredicted on every escape. */
		if ((c = logs_unescape[(unsigned char)p[1]]) != 0) {
			*w++ = c;
			p += 2;
			continue;
		}
		if (p[1] != 'u')
			return logs_fail(s, "an unknown escape");
		s->p = p + 2;
		if (logs_escape_u(s, &cp) != 0)
			return -1;
		w += logs_utf8(w, cp);
		p = s->p;
	}
	s->p = p + 1;
	*w = '\0';
	*len = (size_t)(w - w0);
	return 0;
}

/*
 * The encoded length of the string at s->p (after whitespace), quotes
 * included, without moving s->p: the room a decode into a buffer needs.
 */
static int
logs_extent(struct logs_scan *s, size_t *n)
{
	const char *p;

	logs_ws(s);
	if (s->p >= s->end || *s->p != '"')
		return logs_fail(s, "expected a string");
	for (p = s->p + 1;;) {
		p = logs_find_special(p, s->end, 0);
		if (p >= s->end)
			return logs_fail(s, "a cut string");
		if (*p == '"')
			break;
		p += 2;		/* a backslash and what it escapes */
		if (p > s->end)
			return logs_fail(s, "a cut escape");
	}
	*n = (size_t)(p + 1 - s->p);
	return 0;
}

/* Decodes the string at s->p (after whitespace) into out, replacing what it held. */
static int
logs_string(struct logs_scan *s, struct buf *out)
{
	size_t n = 0;

	if (logs_extent(s, &n) != 0)
		return -1;
	buf_reset(out);
	if (buf_reserve(out, n + LOGS_DECODE_SLACK) != 0)
		return logs_fail(s, "a string over the size limit");
	return logs_decode(s, out->data, &out->len);
}

/*
 * 1 and the value if p holds eight ASCII digits: the tests and the three
 * multiplications that fold them, as in Lemire's fast_float, so a 13-digit
 * timestamp takes two steps instead of thirteen.
 */
static inline int
logs_eight_digits(const char *p, uint64_t *out)
{
	uint64_t v;

	memcpy(&v, p, 8);
	if (((v & 0xf0f0f0f0f0f0f0f0ULL) |
	    (((v + 0x0606060606060606ULL) & 0xf0f0f0f0f0f0f0f0ULL) >> 4)) !=
	    0x3333333333333333ULL)
		return 0;
	v -= 0x3030303030303030ULL;
	v = v * 10 + (v >> 8);		/* pairs of digits */
	v = ((v & 0x000000ff000000ffULL) * (100 + (1000000ULL << 32)) +
	    ((v >> 16) & 0x000000ff000000ffULL) * (1 + (10000ULL << 32))) >> 32;
	*out = (uint32_t)v;
	return 1;
}

/* A JSON number that must be an integer within int64. */
static int
logs_int64(struct logs_scan *s, const char *field, int64_t *out)
{
	char tmp[64];
	size_t n = 0;
	char *endp;
	double d;

	logs_ws(s);
	/* The common case, plain digits (timestamps), without strtoll. */
	{
		const char *p = s->p;
		int neg = p < s->end && *p == '-';
		uint64_t v = 0, eight;
		const char *digits;

		p += neg;
		digits = p;
		/* v may wrap past 19 digits: those are refused by count below. */
		while (s->end - p >= 8 && logs_eight_digits(p, &eight)) {
			v = v * 100000000 + eight;
			p += 8;
		}
		while (p < s->end && (unsigned char)(*p - '0') < 10)
			v = v * 10 + (uint64_t)(*p++ - '0');
		if (p > digits && p - digits <= 18 && (p >= s->end ||
		    (*p != '.' && *p != 'e' && *p != 'E'))) {
			*out = neg ? -(int64_t)v : (int64_t)v;
			s->p = p;
			return 0;
		}
	}
	while (s->p < s->end && n < sizeof tmp - 1 &&
	    strchr("+-0123456789.eE", *s->p) != NULL && *s->p != '\0')
		tmp[n++] = *s->p++;
	tmp[n] = '\0';
	if (n == 0)
		return dlc_err_set(s->err, "MalformedResponse",
		    "%s: %s is not a number", s->op, field);
	errno = 0;
	if (strpbrk(tmp, ".eE") == NULL) {
		long long v = strtoll(tmp, &endp, 10);

		if (errno == 0 && *endp == '\0') {
			*out = (int64_t)v;
			return 0;
		}
	} else {
		d = strtod(tmp, &endp);
		if (*endp == '\0' && isfinite(d) && d == floor(d) &&
		    d >= -9.2e18 && d <= 9.2e18) {
			*out = (int64_t)d;
			return 0;
		}
	}
	return dlc_err_set(s->err, "MalformedResponse",
	    "%s: %s is not an integer (%s)", s->op, field, tmp);
}

static int
logs_skip(struct logs_scan *s)
{
	logs_ws(s);
	if (s->p >= s->end)
		return logs_fail(s, "a cut value");
	if (*s->p == '"')
		return logs_string(s, &s->tmp);
	if (*s->p == '{' || *s->p == '[') {
		char close = *s->p == '{' ? '}' : ']';
		int is_obj = *s->p == '{';

		if (++s->depth > LOGS_MAX_DEPTH)
			return logs_fail(s, "nesting too deep");
		s->p++;
		logs_ws(s);
		if (s->p < s->end && *s->p == close) {
			s->p++;
			s->depth--;
			return 0;
		}
		for (;;) {
			if (is_obj && (logs_string(s, &s->tmp) != 0 ||
			    logs_expect(s, ':') != 0))
				return -1;
			if (logs_skip(s) != 0)
				return -1;
			logs_ws(s);
			if (s->p < s->end && *s->p == ',') {
				s->p++;
				continue;
			}
			if (logs_expect(s, close) != 0)
				return -1;
			s->depth--;
			return 0;
		}
	}
	{
		const char *start = s->p;

		while (s->p < s->end && strchr("+-0123456789.eEtruefalsn",
		    *s->p) != NULL && *s->p != '\0')
			s->p++;
		if (s->p == start)
			return logs_fail(s, "an unexpected character");
	}
	return 0;
}

/* 1 if the next value is null (consumed), 0 if not. */
static int
logs_null(struct logs_scan *s)
{
	logs_ws(s);
	if (s->end - s->p >= 4 && memcmp(s->p, "null", 4) == 0) {
		s->p += 4;
		return 1;
	}
	return 0;
}

/*
 * 1 when the string at s->p (after whitespace) holds no escape and no
 * control, as AWS's keys and ids do: *str points into the answer itself
 * (unterminated) and the string is consumed. 0, and nothing consumed,
 * otherwise. Inline: every key of every event comes through here.
 */
static inline __attribute__((always_inline)) int
logs_plain_string(struct logs_scan *s, const char **str, size_t *len)
{
	const char *q;

	logs_ws(s);
	if (s->p >= s->end || *s->p != '"')
		return 0;
	q = logs_find_special(s->p + 1, s->end, 1);
	if (q >= s->end || *q != '"')
		return 0;
	*str = s->p + 1;
	*len = (size_t)(q - *str);
	s->p = q + 1;
	return 1;
}

/* The key at s->p, then its colon; a key with escapes is decoded into s->tmp. */
static int
logs_key(struct logs_scan *s, const char **key, size_t *len)
{
	if (!logs_plain_string(s, key, len)) {
		if (logs_string(s, &s->tmp) != 0)
			return -1;
		*key = s->tmp.data;
		*len = s->tmp.len;
	}
	return logs_expect(s, ':');
}

#define LOGS_KEY_IS(key, len, lit) \
	((len) == sizeof(lit) - 1 && memcmp((key), (lit), sizeof(lit) - 1) == 0)

/* Walks an object: for each key calls member(s, key, len, arg), which consumes the value. */
static int
logs_object(struct logs_scan *s, int (*member)(struct logs_scan *,
    const char *, size_t, void *), void *arg)
{
	if (logs_expect(s, '{') != 0)
		return -1;
	logs_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return 0;
	}
	for (;;) {
		const char *key = NULL;
		size_t len = 0;

		if (logs_key(s, &key, &len) != 0 || member(s, key, len, arg) != 0)
			return -1;
		logs_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		return logs_expect(s, '}');
	}
}

/* A string value, or NULL for JSON null; *out replaced (freed first). */
static int
logs_string_member(struct logs_scan *s, char **out, size_t limit,
    const char *field)
{
	if (logs_null(s)) {
		free(*out);
		*out = NULL;
		return 0;
	}
	if (logs_string(s, &s->tmp) != 0)
		return -1;
	if (s->tmp.len > limit)
		return dlc_err_set(s->err, "MalformedResponse",
		    "%s: %s is longer than %zu bytes", s->op, field, limit);
	free(*out);
	*out = xmalloc(s->tmp.len + 1);
	memcpy(*out, s->tmp.data, s->tmp.len + 1);
	return 0;
}

/* A string value decoded into the page's arena, or NULL for JSON null. */
static int
logs_arena_member(struct logs_scan *s, char **out, size_t *len_out,
    size_t limit, const char *field)
{
	size_t len;

	if (logs_null(s)) {
		*out = NULL;
		*len_out = 0;
		return 0;
	}
	logs_ws(s);
	if (s->p >= s->end || *s->p != '"')
		return logs_fail(s, "expected a string");
	/* The invariant that makes the room: never ahead of the reading. */
	if (s->arena_w - s->arena_base > s->p - s->start)
		fatal("logs: the page arena overran");
	if (logs_decode(s, s->arena_w, &len) != 0)
		return -1;
	if (len > limit)
		return dlc_err_set(s->err, "MalformedResponse",
		    "%s: %s is longer than %zu bytes", s->op, field, limit);
	*out = s->arena_w;
	*len_out = len;
	s->arena_w += len + 1;
	return 0;
}

struct logs_event_ctx {
	struct log_event	*ev;
	int			 have_ts, have_msg;
};

static int
logs_event_member(struct logs_scan *s, const char *key, size_t len, void *arg)
{
	struct logs_event_ctx *c = arg;
	struct log_event *ev = c->ev;
	size_t stream_len;

	if (LOGS_KEY_IS(key, len, "timestamp")) {
		c->have_ts = 1;
		return logs_int64(s, "events[].timestamp", &ev->timestamp);
	}
	if (LOGS_KEY_IS(key, len, "ingestionTime"))
		return logs_int64(s, "events[].ingestionTime", &ev->ingestion_time);
	if (LOGS_KEY_IS(key, len, "message")) {
		c->have_msg = 1;
		return logs_arena_member(s, &ev->message, &ev->message_len,
		    LOGS_MAX_MESSAGE, "events[].message");
	}
	if (LOGS_KEY_IS(key, len, "logStreamName"))
		return logs_arena_member(s, &ev->stream, &stream_len, 4096,
		    "events[].logStreamName");
	if (LOGS_KEY_IS(key, len, "eventId")) {
		const char *id;
		size_t n;

		if (logs_null(s)) {
			ev->event_id[0] = '\0';
			return 0;
		}
		/* AWS's ids are plain digits: copied as they are, no decoding. */
		if (!logs_plain_string(s, &id, &n)) {
			if (logs_string(s, &s->tmp) != 0)
				return -1;
			id = s->tmp.data;
			n = s->tmp.len;
			if (memchr(id, '\0', n) != NULL)
				return dlc_err_set(s->err, "MalformedResponse",
				    "%s: events[].eventId holds a NUL", s->op);
		}
		if (n >= sizeof ev->event_id)
			return dlc_err_set(s->err, "MalformedResponse",
			    "%s: events[].eventId is longer than %zu bytes", s->op,
			    sizeof ev->event_id - 1);
		memcpy(ev->event_id, id, n);
		ev->event_id[n] = '\0';
		return 0;
	}
	return logs_skip(s);
}

/* FNV-1a 64 over a field, for the synthetic id of an event without one. */
static uint64_t
logs_fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void
logs_synth_id(struct log_event *ev)
{
	uint64_t h = 14695981039346656037ULL, h2;
	const char *st = ev->stream != NULL ? ev->stream : "";

	h = logs_fnv(h, st, strlen(st) + 1);
	h = logs_fnv(h, &ev->timestamp, sizeof ev->timestamp);
	h = logs_fnv(h, &ev->ingestion_time, sizeof ev->ingestion_time);
	h2 = logs_fnv(h ^ 0x5bd1e995u, ev->message, ev->message_len);
	h = logs_fnv(h, ev->message, ev->message_len);
	snprintf(ev->event_id, sizeof ev->event_id, "h%lld-%016llx%016llx",
	    (long long)ev->timestamp, (unsigned long long)h,
	    (unsigned long long)h2);
}

struct logs_events_ctx {
	struct log_event	*events;
	size_t			 n, cap;
	char			*next_token;
};

/* Assigned, not memset: a run of stores instead of a slow rep stos. */
static const struct log_event logs_no_event;

static int
logs_events_array(struct logs_scan *s, struct logs_events_ctx *c)
{
	if (logs_null(s))
		return 0;
	if (logs_expect(s, '[') != 0)
		return -1;
	logs_ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		return 0;
	}
	for (;;) {
		struct logs_event_ctx ec;

		if (c->n == LOGS_MAX_PAGE_EVENTS)
			return dlc_err_set(s->err, "MalformedResponse",
			    "%s: more than %u events in one page", s->op,
			    LOGS_MAX_PAGE_EVENTS);
		if (c->n == c->cap) {
			/*
			 * First room for as many events as the answer could
			 * hold if each took 64 bytes of JSON (AWS's take over
			 * 150: the eventId alone is 56 digits), so the array
			 * does not move as it fills; pages untouched cost
			 * nothing.
			 */
			if (c->cap == 0) {
				c->cap = (size_t)(s->end - s->p) / 64 + 16;
				if (c->cap > LOGS_MAX_PAGE_EVENTS)
					c->cap = LOGS_MAX_PAGE_EVENTS;
			} else
				c->cap *= 2;
			c->events = xreallocarray(c->events, c->cap,
			    sizeof *c->events);
		}
		c->events[c->n] = logs_no_event;
		memset(&ec, 0, sizeof ec);
		ec.ev = &c->events[c->n];
		ec.ev->arena = s->arena;
		log_arena_ref(s->arena);
		c->n++;
		if (logs_object(s, logs_event_member, &ec) != 0)
			return -1;
		if (!ec.have_ts || !ec.have_msg || ec.ev->message == NULL)
			return dlc_err_set(s->err, "MalformedResponse",
			    "%s: events[%zu] has no %s", s->op, c->n - 1,
			    !ec.have_ts ? "timestamp" : "message");
		if (ec.ev->event_id[0] == '\0')
			logs_synth_id(ec.ev);
		logs_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		return logs_expect(s, ']');
	}
}

static int
logs_page_member(struct logs_scan *s, const char *key, size_t len, void *arg)
{
	struct logs_events_ctx *c = arg;

	if (LOGS_KEY_IS(key, len, "events"))
		return logs_events_array(s, c);
	if (LOGS_KEY_IS(key, len, "nextToken"))
		return logs_string_member(s, &c->next_token, 65536, "nextToken");
	return logs_skip(s);
}

static void
logs_events_ctx_clear(struct logs_events_ctx *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		log_event_clear(&c->events[i]);
	free(c->events);
	free(c->next_token);
	memset(c, 0, sizeof *c);
}

static int
logs_scan_page(const char *body, size_t len, const char *op,
    struct logs_events_ctx *c, struct dlc_err *err)
{
	struct logs_scan s;
	int rc = -1;

	memset(&s, 0, sizeof s);
	s.start = s.p = body;
	s.end = body != NULL ? body + len : NULL;
	s.op = op;
	s.err = err;
	if (body == NULL || len == 0) {
		dlc_err_set(err, "MalformedResponse", "%s: the answer is empty", op);
		return -1;
	}
	buf_init(&s.tmp, 0);
	s.arena = log_arena_new(len + LOGS_DECODE_SLACK);
	s.arena_base = s.arena_w = log_arena_data(s.arena);
	if (logs_object(&s, logs_page_member, c) != 0)
		logs_events_ctx_clear(c);
	else {
		logs_ws(&s);
		if (s.p != s.end) {
			logs_fail(&s, "data after the object");
			logs_events_ctx_clear(c);
		} else
			rc = 0;
	}
	buf_free(&s.tmp);
	/* The events hold their own references: the page's arena lives with them. */
	log_arena_unref(s.arena);
	return rc;
}

int
logs_parse_filter_log_events(const char *body, size_t len,
    struct logs_filter_page *out, struct dlc_err *err)
{
	struct logs_events_ctx c;

	memset(&c, 0, sizeof c);
	memset(out, 0, sizeof *out);
	if (logs_scan_page(body, len, "FilterLogEvents", &c, err) != 0)
		return -1;
	out->events = c.events;
	out->n = c.n;
	out->next_token = c.next_token;
	return 0;
}

void
logs_filter_page_clear(struct logs_filter_page *page)
{
	size_t i;

	if (page == NULL)
		return;
	for (i = 0; i < page->n; i++)
		log_event_clear(&page->events[i]);
	free(page->events);
	free(page->next_token);
	memset(page, 0, sizeof *page);
}

/* ---- the operation ---- */

static void
logs_filter_request(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	const struct logs_filter_args *a = args;

	owned[0] = logs_filter_log_events_body(a->group, a->start_ms,
	    a->end_ms, a->filter_pattern,
	    a->next_token != NULL ? a->next_token : token, a->limit,
	    a->streams, a->n_streams);
	req->body = owned[0];
}

static int
logs_filter_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return logs_parse_filter_log_events(body, len, out, err);
}

static void
logs_filter_clear(void *out)
{
	logs_filter_page_clear(out);
}

AWS_OP_DELIVER(logs_filter_deliver, logs_filter_log_events_cb)

static const char *
logs_filter_next(const void *out)
{
	return ((const struct logs_filter_page *)out)->next_token;
}

const struct aws_op logs_op_filter_log_events = {
	&aws_service_logs, "FilterLogEvents", sizeof(struct logs_filter_page),
	logs_filter_request, logs_filter_parse, logs_filter_clear,
	logs_filter_deliver, logs_filter_next, 0,
};

struct aws_call *
logs_filter_log_events(struct aws_env *env,
    const struct logs_filter_args *args, logs_filter_log_events_cb cb,
    void *arg)
{
	return aws_op_send(env, &logs_op_filter_log_events, args, NULL,
	    (aws_op_fn)cb, arg);
}
