/*
 * Time helpers for what dlc reads from AWS and shows to people: parsing the
 * ISO 8601 shapes AWS and users write, formatting absolute and relative
 * times, and durations such as "1h30m" for --since. All of it is UTC and
 * arithmetic only: nothing depends on the process locale or TZ.
 * timeutil_now() is the one clock, so tests can fix it.
 */
#ifndef DLC_TIMEUTIL_H
#define DLC_TIMEUTIL_H

#include <stddef.h>
#include <time.h>

/* Room for timeutil_format_iso() output and its NUL. */
#define TIMEUTIL_ISO_LEN	21
/* Room for timeutil_format_relative() output and its NUL. */
#define TIMEUTIL_RELATIVE_LEN	32

/*
 * Parses, into seconds since the epoch (and milliseconds when millis is not
 * NULL, else the fraction is ignored):
 *   2026-11-23                      midnight UTC
 *   2026-11-23T10:00                UTC
 *   2026-11-25T10:00:00             UTC
 *   2026-11-25T10:00:00Z            with optional fraction: .2, .220, .123456
 *   2026-11-25T10:00:00+01:00       offsets +HH:MM, +HHMM, -HH:MM, -HHMM
 *   2019-06-20T01:59:45.220+0000    Lambda's LastModified
 * The minutes form takes a zone too. Fields are range-checked (Feb 29 only
 * in leap years, no second 60). Returns -1 on anything else, *out untouched.
 */
int	timeutil_parse_iso8601(const char *s, time_t *out, int *millis);
/* Writes "2026-11-25T10:00:00Z" (truncated to fit len, always terminated). */
void	timeutil_format_iso(time_t t, char *buf, size_t len);
/*
 * Writes how long ago `then` was, seen from `now`: "just now" (under 5 s
 * either way), "45s ago", "3m ago", "3h ago", "5d ago", "2mo ago" (30-day
 * months, from 30 days), "1y ago" (365-day years); "in 5m" and so on for
 * the future. Units are cut, not rounded: 119 s is "1m ago".
 */
void	timeutil_format_relative(time_t then, time_t now, char *buf,
	    size_t len);
/*
 * Parses a duration into seconds: one or more NUMBER UNIT parts, units
 * w d h m s in that order, each at most once ("1h30m", "10m", "2d", "90s",
 * "1w"). A bare number, spaces, signs, empty input, other units and
 * overflow give -1.
 */
int	timeutil_parse_duration(const char *s, long long *seconds);
/* The current time, or the fixed time set for tests. */
time_t	timeutil_now(void);
/* Fixes timeutil_now() at t; 0 returns it to the real clock. */
void	timeutil_set_now_for_tests(time_t t);

#endif
