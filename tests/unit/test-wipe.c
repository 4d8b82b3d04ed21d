/* The wiping helpers: what they leave behind is zeroes, not the secret. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wipe.h"
#include "xmalloc.h"

static int
all_zero(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != '\0')
			return 0;
	return 1;
}

static void
test_wipe_str(void **state)
{
	char *s = xstrdup("aoaSECRETTOKEN");

	(void)state;
	wipe_str(s);
	assert_true(all_zero(s, 14));
	wipe_str(NULL);
	free(s);
}

static void
test_wipe_free_and_replace(void **state)
{
	char *s = xstrdup("aorREFRESH");
	char *t = NULL;

	(void)state;
	wipe_free(&s);
	assert_null(s);
	wipe_free(&s);			/* NULL: a no-op */
	wipe_replace(&t, "first");
	assert_string_equal(t, "first");
	wipe_replace(&t, "second");
	assert_string_equal(t, "second");
	wipe_replace(&t, NULL);
	assert_null(t);
}

/* The whole allocation is wiped, also what a reset left past len. */
static void
test_wipe_buf(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	wipe_buf(&b);			/* empty: a no-op */
	buf_puts(&b, "{\"accessToken\":\"aoaSECRET\",\"refreshToken\":\"aorSECRET\"}");
	buf_reset(&b);
	buf_puts(&b, "short");
	assert_true(b.cap > 20);
	wipe_buf(&b);
	assert_int_equal(b.len, 0);
	assert_non_null(b.data);
	assert_true(all_zero(b.data, b.cap));
	buf_puts(&b, "again");
	wipe_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.cap, 0);
	wipe_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wipe_str),
		cmocka_unit_test(test_wipe_free_and_replace),
		cmocka_unit_test(test_wipe_buf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
