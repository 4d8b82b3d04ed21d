/*
 * Copy to the clipboard through OSC 52 (src/osc52.c builds the bytes).
 * The request is kept until the redraw step has flushed curses' frame and
 * then written to the terminal in one piece, so it never lands inside a
 * half-written escape of curses' own, and curses' idea of the screen is
 * untouched (the sequence prints nothing).
 */
#include "ui.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "osc52.h"

static char *clipboard_pending;	/* the one request not yet written */

void
clipboard_copy(struct ui *ui, const char *text, size_t len, const char *what)
{
	char *seq = osc52_sequence(text, len);

	if (seq == NULL) {
		ui_message(ui, 1, "%s is too long to copy (%zu bytes; terminals take %d)", what, len,
		    OSC52_MAX_TEXT);
		return;
	}
	free(clipboard_pending);	/* a newer copy wins */
	clipboard_pending = seq;
	ui_message(ui, 0, "copied %s", what);
}

void
clipboard_flush(void)
{
	const char *p = clipboard_pending;
	size_t left;

	if (p == NULL)
		return;
	left = strlen(p);
	while (left > 0) {
		ssize_t n = write(STDOUT_FILENO, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* the terminal is gone: nothing to copy to */
		p += n;
		left -= (size_t)n;
	}
	free(clipboard_pending);
	clipboard_pending = NULL;
}
