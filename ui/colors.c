/* Curses colour pairs and attributes for each theme role. */
#include <curses.h>
#include <limits.h>

#include "colors.h"

/* xterm's 16 colours, the reference the nearest-colour search uses. */
static const unsigned char ansi_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

static const int cube_levels[6] = { 0, 95, 135, 175, 215, 255 };

static void
rgb_of(int c, int rgb[3])
{
	int i;

	if (c < 16) {
		for (i = 0; i < 3; i++)
			rgb[i] = ansi_rgb[c][i];
	} else if (c < 232) {
		c -= 16;
		rgb[0] = cube_levels[c / 36];
		rgb[1] = cube_levels[(c / 6) % 6];
		rgb[2] = cube_levels[c % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

static int
nearest16(int c)
{
	int rgb[3], i, best = 0;
	long bestd = LONG_MAX;

	rgb_of(c, rgb);
	for (i = 0; i < 16; i++) {
		long dr = rgb[0] - ansi_rgb[i][0];
		long dg = rgb[1] - ansi_rgb[i][1];
		long db = rgb[2] - ansi_rgb[i][2];
		long d = dr * dr + dg * dg + db * db;
		if (d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

int
colors_downgrade(int color, int ncolors)
{
	int c16;

	if (color < 0 || color > 255 || ncolors < 8)
		return THEME_DEFAULT_COLOR;
	if (color < ncolors)
		return color;
	c16 = color < 16 ? color : nearest16(color);
	if (ncolors >= 16)
		return c16;
	return c16 & 7;
}

int
colors_needs_bold(int color, int ncolors)
{
	if (color < 0 || color > 255 || ncolors < 8 || ncolors >= 16)
		return 0;
	return (color < 16 ? color : nearest16(color)) >= 8;
}

attr_t
colors_theme_attrs(int attrs)
{
	attr_t a = A_NORMAL;

	if (attrs & THEME_BOLD)
		a |= A_BOLD;
	if (attrs & THEME_REVERSE)
		a |= A_REVERSE;
	if (attrs & THEME_UNDERLINE)
		a |= A_UNDERLINE;
	if (attrs & THEME_DIM)
		a |= A_DIM;
#ifdef A_ITALIC
	if (attrs & THEME_ITALIC)
		a |= A_ITALIC;
#endif
	return a;
}

static int use_color;		/* colours at all (not NO_COLOR, has_colors) */
static int use_default;		/* use_default_colors() worked */
static int have_mono;
static struct theme mono;	/* kept for the program's life */
static attr_t role_attr[ROLE_COUNT];

void
colors_apply_theme(const struct theme *t)
{
	int r;

	if (!have_mono) {
		theme_builtin_mono(&mono);
		have_mono = 1;
	}
	for (r = 0; r < ROLE_COUNT; r++) {
		const struct theme_style *st = &t->role[r];
		attr_t a = colors_theme_attrs(st->attrs);
		int fg, bg;

		if (!use_color || r + 1 >= COLOR_PAIRS) {
			/* Colours said it alone: mono says it with attributes. */
			role_attr[r] = a | colors_theme_attrs(mono.role[r].attrs);
			continue;
		}
		fg = colors_downgrade(st->fg, COLORS);
		bg = colors_downgrade(st->bg, COLORS);
		if (colors_needs_bold(st->fg, COLORS))
			a |= A_BOLD;
		if (!use_default) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		init_pair((short)(r + 1), (short)fg, (short)bg);
		role_attr[r] = a | COLOR_PAIR(r + 1);
	}
}

void
colors_init(const struct theme *t, int no_color)
{
	use_color = !no_color && has_colors();
	use_default = 0;
	if (use_color) {
		start_color();
		use_default = use_default_colors() == OK;
	}
	colors_apply_theme(t);
}

attr_t
colors_attr(enum theme_role r)
{
	if ((int)r < 0 || r >= ROLE_COUNT)
		return A_NORMAL;
	return role_attr[r];
}
