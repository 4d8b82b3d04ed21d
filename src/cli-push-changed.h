/*
 * dlc push --changed: which functions of an environment have local
 * changes, the batch the "push every function with local changes
 * to sandbox" means. The same comparison as dlc diff (src/drift.c): each
 * local function's zip built as dlc build does (src/drift-local.c, two at
 * a time, a special function's alone) against ListFunctions' CodeSha256.
 * Only "local changes" are taken: a function not deployed there cannot be
 * pushed (push updates code, it creates nothing) and is said on stderr;
 * layers go through dlc layer publish.
 */
#ifndef DLC_CLI_PUSH_CHANGED_H
#define DLC_CLI_PUSH_CHANGED_H

#include <stddef.h>

#include "cli.h"
#include "manifest.h"

/*
 * The functions of locals[n_locals] whose zip differs from what env runs,
 * in name order, into *out (allocated, pointing into locals; *n_out may
 * be 0). -1 with err when a call or a zip failed: a batch built on a
 * partial answer would skip a function silently.
 */
int	cli_push_changed(struct cli_ctx *ctx, struct aws_env *aenv,
	    const struct dlc_env *env, const struct local_function *locals,
	    size_t n_locals, const struct local_function ***out, size_t *n_out,
	    struct dlc_err *err);

#endif
