/* OSC 52: see osc52.h. */
#include "osc52.h"

#include <stdlib.h>

#include "hash.h"
#include "xmalloc.h"

char *
osc52_sequence(const char *text, size_t len)
{
	char *b64, *seq;

	if (len > OSC52_MAX_TEXT)
		return NULL;
	b64 = hash_base64_encode(text, len);
	/* "c": the clipboard selection; BEL ends it (tmux and xterm take both BEL and ST). */
	seq = xasprintf("\033]52;c;%s\a", b64);
	free(b64);
	return seq;
}
