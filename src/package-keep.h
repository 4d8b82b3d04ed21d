/*
 * The zips of successful deployments, kept for rollback under
 * $XDG_STATE_HOME/dlc/packages/ENV/NAME/SHA256HEX.zip (NAME: the local
 * function name; SHA256HEX: the zip's SHA-256, which is Lambda's
 * CodeSha256 in hex). Keeping is a hard link when the build folder is on
 * the same file system, else a copy; either runs in a child (ln or cp,
 * sync, mv), so a 50 MB copy never stalls the loop and a crash never
 * leaves a half-written zip under its final name. Pruning keeps the
 * packages of the last N deployments of the function (dlc.ini
 * keep-packages) and every package a job still refers to.
 */
#ifndef DLC_PACKAGE_KEEP_H
#define DLC_PACKAGE_KEEP_H

#include <stddef.h>

#include "err.h"

struct loop;
struct package_keep;
struct jobstate_set;

/* kept is the zip's kept path, or NULL with err; the keeper may be freed here. */
typedef void (*package_keep_cb)(const char *kept, const struct dlc_err *err,
    void *arg);

/*
 * The kept path of env/name's package with this SHA-256 (64 hex digits,
 * or CodeSha256's base64). Allocated; NULL when the sha is neither, or
 * env or name could step out of the folder ("", ".", "..", a '/').
 */
char	*package_keep_path(const char *env, const char *name,
	    const char *sha256);
/* package_keep_path when that file exists (a regular file), else NULL. Allocated. */
char	*package_keep_find(const char *env, const char *name,
	    const char *sha256);
/*
 * Keeps zip as env/name's package with this SHA-256. cb runs once, from
 * the loop (at once on the next turn when it is already kept). NULL with
 * err when the arguments are refused or no child can start.
 */
struct package_keep *package_keep_start(struct loop *loop, const char *env,
	    const char *name, const char *zip, const char *sha256,
	    package_keep_cb cb, void *arg, struct dlc_err *err);
/* No callback after this; a child still copying is killed (its temporary file stays, see prune). */
void	 package_keep_free(struct package_keep *k);
/*
 * Removes env/name's kept zips except: the packages of the last `keep`
 * deployments (outcome "deployed", by end time) of env/name in jobs,
 * every package a job in jobs that has not ended refers to, and
 * also_keep (may be NULL). When jobs holds fewer than `keep` such
 * deployments, the history may not reach back far enough to know the
 * rest: nothing is removed. Leftover temporary files of dead copies go
 * too. Returns the number of zips removed, or -1 with err.
 */
int	 package_keep_prune(const char *env, const char *name, size_t keep,
	    const struct jobstate_set *jobs, const char *also_keep,
	    struct dlc_err *err);

#endif
