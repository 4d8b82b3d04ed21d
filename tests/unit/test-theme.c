/* Unit tests for src/theme.c: the style grammar, errors, inheritance and
 * the shipped themes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "theme.h"
#include "xmalloc.h"

static char *
themes_dir(void)
{
	const char *src = getenv("DLC_SRCDIR");

	return xasprintf("%s/themes", src ? src : ".");
}

static int
parse(const char *text, struct theme *t, struct dlc_err *err)
{
	memset(err, 0, sizeof(*err));
	return theme_parse(text, strlen(text), "themes/t.ini", t, err);
}

static void
test_role_names_round_trip(void **state)
{
	int r;

	for (r = 0; r < ROLE_COUNT; r++) {
		const char *n = theme_role_name((enum theme_role)r);
		assert_non_null(n);
		assert_int_equal(theme_role_from_name(n), r);
	}
	assert_string_equal(theme_role_name(ROLE_COLUMN_HEADER),
	    "column-header");
	assert_string_equal(theme_role_name(ROLE_ENV_DENY), "env-deny");
	assert_string_equal(theme_role_name(ROLE_COMMAND), "command");
	assert_null(theme_role_name(ROLE_COUNT));
	assert_int_equal(theme_role_from_name("nope"), -1);
	assert_int_equal(theme_role_from_name("Normal"), -1);
}

static void
test_colour_forms(void **state)
{
	assert_int_equal(theme_parse_color("default"), THEME_DEFAULT_COLOR);
	assert_int_equal(theme_parse_color("black"), 0);
	assert_int_equal(theme_parse_color("red"), 1);
	assert_int_equal(theme_parse_color("white"), 7);
	assert_int_equal(theme_parse_color("bright-black"), 8);
	assert_int_equal(theme_parse_color("bright-cyan"), 14);
	assert_int_equal(theme_parse_color("bright-white"), 15);
	assert_int_equal(theme_parse_color("0"), 0);
	assert_int_equal(theme_parse_color("208"), 208);
	assert_int_equal(theme_parse_color("255"), 255);
	assert_int_equal(theme_parse_color("256"), -2);
	assert_int_equal(theme_parse_color("-1"), -2);
	assert_int_equal(theme_parse_color("12x"), -2);
	assert_int_equal(theme_parse_color("bright-default"), -2);
	assert_int_equal(theme_parse_color("bright-208"), -2);
	assert_int_equal(theme_parse_color("purple"), -2);
	assert_int_equal(theme_parse_color("#ff0000"), 196);
	assert_int_equal(theme_parse_color("#FFD75F"), 221);
	assert_int_equal(theme_parse_color("#000000"), 16);
	assert_int_equal(theme_parse_color("#ffffff"), 231);
	assert_int_equal(theme_parse_color("#ff00"), -2);
	assert_int_equal(theme_parse_color("#gg0000"), -2);
}

static void
test_rgb_mapping(void **state)
{
	/* Exact cube points. */
	assert_int_equal(theme_rgb_to_256(0, 0, 0), 16);
	assert_int_equal(theme_rgb_to_256(255, 255, 255), 231);
	assert_int_equal(theme_rgb_to_256(95, 135, 175), 16 + 36 + 12 + 3);
	assert_int_equal(theme_rgb_to_256(255, 135, 0), 208);
	/* Near a cube point. */
	assert_int_equal(theme_rgb_to_256(250, 5, 3), 196);
	/* Greys between cube levels go to the ramp. */
	assert_int_equal(theme_rgb_to_256(128, 128, 128), 244);
	assert_int_equal(theme_rgb_to_256(8, 8, 8), 232);
	assert_int_equal(theme_rgb_to_256(238, 238, 238), 255);
	assert_int_equal(theme_rgb_to_256(48, 48, 48), 236);
}

static void
test_style_grammar(void **state)
{
	struct theme_style st;
	char msg[256];

	assert_int_equal(theme_parse_style("red", &st, msg, sizeof(msg)), 0);
	assert_int_equal(st.fg, 1);
	assert_int_equal(st.bg, THEME_DEFAULT_COLOR);
	assert_int_equal(st.attrs, 0);

	assert_int_equal(theme_parse_style("  bright-white   on blue bold  ",
	    &st, msg, sizeof(msg)), 0);
	assert_int_equal(st.fg, 15);
	assert_int_equal(st.bg, 4);
	assert_int_equal(st.attrs, THEME_BOLD);

	assert_int_equal(theme_parse_style("default on 236 bold reverse "
	    "underline dim italic", &st, msg, sizeof(msg)), 0);
	assert_int_equal(st.fg, THEME_DEFAULT_COLOR);
	assert_int_equal(st.bg, 236);
	assert_int_equal(st.attrs, THEME_BOLD | THEME_REVERSE |
	    THEME_UNDERLINE | THEME_DIM | THEME_ITALIC);

	assert_int_equal(theme_parse_style("#5f87af underline", &st, msg,
	    sizeof(msg)), 0);
	assert_int_equal(st.fg, 67);
	assert_int_equal(st.attrs, THEME_UNDERLINE);

	/* Attributes alone: the terminal's colours. */
	assert_int_equal(theme_parse_style("reverse bold", &st, msg,
	    sizeof(msg)), 0);
	assert_int_equal(st.fg, THEME_DEFAULT_COLOR);
	assert_int_equal(st.attrs, THEME_REVERSE | THEME_BOLD);

	assert_int_equal(theme_parse_style("red on", &st, msg, sizeof(msg)),
	    -1);
	assert_non_null(strstr(msg, "on"));
	assert_int_equal(theme_parse_style("red on mauve", &st, msg,
	    sizeof(msg)), -1);
	assert_non_null(strstr(msg, "mauve"));
	assert_int_equal(theme_parse_style("red blink", &st, msg,
	    sizeof(msg)), -1);
	assert_non_null(strstr(msg, "blink"));
	assert_int_equal(theme_parse_style("", &st, msg, sizeof(msg)), -1);
	assert_int_equal(theme_parse_style("red green", &st, msg,
	    sizeof(msg)), -1);
}

static void
test_inherit_from_normal(void **state)
{
	struct theme t;
	struct dlc_err err;

	assert_int_equal(parse("[theme]\ndescription = Test one\n[roles]\n"
	    "normal = white on 235\nselected = black on cyan\n", &t, &err), 0);
	assert_string_equal(t.name, "t");
	assert_string_equal(t.description, "Test one");
	assert_int_equal(t.role[ROLE_NORMAL].fg, 7);
	assert_int_equal(t.role[ROLE_NORMAL].bg, 235);
	assert_int_equal(t.role[ROLE_SELECTED].fg, 0);
	assert_int_equal(t.role[ROLE_SELECTED].bg, 6);
	/* Not set: a copy of normal, wherever normal appears in the file. */
	assert_int_equal(t.role[ROLE_ENV_DENY].fg, 7);
	assert_int_equal(t.role[ROLE_ENV_DENY].bg, 235);
	assert_int_equal(t.role[ROLE_LOG_DEBUG].bg, 235);
	theme_clear(&t);

	assert_int_equal(parse("[roles]\nmatch = bold\nnormal = red\n", &t,
	    &err), 0);
	assert_int_equal(t.role[ROLE_TITLE].fg, 1);
	assert_int_equal(t.role[ROLE_MATCH].attrs, THEME_BOLD);
	assert_int_equal(t.role[ROLE_MATCH].fg, THEME_DEFAULT_COLOR);
	assert_string_equal(t.description, "");
	theme_clear(&t);

	/* An empty file: everything the terminal's own. */
	assert_int_equal(parse("", &t, &err), 0);
	assert_int_equal(t.role[ROLE_NORMAL].fg, THEME_DEFAULT_COLOR);
	assert_int_equal(t.role[ROLE_HEADER].bg, THEME_DEFAULT_COLOR);
	assert_int_equal(t.role[ROLE_HEADER].attrs, 0);
	theme_clear(&t);
	theme_clear(NULL);
}

static void
assert_error_at(const char *text, const char *line, const char *word)
{
	struct theme t;
	struct dlc_err err;

	assert_int_equal(parse(text, &t, &err), -1);
	assert_non_null(strstr(err.message, "themes/t.ini"));
	assert_non_null(strstr(err.message, line));
	assert_non_null(strstr(err.message, word));
	assert_true(err.fix[0] != '\0');
	assert_null(t.name);
}

static void
test_errors_name_file_and_line(void **state)
{
	assert_error_at("[roles]\nnormal = red\n\nselectd = blue\n",
	    "line 4", "selectd");
	assert_error_at("[roles]\nnormal = red\ntitle = purple\n", "line 3",
	    "purple");
	assert_error_at("[roles]\nhint-key = red blink\n", "line 2", "blink");
	assert_error_at("; x\n[theme]\ncolour = red\n", "line 3", "colour");
	assert_error_at("[theme]\n[colours]\nnormal = red\n", "line 2",
	    "colours");
	assert_error_at("[roles]\nnormal = #12345\n", "line 2", "#12345");
}

static void
assert_same_theme(const struct theme *a, const struct theme *b)
{
	int r;

	for (r = 0; r < ROLE_COUNT; r++) {
		assert_int_equal(a->role[r].fg, b->role[r].fg);
		assert_int_equal(a->role[r].bg, b->role[r].bg);
		assert_int_equal(a->role[r].attrs, b->role[r].attrs);
	}
	assert_string_equal(a->description, b->description);
}

static int
same_style(const struct theme_style *a, const struct theme_style *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->attrs == b->attrs;
}

static void
test_shipped_themes(void **state)
{
	static const char *const names[] = {
		"default", "light", "high-contrast", "mono"
	};
	char *dir = themes_dir();
	size_t i;

	for (i = 0; i < 4; i++) {
		struct theme t;
		struct dlc_err err = { 0 };
		int r, nondefault = 0;

		if (theme_load(dir, names[i], &t, &err) != 0)
			fail_msg("%s: %s", names[i], err.message);
		assert_string_equal(t.name, names[i]);
		assert_true(t.description[0] != '\0');
		assert_false(same_style(&t.role[ROLE_SELECTED],
		    &t.role[ROLE_NORMAL]));
		assert_false(same_style(&t.role[ROLE_HEADER],
		    &t.role[ROLE_NORMAL]));
		/* Deny and confirm must show without colour. */
		assert_int_not_equal(t.role[ROLE_ENV_DENY].attrs,
		    t.role[ROLE_ENV_ALLOW].attrs);
		assert_int_not_equal(t.role[ROLE_ENV_CONFIRM].attrs,
		    t.role[ROLE_ENV_ALLOW].attrs);
		assert_int_not_equal(t.role[ROLE_ENV_CONFIRM].attrs,
		    t.role[ROLE_ENV_DENY].attrs);
		if (strcmp(names[i], "mono") == 0)
			assert_true(t.role[ROLE_SELECTED].attrs &
			    (THEME_REVERSE | THEME_BOLD | THEME_UNDERLINE));
		/* Every role is written out, none left to inheritance. */
		for (r = 0; r < ROLE_COUNT; r++)
			if (t.role[r].fg != THEME_DEFAULT_COLOR ||
			    t.role[r].bg != THEME_DEFAULT_COLOR)
				nondefault++;
		if (strcmp(names[i], "mono") == 0)
			assert_int_equal(nondefault, 0);
		else
			assert_true(nondefault > ROLE_COUNT / 2);
		theme_clear(&t);
	}
	free(dir);
}

static void
test_shipped_files_set_every_role(void **state)
{
	static const char *const names[] = {
		"default", "light", "high-contrast", "mono"
	};
	char *dir = themes_dir();
	size_t i;

	for (i = 0; i < 4; i++) {
		char *path = xasprintf("%s/%s.ini", dir, names[i]);
		FILE *f = fopen(path, "r");
		char line[512];
		int seen[ROLE_COUNT] = { 0 }, r;

		assert_non_null(f);
		while (fgets(line, sizeof(line), f) != NULL) {
			char *eq = strchr(line, '=');
			if (eq == NULL || line[0] == ';')
				continue;
			while (eq > line && eq[-1] == ' ')
				eq--;
			*eq = '\0';
			r = theme_role_from_name(line);
			if (r >= 0)
				seen[r]++;
		}
		fclose(f);
		for (r = 0; r < ROLE_COUNT; r++)
			if (seen[r] != 1)
				fail_msg("%s: role %s set %d times", names[i],
				    theme_role_name((enum theme_role)r), seen[r]);
		free(path);
	}
	free(dir);
}

static void
test_builtins_match_files(void **state)
{
	char *dir = themes_dir();
	struct theme file, built;
	struct dlc_err err = { 0 };

	assert_int_equal(theme_load(dir, "default", &file, &err), 0);
	theme_builtin(&built);
	assert_same_theme(&file, &built);
	assert_string_equal(built.name, "default");
	theme_clear(&file);
	theme_clear(&built);

	assert_int_equal(theme_load(dir, "mono", &file, &err), 0);
	theme_builtin_mono(&built);
	assert_same_theme(&file, &built);
	theme_clear(&file);
	theme_clear(&built);

	/* By name: what stands in for a missing or broken file. */
	assert_int_equal(theme_load(dir, "mono", &file, &err), 0);
	assert_int_equal(theme_builtin_named("mono", &built), 0);
	assert_same_theme(&file, &built);
	theme_clear(&file);
	theme_clear(&built);
	assert_int_equal(theme_builtin_named("default", &built), 0);
	assert_string_equal(built.name, "default");
	theme_clear(&built);
	assert_int_equal(theme_builtin_named("light", &built), -1);
	assert_int_equal(theme_builtin_named(NULL, &built), -1);
	free(dir);
}

static void
test_load_errors(void **state)
{
	char *dir = themes_dir();
	struct theme t;
	struct dlc_err err = { 0 };

	assert_int_equal(theme_load(dir, "no-such-theme", &t, &err), -1);
	assert_string_equal(err.code, "ENOENT");
	assert_non_null(strstr(err.message, "no-such-theme"));
	assert_int_equal(theme_load(dir, "../themes/default", &t, &err), -1);
	assert_int_equal(theme_load(dir, ".hidden", &t, &err), -1);
	assert_int_equal(theme_load(dir, "", &t, &err), -1);
	free(dir);
}

static void
test_list_and_dir(void **state)
{
	char tmpl[] = "/tmp/dlc-theme-XXXXXX";
	char *dir = mkdtemp(tmpl), *p, *themes, *d;
	char **names;
	size_t n;
	const char *files[] = { "zeta.ini", "alpha.ini", ".dot.ini",
	    "notes.txt", "b.ini" };
	size_t i;

	assert_non_null(dir);
	themes = xasprintf("%s/themes", dir);
	assert_int_equal(mkdir(themes, 0700), 0);
	for (i = 0; i < 5; i++) {
		FILE *f;
		p = xasprintf("%s/%s", themes, files[i]);
		f = fopen(p, "w");
		assert_non_null(f);
		fclose(f);
		free(p);
	}
	assert_int_equal(theme_list(themes, &names, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "alpha");
	assert_string_equal(names[1], "b");
	assert_string_equal(names[2], "zeta");
	theme_list_free(names, n);
	theme_list_free(NULL, 0);
	assert_int_equal(theme_list("/nonexistent/dlc", &names, &n), -1);

	/* The built-in ones are always there to switch to, each once. */
	theme_list_all(themes, &names, &n);
	assert_int_equal(n, 5);
	assert_string_equal(names[0], "alpha");
	assert_string_equal(names[2], "default");
	assert_string_equal(names[3], "mono");
	assert_string_equal(names[4], "zeta");
	theme_list_free(names, n);
	theme_list_all("/nonexistent/dlc", &names, &n);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "default");
	assert_string_equal(names[1], "mono");
	theme_list_free(names, n);
	p = xasprintf("%s/mono.ini", themes);
	fclose(fopen(p, "w"));
	free(p);
	theme_list_all(themes, &names, &n);
	assert_int_equal(n, 5);
	assert_string_equal(names[3], "mono");
	theme_list_free(names, n);

	unsetenv("DLC_THEMES_DIR");
	d = theme_dir_default(dir);
	assert_string_equal(d, themes);
	free(d);
	d = theme_dir_default("/nonexistent/dlc");
	assert_string_equal(d, DLC_THEMES_DIR_INSTALLED);
	free(d);
	d = theme_dir_default(NULL);
	assert_string_equal(d, DLC_THEMES_DIR_INSTALLED);
	free(d);
	setenv("DLC_THEMES_DIR", "/from/env", 1);
	d = theme_dir_default(dir);
	assert_string_equal(d, "/from/env");
	free(d);
	setenv("DLC_THEMES_DIR", "", 1);
	d = theme_dir_default(dir);
	assert_string_equal(d, themes);
	free(d);
	unsetenv("DLC_THEMES_DIR");

	for (i = 0; i < 5; i++) {
		p = xasprintf("%s/%s", themes, files[i]);
		unlink(p);
		free(p);
	}
	p = xasprintf("%s/mono.ini", themes);
	unlink(p);
	free(p);
	rmdir(themes);
	rmdir(dir);
	free(themes);
}

/* The man page documents exactly the roles the code has (STYLE 12). */
static void
test_man_page_lists_every_role(void **state)
{
	const char *src = getenv("DLC_SRCDIR");
	char *path = xasprintf("%s/man/dlc-theme.5", src ? src : ".");
	FILE *f = fopen(path, "r");
	char line[256], prev[256] = "";
	int in_roles = 0, seen[ROLE_COUNT] = { 0 }, r, listed = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".SH ", 4) == 0)
			in_roles = strcmp(line, ".SH ROLES") == 0;
		else if (in_roles && strcmp(prev, ".TP") == 0 &&
		    strncmp(line, ".B ", 3) == 0) {
			r = theme_role_from_name(line + 3);
			if (r < 0)
				fail_msg("man page documents unknown role %s",
				    line + 3);
			seen[r]++;
			listed++;
		}
		memcpy(prev, line, sizeof(prev));
	}
	fclose(f);
	free(path);
	for (r = 0; r < ROLE_COUNT; r++)
		if (seen[r] != 1)
			fail_msg("role %s documented %d times",
			    theme_role_name((enum theme_role)r), seen[r]);
	assert_int_equal(listed, ROLE_COUNT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_role_names_round_trip),
		cmocka_unit_test(test_colour_forms),
		cmocka_unit_test(test_rgb_mapping),
		cmocka_unit_test(test_style_grammar),
		cmocka_unit_test(test_inherit_from_normal),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_shipped_themes),
		cmocka_unit_test(test_shipped_files_set_every_role),
		cmocka_unit_test(test_builtins_match_files),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_list_and_dir),
		cmocka_unit_test(test_man_page_lists_every_role),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
