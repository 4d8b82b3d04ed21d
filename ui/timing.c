/* The console's timings for bench/ (see timing.h). */
#include "timing.h"

#include <stdlib.h>
#include <time.h>

#include "framestats.h"

#define TIMING_SAMPLES 4096

struct timing_series {
	double	us[TIMING_SAMPLES];
	size_t	n;
};

static struct timing_series timing_frames, timing_keys, timing_filter;
static double timing_frame_t0;	/* 0: this frame does not redraw the main view */
static double timing_key_t0;	/* 0: no key waits for its frame */
static int timing_key_is_filter;

static double
timing_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void
timing_add(struct timing_series *s, double us)
{
	if (s->n < TIMING_SAMPLES)
		s->us[s->n++] = us;
}

void
timing_key(int is_filter)
{
	/* The first key of those waiting for one frame is the one that waited longest. */
	if (timing_key_t0 == 0) {
		timing_key_t0 = timing_now_us();
		timing_key_is_filter = is_filter;
	}
}

void
timing_frame_start(int drew_main)
{
	timing_frame_t0 = drew_main ? timing_now_us() : 0;
}

void
timing_frame_done(int list_loaded)
{
	double now = timing_now_us();

	if (!list_loaded)
		return;
	/* Only frames that drew a loaded list count: those are what 10,000 rows cost. */
	if (timing_frame_t0 != 0)
		timing_add(&timing_frames, now - timing_frame_t0);
	if (timing_key_t0 != 0)
		timing_add(timing_key_is_filter ? &timing_filter : &timing_keys, now - timing_key_t0);
	timing_key_t0 = 0;
}

void
timing_write(size_t rows)
{
	const char *path = getenv("DLC_FRAME_STATS");
	struct framestats_series series[] = {
		{ "frames", timing_frames.us, timing_frames.n },
		{ "keys", timing_keys.us, timing_keys.n },
		{ "filter_keys", timing_filter.us, timing_filter.n },
	};
	struct dlc_err err;

	/* A benchmark aid: the console is closing, so a failure has nowhere to show. */
	if (path != NULL)
		(void)framestats_write(path, series, sizeof series / sizeof series[0], rows, &err);
}
