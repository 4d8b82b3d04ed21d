/* Unit tests for src/buf.c: growth, the ceiling, detaching. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"

static void
test_append_grows_and_terminates(void **state)
{
	struct buf b;
	int i;

	buf_init(&b, 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(b.len, 3000);
	assert_int_equal(b.data[3000], '\0');
	assert_memory_equal(b.data + 2997, "abc", 3);
	buf_free(&b);
}

static void
test_ceiling_refuses_and_keeps_data(void **state)
{
	struct buf b;

	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "0123456789"), 0);
	assert_int_equal(buf_putc(&b, 'x'), -1);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "0123456789");
	buf_free(&b);
}

static void
test_printf_and_detach(void **state)
{
	struct buf b;
	size_t len;
	char *s;

	buf_init(&b, 0);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "x"), 0);
	s = buf_detach(&b, &len);
	assert_string_equal(s, "42-x");
	assert_int_equal(len, 4);
	assert_null(b.data);
	free(s);
	s = buf_detach(&b, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
}

/* Formatting near the ceiling: exactly what fits succeeds, more appends nothing. */
static void
test_printf_at_the_ceiling(void **state)
{
	struct buf b;

	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_int_equal(buf_printf(&b, "%s", "abc"), -1);
	assert_string_equal(b.data, "12345678");
	assert_int_equal(b.len, 8);
	assert_int_equal(buf_printf(&b, "\\u%02x", 1), -1);
	assert_int_equal(buf_printf(&b, "%s", "ab"), 0);
	assert_string_equal(b.data, "12345678ab");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_grows_and_terminates),
		cmocka_unit_test(test_ceiling_refuses_and_keeps_data),
		cmocka_unit_test(test_printf_and_detach),
		cmocka_unit_test(test_printf_at_the_ceiling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
