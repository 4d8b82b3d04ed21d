/*
 * The console's timings for the benchmark (bench/bench-console.sh): when
 * DLC_FRAME_STATS names a file, the console writes there as it exits, one
 * line a series (redraws of the list; keystroke to paint while moving; the
 * same while typing a filter). The engine writes it, so ui/ does no file
 * I/O of its own.
 */
#ifndef DLC_FRAMESTATS_H
#define DLC_FRAMESTATS_H

#include <stddef.h>

#include "err.h"

/* n times in us under one name; the times are sorted in place. */
struct framestats_series {
	const char	*name;
	double		*us;
	size_t		 n;
};

/*
 * Writes "NAME N rows R mean_us M p50_us P p95_us Q max_us X\n" to path
 * for each series that has times, replacing the file; rows is the rows of
 * the list drawn. 0 (nothing written when no series has times), or -1
 * with err.
 */
int	framestats_write(const char *path, struct framestats_series *series,
	    size_t n_series, size_t rows, struct dlc_err *err);

#endif
