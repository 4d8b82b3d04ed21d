/*
 * The secret scan off the loop, for dlc push: scanning a 50 MB package
 * takes about a second (bench/RESULTS.md, "Issue 15: scan"), far more than
 * a loop turn may, so it runs in a child process through proc.c (dlc
 * re-executes itself, /proc/self/exe, as `dlc __scan ZIP [ALLOW...]`, as
 * pack.c does with __pack) and its report comes back as lines through the
 * loop:
 *   hit JSON        {"Path","Rel","Line","Rule","Excerpt"}: one hit, masked
 *   done F B A D    files and bytes read, hits allowed, hits dropped
 *   error JSON      {"What","Code","Message","Fix"}: the zip was not read
 * Only masked excerpts cross the pipe: the secret stays in the package.
 */
#ifndef DLC_SCAN_RUN_H
#define DLC_SCAN_RUN_H

#include "err.h"
#include "manifest.h"
#include "scan.h"

/* The hidden command name; never shown in --help. */
#define SCAN_CHILD_COMMAND	"__scan"

struct loop;
struct scan_run;

/*
 * Called once. On success err is NULL and r is the report (clean when
 * scan_report_count(r) == 0; it is freed after the callback returns); on
 * failure r is NULL and err says what was not read (code "Cancelled"
 * after scan_run_cancel). A push must stop unless r is clean. The run may
 * be freed from here.
 */
typedef void (*scan_run_done_cb)(const struct scan_report *r,
    const struct dlc_err *err, void *arg);

/*
 * Starts scanning zip_path with fn's scan-allow (fn may be NULL). NULL
 * with err when it cannot start (a bad scan-allow, no fork). The callback
 * never runs before scan_run_start returns.
 */
struct scan_run	*scan_run_start(struct loop *loop, const char *zip_path,
		    const struct local_function *fn, scan_run_done_cb done,
		    void *arg, struct dlc_err *err);
/* SIGTERM, then SIGKILL; done still comes, "Cancelled". */
void		 scan_run_cancel(struct scan_run *s);
/* No callback after this; a running child is killed and reaped later. */
void		 scan_run_free(struct scan_run *s);
/* The program the child runs, "/proc/self/exe" by default (tests). */
void		 scan_run_set_program(const char *path);

/*
 * The child: argv [program, SCAN_CHILD_COMMAND, ZIP, ALLOW...], each ALLOW
 * a scan-allow entry. Writes the lines above; returns the exit code (0
 * when the zip was read, hits or not; 1 when it was not; 2 usage).
 */
int		 scan_child_main(int argc, char **argv);

#endif
