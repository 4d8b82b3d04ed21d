/*
 * The secret scan's speed, for the push path: scan_zip over a package
 * (argv[1], e.g. a zip of /usr/lib/python3/dist-packages), best of three,
 * against inflating the same entries alone (the floor libzip sets), and
 * the push path's scan_run (children on both cores, through a loop), and
 * each rule's own PCRE2 time over the unzipped bytes, with JIT and
 * without, so a slow rule shows. Prints MB/s of unzipped bytes.
 * Built by `make bench/bench-scan`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <zip.h>

#include "buf.h"
#include "loop.h"
#include "proc.h"
#include "scan.h"
#include "scan-rules.h"
#include "scan-run.h"

/* CPU time of this process and of its reaped children, in ms. */
static double
cpu_ms(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Every entry inflated into one buffer (lines kept apart by a '\n'). */
static double
bench_inflate(const char *path, struct buf *all)
{
	static char chunk[65536];
	double t0 = now_ms();
	zip_int64_t n, i, got;
	zip_file_t *zf;
	zip_t *za;
	int e;

	za = zip_open(path, ZIP_RDONLY, &e);
	if (za == NULL) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(2);
	}
	n = zip_get_num_entries(za, 0);
	for (i = 0; i < n; i++) {
		zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
		if (zf == NULL)
			continue;
		while ((got = zip_fread(zf, chunk, sizeof chunk)) > 0) {
			if (all != NULL)
				buf_append(all, chunk, (size_t)got);
		}
		zip_fclose(zf);
		if (all != NULL)
			buf_putc(all, '\n');
	}
	zip_discard(za);
	return now_ms() - t0;
}

static double
bench_rule(size_t r, const struct buf *all, int jit, size_t *hits)
{
	const pcre2_code *code = scan_rules_code(r, NULL);
	pcre2_match_data *md = pcre2_match_data_create(10, NULL);
	double t0 = now_ms();
	PCRE2_SIZE off = 0, *ov;
	int rc;

	*hits = 0;
	while (off < all->len) {
		rc = pcre2_match(code, (PCRE2_SPTR)all->data, all->len, off,
		    jit ? 0 : PCRE2_NO_JIT, md, NULL);
		if (rc < 0)
			break;
		ov = pcre2_get_ovector_pointer(md);
		(*hits)++;
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	pcre2_match_data_free(md);
	return now_ms() - t0;
}

static void
bench_run_done(const struct scan_report *r, const struct dlc_err *err, void *arg)
{
	size_t *hits = arg;

	if (r == NULL) {
		fprintf(stderr, "scan_run: %s\n", err->message);
		exit(1);
	}
	hits[0] = scan_report_count(r);
	hits[1] = 1;
}

/* The push path: scan_run's children (two parts on two cores), on a loop. */
static double
bench_run(const char *zip, size_t *hits)
{
	struct loop *loop = loop_new();
	struct scan_run *run;
	struct dlc_err err;
	double t0 = now_ms();
	size_t got[2] = { 0, 0 };

	run = scan_run_start(loop, zip, NULL, bench_run_done, got, &err);
	if (run == NULL) {
		fprintf(stderr, "scan_run_start: %s\n", err.message);
		exit(1);
	}
	while (!got[1])
		loop_run_once(loop);
	t0 = now_ms() - t0;
	scan_run_free(run);
	while (proc_live_count() > 0)
		loop_run_once(loop);
	proc_shutdown();
	loop_free(loop);
	*hits = got[0];
	return t0;
}

int
main(int argc, char **argv)
{
	struct scan_report rep;
	struct dlc_err err;
	struct buf all;
	double best = 1e18, t, inflate = 1e18, mb, cpu, cpu_best = 1e18;
	size_t r, hits;
	int i;

	if (argc > 1 && strcmp(argv[1], SCAN_CHILD_COMMAND) == 0)
		return scan_child_main(argc, argv);
	if (argc != 2) {
		fprintf(stderr, "usage: bench-scan ZIP\n");
		return 2;
	}
	for (i = 0; i < 3; i++) {
		t = bench_inflate(argv[1], NULL);
		inflate = t < inflate ? t : inflate;
		scan_report_init(&rep);
		t = now_ms();
		cpu = cpu_ms(RUSAGE_SELF);
		if (scan_zip(argv[1], NULL, &rep, &err) != 0) {
			fprintf(stderr, "scan_zip: %s\n", err.message);
			return 1;
		}
		t = now_ms() - t;
		cpu = cpu_ms(RUSAGE_SELF) - cpu;
		best = t < best ? t : best;
		cpu_best = cpu < cpu_best ? cpu : cpu_best;
		mb = (double)rep.bytes / 1e6;
		if (i == 2)
			printf("scan_zip: %zu entries, %.1f MB unzipped, %zu hits: "
			    "%.0f ms (%.0f MB/s), CPU %.0f ms; inflating alone %.0f ms "
			    "(%.0f MB/s)\n", rep.files, mb, scan_report_count(&rep),
			    best, mb / (best / 1e3), cpu_best, inflate,
			    mb / (inflate / 1e3));
		scan_report_free(&rep);
	}
	best = 1e18;
	cpu_best = 1e18;
	for (i = 0; i < 3; i++) {
		cpu = cpu_ms(RUSAGE_CHILDREN);
		t = bench_run(argv[1], &hits);
		cpu = cpu_ms(RUSAGE_CHILDREN) - cpu;
		best = t < best ? t : best;
		cpu_best = cpu < cpu_best ? cpu : cpu_best;
	}
	printf("scan_run (children, %ld cores): %zu hits: %.0f ms (%.0f MB/s), "
	    "children's CPU %.0f ms\n", sysconf(_SC_NPROCESSORS_ONLN), hits,
	    best, mb / (best / 1e3), cpu_best);
	buf_init(&all, 0);
	bench_inflate(argv[1], &all);
	mb = (double)all.len / 1e6;
	for (r = 0; r < scan_rules_count(); r++) {
		double tj = bench_rule(r, &all, 1, &hits);
		double ti = bench_rule(r, &all, 0, &hits);

		printf("  %-22s JIT %6.0f ms (%5.0f MB/s)  interpreter %6.0f ms "
		    "(%5.0f MB/s)  %zu raw matches\n", scan_rules[r].id, tj,
		    mb / (tj / 1e3), ti, mb / (ti / 1e3), hits);
	}
	buf_free(&all);
	return 0;
}
