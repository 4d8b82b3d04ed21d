#!/bin/sh
# dlc build end to end, with the stand-in pip on PATH and PYTHONPATH (no
# package index is reachable): every function and layer of functions/
# builds, the zips pass Python's zipfile and unzip -t, mambu-to-s3-raw's
# real command list runs in its own venv; two clones in different folders,
# with other umasks and touched mtimes, give byte-identical zips; an
# unchanged build is skipped; a failing command stops its build with its
# output; the source folders are never written; no staging folder is left.
. "$(dirname "$0")/lib.sh"

STANDIN="$SRCDIR/tests/e2e/standin"
export PATH="$STANDIN/bin:$PATH"
export PYTHONPATH="$STANDIN/py"
unset SOURCE_DATE_EPOCH

# clone DIR UMASK MTIME: a checkout's dlc.ini and functions/ in DIR.
clone() {
	(
		umask "$2"
		mkdir -p "$1"
		cp -R "$SRCDIR/functions" "$1/functions"
		find "$1/functions" -exec touch -h -d "$3" {} +
		printf '[dlc]\nfunctions = functions\n' >"$1/dlc.ini"
	)
}

# a folder's listing with modes and mtimes, to see that nothing wrote there
snapshot() {
	(cd "$1" && find . -printf '%p %m %s %T@\n' | sort)
}

clone "$WORK/a" 022 "2024-01-02 03:04:05"
clone "$WORK/deep/er/b" 077 "2019-05-06 07:08:09"
# the folders dlc reads: those with a manifest (functions/ also holds docs)
names=$(cd "$SRCDIR/functions" && ls -d */function.ini | sed "s|/function.ini$||")
count=$(printf '%s\n' $names | wc -l | tr -d ' ')
before=$(snapshot "$WORK/a/functions")

# The other clone builds at the same time, from another folder, umask 077
# (two dlc processes at once must not touch each other's files either).
(umask 077 && cd "$WORK/deep" && "$DLC" --config "$WORK/deep/er/b/dlc.ini" build --all -o json \
	>"$WORK/b.json" 2>"$WORK/b.err"; echo $? >"$WORK/b.status") &
bpid=$!
run "$DLC" --config "$WORK/a/dlc.ini" build --all
expect_status "build --all exits 0" 0
expect_equal "one line per function and layer, all built" "$count" \
	"$(printf '%s\n' "$OUT" | grep -c ' built /')"
expect_equal "the source folders are not written" "$before" "$(snapshot "$WORK/a/functions")"
bad=""
for n in $names; do
	z="$WORK/a/.dlc/build/$n.zip"
	"$PYTHON3" -m zipfile -t "$z" >/dev/null 2>&1 || bad="$bad $n(zipfile)"
	unzip -tq "$z" >/dev/null 2>&1 || bad="$bad $n(unzip)"
	[ "$(cat "$z.sha256")" = "$("$PYTHON3" -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()).digest()).decode())' "$z")" ] ||
		bad="$bad $n(sha256)"
done
expect_equal "every zip passes zipfile -t and unzip -t, CodeSha256 beside it" "" "$bad"
expect_equal "no staging folder is left" "" "$(ls -A "$WORK/a/.dlc/build" | grep -e stage -e dlc-pack)"

# mambu-to-s3-raw: the team's command list, its pip in its own venv.
log="$WORK/a/.dlc/build/mambu-to-s3-raw.build.log"
expect_contains "mambu's own pip 19.2 went into the build's venv" \
	"Successfully installed pip-19.2 into $WORK/a/.dlc/build/.mambu-to-s3-raw.stage-" "$(cat "$log")"
expect_contains "the commands ran in order" "$ mkdir package
$ python3 -m pip install --target package -r requirements.txt" "$(cat "$log")"
expect_equal "zip-root package: code and dependencies at the top, bin/ left out" \
	"lambda_function.py mambu_extract.py tap-mambu tap_mambu/__init__.py target-jsonl target_jsonl/__init__.py" \
	"$("$PYTHON3" -c 'import sys,zipfile; print(" ".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$WORK/a/.dlc/build/mambu-to-s3-raw.zip")"
expect_equal "the layer holds python/ at its top (rawframe and reconcile beside awswrangler), its requirements and tests left out" \
	"python/awswrangler/__init__.py python/rawframe.py python/reconcile.py" \
	"$("$PYTHON3" -c 'import sys,zipfile; print(" ".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$WORK/a/.dlc/build/aws-wrangler.zip")"
expect_equal "tap-mambu keeps its execute bit (0755), the code 0644" "755 644" \
	"$("$PYTHON3" -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print("%o %o" % (z.getinfo("tap-mambu").external_attr >> 16 & 0o777, z.getinfo("lambda_function.py").external_attr >> 16 & 0o777))' "$WORK/a/.dlc/build/mambu-to-s3-raw.zip")"

# The other clone, another folder, umask 077, other mtimes: the same bytes.
wait $bpid
expect_equal "the second clone builds too" 0 "$(cat "$WORK/b.status")"
diff=""
for n in $names; do
	cmp -s "$WORK/a/.dlc/build/$n.zip" "$WORK/deep/er/b/.dlc/build/$n.zip" || diff="$diff $n"
	cmp -s "$WORK/a/.dlc/build/$n.zip.inputs" "$WORK/deep/er/b/.dlc/build/$n.zip.inputs" || diff="$diff $n.inputs"
done
expect_equal "two clones give byte-identical zips and input hashes" "" "$diff"
"$PYTHON3" - "$WORK/b.json" "$count" >"$WORK/check" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
b = doc["Builds"]
assert len(b) == int(sys.argv[2]), len(b)
for x in b:
    assert x["State"] == "built", x
    assert len(x["CodeSha256"]) == 44 and len(x["Sha256"]) == 64 and x["Size"] > 0, x
    assert x["ZipPath"].endswith("/.dlc/build/%s.zip" % x["Name"]), x
kinds = sorted({x["Kind"] for x in b})
assert kinds == ["function", "layer"], kinds
print("ok")
PY
expect_equal "-o json lists every build with its CodeSha256" "ok" "$(cat "$WORK/check")"

# Unchanged: skipped, nothing runs (no command line in the output).
run "$DLC" --config "$WORK/a/dlc.ini" build --all
expect_status "an unchanged build --all exits 0" 0
expect_equal "every build is unchanged" "$count" "$(printf '%s\n' "$OUT" | grep -c ' unchanged /')"
expect_not_contains "nothing ran" '$ ' "$ERR"
# One file changed: that function alone builds again.
printf '# changed\n' >>"$WORK/a/functions/flattenjson/python/flattenjson.py"
run "$DLC" --config "$WORK/a/dlc.ini" build flattenjson salesforce-cases-to-s3-raw
expect_contains "the changed layer builds" "flattenjson built" "$OUT"
expect_contains "the other is unchanged" "salesforce-cases-to-s3-raw unchanged" "$OUT"
run "$DLC" --config "$WORK/a/dlc.ini" build --force salesforce-cases-to-s3-raw
expect_contains "--force builds it anyway" "salesforce-cases-to-s3-raw built" "$OUT"

# A failing command stops its build with its output; the zip stays as it was.
mkdir -p "$WORK/a/functions/broken/src"
printf 'x = 1\n' >"$WORK/a/functions/broken/src/app.py"
cat >"$WORK/a/functions/broken/function.ini" <<'INI'
[function]
kind = function
build = sh -c "echo boom-out; echo boom-err >&2; exit 4"
build = touch ../../ran-after-failure
INI
run "$DLC" --config "$WORK/a/dlc.ini" build broken
expect_status "a failing command exits 1" 1
expect_contains "the error names the command and its status" \
	'build command 1 of 2 (sh -c "echo boom-out; echo boom-err >&2; exit 4") ended with code 4' "$ERR"
expect_contains "its last lines are shown" "  | boom-out
  | boom-err" "$ERR"
expect_contains "the fix names the log" "broken.build.log" "$ERR"
[ ! -e "$WORK/a/.dlc/build/broken.zip" ] && [ ! -e "$WORK/a/.dlc/ran-after-failure" ] &&
	[ ! -e "$WORK/a/.dlc/build/ran-after-failure" ]
expect_equal "no zip, and the next command did not run" 0 $?
expect_contains "the log keeps the output" "boom-err" "$(cat "$WORK/a/.dlc/build/broken.build.log")"
run "$DLC" --config "$WORK/a/dlc.ini" build broken flattenjson -o json
expect_status "-o json with a failing build exits 1" 1
expect_equal "JSON lists both in the order asked, the failure with its error" \
	"broken failed BuildFailed True; flattenjson unchanged" \
	"$(printf '%s' "$OUT" | "$PYTHON3" -c 'import json,sys; b=json.load(sys.stdin)["Builds"]; print("%s %s %s %s; %s %s" % (b[0]["Name"], b[0]["State"], b[0]["Error"]["Code"], "boom-err" in b[0]["Error"]["Message"], b[1]["Name"], b[1]["State"]))')"
rm -rf "$WORK/a/functions/broken"

# Output reaches the terminal sanitised: an escape in a command's output is inert.
mkdir -p "$WORK/a/functions/noisy/src"
printf 'x = 1\n' >"$WORK/a/functions/noisy/src/app.py"
printf '[function]\nbuild = printf "\\033]0;pwned\\007red\\n"\n' >"$WORK/a/functions/noisy/function.ini"
run "$DLC" --config "$WORK/a/dlc.ini" build noisy
expect_status "the noisy build succeeds" 0
expect_contains "escapes shown inert" '\x1b]0;pwned\x07red' "$ERR"
expect_not_contains "no raw escape reaches stderr" "$(printf '\033')" "$ERR"
rm -rf "$WORK/a/functions/noisy"

# Ctrl-C: the running command is stopped and its staging folder removed.
mkdir -p "$WORK/a/functions/slow/src"
printf 'x = 1\n' >"$WORK/a/functions/slow/src/app.py"
printf '[function]\nbuild = sleep 3600\n' >"$WORK/a/functions/slow/function.ini"
"$DLC" --config "$WORK/a/dlc.ini" build slow >"$WORK/slow.out" 2>"$WORK/slow.err" &
slow=$!
i=0
until grep -q 'sleep 3600' "$WORK/slow.err" 2>/dev/null && pgrep -f '^sleep 3600$' >/dev/null; do
	i=$((i + 1)); [ $i -lt 600 ] || break; sleep 0.05
done
kill -INT $slow
wait $slow
expect_equal "Ctrl-C ends the build with status 1" 1 $?
expect_contains "it says the build was cancelled" "Cancelled" "$(cat "$WORK/slow.err")"
expect_equal "the command was stopped" "" "$(pgrep -f '^sleep 3600$')"
expect_equal "its staging folder is gone" "" "$(ls -A "$WORK/a/.dlc/build" | grep stage)"
rm -rf "$WORK/a/functions/slow"

run "$DLC" --config "$WORK/a/dlc.ini" build no-such-function
expect_status "an unknown function exits 1" 1
expect_contains "it says how to fix it" "no folder no-such-function under" "$ERR"
run "$DLC" --config "$WORK/a/dlc.ini" build
expect_status "no function and no --all is a usage error" 2
expect_equal "no staging folder is left at the end" "" \
	"$(ls -A "$WORK/a/.dlc/build" "$WORK/deep/er/b/.dlc/build" | grep -e stage -e dlc-pack)"

finish
