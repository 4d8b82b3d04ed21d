/*
 * The console's redraw times for the benchmark (bench/bench-console.sh):
 * when DLC_FRAME_STATS names a file, the console writes one line there as
 * it exits. The engine writes it, so ui/ does no file I/O of its own.
 */
#ifndef DLC_FRAMESTATS_H
#define DLC_FRAMESTATS_H

#include <stddef.h>

#include "err.h"

/*
 * Writes "frames N rows R mean_us M p50_us P p95_us Q max_us X\n" to path,
 * replacing it: the n redraw times in us (sorted in place), rows the rows
 * of the list drawn. 0 (nothing written when n is 0), or -1 with err.
 */
int	framestats_write(const char *path, double *us, size_t n, size_t rows,
	    struct dlc_err *err);

#endif
