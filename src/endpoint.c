/* Endpoint resolution: configured overrides, then regional hosts. */
#include "endpoint.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * One row per client: the AWS_ENDPOINT_URL_<X> suffix and [services] key
 * are botocore's hyphenised service ids; the host prefix and signing name
 * come from the service models (aws-notes section 1).
 */
static const struct endpoint_service {
	const char	*client;
	const char	*env_suffix;
	const char	*services_key;
	const char	*host_prefix;
	const char	*signing_name;
} endpoint_services[] = {
	{ "lambda", "LAMBDA", "lambda", "lambda", "lambda" },
	{ "logs", "CLOUDWATCH_LOGS", "cloudwatch_logs", "logs", "logs" },
	{ "monitoring", "CLOUDWATCH", "cloudwatch", "monitoring",
	    "monitoring" },
	{ "cloudwatch", "CLOUDWATCH", "cloudwatch", "monitoring",
	    "monitoring" },
	{ "sts", "STS", "sts", "sts", "sts" },
	{ "sso", "SSO", "sso", "portal.sso", "awsssoportal" },
	{ "sso-oidc", "SSO_OIDC", "sso_oidc", "oidc", "awsssooidc" },
	{ "dynamodb", "DYNAMODB", "dynamodb", "dynamodb", "dynamodb" },
	{ "events", "EVENTBRIDGE", "eventbridge", "events", "events" },
	{ "s3", "S3", "s3", "s3", "s3" },
};

static const struct endpoint_service *
endpoint_find(const char *service)
{
	size_t i;

	if (service == NULL)
		return NULL;
	for (i = 0; i < sizeof endpoint_services / sizeof endpoint_services[0];
	    i++) {
		if (strcmp(endpoint_services[i].client, service) == 0)
			return &endpoint_services[i];
	}
	return NULL;
}

const char *
endpoint_signing_name(const char *service)
{
	const struct endpoint_service *s = endpoint_find(service);

	return s == NULL ? NULL : s->signing_name;
}

static const char *
endpoint_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static int
endpoint_ignore_configured(const struct aws_config *cfg, const char *profile)
{
	const char *v = endpoint_env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");

	if (v == NULL)
		v = aws_config_get(cfg, profile, "ignore_configured_endpoint_urls");
	return v != NULL && strcasecmp(v, "true") == 0;
}

/*
 * The configured URL and where it came from (for messages), or NULL.
 * Returns allocated strings.
 */
static char *
endpoint_configured(const struct aws_config *cfg, const char *profile,
    const struct endpoint_service *s, char **from)
{
	const char *v, *services;
	char *name, *url;

	*from = NULL;
	profile = aws_config_profile_name(profile);
	if (endpoint_ignore_configured(cfg, profile))
		return NULL;
	name = xasprintf("AWS_ENDPOINT_URL_%s", s->env_suffix);
	if ((v = endpoint_env(name)) != NULL) {
		*from = name;
		return xstrdup(v);
	}
	free(name);
	if ((v = endpoint_env("AWS_ENDPOINT_URL")) != NULL) {
		*from = xstrdup("AWS_ENDPOINT_URL");
		return xstrdup(v);
	}
	services = aws_config_get(cfg, profile, "services");
	if (services != NULL) {
		url = aws_config_services_get(cfg, services, s->services_key,
		    "endpoint_url");
		if (url != NULL) {
			*from = xasprintf("[services %s] %s endpoint_url in %s",
			    services, s->services_key,
			    aws_config_file_path_used(cfg));
			return url;
		}
	}
	v = aws_config_get(cfg, profile, "endpoint_url");
	if (v != NULL && *v != '\0') {
		*from = aws_config_where(cfg, profile, "endpoint_url");
		return xstrdup(v);
	}
	return NULL;
}

int
endpoint_is_custom(const struct aws_config *cfg, const char *profile,
    const char *service)
{
	const struct endpoint_service *s = endpoint_find(service);
	char *from, *url;

	if (s == NULL)
		return 0;
	url = endpoint_configured(cfg, profile, s, &from);
	free(from);
	free(url);
	return url != NULL;
}

char *
endpoint_resolve(const struct aws_config *cfg, const char *profile,
    const char *service, const char *region, struct dlc_err *err)
{
	const struct endpoint_service *s = endpoint_find(service);
	char *url, *from;
	size_t len;

	if (s == NULL) {
		dlc_err_what(err, "choosing an endpoint");
		dlc_err_set(err, "EINVAL", "dlc has no endpoint for the "
		    "service '%s'", service != NULL ? service : "(none)");
		dlc_err_fix(err, "this is a bug in dlc: please report it");
		return NULL;
	}
	url = endpoint_configured(cfg, profile, s, &from);
	if (url != NULL) {
		if (strncmp(url, "https://", 8) != 0 &&
		    strncmp(url, "http://", 7) != 0) {
			dlc_err_what(err, "choosing the %s endpoint", s->client);
			dlc_err_set(err, "EINVAL", "the endpoint URL '%s' (from "
			    "%s) does not start with http:// or https://",
			    url, from != NULL ? from : "the configuration");
			dlc_err_fix(err, "write it as a full URL, e.g. "
			    "https://%s.eu-west-1.amazonaws.com or "
			    "http://127.0.0.1:5000", s->host_prefix);
			free(url);
			free(from);
			return NULL;
		}
		free(from);
		len = strlen(url);
		while (len > 0 && url[len - 1] == '/')
			url[--len] = '\0';
		return url;
	}
	if (region == NULL || *region == '\0') {
		dlc_err_what(err, "choosing the %s endpoint", s->client);
		dlc_err_set(err, "NoRegion", "no AWS region is set%s%s",
		    profile != NULL ? " for the profile " : "",
		    profile != NULL ? profile : "");
		dlc_err_fix(err, "set `region` for the environment in dlc.ini, "
		    "or `region` in the AWS profile (or AWS_REGION)");
		return NULL;
	}
	/* Region comes from files and the environment: keep it host-shaped. */
	if (strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
	    strlen(region)) {
		dlc_err_what(err, "choosing the %s endpoint", s->client);
		dlc_err_set(err, "EINVAL", "'%s' is not an AWS region name",
		    region);
		dlc_err_fix(err, "use a region such as eu-west-1");
		return NULL;
	}
	return xasprintf("https://%s.%s.amazonaws.com", s->host_prefix, region);
}

char *
endpoint_ca_bundle(const struct aws_config *cfg, const char *profile)
{
	const char *v = endpoint_env("AWS_CA_BUNDLE");

	if (v == NULL)
		v = aws_config_get(cfg, aws_config_profile_name(profile),
		    "ca_bundle");
	return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}
