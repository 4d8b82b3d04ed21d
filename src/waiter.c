/*
 * The waiter: one poll at a time, the next one armed on a loop timer from
 * the answer of the one before, so a slow answer never stacks polls.
 */
#include "waiter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "loop.h"
#include "proto-json.h"
#include "xmalloc.h"

struct waiter {
	struct aws_env			*env;
	const struct aws_op		*op;
	char				*args;
	const struct waiter_config	*cfg;
	waiter_progress_cb		 progress;
	waiter_done_cb			 done;
	void				*arg;
	struct loop_timer		*timer;
	struct aws_call			*call;
	uint64_t			 started;
	int				 attempts;
	int				 in_progress;	/* inside the progress callback */
	int				 cancelled;
};

static void
waiter_free(struct waiter *w)
{
	loop_timer_free(w->timer);
	free(w->args);
	free(w);
}

static void
waiter_end(struct waiter *w, const struct dlc_err *err)
{
	w->done(err, w->arg);
	waiter_free(w);
}

/* The member at a dotted path, or NULL. */
static const cJSON *
waiter_lookup(const cJSON *root, const char *path)
{
	const cJSON *node = root;
	char name[128];

	while (node != NULL && *path != '\0') {
		size_t n = strcspn(path, ".");

		if (n >= sizeof name)
			return NULL;
		memcpy(name, path, n);
		name[n] = '\0';
		node = cJSON_IsObject(node) ?
		    cJSON_GetObjectItemCaseSensitive(node, name) : NULL;
		path += n;
		if (*path == '.')
			path++;
	}
	return node;
}

/* The value at path as text, or NULL when absent or not a scalar. */
static const char *
waiter_value(const cJSON *root, const char *path)
{
	const cJSON *v = root != NULL ? waiter_lookup(root, path) : NULL;

	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsTrue(v))
		return "true";
	if (cJSON_IsFalse(v))
		return "false";
	return NULL;
}

static const struct waiter_matcher *
waiter_match(const struct waiter *w, const cJSON *root, const char *code)
{
	size_t i;

	for (i = 0; i < w->cfg->n_matchers; i++) {
		const struct waiter_matcher *m = &w->cfg->matchers[i];
		const char *v;

		if (m->match == WAITER_MATCH_ERROR) {
			if (code != NULL && strcmp(code, m->expected) == 0)
				return m;
			continue;
		}
		v = waiter_value(root, m->path);
		if (v != NULL && strcmp(v, m->expected) == 0)
			return m;
	}
	return NULL;
}

static void
waiter_failed(struct waiter *w, const struct waiter_matcher *m,
    const cJSON *root, const char *code)
{
	const char *reason = m->reason_path != NULL ?
	    waiter_value(root, m->reason_path) : NULL;
	struct dlc_err err;

	dlc_err_clear(&err);
	if (m->match == WAITER_MATCH_ERROR)
		dlc_err_set(&err, "WaiterFailure", "%s answered %s", w->op->name,
		    code);
	else
		dlc_err_set(&err, "WaiterFailure", "%s is %s%s%.700s", m->path,
		    m->expected, reason != NULL ? ": " : "",
		    reason != NULL ? reason : "");
	dlc_err_what(&err, "waiting on %s %s (%s)", w->op->name,
	    w->args != NULL ? w->args : "", aws_env_name(w->env));
	waiter_end(w, &err);
}

/* Arms the next poll, or ends at a cap. */
static void
waiter_again(struct waiter *w)
{
	const struct waiter_config *c = w->cfg;
	uint64_t elapsed = loop_now_ms() - w->started;
	struct dlc_err err;

	if ((c->max_attempts > 0 && w->attempts >= c->max_attempts) ||
	    (c->max_wait_ms > 0 &&
	    elapsed + (uint64_t)c->interval_ms > (uint64_t)c->max_wait_ms)) {
		dlc_err_clear(&err);
		dlc_err_set(&err, "WaiterTimeout", "no final state after %d "
		    "attempts in %llu ms", w->attempts,
		    (unsigned long long)elapsed);
		dlc_err_what(&err, "waiting on %s %s (%s)", w->op->name,
		    w->args != NULL ? w->args : "", aws_env_name(w->env));
		dlc_err_fix(&err, "look at it in the console, or wait longer");
		waiter_end(w, &err);
		return;
	}
	loop_timer_start(w->timer, c->interval_ms);
}

static void
waiter_answer(int ok, struct aws_response *resp, void *arg)
{
	struct waiter *w = arg;
	const struct waiter_matcher *m;
	struct dlc_err perr;
	cJSON *root = NULL;
	const char *code = NULL;

	w->call = NULL;
	w->attempts++;
	if (ok == 0) {
		dlc_err_clear(&perr);
		root = proto_json_parse_object(resp->body.data, resp->body.len,
		    w->op->name, &perr);
		if (root == NULL) {
			dlc_err_what(&perr, "%s (%s)", w->op->name,
			    aws_env_name(w->env));
			waiter_end(w, &perr);
			return;
		}
	} else
		code = resp->err.code;
	m = waiter_match(w, root, code);
	if (m == NULL && ok != 0) {
		/* An error no matcher expects ends the wait, as in botocore. */
		waiter_end(w, &resp->err);
		return;
	}
	if (m != NULL && m->state == WAITER_SUCCESS) {
		cJSON_Delete(root);
		waiter_end(w, NULL);
		return;
	}
	if (m != NULL && m->state == WAITER_FAILURE) {
		waiter_failed(w, m, root, code);
		cJSON_Delete(root);
		return;
	}
	if (w->progress != NULL) {
		const char *v = NULL;
		size_t i;

		for (i = 0; i < w->cfg->n_matchers && v == NULL; i++)
			if (w->cfg->matchers[i].match == WAITER_MATCH_PATH) {
				v = waiter_value(root, w->cfg->matchers[i].path);
				break;
			}
		w->in_progress = 1;
		w->progress(w->attempts, v, w->arg);
		w->in_progress = 0;
	}
	cJSON_Delete(root);
	if (w->cancelled) {
		waiter_free(w);
		return;
	}
	waiter_again(w);
}

static void
waiter_poll(void *arg)
{
	struct waiter *w = arg;

	w->call = aws_op_send_raw(w->env, w->op, w->args, NULL, waiter_answer,
	    NULL, w);
}

struct waiter *
waiter_start(struct loop *loop, struct aws_env *env, const struct aws_op *op,
    const char *args, const struct waiter_config *cfg,
    waiter_progress_cb progress, waiter_done_cb done, void *arg)
{
	struct waiter *w = xcalloc(1, sizeof *w);

	w->env = env;
	w->op = op;
	w->args = xstrdup(args);
	w->cfg = cfg;
	w->progress = progress;
	w->done = done;
	w->arg = arg;
	w->started = loop_now_ms();
	w->timer = loop_timer_new(loop, waiter_poll, w);
	loop_timer_start(w->timer, 0);
	return w;
}

void
waiter_cancel(struct waiter *w)
{
	if (w == NULL)
		return;
	if (w->in_progress) {
		/* waiter_answer frees it once the callback returns. */
		w->cancelled = 1;
		return;
	}
	aws_call_cancel(w->call);
	waiter_free(w);
}
