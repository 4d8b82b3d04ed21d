/*
 * The console's W: the shown lines of a log view written to a new file
 * (see logsave.h).
 */
#include "logsave.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "jsonout.h"
#include "sanitize.h"
#include "timerange.h"

static int
logsave_ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && strcmp(s + len - n, suffix) == 0;
}

enum logsave_format
logsave_format_of(const char *path)
{
	size_t len = strlen(path);

	return logsave_ends_with(path, len, ".json") || logsave_ends_with(path, len, ".ndjson") ?
	    LOGSAVE_NDJSON : LOGSAVE_TEXT;
}

/* The error of a failed open or write, with what the user can do about it. */
static int
logsave_fail(struct dlc_err *err, const char *path, int e)
{
	dlc_err_set(err, NULL, "%s%s", strerror(e), e == EEXIST ? " (choose another name)" : "");
	dlc_err_what(err, "cannot save to %s", path);
	if (e == EEXIST)
		dlc_err_fix(err, "saving never overwrites a file: give a name that does not exist yet");
	else if (e == ENOENT)
		dlc_err_fix(err, "the folder does not exist: save into one that does");
	else if (e == EACCES || e == EPERM || e == EROFS)
		dlc_err_fix(err, "save into a folder you can write to");
	else if (e == ENOSPC || e == EDQUOT)
		dlc_err_fix(err, "free some space, or save on another disk");
	else
		dlc_err_fix(err, "check the name and the folder, then save again");
	return -1;
}

/* One event as a line of the chosen format into line; 0 when it has none. */
static int
logsave_line(struct buf *line, const struct log_event *ev, enum logsave_format fmt,
    char *const *labels, char *const *groups, size_t n_sources)
{
	size_t len = ev->message_len;
	char when[64];

	buf_reset(line);
	if (fmt == LOGSAVE_NDJSON) {
		if (ev->flags & LOG_EVENT_GAP)
			return 0;	/* not an event: NDJSON holds AWS's events only */
		jsonout_log_event(line, ev, ev->source < n_sources ? groups[ev->source] : "");
		return 1;
	}
	while (len > 0 && (ev->message[len - 1] == '\n' || ev->message[len - 1] == '\r'))
		len--;
	timerange_format(ev->timestamp, 1, when, sizeof when);
	buf_printf(line, "%s ", when);
	if (n_sources > 1 && ev->source < n_sources)
		buf_printf(line, "%s ", labels[ev->source]);
	sanitize_append(line, ev->message, len, SANITIZE_KEEP_NEWLINE | SANITIZE_TAB_AS_SPACE);
	buf_putc(line, '\n');
	return 1;
}

int
logsave_write(const struct logview *lv, const char *path, enum logsave_format fmt,
    char *const *labels, char *const *groups, size_t n_sources,
    size_t *n_written, struct dlc_err *err)
{
	const struct logring *ring = logview_ring(lv);
	struct buf line;
	size_t i, n = 0;
	int fd, e = 0;
	FILE *fp;

	*n_written = 0;
	/* Never over an existing file: saving must not lose anything. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return logsave_fail(err, path, errno);
	if ((fp = fdopen(fd, "w")) == NULL) {
		e = errno;
		close(fd);
		return logsave_fail(err, path, e);
	}
	buf_init(&line, 0);
	for (i = logview_next_kept(lv, LOGVIEW_NONE); i != LOGVIEW_NONE; i = logview_next_kept(lv, i)) {
		if (!logsave_line(&line, logring_at(ring, i), fmt, labels, groups, n_sources))
			continue;
		if (fwrite(line.data, 1, line.len, fp) != line.len) {
			e = errno != 0 ? errno : EIO;
			break;
		}
		n++;
	}
	buf_free(&line);
	if (fclose(fp) != 0 && e == 0)
		e = errno != 0 ? errno : EIO;
	*n_written = n;
	return e != 0 ? logsave_fail(err, path, e) : 0;
}
