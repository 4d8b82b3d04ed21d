/*
 * role_arn + source_profile: call STS AssumeRole signed with the source
 * profile's credentials. The cache in front refreshes the role's
 * credentials five minutes before they expire.
 */
#include "creds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws.h"
#include "aws-op.h"
#include "awsconfig.h"
#include "sts.h"
#include "xmalloc.h"

struct creds_assume {
	struct aws_ctx		*ctx;
	struct aws_env		*sts_env;	/* signs with the source */
	struct creds_provider	*source;
	char			*profile;
	char			*role_arn;
	char			*session_name;
	char			*external_id;
	int			 duration;
};

struct creds_assume_req {
	struct creds_provider	*p;
	creds_cb		 cb;
	void			*arg;
};

/* arn:aws:iam::123456789012:role/Name -> "123456789012" */
static char *
creds_assume_account(const char *arn)
{
	const char *p = arn;
	int i;

	for (i = 0; i < 4 && p != NULL; i++) {
		p = strchr(p, ':');
		if (p != NULL)
			p++;
	}
	if (p == NULL)
		return NULL;
	return xstrndup(p, strcspn(p, ":"));
}

static void
creds_assume_done(struct aws_reply *reply, struct aws_credentials *creds,
    void *arg)
{
	struct creds_assume_req *r = arg;
	struct creds_assume *s = r->p->state;
	struct aws_credentials c;
	struct dlc_err err;

	if (reply->ok != 0) {
		err = reply->err;
		dlc_err_what(&err, "AssumeRole %s (profile %s)", s->role_arn, s->profile);
		r->cb(NULL, &err, r->arg);
		free(r);
		return;
	}
	/* Taken over: the operation wipes what is left in creds. */
	c = *creds;
	memset(creds, 0, sizeof *creds);
	if (c.account_id == NULL)
		c.account_id = creds_assume_account(s->role_arn);
	c.source = "assume-role";
	r->cb(&c, NULL, r->arg);
	aws_credentials_clear(&c);
	free(r);
}

static void
creds_assume_get(struct creds_provider *p, creds_cb cb, void *arg)
{
	struct creds_assume *s = p->state;
	struct creds_assume_req *r = xcalloc(1, sizeof *r);
	struct sts_assume_role_args a;

	r->p = p;
	r->cb = cb;
	r->arg = arg;
	memset(&a, 0, sizeof a);
	a.role_arn = s->role_arn;
	a.session_name = s->session_name;
	a.duration_seconds = s->duration;
	a.external_id = s->external_id;
	sts_assume_role(s->sts_env, &a, creds_assume_done, r);
}

static void
creds_assume_free(struct creds_provider *p)
{
	struct creds_assume *s = p->state;

	aws_env_free(s->sts_env);
	creds_provider_free(s->source);
	free(s->profile);
	free(s->role_arn);
	free(s->session_name);
	free(s->external_id);
	free(s);
	free(p);
}

struct creds_provider *
creds_assume_new(struct aws_ctx *ctx, const char *profile, struct creds_provider *source,
    const char *region, struct dlc_err *err)
{
	const struct aws_config *cfg = ctx->cfg;
	struct creds_provider *p;
	struct creds_assume *s;
	const char *v;

	if (aws_config_get(cfg, profile, "mfa_serial") != NULL) {
		creds_provider_free(source);
		dlc_err_set(err, "Unsupported", "profile '%s' needs an MFA code (mfa_serial), which dlc cannot prompt for yet", profile);
		dlc_err_fix(err, "use an SSO profile, or export temporary keys from 'aws sts assume-role' into the environment");
		return NULL;
	}
	p = xcalloc(1, sizeof *p);
	s = xcalloc(1, sizeof *s);
	s->ctx = ctx;
	s->source = source;
	s->profile = xstrdup(profile);
	s->role_arn = xstrdup(aws_config_get(cfg, profile, "role_arn"));
	v = aws_config_get(cfg, profile, "role_session_name");
	s->session_name = v != NULL ? xstrdup(v) : xasprintf("dlc-session-%lld", (long long)time(NULL));
	s->external_id = xstrdup(aws_config_get(cfg, profile, "external_id"));
	v = aws_config_get(cfg, profile, "duration_seconds");
	s->duration = v != NULL ? (int)strtol(v, NULL, 10) : 0;
	/* STS is called with the source profile's endpoints and keys. */
	s->sts_env = aws_env_new(ctx, profile, profile, region, source);
	p->kind = "assume-role";
	p->get = creds_assume_get;
	p->free = creds_assume_free;
	p->state = s;
	return p;
}
