/*
 * Opening a dlc environment for calls: its region (dlc.ini's, else its
 * profile's) and its credential chain, as one struct aws_env. The plain
 * commands and the console's model open environments the same way.
 */
#ifndef DLC_ENV_OPEN_H
#define DLC_ENV_OPEN_H

#include "err.h"

struct aws_ctx;
struct aws_env;
struct dlc_env;

/*
 * Returns a new aws_env (aws_env_free; its credential provider is the
 * caller's to free with creds_provider_free(aws_env_creds(...))), or NULL
 * with err saying what is missing and where to set it.
 */
struct aws_env	*env_open(struct aws_ctx *aws, const struct dlc_env *env,
		    struct dlc_err *err);

#endif
