/*
 * Child processes on the event loop (tmux's job.c is the model): a
 * credential helper, a build's pip steps, a compressor. A child runs from
 * an argv (never through a shell unless the caller's argv says /bin/sh -c
 * with a fixed script), in its own process group, with stdin from
 * /dev/null unless given, and with stdout and stderr delivered as lines
 * through the loop. SIGCHLD arrives through the loop and is answered with
 * waitpid(WNOHANG), so nothing here ever waits. A child is done only when
 * it has been reaped and both of its pipes have closed, in either order:
 * the last line is never lost to an early exit.
 */
#ifndef DLC_PROC_H
#define DLC_PROC_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

struct loop;
struct proc;

enum { PROC_STDOUT = 1, PROC_STDERR = 2 };

/* A line longer than this is delivered in pieces flagged PROC_LINE_PARTIAL. */
#define PROC_LINE_MAX	(64 * 1024)
enum { PROC_LINE_PARTIAL = 1 };

struct proc_spec {
	char *const	*argv;		/* argv[0] is looked up in PATH */
	const char	*cwd;		/* NULL: dlc's own */
	char *const	*env;		/* NULL: dlc's own; else the whole environment */
	const char	*stdin_path;	/* NULL: /dev/null */
	long		 timeout_ms;	/* 0: none; then as proc_cancel */
	long		 grace_ms;	/* SIGTERM to SIGKILL; 0: 2 s */
	size_t		 output_limit;	/* bytes of output kept; 0: 16 MB; the rest is read and dropped */
};

struct proc_result {
	int	exit_code;	/* -1 when killed by a signal */
	int	signo;		/* the signal that ended it, or 0 */
	int	timed_out;	/* the timeout ended it */
	int	cancelled;	/* proc_cancel ended it */
	size_t	dropped;	/* output bytes past output_limit */
};

/*
 * line has no newline and is NUL-terminated at len; it is sanitised by no
 * one here: a child's output is as untrusted as the network's.
 */
typedef void (*proc_line_cb)(struct proc *p, int stream, const char *line,
    size_t len, int flags, void *arg);
/* Called once, when the child is reaped and its pipes have closed. */
typedef void (*proc_done_cb)(struct proc *p, const struct proc_result *r,
    void *arg);

/*
 * Starts a child; NULL with err filled when it cannot (no pipe, no fork,
 * no stdin file). A command that cannot be executed still starts: it
 * ends with exit code 127 and says why on its stderr, as a shell does.
 * Callbacks never run before proc_spawn returns. line may be NULL.
 */
struct proc	*proc_spawn(struct loop *loop, const struct proc_spec *spec,
		    proc_line_cb line, proc_done_cb done, void *arg,
		    struct dlc_err *err);
/* SIGTERM to the child's group, SIGKILL after the grace period; done still comes. */
void		 proc_cancel(struct proc *p);
/*
 * No callback after this, from anywhere, including from inside one. A
 * child still running is killed (its group gets SIGKILL) and reaped later
 * through the loop.
 */
void		 proc_free(struct proc *p);
pid_t		 proc_pid(const struct proc *p);
/* Children not yet reaped (including freed ones), for tests and teardown. */
size_t		 proc_live_count(void);
/*
 * Before loop_free: stops watching SIGCHLD. Children that were freed while
 * running have had SIGKILL; whatever is left is reaped by init after exit.
 */
void		 proc_shutdown(void);

#endif
