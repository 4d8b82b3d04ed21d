/*
 * Lambda Invoke (POST /2015-03-31/functions/NAME/invocations): runs a
 * function synchronously with its log tail asked for (X-Amz-Log-Type:
 * Tail) and hands back what the answer's headers and body say: the status,
 * the function error (X-Amz-Function-Error, and errorType, errorMessage
 * and stackTrace from the body when it is the runtime's error JSON), the
 * decoded log tail (X-Amz-Log-Result, base64 of the last 4 KB of the
 * log) and the response bytes. Kept apart from lambda.c because its
 * answer lives in headers as much as in the body, which the operation
 * layer's parsers do not see. Everything it returns is untrusted: the
 * function's own output.
 */
#ifndef DLC_LAMBDA_INVOKE_H
#define DLC_LAMBDA_INVOKE_H

#include <stddef.h>

#include "err.h"

struct aws_env;
struct aws_call;
struct aws_reply;

/*
 * A function may run 15 minutes without sending a byte: the read timeout
 * (a read that moves nothing) must outlast that, with a margin for the
 * cold start and the answer. Not a limit on the whole call.
 */
#define LAMBDA_INVOKE_READ_TIMEOUT_MS	(16L * 60 * 1000)

struct lambda_invoke_args {
	const char	*function;	/* name, partial ARN or ARN */
	const char	*qualifier;	/* version or alias, or NULL */
	const char	*payload;	/* the event's bytes (JSON), may be NULL */
	size_t		 payload_len;
	long		 read_timeout_ms;	/* 0: LAMBDA_INVOKE_READ_TIMEOUT_MS */
};

struct lambda_invoke_result {
	long	 status;		/* 200 for RequestResponse */
	char	*function_error;	/* X-Amz-Function-Error ("Unhandled"), or NULL */
	char	*executed_version;	/* X-Amz-Executed-Version, or NULL */
	char	*log_tail;		/* decoded log tail (NUL-terminated), or NULL */
	size_t	 log_tail_len;
	int	 log_tail_bad;		/* X-Amz-Log-Result was there but not base64 */
	char	*payload;		/* the response body (NUL-terminated), or NULL */
	size_t	 payload_len;
	/* From the body when it is the runtime's error object; NULL otherwise. */
	char	*error_type;
	char	*error_message;
	char	**stack_trace;		/* lines as sent */
	size_t	 n_stack_trace;
};

/* Frees the members and zeroes r; safe on a zeroed one. */
void	lambda_invoke_result_clear(struct lambda_invoke_result *r);

/*
 * Fills r (zeroed) from an answer's parts: its status, the three headers
 * (each NULL when absent) and its body (copied). Never fails: a log tail
 * that is not base64 sets log_tail_bad, a body that is not the error JSON
 * leaves error_type and the others NULL.
 */
void	lambda_invoke_parse(long status, const char *function_error,
	    const char *log_result, const char *executed_version,
	    const char *body, size_t len, struct lambda_invoke_result *r);

/*
 * Returns the allocated path "/2015-03-31/functions/<label>/invocations"
 * plus "?Qualifier=..." when qualifier is not NULL.
 */
char	*lambda_invoke_target(const char *function, const char *qualifier);

/*
 * Called once. reply->ok != 0 when the call failed (AWS's error in
 * reply->err, e.g. ResourceNotFoundException); then out is NULL. A
 * function that failed is a call that worked: ok is 0 and
 * out->function_error is set. out is cleared after cb returns; cb may take
 * members over (and NULL them).
 */
typedef void (*lambda_invoke_cb)(struct aws_reply *reply,
	    struct lambda_invoke_result *out, void *arg);

/*
 * Sends Invoke (RequestResponse, LogType Tail). args is read only during
 * the call. Throttling is retried; an attempt that may have run the
 * function (a timeout, a broken connection, a 5xx) is not, so a function
 * never runs twice for one invoke. Cancel with aws_call_cancel.
 */
struct aws_call *lambda_invoke(struct aws_env *env,
	    const struct lambda_invoke_args *args, lambda_invoke_cb cb,
	    void *arg);

#endif
