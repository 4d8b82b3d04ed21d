/* Where a function's log group is: one decision for the CLI and the console. */
#include "loggroup.h"

#include <stdlib.h>
#include <string.h>

#include "aws.h"
#include "aws-op.h"
#include "dlcconfig.h"
#include "lambda.h"
#include "loop.h"
#include "manifest.h"
#include "xmalloc.h"

#define LOGGROUP_MAX_CANDIDATES	3

struct loggroup_resolver;

struct loggroup_item {
	struct loggroup_resolver *r;
	struct loggroup_target	 t;
	char			*cand[LOGGROUP_MAX_CANDIDATES];
	size_t			 n_cand, next;
	struct aws_call		*call;
	int			 done;
};

struct loggroup_resolver {
	struct aws_env		*aenv;
	char			*env_name;
	struct loggroup_item	*items;
	struct loggroup_target	*out;	/* handed to the callback */
	size_t			 n, pending;
	struct loop_timer	*timer;
	loggroup_done_cb	 cb;
	void			*arg;
	int			 called;
};

static void	loggroup_try(struct loggroup_item *it);

static void
loggroup_add_candidate(struct loggroup_item *it, char *name)
{
	size_t i;

	for (i = 0; i < it->n_cand; i++)
		if (strcmp(it->cand[i], name) == 0) {
			free(name);
			return;
		}
	it->cand[it->n_cand++] = name;
}

static void
loggroup_finish(void *arg)
{
	struct loggroup_resolver *r = arg;
	size_t i;

	if (r->called)
		return;
	r->called = 1;
	for (i = 0; i < r->n; i++)
		r->out[i] = r->items[i].t;
	r->cb(r->out, r->n, r->arg);
}

static void
loggroup_item_done(struct loggroup_item *it)
{
	it->done = 1;
	if (--it->r->pending == 0)
		loggroup_finish(it->r);
}

static void
loggroup_answer(struct aws_reply *reply, struct lambda_function *f, void *arg)
{
	struct loggroup_item *it = arg;
	const char *name = it->cand[it->next - 1];

	it->call = NULL;
	if (reply->ok != 0 && !reply->bad_answer) {
		/* Not this name: the next way of reading what the user typed. */
		if (strcmp(reply->err.code, "ResourceNotFoundException") == 0 &&
		    it->next < it->n_cand) {
			loggroup_try(it);
			return;
		}
		it->t.err = reply->err;
		if (strcmp(reply->err.code, "ResourceNotFoundException") == 0) {
			dlc_err_what(&it->t.err, "no function '%s' in %s", it->t.label,
			    it->r->env_name);
			dlc_err_fix(&it->t.err, "'dlc ls -e %s' lists the functions there; "
			    "--group follows a log group whose function is gone",
			    it->r->env_name);
		}
		loggroup_item_done(it);
		return;
	}
	/* A body that does not parse names no LoggingConfig: Lambda's default group. */
	it->t.function = xstrdup(name);
	it->t.group = lambda_log_group(f != NULL ? f->log_group : NULL, name);
	loggroup_item_done(it);
}

static void
loggroup_try(struct loggroup_item *it)
{
	const char *name = it->cand[it->next++];

	it->call = lambda_get_function_configuration(it->r->aenv, name,
	    loggroup_answer, it);
}

struct loggroup_resolver *
loggroup_resolve(struct loop *loop, struct aws_env *aenv, const struct dlc_env *env,
    const struct local_function *locals, size_t n_locals,
    const char *const *names, const int *is_group, size_t n,
    loggroup_done_cb cb, void *arg)
{
	struct loggroup_resolver *r = xcalloc(1, sizeof *r);
	size_t i;

	r->aenv = aenv;
	r->env_name = xstrdup(env->name);
	r->items = xcalloc(n > 0 ? n : 1, sizeof *r->items);
	r->out = xcalloc(n > 0 ? n : 1, sizeof *r->out);
	r->n = n;
	r->cb = cb;
	r->arg = arg;
	r->timer = loop_timer_new(loop, loggroup_finish, r);
	for (i = 0; i < n; i++) {
		struct loggroup_item *it = &r->items[i];
		const struct local_function *lf;

		it->r = r;
		it->t.label = xstrdup(names[i]);
		if (is_group != NULL && is_group[i]) {
			it->t.group = xstrdup(names[i]);
			it->done = 1;
			continue;
		}
		lf = manifest_find(locals, n_locals, names[i]);
		if (lf != NULL)
			loggroup_add_candidate(it, dlc_env_remote_name(env, lf->remote_base));
		loggroup_add_candidate(it, xstrdup(names[i]));
		loggroup_add_candidate(it, dlc_env_remote_name(env, names[i]));
		r->pending++;
	}
	for (i = 0; i < n; i++)
		if (!r->items[i].done)
			loggroup_try(&r->items[i]);
	/* Nothing to ask: still answered from the loop, never from here. */
	if (r->pending == 0)
		loop_timer_start(r->timer, 0);
	return r;
}

struct loggroup_target *
loggroup_targets(struct loggroup_resolver *r, size_t *n)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		r->out[i] = r->items[i].t;
	*n = r->n;
	return r->out;
}

void
loggroup_resolver_free(struct loggroup_resolver *r)
{
	size_t i, k;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		struct loggroup_item *it = &r->items[i];

		aws_call_cancel(it->call);
		for (k = 0; k < it->n_cand; k++)
			free(it->cand[k]);
		free(it->t.label);
		free(it->t.function);
		free(it->t.group);
	}
	loop_timer_free(r->timer);
	free(r->items);
	free(r->out);
	free(r->env_name);
	free(r);
}
