/*
 * Unit tests for src/filehash.c: the digest is right, it is computed a
 * slice per loop turn (other events run in between), errors and cancel.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "filehash.h"
#include "hash.h"
#include "loop.h"

struct answer {
	int		 done;
	int		 calls;
	int		 failed;
	unsigned char	 digest[32];
	char		 message[1024];
};

static void
on_hash(const unsigned char *digest, const struct dlc_err *err, void *arg)
{
	struct answer *a = arg;

	a->done = 1;
	a->calls++;
	a->failed = digest == NULL;
	if (digest != NULL)
		memcpy(a->digest, digest, 32);
	else
		snprintf(a->message, sizeof a->message, "%s", err->message);
}

struct ticker {
	struct loop_timer	*t;
	int			 ticks;
};

static void
on_tick(void *arg)
{
	struct ticker *k = arg;

	k->ticks++;
	loop_timer_start(k->t, 0);
}

static int
pattern_fd(size_t n, unsigned char **data)
{
	char path[] = "/tmp/dlc-filehash.XXXXXX";
	int fd = mkstemp(path);
	size_t i;

	assert_true(fd >= 0);
	unlink(path);
	*data = malloc(n + 1);
	for (i = 0; i < n; i++)
		(*data)[i] = (unsigned char)(i * 31 + i / 997);
	assert_int_equal(write(fd, *data, n), (ssize_t)n);
	return fd;
}

static void
test_digest_in_slices_between_other_events(void **state)
{
	size_t n = 5 * FILEHASH_SLICE + 12345;
	unsigned char *data, want[32];
	struct loop *loop = loop_new();
	struct ticker k = { 0 };
	struct answer a = { 0 };
	int fd = pattern_fd(n, &data);

	k.t = loop_timer_new(loop, on_tick, &k);
	loop_timer_start(k.t, 0);
	/* From offset 100: the digest covers exactly the bytes asked for. */
	filehash_start(loop, fd, 100, n - 100, on_hash, &a);
	assert_int_equal(a.calls, 0);
	assert_int_equal(loop_run_until(loop, &a.done), 0);
	hash_sha256(data + 100, n - 100, want);
	assert_int_equal(a.calls, 1);
	assert_false(a.failed);
	assert_memory_equal(a.digest, want, 32);
	/* Six slices, and the other timer ran between them. */
	assert_true(k.ticks >= 5);
	loop_timer_free(k.t);
	loop_free(loop);
	close(fd);
	free(data);
}

static void
test_empty_and_short_files(void **state)
{
	unsigned char *data, want[32];
	struct loop *loop = loop_new();
	struct answer a = { 0 }, b = { 0 };
	int fd = pattern_fd(10, &data);

	filehash_start(loop, fd, 0, 0, on_hash, &a);
	assert_int_equal(loop_run_until(loop, &a.done), 0);
	hash_sha256("", 0, want);
	assert_false(a.failed);
	assert_memory_equal(a.digest, want, 32);

	filehash_start(loop, fd, 0, 11, on_hash, &b);
	assert_int_equal(loop_run_until(loop, &b.done), 0);
	assert_true(b.failed);
	assert_non_null(strstr(b.message, "shorter"));
	loop_free(loop);
	close(fd);
	free(data);
}

static void
test_cancel_never_calls_back(void **state)
{
	size_t n = 3 * FILEHASH_SLICE;
	unsigned char *data;
	struct loop *loop = loop_new();
	struct answer a = { 0 };
	struct filehash *fh;
	int fd = pattern_fd(n, &data), i;

	fh = filehash_start(loop, fd, 0, n, on_hash, &a);
	assert_int_equal(loop_run_once(loop), 0);
	filehash_cancel(fh);
	filehash_cancel(NULL);
	for (i = 0; i < 5; i++)
		(void)loop_run_once(loop);
	assert_int_equal(a.calls, 0);
	loop_free(loop);
	close(fd);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digest_in_slices_between_other_events),
		cmocka_unit_test(test_empty_and_short_files),
		cmocka_unit_test(test_cancel_never_calls_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
