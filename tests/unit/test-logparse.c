/*
 * Unit tests for src/logparse.c: every level form, JSON found whole or
 * after Lambda's prefix and refused when invalid (never a crash, also on
 * huge and deeply nested input), REPORT with and without Init Duration and
 * with a timeout status, START/END, timeouts, request ids from each place
 * they appear, and line splitting at \r\n, \n and lone \r.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "logparse.h"
#include "xmalloc.h"

#define RID	"8f5a4ef1-3b7e-4c2a-9d71-0c6f2a1b9e44"

static enum log_level
lv(const char *s)
{
	return logparse_level(s, strlen(s));
}

static void
test_levels_lambda_text(void **state)
{
	(void)state;
	assert_int_equal(lv("2026-11-25T10:00:00.123Z\t" RID "\tERROR\tboom"),
	    LOG_LEVEL_ERROR);
	assert_int_equal(lv("2026-11-25T10:00:00.123Z\t" RID "\tWARN\tslow"),
	    LOG_LEVEL_WARN);
	assert_int_equal(lv("2026-11-25T10:00:00.123Z\t" RID "\tINFO\thi"),
	    LOG_LEVEL_INFO);
	assert_int_equal(lv("2026-11-25T10:00:00.123Z\t" RID "\tDEBUG\tx"),
	    LOG_LEVEL_DEBUG);
	assert_int_equal(lv("2026-11-25T10:00:00.123Z\t" RID "\tTRACE\tx"),
	    LOG_LEVEL_TRACE);
	assert_int_equal(lv("2026-11-25T10:00:00.123Z\t" RID "\tFATAL\tx"),
	    LOG_LEVEL_FATAL);
	/* The level field wins over words in the message. */
	assert_int_equal(lv("2026-11-25T10:00:00.123Z\t" RID
	    "\tINFO\tERROR: not really"), LOG_LEVEL_INFO);
	/* Python runtime: "[LEVEL]\ttime\tid\tmessage". */
	assert_int_equal(lv("[ERROR]\t2026-11-25T10:00:00.123Z\t" RID
	    "\tKeyError: 'x'"), LOG_LEVEL_ERROR);
	assert_int_equal(lv("[WARNING]\t2026-11-25T10:00:00.123Z\t" RID
	    "\tdeprecated"), LOG_LEVEL_WARN);
	/* Prefix without a level: the body decides. */
	assert_int_equal(lv("2026-11-25T10:00:00.123Z\t" RID
	    "\t[ERROR] failed"), LOG_LEVEL_ERROR);
	assert_int_equal(lv("2026-11-25T10:00:00.123Z\t" RID "\tplain"),
	    LOG_LEVEL_NONE);
}

static void
test_levels_prefixes(void **state)
{
	(void)state;
	assert_int_equal(lv("[ERROR] Runtime.ExitError"), LOG_LEVEL_ERROR);
	assert_int_equal(lv("[warn] disk"), LOG_LEVEL_WARN);
	assert_int_equal(lv("[Info] ok"), LOG_LEVEL_INFO);
	assert_int_equal(lv("[CRITICAL] down"), LOG_LEVEL_FATAL);
	assert_int_equal(lv("[WARNING] slow\n"), LOG_LEVEL_WARN);
	assert_int_equal(lv("[FATAL] gone"), LOG_LEVEL_FATAL);
	assert_int_equal(lv("FATAL out of memory"), LOG_LEVEL_FATAL);
	assert_int_equal(lv("ERROR:root:something failed"), LOG_LEVEL_ERROR);
	assert_int_equal(lv("WARNING:botocore.credentials:refresh"),
	    LOG_LEVEL_WARN);
	assert_int_equal(lv("DEBUG:urllib3:GET /"), LOG_LEVEL_DEBUG);
	assert_int_equal(lv("INFO something"), LOG_LEVEL_INFO);
	assert_int_equal(lv("ERR | disk full"), LOG_LEVEL_ERROR);
	assert_int_equal(lv("Error: ENOENT"), LOG_LEVEL_ERROR);
	assert_int_equal(lv("  WARN indented"), LOG_LEVEL_WARN);
	/* Prose that starts with a level word is not a level. */
	assert_int_equal(lv("Info about the deploy"), LOG_LEVEL_NONE);
	assert_int_equal(lv("Errors are counted below"), LOG_LEVEL_NONE);
	assert_int_equal(lv("[1, 2, 3]"), LOG_LEVEL_NONE);
	assert_int_equal(lv("hello"), LOG_LEVEL_NONE);
	assert_int_equal(lv(""), LOG_LEVEL_NONE);
	assert_int_equal(logparse_level(NULL, 0), LOG_LEVEL_NONE);
}

static void
test_levels_json(void **state)
{
	(void)state;
	assert_int_equal(lv("{\"level\":\"error\",\"msg\":\"x\"}"),
	    LOG_LEVEL_ERROR);
	assert_int_equal(lv("{\"Level\":\"WARN\"}"), LOG_LEVEL_WARN);
	assert_int_equal(lv("{\"levelname\":\"Warning\"}"), LOG_LEVEL_WARN);
	assert_int_equal(lv("{\"severity\":\"DEBUG\"}"), LOG_LEVEL_DEBUG);
	assert_int_equal(lv("{\"log.level\":\"info\"}"), LOG_LEVEL_INFO);
	assert_int_equal(lv("  {\"level\":50}  "), LOG_LEVEL_ERROR);
	assert_int_equal(lv("{\"level\":30}"), LOG_LEVEL_INFO);
	assert_int_equal(lv("{\"level\":60}"), LOG_LEVEL_FATAL);
	/* Lambda's JSON log format. */
	assert_int_equal(lv("{\"timestamp\":\"2026-11-25T10:00:00Z\","
	    "\"level\":\"ERROR\",\"requestId\":\"" RID "\",\"message\":\"x\"}"),
	    LOG_LEVEL_ERROR);
	/* JSON after a level-less prefix. */
	assert_int_equal(lv("2026-11-25T10:00:00.123Z\t" RID
	    "\t{\"level\":\"warn\"}"), LOG_LEVEL_WARN);
	assert_int_equal(lv("{\"msg\":\"no level\"}"), LOG_LEVEL_NONE);
	assert_int_equal(lv("{\"level\":\"verbose-ish\"}"), LOG_LEVEL_NONE);
	/* Invalid JSON: no level, no crash. */
	assert_int_equal(lv("{\"level\":\"error\""), LOG_LEVEL_NONE);
	/* As loggers print it: blanks around the colon, a trailing newline. */
	assert_int_equal(lv("{\"level\": \"ERROR\", \"message\": \"x\"}\n"),
	    LOG_LEVEL_ERROR);
	assert_int_equal(lv("{\"level\" : \"WARNING\"}"), LOG_LEVEL_WARN);
	assert_int_equal(lv("{\"level\": \"critical\"}"), LOG_LEVEL_FATAL);
}

static void
test_levels_errors(void **state)
{
	(void)state;
	assert_int_equal(lv("2026-11-25T10:00:03.002Z " RID
	    " Task timed out after 3.00 seconds"), LOG_LEVEL_ERROR);
	assert_int_equal(lv("Traceback (most recent call last):\n  File x"),
	    LOG_LEVEL_ERROR);
	assert_int_equal(lv("RequestId: " RID " Error: Runtime exited with "
	    "error: exit status 1"), LOG_LEVEL_ERROR);
	assert_int_equal(lv("REPORT RequestId: " RID "\tDuration: 3000.00 ms"
	    "\tStatus: timeout"), LOG_LEVEL_ERROR);
	assert_int_equal(lv("REPORT RequestId: " RID "\tDuration: 3.00 ms"),
	    LOG_LEVEL_NONE);
	assert_int_equal(logparse_level("x\0ERROR: y", 10), LOG_LEVEL_NONE);
}

static void
test_level_names(void **state)
{
	(void)state;
	assert_string_equal(logparse_level_name(LOG_LEVEL_NONE), "");
	assert_string_equal(logparse_level_name(LOG_LEVEL_ERROR), "ERROR");
	assert_string_equal(logparse_level_name(LOG_LEVEL_WARN), "WARN");
	assert_string_equal(logparse_level_name(LOG_LEVEL_FATAL), "FATAL");
	assert_string_equal(logparse_level_name((enum log_level)99), "");
	assert_int_equal(logparse_level_word("warning", 7), LOG_LEVEL_WARN);
	assert_int_equal(logparse_level_word("warnings", 8), LOG_LEVEL_NONE);
}

static ssize_t
js(const char *s)
{
	return logparse_json_start(s, strlen(s));
}

static void
test_json_start(void **state)
{
	const char *pre = "2026-11-25T10:00:00.123Z\t" RID "\tINFO\t";
	char buf[256];

	(void)state;
	assert_int_equal(js("{\"a\":1}"), 0);
	assert_int_equal(js("  [1,2]\n"), 2);
	assert_int_equal(js("{}"), 0);
	snprintf(buf, sizeof buf, "%s{\"a\":[1,{\"b\":null}]}", pre);
	assert_int_equal(js(buf), (ssize_t)strlen(pre));
	snprintf(buf, sizeof buf, "[INFO]\t2026-11-25T10:00:00.123Z\t%s\t"
	    "{\"a\":1}", RID);
	assert_int_equal(js(buf), (ssize_t)(strlen(buf) - 7));
	/* Not JSON, or not only JSON. */
	assert_int_equal(js("hello {\"a\":1}"), -1);
	assert_int_equal(js("{\"a\":1} trailing"), -1);
	assert_int_equal(js("{\"a\":1}{\"b\":2}"), -1);
	assert_int_equal(js("\"just a string\""), -1);
	assert_int_equal(js("42"), -1);
	assert_int_equal(js(""), -1);
	/* Invalid JSON (awslogs #248, #316). */
	assert_int_equal(js("{\"a\":1"), -1);
	assert_int_equal(js("{'a':1}"), -1);
	assert_int_equal(js("{\"a\":tru}"), -1);
	assert_int_equal(js("[1,2,]"), -1);
	snprintf(buf, sizeof buf, "%s{broken", pre);
	assert_int_equal(js(buf), -1);
	/* A NUL inside, and a length that cuts the JSON short. */
	assert_int_equal(logparse_json_start("{\"a\":\"x\0y\"}", 11), -1);
	assert_int_equal(logparse_json_start("{\"a\":1}", 6), -1);
	assert_int_equal(logparse_json_start("{\"a\":1}XXXX", 7), 0);
}

static void
test_json_huge_and_deep(void **state)
{
	size_t n = 4 * 1024 * 1024, i, o = 0;
	char *s = xmalloc(n + 64);
	char *p;

	(void)state;
	/* A 4 MiB array of numbers: found, and pretty-printed. */
	s[o++] = '[';
	while (o < n) {
		memcpy(s + o, "12345,", 6);
		o += 6;
	}
	memcpy(s + o, "0]", 2);
	o += 2;
	assert_int_equal(logparse_json_start(s, o), 0);
	p = logparse_json_pretty(s, o);
	assert_non_null(p);
	assert_memory_equal(p, "[12345, 12345", 13);
	free(p);
	/* 100,000 levels of nesting: refused, not a stack overflow. */
	for (i = 0; i < 100000; i++)
		s[i] = '[';
	for (; i < 200000; i++)
		s[i] = ']';
	assert_int_equal(logparse_json_start(s, 200000), -1);
	assert_null(logparse_json_pretty(s, 200000));
	assert_int_equal(logparse_level(s, 200000), LOG_LEVEL_NONE);
	free(s);
}

static void
test_json_pretty(void **state)
{
	char *p;
	const char *msg = "2026-11-25T10:00:00.123Z\t" RID
	    "\tINFO\t{\"a\":1,\"b\":{\"c\":[true,\"t\\tab\"]}}";

	(void)state;
	p = logparse_json_pretty(msg, strlen(msg));
	assert_non_null(p);
	assert_string_equal(p, "{\n"
	    "  \"a\": 1,\n"
	    "  \"b\": {\n"
	    "    \"c\": [true, \"t\\tab\"]\n"
	    "  }\n"
	    "}");
	free(p);
	assert_null(logparse_json_pretty("not json", 8));
	assert_null(logparse_json_pretty("{\"a\":", 5));
}

static void
test_report(void **state)
{
	struct lambda_report r;
	const char *cold = "REPORT RequestId: " RID "\tDuration: 1234.56 ms\t"
	    "Billed Duration: 1235 ms\tMemory Size: 512 MB\tMax Memory Used: "
	    "123 MB\tInit Duration: 456.78 ms\t\n";
	const char *warm = "REPORT RequestId: " RID "\tDuration: 2.01 ms\t"
	    "Billed Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t";
	const char *timeout = "REPORT RequestId: " RID "\tDuration: 3000.00 ms"
	    "\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: "
	    "80 MB\tStatus: timeout";
	const char *xray = "REPORT RequestId: " RID "\tDuration: 10.5 ms\t"
	    "Billed Duration: 11 ms\tMemory Size: 256 MB\tMax Memory Used: 90 MB"
	    "\tInit Duration: 300.10 ms\t\nXRAY TraceId: 1-abc\tSegmentId: def"
	    "\tSampled: true\t";

	(void)state;
	assert_int_equal(logparse_report(cold, strlen(cold), &r), 0);
	assert_string_equal(r.request_id, RID);
	assert_float_equal(r.duration_ms, 1234.56, 1e-9);
	assert_float_equal(r.billed_ms, 1235, 1e-9);
	assert_int_equal(r.memory_mb, 512);
	assert_int_equal(r.max_memory_mb, 123);
	assert_int_equal(r.has_init, 1);
	assert_float_equal(r.init_ms, 456.78, 1e-9);
	assert_int_equal(r.timed_out, 0);

	assert_int_equal(logparse_report(warm, strlen(warm), &r), 0);
	assert_float_equal(r.duration_ms, 2.01, 1e-9);
	assert_float_equal(r.billed_ms, 3, 1e-9);
	assert_int_equal(r.memory_mb, 128);
	assert_int_equal(r.max_memory_mb, 70);
	assert_int_equal(r.has_init, 0);
	assert_float_equal(r.init_ms, 0, 0);

	assert_int_equal(logparse_report(timeout, strlen(timeout), &r), 0);
	assert_int_equal(r.timed_out, 1);
	assert_float_equal(r.duration_ms, 3000, 1e-9);

	assert_int_equal(logparse_report(xray, strlen(xray), &r), 0);
	assert_float_equal(r.init_ms, 300.1, 1e-9);
	assert_int_equal(r.max_memory_mb, 90);

	/* Not REPORTs. */
	assert_int_equal(logparse_report("START RequestId: " RID,
	    strlen("START RequestId: " RID), &r), -1);
	assert_int_equal(logparse_report("REPORT", 6, &r), -1);
	assert_int_equal(logparse_report("REPORT RequestId: ", 18, &r), -1);
	/* Cut short: what is there is read, nothing past len. */
	assert_int_equal(logparse_report(cold, 80, &r), 0);
	assert_float_equal(r.duration_ms, 1234.56, 1e-9);
	assert_int_equal(r.memory_mb, 0);
}

/*
 * A forged REPORT line: figures past any real limit are refused (the
 * field stays 0, unknown) instead of overflowing long, which showed
 * "mem 0/-9223372036854775808 MB". UBSan would flag the old conversion.
 */
static void
test_report_huge_figures(void **state)
{
	struct lambda_report r;
	const char *huge = "REPORT RequestId: " RID "\tDuration: "
	    "1000000000000000000000000.5 ms\tBilled Duration: 3 ms\tMemory Size: "
	    "99999999999999999999 MB\tMax Memory Used: 99999999999999999999 MB\t"
	    "Init Duration: 1e400 ms\t";
	const char *edge = "REPORT RequestId: " RID "\tMemory Size: 1000000000 MB"
	    "\tMax Memory Used: 1000000001 MB\t";
	const char *json = "{\"time\":\"2026-12-03T03:00:00.000Z\",\"type\":"
	    "\"platform.report\",\"record\":{\"requestId\":\"" RID "\","
	    "\"metrics\":{\"durationMs\":-5,\"billedDurationMs\":1e300,"
	    "\"memorySizeMB\":1e300,\"maxMemoryUsedMB\":99999999999999999999}}}";
	char digits[700];
	double secs = -1;

	(void)state;
	assert_int_equal(logparse_report(huge, strlen(huge), &r), 0);
	assert_int_equal(r.memory_mb, 0);
	assert_int_equal(r.max_memory_mb, 0);
	assert_float_equal(r.duration_ms, 0, 0);
	assert_float_equal(r.billed_ms, 3, 0);
	assert_int_equal(logparse_report(edge, strlen(edge), &r), 0);
	assert_int_equal(r.memory_mb, 1000000000);
	assert_int_equal(r.max_memory_mb, 0);
	assert_int_equal(logparse_report(json, strlen(json), &r), 0);
	assert_float_equal(r.duration_ms, 0, 0);
	assert_float_equal(r.billed_ms, 0, 0);
	assert_int_equal(r.memory_mb, 0);
	assert_int_equal(r.max_memory_mb, 0);
	/* 600 digits make an infinite double: refused too. */
	memcpy(digits, "Task timed out after ", 21);
	memset(digits + 21, '9', 600);
	memcpy(digits + 621, " seconds", 9);
	assert_int_equal(logparse_timeout(digits, strlen(digits), &secs), -1);
	assert_float_equal(secs, -1, 0);
}

/* Found by tests/fuzz/fuzz-logparse: (long) of a huge double is undefined. */
static void
test_report_huge_memory(void **state)
{
	struct lambda_report r;
	const char *text = "REPORT RequestId: " RID "\tDuration: 1.5 ms\t"
	    "Memory Size: 99999999999999999999999 MB\tMax Memory Used: "
	    "888888888888888888888888888888888888888888888888888888888888888"
	    "888888888888888888888 MB\t";
	const char *json = "{\"type\":\"platform.report\",\"record\":{"
	    "\"requestId\":\"j-1\",\"metrics\":{\"durationMs\":2,"
	    "\"memorySizeMB\":1e999,\"maxMemoryUsedMB\":-1e300}}}";

	(void)state;
	assert_int_equal(logparse_report(text, strlen(text), &r), 0);
	assert_float_equal(r.duration_ms, 1.5, 1e-9);
	assert_int_equal(r.memory_mb, 0);
	assert_int_equal(r.max_memory_mb, 0);
	assert_int_equal(logparse_report(json, strlen(json), &r), 0);
	assert_string_equal(r.request_id, "j-1");
	assert_float_equal(r.duration_ms, 2, 1e-9);
	assert_int_equal(r.memory_mb, 0);
	assert_int_equal(r.max_memory_mb, 0);
}

static void
test_start_end_timeout(void **state)
{
	char id[LOGPARSE_ID_LEN];
	const char *start = "START RequestId: " RID " Version: $LATEST\n";
	const char *end = "END RequestId: " RID "\n";
	const char *to = "2026-11-25T10:00:03.002Z " RID
	    " Task timed out after 900.00 seconds";
	double secs = 0;

	(void)state;
	assert_int_equal(logparse_start(start, strlen(start), id), 0);
	assert_string_equal(id, RID);
	assert_int_equal(logparse_end(end, strlen(end), id), 0);
	assert_string_equal(id, RID);
	assert_int_equal(logparse_end(start, strlen(start), id), -1);
	assert_int_equal(logparse_start(end, strlen(end), id), -1);
	assert_int_equal(logparse_start("START RequestId: ", 17, id), -1);
	assert_int_equal(logparse_start("START RequestId: a;b", 20, id), -1);
	assert_int_equal(logparse_timeout(to, strlen(to), &secs), 0);
	assert_float_equal(secs, 900, 1e-9);
	assert_int_equal(logparse_timeout("Task timed out after 3.5 seconds",
	    32, &secs), 0);
	assert_float_equal(secs, 3.5, 1e-9);
	assert_int_equal(logparse_timeout("Task timed out after ", 21, &secs),
	    -1);
	assert_int_equal(logparse_timeout("all good", 8, NULL), -1);
}

/* Lambda's JSON log format writes platform lines as objects. */
static void
test_platform_json(void **state)
{
	char id[LOGPARSE_ID_LEN];
	struct lambda_report r;
	const char *start = "{\"time\":\"2026-11-25T10:00:00.000Z\","
	    "\"type\":\"platform.start\",\"record\":{\"requestId\":\"" RID
	    "\",\"version\":\"$LATEST\"}}";
	const char *done = "{\"time\":\"2026-11-25T10:00:01.000Z\","
	    "\"type\":\"platform.runtimeDone\",\"record\":{\"requestId\":"
	    "\"abc-1\",\"status\":\"success\"}}";
	const char *report = "{\"time\":\"2026-11-25T10:00:01.000Z\","
	    "\"type\":\"platform.report\",\"record\":{\"requestId\":\"" RID
	    "\",\"metrics\":{\"durationMs\":2.5,\"billedDurationMs\":3,"
	    "\"memorySizeMB\":128,\"maxMemoryUsedMB\":68,"
	    "\"initDurationMs\":179.25},\"status\":\"timeout\"}}";
	const char *warm = "{\"type\":\"platform.report\",\"record\":{"
	    "\"requestId\":\"w-1\",\"metrics\":{\"durationMs\":1},"
	    "\"status\":\"success\"}}";

	(void)state;
	assert_int_equal(logparse_start(start, strlen(start), id), 0);
	assert_string_equal(id, RID);
	assert_int_equal(logparse_end(start, strlen(start), id), -1);
	assert_int_equal(logparse_end(done, strlen(done), id), 0);
	assert_string_equal(id, "abc-1");
	assert_int_equal(logparse_report(report, strlen(report), &r), 0);
	assert_string_equal(r.request_id, RID);
	assert_float_equal(r.duration_ms, 2.5, 1e-9);
	assert_float_equal(r.billed_ms, 3, 1e-9);
	assert_int_equal(r.memory_mb, 128);
	assert_int_equal(r.max_memory_mb, 68);
	assert_int_equal(r.has_init, 1);
	assert_float_equal(r.init_ms, 179.25, 1e-9);
	assert_int_equal(r.timed_out, 1);
	assert_int_equal(lv(report), LOG_LEVEL_ERROR);
	assert_int_equal(logparse_report(warm, strlen(warm), &r), 0);
	assert_int_equal(r.has_init, 0);
	assert_int_equal(r.timed_out, 0);
	assert_int_equal(r.errored, 0);
	assert_int_equal(lv(warm), LOG_LEVEL_NONE);
	assert_int_equal(logparse_report(start, strlen(start), &r), -1);
	assert_int_equal(logparse_request_id(done, strlen(done), id), 0);
	assert_string_equal(id, "abc-1");
	/* Not platform lines: no record, no requestId. */
	assert_int_equal(logparse_request_id("{\"type\":\"platform.start\"}",
	    strlen("{\"type\":\"platform.start\"}"), id), -1);
	assert_int_equal(logparse_start("{\"type\":\"platform.start\"}",
	    strlen("{\"type\":\"platform.start\"}"), id), -1);
	assert_int_equal(logparse_report("{\"type\":\"platform.report\","
	    "\"record\":{}}", strlen("{\"type\":\"platform.report\","
	    "\"record\":{}}"), &r), -1);
}

static int
rid(const char *s, char id[LOGPARSE_ID_LEN])
{
	return logparse_request_id(s, strlen(s), id);
}

static void
test_request_ids(void **state)
{
	char id[LOGPARSE_ID_LEN];

	(void)state;
	assert_int_equal(rid("START RequestId: aaa-1 Version: 3", id), 0);
	assert_string_equal(id, "aaa-1");
	assert_int_equal(rid("END RequestId: bbb-2", id), 0);
	assert_string_equal(id, "bbb-2");
	assert_int_equal(rid("REPORT RequestId: ccc-3\tDuration: 1 ms", id), 0);
	assert_string_equal(id, "ccc-3");
	assert_int_equal(rid("RequestId: ddd-4 Error: Runtime exited", id), 0);
	assert_string_equal(id, "ddd-4");
	assert_int_equal(rid("2026-11-25T10:00:00.123Z\teee-5\tINFO\thi", id), 0);
	assert_string_equal(id, "eee-5");
	assert_int_equal(rid("[ERROR]\t2026-11-25T10:00:00.123Z\tfff-6\tx", id),
	    0);
	assert_string_equal(id, "fff-6");
	assert_int_equal(rid("2026-11-25T10:00:03.002Z ggg-7 Task timed out "
	    "after 3.00 seconds", id), 0);
	assert_string_equal(id, "ggg-7");
	assert_int_equal(rid("{\"requestId\":\"hhh-8\",\"level\":\"INFO\"}", id),
	    0);
	assert_string_equal(id, "hhh-8");
	assert_int_equal(rid("{\"AWSRequestId\":\"iii-9\"}", id), 0);
	assert_string_equal(id, "iii-9");
	assert_int_equal(rid("{\"awsRequestId\":\"jjj-10\"}", id), 0);
	assert_string_equal(id, "jjj-10");
	/* None, or not an id. */
	assert_int_equal(rid("hello world", id), -1);
	assert_int_equal(rid("{\"requestId\":\"has space\"}", id), -1);
	assert_int_equal(rid("{\"requestId\":42}", id), -1);
	assert_int_equal(rid("", id), -1);
	assert_int_equal(rid("START RequestId: "
	    "0123456789012345678901234567890123456789012345678901234567890123456789",
	    id), -1);
}

static void
test_lambda_prefix(void **state)
{
	struct logparse_prefix p;
	const char *node = "2026-11-25T10:00:00.123Z\t6f1c2d3e-0000-4000-8000-000000000001\tERROR\tboom";
	const char *py = "[WARNING]\t2026-11-25T10:00:00.123Z\t6f1c2d3e-0000-4000-8000-000000000001\tslow";
	const char *bare = "2026-11-25T10:00:00.123Z\t6f1c2d3e-0000-4000-8000-000000000001\tno level here";

	assert_int_equal(logparse_lambda_prefix(node, strlen(node), &p), 1);
	assert_int_equal(p.level, LOG_LEVEL_ERROR);
	assert_int_equal(p.id_start, 25);
	assert_int_equal(p.id_len, 36);
	assert_string_equal(node + p.body, "boom");
	assert_int_equal(logparse_lambda_prefix(py, strlen(py), &p), 1);
	assert_int_equal(p.level, LOG_LEVEL_WARN);
	assert_string_equal(py + p.body, "slow");
	assert_int_equal(logparse_lambda_prefix(bare, strlen(bare), &p), 1);
	assert_int_equal(p.level, LOG_LEVEL_NONE);
	assert_string_equal(bare + p.body, "no level here");
	assert_int_equal(logparse_lambda_prefix("plain text", 10, &p), 0);
	assert_int_equal(logparse_lambda_prefix("[ERROR] no tabs", 15, &p), 0);
	/* Cut anywhere, it never reads past len. */
	for (size_t n = 0; n < strlen(node); n++) {
		char *copy = malloc(n > 0 ? n : 1);

		memcpy(copy, node, n);
		if (logparse_lambda_prefix(copy, n, &p))
			assert_true(p.body <= n);
		free(copy);
	}
}

static void
test_split_lines(void **state)
{
	size_t st[8], ln[8];
	const char *m = "a\r\nbb\nccc\rdd\r\n";

	(void)state;
	assert_int_equal(logparse_split_lines(m, strlen(m), st, ln, 8), 4);
	assert_int_equal(st[0], 0);
	assert_int_equal(ln[0], 1);
	assert_int_equal(st[1], 3);
	assert_int_equal(ln[1], 2);
	assert_int_equal(st[2], 6);
	assert_int_equal(ln[2], 3);
	assert_int_equal(st[3], 10);
	assert_int_equal(ln[3], 2);
	/* No trailing break; an empty line in the middle kept. */
	assert_int_equal(logparse_split_lines("x\n\ny", 4, st, ln, 8), 3);
	assert_int_equal(ln[1], 0);
	assert_int_equal(st[2], 3);
	/* Progress bars: lone \r each start a line. */
	assert_int_equal(logparse_split_lines("10%\r20%\r30%", 11, st, ln, 8),
	    3);
	assert_int_equal(st[2], 8);
	/* "\n\r" is two breaks. */
	assert_int_equal(logparse_split_lines("a\n\rb", 4, st, ln, 8), 3);
	/* Empty message: one empty line; a lone break: one empty line. */
	assert_int_equal(logparse_split_lines("", 0, st, ln, 8), 1);
	assert_int_equal(ln[0], 0);
	assert_int_equal(logparse_split_lines("\n", 1, st, ln, 8), 1);
	assert_int_equal(ln[0], 0);
	/* More lines than room: the count is still right, nothing overrun. */
	st[2] = 999;
	assert_int_equal(logparse_split_lines("1\n2\n3\n4\n5", 9, st, ln, 2), 5);
	assert_int_equal(st[1], 2);
	assert_int_equal(st[2], 999);
	assert_int_equal(logparse_split_lines("a\nb", 3, NULL, NULL, 0), 2);
	/* A NUL is not a break. */
	assert_int_equal(logparse_split_lines("a\0b", 3, st, ln, 8), 1);
	assert_int_equal(ln[0], 3);
}

/*
 * Random messages built from the tokens the parsers look for, each in a
 * buffer of exactly its length (no NUL after it), so the sanitizer build
 * catches any read past len.
 */
static void
test_random_messages(void **state)
{
	static const char *const tok[] = {
		"\t", " ", "\n", "\r", "[", "]", "{", "}", "\"", ":", ",",
		"ERROR", "warn", "2026-11-25T10:00:00.123Z", RID, "REPORT ",
		"RequestId: ", "START ", "END ", "Duration: ", "12.5", " ms",
		"Init Duration: ", "Memory Size: ", "Status: ", "timeout",
		"Task timed out after ", "\"level\"", "\"requestId\"",
		"\"type\"", "\"platform.report\"", "\"record\"", "1", "\\",
		"Traceback (most recent call last)", "x", "\0",
	};
	uint64_t seed = 42;
	char tmp[512], id[LOGPARSE_ID_LEN];
	size_t st[16], ln[16];
	struct lambda_report r;
	int round;

	(void)state;
	for (round = 0; round < 20000; round++) {
		size_t len = 0, n, k;
		char *m, *p;
		double secs;
		ssize_t j;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		n = (size_t)(seed >> 59);	/* 0..31 tokens */
		for (k = 0; k < n; k++) {
			const char *t;
			size_t tl;

			seed = seed * 6364136223846793005ULL +
			    1442695040888963407ULL;
			t = tok[(seed >> 33) % (sizeof tok / sizeof *tok)];
			tl = t[0] == '\0' ? 1 : strlen(t);
			if (len + tl > sizeof tmp)
				break;
			memcpy(tmp + len, t, tl);
			len += tl;
		}
		m = xmalloc(len == 0 ? 1 : len);
		memcpy(m, tmp, len);
		(void)logparse_level(m, len);
		j = logparse_json_start(m, len);
		assert_true(j >= -1 && j < (ssize_t)len + 1);
		p = logparse_json_pretty(m, len);
		assert_true((p == NULL) == (j < 0));
		free(p);
		(void)logparse_report(m, len, &r);
		(void)logparse_start(m, len, id);
		(void)logparse_end(m, len, id);
		(void)logparse_timeout(m, len, &secs);
		if (logparse_request_id(m, len, id) == 0)
			assert_true(strlen(id) > 0 && strlen(id) < sizeof id);
		n = logparse_split_lines(m, len, st, ln, 16);
		for (k = 0; k < n && k < 16; k++)
			assert_true(st[k] + ln[k] <= len);
		free(m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels_lambda_text),
		cmocka_unit_test(test_lambda_prefix),
		cmocka_unit_test(test_levels_prefixes),
		cmocka_unit_test(test_levels_json),
		cmocka_unit_test(test_levels_errors),
		cmocka_unit_test(test_level_names),
		cmocka_unit_test(test_json_start),
		cmocka_unit_test(test_json_huge_and_deep),
		cmocka_unit_test(test_json_pretty),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_report_huge_figures),
		cmocka_unit_test(test_start_end_timeout),
		cmocka_unit_test(test_platform_json),
		cmocka_unit_test(test_request_ids),
		cmocka_unit_test(test_split_lines),
		cmocka_unit_test(test_report_huge_memory),
		cmocka_unit_test(test_random_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
