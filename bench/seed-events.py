"""Writes 200,000 Lambda-like events over the last hour into one log group
of a running fakeaws, 10,000 a request (bench-logs.sh, bench-before-after.sh).

usage: seed-events.py ENDPOINT LOG-GROUP
"""
import json, sys, time, urllib.request
endpoint, group = sys.argv[1], sys.argv[2]
now = int(time.time() * 1000)
start = now - 3600 * 1000
for b in range(20):
    events = []
    for i in range(10000):
        n = b * 10000 + i
        ts = start + n * 17
        events.append({"timestamp": ts, "message":
            '%s\t6f1c2d3e-%04x-4a5b-9c8d-0123456789ab\tINFO\t{"level": "INFO", "msg": "loaded batch", "n": %d, "table": "loans"}\n'
            % (time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts / 1000)), n % 65536, n)})
    body = json.dumps({"group": group, "stream": "2026/11/25/[$LATEST]bench%02d" % (b % 4),
                       "account": "alpha", "events": events, "ingestionDelayMs": 0}).encode()
    urllib.request.urlopen(urllib.request.Request(endpoint + "/_fakeaws/logs/put", data=body,
                           headers={"Content-Type": "application/json"})).read()
