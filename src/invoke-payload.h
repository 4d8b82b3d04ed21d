/*
 * The event a function is invoked with: read from a file, from stdin, or
 * given inline, or picked by name from the function's own folder
 * (functions/NAME/events/EVENT.json, the team's saved test events), and
 * checked as JSON here before anything is sent, so a typo is an error
 * naming the file, line and column instead of a Lambda
 * InvalidRequestContentException.
 */
#ifndef DLC_INVOKE_PAYLOAD_H
#define DLC_INVOKE_PAYLOAD_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* Lambda takes at most 6 MB in a synchronous invoke. */
#define INVOKE_PAYLOAD_MAX	(6 * 1024 * 1024)

/*
 * What --payload names: "-" is stdin, text starting (after blanks) with
 * '{', '[' or '"' is the JSON itself, anything else a file. Returns 0 with
 * *out (allocated, NUL-terminated) and *len, or -1 with err. stdin is the
 * stream read for "-" (tests pass their own).
 */
int	invoke_payload_read(const char *spec, FILE *stdin_, char **out,
	    size_t *len, struct dlc_err *err);

/* 1 when --payload's text is the JSON itself (see above), not a file's name. */
int	invoke_payload_is_inline(const char *spec);

/* Reads the file at path (at most INVOKE_PAYLOAD_MAX bytes) and checks it. */
int	invoke_payload_read_file(const char *path, char **out, size_t *len,
	    struct dlc_err *err);

/*
 * 0 when s[0..len) is one JSON value (blanks around it allowed); else -1
 * with err naming where (from, e.g. "events/daily.json" or "the inline
 * payload") and the line and column where parsing stopped.
 */
int	invoke_payload_check(const char *s, size_t len, const char *from,
	    struct dlc_err *err);

/*
 * The saved events of a function folder: the NAME of every
 * dir/events/NAME.json, sorted. Returns the allocated array of *n
 * allocated names (none when there is no events folder: *n 0, not an
 * error). Free with invoke_payload_names_free.
 */
char	**invoke_payload_events(const char *function_dir, size_t *n);
void	invoke_payload_names_free(char **names, size_t n);

/*
 * Reads dir/events/NAME.json. A name that is not there (or is not a plain
 * name: '/', a leading '.') is an error listing the names that are.
 */
int	invoke_payload_read_event(const char *function_dir, const char *name,
	    char **out, size_t *len, struct dlc_err *err);

/*
 * Writes data to path whole or not at all: a temporary file beside it,
 * then a rename over it. The file gets 0666 less the umask. -1 with err
 * naming the path and the cause.
 */
int	invoke_payload_write_atomic(const char *path, const void *data,
	    size_t len, struct dlc_err *err);

#endif
