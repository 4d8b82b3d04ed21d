/*
 * Lambda GetLayerVersion (GET /2018-10-31/layers/NAME/versions/N): one
 * layer version with its Content.CodeSha256, which ListLayerVersions does
 * not carry; dlc diff compares a local layer's zip against the newest
 * version's. And ListLayers (GET /2018-10-31/layers): the account's
 * layers with their newest version, for the layers no folder here has.
 * Typed operations as in lambda.c, kept in their own file.
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

/* One LayersListItem: the layer and its LatestMatchingVersion's number. */
struct lambda_layer_item {
	char	*layer_name;
	char	*layer_arn;
	long	 latest_version;	/* 0 when absent */
};

struct lambda_layers_page {
	struct lambda_layer_item *layers;
	size_t	 n;
	char	*next_marker;		/* NULL on the last page */
};

void	lambda_layers_page_clear(struct lambda_layers_page *p);
/* Parses a ListLayers answer into out (zeroed); -1 with err naming the field. */
int	lambda_parse_list_layers(const char *body, size_t len,
	    struct lambda_layers_page *out, struct dlc_err *err);
/* "/2018-10-31/layers" plus "?Marker=..." when marker is not NULL. Allocated. */
char	*lambda_list_layers_target(const char *marker);

typedef void (*lambda_list_layers_cb)(struct aws_reply *reply,
	    struct lambda_layers_page *page, void *arg);

/* ListLayers, for paginate_start (args NULL). */
extern const struct aws_op lambda_op_list_layers;

#endif
