/*
 * libFuzzer target for GetMetricData's answer reader (src/cw-metrics-wire.c,
 * which reads the XML as it streams): any bytes are a page or an error,
 * never a crash; a page's results each have an Id and as many times as
 * values; merged per id (the page against itself, twice, as two pages of
 * one answer would be) every series is oldest first with one point a
 * time.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cw-metrics.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cw_metrics_page page, again;
	struct cw_metric_query *q;
	struct cw_series *s;
	struct dlc_err err;
	size_t i, k;

	if (cw_metrics_parse((const char *)data, size, &page, &err) != 0) {
		if (page.series != NULL || page.n != 0 || err.code[0] == '\0')
			abort();
		return 0;
	}
	q = calloc(page.n + 1, sizeof *q);
	s = calloc(page.n + 1, sizeof *s);
	if (q == NULL || s == NULL)
		abort();
	for (i = 0; i < page.n; i++) {
		if (page.series[i].id == NULL || page.series[i].id[0] == '\0' ||
		    (page.series[i].n > 0 && (page.series[i].t == NULL ||
		    page.series[i].v == NULL)))
			abort();
		q[i].id = page.series[i].id;
	}
	/* The same answer again, as a second page. */
	if (cw_metrics_parse((const char *)data, size, &again, &err) != 0)
		abort();
	cw_metrics_merge(s, q, page.n, &again);
	cw_metrics_page_clear(&again);
	for (i = 0; i < page.n; i++) {
		for (k = 1; k < s[i].n; k++)
			if (s[i].t[k] <= s[i].t[k - 1])
				abort();
		cw_series_clear(&s[i]);
	}
	cw_metrics_page_clear(&page);
	free(q);
	free(s);
	return 0;
}
