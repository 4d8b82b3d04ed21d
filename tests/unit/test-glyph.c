/* Unit tests for ui/glyph.c: the locale decides, and the ASCII forms keep
 * the fitted width. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "glyph.h"
#include "sanitize.h"

/* What one of the two passes makes of s, as a string. */
static char *
pass(void (*fn)(struct buf *, const char *, size_t), const char *s)
{
	static char out[256];
	struct buf b;

	buf_init(&b, 0);
	fn(&b, s, strlen(s));
	snprintf(out, sizeof out, "%.*s", (int)b.len, b.data != NULL ? b.data : "");
	buf_free(&b);
	return out;
}

#define text(s)		pass(glyph_ascii_text, (s))
#define fitted(s)	pass(glyph_ascii_fitted, (s))

static void
test_locale_decides(void **state)
{
	if (setlocale(LC_ALL, "C") != NULL) {
		glyph_init();
		assert_true(glyph_ascii());
	}
	if (setlocale(LC_ALL, "C.UTF-8") != NULL) {
		glyph_init();
		assert_false(glyph_ascii());
	}
	glyph_set_ascii(1);
	assert_true(glyph_ascii());
	glyph_set_ascii(0);
	assert_false(glyph_ascii());
	setlocale(LC_ALL, "C");
}

static void
test_every_console_glyph(void **state)
{
	assert_string_equal(text(" account 1 │ eu-west-1 │ creds ok "), " account 1 | eu-west-1 | creds ok ");
	assert_string_equal(text("ENV↑"), "ENV^");
	assert_string_equal(text("ENV↓"), "ENVv");
	assert_string_equal(text("▸ 12.00 ms"), "> 12.00 ms");
	assert_string_equal(text("••••••"), "******");
	assert_string_equal(text("throttled 3×"), "throttled 3x");
	assert_string_equal(text(" — 4 new"), " - 4 new");
	assert_string_equal(text("loading…"), "loading...");
	assert_string_equal(text("──"), "--");
}

static void
test_other_text_left_to_the_sanitiser(void **state)
{
	/* Invalid bytes and controls stay for sanitize to judge. */
	assert_string_equal(text("a\xff\x1b[2Jb"), "a\xff\x1b[2Jb");
	assert_string_equal(text("宽字"), "宽字");
	assert_string_equal(text(""), "");
}

static void
test_fitted_keeps_width(void **state)
{
	const char *in = "datalake-alpha-mam…│宽é\xef\xbf\xbd▸";
	const char *out = fitted(in);
	size_t i;

	assert_string_equal(out, "datalake-alpha-mam~|???\?>");
	assert_int_equal(strlen(out), sanitize_width(in, strlen(in)));
	for (i = 0; out[i] != '\0'; i++)
		assert_true((unsigned char)out[i] < 0x80);
	/* A zero-width combining mark takes no column. */
	assert_string_equal(fitted("e\xcc\x81"), "e");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locale_decides),
		cmocka_unit_test(test_every_console_glyph),
		cmocka_unit_test(test_other_text_left_to_the_sanitiser),
		cmocka_unit_test(test_fitted_keeps_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
