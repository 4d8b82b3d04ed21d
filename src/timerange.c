/* --since/--until parsing and log time formatting: see timerange.h. */
#include "timerange.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timeutil.h"

static int
timerange_all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int
timerange_parse(const char *s, int64_t now_ms, int64_t *out_ms,
    struct dlc_err *err)
{
	long long secs;
	time_t t;
	int ms = 0;

	if (s == NULL)
		s = "";
	if (strcmp(s, "now") == 0) {
		*out_ms = now_ms;
		return 0;
	}
	if (timerange_all_digits(s) && strlen(s) == 13) {
		int64_t v = 0;

		for (; *s != '\0'; s++)
			v = v * 10 + (*s - '0');
		*out_ms = v;
		return 0;
	}
	if (timeutil_parse_duration(s, &secs) == 0 &&
	    secs <= (INT64_MAX / 1000)) {
		*out_ms = now_ms - (int64_t)secs * 1000;
		return 0;
	}
	if (timeutil_parse_iso8601(s, &t, &ms) == 0) {
		*out_ms = (int64_t)t * 1000 + ms;
		return 0;
	}
	dlc_err_set(err, "BadTime", "\"%.64s\" is not a time dlc understands%s",
	    s, timerange_all_digits(s) ? " (a bare number has no unit)" : "");
	dlc_err_fix(err, "give a duration back from now (90s, 10m, 2h, 1h30m, "
	    "2d, 1w), \"now\", an ISO 8601 time (2026-11-23T10:00, "
	    "2026-11-23T10:00:00Z, 2026-11-23T10:00:00.123+01:00), a date "
	    "(2026-11-23, midnight UTC) or epoch milliseconds (13 digits)");
	return -1;
}

/* The last UTC second formatted, "2026-11-25T10:00:00." (one thread only). */
static int64_t cache_secs = INT64_MIN;
static char cache_text[20];

int
timerange_format(int64_t ms, int utc, char *buf, size_t len)
{
	int64_t secs = ms / 1000, frac = ms % 1000;
	time_t t;
	struct tm tm;
	int n;

	if (frac < 0) {
		frac += 1000;
		secs--;
	}
	t = (time_t)secs;
	if (len > 0)
		buf[0] = '\0';
	/*
	 * Events come many to a second: the UTC second is formatted once and
	 * only the milliseconds are written by hand after that.
	 */
	if (utc && secs == cache_secs && len > 24) {
		memcpy(buf, cache_text, 20);
		buf[20] = (char)('0' + frac / 100);
		buf[21] = (char)('0' + frac / 10 % 10);
		buf[22] = (char)('0' + frac % 10);
		buf[23] = 'Z';
		buf[24] = '\0';
		return 24;
	}
	if (utc) {
		if (gmtime_r(&t, &tm) == NULL)
			return -1;
		n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, (int)frac);
		if (n == 24) {
			memcpy(cache_text, buf, 20);
			cache_secs = secs;
		}
	} else {
		long off;
		char sign;

		if (localtime_r(&t, &tm) == NULL)
			return -1;
		off = tm.tm_gmtoff;
		sign = off < 0 ? '-' : '+';
		if (off < 0)
			off = -off;
		n = snprintf(buf, len,
		    "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02ld:%02ld",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, (int)frac, sign, off / 3600,
		    (off % 3600) / 60);
	}
	if (n < 0 || (size_t)n >= len) {
		if (len > 0)
			buf[0] = '\0';
		return -1;
	}
	return n;
}
