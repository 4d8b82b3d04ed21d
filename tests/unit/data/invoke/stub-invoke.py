#!/usr/bin/env python3
"""Scripted Lambda Invoke answers for tests/unit/test-lambda-invoke.c;
Python stdlib only.

Usage: stub-invoke.py PORTFILE LOGFILE
POST /2015-03-31/functions/NAME/invocations, by NAME:
  ok         200, body {"echo": PAYLOAD}, a log tail with an ESC, a C1 byte
             and invalid UTF-8 in it, X-Amz-Executed-Version $LATEST
  boom       200 with X-Amz-Function-Error: Unhandled and Python's error JSON
  text       200, a body that is not JSON
  badlog     200 with an X-Amz-Log-Result that is not base64
  broken     500 ServiceException, every time
  slow       answers after 3 s
  throttled  429 TooManyRequestsException once, then as ok
  gone       404 ResourceNotFoundException
Each request is logged to LOGFILE as "METHOD PATH LOGTYPE INVOCATIONTYPE
BODY". Signatures are not checked. Exits when stdin closes or after 300 s.
"""
import base64
import json
import os
import sys
import threading
import time
from urllib.parse import unquote, urlsplit

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from stubserver import StubHandler, serve  # noqa: E402

lock = threading.Lock()
seen = {}
LOG = (b"START RequestId: 1f0e Version: $LATEST\n"
       b"evil \x1b[31mred\x1b]0;title\x07 \xc2\x9b c1 \xff\xfe bad\n"
       b"END RequestId: 1f0e\n")
ERROR = {"errorMessage": "division by zero", "errorType": "ZeroDivisionError",
         "requestId": "1f0e", "stackTrace": [
             "  File \"/var/task/lambda_function.py\", line 3, in handler\n",
             "    return 1 / 0\n"]}


class Handler(StubHandler):
    request_id = "stub-invoke-request"

    def answer(self, status, body, headers):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", self.request_id)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock, open(sys.argv[2], "a") as f:
            f.write("%s %s %s %s %s\n" % (
                self.command, self.path, self.headers.get("X-Amz-Log-Type"),
                self.headers.get("X-Amz-Invocation-Type"),
                body.decode("utf-8", "replace")))
        parts = [unquote(p) for p in urlsplit(self.path).path.split("/") if p]
        name = parts[2] if len(parts) == 4 else ""
        with lock:
            seen[name] = seen.get(name, 0) + 1
            n = seen[name]
        tail = {"X-Amz-Log-Result": base64.b64encode(LOG).decode(),
                "X-Amz-Executed-Version": "$LATEST"}
        if name == "ok" or (name == "throttled" and n > 1):
            return self.answer(200, b'{"echo": ' + body + b'}', tail)
        if name == "boom":
            tail["X-Amz-Function-Error"] = "Unhandled"
            return self.answer(200, json.dumps(ERROR).encode(), tail)
        if name == "text":
            return self.answer(200, b"plain \x1b[2J words", tail)
        if name == "badlog":
            tail["X-Amz-Log-Result"] = "!!not base64"
            return self.answer(200, b"null", tail)
        if name == "slow":
            time.sleep(3)
            return self.answer(200, b"{}", tail)
        if name == "broken":
            return self.send(500, b'{"Type": "Service", "Message": "oops"}',
                             "ServiceException")
        if name == "throttled":
            return self.send(429, b'{"Type": "User", "Reason": '
                             b'"ReservedFunctionConcurrentInvocationLimitExceeded",'
                             b' "message": "Rate Exceeded."}',
                             "TooManyRequestsException")
        self.send(404, json.dumps({"Type": "User", "Message":
                                   "Function not found: " + name}).encode(),
                  "ResourceNotFoundException")


if __name__ == "__main__":
    serve(Handler, sys.argv[1])
