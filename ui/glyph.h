/*
 * The console's glyphs where the terminal cannot show them. In a locale
 * whose character set is not UTF-8 (LANG=C, a Latin-1 one) curses draws
 * each byte of "│" as "~T~B" and the columns shift; there, every string on
 * its way to curses is made ASCII here: a glyph the console draws becomes
 * its stand-in (│ |, ─ -, ▸ >, ↑ ^, ↓ v, • *, × x, — -, … ...), any other
 * character '?' per column it takes. In UTF-8 nothing changes.
 */
#ifndef DLC_GLYPH_H
#define DLC_GLYPH_H

#include <stddef.h>

#include "buf.h"

/* Asks the locale (after setlocale) whether its character set is UTF-8. */
void	glyph_init(void);
/* 1 when strings must be made ASCII; set by glyph_init (and by tests). */
int	glyph_ascii(void);
void	glyph_set_ascii(int on);

/*
 * Before fitting to a width: appends s[0..len) to out with each glyph of
 * the table above replaced by its stand-in (which may be wider: … is
 * "..."). Everything else is copied as it is, for the sanitiser to judge.
 */
void	glyph_ascii_text(struct buf *out, const char *s, size_t len);
/*
 * After fitting: appends clean UTF-8 s[0..len) to out as ASCII of the same
 * display width, so fitted columns stay put: a glyph of the table becomes
 * one character (the cut mark … becomes '~'), any other non-ASCII
 * character one '?' per column (none for a zero-width one).
 */
void	glyph_ascii_fitted(struct buf *out, const char *s, size_t len);

#endif
