/*
 * Lambda Invoke: the request (raw payload body, LogType Tail), and the
 * answer read from its status, headers and body.
 */
#include "lambda-invoke.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws.h"
#include "aws-op.h"
#include "buf.h"
#include "hash.h"
#include "lambda.h"
#include "uri.h"
#include "xmalloc.h"

/* X-Amz-Log-Result holds 4 KB of log; anything far past that is not it. */
#define LAMBDA_INVOKE_LOG_MAX	(64 * 1024)

void
lambda_invoke_result_clear(struct lambda_invoke_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->function_error);
	free(r->executed_version);
	free(r->log_tail);
	free(r->payload);
	free(r->error_type);
	free(r->error_message);
	for (i = 0; i < r->n_stack_trace; i++)
		free(r->stack_trace[i]);
	free(r->stack_trace);
	memset(r, 0, sizeof *r);
}

static char *
lambda_invoke_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static char *
lambda_invoke_string(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

/*
 * The runtimes' error object: {"errorType", "errorMessage", "stackTrace"}
 * (Python: a list of lines; Node: a list of "at ..." strings). Anything
 * else is left for the caller to show as the response.
 */
static void
lambda_invoke_parse_error(struct lambda_invoke_result *r)
{
	const cJSON *trace, *line;
	cJSON *doc;
	size_t n;

	doc = cJSON_ParseWithLength(r->payload, r->payload_len);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return;
	}
	r->error_type = lambda_invoke_string(doc, "errorType");
	r->error_message = lambda_invoke_string(doc, "errorMessage");
	trace = cJSON_GetObjectItemCaseSensitive(doc, "stackTrace");
	if (cJSON_IsArray(trace) && (n = (size_t)cJSON_GetArraySize(trace)) > 0) {
		r->stack_trace = xcalloc(n, sizeof *r->stack_trace);
		cJSON_ArrayForEach(line, trace) {
			if (cJSON_IsString(line))
				r->stack_trace[r->n_stack_trace++] =
				    xstrdup(line->valuestring);
		}
	}
	cJSON_Delete(doc);
}

void
lambda_invoke_parse(long status, const char *function_error,
    const char *log_result, const char *executed_version, const char *body,
    size_t len, struct lambda_invoke_result *r)
{
	struct buf log;

	memset(r, 0, sizeof *r);
	r->status = status;
	r->function_error = lambda_invoke_dup(function_error);
	r->executed_version = lambda_invoke_dup(executed_version);
	r->payload = xmalloc(len + 1);
	if (len > 0)
		memcpy(r->payload, body, len);
	r->payload[len] = '\0';
	r->payload_len = len;
	if (log_result != NULL) {
		buf_init(&log, LAMBDA_INVOKE_LOG_MAX);
		if (hash_base64_decode(log_result, strlen(log_result), &log) != 0) {
			r->log_tail_bad = 1;
		} else {
			r->log_tail_len = log.len;
			r->log_tail = xmalloc(log.len + 1);
			if (log.len > 0)
				memcpy(r->log_tail, log.data, log.len);
			r->log_tail[log.len] = '\0';
		}
		buf_free(&log);
	}
	if (r->function_error != NULL)
		lambda_invoke_parse_error(r);
}

char *
lambda_invoke_target(const char *function, const char *qualifier)
{
	char *path = lambda_function_path(function, "/invocations");
	struct buf b;

	if (qualifier == NULL)
		return path;
	buf_init(&b, 0);
	buf_puts(&b, path);
	buf_puts(&b, "?Qualifier=");
	uri_encode(&b, qualifier, strlen(qualifier), 0);
	free(path);
	return buf_detach(&b, NULL);
}

struct lambda_invoke_ctx {
	lambda_invoke_cb	 cb;
	void			*arg;
};

static void
lambda_invoke_done(int ok, struct aws_response *resp, void *arg)
{
	struct lambda_invoke_ctx *c = arg;
	struct lambda_invoke_result out;
	struct aws_reply reply;

	memset(&reply, 0, sizeof reply);
	reply.resp = resp;
	if (ok != 0) {
		reply.ok = -1;
		reply.err = resp->err;
		c->cb(&reply, NULL, c->arg);
		free(c);
		return;
	}
	dlc_err_clear(&reply.err);
	lambda_invoke_parse(resp->status,
	    aws_response_header(resp, "X-Amz-Function-Error"),
	    aws_response_header(resp, "X-Amz-Log-Result"),
	    aws_response_header(resp, "X-Amz-Executed-Version"),
	    resp->body.data, resp->body.len, &out);
	c->cb(&reply, &out, c->arg);
	lambda_invoke_result_clear(&out);
	free(c);
}

static void
lambda_invoke_cancelled(void *arg)
{
	free(arg);
}

struct aws_call *
lambda_invoke(struct aws_env *env, const struct lambda_invoke_args *args,
    lambda_invoke_cb cb, void *arg)
{
	struct lambda_invoke_ctx *c = xcalloc(1, sizeof *c);
	struct aws_request req;
	struct aws_call *call;
	char *target = lambda_invoke_target(args->function, args->qualifier);

	c->cb = cb;
	c->arg = arg;
	memset(&req, 0, sizeof req);
	req.operation = "Invoke";
	req.method = "POST";
	req.target = target;
	/* An empty payload is sent as {}: what the CLI and consoles send. */
	req.body = args->payload != NULL && args->payload_len > 0 ?
	    args->payload : "{}";
	req.body_len = args->payload != NULL && args->payload_len > 0 ?
	    args->payload_len : 2;
	req.extra_name[0] = "X-Amz-Invocation-Type";
	req.extra_value[0] = "RequestResponse";
	req.extra_name[1] = "X-Amz-Log-Type";
	req.extra_value[1] = "Tail";
	req.read_timeout_ms = args->read_timeout_ms > 0 ?
	    args->read_timeout_ms : LAMBDA_INVOKE_READ_TIMEOUT_MS;
	req.once = 1;
	req.on_cancel = lambda_invoke_cancelled;
	call = aws_send(env, &aws_service_lambda, &req, lambda_invoke_done, c);
	free(target);
	return call;
}
