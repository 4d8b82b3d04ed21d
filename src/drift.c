/*
 * Comparing a local function or layer with what Lambda has.
 */
#include "drift.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lambda.h"
#include "manifest.h"
#include "xmalloc.h"

void
drift_row_clear(struct drift_row *row)
{
	size_t i;

	if (row == NULL)
		return;
	free(row->local_name);
	free(row->remote_name);
	free(row->local_sha);
	free(row->remote_sha);
	free(row->layers);
	for (i = 0; i < row->n_items; i++) {
		free(row->items[i].local);
		free(row->items[i].remote);
	}
	free(row->items);
	memset(row, 0, sizeof *row);
}

const char *
drift_state_name(enum drift_state state)
{
	switch (state) {
	case DRIFT_IN_SYNC:
		return "in sync";
	case DRIFT_LOCAL_CHANGES:
		return "local changes";
	case DRIFT_NOT_DEPLOYED:
		return "not deployed";
	case DRIFT_REMOTE_ONLY:
		return "remote only";
	default:
		return "unknown";
	}
}

int
drift_row_differs(const struct drift_row *row)
{
	return row->state != DRIFT_IN_SYNC || row->n_items > 0;
}

static char *
drift_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
drift_add(struct drift_row *row, const char *field, const char *local,
    const char *remote)
{
	struct drift_item *it;

	row->items = xreallocarray(row->items, row->n_items + 1, sizeof *row->items);
	it = &row->items[row->n_items++];
	it->field = field;
	it->local = xstrdup(local != NULL ? local : "-");
	it->remote = xstrdup(remote != NULL ? remote : "-");
}

static enum drift_state
drift_code_state(const char *local_sha, const char *remote_sha)
{
	if (local_sha == NULL)
		return DRIFT_UNKNOWN;
	if (remote_sha != NULL && strcmp(local_sha, remote_sha) == 0)
		return DRIFT_IN_SYNC;
	return DRIFT_LOCAL_CHANGES;
}

/* The local layer a remote layer name stands for, or NULL. */
static const struct local_function *
drift_local_layer(const struct dlc_env *env, const struct local_function *locals,
    size_t n_locals, const char *remote_name)
{
	const struct local_function *lf = manifest_find_remote(locals, n_locals, env,
	    remote_name);

	return lf != NULL && lf->is_layer ? lf : NULL;
}

/*
 * Layers by name, in order (the order decides which layer's files win):
 * the manifest's folders through the template against the ARNs' names.
 * Written in local terms where a remote layer maps to a folder, with the
 * version each remote one uses.
 */
static void
drift_layers(const struct dlc_env *env, const struct local_function *locals,
    size_t n_locals, const struct local_function *lf,
    const struct lambda_function *remote, struct drift_row *out)
{
	struct buf want, have;
	int same = lf->n_layers == remote->n_layers;
	size_t i;

	buf_init(&want, 0);
	buf_init(&have, 0);
	for (i = 0; i < lf->n_layers; i++)
		buf_printf(&want, "%s%s", i > 0 ? " " : "", lf->layers[i]);
	for (i = 0; i < remote->n_layers; i++) {
		const struct local_function *ll;
		const char *name;
		char *rname, *expect = NULL;
		size_t len;
		long version = 0;
		char *unversioned = NULL;

		name = lambda_layer_arn_name(remote->layers[i].arn, &len);
		rname = xstrndup(name, len);
		if (lambda_layer_arn_split(remote->layers[i].arn, &unversioned, &version) != 0)
			version = 0;
		free(unversioned);
		ll = drift_local_layer(env, locals, n_locals, rname);
		if (i < lf->n_layers) {
			const struct local_function *want_lf = manifest_find(locals, n_locals,
			    lf->layers[i]);

			expect = dlc_env_remote_name(env, want_lf != NULL ?
			    want_lf->remote_base : lf->layers[i]);
			if (strcmp(expect, rname) != 0)
				same = 0;
			free(expect);
		}
		buf_printf(&have, "%s%s", i > 0 ? " " : "", ll != NULL ? ll->name : rname);
		if (version > 0)
			buf_printf(&have, ":%ld", version);
		free(rname);
	}
	if (have.len > 0)
		out->layers = xstrdup(have.data);
	if (!same)
		drift_add(out, "Layers", want.len > 0 ? want.data : "(none)",
		    have.len > 0 ? have.data : "(none)");
	buf_free(&want);
	buf_free(&have);
}

static int
drift_differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

void
drift_compare_function(const struct dlc_env *env,
    const struct local_function *locals, size_t n_locals,
    const struct local_function *lf, const char *local_sha,
    const struct lambda_function *remote, struct drift_row *out)
{
	memset(out, 0, sizeof *out);
	out->local_name = lf != NULL ? xstrdup(lf->name) : NULL;
	out->local_sha = drift_dup(local_sha);
	if (remote != NULL) {
		out->remote_name = drift_dup(remote->function_name);
		out->remote_sha = drift_dup(remote->code_sha256);
	} else if (lf != NULL) {
		out->remote_name = dlc_env_remote_name(env, lf->remote_base);
	}
	if (lf == NULL) {
		out->state = DRIFT_REMOTE_ONLY;
		return;
	}
	if (remote == NULL) {
		out->state = DRIFT_NOT_DEPLOYED;
		return;
	}
	out->state = drift_code_state(local_sha, remote->code_sha256);
	if (drift_differ(lf->runtime, remote->runtime))
		drift_add(out, "Runtime", lf->runtime, remote->runtime);
	if (drift_differ(lf->handler, remote->handler))
		drift_add(out, "Handler", lf->handler, remote->handler);
	drift_layers(env, locals, n_locals, lf, remote, out);
}

void
drift_compare_layer(const struct dlc_env *env, const struct local_function *lf,
    const char *local_sha, const char *remote_sha, long version,
    char *const *runtimes, size_t n_runtimes, struct drift_row *out)
{
	struct buf have;
	size_t i;

	memset(out, 0, sizeof *out);
	out->is_layer = 1;
	out->local_name = xstrdup(lf->name);
	out->remote_name = dlc_env_remote_name(env, lf->remote_base);
	out->local_sha = drift_dup(local_sha);
	out->remote_sha = drift_dup(remote_sha);
	out->layer_version = version;
	if (remote_sha == NULL) {
		out->state = DRIFT_NOT_DEPLOYED;
		return;
	}
	out->state = drift_code_state(local_sha, remote_sha);
	if (lf->runtime == NULL)
		return;
	buf_init(&have, 0);
	for (i = 0; i < n_runtimes; i++) {
		if (strcmp(runtimes[i], lf->runtime) == 0)
			break;
		buf_printf(&have, "%s%s", i > 0 ? " " : "", runtimes[i]);
	}
	if (i == n_runtimes)
		drift_add(out, "Runtime", lf->runtime, have.len > 0 ? have.data : "(none)");
	buf_free(&have);
}

void
drift_remote_only_layer(const char *remote_name, const char *remote_sha,
    long version, struct drift_row *out)
{
	memset(out, 0, sizeof *out);
	out->is_layer = 1;
	out->state = DRIFT_REMOTE_ONLY;
	out->remote_name = xstrdup(remote_name);
	out->remote_sha = drift_dup(remote_sha);
	out->layer_version = version;
}
