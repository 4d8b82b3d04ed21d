/*
 * The secret scan's speed, for the push path: scan_zip over a package
 * (argv[1], e.g. a zip of /usr/lib/python3/dist-packages), best of three,
 * against inflating the same entries alone (the floor libzip sets), and
 * each rule's own PCRE2 time over the unzipped bytes, with JIT and
 * without, so a slow rule shows. Prints MB/s of unzipped bytes.
 * Built by `make bench/bench-scan`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zip.h>

#include "buf.h"
#include "scan.h"
#include "scan-rules.h"

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

int
main(int argc, char **argv)
{
	struct scan_report rep;
	struct dlc_err err;
	struct buf all;
	double best = 1e18, t, inflate = 1e18, mb;
	size_t r, hits;
	int i;

	if (argc != 2) {
		fprintf(stderr, "usage: bench-scan ZIP\n");
		return 2;
	}
	for (i = 0; i < 3; i++) {
		t = bench_inflate(argv[1], NULL);
		inflate = t < inflate ? t : inflate;
		scan_report_init(&rep);
		t = now_ms();
		if (scan_zip(argv[1], NULL, &rep, &err) != 0) {
			fprintf(stderr, "scan_zip: %s\n", err.message);
			return 1;
		}
		t = now_ms() - t;
		best = t < best ? t : best;
		mb = (double)rep.bytes / 1e6;
		if (i == 2)
			printf("scan_zip: %zu entries, %.1f MB unzipped, %zu hits: "
			    "%.0f ms (%.0f MB/s); inflating alone %.0f ms (%.0f MB/s)\n",
			    rep.files, mb, scan_report_count(&rep), best,
			    mb / (best / 1e3), inflate, mb / (inflate / 1e3));
		scan_report_free(&rep);
	}
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
