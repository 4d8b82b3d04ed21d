/*
 * JSON output for -o json: prints a cJSON tree as text that is always valid
 * UTF-8 and safe on a terminal. Invalid bytes in strings (and keys) become
 * U+FFFD; C0 controls are escaped by cJSON as \u00XX, and the printer also
 * escapes what cJSON leaves raw but a terminal or a JavaScript reader would
 * act on, or a reader could not see: DEL and every code point of the
 * sanitiser's table (sanitize_cp_class: C1 controls, bidi controls,
 * U+2028/9, zero-width and tag characters), as \uXXXX (a surrogate pair
 * past U+FFFF).
 * The shape of the top-level value is decided by each command, not here.
 */
#ifndef DLC_JSONOUT_H
#define DLC_JSONOUT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "logevent.h"

/* Returns the allocated text of v (free with free()); pretty indents it. */
char	*jsonout_print(const cJSON *v, int pretty);
/* Writes jsonout_print(v, pretty) and a newline to f. */
void	jsonout_write(FILE *f, const cJSON *v, int pretty);
/* Returns a new string item holding s, or a null item when s is NULL. */
cJSON	*jsonout_string_or_null(const char *s);
/*
 * Appends s[0..len) as a quoted JSON string: bytes a C string cannot hold
 * (NUL), every control character and the same set as above escaped as
 * \uXXXX, invalid UTF-8 replaced by U+FFFD, so a log message keeps its full length in NDJSON.
 */
void	jsonout_string(struct buf *out, const char *s, size_t len);
/*
 * Appends one log event as an NDJSON line with AWS's FilterLogEvents field
 * names (timestamp, ingestionTime, logGroupName, logStreamName, message,
 * eventId), newline included; a NUL in the message survives.
 */
void	jsonout_log_event(struct buf *out, const struct log_event *ev,
	    const char *group);

#endif
