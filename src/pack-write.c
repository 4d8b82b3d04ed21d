/*
 * The zip writer (see pack-write.h): workers deflate, the caller's thread
 * writes in order. One mutex guards the shared state; workers wait on
 * `more` (room in the window), the writer on `ready` (its next entry).
 */
#include "pack-write.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "hash.h"
#include "xmalloc.h"

/* Neither count nor offset of PKZIP 2.0 may reach these. */
#define PACK_WRITE_MAX_ENTRIES	0xffffu
#define PACK_WRITE_MAX_OFFSET	0xffffffffull
#define PACK_WRITE_MAX_FILE	0x40000000ull

struct pack_write_out {
	unsigned char	*data;		/* deflated (or stored) bytes */
	uint64_t	 len;
	uint32_t	 crc;
	int		 method;	/* 8: deflate */
	int		 done;
	char		 err[512];
};

struct pack_write {
	const struct pack_write_file	*files;
	size_t				 n;
	int				 level;
	struct pack_write_out		*outs;
	pthread_mutex_t			 mu;
	pthread_cond_t			 more;	/* the writer moved on, or a failure */
	pthread_cond_t			 ready;	/* an entry was finished */
	size_t				 next;	/* the next entry a worker takes */
	size_t				 written;	/* entries the writer has written */
	uint64_t			 ahead;	/* input bytes taken and not yet written */
	int				 stop;	/* a failure: everyone ends */
};

/* The file's bytes, whole: one deflate call, so the output never depends on read sizes. */
static unsigned char *
pack_write_read(const struct pack_write_file *f, char *err, size_t errlen)
{
	unsigned char *buf = xmalloc(f->size > 0 ? f->size : 1);
	uint64_t got = 0;
	ssize_t r = 0;
	char extra;
	int fd, e = 0;

	fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read %s: %s", f->path, strerror(errno));
		free(buf);
		return NULL;
	}
	while (got < f->size) {
		r = read(fd, buf + got, f->size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			e = errno;
		if (r <= 0)
			break;
		got += (uint64_t)r;
	}
	if (e == 0 && got == f->size && (r = read(fd, &extra, 1)) < 0)
		e = errno;
	if (e != 0 || got != f->size || r != 0) {
		if (e != 0)
			snprintf(err, errlen, "cannot read %s: %s", f->path, strerror(e));
		else
			snprintf(err, errlen, "%s changed while it was packed; pack again", f->path);
		close(fd);
		free(buf);
		return NULL;
	}
	close(fd);
	return buf;
}

static void
pack_write_one(struct pack_write *w, size_t i)
{
	const struct pack_write_file *f = &w->files[i];
	struct pack_write_out *o = &w->outs[i];
	unsigned char *in;
	z_stream zs;
	uLong bound;

	/* One call each for zlib's uInt lengths; Lambda's limit is 250 MB anyway. */
	if (f->size > PACK_WRITE_MAX_FILE) {
		snprintf(o->err, sizeof o->err, "%s is larger than 1 GiB; Lambda takes "
		    "250 MB unzipped", f->path);
		return;
	}
	in = pack_write_read(f, o->err, sizeof o->err);
	if (in == NULL)
		return;
	o->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), in, (uInt)f->size);
	memset(&zs, 0, sizeof zs);
	/* Raw deflate (-15): the zip entry's data, no zlib header or trailer. */
	if (deflateInit2(&zs, w->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		snprintf(o->err, sizeof o->err, "cannot compress %s: zlib failed", f->path);
		free(in);
		return;
	}
	bound = deflateBound(&zs, (uLong)f->size);
	o->data = xmalloc(bound);
	zs.next_in = in;
	zs.avail_in = (uInt)f->size;
	zs.next_out = o->data;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		snprintf(o->err, sizeof o->err, "cannot compress %s: zlib failed", f->path);
		deflateEnd(&zs);
		free(in);
		return;
	}
	o->len = zs.total_out;
	o->method = 8;
	deflateEnd(&zs);
	/* Every entry deflated, even one that grows: one method, one level, every time. */
	free(in);
}

static void *
pack_write_worker(void *arg)
{
	struct pack_write *w = arg;
	size_t i;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		/* The writer's next entry is always taken, whatever its size: no deadlock. */
		while (!w->stop && w->next < w->n && w->next != w->written &&
		    w->ahead + w->files[w->next].size > PACK_WRITE_WINDOW)
			pthread_cond_wait(&w->more, &w->mu);
		if (w->stop || w->next >= w->n)
			break;
		i = w->next++;
		w->ahead += w->files[i].size;
		pthread_mutex_unlock(&w->mu);
		pack_write_one(w, i);
		pthread_mutex_lock(&w->mu);
		w->outs[i].done = 1;
		if (w->outs[i].err[0] != '\0')
			w->stop = 1;
		pthread_cond_broadcast(&w->ready);
		if (w->stop)
			pthread_cond_broadcast(&w->more);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void
pack_write_le16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)((v >> 8) & 0xff);
}

static void
pack_write_le32(unsigned char *p, uint32_t v)
{
	pack_write_le16(p, v & 0xffff);
	pack_write_le16(p + 2, v >> 16);
}

/* 1 when s is ASCII only; libzip's ENC_GUESS flags UTF-8 only when it is more. */
static int
pack_write_utf8_flag(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int ascii = 1, need;

	for (; *p != '\0'; p++) {
		if (*p < 0x80)
			continue;
		ascii = 0;
		if ((*p & 0xe0) == 0xc0 && *p >= 0xc2)
			need = 1;
		else if ((*p & 0xf0) == 0xe0)
			need = 2;
		else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4)
			need = 3;
		else
			return 0;
		while (need-- > 0) {
			if ((*++p & 0xc0) != 0x80)
				return 0;
		}
	}
	return !ascii;
}

struct pack_write_sink {
	FILE			*f;
	struct hash_sha256	*h;
	uint64_t		 off;
	int			 failed;
};

static void
pack_write_put(struct pack_write_sink *s, const void *data, size_t len)
{
	if (s->failed || len == 0)
		return;
	if (fwrite(data, 1, len, s->f) != len) {
		s->failed = 1;
		return;
	}
	hash_sha256_update(s->h, data, len);
	s->off += len;
}

/* The fields local and central headers share, from "version needed" on. */
static void
pack_write_common(unsigned char *p, const struct pack_write_out *o, const char *name,
    uint64_t size, const struct pack_write_opts *opts)
{
	pack_write_le16(p, o->method == 8 ? 20 : 10);
	pack_write_le16(p + 2, pack_write_utf8_flag(name) ? 0x0800 : 0);
	pack_write_le16(p + 4, (unsigned)o->method);
	pack_write_le16(p + 6, opts->dos_time);
	pack_write_le16(p + 8, opts->dos_date);
	pack_write_le32(p + 10, o->crc);
	pack_write_le32(p + 14, (uint32_t)o->len);
	pack_write_le32(p + 18, (uint32_t)size);
	pack_write_le16(p + 22, (unsigned)strlen(name));
	pack_write_le16(p + 24, 0);	/* no extra field */
}

static int
pack_write_threads(const struct pack_write_opts *opts)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (opts->threads > 0)
		return opts->threads < PACK_WRITE_MAX_THREADS ? opts->threads : PACK_WRITE_MAX_THREADS;
	if (cores < 1)
		return 1;
	return cores < PACK_WRITE_MAX_THREADS ? (int)cores : PACK_WRITE_MAX_THREADS;
}

int
pack_write_zip(const char *out, const struct pack_write_file *files, size_t n,
    const struct pack_write_opts *opts, unsigned char md[32], uint64_t *size,
    char *err, size_t errlen)
{
	pthread_t tids[PACK_WRITE_MAX_THREADS];
	struct pack_write w;
	struct pack_write_sink s;
	unsigned char hdr[46];
	uint32_t *offsets;
	uint64_t bytes_done = 0, cd_start;
	int nthreads, started = 0, fd, rc = -1;
	size_t i;

	err[0] = '\0';
	if (n > PACK_WRITE_MAX_ENTRIES) {
		snprintf(err, errlen, "%zu files are more than a zip without zip64 holds (65535)", n);
		return -1;
	}
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", out, strerror(errno));
		return -1;
	}
	memset(&s, 0, sizeof s);
	s.f = fdopen(fd, "wb");
	if (s.f == NULL) {
		close(fd);
		snprintf(err, errlen, "cannot create %s: %s", out, strerror(errno));
		return -1;
	}
	setvbuf(s.f, NULL, _IOFBF, 1 << 20);
	s.h = hash_sha256_new();
	memset(&w, 0, sizeof w);
	w.files = files;
	w.n = n;
	w.level = opts->level;
	w.outs = xcalloc(n > 0 ? n : 1, sizeof *w.outs);
	offsets = xcalloc(n > 0 ? n : 1, sizeof *offsets);
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.more, NULL);
	pthread_cond_init(&w.ready, NULL);
	nthreads = pack_write_threads(opts);
	for (started = 0; started < nthreads; started++) {
		if (pthread_create(&tids[started], NULL, pack_write_worker, &w) != 0)
			break;
	}
	if (started == 0) {
		snprintf(err, errlen, "cannot start a compressing thread");
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct pack_write_out *o = &w.outs[i];
		const char *name = files[i].rel;

		pthread_mutex_lock(&w.mu);
		while (!o->done && !w.stop)
			pthread_cond_wait(&w.ready, &w.mu);
		pthread_mutex_unlock(&w.mu);
		if (!o->done || o->err[0] != '\0') {
			/* The first failure in entry order is the one shown. */
			size_t k;

			for (k = i; k < n && err[0] == '\0'; k++)
				if (w.outs[k].done && w.outs[k].err[0] != '\0')
					snprintf(err, errlen, "%s", w.outs[k].err);
			goto out;
		}
		if (s.off + 30 + strlen(name) + o->len > PACK_WRITE_MAX_OFFSET) {
			snprintf(err, errlen, "the zip would pass 4 GiB, more than a zip "
			    "without zip64 holds");
			goto out;
		}
		offsets[i] = (uint32_t)s.off;
		pack_write_le32(hdr, 0x04034b50);
		pack_write_common(hdr + 4, o, name, files[i].size, opts);
		pack_write_put(&s, hdr, 30);
		pack_write_put(&s, name, strlen(name));
		pack_write_put(&s, o->data, (size_t)o->len);
		free(o->data);
		o->data = NULL;
		bytes_done += files[i].size;
		pthread_mutex_lock(&w.mu);
		w.written = i + 1;
		w.ahead -= files[i].size;
		pthread_cond_broadcast(&w.more);
		pthread_mutex_unlock(&w.mu);
		if (s.failed)
			break;
		if (opts->progress != NULL)
			opts->progress(i + 1, bytes_done, opts->arg);
	}
	cd_start = s.off;
	for (i = 0; i < n && !s.failed; i++) {
		const char *name = files[i].rel;
		/* Regular file, 0644 or 0755, in the high half; made by Unix (3), 2.0. */
		uint32_t mode = 0100000u | (files[i].exec ? 0755u : 0644u);

		pack_write_le32(hdr, 0x02014b50);
		pack_write_le16(hdr + 4, (3u << 8) | 20u);
		pack_write_common(hdr + 6, &w.outs[i], name, files[i].size, opts);
		pack_write_le16(hdr + 32, 0);		/* comment */
		pack_write_le16(hdr + 34, 0);		/* disk */
		pack_write_le16(hdr + 36, 0);		/* internal attributes */
		pack_write_le32(hdr + 38, mode << 16);
		pack_write_le32(hdr + 42, offsets[i]);
		pack_write_put(&s, hdr, 46);
		pack_write_put(&s, name, strlen(name));
	}
	if (s.off > PACK_WRITE_MAX_OFFSET) {
		snprintf(err, errlen, "the zip would pass 4 GiB, more than a zip without zip64 holds");
		goto out;
	}
	pack_write_le32(hdr, 0x06054b50);
	pack_write_le16(hdr + 4, 0);
	pack_write_le16(hdr + 6, 0);
	pack_write_le16(hdr + 8, (unsigned)n);
	pack_write_le16(hdr + 10, (unsigned)n);
	pack_write_le32(hdr + 12, (uint32_t)(s.off - cd_start));
	pack_write_le32(hdr + 16, (uint32_t)cd_start);
	pack_write_le16(hdr + 20, 0);
	pack_write_put(&s, hdr, 22);
	/* On disk before the rename makes it the package: no empty zip after a crash. */
	if (s.failed || fflush(s.f) != 0 || fsync(fileno(s.f)) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", out, strerror(errno));
		goto out;
	}
	hash_sha256_final(s.h, md);
	*size = s.off;
	rc = 0;
out:
	pthread_mutex_lock(&w.mu);
	w.stop = 1;
	pthread_cond_broadcast(&w.more);
	pthread_mutex_unlock(&w.mu);
	while (started > 0)
		pthread_join(tids[--started], NULL);
	for (i = 0; i < n; i++)
		free(w.outs[i].data);
	free(w.outs);
	free(offsets);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.more);
	pthread_cond_destroy(&w.ready);
	if (fclose(s.f) != 0 && rc == 0) {
		snprintf(err, errlen, "cannot write %s: %s", out, strerror(errno));
		rc = -1;
	}
	hash_sha256_free(s.h);
	return rc;
}
