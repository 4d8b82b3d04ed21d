#!/bin/sh
# Benchmark: `dlc push -e alpha salesforce-cases-to-s3-raw` against the
# Debian aws CLI's `aws lambda update-function-code --zip-file` of the same
# function on the same fakeaws (updates settle at once: --update-delay-ms 0,
# so each push's wait is one poll), in one run. Three commands:
#   dlc push, changed   a line of the source changes before every run, so
#                       dlc builds, scans, compares, uploads, waits and
#                       verifies every time;
#   dlc push, unchanged nothing changed: build skipped, compared, nothing sent;
#   aws                 only UpdateFunctionCode of a zip already built (no
#                       build, no wait, no verify).
# Wall time by hyperfine; CPU (user+sys) from its export. Prints a Markdown
# section for RESULTS.md.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
export DLC_SRCDIR="$top"
. "$top/tests/e2e/lib.sh"
for DLC in "${BENCH_DLC:-}" "$top/build-check/dlc" "$top/build/dlc" "$top/build-demo/dlc" "$top/dlc"; do
	[ -n "$DLC" ] && [ -x "$DLC" ] && break
done
[ -x "$DLC" ] || { echo "build dlc first (sh scripts/test.sh)"; exit 1; }
AWS=/usr/bin/aws
runs=${BENCH_RUNS:-10}

start_fakeaws --update-delay-ms 0
write_static_profiles
write_dlc_ini
cp -r "$top/functions" "$WORK/functions"
sed -i "s|^functions = .*|functions = $WORK/functions|" "$WORK/dlc.ini"
export AWS_ACCESS_KEY_ID="$(seed_value key alpha)" AWS_SECRET_ACCESS_KEY="$(seed_value secret alpha)"
export AWS_DEFAULT_REGION=eu-west-1
fn=salesforce-cases-to-s3-raw
src="$WORK/functions/$fn/src/lambda_function.py"

# Both must work before they are timed.
"$DLC" push -e alpha "$fn" >/dev/null 2>&1 || { echo "dlc push failed"; exit 1; }
zip="$WORK/.dlc/build/$fn.zip"
"$AWS" --endpoint-url "$ENDPOINT" lambda update-function-code --function-name "datalake-alpha-$fn" \
	--zip-file "fileb://$zip" >/dev/null || { echo "aws failed"; exit 1; }

hyperfine --warmup 2 --runs "$runs" --export-json "$WORK/h.json" -N \
	--prepare "sh -c 'echo \"# \$(date +%s%N)\" >>$src'" \
	-n "dlc push, changed" "$DLC push -e alpha $fn" >"$WORK/hyperfine1.txt"
# BENCH_BEFORE=old/dlc: the same two pushes by an older build, in this run.
if [ -n "${BENCH_BEFORE:-}" ]; then
	hyperfine --warmup 2 --runs "$runs" --export-json "$WORK/hb.json" -N \
		--prepare "sh -c 'echo \"# \$(date +%s%N)\" >>$src'" \
		-n "before: dlc push, changed" "$BENCH_BEFORE push -e alpha $fn" >"$WORK/hyperfine3.txt"
	hyperfine --warmup 2 --runs "$runs" --export-json "$WORK/hb2.json" -N \
		-n "before: dlc push, unchanged" "$BENCH_BEFORE push -e alpha $fn" >"$WORK/hyperfine4.txt"
	"$PYTHON3" - "$WORK/hb.json" "$WORK/hb2.json" <<'PY'
import json, sys
for f in sys.argv[1:]:
    r = json.load(open(f))["results"][0]
    print("| %s | %.1f ms ± %.1f | %.1f ms |" % (r["command"], r["mean"]*1e3, r["stddev"]*1e3, (r["user"] + r["system"])*1e3))
PY
	echo
fi
hyperfine --warmup 2 --runs "$runs" --export-json "$WORK/h2.json" -N \
	-n "dlc push, unchanged" "$DLC push -e alpha $fn" \
	-n "aws update-function-code" "$AWS --endpoint-url $ENDPOINT lambda update-function-code --function-name datalake-alpha-$fn --zip-file fileb://$zip" \
	>"$WORK/hyperfine2.txt"

"$PYTHON3" - "$WORK/h.json" "$WORK/h2.json" "$(nproc)" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["results"][0]
u, a = json.load(open(sys.argv[2]))["results"]
cpu = lambda x: x["user"] + x["system"]
print("### dlc push vs aws lambda update-function-code (fakeaws, %s cores)\n" % sys.argv[3])
print("| | wall, mean ± sd | CPU (user+sys) | aws wall / this |")
print("|---|---|---|---|")
for name, r in (("dlc push, changed (build, scan, upload, wait, verify)", c),
                ("dlc push, unchanged (compared, nothing sent)", u),
                ("aws lambda update-function-code (upload only)", a)):
    print("| %s | %.1f ms ± %.1f | %.1f ms | **%.1fx** |" % (name, r["mean"]*1e3, r["stddev"]*1e3, cpu(r)*1e3, a["mean"]/r["mean"]))
PY
