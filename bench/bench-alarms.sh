#!/bin/sh
# Benchmark: `dlc alarms -e alpha -o json` against `aws cloudwatch
# describe-alarms --alarm-types CompositeAlarm MetricAlarm` (the Debian
# awscli, which pages through NextToken itself) on the same fakeaws with
# 1,000 more alarms in alpha (cwfake's knob), in one run. Wall time by
# hyperfine; CPU time (user+sys) from hyperfine's export; peak memory (max
# RSS) from GNU time. Both fetch every alarm in pages of 100; dlc also lists
# the functions and matches each alarm to one. Prints a Markdown section
# for RESULTS.md.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
export DLC_SRCDIR="$top"
. "$top/tests/e2e/lib.sh"
for DLC in "${BENCH_DLC:-}" "$top/build-check/dlc" "$top/build/dlc" "$top/build-demo/dlc" "$top/dlc"; do
	[ -n "$DLC" ] && [ -x "$DLC" ] && break
done
[ -x "$DLC" ] || { echo "build dlc first (sh scripts/test.sh or sh scripts/demo.sh)"; exit 1; }
AWS=/usr/bin/aws
runs=${BENCH_RUNS:-10}

start_fakeaws
write_static_profiles
write_dlc_ini
export AWS_ACCESS_KEY_ID="$(seed_value key alpha)" AWS_SECRET_ACCESS_KEY="$(seed_value secret alpha)"
export AWS_DEFAULT_REGION=eu-west-1
"$PYTHON3" - "$ENDPOINT" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/cloudwatch/alarms",
    data=b'{"account": "alpha", "extra": 1000}', method="POST")
urllib.request.urlopen(req).read()
PY

count='import json,sys; d=json.load(sys.stdin); print(len(d.get("Alarms") or d["MetricAlarms"] + d["CompositeAlarms"]))'
n_dlc=$("$DLC" alarms -e alpha -o json | "$PYTHON3" -c "$count" || true)
n_aws=$("$AWS" --endpoint-url "$ENDPOINT" cloudwatch describe-alarms --alarm-types CompositeAlarm MetricAlarm \
	--output json | "$PYTHON3" -c "$count")
[ "$n_dlc" = "$n_aws" ] && [ "$n_dlc" -ge 1000 ] || { echo "alarm counts: dlc $n_dlc, aws $n_aws (want the same, >= 1000)"; exit 1; }

# dlc exits 3 (alarms in ALARM): hyperfine must not take that for a failure.
hyperfine --warmup 2 --runs "$runs" --export-json "$WORK/h.json" -N -i \
	"$DLC alarms -e alpha -o json" \
	"$AWS --endpoint-url $ENDPOINT cloudwatch describe-alarms --alarm-types CompositeAlarm MetricAlarm --output json" \
	>"$WORK/hyperfine.txt"

peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
mem_dlc=$(peak "$DLC" alarms -e alpha -o json)
mem_aws=$(peak "$AWS" --endpoint-url "$ENDPOINT" cloudwatch describe-alarms --alarm-types CompositeAlarm MetricAlarm --output json)

"$PYTHON3" - "$WORK/h.json" "$mem_dlc" "$mem_aws" "$(nproc)" "$n_dlc" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
d, a = r[0], r[1]
md, ma = int(sys.argv[2]), int(sys.argv[3])
cpu = lambda x: x["user"] + x["system"]
print("### dlc alarms vs aws cloudwatch describe-alarms (%s alarms, fakeaws, %s cores)\n" % (sys.argv[5], sys.argv[4]))
print("| | dlc alarms -e alpha -o json | aws cloudwatch describe-alarms | ratio (aws/dlc) |")
print("|---|---|---|---|")
print("| wall, mean ± sd | %.1f ms ± %.1f | %.1f ms ± %.1f | **%.1fx** |" % (d["mean"]*1e3, d["stddev"]*1e3, a["mean"]*1e3, a["stddev"]*1e3, a["mean"]/d["mean"]))
print("| CPU (user+sys), mean | %.1f ms | %.1f ms | %.1fx |" % (cpu(d)*1e3, cpu(a)*1e3, cpu(a)/cpu(d)))
print("| peak RSS | %.1f MiB | %.1f MiB | %.1fx |" % (md/1024, ma/1024, ma/md))
PY
