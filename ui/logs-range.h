/*
 * The log view's time range keys and prompts ([ widen, H set, @ go to a
 * time), kept out of pane-logs.c: they change the range (src/logrange.h)
 * or move the view's cursor; the pane re-reads when the range changed.
 */
#ifndef DLC_UI_LOGS_RANGE_H
#define DLC_UI_LOGS_RANGE_H

#include <stddef.h>

#include "logrange.h"
#include "logview.h"

struct ui;

enum logs_range_result {
	LOGS_RANGE_NOT_MINE,	/* not a range action or prompt */
	LOGS_RANGE_DONE,	/* handled; nothing to read again */
	LOGS_RANGE_REREAD	/* the range changed: read it again */
};

/* The actions "widen-range", "set-range" and "goto-time". */
enum logs_range_result logs_range_action(struct ui *ui, struct logrange *r,
	    const char *action);
/* The prompts "range" and "goto" those actions open. */
enum logs_range_result logs_range_prompt(struct ui *ui, struct logrange *r,
	    struct logview *lv, const char *purpose, const char *text);

/* What an empty view says: "no log events in the last 3h yet; ...", or of a range read once. */
void	logs_range_empty(const struct logrange *r, int following, char *buf,
	    size_t len);
/*
 * 1 when :logs' words name a function or group besides --since/--until
 * (or are such that the view will say what is wrong with them), 0 when
 * they are only a range: the function under the cursor is meant.
 */
int	logs_range_has_names(const char *arg);

#endif
