/* JSON output that is valid UTF-8 and terminal-safe: see jsonout.h. */
#include "jsonout.h"
#include "buf.h"
#include "sanitize.h"
#include "xmalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Whether an item, its key and everything under it is valid UTF-8. */
static int
jsonout_item_valid(const cJSON *v)
{
	const cJSON *c;

	if (v->string != NULL &&
	    !sanitize_utf8_valid(v->string, strlen(v->string)))
		return 0;
	if ((cJSON_IsString(v) || cJSON_IsRaw(v)) && v->valuestring != NULL &&
	    !sanitize_utf8_valid(v->valuestring, strlen(v->valuestring)))
		return 0;
	for (c = v->child; c != NULL; c = c->next)
		if (!jsonout_item_valid(c))
			return 0;
	return 1;
}

/* Returns s with invalid bytes replaced, allocated by cJSON's allocator. */
static char *
jsonout_repaired(const char *s)
{
	struct buf b;
	char *copy;
	size_t len = strlen(s);

	/* Each bad byte becomes 3; the ceiling can only be that. */
	buf_init(&b, len > ((size_t)-1 - 16) / 3 ? 0 : len * 3 + 16);
	if (sanitize_utf8_repair(&b, s, len) != 0)
		fatal("jsonout: string too large to repair");
	if ((copy = cJSON_malloc(b.len + 1)) == NULL)
		fatal("jsonout: out of memory");
	memcpy(copy, b.data, b.len + 1);
	buf_free(&b);
	return copy;
}

/* Repairs the strings of an item that jsonout owns (a duplicate). */
static void
jsonout_item_repair(cJSON *v)
{
	cJSON *c;
	char *s;

	if (v->string != NULL &&
	    !sanitize_utf8_valid(v->string, strlen(v->string))) {
		s = jsonout_repaired(v->string);
		/* A const key is not the duplicate's to free: replace it. */
		if (!(v->type & cJSON_StringIsConst))
			cJSON_free(v->string);
		v->type &= ~cJSON_StringIsConst;
		v->string = s;
	}
	if ((cJSON_IsString(v) || cJSON_IsRaw(v)) && v->valuestring != NULL &&
	    !sanitize_utf8_valid(v->valuestring, strlen(v->valuestring))) {
		s = jsonout_repaired(v->valuestring);
		cJSON_free(v->valuestring);
		v->valuestring = s;
	}
	for (c = v->child; c != NULL; c = c->next)
		jsonout_item_repair(c);
}

/*
 * What cJSON prints raw but a terminal, a JavaScript reader or a person
 * comparing names could be fooled by: DEL and the sanitiser's whole table
 * (C1, bidi, separators, invisible characters), so text and JSON agree.
 */
static int
jsonout_escape_cp(uint32_t cp)
{
	return cp == 0x7f || sanitize_cp_class(cp) != 0;
}

static const char jsonout_hex[] = "0123456789abcdef";

/* \uXXXX for a code point of the BMP, at w; returns the end. */
static char *
jsonout_u(char *w, uint32_t cp)
{
	w[0] = '\\';
	w[1] = 'u';
	w[2] = jsonout_hex[(cp >> 12) & 15];
	w[3] = jsonout_hex[(cp >> 8) & 15];
	w[4] = jsonout_hex[(cp >> 4) & 15];
	w[5] = jsonout_hex[cp & 15];
	return w + 6;
}

/* \uHHHH for any cp at w (a surrogate pair past the BMP: tag characters); returns the end. */
static char *
jsonout_u_cp(char *w, uint32_t cp)
{
	if (cp <= 0xffff)
		return jsonout_u(w, cp);
	cp -= 0x10000;
	w = jsonout_u(w, 0xd800 + (cp >> 10));
	return jsonout_u(w, 0xdc00 + (cp & 0x3ff));
}

static void
jsonout_escape_append(struct buf *b, uint32_t cp)
{
	char u[12];

	buf_append(b, u, (size_t)(jsonout_u_cp(u, cp) - u));
}

/*
 * Such characters can only sit inside strings (the rest of cJSON's output is
 * ASCII), so escaping them in the printed text keeps it the same JSON value.
 */
static char *
jsonout_escape(const char *text)
{
	struct buf b;
	size_t len = strlen(text), i = 0, start = 0, n;
	uint32_t cp;

	/* The worst case is 12 bytes for 4 (a tag character's surrogate pair). */
	buf_init(&b, len > ((size_t)-1 - 16) / 6 ? 0 : len * 6 + 16);
	while (i < len) {
		n = sanitize_utf8_decode(text + i, len - i, &cp);
		if (n == 0)
			n = 1;	/* cannot happen after repair; keep walking */
		else if (jsonout_escape_cp(cp)) {
			buf_append(&b, text + start, i - start);
			jsonout_escape_append(&b, cp);
			start = i + n;
		}
		i += n;
	}
	buf_append(&b, text + start, len - start);
	return buf_detach(&b, NULL);
}

char *
jsonout_print(const cJSON *v, int pretty)
{
	cJSON *copy = NULL;
	const cJSON *print = v;
	char *text, *out;

	if (v == NULL)
		return xstrdup("null");
	if (!jsonout_item_valid(v)) {
		if ((copy = cJSON_Duplicate(v, 1)) == NULL)
			fatal("jsonout: out of memory");
		jsonout_item_repair(copy);
		print = copy;
	}
	text = pretty ? cJSON_Print(print) : cJSON_PrintUnformatted(print);
	if (text == NULL)
		fatal("jsonout: out of memory");
	out = jsonout_escape(text);
	cJSON_free(text);
	cJSON_Delete(copy);
	return out;
}

void
jsonout_write(FILE *f, const cJSON *v, int pretty)
{
	char *text = jsonout_print(v, pretty);

	fputs(text, f);
	fputc('\n', f);
	free(text);
}

cJSON *
jsonout_string_or_null(const char *s)
{
	cJSON *v = s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull();

	if (v == NULL)
		fatal("jsonout: out of memory");
	return v;
}

/*
 * How many bytes from the start need no escaping (printable ASCII but the
 * quote and the backslash): sixteen a step with SSE2.
 */
static size_t
jsonout_plain_run(const char *s, size_t len)
{
	size_t i = 0;
#if defined(__SSE2__)
	const __m128i low = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');

	while (len - i >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		/* Signed: bytes of 0x80 and up are negative, so below 0x20 too. */
		unsigned hit = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmplt_epi8(v, low), _mm_cmpeq_epi8(v, del)),
		    _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash))));

		if (hit != 0)
			return i + (unsigned)__builtin_ctz(hit);
		i += 16;
	}
#endif
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			break;
		i++;
	}
	return i;
}

/*
 * Writes s[0..len) quoted at w, which has room for 6 * len + 2 bytes (no
 * byte grows to more than six); returns the end. What needs no escaping
 * is found sixteen bytes a step and copied in runs: a byte at a time
 * (buf_putc) and a buf_printf per quote made --format json cost 6x the
 * instructions of the text format.
 */
static char *
jsonout_string_write(char *w, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, run;
	uint32_t cp;

	*w++ = '"';
	while (i < len) {
		unsigned char c;

		run = jsonout_plain_run(s + i, len - i);
		memcpy(w, s + i, run);
		w += run;
		i += run;
		if (i >= len)
			break;
		c = p[i];
		if (c < 0x80) {
			if (c == '"' || c == '\\') {
				*w++ = '\\';
				*w++ = (char)c;
			} else
				w = jsonout_u(w, c);
			i++;
			continue;
		}
		n = sanitize_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			memcpy(w, "\xef\xbf\xbd", 3);	/* U+FFFD for an invalid byte */
			w += 3;
			i++;
		} else if (jsonout_escape_cp(cp)) {
			/* The same set as jsonout_print escapes: the sanitiser's table. */
			w = jsonout_u_cp(w, cp);
			i += n;
		} else {
			memcpy(w, s + i, n);
			w += n;
			i += n;
		}
	}
	*w++ = '"';
	return w;
}

void
jsonout_string(struct buf *out, const char *s, size_t len)
{
	char *tmp, *end;

	if (len > ((size_t)-1 - 2) / 6)
		fatal("jsonout: string too large");
	/* Straight into the buffer when it has room for the worst case. */
	if (buf_reserve(out, len * 6 + 2) == 0) {
		end = jsonout_string_write(out->data + out->len, s, len);
		out->len = (size_t)(end - out->data);
		out->data[out->len] = '\0';
		return;
	}
	/* Near its ceiling: what fits is the buffer's to decide. */
	tmp = xmalloc(len * 6 + 2);
	end = jsonout_string_write(tmp, s, len);
	buf_append(out, tmp, (size_t)(end - tmp));
	free(tmp);
}

/* A decimal integer without printf's machinery (two per event). */
static void
jsonout_int(struct buf *out, long long v)
{
	char d[24];
	size_t k = sizeof d;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		d[--k] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		d[--k] = '-';
	buf_append(out, d + k, sizeof d - k);
}

/* A literal piece: its length known when compiled, no strlen per event. */
#define JSONOUT_LIT(out, lit)	buf_append((out), (lit), sizeof(lit) - 1)

void
jsonout_log_event(struct buf *out, const struct log_event *ev, const char *group)
{
	const char *stream = ev->stream != NULL ? ev->stream : "";

	JSONOUT_LIT(out, "{\"timestamp\":");
	jsonout_int(out, (long long)ev->timestamp);
	JSONOUT_LIT(out, ",\"ingestionTime\":");
	jsonout_int(out, (long long)ev->ingestion_time);
	JSONOUT_LIT(out, ",\"logGroupName\":");
	jsonout_string(out, group != NULL ? group : "", group != NULL ? strlen(group) : 0);
	JSONOUT_LIT(out, ",\"logStreamName\":");
	jsonout_string(out, stream, strlen(stream));
	JSONOUT_LIT(out, ",\"message\":");
	jsonout_string(out, ev->message != NULL ? ev->message : "", ev->message_len);
	if (ev->event_id[0] != '\0') {
		JSONOUT_LIT(out, ",\"eventId\":");
		jsonout_string(out, ev->event_id, strlen(ev->event_id));
	}
	JSONOUT_LIT(out, "}\n");
}
