/*
 * dlc ls -e ENV: the Lambda functions of an environment (ListFunctions,
 * all pages): those its function-name template matches and those no
 * environment's template matches (marked unmatched), or with --all every
 * function of the account, another environment's marked with its name.
 * Each with the local folder it maps to under functions/, the special
 * flag, and a mark on deprecated runtimes. The fetching, paging, sorting,
 * mapping and ownership are the console's (src/model.c): one code path.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "jsonout.h"
#include "lambda.h"
#include "manifest.h"
#include "model.h"
#include "table.h"
#include "timeutil.h"
#include "xmalloc.h"

/* The environment dlc ls waits for, until the model's list of it settles. */
struct cli_ls_wait {
	struct model	*model;
	size_t		 env;
	int		 pending;
};

static void
cli_ls_changed(enum model_change what, size_t env, const char *fn, void *arg)
{
	struct cli_ls_wait *w = arg;

	(void)fn;
	/* The model also says when loading starts and as pages come: wait for the end. */
	if (what == MODEL_CHANGE_FUNCTIONS && env == w->env && w->model != NULL) {
		enum model_load st = model_env_at(w->model, env)->functions_state;

		if (st == MODEL_READY || st == MODEL_FAILED)
			w->pending = 0;
	}
}

static void
cli_ls_print_text(const struct model_env *me, const struct dlc_config *cfg)
{
	static const char *const headers[] = { "FUNCTION", "LOCAL", "RUNTIME", "MEMORY",
	    "TIMEOUT", "MODIFIED", "SIZE", "STATE", "UPDATE", "CODESHA256" };
	enum { NCOLS = sizeof headers / sizeof headers[0] };
	struct table *t = table_new(NCOLS, headers);
	struct buf out;
	time_t now = timeutil_now();
	size_t i;

	table_set_align(t, 3, 1);
	table_set_align(t, 4, 1);
	table_set_align(t, 6, 1);
	/* Every cell is a name or a value AWS holds: none may pose as another. */
	for (i = 0; i < NCOLS; i++)
		table_set_identifier(t, i, 1);
	for (i = 0; i < me->n_functions; i++) {
		const struct lambda_function *f = &me->functions[i].fn;
		const struct local_function *lf = me->functions[i].local;
		char local[128], runtime[64], mem[32], tmo[32], mod[32], size[32];
		const char *cells[NCOLS];
		time_t when;

		if (me->functions[i].owner == ENV_OWNER_UNMATCHED)
			snprintf(local, sizeof local, "(unmatched)");
		else if (me->functions[i].owner == ENV_OWNER_OTHER)
			snprintf(local, sizeof local, "(env %s)", cfg->envs[me->functions[i].owner_env].name);
		else if (lf != NULL)
			snprintf(local, sizeof local, "%s%s", lf->name, lf->special ? " [special]" : "");
		else
			snprintf(local, sizeof local, "-");
		snprintf(runtime, sizeof runtime, "%s%s", f->runtime != NULL ? f->runtime : "-",
		    me->functions[i].deprecated ? " (deprecated)" : "");
		snprintf(mem, sizeof mem, "%ldMB", f->memory_size);
		snprintf(tmo, sizeof tmo, "%lds", f->timeout);
		if (f->last_modified != NULL && timeutil_parse_iso8601(f->last_modified, &when, NULL) == 0)
			timeutil_format_relative(when, now, mod, sizeof mod);
		else
			snprintf(mod, sizeof mod, "-");
		table_format_size(f->code_size, size, sizeof size);
		cells[0] = f->function_name != NULL ? f->function_name : "-";
		cells[1] = local;
		cells[2] = runtime;
		cells[3] = mem;
		cells[4] = tmo;
		cells[5] = mod;
		cells[6] = size;
		cells[7] = f->state != NULL ? f->state : "-";
		cells[8] = f->last_update_status != NULL ? f->last_update_status : "-";
		cells[9] = f->code_sha256 != NULL ? f->code_sha256 : "-";
		table_add_row(t, cells);
	}
	buf_init(&out, 0);
	table_render(t, &out, 0);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	table_free(t);
}

/* AWS's own field names for AWS's values, PascalCase for dlc's. */
static void
cli_ls_print_json(const struct model_env *me, const struct dlc_config *cfg, int all)
{
	static const char *const fields[] = { "FunctionName", "FunctionArn", "Runtime",
	    "MemorySize", "Timeout", "LastModified", "CodeSize", "CodeSha256", "State",
	    "LastUpdateStatus", "Handler", "Description", "PackageType", "Architectures", NULL };
	cJSON *root = cJSON_CreateObject();
	cJSON *list;
	size_t i;
	int k;

	cJSON_AddStringToObject(root, "Environment", me->conf->name);
	cJSON_AddStringToObject(root, "Region", aws_env_region(me->aenv));
	cJSON_AddBoolToObject(root, "AllFunctions", all);
	list = cJSON_AddArrayToObject(root, "Functions");
	for (i = 0; i < me->n_functions; i++) {
		const struct lambda_function *f = &me->functions[i].fn;
		const struct local_function *lf = me->functions[i].local;
		cJSON *o = cJSON_CreateObject();

		for (k = 0; fields[k] != NULL; k++) {
			const cJSON *v = f->raw != NULL ?
			    cJSON_GetObjectItemCaseSensitive(f->raw, fields[k]) : NULL;

			if (v != NULL)
				cJSON_AddItemToObject(o, fields[k], cJSON_Duplicate(v, 1));
		}
		cJSON_AddItemToObject(o, "LocalFunction", jsonout_string_or_null(lf != NULL ? lf->name : NULL));
		cJSON_AddBoolToObject(o, "Special", lf != NULL && lf->special);
		cJSON_AddBoolToObject(o, "RuntimeDeprecated", me->functions[i].deprecated);
		/* Whose template claims it: this environment, another, or none (null). */
		cJSON_AddItemToObject(o, "MatchedEnvironment", jsonout_string_or_null(
		    me->functions[i].owner == ENV_OWNER_UNMATCHED ? NULL :
		    me->functions[i].owner == ENV_OWNER_OTHER ?
		    cfg->envs[me->functions[i].owner_env].name : me->conf->name));
		cJSON_AddItemToArray(list, o);
	}
	jsonout_write(stdout, root, 1);
	cJSON_Delete(root);
}

int
cli_ls_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "all", no_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = &cli_commands[1];
	struct cli_ls_wait w;
	struct dlc_err err;
	struct model *model = NULL;
	const struct model_env *me;
	const struct dlc_env *env;
	struct local_function *locals = NULL;
	size_t n_locals = 0;
	const char *env_name = NULL;
	int ch, rc = CLI_FAIL, all = 0;

	while ((ch = getopt_long(argc, argv, "e:ao:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'e':
			env_name = optarg;
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dlc ls: unexpected argument '%s'\n", argv[optind]);
		return CLI_USAGE;
	}
	dlc_err_clear(&err);
	if (cli_setup(ctx, &err) != 0)
		goto out;
	if ((env = cli_find_env(ctx, env_name, &err)) == NULL) {
		rc = env_name == NULL ? CLI_USAGE : CLI_FAIL;
		goto out;
	}
	/* A broken manifest must not hide the remote list: map nothing, say why. */
	if (manifest_load_dir(ctx->cfg.functions_dir, &locals, &n_locals, &err) != 0) {
		cli_error(&err);
		dlc_err_clear(&err);
		locals = NULL;
		n_locals = 0;
	}
	w.env = (size_t)(env - ctx->cfg.envs);
	w.pending = 1;
	w.model = NULL;
	model = model_new(&ctx->aws, &ctx->cfg, locals, n_locals, cli_ls_changed, &w);
	w.model = model;
	model_set_show_all(model, all);
	/* dlc ls shows no alarms: not one DescribeAlarms call for it. */
	model_set_alarms_with_functions(model, 0);
	model_refresh_functions(model, w.env);
	aws_wait(&ctx->aws, &w.pending);
	me = model_env_at(model, w.env);
	if (me->functions_state != MODEL_READY) {
		err = me->functions_err;
		goto out;
	}
	if (ctx->json)
		cli_ls_print_json(me, &ctx->cfg, all);
	else
		cli_ls_print_text(me, &ctx->cfg);
	rc = CLI_OK;
out:
	if (rc != CLI_OK && dlc_err_isset(&err))
		cli_error(&err);
	model_free(model);
	manifest_free_all(locals, n_locals);
	cli_teardown(ctx);
	return rc;
}
