#!/bin/sh
# Benchmark: `dlc audit -e alpha -o json` of 100 functions against the same
# facts gathered with the Debian aws CLI in a shell loop
# (bench/audit-aws-loop.sh: list-functions, describe-log-groups,
# describe-alarms, list-event-source-mappings, list-layer-versions per
# layer, then per function describe-subscription-filters,
# list-rule-names-by-target and describe-rule), on one fakeaws, in one
# run. The account holds the 8 seeded functions (with their findings) and
# 92 from fakeaws's scale knob (POST /_fakeaws/lambda/scale), each with its
# group, filter, rule and three alarms. Requests from fakeaws's request
# log; wall and CPU time (user+sys, children included) from hyperfine; peak
# memory (max RSS of the largest process) from GNU time. Prints a Markdown
# section for RESULTS.md.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
export DLC_SRCDIR="$top"
. "$top/tests/e2e/lib.sh"
for DLC in "${BENCH_DLC:-}" "$top/build/dlc" "$top/build-check/dlc" "$top/build-demo/dlc" "$top/dlc"; do
	[ -n "$DLC" ] && [ -x "$DLC" ] && break
done
[ -x "$DLC" ] || { echo "build dlc first (sh scripts/test.sh or sh scripts/demo.sh)"; exit 1; }
runs=${BENCH_RUNS:-10}
aws_runs=${BENCH_AWS_RUNS:-1}	# one loop run is several minutes of CLI start-ups
total=100

start_fakeaws --log-requests "$WORK/requests.jsonl"
write_static_profiles
write_dlc_ini
extra=$((total - $(seed_value count alpha 0)))
"$PYTHON3" -c 'import json,sys,urllib.request
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/lambda/scale", method="POST",
    data=json.dumps({"account": "alpha", "count": int(sys.argv[2])}).encode())
urllib.request.urlopen(req).read()' "$ENDPOINT" "$extra"
export ENDPOINT AWS_ACCESS_KEY_ID="$(seed_value key alpha)" AWS_SECRET_ACCESS_KEY="$(seed_value secret alpha)"
export AWS_DEFAULT_REGION=eu-west-1 AWS_PAGER=

# requests CMD...: runs CMD once (output to $WORK/run.out, its peak RSS
# in KiB to $WORK/run.mem, by GNU time) and prints how many requests
# fakeaws logged for it (it logs after answering: wait until the count
# stops moving). One run gives both: the loop takes minutes.
requests() {
	before=$(wc -l <"$WORK/requests.jsonl")
	/usr/bin/time -o "$WORK/run.mem" -f %M "$@" >"$WORK/run.out" 2>"$WORK/run.err" || [ $? -eq 4 ]
	n=-1
	while [ "$n" != "$(wc -l <"$WORK/requests.jsonl")" ]; do
		n=$(wc -l <"$WORK/requests.jsonl"); sleep 0.3
	done
	echo $((n - before))
}

req_dlc=$(requests "$DLC" audit -e alpha -o json)
mem_dlc=$(tail -1 "$WORK/run.mem")
n_dlc=$("$PYTHON3" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["Functions"]))' "$WORK/run.out")
"$PYTHON3" - "$WORK/requests.jsonl" "$req_dlc" >"$WORK/ops_dlc" <<'PY'
import collections, json, sys
lines = open(sys.argv[1]).read().splitlines()[-int(sys.argv[2]):]
c = collections.Counter(json.loads(l)["operation"] for l in lines)
print(", ".join("%s %d" % kv for kv in sorted(c.items(), key=lambda kv: -kv[1])))
PY
req_aws=$(requests sh "$top/bench/audit-aws-loop.sh")
mem_aws=$(tail -1 "$WORK/run.mem")
n_aws=$(grep -c . "$WORK/run.out")
[ "$n_dlc" = $total ] && [ "$n_aws" = $total ] || { echo "functions audited: dlc $n_dlc, aws loop $n_aws (want $total)"; cat "$WORK/run.err"; exit 1; }

# Exit status 4 (findings) is the audit's answer, not a failure: -i.
hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$WORK/h-dlc.json" \
	"$DLC audit -e alpha -o json" >"$WORK/hyperfine-dlc.txt"
hyperfine -N --runs "$aws_runs" --export-json "$WORK/h-aws.json" \
	"sh $top/bench/audit-aws-loop.sh" >"$WORK/hyperfine-aws.txt"

"$PYTHON3" - "$WORK/h-dlc.json" "$WORK/h-aws.json" "$mem_dlc" "$mem_aws" "$req_dlc" "$req_aws" \
	"$(nproc)" "$runs" "$aws_runs" "$(cat "$WORK/ops_dlc")" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["results"][0]
a = json.load(open(sys.argv[2]))["results"][0]
md, ma, rd, ra = (int(x) for x in sys.argv[3:7])
cpu = lambda x: x["user"] + x["system"]
sd = lambda x: x["stddev"] or 0.0
print("### dlc audit vs the aws CLI in a shell loop (100 functions, fakeaws, %s cores; %s and %s runs)\n"
      % (sys.argv[7], sys.argv[8], sys.argv[9]))
print("| | dlc audit -e alpha -o json | aws CLI loop | ratio (aws/dlc) |")
print("|---|---|---|---|")
print("| requests | %d | %d | %.1fx |" % (rd, ra, ra / rd))
print("| wall, mean ± sd | %.0f ms ± %.0f | %.1f s ± %.1f | **%.0fx** |" % (
    d["mean"] * 1e3, sd(d) * 1e3, a["mean"], sd(a), a["mean"] / d["mean"]))
print("| CPU (user+sys), mean | %.0f ms | %.1f s | %.0fx |" % (cpu(d) * 1e3, cpu(a), cpu(a) / cpu(d)))
print("| peak RSS | %.1f MiB | %.1f MiB | %.1fx |" % (md / 1024, ma / 1024, ma / md))
print("\ndlc's requests by operation: %s." % sys.argv[10])
PY
