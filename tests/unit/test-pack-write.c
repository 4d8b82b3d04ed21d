/*
 * Unit tests for src/pack-write.c: the same files give the same zip bytes
 * with 1, 2 or 8 compressing threads (entries finish in any order, are
 * written in one); libzip reads every entry back with its bytes, CRC,
 * mode and time; progress comes once per entry, in order; a file that
 * vanished is named in the error; too many entries are refused before
 * anything is read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testfs.h"

#include <zip.h>

#include "pack-write.h"

#define NFILES	40

static struct pack_write_file files[NFILES];
static char *contents[NFILES];
static size_t progress_calls, progress_last;


/* Files of very different sizes, so threads finish out of order. */
static void
make_files(void)
{
	size_t i, j, len;
	uint64_t seed = 88172645463325252ULL;
	char rel[64];
	int fd;

	for (i = 0; i < NFILES; i++) {
		len = i % 7 == 0 ? 3000000 : (i * 37) % 1000;
		contents[i] = malloc(len + 1);
		for (j = 0; j < len; j++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			/* half text-like, half noise */
			contents[i][j] = (char)(i % 2 ? "lambda data lake "[j % 17] : (char)seed);
		}
		snprintf(rel, sizeof rel, "f%02zu%s", i, i == 3 ? "-caf\xc3\xa9" : "");
		fd = open(testfs_path("%s", rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, contents[i], len), (ssize_t)len);
		close(fd);
		files[i].rel = strdup(rel);
		files[i].path = strdup(testfs_path("%s", rel));
		files[i].size = len;
		files[i].exec = i == 5;
	}
}

static void
on_progress(size_t files_done, uint64_t bytes_done, void *arg)
{
	(void)bytes_done;
	(void)arg;
	assert_int_equal(files_done, progress_last + 1);
	progress_last = files_done;
	progress_calls++;
}

static void
write_zip(const char *rel, int threads, unsigned char md[32], uint64_t *size)
{
	struct pack_write_opts opts;
	char err[512];

	memset(&opts, 0, sizeof opts);
	opts.threads = threads;
	opts.level = 6;
	opts.dos_time = (12 << 11) | (34 << 5);
	opts.dos_date = ((2024 - 1980) << 9) | (5 << 5) | 6;
	opts.progress = on_progress;
	progress_calls = progress_last = 0;
	unlink(testfs_path("%s", rel));
	if (pack_write_zip(testfs_path("%s", rel), files, NFILES, &opts, md, size, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(progress_calls, NFILES);
}

static void
test_same_bytes_any_threads(void **state)
{
	unsigned char md1[32], md2[32], md8[32];
	uint64_t s1, s2, s8;
	struct stat st;

	(void)state;
	write_zip("one.zip", 1, md1, &s1);
	write_zip("two.zip", 2, md2, &s2);
	write_zip("eight.zip", 8, md8, &s8);
	assert_int_equal(s1, s2);
	assert_int_equal(s1, s8);
	assert_memory_equal(md1, md2, 32);
	assert_memory_equal(md1, md8, 32);
	assert_int_equal(stat(testfs_path("one.zip"), &st), 0);
	assert_int_equal((uint64_t)st.st_size, s1);
}

static void
test_read_back(void **state)
{
	unsigned char md[32];
	uint64_t size;
	zip_t *za;
	int e;
	size_t i;

	(void)state;
	write_zip("back.zip", 2, md, &size);
	za = zip_open(testfs_path("back.zip"), ZIP_RDONLY | ZIP_CHECKCONS, &e);
	assert_non_null(za);
	assert_int_equal(zip_get_num_entries(za, 0), NFILES);
	for (i = 0; i < NFILES; i++) {
		zip_stat_t st;
		zip_file_t *zf;
		zip_uint8_t opsys;
		zip_uint32_t attr;
		char *got = malloc(files[i].size + 1);

		assert_int_equal(zip_stat_index(za, i, 0, &st), 0);
		assert_string_equal(st.name, files[i].rel);
		assert_int_equal(st.size, files[i].size);
		assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
		assert_int_equal(zip_file_get_external_attributes(za, i, 0, &opsys, &attr), 0);
		assert_int_equal(opsys, ZIP_OPSYS_UNIX);
		assert_int_equal(attr >> 16, files[i].exec ? 0100755 : 0100644);
		zf = zip_fopen_index(za, i, 0);	/* checks the CRC at the end */
		assert_non_null(zf);
		assert_int_equal(zip_fread(zf, got, files[i].size + 1), (zip_int64_t)files[i].size);
		assert_memory_equal(got, contents[i], files[i].size);
		zip_fclose(zf);
		free(got);
	}
	zip_close(za);
}

static void
test_missing_file_named(void **state)
{
	struct pack_write_file gone[2];
	struct pack_write_opts opts;
	unsigned char md[32];
	uint64_t size;
	char err[512];

	(void)state;
	gone[0] = files[1];
	gone[1] = files[2];
	gone[1].path = testfs_path("no-such-file");
	memset(&opts, 0, sizeof opts);
	opts.threads = 2;
	opts.level = 6;
	unlink(testfs_path("gone.zip"));
	assert_int_equal(pack_write_zip(testfs_path("gone.zip"), gone, 2, &opts, md, &size,
	    err, sizeof err), -1);
	assert_non_null(strstr(err, "no-such-file"));
	/* A file that is not the size the walk saw: changed while packed. */
	gone[1] = files[2];
	gone[1].size += 1;
	unlink(testfs_path("gone.zip"));
	assert_int_equal(pack_write_zip(testfs_path("gone.zip"), gone, 2, &opts, md, &size,
	    err, sizeof err), -1);
	assert_non_null(strstr(err, "changed while it was packed"));
}

static void
test_too_many_entries(void **state)
{
	struct pack_write_opts opts;
	struct pack_write_file *many = calloc(70000, sizeof *many);
	unsigned char md[32];
	uint64_t size;
	char err[512];
	struct stat st;

	(void)state;
	memset(&opts, 0, sizeof opts);
	assert_int_equal(pack_write_zip(testfs_path("many.zip"), many, 70000, &opts, md, &size,
	    err, sizeof err), -1);
	assert_non_null(strstr(err, "65535"));
	assert_int_not_equal(stat(testfs_path("many.zip"), &st), 0);
	free(many);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_bytes_any_threads),
		cmocka_unit_test(test_read_back),
		cmocka_unit_test(test_missing_file_named),
		cmocka_unit_test(test_too_many_entries),
	};
	int rc;

	if (testfs_init("pack-write") != 0)
		return 1;
	make_files();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (testfs_cleanup() != 0)
		rc = 1;
	return rc;
}
