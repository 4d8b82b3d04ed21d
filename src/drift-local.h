/*
 * The CodeSha256 a local function or layer would deploy with: its zip
 * built (src/build.h: staging, build commands, zip root; skipped when
 * unchanged) off the event loop. The one place that decides how diff gets
 * the local zip, so a change of how (it was pack_start of the source
 * folder before build_start existed) changes only this file.
 */
#ifndef DLC_DRIFT_LOCAL_H
#define DLC_DRIFT_LOCAL_H

#include "dlcconfig.h"
#include "err.h"

struct loop;
struct local_function;
struct drift_local;

/*
 * Called once: code_sha256 (base64, as Lambda reports it) on success,
 * else NULL and err. The drift_local may be freed from here.
 */
typedef void (*drift_local_cb)(const char *code_sha256,
    const struct dlc_err *err, void *arg);

/*
 * Called once, if at all, when the zip must really be built (its inputs
 * changed): building takes time worth saying; a skipped build is quick.
 */
typedef void (*drift_local_building_cb)(void *arg);

/*
 * Starts building lf's zip into the build directory (dlc.ini build-dir),
 * as dlc build does. building may be NULL. NULL with err when it cannot
 * start. No callback runs before this returns.
 */
struct drift_local *drift_local_start(struct loop *loop,
	    const struct dlc_config *cfg, const struct local_function *lf,
	    drift_local_building_cb building, drift_local_cb cb, void *arg,
	    struct dlc_err *err);
/* No callback after this; a running packer is stopped. NULL is a no-op. */
void	drift_local_free(struct drift_local *dl);

#endif
