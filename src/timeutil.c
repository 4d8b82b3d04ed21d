/* UTC time parsing and formatting without locale or TZ: see timeutil.h. */
#include "timeutil.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static time_t timeutil_fixed_now;

time_t
timeutil_now(void)
{
	if (timeutil_fixed_now != 0)
		return timeutil_fixed_now;
	return time(NULL);
}

void
timeutil_set_now_for_tests(time_t t)
{
	timeutil_fixed_now = t;
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard
 * Hinnant's algorithms): plain arithmetic, so no timegm()/TZ subtleties.
 */
static long long
timeutil_days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
timeutil_civil_from_days(long long z, long long *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
timeutil_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
timeutil_mdays(long long y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && timeutil_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly n digits at *p; -1 if they are not all there. */
static int
timeutil_digits(const char **p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return v;
}

/* Reads Z, +HH:MM, +HHMM, -HH:MM or -HHMM into seconds east of UTC. */
static int
timeutil_zone(const char **p, long *offset)
{
	int sign, hh, mm;

	if (**p == 'Z') {
		(*p)++;
		*offset = 0;
		return 0;
	}
	if (**p != '+' && **p != '-')
		return -1;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if ((hh = timeutil_digits(p, 2)) < 0 || hh > 23)
		return -1;
	if (**p == ':')
		(*p)++;
	if ((mm = timeutil_digits(p, 2)) < 0 || mm > 59)
		return -1;
	*offset = sign * (hh * 3600L + mm * 60L);
	return 0;
}

int
timeutil_parse_iso8601(const char *s, time_t *out, int *millis)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, scale;
	long offset = 0;
	long long t;

	if (s == NULL)
		return -1;
	if ((y = timeutil_digits(&p, 4)) < 0 || *p++ != '-' ||
	    (mo = timeutil_digits(&p, 2)) < 1 || mo > 12 || *p++ != '-' ||
	    (d = timeutil_digits(&p, 2)) < 1 || d > timeutil_mdays(y, mo))
		return -1;
	if (*p == 'T') {
		p++;
		if ((h = timeutil_digits(&p, 2)) < 0 || h > 23 ||
		    *p++ != ':' || (mi = timeutil_digits(&p, 2)) < 0 || mi > 59)
			return -1;
		if (*p == ':') {
			p++;
			if ((sec = timeutil_digits(&p, 2)) < 0 || sec > 59)
				return -1;
			if (*p == '.') {
				p++;
				if (*p < '0' || *p > '9')
					return -1;
				/* Milliseconds from the first three digits;
				 * finer digits are read and dropped. */
				for (scale = 100; *p >= '0' && *p <= '9'; p++) {
					ms += (*p - '0') * scale;
					scale /= 10;
				}
			}
		}
		if (*p != '\0' && timeutil_zone(&p, &offset) != 0)
			return -1;
	}
	if (*p != '\0')
		return -1;
	t = timeutil_days_from_civil(y, mo, d) * 86400LL + h * 3600LL +
	    mi * 60LL + sec - offset;
	*out = (time_t)t;
	if (millis != NULL)
		*millis = ms;
	return 0;
}

void
timeutil_format_iso(time_t t, char *buf, size_t len)
{
	long long days, secs, y;
	int m, d;

	if (len == 0)
		return;
	days = (long long)t / 86400;
	secs = (long long)t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	timeutil_civil_from_days(days, &y, &m, &d);
	snprintf(buf, len, "%04lld-%02d-%02dT%02lld:%02lld:%02lldZ", y, m, d,
	    secs / 3600, secs / 60 % 60, secs % 60);
}

void
timeutil_format_relative(time_t then, time_t now, char *buf, size_t len)
{
	unsigned long long diff;
	const char *unit;
	int future = then > now;

	if (len == 0)
		return;
	/* Unsigned subtraction gives the exact distance for any two values. */
	if (future)
		diff = (unsigned long long)then - (unsigned long long)now;
	else
		diff = (unsigned long long)now - (unsigned long long)then;
	if (diff < 5) {
		snprintf(buf, len, "just now");
		return;
	}
	if (diff < 60)
		unit = "s";
	else if (diff < 3600) {
		diff /= 60;
		unit = "m";
	} else if (diff < 86400) {
		diff /= 3600;
		unit = "h";
	} else if (diff < 30 * 86400ULL) {
		diff /= 86400;
		unit = "d";
	} else if (diff < 365 * 86400ULL) {
		diff /= 30 * 86400ULL;
		unit = "mo";
	} else {
		diff /= 365 * 86400ULL;
		unit = "y";
	}
	if (future)
		snprintf(buf, len, "in %llu%s", diff, unit);
	else
		snprintf(buf, len, "%llu%s ago", diff, unit);
}

int
timeutil_parse_duration(const char *s, long long *seconds)
{
	static const char units[] = "wdhms";
	static const long long mult[] = { 604800, 86400, 3600, 60, 1 };
	const char *p = s, *u;
	size_t next = 0, k;
	long long total = 0, n;

	if (s == NULL || *s == '\0')
		return -1;
	while (*p != '\0') {
		if (*p < '0' || *p > '9')
			return -1;
		for (n = 0; *p >= '0' && *p <= '9'; p++) {
			if (n > (LLONG_MAX - (*p - '0')) / 10)
				return -1;
			n = n * 10 + (*p - '0');
		}
		if (*p == '\0' || (u = strchr(units, *p)) == NULL)
			return -1;
		k = (size_t)(u - units);
		/* Largest unit first, each once: "30m1h" is a typo, not 90m. */
		if (k < next)
			return -1;
		next = k + 1;
		p++;
		if (n > LLONG_MAX / mult[k] || total > LLONG_MAX - n * mult[k])
			return -1;
		total += n * mult[k];
	}
	*seconds = total;
	return 0;
}
