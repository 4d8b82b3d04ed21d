/*
 * dlc layer build|publish|ls -e ENV [LAYER]: a layer's package and its
 * versions. publish runs a PUSH_LAYER job (a new version only when the
 * local CodeSha256 differs from the newest version's), then offers each
 * function whose manifest lists the layer a PUSH_MOVE job to the new
 * version (asked on a terminal, --move all|none without one); build is
 * publish's dry run (package, compare, publish nothing); ls reads every
 * local function's deployed Layers and each layer's newest version. Old
 * versions are never deleted.
 */
#include "cli-push.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "cli-jobs.h"
#include "jsonout.h"
#include "lambda.h"
#include "manifest.h"
#include "push-tty.h"
#include "sanitize.h"
#include "table.h"
#include "xmalloc.h"

/* ---- reading what is deployed, one call at a time ---- */

struct cli_layer_call {
	int			 pending;
	int			 ok;
	struct dlc_err		 err;
	struct lambda_function	 fn;		/* GetFunctionConfiguration */
	long			 newest;	/* ListLayerVersions, all pages */
	char			*newest_arn;
	char			*marker;
};

static void
cli_layer_got_config(struct aws_reply *reply, struct lambda_function *out,
    void *arg)
{
	struct cli_layer_call *c = arg;

	c->pending = 0;
	c->ok = reply->ok;
	if (reply->ok != 0) {
		c->err = reply->err;
		return;
	}
	c->fn = *out;
	memset(out, 0, sizeof *out);	/* taken over */
}

/* The deployed configuration of remote into *out; -1 with err (code kept). */
static int
cli_layer_config(struct cli_ctx *ctx, struct aws_env *aenv,
    const char *remote, struct lambda_function *out, struct dlc_err *err)
{
	struct cli_layer_call c;

	memset(&c, 0, sizeof c);
	c.pending = 1;
	lambda_get_function_configuration(aenv, remote, cli_layer_got_config,
	    &c);
	aws_wait(&ctx->aws, &c.pending);
	if (c.ok != 0) {
		*err = c.err;
		return -1;
	}
	*out = c.fn;
	return 0;
}

static void
cli_layer_got_page(struct aws_reply *reply,
    struct lambda_layer_versions_page *page, void *arg)
{
	struct cli_layer_call *c = arg;
	size_t i;

	c->pending = 0;
	c->ok = reply->ok;
	free(c->marker);
	c->marker = NULL;
	if (reply->ok != 0) {
		c->err = reply->err;
		return;
	}
	for (i = 0; i < page->n; i++) {
		if (page->versions[i].version > c->newest &&
		    page->versions[i].layer_version_arn != NULL) {
			c->newest = page->versions[i].version;
			free(c->newest_arn);
			c->newest_arn = xstrdup(
			    page->versions[i].layer_version_arn);
		}
	}
	if (page->next_marker != NULL)
		c->marker = xstrdup(page->next_marker);
}

/* The newest version of layer (0 when none); -1 with err. */
static long
cli_layer_newest(struct cli_ctx *ctx, struct aws_env *aenv,
    const char *layer, struct dlc_err *err)
{
	struct cli_layer_call c;

	memset(&c, 0, sizeof c);
	do {
		c.pending = 1;
		lambda_list_layer_versions(aenv, layer, c.marker,
		    cli_layer_got_page, &c);
		aws_wait(&ctx->aws, &c.pending);
	} while (c.ok == 0 && c.marker != NULL);
	free(c.newest_arn);
	if (c.ok != 0) {
		if (strcmp(c.err.code, "ResourceNotFoundException") == 0)
			return 0;
		*err = c.err;
		return -1;
	}
	return c.newest;
}

/* The version of layer_remote that fn pins, 0 when none. */
static long
cli_layer_pinned(const struct lambda_function *fn, const char *layer_remote,
    const char **arn)
{
	size_t i, len;
	const char *name;
	char *layer_arn;
	long v;

	for (i = 0; i < fn->n_layers; i++) {
		if (fn->layers[i].arn == NULL ||
		    lambda_layer_arn_split(fn->layers[i].arn, &layer_arn,
		    &v) != 0)
			continue;
		name = lambda_layer_arn_name(layer_arn, &len);
		if (name != NULL && len == strlen(layer_remote) &&
		    strncmp(name, layer_remote, len) == 0) {
			free(layer_arn);
			if (arn != NULL)
				*arn = fn->layers[i].arn;
			return v;
		}
		free(layer_arn);
	}
	return 0;
}

/* ---- ls ---- */

struct cli_layer_newest_cache {
	char	*layer;
	long	 newest;
};

static long
cli_layer_newest_cached(struct cli_ctx *ctx, struct aws_env *aenv,
    struct cli_layer_newest_cache **cache, size_t *n, const char *layer,
    struct dlc_err *err)
{
	size_t i;
	long v;

	for (i = 0; i < *n; i++)
		if (strcmp((*cache)[i].layer, layer) == 0)
			return (*cache)[i].newest;
	if ((v = cli_layer_newest(ctx, aenv, layer, err)) < 0)
		return -1;
	*cache = xreallocarray(*cache, *n + 1, sizeof **cache);
	(*cache)[*n].layer = xstrdup(layer);
	(*cache)[(*n)++].newest = v;
	return v;
}

static int
cli_layer_ls(struct cli_ctx *ctx, struct aws_env *aenv,
    const struct dlc_env *env, const struct local_function *locals,
    size_t n_locals, struct dlc_err *err)
{
	static const char *const headers[] = { "FUNCTION", "LAYER", "VERSION",
	    "NEWEST" };
	struct cli_layer_newest_cache *cache = NULL;
	size_t n_cache = 0, i, k;
	struct table *t = table_new(4, headers);
	cJSON *root = cJSON_CreateObject(), *pins;
	int rc = -1;

	cJSON_AddStringToObject(root, "Environment", env->name);
	pins = cJSON_AddArrayToObject(root, "Pins");
	for (i = 0; i < 4; i++)
		table_set_identifier(t, i, 1);
	for (i = 0; i < n_locals; i++) {
		const struct local_function *lf = &locals[i];
		struct lambda_function fn;
		char *remote;

		if (lf->is_layer)
			continue;
		remote = dlc_env_remote_name(env, lf->remote_base != NULL ?
		    lf->remote_base : lf->name);
		if (cli_layer_config(ctx, aenv, remote, &fn, err) != 0) {
			free(remote);
			if (strcmp(err->code, "ResourceNotFoundException") == 0) {
				dlc_err_clear(err);
				continue;	/* not deployed here: pins nothing */
			}
			goto out;
		}
		for (k = 0; k < fn.n_layers; k++) {
			char *layer_arn = NULL, vs[32], ns[48];
			const char *name, *cells[4];
			char *lname;
			size_t len;
			long v, newest;
			cJSON *o;

			if (fn.layers[k].arn == NULL ||
			    lambda_layer_arn_split(fn.layers[k].arn,
			    &layer_arn, &v) != 0)
				continue;
			name = lambda_layer_arn_name(layer_arn, &len);
			lname = xstrndup(name != NULL ? name : "?",
			    name != NULL ? len : 1);
			newest = cli_layer_newest_cached(ctx, aenv, &cache,
			    &n_cache, layer_arn, err);
			free(layer_arn);
			if (newest < 0) {
				free(lname);
				lambda_function_clear(&fn);
				free(remote);
				goto out;
			}
			snprintf(vs, sizeof vs, "%ld", v);
			snprintf(ns, sizeof ns, "%ld%s", newest, v == newest ?
			    "" : v < newest ? " (newer exists)" : "");
			cells[0] = remote;
			cells[1] = lname;
			cells[2] = vs;
			cells[3] = ns;
			table_add_row(t, cells);
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "Local", lf->name);
			cJSON_AddStringToObject(o, "FunctionName", remote);
			cJSON_AddStringToObject(o, "Layer", lname);
			cJSON_AddStringToObject(o, "LayerVersionArn",
			    fn.layers[k].arn);
			cJSON_AddNumberToObject(o, "Version", v);
			cJSON_AddNumberToObject(o, "Newest", newest);
			cJSON_AddBoolToObject(o, "IsNewest", v == newest);
			cJSON_AddItemToArray(pins, o);
			free(lname);
		}
		lambda_function_clear(&fn);
		free(remote);
	}
	if (ctx->json) {
		jsonout_write(stdout, root, 1);
	} else {
		struct buf out;

		buf_init(&out, 0);
		table_render(t, &out, 0);
		fwrite(out.data, 1, out.len, stdout);
		buf_free(&out);
	}
	rc = 0;
out:
	for (i = 0; i < n_cache; i++)
		free(cache[i].layer);
	free(cache);
	cJSON_Delete(root);
	table_free(t);
	return rc;
}

/* ---- publish ---- */

/* One result line on stdout: ARNs and names come from AWS, so sanitised. */
static void
cli_layer_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
cli_layer_say(const char *fmt, ...)
{
	char line[1024], *clean;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	clean = sanitize_str(line);
	printf("%s\n", clean);
	fflush(stdout);
	free(clean);
}

/* y/n for one function: asked on the terminal, else --move. -1: ask failed. */
static int
cli_layer_ask_move(const char *move, const char *fn, const char *arn)
{
	char prompt[1024], *answer;
	int yes;

	if (move != NULL)
		return strcmp(move, "all") == 0;
	snprintf(prompt, sizeof prompt, "Move %s to %s? [y/N] ", fn, arn);
	if ((answer = push_tty_ask(prompt)) == NULL)
		return -1;
	yes = answer[0] == 'y' || answer[0] == 'Y';
	free(answer);
	return yes;
}

static void
cli_layer_print(const struct local_function *layer,
    const struct push_result *r, int build_only)
{
	if (r->outcome == PUSH_OUTCOME_DEPLOYED)
		cli_layer_say("%s: published %s (%llu bytes %s), "
		    "CodeSha256 %s verified", layer->name, r->layer_version_arn,
		    (unsigned long long)r->size, r->via_s3 ? "through S3" :
		    "inline", r->local_sha256);
	else if (r->outcome == PUSH_OUTCOME_UNCHANGED)
		cli_layer_say("%s: unchanged, the newest version "
		    "%s has CodeSha256 %s; nothing published", layer->name,
		    r->layer_version_arn, r->local_sha256);
	else
		cli_layer_say("%s: %s %llu bytes, CodeSha256 %s; "
		    "newest version's: %s%s", layer->name, build_only ?
		    "built" : "would publish", (unsigned long long)r->size,
		    r->local_sha256, r->remote_sha256[0] != '\0' ?
		    r->remote_sha256 : "none", r->remote_sha256[0] != '\0' &&
		    strcmp(r->remote_sha256, r->local_sha256) != 0 ?
		    " (differs: publish would make a new version)" : "");
}

static int
cli_layer_publish(struct cli_ctx *ctx, struct cli_jobs *cj,
    struct aws_env *aenv,
    const struct dlc_env *env, const struct local_function *locals,
    size_t n_locals, const struct local_function *layer,
    struct push_options *opts, const char *move, int build_only,
    struct dlc_err *err)
{
	struct push_result res;
	cJSON *root = NULL, *list = NULL, *moves = NULL;
	size_t i, k;
	int failed = 0;

	if (ctx->json) {
		root = cJSON_CreateObject();
		cJSON_AddStringToObject(root, "Environment", env->name);
		cJSON_AddStringToObject(root, "Policy",
		    dlc_deploy_policy_name(env->deploy));
		cJSON_AddBoolToObject(root, "DryRun", opts->dry_run);
		list = cJSON_AddArrayToObject(root, "Layers");
		moves = cJSON_AddArrayToObject(root, "Moves");
	}
	if (cli_push_run_job(cj, aenv, env, layer, PUSH_LAYER, opts, list,
	    &res, err) != 0) {
		failed = 1;
		goto out;
	}
	if (!ctx->json)
		cli_layer_print(layer, &res, build_only);
	/* A dry run goes on to say which functions would be asked. */
	if (build_only || (!opts->dry_run && res.layer_version_arn[0] == '\0'))
		goto out;
	/* Every function whose manifest lists the layer, in name order. */
	for (i = 0; i < n_locals; i++) {
		const struct local_function *fn = &locals[i];
		struct lambda_function cfg;
		struct push_options mo = *opts;
		struct push_result mr;
		const char *pinned_arn = NULL;
		char *remote;
		int yes;

		for (k = 0; k < fn->n_layers; k++)
			if (strcmp(fn->layers[k], layer->name) == 0)
				break;
		if (fn->is_layer || k == fn->n_layers)
			continue;
		remote = dlc_env_remote_name(env, fn->remote_base != NULL ?
		    fn->remote_base : fn->name);
		if (cli_layer_config(ctx, aenv, remote, &cfg, err) != 0) {
			cli_error(err);
			dlc_err_clear(err);
			free(remote);
			failed = 1;
			continue;
		}
		free(remote);
		{
			char *lr = dlc_env_remote_name(env, layer->name);

			cli_layer_pinned(&cfg, lr, &pinned_arn);
			free(lr);
		}
		if (pinned_arn == NULL ||
		    strcmp(pinned_arn, res.layer_version_arn) == 0) {
			/* On it already, or not using the layer in AWS. */
			if (!ctx->json)
				cli_layer_say("%s: %s", fn->name, pinned_arn == NULL ?
				    "does not use the layer in AWS: not moved" :
				    "already on the new version");
			lambda_function_clear(&cfg);
			continue;
		}
		if (opts->dry_run) {
			if (!ctx->json)
				cli_layer_say("%s: on %s, would be asked to move "
				    "to %s", fn->name, pinned_arn,
				    res.layer_version_arn[0] != '\0' ?
				    res.layer_version_arn : "the new version");
			lambda_function_clear(&cfg);
			continue;
		}
		lambda_function_clear(&cfg);
		yes = cli_layer_ask_move(move, fn->name, res.layer_version_arn);
		if (yes < 0) {
			dlc_err_set(err, "NoTerminal", "cannot ask whether to "
			    "move %s to %s: no terminal", fn->name,
			    res.layer_version_arn);
			dlc_err_fix(err, "pass --move all or --move none");
			failed = 1;
			goto out;
		}
		if (!yes) {
			if (!ctx->json)
				cli_layer_say("%s: left on its version", fn->name);
			continue;
		}
		mo.move_to_arn = res.layer_version_arn;
		if (cli_push_run_job(cj, aenv, env, fn, PUSH_MOVE, &mo, moves,
		    &mr, err) != 0) {
			cli_error(err);
			dlc_err_clear(err);
			failed = 1;
			continue;
		}
		if (!ctx->json)
			cli_layer_say("%s: moved to %s, Layers verified", fn->name,
			    res.layer_version_arn);
	}
out:
	if (root != NULL) {
		jsonout_write(stdout, root, 1);
		cJSON_Delete(root);
	}
	return failed ? -1 : 0;
}

int
cli_layer_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "confirm", required_argument, NULL, 'y' },
		{ "move", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_command_find("layer");
	struct local_function *locals = NULL;
	size_t n_locals = 0;
	const struct local_function *layer = NULL;
	const struct dlc_env *env;
	struct aws_env *aenv = NULL;
	struct push_options opts;
	struct cli_jobs *cj = NULL;
	struct dlc_err err;
	const char *env_name = NULL, *confirm = NULL, *move = NULL, *sub;
	char *typed = NULL, what[300];
	int ch, rc = CLI_FAIL, ls, build_only;

	memset(&opts, 0, sizeof opts);
	while ((ch = getopt_long(argc, argv, "e:no:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			env_name = optarg;
			break;
		case 'n':
			opts.dry_run = 1;
			break;
		case 'y':
			confirm = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "all") != 0 &&
			    strcmp(optarg, "none") != 0) {
				fprintf(stderr, "dlc layer: --move takes all "
				    "or none\n");
				return CLI_USAGE;
			}
			move = optarg;
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	sub = optind < argc ? argv[optind] : "";
	ls = strcmp(sub, "ls") == 0;
	build_only = strcmp(sub, "build") == 0;
	if ((!ls && !build_only && strcmp(sub, "publish") != 0) ||
	    argc - optind != (ls ? 1 : 2)) {
		fprintf(stderr, "dlc layer: %s\n", ls ? "ls takes no layer" :
		    "say build LAYER, publish LAYER or ls");
		cli_command_help(cmd, stderr);
		return CLI_USAGE;
	}
	dlc_err_clear(&err);
	if (cli_setup(ctx, &err) != 0)
		goto out;
	if ((env = cli_find_env(ctx, env_name, &err)) == NULL) {
		rc = env_name == NULL ? CLI_USAGE : CLI_FAIL;
		goto out;
	}
	if (manifest_load_dir(ctx->cfg.functions_dir, &locals, &n_locals,
	    &err) != 0)
		goto out;
	if (!ls) {
		layer = manifest_find(locals, n_locals, argv[optind + 1]);
		if (layer == NULL || !layer->is_layer) {
			dlc_err_set(&err, "UnknownLayer", "no layer '%s' under "
			    "%s", argv[optind + 1], ctx->cfg.functions_dir);
			dlc_err_fix(&err, "name a folder whose function.ini "
			    "says kind = layer");
			goto out;
		}
		if (build_only)
			opts.dry_run = 1;
		/* Ask now, not after a version is published: can we ask later? */
		if (!opts.dry_run && move == NULL && !push_tty_available()) {
			dlc_err_set(&err, "NoTerminal", "publishing %s would ask "
			    "whether to move each function that uses it, and "
			    "there is no terminal to ask on", layer->name);
			dlc_err_fix(&err, "pass --move all or --move none");
			rc = CLI_USAGE;
			goto out;
		}
		snprintf(what, sizeof what, "Publishing layer %s and moving "
		    "its functions", layer->name);
		typed = cli_push_confirm(env, confirm, opts.dry_run, what);
		opts.confirmed = typed;
		if (push_policy_check(env, typed, opts.dry_run, &err) != 0)
			goto out;
		opts.inline_limit = cli_push_inline_limit();
		/* Through the deploy queue, as every push (cli-jobs.h). */
		if ((cj = cli_jobs_new(ctx, &err)) == NULL)
			goto out;
	}
	if ((aenv = cli_open_env(ctx, env, &err)) == NULL)
		goto out;
	if (cli_check_account(ctx, aenv, env, &err) != 0)
		goto out;
	if (ls)
		rc = cli_layer_ls(ctx, aenv, env, locals, n_locals, &err) == 0 ?
		    CLI_OK : CLI_FAIL;
	else
		rc = cli_layer_publish(ctx, cj, aenv, env, locals, n_locals, layer,
		    &opts, move, build_only, &err) == 0 ? CLI_OK : CLI_FAIL;
out:
	if (dlc_err_isset(&err))
		cli_error(&err);
	free(typed);
	cli_jobs_free(cj);
	cli_close_env(aenv);
	manifest_free_all(locals, n_locals);
	cli_teardown(ctx);
	return rc;
}
