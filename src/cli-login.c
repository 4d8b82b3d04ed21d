/*
 * dlc login -e ENV: the SSO device flow for an environment's profile
 * (src/sso-login.c), printing the page and the code to confirm.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "sso-login.h"

struct cli_login {
	int		pending;
	int		failed;
	struct dlc_err	err;
};

static void
cli_login_code(const char *uri, const char *uri_complete, const char *code, void *arg)
{
	char *clean_uri = sanitize_str(uri != NULL ? uri : "");
	char *clean_full = sanitize_str(uri_complete != NULL ? uri_complete : "");
	char *clean_code = sanitize_str(code != NULL ? code : "");

	printf("To sign in, open this page in a browser:\n\n  %s\n\n"
	    "and confirm the code %s", *clean_full != '\0' ? clean_full : clean_uri, clean_code);
	if (*clean_full != '\0' && *clean_uri != '\0')
		printf(" (or open %s and enter it)", clean_uri);
	printf(".\nWaiting for approval...\n");
	fflush(stdout);
	free(clean_uri);
	free(clean_full);
	free(clean_code);
}

static void
cli_login_done(const struct dlc_err *err, void *arg)
{
	struct cli_login *c = arg;

	c->pending = 0;
	if (err != NULL) {
		c->err = *err;
		c->failed = 1;
	}
}

int
cli_login_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "no-browser", no_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = &cli_commands[2];
	const struct dlc_env *env;
	struct sso_login *login = NULL;
	struct cli_login c;
	const char *env_name = NULL;
	int ch, rc = CLI_FAIL;

	while ((ch = getopt_long(argc, argv, "e:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			env_name = optarg;
			break;
		case 'B':
			break;
		case 'h':
			cli_command_help(cmd, stdout);
			return CLI_OK;
		default:
			cli_command_help(cmd, stderr);
			return CLI_USAGE;
		}
	}
	memset(&c, 0, sizeof c);
	if (cli_setup(ctx, &c.err) != 0)
		goto out;
	if ((env = cli_find_env(ctx, env_name, &c.err)) == NULL) {
		rc = env_name == NULL ? CLI_USAGE : CLI_FAIL;
		goto out;
	}
	if (env->profile == NULL) {
		dlc_err_set(&c.err, "NotSSO", "environment '%s' names no profile, so there is no SSO login to make", env->name);
		dlc_err_fix(&c.err, "set profile = NAME in [env %s] of dlc.ini to an SSO profile", env->name);
		goto out;
	}
	login = sso_login_start(&ctx->aws, env->profile, env->name, cli_login_code,
	    cli_login_done, &c, &c.err);
	if (login == NULL)
		goto out;
	c.pending = 1;
	aws_wait(&ctx->aws, &c.pending);
	if (!c.failed) {
		printf("Signed in: %s (token cached for the AWS CLI too).\n", sso_login_start_url(login));
		rc = CLI_OK;
	}
out:
	if (rc != CLI_OK && dlc_err_isset(&c.err))
		cli_error(&c.err);
	sso_login_free(login);
	cli_teardown(ctx);
	return rc;
}
