/*
 * FilterLogEvents as a typed operation (src/aws-op.c): its request from
 * struct logs_filter_args and its answer through the scanner in logs.c.
 * Apart from the scanner so that the parser builds alone (tests/fuzz).
 */
#include "logs.h"
#include "aws-op.h"

static void
logs_filter_request(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	const struct logs_filter_args *a = args;

	owned[0] = logs_filter_log_events_body(a->group, a->start_ms,
	    a->end_ms, a->filter_pattern,
	    a->next_token != NULL ? a->next_token : token, a->limit,
	    a->streams, a->n_streams);
	req->body = owned[0];
}

static int
logs_filter_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return logs_parse_filter_log_events(body, len, out, err);
}

static void
logs_filter_clear(void *out)
{
	logs_filter_page_clear(out);
}

AWS_OP_DELIVER(logs_filter_deliver, logs_filter_log_events_cb)

static const char *
logs_filter_next(const void *out)
{
	return ((const struct logs_filter_page *)out)->next_token;
}

const struct aws_op logs_op_filter_log_events = {
	&aws_service_logs, "FilterLogEvents", sizeof(struct logs_filter_page),
	logs_filter_request, logs_filter_parse, logs_filter_clear,
	logs_filter_deliver, logs_filter_next, 0,
};

struct aws_call *
logs_filter_log_events(struct aws_env *env,
    const struct logs_filter_args *args, logs_filter_log_events_cb cb,
    void *arg)
{
	return aws_op_send(env, &logs_op_filter_log_events, args, NULL,
	    (aws_op_fn)cb, arg);
}
