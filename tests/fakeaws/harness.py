"""Start and stop fakeaws for a test, and count checks.

Each test starts its own server on a free port (--port 0 --port-file in a
temp dir) and always stops it, whatever happens in between.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77   # automake's "skipped" exit status


class FakeAws:
    def __init__(self, *args):
        self.tmp = tempfile.mkdtemp(prefix="fakeaws-test-")
        port_file = os.path.join(self.tmp, "port")
        self.log = open(os.path.join(self.tmp, "server.log"), "w")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "fakeaws.py"), "--port", "0",
             "--port-file", port_file] + list(args),
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError("fakeaws did not start")
            time.sleep(0.05)
        with open(port_file) as f:
            self.port = int(f.read())
        self.url = "http://127.0.0.1:%d" % self.port

    def admin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + "/_fakeaws/" + path,
                                     data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def admin_raw(self, method, path, body=None):
        """(status, JSON) of an admin request, errors included."""
        try:
            return 200, self.admin(method, path, body)
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def lambda_knobs(self, function, account=None, **knobs):
        """Set a function's test knobs (see README "Lambda knobs")."""
        body = dict(knobs, function=function)
        if account:
            body["account"] = account
        return self.admin("POST", "lambda/function", body)

    def requests(self):
        return self.admin("GET", "requests")["requests"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Checks:
    """Named checks; a failure is printed and counted, never hidden."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def check(self, label, ok, detail=""):
        if ok:
            self.passed += 1
            print("ok   %s" % label)
        else:
            self.failed += 1
            print("FAIL %s %s" % (label, detail))
        return ok

    def equal(self, label, got, want):
        return self.check(label, got == want, "got %r, want %r" % (got, want))

    def skip(self, label, why):
        self.skipped += 1
        print("SKIP %s: %s" % (label, why))

    def finish(self):
        print("%s: %d passed, %d failed, %d skipped" % (
            self.name, self.passed, self.failed, self.skipped))
        if self.failed:
            return 1
        if self.skipped and not self.passed:
            return SKIP
        return 0
