/*
 * Which credential source a profile uses, decided the AWS CLI's way
 * (botocore create_credential_resolver, aws-notes.md 5), and the two
 * calls every provider shares.
 */
#include "creds.h"

#include <stdlib.h>
#include <string.h>

#include "aws.h"
#include "awsconfig.h"
#include "xmalloc.h"

void
creds_get(struct creds_provider *p, creds_cb cb, void *arg)
{
	p->get(p, cb, arg);
}

int
creds_cancel(struct creds_provider *p, creds_cb cb, void *arg)
{
	if (p == NULL || p->cancel == NULL)
		return 0;
	p->cancel(p, cb, arg);
	return 1;
}

void
creds_provider_free(struct creds_provider *p)
{
	if (p != NULL)
		p->free(p);
}

static int
creds_has(const struct aws_config *cfg, const char *profile, const char *key)
{
	const char *v = aws_config_get(cfg, profile, key);

	return v != NULL && *v != '\0';
}

/* The source for one profile, without the cache; follows source_profile. */
static struct creds_provider *
creds_resolve(struct aws_ctx *ctx, const char *profile, const char *region,
    const char *env_name, int depth, struct dlc_err *err)
{
	const struct aws_config *cfg = ctx->cfg;
	struct aws_credentials c;
	struct creds_provider *source;
	const char *src;

	if (depth > 8) {
		dlc_err_set(err, "ProfileCycle", "profile '%s': source_profile chain is longer than 8 or loops", profile);
		dlc_err_fix(err, "fix the source_profile keys in the AWS config file");
		return NULL;
	}
	if (!aws_config_has_profile(cfg, profile)) {
		dlc_err_set(err, "ProfileNotFound", "the AWS profile '%s' is not in the AWS config or credentials file", profile);
		dlc_err_fix(err, "add [profile %s] to ~/.aws/config (or AWS_CONFIG_FILE), or fix 'profile' in dlc.ini", profile);
		return NULL;
	}
	if (creds_has(cfg, profile, "role_arn")) {
		src = aws_config_get(cfg, profile, "source_profile");
		if (src != NULL && creds_has(cfg, profile, "credential_source")) {
			dlc_err_set(err, "InvalidConfig", "profile '%s' has both source_profile and credential_source", profile);
			dlc_err_fix(err, "keep one of them in the AWS config file");
			return NULL;
		}
		if (src == NULL || *src == '\0') {
			dlc_err_set(err, "InvalidConfig", "profile '%s' has role_arn but no source_profile", profile);
			dlc_err_fix(err, "add source_profile = NAME to [profile %s]", profile);
			return NULL;
		}
		/* A profile naming itself uses its own static keys as the source. */
		if (strcmp(src, profile) == 0 && creds_has(cfg, profile, "aws_access_key_id")) {
			memset(&c, 0, sizeof c);
			c.access_key_id = (char *)aws_config_get(cfg, profile, "aws_access_key_id");
			c.secret_access_key = (char *)aws_config_get(cfg, profile, "aws_secret_access_key");
			c.session_token = (char *)aws_config_get(cfg, profile, "aws_session_token");
			c.source = "profile";
			source = creds_static_new(&c);
		} else {
			source = creds_resolve(ctx, src, region, env_name, depth + 1, err);
		}
		if (source == NULL)
			return NULL;
		return creds_assume_new(ctx, profile, creds_cache_new(source, NULL), region, err);
	}
	if (creds_has(cfg, profile, "sso_session") || creds_has(cfg, profile, "sso_account_id") ||
	    creds_has(cfg, profile, "sso_role_name") || creds_has(cfg, profile, "sso_start_url"))
		return creds_sso_new(ctx, profile, env_name, err);
	if (creds_has(cfg, profile, "aws_access_key_id")) {
		if (!creds_has(cfg, profile, "aws_secret_access_key")) {
			dlc_err_set(err, "PartialCredentials", "profile '%s' has aws_access_key_id but no aws_secret_access_key", profile);
			dlc_err_fix(err, "add the secret to the AWS credentials file");
			return NULL;
		}
		memset(&c, 0, sizeof c);
		c.access_key_id = (char *)aws_config_get(cfg, profile, "aws_access_key_id");
		c.secret_access_key = (char *)aws_config_get(cfg, profile, "aws_secret_access_key");
		c.session_token = (char *)aws_config_get(cfg, profile, "aws_session_token");
		if (c.session_token == NULL)
			c.session_token = (char *)aws_config_get(cfg, profile, "aws_security_token");
		c.account_id = (char *)aws_config_get(cfg, profile, "aws_account_id");
		c.source = "profile";
		return creds_static_new(&c);
	}
	if (creds_has(cfg, profile, "credential_process"))
		return creds_process_new(ctx->loop, aws_config_get(cfg, profile, "credential_process"), profile);
	dlc_err_set(err, "NoCredentials", "profile '%s' has no credentials (no keys, SSO, role or credential_process)", profile);
	dlc_err_fix(err, "configure the profile with 'aws configure --profile %s' or 'aws configure sso'", profile);
	return NULL;
}

struct creds_provider *
creds_for_profile(struct aws_ctx *ctx, const char *profile, int explicit_profile,
    const char *region, const char *env_name, struct dlc_err *err)
{
	struct aws_credentials c;
	struct creds_provider *p;

	/* Environment keys win unless the profile was named explicitly. */
	if (!explicit_profile && creds_env_read(&c) == 0) {
		p = creds_static_new(&c);
		aws_credentials_clear(&c);
		return p;
	}
	if (profile == NULL)
		profile = aws_config_profile_name(NULL);
	p = creds_resolve(ctx, profile, region, env_name, 0, err);
	if (p == NULL)
		return NULL;
	return creds_cache_new(p, NULL);
}
