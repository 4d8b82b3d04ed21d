/* Unit tests for ui/colors.c: colour downgrades, and the pairs and
 * attributes set up on real terminal descriptions (output to /dev/null). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <curses.h>

#include "colors.h"
#include "theme.h"

static void
test_downgrade(void **state)
{
	/* Default stays default; within range stays itself. */
	assert_int_equal(colors_downgrade(THEME_DEFAULT_COLOR, 256),
	    THEME_DEFAULT_COLOR);
	assert_int_equal(colors_downgrade(THEME_DEFAULT_COLOR, 8),
	    THEME_DEFAULT_COLOR);
	assert_int_equal(colors_downgrade(208, 256), 208);
	assert_int_equal(colors_downgrade(12, 16), 12);
	assert_int_equal(colors_downgrade(3, 8), 3);
	/* 256 -> 16: nearest. */
	assert_int_equal(colors_downgrade(196, 16), 9);	/* ff0000 */
	assert_int_equal(colors_downgrade(46, 16), 10);	/* 00ff00 */
	assert_int_equal(colors_downgrade(231, 16), 15);	/* white */
	assert_int_equal(colors_downgrade(16, 16), 0);	/* black */
	assert_int_equal(colors_downgrade(232, 16), 0);	/* near black */
	assert_int_equal(colors_downgrade(244, 16), 8);	/* mid grey */
	assert_int_equal(colors_downgrade(160, 16), 1);	/* d70000 */
	assert_int_equal(colors_downgrade(21, 16), 4);	/* 0000ff */
	assert_int_equal(colors_downgrade(63, 16), 12);	/* 5f5fff */
	/* 16 -> 8 and 256 -> 8: the plain colour. */
	assert_int_equal(colors_downgrade(9, 8), 1);
	assert_int_equal(colors_downgrade(15, 8), 7);
	assert_int_equal(colors_downgrade(196, 8), 1);
	assert_int_equal(colors_downgrade(160, 8), 1);
	assert_int_equal(colors_downgrade(252, 8), 7);
	/* 88 colours: treated as 16 beyond its range. */
	assert_int_equal(colors_downgrade(196, 88), 9);
	/* No usable colours. */
	assert_int_equal(colors_downgrade(3, 2), THEME_DEFAULT_COLOR);
	assert_int_equal(colors_downgrade(300, 256), THEME_DEFAULT_COLOR);
}

static void
test_bright_needs_bold_on_eight(void **state)
{
	assert_true(colors_needs_bold(9, 8));
	assert_true(colors_needs_bold(15, 8));
	assert_true(colors_needs_bold(196, 8));
	assert_false(colors_needs_bold(1, 8));
	assert_false(colors_needs_bold(160, 8));
	assert_false(colors_needs_bold(9, 16));
	assert_false(colors_needs_bold(9, 256));
	assert_false(colors_needs_bold(THEME_DEFAULT_COLOR, 8));
}

static void
test_theme_attrs(void **state)
{
	assert_int_equal(colors_theme_attrs(0), A_NORMAL);
	assert_int_equal(colors_theme_attrs(THEME_BOLD | THEME_REVERSE),
	    A_BOLD | A_REVERSE);
	assert_int_equal(colors_theme_attrs(THEME_UNDERLINE | THEME_DIM),
	    A_UNDERLINE | A_DIM);
}

/* A screen on a named terminal type, drawing into /dev/null. */
static SCREEN *
open_term(const char *type, FILE **out, FILE **in)
{
	SCREEN *s;

	*out = fopen("/dev/null", "w");
	*in = fopen("/dev/null", "r");
	assert_non_null(*out);
	assert_non_null(*in);
	s = newterm(type, *out, *in);
	if (s == NULL)
		fail_msg("no terminfo entry for %s", type);
	set_term(s);
	return s;
}

static void
close_term(SCREEN *s, FILE *out, FILE *in)
{
	endwin();
	delscreen(s);
	fclose(out);
	fclose(in);
}

static void
pair_of(enum theme_role r, short *fg, short *bg)
{
	short pair = (short)PAIR_NUMBER(colors_attr(r));

	assert_true(pair > 0);
	assert_int_equal(pair_content(pair, fg, bg), OK);
}

static void
test_init_on_256_colours(void **state)
{
	FILE *out, *in;
	SCREEN *s = open_term("xterm-256color", &out, &in);
	static const char text[] = "[roles]\nselected = black on cyan\n"
	    "header = bright-white on 24 bold\nmatch = #ff8700 underline\n";
	struct theme t;
	struct dlc_err err = { 0 };
	short fg, bg;

	assert_int_equal(theme_parse(text, strlen(text), "t.ini", &t, &err),
	    0);
	colors_init(&t, 0);
	pair_of(ROLE_SELECTED, &fg, &bg);
	assert_int_equal(fg, 0);
	assert_int_equal(bg, 6);
	pair_of(ROLE_HEADER, &fg, &bg);
	assert_int_equal(fg, 15);
	assert_int_equal(bg, 24);
	assert_true(colors_attr(ROLE_HEADER) & A_BOLD);
	pair_of(ROLE_MATCH, &fg, &bg);
	assert_int_equal(fg, 208);
	assert_int_equal(bg, -1);	/* the terminal's own */
	assert_true(colors_attr(ROLE_MATCH) & A_UNDERLINE);
	assert_false(colors_attr(ROLE_SELECTED) & A_REVERSE);
	/* Switching theme re-colours the same roles. */
	theme_clear(&t);
	theme_builtin_mono(&t);
	colors_apply_theme(&t);
	assert_true(colors_attr(ROLE_SELECTED) & A_REVERSE);
	pair_of(ROLE_SELECTED, &fg, &bg);
	assert_int_equal(fg, -1);
	assert_int_equal(bg, -1);
	assert_int_equal(colors_attr(ROLE_COUNT), A_NORMAL);
	theme_clear(&t);
	close_term(s, out, in);
}

static void
test_init_on_eight_colours(void **state)
{
	FILE *out, *in;
	SCREEN *s = open_term("xterm", &out, &in);
	struct theme t;
	short fg, bg;

	theme_builtin(&t);
	colors_init(&t, 0);
	assert_int_equal(COLORS, 8);
	/* default.ini: header = bright-white on blue bold. */
	pair_of(ROLE_HEADER, &fg, &bg);
	assert_int_equal(fg, 7);
	assert_int_equal(bg, 4);
	/* hint-text = white: plain, no bold added. */
	assert_false(colors_attr(ROLE_HINT_TEXT) & A_BOLD);
	/* dim = bright-black: black plus bold to stay visible. */
	pair_of(ROLE_DIM, &fg, &bg);
	assert_int_equal(fg, 0);
	assert_true(colors_attr(ROLE_DIM) & A_BOLD);
	theme_clear(&t);
	close_term(s, out, in);
}

static void
test_no_color_uses_attributes(void **state)
{
	FILE *out, *in;
	SCREEN *s = open_term("xterm-256color", &out, &in);
	struct theme t;
	int r;

	theme_builtin(&t);
	colors_init(&t, 1);
	for (r = 0; r < ROLE_COUNT; r++)
		assert_int_equal(PAIR_NUMBER(colors_attr((enum theme_role)r)),
		    0);
	/* default.ini's selected is colour only: mono's reverse shows it. */
	assert_true(colors_attr(ROLE_SELECTED) & A_REVERSE);
	assert_true(colors_attr(ROLE_ENV_DENY) & A_REVERSE);
	assert_true(colors_attr(ROLE_ENV_CONFIRM) & A_UNDERLINE);
	assert_int_not_equal(colors_attr(ROLE_ENV_DENY),
	    colors_attr(ROLE_ENV_ALLOW));
	assert_int_equal(colors_attr(ROLE_NORMAL), A_NORMAL);
	theme_clear(&t);
	close_term(s, out, in);

	/* A terminal without colours behaves the same without NO_COLOR. */
	s = open_term("xterm-mono", &out, &in);
	theme_builtin(&t);
	colors_init(&t, 0);
	assert_int_equal(PAIR_NUMBER(colors_attr(ROLE_SELECTED)), 0);
	assert_true(colors_attr(ROLE_SELECTED) & A_REVERSE);
	theme_clear(&t);
	close_term(s, out, in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_downgrade),
		cmocka_unit_test(test_bright_needs_bold_on_eight),
		cmocka_unit_test(test_theme_attrs),
		cmocka_unit_test(test_init_on_256_colours),
		cmocka_unit_test(test_init_on_eight_colours),
		cmocka_unit_test(test_no_color_uses_attributes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
