/*
 * Lambda ListLayers (GET /2018-10-31/layers): the account's layers with
 * their newest version, for the layers no folder here has (dlc diff's
 * remote-only layers). GetLayerVersion is lambda-write.h's, which push
 * uses too. A typed operation as in lambda.c, kept in its own file.
 */
#ifndef DLC_LAMBDA_LAYER_H
#define DLC_LAMBDA_LAYER_H

#include <stddef.h>

#include "err.h"

struct aws_env;
struct aws_call;
struct aws_reply;

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
