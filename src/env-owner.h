/*
 * Which environment of dlc.ini a Lambda function belongs to. Several
 * environments may share one account and region (alpha and sandbox in one
 * development account): ListFunctions then returns all of their functions
 * to each, and only the function-name templates tell them apart. A
 * function belongs to the environment whose template matches it most
 * specifically (the longest fixed text around {function}, so the default
 * "{function}" yields to "datalake-sandbox-{function}"); equally specific
 * matches all count as owners. A function no template matches is
 * "unmatched" and shown with every environment of its account.
 */
#ifndef DLC_ENV_OWNER_H
#define DLC_ENV_OWNER_H

#include <stddef.h>

#include "dlcconfig.h"

enum env_owner_kind {
	ENV_OWNER_MINE,		/* the environment asked about owns it */
	ENV_OWNER_UNMATCHED,	/* no environment's template matches it */
	ENV_OWNER_OTHER		/* another environment owns it */
};

/* Where an environment lives, as far as known (NULL: not known). */
struct env_owner_place {
	const char	*account;
	const char	*region;
};

/*
 * The owner of the function name, listed in environment self of envs[n].
 * Two environments compete only when they may share an account and region:
 * both known and different means they cannot. places may be NULL (nothing
 * known: all compete). For ENV_OWNER_OTHER, *owner (may be NULL) is set to
 * the index of the most specific other owner.
 */
enum env_owner_kind env_owner_of(const struct dlc_env *envs,
		    const struct env_owner_place *places, size_t n, size_t self,
		    const char *name, size_t *owner);

#endif
