/*
 * The secret scan over buffers, files and folder trees, and its report
 * (see scan.h). The matching is scan-stream.c's; zips are scan-zip.c's.
 */
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sanitize.h"
#include "scan-stream.h"
#include "xmalloc.h"

#define SCAN_READ		(64 * 1024)
/* Deeper than any package; a bound, so a loop of bind mounts cannot recurse forever. */
#define SCAN_MAX_DEPTH		64

void
scan_report_init(struct scan_report *r)
{
	memset(r, 0, sizeof *r);
}

void
scan_report_free(struct scan_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->hits[i].path);
		free(r->hits[i].excerpt);
	}
	free(r->hits);
	memset(r, 0, sizeof *r);
}

size_t
scan_report_count(const struct scan_report *r)
{
	return r->n + r->dropped;
}

int
scan_buffer(const char *data, size_t len, const char *display,
    const struct scan_allow *allow, struct scan_report *out,
    struct dlc_err *err)
{
	struct scan_stream *s = scan_stream_new(allow, out);
	int rc;

	rc = scan_stream_begin(s, display, 0, err);
	if (rc == 0)
		rc = scan_stream_feed(s, data, len, err);
	if (rc == 0)
		rc = scan_stream_end(s, err);
	scan_stream_free(s);
	return rc;
}

static int
scan_read_error(struct dlc_err *err, const char *path, int e)
{
	dlc_err_what(err, "scanning %s", path);
	dlc_err_set(err, "ScanFailed", "cannot read %s: %s", path, strerror(e));
	dlc_err_fix(err, "make the file readable (a file that was not "
	    "scanned cannot be called clean), or remove it");
	return -1;
}

/* Streams path through s; shown as display. */
static int
scan_file_stream(struct scan_stream *s, const char *path, const char *display,
    size_t rel, struct dlc_err *err)
{
	char *chunk;
	ssize_t got;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return scan_read_error(err, path, errno);
	if (scan_stream_begin(s, display, rel, err) != 0) {
		close(fd);
		return -1;
	}
	chunk = xmalloc(SCAN_READ);
	for (;;) {
		got = read(fd, chunk, SCAN_READ);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = scan_read_error(err, path, errno);
			break;
		}
		if (got == 0) {
			rc = scan_stream_end(s, err);
			break;
		}
		if (scan_stream_feed(s, chunk, (size_t)got, err) != 0) {
			rc = -1;
			break;
		}
	}
	explicit_bzero(chunk, SCAN_READ);
	free(chunk);
	close(fd);
	return rc;
}

int
scan_file(const char *path, const char *display,
    const struct scan_allow *allow, struct scan_report *out,
    struct dlc_err *err)
{
	struct scan_stream *s = scan_stream_new(allow, out);
	int rc;

	rc = scan_file_stream(s, path, display != NULL ? display : path, 0, err);
	scan_stream_free(s);
	return rc;
}

struct scan_names {
	char	**v;
	size_t	  n, cap;
};

static void
scan_names_add(struct scan_names *l, char *name)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = name;
}

static int
scan_names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the regular files under root/rel (rel "" for root itself). */
static int
scan_walk(const char *root, const char *rel, int depth, struct scan_names *files,
    struct dlc_err *err)
{
	struct scan_names here = { NULL, 0, 0 };
	struct dirent *de;
	struct stat st;
	char *dir, *path, *sub;
	size_t i;
	int rc = 0;
	DIR *d;

	dir = rel[0] != '\0' ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	if (depth > SCAN_MAX_DEPTH) {
		dlc_err_what(err, "scanning %s", root);
		dlc_err_set(err, "ScanFailed", "%s is more than %d folders deep",
		    dir, SCAN_MAX_DEPTH);
		dlc_err_fix(err, "check for a loop of bind mounts under %s", root);
		free(dir);
		return -1;
	}
	d = opendir(dir);
	if (d == NULL) {
		rc = scan_read_error(err, dir, errno);
		free(dir);
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".git") == 0)
			continue;
		scan_names_add(&here, xstrdup(de->d_name));
	}
	closedir(d);
	qsort(here.v, here.n, sizeof *here.v, scan_names_cmp);
	for (i = 0; i < here.n && rc == 0; i++) {
		sub = rel[0] != '\0' ? xasprintf("%s/%s", rel, here.v[i]) :
		    xstrdup(here.v[i]);
		path = xasprintf("%s/%s", root, sub);
		if (lstat(path, &st) != 0) {
			rc = scan_read_error(err, path, errno);
		} else if (S_ISDIR(st.st_mode)) {
			rc = scan_walk(root, sub, depth + 1, files, err);
		} else if (S_ISREG(st.st_mode) || (S_ISLNK(st.st_mode) &&
		    stat(path, &st) == 0 && S_ISREG(st.st_mode))) {
			/* A link to a file is read: its bytes are what would be packed. */
			scan_names_add(files, sub);
			sub = NULL;
		}
		free(sub);
		free(path);
	}
	for (i = 0; i < here.n; i++)
		free(here.v[i]);
	free(here.v);
	free(dir);
	return rc;
}

int
scan_dir(const char *dir, const struct scan_allow *allow,
    struct scan_report *out, struct dlc_err *err)
{
	struct scan_names files = { NULL, 0, 0 };
	struct scan_stream *s;
	size_t i, dlen = strlen(dir);
	char *path;
	int rc;

	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	rc = scan_walk(dir, "", 0, &files, err);
	if (rc == 0)
		qsort(files.v, files.n, sizeof *files.v, scan_names_cmp);
	s = scan_stream_new(allow, out);
	for (i = 0; i < files.n && rc == 0; i++) {
		path = xasprintf("%.*s/%s", (int)dlen, dir, files.v[i]);
		rc = scan_file_stream(s, path, path, dlen + 1, err);
		free(path);
	}
	scan_stream_free(s);
	for (i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	return rc;
}

int
scan_is_zip(const char *path)
{
	unsigned char m[4];
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	got = read(fd, m, sizeof m);
	close(fd);
	return got == 4 && m[0] == 'P' && m[1] == 'K' &&
	    ((m[2] == 3 && m[3] == 4) || (m[2] == 5 && m[3] == 6));
}

void
scan_report_format(const struct scan_report *r, struct buf *out)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct scan_hit *h = &r->hits[i];

		sanitize_append(out, h->path, strlen(h->path), 0);
		buf_printf(out, ":%lu: %s: ", h->line, h->rule);
		sanitize_append(out, h->excerpt, strlen(h->excerpt),
		    SANITIZE_TAB_AS_SPACE);
		buf_putc(out, '\n');
	}
}

cJSON *
scan_report_json(const struct scan_report *r)
{
	cJSON *root = cJSON_CreateObject(), *list, *o;
	size_t i;

	cJSON_AddBoolToObject(root, "Clean", scan_report_count(r) == 0);
	list = cJSON_AddArrayToObject(root, "Hits");
	for (i = 0; i < r->n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "Path", r->hits[i].path);
		cJSON_AddNumberToObject(o, "Line", (double)r->hits[i].line);
		cJSON_AddStringToObject(o, "Rule", r->hits[i].rule);
		cJSON_AddStringToObject(o, "Excerpt", r->hits[i].excerpt);
		cJSON_AddItemToArray(list, o);
	}
	cJSON_AddNumberToObject(root, "FilesScanned", (double)r->files);
	cJSON_AddNumberToObject(root, "BytesScanned", (double)r->bytes);
	cJSON_AddNumberToObject(root, "Allowed", (double)r->allowed);
	cJSON_AddNumberToObject(root, "Dropped", (double)r->dropped);
	return root;
}
