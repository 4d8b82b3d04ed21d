/*
 * Turns a theme's roles into curses attributes. Colours are mapped down to
 * what the terminal has (256 -> 16 -> 8; a bright foreground on an
 * 8-colour terminal becomes the plain colour plus bold), "default" stays
 * the terminal's own colour when use_default_colors() works, and with
 * NO_COLOR or no colour support only attributes are used: the theme's own,
 * plus those of the built-in mono theme, so a colour-only distinction (a
 * selected row "black on cyan") still shows.
 */
#ifndef DLC_UI_COLORS_H
#define DLC_UI_COLORS_H

#include <curses.h>

#include "theme.h"

/* After initscr(). no_color: the caller saw NO_COLOR set and non-empty. */
void	colors_init(const struct theme *t, int no_color);
/* Switches theme at run time (":theme NAME"), keeping the mode. */
void	colors_apply_theme(const struct theme *t);
/* What to draw role r with: COLOR_PAIR(...) | attributes. */
attr_t	colors_attr(enum theme_role r);

/*
 * Pure mappings, testable without a terminal. colors_downgrade maps a
 * colour (0..255 or THEME_DEFAULT_COLOR) to the nearest of ncolors (8, 16,
 * 256 or more; fewer than 8: THEME_DEFAULT_COLOR). colors_needs_bold says
 * whether a foreground needs bold to look bright on ncolors.
 */
int	colors_downgrade(int color, int ncolors);
int	colors_needs_bold(int color, int ncolors);
/* THEME_* attribute bits to curses A_* bits. */
attr_t	colors_theme_attrs(int attrs);

#endif
