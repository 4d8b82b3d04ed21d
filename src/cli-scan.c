/*
 * dlc scan [PATH|FUNCTION...]: the secret scan on demand, over files,
 * folders and zips as they are, or over functions by name (their source
 * folder, what a package is made of, with their function.ini's
 * scan-allow). With no argument, every function of the manifest. Exit 0
 * clean, 1 when something was found, 2 when something could not be read
 * or the command was wrong: like grep, so a script can tell "found" from
 * "could not look".
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jsonout.h"
#include "manifest.h"
#include "scan.h"
#include "xmalloc.h"

enum { CLI_SCAN_CLEAN = 0, CLI_SCAN_FOUND = 1, CLI_SCAN_ERROR = 2 };

struct cli_scan {
	struct cli_ctx		*ctx;
	struct local_function	*fns;
	size_t			 n_fns;
	int			 loaded;	/* the manifest was read (or tried) */
	int			 manifest_rc;
	struct dlc_err		 manifest_err;
	int			 failed;	/* something could not be scanned */
	struct scan_report	 report;
};

/* The manifest, read once and only when a function is named (or none is). */
static int
cli_scan_manifest(struct cli_scan *cs, struct dlc_err *err)
{
	struct cli_ctx *ctx = cs->ctx;
	char *path;

	if (cs->loaded) {
		if (cs->manifest_rc != 0)
			*err = cs->manifest_err;
		return cs->manifest_rc;
	}
	cs->loaded = 1;
	dlc_err_clear(&cs->manifest_err);
	path = dlc_config_default_path(ctx->config_path);
	if (path == NULL) {
		dlc_err_set(&cs->manifest_err, "NoConfig", "no dlc.ini found");
		dlc_err_fix(&cs->manifest_err, "run dlc from the repository "
		    "root, pass --config FILE, or name files and folders to scan");
		cs->manifest_rc = -1;
	} else if (dlc_config_load(&ctx->cfg, path, &cs->manifest_err) != 0) {
		cs->manifest_rc = -1;
	} else {
		ctx->have_cfg = 1;
		cs->manifest_rc = manifest_load_dir(ctx->cfg.functions_dir,
		    &cs->fns, &cs->n_fns, &cs->manifest_err);
	}
	free(path);
	if (cs->manifest_rc != 0)
		*err = cs->manifest_err;
	return cs->manifest_rc;
}

static void
cli_scan_failed(struct cli_scan *cs, struct dlc_err *err)
{
	cli_error(err);
	dlc_err_clear(err);
	cs->failed = 1;
}

static void
cli_scan_function(struct cli_scan *cs, const struct local_function *fn)
{
	struct scan_allow *allow;
	struct dlc_err err;
	char *dir;

	dlc_err_clear(&err);
	allow = scan_allow_new(fn, &err);
	if (allow == NULL) {
		cli_scan_failed(cs, &err);
		return;
	}
	/* The source folder: the paths scan-allow names are the package's. */
	dir = strcmp(fn->source, ".") == 0 ? xstrdup(fn->dir) :
	    xasprintf("%s/%s", fn->dir, fn->source);
	if (scan_dir(dir, allow, &cs->report, &err) != 0) {
		dlc_err_what(&err, "scanning function %s", fn->name);
		cli_scan_failed(cs, &err);
	}
	free(dir);
	scan_allow_free(allow);
}

static void
cli_scan_arg(struct cli_scan *cs, const char *arg)
{
	const struct local_function *fn;
	struct dlc_err err;
	struct stat st;
	int rc, e;

	dlc_err_clear(&err);
	if (stat(arg, &st) == 0) {
		/* A path is scanned as it is: scan-allow belongs to a function named. */
		if (S_ISDIR(st.st_mode))
			rc = scan_dir(arg, NULL, &cs->report, &err);
		else if (scan_is_zip(arg))
			rc = scan_zip_allow(arg, NULL, &cs->report, &err);
		else if (S_ISREG(st.st_mode))
			rc = scan_file(arg, arg, NULL, &cs->report, &err);
		else
			rc = dlc_err_set(&err, "ScanFailed", "%s is neither a file "
			    "nor a folder", arg);
		if (rc != 0)
			cli_scan_failed(cs, &err);
		return;
	}
	e = errno;
	if (strchr(arg, '/') != NULL) {
		dlc_err_set(&err, "NotFound", "cannot scan %s: %s", arg,
		    strerror(e));
		dlc_err_fix(&err, "give a path to a file, folder or zip");
	} else if (cli_scan_manifest(cs, &err) != 0) {
		dlc_err_what(&err, "looking for a function named %s (there is no "
		    "such file or folder)", arg);
	} else if ((fn = manifest_find(cs->fns, cs->n_fns, arg)) != NULL) {
		cli_scan_function(cs, fn);
		return;
	} else {
		dlc_err_set(&err, "NotFound", "no file, folder or function "
		    "named %s", arg);
		dlc_err_fix(&err, "give a path to a file, folder or zip, or "
		    "the name of a folder under %s", cs->ctx->cfg.functions_dir);
	}
	cli_scan_failed(cs, &err);
}

static void
cli_scan_summary(const struct cli_scan *cs)
{
	const struct scan_report *r = &cs->report;
	size_t n = scan_report_count(r);

	if (n > 0)
		fprintf(stderr, "dlc scan: %zu secret%s found in %zu file%s read "
		    "(%llu bytes)%s\n  a real secret: remove it from the files "
		    "and rotate it; a reviewed false positive: scan-allow = RULE "
		    "PATH-REGEX in the function's function.ini (dlc-function(5))\n",
		    n, n == 1 ? "" : "s", r->files, r->files == 1 ? "" : "s",
		    (unsigned long long)r->bytes, r->dropped > 0 ?
		    " (only the first ones are listed)" : "");
	else
		fprintf(stderr, "dlc scan: %s: %zu file%s, %llu bytes read\n",
		    cs->failed ? "nothing found in what could be read" : "clean",
		    r->files, r->files == 1 ? "" : "s",
		    (unsigned long long)r->bytes);
	if (r->allowed > 0)
		fprintf(stderr, "dlc scan: %zu hit%s allowed by scan-allow\n",
		    r->allowed, r->allowed == 1 ? "" : "s");
}

int
cli_scan_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd;
	struct cli_scan cs;
	struct dlc_err err;
	struct buf out;
	size_t i;
	int ch, rc;

	for (cmd = cli_commands; strcmp(cmd->name, "scan") != 0; cmd++)
		;
	while ((ch = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (ch) {
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	memset(&cs, 0, sizeof cs);
	cs.ctx = ctx;
	scan_report_init(&cs.report);
	dlc_err_clear(&err);
	if (optind == argc) {
		if (cli_scan_manifest(&cs, &err) != 0)
			cli_scan_failed(&cs, &err);
		for (i = 0; i < cs.n_fns; i++)
			cli_scan_function(&cs, &cs.fns[i]);
	}
	for (; optind < argc; optind++)
		cli_scan_arg(&cs, argv[optind]);
	if (ctx->json) {
		cJSON *root = scan_report_json(&cs.report);

		cJSON_AddBoolToObject(root, "Complete", !cs.failed);
		jsonout_write(stdout, root, 1);
		cJSON_Delete(root);
	} else {
		buf_init(&out, 0);
		scan_report_format(&cs.report, &out);
		if (out.len > 0)
			fwrite(out.data, 1, out.len, stdout);
		buf_free(&out);
		cli_scan_summary(&cs);
	}
	/* Not read is not clean: an error outranks a hit. */
	rc = cs.failed ? CLI_SCAN_ERROR : scan_report_count(&cs.report) > 0 ?
	    CLI_SCAN_FOUND : CLI_SCAN_CLEAN;
	scan_report_free(&cs.report);
	manifest_free_all(cs.fns, cs.n_fns);
	if (ctx->have_cfg)
		dlc_config_free(&ctx->cfg);
	return rc;
}
