"""SSO-OIDC (unsigned rest-json): RegisterClient, device flow, CreateToken.

CreateToken answers authorization_pending until a device has been polled
--sso-approve-after times, so clients exercise their polling loop.
"""

import json
import secrets
import string
import time

from .errors import AwsError, json_response

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REGISTRATION_SECONDS = 90 * 86400
DEVICE_SECONDS = 600


def _err(code, oauth, message, status=400):
    return AwsError(status, code, message, oidc_error=oauth)


def _body(ctx):
    try:
        doc = json.loads(ctx.body or b"{}")
    except ValueError:
        raise _err("InvalidRequestException", "invalid_request",
                   "Request body is not valid JSON")
    if not isinstance(doc, dict):
        raise _err("InvalidRequestException", "invalid_request",
                   "Request body must be a JSON object")
    return doc


def _require(doc, *names):
    for n in names:
        if not doc.get(n):
            raise _err("InvalidRequestException", "invalid_request",
                       "Missing required parameter: %s" % n)


def _client(ctx, doc):
    client = ctx.state.oidc_clients.get(doc.get("clientId"))
    if not client or client["clientSecret"] != doc.get("clientSecret"):
        raise _err("InvalidClientException", "invalid_client",
                   "Invalid client provided")
    if client["clientSecretExpiresAt"] < time.time():
        raise _err("InvalidClientException", "invalid_client",
                   "Client registration has expired")
    return client


def register_client(ctx):
    doc = _body(ctx)
    _require(doc, "clientName", "clientType")
    if doc["clientType"] != "public":
        raise _err("InvalidClientMetadataException", "invalid_client_metadata",
                   "clientType must be public")
    now = int(time.time())
    client = {"clientId": "fake-" + secrets.token_urlsafe(16),
              "clientSecret": "FAKE." + secrets.token_urlsafe(48),
              "clientIdIssuedAt": now,
              "clientSecretExpiresAt": now + REGISTRATION_SECONDS,
              "clientName": doc["clientName"],
              "scopes": doc.get("scopes") or []}
    with ctx.state.lock:
        ctx.state.oidc_clients[client["clientId"]] = client
    return json_response({k: client[k] for k in (
        "clientId", "clientSecret", "clientIdIssuedAt",
        "clientSecretExpiresAt")})


def _user_code():
    letters = "BCDFGHJKLMNPQRSTVWXZ"
    code = "".join(secrets.choice(letters) for _ in range(8))
    return code[:4] + "-" + code[4:]


def start_device_authorization(ctx):
    doc = _body(ctx)
    _require(doc, "clientId", "clientSecret", "startUrl")
    with ctx.state.lock:
        _client(ctx, doc)
        if doc["startUrl"] != ctx.state.sso.get("start_url"):
            raise _err("InvalidRequestException", "invalid_request",
                       "Invalid start URL: %s" % doc["startUrl"])
        device = {"deviceCode": secrets.token_urlsafe(48),
                  "userCode": _user_code(),
                  "clientId": doc["clientId"],
                  "expires": time.time() + DEVICE_SECONDS, "polls": 0,
                  "used": False}
        ctx.state.devices[device["deviceCode"]] = device
    base = "https://device.sso.%s.amazonaws.com/" % ctx.state.sso.get(
        "region", ctx.state.region)
    return json_response({
        "deviceCode": device["deviceCode"], "userCode": device["userCode"],
        "verificationUri": base,
        "verificationUriComplete": base + "?user_code=" + device["userCode"],
        "expiresIn": DEVICE_SECONDS, "interval": 1})


def _issue(ctx, client_id):
    seconds = int(ctx.state.sso.get("access_token_seconds", 28800))
    alphabet = string.ascii_letters + string.digits
    access = "aoa" + "".join(secrets.choice(alphabet) for _ in range(60))
    refresh = "aor" + "".join(secrets.choice(alphabet) for _ in range(60))
    ctx.state.access_tokens[access] = {"expires": time.time() + seconds,
                                       "clientId": client_id}
    ctx.state.refresh_tokens[refresh] = client_id
    return json_response({"accessToken": access, "tokenType": "Bearer",
                          "expiresIn": seconds, "refreshToken": refresh})


def create_token(ctx):
    doc = _body(ctx)
    _require(doc, "clientId", "clientSecret", "grantType")
    with ctx.state.lock:
        _client(ctx, doc)
        grant = doc["grantType"]
        if grant == DEVICE_GRANT:
            _require(doc, "deviceCode")
            device = ctx.state.devices.get(doc["deviceCode"])
            if not device or device["clientId"] != doc["clientId"] \
                    or device["used"]:
                raise _err("InvalidGrantException", "invalid_grant",
                           "Invalid grant provided")
            if device["expires"] < time.time():
                raise _err("ExpiredTokenException", "expired_token",
                           "Device code has expired")
            device["polls"] += 1
            if device["polls"] <= ctx.sso_approve_after:
                raise _err("AuthorizationPendingException",
                           "authorization_pending",
                           "Authorization is still pending")
            device["used"] = True
            return _issue(ctx, doc["clientId"])
        if grant == "refresh_token":
            _require(doc, "refreshToken")
            owner = ctx.state.refresh_tokens.get(doc["refreshToken"])
            if owner != doc["clientId"]:
                raise _err("InvalidGrantException", "invalid_grant",
                           "Invalid refresh token provided")
            # Refresh tokens rotate: the old one is spent.
            del ctx.state.refresh_tokens[doc["refreshToken"]]
            return _issue(ctx, doc["clientId"])
        raise _err("UnsupportedGrantTypeException", "unsupported_grant_type",
                   "Unsupported grant type: %s" % grant)


ROUTES = {
    "/client/register": register_client,
    "/device_authorization": start_device_authorization,
    "/token": create_token,
}
