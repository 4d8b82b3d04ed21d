/*
 * The Lambda operations that change an account, for dlc push and dlc
 * layer: UpdateFunctionCode (the zip inline or from S3),
 * UpdateFunctionConfiguration (only the layers: every other setting is
 * left as it is), PublishLayerVersion, and GetLayerVersion (its answer has
 * the same shape, and the layer commands compare CodeSha256 with it). Each
 * is a typed operation over aws-op.h like lambda.h's, so the op layer's
 * standard retry lies under each. ResourceConflictException (an update
 * still in progress) is NOT retried here: how long it lasts is the length
 * of an update, so the push job retries it with its own backoff
 * (push_conflict_delay_ms in push.h), in one place.
 */
#ifndef DLC_LAMBDA_WRITE_H
#define DLC_LAMBDA_WRITE_H

#include <stddef.h>

#include "aws-op.h"
#include "lambda.h"

/*
 * Lambda takes a zip inline (ZipFile, base64 in the JSON) when the zip is
 * at most 50 MiB and the whole request under 69,905,067 bytes
 * (aws-notes.md, "Size limits"); beyond either it must come from S3.
 */
#define LAMBDA_INLINE_ZIP_MAX		52428800ULL
#define LAMBDA_INLINE_REQUEST_MAX	69905067ULL

/*
 * 1 when a zip of size bytes may go inline under limit (LAMBDA_INLINE_ZIP_MAX
 * unless a test lowers it), the request's base64 and JSON included.
 */
int	lambda_write_fits_inline(unsigned long long size,
	    unsigned long long limit);

/* UpdateFunctionCode's arguments: zip (inline) or s3_bucket + s3_key. */
struct lambda_update_code_args {
	const char		*function_name;	/* name or ARN */
	const unsigned char	*zip;		/* the package's bytes, or NULL */
	size_t			 zip_len;
	const char		*s3_bucket;
	const char		*s3_key;
};

/* UpdateFunctionConfiguration's arguments: the layers, in order. */
struct lambda_update_layers_args {
	const char		*function_name;
	const char *const	*layers;	/* layer version ARNs */
	size_t			 n_layers;
};

/* PublishLayerVersion's arguments: zip or s3_bucket + s3_key, as above. */
struct lambda_publish_layer_args {
	const char		*layer_name;
	const char		*description;	/* NULL: none */
	const char *const	*runtimes;	/* CompatibleRuntimes */
	size_t			 n_runtimes;
	const unsigned char	*zip;
	size_t			 zip_len;
	const char		*s3_bucket;
	const char		*s3_key;
};

/* GetLayerVersion's arguments. */
struct lambda_layer_version_args {
	const char	*layer_name;	/* name or layer ARN without version */
	long		 version;
};

/* A PublishLayerVersion or GetLayerVersion answer. */
struct lambda_layer_detail {
	char		*layer_arn;
	char		*layer_version_arn;
	long		 version;
	char		*code_sha256;		/* Content.CodeSha256 */
	long long	 code_size;		/* Content.CodeSize */
	char		*description;
	char		**runtimes;		/* CompatibleRuntimes */
	size_t		 n_runtimes;
};

void	lambda_layer_detail_clear(struct lambda_layer_detail *d);
/* Parses either answer into out (zeroed); -1 with err naming the field. */
int	lambda_parse_layer_detail(const char *body, size_t len, const char *op,
	    struct lambda_layer_detail *out, struct dlc_err *err);

typedef void (*lambda_layer_detail_cb)(struct aws_reply *reply,
	    struct lambda_layer_detail *out, void *arg);

/* The answers are FunctionConfigurations (lambda_function_configuration_cb). */
struct aws_call *lambda_update_function_code(struct aws_env *env,
	    const struct lambda_update_code_args *a,
	    lambda_function_configuration_cb cb, void *arg);
struct aws_call *lambda_update_function_layers(struct aws_env *env,
	    const struct lambda_update_layers_args *a,
	    lambda_function_configuration_cb cb, void *arg);
struct aws_call *lambda_publish_layer_version(struct aws_env *env,
	    const struct lambda_publish_layer_args *a, lambda_layer_detail_cb cb,
	    void *arg);
struct aws_call *lambda_get_layer_version(struct aws_env *env,
	    const struct lambda_layer_version_args *a, lambda_layer_detail_cb cb,
	    void *arg);

/* The descriptions (args: the structs above), for tests and the waiter. */
extern const struct aws_op lambda_op_update_function_code;
extern const struct aws_op lambda_op_update_function_configuration;
extern const struct aws_op lambda_op_publish_layer_version;
extern const struct aws_op lambda_op_get_layer_version;

#endif
