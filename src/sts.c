/* STS over the query protocol: its operations, request bodies and answer parsers. */
#include "sts.h"
#include "aws-op.h"
#include "buf.h"
#include "proto-json.h"
#include "proto-query.h"
#include "timeutil.h"
#include "xml.h"
#include "xmalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *
sts_get_caller_identity_body(void)
{
	struct buf b;

	buf_init(&b, 0);
	proto_query_add(&b, "Action", "GetCallerIdentity");
	proto_query_add(&b, "Version", STS_API_VERSION);
	return buf_detach(&b, NULL);
}

char *
sts_assume_role_body(const char *role_arn, const char *session_name,
    int duration_seconds, const char *external_id)
{
	struct buf b;
	char num[24];

	buf_init(&b, 0);
	proto_query_add(&b, "Action", "AssumeRole");
	proto_query_add(&b, "Version", STS_API_VERSION);
	proto_query_add(&b, "RoleArn", role_arn);
	proto_query_add(&b, "RoleSessionName", session_name);
	if (duration_seconds > 0) {
		snprintf(num, sizeof num, "%d", duration_seconds);
		proto_query_add(&b, "DurationSeconds", num);
	}
	if (external_id != NULL)
		proto_query_add(&b, "ExternalId", external_id);
	return buf_detach(&b, NULL);
}

void
sts_identity_clear(struct sts_identity *id)
{
	if (id == NULL)
		return;
	free(id->account);
	free(id->arn);
	free(id->user_id);
	memset(id, 0, sizeof *id);
}

static int
sts_missing(struct dlc_err *err, const char *op, const char *path)
{
	dlc_err_set(err, "MalformedResponse", "%s: response has no %s", op,
	    path);
	dlc_err_fix(err, "The endpoint did not answer as AWS does: check "
	    "endpoint_url and any proxy in between.");
	return -1;
}

int
sts_parse_get_caller_identity(const char *body, size_t len,
    struct sts_identity *out, struct dlc_err *err)
{
	static const char op[] = "GetCallerIdentity";
	struct xml_node *root;
	const char *account, *arn, *user;

	memset(out, 0, sizeof *out);
	root = proto_query_parse(body, len, op, err);
	if (root == NULL)
		return -1;
	account = xml_text(root, "GetCallerIdentityResult/Account");
	arn = xml_text(root, "GetCallerIdentityResult/Arn");
	user = xml_text(root, "GetCallerIdentityResult/UserId");
	if (account == NULL || arn == NULL || user == NULL) {
		sts_missing(err, op, account == NULL ?
		    "GetCallerIdentityResult/Account" : arn == NULL ?
		    "GetCallerIdentityResult/Arn" :
		    "GetCallerIdentityResult/UserId");
		xml_free(root);
		return -1;
	}
	out->account = xstrdup(account);
	out->arn = xstrdup(arn);
	out->user_id = xstrdup(user);
	xml_free(root);
	return 0;
}

/* arn:aws:sts::123456789012:assumed-role/R/S -> "123456789012", or NULL. */
static char *
sts_arn_account(const char *arn)
{
	const char *p = arn;
	size_t field = 0, n;

	if (arn == NULL)
		return NULL;
	while (field < 4 && (p = strchr(p, ':')) != NULL) {
		p++;
		field++;
	}
	if (p == NULL)
		return NULL;
	n = strcspn(p, ":");
	return n == 12 && strspn(p, "0123456789") >= 12 ?
	    xstrndup(p, n) : NULL;
}

int
sts_parse_assume_role(const char *body, size_t len,
    struct aws_credentials *out, struct dlc_err *err)
{
	static const char op[] = "AssumeRole";
	static const char *const need[] = { "AccessKeyId", "SecretAccessKey",
	    "SessionToken", "Expiration" };
	const struct xml_node *creds;
	const char *v[4];
	struct xml_node *root;
	char path[64];
	time_t exp;
	size_t i;

	memset(out, 0, sizeof *out);
	root = proto_query_parse(body, len, op, err);
	if (root == NULL)
		return -1;
	creds = xml_find(root, "AssumeRoleResult/Credentials");
	for (i = 0; i < 4; i++) {
		v[i] = xml_text(creds, need[i]);
		if (v[i] == NULL || v[i][0] == '\0') {
			snprintf(path, sizeof path,
			    "AssumeRoleResult/Credentials/%s", need[i]);
			sts_missing(err, op, path);
			goto fail;
		}
	}
	if (timeutil_parse_iso8601(v[3], &exp, NULL) != 0) {
		dlc_err_set(err, "MalformedResponse", "%s: Credentials/"
		    "Expiration \"%.64s\" is not an ISO 8601 time", op, v[3]);
		goto fail;
	}
	out->access_key_id = xstrdup(v[0]);
	out->secret_access_key = xstrdup(v[1]);
	out->session_token = xstrdup(v[2]);
	out->expiration = exp;
	out->account_id = sts_arn_account(xml_text(root,
	    "AssumeRoleResult/AssumedRoleUser/Arn"));
	out->source = "assume-role";
	xml_free(root);
	return 0;
fail:
	xml_free(root);
	return -1;
}

/* ---- operations ---- */

static void
sts_identity_req(const void *args, const char *token, struct aws_request *req,
    char **owned)
{
	(void)args;
	(void)token;
	req->body = owned[0] = sts_get_caller_identity_body();
}

static int
sts_identity_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return sts_parse_get_caller_identity(body, len, out, err);
}

static void
sts_identity_clear_out(void *out)
{
	sts_identity_clear(out);
}

AWS_OP_DELIVER(sts_identity_deliver, sts_get_caller_identity_cb)

const struct aws_op sts_op_get_caller_identity = {
	&aws_service_sts, "GetCallerIdentity", sizeof(struct sts_identity),
	sts_identity_req, sts_identity_parse, sts_identity_clear_out,
	sts_identity_deliver, NULL, 0,
};

struct aws_call *
sts_get_caller_identity(struct aws_env *env, sts_get_caller_identity_cb cb,
    void *arg)
{
	return aws_op_send(env, &sts_op_get_caller_identity, NULL, NULL,
	    (aws_op_fn)cb, arg);
}

static void
sts_assume_req(const void *args, const char *token, struct aws_request *req,
    char **owned)
{
	const struct sts_assume_role_args *a = args;

	(void)token;
	req->body = owned[0] = sts_assume_role_body(a->role_arn,
	    a->session_name, a->duration_seconds, a->external_id);
}

static int
sts_assume_parse(const char *body, size_t len, void *out, struct dlc_err *err)
{
	return sts_parse_assume_role(body, len, out, err);
}

static void
sts_assume_clear(void *out)
{
	aws_credentials_clear(out);
}

AWS_OP_DELIVER(sts_assume_deliver, sts_assume_role_cb)

const struct aws_op sts_op_assume_role = {
	&aws_service_sts, "AssumeRole", sizeof(struct aws_credentials),
	sts_assume_req, sts_assume_parse, sts_assume_clear,
	sts_assume_deliver, NULL, 1,
};

struct aws_call *
sts_assume_role(struct aws_env *env, const struct sts_assume_role_args *args,
    sts_assume_role_cb cb, void *arg)
{
	return aws_op_send(env, &sts_op_assume_role, args, NULL,
	    (aws_op_fn)cb, arg);
}
