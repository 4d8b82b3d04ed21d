/*
 * Unit tests for src/push-tty.c: a step's line ("LABEL STEP: state,
 * detail (N%)"), shown in a pipe as plain sanitised lines and on a
 * terminal as one line redrawn with \r, cut to the width and cleared
 * before a plain line. (Asking on /dev/tty is tested end to end, in
 * tmux and under setsid, by tests/e2e/test-push.sh.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "push-tty.h"

/* What was written to f since it was opened. */
static char *
written(FILE *f)
{
	long n;
	char *s;

	fflush(f);
	n = ftell(f);
	s = calloc(1, (size_t)n + 1);
	rewind(f);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	return s;
}

static void
test_format(void **state)
{
	struct push_step_info si;
	struct buf b;

	(void)state;
	memset(&si, 0, sizeof si);
	si.state = PUSH_RUNNING;
	snprintf(si.detail, sizeof si.detail, "uploading to s3://b/k");
	si.done = 25;
	si.total = 100;
	buf_init(&b, 0);
	push_tty_format(&b, "mambu", PUSH_STEP_UPLOAD, &si);
	assert_string_equal(b.data, "mambu upload: running, uploading to "
	    "s3://b/k (25%)");
	/* The waiter's done/total are polls, said in its detail: no percent. */
	buf_reset(&b);
	push_tty_format(&b, "mambu", PUSH_STEP_WAIT, &si);
	assert_null(strstr(b.data, "%"));
	buf_reset(&b);
	si.state = PUSH_DONE;
	si.detail[0] = '\0';
	push_tty_format(&b, "f", PUSH_STEP_VERIFY, &si);
	assert_string_equal(b.data, "f verify: done");
	buf_free(&b);
}

static void
test_pipe_lines(void **state)
{
	static const char evil[] = "LastUpdateStatusReason \033[31mred\033[0m\r";
	struct push_tty t;
	FILE *f = tmpfile();
	char *s;

	(void)state;
	assert_non_null(f);
	push_tty_init(&t, f);
	assert_false(t.is_tty);
	push_tty_show(&t, "one", 3, 1);	/* redraw asked, but a pipe: a line */
	push_tty_show(&t, evil, sizeof evil - 1, 0);
	s = written(f);
	/* No escape, no carriage return reaches the output. */
	assert_null(strchr(s, '\033'));
	assert_null(strchr(s, '\r'));
	assert_non_null(strstr(s, "one\nLastUpdateStatusReason "));
	assert_int_equal(s[strlen(s) - 1], '\n');
	free(s);
	fclose(f);
}

static void
test_terminal_redraw(void **state)
{
	struct push_tty t;
	FILE *f = tmpfile();
	char *s, *p, line[200];

	(void)state;
	push_tty_init(&t, f);
	t.is_tty = 1;		/* as on a terminal of 40 columns */
	t.width = 40;
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	push_tty_show(&t, "poll 1", 6, 1);
	push_tty_show(&t, line, strlen(line), 1);
	push_tty_show(&t, "wait: done", 10, 0);
	s = written(f);
	/*
	 * Each redraw starts at the line's start and fills width - 1
	 * columns, so a shorter line leaves nothing of a longer one.
	 */
	assert_int_equal(strncmp(s, "\rpoll 1 ", 8), 0);
	assert_int_equal(s[40], '\r');
	p = s + 41;
	/* The long one is cut: 38 x's and an ellipsis, then the clear. */
	assert_int_equal(strspn(p, "x"), 38);
	assert_int_equal(strncmp(p + 38, "\xe2\x80\xa6\r", 4), 0);
	/* A plain line first clears the progress line. */
	assert_non_null(strstr(s, "\r\033[K" "wait: done\n"));
	assert_false(t.drawn);
	free(s);
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_pipe_lines),
		cmocka_unit_test(test_terminal_redraw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
