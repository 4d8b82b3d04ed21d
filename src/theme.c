/* Themes: role names, the style grammar, loading and listing theme files. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "ini.h"
#include "theme.h"
#include "xmalloc.h"

#ifndef DLC_THEMES_DIR_INSTALLED
#define DLC_THEMES_DIR_INSTALLED "/usr/local/share/dlc/themes"
#endif

static const char *const role_names[ROLE_COUNT] = {
	"normal", "header", "title", "column-header", "selected",
	"selected-inactive", "border", "status", "status-error", "hint-key",
	"hint-text", "dim", "ok", "warn", "error", "alarm", "insufficient",
	"loading", "env-allow", "env-confirm", "env-deny", "special",
	"deprecated", "queue-empty", "queue-running", "queue-waiting",
	"log-error", "log-warn", "log-info", "log-debug", "match", "filter",
	"command"
};

static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static const struct {
	const char *name;
	int bit;
} attr_names[] = {
	{ "bold", THEME_BOLD }, { "reverse", THEME_REVERSE },
	{ "underline", THEME_UNDERLINE }, { "dim", THEME_DIM },
	{ "italic", THEME_ITALIC },
};

/*
 * Kept identical to themes/default.ini and themes/mono.ini (test-theme
 * compares them), so a missing themes folder changes nothing visible.
 */
static const char builtin_default[] =
	"[theme]\n"
	"description = Dark background, the default\n"
	"\n"
	"[roles]\n"
	"normal = default on default\n"
	"header = bright-white on blue bold\n"
	"title = bright-white on default bold\n"
	"column-header = bright-cyan on default bold underline\n"
	"selected = black on cyan\n"
	"selected-inactive = white on bright-black\n"
	"border = bright-black on default\n"
	"status = white on bright-black\n"
	"status-error = bright-white on red bold\n"
	"hint-key = bright-yellow on default bold\n"
	"hint-text = white on default\n"
	"dim = bright-black on default\n"
	"ok = green on default\n"
	"warn = yellow on default bold\n"
	"error = bright-red on default bold\n"
	"alarm = bright-white on red bold\n"
	"insufficient = magenta on default\n"
	"loading = cyan on default dim\n"
	"env-allow = black on green\n"
	"env-confirm = black on yellow bold underline\n"
	"env-deny = bright-white on red bold reverse\n"
	"special = bright-magenta on default bold\n"
	"deprecated = yellow on default underline\n"
	"queue-empty = bright-black on default\n"
	"queue-running = bright-green on default bold\n"
	"queue-waiting = yellow on default\n"
	"log-error = bright-red on default\n"
	"log-warn = yellow on default\n"
	"log-info = default on default\n"
	"log-debug = bright-black on default\n"
	"match = black on yellow bold\n"
	"filter = bright-yellow on default bold\n"
	"command = bright-white on default bold\n"
	;

static const char builtin_mono[] =
	"[theme]\n"
	"description = No colours: attributes only\n"
	"\n"
	"[roles]\n"
	"normal = default on default\n"
	"header = default on default reverse bold\n"
	"title = default on default bold\n"
	"column-header = default on default underline\n"
	"selected = default on default reverse\n"
	"selected-inactive = default on default underline\n"
	"border = default on default dim\n"
	"status = default on default reverse\n"
	"status-error = default on default reverse bold\n"
	"hint-key = default on default bold\n"
	"hint-text = default on default\n"
	"dim = default on default dim\n"
	"ok = default on default\n"
	"warn = default on default bold\n"
	"error = default on default bold underline\n"
	"alarm = default on default reverse bold\n"
	"insufficient = default on default dim underline\n"
	"loading = default on default dim\n"
	"env-allow = default on default\n"
	"env-confirm = default on default bold underline\n"
	"env-deny = default on default reverse bold\n"
	"special = default on default bold\n"
	"deprecated = default on default underline\n"
	"queue-empty = default on default dim\n"
	"queue-running = default on default bold\n"
	"queue-waiting = default on default\n"
	"log-error = default on default bold\n"
	"log-warn = default on default underline\n"
	"log-info = default on default\n"
	"log-debug = default on default dim\n"
	"match = default on default reverse underline\n"
	"filter = default on default bold\n"
	"command = default on default bold\n"
	;

const char *
theme_role_name(enum theme_role role)
{
	if ((int)role < 0 || role >= ROLE_COUNT)
		return NULL;
	return role_names[role];
}

int
theme_role_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < ROLE_COUNT; i++)
		if (strcmp(role_names[i], name) == 0)
			return i;
	return -1;
}

/* The six levels of each axis of xterm's 6x6x6 cube (entries 16..231). */
static const int cube_levels[6] = { 0, 95, 135, 175, 215, 255 };

static int
nearest_level(int v)
{
	int i, best = 0, bestd = INT_MAX;

	for (i = 0; i < 6; i++) {
		int d = abs(v - cube_levels[i]);
		if (d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

static long
dist2(int r1, int g1, int b1, int r2, int g2, int b2)
{
	long dr = r1 - r2, dg = g1 - g2, db = b1 - b2;

	return dr * dr + dg * dg + db * db;
}

int
theme_rgb_to_256(int r, int g, int b)
{
	int ri = nearest_level(r), gi = nearest_level(g), bi = nearest_level(b);
	int cube = 16 + 36 * ri + 6 * gi + bi;
	long cubed = dist2(r, g, b, cube_levels[ri], cube_levels[gi],
	    cube_levels[bi]);
	/* Grey ramp 232..255 is 8, 18, ..., 238. */
	int avg = (r + g + b) / 3;
	int gi2 = avg < 8 ? 0 : (avg - 8 + 5) / 10;
	int grey;

	if (gi2 > 23)
		gi2 = 23;
	grey = 8 + 10 * gi2;
	if (dist2(r, g, b, grey, grey, grey) < cubed)
		return 232 + gi2;
	return cube;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
theme_parse_color(const char *s)
{
	int i, base = 0;
	char *end;
	long v;

	if (strcmp(s, "default") == 0)
		return THEME_DEFAULT_COLOR;
	if (strncmp(s, "bright-", 7) == 0) {
		s += 7;
		base = 8;
	}
	for (i = 0; i < 8; i++)
		if (strcmp(s, color_names[i]) == 0)
			return base + i;
	if (base)
		return -2;
	if (s[0] == '#') {
		int rgb[3];
		if (strlen(s) != 7)
			return -2;
		for (i = 0; i < 3; i++) {
			int hi = hexval((unsigned char)s[1 + 2 * i]);
			int lo = hexval((unsigned char)s[2 + 2 * i]);
			if (hi < 0 || lo < 0)
				return -2;
			rgb[i] = hi * 16 + lo;
		}
		return theme_rgb_to_256(rgb[0], rgb[1], rgb[2]);
	}
	if (!isdigit((unsigned char)s[0]))
		return -2;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > 255)
		return -2;
	return (int)v;
}

static int
parse_attr(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
		if (strcmp(w, attr_names[i].name) == 0)
			return attr_names[i].bit;
	return 0;
}

#define STYLE_MAX_WORDS	16

int
theme_parse_style(const char *s, struct theme_style *out, char *msg,
    size_t msglen)
{
	char copy[256], *words[STYLE_MAX_WORDS], *p;
	size_t n = 0, i = 0;
	struct theme_style st = { THEME_DEFAULT_COLOR, THEME_DEFAULT_COLOR, 0 };

	if (strlen(s) >= sizeof(copy)) {
		snprintf(msg, msglen, "style is too long");
		return -1;
	}
	memcpy(copy, s, strlen(s) + 1);
	for (p = copy; *p != '\0';) {
		while (isspace((unsigned char)*p))
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (n == STYLE_MAX_WORDS) {
			snprintf(msg, msglen, "too many words in style \"%s\"", s);
			return -1;
		}
		words[n++] = p;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
	}
	if (n == 0) {
		snprintf(msg, msglen, "empty style (write e.g. \"white on "
		    "blue bold\")");
		return -1;
	}
	/* The colours are optional, so "reverse" alone is a style. */
	if (!parse_attr(words[0])) {
		st.fg = theme_parse_color(words[0]);
		if (st.fg == -2) {
			snprintf(msg, msglen, "unknown colour \"%s\" (use default, "
			    "a colour name, bright-NAME, 0-255 or #rrggbb)",
			    words[0]);
			return -1;
		}
		i = 1;
		if (i < n && strcmp(words[i], "on") == 0) {
			if (i + 1 >= n) {
				snprintf(msg, msglen, "\"on\" needs a background "
				    "colour after it");
				return -1;
			}
			st.bg = theme_parse_color(words[i + 1]);
			if (st.bg == -2) {
				snprintf(msg, msglen, "unknown colour \"%s\" (use "
				    "default, a colour name, bright-NAME, 0-255 "
				    "or #rrggbb)", words[i + 1]);
				return -1;
			}
			i += 2;
		}
	}
	for (; i < n; i++) {
		int a = parse_attr(words[i]);
		if (a == 0) {
			snprintf(msg, msglen, "unknown attribute \"%s\" (use bold, "
			    "reverse, underline, dim or italic)", words[i]);
			return -1;
		}
		st.attrs |= a;
	}
	*out = st;
	return 0;
}

static char *
name_from_filename(const char *filename)
{
	const char *base = strrchr(filename, '/');
	size_t len;

	base = base ? base + 1 : filename;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".ini") == 0)
		len -= 4;
	return xstrndup(base, len);
}

void
theme_clear(struct theme *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->description);
	t->name = NULL;
	t->description = NULL;
}

static int
parse_roles(const struct ini *ini, const struct ini_section *sec,
    struct theme *out, int *set, struct dlc_err *err)
{
	size_t i, n = ini_key_count(sec);
	char msg[512];

	for (i = 0; i < n; i++) {
		const char *value, *key = ini_key_at(sec, i, &value);
		int line = ini_key_line_at(sec, i);
		int r = theme_role_from_name(key);

		if (r < 0) {
			dlc_err_set(err, "ThemeError", "%s line %d: unknown role "
			    "\"%s\"", ini_filename(ini), line, key);
			dlc_err_fix(err, "Use one of the role names listed in "
			    "dlc-theme(5), e.g. normal, selected, env-deny.");
			return -1;
		}
		if (theme_parse_style(value ? value : "", &out->role[r], msg,
		    sizeof(msg)) < 0) {
			dlc_err_set(err, "ThemeError", "%s line %d: %s: %s",
			    ini_filename(ini), line, key, msg);
			dlc_err_fix(err, "Write the style as \"FG [on BG] "
			    "[attribute...]\"; see dlc-theme(5).");
			return -1;
		}
		set[r] = 1;
	}
	return 0;
}

int
theme_parse(const char *text, size_t len, const char *filename,
    struct theme *out, struct dlc_err *err)
{
	struct ini *ini;
	int set[ROLE_COUNT] = { 0 };
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	ini = ini_parse(text, len, filename, err);
	if (ini == NULL)
		return -1;
	for (r = 0; r < ROLE_COUNT; r++) {
		out->role[r].fg = THEME_DEFAULT_COLOR;
		out->role[r].bg = THEME_DEFAULT_COLOR;
		out->role[r].attrs = 0;
	}
	for (i = 0; i < ini_section_count(ini); i++) {
		const struct ini_section *sec = ini_section_at(ini, i);
		const char *sname = ini_section_name(sec);

		if (strcmp(sname, "roles") == 0) {
			if (parse_roles(ini, sec, out, set, err) < 0)
				goto fail;
		} else if (strcmp(sname, "theme") == 0) {
			size_t k, nk = ini_key_count(sec);
			for (k = 0; k < nk; k++) {
				const char *v, *key = ini_key_at(sec, k, &v);
				if (strcmp(key, "description") != 0) {
					dlc_err_set(err, "ThemeError", "%s line %d: "
					    "unknown key \"%s\" in [theme]",
					    filename, ini_key_line_at(sec, k), key);
					dlc_err_fix(err, "[theme] holds only "
					    "\"description\"; styles go in [roles].");
					goto fail;
				}
				free(out->description);
				out->description = xstrdup(v ? v : "");
			}
		} else {
			dlc_err_set(err, "ThemeError", "%s line %d: unknown section "
			    "[%s]", filename, ini_section_line(sec), sname);
			dlc_err_fix(err, "A theme has only [theme] and [roles].");
			goto fail;
		}
	}
	for (r = 1; r < ROLE_COUNT; r++)
		if (!set[r])
			out->role[r] = out->role[ROLE_NORMAL];
	if (out->description == NULL)
		out->description = xstrdup("");
	out->name = name_from_filename(filename);
	ini_free(ini);
	return 0;
fail:
	ini_free(ini);
	theme_clear(out);
	return -1;
}

static int
name_ok(const char *name)
{
	return name != NULL && name[0] != '\0' && name[0] != '.' &&
	    strchr(name, '/') == NULL;
}

int
theme_load(const char *themes_dir, const char *name, struct theme *out,
    struct dlc_err *err)
{
	struct buf b;
	FILE *f;
	char *path;
	char chunk[4096];
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!name_ok(name)) {
		dlc_err_set(err, "ThemeError", "\"%s\" is not a theme name",
		    name ? name : "");
		dlc_err_fix(err, "Give a name from %s without \".ini\", e.g. "
		    "default.", themes_dir);
		return -1;
	}
	path = xasprintf("%s/%s.ini", themes_dir, name);
	f = fopen(path, "rb");
	if (f == NULL) {
		int e = errno;
		dlc_err_set(err, e == ENOENT ? "ENOENT" : "EIO", "theme %s: "
		    "cannot open %s: %s", name, path, strerror(e));
		dlc_err_fix(err, "Pick one of the themes in %s (\":theme\" "
		    "lists them).", themes_dir);
		free(path);
		return -1;
	}
	buf_init(&b, INI_MAX_SIZE);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(&b, chunk, n) < 0) {
			fclose(f);
			buf_free(&b);
			dlc_err_set(err, "EFBIG", "%s is larger than %d bytes",
			    path, INI_MAX_SIZE);
			dlc_err_fix(err, "A theme is a few dozen lines; check "
			    "the file.");
			free(path);
			return -1;
		}
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		buf_free(&b);
		dlc_err_set(err, "EIO", "cannot read %s: %s", path, strerror(e));
		free(path);
		return -1;
	}
	fclose(f);
	rc = theme_parse(b.data ? b.data : "", b.len, path, out, err);
	buf_free(&b);
	free(path);
	if (rc == 0) {
		free(out->name);
		out->name = xstrdup(name);
	}
	return rc;
}

static void
builtin(const char *text, size_t len, const char *filename,
    struct theme *out)
{
	struct dlc_err err = { 0 };

	if (theme_parse(text, len, filename, out, &err) < 0)
		fatal("built-in theme: %s", err.message);
}

void
theme_builtin(struct theme *out)
{
	builtin(builtin_default, sizeof(builtin_default) - 1, "default.ini",
	    out);
}

void
theme_builtin_mono(struct theme *out)
{
	builtin(builtin_mono, sizeof(builtin_mono) - 1, "mono.ini", out);
}

int
theme_builtin_named(const char *name, struct theme *out)
{
	if (name != NULL && strcmp(name, "default") == 0)
		theme_builtin(out);
	else if (name != NULL && strcmp(name, "mono") == 0)
		theme_builtin_mono(out);
	else
		return -1;
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
theme_list(const char *themes_dir, char ***names, size_t *n)
{
	DIR *d;
	struct dirent *de;
	char **v = NULL;
	size_t count = 0, cap = 0;

	*names = NULL;
	*n = 0;
	d = opendir(themes_dir);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 4 ||
		    strcmp(de->d_name + len - 4, ".ini") != 0)
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[count++] = xstrndup(de->d_name, len - 4);
	}
	closedir(d);
	if (count > 0)
		qsort(v, count, sizeof(*v), cmp_names);
	*names = v;
	*n = count;
	return 0;
}

void
theme_list_all(const char *themes_dir, char ***names, size_t *n)
{
	static const char *const builtins[] = { "default", "mono" };
	char **v;
	size_t count, i, j;

	if (theme_list(themes_dir, &v, &count) != 0) {
		v = NULL;
		count = 0;
	}
	v = xreallocarray(v, count + 2, sizeof(*v));
	for (i = 0; i < 2; i++) {
		for (j = 0; j < count && strcmp(v[j], builtins[i]) != 0; j++)
			;
		if (j == count)
			v[count++] = xstrdup(builtins[i]);
	}
	qsort(v, count, sizeof(*v), cmp_names);
	*names = v;
	*n = count;
}

void
theme_list_free(char **names, size_t n)
{
	size_t i;

	if (names == NULL)
		return;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

char *
theme_dir_default(const char *config_dir)
{
	const char *env = getenv("DLC_THEMES_DIR");
	struct stat st;

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	if (config_dir != NULL && config_dir[0] != '\0') {
		char *p = xasprintf("%s/themes", config_dir);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			return p;
		free(p);
	}
	return xstrdup(DLC_THEMES_DIR_INSTALLED);
}
