/*
 * The data lake's functions and layers as this checkout has them: one
 * folder each under functions/, described by functions/NAME/function.ini
 * (see dlc-function(5)): what it is, how it is named remotely, how it is
 * built, and whether its build must run alone ("special").
 */
#ifndef DLC_MANIFEST_H
#define DLC_MANIFEST_H

#include <stddef.h>

#include "dlcconfig.h"
#include "err.h"

struct local_function {
	char	*name;		/* the folder's name */
	char	*remote_base;	/* `name =` override, else the folder's name */
	int	 is_layer;
	int	 special;	/* its build must not run beside another */
	char	*description;	/* "" when not given */
	char	*trigger;	/* trigger = dynamodb|kinesis|schedule (dlc new's --source), or NULL */
	char	*runtime;	/* default python3.12 */
	char	*handler;	/* functions: default lambda_function.lambda_handler; layers: NULL */
	char	*build;		/* the first build command (see commands); NULL: none */
	char	*source;	/* relative to dir: default "src" ("." for layers) */
	char	**layers;	/* names of layer folders */
	size_t	 n_layers;
	char	*dir;		/* functions_dir/NAME */
	/* How the package is built (build.h): */
	char	**commands;	/* build = lines in order, each split with ini_split_words */
	size_t	 n_commands;
	char	**patterns;	/* pattern = [!]REGEX lines in order (the last match wins) */
	size_t	 n_patterns;
	char	*zip_root;	/* inside the staged folder, after the commands; NULL: source */
	int	 isolate;	/* MANIFEST_ISOLATE_* */
	char	**files;	/* files = a, b: only these (relative to the zip root); NULL: all */
	size_t	 n_files;
	/* scan-allow: "RULE PATH-REGEX" each, checked by scan_allow_check (scan.h) */
	char	**scan_allow;
	size_t	 n_scan_allow;
};

enum { MANIFEST_ISOLATE_NONE, MANIFEST_ISOLATE_VENV };

/*
 * Reads every functions_dir/NAME/function.ini (folders starting with '.'
 * or '_' are skipped). *out is an allocated array sorted by name. A bad
 * manifest, a folder without one, or a layers entry that is not a layer
 * folder returns -1 with err naming file and line.
 */
int	manifest_load_dir(const char *functions_dir, struct local_function **out,
	    size_t *n, struct dlc_err *err);
/* Reads one manifest; fn is overwritten. */
int	manifest_load_one(const char *functions_dir, const char *name,
	    struct local_function *fn, struct dlc_err *err);
void	manifest_free(struct local_function *fn);
void	manifest_free_all(struct local_function *fns, size_t n);

const struct local_function *manifest_find(const struct local_function *fns,
	    size_t n, const char *name);
/* The local function a remote name maps to in env, or NULL. */
const struct local_function *manifest_find_remote(
	    const struct local_function *fns, size_t n,
	    const struct dlc_env *env, const char *remote_name);

#endif
