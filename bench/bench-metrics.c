/*
 * The functions view's metrics at scale: one GetMetricData answer for 100
 * functions over 24 hours at a 5-minute period (288 points a series),
 * read, merged per query id, put on the time grid per function and drawn
 * as sparklines, as the console does on each refresh. Target: under
 * 50 ms for the two series a function the view draws (invocations,
 * errors); the six series of `dlc metrics` are timed too, for reference.
 * The answer is an XML body captured from fakeaws (bench-metrics.sh:
 * `bench-metrics FILE SERIES END`, SERIES 2 or 6 a function, END the
 * window's end in epoch seconds), or else one written here in AWS's
 * shape. Reports the median and the best
 * of 15 runs. Built by `make bench/bench-metrics`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cw-metrics.h"
#include "fn-metrics.h"
#include "sparkline.h"
#include "timeutil.h"
#include "xmalloc.h"

#define FUNCTIONS	100
#define PERIOD		300
#define SPAN		86400
#define RUNS		15
#define WIDTH		24

static double
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* An answer as AWS writes it for the batch's queries over its grid. */
static char *
bench_body(const struct fn_metrics_batch *b, size_t *len)
{
	struct buf out;
	size_t q, i, g = fn_metrics_grid(b);
	char iso[32];

	buf_init(&out, 0);
	buf_puts(&out, "<GetMetricDataResponse xmlns=\"http://monitoring."
	    "amazonaws.com/doc/2010-08-01/\">\n  <GetMetricDataResult>\n"
	    "    <MetricDataResults>\n");
	for (q = 0; q < b->n; q++) {
		buf_printf(&out, "      <member>\n        <Id>%s</Id>\n"
		    "        <Label>%s</Label>\n        <Timestamps>\n",
		    b->q[q].id, b->q[q].metric);
		for (i = 0; i < g; i++) {
			timeutil_format_iso(b->start + (time_t)i * PERIOD, iso,
			    sizeof iso);
			buf_printf(&out, "          <member>%s</member>\n", iso);
		}
		buf_puts(&out, "        </Timestamps>\n        <Values>\n");
		for (i = 0; i < g; i++)
			buf_printf(&out, "          <member>%.1f</member>\n",
			    (double)((q * 7919 + i * 104729) % 1000) / 4);
		buf_puts(&out, "        </Values>\n        <StatusCode>Complete"
		    "</StatusCode>\n      </member>\n");
	}
	buf_puts(&out, "    </MetricDataResults>\n    <Messages/>\n"
	    "  </GetMetricDataResult>\n  <ResponseMetadata>\n    <RequestId>"
	    "0e4bd6f4-2b6c-4f0e-9a1e-1c2d3e4f5a6b</RequestId>\n"
	    "  </ResponseMetadata>\n</GetMetricDataResponse>\n");
	return buf_detach(&out, len);
}

static char *
bench_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf out;
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	buf_init(&out, 0);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&out, chunk, n);
	fclose(f);
	return buf_detach(&out, len);
}

/*
 * One refresh: parse, merge, grid, draw. Returns the wall ms, *cpu the
 * process's CPU ms (what a shared, loaded machine inflates least);
 * *cells counts the cells drawn.
 */
static double
bench_once(const struct fn_metrics_batch *b, const char *body, size_t len,
    size_t *cells, double *cpu)
{
	struct cw_metrics_page page;
	struct cw_series *series = xcalloc(b->n + 1, sizeof *series);
	struct fn_metrics *fms;
	struct dlc_err err;
	char line[WIDTH * SPARKLINE_MAX_GLYPH + 1];
	double c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID), t0 = clock_ms(CLOCK_MONOTONIC), t;
	size_t f, i;
	int m;

	if (cw_metrics_parse(body, len, &page, &err) != 0) {
		fprintf(stderr, "bench-metrics: %s: %s\n", err.code,
		    err.message);
		exit(1);
	}
	cw_metrics_merge(series, b->q, b->n, &page);
	cw_metrics_page_clear(&page);
	fms = fn_metrics_collect(b, series, b->n);
	*cells = 0;
	for (f = 0; f < b->n_functions; f++)
		for (m = 0; m < FN_METRIC_COUNT; m++) {
			struct cw_series *s = fn_metrics_series(&fms[f], m);

			if (s->n > 0)
				*cells += sparkline_render(s->v, s->n, WIDTH,
				    1, line, sizeof line);
		}
	t = clock_ms(CLOCK_MONOTONIC) - t0;
	*cpu = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	fn_metrics_free(fms, b->n_functions);
	for (i = 0; i < b->n; i++)
		cw_series_clear(&series[i]);
	free(series);
	return t;
}

static void
bench_run(const char *what, unsigned mask, const char *path, time_t end)
{
	const char **names = xcalloc(FUNCTIONS, sizeof *names);
	char (*store)[48] = xcalloc(FUNCTIONS, sizeof *store);
	struct fn_metrics_batch b;
	double ms[RUNS], cpu[RUNS];
	size_t i, len, cells = 0;
	char *body;

	for (i = 0; i < FUNCTIONS; i++) {
		snprintf(store[i], sizeof store[i], "bench-fn-%03zu-to-s3-raw", i);
		names[i] = store[i];
	}
	fn_metrics_batch_init(&b, names, FUNCTIONS, mask, PERIOD, end, SPAN);
	body = path != NULL ? bench_read(path, &len) : bench_body(&b, &len);
	for (i = 0; i < RUNS; i++)
		ms[i] = bench_once(&b, body, len, &cells, &cpu[i]);
	qsort(ms, RUNS, sizeof ms[0], cmp_double);
	qsort(cpu, RUNS, sizeof cpu[0], cmp_double);
	printf("%-24s %zu series x %zu slots, %.1f MB of XML: parse+merge+"
	    "grid+draw wall median %.1f ms (best %.1f), CPU median %.1f ms "
	    "(best %.1f); %zu sparkline cells\n", what, b.n,
	    fn_metrics_grid(&b), (double)len / 1e6, ms[RUNS / 2], ms[0],
	    cpu[RUNS / 2], cpu[0], cells);
	free(body);
	fn_metrics_batch_clear(&b);
	free(names);
	free(store);
}

int
main(int argc, char **argv)
{
	unsigned two = FN_METRIC_BIT(FN_METRIC_INVOCATIONS) |
	    FN_METRIC_BIT(FN_METRIC_ERRORS);

	if (argc == 4) {
		bench_run("captured from fakeaws", strcmp(argv[2], "6") == 0 ?
		    FN_METRICS_ALL : two, argv[1], (time_t)strtoll(argv[3],
		    NULL, 10));
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: bench-metrics [FILE 2|6 END]\n");
		return 2;
	}
	/* On a period boundary, so every point is on the grid. */
	bench_run("written here, 2 series", two, NULL, 1764748800);
	bench_run("written here, 6 series", FN_METRICS_ALL, NULL, 1764748800);
	return 0;
}
