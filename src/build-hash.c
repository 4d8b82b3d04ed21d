/* The inputs' hash of a build (see build-hash.h). */
#include "build-hash.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "build.h"
#include "hash.h"
#include "manifest.h"
#include "xmalloc.h"

/* Bumped when what goes into the hash changes, so old zips are rebuilt. */
#define BUILD_HASH_FORMAT	"dlc-build-inputs 1"

struct build_hash_walk {
	struct hash_sha256	*h;
	dev_t			 skip_dev;
	ino_t			 skip_ino;
	int			 have_skip;
	struct dlc_err		*err;
};

/* A record: its kind, then NUL-terminated fields, so no two inputs run together. */
static void
build_hash_field(struct hash_sha256 *h, const char *s)
{
	hash_sha256_update(h, s, strlen(s) + 1);
}

static int
build_hash_file(struct build_hash_walk *w, const char *rel, const char *path,
    const struct stat *st)
{
	unsigned char chunk[65536];
	char num[32];
	ssize_t n;
	uint64_t left = (uint64_t)st->st_size;
	int fd;

	build_hash_field(w->h, "F");
	build_hash_field(w->h, rel);
	build_hash_field(w->h, (st->st_mode & 0111) ? "x" : "-");
	snprintf(num, sizeof num, "%llu", (unsigned long long)st->st_size);
	build_hash_field(w->h, num);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	/* Exactly the size announced: a file growing under us cannot shift the next record. */
	while (left > 0) {
		n = read(fd, chunk, left < sizeof chunk ? (size_t)left : sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EAGAIN;
			close(fd);
			goto fail;
		}
		hash_sha256_update(w->h, chunk, (size_t)n);
		left -= (uint64_t)n;
	}
	close(fd);
	return 0;
fail:
	dlc_err_set(w->err, "BuildFailed", "cannot read %s: %s", path,
	    errno == EAGAIN ? "it changed while it was read" : strerror(errno));
	dlc_err_fix(w->err, "make the file readable, or move it out of the function's folder");
	return -1;
}

static int
build_hash_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
build_hash_dir(struct build_hash_walk *w, const char *rel, const char *path)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	DIR *d;
	int rc = 0;

	d = opendir(path);
	if (d == NULL) {
		dlc_err_set(w->err, "BuildFailed", "cannot read the folder %s: %s", path,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap > 0 ? cap * 2 : 16;
			names = xreallocarray(names, cap, sizeof *names);
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	/* readdir's order is the file system's: sorted, it is the same everywhere. */
	if (n > 0)
		qsort(names, n, sizeof *names, build_hash_cmp);
	for (i = 0; i < n; i++) {
		char *crel, *cpath, link[PATH_MAX];
		struct stat st;
		ssize_t ln;

		if (rc != 0)
			goto next;
		crel = rel[0] != '\0' ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
		cpath = xasprintf("%s/%s", path, names[i]);
		if (lstat(cpath, &st) != 0) {
			dlc_err_set(w->err, "BuildFailed", "cannot read %s: %s", cpath,
			    strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (!(w->have_skip && st.st_dev == w->skip_dev && st.st_ino == w->skip_ino)) {
				build_hash_field(w->h, "D");
				build_hash_field(w->h, crel);
				rc = build_hash_dir(w, crel, cpath);
			}
		} else if (S_ISREG(st.st_mode)) {
			rc = build_hash_file(w, crel, cpath, &st);
		} else if (S_ISLNK(st.st_mode)) {
			ln = readlink(cpath, link, sizeof link - 1);
			if (ln < 0) {
				dlc_err_set(w->err, "BuildFailed", "cannot read the link %s: %s",
				    cpath, strerror(errno));
				rc = -1;
			} else {
				link[ln] = '\0';
				build_hash_field(w->h, "L");
				build_hash_field(w->h, crel);
				build_hash_field(w->h, link);
			}
		} else {
			/* The stage copy refuses it with its name; here it is only not an input. */
			build_hash_field(w->h, "S");
			build_hash_field(w->h, crel);
		}
		free(crel);
		free(cpath);
next:
		free(names[i]);
	}
	free(names);
	return rc;
}

int
build_hash_inputs(const struct local_function *fn, const char *skip_dir,
    char hex[65], struct dlc_err *err)
{
	struct build_hash_walk w;
	unsigned char md[32];
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct stat st;
	int rc;

	memset(&w, 0, sizeof w);
	w.err = err;
	if (skip_dir != NULL && stat(skip_dir, &st) == 0) {
		w.have_skip = 1;
		w.skip_dev = st.st_dev;
		w.skip_ino = st.st_ino;
	}
	w.h = hash_sha256_new();
	build_hash_field(w.h, BUILD_HASH_FORMAT);
	build_hash_field(w.h, sde != NULL ? sde : "");
	rc = build_hash_dir(&w, "", fn->dir);
	if (rc == 0) {
		hash_sha256_final(w.h, md);
		hash_hex(md, sizeof md, hex);
	} else {
		dlc_err_what(err, "hashing the inputs of %s", fn->name);
	}
	hash_sha256_free(w.h);
	return rc;
}

/* The first line of path, without its newline, into out; -1 when unreadable. */
static int
build_hash_read_line(const char *path, char *out, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, out, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	out[n] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

int
build_hash_unchanged(const char *inputs_path, const char *hex,
    const char *zip_path, const char *sha_path, struct build_result *res)
{
	char line[128];
	struct buf raw;
	struct stat st;
	int ok = 0;

	if (build_hash_read_line(inputs_path, line, sizeof line) != 0 ||
	    strcmp(line, hex) != 0)
		return 0;
	if (stat(zip_path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if (build_hash_read_line(sha_path, line, sizeof line) != 0 || strlen(line) != 44)
		return 0;
	buf_init(&raw, 64);
	if (hash_base64_decode(line, 44, &raw) == 0 && raw.len == 32) {
		memcpy(res->code_sha256, line, 45);
		hash_hex((const unsigned char *)raw.data, 32, res->sha256_hex);
		res->size = (uint64_t)st.st_size;
		ok = 1;
	}
	buf_free(&raw);
	return ok;
}
