/*
 * The packer child: walk, sort, zip through libzip with a file source of
 * our own (so progress is reported per file as libzip reads it, and a read
 * error names the file), hash the result. Everything here may block: it
 * runs in its own process, never on the console's loop.
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

#include <zip.h>

#include "hash.h"
#include "pack-filter.h"
#include "xmalloc.h"

/* A progress line at least this often inside one large file. */
#define PACK_ZIP_STEP		(4 * 1024 * 1024)
/*
 * zlib's default, as zip(1) and Python's zipfile: on 180 MB of Python
 * packages, 6.5 s and 36.8 MB against level 9's 11.9 s and 36.5 MB.
 */
#define PACK_ZIP_LEVEL		6
#define PACK_ZIP_NAME		"package.zip"

struct pack_zip_file {
	char		*rel;		/* path in the zip */
	char		*path;		/* path to read (a link's target) */
	uint64_t	 size;
	int		 exec;
};

struct pack_zip {
	const char		*root;		/* SRC_DIR as given */
	char			*real_root;	/* realpath of it, for links */
	struct pack_filter	*filter;	/* the -p and -f arguments */
	struct pack_zip_file	*files;
	size_t			 n, cap;
	uint64_t		 bytes_total;
	size_t			 files_done;
	uint64_t		 bytes_done;
	uint64_t		 bytes_said;	/* bytes_done at the last line */
	char			 err[1024];
};

/* The one file libzip is reading, for its source callback. */
struct pack_zip_src {
	struct pack_zip		*z;
	struct pack_zip_file	*f;
	int			 fd;
	uint64_t		 got;
	zip_error_t		 error;
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
	struct pack_zip_file *f;
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
	const struct pack_zip_file *fa = a, *fb = b;

	return strcmp(fa->rel, fb->rel);
}

static zip_int64_t
pack_zip_source(void *userdata, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct pack_zip_src *s = userdata;
	struct pack_zip *z = s->z;
	ssize_t n;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		s->fd = open(s->f->path, O_RDONLY | O_CLOEXEC);
		s->got = 0;
		if (s->fd < 0) {
			pack_zip_fail(z, "cannot read %s: %s", s->f->path, strerror(errno));
			zip_error_set(&s->error, ZIP_ER_OPEN, errno);
			return -1;
		}
		return 0;
	case ZIP_SOURCE_READ:
		do
			n = read(s->fd, data, len);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			pack_zip_fail(z, "cannot read %s: %s", s->f->path, strerror(errno));
			zip_error_set(&s->error, ZIP_ER_READ, errno);
			return -1;
		}
		if (n == 0 && s->got != s->f->size) {
			pack_zip_fail(z, "%s changed while it was packed; pack again", s->f->path);
			zip_error_set(&s->error, ZIP_ER_READ, 0);
			return -1;
		}
		s->got += (uint64_t)n;
		z->bytes_done += (uint64_t)n;
		if (z->bytes_done - z->bytes_said >= PACK_ZIP_STEP)
			pack_zip_progress(z);
		return n;
	case ZIP_SOURCE_CLOSE:
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		if (s->got == s->f->size) {
			z->files_done++;
			pack_zip_progress(z);
		}
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &s->error);

		if (st == NULL)
			return -1;
		zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE;
		st->size = s->f->size;
		return sizeof *st;
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&s->error, data, len);
	case ZIP_SOURCE_FREE:
		if (s->fd >= 0)
			close(s->fd);
		zip_error_fini(&s->error);
		free(s);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
		    ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* MS-DOS time of SOURCE_DATE_EPOCH in UTC, else the zip minimum 1980-01-01 00:00. */
static void
pack_zip_dostime(zip_uint16_t *dtime, zip_uint16_t *ddate)
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
	*dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*ddate = (zip_uint16_t)(((tm.tm_year + 1900 - 1980) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

static int
pack_zip_write(struct pack_zip *z, const char *tmp_zip)
{
	zip_uint16_t dtime, ddate;
	zip_t *za;
	int zerr;
	size_t i;

	pack_zip_dostime(&dtime, &ddate);
	za = zip_open(tmp_zip, ZIP_CREATE | ZIP_EXCL, &zerr);
	if (za == NULL) {
		zip_error_t e;

		zip_error_init_with_code(&e, zerr);
		pack_zip_fail(z, "cannot create %s: %s", tmp_zip, zip_error_strerror(&e));
		zip_error_fini(&e);
		return -1;
	}
	for (i = 0; i < z->n; i++) {
		struct pack_zip_file *f = &z->files[i];
		struct pack_zip_src *s = xcalloc(1, sizeof *s);
		zip_uint32_t mode = 0100000 | (f->exec ? 0755 : 0644);	/* S_IFREG */
		zip_source_t *src;
		zip_int64_t idx;

		s->z = z;
		s->f = f;
		s->fd = -1;
		zip_error_init(&s->error);
		src = zip_source_function(za, pack_zip_source, s);
		if (src == NULL) {
			zip_error_fini(&s->error);
			free(s);
			goto fail;
		}
		idx = zip_file_add(za, f->rel, src, ZIP_FL_ENC_GUESS);	/* UTF-8 flagged only when it is */
		if (idx < 0) {
			zip_source_free(src);
			goto fail;
		}
		if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, PACK_ZIP_LEVEL) != 0 ||
		    zip_file_set_dostime(za, (zip_uint64_t)idx, dtime, ddate, 0) != 0 ||
		    zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX, mode << 16) != 0)
			goto fail;
	}
	if (zip_close(za) != 0)
		goto fail;
	return 0;
fail:
	pack_zip_fail(z, "cannot write %s: %s", tmp_zip, zip_strerror(za));
	zip_discard(za);
	return -1;
}

static int
pack_zip_sha256(const char *path, uint64_t *size, unsigned char md[32],
    char *err, size_t errlen)
{
	unsigned char chunk[65536];
	struct hash_sha256 *h;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	h = hash_sha256_new();
	*size = 0;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
			hash_sha256_free(h);
			close(fd);
			return -1;
		}
		hash_sha256_update(h, chunk, (size_t)n);
		*size += (uint64_t)n;
	}
	/* On disk before the rename makes it the package: no empty zip after a crash. */
	if (fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		hash_sha256_free(h);
		close(fd);
		return -1;
	}
	close(fd);
	hash_sha256_final(h, md);
	hash_sha256_free(h);
	return 0;
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
		/* libzip would write no file at all for an empty archive. */
		pack_zip_fail(&z, "the folder %s has no files to package", argv[2]);
		goto out;
	}
	qsort(z.files, z.n, sizeof *z.files, pack_zip_cmp);
	pack_zip_say("total %zu %llu", z.n, (unsigned long long)z.bytes_total);
	tmp_zip = xasprintf("%s/%s", argv[4], PACK_ZIP_NAME);
	if (pack_zip_write(&z, tmp_zip) != 0)
		goto out;
	if (pack_zip_sha256(tmp_zip, &size, md, z.err, sizeof z.err) != 0)
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
