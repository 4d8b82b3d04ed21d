/*
 * Lambda (rest-json, API 2015-03-31): the operations dlc calls, one typed
 * function each (lambda_get_function, ...), over their request targets and
 * the typed parsers of their answers (FunctionConfiguration, ListFunctions,
 * GetFunction, ListLayerVersions, ListEventSourceMappings).
 */
#ifndef DLC_LAMBDA_H
#define DLC_LAMBDA_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "waiter.h"

struct lambda_layer_ref {
	char		*arn;
	long long	 code_size;
};

struct lambda_function {
	char	*function_name, *function_arn, *runtime, *role, *handler,
		*description, *last_modified, *code_sha256, *version, *state,
		*state_reason, *last_update_status, *last_update_status_reason,
		*package_type, *revision_id;
	char	*log_group;		/* LoggingConfig.LogGroup, or NULL */
	long long code_size;
	long	 memory_size;
	long	 timeout;
	struct lambda_layer_ref *layers;
	size_t	 n_layers;
	char	**env_names, **env_values;	/* Environment.Variables */
	size_t	 n_env;
	char	**architectures;
	size_t	 n_architectures;
	cJSON	*raw;	/* the FunctionConfiguration as received, owned */
};

/* Frees the members (not the struct) and zeroes it; safe on a zeroed one. */
void	lambda_function_clear(struct lambda_function *fn);

/*
 * Fills out (which must be zeroed) from a FunctionConfiguration object.
 * Missing optional fields are NULL/0; a field of the wrong type is an error
 * naming its path. On error out is left cleared.
 */
int	lambda_parse_function_configuration(const cJSON *obj,
	    struct lambda_function *out, struct dlc_err *err);

struct lambda_page {
	struct lambda_function *functions;
	size_t	 n;
	char	*next_marker;	/* NULL on the last page */
};

/* Parses a ListFunctions answer into out (zeroed by the caller). */
int	lambda_parse_list_functions(const char *body, size_t len,
	    struct lambda_page *out, struct dlc_err *err);
void	lambda_page_clear(struct lambda_page *page);

/*
 * Parses a GetFunction answer: Configuration into out and, when
 * code_location is not NULL, Code.Location (an allocated presigned URL, or
 * NULL when absent) into *code_location.
 */
int	lambda_parse_get_function(const char *body, size_t len,
	    struct lambda_function *out, char **code_location,
	    struct dlc_err *err);
/* Parses a bare FunctionConfiguration answer (GetFunctionConfiguration,
 * UpdateFunctionCode, UpdateFunctionConfiguration, PublishVersion). */
int	lambda_parse_function_configuration_body(const char *body, size_t len,
	    const char *op, struct lambda_function *out, struct dlc_err *err);

/*
 * Returns the allocated path plus query of a ListFunctions request:
 * "/2015-03-31/functions/?MaxItems=50&Marker=...". marker is NULL for the
 * first page; max_items <= 0 leaves MaxItems out (AWS sends at most 50).
 */
char	*lambda_list_functions_target(const char *marker, int max_items);

/*
 * Returns the allocated path "/2015-03-31/functions/<label><suffix>", the
 * name or ARN percent-encoded once (':' -> %3A); suffix is "" or e.g.
 * "/configuration". The signer encodes it a second time.
 */
char	*lambda_function_path(const char *function_name_or_arn,
	    const char *suffix);
/*
 * The log group a function writes to, allocated: its LoggingConfig.LogGroup
 * when configured is set, else Lambda's default /aws/lambda/NAME.
 */
char	*lambda_log_group(const char *configured, const char *function_name);

/* 1 when AWS has deprecated runtime (no more updates), else 0. */
int	lambda_runtime_deprecated(const char *runtime);
/* The same against a given time, for tests and "deprecated by then". */
int	lambda_runtime_deprecated_at(const char *runtime, time_t now);

/* One entry of a ListLayerVersions answer (LayerVersionsListItem). */
struct lambda_layer_version {
	long	 version;
	char	*layer_version_arn;
	char	*created_date;		/* as sent: "2026-11-20T09:14:02.123+0000" */
	char	*description;		/* NULL when absent */
};

/*
 * Parses a ListLayerVersions answer: *out is an allocated array of *n
 * entries (free with lambda_layer_versions_free), *next_marker the
 * allocated NextMarker or NULL on the last page. On error nothing is
 * returned and err names the field.
 */
int	lambda_parse_list_layer_versions(const char *body, size_t len,
	    struct lambda_layer_version **out, size_t *n, char **next_marker,
	    struct dlc_err *err);
void	lambda_layer_versions_free(struct lambda_layer_version *v, size_t n);
/*
 * Returns the allocated "/2018-10-31/layers/<name>/versions" plus
 * "?Marker=..." when marker is not NULL. layer_name may be a name or a
 * layer ARN (without version); it is percent-encoded once.
 */
char	*lambda_list_layer_versions_target(const char *layer_name,
	    const char *marker);
/*
 * Splits a layer version ARN "arn:aws:lambda:R:A:layer:NAME:7" into the
 * allocated layer ARN without the version ("arn:...:layer:NAME") and 7.
 * Returns -1 (nothing allocated) when s is not shaped so.
 */
int	lambda_layer_arn_split(const char *layer_version_arn,
	    char **layer_name_or_arn, long *version);
/* The NAME part of a layer or layer version ARN; points into arn, len in *len. */
const char *lambda_layer_arn_name(const char *arn, size_t *len);

/* One EventSourceMappingConfiguration, as dlc shows it. */
struct lambda_esm {
	char	*uuid;
	char	*event_source_arn;
	char	*function_arn;
	char	*state;			/* Enabled, Disabled, Creating, ... */
	char	*state_transition_reason;
	char	*last_processing_result;
	long	 batch_size;
	time_t	 last_modified;		/* 0 when absent */
};

/* Same contract as lambda_parse_list_layer_versions. */
int	lambda_parse_list_event_source_mappings(const char *body, size_t len,
	    struct lambda_esm **out, size_t *n, char **next_marker,
	    struct dlc_err *err);
void	lambda_esms_free(struct lambda_esm *v, size_t n);
/*
 * Returns the allocated "/2015-03-31/event-source-mappings/?FunctionName=..."
 * (plus "&Marker=..."); function_name may be a name or an ARN, or NULL
 * for all the account's mappings.
 */
char	*lambda_list_event_source_mappings_target(const char *function_name,
	    const char *marker);

/* ---- operations (see aws-op.h: cb runs once, its result is cleared after) ---- */

struct aws_env;
struct aws_call;
struct aws_reply;

/* A GetFunction answer. */
struct lambda_function_code {
	struct lambda_function	 config;
	char			*code_location;	/* presigned URL, or NULL */
};

struct lambda_layer_versions_page {
	struct lambda_layer_version *versions;
	size_t	 n;
	char	*next_marker;
};

struct lambda_esm_page {
	struct lambda_esm *esms;
	size_t	 n;
	char	*next_marker;
};

/* The typed result is NULL when reply->ok != 0. */
typedef void (*lambda_list_functions_cb)(struct aws_reply *reply,
	    struct lambda_page *page, void *arg);
typedef void (*lambda_get_function_cb)(struct aws_reply *reply,
	    struct lambda_function_code *out, void *arg);
typedef void (*lambda_function_configuration_cb)(struct aws_reply *reply,
	    struct lambda_function *out, void *arg);
typedef void (*lambda_list_layer_versions_cb)(struct aws_reply *reply,
	    struct lambda_layer_versions_page *page, void *arg);
typedef void (*lambda_list_event_source_mappings_cb)(struct aws_reply *reply,
	    struct lambda_esm_page *page, void *arg);

/* ListFunctions, 50 a page; marker NULL for the first page. */
struct aws_call *lambda_list_functions(struct aws_env *env, const char *marker,
	    lambda_list_functions_cb cb, void *arg);
/* GetFunction of a name or ARN. */
struct aws_call *lambda_get_function(struct aws_env *env, const char *name,
	    lambda_get_function_cb cb, void *arg);
/* GetFunctionConfiguration of a name or ARN. */
struct aws_call *lambda_get_function_configuration(struct aws_env *env,
	    const char *name, lambda_function_configuration_cb cb, void *arg);
/* ListLayerVersions of a layer name or ARN (without version). */
struct aws_call *lambda_list_layer_versions(struct aws_env *env,
	    const char *layer, const char *marker,
	    lambda_list_layer_versions_cb cb, void *arg);
/* ListEventSourceMappings of a function name or ARN. */
struct aws_call *lambda_list_event_source_mappings(struct aws_env *env,
	    const char *function, const char *marker,
	    lambda_list_event_source_mappings_cb cb, void *arg);

/*
 * The descriptions, for paginate_start and waiter_start: each takes as
 * args the string the function above takes (list_functions: NULL).
 */
extern const struct aws_op lambda_op_list_functions;
extern const struct aws_op lambda_op_get_function;
extern const struct aws_op lambda_op_get_function_configuration;
extern const struct aws_op lambda_op_list_layer_versions;
extern const struct aws_op lambda_op_list_event_source_mappings;

/*
 * Waits until a function's last update has settled (GetFunctionConfiguration
 * polled: LastUpdateStatus Successful ends it, Failed fails it with
 * LastUpdateStatusReason, InProgress polls again), every second for at
 * most 5 minutes, as botocore's function_updated_v2 does. See waiter.h.
 */
struct waiter *lambda_wait_updated(struct loop *loop, struct aws_env *env,
	    const char *name, waiter_progress_cb progress, waiter_done_cb done,
	    void *arg);
/* Its configuration, for a waiter with other intervals. */
extern const struct waiter_config lambda_waiter_updated;

#endif
