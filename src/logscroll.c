/*
 * The log view's scrolling by screen rows: see logscroll.h. Offsets are
 * found by walking from the top event to the cursor, never further than a
 * screen, so a draw or a key costs about a screenful of row counts.
 */
#include "logscroll.h"

#include <string.h>

enum logscroll_pos { LOGSCROLL_AT, LOGSCROLL_ABOVE, LOGSCROLL_BELOW, LOGSCROLL_UNKNOWN };

void
logscroll_init(struct logscroll *s, struct logview *lv)
{
	memset(s, 0, sizeof *s);
	s->top = LOGVIEW_NONE;
	s->cur_at = LOGVIEW_NONE;
	logview_track(lv, &s->top);
	logview_track(lv, &s->cur_at);
}

/* Where event cur's first row is, in rows from the screen's top (*off). */
static enum logscroll_pos
logscroll_offset(const struct logscroll *s, const struct logview *lv, size_t cur,
    size_t screen, logscroll_rows_fn rows, void *arg, long *off)
{
	size_t t = s->top;

	if (t == LOGVIEW_NONE || !logview_shown(lv, t))
		return LOGSCROLL_UNKNOWN;
	if (cur < t)
		return LOGSCROLL_ABOVE;
	*off = -(long)s->top_row;
	while (t != cur) {
		*off += (long)rows(arg, t);
		if (*off >= (long)screen)
			return LOGSCROLL_BELOW;
		if ((t = logview_next_shown(lv, t)) == LOGVIEW_NONE)
			return LOGSCROLL_UNKNOWN;
	}
	return LOGSCROLL_AT;
}

/* Row end - 1 of event e on the screen's last row (or as low as the events above allow). */
static void
logscroll_bottom(struct logscroll *s, const struct logview *lv, size_t e, size_t end,
    size_t screen, logscroll_rows_fn rows, void *arg)
{
	size_t acc = end, t = e, prev, r;

	if (end >= screen) {
		s->top = e;
		s->top_row = end - screen;
		return;
	}
	for (;;) {
		if ((prev = logview_prev_shown(lv, t)) == LOGVIEW_NONE) {
			s->top = t;
			s->top_row = 0;
			return;
		}
		r = rows(arg, prev);
		if (acc + r >= screen) {
			s->top = prev;
			s->top_row = acc + r - screen;
			return;
		}
		acc += r;
		t = prev;
	}
}

/* Row lo of event e on the screen's first row, unless that leaves the screen's bottom empty. */
static void
logscroll_top(struct logscroll *s, const struct logview *lv, size_t e, size_t lo, size_t n,
    size_t screen, logscroll_rows_fn rows, void *arg)
{
	size_t acc = n - lo, t = e, last = e;

	s->top = e;
	s->top_row = lo;
	while (acc < screen && (t = logview_next_shown(lv, t)) != LOGVIEW_NONE) {
		acc += rows(arg, t);
		last = t;
	}
	if (acc < screen)
		logscroll_bottom(s, lv, last, rows(arg, last), screen, rows, arg);
}

void
logscroll_place(struct logscroll *s, struct logview *lv, size_t screen,
    logscroll_rows_fn rows, void *arg)
{
	size_t cur = logview_cursor(lv), n, lo, hi;
	long off = 0;

	if (cur == LOGVIEW_NONE || screen == 0) {
		s->top = cur;
		s->top_row = 0;
		return;
	}
	n = rows(arg, cur);
	if (logview_following(lv)) {
		logscroll_bottom(s, lv, cur, n, screen, rows, arg);
		return;
	}
	if (s->cur_at != cur) {
		s->cur_at = cur;
		s->cur_row = 0;
	}
	if (s->cur_row >= n)
		s->cur_row = n - 1;
	if (s->top != LOGVIEW_NONE && s->top_row > 0 && s->top_row >= rows(arg, s->top))
		s->top_row = rows(arg, s->top) - 1;	/* the width changed under it */
	/* The whole event when it fits, else its focus row. */
	lo = n <= screen ? 0 : s->cur_row;
	hi = n <= screen ? n : s->cur_row + 1;
	switch (logscroll_offset(s, lv, cur, screen, rows, arg, &off)) {
	case LOGSCROLL_UNKNOWN:
	case LOGSCROLL_BELOW:
		logscroll_bottom(s, lv, cur, hi, screen, rows, arg);
		break;
	case LOGSCROLL_ABOVE:
		logscroll_top(s, lv, cur, lo, n, screen, rows, arg);
		break;
	case LOGSCROLL_AT:
		if (off + (long)lo < 0)
			logscroll_top(s, lv, cur, lo, n, screen, rows, arg);
		else if (off + (long)hi > (long)screen)
			logscroll_bottom(s, lv, cur, hi, screen, rows, arg);
		break;
	}
}

/* One step; 0 when it could not go further that way. */
static int
logscroll_step(struct logscroll *s, struct logview *lv, int dir, size_t screen,
    logscroll_rows_fn rows, void *arg)
{
	size_t cur = logview_cursor(lv), n, moved;
	long off = 0;
	enum logscroll_pos pos;

	if (cur == LOGVIEW_NONE)
		return 0;
	n = rows(arg, cur);
	pos = logscroll_offset(s, lv, cur, screen, rows, arg, &off);
	if (dir > 0 && pos == LOGSCROLL_AT && off + (long)n > (long)screen) {
		/* The event goes on below the screen: show one more of its rows. */
		s->cur_at = cur;
		s->cur_row = (size_t)((long)screen - off);
		return 1;
	}
	if (dir < 0 && pos == LOGSCROLL_AT && off < 0) {
		if (logview_following(lv))
			logview_set_following(lv, 0);
		s->cur_at = cur;
		s->cur_row = (size_t)(-off - 1);
		return 1;
	}
	logview_move(lv, dir);
	moved = logview_cursor(lv);
	if (moved == cur)
		return 0;
	/* Up onto an event: its last row first, so a tall one scrolls on smoothly. */
	s->cur_at = moved;
	s->cur_row = dir < 0 ? rows(arg, moved) - 1 : 0;
	return 1;
}

void
logscroll_move(struct logscroll *s, struct logview *lv, long n, size_t screen,
    logscroll_rows_fn rows, void *arg)
{
	if (screen == 0) {
		logview_move(lv, n);
		return;
	}
	for (; n != 0; n += n > 0 ? -1 : 1) {
		if (!logscroll_step(s, lv, n > 0 ? 1 : -1, screen, rows, arg))
			break;
		logscroll_place(s, lv, screen, rows, arg);
	}
}
