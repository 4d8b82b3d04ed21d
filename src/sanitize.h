/*
 * The one sanitiser for untrusted text (AWS replies, log events, file
 * contents) on its way to a terminal, the CLI's text output or the debug log:
 * whatever arrives, what comes out is valid UTF-8 that cannot move the
 * cursor, retitle the window, reorder text or otherwise reach the terminal.
 *
 * What happens to each input:
 *   - complete, valid UTF-8 (no overlongs, surrogates or > U+10FFFF) is kept;
 *   - a byte that does not start a valid sequence becomes U+FFFD, one per
 *     byte, so a truncated sequence at the end is replaced, not dropped;
 *   - C0 controls and DEL are shown as C-style escapes, plain ASCII text:
 *     \t \n \r for those three, "\xHH" (lower-case hex) for the rest, so ESC
 *     reads "\x1b" and NUL reads "\x00";
 *   - C1 controls (U+0080..U+009F), bidi controls (U+061C, U+200E, U+200F,
 *     U+202A..U+202E, U+2066..U+2069, "trojan source") and the Unicode line
 *     and paragraph separators (U+2028, U+2029) are shown as "\uHHHH";
 *   - flags may keep \n as a real newline or turn \t into spaces;
 *   - in identifier mode (SANITIZE_IDENTIFIER: function names, ARNs, log
 *     groups and streams), every character that is invisible or reorders
 *     text, zero-width ones and tag characters included, is drawn as
 *     "<U+HHHH>" (upper-case hex), so one name cannot pose as another.
 * Which code points are dangerous is decided here only (sanitize_cp_class):
 * the JSON printer and the trace's redactor ask the same table.
 * A backslash in the input is kept as it is: the escapes are for a reader,
 * not for decoding back.
 *
 * Display width follows wcwidth-like rules from a compact built-in table
 * (East Asian wide and fullwidth = 2, combining marks and zero-width
 * characters = 0, everything else 1) and never consults the process locale,
 * so output is the same on every machine and in tests.
 */
#ifndef DLC_SANITIZE_H
#define DLC_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Keep '\n' as a line break (multi-line messages); otherwise it reads "\n". */
#define SANITIZE_KEEP_NEWLINE	0x1
/*
 * Expand '\t' to spaces up to the next multiple of 8 columns, counted from
 * the start of this piece of text (and from each kept newline); otherwise it
 * reads "\t".
 */
#define SANITIZE_TAB_AS_SPACE	0x2
/*
 * A name or identifier: C1, bidi, separator and invisible characters (see
 * sanitize_cp_class) are all drawn as "<U+HHHH>" instead of the message
 * mode's "\uHHHH" for some and nothing for the invisible ones.
 */
#define SANITIZE_IDENTIFIER	0x4

/*
 * The classes of valid code points that must not reach a terminal as they
 * are, the one table dlc keeps of them:
 *   C1         U+0080..U+009F, 8-bit controls (CSI, OSC, NEL, ...);
 *   BIDI       U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069;
 *   SEPARATOR  U+2028, U+2029 (line breaks to a terminal or a JS reader);
 *   INVISIBLE  U+200B..U+200D, U+2060..U+2064, U+FEFF, tag characters
 *              U+E0000..U+E007F: no glyph, so two names look the same.
 */
#define SANITIZE_CP_C1		0x1
#define SANITIZE_CP_BIDI	0x2
#define SANITIZE_CP_SEPARATOR	0x4
#define SANITIZE_CP_INVISIBLE	0x8
/* The classes cp belongs to (0 for an ordinary character). */
int	sanitize_cp_class(uint32_t cp);

/*
 * Appends the sanitised form of s[0..len) (NUL bytes included) to out.
 * Returns the display width appended: for multi-line text (KEEP_NEWLINE),
 * the width of its widest line. If out's ceiling is reached, appending stops
 * at a character boundary and the width of what was appended is returned.
 */
size_t	sanitize_append(struct buf *out, const char *s, size_t len, int flags);
/* Returns an allocated, sanitised copy of s (flags 0); NULL for NULL. */
char	*sanitize_str(const char *s);
/*
 * Display width of s[0..len), which should already be clean UTF-8: a byte
 * that does not decode counts 1 (it would have become U+FFFD) and control
 * characters count 0.
 */
size_t	sanitize_width(const char *s, size_t len);
/*
 * Sanitises s (NULL reads as "", tabs become spaces) and appends it to out
 * fitted to exactly `width` columns: padded with spaces (on the left when
 * align_right), or cut at a character boundary and ended with "…" (U+2026).
 * A wide character that would straddle the edge is dropped and a space pads
 * its place, so the result is never wider or narrower than `width`.
 */
void	sanitize_fit(struct buf *out, const char *s, size_t width,
	    int align_right);
/* sanitize_fit with flags (SANITIZE_IDENTIFIER); tabs always become spaces. */
void	sanitize_fit_flags(struct buf *out, const char *s, size_t width,
	    int align_right, int flags);
/* Returns an allocated copy of s in identifier mode; NULL for NULL. */
char	*sanitize_id_str(const char *s);
/* Display width s would take once sanitised with flags. */
size_t	sanitize_display_width(const char *s, size_t len, int flags);

/*
 * Lower-level pieces, for callers that walk clean text themselves (the
 * console's horizontal scrolling, the JSON printer).
 *
 * Decodes one UTF-8 character from s[0..len) (len > 0) into *cp. Returns the
 * bytes it took (1..4), or 0 when s does not start a complete, valid,
 * shortest-form sequence for a scalar value.
 */
size_t	sanitize_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Columns code point cp takes: 0, 1 or 2 (controls count 0). */
int	sanitize_cp_width(uint32_t cp);
/* 1 if s[0..len) is entirely valid UTF-8, else 0. */
int	sanitize_utf8_valid(const char *s, size_t len);
/*
 * Appends s[0..len) to out with only invalid bytes replaced by U+FFFD;
 * controls are kept (for encoders such as JSON that escape them).
 * Returns -1 if out's ceiling was reached.
 */
int	sanitize_utf8_repair(struct buf *out, const char *s, size_t len);

#endif
