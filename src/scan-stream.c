/*
 * The scan's inner loop: bytes arrive in any pieces, the rules run over
 * whole lines of a bounded buffer (one PCRE2 call per rule per buffer,
 * not per line: JIT then skips ahead at memchr speed), and the last few
 * lines are carried into the next buffer so a private key whose BEGIN
 * line ends one buffer is still seen with its key material. What is
 * carried is scanned twice; a (rule, line) already seen is not reported
 * again.
 */
#include "scan-stream.h"

#include <stdlib.h>
#include <string.h>

#include "scan-rules.h"
#include "xmalloc.h"

#define SCAN_CHUNK		(256 * 1024)
/* Lines carried over: a PEM BEGIN line, headers, a blank line, key material. */
#define SCAN_TAIL_LINES		8
#define SCAN_TAIL_MAX		4096
/* A line longer than half the buffer is cut; the cut keeps more than any token. */
#define SCAN_SPLIT_KEEP		512
/* How binary is told: a NUL in the first bytes, as git and grep tell. */
#define SCAN_BINARY_PROBE	8192
#define SCAN_BEFORE		40
#define SCAN_AFTER		20
#define SCAN_MASK		"********"

struct scan_seen {
	size_t		 rule;
	unsigned long	 line;
};

/* One accepted match in the buffer. */
struct scan_raw {
	size_t		 rule;
	size_t		 start;		/* the match */
	size_t		 s0, s1;	/* the secret in it */
	unsigned long	 line;
};

struct scan_stream {
	const struct scan_allow	*allow;
	struct scan_report	*out;
	pcre2_match_data	*md;
	char			*buf;
	size_t			 len;
	unsigned long		 base_line;	/* line number of buf[0] */
	char			*display;
	size_t			 rel;
	int			 code_file;
	int			 binary;
	int			 probed;
	struct scan_seen	*seen;
	size_t			 n_seen, cap_seen;
	struct scan_raw		*raw;
	size_t			 n_raw, cap_raw;
};

struct scan_stream *
scan_stream_new(const struct scan_allow *allow, struct scan_report *out)
{
	struct scan_stream *s = xcalloc(1, sizeof *s);

	s->allow = allow;
	s->out = out;
	s->buf = xmalloc(SCAN_CHUNK + 1);
	return s;
}

void
scan_stream_free(struct scan_stream *s)
{
	if (s == NULL)
		return;
	pcre2_match_data_free(s->md);
	/* The buffer held file contents, secrets included. */
	explicit_bzero(s->buf, SCAN_CHUNK);
	free(s->buf);
	free(s->display);
	free(s->seen);
	free(s->raw);
	free(s);
}

int
scan_stream_begin(struct scan_stream *s, const char *display, size_t rel,
    struct dlc_err *err)
{
	size_t i;

	for (i = 0; i < scan_rules_count(); i++) {
		if (scan_rules_code(i, err) == NULL)
			return -1;
	}
	if (s->md == NULL)
		s->md = pcre2_match_data_create(10, NULL);
	free(s->display);
	s->display = xstrdup(display);
	s->rel = rel <= strlen(display) ? rel : 0;
	s->code_file = scan_rules_code_file(display + s->rel);
	s->len = 0;
	s->base_line = 1;
	s->binary = 0;
	s->probed = 0;
	s->n_seen = 0;
	s->out->files++;
	return 0;
}

static size_t
scan_stream_count_nl(const char *p, size_t n)
{
	const char *end = p + n, *q;
	size_t count = 0;

	while (p < end && (q = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		count++;
		p = q + 1;
	}
	return count;
}

/* Adds rule at line to the seen set; 0 when it was already there. */
static int
scan_stream_see(struct scan_stream *s, size_t rule, unsigned long line)
{
	size_t i;

	for (i = s->n_seen; i > 0 && s->seen[i - 1].line >= s->base_line; i--) {
		if (s->seen[i - 1].rule == rule && s->seen[i - 1].line == line)
			return 0;
	}
	if (s->n_seen == s->cap_seen) {
		s->cap_seen = s->cap_seen ? s->cap_seen * 2 : 16;
		s->seen = xreallocarray(s->seen, s->cap_seen, sizeof *s->seen);
	}
	s->seen[s->n_seen].rule = rule;
	s->seen[s->n_seen].line = line;
	s->n_seen++;
	return 1;
}

/* Characters of a secret an excerpt keeps: its format's public prefix. */
static size_t
scan_stream_keep(const struct scan_rule *r, const char *secret, size_t len)
{
	size_t i;

	if (r->keep >= 0)
		return (size_t)r->keep < len ? (size_t)r->keep : 0;
	for (i = 0; i < len && i < 12; i++) {
		if (secret[i] == '_' || secret[i] == '-')
			return i + 1;
	}
	return 0;
}

/*
 * The line around raw k, every accepted secret in the window masked (a
 * line may hold a key id and its secret key; neither shows).
 */
static char *
scan_stream_excerpt(const struct scan_stream *s, const struct scan_raw *k,
    size_t end)
{
	const char *b = s->buf;
	size_t ls = k->start, le, w0, w1, pos, j, n;
	struct buf out;

	while (ls > 0 && b[ls - 1] != '\n')
		ls--;
	le = k->start;
	while (le < end && b[le] != '\n')
		le++;
	if (k->s0 >= ls && k->s1 <= le) {
		w0 = k->s0 > ls + SCAN_BEFORE ? k->s0 - SCAN_BEFORE : ls;
		w1 = k->s1 + SCAN_AFTER < le ? k->s1 + SCAN_AFTER : le;
	} else {
		/* private-key: the BEGIN line; the key material is below it. */
		w0 = k->start;
		w1 = k->start + 2 * SCAN_BEFORE < le ? k->start + 2 * SCAN_BEFORE : le;
	}
	while (w0 < w1 && ((unsigned char)b[w0] & 0xC0) == 0x80)
		w0++;		/* not in the middle of a character */
	while (w0 < w1 && (b[w0] == ' ' || b[w0] == '\t'))
		w0++;
	while (w1 > w0 && (b[w1 - 1] == '\r' || b[w1 - 1] == ' '))
		w1--;
	buf_init(&out, 0);
	pos = w0;
	while (pos < w1) {
		const struct scan_raw *m = NULL;

		/* The secret that starts first at or after pos, or covers it. */
		for (j = 0; j < s->n_raw; j++) {
			const struct scan_raw *r = &s->raw[j];

			if (r->s1 <= pos || r->s0 >= w1)
				continue;
			if (m == NULL || r->s0 < m->s0)
				m = r;
		}
		n = m == NULL ? w1 - pos : m->s0 > pos ? m->s0 - pos : 0;
		for (j = 0; j < n; j++)
			buf_putc(&out, b[pos + j] == '\0' ? '.' : b[pos + j]);
		pos += n;
		if (m == NULL)
			break;
		if (m->s0 >= pos) {
			size_t keep = scan_stream_keep(&scan_rules[m->rule],
			    b + m->s0, m->s1 - m->s0);

			buf_append(&out, b + m->s0, keep);
		}
		buf_puts(&out, SCAN_MASK);
		pos = m->s1;
	}
	return buf_detach(&out, NULL);
}

static void
scan_stream_hit(struct scan_stream *s, const struct scan_raw *k, size_t end)
{
	struct scan_report *o = s->out;
	struct scan_hit *h;

	if (!scan_stream_see(s, scan_rules_canon(k->rule), k->line))
		return;
	if (scan_allow_match(s->allow, scan_rules[k->rule].id,
	    s->display + s->rel)) {
		o->allowed++;
		return;
	}
	if (o->n >= SCAN_MAX_HITS) {
		o->dropped++;
		return;
	}
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->hits = xreallocarray(o->hits, o->cap, sizeof *o->hits);
	}
	h = &o->hits[o->n++];
	h->path = xstrdup(s->display);
	h->rel = s->rel;
	h->line = k->line;
	h->rule = scan_rules[k->rule].id;
	h->excerpt = scan_stream_excerpt(s, k, end);
}

static int
scan_stream_raw_cmp(const void *a, const void *b)
{
	const struct scan_raw *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/*
 * One secret, one report, by its most specific rule: a generic hit on a
 * value a format rule also found (GITHUB_TOKEN=ghp_...) is dropped.
 */
static void
scan_stream_yield(struct scan_stream *s)
{
	size_t i, j, n = 0;

	for (i = 0; i < s->n_raw; i++) {
		const struct scan_raw *k = &s->raw[i];
		int covered = 0;

		for (j = 0; scan_rules[k->rule].generic && j < s->n_raw && !covered; j++) {
			covered = !scan_rules[s->raw[j].rule].generic &&
			    s->raw[j].s0 < k->s1 && k->s0 < s->raw[j].s1;
		}
		if (!covered)
			s->raw[n++] = *k;
	}
	s->n_raw = n;
}

/* Runs every rule over buf[0..end). */
static int
scan_stream_match(struct scan_stream *s, size_t end, struct dlc_err *err)
{
	size_t r, off, g, line_off;
	unsigned long line;
	PCRE2_SIZE *ov;
	int rc, flags;

	s->n_raw = 0;
	for (r = 0; r < scan_rules_count(); r++) {
		const pcre2_code *code = scan_rules_code(r, err);
		const struct scan_rule *rule = &scan_rules[r];

		off = 0;
		line_off = 0;
		line = s->base_line;
		while (off < end) {
			rc = pcre2_match(code, (PCRE2_SPTR)s->buf, end, off, 0,
			    s->md, NULL);
			if (rc == PCRE2_ERROR_NOMATCH)
				break;
			if (rc < 0) {
				PCRE2_UCHAR msg[256];

				pcre2_get_error_message(rc, msg, sizeof msg);
				dlc_err_set(err, "ScanFailed", "rule %s could not "
				    "read %s: %s", rule->id, s->display,
				    (const char *)msg);
				dlc_err_fix(err, "this is a bug in dlc: report it "
				    "with the file's size and kind");
				return -1;
			}
			ov = pcre2_get_ovector_pointer(s->md);
			for (g = 1; g < (size_t)rc && ov[2 * g] == PCRE2_UNSET; g++)
				;
			if (g >= (size_t)rc)
				g = 0;
			/* generic-secret's third form is the unquoted value. */
			flags = rule->generic && g == 3 ? SCAN_RULE_UNQUOTED : 0;
			if ((flags == 0 || !s->binary) && (rule->context == NULL ||
			    rule->context(s->buf, ov[0], (int)g)) &&
			    rule->check(s->buf + ov[2 * g],
			    ov[2 * g + 1] - ov[2 * g], flags, s->code_file)) {
				struct scan_raw *k;

				line += scan_stream_count_nl(s->buf + line_off,
				    ov[0] - line_off);
				line_off = ov[0];
				if (s->n_raw == s->cap_raw) {
					s->cap_raw = s->cap_raw ? s->cap_raw * 2 : 16;
					s->raw = xreallocarray(s->raw, s->cap_raw,
					    sizeof *s->raw);
				}
				k = &s->raw[s->n_raw++];
				k->rule = r;
				k->start = ov[0];
				k->s0 = ov[2 * g];
				k->s1 = ov[2 * g + 1];
				k->line = line;
				off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
			} else {
				/* A look-alike may hide a real one starting inside it. */
				off = ov[0] + 1;
			}
		}
	}
	scan_stream_yield(s);
	if (s->n_raw > 1)
		qsort(s->raw, s->n_raw, sizeof *s->raw, scan_stream_raw_cmp);
	return 0;
}

/* Scans the buffer and keeps what the next one needs. */
static int
scan_stream_process(struct scan_stream *s, int final, struct dlc_err *err)
{
	const char *nl = NULL;
	size_t end, t, i, lines;
	int split;

	if (!s->probed) {
		s->binary = memchr(s->buf, '\0', s->len < SCAN_BINARY_PROBE ?
		    s->len : SCAN_BINARY_PROBE) != NULL;
		s->probed = 1;
	}
	/* Older seen entries cannot repeat: their lines are behind the buffer. */
	for (i = 0; i < s->n_seen && s->seen[i].line < s->base_line; i++)
		;
	if (i > 0) {
		memmove(s->seen, s->seen + i, (s->n_seen - i) * sizeof *s->seen);
		s->n_seen -= i;
	}
	end = s->len;
	if (!final) {
		nl = memrchr(s->buf, '\n', s->len);
		end = nl != NULL ? (size_t)(nl - s->buf) + 1 : s->len;
	}
	/* A partial line that fills half the buffer is cut where it stands. */
	split = !final && (nl == NULL || s->len - end > SCAN_CHUNK / 2);
	if (split)
		end = s->len;
	if (scan_stream_match(s, end, err) != 0)
		return -1;
	for (i = 0; i < s->n_raw; i++)
		scan_stream_hit(s, &s->raw[i], end);
	if (final) {
		s->len = 0;
		return 0;
	}
	if (split) {
		t = s->len - SCAN_SPLIT_KEEP;
	} else {
		t = end;
		for (lines = 0; lines < SCAN_TAIL_LINES && t > 0; lines++) {
			const char *q = t >= 2 ? memrchr(s->buf, '\n', t - 1) : NULL;
			size_t nt = q != NULL ? (size_t)(q - s->buf) + 1 : 0;

			if (end - nt > SCAN_TAIL_MAX)
				break;
			t = nt;
		}
	}
	s->base_line += scan_stream_count_nl(s->buf, t);
	memmove(s->buf, s->buf + t, s->len - t);
	s->len -= t;
	return 0;
}

int
scan_stream_feed(struct scan_stream *s, const char *data, size_t len,
    struct dlc_err *err)
{
	size_t take;

	s->out->bytes += len;
	while (len > 0) {
		take = SCAN_CHUNK - s->len < len ? SCAN_CHUNK - s->len : len;
		memcpy(s->buf + s->len, data, take);
		s->len += take;
		data += take;
		len -= take;
		if (s->len == SCAN_CHUNK && scan_stream_process(s, 0, err) != 0)
			return -1;
	}
	return 0;
}

int
scan_stream_end(struct scan_stream *s, struct dlc_err *err)
{
	return scan_stream_process(s, 1, err);
}
