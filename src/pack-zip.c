/*
 * The packer child: walk, filter, sort, then write the zip through
 * pack-write.c (entries deflated on every core, written in order, hashed
 * as they are written), reporting progress per file written. Everything
 * here may block: it runs in its own process, never on the console's loop.
 */
#include "pack-zip.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hash.h"
#include "pack-filter.h"
#include "pack-write.h"
#include "xmalloc.h"

/*
 * zlib's default, as zip(1) and Python's zipfile: on 180 MB of Python
 * packages, 6.5 s and 36.8 MB against level 9's 11.9 s and 36.5 MB.
 */
#define PACK_ZIP_LEVEL		6
#define PACK_ZIP_NAME		"package.zip"

struct pack_zip {
	const char		*root;		/* SRC_DIR as given */
	char			*real_root;	/* realpath of it, for links */
	struct pack_filter	*filter;	/* the -p and -f arguments */
	struct pack_write_file	*files;
	size_t			 n, cap;
	uint64_t		 bytes_total;
	size_t			 files_done;
	uint64_t		 bytes_done;
	uint64_t		 bytes_said;	/* bytes_done at the last line */
	char			 err[1024];
};

static void
pack_zip_fail(struct pack_zip *z, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
pack_zip_fail(struct pack_zip *z, const char *fmt, ...)
{
	va_list ap;

	if (z->err[0] != '\0')
		return;		/* the first cause is the one to show */
	va_start(ap, fmt);
	vsnprintf(z->err, sizeof z->err, fmt, ap);
	va_end(ap);
}

static void
pack_zip_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
pack_zip_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void
pack_zip_progress(struct pack_zip *z)
{
	pack_zip_say("file %zu/%zu %llu", z->files_done, z->n,
	    (unsigned long long)z->bytes_done);
	z->bytes_said = z->bytes_done;
}

static int
pack_zip_inside(const struct pack_zip *z, const char *real)
{
	size_t n = strlen(z->real_root);

	if (strcmp(z->real_root, "/") == 0)
		return 1;
	return strncmp(real, z->real_root, n) == 0 && real[n] == '/';
}

static int
pack_zip_add(struct pack_zip *z, const char *rel, const char *path)
{
	struct pack_write_file *f;
	struct stat st;
	char *real = NULL;
	int fd;

	if (lstat(path, &st) != 0)
		goto errno_fail;
	if (S_ISLNK(st.st_mode)) {
		real = realpath(path, NULL);
		if (real == NULL) {
			pack_zip_fail(z, "%s: a symbolic link to nothing (%s); "
			    "remove it or replace it with the file", path, strerror(errno));
			return -1;
		}
		if (!pack_zip_inside(z, real) || stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
			pack_zip_fail(z, "%s: a symbolic link to %s, which is not a file "
			    "inside %s; dlc packages only the folder's own files: "
			    "copy what it needs into the folder", path, real, z->root);
			free(real);
			return -1;
		}
		path = real;
	} else if (!S_ISREG(st.st_mode)) {
		pack_zip_fail(z, "%s: not a regular file; remove it from the folder", path);
		return -1;
	}
	/* Now, not halfway through the zip: an unreadable file is named at once. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		free(real);
		goto errno_fail;
	}
	close(fd);
	if (z->n == z->cap) {
		z->cap = z->cap > 0 ? z->cap * 2 : 64;
		z->files = xreallocarray(z->files, z->cap, sizeof *z->files);
	}
	f = &z->files[z->n++];
	f->rel = xstrdup(rel);
	f->path = real != NULL ? real : xstrdup(path);
	f->size = (uint64_t)st.st_size;
	f->exec = (st.st_mode & 0111) != 0;
	z->bytes_total += f->size;
	return 0;
errno_fail:
	pack_zip_fail(z, "cannot read %s: %s", path, strerror(errno));
	return -1;
}

static int
pack_zip_walk(struct pack_zip *z, const char *rel, const char *path)
{
	struct dirent *de;
	DIR *d;
	int rc = 0;

	d = opendir(path);
	if (d == NULL) {
		pack_zip_fail(z, "cannot read the folder %s: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
		char *crel, *cpath;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		crel = rel[0] != '\0' ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		cpath = xasprintf("%s/%s", path, de->d_name);
		if (lstat(cpath, &st) != 0) {
			pack_zip_fail(z, "cannot read %s: %s", cpath, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = pack_zip_walk(z, crel, cpath);
		} else if (pack_filter_keep(z->filter, crel)) {
			/* a file left out is not even checked: tests/ may hold anything */
			rc = pack_zip_add(z, crel, cpath);
		}
		free(crel);
		free(cpath);
	}
	if (rc == 0 && errno != 0) {
		pack_zip_fail(z, "cannot read the folder %s: %s", path, strerror(errno));
		rc = -1;
	}
	closedir(d);
	return rc;
}

static int
pack_zip_cmp(const void *a, const void *b)
{
	const struct pack_write_file *fa = a, *fb = b;

	return strcmp(fa->rel, fb->rel);
}

/* MS-DOS time of SOURCE_DATE_EPOCH in UTC, else the zip minimum 1980-01-01 00:00. */
static void
pack_zip_dostime(uint16_t *dtime, uint16_t *ddate)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct tm tm;
	char *end;
	time_t t;
	long long v;

	*dtime = 0;
	*ddate = (0 << 9) | (1 << 5) | 1;
	if (sde == NULL || sde[0] == '\0')
		return;
	errno = 0;
	v = strtoll(sde, &end, 10);
	if (errno != 0 || *end != '\0' || v < 315532800LL)	/* before 1980 */
		return;
	t = (time_t)v;
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 2107)
		return;
	*dtime = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*ddate = (uint16_t)(((tm.tm_year + 1900 - 1980) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

/* After each entry is written: the parent's progress line. */
static void
pack_zip_written(size_t files_done, uint64_t bytes_done, void *arg)
{
	struct pack_zip *z = arg;

	z->files_done = files_done;
	z->bytes_done = bytes_done;
	pack_zip_progress(z);
}

static int
pack_zip_write(struct pack_zip *z, const char *tmp_zip, unsigned char md[32],
    uint64_t *size)
{
	struct pack_write_opts opts;
	uint16_t dtime, ddate;
	const char *threads;

	pack_zip_dostime(&dtime, &ddate);
	memset(&opts, 0, sizeof opts);
	/* DLC_PACK_THREADS=1: one compressing thread, for measuring (the bytes are the same). */
	if ((threads = getenv("DLC_PACK_THREADS")) != NULL)
		opts.threads = (int)strtol(threads, NULL, 10);
	opts.level = PACK_ZIP_LEVEL;
	opts.dos_time = dtime;
	opts.dos_date = ddate;
	opts.progress = pack_zip_written;
	opts.arg = z;
	return pack_write_zip(tmp_zip, z->files, z->n, &opts, md, size, z->err, sizeof z->err);
}

/* The patterns (-p) and files (-f) after TMP_DIR. */
static int
pack_zip_filter(struct pack_zip *z, int argc, char **argv)
{
	char **pats = xcalloc((size_t)argc, sizeof *pats);
	char **files = xcalloc((size_t)argc, sizeof *files);
	size_t np = 0, nf = 0;
	struct dlc_err err;
	int i, rc = 0;

	for (i = 5; i + 1 < argc && rc == 0; i += 2) {
		if (strcmp(argv[i], "-p") == 0)
			pats[np++] = argv[i + 1];
		else if (strcmp(argv[i], "-f") == 0)
			files[nf++] = argv[i + 1];
		else
			rc = -1;
	}
	dlc_err_clear(&err);
	if (rc != 0) {
		pack_zip_fail(z, "the packer was given %s, not -p or -f", argv[i - 2]);
	} else {
		z->filter = pack_filter_new(pats, np, files, nf, &err);
		if (z->filter == NULL) {
			pack_zip_fail(z, "%s: %s", err.what, err.message);
			rc = -1;
		}
	}
	free(pats);
	free(files);
	return rc;
}

int
pack_zip_main(int argc, char **argv)
{
	struct pack_zip z;
	char *tmp_zip = NULL, *real_tmp = NULL, *b64 = NULL, hex[65];
	unsigned char md[32];
	uint64_t size = 0;
	int rc = 1;
	size_t i;

	if (argc < 5 || (argc - 5) % 2 != 0 || strcmp(argv[1], PACK_ZIP_COMMAND) != 0) {
		fprintf(stderr, "usage: %s %s SRC_DIR OUT_ZIP TMP_DIR [-p PATTERN | -f FILE]...\n",
		    argv[0], PACK_ZIP_COMMAND);
		return 2;
	}
	memset(&z, 0, sizeof z);
	if (pack_zip_filter(&z, argc, argv) != 0)
		goto out;
	z.root = argv[2];
	z.real_root = realpath(argv[2], NULL);
	real_tmp = realpath(argv[4], NULL);
	if (z.real_root == NULL) {
		pack_zip_fail(&z, "cannot read the folder %s: %s", argv[2], strerror(errno));
		goto out;
	}
	if (real_tmp == NULL) {
		pack_zip_fail(&z, "cannot use %s: %s", argv[4], strerror(errno));
		goto out;
	}
	if (pack_zip_inside(&z, real_tmp)) {
		pack_zip_fail(&z, "the package %s would be written inside the folder %s "
		    "it packs; write it elsewhere", argv[3], argv[2]);
		goto out;
	}
	if (pack_zip_walk(&z, "", argv[2]) != 0)
		goto out;
	if (pack_filter_missing(z.filter) != NULL) {
		pack_zip_fail(&z, "files names %s, which is not in %s", pack_filter_missing(z.filter),
		    argv[2]);
		goto out;
	}
	if (z.n == 0) {
		/* Lambda refuses an empty package: say so here. */
		pack_zip_fail(&z, "the folder %s has no files to package", argv[2]);
		goto out;
	}
	qsort(z.files, z.n, sizeof *z.files, pack_zip_cmp);
	pack_zip_say("total %zu %llu", z.n, (unsigned long long)z.bytes_total);
	tmp_zip = xasprintf("%s/%s", argv[4], PACK_ZIP_NAME);
	if (pack_zip_write(&z, tmp_zip, md, &size) != 0)
		goto out;
	if (rename(tmp_zip, argv[3]) != 0) {
		pack_zip_fail(&z, "cannot write %s: %s", argv[3], strerror(errno));
		goto out;
	}
	hash_hex(md, sizeof md, hex);
	b64 = hash_base64_encode(md, sizeof md);
	pack_zip_say("done %llu %s %s", (unsigned long long)size, hex, b64);
	rc = 0;
out:
	/* One line, whatever a file name holds: the parent reads lines. */
	for (i = 0; z.err[i] != '\0'; i++)
		if (z.err[i] == '\n' || z.err[i] == '\r')
			z.err[i] = '?';
	if (rc != 0)
		pack_zip_say("error %s", z.err[0] != '\0' ? z.err : "the packer failed");
	for (i = 0; i < z.n; i++) {
		free(z.files[i].rel);
		free(z.files[i].path);
	}
	free(z.files);
	pack_filter_free(z.filter);
	free(z.real_root);
	free(real_tmp);
	free(tmp_zip);
	free(b64);
	return rc;
}
