/*
 * Where each AWS service is reached, chosen as botocore's
 * ConfiguredEndpointProvider chooses it, so the overrides a user set for
 * the AWS CLI (AWS_ENDPOINT_URL_*, [services] blocks, endpoint_url) send
 * dlc to the same place; otherwise the service's regional host.
 * service is dlc's client name: "lambda", "logs", "monitoring" (or
 * "cloudwatch"), "sts", "sso", "sso-oidc", "dynamodb", "events", "s3".
 */
#ifndef DLC_ENDPOINT_H
#define DLC_ENDPOINT_H

#include "awsconfig.h"
#include "err.h"

/*
 * Returns the allocated base URL ("https://lambda.eu-west-1.amazonaws.com",
 * never a trailing slash), or NULL with err filled: an unknown service, a
 * configured URL that is not http:// or https://, or no region for a
 * regional default. cfg may be NULL (no files); a NULL profile means the
 * one aws_config_profile_name(NULL) picks (AWS_PROFILE, ..., "default").
 */
char	*endpoint_resolve(const struct aws_config *cfg, const char *profile,
	    const char *service, const char *region, struct dlc_err *err);
/* 1 when an override (env or config) applies to this service, else 0. */
int	 endpoint_is_custom(const struct aws_config *cfg, const char *profile,
	    const char *service);
/* AWS_CA_BUNDLE, else the profile's ca_bundle; allocated, NULL if none. */
char	*endpoint_ca_bundle(const struct aws_config *cfg, const char *profile);
/* The SigV4 signing name ("awsssoportal" for sso); NULL if unknown. */
const char *endpoint_signing_name(const char *service);

#endif
