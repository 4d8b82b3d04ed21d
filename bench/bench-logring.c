/*
 * The console's log buffer at full size: 1,000,000 Lambda-like events of
 * about 100-byte messages from 20 streams, with AWS-shaped 56-digit event
 * ids, held by the log view (src/logview.c) as the console holds them.
 * Reports the ring's bytes against the messages' own bytes (target under
 * 1.5x) and the time of one search over every buffered line as the console
 * runs it, logview_set_search marking each event (target under 150 ms),
 * beside a bare pcre2_match loop over the same lines for reference.
 * Built by `make bench/bench-logring`.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "logevent.h"
#include "logring.h"
#include "logview.h"

#define EVENTS 1000000

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int
main(void)
{
	static const char *const levels[] = { "INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR" };
	static const char *const patterns[] = { "error", "mambu", "timeout.*mambu|error" };
	size_t p;
	struct logview *lv = logview_new(EVENTS);
	const struct logring *ring = logview_ring(lv);
	struct dlc_err err;
	struct log_event ev;
	char streams[20][64], msg[160], id[64];
	size_t i, message_bytes = 0, matches = 0, len;
	pcre2_code *re;
	pcre2_match_data *md;
	int code;
	PCRE2_SIZE off;
	double t0, t1;

	for (i = 0; i < 20; i++)
		snprintf(streams[i], sizeof streams[i], "2026/11/25/[$LATEST]%032zx", i * 7919);
	memset(&ev, 0, sizeof ev);
	for (i = 0; i < EVENTS; i++) {
		int n = snprintf(msg, sizeof msg,
		    "2026-11-25T10:%02zu:%02zu.%03zuZ\t6f1c2d3e-%04zx-4a5b-9c8d-0123456789ab\t%s\tloaded batch %zu of loans%s\n",
		    (i / 60000) % 60, (i / 1000) % 60, i % 1000, i % 65536, levels[i % 6], i,
		    i % 6 == 5 ? " timeout talking to mambu" : "");

		ev.timestamp = 1795600000000 + (int64_t)i;
		ev.ingestion_time = ev.timestamp + 700;
		ev.stream = streams[i % 20];
		log_event_set_message(&ev, msg, (size_t)n);
		snprintf(id, sizeof id, "%056zu", (size_t)1000000000000 + i);
		log_event_set_id(&ev, id);
		message_bytes += (size_t)n;
		logview_add(lv, &ev);
	}
	ev.stream = NULL;
	log_event_clear(&ev);

	printf("events %zu, message bytes %zu, ring bytes %zu (%.3fx)\n", logring_count(ring),
	    message_bytes, logring_bytes(ring), (double)logring_bytes(ring) / (double)message_bytes);
	for (p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
		re = pcre2_compile((PCRE2_SPTR)patterns[p], PCRE2_ZERO_TERMINATED,
		    PCRE2_UTF | PCRE2_CASELESS, &code, &off, NULL);
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
		md = pcre2_match_data_create_from_pattern(re, NULL);
		matches = 0;
		t0 = now_ms();
		for (i = 0; i < logring_count(ring); i++) {
			const char *m = logring_message(ring, i, &len);

			if (pcre2_match(re, (PCRE2_SPTR)m, len, 0, 0, md, NULL) >= 0)
				matches++;
		}
		t1 = now_ms();
		printf("bare pcre2_match /%s/i over %zu lines: %.1f ms, %zu matches\n", patterns[p],
		    logring_count(ring), t1 - t0, matches);
		pcre2_match_data_free(md);
		pcre2_code_free(re);
		t0 = now_ms();
		logview_set_search(lv, patterns[p], &err);
		t1 = now_ms();
		printf("console search /%s/ over %zu lines: %.1f ms, %zu matches\n", patterns[p],
		    logring_count(ring), t1 - t0, logview_match_count(lv));
	}
	logview_free(lv);
	return 0;
}
