/*
 * Drift: is what an environment runs the code and configuration in this
 * checkout? One comparison, used by dlc diff and (later) the console's
 * DRIFT column: a local function or layer (its manifest and the
 * CodeSha256 of its zip) against what Lambda reports (ListFunctions'
 * FunctionConfiguration, or a layer's newest version). Nothing here calls
 * AWS or reads files: the caller brings both sides.
 *
 * Code: in sync (the same CodeSha256), local changes (different), not
 * deployed (no such function or layer), remote only (a function the
 * environment's template claims that has no folder here), unknown (the
 * local zip could not be made). Configuration, for functions: runtime and
 * handler against the manifest (its defaults included), and layers by
 * layer name from the ARN, in order; the version each uses is noted, not
 * compared (a new layer version is not drift of the function). For
 * layers: the manifest's runtime among the newest version's compatible
 * runtimes.
 */
#ifndef DLC_DRIFT_H
#define DLC_DRIFT_H

#include <stddef.h>

#include "dlcconfig.h"

struct lambda_function;
struct local_function;

enum drift_state {
	DRIFT_IN_SYNC,
	DRIFT_LOCAL_CHANGES,
	DRIFT_NOT_DEPLOYED,
	DRIFT_REMOTE_ONLY,
	DRIFT_UNKNOWN
};

/* One configuration difference: field is "Runtime", "Handler" or "Layers". */
struct drift_item {
	const char	*field;
	char		*local;		/* what the manifest says */
	char		*remote;	/* what Lambda has */
};

struct drift_row {
	char		*local_name;	/* the folder; NULL when remote only */
	char		*remote_name;	/* the function or layer in Lambda */
	int		 is_layer;
	enum drift_state state;
	char		*local_sha;	/* NULL when unknown */
	char		*remote_sha;	/* NULL when not deployed */
	long		 layer_version;	/* layers: the newest version compared, else 0 */
	char		*layers;	/* functions: the remote layers "NAME:V ...", or NULL */
	struct drift_item *items;
	size_t		 n_items;
};

/* Frees the members and zeroes row; safe on a zeroed one. */
void	drift_row_clear(struct drift_row *row);

/*
 * A function: lf NULL for remote only, remote NULL for not deployed;
 * local_sha NULL when the zip could not be made (state unknown). locals
 * are all the manifests (to name the layers lf uses by their remote
 * names). out is overwritten.
 */
void	drift_compare_function(const struct dlc_env *env,
	    const struct local_function *locals, size_t n_locals,
	    const struct local_function *lf, const char *local_sha,
	    const struct lambda_function *remote, struct drift_row *out);

/*
 * A layer against its newest version: remote_sha NULL (and version 0)
 * when it has none, local_sha NULL when unknown. runtimes are that
 * version's CompatibleRuntimes: the manifest's runtime not among them is
 * Runtime drift (the functions on that runtime could not use it).
 */
void	drift_compare_layer(const struct dlc_env *env,
	    const struct local_function *lf, const char *local_sha,
	    const char *remote_sha, long version, char *const *runtimes,
	    size_t n_runtimes, struct drift_row *out);

/* A layer the environment has that no folder here has: remote only. */
void	drift_remote_only_layer(const char *remote_name, const char *remote_sha,
	    long version, struct drift_row *out);

/* 1 when the row is anything but in sync with no configuration drift. */
int	drift_row_differs(const struct drift_row *row);

/* "in sync", "local changes", "not deployed", "remote only", "unknown". */
const char *drift_state_name(enum drift_state state);

#endif
