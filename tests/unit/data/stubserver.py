"""The server part the unit tests' canned-answer stubs share (stdlib only):
tests/unit/data/model/stub-aws.py and tests/unit/data/ops/stub-ops.py
import it, and keep only their answers.

serve(Handler, PORTFILE) serves on 127.0.0.1, writes the free port it got
to PORTFILE (atomically: the test polls for the file), and returns when
stdin closes (the test's pipe: the stub ends with the test) or after 300 s.
"""
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StubHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    request_id = "stub-request"

    def log_message(self, *args):
        pass

    def send(self, status, body, error=None):
        """A JSON answer (body: bytes), with x-amzn-ErrorType when error."""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", self.request_id)
        if error:
            self.send_header("x-amzn-ErrorType", error)
        self.end_headers()
        self.wfile.write(body)


def serve(handler, port_file):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, port_file)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    deadline = time.time() + 300
    while time.time() < deadline:
        if not sys.stdin.buffer.read(1):
            break
    srv.shutdown()
