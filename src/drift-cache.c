/* Lazily known local CodeSha256s, one look per loop turn. */
#include "drift-cache.h"

#include <stdlib.h>
#include <string.h>

#include "build-current.h"
#include "build-hash.h"
#include "err.h"
#include "loop.h"
#include "manifest.h"
#include "xmalloc.h"

struct drift_cache_entry {
	char				*name;
	const struct local_function	*lf;
	enum drift_cache_state		 state;
	int				 stale;		/* shown as it was until looked at again */
	char				 sha[45];
};

/* Bytes of a function's files read per loop turn, as build.c hashes them. */
#define DRIFT_CACHE_SLICE	(4u * 1024 * 1024)

struct drift_cache {
	const struct dlc_config		*cfg;
	struct build_hash		*hash;		/* the look in progress, or NULL */
	size_t				 cur;		/* whose: an index (e moves) */
	struct loop_timer		*timer;
	drift_cache_cb			 changed;
	void				*arg;
	struct drift_cache_entry	*e;
	size_t				 n;
};

/*
 * One slice of one pending entry's files per turn: the loop draws and
 * reads keys between, however large a function's folder is.
 */
static void
drift_cache_step(void *arg)
{
	struct drift_cache *dc = arg;
	struct drift_cache_entry *e;
	struct dlc_err err;
	char hex[65];
	size_t i;
	int rc;

	dlc_err_clear(&err);
	if (dc->hash == NULL) {
		for (i = 0; i < dc->n; i++)
			if (dc->e[i].state == DRIFT_CACHE_PENDING || dc->e[i].stale)
				break;
		if (i == dc->n)
			return;
		dc->e[i].stale = 0;
		dc->cur = i;
		dc->hash = build_hash_begin(dc->e[i].lf, dc->cfg->build_dir, &err);
	}
	e = &dc->e[dc->cur];
	rc = dc->hash != NULL ?
	    build_hash_step(dc->hash, DRIFT_CACHE_SLICE, hex, &err) : -1;
	if (rc == 0) {
		loop_timer_start(dc->timer, 0);
		return;
	}
	build_hash_free(dc->hash);
	dc->hash = NULL;
	if (rc < 0)
		e->state = DRIFT_CACHE_ERROR;
	else
		e->state = build_current_sha_of(dc->cfg, e->lf, hex, e->sha) == 1 ?
		    DRIFT_CACHE_KNOWN : DRIFT_CACHE_NOT_BUILT;
	for (i = 0; i < dc->n; i++)
		if (dc->e[i].state == DRIFT_CACHE_PENDING || dc->e[i].stale) {
			loop_timer_start(dc->timer, 0);
			break;
		}
	if (dc->changed != NULL)
		dc->changed(dc->arg);
}

struct drift_cache *
drift_cache_new(struct loop *loop, const struct dlc_config *cfg, drift_cache_cb changed,
    void *arg)
{
	struct drift_cache *dc = xcalloc(1, sizeof *dc);

	dc->cfg = cfg;
	dc->changed = changed;
	dc->arg = arg;
	dc->timer = loop_timer_new(loop, drift_cache_step, dc);
	return dc;
}

void
drift_cache_free(struct drift_cache *dc)
{
	size_t i;

	if (dc == NULL)
		return;
	loop_timer_free(dc->timer);
	build_hash_free(dc->hash);
	for (i = 0; i < dc->n; i++)
		free(dc->e[i].name);
	free(dc->e);
	free(dc);
}

enum drift_cache_state
drift_cache_get(struct drift_cache *dc, const struct local_function *lf, char sha[45])
{
	struct drift_cache_entry *e = NULL;
	size_t i;

	for (i = 0; i < dc->n; i++)
		if (strcmp(dc->e[i].name, lf->name) == 0) {
			e = &dc->e[i];
			break;
		}
	if (e == NULL) {
		dc->e = xreallocarray(dc->e, dc->n + 1, sizeof *dc->e);
		e = &dc->e[dc->n++];
		memset(e, 0, sizeof *e);
		e->name = xstrdup(lf->name);
		e->state = DRIFT_CACHE_PENDING;
	}
	e->lf = lf;
	if (e->state == DRIFT_CACHE_PENDING && !loop_timer_pending(dc->timer))
		loop_timer_start(dc->timer, 0);
	if (e->state == DRIFT_CACHE_KNOWN)
		memcpy(sha, e->sha, 45);
	return e->state;
}

void
drift_cache_forget(struct drift_cache *dc, const char *name)
{
	size_t i;

	if (dc == NULL)
		return;
	for (i = 0; i < dc->n; i++)
		if (name == NULL || strcmp(dc->e[i].name, name) == 0)
			dc->e[i].stale = 1;
	if (dc->n > 0 && !loop_timer_pending(dc->timer))
		loop_timer_start(dc->timer, 0);
}
