/*
 * Command dispatch and the set-up every command shares. The command table
 * is the one source of the help text: `dlc --help`, `dlc CMD --help` and a
 * test that checks man/dlc.1 all read it.
 */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws-op.h"
#include "cli-push.h"
#include "creds.h"
#include "env-open.h"
#include "http.h"
#include "loggroup.h"
#include "loop.h"
#include "proc.h"
#include "sanitize.h"
#include "sts.h"
#include "xmalloc.h"

int (*cli_console)(struct cli_ctx *ctx);

const struct cli_command cli_commands[] = {
	{ "envs", "envs [-o text|json]",
	  "list environments with profile, region, account, credential state and deploy policy",
	  "  -o, --output FORMAT   text (default) or json\n",
	  cli_envs_run },
	{ "ls", "ls -e ENV [--all] [-o text|json]",
	  "list the Lambda functions of an environment and the local functions they map to",
	  "  -e, --env ENV         the environment (from dlc.ini)\n"
	  "  -a, --all             every function of the account, also other environments'\n"
	  "  -o, --output FORMAT   text (default) or json\n",
	  cli_ls_run },
	{ "login", "login -e ENV",
	  "sign in with AWS IAM Identity Center (SSO) for an environment's profile",
	  "  -e, --env ENV         the environment whose profile to sign in\n"
	  "      --no-browser      only print the URL and code (the default: dlc never opens a browser)\n",
	  cli_login_run },
	{ "logs", "logs -e ENV FUNCTION... [--group LOG-GROUP]... [-f] [--since T] [--until T] [--filter-pattern P] [--grep RE] [--format F]",
	  "read and follow the CloudWatch logs of one or many functions, interleaved by time",
	  "  -e, --env ENV             the environment (from dlc.ini)\n"
	  "                            FUNCTION: a local folder, an AWS name, or a name through\n"
	  "                            the environment's function-name template\n"
	  "      --group LOG-GROUP     follow this log group as it is (also one whose function is gone)\n"
	  "  -s, --since TIME          start: 10m, 1h30m, 2d, an ISO time or a date (default 10m)\n"
	  "  -u, --until TIME          end, in the same forms (default: now)\n"
	  "  -f, --follow              keep following new events, each shown exactly once\n"
	  "  -p, --filter-pattern P    CloudWatch filter pattern, applied by AWS\n"
	  "  -g, --grep REGEX          PCRE2 regex applied here (smart case)\n"
	  "  -r, --request-id ID       only the lines of one invocation\n"
	  "  -F, --format FORMAT       short (default), detailed (with stream), json (NDJSON), message\n"
	  "      --utc, --local        timestamps in UTC (default) or local time\n"
	  "      --color WHEN          auto (default), always, never\n"
	  "      --idle-exit SECONDS   with -f: stop after this long without new events\n",
	  cli_logs_run },
	{ "build", "build FUNCTION...|--all [--force] [-o text|json]",
	  "build functions' and layers' zips in a staging folder, skipping unchanged ones",
	  "  -a, --all             every function and layer of the functions folder\n"
	  "  -f, --force           build even when the inputs are unchanged\n"
	  "  -o, --output FORMAT   text (default) or json\n",
	  cli_build_run },
	{ "push", "push -e ENV FUNCTION...|--changed [--no-wait] [--dry-run] [--confirm ENV] [-o text|json]",
	  "build, upload, wait for and verify the code of functions in an environment",
	  CLI_PUSH_OPTIONS, cli_push_run },
	{ "layer", "layer build|publish|ls -e ENV [LAYER] [--move all|none] [--no-wait] [--dry-run] [--confirm ENV] [-o text|json]",
	  "publish a layer's new version and move the functions that use it; list who pins which version",
	  CLI_LAYER_OPTIONS, cli_layer_run },
	{ "queue", "queue [ls] | cancel ID | verify ID | retry ID [--confirm ENV] [--no-wait] [-o text|json]",
	  "this machine's deploy jobs (running, waiting, interrupted, recent); cancel, verify or retry one",
	  "  ls                    running, waiting, interrupted and the last ended jobs (the default)\n"
	  "  cancel ID             stop a waiting or running job (its dlc stops it before its next step)\n"
	  "  verify ID             an interrupted job: is its package what is deployed? (deployed, not deployed, unknown)\n"
	  "  retry ID              queue an interrupted, failed or cancelled job again and wait for it\n"
	  "      --confirm ENV     retry: the environment's name, for deploy = confirm without a terminal\n"
	  "      --no-wait         retry: queue it, print its id and return\n"
	  "  -o, --output FORMAT   text (default) or json\n"
	  "                        ID: a job's id or a unique prefix of it\n",
	  cli_queue_run },
	{ "rollback", "rollback -e ENV FUNCTION [--to ID] [--no-wait] [--confirm ENV] [-o text|json]",
	  "redeploy the previous (or a named job's) kept package of a function, through the deploy queue",
	  "  -e, --env ENV         the environment (from dlc.ini)\n"
	  "  -t, --to ID           the deployment (job id, see dlc history) whose package to redeploy;\n"
	  "                        default: the newest one whose CodeSha256 is not the deployed one\n"
	  "      --no-wait         queue the job, print its id and return\n"
	  "      --confirm ENV     the environment's name, for deploy = confirm without a terminal\n"
	  "  -o, --output FORMAT   text (default) or json\n",
	  cli_rollback_run },
	{ "metrics", "metrics -e ENV FUNCTION [--since 24h] [--period 5m] [-o text|json]",
	  "a function's invocations, errors, throttles, duration p50/p99 and concurrency over time",
	  "  -e, --env ENV         the environment (from dlc.ini)\n"
	  "                        FUNCTION: a local folder or a remote name\n"
	  "  -s, --since D         the window, ending now (default 24h)\n"
	  "  -p, --period D        one point per D, whole minutes (default 5m)\n"
	  "  -o, --output FORMAT   text (default; sparklines on a terminal) or json (every point)\n",
	  cli_metrics_run },
	{ "invoke", "invoke -e ENV FUNCTION [--payload FILE|-|JSON | --event NAME] [-o FILE] [--format text|json] [--list-events]",
	  "run a function once and show its status, error, response and log tail",
	  "  -e, --env ENV           the environment (from dlc.ini); its deploy policy is shown, not applied\n"
	  "  -p, --payload P         the event: a FILE, - for stdin, or the JSON itself (starting with { [ or \")\n"
	  "      --event NAME        the event saved as functions/FUNCTION/events/NAME.json\n"
	  "      --list-events       list the saved events of the function and stop\n"
	  "  -o, --output FILE       write the response's bytes to FILE (atomically) instead of showing them\n"
	  "  -F, --format FORMAT     text (default) or json\n"
	  "                          exit 0: the function succeeded, 1: a function error, 2: anything else\n",
	  cli_invoke_run },
	{ "diff", "diff -e ENV [FUNCTION...] [--exit-code] [-o text|json]",
	  "is the deployed code this checkout's? in sync, local changes, not deployed, remote only; runtime, handler, layer drift",
	  "  -e, --env ENV         the environment (from dlc.ini)\n"
	  "                        FUNCTION: a local folder (function or layer) or a remote name; none: all\n"
	  "      --exit-code       exit 2 when anything differs, 0 when all is in sync (1: an error)\n"
	  "  -o, --output FORMAT   text (default) or json\n",
	  cli_diff_run },
	{ "scan", "scan [-o text|json] [PATH|FUNCTION...]",
	  "look for secrets (AWS keys, private keys, tokens, passwords) in files, folders, zips or functions",
	  "  -o, --output FORMAT   text (default) or json\n"
	  "                        PATH: a file, folder or zip, read as it is; FUNCTION: its source\n"
	  "                        folder with its function.ini's scan-allow; none: every function\n"
	  "                        exit 0 clean, 1 secrets found, 2 something could not be read\n",
	  cli_scan_run },
	{ "history", "history -e ENV [FUNCTION] [-n N] [--days N] [-o text|json]",
	  "who deployed what, when, from which commit, with which CodeSha256, layers and outcome",
	  "  -e, --env ENV         the environment (from dlc.ini)\n"
	  "                        FUNCTION: a local name or a remote name; none: every function\n"
	  "  -n, --last N          only the N most recent jobs\n"
	  "  -d, --days N          read the journal of the last N days (default 30)\n"
	  "  -o, --output FORMAT   text (default) or json\n",
	  cli_history_run },
	{ "lock", "lock ls [-e ENV] [-o text|json] | lock break -e ENV KEY|JOB [--confirm ENV]",
	  "the team locks in the lock tables, and a confirmed force-unlock of an expired one",
	  "  ls                    every lock with its holder, and alive or expired (this dlc\n"
	  "                        watches each for up to a lease: it never trusts another clock)\n"
	  "  break KEY|JOB         delete a lock whose lease this dlc saw expire; journalled\n"
	  "  -e, --env ENV         the environment (from dlc.ini; ls: all with a lock-table)\n"
	  "      --confirm ENV     the environment's name, without a terminal\n"
	  "  -o, --output FORMAT   text (default) or json\n",
	  cli_lock_run },
	{ "new", "new NAME --source dynamodb|kinesis|schedule [--functions-dir DIR] [--write DIR] [-o text|json]",
	  "scaffold a function to the team's checklist, with tests, and print its Terraform",
	  "  -s, --source KIND        dynamodb (changes through Kinesis), kinesis, or schedule (EventBridge)\n"
	  "  -d, --functions-dir DIR  where to create NAME (default: dlc.ini's functions, else ./functions)\n"
	  "  -w, --write DIR          write the Terraform as DIR/NAME.tf instead of printing it\n"
	  "  -o, --output FORMAT      text (default) or json\n",
	  cli_new_run },
	{ "alarms", "alarms -e ENV [--state ALARM|INSUFFICIENT_DATA|OK] [FUNCTION...] [--watch [--interval N]] [-o text|json]",
	  "the CloudWatch alarms of an environment, ALARM first, matched to functions; exit 3 when one is in ALARM",
	  "  -e, --env ENV         the environment (from dlc.ini)\n"
	  "                        FUNCTION: a local folder or a remote name; none: every alarm\n"
	  "  -s, --state STATE     only alarms in ALARM, INSUFFICIENT_DATA or OK\n"
	  "  -w, --watch           keep polling, print every change of state, exit 3 on the\n"
	  "                        first one into ALARM (Ctrl-C: exit 0)\n"
	  "  -i, --interval N      with --watch: seconds between polls (default 60)\n"
	  "  -o, --output FORMAT   text (default) or json\n"
	  "                        exit 0 nothing selected is in ALARM, 3 something is, 1 an error\n",
	  cli_alarms_run },
	{ NULL, NULL, NULL, NULL, NULL }
};

static void
cli_usage(FILE *out)
{
	const struct cli_command *c;

	fprintf(out, "usage: dlc [--config FILE] [-e ENV] [--theme NAME]     (the console)\n"
	    "       dlc [--config FILE] [-v] COMMAND [OPTIONS]\n"
	    "       dlc --help | --version\n\n"
	    "dlc is the data lake console: Lambda functions, logs and deploys per environment.\n\n"
	    "Commands:\n");
	for (c = cli_commands; c->name != NULL; c++)
		fprintf(out, "  %-8s %s\n", c->name, c->summary);
	fprintf(out, "\nGlobal options:\n"
	    "  -c, --config FILE   dlc.ini to use (default: ./dlc.ini, $DLC_CONFIG, ~/.config/dlc/dlc.ini)\n"
	    "  -v, --verbose       trace requests to stderr (secrets redacted)\n"
	    "      --connect-timeout S  give up connecting after S seconds (default 10; dlc.ini connect-timeout)\n"
	    "      --read-timeout S     fail a read that moves no byte for S seconds (default 15; dlc.ini read-timeout)\n"
	    "  -e, --env ENV       console: open at this environment's functions\n"
	    "  -t, --theme NAME    console: colour theme (default, light, high-contrast, mono)\n"
	    "      --keys          print the console's keys and : commands\n"
	    "  -h, --help          this help; 'dlc COMMAND --help' for a command\n"
	    "  -V, --version       print the version\n");
}

const struct cli_command *
cli_command_find(const char *name)
{
	const struct cli_command *c;

	for (c = cli_commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void
cli_command_help(const struct cli_command *cmd, FILE *out)
{
	fprintf(out, "usage: dlc %s\n\n%s\n\nOptions:\n%s  -h, --help            this help\n",
	    cmd->usage, cmd->summary, cmd->options);
}

int
cli_error(const struct dlc_err *err)
{
	char text[2048];
	struct buf clean;

	/* AWS's message is untrusted; only the newline before the fix stays. */
	dlc_err_format(err, text, sizeof text);
	buf_init(&clean, 0);
	sanitize_append(&clean, text, strlen(text), SANITIZE_KEEP_NEWLINE);
	fprintf(stderr, "dlc: %s\n", clean.data != NULL ? clean.data : "");
	buf_free(&clean);
	return CLI_FAIL;
}

int
cli_parse_output(struct cli_ctx *ctx, const char *value)
{
	if (strcmp(value, "json") == 0)
		ctx->json = 1;
	else if (strcmp(value, "text") == 0)
		ctx->json = 0;
	else
		return -1;
	return 0;
}

int
cli_common_option(struct cli_ctx *ctx, const struct cli_command *cmd, int ch,
    const char *arg, int *rc)
{
	if (ch == 'o' && cli_parse_output(ctx, arg) == 0)
		return 0;
	if (ch == 'o')
		fprintf(stderr, "dlc %s: -o takes text or json\n", cmd->name);
	*rc = ch == 'h' ? CLI_OK : CLI_USAGE;
	cli_command_help(cmd, ch == 'h' ? stdout : stderr);
	return 1;
}

/* "15" -> 15000 ms; -1 unless whole seconds in 1..DLC_CONFIG_TIMEOUT_MAX. */
static int
cli_parse_seconds(const char *s, long *ms)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > DLC_CONFIG_TIMEOUT_MAX)
		return -1;
	*ms = n * 1000;
	return 0;
}

int
cli_setup(struct cli_ctx *ctx, struct dlc_err *err)
{
	char *path = dlc_config_default_path(ctx->config_path);

	if (path == NULL) {
		dlc_err_set(err, "NoConfig", "no dlc.ini found");
		dlc_err_fix(err, "run dlc from the repository root, or pass --config FILE, or set DLC_CONFIG");
		return -1;
	}
	if (dlc_config_load(&ctx->cfg, path, err) != 0) {
		free(path);
		return -1;
	}
	free(path);
	ctx->have_cfg = 1;
	ctx->aws.cfg = aws_config_load(NULL, NULL, err);
	if (ctx->aws.cfg == NULL)
		return -1;
	ctx->aws.loop = loop_new();
	ctx->aws.http = http_new(ctx->aws.loop);
	ctx->aws.verbose = ctx->verbose;
	/* The command line wins over dlc.ini, which wins over the defaults. */
	ctx->aws.connect_timeout_ms = ctx->connect_timeout_ms > 0 ?
	    ctx->connect_timeout_ms : ctx->cfg.connect_timeout_ms;
	ctx->aws.read_timeout_ms = ctx->read_timeout_ms > 0 ?
	    ctx->read_timeout_ms : ctx->cfg.read_timeout_ms;
	if (ctx->verbose)
		http_set_trace(ctx->aws.http, stderr);
	return 0;
}

void
cli_teardown(struct cli_ctx *ctx)
{
	http_free(ctx->aws.http);
	proc_shutdown();
	loop_free(ctx->aws.loop);
	aws_config_free(ctx->aws.cfg);
	if (ctx->have_cfg)
		dlc_config_free(&ctx->cfg);
}

const struct dlc_env *
cli_find_env(struct cli_ctx *ctx, const char *name, struct dlc_err *err)
{
	const struct dlc_env *env;
	struct buf names;
	size_t i;

	if (name != NULL && (env = dlc_config_env(&ctx->cfg, name)) != NULL)
		return env;
	buf_init(&names, 4096);
	for (i = 0; i < ctx->cfg.n_envs; i++)
		buf_printf(&names, "%s%s", i > 0 ? ", " : "", ctx->cfg.envs[i].name);
	if (name == NULL)
		dlc_err_set(err, "NoEnvironment", "no environment given");
	else
		dlc_err_set(err, "UnknownEnvironment", "no environment '%s' in %s", name, ctx->cfg.path);
	dlc_err_fix(err, "pass -e with one of: %s", names.len > 0 ? names.data : "(none: add [env NAME] to dlc.ini)");
	buf_free(&names);
	return NULL;
}

struct aws_env *
cli_open_env(struct cli_ctx *ctx, const struct dlc_env *env, struct dlc_err *err)
{
	return env_open(&ctx->aws, env, err);
}

struct cli_account_check {
	const struct dlc_env	*env;
	int			 pending;
	int			 rc;
	struct dlc_err		 err;
};

static void
cli_account_done(struct aws_reply *reply, struct sts_identity *id, void *arg)
{
	struct cli_account_check *c = arg;

	c->pending = 0;
	if (reply->ok != 0) {
		c->err = reply->err;
		return;
	}
	c->rc = dlc_env_check_account(c->env, id->account, &c->err);
}

struct cli_resolve {
	int		 pending;
	char		*function;
	struct dlc_err	*err;
};

static void
cli_resolved(struct loggroup_target *t, size_t n, void *arg)
{
	struct cli_resolve *r = arg;

	if (n == 1 && dlc_err_isset(&t[0].err))
		*r->err = t[0].err;
	else if (n == 1)
		r->function = xstrdup(t[0].function);
	r->pending = 0;
}

char *
cli_resolve_function(struct cli_ctx *ctx, struct aws_env *aenv,
    const struct dlc_env *env, const struct local_function *locals,
    size_t n_locals, const char *name, struct dlc_err *err)
{
	struct loggroup_resolver *res;
	struct cli_resolve r;

	r.pending = 1;
	r.function = NULL;
	r.err = err;
	res = loggroup_resolve(ctx->aws.loop, aenv, env, locals, n_locals,
	    &name, NULL, 1, cli_resolved, &r);
	aws_wait(&ctx->aws, &r.pending);
	loggroup_resolver_free(res);
	if (r.function == NULL &&
	    strcmp(err->code, "ResourceNotFoundException") == 0)
		dlc_err_fix(err, "'dlc ls -e %s' lists the functions there",
		    env->name);
	return r.function;
}

int
cli_check_account(struct cli_ctx *ctx, struct aws_env *aenv, const struct dlc_env *env,
    struct dlc_err *err)
{
	struct cli_account_check c;

	if (env->account == NULL)
		return 0;
	memset(&c, 0, sizeof c);
	c.env = env;
	c.rc = -1;
	c.pending = 1;
	dlc_err_clear(&c.err);
	sts_get_caller_identity(aenv, cli_account_done, &c);
	aws_wait(&ctx->aws, &c.pending);
	if (c.rc != 0) {
		*err = c.err;
		dlc_err_what(err, "checking the account of %s", env->name);
	}
	return c.rc;
}

void
cli_close_env(struct aws_env *env)
{
	struct creds_provider *creds;

	if (env == NULL)
		return;
	creds = aws_env_creds(env);
	aws_env_free(env);
	creds_provider_free(creds);
}

int
cli_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "env", required_argument, NULL, 'e' },
		{ "theme", required_argument, NULL, 't' },
		{ "exit-when-loaded", no_argument, NULL, 'X' },
		{ "keys", no_argument, NULL, 'K' },
		{ "connect-timeout", required_argument, NULL, 'C' },
		{ "read-timeout", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli_ctx ctx;
	const struct cli_command *c;
	int ch;

	memset(&ctx, 0, sizeof ctx);
	/* '+' stops at the command name, so its own options are left for it. */
	while ((ch = getopt_long(argc, argv, "+c:vhVe:t:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			ctx.env_name = optarg;
			break;
		case 't':
			ctx.theme = optarg;
			break;
		case 'X':
			ctx.exit_when_loaded = 1;
			break;
		case 'K':
			ctx.list_keys = 1;
			break;
		case 'C':
		case 'R':
			if (cli_parse_seconds(optarg, ch == 'C' ? &ctx.connect_timeout_ms :
			    &ctx.read_timeout_ms) != 0) {
				fprintf(stderr, "dlc: --%s wants whole seconds between 1 and %d, not '%s'\n",
				    ch == 'C' ? "connect-timeout" : "read-timeout", DLC_CONFIG_TIMEOUT_MAX, optarg);
				return CLI_USAGE;
			}
			break;
		case 'c':
			ctx.config_path = optarg;
			break;
		case 'v':
			ctx.verbose = 1;
			break;
		case 'h':
			cli_usage(stdout);
			return CLI_OK;
		case 'V':
			printf("dlc %s\n", PACKAGE_VERSION);
			return CLI_OK;
		default:
			cli_usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind >= argc || ctx.list_keys) {
		if (cli_console == NULL) {
			cli_usage(stderr);
			return CLI_USAGE;
		}
		return cli_console(&ctx);
	}
	for (c = cli_commands; c->name != NULL; c++) {
		if (strcmp(c->name, argv[optind]) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;

			/* 0, not 1: GNU getopt then forgets the "+" mode of the global pass, so a
			 * command's options may follow its arguments (dlc logs FN --since 1h). */
			optind = 0;
			return c->run(&ctx, sub_argc, sub_argv);
		}
	}
	fprintf(stderr, "dlc: unknown command '%s'\n", argv[optind]);
	cli_usage(stderr);
	return CLI_USAGE;
}
