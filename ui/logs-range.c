/* The log view's time range keys and prompts: see logs-range.h. */
#include "logs-range.h"

#include <stdio.h>
#include <string.h>

#include "ini.h"
#include "timerange.h"
#include "timeutil.h"
#include "ui.h"

/* Seconds are enough for a range and a time to go to: timeutil's one clock. */
static int64_t
logs_range_now(void)
{
	return (int64_t)timeutil_now() * 1000;
}

enum logs_range_result
logs_range_action(struct ui *ui, struct logrange *r, const char *action)
{
	int64_t now = logs_range_now();
	char text[80];

	if (strcmp(action, "widen-range") == 0) {
		logrange_refresh(r, now);
		logrange_widen(r, now);
		logrange_describe(r, now, text, sizeof text);
		ui_message(ui, 0, "reading %s ([ again: twice as far back)", text);
		return LOGS_RANGE_REREAD;
	}
	if (strcmp(action, "set-range") == 0) {
		logrange_prompt_text(r, text, sizeof text);
		ui_prompt_open(ui, "range", "time range (since [until]): ", text);
		return LOGS_RANGE_DONE;
	}
	if (strcmp(action, "goto-time") == 0) {
		ui_prompt_open(ui, "goto", "go to time: ", NULL);
		return LOGS_RANGE_DONE;
	}
	return LOGS_RANGE_NOT_MINE;
}

static void
logs_range_goto(struct ui *ui, struct logrange *r, struct logview *lv,
    const char *text)
{
	int64_t now = logs_range_now(), t;
	char when[TIMERANGE_LEN], range[80];
	struct dlc_err err;

	dlc_err_clear(&err);
	if (*text == '\0')
		return;
	if (logrange_parse_at(text, now, &t, &err) != 0) {
		ui_error(ui, &err);
		return;
	}
	timerange_format(t, 1, when, sizeof when);
	logrange_refresh(r, now);
	if (t < r->since_ms) {
		logrange_describe(r, now, range, sizeof range);
		ui_message(ui, 1, "%s is before the view's range (%s): [ widens it, H sets it",
		    when, range);
		return;
	}
	if (logview_goto_time(lv, t) != 0) {
		ui_message(ui, 1, "no line shown at or after %s", when);
		return;
	}
	ui_message(ui, 0, "at the first line from %s (F: follow)", when);
}

enum logs_range_result
logs_range_prompt(struct ui *ui, struct logrange *r, struct logview *lv,
    const char *purpose, const char *text)
{
	int64_t now = logs_range_now();
	struct dlc_err err;
	char desc[80];

	if (strcmp(purpose, "goto") == 0) {
		logs_range_goto(ui, r, lv, text);
		return LOGS_RANGE_DONE;
	}
	if (strcmp(purpose, "range") != 0)
		return LOGS_RANGE_NOT_MINE;
	dlc_err_clear(&err);
	if (logrange_parse_prompt(r, text, now, &err) != 0) {
		ui_error(ui, &err);
		return LOGS_RANGE_DONE;
	}
	logrange_describe(r, now, desc, sizeof desc);
	ui_message(ui, 0, "reading %s%s", desc, r->until_ms >= 0 ?
	    " (an until: the view does not follow)" : "");
	return LOGS_RANGE_REREAD;
}

void
logs_range_empty(const struct logrange *r, int following, char *buf,
    size_t len)
{
	int64_t now = logs_range_now();
	char desc[80];

	logrange_describe(r, now, desc, sizeof desc);
	if (!following || r->until_ms >= 0)
		snprintf(buf, len, "no log events %s", desc);
	else if (r->back_ms > 0)
		snprintf(buf, len, "no log events in the last %s yet; new ones "
		    "appear here as they arrive", desc + strlen("since "));
	else
		snprintf(buf, len, "no log events %s yet; new ones appear here "
		    "as they arrive", desc);
}

int
logs_range_has_names(const char *arg)
{
	struct logrange r;
	struct dlc_err err;
	char **words;
	size_t n;
	int names;

	dlc_err_clear(&err);
	if (ini_split_words(arg, &words, &n, &err) != 0)
		return 1;
	names = logrange_take_args(&r, words, &n, logs_range_now(), &err) != 0 ||
	    n > 0;
	ini_words_free(words);
	return names;
}
