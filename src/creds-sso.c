/*
 * SSO credentials: the access token from the shared cache (refreshed with
 * its refresh token from 15 minutes before expiry, as botocore does), then
 * GetRoleCredentials for the profile's account and role. Both calls are
 * unsigned. A missing or dead login says exactly what to run.
 *
 * Environments whose profiles share one SSO session (one token cache
 * file) share one refresh: while a CreateToken runs for a session, the
 * others wait for its token instead of sending their own. SSO-OIDC
 * rotates refresh tokens, so a second CreateToken with the same one
 * would be refused.
 */
#include "creds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws.h"
#include "aws-op.h"
#include "oidc.h"
#include "sso.h"
#include "sso-cache.h"
#include "wipe.h"
#include "xmalloc.h"

#define SSO_REFRESH_WINDOW 900	/* seconds before expiry (botocore's advisory window) */

struct creds_sso {
	struct aws_ctx		*ctx;
	struct aws_env		*portal;	/* unsigned calls in the SSO region */
	struct sso_cache_profile prof;
	char			*profile;
	char			*env_name;
};

struct creds_sso_req {
	struct creds_provider	*p;
	creds_cb		 cb;
	void			*arg;
	struct sso_cache_token	 token;
	struct creds_sso_req	*next;		/* in a refresh's followers */
};

/* A CreateToken under way for one session, and who waits for it. */
struct creds_sso_refresh {
	char			*cache_key;
	struct creds_sso_req	*leader;	/* the request that sent it */
	struct creds_sso_req	*followers;
	int			 done;		/* answering: no new followers */
	struct creds_sso_refresh *next;
};

/*
 * Process-wide, like the cache files the sessions live in: the
 * providers of two environments know nothing else of each other.
 */
static struct creds_sso_refresh *creds_sso_refreshes;

static void
creds_sso_login_fix(struct creds_sso *s, struct dlc_err *err)
{
	if (s->env_name != NULL)
		dlc_err_fix(err, "run 'dlc login -e %s' (or 'aws sso login --profile %s')", s->env_name, s->profile);
	else
		dlc_err_fix(err, "run 'aws sso login --profile %s'", s->profile);
}

static void
creds_sso_fail(struct creds_sso_req *r, struct dlc_err *err)
{
	struct creds_sso *s = r->p->state;

	if (err->what[0] == '\0')
		dlc_err_what(err, "SSO credentials for profile '%s'", s->profile);
	r->cb(NULL, err, r->arg);
	sso_cache_token_clear(&r->token);
	free(r);
}

static void
creds_sso_role_done(struct aws_reply *reply, struct aws_credentials *creds,
    void *arg)
{
	struct creds_sso_req *r = arg;
	struct creds_sso *s = r->p->state;
	struct aws_credentials c;
	struct dlc_err err;

	if (reply->ok != 0 && !reply->bad_answer) {
		err = reply->err;
		dlc_err_what(&err, "SSO GetRoleCredentials for profile '%s'", s->profile);
		if (strcmp(err.code, "UnauthorizedException") == 0) {
			dlc_err_set(&err, "UnauthorizedException", "the SSO login has expired or was revoked (%.900s)", reply->err.message);
			creds_sso_login_fix(s, &err);
		}
		creds_sso_fail(r, &err);
		return;
	}
	if (reply->ok != 0) {
		err = reply->err;
		err.what[0] = '\0';	/* creds_sso_fail names the profile */
		creds_sso_fail(r, &err);
		return;
	}
	/* Taken over: the operation wipes what is left in creds. */
	c = *creds;
	memset(creds, 0, sizeof *creds);
	if (c.account_id == NULL)
		c.account_id = xstrdup(s->prof.account_id);
	c.source = "sso";
	r->cb(&c, NULL, r->arg);
	aws_credentials_clear(&c);
	sso_cache_token_clear(&r->token);
	free(r);
}

static void
creds_sso_get_role(struct creds_sso_req *r)
{
	struct creds_sso *s = r->p->state;
	struct sso_role_args a;

	a.role_name = s->prof.role_name;
	a.account_id = s->prof.account_id;
	a.access_token = r->token.access_token;
	sso_get_role_credentials(s->portal, &a, creds_sso_role_done, r);
}

/* 1 when r joined a refresh already under way for its session. */
static int
creds_sso_refresh_join(struct creds_sso_req *r, const char *cache_key)
{
	struct creds_sso_refresh *f;

	for (f = creds_sso_refreshes; f != NULL; f = f->next) {
		if (!f->done && strcmp(f->cache_key, cache_key) == 0) {
			r->next = f->followers;
			f->followers = r;
			return 1;
		}
	}
	f = xcalloc(1, sizeof *f);
	f->cache_key = xstrdup(cache_key);
	f->leader = r;
	f->next = creds_sso_refreshes;
	creds_sso_refreshes = f;
	return 0;
}

static struct creds_sso_refresh *
creds_sso_refresh_of(struct creds_sso_req *leader)
{
	struct creds_sso_refresh *f;

	for (f = creds_sso_refreshes; f != NULL; f = f->next)
		if (f->leader == leader)
			return f;
	return NULL;
}

static void
creds_sso_refresh_end(struct creds_sso_refresh *f)
{
	struct creds_sso_refresh **pp;

	for (pp = &creds_sso_refreshes; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	}
	free(f->cache_key);
	free(f);
}

/* One request's outcome of a refresh: tok is the new token, or NULL. */
static void
creds_sso_refreshed(struct creds_sso_req *r, const struct sso_cache_token *tok,
    const struct dlc_err *failure)
{
	struct creds_sso *s = r->p->state;
	struct dlc_err err;

	if (tok != NULL) {
		if (tok != &r->token) {
			wipe_replace(&r->token.access_token, tok->access_token);
			wipe_replace(&r->token.refresh_token, tok->refresh_token);
			r->token.expires_at = tok->expires_at;
		}
		creds_sso_get_role(r);
		return;
	}
	/* A failed refresh only matters once the old token is dead. */
	if (r->token.expires_at > time(NULL) + 60) {
		creds_sso_get_role(r);
		return;
	}
	err = *failure;
	dlc_err_what(&err, "refreshing the SSO login for profile '%s'", s->profile);
	creds_sso_login_fix(s, &err);
	creds_sso_fail(r, &err);
}

static void
creds_sso_refresh_done(struct aws_reply *reply, struct oidc_token *tok,
    void *arg)
{
	struct creds_sso_req *r = arg, *f;
	struct creds_sso *s = r->p->state;
	struct creds_sso_refresh *refresh = creds_sso_refresh_of(r);
	struct dlc_err err;
	struct sso_cache_token *fresh = NULL;

	dlc_err_clear(&err);
	if (reply->ok == 0) {
		wipe_replace(&r->token.access_token, tok->access_token);
		if (tok->refresh_token != NULL)
			wipe_replace(&r->token.refresh_token, tok->refresh_token);
		r->token.expires_at = time(NULL) + tok->expires_in;
		/* Share the new token with the CLI; a failed write only costs a refresh later. */
		if (sso_cache_write(s->prof.cache_key, &r->token, &err) != 0 && s->ctx->verbose)
			fprintf(stderr, "dlc: %s\n", err.message);
		fresh = &r->token;
	} else
		err = reply->err;
	/*
	 * Followers first, while the leader still holds the token they copy.
	 * They leave the list one at a time, so a provider freed by an
	 * answer takes only its own requests out.
	 */
	if (refresh != NULL) {
		refresh->done = 1;
		while ((f = refresh->followers) != NULL) {
			refresh->followers = f->next;
			creds_sso_refreshed(f, fresh, &err);
		}
		creds_sso_refresh_end(refresh);
	}
	creds_sso_refreshed(r, fresh, &err);
}

static void
creds_sso_get(struct creds_provider *p, creds_cb cb, void *arg)
{
	struct creds_sso *s = p->state;
	struct creds_sso_req *r = xcalloc(1, sizeof *r);
	struct dlc_err err;
	struct oidc_token_args ta;
	time_t now = time(NULL);

	r->p = p;
	r->cb = cb;
	r->arg = arg;
	dlc_err_clear(&err);
	if (sso_cache_read(s->prof.cache_key, &r->token, &err) != 0) {
		if (strcmp(err.code, "NoHome") == 0) {
			creds_sso_fail(r, &err);
			return;
		}
		dlc_err_set(&err, "SSOLoginRequired", "no SSO login found for %s", s->prof.start_url);
		creds_sso_login_fix(s, &err);
		creds_sso_fail(r, &err);
		return;
	}
	if (r->token.expires_at > now + SSO_REFRESH_WINDOW) {
		creds_sso_get_role(r);
		return;
	}
	if (r->token.refresh_token == NULL || r->token.client_id == NULL ||
	    r->token.client_secret == NULL || r->token.registration_expires_at <= now) {
		if (r->token.expires_at > now + 60) {
			creds_sso_get_role(r);
			return;
		}
		dlc_err_set(&err, "SSOTokenExpired", "the SSO login for %s has expired", s->prof.start_url);
		creds_sso_login_fix(s, &err);
		creds_sso_fail(r, &err);
		return;
	}
	if (creds_sso_refresh_join(r, s->prof.cache_key))
		return;
	memset(&ta, 0, sizeof ta);
	ta.client_id = r->token.client_id;
	ta.client_secret = r->token.client_secret;
	ta.grant = OIDC_GRANT_REFRESH;
	ta.code = r->token.refresh_token;
	oidc_create_token(s->portal, &ta, creds_sso_refresh_done, r);
}

static void
creds_sso_free(struct creds_provider *p)
{
	struct creds_sso *s = p->state;
	struct creds_sso_refresh *f;
	struct creds_sso_req **rp, *r;

	/* Its requests waiting on another environment's refresh get no answer. */
	for (f = creds_sso_refreshes; f != NULL; f = f->next) {
		rp = &f->followers;
		while ((r = *rp) != NULL) {
			if (r->p == p) {
				*rp = r->next;
				sso_cache_token_clear(&r->token);
				free(r);
			} else
				rp = &r->next;
		}
	}

	aws_env_free(s->portal);
	sso_cache_profile_clear(&s->prof);
	free(s->profile);
	free(s->env_name);
	free(s);
	free(p);
}

struct creds_provider *
creds_sso_new(struct aws_ctx *ctx, const char *profile, const char *env_name,
    struct dlc_err *err)
{
	struct creds_provider *p;
	struct creds_sso *s = xcalloc(1, sizeof *s);

	if (sso_cache_profile_load(ctx->cfg, profile, 1, &s->prof, err) != 0) {
		free(s);
		return NULL;
	}
	p = xcalloc(1, sizeof *p);
	s->ctx = ctx;
	s->profile = xstrdup(profile);
	s->env_name = xstrdup(env_name);
	s->portal = aws_env_new(ctx, profile, profile, s->prof.region, NULL);
	p->kind = "sso";
	p->get = creds_sso_get;
	p->free = creds_sso_free;
	p->state = s;
	return p;
}
