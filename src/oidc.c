/* SSO-OIDC: its operations, request bodies, answer parsers and device-flow errors. */
#include "oidc.h"
#include "aws-op.h"
#include "proto-json.h"
#include "wipe.h"
#include "xmalloc.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/*
 * Writes s as a JSON string (quotes included) at out, or only counts when
 * out is NULL. Bodies are sized exactly first so a secret is never left in
 * a buffer freed by a realloc.
 */
static size_t
oidc_json_string(char *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

#define PUT(c) do { if (out != NULL) out[n] = (c); n++; } while (0)
	PUT('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			PUT('\\');
			PUT((char)c);
		} else if (c < 0x20) {
			PUT('\\');
			PUT('u');
			PUT('0');
			PUT('0');
			PUT(hex[c >> 4]);
			PUT(hex[c & 15]);
		} else
			PUT((char)c);
	}
	PUT('"');
#undef PUT
	return n;
}

/* {"k1":"v1",...[,"akey":["a1",...]]} into an exactly sized allocation. */
static char *
oidc_body(const char *const *kv, size_t n_kv, const char *akey,
    const char *const *arr, size_t n_arr)
{
	size_t pass, i, n = 0;
	char *out = NULL;

	for (pass = 0; pass < 2; pass++) {
		char *o = out;

#define RAW(c) do { if (o != NULL) o[n] = (c); n++; } while (0)
#define STR(s) (n += oidc_json_string(o != NULL ? o + n : NULL, (s)))
		n = 0;
		RAW('{');
		for (i = 0; i < n_kv; i++) {
			if (i > 0)
				RAW(',');
			STR(kv[2 * i]);
			RAW(':');
			STR(kv[2 * i + 1] != NULL ? kv[2 * i + 1] : "");
		}
		if (akey != NULL) {
			if (n_kv > 0)
				RAW(',');
			STR(akey);
			RAW(':');
			RAW('[');
			for (i = 0; i < n_arr; i++) {
				if (i > 0)
					RAW(',');
				STR(arr[i] != NULL ? arr[i] : "");
			}
			RAW(']');
		}
		RAW('}');
		RAW('\0');
#undef RAW
#undef STR
		if (pass == 0)
			out = xmalloc(n);
	}
	return out;
}

char *
oidc_register_client_body(const char *client_name, const char *const *scopes,
    size_t n_scopes)
{
	const char *kv[] = { "clientName", client_name, "clientType", "public" };

	return oidc_body(kv, 2, n_scopes > 0 ? "scopes" : NULL, scopes,
	    n_scopes);
}

char *
oidc_start_device_authorization_body(const char *client_id,
    const char *client_secret, const char *start_url)
{
	const char *kv[] = { "clientId", client_id, "clientSecret",
	    client_secret, "startUrl", start_url };

	return oidc_body(kv, 3, NULL, NULL, 0);
}

char *
oidc_create_token_device_body(const char *client_id,
    const char *client_secret, const char *device_code)
{
	const char *kv[] = { "clientId", client_id, "clientSecret",
	    client_secret, "grantType", OIDC_GRANT_DEVICE,
	    "deviceCode", device_code };

	return oidc_body(kv, 4, NULL, NULL, 0);
}

char *
oidc_create_token_refresh_body(const char *client_id,
    const char *client_secret, const char *refresh_token)
{
	const char *kv[] = { "clientId", client_id, "clientSecret",
	    client_secret, "grantType", OIDC_GRANT_REFRESH,
	    "refreshToken", refresh_token };

	return oidc_body(kv, 4, NULL, NULL, 0);
}

void
oidc_client_clear(struct oidc_client *c)
{
	if (c == NULL)
		return;
	wipe_free(&c->client_id);
	wipe_free(&c->client_secret);
	memset(c, 0, sizeof *c);
}

void
oidc_device_clear(struct oidc_device *d)
{
	if (d == NULL)
		return;
	wipe_free(&d->device_code);
	wipe_free(&d->user_code);
	wipe_free(&d->verification_uri);
	wipe_free(&d->verification_uri_complete);
	memset(d, 0, sizeof *d);
}

void
oidc_token_clear(struct oidc_token *t)
{
	if (t == NULL)
		return;
	wipe_free(&t->access_token);
	wipe_free(&t->refresh_token);
	wipe_free(&t->token_type);
	memset(t, 0, sizeof *t);
}

/* A required string that must also not be empty. */
static int
oidc_get_nonempty(const cJSON *obj, const char *field, const char **out,
    struct dlc_err *err)
{
	if (proto_json_get_string(obj, field, NULL, 1, out, err) != 0)
		return -1;
	if ((*out)[0] == '\0')
		return dlc_err_set(err, "MalformedResponse", "%s is empty",
		    field);
	return 0;
}

/* A count of seconds that must fit an int and be at least min. */
static int
oidc_get_seconds(const cJSON *obj, const char *field, int required,
    int64_t min, int64_t *out, struct dlc_err *err)
{
	if (proto_json_get_int64(obj, field, NULL, required, out, err) != 0)
		return -1;
	if (*out < min || *out > INT_MAX)
		return dlc_err_set(err, "MalformedResponse", "%s is %lld, "
		    "expected seconds between %lld and %d", field,
		    (long long)*out, (long long)min, INT_MAX);
	return 0;
}

int
oidc_parse_register_client(const char *body, size_t len,
    struct oidc_client *out, struct dlc_err *err)
{
	static const char op[] = "RegisterClient";
	const char *id = NULL, *secret = NULL;
	int64_t issued = 0, expires = 0;
	cJSON *tree;

	memset(out, 0, sizeof *out);
	tree = proto_json_parse_object(body, len, op, err);
	if (tree == NULL)
		return -1;
	if (oidc_get_nonempty(tree, "clientId", &id, err) != 0 ||
	    oidc_get_nonempty(tree, "clientSecret", &secret, err) != 0 ||
	    proto_json_get_int64(tree, "clientIdIssuedAt", NULL, 0, &issued,
	    err) != 0 ||
	    proto_json_get_int64(tree, "clientSecretExpiresAt", NULL, 1,
	    &expires, err) != 0) {
		proto_json_err_prefix(err, op);
		proto_json_delete_wiped(tree);
		return -1;
	}
	out->client_id = xstrdup(id);
	out->client_secret = xstrdup(secret);
	out->issued_at = issued;
	out->expires_at = expires;
	proto_json_delete_wiped(tree);
	return 0;
}

int
oidc_parse_start_device_authorization(const char *body, size_t len,
    struct oidc_device *out, struct dlc_err *err)
{
	static const char op[] = "StartDeviceAuthorization";
	const char *dc = NULL, *uc = NULL, *uri = NULL, *full = NULL;
	int64_t expires = 0, interval = OIDC_DEFAULT_INTERVAL;
	cJSON *tree;

	memset(out, 0, sizeof *out);
	tree = proto_json_parse_object(body, len, op, err);
	if (tree == NULL)
		return -1;
	if (oidc_get_nonempty(tree, "deviceCode", &dc, err) != 0 ||
	    oidc_get_nonempty(tree, "userCode", &uc, err) != 0 ||
	    oidc_get_nonempty(tree, "verificationUri", &uri, err) != 0 ||
	    proto_json_get_string(tree, "verificationUriComplete", NULL, 0,
	    &full, err) != 0 ||
	    oidc_get_seconds(tree, "expiresIn", 1, 1, &expires, err) != 0 ||
	    oidc_get_seconds(tree, "interval", 0, 0, &interval, err) != 0) {
		proto_json_err_prefix(err, op);
		proto_json_delete_wiped(tree);
		return -1;
	}
	out->device_code = xstrdup(dc);
	out->user_code = xstrdup(uc);
	out->verification_uri = xstrdup(uri);
	out->verification_uri_complete = xstrdup(full);
	out->expires_in = (int)expires;
	/* 0 would make the poller spin; AWS's documented default is 5. */
	out->interval = interval > 0 ? (int)interval : OIDC_DEFAULT_INTERVAL;
	proto_json_delete_wiped(tree);
	return 0;
}

int
oidc_parse_create_token(const char *body, size_t len, struct oidc_token *out,
    struct dlc_err *err)
{
	static const char op[] = "CreateToken";
	const char *at = NULL, *rt = NULL, *tt = NULL;
	int64_t expires = 0;
	cJSON *tree;

	memset(out, 0, sizeof *out);
	tree = proto_json_parse_object(body, len, op, err);
	if (tree == NULL)
		return -1;
	if (oidc_get_nonempty(tree, "accessToken", &at, err) != 0 ||
	    proto_json_get_string(tree, "refreshToken", NULL, 0, &rt,
	    err) != 0 ||
	    proto_json_get_string(tree, "tokenType", NULL, 0, &tt, err) != 0 ||
	    oidc_get_seconds(tree, "expiresIn", 1, 1, &expires, err) != 0) {
		proto_json_err_prefix(err, op);
		proto_json_delete_wiped(tree);
		return -1;
	}
	out->access_token = xstrdup(at);
	/* botocore keeps a refresh token only when one came; so does dlc. */
	out->refresh_token = rt != NULL && rt[0] != '\0' ? xstrdup(rt) : NULL;
	out->token_type = xstrdup(tt);
	out->expires_in = (long)expires;
	proto_json_delete_wiped(tree);
	return 0;
}

static const struct {
	const char	*error;		/* OAuth "error" value */
	const char	*code;		/* the AWS exception name */
	const char	*fix;		/* NULL: the caller's flow handles it */
} oidc_errors[] = {
	{ "authorization_pending", "AuthorizationPendingException", NULL },
	{ "slow_down", "SlowDownException", NULL },
	{ "expired_token", "ExpiredTokenException",
	    "The sign-in code expired before it was approved: run the login "
	    "again." },
	{ "invalid_grant", "InvalidGrantException",
	    "The device code or refresh token is no longer valid: run the "
	    "login again." },
	{ "access_denied", "AccessDeniedException",
	    "Sign-in was denied in the browser: run the login again and "
	    "approve it." },
	{ "invalid_client", "InvalidClientException",
	    "The client registration is no longer valid: delete the cached "
	    "registration in ~/.aws/sso/cache and log in again." },
	{ "invalid_request", "InvalidRequestException", NULL },
	{ "invalid_scope", "InvalidScopeException",
	    "Check sso_registration_scopes in the sso-session." },
	{ "unauthorized_client", "UnauthorizedClientException", NULL },
	{ "unsupported_grant_type", "UnsupportedGrantTypeException", NULL },
};

int
oidc_error(long status, const char *errortype_header, const char *body,
    size_t len, struct dlc_err *err)
{
	struct dlc_err scratch;
	const char *error = NULL, *desc = NULL, *code;
	cJSON *tree = NULL;
	size_t i;

	if (body != NULL && len > 0)
		tree = proto_json_parse_object(body, len, NULL, &scratch);
	if (tree == NULL ||
	    proto_json_get_string(tree, "error", NULL, 0, &error,
	    &scratch) != 0 || error == NULL || error[0] == '\0') {
		cJSON_Delete(tree);
		return proto_json_error(status, errortype_header, NULL, body,
		    len, err);
	}
	if (proto_json_get_string(tree, "error_description", NULL, 0, &desc,
	    &scratch) != 0 || (desc != NULL && desc[0] == '\0'))
		desc = NULL;
	for (i = 0; i < sizeof oidc_errors / sizeof oidc_errors[0]; i++)
		if (strcmp(error, oidc_errors[i].error) == 0)
			break;
	if (i < sizeof oidc_errors / sizeof oidc_errors[0])
		code = oidc_errors[i].code;
	else if (errortype_header != NULL && errortype_header[0] != '\0') {
		/* The header's exception name is what the retry policy knows. */
		proto_json_error(status, errortype_header, NULL, NULL, 0,
		    &scratch);
		code = scratch.code;
	} else
		code = error;
	/* Both: the description says what, the OAuth error names the case. */
	if (desc != NULL)
		dlc_err_set(err, code, "%s (%s)", desc, error);
	else
		dlc_err_set(err, code, "%s", error);
	if (i < sizeof oidc_errors / sizeof oidc_errors[0] &&
	    oidc_errors[i].fix != NULL)
		dlc_err_fix(err, "%s", oidc_errors[i].fix);
	err->http_status = (int)status;
	cJSON_Delete(tree);
	return -1;
}

/* ---- operations ---- */

static void
oidc_register_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	const struct oidc_register_args *a = args;

	(void)token;
	req->method = "POST";
	req->target = "/client/register";
	req->body = owned[0] = oidc_register_client_body(a->client_name,
	    a->scopes, a->n_scopes);
}

static int
oidc_register_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return oidc_parse_register_client(body, len, out, err);
}

static void
oidc_register_clear(void *out)
{
	oidc_client_clear(out);
}

AWS_OP_DELIVER(oidc_register_deliver, oidc_register_client_cb)

const struct aws_op oidc_op_register_client = {
	&aws_service_oidc, "RegisterClient", sizeof(struct oidc_client),
	oidc_register_req, oidc_register_parse, oidc_register_clear,
	oidc_register_deliver, NULL, 1,
};

struct aws_call *
oidc_register_client(struct aws_env *env,
    const struct oidc_register_args *args, oidc_register_client_cb cb,
    void *arg)
{
	return aws_op_send(env, &oidc_op_register_client, args, NULL,
	    (aws_op_fn)cb, arg);
}

static void
oidc_device_req(const void *args, const char *token, struct aws_request *req,
    char **owned)
{
	const struct oidc_device_args *a = args;

	(void)token;
	req->method = "POST";
	req->target = "/device_authorization";
	req->body = owned[0] = oidc_start_device_authorization_body(
	    a->client_id, a->client_secret, a->start_url);
}

static int
oidc_device_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return oidc_parse_start_device_authorization(body, len, out, err);
}

static void
oidc_device_clear_out(void *out)
{
	oidc_device_clear(out);
}

AWS_OP_DELIVER(oidc_device_deliver, oidc_start_device_authorization_cb)

const struct aws_op oidc_op_start_device_authorization = {
	&aws_service_oidc, "StartDeviceAuthorization",
	sizeof(struct oidc_device), oidc_device_req, oidc_device_parse,
	oidc_device_clear_out, oidc_device_deliver, NULL, 1,
};

struct aws_call *
oidc_start_device_authorization(struct aws_env *env,
    const struct oidc_device_args *args,
    oidc_start_device_authorization_cb cb, void *arg)
{
	return aws_op_send(env, &oidc_op_start_device_authorization, args, NULL,
	    (aws_op_fn)cb, arg);
}

static void
oidc_token_req(const void *args, const char *token, struct aws_request *req,
    char **owned)
{
	const struct oidc_token_args *a = args;

	(void)token;
	req->method = "POST";
	req->target = "/token";
	if (strcmp(a->grant, OIDC_GRANT_REFRESH) == 0)
		owned[0] = oidc_create_token_refresh_body(a->client_id,
		    a->client_secret, a->code);
	else
		owned[0] = oidc_create_token_device_body(a->client_id,
		    a->client_secret, a->code);
	req->body = owned[0];
}

static int
oidc_token_parse(const char *body, size_t len, void *out, struct dlc_err *err)
{
	return oidc_parse_create_token(body, len, out, err);
}

static void
oidc_token_clear_out(void *out)
{
	oidc_token_clear(out);
}

AWS_OP_DELIVER(oidc_token_deliver, oidc_create_token_cb)

const struct aws_op oidc_op_create_token = {
	&aws_service_oidc, "CreateToken", sizeof(struct oidc_token),
	oidc_token_req, oidc_token_parse, oidc_token_clear_out,
	oidc_token_deliver, NULL, 1,
};

struct aws_call *
oidc_create_token(struct aws_env *env, const struct oidc_token_args *args,
    oidc_create_token_cb cb, void *arg)
{
	return aws_op_send(env, &oidc_op_create_token, args, NULL,
	    (aws_op_fn)cb, arg);
}
