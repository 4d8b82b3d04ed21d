#!/bin/sh
# Benchmarks for dlc logs, in one run against the Debian aws CLI on the same
# fakeaws:
# 1. fetch and print 200,000 events: dlc logs --since vs
#    `aws logs filter-log-events` (paging to the end) and `aws logs tail --since`,
#    and dlc logs --format json (NDJSON) beside its text;
#    wall, CPU (user+sys) and peak memory;
# 2. follow latency from write to output: dlc logs -f vs aws logs tail --follow,
#    20 probes each, median and worst.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
export DLC_SRCDIR="$top"
. "$top/tests/e2e/lib.sh"
for DLC in "${BENCH_DLC:-}" "$top/build-check/dlc" "$top/build-demo/dlc" "$top/dlc"; do
	[ -n "$DLC" ] && [ -x "$DLC" ] && break
done
[ -x "$DLC" ] || { echo "build dlc first (sh scripts/test.sh)"; exit 1; }
AWS=/usr/bin/aws
runs=${BENCH_RUNS:-3}
G=/aws/lambda/datalake-alpha-mambu-to-s3-raw

start_fakeaws --log-events-per-function 10
write_static_profiles
write_dlc_ini
export AWS_ACCESS_KEY_ID="$(seed_value key alpha)" AWS_SECRET_ACCESS_KEY="$(seed_value secret alpha)"
export AWS_DEFAULT_REGION=eu-west-1

# 200,000 Lambda-like events over the last hour, 10,000 a request.
"$PYTHON3" "$top/bench/seed-events.py" "$ENDPOINT" "$G"
since_ms=$(( $("$PYTHON3" -c 'import time; print(int(time.time()))') * 1000 - 2 * 3600 * 1000 ))
n_dlc=$("$DLC" logs -e alpha mambu-to-s3-raw --since 2h --format message | grep -c 'loaded batch')
n_aws=$("$AWS" --endpoint-url "$ENDPOINT" logs filter-log-events --log-group-name "$G" \
	--start-time "$since_ms" --output json | "$PYTHON3" -c 'import json,sys; print(sum("loaded batch" in e["message"] for e in json.load(sys.stdin)["events"]))')
echo "events printed: dlc $n_dlc, aws filter-log-events $n_aws (want 200000)" >&2

hyperfine --runs "$runs" --export-json "$WORK/h.json" -N \
	"$DLC logs -e alpha mambu-to-s3-raw --since 2h --format short" \
	"$AWS --endpoint-url $ENDPOINT logs filter-log-events --log-group-name $G --start-time $since_ms --output json" \
	"$AWS --endpoint-url $ENDPOINT logs tail $G --since 2h" \
	"$DLC logs -e alpha mambu-to-s3-raw --since 2h --format json" >"$WORK/hyperfine.txt"
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
m1=$(peak "$DLC" logs -e alpha mambu-to-s3-raw --since 2h --format short)
m2=$(peak "$AWS" --endpoint-url "$ENDPOINT" logs filter-log-events --log-group-name "$G" --start-time "$since_ms" --output json)
m3=$(peak "$AWS" --endpoint-url "$ENDPOINT" logs tail "$G" --since 2h)
m4=$(peak "$DLC" logs -e alpha mambu-to-s3-raw --since 2h --format json)

lat_dlc=$("$PYTHON3" "$top/bench/latency.py" "$ENDPOINT" "$G" 20 -- "$DLC" logs -e alpha mambu-to-s3-raw -f --since 1m --format message)
lat_aws=$("$PYTHON3" "$top/bench/latency.py" "$ENDPOINT" "$G" 20 -- "$AWS" --endpoint-url "$ENDPOINT" logs tail "$G" --follow --since 1m)

"$PYTHON3" - "$WORK/h.json" "$m1" "$m2" "$m3" "$m4" "$lat_dlc" "$lat_aws" "$n_dlc" "$(nproc)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
mem = [int(x) / 1024 for x in sys.argv[2:6]]
ld, la = sys.argv[6].split(), sys.argv[7].split()
cpu = lambda x: x["user"] + x["system"]
names = ["dlc logs --since 2h", "aws logs filter-log-events", "aws logs tail --since 2h",
         "dlc logs --since 2h --format json"]
print("### dlc logs: 200,000 events, and follow latency (%s cores; dlc printed %s events)\n" % (sys.argv[9], sys.argv[8]))
print("| | wall, mean ± sd | CPU (user+sys) | peak RSS | CPU ratio (x/dlc) |")
print("|---|---|---|---|---|")
for i, x in enumerate(r):
    print("| %s | %.2f s ± %.2f | %.2f s | %.1f MiB | %s |" % (names[i], x["mean"], x["stddev"], cpu(x), mem[i],
          "1" if i == 0 else "**%.1fx**" % (cpu(x) / cpu(r[0]))))
print()
print("| follow latency, write to output (20 probes) | median | worst | never seen |")
print("|---|---|---|---|")
print("| dlc logs -f | %s ms | %s ms | %s |" % tuple(ld))
print("| aws logs tail --follow | %s ms | %s ms | %s |" % tuple(la))
PY
