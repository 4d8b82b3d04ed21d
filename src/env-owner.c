/* Which environment a function belongs to (see env-owner.h). */
#include "env-owner.h"

#include <stdlib.h>
#include <string.h>

#define ENV_OWNER_PLACEHOLDER	"{function}"

/* The fixed text around {function}: how specific a match is; -1: no match. */
static long
env_owner_score(const struct dlc_env *env, const char *name)
{
	const char *t = env->function_name != NULL ? env->function_name :
	    ENV_OWNER_PLACEHOLDER;
	char *local = dlc_env_local_name(env, name);

	if (local == NULL || *local == '\0') {
		free(local);
		return -1;
	}
	free(local);
	return (long)(strlen(t) - strlen(ENV_OWNER_PLACEHOLDER));
}

static int
env_owner_differ(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) != 0;
}

static int
env_owner_compete(const struct env_owner_place *places, size_t self, size_t k)
{
	if (places == NULL || k == self)
		return 1;
	return !env_owner_differ(places[self].account, places[k].account) &&
	    !env_owner_differ(places[self].region, places[k].region);
}

enum env_owner_kind
env_owner_of(const struct dlc_env *envs, const struct env_owner_place *places,
    size_t n, size_t self, const char *name, size_t *owner)
{
	long best = -1, mine, score;
	size_t k, best_k = self;

	if (name == NULL || self >= n)
		return ENV_OWNER_UNMATCHED;
	mine = env_owner_score(&envs[self], name);
	for (k = 0; k < n; k++) {
		if (!env_owner_compete(places, self, k))
			continue;
		score = k == self ? mine : env_owner_score(&envs[k], name);
		if (score > best) {
			best = score;
			best_k = k;
		}
	}
	if (best < 0)
		return ENV_OWNER_UNMATCHED;
	/* A tie keeps it: two environments with one template both show it. */
	if (mine == best)
		return ENV_OWNER_MINE;
	if (owner != NULL)
		*owner = best_k;
	return ENV_OWNER_OTHER;
}
