/*
 * The bytes that ask a terminal to put text on the clipboard: OSC 52
 * (ESC ] 52 ; c ; BASE64 BEL), which xterm, kitty, iTerm2, WezTerm, foot
 * and Windows Terminal honour, and tmux stores in a paste buffer (and
 * passes on) with "set -g set-clipboard on". The text travels base64, so
 * whatever it holds (escapes from a log line included) cannot act on the
 * terminal on the way.
 */
#ifndef DLC_OSC52_H
#define DLC_OSC52_H

#include <stddef.h>

/*
 * Terminals drop longer requests (xterm's limit is about 100 KB of
 * base64): refuse them here rather than copy nothing silently.
 */
#define OSC52_MAX_TEXT	65536

/* Returns the allocated sequence for text[0..len), or NULL when len exceeds OSC52_MAX_TEXT. */
char	*osc52_sequence(const char *text, size_t len);

#endif
