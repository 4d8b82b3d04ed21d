/*
 * One operation call: build the request from the operation's description,
 * send it through aws_send (which retries), parse the answer into the
 * typed result and hand it to the typed callback.
 */
#include "aws-op.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "xmalloc.h"

struct aws_op_ctx {
	const struct aws_op	*op;
	struct aws_env		*env;
	aws_op_fn		 cb;
	void			*arg;
};

static void
aws_op_owned_free(const struct aws_op *op, char **owned)
{
	int i;

	for (i = 0; i < AWS_OP_MAX_OWNED; i++) {
		if (owned[i] == NULL)
			continue;
		if (op->secret)
			OPENSSL_cleanse(owned[i], strlen(owned[i]));
		free(owned[i]);
		owned[i] = NULL;
	}
}

struct aws_call *
aws_op_send_raw(struct aws_env *env, const struct aws_op *op,
    const void *args, const char *token, aws_done_cb raw,
    void (*on_cancel)(void *), void *arg)
{
	char *owned[AWS_OP_MAX_OWNED] = { NULL };
	struct aws_request req;
	struct aws_call *call;

	memset(&req, 0, sizeof req);
	req.operation = op->name;
	op->request(args, token, &req, owned);
	if (req.body != NULL && req.body_len == 0)
		req.body_len = strlen(req.body);
	req.on_cancel = on_cancel;
	req.secret = op->secret;
	call = aws_send(env, op->svc, &req, raw, arg);
	aws_op_owned_free(op, owned);
	return call;
}

int
aws_op_reply(const struct aws_op *op, struct aws_env *env, int ok,
    struct aws_response *resp, struct aws_reply *reply, void *out)
{
	memset(reply, 0, sizeof *reply);
	memset(out, 0, op->out_size);
	dlc_err_clear(&reply->err);
	reply->resp = resp;
	if (ok != 0) {
		reply->ok = -1;
		reply->err = resp->err;
		return -1;
	}
	if (op->parse != NULL && op->parse(resp->body.data, resp->body.len,
	    out, &reply->err) != 0) {
		reply->ok = -1;
		reply->bad_answer = 1;
		if (reply->err.what[0] == '\0')
			dlc_err_what(&reply->err, "%s (%s)", op->name,
			    aws_env_name(env));
		return -1;
	}
	return 0;
}

static void
aws_op_done(int ok, struct aws_response *resp, void *arg)
{
	struct aws_op_ctx *c = arg;
	const struct aws_op *op = c->op;
	struct aws_reply reply;
	void *out = xcalloc(1, op->out_size > 0 ? op->out_size : 1);

	if (aws_op_reply(op, c->env, ok, resp, &reply, out) == 0)
		op->deliver(c->cb, &reply, out, c->arg);
	else
		op->deliver(c->cb, &reply, NULL, c->arg);
	if (op->clear != NULL)
		op->clear(out);
	free(out);
	free(c);
}

static void
aws_op_cancelled(void *arg)
{
	free(arg);
}

struct aws_call *
aws_op_send(struct aws_env *env, const struct aws_op *op, const void *args,
    const char *token, aws_op_fn cb, void *arg)
{
	struct aws_op_ctx *c = xcalloc(1, sizeof *c);

	c->op = op;
	c->env = env;
	c->cb = cb;
	c->arg = arg;
	return aws_op_send_raw(env, op, args, token, aws_op_done,
	    aws_op_cancelled, c);
}
