/*
 * A local function's CodeSha256 through pack_start: the source folder
 * (manifest `source`) zipped as it is, reproducibly, into a temporary
 * folder. Build commands are not run here: the build helper's
 * build_start will, once it replaces pack_start in this file.
 */
#include "drift-local.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "manifest.h"
#include "pack.h"
#include "xmalloc.h"

struct drift_local {
	struct pack	*pack;
	char		*dir;		/* the temporary folder */
	char		*zip;
	drift_local_cb	 cb;
	void		*arg;
};

static void
drift_local_done(const struct pack_result *r, const struct dlc_err *err,
    void *arg)
{
	struct drift_local *dl = arg;

	/* The zip only served its hash. */
	unlink(dl->zip);
	dl->cb(r != NULL ? r->code_sha256 : NULL, err, dl->arg);
}

struct drift_local *
drift_local_start(struct loop *loop, const struct dlc_config *cfg,
    const struct local_function *lf, drift_local_cb cb, void *arg,
    struct dlc_err *err)
{
	struct drift_local *dl = xcalloc(1, sizeof *dl);
	const char *tmp = getenv("TMPDIR");
	struct buf src;

	(void)cfg;
	dl->cb = cb;
	dl->arg = arg;
	dl->dir = xasprintf("%s/dlc-diff-XXXXXX", tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp");
	if (mkdtemp(dl->dir) == NULL) {
		dlc_err_set(err, "TempFailed", "cannot make a temporary folder %s: %s",
		    dl->dir, strerror(errno));
		dlc_err_fix(err, "set TMPDIR to a folder you can write to");
		free(dl->dir);
		dl->dir = NULL;
		drift_local_free(dl);
		return NULL;
	}
	dl->zip = xasprintf("%s/%s.zip", dl->dir, lf->name);
	buf_init(&src, 0);
	buf_printf(&src, "%s/%s", lf->dir, lf->source);
	dl->pack = pack_start(loop, src.data, dl->zip, NULL, drift_local_done, dl, err);
	buf_free(&src);
	if (dl->pack == NULL) {
		drift_local_free(dl);
		return NULL;
	}
	return dl;
}

void
drift_local_free(struct drift_local *dl)
{
	if (dl == NULL)
		return;
	pack_free(dl->pack);
	if (dl->zip != NULL)
		unlink(dl->zip);
	if (dl->dir != NULL)
		rmdir(dl->dir);
	free(dl->zip);
	free(dl->dir);
	free(dl);
}
