"""STS over the query protocol: GetCallerIdentity and AssumeRole."""

import re
import time

from .errors import AwsError, query_response, xml_text

VERSION = "2011-06-15"
SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")


def _get_caller_identity(ctx, params):
    who = ctx.caller
    if who.session:
        arn, user_id = who.session.arn, who.session.user_id
    else:
        arn, user_id = who.account.user_arn(), who.account.user["user_id"]
    result = ("    <Arn>%s</Arn>\n    <UserId>%s</UserId>\n"
              "    <Account>%s</Account>\n") % (
                  xml_text(arn), xml_text(user_id),
                  xml_text(who.account.account_id))
    return query_response("GetCallerIdentity", result, ctx.request_id)


def _validation(field, value, constraint):
    return AwsError(400, "ValidationError",
                    "1 validation error detected: Value '%s' at '%s' failed "
                    "to satisfy constraint: %s" % (value, field, constraint))


def _assume_role(ctx, params):
    role_arn = params.get("RoleArn")
    name = params.get("RoleSessionName")
    if not role_arn:
        raise AwsError(400, "MissingParameter", "The request must contain "
                       "the parameter RoleArn")
    if not name:
        raise AwsError(400, "MissingParameter", "The request must contain "
                       "the parameter RoleSessionName")
    if not SESSION_NAME.match(name):
        raise _validation("roleSessionName", name,
                          "Member must satisfy regular expression pattern: "
                          "[\\w+=,.@-]*")
    duration = params.get("DurationSeconds", "3600")
    try:
        seconds = int(duration)
    except ValueError:
        raise _validation("durationSeconds", duration, "Member must be a "
                          "number")
    if seconds < 900:
        raise _validation("durationSeconds", seconds, "Member must have "
                          "value greater than or equal to 900")
    if seconds > 43200:
        raise _validation("durationSeconds", seconds, "Member must have "
                          "value less than or equal to 43200")
    found = ctx.state.find_role(role_arn)
    caller_arn = (ctx.caller.session.arn if ctx.caller.session
                  else ctx.caller.account.user_arn())
    if not found:
        raise AwsError(403, "AccessDenied",
                       "User: %s is not authorized to perform: "
                       "sts:AssumeRole on resource: %s" % (caller_arn,
                                                           role_arn))
    acct, role = found
    # Role chaining is capped at one hour, whatever the role allows.
    if ctx.caller.session and seconds > 3600:
        raise AwsError(400, "ValidationError",
                       "The requested DurationSeconds exceeds the 1 hour "
                       "session limit for roles assumed by role chaining.")
    if seconds > int(role.get("max_session_seconds", 3600)):
        raise AwsError(400, "ValidationError",
                       "The requested DurationSeconds exceeds the "
                       "MaxSessionDuration set for this role.")
    arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (acct.account_id,
                                                  role["name"], name)
    user_id = "%s:%s" % (role["role_id"], name)
    sess = ctx.state.new_session(acct, arn, user_id, seconds)
    result = (
        "    <Credentials>\n"
        "      <AccessKeyId>%s</AccessKeyId>\n"
        "      <SecretAccessKey>%s</SecretAccessKey>\n"
        "      <SessionToken>%s</SessionToken>\n"
        "      <Expiration>%s</Expiration>\n"
        "    </Credentials>\n"
        "    <AssumedRoleUser>\n"
        "      <AssumedRoleId>%s</AssumedRoleId>\n"
        "      <Arn>%s</Arn>\n"
        "    </AssumedRoleUser>\n") % (
            sess.access_key_id, xml_text(sess.secret_access_key),
            xml_text(sess.session_token),
            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(sess.expires)),
            xml_text(user_id), xml_text(arn))
    return query_response("AssumeRole", result, ctx.request_id)


OPERATIONS = {
    "GetCallerIdentity": _get_caller_identity,
    "AssumeRole": _assume_role,
}


def handle(ctx, params):
    action = params.get("Action", "")
    op = OPERATIONS.get(action)
    if params.get("Version") not in (None, VERSION) or op is None:
        raise AwsError(400, "InvalidAction",
                       "Could not find operation %s for version %s"
                       % (action, params.get("Version", VERSION)))
    return op(ctx, params)
