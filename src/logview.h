/*
 * The console's log view, free of curses: the events of one or more
 * functions in a bounded ring (logring.h), what each event is (START, END
 * or REPORT of an invocation, JSON, whether it matches the search or
 * belongs to the chosen request id, kept as flags beside it), which events
 * are shown, and a cursor that either follows the newest event or stays on
 * its event while new ones are counted ("12 new").
 *
 * An event is shown unless: it is a START or END line and platform lines
 * are folded (its REPORT stands for the invocation); the view hides lines
 * that do not match the search; a request id is chosen and the event is
 * not of it. Gap markers are always shown.
 *
 * Indices are ring indices (0 the oldest). Events arrive in any order, the
 * ring keeps time order, and the cursor (and every index tracked with
 * logview_track) stays on its event across late inserts and eviction.
 */
#ifndef DLC_LOGVIEW_H
#define DLC_LOGVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "logevent.h"
#include "logring.h"

#define LOGVIEW_NONE	SIZE_MAX
#define LOGVIEW_MAX_TRACKED 4

struct logview;

/* max_events 0: the ring's default (1,000,000). */
struct logview	*logview_new(size_t max_events);
void		 logview_free(struct logview *lv);	/* NULL is a no-op */

/*
 * Classifies ev, sets its level (logparse_level: the one detector, which
 * dlc logs --color uses too), stores it and keeps the cursor and tracked
 * indices on their events.
 */
void		 logview_add(struct logview *lv, const struct log_event *ev);
void		 logview_add_gap(struct logview *lv, int64_t from_ms, int64_t to_ms,
		    const char *why);
const struct logring *logview_ring(const struct logview *lv);
size_t		 logview_count(const struct logview *lv);

/*
 * The search: a PCRE2 regex (UTF, JIT, case-insensitive unless it holds a
 * capital), or NULL/"" for none. -1 with err on a bad regex; the old
 * search stays. Marks every buffered event, then each new one as it comes.
 */
int		 logview_set_search(struct logview *lv, const char *re, struct dlc_err *err);
const char	*logview_search(const struct logview *lv);	/* NULL: none */
size_t		 logview_match_count(const struct logview *lv);
/*
 * The matches of the search in text (clean text of a line being drawn):
 * fills up to max [start, end) byte pairs, returns how many it filled.
 */
size_t		 logview_find(const struct logview *lv, const char *text, size_t len,
		    size_t *starts, size_t *ends, size_t max);

void		 logview_set_hide_unmatched(struct logview *lv, int on);
int		 logview_hide_unmatched(const struct logview *lv);
void		 logview_set_fold(struct logview *lv, int on);	/* on by default */
int		 logview_fold(const struct logview *lv);
/* Only the events of this request id (NULL or "": all). */
void		 logview_set_request(struct logview *lv, const char *request_id);
const char	*logview_request(const struct logview *lv);	/* NULL: all */

int		 logview_shown(const struct logview *lv, size_t i);
/* The nearest shown event after / before i (LOGVIEW_NONE for none). */
size_t		 logview_next_shown(const struct logview *lv, size_t i);
size_t		 logview_prev_shown(const struct logview *lv, size_t i);
size_t		 logview_last_shown(const struct logview *lv);
/*
 * The next event after i (LOGVIEW_NONE: the first) that would be shown
 * with START/END unfolded: folding is how the console draws an invocation,
 * and a saved file keeps every event the search and request id choose.
 */
size_t		 logview_next_kept(const struct logview *lv, size_t i);

/*
 * The cursor: the event the user is on, LOGVIEW_NONE when nothing is
 * shown. While following it is the newest shown event.
 */
size_t		 logview_cursor(const struct logview *lv);
int		 logview_following(const struct logview *lv);
/* Stops following where the cursor is (pause), or follows again. */
void		 logview_set_following(struct logview *lv, int on);
/* Moves by n shown events; moving down past the newest follows again. */
void		 logview_move(struct logview *lv, long n);
void		 logview_home(struct logview *lv);
/*
 * To the next (dir > 0) or previous match that is shown, wrapping past the
 * newest (oldest) event to the other end: 0 moved, 1 moved after wrapping,
 * -1 no shown event matches (the cursor stays).
 */
int		 logview_next_match(struct logview *lv, int dir);
/* After a new search: to the cursor's event if it matches, else onward, wrapping; as above. */
int		 logview_first_match(struct logview *lv);
/* Shown events that arrived since following stopped. */
uint64_t	 logview_unseen(const struct logview *lv);

/* Keeps *index on its event as events arrive or are evicted (at most LOGVIEW_MAX_TRACKED). */
void		 logview_track(struct logview *lv, size_t *index);

/* Shows event i's JSON pretty-printed, or collapses it again; -1 if it holds no JSON. */
int		 logview_toggle_expanded(struct logview *lv, size_t i);

/* The request id of event i (START/END/REPORT, the Lambda prefix, JSON): 0, or -1. */
int		 logview_request_of(const struct logview *lv, size_t i,
		    char out[64]);

/*
 * Forgets every event (a re-read of another range or pattern follows) and
 * follows again; the search, fold and request id stay. Tracked indices
 * become LOGVIEW_NONE.
 */
void		 logview_clear(struct logview *lv);
/*
 * Stops following on the first shown event at or after ms (the oldest
 * shown when ms is before them all); -1 when no shown event is that late.
 */
int		 logview_goto_time(struct logview *lv, int64_t ms);

#endif
