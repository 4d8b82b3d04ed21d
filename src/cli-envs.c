/*
 * dlc envs: every environment of dlc.ini with its profile, region, the
 * account its credentials reach (STS GetCallerIdentity, all environments
 * asked at once) and the credential state with the command that fixes it.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jsonout.h"
#include "model.h"
#include "table.h"
#include "xmalloc.h"

/* One environment as printed: a view of the model's state, owning nothing. */
struct cli_envs_row {
	const struct dlc_env	*env;
	const char		*state;		/* ok, expired, missing, error */
	const char		*account;
	const char		*arn;
	const char		*region;
	struct dlc_err		 err;
};

struct cli_envs_wait {
	struct model	*model;
	int		 pending;	/* identities not settled yet */
};

static void
cli_envs_changed(enum model_change what, size_t env, const char *fn, void *arg)
{
	struct cli_envs_wait *w = arg;
	size_t i;

	(void)env;
	(void)fn;
	if (what != MODEL_CHANGE_ENVS || w->model == NULL)
		return;
	w->pending = 0;
	for (i = 0; i < model_env_count(w->model); i++) {
		enum model_load st = model_env_at(w->model, i)->identity_state;

		if (st == MODEL_LOADING || st == MODEL_IDLE)
			w->pending++;
	}
}

static void
cli_envs_print_text(struct cli_envs_row *rows, size_t n)
{
	static const char *const headers[] = { "ENV", "PROFILE", "REGION", "ACCOUNT",
	    "CREDENTIALS", "DEPLOY" };
	enum { NCOLS = sizeof headers / sizeof headers[0] };
	struct table *t = table_new(NCOLS, headers);
	struct buf out;
	size_t i;

	for (i = 0; i < NCOLS; i++)
		table_set_identifier(t, i, 1);
	for (i = 0; i < n; i++) {
		const char *cells[NCOLS];

		cells[0] = rows[i].env->name;
		cells[1] = rows[i].env->profile != NULL ? rows[i].env->profile : "(default chain)";
		cells[2] = rows[i].region != NULL ? rows[i].region : "-";
		cells[3] = rows[i].account != NULL ? rows[i].account : "-";
		cells[4] = rows[i].state;
		cells[5] = dlc_deploy_policy_name(rows[i].env->deploy);
		table_add_row(t, cells);
	}
	buf_init(&out, 0);
	table_render(t, &out, 0);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	table_free(t);
	/* Then what to do about each environment that is not ok. */
	for (i = 0; i < n; i++) {
		if (strcmp(rows[i].state, "ok") == 0)
			continue;
		fprintf(stderr, "\n%s: ", rows[i].env->name);
		cli_error(&rows[i].err);
	}
}

static void
cli_envs_print_json(struct cli_envs_row *rows, size_t n)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(root, "Environments");
	size_t i;

	for (i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "Name", rows[i].env->name);
		cJSON_AddItemToObject(o, "Profile", jsonout_string_or_null(rows[i].env->profile));
		cJSON_AddItemToObject(o, "Region", jsonout_string_or_null(rows[i].region));
		cJSON_AddItemToObject(o, "Account", jsonout_string_or_null(rows[i].account));
		cJSON_AddItemToObject(o, "Arn", jsonout_string_or_null(rows[i].arn));
		cJSON_AddStringToObject(o, "CredentialState", rows[i].state);
		cJSON_AddStringToObject(o, "Deploy", dlc_deploy_policy_name(rows[i].env->deploy));
		if (strcmp(rows[i].state, "ok") != 0) {
			cJSON *e = cJSON_AddObjectToObject(o, "Error");

			cJSON_AddStringToObject(e, "Code", rows[i].err.code);
			cJSON_AddStringToObject(e, "Message", rows[i].err.message);
			cJSON_AddStringToObject(e, "Fix", rows[i].err.fix);
		}
		cJSON_AddItemToArray(list, o);
	}
	jsonout_write(stdout, root, 1);
	cJSON_Delete(root);
}

int
cli_envs_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli_envs_row *rows;
	struct cli_envs_wait w;
	struct model *model;
	struct dlc_err err;
	size_t i, n;
	int ch, rc = CLI_OK;

	while ((ch = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			if (cli_parse_output(ctx, optarg) != 0) {
				fprintf(stderr, "dlc envs: -o takes text or json\n");
				return CLI_USAGE;
			}
			break;
		case 'h':
			cli_command_help(&cli_commands[0], stdout);
			return CLI_OK;
		default:
			cli_command_help(&cli_commands[0], stderr);
			return CLI_USAGE;
		}
	}
	dlc_err_clear(&err);
	if (cli_setup(ctx, &err) != 0) {
		cli_teardown(ctx);
		return cli_error(&err);
	}
	/* Every environment's identity at once, through the console's model. */
	w.model = NULL;
	model = model_new(&ctx->aws, &ctx->cfg, NULL, 0, cli_envs_changed, &w);
	w.model = model;
	n = model_env_count(model);
	w.pending = (int)n;
	for (i = 0; i < n; i++)
		model_refresh_identity(model, i);
	aws_wait(&ctx->aws, &w.pending);
	rows = xcalloc(n == 0 ? 1 : n, sizeof *rows);
	for (i = 0; i < n; i++) {
		const struct model_env *me = model_env_at(model, i);

		rows[i].env = me->conf;
		rows[i].account = me->account;
		rows[i].arn = me->arn;
		rows[i].region = me->aenv != NULL ? aws_env_region(me->aenv) : me->conf->region;
		rows[i].err = me->identity_err;
		rows[i].state = me->identity_state == MODEL_READY ? "ok" :
		    model_cred_state(&me->identity_err);
		/* Scripts check the status: every environment listed, 1 if one is not ok. */
		if (strcmp(rows[i].state, "ok") != 0)
			rc = CLI_FAIL;
	}
	if (ctx->json)
		cli_envs_print_json(rows, n);
	else
		cli_envs_print_text(rows, n);
	free(rows);
	model_free(model);
	cli_teardown(ctx);
	return rc;
}
