/*
 * Unit tests for src/logsave.c, with real files in a temporary folder:
 * the shown lines saved as text (tags, sanitised, hidden lines left out,
 * folded START/END kept)
 * and as NDJSON with AWS's field names (gaps left out), the format chosen
 * by the name, an existing file never overwritten, and a folder that
 * cannot be written or a write that fails reported with what, cause, fix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "logsave.h"

#define T0	1764064800000LL	/* 2025-11-25T10:00:00Z */
/* The event id add() gives the event at ts: ts zero-padded to 56 digits. */
#define ID(ts)	"0000000000000000000000000000000000000000000" #ts

static char tmpdir[] = "/tmp/dlc-test-logsave-XXXXXX";
static char *labels[] = { (char *)"alpha-fn", (char *)"beta-fn" };
static char *groups[] = { (char *)"/aws/lambda/alpha-fn", (char *)"/aws/lambda/beta-fn" };

static void
add(struct logview *lv, int64_t ts, uint16_t source, const char *msg)
{
	struct log_event ev;
	char id[64];

	memset(&ev, 0, sizeof ev);
	ev.timestamp = ts;
	ev.ingestion_time = ts + 5;
	ev.source = source;
	ev.stream = (char *)"2025/11/25/[$LATEST]abc";
	ev.message = (char *)msg;
	ev.message_len = strlen(msg);
	snprintf(id, sizeof id, "%056lld", (long long)ts);
	log_event_set_id(&ev, id);
	logview_add(lv, &ev);
}

/* Two functions' lines, one with an escape, a gap, and a line the search hides. */
static struct logview *
sample(void)
{
	struct logview *lv = logview_new(0);
	struct dlc_err err;

	add(lv, T0, 0, "first line\n");
	add(lv, T0 + 1000, 1, "red \033[31mtext\033[0m\n");
	logview_add_gap(lv, T0 + 1500, T0 + 1600, "AccessDenied: could not read");
	add(lv, T0 + 2000, 0, "hidden by the search\n");
	add(lv, T0 + 3000, 1, "{\"msg\":\"last line\"}\n");
	assert_int_equal(logview_set_search(lv, "line|text|AccessDenied", &err), 0);
	logview_set_hide_unmatched(lv, 1);
	return lv;
}

static char *
path_in(const char *name)
{
	static char path[256];

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	return path;
}

/* The whole file as a string (the caller frees). */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = calloc(1, 65536);
	size_t n;

	assert_non_null(f);
	assert_non_null(s);
	n = fread(s, 1, 65535, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	static const char *files[] = { "saved.log", "one.log", "saved.ndjson", "kept.log", "big.log",
		"folded.ndjson", "folded.log" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		unlink(path_in(files[i]));
	rmdir(path_in("ro"));
	return rmdir(tmpdir);
}

static void
test_format_of(void **state)
{
	(void)state;
	assert_int_equal(logsave_format_of("a.json"), LOGSAVE_NDJSON);
	assert_int_equal(logsave_format_of("/x/y/a.ndjson"), LOGSAVE_NDJSON);
	assert_int_equal(logsave_format_of("a.log"), LOGSAVE_TEXT);
	assert_int_equal(logsave_format_of("ajson"), LOGSAVE_TEXT);
	assert_int_equal(logsave_format_of("a.json.txt"), LOGSAVE_TEXT);
	assert_int_equal(logsave_format_of(".json"), LOGSAVE_TEXT);	/* a hidden file, not a suffix */
}

static void
test_text(void **state)
{
	struct logview *lv = sample();
	struct dlc_err err;
	size_t n = 99;
	char *s;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(logsave_write(lv, path_in("saved.log"), LOGSAVE_TEXT, labels, groups, 2,
	    &n, &err), 0);
	assert_int_equal(n, 4);
	s = slurp(path_in("saved.log"));
	assert_string_equal(s,
	    "2025-11-25T10:00:00.000Z alpha-fn first line\n"
	    "2025-11-25T10:00:01.000Z beta-fn red \\x1b[31mtext\\x1b[0m\n"
	    "2025-11-25T10:00:01.500Z alpha-fn AccessDenied: could not read\n"
	    "2025-11-25T10:00:03.000Z beta-fn {\"msg\":\"last line\"}\n");
	assert_null(strchr(s, '\033'));
	free(s);
	logview_free(lv);
}

static void
test_one_source_has_no_tag(void **state)
{
	struct logview *lv = logview_new(0);
	struct dlc_err err;
	size_t n;
	char *s;

	(void)state;
	add(lv, T0, 0, "only\r\n");
	assert_int_equal(logsave_write(lv, path_in("one.log"), LOGSAVE_TEXT, labels, groups, 1,
	    &n, &err), 0);
	s = slurp(path_in("one.log"));
	assert_string_equal(s, "2025-11-25T10:00:00.000Z only\n");
	free(s);
	logview_free(lv);
}

static void
test_ndjson(void **state)
{
	struct logview *lv = sample();
	struct dlc_err err;
	size_t n;
	char *s;

	(void)state;
	assert_int_equal(logsave_write(lv, path_in("saved.ndjson"), LOGSAVE_NDJSON, labels, groups, 2,
	    &n, &err), 0);
	assert_int_equal(n, 3);	/* the gap is not an event */
	s = slurp(path_in("saved.ndjson"));
	assert_string_equal(s,
	    "{\"timestamp\":1764064800000,\"ingestionTime\":1764064800005,"
	    "\"logGroupName\":\"/aws/lambda/alpha-fn\",\"logStreamName\":\"2025/11/25/[$LATEST]abc\","
	    "\"message\":\"first line\\u000a\",\"eventId\":\"" ID(1764064800000) "\"}\n"
	    "{\"timestamp\":1764064801000,\"ingestionTime\":1764064801005,"
	    "\"logGroupName\":\"/aws/lambda/beta-fn\",\"logStreamName\":\"2025/11/25/[$LATEST]abc\","
	    "\"message\":\"red \\u001b[31mtext\\u001b[0m\\u000a\",\"eventId\":\"" ID(1764064801000) "\"}\n"
	    "{\"timestamp\":1764064803000,\"ingestionTime\":1764064803005,"
	    "\"logGroupName\":\"/aws/lambda/beta-fn\",\"logStreamName\":\"2025/11/25/[$LATEST]abc\","
	    "\"message\":\"{\\\"msg\\\":\\\"last line\\\"}\\u000a\",\"eventId\":\"" ID(1764064803000) "\"}\n");
	free(s);
	logview_free(lv);
}

/* Folding (P) is how the console draws an invocation: both formats keep START and END. */
static void
test_folded_lines_kept(void **state)
{
	static const char *const names[] = { "folded.ndjson", "folded.log" };
	static const char *const msgs[] = {
		"START RequestId: 6f1c2d3e-0000-4000-8000-000000000001 Version: $LATEST\n",
		"2025-11-25T10:00:00.000Z\t6f1c2d3e-0000-4000-8000-000000000001\tINFO\twork\n",
		"END RequestId: 6f1c2d3e-0000-4000-8000-000000000001\n",
		"REPORT RequestId: 6f1c2d3e-0000-4000-8000-000000000001\tDuration: 1.00 ms\t"
		"Billed Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\n",
	};
	struct logview *lv = logview_new(0);
	struct dlc_err err;
	size_t i, k, n;
	char *s;

	(void)state;
	for (i = 0; i < 4; i++)
		add(lv, T0 + (int64_t)i, 0, msgs[i]);
	assert_true(logview_fold(lv));
	for (k = 0; k < 2; k++) {
		assert_int_equal(logsave_write(lv, path_in(names[k]), logsave_format_of(names[k]),
		    labels, groups, 1, &n, &err), 0);
		assert_int_equal(n, 4);
		s = slurp(path_in(names[k]));
		assert_non_null(strstr(s, "START RequestId: "));
		assert_non_null(strstr(s, "END RequestId: "));
		assert_non_null(strstr(s, "REPORT RequestId: "));
		free(s);
	}
	logview_free(lv);
}

static void
test_never_overwrites(void **state)
{
	struct logview *lv = sample();
	struct dlc_err err;
	FILE *f = fopen(path_in("kept.log"), "w");
	size_t n = 99;
	char *s;

	(void)state;
	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);
	dlc_err_clear(&err);
	assert_int_equal(logsave_write(lv, path_in("kept.log"), LOGSAVE_TEXT, labels, groups, 2,
	    &n, &err), -1);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err.what, path_in("kept.log")));
	assert_non_null(strstr(err.message, "choose another name"));
	assert_non_null(strstr(err.fix, "never overwrites"));
	s = slurp(path_in("kept.log"));
	assert_string_equal(s, "precious\n");
	free(s);
	logview_free(lv);
}

static void
test_unwritable_folder(void **state)
{
	struct logview *lv = sample();
	struct dlc_err err;
	uid_t euid = geteuid();
	size_t n;
	int rc;

	(void)state;
	assert_int_equal(mkdir(path_in("ro"), 0555), 0);
	/* root writes anywhere: drop to nobody for the call so the folder's mode counts. */
	if (euid == 0)
		assert_int_equal(seteuid(65534), 0);
	dlc_err_clear(&err);
	rc = logsave_write(lv, path_in("ro/saved.log"), LOGSAVE_TEXT, labels, groups, 2, &n, &err);
	if (euid == 0)
		assert_int_equal(seteuid(0), 0);
	assert_int_equal(rc, -1);
	assert_int_equal(access(path_in("ro/saved.log"), F_OK), -1);
	assert_non_null(strstr(err.what, "ro/saved.log"));
	assert_non_null(strstr(err.message, "denied"));
	assert_non_null(strstr(err.fix, "a folder you can write to"));

	dlc_err_clear(&err);
	assert_int_equal(logsave_write(lv, path_in("missing/saved.log"), LOGSAVE_TEXT, labels, groups, 2,
	    &n, &err), -1);
	assert_non_null(strstr(err.fix, "does not exist"));
	logview_free(lv);
}

/* A write that fails midway (the file size limit here, a full disk in life) is reported. */
static void
test_write_failure(void **state)
{
	struct logview *lv = logview_new(0);
	struct dlc_err err;
	struct rlimit old, small;
	char big[8192];
	size_t n;
	int rc, i;

	(void)state;
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (i = 0; i < 8; i++)
		add(lv, T0 + i, 0, big);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 10000;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	dlc_err_clear(&err);
	rc = logsave_write(lv, path_in("big.log"), LOGSAVE_TEXT, labels, groups, 1, &n, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(rc, -1);
	assert_true(n < 8);
	assert_non_null(strstr(err.what, "big.log"));
	assert_true(err.message[0] != '\0');
	assert_true(err.fix[0] != '\0');
	logview_free(lv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_of),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_one_source_has_no_tag),
		cmocka_unit_test(test_ndjson),
		cmocka_unit_test(test_folded_lines_kept),
		cmocka_unit_test(test_never_overwrites),
		cmocka_unit_test(test_unwritable_folder),
		cmocka_unit_test(test_write_failure),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
