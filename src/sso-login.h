/*
 * The SSO device flow (RegisterClient, StartDeviceAuthorization, then
 * CreateToken polled at the interval AWS asks for), asynchronous on the
 * event loop, so `dlc login` and the console share it. The token lands in
 * the AWS CLI's cache file, so dlc and the CLI share one login.
 */
#ifndef DLC_SSO_LOGIN_H
#define DLC_SSO_LOGIN_H

#include "err.h"

struct aws_ctx;
struct sso_login;

/* The page to open and the code to confirm; strings are untrusted (sanitise). */
typedef void (*sso_login_code_cb)(const char *verification_uri,
    const char *verification_uri_complete, const char *user_code, void *arg);
/* Called once at the end; err is NULL on success. Free the login after it. */
typedef void (*sso_login_done_cb)(const struct dlc_err *err, void *arg);

/* NULL with err when the profile is not an SSO profile. */
struct sso_login *sso_login_start(struct aws_ctx *aws, const char *profile,
	    const char *env_name, sso_login_code_cb on_code,
	    sso_login_done_cb on_done, void *arg, struct dlc_err *err);
const char *sso_login_start_url(const struct sso_login *l);
/* Stops a login in flight (no callback) or frees a finished one. */
void	sso_login_free(struct sso_login *l);

#endif
