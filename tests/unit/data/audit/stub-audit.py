#!/usr/bin/env python3
"""Canned AWS answers for tests/unit/test-model-audit.c (stdlib only).

Usage: stub-audit.py PORTFILE LOGFILE
Serves what dlc audit reads, shaped like AWS's answers, with what fakeaws
does not do: DescribeSubscriptionFilters denied (AccessDeniedException),
log groups over two pages, a layer whose newest version is on its second
page. Functions: "job" (schedule-fed, layer common:3, the newest on the first page) and "stream"
(dynamodb-fed, its mapping Enabled). Each request is logged to LOGFILE as
"METHOD PATH TARGET" when it arrives.
"""
import json
import os
import sys
import threading
from urllib.parse import parse_qs, unquote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from stubserver import StubHandler, serve  # noqa: E402

ACCT = "111111111111"
FN = "arn:aws:lambda:eu-west-1:%s:function:" % ACCT
LAYER = "arn:aws:lambda:eu-west-1:%s:layer:common" % ACCT
lock = threading.Lock()


def config(name, layers):
    return {"FunctionName": name, "FunctionArn": FN + name,
            "Runtime": "python3.12", "Handler": "lambda_function.lambda_handler",
            "MemorySize": 256, "Timeout": 30, "CodeSize": 1000,
            "CodeSha256": "c2hh", "LastModified": "2026-11-20T09:14:02.123+0000",
            "Layers": [{"Arn": a, "CodeSize": 10} for a in layers]}


FUNCTIONS = [config("job", [LAYER + ":3"]), config("stream", [])]
ALARM = ("<member><AlarmName>%s-%s</AlarmName><AlarmArn>arn:aws:cloudwatch:eu-west-1:"
         "111111111111:alarm:%s-%s</AlarmArn><ActionsEnabled>true</ActionsEnabled>"
         "<StateValue>OK</StateValue><MetricName>%s</MetricName><Namespace>AWS/Lambda"
         "</Namespace><Statistic>Sum</Statistic><Dimensions><member><Name>FunctionName"
         "</Name><Value>%s</Value></member></Dimensions><Period>300</Period>"
         "<EvaluationPeriods>1</EvaluationPeriods><Threshold>0</Threshold>"
         "<ComparisonOperator>GreaterThanThreshold</ComparisonOperator></member>")


class Handler(StubHandler):
    def answer(self, status, doc, error=None):
        self.send(status, json.dumps(doc).encode(), error)

    def record(self, target=""):
        with lock, open(sys.argv[2], "a") as f:
            f.write("%s %s %s\n" % (self.command, self.path, target))

    def do_GET(self):
        self.record()
        u = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        parts = [unquote(p) for p in u.path.split("/") if p]
        if parts == ["2015-03-31", "functions"]:
            return self.answer(200, {"Functions": FUNCTIONS})
        if parts == ["2015-03-31", "event-source-mappings"]:
            return self.answer(200, {"EventSourceMappings": [{
                "UUID": "u1", "State": "Enabled", "BatchSize": 500,
                "EventSourceArn": "arn:aws:kinesis:eu-west-1:%s:stream/t" % ACCT,
                "FunctionArn": FN + "stream"}]})
        if len(parts) == 4 and parts[:2] == ["2018-10-31", "layers"] and parts[2] == LAYER:
            def v(n):
                return {"LayerVersionArn": "%s:%d" % (LAYER, n), "Version": n}
            if not q.get("Marker"):
                return self.answer(200, {"LayerVersions": [v(3), v(2)], "NextMarker": "p2"})
            return self.answer(200, {"LayerVersions": [v(5), v(1)]})
        self.answer(404, {"Message": "no route " + self.path}, "ResourceNotFoundException")

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        target = self.headers.get("X-Amz-Target", "")
        if not target and b"Action=DescribeAlarms" in raw:
            target = "DescribeAlarms"
        self.record(target)
        doc = json.loads(raw or b"{}") if target.startswith(("Logs", "AWSEvents")) else {}
        if target == "DescribeAlarms":
            members = "".join(ALARM % ("job", k, "job", k, m, "job")
                              for k, m in (("errors", "Errors"), ("throttles", "Throttles"),
                                           ("duration", "Duration")))
            body = ("<DescribeAlarmsResponse xmlns=\"http://monitoring.amazonaws.com/doc/"
                    "2010-08-01/\"><DescribeAlarmsResult><MetricAlarms>%s</MetricAlarms>"
                    "<CompositeAlarms/></DescribeAlarmsResult><ResponseMetadata><RequestId>"
                    "r</RequestId></ResponseMetadata></DescribeAlarmsResponse>" % members).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if target == "Logs_20140328.DescribeLogGroups":
            g = lambda name, days: {"logGroupName": name, "retentionInDays": days}  # noqa: E731
            if doc.get("nextToken") != "g2":
                return self.answer(200, {"logGroups": [g("/aws/lambda/job", 14)],
                                         "nextToken": "g2"})
            return self.answer(200, {"logGroups": [g("/aws/lambda/stream", 30)]})
        if target == "Logs_20140328.DescribeSubscriptionFilters":
            return self.answer(400, {"__type": "AccessDeniedException",
                                     "message": "User is not authorized to perform "
                                     "logs:DescribeSubscriptionFilters"},
                               "AccessDeniedException")
        if target == "AWSEvents.ListRuleNamesByTarget":
            if doc.get("TargetArn") == FN + "job":
                return self.answer(200, {"RuleNames": ["job-nightly"]})
            return self.answer(200, {"RuleNames": []})
        if target == "AWSEvents.DescribeRule":
            return self.answer(200, {"Name": doc.get("Name"), "State": "ENABLED",
                                     "ScheduleExpression": "cron(0 3 * * ? *)"})
        self.answer(400, {"__type": "UnknownOperationException"}, "UnknownOperationException")


def main():
    serve(Handler, sys.argv[1])


if __name__ == "__main__":
    main()
