#!/bin/sh
# Benchmarks for the console, in one run:
# 1. start to first frame with the function list drawn (dlc -e alpha
#    --exit-when-loaded, a real curses session writing to /dev/null) against
#    `aws lambda list-functions` on the same fakeaws, 60 functions;
# 2. the cost of one frame of 10,000 functions: the console in tmux against
#    fakeaws with 10,000 functions, 300 key presses moving the selection,
#    each redraw timed inside dlc (DLC_FRAME_STATS).
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
export DLC_SRCDIR="$top"
. "$top/tests/e2e/lib.sh"
. "$top/tests/e2e/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM
for DLC in "${BENCH_DLC:-}" "$top/build-check/dlc" "$top/build-demo/dlc" "$top/dlc"; do
	[ -n "$DLC" ] && [ -x "$DLC" ] && break
done
[ -x "$DLC" ] || { echo "build dlc first (sh scripts/test.sh)"; exit 1; }
AWS=/usr/bin/aws
runs=${BENCH_RUNS:-10}

start_fakeaws --extra-functions 52
write_static_profiles
write_dlc_ini
export DLC_THEMES_DIR="$top/themes"
export AWS_ACCESS_KEY_ID="$(seed_value key alpha)" AWS_SECRET_ACCESS_KEY="$(seed_value secret alpha)"
export AWS_DEFAULT_REGION=eu-west-1
TERM=xterm-256color hyperfine --warmup 2 --runs "$runs" --export-json "$WORK/h.json" -N \
	"env TERM=xterm-256color $DLC -e alpha --exit-when-loaded" \
	"$AWS --endpoint-url $ENDPOINT lambda list-functions --output json" >"$WORK/hyperfine.txt"

start_fakeaws --extra-functions $((10000 - $(seed_value count alpha 0)))
write_static_profiles
CONSOLE_ENV="DLC_FRAME_STATS=$WORK/frames" console_start 160 50 -e alpha
wait_for "10,000 functions listed" "functions (alpha) 10000/10000" 120 >/dev/null
i=0
while [ $i -lt 300 ]; do send j; i=$((i + 1)); done
sleep 1
send :
send -l q
send Enter
i=0; while [ ! -s "$WORK/frames" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

"$PYTHON3" - "$WORK/h.json" "$WORK/frames" "$(nproc)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
d, a = r[0], r[1]
f = dict(zip(*[iter(open(sys.argv[2]).read().split())] * 2))
print("### Console: start to first frame with the list, and one frame of 10,000 functions (%s cores)\n" % sys.argv[3])
print("| | dlc -e alpha (first full frame) | aws lambda list-functions | ratio (aws/dlc) |")
print("|---|---|---|---|")
print("| wall, mean ± sd (60 functions) | %.1f ms ± %.1f | %.1f ms ± %.1f | **%.1fx** |" % (d["mean"]*1e3, d["stddev"]*1e3, a["mean"]*1e3, a["stddev"]*1e3, a["mean"]/d["mean"]))
print("| CPU (user+sys), mean | %.1f ms | %.1f ms | %.1fx |" % ((d["user"]+d["system"])*1e3, (a["user"]+a["system"])*1e3, (a["user"]+a["system"])/(d["user"]+d["system"])))
print()
print("One redraw of the main view with %s functions listed (%s frames, 160x50): mean %s µs, p50 %s µs, p95 %s µs, max %s µs." % (f["rows"], f["frames"], f["mean_us"], f["p50_us"], f["p95_us"], f["max_us"]))
PY
