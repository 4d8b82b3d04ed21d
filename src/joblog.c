/* A job's build log, read for the console (joblog.h). */
#include "joblog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "statedir.h"
#include "xmalloc.h"

static int
joblog_id_ok(const char *id)
{
	size_t n = strspn(id, "0123456789abcdef");

	return n > 0 && n <= 32 && id[n] == '\0';
}

int
joblog_read(const char *id, size_t max, struct buf *out, size_t *skipped,
    struct dlc_err *err)
{
	char rel[64], *path, chunk[8192];
	struct stat st;
	size_t start_len = out->len, want;
	off_t from = 0;
	ssize_t n;
	int fd, rc = 0;

	if (skipped != NULL)
		*skipped = 0;
	if (id == NULL || !joblog_id_ok(id)) {
		dlc_err_what(err, "build log of job %.40s", id != NULL ? id : "");
		return dlc_err_set(err, "BadJobId", "a job id is lowercase hex, as dlc queue shows it");
	}
	if (max == 0)
		max = JOBLOG_MAX_BYTES;
	snprintf(rel, sizeof rel, "jobs/%s.log", id);
	path = state_dir_path(rel);
	/* O_NOFOLLOW: the state folder is ours; a link planted there is not followed. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		dlc_err_what(err, "build log of job %s", id);
		if (errno == ENOENT) {
			dlc_err_set(err, "NoJobLog", "%s does not exist", path);
			dlc_err_fix(err, "a job that ran no build command has no log; one queued "
			    "on another machine keeps its log there");
		} else {
			dlc_err_set(err, "JobLogUnreadable", "%s: %s", path, strerror(errno));
		}
		free(path);
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
		from = st.st_size - (off_t)max;
		if (lseek(fd, from, SEEK_SET) < 0)
			from = 0;
	}
	want = max;
	while (want > 0 && (n = read(fd, chunk, want < sizeof chunk ? want : sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			dlc_err_what(err, "build log of job %s", id);
			rc = dlc_err_set(err, "JobLogUnreadable", "%s: %s", path, strerror(errno));
			break;
		}
		if (buf_append(out, chunk, (size_t)n) != 0)
			break;
		want -= (size_t)n;
	}
	close(fd);
	free(path);
	if (rc == 0 && from > 0) {
		/* Cut at a line: half a line would read as the build's output. */
		char *nl = memchr(out->data + start_len, '\n', out->len - start_len);
		size_t cut = nl != NULL ? (size_t)(nl + 1 - (out->data + start_len)) : 0;

		memmove(out->data + start_len, out->data + start_len + cut,
		    out->len - start_len - cut + 1);
		out->len -= cut;
		if (skipped != NULL)
			*skipped = (size_t)from + cut;
	}
	return rc;
}

void
joblog_last_line(const char *id, char *buf, size_t len)
{
	struct buf b;
	struct dlc_err err;
	char *end, *start;

	if (len == 0)
		return;
	buf[0] = '\0';
	buf_init(&b, 4096);
	dlc_err_clear(&err);
	if (joblog_read(id, 1024, &b, NULL, &err) == 0 && b.len > 0) {
		end = b.data + b.len;
		for (;;) {
			while (end > b.data && (end[-1] == '\n' || end[-1] == '\r'))
				end--;
			start = end;
			while (start > b.data && start[-1] != '\n')
				start--;
			/* The queue's own notes ("-- build done: ...") are not the build's output. */
			if (start == end || strncmp(start, "-- ", 3) != 0)
				break;
			end = start;
		}
		snprintf(buf, len, "%.*s", (int)(end - start), start);
	}
	buf_free(&b);
}
