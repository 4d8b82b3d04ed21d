/*
 * Is the zip in the build folder the build of a function's files as they
 * are now? The cheap question the console's DRIFT column asks for every
 * function: it hashes the inputs as build_start does (build-hash.h) and
 * reads NAME.zip.inputs and NAME.zip.sha256, but never runs a command or
 * packs anything, so an unbuilt function stays unknown instead of being
 * built behind the user's back.
 */
#ifndef DLC_BUILD_CURRENT_H
#define DLC_BUILD_CURRENT_H

#include "err.h"

struct dlc_config;
struct local_function;

/*
 * 1 with code_sha256 (base64, as Lambda reports it) when fn's zip is there
 * and was built from its current inputs; 0 when there is no such build
 * (never built, or the files changed since); -1 with err when the inputs
 * cannot be read.
 */
int	build_current_sha(const struct dlc_config *cfg, const struct local_function *fn,
	    char code_sha256[45], struct dlc_err *err);
/*
 * The same for inputs already hashed into hex (build-hash.h's steps, for
 * a caller that spreads a large folder over loop turns): 1 or 0.
 */
int	build_current_sha_of(const struct dlc_config *cfg,
	    const struct local_function *fn, const char hex[65],
	    char code_sha256[45]);

#endif
