"""The SSO portal (unsigned rest-json): role credentials and assignments.

The bearer token in x-amz-sso_bearer_token must be one that OIDC issued
and has not expired (the admin hook can expire them all).
"""

import time

from .errors import AwsError, json_response


def _unauthorized():
    return AwsError(401, "UnauthorizedException",
                    "Session token not found or invalid")


def _token(ctx):
    tok = None
    for name, val in ctx.headers:
        if name.lower() == "x-amz-sso_bearer_token":
            tok = val.strip()
    info = ctx.state.access_tokens.get(tok) if tok else None
    if not info or info["expires"] < time.time():
        raise _unauthorized()
    return tok


def _assignment(ctx, account_id):
    for a in ctx.state.sso.get("accounts", []):
        if a["account_id"] == account_id:
            return a
    return None


def _param(ctx, name):
    val = ctx.query.get(name)
    if not val:
        raise AwsError(400, "InvalidRequestException",
                       "Missing required parameter: %s" % name)
    return val


def get_role_credentials(ctx):
    _token(ctx)
    role_name = _param(ctx, "role_name")
    account_id = _param(ctx, "account_id")
    assignment = _assignment(ctx, account_id)
    reserved = (assignment or {}).get("roles", {}).get(role_name)
    acct = ctx.state.accounts.get(account_id)
    if not assignment or not reserved or not acct:
        raise AwsError(403, "ForbiddenException", "No access")
    role = acct.roles.get(reserved, {"role_id": "AROAFAKEUNKNOWN000000"})
    user = ctx.state.sso.get("user", "dlc-demo@example.com")
    seconds = int(ctx.state.sso.get("role_session_seconds", 3600))
    sess = ctx.state.new_session(
        acct, "arn:aws:sts::%s:assumed-role/%s/%s" % (account_id, reserved,
                                                      user),
        "%s:%s" % (role["role_id"], user), seconds)
    return json_response({"roleCredentials": {
        "accessKeyId": sess.access_key_id,
        "secretAccessKey": sess.secret_access_key,
        "sessionToken": sess.session_token,
        "expiration": int(sess.expires * 1000)}})


def _page(ctx, items, key):
    # One page holds everything: the demo has two accounts.
    return json_response({key: items})


def list_accounts(ctx):
    _token(ctx)
    return _page(ctx, [{"accountId": a["account_id"],
                        "accountName": a["account_name"],
                        "emailAddress": a["email"]}
                       for a in ctx.state.sso.get("accounts", [])],
                 "accountList")


def list_account_roles(ctx):
    _token(ctx)
    account_id = _param(ctx, "account_id")
    assignment = _assignment(ctx, account_id) or {"roles": {}}
    return _page(ctx, [{"roleName": r, "accountId": account_id}
                       for r in sorted(assignment["roles"])], "roleList")


ROUTES = {
    "/federation/credentials": get_role_credentials,
    "/assignment/accounts": list_accounts,
    "/assignment/roles": list_account_roles,
}
