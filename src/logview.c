/*
 * The log view's state: see logview.h. What an event is gets worked out
 * once, when it arrives (or when the search or request id changes), and
 * kept in its flags byte in the ring, so deciding whether a line is shown
 * is a byte test and drawing a screen never parses the buffer again.
 */
#include "logview.h"

#include <stdlib.h>
#include <string.h>

#include "logparse.h"
#include "regexp.h"
#include "xmalloc.h"

struct logview {
	struct logring		*ring;
	pcre2_code		*re;
	pcre2_match_data	*md;
	char			*search;
	size_t			 matches;
	int			 hide_unmatched;
	int			 fold;
	char			*request;
	size_t			 cursor;
	int			 following;
	uint64_t		 unseen;
	size_t			*tracked[LOGVIEW_MAX_TRACKED];
	size_t			 n_tracked;
};

struct logview *
logview_new(size_t max_events)
{
	struct logview *lv = xcalloc(1, sizeof *lv);

	lv->ring = logring_new(max_events, 0);
	lv->fold = 1;
	lv->following = 1;
	lv->cursor = LOGVIEW_NONE;
	return lv;
}

void
logview_free(struct logview *lv)
{
	if (lv == NULL)
		return;
	logring_free(lv->ring);
	pcre2_match_data_free(lv->md);
	pcre2_code_free(lv->re);
	free(lv->search);
	free(lv->request);
	free(lv);
}

const struct logring *
logview_ring(const struct logview *lv)
{
	return lv->ring;
}

size_t
logview_count(const struct logview *lv)
{
	return logring_count(lv->ring);
}

static int
logview_matches(const struct logview *lv, const char *msg, size_t len)
{
	return lv->re != NULL && pcre2_match(lv->re, (PCRE2_SPTR)msg, len, 0, 0,
	    lv->md, NULL) >= 0;
}

static int
logview_is_of_request(const struct logview *lv, const char *msg, size_t len)
{
	char rid[LOGPARSE_ID_LEN];

	return lv->request != NULL && logparse_request_id(msg, len, rid) == 0 &&
	    strcmp(rid, lv->request) == 0;
}

static uint8_t
logview_classify(const struct logview *lv, const struct log_event *ev)
{
	char rid[LOGPARSE_ID_LEN];
	struct lambda_report rep;
	uint8_t f = ev->flags & LOG_EVENT_GAP;

	if (f & LOG_EVENT_GAP)
		return f;
	if (logparse_start(ev->message, ev->message_len, rid) == 0)
		f |= LOG_EVENT_START;
	else if (logparse_end(ev->message, ev->message_len, rid) == 0)
		f |= LOG_EVENT_END;
	else if (logparse_report(ev->message, ev->message_len, &rep) == 0)
		f |= LOG_EVENT_REPORT;
	else if (logparse_json_start(ev->message, ev->message_len) >= 0)
		f |= LOG_EVENT_JSON;
	if (logview_matches(lv, ev->message, ev->message_len))
		f |= LOG_EVENT_MATCH;
	if (logview_is_of_request(lv, ev->message, ev->message_len))
		f |= LOG_EVENT_REQUEST;
	return f;
}

static int
logview_flags_shown(const struct logview *lv, uint8_t f)
{
	if (f & LOG_EVENT_GAP)
		return 1;
	if (lv->fold && (f & (LOG_EVENT_START | LOG_EVENT_END)))
		return 0;
	if (lv->hide_unmatched && lv->re != NULL && !(f & LOG_EVENT_MATCH))
		return 0;
	if (lv->request != NULL && !(f & LOG_EVENT_REQUEST))
		return 0;
	return 1;
}

int
logview_shown(const struct logview *lv, size_t i)
{
	return i < logring_count(lv->ring) &&
	    logview_flags_shown(lv, logring_flags(lv->ring, i));
}

size_t
logview_next_shown(const struct logview *lv, size_t i)
{
	size_t n = logring_count(lv->ring);

	for (i = i == LOGVIEW_NONE ? 0 : i + 1; i < n; i++)
		if (logview_shown(lv, i))
			return i;
	return LOGVIEW_NONE;
}

size_t
logview_prev_shown(const struct logview *lv, size_t i)
{
	size_t n = logring_count(lv->ring);

	if (i == LOGVIEW_NONE || i > n)
		i = n;
	while (i-- > 0)
		if (logview_shown(lv, i))
			return i;
	return LOGVIEW_NONE;
}

size_t
logview_next_kept(const struct logview *lv, size_t i)
{
	size_t n = logring_count(lv->ring);
	uint8_t f;

	for (i = i == LOGVIEW_NONE ? 0 : i + 1; i < n; i++) {
		/* Shown with folding off: the search and the request id still choose. */
		f = logring_flags(lv->ring, i);
		if ((f & LOG_EVENT_GAP) ||
		    logview_flags_shown(lv, (uint8_t)(f & ~(LOG_EVENT_START | LOG_EVENT_END))))
			return i;
	}
	return LOGVIEW_NONE;
}

size_t
logview_last_shown(const struct logview *lv)
{
	return logview_prev_shown(lv, LOGVIEW_NONE);
}

/* An index that was at or past the insert moves up; evicted ones go to the oldest. */
static void
logview_shift(size_t *x, size_t inserted_at, size_t evicted, size_t n)
{
	if (*x == LOGVIEW_NONE)
		return;
	if (*x >= inserted_at)
		(*x)++;
	*x = *x >= evicted ? *x - evicted : 0;
	if (*x >= n)
		*x = n > 0 ? n - 1 : LOGVIEW_NONE;
}

/* After the shown set changed: the cursor goes to a shown event near it. */
static void
logview_settle(struct logview *lv)
{
	size_t c;

	if (lv->following || lv->cursor == LOGVIEW_NONE) {
		lv->cursor = logview_last_shown(lv);
		return;
	}
	if (logview_shown(lv, lv->cursor))
		return;
	c = logview_next_shown(lv, lv->cursor);
	lv->cursor = c != LOGVIEW_NONE ? c : logview_prev_shown(lv, lv->cursor);
}

static void
logview_store(struct logview *lv, struct log_event *ev)
{
	uint64_t dropped = logring_dropped(lv->ring);
	size_t pos, inserted_at, evicted, n, i;

	logring_add(lv->ring, ev);
	pos = logring_last_index(lv->ring);
	evicted = (size_t)(logring_dropped(lv->ring) - dropped);
	n = logring_count(lv->ring);
	/* Where it went before the eviction; an event evicted at once went first. */
	inserted_at = pos == LOGVIEW_NONE ? 0 : pos + evicted;
	logview_shift(&lv->cursor, inserted_at, evicted, n);
	for (i = 0; i < lv->n_tracked; i++)
		logview_shift(lv->tracked[i], inserted_at, evicted, n);
	if (pos != LOGVIEW_NONE && (ev->flags & LOG_EVENT_MATCH))
		lv->matches++;
	if (pos == LOGVIEW_NONE || !logview_flags_shown(lv, ev->flags)) {
		if (lv->cursor != LOGVIEW_NONE && !logview_shown(lv, lv->cursor))
			logview_settle(lv);
		return;
	}
	if (lv->cursor == LOGVIEW_NONE || (lv->following && pos > lv->cursor))
		lv->cursor = pos;
	else if (!lv->following && pos > lv->cursor)
		lv->unseen++;
}

void
logview_add(struct logview *lv, const struct log_event *ev)
{
	struct log_event e = *ev;

	e.flags = logview_classify(lv, ev);
	/* The fetchers leave the level unset; the view colours by it (as dlc logs --color does). */
	if (!(ev->flags & LOG_EVENT_GAP))
		e.level = (uint8_t)logparse_level(ev->message, ev->message_len);
	logview_store(lv, &e);
}

void
logview_add_gap(struct logview *lv, int64_t from_ms, int64_t to_ms,
    const char *why)
{
	struct log_event e;

	memset(&e, 0, sizeof e);
	e.timestamp = from_ms;
	e.ingestion_time = to_ms;
	e.flags = LOG_EVENT_GAP;
	e.message = (char *)(why != NULL ? why : "");
	e.message_len = strlen(e.message);
	logview_store(lv, &e);
}

/* Sets or clears one flag on every event from test(); returns how many have it. */
static size_t
logview_remark(struct logview *lv, uint8_t flag,
    int (*test)(const struct logview *, const char *, size_t))
{
	size_t i, n = logring_count(lv->ring), count = 0;

	for (i = 0; i < n; i++) {
		uint8_t f = logring_flags(lv->ring, i), g;
		size_t len;
		const char *msg = logring_message(lv->ring, i, &len);

		g = (f & LOG_EVENT_GAP) == 0 && test(lv, msg, len) ? (uint8_t)(f | flag) :
		    (uint8_t)(f & ~flag);
		if (g & flag)
			count++;
		if (g != f)
			logring_set_flags(lv->ring, i, g);
	}
	return count;
}

int
logview_set_search(struct logview *lv, const char *re, struct dlc_err *err)
{
	pcre2_code *code = NULL;

	if (re != NULL && *re != '\0' &&
	    (code = regexp_compile(re, "BadRegex", "search", err)) == NULL)
		return -1;
	pcre2_match_data_free(lv->md);
	pcre2_code_free(lv->re);
	free(lv->search);
	lv->re = code;
	lv->md = code != NULL ? pcre2_match_data_create_from_pattern(code, NULL) : NULL;
	lv->search = code != NULL ? xstrdup(re) : NULL;
	lv->matches = logview_remark(lv, LOG_EVENT_MATCH, logview_matches);
	logview_settle(lv);
	return 0;
}

const char *
logview_search(const struct logview *lv)
{
	return lv->search;
}

size_t
logview_match_count(const struct logview *lv)
{
	return lv->matches;
}

size_t
logview_find(const struct logview *lv, const char *text, size_t len,
    size_t *starts, size_t *ends, size_t max)
{
	size_t n = 0, off = 0;

	while (lv->re != NULL && n < max && off <= len) {
		PCRE2_SIZE *ov;

		if (pcre2_match(lv->re, (PCRE2_SPTR)text, len, off, 0, lv->md, NULL) < 0)
			break;
		ov = pcre2_get_ovector_pointer(lv->md);
		if (ov[1] <= ov[0]) {
			/* An empty match highlights nothing; step past it. */
			off = ov[0] + 1;
			continue;
		}
		starts[n] = ov[0];
		ends[n++] = ov[1];
		off = ov[1];
	}
	return n;
}

void
logview_set_hide_unmatched(struct logview *lv, int on)
{
	lv->hide_unmatched = on;
	logview_settle(lv);
}

int
logview_hide_unmatched(const struct logview *lv)
{
	return lv->hide_unmatched;
}

void
logview_set_fold(struct logview *lv, int on)
{
	lv->fold = on;
	logview_settle(lv);
}

int
logview_fold(const struct logview *lv)
{
	return lv->fold;
}

void
logview_set_request(struct logview *lv, const char *request_id)
{
	free(lv->request);
	lv->request = request_id != NULL && *request_id != '\0' ? xstrdup(request_id) : NULL;
	logview_remark(lv, LOG_EVENT_REQUEST, logview_is_of_request);
	logview_settle(lv);
}

const char *
logview_request(const struct logview *lv)
{
	return lv->request;
}

size_t
logview_cursor(const struct logview *lv)
{
	return lv->cursor;
}

int
logview_following(const struct logview *lv)
{
	return lv->following;
}

void
logview_set_following(struct logview *lv, int on)
{
	lv->following = on;
	lv->unseen = 0;
	if (on)
		lv->cursor = logview_last_shown(lv);
}

void
logview_move(struct logview *lv, long n)
{
	size_t c;

	if (lv->cursor == LOGVIEW_NONE)
		return;
	for (; n > 0; n--) {
		if ((c = logview_next_shown(lv, lv->cursor)) == LOGVIEW_NONE) {
			/* Past the newest line: follow again, like less +F. */
			logview_set_following(lv, 1);
			return;
		}
		lv->cursor = c;
	}
	for (; n < 0; n++) {
		if (lv->following)
			logview_set_following(lv, 0);
		if ((c = logview_prev_shown(lv, lv->cursor)) == LOGVIEW_NONE)
			return;
		lv->cursor = c;
	}
}

void
logview_home(struct logview *lv)
{
	logview_set_following(lv, 0);
	lv->cursor = logview_next_shown(lv, LOGVIEW_NONE);
}

/* The first shown match from i on (dir > 0) or back (dir < 0), i included; LOGVIEW_NONE if none. */
static size_t
logview_match_from(const struct logview *lv, size_t i, int dir)
{
	for (; i != LOGVIEW_NONE; i = dir > 0 ? logview_next_shown(lv, i) : logview_prev_shown(lv, i))
		if (logview_shown(lv, i) && (logring_flags(lv->ring, i) & LOG_EVENT_MATCH))
			return i;
	return LOGVIEW_NONE;
}

/* Goes to the first match from `from` on in dir, else from the far end (wrapped). */
static int
logview_seek_match(struct logview *lv, size_t from, int dir)
{
	size_t i = from, end;
	int wrapped = 0;

	if (lv->re == NULL)
		return -1;
	if (i != LOGVIEW_NONE)
		i = logview_match_from(lv, i, dir);
	if (i == LOGVIEW_NONE) {
		end = dir > 0 ? logview_next_shown(lv, LOGVIEW_NONE) : logview_last_shown(lv);
		if ((i = logview_match_from(lv, end, dir)) == LOGVIEW_NONE)
			return -1;
		wrapped = 1;
	}
	if (lv->following)
		logview_set_following(lv, 0);
	lv->cursor = i;
	return wrapped;
}

int
logview_next_match(struct logview *lv, int dir)
{
	size_t c = lv->cursor;

	if (c != LOGVIEW_NONE)
		c = dir > 0 ? logview_next_shown(lv, c) : logview_prev_shown(lv, c);
	/* At the end already: the next match is found from the other end. */
	if (c == LOGVIEW_NONE && lv->cursor != LOGVIEW_NONE)
		return logview_seek_match(lv, LOGVIEW_NONE, dir) < 0 ? -1 : 1;
	return logview_seek_match(lv, c, dir);
}

int
logview_first_match(struct logview *lv)
{
	return logview_seek_match(lv, lv->cursor, 1);
}

uint64_t
logview_unseen(const struct logview *lv)
{
	return lv->unseen;
}

void
logview_track(struct logview *lv, size_t *index)
{
	if (lv->n_tracked < LOGVIEW_MAX_TRACKED)
		lv->tracked[lv->n_tracked++] = index;
}

int
logview_request_of(const struct logview *lv, size_t i, char out[64])
{
	size_t len;
	const char *msg = logring_message(lv->ring, i, &len);

	if (msg == NULL || (logring_flags(lv->ring, i) & LOG_EVENT_GAP))
		return -1;
	return logparse_request_id(msg, len, out);
}

int
logview_toggle_expanded(struct logview *lv, size_t i)
{
	uint8_t f = logring_flags(lv->ring, i);

	if (!(f & LOG_EVENT_JSON))
		return -1;
	logring_set_flags(lv->ring, i, f ^ LOG_EVENT_EXPANDED);
	return 0;
}

void
logview_clear(struct logview *lv)
{
	size_t i;

	logring_clear(lv->ring);
	lv->matches = 0;
	lv->cursor = LOGVIEW_NONE;
	lv->following = 1;
	lv->unseen = 0;
	for (i = 0; i < lv->n_tracked; i++)
		*lv->tracked[i] = LOGVIEW_NONE;
}

int
logview_goto_time(struct logview *lv, int64_t ms)
{
	size_t lo = 0, hi = logring_count(lv->ring), i;

	/* The ring is in time order: the first event at or after ms. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct log_event *ev = logring_at(lv->ring, mid);

		if (ev->timestamp < ms)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= logring_count(lv->ring))
		return -1;
	i = logview_shown(lv, lo) ? lo : logview_next_shown(lv, lo);
	if (i == LOGVIEW_NONE)
		return -1;
	logview_set_following(lv, 0);
	lv->cursor = i;
	return 0;
}
