/* JSON wire format: checked parsing, typed getters and error responses. */
#include "proto-json.h"
#include "xmalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* dlc's own code for "the answer did not look like AWS's". */
#define PROTO_BAD_CODE	"MalformedResponse"
#define PROTO_BAD_FIX	"The endpoint did not answer as AWS does: check " \
	"endpoint_url and any proxy in between, and retry with --debug to see the body."

static int
proto_json_bad(struct dlc_err *err, const char *op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
proto_json_bad(struct dlc_err *err, const char *op, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (op != NULL && op[0] != '\0')
		dlc_err_set(err, PROTO_BAD_CODE, "%s: %s", op, msg);
	else
		dlc_err_set(err, PROTO_BAD_CODE, "%s", msg);
	dlc_err_fix(err, "%s", PROTO_BAD_FIX);
	return -1;
}

/*
 * One pass before cJSON sees the bytes: cJSON recurses up to 1000 levels
 * and stops at a NUL, so depth and NULs are checked here, and an unclosed
 * string or bracket at the end tells "truncated" from "malformed".
 */
struct proto_json_scan {
	size_t	nul_at;		/* offset of the first NUL, or len */
	size_t	deep_at;	/* offset where depth passed the limit, or len */
	int	unclosed;	/* the bytes end inside a string or container */
};

static void
proto_json_prescan(const char *s, size_t len, struct proto_json_scan *sc)
{
	size_t i, depth = 0;
	int in_str = 0, esc = 0;

	sc->nul_at = sc->deep_at = len;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\0') {
			sc->nul_at = i;
			break;
		}
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '{' || c == '[') {
			if (++depth > PROTO_JSON_MAX_DEPTH) {
				sc->deep_at = i;
				break;
			}
		} else if ((c == '}' || c == ']') && depth > 0)
			depth--;
	}
	sc->unclosed = in_str || depth > 0;
}

cJSON *
proto_json_parse(const char *body, size_t len, const char *op,
    struct dlc_err *err)
{
	struct proto_json_scan sc;
	const char *end = NULL;
	cJSON *tree;
	size_t at;

	if (body == NULL || len == 0) {
		proto_json_bad(err, op, "response is empty, expected JSON");
		return NULL;
	}
	if (len > PROTO_JSON_MAX_BODY) {
		proto_json_bad(err, op, "response is %zu bytes, more than the "
		    "%u accepted", len, PROTO_JSON_MAX_BODY);
		return NULL;
	}
	proto_json_prescan(body, len, &sc);
	if (sc.nul_at < len) {
		proto_json_bad(err, op, "response is not JSON (NUL byte at "
		    "byte %zu)", sc.nul_at);
		return NULL;
	}
	if (sc.deep_at < len) {
		proto_json_bad(err, op, "response nests deeper than %d levels "
		    "(at byte %zu)", PROTO_JSON_MAX_DEPTH, sc.deep_at);
		return NULL;
	}
	tree = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	if (tree == NULL) {
		if (sc.unclosed)
			proto_json_bad(err, op, "response is not JSON "
			    "(truncated at byte %zu)", len);
		else {
			at = end != NULL && end >= body ? (size_t)(end - body) : 0;
			proto_json_bad(err, op, "response is not JSON "
			    "(invalid at byte %zu)", at);
		}
		return NULL;
	}
	at = (size_t)(end - body);
	while (at < len && (body[at] == ' ' || body[at] == '\t' ||
	    body[at] == '\r' || body[at] == '\n'))
		at++;
	if (at < len) {
		cJSON_Delete(tree);
		proto_json_bad(err, op, "response is not JSON (unexpected data "
		    "after the value at byte %zu)", at);
		return NULL;
	}
	return tree;
}

cJSON *
proto_json_parse_object(const char *body, size_t len, const char *op,
    struct dlc_err *err)
{
	cJSON *tree = proto_json_parse(body, len, op, err);

	if (tree != NULL && !cJSON_IsObject(tree)) {
		proto_json_bad(err, op, "response is %s, expected an object",
		    proto_json_type_name(tree));
		cJSON_Delete(tree);
		return NULL;
	}
	return tree;
}

static void
proto_json_wipe(cJSON *item)
{
	/* Depth is bounded by the prescan, so recursion is safe here. */
	for (; item != NULL; item = item->next) {
		if (item->valuestring != NULL)
			OPENSSL_cleanse(item->valuestring, strlen(item->valuestring));
		if (item->string != NULL && !(item->type & cJSON_StringIsConst))
			OPENSSL_cleanse(item->string, strlen(item->string));
		proto_json_wipe(item->child);
	}
}

void
proto_json_delete_wiped(cJSON *tree)
{
	if (tree == NULL)
		return;
	proto_json_wipe(tree);
	cJSON_Delete(tree);
}

const char *
proto_json_type_name(const cJSON *item)
{
	if (item == NULL)
		return "missing";
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsBool(item))
		return "a boolean";
	if (cJSON_IsNull(item))
		return "null";
	if (cJSON_IsArray(item))
		return "an array";
	if (cJSON_IsObject(item))
		return "an object";
	return "not a JSON value";
}

static int
proto_json_type_err(struct dlc_err *err, const char *path, const char *field,
    const cJSON *item, const char *expected)
{
	const char *dot = path != NULL && path[0] != '\0' ? "." : "";

	if (item == NULL || cJSON_IsNull(item))
		return proto_json_bad(err, NULL, "%s%s%s is missing, expected %s",
		    path != NULL ? path : "", dot, field, expected);
	return proto_json_bad(err, NULL, "%s%s%s is %s, expected %s",
	    path != NULL ? path : "", dot, field, proto_json_type_name(item),
	    expected);
}

/* Returns the member, or NULL when absent or null (both mean "not given"). */
static const cJSON *
proto_json_member(const cJSON *obj, const char *field)
{
	const cJSON *item;

	if (obj == NULL || !cJSON_IsObject(obj))
		return NULL;
	item = cJSON_GetObjectItemCaseSensitive(obj, field);
	return item == NULL || cJSON_IsNull(item) ? NULL : item;
}

int
proto_json_get_string(const cJSON *obj, const char *field, const char *path,
    int required, const char **out, struct dlc_err *err)
{
	const cJSON *item = proto_json_member(obj, field);

	if (item == NULL)
		return required ?
		    proto_json_type_err(err, path, field, item, "a string") : 0;
	if (!cJSON_IsString(item) || item->valuestring == NULL)
		return proto_json_type_err(err, path, field, item, "a string");
	*out = item->valuestring;
	return 0;
}

int
proto_json_get_int64(const cJSON *obj, const char *field, const char *path,
    int required, int64_t *out, struct dlc_err *err)
{
	const cJSON *item = proto_json_member(obj, field);
	double d;

	if (item == NULL)
		return required ?
		    proto_json_type_err(err, path, field, item, "a number") : 0;
	if (!cJSON_IsNumber(item))
		return proto_json_type_err(err, path, field, item, "a number");
	d = item->valuedouble;
	/* 2^63 is exact as a double; anything at or past it does not fit. */
	if (!isfinite(d) || d != floor(d) || d < -9223372036854775808.0 ||
	    d >= 9223372036854775808.0)
		return proto_json_type_err(err, path, field, item,
		    "a whole number within 64 bits");
	*out = (int64_t)d;
	return 0;
}

int
proto_json_get_bool(const cJSON *obj, const char *field, const char *path,
    int required, int *out, struct dlc_err *err)
{
	const cJSON *item = proto_json_member(obj, field);

	if (item == NULL)
		return required ?
		    proto_json_type_err(err, path, field, item, "a boolean") : 0;
	if (!cJSON_IsBool(item))
		return proto_json_type_err(err, path, field, item, "a boolean");
	*out = cJSON_IsTrue(item) ? 1 : 0;
	return 0;
}

int
proto_json_get_array(const cJSON *obj, const char *field, const char *path,
    int required, const cJSON **out, struct dlc_err *err)
{
	const cJSON *item = proto_json_member(obj, field);

	if (item == NULL)
		return required ?
		    proto_json_type_err(err, path, field, item, "an array") : 0;
	if (!cJSON_IsArray(item))
		return proto_json_type_err(err, path, field, item, "an array");
	*out = item;
	return 0;
}

int
proto_json_get_object(const cJSON *obj, const char *field, const char *path,
    int required, const cJSON **out, struct dlc_err *err)
{
	const cJSON *item = proto_json_member(obj, field);

	if (item == NULL)
		return required ?
		    proto_json_type_err(err, path, field, item, "an object") : 0;
	if (!cJSON_IsObject(item))
		return proto_json_type_err(err, path, field, item, "an object");
	*out = item;
	return 0;
}

void
proto_json_err_prefix(struct dlc_err *err, const char *op)
{
	size_t cap, olen, mlen;

	if (err == NULL || op == NULL || op[0] == '\0')
		return;
	cap = sizeof err->message - 1;
	olen = strlen(op) + 2;			/* "op: " */
	if (olen > cap)
		return;
	mlen = strnlen(err->message, cap);
	if (mlen > cap - olen)
		mlen = cap - olen;		/* the tail of the cause goes */
	memmove(err->message + olen, err->message, mlen);
	memcpy(err->message, op, olen - 2);
	err->message[olen - 2] = ':';
	err->message[olen - 1] = ' ';
	err->message[olen + mlen] = '\0';
}

void
proto_json_excerpt(struct buf *out, const char *body, size_t len, size_t max)
{
	size_t i, n = len;
	int space = 0;

	if (body == NULL)
		return;
	if (n > max) {
		n = max;
		/* Step back over continuation bytes so no sequence is split. */
		while (n > 0 && ((unsigned char)body[n] & 0xC0) == 0x80 &&
		    max - n < 3)
			n--;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)body[i];

		if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
			/* HTML pages are mostly indentation: keep one space. */
			if (!space)
				buf_putc(out, ' ');
			space = 1;
			continue;
		}
		space = 0;
		buf_putc(out, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
	if (n < len)
		buf_puts(out, "...");
}

/* Cuts an AWS error code at ':' and then after the last '#'. */
static void
proto_json_trim_code(char *dst, size_t dstlen, const char *code)
{
	const char *hash;
	size_t n;

	n = strcspn(code, ":");
	hash = memrchr(code, '#', n);
	if (hash != NULL) {
		n -= (size_t)(hash + 1 - code);
		code = hash + 1;
	}
	while (n > 0 && (code[n - 1] == ' ' || code[n - 1] == '\t'))
		n--;
	while (n > 0 && (*code == ' ' || *code == '\t')) {
		code++;
		n--;
	}
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, code, n);
	dst[n] = '\0';
}

int
proto_json_error(long http_status, const char *errortype_header,
    const char *request_id, const char *body, size_t len, struct dlc_err *err)
{
	static const char *const code_keys[] = { "__type", "code", "Code" };
	static const char *const msg_keys[] =
	    { "message", "Message", "errorMessage" };
	struct dlc_err scratch;
	char code[sizeof err->code] = "";
	const char *message = NULL, *s;
	cJSON *tree = NULL;
	struct buf ex;
	size_t i;

	if (errortype_header != NULL && errortype_header[0] != '\0')
		proto_json_trim_code(code, sizeof code, errortype_header);
	if (body != NULL && len > 0)
		tree = proto_json_parse(body, len, NULL, &scratch);
	if (tree != NULL && cJSON_IsObject(tree)) {
		for (i = 0; code[0] == '\0' && i < 3; i++) {
			s = NULL;
			if (proto_json_get_string(tree, code_keys[i], NULL, 0,
			    &s, &scratch) == 0 && s != NULL)
				proto_json_trim_code(code, sizeof code, s);
		}
		for (i = 0; message == NULL && i < 3; i++)
			if (proto_json_get_string(tree, msg_keys[i], NULL, 0,
			    &message, &scratch) != 0)
				message = NULL;
	}
	if (code[0] == '\0')
		snprintf(code, sizeof code, "HTTP%ld", http_status);

	if (message != NULL)
		dlc_err_set(err, code, "%s", message);
	else if (tree == NULL && body != NULL && len > 0) {
		buf_init(&ex, 0);
		proto_json_excerpt(&ex, body, len, 200);
		dlc_err_set(err, code, "HTTP %ld with a body that is not JSON: "
		    "\"%s\"", http_status, ex.data != NULL ? ex.data : "");
		dlc_err_fix(err, "Something other than AWS answered (a proxy "
		    "or the wrong endpoint): check endpoint_url and proxy "
		    "settings.");
		buf_free(&ex);
	} else
		dlc_err_set(err, code, "HTTP %ld with no error message",
		    http_status);
	err->http_status = (int)http_status;
	if (request_id != NULL)
		snprintf(err->request_id, sizeof err->request_id, "%s",
		    request_id);
	cJSON_Delete(tree);
	return -1;
}

int
proto_json_dup_string(const cJSON *obj, const char *field, const char *path,
    int required, char **out, struct dlc_err *err)
{
	const char *s = NULL;

	if (proto_json_get_string(obj, field, path, required, &s, err) != 0)
		return -1;
	*out = s != NULL ? xstrdup(s) : NULL;
	return 0;
}

int
proto_json_expect_object(const cJSON *item, const char *path, struct dlc_err *err)
{
	if (!cJSON_IsObject(item))
		return dlc_err_set(err, "MalformedResponse", "%s is %s, expected an object",
		    path, proto_json_type_name(item));
	return 0;
}
