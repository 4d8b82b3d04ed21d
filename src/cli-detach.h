/*
 * --no-wait (dlc push, dlc layer publish, dlc rollback): the jobs must
 * still run after the command returns, so the command starts itself
 * again, detached: a new session (setsid: no terminal, no SIGHUP when the
 * shell goes), stdin from /dev/null, stdout and stderr to a log under
 * $XDG_STATE_HOME/dlc/jobs/. That copy is the same command without
 * --no-wait, with the checks already made (--confirm ENV, the functions
 * named), and one hidden option, --report-fd N: it writes a line per job
 * it queued ("job ID NAME") or an error ("error TEXT") there and closes
 * it once everything is queued, then waits for its jobs as a foreground
 * command does and exits. The caller reads those lines and returns.
 *
 * Why a new process and not fork(): by then the loop, curl and the
 * journal's writer exist, and a forked copy of them (threads, sockets,
 * timers) is not safe to go on with; exec starts clean, and the jobs run
 * by exactly the code a waiting push runs.
 */
#ifndef DLC_CLI_DETACH_H
#define DLC_CLI_DETACH_H

#include <stdio.h>

#include "cli.h"
#include "err.h"

/*
 * Starts dlc (this binary) with ctx's global options (--config and its
 * timeouts, -v) and then args (the command and its options, NULL-ended),
 * plus --report-fd N. Reads its report until it closes it, printing each
 * job's id on out (text: "ID NAME", json: an array of {"Id","Name"}) and
 * each error on stderr. Returns the number of jobs queued, -1 with err
 * when it could not start or queued nothing.
 */
int	cli_detach_run(struct cli_ctx *ctx, const char *command,
	    char *const *args, FILE *out, struct dlc_err *err);

/* The child's side: a line on the report fd (-1: none; no-op). */
void	cli_detach_report(int fd, const char *kind, const char *id,
	    const char *text);
/* Closes the report fd: the parent returns. -1 is a no-op. */
void	cli_detach_done(int *fd);
/* Parses --report-fd's value; -1 when it is not a file descriptor. */
int	cli_detach_parse_fd(const char *s);

#endif
