/* The console log view's time range: see logrange.h. */
#include "logrange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timerange.h"
#include "timeutil.h"

#define DAY_MS	((int64_t)86400000)

void
logrange_default(struct logrange *r, int64_t now_ms)
{
	r->back_ms = LOGRANGE_DEFAULT_BACK_MS;
	r->since_ms = now_ms - r->back_ms;
	r->until_ms = -1;
}

int
logrange_set(struct logrange *r, const char *since, const char *until,
    int64_t now_ms, struct dlc_err *err)
{
	struct logrange n;
	long long secs;

	logrange_default(&n, now_ms);
	if (since != NULL && *since != '\0') {
		if (timerange_parse(since, now_ms, &n.since_ms, err) != 0) {
			dlc_err_what(err, "--since");
			return -1;
		}
		/* "3h" stays three hours back however long the view is open. */
		n.back_ms = timeutil_parse_duration(since, &secs) == 0 ?
		    now_ms - n.since_ms : 0;
	}
	if (until != NULL && *until != '\0') {
		if (timerange_parse(until, now_ms, &n.until_ms, err) != 0) {
			dlc_err_what(err, "--until");
			return -1;
		}
		if (n.until_ms < n.since_ms) {
			dlc_err_set(err, "BadTime", "--until %.64s is before "
			    "--since %.64s", until, since != NULL && *since != '\0' ?
			    since : "1h");
			dlc_err_fix(err, "give an until after the since, or none "
			    "to follow");
			return -1;
		}
	}
	*r = n;
	return 0;
}

/* The value of option words[i] ("--since X" or "--since=X"), or NULL when it is not name. */
static const char *
logrange_opt(char **words, size_t n, size_t i, const char *name, size_t *used)
{
	size_t len = strlen(name);

	if (strncmp(words[i], name, len) != 0)
		return NULL;
	if (words[i][len] == '=') {
		*used = 1;
		return words[i] + len + 1;
	}
	if (words[i][len] != '\0')
		return NULL;
	*used = 2;
	return i + 1 < n ? words[i + 1] : "";
}

int
logrange_take_args(struct logrange *r, char **words, size_t *n,
    int64_t now_ms, struct dlc_err *err)
{
	const char *since = NULL, *until = NULL, *v;
	size_t i, k, used, out;

	for (i = 0; i < *n; i += used) {
		used = 1;
		if ((v = logrange_opt(words, *n, i, "--since", &used)) != NULL)
			since = v;
		else if ((v = logrange_opt(words, *n, i, "--until", &used)) != NULL)
			until = v;
		else
			continue;
		if (*v == '\0') {
			dlc_err_set(err, "BadOption", "%s needs a time",
			    since == v ? "--since" : "--until");
			dlc_err_fix(err, "as dlc logs takes it: --since 3h, "
			    "--until 2026-12-03T10:00");
			return -1;
		}
	}
	if (logrange_set(r, since, until, now_ms, err) != 0)
		return -1;
	/* Only now, the times read: out of the words they go. */
	for (i = 0, out = 0; i < *n; i += used) {
		used = 1;
		if (logrange_opt(words, *n, i, "--since", &used) == NULL &&
		    logrange_opt(words, *n, i, "--until", &used) == NULL) {
			used = 1;
			words[out++] = words[i];
			continue;
		}
		for (k = 0; k < used && i + k < *n; k++)
			free(words[i + k]);
	}
	*n = out;
	words[out] = NULL;
	return 0;
}

int
logrange_parse_prompt(struct logrange *r, const char *text, int64_t now_ms,
    struct dlc_err *err)
{
	char since[128], until[128];
	int got;

	since[0] = until[0] = '\0';
	got = sscanf(text, " %127s %127s", since, until);
	if (got < 0)
		got = 0;
	return logrange_set(r, got >= 1 ? since : NULL, got >= 2 ? until : NULL,
	    now_ms, err);
}

/* ms as a duration timeutil_parse_duration reads back: "2h", "1h30m", "1d8h". */
static void
logrange_duration(int64_t ms, char *buf, size_t len)
{
	static const struct { char unit; int64_t secs; } u[] = {
		{ 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 }
	};
	int64_t secs = ms / 1000;
	size_t i, off = 0;

	buf[0] = '\0';
	if (secs <= 0)
		secs = 1;
	for (i = 0; i < sizeof u / sizeof u[0]; i++)
		if (secs >= u[i].secs && off < len) {
			off += (size_t)snprintf(buf + off, len - off, "%lld%c",
			    (long long)(secs / u[i].secs), u[i].unit);
			secs %= u[i].secs;
		}
}

void
logrange_prompt_text(const struct logrange *r, char *buf, size_t len)
{
	char s[TIMERANGE_LEN], u[TIMERANGE_LEN];

	if (r->back_ms > 0)
		logrange_duration(r->back_ms, s, sizeof s);
	else
		timerange_format(r->since_ms, 1, s, sizeof s);
	u[0] = '\0';
	if (r->until_ms >= 0)
		timerange_format(r->until_ms, 1, u, sizeof u);
	snprintf(buf, len, "%s%s%s", s, *u != '\0' ? " " : "", u);
}

void
logrange_refresh(struct logrange *r, int64_t now_ms)
{
	if (r->back_ms > 0)
		r->since_ms = now_ms - r->back_ms;
}

void
logrange_widen(struct logrange *r, int64_t now_ms)
{
	int64_t end = r->until_ms >= 0 ? r->until_ms : now_ms;
	int64_t span = end - r->since_ms;

	if (span < 60000)
		span = 60000;
	if (r->back_ms > 0 && r->until_ms < 0) {
		r->back_ms = span * 2;
		r->since_ms = now_ms - r->back_ms;
	} else
		r->since_ms = end - span * 2;
	if (r->since_ms < 0)
		r->since_ms = 0;
}

/* "10:00", with the date in front when it is not now's UTC day. */
static void
logrange_clock(int64_t ms, int64_t now_ms, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "?");
		return;
	}
	if (ms / DAY_MS != now_ms / DAY_MS)
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	else
		strftime(buf, len, "%H:%M", &tm);
}

void
logrange_describe(const struct logrange *r, int64_t now_ms, char *buf,
    size_t len)
{
	char a[32], b[32];

	if (r->until_ms < 0 && r->back_ms > 0) {
		logrange_duration(r->back_ms, a, sizeof a);
		snprintf(buf, len, "since %s", a);
		return;
	}
	logrange_clock(r->since_ms, now_ms, a, sizeof a);
	if (r->until_ms < 0) {
		snprintf(buf, len, "since %s UTC", a);
		return;
	}
	logrange_clock(r->until_ms, now_ms, b, sizeof b);
	snprintf(buf, len, "%s–%s UTC", a, b);
}

/* "HH:MM" or "HH:MM:SS" into seconds of the day; -1 otherwise. */
static long
logrange_clock_secs(const char *s)
{
	int h, m, sec = 0, used = 0;
	size_t len = strlen(s);

	if (len == 5 && sscanf(s, "%2d:%2d%n", &h, &m, &used) == 2 && used == 5)
		;
	else if (len == 8 && sscanf(s, "%2d:%2d:%2d%n", &h, &m, &sec, &used) == 3 &&
	    used == 8)
		;
	else
		return -1;
	if (s[0] < '0' || s[0] > '9' || s[3] < '0' || s[3] > '9' ||
	    (len == 8 && (s[6] < '0' || s[6] > '9')))
		return -1;
	if (h > 23 || m > 59 || sec > 59)
		return -1;
	return (long)h * 3600 + m * 60 + sec;
}

int
logrange_parse_at(const char *s, int64_t now_ms, int64_t *out_ms,
    struct dlc_err *err)
{
	long secs = logrange_clock_secs(s);
	int64_t t;

	if (secs < 0) {
		if (timerange_parse(s, now_ms, out_ms, err) != 0) {
			dlc_err_fix(err, "give a clock time (12:00, 12:00:30 UTC), "
			    "a duration back from now (90s, 10m, 2h), an ISO 8601 "
			    "time (2026-11-23T10:00) or epoch milliseconds");
			return -1;
		}
		return 0;
	}
	/* The latest such time of day: "12:00" at 09:00 is yesterday's. */
	t = now_ms / DAY_MS * DAY_MS + (int64_t)secs * 1000;
	if (t > now_ms)
		t -= DAY_MS;
	*out_ms = t;
	return 0;
}
