#!/usr/bin/env python3
"""A small HTTP/1.1 server for tests/unit/test-http.c (Python stdlib only).

Usage: http-test-server.py PORTFILE
Listens on 127.0.0.1 on a free port and writes the port to PORTFILE (atomically).
Exits when its stdin closes (the test process died or finished) or after 300 s,
so a crashed test never leaves it behind.

Paths:
  /echo[/...]   200, text: "METHOD PATH" then each request header as sent;
                with X-Reflect-Token, answers x-amz-sso_bearer_token: SERVERBEARERSECRET
  /body         200, the request body as the response body
  /conns        200, how many TCP connections the server has accepted
  /status/N     status N, a body naming the path, X-Error-Code: NoSuchThing
  /stall        reads the request and never answers
  /reset        reads the request and resets the connection (RST)
  /short        Content-Length: 100 but 10 bytes, then closes
  /lie/N        a Content-Length of N, then 10 bytes and a close
  /trickle/N    N bytes with Content-Length, one every 200 ms
  /big/N        N bytes with Content-Length
  /bigeof/N     N bytes without a length, ended by closing the connection
  /flaky/ID     the first request for ID: 503 (body read); later ones: 200,
                "LENGTH SHA256HEX" of the body received, and X-Attempt: N
  X-Amz-Target: DynamoDB_20120810.PutItem (any path)
                400 ConditionalCheckFailedException as DynamoDB sends it with
                ReturnValuesOnConditionCheckFailure=ALL_OLD (the item in the
                body); X-Seen-Target / X-Seen-Content-Type echo the request's
"""
import hashlib
import os
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
connections = 0
flaky = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        global connections
        with lock:
            connections += 1
        super().setup()

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        n = int(self.headers.get("Content-Length", "0") or "0")
        body = self.rfile.read(n) if n > 0 else b""
        path = self.path.split("?", 1)[0]
        extra = []
        tok = self.headers.get("X-Reflect-Token")
        if tok:
            extra.append(("x-amz-sso_bearer_token", "SERVERBEARERSECRET"))
        if self.headers.get("X-Amz-Target") == "DynamoDB_20120810.PutItem":
            item = (b'{"__type":"com.amazonaws.dynamodb.v20120810#'
                    b'ConditionalCheckFailedException","message":"The '
                    b'conditional request failed","Item":{"pk":{"S":"lock#'
                    b'deploy"},"owner":{"S":"alice@laptop"},"expires_at":'
                    b'{"N":"1796000000"}}}')
            self.reply(400, item, [
                ("Content-Type", "application/x-amz-json-1.0"),
                ("x-amzn-RequestId", "DDBREQ1"),
                ("X-Seen-Target", self.headers.get("X-Amz-Target")),
                ("X-Seen-Content-Type", self.headers.get("Content-Type"))])
        elif path.startswith("/flaky/"):
            with lock:
                n = flaky[path] = flaky.get(path, 0) + 1
            if n == 1:
                self.reply(503, b"try again", [("X-Attempt", "1")])
            else:
                self.reply(200, ("%d %s" % (len(body), hashlib.sha256(
                    body).hexdigest())).encode(), [("X-Attempt", str(n))])
        elif path == "/echo" or path.startswith("/echo/"):
            lines = ["%s %s" % (self.command, self.path)]
            lines += ["%s: %s" % (k, v) for k, v in self.headers.items()]
            self.reply(200, ("\n".join(lines) + "\n").encode("latin-1"),
                       [("Content-Type", "text/plain"), ("X-Echo", "yes")] + extra)
        elif path == "/body":
            self.reply(200, body, [("Content-Type", "application/octet-stream")])
        elif path == "/conns":
            with lock:
                n = connections
            self.reply(200, str(n).encode())
        elif path.startswith("/status/"):
            code = int(path[len("/status/"):])
            self.reply(code, ("not here: %s" % path).encode(),
                       [("X-Error-Code", "NoSuchThing"),
                        ("Content-Type", "text/plain")])
        elif path == "/stall":
            time.sleep(60)
            self.close_connection = True
        elif path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.close_connection = True
        elif path == "/short":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.close_connection = True
        elif path.startswith("/lie/"):
            self.send_response(200)
            self.send_header("Content-Length", path[len("/lie/"):])
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.close_connection = True
        elif path.startswith("/trickle/"):
            n = int(path[len("/trickle/"):])
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            for _ in range(n):
                self.wfile.write(b"t")
                self.wfile.flush()
                time.sleep(0.2)
        elif path.startswith("/big/"):
            self.reply(200, b"x" * int(path[len("/big/"):]))
        elif path.startswith("/bigeof/"):
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"y" * int(path[len("/bigeof/"):]))
            self.close_connection = True
        else:
            self.reply(400, b"unknown test path\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


def watch_stdin():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def main():
    server = Server(("127.0.0.1", 0), Handler)
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, sys.argv[1])
    threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Timer(300, lambda: os._exit(0)).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
