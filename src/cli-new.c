/*
 * dlc new NAME --source dynamodb|kinesis|schedule: scaffolds
 * functions/NAME to the team's checklist (handler, config, schema, tests
 * that pass as written, manifest, a README asking the checklist's
 * questions, a sample event) and prints the Terraform the infrastructure
 * repository needs for it, or writes it as DIR/NAME.tf with --write DIR.
 * Everything is checked before anything is written: a bad name, an
 * existing folder or .tf file, a missing layer.
 *
 * The templates are files under templates/new, compiled into the program
 * (scripts/embed-templates.sh): dlc new needs no data folder at run time,
 * so a build tree, an install and a copied binary scaffold the same, and
 * the team still edits a template as the Python or HCL it becomes.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "invoke-payload.h"
#include "jsonout.h"
#include "new-scaffold.h"
#include "new-terraform.h"
#include "sanitize.h"
#include "xmalloc.h"

/* dlc.ini when there is one: its functions folder and environments' names. */
static int
cli_new_config(struct cli_ctx *ctx, struct dlc_err *err)
{
	char *path = dlc_config_default_path(ctx->config_path);
	int rc = 0;

	if (path != NULL && (ctx->config_path != NULL || access(path, F_OK) == 0)) {
		rc = dlc_config_load(&ctx->cfg, path, err);
		ctx->have_cfg = rc == 0;
	}
	free(path);
	return rc;
}

static void
cli_new_print_json(const struct new_spec *spec, char **files, size_t n_files,
    const char *tf_path, const char *tf)
{
	cJSON *root = cJSON_CreateObject(), *list;
	size_t i;

	cJSON_AddStringToObject(root, "Function", spec->name);
	cJSON_AddStringToObject(root, "Source", new_source_info(spec->source)->name);
	cJSON_AddStringToObject(root, "Directory", spec->functions_dir);
	cJSON_AddStringToObject(root, "Table", spec->table);
	list = cJSON_AddArrayToObject(root, "Files");
	for (i = 0; i < n_files; i++)
		cJSON_AddItemToArray(list, cJSON_CreateString(files[i]));
	list = cJSON_AddArrayToObject(root, "Layers");
	for (i = 0; i < spec->n_layers; i++)
		cJSON_AddItemToArray(list, cJSON_CreateString(spec->layers[i]));
	cJSON_AddItemToObject(root, "TerraformFile", jsonout_string_or_null(tf_path));
	cJSON_AddStringToObject(root, "Terraform", tf);
	jsonout_write(stdout, root, 1);
	cJSON_Delete(root);
}

/* The summary, for a person: where it went and what to do next. */
static void
cli_new_print_text(FILE *out, const struct new_spec *spec, size_t n_files,
    const char *tf_path)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_printf(&b, "created %s/%s (%s): %zu files, layers ", spec->functions_dir,
	    spec->name, new_source_info(spec->source)->name, n_files);
	for (i = 0; i < spec->n_layers; i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", spec->layers[i]);
	buf_puts(&b, spec->n_layers > 0 ? "\n" : "none\n");
	if (tf_path != NULL)
		buf_printf(&b, "wrote the Terraform to %s\n", tf_path);
	buf_printf(&b, "next: answer the checklist in %s/%s/README.md, then\n"
	    "  /usr/bin/python3 -m pytest %s/%s/tests\n  dlc build %s\n",
	    spec->functions_dir, spec->name, spec->functions_dir, spec->name, spec->name);
	fputs(b.data, out);
	buf_free(&b);
}

int
cli_new_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "functions-dir", required_argument, NULL, 'd' },
		{ "write", required_argument, NULL, 'w' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_command_find("new");
	const char *source_arg = NULL, *dir_arg = NULL, *write_dir = NULL, *name;
	struct new_spec spec;
	enum new_source source;
	struct dlc_err err;
	struct stat st;
	struct buf tf;
	char **files = NULL, *tf_path = NULL;
	size_t n_files = 0, i;
	int ch, rc = CLI_FAIL;

	while ((ch = getopt_long(argc, argv, "s:d:w:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			source_arg = optarg;
			break;
		case 'd':
			dir_arg = optarg;
			break;
		case 'w':
			write_dir = optarg;
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "dlc new: name one function (%s)\n",
		    optind < argc ? "more were given" : "none was given");
		return CLI_USAGE;
	}
	if (source_arg == NULL || new_source_parse(source_arg, &source) != 0) {
		fprintf(stderr, "dlc new: --source takes dynamodb, kinesis or schedule%s\n",
		    source_arg == NULL ? " (none was given)" : "");
		return CLI_USAGE;
	}
	name = argv[optind];
	memset(&spec, 0, sizeof spec);
	buf_init(&tf, 0);
	dlc_err_clear(&err);
	if (cli_new_config(ctx, &err) != 0)
		goto out;
	if (new_scaffold_check_name(name, ctx->have_cfg ? &ctx->cfg : NULL, &err) != 0)
		goto out;
	if (new_spec_init(&spec, dir_arg != NULL ? dir_arg : ctx->have_cfg ?
	    ctx->cfg.functions_dir : "functions", name, source, &err) != 0)
		goto out;
	if (write_dir != NULL) {
		if (stat(write_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			dlc_err_set(&err, "NoDirectory", "--write %s: not a folder", write_dir);
			dlc_err_fix(&err, "name the infrastructure repository's folder for the function's .tf");
			goto out;
		}
		tf_path = xasprintf("%s/%s.tf", write_dir, name);
		if (lstat(tf_path, &st) == 0) {
			dlc_err_set(&err, "Exists", "%s is already there", tf_path);
			dlc_err_fix(&err, "pick another name, or remove the file first");
			goto out;
		}
	}
	/* The Terraform first: when it cannot be made, no folder is left. */
	if (new_terraform_render(&tf, &spec, ctx->have_cfg ? &ctx->cfg : NULL, &err) != 0)
		goto out;
	if (new_scaffold_write(&spec, &files, &n_files, &err) != 0)
		goto out;
	if (tf_path != NULL && invoke_payload_write_atomic(tf_path, tf.data, tf.len, &err) != 0) {
		dlc_err_what(&err, "%s/%s was created; writing its Terraform", spec.functions_dir, name);
		goto out;
	}
	if (ctx->json) {
		cli_new_print_json(&spec, files, n_files, tf_path, tf.data);
	} else if (tf_path != NULL) {
		cli_new_print_text(stdout, &spec, n_files, tf_path);
	} else {
		/* The Terraform alone on stdout, so > FILE.tf takes it whole. */
		cli_new_print_text(stderr, &spec, n_files, NULL);
		fwrite(tf.data, 1, tf.len, stdout);
	}
	rc = CLI_OK;
out:
	if (rc != CLI_OK)
		cli_error(&err);
	for (i = 0; i < n_files; i++)
		free(files[i]);
	free(files);
	free(tf_path);
	buf_free(&tf);
	new_spec_free(&spec);
	if (ctx->have_cfg) {
		dlc_config_free(&ctx->cfg);
		ctx->have_cfg = 0;
	}
	return rc;
}
