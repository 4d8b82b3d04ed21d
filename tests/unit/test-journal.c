/*
 * Unit tests for src/journal*.c on real files in a temporary state folder:
 * append and read back, two processes appending at once, a torn last line,
 * garbage lines, the UTC day rollover, following appends.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "journal.h"
#include "loop.h"
#include "testfs.h"
#include "xmalloc.h"

/* 2026-12-03T23:59:59.900Z */
#define DAY_END_MS	1796342399900LL

static int
setup(void **state)
{
	(void)state;
	assert_int_equal(testfs_init("journal"), 0);
	setenv("XDG_STATE_HOME", testfs_root(), 1);
	journal_set_now_for_tests(0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	journal_set_now_for_tests(0);
	return testfs_cleanup();
}

struct collected {
	cJSON	*recs;		/* array of copies */
	int	 nbad;
	char	 bad_file[512];
	long	 bad_line[16];
	char	 bad_why[16][128];
};

static void
collect_each(const cJSON *rec, void *arg)
{
	struct collected *c = arg;

	cJSON_AddItemToArray(c->recs, cJSON_Duplicate(rec, 1));
}

static void
collect_bad(const char *file, long line, const char *why, void *arg)
{
	struct collected *c = arg;

	snprintf(c->bad_file, sizeof(c->bad_file), "%s", file);
	if (c->nbad < 16) {
		c->bad_line[c->nbad] = line;
		snprintf(c->bad_why[c->nbad], sizeof(c->bad_why[0]), "%s", why);
	}
	c->nbad++;
}

static void
collected_init(struct collected *c)
{
	memset(c, 0, sizeof(*c));
	c->recs = cJSON_CreateArray();
}

static const char *
str_of(const cJSON *rec, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

struct done_count {
	int	n;
	int	errors;
	int	want;
	int	all;
	int	order[64];
};

struct done_tag {
	struct done_count	*dc;
	int			 i;
};

static void
count_done(const struct dlc_err *err, void *arg)
{
	struct done_tag *t = arg;

	if (err != NULL)
		t->dc->errors++;
	if (t->dc->n < 64)
		t->dc->order[t->dc->n] = t->i;
	t->dc->n++;
	if (t->dc->n == t->dc->want)
		t->dc->all = 1;
}

static cJSON *
rec_new(const char *job, const char *ev)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "job", job);
	cJSON_AddStringToObject(r, "ev", ev);
	return r;
}

static void
write_file(const char *path, const char *text, const char *mode)
{
	FILE *f = fopen(path, mode);

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *
read_whole(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = xcalloc(1, 1 << 20);

	assert_non_null(f);
	(void)fread(s, 1, (1 << 20) - 1, f);
	fclose(f);
	return s;
}

/* The folder a test writes journal files into by hand. */
static void
make_journal_dir(void)
{
	char *dir = xasprintf("%s/dlc", testfs_root());

	mkdir(dir, 0700);
	free(dir);
	dir = xasprintf("%s/dlc/journal", testfs_root());
	mkdir(dir, 0700);
	free(dir);
}

static void
test_append_and_read(void **state)
{
	struct loop *loop = loop_new();
	struct dlc_err err;
	struct journal *j;
	struct done_count dc = { .want = 3 };
	struct done_tag tags[3];
	struct collected c;
	const cJSON *r;
	cJSON *rec;
	int i;

	(void)state;
	dlc_err_clear(&err);
	j = journal_open(loop, &err);
	assert_non_null(j);
	for (i = 0; i < 3; i++) {
		tags[i].dc = &dc;
		tags[i].i = i;
		rec = rec_new("0123abcd", i == 0 ? "queued" : i == 1 ? "step" : "end");
		/* A caller's "t" or "pid" does not survive: the journal stamps its own. */
		cJSON_AddStringToObject(rec, "t", "forged");
		cJSON_AddNumberToObject(rec, "n", i);
		assert_int_equal(journal_append(j, rec, count_done, &tags[i]), 0);
	}
	assert_true(journal_pending(j) == 3);
	/* Written, but done only from the loop once synced: never from inside the append. */
	assert_int_equal(dc.n, 0);
	assert_int_equal(loop_run_until(loop, &dc.all), 0);
	assert_int_equal(dc.errors, 0);
	/* done runs in append order. */
	assert_int_equal(dc.order[0], 0);
	assert_int_equal(dc.order[2], 2);
	assert_true(journal_pending(j) == 0);
	assert_null(journal_error(j));
	journal_free(j);

	collected_init(&c);
	assert_int_equal(journal_read(1, collect_each, collect_bad, &c, &err), 0);
	assert_int_equal(c.nbad, 0);
	assert_int_equal(cJSON_GetArraySize(c.recs), 3);
	r = cJSON_GetArrayItem(c.recs, 0);
	assert_string_equal(str_of(r, "ev"), "queued");
	assert_string_equal(str_of(r, "job"), "0123abcd");
	assert_int_equal(strlen(str_of(r, "t")), 24);
	assert_int_equal(str_of(r, "t")[23], 'Z');
	assert_non_null(str_of(r, "host"));
	assert_non_null(str_of(r, "user"));
	assert_int_equal((int)cJSON_GetObjectItem(r, "pid")->valuedouble, (int)getpid());
	assert_true(cJSON_GetObjectItem(r, "pstart")->valuedouble ==
	    (double)journal_pid_start(getpid()));
	assert_string_equal(str_of(cJSON_GetArrayItem(c.recs, 2), "ev"), "end");
	cJSON_Delete(c.recs);
	loop_free(loop);
}

static void
test_line_format(void **state)
{
	struct loop *loop = loop_new();
	struct dlc_err err;
	struct journal *j;
	struct done_count dc = { .want = 1 };
	struct done_tag tag = { &dc, 0 };
	char *path, *text;
	cJSON *rec, *e;

	(void)state;
	journal_set_now_for_tests(DAY_END_MS);
	j = journal_open(loop, &err);
	rec = rec_new("0123abcd", "end");
	e = cJSON_AddObjectToObject(rec, "error");
	/* Network text: a secret echoed back, and a terminal escape. */
	cJSON_AddStringToObject(e, "message", "bad sig: SecretAccessKey=wJalrXUtnFEMIK7MDENG "
	    "\x1b]0;owned\x07 line\nbreak");
	assert_int_equal(journal_append(j, rec, count_done, &tag), 0);
	assert_int_equal(loop_run_until(loop, &dc.all), 0);
	journal_free(j);
	path = journal_day_path(DAY_END_MS / 1000);
	assert_non_null(strstr(path, "/dlc/journal/2026-12-03.jsonl"));
	text = read_whole(path);
	/* One line, "t" first, nothing secret, nothing a terminal obeys. */
	assert_int_equal(strncmp(text, "{\"t\":\"2026-12-03T23:59:59.900Z\",\"host\":", 39), 0);
	assert_non_null(strchr(text, '\n'));
	assert_int_equal(strchr(text, '\n')[1], '\0');
	assert_null(strstr(text, "wJalrXUtnFEMIK7MDENG"));
	assert_non_null(strstr(text, "<redacted>"));
	assert_null(strchr(text, '\x1b'));
	assert_null(strstr(text, "\\u001b"));
	free(text);
	free(path);
	loop_free(loop);
}

static void
writer_child(const char *job, int n)
{
	struct loop *loop = loop_new();
	struct dlc_err err;
	struct journal *j = journal_open(loop, &err);
	struct done_count dc = { .want = n };
	struct done_tag tag = { &dc, 0 };
	char pad[2048];
	cJSON *rec;
	int i;

	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	for (i = 0; i < n; i++) {
		rec = rec_new(job, "progress");
		cJSON_AddNumberToObject(rec, "seq", i);
		/* Long lines: interleaving would show if writes were split. */
		cJSON_AddStringToObject(rec, "line", pad);
		if (journal_append(j, rec, count_done, &tag) != 0)
			_exit(2);
	}
	loop_run_until(loop, &dc.all);
	journal_free(j);
	loop_free(loop);
	_exit(dc.errors == 0 ? 0 : 3);
}

static void
test_two_writers(void **state)
{
	struct collected c;
	struct dlc_err err;
	pid_t a, b;
	int st, i, next_a = 0, next_b = 0;
	const cJSON *r;

	(void)state;
	a = fork();
	if (a == 0)
		writer_child("aaaaaaaa", 300);
	b = fork();
	if (b == 0)
		writer_child("bbbbbbbb", 300);
	assert_int_equal(waitpid(a, &st, 0), a);
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(waitpid(b, &st, 0), b);
	assert_int_equal(WEXITSTATUS(st), 0);
	collected_init(&c);
	assert_int_equal(journal_read(1, collect_each, collect_bad, &c, &err), 0);
	assert_int_equal(c.nbad, 0);
	assert_int_equal(cJSON_GetArraySize(c.recs), 600);
	/* Each writer's lines are whole and in its own order. */
	for (i = 0; i < 600; i++) {
		r = cJSON_GetArrayItem(c.recs, i);
		if (strcmp(str_of(r, "job"), "aaaaaaaa") == 0)
			assert_int_equal((int)cJSON_GetObjectItem(r, "seq")->valuedouble, next_a++);
		else
			assert_int_equal((int)cJSON_GetObjectItem(r, "seq")->valuedouble, next_b++);
	}
	assert_int_equal(next_a, 300);
	assert_int_equal(next_b, 300);
	cJSON_Delete(c.recs);
}

static void
test_torn_last_line(void **state)
{
	struct loop *loop = loop_new();
	struct collected c;
	struct dlc_err err;
	struct journal *j;
	struct done_count dc = { .want = 1 };
	struct done_tag tag = { &dc, 0 };
	char *path = journal_day_path(journal_now_ms() / 1000), *text;

	(void)state;
	make_journal_dir();
	/* A writer killed mid-line: half an object and no newline. */
	write_file(path, "{\"t\":\"2026-12-03T10:00:00.000Z\",\"job\":\"11111111\",\"ev\":\"queued\"}\n"
	    "{\"t\":\"2026-12-03T10:00:01.000Z\",\"job\":\"11111111\",\"ev\":\"st", "w");
	collected_init(&c);
	assert_int_equal(journal_read(1, collect_each, collect_bad, &c, &err), 0);
	assert_int_equal(cJSON_GetArraySize(c.recs), 1);
	assert_int_equal(c.nbad, 1);
	assert_string_equal(c.bad_file, path);
	assert_int_equal(c.bad_line[0], 2);
	assert_non_null(strstr(c.bad_why[0], "torn"));
	cJSON_Delete(c.recs);

	/* The next writer ends the torn line first: its own record stays whole. */
	j = journal_open(loop, &err);
	assert_int_equal(journal_append(j, rec_new("22222222", "queued"), count_done, &tag), 0);
	assert_int_equal(loop_run_until(loop, &dc.all), 0);
	journal_free(j);
	collected_init(&c);
	assert_int_equal(journal_read(1, collect_each, collect_bad, &c, &err), 0);
	assert_int_equal(cJSON_GetArraySize(c.recs), 2);
	assert_string_equal(str_of(cJSON_GetArrayItem(c.recs, 1), "job"), "22222222");
	assert_int_equal(c.nbad, 1);
	assert_int_equal(c.bad_line[0], 2);
	cJSON_Delete(c.recs);
	text = read_whole(path);
	assert_non_null(strstr(text, "\"ev\":\"st\n{\"t\":\""));
	free(text);

	/* Two writers racing past a torn line: the whole record glued after it is still read. */
	write_file(path, "{\"t\":\"2026-12-03T10:00:02.000Z\",\"job\":\"33333333\",\"ev\":\"st"
	    "{\"t\":\"2026-12-03T10:00:03.000Z\",\"job\":\"44444444\",\"ev\":\"end\",\"x\":\"{\\\"t\\\":\\\"\"}\n", "a");
	collected_init(&c);
	assert_int_equal(journal_read(1, collect_each, collect_bad, &c, &err), 0);
	assert_int_equal(cJSON_GetArraySize(c.recs), 3);
	assert_string_equal(str_of(cJSON_GetArrayItem(c.recs, 2), "job"), "44444444");
	assert_int_equal(c.nbad, 2);
	assert_int_equal(c.bad_line[1], 4);
	cJSON_Delete(c.recs);
	free(path);
	loop_free(loop);
}

static void
test_garbage_lines(void **state)
{
	struct collected c;
	struct dlc_err err;
	char *path = journal_day_path(journal_now_ms() / 1000);

	(void)state;
	make_journal_dir();
	write_file(path, "hello\n"
	    "{\"t\":\"2026-12-03T10:00:00.000Z\",\"job\":\"11111111\",\"ev\":\"queued\"}\n"
	    "\n"
	    "[1,2,3]\n"
	    "{\"t\":\"x\"} trailing\n"
	    "\x01\x02\xff\n"
	    "{\"t\":\"2026-12-03T10:00:01.000Z\",\"job\":\"11111111\",\"ev\":\"end\"}\n", "w");
	collected_init(&c);
	assert_int_equal(journal_read(1, collect_each, collect_bad, &c, &err), 0);
	assert_int_equal(cJSON_GetArraySize(c.recs), 2);
	/* The blank line is not worth a warning; the others each are. */
	assert_int_equal(c.nbad, 4);
	assert_int_equal(c.bad_line[0], 1);
	assert_int_equal(c.bad_line[1], 4);
	assert_int_equal(c.bad_line[2], 5);
	assert_int_equal(c.bad_line[3], 6);
	cJSON_Delete(c.recs);
	free(path);
}

static void
test_day_rollover(void **state)
{
	struct loop *loop = loop_new();
	struct collected c;
	struct dlc_err err;
	struct journal *j;
	struct done_count dc = { .want = 2 };
	struct done_tag tag = { &dc, 0 };
	char *p1, *p2, *t1, *t2;

	(void)state;
	journal_set_now_for_tests(DAY_END_MS);
	j = journal_open(loop, &err);
	assert_int_equal(journal_append(j, rec_new("11111111", "step"), count_done, &tag), 0);
	journal_set_now_for_tests(DAY_END_MS + 200);
	assert_int_equal(journal_append(j, rec_new("11111111", "end"), count_done, &tag), 0);
	assert_int_equal(loop_run_until(loop, &dc.all), 0);
	journal_free(j);
	p1 = journal_day_path(DAY_END_MS / 1000);
	p2 = journal_day_path((DAY_END_MS + 200) / 1000);
	assert_non_null(strstr(p2, "2026-12-04.jsonl"));
	t1 = read_whole(p1);
	t2 = read_whole(p2);
	assert_non_null(strstr(t1, "\"ev\":\"step\""));
	assert_null(strstr(t1, "\"ev\":\"end\""));
	assert_non_null(strstr(t2, "2026-12-04T00:00:00.100Z"));
	assert_non_null(strstr(t2, "\"ev\":\"end\""));
	/* Two days read oldest first; one day is only today. */
	collected_init(&c);
	assert_int_equal(journal_read(2, collect_each, collect_bad, &c, &err), 0);
	assert_int_equal(cJSON_GetArraySize(c.recs), 2);
	assert_string_equal(str_of(cJSON_GetArrayItem(c.recs, 0), "ev"), "step");
	cJSON_Delete(c.recs);
	collected_init(&c);
	assert_int_equal(journal_read(1, collect_each, collect_bad, &c, &err), 0);
	assert_int_equal(cJSON_GetArraySize(c.recs), 1);
	assert_string_equal(str_of(cJSON_GetArrayItem(c.recs, 0), "ev"), "end");
	cJSON_Delete(c.recs);
	free(p1);
	free(p2);
	free(t1);
	free(t2);
	loop_free(loop);
}

static void
test_follow(void **state)
{
	struct loop *loop = loop_new();
	struct collected c;
	struct dlc_err err;
	struct journal *j;
	struct journal_follow *f;
	struct done_count dc = { .want = 1 };
	struct done_tag tag = { &dc, 0 };
	char *path, *path2;
	pid_t pid;
	int st;

	(void)state;
	journal_set_now_for_tests(DAY_END_MS - 60000);
	j = journal_open(loop, &err);
	/* Before the follower starts: not delivered. */
	assert_int_equal(journal_append(j, rec_new("00000000", "queued"), count_done, &tag), 0);
	assert_int_equal(loop_run_until(loop, &dc.all), 0);
	collected_init(&c);
	f = journal_follow_start(loop, collect_each, &c);
	/* Another process appends. */
	pid = fork();
	if (pid == 0)
		writer_child("aaaaaaaa", 3);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(WEXITSTATUS(st), 0);
	/* The timer delivers them (250 ms), without a poll from us. */
	while (cJSON_GetArraySize(c.recs) < 3)
		assert_int_equal(loop_run_once(loop), 0);
	assert_string_equal(str_of(cJSON_GetArrayItem(c.recs, 0), "job"), "aaaaaaaa");

	/* A line without its newline yet is held back until the rest comes. */
	path = journal_day_path(journal_now_ms() / 1000);
	write_file(path, "{\"t\":\"2026-12-03T23:59:00.000Z\",\"job\":\"bbbbbbbb\",", "a");
	journal_follow_poll(f);
	assert_int_equal(cJSON_GetArraySize(c.recs), 3);
	write_file(path, "\"ev\":\"step\"}\n", "a");
	journal_follow_poll(f);
	assert_int_equal(cJSON_GetArraySize(c.recs), 4);
	assert_string_equal(str_of(cJSON_GetArrayItem(c.recs, 3), "job"), "bbbbbbbb");

	/* Midnight: the new day's file is followed, and the old one still is. */
	journal_set_now_for_tests(DAY_END_MS + 1000);
	dc.all = 0;
	dc.want = 2;
	assert_int_equal(journal_append(j, rec_new("cccccccc", "end"), count_done, &tag), 0);
	assert_int_equal(loop_run_until(loop, &dc.all), 0);
	journal_follow_poll(f);
	assert_int_equal(cJSON_GetArraySize(c.recs), 5);
	assert_string_equal(str_of(cJSON_GetArrayItem(c.recs, 4), "job"), "cccccccc");
	path2 = journal_day_path(journal_now_ms() / 1000);
	assert_string_not_equal(path, path2);
	write_file(path, "{\"t\":\"2026-12-03T23:59:59.999Z\",\"job\":\"dddddddd\",\"ev\":\"step\"}\n", "a");
	journal_follow_poll(f);
	assert_int_equal(cJSON_GetArraySize(c.recs), 6);
	assert_string_equal(str_of(cJSON_GetArrayItem(c.recs, 5), "job"), "dddddddd");
	journal_follow_free(f);
	journal_free(j);
	cJSON_Delete(c.recs);
	free(path);
	free(path2);
	loop_free(loop);
}

static void
test_append_failure(void **state)
{
	struct loop *loop = loop_new();
	struct dlc_err err;
	struct journal *j;
	struct done_count dc = { .want = 1 };
	struct done_tag tag = { &dc, 0 };
	char *blocker;

	(void)state;
	/* The state folder is a plain file: the append fails, done still comes, with the error. */
	blocker = xasprintf("%s/dlc", testfs_root());
	write_file(blocker, "not a folder", "w");
	j = journal_open(loop, &err);
	assert_int_equal(journal_append(j, rec_new("11111111", "queued"), count_done, &tag), -1);
	assert_int_equal(loop_run_until(loop, &dc.all), 0);
	assert_int_equal(dc.errors, 1);
	assert_non_null(journal_error(j));
	assert_string_equal(journal_error(j)->code, "StateWriteFailed");
	journal_free(j);
	unlink(blocker);
	free(blocker);
	loop_free(loop);
}

static void
test_pid_start_and_ids(void **state)
{
	char id[JOURNAL_ID_LEN + 1], id2[JOURNAL_ID_LEN + 1];
	pid_t pid;
	int st, i;

	(void)state;
	assert_true(journal_pid_start(getpid()) > 0);
	pid = fork();
	if (pid == 0)
		_exit(0);
	/* Dead but not yet reaped (a zombie): gone too. */
	for (i = 0; i < 200; i++) {
		char path[64], buf[256], *p;
		FILE *f;

		snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
		f = fopen(path, "r");
		p = f != NULL && fgets(buf, sizeof buf, f) != NULL ?
		    strrchr(buf, ')') : NULL;
		if (f != NULL)
			fclose(f);
		if (p != NULL && p[1] == ' ' && p[2] == 'Z')
			break;
		usleep(10000);
	}
	assert_int_equal(journal_pid_start(pid), -1);
	waitpid(pid, &st, 0);
	assert_int_equal(journal_pid_start(pid), -1);
	journal_new_id(id);
	journal_new_id(id2);
	assert_int_equal(strlen(id), JOURNAL_ID_LEN);
	for (i = 0; i < JOURNAL_ID_LEN; i++)
		assert_non_null(strchr("0123456789abcdef", id[i]));
	assert_string_not_equal(id, id2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_append_and_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_last_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_day_rollover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pid_start_and_ids, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
