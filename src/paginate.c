/*
 * The paginator: one call at a time, the next one sent from the answer of
 * the one before, each through aws_op_send_raw so the operation's own
 * request builder and parser do the protocol part.
 */
#include "paginate.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct paginate {
	struct aws_env		*env;
	const struct aws_op	*op;
	char			*args;
	int			 max_pages;
	aws_op_fn		 on_page;
	paginate_done_cb	 on_done;
	void			*arg;
	struct aws_call		*call;
	char			*token;		/* the one the call in flight carries */
	int			 pages;
	int			 in_page;
	int			 cancelled;
};

static void paginate_answer(int ok, struct aws_response *resp, void *arg);

static void
paginate_free(struct paginate *pg)
{
	free(pg->args);
	free(pg->token);
	free(pg);
}

static void
paginate_fetch(struct paginate *pg)
{
	pg->call = aws_op_send_raw(pg->env, pg->op, pg->args, pg->token,
	    paginate_answer, NULL, pg);
}

static void
paginate_end(struct paginate *pg, enum paginate_status status,
    struct dlc_err *err)
{
	pg->on_done(status, err, pg->arg);
	paginate_free(pg);
}

static void
paginate_answer(int ok, struct aws_response *resp, void *arg)
{
	struct paginate *pg = arg;
	const struct aws_op *op = pg->op;
	struct aws_reply reply;
	struct dlc_err err;
	void *out = xcalloc(1, op->out_size);
	const char *next_ref;
	char *next = NULL;

	pg->call = NULL;
	if (aws_op_reply(op, pg->env, ok, resp, &reply, out) != 0) {
		op->clear(out);
		free(out);
		if (reply.bad_answer) {
			dlc_err_what(&reply.err, "%s (%s), page %d", op->name,
			    aws_env_name(pg->env), pg->pages + 1);
			paginate_end(pg, PAGINATE_BAD_ANSWER, &reply.err);
		} else
			paginate_end(pg, PAGINATE_CALL_FAILED, &reply.err);
		return;
	}
	pg->pages++;
	/* Copied first: the page callback may take the page's members over. */
	next_ref = op->next_token(out);
	if (next_ref != NULL && next_ref[0] != '\0')
		next = xstrdup(next_ref);
	pg->in_page = 1;
	op->deliver(pg->on_page, &reply, out, pg->arg);
	pg->in_page = 0;
	op->clear(out);
	free(out);
	if (pg->cancelled) {
		free(next);
		paginate_free(pg);
		return;
	}
	if (next == NULL) {
		paginate_end(pg, PAGINATE_DONE, NULL);
		return;
	}
	dlc_err_clear(&err);
	if (pg->token != NULL && strcmp(next, pg->token) == 0) {
		free(next);
		dlc_err_set(&err, "RepeatedToken", "page %d of %s answered with "
		    "the token it was sent: stopped rather than ask again forever",
		    pg->pages, op->name);
		dlc_err_what(&err, "%s (%s)", op->name, aws_env_name(pg->env));
		paginate_end(pg, PAGINATE_REPEATED_TOKEN, &err);
		return;
	}
	if (pg->pages >= pg->max_pages) {
		free(next);
		dlc_err_set(&err, "TooManyPages", "%s (%s) still had more after "
		    "%d pages", op->name, aws_env_name(pg->env), pg->max_pages);
		dlc_err_what(&err, "%s (%s)", op->name, aws_env_name(pg->env));
		paginate_end(pg, PAGINATE_TOO_MANY_PAGES, &err);
		return;
	}
	free(pg->token);
	pg->token = next;
	paginate_fetch(pg);
}

struct paginate *
paginate_start(struct aws_env *env, const struct aws_op *op, const char *args,
    int max_pages, aws_op_fn on_page, paginate_done_cb on_done, void *arg)
{
	struct paginate *pg = xcalloc(1, sizeof *pg);

	pg->env = env;
	pg->op = op;
	pg->args = xstrdup(args);
	pg->max_pages = max_pages > 0 ? max_pages : PAGINATE_MAX_PAGES;
	pg->on_page = on_page;
	pg->on_done = on_done;
	pg->arg = arg;
	paginate_fetch(pg);
	return pg;
}

void
paginate_cancel(struct paginate *pg)
{
	if (pg == NULL)
		return;
	if (pg->in_page) {
		/* paginate_answer frees it once the page callback returns. */
		pg->cancelled = 1;
		return;
	}
	aws_call_cancel(pg->call);
	paginate_free(pg);
}

int
paginate_pages(const struct paginate *pg)
{
	return pg->pages;
}
