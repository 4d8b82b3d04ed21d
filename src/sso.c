/* SSO portal GetRoleCredentials: the operation, its target and answer parser. */
#include "sso.h"
#include "aws-op.h"
#include "buf.h"
#include "proto-json.h"
#include "uri.h"
#include "xmalloc.h"

#include <stdint.h>
#include <string.h>

char *
sso_role_credentials_target(const char *role_name, const char *account_id)
{
	struct buf b;

	/* botocore writes the members in model order: role, then account. */
	buf_init(&b, 0);
	buf_puts(&b, "/federation/credentials?role_name=");
	uri_encode(&b, role_name, strlen(role_name), 0);
	buf_puts(&b, "&account_id=");
	uri_encode(&b, account_id, strlen(account_id), 0);
	return buf_detach(&b, NULL);
}

int
sso_parse_role_credentials(const char *body, size_t len,
    struct aws_credentials *out, struct dlc_err *err)
{
	static const char op[] = "GetRoleCredentials";
	const cJSON *rc = NULL;
	const char *ak = NULL, *sk = NULL, *tok = NULL;
	int64_t exp_ms = 0;
	cJSON *tree;

	memset(out, 0, sizeof *out);
	tree = proto_json_parse_object(body, len, op, err);
	if (tree == NULL)
		return -1;
	if (proto_json_get_object(tree, "roleCredentials", NULL, 1, &rc,
	    err) != 0 ||
	    proto_json_get_string(rc, "accessKeyId", "roleCredentials", 1, &ak,
	    err) != 0 ||
	    proto_json_get_string(rc, "secretAccessKey", "roleCredentials", 1,
	    &sk, err) != 0 ||
	    proto_json_get_string(rc, "sessionToken", "roleCredentials", 1,
	    &tok, err) != 0 ||
	    proto_json_get_int64(rc, "expiration", "roleCredentials", 1,
	    &exp_ms, err) != 0)
		goto fail;
	if (ak[0] == '\0' || sk[0] == '\0') {
		dlc_err_set(err, "MalformedResponse", "roleCredentials has an "
		    "empty key");
		goto fail;
	}
	if (exp_ms <= 0) {
		dlc_err_set(err, "MalformedResponse", "roleCredentials."
		    "expiration is %lld, expected epoch milliseconds",
		    (long long)exp_ms);
		goto fail;
	}
	out->access_key_id = xstrdup(ak);
	out->secret_access_key = xstrdup(sk);
	out->session_token = xstrdup(tok);
	/* Milliseconds on the wire; round down so we never overstate life. */
	out->expiration = (time_t)(exp_ms / 1000);
	out->source = "sso";
	proto_json_delete_wiped(tree);
	return 0;
fail:
	proto_json_err_prefix(err, op);
	proto_json_delete_wiped(tree);
	return -1;
}

/* ---- the operation ---- */

static void
sso_role_req(const void *args, const char *token, struct aws_request *req,
    char **owned)
{
	const struct sso_role_args *a = args;

	(void)token;
	req->method = "GET";
	req->target = owned[0] = sso_role_credentials_target(a->role_name,
	    a->account_id);
	req->extra_name[0] = "x-amz-sso_bearer_token";
	req->extra_value[0] = a->access_token;
}

static int
sso_role_parse(const char *body, size_t len, void *out, struct dlc_err *err)
{
	return sso_parse_role_credentials(body, len, out, err);
}

static void
sso_role_clear(void *out)
{
	aws_credentials_clear(out);
}

AWS_OP_DELIVER(sso_role_deliver, sso_get_role_credentials_cb)

const struct aws_op sso_op_get_role_credentials = {
	&aws_service_sso, "GetRoleCredentials", sizeof(struct aws_credentials),
	sso_role_req, sso_role_parse, sso_role_clear, sso_role_deliver, NULL, 1,
};

struct aws_call *
sso_get_role_credentials(struct aws_env *env, const struct sso_role_args *args,
    sso_get_role_credentials_cb cb, void *arg)
{
	return aws_op_send(env, &sso_op_get_role_credentials, args, NULL,
	    (aws_op_fn)cb, arg);
}
