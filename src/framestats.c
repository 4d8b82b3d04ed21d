/* The console's timings written for the benchmark (see framestats.h). */
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

/* One series' line; 0, or -1 when the write failed. */
static int
framestats_line(FILE *f, struct framestats_series *s, size_t rows)
{
	double sum = 0;
	size_t i, n = s->n;

	for (i = 0; i < n; i++)
		sum += s->us[i];
	qsort(s->us, n, sizeof s->us[0], framestats_cmp);
	return fprintf(f, "%s %zu rows %zu mean_us %.1f p50_us %.1f p95_us %.1f max_us %.1f\n",
	    s->name, n, rows, sum / (double)n, s->us[n / 2], s->us[n * 95 / 100],
	    s->us[n - 1]) < 0 ? -1 : 0;
}

int
framestats_write(const char *path, struct framestats_series *series, size_t n_series,
    size_t rows, struct dlc_err *err)
{
	size_t i, total = 0;
	FILE *f;
	int bad = 0;

	for (i = 0; i < n_series; i++)
		total += series[i].n;
	if (total == 0)
		return 0;
	if ((f = fopen(path, "w")) == NULL)
		goto fail;
	for (i = 0; i < n_series; i++)
		if (series[i].n > 0 && framestats_line(f, &series[i], rows) != 0)
			bad = 1;
	if (fclose(f) == 0 && !bad)
		return 0;
fail:
	dlc_err_set(err, NULL, "%s", strerror(errno));
	dlc_err_what(err, "cannot write the console's timings to %s (DLC_FRAME_STATS)", path);
	dlc_err_fix(err, "name a file in a folder you can write to");
	return -1;
}
