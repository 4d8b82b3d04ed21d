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
#include "cli-push-changed.h"
#include "cli-push.h"
#include "jsonout.h"
#include "manifest.h"
#include "push-tty.h"
#include "push.h"
#include "sanitize.h"
#include "xmalloc.h"

/* One job at a time: the command waits for each. */
struct cli_push_wait {
	struct push_tty	 tty;
	int		 pending;
	int		 failed;
};

static void
cli_push_done(struct push_job *job, const struct dlc_err *err, void *arg)
{
	struct cli_push_wait *w = arg;

	(void)job;
	w->pending = 0;
	w->failed = err != NULL;
}

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
cli_push_run_job(struct cli_ctx *ctx, struct aws_env *aenv,
    const struct dlc_env *env, const struct local_function *fn,
    enum push_kind kind, const struct push_options *opts, cJSON *list,
    struct push_result *res, struct dlc_err *err)
{
	struct cli_push_wait w;
	struct push_callbacks cbs;
	struct push_job *job;
	int rc;

	memset(&w, 0, sizeof w);
	push_tty_init(&w.tty, stderr);
	push_tty_callbacks(&cbs);
	cbs.done = cli_push_done;
	/* The tty callbacks and done share w: tty is its first member. */
	job = push_job_start(ctx->aws.loop, aenv, &ctx->cfg, env, fn, kind,
	    opts, &cbs, &w, err);
	if (job == NULL)
		return -1;
	w.pending = 1;
	aws_wait(&ctx->aws, &w.pending);
	push_tty_clear(&w.tty);
	if (w.pending) {	/* the loop ran dry: nothing can finish it */
		push_job_cancel(job);
		aws_wait(&ctx->aws, &w.pending);
	}
	*res = *push_job_result(job);
	rc = res->outcome == PUSH_OUTCOME_DEPLOYED ||
	    res->outcome == PUSH_OUTCOME_UNCHANGED ||
	    res->outcome == PUSH_OUTCOME_DRY_RUN ? 0 : -1;
	if (rc != 0) {
		const struct push_step_info *si =
		    push_job_step(job, push_job_current(job));

		*err = si->err;
		if (!dlc_err_isset(err))
			dlc_err_set(err, "Cancelled", "the push of %s was "
			    "stopped", fn->name);
		if (err->what[0] == '\0')
			dlc_err_what(err, "%s %s of %s to %s",
			    push_step_name(push_job_current(job)),
			    kind == PUSH_LAYER ? "publish" : "push", fn->name,
			    env->name);
	}
	if (list != NULL)
		cJSON_AddItemToArray(list, cli_push_json(job, rc != 0 ? err :
		    NULL));
	push_job_free(job);
	return rc;
}

cJSON *
cli_push_json(const struct push_job *job, const struct dlc_err *err)
{
	const struct push_result *r = push_job_result(job);
	cJSON *o = cJSON_CreateObject(), *steps, *s, *e;
	int i;

	cJSON_AddStringToObject(o, "Local", push_job_function(job)->name);
	cJSON_AddStringToObject(o, "Name", r->remote_name);
	cJSON_AddStringToObject(o, "Outcome", push_outcome_name(r->outcome));
	cJSON_AddItemToObject(o, "CodeSha256", jsonout_string_or_null(
	    r->local_sha256[0] != '\0' ? r->local_sha256 : NULL));
	cJSON_AddItemToObject(o, "PreviousCodeSha256", jsonout_string_or_null(
	    r->remote_sha256[0] != '\0' ? r->remote_sha256 : NULL));
	cJSON_AddNumberToObject(o, "Size", (double)r->size);
	cJSON_AddStringToObject(o, "Upload", r->via_s3 ? "s3" : "inline");
	cJSON_AddItemToObject(o, "S3Key", jsonout_string_or_null(
	    r->s3_key[0] != '\0' ? r->s3_key : NULL));
	cJSON_AddNumberToObject(o, "Conflicts", r->conflicts);
	cJSON_AddNumberToObject(o, "Polls", r->polls);
	if (r->layer_version_arn[0] != '\0')
		cJSON_AddStringToObject(o, "LayerVersionArn",
		    r->layer_version_arn);
	steps = cJSON_AddArrayToObject(o, "Steps");
	for (i = 0; i < PUSH_STEP_COUNT; i++) {
		const struct push_step_info *si = push_job_step(job, i);

		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "Step", push_step_name(i));
		cJSON_AddStringToObject(s, "State", push_state_name(si->state));
		cJSON_AddStringToObject(s, "Detail", si->detail);
		cJSON_AddItemToArray(steps, s);
	}
	if (err != NULL) {
		e = cJSON_AddObjectToObject(o, "Error");
		cJSON_AddStringToObject(e, "Code", err->code);
		cJSON_AddStringToObject(e, "Message", err->message);
		cJSON_AddStringToObject(e, "Fix", err->fix);
	} else {
		cJSON_AddNullToObject(o, "Error");
	}
	return o;
}

/* The text line of one result: what happened, and that it was verified. */
static void
cli_push_print(const struct local_function *fn, const struct push_result *r,
    const struct dlc_env *env)
{
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
	struct push_result res;
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
	for (i = 0; i < n; i++)
		cli_detach_report(report_fd, "job", "-", fns[i]->name);
	cli_detach_done(&report_fd);
	for (i = 0; i < n; i++) {
		dlc_err_clear(&err);
		if (cli_push_run_job(ctx, aenv, env, fns[i], PUSH_CODE, &opts,
		    list, &res, &err) != 0) {
			cli_error(&err);
			failed++;
			continue;
		}
		if (!ctx->json)
			cli_push_print(fns[i], &res, env);
	}
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
	cli_close_env(aenv);
	manifest_free_all(locals, n_locals);
	cli_teardown(ctx);
	return rc;
}
