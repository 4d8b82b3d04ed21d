"""EventBridge over json 1.1 (X-Amz-Target AWSEvents.<Op>): the schedule
rules that trigger the data lake functions.

Rules live in the seed (ENV.json rules[]: DescribeRule's fields plus
Targets[] {Id, Arn}); this serves the reads the details view needs.
"""

import base64

from .errors import AwsError, json_response

PREFIX = "AWSEvents"
RULE_FIELDS = ("Name", "Arn", "EventPattern", "ScheduleExpression", "State",
               "Description", "RoleArn", "ManagedBy", "EventBusName",
               "CreatedBy")


def _validation(message):
    return AwsError(400, "ValidationException", message)


def _required(doc, field):
    value = doc.get(field)
    if not isinstance(value, str) or not value:
        raise _validation("1 validation error detected: Value null at '%s' "
                          "failed to satisfy constraint: Member must not be "
                          "null" % (field[0].lower() + field[1:]))
    return value


def _bus(doc):
    bus = doc.get("EventBusName") or "default"
    # A bus may be named by ARN too; only the default bus exists here.
    return bus.rsplit("/", 1)[-1] if bus.startswith("arn:") else bus


def _limit(doc):
    limit = doc.get("Limit", 100)
    if not isinstance(limit, int) or not 1 <= limit <= 100:
        raise _validation("1 validation error detected: Value '%s' at "
                          "'limit' failed to satisfy constraint: Member must "
                          "have value between 1 and 100" % limit)
    return limit


def _token(offset):
    return base64.b64encode(("fakeaws-events:%d" % offset).encode()).decode()


def _offset(doc):
    token = doc.get("NextToken")
    if not token:
        return 0
    try:
        text = base64.b64decode(token, validate=True).decode()
        prefix, _, num = text.partition(":")
        if prefix == "fakeaws-events" and num.isdigit():
            return int(num)
    except (ValueError, UnicodeDecodeError):
        pass
    raise _validation("The nextToken provided is invalid.")


def _rules(ctx, bus):
    with ctx.state.lock:
        return [r for r in ctx.caller.account.rules
                if r.get("EventBusName", "default") == bus]


def list_rule_names_by_target(ctx, doc):
    target = _required(doc, "TargetArn")
    limit, start = _limit(doc), _offset(doc)
    names = sorted(r["Name"] for r in _rules(ctx, _bus(doc))
                   if any(t["Arn"] == target for t in r.get("Targets", [])))
    out = {"RuleNames": names[start:start + limit]}
    if start + limit < len(names):
        out["NextToken"] = _token(start + limit)
    return json_response(out, content_type="application/x-amz-json-1.1")


def _find(ctx, doc):
    name = _required(doc, "Name")
    bus = _bus(doc)
    for r in _rules(ctx, bus):
        if r["Name"] == name:
            return r
    raise AwsError(400, "ResourceNotFoundException",
                   "Rule %s does not exist on EventBus %s." % (name, bus))


def describe_rule(ctx, doc):
    rule = _find(ctx, doc)
    out = {k: rule[k] for k in RULE_FIELDS if k in rule}
    out.setdefault("EventBusName", "default")
    out.setdefault("CreatedBy", ctx.caller.account.account_id)
    return json_response(out, content_type="application/x-amz-json-1.1")


def list_targets_by_rule(ctx, doc):
    rule = _find(ctx, {"Name": _required(doc, "Rule"),
                       "EventBusName": doc.get("EventBusName")})
    limit, start = _limit(doc), _offset(doc)
    targets = rule.get("Targets", [])
    out = {"Targets": targets[start:start + limit]}
    if start + limit < len(targets):
        out["NextToken"] = _token(start + limit)
    return json_response(out, content_type="application/x-amz-json-1.1")


OPERATIONS = {"ListRuleNamesByTarget": list_rule_names_by_target,
              "DescribeRule": describe_rule,
              "ListTargetsByRule": list_targets_by_rule}
