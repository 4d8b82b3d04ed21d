#!/usr/bin/env python3
"""Follow latency: write one event at a time into fakeaws (ingested at once)
and time how long until a follower prints it.

  latency.py ENDPOINT GROUP N -- COMMAND...

Prints the median and the worst latency in ms, and how many probes were
never seen within 15 s.
"""
import json
import statistics
import subprocess
import sys
import threading
import time
import urllib.request


def put(endpoint, group, message):
    body = json.dumps({"group": group, "stream": "bench/probe", "account": "alpha",
                       "events": [{"timestamp": int(time.time() * 1000), "message": message}],
                       "ingestionDelayMs": 0}).encode()
    req = urllib.request.Request(endpoint + "/_fakeaws/logs/put", data=body,
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()


def main(argv):
    sep = argv.index("--")
    endpoint, group, n = argv[1], argv[2], int(argv[3])
    cmd = argv[sep + 1:]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seen = {}
    lock = threading.Lock()

    def reader():
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace")
            if "latency-probe-" in line:
                key = line.split("latency-probe-", 1)[1].split()[0].strip('"\\')
                with lock:
                    seen.setdefault(key, time.monotonic())

    threading.Thread(target=reader, daemon=True).start()
    time.sleep(3)          # let the follower reach "now"
    sent = {}
    run = "%x" % (int(time.time() * 1000) & 0xffffff)   # probes of an earlier run must not count
    for i in range(n):
        key = "%s-%03d" % (run, i)
        sent[key] = time.monotonic()
        put(endpoint, group, "latency-probe-%s" % key)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with lock:
                if key in seen:
                    break
            time.sleep(0.01)
        time.sleep(0.3)
    proc.terminate()
    proc.wait()
    lat = [(seen[k] - sent[k]) * 1000 for k in sent if k in seen]
    missed = len(sent) - len(lat)
    if lat:
        print("%.0f %.0f %d" % (statistics.median(lat), max(lat), missed))
    else:
        print("nan nan %d" % missed)


if __name__ == "__main__":
    main(sys.argv)
