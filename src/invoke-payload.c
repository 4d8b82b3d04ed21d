/*
 * Reading, checking and finding invoke payloads, and writing a response
 * file atomically.
 */
#include "invoke-payload.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "xmalloc.h"

static int
invoke_payload_slurp(FILE *f, const char *from, char **out, size_t *len,
    struct dlc_err *err)
{
	struct buf b;
	char chunk[65536];
	size_t n;

	buf_init(&b, INVOKE_PAYLOAD_MAX + 1);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > INVOKE_PAYLOAD_MAX) {
			buf_free(&b);
			dlc_err_set(err, "PayloadTooLarge",
			    "%s is larger than %d bytes, Lambda's limit for a synchronous invoke",
			    from, INVOKE_PAYLOAD_MAX);
			dlc_err_fix(err, "invoke with a smaller event");
			return -1;
		}
		buf_append(&b, chunk, n);
	}
	if (ferror(f)) {
		buf_free(&b);
		dlc_err_set(err, "ReadFailed", "cannot read %s: %s", from,
		    strerror(errno));
		return -1;
	}
	buf_putc(&b, '\0');
	*len = b.len - 1;
	*out = buf_detach(&b, NULL);
	return 0;
}

int
invoke_payload_check(const char *s, size_t len, const char *from,
    struct dlc_err *err)
{
	const char *end = NULL, *p;
	size_t line = 1, col = 1;
	cJSON *doc;

	if (memchr(s, '\0', len) != NULL) {
		end = memchr(s, '\0', len);
	} else {
		doc = cJSON_ParseWithLengthOpts(s, len, &end, 0);
		if (doc != NULL) {
			cJSON_Delete(doc);
			/* One value only: blanks may follow it, nothing else. */
			while (end < s + len && strchr(" \t\r\n", *end) != NULL)
				end++;
			if (end >= s + len)
				return 0;
		}
		if (end == NULL || end < s || end > s + len)
			end = s + len;
	}
	for (p = s; p < end; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	dlc_err_set(err, "InvalidPayload",
	    "%s is not valid JSON: it stops making sense at line %zu, column %zu",
	    from, line, col);
	dlc_err_fix(err, "fix the JSON there (Lambda takes one JSON value as the event)");
	return -1;
}

int
invoke_payload_read_file(const char *path, char **out, size_t *len,
    struct dlc_err *err)
{
	FILE *f = fopen(path, "rb");
	int rc;

	if (f == NULL) {
		dlc_err_set(err, errno == ENOENT ? "NoSuchFile" : "ReadFailed",
		    "cannot open the payload file %s: %s", path, strerror(errno));
		dlc_err_fix(err, "give an existing file, '-' for stdin, or the JSON itself (starting with { [ or \")");
		return -1;
	}
	rc = invoke_payload_slurp(f, path, out, len, err);
	fclose(f);
	if (rc == 0 && invoke_payload_check(*out, *len, path, err) != 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return rc;
}

int
invoke_payload_is_inline(const char *spec)
{
	const char *p = spec + strspn(spec, " \t\r\n");

	return *p == '{' || *p == '[' || *p == '"';
}

int
invoke_payload_read(const char *spec, FILE *stdin_, char **out, size_t *len,
    struct dlc_err *err)
{
	*out = NULL;
	if (strcmp(spec, "-") == 0) {
		if (invoke_payload_slurp(stdin_, "stdin", out, len, err) != 0)
			return -1;
		if (invoke_payload_check(*out, *len, "the payload on stdin",
		    err) != 0) {
			free(*out);
			*out = NULL;
			return -1;
		}
		return 0;
	}
	if (invoke_payload_is_inline(spec)) {
		*len = strlen(spec);
		if (*len > INVOKE_PAYLOAD_MAX) {
			dlc_err_set(err, "PayloadTooLarge", "the inline payload is "
			    "larger than %d bytes", INVOKE_PAYLOAD_MAX);
			return -1;
		}
		if (invoke_payload_check(spec, *len, "the inline payload",
		    err) != 0)
			return -1;
		*out = xstrdup(spec);
		return 0;
	}
	return invoke_payload_read_file(spec, out, len, err);
}

static int
invoke_payload_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
invoke_payload_events(const char *function_dir, size_t *n)
{
	char **names = NULL;
	size_t cap = 0;
	struct dirent *de;
	struct buf path;
	DIR *d;

	*n = 0;
	buf_init(&path, 0);
	buf_printf(&path, "%s/events", function_dir);
	d = opendir(path.data);
	buf_free(&path);
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len <= 5 ||
		    strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (*n == cap) {
			cap = cap > 0 ? cap * 2 : 8;
			names = xreallocarray(names, cap, sizeof *names);
		}
		names[(*n)++] = xstrndup(de->d_name, len - 5);
	}
	closedir(d);
	if (*n > 1)
		qsort(names, *n, sizeof *names, invoke_payload_cmp);
	return names;
}

void
invoke_payload_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
invoke_payload_read_event(const char *function_dir, const char *name,
    char **out, size_t *len, struct dlc_err *err)
{
	char **names;
	size_t n, i;
	struct buf b;
	int rc;

	names = invoke_payload_events(function_dir, &n);
	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			break;
	buf_init(&b, 0);
	if (i < n) {
		buf_printf(&b, "%s/events/%s.json", function_dir, name);
		rc = invoke_payload_read_file(b.data, out, len, err);
	} else {
		dlc_err_set(err, "NoSuchEvent", "no event '%s' in %s/events",
		    name, function_dir);
		for (i = 0; i < n; i++)
			buf_printf(&b, "%s%s", i > 0 ? ", " : "", names[i]);
		if (n > 0)
			dlc_err_fix(err, "pick one of: %s", b.data);
		else
			dlc_err_fix(err, "save one as %s/events/%s.json, or pass --payload",
			    function_dir, name);
		rc = -1;
	}
	buf_free(&b);
	invoke_payload_names_free(names, n);
	return rc;
}

int
invoke_payload_write_atomic(const char *path, const void *data, size_t len,
    struct dlc_err *err)
{
	const char *p = data;
	struct buf tmp;
	mode_t mask;
	ssize_t w;
	int fd;

	buf_init(&tmp, 0);
	buf_printf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp.data)) < 0) {
		dlc_err_set(err, "WriteFailed", "cannot create a file beside %s: %s",
		    path, strerror(errno));
		dlc_err_fix(err, "write to a folder you can write to");
		buf_free(&tmp);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp.data, path) != 0)
		goto fail;
	buf_free(&tmp);
	return 0;
fail:
	dlc_err_set(err, "WriteFailed", "cannot write %s: %s", path,
	    strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp.data);
	buf_free(&tmp);
	return -1;
}
