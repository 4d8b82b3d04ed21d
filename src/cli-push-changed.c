/*
 * dlc push --changed: each local function's zip (drift-local) against its
 * deployed CodeSha256 (GetFunctionConfiguration of its name in the
 * environment), all at once on the loop; the zips two at a time by
 * build_may_start, as dlc diff builds them.
 */
#include "cli-push-changed.h"

#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "drift-local.h"
#include "lambda.h"
#include "sanitize.h"
#include "xmalloc.h"

struct cli_push_changed_item {
	struct cli_push_changed		*c;
	const struct local_function	*lf;
	struct drift_local		*hash;
	char				*local_sha;
	char				*remote_sha;
	int				 deployed;
};

struct cli_push_changed {
	struct cli_ctx			*ctx;
	int				 pending;
	int				 failed;
	struct dlc_err			 err;
	struct cli_push_changed_item	*items;
	size_t				 n, next;
	size_t				 building;
	int				 special;
};

static void cli_push_changed_next(struct cli_push_changed *c);

static void
cli_push_changed_fail(struct cli_push_changed *c, const struct dlc_err *err)
{
	if (!c->failed)
		c->err = *err;
	c->failed = 1;
}

static void
cli_push_changed_hashed(const char *sha, const struct dlc_err *err, void *arg)
{
	struct cli_push_changed_item *it = arg;
	struct cli_push_changed *c = it->c;

	if (sha != NULL)
		it->local_sha = xstrdup(sha);
	else
		cli_push_changed_fail(c, err);
	drift_local_free(it->hash);
	it->hash = NULL;
	if (it->lf->special)
		c->special = 0;
	c->building--;
	c->pending--;
	cli_push_changed_next(c);
}

static void
cli_push_changed_next(struct cli_push_changed *c)
{
	struct dlc_err err;

	while (c->next < c->n) {
		struct cli_push_changed_item *it = &c->items[c->next];

		if (!build_may_start(it->lf, c->building, c->special))
			break;
		c->next++;
		dlc_err_clear(&err);
		it->hash = drift_local_start(c->ctx->aws.loop, &c->ctx->cfg,
		    it->lf, NULL, cli_push_changed_hashed, it, &err);
		if (it->hash == NULL) {
			cli_push_changed_fail(c, &err);
			c->pending--;
			continue;
		}
		c->special = it->lf->special;
		c->building++;
	}
}

static void
cli_push_changed_got(struct aws_reply *reply, struct lambda_function *fn,
    void *arg)
{
	struct cli_push_changed_item *it = arg;

	if (reply->ok == 0) {
		it->deployed = 1;
		if (fn->code_sha256 != NULL)
			it->remote_sha = xstrdup(fn->code_sha256);
	} else if (strcmp(reply->err.code, "ResourceNotFoundException") != 0) {
		cli_push_changed_fail(it->c, &reply->err);
	}
	it->c->pending--;
}

int
cli_push_changed(struct cli_ctx *ctx, struct aws_env *aenv,
    const struct dlc_env *env, const struct local_function *locals,
    size_t n_locals, const struct local_function ***out, size_t *n_out,
    struct dlc_err *err)
{
	struct cli_push_changed c;
	size_t i;
	int rc = 0;

	memset(&c, 0, sizeof c);
	c.ctx = ctx;
	c.items = xcalloc(n_locals + 1, sizeof *c.items);
	for (i = 0; i < n_locals; i++) {
		if (locals[i].is_layer)
			continue;
		c.items[c.n].c = &c;
		c.items[c.n++].lf = &locals[i];
	}
	*out = xcalloc(c.n + 1, sizeof **out);
	*n_out = 0;
	c.pending = 2 * (int)c.n;
	for (i = 0; i < c.n; i++) {
		char *remote = dlc_env_remote_name(env,
		    c.items[i].lf->remote_base);

		lambda_get_function_configuration(aenv, remote,
		    cli_push_changed_got, &c.items[i]);
		free(remote);
	}
	cli_push_changed_next(&c);
	aws_wait(&ctx->aws, &c.pending);
	if (c.failed) {
		*err = c.err;
		dlc_err_what(err, "finding the functions with local changes "
		    "in %s", env->name);
		rc = -1;
	}
	for (i = 0; i < c.n; i++) {
		struct cli_push_changed_item *it = &c.items[i];

		if (rc == 0 && !it->deployed) {
			char *name = sanitize_str(it->lf->name);

			fprintf(stderr, "dlc push: %s is not deployed to %s: "
			    "left out (push updates code; create the function "
			    "first)\n", name, env->name);
			free(name);
		} else if (rc == 0 && it->local_sha != NULL &&
		    (it->remote_sha == NULL ||
		    strcmp(it->local_sha, it->remote_sha) != 0)) {
			(*out)[(*n_out)++] = it->lf;
		}
		drift_local_free(it->hash);
		free(it->local_sha);
		free(it->remote_sha);
	}
	free(c.items);
	return rc;
}
