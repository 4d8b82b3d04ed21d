/*
 * What a Lambda log message means, read from its text alone: its level,
 * whether it is JSON (whole, or after Lambda's text prefix), the
 * START/END/REPORT platform lines and timeouts, request ids, and where
 * its lines break. Pure functions over (msg, len): messages are untrusted
 * and may hold NUL, invalid UTF-8 or invalid JSON; nothing here crashes
 * on them or reads past len.
 */
#ifndef DLC_LOGPARSE_H
#define DLC_LOGPARSE_H

#include <stddef.h>
#include <sys/types.h>

enum log_level {
	LOG_LEVEL_NONE,
	LOG_LEVEL_TRACE,
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARN,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_FATAL
};

/* Room for a request id and its NUL. */
#define LOGPARSE_ID_LEN	64

/*
 * The level, from the first form that matches:
 *   Lambda text   "2026-11-25T10:00:00.123Z\t<request id>\tERROR\tmessage"
 *   brackets      "[ERROR] ...", "[ERROR]\t2026-...\t<id>\t..." (Python)
 *   Python        "ERROR:root:message"
 *   a level word  "ERROR ...", "WARN: ..." at the start
 *   JSON          "level", "levelname", "severity", "log.level", "lvl"
 *                 (case-insensitive values; numeric pino/bunyan levels)
 *   errors        "Task timed out after", "Traceback (most recent call last)",
 *                 "RequestId: ID Error: ...", REPORT with a failed Status,
 *                 JSON platform.report/runtimeDone whose status is not success
 * WARNING is WARN, CRITICAL/PANIC are FATAL, ERR is ERROR.
 */
enum log_level	 logparse_level(const char *msg, size_t len);
/* "ERROR", "WARN", ...; "" for LOG_LEVEL_NONE. */
const char	*logparse_level_name(enum log_level level);
/* The level named by word ("warning", "Error", "E"...), or LOG_LEVEL_NONE. */
enum log_level	 logparse_level_word(const char *word, size_t len);

/* Lambda's text prefix: "TIME\tID\tLEVEL\tbody" or "[LEVEL]\tTIME\tID\tbody". */
struct logparse_prefix {
	size_t		id_start, id_len;	/* the request id */
	enum log_level	level;			/* NONE when the prefix names none */
	size_t		body;			/* where the text after it starts */
};

/* 1 and *p filled when msg starts with Lambda's text prefix, else 0. */
int		 logparse_lambda_prefix(const char *msg, size_t len,
		    struct logparse_prefix *p);

/*
 * Where a JSON object or array starts in msg, when the whole message
 * (trimmed) is valid JSON or valid JSON follows Lambda's text prefix
 * ("time\trequest id\tLEVEL\t"); -1 otherwise.
 */
ssize_t		 logparse_json_start(const char *msg, size_t len);
/* The message's JSON indented by 2 spaces (allocated), or NULL. */
char		*logparse_json_pretty(const char *msg, size_t len);

struct lambda_report {
	char	request_id[LOGPARSE_ID_LEN];
	double	duration_ms, billed_ms, init_ms;
	long	memory_mb, max_memory_mb;
	int	has_init;	/* Init Duration given: a cold start */
	int	timed_out;	/* "Status: timeout" */
	int	errored;	/* "Status: error" (newer runtimes) */
};

/*
 * Parses "REPORT RequestId: ID\tDuration: 1234.56 ms\tBilled Duration:
 * 1235 ms\tMemory Size: 512 MB\tMax Memory Used: 123 MB\tInit Duration:
 * 456.78 ms\tStatus: timeout". Returns 0, or -1 when msg is not a REPORT.
 * Fields it does not find stay 0, and so do figures out of range (negative
 * or above a billion, e.g. a forged "Max Memory Used: 99999999999999999999"). Also reads the JSON log format's
 * {"type":"platform.report","record":{"requestId":...,"metrics":
 * {"durationMs":...,"billedDurationMs":...,"memorySizeMB":...,
 * "maxMemoryUsedMB":...,"initDurationMs":...},"status":"timeout"}}.
 */
int	logparse_report(const char *msg, size_t len, struct lambda_report *out);
/*
 * "START RequestId: ID Version: $LATEST" (or JSON type platform.start):
 * 0 and the id, or -1.
 */
int	logparse_start(const char *msg, size_t len,
	    char request_id[LOGPARSE_ID_LEN]);
/* "END RequestId: ID" (or platform.runtimeDone): 0 and the id, or -1. */
int	logparse_end(const char *msg, size_t len,
	    char request_id[LOGPARSE_ID_LEN]);
/*
 * "... Task timed out after 900.00 seconds": 0 and the seconds, or -1.
 * seconds may be NULL.
 */
int	logparse_timeout(const char *msg, size_t len, double *seconds);
/*
 * The request id of a START/END/REPORT line, the Lambda text prefix, or a
 * JSON "requestId"/"AWSRequestId" field (any case) or record.requestId of a
 * JSON platform line: 0, or -1.
 */
int	logparse_request_id(const char *msg, size_t len,
	    char request_id[LOGPARSE_ID_LEN]);
/*
 * Splits msg into lines at "\r\n", "\n" and a lone "\r"; a trailing break
 * does not make an empty last line, an empty message is one empty line.
 * Fills at most max (starts[i], lens[i]) pairs and returns the number of
 * lines there are (which may be more than max).
 */
size_t	logparse_split_lines(const char *msg, size_t len, size_t *starts,
	    size_t *lens, size_t max);

#endif
