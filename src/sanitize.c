/* The sanitiser for untrusted text: see sanitize.h for what it does. */
#include "sanitize.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

struct sanitize_range {
	uint32_t	first;
	uint32_t	last;
};

/*
 * East Asian Wide and Fullwidth ranges, and emoji with default emoji
 * presentation: the common part of what glibc's wcwidth() and terminals
 * agree take two columns. Sorted, for a binary search.
 */
static const struct sanitize_range sanitize_wide[] = {
	{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a },
	{ 0x23e9, 0x23ec }, { 0x23f0, 0x23f0 }, { 0x23f3, 0x23f3 },
	{ 0x25fd, 0x25fe }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
	{ 0x267f, 0x267f }, { 0x2693, 0x2693 }, { 0x26a1, 0x26a1 },
	{ 0x26aa, 0x26ab }, { 0x26bd, 0x26be }, { 0x26c4, 0x26c5 },
	{ 0x26ce, 0x26ce }, { 0x26d4, 0x26d4 }, { 0x26ea, 0x26ea },
	{ 0x26f2, 0x26f3 }, { 0x26f5, 0x26f5 }, { 0x26fa, 0x26fa },
	{ 0x26fd, 0x26fd }, { 0x2705, 0x2705 }, { 0x270a, 0x270b },
	{ 0x2728, 0x2728 }, { 0x274c, 0x274c }, { 0x274e, 0x274e },
	{ 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
	{ 0x27b0, 0x27b0 }, { 0x27bf, 0x27bf }, { 0x2b1b, 0x2b1c },
	{ 0x2b50, 0x2b50 }, { 0x2b55, 0x2b55 },
	{ 0x2e80, 0x3029 },	/* CJK radicals .. ideographic punctuation */
	{ 0x302e, 0x303e },
	{ 0x3041, 0x3098 },	/* Hiragana (3099..309a combine) */
	{ 0x309b, 0x33ff },	/* Katakana, Bopomofo, CJK compatibility */
	{ 0x3400, 0xa4cf },	/* CJK ideographs, Yi */
	{ 0xa960, 0xa97f }, { 0xac00, 0xd7a3 },	/* Hangul */
	{ 0xf900, 0xfaff }, { 0xfe10, 0xfe19 }, { 0xfe30, 0xfe6f },
	{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 },	/* fullwidth forms */
	{ 0x16fe0, 0x16fe4 }, { 0x17000, 0x18cff }, { 0x1aff0, 0x1b2ff },
	{ 0x1f004, 0x1f004 }, { 0x1f0cf, 0x1f0cf }, { 0x1f18e, 0x1f18e },
	{ 0x1f191, 0x1f19a }, { 0x1f200, 0x1f2ff },
	{ 0x1f300, 0x1f64f },	/* pictographs, emoticons */
	{ 0x1f680, 0x1f6ff },	/* transport and map */
	{ 0x1f7e0, 0x1f7eb },	/* coloured circles and squares */
	{ 0x1f900, 0x1f9ff }, { 0x1fa70, 0x1faff },
	{ 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

/* Combining marks and zero-width format characters: no column of their own. */
static const struct sanitize_range sanitize_zero[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x05bf, 0x05bf }, { 0x05c1, 0x05c2 }, { 0x05c4, 0x05c5 },
	{ 0x05c7, 0x05c7 }, { 0x0610, 0x061a }, { 0x061c, 0x061c },
	{ 0x064b, 0x065f }, { 0x0670, 0x0670 }, { 0x06d6, 0x06dc },
	{ 0x06df, 0x06e4 }, { 0x06e7, 0x06e8 }, { 0x06ea, 0x06ed },
	{ 0x0711, 0x0711 }, { 0x0730, 0x074a }, { 0x07a6, 0x07b0 },
	{ 0x0900, 0x0902 }, { 0x093c, 0x093c }, { 0x0941, 0x0948 },
	{ 0x094d, 0x094d }, { 0x0951, 0x0957 }, { 0x0962, 0x0963 },
	{ 0x0e31, 0x0e31 }, { 0x0e34, 0x0e3a }, { 0x0e47, 0x0e4e },
	{ 0x1160, 0x11ff },	/* Hangul medial and final jamo */
	{ 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff },
	{ 0x200b, 0x200f }, { 0x202a, 0x202e }, { 0x2060, 0x2064 },
	{ 0x2066, 0x206f }, { 0x20d0, 0x20ff }, { 0x302a, 0x302d },
	{ 0x3099, 0x309a }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
	{ 0xfeff, 0xfeff }, { 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
	{ 0xe0100, 0xe01ef },
};

static int
sanitize_in(const struct sanitize_range *r, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	if (cp < r[0].first || cp > r[n - 1].last)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < r[mid].first)
			hi = mid;
		else if (cp > r[mid].last)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int
sanitize_cp_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (cp < 0x300)
		return 1;
	if (sanitize_in(sanitize_zero,
	    sizeof sanitize_zero / sizeof sanitize_zero[0], cp))
		return 0;
	if (sanitize_in(sanitize_wide,
	    sizeof sanitize_wide / sizeof sanitize_wide[0], cp))
		return 2;
	return 1;
}

size_t
sanitize_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;
	uint32_t c;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	/* The second byte's range is narrowed to refuse overlongs, surrogates
	 * and anything past U+10FFFF (RFC 3629, table 3-7 of Unicode). */
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2;
		c = u[0] & 0x1f;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3;
		c = u[0] & 0x0f;
		if (u[0] == 0xe0)
			lo = 0xa0;
		else if (u[0] == 0xed)
			hi = 0x9f;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4;
		c = u[0] & 0x07;
		if (u[0] == 0xf0)
			lo = 0x90;
		else if (u[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (len < n)
		return 0;
	if (u[1] < lo || u[1] > hi)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3f);
	}
	*cp = c;
	return n;
}

int
sanitize_utf8_valid(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = sanitize_utf8_decode(s + i, len - i, &cp)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

static const char sanitize_fffd[] = "\xef\xbf\xbd";

int
sanitize_utf8_repair(struct buf *out, const char *s, size_t len)
{
	size_t i = 0, start = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = sanitize_utf8_decode(s + i, len - i, &cp)) != 0) {
			i += n;
			continue;
		}
		if (buf_append(out, s + start, i - start) != 0 ||
		    buf_append(out, sanitize_fffd, 3) != 0)
			return -1;
		start = ++i;
	}
	return buf_append(out, s + start, i - start);
}

/* The one table of dangerous code points (see sanitize.h), sorted. */
static const struct sanitize_class_range {
	uint32_t	first;
	uint32_t	last;
	int		class;
} sanitize_classes[] = {
	{ 0x0080, 0x009f, SANITIZE_CP_C1 },
	{ 0x061c, 0x061c, SANITIZE_CP_BIDI },
	{ 0x200b, 0x200d, SANITIZE_CP_INVISIBLE },
	{ 0x200e, 0x200f, SANITIZE_CP_BIDI },
	{ 0x2028, 0x2029, SANITIZE_CP_SEPARATOR },
	{ 0x202a, 0x202e, SANITIZE_CP_BIDI },
	{ 0x2060, 0x2064, SANITIZE_CP_INVISIBLE },
	{ 0x2066, 0x2069, SANITIZE_CP_BIDI },
	{ 0xfeff, 0xfeff, SANITIZE_CP_INVISIBLE },
	{ 0xe0000, 0xe007f, SANITIZE_CP_INVISIBLE },
};

int
sanitize_cp_class(uint32_t cp)
{
	size_t lo = 0, hi = sizeof sanitize_classes / sizeof sanitize_classes[0];

	if (cp < 0x80)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < sanitize_classes[mid].first)
			hi = mid;
		else if (cp > sanitize_classes[mid].last)
			lo = mid + 1;
		else
			return sanitize_classes[mid].class;
	}
	return 0;
}

/*
 * Whether cp is drawn as an escape rather than itself: in messages the
 * invisible ones stay (a zero-width joiner inside an emoji is text), in
 * identifiers nothing of the table does.
 */
static int
sanitize_cp_inert(uint32_t cp, int flags)
{
	int class = sanitize_cp_class(cp);

	if (flags & SANITIZE_IDENTIFIER)
		return class != 0;
	return (class & ~SANITIZE_CP_INVISIBLE) != 0;
}

/* One unit of output: the bytes one input character turns into. */
struct sanitize_unit {
	char	bytes[16];
	size_t	len;
	size_t	width;
	int	newline;	/* a kept line break: the column restarts */
	int	ascii;		/* printable ASCII only, one column a byte */
};

static const char sanitize_hex[] = "0123456789abcdef";

/*
 * Turns the character at s[0..len) into its output and returns the bytes of
 * input it used (at least 1). col is the column so far, for tab stops.
 */
static size_t
sanitize_next(const char *s, size_t len, int flags, size_t col,
    struct sanitize_unit *u)
{
	uint32_t cp;
	size_t n, i;
	int w;

	u->newline = 0;
	u->ascii = 0;
	if ((n = sanitize_utf8_decode(s, len, &cp)) == 0) {
		memcpy(u->bytes, sanitize_fffd, 3);
		u->len = 3;
		u->width = 1;
		return 1;
	}
	if (cp < 0x20 || cp == 0x7f) {
		u->bytes[0] = '\\';
		u->len = 2;
		if (cp == '\n' && (flags & SANITIZE_KEEP_NEWLINE)) {
			u->bytes[0] = '\n';
			u->len = 1;
			u->width = 0;
			u->newline = 1;
			return n;
		} else if (cp == '\t' && (flags & SANITIZE_TAB_AS_SPACE)) {
			u->len = 8 - col % 8;
			for (i = 0; i < u->len; i++)
				u->bytes[i] = ' ';
		} else if (cp == '\t')
			u->bytes[1] = 't';
		else if (cp == '\n')
			u->bytes[1] = 'n';
		else if (cp == '\r')
			u->bytes[1] = 'r';
		else {
			u->bytes[1] = 'x';
			u->bytes[2] = sanitize_hex[cp >> 4];
			u->bytes[3] = sanitize_hex[cp & 0xf];
			u->len = 4;
		}
		u->width = u->len;
		u->ascii = 1;
		return n;
	}
	if (sanitize_cp_inert(cp, flags)) {
		if (flags & SANITIZE_IDENTIFIER) {
			static const char upper[] = "0123456789ABCDEF";
			int digits = cp > 0xffff ? 5 : 4;

			memcpy(u->bytes, "<U+", 3);
			for (i = 0; i < (size_t)digits; i++)
				u->bytes[3 + i] = upper[(cp >> (4 * (digits - 1 - i))) & 0xf];
			u->bytes[3 + digits] = '>';
			u->len = u->width = 4 + (size_t)digits;
		} else {
			u->bytes[0] = '\\';
			u->bytes[1] = 'u';
			for (i = 0; i < 4; i++)
				u->bytes[2 + i] = sanitize_hex[(cp >> (12 - 4 * i)) & 0xf];
			u->len = u->width = 6;
		}
		u->ascii = 1;
		return n;
	}
	memcpy(u->bytes, s, n);
	u->len = n;
	w = sanitize_cp_width(cp);
	u->width = (size_t)w;
	return n;
}

/*
 * How many bytes of s are printable ASCII (0x20..0x7e) from the start,
 * eight a step: a byte below 0x20 borrows, one of 0x7f or above has (or,
 * plus one, gets) its high bit. A false flag can only sit above a real
 * one, so the lowest flag is exact (little-endian).
 */
static size_t
sanitize_ascii_run(const char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t i = 0;

	while (len - i >= 8) {
		uint64_t v, hit;

		memcpy(&v, s + i, 8);
		hit = (((v - ones * 0x20) & ~v) | v | (v + ones)) & highs;
		if (hit != 0)
			return i + ((size_t)__builtin_ctzll(hit) >> 3);
		i += 8;
	}
	while (i < len && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
		i++;
	return i;
}

/*
 * Copies the printable ASCII at the start of [s, end) to w and returns how
 * many bytes: sixteen a step with SSE2, each step storing its whole block
 * before it looks, so w needs 16 bytes of room past the run.
 */
static size_t
sanitize_copy_ascii(char *w, const char *s, const char *end)
{
	const char *p = s;
#if defined(__SSE2__)
	const __m128i low = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* Signed: bytes of 0x80 and up are negative, so below 0x20 too. */
		unsigned hit = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmplt_epi8(v, low), _mm_cmpeq_epi8(v, del)));

		_mm_storeu_si128((__m128i *)(void *)(w + (p - s)), v);
		if (hit != 0)
			return (size_t)(p - s) + (unsigned)__builtin_ctz(hit);
		p += 16;
	}
#endif
	{
		size_t run = sanitize_ascii_run(p, (size_t)(end - p));

		memcpy(w + (p - s), p, run);
		return (size_t)(p - s) + run;
	}
}

size_t
sanitize_append(struct buf *out, const char *s, size_t len, int flags)
{
	struct sanitize_unit u;
	size_t i = 0, col = 0, widest = 0;

	while (i < len) {
		size_t n, run;

		/*
		 * Printable ASCII is most of any log: copied a run at once,
		 * straight into the buffer when the rest fits as it is.
		 */
		if (buf_reserve(out, len - i + 16) == 0) {
			run = sanitize_copy_ascii(out->data + out->len, s + i, s + len);
			out->len += run;
			out->data[out->len] = '\0';
		} else {
			run = sanitize_ascii_run(s + i, len - i);
			if (run > 0 && buf_append(out, s + i, run) != 0)
				break;
		}
		if (run > 0) {
			i += run;
			col += run;
			if (col > widest)
				widest = col;
			continue;
		}
		if (s[i] == '\t' && (flags & SANITIZE_TAB_AS_SPACE)) {
			/* The other control in most logs: inline, to the next stop of 8. */
			n = 8 - col % 8;
			if (buf_append(out, "        ", n) != 0)
				break;
			i++;
			col += n;
			if (col > widest)
				widest = col;
			continue;
		}
		n = sanitize_next(s + i, len - i, flags, col, &u);
		if (buf_append(out, u.bytes, u.len) != 0)
			break;
		i += n;
		if (u.newline)
			col = 0;
		else
			col += u.width;
		if (col > widest)
			widest = col;
	}
	return widest;
}

static char *
sanitize_dup(const char *s, int flags)
{
	struct buf b;
	size_t len;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	/* The worst case is 6 output bytes per input byte ("\u0085" for 2). */
	buf_init(&b, len > ((size_t)-1 - 16) / 6 ? 0 : len * 6 + 16);
	sanitize_append(&b, s, len, flags);
	return buf_detach(&b, NULL);
}

char *
sanitize_str(const char *s)
{
	return sanitize_dup(s, 0);
}

char *
sanitize_id_str(const char *s)
{
	return sanitize_dup(s, SANITIZE_IDENTIFIER);
}

size_t
sanitize_display_width(const char *s, size_t len, int flags)
{
	struct sanitize_unit u;
	size_t i = 0, col = 0, widest = 0;

	while (i < len) {
		i += sanitize_next(s + i, len - i, flags, col, &u);
		col = u.newline ? 0 : col + u.width;
		if (col > widest)
			widest = col;
	}
	return widest;
}

size_t
sanitize_width(const char *s, size_t len)
{
	size_t i = 0, n, width = 0;
	uint32_t cp;

	while (i < len) {
		if ((n = sanitize_utf8_decode(s + i, len - i, &cp)) == 0) {
			width++;
			i++;
			continue;
		}
		width += (size_t)sanitize_cp_width(cp);
		i += n;
	}
	return width;
}

static void
sanitize_pad(struct buf *out, size_t n)
{
	static const char spaces[] = "                ";

	while (n > 0) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;

		if (buf_append(out, spaces, k) != 0)
			return;
		n -= k;
	}
}

/*
 * Bytes of clean text a cell may hold per column: generous for combining
 * marks, but a cell of a million of them (zalgo text) is cut rather than
 * copied whole.
 */
#define SANITIZE_FIT_BYTES_PER_COL	64

void
sanitize_fit(struct buf *out, const char *s, size_t width, int align_right)
{
	sanitize_fit_flags(out, s, width, align_right, 0);
}

void
sanitize_fit_flags(struct buf *out, const char *s, size_t width,
    int align_right, int flags)
{
	struct sanitize_unit u;
	struct buf tmp;
	size_t len, i = 0, total = 0, cut_len = 0, cut_w = 0, pad, k, step, uw;
	int too_long = 0;

	if (width == 0)
		return;
	if (s == NULL)
		s = "";
	len = strlen(s);
	buf_init(&tmp, width < (size_t)-1 / SANITIZE_FIT_BYTES_PER_COL - 1 ?
	    (width + 1) * SANITIZE_FIT_BYTES_PER_COL : 0);
	/*
	 * Read only as far as needed: once the text is wider than the cell,
	 * the rest of a long log line cannot change the result.
	 */
	while (i < len && !too_long) {
		i += sanitize_next(s + i, len - i,
		    (flags & SANITIZE_IDENTIFIER) | SANITIZE_TAB_AS_SPACE, total, &u);
		/*
		 * An escape such as "\x1b" is plain ASCII, one column a byte:
		 * take it a byte at a time so a cut shows as much as fits.
		 * Other units are one character and stay whole.
		 */
		step = u.ascii ? 1 : u.len;
		for (k = 0; k < u.len; k += step) {
			uw = u.ascii ? 1 : u.width;
			if (total + uw > width ||
			    buf_append(&tmp, u.bytes + k, step) != 0) {
				too_long = 1;
				break;
			}
			total += uw;
			/* Where to cut if "…" is needed: the last point that
			 * leaves a column for it, zero-width marks of a kept
			 * character included. */
			if (total <= width - 1) {
				cut_len = tmp.len;
				cut_w = total;
			}
		}
	}
	if (!too_long) {
		pad = width - total;
		if (align_right)
			sanitize_pad(out, pad);
		buf_append(out, tmp.data, tmp.len);
		if (!align_right)
			sanitize_pad(out, pad);
	} else {
		pad = width - 1 - cut_w;
		if (align_right)
			sanitize_pad(out, pad);
		buf_append(out, tmp.data, cut_len);
		buf_puts(out, "\xe2\x80\xa6");
		if (!align_right)
			sanitize_pad(out, pad);
	}
	buf_free(&tmp);
}
