#!/bin/sh
# dlc metrics against fakeaws: known points (fakeaws's metrics knob, the
# PutMetricData of AWS/ namespaces) on the seed's never-invoked function
# come back exactly, per 5-minute slot with gaps as null, with totals and
# maxima, in JSON and in the table; one GetMetricData for the six series;
# the same numbers as aws cloudwatch get-metric-data; sparklines only on
# a terminal, in blocks under a UTF-8 locale and in ASCII under C; and
# errors that name the function, the environment and the fix.
. "$(dirname "$0")/lib.sh"

start_fakeaws --log-requests "$WORK/requests.log"
write_static_profiles
write_dlc_ini
FN=datalake-alpha-dynamo-customers-to-s3-raw

# gmd: the GetMetricData requests fakeaws has logged so far.
gmd() {
	grep -c '"operation": "GetMetricData"' "$WORK/requests.log" 2>/dev/null || true
}

# Known points in the last hour, 17 s into their 5-minute slots; away from
# a slot's end so the window dlc picks is the one written here.
"$PYTHON3" - "$ENDPOINT" "$FN" >"$WORK/grid" <<'PY'
import json, sys, time, urllib.request
end_url, fn = sys.argv[1], sys.argv[2]
now = time.time()
if 300 - now % 300 < 40:
    time.sleep(300 - now % 300 + 1)
    now = time.time()
end = (int(now) // 300 + 1) * 300
start = end - 3600
def put(metric, points):
    doc = {"account": "alpha", "namespace": "AWS/Lambda", "metric": metric,
           "dimensions": {"FunctionName": fn}, "points": points}
    req = urllib.request.Request(end_url + "/_fakeaws/cloudwatch/metrics",
                                 data=json.dumps(doc).encode(), method="POST")
    urllib.request.urlopen(req).read()
at = lambda k, s=17: start + k * 300 + s
put("Invocations", [{"timestamp": at(1), "value": 7}, {"timestamp": at(2), "value": 10},
                    {"timestamp": at(2, 77), "value": 4}, {"timestamp": at(5), "value": 0},
                    {"timestamp": at(11), "value": 21}])
put("Errors", [{"timestamp": at(2), "value": 1}, {"timestamp": at(11), "value": 2}])
put("Duration", [{"timestamp": at(1), "value": 250}, {"timestamp": at(2), "value": 1200.5}])
put("ConcurrentExecutions", [{"timestamp": at(1), "value": 2}, {"timestamp": at(1, 80), "value": 5},
                             {"timestamp": at(2), "value": 3}])
print(start, end)
PY
read -r START END <"$WORK/grid"

# --- JSON: every slot, exact ---
before=$(gmd)
run "$DLC" metrics -e alpha dynamo-customers-to-s3-raw --since 1h --period 5m -o json
expect_status "dlc metrics -o json exits 0" 0
printf '%s' "$OUT" >"$WORK/metrics.json"
check=$("$PYTHON3" - "$WORK/metrics.json" "$START" "$END" "$FN" <<'PY'
import json, sys
from datetime import datetime, timezone
doc = json.load(open(sys.argv[1]))
start, end, fn = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
iso = lambda t: datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
n = [None] * 12
def slots(d):
    v = list(n)
    for k, x in d.items():
        v[k] = x
    return v
want = {
    "invocations": ("Invocations", "Sum", slots({1: 7, 2: 14, 5: 0, 11: 21}), 42, 21),
    "errors": ("Errors", "Sum", slots({2: 1, 11: 2}), 3, 2),
    "throttles": ("Throttles", "Sum", list(n), None, None),
    "duration_p50": ("Duration", "p50", slots({1: 250, 2: 1200.5}), None, 1200.5),
    "duration_p99": ("Duration", "p99", slots({1: 250, 2: 1200.5}), None, 1200.5),
    "concurrent": ("ConcurrentExecutions", "Maximum", slots({1: 5, 2: 3}), None, 5),
}
bad = []
top = {"Environment": "alpha", "FunctionName": fn, "LocalFunction": "dynamo-customers-to-s3-raw",
       "StartTime": iso(start), "EndTime": iso(end), "Period": 300}
for k, v in top.items():
    if doc.get(k) != v:
        bad.append("%s: %r, wanted %r" % (k, doc.get(k), v))
ts = [iso(start + i * 300) for i in range(12)]
for key, (metric, stat, values, total, mx) in want.items():
    m = doc["Metrics"].get(key, {})
    got = (m.get("MetricName"), m.get("Stat"), m.get("Values"), m.get("Total"), m.get("Max"))
    if got != (metric, stat, values, total, mx):
        bad.append("%s: %r, wanted %r" % (key, got, (metric, stat, values, total, mx)))
    if m.get("Timestamps") != ts:
        bad.append("%s: timestamps %r" % (key, m.get("Timestamps")))
    if m.get("StatusCode") != "Complete" or m.get("Messages") is not None:
        bad.append("%s: status %r %r" % (key, m.get("StatusCode"), m.get("Messages")))
print("; ".join(bad) or "ok")
PY
)
expect_equal "every slot of every series exact, gaps null, totals and maxima" "ok" "$check"
sleep 0.2
expect_equal "one GetMetricData for the six series" "$((before + 1))" "$(gmd)"

# --- the same numbers as the aws CLI on the same endpoint ---
if [ -x /usr/bin/aws ]; then
	cat >"$WORK/q.json" <<JSON
[{"Id": "inv", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Invocations",
  "Dimensions": [{"Name": "FunctionName", "Value": "$FN"}]}, "Period": 300, "Stat": "Sum"}},
 {"Id": "p99", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Duration",
  "Dimensions": [{"Name": "FunctionName", "Value": "$FN"}]}, "Period": 300, "Stat": "p99"}}]
JSON
	aws_as alpha cloudwatch get-metric-data --metric-data-queries "file://$WORK/q.json" \
		--start-time "$START" --end-time "$END" --scan-by TimestampAscending >"$WORK/cli.json"
	same=$("$PYTHON3" - "$WORK/cli.json" "$WORK/metrics.json" <<'PY'
import json, sys
cli = {r["Id"]: r["Values"] for r in json.load(open(sys.argv[1]))["MetricDataResults"]}
dlc = json.load(open(sys.argv[2]))["Metrics"]
ours = {"inv": [v for v in dlc["invocations"]["Values"] if v is not None],
        "p99": [v for v in dlc["duration_p99"]["Values"] if v is not None]}
print("same" if cli == ours else "cli %r dlc %r" % (cli, ours))
PY
)
	expect_equal "aws cloudwatch get-metric-data gives the same points" "same" "$same"
else
	echo "SKIP: /usr/bin/aws missing (install awscli); the oracle check did not run"
fi

# --- text: a table, no sparklines on a pipe ---
run "$DLC" metrics -e alpha dynamo-customers-to-s3-raw --since 1h --period 5m
expect_status "dlc metrics exits 0" 0
expect_contains "the header names the function, env and window" \
	"$FN in alpha: last 1h in 5m periods" "$OUT"
expect_contains "invocations: total, max, points" "invocationsSum42214/12" "$(squash "$OUT")"
expect_contains "errors: total, max, points" "errorsSum322/12" "$(squash "$OUT")"
expect_contains "throttles: no points" "throttlesSum--0/12" "$(squash "$OUT")"
expect_contains "duration p99: max only" "durationp99(ms)p991200.502/12" "$(squash "$OUT")"
expect_contains "concurrency: max only" "concurrentexecutionsMaximum52/12" "$(squash "$OUT")"
expect_not_contains "no sparkline on a pipe" "█" "$OUT"

# --- a terminal: sparklines, blocks or ASCII by the locale ---
# 12 points in 12 cells: levels of 0..21, gaps blank.
LC_ALL=C.UTF-8 script -qec "$DLC metrics -e alpha dynamo-customers-to-s3-raw --since 1h --period 5m" /dev/null >"$WORK/tty"
expect_contains "UTF-8: the invocations sparkline" "4/12   ▃▆  ▁     █" "$(tr -d '\r' <"$WORK/tty")"
LC_ALL=C script -qec "$DLC metrics -e alpha dynamo-customers-to-s3-raw --since 1h --period 5m" /dev/null >"$WORK/tty"
expect_contains "C locale: the ASCII sparkline" "4/12   :+  _     #" "$(tr -d '\r' <"$WORK/tty")"
expect_not_contains "C locale: no block characters" "▁" "$(cat "$WORK/tty")"

# --- a function with data every minute: the default window, 288 points ---
run "$DLC" metrics -e alpha mambu-datalake-reconciliation -o json
expect_status "the default window exits 0" 0
n=$(printf '%s' "$OUT" | "$PYTHON3" -c 'import json,sys; d=json.load(sys.stdin); print(len(d["Metrics"]["invocations"]["Values"]), d["Period"], d["Metrics"]["errors"]["Total"] > 0)')
expect_equal "24 h by 5 min by default; the failing function errs" "288 300 True" "$n"

# --- errors ---
run "$DLC" metrics -e alpha no-such-function
expect_status "an unknown function fails (1)" 1
expect_contains "it is named, with the environment" "no function 'no-such-function' in alpha" "$ERR"
expect_contains "and the fix" "'dlc ls -e alpha' lists the functions there" "$ERR"
run "$DLC" metrics -e alpha mambu-to-s3-raw --period 90s
expect_status "a period of 90 s is a usage error (2)" 2
expect_contains "it says why" "not whole minutes" "$ERR"
run "$DLC" metrics -e alpha mambu-to-s3-raw --since 2w --period 1m
expect_status "too many points is a usage error (2)" 2
expect_contains "it says what to do" "a longer --period" "$ERR"
run "$DLC" metrics -e alpha mambu-to-s3-raw --since yesterday
expect_status "a --since that is no duration (2)" 2
expect_contains "it shows the form" "24h, 90m" "$ERR"
run "$DLC" metrics -e alpha
expect_status "no function is a usage error (2)" 2
run "$DLC" metrics -e nowhere mambu-to-s3-raw
expect_status "an unknown environment fails (1)" 1
expect_contains "the environment is named" "nowhere" "$ERR"

finish
