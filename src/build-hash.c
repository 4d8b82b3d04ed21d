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

/* One input, in hashing order. */
struct build_hash_entry {
	char		 kind;		/* F file, D folder, L link, S special */
	char		*rel;
	char		*path;		/* F: to read */
	char		*link;		/* L: its target */
	uint64_t	 size;
	int		 exec;
};

struct build_hash {
	struct hash_sha256	*h;
	struct build_hash_entry	*e;
	size_t			 n, cap;
	size_t			 next;		/* the entry being hashed */
	int			 fd;		/* its file, open while its bytes are read */
	uint64_t		 left;		/* its bytes not read yet */
	dev_t			 skip_dev;
	ino_t			 skip_ino;
	int			 have_skip;
	char			*name;
};

/* A record: its kind, then NUL-terminated fields, so no two inputs run together. */
static void
build_hash_field(struct hash_sha256 *h, const char *s)
{
	hash_sha256_update(h, s, strlen(s) + 1);
}

static int
build_hash_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct build_hash_entry *
build_hash_add(struct build_hash *bh, char kind, const char *rel)
{
	struct build_hash_entry *e;

	if (bh->n == bh->cap) {
		bh->cap = bh->cap > 0 ? bh->cap * 2 : 64;
		bh->e = xreallocarray(bh->e, bh->cap, sizeof *bh->e);
	}
	e = &bh->e[bh->n++];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->rel = xstrdup(rel);
	return e;
}

/* The folder's entries in sorted order (readdir's is the file system's), folders depth first. */
static int
build_hash_walk(struct build_hash *bh, const char *rel, const char *path,
    struct dlc_err *err)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	DIR *d;
	int rc = 0;

	d = opendir(path);
	if (d == NULL) {
		dlc_err_set(err, "BuildFailed", "cannot read the folder %s: %s", path,
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
	if (n > 0)
		qsort(names, n, sizeof *names, build_hash_cmp);
	for (i = 0; i < n; i++) {
		char *crel, *cpath, link[PATH_MAX];
		struct build_hash_entry *e;
		struct stat st;
		ssize_t ln;

		if (rc != 0)
			goto next;
		crel = rel[0] != '\0' ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
		cpath = xasprintf("%s/%s", path, names[i]);
		if (lstat(cpath, &st) != 0) {
			dlc_err_set(err, "BuildFailed", "cannot read %s: %s", cpath,
			    strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (!(bh->have_skip && st.st_dev == bh->skip_dev && st.st_ino == bh->skip_ino)) {
				build_hash_add(bh, 'D', crel);
				rc = build_hash_walk(bh, crel, cpath, err);
			}
		} else if (S_ISREG(st.st_mode)) {
			e = build_hash_add(bh, 'F', crel);
			e->path = xstrdup(cpath);
			e->size = (uint64_t)st.st_size;
			e->exec = (st.st_mode & 0111) != 0;
		} else if (S_ISLNK(st.st_mode)) {
			ln = readlink(cpath, link, sizeof link - 1);
			if (ln < 0) {
				dlc_err_set(err, "BuildFailed", "cannot read the link %s: %s",
				    cpath, strerror(errno));
				rc = -1;
			} else {
				link[ln] = '\0';
				build_hash_add(bh, 'L', crel)->link = xstrdup(link);
			}
		} else {
			/* The stage copy refuses it with its name; here it is only not an input. */
			build_hash_add(bh, 'S', crel);
		}
		free(crel);
		free(cpath);
next:
		free(names[i]);
	}
	free(names);
	return rc;
}

struct build_hash *
build_hash_begin(const struct local_function *fn, const char *skip_dir,
    struct dlc_err *err)
{
	struct build_hash *bh = xcalloc(1, sizeof *bh);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct stat st;

	bh->fd = -1;
	bh->name = xstrdup(fn->name);
	if (skip_dir != NULL && stat(skip_dir, &st) == 0) {
		bh->have_skip = 1;
		bh->skip_dev = st.st_dev;
		bh->skip_ino = st.st_ino;
	}
	bh->h = hash_sha256_new();
	build_hash_field(bh->h, BUILD_HASH_FORMAT);
	build_hash_field(bh->h, sde != NULL ? sde : "");
	if (build_hash_walk(bh, "", fn->dir, err) != 0) {
		dlc_err_what(err, "hashing the inputs of %s", fn->name);
		dlc_err_fix(err, "make the file readable, or move it out of the function's folder");
		build_hash_free(bh);
		return NULL;
	}
	return bh;
}

int
build_hash_step(struct build_hash *bh, uint64_t budget, char hex[65],
    struct dlc_err *err)
{
	unsigned char chunk[65536], md[32];
	struct build_hash_entry *e;
	char num[32];
	ssize_t r;
	size_t want;

	while (bh->next < bh->n) {
		e = &bh->e[bh->next];
		if (e->kind != 'F' || bh->fd < 0) {
			/* A new entry: its record's fields first. */
			char kind[2] = { e->kind, '\0' };

			build_hash_field(bh->h, kind);
			build_hash_field(bh->h, e->rel);
			if (e->kind == 'L')
				build_hash_field(bh->h, e->link);
			if (e->kind != 'F') {
				bh->next++;
				continue;
			}
			build_hash_field(bh->h, e->exec ? "x" : "-");
			snprintf(num, sizeof num, "%llu", (unsigned long long)e->size);
			build_hash_field(bh->h, num);
			bh->fd = open(e->path, O_RDONLY | O_CLOEXEC);
			if (bh->fd < 0)
				goto fail;
			bh->left = e->size;
		}
		/* Exactly the size the walk saw: a file growing cannot shift the next record. */
		while (bh->left > 0) {
			if (budget == 0)
				return 0;
			want = bh->left < sizeof chunk ? (size_t)bh->left : sizeof chunk;
			r = read(bh->fd, chunk, want);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				if (r == 0)
					errno = EAGAIN;
				goto fail;
			}
			hash_sha256_update(bh->h, chunk, (size_t)r);
			bh->left -= (uint64_t)r;
			budget = budget > (uint64_t)r ? budget - (uint64_t)r : 0;
		}
		close(bh->fd);
		bh->fd = -1;
		bh->next++;
	}
	hash_sha256_final(bh->h, md);
	hash_hex(md, sizeof md, hex);
	return 1;
fail:
	dlc_err_set(err, "BuildFailed", "cannot read %s: %s", e->path,
	    errno == EAGAIN ? "it changed while it was read" : strerror(errno));
	dlc_err_fix(err, "make the file readable, or move it out of the function's folder");
	dlc_err_what(err, "hashing the inputs of %s", bh->name);
	return -1;
}

void
build_hash_free(struct build_hash *bh)
{
	size_t i;

	if (bh == NULL)
		return;
	if (bh->fd >= 0)
		close(bh->fd);
	for (i = 0; i < bh->n; i++) {
		free(bh->e[i].rel);
		free(bh->e[i].path);
		free(bh->e[i].link);
	}
	free(bh->e);
	hash_sha256_free(bh->h);
	free(bh->name);
	free(bh);
}

int
build_hash_inputs(const struct local_function *fn, const char *skip_dir,
    char hex[65], struct dlc_err *err)
{
	struct build_hash *bh = build_hash_begin(fn, skip_dir, err);
	int rc;

	if (bh == NULL)
		return -1;
	rc = build_hash_step(bh, UINT64_MAX, hex, err);
	build_hash_free(bh);
	return rc == 1 ? 0 : -1;
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
