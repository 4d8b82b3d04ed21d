/* The SSO device flow, step by step on the event loop. */
#include "sso-login.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws.h"
#include "aws-op.h"
#include "loop.h"
#include "oidc.h"
#include "sso-cache.h"
#include "wipe.h"
#include "xmalloc.h"

#define LOGIN_REGISTRATION_MARGIN 3600	/* re-register when under an hour is left */

struct sso_login {
	struct aws_ctx		*aws;
	struct aws_env		*portal;	/* unsigned calls in the SSO region */
	struct sso_cache_profile prof;
	struct sso_cache_token	 token;
	struct oidc_device	 device;
	struct loop_timer	*poll;
	struct aws_call		*call;
	int			 interval;
	time_t			 deadline;
	int			 finished;
	sso_login_code_cb	 on_code;
	sso_login_done_cb	 on_done;
	void			*arg;
};

static void
sso_login_finish(struct sso_login *l, struct dlc_err *err, const char *what)
{
	l->finished = 1;
	l->call = NULL;
	if (err != NULL) {
		dlc_err_what(err, "%s", what);
		if (err->fix[0] == '\0')
			dlc_err_fix(err, "run the login again");
	}
	l->on_done(err, l->arg);
}

static void
sso_login_token_done(struct aws_reply *reply, struct oidc_token *tok,
    void *arg)
{
	struct sso_login *l = arg;
	struct dlc_err err;

	l->call = NULL;
	dlc_err_clear(&err);
	if (reply->ok != 0 && !reply->bad_answer) {
		int slow = strcmp(reply->err.code, "SlowDownException") == 0;

		if (slow || strcmp(reply->err.code, "AuthorizationPendingException") == 0) {
			if (slow)
				l->interval += 5;	/* what slow_down asks for (RFC 8628) */
			if (time(NULL) >= l->deadline) {
				dlc_err_set(&err, "ExpiredTokenException", "the code was not approved in time");
				sso_login_finish(l, &err, "SSO login");
				return;
			}
			loop_timer_start(l->poll, (long)l->interval * 1000);
			return;
		}
		err = reply->err;
		sso_login_finish(l, &err, "SSO login (CreateToken)");
		return;
	}
	if (reply->ok != 0) {
		err = reply->err;
		sso_login_finish(l, &err, "SSO login (CreateToken)");
		return;
	}
	wipe_replace(&l->token.access_token, tok->access_token);
	wipe_replace(&l->token.refresh_token, tok->refresh_token);
	l->token.expires_at = time(NULL) + tok->expires_in;
	if (sso_cache_write(l->prof.cache_key, &l->token, &err) != 0) {
		sso_login_finish(l, &err, "SSO login (saving the token)");
		return;
	}
	sso_login_finish(l, NULL, NULL);
}

static void
sso_login_poll(void *arg)
{
	struct sso_login *l = arg;
	struct oidc_token_args a;

	a.client_id = l->token.client_id;
	a.client_secret = l->token.client_secret;
	a.grant = OIDC_GRANT_DEVICE;
	a.code = l->device.device_code;
	l->call = oidc_create_token(l->portal, &a, sso_login_token_done, l);
}

static void
sso_login_device_done(struct aws_reply *reply, struct oidc_device *device,
    void *arg)
{
	struct sso_login *l = arg;
	struct dlc_err err;

	l->call = NULL;
	if (reply->ok != 0) {
		err = reply->err;
		sso_login_finish(l, &err, "SSO login (StartDeviceAuthorization)");
		return;
	}
	/* Taken over: the operation clears what is left. */
	oidc_device_clear(&l->device);
	l->device = *device;
	memset(device, 0, sizeof *device);
	l->interval = l->device.interval > 0 ? l->device.interval : 5;
	l->deadline = time(NULL) + (l->device.expires_in > 0 ? l->device.expires_in : 600);
	l->on_code(l->device.verification_uri, l->device.verification_uri_complete,
	    l->device.user_code, l->arg);
	sso_login_poll(l);
}

static void
sso_login_start_device(struct sso_login *l)
{
	struct oidc_device_args a;

	a.client_id = l->token.client_id;
	a.client_secret = l->token.client_secret;
	a.start_url = l->prof.start_url;
	l->call = oidc_start_device_authorization(l->portal, &a,
	    sso_login_device_done, l);
}

static void
sso_login_register_done(struct aws_reply *reply, struct oidc_client *client,
    void *arg)
{
	struct sso_login *l = arg;
	struct dlc_err err;

	l->call = NULL;
	if (reply->ok != 0) {
		err = reply->err;
		sso_login_finish(l, &err, "SSO login (RegisterClient)");
		return;
	}
	free(l->token.client_id);
	l->token.client_id = xstrdup(client->client_id);
	wipe_replace(&l->token.client_secret, client->client_secret);
	l->token.registration_expires_at = (time_t)client->expires_at;
	sso_login_start_device(l);
}

static void
sso_login_register(struct sso_login *l)
{
	const char *scopes[16];
	struct oidc_register_args ra;
	char *scope_copy = xstrdup(l->prof.scopes != NULL ? l->prof.scopes : "");
	char *name, *p;
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
	ra.client_name = name;
	ra.scopes = scopes;
	ra.n_scopes = n;
	l->call = oidc_register_client(l->portal, &ra, sso_login_register_done, l);
	free(name);
	free(scope_copy);
}

struct sso_login *
sso_login_start(struct aws_ctx *aws, const char *profile, const char *env_name,
    sso_login_code_cb on_code, sso_login_done_cb on_done, void *arg, struct dlc_err *err)
{
	struct sso_login *l = xcalloc(1, sizeof *l);
	struct sso_cache_token old;
	struct dlc_err ignored;

	if (sso_cache_profile_load(aws->cfg, profile, 0, &l->prof, err) != 0) {
		free(l);
		return NULL;
	}
	/* Read before the device flow starts: a cache dlc cannot write (no
	 * HOME) is refused now, not after the user has confirmed the code. */
	dlc_err_clear(&ignored);
	if (sso_cache_read(l->prof.cache_key, &old, &ignored) != 0 &&
	    strcmp(ignored.code, "NoHome") == 0) {
		if (err != NULL)
			*err = ignored;
		sso_cache_profile_clear(&l->prof);
		free(l);
		return NULL;
	}
	l->aws = aws;
	l->on_code = on_code;
	l->on_done = on_done;
	l->arg = arg;
	l->token.start_url = xstrdup(l->prof.start_url);
	l->token.region = xstrdup(l->prof.region);
	l->portal = aws_env_new(aws, env_name, profile, l->prof.region, NULL);
	l->poll = loop_timer_new(aws->loop, sso_login_poll, l);
	/* A still-valid client registration is reused, as the CLI does. */
	if (old.client_id != NULL &&
	    old.client_secret != NULL &&
	    old.registration_expires_at > time(NULL) + LOGIN_REGISTRATION_MARGIN) {
		l->token.client_id = xstrdup(old.client_id);
		l->token.client_secret = xstrdup(old.client_secret);
		l->token.registration_expires_at = old.registration_expires_at;
		sso_login_start_device(l);
	} else {
		sso_login_register(l);
	}
	sso_cache_token_clear(&old);
	return l;
}

const char *
sso_login_start_url(const struct sso_login *l)
{
	return l->prof.start_url;
}

void
sso_login_free(struct sso_login *l)
{
	if (l == NULL)
		return;
	if (!l->finished && l->call != NULL)
		aws_call_cancel(l->call);
	loop_timer_free(l->poll);
	aws_env_free(l->portal);
	oidc_device_clear(&l->device);
	sso_cache_token_clear(&l->token);
	sso_cache_profile_clear(&l->prof);
	free(l);
}
