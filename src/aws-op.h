/*
 * The operation layer over aws_send: an AWS operation described once (its
 * service, name, how its request is built from its arguments, how its
 * answer is parsed into a typed result), so that the service modules
 * (lambda.c, logs.c, sts.c, sso.c, oidc.c, events.c) offer one typed
 * function per operation and no caller builds a request by hand. The
 * paginator (paginate.c) and the waiter (waiter.c) drive these
 * descriptions too.
 */
#ifndef DLC_AWS_OP_H
#define DLC_AWS_OP_H

#include <stddef.h>

#include "aws.h"
#include "err.h"

/* What every operation's callback gets besides its typed result. */
struct aws_reply {
	int			 ok;		/* 0: the answer parsed into the result */
	int			 bad_answer;	/* the call worked but its answer did not parse */
	struct dlc_err		 err;		/* why, when ok != 0 (the callback may amend it) */
	struct aws_response	*resp;		/* status, request id, attempts, raw body */
};

/*
 * A typed callback, stored generically: each operation's deliver casts it
 * back to the operation's own callback type (a round trip C allows).
 */
typedef void (*aws_op_fn)(void);

/*
 * Defines fn, an operation's deliver: cb cast back to cb_type, a callback
 * taking (struct aws_reply *, its result type *, void *), and called. Every
 * operation's deliver is this one cast, so each is one line; the call is
 * checked against cb_type as the hand-written one was. No ';' after it.
 */
#define AWS_OP_DELIVER(fn, cb_type)					\
static void								\
fn(aws_op_fn cb, struct aws_reply *reply, void *out, void *arg)	\
{									\
	((cb_type)cb)(reply, out, arg);					\
}

/* The longest request an operation builds: strings it allocates for it. */
#define AWS_OP_MAX_OWNED	2

struct aws_op {
	const struct aws_service *svc;
	const char	*name;		/* "GetFunction" */
	size_t		 out_size;	/* of the typed result */
	/*
	 * Fills req (zeroed, operation already set) for the page after token
	 * (NULL: the first; ignored by operations that do not page) from the
	 * operation's arguments. Strings it allocates go in owned[], freed
	 * (wiped when secret) once the request is copied.
	 */
	void	(*request)(const void *args, const char *token,
		    struct aws_request *req, char **owned);
	/* Parses a 2xx answer into out (zeroed); NULL: nothing to read. */
	int	(*parse)(const char *body, size_t len, void *out,
		    struct dlc_err *err);
	void	(*clear)(void *out);
	/* Calls cb, cast back to its type, with reply and out (NULL on failure). */
	void	(*deliver)(aws_op_fn cb, struct aws_reply *reply, void *out,
		    void *arg);
	/* Paginated operations: the next page's token in out, or NULL. */
	const char *(*next_token)(const void *out);
	int	 secret;	/* the request or the answer holds secrets */
};

/*
 * Sends op with args (read only during the call) for the page after token
 * (NULL: the first). cb is the operation's typed callback cast to aws_op_fn;
 * it runs exactly once from the loop, unless the returned call is cancelled
 * with aws_call_cancel first. The result it gets is cleared after it
 * returns: it may take members over (and NULL them).
 */
struct aws_call *aws_op_send(struct aws_env *env, const struct aws_op *op,
	    const void *args, const char *token, aws_op_fn cb, void *arg);

/*
 * The same, for a layer (paginate.c, waiter.c) that reads the answer
 * itself: raw is called as aws_send's callback would be, with the request
 * built by op->request.
 */
struct aws_call *aws_op_send_raw(struct aws_env *env, const struct aws_op *op,
	    const void *args, const char *token, aws_done_cb raw,
	    void (*on_cancel)(void *), void *arg);

/*
 * Turns a finished aws_send answer into a reply and a parsed result (out,
 * op->out_size bytes, zeroed here): 0 when it parsed, -1 with reply->err
 * set. The caller clears out with op->clear either way.
 */
int	aws_op_reply(const struct aws_op *op, struct aws_env *env, int ok,
	    struct aws_response *resp, struct aws_reply *reply, void *out);

#endif
