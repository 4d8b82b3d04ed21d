/*
 * Reading Lambda log messages: see logparse.h. Everything works on
 * (msg, len) without assuming a NUL, and numbers are parsed by hand so the
 * process locale (a comma decimal point) cannot change what we read.
 */
#include "logparse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "xmalloc.h"

static const char *const logparse_names[] = {
	"", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"
};

const char *
logparse_level_name(enum log_level level)
{
	if ((unsigned)level >= sizeof logparse_names / sizeof *logparse_names)
		return "";
	return logparse_names[level];
}

static int
logparse_ieq(const char *a, size_t alen, const char *b)
{
	size_t i;

	if (alen != strlen(b))
		return 0;
	for (i = 0; i < alen; i++) {
		char c = a[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != b[i])
			return 0;
	}
	return 1;
}

enum log_level
logparse_level_word(const char *w, size_t len)
{
	static const struct {
		const char	*word;
		enum log_level	 level;
	} words[] = {
		{ "TRACE", LOG_LEVEL_TRACE }, { "DEBUG", LOG_LEVEL_DEBUG },
		{ "INFO", LOG_LEVEL_INFO }, { "NOTICE", LOG_LEVEL_INFO },
		{ "WARN", LOG_LEVEL_WARN }, { "WARNING", LOG_LEVEL_WARN },
		{ "ERROR", LOG_LEVEL_ERROR }, { "ERR", LOG_LEVEL_ERROR },
		{ "FATAL", LOG_LEVEL_FATAL }, { "CRITICAL", LOG_LEVEL_FATAL },
		{ "PANIC", LOG_LEVEL_FATAL }, { "ALERT", LOG_LEVEL_FATAL },
		{ "EMERGENCY", LOG_LEVEL_FATAL },
	};
	size_t i;

	for (i = 0; i < sizeof words / sizeof *words; i++)
		if (logparse_ieq(w, len, words[i].word))
			return words[i].level;
	return LOG_LEVEL_NONE;
}

static int
logparse_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\v';
}

static int
logparse_is_id_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '-';
}

static int
logparse_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of the field at msg[i] up to sep (or len). */
static size_t
logparse_field(const char *msg, size_t len, size_t i, char sep)
{
	size_t j = i;

	while (j < len && msg[j] != sep && msg[j] != '\n')
		j++;
	return j - i;
}

/* An ISO 8601 time such as 2026-11-25T10:00:00.123Z, loosely. */
static int
logparse_is_time(const char *s, size_t n)
{
	size_t i;

	if (n < 10 || n > 40 || !logparse_is_digit(s[0]) ||
	    !logparse_is_digit(s[3]) || s[4] != '-')
		return 0;
	for (i = 0; i < n; i++)
		if (logparse_is_ws(s[i]))
			return 0;
	return 1;
}

static int
logparse_is_id(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= LOGPARSE_ID_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!logparse_is_id_char(s[i]))
			return 0;
	return 1;
}

int
logparse_lambda_prefix(const char *msg, size_t len, struct logparse_prefix *p)
{
	size_t i = 0, n;

	memset(p, 0, sizeof *p);
	if (len > 2 && msg[0] == '[') {
		/* Python: "[LEVEL]\tTIME\tID\tbody" */
		n = logparse_field(msg, len, 1, ']');
		if (1 + n + 1 >= len || msg[1 + n] != ']' || msg[2 + n] != '\t')
			return 0;
		p->level = logparse_level_word(msg + 1, n);
		if (p->level == LOG_LEVEL_NONE)
			return 0;
		i = n + 3;
	}
	n = logparse_field(msg, len, i, '\t');
	if (i + n >= len || msg[i + n] != '\t' || !logparse_is_time(msg + i, n))
		return 0;
	i += n + 1;
	n = logparse_field(msg, len, i, '\t');
	if (i + n >= len || msg[i + n] != '\t' || !logparse_is_id(msg + i, n))
		return 0;
	p->id_start = i;
	p->id_len = n;
	i += n + 1;
	if (p->level == LOG_LEVEL_NONE) {
		/* Node and the JSON-less runtimes: "TIME\tID\tLEVEL\tbody". */
		n = logparse_field(msg, len, i, '\t');
		if (i + n < len && msg[i + n] == '\t') {
			enum log_level l = logparse_level_word(msg + i, n);

			if (l != LOG_LEVEL_NONE) {
				p->level = l;
				i += n + 1;
			}
		}
	}
	p->body = i;
	return 1;
}

static const char *
logparse_find(const char *msg, size_t len, const char *needle)
{
	return memmem(msg, len, needle, strlen(needle));
}

static int
logparse_starts(const char *msg, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(msg, prefix, n) == 0;
}

/* A parsed JSON value whose only neighbours in msg are spaces, or NULL. */
static cJSON *
logparse_json_at(const char *msg, size_t len, size_t start)
{
	const char *end = NULL;
	cJSON *json;
	size_t i;

	/*
	 * JSON cannot hold a raw NUL, but cJSON would take one inside a string
	 * and cut the string there: the pretty form would lose text.
	 */
	if (memchr(msg + start, '\0', len - start) != NULL)
		return NULL;
	json = cJSON_ParseWithLengthOpts(msg + start, len - start, &end, 0);
	if (json == NULL)
		return NULL;
	for (i = (size_t)(end - msg); i < len; i++) {
		if (!logparse_is_ws(msg[i])) {
			cJSON_Delete(json);
			return NULL;
		}
	}
	return json;
}

/* Offset of the JSON in msg (and the parse, when json is not NULL), or -1. */
static ssize_t
logparse_json_find(const char *msg, size_t len, cJSON **json)
{
	struct logparse_prefix p;
	size_t i = 0;
	cJSON *j;

	while (i < len && logparse_is_ws(msg[i]))
		i++;
	j = NULL;
	if (i < len && (msg[i] == '{' || msg[i] == '['))
		j = logparse_json_at(msg, len, i);
	/* "[INFO]\t..." starts with a bracket and is not JSON: try the prefix. */
	if (j == NULL) {
		if (!logparse_lambda_prefix(msg, len, &p))
			return -1;
		i = p.body;
		while (i < len && logparse_is_ws(msg[i]))
			i++;
		if (i >= len || (msg[i] != '{' && msg[i] != '['))
			return -1;
		j = logparse_json_at(msg, len, i);
	}
	if (j == NULL)
		return -1;
	if (json != NULL)
		*json = j;
	else
		cJSON_Delete(j);
	return (ssize_t)i;
}

ssize_t
logparse_json_start(const char *msg, size_t len)
{
	return logparse_json_find(msg, len, NULL);
}

char *
logparse_json_pretty(const char *msg, size_t len)
{
	cJSON *json = NULL;
	char *text, *out;
	size_t i, o = 0, n, tabs = 0;
	int line_start = 1;

	if (logparse_json_find(msg, len, &json) < 0)
		return NULL;
	text = cJSON_Print(json);
	cJSON_Delete(json);
	if (text == NULL)
		return NULL;
	/*
	 * cJSON indents with tabs and puts a tab after ':'; strings have their
	 * tabs escaped, so every raw tab is layout. Indents become 2 spaces.
	 */
	n = strlen(text);
	for (i = 0; i < n; i++)
		if (text[i] == '\t')
			tabs++;
	out = xmalloc(n + tabs + 1);
	for (i = 0; i < n; i++) {
		if (text[i] == '\t') {
			out[o++] = ' ';
			if (line_start)
				out[o++] = ' ';
			continue;
		}
		line_start = text[i] == '\n';
		out[o++] = text[i];
	}
	out[o] = '\0';
	cJSON_free(text);
	return out;
}

/* Level from a JSON log line's level field. */
static enum log_level
logparse_json_level(const cJSON *json)
{
	static const char *const keys[] = {
		"level", "levelname", "severity", "log.level", "lvl",
		"loglevel", "log_level", "severityText"
	};
	size_t i;

	if (!cJSON_IsObject(json))
		return LOG_LEVEL_NONE;
	for (i = 0; i < sizeof keys / sizeof *keys; i++) {
		const cJSON *v = cJSON_GetObjectItem(json, keys[i]);

		if (cJSON_IsString(v) && v->valuestring != NULL)
			return logparse_level_word(v->valuestring,
			    strlen(v->valuestring));
		if (cJSON_IsNumber(v)) {
			/* pino and bunyan: 10 trace ... 60 fatal */
			int n = v->valueint;

			if (n >= 60)
				return LOG_LEVEL_FATAL;
			if (n >= 50)
				return LOG_LEVEL_ERROR;
			if (n >= 40)
				return LOG_LEVEL_WARN;
			if (n >= 30)
				return LOG_LEVEL_INFO;
			if (n >= 20)
				return LOG_LEVEL_DEBUG;
			if (n >= 10)
				return LOG_LEVEL_TRACE;
		}
	}
	return LOG_LEVEL_NONE;
}

/* A JSON-format platform.report or runtimeDone whose status is not success. */
static int
logparse_json_failed(const cJSON *json)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(json, "type");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(json, "record"), "status");

	if (!cJSON_IsString(t) || !cJSON_IsString(st) ||
	    (strcmp(t->valuestring, "platform.report") != 0 &&
	    strcmp(t->valuestring, "platform.runtimeDone") != 0))
		return 0;
	return strcmp(st->valuestring, "success") != 0;
}

/* "ERROR:root:", "WARN ...", "Error: ..." at the start of body. */
static enum log_level
logparse_leading_word(const char *s, size_t len)
{
	size_t n = 0, i;
	int upper = 1;
	enum log_level l;

	while (n < len && ((s[n] >= 'A' && s[n] <= 'Z') ||
	    (s[n] >= 'a' && s[n] <= 'z')))
		n++;
	if (n == 0 || n > 9)
		return LOG_LEVEL_NONE;
	l = logparse_level_word(s, n);
	if (l == LOG_LEVEL_NONE)
		return l;
	if (n < len && s[n] == ':')
		return l;
	/* "Info about..." is prose; "INFO something" is a level. */
	for (i = 0; i < n; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			upper = 0;
	if (upper && (n == len || s[n] == ' ' || s[n] == '\t' ||
	    s[n] == '|' || s[n] == '-' || s[n] == ']'))
		return l;
	return LOG_LEVEL_NONE;
}

enum log_level
logparse_level(const char *msg, size_t len)
{
	struct logparse_prefix p;
	size_t i = 0, body = 0;
	enum log_level l;
	cJSON *json = NULL;

	if (msg == NULL)
		return LOG_LEVEL_NONE;
	if (logparse_lambda_prefix(msg, len, &p)) {
		if (p.level != LOG_LEVEL_NONE)
			return p.level;
		body = p.body;
	}
	i = body;
	while (i < len && logparse_is_ws(msg[i]))
		i++;
	if (i < len && msg[i] == '[') {
		size_t n = logparse_field(msg, len, i + 1, ']');

		if (i + 1 + n < len && msg[i + 1 + n] == ']') {
			l = logparse_level_word(msg + i + 1, n);
			if (l != LOG_LEVEL_NONE)
				return l;
		}
	}
	l = logparse_leading_word(msg + i, len - i);
	if (l != LOG_LEVEL_NONE)
		return l;
	if (i < len && (msg[i] == '{' || msg[i] == '[') &&
	    (json = logparse_json_at(msg, len, i)) != NULL) {
		l = logparse_json_level(json);
		if (l == LOG_LEVEL_NONE && logparse_json_failed(json))
			l = LOG_LEVEL_ERROR;
		cJSON_Delete(json);
		if (l != LOG_LEVEL_NONE)
			return l;
	}
	if (logparse_find(msg, len, "Task timed out after") != NULL ||
	    logparse_find(msg, len, "Traceback (most recent call last)") !=
	    NULL)
		return LOG_LEVEL_ERROR;
	if (logparse_starts(msg, len, "RequestId: ") &&
	    logparse_find(msg, len, " Error: ") != NULL)
		return LOG_LEVEL_ERROR;
	if (logparse_starts(msg, len, "REPORT RequestId: ") &&
	    (logparse_find(msg, len, "Status: timeout") != NULL ||
	    logparse_find(msg, len, "Status: error") != NULL))
		return LOG_LEVEL_ERROR;
	return LOG_LEVEL_NONE;
}

/* Copies an id that starts at s (up to a space, tab or newline). */
static int
logparse_copy_id(const char *s, size_t len, char out[LOGPARSE_ID_LEN])
{
	size_t n = 0;

	while (n < len && logparse_is_id_char(s[n]))
		n++;
	if (n == 0 || n >= LOGPARSE_ID_LEN ||
	    (n < len && !logparse_is_ws(s[n])))
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* "WORD RequestId: ID": 0 with the id when msg starts with prefix. */
static int
logparse_platform(const char *msg, size_t len, const char *prefix,
    char out[LOGPARSE_ID_LEN])
{
	size_t n = strlen(prefix);

	if (!logparse_starts(msg, len, prefix))
		return -1;
	return logparse_copy_id(msg + n, len - n, out);
}

/*
 * Lambda's JSON log format writes the platform lines as objects:
 * {"time":..., "type":"platform.report", "record":{"requestId":...,
 * "metrics":{"durationMs":...}, "status":"timeout"}} (the Telemetry API's
 * schema). Returns the record when msg is one of the given type, else
 * NULL; *root is what to cJSON_Delete.
 */
static const cJSON *
logparse_platform_json(const char *msg, size_t len, const char *type,
    const char *type2, cJSON **root)
{
	const cJSON *t, *rec;
	size_t i = 0;

	*root = NULL;
	while (i < len && logparse_is_ws(msg[i]))
		i++;
	if (i >= len || msg[i] != '{' || logparse_find(msg, len,
	    "\"platform.") == NULL)
		return NULL;
	*root = logparse_json_at(msg, len, i);
	if (*root == NULL)
		return NULL;
	t = cJSON_GetObjectItemCaseSensitive(*root, "type");
	rec = cJSON_GetObjectItemCaseSensitive(*root, "record");
	if (!cJSON_IsString(t) || !cJSON_IsObject(rec) ||
	    (strcmp(t->valuestring, type) != 0 &&
	    (type2 == NULL || strcmp(t->valuestring, type2) != 0))) {
		cJSON_Delete(*root);
		*root = NULL;
		return NULL;
	}
	return rec;
}

/* The record's requestId into out: 0, or -1. */
static int
logparse_record_id(const cJSON *rec, char out[LOGPARSE_ID_LEN])
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "requestId");
	size_t n;

	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return -1;
	n = strlen(v->valuestring);
	if (!logparse_is_id(v->valuestring, n))
		return -1;
	memcpy(out, v->valuestring, n + 1);
	return 0;
}

static int
logparse_platform_any(const char *msg, size_t len, const char *text,
    const char *type, const char *type2, char out[LOGPARSE_ID_LEN])
{
	const cJSON *rec;
	cJSON *root;
	int rc;

	if (logparse_platform(msg, len, text, out) == 0)
		return 0;
	rec = logparse_platform_json(msg, len, type, type2, &root);
	if (rec == NULL)
		return -1;
	rc = logparse_record_id(rec, out);
	cJSON_Delete(root);
	return rc;
}

int
logparse_start(const char *msg, size_t len, char request_id[LOGPARSE_ID_LEN])
{
	return logparse_platform_any(msg, len, "START RequestId: ",
	    "platform.start", NULL, request_id);
}

int
logparse_end(const char *msg, size_t len, char request_id[LOGPARSE_ID_LEN])
{
	return logparse_platform_any(msg, len, "END RequestId: ",
	    "platform.runtimeDone", "platform.end", request_id);
}

/* A decimal number "123" or "123.45"; -1 when there are no digits. */
static int
logparse_number(const char *s, size_t len, double *out, size_t *used)
{
	size_t i = 0;
	double v = 0, scale = 1;
	int digits = 0;

	while (i < len && logparse_is_digit(s[i])) {
		v = v * 10 + (s[i++] - '0');
		digits++;
	}
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && logparse_is_digit(s[i])) {
			scale /= 10;
			v += (s[i++] - '0') * scale;
			digits++;
		}
	}
	if (digits == 0)
		return -1;
	*out = v;
	if (used != NULL)
		*used = i;
	return 0;
}

/*
 * The most a REPORT figure can sensibly be: Lambda's limits are 10,240 MB
 * and 900 s, so a billion (MB or ms) is far past any real value yet well
 * inside long and exact in a double. A log line is untrusted text, and
 * converting 1e20 to long is undefined behaviour (the console showed
 * "mem 0/-9223372036854775808 MB"): a figure out of range is refused and
 * its field stays 0, unknown.
 */
#define LOGPARSE_FIGURE_MAX	1e9

static int
logparse_figure_ok(double v)
{
	return v >= 0 && v <= LOGPARSE_FIGURE_MAX;
}

static double
logparse_num(const cJSON *obj, const char *key, int *found)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsNumber(v) || !logparse_figure_ok(v->valuedouble))
		return 0;
	if (found != NULL)
		*found = 1;
	return v->valuedouble;
}

static int
logparse_report_json(const char *msg, size_t len, struct lambda_report *out)
{
	const cJSON *rec, *m, *st;
	cJSON *root;

	rec = logparse_platform_json(msg, len, "platform.report", NULL, &root);
	if (rec == NULL)
		return -1;
	memset(out, 0, sizeof *out);
	if (logparse_record_id(rec, out->request_id) != 0) {
		cJSON_Delete(root);
		return -1;
	}
	m = cJSON_GetObjectItemCaseSensitive(rec, "metrics");
	out->duration_ms = logparse_num(m, "durationMs", NULL);
	out->billed_ms = logparse_num(m, "billedDurationMs", NULL);
	out->memory_mb = (long)logparse_num(m, "memorySizeMB", NULL);
	out->max_memory_mb = (long)logparse_num(m, "maxMemoryUsedMB", NULL);
	out->init_ms = logparse_num(m, "initDurationMs", &out->has_init);
	st = cJSON_GetObjectItemCaseSensitive(rec, "status");
	if (cJSON_IsString(st) && strcmp(st->valuestring, "timeout") == 0)
		out->timed_out = 1;
	else if (cJSON_IsString(st) && strcmp(st->valuestring, "success") != 0)
		out->errored = 1;
	cJSON_Delete(root);
	return 0;
}

int
logparse_report(const char *msg, size_t len, struct lambda_report *out)
{
	char id[LOGPARSE_ID_LEN];
	size_t i;

	if (logparse_platform(msg, len, "REPORT RequestId: ", id) != 0)
		return logparse_report_json(msg, len, out);
	memset(out, 0, sizeof *out);
	memcpy(out->request_id, id, sizeof id);
	i = strlen("REPORT RequestId: ") + strlen(id);
	while (i < len) {
		size_t n, k;
		const char *f;
		double v;

		while (i < len && (msg[i] == '\t' || msg[i] == ' '))
			i++;
		n = logparse_field(msg, len, i, '\t');
		f = msg + i;
		i += n + 1;
		k = 0;
		if (logparse_starts(f, n, "Duration: "))
			k = strlen("Duration: ");
		else if (logparse_starts(f, n, "Billed Duration: "))
			k = strlen("Billed Duration: ");
		else if (logparse_starts(f, n, "Memory Size: "))
			k = strlen("Memory Size: ");
		else if (logparse_starts(f, n, "Max Memory Used: "))
			k = strlen("Max Memory Used: ");
		else if (logparse_starts(f, n, "Init Duration: "))
			k = strlen("Init Duration: ");
		else if (logparse_starts(f, n, "Status: ")) {
			if (logparse_starts(f + 8, n - 8, "timeout"))
				out->timed_out = 1;
			else if (logparse_starts(f + 8, n - 8, "error"))
				out->errored = 1;
			continue;
		}
		if (k == 0 || logparse_number(f + k, n - k, &v, NULL) != 0 ||
		    !logparse_figure_ok(v))
			continue;
		switch (f[0]) {
		case 'D':
			out->duration_ms = v;
			break;
		case 'B':
			out->billed_ms = v;
			break;
		case 'I':
			out->init_ms = v;
			out->has_init = 1;
			break;
		case 'M':
			if (f[1] == 'e')
				out->memory_mb = (long)v;	/* in range: logparse_figure_ok */
			else
				out->max_memory_mb = (long)v;
			break;
		}
	}
	return 0;
}

int
logparse_timeout(const char *msg, size_t len, double *seconds)
{
	static const char needle[] = "Task timed out after ";
	const char *p = logparse_find(msg, len, needle);
	size_t off;
	double v;

	if (p == NULL)
		return -1;
	off = (size_t)(p - msg) + sizeof needle - 1;
	if (logparse_number(msg + off, len - off, &v, NULL) != 0 ||
	    !logparse_figure_ok(v))
		return -1;
	if (seconds != NULL)
		*seconds = v;
	return 0;
}

/* The id in a JSON object's requestId-like field. */
static int
logparse_json_id(const cJSON *json, char out[LOGPARSE_ID_LEN])
{
	static const char *const keys[] = { "requestId", "AWSRequestId",
	    "aws_request_id", "request_id" };
	size_t i;

	if (!cJSON_IsObject(json))
		return -1;
	for (i = 0; i < sizeof keys / sizeof *keys; i++) {
		const cJSON *v = cJSON_GetObjectItem(json, keys[i]);

		size_t n;

		if (!cJSON_IsString(v) || v->valuestring == NULL)
			continue;
		n = strlen(v->valuestring);
		if (logparse_is_id(v->valuestring, n)) {
			memcpy(out, v->valuestring, n + 1);
			return 0;
		}
	}
	return -1;
}

int
logparse_request_id(const char *msg, size_t len,
    char request_id[LOGPARSE_ID_LEN])
{
	struct logparse_prefix p;
	cJSON *json = NULL;
	size_t n;
	int rc;

	if (msg == NULL)
		return -1;
	if (logparse_start(msg, len, request_id) == 0 ||
	    logparse_end(msg, len, request_id) == 0 ||
	    logparse_platform(msg, len, "REPORT RequestId: ", request_id) == 0 ||
	    logparse_platform(msg, len, "RequestId: ", request_id) == 0)
		return 0;
	if (logparse_lambda_prefix(msg, len, &p)) {
		memcpy(request_id, msg + p.id_start, p.id_len);
		request_id[p.id_len] = '\0';
		return 0;
	}
	/* "2026-11-25T10:00:03.002Z ID Task timed out after 3.00 seconds" */
	n = logparse_field(msg, len, 0, ' ');
	if (n < len && logparse_is_time(msg, n) &&
	    logparse_timeout(msg, len, NULL) == 0 &&
	    logparse_copy_id(msg + n + 1, len - n - 1, request_id) == 0)
		return 0;
	if (logparse_json_find(msg, len, &json) < 0)
		return -1;
	rc = logparse_json_id(json, request_id);
	if (rc != 0)
		rc = logparse_record_id(cJSON_GetObjectItemCaseSensitive(json,
		    "record"), request_id);
	cJSON_Delete(json);
	return rc;
}

size_t
logparse_split_lines(const char *msg, size_t len, size_t *starts,
    size_t *lens, size_t max)
{
	size_t i = 0, start = 0, count = 0;

	while (i < len) {
		if (msg[i] == '\n' || msg[i] == '\r') {
			if (count < max) {
				starts[count] = start;
				lens[count] = i - start;
			}
			count++;
			if (msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n')
				i++;
			start = ++i;
			continue;
		}
		i++;
	}
	if (start < len || count == 0) {
		if (count < max) {
			starts[count] = start;
			lens[count] = len - start;
		}
		count++;
	}
	return count;
}
