#!/bin/sh
# Benchmarks for the console, in one run:
# 1. start to first frame with the function list drawn (dlc -e alpha
#    --exit-when-loaded, a real curses session writing to /dev/null) against
#    `aws lambda list-functions` on the same fakeaws, 60 functions;
# 2. keystroke to paint with 1,000 functions: the console in tmux, 300 key
#    presses moving the selection, then a filter typed and erased letter by
#    letter (each letter filters the whole list again), timed inside dlc
#    from the key read to the frame written out (DLC_FRAME_STATS);
# 3. the cost of one frame of 10,000 functions: the console in tmux against
#    fakeaws with 10,000 functions, 300 key presses moving the selection,
#    each redraw timed inside dlc.
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

# console_keys N FILE: the console on N functions, moved, filtered, quit.
console_keys() {
	start_fakeaws --extra-functions $(($1 - $(seed_value count alpha 0)))
	write_static_profiles
	CONSOLE_ENV="DLC_FRAME_STATS=$2" console_start 160 50 -e alpha
	wait_for "$1 functions listed" "functions (alpha) $1/$1" 120 >/dev/null
	i=0
	while [ $i -lt 300 ]; do send j; i=$((i + 1)); done
	send /
	for c in r e c o n c i l i a t i o n; do send -l "$c"; done
	i=0
	while [ $i -lt 14 ]; do send BSpace; i=$((i + 1)); done
	send Escape
	sleep 1
	send :
	send -l q
	send Enter
	i=0; while [ ! -s "$2" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
console_keys 1000 "$WORK/keys"
console_keys 10000 "$WORK/frames"

"$PYTHON3" - "$WORK/h.json" "$WORK/keys" "$WORK/frames" "$(nproc)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
d, a = r[0], r[1]
def series(path):	# {name: {field: value}}, one line a series
    out = {}
    for line in open(path):
        w = line.split()
        out[w[0]] = dict(zip(["n"] + w[2::2], [w[1]] + w[3::2]))
    return out
k, f = series(sys.argv[2]), series(sys.argv[3])
print("### Console: first frame, keystroke to paint on 1,000 functions, one frame of 10,000 (%s cores)\n" % sys.argv[4])
print("| | dlc -e alpha (first full frame) | aws lambda list-functions | ratio (aws/dlc) |")
print("|---|---|---|---|")
print("| wall, mean ± sd (60 functions) | %.1f ms ± %.1f | %.1f ms ± %.1f | **%.1fx** |" % (d["mean"]*1e3, d["stddev"]*1e3, a["mean"]*1e3, a["stddev"]*1e3, a["mean"]/d["mean"]))
print("| CPU (user+sys), mean | %.1f ms | %.1f ms | %.1fx |" % ((d["user"]+d["system"])*1e3, (a["user"]+a["system"])*1e3, (a["user"]+a["system"])/(d["user"]+d["system"])))
print()
print("| inside dlc, key read to frame written (%s functions, 160x50) | keys | mean | p50 | p95 | max |" % k["keys"]["rows"])
print("|---|---|---|---|---|---|")
for name, what in (("keys", "moving the selection (j)"), ("filter_keys", "typing and erasing a filter")):
    s = k.get(name, {"n": "0", "mean_us": "-", "p50_us": "-", "p95_us": "-", "max_us": "-"})
    print("| %s | %s | %s µs | %s µs | %s µs | %s µs |" % (what, s["n"], s["mean_us"], s["p50_us"], s["p95_us"], s["max_us"]))
print()
m = f["frames"]
print("One redraw of the main view with %s functions listed (%s frames, 160x50): mean %s µs, p50 %s µs, p95 %s µs, max %s µs." % (m["rows"], m["n"], m["mean_us"], m["p50_us"], m["p95_us"], m["max_us"]))
PY
