#!/usr/bin/env python3
"""fakeaws's own behaviour over raw HTTP: routing, error shapes, paging,
auth failures, faults, OIDC refresh and the admin endpoints.

Requests here are signed with the checker's own primitives, so these tests
do not prove the signer right (the aws CLI test does); they pin the rest.
"""

import hashlib
import hmac
import http.client
import json
import os
import sys
import time
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Checks, FakeAws  # noqa: E402
from fakeawslib import errors, faults, sigv4  # noqa: E402

ALPHA = ("AKIAFAKEALPHA0000001", "fakeAlphaSecretKey0000000000000000000001")
SANDBOX = ("AKIAFAKESANDBOX00001",
           "fakeSandboxSecretKey00000000000000000001")


class Client:
    def __init__(self, fa):
        self.fa = fa
        self.conn = http.client.HTTPConnection("127.0.0.1", fa.port,
                                               timeout=10)

    def send(self, method, target, body=b"", headers=None, keys=ALPHA,
             service="lambda", when=None, token=None, new_conn=False,
             s3_payload=None, unsigned=()):
        if new_conn:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.fa.port,
                                                   timeout=10)
        hdrs = [("Host", "127.0.0.1:%d" % self.fa.port)] + list(headers or [])
        if keys:
            when = when or datetime.now(timezone.utc)
            amz = when.strftime("%Y%m%dT%H%M%SZ")
            hdrs.append(("X-Amz-Date", amz))
            if token:
                hdrs.append(("X-Amz-Security-Token", token))
            payload = s3_payload or hashlib.sha256(
                body if isinstance(body, bytes) else b"").hexdigest()
            if service == "s3" and s3_payload != "":
                hdrs.append(("x-amz-content-sha256", payload))
            signed = sorted({n.lower() for n, _ in hdrs} - set(unsigned))
            canonical = sigv4.canonical_request(method, target, hdrs, signed,
                                                payload, s3=service == "s3")
            scope = "%s/eu-west-1/%s/aws4_request" % (amz[:8], service)
            sts = sigv4.string_to_sign(amz, scope, canonical)
            key = sigv4.signing_key(keys[1], amz[:8], "eu-west-1", service)
            sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
            hdrs.append(("Authorization",
                         "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s,"
                         " Signature=%s" % (keys[0], scope, ";".join(signed),
                                            sig)))
        self.conn.request(method, target, body=body, headers=dict(hdrs))
        r = self.conn.getresponse()
        data = r.read()
        return r, data

    def json(self, *args, **kw):
        r, data = self.send(*args, **kw)
        try:
            doc = json.loads(data)
        except ValueError:
            doc = {"_raw": data.decode("utf-8", "replace")}
        return r, doc


def form(action, **params):
    params.update(Action=action, Version="2011-06-15")
    from urllib.parse import urlencode
    return urlencode(params).encode()


FORM = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]


def events_headers(op):
    return [("X-Amz-Target", "AWSEvents." + op),
            ("Content-Type", "application/x-amz-json-1.1")]


def check_errors(t, c):
    r, doc = c.json("GET", "/2015-03-31/functions", keys=None)
    t.check("unsigned Lambda: 403 MissingAuthenticationTokenException",
            r.status == 403 and r.getheader("x-amzn-ErrorType") ==
            "MissingAuthenticationTokenException" and
            doc == {"message": "Missing Authentication Token"} and
            r.getheader("x-amzn-RequestId") and r.getheader("Date"),
            (r.status, doc))
    old = datetime.now(timezone.utc) - timedelta(minutes=20)
    r, doc = c.json("GET", "/2015-03-31/functions", when=old)
    t.check("skewed Lambda request: InvalidSignatureException expired",
            r.status == 403 and r.getheader("x-amzn-ErrorType") ==
            "InvalidSignatureException" and
            doc.get("message", "").startswith("Signature expired: "),
            (r.status, doc))
    r, data = c.send("POST", "/", form("GetCallerIdentity"), FORM,
                     service="sts", when=old)
    t.check("skewed STS request: SignatureDoesNotMatch expired",
            r.status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in data
            and b"Signature expired" in data, data)
    r, data = c.send("POST", "/", form("GetCallerIdentity"), FORM,
                     service="lambda")
    t.check("wrong service in scope is refused",
            r.status == 403 and b"scoped to correct service: 'sts'" in data,
            data)
    r, data = c.send("GET", "/?" + form("GetCallerIdentity").decode(),
                     service="sts")
    t.check("STS by GET with the query in the URL",
            r.status == 200 and b"<Account>111111111111</Account>" in data,
            data)
    r, data = c.send("POST", "/", form(
        "AssumeRole", RoleArn="arn:aws:iam::111111111111:role/"
        "DataLakeReadOnly", RoleSessionName="long", DurationSeconds="7200"),
        FORM, service="sts")
    t.check("AssumeRole over the role's MaxSessionDuration: ValidationError",
            r.status == 400 and b"<Code>ValidationError</Code>" in data and
            b"MaxSessionDuration" in data, data)
    r, data = c.send("POST", "/", form("NoSuchThing"), FORM, service="sts")
    t.check("STS unknown action: InvalidAction",
            r.status == 400 and b"<Code>InvalidAction</Code>" in data and
            b"<Type>Sender</Type>" in data, data)
    r, doc = c.json("GET", "/2015-03-31/nothing-here")
    t.check("Lambda unknown operation: 404 UnknownOperationException",
            r.status == 404 and r.getheader("x-amzn-ErrorType") ==
            "UnknownOperationException", (r.status, doc))
    r, doc = c.json("POST", "/", b"{}",
                    [("X-Amz-Target", "NoSuchService_20990101.ListThings"),
                     ("Content-Type", "application/x-amz-json-1.0")],
                    service="dynamodb")
    t.check("json service not served: __type UnknownOperationException",
            r.status == 400 and doc.get("__type") ==
            "UnknownOperationException" and r.getheader("Content-Type") ==
            "application/x-amz-json-1.1", (r.status, doc))
    r, doc = c.json("POST", "/", b'{"Name": "nope"}',
                    events_headers("DescribeRule"), service="events")
    t.check("EventBridge missing rule: ResourceNotFoundException",
            r.status == 400 and doc.get("__type") ==
            "ResourceNotFoundException" and doc.get("message") ==
            "Rule nope does not exist on EventBus default.", (r.status, doc))
    r, doc = c.json("GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-"
                    "west-1%3A222222222222%3Afunction%3Adatalake-sandbox-"
                    "mambu-to-s3-raw")
    t.check("another account's ARN: ResourceNotFoundException, Lambda body",
            r.status == 404 and doc.get("Type") == "User" and
            doc.get("Message", "").startswith("Function not found: "),
            (r.status, doc))


def check_paging(t, c):
    r1, d1 = c.json("GET", "/2015-03-31/functions")
    r2, d2 = c.json("GET", "/2015-03-31/functions/")
    t.check("ListFunctions with and without the trailing slash",
            r1.status == r2.status == 200 and d1 == d2 and
            len(d1["Functions"]) == 50 and "NextMarker" in d1, r1.status)
    r, doc = c.json("GET", "/2015-03-31/functions/?MaxItems=500")
    t.equal("MaxItems above 50 is capped", len(doc.get("Functions", [])), 50)
    names, marker, pages = [], None, 0
    while pages < 50:
        q = "MaxItems=7&FunctionVersion=ALL" + (
            "&Marker=" + marker if marker else "")
        r, doc = c.json("GET", "/2015-03-31/functions/?" + q)
        if r.status != 200:
            break
        pages += 1
        names += [f["FunctionName"] for f in doc["Functions"]]
        marker = doc.get("NextMarker")
        if not marker:
            break
    t.equal("paging by 7 sees every function once",
            (pages, len(names), len(set(names))), (9, 58, 58))
    r, doc = c.json("GET", "/2015-03-31/functions/?Marker=bogus")
    t.check("a bad Marker: InvalidParameterValueException",
            r.status == 400 and r.getheader("x-amzn-ErrorType") ==
            "InvalidParameterValueException", (r.status, doc))
    r, doc = c.json("GET", "/2018-10-31/layers/datalake-alpha-flattenjson/"
                    "versions")
    t.equal("ListLayerVersions, newest first",
            [v["Version"] for v in doc.get("LayerVersions", [])], [2, 1])


def check_lambda_details(t, c):
    r, doc = c.json("GET", "/2018-10-31/layers/datalake-alpha-aws-wrangler/"
                    "versions/2")
    t.check("GetLayerVersion: Content with Location, CodeSize",
            r.status == 200 and doc.get("Version") == 2 and
            doc["Content"]["CodeSize"] == 43819211 and
            doc["Content"]["Location"].startswith("https://") and
            "LayerName" not in doc, (r.status, doc))
    r, doc = c.json("GET", "/2018-10-31/layers/datalake-alpha-aws-wrangler/"
                    "versions/7")
    t.check("GetLayerVersion of a missing version: 404",
            r.status == 404 and r.getheader("x-amzn-ErrorType") ==
            "ResourceNotFoundException", (r.status, doc))
    r, doc = c.json("GET", "/2018-10-31/layers")
    t.equal("ListLayers: latest matching version per layer",
            [(x["LayerName"], x["LatestMatchingVersion"]["Version"])
             for x in doc.get("Layers", [])],
            [("datalake-alpha-aws-wrangler", 3),
             ("datalake-alpha-flattenjson", 2)])
    r, doc = c.json("GET", "/2015-03-31/functions/datalake-alpha-dynamo-"
                    "sls-cards-to-s3-raw/configuration")
    t.equal("some functions use an older layer version",
            [x["Arn"].rsplit(":", 1)[1] for x in doc.get("Layers", [])],
            ["2", "1"])
    r, doc = c.json("GET", "/2015-03-31/event-source-mappings/?FunctionName="
                    "datalake-alpha-dynamo-customers-to-s3-raw")
    maps = doc.get("EventSourceMappings", [])
    t.check("ListEventSourceMappings: the function's DynamoDB stream",
            r.status == 200 and len(maps) == 1 and
            maps[0]["EventSourceArn"].startswith(
                "arn:aws:dynamodb:eu-west-1:111111111111:table/customers/"
                "stream/") and maps[0]["State"] == "Enabled" and
            isinstance(maps[0]["LastModified"], (int, float)), doc)
    r, doc = c.json("GET", "/2015-03-31/event-source-mappings/?MaxItems=1")
    r2, doc2 = c.json("GET", "/2015-03-31/event-source-mappings/?MaxItems=1"
                      "&Marker=" + doc.get("NextMarker", "none"))
    t.check("ListEventSourceMappings pages by Marker",
            len(doc.get("EventSourceMappings", [])) == 1 and
            len(doc2.get("EventSourceMappings", [])) == 1 and
            "NextMarker" not in doc2 and doc["EventSourceMappings"] !=
            doc2["EventSourceMappings"], (doc, doc2))
    r, doc = c.json("GET", "/2019-09-30/functions/datalake-alpha-mambu-to-"
                    "s3-raw/concurrency")
    r2, doc2 = c.json("GET", "/2019-09-30/functions/legacy-export-job/"
                      "concurrency")
    t.equal("GetFunctionConcurrency: reserved or empty",
            (doc, doc2), ({"ReservedConcurrentExecutions": 1}, {}))


def check_events(t, c):
    fn = "arn:aws:lambda:eu-west-1:111111111111:function:datalake-alpha-"
    schedules = {}
    for folder in ("mambu-to-s3-raw", "mambu-datalake-reconciliation",
                   "salesforce-cases-to-s3-raw", "legacy-export-job"):
        arn = fn + folder if folder != "legacy-export-job" else \
            fn.replace("datalake-alpha-", "") + folder
        r, doc = c.json("POST", "/", json.dumps({"TargetArn": arn}).encode(),
                        events_headers("ListRuleNamesByTarget"),
                        service="events")
        for name in doc.get("RuleNames", []):
            r, rule = c.json("POST", "/", json.dumps({"Name": name}).encode(),
                             events_headers("DescribeRule"), service="events")
            schedules[folder] = (rule.get("ScheduleExpression"),
                                 rule.get("State"), rule.get("EventBusName"))
    t.equal("EventBridge: each function's schedule through its rule",
            schedules,
            {"mambu-to-s3-raw": ("rate(15 minutes)", "ENABLED", "default"),
             "mambu-datalake-reconciliation": ("cron(0 3 * * ? *)",
                                               "ENABLED", "default"),
             "salesforce-cases-to-s3-raw": ("rate(1 hour)", "ENABLED",
                                            "default")})
    r, doc = c.json("POST", "/", b'{"TargetArn": "x", "Limit": 0}',
                    events_headers("ListRuleNamesByTarget"), service="events")
    t.check("EventBridge Limit 0: ValidationException",
            r.status == 400 and doc.get("__type") == "ValidationException",
            (r.status, doc))


def logs_call(c, op, body):
    return c.json("POST", "/", json.dumps(body).encode(),
                  [("X-Amz-Target", "Logs_20140328." + op),
                   ("Content-Type", "application/x-amz-json-1.1")],
                  service="logs")


def filter_all(c, body, max_pages=500):
    """Every page of FilterLogEvents: (events, pages, empty pages)."""
    events, pages, empty, token = [], 0, 0, None
    while pages < max_pages:
        req = dict(body, **({"nextToken": token} if token else {}))
        r, doc = logs_call(c, "FilterLogEvents", req)
        if r.status != 200:
            return None, pages, (r.status, doc)
        pages += 1
        events += doc["events"]
        empty += not doc["events"]
        token = doc.get("nextToken")
        if not token:
            break
    return events, pages, empty


def check_logs(t, c, fa):
    names, token = [], None
    for _ in range(10):
        r, doc = logs_call(c, "DescribeLogGroups", dict(
            {"logGroupNamePrefix": "/aws/lambda/", "limit": 3},
            **({"nextToken": token} if token else {})))
        names += [g["logGroupName"] for g in doc.get("logGroups", [])]
        token = doc.get("nextToken")
        if not token:
            break
    t.check("DescribeLogGroups pages by 3 over the 8 seeded groups",
            len(names) == 8 and names == sorted(set(names)) and
            r.getheader("Content-Type") == "application/x-amz-json-1.1",
            names)
    r, doc = logs_call(c, "DescribeLogGroups",
                       {"logGroupNamePattern": "Reconciliation"})
    r2, doc2 = logs_call(c, "DescribeLogGroups",
                         {"logGroupNamePattern": "reconciliation"})
    t.check("logGroupNamePattern: case-sensitive, three fields",
            doc.get("logGroups") == [] and
            [sorted(g) for g in doc2.get("logGroups", [])] ==
            [["arn", "creationTime", "logGroupName"]] * 2, (doc, doc2))
    r, doc = logs_call(c, "DescribeLogGroups", {"limit": 51})
    t.check("DescribeLogGroups limit 51: InvalidParameterException",
            r.status == 400 and doc.get("__type") ==
            "InvalidParameterException", (r.status, doc))
    r, doc = logs_call(c, "FilterLogEvents", {"logGroupName": "/nope"})
    t.equal("missing log group: ResourceNotFoundException",
            (r.status, doc), (400, {"__type": "ResourceNotFoundException",
                                    "message": "The specified log group "
                                    "does not exist."}))

    group = "/aws/lambda/datalake-alpha-mambu-to-s3-raw"
    r, doc = logs_call(c, "DescribeLogStreams", {
        "logGroupName": group, "orderBy": "LastEventTime",
        "descending": True})
    streams = doc.get("logStreams", [])
    t.check("DescribeLogStreams: Lambda-named streams, newest first",
            streams and all(s["logStreamName"].startswith(
                time.strftime("%Y/%m/")) and "/[$LATEST]" in
                s["logStreamName"] and s["storedBytes"] == 0 and
                s["lastIngestionTime"] >= s["lastEventTimestamp"]
                for s in streams) and
            [s["lastEventTimestamp"] for s in streams] ==
            sorted((s["lastEventTimestamp"] for s in streams), reverse=True),
            doc)
    r, doc = logs_call(c, "DescribeLogStreams", {
        "logGroupName": group, "orderBy": "LastEventTime",
        "logStreamNamePrefix": "2026"})
    t.check("DescribeLogStreams prefix with LastEventTime is refused",
            doc.get("__type") == "InvalidParameterException", doc)
    history, pages, empty = filter_all(c, {"logGroupName": group,
                                           "limit": 100})
    msgs = [e["message"] for e in history or []]
    starts = sum(m.startswith("START RequestId: ") for m in msgs)
    t.check("generated history: a few hundred Lambda-shaped events",
            200 <= len(msgs) <= 600 and pages >= 3 and starts >= 10 and
            sum(m.startswith("END RequestId: ") for m in msgs) == starts and
            sum(m.startswith("REPORT RequestId: ") for m in msgs) == starts
            and any("Init Duration: " in m for m in msgs) and
            any("\tINFO\t" in m or '"level": "INFO"' in m for m in msgs),
            (len(msgs), pages, starts))
    keys = [(e["timestamp"], e["ingestionTime"]) for e in history or []]
    ids = [e["eventId"] for e in history or []]
    t.check("FilterLogEvents: sorted, eventIds unique digit strings",
            keys == sorted(keys) and len(set(ids)) == len(ids) and
            all(i.isdigit() and len(i) >= 32 for i in ids), keys[:5])

    # Exact events through the admin hook, then read back every way.
    t0 = int(time.time() * 1000) - 60000
    written = [{"timestamp": t0 + i // 2, "message": m} for i, m in
               enumerate(["ERROR boom %d" % i if i % 5 == 0 else
                          '{"level": "%s", "latency": %d}' % (
                              "WARN" if i % 3 else "INFO", i * 40)
                          if i % 2 else "INFO plain %d" % i
                          for i in range(25)])]
    fa.admin("POST", "logs/put", {"group": "/test/exact", "stream": "s1",
                                  "events": written[:13]})
    fa.admin("POST", "logs/put", {"group": "/test/exact", "stream": "s2",
                                  "events": written[13:]})
    back = fa.admin("GET", "logs/written?group=/test/exact")["events"]
    t.equal("logs/written returns what logs/put wrote",
            sorted((e["timestamp"], e["message"]) for e in back),
            sorted((e["timestamp"], e["message"]) for e in written))
    got, pages, empty = filter_all(c, {"logGroupName": "/test/exact",
                                       "limit": 4})
    t.check("FilterLogEvents pages by 4 give every written event once",
            got is not None and [e["eventId"] for e in got] ==
            [e["eventId"] for e in back] and pages == 7, (pages, empty))
    got, _, _ = filter_all(c, {"logGroupName": "/test/exact",
                               "startTime": t0 + 2, "endTime": t0 + 4})
    t.equal("FilterLogEvents endTime is inclusive",
            len(got or []), 6)
    for pattern, want in (("ERROR", 5), ("ERROR -boom", 0),
                          ('{ $.latency > 400 }', 6), ("?plain ?boom", 15),
                          ('{ $.level = "WARN" && $.latency < 200 }', 1)):
        got, _, _ = filter_all(c, {"logGroupName": "/test/exact",
                                   "filterPattern": pattern})
        t.equal("filterPattern %r" % pattern, len(got or []), want)
    r, doc = logs_call(c, "FilterLogEvents", {"logGroupName": "/test/exact",
                                              "filterPattern": "{ $.x = "})
    t.equal("a broken filter pattern: InvalidParameterException",
            (r.status, doc.get("__type"), doc.get("message")),
            (400, "InvalidParameterException", "Invalid filter pattern"))
    got, _, _ = filter_all(c, {"logGroupName": "/test/exact",
                               "logStreamNames": ["s2"]})
    t.equal("logStreamNames selects streams", len(got or []), 12)

    # GetLogEvents: forward from the head until the token comes back.
    seen, token, calls = [], None, 0
    while calls < 20:
        body = {"logGroupName": "/test/exact", "logStreamName": "s1",
                "startFromHead": True, "limit": 5}
        if token:
            body["nextToken"] = token
        r, doc = logs_call(c, "GetLogEvents", body)
        calls += 1
        seen += doc.get("events", [])
        if doc.get("nextForwardToken") == token:
            break
        token = doc.get("nextForwardToken")
    t.check("GetLogEvents forward paging ends when the token repeats",
            [e["message"] for e in seen] ==
            [e["message"] for e in written[:13]] and calls == 4 and
            all("eventId" not in e for e in seen), (calls, len(seen)))
    r, doc = logs_call(c, "GetLogEvents", {
        "logGroupName": "/test/exact", "logStreamName": "s1", "limit": 3})
    r2, doc2 = logs_call(c, "GetLogEvents", {
        "logGroupName": "/test/exact", "logStreamName": "s1", "limit": 3,
        "nextToken": doc.get("nextBackwardToken")})
    t.equal("GetLogEvents from the tail, then backwards",
            [e["message"] for e in doc2.get("events", []) +
             doc.get("events", [])],
            [e["message"] for e in written[7:13]])
    r, doc = logs_call(c, "GetLogEvents", {
        "logGroupName": "/test/exact", "logStreamName": "s1",
        "startTime": t0 + 2, "endTime": t0 + 4, "startFromHead": True})
    t.equal("GetLogEvents endTime is exclusive", len(doc.get("events", [])),
            4)

    # Ingestion delay: invisible until ingested.
    now = int(time.time() * 1000)
    fa.admin("POST", "logs/put", {"group": "/test/exact", "stream": "late",
                                  "events": [{"timestamp": now,
                                              "message": "late one"}],
                                  "ingestionDelayMs": 1200})
    before, _, _ = filter_all(c, {"logGroupName": "/test/exact",
                                  "filterPattern": '"late one"'})
    time.sleep(1.3)
    after, _, _ = filter_all(c, {"logGroupName": "/test/exact",
                                 "filterPattern": '"late one"'})
    t.equal("an event is visible only once ingested",
            (len(before or []), len(after or [])), (0, 1))

    # 1 MB pages.
    big = [{"timestamp": t0 + i, "message": "%d" % i + "y" * 200000}
           for i in range(7)]
    fa.admin("POST", "logs/put", {"group": "/test/big", "stream": "s",
                                  "events": big})
    r, doc = logs_call(c, "FilterLogEvents", {"logGroupName": "/test/big"})
    t.check("FilterLogEvents pages stop at 1 MB",
            len(doc.get("events", [])) == 5 and doc.get("nextToken"),
            len(doc.get("events", [])))

    # PutLogEvents.
    r, doc = logs_call(c, "CreateLogStream", {"logGroupName": group,
                                              "logStreamName": "put-test"})
    r2, doc2 = logs_call(c, "CreateLogStream", {"logGroupName": group,
                                                "logStreamName": "put-test"})
    t.check("CreateLogStream, then again: ResourceAlreadyExistsException",
            r.status == 200 and doc2.get("__type") ==
            "ResourceAlreadyExistsException", (doc, doc2))
    now = int(time.time() * 1000)
    r, doc = logs_call(c, "PutLogEvents", {
        "logGroupName": group, "logStreamName": "put-test",
        "logEvents": [{"timestamp": now, "message": "put one"},
                      {"timestamp": now + 1, "message": "put two"},
                      {"timestamp": now + 3 * 3600000, "message": "new"}]})
    r2, doc2 = logs_call(c, "PutLogEvents", {
        "logGroupName": group, "logStreamName": "put-test",
        "logEvents": [{"timestamp": now - 15 * 86400000, "message": "old"}]})
    t.check("PutLogEvents keeps the good, reports too new and expired",
            r.status == 200 and doc.get("nextSequenceToken") and
            doc.get("rejectedLogEventsInfo") == {
                "tooNewLogEventStartIndex": 2} and
            doc2.get("rejectedLogEventsInfo") == {
                "expiredLogEventEndIndex": 0} and
            doc2["nextSequenceToken"] != doc["nextSequenceToken"],
            (doc, doc2))
    r, doc = logs_call(c, "PutLogEvents", {
        "logGroupName": group, "logStreamName": "put-test",
        "logEvents": [{"timestamp": now, "message": "b"},
                      {"timestamp": now - 1, "message": "a"}]})
    t.check("PutLogEvents out of order: InvalidParameterException",
            doc.get("__type") == "InvalidParameterException", doc)
    back = fa.admin("GET", "logs/written?group=" + group)["events"]
    t.equal("logs/written sees PutLogEvents' events",
            [e["message"] for e in back], ["put one", "put two"])
    fa.admin("POST", "faults", {"spec": "throttle=1"})
    r, doc = logs_call(c, "DescribeLogGroups", {})
    fa.admin("POST", "faults", {"spec": ""})
    t.equal("Logs under the throttle fault: 400 ThrottlingException",
            (r.status, doc), (400, {"__type": "ThrottlingException",
                                    "message": "Rate exceeded"}))


def check_logs_options(t):
    # A second server: empty pages on purpose, and hostile content.
    with FakeAws("--empty-pages", "0.5", "--hostile-logs",
                 "--log-events-per-function", "120") as fa:
        c = Client(fa)
        group = "/aws/lambda/datalake-alpha-mambu-to-s3-raw"
        got, pages, empty = filter_all(c, {"logGroupName": group,
                                           "limit": 20})
        want = fa.admin("GET", "logs/written?all=1&group=" + group)["events"]
        t.check("--empty-pages: empty pages with a nextToken, nothing lost",
                got is not None and empty >= 1 and
                [e["eventId"] for e in got] == [e["eventId"] for e in want],
                (pages, empty, len(got or []), len(want)))
        msgs = [e["message"] for e in got or []]
        t.check("--hostile-logs: escapes, NUL, U+FFFD, a 256 KiB line",
                any("\x1b]0;" in m for m in msgs) and
                any("\x00" in m for m in msgs) and
                any("\ufffd" in m for m in msgs) and
                any(len(m.encode()) + 26 == 256 * 1024 for m in msgs),
                [m[:30] for m in msgs if not m.isprintable()][:5])


def cw_form(action, **params):
    from urllib.parse import urlencode
    params.update(Action=action, Version="2010-08-01")
    return urlencode(params).encode()


def check_alarms(t, c):
    import xml.etree.ElementTree as ET
    ns = "{http://monitoring.amazonaws.com/doc/2010-08-01/}"

    def names(data, kind):
        root = ET.fromstring(data)
        return [m.findtext(ns + "AlarmName") for m in root.iter(ns + kind)
                for m in m.findall(ns + "member")]
    r, data = c.send("POST", "/", cw_form("DescribeAlarms"), FORM,
                     service="monitoring")
    metric = names(data, "MetricAlarms")
    t.check("DescribeAlarms: metric alarms only, in the monitoring "
            "namespace", r.status == 200 and len(metric) == 25 and
            b'<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com'
            b'/doc/2010-08-01/">' in data and b"<CompositeAlarms>" not in
            data and b"<Threshold>0.0</Threshold>" in data, data[:300])
    r, data = c.send("POST", "/", cw_form(
        "DescribeAlarms", StateValue="ALARM", **{
            "AlarmTypes.member.1": "MetricAlarm",
            "AlarmTypes.member.2": "CompositeAlarm"}), FORM,
        service="monitoring")
    t.equal("DescribeAlarms StateValue ALARM with both types",
            (names(data, "MetricAlarms"), names(data, "CompositeAlarms")),
            (["datalake-alpha-mambu-datalake-reconciliation-errors",
              "datalake-alpha-mambu-to-s3-raw-freshness"],
             ["datalake-alpha-pipeline-health"]))
    seen, token = [], None
    for _ in range(10):
        extra = {"NextToken": token} if token else {}
        r, data = c.send("POST", "/", cw_form(
            "DescribeAlarms", MaxRecords="3", **extra), FORM,
            service="monitoring")
        seen += names(data, "MetricAlarms")
        token = ET.fromstring(data).findtext(".//" + ns + "NextToken")
        if not token:
            break
    t.equal("DescribeAlarms pages by MaxRecords", (len(seen), len(set(seen))),
            (25, 25))
    r, data = c.send("POST", "/", cw_form(
        "DescribeAlarms", **{"AlarmNames.member.1":
                             "datalake-alpha-mambu-to-s3-raw-errors"}),
        FORM, service="monitoring")
    t.equal("DescribeAlarms by AlarmNames", names(data, "MetricAlarms"),
            ["datalake-alpha-mambu-to-s3-raw-errors"])
    r, data = c.send("POST", "/", cw_form("DescribeAlarms", MaxRecords="0"),
                     FORM, service="monitoring")
    t.check("DescribeAlarms MaxRecords 0: ValidationError in its namespace",
            r.status == 400 and b"<Code>ValidationError</Code>" in data and
            b'<ErrorResponse xmlns="http://monitoring.amazonaws.com/' in data,
            data)
    r, data = c.send("POST", "/", cw_form(
        "DescribeAlarmHistory",
        AlarmName="datalake-alpha-mambu-datalake-reconciliation-errors"),
        FORM, service="monitoring")
    t.check("DescribeAlarmHistory: the state change",
            r.status == 200 and b"Alarm updated from OK to ALARM" in data,
            data[:400])


def check_live_logs(t):
    import re
    from datetime import datetime, timezone
    t0 = int(time.time() * 1000)
    with FakeAws("--generate-logs", "200", "--late-events",
                  "--log-events-per-function", "20") as fa:
        time.sleep(3)
        groups = [(env, "/aws/lambda/datalake-%s-%s" % (env, f))
                  for env in ("alpha", "sandbox") for f in (
                      "mambu-to-s3-raw", "mambu-datalake-reconciliation",
                      "dynamodb-datalake-reconciliation",
                      "dynamo-customers-to-s3-raw",
                      "dynamo-sls-cards-to-s3-raw",
                      "salesforce-cases-to-s3-raw",
                      "quicksight-authors-datasets-to-s3-curated")]
        live, late, stamps, bad = 0, 0, 0, []
        for env, g in groups:
            evs = fa.admin("GET", "logs/written?all=1&account=%s&group=%s"
                           % (env, g))["events"]
            for e in evs:
                m = re.match(r"^(\d{4}-\d\d-\d\dT[\d:.]+)Z\t", e["message"])
                if m:
                    stamps += 1
                    when = datetime.strptime(m.group(1),
                                             "%Y-%m-%dT%H:%M:%S.%f")
                    ms = int(when.replace(tzinfo=timezone.utc).timestamp() *
                             1000 + 0.5)
                    if ms != e["timestamp"]:
                        bad.append((ms, e["timestamp"]))
                if e["ingestionTime"] < t0:
                    continue
                live += 1
                earlier = [x["timestamp"] for x in evs
                           if x["ingestionTime"] < e["ingestionTime"]]
                if earlier and e["timestamp"] <= max(earlier) - 4000:
                    late += 1
        t.check("--generate-logs appends events while running",
                live >= 100, live)
        t.check("--late-events: some events older than ones already "
                "ingested", late >= 1, late)
        t.check("text lines carry their event's own timestamp",
                stamps > 50 and not bad, bad[:3])


def check_keepalive(t, c):
    c.send("GET", "/_fakeaws/health", keys=None, new_conn=True)
    sock = c.conn.sock
    r, _ = c.send("GET", "/_fakeaws/health", keys=None)
    t.check("HTTP/1.1 keep-alive reuses the connection",
            r.status == 200 and c.conn.sock is sock and sock is not None)


def check_oidc(t, c):
    r, client = c.json("POST", "/client/register", json.dumps(
        {"clientName": "t", "clientType": "public"}).encode(), keys=None)
    cid, secret = client.get("clientId"), client.get("clientSecret")
    r, dev = c.json("POST", "/device_authorization", json.dumps(
        {"clientId": cid, "clientSecret": secret,
         "startUrl": "https://datalake-demo.awsapps.com/start"}).encode(),
        keys=None)
    grant = {"clientId": cid, "clientSecret": secret,
             "grantType": "urn:ietf:params:oauth:grant-type:device_code",
             "deviceCode": dev.get("deviceCode")}
    r, doc = c.json("POST", "/token", json.dumps(grant).encode(), keys=None)
    t.check("pending device: 400 authorization_pending OAuth body",
            r.status == 400 and doc.get("error") == "authorization_pending"
            and "error_description" in doc and
            r.getheader("x-amzn-ErrorType") == "AuthorizationPendingException",
            (r.status, doc))
    r, tok = c.json("POST", "/token", json.dumps(grant).encode(), keys=None)
    refresh = {"clientId": cid, "clientSecret": secret,
               "grantType": "refresh_token",
               "refreshToken": tok.get("refreshToken")}
    r, new = c.json("POST", "/token", json.dumps(refresh).encode(), keys=None)
    t.check("refresh_token grant gives a new access token",
            r.status == 200 and new.get("accessToken") and
            new["accessToken"] != tok.get("accessToken"), (r.status, new))
    r, doc = c.json("POST", "/token", json.dumps(refresh).encode(), keys=None)
    t.check("a spent refresh token: invalid_grant",
            r.status == 400 and doc.get("error") == "invalid_grant", doc)
    r, doc = c.json("GET", "/assignment/accounts", keys=None, headers=[
        ("x-amz-sso_bearer_token", new.get("accessToken", "x"))])
    t.equal("ListAccounts", sorted(a["accountId"] for a in
                                   doc.get("accountList", [])),
            ["111111111111", "222222222222"])
    r, doc = c.json("GET", "/federation/credentials?role_name=Nope&"
                    "account_id=111111111111", keys=None, headers=[
                        ("x-amz-sso_bearer_token", new.get("accessToken"))])
    t.check("unassigned role: 403 ForbiddenException", r.status == 403 and
            r.getheader("x-amzn-ErrorType") == "ForbiddenException", doc)


def check_faults(t, c, fa):
    fa.admin("POST", "faults", {"spec": "throttle=1"})
    r, doc = c.json("GET", "/2015-03-31/functions")
    t.check("Lambda throttle: 429 TooManyRequestsException",
            r.status == 429 and doc.get("Reason") ==
            "CallerRateLimitExceeded" and doc.get("message") ==
            "Rate exceeded", (r.status, doc))
    r, data = c.send("POST", "/", form("GetCallerIdentity"), FORM,
                     service="sts")
    t.check("STS throttle: 400 Throttling", r.status == 400 and
            b"<Code>Throttling</Code>" in data, data)
    t.equal("admin endpoints are never faulted",
            fa.admin("GET", "health")["status"], "ok")
    fa.admin("POST", "faults", {"500": 1})
    r, doc = c.json("GET", "/2015-03-31/functions")
    t.check("Lambda 500: ServiceException", r.status == 500 and
            r.getheader("x-amzn-ErrorType") == "ServiceException", doc)
    fa.admin("POST", "faults", {"spec": "503=1"})
    r, doc = c.json("POST", "/client/register", b"{}", keys=None)
    t.check("faults reach OIDC too: 503", r.status == 503, (r.status, doc))
    fa.admin("POST", "faults", {"spec": "reset=1"})
    try:
        c.send("GET", "/2015-03-31/functions", new_conn=True)
        ok = False
    except (ConnectionError, http.client.RemoteDisconnected):
        ok = True
    t.check("reset: the connection drops unanswered", ok)
    fa.admin("POST", "faults", {"spec": "truncate=1"})
    try:
        c.send("GET", "/2015-03-31/functions", new_conn=True)
        ok = False
    except http.client.IncompleteRead:
        ok = True
    t.check("truncate: fewer bytes than Content-Length", ok)
    fa.admin("POST", "faults", {"spec": "stall=1", "stall_seconds": 0.4})
    start = time.time()
    r, _ = c.send("GET", "/2015-03-31/functions", new_conn=True)
    took = time.time() - start
    t.check("stall: answers normally, late", r.status == 200 and took >= 0.4,
            (r.status, took))
    fa.admin("POST", "faults", {"spec": "hostile=1"})
    r, doc = c.json("GET", "/2015-03-31/functions")
    t.check("hostile: 503 whose code carries OSC, BEL, CSI and a raw 0x9b",
            r.status == 503 and r.getheader("x-amzn-ErrorType") ==
            errors.HOSTILE_CODE and "\x1b]0;" in doc.get("Message", ""),
            (r.status, r.getheader("x-amzn-ErrorType"), doc))
    r, doc = c.json("POST", "/", b"{}", headers=[
        ("X-Amz-Target", "Logs_20140328.DescribeLogGroups"),
        ("Content-Type", "application/x-amz-json-1.1")], service="logs")
    t.check("hostile: the json __type carries them too",
            r.status == 503 and doc.get("__type") == errors.HOSTILE_CODE,
            (r.status, doc))
    t.check("hostile is only named, never in --faults 0.2",
            "hostile" not in faults.parse_spec("0.2"))
    fa.admin("POST", "faults", {"spec": ""})
    try:
        fa.admin("POST", "faults", {"spec": "melt=0.5"})
        ok = False
    except Exception as e:   # urllib raises HTTPError on 400
        ok = getattr(e, "code", None) == 400
    t.check("an unknown fault kind is refused", ok)
    spread = faults.parse_spec("0.2")
    t.check("--faults 0.2 spreads over every kind",
            sorted(spread) == sorted(faults.KINDS) and
            abs(sum(spread.values()) - 0.2) < 1e-9, spread)
    a = faults.Faults("0.5", 9)
    b = faults.Faults("0.5", 9)
    t.equal("faults are deterministic with a seed",
            [a.draw() for _ in range(40)], [b.draw() for _ in range(40)])


def check_clock_skew(t):
    # A server whose clock runs 20 minutes behind: to it, a client with a
    # right clock is 20 minutes fast, and AWS's wording says so.
    with FakeAws("--clock-skew", "-1200") as fa:
        c = Client(fa)
        r, doc = c.json("GET", "/2015-03-31/functions")
        t.check("--clock-skew -1200: InvalidSignatureException not yet "
                "current", r.status == 403 and
                r.getheader("x-amzn-ErrorType") ==
                "InvalidSignatureException" and
                doc.get("message", "").startswith(
                    "Signature not yet current: "), (r.status, doc))
        r, data = c.send("POST", "/", form("GetCallerIdentity"), FORM,
                         service="sts")
        t.check("--clock-skew -1200: STS SignatureDoesNotMatch not yet "
                "current", r.status == 403 and
                b"<Code>SignatureDoesNotMatch</Code>" in data and
                b"Signature not yet current" in data, data)
        late = datetime.now(timezone.utc) - timedelta(minutes=20)
        r, doc = c.json("GET", "/2015-03-31/functions", when=late)
        t.check("--clock-skew -1200: a client 20 minutes slow is right",
                r.status == 200, (r.status, doc))


def check_log(t, fa):
    log = fa.requests()
    lf = [r for r in log if r["operation"] == "ListFunctions"]
    t.check("request log records method, path, service, operation, status",
            lf and all(k in lf[0] for k in ("method", "path", "service",
                                             "status")) and
            lf[0]["service"] == "lambda",
            log[:2])
    t.check("request log has no admin requests",
            not any(r["path"].startswith("/_fakeaws/") for r in log))
    fa.admin("POST", "reset")
    t.equal("reset clears the log", fa.requests(), [])


def check_curl_signer(t, fa):
    """curl's --aws-sigv4 is a second signer fakeaws did not write."""
    import shutil
    import subprocess
    curl = shutil.which("curl")
    if not curl:
        t.skip("curl --aws-sigv4", "curl is not installed")
        return
    user = "%s:%s" % ALPHA
    p = subprocess.run([curl, "-sS", "--aws-sigv4", "aws:amz:eu-west-1:lambda",
                        "--user", user, fa.url + "/2015-03-31/functions/"
                        "datalake-alpha-mambu-to-s3-raw/configuration"],
                       capture_output=True, text=True, timeout=20)
    t.check("curl-signed GetFunctionConfiguration verifies",
            p.returncode == 0 and '"FunctionName":"datalake-alpha-mambu-to-'
            's3-raw"' in p.stdout, p.stdout[:300] + p.stderr)
    p = subprocess.run([curl, "-sS", "--aws-sigv4", "aws:amz:eu-west-1:sts",
                        "--user", user, "-d",
                        "Action=GetCallerIdentity&Version=2011-06-15",
                        fa.url + "/"], capture_output=True, text=True,
                       timeout=20)
    t.check("curl-signed STS form post verifies",
            p.returncode == 0 and "<Account>111111111111</Account>" in
            p.stdout, p.stdout[:300] + p.stderr)


def vm_hwm_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def check_s3(t, c, fa):
    import re
    import tempfile
    r, data = c.send("PUT", "/dlc-server-test", service="s3")
    t.check("s3 CreateBucket", r.status == 200 and
            r.getheader("Location") == "/dlc-server-test", (r.status, data))
    body = b"zip bytes " * 1000
    etag = '"%s"' % hashlib.md5(body).hexdigest()
    r, data = c.send("PUT", "/dlc-server-test/a/./b%20c.zip", body,
                     service="s3")
    t.check("PutObject signed with the real SHA-256, path not normalised",
            r.status == 200 and r.getheader("ETag") == etag and
            r.getheader("x-amz-request-id"), (r.status, data))
    r, data = c.send("HEAD", "/dlc-server-test/a/./b%20c.zip", service="s3")
    t.check("HeadObject finds the key exactly as sent", r.status == 200 and
            r.getheader("Content-Length") == str(len(body)) and
            r.getheader("ETag") == etag and data == b"", r.status)
    r, data = c.send("GET", "/dlc-server-test/a/./b%20c.zip", service="s3")
    t.check("GetObject returns the bytes", r.status == 200 and data == body,
            r.status)
    r, data = c.send("PUT", "/dlc-server-test/u", b"abc", service="s3",
                     s3_payload="UNSIGNED-PAYLOAD")
    t.check("PutObject with UNSIGNED-PAYLOAD", r.status == 200, data)
    r, data = c.send("PUT", "/dlc-server-test/bad", b"abc", service="s3",
                     s3_payload=hashlib.sha256(b"abd").hexdigest())
    code = re.search(rb"<Code>(.*?)</Code>", data)
    t.check("a body that is not what was signed: XAmzContentSHA256Mismatch",
            r.status == 400 and code and
            code.group(1) == b"XAmzContentSHA256Mismatch" and
            r.getheader("Content-Type") == "application/xml", data)
    r, data = c.send("HEAD", "/dlc-server-test/bad", service="s3")
    t.check("...and nothing was stored", r.status == 404 and data == b"",
            r.status)
    r, data = c.send("PUT", "/dlc-server-test/x", b"abc", service="s3",
                     s3_payload="", new_conn=True)
    t.check("no x-amz-content-sha256: InvalidRequest",
            r.status == 400 and b"<Code>InvalidRequest</Code>" in data, data)
    r, data = c.send("PUT", "/dlc-server-test/x", b"abc", service="s3",
                     headers=[("x-amz-meta-a", "1")],
                     unsigned=("x-amz-meta-a",), new_conn=True)
    t.check("an x-amz-* header left unsigned: AccessDenied",
            r.status == 403 and b"<Code>AccessDenied</Code>" in data, data)
    r, data = c.send("PUT", "/dlc-no-bucket/x", b"abc", service="s3",
                     new_conn=True)
    t.check("no such bucket: NoSuchBucket with its name",
            r.status == 404 and b"<Code>NoSuchBucket</Code>" in data and
            b"<BucketName>dlc-no-bucket</BucketName>" in data, data)
    # 64 MB streamed from a file: the server's peak memory barely moves.
    before = vm_hwm_kb(fa.proc.pid)
    with tempfile.TemporaryFile() as f:
        chunk = os.urandom(1024 * 1024)
        sha, md5 = hashlib.sha256(), hashlib.md5()
        for _ in range(64):
            f.write(chunk)
            sha.update(chunk)
            md5.update(chunk)
        f.seek(0)
        c.conn.close()
        c.conn = http.client.HTTPConnection("127.0.0.1", fa.port, timeout=60)
        r, data = c.send("PUT", "/dlc-server-test/big", f, service="s3",
                         s3_payload=sha.hexdigest(),
                         headers=[("Content-Length", str(64 << 20))])
    grew = vm_hwm_kb(fa.proc.pid) - before
    t.check("a 64 MB PutObject is stored with its MD5 ETag",
            r.status == 200 and
            r.getheader("ETag") == '"%s"' % md5.hexdigest(), data)
    t.check("...streamed to disk: server peak memory grew under 16 MB",
            grew < 16 * 1024, "%d KB" % grew)


FN = "datalake-alpha-mambu-to-s3-raw"
FN_ARN = "arn:aws:lambda:eu-west-1:111111111111:function:" + FN
JSON_CT = [("Content-Type", "application/json")]


def make_zip(files):
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def fetch(url):
    """What a client downloading a Location gets: the bytes, or the
    HTTP status of a failure."""
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read()
    except urllib.error.HTTPError as e:
        return e.code
    except ValueError as e:
        return str(e)


def b64sha(data):
    import base64
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def lambda_put(c, what, doc, fn=FN):
    import base64
    if isinstance(doc.get("ZipFile"), bytes):
        doc = dict(doc, ZipFile=base64.b64encode(doc["ZipFile"]).decode())
    return c.json("PUT", "/2015-03-31/functions/%s/%s" % (fn, what),
                  json.dumps(doc).encode(), JSON_CT)


def get_config(c, fn=FN):
    return c.json("GET", "/2015-03-31/functions/%s/configuration" % fn)[1]


def wait_settled(c, fn=FN):
    """Finish the function's update now (the finish_update knob)."""
    c.fa.lambda_knobs(fn, finish_update=True)
    return get_config(c, fn)


def poll_settled(c, fn=FN, seconds=10):
    """Poll until the update's own delay has run out."""
    deadline = time.time() + seconds
    while True:
        cfg = get_config(c, fn)
        if cfg.get("LastUpdateStatus") != "InProgress" or \
                time.time() > deadline:
            return cfg
        time.sleep(0.05)


def is_error(r, doc, status, code, message=None):
    return (r.status == status and r.getheader("x-amzn-ErrorType") == code
            and (message is None or message in (doc.get("message") or
                                                doc.get("Message") or "")))


def check_update_code(t, c, fa):
    before = get_config(c)
    code = make_zip({"lambda_function.py": "def lambda_handler(e, c):\n"
                     "    return 1\n"})
    fa.lambda_knobs(FN, update_delay_ms=1000)
    r, doc = lambda_put(c, "code", {"ZipFile": code})
    t.check("UpdateFunctionCode: 200, CodeSha256 = base64 SHA-256 of the "
            "zip, CodeSize, InProgress, State Active",
            r.status == 200 and doc.get("CodeSha256") == b64sha(code) and
            doc.get("CodeSize") == len(code) and
            doc.get("LastUpdateStatus") == "InProgress" and
            doc.get("State") == "Active" and
            doc.get("FunctionArn") == FN_ARN, (r.status, doc))
    t.check("...LastModified and RevisionId change",
            doc.get("LastModified") != before["LastModified"] and
            len(doc.get("LastModified", "")) == 28 and
            doc["LastModified"].endswith("+0000") and
            doc.get("RevisionId") != before["RevisionId"], doc)
    r, err = lambda_put(c, "code", {"ZipFile": code})
    t.check("a second update while InProgress: 409 ResourceConflictException",
            is_error(r, err, 409, "ResourceConflictException") and
            err.get("message") == "The operation cannot be performed at "
            "this time. An update is in progress for resource: " + FN_ARN,
            (r.status, err))
    cfg = get_config(c)
    t.check("GetFunctionConfiguration sees InProgress and the new code",
            cfg.get("LastUpdateStatus") == "InProgress" and
            cfg.get("CodeSha256") == b64sha(code), cfg)
    cfg = poll_settled(c)
    t.check("...then Successful after the delay",
            cfg.get("LastUpdateStatus") == "Successful" and
            "LastUpdateStatusReason" not in cfg, cfg)
    r, got = c.json("GET", "/2015-03-31/functions/" + FN)
    t.equal("GetFunction shows the new code",
            got.get("Configuration", {}).get("CodeSha256"), b64sha(code))

    fa.lambda_knobs(FN, fail_next_update={
        "reason": "The runtime python2.7 is no longer supported.",
        "code": "InvalidRuntime"})
    r, doc = lambda_put(c, "code", {"ZipFile": code})
    cfg = wait_settled(c)
    t.check("fail_next_update: InProgress, then Failed with its reason",
            doc.get("LastUpdateStatus") == "InProgress" and
            cfg.get("LastUpdateStatus") == "Failed" and
            cfg.get("LastUpdateStatusReason") ==
            "The runtime python2.7 is no longer supported." and
            cfg.get("LastUpdateStatusReasonCode") == "InvalidRuntime", cfg)
    r, doc = lambda_put(c, "code", {"ZipFile": code})
    t.check("...once: the next update leaves the reason behind",
            r.status == 200 and "LastUpdateStatusReason" not in doc and
            wait_settled(c).get("LastUpdateStatus") == "Successful", doc)

    fa.lambda_knobs(FN, conflict_next=2)
    got = [lambda_put(c, "code", {"ZipFile": code})[0].status
           for _ in range(3)]
    t.equal("conflict_next 2: two 409s, then the update goes", got,
            [409, 409, 200])
    t.equal("finish_update ends it at once",
            wait_settled(c).get("LastUpdateStatus"), "Successful")
    wait_settled(c)

    r, err = lambda_put(c, "code", {"ZipFile": b"not a zip at all"})
    t.check("a body that is not a zip: InvalidParameterValueException",
            is_error(r, err, 400, "InvalidParameterValueException",
                     "Could not unzip uploaded file."), (r.status, err))
    r, err = lambda_put(c, "code", {})
    t.check("no code at all: InvalidParameterValueException",
            is_error(r, err, 400, "InvalidParameterValueException"),
            (r.status, err))
    r, err = lambda_put(c, "code", {"ZipFile": code,
                                    "RevisionId": "not-the-revision"})
    t.check("a stale RevisionId: 412 PreconditionFailedException",
            is_error(r, err, 412, "PreconditionFailedException"),
            (r.status, err))
    r, err = lambda_put(c, "code", {"ZipFile": code,
                                    "Architectures": ["x86_64", "arm64"]})
    t.check("two Architectures: ValidationException",
            is_error(r, err, 400, "ValidationException",
                     "Value '[x86_64, arm64]' at 'architectures' failed"),
            (r.status, err))
    r, err = lambda_put(c, "code", {"ZipFile": code}, fn="no-such-fn")
    t.check("an unknown function: 404 ResourceNotFoundException",
            is_error(r, err, 404, "ResourceNotFoundException"),
            (r.status, err))

    other = make_zip({"lambda_function.py": "# dry run\n"})
    now = get_config(c)
    r, doc = lambda_put(c, "code", {"ZipFile": other, "DryRun": True})
    t.check("DryRun: answers the would-be code, changes nothing",
            r.status == 200 and doc.get("CodeSha256") == b64sha(other) and
            get_config(c) == now, (r.status, doc))
    r, doc = lambda_put(c, "code", {"ZipFile": other, "Publish": True})
    t.check("Publish: the answer is version 1 of the new code",
            r.status == 200 and doc.get("Version") == "1" and
            doc.get("FunctionArn") == FN_ARN + ":1" and
            doc.get("CodeSha256") == b64sha(other) and
            get_config(c).get("Version") == "$LATEST", (r.status, doc))
    wait_settled(c)
    check_update_code_s3(t, c, code)
    check_update_code_limits(t, c)


def check_update_code_s3(t, c, code):
    c.send("PUT", "/dlc-code-bucket", service="s3")
    r, _ = c.send("PUT", "/dlc-code-bucket/builds/fn.zip", code,
                  service="s3")
    t.equal("the zip is uploaded to S3", r.status, 200)
    r, doc = lambda_put(c, "code", {"S3Bucket": "dlc-code-bucket",
                                    "S3Key": "builds/fn.zip"})
    t.check("UpdateFunctionCode from S3Bucket/S3Key reads the object",
            r.status == 200 and doc.get("CodeSha256") == b64sha(code) and
            doc.get("CodeSize") == len(code), (r.status, doc))
    wait_settled(c)
    r, got = c.json("GET", "/2015-03-31/functions/" + FN)
    t.equal("GetFunction's Code.Location downloads the deployed zip",
            fetch(got.get("Code", {}).get("Location", "")), code)
    r, got = c.json("GET", "/2015-03-31/functions/datalake-alpha-"
                    "salesforce-cases-to-s3-raw")
    t.check("...a function never updated here keeps an S3 snapshot URL",
            got["Code"]["Location"].startswith("https://awslambda-"), got)
    t.equal("an unknown code link: 404", fetch(
        "http://127.0.0.1:%d/_fakeaws/code/code-999999" % c.fa.port), 404)
    r, err = lambda_put(c, "code", {"S3Bucket": "dlc-code-bucket",
                                    "S3Key": "builds/missing.zip"})
    t.check("a missing S3 key: InvalidParameterValueException as Lambda "
            "words it", is_error(
                r, err, 400, "InvalidParameterValueException",
                "Error occurred while GetObject. S3 Error Code: NoSuchKey. "
                "S3 Error Message: The specified key does not exist."),
            (r.status, err))
    r, err = lambda_put(c, "code", {"S3Bucket": "dlc-no-code-bucket",
                                    "S3Key": "builds/fn.zip"})
    t.check("a missing bucket: S3 Error Code: NoSuchBucket",
            is_error(r, err, 400, "InvalidParameterValueException",
                     "S3 Error Code: NoSuchBucket"), (r.status, err))


def check_update_code_limits(t, c):
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED,
                         compresslevel=1) as z:
        with z.open("big.bin", "w", force_zip64=True) as f:
            zeros = bytes(1 << 20)
            for _ in range(251):
                f.write(zeros)
    r, err = lambda_put(c, "code", {"ZipFile": buf.getvalue()})
    t.check("unzipped over 250 MB: InvalidParameterValueException",
            is_error(r, err, 400, "InvalidParameterValueException",
                     "Unzipped size must be smaller than 262144000 bytes"),
            (r.status, err))
    body = b'{"ZipFile":"' + b"A" * 69905068 + b'"}'
    r, err = c.json("PUT", "/2015-03-31/functions/%s/code" % FN, body,
                    JSON_CT)
    t.check("a request over 69905067 bytes: 413 "
            "RequestEntityTooLargeException",
            is_error(r, err, 413, "RequestEntityTooLargeException",
                     "Request must be smaller than 69905067 bytes for the "
                     "UpdateFunctionCode operation"), (r.status, err))
    t.equal("...and nothing changed", get_config(c)["LastUpdateStatus"],
            "Successful")


LAYER = "arn:aws:lambda:eu-west-1:111111111111:layer:datalake-alpha-"


def check_update_config(t, c, fa):
    fn = "datalake-alpha-dynamo-sls-cards-to-s3-raw"
    r, doc = lambda_put(c, "configuration", {
        "Layers": [LAYER + "aws-wrangler:3", LAYER + "flattenjson:2"],
        "Runtime": "python3.13", "Handler": "app.handler", "Timeout": 30,
        "MemorySize": 256, "Environment": {"Variables": {"A": "1"}}}, fn)
    t.check("UpdateFunctionConfiguration: Layers with their CodeSize, "
            "Runtime, Handler, Timeout, MemorySize, Environment; InProgress",
            r.status == 200 and
            [x["Arn"] for x in doc.get("Layers", [])] ==
            [LAYER + "aws-wrangler:3", LAYER + "flattenjson:2"] and
            all(x.get("CodeSize", 0) > 0 for x in doc["Layers"]) and
            doc.get("Runtime") == "python3.13" and
            doc.get("Handler") == "app.handler" and doc.get("Timeout") == 30
            and doc.get("MemorySize") == 256 and
            doc.get("Environment") == {"Variables": {"A": "1"}} and
            doc.get("LastUpdateStatus") == "InProgress", (r.status, doc))
    r, err = lambda_put(c, "configuration", {"Timeout": 31}, fn)
    t.check("a configuration update while InProgress: 409 "
            "ResourceConflictException",
            is_error(r, err, 409, "ResourceConflictException",
                     "An update is in progress for resource: "
                     "arn:aws:lambda:eu-west-1:111111111111:function:" + fn),
            (r.status, err))
    r, err = lambda_put(c, "code", {"ZipFile": make_zip({"a": "b"})}, fn)
    t.check("...and a code update too",
            is_error(r, err, 409, "ResourceConflictException"),
            (r.status, err))
    cfg = wait_settled(c, fn)
    t.check("GetFunctionConfiguration: the new layers, then Successful",
            cfg.get("LastUpdateStatus") == "Successful" and
            len(cfg.get("Layers", [])) == 2 and cfg.get("Timeout") == 30, cfg)
    cases = [
        ({"Layers": [LAYER + "aws-wrangler:9"]}, 400,
         "InvalidParameterValueException", "Layer version " + LAYER +
         "aws-wrangler:9 does not exist."),
        ({"Layers": ["datalake-alpha-aws-wrangler"]}, 400,
         "ValidationException", "at 'layers' failed to satisfy constraint"),
        ({"Layers": [LAYER + "aws-wrangler:1", LAYER + "aws-wrangler:2"]},
         400, "InvalidParameterValueException", "Two different versions"),
        ({"Layers": [LAYER + "aws-wrangler:1"] * 6}, 400,
         "InvalidParameterValueException", "more than 5 layers"),
        ({"Runtime": "python2.7"}, 400, "InvalidParameterValueException",
         "Value python2.7 at 'runtime' failed to satisfy constraint"),
        ({"MemorySize": 64}, 400, "ValidationException",
         "Value '64' at 'memorySize' failed to satisfy constraint"),
        ({"Timeout": 901}, 400, "ValidationException",
         "less than or equal to 900"),
        ({"Environment": {"Variables": {"BIG": "x" * 4100}}}, 400,
         "InvalidParameterValueException", "exceeded the 4KB limit"),
    ]
    for body, status, code, message in cases:
        r, err = lambda_put(c, "configuration", body, fn)
        t.check("UpdateFunctionConfiguration %s: %s" % (
            json.dumps(body)[:60], code),
            is_error(r, err, status, code, message), (r.status, err))
    t.equal("...and none of them started an update",
            get_config(c, fn).get("LastUpdateStatus"), "Successful")
    r, doc = lambda_put(c, "configuration", {"Layers": []}, fn)
    t.check("Layers [] takes every layer off", r.status == 200 and
            "Layers" not in doc, doc)
    wait_settled(c, fn)


def publish_layer(c, name, doc):
    import base64
    content = doc.get("Content", {})
    if isinstance(content.get("ZipFile"), bytes):
        doc = dict(doc, Content=dict(content, ZipFile=base64.b64encode(
            content["ZipFile"]).decode()))
    return c.json("POST", "/2018-10-31/layers/%s/versions" % name,
                  json.dumps(doc).encode(), JSON_CT)


def big_zip(name, mb):
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED,
                         compresslevel=1) as z:
        with z.open(name, "w", force_zip64=True) as f:
            zeros = bytes(1 << 20)
            for _ in range(mb):
                f.write(zeros)
    return buf.getvalue()


def check_publish_layer(t, c):
    data = make_zip({"python/flatten_json.py": "def flatten(d):\n    ...\n"})
    r, doc = publish_layer(c, "datalake-alpha-flattenjson", {
        "Content": {"ZipFile": data}, "Description": "flatten 2.1",
        "CompatibleRuntimes": ["python3.12", "python3.13"],
        "CompatibleArchitectures": ["x86_64"], "LicenseInfo": "MIT"})
    t.check("PublishLayerVersion: 201, the next version, its ARN and "
            "Content (CodeSha256, CodeSize, Location)",
            r.status == 201 and doc.get("Version") == 3 and
            doc.get("LayerVersionArn") == LAYER + "flattenjson:3" and
            doc.get("LayerArn") == LAYER + "flattenjson" and
            doc.get("Content", {}).get("CodeSha256") == b64sha(data) and
            doc["Content"].get("CodeSize") == len(data) and
            fetch(doc["Content"].get("Location", "")) == data and
            doc.get("Description") == "flatten 2.1" and
            doc.get("LicenseInfo") == "MIT" and
            doc.get("CompatibleRuntimes") == ["python3.12", "python3.13"] and
            len(doc.get("CreatedDate", "")) == 28, (r.status, doc))
    r, got = c.json("GET", "/2018-10-31/layers/datalake-alpha-flattenjson/"
                    "versions")
    t.check("ListLayerVersions has it first",
            [v["Version"] for v in got.get("LayerVersions", [])] == [3, 2, 1]
            and got["LayerVersions"][0]["LayerVersionArn"] ==
            LAYER + "flattenjson:3", got)
    r, got = c.json("GET", "/2018-10-31/layers/datalake-alpha-flattenjson/"
                    "versions/3")
    t.check("GetLayerVersion finds it", r.status == 200 and
            got.get("Content", {}).get("CodeSha256") == b64sha(data), got)
    t.equal("...and its Content.Location downloads the layer's zip",
            fetch(got.get("Content", {}).get("Location", "")), data)
    r, doc = publish_layer(c, "dlc-new-layer", {"Content": {
        "S3Bucket": "dlc-code-bucket", "S3Key": "builds/fn.zip"}})
    t.check("a new layer from S3 starts at version 1",
            r.status == 201 and doc.get("Version") == 1 and
            doc.get("LayerVersionArn", "").endswith(":layer:dlc-new-layer:1")
            and "Description" not in doc, (r.status, doc))
    r, got = c.json("GET", "/2018-10-31/layers")
    t.check("ListLayers lists it", "dlc-new-layer" in
            [x["LayerName"] for x in got.get("Layers", [])], got)
    for body, code, message in [
            ({"Content": {"ZipFile": b"nope"}},
             "InvalidParameterValueException", "Could not unzip"),
            ({"Content": {"S3Bucket": "dlc-code-bucket", "S3Key": "none"}},
             "InvalidParameterValueException", "S3 Error Code: NoSuchKey"),
            ({}, "ValidationException", "at 'content' failed to satisfy "
             "constraint: Member must not be null"),
            ({"Content": {"ZipFile": data}, "CompatibleRuntimes":
              ["python2.7"]}, "ValidationException", "compatibleRuntimes")]:
        r, err = publish_layer(c, "dlc-new-layer", body)
        t.check("PublishLayerVersion %s: %s" % (str(body)[:50], code),
                is_error(r, err, 400, code, message), (r.status, err))
    r, err = publish_layer(c, "bad%20name", {"Content": {"ZipFile": data}})
    t.check("a layer name off the pattern: ValidationException",
            is_error(r, err, 400, "ValidationException",
                     "Value 'bad name' at 'layerName' failed to satisfy"),
            (r.status, err))

    # 200 MB of layer and 70 MB of code: each fits, together they do not.
    r, doc = publish_layer(c, "dlc-huge-layer", {"Content": {
        "ZipFile": big_zip("python/huge.bin", 200)}})
    t.equal("a 200 MB (unzipped) layer is published", r.status, 201)
    fn = "datalake-alpha-dynamo-customers-to-s3-raw"
    r, doc = lambda_put(c, "code", {"ZipFile": big_zip("code.bin", 70)}, fn)
    t.equal("70 MB (unzipped) of code is accepted", r.status, 200)
    wait_settled(c, fn)
    r, err = lambda_put(c, "configuration", {
        "Layers": [
            "arn:aws:lambda:eu-west-1:111111111111:layer:dlc-huge-layer:1"]},
        fn)
    t.check("code + layers over 250 MB unzipped: "
            "InvalidParameterValueException",
            is_error(r, err, 400, "InvalidParameterValueException",
                     "Function code combined with layers exceeds the "
                     "maximum allowed size of 262144000 bytes. The actual "
                     "size is %d bytes." % (270 << 20)), (r.status, err))


def invoke(c, body=b"", kind=None, tail=False, fn=FN):
    headers = JSON_CT[:]
    if kind:
        headers.append(("X-Amz-Invocation-Type", kind))
    if tail:
        headers.append(("X-Amz-Log-Type", "Tail"))
    return c.send("POST", "/2015-03-31/functions/%s/invocations" % fn,
                  body, headers)


def log_result(r):
    import base64
    value = r.getheader("X-Amz-Log-Result")
    return base64.b64decode(value) if value else None


def check_invoke(t, c, fa):
    r, data = invoke(c, b'{"a": 1}')
    t.check("Invoke: 200, the default answer echoes the event, "
            "X-Amz-Executed-Version, no log without Tail",
            r.status == 200 and json.loads(data) ==
            {"statusCode": 200, "body": {"a": 1}} and
            r.getheader("X-Amz-Executed-Version") == "$LATEST" and
            r.getheader("X-Amz-Function-Error") is None and
            r.getheader("X-Amz-Log-Result") is None, (r.status, data))
    r, data = invoke(c, b"", tail=True)
    rid = r.getheader("x-amzn-RequestId")
    log = log_result(r) or b""
    t.check("LogType Tail: START/END/REPORT of this request id",
            log.startswith(b"START RequestId: %s Version: $LATEST\n"
                           % rid.encode()) and
            b"\nEND RequestId: %s\n" % rid.encode() in log and
            b"\nREPORT RequestId: %s\tDuration: " % rid.encode() in log and
            b"\tMemory Size: " in log and log.endswith(b"\t\n"), log)
    fa.lambda_knobs(FN, invoke={"response": {"rows": 3},
                                "log": ["loaded 3 rows", "done"]})
    r, data = invoke(c, b"{}", tail=True)
    t.check("knob response and printed lines",
            json.loads(data) == {"rows": 3} and
            b"\nloaded 3 rows\ndone\nEND RequestId" in log_result(r),
            (data, log_result(r)))
    fa.lambda_knobs(FN, invoke={"error": {
        "errorMessage": "division by zero", "errorType": "ZeroDivisionError",
        "stackTrace": ["  File \"/var/task/app.py\", line 3, in handler\n"
                       "    return 1 / 0\n"]}})
    r, data = invoke(c, b"{}", tail=True)
    err = json.loads(data)
    t.check("knob error: 200 with X-Amz-Function-Error: Unhandled and the "
            "runtime's error JSON",
            r.status == 200 and
            r.getheader("X-Amz-Function-Error") == "Unhandled" and
            err.get("errorMessage") == "division by zero" and
            err.get("errorType") == "ZeroDivisionError" and
            err.get("requestId") == r.getheader("x-amzn-RequestId") and
            len(err.get("stackTrace", [])) == 1 and
            b"[ERROR] ZeroDivisionError: division by zero" in log_result(r),
            (r.status, data))
    fa.lambda_knobs(FN, invoke={"log": ["x" * 100 + " %d" % i
                                        for i in range(100)]})
    r, data = invoke(c, b"{}", tail=True)
    log = log_result(r)
    t.check("a long log: the last 4 KB, ending with REPORT",
            len(log) == 4096 and b"REPORT RequestId" in log and
            not log.startswith(b"START"), len(log))
    fa.lambda_knobs(FN, invoke=None)
    r, data = invoke(c, b"{}", kind="Event", tail=True)
    t.check("Event: 202, empty, no log result",
            r.status == 202 and data == b"" and
            r.getheader("X-Amz-Log-Result") is None, (r.status, data))
    event_rid = r.getheader("x-amzn-RequestId")
    r, data = invoke(c, b"{}", kind="DryRun")
    t.check("DryRun: 204, empty", r.status == 204 and data == b"",
            (r.status, data))
    written = fa.admin("GET", "logs/written?group=/aws/lambda/" + FN)
    starts = [e["message"] for e in written["events"]
              if e["message"].startswith("START RequestId: ")]
    streams = {e["logStreamName"] for e in written["events"]}
    t.check("invocations are in the function's log group (Event too, not "
            "DryRun), in one [$LATEST] stream",
            len(starts) == 6 and event_rid in starts[-1] and
            len(streams) == 1 and "/[$LATEST]" in streams.pop(),
            (starts, streams))
    limit = get_config(c)["Timeout"]
    fa.lambda_knobs(FN, invoke={"timeout": True})
    r, data = invoke(c, b"{}", tail=True)
    rid = r.getheader("x-amzn-RequestId")
    t.check("knob timeout: Sandbox.Timedout, 'Task timed out', REPORT "
            "Status: timeout", r.status == 200 and
            r.getheader("X-Amz-Function-Error") == "Unhandled" and
            json.loads(data) == {
                "errorType": "Sandbox.Timedout",
                "errorMessage": "RequestId: %s Error: Task timed out after "
                "%.2f seconds" % (rid, limit)} and
            b"Task timed out after %.2f seconds\n" % limit in
            log_result(r) and b"\tStatus: timeout\t\n" in log_result(r),
            (data, log_result(r)))
    fa.lambda_knobs(FN, invoke={"wait_ms": 700})
    started = time.time()
    r, data = invoke(c, b"{}")
    t.check("knob wait_ms: the answer takes that long",
            r.status == 200 and time.time() - started >= 0.7,
            time.time() - started)
    r = fa.admin_raw("POST", "lambda/function",
                     {"function": FN, "invoke": {"error": "boom"}})
    t.check("an invoke error that is not an object is refused",
            r[0] == 400, r)
    fa.lambda_knobs(FN, invoke=None)
    for body, kind, status, code, message in [
            (b"{not json", None, 400, "InvalidRequestContentException",
             "Could not parse request body into json: Could not parse "
             "payload into json"),
            (b'"' + b"x" * 6291456 + b'"', None, 413,
             "RequestTooLargeException", "Request must be smaller than "
             "6291456 bytes for the InvokeFunction operation"),
            (b'"' + b"x" * 1048576 + b'"', "Event", 413,
             "RequestTooLargeException", "Request must be smaller than "
             "1048576 bytes"),
            (b"{}", "Later", 400, "ValidationException",
             "Value 'Later' at 'invocationType' failed to satisfy")]:
        r, data = invoke(c, body, kind=kind)
        err = json.loads(data)
        t.check("Invoke %s: %d %s" % (kind or "", status, code),
                is_error(r, err, status, code, message), (r.status, err))
    r, data = invoke(c, b"{}", fn="no-such-fn")
    t.equal("Invoke an unknown function: 404", r.status, 404)


def check_seed_buckets(t, c, fa):
    fa.admin("POST", "reset")
    r, data = c.send("PUT", "/datalake-alpha-artifacts/fn.zip", b"zip",
                     service="s3", new_conn=True)
    t.equal("the seed's artifacts bucket exists after a reset", r.status,
            200)
    r, data = c.send("PUT", "/datalake-alpha-artifacts/fn.zip", b"zip",
                     service="s3", keys=SANDBOX, new_conn=True)
    t.equal("...and belongs to its account (sandbox: 403)", r.status, 403)
    r, data = c.send("PUT", "/datalake-sandbox-artifacts/fn.zip", b"zip",
                     service="s3", keys=SANDBOX, new_conn=True)
    t.equal("sandbox has its own", r.status, 200)


def check_lambda_write(t):
    # Updates stay InProgress until a test finishes them (finish_update),
    # so no check depends on how loaded the machine is.
    with FakeAws("--update-delay-ms", "60000") as fa:
        c = Client(fa)
        check_update_code(t, c, fa)
        check_update_config(t, c, fa)
        check_publish_layer(t, c)
        check_invoke(t, c, fa)
        check_seed_buckets(t, c, fa)
        fa.lambda_knobs(FN, update_delay_ms=5000, conflict_next=1)
        r = fa.admin_raw("POST", "lambda/function", {
            "function": FN, "update_delay_ms": None, "conflict_next": None})
        t.check("null clears a knob", r[0] == 200 and
                "update_delay_ms" not in r[1]["knobs"] and
                "conflict_next" not in r[1]["knobs"], r)
        r = fa.admin_raw("POST", "lambda/function",
                         {"function": FN, "bogus": 1})
        t.check("an unknown knob is refused with its name",
                r[0] == 400 and "bogus" in r[1].get("error", ""), r)


def main():
    t = Checks("test_server")
    with FakeAws("--extra-functions", "50") as fa:
        c = Client(fa)
        check_errors(t, c)
        check_curl_signer(t, fa)
        check_paging(t, c)
        check_lambda_details(t, c)
        check_events(t, c)
        check_logs(t, c, fa)
        check_alarms(t, c)
        check_keepalive(t, c)
        check_oidc(t, c)
        check_faults(t, c, fa)
        check_log(t, fa)
        check_s3(t, c, fa)
    check_logs_options(t)
    check_clock_skew(t)
    check_live_logs(t)
    check_lambda_write(t)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
