#!/usr/bin/env python3
"""Canned AWS answers for tests/unit/test-model.c (Python stdlib only).

Usage: stub-aws.py PORTFILE LOGFILE
Serves, on 127.0.0.1 and a free port written to PORTFILE, the calls a
function's details take, shaped like AWS's answers (API reference), with
the cases fakeaws does not have: layer and mapping pages, a layer of
another account and a rule the caller may not describe (AccessDenied).
Signatures are not checked; requests signed with the key AKIASLOW are
never answered (a dead environment). GetCallerIdentity answers account
111111111111, after ID_DELAY seconds when signed with the key AKIAIDSLOW
(a slow STS: the client's other calls must not wait on it); that key's
ListLayerVersions pages are as slow. Each request
is logged to LOGFILE as "METHOD PATH TARGET" when it arrives, and
GetCallerIdentity's answer as "SENT GetCallerIdentity" as it goes out, so
a test can read the order of the two. Exits when stdin closes or after
300 s.
"""
import json
import os
import sys
import threading
import time
from urllib.parse import parse_qs, unquote, urlsplit

# The shared server part lives one folder up (tests/unit/data/stubserver.py).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from stubserver import StubHandler, serve  # noqa: E402

ACCT = "111111111111"
FN = "arn:aws:lambda:eu-west-1:%s:function:" % ACCT
LAYER = "arn:aws:lambda:eu-west-1:%s:layer:common" % ACCT
FOREIGN = "arn:aws:lambda:eu-west-1:999999999999:layer:foreign"
ID_DELAY = 0.5
lock = threading.Lock()


def config(name, layers):
    return {"FunctionName": name, "FunctionArn": FN + name,
            "Runtime": "python3.12", "Handler": "app.handler",
            "MemorySize": 256, "Timeout": 30, "CodeSize": 1000,
            "LastModified": "2026-11-20T09:14:02.123+0000",
            "Layers": [{"Arn": a, "CodeSize": 10} for a in layers]}


FUNCTIONS = {"fn-a": config("fn-a", [LAYER + ":2", FOREIGN + ":7"]),
             "fn-b": config("fn-b", [LAYER + ":2"]),
             "fn-many": config("fn-many", [])}
# fn-many is the target of more rules than the client describes, ten a page.
MANY = ["many-%03d" % i for i in range(150)]


def layer_versions(marker):
    def v(n):
        return {"LayerVersionArn": "%s:%d" % (LAYER, n), "Version": n,
                "CreatedDate": "2026-11-0%dT00:00:00.000+0000" % n}
    # Newest on the second page: the client must look at every page.
    if not marker:
        return {"LayerVersions": [v(3), v(2)], "NextMarker": "p2"}
    return {"LayerVersions": [v(5), v(1)]}


def esms(fn, marker):
    def m(u):
        return {"UUID": u, "BatchSize": 10, "State": "Enabled",
                "EventSourceArn": "arn:aws:sqs:eu-west-1:%s:%s-%s" % (ACCT, fn, u),
                "FunctionArn": FN + fn, "LastModified": 1764007200.5,
                "LastProcessingResult": "OK"}
    if fn != "fn-a":
        return {"EventSourceMappings": []}
    if not marker:
        return {"EventSourceMappings": [m("u1")], "NextMarker": "e2"}
    return {"EventSourceMappings": [m("u2")]}


RULES = {
    "r-sched": {"Name": "r-sched", "Arn": "arn:aws:events:eu-west-1:%s:rule/r-sched" % ACCT,
                "ScheduleExpression": "rate(1 hour)", "State": "ENABLED"},
    "r-pattern": {"Name": "r-pattern", "Arn": "arn:aws:events:eu-west-1:%s:rule/r-pattern" % ACCT,
                  "EventPattern": "{\"source\":[\"aws.s3\"]}", "State": "DISABLED"},
}


class Handler(StubHandler):
    def answer(self, status, doc, error=None):
        self.send(status, json.dumps(doc).encode(), error)

    def denied(self, what):
        self.answer(403 if "layers" in what else 400,
                    {"__type": "AccessDeniedException",
                     "Message": "not authorized to perform " + what},
                    "AccessDeniedException")

    def record(self, target="", line=None):
        with lock, open(sys.argv[2], "a") as f:
            f.write(line or "%s %s %s\n" % (self.command, self.path, target))

    def caller_identity(self):
        # STS's query protocol answers in XML (STS API reference).
        if "Credential=AKIAIDSLOW/" in self.headers.get("Authorization", ""):
            time.sleep(ID_DELAY)
        body = ("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                "<GetCallerIdentityResult><Arn>arn:aws:iam::%s:user/stub</Arn>"
                "<UserId>AIDASTUB</UserId><Account>%s</Account>"
                "</GetCallerIdentityResult><ResponseMetadata>"
                "<RequestId>stub-request</RequestId></ResponseMetadata>"
                "</GetCallerIdentityResponse>" % (ACCT, ACCT)).encode()
        # Logged before it goes out: the client may read it before a
        # line written after could land.
        self.record(line="SENT GetCallerIdentity\n")
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def stall_if_slow(self):
        # The "slow" environment's key: a server that never answers.
        if "Credential=AKIASLOW/" in self.headers.get("Authorization", ""):
            time.sleep(60)
            return True
        return False

    def do_GET(self):
        self.record()
        if self.stall_if_slow():
            return
        u = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        parts = [unquote(p) for p in u.path.split("/") if p]
        if parts == ["2015-03-31", "functions"]:
            return self.answer(200, {"Functions": list(FUNCTIONS.values())})
        if len(parts) == 3 and parts[:2] == ["2015-03-31", "functions"] \
                and parts[2] in FUNCTIONS:
            return self.answer(200, {"Configuration": FUNCTIONS[parts[2]],
                                     "Code": {"RepositoryType": "S3",
                                              "Location": "https://example.invalid/zip"}})
        if len(parts) == 4 and parts[:2] == ["2018-10-31", "layers"]:
            if "Credential=AKIAIDSLOW/" in self.headers.get("Authorization", ""):
                time.sleep(ID_DELAY)
            if parts[2] == FOREIGN:
                return self.denied("lambda:ListLayerVersions on " + parts[2])
            if parts[2] == LAYER:
                return self.answer(200, layer_versions(q.get("Marker")))
        if parts == ["2015-03-31", "event-source-mappings"]:
            return self.answer(200, esms(q.get("FunctionName", ""), q.get("Marker")))
        self.answer(404, {"Message": "no route " + self.path},
                    "ResourceNotFoundException")

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        target = self.headers.get("X-Amz-Target", "")
        if not target and b"Action=GetCallerIdentity" in raw:
            target = "GetCallerIdentity"
        self.record(target)
        if self.stall_if_slow():
            return
        if target == "GetCallerIdentity":
            return self.caller_identity()
        doc = json.loads(raw or b"{}") if target else {}
        if target == "AWSEvents.ListRuleNamesByTarget" \
                and doc.get("TargetArn", "").endswith(":fn-many"):
            at = int(doc.get("NextToken", "0"))
            page = {"RuleNames": MANY[at:at + 10]}
            if at + 10 < len(MANY):
                page["NextToken"] = str(at + 10)
            return self.answer(200, page)
        if target == "AWSEvents.ListRuleNamesByTarget":
            if not doc.get("TargetArn", "").endswith(":fn-a"):
                return self.answer(200, {"RuleNames": []})
            if doc.get("NextToken") != "t2":
                return self.answer(200, {"RuleNames": ["r-sched"], "NextToken": "t2"})
            return self.answer(200, {"RuleNames": ["r-pattern", "r-denied"]})
        if target == "AWSEvents.DescribeRule":
            if doc.get("Name") in RULES:
                return self.answer(200, RULES[doc["Name"]])
            if doc.get("Name") in MANY:
                return self.answer(200, {"Name": doc["Name"], "State": "ENABLED",
                                         "Arn": "arn:aws:events:eu-west-1:%s:rule/%s"
                                         % (ACCT, doc["Name"]),
                                         "ScheduleExpression": "rate(5 minutes)"})
            return self.denied("events:DescribeRule on " + doc.get("Name", ""))
        self.answer(400, {"__type": "UnknownOperationException"},
                    "UnknownOperationException")


def main():
    serve(Handler, sys.argv[1])


if __name__ == "__main__":
    main()
