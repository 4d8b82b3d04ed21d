/*
 * Reading a deploy job's build log ($XDG_STATE_HOME/dlc/jobs/ID.log, which
 * the queue writes): the console's queue view shows it on Enter, and ui/
 * opens no file of its own (scripts/lint.sh), so the read is here. Only the
 * newest bytes are read: a chatty build's log may be large, and the
 * console's view keeps a bounded number of lines anyway.
 */
#ifndef DLC_JOBLOG_H
#define DLC_JOBLOG_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* The most a read returns: the log's last bytes past this are cut at a line. */
#define JOBLOG_MAX_BYTES	(1024 * 1024)

/*
 * Appends to out the last max bytes (0: JOBLOG_MAX_BYTES) of job id's log,
 * starting at a line when the start was cut; *skipped (may be NULL) gets
 * the bytes left out. id must be a job id (lowercase hex, 1 to 32
 * characters). Returns 0, or -1 with err: a bad id, no log for the job
 * (code NoJobLog: a job that ran no build command, or another machine's),
 * or a read error.
 */
int	joblog_read(const char *id, size_t max, struct buf *out, size_t *skipped,
	    struct dlc_err *err);

/*
 * The log's last non-empty line (at most len - 1 bytes of it) into buf,
 * from its last 1 KB, passing over the queue's own notes (lines that
 * start "-- "): what a running build printed last. "" when the log is
 * empty or not there yet.
 */
void	joblog_last_line(const char *id, char *buf, size_t len);

#endif
