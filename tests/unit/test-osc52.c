/* Unit tests for src/osc52.c: the clipboard request's exact bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "osc52.h"

static void
test_text_travels_base64(void **state)
{
	char *s = osc52_sequence("mambu-to-s3-raw", 15);

	assert_string_equal(s, "\033]52;c;bWFtYnUtdG8tczMtcmF3\a");
	free(s);
}

/* An escape in a log line must not reach the terminal as one. */
static void
test_escapes_are_inert(void **state)
{
	char *s = osc52_sequence("\033]0;pwned\a", 10);

	assert_string_equal(s, "\033]52;c;G10wO3B3bmVkBw==\a");
	assert_null(strchr(s + 1, '\033'));
	assert_ptr_equal(strchr(s, '\a'), s + strlen(s) - 1);
	free(s);
}

static void
test_empty_and_limits(void **state)
{
	char *big = calloc(1, OSC52_MAX_TEXT + 1);
	char *s = osc52_sequence("", 0);

	assert_string_equal(s, "\033]52;c;\a");
	free(s);
	memset(big, 'a', OSC52_MAX_TEXT + 1);
	s = osc52_sequence(big, OSC52_MAX_TEXT);
	assert_non_null(s);
	assert_int_equal(strlen(s), 7 + (OSC52_MAX_TEXT + 2) / 3 * 4 + 1);
	free(s);
	assert_null(osc52_sequence(big, OSC52_MAX_TEXT + 1));
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_travels_base64),
		cmocka_unit_test(test_escapes_are_inert),
		cmocka_unit_test(test_empty_and_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
