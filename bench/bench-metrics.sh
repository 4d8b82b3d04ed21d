#!/bin/sh
# Benchmark (issue 17): the metrics of 100 functions over 24 hours at a
# 5-minute period, read and drawn, and dlc metrics against aws cloudwatch
# get-metric-data on the same fakeaws.
# 1. One GetMetricData answer for 100 functions x 2 series (invocations,
#    errors) x 288 points, captured from fakeaws through the aws CLI, is
#    parsed, merged, put on the grid and drawn as sparklines by
#    bench/bench-metrics (target: under 50 ms); the same for an answer
#    written in-process (2 and 6 series a function).
# 2. `dlc metrics -e alpha FN -o json` (six series, 24 h, 5 min) against
#    `aws cloudwatch get-metric-data` with the same six queries: wall time
#    by hyperfine, CPU (user+sys) from its export, peak RSS by GNU time.
# Prints a Markdown section for bench/RESULTS.md.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
export DLC_SRCDIR="$top"
. "$top/tests/e2e/lib.sh"
for DLC in "${BENCH_DLC:-}" "$top/build-check/dlc" "$top/build-demo/dlc" "$top/build/dlc" "$top/dlc"; do
	[ -n "$DLC" ] && [ -x "$DLC" ] && break
done
[ -x "$DLC" ] || { echo "build dlc first (sh scripts/test.sh)"; exit 1; }
BUILD=$(dirname "$DLC")
make -s -C "$BUILD" bench/bench-metrics >/dev/null
AWS=/usr/bin/aws
runs=${BENCH_RUNS:-10}

extra=$(( 100 - $(seed_value count alpha 0) ))
start_fakeaws --extra-functions "$extra"
write_static_profiles
write_dlc_ini
export AWS_ACCESS_KEY_ID="$(seed_value key alpha)" AWS_SECRET_ACCESS_KEY="$(seed_value secret alpha)"
export AWS_DEFAULT_REGION=eu-west-1

# The 200 queries the functions view would send (ids by index), for the
# last 24 h on 5-minute boundaries, and the six of dlc metrics.
"$DLC" ls -e alpha -o json >"$WORK/ls.json"
"$PYTHON3" - "$WORK" <<'PY'
import json, os, sys, time
w = sys.argv[1]
fns = [f["FunctionName"] for f in json.load(open(os.path.join(w, "ls.json")))["Functions"]]
assert len(fns) == 100, len(fns)
end = (int(time.time()) // 300 + 1) * 300
def q(i, key, fn, metric, stat):
    return {"Id": "f%d_%s" % (i, key), "MetricStat": {"Metric": {"Namespace": "AWS/Lambda",
            "MetricName": metric, "Dimensions": [{"Name": "FunctionName", "Value": fn}]},
            "Period": 300, "Stat": stat}}
two = []
for i, fn in enumerate(fns):
    two += [q(i, "invocations", fn, "Invocations", "Sum"), q(i, "errors", fn, "Errors", "Sum")]
six = [q(0, k, "datalake-alpha-mambu-to-s3-raw", m, s) for k, m, s in (
    ("invocations", "Invocations", "Sum"), ("errors", "Errors", "Sum"),
    ("throttles", "Throttles", "Sum"), ("duration_p50", "Duration", "p50"),
    ("duration_p99", "Duration", "p99"), ("concurrent", "ConcurrentExecutions", "Maximum"))]
json.dump(two, open(os.path.join(w, "q200.json"), "w"))
json.dump(six, open(os.path.join(w, "q6.json"), "w"))
open(os.path.join(w, "end"), "w").write("%d %d\n" % (end - 86400, end))
PY
read -r START END <"$WORK/end"

# The answer's bytes, as fakeaws sent them (the aws CLI's --debug prints them).
"$AWS" --endpoint-url "$ENDPOINT" cloudwatch get-metric-data --metric-data-queries "file://$WORK/q200.json" \
	--start-time "$START" --end-time "$END" --scan-by TimestampAscending --debug 2>"$WORK/debug.log" >/dev/null
"$PYTHON3" - "$WORK/debug.log" "$WORK/body.xml" <<'PY'
import ast, sys
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")
bodies = [lines[i + 1] for i, l in enumerate(lines) if l.endswith("Response body:")]
body = ast.literal_eval(bodies[-1])
assert b"<GetMetricDataResponse" in body and b"<NextToken>" not in body
open(sys.argv[2], "wb").write(body)
PY
parse_captured=$("$BUILD/bench/bench-metrics" "$WORK/body.xml" 2 "$END")
parse_written=$("$BUILD/bench/bench-metrics")

Q6="file://$WORK/q6.json"
hyperfine --warmup 2 --runs "$runs" --export-json "$WORK/h.json" -N \
	"$DLC metrics -e alpha mambu-to-s3-raw -o json" \
	"$AWS --endpoint-url $ENDPOINT cloudwatch get-metric-data --metric-data-queries $Q6 --start-time $START --end-time $END --output json" \
	>"$WORK/hyperfine.txt"
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
mem_dlc=$(peak "$DLC" metrics -e alpha mambu-to-s3-raw -o json)
mem_aws=$(peak "$AWS" --endpoint-url "$ENDPOINT" cloudwatch get-metric-data --metric-data-queries "$Q6" \
	--start-time "$START" --end-time "$END" --output json)

"$PYTHON3" - "$WORK/h.json" "$mem_dlc" "$mem_aws" "$(nproc)" "$parse_captured" "$parse_written" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
d, a = r[0], r[1]
md, ma = int(sys.argv[2]), int(sys.argv[3])
cpu = lambda x: x["user"] + x["system"]
print("### Metrics: 100 functions x 24 h drawn, and dlc metrics vs aws cloudwatch get-metric-data (fakeaws, %s cores)\n" % sys.argv[4])
print("bench/bench-metrics, 15 runs (target: under 50 ms for the functions view's 2 series):\n")
print("    " + sys.argv[5])
for line in sys.argv[6].splitlines():
    print("    " + line)
print("\n| | dlc metrics -e alpha FN -o json | aws cloudwatch get-metric-data (same 6 queries) | ratio (aws/dlc) |")
print("|---|---|---|---|")
print("| wall, mean ± sd | %.1f ms ± %.1f | %.1f ms ± %.1f | **%.1fx** |" % (d["mean"]*1e3, d["stddev"]*1e3, a["mean"]*1e3, a["stddev"]*1e3, a["mean"]/d["mean"]))
print("| CPU (user+sys), mean | %.1f ms | %.1f ms | %.1fx |" % (cpu(d)*1e3, cpu(a)*1e3, cpu(a)/cpu(d)))
print("| peak RSS | %.1f MiB | %.1f MiB | %.1fx |" % (md/1024, ma/1024, ma/md))
PY
