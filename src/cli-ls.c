/*
 * dlc ls -e ENV: every Lambda function of an environment (ListFunctions,
 * all pages), each with the local folder it maps to under functions/, the
 * special flag, and a mark on deprecated runtimes.
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
#include "table.h"
#include "timeutil.h"
#include "xmalloc.h"

struct cli_ls_state {
	struct aws_env		*aenv;
	struct lambda_function	*fns;
	size_t			 n;
	int			 pending;
	int			 pages;
	struct dlc_err		 err;
	int			 failed;
};

static void cli_ls_fetch(struct cli_ls_state *st, const char *marker);

static void
cli_ls_page_done(int ok, struct aws_response *resp, void *arg)
{
	struct cli_ls_state *st = arg;
	struct lambda_page page;
	size_t i;

	st->pending--;
	if (ok != 0) {
		st->err = resp->err;
		st->failed = 1;
		return;
	}
	if (lambda_parse_list_functions(resp->body.data, resp->body.len, &page, &st->err) != 0) {
		dlc_err_what(&st->err, "ListFunctions (%s), page %d", aws_env_name(st->aenv), st->pages + 1);
		st->failed = 1;
		return;
	}
	st->pages++;
	st->fns = xreallocarray(st->fns, st->n + page.n + 1, sizeof *st->fns);
	/* Move the functions over; the page keeps nothing. */
	for (i = 0; i < page.n; i++)
		st->fns[st->n++] = page.functions[i];
	free(page.functions);
	page.functions = NULL;
	page.n = 0;
	if (page.next_marker != NULL && *page.next_marker != '\0')
		cli_ls_fetch(st, page.next_marker);
	lambda_page_clear(&page);
}

static void
cli_ls_fetch(struct cli_ls_state *st, const char *marker)
{
	struct aws_request req;
	char *target = lambda_list_functions_target(marker, 50);

	memset(&req, 0, sizeof req);
	req.operation = "ListFunctions";
	req.method = "GET";
	req.target = target;
	st->pending++;
	aws_send(st->aenv, &aws_service_lambda, &req, cli_ls_page_done, st);
	free(target);
}

static int
cli_ls_by_name(const void *a, const void *b)
{
	const struct lambda_function *fa = a, *fb = b;

	return strcmp(fa->function_name != NULL ? fa->function_name : "",
	    fb->function_name != NULL ? fb->function_name : "");
}

static void
cli_ls_print_text(const struct dlc_env *env, struct cli_ls_state *st,
    const struct local_function *locals, size_t n_locals)
{
	static const char *const headers[] = { "FUNCTION", "LOCAL", "RUNTIME", "MEMORY",
	    "TIMEOUT", "MODIFIED", "SIZE", "STATE", "UPDATE", "CODESHA256" };
	struct table *t = table_new(10, headers);
	struct buf out;
	time_t now = timeutil_now();
	size_t i;

	table_set_align(t, 3, 1);
	table_set_align(t, 4, 1);
	table_set_align(t, 6, 1);
	for (i = 0; i < st->n; i++) {
		const struct lambda_function *f = &st->fns[i];
		const struct local_function *lf = manifest_find_remote(locals, n_locals, env, f->function_name);
		char local[128], runtime[64], mem[32], tmo[32], mod[32], size[32];
		const char *cells[10];
		time_t when;

		if (lf != NULL)
			snprintf(local, sizeof local, "%s%s", lf->name, lf->special ? " [special]" : "");
		else
			snprintf(local, sizeof local, "-");
		snprintf(runtime, sizeof runtime, "%s%s", f->runtime != NULL ? f->runtime : "-",
		    f->runtime != NULL && lambda_runtime_deprecated(f->runtime) ? " (deprecated)" : "");
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
cli_ls_print_json(const struct dlc_env *env, const char *region, struct cli_ls_state *st,
    const struct local_function *locals, size_t n_locals)
{
	static const char *const fields[] = { "FunctionName", "FunctionArn", "Runtime",
	    "MemorySize", "Timeout", "LastModified", "CodeSize", "CodeSha256", "State",
	    "LastUpdateStatus", "Handler", "Description", "PackageType", "Architectures", NULL };
	cJSON *root = cJSON_CreateObject();
	cJSON *list;
	size_t i;
	int k;

	cJSON_AddStringToObject(root, "Environment", env->name);
	cJSON_AddStringToObject(root, "Region", region);
	list = cJSON_AddArrayToObject(root, "Functions");
	for (i = 0; i < st->n; i++) {
		const struct lambda_function *f = &st->fns[i];
		const struct local_function *lf = manifest_find_remote(locals, n_locals, env, f->function_name);
		cJSON *o = cJSON_CreateObject();

		for (k = 0; fields[k] != NULL; k++) {
			const cJSON *v = f->raw != NULL ?
			    cJSON_GetObjectItemCaseSensitive(f->raw, fields[k]) : NULL;

			if (v != NULL)
				cJSON_AddItemToObject(o, fields[k], cJSON_Duplicate(v, 1));
		}
		cJSON_AddItemToObject(o, "LocalFunction", jsonout_string_or_null(lf != NULL ? lf->name : NULL));
		cJSON_AddBoolToObject(o, "Special", lf != NULL && lf->special);
		cJSON_AddBoolToObject(o, "RuntimeDeprecated",
		    f->runtime != NULL && lambda_runtime_deprecated(f->runtime));
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
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = &cli_commands[1];
	struct cli_ls_state st;
	const struct dlc_env *env;
	struct local_function *locals = NULL;
	size_t n_locals = 0, i;
	const char *env_name = NULL;
	int ch, rc = CLI_FAIL;

	while ((ch = getopt_long(argc, argv, "e:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			env_name = optarg;
			break;
		case 'o':
			if (cli_parse_output(ctx, optarg) != 0) {
				fprintf(stderr, "dlc ls: -o takes text or json\n");
				return CLI_USAGE;
			}
			break;
		case 'h':
			cli_command_help(cmd, stdout);
			return CLI_OK;
		default:
			cli_command_help(cmd, stderr);
			return CLI_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dlc ls: unexpected argument '%s'\n", argv[optind]);
		return CLI_USAGE;
	}
	memset(&st, 0, sizeof st);
	if (cli_setup(ctx, &st.err) != 0)
		goto out;
	if ((env = cli_find_env(ctx, env_name, &st.err)) == NULL) {
		rc = env_name == NULL ? CLI_USAGE : CLI_FAIL;
		cli_error(&st.err);
		goto done;
	}
	/* A broken manifest must not hide the remote list: map nothing, say why. */
	if (manifest_load_dir(ctx->cfg.functions_dir, &locals, &n_locals, &st.err) != 0) {
		cli_error(&st.err);
		dlc_err_clear(&st.err);
		locals = NULL;
		n_locals = 0;
	}
	if ((st.aenv = cli_open_env(ctx, env, &st.err)) == NULL)
		goto out;
	cli_ls_fetch(&st, NULL);
	aws_wait(&ctx->aws, &st.pending);
	if (st.failed)
		goto out;
	qsort(st.fns, st.n, sizeof *st.fns, cli_ls_by_name);
	if (ctx->json)
		cli_ls_print_json(env, aws_env_region(st.aenv), &st, locals, n_locals);
	else
		cli_ls_print_text(env, &st, locals, n_locals);
	rc = CLI_OK;
out:
	if (rc != CLI_OK)
		cli_error(&st.err);
done:
	for (i = 0; i < st.n; i++)
		lambda_function_clear(&st.fns[i]);
	free(st.fns);
	manifest_free_all(locals, n_locals);
	cli_close_env(st.aenv);
	cli_teardown(ctx);
	return rc;
}
