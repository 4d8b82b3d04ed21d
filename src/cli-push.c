/*
 * dlc push -e ENV FUNCTION...: one deploy job (push.h) per function, one
 * after another, progress on stderr (push-tty.h) and the result of each
 * on stdout, as text or -o json. The environment's policy is the job's to
 * enforce; this only asks for the name on a terminal when it is confirm.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli-detach.h"
#include "cli-jobs.h"
#include "cli-push-changed.h"
#include "cli-push.h"
#include "jsonout.h"
#include "manifest.h"
#include "push-tty.h"
#include "push.h"
#include "sanitize.h"
#include "xmalloc.h"

unsigned long long
cli_push_inline_limit(void)
{
	const char *s = getenv("DLC_INLINE_LIMIT");
	char *end;
	unsigned long long n;

	if (s == NULL || *s == '\0')
		return 0;
	n = strtoull(s, &end, 10);
	return *end == '\0' ? n : 0;
}

char *
cli_push_confirm(const struct dlc_env *env, const char *given, int dry_run,
    const char *what)
{
	char prompt[512];

	if (given != NULL)
		return xstrdup(given);
	if (dry_run || env->deploy != DEPLOY_CONFIRM)
		return NULL;
	snprintf(prompt, sizeof prompt, "%s in %s (deploy = confirm). Type "
	    "the environment's name to go on: ", what, env->name);
	return push_tty_ask(prompt);
}

int
cli_push_run_job(struct cli_jobs *cj, struct aws_env *aenv,
    const struct dlc_env *env, const struct local_function *fn,
    enum push_kind kind, const struct push_options *opts, cJSON *list,
    struct push_result *res, struct dlc_err *err)
{
	const struct cli_jobs_result *r;
	size_t n = cli_jobs_count(cj);

	if (cli_jobs_add(cj, aenv, env, fn, kind, opts, NULL, err) == NULL)
		return -1;
	cli_jobs_wait(cj, NULL, NULL);
	r = cli_jobs_get(cj, n);
	*res = r->res;
	if (list != NULL)
		cJSON_AddItemToArray(list, cli_jobs_json(r));
	if (!r->ok) {
		*err = r->err;
		return -1;
	}
	return 0;
}

void
cli_push_print_result(const struct cli_jobs_result *rr)
{
	const struct local_function *fn = rr->fn;
	const struct push_result *r = &rr->res;
	const struct dlc_env *env = rr->env;
	char line[1024];
	char *clean;

	switch (r->outcome) {
	case PUSH_OUTCOME_DEPLOYED:
		snprintf(line, sizeof line, "%s: deployed to %s (%llu bytes %s"
		    "%s), CodeSha256 %s verified", fn->name, r->remote_name,
		    (unsigned long long)r->size, r->via_s3 ? "through S3" :
		    "inline", r->conflicts > 0 ? ", after an update in "
		    "progress" : "", r->local_sha256);
		break;
	case PUSH_OUTCOME_UNCHANGED:
		snprintf(line, sizeof line, "%s: already deployed to %s "
		    "(CodeSha256 %s), nothing uploaded", fn->name,
		    r->remote_name, r->local_sha256);
		break;
	case PUSH_OUTCOME_DRY_RUN:
		snprintf(line, sizeof line, "%s: would push to %s: %llu bytes "
		    "%s, CodeSha256 %s (deployed: %s); deploy = %s in %s",
		    fn->name, r->remote_name, (unsigned long long)r->size,
		    r->via_s3 ? "through S3" : "inline", r->local_sha256,
		    r->remote_sha256[0] != '\0' ? r->remote_sha256 : "none",
		    dlc_deploy_policy_name(env->deploy), env->name);
		break;
	default:
		return;
	}
	clean = sanitize_str(line);
	printf("%s\n", clean);
	fflush(stdout);
	free(clean);
}

/* A job ended: its result line (text), or its error, as it ends. */
static void
cli_push_ended(const struct cli_jobs_result *r, void *arg)
{
	struct cli_ctx *ctx = arg;

	if (!r->ok)
		cli_error(&r->err);
	else if (!ctx->json)
		cli_push_print_result(r);
}

/*
 * --no-wait: the same push started again, detached (cli-detach.h), with
 * what was checked here settled: the functions by name, the name typed
 * back. Prints the ids of the jobs it queued.
 */
static int
cli_push_detach(struct cli_ctx *ctx, const struct dlc_env *env,
    const struct local_function **fns, int n, const struct push_options *opts,
    struct dlc_err *err)
{
	char **args = xcalloc((size_t)n + 8, sizeof *args);
	size_t k = 0;
	int i, queued;

	args[k++] = (char *)"-e";
	args[k++] = env->name;
	if (opts->dry_run)
		args[k++] = (char *)"--dry-run";
	if (opts->confirmed != NULL) {
		args[k++] = (char *)"--confirm";
		args[k++] = (char *)opts->confirmed;
	}
	args[k++] = (char *)"--";
	for (i = 0; i < n; i++)
		args[k++] = fns[i]->name;
	args[k] = NULL;
	queued = cli_detach_run(ctx, "push", args, stdout, err);
	free(args);
	return queued > 0 ? CLI_OK : CLI_FAIL;
}

int
cli_push_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "confirm", required_argument, NULL, 'y' },
		{ "changed", no_argument, NULL, 'C' },
		{ "no-wait", no_argument, NULL, 'W' },
		{ "report-fd", required_argument, NULL, 'R' },	/* hidden: cli-detach.h */
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_command_find("push");
	struct local_function *locals = NULL;
	size_t n_locals = 0;
	const struct local_function **fns = NULL;
	const struct dlc_env *env;
	struct aws_env *aenv = NULL;
	struct push_options opts;
	struct cli_jobs *cj = NULL;
	struct dlc_err err;
	const char *env_name = NULL, *confirm = NULL;
	char *typed = NULL, what[128];
	cJSON *root = NULL, *list = NULL;
	int ch, i, n, rc = CLI_FAIL, failed = 0, changed = 0, no_wait = 0;
	int report_fd = -1;

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
		case 'C':
			changed = 1;
			break;
		case 'W':
			no_wait = 1;
			break;
		case 'R':
			if ((report_fd = cli_detach_parse_fd(optarg)) < 0) {
				fprintf(stderr, "dlc push: --report-fd takes a "
				    "file descriptor\n");
				return CLI_USAGE;
			}
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	if ((optind >= argc) == !changed) {
		fprintf(stderr, "dlc push: %s\n", changed ? "--changed "
		    "finds the functions itself: name none" : "name the "
		    "functions to push, or pass --changed");
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
	/* Interrupted jobs are said at every start (cli-journal.h). */
	if (no_wait)
		cli_jobs_interrupted(ctx, NULL);
	else if ((cj = cli_jobs_new(ctx, &err)) == NULL)
		goto out;
	if (manifest_load_dir(ctx->cfg.functions_dir, &locals, &n_locals,
	    &err) != 0)
		goto out;
	n = argc - optind;
	fns = xcalloc((size_t)n + 1, sizeof *fns);
	for (i = 0; i < n; i++) {
		const char *name = argv[optind + i];

		fns[i] = manifest_find(locals, n_locals, name);
		if (fns[i] == NULL)
			fns[i] = manifest_find_remote(locals, n_locals, env,
			    name);
		if (fns[i] == NULL) {
			dlc_err_set(&err, "UnknownFunction", "no function '%s' "
			    "under %s", name, ctx->cfg.functions_dir);
			dlc_err_fix(&err, "name a folder of %s (dlc ls -e %s "
			    "shows the mapping)", ctx->cfg.functions_dir,
			    env->name);
			goto out;
		}
		if (fns[i]->is_layer) {
			dlc_err_set(&err, "WrongKind", "%s is a layer", name);
			dlc_err_fix(&err, "publish it with dlc layer publish "
			    "-e %s %s", env->name, name);
			goto out;
		}
	}
	/* Refuse before anything is built: the job would refuse the same. */
	if (changed)
		snprintf(what, sizeof what, "Pushing every function with "
		    "local changes");
	else
		snprintf(what, sizeof what, "Pushing %d function%s", n, n == 1 ?
		    "" : "s");
	typed = cli_push_confirm(env, confirm, opts.dry_run, what);
	opts.confirmed = typed;
	if (push_policy_check(env, typed, opts.dry_run, &err) != 0)
		goto out;
	opts.inline_limit = cli_push_inline_limit();
	if ((aenv = cli_open_env(ctx, env, &err)) == NULL)
		goto out;
	if (cli_check_account(ctx, aenv, env, &err) != 0)
		goto out;
	if (changed) {
		size_t nc;

		free(fns);
		fns = NULL;
		if (cli_push_changed(ctx, aenv, env, locals, n_locals, &fns,
		    &nc, &err) != 0)
			goto out;
		n = (int)nc;
		if (n == 0)
			fprintf(stderr, "dlc push: every function deployed to "
			    "%s is this checkout's: nothing to push\n",
			    env->name);
	}
	if (no_wait && n > 0) {
		rc = cli_push_detach(ctx, env, fns, n, &opts, &err);
		goto out;
	}
	if (ctx->json) {
		root = cJSON_CreateObject();
		cJSON_AddStringToObject(root, "Environment", env->name);
		cJSON_AddStringToObject(root, "Policy",
		    dlc_deploy_policy_name(env->deploy));
		cJSON_AddBoolToObject(root, "DryRun", opts.dry_run);
		list = cJSON_AddArrayToObject(root, "Functions");
	}
	for (i = 0; i < n; i++) {
		const char *id;

		dlc_err_clear(&err);
		id = cli_jobs_add(cj, aenv, env, fns[i], PUSH_CODE, &opts, NULL,
		    &err);
		if (id == NULL) {
			cli_detach_report(report_fd, "error", NULL, err.message);
			cli_error(&err);
			failed++;
			continue;
		}
		cli_detach_report(report_fd, "job", id, fns[i]->name);
	}
	cli_detach_done(&report_fd);
	failed += cli_jobs_wait(cj, cli_push_ended, ctx);
	for (i = 0; list != NULL && (size_t)i < cli_jobs_count(cj); i++)
		cJSON_AddItemToArray(list, cli_jobs_json(cli_jobs_get(cj,
		    (size_t)i)));
	dlc_err_clear(&err);
	rc = failed > 0 ? CLI_FAIL : CLI_OK;
out:
	if (root != NULL) {
		jsonout_write(stdout, root, 1);
		cJSON_Delete(root);
	}
	if (dlc_err_isset(&err))
		cli_error(&err);
	cli_detach_done(&report_fd);
	free(typed);
	free(fns);
	cli_jobs_free(cj);
	cli_close_env(aenv);
	manifest_free_all(locals, n_locals);
	cli_teardown(ctx);
	return rc;
}
