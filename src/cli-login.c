/*
 * dlc login -e ENV: the SSO device flow (RegisterClient,
 * StartDeviceAuthorization, then CreateToken polled at the interval AWS
 * asks for), written to the same token cache file `aws sso login` writes,
 * so dlc and the AWS CLI share one login.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loop.h"
#include "oidc.h"
#include "sanitize.h"
#include "sso-cache.h"
#include "xmalloc.h"

#define LOGIN_REGISTRATION_MARGIN 3600	/* re-register when under an hour is left */

struct cli_login {
	struct cli_ctx		*ctx;
	struct aws_env		*portal;
	struct sso_cache_profile prof;
	struct sso_cache_token	 token;
	struct oidc_device	 device;
	struct loop_timer	*poll;
	int			 interval;
	time_t			 deadline;
	int			 pending;
	int			 failed;
	struct dlc_err		 err;
};

static void cli_login_poll(void *arg);

static void
cli_login_fail(struct cli_login *l, const struct aws_response *resp, const char *what)
{
	if (resp != NULL)
		l->err = resp->err;
	dlc_err_what(&l->err, "%s", what);
	l->failed = 1;
	l->pending = 0;
}

static void
cli_login_token_done(int ok, struct aws_response *resp, void *arg)
{
	struct cli_login *l = arg;
	struct oidc_token tok;
	struct dlc_err err;

	dlc_err_clear(&err);
	if (ok != 0) {
		if (strcmp(resp->err.code, "AuthorizationPendingException") == 0 ||
		    strcmp(resp->err.code, "SlowDownException") == 0) {
			if (resp->err.code[0] == 'S')
				l->interval += 5;	/* what slow_down asks for (RFC 8628) */
			if (time(NULL) >= l->deadline) {
				dlc_err_set(&l->err, "ExpiredTokenException", "the code was not approved in time");
				dlc_err_fix(&l->err, "run dlc login again and approve the code sooner");
				cli_login_fail(l, NULL, "SSO login");
				return;
			}
			loop_timer_start(l->poll, (long)l->interval * 1000);
			return;
		}
		cli_login_fail(l, resp, "SSO login (CreateToken)");
		if (l->err.fix[0] == '\0')
			dlc_err_fix(&l->err, "run dlc login again");
		return;
	}
	if (oidc_parse_create_token(resp->body.data, resp->body.len, &tok, &err) != 0) {
		l->err = err;
		cli_login_fail(l, NULL, "SSO login (CreateToken)");
		return;
	}
	free(l->token.access_token);
	l->token.access_token = xstrdup(tok.access_token);
	free(l->token.refresh_token);
	l->token.refresh_token = xstrdup(tok.refresh_token);
	l->token.expires_at = time(NULL) + tok.expires_in;
	oidc_token_clear(&tok);
	if (sso_cache_write(l->prof.cache_key, &l->token, &l->err) != 0) {
		cli_login_fail(l, NULL, "SSO login (saving the token)");
		return;
	}
	l->pending = 0;
}

static void
cli_login_poll(void *arg)
{
	struct cli_login *l = arg;
	struct aws_request req;
	char *body = oidc_create_token_device_body(l->token.client_id, l->token.client_secret,
	    l->device.device_code);

	memset(&req, 0, sizeof req);
	req.operation = "CreateToken";
	req.method = "POST";
	req.target = "/token";
	req.body = body;
	req.body_len = strlen(body);
	aws_send(l->portal, &aws_service_oidc, &req, cli_login_token_done, l);
	free(body);
}

static void
cli_login_print_code(struct cli_login *l)
{
	char *uri = sanitize_str(l->device.verification_uri != NULL ? l->device.verification_uri : "");
	char *full = sanitize_str(l->device.verification_uri_complete != NULL ?
	    l->device.verification_uri_complete : "");
	char *code = sanitize_str(l->device.user_code != NULL ? l->device.user_code : "");

	printf("To sign in, open this page in a browser:\n\n  %s\n\n"
	    "and confirm the code %s", *full != '\0' ? full : uri, code);
	if (*full != '\0' && *uri != '\0')
		printf(" (or open %s and enter it)", uri);
	printf(".\nWaiting for approval...\n");
	fflush(stdout);
	free(uri);
	free(full);
	free(code);
}

static void
cli_login_device_done(int ok, struct aws_response *resp, void *arg)
{
	struct cli_login *l = arg;

	if (ok != 0) {
		cli_login_fail(l, resp, "SSO login (StartDeviceAuthorization)");
		return;
	}
	if (oidc_parse_start_device_authorization(resp->body.data, resp->body.len,
	    &l->device, &l->err) != 0) {
		cli_login_fail(l, NULL, "SSO login (StartDeviceAuthorization)");
		return;
	}
	l->interval = l->device.interval > 0 ? l->device.interval : 5;
	l->deadline = time(NULL) + (l->device.expires_in > 0 ? l->device.expires_in : 600);
	cli_login_print_code(l);
	cli_login_poll(l);
}

static void
cli_login_start_device(struct cli_login *l)
{
	struct aws_request req;
	char *body = oidc_start_device_authorization_body(l->token.client_id,
	    l->token.client_secret, l->prof.start_url);

	memset(&req, 0, sizeof req);
	req.operation = "StartDeviceAuthorization";
	req.method = "POST";
	req.target = "/device_authorization";
	req.body = body;
	req.body_len = strlen(body);
	aws_send(l->portal, &aws_service_oidc, &req, cli_login_device_done, l);
	free(body);
}

static void
cli_login_register_done(int ok, struct aws_response *resp, void *arg)
{
	struct cli_login *l = arg;
	struct oidc_client client;

	if (ok != 0) {
		cli_login_fail(l, resp, "SSO login (RegisterClient)");
		return;
	}
	if (oidc_parse_register_client(resp->body.data, resp->body.len, &client, &l->err) != 0) {
		cli_login_fail(l, NULL, "SSO login (RegisterClient)");
		return;
	}
	free(l->token.client_id);
	free(l->token.client_secret);
	l->token.client_id = xstrdup(client.client_id);
	l->token.client_secret = xstrdup(client.client_secret);
	l->token.registration_expires_at = (time_t)client.expires_at;
	oidc_client_clear(&client);
	cli_login_start_device(l);
}

static void
cli_login_register(struct cli_login *l)
{
	struct aws_request req;
	const char *scopes[16];
	char *scope_copy = xstrdup(l->prof.scopes != NULL ? l->prof.scopes : "");
	char *name, *p, *body;
	size_t n = 0;

	/* "sso:account:access, other" -> a list, blanks trimmed. */
	for (p = scope_copy; p != NULL && *p != '\0' && n < 16;) {
		char *end = strchr(p, ',');

		if (end != NULL)
			*end = '\0';
		while (*p == ' ')
			p++;
		if (*p != '\0')
			scopes[n++] = p;
		p = end != NULL ? end + 1 : NULL;
	}
	name = l->prof.session_name != NULL ? xasprintf("dlc-client-%s", l->prof.session_name) :
	    xasprintf("dlc-client-%lld", (long long)time(NULL));
	body = oidc_register_client_body(name, scopes, n);
	memset(&req, 0, sizeof req);
	req.operation = "RegisterClient";
	req.method = "POST";
	req.target = "/client/register";
	req.body = body;
	req.body_len = strlen(body);
	aws_send(l->portal, &aws_service_oidc, &req, cli_login_register_done, l);
	free(body);
	free(name);
	free(scope_copy);
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
	struct cli_login l;
	struct sso_cache_token old;
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
	memset(&l, 0, sizeof l);
	l.ctx = ctx;
	if (cli_setup(ctx, &l.err) != 0)
		goto out;
	if ((env = cli_find_env(ctx, env_name, &l.err)) == NULL) {
		rc = env_name == NULL ? CLI_USAGE : CLI_FAIL;
		goto out;
	}
	if (env->profile == NULL) {
		dlc_err_set(&l.err, "NotSSO", "environment '%s' names no profile, so there is no SSO login to make", env->name);
		dlc_err_fix(&l.err, "set profile = NAME in [env %s] of dlc.ini to an SSO profile", env->name);
		goto out;
	}
	if (sso_cache_profile_load(ctx->aws.cfg, env->profile, 0, &l.prof, &l.err) != 0)
		goto out;
	l.token.start_url = xstrdup(l.prof.start_url);
	l.token.region = xstrdup(l.prof.region);
	l.portal = aws_env_new(&ctx->aws, env->name, env->profile, l.prof.region, NULL);
	l.poll = loop_timer_new(ctx->aws.loop, cli_login_poll, &l);
	l.pending = 1;
	/* A still-valid client registration is reused, as the CLI does. */
	if (sso_cache_read(l.prof.cache_key, &old, &l.err) == 0 && old.client_id != NULL &&
	    old.client_secret != NULL &&
	    old.registration_expires_at > time(NULL) + LOGIN_REGISTRATION_MARGIN) {
		l.token.client_id = xstrdup(old.client_id);
		l.token.client_secret = xstrdup(old.client_secret);
		l.token.registration_expires_at = old.registration_expires_at;
		cli_login_start_device(&l);
	} else {
		cli_login_register(&l);
	}
	sso_cache_token_clear(&old);
	dlc_err_clear(&l.err);
	aws_wait(&ctx->aws, &l.pending);
	if (!l.failed) {
		printf("Signed in: %s (token cached for the AWS CLI too).\n", l.prof.start_url);
		rc = CLI_OK;
	}
out:
	if (rc == CLI_FAIL || (rc == CLI_USAGE && dlc_err_isset(&l.err)))
		cli_error(&l.err);
	loop_timer_free(l.poll);
	aws_env_free(l.portal);
	oidc_device_clear(&l.device);
	sso_cache_token_clear(&l.token);
	sso_cache_profile_clear(&l.prof);
	cli_teardown(ctx);
	return rc;
}
