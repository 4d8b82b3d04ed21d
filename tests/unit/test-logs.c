/*
 * Unit tests for src/logs.c: request bodies read back as JSON, and the
 * answer parsers on real-shaped pages, hostile messages (NUL, surrogates,
 * 256 KiB) and broken bodies (every prefix of a page, wrong types).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "logs.h"

static void
test_filter_body(void **state)
{
	const char *streams[] = { "s/1", "s\"2" };
	char *body;
	cJSON *o;

	(void)state;
	body = logs_filter_log_events_body("/aws/lambda/x", 1764000000123LL,
	    1764000999999LL, "{ $.level = \"ERROR\" }", "tok/1", 500, streams, 2);
	o = cJSON_Parse(body);
	assert_non_null(o);
	assert_string_equal(cJSON_GetObjectItem(o, "logGroupName")->valuestring,
	    "/aws/lambda/x");
	assert_true(cJSON_GetObjectItem(o, "startTime")->valuedouble ==
	    1764000000123.0);
	assert_true(cJSON_GetObjectItem(o, "endTime")->valuedouble ==
	    1764000999999.0);
	assert_string_equal(cJSON_GetObjectItem(o, "filterPattern")->valuestring,
	    "{ $.level = \"ERROR\" }");
	assert_string_equal(cJSON_GetObjectItem(o, "nextToken")->valuestring,
	    "tok/1");
	assert_int_equal(cJSON_GetObjectItem(o, "limit")->valueint, 500);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o,
	    "logStreamNames")), 2);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(o,
	    "logStreamNames"), 1)->valuestring, "s\"2");
	/* The integer is written whole, not in exponent form. */
	assert_non_null(strstr(body, "1764000000123"));
	cJSON_Delete(o);
	free(body);

	body = logs_filter_log_events_body("g", 0, -1, NULL, NULL, 0, NULL, 0);
	o = cJSON_Parse(body);
	assert_non_null(o);
	assert_null(cJSON_GetObjectItem(o, "endTime"));
	assert_null(cJSON_GetObjectItem(o, "filterPattern"));
	assert_null(cJSON_GetObjectItem(o, "nextToken"));
	assert_null(cJSON_GetObjectItem(o, "limit"));
	assert_null(cJSON_GetObjectItem(o, "logStreamNames"));
	assert_non_null(cJSON_GetObjectItem(o, "startTime"));
	cJSON_Delete(o);
	free(body);
}

static const char page1[] =
    "{\"events\": [\n"
    " {\"logStreamName\": \"2026/11/25/[$LATEST]ab\", \"timestamp\": 1764000000001,"
    "  \"message\": \"START RequestId: 1\\n\", \"ingestionTime\": 1764000000900,"
    "  \"eventId\": \"37000000000000000000000000000000000000000000000000000001\"},\n"
    " {\"eventId\": \"2\", \"extra\": {\"a\": [1, {\"b\": null}, true, -2.5e3]},"
    "  \"logStreamName\": \"s2\", \"timestamp\": 1764000000002,"
    "  \"ingestionTime\": 1764000000003,"
    "  \"message\": \"nul:\\u0000 tab\\t \\u00e9 \\ud83d\\ude00 \\ud800x \\\\ \\/\"}\n"
    "], \"searchedLogStreams\": [], \"nextToken\": \"tok-2\"}";

static void
test_parse_filter_page(void **state)
{
	static const char want[] = "nul:\0 tab\t \xc3\xa9 \xf0\x9f\x98\x80 "
	    "\xef\xbf\xbdx \\ /";
	struct logs_filter_page page;
	struct dlc_err err;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(logs_parse_filter_log_events(page1, strlen(page1),
	    &page, &err), 0);
	assert_int_equal(page.n, 2);
	assert_string_equal(page.next_token, "tok-2");
	assert_int_equal(page.events[0].timestamp, 1764000000001LL);
	assert_int_equal(page.events[0].ingestion_time, 1764000000900LL);
	assert_string_equal(page.events[0].stream, "2026/11/25/[$LATEST]ab");
	assert_string_equal(page.events[0].event_id,
	    "37000000000000000000000000000000000000000000000000000001");
	assert_string_equal(page.events[0].message, "START RequestId: 1\n");
	assert_int_equal(page.events[0].message_len, 19);
	assert_string_equal(page.events[1].event_id, "2");
	assert_int_equal(page.events[1].message_len, sizeof want - 1);
	assert_memory_equal(page.events[1].message, want, sizeof want - 1);
	logs_filter_page_clear(&page);
	assert_null(page.events);
	logs_filter_page_clear(&page);
	logs_filter_page_clear(NULL);
}

static void
test_empty_page_and_last_page(void **state)
{
	struct logs_filter_page page;
	struct dlc_err err;
	const char *empty = "{\"events\":[],\"nextToken\":\"t\",\"searchedLogStreams\":[]}";
	const char *last = " {\"events\":[],\"nextToken\":null} ";

	(void)state;
	assert_int_equal(logs_parse_filter_log_events(empty, strlen(empty),
	    &page, &err), 0);
	assert_int_equal(page.n, 0);
	assert_string_equal(page.next_token, "t");
	logs_filter_page_clear(&page);
	assert_int_equal(logs_parse_filter_log_events(last, strlen(last),
	    &page, &err), 0);
	assert_int_equal(page.n, 0);
	assert_null(page.next_token);
	logs_filter_page_clear(&page);
}

static void
test_big_message(void **state)
{
	size_t n = 262118, i;
	struct buf b;
	struct logs_filter_page page;
	struct dlc_err err;

	(void)state;
	buf_init(&b, 4u << 20);
	buf_puts(&b, "{\"events\":[{\"eventId\":\"1\",\"timestamp\":5,"
	    "\"ingestionTime\":6,\"logStreamName\":\"s\",\"message\":\"");
	for (i = 0; i < n; i++)
		buf_putc(&b, (char)('a' + i % 26));
	buf_puts(&b, "\"}]}");
	assert_int_equal(logs_parse_filter_log_events(b.data, b.len, &page,
	    &err), 0);
	assert_int_equal(page.events[0].message_len, n);
	assert_int_equal(page.events[0].message[n - 1], 'a' + (n - 1) % 26);
	logs_filter_page_clear(&page);
	buf_free(&b);
}

/* Every cut of a valid page is refused with a message, never a crash. */
static void
test_every_prefix_fails(void **state)
{
	struct logs_filter_page page;
	struct dlc_err err;
	size_t len = strlen(page1), cut;

	(void)state;
	for (cut = 0; cut < len; cut++) {
		char *copy = malloc(cut + 1);

		assert_non_null(copy);
		memcpy(copy, page1, cut);
		copy[cut] = '\0';
		dlc_err_clear(&err);
		/* A cut right after the closing brace is still whole. */
		if (logs_parse_filter_log_events(copy, cut, &page, &err) == 0) {
			assert_true(cut == len);
			logs_filter_page_clear(&page);
		} else {
			assert_non_null(strstr(err.message, "FilterLogEvents"));
			assert_null(page.events);
		}
		free(copy);
	}
}

/*
 * The string scanner steps eight bytes at a time: put each escape, and a
 * raw control character, at every offset across those steps, and check
 * numbers on both sides of its fast integer path.
 */
static void
test_scanner_alignment(void **state)
{
	static const char *const escapes[] = { "\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00" };
	static const char *const decoded[] = { "\"", "\\", "\n", "\xc3\xa9", "\xf0\x9f\x98\x80" };
	struct logs_filter_page page;
	struct dlc_err err;
	struct buf body, want;
	size_t e, off;

	(void)state;
	buf_init(&body, 0);
	buf_init(&want, 0);
	for (e = 0; e < sizeof escapes / sizeof escapes[0]; e++)
		for (off = 0; off < 20; off++) {
			buf_reset(&body);
			buf_reset(&want);
			buf_puts(&body, "{\"events\":[{\"timestamp\":1,\"message\":\"");
			for (size_t i = 0; i < off; i++) {
				buf_putc(&body, (char)('a' + i));
				buf_putc(&want, (char)('a' + i));
			}
			buf_puts(&body, escapes[e]);
			buf_puts(&want, decoded[e]);
			buf_puts(&body, "tail-after-the-escape\"}]}");
			buf_puts(&want, "tail-after-the-escape");
			dlc_err_clear(&err);
			assert_int_equal(logs_parse_filter_log_events(body.data, body.len, &page, &err), 0);
			assert_int_equal(page.events[0].message_len, want.len);
			assert_memory_equal(page.events[0].message, want.data, want.len);
			logs_filter_page_clear(&page);
			/* A raw control character there instead is refused. */
			buf_reset(&body);
			buf_puts(&body, "{\"events\":[{\"timestamp\":1,\"message\":\"");
			for (size_t i = 0; i < off; i++)
				buf_putc(&body, 'x');
			buf_putc(&body, (char)(e + 1));
			buf_puts(&body, "tail-after-the-control\"}]}");
			assert_int_equal(logs_parse_filter_log_events(body.data, body.len, &page, &err), -1);
			assert_non_null(strstr(err.message, "control"));
		}
	/* Integers: negative, the largest int64, and past the fast path's 18 digits. */
	buf_reset(&body);
	buf_puts(&body, "{\"events\":[{\"timestamp\":-5,\"ingestionTime\":9223372036854775807,"
	    "\"message\":\"m\"},{\"timestamp\":1000000000000000000,\"ingestionTime\":2e3,\"message\":\"n\"}]}");
	assert_int_equal(logs_parse_filter_log_events(body.data, body.len, &page, &err), 0);
	assert_int_equal(page.events[0].timestamp, -5);
	assert_true(page.events[0].ingestion_time == INT64_MAX);
	assert_true(page.events[1].timestamp == 1000000000000000000LL);
	assert_int_equal(page.events[1].ingestion_time, 2000);
	logs_filter_page_clear(&page);
	buf_reset(&body);
	buf_puts(&body, "{\"events\":[{\"timestamp\":99999999999999999999,\"message\":\"m\"}]}");
	assert_int_equal(logs_parse_filter_log_events(body.data, body.len, &page, &err), -1);
	buf_free(&body);
	buf_free(&want);
}

/*
 * Long messages decode through the 64-byte blocks: escapes, quotes and
 * \\u at every offset of a block and across its end, checked against
 * cJSON's decoding of the same string; a raw control character or an
 * unknown escape at every offset is refused.
 */
static void
test_decode_blocks(void **state)
{
	static const char *const pieces[] = { "\\\"", "\\\\", "\\n", "\\t", "\\/",
	    "\\u00e9", "\\u4e2d", "\\ud83d\\ude00", "a", "bc", "defghij",
	    "0123456789abcdefghijklmnopqrstuvwxyz", "\xc3\xa9", " ", "\\\\\\\"" };
	struct logs_filter_page page;
	struct dlc_err err;
	struct buf body, str;
	unsigned r = 99;
	int round;
	size_t off;

	(void)state;
	buf_init(&body, 0);
	buf_init(&str, 0);
	for (round = 0; round < 400; round++) {
		size_t k, n;
		cJSON *ref;

		buf_reset(&str);
		r = r * 1103515245u + 12345u;
		n = (r >> 16) % 60;
		for (k = 0; k < n; k++) {
			r = r * 1103515245u + 12345u;
			buf_puts(&str, pieces[(r >> 16) % (sizeof pieces / sizeof pieces[0])]);
		}
		buf_reset(&body);
		buf_printf(&body, "{\"events\":[{\"timestamp\":1,\"message\":\"%s\"}]}", str.data);
		assert_int_equal(logs_parse_filter_log_events(body.data, body.len, &page, &err), 0);
		buf_reset(&body);
		buf_printf(&body, "\"%s\"", str.data);
		ref = cJSON_Parse(body.data);
		assert_non_null(ref);
		assert_int_equal(page.events[0].message_len, strlen(ref->valuestring));
		assert_memory_equal(page.events[0].message, ref->valuestring, page.events[0].message_len + 1);
		cJSON_Delete(ref);
		logs_filter_page_clear(&page);
	}
	for (off = 0; off < 140; off++) {
		int bad;

		for (bad = 0; bad < 2; bad++) {
			buf_reset(&body);
			buf_puts(&body, "{\"events\":[{\"timestamp\":1,\"message\":\"");
			for (size_t i = 0; i < off; i++)
				buf_putc(&body, i % 7 == 3 ? ' ' : (char)('a' + i % 26));
			buf_puts(&body, bad ? "\\q" : "\x01");
			for (size_t i = 0; i < 100; i++)
				buf_putc(&body, 'z');
			buf_puts(&body, "\"}]}");
			assert_int_equal(logs_parse_filter_log_events(body.data, body.len, &page, &err), -1);
			assert_non_null(strstr(err.message, bad ? "unknown escape" : "control"));
		}
	}
	buf_free(&str);
	buf_free(&body);
}

/* Every length of integer, through the eight-digit steps and the digit-by-digit rest. */
static void
test_integers_every_length(void **state)
{
	static const char digits[] = "9182736450918273645";
	struct logs_filter_page page;
	struct dlc_err err;
	struct buf body;
	size_t n;
	int neg;

	(void)state;
	buf_init(&body, 0);
	for (neg = 0; neg <= 1; neg++)
		for (n = 1; n <= 19; n++) {
			char num[32];

			snprintf(num, sizeof num, "%s%.*s", neg ? "-" : "", (int)n, digits);
			buf_reset(&body);
			buf_printf(&body, "{\"events\":[{\"timestamp\":%s,\"ingestionTime\":%s7,"
			    "\"message\":\"m\"}]}", num, n < 18 ? num : "1");
			assert_int_equal(logs_parse_filter_log_events(body.data, body.len, &page, &err), 0);
			assert_true(page.events[0].timestamp == strtoll(num, NULL, 10));
			if (n < 18)
				assert_true(page.events[0].ingestion_time ==
				    strtoll(num, NULL, 10) * 10 + (neg ? -7 : 7));
			logs_filter_page_clear(&page);
		}
	/* A non-digit inside the first eight ends the number there. */
	buf_reset(&body);
	buf_puts(&body, "{\"events\":[{\"timestamp\":1234/678,\"message\":\"m\"}]}");
	assert_int_equal(logs_parse_filter_log_events(body.data, body.len, &page, &err), -1);
	buf_free(&body);
}

static void
test_bad_pages(void **state)
{
	static const char *const bad[] = {
		"",
		"[]",
		"null",
		"{\"events\":{}}",
		"{\"events\":[1]}",
		"{\"events\":[{\"timestamp\":\"1\",\"message\":\"m\"}]}",
		"{\"events\":[{\"timestamp\":1.5,\"message\":\"m\"}]}",
		"{\"events\":[{\"timestamp\":1e300,\"message\":\"m\"}]}",
		"{\"events\":[{\"message\":\"m\"}]}",
		"{\"events\":[{\"timestamp\":1}]}",
		"{\"events\":[{\"timestamp\":1,\"message\":5}]}",
		"{\"events\":[{\"timestamp\":1,\"message\":\"a\nb\"}]}",
		"{\"events\":[{\"timestamp\":1,\"message\":\"\\x\"}]}",
		"{\"events\":[{\"timestamp\":1,\"message\":\"\\u12\"}]}",
		"{\"events\":[{\"timestamp\":1,\"message\":\"m\",\"eventId\":"
		    "\"0123456789012345678901234567890123456789012345678901234567890123\"}]}",
		"{\"events\":[{\"timestamp\":1,\"message\":\"m\",\"eventId\":\"a\\u0000b\"}]}",
		"{\"events\":[],\"nextToken\":7}",
		"{\"events\":[]} x",
		"{\"events\":[],}",
		"{\"a\":@}",
	};
	struct logs_filter_page page;
	struct dlc_err err;
	struct buf deep;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		dlc_err_clear(&err);
		assert_int_equal(logs_parse_filter_log_events(bad[i],
		    strlen(bad[i]), &page, &err), -1);
		assert_true(err.message[0] != '\0');
		assert_null(page.events);
	}
	/* Deep nesting in an ignored field is refused, not recursed into. */
	buf_init(&deep, 1u << 20);
	buf_puts(&deep, "{\"x\":");
	for (i = 0; i < 100000; i++)
		buf_putc(&deep, '[');
	assert_int_equal(logs_parse_filter_log_events(deep.data, deep.len,
	    &page, &err), -1);
	assert_non_null(strstr(err.message, "deep"));
	buf_free(&deep);
}

/* An event without an eventId gets one from its content (dedup keys on it). */
static void
test_synthetic_ids(void **state)
{
	const char *body = "{\"events\":[{\"timestamp\":10,\"message\":\"a\","
	    "\"ingestionTime\":11,\"logStreamName\":\"st\"},{\"timestamp\":10,"
	    "\"message\":\"b\",\"ingestionTime\":11,\"logStreamName\":\"st\"},"
	    "{\"timestamp\":10,\"message\":\"a\",\"ingestionTime\":11,"
	    "\"logStreamName\":\"st\"},{\"timestamp\":10,\"message\":\"a\","
	    "\"ingestionTime\":11,\"logStreamName\":\"st2\"}]}";
	struct logs_filter_page page;
	struct dlc_err err;

	(void)state;
	assert_int_equal(logs_parse_filter_log_events(body, strlen(body), &page,
	    &err), 0);
	assert_int_equal(page.n, 4);
	assert_null(page.next_token);
	/* Same content, same id; another message or stream, another id. */
	assert_true(page.events[0].event_id[0] == 'h');
	assert_string_not_equal(page.events[0].event_id, page.events[1].event_id);
	assert_string_equal(page.events[0].event_id, page.events[2].event_id);
	assert_string_not_equal(page.events[0].event_id, page.events[3].event_id);
	logs_filter_page_clear(&page);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_body),
		cmocka_unit_test(test_parse_filter_page),
		cmocka_unit_test(test_empty_page_and_last_page),
		cmocka_unit_test(test_big_message),
		cmocka_unit_test(test_every_prefix_fails),
		cmocka_unit_test(test_scanner_alignment),
		cmocka_unit_test(test_integers_every_length),
		cmocka_unit_test(test_decode_blocks),
		cmocka_unit_test(test_bad_pages),
		cmocka_unit_test(test_synthetic_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
