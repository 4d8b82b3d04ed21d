/*
 * The SSO side of the AWS CLI's files: which start URL, region, account
 * and role a profile uses, and the token cache `aws sso login` writes
 * (~/.aws/sso/cache/<sha1>.json), read and written in the CLI's own format
 * so dlc and the CLI share one login (aws-notes.md 5).
 */
#ifndef DLC_SSO_CACHE_H
#define DLC_SSO_CACHE_H

#include <time.h>

#include "err.h"

struct aws_config;

struct sso_cache_profile {
	char	*start_url;
	char	*region;	/* sso_region */
	char	*session_name;	/* NULL for the legacy form */
	char	*account_id;	/* NULL for a bare sso-session login */
	char	*role_name;
	char	*scopes;	/* sso_registration_scopes, comma-separated, or NULL */
	char	*cache_key;	/* session name, else the start URL */
};

struct sso_cache_token {
	char	*start_url;
	char	*region;
	char	*access_token;
	char	*refresh_token;
	char	*client_id;
	char	*client_secret;
	time_t	 expires_at;
	time_t	 registration_expires_at;
};

/* need_role: also require sso_account_id and sso_role_name. */
int	sso_cache_profile_load(const struct aws_config *cfg, const char *profile,
	    int need_role, struct sso_cache_profile *out, struct dlc_err *err);
void	sso_cache_profile_clear(struct sso_cache_profile *p);

/* Returns the allocated path of the cache file for key ($HOME/.aws/sso/cache/SHA1.json); NULL without HOME. */
char	*sso_cache_path(const char *key);
/* -1 with err->code "ENOENT" when there is no file, "InvalidCache" when unreadable. */
int	sso_cache_read(const char *key, struct sso_cache_token *out, struct dlc_err *err);
/* Writes atomically (temporary file, fsync, rename), mode 0600. */
int	sso_cache_write(const char *key, const struct sso_cache_token *t, struct dlc_err *err);
void	sso_cache_token_clear(struct sso_cache_token *t);

#endif
