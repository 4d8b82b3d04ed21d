/*
 * Themes as semantic roles: the console draws "a selected row" or "a deny
 * environment", never "cyan". Each role is defined once here; a theme file
 * (themes/NAME.ini, see dlc-theme(5)) assigns a style to role names, so a
 * user can restyle everything without the code naming a colour, and a
 * monochrome theme can exist. This module is curses-free: it only parses and
 * holds styles; ui/colors.c turns them into curses attributes.
 */
#ifndef DLC_THEME_H
#define DLC_THEME_H

#include <stddef.h>

#include "err.h"

enum theme_role {
	ROLE_NORMAL, ROLE_HEADER, ROLE_TITLE, ROLE_COLUMN_HEADER, ROLE_SELECTED,
	ROLE_SELECTED_INACTIVE, ROLE_BORDER, ROLE_STATUS, ROLE_STATUS_ERROR,
	ROLE_HINT_KEY, ROLE_HINT_TEXT, ROLE_DIM, ROLE_OK, ROLE_WARN, ROLE_ERROR,
	ROLE_ALARM, ROLE_INSUFFICIENT, ROLE_LOADING, ROLE_ENV_ALLOW,
	ROLE_ENV_CONFIRM, ROLE_ENV_DENY, ROLE_SPECIAL, ROLE_DEPRECATED,
	ROLE_QUEUE_EMPTY, ROLE_QUEUE_RUNNING, ROLE_QUEUE_WAITING, ROLE_LOG_ERROR,
	ROLE_LOG_WARN, ROLE_LOG_INFO, ROLE_LOG_DEBUG, ROLE_MATCH, ROLE_FILTER,
	ROLE_COMMAND, ROLE_COUNT
};

/* The terminal's own colour (transparent backgrounds keep working). */
#define THEME_DEFAULT_COLOR	(-1)

enum {
	THEME_BOLD = 1, THEME_REVERSE = 2, THEME_UNDERLINE = 4, THEME_DIM = 8,
	THEME_ITALIC = 16
};

struct theme_style {
	int	fg, bg;		/* THEME_DEFAULT_COLOR, or 0..255 (xterm palette) */
	int	attrs;		/* THEME_BOLD | ... */
};

struct theme {
	char	*name;
	char	*description;
	struct theme_style role[ROLE_COUNT];
};

/*
 * Loads themes_dir/NAME.ini into out (cleared first; theme_clear it after).
 * NAME must be a plain file name (no '/', no leading '.'). Errors name the
 * file and line: an unknown section, key, role, colour or attribute is an
 * error, not silently ignored. Roles a file leaves out inherit "normal";
 * "normal" itself defaults to the terminal's colours.
 */
int		 theme_load(const char *themes_dir, const char *name,
		    struct theme *out, struct dlc_err *err);
/* Parses text[0..len); filename is for messages and gives the name. */
int		 theme_parse(const char *text, size_t len, const char *filename,
		    struct theme *out, struct dlc_err *err);
/*
 * The compiled-in default, identical to themes/default.ini (a test checks),
 * used when no themes folder can be found.
 */
void		 theme_builtin(struct theme *out);
/* The compiled-in mono theme (themes/mono.ini): attributes only. */
void		 theme_builtin_mono(struct theme *out);
/*
 * The compiled-in theme called name ("default" or "mono") into out;
 * -1 for any other name. What stands in when a theme file is missing or
 * broken: a console that is not installed still starts.
 */
int		 theme_builtin_named(const char *name, struct theme *out);
/* Frees name and description; the theme may be loaded again. */
void		 theme_clear(struct theme *t);

/* "column-header" for ROLE_COLUMN_HEADER; NULL when out of range. */
const char	*theme_role_name(enum theme_role role);
/* The role for a file's name, or -1 when unknown. */
int		 theme_role_from_name(const char *name);

/*
 * Parses one style, "FG [on BG] [attr...]" (see dlc-theme(5)). Returns 0, or
 * -1 with why in msg (msglen bytes).
 */
int		 theme_parse_style(const char *s, struct theme_style *out,
		    char *msg, size_t msglen);
/* Parses one colour word; returns 0..255, THEME_DEFAULT_COLOR, or -2. */
int		 theme_parse_color(const char *s);
/* Nearest xterm-256 entry (6x6x6 cube or grey ramp) to an RGB colour. */
int		 theme_rgb_to_256(int r, int g, int b);

/*
 * The theme names (file names without ".ini") in themes_dir, sorted, for
 * ":theme" completion. Returns 0, or -1 when the folder cannot be read.
 * *names is allocated: free with theme_list_free.
 */
int		 theme_list(const char *themes_dir, char ***names, size_t *n);
/*
 * theme_list plus the built-in ones (default, mono), sorted, each once; a
 * folder that cannot be read lists only those. Free with theme_list_free.
 */
void		 theme_list_all(const char *themes_dir, char ***names, size_t *n);
void		 theme_list_free(char **names, size_t n);

/*
 * Where themes live, allocated: $DLC_THEMES_DIR when set and non-empty,
 * else CONFIG_DIR/themes when that folder exists (config_dir may be NULL),
 * else the installed $(pkgdatadir)/themes (DLC_THEMES_DIR_INSTALLED, set by
 * mk/uikit.am).
 */
char		*theme_dir_default(const char *config_dir);

#endif
