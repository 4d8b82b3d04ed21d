/*
 * Credential providers behind one small interface (aws-c-auth style):
 * each provider answers get() by calling back once, now or later from the
 * event loop. Providers compose: the profile resolver picks one source per
 * profile as the AWS CLI does, and a cache in front of it keeps the answer
 * until five minutes before it expires.
 */
#ifndef DLC_CREDS_H
#define DLC_CREDS_H

#include <time.h>

#include "credentials.h"
#include "err.h"

struct aws_ctx;
struct loop;

/* creds is NULL exactly when err is set; both are valid only during the call. */
typedef void (*creds_cb)(const struct aws_credentials *creds,
    const struct dlc_err *err, void *arg);

struct creds_provider {
	const char	*kind;		/* "env", "profile", "process", "sso", "assume-role", "cache" */
	void		(*get)(struct creds_provider *p, creds_cb cb, void *arg);
	void		(*free)(struct creds_provider *p);
	void		*state;
};

void	creds_get(struct creds_provider *p, creds_cb cb, void *arg);
void	creds_provider_free(struct creds_provider *p);

/*
 * The provider for a profile, in the AWS CLI's order (aws-notes.md 5):
 * environment variables (only when the profile was not named explicitly),
 * assume-role, SSO, static keys, credential_process. env_name names the dlc
 * environment for messages ("run dlc login -e alpha"). Returns NULL and
 * fills err when the profile is missing or inconsistent. The result is
 * wrapped in the refreshing cache.
 */
struct creds_provider *creds_for_profile(struct aws_ctx *ctx,
	    const char *profile, int explicit_profile, const char *region,
	    const char *env_name, struct dlc_err *err);

/* Individual sources, for composition and tests. */
struct creds_provider *creds_env_new(void);
/* NULL when the environment holds no keys. */
int	creds_env_read(struct aws_credentials *out);
struct creds_provider *creds_static_new(const struct aws_credentials *c);
/* Runs the helper as a child on loop; freeing the provider stops it. */
struct creds_provider *creds_process_new(struct loop *loop, const char *command,
	    const char *profile);
struct creds_provider *creds_sso_new(struct aws_ctx *ctx, const char *profile,
	    const char *env_name, struct dlc_err *err);
struct creds_provider *creds_assume_new(struct aws_ctx *ctx, const char *profile,
	    struct creds_provider *source, const char *region, struct dlc_err *err);
/*
 * Takes ownership of inner. now_fn may be NULL (time()). Refreshes from 5
 * min before expiry while handing out the old keys (a failure backs off
 * from 30 s, doubling); from 1 min before, callers wait for the refresh.
 */
struct creds_provider *creds_cache_new(struct creds_provider *inner,
	    time_t (*now_fn)(void));
/* Forgets cached credentials, e.g. after ExpiredToken. */
void	creds_cache_invalidate(struct creds_provider *cache);

#endif
