/*
 * The call pipeline under every AWS operation: endpoint, credentials,
 * protocol headers, SigV4, HTTP, error parsing and the standard retry
 * policy. A retry signs again (fresh date) and waits on a loop timer, so
 * nothing here ever blocks.
 */
#include "config.h"
#include "aws.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "awsconfig.h"
#include "creds.h"
#include "endpoint.h"
#include "filehash.h"
#include "hash.h"
#include "http.h"
#include "loop.h"
#include "oidc.h"
#include "proto-json.h"
#include "proto-query.h"
#include "proto-restxml.h"
#include "redact.h"
#include "retry.h"
#include "sanitize.h"
#include "sigv4.h"
#include "wipe.h"
#include "xmalloc.h"

const struct aws_service aws_service_lambda = { "lambda", AWS_PROTO_REST_JSON, NULL, NULL, 0, 0 };
const struct aws_service aws_service_sts = { "sts", AWS_PROTO_QUERY, NULL, NULL, 0, 0 };
const struct aws_service aws_service_sso = { "sso", AWS_PROTO_REST_JSON, NULL, NULL, 1, 0 };
const struct aws_service aws_service_oidc = { "sso-oidc", AWS_PROTO_REST_JSON, NULL, NULL, 1, 0 };
const struct aws_service aws_service_events = { "events", AWS_PROTO_JSON, "AWSEvents", "1.1", 0, 0 };
const struct aws_service aws_service_logs = { "logs", AWS_PROTO_JSON, "Logs_20140328", "1.1", 0, 0 };
const struct aws_service aws_service_s3 = { "s3", AWS_PROTO_REST_XML, NULL, NULL, 0, 1 };
const struct aws_service aws_service_dynamodb = { "dynamodb", AWS_PROTO_JSON, "DynamoDB_20120810", "1.0", 0, 0 };
const struct aws_service aws_service_cloudwatch = { "monitoring", AWS_PROTO_QUERY, NULL, NULL, 0, 0 };

#define AWS_MAX_ENDPOINTS 16	/* every client endpoint.c knows, with room */
#define AWS_USER_AGENT "dlc/" PACKAGE_VERSION

struct aws_env {
	struct aws_ctx		*ctx;
	char			*name;
	char			*profile;
	char			*region;
	struct creds_provider	*creds;
	struct retry_policy	 retry;
	struct {
		const char	*client;
		char		*url;
		char		*ca_bundle;
	}			 endpoints[AWS_MAX_ENDPOINTS];
	size_t			 n_endpoints;
};

struct aws_call {
	struct aws_env		*env;
	const struct aws_service *svc;
	char			*operation;
	char			*method;
	char			*target;
	char			*body;
	size_t			 body_len;
	char			*content_type;
	char			*extra_name[4];
	char			*extra_value[4];
	long			 connect_timeout_ms;	/* 0: the ctx's */
	long			 read_timeout_ms;
	/* A body streamed from a file: open for the call's life. */
	int			 body_fd;
	uint64_t		 body_file_len;
	/* Its SigV4 payload hash once known: hex, or UNSIGNED-PAYLOAD. */
	char			 payload_hash[65];
	struct filehash		*hashing;
	aws_progress_cb		 progress;
	/* A failure found in aws_send, delivered from the loop. */
	struct dlc_err		 early;
	int			 delivering;
	aws_done_cb		 cb;
	void			*arg;
	void			(*on_cancel)(void *arg);
	int			 secret;	/* its answer: wiped when freed */
	int			 once;		/* not idempotent: see aws_request */
	int			 attempt;
	int			 timeouts;	/* attempts that timed out */
	char			*url;		/* of the last attempt, for messages */
	enum retry_kind		 last_retry;
	struct loop_timer	*timer;
	struct http_call	*http;
	int			 waiting_creds;
	int			 cancelled;
};

static void aws_attempt(void *arg);

struct aws_env *
aws_env_new(struct aws_ctx *ctx, const char *name, const char *profile,
    const char *region, struct creds_provider *creds)
{
	struct aws_env *env = xcalloc(1, sizeof *env);
	const char *attempts = NULL;
	const char *mode = NULL;

	env->ctx = ctx;
	env->name = xstrdup(name);
	env->profile = xstrdup(profile);
	env->region = xstrdup(region);
	env->creds = creds;
	if (ctx->cfg != NULL && profile != NULL) {
		mode = aws_config_get(ctx->cfg, profile, "retry_mode");
		attempts = aws_config_get(ctx->cfg, profile, "max_attempts");
	}
	/* AWS_RETRY_MODE and AWS_MAX_ATTEMPTS win over these. */
	retry_policy_init_env(&env->retry, mode,
	    attempts != NULL ? (int)strtol(attempts, NULL, 10) : 0);
	return env;
}

void
aws_env_free(struct aws_env *env)
{
	size_t i;

	if (env == NULL)
		return;
	for (i = 0; i < env->n_endpoints; i++) {
		free(env->endpoints[i].url);
		free(env->endpoints[i].ca_bundle);
	}
	free(env->name);
	free(env->profile);
	free(env->region);
	free(env);
}

const char *
aws_env_name(const struct aws_env *env)
{
	return env->name;
}

const char *
aws_env_region(const struct aws_env *env)
{
	return env->region;
}

struct creds_provider *
aws_env_creds(const struct aws_env *env)
{
	return env->creds;
}

/* Resolves once per service and environment; the answer cannot change. */
static int
aws_env_endpoint(struct aws_env *env, const char *client, const char **url,
    const char **ca_bundle, struct dlc_err *err)
{
	size_t i;
	char *resolved;

	for (i = 0; i < env->n_endpoints; i++) {
		if (strcmp(env->endpoints[i].client, client) == 0) {
			*url = env->endpoints[i].url;
			*ca_bundle = env->endpoints[i].ca_bundle;
			return 0;
		}
	}
	resolved = endpoint_resolve(env->ctx->cfg, env->profile, client,
	    env->region, err);
	if (resolved == NULL)
		return -1;
	if (env->n_endpoints == AWS_MAX_ENDPOINTS)
		fatal("too many AWS services in one environment");
	i = env->n_endpoints++;
	env->endpoints[i].client = client;
	env->endpoints[i].url = resolved;
	env->endpoints[i].ca_bundle = endpoint_ca_bundle(env->ctx->cfg, env->profile);
	*url = resolved;
	*ca_bundle = env->endpoints[i].ca_bundle;
	return 0;
}

static void
aws_call_free(struct aws_call *call)
{
	int i;

	if (call == NULL)
		return;
	loop_timer_free(call->timer);
	filehash_cancel(call->hashing);
	if (call->body_fd >= 0)
		close(call->body_fd);
	free(call->operation);
	free(call->method);
	free(call->target);
	if (call->body != NULL)		/* client secrets, refresh tokens */
		OPENSSL_cleanse(call->body, call->body_len);
	free(call->body);
	free(call->content_type);
	free(call->url);
	for (i = 0; i < 4; i++) {
		free(call->extra_name[i]);
		wipe_free(&call->extra_value[i]);	/* x-amz-sso_bearer_token */
	}
	free(call);
}

/* Ends the call: runs the callback once, then frees everything. */
static void
aws_finish(struct aws_call *call, struct aws_response *resp)
{
	int ok = dlc_err_isset(&resp->err) ? -1 : 0;

	resp->attempts = call->attempt;
	if (ok != 0 && resp->err.what[0] == '\0')
		dlc_err_what(&resp->err, "%s (%s)", call->operation, call->env->name);
	call->delivering = 1;
	call->cb(ok, resp, call->arg);
	aws_call_free(call);
}

static void
aws_fail_now(struct aws_call *call, const struct dlc_err *err)
{
	struct aws_response resp;

	memset(&resp, 0, sizeof resp);
	buf_init(&resp.body, 0);
	resp.err = *err;
	aws_finish(call, &resp);
	wipe_buf_free(&resp.body);
}

/*
 * A clock off by more than AWS's 15 minutes fails the signature too, but
 * its fix is the clock, not the key: AWS says so in the code
 * (RequestTimeTooSkewed) or the message ("Signature expired: ... is now
 * earlier than", "Signature not yet current: ... is still later than").
 */
static int
aws_clock_skewed(const struct dlc_err *err)
{
	return strcmp(err->code, "RequestTimeTooSkewed") == 0 ||
	    strstr(err->message, "Signature expired") != NULL ||
	    strstr(err->message, "Signature not yet current") != NULL;
}

/* Suggests what to do for the errors a user can act on. */
static void
aws_suggest_fix(struct aws_call *call, struct dlc_err *err)
{
	const char *c = err->code;
	const char *profile = call->env->profile != NULL ? call->env->profile : "default";

	if (err->fix[0] != '\0')
		return;
	if (aws_clock_skewed(err)) {
		dlc_err_fix(err, "the system clock is off by more than 15 minutes from AWS's: check the system clock (timedatectl, NTP)");
	} else if (strcmp(c, "InvalidSignatureException") == 0 || strcmp(c, "SignatureDoesNotMatch") == 0) {
			dlc_err_fix(err, "the secret access key for profile '%s' is wrong: fix it in the AWS credentials file or the environment", profile);
	} else if (strcmp(c, "UnrecognizedClientException") == 0 || strcmp(c, "InvalidClientTokenId") == 0) {
		dlc_err_fix(err, "AWS does not know this access key: check the keys of profile '%s'", profile);
	} else if (strcmp(c, "ExpiredToken") == 0 || strcmp(c, "ExpiredTokenException") == 0) {
		dlc_err_fix(err, "the credentials have expired: run 'dlc login -e %s' (SSO) or renew them", call->env->name);
	} else if (strcmp(c, "AccessDenied") == 0 || strcmp(c, "AccessDeniedException") == 0) {
		dlc_err_fix(err, "the identity of profile '%s' lacks this permission: ask for it or use another profile", profile);
	}
}

/* Every service but S3 says x-amzn-RequestId; S3 says x-amz-request-id. */
static const char *
aws_request_id(const struct http_response *hr)
{
	const char *rid = http_response_header(hr, "x-amzn-RequestId");

	return rid != NULL ? rid : http_response_header(hr, "x-amz-request-id");
}

static void
aws_parse_error(struct aws_call *call, struct http_response *hr, struct dlc_err *err)
{
	const char *rid = aws_request_id(hr);

	if (call->svc->protocol == AWS_PROTO_REST_XML)
		proto_restxml_error(hr->status, rid, hr->body.data, hr->body.len, err);
	else if (call->svc->protocol == AWS_PROTO_QUERY)
		proto_query_error(hr->status, hr->body.data, hr->body.len, err);
	else if (call->svc == &aws_service_oidc)	/* OAuth: error, error_description */
		oidc_error(hr->status, http_response_header(hr, "x-amzn-errortype"),
		    hr->body.data, hr->body.len, err);
	else
		proto_json_error(hr->status, http_response_header(hr, "x-amzn-errortype"),
		    rid, hr->body.data, hr->body.len, err);
	if (err->request_id[0] == '\0' && rid != NULL)
		snprintf(err->request_id, sizeof err->request_id, "%s", rid);
	err->http_status = (int)hr->status;
	/* SignatureDoesNotMatch quotes the canonical request, token and all. */
	redact_message(err->message, sizeof err->message);
}

static void
aws_transport_error(struct http_response *hr, const char *url, struct dlc_err *err)
{
	dlc_err_set(err, "", "%s (%s)", hr->error[0] != '\0' ? hr->error : "transport error", url);
	switch (hr->transport_error) {
	case HTTP_ERR_CONNECT:
		dlc_err_fix(err, "check the network, and the endpoint URL if one is configured");
		break;
	case HTTP_ERR_TIMEOUT:
		dlc_err_fix(err, "the endpoint did not answer in time: try again, or check the network");
		break;
	case HTTP_ERR_TLS:
		dlc_err_fix(err, "TLS verification failed: check AWS_CA_BUNDLE or the profile's ca_bundle");
		break;
	default:
		dlc_err_fix(err, "the connection failed mid-answer: try again");
		break;
	}
}

static void
aws_http_done(struct http_response *hr, void *arg)
{
	struct aws_call *call = arg;
	struct aws_response resp;
	enum retry_kind kind;
	long delay_ms;
	int secret;

	call->http = NULL;
	memset(&resp, 0, sizeof resp);
	buf_init(&resp.body, 0);
	if (hr->transport_error == HTTP_OK && hr->status >= 200 && hr->status < 300) {
		retry_on_success(&call->env->retry, call->attempt, call->last_retry);
		resp.status = hr->status;
		resp.body = hr->body;		/* take the bytes over, no copy */
		buf_init(&hr->body, 0);
		resp.request_id = aws_request_id(hr);
		resp.headers = hr->headers;
		resp.n_headers = hr->n_headers;
		secret = call->secret;	/* the call is gone after aws_finish */
		aws_finish(call, &resp);
		if (secret)
			wipe_buf_free(&resp.body);	/* role credentials, SSO tokens */
		else
			buf_free(&resp.body);
		return;
	}

	if (hr->transport_error != HTTP_OK)
		aws_transport_error(hr, call->url, &resp.err);
	else
		aws_parse_error(call, hr, &resp.err);
	kind = retry_classify(hr->status, resp.err.code, (int)hr->transport_error);
	/* Callers that poll (the log tail) try such a failure again later. */
	resp.err.retryable = kind != RETRY_NO;
	/*
	 * A timed-out attempt is tried once more, not twice: an endpoint that
	 * stalled twice rarely answers a third time, and three read timeouts
	 * would keep a user waiting 45 s for the error.
	 */
	if (kind == RETRY_TIMEOUT && ++call->timeouts > 1)
		kind = RETRY_NO;
	if (call->once && kind != RETRY_THROTTLE &&
	    hr->transport_error != HTTP_ERR_CONNECT)
		kind = RETRY_NO;
	if (kind != RETRY_NO &&
	    retry_should_retry(&call->env->retry, call->attempt, kind, &delay_ms)) {
		call->last_retry = kind;
		if (call->env->ctx->verbose) {
			/* The code is the endpoint's text: through the sanitiser. */
			char *code = sanitize_str(resp.err.code[0] != '\0' ? resp.err.code : "transport");

			fprintf(stderr, "dlc: %s attempt %d failed (%s), retrying in %ld ms\n",
			    call->operation, call->attempt, code, delay_ms);
			free(code);
		}
		wipe_buf_free(&resp.body);
		loop_timer_start(call->timer, delay_ms);
		return;
	}
	resp.status = hr->status;
	/* The caller may need the error body (DynamoDB's ConditionalCheckFailed
	 * holds the item that won) and the headers. */
	if (hr->transport_error == HTTP_OK) {
		resp.body = hr->body;
		buf_init(&hr->body, 0);
		resp.headers = hr->headers;
		resp.n_headers = hr->n_headers;
		resp.request_id = aws_request_id(hr);
	}
	/* Expired credentials must not be served from the cache again. */
	if (call->env->creds != NULL && (strcmp(resp.err.code, "ExpiredToken") == 0 ||
	    strcmp(resp.err.code, "ExpiredTokenException") == 0))
		creds_cache_invalidate(call->env->creds);
	aws_suggest_fix(call, &resp.err);
	aws_finish(call, &resp);
	wipe_buf_free(&resp.body);	/* a SignatureDoesNotMatch body quotes the session token */
}

static long
aws_connect_timeout(const struct aws_call *call)
{
	const struct aws_ctx *ctx = call->env->ctx;

	if (call->connect_timeout_ms > 0)
		return call->connect_timeout_ms;
	return ctx->connect_timeout_ms > 0 ? ctx->connect_timeout_ms : AWS_CONNECT_TIMEOUT_MS;
}

static long
aws_read_timeout(const struct aws_call *call)
{
	const struct aws_ctx *ctx = call->env->ctx;

	if (call->read_timeout_ms > 0)
		return call->read_timeout_ms;
	return ctx->read_timeout_ms > 0 ? ctx->read_timeout_ms : AWS_READ_TIMEOUT_MS;
}

const char *
aws_response_header(const struct aws_response *resp, const char *name)
{
	return http_header_find(resp->headers, resp->n_headers, name);
}

/* The http layer's progress, passed on with the caller's arg. */
static void
aws_progress(uint64_t sent, uint64_t total, void *arg)
{
	struct aws_call *call = arg;

	call->progress(sent, total, call->arg);
}

/* "https://host:port/base" -> "host:port" as curl sends it in Host. */
static char *
aws_host_of(const char *url)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p != NULL ? p + 3 : url;
	n = strcspn(p, "/?#");
	return xstrndup(p, n);
}

static void
aws_send_signed(struct aws_call *call, const struct aws_credentials *creds)
{
	struct http_header headers[16];
	struct sigv4_header sh[16];
	struct sigv4_request sreq;
	struct sigv4_params params;
	struct sigv4_creds screds;
	struct sigv4_result sres;
	struct http_request hreq;
	struct http_body_file bf;
	struct dlc_err err;
	const char *url, *ca;
	char *full_url = NULL, *host = NULL, *target_hdr = NULL, *ctype = NULL;
	const char *path;
	char *path_copy = NULL, *query = NULL;
	size_t n = 0, i;

	dlc_err_clear(&err);
	memset(&sres, 0, sizeof sres);
	if (aws_env_endpoint(call->env, call->svc->client, &url, &ca, &err) != 0) {
		aws_fail_now(call, &err);
		return;
	}
	full_url = xasprintf("%s%s", url, call->target);
	host = aws_host_of(url);

	headers[n].name = "Host"; headers[n++].value = host;
	headers[n].name = "User-Agent"; headers[n++].value = AWS_USER_AGENT;
	switch (call->svc->protocol) {
	case AWS_PROTO_JSON:
		target_hdr = xasprintf("%s.%s", call->svc->target_prefix, call->operation);
		ctype = xasprintf("application/x-amz-json-%s", call->svc->json_version);
		headers[n].name = "X-Amz-Target"; headers[n++].value = target_hdr;
		headers[n].name = "Content-Type"; headers[n++].value = ctype;
		break;
	case AWS_PROTO_QUERY:
		headers[n].name = "Content-Type";
		headers[n++].value = "application/x-www-form-urlencoded; charset=utf-8";
		break;
	case AWS_PROTO_REST_JSON:
		if (call->body != NULL || call->body_fd >= 0) {
			headers[n].name = "Content-Type";
			headers[n++].value = call->content_type != NULL ?
			    call->content_type : "application/json";
		}
		break;
	case AWS_PROTO_REST_XML:
		/* S3 stores what it is told (binary/octet-stream otherwise). */
		if (call->content_type != NULL) {
			headers[n].name = "Content-Type";
			headers[n++].value = call->content_type;
		}
		break;
	}
	for (i = 0; i < 4 && call->extra_name[i] != NULL; i++) {
		headers[n].name = call->extra_name[i];
		headers[n++].value = call->extra_value[i];
	}

	if (creds != NULL) {
		/* The signer wants the path and query apart, exactly as sent. */
		path_copy = xstrdup(call->target);
		query = strchr(path_copy, '?');
		if (query != NULL)
			*query++ = '\0';
		path = path_copy;
		for (i = 0; i < n; i++) {
			sh[i].name = headers[i].name;
			sh[i].value = headers[i].value;
		}
		memset(&sreq, 0, sizeof sreq);
		sreq.method = call->method;
		sreq.path = path;
		sreq.query = query;
		sreq.headers = sh;
		sreq.n_headers = n;
		sreq.body = call->body;
		sreq.body_len = call->body_len;
		memset(&params, 0, sizeof params);
		params.region = call->env->region;
		params.service = endpoint_signing_name(call->svc->client);
		params.when = time(NULL);
		params.normalize_path = !call->svc->s3_signing;
		params.sign_body_header = call->svc->s3_signing;
		if (call->payload_hash[0] != '\0')
			params.payload_hash = call->payload_hash;
		screds.access_key_id = creds->access_key_id;
		screds.secret_access_key = creds->secret_access_key;
		screds.session_token = creds->session_token;
		if (sigv4_sign_headers(&sreq, &params, &screds, &sres, &err) != 0) {
			aws_fail_now(call, &err);
			goto out;
		}
		for (i = 0; i < sres.n_add && n < 16; i++) {
			headers[n].name = (char *)sres.add[i].name;
			headers[n++].value = (char *)sres.add[i].value;
		}
	}

	memset(&hreq, 0, sizeof hreq);
	hreq.method = call->method;
	hreq.url = full_url;
	hreq.headers = headers;
	hreq.n_headers = n;
	hreq.body = call->body;
	hreq.body_len = call->body_len;
	if (call->body_fd >= 0) {
		/* Every attempt sends the file again from its start. */
		bf.fd = call->body_fd;
		bf.offset = 0;
		bf.len = call->body_file_len;
		hreq.body_file = &bf;
		if (call->progress != NULL) {
			hreq.progress = aws_progress;
			hreq.progress_arg = call;
		}
	}
	hreq.ca_bundle = ca;
	hreq.connect_timeout_ms = aws_connect_timeout(call);
	hreq.low_speed_ms = aws_read_timeout(call);
	/* Stalls are caught by the two above; a long upload may take its time. */
	hreq.timeout_ms = -1;
	free(call->url);
	call->url = xstrdup(full_url);
	call->http = http_send(call->env->ctx->http, &hreq, aws_http_done, call);
out:
	sigv4_result_free(&sres);
	free(full_url);
	free(host);
	free(target_hdr);
	free(ctype);
	free(path_copy);
}

static void
aws_creds_ready(const struct aws_credentials *creds, const struct dlc_err *err,
    void *arg)
{
	struct aws_call *call = arg;

	call->waiting_creds = 0;
	if (call->cancelled) {
		aws_call_free(call);
		return;
	}
	if (creds == NULL) {
		aws_fail_now(call, err);
		return;
	}
	aws_send_signed(call, creds);
}

static void
aws_hashed(const unsigned char *digest, const struct dlc_err *err, void *arg)
{
	struct aws_call *call = arg;

	call->hashing = NULL;
	if (digest == NULL) {
		aws_fail_now(call, err);
		return;
	}
	hash_hex(digest, 32, call->payload_hash);
	aws_attempt(call);
}

static void
aws_attempt(void *arg)
{
	struct aws_call *call = arg;
	struct dlc_err err;

	if (dlc_err_isset(&call->early)) {
		aws_fail_now(call, &call->early);
		return;
	}
	/* A file body is hashed once, across loop turns, before the first attempt. */
	if (call->body_fd >= 0 && call->payload_hash[0] == '\0' && !call->svc->is_unsigned) {
		call->hashing = filehash_start(call->env->ctx->loop, call->body_fd, 0,
		    call->body_file_len, aws_hashed, call);
		return;
	}
	call->attempt++;
	if (call->svc->is_unsigned) {
		aws_send_signed(call, NULL);
		return;
	}
	if (call->env->creds == NULL) {
		dlc_err_clear(&err);
		dlc_err_set(&err, "NoCredentials", "no credentials for environment %s",
		    call->env->name);
		aws_fail_now(call, &err);
		return;
	}
	call->waiting_creds = 1;
	creds_get(call->env->creds, aws_creds_ready, call);
}

/* Opens the file a body streams from; a failure is delivered from the loop. */
static void
aws_open_body(struct aws_call *call, const struct aws_request *req)
{
	struct stat st;
	int fd;

	fd = open(req->body_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		dlc_err_set(&call->early, "FileReadError", "cannot read %s: %s",
		    req->body_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		dlc_err_set(&call->early, "FileReadError", "cannot send %s: not a regular file",
		    req->body_path);
		close(fd);
		return;
	}
	call->body_fd = fd;
	call->body_file_len = (uint64_t)st.st_size;
	if (req->unsigned_payload && call->svc->s3_signing)
		snprintf(call->payload_hash, sizeof call->payload_hash, "UNSIGNED-PAYLOAD");
}

struct aws_call *
aws_send(struct aws_env *env, const struct aws_service *svc,
    const struct aws_request *req, aws_done_cb cb, void *arg)
{
	struct aws_call *call = xcalloc(1, sizeof *call);
	int i;

	call->env = env;
	call->svc = svc;
	call->operation = xstrdup(req->operation);
	call->method = xstrdup(req->method != NULL ? req->method : "POST");
	call->target = xstrdup(req->target != NULL ? req->target : "/");
	if (req->body != NULL) {
		call->body = xmalloc(req->body_len + 1);
		memcpy(call->body, req->body, req->body_len);
		call->body[req->body_len] = '\0';
		call->body_len = req->body_len;
	}
	call->content_type = xstrdup(req->content_type);
	call->connect_timeout_ms = req->connect_timeout_ms;
	call->read_timeout_ms = req->read_timeout_ms;
	call->progress = req->progress;
	call->body_fd = -1;
	if (req->body_path != NULL)
		aws_open_body(call, req);
	for (i = 0; i < 4 && req->extra_name[i] != NULL; i++) {
		call->extra_name[i] = xstrdup(req->extra_name[i]);
		call->extra_value[i] = xstrdup(req->extra_value[i]);
	}
	call->cb = cb;
	call->arg = arg;
	call->on_cancel = req->on_cancel;
	call->secret = req->secret;
	call->once = req->once;
	call->timer = loop_timer_new(env->ctx->loop, aws_attempt, call);
	/* Start from the loop, never inside the caller's stack. */
	loop_timer_start(call->timer, 0);
	return call;
}

void
aws_call_cancel(struct aws_call *call)
{
	if (call == NULL || call->delivering || call->cancelled)
		return;
	if (call->on_cancel != NULL)
		call->on_cancel(call->arg);
	if (call->http != NULL)
		http_cancel(call->http);
	if (call->waiting_creds &&
	    !creds_cancel(call->env->creds, aws_creds_ready, call)) {
		/* This provider cannot forget us: free when it answers. */
		call->cancelled = 1;
		loop_timer_stop(call->timer);
		return;
	}
	aws_call_free(call);
}

int
aws_wait(struct aws_ctx *ctx, const int *pending)
{
	while (*pending > 0)
		if (loop_run_once(ctx->loop) != 0 && *pending > 0)
			return -1;
	return 0;
}
