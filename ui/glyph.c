/* ASCII stand-ins for the console's glyphs in a non-UTF-8 locale. */
#include "glyph.h"

#include <langinfo.h>
#include <stdint.h>
#include <string.h>

#include "sanitize.h"

struct glyph_map {
	uint32_t	 cp;
	const char	*text;	/* before fitting: may be wider */
	char		 one;	/* after fitting: one column */
};

static const struct glyph_map glyph_table[] = {
	{ 0x2502, "|", '|' },		/* │ the header's separators */
	{ 0x2500, "-", '-' },		/* ─ */
	{ 0x25B8, ">", '>' },		/* ▸ an invocation's REPORT */
	{ 0x2191, "^", '^' },		/* ↑ the sort column, ascending */
	{ 0x2193, "v", 'v' },		/* ↓ descending */
	{ 0x2022, "*", '*' },		/* • a masked value */
	{ 0x00D7, "x", 'x' },		/* × "throttled 3×" */
	{ 0x2014, "-", '-' },		/* — */
	{ 0x2026, "...", '~' },		/* … "loading…"; fitted, the cut mark */
	{ 0xFFFD, "?", '?' },		/* the sanitiser's replacement character */
};

static int glyph_ascii_mode;

void
glyph_init(void)
{
	const char *cs = nl_langinfo(CODESET);

	glyph_ascii_mode = cs == NULL || (strcmp(cs, "UTF-8") != 0 && strcmp(cs, "utf8") != 0);
}

int
glyph_ascii(void)
{
	return glyph_ascii_mode;
}

void
glyph_set_ascii(int on)
{
	glyph_ascii_mode = on != 0;
}

static const struct glyph_map *
glyph_find(uint32_t cp)
{
	size_t i;

	for (i = 0; i < sizeof glyph_table / sizeof glyph_table[0]; i++)
		if (glyph_table[i].cp == cp)
			return &glyph_table[i];
	return NULL;
}

void
glyph_ascii_text(struct buf *out, const char *s, size_t len)
{
	size_t i = 0, run = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = (unsigned char)s[i] < 0x80 ? 0 : sanitize_utf8_decode(s + i, len - i, &cp);
		const struct glyph_map *g = n > 0 ? glyph_find(cp) : NULL;

		if (g == NULL) {
			i += n > 0 ? n : 1;
			continue;
		}
		buf_append(out, s + run, i - run);
		buf_puts(out, g->text);
		i += n;
		run = i;
	}
	buf_append(out, s + run, len - run);
}

void
glyph_ascii_fitted(struct buf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;
		const struct glyph_map *g;
		int w;

		if ((unsigned char)s[i] < 0x80) {
			buf_append(out, s + i, 1);
			i++;
			continue;
		}
		n = sanitize_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			/* Not clean text after all: one column, as the sanitiser would. */
			buf_puts(out, "?");
			i++;
			continue;
		}
		g = glyph_find(cp);
		if (g != NULL) {
			buf_append(out, &g->one, 1);
		} else {
			for (w = sanitize_cp_width(cp); w > 0; w--)
				buf_puts(out, "?");
		}
		i += n;
	}
}
