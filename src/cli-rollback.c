/*
 * dlc rollback -e ENV FUNCTION [--to ID]: redeploys a kept package
 * through the deploy queue (a "rollback" job: build and package skipped,
 * the kept zip sent, waited for and verified like any push).
 *
 * Which package: --to names a job; without it, the newest successful
 * deployment of the function in that environment whose CodeSha256 is not
 * the one deployed now (read from Lambda, not assumed from the journal:
 * someone may have deployed by other means). So a rollback after a
 * rollback goes back to what was deployed before it, as `cd -` does;
 * --to reaches further. The packages are the ones the journal's end
 * records name (package-keep keeps the last keep-packages per function);
 * one no longer kept is said with the commit to build and push instead.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli-detach.h"
#include "cli-jobs.h"
#include "cli-journal.h"
#include "cli-push.h"
#include "jobstate.h"
#include "jsonout.h"
#include "manifest.h"
#include "rollback.h"
#include "sanitize.h"
#include "xmalloc.h"

int
cli_rollback_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "to", required_argument, NULL, 't' },
		{ "confirm", required_argument, NULL, 'y' },
		{ "no-wait", no_argument, NULL, 'W' },
		{ "report-fd", required_argument, NULL, 'R' },	/* hidden: cli-detach.h */
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_command_find("rollback");
	struct local_function *locals = NULL;
	size_t n_locals = 0;
	const struct local_function *fn;
	const struct dlc_env *env;
	const struct jobstate *target;
	struct jobstate_set *set = NULL;
	struct aws_env *aenv = NULL;
	struct cli_jobs *cj = NULL;
	struct push_options opts;
	struct dlc_err err;
	const char *env_name = NULL, *to = NULL, *confirm = NULL, *id;
	char *typed = NULL, *deployed = NULL, *remote = NULL, what[512];
	int ch, rc = CLI_FAIL, no_wait = 0, report_fd = -1;

	memset(&opts, 0, sizeof opts);
	while ((ch = getopt_long(argc, argv, "e:t:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			env_name = optarg;
			break;
		case 't':
			to = optarg;
			break;
		case 'y':
			confirm = optarg;
			break;
		case 'W':
			no_wait = 1;
			break;
		case 'R':
			if ((report_fd = cli_detach_parse_fd(optarg)) < 0)
				return CLI_USAGE;
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "dlc rollback: name one function\n");
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
	if (no_wait)
		cli_jobs_interrupted(ctx, NULL);
	else if ((cj = cli_jobs_new(ctx, &err)) == NULL)
		goto out;
	else
		cli_jobs_report_to(cj, &report_fd);
	if (manifest_load_dir(ctx->cfg.functions_dir, &locals, &n_locals,
	    &err) != 0)
		goto out;
	fn = manifest_find(locals, n_locals, argv[optind]);
	if (fn == NULL)
		fn = manifest_find_remote(locals, n_locals, env, argv[optind]);
	if (fn == NULL || fn->is_layer) {
		dlc_err_set(&err, "UnknownFunction", "no function '%s' under %s",
		    argv[optind], ctx->cfg.functions_dir);
		dlc_err_fix(&err, "name a function's folder (a layer's versions "
		    "stay published: 'dlc layer publish' moves functions)");
		goto out;
	}
	if ((set = cli_journal_load(CLI_JOURNAL_HISTORY_DAYS, &err)) == NULL)
		goto out;
	if ((aenv = cli_open_env(ctx, env, &err)) == NULL)
		goto out;
	if (cli_check_account(ctx, aenv, env, &err) != 0)
		goto out;
	remote = dlc_env_remote_name(env, fn->remote_base);
	if (to == NULL && cli_push_deployed_sha(ctx, aenv, remote, &deployed,
	    &err) != 0)
		goto out;
	if ((target = rollback_target(set, env->name, fn->name, to, deployed,
	    &err)) == NULL)
		goto out;
	if (rollback_package_kept(target, env->name, fn->name, &err) != 0)
		goto out;
	snprintf(what, sizeof what, "Rolling %s back to job %s's package "
	    "(commit %s)", fn->name, target->id, target->commit != NULL ?
	    target->commit : "unknown");
	typed = cli_push_confirm(env, confirm, 0, what);
	opts.confirmed = typed;
	if (push_policy_check(env, typed, 0, &err) != 0)
		goto out;
	opts.inline_limit = cli_push_inline_limit();
	opts.package_path = target->package;
	if (no_wait) {
		char *args[10];
		size_t k = 0;

		args[k++] = (char *)"-e";
		args[k++] = env->name;
		args[k++] = (char *)"--to";
		args[k++] = (char *)target->id;
		if (typed != NULL) {
			args[k++] = (char *)"--confirm";
			args[k++] = typed;
		}
		args[k++] = (char *)"--";
		args[k++] = fn->name;
		args[k] = NULL;
		rc = cli_detach_run(ctx, "rollback", args, stdout, &err) > 0 ?
		    CLI_OK : CLI_FAIL;
		goto out;
	}
	if ((id = cli_jobs_add(cj, aenv, env, fn, PUSH_CODE, &opts, target->id,
	    &err)) == NULL) {
		cli_detach_report(report_fd, "error", NULL, err.message);
		goto out;
	}
	{
		char *clean;
		char line[512];

		snprintf(line, sizeof line, "dlc: job %s rolls %s back to job "
		    "%s's package (commit %s, CodeSha256 %s)", id, fn->name,
		    target->id, target->commit != NULL ? target->commit : "unknown",
		    target->code_sha256);
		clean = sanitize_str(line);
		fprintf(stderr, "%s\n", clean);
		free(clean);
	}
	rc = cli_jobs_wait(cj, cli_push_ended, ctx) > 0 ? CLI_FAIL : CLI_OK;
	if (ctx->json) {
		cJSON *o = cli_jobs_json(cli_jobs_get(cj, 0));

		cJSON_AddStringToObject(o, "RollbackOf", target->id);
		cJSON_AddItemToObject(o, "Commit",
		    jsonout_string_or_null(target->commit));
		jsonout_write(stdout, o, 1);
		cJSON_Delete(o);
	}
out:
	cli_detach_done(&report_fd);
	if (dlc_err_isset(&err))
		cli_error(&err);
	free(typed);
	free(deployed);
	free(remote);
	cli_jobs_free(cj);
	jobstate_set_free(set);
	cli_close_env(aenv);
	manifest_free_all(locals, n_locals);
	cli_teardown(ctx);
	return rc;
}
