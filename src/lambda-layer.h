/*
 * Lambda GetLayerVersion (GET /2018-10-31/layers/NAME/versions/N): one
 * layer version with its Content.CodeSha256, which ListLayerVersions does
 * not carry; dlc diff compares a local layer's zip against the newest
 * version's. A typed operation as in lambda.c, kept in its own file.
 */
#ifndef DLC_LAMBDA_LAYER_H
#define DLC_LAMBDA_LAYER_H

#include <stddef.h>

#include "err.h"

struct aws_env;
struct aws_call;
struct aws_reply;

struct lambda_layer_version_info {
	char		*layer_arn;
	char		*layer_version_arn;
	long		 version;
	char		*code_sha256;		/* Content.CodeSha256, or NULL */
	long long	 code_size;		/* Content.CodeSize */
	char		*description;		/* NULL when absent */
	char		*created_date;
	char		**compatible_runtimes;
	size_t		 n_compatible_runtimes;
};

void	lambda_layer_version_info_clear(struct lambda_layer_version_info *v);

/* Parses a GetLayerVersion answer into out (zeroed); -1 with err naming the field. */
int	lambda_parse_get_layer_version(const char *body, size_t len,
	    struct lambda_layer_version_info *out, struct dlc_err *err);

/* "/2018-10-31/layers/<name>/versions/<version>", the name encoded once. Allocated. */
char	*lambda_get_layer_version_target(const char *layer, long version);

struct lambda_get_layer_version_args {
	const char	*layer;		/* name or layer ARN without version */
	long		 version;
};

typedef void (*lambda_get_layer_version_cb)(struct aws_reply *reply,
	    struct lambda_layer_version_info *out, void *arg);

/* GetLayerVersion; args is read only during the call. See aws-op.h. */
struct aws_call *lambda_layer_get_version(struct aws_env *env,
	    const struct lambda_get_layer_version_args *args,
	    lambda_get_layer_version_cb cb, void *arg);

extern const struct aws_op lambda_layer_op_get_version;

#endif
