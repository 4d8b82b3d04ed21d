/*
 * The times people give --since and --until (and the console's time
 * prompts): "10m", "1h30m", "now", ISO 8601 times and dates, epoch
 * milliseconds; and the one way log times are written back, in UTC or
 * local time, milliseconds kept.
 */
#ifndef DLC_TIMERANGE_H
#define DLC_TIMERANGE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Room for timerange_format() output and its NUL. */
#define TIMERANGE_LEN	32

/*
 * Parses s into milliseconds since the epoch:
 *   90s 10m 2h 1h30m 2d 1w            that long before now_ms
 *   now                               now_ms
 *   2026-11-23T10:00                  UTC unless a zone is given
 *   2026-11-23T10:00:00Z, 2026-11-23T10:00:00.123+01:00
 *   2026-11-23                        midnight UTC
 *   1795600800123                     epoch milliseconds (13 digits)
 * Returns 0, or -1 with err naming the accepted forms.
 */
int	timerange_parse(const char *s, int64_t now_ms, int64_t *out_ms,
	    struct dlc_err *err);
/*
 * Writes ms as "2026-11-25T10:00:00.123Z" (utc) or in local time with its
 * offset, "2026-11-25T11:00:00.123+01:00". Returns the length, or -1 when
 * len is too small (buf then holds "").
 */
int	timerange_format(int64_t ms, int utc, char *buf, size_t len);

#endif
