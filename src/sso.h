/*
 * The SSO portal's GetRoleCredentials (rest-json, unsigned: the bearer
 * token travels in the x-amz-sso_bearer_token header): the operation, its
 * request target and a parser of its answer into a credential set.
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

/* ---- the operation (see aws-op.h) ---- */

struct aws_env;
struct aws_call;
struct aws_reply;

struct sso_role_args {
	const char	*role_name;
	const char	*account_id;
	const char	*access_token;	/* the SSO login's bearer token */
};

/* creds is NULL when reply->ok != 0; it is wiped after the callback. */
typedef void (*sso_get_role_credentials_cb)(struct aws_reply *reply,
	    struct aws_credentials *creds, void *arg);

/* GetRoleCredentials on an unsigned portal environment; args read only during the call. */
struct aws_call *sso_get_role_credentials(struct aws_env *env,
	    const struct sso_role_args *args, sso_get_role_credentials_cb cb,
	    void *arg);
extern const struct aws_op sso_op_get_role_credentials;

#endif
