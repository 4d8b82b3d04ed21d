/* The console's redraw times written for the benchmark (see framestats.h). */
#include "framestats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
framestats_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
framestats_write(const char *path, double *us, size_t n, size_t rows, struct dlc_err *err)
{
	double sum = 0;
	size_t i;
	FILE *f;
	int bad;

	if (n == 0)
		return 0;
	if ((f = fopen(path, "w")) == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		sum += us[i];
	qsort(us, n, sizeof us[0], framestats_cmp);
	bad = fprintf(f, "frames %zu rows %zu mean_us %.1f p50_us %.1f p95_us %.1f max_us %.1f\n",
	    n, rows, sum / (double)n, us[n / 2], us[n * 95 / 100], us[n - 1]) < 0;
	if (fclose(f) == 0 && !bad)
		return 0;
fail:
	dlc_err_set(err, NULL, "%s", strerror(errno));
	dlc_err_what(err, "cannot write the frame times to %s (DLC_FRAME_STATS)", path);
	dlc_err_fix(err, "name a file in a folder you can write to");
	return -1;
}
