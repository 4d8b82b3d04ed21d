/*
 * The JSON side of AWS's wire formats (json 1.0/1.1 and rest-json): error
 * responses turned into a struct dlc_err, and a checked parse plus typed
 * getters so every service parser reports a bad answer by its field path
 * ("Functions[3].MemorySize is a string, expected a number") instead of
 * crashing or guessing. Pure functions over bytes: no I/O.
 */
#ifndef DLC_PROTO_JSON_H
#define DLC_PROTO_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "err.h"

/* Bodies above this are refused before parsing (a response, not a dump). */
#define PROTO_JSON_MAX_BODY	(64u * 1024 * 1024)
/* Deepest nesting accepted; AWS's answers are a handful of levels deep. */
#define PROTO_JSON_MAX_DEPTH	128

/*
 * Fills err from a json / rest-json error response and returns -1 (always).
 * The code comes from the x-amzn-errortype header (cut at ':'), else the
 * body's __type / code / Code (cut at ':', then after the last '#'); the
 * message from message / Message / errorMessage. A body that is not JSON
 * (an HTML page from a proxy) gives code "HTTP<status>" and a message
 * quoting its first 200 bytes with control characters replaced.
 * errortype_header and request_id may be NULL.
 */
int	proto_json_error(long http_status, const char *errortype_header,
	    const char *request_id, const char *body, size_t len,
	    struct dlc_err *err);

/*
 * Parses body as one JSON value after checking its size, NUL bytes and
 * nesting depth. op ("ListFunctions") starts every message. Returns a tree
 * the caller frees with cJSON_Delete (or proto_json_delete_wiped when it
 * holds secrets), or NULL with err filled.
 */
cJSON	*proto_json_parse(const char *body, size_t len, const char *op,
	    struct dlc_err *err);
/* Like proto_json_parse, and also fails unless the value is an object. */
cJSON	*proto_json_parse_object(const char *body, size_t len, const char *op,
	    struct dlc_err *err);

/* Wipes every string in the tree (values and keys) and deletes it. */
void	proto_json_delete_wiped(cJSON *tree);

/*
 * Typed getters. obj must be an object; field is looked up case-sensitively;
 * path names obj in messages ("Functions[3]", or NULL/"" for the root).
 * A member that is absent or JSON null is "missing": with required == 0 the
 * getter returns 0 and leaves *out untouched (callers preset defaults); with
 * required != 0 it fails. A member of the wrong type always fails, naming
 * the path and both types. Returned pointers point into obj.
 */
int	proto_json_get_string(const cJSON *obj, const char *field,
	    const char *path, int required, const char **out, struct dlc_err *err);
/* Accepts integral numbers within int64 (as exactly as a double allows). */
int	proto_json_get_int64(const cJSON *obj, const char *field,
	    const char *path, int required, int64_t *out, struct dlc_err *err);
int	proto_json_get_bool(const cJSON *obj, const char *field,
	    const char *path, int required, int *out, struct dlc_err *err);
int	proto_json_get_array(const cJSON *obj, const char *field,
	    const char *path, int required, const cJSON **out, struct dlc_err *err);
/* Like proto_json_get_string, into an allocated copy (NULL when absent). */
int	proto_json_dup_string(const cJSON *obj, const char *field,
	    const char *path, int required, char **out, struct dlc_err *err);
/* A list element must be an object: fails naming its path and real type. */
int	proto_json_expect_object(const cJSON *item, const char *path,
	    struct dlc_err *err);
int	proto_json_get_object(const cJSON *obj, const char *field,
	    const char *path, int required, const cJSON **out, struct dlc_err *err);

/* "a string", "a number", ... for messages. */
const char *proto_json_type_name(const cJSON *item);

/* Puts "op: " in front of err's message (once a getter has failed). */
void	proto_json_err_prefix(struct dlc_err *err, const char *op);

/*
 * Appends at most max bytes of body to out with control characters made
 * inert (newlines and tabs become spaces, others '?'), never cutting a
 * UTF-8 sequence in half, with "..." when cut. For quoting an error page.
 */
void	proto_json_excerpt(struct buf *out, const char *body, size_t len,
	    size_t max);

#endif
