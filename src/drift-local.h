/*
 * The CodeSha256 a local function or layer would deploy with: its zip
 * made and hashed, off the event loop. The one place that decides how the
 * zip is made, so that switching from packing the source folder as it is
 * (pack_start, today) to the build helper's build_start (src/build.h,
 * which runs the build commands and skips unchanged builds) changes only
 * this file.
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
 * Starts making lf's zip (in a private temporary folder, removed when
 * done). NULL with err when it cannot start. cb never runs before this
 * returns.
 */
struct drift_local *drift_local_start(struct loop *loop,
	    const struct dlc_config *cfg, const struct local_function *lf,
	    drift_local_cb cb, void *arg, struct dlc_err *err);
/* No callback after this; a running packer is stopped. NULL is a no-op. */
void	drift_local_free(struct drift_local *dl);

#endif
