#!/usr/bin/env python3
"""What `dlc audit` reads, over raw HTTP: subscription filters and
retention (DescribeSubscriptionFilters, PutSubscriptionFilter,
PutRetentionPolicy and their errors), the audit findings seeded in alpha
(30 days, no retention, no group, a DISABLED rule, a Disabled mapping, an
orphan group, python3.7, old layer pins), a rule with several targets,
and the functions scale knob (POST /_fakeaws/lambda/scale).
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Checks, FakeAws  # noqa: E402
from test_server import Client, SANDBOX, events_headers, logs_call  # noqa: E402,E501

FN = "arn:aws:lambda:eu-west-1:111111111111:function:"
G = "/aws/lambda/datalake-alpha-"


def groups(c, prefix="/aws/lambda/", keys=None):
    """{name: group} of every DescribeLogGroups page."""
    out, token = {}, None
    for _ in range(100):
        body = dict({"logGroupNamePrefix": prefix},
                    **({"nextToken": token} if token else {}))
        r, doc = c.json("POST", "/", json.dumps(body).encode(),
                        [("X-Amz-Target", "Logs_20140328.DescribeLogGroups"),
                         ("Content-Type", "application/x-amz-json-1.1")],
                        service="logs", **({"keys": keys} if keys else {}))
        out.update((g["logGroupName"], g) for g in doc.get("logGroups", []))
        token = doc.get("nextToken")
        if not token:
            return out
    raise AssertionError("DescribeLogGroups never ended")


def rules_of(c, arn):
    r, doc = c.json("POST", "/", json.dumps({"TargetArn": arn}).encode(),
                    events_headers("ListRuleNamesByTarget"), service="events")
    states = {}
    for name in doc.get("RuleNames", []):
        r, rule = c.json("POST", "/", json.dumps({"Name": name}).encode(),
                         events_headers("DescribeRule"), service="events")
        states[name] = rule.get("State")
    return states


def check_filters(t, c):
    r, doc = logs_call(c, "DescribeSubscriptionFilters",
                       {"logGroupName": G + "mambu-to-s3-raw"})
    f = (doc.get("subscriptionFilters") or [{}])[0]
    t.check("DescribeSubscriptionFilters: the group's filter, all fields",
            r.status == 200 and len(doc["subscriptionFilters"]) == 1 and
            f["filterName"] == "datalake-alpha-mambu-to-s3-raw-logs" and
            f["logGroupName"] == G + "mambu-to-s3-raw" and
            f["filterPattern"] == "" and f["distribution"] == "ByLogStream"
            and f["destinationArn"].startswith("arn:aws:kinesis:") and
            f["roleArn"].startswith("arn:aws:iam::") and
            isinstance(f["creationTime"], int) and "nextToken" not in doc,
            (r.status, doc))
    r, doc = logs_call(c, "DescribeSubscriptionFilters",
                       {"logGroupName": G + "salesforce-cases-to-s3-raw"})
    t.equal("a group without a filter answers an empty list",
            (r.status, doc), (200, {"subscriptionFilters": []}))
    r, doc = logs_call(c, "DescribeSubscriptionFilters",
                       {"logGroupName": "/aws/lambda/nope"})
    t.equal("a missing group: ResourceNotFoundException", (r.status, doc),
            (400, {"__type": "ResourceNotFoundException",
                   "message": "The specified log group does not exist."}))
    r, doc = logs_call(c, "DescribeSubscriptionFilters", {})
    t.check("logGroupName is required",
            r.status == 400 and doc.get("__type") ==
            "InvalidParameterException", (r.status, doc))
    r, doc = logs_call(c, "DescribeSubscriptionFilters",
                       {"logGroupName": G + "mambu-to-s3-raw", "limit": 51})
    t.check("limit 51: InvalidParameterException",
            r.status == 400 and doc.get("__type") ==
            "InvalidParameterException", (r.status, doc))

    group = G + "dynamo-customers-to-s3-raw"
    dest = "arn:aws:lambda:eu-west-1:111111111111:function:log-shipper"
    r, doc = logs_call(c, "PutSubscriptionFilter", {
        "logGroupName": group, "filterName": "b-errors",
        "filterPattern": "ERROR", "destinationArn": dest})
    t.check("PutSubscriptionFilter answers an empty body",
            r.status == 200 and doc == {"_raw": ""}, (r.status, doc))
    r, doc = logs_call(c, "PutSubscriptionFilter", {
        "logGroupName": group, "filterName": "c-third",
        "filterPattern": "", "destinationArn": dest})
    t.equal("a third filter: LimitExceededException", (r.status, doc),
            (400, {"__type": "LimitExceededException",
                   "message": "Resource limit exceeded."}))
    names, token, pages = [], None, 0
    while True:
        r, doc = logs_call(c, "DescribeSubscriptionFilters", dict(
            {"logGroupName": group, "limit": 1},
            **({"nextToken": token} if token else {})))
        pages += 1
        names += [f["filterName"] for f in doc["subscriptionFilters"]]
        token = doc.get("nextToken")
        if not token or pages > 5:
            break
    t.equal("limit 1 pages by nextToken, filters by name", (names, pages),
            (["b-errors", "datalake-alpha-dynamo-customers-to-s3-raw-logs"],
             2))
    r, doc = logs_call(c, "DescribeSubscriptionFilters", {
        "logGroupName": group, "filterNamePrefix": "b-"})
    t.check("filterNamePrefix picks by name",
            [f["filterName"] for f in doc["subscriptionFilters"]] ==
            ["b-errors"] and doc["subscriptionFilters"][0]["distribution"]
            == "ByLogStream" and "roleArn" not in
            doc["subscriptionFilters"][0], doc)
    r, doc = logs_call(c, "DeleteSubscriptionFilter",
                       {"logGroupName": group, "filterName": "b-errors"})
    r2, doc2 = logs_call(c, "DeleteSubscriptionFilter",
                         {"logGroupName": group, "filterName": "b-errors"})
    t.check("DeleteSubscriptionFilter, then it is gone",
            r.status == 200 and r2.status == 400 and
            doc2.get("__type") == "ResourceNotFoundException", (doc, doc2))


def check_retention(t, c):
    got = groups(c)
    t.equal("retention as seeded: 14 days, 30 days, none",
            [got[G + n].get("retentionInDays") for n in
             ("mambu-to-s3-raw", "salesforce-cases-to-s3-raw",
              "quicksight-authors-datasets-to-s3-curated")], [14, 30, None])
    group = G + "salesforce-cases-to-s3-raw"
    r, doc = logs_call(c, "PutRetentionPolicy",
                       {"logGroupName": group, "retentionInDays": 13})
    t.check("retention 13 days: InvalidParameterException",
            r.status == 400 and doc.get("__type") ==
            "InvalidParameterException" and "14" in doc.get("message", ""),
            (r.status, doc))
    r, doc = logs_call(c, "PutRetentionPolicy",
                       {"logGroupName": group, "retentionInDays": 14})
    t.check("PutRetentionPolicy 14", r.status == 200 and
            groups(c)[group].get("retentionInDays") == 14, (r.status, doc))
    r, doc = logs_call(c, "DeleteRetentionPolicy", {"logGroupName": group})
    t.check("DeleteRetentionPolicy: kept forever again", r.status == 200 and
            "retentionInDays" not in groups(c)[group], (r.status, doc))
    r, doc = logs_call(c, "PutRetentionPolicy",
                       {"logGroupName": "/nope", "retentionInDays": 14})
    t.check("PutRetentionPolicy on a missing group",
            r.status == 400 and doc.get("__type") ==
            "ResourceNotFoundException", (r.status, doc))


def check_seeded_findings(t, c):
    got = groups(c)
    r, doc = c.json("GET", "/2015-03-31/functions/?MaxItems=50")
    fns = {f["FunctionName"]: f for f in doc["Functions"]}
    legacy = fns["legacy-export-job"]
    t.check("legacy-export-job: python3.7, its group does not exist",
            legacy["Runtime"] == "python3.7" and
            legacy["LoggingConfig"]["LogGroup"] not in got, legacy)
    t.check("an orphan group under /aws/lambda/ with no function",
            "/aws/lambda/datalake-alpha-retired-importer" in got and
            "datalake-alpha-retired-importer" not in fns, sorted(got))
    t.equal("DISABLED schedule, ENABLED ones",
            (rules_of(c, FN + "datalake-alpha-quicksight-authors-datasets-"
                      "to-s3-curated"),
             rules_of(c, FN + "datalake-alpha-dynamodb-datalake-"
                      "reconciliation")),
            ({"datalake-alpha-quicksight-authors-datasets-to-s3-curated-"
              "schedule": "DISABLED"},
             {"datalake-alpha-dynamodb-datalake-reconciliation-schedule":
              "ENABLED"}))
    t.equal("a rule with several targets is found by each",
            (rules_of(c, FN + "datalake-alpha-mambu-to-s3-raw"),
             rules_of(c, "arn:aws:sqs:eu-west-1:111111111111:"
                      "datalake-alpha-schedule-audit")),
            ({"datalake-alpha-mambu-to-s3-raw-schedule": "ENABLED"},) * 2)
    states = {}
    for fn in ("dynamo-customers-to-s3-raw", "dynamo-sls-cards-to-s3-raw"):
        r, doc = c.json("GET", "/2015-03-31/event-source-mappings/"
                        "?FunctionName=datalake-alpha-" + fn)
        states[fn] = [m["State"] for m in doc["EventSourceMappings"]]
    t.equal("mappings: customers Enabled, sls-cards Disabled", states,
            {"dynamo-customers-to-s3-raw": ["Enabled"],
             "dynamo-sls-cards-to-s3-raw": ["Disabled"]})
    r, doc = c.json("GET", "/2018-10-31/layers/datalake-alpha-aws-wrangler/"
                    "versions")
    pinned = [l["Arn"] for l in fns["datalake-alpha-mambu-datalake-"
                                     "reconciliation"]["Layers"]]
    t.check("mambu-datalake-reconciliation pins an older layer version",
            doc["LayerVersions"][0]["Version"] == 3 and
            pinned[0].endswith(":datalake-alpha-aws-wrangler:2"),
            (doc, pinned))


def check_scale(t, c, fa):
    status, doc = fa.admin_raw("POST", "lambda/scale",
                               {"account": "sandbox", "count": 60})
    t.check("lambda/scale adds the functions it names",
            status == 200 and len(doc["functions"]) == 60 and
            doc["functions"][0] == "datalake-sandbox-scale-0001", doc)
    again = fa.admin_raw("POST", "lambda/scale",
                         {"account": "sandbox", "count": 60})
    health = fa.admin("GET", "health")
    t.equal("asked twice, it adds nothing twice",
            (again[1]["functions"] == doc["functions"],
             health["functions"]["222222222222"]), (True, 8 + 60))
    got = groups(c, "/aws/lambda/datalake-sandbox-scale-", keys=SANDBOX)
    g = got.get("/aws/lambda/datalake-sandbox-scale-0060", {})
    t.check("each has its group, 14 days", len(got) == 60 and
            g.get("retentionInDays") == 14, g)
    r, doc = c.json("POST", "/", json.dumps({
        "logGroupName": "/aws/lambda/datalake-sandbox-scale-0060"}).encode(),
        [("X-Amz-Target", "Logs_20140328.DescribeSubscriptionFilters"),
         ("Content-Type", "application/x-amz-json-1.1")],
        service="logs", keys=SANDBOX)
    t.check("and its subscription filter",
            len(doc.get("subscriptionFilters", [])) == 1, doc)
    r, doc = c.json("POST", "/", json.dumps({
        "TargetArn": "arn:aws:lambda:eu-west-1:222222222222:function:"
        "datalake-sandbox-scale-0007"}).encode(),
        events_headers("ListRuleNamesByTarget"), service="events",
        keys=SANDBOX)
    t.equal("and its schedule rule", doc.get("RuleNames"),
            ["datalake-sandbox-scale-0007-schedule"])
    r, doc = c.json("GET", "/2015-03-31/functions/datalake-sandbox-scale-"
                    "0007", keys=SANDBOX)
    layers = [l["Arn"].rsplit(":", 2)[1:] for l in
              doc["Configuration"]["Layers"]]
    t.equal("it pins the newest layer versions", layers,
            [["datalake-sandbox-aws-wrangler", "3"],
             ["datalake-sandbox-flattenjson", "2"]])
    r, body = c.send("POST", "/", ("Action=DescribeAlarms&Version=2010-08-01"
                                   "&AlarmNamePrefix=datalake-sandbox-scale-"
                                   "0007-").encode(),
                     [("Content-Type",
                       "application/x-www-form-urlencoded")],
                     service="monitoring", keys=SANDBOX)
    t.check("and its three alarms", r.status == 200 and all(
        ("<AlarmName>datalake-sandbox-scale-0007-%s</AlarmName>" % s)
        in body.decode() for s in ("errors", "throttles", "duration")),
        body[:400])
    for bad in ({"account": "sandbox", "count": -1},
                {"account": "sandbox", "count": "9"},
                {"account": "nowhere", "count": 1},
                {"account": "sandbox", "count": 1, "prefix": "a b"}):
        status, doc = fa.admin_raw("POST", "lambda/scale", bad)
        t.check("lambda/scale refuses %s" % json.dumps(bad),
                status == 400 and "lambda/scale" in doc.get("error", ""),
                (status, doc))


def main():
    t = Checks("test_audit_facts")
    with FakeAws() as fa:
        c = Client(fa)
        check_filters(t, c)
        check_retention(t, c)
        check_seeded_findings(t, c)
        check_scale(t, c, fa)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
