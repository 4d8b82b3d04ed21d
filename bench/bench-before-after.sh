#!/bin/sh
# Two builds of dlc side by side, in one run: `dlc ls` (500 functions),
# `dlc logs` as text and as NDJSON (200,000 events) and the console's
# first frame with the whole list (500 functions, ten pages), each against the same fakeaws, with the aws
# CLI's times for the same work as the yardstick. For checking that a
# change to the engine made nothing slower.
#
#   BENCH_BEFORE=old/dlc BENCH_AFTER=new/dlc sh bench/bench-before-after.sh
#
# Prints a Markdown section for RESULTS.md. CPU is user+sys from hyperfine.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
export DLC_SRCDIR="$top"
. "$top/tests/e2e/lib.sh"
trap cleanup EXIT INT TERM
B=${BENCH_BEFORE:?set BENCH_BEFORE to the older dlc}
A=${BENCH_AFTER:?set BENCH_AFTER to the newer dlc}
AWS=/usr/bin/aws
runs=${BENCH_RUNS:-10}
G=/aws/lambda/datalake-alpha-mambu-to-s3-raw

start_fakeaws --extra-functions $(( 500 - $(seed_value count alpha 0) )) --log-events-per-function 10
write_static_profiles
write_dlc_ini
export DLC_THEMES_DIR="$top/themes" TERM=xterm-256color
export AWS_ACCESS_KEY_ID="$(seed_value key alpha)" AWS_SECRET_ACCESS_KEY="$(seed_value secret alpha)"
export AWS_DEFAULT_REGION=eu-west-1
"$PYTHON3" "$top/bench/seed-events.py" "$ENDPOINT" "$G"

h() {	# NAME CMD...: hyperfine over the before, the after and the aws CLI
	name=$1; shift
	hyperfine --warmup 1 --runs "$runs" -N --export-json "$WORK/$name.json" "$@" >/dev/null
}
h ls "$B ls -e alpha -o json" "$A ls -e alpha -o json" \
	"$AWS --endpoint-url $ENDPOINT lambda list-functions --output json"
h console "$B -e alpha --exit-when-loaded" "$A -e alpha --exit-when-loaded" \
	"$AWS --endpoint-url $ENDPOINT lambda list-functions --output json"
runs=$(( runs > 3 ? 3 : runs ))
h text "$B logs -e alpha mambu-to-s3-raw --since 2h --format short" \
	"$A logs -e alpha mambu-to-s3-raw --since 2h --format short" \
	"$AWS --endpoint-url $ENDPOINT logs tail $G --since 2h"
h json "$B logs -e alpha mambu-to-s3-raw --since 2h --format json" \
	"$A logs -e alpha mambu-to-s3-raw --since 2h --format json" \
	"$AWS --endpoint-url $ENDPOINT logs tail $G --since 2h --format json"

"$PYTHON3" - "$WORK" "$(nproc)" <<'PY'
import json, sys
work, cores = sys.argv[1], sys.argv[2]
rows = [("ls", "dlc ls -e alpha -o json (500 functions)", "aws lambda list-functions", 1e3, "ms"),
        ("console", "console, first frame with the list (500 functions)", "aws lambda list-functions", 1e3, "ms"),
        ("text", "dlc logs --since 2h (200,000 events)", "aws logs tail --since 2h", 1, "s"),
        ("json", "dlc logs --since 2h --format json", "aws logs tail --since 2h --format json", 1, "s")]
print("### Before and after, one run (%s cores)\n" % cores)
print("| | before: wall / CPU | after: wall / CPU | after / before (CPU) | yardstick | its CPU / after's |")
print("|---|---|---|---|---|---|")
for key, what, aws, scale, unit in rows:
    b, a, y = json.load(open("%s/%s.json" % (work, key)))["results"]
    cpu = lambda x: (x["user"] + x["system"])
    f = lambda x: "%.*f %s / %.*f %s" % (1 if unit == "ms" else 2, x["mean"] * scale, unit,
                                         1 if unit == "ms" else 3, cpu(x) * scale, unit)
    print("| %s | %s | %s | %.2f | %s | **%.1fx** |" % (what, f(b), f(a), cpu(a) / cpu(b), aws, cpu(y) / cpu(a)))
PY
