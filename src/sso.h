/*
 * The SSO portal's GetRoleCredentials (rest-json, unsigned: the bearer
 * token travels in the x-amz-sso_bearer_token header): its request target
 * and a parser of its answer into a credential set.
 */
#ifndef DLC_SSO_H
#define DLC_SSO_H

#include <stddef.h>

#include "credentials.h"
#include "err.h"

/* Returns the allocated "/federation/credentials?role_name=R&account_id=A". */
char	*sso_role_credentials_target(const char *role_name,
	    const char *account_id);

/*
 * Fills out (zeroed by the caller) from {"roleCredentials": {...}}; the
 * wire expiration is epoch milliseconds. source is "sso"; account_id is
 * left NULL (the caller knows which account it asked for). On failure out
 * stays cleared. The body holds secrets: the caller wipes it.
 */
int	sso_parse_role_credentials(const char *body, size_t len,
	    struct aws_credentials *out, struct dlc_err *err);

#endif
