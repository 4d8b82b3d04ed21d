/*
 * Which deployment a rollback goes back to, from the journal's jobs: the
 * newest successful code push (or rollback) of a function to an
 * environment whose CodeSha256 differs from what the function runs now
 * (so a second rollback goes back again, like `cd -`), or a job named by
 * id; and whether that job's package is still kept. `dlc rollback` and
 * the console's R both choose here.
 */
#ifndef DLC_ROLLBACK_H
#define DLC_ROLLBACK_H

#include "err.h"

struct jobstate;
struct jobstate_set;

/*
 * The job to go back to for function (a local name) in env: job to (an
 * id or a unique prefix) when given, else the newest deployment whose
 * CodeSha256 is not deployed (what the function runs now; NULL: nothing
 * to skip). NULL with err (NoSuchJob, NotADeployment,
 * NothingToRollBack) saying what to do.
 */
const struct jobstate *rollback_target(const struct jobstate_set *set,
	    const char *env, const char *function, const char *to,
	    const char *deployed, struct dlc_err *err);
/* 0 when js's package is still on disk; -1 with err (PackageNotKept) and the fix. */
int	rollback_package_kept(const struct jobstate *js, const char *env,
	    const char *function, struct dlc_err *err);

#endif
