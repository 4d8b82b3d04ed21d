#!/usr/bin/env python3
"""Scripted Lambda answers for the operation layer's unit tests
(tests/unit/test-aws-op.c, test-paginate.c, test-waiter.c); Python stdlib only.

Usage: stub-ops.py PORTFILE LOGFILE
Serves on 127.0.0.1 (a free port written to PORTFILE) what fakeaws cannot
be made to do on demand, shaped as Lambda answers (API reference):

ListLayerVersions (GET /2018-10-31/layers/NAME/versions[?Marker=M]):
  normal   three pages (markers p2, p3), versions 1..6
  repeat   page 1 gives NextMarker p2; page p2 gives NextMarker p2 again
  endless  every page gives a new marker (p2, p3, ...)
  broken   page 1 gives p2; page p2 is not JSON
GetFunctionConfiguration (GET /2015-03-31/functions/NAME/configuration):
  w-ok     LastUpdateStatus InProgress twice, then Successful
  w-fail   InProgress once, then Failed with a LastUpdateStatusReason
  w-stuck  always InProgress
  w-gone   404 ResourceNotFoundException
  w-junk   200 with a body that is not JSON
  w-slow   InProgress, answered after 1 s
Each request is logged to LOGFILE as "METHOD PATH". Signatures are not
checked. Exits when stdin closes or after 300 s.
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
LAYER = "arn:aws:lambda:eu-west-1:%s:layer:" % ACCT
lock = threading.Lock()
polls = {}


def version(name, n):
    return {"LayerVersionArn": "%s%s:%d" % (LAYER, name, n), "Version": n,
            "CreatedDate": "2026-11-0%dT00:00:00.000+0000" % (n % 9 + 1)}


def layer_page(name, marker):
    page = int(marker[1:]) if marker else 1
    doc = {"LayerVersions": [version(name, 2 * page), version(name, 2 * page - 1)]}
    if name == "normal":
        if page < 3:
            doc["NextMarker"] = "p%d" % (page + 1)
    elif name == "repeat":
        doc["NextMarker"] = "p2"
    elif name == "endless":
        doc["NextMarker"] = "p%d" % (page + 1)
    elif name == "broken":
        if page == 1:
            doc["NextMarker"] = "p2"
        else:
            return None
    else:
        return 404
    return doc


def configuration(name, n):
    status, reason = "InProgress", "The function is being created."
    if name == "w-ok" and n > 2:
        status, reason = "Successful", None
    if name == "w-fail" and n > 1:
        status = "Failed"
        reason = "The role defined for the function cannot be assumed by Lambda."
    doc = {"FunctionName": name,
           "FunctionArn": "arn:aws:lambda:eu-west-1:%s:function:%s" % (ACCT, name),
           "Runtime": "python3.12", "Handler": "app.handler", "MemorySize": 128,
           "Timeout": 3, "CodeSize": 10, "State": "Active",
           "LastUpdateStatus": status,
           "LastModified": "2026-11-20T09:14:02.123+0000"}
    if reason:
        doc["LastUpdateStatusReason"] = reason
        doc["LastUpdateStatusReasonCode"] = ("InvalidRole" if status == "Failed"
                                             else "Creating")
    return doc


class Handler(StubHandler):
    request_id = "stub-ops-request"

    def not_found(self, what):
        self.send(404, json.dumps({"Type": "User", "Message":
                                   "Function not found: " + what}).encode(),
                  "ResourceNotFoundException")

    def do_GET(self):
        with lock, open(sys.argv[2], "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
        u = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        parts = [unquote(p) for p in u.path.split("/") if p]
        if len(parts) == 4 and parts[:2] == ["2018-10-31", "layers"]:
            doc = layer_page(parts[2], q.get("Marker"))
            if doc is None:
                return self.send(200, b"<html>not json")
            if doc == 404:
                return self.not_found(parts[2])
            return self.send(200, json.dumps(doc).encode())
        if len(parts) == 4 and parts[:2] == ["2015-03-31", "functions"] \
                and parts[3] == "configuration":
            name = parts[2]
            with lock:
                polls[name] = polls.get(name, 0) + 1
                n = polls[name]
            if name == "w-gone":
                return self.not_found(name)
            if name == "w-slow":
                time.sleep(1)
            if name == "w-junk":
                return self.send(200, b"{not json")
            return self.send(200, json.dumps(configuration(name, n)).encode())
        self.not_found(self.path)


def main():
    serve(Handler, sys.argv[1])


if __name__ == "__main__":
    main()
