/*
 * dlc diff -e ENV [FUNCTION...]: for every local function and layer (or
 * those named) and every function and layer (ListLayers) the environment's
 * template claims, is the deployed code this checkout's (src/drift.c)?
 * The local side is the CodeSha256 of the zip dlc build makes
 * (src/drift-local.c), the remote side what ListFunctions reports, or for
 * a layer its newest version's (ListLayerVersions, then GetLayerVersion):
 * no code is downloaded. The
 * zips are built two at a time (two cores; a special function's alone, as
 * dlc build does) while the calls go out.
 *
 * Functions and layers no environment's template matches (dlc ls's
 * "unmatched") are not this environment's to diff and are left out unless
 * named.
 *
 * Exit: 0, or 1 on an error (a zip that could not be made, a failed
 * call); with --exit-code, 2 when anything differs (CI).
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "build.h"
#include "drift.h"
#include "drift-local.h"
#include "env-owner.h"
#include "jsonout.h"
#include "lambda.h"
#include "lambda-layer.h"
#include "lambda-write.h"
#include "manifest.h"
#include "paginate.h"
#include "sanitize.h"
#include "table.h"
#include "xmalloc.h"


enum { CLI_DIFF_DIFFERS = 2 };

struct cli_diff;

/* One local function or layer being compared. */
struct cli_diff_local {
	struct cli_diff			*d;
	const struct local_function	*lf;
	struct drift_local		*hash;
	char				*sha;		/* its zip's CodeSha256 */
	struct dlc_err			 hash_err;
	int				 hashed;
	/* layers: the newest version and its CodeSha256 */
	long				 newest;
	char				*remote_sha;
	char				**runtimes;	/* its CompatibleRuntimes */
	size_t				 n_runtimes;
};

/* A layer of the account that no folder here has. */
struct cli_diff_remote_layer {
	struct cli_diff		*d;
	char			*name;
	long			 version;	/* its newest */
	char			*sha;
};

struct cli_diff {
	struct cli_ctx		*ctx;
	const struct dlc_env	*env;
	struct aws_env		*aenv;
	int			 pending;
	int			 failed;
	struct dlc_err		 err;		/* the first call that failed */
	struct lambda_function	*fns;		/* ListFunctions, all pages */
	size_t			 n_fns;
	struct cli_diff_local	*items;
	size_t			 n_items;
	size_t			 next_hash;
	int			 hashing;
	int			 special;	/* a special function's build is running */
	struct cli_diff_remote_layer *rlayers;	/* ListLayers, all pages */
	size_t			 n_rlayers;
	/* What the command line named that is no folder here, and whether found. */
	const char		**remote_names;
	int			*found;
	size_t			 n_remote;
	int			 all;		/* nothing named: everything */
};

static void cli_diff_next_hash(struct cli_diff *d);

static void
cli_diff_fail(struct cli_diff *d, const struct dlc_err *err)
{
	if (!d->failed)
		d->err = *err;
	d->failed = 1;
}

static void
cli_diff_hashed(const char *sha, const struct dlc_err *err, void *arg)
{
	struct cli_diff_local *it = arg;
	struct cli_diff *d = it->d;

	it->hashed = 1;
	if (sha != NULL)
		it->sha = xstrdup(sha);
	else
		it->hash_err = *err;
	drift_local_free(it->hash);
	it->hash = NULL;
	if (it->lf->special)
		d->special = 0;
	d->hashing--;
	d->pending--;
	cli_diff_next_hash(d);
}

/* A build can take a minute (pip): say so, rather than sit silent. */
static void
cli_diff_building(void *arg)
{
	struct cli_diff_local *it = arg;
	char *name = sanitize_str(it->lf->name);

	fprintf(stderr, "dlc diff: building %s (changed since its last build)\n", name);
	free(name);
}

static void
cli_diff_next_hash(struct cli_diff *d)
{
	while (d->next_hash < d->n_items) {
		struct cli_diff_local *it = &d->items[d->next_hash];

		if (!build_may_start(it->lf, (size_t)d->hashing, d->special))
			break;
		d->next_hash++;
		dlc_err_clear(&it->hash_err);
		it->hash = drift_local_start(d->ctx->aws.loop, &d->ctx->cfg, it->lf,
		    cli_diff_building, cli_diff_hashed, it, &it->hash_err);
		if (it->hash == NULL) {
			it->hashed = 1;
			d->pending--;
			continue;
		}
		d->special = it->lf->special;
		d->hashing++;
	}
}

static void
cli_diff_page(struct aws_reply *reply, struct lambda_page *page, void *arg)
{
	struct cli_diff *d = arg;

	(void)reply;
	d->fns = xreallocarray(d->fns, d->n_fns + page->n + 1, sizeof *d->fns);
	memcpy(d->fns + d->n_fns, page->functions, page->n * sizeof *d->fns);
	d->n_fns += page->n;
	/* Taken over: the page's clear frees only its array. */
	page->n = 0;
}

static void
cli_diff_listed(enum paginate_status status, struct dlc_err *err, void *arg)
{
	struct cli_diff *d = arg;

	if (status != PAGINATE_DONE)
		cli_diff_fail(d, err);
	d->pending--;
}

static void
cli_diff_layers_page(struct aws_reply *reply, struct lambda_layers_page *p, void *arg)
{
	struct cli_diff *d = arg;
	size_t i;

	(void)reply;
	d->rlayers = xreallocarray(d->rlayers, d->n_rlayers + p->n + 1, sizeof *d->rlayers);
	for (i = 0; i < p->n; i++) {
		struct cli_diff_remote_layer *rl = &d->rlayers[d->n_rlayers];

		if (p->layers[i].layer_name == NULL)
			continue;
		memset(rl, 0, sizeof *rl);
		rl->d = d;
		rl->name = xstrdup(p->layers[i].layer_name);
		rl->version = p->layers[i].latest_version;
		d->n_rlayers++;
	}
}

static void
cli_diff_remote_layer_got(struct aws_reply *reply, struct lambda_layer_detail *v,
    void *arg)
{
	struct cli_diff_remote_layer *rl = arg;

	if (reply->ok != 0)
		cli_diff_fail(rl->d, &reply->err);
	else if (v->code_sha256 != NULL)
		rl->sha = xstrdup(v->code_sha256);
	rl->d->pending--;
}

static void
cli_diff_layer_got(struct aws_reply *reply, struct lambda_layer_detail *v,
    void *arg)
{
	struct cli_diff_local *it = arg;

	if (reply->ok != 0)
		cli_diff_fail(it->d, &reply->err);
	else if (v->code_sha256 != NULL) {
		it->remote_sha = xstrdup(v->code_sha256);
		/* Taken over: the result is cleared after this returns. */
		it->runtimes = v->runtimes;
		it->n_runtimes = v->n_runtimes;
		v->runtimes = NULL;
		v->n_runtimes = 0;
	}
	it->d->pending--;
}

static void
cli_diff_layer_page(struct aws_reply *reply, struct lambda_layer_versions_page *p,
    void *arg)
{
	struct cli_diff_local *it = arg;
	size_t i;

	(void)reply;
	/* The model states no order: the newest is the highest Version. */
	for (i = 0; i < p->n; i++)
		if (p->versions[i].version > it->newest)
			it->newest = p->versions[i].version;
}

static void
cli_diff_layer_listed(enum paginate_status status, struct dlc_err *err, void *arg)
{
	struct cli_diff_local *it = arg;
	struct cli_diff *d = it->d;
	struct lambda_layer_version_args a;
	char *name;

	/* A layer never published is not deployed, however AWS says so. */
	if (status != PAGINATE_DONE &&
	    !(err != NULL && strcmp(err->code, "ResourceNotFoundException") == 0)) {
		cli_diff_fail(d, err);
	} else if (it->newest > 0) {
		name = dlc_env_remote_name(d->env, it->lf->remote_base);
		a.layer_name = name;
		a.version = it->newest;
		d->pending++;
		lambda_get_layer_version(d->aenv, &a, cli_diff_layer_got, it);
		free(name);
	}
	d->pending--;
}

/* The remote function of a local one, from the list. */
static const struct lambda_function *
cli_diff_remote_of(const struct cli_diff *d, const char *remote_name)
{
	size_t i;

	for (i = 0; i < d->n_fns; i++)
		if (d->fns[i].function_name != NULL &&
		    strcmp(d->fns[i].function_name, remote_name) == 0)
			return &d->fns[i];
	return NULL;
}

static void
cli_diff_print_text(const struct drift_row *rows, size_t n)
{
	static const char *const headers[] = { "FUNCTION", "KIND", "REMOTE", "STATE",
	    "CONFIG", "LAYERS", "LOCAL", "DEPLOYED" };
	enum { NCOLS = sizeof headers / sizeof headers[0] };
	struct table *t = table_new(NCOLS, headers);
	struct buf out, cfg;
	char layers[32], lsha[16], rsha[16];
	size_t i, k;

	for (i = 0; i < NCOLS; i++)
		table_set_identifier(t, i, 1);
	for (i = 0; i < n; i++) {
		const struct drift_row *r = &rows[i];
		const char *cells[NCOLS];

		buf_init(&cfg, 0);
		for (k = 0; k < r->n_items; k++)
			buf_printf(&cfg, "%s%s %s (manifest %s)", k > 0 ? "; " : "",
			    strcmp(r->items[k].field, "Runtime") == 0 ? "runtime" :
			    strcmp(r->items[k].field, "Handler") == 0 ? "handler" : "layers",
			    r->items[k].remote, r->items[k].local);
		snprintf(layers, sizeof layers, "version %ld", r->layer_version);
		/* Enough of a CodeSha256 to tell two apart; JSON has them whole. */
		snprintf(lsha, sizeof lsha, "%.10s", r->local_sha != NULL ? r->local_sha : "-");
		snprintf(rsha, sizeof rsha, "%.10s", r->remote_sha != NULL ? r->remote_sha : "-");
		cells[0] = r->local_name != NULL ? r->local_name : "-";
		cells[1] = r->is_layer ? "layer" : "function";
		cells[2] = r->remote_name != NULL ? r->remote_name : "-";
		cells[3] = drift_state_name(r->state);
		cells[4] = cfg.len > 0 ? cfg.data : "-";
		cells[5] = r->is_layer ? (r->layer_version > 0 ? layers : "-") :
		    r->layers != NULL ? r->layers : "-";
		cells[6] = lsha;
		cells[7] = rsha;
		table_add_row(t, cells);
		buf_free(&cfg);
	}
	buf_init(&out, 0);
	table_render(t, &out, 0);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	table_free(t);
}

static void
cli_diff_print_json(const struct drift_row *rows, size_t n)
{
	cJSON *list = cJSON_CreateArray();
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct drift_row *r = &rows[i];
		cJSON *o = cJSON_CreateObject(), *items;

		cJSON_AddItemToObject(o, "LocalFunction", jsonout_string_or_null(r->local_name));
		cJSON_AddStringToObject(o, "Kind", r->is_layer ? "layer" : "function");
		cJSON_AddItemToObject(o, r->is_layer ? "LayerName" : "FunctionName",
		    jsonout_string_or_null(r->remote_name));
		cJSON_AddStringToObject(o, "State", drift_state_name(r->state));
		cJSON_AddBoolToObject(o, "Differs", drift_row_differs(r));
		cJSON_AddItemToObject(o, "LocalCodeSha256", jsonout_string_or_null(r->local_sha));
		cJSON_AddItemToObject(o, "DeployedCodeSha256", jsonout_string_or_null(r->remote_sha));
		if (r->is_layer)
			cJSON_AddNumberToObject(o, "LayerVersion", (double)r->layer_version);
		else
			cJSON_AddItemToObject(o, "Layers", jsonout_string_or_null(r->layers));
		items = cJSON_AddArrayToObject(o, "ConfigDrift");
		for (k = 0; k < r->n_items; k++) {
			cJSON *it = cJSON_CreateObject();

			cJSON_AddStringToObject(it, "Field", r->items[k].field);
			cJSON_AddStringToObject(it, "Manifest", r->items[k].local);
			cJSON_AddStringToObject(it, "Deployed", r->items[k].remote);
			cJSON_AddItemToArray(items, it);
		}
		cJSON_AddItemToArray(list, o);
	}
	jsonout_write(stdout, list, 1);
	cJSON_Delete(list);
}

/*
 * Which local folders to compare: all, or those named (by folder or by
 * remote name). A name that is neither is kept in d->remote_names, to be
 * found among the remote functions and layers.
 */
static void
cli_diff_select(struct cli_diff *d, const struct local_function *locals, size_t n_locals,
    char **names, size_t n_names)
{
	size_t i;

	d->items = xcalloc(n_locals + 1, sizeof *d->items);
	d->remote_names = xcalloc(n_names + 1, sizeof *d->remote_names);
	d->found = xcalloc(n_names + 1, sizeof *d->found);
	d->all = n_names == 0;
	for (i = 0; i < n_locals; i++) {
		if (n_names > 0)
			continue;
		d->items[d->n_items].d = d;
		d->items[d->n_items++].lf = &locals[i];
	}
	for (i = 0; i < n_names; i++) {
		const struct local_function *lf = manifest_find(locals, n_locals, names[i]);
		size_t k;

		if (lf == NULL)
			lf = manifest_find_remote(locals, n_locals, d->env, names[i]);
		if (lf == NULL) {
			d->remote_names[d->n_remote++] = names[i];
			continue;
		}
		for (k = 0; k < d->n_items; k++)
			if (d->items[k].lf == lf)
				break;
		if (k == d->n_items) {
			d->items[d->n_items].d = d;
			d->items[d->n_items++].lf = lf;
		}
	}
}

/*
 * Whether a remote function or layer with no folder here is listed: named
 * on the command line (by its name or through the template), whoever's
 * it is; or, with nothing named, when this environment's template claims
 * it (unmatched ones are no environment's to diff).
 */
static int
cli_diff_wanted(struct cli_diff *d, const char *name)
{
	size_t k, self = (size_t)(d->env - d->ctx->cfg.envs);
	int named = 0;

	for (k = 0; k < d->n_remote; k++) {
		char *through = dlc_env_remote_name(d->env, d->remote_names[k]);

		if (strcmp(d->remote_names[k], name) == 0 || strcmp(through, name) == 0) {
			named = 1;
			d->found[k] = 1;
		}
		free(through);
	}
	return named || (d->all && env_owner_of(d->ctx->cfg.envs, NULL,
	    d->ctx->cfg.n_envs, self, name, NULL) == ENV_OWNER_MINE);
}

/* The account's layers that no folder here has and that are wanted: their newest's CodeSha256. */
static void
cli_diff_remote_layers(struct cli_diff *d, const struct local_function *locals,
    size_t n_locals)
{
	struct lambda_layer_version_args a;
	const struct local_function *lf;
	size_t i, n = 0;

	for (i = 0; i < d->n_rlayers; i++) {
		struct cli_diff_remote_layer *rl = &d->rlayers[i];

		lf = manifest_find_remote(locals, n_locals, d->env, rl->name);
		if ((lf != NULL && lf->is_layer) || !cli_diff_wanted(d, rl->name)) {
			free(rl->name);
			continue;
		}
		d->rlayers[n++] = *rl;
	}
	d->n_rlayers = n;
	for (i = 0; i < n; i++) {
		if (d->rlayers[i].version <= 0)
			continue;
		a.layer_name = d->rlayers[i].name;
		a.version = d->rlayers[i].version;
		d->pending++;
		lambda_get_layer_version(d->aenv, &a, cli_diff_remote_layer_got, &d->rlayers[i]);
	}
	aws_wait(&d->ctx->aws, &d->pending);
}

/* The rows: locals in name order, then the remote-only functions and layers. */
static int
cli_diff_rows(struct cli_diff *d, const struct local_function *locals, size_t n_locals,
    struct drift_row **out, size_t *n_out)
{
	struct drift_row *rows = xcalloc(d->n_items + d->n_fns + d->n_rlayers + 1, sizeof *rows);
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; i < d->n_items; i++) {
		struct cli_diff_local *it = &d->items[i];
		char *rname = dlc_env_remote_name(d->env, it->lf->remote_base);

		if (it->sha == NULL) {
			dlc_err_what(&it->hash_err, "making the zip of %s", it->lf->name);
			cli_error(&it->hash_err);
			rc = -1;
		}
		if (it->lf->is_layer)
			drift_compare_layer(d->env, it->lf, it->sha, it->remote_sha,
			    it->newest, it->runtimes, it->n_runtimes, &rows[n++]);
		else
			drift_compare_function(d->env, locals, n_locals, it->lf, it->sha,
			    cli_diff_remote_of(d, rname), &rows[n++]);
		free(rname);
	}
	for (i = 0; i < d->n_fns; i++) {
		const struct lambda_function *f = &d->fns[i];
		const struct local_function *lf;

		if (f->function_name == NULL)
			continue;
		lf = manifest_find_remote(locals, n_locals, d->env, f->function_name);
		if ((lf != NULL && !lf->is_layer) || !cli_diff_wanted(d, f->function_name))
			continue;
		drift_compare_function(d->env, locals, n_locals, NULL, NULL, f, &rows[n++]);
	}
	for (i = 0; i < d->n_rlayers; i++)
		drift_remote_only_layer(d->rlayers[i].name, d->rlayers[i].sha,
		    d->rlayers[i].version, &rows[n++]);
	for (i = 0; i < d->n_remote; i++) {
		struct dlc_err err;

		if (d->found[i])
			continue;
		dlc_err_set(&err, "NoSuchFunction", "'%s' is neither a folder under %s nor "
		    "a function or layer of %s", d->remote_names[i], d->ctx->cfg.functions_dir,
		    d->env->name);
		dlc_err_fix(&err, "'dlc ls -e %s' lists the functions there", d->env->name);
		cli_error(&err);
		rc = -1;
	}
	*out = rows;
	*n_out = n;
	return rc;
}

int
cli_diff_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "exit-code", no_argument, NULL, 'x' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_command_find("diff");
	struct local_function *locals = NULL;
	struct drift_row *rows = NULL;
	const char *env_name = NULL;
	struct cli_diff d;
	size_t n_locals = 0, n_rows = 0, i, k;
	int ch, exit_code = 0, rc = CLI_FAIL, differs = 0;

	while ((ch = getopt_long(argc, argv, "e:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			env_name = optarg;
			break;
		case 'x':
			exit_code = 1;
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	memset(&d, 0, sizeof d);
	d.ctx = ctx;
	dlc_err_clear(&d.err);
	if (cli_setup(ctx, &d.err) != 0)
		goto out;
	if ((d.env = cli_find_env(ctx, env_name, &d.err)) == NULL) {
		rc = env_name == NULL ? CLI_USAGE : CLI_FAIL;
		goto out;
	}
	/* Without the manifests there is nothing to compare with. */
	if (manifest_load_dir(ctx->cfg.functions_dir, &locals, &n_locals, &d.err) != 0)
		goto out;
	if ((d.aenv = cli_open_env(ctx, d.env, &d.err)) == NULL)
		goto out;
	if (cli_check_account(ctx, d.aenv, d.env, &d.err) != 0)
		goto out;
	cli_diff_select(&d, locals, n_locals, argv + optind, (size_t)(argc - optind));
	/* Everything at once: the lists, each layer's versions, the zips. */
	d.pending = 2 + (int)d.n_items;
	paginate_start(d.aenv, &lambda_op_list_functions, NULL, 0,
	    (aws_op_fn)cli_diff_page, cli_diff_listed, &d);
	paginate_start(d.aenv, &lambda_op_list_layers, NULL, 0,
	    (aws_op_fn)cli_diff_layers_page, cli_diff_listed, &d);
	for (i = 0; i < d.n_items; i++) {
		char *name;

		if (!d.items[i].lf->is_layer)
			continue;
		name = dlc_env_remote_name(d.env, d.items[i].lf->remote_base);
		d.pending++;
		paginate_start(d.aenv, &lambda_op_list_layer_versions, name, 0,
		    (aws_op_fn)cli_diff_layer_page, cli_diff_layer_listed, &d.items[i]);
		free(name);
	}
	cli_diff_next_hash(&d);
	aws_wait(&ctx->aws, &d.pending);
	if (d.failed) {
		dlc_err_what(&d.err, "reading %s", d.env->name);
		goto out;
	}
	cli_diff_remote_layers(&d, locals, n_locals);
	if (d.failed) {
		dlc_err_what(&d.err, "reading the layers of %s", d.env->name);
		goto out;
	}
	if (cli_diff_rows(&d, locals, n_locals, &rows, &n_rows) != 0)
		rc = CLI_FAIL;
	else
		rc = CLI_OK;
	for (i = 0; i < n_rows; i++)
		differs |= drift_row_differs(&rows[i]);
	if (ctx->json)
		cli_diff_print_json(rows, n_rows);
	else
		cli_diff_print_text(rows, n_rows);
	if (rc == CLI_OK && exit_code && differs)
		rc = CLI_DIFF_DIFFERS;
out:
	if (d.failed || (rc != CLI_OK && rc != CLI_DIFF_DIFFERS && dlc_err_isset(&d.err)))
		cli_error(&d.err);
	for (i = 0; i < n_rows; i++)
		drift_row_clear(&rows[i]);
	free(rows);
	for (i = 0; i < d.n_items; i++) {
		drift_local_free(d.items[i].hash);
		free(d.items[i].sha);
		free(d.items[i].remote_sha);
		for (k = 0; k < d.items[i].n_runtimes; k++)
			free(d.items[i].runtimes[k]);
		free(d.items[i].runtimes);
	}
	free(d.items);
	for (i = 0; i < d.n_fns; i++)
		lambda_function_clear(&d.fns[i]);
	free(d.fns);
	free(d.remote_names);
	free(d.found);
	for (i = 0; i < d.n_rlayers; i++) {
		free(d.rlayers[i].name);
		free(d.rlayers[i].sha);
	}
	free(d.rlayers);
	cli_close_env(d.aenv);
	manifest_free_all(locals, n_locals);
	cli_teardown(ctx);
	return rc;
}
