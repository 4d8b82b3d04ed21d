/*
 * libFuzzer target for the FilterLogEvents scanner (src/logs.c), checked
 * against cJSON's decoding of the same bytes:
 *   - both accept: the same events, timestamps, ingestion times, stream
 *     names, event ids, messages and next token;
 *   - cJSON accepts and the scanner refuses: only where the answer breaks
 *     the scanner's documented rules (the shape of an answer, its limits,
 *     a raw control character, which JSON forbids and cJSON lets
 *     through, or a byte order mark, which cJSON skips);
 *   - the scanner accepts what cJSON refuses: allowed, as it does not
 *     validate values it skips and reads a lone surrogate as U+FFFD.
 * Where cJSON cannot see what the scanner sees (a duplicate key, a
 * \u0000 or a malformed \u that cuts cJSON's strings), nothing is
 * compared.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "logs.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_LOGS_FAIL(...) do {					\
	fprintf(stderr, "fuzz-logs: " __VA_ARGS__);			\
	fprintf(stderr, "\n");						\
	abort();							\
} while (0)

/*
 * 1 if the text holds a control byte where JSON forbids one: any in a
 * string, any but tab, newline and return between values. cJSON takes
 * both (its blanks are every byte up to 0x20); the scanner refuses them.
 */
static int
fuzz_logs_raw_control(const char *s, size_t len)
{
	size_t i;
	int in = 0;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (in && c == '\\')
			i++;
		else if (c == '"')
			in = !in;
		else if (c < 0x20 && (in || (c != '\t' && c != '\n' &&
		    c != '\r')))
			return 1;
	}
	return 0;
}

/*
 * 1 if the text holds a \u escape that cJSON reads as U+0000, which cuts
 * its string: \u0000 itself, and (a cJSON quirk) \u without four hex
 * digits, which the scanner rightly refuses.
 */
static int
fuzz_logs_nul_escape(const char *s, size_t len)
{
	size_t i, k;

	for (i = 0; i + 1 < len; i++) {
		if (s[i] != '\\' || s[i + 1] != 'u')
			continue;
		if (i + 6 > len)
			return 1;
		if (memcmp(s + i + 2, "0000", 4) == 0)
			return 1;
		for (k = 2; k < 6; k++)
			if (strchr("0123456789abcdefABCDEF", s[i + k]) == NULL ||
			    s[i + k] == '\0')
				return 1;
	}
	return 0;
}

/* 1 if some object in the tree repeats a key. */
static int
fuzz_logs_dup_keys(const cJSON *j)
{
	const cJSON *a, *b;

	for (a = j != NULL ? j->child : NULL; a != NULL; a = a->next) {
		if (cJSON_IsObject(j))
			for (b = a->next; b != NULL; b = b->next)
				if (strcmp(a->string, b->string) == 0)
					return 1;
		if (fuzz_logs_dup_keys(a))
			return 1;
	}
	return 0;
}

static int
fuzz_logs_depth(const cJSON *j)
{
	const cJSON *a;
	int d, max = 0;

	for (a = j->child; a != NULL; a = a->next)
		if ((d = fuzz_logs_depth(a)) > max)
			max = d;
	return max + (cJSON_IsArray(j) || cJSON_IsObject(j));
}

/* 1 if j is a number the scanner takes as an int64 (its field rules). */
static int
fuzz_logs_int(const cJSON *j)
{
	return cJSON_IsNumber(j) && isfinite(j->valuedouble) &&
	    j->valuedouble == floor(j->valuedouble) &&
	    fabs(j->valuedouble) < 9.2e18;
}

/* A string field that may also be null, at most limit bytes. */
static int
fuzz_logs_str(const cJSON *j, size_t limit)
{
	return j == NULL || cJSON_IsNull(j) ||
	    (cJSON_IsString(j) && strlen(j->valuestring) <= limit);
}

/* 1 if the tree is an answer the scanner must accept. */
static int
fuzz_logs_valid(const cJSON *root)
{
	const cJSON *events, *ev, *f;
	size_t n = 0;

	if (!cJSON_IsObject(root) || fuzz_logs_depth(root) > 60)
		return 0;
	if (!fuzz_logs_str(cJSON_GetObjectItemCaseSensitive(root, "nextToken"),
	    65536) ||
	    !fuzz_logs_str(cJSON_GetObjectItemCaseSensitive(root,
	    "nextForwardToken"), 65536) ||
	    !fuzz_logs_str(cJSON_GetObjectItemCaseSensitive(root,
	    "nextBackwardToken"), 65536))
		return 0;
	events = cJSON_GetObjectItemCaseSensitive(root, "events");
	if (events == NULL || cJSON_IsNull(events))
		return 1;
	if (!cJSON_IsArray(events))
		return 0;
	cJSON_ArrayForEach(ev, events) {
		if (!cJSON_IsObject(ev) || ++n > LOGS_MAX_PAGE_EVENTS)
			return 0;
		if (!fuzz_logs_int(cJSON_GetObjectItemCaseSensitive(ev,
		    "timestamp")))
			return 0;
		f = cJSON_GetObjectItemCaseSensitive(ev, "ingestionTime");
		if (f != NULL && !fuzz_logs_int(f))
			return 0;
		f = cJSON_GetObjectItemCaseSensitive(ev, "message");
		if (!cJSON_IsString(f) ||
		    strlen(f->valuestring) > LOGS_MAX_MESSAGE)
			return 0;
		if (!fuzz_logs_str(cJSON_GetObjectItemCaseSensitive(ev,
		    "logStreamName"), 4096) ||
		    !fuzz_logs_str(cJSON_GetObjectItemCaseSensitive(ev,
		    "eventId"), LOG_EVENT_ID_LEN - 1))
			return 0;
	}
	return 1;
}

static void
fuzz_logs_same_str(const char *what, size_t i, const char *ours,
    size_t ours_len, const cJSON *theirs)
{
	if (theirs == NULL || cJSON_IsNull(theirs)) {
		if (ours != NULL)
			FUZZ_LOGS_FAIL("events[%zu].%s: scanner has one, cJSON "
			    "none", i, what);
		return;
	}
	if (ours == NULL)
		FUZZ_LOGS_FAIL("events[%zu].%s: cJSON has one, scanner none",
		    i, what);
	if (strlen(theirs->valuestring) != ours_len ||
	    memcmp(ours, theirs->valuestring, ours_len) != 0)
		FUZZ_LOGS_FAIL("events[%zu].%s differs: scanner %zu bytes, "
		    "cJSON %zu", i, what, ours_len,
		    strlen(theirs->valuestring));
}

static void
fuzz_logs_compare(const struct logs_filter_page *page, const cJSON *root)
{
	const cJSON *events, *ev, *f;
	const struct log_event *e;
	size_t i = 0;

	events = cJSON_GetObjectItemCaseSensitive(root, "events");
	if (cJSON_GetArraySize(events) != (int)page->n)
		FUZZ_LOGS_FAIL("scanner has %zu events, cJSON %d", page->n,
		    cJSON_GetArraySize(events));
	cJSON_ArrayForEach(ev, events) {
		e = &page->events[i];
		f = cJSON_GetObjectItemCaseSensitive(ev, "timestamp");
		if (fabs(f->valuedouble) < 9e15 &&
		    e->timestamp != (int64_t)f->valuedouble)
			FUZZ_LOGS_FAIL("events[%zu].timestamp: %lld, cJSON %.17g",
			    i, (long long)e->timestamp, f->valuedouble);
		f = cJSON_GetObjectItemCaseSensitive(ev, "ingestionTime");
		if (f != NULL && fabs(f->valuedouble) < 9e15 &&
		    e->ingestion_time != (int64_t)f->valuedouble)
			FUZZ_LOGS_FAIL("events[%zu].ingestionTime differs", i);
		fuzz_logs_same_str("message", i, e->message, e->message_len,
		    cJSON_GetObjectItemCaseSensitive(ev, "message"));
		if (e->message[e->message_len] != '\0')
			FUZZ_LOGS_FAIL("events[%zu].message is not terminated",
			    i);
		fuzz_logs_same_str("logStreamName", i, e->stream,
		    e->stream != NULL ? strlen(e->stream) : 0,
		    cJSON_GetObjectItemCaseSensitive(ev, "logStreamName"));
		f = cJSON_GetObjectItemCaseSensitive(ev, "eventId");
		if (cJSON_IsString(f) && f->valuestring[0] != '\0')
			fuzz_logs_same_str("eventId", i, e->event_id,
			    strlen(e->event_id), f);
		else if (e->event_id[0] != 'h')
			FUZZ_LOGS_FAIL("events[%zu] has no synthetic id", i);
		i++;
	}
	f = cJSON_GetObjectItemCaseSensitive(root, "nextToken");
	fuzz_logs_same_str("nextToken", 0, page->next_token,
	    page->next_token != NULL ? strlen(page->next_token) : 0, f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct logs_filter_page page;
	struct dlc_err err;
	const char *end = NULL;
	cJSON *root;
	int ours;

	dlc_err_clear(&err);
	ours = logs_parse_filter_log_events(body, size, &page, &err);
	if (ours != 0 && err.message[0] == '\0')
		FUZZ_LOGS_FAIL("refused without a message");
	if (ours != 0 && (page.events != NULL || page.n != 0))
		FUZZ_LOGS_FAIL("refused but left events");

	root = cJSON_ParseWithLengthOpts(body, size, &end, 0);
	/* cJSON stops after the value: what follows must be blanks only. */
	if (root != NULL)
		for (; end < body + size; end++)
			if (strchr(" \t\r\n", *end) == NULL || *end == '\0') {
				cJSON_Delete(root);
				root = NULL;
				break;
			}
	if (root != NULL && !fuzz_logs_nul_escape(body, size) &&
	    !fuzz_logs_dup_keys(root)) {
		if (ours == 0)
			fuzz_logs_compare(&page, root);
		else if (fuzz_logs_valid(root) &&
		    !fuzz_logs_raw_control(body, size) &&
		    (size < 3 || memcmp(body, "\xef\xbb\xbf", 3) != 0))
			FUZZ_LOGS_FAIL("cJSON reads a valid answer that the "
			    "scanner refuses: %s", err.message);
	}
	cJSON_Delete(root);
	if (ours == 0)
		logs_filter_page_clear(&page);
	return 0;
}
