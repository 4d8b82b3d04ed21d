/* Opening a dlc environment for calls: see env-open.h. */
#include "env-open.h"

#include <stdlib.h>

#include "aws.h"
#include "awsconfig.h"
#include "creds.h"
#include "dlcconfig.h"
#include "xmalloc.h"

struct aws_env *
env_open(struct aws_ctx *aws, const struct dlc_env *env, struct dlc_err *err)
{
	struct creds_provider *creds;
	const char *profile = env->profile;
	const char *profile_name = profile != NULL ? profile :
	    aws_config_profile_name(NULL);
	struct aws_env *aenv;
	char *region;

	if (env->region != NULL)
		region = xstrdup(env->region);
	else
		region = aws_config_region(aws->cfg, profile_name);
	if (region == NULL) {
		dlc_err_set(err, "NoRegion", "environment '%s' has no region",
		    env->name);
		dlc_err_fix(err, "set region = ... in [env %s] of dlc.ini, or "
		    "in the AWS profile", env->name);
		return NULL;
	}
	creds = creds_for_profile(aws, profile, profile != NULL, region,
	    env->name, err);
	if (creds == NULL) {
		free(region);
		return NULL;
	}
	aenv = aws_env_new(aws, env->name, profile_name, region, creds);
	free(region);
	return aenv;
}
