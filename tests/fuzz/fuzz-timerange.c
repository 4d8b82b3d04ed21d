/*
 * libFuzzer target for src/timerange.c (and the ISO 8601 and duration
 * readers of src/timeutil.c under it): any string parses or is refused,
 * and a time it reads, written back in UTC, reads back the same.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timerange.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* 2026-11-25T10:00:00.123Z, a fixed "now". */
	const int64_t now = 1795600800123LL;
	struct dlc_err err;
	char s[256], text[TIMERANGE_LEN];
	int64_t ms, back;
	int n;

	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	dlc_err_clear(&err);
	if (timerange_parse(s, now, &ms, &err) != 0) {
		if (err.message[0] == '\0')
			abort();
		return 0;
	}
	n = timerange_format(ms, 1, text, sizeof text);
	(void)timerange_format(ms, 0, s, sizeof s);
	if (n != 24 || text[0] < '0' || text[0] > '9')
		return 0;	/* a year outside 0000..9999 */
	if (timerange_parse(text, now, &back, &err) != 0 || back != ms) {
		fprintf(stderr, "%lld wrote \"%s\", read back as %lld\n",
		    (long long)ms, text, (long long)back);
		abort();
	}
	return 0;
}
