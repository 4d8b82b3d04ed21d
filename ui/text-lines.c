/*
 * The lines of a scrolling text view: see text-lines.h.
 */
#include "text-lines.h"

#include <stdlib.h>

#include "xmalloc.h"

void
text_lines_add(struct text_lines *tl, int role, int id, const char *text, size_t len)
{
	if (tl->max > 0 && tl->n == tl->max)
		return;
	tl->v = xreallocarray(tl->v, tl->n + 1, sizeof *tl->v);
	tl->v[tl->n].text = xstrndup(text, len);
	tl->v[tl->n].role = role;
	tl->v[tl->n].id = id;
	tl->n++;
}

void
text_lines_clear(struct text_lines *tl)
{
	size_t i;

	for (i = 0; i < tl->n; i++)
		free(tl->v[i].text);
	free(tl->v);
	tl->v = NULL;
	tl->n = 0;
}
