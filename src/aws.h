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
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"
#include "http.h"

struct loop;
struct http;
struct aws_config;
struct creds_provider;

enum aws_protocol {
	AWS_PROTO_REST_JSON,	/* Lambda, SSO, SSO-OIDC */
	AWS_PROTO_JSON,		/* Logs (1.1), DynamoDB (1.0) */
	AWS_PROTO_QUERY,	/* STS, CloudWatch */
	AWS_PROTO_REST_XML,	/* S3: <Error><Code> errors */
};

struct aws_service {
	const char		*client;	/* endpoint key: "lambda", "sts", "sso", "sso-oidc", ... */
	enum aws_protocol	 protocol;
	const char		*target_prefix;	/* json: X-Amz-Target prefix */
	const char		*json_version;	/* json: "1.1" */
	int			 is_unsigned;	/* SSO portal and OIDC calls carry no SigV4 */
	/* S3's SigV4 rules: the canonical URI is the path as sent (no
	 * normalisation, no second encoding), and x-amz-content-sha256 is
	 * sent and signed on every request. */
	int			 s3_signing;
};

extern const struct aws_service aws_service_lambda;
extern const struct aws_service aws_service_sts;
extern const struct aws_service aws_service_sso;
extern const struct aws_service aws_service_oidc;
extern const struct aws_service aws_service_events;	/* EventBridge, json 1.1 */
extern const struct aws_service aws_service_logs;	/* CloudWatch Logs, json 1.1 */
extern const struct aws_service aws_service_s3;		/* rest-xml, path-style */
extern const struct aws_service aws_service_dynamodb;	/* json 1.0, DynamoDB_20120810 */
extern const struct aws_service aws_service_cloudwatch;	/* query, signs as "monitoring" */

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

/* Bytes of a streamed body sent in this attempt and its size; a retry starts again from 0. */
typedef void (*aws_progress_cb)(uint64_t sent, uint64_t total, void *arg);

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
	/*
	 * The answer holds secrets (role keys, SSO tokens): wiped before its
	 * memory is freed. Not every answer is, since a 200,000-event log
	 * read would spend a tenth of its CPU wiping text that holds none.
	 */
	int		 secret;
	/* Per request, overriding the ctx's (0: the ctx's): connecting, and a
	 * read or write that moves no byte. No limit on the whole transfer. */
	long		 connect_timeout_ms;
	long		 read_timeout_ms;
	/*
	 * Instead of body: the body streamed from this file (opened at send,
	 * read as it goes out, sent again from its start on a retry). Its
	 * SHA-256 is computed across loop turns before the first attempt,
	 * unless unsigned_payload asks for UNSIGNED-PAYLOAD (honoured only by
	 * services with s3_signing; elsewhere the file is hashed).
	 */
	const char	*body_path;
	int		 unsigned_payload;
	aws_progress_cb	 progress;	/* with body_path; gets the call's arg */
	/*
	 * Not idempotent (Invoke runs the function): an attempt that may have
	 * reached AWS (a timeout, a broken connection, a 5xx) is not tried
	 * again, as a second attempt would run the code twice; only what AWS
	 * refused before running it (throttling, no connection) is.
	 */
	int		 once;
};

struct aws_response {
	long		 status;
	/* The answer's body; on failure the last attempt's error body
	 * (DynamoDB's ConditionalCheckFailed carries the item), empty when no
	 * answer came. buf_detach may take it. */
	struct buf	 body;
	const char	*request_id;	/* valid during the callback */
	int		 attempts;
	struct dlc_err	 err;		/* set when the call failed */
	/* The final answer's headers, in order (none when no answer came);
	 * valid during the callback. See aws_response_header. */
	const struct http_header *headers;
	size_t		 n_headers;
};

/* ok: 0 on success, -1 with resp->err filled. resp is freed after the callback. */
typedef void (*aws_done_cb)(int ok, struct aws_response *resp, void *arg);

/* The first header of the answer with this name, case-insensitive; NULL if absent. */
const char *aws_response_header(const struct aws_response *resp, const char *name);

struct aws_call;
/*
 * The request is copied; never NULL. The callback runs exactly once, from
 * the loop, unless the call is cancelled first.
 */
struct aws_call *aws_send(struct aws_env *env, const struct aws_service *svc,
	    const struct aws_request *req, aws_done_cb cb, void *arg);
/*
 * Abandons a call in any state (hashing its body, waiting for credentials,
 * on the wire, waiting to retry): its callback never runs and everything is
 * freed now. A no-op on NULL and from inside the call's own callback.
 */
void	aws_call_cancel(struct aws_call *call);

/* Runs the loop while *pending > 0; -1 if it ran dry first. For the plain commands. */
int	aws_wait(struct aws_ctx *ctx, const int *pending);

#endif
