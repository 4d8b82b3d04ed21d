/*
 * Where the log view's screen starts, counted in screen rows, so that an
 * event taller than the screen (a 200 KB line wrapped, a long traceback,
 * pretty-printed JSON) can be scrolled through: the screen starts at row
 * top_row of event top, and the cursor's event has one row that must be
 * on screen (cur_row; the whole event when it fits). Following puts the
 * END of the newest event on the last row. A step down scrolls one row
 * while the cursor's event goes on below the screen, else moves to the
 * next event; a step up likewise. Curses-free: the caller says how many
 * rows an event takes at the width it draws.
 */
#ifndef DLC_LOGSCROLL_H
#define DLC_LOGSCROLL_H

#include <stddef.h>

#include "logview.h"

/* Rows event i takes on screen (at least 1). */
typedef size_t (*logscroll_rows_fn)(void *arg, size_t i);

struct logscroll {
	size_t	top;		/* the first event drawn, LOGVIEW_NONE: none */
	size_t	top_row;	/* its rows above the screen */
	size_t	cur_at;		/* the event cur_row is a row of */
	size_t	cur_row;	/* the row of the cursor's event kept on screen */
};

/* Clears s and has lv keep its indices on their events (two of lv's tracked slots). */
void	logscroll_init(struct logscroll *s, struct logview *lv);
/* Places the screen (screen rows high) so the cursor's event shows as said above. */
void	logscroll_place(struct logscroll *s, struct logview *lv, size_t screen,
	    logscroll_rows_fn rows, void *arg);
/*
 * n steps down (n > 0) or up, one screen row at a time within an event
 * taller than the screen, else one event; placed after each. With screen 0
 * (nothing drawn yet) it moves by events.
 */
void	logscroll_move(struct logscroll *s, struct logview *lv, long n, size_t screen,
	    logscroll_rows_fn rows, void *arg);

#endif
