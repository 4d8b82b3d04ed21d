/*
 * The time range a console log view reads: a since, and an until or none
 * (then the view follows), given in the forms `dlc logs --since/--until`
 * take (timerange.h). A since given as a duration stays one ("since 3h",
 * moving with the clock) so the header can say it the way it was typed;
 * the range widens back by doubling; and a time to go to may also be a
 * bare clock time. No curses: the console's pane-logs.c uses it.
 */
#ifndef DLC_LOGRANGE_H
#define DLC_LOGRANGE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* What a log view reads when nothing is said: the last hour. */
#define LOGRANGE_DEFAULT_BACK_MS	(60 * 60 * 1000)

struct logrange {
	int64_t	since_ms;	/* epoch ms, inclusive */
	int64_t	until_ms;	/* epoch ms, inclusive; -1: none, the view follows */
	int64_t	back_ms;	/* > 0: since was given as this long before now */
};

/* The last hour, following. */
void	logrange_default(struct logrange *r, int64_t now_ms);
/*
 * Sets the range from the texts of --since and --until (NULL or "": the
 * default since, no until). -1 with err (naming which) on a time
 * timerange_parse refuses or an until before the since; r is untouched.
 */
int	logrange_set(struct logrange *r, const char *since, const char *until,
	    int64_t now_ms, struct dlc_err *err);
/*
 * Takes "--since X" and "--until X" (also "--since=X") out of words[0..*n),
 * closing the gaps and freeing what it takes, and sets r from them (the
 * default when neither is there). -1 with err on a bad time or an option
 * without its value; words are then left as they were.
 */
int	logrange_take_args(struct logrange *r, char **words, size_t *n,
	    int64_t now_ms, struct dlc_err *err);
/* "SINCE [UNTIL]" as the range prompt takes it ("" : the default). */
int	logrange_parse_prompt(struct logrange *r, const char *text,
	    int64_t now_ms, struct dlc_err *err);
/* The range in the prompt's form, to edit: "3h", "2026-12-03T10:00:00Z 1h". */
void	logrange_prompt_text(const struct logrange *r, char *buf, size_t len);
/* A since given as a duration moves with the clock: since = now - back. */
void	logrange_refresh(struct logrange *r, int64_t now_ms);
/* Twice as far back: since moves back by the range's length (until kept). */
void	logrange_widen(struct logrange *r, int64_t now_ms);
/* For a header: "since 3h", "since 2026-12-02 10:00 UTC", "12:00–13:00 UTC". */
void	logrange_describe(const struct logrange *r, int64_t now_ms, char *buf,
	    size_t len);
/*
 * A time to go to: what timerange_parse takes, or a clock time HH:MM or
 * HH:MM:SS in UTC, the latest one not after now_ms. -1 with err.
 */
int	logrange_parse_at(const char *s, int64_t now_ms, int64_t *out_ms,
	    struct dlc_err *err);

#endif
