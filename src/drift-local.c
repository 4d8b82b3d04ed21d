/*
 * A local function's CodeSha256 through build_start: the zip dlc build
 * makes (staging folder, build commands, zip root, patterns) and dlc push
 * deploys, so "in sync" means what a push would send is what runs. An
 * unchanged build is skipped by content hash, so a second diff costs no
 * build. The build's command output is not shown: diff is a report, and a
 * failing build's last lines come back in its error.
 */
#include "drift-local.h"

#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "xmalloc.h"

struct drift_local {
	struct build	*build;
	drift_local_building_cb building;
	drift_local_cb	 cb;
	void		*arg;
};

/* "stage" comes only when the inputs changed: the build really runs. */
static void
drift_local_progress(const struct build_progress *pr, void *arg)
{
	struct drift_local *dl = arg;

	if (dl->building != NULL && strcmp(pr->phase, "stage") == 0) {
		dl->building(dl->arg);
		dl->building = NULL;
	}
}

static void
drift_local_done(const struct build_result *r, const struct dlc_err *err,
    void *arg)
{
	struct drift_local *dl = arg;

	dl->cb(r != NULL ? r->code_sha256 : NULL, err, dl->arg);
}

struct drift_local *
drift_local_start(struct loop *loop, const struct dlc_config *cfg,
    const struct local_function *lf, drift_local_building_cb building,
    drift_local_cb cb, void *arg, struct dlc_err *err)
{
	struct drift_local *dl = xcalloc(1, sizeof *dl);

	dl->building = building;
	dl->cb = cb;
	dl->arg = arg;
	dl->build = build_start(loop, cfg, lf, 0, NULL, drift_local_progress, drift_local_done,
	    dl, err);
	if (dl->build == NULL) {
		free(dl);
		return NULL;
	}
	return dl;
}

void
drift_local_free(struct drift_local *dl)
{
	if (dl == NULL)
		return;
	build_free(dl->build);
	free(dl);
}
