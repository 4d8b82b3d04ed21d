/*
 * How the plain commands (dlc push, dlc layer) show a deploy job while it
 * runs, and ask for a confirmation: on a terminal one progress line
 * redrawn in place (sanitised, cut to the width), in a pipe or a log one
 * plain line per step change, poll and quarter of an upload. The job
 * itself (push.h) never prints; this only observes it.
 */
#ifndef DLC_PUSH_TTY_H
#define DLC_PUSH_TTY_H

#include <stdio.h>

#include "push.h"

struct push_tty {
	FILE	*out;		/* stderr */
	int	 is_tty;	/* redraw one line; else plain lines */
	int	 width;		/* columns of the terminal */
	int	 drawn;		/* a progress line is on screen */
	int	 last_quarter;	/* plain mode: the last quarter of bytes said */
	enum push_step last_step;
	const char *label;	/* the function or layer, for each line */
};

/* Sets t up for out (a terminal or not). */
void	push_tty_init(struct push_tty *t, FILE *out);
/* Callbacks for push_job_start with t as their arg (done is the caller's). */
void	push_tty_callbacks(struct push_callbacks *cbs);
void	push_tty_step(struct push_job *job, enum push_step step, void *arg);
void	push_tty_progress(struct push_job *job, enum push_step step, void *arg);
void	push_tty_line(struct push_job *job, const char *text, size_t len,
	    void *arg);
/* Clears the progress line (before the caller prints its own). */
void	push_tty_clear(struct push_tty *t);

/*
 * Asks on the controlling terminal (/dev/tty, never stdin: stdin may be a
 * payload or a pipe) for the environment's name, showing prompt. Returns
 * the allocated answer without its newline, or NULL when there is no
 * terminal (then --confirm ENV is the way).
 */
char	*push_tty_ask(const char *prompt);
/* 1 when there is a controlling terminal to ask on. */
int	push_tty_available(void);

#endif
