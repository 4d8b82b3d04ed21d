/*
 * SSO-OIDC (rest-json, unsigned): the RegisterClient,
 * StartDeviceAuthorization and CreateToken (device code and refresh
 * grants) operations, their JSON bodies, parsers of their answers, and the
 * OAuth-style errors ({"error":"authorization_pending"}) the device flow
 * polls through.
 * Everything here may hold secrets, so the clear functions wipe.
 */
#ifndef DLC_OIDC_H
#define DLC_OIDC_H

#include <stddef.h>

#include "err.h"

#define OIDC_GRANT_DEVICE	"urn:ietf:params:oauth:grant-type:device_code"
#define OIDC_GRANT_REFRESH	"refresh_token"
#define OIDC_DEFAULT_INTERVAL	5

struct oidc_client {
	char		*client_id, *client_secret;
	long long	 issued_at, expires_at;		/* epoch seconds */
};

struct oidc_device {
	char	*device_code, *user_code, *verification_uri,
		*verification_uri_complete;	/* the last may be NULL */
	int	 expires_in;			/* seconds */
	int	 interval;			/* seconds; 5 when absent */
};

struct oidc_token {
	char	*access_token;
	char	*refresh_token;		/* NULL when the grant gave none */
	char	*token_type;		/* NULL when absent */
	long	 expires_in;		/* seconds */
};

/*
 * Request bodies (POST /client/register, /device_authorization, /token).
 * Each returns an allocated JSON string that may hold a secret: release it
 * with wipe_free (the typed operations do, being marked secret).
 */
char	*oidc_register_client_body(const char *client_name,
	    const char *const *scopes, size_t n_scopes);
char	*oidc_start_device_authorization_body(const char *client_id,
	    const char *client_secret, const char *start_url);
char	*oidc_create_token_device_body(const char *client_id,
	    const char *client_secret, const char *device_code);
char	*oidc_create_token_refresh_body(const char *client_id,
	    const char *client_secret, const char *refresh_token);

/* Parsers: out is zeroed by the caller and stays cleared on failure. */
int	oidc_parse_register_client(const char *body, size_t len,
	    struct oidc_client *out, struct dlc_err *err);
int	oidc_parse_start_device_authorization(const char *body, size_t len,
	    struct oidc_device *out, struct dlc_err *err);
int	oidc_parse_create_token(const char *body, size_t len,
	    struct oidc_token *out, struct dlc_err *err);

/*
 * Fills err from an error answer and returns -1 (always). {"error":
 * "authorization_pending"} gives code AuthorizationPendingException,
 * slow_down SlowDownException, expired_token ExpiredTokenException,
 * invalid_grant InvalidGrantException, access_denied AccessDeniedException,
 * invalid_client InvalidClientException (and a few more); another error
 * takes its code from the x-amzn-ErrorType header when there is one
 * (errortype_header may be NULL). The message is "error_description
 * (error)", or the error alone. A body in the {"__type": ...} shape is
 * read as json's.
 */
int	oidc_error(long status, const char *errortype_header, const char *body,
	    size_t len, struct dlc_err *err);

/* Wipe and free the members, then zero the struct; safe when zeroed. */
void	oidc_client_clear(struct oidc_client *c);
void	oidc_device_clear(struct oidc_device *d);
void	oidc_token_clear(struct oidc_token *t);

/* ---- operations (see aws-op.h; args are read only during the call) ---- */

struct aws_env;
struct aws_call;
struct aws_reply;

struct oidc_register_args {
	const char		*client_name;
	const char *const	*scopes;
	size_t			 n_scopes;
};

struct oidc_device_args {
	const char	*client_id, *client_secret, *start_url;
};

struct oidc_token_args {
	const char	*client_id, *client_secret;
	const char	*grant;		/* OIDC_GRANT_DEVICE or OIDC_GRANT_REFRESH */
	const char	*code;		/* the device code, or the refresh token */
};

/* The typed result is NULL when reply->ok != 0; it is wiped after the callback. */
typedef void (*oidc_register_client_cb)(struct aws_reply *reply,
	    struct oidc_client *client, void *arg);
typedef void (*oidc_start_device_authorization_cb)(struct aws_reply *reply,
	    struct oidc_device *device, void *arg);
typedef void (*oidc_create_token_cb)(struct aws_reply *reply,
	    struct oidc_token *token, void *arg);

struct aws_call *oidc_register_client(struct aws_env *env,
	    const struct oidc_register_args *args, oidc_register_client_cb cb,
	    void *arg);
struct aws_call *oidc_start_device_authorization(struct aws_env *env,
	    const struct oidc_device_args *args,
	    oidc_start_device_authorization_cb cb, void *arg);
struct aws_call *oidc_create_token(struct aws_env *env,
	    const struct oidc_token_args *args, oidc_create_token_cb cb,
	    void *arg);

extern const struct aws_op oidc_op_register_client;
extern const struct aws_op oidc_op_start_device_authorization;
extern const struct aws_op oidc_op_create_token;

#endif
