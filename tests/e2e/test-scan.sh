#!/bin/sh
# dlc scan on folders, files, zips (written by Python's zipfile, not by
# dlc) and functions by name or all of them: exit 0 clean, 1 found, 2 not
# readable or a usage error; JSON; the secret itself in no output; a file
# name with escape sequences printed inert; scan-allow applied by rule and
# path, and a scan-allow that would turn the scan off refused. The
# repository's own functions/ must scan clean.
. "$(dirname "$0")/lib.sh"

# The samples are assembled here, so this script holds no secret itself.
KEYID="AKIA""IOSFODNN7EXAMPLE"
GHP="gh""p_Zk3v9QpX2mLr8TbN4wYc7HsJ1dFgA6eUoPiQ"
PASSWORD="Tr0ub4dor&3x"

REPO="$WORK/repo"
mkdir -p "$REPO/functions/clean/src" "$REPO/functions/dirty/src/tests" "$REPO/plain"
cat >"$REPO/dlc.ini" <<'INI'
[dlc]
functions = functions

[env alpha]
profile = alpha
region = eu-west-1
function-name = datalake-alpha-{function}
INI
printf '[function]\nkind = function\n' >"$REPO/functions/clean/function.ini"
printf 'def lambda_handler(event, context):\n    return {"ok": True}\n' >"$REPO/functions/clean/src/lambda_function.py"
cat >"$REPO/functions/dirty/function.ini" <<'INI'
[function]
kind = function
scan-allow = generic-secret tests/.*\.json
INI
printf 'import os\n\nDB_PASSWORD = "%s"\nKEY = os.environ["KEY"]\n' "$PASSWORD" >"$REPO/functions/dirty/src/lambda_function.py"
printf '{"password": "%s"}\n' "$PASSWORD" >"$REPO/functions/dirty/src/tests/event.json"
printf 'nothing to see\n' >"$REPO/plain/readme.txt"
cd "$REPO" || exit 1

# A clean folder, then one key planted on line 2.
run "$DLC" scan plain
expect_status "a clean folder exits 0" 0
expect_contains "the summary says clean" "clean: 1 file" "$ERR"
printf 'x = 1\naws_access_key_id = %s\n' "$KEYID" >plain/settings.py
run "$DLC" scan plain
expect_status "a planted key id exits 1" 1
expect_equal "the hit names file, line, rule and a masked excerpt" \
	"plain/settings.py:2: aws-access-key-id: aws_access_key_id = AKIA********" "$OUT"
expect_not_contains "the key is not printed" "IOSFODNN7" "$OUT$ERR"
run "$DLC" scan plain/settings.py
expect_status "a single file exits 1" 1
expect_contains "a single file is named as given" "plain/settings.py:2:" "$OUT"

# JSON.
run "$DLC" scan -o json plain
expect_status "-o json exits 1 with a hit" 1
"$PYTHON3" - "$WORK/out" <<'PY' >"$WORK/check" 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
assert d["Clean"] is False and d["Complete"] is True, d
assert d["FilesScanned"] == 2 and d["BytesScanned"] > 0, d
h = d["Hits"]
assert len(h) == 1, h
assert h[0]["Path"] == "plain/settings.py" and h[0]["Line"] == 2 and h[0]["Rule"] == "aws-access-key-id", h
assert "IOSFODNN7" not in json.dumps(d)
print("ok")
PY
expect_equal "JSON names the hit and not the key" "ok" "$(cat "$WORK/check")"

# A zip written by Python's zipfile: entries are named ZIP!ENTRY.
"$PYTHON3" - "$WORK/pkg.zip" "$GHP" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("lambda_function.py", "import requests\n\nHEADERS = {'Authorization': 'token %s'}\n" % sys.argv[2])
    z.writestr("vendor/", "")
    z.writestr("vendor/ok.py", "x = 1\n" * 10000)
PY
run "$DLC" scan "$WORK/pkg.zip"
expect_status "a zip with a token exits 1" 1
expect_equal "the zip's entry is named" \
	"$WORK/pkg.zip!lambda_function.py:3: github-token: HEADERS = {'Authorization': 'token ghp_********'}" "$OUT"
expect_not_contains "the token is not printed" "Zk3v9QpX" "$OUT$ERR"
# The push's child scanner reads the same zip: masked hits as JSON lines.
run "$DLC" __scan "$WORK/pkg.zip"
expect_status "dlc __scan exits 0 when the zip was read" 0
expect_contains "dlc __scan reports the hit" '"Rule":"github-token"' "$OUT"
expect_contains "dlc __scan ends with done" "done 2 " "$OUT"
expect_not_contains "dlc __scan does not print the token" "Zk3v9QpX" "$OUT$ERR"
run "$DLC" --help
expect_not_contains "__scan is hidden from --help" "__scan" "$OUT"
printf 'PK\003\004 not really a zip' >"$WORK/broken.zip"
run "$DLC" scan "$WORK/broken.zip"
expect_status "a broken zip exits 2" 2
expect_contains "a broken zip is named with the fix" "broken.zip" "$ERR"

# Errors outrank hits: not read is not clean.
run "$DLC" scan plain no-such-folder/
expect_status "a missing path exits 2, even with a hit elsewhere" 2
expect_contains "the hit is still shown" "plain/settings.py:2:" "$OUT"
expect_contains "the missing path is named" "no-such-folder/" "$ERR"
run "$DLC" scan -o yaml plain
expect_status "a bad -o is a usage error" 2

# File names and contents are untrusted: no escape reaches the terminal.
esc=$(printf '\033')
printf 'k = "%s" # \033[31m red\n' "$KEYID" >"plain/evil$(printf '\033]0;owned\007').py"
run "$DLC" scan plain
expect_not_contains "no raw ESC in the output" "$esc" "$OUT$ERR"
expect_contains "the escape shows inert" '\x1b]0;owned' "$OUT"
rm -f plain/evil*

# Functions by name: their source folder with their scan-allow.
run "$DLC" scan clean
expect_status "a clean function by name exits 0" 0
run "$DLC" scan dirty
expect_status "a function with a password exits 1" 1
expect_equal "only the unallowed hit is listed, by its path in the function" \
	"./functions/dirty/src/lambda_function.py:3: generic-secret: DB_PASSWORD = \"********\"" "$OUT"
expect_contains "the allowed hit is counted" "1 hit allowed by scan-allow" "$ERR"
expect_not_contains "the password is not printed" "Tr0ub4dor" "$OUT$ERR"
run "$DLC" scan functions/dirty/src
expect_status "the same folder as a path has no allowlist" 1
expect_equal "both hits as a path" "2" "$(printf '%s\n' "$OUT" | grep -c generic-secret)"
run "$DLC" scan nosuch
expect_status "an unknown function exits 2" 2
expect_contains "the unknown name is named" "no file, folder or function named nosuch" "$ERR"

# No argument: every function.
run "$DLC" scan
expect_status "all functions: one has a secret" 1
expect_contains "all functions include dirty" "functions/dirty/src/lambda_function.py:3:" "$OUT"
expect_contains "all functions: the allowed one is not counted" "1 secret found" "$ERR"

# scan-allow cannot turn the scan off.
for bad in '* .*' 'generic-secret .*' 'nosuch-rule x\.py' 'generic-secret'; do
	printf '[function]\nscan-allow = %s\n' "$bad" >"$REPO/functions/clean/function.ini"
	run "$DLC" scan clean
	expect_status "scan-allow = $bad is refused" 2
	expect_contains "scan-allow = $bad: the error names the manifest's line" "clean/function.ini line 2" "$ERR"
done
printf '[function]\nkind = function\n' >"$REPO/functions/clean/function.ini"

# The repository's own functions scan clean, from its own dlc.ini.
cd "$SRCDIR" || exit 1
run "$DLC" --config "$SRCDIR/dlc.ini" scan
expect_status "the repository's functions/ scan clean" 0
expect_contains "every function was read" "clean:" "$ERR"

finish
