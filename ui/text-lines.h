/*
 * The lines of a scrolling text view (a job's steps and log, an audit
 * finding's reason and fix): each its own copy of the text, with the theme
 * role it is drawn in. One list type so each view does not grow its own.
 */
#ifndef DLC_UI_TEXT_LINES_H
#define DLC_UI_TEXT_LINES_H

#include <stddef.h>

struct text_line {
	char	*text;
	int	 role;
	int	 id;		/* a name: drawn in identifier mode */
};

struct text_lines {
	struct text_line	*v;
	size_t			 n;
	size_t			 max;	/* 0: no limit; beyond it a line is dropped */
};

/* Appends a copy of text[0..len). */
void	text_lines_add(struct text_lines *tl, int role, int id, const char *text,
	    size_t len);
/* Frees every line; tl stays usable (its max is kept). */
void	text_lines_clear(struct text_lines *tl);

#endif
