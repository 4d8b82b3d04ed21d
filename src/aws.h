/*
 * One AWS operation call, whatever the service: resolve the endpoint, get
 * credentials, serialise the headers the protocol wants, sign (SigV4),
 * send on the shared curl multi handle, parse an error into struct
 * dlc_err, and retry by the standard policy. Everything is asynchronous:
 * the callback runs from the event loop.
 */
#ifndef DLC_AWS_H
#define DLC_AWS_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"

struct loop;
struct http;
struct aws_config;
struct creds_provider;

enum aws_protocol {
	AWS_PROTO_REST_JSON,	/* Lambda, SSO, SSO-OIDC */
	AWS_PROTO_JSON,		/* Logs (1.1), DynamoDB (1.0) */
	AWS_PROTO_QUERY,	/* STS, CloudWatch */
};

struct aws_service {
	const char		*client;	/* endpoint key: "lambda", "sts", "sso", "sso-oidc", ... */
	enum aws_protocol	 protocol;
	const char		*target_prefix;	/* json: X-Amz-Target prefix */
	const char		*json_version;	/* json: "1.1" */
	int			 is_unsigned;	/* SSO portal and OIDC calls carry no SigV4 */
};

extern const struct aws_service aws_service_lambda;
extern const struct aws_service aws_service_sts;
extern const struct aws_service aws_service_sso;
extern const struct aws_service aws_service_oidc;
extern const struct aws_service aws_service_events;	/* EventBridge, json 1.1 */
extern const struct aws_service aws_service_logs;	/* CloudWatch Logs, json 1.1 */

/* What every call shares: the loop, the HTTP client, the AWS files. */
struct aws_ctx {
	struct loop		*loop;
	struct http		*http;
	struct aws_config	*cfg;
	int			 verbose;
	/* Per attempt: connecting, and a read that moves no byte (0: the defaults). */
	long			 connect_timeout_ms;
	long			 read_timeout_ms;
};

#define AWS_CONNECT_TIMEOUT_MS	10000
#define AWS_READ_TIMEOUT_MS	15000

/*
 * Where and as whom calls go: one per dlc environment (and one per inner
 * identity a credential provider needs). Owns nothing but its strings and
 * endpoint cache; creds is borrowed (NULL for unsigned services only).
 */
struct aws_env;

struct aws_env *aws_env_new(struct aws_ctx *ctx, const char *name,
	    const char *profile, const char *region, struct creds_provider *creds);
void	aws_env_free(struct aws_env *env);
const char *aws_env_name(const struct aws_env *env);
const char *aws_env_region(const struct aws_env *env);
struct creds_provider *aws_env_creds(const struct aws_env *env);

struct aws_request {
	const char	*operation;	/* "ListFunctions": for X-Amz-Target, messages, traces */
	const char	*method;	/* rest-json: "GET"; others: NULL means POST */
	const char	*target;	/* rest-json: path and query, already encoded; others: NULL means "/" */
	const char	*body;		/* may be NULL */
	size_t		 body_len;
	const char	*content_type;	/* rest-json body type; NULL: the protocol's */
	const char	*extra_name[4];	/* extra headers, e.g. x-amz-sso_bearer_token */
	const char	*extra_value[4];
	/*
	 * When set, aws_call_cancel calls it with arg instead of the callback,
	 * so a layer above (aws-op.c) can free what it passed as arg.
	 */
	void		(*on_cancel)(void *arg);
};

struct aws_response {
	long		 status;
	struct buf	 body;
	const char	*request_id;	/* valid during the callback */
	int		 attempts;
	struct dlc_err	 err;		/* set when the call failed */
};

/* ok: 0 on success, -1 with resp->err filled. resp is freed after the callback. */
typedef void (*aws_done_cb)(int ok, struct aws_response *resp, void *arg);

struct aws_call;
/* The request is copied; never NULL, the callback always runs exactly once. */
struct aws_call *aws_send(struct aws_env *env, const struct aws_service *svc,
	    const struct aws_request *req, aws_done_cb cb, void *arg);
void	aws_call_cancel(struct aws_call *call);

/* Runs the loop while *pending > 0; -1 if it ran dry first. For the plain commands. */
int	aws_wait(struct aws_ctx *ctx, const int *pending);

#endif
