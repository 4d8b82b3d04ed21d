#!/usr/bin/env python3
"""Scripted DynamoDB answers for tests/unit/test-dynamodb.c (stdlib only).

Usage: stub-ddb.py PORTFILE LOGFILE
Every POST / is logged to LOGFILE as "OPERATION BODY" (one line) and
answered by its TableName, shaped as DynamoDB's API reference says:
  ok     GetItem: an Item; PutItem/UpdateItem/DeleteItem: {}
  empty  GetItem: {} (no such item)
  cond   400 ConditionalCheckFailedException, with "Item" when the request
         asked ReturnValuesOnConditionCheckFailure = ALL_OLD
  e500   500 InternalServerError
  e400   400 ValidationException
  drop   the connection closed without an answer
  junk   200 with a body that is not JSON
  scan   Scan: two pages (LastEvaluatedKey on the first)
Exits when stdin closes or after 300 s.
"""
import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from stubserver import StubHandler, serve  # noqa: E402

lock = threading.Lock()
HOLDER = {"key": {"S": "special#alpha"}, "owner": {"S": "ann@pc1"},
          "rvn": {"S": "r-old"}}


class Handler(StubHandler):
    request_id = "stub-ddb-request"

    def error(self, status, code, message, extra=None):
        doc = {"__type": "com.amazonaws.dynamodb.v20120810#" + code,
               "message": message}
        doc.update(extra or {})
        self.send(status, json.dumps(doc).encode())

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n).decode()
        op = self.headers.get("X-Amz-Target", "").split(".")[-1]
        with lock, open(sys.argv[2], "a") as f:
            f.write("%s %s %s\n" % (op, self.headers.get("Content-Type"), raw))
        req = json.loads(raw)
        table = req.get("TableName")
        if table == "ok":
            if op == "GetItem":
                return self.send(200, json.dumps({"Item": HOLDER}).encode())
            return self.send(200, b"{}")
        if table == "empty":
            return self.send(200, b"{}")
        if table == "cond":
            extra = None
            if req.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD":
                extra = {"Item": HOLDER}
            return self.error(400, "ConditionalCheckFailedException",
                              "The conditional request failed", extra)
        if table == "e500":
            return self.error(500, "InternalServerError", "Internal server error")
        if table == "e400":
            return self.error(400, "ValidationException",
                              "One or more parameter values were invalid")
        if table == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        if table == "junk":
            return self.send(200, b"{not json")
        if table == "scan":
            if "ExclusiveStartKey" not in req:
                doc = {"Items": [HOLDER], "Count": 1,
                       "LastEvaluatedKey": {"key": {"S": "special#alpha"}}}
            else:
                doc = {"Items": [{"key": {"S": "k2"}}], "Count": 1}
            return self.send(200, json.dumps(doc).encode())
        return self.error(400, "ResourceNotFoundException",
                          "Requested resource not found")


def main():
    serve(Handler, sys.argv[1])


if __name__ == "__main__":
    main()
