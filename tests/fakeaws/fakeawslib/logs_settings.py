"""CloudWatch Logs group settings: subscription filters and retention.

DescribeSubscriptionFilters (what `dlc audit` reads for log aggregation),
PutSubscriptionFilter, DeleteSubscriptionFilter, PutRetentionPolicy and
DeleteRetentionPolicy, with the service's rules: at most two filters a
group (LimitExceededException past that), filters listed by name with
limit 1..50 and a nextToken, retention only from the service's list of
day counts.
"""

from .errors import AwsError, Response
from . import logs

# The values PutRetentionPolicy accepts (the service's model lists them).
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
                  731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
FILTERS_PER_GROUP = 2
DISTRIBUTIONS = ("Random", "ByLogStream")


def _named_group(ctx, doc):
    # These operations take logGroupName only (no identifier), required.
    name = logs._str(doc, "logGroupName", required=True)
    group = logs._store(ctx).group(ctx.caller.account.account_id, name)
    if group is None:
        raise logs._group_missing()
    return group


def _empty():
    return Response(200, b"", logs.CONTENT_TYPE)


def describe_subscription_filters(ctx, doc):
    group = _named_group(ctx, doc)
    prefix = logs._str(doc, "filterNamePrefix")
    limit = logs._int(doc, "limit", 1, 50, 50)
    after = (logs._untoken(doc) or {}).get("after")
    with logs._store(ctx).lock:
        filters = sorted((f for f in group.filters.values()
                          if (prefix is None or
                              f["filterName"].startswith(prefix)) and
                          (after is None or f["filterName"] > after)),
                         key=lambda f: f["filterName"])
    page = [dict(f) for f in filters[:limit]]
    out = {"subscriptionFilters": page}
    if len(filters) > limit:
        out["nextToken"] = logs._token({"after": page[-1]["filterName"]})
    return logs._answer(out)


def put_subscription_filter(ctx, doc):
    group = _named_group(ctx, doc)
    name = logs._str(doc, "filterName", required=True)
    if not 1 <= len(name) <= 512 or ":" in name or "*" in name:
        raise logs._constraint("filterName", name, "Member must satisfy "
                               "regular expression pattern: [^:*]*")
    pattern = logs._str(doc, "filterPattern", required=True)
    logs._pattern(doc)
    dest = logs._str(doc, "destinationArn", required=True)
    if not dest.startswith("arn:"):
        raise logs._invalid("Invalid destinationArn")
    role = logs._str(doc, "roleArn")
    dist = logs._str(doc, "distribution") or "ByLogStream"
    if dist not in DISTRIBUTIONS:
        raise logs._constraint("distribution", dist, "Member must satisfy "
                               "enum value set: [Random, ByLogStream]")
    with logs._store(ctx).lock:
        if name not in group.filters and \
                len(group.filters) >= FILTERS_PER_GROUP:
            raise AwsError(400, "LimitExceededException",
                           "Resource limit exceeded.")
        item = {"filterName": name, "logGroupName": group.name,
                "filterPattern": pattern, "destinationArn": dest,
                "distribution": dist,
                "creationTime": logs.now_ms()}
        if role is not None:
            item["roleArn"] = role
        group.filters[name] = item
    return _empty()


def delete_subscription_filter(ctx, doc):
    group = _named_group(ctx, doc)
    name = logs._str(doc, "filterName", required=True)
    with logs._store(ctx).lock:
        if group.filters.pop(name, None) is None:
            raise AwsError(400, "ResourceNotFoundException",
                           "The specified subscription filter does not "
                           "exist.")
    return _empty()


def put_retention_policy(ctx, doc):
    group = _named_group(ctx, doc)
    if doc.get("retentionInDays") is None:
        raise logs._constraint("retentionInDays", "null",
                               "Member must not be null")
    days = logs._int(doc, "retentionInDays")
    if days not in RETENTION_DAYS:
        raise logs._invalid("1 validation error detected: Value '%d' at "
                            "'retentionInDays' failed to satisfy constraint:"
                            " Member must satisfy enum value set: [%s]"
                            % (days, ", ".join(str(d) for d in
                                               RETENTION_DAYS)))
    with logs._store(ctx).lock:
        group.retention = days
    return _empty()


def delete_retention_policy(ctx, doc):
    group = _named_group(ctx, doc)
    with logs._store(ctx).lock:
        group.retention = None
    return _empty()


OPERATIONS = {"DescribeSubscriptionFilters": describe_subscription_filters,
              "PutSubscriptionFilter": put_subscription_filter,
              "DeleteSubscriptionFilter": delete_subscription_filter,
              "PutRetentionPolicy": put_retention_policy,
              "DeleteRetentionPolicy": delete_retention_policy}
