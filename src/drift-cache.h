/*
 * The local side of the console's DRIFT column: each local function's
 * CodeSha256, found lazily (build-current.h: the current build's, when
 * there is one) and one function per loop turn, so a list of many
 * functions never freezes the console and no zip is ever built for it.
 * A row asks; an unknown one is queued and answered later through the
 * changed callback. A build or push forgets one function, a refresh all:
 * what was known is still answered until the new look is done, so the
 * column does not flicker back to "?".
 */
#ifndef DLC_DRIFT_CACHE_H
#define DLC_DRIFT_CACHE_H

struct loop;
struct dlc_config;
struct local_function;
struct drift_cache;

enum drift_cache_state {
	DRIFT_CACHE_PENDING,	/* not looked at yet: queued */
	DRIFT_CACHE_KNOWN,	/* sha filled */
	DRIFT_CACHE_NOT_BUILT,	/* no build of the current files */
	DRIFT_CACHE_ERROR,	/* the files could not be read */
};

/* Something queued became known. */
typedef void (*drift_cache_cb)(void *arg);

/* cfg is borrowed for the cache's life. */
struct drift_cache *drift_cache_new(struct loop *loop, const struct dlc_config *cfg,
	    drift_cache_cb changed, void *arg);
void	drift_cache_free(struct drift_cache *dc);
/* What is known of lf (borrowed until forgotten); sha is filled when KNOWN. */
enum drift_cache_state drift_cache_get(struct drift_cache *dc,
	    const struct local_function *lf, char sha[45]);
/* Look at the function of this folder name again (soon); NULL: all. */
void	drift_cache_forget(struct drift_cache *dc, const char *name);

#endif
