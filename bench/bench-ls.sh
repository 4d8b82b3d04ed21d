#!/bin/sh
# Benchmark: `dlc ls -e alpha -o json` against `aws lambda list-functions`
# (the Debian awscli) on the same fakeaws with 500 functions, in one run.
# Wall time by hyperfine; CPU time (user+sys) from hyperfine's export; peak
# memory (max RSS) from GNU time. Prints a Markdown section for RESULTS.md.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
export DLC_SRCDIR="$top"
. "$top/tests/e2e/lib.sh"
# The binary a build left: the test build, the demo build, or an in-tree one.
for DLC in "${BENCH_DLC:-}" "$top/build-check/dlc" "$top/build-demo/dlc" "$top/dlc"; do
	[ -n "$DLC" ] && [ -x "$DLC" ] && break
done
[ -x "$DLC" ] || { echo "build dlc first (sh scripts/test.sh or sh scripts/demo.sh)"; exit 1; }
AWS=/usr/bin/aws
runs=${BENCH_RUNS:-10}

extra=$(( 500 - $(seed_value count alpha 0) ))
start_fakeaws --extra-functions "$extra"
write_static_profiles
write_dlc_ini
export AWS_ACCESS_KEY_ID="$(seed_value key alpha)" AWS_SECRET_ACCESS_KEY="$(seed_value secret alpha)"
export AWS_DEFAULT_REGION=eu-west-1

n_dlc=$("$DLC" ls -e alpha -o json | "$PYTHON3" -c 'import json,sys; print(len(json.load(sys.stdin)["Functions"]))')
n_aws=$("$AWS" --endpoint-url "$ENDPOINT" lambda list-functions --output json | "$PYTHON3" -c 'import json,sys; print(len(json.load(sys.stdin)["Functions"]))')
[ "$n_dlc" = 500 ] && [ "$n_aws" = 500 ] || { echo "function counts: dlc $n_dlc, aws $n_aws (want 500)"; exit 1; }

hyperfine --warmup 2 --runs "$runs" --export-json "$WORK/h.json" -N \
	"$DLC ls -e alpha -o json" \
	"$AWS --endpoint-url $ENDPOINT lambda list-functions --output json" >"$WORK/hyperfine.txt"

peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
mem_dlc=$(peak "$DLC" ls -e alpha -o json)
mem_aws=$(peak "$AWS" --endpoint-url "$ENDPOINT" lambda list-functions --output json)

"$PYTHON3" - "$WORK/h.json" "$mem_dlc" "$mem_aws" "$(nproc)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
d, a = r[0], r[1]
md, ma = int(sys.argv[2]), int(sys.argv[3])
cpu = lambda x: x["user"] + x["system"]
print("### dlc ls vs aws lambda list-functions (500 functions, fakeaws, %s cores)\n" % sys.argv[4])
print("| | dlc ls -e alpha -o json | aws lambda list-functions | ratio (aws/dlc) |")
print("|---|---|---|---|")
print("| wall, mean ± sd | %.1f ms ± %.1f | %.1f ms ± %.1f | **%.1fx** |" % (d["mean"]*1e3, d["stddev"]*1e3, a["mean"]*1e3, a["stddev"]*1e3, a["mean"]/d["mean"]))
print("| CPU (user+sys), mean | %.1f ms | %.1f ms | %.1fx |" % (cpu(d)*1e3, cpu(a)*1e3, cpu(a)/cpu(d)))
print("| peak RSS | %.1f MiB | %.1f MiB | %.1fx |" % (md/1024, ma/1024, ma/md))
PY
