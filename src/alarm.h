/*
 * What an on-call engineer reads about an alarm, computed without I/O:
 * the order alarms are listed in (ALARM first), the threshold in words,
 * how long the alarm has been in its state, and which of an environment's
 * functions it belongs to. The words are built from untrusted text (metric
 * names, composite rules): sanitise them before display.
 */
#ifndef DLC_ALARM_H
#define DLC_ALARM_H

#include <stddef.h>
#include <time.h>

#include "cw-alarms.h"

/* ALARM 0, INSUFFICIENT_DATA 1, OK 2, anything else (or NULL) 3. */
int	alarm_state_rank(const char *state);
/* By rank, then by name (strcmp): a stable order whatever AWS's paging was. */
void	alarm_sort(struct cw_alarm_list *l);
/*
 * A mark for the state that reads without colour: utf8 "✖" ALARM, "?"
 * INSUFFICIENT_DATA, "✔" OK; ASCII "!!", "??", "ok". "-" otherwise.
 */
const char *alarm_state_glyph(const char *state, int utf8);
/* "INSUFF_DATA" for INSUFFICIENT_DATA, the state itself otherwise: fits narrow columns. */
const char *alarm_state_short(const char *state);

/*
 * The condition in words, into buf (always terminated; returns buf):
 * "Errors >= 1 for 1 of 1 x 5 min", "Duration (Maximum) > 840000 for 3 of
 * 5 x 1 min", "m1/m2*100 > 5 for ...", "Latency outside band
 * (ANOMALY_DETECTION_BAND(m1, 2)) for ..."; a composite alarm: its rule,
 * with the alarm names' common prefix dropped and quotes removed.
 */
const char *alarm_threshold_words(const struct cw_alarm *a, char *buf,
	    size_t len);
/* "7200 s" -> "2 h": 45 s, 5 min, 1 h, 1 d; odd values in the largest unit they divide. */
const char *alarm_period_words(long seconds, char *buf, size_t len);

/*
 * How long since since, seen from now, in the two largest units: "45s",
 * "3m 20s", "2h 14m", "3d 4h" ("2h" when the second is 0). "0s" for the
 * future, "-" when since is 0 (unknown). Returns buf.
 */
const char *alarm_age_words(time_t since, time_t now, char *buf, size_t len);

/* A function of the environment, as alarm_match looks for it. */
struct alarm_fn {
	const char	*remote;	/* the AWS function name */
	const char	*local;		/* its local folder, or NULL */
};

/*
 * Sets each alarm's function and local_function (replacing earlier ones):
 * its FunctionName dimension (of the alarm, else of its metric-math
 * queries) when it has one, with that function's local folder when fns
 * lists it; else the longest remote name of fns that the alarm's name
 * contains, at a word boundary (start or '-' '_' '.' '/' before, end or
 * one of those after); else none. Linear in the list times fns.
 */
void	alarm_match(struct cw_alarm_list *l, const struct alarm_fn *fns,
	    size_t n_fns);

/*
 * Alarms of l whose function or local_function is function (NULL: any)
 * and whose state is state (NULL: any).
 */
size_t	alarm_count(const struct cw_alarm_list *l, const char *function,
	    const char *state);

#endif
