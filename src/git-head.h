/*
 * The commit a function's folder was deployed from, for the journal's
 * "queued" record: "abc1234", or "abc1234+dirty" when the folder has
 * changes not committed (untracked files included: they go into the
 * package). Found by running git through proc.c, so the loop never waits
 * for it; NULL when the folder is not in a git checkout or git is missing.
 */
#ifndef DLC_GIT_HEAD_H
#define DLC_GIT_HEAD_H

#include "err.h"

struct loop;
struct git_head;

/* commit is NULL when there is none to say; the lookup may be freed here. */
typedef void (*git_head_cb)(const char *commit, void *arg);

/*
 * Starts `git -C DIR rev-parse --short HEAD`, then `git -C DIR status
 * --porcelain -- .`; cb runs once, from the loop. NULL with err filled
 * only when no child can be started at all (no pipe, no fork).
 */
struct git_head	*git_head_start(struct loop *loop, const char *dir,
		    git_head_cb cb, void *arg, struct dlc_err *err);
/* No callback after this; a git still running is killed. */
void		 git_head_free(struct git_head *g);

#endif
